"""Seats played by outside programs: JSON lines on the program's stdin and stdout.

The engine sends `{"type": "act", "id": N, "seat": ..., "view": {...}, "options": {...}}` (one
line, see `engine.play.wire`), the program answers one line `{"id": N, "input": {...}, "reason": "..."}`.
When the game ends it gets `{"type": "end", ...}`, its stdin is closed and its process group is
killed. An answer that comes late, is not JSON, is too long, too deep or holds a huge number, or
is not a legal input is reported (stderr and the input's recorded reason) and the seat's fallback
bot plays that decision instead; a program that exits, or stops reading its input, is replaced by
its bot for the rest of the game. The game always goes on, and nothing the program does can make
the engine wait longer than the timeout or hold more than a bounded amount of its output.
See docs/agents.md.

    controllers = agent_controllers(["us=python examples/random_agent.py"], game)
    ...play with them like any other controllers...
    close_agents(controllers, game, final_state)
"""

from __future__ import annotations

import collections
import itertools
import json
import math
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import IO

from engine.errors import MidnightError
from engine.play.loop import Controller, default_controller
from engine.play.wire import WIRE_FORMAT, act_message, plain, view_to_wire
from engine.rules.game import Game
from engine.rules.inputs import input_to_dict
from engine.rules.options import SeatOptions
from engine.rules.state import GameState
from engine.scenario.safe_text import printable

MAX_LINE = 1 << 20  # bytes in one line from a program (1 MiB); a longer line is an error
MAX_KEPT_LINES = 64  # lines read but not yet looked at, kept at most (the oldest are dropped)
MAX_KEPT_BYTES = 4 << 20  # bytes of such lines kept at most
MAX_DEPTH = 32  # nesting of arrays and objects in an answer
MAX_NUMBER_TEXT = 40  # characters of one number in an answer
MAX_NUMBER = 1e15  # magnitude of a number in an answer
MAX_REASON = 300  # characters of an agent's reason kept in the record
GIVE_UP_AFTER = 3  # timeouts in a row before the engine stops waiting for a program
CLOSE_GRACE = 1.0  # seconds a program has, at the end, to take the `end` message and exit

_TOO_LONG = object()  # what the reader keeps in place of a line longer than MAX_LINE


class AgentError(Exception):
    """An agent failed one request. `kind`: timeout, gone (exited, never started, or stopped
    reading its input), protocol (not JSON, too long, too deep, a huge number, not an object, no
    input) or illegal (an input the engine refuses)."""

    def __init__(self, message: str, kind: str = "protocol") -> None:
        super().__init__(message)
        self.kind = kind


