"""The `midnight` command: one subcommand per module in `midnight.commands`.

Exit status: 0 on success (and for `--help`, `--version`, and `midnight` alone without a
terminal, which prints a short introduction); 1 on a user error, with a one-line message per
problem, and 1 too on a misused command line (an unknown option, a missing argument: argparse's
usage and message on stderr, where plain argparse would exit 2); 130 when interrupted. Never a
traceback for a user's mistake.

`midnight` alone in a terminal runs `midnight play` (the start screen). The full-screen UI is
never drawn into a pipe: without a terminal, `midnight` prints the introduction and `midnight
play` (or an on-screen `replay`) says it needs one and exits 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from engine.errors import MidnightError
from engine.scenario.safe_text import printable

# Subcommands, in the order `midnight --help` lists them; each module has `add_parser` and `run`.
COMMANDS = ("play", "run", "replay", "branch", "report", "simulate", "agent", "serve", "join", "validate", "scenarios",
            "sources", "schema")

DESCRIPTION = "Midnight: nuclear arms-control negotiation games after New START."

# What `midnight` alone prints without a terminal: what it is and the first commands to try.
INTRODUCTION = f"""\
{DESCRIPTION}
A turn-based negotiation game for the terminal, with a headless engine for bots and scripts.

First commands to try:
  midnight play         play in the terminal UI (the start screen; needs a terminal)
  midnight scenarios    list the built-in scenarios
  midnight run          play a whole game headless and print its story

Every command and option: midnight --help (and midnight COMMAND --help).
"""

EPILOG = ("`midnight` alone opens the start screen (in a terminal). "
          "`midnight COMMAND --help` shows a command's options.")


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a misused command line exits 1 (a user error), not 2.

    The usage and the one-line message still go to stderr, as argparse writes them. Subparsers
    are made of this class too (`add_subparsers` uses the parent's class).
    """

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {printable(message)}\n")


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(prog="midnight", description=DESCRIPTION, epilog=EPILOG)
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


def has_terminal() -> bool:
    """Whether the full-screen UI has a terminal: stdin, stdout and stderr (Textual draws on
    stderr) are all TTYs. False in a pipe, under a test runner, in cron or CI."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            if stream is None or not stream.isatty():
                return False
        except (AttributeError, ValueError):  # a replaced or closed stream
            return False
    return True


def require_terminal(command: str, instead: str) -> None:
    """Refuse to draw the full-screen UI into a pipe: a one-line user error naming what to use instead."""
    if not has_terminal():
        raise MidnightError(f"{command} needs a terminal (stdin, stdout and stderr); {instead}")


def _parse(parser: ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    args, extras = parser.parse_known_args(argv)
    if extras:
        # Let the subcommand complain, with its own usage line rather than the top-level one.
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        owner = subparsers.choices.get(args.command, parser) if args.command else parser
        owner.error(f"unrecognized arguments: {' '.join(extras)}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (see the module docstring)."""
    parser = build_parser()
    try:
        args = _parse(parser, argv)
    except SystemExit as stop:  # --help, --version, or argparse's usage error
        code = stop.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    try:
        if args.command is None:
            if not has_terminal():
                sys.stdout.write(INTRODUCTION)
                return 0
            args = parser.parse_args(["play"])
        status = int(args.run(args) or 0)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return status
    except MidnightError as error:
        print(f"midnight: {printable(error)}".replace("\n", "\nmidnight: "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("midnight: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _drop_stdout()
        return 0
    except OSError as error:  # e.g. `midnight run > /dev/full`: one line, not a traceback
        _drop_stdout()
        where = f"{printable(error.filename)}: " if error.filename else ""
        print(f"midnight: {where}cannot write or read: {error.strerror or error}", file=sys.stderr)
        return 1


def _drop_stdout() -> None:
    """After stdout failed, send what is left of it nowhere, so Python's flush at exit stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
