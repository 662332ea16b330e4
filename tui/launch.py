"""Entry points the `midnight` command calls: `play` and `replay_on_screen`. Textual is imported lazily."""

from __future__ import annotations

import sys
from pathlib import Path

from engine.scenario.safe_text import printable


def _language(value: str | None) -> str:
    value = (value or "en").lower()
    if value.startswith("zh"):
        return "zh"
    return "en"


def build_app(args):
    """The app `midnight play` would run with these arguments (tests use this too)."""
    from engine import load_game
    from engine.play.table import Session, parse_seats
    from tui.app import MidnightApp

    language = _language(getattr(args, "lang", None))
    if getattr(args, "resume", None):
        return MidnightApp(resume_session(args))
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


def resume_session(args):
    """The session `midnight play --resume FILE` carries on, checked through before any UI starts:
    the save read, its scenario found, every turn verified, its seats mapped. Raises a one-line
    MidnightError naming the file (and the turn) otherwise; nothing is written. Kept on `args`,
    so a check before the terminal is asked for is not done twice."""
    session = getattr(args, "resumed_session", None)
    if session is not None:
        return session
    from engine.errors import RecordError
    from engine.play.records import load_record_game, read_record
    from engine.play.table import Session

    resume = args.resume
    record = read_record(resume)
    game = load_record_game(record, resume, getattr(args, "scenario", None))
    try:
        session = Session.resume(game, record, Path(resume), _language(getattr(args, "lang", None)))
    except RecordError as error:
        raise RecordError(f"{resume}: cannot resume: {error}") from None
    args.resumed_session = session
    return session


def resume_command(session, path) -> str:
    """The command that resumes a save: a scenario file (not built in) is named again."""
    source = session.game.source
    return f"midnight play {source} --resume {path}" if source else f"midnight play --resume {path}"


def play(args) -> int:
    """`midnight play [SCENARIO] [--seed N] [--lang L] [--seats S] [--resume FILE]`."""
    app = build_app(args)
    result = app.run()
    session = app.session
    crashed = bool(app.return_code)
    if crashed and session is not None and session.resumed_inputs == session.inputs_played():
        # A resumed game that stopped on an error before anything was played: the save stays as it was.
        print(printable(f"midnight: the game stopped on an error; {session.save_path} was left as it was"), file=sys.stderr)
        return app.return_code or 1
    if session is not None and not session.state.over:
        try:
            path = session.save()
            print(printable(f"midnight: game saved to {path}\nresume with: {resume_command(session, path)}"), file=sys.stderr)
        except OSError as error:
            print(printable(f"midnight: could not save the game: {error}"), file=sys.stderr)
    return app.return_code or int(result or 0)


def replay_on_screen(record_path: str, scenario_ref: str | None, lang: str | None) -> int:
    """`midnight replay RECORD`: the replay viewer."""
    from engine.play.records import load_record_game, read_record
    from tui.app import MidnightApp

    record = read_record(record_path)
    game = load_record_game(record, record_path, scenario_ref)
    app = MidnightApp(replay=(game, record), language=_language(lang))
    return int(app.run() or 0)