def _clip(text: str, limit: int = 120) -> str:
    text = text if len(text) <= 4 * limit else text[: 4 * limit]  # never escape a megabyte to keep 120 characters
    text = printable(text, one_line=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Refused(ValueError):
    """A number or a nesting the decoder will not take."""


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_TEXT or abs(value := int(text)) > MAX_NUMBER:
        raise _Refused(f"a number out of range ({_clip(text, 24)}; at most {MAX_NUMBER:g} either way)")
    return value


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_TEXT:
        raise _Refused(f"a number of more than {MAX_NUMBER_TEXT} characters ({_clip(text, 24)})")
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise _Refused(f"a number out of range ({_clip(text, 24)}; at most {MAX_NUMBER:g} either way)")
    return value


def _constant(text: str) -> object:
    raise _Refused(f"{text} is not a number JSON allows")


_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')  # once escapes are gone: no backtracking, linear on any line
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _depth(text: str) -> int:
    """How deep arrays and objects nest in `text` (strings skipped), without parsing it."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # cannot be too deep: the usual case, and cheap
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text)))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def decode_answer(line: str) -> dict:
    """One line from a program as a JSON object, or AgentError (protocol): the nesting and the
    numbers are bounded before anything is built, so no answer can exhaust the stack or the CPU."""
    text = line.strip()
    if _depth(text) > MAX_DEPTH:
        raise AgentError(f"an answer nested more than {MAX_DEPTH} deep")
    try:
        answer = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _Refused as error:
        raise AgentError(f"an answer with {error}") from None
    except json.JSONDecodeError as error:
        raise AgentError(f"an answer that is not JSON ({error.msg}): {_clip(text)}") from None
    except (RecursionError, ValueError) as error:  # ValueError: e.g. a lone surrogate the scanner refuses
        raise AgentError(f"an answer that is not JSON ({type(error).__name__}): {_clip(text)}") from None
    if not isinstance(answer, dict):
        raise AgentError(f"an answer that is not a JSON object: {_clip(text)}")
    return answer


_SCRIPT = re.compile(r"\.(py|pyz|js|mjs|cjs|ts|rb|pl|php|lua|sh|bash|jar|R|jl)$", re.IGNORECASE)
_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._+-]+")


def short_name(argv: list[str]) -> str:
    """A program's name for records and reports, never its whole command line: the base name of
    the program and of the first script it is given (`python my_agent.py --key sk-...` ->
    `python my_agent.py`); other arguments, which may be secrets, are left out."""
    names = [argv[0], *itertools.islice((a for a in argv[1:] if _SCRIPT.search(a) and not a.startswith("-") and "=" not in a), 1)]
    parts = [_NAME_CHARACTERS.sub("_", os.path.basename(n.rstrip("/\\")) or "_")[:40] for n in names]
    return " ".join(parts)


class AgentProcess:
    """An outside program, started on the first request, in its own process group.

    A thread reads its output in chunks: blank lines are skipped, a line over MAX_LINE is kept as
    a marker only, and at most MAX_KEPT_LINES / MAX_KEPT_BYTES of unread lines are kept (the
    oldest dropped). Every write has a deadline: a program that does not read its input is given up
    on, never waited for.
    """

    def __init__(self, command: str | list[str], cwd: str | None = None) -> None:
        self.argv = shlex.split(command) if isinstance(command, str) else list(command)
        if not self.argv:
            raise MidnightError("an agent needs a command to run")
        self.cwd = cwd
        self.name = short_name(self.argv)
        self.process: subprocess.Popen[bytes] | None = None
        self.kept: collections.deque[bytes | object] = collections.deque()
        self.kept_bytes = 0
        self.most_kept = (0, 0)  # the most lines and bytes ever kept at once (for tests and reports)
        self.dropped = 0  # lines dropped unread because too many were kept
        self.ended = False  # the program's output is closed
        self._ready = threading.Condition()
        self._reader: threading.Thread | None = None
        self._writer: threading.Thread | None = None  # the last write, while it has not finished
        self._write_failed: OSError | ValueError | None = None

    def start(self) -> None:
        if self.process is not None:
            return
        try:
            self.process = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=self.cwd, bufsize=0,
                start_new_session=True,  # its own process group: killed whole at the end
            )
        except (OSError, ValueError) as error:
            why = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise AgentError(f"cannot start {self.name}: {_clip(str(why))}", "gone") from None
        assert self.process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self._reader.start()

    # --- reading -------------------------------------------------------------------------------

    def _keep(self, item: bytes | object) -> None:
        with self._ready:
            size = len(item) if isinstance(item, bytes) else 0
            self.kept.append(item)
            self.kept_bytes += size
            while len(self.kept) > MAX_KEPT_LINES or self.kept_bytes > MAX_KEPT_BYTES:
                old = self.kept.popleft()
                self.kept_bytes -= len(old) if isinstance(old, bytes) else 0
                self.dropped += 1
            self.most_kept = (max(self.most_kept[0], len(self.kept)), max(self.most_kept[1], self.kept_bytes))
            self._ready.notify_all()

    def _line(self, line: bytes) -> None:
        if line.strip():
            self._keep(line)

    def _read(self, stream: IO[bytes]) -> None:
        pending = bytearray()
        skipping = False  # inside a line already found too long
        try:
            while chunk := stream.read(65536):
                start = 0
                while start <= len(chunk):
                    end = chunk.find(b"\n", start)
                    piece = chunk[start:] if end < 0 else chunk[start:end]
                    if not skipping:
                        if len(pending) + len(piece) > MAX_LINE:
                            pending.clear()
                            skipping = True
                            self._keep(_TOO_LONG)
                        else:
                            pending += piece
                    if end < 0:
                        break
                    if not skipping:
                        self._line(bytes(pending))
                    pending.clear()
                    skipping = False
                    start = end + 1
            if pending and not skipping:
                self._line(bytes(pending))  # a last line without its newline
        except (OSError, ValueError):
            pass
        with self._ready:
            self.ended = True
            self._ready.notify_all()

    def _drain(self) -> None:
        """Forget lines read before a request: late answers to earlier ones."""
        with self._ready:
            self.kept.clear()
            self.kept_bytes = 0

    def _next(self, deadline: float) -> bytes | object | None:
        """The next kept line, or None when the output is closed; AgentError at the deadline."""
        with self._ready:
            while not self.kept:
                if self.ended:
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                self._ready.wait(left)
            item = self.kept.popleft()
            self.kept_bytes -= len(item) if isinstance(item, bytes) else 0
            return item

    @property
    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    # --- writing -------------------------------------------------------------------------------

    def send(self, message: Mapping, timeout: float) -> None:
        """Write one line, or AgentError ("gone") if the program is gone or has not taken it
        within `timeout` seconds (it does not read its input: it is never written to again)."""
        self.start()
        assert self.process is not None and self.process.stdin is not None  # started, with a pipe
        if self._writer is not None:
            raise AgentError("the program does not read its input", "gone")
        data = (json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        stdin = self.process.stdin
        self._write_failed = None

        def write() -> None:
            try:
                view = memoryview(data)
                while view:
                    written = stdin.write(view)
                    view = view[written or 0:]
                stdin.flush()
            except (OSError, ValueError) as error:
                self._write_failed = error

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join(timeout)
        if writer.is_alive():
            self._writer = writer  # stuck in a full pipe until the program is killed
            raise AgentError(f"the program did not read its input within {timeout:g}s", "gone")
        if self._write_failed is not None:
            raise AgentError(self._gone(), "gone")

    def request(self, message: Mapping, timeout: float) -> dict:
        """Send `message` and wait for the answer with the same `id`; older answers, blank lines
        and lines with another `id` are dropped. `timeout` is a deadline for the whole request."""
        self.start()
        deadline = time.monotonic() + timeout
        self._drain()
        if self.ended:
            raise AgentError(self._gone(), "gone")
        self.send(message, timeout)
        while True:
            try:
                item = self._next(deadline)
            except TimeoutError:
                raise AgentError(f"no answer within {timeout:g}s", "timeout") from None
            if item is None:
                raise AgentError(self._gone(), "gone")
            if item is _TOO_LONG:
                raise AgentError(f"an answer longer than {MAX_LINE:,} bytes")
            assert isinstance(item, bytes)
            answer = decode_answer(item.decode("utf-8", errors="replace"))
            if "id" in answer and answer["id"] != message.get("id"):
                if time.monotonic() >= deadline:  # a flood of stale answers does not move the deadline
                    raise AgentError(f"no answer within {timeout:g}s", "timeout")
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

    # --- the end -------------------------------------------------------------------------------

    def close(self, message: Mapping | None = None, grace: float = CLOSE_GRACE) -> None:
        """Say goodbye (if it still listens, within `grace`), close its stdin, give it `grace`
        seconds to exit, then kill its whole process group (children it started included)."""
        process = self.process
        if process is None:
            return
        if message is not None and process.poll() is None and self._writer is None:
            try:
                self.send(message, grace)
            except AgentError:
                pass
        if self._writer is None:
            try:
                assert process.stdin is not None  # started with a pipe
                process.stdin.close()
            except OSError:
                pass
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        self._kill_group()
        try:
            process.wait(timeout=max(grace, 1.0))
        except subprocess.TimeoutExpired:
            pass  # cannot be killed (it is stuck in the kernel): not waited for
        for thread in (self._writer, self._reader):
            if thread is not None:
                thread.join(timeout=grace)  # both end once the group is dead and the pipes are closed
        if not any(t is not None and t.is_alive() for t in (self._writer, self._reader)):
            for pipe in (process.stdin, process.stdout):  # (a pipe still in use by a thread is left open)
                if pipe is not None and not pipe.closed:
                    try:
                        pipe.close()
                    except OSError:
                        pass

    def _kill_group(self) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group's id is the leader's pid (a new session)
        except ProcessLookupError:
            pass  # the whole group is gone already
        except (AttributeError, OSError):  # no process groups (Windows), or not allowed
            self.process.kill()


def report_to_stderr(seat: str, message: str) -> None:
    print(printable(f"midnight: agent for {seat}: {message}", one_line=True), file=sys.stderr, flush=True)


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
        """Who plays the seat, for a record's header: `agent:` and a short name (never the
        command line, which may hold a key or a password)."""
        return "agent:" + self.process.name

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
            raise AgentError(f"an input the engine refuses: {_clip(str(error), 300)}", "illegal") from None
        except (ValueError, TypeError, ArithmeticError) as error:
            # The engine's parser should say InvalidInput for any wrong value; should one slip
            # through as a Python error, it still costs the agent one decision, never the game.
            raise AgentError(f"an input the engine refuses ({type(error).__name__}: {_clip(str(error))})",
                             "illegal") from None
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
