"""The Doomsday Clock as a judgement set on a schedule, and catastrophe from nuclear use only.

A scenario's clock may be set once a period (`clock.every` turns, or the turn that includes
`clock.month`), judging the period's mean risk and naming its largest risk factors; with
`midnight_ends: false` it never ends the game by itself, and `accidents` give nuclear use a
chance each turn, drawn from the game's seeded generator (docs/rules.md, docs/scenario-format.md).
"""

from __future__ import annotations

import attrs
import pytest

from engine import Game
from engine.play.loop import play_out
from engine.play.simulate import controllers_for
from engine.rules import events
from engine.rules.judgement import clock_set_on
from engine.rules.state import Phase, Termination
from engine.rules.work import Work
from engine.scenario.loading import ScenarioError, builtin_scenario_path, load_scenario, load_scenario_text

from helpers import RULES, crisis, decide, rules_game, skip_talks

ANNUAL = {'  change: "(risk - 20) / 2"\n': '  change: "(period_risk - 20) / 2 * period_turns"\n  every: 4\n  reasons: 2\n'}
ACCIDENT = 'shared_score: "clock"'


def play_quiet_turn(game: Game, state):
    """No proposals, no moves; every crisis backed down from."""
    turn = state.turn
    state = skip_talks(game, state)
    while not state.over and state.turn == turn:
        for seat in sorted(game.awaiting(state)):
            value = decide(seat) if state.phase is Phase.DECIDE else crisis(seat, "back_down")
            state, _ = game.apply(state, value)
    return state


def play_quietly(game: Game, seed: int = 0):
    state = game.start(seed)
    while not state.over:
        state = play_quiet_turn(game, state)
    return state


def with_accident(chance: str, patch: dict[str, str] | None = None, before: str = "") -> Game:
    """The rules fixture with an accident of this chance (and `before` its section: an aftermath)."""
    accident = (
        "accidents:\n"
        "  - id: false_alarm\n"
        "    label: {en: a false alarm acted on, zh: 根据虚假预警采取行动}\n"
        f'    chance: "{chance}"\n'
        "    text: {en: A false alarm is acted on., zh: 有人根据虚假预警采取了行动。}\n"
    )
    return rules_game({**(patch or {}), ACCIDENT: before + accident + ACCIDENT})


def bot_game(scenario: str, seed: int, lineup: dict[str, str] | None = None):
    game = Game(load_scenario(builtin_scenario_path(scenario)))
    state, _ = play_out(game, game.start(seed), controllers_for(game, lineup or {}))
    return game, state


# -- the schedule ----------------------------------------------------------------------------------

def test_the_shipped_scenarios_set_the_clock_in_january_as_the_bulletin_does():
    trilateral = load_scenario(builtin_scenario_path("trilateral-2026"))
    assert [t for t in range(1, trilateral.turns + 1) if clock_set_on(trilateral, t)] == [4, 8, 12, 16, 20]
    two_monthly = load_scenario(builtin_scenario_path("system-by-system"))  # rounds from March 2026
    assert [t for t in range(1, two_monthly.turns + 1) if clock_set_on(two_monthly, t)] == [6, 11]  # 11: the last round
    tutorial = load_scenario(builtin_scenario_path("tutorial"))  # not opted in: every turn
    assert all(clock_set_on(tutorial, t) for t in range(1, tutorial.turns + 1))


def test_an_annual_clock_moves_only_when_set_by_the_period_mean_risk():
    game = rules_game(ANNUAL)
    state = play_quietly(game)
    assessments = state.assessments
    assert [a.turn for a in assessments] == [1, 2, 3, 4, 5, 6]
    assert [a.turn for a in assessments if a.clock_change] == [4, 6]  # yearly, and the last turn
    assert assessments[2].clock == 85.0  # unmoved through the year's first quarters
    year = [a.risk for a in assessments[:4]]
    expected = (sum(year) / 4 - 20) / 2 * 4
    assert assessments[3].clock_change == pytest.approx(expected, abs=1e-5)
    assert assessments[3].clock == pytest.approx(85.0 - expected, abs=1e-5)
    assert assessments[4].clock == assessments[3].clock
    last = (sum(a.risk for a in assessments[4:]) / 2 - 20) / 2 * 2  # the last turn judges turns 5-6
    assert assessments[5].clock == pytest.approx(assessments[3].clock - last, abs=1e-5)


