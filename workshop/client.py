"""A client of the table server, for a program (an agent, a test, the benchmark) or the terminal UI.

    client = await TableClient.connect("ws://127.0.0.1:8765", "KQ7M-3XHD-…")
    client.seat, client.state["view"], client.state["options"]
    await client.act({"kind": "decide", "moves": ["hotline"]})   # -> the ack, or TableError
    await client.facilitate("inject", event="putin_offer", reason="…")   # the facilitator's code only
    state = await client.next_state()                            # wait for the table to change
    await client.close()

Every message received is kept in `received` (in order) so a test can check what a seat was sent.
Every wait has a timeout (TableError when it runs out): nothing here hangs.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidURI, WebSocketException

TIMEOUT = 30.0


class TableError(Exception):
    """The server refused something (its message says why), or the connection failed."""


def address_of(text: str) -> str:
    """`host:port`, `ws://host:port` or `wss://…` as a WebSocket URI."""
    text = text.strip()
    if not text.startswith(("ws://", "wss://")):
        text = "ws://" + text
    return text


class TableClient:
    def __init__(self, ws: ClientConnection, welcome: dict) -> None:
        self.ws = ws
        self.welcome = welcome
        self.seat: str = welcome["seat"]
        self.role: str = welcome["role"]
        self.state: dict | None = None
        self.received: list[dict] = [welcome]
        self.arrivals: list[float] = [time.monotonic()]  # when each received message arrived
        self.closed_reason: str | None = None
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}
        self._changed = asyncio.Condition()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def connect(cls, address: str, code: str, timeout: float = TIMEOUT, *, typed: bool = False) -> TableClient:
        """Join a table; raises TableError (a wrong code, no server there) with a one-line reason.
        `typed`: also receive the engine's own view and options (workshop.typed), as the UI uses."""
        uri = address_of(address)
        try:
            ws = await asyncio.wait_for(connect(uri, max_size=16 * 1024 * 1024, open_timeout=timeout), timeout)
        except (OSError, TimeoutError, InvalidURI, WebSocketException) as error:
            raise TableError(f"cannot reach a table at {uri}: {error or type(error).__name__}") from None
        try:
            await ws.send(json.dumps({"type": "join", "code": code, "typed": typed}))
            welcome = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        except (ConnectionClosed, TimeoutError, ValueError) as error:
            await ws.close()
            raise TableError(f"the table did not answer the join ({type(error).__name__})") from None
        if welcome.get("type") != "welcome":
            await ws.close()
            raise TableError(welcome.get("message") or "the table refused the join")
        client = cls(ws, welcome)
        await client.next_state(timeout)
        return client

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                if not isinstance(message, dict):
                    continue
                self.received.append(message)
                self.arrivals.append(time.monotonic())
                kind = message.get("type")
                if kind == "state":
                    self._whole_log(message)
                    self.state = message
                elif kind in ("ack", "error", "pong") and message.get("id") in self._waiting:
                    future = self._waiting.pop(message["id"])
                    if not future.done():
                        future.set_result(message)
                elif kind == "taken_over":
                    self.closed_reason = message.get("message", "taken over")
                async with self._changed:
                    self._changed.notify_all()
        except ConnectionClosed as closed:
            self.closed_reason = self.closed_reason or (closed.rcvd.reason if closed.rcvd else "connection lost")
        finally:
            self.closed_reason = self.closed_reason or "connection closed"
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(TableError(f"the connection closed: {self.closed_reason}"))
            self._waiting.clear()
            async with self._changed:
                self._changed.notify_all()

    def _whole_log(self, message: dict) -> None:
        """A state sends the view's log from `log_from` on: put the earlier entries back (from the
        last state), so `view["log"]` is always the whole log and `log_from` 0."""
        view = message.get("view")
        if not isinstance(view, dict):
            return
        start = view.get("log_from") or 0
        if start and self.state is not None:
            view["log"] = self.state["view"]["log"][:start] + list(view.get("log") or [])
        view["log_from"] = 0

    @property
    def connected(self) -> bool:
        return not self._reader.done()

    async def request(self, message: dict, timeout: float = TIMEOUT) -> dict:
        """Send a message with a fresh id; the server's ack (or TableError with its reason)."""
        if not self.connected:
            raise TableError(f"not connected: {self.closed_reason}")
        request = next(self._ids)
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiting[request] = future
        try:
            await self.ws.send(json.dumps({**message, "id": request}))
            reply = await asyncio.wait_for(future, timeout)
        except ConnectionClosed:
            raise TableError(f"the connection closed: {self.closed_reason or 'lost'}") from None
        except TimeoutError:
            raise TableError(f"no answer from the table within {timeout:g} s") from None
        finally:
            self._waiting.pop(request, None)
        if reply.get("type") == "error":
            raise TableError(reply.get("message", "refused"))
        return reply

    async def act(self, value: dict, timeout: float = TIMEOUT) -> dict:
        """Submit this seat's input for the current phase."""
        return await self.request({"type": "input", "input": value}, timeout)

    async def facilitate(self, action: str, timeout: float = TIMEOUT, **params: Any) -> dict:
        return await self.request({"type": "facilitate", "action": action, **params}, timeout)

    async def send_raw(self, text: str | bytes) -> None:
        """Send anything (tests of bad input use this)."""
        await self.ws.send(text)

    async def next_state(self, timeout: float = TIMEOUT, after: int | None = None) -> dict:
        """Wait until a state newer than the one held (or than `after`, a count of messages
        received) arrives; returns it."""
        start = len(self.received) if after is None else after
        if after is None and self.state is None:
            start = 0

        def arrived() -> bool:
            return any(m.get("type") == "state" for m in self.received[start:]) or not self.connected

        try:
            async with asyncio.timeout(timeout):
                async with self._changed:
                    await self._changed.wait_for(arrived)
        except TimeoutError:
            raise TableError(f"no news from the table within {timeout:g} s") from None
        if self.state is None:
            raise TableError(f"the connection closed: {self.closed_reason}")
        return self.state

    async def wait_for(self, predicate, timeout: float = TIMEOUT) -> dict:
        """Wait until the latest state satisfies `predicate(state)`; returns it."""
        try:
            async with asyncio.timeout(timeout):
                async with self._changed:
                    await self._changed.wait_for(
                        lambda: (self.state is not None and predicate(self.state)) or not self.connected)
        except TimeoutError:
            raise TableError(f"the table did not reach the awaited state within {timeout:g} s") from None
        if self.state is None or not predicate(self.state):
            raise TableError(f"the connection closed: {self.closed_reason}")
        return self.state

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._reader, 5)

    # -- reading the state -------------------------------------------------------------------------
    @property
    def view(self) -> dict:
        assert self.state is not None, "connect waits for the first state"
        return self.state["view"]

    @property
    def options(self) -> dict | None:
        assert self.state is not None, "connect waits for the first state"
        return self.state["options"]

    @property
    def must_act(self) -> bool:
        options = self.options
        return bool(options and options.get("must_act")) and not self.state["table"]["paused"]  # type: ignore[index]
