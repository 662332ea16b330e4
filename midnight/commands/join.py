"""`midnight join ADDRESS --code CODE`: join a networked table (see docs/workshop.md)."""

from __future__ import annotations


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "join", help="join a table that `midnight serve` opened (a team's seat, the facilitator, or the projector)",
        description="Join a networked table with the code the facilitator gave you: a seat's code opens the game "
                    "screens for that seat, the facilitator's code the facilitator console, the spectators' code "
                    "the projector screen. Without ADDRESS and --code, a form asks for them.")
    parser.add_argument("address", nargs="?", default="", help="the table's address, e.g. ws://192.168.1.20:8765")
    parser.add_argument("--code", default="", help="your join code, e.g. KQ7M-3XHD-9PWA-LT4E")
    parser.add_argument("--scenario", default=None,
                        help="the scenario file, when the table plays one that is not built in")
    parser.add_argument("--lang", default=None,
                        help="language of the screens: en or zh (default: the table's, as `midnight serve --lang` set it)")
    parser.add_argument("--check", action="store_true",
                        help="only check that the table answers to the code, print who it admits, and exit")
    parser.set_defaults(run=run)


def run(args) -> int:
    from engine.errors import MidnightError

    if args.check:
        return _check(args)
    from midnight.cli import require_terminal

    if args.code and not args.address:
        raise MidnightError("give the table's address with --code (or neither, to type them on the join form)")
    if args.lang is not None and args.lang not in ("en", "zh"):
        raise MidnightError(f"--lang: no language '{args.lang}' (languages: en, zh)")
    import os

    if not os.environ.get("TEXTUAL_DRIVER", "").endswith("WebDriver"):  # textual-serve draws it in a browser
        require_terminal("join", "to test a code without the screens use `midnight join ADDRESS --code CODE --check`")
    from tui.screens.join import JoinApp

    app = JoinApp(args.address, args.code, language=args.lang, scenario=args.scenario)
    return int(app.run() or 0)


def _check(args) -> int:
    import asyncio

    from engine.errors import MidnightError
    from workshop.client import TableClient, TableError

    if not args.address or not args.code:
        raise MidnightError("--check needs the address and --code")

    async def check() -> str:
        client = await TableClient.connect(args.address, args.code, timeout=15)
        try:
            view = client.view
            return f"joined as {client.seat} ({client.role}): turn {view['turn']} of {view['turns']}, {view['phase']}"
        finally:
            await client.close()

    try:
        print(asyncio.run(check()))
    except TableError as error:
        raise MidnightError(str(error)) from None
    return 0
