"""Packages (agreements offered, answered and signed as one) and ratification (a signed
agreement waits for a party's own approval before it enters into force)."""

from __future__ import annotations

import pytest

from engine import IllegalInput, Phase, RecordError, load_game
from engine.play.loop import PlayedInput, play_out
from engine.play.records import Recorder, dump_record, read_record, replay
from engine.play.scripts import check_script, read_script, script_controllers
from engine.play.wire import input_from_wire, view_to_wire
from engine.rules import events
from engine.rules.inputs import input_to_dict, parse_input
from engine.scenario.loading import ScenarioError, load_scenario_text

from helpers import FIXTURES, RULES, apply_all, decide, offer, propose, respond, rules_game, skip_talks, track

# Blue takes the hotline only together with a cap (its "linkage"): in_package in accept_requires.
LINKED = {"    label: Hotline\n    system: talks\n":
          "    label: Hotline\n    system: talks\n    accept_requires: \"not is_self('blue') or in_package('cap')\"\n"
          "    refusal: Only with a cap\n"}
# Blue's parliament must approve the cap: it waits one turn, then needs Blue's security at 50.
RATIFIED = {"    duration: 3\n": "    duration: 3\n    ratification:\n      actors: [blue]\n      turns: 1\n"
            "      requires: \"security.self >= 50\"\n      text: the parliament did not approve it\n"}


def package(template: str, parties: list[str], partner: str, **params: float) -> dict:
    return {**offer(template, parties, **params), "package": [{"template": partner, "params": {}}]}


def signed_package(game, answer: str = "accept"):
    state = game.start(1)
    state = apply_all(game, state, propose("red", package("cap", ["red", "blue"], "hotline", limit=1000)), propose("blue"))
    return apply_all(game, state, respond("blue", p1=answer))


def test_a_package_accepted_is_signed_whole_as_one_package():
    game = rules_game()
    state = signed_package(game)
    cap, hotline = state.agreements
    assert (cap.template, hotline.template) == ("cap", "hotline")
    assert cap.package == hotline.package == cap.id  # one package, named by its first agreement
    (signed,) = [e for e in state.log if isinstance(e.event, events.PackageSigned)]
    assert signed.event.templates == ("cap", "hotline") and "one package" in signed.text.get()
    assert track(game, state, "tension.red.blue") == 30  # the cap's on_sign applied


def test_a_package_rejected_signs_none_of_its_parts():
    game = rules_game()
    state = signed_package(game, "reject")
    assert state.agreements == () and state.phase is Phase.DECIDE


def test_in_package_lets_a_party_accept_only_what_comes_with_its_condition():
    game = rules_game(LINKED)
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("hotline", ["red", "blue"])), propose("blue"))
    (alone,) = game.options(state, "blue").to_answer
    assert not alone.can_accept and alone.reason == "Only with a cap"
    with pytest.raises(IllegalInput, match="Only with a cap"):
        game.apply(state, respond("blue", p1="accept"))
    state = signed_package(game)
    assert [a.template for a in state.agreements] == ["cap", "hotline"]


def test_a_counter_to_a_package_changes_the_named_terms_and_keeps_the_rest():
    game = rules_game()
    state = game.start(1)
    state = apply_all(game, state, propose("red", package("cap", ["red", "blue"], "hotline", limit=1200)), propose("blue"))
    with pytest.raises(IllegalInput, match="holds no agreement 'treaty'"):
        game.apply(state, {"seat": "blue", "kind": "respond",
                           "replies": [{"proposal": 1, "answer": "counter", "params": {"treaty.limit": 900}}]})
    state = apply_all(game, state, {"seat": "blue", "kind": "respond",
                                    "replies": [{"proposal": 1, "answer": "counter", "params": {"cap.limit": 1100}}]})
    (counter,) = state.proposals
    assert counter.params["limit"] == 1100 and [p.template for p in counter.package] == ["hotline"]
    state = apply_all(game, state, respond("red", **{f"p{counter.id}": "accept"}))
    assert [(a.template, a.package) for a in state.agreements] == [("cap", state.agreements[0].id)] * 1 + [
        ("hotline", state.agreements[0].id)]


