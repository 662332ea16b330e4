"""The facilitator console of a networked table (joined with the facilitator's code).

It shows everything (the engine's facilitator view, as the server sends it), which seats have
submitted in this phase (never what: the engine's views keep that until the reveal), who plays
each seat and who is connected, the countdown, and the table's log. Its keys run the exercise:
the clock (start, stop, extend), inject an event, adjust a track with a reason, undo the last
resolution with a reason, hand a seat to a bot or back, message a seat or all, pause and go on,
end the game, save the record. Each action goes to the server, which logs it and records it."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from engine.bots import persona_names
from engine.scenario.safe_text import printable
from tui.keys import LocalizedKeys, bindings
from tui.present import escape
from tui.screens.spectator import seconds_left
from workshop.client import TableClient, TableError

# A form field: ("select", id, label, [(shown, value), ...]) or ("input", id, label, placeholder)
Field = tuple


class FormDialog(ModalScreen[dict | None]):
    """A small form: selects and text fields; Enter on the last field or OK returns their values."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog #form { width: 72; height: auto; max-height: 90%; border: round $accent; padding: 1 2; background: $surface; }
    FormDialog Input, FormDialog Select { margin-bottom: 1; }
    FormDialog #form-buttons { height: auto; }
    """

    def __init__(self, title: str, fields: list[Field]) -> None:
        super().__init__()
        self.title_text, self.fields = title, fields

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(f"[b]{escape(self.title_text)}[/b]")
            for kind, field_id, label, extra in self.fields:
                yield Label(label)
                if kind == "select":
                    yield Select(extra, id=field_id, allow_blank=False, compact=True)
                else:
                    yield Input(placeholder=extra, id=field_id)
            with Horizontal(id="form-buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        first = self.query("Select, Input").first()
        first.focus()

    def values(self) -> dict:
        result = {}
        for _kind, field_id, _label, _extra in self.fields:
            widget = self.query_one(f"#{field_id}")
            value = widget.value  # type: ignore[attr-defined]
            result[field_id] = None if value is Select.BLANK else value
        return result

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.dismiss(self.values())
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.values() if event.button.id == "ok" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FacilitatorScreen(LocalizedKeys, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("Facilitator console")
    DEFAULT_CSS = """
    FacilitatorScreen #fac-status { height: auto; padding: 0 1; background: $panel; }
    FacilitatorScreen #fac-body { height: 1fr; }
    FacilitatorScreen #fac-left { width: 1fr; }
    FacilitatorScreen #fac-seats { height: auto; max-height: 12; }
    FacilitatorScreen #fac-tracks { height: 1fr; }
    FacilitatorScreen #fac-log-box { width: 1fr; border: round $panel; padding: 0 1; }
    """

    def __init__(self, client: TableClient) -> None:
        super().__init__()
        self.client = client
        self.received = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Static(id="fac-status")
        with Horizontal(id="fac-body"):
            with Vertical(id="fac-left"):
                yield Label("[b]Seats[/b] (who has submitted this phase; never what)")
                yield DataTable(id="fac-seats", show_cursor=False)
                yield Label("[b]Tracks[/b] (every value: the facilitator sees everything)")
                yield DataTable(id="fac-tracks", show_cursor=False, zebra_stripes=True)
            with VerticalScroll(id="fac-log-box"):
                yield Static(id="fac-log")
        yield Footer()

    def on_mount(self) -> None:
        seats = self.query_one("#fac-seats", DataTable)
        seats.add_columns("Seat", "Played by", "Connected", "This phase")
        tracks = self.query_one("#fac-tracks", DataTable)
        tracks.add_columns("Track", "Value", "Range")
        if self.client.state is not None:
            self.table_changed(self.client.state)
        self.set_interval(1.0, self._status)

    # -- what the server sent ----------------------------------------------------------------------------
    def table_changed(self, state: dict) -> None:
        self.received = time.monotonic()
        view, table = state["view"], state.get("table") or {}
        names = self.client.welcome.get("seats") or {}
        seats = self.query_one("#fac-seats", DataTable)
        seats.clear()
        for seat, name in names.items():
            if seat in view.get("submitted", []):
                phase = "✓ submitted"
            elif seat in view.get("awaiting", []):
                phase = "… waiting"
            else:
                phase = "—"
            connected = "yes" if seat in table.get("connected", []) else "no"
            seats.add_row(f"{name} ({seat})", table.get("seats", {}).get(seat, "?"), connected, phase)
        tracks = self.query_one("#fac-tracks", DataTable)
        tracks.clear()
        for name, track in (view.get("tracks") or {}).items():
            tracks.add_row(name, f"{track['value']:g}", f"{track['min']:g}–{track['max']:g}")
        lines = [f"[dim]T{e['turn']}[/dim] {escape(str(e['text']))}" for e in view.get("log", [])[-80:]]
        for entry in (state.get("entries") or [])[-30:]:
            to = f" → {', '.join(entry['to'])}" if entry.get("to") else ""
            lines.append(f"[b]Table{escape(to)}:[/b] {escape(entry['text'])}")
        self.query_one("#fac-log", Static).update("\n".join(lines))
        self.query_one("#fac-log-box", VerticalScroll).scroll_end(animate=False)
        self._status()

    def _status(self) -> None:
        state = self.client.state
        if state is None:
            return
        view, table = state["view"], state.get("table") or {}
        left = seconds_left(state, self.received, time.monotonic())
        clock = "no timer" if left is None else f"{int(left + 0.999) // 60}:{int(left + 0.999) % 60:02d}"
        clock += " (running)" if (table.get("timer") or {}).get("running") else " (stopped)"
        parts = [f"[b]Facilitator[/b] · Turn {view['turn']}/{view['turns']} · {escape(view['phase'])}",
                 f"Clock {view['clock']:.1f} s", f"Risk {view['risk']:.1f}" if view.get("risk") is not None else "",
                 f"Phase time {clock}", f"{table.get('spectators', 0)} watching", f"{table.get('inputs', 0)} inputs recorded"]
        if table.get("paused"):
            parts.append("[b $error]PAUSED[/]")
        if table.get("ended"):
            parts.append(f"ENDED: {escape(str(table['ended']))}")
        if view.get("outcome"):
            parts.append("GAME OVER")
        self.query_one("#fac-status", Static).update(" · ".join(p for p in parts if p))

    # -- actions ---------------------------------------------------------------------------------------
    def send(self, action: str, **params) -> None:
        async def go() -> None:
            try:
                await self.client.facilitate(action, timeout=30, **params)
            except TableError as error:
                self.notify(printable(error), title="Not done", severity="error", markup=False)
                return
            self.notify(f"Done: {action.replace('_', ' ')}", timeout=3)

        self.run_worker(go(), group="facilitate")

    def ask(self, title: str, fields: list[Field], then) -> None:
        def answered(values: dict | None) -> None:
            if values is not None:
                then(values)

        self.app.push_screen(FormDialog(title, fields), answered)

    def _seats(self, everyone: str | None = None) -> list[tuple[str, str]]:
        names = self.client.welcome.get("seats") or {}
        options = [(f"{name} ({seat})", seat) for seat, name in names.items()]
        return ([(everyone, "")] if everyone else []) + options

    def action_timer_start(self) -> None:
        self.ask("Start the clock", [("input", "seconds", "Seconds for this phase (empty: the phase's own length)", "600")],
                 lambda v: self.send("timer_start", **({"seconds": _number(v["seconds"])} if v["seconds"] else {})))

    def action_timer_pause(self) -> None:
        self.send("timer_pause")

    def action_timer_extend(self) -> None:
        self.ask("Give more time", [("input", "seconds", "Seconds to add", "120")],
                 lambda v: self.send("timer_extend", seconds=_number(v["seconds"] or "120")))

    def action_inject(self) -> None:
        options = self.client.options or {}
        events = [(f"{e['title']}{' (fired)' if e['fired'] else ''}", e["id"]) for e in options.get("events", [])]
        if not events:
            self.notify("This scenario has no events to inject.")
            return
        self.ask("Inject an event", [("select", "event", "Event", events),
                                     ("input", "reason", "Reason (goes into the log and the record)", "why now")],
                 lambda v: self.send("inject", event=v["event"], reason=v["reason"]))

    def action_adjust(self) -> None:
        options = self.client.options or {}
        tracks = options.get("tracks", {})
        choices = [(f"{name} = {t['value']:g} ({t['min']:g}–{t['max']:g})", name) for name, t in tracks.items()]
        if not choices:
            return

        def adjust(v: dict) -> None:
            track = tracks[v["track"]]
            params = {"track": track["track"], "value": _number(v["value"]), "reason": v["reason"]}
            for key in ("actor", "other"):
                if track.get(key):
                    params[key] = track[key]
            self.send("adjust", **params)

        self.ask("Adjust a track", [("select", "track", "Track", choices), ("input", "value", "New value", "50"),
                                    ("input", "reason", "Reason (required: it goes into the log)", "adjudication")],
                 adjust)

    def action_undo(self) -> None:
        self.ask("Undo the last resolution", [("input", "reason", "Reason (required: it goes into the log)", "why")],
                 lambda v: self.send("undo", reason=v["reason"]))

    def action_hand_over(self) -> None:
        self.ask("Hand a seat over", [("select", "seat", "Seat", self._seats()),
                                      ("select", "to", "To", [("its team", "team"), ("its bot", "bot"),
                                                              *((f"bot: {p}", p) for p in persona_names())])],
                 lambda v: self.send("hand_over", seat=v["seat"], to=v["to"]))

    def action_message(self) -> None:
        self.ask("Send a message", [("select", "to", "To", self._seats("every seat")),
                                    ("input", "text", "Message", "Ten minutes left in this phase")],
                 lambda v: self.send("message", text=v["text"], **({"to": v["to"]} if v["to"] else {})))

    def action_pause(self) -> None:
        paused = (self.client.state or {}).get("table", {}).get("paused")
        self.send("go_on" if paused else "pause")

    def action_end(self) -> None:
        self.ask("End the game", [("input", "reason", "Reason (shown to everyone)", "time for the debrief")],
                 lambda v: self.send("end", reason=v["reason"]))

    def action_save(self) -> None:
        self.send("save")


def _number(text: str) -> float | str:
    try:
        return float(text)
    except (TypeError, ValueError):
        return text  # the server says what is wrong with it
