"""What-if queries a front end may ask without changing the game: where a crisis round would
leave the ladder for each combination of choices. The answers come from the rules themselves
(the engine plays each combination on a copy of the state), never from a second copy of them."""

from __future__ import annotations

from itertools import product
from typing import TYPE_CHECKING

import attrs

from engine.errors import MidnightError
from engine.rules import events
from engine.rules.state import CrisisChoice, GameState, LogEntry

if TYPE_CHECKING:
    from engine.rules.game import Game

CHOICES = tuple(choice.value for choice in CrisisChoice)  # in the ladder's order: back down, hold, escalate


@attrs.frozen
class RoundResult:
    """Where one round would leave the crisis: the rung, and whether the crisis ends there."""

    rung: int
    ends: bool


def round_results(game: Game, state: GameState, seat: str) -> dict[str, list[tuple[tuple[str, ...], RoundResult]]]:
    """For each choice of `seat`, where the round would leave the crisis for every combination of the
    other participants' choices (in their seat order). The engine plays each combination from the
    state without any submission already made (so nobody's real choice is read), and nothing more
    than the ladder's rung is kept. Empty when the round cannot be worked out."""
    crisis = state.crisis
    if crisis is None:
        return {}
    seats = [a for a in crisis.participants if a in state.active]
    others = [a for a in seats if a != seat]
    blank = attrs.evolve(state, submissions={})
    top = len(game.scenario.crisis.rungs) - 1
    results: dict[str, list[tuple[tuple[str, ...], RoundResult]]] = {}
    try:
        for choice in CHOICES:
            results[choice] = []
            for combo in product(CHOICES, repeat=len(others)):
                after, entries = blank, list[LogEntry]()
                for who, chosen in ((seat, choice), *zip(others, combo, strict=True)):
                    after, new = game.apply(after, {"seat": who, "kind": "crisis", "choice": chosen})
                    entries.extend(new)
                rung, ends = crisis.rung, False
                for entry in entries:
                    if isinstance(entry.event, events.CrisisRungReached):
                        rung = entry.event.rung
                    elif isinstance(entry.event, events.CrisisEnded):
                        rung, ends = entry.event.rung, True
                        break
                    elif isinstance(entry.event, events.GameOver):
                        break
                results[choice].append((combo, RoundResult(rung, ends or rung == top)))
    except MidnightError:
        return {}
    return results
