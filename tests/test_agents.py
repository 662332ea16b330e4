"""Outside programs on seats: the JSON-lines protocol, and a game that survives bad agents."""

from __future__ import annotations

import functools
import json
import shlex
import sys
import textwrap
from pathlib import Path

import pytest

from engine.errors import MidnightError
from engine.play.loop import play_out
from engine.play.records import record_game, replay
from midnight.agents import AgentProcess, agent_controllers, close_agents
from midnight.cli import main

from helpers import rules_game

ROOT = Path(__file__).resolve().parent.parent
PYTHON = shlex.quote(sys.executable)
EXAMPLE = f"{PYTHON} {shlex.quote(str(ROOT / 'examples' / 'random_agent.py'))}"


@pytest.fixture(scope="module")
def game():
    return rules_game()


def agent_file(tmp_path, body: str) -> str:
    path = tmp_path / "agent.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return f"{PYTHON} {shlex.quote(str(path))}"


PASSIVE = """
    import json, sys
    for line in sys.stdin:
        m = json.loads(line)
        if m["type"] != "act":
            continue
        kind = m["options"]["kind"]
        value = {"propose": {"offers": []}, "respond": {"replies": []}, "decide": {"moves": []},
                 "crisis": {"choice": "back_down"}}[kind]
        print(json.dumps({"id": m["id"], "input": {"kind": kind, **value}, "reason": "waits and sees"}), flush=True)
"""


# Seconds an agent that does answer may take: only a hang ever waits this long, a busy machine
# never does. The tests that want a time-out give an agent that never answers in time.
HANG_GUARD = 60.0


def play_with(game, specs, seed=1, timeout=HANG_GUARD, later_timeout=None):
    """Play a game with agents on seats. With `later_timeout`, a seat's time-out becomes that after
    its first error (so a test can time out one request and not risk the next on a slow machine)."""
    errors = []

    def on_error(seat, text):
        errors.append((seat, text))
        if later_timeout is not None:
            controllers[seat].timeout = later_timeout

    controllers = agent_controllers(specs, game, timeout=timeout, on_error=on_error)
    state = game.start(seed)
    try:
        state, history = play_out(game, state, controllers)
    finally:
        close_agents(controllers, game, state)
    return state, history, controllers, errors


def assert_replays(game, seed, history):
    assert replay(game, record_game(game, seed, history)).divergence is None


def test_a_good_agent_plays_its_seat(game):
    state, history, controllers, errors = play_with(game, [f"red={EXAMPLE} 7"])
    agent = controllers["red"]
    assert state.over and errors == [] and agent.errors == []
    assert agent.requests == agent.answered == sum(1 for h in history if h.input["seat"] == "red") > 5
    assert all("at random" in h.reason for h in history if h.input["seat"] == "red")
    assert agent.persona.startswith("agent:")
    assert_replays(game, 1, history)


def test_the_agent_hears_the_end_of_the_game(game, tmp_path, monkeypatch):
    # The engine gives a closing agent 1 s before it kills it; here a hang guard's time instead,
    # so a busy machine cannot kill the agent before it has written down the end.
    monkeypatch.setattr(AgentProcess, "close", functools.partialmethod(AgentProcess.close, grace=HANG_GUARD))
    log = tmp_path / "heard.jsonl"
    command = agent_file(tmp_path, PASSIVE.replace(
        'if m["type"] != "act":', f'open({str(log)!r}, "a").write(json.dumps(m) + "\\n")\n        if m["type"] != "act":'))
    state, history, controllers, errors = play_with(game, [f"blue={command}"])
    messages = [json.loads(line) for line in log.read_text().splitlines()]
    assert errors == [] and all(h.reason == "waits and sees" for h in history if h.input["seat"] == "blue")
    acts = [m for m in messages if m["type"] == "act"]
    assert [m["id"] for m in acts] == list(range(1, len(acts) + 1))
    assert {"view", "options", "seat"} <= set(acts[0]) and acts[0]["seat"] == "blue"
    assert "secret_stock.red" not in json.dumps(acts) and "spooky" not in json.dumps(acts)
    assert messages[-1]["type"] == "end" and messages[-1]["outcome"]["termination"] == state.outcome.termination.value


LATE_FIRST = """
    import json, sys
    held = None
    for line in sys.stdin:
        m = json.loads(line)
        if m["type"] != "act":
            continue
        kind = m["options"]["kind"]
        value = {"propose": {"offers": []}, "respond": {"replies": []}, "decide": {"moves": []},
                 "crisis": {"choice": "back_down"}}[kind]
        answer = json.dumps({"id": m["id"], "input": {"kind": kind, **value}, "reason": "waits and sees"})
        if m["id"] == 1:
            held = answer  # answered only once request 2 has come, i.e. after the engine gave up on it
            continue
        if held is not None:
            print(held, flush=True)
            held = None
        print(answer, flush=True)
"""


