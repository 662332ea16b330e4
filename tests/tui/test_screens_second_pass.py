"""Terminal play, second pass: the end screen's turning points, scores after a catastrophe and chart;
the crisis screen's cause, ladder and previews; how the resolution screen explains the clock."""

from __future__ import annotations

import pytest
from conftest import make_app, play_to_end, provoke_a_crisis, shown

from engine import FACILITATOR, Phase
from tui import present
from tui.screens.crisis import CrisisScreen
from tui.screens.end import EndScreen
from tui.screens.game import GameScreen
from tui.screens.handoff import HandoffScreen
from tui.screens.resolution import ResolutionScreen


async def provoke_on_turn_2(pilot, crisis=None, max_steps=200, clock_lines=None):
    """Hot-seat Red and Blue on the rules fixture: Red provokes on turn 2; in the crisis `crisis(pilot)`
    chooses (by default everyone escalates, which reaches nuclear use in two rounds). Stops at the
    end screen, or when `crisis` returns False."""
    app = pilot.app
    provoked = False
    for _ in range(max_steps):
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, EndScreen):
            return screen
        if isinstance(screen, HandoffScreen | ResolutionScreen):
            if isinstance(screen, ResolutionScreen) and clock_lines is not None:
                clock_lines.append(str(screen.query_one("#clock-line").visual))
            await pilot.press("enter")
        elif isinstance(screen, CrisisScreen):
            if crisis is None:
                await pilot.press("3")
            elif await crisis(pilot) is False:
                return screen
        elif isinstance(screen, GameScreen):
            state = app.session.state
            if state.phase is Phase.DECIDE and state.turn == 2 and not provoked and app.current_seat == "red":
                moves = screen.query_one("#moves")
                moves.highlighted = moves.get_option_index("provoke")
                await pilot.press("space")
                provoked = True
            await pilot.press("d")
        else:
            raise AssertionError(f"unexpected screen {screen!r}")
    raise AssertionError("the game did not get there")


# -- 1. the end screen ------------------------------------------------------------------------------

@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_after_nuclear_use_everyone_lost_and_the_turning_point_tells_what_happened():
    app = make_app(seats="red=human,blue=human")
    clock_lines: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await provoke_on_turn_2(pilot, clock_lines=clock_lines)
        outcome = app.session.state.outcome
        assert outcome.catastrophe and outcome.termination.value == "nuclear_use" and outcome.turn == 2
        text = shown(app)
        assert "everyone lost" in text
        assert "Scores (secondary: nobody won)" in text
        # the turn of nuclear use is a turning point, with what happened on it: the move, the crisis
        # the lines wrap with a hanging indent: compare words, not line breaks
        points = " ".join(str(app.screen.query_one("#points").visual).split())
        assert "T2 nuclear use: the clock went from" in points
        assert "Red: Provoke." in points
        assert "Crisis round 1: Red escalate, Blue escalate." in points
        assert "The crisis stands at: Nuclear use." in points
        # the scores are not ranked as winners: seat order, whoever scored more
        table = app.screen.query_one("#scores")
        rows = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert rows[:2] == ["Red *", "Blue *"] and outcome.scores["blue"] > outcome.scores["red"]
        # the chart runs to the final turn, at midnight
        chart = app.screen.query_one("#chart")
        assert chart.turns[-1] == 2 and chart.clock[-1] == 0
        # the resolution of that turn said why the clock reached midnight (the turn had no assessment)
        was = present.num(round(app.session.state.assessments[-1].clock, 2))
        assert clock_lines[-1] == f"Doomsday Clock: {was} → 0 s (nuclear use: midnight, whatever the risk)"


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_turning_points_are_the_turns_with_the_largest_clock_moves():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await play_to_end(pilot)
        view = app.session.game.view(app.session.state, FACILITATOR)
        assert not view.outcome.catastrophe
        biggest = sorted(view.assessments, key=lambda a: (-abs(a.clock_change), a.turn))[:3]
        points = str(app.screen.query_one("#points").visual)
        headlines = [line for line in points.splitlines() if line.startswith("T")]
        assert [int(line.split()[0][1:]) for line in headlines] == sorted(a.turn for a in biggest)
        for a in biggest:
            assert f"the clock moved {present.num(round(abs(a.clock_change), 2))} s" in " ".join(points.split())
        # the scores are ranked when nobody lost
        assert "Scores (secondary" not in shown(app) and "everyone lost" not in shown(app)
        chart = app.screen.query_one("#chart")
        assert chart.turns[-1] == view.outcome.turn == view.assessments[-1].turn


# -- 3. the resolution screen -----------------------------------------------------------------------

