"""What a person chose but has not sent yet (moves ticked, offers drafted, answers marked), kept
next to a save so that Ctrl+S or q mid-turn loses none of it.

A save is a record of submitted inputs (engine/play/records.py): an unsent choice is no input, so
it lives in its own small file, `<save>.unsent.yaml`, written with the save and read back when the
save is resumed. It is the UI's convenience, not part of the game: it names the round it belongs
to (turn, phase, talk round, crisis round, seat) and is used only in that round; the engine checks
what is finally sent like any other input. Read as untrusted input: bounded, safe YAML, checked.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MAX_BYTES = 64 * 1024  # a turn's choices are a few hundred bytes


class UnsentError(ValueError):
    """The unsent-choices file cannot be used: the message says why, in one line."""


def unsent_path(save: Path) -> Path:
    """The file of a save's unsent choices: `game.yaml` -> `game.unsent.yaml`."""
    return save.with_name(f"{save.stem}.unsent.yaml")


def round_of(state, seat: str) -> dict:
    """The round of submissions `state` is in, for `seat`: what an unsent choice belongs to."""
    crisis = state.crisis.round if state.crisis is not None else 0
    return {"turn": state.turn, "phase": state.phase.value, "talk_round": state.talk_round,
            "crisis_round": crisis, "seat": seat}


def write_unsent(save: Path, round_: dict | None, choice: dict | None) -> None:
    """Keep `choice` (the input the seat would send: moves, offers or replies) for `round_` next to
    `save`, atomically; with nothing to keep, remove what an earlier save kept."""
    path = unsent_path(save)
    if round_ is None or choice is None:
        path.unlink(missing_ok=True)
        return
    import yaml  # here, not at the top: the start screen paints before yaml is needed

    text = yaml.safe_dump({"round": round_, "choice": choice}, allow_unicode=True, sort_keys=False)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_unsent(save: Path) -> dict | None:
    """The unsent choices kept next to `save` ({"round": ..., "choice": ...}), or None if there are
    none. Raises UnsentError if the file is too big, not YAML or not of that shape."""
    path = unsent_path(save)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UnsentError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise UnsentError(f"{path}: larger than {MAX_BYTES // 1024} KB, not a file of unsent choices")
    import yaml

    try:
        value = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError):
        raise UnsentError(f"{path}: not readable YAML") from None
    round_ = value.get("round") if isinstance(value, dict) else None
    choice = value.get("choice") if isinstance(value, dict) else None
    keys = {"turn": int, "phase": str, "talk_round": int, "crisis_round": int, "seat": str}
    if not isinstance(round_, dict) or not isinstance(choice, dict) or any(
            type(round_.get(key)) is not kind for key, kind in keys.items()):
        raise UnsentError(f"{path}: not a file of unsent choices (a 'round' and a 'choice' expected)")
    return {"round": {key: round_[key] for key in keys}, "choice": choice}
