"""One test (at least) for every rule of the turn, on the rules fixture (tests/fixtures/rules.yaml)."""

from __future__ import annotations

import attrs
import pytest

from engine import FACILITATOR, IllegalInput, InvalidInput, Phase, Termination

from helpers import apply_all, crisis, decide, offer, propose, respond, rules_game, skip_talks, track


@pytest.fixture(scope="module")
def game():
    return rules_game()


# -- the start and the world phase -------------------------------------------------------------


def test_a_game_starts_on_turn_one_in_talks_after_the_scripted_opening(game):
    state = game.start(seed=1)
    assert state.turn == 1 and state.phase is Phase.PROPOSE
    assert track(game, state, "norm") == 81  # 80 + the scripted `opening` event of turn 1
    assert "opening" in state.fired_events
    assert state.clock == 85


def test_inactive_actors_are_not_asked_to_act(game):
    assert game.awaiting(game.start(1)) == {"red", "blue"}


def test_a_seed_must_be_a_whole_number(game):
    with pytest.raises(IllegalInput):
        game.start(-1)


def test_a_conditional_event_fires_when_its_condition_holds_and_only_once(game):
    state = skip_talks(game, game.start(1))
    # Both test: the norm drops 81 -> 61, then next turn red tests again (norm 51 < 60).
    state = apply_all(game, state, decide("red", "test"), decide("blue", "test"))
    assert "norm_breaks" not in state.fired_events
    tension_before = track(game, state, "tension.red.blue")
    state = skip_talks(game, state)
    state = apply_all(game, state, decide("red", "test"), decide("blue"))
    assert "norm_breaks" in state.fired_events
    assert track(game, state, "tension.red.blue") == tension_before + 10
    state = skip_talks(game, state)
    state = apply_all(game, state, decide("red"), decide("blue"))
    assert track(game, state, "tension.red.blue") == tension_before + 10  # once: not again


def test_a_random_event_fires_by_its_chance():
    never = rules_game()
    always = rules_game({"chance: 0.0": "chance: 1.0"})
    assert "random_scare" not in never.start(3).fired_events
    state = always.start(3)
    assert "random_scare" in state.fired_events and state.crisis is not None


# -- talks ---------------------------------------------------------------------------------------


def test_an_agreement_all_parties_accept_comes_into_force_with_its_signing_effects(game):
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"))
    assert state.phase is Phase.RESPOND and game.awaiting(state) == {"blue"}
    state = apply_all(game, state, respond("blue", p1="accept"))
    assert [a.template for a in state.agreements] == ["cap"]
    assert state.agreements[0].params["limit"] == 1000
    assert track(game, state, "tension.red.blue") == 30  # 40 - 10 on signing
    assert state.phase is Phase.DECIDE


def test_a_rejected_proposal_makes_no_agreement(game):
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("hotline", ["red", "blue"])), propose("blue"))
    state = apply_all(game, state, respond("blue", p1="reject"))
    assert state.agreements == () and state.phase is Phase.DECIDE


def test_silence_to_a_proposal_is_a_rejection(game):
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("hotline", ["red", "blue"])), propose("blue"))
    state = apply_all(game, state, respond("blue"))
    assert state.agreements == ()


def test_a_counter_proposal_is_answered_in_the_next_round(game):
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1200)), propose("blue"))
    counter = {"seat": "blue", "kind": "respond", "replies": [{"proposal": 1, "answer": "counter", "params": {"limit": 1100}}]}
    state = apply_all(game, state, counter)
    assert state.phase is Phase.RESPOND and game.awaiting(state) == {"red"}
    (pending,) = state.proposals
    assert pending.proposer == "blue" and pending.counter_to == 1 and pending.params["limit"] == 1100
    state = apply_all(game, state, respond("red", **{f"p{pending.id}": "accept"}))
    assert state.agreements[0].params["limit"] == 1100


def test_open_proposals_lapse_after_the_last_talk_round():
    game = rules_game({"talk_rounds: 2": "talk_rounds: 1"})
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1200)), propose("blue"))
    counter = {"seat": "blue", "kind": "respond", "replies": [{"proposal": 1, "answer": "counter", "params": {"limit": 1100}}]}
    state = apply_all(game, state, counter)
    assert state.phase is Phase.DECIDE and state.proposals == () and state.agreements == ()
    assert any("lapses" in e.text.get() for e in state.log)