def test_a_clock_not_set_at_the_end_keeps_its_last_setting():
    state = play_quietly(rules_game({**ANNUAL, "  reasons: 2\n": "  reasons: 2\n  final: false\n"}))
    assert [a.turn for a in state.assessments if a.clock_change] == [4]
    assert state.clock == state.assessments[3].clock


def test_a_setting_names_the_periods_largest_risk_factors_in_every_language():
    game = rules_game(ANNUAL)
    state = play_quietly(game)
    setting, _final = [e for e in state.log if isinstance(e.event, events.ClockMoved)]
    year = [a.factors for a in state.assessments[:4]]
    means = {f: sum(row[f] for row in year) / 4 for f in year[0]}
    largest = sorted((f for f in means if means[f] > 0), key=lambda f: -means[f])[:2]
    assert list(setting.event.reasons) == largest
    assert "The judgement cites: " in setting.text.get("en")
    assert "Tension" in setting.text.get("en")
    assert setting.text.get("zh").startswith("末日时钟拨至距午夜")
    assert "评估列举的主要风险：" in setting.text.get("zh")
    between = [e for e in state.log if isinstance(e.event, events.RiskMeasured)]
    assert [e.turn for e in between] == [1, 2, 3, 5]
    assert between[0].event.next_setting == 4 and between[-1].event.next_setting == 6
    assert "升级风险" in between[0].text.get("zh")


def test_a_judgement_in_the_shipped_scenario_is_said_in_chinese_by_the_glossary():
    _, state = bot_game("trilateral-2026", 3)
    settings = [e for e in state.log if isinstance(e.event, events.ClockMoved)]
    assert settings and all(e.turn % 4 == 0 for e in settings)
    for entry in settings:
        zh = entry.text.get("zh")
        assert "末日时钟" in zh and "午夜" in zh and "评估列举的主要风险：" in zh
        assert not any(mark in zh for mark in ",:;()")
        assert len(entry.event.reasons) == 3
    assert settings[-1].turn == state.outcome.turn == 20


def test_the_old_quarterly_clock_remains_for_scenarios_that_do_not_opt_in():
    game = rules_game({'  change: "(risk - 20) / 2"': '  change: "1000"'})
    state = play_quiet_turn(game, game.start(0))
    assert state.over and state.outcome.termination is Termination.MIDNIGHT and state.outcome.catastrophe


def test_a_clock_that_is_only_a_judgement_never_ends_the_game():
    game = rules_game({'  change: "(risk - 20) / 2"': '  change: "1000"\n  midnight_ends: false\n  min: 10'})
    state = play_quietly(game)
    assert state.outcome.termination is Termination.LAST_TURN and not state.outcome.catastrophe
    assert state.clock == 10.0
    assert state.assessments[0].clock_change == 75.0  # as it moved, within min..max


@pytest.mark.parametrize("seed, lineup", [(7, {"us": "hawk"}), (21, {"us": "hawk", "russia": "hawk", "china": "hawk"})])
def test_the_issues_drifting_games_no_longer_reach_midnight_without_nuclear_use(seed, lineup):
    # Issue 14: these games ended at "midnight" with no crisis above Incident, by drift alone.
    _, state = bot_game("trilateral-2026", seed, lineup)
    outcome = state.outcome
    assert outcome.termination is not Termination.MIDNIGHT
    if outcome.catastrophe:
        assert outcome.termination is Termination.NUCLEAR_USE
    else:
        assert state.clock >= 10.0


# -- nuclear use by accident -----------------------------------------------------------------------

def test_a_certain_accident_ends_the_game_in_nuclear_use_naming_its_cause():
    game = with_accident("1")
    state = play_quiet_turn(game, game.start(0))
    outcome = state.outcome
    assert outcome.termination is Termination.NUCLEAR_USE and outcome.catastrophe
    assert outcome.condition == "false_alarm" and outcome.turn == 1
    assert state.clock == 0.0
    (accident,) = [e for e in state.log if isinstance(e.event, events.NuclearAccident)]
    assert accident.event.accident == "false_alarm" and accident.event.chance == 1.0
    assert accident.text.get("en") == "A false alarm is acted on."
    (over,) = [e for e in state.log if isinstance(e.event, events.GameOver)]
    assert over.event.condition == "false_alarm"
    assert "Nuclear use: a false alarm acted on" in over.text.get("en")
    assert "核武器被使用：根据虚假预警采取行动" in over.text.get("zh")


