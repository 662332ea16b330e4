"""The table server: one authoritative game (a Table) behind a WebSocket, each connection seeing
only what its seat may see (Game.view decides; nothing is stripped here).

    server = TableServer(table, codes)
    host, port = await server.start("127.0.0.1", 0)
    ...
    await server.close()

Every message is a JSON object of at most MAX_MESSAGE bytes; a bad one gets an error reply and the
connection and the game go on. An input is written to the record (atomically) before it is
acknowledged. Time comes from the event loop's monotonic clock and is handed to the table.
The protocol is documented in docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable
from typing import Any

import attrs
from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

from engine.errors import MidnightError
from engine.play.table import HUMAN, Table
from engine.play.wire import options_to_wire, view_to_wire
from engine.rules.previews import round_results
from engine.rules.state import FACILITATOR, SPECTATOR
from engine.scenario.safe_text import printable
from workshop.codes import Codes
from workshop.typed import encode

PROTOCOL = 1
MAX_MESSAGE = 64 * 1024  # bytes in one client message; more gets an error reply
MAX_FRAME = 1024 * 1024  # the WebSocket library closes a connection that sends a bigger frame
JOIN_WAIT = 30.0  # seconds a new connection has to send its join message
RATE = 20.0  # messages a second a connection may send on average ...
BURST = 60.0  # ... and at once; beyond that its messages are refused with an error until it slows
TICK = 0.2  # how often the timer task looks at the deadline (seconds)

ROLE_SEAT, ROLE_FACILITATOR, ROLE_SPECTATOR = "seat", "facilitator", "spectator"


class Client:
    """One open connection: who it plays, and its message allowance."""

    def __init__(self, ws: ServerConnection, seat: str) -> None:
        self.ws = ws
        self.seat = seat
        self.role = ROLE_FACILITATOR if seat == FACILITATOR else ROLE_SPECTATOR if seat == SPECTATOR else ROLE_SEAT
        self.tokens = BURST
        self.last = 0.0
        self.typed = False  # also sent the engine's typed view and options (the terminal UI's screens)
        self.log_sent = 0  # the view's log entries this connection already has: later states send the rest

    def allow(self, now: float) -> bool:
        self.tokens = min(BURST, self.tokens + (now - self.last) * RATE)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class BadMessage(Exception):
    """A client message that is not what the protocol allows: the reply says why."""


class TableServer:
    def __init__(self, table: Table, codes: Codes, *, language: str = "en",
                 say: Callable[[str], None] | None = None) -> None:
        self.table = table
        self.codes = codes
        self.language = language
        self.say = say or (lambda _text: None)
        self.seats: dict[str, Client] = {}  # one connection per team seat and for the facilitator
        self.spectators: set[Client] = set()
        self._server: Any = None
        self._timer_task: asyncio.Task | None = None
        self._clock_waits_for_facilitator = False
        self.address: tuple[str, int] | None = None
        self.tick = TICK

    # -- running ----------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        self._server = await serve(self._handle, host, port, max_size=MAX_FRAME, max_queue=64,
                                   ping_interval=20, ping_timeout=20)
        sock = next(iter(self._server.sockets))
        address = sock.getsockname()
        self.address = (address[0], address[1])
        self._timer_task = asyncio.create_task(self._watch_timer())
        return self.address

    async def close(self) -> None:
        if self._timer_task is not None:
            self._timer_task.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def _watch_timer(self) -> None:
        """At the deadline, the table gives each missing seat its fallback; everyone is told."""
        while True:
            await asyncio.sleep(self.tick)
            try:
                if self.table.timer.expired(self.now()):
                    fallen = self.table.expire(self.now())
                    if fallen:
                        self.say(f"time ran out for {', '.join(fallen)}")
                    self.push()
            except Exception as error:  # noqa: BLE001 - a full disk or a bot bug: say so; the clock stops, the table goes on
                self.say(f"the timer could not play the fallback: {error}")
                self.table.timer = type(self.table.timer)()

    # -- connections --------------------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        client = await self._join(ws)
        if client is None:
            return
        try:
            async for raw in ws:
                await self._receive(client, raw)
        except ConnectionClosed:
            pass
        finally:
            self._leave(client)

    async def _join(self, ws: ServerConnection) -> Client | None:
        try:
            raw = await asyncio.wait_for(ws.recv(), JOIN_WAIT)
        except (TimeoutError, ConnectionClosed):
            await ws.close(4000, "no join message")
            return None
        try:
            message = parse(raw)
            if message.get("type") != "join":
                raise BadMessage("the first message must be {\"type\": \"join\", \"code\": ...}")
        except BadMessage as error:
            await _send(ws, {"type": "error", "message": str(error)})
            await ws.close(4000, "join first")
            return None
        seat = self.codes.seat_of(message.get("code"))
        if seat is None:
            await asyncio.sleep(0.2)  # a guesser waits; a typo costs a person nothing
            await _send(ws, {"type": "error", "message": "wrong code: check it with the facilitator"})
            await ws.close(4001, "wrong code")
            return None
        client = Client(ws, seat)
        client.typed = message.get("typed") is True
        if client.role == ROLE_SPECTATOR:
            self.spectators.add(client)
        else:
            previous = self.seats.get(seat)
            self.seats[seat] = client
            if previous is not None:
                # The second connection takes over (a team that moved laptop); the first is told.
                await _send(previous.ws, {"type": "taken_over",
                                          "message": "this seat was joined from another connection"})
                await previous.ws.close(4002, "taken over")
            if seat == FACILITATOR and self._clock_waits_for_facilitator:
                self._clock_waits_for_facilitator = False
                self.table.facilitator_back(self.now())
        game = self.table.game
        await _send(ws, {
            "type": "welcome", "protocol": PROTOCOL, "seat": seat, "role": client.role,
            "scenario": {"id": game.scenario.id, "version": game.scenario.version, "hash": game.content_hash,
                         "title": game.scenario.title.get(self.language)},
            "seats": {s: self.table.name(s) for s in game.seats},
            "language": self.language,
        })
        self.say(f"{seat} joined")
        self.push()
        return client

    def _leave(self, client: Client) -> None:
        if client.role == ROLE_SPECTATOR:
            self.spectators.discard(client)
            return
        if self.seats.get(client.seat) is not client:
            return  # taken over: the new connection holds the seat
        del self.seats[client.seat]
        self.say(f"{client.seat} left")
        if client.seat == FACILITATOR and self.table.facilitator_left(self.now()):
            self._clock_waits_for_facilitator = True
        self.push()

    async def _receive(self, client: Client, raw: str | bytes) -> None:
        now = self.now()
        request = None
        try:
            if not client.allow(now):
                raise BadMessage("too many messages: slow down")
            message = parse(raw)
            request = message.get("id")
            if request is not None and (isinstance(request, bool) or not isinstance(request, int)
                                        or not 0 <= request < 2**53):
                request = None
                raise BadMessage("'id' must be a whole number from 0")
            kind = message.get("type")
            if kind == "ping":
                await _send(client.ws, {"type": "pong", "id": request})
                return
            if kind == "input":
                if client.role != ROLE_SEAT:
                    raise BadMessage(f"the {client.role} sends no inputs")
                value = message.get("input")
                if not isinstance(value, dict):
                    raise BadMessage("'input' must be an object: {\"kind\": ..., ...}")
                self.table.act(client.seat, value, now)
            elif kind == "facilitate":
                if client.role != ROLE_FACILITATOR:
                    raise BadMessage("only the facilitator may do that")
                facilitate(self.table, message, now)
            elif kind == "state":
                await self._send_state(client, force=True)
                return
            else:
                raise BadMessage(f"unknown message type {_short(kind)} (input, facilitate, state, ping)")
        except (BadMessage, MidnightError) as error:
            await _send(client.ws, {"type": "error", "id": request, "message": printable(str(error))})
            return
        except OSError as error:  # the record could not be written: the input is not accepted
            await _send(client.ws, {"type": "error", "id": request,
                                    "message": f"the server could not write the record ({error.strerror or error})"})
            return
        except Exception as error:  # noqa: BLE001 - a bug must not end the table: tell the sender, log it
            self.say(f"error handling a message from {client.seat}: {type(error).__name__}: {error}")
            await _send(client.ws, {"type": "error", "id": request,
                                    "message": f"the server could not handle that ({type(error).__name__}); "
                                               "the facilitator can see the details"})
            self.push()
            return
        # Written to the record (Table.act / the facilitator's actions persist first): everyone is
        # sent the new state, then the sender its ack (so an ack finds the sender's state current).
        self.push()
        await _send(client.ws, {"type": "ack", "id": request, "inputs": self.table.inputs_played()})

    # -- telling everyone ------------------------------------------------------------------------------
    def push(self) -> None:
        """Send every connection its own view of the table as it is now."""
        now = self.now()
        groups: dict[tuple[str, bool, int], list[Client]] = {}
        for client in (*self.seats.values(), *self.spectators):
            groups.setdefault((client.seat, client.typed, client.log_sent), []).append(client)
        for (seat, typed, log_from), clients in groups.items():
            # One message a group (spectators who joined together share theirs), sent without
            # waiting on slow readers; the log only from what the group already has.
            message = self.state_for(seat, now, typed, log_from)
            broadcast([c.ws for c in clients], json.dumps(message, separators=(",", ":")))
            for client in clients:
                client.log_sent = message["view"]["log_from"] + len(message["view"]["log"])

    async def _send_state(self, client: Client, force: bool = False) -> None:
        message = self.state_for(client.seat, self.now(), client.typed)
        client.log_sent = len(message["view"]["log"])
        await _send(client.ws, message)

    def state_for(self, seat: str, now: float, typed: bool = False, log_from: int = 0) -> dict:
        """What `seat` is sent: the engine's view and options for it (nobody else's), the table's
        status, the table log lines and bots' reasons it may read."""
        table, game = self.table, self.table.game
        view = table.view_for(seat)
        log_from = min(log_from, len(view.log))  # an undo shortens the log: the earlier entries stay alike
        options = None
        if seat != SPECTATOR:
            options = options_to_wire(game.options(table.state, seat), self.language)
        left = table.seconds_left(now)
        message = {
            "type": "state",
            "version": table.version,
            "view": view_to_wire(view, self.language, log_from),
            "options": options,
            "table": {
                "seats": {s: ("team" if who == HUMAN else who) for s, who in table.seats.items()},
                "connected": sorted(s for s in self.seats if s in game.seats),
                "facilitator_connected": FACILITATOR in self.seats,
                "spectators": len(self.spectators),
                "timer": {"running": table.timer.running,
                          "left": None if left is None else math.ceil(left * 10) / 10},
                "paused": table.paused,
                "ended": table.ended,
                "over": table.state.over,
                "inputs": table.inputs_played(),
            },
            "entries": [{"index": e.index, "turn": e.turn, "kind": e.kind, "text": e.text.get(self.language),
                         "to": list(e.audience)} for e in table.entries_for(seat)],
            "notes": [{"turn": n.turn, "seat": n.seat, "text": n.text} for n in table.notes_for(seat)],
        }
        if typed:
            # The same view and options as engine values (workshop.typed), for the terminal UI's screens;
            # in a crisis, the seat's previews, which the engine works out without anyone's real choice.
            real_options = game.options(table.state, seat) if seat != SPECTATOR else None
            crisis = table.state.crisis
            previews = (round_results(game, table.state, seat)
                        if crisis is not None and seat in crisis.participants and seat in game.seats else {})
            # The typed view's log, like the JSON view's, only from what this client already has
            # (a game's log grows to hundreds of entries: sent whole, it made every message ~100 KB).
            recent = attrs.evolve(view, log=view.log[log_from:])
            message["typed"] = {"view": encode(recent), "log_from": log_from, "options": encode(real_options),
                                "previews": encode(previews)}
        return message


