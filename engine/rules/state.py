"""The game state: immutable values that transitions replace, never change."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from engine.scenario.text import Text

if TYPE_CHECKING:
    from engine.rules.events import LogEvent
    from engine.rules.inputs import Input

FACILITATOR = "facilitator"
# Whoever watches without playing (a projector in a workshop, an observer): sees only what is
# public (engine.rules.views) and may do nothing.
SPECTATOR = "spectator"


def frozen_map(values: Mapping | None = None) -> Mapping:
    """A read-only mapping, so a state can hold dicts without anyone mutating them."""
    if isinstance(values, MappingProxyType):
        return values
    return MappingProxyType(dict(values or {}))


class Phase(enum.Enum):
    """The phases in which seats must act. World, resolution and assessment run by themselves."""

    PROPOSE = "propose"
    RESPOND = "respond"
    DECIDE = "decide"
    CRISIS = "crisis"
    OVER = "over"

    # Each member is one object, equal only to itself: hashed by identity, in C, rather than by
    # Enum.__hash__ (a Python call hashing the name), as the rules look up a phase's rule
    # hundreds of times a game.
    __hash__ = object.__hash__


class Answer(enum.Enum):
    ACCEPT = "accept"
    REJECT = "reject"
    COUNTER = "counter"


class CrisisChoice(enum.Enum):
    BACK_DOWN = "back_down"
    HOLD = "hold"
    ESCALATE = "escalate"


class Termination(enum.Enum):
    """How a game ended."""

    LAST_TURN = "last_turn"
    CONDITION = "condition"
    MIDNIGHT = "midnight"
    NUCLEAR_USE = "nuclear_use"
    ENDED = "ended"  # by the facilitator, before the game's own end: scored as it stood


@attrs.frozen
class Outcome:
    """The end of a game as a value: how it ended, each actor's score, the shared result."""

    termination: Termination
    turn: int
    catastrophe: bool
    scores: Mapping[str, float] = attrs.field(converter=frozen_map)
    shared: float
    condition: str | None = None


def quiet_repr(quiet: frozenset[str]):
    """A repr as attrs writes it, leaving out the fields named in `quiet` while they hold their
    defaults: packages and ratification came later, and a game without them reads as before
    (benchmarks/fingerprint.py hashes these reprs)."""

    def __repr__(self) -> str:
        shown = [f for f in attrs.fields(type(self))
                 if f.name not in quiet or getattr(self, f.name) != f.default]
        return f"{type(self).__name__}({', '.join(f'{f.name}={getattr(self, f.name)!r}' for f in shown)})"

    return __repr__


@attrs.frozen(repr=False)
class PackagePart:
    """One more agreement in a package: a template and its terms (the parties are the package's)."""

    template: str
    params: Mapping[str, float] = attrs.field(factory=dict, converter=frozen_map)

    __repr__ = quiet_repr(frozenset())


@attrs.frozen(repr=False)
class Proposal:
    """An offer of an agreement on the table. `responses` holds the answers given so far.

    `package` holds the other agreements offered with this one as a package: answered as one
    (accepting accepts them all), signed together or not at all (docs/rules.md, Packages)."""

    id: int
    template: str
    proposer: str
    parties: tuple[str, ...]
    params: Mapping[str, float] = attrs.field(converter=frozen_map)
    responses: Mapping[str, Answer] = attrs.field(factory=dict, converter=frozen_map)
    counter_to: int | None = None
    package: tuple[PackagePart, ...] = ()

    __repr__ = quiet_repr(frozenset({"package"}))

    def awaiting(self) -> tuple[str, ...]:
        return tuple(p for p in self.parties if p != self.proposer and p not in self.responses)

    def parts(self) -> tuple[PackagePart, ...]:
        """Every agreement offered: this one's template and terms first, then the package's."""
        return (PackagePart(self.template, self.params), *self.package)


@attrs.frozen(repr=False)
class Agreement:
    """An agreement in force, or signed and awaiting ratification (GameState.pending).

    `package`: the id of the package it was signed in (the id of the package's first agreement),
    None when signed alone. `ratify_turn`: while pending, the turn at whose start its ratification
    is decided; None once in force (or when none was needed)."""

    id: int
    template: str
    parties: tuple[str, ...]
    params: Mapping[str, float] = attrs.field(converter=frozen_map)
    signed_turn: int
    expires_turn: int | None
    package: int | None = None
    ratify_turn: int | None = None

    __repr__ = quiet_repr(frozenset({"package", "ratify_turn"}))


@attrs.frozen
class Crisis:
    """Actors on the crisis ladder; `rung` indexes the scenario's ladder."""

    participants: tuple[str, ...]
    rung: int
    round: int
    peak: int
    cause: str


@attrs.frozen
class LogEntry:
    """A line of the game's story. `audience` empty means everyone; else only those seats
    (and the facilitator) may see it."""

    turn: int
    text: Text
    event: LogEvent  # what the line means, for programs (engine.rules.events)
    audience: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        """The line's category (`move`, `crisis`, `clock` ...), for front ends."""
        return self.event.kind

    def visible_to(self, seat: str) -> bool:
        return not self.audience or seat == FACILITATOR or seat in self.audience


@attrs.frozen
class Assessment:
    """Risk as the sum of named factors, and how the clock moved: the game explains itself.

    In the view of a seat from which the scenario hides risk, `risk` is None and `factors` empty.
    """

    turn: int
    risk: float | None
    factors: Mapping[str, float] = attrs.field(converter=frozen_map)
    clock: float
    clock_change: float


@attrs.frozen
class NuclearUse:
    """Nuclear weapons were used on `turn`; `cause` is the accident's id (None: a crisis at the top
    of its ladder). Kept while a scenario's aftermath (the day after) is played."""

    turn: int
    cause: str | None = None


@attrs.frozen
class GameState:
    """Everything that changes during a game. Replaced whole by each transition."""

    seed: int
    turn: int
    phase: Phase
    tracks: tuple[float, ...]
    active: frozenset[str]
    clock: float
    risk: float
    step: int = 0
    talk_round: int = 0
    submissions: Mapping[str, Input] = attrs.field(factory=dict, converter=frozen_map)
    proposals: tuple[Proposal, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    # Agreements signed and awaiting ratification: not in force (no breach, no effects) until
    # ratified (engine.rules.talks.decide_ratifications).
    pending: tuple[Agreement, ...] = ()
    crisis: Crisis | None = None
    crisis_risk: float = 0.0
    fired_events: frozenset[str] = frozenset()
    last_played: tuple[tuple[str, str], ...] = ()
    next_id: int = 1
    assessments: tuple[Assessment, ...] = ()
    log: tuple[LogEntry, ...] = ()
    outcome: Outcome | None = None
    nuclear_use: NuclearUse | None = None

    @property
    def over(self) -> bool:
        return self.outcome is not None
