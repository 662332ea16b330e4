"""Start-up (issue 15): the start screen paints before the rules and the scenario load.

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
sys.exit(midnight.cli.main([]))
"""


def test_the_start_screen_paints_before_the_rules_and_the_scenario_load():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    first = json.loads(done.stdout.strip().splitlines()[-1])
    assert first["screen"] == "StartScreen"
    loaded = set(first["loaded"])
    assert "tui.screens.start" in loaded  # the probe did see the start screen's modules
    too_early = sorted(name for name in loaded
                       if name.startswith(("engine.rules", "engine.play", "engine.bots", "engine.scenario.loading",
                                           "yaml", "cattrs")))
    assert too_early == []
