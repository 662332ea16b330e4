"""The `midnight` command: one subcommand per module in `midnight.commands`.

Exit status: 0 on success, 1 on a user error (with a one-line message per problem), 2 on a
misused command line. Never a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from engine.errors import MidnightError

# Subcommands, in the order `midnight --help` lists them; each module has `add_parser` and `run`.
COMMANDS = ("play", "run", "replay", "simulate", "agent", "validate", "scenarios", "schema")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="midnight",
        description="Midnight: nuclear arms-control negotiation games after New START.",
    )
    from engine import __version__

    parser.add_argument("--version", action="version", version=f"midnight {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"midnight.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name == f"midnight.commands.{name}":
                continue  # a command not built yet
            raise
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        args = parser.parse_args(["play", *(argv if argv is not None else sys.argv[1:])])
    try:
        return int(args.run(args) or 0)
    except MidnightError as error:
        print(f"midnight: {error}".replace("\n", "\nmidnight: "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("midnight: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
