"""The command line: each command's output and exit status, as a user meets them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from midnight.cli import main

ROOT = Path(__file__).resolve().parent.parent
RULES = str(ROOT / "tests" / "fixtures" / "rules.yaml")


def test_run_prints_the_story_and_writes_a_record_that_verifies(tmp_path, capsys):
    record = tmp_path / "game.yaml"
    assert main(["run", RULES, "--seed", "7", "--record", str(record), "--seats", "red=hawk"]) == 0
    out = capsys.readouterr().out
    assert "== Turn 1 begins (2026-02-05)." in out and "Outcome:" in out and "clock" in out
    assert main(["replay", str(record), "--verify", "--scenario", RULES]) == 0
    assert "reproduced exactly" in capsys.readouterr().out


def test_run_in_chinese(capsys):
    assert main(["run", RULES, "--seed", "1", "--lang", "zh"]) == 0
    assert "第 1 回合开始" in capsys.readouterr().out


def test_the_same_seed_tells_the_same_story(capsys):
    main(["run", RULES, "--seed", "11"])
    first = capsys.readouterr().out
    main(["run", RULES, "--seed", "11"])
    assert capsys.readouterr().out == first


def test_a_tampered_record_fails_verification_naming_turn_and_field(tmp_path, capsys):
    record = tmp_path / "game.yaml"
    main(["run", RULES, "--seed", "3", "--record", str(record), "--quiet"])
    text = record.read_text()
    start = text.index("      clock: ")
    end = text.index("\n", start)
    record.write_text(text[:start] + "      clock: 1.0" + text[end:])
    capsys.readouterr()
    assert main(["replay", str(record), "--verify", "--scenario", RULES]) == 1
    assert "DIVERGED at turn 1: clock was 1.0 in the record" in capsys.readouterr().err


def test_validate_reports_every_problem_and_fails(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    text = Path(RULES).read_text().replace("system: arms\n    cost: 2", "system: armz\n    cost: 2")
    bad.write_text(text.replace("played('test')", "played('tset')"))
    assert main(["validate", RULES, str(bad)]) == 1
    captured = capsys.readouterr()
    assert "rules.yaml: ok" in captured.out
    assert captured.err.count("bad.yaml:") == 2 and "1 of 2 files have problems" in captured.err


def test_validate_with_playouts(capsys):
    assert main(["validate", RULES, "--playouts", "3"]) == 0
    assert "3 random playouts passed" in capsys.readouterr().out


def test_schema_is_json(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["type"] == "object" and "actors" in schema["properties"]


def test_bad_arguments_are_one_line_errors(capsys):
    assert main(["run", RULES, "--seats", "red=maniac"]) == 1
    assert "no persona 'maniac'" in capsys.readouterr().err
    assert main(["run", "no-such-scenario"]) == 1
    assert "unknown scenario 'no-such-scenario'" in capsys.readouterr().err


def test_the_installed_command_exits_1_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "midnight", "replay", "/nonexistent.yaml", "--verify"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("midnight: /nonexistent.yaml: no such file") and "Traceback" not in result.stderr


# -- `midnight play`: every argument checked before the UI starts ----------------------------------


def _play(tmp_path, *argv: str) -> subprocess.CompletedProcess:
    """`midnight play ARGV` with saves under tmp_path; no terminal is needed, the check comes first."""
    import os

    env = {**os.environ, "MIDNIGHT_HOME": str(tmp_path / "home")}
    return subprocess.run([sys.executable, "-m", "midnight", "play", *argv], capture_output=True, text=True,
                          cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=60)


def _refused(result: subprocess.CompletedProcess, tmp_path, *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("midnight: ") and all(word in result.stderr for word in words), result.stderr
    assert not (tmp_path / "home").exists(), "nothing is written for a mistyped argument"


def test_play_refuses_a_mistyped_player_before_the_ui(tmp_path):
    result = _play(tmp_path, RULES, "--seats", "red=humn")
    _refused(result, tmp_path, "--seats: no player 'humn' for red", "did you mean 'human'", "hawk")


def test_play_refuses_an_unknown_seat_before_the_ui(tmp_path):
    _refused(_play(tmp_path, RULES, "--seats", "purple=human"), tmp_path, "no seat 'purple'", "red")


def test_play_refuses_an_unknown_language_with_the_list(tmp_path):
    _refused(_play(tmp_path, "--lang", "fr"), tmp_path, "--lang: no language 'fr'", "en (English)", "zh (简体中文)")
    _refused(_play(tmp_path, RULES, "--lang", "fr"), tmp_path, "no language 'fr'")


def test_play_refuses_seats_without_a_scenario(tmp_path):
    _refused(_play(tmp_path, "--seats", "red=human"), tmp_path, "--seats needs a scenario")


def test_play_with_good_arguments_gets_as_far_as_asking_for_a_terminal(tmp_path):
    result = _play(tmp_path, RULES, "--seats", "red=human,blue=hawk", "--lang", "zh-CN")
    _refused(result, tmp_path, "play needs a terminal")


def test_the_resume_hint_says_uv_run_when_run_through_uv(monkeypatch, tmp_path):
    from engine import load_game
    from engine.play.table import Session
    from tui.launch import resume_command

    session = Session(load_game("tutorial"), 1, save_path=tmp_path / "saves" / "s.yaml")
    monkeypatch.setenv("UV", "/usr/bin/uv")
    assert resume_command(session, "s.yaml") == "uv run midnight play --resume s.yaml"
    monkeypatch.delenv("UV")
    assert resume_command(session, "s.yaml") == "midnight play --resume s.yaml"
