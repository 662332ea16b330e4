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
    parser.add_argument("--lang", default=None,
                        help="language of the report (en, zh; default: the one the game was played in)")
    parser.add_argument("--scenario", help="the scenario file the record was made with (default: the record's own "
                                           "file, in its folder, else its built-in id)")
    what_if = parser.add_argument_group("what if (the facilitator's report only; docs/branches.md)")
    what_if.add_argument("--what-if", dest="what_if", type=int, default=0, metavar="RUNS",
                         help="add the counterfactual table: RUNS bot continuations from the start of each turning "
                              "point (or --turn), and how often they end in catastrophe")
    what_if.add_argument("--turn", type=int, action="append", default=[], metavar="N",
                         help="with --what-if: continue from the start of turn N instead (repeatable)")
    what_if.add_argument("--change", action="append", default=[], metavar="SEAT:CHANGE",
                         help="with --what-if and one --turn: also continue with that turn's decision changed, "
                              "as `midnight simulate --change` (e.g. us:-deploy_shield)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from debrief.report import default_output, write_report

    fmt = args.format or ("md" if args.out and Path(args.out).suffix.lower() in (".md", ".markdown") else "html")
    out = args.out or default_output(args.record, args.seat, fmt)
    path = write_report(args.record, out, seat=args.seat, language=args.lang, fmt=fmt, scenario=args.scenario,
                        what_if_runs=args.what_if, turns=args.turn, changes=args.change)
    print(printable(f"report written to {path}"))
    return 0
