"""First-strike stability (engine/rules/stability.py) and the formula functions built on it.

The properties are the arms-control claims the core must carry by arithmetic alone: survivable
warheads stabilise, counterforce destabilises, a shield against a ragged retaliation lowers the
stability of its owner's pairs, symmetric forces give symmetric answers, and every answer is a
number in 0-1 whatever the input.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine.rules.stability import Force, cost_ratio, damage, stability_index, strike_costs
from engine.scenario.loading import ScenarioError, load_scenario_text

from helpers import RULES, apply_all, decide, rules_game, skip_talks, track

EPS = 1e-9  # rounding slack for "does not fall": a few ulps of a 0-1 figure

warheads = st.floats(0, 5000, allow_nan=False)
shares = st.floats(0, 1, allow_nan=False)
halves = st.floats(0, 2000, allow_nan=False)
systems = st.lists(st.tuples(warheads, shares), min_size=1, max_size=4)


@st.composite
def forces(draw) -> Force:
    return Force.of(draw(systems), draw(shares), draw(shares), draw(shares))


def with_system(force: Force, n: float, s: float) -> Force:
    return Force.of((*force.systems, (n, s)), force.counterforce, force.defence, force.warning)


def replace(force: Force, **changes: float) -> Force:
    return Force.of(force.systems, **{"counterforce": force.counterforce, "defence": force.defence,
                                      "warning": force.warning, **changes})


# ----------------------------------------------------------------------------- the arithmetic
def test_a_worked_exchange():
    # A: 1,000 warheads, half survivable; B: 400, a quarter survivable. Counterforce 0.8 each,
    # no defence, perfect warning, 100 warheads destroy half of what a state values.
    a = Force.of([(1000, 0.5)], counterforce=0.8)
    b = Force.of([(400, 0.25)], counterforce=0.8)
    # A strikes first: B keeps 400 - 0.8 * 300 = 160, all of which arrive; B strikes first: 400 arrive.
    assert strike_costs(a, b, 100) == pytest.approx((160 / 260, 400 / 500))
    assert cost_ratio(a, b, 100) == pytest.approx((160 / 260) / (400 / 500))
    # B strikes first: A keeps 1000 - 0.8 * 500 = 600; A strikes first: 1,000 arrive.
    assert cost_ratio(b, a, 100) == pytest.approx((600 / 700) / (1000 / 1100))
    assert stability_index(a, b, 100) == pytest.approx(cost_ratio(a, b, 100) * cost_ratio(b, a, 100))


def test_invulnerable_forces_are_perfectly_stable_and_a_disarmable_one_is_not():
    survivable = Force.of([(500, 1.0)], counterforce=1.0)
    assert stability_index(survivable, survivable, 100) == 1.0
    silos = Force.of([(500, 0.0)], counterforce=1.0)
    assert stability_index(silos, silos, 100) == 0.0  # whoever strikes first suffers nothing


@settings(max_examples=300)
@given(forces(), forces(), halves, warheads, shares)
def test_more_survivable_retaliatory_warheads_never_lower_stability(a, b, half, extra, survivable_share):
    # Warheads that survive any counterforce strike (share 1), added to either side's force.
    # (From no force at all to some is another matter: a rival with nothing threatens nothing.)
    assume(a.total() > 0 and b.total() > 0)
    before = stability_index(a, b, half)
    assert stability_index(a, with_system(b, extra, 1.0), half) >= before - EPS
    assert stability_index(with_system(a, extra, 1.0), b, half) >= before - EPS
    # ... and a system's survivability raised from some share to 1 never lowers it either.
    assert stability_index(a, with_system(b, extra, 1.0), half) >= stability_index(
        a, with_system(b, extra, survivable_share), half) - EPS


@settings(max_examples=300)
@given(forces(), forces(), halves, shares)
def test_more_counterforce_never_raises_stability(a, b, half, more):
    stronger = replace(a, counterforce=a.counterforce + (1 - a.counterforce) * more)
    assert stability_index(stronger, b, half) <= stability_index(a, b, half) + EPS


@settings(max_examples=300)
@given(forces(), forces(), halves, shares)
def test_better_warning_and_command_never_lower_stability(a, b, half, more):
    surer = replace(b, warning=b.warning + (1 - b.warning) * more)
    assert stability_index(a, surer, half) >= stability_index(a, b, half) - EPS


@settings(max_examples=300)
@given(forces(), forces(), halves, shares)
def test_a_shield_never_raises_the_stability_of_its_owners_pairs(a, b, half, shield):
    shielded = replace(a, defence=shield)
    assert stability_index(shielded, b, half) <= stability_index(replace(a, defence=0.0), b, half) + EPS


def test_a_shield_against_a_ragged_retaliation_lowers_the_rivals_stability():
    # The US-like side fields a shield that stops half of a small, ragged retaliation. Its first
    # strike now costs it far less, being struck first hardly less: the pair is less stable, and
    # the rival's worst pair (what it fears) is this one.
    us = Force.of([(1500, 0.7)], counterforce=0.7, warning=0.9)
    rival = Force.of([(600, 0.35)], counterforce=0.5, warning=0.8)
    without = stability_index(us, rival, 100)
    shielded = replace(us, defence=0.5)
    with_shield = stability_index(shielded, rival, 100)
    assert with_shield < without - 0.05
    # The shield helps its owner little if it is struck first (saturated by a full strike) ...
    first_before, second_before = strike_costs(us, rival, 100)
    first_after, second_after = strike_costs(shielded, rival, 100)
    assert second_before - second_after < 0.05
    # ... and a lot if it strikes first: that gap is the rival's fear.
    assert first_before - first_after > 2 * (second_before - second_after)
    # The rival's own ratio is untouched: the index falls through the shield's owner's incentive.
    assert cost_ratio(rival, shielded, 100) == cost_ratio(rival, us, 100)


@settings(max_examples=300)
@given(forces(), halves)
def test_symmetric_forces_give_symmetric_results(a, half):
    assert cost_ratio(a, a, half) == cost_ratio(a, a, half)
    assert stability_index(a, a, half) == pytest.approx(cost_ratio(a, a, half) ** 2, abs=1e-12)


@settings(max_examples=300)
@given(forces(), forces(), halves)
def test_the_index_does_not_depend_on_who_is_named_first(a, b, half):
    assert stability_index(a, b, half) == pytest.approx(stability_index(b, a, half), abs=1e-12)


big = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1e308, -1e308]))


@settings(max_examples=300)
@given(st.lists(st.tuples(big, big), max_size=3), big, big, big, st.lists(st.tuples(big, big), max_size=3), big)
def test_any_input_gives_a_finite_answer_in_0_1(systems_a, cf, d, w, systems_b, half):
    a = Force.of(systems_a, cf, d, w)
    b = Force.of(systems_b, w, cf, d)
    for value in (stability_index(a, b, half), cost_ratio(a, b, half), *strike_costs(a, b, half)):
        assert math.isfinite(value) and 0.0 <= value <= 1.0
    assert 0.0 <= damage(cf, half) <= 1.0


def test_no_warheads_on_either_side_is_stable_not_an_error():
    empty = Force.of([], counterforce=1.0)
    assert stability_index(empty, empty, 100) == 1.0
    # A side with no warheads disarms no one, and has nothing to lose to a first strike.
    assert stability_index(empty, Force.of([(100, 0)], counterforce=1), 100) == 1.0


# ---------------------------------------------------------------------- the formula functions
FACTOR = "- {id: crisis, label: Crisis, value: \"crisis_risk\"}"


def stability_game(formula: str):
    return rules_game({FACTOR: FACTOR + f"\n    - {{id: stability, label: Stability, value: \"{formula}\"}}"})


def factor_after_a_turn(game, name="stability") -> float:
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red"), decide("blue"))
    return state.assessments[-1].factors[name]


def test_the_formula_functions_read_the_tracks_of_each_pair():
    # Red has 1,000 warheads, blue 800 (the fixture); survivability 40 for both, counterforce from
    # `security` (50 each), no defence, warning 90.
    game = stability_game("strike_stability_min(100, 'security', 0, 90, 'warheads', 40) * 1000")
    red = Force.of([(1000, 0.4)], 0.5, 0.0, 0.9)
    blue = Force.of([(800, 0.4)], 0.5, 0.0, 0.9)
    assert factor_after_a_turn(game) == pytest.approx(round(stability_index(red, blue, 100) * 1000, 6))
    assert 0 < factor_after_a_turn(game) < 1000


def test_average_and_self_agree_with_the_least_stable_pair_when_there_is_one_pair():
    args = "100, 'security', 'norm', 90, 'warheads', 40, 50, 10"
    values = {fn: factor_after_a_turn(stability_game(f"{fn}({args}) * 1000"))
              for fn in ("strike_stability_min", "strike_stability_avg")}
    assert values["strike_stability_min"] == values["strike_stability_avg"]
    # self_strike_stability, read for each actor by an each_turn effect (secret_stock is 0-100)
    each_turn = "each_turn:\n  - {track: budget, delta: 2}"
    game = rules_game({each_turn: each_turn + f"\n  - {{track: secret_stock, set: \"self_strike_stability({args}) * 100\"}}"})
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red"), decide("blue"))
    for actor in ("red", "blue"):
        assert track(game, state, f"secret_stock.{actor}") == pytest.approx(values["strike_stability_min"] / 10, abs=1e-5)
    # the norm (a global track, 80) is everyone's defence: the pair is less stable than without it
    no_shield = "strike_stability_min(100, 'security', 0, 90, 'warheads', 40, 50, 10) * 1000"
    no_defence = factor_after_a_turn(stability_game(no_shield))
    assert values["strike_stability_min"] < no_defence


def test_self_strike_stability_needs_an_actor():
    game = stability_game("self_strike_stability(100, 0, 0, 100, 'warheads', 50)")
    with pytest.raises(Exception, match="needs an actor"):
        factor_after_a_turn(game)


def problems_after(old: str, new: str) -> list[str]:
    text = RULES.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text.replace(old, new, 1).encode(), filename="rules.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("strike_stability_min(100, 0, 0, 100, 'warheadz', 50)", "no actor or global track 'warheadz' (did you mean"),
        ("strike_stability_avg(100, 0, 0, 100, 'warheads', 'tension')", "no actor or global track 'tension'"),
        ("strike_stability_min(100, 0, 0, 100, 'warheads')", "takes at least 6 arguments, but 5 were given"),
        ("strike_stability_min(100, 0, 0, 100, 'warheads', 50, 10)", "(7 given)"),
        ("strike_stability_min('warheads', 0, 0, 100, 'warheads', 50)", "its first argument is a number"),
    ],
)
def test_a_misused_stability_function_is_an_error_at_load(formula, expected):
    problems = problems_after(FACTOR, FACTOR + f"\n    - {{id: stability, label: Stability, value: \"{formula}\"}}")
    assert any(expected in p for p in problems), problems


def test_the_scenario_loads_with_every_argument_a_number_or_a_track():
    game = stability_game("strike_stability_avg(0, 100, 0, 100, 100, 0) * 10")
    assert factor_after_a_turn(game) == 0.0  # two disarmable forces: striking first spares everything
