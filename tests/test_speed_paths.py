"""The fast paths bots and `simulate` take give exactly what the full paths give.

Bots ask for lean options (`Game.options(..., lean=True)`): the same choices, less what only
people read (the words of the terms that would do, the agreements a move would breach), and only
when they need them (`Game.may_propose_now` answers a bot that will not propose), and a lean view
whose readings are made when read (`Game.view(..., lean=True)`). Formulas are
compiled for the game once per self and other, with track names bound to slots
(engine.rules.context): the same values as looking each name up. Personas hand the play loop
typed inputs: the same inputs as parsing their plain form. These tests walk bot games from random
seeds and line-ups and compare the two paths at every decision (benchmarks/fingerprint.py
compares whole games the same way, in bulk).
"""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import load_game
from engine.bots import BotContext, bot_for, persona_names
from engine.bots.base import OptionsOnDemand
from engine.errors import ScenarioRuntimeError
from engine.play.loop import play_out, step
from engine.play.simulate import controllers_for
from engine.rules import talks
from engine.rules.context import SPECIALS
from engine.rules.functions import GameFunctions
from engine.rules.inputs import input_to_dict, parse_input
from engine.rules.options import SeatOptions
from engine.rules.state import Phase
from engine.rules.views import LazyReadings
from engine.scenario.expressions import ExpressionError
from engine.scenario.names import Namespace

GAME = load_game("trilateral-2026")
SOME = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lineups():
    personas = persona_names()
    return st.one_of(st.just({}), st.fixed_dictionaries({seat: st.sampled_from(personas) for seat in GAME.seats}))


def without_words(options: SeatOptions) -> SeatOptions:
    """`options` less what only people read: the terms that would do, the agreements a move breaches."""
    return attrs.evolve(options, templates=tuple(attrs.evolve(t, acceptable=None) for t in options.templates),
                        moves=tuple(attrs.evolve(m, breaches=()) for m in options.moves))


def decisions(seed: int, lineup: dict[str, str], turns: int):
    """(state, seat) at every decision of a bot game's first `turns` turns."""
    controllers = controllers_for(GAME, lineup)
    state = GAME.start(seed)
    while not state.over and state.turn <= turns:
        for seat in GAME.seats:
            if seat in GAME.awaiting(state):
                yield state, seat
        state, _ = step(GAME, state, controllers)


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_lean_options_are_the_full_options_without_their_words(seed, lineup):
    asked = 0
    for state, seat in decisions(seed, lineup, turns=8):
        full = GAME.options(state, seat)
        lean = GAME.options(state, seat, lean=True)
        assert lean == without_words(full)
        assert all(t.acceptable is None for t in lean.templates)
        assert all(m.breaches == () for m in lean.moves)
        if state.phase is Phase.PROPOSE:
            assert GAME.may_propose_now(state, seat) == any(t.available for t in full.templates)
        asked += 1
    assert asked > 0


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_a_lean_view_is_the_full_view_with_its_readings_made_when_read(seed, lineup):
    for state, seat in decisions(seed, lineup, turns=8):
        full, lean = GAME.view(state, seat), GAME.view(state, seat, lean=True)
        assert isinstance(lean.tracks, LazyReadings) and isinstance(full.tracks, tuple)
        assert lean.tracks[-1] == full.tracks[-1] and lean.tracks[1:3] == full.tracks[1:3]
        assert attrs.evolve(lean, tracks=tuple(lean.tracks)) == full
        assert GAME.view(state, seat, lean=True).tracks is lean.tracks  # the same while the tracks are


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_bots_on_the_lean_path_pick_exactly_what_they_pick_with_full_options(seed, lineup):
    """A bot given a lean view and nothing but where to ask for options (as the play loop gives
    it) answers as with the full view and options in hand, and builds no options for a crisis
    choice."""
    controllers = controllers_for(GAME, lineup)
    for state, seat in decisions(seed, lineup, turns=20):
        controller = controllers[seat]
        bot = bot_for(controller.persona, dict(controller.weights))
        lazy = BotContext(GAME, GAME.view(state, seat, lean=True), None, state.seed, state.step,
                          OptionsOnDemand(GAME, state, seat))
        full = BotContext(GAME, GAME.view(state, seat), GAME.options(state, seat), state.seed, state.step)
        assert bot.act(lazy) == bot.act(full)
        if state.phase is Phase.CRISIS:
            assert lazy._options is None


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_a_persona_hands_over_its_input_typed_as_parsing_its_dict_makes_it(seed, lineup):
    """The play loop takes a persona's typed input without parsing: it must be exactly the input
    its plain form parses to, numbers as floats included (1800 == 1800.0, but records differ)."""
    controllers = controllers_for(GAME, lineup)
    for state, seat in decisions(seed, lineup, turns=20):
        controller = controllers[seat]
        typed, reason = controller.submit(GAME, state, seat)
        plain, same_reason = controller.act(GAME, state, seat)
        parsed = parse_input(plain)
        assert typed == parsed and reason == same_reason
        assert repr(input_to_dict(typed)) == repr(input_to_dict(parsed)) == repr(plain)


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_nearest_terms_found_without_words_are_the_terms_found_with_them(seed, lineup):
    """acceptable_terms(words=False) tries values nearest first and stops: the same terms."""
    for state, seat in decisions(seed, lineup, turns=8):
        work = GAME._reader(state)
        for template in GAME.scenario.agreements:
            if not template.parameters:
                continue
            defaults = {p.id: p.default for p in template.parameters}
            full = talks.acceptable_terms(work, seat, template, defaults)
            lean = talks.acceptable_terms(work, seat, template, defaults, words=False)
            assert (full and full[0]) == (lean and lean[0])
            assert lean is None or lean[1] is None