def test_an_impossible_accident_draws_nothing_so_the_game_is_as_without_it():
    plain = play_quietly(rules_game({'    chance: 0.0\n': '    chance: 0.5\n'}), seed=5)
    never = play_quietly(with_accident("0", {'    chance: 0.0\n': '    chance: 0.5\n'}), seed=5)
    assert [e.text.get("en") for e in never.log] == [e.text.get("en") for e in plain.log]


def test_accidents_are_drawn_from_the_seeded_generator():
    game = with_accident("0.2")
    endings = [play_quietly(game, seed) for seed in range(30)]
    again = [play_quietly(game, seed) for seed in range(30)]
    assert [(s.outcome.termination, s.outcome.turn) for s in endings] == [(s.outcome.termination, s.outcome.turn) for s in again]
    accidents = sum(s.outcome.condition == "false_alarm" for s in endings)
    assert 5 <= accidents <= 29  # 1 - 0.8^6 = 74 % of games: some, not all


def test_the_trilateral_chance_of_an_accident_grows_with_risk_and_alert():
    scenario = load_scenario(builtin_scenario_path("trilateral-2026"))
    assert {a.id for a in scenario.accidents} == {"false_alarm", "unauthorised_use"}
    game = Game(scenario)

    def chance(risk: float, alert_shift: float) -> float:
        state = game.start(0)
        work = Work(game, attrs.evolve(state, risk=risk))
        for slot in (game.layout.slot("alert", actor) for actor in ("us", "russia", "china")):
            work.tracks[slot] += alert_shift
        return sum(work.evaluate(a.chance) for a in scenario.accidents)

    assert 0 < chance(30, 0) < chance(60, 0) < chance(90, 0) < 0.02
    assert chance(60, 0) < chance(60, 30)


# -- the checks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("patch, message", [
    ({"  start: 85\n": "  start: 85\n  every: 4\n  month: 1\n"}, "give either every (turns) or month"),
    ({"  start: 85\n": "  start: 85\n  every: 7\n  final: false\n"}, "the clock is never set in 6 turns"),
    ({"  start: 85\n": "  start: 85\n  min: 90\n"}, "0 <= min <= start <= max"),
    ({"  start: 85\n": "  start: 85\n  month: 13\n"}, "clock month"),
    ({ACCIDENT: 'accidents:\n  - {id: oops, label: Oops, chance: "nonsense * 2"}\n' + ACCIDENT}, "nonsense"),
])
def test_a_scenario_with_a_bad_clock_or_accident_is_refused_saying_what_to_fix(patch, message):
    text = RULES.read_text(encoding="utf-8")
    for old, new in patch.items():
        text = text.replace(old, new, 1)
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text)
    assert message in str(caught.value)


def test_the_run_summary_and_the_report_name_the_accident(tmp_path, capsys):
    from debrief.report import report_text
    from midnight.cli import main

    text = RULES.read_text(encoding="utf-8").replace(ACCIDENT, (
        'accidents:\n  - {id: false_alarm, label: {en: a false alarm acted on, zh: 根据虚假预警采取行动}, chance: "1"}\n'
        + ACCIDENT))
    scenario, record = tmp_path / "accident.yaml", tmp_path / "game.yaml"
    scenario.write_text(text, encoding="utf-8")
    assert main(["run", str(scenario), "--seed", "1", "--quiet", "--record", str(record)]) == 0
    assert "Outcome: nuclear_use (a false alarm acted on) on turn 1 — CATASTROPHE" in capsys.readouterr().out
    page = report_text(record, scenario=str(scenario))
    assert "nuclear weapons were used: a false alarm acted on" in page
    assert "核武器被使用：根据虚假预警采取行动" in report_text(record, scenario=str(scenario), language="zh")


# -- the day after ---------------------------------------------------------------------------------

AFTERMATH = (
    "aftermath:\n  turns: 2\n  text: {en: The sky over a city turns white., zh: 一座城市上空一片惨白。}\n"
    "  effects:\n    - {track: tension, actor: all, other: all, delta: 30}\n"
)


def with_aftermath(turns: int = 2, chance: str = "0") -> Game:
    return with_accident(chance, before=AFTERMATH.replace("turns: 2", f"turns: {turns}"))


