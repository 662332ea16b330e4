"""The table layer a workshop server drives: timers as data (time is an input), fallbacks at the
deadline, the facilitator's actions, undo by replay, and the record written as inputs are accepted."""

from __future__ import annotations

import pytest

from engine import FACILITATOR, Game, IllegalInput
from engine.play.records import read_record, replay
from engine.play.table import BOT, HUMAN, NO_MOVE, Table, Timer


@pytest.fixture(scope="module")
def game():
    return Game.load("trilateral-2026")


def table(game, tmp_path, **options) -> Table:
    seats = options.pop("seats", {"us": "team", "russia": "team", "china": "hawk"})
    return Table(game, 7, seats, record_path=tmp_path / "table.yaml", **options)


def test_timer_is_data_and_time_an_input():
    timer = Timer(remaining=60)
    assert not timer.running and timer.left(1000) == 60
    running = timer.start(10)
    assert running.deadline == 70 and running.left(40) == 30 and not running.expired(69)
    assert running.expired(70)
    paused = running.pause(40)
    assert paused.remaining == 30 and not paused.expired(10_000)
    assert paused.extend(15, 50).remaining == 45
    assert running.extend(15, 20).deadline == 85


def test_deadline_gives_the_bot_or_no_move_and_logs_it(game, tmp_path):
    t = table(game, tmp_path, phase_seconds=60, fallbacks={"russia": NO_MOVE})
    t.start_timer(0)
    assert t.expire(59) == []
    assert t.state.turn == 1 and t.state.phase.value == "propose"
    fallen = t.expire(60)
    assert fallen == ["us", "russia"]
    texts = [e.text.get("en") for e in t.entries if e.kind == "fallback"]
    assert any("United States's bot" in text for text in texts)
    assert any("Russia made no move" in text for text in texts)
    # Russia's no move is an empty proposal in the record; the US bot's input has its reason.
    record = read_record(tmp_path / "table.yaml")
    inputs = [dict(i) for i in record.turns[-1].inputs]
    assert {"seat": "russia", "kind": "propose", "offers": []} in inputs
    # The next round has a fresh deadline from the time the last one ran out.
    assert t.timer.deadline == 120


def test_input_after_the_deadline_is_refused(game, tmp_path):
    t = table(game, tmp_path, phase_seconds=30)
    t.start_timer(0)
    with pytest.raises(IllegalInput, match="deadline has passed"):
        t.act("us", {"kind": "propose", "offers": []}, 31)


def test_a_seat_acts_only_for_itself_and_only_when_a_team_plays_it(game, tmp_path):
    t = table(game, tmp_path)
    with pytest.raises(IllegalInput, match="plays us, not russia"):
        t.act("us", {"seat": "russia", "kind": "propose", "offers": []}, 0)
    with pytest.raises(IllegalInput, match="bot"):
        t.act("china", {"kind": "propose", "offers": []}, 0)
    with pytest.raises(IllegalInput, match="facilitator"):
        t.act("us", {"kind": "inject", "event": "putin_offer"}, 0)
    t.act("us", {"kind": "propose", "offers": []}, 0)
    assert "us" in t.submitted()


def test_each_accepted_input_is_in_the_record_at_once(game, tmp_path):
    t = table(game, tmp_path)
    t.act("us", {"kind": "propose", "offers": []}, 0)
    inputs = read_record(tmp_path / "table.yaml").inputs()
    assert {"seat": "us", "kind": "propose", "offers": []} in inputs
    assert len(inputs) == t.inputs_played()


def test_inject_and_adjust_go_into_log_and_record_with_reasons(game, tmp_path):
    t = table(game, tmp_path)
    t.inject("putin_offer", "the room wanted it", 0)
    slot = next(o for o in game.options(t.state, FACILITATOR).tracks if o.actor == "us")
    with pytest.raises(IllegalInput, match="reason"):
        t.adjust(slot.track, slot.min, "  ", 0, actor=slot.actor, other=slot.other)
    t.adjust(slot.track, slot.min, "adjudicated by control", 0, actor=slot.actor, other=slot.other)
    record = read_record(tmp_path / "table.yaml")
    entries = [dict(i) for turn in record.turns for i in turn.inputs]
    assert {"seat": "facilitator", "kind": "inject", "event": "putin_offer", "why": "the room wanted it"} in entries
    assert any(e.get("kind") == "adjust" and e.get("reason") == "adjudicated by control" for e in entries)
    assert any("the room wanted it" in e.text.get("en") for e in t.entries)
    assert any("adjudicated by control" in str(e.text) for e in t.view_for(FACILITATOR).log)
    assert replay(game, record).divergence is None


