"""Bot benchmark: how fast whole headless bot games run, on one core and on several.

    uv run python benchmarks/bench_bots.py [SCENARIO] [--games N] [--jobs 2] [--profile]

Prints one line per figure: milliseconds per game and per decision (and the bots' share of it),
games per second on one process and on `--jobs` processes, and the scaling. Seats get a mix of
personas (one per seat, round the six). Not a test: run it and quote the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.bots import BotContext, bot_for  # noqa: E402
from engine.loading import builtin_scenario_ids  # noqa: E402
from engine.play import step  # noqa: E402
from engine.simulate import Batch, ScenarioSource, controllers_for, run_batch  # noqa: E402

MIX = ("hawk", "reciprocator", "parity-seeker", "dove", "cautious", "random")


def main() -> None:
    default = "trilateral-2026" if "trilateral-2026" in builtin_scenario_ids() else "tests/fixtures/rules.yaml"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=default)
    parser.add_argument("--games", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="print the top functions of a cProfile run")
    args = parser.parse_args()

    source = ScenarioSource.from_ref(args.scenario)
    game = source.load()
    lineup = {seat: MIX[i % len(MIX)] for i, seat in enumerate(game.seats)}
    batch = Batch(source, lineup)
    print(f"scenario {game.scenario.id} ({Path(source.filename).name}); seats "
          + ", ".join(f"{k}={v}" for k, v in lineup.items()) + f"; {os.cpu_count()} cores")

    run_batch(batch, 10)  # warm up
    # One game at a time, timing the bots' decisions apart from the engine.
    decisions = 0
    started = time.perf_counter()
    for i in range(args.games):
        result, history = batch.play(i)
        decisions += len(history)
    total = time.perf_counter() - started
    # The bots' own share: replay each decision's context and time only the bot.
    sample = min(args.games, 50)
    contexts = []
    controllers = controllers_for(game, lineup)
    for i in range(sample):
        state = game.start(i)
        while not state.over:
            for seat in sorted(game.awaiting(state)):
                contexts.append((lineup[seat], BotContext(game, game.view(state, seat), game.options(state, seat), state.seed, state.step)))
            state, _ = step(game, state, controllers)
    started = time.perf_counter()
    for persona, context in contexts:
        bot_for(persona).act(context)
    bot_time = (time.perf_counter() - started) / len(contexts) * decisions
    print(f"one process, in a loop: {total / args.games * 1000:.2f} ms per game, {decisions / args.games:.0f} decisions "
          f"per game, {total / decisions * 1e6:.0f} µs per decision (bots' own share {100 * bot_time / total:.0f}%)")

    timings = {}
    for jobs in sorted({1, args.jobs}):
        started = time.perf_counter()
        run_batch(batch, args.games, jobs)
        timings[jobs] = time.perf_counter() - started
        print(f"run_batch --jobs {jobs}: {args.games / timings[jobs]:,.0f} games/s")
    if args.jobs > 1:
        speedup = timings[1] / timings[args.jobs]
        print(f"scaling 1 -> {args.jobs} processes: x{speedup:.2f} ({100 * speedup / args.jobs:.0f}% efficiency)")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(min(args.games, 100)):
            batch.play(i)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
