"""Start-up: how long `midnight play` takes to reach its first screen, beside a one-widget Textual app.

    uv run python benchmarks/bench_startup.py [--runs 15]

Four programs are started as fresh processes, one after the other in turn (so a busy spell on the
machine falls on all three alike), and each stops as soon as its first screen is up:

- `baseline`: a Textual app with one Static widget (the least a Textual program costs);
- `start screen`: what `midnight` alone runs (the start screen);
- `scenario given`: what `midnight play trilateral-2026` runs, to its first screen (a loading line:
  a built-in scenario loads after the first paint);
- `... game screen`: the same command, to the game's own screen (what the player waits for to play).

The two Midnight programs go through `midnight.cli.main`, as the command does, with the app run
headless; every program ends at its first paint (see FIRST_PAINT), so nothing but the exit differs
from a player's start. Figures: the median wall time
and the median CPU time (user + system of the child, which other work on the machine does not
inflate), and each program's median ratio to the baseline. Issue 15 asks for at most 1.5x.
Not a test: run it and quote the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Both kinds of program stop at their first paint: the first frame the compositor hands over for
# a screen with widgets on it (an app's empty default screen, painted before a screen is pushed,
# does not count). The frame is rendered to terminal text as a terminal would get it, then the
# process ends at once, so what is measured is everything up to the first screen a player sees.
FIRST_PAINT = """
import os
from textual.app import App
from textual._compositor import CompositorUpdate

display = App._display

WANTED = os.environ.get("FIRST_SCREEN")  # a screen class to wait for (else the first with widgets)

def first_paint_then_exit(self, screen, renderable):
    if renderable is not None and screen.children and WANTED in (None, type(screen).__name__):
        if isinstance(renderable, CompositorUpdate):
            renderable.render_segments(self.console)
        os._exit(0)
    return display(self, screen, renderable)

App._display = first_paint_then_exit
"""

BASELINE = FIRST_PAINT + """
from textual.app import App
from textual.widgets import Static

class One(App):
    def compose(self):
        yield Static("one widget")

One().run(headless=True)
"""

# midnight.cli.main as the command runs it, the app headless (no terminal to draw into).
MIDNIGHT = FIRST_PAINT + """
import sys

run = App.run

def headless(self, *args, **kwargs):
    return run(self, *args, **{**kwargs, "headless": True})

App.run = headless
import midnight.cli
midnight.cli.has_terminal = lambda: True
sys.exit(midnight.cli.main(sys.argv[1:]))
"""

# name: (the screen class whose first paint ends the run, or None: the first screen with widgets;
#        the program and its arguments)
PROGRAMS: dict[str, tuple[str | None, list[str]]] = {
    "baseline": (None, [BASELINE]),
    "start screen": (None, [MIDNIGHT]),
    "scenario given": (None, [MIDNIGHT, "play", "trilateral-2026", "--seed", "1"]),
    # the same command to the game's own screen (the scenario loads after the loading screen's paint)
    "... game screen": ("GameScreen", [MIDNIGHT, "play", "trilateral-2026", "--seed", "1"]),
}


# Bytecode is cached (in a directory of our own, so the tree stays clean), as on a player's machine
# from the second start on: compiling every module from source would double every figure, alike
# for all three, and hide what start-up costs. (This machine sets PYTHONDONTWRITEBYTECODE.)
BYTECODE = tempfile.mkdtemp(prefix="midnight-bench-pycache-")
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONPYCACHEPREFIX"] = BYTECODE


def run_once(program: tuple[str | None, list[str]]) -> tuple[float, float]:
    """One fresh process: (wall seconds, CPU seconds of the child)."""
    wanted, (code, *args) = program
    env = {**CHILD_ENV, "FIRST_SCREEN": wanted} if wanted else CHILD_ENV
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench_startup: a run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each program (default 15)")
    args = parser.parse_args()
    for code in PROGRAMS.values():  # warm the file cache and write the bytecode once
        run_once(code)
    walls: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    cpus: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    ratios: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    for _ in range(args.runs):
        measured = {name: run_once(code) for name, code in PROGRAMS.items()}
        for name, (wall, cpu) in measured.items():
            walls[name].append(wall)
            cpus[name].append(cpu)
            ratios[name].append(cpu / measured["baseline"][1])
    print(f"{'program':<16}{'wall ms':>10}{'CPU ms':>10}{'CPU / baseline':>16}   ({args.runs} runs, medians)")
    for name in PROGRAMS:
        print(f"{name:<16}{statistics.median(walls[name]) * 1000:>10.0f}{statistics.median(cpus[name]) * 1000:>10.0f}"
              f"{statistics.median(ratios[name]):>15.2f}x")


if __name__ == "__main__":
    main()
