"""The clock as a yearly judgement and nuclear use by accident, as the screens show them."""

from __future__ import annotations

from pathlib import Path

from conftest import RULES, make_app, play_to_end, shown

from tui.screens.end import EndScreen
from tui.screens.resolution import ResolutionScreen

ANNUAL = '  change: "(period_risk - 20) / 2 * period_turns"\n  every: 2\n  reasons: 2\n'
ACCIDENT = ("accidents:\n  - id: false_alarm\n    label: {en: a false alarm acted on, zh: 根据虚假预警采取行动}\n"
            '    chance: "1"\n')


def variant(tmp_path: Path, old: str, new: str) -> str:
    text = Path(RULES).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


async def resolution_of(app, pilot, turn: int) -> str:
    for _ in range(60):
        await pilot.pause()
        if isinstance(app.screen, ResolutionScreen) and app.screen.report.turn == turn:
            return shown(app)
        await pilot.press("enter" if isinstance(app.screen, ResolutionScreen) else "d")
    raise AssertionError(f"no resolution of turn {turn}")


async def test_the_resolution_says_when_a_yearly_clock_is_set_and_works_its_formula(tmp_path):
    app = make_app(scenario=variant(tmp_path, '  change: "(risk - 20) / 2"\n', ANNUAL))
    async with app.run_test(size=(120, 40)) as pilot:
        first = await resolution_of(app, pilot, 1)
        assert "Rule: the clock is set on turns 2, 4, 6 (a yearly judgement)" in first
        assert "The clock is not set this turn: it is next set on turn 2" in first
        assert "Escalation risk this turn" in first and "The Doomsday Clock is next set on turn 2" in first
        second = await resolution_of(app, pilot, 2)
        risks = [a.risk for a in app.session.state.assessments[:2]]
        mean = round(sum(risks) / 2, 2)
        assert f"({mean:g} - 20) / 2 * 2 = " in second  # the period's mean risk and its length, worked
        assert "The Doomsday Clock is set at" in second and "The judgement cites: " in second


async def test_the_end_screen_names_the_accident_that_ended_the_game(tmp_path):
    app = make_app(scenario=variant(tmp_path, 'shared_score: "clock"', ACCIDENT + 'shared_score: "clock"'))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await play_to_end(pilot)
        assert isinstance(screen, EndScreen)
        text = shown(app)
        assert "nuclear use: a false alarm acted on" in text
        assert app.session.state.outcome.turn == 1 and app.session.state.clock == 0.0


async def test_the_day_after_on_the_resolution_and_end_screens(tmp_path):
    section = ("aftermath:\n  turns: 2\n  text: {en: The day after begins., zh: 核战后的第二天开始了。}\n"
               + ACCIDENT.replace('chance: "1"', 'chance: "turn == 2 ? 1 : 0"'))
    app = make_app(scenario=variant(tmp_path, 'shared_score: "clock"', section + 'shared_score: "clock"'))
    async with app.run_test(size=(120, 40)) as pilot:
        used = await resolution_of(app, pilot, 2)
        assert "nuclear use: a false alarm acted on: midnight, whatever the risk" in used
        assert "The day after begins." in used and "Midnight has struck. The day after: 2 more turns" in used
        after = await resolution_of(app, pilot, 3)
        assert "Doomsday Clock: 0 s (the day after: midnight has struck)" in after
        assert "The day after: one more turn." in after
        await pilot.press("enter")
        screen = await play_to_end(pilot)
        assert isinstance(screen, EndScreen)
        state = app.session.state
        assert state.outcome.turn == 4 and state.outcome.condition == "false_alarm" and state.outcome.catastrophe
        text = " ".join(shown(app).split())  # the turning points wrap
        before = state.assessments[0].clock
        assert f"nuclear use: a false alarm acted on: the clock went from {before:g} s to midnight" in text


async def test_the_header_counts_down_the_day_after():
    """After nuclear use in a scenario with a day after, the game screen's header says how many
    turns of it are left (the engine's view decides it: SeatView.day_after_left)."""
    from engine.play.table import HUMAN, Session
    from tui.app import MidnightApp
    from tui.screens.game import GameScreen

    from test_clock import play_turn, with_aftermath  # tests/ is on the path, as for helpers

    game = with_aftermath(turns=3)
    session = Session(game, 0, {"red": HUMAN, "blue": HUMAN})
    session.state = play_turn(game, session.state, provoke=True)  # nuclear use in turn 1
    app = MidnightApp(session)
    async with app.run_test(size=(140, 30)) as pilot:
        for _ in range(20):
            await pilot.pause()
            if isinstance(app.screen, GameScreen) and app.screen.seat is not None:
                break
            await pilot.press("enter")
        header = " ".join(plain for _, plain in app.game_screen._header)
        assert "The day after: 3 turns left" in header
