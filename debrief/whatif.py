"""The report's counterfactual table (`midnight report --what-if RUNS`): from the start of a turn,
many bot continuations as played, and as changed (`--change`), and how often each ends in
catastrophe. The engine's branches and batch runs do the work (engine/play/branch.py,
engine/play/simulate.py, docs/branches.md); this only chooses the turns and keeps the figures.

It is the facilitator's: continuations play on from the whole state, secrets included.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from engine import Game
from engine.errors import MidnightError
from engine.play.branch import BranchPoint, Change, branch_turns, opening
from engine.play.records import Record, digest
from engine.play.simulate import Batch, ScenarioSource, compare, run_batch, summarize

MAX_RUNS = 100_000


@dataclass(frozen=True)
class Rate:
    """How a batch of continuations ended: the catastrophe rate with its 95% interval, the mean final clock."""

    runs: int
    rate: float
    low: float
    high: float
    clock: float


@dataclass(frozen=True)
class WhatIfRow:
    turn: int
    clock: float  # at the start of the turn
    played: Rate
    changed: Rate | None = None
    changes: tuple[str, ...] = ()
    difference: tuple[float, float, float] | None = None  # changed - played: mean, low, high (paired)


def _rate(summary: dict) -> Rate:
    cat = summary["catastrophe"]
    clock = summary["clock"].get("mean", math.nan) if summary["clock"] else math.nan
    return Rate(summary["runs"] - summary["errors"], cat["rate"], cat["low"], cat["high"], clock)


def _check(results, turn: int, how: str) -> None:
    """A continuation that failed makes the rates wrong: refuse, naming the first failure."""
    failed = [r for r in results if r.error]
    if failed:
        raise MidnightError(f"{len(failed)} of {len(results)} continuations from turn {turn}{how} failed "
                            f"(first: {failed[0].error})")


def what_if(game: Game, record: Record, record_path: str, scenario_ref: str, turns: Sequence[int], runs: int,
            changes: Sequence[str] = (), jobs: int = 1, base_seed: int = 0) -> list[WhatIfRow]:
    """A row per turn: `runs` continuations from its start as played, and changed by `changes`
    (`SEAT:-MOVE` …, as `midnight simulate --change`; only with one turn). Raises MidnightError
    (one line) for a turn out of range, a change that is not a legal decision, bad runs."""
    if not 1 <= runs <= MAX_RUNS:
        raise MidnightError(f"--what-if {runs}: give the number of continuations per turn, 1 to {MAX_RUNS}")
    if changes and len(turns) != 1:
        raise MidnightError("--change needs one --turn: the turn whose decision it changes")
    parsed = [Change.parse(text) for text in changes]
    first, last, states = branch_turns(game, record, record_path)
    source = ScenarioSource.from_ref(scenario_ref)
    rows = []
    for turn in turns:
        if not first <= turn <= last:
            raise MidnightError(f"--turn {turn}: {record_path} can be continued from the start of turns {first} to {last}")
        state = states[turn - 1]
        point = BranchPoint(game, record, record_path, turn, state, digest(game, state), first, last)
        played = Batch(source, {}, base_seed, opening(point))
        results = run_batch(played, runs, jobs)
        _check(results, turn, "")
        row = WhatIfRow(turn, state.clock, _rate(summarize(results, game)))
        if parsed:
            changed = Batch(source, {}, base_seed, opening(point, parsed))
            other = run_batch(changed, runs, jobs)
            _check(other, turn, f" with {', '.join(map(str, parsed))}")
            cat = compare(results, other)["catastrophe"]
            row = WhatIfRow(turn, state.clock, row.played, _rate(summarize(other, game)), tuple(str(c) for c in parsed),
                            (cat["mean"], cat.get("low", math.nan), cat.get("high", math.nan)))
        rows.append(row)
    return rows
