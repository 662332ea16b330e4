"""What-if branches: a record's state at any turn as a new game, and bot continuations from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.play.branch import BranchError, Change, branch_point, branch_record, branch_turns, opening
from engine.play.loop import play_out
from engine.play.records import (
    Recorder,
    digest,
    dump_record,
    read_record,
    record_game,
    replay,
    write_record,
)
from engine.play.simulate import Batch, ScenarioSource, run_batch
from engine.play.table import Session
from engine.scenario.converter import LoadError
from midnight.cli import main

from helpers import RULES, rules_game

GAME = rules_game()
SEATS = {"red": "bot:reciprocator", "blue": "bot:reciprocator", "green": "bot:reciprocator"}


def recorded(seed: int):
    state, history = play_out(GAME, GAME.start(seed))
    return record_game(GAME, seed, history, SEATS), state


RECORDS = {seed: recorded(seed)[0] for seed in (1, 5, 9)}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the scenario and a record of it (seed 5), as `midnight run --record` writes them."""
    shutil.copy(RULES, tmp_path / "rules.yaml")
    assert main(["run", str(tmp_path / "rules.yaml"), "--seed", "5", "--record", str(tmp_path / "game.yaml"),
                 "--quiet"]) == 0
    return tmp_path


def one_error_line(capsys, *words: str) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- branches replay to the source's digests ---------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(seed=st.sampled_from(sorted(RECORDS)), data=st.data())
def test_a_branch_replays_to_the_source_digests_up_to_the_branch_point(seed, data):
    source = RECORDS[seed]
    first, last, _ = branch_turns(GAME, source, "game.yaml")
    turn = data.draw(st.integers(first, last), label="turn")
    point = branch_point(GAME, source, "game.yaml", turn)
    branch = read_record(dump_record(branch_record(point, SEATS)).encode())
    result = replay(GAME, branch)
    assert result.divergence is None
    assert [t.after.digest for t in branch.turns if t.after] == [t.after.digest for t in source.turns[: turn - 1]]
    assert digest(GAME, result.final) == point.digest == branch.branched_from.digest
    assert result.final.turn == turn and not result.final.over
    # The branch's state is the source's at that point: the same digest as the source's turn before.
    if turn > 1:
        assert point.digest == source.turns[turn - 2].after.digest


def test_an_ordinary_record_is_still_format_1_and_a_branch_is_format_2():
    source = RECORDS[5]
    text = dump_record(source)
    assert "midnight_record: 1\n" in text and "branched_from" not in text
    branch = dump_record(branch_record(branch_point(GAME, source, "game.yaml", 3), SEATS))
    assert "midnight_record: 2\n" in branch
    assert "branched_from:\n  record: game.yaml\n  turn: 3\n  digest: blake2b:" in branch


@pytest.mark.parametrize(("old", "new", "words"), [
    ("midnight_record: 2", "midnight_record: 1", "format 2"),
    ("midnight_record: 2", "midnight_record: 3", "format 3 is not supported"),
    ("  turn: 3\n  digest", "  turn: 0\n  digest", "between 1 and"),
])
def test_a_branch_with_a_wrong_format_is_refused_with_a_line_naming_it(old, new, words):
    text = dump_record(branch_record(branch_point(GAME, RECORDS[5], "game.yaml", 3), SEATS))
    assert old in text
    with pytest.raises(LoadError) as caught:
        read_record(text.replace(old, new, 1).encode())
    assert words in str(caught.value)


def test_a_format_2_record_without_branched_from_is_refused():
    text = dump_record(RECORDS[5]).replace("midnight_record: 1", "midnight_record: 2")
    with pytest.raises(LoadError, match="one without it format 1"):
        read_record(text.encode())


def test_a_branch_whose_digest_was_edited_diverges_at_the_branch_turn():
    text = dump_record(branch_record(branch_point(GAME, RECORDS[5], "game.yaml", 4), SEATS))
    line = next(x for x in text.splitlines() if x.startswith("  digest: blake2b:"))
    result = replay(GAME, read_record(text.replace(line, "  digest: blake2b:000000000000000000000000", 1).encode()))
    assert result.divergence is not None
    assert (result.divergence.turn, result.divergence.field) == (4, "branched_from.digest")


