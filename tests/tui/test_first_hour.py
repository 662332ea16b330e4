"""A newcomer's first hour: keys that work after switching tabs, an 80×24 screen that shows every
essential without scrolling, states told by a mark as well as a colour."""

from __future__ import annotations

from conftest import make_app, shown

from engine import Phase
from tui.screens.game import GameScreen


async def _to_decisions(app, pilot) -> None:
    while app.session.state.phase is not Phase.DECIDE:
        await pilot.press("d")
        await pilot.pause()


async def test_keys_work_at_once_after_switching_tabs():
    """`2` then `1`: the move list has the focus again, so arrows and Space tick a move."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_decisions(app, pilot)
        assert "chosen 0" in shown(app)
        await pilot.press("2", "1")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "moves"
        await pilot.press("down", "up", "space")
        assert "chosen 2 · left 2 · moves 1/2" in shown(app)


async def test_each_tab_focuses_what_it_is_for():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        await pilot.press("3")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "game-log"
        await pilot.press("2")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "talks-scroll"
        await pilot.press("1")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "templates"
        await pilot.press("x")  # the proposals' keys work at once too (x: withdraw, nothing drafted)
        assert app.screen.query_one("#situation").scroll_y == 0  # the clock stays in sight
