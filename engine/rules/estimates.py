"""Fog: the estimates of others' forces that a seat reads instead of their true values.

A track declared with `estimate: {error: <formula>}` (docs/scenario-format.md, "Fog") is read
exactly by its owner and the facilitator. Every other seat, the spectator included, reads

    estimate = value × (1 + e × error / 100)

rounded to the precision the error leaves (`rounded_estimate`) and kept within the track's bounds.
`error` is the formula's value, in percent (0 = exact, clamped to 0..100), evaluated on the state
with `self` the track's owner: what the owner lets be known, the same for every observer.
`e` in [-1, 1] is the observer's own look at that slot this turn (`deviation`): made from hashes
of the game's seed, the turn, the observer and the slot, fresh every few turns and drifting in
between. So each seat's estimate is its own, fixed within a turn, and the same on every machine
and in every replay.

The looks are not the game's dice (`Work.draw`): nothing is drawn from them, so a scenario's
rules resolve exactly as they would without fog, and a scenario without estimates plays as it
always did. Fog changes what seats see (engine.rules.views) and so what bots decide from their
views; the rules themselves (breaches, conditions, scores) read the true values.
"""

from __future__ import annotations

import hashlib
import math
from typing import TYPE_CHECKING

import attrs

from engine.errors import MidnightError
from engine.rules.work import Work
from engine.scenario.models import Scope, Track

if TYPE_CHECKING:
    from engine.rules.game import Game
    from engine.rules.state import GameState

_TWO_TO_53 = float(1 << 53)


@attrs.frozen
class FogSlot:
    """One slot others see as an estimate: its index in the state's tracks, its owner, its track."""

    slot: int
    owner: str
    track: Track


def fog_slots(game: Game) -> tuple[FogSlot, ...]:
    """Every estimated slot of the game's scenario, in slot order (empty: no fog)."""
    layout = game.layout
    found = []
    for slot, (track_id, actor, _) in enumerate(layout.keys):
        track = layout.tracks[track_id]
        if track.estimate is not None and track.scope is Scope.ACTOR and actor is not None:
            found.append(FogSlot(slot, actor, track))
    return tuple(found)


# Turns between two fresh looks at a slot; in between, the look drifts from one to the next.
LOOK_EVERY = 4


def deviation(seed: int, turn: int, observer: str, slot: int) -> float:
    """The observer's look at `slot` on `turn`: a number in [-1, 1), fixed by its arguments.

    A fresh look every LOOK_EVERY turns, and in between a straight drift from one to the next:
    an intelligence estimate is revised, not redrawn each quarter, so watching a figure for a
    few turns does not average its error away, and a sudden jump in an estimate means the
    force moved. Hashed apart from `engine.rules.work.uniform` ("fog" is in the key), so it
    neither uses nor shifts any draw of the game's dice."""
    period, into = divmod(max(0, turn - 1), LOOK_EVERY)
    now = _look(seed, period, observer, slot)
    if not into:
        return now
    return now + (_look(seed, period + 1, observer, slot) - now) * into / LOOK_EVERY


def _look(seed: int, period: int, observer: str, slot: int) -> float:
    digest = hashlib.blake2b(f"{seed}:fog:{period}:{observer}:{slot}".encode(), digest_size=8).digest()
    return 2.0 * ((int.from_bytes(digest, "big") >> 11) / _TWO_TO_53) - 1.0


# What a formula may call and still depend only on the agreements in force, who is at the table,
# who `self` is and the turn (the maths built in are pure).
_AGREEMENT_FUNCTIONS = frozenset({"is_self", "in_force", "party_to", "agreements", "is_active", "actors",
                                  "min", "max", "abs", "clamp", "floor", "ceil", "round", "sqrt"})


def errors_follow_agreements(fogs: tuple[FogSlot, ...]) -> bool:
    """Whether every error formula reads only the agreements, the seats, `self` and the turn (the
    usual case: "narrowed by a data exchange"), so that errors change only when those do."""
    for fog in fogs:
        error = fog.track.estimate.error if fog.track.estimate is not None else None
        if error is None or error.names - {"turn", "turns"} or error.functions - _AGREEMENT_FUNCTIONS:
            return False
    return True


def error_percents(game: Game, state: GameState, fogs: tuple[FogSlot, ...]) -> tuple[float, ...]:
    """The error of each of `fogs`' estimates now, in percent (0..100). A formula that cannot be
    worked out here (a division by zero) counts as the widest error: fog never stops a view."""
    work = Work(game, state)
    return tuple(_error_percent(work, fog) for fog in fogs)


def _error_percent(work: Work, fog: FogSlot) -> float:
    assert fog.track.estimate is not None
    where = f"tracks.{fog.track.id}.estimate.error"
    try:
        value = float(work.evaluate(fog.track.estimate.error, fog.owner, None, where=where))
    except (MidnightError, TypeError, ValueError, ArithmeticError):
        return 100.0
    if not math.isfinite(value):
        return 100.0
    return min(100.0, max(0.0, value))


# 1e-10 .. 1e20, parsed from text (correctly rounded on every machine; no libm call is, so
# neither log10 nor pow is used here: an estimate must be the same everywhere).
_POWERS_OF_TEN = {k: float(f"1e{k}") for k in range(-10, 21)}


def _decade(x: float) -> int:
    """The exponent of the largest power of ten at or below `x` (within 1e-10 .. 1e20)."""
    exponent = -10
    while exponent < 20 and _POWERS_OF_TEN[exponent + 1] <= x:
        exponent += 1
    return exponent


def rounded_estimate(value: float, e: float, error: float, low: float, high: float) -> float:
    """`value` seen through an error of `error` percent with the look `e`, rounded and bounded.

    Rounded to a step of the power of ten at or below half the error's half-width (±30% of 600 is
    ±180: a step of 10, so 720 rather than 721.37): the estimate claims no more precision than it
    has. Within `error` percent of `value`, give or take half a step, and within [low, high]."""
    if error <= 0:
        return value
    seen = value * (1.0 + e * error / 100.0)
    half_width = abs(value) * error / 100.0
    if half_width > 1e-9:  # (a smaller one is too fine to round to)
        exponent = _decade(half_width / 2.0)
        step = _POWERS_OF_TEN[exponent]
        seen = round(seen / step) * step
        if exponent < 0:  # keep no more decimals than the step has (0.1, not 0.30000000000000004)
            seen = round(seen, -exponent)
    seen = min(high, max(low, seen))
    return float(seen)
