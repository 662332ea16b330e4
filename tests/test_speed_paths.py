"""The fast paths bots and `simulate` take give exactly what the full paths give.

Bots ask for lean options (`Game.options(..., lean=True)`): the same choices, less the words only
people read. These tests walk bot games from random seeds and line-ups and compare the two paths
at every decision (benchmarks/fingerprint.py compares whole games the same way, in bulk).
"""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import load_game
from engine.bots import persona_names
from engine.play.loop import step
from engine.play.simulate import controllers_for
from engine.rules import talks
from engine.rules.options import SeatOptions

GAME = load_game("trilateral-2026")
SOME = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lineups():
    personas = persona_names()
    return st.one_of(st.just({}), st.fixed_dictionaries({seat: st.sampled_from(personas) for seat in GAME.seats}))


def without_words(options: SeatOptions) -> SeatOptions:
    return attrs.evolve(options, templates=tuple(attrs.evolve(t, acceptable=None) for t in options.templates))


def decisions(seed: int, lineup: dict[str, str], turns: int):
    """(state, seat) at every decision of a bot game's first `turns` turns."""
    controllers = controllers_for(GAME, lineup)
    state = GAME.start(seed)
    while not state.over and state.turn <= turns:
        for seat in GAME.seats:
            if seat in GAME.awaiting(state):
                yield state, seat
        state, _ = step(GAME, state, controllers)


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_lean_options_are_the_full_options_without_their_words(seed, lineup):
    asked = 0
    for state, seat in decisions(seed, lineup, turns=8):
        full = GAME.options(state, seat)
        lean = GAME.options(state, seat, lean=True)
        assert lean == without_words(full)
        assert all(t.acceptable is None for t in lean.templates)
        asked += 1
    assert asked > 0


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_nearest_terms_found_without_words_are_the_terms_found_with_them(seed, lineup):
    """acceptable_terms(words=False) tries values nearest first and stops: the same terms."""
    for state, seat in decisions(seed, lineup, turns=8):
        work = GAME._reader(state)
        for template in GAME.scenario.agreements:
            if not template.parameters:
                continue
            defaults = {p.id: p.default for p in template.parameters}
            full = talks.acceptable_terms(work, seat, template, defaults)
            lean = talks.acceptable_terms(work, seat, template, defaults, words=False)
            assert (full and full[0]) == (lean and lean[0])
            assert lean is None or lean[1] is None