async def test_the_resolution_screen_shows_how_risk_becomes_clock_seconds():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        while not isinstance(app.screen, ResolutionScreen):
            await pilot.press("d")
            await pilot.pause()
        assessment = app.session.state.assessments[0]
        text = str(app.screen.query_one("#clock-line").visual)
        assert "Rule: each turn the clock moves toward midnight by (risk - 20) / 2 s (negative: back)" in text
        risk = present.num(round(assessment.risk, 2))
        change = round(assessment.clock_change, 2)
        assert f"This turn: ({risk} - 20) / 2 = {present.signed(change)}" in text
        way = "toward midnight" if change > 0 else "away from midnight"
        assert f"{present.num(abs(change))} s {way}" in text


async def test_the_clock_rule_is_shown_literally_whatever_the_formula_holds():
    from tui.screens.resolution import _RISK_NAMES

    worked = _RISK_NAMES.sub(lambda m: {"risk": "30", "previous_risk": "25"}[m.group(1)],
                             "(risk - previous_risk) * 2 + risky.self + max(risk, 1)")
    assert worked == "(30 - 25) * 2 + risky.self + max(30, 1)"


# -- 2. the crisis screen ---------------------------------------------------------------------------

async def test_the_crisis_screen_shows_the_cause_the_ladder_and_what_each_choice_risks():
    app = make_app(seats="red=human,blue=hawk")
    async with app.run_test(size=(80, 24)) as pilot:
        await provoke_a_crisis(app, pilot)
        assert isinstance(app.screen, CrisisScreen)
        assert "blue" in app.session.state.submissions  # the bot chose first: the previews must not read it
        cause = app.screen.query_one("#crisis-cause")
        assert str(cause.visual) == "Cause: Red: Provoke. Blue: Provoke. Crisis between Red and Blue: Incident."
        assert cause.region.y < app.screen.query_one("#ladder").region.y and cause.region.height >= 1
        ladder = str(app.screen.query_one("#ladder").visual)
        assert "✕ Nuclear use ends the game" in ladder and "▶ Incident" in ladder
        previews = str(app.screen.query_one("#crisis-previews").visual)
        assert ("3 Escalate · if Blue backs down → climbs a rung to Standoff"
                " · if Blue escalates → climbs 2 rungs to Forces on alert") in previews
        assert "1 Back down · if Blue backs down → stays at Incident, the crisis ends" in previews
        assert "THE GAME ENDS" not in previews


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_below_nuclear_use_escalation_is_flagged_and_must_be_pressed_twice():
    app = make_app(seats="red=human,blue=human")
    seen: list[str] = []

    async def crisis(pilot):
        state = pilot.app.session.state
        if state.crisis.rung < 2:
            await pilot.press("3")  # both escalate: Incident → Forces on alert
            return True
        screen = pilot.app.screen
        previews = str(screen.query_one("#crisis-previews").visual)
        assert "3 Escalate → Nuclear use — THE GAME ENDS for everyone" in previews
        assert "Escalating now can reach nuclear use" in str(screen.query_one("#crisis-warning").visual)
        await pilot.press("3")
        await pilot.pause()
        assert pilot.app.screen is screen and pilot.app.session.state.crisis.rung == 2  # nothing sent yet
        assert "Press 3 again" in str(screen.query_one("#crisis-warning").visual)
        seen.append(pilot.app.current_seat)
        if pilot.app.current_seat == "red":
            await pilot.press("2")  # Red thinks again and holds
        else:
            await pilot.press("3")  # Blue confirms
        return True

    async with app.run_test(size=(80, 24)) as pilot:
        await provoke_on_turn_2(pilot, crisis)
        assert seen == ["red", "blue"]
        assert app.session.state.outcome.termination.value == "nuclear_use"
        log = [e.event for e in app.session.state.log if e.kind == "crisis"]
        assert {"red": "hold", "blue": "escalate"} in [getattr(e, "choices", None) for e in log]


async def test_the_crisis_cause_is_the_scenarios_words_in_the_games_language(tmp_path):
    from conftest import RULES

    text = open(RULES, encoding="utf-8").read()
    plain = "start_crisis: {between: [self, others]}"
    assert plain in text
    scenario = tmp_path / "rules.yaml"
    scenario.write_text(text.replace(plain, "start_crisis: {between: [self, others], "
                                            "text: {en: 'A [b]scare[/b] at sea.', zh: '海上[b]险情[/b]。'}}"),
                        encoding="utf-8")
    app = make_app(scenario=str(scenario), seats="red=human,blue=hawk", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await provoke_a_crisis(app, pilot)
        assert isinstance(app.screen, CrisisScreen)
        assert str(app.screen.query_one("#crisis-cause").visual) == "起因：海上[b]险情[/b]。"  # shown literally
