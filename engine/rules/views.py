"""What one seat may see of a game: the only state a front end should show that seat.

Secrets are stripped here and nowhere else: tracks by their visibility, others' estimated tracks
by their estimates (fog: engine.rules.estimates), other seats' pending inputs, proposals between
others, log lines meant for others (and the facilitator's adjustments of values the seat may not
read exactly), and risk when the scenario hides it.
The seats are the actors, the facilitator (who sees everything) and the spectator (`SPECTATOR`:
a projector, an observer), who sees only what is public.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from math import copysign
from operator import is_not, itemgetter
from typing import cast

import attrs

from engine.errors import IllegalInput
from engine.rules.estimates import FogSlot, deviation, error_percents, errors_follow_agreements, fog_slots, rounded_estimate
from engine.rules.events import TrackAdjusted
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
from engine.scenario.models import Scope, Track, Visibility
from engine.scenario.text import Text


@attrs.frozen(repr=False)
class TrackReading:
    """One visible track value. `name` is its expression name: `tension.russia.us`.

    `error` is None when `value` is the true value; else `value` is an estimate of another
    actor's track, off by up to `error` percent (fog: engine.rules.estimates)."""

    name: str
    track: str
    label: Text
    value: float
    min: float
    max: float
    actor: str | None = None
    other: str | None = None
    system: str | None = None
    error: float | None = None

    def __repr__(self) -> str:
        # As attrs writes it, with `error` only when there is one: a reading of the true value
        # reads as it did before fog existed (benchmarks/fingerprint.py hashes views' reprs).
        shown = [f"{f.name}={getattr(self, f.name)!r}" for f in _READING_FIELDS
                 if f.name != "error" or self.error is not None]
        return f"TrackReading({', '.join(shown)})"


_READING_FIELDS = attrs.fields(TrackReading)


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
    # The day after (a scenario's `aftermath`): the turns left to play after nuclear use, this one
    # included; None before any use. Public (everyone knows), and out of the repr as above.
    day_after_left: int | None = attrs.field(default=None, repr=False)

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


def knows_track(track: Track, seat: str, a: str | None, b: str | None) -> bool:
    """Whether `seat` may read a track slot's true value: it may see it, and it is not another
    actor's estimated track (which the seat reads as an estimate)."""
    if not may_see_track(track.scope, track.visibility, seat, a, b):
        return False
    return track.estimate is None or seat == FACILITATOR or seat == a


