"""The event log: what this seat has seen happen, with bots' reasons once they may be told."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from engine import Game
from engine.rules.views import SeatView
from tui import present


def log_lines(game: Game, view: SeatView, notes, language: str) -> list[str]:
    """The view's log as markup lines, each turn's bot reasons after that turn's entries."""
    by_turn: dict[int, list] = {}
    for note in notes:
        by_turn.setdefault(note.turn, []).append(note)
    lines: list[str] = []

    def flush(turn: int) -> None:
        for note in by_turn.pop(turn, []):
            who = present.actor_name(game, note.seat, language)
            lines.append(present.log_markup("why", f"{who}: {note.text}"))

    current = None
    for entry in view.log:
        if current is not None and entry.turn != current:
            flush(current)
        current = entry.turn
        lines.append(present.log_markup(entry.kind, entry.text.get(language)))
    for turn in sorted(by_turn):
        flush(turn)
    return lines


class GameLog(VerticalScroll):
    """The log of the game as `view` shows it, newest at the bottom."""

    def compose(self) -> ComposeResult:
        yield Static(id="log-text")

    def show(self, game: Game, view: SeatView, notes, language: str) -> None:
        self.query_one("#log-text", Static).update("\n".join(log_lines(game, view, notes, language)))
        self.call_after_refresh(self.scroll_end, animate=False)