def test_a_branch_missing_turns_before_its_point_diverges():
    branch = branch_record(branch_point(GAME, RECORDS[5], "game.yaml", 4), SEATS)
    import attrs

    cut = attrs.evolve(branch, turns=branch.turns[:2])
    result = replay(GAME, read_record(dump_record(cut).encode()))
    assert result.divergence is not None and result.divergence.field == "branched_from.turn"


# -- a branch is a save: play it on -------------------------------------------------------------


def test_a_resumed_branch_plays_on_and_its_saves_keep_where_it_came_from(tmp_path):
    point = branch_point(GAME, RECORDS[5], "game.yaml", 3)
    branch = branch_record(point, {"red": "bot", "blue": "bot:hawk", "green": "bot"})
    path = tmp_path / "branch.yaml"
    write_record(path, branch)
    session = Session.resume(GAME, read_record(path), path)
    assert session.state.turn == 3 and digest(GAME, session.state) == point.digest
    session.run_bots()
    assert session.state.over
    session.save()
    saved = read_record(path)
    assert saved.branched_from == branch.branched_from and saved.complete
    result = replay(GAME, saved)
    assert result.divergence is None
    # It is a game of its own: the blue hawk played it on where the source's reciprocator did not.
    assert [t.inputs for t in saved.turns[:2]] == [t.inputs for t in RECORDS[5].turns[:2]]
    assert saved.turns[2:] != RECORDS[5].turns[2:]


def test_recorder_resume_carries_a_branch_on(tmp_path):
    branch = branch_record(branch_point(GAME, RECORDS[1], "game.yaml", 2), SEATS)
    recorder, state = Recorder.resume(GAME, branch)
    assert recorder.to_record().branched_from == branch.branched_from
    assert recorder.to_record().midnight_record == 2


# -- the command -------------------------------------------------------------------------------


def test_branch_writes_a_branch_that_verifies_against_its_source(folder, capsys):
    out = folder / "what-if.yaml"
    assert main(["branch", str(folder / "game.yaml"), "--turn", "3", "--out", str(out), "--seats", "red=human"]) == 0
    said = capsys.readouterr().out
    assert "at the start of turn 3" in said and "--resume" in said
    branch = read_record(out)
    assert branch.seats["red"] == "human" and branch.seats["blue"] == "bot:reciprocator"
    assert branch.branched_from is not None and branch.branched_from.record == "game.yaml"
    assert branch.scenario.file == "rules.yaml"
    assert main(["replay", str(out), "--verify"]) == 0
    said = capsys.readouterr().out
    assert "reproduced exactly up to turn 3" in said and "the source is here and agrees" in said


def test_replay_of_a_branch_whose_source_was_replaced_fails(folder, capsys):
    out = folder / "what-if.yaml"
    assert main(["branch", str(folder / "game.yaml"), "--turn", "3", "--out", str(out)]) == 0
    assert main(["run", str(folder / "rules.yaml"), "--seed", "9", "--record", str(folder / "game.yaml"),
                 "--quiet"]) == 0
    capsys.readouterr()
    assert main(["replay", str(out), "--verify"]) == 1
    one_error_line(capsys, "the source there")


def test_replay_of_a_branch_away_from_its_source_says_what_it_checked(folder, tmp_path_factory, capsys):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(folder / "rules.yaml", elsewhere / "rules.yaml")
    out = elsewhere / "what-if.yaml"
    assert main(["branch", str(folder / "game.yaml"), "--turn", "2", "--out", str(out)]) == 0
    capsys.readouterr()
    # The scenario file lies outside this folder too: named on the command line, as for any record.
    assert main(["replay", str(out), "--verify", "--scenario", str(elsewhere / "rules.yaml")]) == 0
    assert "checked against the digest the branch records" in capsys.readouterr().out


def test_branch_refuses_a_record_that_does_not_verify(folder, capsys):
    game = folder / "game.yaml"
    text = game.read_text()
    line = next(x for x in text.splitlines() if x.startswith("      clock:"))
    game.write_text(text.replace(line, "      clock: 1.5", 1))
    out = folder / "b.yaml"
    assert main(["branch", str(game), "--turn", "3", "--out", str(out)]) == 1
    one_error_line(capsys, "does not verify", "DIVERGED at turn 1")
    assert not out.exists()


