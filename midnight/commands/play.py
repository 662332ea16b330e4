"""`midnight play`: open the terminal UI (the default command)."""

from __future__ import annotations


def add_parser(sub) -> None:
    parser = sub.add_parser("play", help="play in the terminal UI (the default)")
    parser.add_argument("scenario", nargs="?", default=None,
                        help="built-in id or scenario file (default: choose on the start screen)")
    parser.add_argument("--seed", type=int, default=None, help="the game's seed")
    parser.add_argument("--lang", default=None, help="language: en or zh")
    parser.add_argument("--seats", metavar="SEAT=WHO,...", default="",
                        help="who plays each seat: human or a bot persona, e.g. us=human,russia=dove")
    parser.add_argument("--resume", metavar="FILE", help="resume a saved game")
    parser.set_defaults(run=run)


def run(args) -> int:
    from midnight.cli import require_terminal
    from tui.launch import check_arguments, play

    # Every argument (a save to resume, a scenario, --seats, --lang) is checked before the UI:
    # a typo is a one-line error, and nothing is written.
    check_arguments(args)
    require_terminal("play", "for headless play try `midnight run`")

    return play(args)
