"""Hostile and broken records, saves and inputs: each is refused with one clean line (the file,
the turn where there is one, what to do) and exit status 1, never a traceback; a failed resume
leaves its file byte-identical; an interrupted write never leaves half a record."""

from __future__ import annotations

import contextlib
import io
import math
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import InvalidInput, MidnightError, RecordError
from engine.play.loop import default_controller, play_out, step
from engine.play.records import (
    Recorder,
    check_writable,
    clean_stale_temps,
    dump_record,
    read_record,
    record_game,
    replay,
    write_record,
)
from engine.play.table import Session, resume_seats
from engine.rules.inputs import parse_input
from midnight.cli import main

from helpers import rules_game

ROOT = Path(__file__).resolve().parent.parent
RULES = str(ROOT / "tests" / "fixtures" / "rules.yaml")
HOSTILE = ROOT / "tests" / "hostile" / "records"
GAME = rules_game()


def cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def assert_one_clean_line(status: int, err: str, *needles: str) -> str:
    assert status == 1
    assert "Traceback" not in err
    first = err.strip().splitlines()[0]
    assert first.startswith("midnight: ") and len(first) < 400, first
    for needle in needles:
        assert needle in first, f"{needle!r} not in {first!r}"
    return first


def finished_record(tmp_path: Path, seed: int = 3) -> Path:
    path = tmp_path / "game.yaml"
    status, _, err = cli(["run", RULES, "--seed", str(seed), "--record", str(path), "--quiet"])
    assert status == 0, err
    return path


def edit(path: Path, change) -> None:
    """Load the record as plain data, let `change` edit it, write it back as YAML."""
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


# -- parse_input: strict, and nothing but InvalidInput --------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"seat": "red", "kind": "propose", "offers": 5}, "'offers' must be a list, not a whole number"),
        ({"seat": "red", "kind": "respond", "replies": True}, "'replies' must be a list, not true/false"),
        ({"kind": "adjust", "track": "clock", "value": 10**400}, "out of range (an integer of 401 digits"),
        ({"kind": "adjust", "track": "clock", "value": math.nan}, "out of range"),
        ({"kind": "adjust", "track": "clock", "value": -math.inf}, "out of range"),
        ({"kind": "adjust", "track": "clock", "value": True}, "must be a number, not true/false"),
        ({"seat": "red", "kind": "decide", "moves": [], "teleport": 1}, "unknown key 'teleport'"),
        ({"seat": "red", "kind": "decide", "moves": ["x" * 201]}, "1 to 200 printable characters"),
        ({"seat": "red", "kind": "decide", "moves": ["a"] * 257}, "257 entries (at most 256)"),
        ({"seat": "red", "kind": "decide", "moves": [["nested"]]}, "must be a name, not a list"),
        ({"seat": "red\nfake", "kind": "decide"}, "printable"),
        ({"seat": "red", "kind": "respond", "replies": [{"proposal": True, "answer": "accept"}]}, "not true/false"),
        ({"seat": "red", "kind": "respond", "replies": [{"proposal": 10**30, "answer": "accept"}]}, "out of range"),
        ({"seat": "red", "kind": "respond", "replies": [{"proposal": 1, "answer": ["accept"]}]}, "not a list"),
        ({"seat": "red", "kind": "respond", "replies": [{"proposal": 1, "answer": "accept", "x": 1}]}, "unknown key 'x'"),
        ({"seat": "red", "kind": "propose", "offers": [{"template": "cap", "parties": [], "params": {"limit": True}}]},
         "must be a number, not true/false"),
        ({"seat": "red", "kind": "propose", "offers": [{"template": "cap", "parties": [], "params": {1: 2}}]},
         "named by a name"),
        ({"seat": "red", "kind": "propose", "offers": [{"template": "cap", "prties": []}]}, "unknown key 'prties'"),
        ({"seat": "red", "kind": {"a": 1}}, "unknown kind"),
        ({"seat": "red", "kind": "crisis", "choice": 7}, "'choice' must be one of"),
        ({"kind": "adjust", "track": "clock", "value": 1, "reason": "x" * 3000}, "'reason' must be text"),
        ({"kind": "inject"}, "missing 'event'"),
        ({1: "red", "kind": "decide"}, "a key must be a name"),
    ],
)
def test_parse_input_refuses_wrong_types_sizes_and_keys(value, message):
    with pytest.raises(InvalidInput) as caught:
        parse_input(value)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


