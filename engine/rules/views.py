"""What one seat may see of a game: the only state a front end should show that seat.

Secrets are stripped here and nowhere else: tracks by their visibility, other seats' pending
inputs, proposals between others, log lines meant for others, and risk when the scenario hides it.
The seats are the actors, the facilitator (who sees everything) and the spectator (`SPECTATOR`:
a projector, an observer), who sees only what is public.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from math import copysign
from operator import is_not, itemgetter
from typing import cast

import attrs

from engine.errors import IllegalInput
from engine.rules.inputs import Input
from engine.rules.state import (
    FACILITATOR,
    SPECTATOR,
    Agreement,
    Assessment,
    Crisis,
    GameState,
    LogEntry,
    Outcome,
    Phase,
    Proposal,
)
from engine.scenario.models import Scope, Visibility
from engine.scenario.text import Text


@attrs.frozen
class TrackReading:
    """One visible track value. `name` is its expression name: `tension.russia.us`."""

    name: str
    track: str
    label: Text
    value: float
    min: float
    max: float
    actor: str | None = None
    other: str | None = None
    system: str | None = None


@attrs.frozen
class SeatView:
    seat: str
    turn: int
    turns: int
    date: str
    phase: Phase
    clock: float
    risk: float | None
    active: frozenset[str]
    tracks: Sequence[TrackReading]  # a tuple, or in a lean view (bots) readings made when read
    agreements: tuple[Agreement, ...]
    proposals: tuple[Proposal, ...]
    crisis: Crisis | None
    awaiting: frozenset[str]
    submitted: frozenset[str]
    own_submission: Input | None
    assessments: tuple[Assessment, ...]
    log: tuple[LogEntry, ...]
    outcome: Outcome | None
    # Agreements signed and awaiting ratification (public, as signatures are). Left out of the
    # repr, which benchmarks/fingerprint.py hashes: games without them read as before.
    pending: tuple[Agreement, ...] = attrs.field(default=(), repr=False)

    def track(self, name: str) -> TrackReading | None:
        return next((t for t in self.tracks if t.name == name), None)


def seats_of(game) -> tuple[str, ...]:
    """Every seat that may be asked for a view or options: the actors, the facilitator and the
    spectator ("spectator" and "facilitator" are reserved, no actor may take them)."""
    return (*game.layout.actor_ids, FACILITATOR, SPECTATOR)


def check_seat(game, seat: str) -> None:
    """Raise IllegalInput, naming the valid seats, unless `seat` is one of them."""
    if not isinstance(seat, str) or (seat not in game.actors and seat not in (FACILITATOR, SPECTATOR)):
        raise IllegalInput(f"no seat {seat!r} (seats: {', '.join(seats_of(game))})")


def may_see_track(scope: Scope, visibility: Visibility, seat: str, a: str | None, b: str | None) -> bool:
    """Whether `seat` may see a track slot (`a`, `b`: its actor and other, if any). The spectator
    sees public tracks only; an actor also its `owner` ones; the facilitator every one."""
    if seat == FACILITATOR or visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.OWNER:
        return scope is not Scope.GLOBAL and seat != SPECTATOR and seat in (a, b)
    return False


def visible_tracks(game, seat: str) -> list[tuple[int, tuple]]:
    """The slots `seat` may see, with their fixed reading fields (cached on the game)."""
    cache = game.memo.visible_tracks
    if seat not in cache:
        layout = game.layout
        cache[seat] = [
            (slot, (layout.label(slot), track_id, track.label, track.min, track.max, a, b, track.system))
            for slot, (track_id, a, b) in enumerate(layout.keys)
            for track in (layout.tracks[track_id],)
            if may_see_track(track.scope, track.visibility, seat, a, b)
        ]
    return cache[seat]


def _picker(game, seat: str):
    """A function taking the reading of every slot to `seat`'s readings, in order (cached)."""
    cache = game.memo.reading_pickers
    pick = cache.get(seat)
    if pick is None:
        slots = [slot for slot, _ in visible_tracks(game, seat)]
        if len(slots) > 1:
            pick = itemgetter(*slots)  # returns a tuple already
        else:
            pick = lambda every: tuple(every[slot] for slot in slots)
        cache[seat] = pick
    return pick


