"""The Doomsday Clock as a judgement: when it is set, and the record of the period it judges.

The Bulletin of the Atomic Scientists sets its clock once a year, in January, from the state of
the world over the year; between statements the world changes and the clock does not. A scenario
says how often its clock is set (`clock.every` turns, or each turn that includes `clock.month`);
the change formula reads the period since the last setting through the names below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.scenario.arithmetic import left_sum
from engine.scenario.models import clock_set_on

if TYPE_CHECKING:
    from engine.rules.work import Work
    from engine.scenario.models import Scenario

__all__ = ["clock_set_on", "last_setting", "mean_factors", "period_factors", "period_risk", "period_max_risk", "period_turns"]


def last_setting(scenario: Scenario, turn: int) -> int:
    """The last turn before `turn` at which the clock was set (0: none, the game's start)."""
    return next((t for t in range(turn - 1, 0, -1) if clock_set_on(scenario, t)), 0)


def period_risks(work: Work) -> list[float]:
    """Risk in each turn since the clock was last set, this turn's (as measured so far) last."""
    since = last_setting(work.scenario, work.turn)
    risks = [a.risk for a in work.assessments if since < a.turn < work.turn and a.risk is not None]
    return [*risks, work.risk]


def period_factors(work: Work) -> dict[str, float]:
    """Each risk factor's mean over the turns since the clock was last set (this turn's included,
    once it is assessed): the record a setting judges."""
    since = last_setting(work.scenario, work.turn)
    return mean_factors([a.factors for a in work.assessments if since < a.turn <= work.turn])


def mean_factors(rows: list[Mapping[str, float]]) -> dict[str, float]:
    """Each risk factor's mean over `rows` (the factors of each turn of a period), added left to
    right; the debrief reads a past period's record with it too."""
    if not rows:
        return {}
    return {factor: left_sum(row.get(factor, 0.0) for row in rows) / len(rows) for factor in rows[-1]}


def period_risk(work: Work) -> float:
    risks = period_risks(work)
    return left_sum(risks) / len(risks)  # left to right: the same game on every Python (3.12's sum() is compensated)


def period_max_risk(work: Work) -> float:
    return max(period_risks(work))


def period_turns(work: Work) -> float:
    return float(len(period_risks(work)))
