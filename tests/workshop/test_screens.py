"""Pilot tests of the join screen, the facilitator console and the projector screen, each against a
real table server on a loopback port (the server and the app share one event loop)."""

from __future__ import annotations

import asyncio

from table_helpers import run, running, table_for, trilateral_fixture  # noqa: F401 (the trilateral fixture)

from engine import FACILITATOR, SPECTATOR
from tui.screens.facilitator import FacilitatorScreen, FormDialog
from tui.screens.join import JoinApp, JoinScreen
from tui.screens.spectator import SpectatorScreen

SIZE = (130, 40)


def shown(app) -> str:
    from textual.widgets import DataTable, Digits, Label, Static

    parts = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Digits):
            parts.append(widget.value)
        elif isinstance(widget, Static | Label):
            parts.append(str(widget.visual))
        elif isinstance(widget, DataTable):
            parts.extend(" ".join(str(c) for c in widget.get_row_at(r)) for r in range(widget.row_count))
    return "\n".join(parts)


async def until(pilot, condition, guard: float = 30.0) -> None:
    """Let the app run until `condition()` holds (a hang guard, not a time limit on the test)."""
    async with asyncio.timeout(guard):
        while not condition():
            await pilot.pause(0.05)


def test_join_form_then_play_a_seat_through_the_server(trilateral, tmp_path):
    async def scenario():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (_server, address, codes):
            app = JoinApp()
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, JoinScreen))
                # A wrong code: the form comes back saying so.
                app.screen.query_one("#address").value = address  # type: ignore[attr-defined]
                app.screen.query_one("#code").focus()
                await pilot.press(*"WRONG", "enter")
                await until(pilot, lambda: isinstance(app.screen, JoinScreen) and "wrong code" in shown(app))
                code = app.screen.query_one("#code")
                code.value = codes.by_seat["us"]  # type: ignore[attr-defined]
                code.focus()
                await pilot.press("enter")
                await until(pilot, lambda: app.game_screen is not None and app.screen is app.game_screen)
                await until(pilot, lambda: "United States" in shown(app))
                assert "Phase time" in shown(app)  # the table's status line: the countdown and who it waits for
                await pilot.press("d")  # submit the talks pane as it is: no proposals this turn
                await until(pilot, lambda: "us" in table.state.submissions or table.state.phase.value != "propose")
            assert table.inputs_played() >= 1

    run(scenario())


def test_facilitator_console_shows_who_submitted_and_acts(trilateral, tmp_path):
    async def scenario():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (_server, address, codes):
            table.act("russia", {"kind": "propose", "offers": []}, 0)
            app = JoinApp(address, codes.by_seat[FACILITATOR])
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
                await until(pilot, lambda: "✓ submitted" in shown(app))
                text = shown(app)
                assert "Russia (russia)" in text and "… waiting" in text
                assert "budget.china" in text  # the facilitator sees every track
                # A message to every seat, through the form.
                await pilot.press("m")
                await until(pilot, lambda: isinstance(app.screen, FormDialog))
                app.screen.query_one("#text").value = "Ten minutes left"  # type: ignore[attr-defined]
                await pilot.click("#ok")
                await until(pilot, lambda: any(e.kind == "message" for e in table.entries))
                # Inject the first event, with a reason.
                await pilot.press("i")
                await until(pilot, lambda: isinstance(app.screen, FormDialog))
                app.screen.query_one("#reason").value = "the exercise needs a shock"  # type: ignore[attr-defined]
                await pilot.click("#ok")
                await until(pilot, lambda: any(e.kind == "inject" for e in table.entries))
                # Pause the game: the seats are told.
                await pilot.press("p")
                await until(pilot, lambda: table.paused)
                await until(pilot, lambda: "PAUSED" in shown(app))

    run(scenario())