def test_a_party_whose_conditions_fail_cannot_accept_and_is_told_why(game):
    state = game.start(1)
    state = apply_all(game, state, propose("blue", offer("cap", ["red", "blue"], limit=900)), propose("red"))
    (option,) = game.options(state, "red").to_answer
    assert not option.can_accept and option.reason == "Our arsenal is above that limit"
    with pytest.raises(IllegalInput, match="above that limit"):
        game.apply(state, respond("red", p1="accept"))


@pytest.mark.parametrize(
    ("bad_offer", "message"),
    [
        (offer("cap", ["blue", "red"], limit=1050), "multiple of 100"),
        (offer("cap", ["red", "blue"], limit=2000), "between 500 and 1500"),
        (offer("cap", ["blue"], limit=1000), "must be a party"),
        (offer("cap", ["red"], limit=1000), "at least 2 parties"),
        (offer("cap", ["red", "green"], limit=1000), "not at the table"),
        (offer("nope", ["red", "blue"]), "no agreement template"),
        (offer("cap", ["red", "blue"], size=3), "no parameter 'size'"),
    ],
)
def test_illegal_proposals_are_refused_with_the_reason(game, bad_offer, message):
    state = game.start(1)
    with pytest.raises(IllegalInput, match=message):
        game.apply(state, propose("red", bad_offer))


def test_a_seat_may_make_only_so_many_proposals_a_turn(game):
    state = game.start(1)
    two = propose("red", offer("cap", ["red", "blue"]), offer("hotline", ["red", "blue"]))
    with pytest.raises(IllegalInput, match="at most 1 proposals"):
        game.apply(state, two)


def test_the_agenda_limits_a_turns_talks_to_its_systems(game):
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red"), decide("blue"))
    assert state.turn == 2
    options = {t.id: t for t in game.options(state, "red").templates}
    assert not options["cap"].available and options["cap"].reason == "not on this turn's agenda"
    assert options["hotline"].available
    with pytest.raises(IllegalInput, match="agenda"):
        game.apply(state, propose("red", offer("cap", ["red", "blue"])))


def test_an_agreement_already_in_force_cannot_be_proposed_again(game):
    state = game.start(1)
    state = apply_all(
        game, state, propose("red", offer("hotline", ["red", "blue"])), propose("blue"), respond("blue", p1="accept")
    )
    state = apply_all(game, state, decide("red"), decide("blue"))
    state = apply_all(game, state, propose("blue"))  # turn 2: only hotline is on the agenda
    with pytest.raises(IllegalInput, match="already in force"):
        game.apply(state, propose("red", offer("hotline", ["blue", "red"])))


# -- decisions and resolution ---------------------------------------------------------------------


def test_inputs_out_of_turn_or_phase_are_illegal_and_change_nothing(game):
    state = game.start(1)
    with pytest.raises(IllegalInput, match="propose phase"):
        game.apply(state, decide("red"))
    with pytest.raises(IllegalInput, match="no seat"):
        game.apply(state, propose("purple"))
    with pytest.raises(IllegalInput, match="nothing to do"):
        game.apply(state, propose("green"))
    after, _ = game.apply(state, propose("red"))
    with pytest.raises(IllegalInput, match="already submitted"):
        game.apply(after, propose("red"))
    assert state.submissions == {}  # the old state is untouched by any of this


@pytest.mark.parametrize(
    "bad",
    [
        {"seat": "red"},
        {"seat": "red", "kind": "dance"},
        {"seat": "red", "kind": "decide", "moves": "build"},
        {"seat": "red", "kind": "crisis", "choice": "panic"},
        {"seat": "red", "kind": "respond", "replies": [{"proposal": "one", "answer": "accept"}]},
        ["not", "a", "mapping"],
    ],
)
def test_malformed_inputs_are_invalid(game, bad):
    with pytest.raises(InvalidInput):
        game.apply(game.start(1), bad)