def secret_labels(game, seat: str) -> frozenset[str]:
    """The slots (as dotted names) whose true value `seat` may not read (cached on the game)."""
    cache = game.memo.views.secret_labels
    found = cache.get(seat)
    if found is None:
        layout = game.layout
        found = cache[seat] = frozenset(
            layout.label(slot) for slot, (track_id, a, b) in enumerate(layout.keys)
            if not knows_track(layout.tracks[track_id], seat, a, b)
        )
    return found


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

    __slots__ = ("_values", "_fields", "_made", "_estimate")

    def __init__(self, values: tuple[float, ...], fields: list[tuple[int, tuple]],
                 estimate: Callable[[int], TrackReading | None] | None = None) -> None:
        self._values = values  # the state's tracks
        self._fields = fields  # visible_tracks(game, seat): each slot with its fixed fields
        self._made: list[TrackReading | None] = [None] * len(fields)
        self._estimate = estimate  # fog: the estimated reading at an index, None if not estimated

    def __len__(self) -> int:
        return len(self._fields)

    def __getitem__(self, index):  # an int or a slice, as a tuple's
        if isinstance(index, slice):
            return tuple(self)[index]
        reading = self._made[index]
        if reading is None:
            if self._estimate is not None:
                reading = self._estimate(index if index >= 0 else index + len(self._fields))
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
        # Fog (engine.rules.estimates): the estimated slots, None until first asked; per seat,
        # those it reads as estimates (position in its readings, slot); the errors of the last
        # state asked about; per seat, the last readings with estimates and what they were made from.
        self.fog: tuple[FogSlot, ...] | None = None
        self.fog_follows_agreements = False  # see estimates.errors_follow_agreements
        self.fog_order: dict[int, int] = {}  # slot -> its place in `fog` (and in the errors)
        self.errors_by_terms: dict[tuple, tuple[float, ...]] = {}
        self.fog_reads_turn = False
        self.fog_positions: dict[str, tuple[tuple[int, FogSlot], ...]] = {}
        self.fog_errors: tuple[tuple, tuple[float, ...]] | None = None
        self.fogged: dict[str, tuple[tuple, Sequence[TrackReading]]] = {}
        self.estimated: dict[tuple, TrackReading] = {}  # (seat, slot, seed, turn, value, type, error) -> reading
        self.secret_labels: dict[str, frozenset[str]] = {}
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
            readings = cached[1]
        else:
            readings = _picker(game, seat)(self._every(game, tracks))
            self.tracks[seat] = (tracks, readings)
        if not self._fog_positions(game, seat):
            return readings
        key = (readings, *self._fog_key(game, state))
        fogged = self.fogged.get(seat)
        if fogged is None or not _same_key(fogged[0], key):
            made = list(readings)
            for index, reading in self._estimates(game, state, seat).items():
                made[index] = reading
            fogged = self.fogged[seat] = (key, tuple(made))
        return cast("tuple[TrackReading, ...]", fogged[1])

    def lazy_readings(self, game, state: GameState, seat: str) -> LazyReadings:
        """The seat's readings for a lean view: the same object while the tracks (and, with fog,
        the turn and the errors) stay the same (bots remember what they worked out from it by
        its identity)."""
        cached = self.lazy_tracks.get(seat)
        tracks = state.tracks
        fog = self._fog_positions(game, seat)
        key = (tracks, *self._fog_key(game, state)) if fog else (tracks,)
        if cached is not None and _same_key(cached[0], key):
            return cached[1]
        estimate = None
        if fog:
            positions = dict(fog)
            errors = self._errors(game, state)

            def estimate(index: int) -> TrackReading | None:
                fog_slot = positions.get(index)
                return None if fog_slot is None else self._estimate(game, state, seat, index, fog_slot, errors)
        readings = LazyReadings(tracks, visible_tracks(game, seat), estimate)
        self.lazy_tracks[seat] = (key, readings)
        return readings

    # -- fog ---------------------------------------------------------------------------------
    def _fog_positions(self, game, seat: str) -> tuple[tuple[int, FogSlot], ...]:
        """Where in `seat`'s readings the slots it reads as estimates are (none for the
        facilitator, nor for the owner of a slot)."""
        found = self.fog_positions.get(seat)
        if found is None:
            if self.fog is None:
                self.fog = fog_slots(game)
                self.fog_follows_agreements = errors_follow_agreements(self.fog)
                self.fog_order = {fog.slot: i for i, fog in enumerate(self.fog)}
                self.fog_reads_turn = any("turn" in fog.track.estimate.error.names for fog in self.fog
                                          if fog.track.estimate is not None)
            by_slot = {fog.slot: fog for fog in self.fog}
            found = self.fog_positions[seat] = tuple(
                (index, by_slot[slot]) for index, (slot, _) in enumerate(visible_tracks(game, seat))
                if slot in by_slot and seat != FACILITATOR and seat != by_slot[slot].owner
            ) if by_slot else ()
        return found

    def _fog_key(self, game, state: GameState) -> tuple:
        """What the estimates depend on besides the track values: the seed, the turn, the errors."""
        return (state.seed, state.turn, self._errors(game, state))

    def _errors(self, game, state: GameState) -> tuple[float, ...]:
        """Each estimated slot's error now (the formulas read the state: agreements, tracks ...)."""
        # The state's parts a formula may read, compared by value (a transition rebuilds the
        # agreements and assessments even when they stay the same; the elements are the very
        # same objects, so comparing is quick): views for every seat and step of a turn share
        # one answer until one of them changes.
        if self.fog_follows_agreements:
            key: tuple = (state.agreements, state.active, state.turn)
        else:
            key = (state.tracks, state.agreements, state.turn, state.active, state.clock, state.risk,
                   state.crisis, state.crisis_risk, state.last_played, state.assessments)
        cached = self.fog_errors
        if cached is not None and cached[0] == key:
            return cached[1]
        assert self.fog is not None  # (set by _fog_positions, which every caller asks first)
        if self.fog_follows_agreements:
            # The same terms give the same errors in every game of a batch: remember them by
            # the templates and parties in force (not the agreements' ids or dates).
            terms = (tuple(sorted((a.template, a.parties) for a in state.agreements)), state.active,
                     state.turn if self.fog_reads_turn else None)
            errors = self.errors_by_terms.get(terms)
            if errors is None:
                if len(self.errors_by_terms) > 4096:
                    self.errors_by_terms.clear()
                errors = self.errors_by_terms[terms] = error_percents(game, state, self.fog)
        else:
            errors = error_percents(game, state, self.fog)
        self.fog_errors = (key, errors)
        return errors

    def _estimates(self, game, state: GameState, seat: str) -> dict[int, TrackReading]:
        """`seat`'s estimated readings, by their position in its readings."""
        errors = self._errors(game, state)
        return {index: self._estimate(game, state, seat, index, fog, errors)
                for index, fog in self._fog_positions(game, seat)}

    def _estimate(self, game, state: GameState, seat: str, index: int, fog: FogSlot,
                  errors: tuple[float, ...]) -> TrackReading:
        """`seat`'s reading of `fog`'s slot (at `index` in its readings), `errors` the errors now."""
        assert self.fog is not None
        slot = fog.slot
        error, value = errors[self.fog_order[slot]], state.tracks[slot]
        # (the type too: 1 == 1.0, but an error-free reading of each prints differently)
        key = (seat, slot, state.seed, state.turn, value, type(value), error)
        known = self.estimated
        reading = known.get(key)
        if reading is None:
            if len(known) > 65536:  # a long batch of games meets many values
                known.clear()
            _, (name, track_id, label, low, high, a, b, system) = visible_tracks(game, seat)[index]
            if error > 0:
                value = rounded_estimate(value, deviation(state.seed, state.turn, seat, slot), error, low, high)
            reading = known[key] = TrackReading(name, track_id, label, value, low, high, a, b, system,
                                                error if error > 0 else None)
        return reading

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

    def log(self, state: GameState, seat: str, secret: frozenset[str] = frozenset()) -> tuple[LogEntry, ...]:
        """The lines `seat` may read; `secret`: the slots whose adjustments it may not read."""
        log = state.log
        cached = self.logs.get(seat)
        if cached is not None:
            seen, visible = cached
            if seen is log:
                return visible
            if len(log) >= len(seen) and (not seen or log[len(seen) - 1] is seen[-1]):
                visible = visible + _visible(log[len(seen):], seat, secret)
                self.logs[seat] = (log, visible)
                return visible
        visible = _visible(log, seat, secret)
        self.logs[seat] = (log, visible)
        return visible

    def assessments(self, state: GameState) -> tuple[Assessment, ...]:
        """The state's assessments without risk, for seats from which the scenario hides it."""
        cached = self.hidden_assessments
        if cached is None or cached[0] is not state.assessments:
            stripped = tuple(attrs.evolve(a, risk=None, factors={}) for a in state.assessments)
            cached = self.hidden_assessments = (state.assessments, stripped)
        return cached[1]


