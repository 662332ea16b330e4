"""The event log: what this seat has seen happen, with bots' reasons once they may be told."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Resize, Show
from textual.widgets import Static

from engine import Game
from engine.rules.citations import source_number, source_of
from engine.rules.events import EventFired
from engine.rules.views import SeatView
from tui import present
from tui.i18n import t


def log_lines(game: Game, view: SeatView, notes, language: str, width: int | None = None) -> list[str]:
    """The view's log as markup lines, each turn's bot reasons after that turn's entries.

    An event's line is its title; what the event says (a tutorial's lesson, a scenario's story)
    follows it, indented, in `language` (wrapped to `width` cells when given)."""
    by_turn: dict[int, list] = {}
    for note in notes:
        by_turn.setdefault(note.turn, []).append(note)
    lines: list[str] = []

    def flush(turn: int) -> None:
        for note in by_turn.pop(turn, []):
            who = present.actor_name(game, note.seat, language)
            said = f"{who}{t('colon', language)}{present.bot_reason(game, note.text, language)}"
            lines.extend(present.log_lines_markup("why", said, language, width))

    current = None
    for entry in view.log:
        if current is not None and entry.turn != current:
            flush(current)
        current = entry.turn
        text = present.entry_text(game, entry, language)
        number = source_number(game.scenario, source_of(game, entry.event))
        if number is not None:  # the source this line's move, event or agreement cites (`s`: the list)
            text += f" [{number}]"
        lines.extend(present.log_lines_markup(entry.kind, text, language, width))
        if isinstance(entry.event, EventFired):
            lines.extend(present.detail_markup(entry.event.detail.get(language), width))
    for turn in sorted(by_turn):
        flush(turn)
    return lines


class GameLog(VerticalScroll):
    """The log of the game as `view` shows it, newest at the bottom."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[Game, SeatView, object, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="log-text")

    def show(self, game: Game, view: SeatView, notes, language: str) -> None:
        self._shown = (game, view, notes, language)
        self._render_log()
        self.call_after_refresh(self.scroll_end, animate=False)

    def _render_log(self) -> None:
        if self._shown is None:
            return
        # the cells a line has: the log's width less its scrollbar (0 before the first layout: unwrapped)
        game, view, notes, language = self._shown
        width = self.size.width - self.styles.scrollbar_size_vertical - 1
        self.query_one("#log-text", Static).update("\n".join(log_lines(game, view, notes, language, max(width, 0))))

    def on_resize(self, event: Resize) -> None:
        self._render_log()

    def on_show(self, event: Show) -> None:
        # shown while its tab was hidden, the log could not scroll: the newest lines (this turn's
        # events, what a player opens the log for) come into sight when the tab does
        self.call_after_refresh(self.scroll_end, animate=False)
