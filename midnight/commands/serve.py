"""`midnight serve`: open a networked table for a workshop exercise (see docs/workshop.md)."""

from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "serve", help="open a table that teams join over the network (a workshop exercise)",
        description="Open a table: prints a join code per seat, one for the facilitator and one for spectators, "
                    "and the address. Teams join with `midnight join ADDRESS --code CODE`.")
    parser.add_argument("scenario", nargs="?", default=None, help="built-in id or scenario file")
    parser.add_argument("--seats", metavar="SEAT=WHO,...", default="",
                        help="who plays each seat: team, bot or a bot persona (default: a team at every seat), "
                             "e.g. us=team,russia=team,china=hawk")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this computer only; 0.0.0.0: the room's network)")
    parser.add_argument("--port", type=int, default=8765, help="the port (default 8765; 0: any free port)")
    parser.add_argument("--phase-seconds", metavar="N|PHASE=N,...", default=None,
                        help="a timer for each phase, in seconds (e.g. 600, or propose=300,respond=180,decide=600); "
                             "the facilitator starts it")
    parser.add_argument("--fallback", choices=("bot", "no-move"), default="bot",
                        help="what a team that misses the deadline plays: its bot (default) or no move")
    parser.add_argument("--web", metavar="PORT", type=int, default=None,
                        help="also serve the join screen to web browsers on this port (0: any free port)")
    parser.add_argument("--seed", type=int, default=None, help="the game's seed")
    parser.add_argument("--lang", default=None, help="language of the game's text: en or zh")
    parser.add_argument("--record", metavar="PATH", default=None,
                        help="where the record is kept (default: a new file in ~/.local/share/midnight/tables)")
    parser.add_argument("--resume", metavar="RECORD", default=None,
                        help="reopen a table from its record (after a crash or kill -9)")
    parser.add_argument("--same-codes", action="store_true",
                        help="with --resume: the codes the table had (kept next to the record), not new ones")
    parser.set_defaults(run=run)


def run(args) -> int:
    import asyncio

    from engine.errors import MidnightError, RecordError
    from engine.play.records import check_writable, load_record_game, read_record
    from engine.play.table import NO_MOVE, Table
    from workshop.serving import announcement, default_record, phase_lengths, serve_table, table_codes

    language = _language(args.lang)
    try:
        lengths = phase_lengths(args.phase_seconds)
    except ValueError as error:
        raise MidnightError(str(error)) from None
    if not 0 <= args.port <= 65535:
        raise MidnightError("--port: give a port between 1 and 65535 (0: any free port)")
    if args.web is not None and not 0 <= args.web <= 65535:
        raise MidnightError("--web: give a port between 1 and 65535 (0: any free port)")
    options: dict = {"phase_seconds": lengths}  # None: the scenario's own (decisions.phase_seconds)
    if args.resume:
        if args.seats:
            raise MidnightError("--seats with --resume: the record says who plays; the facilitator may hand seats over")
        record_path = Path(args.resume)
        record = read_record(record_path)
        game = load_record_game(record, record_path, args.scenario)
        try:
            table = Table.resume_table(game, record, record_path, language, **options)
        except RecordError as error:
            raise RecordError(f"{record_path}: cannot resume: {error}") from None
    else:
        if args.same_codes:
            raise MidnightError("--same-codes goes with --resume RECORD")
        if not args.scenario:
            raise MidnightError("name a scenario: midnight serve SCENARIO (see `midnight scenarios`)")
        from engine import load_game

        game = load_game(args.scenario)
        seats = _seats(args.seats, game)
        record_path = Path(args.record) if args.record else default_record(game.scenario.id)
        record_path.parent.mkdir(parents=True, exist_ok=True)
        check_writable(record_path)
        table = Table(game, args.seed, seats, language, record_path, **options)
    if args.fallback == "no-move":
        table.fallbacks = {seat: NO_MOVE for seat in game.seats}
    codes = table_codes(table, table.record_path, args.same_codes)

    def ready(host: str, port: int) -> None:
        print(announcement(table, codes, host, port, table.record_path), flush=True)

    try:
        asyncio.run(serve_table(table, codes, args.host, args.port, ready=ready,
                                say=lambda text: print(text, flush=True), web_port=args.web))
    except OSError as error:
        raise MidnightError(f"cannot open the table on {args.host}:{args.port}: {error.strerror or error}") from None
    print(f"The table is closed. Record: {table.record_path}", flush=True)
    return 0


def _language(value: str | None) -> str:
    from engine.errors import MidnightError

    if value is None:
        return "en"
    code = value.strip().lower().replace("_", "-").partition("-")[0]
    if code not in ("en", "zh"):
        raise MidnightError(f"--lang: no language '{value}' (languages: en, zh)")
    return code


def _seats(text: str, game) -> dict[str, str]:
    from difflib import get_close_matches

    from engine.bots import persona_names
    from engine.errors import MidnightError
    from engine.play.table import BOT, TEAM

    players = [TEAM, BOT, *persona_names()]
    chosen = {seat: TEAM for seat in game.seats}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        seat, _, who = (p.strip() for p in part.partition("="))
        if seat not in game.seats:
            raise MidnightError(f"--seats: no seat '{seat}' (seats: {', '.join(game.seats)})")
        who = who or TEAM
        if who == "human":
            who = TEAM
        if who not in players:
            close = get_close_matches(who, players, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise MidnightError(f"--seats: no player '{who}' for {seat}{hint}; players: {', '.join(players)}")
        chosen[seat] = who
    return chosen
