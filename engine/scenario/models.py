"""The scenario format as attrs models: pure data, validated at the edges by `engine.scenario.loading`.

Every field here is a key of the YAML format (see docs/scenario-format.md). Expressions are
compiled at load time (`engine.scenario.expressions`), so a loaded Scenario is ready to play.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping

import attrs

from engine.scenario.expressions import Expression, compile_expression
from engine.scenario.text import EMPTY_TEXT, Text
from engine.scenario.vocabulary import FUNCTIONS


def _expr(value: float | str | Expression) -> Expression:
    if isinstance(value, Expression):
        return value
    return compile_expression(value, functions=FUNCTIONS)


ZERO = compile_expression(0)
ONE = compile_expression(1)


class Scope(enum.Enum):
    """Whether a track is one number, one per actor, or one per pair of actors."""

    GLOBAL = "global"
    ACTOR = "actor"
    PAIR = "pair"


class Visibility(enum.Enum):
    """Who may see a track: everyone, its owner(s) only, or the facilitator only."""

    PUBLIC = "public"
    OWNER = "owner"
    FACILITATOR = "facilitator"


@attrs.frozen
class Source:
    """A citation for the facts a scenario uses."""

    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None
    note: str | None = None


@attrs.frozen
class Brief:
    """An actor's private brief: shown to that seat (and the facilitator) only."""

    objectives: Text = EMPTY_TEXT
    red_lines: Text = EMPTY_TEXT
    knowledge: Text = EMPTY_TEXT


@attrs.frozen
class BotConfig:
    """How the built-in bot plays this actor when no person does."""

    persona: str = "reciprocator"
    weights: Mapping[str, float] = attrs.field(factory=dict)


@attrs.frozen
class Actor:
    """A seat at the table."""

    id: str
    name: Text
    leader: Text = EMPTY_TEXT
    colour: str = "#888888"
    brief: Brief = Brief()
    score: Expression = attrs.field(default=ZERO, converter=_expr)
    active: bool = True
    bot: BotConfig = BotConfig()


@attrs.frozen
class System:
    """An area the talks are about (ICBMs, missile defence, testing ...)."""

    id: str
    name: Text
    description: Text = EMPTY_TEXT


@attrs.frozen
class Estimate:
    """Fog: what other seats see of an actor track is an estimate, off the true value by up to
    `error` percent (a formula whose `self` is the track's owner; 0 means exact). The owner and
    the facilitator see the true value (engine.rules.estimates, docs/scenario-format.md)."""

    error: Expression = attrs.field(converter=_expr)


@attrs.frozen
class Track:
    """A named number with bounds and a visibility (`headline`: charted in the debrief report;
    `estimate`: others see it with an error).

    `initial` is one number, or a mapping: by actor id for actor tracks, by "a/b" for pair tracks
    (pairs are unordered); `default` fills the entries the mapping leaves out.
    """

    id: str
    label: Text
    scope: Scope = Scope.GLOBAL
    min: float = 0.0
    max: float = 100.0
    initial: float | Mapping[str, float] = 0.0
    default: float = 0.0
    visibility: Visibility = Visibility.PUBLIC
    system: str | None = None
    description: Text = EMPTY_TEXT
    source: str | None = None
    # Per-figure citations of an actor track: the source of each actor's own starting figure (a
    # per-country notebook), where it is not `source` (by actor id).
    sources: Mapping[str, str] = attrs.field(factory=dict)
    # A track the debrief report charts turn by turn (the few figures a discussion turns on); it
    # changes nothing in play.
    headline: bool = False
    # Others see an estimate of it, not the true value (fog of war): see Estimate.
    estimate: Estimate | None = None


@attrs.frozen
class CrisisStart:
    """An effect that puts actors in a crisis: `between` lists actor selectors; `rung` (a formula)
    is where it starts, clamped to the ladder."""

    between: tuple[str, ...]
    rung: Expression = attrs.field(default=ZERO, converter=_expr)
    text: Text = EMPTY_TEXT


@attrs.frozen
class Effect:
    """One change to the state.

    A track effect changes `track` by `delta` or to `set`; for actor tracks `actor` selects whose
    (default "self"), for pair tracks `actor` and `other` select the pairs. Selectors: "self",
    "others", "all", "parties", "other_parties" or an actor id. `when` makes it conditional and
    `chance` random. Instead of a track, an effect may `start_crisis`, `activate` an actor (bring a
    new seat to the table) or only `say` a line in the log.

    An agreement's `on_sign` and `each_turn` effects run once for the agreement: there "self"
    (the default selector) means each party, and `x.self` in a delta is the party being changed.
    """

    track: str | None = None
    delta: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    set: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    actor: str = "self"
    other: str = "others"
    when: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    chance: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    start_crisis: CrisisStart | None = None
    activate: str | None = None
    say: Text | None = None