def _visible(entries: tuple[LogEntry, ...], seat: str, secret: frozenset[str] = frozenset()) -> tuple[LogEntry, ...]:
    """The entries `seat` may read (`LogEntry.visible_to`, inlined: views test every new line),
    less the facilitator's adjustments of the `secret` slots (the line says the value set)."""
    if seat == FACILITATOR:
        return entries
    if seat == SPECTATOR:  # only the lines meant for everyone
        visible = [e for e in entries if not e.audience]
    else:
        visible = [e for e in entries if not e.audience or seat in e.audience]
    if secret:
        visible = [e for e in visible if type(e.event) is not TrackAdjusted or e.event.track not in secret]
    return tuple(visible)


def _same_key(old: tuple, new: tuple) -> bool:
    """Whether two readings keys agree: the readings or tracks by identity, the rest by value."""
    return old[0] is new[0] and old[1:] == new[1:]


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
        log=cache.log(state, seat, secret_labels(game, seat)),
        outcome=state.outcome,
        pending=state.pending,
        day_after_left=day_after_left(game.scenario, state),
    )


def day_after_left(scenario, state: GameState) -> int | None:
    """The turns of the day after left to play, the current one included (engine.rules.assessment
    ends the game after the last); None before nuclear use or once the game is over."""
    used, aftermath = state.nuclear_use, scenario.aftermath
    if used is None or aftermath is None or state.outcome is not None:
        return None
    return max(0, min(scenario.turns, used.turn + aftermath.turns) - state.turn + 1)
