"""Semantic checks of scenarios: dangling references and misused names, each positioned."""

from __future__ import annotations

import pytest

from engine.scenario.loading import ScenarioError, load_scenario_text

from helpers import RULES


def problems_after(old: str, new: str) -> list[str]:
    text = RULES.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text.replace(old, new, 1).encode(), filename="rules.yaml")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("system: arms\n    cost: 2", "system: armz\n    cost: 2", "unknown system 'armz' (did you mean 'arms'?)"),
        ("{track: warheads, delta: 100}", "{track: warhead, delta: 100}", "unknown track 'warhead'"),
        ("{track: warheads, delta: 100}", "{track: warheads}", "exactly one of 'delta' or 'set'"),
        ("actor: self, other: blue, delta: -20", "actor: self, other: bleu, delta: -20", "unknown actor selector 'bleu'"),
        ("pair_avg('tension')", "pair_avg('tensions')", "pair_avg('tensions'): no pair track 'tensions'"),
        ("total('warheads')", "total('tension')", "total('tension'): no actor track 'tension'"),
        ("played('test')", "played('tset')", "played('tset'): no move 'tset' (did you mean 'test'?)"),
        ("requires: \"tension.self.blue > 30\"", "requires: \"tension.self > 30\"", "pair track 'tension' is written"),
        ("requires: \"tension.self.blue > 30\"", "requires: \"tension.self.blue\"", "a condition must be true or false"),
        ("value: \"(80 - norm) * 0.5\"", "value: \"(80 - warheads.self) * 0.5\"", "'self' has no meaning here"),
        ("moves: [build]", "moves: [buidl]", "unknown move 'buidl'"),
        ("{turn: 2, systems: [talks]}", "{turn: 9, systems: [talk]}", "turn 9 is outside 1..6"),
        ("budget_track: budget", "budget_track: norm", "must be the id of an actor track"),
        ("id: green", "id: others", "'others' is a reserved word"),
        ("{id: made-up, title", "{id: made-up2, title", "unknown source 'made-up'"),
        ("system: arms, source: made-up}", "system: arms, source: made-up, sources: {red: made-upp}}",
         "unknown source 'made-upp'"),
        ("system: arms, source: made-up}", "system: arms, source: made-up, sources: {rde: made-up}}",
         "unknown actor 'rde'"),
        ("initial: 80}", "initial: 80, sources: {red: made-up}}", "only an actor track has a figure per actor"),
    ],
)
def test_a_semantic_mistake_is_reported_at_its_place(old, new, expected):
    problems = problems_after(old, new)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("rules.yaml:") for p in problems)


def test_every_problem_is_reported_at_once():
    text = RULES.read_text(encoding="utf-8")
    text = text.replace("system: arms\n    cost: 2", "system: armz\n    cost: 2").replace("played('test')", "played('tset')")
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text.encode(), filename="rules.yaml")
    assert len(caught.value.problems) == 2
