"""Bots: deterministic, blind to hidden state, legal, explained, and each persona recognisable."""

from __future__ import annotations

from collections import Counter

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.bots import BotContext, bot_for, persona_names
from engine.bots.base import OptionsOnDemand
from engine.bots.personas import PERSONAS
from engine.play.loop import BotController, play_out
from engine.rules.state import Phase
from engine.scenario.loading import ScenarioError

from helpers import apply_all, crisis, decide, rules_game, skip_talks

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The rules fixture with move tags, as a scenario author would write them, and random crises.
TAGS = {
    "    label: Build warheads\n": "    label: Build warheads\n    tags: [buildup]\n",
    "    label: Hide a stockpile\n": "    label: Hide a stockpile\n    tags: [buildup]\n",
    "    label: Test a weapon\n": "    label: Test a weapon\n    tags: [test]\n",
    "    label: Reassure\n": "    label: Reassure\n    tags: [restraint]\n",
    "    label: Provoke\n": "    label: Provoke\n    tags: [escalatory]\n",
    "    chance: 0.0\n": "    chance: 0.25\n",
}
HOSTILE = {"build", "hide", "test", "provoke"}


def tagged_game():
    return rules_game(TAGS)


@pytest.fixture(scope="module")
def game():
    return tagged_game()


def play(game, seed, red, blue, weights=None):
    controllers = {"red": BotController(red, (weights or {}).get("red", {})),
                   "blue": BotController(blue, (weights or {}).get("blue", {}))}
    return play_out(game, game.start(seed), controllers)


def choice(game, state, seat, persona, weights=None):
    return BotController(persona, weights or {}).act(game, state, seat)


# -- the framework -------------------------------------------------------------------------------


def test_the_six_personas_are_there():
    assert {"hawk", "dove", "reciprocator", "parity-seeker", "cautious", "random"} <= set(persona_names())


def test_an_unknown_persona_is_refused_with_a_suggestion():
    with pytest.raises(ValueError, match="did you mean 'hawk'"):
        bot_for("hawkk")


def test_a_bot_context_holds_the_view_and_options_never_the_state():
    names = {f.alias for f in attrs.fields(BotContext)}
    # `ask` builds the seat's options on demand (OptionsOnDemand): it offers no state either.
    assert names == {"game", "view", "options", "seed", "step", "ask"}
    assert {n for n in dir(OptionsOnDemand) if not n.startswith("_")} == {"options", "may_propose"}


@FAST
@given(st.integers(min_value=0, max_value=2**32), st.sampled_from(sorted(PERSONAS)), st.sampled_from(sorted(PERSONAS)))
def test_the_same_seed_gives_the_same_game_and_the_same_reasons(seed, red, blue):
    game = tagged_game()
    first_state, first = play(game, seed, red, blue)
    second_state, second = play(game, seed, red, blue)
    assert first == second
    assert first_state == second_state


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_persona_plays_whole_games_legally_and_explains_every_choice(game, persona):
    for seed in range(8):
        state, history = play(game, seed, persona, "reciprocator")
        assert state.over
        assert all(item.reason and len(item.reason) < 300 for item in history)


def _hidden_twin(game, state):
    """The same state with every value red may not see changed."""
    tracks = list(state.tracks)
    for name in ("secret_stock.blue", "budget.blue", "spooky"):
        tracks[game.layout.labels.index(name)] += 3
    return attrs.evolve(state, tracks=tuple(tracks))


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_a_bot_decides_the_same_when_only_hidden_state_differs(game, persona):
    states = []
    state = game.start(11)
    # Collect a state in each phase where red must act, along a bot game.
    controllers = {"red": BotController("hawk"), "blue": BotController("dove")}

    def keep(before, played, after):
        if "red" in game.awaiting(before):
            states.append(before)

    play_out(game, state, controllers, observe=keep)
    phases = {s.phase for s in states}
    assert {Phase.PROPOSE, Phase.DECIDE} <= phases
    for state in states:
        twin = _hidden_twin(game, state)
        assert game.view(state, "red") == game.view(twin, "red")
        assert state != twin
        assert choice(game, state, "red", persona) == choice(game, twin, "red", persona)


# -- characteristic play ---------------------------------------------------------------------------


def _count(history, seat):
    counts = Counter()
    for item in history:
        if item.input["seat"] != seat:
            continue
        if item.input["kind"] == "decide":
            counts["hostile"] += len(set(item.input["moves"]) & HOSTILE)
            counts["restraint"] += "reassure" in item.input["moves"]
        elif item.input["kind"] == "crisis":
            counts[item.input["choice"]] += 1
        elif item.input["kind"] == "respond":
            counts["accept"] += sum(r["answer"] == "accept" for r in item.input["replies"])
            counts["answers"] += len(item.input["replies"])
    return counts


