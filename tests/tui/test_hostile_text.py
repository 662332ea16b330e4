"""Text from a scenario or a record is shown literally: never read as markup, never sent raw.

Control characters are refused when a scenario loads (tests/test_terminal_safety.py), so the
scenario here holds markup-like text only; a record's reasons are not checked at load and may
hold control characters, which the replay viewer shows as visible escapes.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from conftest import RULES, make_app, play_to_end, shown

from tui.screens.resolution import ResolutionScreen

RED = "[red]Evil[/red] Red"
BLUE = "[link=x]Blue"
MOVE = "[$error]Build[/] [ b]warheads"
FACTOR = "[b]Tension[/b] [@click=app.quit]"
TITLE = "Rules [Red]test[/Red] \\"


def hostile_scenario(tmp_path: Path) -> str:
    text = Path(RULES).read_text(encoding="utf-8")
    replacements = {
        "name: {en: Red, zh: 红方}": f'name: {{en: "{RED}", zh: 红方}}',
        "name: {en: Blue, zh: 蓝方}": f'name: {{en: "{BLUE}", zh: 蓝方}}',
        "label: Build warheads": f'label: "{MOVE}"',
        "{id: tension, label: Tension, value:": f'{{id: tension, label: "{FACTOR}", value:',
        "title: {en: Rules test,": 'title: {en: "Rules [Red]test[/Red] \\\\",',  # one backslash, at the end
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def table_text(app) -> str:
    """Every DataTable cell on screen as it is drawn (a DataTable reads a plain string as markup)."""
    from rich.text import Text
    from textual.widgets import DataTable

    cells = []
    for table in app.screen.query(DataTable):
        for row in range(table.row_count):
            for cell in table.get_row_at(row):
                cells.append(Text.from_markup(cell).plain if isinstance(cell, str) else str(cell))
    return "\n".join(cells)


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_markup_in_scenario_names_is_shown_literally_through_a_whole_game(tmp_path):
    app = make_app(scenario=hostile_scenario(tmp_path))
    seen = []

    async def look(pilot):
        seen.append(shown(app))
        return False

    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(12):
            await pilot.pause()
            if isinstance(app.screen, ResolutionScreen):
                break
            seen.append(shown(app))
            await pilot.press("d")
        assert isinstance(app.screen, ResolutionScreen)
        text = shown(app)
        assert f"{BLUE}: no public moves" in text
        assert FACTOR in table_text(app)  # the risk factors' table
        end = await play_to_end(pilot, look)
        assert end is not None
        seen.append(shown(app))
        assert RED + " *" in table_text(app)  # the scores
    everything = "\n".join(seen)
    assert RED in everything and BLUE in everything and MOVE in everything
    assert TITLE in everything


async def test_a_records_reasons_are_shown_with_control_characters_escaped(tmp_path):
    from engine import load_game
    from engine.play.loop import play_out
    from engine.play.records import record_game
    from tui.app import MidnightApp
    from tui.screens.replay import ReplayScreen

    game = load_game(RULES)
    final, history = play_out(game, game.start(3))
    record = record_game(game, 3, history, {"red": "reciprocator", "blue": "reciprocator"})
    first = record.turns[0]
    why = "\x1b]0;pwned\x07[red]x[/red] \x9b2J \u202eevil"
    hostile = attrs.evolve(first, inputs=({**first.inputs[0], "why": why}, *first.inputs[1:]))
    record = attrs.evolve(record, turns=(hostile, *record.turns[1:]))
    app = MidnightApp(replay=(game, record))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        app.screen.action_jump(1)
        await pilot.pause()
        text = shown(app)
    assert "\\x1b]0;pwned\\x07[red]x[/red] \\x9b2J \\u202eevil" in text
    assert not any(ch in text for ch in "\x1b\x07\x9b\u202e")