def test_parse_input_still_takes_what_front_ends_send():
    assert parse_input({"seat": "red", "kind": "decide", "moves": ["hide"]}).moves == ("hide",)
    adjusted = parse_input({"kind": "adjust", "track": "clock", "value": 5, "reason": "umpire"})
    assert adjusted.value == 5.0 and isinstance(adjusted.value, float)
    offer = parse_input({"seat": "red", "kind": "propose",
                         "offers": [{"template": "cap", "parties": ["red"], "params": {"limit": 3}}]})
    assert offer.offers[0].params["limit"] == 3.0


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**500), max_value=10**500) | st.floats()
    | st.text(max_size=30) | st.sampled_from(["red", "blue", "propose", "respond", "decide", "crisis", "inject", "adjust"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["seat", "kind", "offers", "replies", "moves", "choice", "event", "track", "value", "template",
                         "parties", "params", "proposal", "answer", "reason", "actor", "other", "x"]) | st.text(max_size=5),
        children, max_size=6),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSONISH)
def test_parse_input_raises_only_invalid_input(value):
    try:
        parse_input(value)
    except InvalidInput:
        pass


# -- replay --verify checks every claim a record makes -----------------------------------------


def _forge_termination(data):
    data["result"]["termination"] = "midnight" if data["result"]["termination"] != "midnight" else "last_turn"


def _forge_scores(data):
    data["result"]["scores"]["red"] = data["result"]["scores"]["red"] + 10


def _forge_catastrophe(data):
    data["result"]["catastrophe"] = not data["result"]["catastrophe"]


def _forge_catastrophe_as_number(data):
    data["result"]["catastrophe"] = int(data["result"]["catastrophe"])  # 0 is not false


def _cut_last_turn(data):
    data["turns"].pop()


def _no_turns(data):
    data["turns"] = []


def _cut_an_input(data):
    data["turns"][1]["inputs"].pop()


def _drop_the_result(data):
    del data["result"]


def _renumber_a_turn(data):
    data["turns"][1]["turn"] = 7


def _drop_an_after(data):
    del data["turns"][0]["after"]


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        (_forge_termination, ["result.termination"]),
        (_forge_scores, ["result.scores.red"]),
        (_forge_catastrophe, ["result.catastrophe"]),
        (_forge_catastrophe_as_number, ["result.catastrophe"]),
        (_cut_last_turn, ["turns are missing"]),
        (_no_turns, ["turn 1:", "turns are missing", "0 turns (0 inputs)"]),
        (_cut_an_input, ["turn 2:", "inputs missing"]),
        (_drop_the_result, ["no result"]),
        (_renumber_a_turn, ["turn 7:", "where the replay is at turn 2"]),
        (_drop_an_after, ["turn 1:", "no 'after'"]),
    ],
    ids=lambda x: getattr(x, "__name__", "")[1:] if callable(x) else "",
)
def test_verify_refuses_a_forged_or_cut_record(tmp_path, change, needles):
    path = finished_record(tmp_path)
    assert cli(["replay", str(path), "--verify", "--scenario", RULES])[0] == 0
    edit(path, change)
    status, out, err = cli(["replay", str(path), "--verify", "--scenario", RULES])
    assert "reproduced exactly" not in out
    assert_one_clean_line(status, err, str(path), "DIVERGED at turn", *needles)


def test_print_of_a_diverged_record_says_so_and_fails(tmp_path):
    path = finished_record(tmp_path)
    edit(path, _forge_scores)
    status, out, err = cli(["replay", str(path), "--print", "--scenario", RULES])
    assert "Outcome:" in out  # the replayed story is still printed
    assert_one_clean_line(status, err, str(path), "DIVERGED", "result.scores.red")


def test_verify_of_a_save_says_it_is_a_game_in_progress(tmp_path):
    state, recorder = GAME.start(9), Recorder(GAME, 9, {})
    controllers = {seat: default_controller(GAME, seat) for seat in GAME.seats}
    for _ in range(5):
        state, _ = step(GAME, state, controllers, recorder.record)
    path = tmp_path / "save.yaml"
    write_record(path, recorder.to_record())
    status, out, _ = cli(["replay", str(path), "--verify", "--scenario", RULES])
    assert status == 0 and "a game in progress, reproduced exactly up to turn" in out