def test_a_hawk_escalates_more_than_a_dove(game):
    hawk, dove = Counter(), Counter()
    for seed in range(30):
        # Both seats, both ways round, so Red's own moves (Reassure) do not decide it.
        for red, blue in (("hawk", "dove"), ("dove", "hawk")):
            _, history = play(game, seed, red, blue)
            hawk += _count(history, "red" if red == "hawk" else "blue")
            dove += _count(history, "red" if red == "dove" else "blue")
    assert hawk["hostile"] > 3 * dove["hostile"]
    assert hawk["escalate"] > dove["escalate"]
    assert dove["back_down"] > hawk["back_down"]
    assert dove["accept"] / max(1, dove["answers"]) > hawk["accept"] / max(1, hawk["answers"])


def _after_blue_plays(game, *moves):
    """Turn 2's decisions, after Blue played `moves` (and Red nothing) in turn 1."""
    state = skip_talks(game, game.start(3))
    state = apply_all(game, state, decide("red"), decide("blue", *moves))
    while state.phase is Phase.CRISIS:
        state = apply_all(game, state, *(crisis(s, "back_down") for s in sorted(game.awaiting(state))))
    return skip_talks(game, state)


def test_a_reciprocator_answers_a_provocation_in_kind(game):
    state = _after_blue_plays(game, "build")
    assert state.phase is Phase.DECIDE and state.turn == 2
    value, reason = choice(game, state, "red", "reciprocator", {"forgive": 0})
    assert "build" in value["moves"]
    assert reason.startswith("answers Blue's Build warheads with its own")
    calm = _after_blue_plays(game)
    value, reason = choice(game, calm, "red", "reciprocator", {"forgive": 0})
    assert not HOSTILE & set(value["moves"])


def test_a_reciprocator_that_always_forgives_does_not_retaliate(game):
    state = _after_blue_plays(game, "build")
    value, reason = choice(game, state, "red", "reciprocator", {"forgive": 1})
    assert not HOSTILE & set(value["moves"]) and "forgives Blue's Build warheads" in reason


def test_a_reciprocator_never_answers_what_it_was_not_shown(game):
    """Blue's secret stockpile is not in Red's view: nothing to answer."""
    state = _after_blue_plays(game, "hide")
    value, reason = choice(game, state, "red", "reciprocator", {"forgive": 0})
    assert "answers" not in reason and not HOSTILE & set(value["moves"])


def _in_crisis(game, red_first=None, blue_first=None):
    state = skip_talks(game, game.start(3))
    state = apply_all(game, state, decide("red", "provoke"), decide("blue"))
    assert state.phase is Phase.CRISIS
    if red_first:
        state = apply_all(game, state, crisis("red", red_first), crisis("blue", blue_first))
    return state


def test_a_reciprocator_mirrors_the_last_crisis_round(game):
    escalated = _in_crisis(game, "hold", "escalate")
    value, reason = choice(game, escalated, "red", "reciprocator", {"forgive": 0, "brink": 0})
    assert value["choice"] == "escalate" and reason == "answers Blue's escalation with its own"
    softened = _in_crisis(game, "hold", "back_down")
    value, reason = choice(game, softened, "red", "reciprocator")
    assert value["choice"] == "back_down" and "Blue's step back" in reason


def test_a_cautious_bot_backs_down_in_a_crisis(game):
    picks = Counter()
    for seed in range(20):
        state = _in_crisis(game, "escalate", "escalate") if seed % 2 else _in_crisis(game)
        state = attrs.evolve(state, seed=seed)
        picks[choice(game, state, "blue", "cautious")[0]["choice"]] += 1
    assert picks["back_down"] >= 18
    assert picks["escalate"] == 0


def test_every_persona_but_random_steps_back_from_the_brink(game):
    state = _in_crisis(game, "escalate", "escalate")  # two rungs up: one below nuclear use
    assert state.crisis.rung == len(game.scenario.crisis.rungs) - 2
    for persona in ("dove", "cautious", "reciprocator", "parity-seeker"):
        value, reason = choice(game, state, "blue", persona)
        assert value["choice"] == "back_down" and "brink" in reason


def test_a_cautious_bot_avoids_escalation_when_tension_is_high(game):
    state = skip_talks(game, game.start(5))
    hot = list(state.tracks)
    hot[game.layout.labels.index("tension.red.blue")] = 95
    hot_state = attrs.evolve(state, tracks=tuple(hot))
    for seed in range(10):
        value, reason = choice(game, attrs.evolve(hot_state, seed=seed), "red", "cautious")
        assert not HOSTILE & set(value["moves"])
    assert "tension with Blue is 95" in reason


def test_a_parity_seeker_builds_when_behind_not_when_ahead(game):
    behind = ahead = 0
    reasons = []
    for seed in range(20):
        state = skip_talks(game, game.start(seed))
        # Blue (800 warheads) is behind Red (1000); Red is ahead.
        value, reason = choice(game, state, "blue", "parity-seeker")
        behind += "build" in value["moves"]
        reasons.append(reason)
        ahead += "build" in choice(game, state, "red", "parity-seeker")[0]["moves"]
    assert behind >= 15 and ahead <= 5
    assert any("closes the gap with Red (warheads 800 against 1000)" in r for r in reasons)


def test_scenario_weights_override_persona_numbers(game):
    state = _in_crisis(game)
    for seed in range(10):
        s = attrs.evolve(state, seed=seed)
        assert choice(game, s, "red", "hawk", {"escalate": 0, "back_down": 1})[0]["choice"] == "back_down"


