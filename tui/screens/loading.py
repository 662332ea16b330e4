"""A one-line screen shown while a scenario named on the command line loads.

`midnight play SCENARIO` paints this first and loads the rules and the scenario after the paint
(issue 15: start-up), as the start screen does; the game's own screen replaces it a moment later.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from tui.i18n import t
from tui.screens.base import AppScreen


class LoadingScreen(AppScreen[None]):
    DEFAULT_CSS = """
    LoadingScreen { align: center middle; }
    LoadingScreen #loading { width: auto; color: $text-muted; }
    """

    def __init__(self, scenario: str, language: str) -> None:
        super().__init__()
        self.scenario, self.language = scenario, language

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(f"[b]{t('start_title', self.language)}[/b]\n\n{t('loading', self.language, scenario=self.scenario)}",
                         id="loading", markup=True)
