"""The projector screen: what the whole room may see of a networked table (the engine's public
view, as the server sends it to spectators): the Doomsday Clock large, the risk and what it is made
of, the turn and phase, the countdown and the public log. Read-only: no key changes the game."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Footer, Label, Static

from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape
from workshop.client import TableClient


def seconds_left(state: dict, received: float, now: float) -> float | None:
    timer = (state.get("table") or {}).get("timer") or {}
    left = timer.get("left")
    if left is None:
        return None
    return max(0.0, left - (now - received)) if timer.get("running") else float(left)


def clock_text(seconds: float) -> str:
    return f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.1f}"


def contributions(view: dict, limit: int = 8) -> list[tuple[str, float]]:
    """The latest assessment's named contributions to the risk, the largest first."""
    assessments = view.get("assessments") or []
    if not assessments:
        return []
    factors = assessments[-1].get("factors") or {}
    ranked = sorted(((name, value) for name, value in factors.items() if isinstance(value, int | float) and value),
                    key=lambda item: -abs(item[1]))
    return ranked[:limit]


class SpectatorScreen(LocalizedKeys, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("Projector")
    DEFAULT_CSS = """
    SpectatorScreen #spectator-top { height: auto; }
    SpectatorScreen #clock-box { width: 1fr; height: auto; border: heavy $error; padding: 0 2; }
    SpectatorScreen #timer-box { width: 1fr; height: auto; border: heavy $accent; padding: 0 2; }
    SpectatorScreen Digits { width: auto; }
    SpectatorScreen #risk { height: auto; padding: 0 1; }
    SpectatorScreen #public-log { height: 1fr; border: round $panel; padding: 0 1; }
    SpectatorScreen #headline { height: auto; padding: 0 1; text-style: bold; }
    """

    def __init__(self, client: TableClient, labels: dict[str, str] | None = None) -> None:
        super().__init__()
        self.client = client
        self.labels = labels or {}  # the risk factors' names in the scenario (when it is installed here)
        self.received = 0.0

    @property
    def language(self) -> str:
        """The app's UI language (the projector's labels; the table's own texts stay as sent)."""
        return getattr(self.app, "ui_language", "en")

    def compose(self) -> ComposeResult:
        yield Static(id="headline")
        with Horizontal(id="spectator-top"):
            with Vertical(id="clock-box"):
                yield Label(t("projector_clock", self.language))
                yield Digits("", id="clock")
            with Vertical(id="timer-box"):
                yield Label(t("projector_timer", self.language))
                yield Digits("", id="countdown")
        yield Static(id="risk")
        with VerticalScroll(id="public-log"):
            yield Static(id="log")
        yield Footer()

    def on_mount(self) -> None:
        if self.client.state is not None:
            self.table_changed(self.client.state)
        self.set_interval(1.0, self._tick)

    def table_changed(self, state: dict) -> None:
        self.received = time.monotonic()
        view = state["view"]
        table = state.get("table") or {}
        title = (self.client.welcome.get("scenario") or {}).get("title", "")
        lang = self.language
        phase = view["phase"].upper() if lang == "en" else t(f"phase.{view['phase']}", lang)
        status = f"{escape(title)} · {t('projector_turn', lang, turn=view['turn'], turns=view['turns'])} · " \
                 f"{escape(view['date'])} · {escape(phase)}"
        if table.get("paused"):
            status += f" · {t('table_paused', lang)}"
        if table.get("ended"):
            status += f" · {escape(t('table_ended', lang, why=str(table['ended'])))}"
        if view.get("outcome"):
            status += f" · {t('table_game_over', lang)}"
        self.query_one("#headline", Static).update(status)
        self.query_one("#clock", Digits).update(clock_text(view["clock"]))
        lines = []
        if view.get("risk") is None:
            lines.append(t("projector_risk_hidden", self.language))
        else:
            parts = contributions(view)
            risk = t("fac_risk", lang, risk=f"{view['risk']:.1f}")
            lines.append(f"[b]{risk}[/b]" + (t("projector_made_of", lang) if parts else ""))
            for name, value in parts:
                label = self.labels.get(name) or name.replace("_", " ")
                lines.append(escape(t("projector_part", lang, name=label, value=f"{value:+.1f}")))
        waiting = [self.client.welcome.get("seats", {}).get(s, s) for s in view.get("awaiting", [])
                   if s not in view.get("submitted", [])]
        if waiting and not view.get("outcome"):
            lines.append(escape(t("projector_waiting", lang, who=t("list_separator", lang).join(waiting))))
        self.query_one("#risk", Static).update("\n".join(lines))
        log = [f"[dim]{escape(t('turn_short', lang, turn=e['turn']))}[/dim] {escape(str(e['text']))}"
               for e in view.get("log", [])[-60:]]
        for entry in (state.get("entries") or [])[-10:]:
            if not entry.get("to"):
                log.append(f"[b]{t('fac_table_entry', lang)}{t('fac_colon', lang)}[/b] {escape(entry['text'])}")
        self.query_one("#log", Static).update("\n".join(log))
        self.query_one("#public-log", VerticalScroll).scroll_end(animate=False)
        self._tick()

    def _tick(self) -> None:
        state = self.client.state
        if state is None:
            return
        left = seconds_left(state, self.received, time.monotonic())
        text = "--:--" if left is None else f"{int(left + 0.999) // 60}:{int(left + 0.999) % 60:02d}"
        self.query_one("#countdown", Digits).update(text)