def test_a_package_may_not_name_a_template_twice_or_an_unknown_one():
    game = rules_game()
    state = game.start(1)
    with pytest.raises(IllegalInput, match="names cap twice"):
        game.apply(state, propose("red", package("cap", ["red", "blue"], "cap")))
    with pytest.raises(IllegalInput, match="no agreement template 'treaty'"):
        game.apply(state, propose("red", package("cap", ["red", "blue"], "treaty")))


def test_a_caught_breach_of_one_part_ends_the_whole_package():
    game = rules_game()
    state = signed_package(game)
    state = apply_all(game, state, decide("red", "build"), decide("blue"))
    assert state.agreements == ()
    assert any("ends with the package" in e.text.get() for e in state.log)


def test_a_ratified_agreement_waits_then_enters_into_force_with_its_signing_effects():
    game = rules_game(RATIFIED)
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"),
                      respond("blue", p1="accept"))
    assert state.agreements == () and [a.template for a in state.pending] == ["cap"]
    assert state.pending[0].ratify_turn == 2
    assert track(game, state, "tension.red.blue") == 40  # nothing binds or applies before entry into force
    assert [a.template for a in game.view(state, "red").pending] == ["cap"]
    assert view_to_wire(game.view(state, "red"))["pending"][0]["ratify_turn"] == 2
    state = apply_all(game, state, decide("red", "build"), decide("blue"))  # not a breach: not in force
    assert not any(e.kind == "breach" for e in game.view(state, "facilitator").log)
    assert state.turn == 2 and state.pending == ()
    (cap,) = state.agreements
    assert cap.signed_turn == 1 and cap.expires_turn == 4 and cap.ratify_turn is None
    assert any("Ratified, in force" in e.text.get() for e in state.log)


def test_an_agreement_not_ratified_lapses_and_the_log_says_why():
    game = rules_game({**RATIFIED, "security.self >= 50": "security.self >= 90"})
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"),
                      respond("blue", p1="accept"), decide("red"), decide("blue"))
    assert state.turn == 2 and state.agreements == () and state.pending == ()
    (failed,) = [e for e in state.log if isinstance(e.event, events.RatificationFailed)]
    assert failed.event.actor == "blue" and failed.event.reason == "the parliament did not approve it"
    assert failed.text.get() == "Warhead cap lapses unratified: the parliament did not approve it."


def test_an_agreement_awaiting_ratification_is_not_signed_twice():
    game = rules_game(RATIFIED)
    state = game.start(1)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)),
                      propose("blue", offer("cap", ["blue", "red"], limit=1000)),
                      respond("red", p2="accept"), respond("blue", p1="accept"))
    assert len(state.pending) == 1 and state.agreements == ()
    # The second lapses, and its parties are told the truth: the first waits for ratification; it
    # is not in force (it binds no one yet).
    (lapse,) = [e for e in state.log if isinstance(e.event, events.TalksNews) and e.event.what == "lapsed"]
    assert lapse.event.proposal == 2 and set(lapse.audience) == {"red", "blue"}
    assert lapse.text.get() == ("Blue's proposal of Warhead cap lapses: it is already signed between these parties"
                                " and awaits ratification.")
    assert lapse.text.get("zh") == "蓝方 的 弹头上限 提案失效：该协议已由这些缔约方签署，尚待批准。"
    assert "in force" not in lapse.text.get() and "生效" not in lapse.text.get("zh")


def test_a_package_input_round_trips_through_its_plain_form_and_the_wire():
    data = {"seat": "red", "kind": "propose", "offers": [
        {"template": "cap", "parties": ["red", "blue"], "params": {"limit": 1000.0},
         "package": [{"template": "hotline", "params": {}}]}]}
    assert input_to_dict(parse_input(data)) == data
    assert input_to_dict(input_from_wire(data, "red")) == data
    plain = {"seat": "red", "kind": "propose", "offers": [{"template": "cap", "parties": ["red"], "params": {}}]}
    assert input_to_dict(parse_input(plain)) == plain  # no package: the form it always had


