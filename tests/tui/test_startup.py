"""Start-up (issue 15): the first screen paints before the rules and the scenario load.

A fresh interpreter runs `midnight` (the start screen) headless and, at the first frame handed to
the terminal for a screen with widgets, writes which of Midnight's modules are loaded, then ends.
A module-level import of the rules slipped into the command line or the UI fails this test.
(benchmarks/bench_startup.py measures the time this saves.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
from textual.app import App

display = App._display

def first_paint(self, screen, renderable):
    if renderable is not None and screen.children:
        loaded = sorted(name for name in sys.modules if name.startswith(("engine", "tui", "yaml", "cattrs")))
        print(json.dumps({"screen": type(screen).__name__, "loaded": loaded}), flush=True)
        os._exit(0)
    return display(self, screen, renderable)

App._display = first_paint
run = App.run
App.run = lambda self, *args, **kwargs: run(self, *args, **{**kwargs, "headless": True})
import midnight.cli
midnight.cli.has_terminal = lambda: True
sys.exit(midnight.cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize(("argv", "screen", "module"), [
    ([], "StartScreen", "tui.screens.start"),
    (["play", "trilateral-2026", "--seed", "1"], "LoadingScreen", "tui.screens.loading"),
], ids=["start screen", "built-in scenario given"])
def test_the_first_screen_paints_before_the_rules_and_the_scenario_load(argv, screen, module):
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    first = json.loads(done.stdout.strip().splitlines()[-1])
    assert first["screen"] == screen
    loaded = set(first["loaded"])
    assert module in loaded  # the probe did see the first screen's modules
    too_early = sorted(name for name in loaded
                       if name.startswith(("engine.rules", "engine.play", "engine.bots", "engine.scenario.loading",
                                           "yaml", "cattrs")))
    assert too_early == []


async def test_a_built_in_scenario_given_loads_after_the_paint_and_the_game_begins():
    """`midnight play trilateral-2026 --seed 1`: the loading screen, then the game on seed 1 with
    the scenario's own seats (the first seat a person, the rest bots), as if loaded before."""
    from textual.widgets import TabbedContent

    from engine.play.table import BOT, HUMAN
    from tui.launch import build_app, check_arguments
    from tui.screens.game import GameScreen

    given = SimpleNamespace(scenario="trilateral-2026", seed=1, seats="", lang="en", resume=None)
    check_arguments(given)
    assert getattr(given, "checked_game", None) is None  # nothing loaded before the UI
    app = build_app(given)
    assert app.session is None
    async with app.run_test() as pilot:
        # wait until the game's screen has mounted its tabs too: leaving while it still mounts them
        # (a busy machine) makes Textual's tabs fail at shutdown, not the game
        for _ in range(100):
            await pilot.pause()
            if isinstance(app.screen, GameScreen) and app.screen.query(TabbedContent) \
                    and app.screen.query_one(TabbedContent).active == "act":
                break
        assert isinstance(app.screen, GameScreen)
        session = app.session
        assert session is not None and session.game.scenario.id == "trilateral-2026"
        assert session.state.seed == 1
        assert session.seats == {"us": HUMAN, "russia": BOT, "china": BOT}


async def test_a_scenario_that_fails_to_load_after_the_paint_ends_with_one_line():
    from tui.app import MidnightApp

    app = MidnightApp(start={"seed": 1, "load": "no-such-scenario"})
    async with app.run_test() as pilot:
        await pilot.pause()
    assert app.return_code == 1
    assert app.load_error is not None and app.load_error.startswith("midnight: ") and "\n" not in app.load_error


def test_seats_given_are_checked_before_the_ui_starts():
    """`--seats` names the scenario's seats: that command line loads the scenario first, so a typo
    is a one-line error before any screen."""
    from engine.errors import MidnightError
    from tui.launch import check_arguments

    given = SimpleNamespace(scenario="trilateral-2026", seed=1, seats="usa=bot", lang="en", resume=None)
    with pytest.raises(MidnightError, match="no seat 'usa'"):
        check_arguments(given)
