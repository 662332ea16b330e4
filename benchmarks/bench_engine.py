"""Engine benchmark: load time, turns per second, bot games per second, record verification.

    uv run python benchmarks/bench_engine.py [SCENARIO] [--games N]

Prints one line per figure. Not a test: run it and quote the figures.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from engine import load_game
from engine.play.loop import play_out
from engine.play.records import Recorder, dump_record, read_record, replay
from engine.scenario.loading import load_scenario_text, read_bytes_limited, resolve_scenario


def best_of(repeats: int, fn) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="trilateral-2026")
    parser.add_argument("--games", type=int, default=200)
    args = parser.parse_args()

    path = resolve_scenario(args.scenario)
    raw = read_bytes_limited(path)
    load = best_of(5, lambda: load_scenario_text(raw, filename=str(path)))
    print(f"scenario load ({path.name}, {len(raw):,} bytes): {load * 1000:.1f} ms")

    game = load_game(args.scenario)
    turns = 0
    inputs = 0
    started = time.perf_counter()
    per_game = []
    for seed in range(args.games):
        t0 = time.perf_counter()
        state, history = play_out(game, game.start(seed))
        per_game.append(time.perf_counter() - t0)
        turns += state.turn
        inputs += len(history)
    elapsed = time.perf_counter() - started
    print(f"bot games: {args.games / elapsed:.0f} games/s on one core "
          f"(median {statistics.median(per_game) * 1000:.2f} ms a game, {inputs / args.games:.0f} inputs a game)")
    print(f"turns resolved (bots deciding included): {turns / elapsed:.0f} turns/s")

    # Inputs applied without bots: replay the same games' inputs.
    histories = [play_out(game, game.start(seed))[1] for seed in range(20)]
    started = time.perf_counter()
    applied = 0
    for seed, history in enumerate(histories):
        state = game.start(seed)
        for item in history:
            state, _ = game.apply(state, item.input)
            applied += 1
    elapsed = time.perf_counter() - started
    print(f"inputs applied by the engine alone: {applied / elapsed:.0f} inputs/s "
          f"({sum(h[-1].turn for h in histories) / elapsed:.0f} turns/s)")

    # A record of at least 1,000 inputs: the same scenario stretched to more turns if need be.
    long_game = stretched(raw, str(path))
    record, count = None, -1
    for seed in range(20):
        recorder = Recorder(long_game, seed)
        play_out(long_game, long_game.start(seed), observe=recorder.record)
        candidate = recorder.to_record()
        if len(candidate.inputs()) > count:
            record, count = candidate, len(candidate.inputs())
        if count >= 1000:
            break
    text = dump_record(record).encode()
    verify = best_of(3, lambda: replay(long_game, read_record(text)))
    print(f"verify a {count:,}-input record ({len(record.turns)} turns, {len(text):,} bytes; "
          f"read + replay + digests): {verify * 1000:.0f} ms")


def stretched(raw: bytes, filename: str):
    """The scenario with its turn count raised so that one game has over 1,000 inputs."""
    from engine.rules.game import Game

    text = re.sub(r"(?m)^turns: *\d+", "turns: 120", raw.decode("utf-8"), count=1)
    return Game(load_scenario_text(text.encode(), filename=filename))


if __name__ == "__main__":
    main()
