"""Records: a played game as a human-readable YAML file, replayable and verifiable.

A record is a header (scenario id, version and content hash, engine version, seed, who played
each seat, when) and then the inputs turn by turn, each turn closed by a digest of the state and a
few readable figures (clock, risk, tracks). Replaying re-executes the inputs and compares each
turn's digest; on a mismatch it names the first turn and the first field that differ.
A save is a record of a game in progress (its last turn has no `after`).
See docs/records.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import tempfile
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
from engine.scenario.loading import load_yaml, read_bytes_limited
from engine.version import __version__

RECORD_FORMAT = 1


# -- the file's shape -------------------------------------------------------------------------


@attrs.frozen
class ScenarioRef:
    """Which scenario a record was played on; `file` when it was not a built-in one."""

    id: str
    version: str
    hash: str
    file: str | None = None

    def to_load(self, override: str | None = None) -> str:
        """What to load to replay the record: `override`, else its file if still there, else its id."""
        if override:
            return override
        if self.file and Path(self.file).is_file():
            return self.file
        return self.id


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
class Record:
    midnight_record: int
    scenario: ScenarioRef
    seed: int
    engine: str = ""
    seats: Mapping[str, str] = attrs.field(factory=dict)
    played: str = ""
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
        "agreements": [
            [a.id, a.template, list(a.parties), dict(a.params), a.signed_turn, a.expires_turn]
            for a in state.agreements
        ],
        "proposals": [
            [p.id, p.template, p.proposer, list(p.parties), dict(p.params),
             {k: v.value for k, v in p.responses.items()}]
            for p in state.proposals
        ],
        "crisis": None if state.crisis is None else attrs.asdict(state.crisis),
        "fired_events": sorted(state.fired_events),
        "last_played": [list(x) for x in state.last_played],
        "next_id": state.next_id,
        "log_length": len(state.log),
        "outcome": None if state.outcome is None else {
            "termination": state.outcome.termination.value,
            "turn": state.outcome.turn,
            "scores": dict(state.outcome.scores),
            "shared": state.outcome.shared,
        },
    }


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

    def __init__(self, game: Game, seed: int, seats: Mapping[str, str] | None = None) -> None:
        self.game = game
        self.seed = seed
        self.seats = dict(seats or {})
        self.turns: list[RecordedTurn] = []
        self._inputs: list[dict] = []
        self._turn = 1
        self.final: GameState | None = None

    @classmethod
    def resume(cls, game: Game, record: Record) -> tuple[Recorder, GameState]:
        """Continue a saved game: replay its record and return a recorder that goes on from it."""
        recorder = cls(game, record.seed, record.seats)
        check_scenario_matches(game, record)
        state = game.start(record.seed)
        for entry in record.inputs():
            try:
                after, _ = game.apply(state, entry)
            except MidnightError as error:
                raise RecordError(f"the saved game cannot be replayed: {error}") from None
            recorder.record(state, entry, after)
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
            midnight_record=RECORD_FORMAT,
            scenario=ScenarioRef(self.game.scenario.id, self.game.scenario.version, self.game.content_hash, self.game.source),
            seed=self.seed,
            engine=__version__,
            seats=dict(self.seats),
            played=datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
            result=result_of(self.final) if self.final is not None else None,
            turns=tuple(turns),
        )


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
    return data


def dump_record(record: Record) -> str:
    """The record as YAML text: block style for the structure, one line per input."""
    data = _plain(record)
    header = {k: v for k, v in data.items() if k != "turns"}
    text = "# Midnight game record: replay with `midnight replay FILE --verify`\n"
    text += yaml.dump(header, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    text += "turns:\n"
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


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write a file so that a crash leaves either the old file or the new one, never half of one."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
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


def write_record(path: str | os.PathLike[str], record: Record) -> None:
    write_atomic(path, dump_record(record))


# -- reading -------------------------------------------------------------------------------------


def read_record(source: str | os.PathLike[str] | bytes, *, filename: str | None = None) -> Record:
    """Load a record file (untrusted): every problem positioned, never a traceback."""
    if isinstance(source, bytes | bytearray):
        raw, name = bytes(source), filename or "<record>"
    else:
        raw, name = read_bytes_limited(source, max_bytes=10_000_000), filename or os.fspath(source)
    document = load_yaml(raw, filename=name, max_bytes=10_000_000, max_nodes=1_000_000)
    if isinstance(document.data, Mapping) and "midnight_record" not in document.data:
        raise LoadError([Problem(name, 1, 1, "", "not a Midnight record (no 'midnight_record' key)")])
    record = structure_document(document, Record, what="a record")
    problems = []
    if record.midnight_record != RECORD_FORMAT:
        problems.append(Problem(name, *document.position(("midnight_record",)), "midnight_record",
                                f"record format {record.midnight_record} is not supported (this engine reads {RECORD_FORMAT})"))
    for i, turn in enumerate(record.turns):
        for j, entry in enumerate(turn.inputs):
            try:
                parse_input({k: v for k, v in entry.items() if k != "why"})
            except MidnightError as error:
                line, column = document.position(("turns", i, "inputs", j))
                problems.append(Problem(name, line, column, f"turns[{i}].inputs[{j}]", str(error)))
    if problems:
        raise LoadError(problems)
    return record


# -- replaying ------------------------------------------------------------------------------------


@attrs.frozen
class Divergence:
    turn: int
    field: str
    recorded: Any
    replayed: Any

    def __str__(self) -> str:
        return f"turn {self.turn}: {self.field} was {self.recorded!r} in the record, {self.replayed!r} on replay"


@attrs.frozen
class Replay:
    """A replayed record: the state after each turn, and the first divergence if any."""

    states: tuple[GameState, ...]
    final: GameState
    divergence: Divergence | None
    turns_checked: int


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


def replay(game: Game, record: Record, *, stop_at_divergence: bool = True) -> Replay:
    """Re-execute a record. Raises RecordError if an input is illegal on replay."""
    check_scenario_matches(game, record)
    state = game.start(record.seed)
    states = [state]
    divergence = None
    checked = 0
    for turn in record.turns:
        for j, entry in enumerate(turn.inputs):
            value = {k: v for k, v in entry.items() if k != "why"}
            try:
                state, _ = game.apply(state, value)
            except MidnightError as error:
                raise RecordError(f"turn {turn.turn}, input {j + 1} ({value.get('seat')}): {error}") from None
        states.append(state)
        if turn.after is None:
            continue
        checked += 1
        # The readable figures are claims too: an edit to them is a divergence.
        difference = _first_difference(turn.after, game, state)
        if difference is not None and divergence is None:
            divergence = Divergence(turn.turn, *difference)
            if stop_at_divergence:
                break
    return Replay(tuple(states), state, divergence, checked)

