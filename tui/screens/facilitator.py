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
from tui.i18n import t
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
            language = getattr(self.app, "ui_language", "en")
            with Horizontal(id="form-buttons"):
                yield Button(t("fac_ok", language), id="ok", variant="primary")
                yield Button(t("cancel", language), id="cancel")

    def on_mount(self) -> None:
        first = self.query("Select, Input").first()
        first.focus()

    def values(self) -> dict:
        result = {}
        for _kind, field_id, _label, _extra in self.fields:
            widget = self.query_one(f"#{field_id}")
            value = widget.value  # type: ignore[attr-defined]
            result[field_id] = None if value is Select.NULL or value is Select.BLANK else value  # no choice made
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

    @property
    def language(self) -> str:
        """The app's UI language (the console's own words; the table's texts come as the server sends them)."""
        return getattr(self.app, "ui_language", "en")

    def word(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)

    def compose(self) -> ComposeResult:
        yield Static(id="fac-status")
        with Horizontal(id="fac-body"):
            with Vertical(id="fac-left"):
                yield Label(self.word("fac_seats"))
                yield DataTable(id="fac-seats", show_cursor=False)
                yield Label(self.word("fac_tracks"))
                yield DataTable(id="fac-tracks", show_cursor=False, zebra_stripes=True)
            with VerticalScroll(id="fac-log-box"):
                yield Static(id="fac-log")
        yield Footer()

    def on_mount(self) -> None:
        seats = self.query_one("#fac-seats", DataTable)
        seats.add_columns(*(self.word(k) for k in ("fac_col_seat", "fac_col_played_by", "fac_col_connected", "fac_col_phase")))
        tracks = self.query_one("#fac-tracks", DataTable)
        tracks.add_columns(*(self.word(k) for k in ("fac_col_track", "fac_col_value", "fac_col_range")))
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
                phase = self.word("fac_submitted")
            elif seat in view.get("awaiting", []):
                phase = self.word("fac_waiting")
            else:
                phase = "—"
            connected = self.word("fac_yes" if seat in table.get("connected", []) else "fac_no")
            seats.add_row(self._seat_name(seat, name), self._played_by(table.get("seats", {}).get(seat, "?")),
                          connected, phase)
        tracks = self.query_one("#fac-tracks", DataTable)
        tracks.clear()
        for name, track in (view.get("tracks") or {}).items():
            tracks.add_row(self._track_name(name, track), f"{track['value']:g}", f"{track['min']:g}–{track['max']:g}")
        lines = [f"[dim]{escape(self.word('turn_short', turn=e['turn']))}[/dim] {escape(str(e['text']))}"
                 for e in view.get("log", [])[-80:]]
        for entry in (state.get("entries") or [])[-30:]:
            to = f" → {self.word('list_separator').join(entry['to'])}" if entry.get("to") else ""
            lines.append(f"[b]{escape(self.word('fac_table_entry') + to)}{self.word('fac_colon')}[/b] {escape(entry['text'])}")
        self.query_one("#fac-log", Static).update("\n".join(lines))
        self.query_one("#fac-log-box", VerticalScroll).scroll_end(animate=False)
        self._status()

    def _seat_name(self, seat: str, name: str) -> str:
        """A seat as the console lists it: its name, and its id in English (what `--seats` takes)."""
        return f"{name} ({seat})" if self.language == "en" else name

    def _played_by(self, who: str) -> str:
        if self.language == "en" or who == "?":
            return who
        if who in ("team", "bot"):
            return self.word(f"fac_played_{who}")
        return self.word("bot_persona", persona=who)

    def _track_name(self, name: str, track: dict) -> str:
        """A track as the console lists it: its name in formulas in English (budget.china), its
        label and whose it is in another language (预算（中国）)."""
        if self.language == "en" or not track.get("label"):
            return name
        names = self.client.welcome.get("seats") or {}
        whose = [names.get(track[key], track[key]) for key in ("actor", "other") if track.get(key)]
        return f"{track['label']}（{'–'.join(whose)}）" if whose else str(track["label"])

    def _phase(self, phase: str) -> str:
        return phase if self.language == "en" else self.word(f"phase.{phase}")

    def _status(self) -> None:
        state = self.client.state
        if state is None:
            return
        view, table = state["view"], state.get("table") or {}
        left = seconds_left(state, self.received, time.monotonic())
        clock = self.word("no_timer") if left is None else f"{int(left + 0.999) // 60}:{int(left + 0.999) % 60:02d}"
        clock += self.word("fac_running" if (table.get("timer") or {}).get("running") else "fac_stopped")
        risk = self.word("fac_risk", risk=f"{view['risk']:.1f}") if view.get("risk") is not None else ""
        parts = [f"[b]{self.word('fac_facilitator')}[/b] · {self.word('turn', turn=view['turn'], turns=view['turns'])}"
                 f" · {escape(self._phase(view['phase']))}",
                 self.word("fac_clock", clock=f"{view['clock']:.1f}"), risk,
                 self.word("status_phase_time", time=clock), self.word("fac_watching", n=table.get("spectators", 0)),
                 self.word("fac_inputs", n=table.get("inputs", 0))]
        if table.get("paused"):
            parts.append(f"[b $error]{self.word('table_paused')}[/]")
        if table.get("ended"):
            parts.append(escape(self.word("table_ended", why=str(table["ended"]))))
        if view.get("outcome"):
            parts.append(self.word("table_game_over"))
        self.query_one("#fac-status", Static).update(" · ".join(p for p in parts if p))

    # -- actions ---------------------------------------------------------------------------------------
    def send(self, action: str, **params) -> None:
        async def go() -> None:
            try:
                await self.client.facilitate(action, timeout=30, **params)
            except TableError as error:
                self.notify(printable(error), title=self.word("fac_not_done"), severity="error", markup=False)
                return
            self.notify(self.word("fac_done", what=self.word(f"fac_action.{action}")), timeout=3, markup=False)

        self.run_worker(go(), group="facilitate")

    def ask(self, title: str, fields: list[Field], then) -> None:
        def answered(values: dict | None) -> None:
            if values is not None:
                then(values)

        self.app.push_screen(FormDialog(title, fields), answered)

    def _seats(self, everyone: str | None = None) -> list[tuple[str, str]]:
        names = self.client.welcome.get("seats") or {}
        options = [(self._seat_name(seat, name), seat) for seat, name in names.items()]
        return ([(everyone, "")] if everyone else []) + options

    def action_timer_start(self) -> None:
        self.ask(self.word("fac_timer_title"), [("input", "seconds", self.word("fac_timer_seconds"), "600")],
                 lambda v: self.send("timer_start", **({"seconds": _number(v["seconds"])} if v["seconds"] else {})))

    def action_timer_pause(self) -> None:
        self.send("timer_pause")

    def action_timer_extend(self) -> None:
        self.ask(self.word("fac_extend_title"), [("input", "seconds", self.word("fac_extend_seconds"), "120")],
                 lambda v: self.send("timer_extend", seconds=_number(v["seconds"] or "120")))

    def action_inject(self) -> None:
        options = self.client.options or {}
        events = [(f"{e['title']}{self.word('fac_fired') if e['fired'] else ''}", e["id"])
                  for e in options.get("events", [])]
        if not events:
            self.notify(self.word("fac_no_events"))
            return
        self.ask(self.word("fac_inject_title"), [("select", "event", self.word("fac_event"), events),
                                                 ("input", "reason", self.word("fac_reason_logged"), self.word("fac_why_now"))],
                 lambda v: self.send("inject", event=v["event"], reason=v["reason"]))

    def action_adjust(self) -> None:
        options = self.client.options or {}
        tracks = options.get("tracks", {})
        choices = [(f"{self._track_name(name, track)} = {track['value']:g} ({track['min']:g}–{track['max']:g})", name)
                   for name, track in tracks.items()]
        if not choices:
            return

        def adjust(v: dict) -> None:
            track = tracks[v["track"]]
            params = {"track": track["track"], "value": _number(v["value"]), "reason": v["reason"]}
            for key in ("actor", "other"):
                if track.get(key):
                    params[key] = track[key]
            self.send("adjust", **params)

        self.ask(self.word("fac_adjust_title"),
                 [("select", "track", self.word("fac_track"), choices), ("input", "value", self.word("fac_new_value"), "50"),
                  ("input", "reason", self.word("fac_reason_required"), self.word("fac_adjudication"))],
                 adjust)

    def action_undo(self) -> None:
        self.ask(self.word("fac_undo_title"), [("input", "reason", self.word("fac_reason_required"), self.word("fac_why"))],
                 lambda v: self.send("undo", reason=v["reason"]))

    def action_hand_over(self) -> None:
        to = [(self.word("fac_its_team"), "team"), (self.word("fac_its_bot"), "bot"),
              *((self.word("bot_persona", persona=p), p) for p in persona_names())]
        self.ask(self.word("fac_hand_title"), [("select", "seat", self.word("fac_seat"), self._seats()),
                                               ("select", "to", self.word("fac_to"), to)],
                 lambda v: self.send("hand_over", seat=v["seat"], to=v["to"]))

    def action_message(self) -> None:
        self.ask(self.word("fac_message_title"), [("select", "to", self.word("fac_to"), self._seats(self.word("fac_every_seat"))),
                                                  ("input", "text", self.word("fac_message"), self.word("fac_message_example"))],
                 lambda v: self.send("message", text=v["text"], **({"to": v["to"]} if v["to"] else {})))

    def action_pause(self) -> None:
        paused = (self.client.state or {}).get("table", {}).get("paused")
        self.send("go_on" if paused else "pause")

    def action_end(self) -> None:
        self.ask(self.word("fac_end_title"), [("input", "reason", self.word("fac_reason_shown"), self.word("fac_end_example"))],
                 lambda v: self.send("end", reason=v["reason"]))

    def action_save(self) -> None:
        self.send("save")


def _number(text: str) -> float | str:
    try:
        return float(text)
    except (TypeError, ValueError):
        return text  # the server says what is wrong with it
