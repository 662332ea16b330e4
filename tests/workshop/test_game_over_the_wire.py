"""A whole game of trilateral-2026 over the wire: three seat clients and a facilitator on a real
server on a loopback port, with a timer expiry, an inject, an adjust and an undo; the record it
leaves verifies. And secrecy: every message each connection receives is what Game.view gives it."""

from __future__ import annotations

import asyncio

import attrs
from table_helpers import GUARD, join, run, running, table_for, trilateral_fixture, wire_choice  # noqa: F401 (the trilateral fixture)

from engine import FACILITATOR, SPECTATOR
from engine.play.wire import options_to_wire, view_to_wire
from midnight.cli import main
from workshop.client import TableClient
from workshop.typed import decode

from helpers import rules_game


async def play_round(clients: dict[str, TableClient], skip: tuple[str, ...] = ()) -> int:
    """Every seat that must act now submits once (those in `skip` do not). Returns inputs sent."""
    sent = 0
    for seat, client in clients.items():
        if seat not in skip and client.must_act:
            await client.act(wire_choice(client.options))  # type: ignore[arg-type]
            sent += 1
    return sent


def spy_on_states(server) -> list[tuple[str, int, dict, dict | None]]:
    """What the server sends each seat, with Game.view's and Game.options' own answers for the
    state of that moment (computed here, from the engine, not from the server's message)."""
    expected: list = []
    original = server.state_for
    table = server.table

    def state_for(seat, now, typed=False, log_from=0):
        message = original(seat, now, typed, log_from)
        options = None if seat == SPECTATOR else options_to_wire(table.game.options(table.state, seat))
        view = table.game.view(table.state, seat)
        expected.append((seat, message["version"], view_to_wire(view), options))
        if typed:  # the engine's own values, for the terminal UI: equal to Game.view's and Game.options'
            # The log from what the client has (log_from), as the JSON view's; the rest alike.
            log_from = message["typed"]["log_from"]
            assert log_from == message["view"]["log_from"]
            assert decode(message["typed"]["view"]) == attrs.evolve(view, log=view.log[log_from:])
            assert decode(message["typed"]["options"]) == (None if seat == SPECTATOR else table.game.options(table.state, seat))
        return message

    server.state_for = state_for
    return expected


def test_a_whole_game_with_timer_inject_adjust_and_undo(trilateral, tmp_path):
    async def game():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (server, address, codes):
            expected = spy_on_states(server)
            seats = {s: await join(address, codes, s) for s in trilateral.seats}
            facilitator = await join(address, codes, FACILITATOR)
            spectator = await join(address, codes, SPECTATOR)
            assert facilitator.options["kinds"] == ["inject", "adjust", "end"]  # type: ignore[index]

            # Turn 1: the facilitator injects an event and adjusts a track, with reasons.
            await facilitator.facilitate("inject", event="putin_offer", reason="the room asked for it")
            track = next(t for t in facilitator.options["tracks"].values() if t["actor"] == "russia")  # type: ignore[index]
            await facilitator.facilitate("adjust", track=track["track"], actor="russia", value=track["min"],
                                         reason="control adjudicates the exercise")
            # A timer expiry: China does not answer in time; its bot plays for it, logged as such.
            await facilitator.facilitate("timer_start", seconds=0.3)
            await play_round(seats, skip=("china",))
            await seats["china"].wait_for(lambda s: any(e["kind"] == "fallback" for e in s["entries"]), GUARD)
            while table.state.turn == 1:
                await play_round(seats)
                await asyncio.sleep(0)
            # Turn 2 is under way: undo takes the game back to the start of turn 1's talks ... no:
            # the current turn has no team input yet, so the last resolution (turn 1's) is undone.
            turn_two = table.state.turn
            await facilitator.facilitate("undo", reason="Russia misread its brief")
            state = await seats["us"].wait_for(lambda s: s["view"]["turn"] == turn_two - 1, GUARD)
            assert any("misread its brief" in e["text"] for e in state["entries"])
            while not table.state.over:
                if not await play_round(seats):
                    await seats["us"].next_state(GUARD)
            final = await spectator.wait_for(lambda s: s["view"]["outcome"] is not None, GUARD)
            for client in (*seats.values(), facilitator, spectator):
                await client.close()
            return expected, final, {s: c.received for s, c in seats.items()}, spectator.received

    expected, final, received, spectated = run(game())
    assert final["view"]["turn"] == 20
    assert main(["replay", str(tmp_path / "table.yaml"), "--verify"]) == 0
    assert expected  # the spy saw every state sent


