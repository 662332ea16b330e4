"""What one seat may see of a game: the only state a front end should show that seat.

Secrets are stripped here and nowhere else: tracks by their visibility, other seats' pending
inputs, proposals between others, log lines meant for others, and risk when the scenario hides it.
"""

from __future__ import annotations

import attrs

from engine.inputs import Input
from engine.scenario import Scope, Visibility
from engine.state import FACILITATOR, Agreement, Assessment, Crisis, GameState, LogEntry, Outcome, Phase, Proposal
from engine.text import Text


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
    tracks: tuple[TrackReading, ...]
    agreements: tuple[Agreement, ...]
    proposals: tuple[Proposal, ...]
    crisis: Crisis | None
    awaiting: frozenset[str]
    submitted: frozenset[str]
    own_submission: Input | None
    assessments: tuple[Assessment, ...]
    log: tuple[LogEntry, ...]
    outcome: Outcome | None

    def track(self, name: str) -> TrackReading | None:
        return next((t for t in self.tracks if t.name == name), None)


def may_see_track(scope: Scope, visibility: Visibility, seat: str, a: str | None, b: str | None) -> bool:
    if seat == FACILITATOR or visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.OWNER:
        return scope is not Scope.GLOBAL and seat in (a, b)
    return False


def visible_tracks(game, seat: str) -> list[tuple[int, tuple]]:
    """The slots `seat` may see, with their fixed reading fields (cached on the game)."""
    cache = game.__dict__.setdefault("_visible_tracks", {})
    if seat not in cache:
        layout = game.layout
        cache[seat] = [
            (slot, (layout.label(slot), track_id, track.label, track.min, track.max, a, b, track.system))
            for slot, (track_id, a, b) in enumerate(layout.keys)
            for track in (layout.tracks[track_id],)
            if may_see_track(track.scope, track.visibility, seat, a, b)
        ]
    return cache[seat]


def _positions(game, seat: str) -> dict[int, int]:
    """Slot -> its place in `seat`'s readings (cached on the game)."""
    cache = game.__dict__.setdefault("_reading_positions", {})
    if seat not in cache:
        cache[seat] = {slot: i for i, (slot, _) in enumerate(visible_tracks(game, seat))}
    return cache[seat]


class _ViewCache:
    """Per-seat memory of the last view's track readings and log, so that building views for
    consecutive states costs only what changed. Tracks change only at resolution, and the log
    only grows (each state's log is the previous one plus new entries)."""

    def __init__(self) -> None:
        self.tracks: dict[str, tuple[tuple[float, ...], tuple[TrackReading, ...]]] = {}
        self.logs: dict[str, tuple[tuple[LogEntry, ...], tuple[LogEntry, ...]]] = {}

    def readings(self, game, state: GameState, seat: str) -> tuple[TrackReading, ...]:
        cached = self.tracks.get(seat)
        tracks = state.tracks
        if cached is not None and cached[0] is tracks:
            return cached[1]
        fields = visible_tracks(game, seat)
        if cached is None:
            readings = tuple(
                TrackReading(name, track_id, label, tracks[slot], low, high, a, b, system)
                for slot, (name, track_id, label, low, high, a, b, system) in fields
            )
        else:
            # A resolution moves a few tracks only: rebuild just the readings of slots whose
            # value is not the very same float (identity, not ==, so 0.0 never stands for -0.0).
            previous, readings = cached
            positions = _positions(game, seat)
            changed = [slot for slot, (old, new) in enumerate(zip(previous, tracks)) if old is not new]
            if changed:
                readings = list(readings)
                for slot in changed:
                    at = positions.get(slot)
                    if at is not None:
                        name, track_id, label, low, high, a, b, system = fields[at][1]
                        readings[at] = TrackReading(name, track_id, label, tracks[slot], low, high, a, b, system)
                readings = tuple(readings)
        self.tracks[seat] = (tracks, readings)
        return readings

    def log(self, state: GameState, seat: str) -> tuple[LogEntry, ...]:
        log = state.log
        cached = self.logs.get(seat)
        if cached is not None:
            seen, visible = cached
            if seen is log:
                return visible
            if len(log) >= len(seen) and (not seen or log[len(seen) - 1] is seen[-1]):
                visible = visible + tuple(e for e in log[len(seen):] if e.visible_to(seat))
                self.logs[seat] = (log, visible)
                return visible
        visible = tuple(e for e in log if e.visible_to(seat))
        self.logs[seat] = (log, visible)
        return visible


def _date_of(game, turn: int) -> str:
    """`game.date_of`, memoised per turn on the game (it parses the start date each time)."""
    dates = game.__dict__.setdefault("_dates", {})
    date = dates.get(turn)
    if date is None:
        date = dates[turn] = game.date_of(turn)
    return date


def seat_view(game, state: GameState, seat: str) -> SeatView:
    if seat != FACILITATOR and seat not in game.actors:
        raise ValueError(f"no seat '{seat}'")
    cache = game.__dict__.setdefault("_view_cache", _ViewCache())
    risk_visible = game.scenario.risk.visible or seat == FACILITATOR
    assessments = state.assessments
    if not risk_visible:
        assessments = tuple(attrs.evolve(a, risk=None, factors={}) for a in assessments)
    proposals = tuple(p for p in state.proposals if seat == FACILITATOR or seat in p.parties)
    submitted = frozenset(state.submissions)
    return SeatView(
        seat=seat,
        turn=state.turn,
        turns=game.scenario.turns,
        date=_date_of(game, state.turn),
        phase=state.phase,
        clock=state.clock,
        risk=state.risk if risk_visible else None,
        active=state.active,
        tracks=cache.readings(game, state, seat),
        agreements=state.agreements,
        proposals=proposals,
        crisis=state.crisis,
        awaiting=game.awaiting(state),
        submitted=submitted,
        own_submission=state.submissions.get(seat),
        assessments=assessments,
        log=cache.log(state, seat),
        outcome=state.outcome,
    )
