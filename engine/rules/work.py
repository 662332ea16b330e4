"""A transition's scratch pad: a mutable copy of one state, frozen again when the transition ends.

Transitions are pure from the outside (state in, new state and events out); inside, they edit a
Work so that the rules read as plain steps rather than chains of `evolve`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import attrs

from engine.rules.state import Agreement, Assessment, Crisis, GameState, LogEntry, NuclearUse, Outcome, Phase, Proposal
from engine.scenario.expressions import Expression
from engine.scenario.text import Text

if TYPE_CHECKING:
    from engine.rules.events import LogEvent
    from engine.rules.game import Game
    from engine.rules.inputs import Input

_TWO_TO_53 = float(1 << 53)


def uniform(seed: int, step: int, draw: int) -> float:
    """A number in [0, 1) fixed by (seed, step, draw): the game's only source of chance.

    Hashing, not a stateful generator, so a state needs no generator inside it and the same
    draw is the same on every machine and Python version.
    """
    digest = hashlib.blake2b(f"{seed}:{step}:{draw}".encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 11) / _TWO_TO_53


class Work:
    """Mutable working copy of a GameState for the length of one transition."""

    # Every field of GameState, held as _THAW gives it (set in __init__ from _FIELD_NAMES;
    # declared here for type checkers, and tests/test_rules.py checks the two lists agree).
    seed: int
    turn: int
    phase: Phase
    tracks: list[float]
    active: frozenset[str]
    clock: float
    risk: float
    step: int
    talk_round: int
    submissions: dict[str, Input]
    proposals: list[Proposal]
    agreements: list[Agreement]
    pending: list[Agreement]
    crisis: Crisis | None
    crisis_risk: float
    fired_events: frozenset[str]
    last_played: tuple[tuple[str, str], ...]
    next_id: int
    assessments: list[Assessment]
    log: tuple[LogEntry, ...]
    outcome: Outcome | None
    nuclear_use: NuclearUse | None

    def __init__(self, game: Game, state: GameState) -> None:
        self.game = game
        self.memo = game.memo
        self._bounds = self.memo.bounds
        self.scenario = game.scenario
        self.layout = game.layout
        # Every field of the state (tests/test_rules.py checks that none is missing), one by
        # one because a Work is made for nearly every input: those the rules edit in place as
        # lists and dicts, the others as they are (immutable values the rules replace whole).
        self.seed = state.seed
        self.turn = state.turn
        self.phase = state.phase
        self.tracks = list(state.tracks)
        self.active = state.active
        self.clock = state.clock
        self.risk = state.risk
        self.step = state.step + 1  # the step this transition leads to
        self.talk_round = state.talk_round
        self.submissions = dict(state.submissions)
        self.proposals = list(state.proposals)
        self.agreements = list(state.agreements)
        self.pending = list(state.pending)
        # The templates of the package whose acceptance is being checked (`in_package`): set by
        # engine.rules.talks for the length of that check only, never part of the state.
        self.package: frozenset[str] = frozenset()
        self.crisis = state.crisis
        self.crisis_risk = state.crisis_risk
        self.fired_events = state.fired_events
        self.last_played = state.last_played
        self.next_id = state.next_id
        self.assessments = list(state.assessments)
        self.log = state.log
        self.outcome = state.outcome
        self.nuclear_use = state.nuclear_use
        self._original_tracks: tuple[float, ...] = state.tracks
        self.new_log: list[LogEntry] = []
        self._draws = 0
        self._draw_prefix: hashlib.blake2b | None = None

    # -- chance -----------------------------------------------------------------------------
    def draw(self) -> float:
        """As uniform(seed, step, n) for the n-th draw: the hash of "seed:step:" is begun once
        per transition and copied, which gives the same digest as hashing the whole string."""
        self._draws += 1
        if self._draw_prefix is None:
            self._draw_prefix = hashlib.blake2b(f"{self.seed}:{self.step}:".encode(), digest_size=8)
        hasher = self._draw_prefix.copy()
        hasher.update(str(self._draws).encode())
        return (int.from_bytes(hasher.digest(), "big") >> 11) / _TWO_TO_53

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    # -- expressions ------------------------------------------------------------------------
    def previous_risk(self) -> float:
        if len(self.assessments) > 1:
            risk = self.assessments[-2].risk
            assert risk is not None  # only a seat's view hides it
            return risk
        return self.risk

    def evaluate(
        self,
        expression: Expression,
        self_actor: str | None = None,
        other: str | None = None,
        extra: Mapping[str, float] | None = None,
        where: str = "",
    ):
        # Compiled for this game, self and other on first use (names bound to slots, `is_self`
        # answered): see EvaluationContext.
        return self.memo.context.evaluate(self, expression, self_actor, other, extra, where)

    # -- tracks -----------------------------------------------------------------------------
    def set_track(self, slot: int, value: float) -> None:
        low, high = self._bounds[slot]
        # Exactly round(min(high, max(low, value)), 6), ties and types alike, but faster: the
        # builtins min and max are slow for two numbers, and rounding a whole float changes nothing.
        value = value if value > low else low  # noqa: FURB136 (builtin max is slower)
        value = value if value < high else high  # noqa: FURB136
        # Rounded so that long chains of fractional deltas stay identical across machines.
        self.tracks[slot] = value if type(value) is float and value.is_integer() else round(value, 6)

    # -- log --------------------------------------------------------------------------------
    def say(self, event: LogEvent, text: Text, audience: tuple[str, ...] = ()) -> None:
        # Every line is a new LogEntry, never one shared with another game or branch: views and
        # bots tell whether a log grew from one they saw by the identity of its entries.
        self.new_log.append(LogEntry(self.turn, text, event, tuple(audience)))

    def freeze(self) -> GameState:
        """The state this Work has come to."""
        tracks = tuple(self.tracks)
        return GameState(
            seed=self.seed,
            turn=self.turn,
            phase=self.phase,
            # The same tuple when nothing changed, so caches keyed on it (views) stay valid.
            tracks=self._original_tracks if tracks == self._original_tracks else tracks,
            active=self.active,
            clock=self.clock,
            risk=self.risk,
            step=self.step,
            talk_round=self.talk_round,
            submissions=self.submissions,  # made read-only by GameState
            proposals=tuple(self.proposals),
            agreements=tuple(self.agreements),
            pending=tuple(self.pending),
            crisis=self.crisis,
            crisis_risk=self.crisis_risk,
            fired_events=self.fired_events,
            last_played=self.last_played,
            next_id=self.next_id,
            assessments=tuple(self.assessments),
            log=self.log + tuple(self.new_log),
            outcome=self.outcome,
            nuclear_use=self.nuclear_use,
        )


# A GameState's fields, in order (Work holds every one of them: tests/test_rules.py checks).
_FIELD_NAMES = tuple(field.name for field in attrs.fields(GameState))
_READ_STATE = attrgetter(*_FIELD_NAMES)  # a state's fields as a tuple, in _FIELD_NAMES order
_FIELD_INDEX = {name: i for i, name in enumerate(_FIELD_NAMES)}


def evolve_state(state: GameState, **changes: Any) -> GameState:
    """attrs.evolve(state, **changes), the same state, at less cost: all fields read at once
    rather than by a walk over their definitions (most inputs only add a submission)."""
    fields = list(_READ_STATE(state))
    for name, value in changes.items():
        fields[_FIELD_INDEX[name]] = value
    return GameState(*fields)
