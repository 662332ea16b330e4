"""Batch simulation: reproducible games, correct figures, CSV/JSON output, comparisons."""

from __future__ import annotations

import csv
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.play.records import read_record, replay
from engine.play.simulate import (
    EXACT_LIMIT,
    SKETCH_ACCURACY,
    Batch,
    GameResult,
    Moments,
    ScenarioSource,
    Spread,
    compare,
    mean_ci,
    quartiles,
    run_batch,
    summarize,
    wilson,
)
from engine.scenario.loading import scenario_content_hash
from midnight.cli import main

from helpers import RULES
from test_bots import TAGS

TAGGED = RULES.read_text(encoding="utf-8")
for _old, _new in TAGS.items():
    TAGGED = TAGGED.replace(_old, _new)


@pytest.fixture(scope="module")
def source():
    return ScenarioSource(TAGGED.encode(), "tagged-rules.yaml")


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "tagged.yaml"
    path.write_text(TAGGED, encoding="utf-8")
    return path


def result(index, catastrophe=False, clock=50.0, agreements=None, peaks=(), scores=None, shared=None):
    return GameResult(index=index, seed=index, termination="midnight" if catastrophe else "last_turn",
                      catastrophe=catastrophe, turn=6, clock=clock, min_clock=clock, risk=10.0, max_risk=20.0,
                      agreements=agreements or {}, crisis_peaks=tuple(peaks), scores=scores or {"red": 1.0},
                      shared=clock if shared is None else shared, inputs=30)


# -- statistics ------------------------------------------------------------------------------------


def test_wilson_interval_matches_the_textbook():
    low, high = wilson(10, 100)
    assert low == pytest.approx(0.0552, abs=1e-4) and high == pytest.approx(0.1744, abs=1e-4)
    assert wilson(0, 20)[0] == 0.0 and 0.15 < wilson(0, 20)[1] < 0.17
    assert wilson(0, 0) == (0.0, 1.0)


def test_a_summary_of_a_tiny_hand_made_batch():
    results = [
        result(0, clock=10.0, agreements={"arms": 1}, peaks=(0, 2), scores={"red": 1.0, "blue": 4.0}),
        result(1, catastrophe=True, clock=0.0, peaks=(3,), scores={"red": 3.0, "blue": 2.0}),
        result(2, clock=40.0, agreements={"arms": 2, "talks": 1}, scores={"red": 5.0, "blue": 0.0}),
        result(3, clock=30.0, scores={"red": 7.0, "blue": 2.0}),
    ]
    s = summarize(results)
    assert s["runs"] == 4 and s["errors"] == 0
    assert s["catastrophe"]["count"] == 1 and s["catastrophe"]["rate"] == 0.25
    assert (s["catastrophe"]["low"], s["catastrophe"]["high"]) == wilson(1, 4)
    assert s["terminations"] == {"last_turn": 3, "midnight": 1}
    assert s["clock"]["mean"] == 20.0 and s["clock"]["median"] == 20.0
    assert s["clock"]["q1"] == 7.5 and s["clock"]["q3"] == 32.5
    assert s["agreements"]["arms"] == {"per_game": 0.75, "games_with": 0.5}
    assert s["agreements"]["talks"] == {"per_game": 0.25, "games_with": 0.25}
    assert s["crises"]["per_game"]["mean"] == 0.75 and s["crises"]["games_with"] == 0.5
    assert s["crises"]["peaks"]["2"]["games_reaching"] == 0.5  # games 0 and 1 reached rung 2 or more
    assert s["crises"]["peaks"]["3"]["crises_peaking_here"] == 1
    assert s["scores"]["red"]["mean"] == 4.0
    assert s["scores"]["red"]["low"] == pytest.approx(4.0 - 1.959964 * math.sqrt(20 / 3) / 2, abs=1e-5)


def test_quartiles_and_means_of_one_value():
    assert quartiles([3.0]) == {"mean": 3.0, "min": 3.0, "q1": 3.0, "median": 3.0, "q3": 3.0, "max": 3.0}
    assert mean_ci([2.0])["mean"] == 2.0 and mean_ci([])["n"] == 0


def test_compare_pairs_games_by_index():
    a = [result(i, catastrophe=i < 2, clock=10.0 * i) for i in range(4)]
    b = [result(i, catastrophe=False, clock=10.0 * i + 5) for i in range(4)]
    d = compare(a, b)
    assert d["pairs"] == 4
    assert d["catastrophe"]["a"] == 0.5 and d["catastrophe"]["b"] == 0.0 and d["catastrophe"]["mean"] == -0.5
    assert d["clock"]["mean"] == 5.0 and d["clock"]["low"] == d["clock"]["high"] == 5.0  # every pair +5