# -- hostile files: one line naming the file and, for an input, the turn ---------------------------


@pytest.mark.parametrize(
    "name",
    ["offers_a_number", "replies_a_bool", "value_400_digits", "unknown_input_key", "proposal_a_bool",
     "too_many_moves", "long_move_name", "param_a_bool"],
)
def test_a_wrongly_typed_input_names_file_and_turn(name):
    path = str(HOSTILE / f"{name}.yaml")
    for argv in (["replay", path, "--verify"], ["replay", path, "--print"], ["play", RULES, "--resume", path]):
        status, _, err = cli(argv)
        assert_one_clean_line(status, err, f"{name}.yaml:7:", "(turn 1)")


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("scenario_file_absolute", "not a path inside the record's folder"),
        ("scenario_file_escape", "not a path inside the record's folder"),
        ("scenario_file_not_yaml", "not a scenario (.yaml or .yml)"),
        ("scenario_file_not_a_scenario", "not a valid scenario"),
    ],
)
def test_a_record_cannot_make_replay_open_any_file(name, needle):
    status, _, err = cli(["replay", str(HOSTILE / f"{name}.yaml"), "--verify"])
    first = assert_one_clean_line(status, err, f"{name}.yaml", needle)
    assert "root:" not in err and "--scenario" in first


def test_a_scenario_file_is_read_inside_the_record_folder_only(tmp_path):
    record = finished_record(tmp_path)
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.yaml").write_text("SECRET-FIRST-LINE: 1\n")
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(secret / "secret.yaml")
    (folder / "secret.yaml").write_text("SECRET-FIRST-LINE: 1\n")
    moved = folder / "game.yaml"
    moved.write_text(record.read_text())
    for file, needle in (("link.yaml", "leads outside the record's folder"), ("secret.yaml", "not a valid scenario"),
                         ("nowhere.yaml", "is not in the record's folder")):
        edit(moved, lambda data, file=file: data["scenario"].update(file=file))
        status, _, err = cli(["replay", str(moved), "--verify"])
        assert_one_clean_line(status, err, needle)
        assert "SECRET" not in err
    # Named on the command line, the scenario is the user's choice.
    assert cli(["replay", str(moved), "--verify", "--scenario", RULES])[0] == 0
    # A record written next to its scenario finds it by itself.
    local = tmp_path / "local"
    local.mkdir()
    (local / "rules.yaml").write_bytes(Path(RULES).read_bytes())
    assert cli(["run", str(local / "rules.yaml"), "--record", str(local / "game.yaml"), "--quiet"])[0] == 0
    assert "file: rules.yaml" in (local / "game.yaml").read_text()
    assert cli(["replay", str(local / "game.yaml"), "--verify"])[0] == 0


# -- the property: no mutation of a valid record crashes replay --------------------------------------

VALID = yaml.safe_load(dump_record(record_game(GAME, 4, play_out(GAME, GAME.start(4))[1], {"red": "bot:reciprocator"})))

REPLACEMENTS = (st.none() | st.booleans() | st.integers(min_value=-(10**450), max_value=10**450)
                | st.floats() | st.text(max_size=12) | st.lists(st.integers(), max_size=3)
                | st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


PATHS = [p for p in _paths(VALID) if p]


@st.composite
def mutated_records(draw):
    data = yaml.safe_load(yaml.safe_dump(VALID))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "delete", "replace"]))
            if action == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(REPLACEMENTS)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the way there
    return yaml.safe_dump(data, sort_keys=False).encode()


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_no_mutation_of_a_valid_record_crashes_replay(raw):
    try:
        record = read_record(raw, filename="mutated.yaml")
        result = replay(GAME, record)
    except MidnightError as error:
        assert str(error)
        return
    assert result.final is not None


# -- --record and stdout: checked before the game, one line, exit 1 ---------------------------------


@pytest.mark.parametrize(
    ("target", "needle"),
    [("missing/dir/game.yaml", "no such directory"), (".", "is a directory"), ("sub", "is a directory")],
)
def test_a_record_path_that_cannot_be_written_fails_before_the_game(tmp_path, target, needle):
    (tmp_path / "sub").mkdir()
    status, out, err = cli(["run", RULES, "--record", str(tmp_path / target)])
    assert_one_clean_line(status, err, needle)
    assert "Turn 1" not in out and "Outcome" not in out  # refused before playing


