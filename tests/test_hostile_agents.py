"""Hostile agents: whatever an outside program does, the game finishes, the seat's bot plays for
it, the failure is reported, the engine holds a bounded amount of the program's output, and
nothing of the program is left running. The misbehaving program is tests/agents/hostile.py.

Every test has a hang guard (a thread join or subprocess timeout that only ever stops a hang);
none asserts how long anything took. Time-outs given to agents are short only where the agent
never answers in time whatever the machine's speed.
"""

from __future__ import annotations

import json
import os
import resource
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine.play.loop import default_controller, play_out
from engine.play.records import record_game, replay
from midnight import agents
from midnight.agents import AgentController, AgentError, AgentProcess, agent_controllers, close_agents, decode_answer, short_name

from helpers import rules_game

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "agents" / "hostile.py"
PYTHON = shlex.quote(sys.executable)
HANG_GUARD = 60.0  # seconds: only a hang ever waits this long
SHORT = 0.5  # an agent's time-out where the agent never answers in time anyway


def hostile(mode: str, *args: str) -> str:
    return shlex.join([sys.executable, str(HOSTILE), mode, *args])


@pytest.fixture(scope="module")
def game():
    return rules_game()


def guarded(function, *args, **kwargs):
    """`function(*args, **kwargs)` on a thread; fails the test (never waits on) if it hangs."""
    result: dict = {}

    def run():
        try:
            result["value"] = function(*args, **kwargs)
        except BaseException as error:  # handed to the test below
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), "hung (hang guard)"
    if "error" in result:
        raise result["error"]
    return result["value"]


def play(game, mode, *args, seat="red", seed=1, timeout=SHORT):
    """A whole game with the hostile agent in `mode` on `seat`; (state, history, agent, errors)."""
    errors: list[tuple[str, str]] = []

    def run():
        controllers = agent_controllers([f"{seat}={hostile(mode, *args)}"], game, timeout=timeout,
                                        on_error=lambda s, text: errors.append((s, text)))
        state = game.start(seed)
        try:
            state, history = play_out(game, state, controllers)
        finally:
            close_agents(controllers, game, state)
        return state, history, controllers[seat]

    state, history, agent = guarded(run)
    assert state.over
    return state, history, agent, errors


def seat_inputs(history, seat="red"):
    return [h for h in history if h.input["seat"] == seat]


def assert_bot_played_all(history, seat="red"):
    mine = seat_inputs(history, seat)
    assert mine and all(h.reason.startswith("bot for the agent (") for h in mine)


def assert_replays(game, seed, history):
    assert replay(game, record_game(game, seed, history)).divergence is None


# --- silent, slow, deaf ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["silent", "slow"])
def test_an_agent_that_never_answers_in_time_is_given_up_after_three_timeouts(game, mode):
    state, history, agent, errors = play(game, mode)
    assert [text.split(": ", 1)[1] for _, text in errors] == [f"no answer within {SHORT:g}s; the bot plays this decision"] * 2 + [
        f"no answer within {SHORT:g}s; the bot plays the seat from now on"]
    assert agent.dead == "3 timeouts in a row" and agent.answered == 0
    assert_bot_played_all(history)  # a late answer (slow) is never taken
    assert_replays(game, 1, history)


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd/0").exists(), reason="the deaf agent fills its stdin through /proc")


@needs_proc
def test_an_agent_that_never_reads_its_input_is_given_up_not_waited_for(game):
    state, history, agent, errors = play(game, "deaf")
    # The first request may be written before the agent has filled its pipe: then it times out.
    *first, last = [text for _, text in errors]
    assert len(first) <= 1 and all(f"no answer within {SHORT:g}s" in text for text in first)
    assert "did not read its input" in last and "from now on" in last
    assert agent.dead is not None and "did not read its input" in agent.dead
    assert_bot_played_all(history)
    assert agent.process.exited is not None  # killed at the end, though its pipe was full


