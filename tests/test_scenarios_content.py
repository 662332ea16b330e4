"""The content Midnight ships: every built-in scenario loads, is fully bilingual, cites sources that
exist, and plays to the end with its own bots on several seeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from engine import load_game
from engine.play.loop import play_out
from engine.scenario.expressions import Expression
from engine.scenario.loading import builtin_scenario_ids, load_scenario
from engine.scenario.text import Text

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SHIPPED = ("trilateral-2026", "system-by-system", "tutorial")


def _walk(value, path: str) -> Iterator[tuple[str, object]]:
    """Every value inside an attrs model (and its tuples and mappings), with its path."""
    yield path, value
    if attrs.has(type(value)) and not isinstance(value, Text | Expression):
        for field in attrs.fields(type(value)):
            yield from _walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, tuple | list):
        for i, item in enumerate(value):
            label = getattr(item, "id", i)
            yield from _walk(item, f"{path}[{label}]")
    elif isinstance(value, dict) or (hasattr(value, "items") and not isinstance(value, str | Text)):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")


@pytest.fixture(scope="module", params=SHIPPED)
def scenario(request):
    return load_scenario(SCENARIOS / f"{request.param}.yaml")


def test_the_shipped_scenarios_are_built_in():
    assert set(SHIPPED) <= set(builtin_scenario_ids())


def test_scenario_loads_and_declares_both_languages(scenario):
    assert scenario.languages == ("en", "zh")
    assert scenario.id in SHIPPED


def test_every_player_facing_text_has_english_and_chinese(scenario):
    missing = [
        path
        for path, value in _walk(scenario, scenario.id)
        if isinstance(value, Text) and value.values and not {"en", "zh"} <= set(value.values)
    ]
    assert not missing, f"texts without both en and zh: {missing[:20]}"
    # ... and no required text is left empty where players see it.
    assert scenario.title.values and scenario.summary.values
    for actor in scenario.actors:
        assert {"en", "zh"} <= set(actor.name.values)
        assert {"en", "zh"} <= set(actor.brief.objectives.values), actor.id


def test_every_source_referenced_exists(scenario):
    known = {s.id for s in scenario.sources}
    referenced = {
        (path, value.source)
        for path, value in _walk(scenario, scenario.id)
        if attrs.has(type(value))
        and not isinstance(value, Expression)
        and "source" in attrs.fields_dict(type(value))
        and isinstance(value.source, str)
    }
    assert referenced, "a shipped scenario should cite its sources"
    unknown = [(path, ref) for path, ref in referenced if ref not in known]
    assert not unknown, unknown
    for source in scenario.sources:
        assert source.title and source.publisher and source.date, source.id


def test_every_move_and_agreement_belongs_to_a_known_system(scenario):
    systems = {s.id for s in scenario.systems}
    assert all(m.system in systems for m in scenario.moves)
    assert all(a.system in systems for a in scenario.agreements)


@pytest.mark.parametrize("scenario_id", SHIPPED)
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_seeded_bot_playouts_complete(scenario_id, seed):
    game = load_game(scenario_id)
    state, history = play_out(game, game.start(seed))
    assert state.outcome is not None
    assert history
    assert 0 <= state.clock <= game.scenario.clock.max


def test_trilateral_covers_every_system_of_the_brief():
    scenario = load_scenario(SCENARIOS / "trilateral-2026.yaml")
    systems = {s.id for s in scenario.systems}
    assert {"icbm", "slbm", "bombers", "nonstrategic", "missile_defence", "space", "testing", "novel",
            "command_control"} <= systems
    assert scenario.start_date == "2026-02-05" and scenario.turn_months == 3 and scenario.turns == 20
    assert scenario.clock.start == 85
    # every system has at least one move and one agreement
    for system in systems - {"policy"}:
        assert any(m.system == system for m in scenario.moves), system
        assert any(a.system == system for a in scenario.agreements), system


def test_trilateral_games_differ_across_seeds():
    game = load_game("trilateral-2026")
    endings = set()
    for seed in range(8):
        state, _ = play_out(game, game.start(seed))
        endings.add((state.outcome.termination.value, round(state.clock)))
    assert len(endings) >= 6


def test_system_by_system_has_one_system_per_round_and_can_widen():
    game = load_game("system-by-system")
    scenario = game.scenario
    assert all(len(item.systems) == 1 for item in scenario.agenda)
    assert scenario.agenda[0].systems == ("policy",)
    inactive = [a.id for a in scenario.actors if not a.active]
    assert set(inactive) == {"uk", "france"}
    widen = game.template("widen")
    assert {e.activate for e in widen.on_sign if e.activate} == {"uk", "france"}
    widened = 0
    for seed in range(10):
        state, _ = play_out(game, game.start(seed))
        widened += "uk" in state.active
    assert widened >= 1


def test_tutorial_has_hints_every_turn():
    scenario = load_scenario(SCENARIOS / "tutorial.yaml")
    assert 3 <= scenario.turns <= 4
    hinted = {e.turn for e in scenario.events if e.hint}
    assert set(range(1, scenario.turns + 1)) <= hinted


# Functions whose value depends on the party a condition is read for (`self`).
_READS_SELF = {"is_self", "party_to", "others_max", "others_min", "others_sum", "self_pair_avg"}


def _breach_problems(scenario) -> list[str]:
    """Why a template's breach condition does not read the party being checked: a breach is a
    party's own act, so `breach.when` may read the party's own tracks (`x.self`), global tracks and
    the parameters, never another actor's tracks by name, and must depend on the party at all
    (a condition on global tracks alone would find every party in breach at once)."""
    import re

    actors = {a.id for a in scenario.actors}
    problems = []
    for template in scenario.agreements:
        when = template.breach.when if template.breach else None
        if when is None:
            continue
        where = f"{scenario.id}: {template.id}.breach.when ({when.source})"
        for name in sorted(when.names):
            named = set(name.split(".")[1:]) & actors
            if named and not name.startswith("param."):
                problems.append(f"{where} reads {name}, a track of {', '.join(sorted(named))}")
        # An actor named in a function's argument, other than in is_self('...') (which gates on self).
        for match in re.finditer(r"(\w+)\s*\(\s*['\"](\w+)['\"]", when.source):
            if match.group(2) in actors and match.group(1) != "is_self":
                problems.append(f"{where} names {match.group(2)} in {match.group(1)}()")
        if not any(".self" in n for n in when.names) and not (when.functions & _READS_SELF):
            problems.append(f"{where} does not read the party checked (self): it holds for every party alike")
    return problems


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_breach_conditions_read_only_the_party_checked(scenario_id):
    assert _breach_problems(load_scenario(SCENARIOS / f"{scenario_id}.yaml")) == []


def test_the_breach_condition_check_finds_another_actors_tracks_and_world_only_conditions():
    from helpers import rules_game

    game = rules_game({'when: "warheads.self > param.limit"': 'when: "warheads.self > param.limit or warheads.blue > 900"'})
    (problem,) = _breach_problems(game.scenario)
    assert "reads warheads.blue, a track of blue" in problem
    game = rules_game({'when: "warheads.self > param.limit"': 'when: "party_to(\'cap\') and is_active(\'red\')"'})
    (problem,) = _breach_problems(game.scenario)
    assert "names red in is_active()" in problem
    game = rules_game({'when: "warheads.self > param.limit"': 'when: "norm > param.limit"'})
    (problem,) = _breach_problems(game.scenario)
    assert "holds for every party alike" in problem


def test_the_space_interceptor_limit_is_breached_only_by_the_shields_owner():
    game = load_game("trilateral-2026")
    state = game.start(0)
    slot = game.layout.slot("golden_dome", None, None)
    state = attrs.evolve(state, tracks=tuple(60.0 if i == slot else v for i, v in enumerate(state.tracks)))
    from engine.rules.work import Work

    work = Work(game, state)
    when = game.template("shield_limits").breach.when
    extra = work.memo.param_names({"ceiling": 30.0})
    assert [a for a in ("us", "russia", "china") if work.evaluate(when, a, None, extra, "test")] == ["us"]
