"""Branching in the replay viewer: `b` at a shown turn, a seat chosen, and the game played on."""

from __future__ import annotations

from conftest import RULES, play_to_end, shown

from engine import load_game
from engine.play.loop import play_out
from engine.play.records import digest, dump_record, read_record, record_game, replay, write_record

SEATS = {"red": "reciprocator", "blue": "reciprocator", "green": "reciprocator"}


def viewer(tmp_path, seed=3, text_edit=None):
    """The replay viewer of a recorded game of the rules fixture, as `midnight replay FILE` opens it."""
    from tui.app import MidnightApp

    game = load_game(RULES)
    _final, history = play_out(game, game.start(seed))
    path = tmp_path / "game.yaml"
    write_record(path, record_game(game, seed, history, SEATS))
    if text_edit is not None:
        path.write_text(text_edit(path.read_text()))
    app = MidnightApp(replay=(game, read_record(path)))
    app.replay_path = str(path)  # as tui.launch.replay_on_screen sets it
    return app, game, path


def saves(home):
    return sorted((home / "saves").glob("*.yaml")) if (home / "saves").exists() else []


async def test_b_branches_at_the_shown_turn_and_plays_on_as_the_chosen_seat(tmp_path, midnight_home):
    from tui.screens.game import GameScreen
    from tui.screens.replay import BranchDialog, ReplayScreen

    app, game, path = viewer(tmp_path)
    source = read_record(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("right", "right")  # turn 3 shown
        assert app.screen.index == 3
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BranchDialog)
        from textual.widgets import Button

        assert "Branch at turn 3" in shown(app)
        labels = [str(button.label) for button in app.screen.query(Button)]
        assert labels == ["1  Red", "2  Blue", "Cancel"]  # Green is not in the game (not active), as on the start screen
        await pilot.press("2")  # Blue
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        session = app.session
        assert session is not None and session.state.turn == 3
        assert session.seats["blue"] == "human" and session.seats["red"] != "human"
        # The branch starts where the record stood at the start of turn 3.
        assert digest(game, session.turn_start) == source.turns[1].after.digest
        [branch] = saves(midnight_home)
        written = read_record(branch)
        assert written.branched_from is not None
        assert (written.branched_from.record, written.branched_from.turn) == (str(path), 3)
        assert written.seats["blue"] == "human"
        await play_to_end(pilot)
    final = read_record(branch)
    assert final.complete and final.branched_from == written.branched_from
    assert replay(game, final).divergence is None
    assert [t.inputs for t in final.turns[:2]] == [t.inputs for t in source.turns[:2]]


async def test_at_the_start_the_branch_is_at_turn_one(tmp_path, midnight_home):
    from tui.screens.replay import BranchDialog

    app, _game, _path = viewer(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("home", "b")
        await pilot.pause()
        assert isinstance(app.screen, BranchDialog) and app.screen.turn == 1
        await pilot.press("1")
        await pilot.pause()
        assert app.session is not None and app.session.state.turn == 1
        assert app.session.seats["red"] == "human"
    [branch] = saves(midnight_home)
    record = read_record(branch)
    assert record.turns == () and record.branched_from is not None and record.branched_from.turn == 1


async def test_escape_leaves_the_viewer_as_it_was_and_writes_nothing(tmp_path, midnight_home):
    from tui.screens.replay import ReplayScreen

    app, _game, _path = viewer(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("right", "b")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen) and app.screen.index == 2
        assert app.session is None
    assert saves(midnight_home) == []


async def test_a_record_that_does_not_reproduce_is_not_branched(tmp_path, midnight_home):
    from tui.screens.replay import ReplayScreen

    def tamper(text: str) -> str:
        line = next(x for x in text.splitlines() if x.startswith("      risk:"))
        return text.replace(line, "      risk: 99.5", 1)

    app, _game, _path = viewer(tmp_path, text_edit=tamper)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen) and app.session is None
        assert any("does not reproduce" in str(n.message) for n in app._notifications)
    assert saves(midnight_home) == []


def test_the_replay_key_is_in_the_keymap_and_help():
    from tui.keys import KEYMAP

    assert ("b", "branch", "Branch here", "replay.branch", True) in KEYMAP["Replay viewer"]


def test_a_branch_written_by_the_viewer_is_format_2_text(tmp_path):
    from engine.play.branch import branch_point, branch_record

    game = load_game(RULES)
    _final, history = play_out(game, game.start(3))
    record = read_record(dump_record(record_game(game, 3, history, SEATS)).encode())
    text = dump_record(branch_record(branch_point(game, record, "game.yaml", 2), SEATS))
    assert text.splitlines()[1] == "midnight_record: 2"


async def test_play_resume_of_a_branch_from_the_command_line_opens_at_its_turn(tmp_path):
    """`midnight branch ... --out FILE` then `midnight play --resume FILE`: checked, then played on."""
    from conftest import args

    from midnight.cli import main
    from tui.launch import build_app, check_arguments
    from tui.screens.game import GameScreen

    game = load_game(RULES)
    _final, history = play_out(game, game.start(3))
    source = tmp_path / "game.yaml"
    write_record(source, record_game(game, 3, history, SEATS))
    branch = tmp_path / "what-if.yaml"
    assert main(["branch", str(source), "--turn", "4", "--out", str(branch), "--seats", "red=human",
                 "--scenario", RULES]) == 0
    given = args(scenario=RULES, seats="", resume=str(branch))
    check_arguments(given)
    app = build_app(given)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert app.session.state.turn == 4 and app.session.humans == ("red",)
        assert app.session.recorder.to_record().branched_from == read_record(branch).branched_from
