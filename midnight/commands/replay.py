"""`midnight replay RECORD`: step through a record on screen, or `--verify` it headless."""

from __future__ import annotations

import sys

from engine.scenario.safe_text import printable


def add_parser(sub) -> None:
    parser = sub.add_parser("replay", help="replay a record on screen, or verify it with --verify")
    parser.add_argument("record", help="a record file written by `midnight run --record` or the game")
    parser.add_argument("--verify", action="store_true",
                        help="re-execute headless and check every turn's digest, the turns, the inputs and the result")
    parser.add_argument("--scenario", help="the scenario file the record was made with (default: the record's own "
                                           "file, in its folder, else its built-in id)")
    parser.add_argument("--print", dest="print_story", action="store_true", help="print the replayed story")
    parser.add_argument("--lang", default=None, help="language (en, zh; default: the one the game was played in)")
    parser.set_defaults(run=run)


def run(args) -> int:
    from engine.errors import RecordError
    from engine.play.records import load_record_game, read_record, replay

    record = read_record(args.record)
    game = load_record_game(record, args.record, args.scenario)
    if args.lang is None:  # the record's own language: untrusted, so only one the engine speaks
        args.lang = record.language if record.language in game.scenario.languages else "en"
    if not args.verify and not args.print_story:
        from midnight.cli import require_terminal
        from tui.launch import replay_on_screen

        require_terminal("replay on screen", "without one, use --verify or --print")

        return replay_on_screen(args.record, args.scenario, args.lang)
    try:
        result = replay(game, record)
    except RecordError as error:
        raise RecordError(f"{args.record}: {error}") from None
    if args.print_story:
        from midnight.story import print_outcome, print_turn

        print_turn(game, result.final, 0, args.lang, sys.stdout)
        print_outcome(game, result.final, args.lang, sys.stdout)
    if result.divergence is not None:
        print(printable(f"midnight: {args.record}: DIVERGED at {result.divergence}"), file=sys.stderr)
        return 1
    if args.verify:
        inputs = sum(len(t.inputs) for t in record.turns)
        if record.complete:
            print(printable(f"{args.record}: reproduced exactly ({result.turns_checked} turns, {inputs} inputs, "
                            f"seed {record.seed})"))
        else:
            print(printable(f"{args.record}: a game in progress, reproduced exactly up to turn {result.final.turn} "
                            f"({result.turns_checked} turns closed, {inputs} inputs, seed {record.seed})"))
        if record.branched_from is not None:  # a what-if branch: its source too, when it is at hand
            from engine.play.branch import check_source

            print(printable(f"{args.record}: {check_source(game, record, args.record)}"))
    return 0
