"""A table seat played from afar, with the interface the terminal UI's game screens read from a
local Session (`game`, `state`, `language`, `view_for`, `name`, `notes_for`, `next_human`, ...).

The screens ask `game.view(state, seat)` and `game.options(state, seat)`; here `state` is a
RemoteState holding what the server sent this seat (the engine's own typed view and options, see
workshop.typed), and `game` answers those two questions from it, and everything else (the
scenario, names, dates) from the locally loaded scenario. Nothing here can see more than the seat's
view: the full game state never leaves the server."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import attrs

from engine.play.table import FACILITATOR_NAME, Note, TurnReport
from engine.rules.game import Game
from engine.rules.state import FACILITATOR, Phase
from workshop.typed import TypedError, decode


@attrs.frozen
class RemoteState:
    """One state message, as the screens read a state: the seat's view and options, and the table."""

    view: Any  # SeatView
    options: Any  # SeatOptions | FacilitatorOptions | None
    previews: Mapping
    table: Mapping
    entries: tuple[Mapping, ...]
    notes: tuple[Mapping, ...]
    received: float  # time.monotonic() when it arrived: the countdown runs from here

    @property
    def turn(self) -> int:
        return self.view.turn

    @property
    def phase(self) -> Phase:
        return self.view.phase

    @property
    def over(self) -> bool:
        return self.view.outcome is not None

    @property
    def outcome(self):
        return self.view.outcome

    @property
    def crisis(self):
        return self.view.crisis

    @property
    def active(self) -> frozenset[str]:
        return self.view.active

    @property
    def clock(self) -> float:
        return self.view.clock

    def seconds_left(self, now: float | None = None) -> float | None:
        timer = self.table.get("timer") or {}
        left = timer.get("left")
        if left is None:
            return None
        if not timer.get("running"):
            return float(left)
        return max(0.0, float(left) - ((now if now is not None else time.monotonic()) - self.received))


def state_from_message(message: Mapping, previous: RemoteState | None = None) -> RemoteState:
    """A server's state message (with the typed forms) as a RemoteState; TypedError if it is not one.

    The typed view's log holds the entries from `log_from` on: the ones before are `previous`'s
    (the server sends each client only what it has not had; an undo keeps the earlier ones)."""
    typed = message.get("typed")
    if not isinstance(typed, Mapping):
        raise TypedError("the table sent no typed view (join with typed: true)")
    view = decode(typed.get("view"))
    log_from = typed.get("log_from", 0)
    if isinstance(log_from, bool) or not isinstance(log_from, int) or log_from < 0:
        raise TypedError("the table sent a log position that is not a count")
    if log_from:
        known = previous.view.log if previous is not None else ()
        if len(known) < log_from:
            raise TypedError("the table sent the end of a log whose beginning this client does not have")
        view = attrs.evolve(view, log=(*known[:log_from], *view.log))
    return RemoteState(
        view=view,
        options=decode(typed.get("options")),
        previews=decode(typed.get("previews")) or {},
        table=message.get("table") or {},
        entries=tuple(message.get("entries") or ()),
        notes=tuple(message.get("notes") or ()),
        received=time.monotonic(),
    )


class RemoteGame:
    """The local Game for everything about the scenario; a seat's view and options from the server."""

    def __init__(self, game: Game) -> None:
        self._game = game

    def __getattr__(self, name: str) -> Any:
        return getattr(self._game, name)

    def view(self, state: RemoteState, seat: str):
        return state.view  # the only view this client has: its own seat's

    def options(self, state: RemoteState, seat: str):
        return state.options


class RemoteSession:
    """A seat at a remote table, as the game screens read a Session."""

    hot_seat = False
    resumed_inputs = None

    def __init__(self, game: Game, seat: str, language: str, names: Mapping[str, str]) -> None:
        self.game = RemoteGame(game)
        self.seat = seat
        self.language = language
        self.names = dict(names)
        self.state: RemoteState | None = None  # set by the first update
        self.turn_start: RemoteState | None = None
        self.reports: list[TurnReport] = []
        self.last_error: str | None = None
        self.seats = {s: "human" if s == seat else "remote" for s in game.seats}

    # -- from the server ------------------------------------------------------------------------------
    def update(self, message: Mapping) -> RemoteState:
        """Take a state message; a turn that ended since the last one becomes a report."""
        before = self.state
        state = state_from_message(message, before)
        if before is None or self.turn_start is None or state.turn < before.turn:
            self.turn_start = state  # the first state, or an undo took the table back
            self.reports = [r for r in self.reports if r.turn < state.turn]
        elif state.turn > before.turn or (state.over and not before.over):
            self.reports.append(TurnReport(before.turn, self.turn_start, state))  # type: ignore[arg-type]
            self.turn_start = state
        self.state = state
        return state

    @property
    def current(self) -> RemoteState:
        assert self.state is not None, "the first state arrives before any screen is shown"
        return self.state

    # -- what the screens ask --------------------------------------------------------------------------
    @property
    def humans(self) -> tuple[str, ...]:
        return (self.seat,)

    @property
    def must_act(self) -> bool:
        state = self.current
        options = state.options
        return bool(options is not None and options.must_act and not state.table.get("paused")
                    and not state.table.get("ended"))

    def next_human(self) -> str | None:
        return self.seat if self.must_act and not self.current.over else None

    def take_reports(self) -> list[TurnReport]:
        reports, self.reports = self.reports, []
        return reports

    def name(self, seat: str) -> str:
        if seat == FACILITATOR:
            return FACILITATOR_NAME.get(self.language)
        return self.names.get(seat) or self.game.actor(seat).name.get(self.language)

    def viewer(self) -> str:
        return self.seat

    def view_for(self, viewer: str, state: RemoteState | None = None):
        return (state or self.current).view

    def notes_for(self, seat: str) -> list[Note]:
        return [Note(n.get("turn", 0), n.get("seat", ""), n.get("text", ""), (), ())
                for n in self.current.notes if isinstance(n, Mapping)]

    def round_key(self) -> tuple:
        """Changes when what the seat may do changes (not when another seat submits): the screen's
        panes are reloaded only then, so a team's half-made choice is not wiped."""
        view = self.current.view
        crisis = view.crisis.round if view.crisis is not None else 0
        proposals = tuple((p.id, len(p.responses)) for p in view.proposals)
        return (view.turn, view.phase, self.must_act, crisis, proposals, view.outcome is not None)


__all__ = ["RemoteGame", "RemoteSession", "RemoteState", "state_from_message"]