def test_undo_drops_the_turns_inputs_and_replays(game, tmp_path):
    t = table(game, tmp_path, seats={"us": "team", "russia": "bot", "china": "bot"})
    start = t.state
    while t.state.turn == 1:
        seat = t.next_human()
        assert seat is not None
        t.act(seat, _bot_input(t, seat), 0)
    played_turn_2 = t.state
    assert played_turn_2.turn == 2
    dropped = t.undo("the US misread the brief", 0)
    assert dropped > 0
    assert t.state == start  # the start of turn 1 again, the bots' first inputs replayed alike
    assert any("misread the brief" in e.text.get("en") for e in t.entries if e.kind == "undo")
    record = read_record(tmp_path / "table.yaml")
    assert all(turn.turn == 1 for turn in record.turns) and replay(game, record).divergence is None
    with pytest.raises(IllegalInput, match="reason"):
        t.undo("", 0)


def test_hand_a_seat_to_a_bot_and_back(game, tmp_path):
    t = table(game, tmp_path, seats={"us": "team", "russia": "bot", "china": "bot"})
    t.hand_over("us", BOT, 0)
    assert t.state.turn > 1 or t.state.over  # with no team left the bots play on at once
    assert t.seats["us"] == BOT and read_record(tmp_path / "table.yaml").seats["us"] == BOT
    t2 = table(game, tmp_path, seats={"us": "team", "russia": "team", "china": "bot"})
    t2.hand_over("russia", "dove", 0)
    t2.hand_over("russia", "team", 0)
    assert t2.seats["russia"] == HUMAN
    with pytest.raises(IllegalInput, match="no player"):
        t2.hand_over("russia", "nobody", 0)


def test_messages_reach_only_their_seat(game, tmp_path):
    t = table(game, tmp_path)
    t.message("Russia: see me at the break", to="russia")
    t.message("Ten minutes left")
    assert [e.text.get("zh") for e in t.entries_for("us") if e.kind == "message"] == ["Ten minutes left"]
    assert len([e for e in t.entries_for("russia") if e.kind == "message"]) == 2
    assert len([e for e in t.entries_for(FACILITATOR) if e.kind == "message"]) == 2
    with pytest.raises(IllegalInput):
        t.message("", to="russia")


def test_pause_stops_seats_and_clock_and_end_closes_the_table(game, tmp_path):
    t = table(game, tmp_path, phase_seconds=60)
    t.start_timer(0)
    t.pause(10)
    assert t.timer.remaining == 50 and t.expire(1000) == []
    with pytest.raises(IllegalInput, match="paused"):
        t.act("us", {"kind": "propose", "offers": []}, 20)
    t.go_on(100)
    assert t.timer.deadline == 150
    t.end("time for the debrief")
    with pytest.raises(IllegalInput, match="ended"):
        t.act("us", {"kind": "propose", "offers": []}, 101)


def test_resume_reopens_every_accepted_input(game, tmp_path):
    t = table(game, tmp_path)
    t.act("us", {"kind": "propose", "offers": []}, 0)
    t.inject("putin_offer", "why not", 0)
    record = read_record(tmp_path / "table.yaml")
    again = Table.resume_table(game, record, tmp_path / "table.yaml")
    assert again.state == t.state and again.inputs_played() == t.inputs_played()
    assert again.seats == t.seats


def _bot_input(t: Table, seat: str) -> dict:
    from engine.play.loop import default_controller

    value, _ = default_controller(t.game, seat).act(t.game, t.state, seat)
    return value


def test_the_record_written_after_each_input_is_dump_record_exactly(game, tmp_path):
    """The table keeps finished turns' text so each write is quick: the file must still be exactly
    what dump_record writes, input after input, through an undo."""
    from engine.play.records import dump_record

    t = table(game, tmp_path, seats={"us": "team", "russia": "bot", "china": "bot"})
    undone = False
    while not t.state.over:
        seat = t.next_human()
        assert seat is not None
        t.act(seat, _bot_input(t, seat), 0)
        record = t.recorder.to_record()
        assert t.record_text(record) == dump_record(record)
        if t.state.turn == 4 and not undone:
            t.undo("check the cache after an undo", 0)
            undone = True
            record = t.recorder.to_record()
            assert t.record_text(record) == dump_record(record)
    assert replay(game, read_record(tmp_path / "table.yaml")).divergence is None


