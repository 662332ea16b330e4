"""The seats beyond the actors: unknown seats are refused, the facilitator's options list every
event and track slot, and the spectator's view holds public information only."""

from __future__ import annotations

import json
import random

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import FACILITATOR, SPECTATOR, IllegalInput
from engine.play.conformance import random_legal_input
from engine.play.wire import facilitator_options_to_wire, options_to_wire, view_to_wire
from engine.rules.events import TrackAdjusted
from engine.rules.options import FacilitatorOptions, SeatOptions
from engine.scenario.loading import ScenarioError
from engine.scenario.models import Visibility

from helpers import apply_all, decide, offer, propose, respond, rules_game, skip_talks, track

# The fixture with a pair track only its two parties may see, and risk hidden from the seats.
OWNER_TENSION = {"initial: {red/blue: 40}, default: 10}": "initial: {red/blue: 40}, default: 10, visibility: owner}"}
HIDDEN_RISK = {"risk:\n  factors:": "risk:\n  visible: false\n  factors:"}


@pytest.fixture(scope="module")
def game():
    return rules_game()


def public_slots(game) -> list[str]:
    """The names of the track slots whose track is public, in the state's order."""
    return [game.layout.label(slot) for slot, (track_id, _, _) in enumerate(game.layout.keys)
            if game.layout.tracks[track_id].visibility is Visibility.PUBLIC]


# -- unknown seats -------------------------------------------------------------------------------


@pytest.mark.parametrize("ask", ["options", "view"])
@pytest.mark.parametrize("seat", ["nobody", "Red", "", "__public__"])
def test_an_unknown_seat_is_refused_with_the_valid_seats(game, ask, seat):
    state = game.start(1)
    with pytest.raises(IllegalInput) as caught:
        getattr(game, ask)(state, seat)
    message = str(caught.value)
    assert f"no seat '{seat}'" in message
    assert "red, blue, green, facilitator, spectator" in message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("ask", ["options", "view"])
def test_a_seat_that_is_not_a_string_is_refused(game, ask):
    with pytest.raises(IllegalInput, match="no seat"):
        getattr(game, ask)(game.start(1), ["red"])


def test_every_seat_the_error_names_has_a_view_and_options(game):
    state = game.start(1)
    for seat in ("red", "blue", "green", FACILITATOR, SPECTATOR):
        assert game.view(state, seat).seat == seat
        assert game.options(state, seat).seat == seat


def test_no_actor_may_be_called_spectator():
    with pytest.raises(ScenarioError, match="'spectator' is a reserved word"):
        rules_game({"- id: green\n": "- id: spectator\n"})


# -- the facilitator's options ----------------------------------------------------------------------


def test_the_facilitators_options_list_every_event_with_whether_it_fired(game):
    state = game.start(1)
    options = game.options(state, FACILITATOR)
    assert isinstance(options, FacilitatorOptions)
    assert options.available and not options.must_act and options.phase is state.phase
    assert [e.id for e in options.events] == ["opening", "norm_breaks", "random_scare", "summit"]
    assert {e.id: e.fired for e in options.events} == {
        "opening": True, "norm_breaks": False, "random_scare": False, "summit": False}
    assert all(e.once for e in options.events)
    assert options.event("summit").title.get("en") == "A summit, played by hand"
    state, _ = game.apply(state, options.event("summit").inject())
    assert game.options(state, FACILITATOR).event("summit").fired


def test_an_events_once_is_listed():
    game = rules_game({"title: The norm breaks\n": "title: The norm breaks\n    once: false\n"})
    options = game.options(game.start(1), FACILITATOR)
    assert {e.id: e.once for e in options.events}["norm_breaks"] is False


def test_the_facilitators_options_list_every_track_slot_with_bounds_and_value(game):
    state = game.start(1)
    options = game.options(state, FACILITATOR)
    assert [t.name for t in options.tracks] == list(game.layout.labels)
    assert len(options.tracks) == len(state.tracks) == 3 * 4 + 3 + 2  # 4 actor tracks, 1 pair, 2 global
    assert [t.value for t in options.tracks] == list(state.tracks)
    budget = options.track("budget.blue")
    assert (budget.track, budget.actor, budget.other, budget.value, budget.min, budget.max) == ("budget", "blue", None, 4, 0, 20)
    assert budget.visibility is Visibility.OWNER and budget.label.get("en") == "Budget"
    tension = options.track("tension.red.blue")
    assert (tension.actor, tension.other, tension.value, tension.min, tension.max) == ("red", "blue", 40, 0, 100)
    spooky = options.track("spooky")
    assert (spooky.actor, spooky.other, spooky.max, spooky.visibility) == (None, None, 10, Visibility.FACILITATOR)
    assert options.track("warheads.red").system == "arms"
    state, _ = game.apply(state, tension.adjust(250, "ruling"))
    assert track(game, state, "tension.red.blue") == 100  # clamped to the max listed
    assert game.options(state, FACILITATOR).track("tension.red.blue").value == 100