# -- the facilitator's actions -------------------------------------------------------------------------

def facilitate(table: Table, message: dict, now: float) -> None:
    """Carry out one facilitator action; raises BadMessage or MidnightError saying what is wrong."""
    action = message.get("action")
    if action == "inject":
        table.inject(_text(message, "event"), _text(message, "reason", ""), now)
    elif action == "adjust":
        value = message.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadMessage("'value' must be a number")
        table.adjust(_text(message, "track"), value, _text(message, "reason", ""), now,
                     actor=_optional(message, "actor"), other=_optional(message, "other"))
    elif action == "undo":
        table.undo(_text(message, "reason", ""), now)
    elif action == "hand_over":
        table.hand_over(_text(message, "seat"), _text(message, "to"), now)
    elif action == "message":
        table.message(_text(message, "text"), _optional(message, "to"))
    elif action == "timer_start":
        seconds = message.get("seconds")
        table.start_timer(now, seconds if seconds is not None else None)
    elif action == "timer_pause":
        table.pause_timer(now)
    elif action == "timer_extend":
        table.extend_timer(message.get("seconds"), now)  # type: ignore[arg-type]  # checked there
    elif action == "pause":
        table.pause(now)
    elif action == "go_on":
        table.go_on(now)
    elif action == "end":
        table.end(_text(message, "reason", ""), now)
    elif action == "save":
        table.persist()
    else:
        raise BadMessage(f"unknown action {_short(action)} (inject, adjust, undo, hand_over, message, "
                         "timer_start, timer_pause, timer_extend, pause, go_on, end, save)")