def test_moves_must_fit_the_budget_the_move_limit_and_their_conditions(game):
    state = skip_talks(game, game.start(1))
    with pytest.raises(IllegalInput, match="more than the budget of 4"):
        game.apply(state, decide("red", "build", "test"))  # 2 + 3 > 4
    with pytest.raises(IllegalInput, match="at most 2 moves"):
        game.apply(state, decide("red", "build", "hide", "provoke"))
    with pytest.raises(IllegalInput, match="once a turn"):
        game.apply(state, decide("red", "hide", "hide"))
    with pytest.raises(IllegalInput, match="not open to this actor"):
        game.apply(state, decide("blue", "reassure"))


def test_an_unavailable_move_is_listed_with_its_reason(game):
    state = game.start(1)
    state = apply_all(
        game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"), respond("blue", p1="accept")
    )
    moves = {m.id: m for m in game.options(state, "red").moves}
    assert not moves["reassure"].available  # tension fell to 30 on signing
    assert moves["reassure"].reason == "Only when tension with Blue is above 30"
    assert "reassure" not in {m.id for m in game.options(state, "blue").moves}  # red only


def test_resolution_pays_costs_applies_effects_and_adds_upkeep(game):
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red", "build"), decide("blue"))
    assert track(game, state, "warheads.red") == 1100
    assert track(game, state, "tension.red.blue") == 45
    assert track(game, state, "budget.red") == 4 - 2 + 2  # paid 2, then +2 upkeep
    assert track(game, state, "budget.blue") == 6


def test_a_cost_can_depend_on_what_others_did(game):
    state = skip_talks(game, game.start(1))
    assert {m.id: m.cost for m in game.options(state, "red").moves}["test"] == 3
    state = apply_all(game, state, decide("red"), decide("blue", "test"))
    state = skip_talks(game, state)
    assert {m.id: m.cost for m in game.options(state, "red").moves}["test"] == 2  # 3 - played('test')


def test_secret_moves_are_revealed_to_their_maker_only(game):
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red", "hide"), decide("blue", "build"))
    red_log = [e.event.move for e in game.view(state, "red").log if e.kind == "move"]
    blue_log = [e.event.move for e in game.view(state, "blue").log if e.kind == "move"]
    assert red_log == ["hide", "build"] and blue_log == ["build"]
    assert "hide" in [e.event.move for e in game.view(state, FACILITATOR).log if e.kind == "move"]


def test_a_detected_breach_has_consequences_and_ends_the_agreement(game):
    state = game.start(1)
    state = apply_all(
        game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"), respond("blue", p1="accept")
    )
    state = apply_all(game, state, decide("red", "build"), decide("blue"))
    assert state.agreements == ()
    assert track(game, state, "tension.red.blue") == 30 + 5 + 30
    assert any(e.kind == "breach" and e.event.detected for e in state.log)


def test_an_undetected_breach_is_known_only_to_the_breacher():
    game = rules_game({"detection: 1": "detection: 0"})
    state = game.start(1)
    state = apply_all(
        game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"), respond("blue", p1="accept")
    )
    state = apply_all(game, state, decide("red", "build"), decide("blue"))
    assert [a.template for a in state.agreements] == ["cap"]
    assert any(e.kind == "breach" for e in game.view(state, "red").log)
    assert not any(e.kind == "breach" for e in game.view(state, "blue").log)


def test_agreements_apply_their_per_turn_effects_and_expire(game):
    state = game.start(1)
    state = apply_all(
        game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"), respond("blue", p1="accept")
    )
    security = track(game, state, "security.red")
    for turn in (1, 2, 3):
        state = skip_talks(game, state)
        state = apply_all(game, state, decide("red"), decide("blue"))
        assert track(game, state, "security.red") == security + turn
    assert state.agreements == ()  # signed on turn 1, duration 3: expired after turn 3
    assert any("expired" in e.text.get() for e in state.log)


# -- crises ------------------------------------------------------------------------------------------


def _in_crisis(game):
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red", "provoke"), decide("blue"))
    assert state.phase is Phase.CRISIS and state.crisis.participants == ("red", "blue")
    return state


def test_a_crisis_opens_after_resolution_for_its_participants(game):
    state = _in_crisis(game)
    assert game.awaiting(state) == {"red", "blue"} and state.crisis.rung == 0
    assert game.options(state, "red").crisis_choices


def test_escalation_by_all_climbs_two_rungs(game):
    state = apply_all(game, _in_crisis(game), crisis("red", "escalate"), crisis("blue", "escalate"))
    assert state.crisis.rung == 2 and state.crisis.round == 2