def test_a_record_path_in_a_read_only_folder_fails_before_the_game(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            target = "/proc/midnight-game.yaml"  # root writes anywhere, but not in /proc
            if not Path("/proc").is_dir():
                pytest.skip("running as root without /proc: no read-only folder to try")
        else:
            target = str(folder / "game.yaml")
        status, out, err = cli(["run", RULES, "--record", target])
        assert_one_clean_line(status, err, "cannot write in")
        assert "Outcome" not in out
    finally:
        folder.chmod(0o755)


def test_writing_to_a_full_stdout_is_one_line_and_exit_1():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "midnight", "run", RULES], stdout=full,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("midnight: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


# -- atomic writes under kill -9 -------------------------------------------------------------------

WRITER = """
import sys
sys.path.insert(0, {tests!r})
from engine.play.loop import play_out
from engine.play.records import record_game, write_record
from helpers import rules_game
game = rules_game()
state, history = play_out(game, game.start(1))
record = record_game(game, 1, history)
print("ready", flush=True)
while True:
    write_record({path!r}, record)
"""


def test_a_killed_write_leaves_the_old_file_or_the_new_one_and_the_next_start_cleans_up(tmp_path):
    path = tmp_path / "save.yaml"
    script = WRITER.format(tests=str(ROOT / "tests"), path=str(path))
    rng = random.Random(5)
    for _ in range(6):
        process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE)
        try:
            assert process.stdout is not None
            assert process.stdout.readline() == b"ready\n"  # hang guard: the timeout below
            time.sleep(rng.uniform(0.0, 0.05))
            os.kill(process.pid, signal.SIGKILL)
        finally:
            process.kill()
            process.wait(timeout=60)
            if process.stdout is not None:
                process.stdout.close()
        if path.exists():
            record = read_record(path)
            assert replay(GAME, record).divergence is None
    # A start cleans the temporary files of dead writers.
    check_writable(path)
    assert [p.name for p in tmp_path.iterdir()] in ([], ["save.yaml"])


