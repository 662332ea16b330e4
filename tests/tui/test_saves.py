"""Saving at any time, the autosave after each turn, and resuming a save where it stopped."""

from __future__ import annotations

from conftest import make_app, shown

from engine import Phase
from engine.play.records import digest, read_record
from tui.screens.game import GameScreen
from tui.screens.resolution import ResolutionScreen


async def test_save_then_resume_continues_the_same_game(midnight_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        turns = 0
        while turns < 2:
            await pilot.pause()
            if isinstance(app.screen, ResolutionScreen):
                turns += 1
                await pilot.press("enter")
            else:
                await pilot.press("d")
        await pilot.pause()
        # mid-turn: in the talks of turn 3, with red's proposal phase done
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        session = app.session
        saved_state = session.state
        path = session.save_path
    assert path.is_file() and midnight_home in path.parents
    record = read_record(path)
    assert not record.complete
    resumed = make_app(resume=str(path))  # a file scenario is named again; built-ins by their id
    async with resumed.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        state = resumed.session.state
        assert digest(resumed.session.game, state) == digest(app.session.game, saved_state)
        assert state.turn == 3
        assert isinstance(resumed.screen, GameScreen)
        assert "Turn 3/6" in shown(resumed)
        assert resumed.session.save_path == path


async def test_an_autosave_is_written_after_every_turn(midnight_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not list(midnight_home.rglob("*.yaml"))
        while not isinstance(app.screen, ResolutionScreen):
            await pilot.press("d")
            await pilot.pause()
        saves = list(midnight_home.rglob("*.yaml"))
        assert len(saves) == 1
        record = read_record(saves[0])
        assert [t.turn for t in record.turns] == [1] and record.turns[0].after is not None


async def test_quitting_saves_and_says_how_to_resume(midnight_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert app.session.state.phase is Phase.RESPOND
        await pilot.press("q")
        await pilot.pause()
    assert app.session.save_path.is_file()
    assert len(read_record(app.session.save_path).inputs()) >= 2
