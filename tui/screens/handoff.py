"""The hot-seat hand-off: a blank screen that names the next seat and hides the previous one's choices."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape


class HandoffScreen(LocalizedKeys, Screen[None]):
    """'Pass to Russia — press Enter when ready.'"""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Hand-off, resolution")

    def __init__(self, name: str, colour: str, language: str) -> None:
        super().__init__()
        self.seat_name, self.colour, self.language = name, colour, language

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(f"[b]{escape(t('handoff', self.language, name=self.seat_name))}[/b]", id="handoff-name")
            with Center():
                yield Static(t("handoff_hint", self.language), id="handoff-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#handoff-name").styles.border = ("heavy", self.colour)

    def action_continue(self) -> None:
        self.dismiss(None)
