"""Whole games played through the UI by keypresses, with assertions on what is shown."""

from __future__ import annotations

import pytest
from conftest import make_app, play_to_end, provoke_a_crisis, shown

from engine import Phase
from tui.screens.crisis import CrisisScreen
from tui.screens.end import EndScreen
from tui.screens.game import GameScreen
from tui.screens.handoff import HandoffScreen
from tui.screens.resolution import ResolutionScreen


async def test_the_game_screen_shows_the_seat_at_a_glance():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        text = shown(app)
        assert "Turn 1/6" in text and "2026-02-05" in text and "Talks: proposals" in text
        assert "You are Red" in text
        assert "85 s to midnight" in text
        assert "Escalation risk" in text
        assert "Budget 4" in text and "Warheads 1000" in text
        assert "Red–Blue Tension 40" in text
        assert "Warhead cap" in text and "Hotline" in text


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_a_whole_game_against_a_bot_by_keys_alone():
    app = make_app()
    seen = {"resolution": 0, "decide": 0}

    async def choose(pilot):
        state = app.session.state
        if state.phase is Phase.DECIDE:
            seen["decide"] += 1
            await pilot.press("space")  # choose the first available move
            assert "chosen" in shown(app)

    async with app.run_test(size=(80, 24)) as pilot:
        end = await play_to_end(pilot, choose)
        assert isinstance(end, EndScreen)
        text = shown(app)
        assert "Game over" in text
        assert "Scores" in text and "Red *" in text and "Blue" in text
        assert "Turning points" in text
        assert app.session.state.over
        assert seen["decide"] >= 1
        # every turn was recorded and the record replays to the same end
        from engine.play.records import replay

        record = app.session.recorder.to_record()
        assert record.complete
        assert replay(app.session.game, record).divergence is None


async def test_a_turn_ends_with_the_resolution_reveal():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(10):
            await pilot.pause()
            if isinstance(app.screen, ResolutionScreen):
                break
            await pilot.press("d")
        assert isinstance(app.screen, ResolutionScreen)
        text = shown(app)
        assert "Turn 1 resolved" in text
        assert "Moves revealed" in text and "What happened" in text and "Why the clock moved" in text
        assert "Doomsday Clock: 85 → " in text
        assert "Blue: no public moves" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        assert "Turn 2/6" in shown(app)


async def test_choosing_moves_shows_the_budget_live_and_reasons_for_unavailable_moves():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        while app.session.state.phase is not Phase.DECIDE:
            await pilot.press("d")
            await pilot.pause()
        text = shown(app)
        assert "Budget 4 · chosen 0 · left 4 · moves 0/2" in text
        assert "Build warheads" in text and "Hide a stockpile (secret)" in text
        await pilot.press("space")
        assert "chosen 2 · left 2 · moves 1/2" in shown(app)
        await pilot.press("down", "down", "space")  # Test a weapon costs 3: over budget
        assert "left -1" in shown(app)
        await pilot.press("d")  # the engine refuses; nothing changes
        await pilot.pause()
        assert app.session.state.phase is Phase.DECIDE
        assert isinstance(app.screen, GameScreen)
        await pilot.press("space")  # drop it
        assert "left 2" in shown(app)


async def test_proposing_and_answering_through_the_dialogs():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # draft the highlighted template: Warhead cap
        await pilot.pause()
        await pilot.pause()
        assert "Limit (500–1500, step 100)" in shown(app)
        await pilot.press("home", "ctrl+k", *"1200", "enter")
        await pilot.pause()
        assert "Warhead cap (Limit 1200) — Red, Blue" in shown(app)
        await pilot.press("d")
        await pilot.pause()
        assert app.session.state.phase is Phase.RESPOND
        proposals = [p for p in app.session.state.proposals if p.proposer == "red"]
        assert proposals and proposals[0].params["limit"] == 1200
        text = shown(app)
        assert "a accept" in text
        assert "Blue proposes" in text
        options = app.session.game.options(app.session.state, "red").to_answer
        await pilot.press("a", "d")
        await pilot.pause()
        if options[0].can_accept:
            assert app.session.state.agreements or app.session.state.phase is Phase.RESPOND


async def test_crisis_screen_shows_the_ladder_and_takes_a_choice():
    app = make_app(seats="red=human,blue=hawk")
    async with app.run_test(size=(80, 24)) as pilot:
        await provoke_a_crisis(app, pilot)
        assert isinstance(app.screen, CrisisScreen)
        text = shown(app)
        assert "Crisis: Red, Blue" in text
        assert "Nuclear use" in text and "▶ Incident" in text
        await pilot.press("1")
        await pilot.pause()
        assert not isinstance(app.screen, CrisisScreen) or app.session.state.crisis.round == 2


async def test_hot_seat_hands_off_between_people_and_hides_the_previous_choices():
    app = make_app(seats="red=human,blue=human")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        assert "Pass to Red" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "You are Red" in shown(app)
        app.notify("Red's budget is 8", severity="error")  # a notice meant for Red alone
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        assert "Pass to Blue" in shown(app)
        assert len(app._notifications) == 0  # the hand-off clears what was shown to Red
        assert "Red" not in shown(app).replace("Pass to Blue", "")
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app)
        assert "You are Blue" in text and "You are Red" not in text
        assert "Hidden stock" not in text or "Blue" in text


async def test_help_and_brief_are_one_key_away():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = shown(app)
        assert "Keys" in text and "Done: submit" in text and "Back down" in text and "Next turn" in text
        await pilot.press("escape", "b")
        await pilot.pause()
        assert "Brief: Red" in shown(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)


async def test_the_footer_and_the_help_speak_the_chosen_language():
    from textual.widgets._footer import FooterKey

    from tui.screens.dialogs import HelpScreen

    def footer(app) -> set[str]:
        return {key.description for key in app.screen.query(FooterKey)}

    english = make_app()
    async with english.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert {"Done: submit", "Save & quit", "Help"} <= footer(english)
    chinese = make_app(lang="zh")
    async with chinese.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(chinese.screen, GameScreen)
        assert {"完成：提交", "保存并退出", "帮助"} <= footer(chinese)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(chinese.screen, HelpScreen)
        text = shown(chinese)
        assert "按键" in text and "保存并退出" in text and "回放" in text
        assert "Save & quit" not in text