def test_all_backing_down_ends_the_crisis(game):
    state = apply_all(game, _in_crisis(game), crisis("red", "back_down"), crisis("blue", "back_down"))
    assert state.crisis is None and state.turn == 2


def test_a_crisis_subsides_after_its_last_round(game):
    state = apply_all(game, _in_crisis(game), crisis("red", "hold"), crisis("blue", "hold"))
    assert state.crisis is not None
    state = apply_all(game, state, crisis("red", "hold"), crisis("blue", "hold"))
    assert state.crisis is None and state.turn == 2


def test_the_top_rung_is_nuclear_use_and_ends_the_game_at_midnight(game):
    state = apply_all(game, _in_crisis(game), crisis("red", "escalate"), crisis("blue", "escalate"))
    state = apply_all(game, state, crisis("red", "escalate"), crisis("blue", "hold"))
    assert state.outcome.termination is Termination.NUCLEAR_USE and state.outcome.catastrophe
    assert state.clock == 0 and state.phase is Phase.OVER


def test_climb_adds_to_every_upward_move():
    game = rules_game({'climb: "0"': 'climb: "1"'})
    state = apply_all(game, _in_crisis(game), crisis("red", "escalate"), crisis("blue", "hold"))
    assert state.crisis.rung == 2  # 1 + climb 1


def test_crisis_rungs_feed_risk(game):
    calm = skip_talks(game, game.start(1))
    calm = apply_all(game, calm, decide("red"), decide("blue"))
    hot = apply_all(game, _in_crisis(game), crisis("red", "escalate"), crisis("blue", "escalate"))
    hot = apply_all(game, hot, crisis("red", "back_down"), crisis("blue", "hold"))
    assert hot.assessments[-1].factors["crisis"] == 40  # the peak rung's risk this turn
    assert calm.assessments[-1].factors["crisis"] == 0


# -- assessment and the end ----------------------------------------------------------------------------


def test_risk_is_the_sum_of_named_factors_and_the_clock_follows_it(game):
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red"), decide("blue"))
    assessment = state.assessments[-1]
    assert assessment.factors == {"tension": 20.0, "testing": -0.5, "crisis": 0.0}
    assert assessment.risk == 19.5
    assert assessment.clock_change == (19.5 - 20) / 2 and state.clock == 85.25


def test_the_clock_reaching_zero_is_midnight():
    game = rules_game({"start: 85": "start: 1"})
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red", "test"), decide("blue", "test"))
    assert state.outcome.termination is Termination.MIDNIGHT and state.outcome.catastrophe


def test_an_end_condition_ends_the_game():
    game = rules_game({"total('warheads') < 100": "total('warheads') > 100"})
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red"), decide("blue"))
    assert state.outcome.termination is Termination.CONDITION and state.outcome.condition == "disarmed"
    assert not state.outcome.catastrophe


def test_the_last_turn_ends_the_game_with_each_actors_score(game):
    state = game.start(1)
    while not state.over:
        state = skip_talks(game, state)
        state = apply_all(game, state, decide("red", "hide"), decide("blue"))
    outcome = state.outcome
    assert outcome.termination is Termination.LAST_TURN and outcome.turn == 6
    assert outcome.scores["red"] == track(game, state, "security.red") - 0.01 * track(game, state, "warheads.red")
    assert outcome.shared == state.clock
    with pytest.raises(IllegalInput, match="over"):
        game.apply(state, propose("red"))


# -- the facilitator -------------------------------------------------------------------------------------


def test_the_facilitator_injects_an_event_by_hand(game):
    state, events = game.apply(game.start(1), {"seat": FACILITATOR, "kind": "inject", "event": "summit"})
    assert "green" in state.active and track(game, state, "security.red") == 55
    assert game.awaiting(state) == {"red", "blue", "green"}
    assert any(e.kind == "event" for e in events)


def test_the_facilitator_adjudicates_a_track_within_its_bounds(game):
    ruling = {
        "seat": FACILITATOR, "kind": "adjust", "track": "tension", "actor": "blue", "other": "red", "value": 250,
        "reason": "ruling",
    }
    state, _ = game.apply(game.start(1), ruling)
    assert track(game, state, "tension.red.blue") == 100


