"""Bot benchmark: how fast whole headless bot games run, on one core and on several.

    uv run python benchmarks/bench_bots.py [SCENARIO] [--games N] [--jobs 2] [--profile]

Prints one line per figure: milliseconds per game and per decision (and the bots' share of it),
games per second on one process and on `--jobs` processes, and the scaling. All six personas
play: the seats take them in turn, and the line-up rotates game by game, so each persona plays
each seat. Times are CPU time (`time.process_time`) where one process is measured, so that other
work on the machine does not count; the `--jobs` figures are wall-clock time, as a user sees them.
Not a test: run it and quote the figures.
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

from engine.bots import BotContext, bot_for, persona_names  # noqa: E402
from engine.play.loop import step  # noqa: E402
from engine.play.simulate import Batch, ScenarioSource, controllers_for, run_batch  # noqa: E402
from engine.scenario.loading import builtin_scenario_ids  # noqa: E402

# Every persona, in this order so that the first line-up is the example (us=hawk,
# russia=reciprocator, china=parity-seeker); a persona added to the engine must be added here.
MIX = ("hawk", "reciprocator", "parity-seeker", "dove", "cautious", "random")


def main() -> None:
    default = "trilateral-2026" if "trilateral-2026" in builtin_scenario_ids() else "tests/fixtures/rules.yaml"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=default)
    parser.add_argument("--games", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="print the top functions of a cProfile run")
    args = parser.parse_args()

    if set(MIX) != set(persona_names()):
        parser.error(f"MIX must name every persona: {', '.join(persona_names())}")
    source = ScenarioSource.from_ref(args.scenario)
    game = source.load()
    lineups = [{seat: MIX[(i + k) % len(MIX)] for i, seat in enumerate(game.seats)} for k in range(len(MIX))]
    batches = [Batch(source, lineup) for lineup in lineups]
    print(f"scenario {game.scenario.id} ({Path(source.filename).name}); {len(game.seats)} seats, "
          f"{len(MIX)} personas rotating ({', '.join(MIX)}); {os.cpu_count()} cores")

    def play(index: int):
        return batches[index % len(batches)].play(index)

    for i in range(12):
        play(i)  # warm up: the game's memos fill on first use
    # One game at a time, timing the bots' decisions apart from the engine.
    decisions = 0
    turns = 0
    per_game = []
    for i in range(args.games):
        started = time.process_time()
        result, history = play(i)
        per_game.append(time.process_time() - started)
        decisions += len(history)
        turns += result.turn
    total = sum(per_game)
    # The bots' own share: replay each decision's context and time only the bot.
    sample = min(args.games, 60)
    contexts = []
    for i in range(sample):
        lineup = lineups[i % len(lineups)]
        controllers = controllers_for(game, lineup)
        state = game.start(i)
        while not state.over:
            for seat in sorted(game.awaiting(state)):
                bot = bot_for(controllers[seat].persona, dict(controllers[seat].weights))
                context = BotContext(game, game.view(state, seat), game.options(state, seat), state.seed, state.step)
                contexts.append((bot, context))
            state, _ = step(game, state, controllers)
    started = time.process_time()
    for bot, context in contexts:
        bot.act(context)
    bot_time = (time.process_time() - started) / len(contexts) * decisions
    per_game.sort()
    print(f"one process, in a loop: {total / args.games * 1000:.2f} ms per game (median "
          f"{per_game[len(per_game) // 2] * 1000:.2f}, 90th percentile {per_game[int(len(per_game) * 0.9)] * 1000:.2f}); "
          f"{turns / args.games:.1f} turns and {decisions / args.games:.0f} decisions per game, "
          f"{total / decisions * 1e6:.0f} µs per decision (bots' own share {100 * bot_time / total:.0f}%)")

    timings = {}
    for jobs in sorted({1, args.jobs}):
        started = time.perf_counter()
        for batch in batches:
            run_batch(batch, args.games // len(batches), jobs)
        timings[jobs] = time.perf_counter() - started
        print(f"run_batch --jobs {jobs}: {args.games // len(batches) * len(batches) / timings[jobs]:,.0f} games/s")
    if args.jobs > 1:
        speedup = timings[1] / timings[args.jobs]
        print(f"scaling 1 -> {args.jobs} processes: x{speedup:.2f} ({100 * speedup / args.jobs:.0f}% efficiency)")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(min(args.games, 120)):
            play(i)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