def test_a_red_line_makes_any_persona_careful(game):
    state = skip_talks(game, game.start(5))
    # Tension with Blue starts at 40: past a red line of 30.
    value, reason = choice(game, state, "red", "cautious", {"redline.tension": 30, "noise": 0})
    assert "past its red line" in reason and not HOSTILE & set(value["moves"])


# -- talks -------------------------------------------------------------------------------------------


def _proposed(game, limit, by="blue"):
    other = "red" if by == "blue" else "blue"
    state = game.start(3)
    state = apply_all(game, state, {"seat": by, "kind": "propose",
                                    "offers": [{"template": "cap", "parties": ["red", "blue"], "params": {"limit": limit}}]},
                      {"seat": other, "kind": "propose", "offers": []})
    assert state.phase is Phase.RESPOND
    return state


def test_bots_answer_proposals_and_counter_what_they_cannot_accept(game):
    state = _proposed(game, 900)  # Red has 1000 warheads: it cannot accept Blue's cap of 900
    answers = Counter()
    for seed in range(20):
        value, reason = choice(game, attrs.evolve(state, seed=seed), "red", "reciprocator")
        (reply,) = value["replies"]
        answers[reply["answer"]] += 1
        assert reply["answer"] != "accept"
        if reply["answer"] == "counter":
            assert reply["params"] == {"limit": 1200.0}  # halfway to the far end of 500..1500
            assert reason == "counters Blue's Warhead cap with limit 1200 (Our arsenal is above that limit)"
    assert answers["counter"] >= 5 and answers["reject"] >= 5


def test_a_dove_accepts_what_a_hawk_refuses(game):
    state = _proposed(game, 1000, by="red")
    dove = sum(choice(game, attrs.evolve(state, seed=s), "blue", "dove")[0]["replies"][0]["answer"] == "accept"
               for s in range(20))
    hawk = sum(choice(game, attrs.evolve(state, seed=s), "blue", "hawk")[0]["replies"][0]["answer"] == "accept"
               for s in range(20))
    assert dove >= 15 and hawk <= 5
    value, reason = choice(game, attrs.evolve(state, seed=0), "blue", "hawk")
    assert "it would bind its Build warheads" in reason


def test_bots_propose_agreements_they_value(game):
    offers = Counter()
    for seed in range(20):
        value, reason = choice(game, game.start(seed), "red", "dove")
        offers.update(o["template"] for o in value["offers"])
        assert reason.startswith("proposes") or "proposal" in reason or "agreement" in reason
    assert sum(offers.values()) >= 15


def test_mistakes_in_a_scenarios_bot_blocks_are_found():
    from engine.scenario.personas import bot_config_problems

    assert bot_config_problems(tagged_game().scenario) == []
    with pytest.raises(ScenarioError) as caught:  # the loader runs these checks
        rules_game({**TAGS, "    name: {en: Blue, zh: 蓝方}\n": (
            "    name: {en: Blue, zh: 蓝方}\n"
            "    bot: {persona: hawkk, weights: {escalte: 1, buildup: 2, parity.warheads: 1, parity.norm: 1,"
            " redline.tension: 70, redline.nothing: 1}}\n")})
    problems = {p.path: p.message for p in caught.value.problems}
    assert "did you mean 'hawk'" in problems["actors[1].bot.persona"]
    assert "did you mean 'escalate'" in problems["actors[1].bot.weights.escalte"]
    assert "not an actor track" in problems["actors[1].bot.weights['parity.norm']"]
    assert "names no track" in problems["actors[1].bot.weights['redline.nothing']"]
    assert len(problems) == 4
    assert all(p.line is not None for p in caught.value.problems)


# -- the built-in scenarios ------------------------------------------------------------------------

from engine.scenario.loading import builtin_scenario_ids  # noqa: E402


@pytest.mark.parametrize("scenario", builtin_scenario_ids())
def test_every_persona_plays_the_built_in_scenarios(scenario):
    from engine import load_game

    game = load_game(scenario)
    from engine.scenario.personas import bot_config_problems

    assert bot_config_problems(game.scenario) == []
    for i, persona in enumerate(sorted(PERSONAS)):
        controllers = {seat: BotController(persona if j == 0 else "reciprocator") for j, seat in enumerate(game.seats)}
        state, history = play_out(game, game.start(i), controllers)
        again, history_again = play_out(game, game.start(i), controllers)
        assert state.over and history == history_again and state == again
        assert all(item.reason for item in history)


@pytest.mark.parametrize("scenario", builtin_scenario_ids())
def test_hawks_make_the_built_in_scenarios_more_dangerous_than_doves(scenario):
    from engine.play.simulate import Batch, ScenarioSource, compare, run_batch

    source = ScenarioSource.from_ref(scenario)
    seats = source.load().seats
    hawks = run_batch(Batch(source, {s: "hawk" for s in seats}), 12)
    doves = run_batch(Batch(source, {s: "dove" for s in seats}), 12)
    diff = compare(hawks, doves)
    assert diff["clock"]["mean"] > 0 and diff["catastrophe"]["mean"] <= 0
