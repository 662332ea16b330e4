"""The join screen and the facilitator console in Chinese (`midnight join --lang zh`) show no
English word: read off the screen as drawn (the SVG screenshot's text, as
tests/tui/test_chinese_screens.py reads the game's screens), against a real table server on a
loopback port that speaks Chinese too."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator

from table_helpers import run, table_for, trilateral_fixture  # noqa: F401 (the trilateral fixture)

from engine import FACILITATOR, SPECTATOR
from engine.play.table import Table
from tui.screens.facilitator import FacilitatorScreen, FormDialog
from tui.screens.join import JoinApp, JoinScreen
from tui.screens.spectator import SpectatorScreen
from workshop.codes import Codes
from workshop.server import TableServer

from helpers import drawn_lines
from test_screens import SIZE, shown, until

ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# Latin letters a Chinese screen may show: key names, and the address's protocol (ws://…)
ALLOWED = {"Esc", "esc", "Enter", "Ctrl", "ctrl", "Tab", "ws"}


def english_on_screen(app, where: str, found: dict[str, str]) -> None:
    for line in drawn_lines(app):
        for word in ENGLISH_WORD.findall(line):
            if word not in ALLOWED:
                found.setdefault(word, f"{where}: {line.strip()}")


@contextlib.asynccontextmanager
async def running_in_its_language(table: Table) -> AsyncIterator[tuple[str, Codes]]:
    codes = Codes.new(table.game.seats)
    server = TableServer(table, codes, language=table.language)
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield f"ws://{host}:{port}", codes
    finally:
        await server.close()


def test_the_join_screen_in_chinese_shows_no_english(trilateral, tmp_path):
    async def scenario():
        found: dict[str, str] = {}
        app = JoinApp(language="zh")
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, JoinScreen))
            await pilot.pause()
            english_on_screen(app, "join", found)
            assert "加入联网推演" in shown(app) and "加入码" in shown(app)
            await pilot.click("#join-button")  # nothing typed: the form says what is missing, in Chinese
            await until(pilot, lambda: "请同时输入地址和加入码" in shown(app))
            english_on_screen(app, "join, nothing typed", found)
            footer = [entry.binding.description for entry in app.screen.active_bindings.values()]
            assert "返回" in footer and "Back" not in footer
        assert not found, "\n".join(f"{word!r} in {where}" for word, where in sorted(found.items()))

    run(scenario())


def test_the_facilitator_console_in_chinese_shows_no_english(trilateral, tmp_path):
    """The console and each of its forms, joined with the facilitator's code at a Chinese table,
    then the projector joined with the spectators' code."""
    async def scenario():
        found: dict[str, str] = {}
        table = table_for(trilateral, tmp_path, language="zh")
        async with running_in_its_language(table) as (address, codes):
            table.act("russia", {"kind": "propose", "offers": []}, 0)
            app = JoinApp(address, codes.by_seat[FACILITATOR], language="zh")
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
                await until(pilot, lambda: "✓ 已提交" in shown(app))
                text = shown(app)
                assert "俄罗斯" in text and "… 等待中" in text and "预算（中国）" in text  # every track, by its label
                assert "导调员" in text and "第 1/20 回合" in text and "谈判：提案" in text
                english_on_screen(app, "console", found)
                for key in ("t", "x", "i", "a", "u", "h", "m", "ctrl+e"):
                    await pilot.press(key)
                    await until(pilot, lambda: isinstance(app.screen, FormDialog))
                    await pilot.pause()
                    english_on_screen(app, f"console, the form of {key}", found)
                    await pilot.press("escape")
                    await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen))
            app = JoinApp(address, codes.by_seat[SPECTATOR], language="zh")
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, SpectatorScreen) and "风险" in shown(app))
                assert "谈判：提案" in shown(app)
                english_on_screen(app, "projector", found)
        assert not found, "\n".join(f"{word!r} in {where}" for word, where in sorted(found.items()))

    run(scenario())


def test_joining_a_chinese_table_without_a_language_opens_the_console_in_chinese(trilateral, tmp_path):
    """`midnight join` without --lang follows the table's language (`serve --lang zh`)."""
    async def scenario():
        table = table_for(trilateral, tmp_path, language="zh")
        async with running_in_its_language(table) as (address, codes):
            app = JoinApp(address, codes.by_seat[FACILITATOR], language=None)
            async with app.run_test(size=SIZE) as pilot:
                await until(pilot, lambda: isinstance(app.screen, FacilitatorScreen) and "导调员" in shown(app))
                assert app.ui_language == "zh" and "Facilitator" not in shown(app)

    run(scenario())


def test_the_scan_reads_the_console():
    """The same reading finds the English of an English console (the scan is not blind)."""
    async def scenario():
        found: dict[str, str] = {}
        app = JoinApp(language="en")
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, JoinScreen))
            await pilot.pause()
            english_on_screen(app, "join", found)
        assert {"Join", "Address", "code"} <= set(found)

    run(scenario())