@pytest.mark.parametrize("bad", [
    {"template": "hotline", "params": {}, "parties": ["red"]},
    "hotline",
    {"params": {}},
])
def test_a_malformed_package_part_is_invalid_input(bad):
    from engine import InvalidInput

    with pytest.raises(InvalidInput, match="package part 1"):
        parse_input({"seat": "red", "kind": "propose",
                     "offers": [{"template": "cap", "parties": ["red", "blue"], "package": [bad]}]})


def test_a_game_with_a_package_and_a_ratification_records_and_replays(tmp_path):
    game = rules_game(RATIFIED)
    recorder = Recorder(game, 1, {})
    state = game.start(1)
    for value in (propose("red", package("cap", ["red", "blue"], "hotline", limit=1000)), propose("blue"),
                  respond("blue", p1="accept"), decide("red"), decide("blue")):
        before = state
        state, _ = game.apply(state, value)
        recorder.record(before, PlayedInput(before.turn, before.phase.value, value), state)
    assert [a.template for a in state.agreements] == ["cap", "hotline"]  # ratified together
    record = read_record(dump_record(recorder.to_record()).encode())
    assert "package:" in dump_record(record)
    result = replay(game, record)
    assert result.divergence is None and result.final == state


def test_a_record_made_before_packages_still_replays():
    game = rules_game()
    record = read_record(FIXTURES / "records" / "before-packages.yaml")
    result = replay(game, record)
    assert result.divergence is None and result.turns_checked == len(record.turns)
    assert [a.template for a in result.final.agreements] == ["hotline", "cap"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    label: Hotline\n", "    label: Hotline\n    package_with: [treaty]\n",
     "unknown agreement template 'treaty'"),
    ("    duration: 3\n", "    duration: 3\n    ratification: {actors: [blue], requires: \"security.self >=\"}\n",
     "ratification"),
    ("    duration: 3\n", "    duration: 3\n    ratification: {actors: [bleu], requires: \"true\"}\n",
     "unknown actor 'bleu'"),
    ("warheads.self <= param.limit\"", "warheads.self <= param.limit and in_package('treaty')\"",
     "in_package('treaty')"),
])
def test_a_bad_package_or_ratification_is_reported_at_its_line_and_column(old, new, expected):
    text = RULES.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ScenarioError) as caught:
        load_scenario_text(text.replace(old, new, 1).encode(), filename="rules.yaml")
    problems = [str(p) for p in caught.value.problems]
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("rules.yaml:") and p.split(":")[1].isdigit() and p.split(":")[2].isdigit()
               for p in problems), problems


def test_skip_talks_helper_still_reaches_decisions_with_pending_agreements():
    game = rules_game(RATIFIED)
    state = signed_package(game)
    assert state.phase is Phase.DECIDE and len(state.pending) == 2
    state = apply_all(game, state, decide("red"), decide("blue"))
    state = skip_talks(game, state)
    assert state.phase is Phase.DECIDE and state.pending == ()


SCRIPT = b"""midnight_script: 1
turns:
  - turn: 1
    seats:
      red:
        propose:
          - {template: cap, parties: [red, blue], params: {limit: 1000}, package: [{template: hotline}]}
      blue:
        respond: {cap: accept}
"""


def test_a_script_proposes_a_package_and_answers_it_by_its_first_template():
    game = rules_game()
    script = read_script(SCRIPT)
    check_script(game, script)
    state, history = play_out(game, game.start(3), script_controllers(game, script))
    assert history[0].input["offers"][0]["package"] == [{"template": "hotline", "params": {}}]
    assert any(isinstance(e.event, events.PackageSigned) for e in state.log)
    with pytest.raises(RecordError, match=r"package\[0\].template.*no agreement template 'hotlin'"):
        check_script(game, read_script(SCRIPT.replace(b"template: hotline", b"template: hotlin")))


