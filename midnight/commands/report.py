"""`midnight report RECORD`: the debrief of a finished (or saved) game as one page a facilitator
can open offline, print and hand out (docs/debrief.md)."""

from __future__ import annotations

from pathlib import Path

from engine.scenario.safe_text import printable


def add_parser(sub) -> None:
    parser = sub.add_parser("report", help="write a game's debrief report (HTML or Markdown) from its record",
                            description="Write the debrief of a record: the outcome, charts of the clock, the risk "
                                        "and its contributions and the headline tracks, the turning points, every "
                                        "proposal, agreement, breach and crisis, each seat's decisions with its "
                                        "reasons, the scores and the scenario's sources. The record must replay "
                                        "exactly. By default the facilitator's report (everything); --seat writes "
                                        "only what that seat could see, to hand to its team.")
    parser.add_argument("record", help="a record or save (from `midnight run --record` or the game)")
    parser.add_argument("--out", metavar="FILE",
                        help="where to write it (default: next to the record, NAME.debrief.html)")
    parser.add_argument("--format", choices=("html", "md"), default=None,
                        help="html (one self-contained page with charts; the default) or md (Markdown, tables "
                             "instead of charts); by default from --out's suffix")
    parser.add_argument("--seat", default="facilitator",
                        help="whose report: facilitator (everything, the default) or a seat id, e.g. us")
    parser.add_argument("--lang", default="en", help="language of the report (en, zh)")
    parser.add_argument("--scenario", help="the scenario file the record was made with (default: the record's own "
                                           "file, in its folder, else its built-in id)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from debrief.report import default_output, write_report

    fmt = args.format or ("md" if args.out and Path(args.out).suffix.lower() in (".md", ".markdown") else "html")
    out = args.out or default_output(args.record, args.seat, fmt)
    path = write_report(args.record, out, seat=args.seat, language=args.lang, fmt=fmt, scenario=args.scenario)
    print(printable(f"report written to {path}"))
    return 0
