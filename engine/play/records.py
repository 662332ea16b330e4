"""Records: a played game as a human-readable YAML file, replayable and verifiable.

A record is a header (scenario id, version and content hash, engine version, seed, who played
each seat, when) and then the inputs turn by turn, each turn closed by a digest of the state and a
few readable figures (clock, risk, tracks). Replaying re-executes the inputs and compares each
turn's digest; on a mismatch it names the first turn and the first field that differ.
A save is a record of a game in progress (its last turn has no `after`).
A branch (engine/play/branch.py) is a record whose game starts as another record's did and
leaves it at a turn: it holds the source's turns before that turn and a `branched_from` section
(the source, the turn, the digest of the state at its start), which replay checks too.
See docs/records.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import yaml

from engine.errors import MidnightError, RecordError
from engine.play.loop import PlayedInput
from engine.rules.game import Game
from engine.rules.inputs import input_to_dict, parse_input
from engine.rules.state import GameState
from engine.scenario.converter import LoadError, Problem, structure_document
from engine.scenario.loading import read_document
from engine.version import __version__

RECORD_FORMAT = 1
BRANCH_FORMAT = 2  # a record with `branched_from`: an older engine refuses it by its version, clearly
READABLE_FORMATS = (RECORD_FORMAT, BRANCH_FORMAT)
MAX_SEED = 2**63 - 1
MAX_TURN = 100_000
MAX_WHY = 10_000  # characters in a reason


# -- the file's shape -------------------------------------------------------------------------


@attrs.frozen
class ScenarioRef:
    """Which scenario a record was played on; `file` when it was not a built-in one."""

    id: str
    version: str
    hash: str
    file: str | None = None

    def to_load(self, override: str | None = None, record_path: str | os.PathLike[str] | None = None) -> str:
        """What to load to replay the record: `override` (the user's choice), else its file, else its id.

        The record's own `file` is untrusted: it is read relative to the record's folder
        (`record_path`'s), must stay inside it and must be a .yaml/.yml file; an absolute path, a
        `..` escape or a missing file is refused, asking for `--scenario FILE`. A RecordError
        names the path the record gives, never anything read from it.
        """
        if override:
            return override
        if self.file is None:
            return self.id
        return os.fspath(_scenario_file(self.file, record_path))


def _scenario_file(file: str, record_path: str | os.PathLike[str] | None) -> Path:
    shown = file if len(file) <= 80 else file[:77] + "..."
    ask = "name the scenario on the command line with --scenario FILE"
    folder = Path(record_path).resolve().parent if record_path is not None else Path.cwd().resolve()
    relative = Path(file)
    if not file or "\x00" in file or relative.is_absolute() or relative.drive or ".." in relative.parts:
        raise RecordError(f"the record's scenario file {shown!r} is not a path inside the record's folder; {ask}")
    if relative.suffix.lower() not in (".yaml", ".yml"):
        raise RecordError(f"the record's scenario file {shown!r} is not a scenario (.yaml or .yml); {ask}")
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder):
        raise RecordError(f"the record's scenario file {shown!r} leads outside the record's folder; {ask}")
    if not target.is_file():
        raise RecordError(f"the record's scenario file {shown!r} is not in the record's folder; {ask}")
    return target


@attrs.frozen
class TurnAfter:
    """The state at the end of a turn: its digest, and figures a person can read."""

    digest: str
    clock: float
    risk: float
    tracks: Mapping[str, float] = attrs.field(factory=dict)


@attrs.frozen
class RecordedTurn:
    turn: int
    inputs: tuple[Mapping[str, Any], ...] = ()
    after: TurnAfter | None = None


@attrs.frozen
class BranchedFrom:
    """Where a branch came from: the source record (its name, for people), the turn at whose start
    the branch leaves it, the digest of the state there, and when the source was played."""

    record: str
    turn: int
    digest: str
    played: str = ""


@attrs.frozen
class Record:
    midnight_record: int
    scenario: ScenarioRef
    seed: int
    engine: str = ""
    seats: Mapping[str, str] = attrs.field(factory=dict)
    played: str = ""
    language: str = ""  # the players' language, for replays and reports (empty: not said, English)
    branched_from: BranchedFrom | None = None
    result: Mapping[str, Any] | None = None
    turns: tuple[RecordedTurn, ...] = ()

    @property
    def complete(self) -> bool:
        return self.result is not None

    def inputs(self) -> list[dict]:
        """Every input in order, without the players' reasons."""
        return [
            {k: v for k, v in entry.items() if k != "why"}
            for turn in self.turns
            for entry in turn.inputs
        ]


# -- digests ------------------------------------------------------------------------------------


def snapshot(game: Game, state: GameState) -> dict[str, Any]:
    """The state as plain, named data: what a digest covers and a divergence is reported in."""
    layout = game.layout
    return {
        "turn": state.turn,
        "phase": state.phase.value,
        "clock": state.clock,
        "risk": state.risk,
        "crisis_risk": state.crisis_risk,
        "active": sorted(state.active),
        "tracks": {layout.label(i): v for i, v in enumerate(state.tracks)},
        "agreements": [_agreement(a) for a in state.agreements],
        "proposals": [
            [p.id, p.template, p.proposer, list(p.parties), dict(p.params),
             {k: v.value for k, v in p.responses.items()},
             # a package's other parts only when there are some, so other digests are as they were
             *([[[part.template, dict(part.params)] for part in p.package]] if p.package else [])]
            for p in state.proposals
        ],
        # signed and awaiting ratification: only when some are, as above
        **({"pending": [_agreement(a) for a in state.pending]} if state.pending else {}),
        "crisis": None if state.crisis is None else attrs.asdict(state.crisis),
        "fired_events": sorted(state.fired_events),
        "last_played": [list(x) for x in state.last_played],
        "next_id": state.next_id,
        "log_length": len(state.log),
        # only while the day after is played, so the digests of every other game are as they were
        **({"nuclear_use": attrs.asdict(state.nuclear_use)} if state.nuclear_use is not None else {}),
        "outcome": None if state.outcome is None else {
            "termination": state.outcome.termination.value,
            "turn": state.outcome.turn,
            "scores": dict(state.outcome.scores),
            "shared": state.outcome.shared,
        },
    }


def _agreement(a) -> list:
    """An agreement in a snapshot; its package and ratification turn only when it has them."""
    row = [a.id, a.template, list(a.parties), dict(a.params), a.signed_turn, a.expires_turn]
    if a.package is not None or a.ratify_turn is not None:
        row += [a.package, a.ratify_turn]
    return row


def digest(game: Game, state: GameState) -> str:
    canonical = json.dumps(snapshot(game, state), sort_keys=True, separators=(",", ":"))
    return "blake2b:" + hashlib.blake2b(canonical.encode(), digest_size=12).hexdigest()


def _after(game: Game, state: GameState) -> TurnAfter:
    layout = game.layout
    tracks = {layout.label(i): v for i, v in enumerate(state.tracks)}
    return TurnAfter(digest(game, state), state.clock, state.risk, tracks)


def result_of(state: GameState) -> dict[str, Any] | None:
    if state.outcome is None:
        return None
    o = state.outcome
    return {"termination": o.termination.value, "turn": o.turn, "catastrophe": o.catastrophe,
            "clock": state.clock, "scores": dict(o.scores), "shared": o.shared}


# -- building records -----------------------------------------------------------------------------


class Recorder:
    """Collects a game's inputs turn by turn as they are applied, closing each turn with its digest.

    Front ends call `record(state_before, played, state_after)` after every `game.apply`.
    """

    def __init__(self, game: Game, seed: int, seats: Mapping[str, str] | None = None, language: str = "") -> None:
        self.game = game
        self.seed = seed
        self.seats = dict(seats or {})
        self.language = language
        self.turns: list[RecordedTurn] = []
        self._inputs: list[dict] = []
        self._turn = 1
        self.final: GameState | None = None
        self.branched_from: BranchedFrom | None = None  # kept through saves of a branch

    @classmethod
    def resume(cls, game: Game, record: Record) -> tuple[Recorder, GameState]:
        """Continue a saved game: verify its record as `replay --verify` does (every digest, the
        turns, the inputs), then return a recorder that goes on from it, reasons kept.

        Raises RecordError (naming the turn) for a save that does not reproduce, or whose game is over.
        """
        check_scenario_matches(game, record)
        result = replay(game, record)
        if result.divergence is not None:
            raise RecordError(f"the save does not reproduce: DIVERGED at {result.divergence}; "
                              "it was changed, or made by another version: start a new game")
        if record.complete or result.final.over:
            raise RecordError(f"the game in it is over (turn {result.final.turn}); "
                              "watch it with `midnight replay FILE` instead")
        recorder = cls(game, record.seed, record.seats, record.language)
        recorder.branched_from = record.branched_from
        state = game.start(record.seed)
        for turn in record.turns:
            for entry in turn.inputs:
                value = input_to_dict(parse_input({k: v for k, v in entry.items() if k != "why"}))
                after, _ = game.apply(state, value)
                why = entry.get("why", "")
                played = PlayedInput(state.turn, state.phase.value, value, why if isinstance(why, str) else "")
                recorder.record(state, played, after)
                state = after
        return recorder, state

    def record(self, before: GameState, played: PlayedInput | Mapping, after: GameState) -> None:
        if isinstance(played, PlayedInput):
            entry = dict(played.input)
            if played.reason:
                entry["why"] = played.reason
        else:
            entry = input_to_dict(parse_input(played))
        self._inputs.append(entry)
        if after.turn != before.turn or after.over:
            self.turns.append(RecordedTurn(before.turn, tuple(self._inputs), _after(self.game, after)))
            self._inputs = []
            self._turn = after.turn
        self.final = after

    def to_record(self) -> Record:
        turns = list(self.turns)
        if self._inputs:
            turns.append(RecordedTurn(self._turn, tuple(self._inputs), None))
        return Record(
            midnight_record=RECORD_FORMAT if self.branched_from is None else BRANCH_FORMAT,
            scenario=ScenarioRef(self.game.scenario.id, self.game.scenario.version, self.game.content_hash, self.game.source),
            seed=self.seed,
            engine=__version__,
            seats=dict(self.seats),
            played=now(),
            language=self.language,
            branched_from=self.branched_from,
            result=result_of(self.final) if self.final is not None else None,
            turns=tuple(turns),
        )


def now() -> str:
    """When a record is written: UTC, to the second."""
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def record_game(
    game: Game, seed: int, history: Sequence[PlayedInput], seats: Mapping[str, str] | None = None
) -> Record:
    """A record of a game played headless (`engine.play.loop.play_out`)."""
    recorder = Recorder(game, seed, seats)
    state = game.start(seed)
    for played in history:
        after, _ = game.apply(state, played.input)
        recorder.record(state, played, after)
        state = after
    return recorder.to_record()


# -- writing ----------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_mapping(dumper: yaml.SafeDumper, data: Mapping) -> yaml.Node:
    return dumper.represent_dict(dict(data))


# Mapping, abstract on purpose: every read-only mapping (MappingProxyType, a Text's values) dumps as a dict.
_Dumper.add_multi_representer(Mapping, _represent_mapping)  # type: ignore[type-abstract]


def _plain(record: Record) -> dict[str, Any]:
    data = attrs.asdict(record, recurse=True)
    if data["scenario"]["file"] is None:
        del data["scenario"]["file"]
    for turn in data["turns"]:
        if turn["after"] is None:
            del turn["after"]
    if data["result"] is None:
        del data["result"]
    if not data["language"]:
        del data["language"]  # records made without one stay as they were
    if data["branched_from"] is None:
        del data["branched_from"]  # an ordinary record stays as format 1 wrote it
    elif not data["branched_from"]["played"]:
        del data["branched_from"]["played"]
    return data


def dump_record(record: Record) -> str:
    """The record as YAML text: block style for the structure, one line per input."""
    data = _plain(record)
    header = {k: v for k, v in data.items() if k != "turns"}
    text = "# Midnight game record: replay with `midnight replay FILE --verify`\n"
    text += yaml.dump(header, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    text += "turns:\n" if data["turns"] else "turns: []\n"  # a branch at turn 1 has none
    for turn in data["turns"]:
        text += f"  - turn: {turn['turn']}\n    inputs:\n" if turn["inputs"] else f"  - turn: {turn['turn']}\n    inputs: []\n"
        for entry in turn["inputs"]:
            line = yaml.dump(entry, Dumper=_Dumper, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False)
            text += f"      - {line.strip()}\n"
        if "after" in turn:
            after = turn["after"]
            text += f"    after:\n      digest: {after['digest']}\n"
            text += f"      clock: {after['clock']!r}\n      risk: {after['risk']!r}\n"
            tracks = yaml.dump(after["tracks"], Dumper=_Dumper, default_flow_style=True, width=10_000, sort_keys=False)
            text += f"      tracks: {tracks.strip()}\n"
    return text


TEMP_SUFFIX = ".midnight-tmp"  # a temporary file being written: `.NAME.PID.midnight-tmp`, next to NAME


def _temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's, or unknown: leave it
    return True


def clean_stale_temps(directory: str | os.PathLike[str], name: str | None = None) -> list[Path]:
    """Remove temporary files an interrupted write left in `directory` (for `name` only, if given):
    those of a process that is no longer running. Returns what was removed."""
    removed: list[Path] = []
    try:
        candidates = list(Path(directory).iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        stem = candidate.name
        if not (stem.startswith(".") and stem.endswith(TEMP_SUFFIX)):
            continue
        target, _, pid = stem[1 : -len(TEMP_SUFFIX)].rpartition(".")
        if not pid.isdigit() or not target or (name is not None and target != name) or _alive(int(pid)):
            continue
        try:
            candidate.unlink()
            removed.append(candidate)
        except OSError:
            pass
    return removed


def check_writable(path: str | os.PathLike[str], what: str = "the record") -> Path:
    """Check before a game that `path` can be written (atomically), or raise RecordError saying why.

    The folder must exist and take new files (tried for real, with the temporary name a write
    uses); the path itself must not be a directory or anything but a regular file. Cleans stale
    temporary files of earlier, interrupted writes of the same file.
    """
    path = Path(path)
    name = os.fspath(path)
    if not path.name or path.name in (".", ".."):
        raise RecordError(f"{name}: is a directory; give a file name for {what}")
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise RecordError(f"{name}: is a directory; give a file name for {what}")
    if path.exists() and not path.is_file():
        raise RecordError(f"{name}: is not a regular file; give a file name for {what}")
    if not directory.exists():
        raise RecordError(f"{name}: no such directory '{directory}'; create it first or choose another path")
    if not directory.is_dir():
        raise RecordError(f"{name}: '{directory}' is not a directory")
    clean_stale_temps(directory, path.name)
    probe = _temp_path(path)
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise RecordError(f"{name}: cannot write in '{directory}' ({error.strerror or error}); choose another path") from None
    return path


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not supported here (Windows): the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write a file so that a crash leaves either the old file or the new one, never half of one.

    The text goes to `.NAME.PID.midnight-tmp` next to the file, is flushed to disk, renamed over
    the file, and the folder is flushed too (so the rename survives a power cut). Temporary files
    a killed writer left behind are removed first.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    clean_stale_temps(directory, path.name)
    temp = _temp_path(path)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


def _portable_scenario_file(record: Record, path: Path) -> Record:
    """A record as written at `path`: its scenario file relative to the record's folder when it
    lies inside it (what replay accepts without --scenario); else kept as it is, for people."""
    file = record.scenario.file
    if not file or not Path(file).is_absolute():
        return record
    folder = path.resolve().parent
    try:
        relative = Path(file).resolve().relative_to(folder)
    except ValueError:
        return record
    return attrs.evolve(record, scenario=attrs.evolve(record.scenario, file=relative.as_posix()))


def write_record(path: str | os.PathLike[str], record: Record) -> None:
    path = Path(path)
    write_atomic(path, dump_record(_portable_scenario_file(record, path)))


# -- reading -------------------------------------------------------------------------------------


def read_record(source: str | os.PathLike[str] | bytes, *, filename: str | None = None) -> Record:
    """Load a record file (untrusted): every problem positioned, never a traceback."""
    document = read_document(source, kind="record", filename=filename)
    name = document.filename
    if isinstance(document.data, Mapping) and "midnight_record" not in document.data:
        raise LoadError([Problem(name, 1, 1, "", "not a Midnight record (no 'midnight_record' key)")])
    record = structure_document(document, Record, what="a record")
    problems = []
    if record.midnight_record not in READABLE_FORMATS:
        readable = " and ".join(str(f) for f in READABLE_FORMATS)
        problems.append(Problem(name, *document.position(("midnight_record",)), "midnight_record",
                                f"record format {record.midnight_record} is not supported (this engine reads {readable})"))
    elif (record.branched_from is not None) != (record.midnight_record == BRANCH_FORMAT):
        problems.append(Problem(name, *document.position(("midnight_record",)), "midnight_record",
                                f"a record with 'branched_from' is format {BRANCH_FORMAT}, one without it format "
                                f"{RECORD_FORMAT}"))
    if record.branched_from is not None and not 1 <= record.branched_from.turn <= MAX_TURN:
        problems.append(Problem(name, *document.position(("branched_from", "turn")), "branched_from.turn",
                                f"a turn number is between 1 and {MAX_TURN}"))
    if not -MAX_SEED <= record.seed <= MAX_SEED:
        problems.append(Problem(name, *document.position(("seed",)), "seed", f"the seed is out of range (at most {MAX_SEED})"))
    for i, turn in enumerate(record.turns):
        if not 1 <= turn.turn <= MAX_TURN:
            line, column = document.position(("turns", i, "turn"))
            problems.append(Problem(name, line, column, f"turns[{i}].turn", f"a turn number is between 1 and {MAX_TURN}"))
        for j, entry in enumerate(turn.inputs):
            line, column = document.position(("turns", i, "inputs", j))
            why = entry.get("why", "")
            if not isinstance(why, str) or len(why) > MAX_WHY:
                problems.append(Problem(name, line, column, f"turns[{i}].inputs[{j}].why",
                                        f"'why' must be text of at most {MAX_WHY} characters"))
            try:
                parse_input({k: v for k, v in entry.items() if k != "why"})
            except MidnightError as error:
                problems.append(Problem(name, line, column, f"turns[{i}].inputs[{j}] (turn {turn.turn})", str(error)))
            if len(problems) >= 20:
                break
    if problems:
        raise LoadError(problems)
    return record


# -- replaying ------------------------------------------------------------------------------------


@attrs.frozen
class Divergence:
    """The first place a replay differs from its record: a field's two values, or what is wrong (`message`)."""

    turn: int
    field: str
    recorded: Any = None
    replayed: Any = None
    message: str = ""

    def __str__(self) -> str:
        if self.message:
            return f"turn {self.turn}: {self.message}"
        return f"turn {self.turn}: {self.field} was {_clip(self.recorded)} in the record, {_clip(self.replayed)} on replay"


def _clip(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@attrs.frozen
class Replay:
    """A replayed record: the state after each turn, and the first divergence if any."""

    states: tuple[GameState, ...]
    final: GameState
    divergence: Divergence | None
    turns_checked: int
    inputs_applied: int = 0


def load_record_game(record: Record, record_path: str | os.PathLike[str], override: str | None = None) -> Game:
    """The game a record was played on: `override` (a scenario the user names), else the record's
    own scenario file (inside its folder, see ScenarioRef.to_load), else its built-in id; checked
    to be the very scenario the record was made with. Raises RecordError (or a ScenarioError for
    a scenario the user named); an error never quotes a file the record named."""
    name = os.fspath(record_path)
    try:
        ref = record.scenario.to_load(override, record_path)
    except RecordError as error:
        raise RecordError(f"{name}: {error}") from None
    if override or record.scenario.file is None:
        game = Game.load(ref)
    else:
        try:
            game = Game.load(ref)
        except LoadError:
            raise RecordError(f"{name}: the record's scenario file '{record.scenario.file}' is not a valid scenario; "
                              f"check it with `midnight validate`, or name the scenario with --scenario FILE") from None
    try:
        check_scenario_matches(game, record)
    except RecordError as error:
        raise RecordError(f"{name}: {error}") from None
    return game


def check_scenario_matches(game: Game, record: Record) -> None:
    ref = record.scenario
    if ref.id != game.scenario.id:
        raise RecordError(f"this record is of scenario '{ref.id}', not '{game.scenario.id}'")
    if game.content_hash and ref.hash != game.content_hash:
        raise RecordError(
            f"this record was made with a different version of scenario '{ref.id}' "
            f"(record: version {ref.version}, {ref.hash[:19]}…; this file: version "
            f"{game.scenario.version}, {game.content_hash[:19]}…); replay it with the scenario file it was made with"
        )


def _first_difference(recorded: TurnAfter, game: Game, state: GameState) -> tuple[str, Any, Any] | None:
    """The first field where the replayed state differs from the record's, or None."""
    replayed = _after(game, state)
    for key in ("clock", "risk"):
        if getattr(recorded, key) != getattr(replayed, key):
            return key, getattr(recorded, key), getattr(replayed, key)
    if dict(recorded.tracks) != dict(replayed.tracks):
        for name in dict.fromkeys([*recorded.tracks, *replayed.tracks]):
            if recorded.tracks.get(name) != replayed.tracks.get(name):
                return f"tracks.{name}", recorded.tracks.get(name), replayed.tracks.get(name)
    if recorded.digest != replayed.digest:
        return "digest", recorded.digest, replayed.digest
    return None


def _same(recorded: Any, replayed: Any) -> bool:
    """Equal, with types that matter: true is not 1, and a number is not its text."""
    if isinstance(recorded, bool) or isinstance(replayed, bool):
        return type(recorded) is type(replayed) and recorded == replayed
    if isinstance(recorded, int | float) and isinstance(replayed, int | float):
        return recorded == replayed
    return type(recorded) is type(replayed) and recorded == replayed


def _result_difference(recorded: Mapping[str, Any], replayed: Mapping[str, Any]) -> tuple[str, Any, Any] | None:
    """The first field of a record's `result` that differs from the replayed outcome's, or None."""
    for key in dict.fromkeys([*replayed, *recorded]):
        if key not in recorded or key not in replayed:
            return f"result.{key}", recorded.get(key), replayed.get(key)
        mine, theirs = recorded[key], replayed[key]
        if isinstance(mine, Mapping) and isinstance(theirs, Mapping):
            for name in dict.fromkeys([*theirs, *mine]):
                if name not in mine or name not in theirs or not _same(mine[name], theirs[name]):
                    return f"result.{key}.{name}", mine.get(name), theirs.get(name)
        elif not _same(mine, theirs):
            return f"result.{key}", mine, theirs
    return None


def _branch_point_difference(
    game: Game, branched: BranchedFrom, states: Sequence[GameState], closed: int
) -> Divergence | None:
    """A branch's claim about where it left its source: the state at the start of its turn, after
    the source's turns before it (which the branch holds, closed), has the digest it names."""
    turn = branched.turn
    if turn - 1 > closed:
        return Divergence(turn, "branched_from.turn", message=f"the branch leaves its source at turn {turn}, but "
                          f"holds only {closed} closed turn(s) of it (turns 1 to {turn - 1} are needed)")
    start = states[turn - 1]
    if start.over or start.turn != turn:
        return Divergence(turn, "branched_from.turn", message=f"the game is not at the start of turn {turn} "
                          "where the branch says it leaves its source")
    replayed = digest(game, start)
    if replayed != branched.digest:
        return Divergence(turn, "branched_from.digest", branched.digest, replayed)
    return None


def replay(game: Game, record: Record, *, stop_at_divergence: bool = True) -> Replay:
    """Re-execute a record and check it against every claim it makes. Raises RecordError if an
    input is illegal on replay.

    Besides each turn's `after` (digest and figures), the replay checks the record's shape: each
    turn's number, that each recorded turn ends where the replayed one does (no input cut off or
    added), that only a save's last turn lacks an `after`, and the `result` (termination, turn,
    catastrophe, clock, scores, shared) against the replayed outcome: a record whose game is
    not over on replay has lost turns; a save whose game is over on replay has lost its result.
    A branch's `branched_from` digest is checked against the state at the start of its turn.
    """
    check_scenario_matches(game, record)
    state = game.start(record.seed)
    states = [state]
    divergence: Divergence | None = None
    checked = applied = 0
    for index, turn in enumerate(record.turns):
        last = index == len(record.turns) - 1
        if state.over:
            divergence = Divergence(turn.turn, "turns", message=f"the game is over on replay after turn {state.turn}, "
                                    f"but the record goes on with turn {turn.turn}")
            break
        if turn.turn != state.turn:
            divergence = Divergence(turn.turn, "turn", message=f"the record has turn {turn.turn} where the replay is "
                                    f"at turn {state.turn} (a turn missing, repeated or renumbered)")
            break
        for j, entry in enumerate(turn.inputs):
            if state.turn != turn.turn or state.over:
                divergence = Divergence(turn.turn, "inputs", message=f"the turn ends on replay after {j} of the "
                                        f"record's {len(turn.inputs)} inputs")
                break
            value = {k: v for k, v in entry.items() if k != "why"}
            try:
                state, _ = game.apply(state, value)
            except MidnightError as error:
                raise RecordError(f"turn {turn.turn}, input {j + 1} ({_clip(value.get('seat'))}): {error}") from None
            applied += 1
        if divergence is not None:
            break
        states.append(state)
        finished = state.turn != turn.turn or state.over
        if turn.after is None:
            if record.complete or not last:
                divergence = Divergence(turn.turn, "after", message="the turn has no 'after' (its digest); only a save's "
                                        "last, unfinished turn may leave it out")
                break
            if finished:
                divergence = Divergence(turn.turn, "after", message=f"the turn is over on replay after its "
                                        f"{len(turn.inputs)} inputs, but the record does not close it (no 'after')")
                break
            continue
        if not finished:
            divergence = Divergence(turn.turn, "inputs", message=f"the record closes the turn after {len(turn.inputs)} "
                                    "inputs; on replay it is not over (inputs missing)")
            break
        checked += 1
        # The readable figures are claims too: an edit to them is a divergence.
        difference = _first_difference(turn.after, game, state)
        if difference is not None and divergence is None:
            divergence = Divergence(turn.turn, *difference)
            if stop_at_divergence:
                break
    if divergence is None and record.branched_from is not None:
        divergence = _branch_point_difference(game, record.branched_from, states, checked)
    if divergence is None:
        replayed = result_of(state)
        if record.result is not None and replayed is None:
            divergence = Divergence(state.turn, "result", message=f"the record has a result, but on replay of its "
                                    f"{len(record.turns)} turns ({applied} inputs) the game is not over: turns are missing")
        elif record.result is None and replayed is not None:
            divergence = Divergence(state.turn, "result", message=f"the game is over on replay "
                                    f"({replayed['termination']}), but the record has no result")
        elif record.result is not None and replayed is not None:
            difference = _result_difference(record.result, replayed)
            if difference is not None:
                divergence = Divergence(state.turn, *difference)
    return Replay(tuple(states), state, divergence, checked, applied)
