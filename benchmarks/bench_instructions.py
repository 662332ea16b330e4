"""Instructions per bot game under valgrind's cachegrind, beside CPU-time timings.

    uv run python benchmarks/bench_instructions.py [SCENARIO] [--games 10] [--seed 11]
                                                   [--lineup own|mix|both] [--no-valgrind]

A count of instructions does not change when other work shares the machine, so a figure measured
on a busy machine can be trusted and compared with one measured on a quiet one; CPU times are
printed beside it. Two line-ups: `own`, the scenario's own bots (what `midnight simulate SCENARIO`
plays), and `mix`, the six personas rotating seat by seat and game by game (as
`benchmarks/bench_bots.py`). Games `seed`, `seed + 1`, ... are played one after the other in one
process, as a batch on one process plays them.

Per game means: the count of a run that plays `--games` games minus that of a run that plays none
(start-up: imports, loading the scenario), divided by the games. Needs valgrind on the PATH
(`--no-valgrind` prints only the timings). Not a test: run it and quote the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Every persona, as benchmarks/bench_bots.py rotates them.
MIX = ("hawk", "reciprocator", "parity-seeker", "dove", "cautious", "random")


def play(scenario: str, lineup: str, games: int, seed: int) -> tuple[float, int, int]:
    """Play the games; return (CPU seconds for the games alone, decisions, turns)."""
    from engine.play.simulate import Batch, ScenarioSource

    source = ScenarioSource.from_ref(scenario)
    game = source.load()
    if lineup == "mix":
        lineups = [{seat: MIX[(i + k) % len(MIX)] for i, seat in enumerate(game.seats)} for k in range(len(MIX))]
    else:
        lineups = [{}]
    batches = [Batch(source, seats, seed) for seats in lineups]
    decisions = turns = 0
    started = time.process_time()
    for index in range(games):
        result, history = batches[index % len(batches)].play(index)
        decisions += len(history)
        turns += result.turn
    return time.process_time() - started, decisions, turns


def instructions(scenario: str, lineup: str, games: int, seed: int) -> int:
    """The instructions a whole process playing `games` games executes, counted by cachegrind."""
    command = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, scenario, "--worker", lineup, "--games", str(games), "--seed", str(seed),
    ]
    done = subprocess.run(command, capture_output=True, text=True, env=_fixed_env(), check=False)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"valgrind failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
    return int(found.group(1).replace(",", ""))


def _fixed_env() -> dict[str, str]:
    # String hashing decides set order: fix it so that two runs execute the same instructions.
    return {**os.environ, "PYTHONHASHSEED": "0"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="trilateral-2026")
    parser.add_argument("--games", type=int, default=10)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--lineup", choices=("own", "mix", "both"), default="both")
    parser.add_argument("--no-valgrind", action="store_true", help="print the CPU times only")
    parser.add_argument("--worker", choices=("own", "mix"), help=argparse.SUPPRESS)  # one counted run
    args = parser.parse_args()
    if args.games < 1 and args.worker is None:
        parser.error("--games must be 1 or more")

    if args.worker:
        play(args.scenario, args.worker, args.games, args.seed)
        return
    if not args.no_valgrind and shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (or use --no-valgrind)")
    lineups = ("own", "mix") if args.lineup == "both" else (args.lineup,)
    print(f"{args.scenario}, {args.games} games from seed {args.seed}, CPython "
          f"{sys.version.split()[0]}")
    for lineup in lineups:
        play(args.scenario, lineup, 2, args.seed)  # warm up imports and the loaded scenario
        seconds, decisions, turns = min(
            (play(args.scenario, lineup, args.games, args.seed) for _ in range(3)), key=lambda run: run[0])
        line = (f"{lineup:>3}: {decisions / args.games:.0f} decisions, {turns / args.games:.1f} turns a game; "
                f"{seconds / args.games * 1000:.1f} ms CPU a game (best of 3)")
        if not args.no_valgrind:
            empty = instructions(args.scenario, lineup, 0, args.seed)
            full = instructions(args.scenario, lineup, args.games, args.seed)
            per_game = (full - empty) / args.games
            line += (f"; {per_game / 1e6:.1f} M instructions a game ({per_game / decisions * args.games / 1e3:.0f} k "
                     f"a decision; start-up {empty / 1e6:.0f} M)")
        print(line, flush=True)


if __name__ == "__main__":
    main()
