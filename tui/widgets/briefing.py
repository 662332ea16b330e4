"""This turn's briefing: what the events of the turn say, at the top of the Act tab.

A scenario tells its story, and the tutorial teaches, through events that fire as a turn begins.
The log keeps them all; the briefing puts the current turn's in front of the player, where the
turn's work is, and hides itself in a turn without events.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from engine import Game
from engine.rules.events import EventFired
from engine.rules.views import SeatView
from tui import present


def briefing_lines(game: Game, view: SeatView, language: str, width: int | None = None) -> list[str]:
    """The events of the view's turn as markup lines: each title, then what it says, indented."""
    lines: list[str] = []
    for entry in view.log:
        if entry.turn == view.turn and isinstance(entry.event, EventFired):
            lines.extend(present.log_lines_markup(entry.kind, present.entry_text(game, entry, language), language, width))
            lines.extend(present.detail_markup(entry.event.detail.get(language), width))
    return lines


class TurnBriefing(VerticalScroll):
    """The current turn's events; a tall briefing scrolls within half the tab (wheel, or Tab to it and arrows)."""

    DEFAULT_CSS = """
    TurnBriefing {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        border-bottom: hkey $primary 40%;
    }
    TurnBriefing > Static {
        height: auto;
    }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Game, SeatView, str] | None = None

    def compose(self):
        yield Static(id="briefing-text")

    def show(self, game: Game, view: SeatView, language: str) -> None:
        self._shown = (game, view, language)
        self._render_briefing()
        self.scroll_home(animate=False)

    def _render_briefing(self) -> None:
        if self._shown is None:
            return
        game, view, language = self._shown
        width = self.size.width - 2 - self.styles.scrollbar_size_vertical - 1  # less padding and scrollbar
        lines = briefing_lines(game, view, language, max(width, 0))
        self.display = bool(lines)
        self.query_one("#briefing-text", Static).update("\n".join(lines))

    def on_resize(self, event: Resize) -> None:
        self._render_briefing()
