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


# -- 80×24: every essential in sight without scrolling ---------------------------------------------


def _header(app) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one("#topbar", Static).visual)


def _in_sight(app, widget) -> bool:
    """Whether the whole widget is drawn inside the screen, above the footer."""
    region = widget.region
    return region.height > 0 and region.y >= 0 and region.bottom <= app.size.height - 1


async def test_at_80x24_the_header_keeps_the_phase_and_the_seat():
    from rich.cells import cell_len

    app = make_app(scenario="trilateral-2026", seats="us=human")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = _header(app)
        assert "Talks: proposals" in header and "You are United States" in header
        assert "Turn 1/20" in header
        assert cell_len(header) <= 78 and _in_sight(app, app.screen.query_one("#topbar"))
        assert "trilateral talks" not in header  # the title goes first


async def test_a_wide_terminal_shows_the_whole_header():
    app = make_app(scenario="trilateral-2026", seats="us=human")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        header = _header(app)
        assert header.startswith("Midnight: trilateral talks after New START · 2026-02-05 · Turn 1/20")
        assert header.endswith("Talks: proposals · You are United States")


async def test_at_80x24_the_start_screen_shows_the_start_button():
    from textual.widgets import Button

    from tui.app import MidnightApp

    app = MidnightApp(start={"scenario": "trilateral-2026"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for selector in ("#scenario", "#language", "#seed", "#seat-us", "#seat-china"):
            assert _in_sight(app, screen.query_one(selector)), selector
        button = screen.query_one("#start-button", Button)
        assert _in_sight(app, button)
        assert screen.query_one("#start").scroll_y == 0
        await pilot.click("#start-button")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)


async def test_the_chosen_language_is_shown_by_a_mark_not_by_colour_alone():
    from textual.widgets import RadioButton

    from tui.app import MidnightApp

    app = MidnightApp(start={"scenario": "trilateral-2026"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        def marks() -> dict[str, str]:
            return {button.id or "": button.render().plain[:3] for button in app.screen.query(RadioButton)}

        assert marks() == {"lang-en": "▐●▌", "lang-zh": "▐○▌"}
        app.screen.query_one("#lang-zh", RadioButton).value = True
        await pilot.pause()
        assert marks() == {"lang-en": "▐○▌", "lang-zh": "▐●▌"}



async def test_the_parties_of_a_draft_are_ticked_by_a_mark_not_by_colour_alone():
    """The drafting dialog's party checkboxes: x when ticked, a blank when not; the proposer's own
    stays ticked (it is disabled: a party to its own proposal)."""
    from textual.widgets import Checkbox

    from tui.screens.dialogs import DraftDialog

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # draft the highlighted template
        await pilot.pause()
        assert isinstance(app.screen, DraftDialog)

        def marks() -> dict[str, str]:
            return {box.id or "": box.render().plain[:3] for box in app.screen.query(Checkbox)}

        assert marks() == {"party-red": "▐x▌", "party-blue": "▐x▌"}
        app.screen.query_one("#party-blue", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        assert marks() == {"party-red": "▐x▌", "party-blue": "▐ ▌"}
        await pilot.press("space")
        await pilot.pause()
        assert marks()["party-blue"] == "▐x▌"

# -- the replay viewer --------------------------------------------------------------------------------


async def test_home_and_end_in_the_replay_viewer_work_at_once(tmp_path):
    """Whichever panel has the focus (it scrolls with the arrows), Home and End go to the turns."""
    from conftest import RULES

    from engine import load_game
    from engine.play.loop import play_out
    from engine.play.records import read_record, record_game, write_record
    from tui.app import MidnightApp
    from tui.screens.replay import ReplayScreen

    game = load_game(RULES)
    _final, history = play_out(game, game.start(3))
    path = tmp_path / "game.yaml"
    write_record(path, record_game(game, 3, history, {"red": "reciprocator", "blue": "reciprocator"}))
    app = MidnightApp(replay=(game, read_record(path)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen) and screen.last > 1
        for panel in ("#replay-left", "#replay-right"):
            screen.query_one(panel).focus()
            await pilot.press("end")
            assert screen.index == screen.last
            await pilot.press("home")
            assert screen.index == 0


async def test_saving_mid_turn_keeps_the_moves_ticked_on_screen():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_decisions(app, pilot)
        await pilot.press("space")
        assert "chosen 2 · left 2 · moves 1/2" in shown(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.session.save_path.exists()
        assert "chosen 2 · left 2 · moves 1/2" in shown(app)


async def test_keys_typed_straight_after_the_tab_number_reach_the_list():
    """`1` and the keys after it in one burst (a fast typist, a paste): the list has them all."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_decisions(app, pilot)
        await pilot.press("3")
        await pilot.press("1", "down", "up", "space")
        assert "chosen 2 · left 2 · moves 1/2" in shown(app)
