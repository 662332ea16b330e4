"""Seats played by outside programs: JSON lines on the program's stdin and stdout.

The engine sends `{"type": "act", "id": N, "seat": ..., "view": {...}, "options": {...}}` (one
line, see `engine.play.wire`), the program answers one line `{"id": N, "input": {...}, "reason": "..."}`.
When the game ends it gets `{"type": "end", ...}` and its stdin is closed. An answer that comes
late, is not JSON, or is not a legal input is reported (stderr and the input's recorded reason)
and the seat's fallback bot plays that decision instead: the game always goes on.
See docs/agents.md.

    controllers = agent_controllers(["us=python examples/random_agent.py"], game)
    ...play with them like any other controllers...
    close_agents(controllers, final_state)
"""

from __future__ import annotations

import json
import os
import queue
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping

from engine.errors import MidnightError
from engine.play.loop import Controller, default_controller
from engine.play.wire import WIRE_FORMAT, act_message, plain, view_to_wire
from engine.rules.game import Game
from engine.rules.inputs import input_to_dict
from engine.rules.options import SeatOptions
from engine.rules.state import GameState

MAX_LINE = 4_000_000  # bytes in one answer
MAX_REASON = 300  # characters of an agent's reason kept in the record
GIVE_UP_AFTER = 3  # timeouts in a row before the engine stops waiting for a program


class AgentError(Exception):
    """An agent failed one request. `kind`: timeout, gone (exited or never started), protocol
    (not JSON, not an object, no input) or illegal (an input the engine refuses)."""

    def __init__(self, message: str, kind: str = "protocol") -> None:
        super().__init__(message)
        self.kind = kind


class AgentProcess:
    """An outside program, started on the first request, read line by line on a thread."""

    def __init__(self, command: str | list[str], cwd: str | None = None) -> None:
        self.argv = shlex.split(command) if isinstance(command, str) else list(command)
        if not self.argv:
            raise MidnightError("an agent needs a command to run")
        self.cwd = cwd
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()

    def start(self) -> None:
        if self.process is not None:
            return
        try:
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self.cwd,
                text=True, encoding="utf-8", errors="replace", bufsize=1,
            )
        except OSError as error:
            raise AgentError(f"cannot start `{shlex.join(self.argv)}`: {error.strerror or error}", "gone") from None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        try:
            while True:
                line = stream.readline(MAX_LINE)
                if not line:
                    break
                self.lines.put(line)
        except (OSError, ValueError):
            pass
        self.lines.put(None)  # end of output

    @property
    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def send(self, message: Mapping) -> None:
        self.start()
        assert self.process is not None and self.process.stdin is not None  # started, with a pipe
        try:
            self.process.stdin.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            raise AgentError(self._gone(), "gone") from None

    def request(self, message: Mapping, timeout: float) -> dict:
        """Send `message` and wait for the answer with the same `id` (older answers are dropped)."""
        self.start()
        while True:  # answers to earlier requests that came too late
            try:
                if self.lines.get_nowait() is None:
                    self.lines.put(None)
                    raise AgentError(self._gone(), "gone")
            except queue.Empty:
                break
        self.send(message)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.0, left))
            except queue.Empty:
                raise AgentError(f"no answer within {timeout:g}s", "timeout") from None
            if line is None:
                self.lines.put(None)
                raise AgentError(self._gone(), "gone")
            if not line.strip():
                continue
            if not line.endswith("\n") and len(line) >= MAX_LINE:
                raise AgentError(f"an answer longer than {MAX_LINE:,} characters")
            try:
                answer = json.loads(line)
            except json.JSONDecodeError as error:
                raise AgentError(f"an answer that is not JSON ({error.msg}): {_clip(line.strip())}") from None
            if not isinstance(answer, dict):
                raise AgentError(f"an answer that is not a JSON object: {_clip(line.strip())}")
            if "id" in answer and answer["id"] != message.get("id"):
                continue  # a late answer to an earlier request
            return answer

    def _gone(self) -> str:
        status = None
        if self.process is not None:
            try:
                status = self.process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                status = None
        return "the program closed its output" if status is None else f"the program exited (status {status})"

    def close(self, message: Mapping | None = None, grace: float = 1.0) -> None:
        """Say goodbye (if it still listens), close its stdin and make sure it is gone."""
        process = self.process
        if process is None:
            return
        if message is not None and process.poll() is None:
            try:
                self.send(message)
            except AgentError:
                pass
        assert process.stdin is not None  # started with a pipe
        try:
            process.stdin.close()
        except OSError:
            pass
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_to_stderr(seat: str, message: str) -> None:
    print(f"midnight: agent for {seat}: {message}", file=sys.stderr, flush=True)