def play_turn(game: Game, state, provoke: bool = False):
    """No proposals; Red provokes a crisis if asked, in which both always escalate."""
    turn = state.turn
    state = skip_talks(game, state)
    while not state.over and state.turn == turn:
        for seat in sorted(game.awaiting(state)):
            if state.phase is Phase.DECIDE:
                value = decide(seat, "provoke") if provoke and seat == "red" else decide(seat)
            else:
                value = crisis(seat, "escalate")
            state, _ = game.apply(state, value)
    return state


def test_with_an_aftermath_an_accident_is_followed_by_the_day_after_then_catastrophe():
    game = with_aftermath(turns=2, chance="turn >= 2 ? 1 : 0")  # an accident in turn 2, and later too if drawn
    state = play_quietly(game)
    outcome = state.outcome
    assert outcome.termination is Termination.NUCLEAR_USE and outcome.catastrophe
    assert outcome.condition == "false_alarm" and outcome.turn == 4  # turns 3 and 4 played after it
    assert state.nuclear_use is not None and state.nuclear_use.turn == 2
    assert [a.clock for a in state.assessments[1:]] == [0.0, 0.0, 0.0]  # midnight has struck
    assert len([e for e in state.log if isinstance(e.event, events.NuclearAccident)]) == 1  # no draw after
    (began,) = [e for e in state.log if isinstance(e.event, events.AftermathBegan)]
    assert began.turn == 2 and began.event.turns == 2 and began.event.cause == "false_alarm"
    assert "The sky over a city turns white." in [e.text.get("en") for e in state.log]
    assert "核战后的第二天" in began.text.get("zh")
    assert [(e.turn, e.event.left) for e in state.log if isinstance(e.event, events.AftermathTurn)] == [(3, 1)]
    assert state.assessments[1].factors["tension"] + 15 == pytest.approx(state.assessments[2].factors["tension"])


def test_the_day_after_never_runs_past_the_last_turn():
    state = play_quietly(with_aftermath(turns=5, chance="turn == 5 ? 1 : 0"))
    assert state.outcome.turn == 6 and state.outcome.termination is Termination.NUCLEAR_USE
    state = play_quietly(with_aftermath(turns=5, chance="turn == 6 ? 1 : 0"))
    assert state.outcome.turn == 6 and not [e for e in state.log if isinstance(e.event, events.AftermathBegan)]


def test_a_crisis_at_the_top_begins_the_day_after_and_a_second_use_ends_it_at_once():
    game = with_aftermath(turns=3)
    state = play_turn(game, game.start(0), provoke=True)  # both escalate twice: the top rung
    assert not state.over and state.nuclear_use is not None and state.nuclear_use.cause is None
    assert state.crisis is None and state.clock == 0.0 and state.turn == 2
    state = play_turn(game, state, provoke=True)  # a second use
    assert state.over and state.outcome.turn == 2 and state.outcome.termination is Termination.NUCLEAR_USE
    assert state.outcome.catastrophe and state.outcome.condition is None


def test_without_an_aftermath_nuclear_use_ends_the_game_at_once():
    game = rules_game()
    state = play_turn(game, game.start(0), provoke=True)
    assert state.over and state.outcome.turn == 1 and state.outcome.termination is Termination.NUCLEAR_USE


def test_the_day_after_replays_from_its_record():
    from engine.play.records import Recorder, replay

    game = with_aftermath(turns=2, chance="turn == 3 ? 1 : 0")
    recorder = Recorder(game, 4, seats={s: "bot" for s in game.seats})
    state, _ = play_out(game, game.start(4), controllers_for(game, {}), observe=recorder.record)
    assert state.outcome.turn == 5 and state.nuclear_use is not None
    assert replay(game, recorder.to_record()).divergence is None


def test_every_seat_sees_how_many_turns_of_the_day_after_are_left():
    from engine.play.wire import view_to_wire

    game = with_aftermath(turns=3)
    state = game.start(0)
    assert game.view(state, "red").day_after_left is None
    state = play_turn(game, state, provoke=True)  # nuclear use in turn 1: turns 2, 3 and 4 follow
    assert state.turn == 2 and not state.over
    for seat in ("red", "blue", "spectator", "facilitator"):
        assert game.view(state, seat).day_after_left == 3
    assert view_to_wire(game.view(state, "blue"))["day_after_left"] == 3
    state = play_turn(game, state)
    assert game.view(state, "red").day_after_left == 2
    state = play_turn(game, play_turn(game, state))
    assert state.over and game.view(state, "red").day_after_left is None
