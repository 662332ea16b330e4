"""Make a debrief report from a record file: load, verify by replay, build for a reader, render, write.

    text = report_text("game.yaml", seat="facilitator", language="en", fmt="html")
    path = write_report("game.yaml", "debrief.html")

Every problem is a MidnightError with one line saying what to fix: an unreadable or malformed
record, one that does not verify, an unknown seat or language, an unwritable output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from debrief import html, markdown
from debrief.story import Debrief, build
from debrief.words import LANGUAGES, word
from engine import FACILITATOR, Game
from engine.errors import IllegalInput, MidnightError, RecordError
from engine.play.records import Record, check_writable, load_record_game, read_record, replay, write_atomic
from engine.rules.views import check_seat

FORMATS = ("html", "md")


def load_verified(path: str | os.PathLike[str], scenario: str | None = None):
    """The record at `path`, its game and its replay; raises RecordError unless it reproduces exactly."""
    name = os.fspath(path)
    record = read_record(path)
    game = load_record_game(record, path, scenario)
    try:
        result = replay(game, record)
    except RecordError as error:
        raise RecordError(f"{name}: does not verify: {error}") from None
    if result.divergence is not None:
        raise RecordError(f"{name}: does not verify: DIVERGED at {result.divergence}; "
                          "a report is made only from a record that replays exactly (check it with `midnight replay --verify`)")
    return game, record, result


def debrief_of(game: Game, record: Record, states, *, seat: str = FACILITATOR, language: str = "en",
               record_name: str = "") -> Debrief:
    """The report's facts for `seat` (checked against the game's seats) in `language`."""
    if language not in LANGUAGES:
        raise MidnightError(f"no report language '{language}' (languages: {', '.join(LANGUAGES)})")
    try:
        check_seat(game, seat)
    except IllegalInput as error:
        raise MidnightError(str(error)) from None
    return build(game, record, states, seat=seat, language=language, record_name=record_name)


def render(debrief: Debrief, fmt: str = "html") -> str:
    if fmt not in FORMATS:
        raise MidnightError(f"no report format '{fmt}' (formats: {', '.join(FORMATS)})")
    return html.render(debrief) if fmt == "html" else markdown.render(debrief)


def report_text(path: str | os.PathLike[str], *, seat: str = FACILITATOR, language: str | None = None, fmt: str = "html",
                scenario: str | None = None, what_if_runs: int = 0, turns: Sequence[int] = (),
                changes: Sequence[str] = ()) -> str:
    """The report of a record file. With `what_if_runs`, the facilitator's report gets the
    counterfactual table: continuations from each of `turns` (default: the turning points).
    Without a `language`, the record's own (the one it was played in), else English."""
    if (what_if_runs or turns or changes) and seat != FACILITATOR:
        raise MidnightError(word("what_if_seat", "en"))
    if (turns or changes) and not what_if_runs:
        raise MidnightError("--turn and --change go with --what-if RUNS (how many continuations per turn)")
    if fmt not in FORMATS:
        raise MidnightError(f"no report format '{fmt}' (formats: {', '.join(FORMATS)})")
    game, record, result = load_verified(path, scenario)
    if language is None:
        language = record.language if record.language in LANGUAGES else "en"
    debrief = debrief_of(game, record, result.states, seat=seat, language=language, record_name=Path(path).name)
    if what_if_runs:
        from debrief.whatif import what_if

        chosen = list(turns) or [p.turn for p in debrief.points if p.ended is None]
        ref = record.scenario.to_load(scenario, path)
        debrief.what_if = what_if(game, record, os.fspath(path), ref, chosen, what_if_runs, changes)
    return render(debrief, fmt)


def default_output(record_path: str | os.PathLike[str], seat: str = FACILITATOR, fmt: str = "html") -> Path:
    """Where a report of `record_path` goes by default: next to it, `NAME.debrief.html` (a seat's:
    `NAME.debrief-SEAT.html`)."""
    path = Path(record_path)
    suffix = "" if seat == FACILITATOR else f"-{seat}"
    return path.with_name(f"{path.stem}.debrief{suffix}.{fmt}")


def write_report(record_path: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
                 seat: str = FACILITATOR, language: str | None = None, fmt: str = "html", scenario: str | None = None,
                 what_if_runs: int = 0, turns: Sequence[int] = (), changes: Sequence[str] = ()) -> Path:
    """Write the report of a record file atomically; returns where it went."""
    target = Path(out) if out is not None else default_output(record_path, seat, fmt)
    check_writable(target, "the report")
    text = report_text(record_path, seat=seat, language=language, fmt=fmt, scenario=scenario,
                       what_if_runs=what_if_runs, turns=turns, changes=changes)
    write_atomic(target, text)
    return target


def write_debrief(debrief: Debrief, out: str | os.PathLike[str], fmt: str = "html") -> Path:
    """Write a report already built (the terminal UI's, from the game in memory) atomically."""
    target = Path(out)
    check_writable(target, "the report")
    write_atomic(target, render(debrief, fmt))
    return target


def write_game_report(game: Game, record: Record, out: str | os.PathLike[str], *, language: str = "en",
                      states=None, record_name: str = "") -> Path:
    """Write the facilitator's report of a game held in memory (the terminal UI's end screen and
    replay viewer): `states` from its replay, else the record is replayed (and must reproduce)."""
    if states is None:
        result = replay(game, record)
        if result.divergence is not None:
            raise RecordError(f"the game does not reproduce: DIVERGED at {result.divergence}")
        states = result.states
    debrief = debrief_of(game, record, states, language=language, record_name=record_name)
    return write_debrief(debrief, out)