class LazyReadings(Sequence[TrackReading]):
    """A seat's readings as a lean view (bots) holds them: each made when first read. A bot reads
    a few of its fifty or so; a view's readings tuple makes every one that changed."""

    __slots__ = ("_values", "_fields", "_made")

    def __init__(self, values: tuple[float, ...], fields: list[tuple[int, tuple]]) -> None:
        self._values = values  # the state's tracks
        self._fields = fields  # visible_tracks(game, seat): each slot with its fixed fields
        self._made: list[TrackReading | None] = [None] * len(fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __getitem__(self, index):  # an int or a slice, as a tuple's
        if isinstance(index, slice):
            return tuple(self)[index]
        reading = self._made[index]
        if reading is None:
            slot, (name, track_id, label, low, high, a, b, system) = self._fields[index]
            reading = TrackReading(name, track_id, label, self._values[slot], low, high, a, b, system)
            self._made[index] = reading
        return reading

    def __iter__(self) -> Iterator[TrackReading]:
        return (self[i] for i in range(len(self._fields)))

    def __repr__(self) -> str:
        return repr(tuple(self))


# Bound on the readings remembered per slot (a long batch of games meets many values).
_READINGS_PER_SLOT = 1000


class ViewMemo:
    """Memory of the last views' track readings and logs, so that building views for consecutive
    states costs only what changed. Tracks change only at resolution, and the log only grows
    (each state's log is the previous one plus new entries).

    Readings are built once per slot and value and shared by every seat's view (and by later
    games meeting the same value): a reading is immutable, and equal readings are equal views."""

    def __init__(self) -> None:
        self.every: tuple[tuple[float, ...], list[TrackReading]] | None = None
        self.by_value: list[dict[float, TrackReading]] = []  # per slot: value -> reading
        self.tracks: dict[str, tuple[tuple[float, ...], tuple[TrackReading, ...]]] = {}
        self.lazy_tracks: dict[str, tuple[tuple[float, ...], LazyReadings]] = {}
        self.logs: dict[str, tuple[tuple[LogEntry, ...], tuple[LogEntry, ...]]] = {}
        self.hidden_assessments: tuple[tuple[Assessment, ...], tuple[Assessment, ...]] | None = None

    def readings(self, game, state: GameState, seat: str) -> tuple[TrackReading, ...]:
        cached = self.tracks.get(seat)
        tracks = state.tracks
        if cached is not None and cached[0] is tracks:
            return cached[1]
        readings = _picker(game, seat)(self._every(game, tracks))
        self.tracks[seat] = (tracks, readings)
        return readings

    def lazy_readings(self, game, state: GameState, seat: str) -> LazyReadings:
        """The seat's readings for a lean view: the same object while the tracks stay the same
        (bots remember what they worked out from it by its identity)."""
        cached = self.lazy_tracks.get(seat)
        tracks = state.tracks
        if cached is not None and cached[0] is tracks:
            return cached[1]
        readings = LazyReadings(tracks, visible_tracks(game, seat))
        self.lazy_tracks[seat] = (tracks, readings)
        return readings

    def _every(self, game, tracks: tuple[float, ...]) -> list[TrackReading]:
        """The reading of every slot for these track values."""
        every = self.every
        if every is not None and every[0] is tracks:
            return every[1]
        changed: Iterable[int]
        if every is None or len(every[0]) != len(tracks):
            # Every slot is read below: none of these Nones is left.
            readings, changed = cast("list[TrackReading]", [None] * len(tracks)), range(len(tracks))
        else:
            # A resolution moves a few tracks only: look again at just the slots whose value is
            # not the very same object.
            readings = list(every[1])
            changed = list(compress(range(len(tracks)), map(is_not, every[0], tracks)))
        fields = visible_tracks(game, FACILITATOR)  # the facilitator sees every slot, in order
        if len(self.by_value) != len(tracks):
            self.by_value = [{} for _ in tracks]
        by_value = self.by_value
        for slot in changed:
            value = tracks[slot]
            known = by_value[slot]
            reading = known.get(value)
            # Equal is not enough: 1 == 1.0 and 0.0 == -0.0, but their readings print differently.
            if reading is None or type(reading.value) is not type(value) or (
                    not value and copysign(1.0, reading.value) != copysign(1.0, value)):
                name, track_id, label, low, high, a, b, system = fields[slot][1]
                reading = TrackReading(name, track_id, label, value, low, high, a, b, system)
                if len(known) >= _READINGS_PER_SLOT:
                    known.clear()
                known[value] = reading
            readings[slot] = reading
        self.every = (tracks, readings)
        return readings

    def log(self, state: GameState, seat: str) -> tuple[LogEntry, ...]:
        log = state.log
        cached = self.logs.get(seat)
        if cached is not None:
            seen, visible = cached
            if seen is log:
                return visible
            if len(log) >= len(seen) and (not seen or log[len(seen) - 1] is seen[-1]):
                visible = visible + _visible(log[len(seen):], seat)
                self.logs[seat] = (log, visible)
                return visible
        visible = _visible(log, seat)
        self.logs[seat] = (log, visible)
        return visible

    def assessments(self, state: GameState) -> tuple[Assessment, ...]:
        """The state's assessments without risk, for seats from which the scenario hides it."""
        cached = self.hidden_assessments
        if cached is None or cached[0] is not state.assessments:
            stripped = tuple(attrs.evolve(a, risk=None, factors={}) for a in state.assessments)
            cached = self.hidden_assessments = (state.assessments, stripped)
        return cached[1]


def _visible(entries: tuple[LogEntry, ...], seat: str) -> tuple[LogEntry, ...]:
    """The entries `seat` may read (`LogEntry.visible_to`, inlined: views test every new line)."""
    if seat == FACILITATOR:
        return entries
    if seat == SPECTATOR:  # only the lines meant for everyone
        return tuple([e for e in entries if not e.audience])
    return tuple([e for e in entries if not e.audience or seat in e.audience])


def seat_view(game, state: GameState, seat: str, lean: bool = False) -> SeatView:
    """What `seat` may see of `state` (raises IllegalInput for an unknown seat). A `lean` view
    (bots) holds the same readings, each made when first read (`LazyReadings`).

    The spectator's view is the public one: public tracks, log lines meant for everyone, the
    agreements in force, the crisis, the clock, risk only when the scenario shows it, who has
    submitted but not what, and no proposals (talks are private to their parties)."""
    cache = game.memo.views
    check_seat(game, seat)
    if game.scenario.risk.visible or seat == FACILITATOR:
        risk, assessments = state.risk, state.assessments
    else:
        risk, assessments = None, cache.assessments(state)
    if seat == FACILITATOR:
        proposals = state.proposals
    elif seat == SPECTATOR:
        proposals = ()
    else:
        proposals = tuple([p for p in state.proposals if seat in p.parties])
    return SeatView(
        seat=seat,
        turn=state.turn,
        turns=game.scenario.turns,
        date=game.date_of(state.turn),
        phase=state.phase,
        clock=state.clock,
        risk=risk,
        active=state.active,
        tracks=cache.lazy_readings(game, state, seat) if lean else cache.readings(game, state, seat),
        agreements=state.agreements,
        proposals=proposals,
        crisis=state.crisis,
        awaiting=game.awaiting(state),
        submitted=frozenset(state.submissions),
        own_submission=None if seat == SPECTATOR else state.submissions.get(seat),
        assessments=assessments,
        log=cache.log(state, seat),
        outcome=state.outcome,
        pending=state.pending,
    )