def test_only_the_facilitator_may_inject(game):
    with pytest.raises(IllegalInput, match="only the facilitator"):
        game.apply(game.start(1), {"seat": "red", "kind": "inject", "event": "summit"})


# -- views -----------------------------------------------------------------------------------------------


def test_a_seat_sees_its_own_secret_tracks_only(game):
    state = game.start(1)
    red = {t.name for t in game.view(state, "red").tracks}
    assert "budget.red" in red and "budget.blue" not in red and "spooky" not in red
    assert "spooky" in {t.name for t in game.view(state, FACILITATOR).tracks}


def test_a_seat_never_sees_another_seats_pending_input(game):
    state = apply_all(game, skip_talks(game, game.start(1)), decide("red", "hide"))
    blue = game.view(state, "blue")
    assert blue.own_submission is None and blue.submitted == {"red"}
    assert game.view(state, "red").own_submission.moves == ("hide",)


def test_proposals_are_seen_by_their_parties_only():
    game = rules_game({"active: false": "active: true"})
    state = apply_all(game, game.start(1), propose("red", offer("hotline", ["red", "blue"])), propose("blue"), propose("green"))
    assert len(game.view(state, "blue").proposals) == 1
    assert game.view(state, "green").proposals == ()
    assert not any(e.kind == "talks" for e in game.view(state, "green").log)


def test_hidden_risk_is_not_in_a_seats_view():
    game = rules_game({"risk:\n  factors:": "risk:\n  visible: false\n  factors:"})
    state = apply_all(game, skip_talks(game, game.start(1)), decide("red"), decide("blue"))
    view = game.view(state, "red")
    assert view.risk is None and view.assessments[-1].risk is None and not view.assessments[-1].factors
    assert game.view(state, FACILITATOR).risk == state.risk


def test_a_proposer_must_meet_the_conditions_it_would_need_to_accept(game):
    state = game.start(1)
    with pytest.raises(IllegalInput, match="may not propose cap: Our arsenal is above that limit"):
        game.apply(state, propose("red", offer("cap", ["red", "blue"], limit=900)))


def test_a_crisis_can_start_higher_up_the_ladder_but_never_at_the_top():
    game = rules_game({"start_crisis: {between: [self, others]}": "start_crisis: {between: [self, others], rung: \"turn + 8\"}"})
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red", "provoke"), decide("blue"))
    assert state.crisis.rung == 2  # clamped below nuclear use


def test_a_template_in_force_with_every_possible_party_set_is_unavailable(game):
    state = game.start(1)
    state = apply_all(
        game, state, propose("red", offer("hotline", ["red", "blue"])), propose("blue"), respond("blue", p1="accept")
    )
    state = apply_all(game, state, decide("red"), decide("blue"))
    options = {t.id: t for t in game.options(state, "red").templates}
    assert not options["hotline"].available
    assert options["hotline"].reason == "already in force with every possible set of parties"


# -- submissions that complete nothing ------------------------------------------------------------


def test_a_submission_others_still_wait_on_changes_only_the_step_and_the_submissions(game):
    import attrs

    from engine.rules.inputs import parse_input

    state = skip_talks(game, game.start(1))
    before = len(state.log)
    after, events = game.apply(state, decide("red", "test"))
    expected = attrs.evolve(state, step=state.step + 1,
                            submissions={"red": parse_input(decide("red", "test"))})
    assert after == expected and events == () and len(after.log) == before


def test_reaching_a_rung_applies_its_effects_to_the_crisis_participants_once(game):
    # The fixture's standoff rung: security -3 for the crisis's participants. Green is brought to
    # the table first, so an effect given to everyone (not just the crisis's parties) would show.
    state = game.start(1)
    for event in ("summit", "random_scare"):  # Green at the table; a Red-Blue crisis after resolution
        state, _ = game.apply(state, {"seat": FACILITATOR, "kind": "inject", "event": event})
    state = skip_talks(game, state)
    state = apply_all(game, state, decide("red"), decide("blue"), decide("green"))
    assert state.phase is Phase.CRISIS and state.crisis.participants == ("red", "blue") and state.crisis.rung == 0

    def security():
        return {actor: track(game, state, f"security.{actor}") for actor in ("red", "blue", "green")}

    before = security()
    state = apply_all(game, state, crisis("red", "escalate"), crisis("blue", "hold"))  # onto the standoff
    assert state.crisis.rung == 1
    reached = {"red": before["red"] - 3, "blue": before["blue"] - 3, "green": before["green"]}
    assert security() == reached
    state = apply_all(game, state, crisis("red", "hold"), crisis("blue", "hold"))  # it stays on the standoff
    assert state.crisis is None and state.turn == 2  # its last round: the crisis is over
    assert security() == reached  # staying on a rung does not apply its effects again


