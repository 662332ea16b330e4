"""Snapshots of each main screen at 80×24 (and the game screen at 120×40), on the rules fixture.

Update after an intended change: `uv run pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest
from conftest import RULES, make_app

from engine import Phase
from engine.play.records import read_record

RELATIVE_RULES = "tests/fixtures/rules.yaml"


@pytest.fixture(autouse=True)
def no_builtins(monkeypatch):
    """The start screen lists only what the test gives it, whatever scenarios ship today."""
    import engine.scenario.loading

    monkeypatch.setattr(engine.scenario.loading, "builtin_scenario_ids", lambda: [])


async def until(pilot, phase):
    app = pilot.app
    while app.session.state.phase is not phase:
        await pilot.press("d")
        await pilot.pause()


def test_start_screen(snap_compare):
    from tui.app import MidnightApp

    app = MidnightApp(start={"scenario": RELATIVE_RULES, "seed": 3})
    assert snap_compare(app, terminal_size=(80, 24))


def test_game_screen_talks(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_game_screen_wide(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 40))


def test_game_screen_decisions(snap_compare):
    async def run_before(pilot):
        await until(pilot, Phase.DECIDE)
        await pilot.press("space", "down", "space")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_answering_proposals(snap_compare):
    async def run_before(pilot):
        await until(pilot, Phase.RESPOND)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_drafting_dialog(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["enter"])


def test_resolution_screen(snap_compare):
    async def run_before(pilot):
        from tui.screens.resolution import ResolutionScreen

        while not isinstance(pilot.app.screen, ResolutionScreen):
            await pilot.press("d")
            await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_crisis_screen(snap_compare):
    async def run_before(pilot):
        await until(pilot, Phase.DECIDE)
        moves = pilot.app.screen.query_one("#moves")
        moves.highlighted = moves.get_option_index("provoke")
        await pilot.press("space", "d")
        await pilot.pause()

    assert snap_compare(make_app(seats="red=human,blue=hawk"), terminal_size=(80, 24), run_before=run_before)


def test_handoff_screen(snap_compare):
    assert snap_compare(make_app(seats="red=human,blue=human"), terminal_size=(80, 24))


def test_end_screen(snap_compare):
    async def run_before(pilot):
        from conftest import play_to_end

        await play_to_end(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), press=["question_mark"])


def test_replay_viewer(snap_compare, tmp_path):
    from engine import load_game
    from engine.play.loop import play_out
    from engine.play.records import record_game, write_record
    from tui.app import MidnightApp

    game = load_game(RULES)
    final, history = play_out(game, game.start(3))
    path = tmp_path / "game.yaml"
    write_record(path, record_game(game, 3, history, {"red": "reciprocator", "blue": "reciprocator"}))
    app = MidnightApp(replay=(game, read_record(path)))
    assert snap_compare(app, terminal_size=(80, 24), press=["right"])