@pytest.mark.parametrize(("argv", "words"), [
    (["--turn", "0"], ("--turn 0", "turns 1 to 6")),
    (["--turn", "7"], ("--turn 7", "turns 1 to 6")),
    (["--turn", "2", "--seats", "purple=human"], ("--seats", "no seat 'purple'", "red, blue, green")),
    (["--turn", "2", "--seats", "red=humn"], ("--seats", "no player 'humn'", "did you mean 'human'")),
])
def test_branch_refuses_bad_arguments_with_one_line(folder, capsys, argv, words):
    out = folder / "b.yaml"
    assert main(["branch", str(folder / "game.yaml"), "--out", str(out), *argv]) == 1
    one_error_line(capsys, *words)
    assert not out.exists()


# -- continuations -----------------------------------------------------------------------------


SOURCE = ScenarioSource(RULES.read_bytes(), str(RULES))


def source_game():
    game = SOURCE.load()
    return game, read_record(dump_record(RECORDS[5]).encode())


def test_continuations_pin_the_turn_as_played_and_differ_after_it():
    game, record = source_game()
    point = branch_point(game, record, "game.yaml", 1)
    batch = Batch(SOURCE, {}, 0, opening(point))
    played = [batch.play(i)[1] for i in range(6)]
    turn_one = [dict(e) for e in point.inputs_of_turn()]
    for history in played:
        first = [dict(p.input) for p in history if p.turn == 1 and p.phase != "crisis"]
        assert first == turn_one  # the turn's talks and decisions as the record has them
    assert len({tuple(repr(p.input) for p in h) for h in played}) > 1  # chance and bots differ after it


def test_a_change_replaces_the_seats_decision_and_nothing_before_it():
    game, record = source_game()
    point = branch_point(game, record, "game.yaml", 1)
    assert [v["moves"] for v in point.inputs_of_turn("red") if v["kind"] == "decide"] == [["test"]]
    batch = Batch(SOURCE, {}, 0, opening(point, [Change.parse("red:-test,+reassure")]))
    history = batch.play(0)[1]
    decided = [p.input["moves"] for p in history if p.turn == 1 and p.input["kind"] == "decide" and p.input["seat"] == "red"]
    assert decided == [["reassure"]]
    start = batch.opening.start(game, 0).state if batch.opening else None
    assert start is not None and digest(game, start) == point.digest


def test_continuations_are_the_same_on_one_process_or_two_and_alone():
    game, record = source_game()
    point = branch_point(game, record, "game.yaml", 2)
    batch = Batch(SOURCE, {}, 40, opening(point))
    one = run_batch(batch, 12, jobs=1)
    two = run_batch(batch, 12, jobs=2)
    assert one == two
    # A game played alone, after others in this process, is the game the batch played.
    assert batch.play(7)[0] == one[7]
    assert one[7].seed == 47


@pytest.mark.parametrize(("text", "words"), [
    ("red:+nonsense", "'nonsense' is not a move of red in turn 1"),
    ("red:-hide", "red did not choose 'hide' in turn 1 (it chose: test)"),
    ("purple:bot", "no seat 'purple'"),
    ("red", "write SEAT:-MOVE"),
    ("red:moves=test,build,hide", "not a legal decision for red in turn 1"),
])
def test_a_change_that_is_not_a_legal_choice_is_refused(text, words):
    game, record = source_game()
    point = branch_point(game, record, "game.yaml", 1)
    with pytest.raises(BranchError) as caught:
        opening(point, [Change.parse(text)])
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_change_at_a_turn_where_the_seat_made_no_decision_is_refused():
    game, record = source_game()
    last = branch_turns(game, record, "game.yaml")[1]
    point = branch_point(game, record, "game.yaml", last)
    silent = next((s for s in game.seats if not point.inputs_of_turn(s)), None)
    if silent is None:
        pytest.skip("every seat decided in the last turn of this record")
    with pytest.raises(BranchError, match=f"{silent} made no decision in turn {last}"):
        opening(point, [Change.parse(f"{silent}:moves=")])