def test_a_killed_run_record_leaves_no_half_record(tmp_path):
    path = tmp_path / "game.yaml"
    rng = random.Random(11)
    for _ in range(3):
        process = subprocess.Popen([sys.executable, "-m", "midnight", "run", RULES, "--record", str(path), "--quiet"],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(rng.uniform(0.0, 1.0))
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait(timeout=60)
        if path.exists():
            assert cli(["replay", str(path), "--verify", "--scenario", RULES])[0] == 0
    assert cli(["run", RULES, "--record", str(path), "--quiet"])[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["game.yaml"]


def test_stale_temporary_files_of_dead_writers_are_removed(tmp_path):
    dead = tmp_path / ".save.yaml.999999999.midnight-tmp"  # no such process
    dead.write_text("half a rec")
    mine = tmp_path / f".save.yaml.{os.getpid()}.midnight-tmp"
    mine.write_text("being written")
    other = tmp_path / ".other.yaml.999999999.midnight-tmp"
    other.write_text("another file's")
    assert clean_stale_temps(tmp_path, "save.yaml") == [dead]
    assert mine.exists() and other.exists()
    record, _ = record_game(GAME, 1, play_out(GAME, GAME.start(1))[1]), None
    write_record(tmp_path / "other.yaml", record)
    assert not other.exists()


# -- resume: verified and mapped before the UI; a failed resume writes nothing -----------------------


def save_with(tmp_path: Path, seats: dict[str, str], moves: int = 6) -> Path:
    state, recorder = GAME.start(9), Recorder(GAME, 9, seats)
    controllers = {seat: default_controller(GAME, seat) for seat in GAME.seats}
    for _ in range(moves):
        state, _ = step(GAME, state, controllers, recorder.record)
    path = tmp_path / "save.yaml"
    write_record(path, recorder.to_record())
    return path


def resume_refused(path: Path, *needles: str) -> str:
    before = path.read_bytes()
    status, _, err = cli(["play", RULES, "--resume", str(path)])
    first = assert_one_clean_line(status, err, str(path), *needles)
    assert "needs a terminal" not in err  # refused on its merits, before the UI is asked for
    assert path.read_bytes() == before
    return first


def test_resume_maps_bot_agent_and_script_seats(tmp_path):
    path = save_with(tmp_path, {"red": "agent:python my_agent.py", "blue": "bot:reciprocator", "green": "script+bot:hawk"})
    seats, notices = resume_seats(GAME, read_record(path).seats)
    assert seats["red"] == "bot"  # the scenario's bot takes the agent's seat
    assert seats["blue"] in ("bot", "reciprocator") and seats["green"] == "hawk"
    assert any("agent" in n and "red" in n for n in notices) and any("green" in n for n in notices)
    session = Session.resume(GAME, read_record(path), path)
    assert session.notices == notices and session.last_error
    session.run_bots()  # the bots play on, without a crash
    assert session.state.over


def test_resume_of_a_save_with_an_unknown_player_is_refused_and_leaves_the_file(tmp_path):
    path = save_with(tmp_path, {"red": "human", "blue": "bot:nonsense"})
    resume_refused(path, "seat blue", "bot:nonsense", "start a new game")


def test_resume_of_a_tampered_save_is_refused_naming_the_turn(tmp_path):
    path = save_with(tmp_path, {"red": "human"}, moves=12)
    text = path.read_text()
    start = text.index("      clock: ")
    path.write_text(text[:start] + "      clock: 1.0" + text[text.index("\n", start):])
    resume_refused(path, "cannot resume", "DIVERGED at turn 1", "clock")


def test_resume_of_a_finished_game_is_refused(tmp_path):
    path = finished_record(tmp_path)
    resume_refused(path, "the game in it is over", "midnight replay")


def test_resume_of_a_cut_save_is_refused(tmp_path):
    path = save_with(tmp_path, {"red": "human"}, moves=12)
    edit(path, lambda data: data["turns"][0]["inputs"].pop())
    resume_refused(path, "turn 1", "inputs missing")


def test_resume_of_a_save_with_wrong_types_is_refused(tmp_path):
    path = save_with(tmp_path, {"red": "human"}, moves=12)
    edit(path, lambda data: data["turns"][0]["inputs"][0].update(offers=5))
    resume_refused(path, "(turn 1)", "'offers' must be a list")


def test_a_good_save_passes_the_checks_and_only_then_needs_a_terminal(tmp_path):
    path = save_with(tmp_path, {"red": "human", "blue": "agent:./bot.sh"}, moves=4)
    before = path.read_bytes()
    status, _, err = cli(["play", RULES, "--resume", str(path)])
    assert status == 1 and "play needs a terminal" in err
    assert path.read_bytes() == before


def test_a_resumed_agent_game_runs_in_the_ui_with_a_notice(tmp_path, monkeypatch):
    import asyncio
    from types import SimpleNamespace

    from tui.launch import build_app

    monkeypatch.setenv("MIDNIGHT_HOME", str(tmp_path / "home"))
    path = save_with(tmp_path, {"red": "human", "blue": "agent:python agent.py", "green": "bot:reciprocator"}, moves=4)
    app = build_app(SimpleNamespace(scenario=RULES, seed=None, seats="", lang="en", resume=str(path)))

    async def run() -> list[str]:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            return [str(n.message) for n in app._notifications]

    notices = asyncio.run(asyncio.wait_for(run(), timeout=60))
    assert any("agent" in n for n in notices)
    assert app.return_code in (None, 0)
    assert app.session.seats["blue"] == "bot"


def test_check_writable_refuses_what_is_not_a_regular_file(tmp_path):
    with pytest.raises(RecordError, match="is a directory"):
        check_writable(tmp_path)
    if Path("/dev/null").exists():
        with pytest.raises(RecordError, match="not a regular file"):
            check_writable("/dev/null")


def test_a_record_larger_than_any_real_game_is_refused_by_its_size_before_it_is_read(tmp_path):
    from engine.play.records import read_record
    from engine.scenario.loading import LoadError

    path = tmp_path / "huge.yaml"
    path.write_bytes(b"midnight_record: 1\n" + b"# padding\n" * 60_000)  # 600 KB; a 20-turn bot game is ~66 KB
    with pytest.raises(LoadError, match="too large"):
        read_record(path)