def test_phase_lengths_come_from_the_scenario_unless_given(tmp_path):
    from pathlib import Path

    from engine.scenario.loading import load_scenario_text

    text = (Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    timers = "  talk_rounds: 2\n  phase_seconds: {propose: 300, decide: 600}\neach_turn"
    text = text.replace("  talk_rounds: 2\neach_turn", timers)
    timed = Game(load_scenario_text(text.encode(), filename="timed.yaml"))
    assert Table(timed, 1, record_path=tmp_path / "a.yaml").phase_seconds == {"propose": 300, "decide": 600}
    assert Table(timed, 1, record_path=tmp_path / "b.yaml", phase_seconds=90).phase_seconds["decide"] == 90


@pytest.mark.parametrize("bad, says", [("{lunch: 30}", "no phase 'lunch'"), ("{decide: 0}", "1 to 86400 seconds"),
                                       ("{decide: fast}", "expected a number")])
def test_a_scenario_phase_length_that_makes_no_sense_is_refused_with_its_position(bad, says):
    from pathlib import Path

    from engine.scenario.loading import ScenarioError, load_scenario_text

    text = (Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    text = text.replace("  talk_rounds: 2\neach_turn", f"  talk_rounds: 2\n  phase_seconds: {bad}\neach_turn")
    with pytest.raises(ScenarioError, match=says) as error:
        load_scenario_text(text.encode(), filename="timed.yaml")
    assert "timed.yaml:" in str(error.value) and "decisions.phase_seconds" in str(error.value)


def test_the_tables_own_lines_are_in_every_language_of_the_game(game, tmp_path):
    """The table's log (fallbacks, the facilitator's acts) speaks the game's languages, as its log
    does; a facilitator's message and reasons stay as typed; the facilitator is 导调员 in Chinese."""
    t = table(game, tmp_path, phase_seconds=60, fallbacks={"russia": NO_MOVE})
    t.start_timer(0)
    t.expire(60)
    t.pause(61)
    t.go_on(62)
    t.inject("putin_offer", "", 63)
    t.message("十分钟后休会")
    chinese = [e.text.get("zh") for e in t.entries]
    english = [e.text.get("en") for e in t.entries]
    assert "开始计时：本阶段 60 秒。" in chinese and "The clock runs: 60 seconds for this phase." in english
    assert any(line.startswith("时间到：") and "俄罗斯" in line for line in chinese)
    assert "导调员暂停了游戏。" in chinese and "游戏继续。" in chinese
    injected = game.events["putin_offer"].title
    assert f"导调员导调“{injected.get('zh')}”：未说明理由" in chinese
    assert f"The facilitator injected '{injected.get('en')}': no reason given" in english
    assert chinese[-1] == english[-1] == "十分钟后休会"
    t.language = "zh"
    assert t.name(FACILITATOR) == "导调员"


def test_the_facilitator_ends_the_exercise_and_the_record_is_a_finished_game(game, tmp_path):
    """'End' is the engine's `end` input: the game is over at once, scored as it stands, and its
    record replays and reports like any finished game (it used to stay an unfinished save)."""
    from debrief.report import report_text
    from engine import Termination

    t = table(game, tmp_path, seats={"us": "team", "russia": "bot", "china": "bot"})
    while t.state.turn < 3:
        seat = t.next_human()
        t.act(seat, _bot_input(t, seat), 0)
    t.end("time for the debrief", 5)
    outcome = t.state.outcome
    assert outcome is not None and outcome.termination is Termination.ENDED and not outcome.catastrophe
    assert set(outcome.scores) == {"us", "russia", "china"} and outcome.turn == 3
    assert "The facilitator ends the exercise: time for the debrief" in [str(e.text) for e in t.state.log]
    record = read_record(tmp_path / "table.yaml")
    assert record.complete and record.result["termination"] == "ended"
    assert replay(game, record).divergence is None
    with pytest.raises(IllegalInput):
        t.end("again", 6)
    report = report_text(tmp_path / "table.yaml", fmt="md")
    assert "the facilitator ended the exercise" in report and "still in progress" not in report


def test_only_the_facilitator_may_end_the_game(game):
    state = game.start(1)
    with pytest.raises(IllegalInput, match="only the facilitator"):
        game.apply(state, {"seat": "us", "kind": "end"})
    over, _ = game.apply(state, {"seat": "facilitator", "kind": "end"})
    assert over.over and over.outcome.termination.value == "ended"
    assert "no reason given" in str(over.log[-2].text)
