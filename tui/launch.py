"""Entry points the `midnight` command calls: `play` and `replay_on_screen`. Textual is imported lazily."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from engine.scenario.safe_text import printable


def _language(value: str | None) -> str:
    """`--lang`: en or zh (a region such as zh-CN or en_GB is fine); anything else is refused with the list."""
    from engine.errors import MidnightError
    from tui.i18n import LANGUAGES

    if value is None:
        return "en"
    code = value.strip().lower().replace("_", "-").partition("-")[0]
    if code in LANGUAGES:
        return code
    names = ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())
    raise MidnightError(f"--lang: no language '{value}' (languages: {names})")


def _seats(text: str | None, game) -> dict[str, str]:
    """`--seats` checked against the scenario's seats and the players there are: a one-line error."""
    from difflib import get_close_matches

    from engine.bots import persona_names
    from engine.errors import MidnightError
    from engine.play.table import BOT, HUMAN, parse_seats

    try:
        seats = parse_seats(text, game.seats)
    except ValueError as error:
        raise MidnightError(f"--seats: {error}") from None
    players = [HUMAN, BOT, *persona_names()]
    for seat, who in seats.items():
        if who not in players and who != "default":
            close = get_close_matches(who, players, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise MidnightError(f"--seats: no player '{who}' for {seat}{hint}; "
                                f"players: {', '.join(players)}")
    return seats


def check_arguments(args) -> None:
    """Everything `midnight play` was given, checked before any UI starts, so a typo is a one-line
    error and writes nothing: the language, the save to resume, the scenario and `--seats`.
    What is checked is kept on `args` for `build_app`."""
    from engine import load_game
    from engine.errors import MidnightError

    _language(getattr(args, "lang", None))
    if getattr(args, "resume", None):
        resume_session(args)
    elif args.scenario and _loads_after_paint(args):
        return  # a shipped scenario, tested with every release: it loads after the first paint
    elif args.scenario:
        game = getattr(args, "checked_game", None) or load_game(args.scenario)
        _seats(getattr(args, "seats", ""), game)
        args.checked_game = game
    elif getattr(args, "seats", ""):
        raise MidnightError("--seats needs a scenario: midnight play SCENARIO --seats SEAT=WHO,... "
                            "(or choose the seats on the start screen)")


def _loads_after_paint(args) -> bool:
    """Whether `midnight play SCENARIO` may load its scenario after the first paint: a built-in
    one with nothing else to check against it (`--seats` names its seats, so it loads first)."""
    from engine.scenario.builtin import builtin_scenario_ids

    return not getattr(args, "seats", "") and args.scenario in builtin_scenario_ids()


def build_app(args):
    """The app `midnight play` would run with these arguments (tests use this too)."""
    from tui.app import MidnightApp

    language = _language(getattr(args, "lang", None))
    if getattr(args, "resume", None):
        return MidnightApp(resume_session(args))
    if not args.scenario:  # the start screen: the rules load after its first paint
        return MidnightApp(start={"seed": args.seed}, language=language)
    if getattr(args, "checked_game", None) is None and _loads_after_paint(args):
        return MidnightApp(start={"seed": args.seed, "load": args.scenario}, language=language)
    from engine import load_game
    from engine.play.table import Session

    game = getattr(args, "checked_game", None) or load_game(args.scenario)
    seats = _seats(getattr(args, "seats", ""), game)
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
    # The language asked for, else the one the save was played in.
    language = _language(getattr(args, "lang", None) or record.language or None)
    try:
        session = Session.resume(game, record, Path(resume), language)
    except RecordError as error:
        raise RecordError(f"{resume}: cannot resume: {error}") from None
    args.resumed_session = session
    return session


def resume_command(session, path) -> str:
    """The command that resumes a save: a scenario file (not built in) is named again; `uv run
    midnight` when this game was started through uv (which sets $UV for what it runs)."""
    source = session.game.source
    command = "uv run midnight" if os.environ.get("UV") else "midnight"
    return f"{command} play {source} --resume {path}" if source else f"{command} play --resume {path}"


def play(args) -> int:
    """`midnight play [SCENARIO] [--seed N] [--lang L] [--seats S] [--resume FILE]`."""
    app = build_app(args)
    result = app.run()
    if app.load_error:
        print(printable(app.load_error), file=sys.stderr)
        return 1
    if app.join_requested:
        from tui.screens.join import JoinApp

        return int(JoinApp(language=app.ui_language).run() or 0)
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
    setattr(app, "replay_path", record_path)  # noqa: B010 - what a branch names as its source (screens/replay.py)
    result = app.run()
    session = app.session  # a branch played on from the viewer: say where it is, as `play` does
    if session is not None and not session.state.over and not app.return_code:
        try:
            path = session.save()
            print(printable(f"midnight: game saved to {path}\nresume with: {resume_command(session, path)}"), file=sys.stderr)
        except OSError as error:
            print(printable(f"midnight: could not save the game: {error}"), file=sys.stderr)
    return app.return_code or int(result or 0)