def test_the_facilitators_options_are_immutable(game):
    options = game.options(game.start(1), FACILITATOR)
    assert isinstance(options.events, tuple) and isinstance(options.tracks, tuple)
    for value in (options, options.events[0], options.tracks[0]):
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            value.seat = "x"  # type: ignore[misc]


def test_after_the_end_the_facilitator_may_do_nothing():
    game = rules_game({"turns: 6": "turns: 2"})
    state = game.start(1)
    while not state.over:
        state = apply_all(game, skip_talks(game, state), decide("red"), decide("blue"))
    options = game.options(state, FACILITATOR)
    assert not options.available and options.reason == "the game is over"
    assert options_to_wire(options)["kinds"] == []
    with pytest.raises(IllegalInput, match="over"):
        game.apply(state, options.events[0].inject())


def test_the_facilitators_options_have_a_plain_wire_form(game):
    state = game.start(1)
    options = game.options(state, FACILITATOR)
    wire = options_to_wire(options)
    assert wire == facilitator_options_to_wire(options)
    assert json.loads(json.dumps(wire)) == wire
    assert wire["seat"] == FACILITATOR and wire["kinds"] == ["inject", "adjust", "end"] and wire["must_act"] is False
    assert [e["id"] for e in wire["events"]] == [e.id for e in options.events]
    assert wire["events"][0] == {"id": "opening", "title": "The talks open", "text": "", "fired": True, "once": True}
    assert list(wire["tracks"]) == list(game.layout.labels)
    assert wire["tracks"]["budget.blue"] == {
        "track": "budget", "actor": "blue", "other": None, "label": "Budget", "value": 4.0,
        "min": 0.0, "max": 20.0, "visibility": "owner", "system": None}


# -- the spectator --------------------------------------------------------------------------------


def test_the_spectator_may_do_nothing(game):
    for state in (game.start(1), skip_talks(game, game.start(1))):
        options = game.options(state, SPECTATOR)
        assert options == SeatOptions(seat=SPECTATOR, phase=state.phase, must_act=False)
    assert SPECTATOR not in game.awaiting(game.start(1))


def test_the_spectator_sees_public_tracks_only():
    game = rules_game(OWNER_TENSION)
    state = game.start(1)
    names = [t.name for t in game.view(state, SPECTATOR).tracks]
    assert names == public_slots(game)
    assert not any(n.startswith(("budget.", "secret_stock.", "tension.", "spooky")) for n in names)
    # the parties of the owner-only pair track see it: it is not public, and not for the spectator
    assert game.view(state, "red").track("tension.red.blue") is not None
    assert game.view(state, "blue").track("tension.red.blue") is not None


def test_the_spectator_reads_only_the_log_lines_meant_for_everyone(game):
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red", "hide"), decide("blue", "build"))
    log = game.view(state, SPECTATOR).log
    assert log == tuple(e for e in state.log if not e.audience)
    moves = [e.event.move for e in log if e.kind == "move"]
    assert moves == ["build"]  # red's secret move is not there
    assert any(e.audience for e in state.log)  # there was a private line to leave out


def test_the_spectator_sees_no_proposals_and_no_talks():
    game = rules_game({"active: false": "active: true"})
    state = apply_all(game, game.start(1), propose("red", offer("hotline", ["red", "blue"])), propose("blue"), propose("green"))
    assert len(state.proposals) == 1 and len(game.view(state, "red").proposals) == 1
    view = game.view(state, SPECTATOR)
    assert view.proposals == ()
    assert not any(e.kind == "talks" for e in view.log)
    # once signed, the agreement in force is public
    state = apply_all(game, state, respond("blue", p1="accept"))
    assert [a.template for a in state.agreements] == ["hotline"]
    assert game.view(state, SPECTATOR).agreements == state.agreements


