"""The wire forms: JSON-able, secret-free, and inputs that round-trip."""

from __future__ import annotations

import json

import pytest

from engine.errors import InvalidInput
from engine.play.loop import BotController, play_out
from engine.play.wire import act_message, input_from_wire, options_to_wire, view_to_wire
from engine.rules.inputs import parse_input
from engine.rules.state import Phase

from helpers import rules_game


@pytest.fixture(scope="module")
def game():
    return rules_game()


@pytest.fixture(scope="module")
def moments(game):
    """(state, seat, input) for every input of a few bot games."""
    seen = []
    for seed in range(4):
        controllers = {"red": BotController("hawk"), "blue": BotController("reciprocator")}
        play_out(game, game.start(seed), controllers,
                 observe=lambda before, played, after: seen.append((before, played.input["seat"], played.input)))
    return seen


def test_views_and_options_are_plain_json_in_every_phase(game, moments):
    phases = set()
    for state, seat, _ in moments:
        message = act_message(game.view(state, seat), game.options(state, seat), 1)
        text = json.dumps(message, allow_nan=False)
        assert json.loads(text) == message
        phases.add(message["options"]["kind"])
    assert phases == {"propose", "respond", "decide", "crisis"}


def test_the_options_say_which_input_kind_to_send(game, moments):
    for state, seat, value in moments:
        assert options_to_wire(game.options(state, seat))["kind"] == value["kind"]


def test_a_wire_view_holds_no_more_than_the_seat_view(game, moments):
    for state, seat, _ in moments:
        text = json.dumps(view_to_wire(game.view(state, seat)))
        other = "blue" if seat == "red" else "red"
        assert f"secret_stock.{other}" not in text and f"budget.{other}" not in text
        assert "spooky" not in text
        assert f"budget.{seat}" in text


def test_text_comes_in_one_language_or_all(game):
    state = game.start(1)
    english = view_to_wire(game.view(state, "red"))
    both = view_to_wire(game.view(state, "red"), language=None)
    chinese = view_to_wire(game.view(state, "red"), language="zh")
    assert english["tracks"]["warheads.red"]["label"] == "Warheads"
    assert isinstance(both["log"][0]["text"], dict) and set(both["log"][0]["text"]) == {"en", "zh"}
    assert chinese["log"][0]["text"] == both["log"][0]["text"]["zh"]


def test_log_from_leaves_out_what_was_sent(game):
    view = game.view(game.start(1), "red")
    assert view_to_wire(view, log_from=1)["log"] == view_to_wire(view)["log"][1:]


def test_inputs_round_trip_through_the_wire(moments):
    for _, seat, value in moments:
        assert input_from_wire(json.loads(json.dumps(value)), seat) == parse_input(value)


def test_a_connection_cannot_speak_for_another_seat():
    with pytest.raises(InvalidInput, match="plays red, not 'blue'"):
        input_from_wire({"seat": "blue", "kind": "decide", "moves": []}, "red")
    assert input_from_wire({"kind": "decide", "moves": []}, "red").seat == "red"
    with pytest.raises(InvalidInput, match="JSON object"):
        input_from_wire(["decide"], "red")


def test_a_finished_game_has_a_plain_outcome(game, moments):
    state, history = play_out(game, game.start(2))
    data = view_to_wire(game.view(state, "red"))
    assert data["phase"] == Phase.OVER.value and data["outcome"]["termination"] in ("last_turn", "midnight", "condition")
    json.dumps(data, allow_nan=False)
