"""A transition's scratch pad: a mutable copy of one state, frozen again when the transition ends.

Transitions are pure from the outside (state in, new state and events out); inside, they edit a
Work so that the rules read as plain steps rather than chains of `evolve`.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from engine.errors import ScenarioRuntimeError
from engine.expressions import Expression, ExpressionError
from engine.names import Namespace
from engine.state import GameState, LogEntry, frozen_map
from engine.text import Text

if TYPE_CHECKING:
    from engine.game import Game

_TWO_TO_53 = float(1 << 53)

# Constant expressions by id, with the expression itself: see Work.evaluate.
_CONSTANTS: dict[int, tuple[Expression, object]] = {}

# The special names of expressions (see engine.vocabulary), read from the working state.
SPECIALS = {
    "turn": lambda work: float(work.turn),
    "turns": lambda work: float(work.scenario.turns),
    "risk": lambda work: work.risk,
    "previous_risk": lambda work: work.previous_risk(),
    "clock": lambda work: work.clock,
    "crisis_risk": lambda work: work.crisis_risk,
}


def uniform(seed: int, step: int, draw: int) -> float:
    """A number in [0, 1) fixed by (seed, step, draw): the game's only source of chance.

    Hashing, not a stateful generator, so a state needs no generator inside it and the same
    draw is the same on every machine and Python version.
    """
    digest = hashlib.blake2b(f"{seed}:{step}:{draw}".encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 11) / _TWO_TO_53


class Work:
    """Mutable working copy of a GameState for the length of one transition."""

    def __init__(self, game: Game, state: GameState) -> None:
        self.game = game
        self.scenario = game.scenario
        self.layout = game.layout
        self.seed = state.seed
        self.step = state.step + 1
        self.turn = state.turn
        self.phase = state.phase
        self.tracks = list(state.tracks)
        self._original_tracks = state.tracks
        self.active = set(state.active)
        self.clock = state.clock
        self.risk = state.risk
        self.talk_round = state.talk_round
        self.submissions = dict(state.submissions)
        self.proposals = list(state.proposals)
        self.agreements = list(state.agreements)
        self.crisis = state.crisis
        self.crisis_risk = state.crisis_risk
        self.fired_events = set(state.fired_events)
        self.last_played = state.last_played
        self.next_id = state.next_id
        self.assessments = list(state.assessments)
        self.outcome = state.outcome
        self.old_log = state.log
        self.new_log: list[LogEntry] = []
        self._draws = 0
        # Namespaces and function tables by (self, other): they read this Work live, so one of
        # each serves every evaluation of the transition (evaluate runs thousands of times).
        self._contexts: dict[tuple[str | None, str | None], tuple[Namespace, object]] = {}

    # -- chance -----------------------------------------------------------------------------
    def draw(self) -> float:
        self._draws += 1
        return uniform(self.seed, self.step, self._draws)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    # -- expressions ------------------------------------------------------------------------
    def previous_risk(self) -> float:
        return self.assessments[-2].risk if len(self.assessments) > 1 else self.risk

    def evaluate(
        self,
        expression: Expression,
        self_actor: str | None = None,
        other: str | None = None,
        extra: dict[str, float] | None = None,
        where: str = "",
    ):
        if not expression.names and not expression.functions:
            # A constant (most move costs are): its value never changes, so compute it once.
            known = _CONSTANTS.get(id(expression))
            if known is not None and known[0] is expression:  # the entry keeps the id from reuse
                return known[1]
            value = self._evaluate(expression, None, None, None, where)
            if len(_CONSTANTS) < 4096:
                _CONSTANTS[id(expression)] = (expression, value)
            return value
        return self._evaluate(expression, self_actor, other, extra, where)

    def _evaluate(self, expression: Expression, self_actor, other, extra, where: str):
        context = self._contexts.get((self_actor, other))
        if context is None:
            namespace = Namespace(self.layout, self, SPECIALS, self_actor, other)
            context = self._contexts[(self_actor, other)] = (namespace, self.game.functions(self, self_actor))
        namespace, functions = context
        if extra:
            namespace = Namespace(self.layout, self, SPECIALS, self_actor, other, extra)
        try:
            return expression.evaluate(namespace, functions)
        except ExpressionError as error:
            raise ScenarioRuntimeError(
                f"scenario {self.scenario.id}: {where or 'expression'} {expression.source!r}: {error}"
            ) from None

    # -- tracks -----------------------------------------------------------------------------
    def set_track(self, slot: int, value: float) -> None:
        track = self.layout.tracks[self.layout.keys[slot][0]]
        # Rounded so that long chains of fractional deltas stay identical across machines.
        self.tracks[slot] = round(min(track.max, max(track.min, value)), 6)

    # -- log --------------------------------------------------------------------------------
    def say(self, kind: str, text: Text, audience: tuple[str, ...] = (), **data: object) -> None:
        self.new_log.append(LogEntry(self.turn, kind, text, tuple(audience), data))

    def freeze(self) -> GameState:
        return GameState(
            seed=self.seed,
            turn=self.turn,
            phase=self.phase,
            # The same tuple when nothing changed, so caches keyed on it (views) stay valid.
            tracks=self._original_tracks if self._original_tracks == tuple(self.tracks) else tuple(self.tracks),
            active=frozenset(self.active),
            clock=self.clock,
            risk=self.risk,
            step=self.step,
            talk_round=self.talk_round,
            submissions=frozen_map(self.submissions),
            proposals=tuple(self.proposals),
            agreements=tuple(self.agreements),
            crisis=self.crisis,
            crisis_risk=self.crisis_risk,
            fired_events=frozenset(self.fired_events),
            last_played=self.last_played,
            next_id=self.next_id,
            assessments=tuple(self.assessments),
            log=self.old_log + tuple(self.new_log),
            outcome=self.outcome,
        )

