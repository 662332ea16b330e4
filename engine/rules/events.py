"""What a log line means, as a typed value: the events of a game that programs read.

Every log entry carries one of these as `entry.event` besides its sentence (`entry.text`): bots,
batch statistics, the UI and records read the event, never the words. `kind` is the line's
category, the same for several events (all `crisis` lines, say), for front ends that colour or
filter lines. Every event is frozen and holds only immutable values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import attrs

from engine.rules.state import frozen_map
from engine.scenario.text import Text


@attrs.frozen
class Narration:
    """A line the scenario wrote (an effect's `say`, a crisis rule's or an end condition's text),
    under the category of what it accompanies."""

    kind: str


@attrs.frozen
class TurnBegan:
    kind: ClassVar[str] = "turn"


@attrs.frozen
class EventFired:
    """A scenario event fired (a hint is an event that only informs)."""

    event: str
    detail: Text
    hint: bool = False

    @property
    def kind(self) -> str:
        return "hint" if self.hint else "event"


@attrs.frozen
class ActorJoined:
    kind: ClassVar[str] = "actor"
    actor: str


@attrs.frozen
class MovePlayed:
    """A move revealed at resolution; a secret one is told only to the seat that played it."""

    kind: ClassVar[str] = "move"
    actor: str
    move: str
    secret: bool = False


@attrs.frozen
class BreachFound:
    """A party broke an agreement; `detected` false: only that party knows."""

    kind: ClassVar[str] = "breach"
    actor: str
    template: str
    detected: bool


@attrs.frozen
class AgreementSigned:
    kind: ClassVar[str] = "agreement"
    template: str
    parties: tuple[str, ...]


@attrs.frozen
class PackageSigned:
    """The parties signed several agreements as one package (`package`: the id the package's
    agreements share); each one's coming into force has its own line (AgreementSigned)."""

    kind: ClassVar[str] = "agreement"
    templates: tuple[str, ...]
    parties: tuple[str, ...]
    package: int


@attrs.frozen
class AgreementPending:
    """Signed, awaiting ratification: not in force; ratification is decided at `turn`'s start."""

    kind: ClassVar[str] = "agreement"
    templates: tuple[str, ...]
    parties: tuple[str, ...]
    turn: int


@attrs.frozen
class RatificationFailed:
    """A signed agreement (or package) lapsed unratified: `actor`'s `requires` did not hold."""

    kind: ClassVar[str] = "agreement"
    templates: tuple[str, ...]
    parties: tuple[str, ...]
    actor: str
    reason: str


@attrs.frozen
class AgreementEnded:
    """An agreement left force: `collapsed` by a detected breach, or it expired."""

    kind: ClassVar[str] = "agreement"
    template: str
    collapsed: bool


@attrs.frozen
class TalksNews:
    """A proposal was made, countered, accepted, rejected or lapsed (`what`), told to its parties:
    the agreements it offers (`templates`: its own first, then a package's) and, for an answer,
    the seat that gave it (`by`)."""

    kind: ClassVar[str] = "talks"
    proposal: int
    what: str
    templates: tuple[str, ...] = ()
    by: str | None = None


@attrs.frozen
class OfferVoided:
    """An offer legal when submitted was no longer legal when the talks opened (the facilitator
    changed the world in between): it never became a proposal. Told to its maker only."""

    kind: ClassVar[str] = "talks"
    actor: str
    template: str
    reason: str


@attrs.frozen
class CrisisStarted:
    """Actors entered a crisis (or were drawn into the one running); `rung` is where it stands."""

    kind: ClassVar[str] = "crisis"
    participants: tuple[str, ...]
    rung: int


@attrs.frozen
class CrisisRoundPlayed:
    """The choices of one crisis round, by seat (`back_down`, `hold` or `escalate`)."""

    kind: ClassVar[str] = "crisis"
    round: int
    choices: Mapping[str, str] = attrs.field(converter=frozen_map)


@attrs.frozen
class CrisisRungReached:
    kind: ClassVar[str] = "crisis"
    rung: int


@attrs.frozen
class CrisisEnded:
    kind: ClassVar[str] = "crisis"
    rung: int


@attrs.frozen
class ClockMoved:
    """The assessment set the clock, `change` seconds (positive: closer to midnight). `reasons`:
    the risk factors the judgement names, largest first (a clock set once a period names them)."""

    kind: ClassVar[str] = "clock"
    clock: float
    change: float
    reasons: tuple[str, ...] = ()


@attrs.frozen
class RiskMeasured:
    """A turn's risk, measured in a turn at which the clock is not set; `next_setting` is the
    turn at whose assessment it next is (0: not before the game ends)."""

    kind: ClassVar[str] = "clock"
    risk: float
    next_setting: int


@attrs.frozen
class NuclearAccident:
    """Nuclear weapons were used by accident, on a false alarm or without authority: the
    scenario's `accidents` entry `accident` fired at the assessment, with probability `chance`."""

    kind: ClassVar[str] = "end"
    accident: str
    chance: float


@attrs.frozen
class AftermathBegan:
    """Nuclear weapons were used (`cause`: an accident's id, None: a crisis) and the scenario's
    day after begins: `turns` more turns are played before the game ends in catastrophe."""

    kind: ClassVar[str] = "end"
    cause: str | None
    turns: int


@attrs.frozen
class AftermathTurn:
    """A turn of the day after is over; `left` more are played."""

    kind: ClassVar[str] = "clock"
    left: int


@attrs.frozen
class GameOver:
    kind: ClassVar[str] = "end"
    termination: str
    condition: str | None = None


@attrs.frozen
class TrackAdjusted:
    """The facilitator set a track by hand."""

    kind: ClassVar[str] = "adjudication"
    track: str
    value: float
    reason: str


LogEvent = (Narration | TurnBegan | EventFired | ActorJoined | MovePlayed | BreachFound | AgreementSigned
            | AgreementEnded | PackageSigned | AgreementPending | RatificationFailed | TalksNews | OfferVoided
            | CrisisStarted | CrisisRoundPlayed | CrisisRungReached | CrisisEnded
            | ClockMoved | RiskMeasured | NuclearAccident | AftermathBegan | AftermathTurn | GameOver | TrackAdjusted)

# Every event type by its name: for wire forms and records that name them.
EVENT_TYPES: Mapping[str, type] = {t.__name__: t for t in LogEvent.__args__}
