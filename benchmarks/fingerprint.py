"""Fingerprints of many bot games, to prove that a speed change changed nothing.

    uv run python benchmarks/fingerprint.py save before.json     # on the old code
    uv run python benchmarks/fingerprint.py check before.json    # on the new code

Plays every built-in scenario with its own bots and with each persona on each seat, over a few
seeds, and hashes everything a game shows: each seat's view and options whenever it must act,
every input with its reason, every log line in every language with its audience and data, the
digest after each step, and the final views. `check` names the games whose hash differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import attrs

if os.environ.get("PYTHONHASHSEED") != "0":
    # Reprs of sets (a view's active seats) follow string hashing: fix it, or no two runs agree.
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.bots import persona_names  # noqa: E402
from engine.play.loop import step  # noqa: E402
from engine.play.records import digest  # noqa: E402
from engine.play.simulate import ScenarioSource, controllers_for  # noqa: E402
from engine.scenario.loading import builtin_scenario_ids  # noqa: E402

LINES_ONLY = False


def fingerprint(ref: str, lineup: dict[str, str], seed: int) -> str:
    game = ScenarioSource.from_ref(ref).load()
    controllers = controllers_for(game, lineup)
    hasher = hashlib.blake2b(digest_size=12)

    def add(value: object) -> None:
        hasher.update(repr(value).encode())

    def add_view(view) -> None:
        add(attrs.evolve(view, log=()))
        for entry in view.log:
            add(line(entry))
            add(payload(entry))

    state = game.start(seed)
    seen = 0
    while not state.over:
        for seat in game.seats:
            if seat in game.awaiting(state):
                add_view(game.view(state, seat))
                add(game.options(state, seat))
        state, played = step(game, state, controllers)
        for item in played:
            add((item.turn, item.phase, item.input, item.reason))
        for entry in state.log[seen:]:
            add(line(entry))
            add(payload(entry))
        seen = len(state.log)
        add(digest(game, state))
    for seat in (*game.seats, "facilitator"):
        add_view(game.view(state, seat))
    return hasher.hexdigest()


def line(entry) -> tuple:
    """A log line as players read it: its turn, kind, sentence in every language and audience."""
    return (entry.turn, entry.kind, dict(entry.text.values), entry.audience)


def payload(entry) -> object:
    """What a log line says for programs (its typed event); left out with --lines-only, to compare
    across a change of how events are represented."""
    return None if LINES_ONLY else attrs.asdict(entry.event, recurse=True) | {"type": type(entry.event).__name__}


def fingerprints(seeds: int) -> dict[str, str]:
    result = {}
    for ref in builtin_scenario_ids():
        game = ScenarioSource.from_ref(ref).load()
        personas = persona_names()
        lineups = [{}] + [
            {seat: personas[(i + k) % len(personas)] for i, seat in enumerate(game.seats)}
            for k in range(len(personas))
        ]
        for number, lineup in enumerate(lineups):
            for seed in range(seeds):
                result[f"{ref}/lineup{number}/seed{seed}"] = fingerprint(ref, lineup, seed)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "check"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--lines-only", action="store_true",
                        help="leave out log lines' typed events (compare across a change of their form)")
    args = parser.parse_args()
    global LINES_ONLY
    LINES_ONLY = args.lines_only
    found = fingerprints(args.seeds)
    if args.action == "save":
        args.file.write_text(json.dumps(found, indent=1))
        print(f"saved the fingerprints of {len(found)} games to {args.file}")
        return
    expected = json.loads(args.file.read_text())
    differ = sorted(key for key in expected if found.get(key) != expected[key])
    print(f"{len(expected)} games, {len(differ)} differ" + (": " + ", ".join(differ[:10]) if differ else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