def test_bots_offer_the_scenarios_packages_and_answer_them_by_the_sum_of_their_parts():
    """Three doves in trilateral-2026: the cap goes with shield limits (its package_with); every
    answer to a package is a decision whose reason names its largest term toward the choice."""
    from test_bot_reasons import check, decisions_of_a_game

    lineup = {"us": "dove", "russia": "dove", "china": "dove"}
    answered = []
    for seed in range(3):
        for template, decision in decisions_of_a_game("trilateral-2026", seed, lineup):
            check(template, decision)
            if decision.kind == "answer" and "package of" in decision.reason:
                answered.append(decision)
    assert answered
    for decision in answered:
        names = [t.name for t in decision.terms]
        assert len(names) == len(set(names))  # one term per name: the parts' binds summed
        assert "Cap deployed strategic warheads with Limit space-based interceptors" in decision.reason


# The cap goes with the hotline (its package_with), as trilateral-2026's cap goes with shield limits.
PAIRED = {"    duration: 3\n": "    duration: 3\n    package_with: [hotline]\n"}


def red_offers(game, state):
    """What a dove on Red (always proposing, no whim) offers at `state`, and its reason."""
    from engine.bots import BotContext, bot_for
    from engine.bots.base import OptionsOnDemand

    bot = bot_for("dove", {"propose": 1.0, "noise": 0.0})
    context = BotContext(game, game.view(state, "red"), None, state.seed, state.step,
                         OptionsOnDemand(game, state, "red"))
    plan = bot.plan(context)
    return plan.submission.offers, plan.reason


def test_a_bot_offers_an_agreement_alone_first_and_its_package_only_after_a_party_refused_it_alone():
    game = rules_game(PAIRED)
    state = game.start(1)
    (alone,), reason = red_offers(game, state)
    assert alone.template == "cap" and alone.package == ()  # no refusal yet: the cap alone
    assert reason == "proposes Warhead cap to Blue"
    # Blue rejects the cap alone: when the cap is next on the agenda (turn 3; turn 2 is the
    # hotline's alone), Red brings the package, and says why.
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"),
                      respond("blue", p1="reject"), decide("red"), decide("blue"),
                      propose("red"), propose("blue"), decide("red"), decide("blue"))
    assert state.turn == 3 and state.phase is Phase.PROPOSE
    (package,), reason = red_offers(game, state)
    assert package.template == "cap" and [p.template for p in package.package] == ["hotline"]
    assert reason == "proposes a package of Warhead cap with Hotline to Blue, as Blue refused Warhead cap alone"
    from engine.bots.wording import reason_in

    assert reason_in(reason, "zh", game.scenario) == (
        "提议：蓝方拒绝了单独的弹头上限，故向蓝方提出一揽子协议（弹头上限连同Hotline）")


def test_a_refused_package_or_hotline_is_no_refusal_of_the_cap_alone():
    game = rules_game(PAIRED)
    state = game.start(1)
    state = apply_all(game, state, propose("red", {**offer("cap", ["red", "blue"], limit=1000),
                                                   "package": [{"template": "hotline", "params": {}}]}),
                      propose("blue", offer("hotline", ["blue", "red"])),
                      respond("red", p2="reject"), respond("blue", p1="reject"), decide("red"), decide("blue"),
                      propose("red"), propose("blue"), decide("red"), decide("blue"))
    assert state.turn == 3 and sum(e.event.what == "rejected" for e in state.log
                                   if isinstance(e.event, events.TalksNews)) == 2
    (alone,), _ = red_offers(game, state)
    assert alone.template == "cap" and alone.package == ()


def test_trilateral_bots_bring_the_cap_with_shield_limits_only_after_the_cap_alone_was_refused():
    from engine.play.simulate import controllers_for

    game = load_game("trilateral-2026")
    packages = 0
    for seed in range(6):
        state, history = play_out(game, game.start(seed), controllers_for(game, {}))
        for played in history:
            offers = played.input.get("offers", []) if isinstance(played.input, dict) else []
            for made in offers:
                if made["template"] == "strategic_cap" and made.get("package"):
                    packages += 1
                    assert ", as " in played.reason and "refused Cap deployed strategic warheads alone" in played.reason
    assert packages  # the test saw the package brought