def test_every_message_carries_only_what_game_view_gives_its_seat(trilateral, tmp_path):
    """Record every message each connection receives: each view and options must equal Game.view
    and Game.options for that seat at that moment; none carries another seat's submission or
    owner-only track."""
    async def game():
        table = table_for(trilateral, tmp_path, seats={"us": "team", "russia": "team", "china": "bot"})
        async with running(table) as (server, address, codes):
            expected = spy_on_states(server)
            clients = {s: await join(address, codes, s) for s in ("us", "russia", SPECTATOR)}
            # The UI's connection: the typed forms too (checked against the engine in the spy).
            typed = await TableClient.connect(address, codes.by_seat["us"], typed=True)
            clients["us"] = typed
            seats = {s: clients[s] for s in ("us", "russia")}
            for _ in range(3):  # three turns, with pending decisions while the other team thinks
                start = table.state.turn
                while table.state.turn == start and not table.state.over:
                    await play_round(seats, skip=("russia",))
                    await asyncio.sleep(0.05)
                    await play_round(seats)
            for client in clients.values():
                await client.close()
            return expected, {s: c.received for s, c in clients.items()}

    expected, received = run(game())
    sent = {}
    for seat, version, view, options in expected:
        sent.setdefault(seat, []).append((version, view, options))
    owner_tracks = {name for name, t in view_to_wire(trilateral.view(trilateral.start(11), FACILITATOR))["tracks"].items()
                    if t["track"] in ("budget", "income")}
    for seat, messages in received.items():
        states = [m for m in messages if m["type"] == "state"]
        assert states, seat
        # After the first, states carry only the log's new entries; the client put the rest back.
        assert any(m["view"]["log"] and len(m["view"]["log"]) > 5 for m in states)
        truths = [(view, options) for _, view, options in sent[seat]]
        for message in states:
            assert (message["view"], message["options"]) in truths  # exactly what the engine gives this seat
            assert message["view"]["seat"] == seat
            own = message["view"]["own_submission"]
            assert own is None or own["seat"] == seat
            mine = {name for name in message["view"]["tracks"] if name in owner_tracks}
            assert all(name.endswith(f".{seat}") for name in mine), mine  # its own budget only
            if seat == SPECTATOR:
                assert message["options"] is None and not mine
            for other in ("us", "russia", "china"):
                if other != seat:
                    assert f'"seat": "{other}", "kind": "decide"' not in str(message)


def test_hidden_risk_never_goes_over_the_wire():
    game = rules_game({"risk:\n  factors:": "risk:\n  visible: false\n  factors:"})
    import tempfile
    from pathlib import Path

    async def exchange(folder: Path):
        seats = {s: "team" for s in game.seats}
        table = table_for(game, folder, seats=seats)
        async with running(table) as (_server, address, codes):
            clients = {s: await join(address, codes, s) for s in (*game.seats, SPECTATOR, FACILITATOR)}
            players = {s: clients[s] for s in game.seats}
            for _ in range(6):
                await play_round(players)
                await asyncio.sleep(0.02)
            for client in clients.values():
                await client.close()
            return {s: c.received for s, c in clients.items()}

    with tempfile.TemporaryDirectory() as folder:
        received = run(exchange(Path(folder)))
    for seat, messages in received.items():
        for message in messages:
            if message["type"] == "state":
                if seat == FACILITATOR:
                    assert message["view"]["risk"] is not None
                else:
                    assert message["view"]["risk"] is None, seat