def test_simulate_from_prints_the_counterfactual_table(folder, capsys):
    argv = ["simulate", "--from", str(folder / "game.yaml"), "--turn", "1", "--change", "red:-test",
            "--runs", "30", "--jobs", "1", "--compare"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "from the start of turn 1" in out
    assert "as played" in out and "red:-test" in out and "difference (paired, same seeds)" in out
    assert "As played, Red decided in turn 1: test" in out and "Changed: Red decides no move" in out
    assert "30 continuations per row" in out


def test_simulate_from_json_has_both_rows(folder, capsys):
    import json

    assert main(["simulate", "--from", str(folder / "game.yaml"), "--turn", "2", "--runs", "8", "--jobs", "1",
                 "--change", "red:bot", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["from"]["turn"] == 2 and report["as_played"]["summary"]["runs"] == 8
    assert report["changed"]["decisions"] == {"red": "bot"} and report["difference"]["pairs"] == 8


@pytest.mark.parametrize(("argv", "words"), [
    (["--turn", "9"], ("--turn 9", "turns 1 to 6")),
    (["--turn", "1", "--change", "red:+nonsense"], ("--change red:+nonsense", "not a move of red")),
    (["--turn", "1", "--change", "purple:-test"], ("no seat 'purple'",)),
    (["--turn", "1", "--seats", "purple=hawk"], ("--seats", "no seat 'purple'")),
    ([], ("--from needs --turn",)),
    (["--turn", "1", "--compare"], ("--compare with --from needs",)),
])
def test_simulate_from_refuses_bad_arguments_with_one_line(folder, capsys, argv, words):
    assert main(["simulate", "--from", str(folder / "game.yaml"), "--runs", "2", "--jobs", "1", *argv]) == 1
    one_error_line(capsys, *words)


def test_simulate_from_refuses_a_record_that_does_not_verify(folder, capsys):
    game = folder / "game.yaml"
    text = game.read_text()
    line = next(x for x in text.splitlines() if x.strip().startswith("risk:"))
    game.write_text(text.replace(line, "      risk: 99.5", 1))
    assert main(["simulate", "--from", str(game), "--turn", "2", "--runs", "2", "--jobs", "1"]) == 1
    one_error_line(capsys, "does not verify")


def test_turn_and_change_need_from(capsys):
    assert main(["simulate", str(RULES), "--turn", "3", "--runs", "2"]) == 1
    one_error_line(capsys, "--turn needs --from")


@pytest.mark.parametrize("named", ["../game.yaml", "/etc/passwd.yaml", "sub/../../game.yaml", "game.txt", "x" * 5000])
def test_a_branch_never_looks_for_its_source_outside_its_folder(folder, capsys, named):
    """`branched_from.record` is untrusted: whatever it says, only the branch's folder is looked in."""
    out = folder / "inner" / "what-if.yaml"
    out.parent.mkdir()
    shutil.copy(folder / "rules.yaml", out.parent / "rules.yaml")
    assert main(["branch", str(folder / "game.yaml"), "--turn", "3", "--out", str(out)]) == 0
    text = out.read_text()
    written = read_record(out).branched_from
    assert written is not None
    out.write_text(text.replace(f"  record: {written.record}\n", f"  record: '{named}'\n", 1))
    capsys.readouterr()
    assert main(["replay", str(out), "--verify", "--scenario", str(out.parent / "rules.yaml")]) == 0
    said = capsys.readouterr().out.splitlines()[-1]
    assert "the source is not in the branch's folder: checked against the digest the branch records" in said
    assert len(said) < 400


def test_every_turn_of_a_trilateral_game_branches_to_the_source_digests():
    """The shipped scenario (talks, agreements, crises): a branch at each turn replays exactly."""
    from engine import load_game

    game = load_game("trilateral-2026")
    state, history = play_out(game, game.start(7))
    source = read_record(dump_record(record_game(game, 7, history, {})).encode())
    first, last, states = branch_turns(game, source, "game.yaml")
    assert (first, last) == (1, len(source.turns))
    for turn in sorted({first, 2, 7, 13, last}):  # every turn is the rules fixture's property test's job
        point = branch_point(game, source, "game.yaml", turn)
        branch = read_record(dump_record(branch_record(point, {})).encode())
        result = replay(game, branch)
        assert result.divergence is None, turn
        assert [digest(game, s) for s in result.states] == [digest(game, s) for s in states[:turn]]


# -- hostile branch sections: any mutation is a clean refusal or a divergence, never a crash ---------

BRANCH_TEXT = dump_record(branch_record(branch_point(GAME, RECORDS[9], "game.yaml", 3), SEATS))
ODD_VALUES = (st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.floats()
              | st.text(max_size=12) | st.lists(st.integers(), max_size=3)
              | st.dictionaries(st.text(max_size=5), st.integers(), max_size=3))


@settings(max_examples=40, deadline=None)
@given(key=st.sampled_from(["record", "turn", "digest", "played", None, "midnight_record"]), value=ODD_VALUES)
def test_no_mutation_of_a_branch_section_crashes_replay_or_the_source_check(tmp_path_factory, key, value):
    import yaml

    from engine import MidnightError
    from engine.play.branch import check_source

    data = yaml.safe_load(BRANCH_TEXT)
    if key is None:
        data["branched_from"] = value
    elif key == "midnight_record":
        data[key] = value
    else:
        data["branched_from"][key] = value
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "branch.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    try:
        record = read_record(path)
        result = replay(GAME, record)
        if result.divergence is None:
            check_source(GAME, record, path)
    except MidnightError as error:  # LoadError and RecordError among them: a message, not a traceback
        assert str(error)


def test_what_if_is_the_report_as_data_for_other_front_ends():
    from engine.play.branch import what_if

    game, record = source_game()
    point = branch_point(game, record, "game.yaml", 2)
    report, a, b = what_if(SOURCE, point, [Change.parse("red:moves=")], runs=6, base_seed=3)
    assert [r.seed for r in a] == [r.seed for r in b or ()] == list(range(3, 9))
    assert report["from"] == {"record": "game.yaml", "seed": 5, "turn": 2, "digest": point.digest,
                              "clock": point.state.clock, "risk": point.state.risk}
    assert report["changed"]["decisions"] == {"red": []} and report["difference"]["pairs"] == 6
    alone, _, none = what_if(SOURCE, point, runs=2)
    assert none is None and "changed" not in alone and alone["as_played"]["summary"]["runs"] == 2
    other, _, bots = what_if(SOURCE, point, runs=2, lineup_b={"blue": "hawk"})
    assert bots is not None and other["changed"]["seats"]["blue"] == "bot:hawk"


# -- a changed seat that plays otherwise: the others' recorded inputs give way where they no longer apply

TRILATERAL = ScenarioSource.from_ref("trilateral-2026")


def trilateral_record(seed: int):
    game = TRILATERAL.load()
    state, history = play_out(game, game.start(seed))
    return game, read_record(dump_record(record_game(game, seed, history, {})).encode())


TRILATERAL_RECORDS = {seed: trilateral_record(seed) for seed in (7, 15)}


def test_a_seat_played_by_its_bot_does_not_break_the_answers_recorded_to_it(tmp_path, capsys):
    """Seed 15, turn 16: the United States countered Russia's proposal (no. 30) and Russia accepted
    the counter (no. 31). When the US bot plays the turn and does not counter, no. 31 does not
    exist: Russia's recorded answer no longer applies and its bot answers instead."""
    record = tmp_path / "g15.yaml"
    assert main(["run", "trilateral-2026", "--seed", "15", "--record", str(record), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["simulate", "--from", str(record), "--turn", "16", "--change", "us:bot", "--runs", "10"]) == 0
    assert "failed" not in capsys.readouterr().out


@settings(max_examples=12, deadline=None)
@given(seed=st.sampled_from(sorted(TRILATERAL_RECORDS)), data=st.data())
def test_no_continuation_fails_whatever_seat_its_bot_plays_or_decision_is_changed(seed, data):
    from engine.play.branch import recorded_decision, what_if

    game, record = TRILATERAL_RECORDS[seed]
    first, last, _ = branch_turns(game, record, "game.yaml")
    turn = data.draw(st.integers(min_value=first, max_value=last), label="turn")
    point = branch_point(game, record, "game.yaml", turn)
    seat = data.draw(st.sampled_from(game.seats), label="seat")
    decided = recorded_decision(point, seat)
    if decided is None:
        return  # the turn has no decision of this seat to change
    kinds = ["bot", "moves="] + [f"-{move}" for move in decided]
    change = Change.parse(f"{seat}:{data.draw(st.sampled_from(kinds), label='change')}")
    report, as_played, changed = what_if(TRILATERAL, point, [change], runs=4)
    assert [r.error for r in as_played] == [None] * 4
    assert [r.error for r in changed or ()] == [None] * 4, change