def _text(message: dict, key: str, default: str | None = None) -> str:
    value = message.get(key, default)
    if value is None:
        raise BadMessage(f"missing '{key}'")
    if not isinstance(value, str) or len(value) > 2_000:
        raise BadMessage(f"'{key}' must be text of at most 2000 characters")
    return value


def _optional(message: dict, key: str) -> str | None:
    value = message.get(key)
    return None if value is None else _text(message, key)


# -- messages --------------------------------------------------------------------------------------------

def parse(raw: str | bytes) -> dict:
    """A client message: a JSON object of at most MAX_MESSAGE bytes, or BadMessage saying why not."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_MESSAGE:
            raise BadMessage(f"a message is at most {MAX_MESSAGE} bytes")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadMessage("a message must be UTF-8 JSON text") from None
    if len(raw) > MAX_MESSAGE or len(raw.encode("utf-8", "surrogatepass")) > MAX_MESSAGE:
        raise BadMessage(f"a message is at most {MAX_MESSAGE} bytes")
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise BadMessage(f"not JSON ({_short(str(error))})") from None
    if not isinstance(message, dict):
        raise BadMessage("a message must be a JSON object with a 'type'")
    return message


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


async def _send(ws: ServerConnection, message: dict) -> None:
    try:
        await ws.send(json.dumps(message, separators=(",", ":")))
    except ConnectionClosed:
        pass