def test_a_write_to_a_program_that_does_not_read_has_a_deadline():
    # Portable: a message larger than any pipe's buffer, to a program that never reads.
    process = AgentProcess([sys.executable, "-c", "import time\ntime.sleep(600)"])

    def run():
        with pytest.raises(AgentError, match="did not read its input") as caught:
            process.send({"type": "act", "id": 1, "padding": "x" * (8 << 20)}, SHORT)
        assert caught.value.kind == "gone"
        with pytest.raises(AgentError, match="does not read its input"):
            process.send({"type": "act", "id": 2}, SHORT)  # never written to again
        process.close({"type": "end"}, grace=SHORT)  # the goodbye is skipped: no new write to a full pipe

    guarded(run)
    assert process.exited is not None


@needs_proc
@pytest.mark.parametrize("command", ["agent", "run"])
def test_the_commands_finish_and_write_the_record_with_a_deaf_agent(tmp_path, command):
    record = tmp_path / "game.yaml"
    agent = hostile("deaf", "--api-key=sk-SECRET")
    if command == "agent":
        argv = ["agent", "tests/fixtures/rules.yaml", f"red={agent}", "--timeout", str(SHORT), "--quiet"]
    else:
        argv = ["run", "tests/fixtures/rules.yaml", "--agent", f"red={agent}", "--agent-timeout", str(SHORT), "--quiet"]
    done = subprocess.run([sys.executable, "-m", "midnight", *argv, "--record", str(record)], cwd=ROOT,
                          capture_output=True, text=True, timeout=HANG_GUARD)
    assert done.returncode == (1 if command == "agent" else 0), done.stderr
    text = record.read_text(encoding="utf-8")
    assert "sk-SECRET" not in text and "--api-key" not in text and "sk-SECRET" not in done.stdout + done.stderr
    seats = yaml.safe_load(text)
    assert "agent:python" in json.dumps(seats) and "hostile.py" in json.dumps(seats)


# --- floods and long lines --------------------------------------------------------------------


def test_a_flood_of_blank_lines_does_not_defeat_the_timeout(game):
    state, history, agent, errors = play(game, "blank-flood")
    assert len(errors) == 3 and all(f"no answer within {SHORT:g}s" in text for _, text in errors)
    assert agent.dead == "3 timeouts in a row"
    assert agent.process.most_kept == (0, 0)  # blank lines are never kept
    assert_bot_played_all(history)


def test_a_flood_of_stale_answers_does_not_defeat_the_timeout_and_is_not_all_kept(game):
    state, history, agent, errors = play(game, "stale-flood")
    assert len(errors) == 3 and all(f"no answer within {SHORT:g}s" in text for _, text in errors)
    assert agent.dead == "3 timeouts in a row"
    lines, size = agent.process.most_kept
    assert lines <= agents.MAX_KEPT_LINES and size <= agents.MAX_KEPT_BYTES
    assert_bot_played_all(history)


def test_an_answer_behind_a_flood_of_stale_ones_is_taken(game):
    state, history, agent, errors = play(game, "stale-then-answer", timeout=HANG_GUARD)
    assert errors == [] and agent.answered == agent.requests > 5
    assert all(h.reason == "passive" for h in seat_inputs(history))
    assert agent.process.most_kept[0] <= agents.MAX_KEPT_LINES


def max_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def test_a_huge_line_is_an_error_read_without_holding_it(game):
    before = max_rss_bytes()
    state, history, agent, errors = play(game, "huge-line", timeout=HANG_GUARD)
    grown = max_rss_bytes() - before
    assert grown < 40 << 20  # the agent wrote a 64 MiB line
    assert len(errors) == 1 and "an answer longer than 1,048,576 bytes" in errors[0][1]
    assert "the bot plays this decision" in errors[0][1] and agent.dead is None
    mine = seat_inputs(history)
    assert mine[0].reason.startswith("bot for the agent (an answer longer than") and all(h.reason == "passive" for h in mine[1:])
    assert agent.process.most_kept[1] <= agents.MAX_KEPT_BYTES


# --- crashes ------------------------------------------------------------------------------------


def test_an_agent_that_crashes_at_start(game):
    state, history, agent, errors = play(game, "crash-at-start", timeout=HANG_GUARD)
    assert len(errors) == 1 and "the program exited (status 2)" in errors[0][1] and "from now on" in errors[0][1]
    assert_bot_played_all(history)


