"""`midnight validate FILE...`: check scenario files and report every problem."""

from __future__ import annotations

import sys


def add_parser(sub) -> None:
    parser = sub.add_parser("validate", help="check scenario files and report every problem")
    parser.add_argument("files", nargs="+", metavar="FILE", help="scenario files or built-in ids")
    parser.set_defaults(run=run)


def run(args) -> int:
    from engine.loading import LoadError, load_scenario, resolve_scenario

    failed = 0
    for ref in args.files:
        try:
            scenario = load_scenario(resolve_scenario(ref))
        except LoadError as error:
            failed += 1
            for problem in error.problems:
                print(problem, file=sys.stderr)
            continue
        print(f"{ref}: ok ({scenario.id} v{scenario.version}: {len(scenario.actors)} actors, "
              f"{len(scenario.moves)} moves, {len(scenario.agreements)} agreements, {len(scenario.events)} events)")
    if failed:
        print(f"{failed} of {len(args.files)} files have problems", file=sys.stderr)
    return 1 if failed else 0
