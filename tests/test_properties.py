"""Property tests of the engine's invariants over random seeds and random legal play."""

from __future__ import annotations

import random

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import FACILITATOR
from engine.play.conformance import check_state, random_legal_input
from engine.play.records import Recorder, digest, replay
from engine.rules.views import may_see_track

from helpers import rules_game

GAME = rules_game({"active: false": "active: true", "chance: 0.0": "chance: 0.3"})
SEEDS = st.integers(min_value=0, max_value=2**62)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_game(seed: int):
    """Play a random legal game; yield (state, input, next_state) for every input."""
    rng = random.Random(seed)
    state = GAME.start(seed)
    while not state.over:
        seat = rng.choice(sorted(GAME.awaiting(state)))
        value = random_legal_input(GAME, state, seat, rng)
        after, _ = GAME.apply(state, value)
        yield state, value, after
        state = after


@FAST
@given(SEEDS)
def test_same_scenario_seed_and_inputs_give_the_same_game(seed):
    first = [(value, digest(GAME, after)) for _, value, after in random_game(seed)]
    state = GAME.start(seed)
    for value, expected in first:
        state, _ = GAME.apply(state, value)
        assert digest(GAME, state) == expected


@FAST
@given(SEEDS)
def test_tracks_risk_and_clock_stay_in_bounds(seed):
    for _, _, after in random_game(seed):
        assert check_state(GAME, after) == []


@FAST
@given(SEEDS)
def test_a_record_replays_to_the_same_digests(seed):
    recorder = Recorder(GAME, seed)
    final = None
    for before, value, after in random_game(seed):
        recorder.record(before, value, after)
        final = after
    result = replay(GAME, recorder.to_record())
    assert result.divergence is None
    assert digest(GAME, result.final) == digest(GAME, final)


@FAST
@given(SEEDS)
def test_a_seats_view_never_carries_what_it_may_not_see(seed):
    for _, _, after in random_game(seed):
        for seat in GAME.seats:
            view = GAME.view(after, seat)
            for reading in view.tracks:
                track = GAME.layout.tracks[reading.track]
                assert may_see_track(track.scope, track.visibility, seat, reading.actor, reading.other)
            assert all(not e.audience or seat in e.audience for e in view.log)
            assert all(seat in p.parties for p in view.proposals)
            assert view.own_submission is after.submissions.get(seat)
            # Nothing in the view is another seat's pending input.
            others = [v for s, v in after.submissions.items() if s != seat]
            flat = repr(attrs.asdict(view, recurse=False))
            assert all(repr(v) not in flat for v in others)


@FAST
@given(SEEDS)
def test_the_facilitator_sees_everything(seed):
    for _, _, after in random_game(seed):
        view = GAME.view(after, FACILITATOR)
        assert len(view.tracks) == len(after.tracks) and len(view.log) == len(after.log)
        break


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SEEDS)
def test_states_views_and_options_are_immutable_all_the_way_down(seed):
    # Before log entries were typed, an entry held a list: appending to it changed every view.
    from engine import SPECTATOR
    from engine.play.conformance import mutable_parts

    for _, _, after in random_game(seed):
        assert mutable_parts(after) == []
        for seat in (*GAME.seats, FACILITATOR, SPECTATOR):
            assert mutable_parts(GAME.view(after, seat), f"view of {seat}") == []
        for seat in (*GAME.seats, FACILITATOR):
            assert mutable_parts(GAME.options(after, seat), f"options of {seat}") == []


def test_the_immutability_check_finds_what_could_change_in_place():
    from engine.play.conformance import mutable_parts
    from engine.rules.events import CrisisRoundPlayed

    state = GAME.start(1)
    listed = attrs.evolve(state, last_played=[("red", "build")])
    assert mutable_parts(listed) == ["state.last_played: a list can be changed in place"]
    entry = attrs.evolve(state.log[0], audience=["red"])
    assert mutable_parts(entry, "entry") == ["entry.audience: a list can be changed in place"]
    choices = CrisisRoundPlayed(1, {"red": "hold"}).choices
    try:
        choices["red"] = "escalate"  # type: ignore[index]
    except TypeError:
        pass
    assert choices["red"] == "hold"
