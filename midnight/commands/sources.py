"""`midnight sources [SCENARIO]`: the scenario's fact sheet — every source, its doubts, and the
starting figures and content that cite it (docs/workshop.md, "Print the fact sheet")."""

from __future__ import annotations

import sys

from engine.errors import MidnightError
from engine.scenario.builtin import DEFAULT_SCENARIO
from engine.scenario.safe_text import printable


def add_parser(sub) -> None:
    parser = sub.add_parser("sources", help="print a scenario's fact sheet: its sources and the figures citing them",
                            description="Print the scenario's fact sheet in Markdown: every source (numbered [n] as "
                                        "the game's log cites it) with its note — UNVERIFIED where the scenario's "
                                        "authors could not check a figure — the starting figures that cite it, and "
                                        "the moves, agreements and events that do. A handout for a seminar.")
    parser.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                        help=f"built-in id or scenario file (default {DEFAULT_SCENARIO})")
    parser.add_argument("--lang", default="en", help="language of the sheet (en, zh)")
    parser.add_argument("--out", metavar="FILE", help="write it to FILE (Markdown) instead of printing it")
    parser.set_defaults(run=run)


def run(args) -> int:
    from debrief.factsheet import fact_sheet
    from engine import load_game
    from engine.play.records import write_atomic

    game = load_game(args.scenario)
    if args.lang not in game.scenario.languages:
        languages = ", ".join(game.scenario.languages)
        raise MidnightError(f"--lang: the scenario has no language '{args.lang}' (languages: {languages})")
    sheet = fact_sheet(game, args.lang)
    if args.out:
        try:
            write_atomic(args.out, sheet)
        except OSError as error:
            raise MidnightError(f"{args.out}: cannot write the fact sheet: {error.strerror or error}") from None
        print(printable(f"fact sheet written to {args.out}"))
    else:
        sys.stdout.write(printable(sheet))
    return 0