def test_projector_shows_the_public_table_only(trilateral, tmp_path):
    async def scenario():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (_server, address, codes):
            app = JoinApp(address, codes.by_seat[SPECTATOR])
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, SpectatorScreen))
                await until(pilot, lambda: "Risk" in shown(app))
                text = shown(app)
                assert "Turn 1 of 20" in text and "Seconds to midnight" in text
                assert "85" in text  # the clock, large
                assert "budget" not in text  # no seat's own tracks on the projector
                table.start_timer(asyncio.get_running_loop().time(), 300)
                table.version += 1
                _server.push()
                await until(pilot, lambda: "4:5" in shown(app) or "5:00" in shown(app))
                for seat in trilateral.seats:  # the bots play the game out: the risk's parts are named
                    table.hand_over(seat, "bot", 0)
                _server.push()
                await until(pilot, lambda: "GAME OVER" in shown(app))
                text = shown(app)
                assert "made of" in text and "Tension between the three" in text  # the scenario's own names
                assert "budget" not in text

    run(scenario())


def test_the_projector_and_console_in_chinese(trilateral, tmp_path):
    """Joined with --lang zh: the projector's labels and the console's footer keys are in Chinese."""
    async def scenario():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (_server, address, codes):
            app = JoinApp(address, codes.by_seat[SPECTATOR], language="zh")
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, SpectatorScreen))
                await until(pilot, lambda: "距午夜秒数" in shown(app))
                assert "Seconds to midnight" not in shown(app) and "第 1/20 回合" in shown(app)
            app = JoinApp(address, codes.by_seat[FACILITATOR], language="zh")
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
                footer = [entry.binding.description for entry in app.screen.active_bindings.values()]
                assert "开始计时" in footer and "Start clock" not in footer

    run(scenario())


def test_a_remote_seat_plays_a_turn_on_the_local_game_screens(trilateral, tmp_path):
    """The same game, resolution and crisis screens as local play, driven by the server: a turn is
    played by keys and its resolution shown."""
    from tui.screens.crisis import CrisisScreen
    from tui.screens.resolution import ResolutionScreen

    async def scenario():
        table = table_for(trilateral, tmp_path, seats={"us": "team", "russia": "bot", "china": "bot"})
        async with running(table) as (_server, address, codes):
            app = JoinApp(address, codes.by_seat["us"])
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: app.game_screen is not None and app.screen is app.game_screen)
                async with asyncio.timeout(60):
                    while table.state.turn == 1:
                        if isinstance(app.screen, CrisisScreen):
                            await pilot.press("1")
                        elif app.screen is app.game_screen and table.next_human() == "us":
                            await pilot.press("d")  # as the panes stand: no proposal, no answer, no move
                        await pilot.pause(0.1)
                await until(pilot, lambda: isinstance(app.screen, ResolutionScreen))
                assert "Turn 1" in shown(app) or "turn 1" in shown(app).lower()
                await pilot.press("enter")
                await until(pilot, lambda: app.screen is app.game_screen and "Turn 2" in shown(app))

    run(scenario())


def test_the_start_screen_offers_to_join_a_table():
    from textual.widgets import Button

    from tui.app import MidnightApp

    async def scenario():
        app = MidnightApp(start={"seed": 1})
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: bool(app.screen.query("#join-button")))
            assert "Join a table" in str(app.screen.query_one("#join-button", Button).label)
            app.screen.query_one("#join-button", Button).press()
            await until(pilot, lambda: app.join_requested)
        assert app.return_code == 0

    run(scenario())


def test_a_dropped_connection_joins_again_by_itself(trilateral, tmp_path):
    async def scenario():
        table = table_for(trilateral, tmp_path)
        async with running(table) as (server, address, codes):
            app = JoinApp(address, codes.by_seat["us"])
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: app.game_screen is not None and app.screen is app.game_screen)
                first = server.seats["us"]
                await first.ws.close()  # the room's Wi-Fi drops this laptop
                await until(pilot, lambda: "us" in server.seats and server.seats["us"] is not first)
                await until(pilot, lambda: app.status is not None and app.status.connection == "connected")
                await pilot.press("d")  # and the seat plays on
                await until(pilot, lambda: "us" in table.state.submissions or table.state.phase.value != "propose")

    run(scenario())