def test_an_agent_that_crashes_mid_game(game):
    state, history, agent, errors = play(game, "crash-mid-game", timeout=HANG_GUARD)
    assert len(errors) == 1 and "the program exited (status 4)" in errors[0][1]
    mine = seat_inputs(history)
    assert [h.reason for h in mine[:2]] == ["passive", "passive"]
    assert all(h.reason.startswith("bot for the agent (the program exited (status 4))") for h in mine[2:])
    assert_replays(game, 1, history)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except (OSError, IndexError):
        return True


def test_a_child_the_agent_started_does_not_outlive_the_game(game, tmp_path):
    pid_file = tmp_path / "child.pid"
    state, history, agent, errors = play(game, "spawn", str(pid_file), timeout=HANG_GUARD)
    assert errors == []
    child = int(pid_file.read_text())

    def gone():
        while alive(child):
            time.sleep(0.05)  # SIGKILL is delivered asynchronously

    guarded(gone)


# --- what an answer may hold --------------------------------------------------------------------


def test_an_answer_nested_100000_deep(game):
    state, history, agent, errors = play(game, "deep", timeout=HANG_GUARD)
    assert errors and all(f"an answer nested more than {agents.MAX_DEPTH} deep" in text for _, text in errors)
    assert_bot_played_all(history)


def test_an_answer_with_a_5000_digit_integer(game):
    state, history, agent, errors = play(game, "huge-int", timeout=HANG_GUARD)
    assert errors and all("an answer with a number out of range" in text for _, text in errors)
    assert_bot_played_all(history)


TEMPLATE = '{"template": "cap", "parties": ["red", "blue"], "params": {"limit": %s}}'


@pytest.mark.parametrize("kind, value, says", [
    ("respond", '{"kind": "respond", "replies": 5}', "replies"),
    ("respond", '{"kind": "respond", "replies": [5]}', "reply 1"),
    ("respond", '{"kind": "respond", "replies": [{"proposal": "one", "answer": "accept"}]}', "proposal"),
    ("respond", '{"kind": "respond", "replies": [{"proposal": 1, "answer": 5}]}', "'answer'"),
    ("propose", '{"kind": "propose", "offers": 5.5}', "offers"),
    ("propose", '{"kind": "propose", "offers": [%s]}' % (TEMPLATE % ("9" * 400)), "number out of range"),
    ("propose", '{"kind": "propose", "offers": [%s]}' % (TEMPLATE % "1e999"), "number out of range"),
    ("propose", '{"kind": "propose", "offers": [%s]}' % (TEMPLATE % "NaN"), "NaN is not a number"),
    ("propose", '{"kind": "propose", "offers": [%s]}' % (TEMPLATE % '"much"'), "limit"),
    ("propose", '{"kind": "propose", "offers": [{"template": 5, "parties": "red"}]}', "offer 1"),
    ("decide", '{"kind": "decide", "moves": 5}', "moves"),
    ("decide", '{"kind": "decide", "moves": [["a"]]}', "moves"),
    ("decide", '{"kind": 5}', "kind"),
    ("decide", '{"kind": "decide", "seat": 5}', "red"),
    ("decide", '5', "input"),
])
def test_an_input_of_the_wrong_type(game, kind, value, says):
    state, history, agent, errors = play(game, "wrong", f"{kind}:{value}", timeout=HANG_GUARD)
    assert errors, "the game never asked for this kind"
    texts = [text for _, text in errors]
    assert all(says in text and "the bot plays this decision" in text for text in texts), texts
    assert not any("TypeError" in text or "ValueError" in text or "Overflow" in text for text in texts), texts
    wrong = [h for h in seat_inputs(history) if h.input["kind"] == kind]
    assert wrong and all(h.reason.startswith("bot for the agent (") for h in wrong)
    assert agent.dead is None
    assert_replays(game, 1, history)


