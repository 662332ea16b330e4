"""The Chinese UI says everything in Chinese: a whole game of the tutorial in Chinese, every screen
a player meets (start, the game's three tabs in each phase, the drafting dialog, a move in full, the
brief, the help, the resolution, the crisis, the end) read off the screen as drawn, with no English
word left but key names and commands."""

from __future__ import annotations

import re

import pytest
from conftest import make_app

from engine import Phase
from tui.screens.crisis import CrisisScreen
from tui.screens.end import EndScreen
from tui.screens.game import GameScreen
from tui.screens.handoff import HandoffScreen
from tui.screens.resolution import ResolutionScreen

from helpers import drawn_lines

ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
# Words a Chinese screen may show in Latin letters: key names (the footer and hints), the commands
# the tutorial's last hint names, scenario ids (names of files) and English named in itself.
ALLOWED = {"Esc", "Enter", "Ctrl", "Space", "Tab", "Home", "End", "home", "end", "uv", "run", "midnight", "play",
           "trilateral", "tutorial", "system-by-system", "English"}
# A move in full ends with its effects as the scenario writes them (规则原文): formulas in the
# scenario language, code rather than words, read only up to there.
RULE_TEXT = "规则原文"


def english_on_screen(app, where: str, found: dict[str, str]) -> None:
    """Add each English word the screen shows to `found` (word -> where, and the line it is on)."""
    for line in drawn_lines(app):
        if RULE_TEXT in line:
            break
        for word in ENGLISH_WORD.findall(line):
            if word not in ALLOWED:
                found.setdefault(word, f"{where}: {line.strip()}")


async def look(pilot, where: str, found: dict[str, str]) -> None:
    await pilot.pause()
    english_on_screen(pilot.app, where, found)


async def look_at_dialog(pilot, key: str, where: str, found: dict[str, str]) -> None:
    """Open a dialog with `key`, read it, close it with Esc."""
    screen = pilot.app.screen
    await pilot.press(key)
    await pilot.pause()
    if pilot.app.screen is not screen:
        await look(pilot, where, found)
        await pilot.press("escape")
        await pilot.pause()


async def play_and_read(app, pilot, found: dict[str, str]) -> set[str]:
    """Play the game to its end screen, reading every screen and dialog on the way. Returns the
    kinds of screen read, so a test can tell the game went everywhere."""
    seen: set[str] = set()
    looked_once = False
    for _ in range(200):
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, EndScreen):
            await look(pilot, "end", found)
            seen.add("end")
            return seen
        if isinstance(screen, ResolutionScreen | HandoffScreen):
            await look(pilot, type(screen).__name__, found)
            seen.add("resolution")
            await pilot.press("enter")
        elif isinstance(screen, CrisisScreen):
            await look(pilot, "crisis", found)
            seen.add("crisis")
            await pilot.press("2")
        elif isinstance(screen, GameScreen):
            phase = app.session.state.phase.value
            seen.add(phase)
            # the Act tab in every phase; the Talks and Log tabs once a turn, when the talks are over
            tabs = ("2", "3", "1") if app.session.state.phase is Phase.DECIDE else ("1",)
            for tab in tabs:
                await pilot.press(tab)
                await look(pilot, f"game {phase} tab {tab}", found)
            if not looked_once:
                looked_once = True
                await look_at_dialog(pilot, "b", "brief", found)
                await look_at_dialog(pilot, "question_mark", "help", found)
            if app.session.state.phase is Phase.PROPOSE:
                await look_at_dialog(pilot, "enter", "drafting", found)
            elif app.session.state.phase is Phase.DECIDE:
                await look_at_dialog(pilot, "i", "move in full", found)
                await pilot.press("space")  # a move ticked: the budget line with a choice
                await look(pilot, "game decide, a move ticked", found)
            await pilot.press("d")
        else:
            raise AssertionError(f"unexpected screen {screen!r}")
    raise AssertionError("the game did not end")


async def test_the_start_screen_in_chinese_is_in_chinese():
    from tui.app import MidnightApp

    found: dict[str, str] = {}
    app = MidnightApp(start={"scenario": "tutorial", "seed": 3}, language="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await look(pilot, "start", found)
    assert not found, found


async def test_a_whole_game_in_chinese_shows_no_english():
    """The tutorial (4 turns: talks, decisions, a crisis) in Chinese at 120×40, every screen read."""
    app = make_app(scenario="tutorial", seats="us=human", lang="zh", seed=3)
    found: dict[str, str] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        seen = await play_and_read(app, pilot, found)
    assert {"propose", "respond", "decide", "resolution", "crisis", "end"} <= seen
    assert not found, "\n".join(f"{word!r} in {where}" for word, where in sorted(found.items()))


async def test_the_scan_reads_the_screen():
    """The same reading of an English game finds English words (the scan is not blind)."""
    app = make_app(scenario="tutorial", seats="us=human", lang="en", seed=3)
    found: dict[str, str] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await look(pilot, "game", found)
    assert {"Survivability", "Budget", "Escalation", "Talks"} <= set(found)


@pytest.mark.slow
async def test_a_whole_trilateral_game_in_chinese_at_80_by_24_shows_no_english():
    """The full scenario (20 turns, three seats, bots' reasons in the log) at 80×24."""
    app = make_app(scenario="trilateral-2026", seats="us=human", lang="zh", seed=5)
    found: dict[str, str] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await play_and_read(app, pilot, found)
    assert not found, "\n".join(f"{word!r} in {where}" for word, where in sorted(found.items()))


async def test_the_replay_viewer_in_chinese_shows_no_english():
    app = make_app(scenario="tutorial", seats="us=human", lang="zh", seed=3)
    found: dict[str, str] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await play_and_read(app, pilot, {})
        await pilot.press("r")  # the end screen's replay of this game
        for _ in range(5):
            await look(pilot, "replay", found)
            await pilot.press("right")
    assert not found, "\n".join(f"{word!r} in {where}" for word, where in sorted(found.items()))


def test_every_key_has_its_chinese_words():
    """The footer and the help screen say each key in Chinese: every keymap entry has its words."""
    from tui.i18n import KEY_DESCRIPTIONS, KEY_GROUPS
    from tui.keys import KEYMAP

    assert set(KEYMAP) <= set(KEY_GROUPS["zh"])
    missing = [binding_id for entries in KEYMAP.values() for _k, _a, _d, binding_id, _s in entries
               if binding_id not in KEY_DESCRIPTIONS["zh"]]
    assert not missing


async def test_the_command_palette_speaks_chinese():
    """Ctrl+P in a Chinese game: the app's commands and Textual's own are in Chinese."""
    app = make_app(scenario="tutorial", seats="us=human", lang="zh", seed=3)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
    assert "主题" in titles and "帮助：所有按键" in titles and "保存游戏" in titles
    assert not [title for title in titles if ENGLISH_WORD.search(title)]
