"""`midnight serve` and `midnight join`: one-line refusals, and join --check against a real server."""

from __future__ import annotations

import asyncio
import threading

import pytest
from table_helpers import running, table_for, trilateral_fixture  # noqa: F401 (the trilateral fixture)

from midnight.cli import main


@pytest.mark.parametrize("argv, says", [
    (["serve"], "name a scenario"),
    (["serve", "no-such-scenario"], "no-such-scenario"),
    (["serve", "trilateral-2026", "--same-codes"], "--same-codes goes with --resume"),
    (["serve", "trilateral-2026", "--phase-seconds", "soon"], "not a number of seconds"),
    (["serve", "trilateral-2026", "--phase-seconds", "lunch=60"], "no phase 'lunch'"),
    (["serve", "trilateral-2026", "--seats", "us=robot"], "no player 'robot'"),
    (["serve", "trilateral-2026", "--seats", "mars=team"], "no seat 'mars'"),
    (["serve", "trilateral-2026", "--port", "70000"], "--port"),
    (["serve", "--resume", "/nonexistent/record.yaml"], "record.yaml"),
    (["join", "--code", "AAAA"], "give the table's address with --code"),
    (["join", "ws://127.0.0.1:9", "--code", "AAAA", "--check"], "cannot reach a table"),
])
def test_refusals_are_one_line(argv, says, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MIDNIGHT_HOME", str(tmp_path))
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert says in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_join_check_against_a_real_server(trilateral, tmp_path, capsys):
    ready = threading.Event()
    stop: dict = {}

    async def serve():
        async with running(table_for(trilateral, tmp_path)) as (_server, address, codes):
            stop.update(address=address, codes=codes, event=asyncio.Event(), loop=asyncio.get_running_loop())
            ready.set()
            await asyncio.wait_for(stop["event"].wait(), 120)

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    assert ready.wait(60)
    try:
        assert main(["join", stop["address"], "--code", stop["codes"].by_seat["russia"], "--check"]) == 0
        assert "joined as russia (seat): turn 1 of 20" in capsys.readouterr().out
        assert main(["join", stop["address"], "--code", "AAAA-BBBB-CCCC-DDDD", "--check"]) == 1
        assert "wrong code" in capsys.readouterr().err
    finally:
        stop["loop"].call_soon_threadsafe(stop["event"].set)
        thread.join(60)