def test_the_spectator_sees_who_has_submitted_but_not_what(game):
    state = apply_all(game, skip_talks(game, game.start(1)), decide("red", "hide"))
    view = game.view(state, SPECTATOR)
    assert view.submitted == {"red"} and view.awaiting == {"blue"}
    assert view.own_submission is None
    assert repr(state.submissions["red"]) not in repr(attrs.asdict(view, recurse=False))
    assert "hide" not in json.dumps(view_to_wire(view))


def test_the_spectator_sees_the_crisis(game):
    state = apply_all(game, skip_talks(game, game.start(1)), decide("red", "provoke"), decide("blue"))
    assert state.crisis is not None
    assert game.view(state, SPECTATOR).crisis == state.crisis


def test_the_spectator_sees_risk_only_when_the_scenario_shows_it(game):
    state = apply_all(game, skip_talks(game, game.start(1)), decide("red"), decide("blue"))
    view = game.view(state, SPECTATOR)
    assert view.risk == state.risk and view.assessments == state.assessments
    hidden = rules_game(HIDDEN_RISK)
    state = apply_all(hidden, skip_talks(hidden, hidden.start(1)), decide("red"), decide("blue"))
    view = hidden.view(state, SPECTATOR)
    assert view.risk is None
    assert all(a.risk is None and not a.factors for a in view.assessments)
    assert [a.clock for a in view.assessments] == [a.clock for a in state.assessments]


def test_the_tuis_shared_screens_use_the_spectators_view(tmp_path):
    from engine.play.table import Session

    game = rules_game()
    session = Session(game, 1, {"red": "human", "blue": "human"}, save_path=tmp_path / "save.yaml")
    session.state = apply_all(game, session.state, propose("red", offer("hotline", ["red", "blue"])))
    assert session.viewer() == SPECTATOR
    shared = session.view_for(session.viewer())
    assert shared == game.view(session.state, SPECTATOR)
    assert shared.proposals == () and shared.own_submission is None
    # a player's own screen is still that player's view
    assert session.view_for("red") == game.view(session.state, "red")


# -- a property over random games ----------------------------------------------------------------------

GAME = rules_game({"active: false": "active: true", "chance: 0.0": "chance: 0.3", **OWNER_TENSION, **HIDDEN_RISK})
SEEDS = st.integers(min_value=0, max_value=2**62)
FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_states(seed: int):
    """The states of a random legal game, facilitator's injects and adjustments included."""
    rng = random.Random(seed)
    state = GAME.start(seed)
    yield state
    while not state.over:
        if rng.random() < 0.05:
            options = GAME.options(state, FACILITATOR)
            if rng.random() < 0.5:
                value = rng.choice(options.events).inject()
            else:
                slot = rng.choice(options.tracks)
                value = slot.adjust(rng.uniform(slot.min, slot.max), "test")
        else:
            seat = rng.choice(sorted(GAME.awaiting(state)))
            value = random_legal_input(GAME, state, seat, rng)
        state, _ = GAME.apply(state, value)
        yield state


@FAST
@given(SEEDS)
def test_a_spectators_view_never_carries_a_secret(seed):
    public = public_slots(GAME)
    public_tracks = {t.id for t in GAME.scenario.tracks if t.visibility is Visibility.PUBLIC}
    for state in random_states(seed):
        view = GAME.view(state, SPECTATOR)
        assert [t.name for t in view.tracks] == public
        assert all(GAME.layout.tracks[t.track].visibility is Visibility.PUBLIC for t in view.tracks)
        # every line meant for everyone, but the facilitator's settings of the tracks it may not see
        assert view.log == tuple(e for e in state.log if not e.audience and not (
            type(e.event) is TrackAdjusted and e.event.track.split(".")[0] not in public_tracks))
        assert view.proposals == () and view.own_submission is None
        assert view.submitted == frozenset(state.submissions)
        assert view.risk is None and all(a.risk is None and not a.factors for a in view.assessments)
        flat = repr(attrs.asdict(view, recurse=False))
        assert all(repr(v) not in flat for v in state.submissions.values())
        options = GAME.options(state, FACILITATOR)
        assert [t.value for t in options.tracks] == list(state.tracks)
        assert {e.id for e in options.events if e.fired} == state.fired_events