def test_control_characters_from_an_agent_never_reach_the_terminal_or_the_record(game, capsys):
    def run():
        controllers = agent_controllers([f"red={hostile('control')}"], game, timeout=HANG_GUARD)
        state = game.start(1)
        try:
            state, history = play_out(game, state, controllers)
        finally:
            close_agents(controllers, game, state)
        return history

    history = guarded(run)
    err = capsys.readouterr().err
    assert "not JSON" in err and "\\x1b]0;owned\\x07" in err and "\x1b" not in err and "\x07" not in err
    reasons = [h.reason for h in seat_inputs(history)]
    assert reasons[1] == "\\x1b[31mred\\x1b[0m \\u202e"
    assert not any("\x1b" in r or "\u202e" in r for r in reasons)


# --- limits, one by one -------------------------------------------------------------------------


DECODING = [
    ("[" * 33 + "]" * 33, "nested more than 32 deep"),
    ('{"a": ' + "[" * 100_000, "nested more than 32 deep"),
    ("[" * 40 + '"' + '\\"' * 500_000, "nested more than 32 deep"),  # 1 MiB of escapes: no backtracking
    ("[" * 40 + '"a' * 500_000, "nested more than 32 deep"),
    ('{"n": 1' + "0" * 16 + "}", "number out of range"),
    ('{"n": -1' + "0" * 5000 + "}", "number out of range"),
    ('{"n": 1e16}', "number out of range"),
    ('{"n": 0.' + "1" * 60 + "}", "more than 40 characters"),
    ('{"n": -Infinity}', "-Infinity is not a number"),
    ('{"n": ' + "[]," * 10 + "1}", "not JSON"),
    ('"' * 1_000_000, "not JSON"),
    ("\ud800", "not JSON"),
    ("[1]", "not a JSON object"),
]
NESTED_31 = "[" * 31 + "]" * 31
WITHIN = '{"a": "' + "[" * 1000 + '", "b": ["' + "{" * 1000 + '"], "n": 999999999999999, "x": -1e15, "d": ' + NESTED_31 + "}"

DECODE_ALL = """
import json, sys
from midnight.agents import AgentError, decode_answer
results = []
for line in json.load(sys.stdin):
    try:
        results.append(["ok", decode_answer(line)])
    except AgentError as error:
        results.append(["error", str(error)])
json.dump(results, sys.stdout)
"""


@pytest.fixture(scope="module")
def decoded():
    """Every line of DECODING and WITHIN decoded, in a subprocess: its timeout is the hang guard
    (a runaway regular expression or parser would not let a thread's guard fire)."""
    lines = [line for line, _ in DECODING] + [WITHIN]
    done = subprocess.run([sys.executable, "-c", DECODE_ALL], input=json.dumps(lines), cwd=ROOT,
                          capture_output=True, text=True, timeout=HANG_GUARD)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("index", range(len(DECODING)), ids=[says for _, says in DECODING])
def test_decoding_limits(decoded, index):
    outcome, text = decoded[index]
    assert outcome == "error" and DECODING[index][1] in text


def test_decoding_what_is_within_the_limits(decoded):
    outcome, answer = decoded[-1]
    assert outcome == "ok"
    assert answer["n"] == 999_999_999_999_999 and answer["x"] == -1e15 and answer["a"] == "[" * 1000
    assert answer["b"] == ["{" * 1000] and answer["d"] == json.loads(NESTED_31)


def test_the_reader_keeps_at_most_its_bounds_and_reports_long_lines():
    process = AgentProcess(["unused"])
    lines = b"".join(b'{"id": %d}\n' % i for i in range(1000)) + b"\n\n   \n" + b"y" * (agents.MAX_LINE + 1) + b"\n{}"

    class Stream:
        def __init__(self, data):
            self.data, self.at = data, 0

        def read(self, n):
            chunk = self.data[self.at:self.at + min(n, 4096)]
            self.at += len(chunk)
            return chunk

    guarded(process._read, Stream(lines))
    kept = list(process.kept)
    assert process.ended and len(kept) <= agents.MAX_KEPT_LINES and process.most_kept[0] <= agents.MAX_KEPT_LINES
    assert kept[-2] is agents._TOO_LONG and kept[-1] == b"{}"  # the newest kept, the last line without its newline
    assert kept[-3] == b'{"id": 999}' and process.dropped == 1002 - len(kept)


