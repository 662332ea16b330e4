"""`midnight validate FILE...`: check scenario files and report every problem."""

from __future__ import annotations

import sys

from engine.scenario.safe_text import printable


def add_parser(sub) -> None:
    parser = sub.add_parser("validate", help="check scenario files and report every problem")
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario files or built-in ids")
    parser.add_argument("--playouts", type=int, default=0, metavar="N",
                        help="also play N random legal games on each file and check the invariants")
    parser.set_defaults(run=run)


def run(args) -> int:
    from engine.scenario.loading import LoadError, load_scenario, resolve_scenario

    failed = 0
    for ref in args.files:
        try:
            scenario = load_scenario(resolve_scenario(ref))
        except LoadError as error:
            failed += 1
            for problem in error.problems:
                print(printable(problem), file=sys.stderr)
            continue
        problems = _playouts(scenario, args.playouts)
        if problems:
            failed += 1
            for message in problems:
                print(printable(f"{ref}: {message}"), file=sys.stderr)
            continue
        played = f", {args.playouts} random playouts passed" if args.playouts else ""
        print(printable(f"{ref}: ok ({scenario.id} v{scenario.version}: {len(scenario.actors)} actors, "
                        f"{len(scenario.moves)} moves, {len(scenario.agreements)} agreements, "
                        f"{len(scenario.events)} events{played})"))
    if failed:
        print(f"{failed} of {len(args.files)} files have problems", file=sys.stderr)
    return 1 if failed else 0


def _playouts(scenario, count: int) -> list[str]:
    from engine.errors import MidnightError
    from engine.play.conformance import check_playout
    from engine.rules.game import Game

    game = Game(scenario)
    problems = []
    for seed in range(count):
        try:
            problems += [f"playout seed {seed}: {p}" for p in check_playout(game, seed)]
        except MidnightError as error:
            problems.append(f"playout seed {seed}: {error}")
    return problems