# -- figures that stream: the same as from the whole list, in bounded memory -----------------------

FLOATS = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False) | st.integers(-50, 50).map(lambda i: i / 8)


@settings(max_examples=200, deadline=None)
@given(st.lists(FLOATS | st.just(math.nan), max_size=60), st.randoms(use_true_random=False))
def test_moments_give_mean_ci_bit_for_bit_in_any_order(values, random):
    moments = Moments()
    shuffled = list(values)
    random.shuffle(shuffled)
    for value in shuffled:
        moments.add(value)
    expected = mean_ci(values)
    assert moments.ci().keys() == expected.keys()
    for key, value in moments.ci().items():
        assert value == expected[key] or (math.isnan(value) and math.isnan(expected[key])), key


@settings(max_examples=200, deadline=None)
@given(st.lists(FLOATS, max_size=80))
def test_a_spread_gives_the_lists_quartiles_bit_for_bit(values):
    spread = Spread()
    for value in values:
        spread.add(value)
    assert spread.exact and spread.summary() == quartiles(values)


def test_past_its_exact_limit_a_spread_keeps_bounded_buckets_within_its_accuracy():
    import random

    chance = random.Random(3)
    values = [round(chance.uniform(0.0, 200.0), 6) for _ in range(EXACT_LIMIT * 4)]
    values += [0.0] * 500  # midnight: the clock at zero
    spread = Spread()
    for value in values:
        spread.add(value)
    assert not spread.exact
    got, exact = spread.summary(), quartiles(values)
    assert (got["min"], got["max"], got["mean"]) == (exact["min"], exact["max"], exact["mean"])
    for key in ("q1", "median", "q3"):
        assert got[key] == pytest.approx(exact[key], rel=2 * SKETCH_ACCURACY)
    buckets = len(spread._buckets or {})
    for value in values:  # as many values again take no more buckets: memory does not grow with games
        spread.add(value)
    assert len(spread._buckets or {}) == buckets < EXACT_LIMIT * 4


def test_a_paired_tally_zero_fills_a_system_first_signed_late():
    a = [result(i, agreements={"arms": 1} if i == 3 else {}) for i in range(4)]
    b = [result(i) for i in range(4)]
    d = compare(a, b)
    assert d["agreements"]["arms"]["n"] == 4 and d["agreements"]["arms"]["a"] == 0.25
    assert d["agreements"]["arms"]["mean"] == mean_ci([0.0, 0.0, 0.0, -1.0])["mean"]


# -- batches ---------------------------------------------------------------------------------------


def test_a_batch_is_reproducible_and_the_same_on_one_process_or_two(source):
    batch = Batch(source, {"red": "hawk", "blue": "dove"}, base_seed=100)
    one = run_batch(batch, 12, jobs=1)
    two = run_batch(batch, 12, jobs=2)
    assert one == two
    assert [r.seed for r in one] == list(range(100, 112))
    again, _ = batch.play(5)
    assert again == one[5]


def test_progress_is_reported_up_to_the_total(source):
    seen = []
    run_batch(Batch(source), 5, jobs=1, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5) and all(total == 5 for _, total in seen)


def test_a_batch_result_agrees_with_its_game(source):
    batch = Batch(source, {"red": "hawk"}, 0)
    (first,) = run_batch(batch, 1)
    game = source.load()
    _, history = batch.play(0)
    from engine.play.records import record_game

    record = record_game(game, 0, history)
    assert record.result["clock"] == first.clock
    assert record.result["catastrophe"] == first.catastrophe
    assert dict(record.result["scores"]) == dict(first.scores)
    assert first.inputs == len(history)


# -- the command -----------------------------------------------------------------------------------