@pytest.mark.parametrize("argv, name", [
    (["python", "examples/my_agent.py", "--api-key", "sk-123"], "python my_agent.py"),
    (["/usr/bin/env", "API_KEY=sk-123.py", "node", "bot.js", "sk-123"], "env bot.js"),
    (["./agent", "sk-123"], "agent"),
    (["agent\x1b[2J"], "agent_2J"),
])
def test_a_record_names_an_agent_without_its_arguments(argv, name):
    assert guarded(short_name, argv) == name


def test_a_failed_start_does_not_report_the_command_line(game):
    controllers = agent_controllers(["red=/no/such/agent --password hunter2"], game, on_error=None)
    state = guarded(lambda: play_out(game, game.start(1), controllers)[0])
    close_agents(controllers, game, state)
    assert controllers["red"].errors and not any("hunter2" in e for e in controllers["red"].errors)
    assert controllers["red"].persona == "agent:agent"


# --- the property -------------------------------------------------------------------------------


class Canned:
    """Stands in for an agent's process: answers every request with one line, decoded as a real
    line would be."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.name = "canned"

    def request(self, message, timeout):
        return decode_answer(self.line)

    def close(self, message=None, grace=1.0):
        pass


@pytest.fixture(scope="module")
def moments(game):
    """(state, seat, a legal input) at every decision of two bot games: propose, respond, decide."""
    found = []
    for seed in (1, 2):
        controllers = {s: default_controller(game, s) for s in game.seats}
        state, history = play_out(game, game.start(seed), controllers)
        state = game.start(seed)
        for entry in history:
            found.append((state, entry.input["seat"], entry.input))
            state, _ = game.apply(state, entry.input)
    return found


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8),
    st.integers(min_value=10**14, max_value=10**400), st.just(float("inf")),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
KEYS = ["seat", "kind", "offers", "replies", "moves", "choice", "params", "id", "zz"]


@st.composite
def mutated(draw, value):
    """`value` with a few mutations: a value's type changed, a key dropped or added, nested."""
    def mutate(node, depth=0):
        roll = draw(st.integers(0, 9))
        if roll == 0:
            return draw(values)  # replaced by anything
        if roll == 1:
            return [node] if draw(st.booleans()) else {"x": node}  # nested once more
        if isinstance(node, dict) and node:
            node = dict(node)
            keys = sorted(node)
            key = draw(st.sampled_from(keys))
            action = draw(st.integers(0, 3))
            if action == 0:
                del node[key]
            elif action == 1:
                node[draw(st.sampled_from(KEYS))] = draw(values)
            else:
                node[key] = mutate(node[key], depth + 1)
            return node
        if isinstance(node, list) and node:
            node = list(node)
            i = draw(st.integers(0, len(node) - 1))
            node[i] = mutate(node[i], depth + 1)
            return node
        return node
    result = value
    for _ in range(draw(st.integers(1, 3))):
        result = mutate(result)
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_answer_never_crashes_the_game(game, moments, data):
    state, seat, legal = data.draw(st.sampled_from(moments))
    if data.draw(st.integers(0, 4)):  # mostly the input, sometimes the whole answer
        answer = {"id": 1, "input": data.draw(mutated(legal)), "reason": "r"}
    else:
        answer = data.draw(mutated({"id": 1, "input": legal, "reason": "r"}))
    depth = data.draw(st.sampled_from([0] * 7 + [10, 40, 5000]))
    line = json.dumps(answer, allow_nan=True)
    if depth and isinstance(answer, dict) and "input" in answer and data.draw(st.booleans()):
        inner = json.dumps(answer["input"], allow_nan=True)  # the input nested, as text
        line = '{"id": 1, "input": ' + "[" * depth + inner + "]" * depth + "}"
    elif depth:
        line = "[" * depth + line + "]" * depth  # the whole answer nested, as text
    controller = AgentController(seat, ["canned"], default_controller(game, seat), on_error=None)
    controller.process = Canned(line)  # type: ignore[assignment]
    value, reason = guarded(controller.act, game, state, seat)
    game.apply(state, value)  # whatever the answer, what is played is legal
    assert isinstance(reason, str) and "\x1b" not in reason
    assert controller.answered + len(controller.errors) == 1
    event("taken" if controller.answered else controller.errors[0].split(": ", 2)[1].split(" (")[0][:40])
