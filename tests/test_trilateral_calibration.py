"""trilateral-2026's clock, calibrated to the Bulletin's last setting.

The clock is a yearly judgement: it moves (the year's mean risk - a neutral level) x 1.6 seconds.
The neutral level is the scenario's one free number there, and it is set by a public figure: the
Bulletin's last move before the game, 89 -> 85 seconds (4 seconds closer) in January 2026 for the
year 2025 (source bas-2026). A first year played as the states have lately played — the scenario's
own bots — should be judged about as that year was: the first setting, in January 2027, moves the
clock about 4 seconds closer on average. If a change to the model moves this, re-set the neutral
level (`clock.change` in the scenario) rather than loosen the test, and say so in the scenario's
docs.
"""

from __future__ import annotations

import functools
import statistics

from engine import load_game
from engine.play.loop import step
from engine.play.simulate import controllers_for

GAMES = 200
FIRST_SETTING = 4  # the quarter that includes January 2027


@functools.cache
def first_settings() -> list[float]:
    """The first yearly setting's move (seconds closer) in the default bots' games, seeds 0-199."""
    game = load_game("trilateral-2026")
    moves = []
    for seed in range(GAMES):
        state, controllers = game.start(seed), controllers_for(game, {})
        while not state.over and state.turn <= FIRST_SETTING:
            state, _ = step(game, state, controllers)
        moves.append(next(a.clock_change for a in state.assessments if a.turn == FIRST_SETTING))
    return moves


def test_the_first_year_is_judged_as_the_bulletin_judged_the_last():
    moves = first_settings()
    mean = statistics.mean(moves)
    # 4 s closer on average; the standard error of 200 games is about 0.6 s
    assert 2.5 <= mean <= 5.5, mean


def test_the_judgement_still_differs_from_game_to_game():
    # a calibrated mean, not a constant: years of restraint move it back, years of racing closer
    moves = first_settings()
    assert min(moves) < 0 < max(moves) and statistics.stdev(moves) > 3
