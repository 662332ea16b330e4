"""Bots in the day after nuclear use (a scenario's `aftermath`): war termination comes first,
graded by persona, read from the seat's view, and named in the reason when it leads."""

from __future__ import annotations

import attrs
import pytest

from engine import Phase, load_game
from engine.bots import BotContext, bot_for
from engine.bots.base import OptionsOnDemand
from engine.bots.personas import PersonaBot
from engine.bots.reading import FRIENDLY_TAGS, HOSTILE_TAGS, move_tags
from engine.play.simulate import controllers_for
from engine.rules.inputs import parse_input
from engine.scenario.personas import PERSONAS

from test_bot_reasons import check

GAME = load_game("trilateral-2026")
PERSONA_NAMES = ("hawk", "parity-seeker", "reciprocator", "cautious", "dove")


def bots(persona: str, **weights: float) -> dict[str, PersonaBot]:
    lineup = dict.fromkeys(GAME.seats, persona)
    made = {s: bot_for(c.persona, {**c.weights, **weights}) for s, c in controllers_for(GAME, lineup).items()}
    assert all(isinstance(b, PersonaBot) for b in made.values())
    return made  # type: ignore[return-value]


def context(state, seat: str, day_after: bool = True) -> BotContext:
    view = GAME.view(state, seat)
    if not day_after:  # the same moment, read as if no weapon had been used
        view = attrs.evolve(view, day_after_left=None)
    return BotContext(GAME, view, None, state.seed, state.step, OptionsOnDemand(GAME, state, seat))


_STATES: dict = {}


def day_after(seed: int, phase: Phase | None = None):
    """The first state of an all-hawk game (these reach nuclear use) in the day after, in `phase`
    if given, and the seat to play it."""
    key = (seed, phase)
    if key not in _STATES:
        players = bots("hawk")
        state = GAME.start(seed)
        while not state.over:
            for seat in GAME.seats:
                if state.over or seat not in GAME.awaiting(state):
                    continue
                if GAME.view(state, seat).day_after_left and (phase is None or state.phase is phase):
                    _STATES[key] = (state, seat)
                    return _STATES[key]
                state, _ = GAME.apply(state, parse_input(players[seat].plan(context(state, seat)).input))
        raise AssertionError(f"seed {seed} reaches no day after in {phase}")
    return _STATES[key]


def terms_named(plan, name: str) -> list:
    return [t for d in plan.decisions for t in d.terms if t.name == name]


def test_every_persona_but_random_has_a_war_termination_drive_and_the_hawk_the_weakest():
    drive = {p: PERSONAS[p]["terminate"] for p in PERSONA_NAMES}
    assert "terminate" not in PERSONAS["random"]
    assert min(drive, key=drive.get) == "hawk" and drive["hawk"] > 0
    assert drive["dove"] == drive["cautious"] == max(drive.values())


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_in_the_day_after_war_termination_weighs_the_moves_and_is_read_from_the_view(persona):
    state, _ = day_after(8, Phase.DECIDE)
    players = bots(persona)
    weighed = 0
    for seat in GAME.seats:
        plan = players[seat].plan(context(state, seat))
        for decision in plan.decisions:
            check(None, decision)  # the reason names the largest term toward the choice
        found = terms_named(plan, "war termination")
        weighed += bool(found)
        for term in found:  # each friendly move's gain or hostile one's loss is the persona's number
            moves = term.value / PERSONAS[persona]["terminate"]
            assert moves != 0 and moves == pytest.approx(round(moves))
        lead = plan.decisions[0].leading
        if lead is not None and lead.name == "war termination":
            assert "after nuclear use" in plan.reason
        # The same moment without nuclear use in the view: no such term.
        assert not terms_named(players[seat].plan(context(state, seat, day_after=False)), "war termination")
    assert weighed  # some seat had a move the drive touches


def hostile_and_friendly(players, state, day_after_read: bool) -> tuple[int, int]:
    """How many hostile and friendly moves all seats play at `state`."""
    played = [m for seat in GAME.seats for m in players[seat].plan(context(state, seat, day_after_read)).submission.moves]
    tags = [set(move_tags(GAME, m)) for m in played]
    return sum(bool(t & HOSTILE_TAGS) for t in tags), sum(bool(t & FRIENDLY_TAGS) for t in tags)


@pytest.mark.parametrize("seed", [8, 3])
def test_the_day_after_turns_every_persona_toward_restraint_and_the_hawk_least(seed):
    state, _ = day_after(seed, Phase.DECIDE)
    for persona in PERSONA_NAMES:
        players = bots(persona)
        (hostile, friendly), (hostile_before, friendly_before) = (
            hostile_and_friendly(players, state, True), hostile_and_friendly(players, state, False))
        assert hostile <= hostile_before and friendly >= friendly_before, persona
        if persona == "hawk":
            assert hostile < hostile_before and hostile > 0  # fewer, but its drive is weak: it still builds
        elif persona != "dove":  # the dove plays restraint already
            assert friendly > friendly_before, persona


def test_in_the_day_after_a_persona_reaches_for_the_talks_and_values_what_binds_nothing_most():
    state, seat = day_after(8, Phase.RESPOND)
    players = bots("reciprocator")
    plan = players[seat].plan(context(state, seat))
    assert plan.decisions
    options = {o.proposal.id: o for o in context(state, seat).options.to_answer}
    for decision, option in zip(plan.decisions, options.values(), strict=True):
        check(option.proposal.template, decision)
        (term,) = [t for t in decision.terms if t.name == "war termination"]
        _, _, binds = players[seat]._stake(context(state, seat), option.proposal.template)
        # Full for a channel or a pledge that binds nothing, half for a limit (a package counts
        # its first agreement's).
        assert term.value == pytest.approx(PERSONAS["reciprocator"]["terminate"] * (0.5 if binds else 1.0))
        assert term.words == "after nuclear use, wants the war ended"
    assert not terms_named(players[seat].plan(context(state, seat, day_after=False)), "war termination")


def test_in_a_day_after_crisis_war_termination_backs_down_and_the_reason_says_so():
    state, seat = day_after(0, Phase.CRISIS)
    sure = bots("hawk", terminate=1.0)[seat]  # a hawk told to put ending the war first, surely
    plan = sure.plan(context(state, seat))
    assert plan.submission.choice.value == "back_down"
    (decision,) = plan.decisions
    assert decision.leading.name == "war termination" and plan.reason.startswith("backs down to end the war")
    check(None, decision)
    # Read from the view: the same crisis before any use gives the term no place.
    assert not terms_named(sure.plan(context(state, seat, day_after=False)), "war termination")
    never = bots("hawk", terminate=0.0)[seat]
    assert not terms_named(never.plan(context(state, seat)), "war termination")
