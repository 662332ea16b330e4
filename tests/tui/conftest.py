"""Helpers for the UI tests: build apps on the rules fixture, read what a screen shows, play by keys."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
RULES = str(ROOT / "tests" / "fixtures" / "rules.yaml")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests in a fresh event loop (no async plugin needed)."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None


@pytest.fixture(autouse=True)
def midnight_home(tmp_path, monkeypatch):
    """Saves go to a temporary MIDNIGHT_HOME, never the tester's own."""
    home = tmp_path / "midnight-home"
    monkeypatch.setenv("MIDNIGHT_HOME", str(home))
    return home


def args(scenario=RULES, seed=3, seats="red=human", lang="en", resume=None):
    return SimpleNamespace(scenario=scenario, seed=seed, seats=seats, lang=lang, resume=resume)


def make_app(**kwargs):
    from tui.launch import build_app

    return build_app(args(**kwargs))


def shown(app) -> str:
    """The plain text of every visible Static-like widget and option on the current screen."""
    from textual.content import Content
    from textual.widgets import DataTable, Label, OptionList, Static

    parts = []
    for widget in app.screen.query("*"):
        if not all(node.display for node in widget.ancestors_with_self if hasattr(node, "display")):
            continue
        if isinstance(widget, Static | Label):
            parts.append(str(widget.visual))
        elif isinstance(widget, DataTable):
            for row in range(widget.row_count):
                parts.append(" ".join(str(cell) for cell in widget.get_row_at(row)))
        elif isinstance(widget, OptionList):
            for option in widget.options:
                prompt = option.prompt
                parts.append(Content.from_markup(prompt).plain if isinstance(prompt, str) else str(prompt))
    return "\n".join(parts)


async def play_to_end(pilot, choose=None, max_steps=400):
    """Press keys until the end screen: `d` submits the default in the game screen, Enter goes on,
    `2` holds in a crisis. `choose(pilot)` may act first on each game screen (returns True if it did)."""
    from tui.screens.crisis import CrisisScreen
    from tui.screens.end import EndScreen
    from tui.screens.game import GameScreen
    from tui.screens.handoff import HandoffScreen
    from tui.screens.resolution import ResolutionScreen

    app = pilot.app
    for _ in range(max_steps):
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, EndScreen):
            return screen
        if isinstance(screen, ResolutionScreen | HandoffScreen):
            await pilot.press("enter")
        elif isinstance(screen, CrisisScreen):
            await pilot.press("2")
        elif isinstance(screen, GameScreen):
            if choose is not None:
                await choose(pilot)
            await pilot.press("d")
        else:
            raise AssertionError(f"unexpected screen {screen!r}")
    raise AssertionError("the game did not end")


async def provoke_a_crisis(app, pilot) -> None:
    """From the start of a game on the rules fixture: skip the talks, then play Provoke, which
    puts Red and Blue in a crisis (the app then shows the crisis screen)."""
    from engine import Phase

    while app.session.state.phase is not Phase.DECIDE:
        await pilot.press("d")
        await pilot.pause()
    moves = app.screen.query_one("#moves")
    moves.highlighted = moves.get_option_index("provoke")
    await pilot.press("space", "d")
    await pilot.pause()
