"""Log entries carry typed events: what happened, for programs, beside the sentence for people."""

from __future__ import annotations

import pytest

from engine.play.wire import view_to_wire
from engine.rules import events
from engine.rules.state import Phase

from helpers import apply_all, crisis, decide, offer, propose, respond, rules_game, skip_talks


@pytest.fixture(scope="module")
def game():
    return rules_game()


def _events(entries, kind: type) -> list:
    return [e.event for e in entries if isinstance(e.event, kind)]


def test_a_turn_opens_with_a_turn_event(game):
    state = game.start(1)
    assert state.log[0].event == events.TurnBegan() and state.log[0].kind == "turn"


def test_signing_tells_the_template_and_its_parties(game):
    state = apply_all(game, game.start(1), propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"))
    state, caused = game.apply(state, respond("blue", p1="accept"))
    assert _events(caused, events.AgreementSigned) == [events.AgreementSigned("cap", ("red", "blue"))]
    news = _events(caused, events.TalksNews)
    assert [(n.proposal, n.what) for n in news] == [(1, "accepted")]


def test_moves_tell_who_played_what_and_whether_it_was_secret(game):
    state = skip_talks(game, game.start(1))
    state, caused = game.apply(apply_all(game, state, decide("red", "hide")), decide("blue", "build"))
    assert _events(caused, events.MovePlayed) == [events.MovePlayed("red", "hide", secret=True),
                                                  events.MovePlayed("blue", "build")]


def test_a_crisis_tells_its_start_each_round_and_each_rung(game):
    state = skip_talks(game, game.start(1))
    state, caused = game.apply(apply_all(game, state, decide("red", "provoke")), decide("blue"))
    assert state.phase is Phase.CRISIS
    assert _events(caused, events.CrisisStarted) == [events.CrisisStarted(("red", "blue"), 0)]
    state, caused = game.apply(apply_all(game, state, crisis("red", "escalate")), crisis("blue", "escalate"))
    (round_played,) = _events(caused, events.CrisisRoundPlayed)
    assert round_played.round == 1 and dict(round_played.choices) == {"red": "escalate", "blue": "escalate"}
    assert _events(caused, events.CrisisRungReached) == [events.CrisisRungReached(2)]
    assert all(e.kind == "crisis" for e in caused if isinstance(e.event, events.CrisisRoundPlayed | events.CrisisRungReached))


def test_the_assessment_tells_how_the_clock_moved(game):
    state = skip_talks(game, game.start(1))
    state, caused = game.apply(apply_all(game, state, decide("red")), decide("blue"))
    (moved,) = _events(caused, events.ClockMoved)
    assert moved.clock == state.clock and moved.change == state.assessments[-1].clock_change


def test_the_wire_names_each_event_and_gives_its_fields(game):
    state = skip_talks(game, game.start(1))
    state = apply_all(game, state, decide("red", "provoke"), decide("blue"))
    lines = view_to_wire(game.view(state, "red"))["log"]
    started = [line for line in lines if line["event"] == "CrisisStarted"]
    assert started == [{"turn": 1, "kind": "crisis", "text": started[0]["text"], "event": "CrisisStarted",
                        "data": {"participants": ["red", "blue"], "rung": 0}}]


def test_every_event_type_is_named_for_the_wire():
    assert set(events.EVENT_TYPES) >= {"MovePlayed", "CrisisStarted", "AgreementSigned", "GameOver", "TrackAdjusted"}
    assert all(events.EVENT_TYPES[name].__name__ == name for name in events.EVENT_TYPES)
