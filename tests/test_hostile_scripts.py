"""Hostile and broken script files: each is refused before the game starts, with one line that
says where (file:line:column when the script alone is wrong; line and column when it does not fit
the scenario), quickly and in bounded memory."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import load_game
from engine.errors import RecordError
from engine.play.scripts import check_script, read_script
from engine.scenario.converter import LoadError
from engine.scenario.loading import LIMITS

HOSTILE = Path(__file__).parent / "hostile" / "scripts"
RULES = Path(__file__).parent / "fixtures" / "rules.yaml"  # 6 turns; seats red, blue, green
GAME = load_game(str(RULES))
CPU_LIMIT = 3.0  # CPU seconds: a guard against runaway work, not a benchmark (room for a loaded machine)

# file -> (a piece of the message, line, column). Found by read_script (the script alone) or,
# for what needs the scenario, by check_script.
READ: dict[str, tuple[str, int, int]] = {
    "bad_answer.yaml": ("'perhaps' must be accept or reject", 5, 32),
    "bad_crisis_choice.yaml": ("'charge' is not a crisis choice: use back_down, hold, escalate", 6, 46),
    "duplicate_turn.yaml": ("turn 2 is scripted twice (first at line 4)", 7, 11),
    "misspelt_key.yaml": ("did you mean 'moves'", 5, 28),
    "turn_text.yaml": ("expected a whole number", 3, 12),
    "turn_zero.yaml": ("turn 0: turns are numbered from 1", 4, 11),
    "version_2.yaml": ("unknown script format 2: this engine reads 'midnight_script: 1'", 2, 18),
}
CHECK: dict[str, tuple[str, int, int]] = {
    "other_scenario.yaml": ("this script is for scenario 'trilateral-2026', not 'rules-test'", 2, 11),
    "turn_past_last.yaml": ("script turn 7: 'rules-test' has 6 turns", 7, 11),
    "unknown_answer_template.yaml": ("no agreement template 'treaty' to answer", 6, 31),
    "unknown_move.yaml": ("no move 'fly'", 5, 21),
    "unknown_move_later.yaml": ("script turn 3, blue: no move 'fly'", 9, 29),
    "unknown_parameter.yaml": ("'cap' has no parameter 'ceiling' (its parameters: limit)", 7, 75),
    "unknown_party.yaml": ("no seat 'purple' to be a party", 7, 54),
    "unknown_persona.yaml": ("no persona 'maniac'", 2, 14),
    "unknown_seat.yaml": ("no seat 'purple' (seats: red, blue, green)", 5, 15),
    "unknown_template.yaml": ("no agreement template 'treaty'", 7, 30),
}


def _cpu(run):
    started = time.process_time()
    try:
        return run()
    finally:
        elapsed = time.process_time() - started
        assert elapsed < CPU_LIMIT, f"took {elapsed:.2f} s of CPU time"


@pytest.mark.parametrize("name", sorted(READ))
def test_a_script_that_is_wrong_in_itself_is_refused_where_it_is_wrong(name):
    message, line, column = READ[name]
    path = HOSTILE / name
    with pytest.raises(LoadError) as info:
        _cpu(lambda: read_script(path))
    first = str(info.value).splitlines()[0]
    assert first.startswith(f"{path}:{line}:{column}: "), first
    assert message in first


@pytest.mark.parametrize("name", sorted(CHECK))
def test_a_script_that_does_not_fit_the_scenario_is_refused_where_it_does_not(name):
    message, line, column = CHECK[name]
    script = read_script(HOSTILE / name)
    with pytest.raises(RecordError) as info:
        _cpu(lambda: check_script(GAME, script))
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"line {line}, column {column}, "), text
    assert message in text


def test_every_hostile_script_has_an_expectation():
    listed = set(READ) | set(CHECK) | {"illegal_moves.yaml", "no_header.yaml", "tabs.yaml"}  # refused at play, or by YAML
    assert {p.name for p in HOSTILE.glob("*.yaml")} == listed


def test_a_good_script_still_passes():
    script = read_script(
        b"midnight_script: 1\nturns:\n  - turn: 1\n    seats:\n"
        b"      red: {moves: [hide], crisis: [escalate, back_down], respond: {default: accept, cap: reject},\n"
        b"            propose: [{template: cap, parties: [red, blue], params: {limit: 900}}]}\n"
        b"  - turn: 6\n    seats:\n      blue: {moves: []}\n"
    )
    check_script(GAME, script)
    assert script.entry(6, "blue") is not None


def test_a_script_larger_than_its_limit_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"midnight_script: 1\nturns: []\n# ")
        handle.seek(50_000_000)
        handle.write(b"x\n")
    with pytest.raises(LoadError, match="too large"):
        _cpu(lambda: read_script(path))
    limit = LIMITS["script"].max_bytes
    with pytest.raises(LoadError, match=f"the limit is {limit:,}"):
        _cpu(lambda: read_script(b"midnight_script: 1\nturns: []\n#" + b"x" * limit))


# -- mutation: scripts built from a valid one by changing one part at random -------------------

GOOD = {
    "midnight_script": 1,
    "bots": {"green": "dove"},
    "turns": [
        {"turn": 1, "seats": {"red": {"moves": ["hide"], "crisis": ["escalate", "back_down"],
                                      "respond": {"default": "accept", "cap": "reject"},
                                      "propose": [{"template": "cap", "parties": ["red", "blue"], "params": {"limit": 900}}]}}},
        {"turn": 2, "seats": {"blue": {"moves": ["build"]}}},
    ],
}
JUNK = (st.none() | st.booleans() | st.integers() | st.integers(min_value=10**30, max_value=10**60)
        | st.floats() | st.text(max_size=12) | st.sampled_from(["red", "blue", "cap", "hide", "accept", "hold", "turn"])
        | st.lists(st.integers(), max_size=3) | st.dictionaries(st.text(max_size=6), st.integers(), max_size=3))


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replace(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_mutation_of_a_valid_script_crashes_the_game(data):
    import yaml

    from engine.errors import MidnightError
    from engine.play.loop import play_out
    from engine.play.scripts import script_controllers

    paths = list(_paths(GOOD))
    path = data.draw(st.sampled_from(paths[1:]), label="where")
    mutated = _replace(GOOD, path, data.draw(JUNK, label="what"))
    raw = yaml.safe_dump(mutated, allow_unicode=True).encode()
    try:
        script = read_script(raw)
        check_script(GAME, script)
        state, _ = play_out(GAME, GAME.start(1), script_controllers(GAME, script), max_steps=2_000)
    except MidnightError:
        return  # refused, with the engine's own message: the clean outcome for a broken script
    assert state.over
