"""Ctrl+S or q mid-turn keeps what is chosen but not sent (moves ticked, offers drafted, answers
marked) beside the save, and resuming the save brings it back in that round only."""

from __future__ import annotations

import pytest
from conftest import make_app, shown

from engine import Phase
from tui.screens.game import GameScreen
from tui.unsent import UnsentError, read_unsent, unsent_path


async def _to(app, pilot, phase) -> None:
    while app.session.state.phase is not phase:
        await pilot.press("d")
        await pilot.pause()


async def test_moves_ticked_then_saved_and_quit_are_ticked_again_on_resume(midnight_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to(app, pilot, Phase.DECIDE)
        await pilot.press("space", "down", "space")  # two moves ticked, not sent
        await pilot.pause()
        assert "moves 2/2" in shown(app)
        await pilot.press("q")  # save and quit
        await pilot.pause()
        path = app.session.save_path
    assert unsent_path(path).is_file()
    resumed = make_app(resume=str(path))
    async with resumed.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(resumed.screen, GameScreen)
        assert resumed.session.state.phase is Phase.DECIDE
        assert "moves 2/2" in shown(resumed)
        assert "[x] Build warheads" in shown(resumed)
        await pilot.press("d")
        await pilot.pause()
    played = [i for i in resumed.session.recorder.to_record().inputs() if i.get("kind") == "decide" and i["seat"] == "red"]
    assert [sorted(i["moves"]) for i in played] == [["build", "hide"]]


async def test_an_offer_drafted_then_saved_is_drafted_again(midnight_home):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the drafting dialog of the highlighted template
        await pilot.pause()
        await pilot.press("enter")  # propose it at its terms
        await pilot.pause()
        assert "Your offers (1/1)" in shown(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        path = app.session.save_path
    resumed = make_app(resume=str(path))
    async with resumed.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Your offers (1/1)" in shown(resumed)


async def test_unsent_choices_of_another_round_are_not_used(midnight_home):
    """Saved in the talks, then the game went on (an autosave): the old choices stay out."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _to(app, pilot, Phase.DECIDE)
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        await pilot.press("space")  # untick: nothing left to keep
        await pilot.press("d")  # the turn goes on; its autosave has the decision
        await pilot.pause()
        path = app.session.save_path
        app.session.save()
    assert unsent_path(path).is_file()  # written by Ctrl+S, for turn 1's decisions
    resumed = make_app(resume=str(path))
    async with resumed.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert resumed.unsent is not None and resumed.session.state.turn == 2
        await _to(resumed, pilot, Phase.DECIDE)
        assert "chosen 0" in shown(resumed)


def test_a_damaged_file_of_unsent_choices_is_refused_in_one_line(tmp_path):
    save = tmp_path / "game.yaml"
    unsent_path(save).write_text("round: [1, 2\n")
    with pytest.raises(UnsentError, match="not readable YAML"):
        read_unsent(save)
    unsent_path(save).write_text("round: {turn: one}\nchoice: {}\n")
    with pytest.raises(UnsentError, match="not a file of unsent choices"):
        read_unsent(save)
    unsent_path(save).write_text("x" * 70_000)
    with pytest.raises(UnsentError, match="larger than"):
        read_unsent(save)
    assert read_unsent(tmp_path / "other.yaml") is None