class AgentController:
    """A Controller whose choices come from an outside program, with a bot to fall back on."""

    def __init__(
        self,
        seat: str,
        command: str | list[str],
        fallback: Controller,
        *,
        timeout: float = 10.0,
        language: str | None = "en",
        on_error: Callable[[str, str], None] | None = report_to_stderr,
        cwd: str | None = None,
    ) -> None:
        self.seat = seat
        self.process = AgentProcess(command, cwd)
        self.fallback = fallback
        self.timeout = timeout
        self.language = language
        self.on_error = on_error
        self.requests = 0
        self.answered = 0
        self.errors: list[str] = []
        self.seconds = 0.0
        self.dead: str | None = None  # why the program is no longer asked
        self._timeouts = 0

    @property
    def persona(self) -> str:
        """Who plays the seat, for a record's header."""
        return "agent:" + shlex.join(self.process.argv)

    def act(self, game: Game, state: GameState, seat: str) -> tuple[dict, str]:
        if self.dead is not None:
            value, reason = self.fallback.act(game, state, seat)
            return value, f"bot for the agent ({self.dead}): {reason}"
        self.requests += 1
        options = game.options(state, seat)
        assert isinstance(options, SeatOptions)  # agents play actors' seats
        message = act_message(game.view(state, seat), options, self.requests, self.language)
        started = time.perf_counter()
        try:
            answer = self.process.request(message, self.timeout)
            value, reason = self._check(game, state, seat, answer)
        except AgentError as error:
            problem = str(error)
            if error.kind == "timeout":
                self._timeouts += 1
                if self._timeouts >= GIVE_UP_AFTER:
                    self.dead = f"{GIVE_UP_AFTER} timeouts in a row"
            elif error.kind == "gone":
                self.dead = problem
            return self._fall_back(game, state, seat, problem)
        finally:
            self.seconds += time.perf_counter() - started
        self._timeouts = 0
        self.answered += 1
        return value, reason

    def _check(self, game: Game, state: GameState, seat: str, answer: dict) -> tuple[dict, str]:
        from engine.play.wire import input_from_wire

        if "input" not in answer:
            raise AgentError(f"an answer without 'input': {_clip(json.dumps(answer))}")
        try:
            typed = input_from_wire(answer["input"], seat)
            game.apply(state, typed)  # pure: only to know now whether the engine will take it
        except MidnightError as error:
            raise AgentError(f"an input the engine refuses: {error}", "illegal") from None
        reason = answer.get("reason", "")
        reason = _clip(reason if isinstance(reason, str) else json.dumps(reason), MAX_REASON)
        return input_to_dict(typed), reason or "agent"

    def _fall_back(self, game: Game, state: GameState, seat: str, problem: str) -> tuple[dict, str]:
        self.errors.append(f"turn {state.turn}, {state.phase.value}: {problem}")
        if self.on_error is not None:
            then = "the bot plays the seat from now on" if self.dead else "the bot plays this decision"
            self.on_error(seat, f"turn {state.turn}, {state.phase.value} phase: {problem}; {then}")
        value, reason = self.fallback.act(game, state, seat)
        return value, f"bot for the agent ({_clip(problem, 80)}): {reason}"

    def close(self, game: Game | None = None, state: GameState | None = None) -> None:
        message = None
        if game is not None and state is not None:
            message = {"type": "end", "seat": self.seat, "outcome": plain(state.outcome),
                       "view": view_to_wire(game.view(state, self.seat), self.language)}
        self.process.close(message)


def parse_agent_spec(spec: str, seats: Iterable[str]) -> tuple[str, str]:
    """`us=python my_agent.py` -> ("us", "python my_agent.py"), the seat checked."""
    seat, sep, command = spec.partition("=")
    seat, command = seat.strip(), command.strip()
    seats = list(seats)
    if not sep or not command:
        raise MidnightError(f"--agent '{spec}': write SEAT=COMMAND, e.g. us=\"python examples/random_agent.py\"")
    if seat not in seats:
        raise MidnightError(f"--agent: no seat '{seat}' (seats: {', '.join(seats)})")
    try:
        shlex.split(command)
    except ValueError as error:
        raise MidnightError(f"--agent {seat}: cannot read the command ({error})") from None
    return seat, command


def agent_controllers(
    specs: Iterable[str],
    game: Game,
    fallbacks: Mapping[str, Controller] | None = None,
    *,
    timeout: float = 10.0,
    language: str | None = "en",
    on_error: Callable[[str, str], None] | None = report_to_stderr,
) -> dict[str, AgentController]:
    """Controllers for the seats `specs` give to programs (`SEAT=COMMAND`).

    Each falls back on `fallbacks[seat]` (e.g. the bot `--seats` chose), else the scenario's bot.
    """
    result: dict[str, AgentController] = {}
    for spec in specs:
        seat, command = parse_agent_spec(spec, game.seats)
        if seat in result:
            raise MidnightError(f"--agent: seat '{seat}' is given twice")
        fallback = (fallbacks or {}).get(seat) or default_controller(game, seat)
        result[seat] = AgentController(seat, command, fallback, timeout=timeout, language=language,
                                       on_error=on_error, cwd=os.getcwd())
    return result


def close_agents(controllers: Mapping[str, object], game: Game | None = None, state: GameState | None = None) -> None:
    """Tell every agent the game is over and stop its program (other controllers are left alone)."""
    for controller in controllers.values():
        if isinstance(controller, AgentController):
            controller.close(game, state)


__all__ = ["AgentController", "AgentError", "AgentProcess", "WIRE_FORMAT", "agent_controllers", "close_agents"]
