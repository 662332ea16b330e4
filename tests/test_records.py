"""Records and scripts: writing, reading, replaying, verifying, refusing what does not match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine import RecordError
from engine.play.loop import play_out
from engine.play.records import Recorder, dump_record, read_record, record_game, replay, write_record
from engine.play.scripts import check_script, read_script, script_controllers
from engine.scenario.converter import LoadError

from helpers import rules_game

GAME = rules_game()


def played_record(seed=5):
    state, history = play_out(GAME, GAME.start(seed))
    return record_game(GAME, seed, history, {"red": "bot:reciprocator", "blue": "bot:reciprocator"}), state


def test_a_record_round_trips_through_its_file_and_replays_exactly(tmp_path):
    record, final = played_record()
    path = tmp_path / "game.yaml"
    write_record(path, record)
    loaded = read_record(path)
    assert loaded.seed == 5 and loaded.scenario.hash == GAME.content_hash and loaded.complete
    assert loaded.inputs() == record.inputs()
    result = replay(GAME, loaded)
    assert result.divergence is None and result.turns_checked == len(record.turns)
    assert result.final.outcome == final.outcome


def test_a_record_is_readable_with_reasons_and_a_digest_per_turn():
    record, _ = played_record()
    text = dump_record(record)
    assert text.startswith("# Midnight game record")
    assert "why:" in text and text.count("digest: blake2b:") == len(record.turns)
    assert "seed: 5" in text and f"hash: {GAME.content_hash}" in text


def test_a_tampered_record_diverges_at_the_first_changed_turn(tmp_path):
    record, _ = played_record()
    text = dump_record(record)
    lines = text.splitlines()
    # Change the clock recorded after turn 2.
    clock_lines = [i for i, line in enumerate(lines) if line.strip().startswith("clock:") and i > 20]
    target = clock_lines[1]
    lines[target] = "      clock: 12.5"
    broken = "\n".join(lines).replace("digest: blake2b:", "digest: blake2b:0", 2)
    result = replay(GAME, read_record(broken.encode()))
    assert result.divergence is not None and result.divergence.turn == 1
    assert result.divergence.field == "digest"


def test_a_changed_input_is_reported_with_turn_and_field():
    record, _ = played_record(seed=2)
    text = dump_record(record)
    first_decision = re.search(r"kind: decide, moves: \[[a-z]", text).start()  # one with moves
    changed = text[:first_decision] + "kind: decide, moves: [], why: edited}\n" + text[text.index("\n", first_decision) + 1 :]
    result = replay(GAME, read_record(changed.encode()))
    assert result.divergence is not None
    assert result.divergence.field.startswith(("tracks.", "clock", "risk", "digest"))
    assert "in the record" in str(result.divergence)


def test_a_record_of_another_scenario_version_is_refused():
    record, _ = played_record()
    other = rules_game({"version: \"1\"": "version: \"2\""})
    with pytest.raises(RecordError, match="different version of scenario 'rules-test'"):
        replay(other, record)


def test_a_save_resumes_where_it_stopped():
    state = GAME.start(9)
    recorder = Recorder(GAME, 9, {})
    from engine.play.loop import default_controller, step

    controllers = {seat: default_controller(GAME, seat) for seat in GAME.seats}
    for _ in range(5):
        state, _ = step(GAME, state, controllers, recorder.record)
    saved = read_record(dump_record(recorder.to_record()).encode())
    assert not saved.complete
    resumed_recorder, resumed = Recorder.resume(GAME, saved)
    assert resumed == state
    assert resumed_recorder.to_record().inputs() == recorder.to_record().inputs()


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path):
    record, _ = played_record()
    path = tmp_path / "save.yaml"
    path.write_text("old contents")
    write_record(path, record)
    assert read_record(path).seed == 5
    assert [p.name for p in tmp_path.iterdir()] == ["save.yaml"]


SCRIPT = b"""
midnight_script: 1
scenario: rules-test
bots: {blue: dove}
turns:
  - turn: 1
    seats:
      red:
        propose: [{template: cap, parties: [red, blue], params: {limit: 1000}}]
        moves: [hide]
  - turn: 2
    seats:
      red: {moves: [provoke], crisis: [escalate, hold]}