def test_a_slow_agent_times_out_the_bot_plays_and_late_answers_are_dropped(game, tmp_path):
    # Request 1 times out however fast or slow the machine (its answer waits for request 2), and its
    # late answer comes just before the answer to request 2. After that time-out the seat gets the
    # hang guard's time, so no prompt answer can miss its time on a busy machine.
    command = agent_file(tmp_path, LATE_FIRST)
    state, history, controllers, errors = play_with(game, [f"red={command}"], timeout=0.3, later_timeout=HANG_GUARD)
    agent = controllers["red"]
    assert state.over
    assert len(errors) == 1 and errors[0][0] == "red" and "no answer within 0.3s" in errors[0][1]
    assert "the bot plays this decision" in errors[0][1]
    red = [h for h in history if h.input["seat"] == "red"]
    assert red[0].reason.startswith("bot for the agent (no answer within 0.3s): ")
    assert all(h.reason == "waits and sees" for h in red[1:])  # the late answer to request 1 was not taken
    assert agent.answered == agent.requests - 1 and agent.dead is None
    assert_replays(game, 1, history)


def test_an_agent_that_never_answers_is_given_up_after_three_timeouts(game, tmp_path):
    command = agent_file(tmp_path, "import time\ntime.sleep(30)\n")
    state, history, controllers, errors = play_with(game, [f"red={command}"], timeout=0.1)
    assert state.over and len(errors) == 3 and "from now on" in errors[-1][1]
    assert controllers["red"].dead == "3 timeouts in a row"


def test_a_garbage_speaking_agent_is_reported_and_the_game_goes_on(game, tmp_path):
    command = agent_file(tmp_path, """
        import sys
        for line in sys.stdin:
            print("I'd rather play chess", flush=True)
    """)
    state, history, controllers, errors = play_with(game, [f"blue={command}"])
    assert state.over and errors
    assert all("not JSON" in text for _, text in errors)
    assert all(h.reason.startswith("bot for the agent (an answer that is not JSON") for h in history if h.input["seat"] == "blue")
    assert_replays(game, 1, history)


def test_an_illegal_answer_is_refused_with_the_engine_reason(game, tmp_path):
    command = agent_file(tmp_path, PASSIVE.replace('"decide": {"moves": []}', '"decide": {"moves": ["nuke"]}'))
    state, history, controllers, errors = play_with(game, [f"red={command}"])
    assert state.over
    texts = [text for _, text in errors]
    assert texts and all("decide phase: an input the engine refuses: no move 'nuke'" in t for t in texts)
    assert_replays(game, 1, history)


@pytest.mark.parametrize("body, why", [
    ('{"reason": "forgot"}', "without 'input'"),
    ('[1, 2]', "not a JSON object"),
    ('{"input": {"seat": "blue", "kind": "propose"}}', "plays red, not 'blue'"),
])
def test_malformed_answers(game, tmp_path, body, why):
    command = agent_file(tmp_path, f"""
        import sys
        for line in sys.stdin:
            print({body!r}, flush=True)
    """)
    state, _, _, errors = play_with(game, [f"red={command}"])
    assert state.over and why in errors[0][1]


def test_a_crashing_agent_is_replaced_by_its_bot_for_the_rest_of_the_game(game, tmp_path):
    command = agent_file(tmp_path, "import sys\nsys.stdin.readline()\nsys.exit(3)\n")
    state, history, controllers, errors = play_with(game, [f"red={command}"])
    assert state.over and len(errors) == 1
    assert "the program exited (status 3)" in errors[0][1] and "from now on" in errors[0][1]
    red = [h for h in history if h.input["seat"] == "red"]
    assert all(h.reason.startswith("bot for the agent (the program exited (status 3))") for h in red)
    assert_replays(game, 1, history)


def test_a_program_that_cannot_start(game):
    state, _, controllers, errors = play_with(game, ["red=/no/such/program --flag"])
    assert state.over and len(errors) == 1 and "cannot start" in errors[0][1]


@pytest.mark.parametrize("spec, message", [
    ("purple=python x.py", "no seat 'purple'"),
    ("red", "write SEAT=COMMAND"),
    ("red=", "write SEAT=COMMAND"),
    ("red='unclosed", "cannot read the command"),
])
def test_agent_specs_are_checked(game, spec, message):
    with pytest.raises(MidnightError, match=message):
        agent_controllers([spec], game)


def test_the_agent_command_reports_how_agents_fared(tmp_path, capsys):
    bad = agent_file(tmp_path, "import sys\nsys.stdin.readline()\n")
    record = tmp_path / "game.yaml"
    code = main(["agent", "tests/fixtures/rules.yaml", f"red={EXAMPLE}", f"blue={bad}", "--games", "2",
                 "--quiet", "--record", str(record), "--timeout", str(HANG_GUARD)])
    out = capsys.readouterr().out
    assert code == 1  # blue's program failed
    assert "game 0 (seed 0)" in out and "game 1 (seed 1)" in out
    assert "red: " in out and "0 failed" in out and "replaced by its bot" in out
    assert main(["replay", str(record), "--verify", "--scenario", "tests/fixtures/rules.yaml"]) == 0
