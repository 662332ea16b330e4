"""Helpers for tests on a real table server on a free loopback port. (Not a conftest.py: the UI
tests import their own conftest by name, which a second one here would shadow.)"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from engine import Game
from engine.play.table import Table
from workshop.client import TableClient
from workshop.codes import Codes
from workshop.server import TableServer

GUARD = 60.0  # seconds: a hang guard for whole exchanges, never a performance limit


@functools.cache
def trilateral_game() -> Game:
    return Game.load("trilateral-2026")


@pytest.fixture(scope="module", name="trilateral")
def trilateral_fixture() -> Game:
    """The `trilateral` fixture: trilateral-2026 (a test module imports trilateral_fixture to use it)."""
    return trilateral_game()


@contextlib.asynccontextmanager
async def running(table: Table) -> AsyncIterator[tuple[TableServer, str, Codes]]:
    """A server for `table` on 127.0.0.1, on a port the system picks; closed afterwards."""
    codes = Codes.new(table.game.seats)
    server = TableServer(table, codes)
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield server, f"ws://{host}:{port}", codes
    finally:
        await server.close()


async def join(address: str, codes: Codes, seat: str) -> TableClient:
    return await TableClient.connect(address, codes.by_seat[seat], timeout=GUARD)


def wire_choice(options: dict) -> dict:
    """What a simple program at a seat submits, from the wire options alone: no proposals, no
    answers, the first affordable available moves, and holding in a crisis."""
    kind = options["kind"]
    if kind == "propose":
        return {"kind": "propose", "offers": []}
    if kind == "respond":
        return {"kind": "respond", "replies": []}
    if kind == "decide":
        budget = options.get("budget")
        chosen, spent = [], 0.0
        for move in options["moves"]:
            if move["available"] and len(chosen) < (options.get("max_moves") or 1):
                if budget is None or spent + (move["cost"] or 0) <= budget:
                    chosen.append(move["id"])
                    spent += move["cost"] or 0
                    break
        return {"kind": "decide", "moves": chosen}
    return {"kind": "crisis", "choice": "back_down"}


def table_for(game: Game, tmp_path: Path, seats=None, **options) -> Table:
    seats = seats or {"us": "team", "russia": "team", "china": "team"}
    return Table(game, 11, seats, record_path=tmp_path / "table.yaml", **options)


def run(coroutine, guard: float = 300.0):
    """Run a test's exchange under a hang guard."""
    async def guarded():
        async with asyncio.timeout(guard):
            return await coroutine
    return asyncio.run(guarded())