def formulas(game):
    """Every move effect's condition and amount, and every template's conditions, with where."""
    for move in game.scenario.moves:
        for effect in move.effects:
            for formula in (effect.when, effect.delta, effect.set, effect.chance):
                if formula is not None:
                    yield formula
    for template in game.scenario.agreements:
        for formula in (template.accept_requires, template.breach and template.breach.when):
            if formula is not None:
                yield formula


def by_name(work, expression, self_actor, other, extra):
    """`expression` evaluated as written: every name looked up, every call made."""
    namespace = Namespace(GAME.layout, work, SPECIALS, self_actor, other, extra)
    try:
        return expression.evaluate(namespace, GameFunctions(work, self_actor))
    except ExpressionError:
        return "error"


@SOME
@given(seed=st.integers(0, 10_000), lineup=lineups())
def test_formulas_bound_to_slots_give_what_names_give(seed, lineup):
    params = {"param.cap": 1800.0, "param.ceiling": 30.0}
    checked = 0
    for state, _ in decisions(seed, lineup, turns=6):
        work = GAME._reader(state)
        for expression in formulas(GAME):
            for self_actor in (None, *GAME.seats):
                for other in (None, *GAME.seats):
                    try:
                        fast = work.evaluate(expression, self_actor, other, params)
                    except ScenarioRuntimeError:
                        fast = "error"
                    slow = by_name(work, expression, self_actor, other, params)
                    assert fast == slow and type(fast) is type(slow), expression.source
                    checked += 1
    assert checked > 0


def test_a_full_table_of_compiled_formulas_reads_by_name_with_the_same_values(monkeypatch):
    import engine.rules.context as context

    game = load_game("trilateral-2026")
    monkeypatch.setattr(context, "_LIMIT", 0)  # nothing is ever kept: every formula is read by name
    state, history = play_out(game, game.start(5), controllers_for(game, {}))
    again, history_again = play_out(GAME, GAME.start(5), controllers_for(GAME, {}))
    assert history == history_again and state.tracks == again.tracks and state.log == again.log
