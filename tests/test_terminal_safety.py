"""Nothing untrusted reaches the terminal raw.

Scenario text holding a control or bidi-control character is refused at load, at its position.
Records, scripts and agents are not scenario text: every command that prints them (and every
error message, which may quote a file name or a value) shows such characters as visible escapes.
Each command runs as a real process here, and its whole output is checked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from engine.scenario.loading import ScenarioError, load_scenario_text
from engine.scenario.safe_text import printable

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "tests" / "fixtures" / "rules.yaml"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"

# Every character a terminal could obey: C0 but newline and tab, DEL, C1, bidi embeddings,
# overrides and isolates.
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"


# -- the load check -------------------------------------------------------------------------


def minimal_with_name(quoted: str) -> str:
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count("name: United States") == 1
    return text.replace("name: United States", f'name: "United{quoted}States"')


@pytest.mark.parametrize(
    ("escape", "code", "kind"),
    [
        ("\\e[31m", "001B", "a control character"),  # ESC, C0
        ("\\a", "0007", "a control character"),  # BEL, C0
        ("\\x00", "0000", "a control character"),  # NUL
        ("\\r", "000D", "a control character"),  # carriage return (overwrites a line)
        ("\\x7f", "007F", "a control character"),  # DEL
        ("\\x9b", "009B", "a control character"),  # CSI, C1
        ("\\u202e", "202E", "a bidirectional control character"),  # right-to-left override
        ("\\u202a", "202A", "a bidirectional control character"),  # left-to-right embedding
        ("\\u2067", "2067", "a bidirectional control character"),  # right-to-left isolate
    ],
)
def test_scenario_text_with_a_control_character_is_refused_at_its_place(escape, code, kind):
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(minimal_with_name(escape), filename="evil.yaml")
    assert str(caught.value) == f"evil.yaml:9:11: actors[0].name: contains {kind} (U+{code}); remove it"


def test_a_raw_bidi_override_in_the_file_is_refused_too():
    text = MINIMAL.read_text(encoding="utf-8").replace("title: Minimal scenario", "title: Minimal \u202escenario")
    with pytest.raises(ScenarioError, match=r"evil.yaml:4:8: title: contains a bidirectional control character \(U\+202E\)"):
        load_scenario_text(text, filename="evil.yaml")


def test_a_key_with_a_control_character_is_refused_and_shown_escaped():
    text = MINIMAL.read_text(encoding="utf-8").replace("initial: {us: 50, ru: 60}", 'initial: {us: 50, ru: 60, "r\\eu": 1}')
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text, filename="evil.yaml")
    message = str(caught.value)
    assert "a key contains a control character (U+001B); remove it" in message
    assert not OBEYED.search(message)


def test_newlines_and_tabs_are_allowed_in_texts():
    text = MINIMAL.read_text(encoding="utf-8").replace("title: Minimal scenario", 'title: "Minimal\\n\\tscenario"')
    assert load_scenario_text(text, filename="ok.yaml").title.get() == "Minimal\n\tscenario"


def test_every_shipped_scenario_passes_the_check():
    from engine.scenario.loading import builtin_scenario_ids, builtin_scenario_path, load_scenario

    for scenario_id in builtin_scenario_ids():
        load_scenario(builtin_scenario_path(scenario_id))


def test_printable_shows_what_a_terminal_would_obey():
    assert printable(f"a{OSC_TITLE}b") == "a\\x1b]0;pwned\\x07b"
    assert printable("\x9b2J \u202eevil\u2066 \x7f\r") == "\\x9b2J \\u202eevil\\u2066 \\x7f\\x0d"
    assert printable("lines\n\tand tabs, 中文, — fine") == "lines\n\tand tabs, 中文, — fine"
    assert printable(ValueError("x\x1b")) == "x\\x1b"


# -- every command that prints ----------------------------------------------------------------


def midnight(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would; fails the test if any output could drive the terminal."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "midnight", *argv], capture_output=True, cwd=cwd, env=env, timeout=300
    )
    out = result.stdout.decode("utf-8")  # strict: the output is valid UTF-8
    err = result.stderr.decode("utf-8")
    for name, text in (("stdout", out), ("stderr", err)):
        found = OBEYED.search(text)
        assert found is None, f"{name} holds U+{ord(found.group()):04X}: {text!r}"
    assert "Traceback" not in err
    return subprocess.CompletedProcess(result.args, result.returncode, out, err)


@pytest.fixture
def hostile_record(tmp_path) -> Path:
    """A record of a real game whose first reason is an OSC title change and a C1 CSI."""
    from engine import load_game
    from engine.play.loop import play_out
    from engine.play.records import record_game, write_record

    game = load_game(str(RULES))
    final, history = play_out(game, game.start(3))
    record = record_game(game, 3, history, {"red": "reciprocator", "blue": "reciprocator"})
    first = record.turns[0]
    why = f"{OSC_TITLE}\x9b2J\u202eevil"
    turn = attrs.evolve(first, inputs=({**first.inputs[0], "why": why}, *first.inputs[1:]))
    path = tmp_path / "record.yaml"
    write_record(path, attrs.evolve(record, turns=(turn, *record.turns[1:])))
    return path


def test_run_refuses_a_hostile_scenario_with_a_printable_message(tmp_path):
    path = tmp_path / f"evil{CLEAR}.yaml"
    path.write_text(minimal_with_name("\\e]0;pwned\\a"), encoding="utf-8")
    result = midnight("run", str(path))
    assert result.returncode == 1
    assert "evil\\x1b[2J.yaml:9:11: actors[0].name: contains a control character (U+001B); remove it" in result.stderr


def test_run_prints_a_scripts_hostile_move_id_escaped(tmp_path):
    script = tmp_path / "script.yaml"
    script.write_text(
        'midnight_script: 1\nturns:\n  - turn: 1\n    seats:\n      red: {moves: ["\\e[2J\\e]0;pwned\\a", "\\x9b"]}\n',
        encoding="utf-8",
    )
    result = midnight("run", str(RULES), "--script", str(script))
    assert result.returncode == 1
    assert "\\x1b[2J" in result.stderr


def test_run_writes_its_log_and_record_path_printably(tmp_path):
    record = tmp_path / f"game{OSC_TITLE}.yaml"
    result = midnight("run", str(RULES), "--seed", "3", "--record", str(record))
    assert result.returncode == 0
    assert "record written to" in result.stdout and "game\\x1b]0;pwned\\x07.yaml" in result.stdout
    assert record.exists()


def test_run_shows_an_agents_hostile_output_escaped(tmp_path):
    agent = tmp_path / "agent.py"
    agent.write_text(
        "import sys\nfor line in sys.stdin:\n    print('\\x1b]0;pwned\\x07\\x9b2J not json', flush=True)\n",
        encoding="utf-8",
    )
    result = midnight("run", str(RULES), "--quiet", "--agent", f"red={sys.executable} {agent}", "--agent-timeout", "5")
    assert "agent for red" in result.stderr and "\\x1b]0;pwned\\x07" in result.stderr


def test_validate_ok_line_and_problems_are_printable(tmp_path):
    good = tmp_path / f"fine{CLEAR}\u202e.yaml"
    good.write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    result = midnight("validate", str(good))
    assert result.returncode == 0
    assert "fine\\x1b[2J\\u202e.yaml: ok (minimal" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_with_name("\\u202e\\x9b"), encoding="utf-8")
    result = midnight("validate", str(bad))
    assert result.returncode == 1
    assert "bad.yaml:9:11: actors[0].name: contains a bidirectional control character (U+202E); remove it" in result.stderr


def test_scenarios_lists_printably():
    result = midnight("scenarios")
    assert result.returncode == 0 and result.stdout


def test_replay_print_and_verify_with_hostile_reasons(hostile_record):
    printed = midnight("replay", str(hostile_record), "--print", "--scenario", str(RULES))
    assert printed.returncode in (0, 1)  # a record's reasons may be refused at load one day; printably
    if printed.returncode == 0:
        assert "Outcome:" in printed.stdout
    verified = midnight("replay", str(hostile_record), "--verify", "--scenario", str(RULES))
    assert verified.returncode in (0, 1)
    if verified.returncode == 0:
        assert "reproduced exactly" in verified.stdout


def test_replay_with_a_hostile_move_id_in_a_record(tmp_path, hostile_record):
    text = hostile_record.read_text(encoding="utf-8")
    moved = re.sub(r"moves: \[[^\]]*\]", 'moves: ["\\\\e[2J\\\\e]0;pwned\\\\a"]', text, count=1)
    assert moved != text
    path = tmp_path / f"evil{CLEAR}.yaml"
    path.write_text(moved, encoding="utf-8")
    for flag in ("--print", "--verify"):
        result = midnight("replay", str(path), flag, "--scenario", str(RULES))
        assert result.returncode == 1
        assert "evil\\x1b[2J.yaml" in result.stderr


def test_one_line_messages_escape_line_breaks_too():
    from engine.scenario.safe_text import printable

    assert printable("a\nb\tc") == "a\nb\tc"
    assert printable("a\nb\tc\u2028d\x1b", one_line=True) == "a\\x0ab\\x09c\\u2028d\\x1b"