@attrs.frozen
class Move:
    """What an actor may do in a turn's decisions."""

    id: str
    label: Text
    system: str
    description: Text = EMPTY_TEXT
    actors: tuple[str, ...] = ()
    cost: Expression = attrs.field(default=ZERO, converter=_expr)
    requires: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    unavailable: Text = EMPTY_TEXT
    effects: tuple[Effect, ...] = ()
    secret: bool = False
    tags: tuple[str, ...] = ()
    source: str | None = None


@attrs.frozen
class Parameter:
    """A number the proposer of an agreement chooses (a cap, a notice period ...)."""

    id: str
    label: Text
    min: float
    max: float
    default: float
    step: float = 1.0


@attrs.frozen
class Breach:
    """What counts as breaking an agreement, and what happens when a breach is caught."""

    moves: tuple[str, ...] = ()
    when: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    detection: Expression = attrs.field(default=ONE, converter=_expr)
    on_detected: tuple[Effect, ...] = ()
    ends_agreement: bool = True


@attrs.frozen
class Ratification:
    """What a signed agreement needs before it enters into force in some parties' own law (a
    treaty before the US Senate: two thirds, Article II). Signed, it waits `turns` turns; at the
    start of the turn after them `requires` is read as each of `actors` (those among its
    parties): if it holds for all, the agreement enters into force, else it lapses and the log
    says why (`text`, e.g. "the Senate did not reach two thirds"). `on_sign` effects apply at
    entry into force, not at signing: nothing binds before it."""

    actors: tuple[str, ...]
    requires: Expression = attrs.field(default=ONE, converter=_expr)
    turns: int = 1
    text: Text = EMPTY_TEXT
    source: str | None = None


@attrs.frozen
class AgreementTemplate:
    """A deal on one system that actors may propose to each other."""

    id: str
    label: Text
    system: str
    description: Text = EMPTY_TEXT
    eligible: tuple[str, ...] = ()
    min_parties: int = 2
    max_parties: int | None = None
    parameters: tuple[Parameter, ...] = ()
    duration: int | None = None
    accept_requires: Expression | None = attrs.field(
        default=None, converter=attrs.converters.optional(_expr)
    )
    refusal: Text = EMPTY_TEXT
    on_sign: tuple[Effect, ...] = ()
    each_turn: tuple[Effect, ...] = ()
    breach: Breach | None = None
    source: str | None = None
    # Templates the built-in bots may offer together with this one as a package (players may
    # bundle any templates open to the same parties; see docs/rules.md, Packages).
    package_with: tuple[str, ...] = ()
    ratification: Ratification | None = None


@attrs.frozen
class Event:
    """A world event or inject: scripted (`turn`), conditional (`when`), random (`chance`).

    An event with none of the three fires only when a facilitator plays it by hand.
    """

    id: str
    title: Text
    text: Text = EMPTY_TEXT
    turn: int | None = None
    when: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    chance: Expression | None = attrs.field(default=None, converter=attrs.converters.optional(_expr))
    once: bool = True
    hint: bool = False
    effects: tuple[Effect, ...] = ()
    source: str | None = None


@attrs.frozen
class Rung:
    """A step of the crisis ladder."""

    id: str
    label: Text
    description: Text = EMPTY_TEXT
    risk: float = 0.0
    effects: tuple[Effect, ...] = ()


@attrs.frozen
class CrisisRule:
    """Where a crisis round's combination of choices moves it: first rule whose `when` holds.

    Names: escalate, hold, back_down (how many chose each), participants, rung, round.
    """

    when: Expression = attrs.field(converter=_expr)
    move: Expression = attrs.field(default=ZERO, converter=_expr)
    ends: bool = False
    text: Text = EMPTY_TEXT


@attrs.frozen
class CrisisLadder:
    """Incidents put actors in a crisis; they choose at once to back down, hold or escalate.

    The last rung is nuclear use: reaching it ends the game in catastrophe. `climb` is added to
    every upward move (e.g. non-strategic weapons make crises climb faster).
    """

    rungs: tuple[Rung, ...]
    rules: tuple[CrisisRule, ...]
    rounds: int = 3
    climb: Expression = attrs.field(default=ZERO, converter=_expr)


@attrs.frozen
class RiskFactor:
    """A named contribution to escalation risk, so the game can say why risk moved."""

    id: str
    label: Text
    value: Expression = attrs.field(converter=_expr)


@attrs.frozen
class Risk:
    """Escalation risk (0-100) is the sum of its factors, clamped."""

    factors: tuple[RiskFactor, ...]
    visible: bool = True