def test_simulate_prints_a_summary(scenario_file, capsys):
    assert main(["simulate", str(scenario_file), "--runs", "20", "--seats", "red=hawk,blue=dove", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert "20 games, seeds 0..19" in out and "Seats: red=hawk, blue=dove" in out
    assert "Catastrophe (midnight or nuclear use):" in out and "95% CI" in out
    assert "Final clock" in out and "Agreements signed, by system" in out and "highest rung reached" in out
    assert "Scores (mean, 95% CI):" in out


def test_simulate_writes_one_csv_row_per_game_and_json(scenario_file, tmp_path, capsys):
    out_csv = tmp_path / "games.csv"
    assert main(["simulate", str(scenario_file), "--runs", "8", "--seed", "3", "--jobs", "1",
                 "--out", str(out_csv), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == 8 and [int(r["seed"]) for r in rows] == list(range(3, 11))
    assert {"catastrophe", "clock", "agreements_arms", "crises", "peak_rung", "score_red", "shared"} <= set(rows[0])
    summary = report["summary"]
    assert report["runs"] == 8 and report["base_seed"] == 3
    assert summary["catastrophe"]["count"] == sum(int(r["catastrophe"]) for r in rows)
    assert summary["clock"]["mean"] == pytest.approx(sum(float(r["clock"]) for r in rows) / 8)
    assert report["scenario"]["hash"] == scenario_content_hash(TAGGED.encode())


def test_simulate_records_a_game_that_replays(scenario_file, tmp_path, capsys, source):
    record_path = tmp_path / "game3.yaml"
    assert main(["simulate", str(scenario_file), "--runs", "5", "--jobs", "1", "--seats", "red=parity-seeker",
                 "--record-run", "3", str(record_path)]) == 0
    assert "game 3 (seed 3) recorded" in capsys.readouterr().out
    record = read_record(record_path)
    assert record.seed == 3 and record.seats["red"] == "bot:parity-seeker"
    game = source.load()
    assert replay(game, record).divergence is None
    assert main(["replay", str(record_path), "--verify", "--scenario", str(scenario_file)]) == 0


def test_simulate_compares_two_lineups_on_the_same_seeds(scenario_file, tmp_path, capsys):
    out_csv = tmp_path / "both.csv"
    assert main(["simulate", str(scenario_file), "--runs", "30", "--jobs", "2", "--seats", "red=hawk,blue=hawk",
                 "--compare", "red=dove,blue=dove", "--out", str(out_csv)]) == 0
    out = capsys.readouterr().out
    assert "A: red=hawk, blue=hawk" in out and "B: red=dove, blue=dove" in out
    assert "B - A, paired on the same 30 seeds" in out and "catastrophe rate" in out
    rows = list(csv.DictReader(out_csv.open()))
    assert [r["lineup"] for r in rows] == ["A"] * 30 + ["B"] * 30


def test_simulate_compares_two_scenario_variants(scenario_file, tmp_path, capsys):
    variant = tmp_path / "variant.yaml"
    variant.write_text(TAGGED.replace('change: "(risk - 20) / 2"', 'change: "(risk - 40) / 2"'), encoding="utf-8")
    assert main(["simulate", str(scenario_file), "--runs", "20", "--jobs", "1", "--json",
                 "--compare-scenario", str(variant)]) == 0
    report = json.loads(capsys.readouterr().out)
    diff = report["difference"]
    assert diff["pairs"] == 20
    assert diff["clock"]["mean"] > 0 and diff["clock"]["low"] > 0  # a slower clock: clearly later


@pytest.mark.parametrize("argv, message", [
    (["--runs", "0"], "--runs must be 1 or more"),
    (["--seats", "red=hawkk"], "no persona 'hawkk'"),
    (["--seats", "purple=hawk"], "no seat 'purple'"),
    (["--record-run", "9", "x.yaml", "--runs", "5"], "game 9 is not in this batch"),
])
def test_simulate_user_errors(scenario_file, capsys, argv, message):
    assert main(["simulate", str(scenario_file), "--jobs", "1", *argv]) == 1
    assert message in capsys.readouterr().err


def test_bot_games_leave_no_reference_cycles():
    # Batch runs play thousands of games: every object a game makes must be freed as soon as it
    # is dropped. A cycle (a Work and the namespaces pointing back at it, say) would be left to
    # the garbage collector, whose passes then cost every later game.
    import gc

    from engine.bots import persona_names
    from engine.play.simulate import Batch, ScenarioSource

    source = ScenarioSource.from_ref("trilateral-2026")
    personas = persona_names()
    game = source.load()
    batches = [
        Batch(source, {seat: personas[(i + k) % len(personas)] for i, seat in enumerate(game.seats)})
        for k in range(len(personas))
    ]
    batches[0].play(0)  # the game's memos fill on first use; they are meant to stay
    gc.collect()
    gc.disable()
    try:
        for index, batch in enumerate(batches):
            batch.play(index)
        assert gc.collect() == 0
    finally:
        gc.enable()
