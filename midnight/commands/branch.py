"""`midnight branch RECORD --turn N --out FILE`: the state at the start of turn N, as a new game's save."""

from __future__ import annotations

from engine.errors import MidnightError
from engine.scenario.safe_text import printable


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "branch", help="branch a recorded game at a turn: a new game from that point (a what-if)",
        description="Write a new game that starts where RECORD stood at the start of turn N: the "
                    "record's turns before N, who plays each seat now, and where it came from. Carry "
                    "it on with `midnight play --resume FILE`; check it with `midnight replay FILE --verify`.",
    )
    parser.add_argument("record", help="a record or save (from `midnight run --record`, the game, or a branch)")
    parser.add_argument("--turn", type=int, required=True, metavar="N",
                        help="branch at the start of this turn (turn N is played again)")
    parser.add_argument("--out", required=True, metavar="FILE", help="where to write the branch (a record file)")
    parser.add_argument("--seats", metavar="SEAT=WHO,...", default="",
                        help="who plays each seat from there: human, bot or a persona, e.g. us=human "
                             "(others: as in the record)")
    parser.add_argument("--scenario", help="the scenario file the record was made with (default: the record's own "
                                           "file, in its folder, else its built-in id)")
    parser.set_defaults(run=run)


def parse_players(text: str, seats: tuple[str, ...]) -> dict[str, str]:
    """`us=human,russia=dove` -> who plays the seats named, checked: one line per mistake."""
    from difflib import get_close_matches

    from engine.bots import persona_names

    players = ["human", "bot", *persona_names()]
    chosen: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        seat, _, who = (x.strip() for x in part.partition("="))
        if seat not in seats:
            raise MidnightError(f"--seats: no seat '{seat}' (seats: {', '.join(seats)})")
        who = who or "human"
        if who not in players:
            close = get_close_matches(who, players, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise MidnightError(f"--seats: no player '{who}' for {seat}{hint}; players: {', '.join(players)}")
        chosen[seat] = who
    return chosen


def run(args) -> int:
    from engine.play.branch import branch_point, branch_record, branch_seats, write_branch
    from engine.play.records import check_writable, load_record_game, read_record

    check_writable(args.out, "--out")
    record = read_record(args.record)
    game = load_record_game(record, args.record, args.scenario)
    chosen = parse_players(args.seats, game.seats)
    point = branch_point(game, record, args.record, args.turn)
    branch = branch_record(point, branch_seats(game, record.seats, chosen))
    try:
        write_branch(args.out, branch)
    except OSError as error:
        raise MidnightError(f"--out: cannot write {args.out}: {error.strerror or error}") from None
    seats = ", ".join(f"{seat}={who}" for seat, who in branch.seats.items())
    print(printable(f"{args.out}: {game.scenario.id} from {args.record} at the start of turn {point.turn} "
                    f"(clock {point.state.clock:g}, {point.digest}); seats {seats}"))
    hint = f" {game.source}" if game.source else ""
    print(printable(f"play it on with: midnight play{hint} --resume {args.out}"))
    return 0