@attrs.frozen
class Clock:
    """The Doomsday Clock in seconds to midnight: a judgement of the state of the world, set on a
    schedule as the Bulletin of the Atomic Scientists sets it once a year.

    The clock is set at the assessment of every `every`-th turn, or, with `month` (1-12), of each
    turn whose dates include that month (1: the Bulletin's January statement). `change` is the
    seconds it moves toward midnight at a setting (negative moves it back); besides `risk` and
    `previous_risk` it may read the record of the period since the last setting (`period_risk`,
    `period_max_risk`, `period_turns`). A setting names the period's `reasons` largest risk
    factors. With `midnight_ends` (the default) a clock at 0 ends the game in catastrophe; without
    it the clock is a judgement only, and only nuclear use ends the world. It stays within
    `min`..`max`. With `final` (the default) it is also set at the last turn's assessment, so the
    game's final reading judges its last months too."""

    start: float = 85.0
    change: Expression = attrs.field(default=ZERO, converter=_expr)
    max: float = 1200.0
    min: float = 0.0
    every: int = 1
    month: int | None = None
    final: bool = True
    midnight_ends: bool = True
    reasons: int = 3


@attrs.frozen
class Accident:
    """A way nuclear weapons may be used that no player chose in a crisis: an accident, a false
    alarm acted on, an unauthorised launch. At each turn's assessment the game draws against
    `chance` (a probability, 0-1, read from the state) with its seeded generator; if the draw
    falls under it, nuclear use ends the game, and the log and the outcome name this cause."""

    id: str
    label: Text
    chance: Expression = attrs.field(converter=_expr)
    text: Text = EMPTY_TEXT


@attrs.frozen
class Aftermath:
    """The day after: where a scenario has one, nuclear use does not end the game at once. `text`
    is said and `effects` applied when weapons are used; then the players play up to `turns` more
    turns (never past the last) in a world where midnight has struck: the clock stays at 0, no
    accident is drawn, no end condition holds, and a second use ends the game at once. The game
    ends in catastrophe, as nuclear use, whatever is done in those turns."""

    turns: int = 2
    text: Text = EMPTY_TEXT
    effects: tuple[Effect, ...] = ()


@attrs.frozen
class EndCondition:
    """A way the game ends before its last turn."""

    id: str
    when: Expression = attrs.field(converter=_expr)
    text: Text = EMPTY_TEXT
    catastrophe: bool = False


@attrs.frozen
class Decisions:
    """Limits on each actor's turn: its budget track, how many moves, how many talk rounds, and (at
    a networked table) how many seconds each phase may last."""

    budget_track: str | None = None
    max_moves: int = 3
    max_proposals: int = 2
    talk_rounds: int = 2
    # Workshop timers: phase (propose, respond, decide, crisis) -> seconds. Only a table with a
    # clock reads it (`midnight serve`); the rules never do, so games do not change.
    phase_seconds: Mapping[str, float] = attrs.field(factory=dict)


@attrs.frozen
class AgendaItem:
    """The talks of `turn` are limited to `systems`."""

    turn: int
    systems: tuple[str, ...]
    text: Text = EMPTY_TEXT


@attrs.frozen
class Scenario:
    """A whole scenario file."""

    id: str
    version: str
    title: Text
    start_date: str
    turns: int
    actors: tuple[Actor, ...]
    tracks: tuple[Track, ...]
    systems: tuple[System, ...]
    risk: Risk
    clock: Clock
    crisis: CrisisLadder
    format: int = 1
    summary: Text = EMPTY_TEXT
    turn_months: int = 3
    languages: tuple[str, ...] = ("en",)
    sources: tuple[Source, ...] = ()
    moves: tuple[Move, ...] = ()
    agreements: tuple[AgreementTemplate, ...] = ()
    events: tuple[Event, ...] = ()
    end: tuple[EndCondition, ...] = ()
    accidents: tuple[Accident, ...] = ()
    aftermath: Aftermath | None = None
    shared_score: Expression = attrs.field(default=ZERO, converter=_expr)
    decisions: Decisions = Decisions()
    agenda: tuple[AgendaItem, ...] = ()
    each_turn: tuple[Effect, ...] = ()


def clock_set_on(scenario: Scenario, turn: int) -> bool:
    """Whether the clock is set at the assessment of `turn`."""
    clock = scenario.clock
    if clock.final and turn == scenario.turns:
        return True
    if clock.month is None:
        return turn % max(1, clock.every) == 0
    if scenario.turn_months >= 12:
        return True
    start = datetime.date.fromisoformat(scenario.start_date)
    # The turn covers the months from the one it starts in, `turn_months` of them.
    first = (start.month - 1 + (turn - 1) * scenario.turn_months) % 12
    return (clock.month - 1 - first) % 12 < scenario.turn_months
