"""Bad input and faults on a real server on a loopback port: each gets a clear reply, and the
connection and the game go on."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from table_helpers import GUARD, join, run, running, table_for, trilateral_fixture, wire_choice  # noqa: F401 (the trilateral fixture)
from websockets.asyncio.client import connect

from engine import FACILITATOR, SPECTATOR, Game
from engine.play.records import digest, read_record, replay
from workshop.client import TableClient, TableError

ROOT = Path(__file__).resolve().parents[2]


def test_a_wrong_code_is_refused(trilateral, tmp_path):
    async def exchange():
        async with running(table_for(trilateral, tmp_path)) as (_server, address, codes):
            with pytest.raises(TableError, match="wrong code"):
                await TableClient.connect(address, "AAAA-BBBB-CCCC-DDDD", timeout=GUARD)
            with pytest.raises(TableError, match="wrong code"):
                await TableClient.connect(address, codes.by_seat["us"][:-1], timeout=GUARD)
            # Case, dashes and spaces do not matter.
            client = await TableClient.connect(address, codes.by_seat["us"].lower().replace("-", " "), timeout=GUARD)
            assert client.seat == "us"
            await client.close()

    run(exchange())


def test_a_seat_joined_twice_goes_to_the_second_and_the_first_is_told(trilateral, tmp_path):
    async def exchange():
        async with running(table_for(trilateral, tmp_path)) as (server, address, codes):
            first = await join(address, codes, "us")
            second = await join(address, codes, "us")
            await asyncio.wait_for(first._reader, GUARD)
            assert any(m["type"] == "taken_over" for m in first.received)
            assert not first.connected
            with pytest.raises(TableError, match="not connected"):
                await first.act({"kind": "propose", "offers": []})
            await second.act(wire_choice(second.options))  # type: ignore[arg-type]
            assert "us" in server.seats and second.connected
            await second.close()

    run(exchange())


def test_malformed_oversized_and_misaddressed_messages_get_errors_and_the_game_goes_on(trilateral, tmp_path):
    async def exchange():
        async with running(table_for(trilateral, tmp_path)) as (_server, address, codes):
            us = await join(address, codes, "us")
            spectator = await join(address, codes, SPECTATOR)
            for bad in ("{not json", "[1, 2]", json.dumps({"type": "launch"}), "x" * 70_000,
                        json.dumps({"type": "input", "input": "decide"}), "[" * 50_000 + "]" * 50_000,
                        json.dumps({"type": "input", "id": True, "input": {}})):
                count = len(us.received)
                await us.send_raw(bad)
                await us.wait_for(lambda _s, n=count: any(m["type"] == "error" for m in us.received[n:]), GUARD)
            errors = [m["message"] for m in us.received if m["type"] == "error"]
            assert any("not JSON" in e for e in errors) and any("at most" in e for e in errors)
            assert any("unknown message type" in e for e in errors)
            # An input for another seat, and the facilitator's action from a seat.
            with pytest.raises(TableError, match="plays us, not 'russia'|plays us, not russia"):
                await us.act({"seat": "russia", "kind": "propose", "offers": []})
            with pytest.raises(TableError, match="only the facilitator"):
                await us.facilitate("inject", event="putin_offer")
            with pytest.raises(TableError, match="sends no inputs"):
                await spectator.act({"kind": "propose", "offers": []})
            with pytest.raises(TableError, match="unknown kind"):
                await us.act({"kind": "launch"})
            # After all that, the same connection still plays.
            reply = await us.act(wire_choice(us.options))  # type: ignore[arg-type]
            assert reply["type"] == "ack"
            await us.close()
            await spectator.close()

    run(exchange())


def test_no_join_message_first_is_refused(trilateral, tmp_path):
    async def exchange():
        async with running(table_for(trilateral, tmp_path)) as (_server, address, _codes):
            async with connect(address) as ws:
                await ws.send(json.dumps({"type": "input", "input": {}}))
                reply = json.loads(await asyncio.wait_for(ws.recv(), GUARD))
                assert reply["type"] == "error" and "join" in reply["message"]

    run(exchange())


def test_an_input_after_the_deadline_is_refused(trilateral, tmp_path):
    async def exchange():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (server, address, codes):
            server.tick = 3600  # the timer task sleeps: the input itself meets the passed deadline
            us = await join(address, codes, "us")
            facilitator = await join(address, codes, FACILITATOR)
            await facilitator.facilitate("timer_start", seconds=0.05)
            await asyncio.sleep(0.2)
            with pytest.raises(TableError, match="deadline has passed"):
                await us.act({"kind": "propose", "offers": []})
            assert any(e.kind == "fallback" for e in table.entries)
            await us.close()
            await facilitator.close()

    run(exchange())


def test_a_client_that_disconnects_mid_phase_gets_its_submission_back(trilateral, tmp_path):
    async def exchange():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (server, address, codes):
            us = await join(address, codes, "us")
            choice = wire_choice(us.options)  # type: ignore[arg-type]
            await us.act(choice)
            await us.close()
            russia = await join(address, codes, "russia")
            await russia.wait_for(lambda s: "us" not in s["table"]["connected"], GUARD)
            again = await join(address, codes, "us")
            assert again.view["own_submission"] == {"seat": "us", **choice}
            assert not again.must_act and "us" in again.view["submitted"]
            await russia.act(wire_choice(russia.options))  # type: ignore[arg-type]
            await again.close()
            await russia.close()

    run(exchange())


def test_the_facilitator_disconnecting_stops_the_clock_until_they_return(trilateral, tmp_path):
    async def exchange():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (_server, address, codes):
            us = await join(address, codes, "us")
            facilitator = await join(address, codes, FACILITATOR)
            await facilitator.facilitate("timer_start", seconds=600)
            await us.wait_for(lambda s: s["table"]["timer"]["running"], GUARD)
            await facilitator.close()
            state = await us.wait_for(lambda s: not s["table"]["timer"]["running"], GUARD)
            assert not state["table"]["facilitator_connected"]
            assert any("clock waits" in e["text"] for e in state["entries"])
            back = await join(address, codes, FACILITATOR)
            await us.wait_for(lambda s: s["table"]["timer"]["running"], GUARD)
            await back.close()
            await us.close()

    run(exchange())


# -- a server killed with SIGKILL between two inputs, and resumed ------------------------------------

def start_server(*args: str) -> tuple[subprocess.Popen, str, dict[str, str]]:
    """`midnight serve` in its own process; its address and codes read from what it prints."""
    process = subprocess.Popen([sys.executable, "-m", "midnight", "serve", *args, "--port", "0"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    address, codes = "", {}
    assert process.stdout is not None
    for line in process.stdout:  # the announcement: a few lines, then the server waits
        words = line.split()
        if line.startswith("Address:"):
            address = words[1]
        for seat in ("us", "russia", "china"):
            if f"({seat})" in line:
                codes[seat] = words[words.index(f"({seat})") + 1]
        if line.strip().startswith(("Facilitator", "Spectators")):
            codes[words[0].lower().rstrip("s")] = words[1]
        if line.startswith("Stop with"):
            break
    assert address and len(codes) == 5, (address, codes)
    return process, address, codes


def test_sigkill_between_two_inputs_loses_no_acknowledged_input(trilateral, tmp_path):
    record = tmp_path / "killed.yaml"
    process, address, codes = start_server("trilateral-2026", "--seed", "5", "--record", str(record),
                                           "--seats", "us=team,russia=team,china=team")
    acknowledged = 0
    try:
        async def first_half():
            nonlocal acknowledged
            clients = {s: await TableClient.connect(address, codes[s], timeout=GUARD) for s in ("us", "russia", "china")}
            for _ in range(7):
                for client in clients.values():
                    if client.must_act:
                        reply = await client.act(wire_choice(client.options))  # type: ignore[arg-type]
                        acknowledged = reply["inputs"]
            for client in clients.values():
                await client.close()

        run(first_half())
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=GUARD)
        if process.stdout:
            process.stdout.close()
    assert acknowledged > 5
    saved = read_record(record)
    assert len(saved.inputs()) == acknowledged  # 0 acknowledged inputs lost

    process, address, codes_again = start_server("--resume", str(record), "--same-codes")
    try:
        assert codes_again == codes
        async def second_half():
            clients = {s: await TableClient.connect(address, codes[s], timeout=GUARD) for s in ("us", "russia", "china")}
            assert clients["us"].state["table"]["inputs"] == acknowledged  # type: ignore[index]
            for _ in range(3):
                for client in clients.values():
                    if client.must_act:
                        await client.act(wire_choice(client.options))  # type: ignore[arg-type]
            for client in clients.values():
                await client.close()

        run(second_half())
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=GUARD)
        if process.stdout:
            process.stdout.close()
    final = read_record(record)
    assert final.inputs()[:acknowledged] == saved.inputs()
    local = replay(Game.load("trilateral-2026"), final)
    assert local.divergence is None
    # The same digests as a local replay, turn by turn.
    game = Game.load("trilateral-2026")
    for turn, state in zip([t for t in final.turns if t.after is not None], local.states[1:], strict=False):
        assert turn.after.digest == digest(game, state)  # type: ignore[union-attr]


def test_a_flood_from_one_client_is_refused_and_does_not_stall_the_others(trilateral, tmp_path):
    async def exchange():
        async with running(table_for(trilateral, tmp_path)) as (_server, address, codes):
            flooder = await join(address, codes, "us")
            russia = await join(address, codes, "russia")
            for _ in range(400):
                await flooder.send_raw(json.dumps({"type": "ping"}))
            reply = await russia.act(wire_choice(russia.options))  # type: ignore[arg-type]
            assert reply["type"] == "ack"
            await flooder.wait_for(lambda _s: any(m.get("message") == "too many messages: slow down"
                                                  for m in flooder.received), GUARD)
            assert flooder.connected  # refused, not thrown out
            await flooder.close()
            await russia.close()

    run(exchange())
