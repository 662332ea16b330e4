"""Snapshots of each main screen at 80×24 (and the game screen at 120×40) on the rules fixture, and of
the main screens at 80×24 and 120×40 in English and Chinese on the tutorial.

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
    import engine.scenario.builtin

    monkeypatch.setattr(engine.scenario.builtin, "builtin_scenario_ids", lambda: [])


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


# -- the main screens at both sizes, in both languages, on the (fully bilingual) tutorial ----------

TUTORIAL = "scenarios/tutorial.yaml"
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
LANGUAGES = pytest.mark.parametrize("lang", ["en", "zh"])


def tutorial_app(lang):
    return make_app(scenario=TUTORIAL, seats="us=human", lang=lang, seed=3)


async def until_screen(pilot, kind):
    """Press on (d: submit, Enter: continue, 2: hold) until a screen of `kind` shows."""
    from tui.screens.crisis import CrisisScreen
    from tui.screens.resolution import ResolutionScreen

    for _ in range(100):
        await pilot.pause()
        if isinstance(pilot.app.screen, kind):
            return
        if isinstance(pilot.app.screen, ResolutionScreen):
            await pilot.press("enter")
        elif isinstance(pilot.app.screen, CrisisScreen):
            await pilot.press("2")
        else:
            await pilot.press("d")
    raise AssertionError(f"no {kind.__name__}")


@SIZES
@LANGUAGES
def test_start_in_each_language(snap_compare, size, lang):
    from tui.app import MidnightApp

    app = MidnightApp(start={"scenario": TUTORIAL, "seed": 3}, language=lang)
    assert snap_compare(app, terminal_size=size)


@SIZES
@LANGUAGES
def test_talks_in_each_language(snap_compare, size, lang):
    """Turn 1's proposals, with the tutorial's lessons in the briefing above them."""
    assert snap_compare(tutorial_app(lang), terminal_size=size)


@SIZES
@LANGUAGES
def test_decisions_in_each_language(snap_compare, size, lang):
    async def run_before(pilot):
        await until(pilot, Phase.DECIDE)
        await pilot.press("down", "space")

    assert snap_compare(tutorial_app(lang), terminal_size=size, run_before=run_before)


@SIZES
@LANGUAGES
def test_resolution_in_each_language(snap_compare, size, lang):
    async def run_before(pilot):
        from tui.screens.resolution import ResolutionScreen

        await until_screen(pilot, ResolutionScreen)

    assert snap_compare(tutorial_app(lang), terminal_size=size, run_before=run_before)


@SIZES
@LANGUAGES
def test_crisis_in_each_language(snap_compare, size, lang):
    """Turn 3's false alarm: the cause, the ladder, what each choice risks."""
    async def run_before(pilot):
        from tui.screens.crisis import CrisisScreen

        await until_screen(pilot, CrisisScreen)

    assert snap_compare(tutorial_app(lang), terminal_size=size, run_before=run_before)


@SIZES
@LANGUAGES
def test_end_in_each_language(snap_compare, size, lang):
    async def run_before(pilot):
        from conftest import play_to_end

        await play_to_end(pilot)

    assert snap_compare(tutorial_app(lang), terminal_size=size, run_before=run_before)
