"""Entry points the `midnight` command calls: `play` and `replay_on_screen`. Textual is imported lazily."""

from __future__ import annotations

import sys
from pathlib import Path


def _language(value: str | None) -> str:
    value = (value or "en").lower()
    if value.startswith("zh"):
        return "zh"
    return "en"


def build_app(args):
    """The app `midnight play` would run with these arguments (tests use this too)."""
    from engine import load_game
    from engine.play.records import read_record
    from engine.play.table import Session, parse_seats
    from tui.app import MidnightApp

    language = _language(getattr(args, "lang", None))
    resume = getattr(args, "resume", None)
    if resume:
        record = read_record(resume)
        game = load_game(record.scenario.to_load(args.scenario))
        session = Session.resume(game, record, Path(resume), language)
        return MidnightApp(session)
    if not args.scenario:
        return MidnightApp(start={"seed": args.seed}, language=language)
    game = load_game(args.scenario)
    try:
        seats = parse_seats(getattr(args, "seats", ""), game.seats)
    except ValueError as error:
        from engine.errors import MidnightError

        raise MidnightError(str(error)) from None
    session = Session(game, args.seed, seats, language)
    return MidnightApp(session)


def resume_command(session, path) -> str:
    """The command that resumes a save (the save names its scenario file, or the built-in id)."""
    return f"midnight play --resume {path}"


def play(args) -> int:
    """`midnight play [SCENARIO] [--seed N] [--lang L] [--seats S] [--resume FILE]`."""
    app = build_app(args)
    result = app.run()
    session = app.session
    if session is not None and not session.state.over:
        try:
            path = session.save()
            print(f"midnight: game saved to {path}\nresume with: {resume_command(session, path)}", file=sys.stderr)
        except OSError as error:
            print(f"midnight: could not save the game: {error}", file=sys.stderr)
    return int(result or 0)


def replay_on_screen(record_path: str, scenario_ref: str | None, lang: str | None) -> int:
    """`midnight replay RECORD`: the replay viewer."""
    from engine import load_game
    from engine.play.records import read_record
    from tui.app import MidnightApp

    record = read_record(record_path)
    game = load_game(record.scenario.to_load(scenario_ref))
    app = MidnightApp(replay=(game, record), language=_language(lang))
    return int(app.run() or 0)
