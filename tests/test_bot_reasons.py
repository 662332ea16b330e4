"""A bot's reason is the driver of its choice: every decision is a sum of named terms, the choice
follows from the total, and the reason names the largest term that pushed toward the choice."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import load_game
from engine.bots import BotContext, bot_for, persona_names
from engine.bots.base import OptionsOnDemand
from engine.bots.decision import Decision, Term, leading_term, sum_by_name
from engine.bots.personas import PersonaBot
from engine.play.simulate import controllers_for
from engine.rules.inputs import parse_input

SCENARIOS = ("trilateral-2026", "system-by-system")
_GAMES: dict = {}


def _game(ref):
    if ref not in _GAMES:
        _GAMES[ref] = load_game(ref)
    return _GAMES[ref]


def _bots(game, lineup):
    """The bot each seat's controller would use (the scenario's, or the persona named)."""
    return {seat: bot_for(c.persona, dict(c.weights)) for seat, c in controllers_for(game, lineup).items()}


def decisions_of_a_game(ref, seed, lineup):
    """Play a whole game, yielding (template of each answered offer or None, decision)."""
    game = _game(ref)
    bots = _bots(game, lineup)
    state = game.start(seed)
    for _ in range(10_000):
        if state.over:
            return
        for seat in game.seats:
            if state.over or seat not in game.awaiting(state):
                continue
            bot = bots[seat]
            assert isinstance(bot, PersonaBot)
            context = BotContext(game, game.view(state, seat), None, state.seed, state.step,
                                 OptionsOnDemand(game, state, seat))
            plan = bot.plan(context)
            assert (plan.input, plan.reason) == bot.act(context)  # the plan is what the bot plays
            templates = [o.proposal.template for o in context.options.to_answer] if plan.input["kind"] == "respond" else []
            for i, decision in enumerate(plan.decisions):
                yield (templates[i] if templates else None), decision
            state, _ = game.apply(state, parse_input(plan.input))
    raise AssertionError("the game did not end")


def check(template, decision: Decision) -> None:
    lead = decision.leading
    pulls = [t.value * decision.toward for t in decision.terms]
    if lead is None:
        assert all(p <= 0 for p in pulls), decision
    else:
        # the leading term is the largest in the direction of the choice ...
        assert lead.value * decision.toward == max(pulls), decision
        # ... and the reason names it
        assert lead.words in decision.reason, decision
    # never a term that pushed against the choice (unless the same words also name the leader)
    for term in decision.terms:
        if term.value * decision.toward < 0 and term.words and (lead is None or term.words not in lead.words):
            assert term.words not in decision.reason, (term, decision)
    # the choice follows from the total, against its bar (the dice, the persona's threshold)
    if decision.choice in ("accept", "play") or decision.kind == "crisis":
        assert decision.total > decision.bar, decision
    else:
        assert decision.total <= decision.bar, decision
    if decision.choice == "accept":
        assert lead is not None and lead.name != "distrust", decision
        assert "distrusts" not in decision.reason, decision
        if template == "dictum":
            assert "will not freeze" not in decision.reason, decision


lineups: st.SearchStrategy = st.one_of(
    st.just({}),
    st.builds(lambda p: ("all", p), st.sampled_from(persona_names())),
    st.lists(st.sampled_from(persona_names()), min_size=6, max_size=6).map(lambda ps: ("mixed", tuple(ps))),
)


def _lineup(game, spec):
    if spec == {}:
        return {}
    kind, value = spec
    if kind == "all":
        return dict.fromkeys(game.seats, value)
    return {seat: value[i % len(value)] for i, seat in enumerate(game.seats)}


def _check_game(ref, seed, spec):
    lineup = _lineup(_game(ref), spec)
    kinds = set()
    for template, decision in decisions_of_a_game(ref, seed, lineup):
        check(template, decision)
        kinds.add(decision.kind)
    assert "moves" in kinds  # every game has turns, so there is something to check


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ref=st.sampled_from(SCENARIOS), seed=st.integers(0, 2**31 - 1), spec=lineups)
def test_every_reason_names_the_largest_term_toward_the_choice(ref, seed, spec):
    _check_game(ref, seed, spec)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ref=st.sampled_from(SCENARIOS), seed=st.integers(0, 2**31 - 1), spec=lineups)
def test_every_reason_names_the_largest_term_toward_the_choice_in_many_games(ref, seed, spec):
    _check_game(ref, seed, spec)


def test_every_kind_of_decision_is_checked():
    """The scenario's own bots over a few games make every kind of decision the property covers."""
    seen = set()
    for ref in SCENARIOS:
        for seed in range(4):
            for template, decision in decisions_of_a_game(ref, seed, {}):
                check(template, decision)
                seen.add((decision.kind, decision.choice))
    assert {("answer", "accept"), ("answer", "reject"), ("moves", "play"), ("moves", "none")} <= seen
    assert any(kind == "crisis" for kind, _ in seen)


def test_an_acceptance_names_what_argued_for_it_not_the_distrust_it_overcame():
    terms = (Term("propensity", 0.4), Term("distrust", -0.42, "distrusts China after its Nuclear test"),
             Term("calm", 0.45, "wants calm: risk is 60"), Term("bind", -0.3, "it would bind its Nuclear test"))
    assert leading_term(terms, 1).name == "calm"
    assert leading_term(terms, -1).name == "distrust"
    assert leading_term((Term("a", 0.0), Term("b", -0.1)), 1) is None
    assert leading_term((Term("a", 0.2, "first"), Term("b", 0.2, "second")), 1).words == "first"  # the first of equals


def test_terms_of_several_moves_add_up_by_name_and_keep_the_words_of_their_largest_part():
    merged = sum_by_name([Term("persona", 0.4, "builds strength"), Term("parity", 0.9, "closes the gap"),
                          Term("persona", 0.3, "builds strength"), Term("parity", -0.2, "will not freeze")])
    assert [t.name for t in merged] == ["persona", "parity"]
    assert math.isclose(merged[0].value, 0.7) and math.isclose(merged[1].value, 0.7)
    assert merged[1].words == "closes the gap"


def test_a_dictum_answer_never_cites_a_freeze_it_accepts():
    """The dictum binds nothing: a parity-seeker's acceptance names what argued for it."""
    answers = [(t, d) for ref in SCENARIOS for seed in range(3)
               for t, d in decisions_of_a_game(ref, seed, {}) if t == "dictum"]
    assert answers
    for _template, decision in answers:
        if decision.choice == "accept":
            assert "will not freeze" not in decision.reason