"""


def test_a_script_plays_its_seats_and_bots_fill_the_rest():
    script = read_script(SCRIPT)
    check_script(GAME, script)
    state, history = play_out(GAME, GAME.start(4), script_controllers(GAME, script))
    red = [h for h in history if h.input["seat"] == "red"]
    assert red[0].input["offers"][0]["template"] == "cap" and red[0].reason == "scripted"
    assert [h.input["moves"] for h in red if h.phase == "decide"][:2] == [["hide"], ["provoke"]]
    assert state.over


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"scenario: rules-test": "scenario: other"}, "for scenario 'other'"),
        ({"moves: [hide]": "moves: [fly]"}, "no move 'fly'"),
        ({"      red:\n        propose": "      purple:\n        propose"}, "no seat 'purple'"),
    ],
)
def test_a_script_that_does_not_fit_the_scenario_is_refused(patch, message):
    text = SCRIPT.decode()
    for old, new in patch.items():
        text = text.replace(old, new)
    with pytest.raises(RecordError, match=message):
        check_script(GAME, read_script(text.encode()))


def test_a_script_answer_must_be_accept_or_reject():
    bad = SCRIPT.replace(b"moves: [hide]", b"moves: [hide]\n        respond: {default: maybe}")
    with pytest.raises(LoadError, match="must be accept or reject"):
        read_script(bad)


def test_a_record_of_a_scenario_file_remembers_the_file(tmp_path):
    from engine import load_game

    path = tmp_path / "mine.yaml"
    path.write_bytes((Path(__file__).parent / "fixtures" / "rules.yaml").read_bytes())
    game = load_game(str(path))
    state, history = play_out(game, game.start(1))
    record = read_record(dump_record(record_game(game, 1, history)).encode())
    assert record.scenario.file == str(path.resolve())
    assert record.scenario.to_load("override.yaml") == "override.yaml"
    with pytest.raises(RecordError, match="not a path inside the record's folder; name the scenario"):
        record.scenario.to_load(None, tmp_path / "game.yaml")  # an absolute path is never followed
    # Written next to its scenario, a record names it relative to its own folder, and replay finds it.
    write_record(tmp_path / "game.yaml", record_game(game, 1, history))
    written = read_record(tmp_path / "game.yaml")
    assert written.scenario.file == "mine.yaml"
    assert written.scenario.to_load(None, tmp_path / "game.yaml") == str(path.resolve())
    builtin = load_game("tutorial")
    assert builtin.source is None


def test_a_record_keeps_the_language_it_was_played_in_and_replay_and_report_use_it(tmp_path, capsys):
    """`midnight run --lang zh --record` writes `language: zh`; `replay --print` and `report` then
    speak Chinese without --lang, and --lang still wins. A record without one reads as before."""
    from midnight.cli import main

    record = tmp_path / "game.yaml"
    assert main(["run", "trilateral-2026", "--seed", "3", "--lang", "zh", "--quiet", "--record", str(record)]) == 0
    assert read_record(record).language == "zh"
    assert "\nlanguage: zh\n" in record.read_text(encoding="utf-8")
    report = tmp_path / "report.md"
    assert main(["report", str(record), "--out", str(report)]) == 0
    assert "末日时钟" in report.read_text(encoding="utf-8")
    assert main(["report", str(record), "--out", str(report), "--lang", "en"]) == 0
    assert "末日时钟" not in report.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["replay", str(record), "--print"]) == 0
    assert "午夜" in capsys.readouterr().out
    assert "language:" not in dump_record(played_record()[0])  # written only when said