def test_work_declares_every_field_of_the_state(game):
    # Work copies GameState's fields one by one, and its annotations declare them for the type checker.
    from engine.rules.work import _FIELD_NAMES, Work, evolve_state

    assert set(Work.__annotations__) == set(_FIELD_NAMES)
    state = apply_all(game, game.start(1), propose("red", offer("cap", ["red", "blue"], limit=1000)))
    work = Work(game, state)
    assert all(hasattr(work, name) for name in _FIELD_NAMES)
    assert work.freeze() == attrs.evolve(state, step=state.step + 1)  # nothing done: only the step moves
    assert evolve_state(state, step=7, turn=3) == attrs.evolve(state, step=7, turn=3)


def test_an_offer_the_facilitator_made_illegal_before_the_talks_opened_is_void(game):
    from engine.rules.events import OfferVoided, TalksNews

    state = apply_all(game, game.start(1), propose("red", offer("cap", ["red", "blue"], limit=1000)))
    # Red's arsenal (1000) met its own cap when it proposed; the facilitator now raises it.
    adjust = {"seat": FACILITATOR, "kind": "adjust", "track": "warheads", "actor": "red", "value": 1500}
    state, _ = game.apply(state, adjust)
    state, caused = game.apply(state, propose("blue"))
    assert state.proposals == () and state.phase is Phase.DECIDE
    (void,) = [e for e in caused if isinstance(e.event, OfferVoided)]
    assert void.event.actor == "red" and void.event.template == "cap" and void.audience == ("red",)
    assert not any(isinstance(e.event, TalksNews) for e in caused)


# -- deals one would break at once, duplicates, counters at the end of the talks ---------------------

# The cap's own condition for accepting, loosened: only its breach condition still stands in the way.
_LOOSE_CAP = {'accept_requires: "warheads.self <= param.limit"': 'accept_requires: "warheads.self <= param.limit + 300"'}


def test_no_one_may_propose_or_accept_a_deal_it_would_breach_at_once():
    game = rules_game(_LOOSE_CAP)
    state = game.start(1)
    # Red has 1000 warheads: a cap of 800 would be breached the turn it came into force.
    with pytest.raises(IllegalInput, match="in breach at once at these terms"):
        game.apply(state, propose("red", offer("cap", ["red", "blue"], limit=800)))
    state = apply_all(game, state, propose("blue", offer("cap", ["red", "blue"], limit=800)), propose("red"))
    (option,) = game.options(state, "red").to_answer
    assert not option.can_accept and "in breach at once" in (option.reason or "")
    with pytest.raises(IllegalInput, match="in breach at once"):
        game.apply(state, respond("red", p1="accept"))
    # At terms it meets, it may.
    state = apply_all(game, game.start(1), propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"))
    state = apply_all(game, state, respond("blue", p1="accept"))
    assert [a.template for a in state.agreements] == ["cap"]


def test_a_template_may_be_proposed_when_some_allowed_terms_would_do_not_only_its_defaults(game):
    state = game.start(1)
    adjust = {"seat": FACILITATOR, "kind": "adjust", "track": "warheads", "actor": "red", "value": 1200}
    state, _ = game.apply(state, adjust)
    # Red's 1200 warheads are above the cap's default limit (1000), not above every allowed one.
    option = next(t for t in game.options(state, "red").templates if t.id == "cap")
    assert option.available and option.reason is None
    assert option.terms == (("limit", 1200.0),) and option.acceptable == "limit 1200–1500"
    assert [p.default for p in option.parameters] == [1200.0]  # a menu starts from terms that will do
    # The precise check is made on the terms chosen.
    with pytest.raises(IllegalInput, match="above that limit"):
        game.apply(state, propose("red", offer("cap", ["red", "blue"], limit=1000)))
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1300)), propose("blue"))
    assert [p.params["limit"] for p in state.proposals] == [1300.0]
    # Terms left out are the ones the options offered.
    state, _ = game.apply(game.start(1), adjust)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"])), propose("blue"))
    assert [p.params["limit"] for p in state.proposals] == [1200.0]
    # Blue meets the defaults: its option offers them.
    blue = next(t for t in game.options(game.start(1), "blue").templates if t.id == "cap")
    assert blue.terms == (("limit", 1000.0),) and blue.acceptable is None
    # No allowed terms at all: unavailable, with the reason at the defaults.
    state, _ = game.apply(game.start(1), {**adjust, "value": 1600})
    option = next(t for t in game.options(state, "red").templates if t.id == "cap")
    assert not option.available and option.reason == "Our arsenal is above that limit" and option.terms == ()


