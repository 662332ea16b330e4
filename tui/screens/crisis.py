"""The crisis screen: the ladder with the current rung, and the choice to back down, hold or escalate."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Static

from engine.play.table import Session
from tui import present
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape
from tui.screens.dialogs import BriefScreen


class CrisisScreen(LocalizedKeys, Screen[str]):
    """Returns the seat's choice: "back_down", "hold" or "escalate"."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Crisis")

    def __init__(self, session: Session, seat: str) -> None:
        super().__init__()
        self.session, self.seat = session, seat

    def compose(self) -> ComposeResult:
        session, lang = self.session, self.session.language
        game = session.game
        view = game.view(session.state, self.seat)
        crisis = view.crisis
        rungs = game.scenario.crisis.rungs
        with Vertical(id="crisis"):
            yield Label(f"[b]{escape(t('crisis_title', lang, names=present.names(game, crisis.participants, lang)))}[/b]"
                        f" · [b $accent]{escape(t('you_are', lang, name=session.name(self.seat)))}[/]", id="crisis-title")
            with Horizontal(id="crisis-body"):
                lines = [f"[b]{t('crisis_round', lang, round=crisis.round)}[/b]"]
                for index in range(len(rungs) - 1, -1, -1):
                    rung = rungs[index]
                    label = escape(rung.label.get(lang))
                    if index == crisis.rung:
                        lines.append(f"[b reverse $error] ▶ {label} [/] [$text-muted]risk {present.num(rung.risk)}[/]")
                    else:
                        lines.append(f"   {label} [$text-muted]risk {present.num(rung.risk)}[/]")
                yield Static("\n".join(lines), id="ladder")
                recent = [e for e in view.log if e.turn == view.turn and e.kind in ("crisis", "move", "event", "breach")]
                text = "\n".join(present.log_markup(e.kind, e.text.get(lang)) for e in recent[-8:])
                yield Static(text, id="crisis-log")
            with Horizontal(id="crisis-buttons"):
                yield Button(t("back_down", lang), id="back_down", variant="success")
                yield Button(t("hold", lang), id="hold", variant="warning")
                yield Button(t("escalate", lang), id="escalate", variant="error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#hold", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def action_brief(self) -> None:
        self.app.push_screen(BriefScreen(self.session.game, self.seat, self.session.language))