def test_when_both_sides_propose_the_same_agreement_and_both_are_accepted_only_the_first_is_signed(game):
    from engine.rules.events import AgreementSigned, TalksNews

    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("hotline", ["red", "blue"])),
                      propose("blue", offer("hotline", ["blue", "red"])), respond("red", p2="accept"))
    state, caused = game.apply(state, respond("blue", p1="accept"))
    assert [a.template for a in state.agreements] == ["hotline"]
    assert [e.event.parties for e in caused if isinstance(e.event, AgreementSigned)] == [("red", "blue")]
    (lapse,) = [e for e in caused if isinstance(e.event, TalksNews) and e.event.what == "lapsed"]
    assert lapse.event.proposal == 2 and set(lapse.audience) == {"red", "blue"}
    assert "Blue's proposal of Hotline lapses: it is already in force between these parties" in lapse.text.get()


def test_a_proposal_for_an_agreement_that_came_into_force_meanwhile_cannot_be_accepted(game):
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("hotline", ["red", "blue"])),
                      propose("blue", offer("hotline", ["blue", "red"])))
    # Blue accepts Red's proposal; Red counters Blue's: the counter would be the same agreement again.
    counter = {"seat": "red", "kind": "respond", "replies": [{"proposal": 2, "answer": "counter", "params": {}}]}
    state = apply_all(game, state, counter, respond("blue", p1="accept"))
    assert [a.template for a in state.agreements] == ["hotline"] and state.phase is Phase.RESPOND
    (option,) = game.options(state, "blue").to_answer
    assert not option.can_accept and option.reason == "already in force between these parties"
    with pytest.raises(IllegalInput, match="already in force"):
        game.apply(state, respond("blue", **{f"p{option.proposal.id}": "accept"}))


def test_a_counter_made_in_the_last_round_lapses_and_its_parties_are_told_the_talks_are_over():
    from engine.rules.events import TalksNews

    game = rules_game({"talk_rounds: 2": "talk_rounds: 1"})
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1200)), propose("blue"))
    counter = {"seat": "blue", "kind": "respond", "replies": [{"proposal": 1, "answer": "counter", "params": {"limit": 1100}}]}
    state, caused = game.apply(state, counter)
    assert state.phase is Phase.DECIDE and state.proposals == ()
    (lapse,) = [e for e in caused if isinstance(e.event, TalksNews) and e.event.what == "lapsed"]
    assert lapse.text.get() == "Blue's counter-proposal of Warhead cap lapses unanswered: the talks of this turn are over."
    assert set(lapse.audience) == {"red", "blue"}


def test_a_crisis_round_can_be_previewed_without_reading_or_changing_anyones_choice(game):
    from engine.rules.previews import round_results

    state = apply_all(game, skip_talks(game, game.start(1)), decide("red", "provoke"), decide("blue"))
    state, _ = game.apply(state, crisis("blue", "escalate"))  # Blue has chosen: the preview must not read it
    results = round_results(game, state, "red")
    assert set(results) == {"back_down", "hold", "escalate"}
    both_escalate = dict(results["escalate"])[("escalate",)]
    assert both_escalate.rung == 2 and not both_escalate.ends  # as test_escalation_by_all_climbs_two_rungs
    assert dict(results["back_down"])[("back_down",)].ends  # all backing down ends the crisis
    assert state.submissions["blue"].choice.value == "escalate" and "red" not in state.submissions
