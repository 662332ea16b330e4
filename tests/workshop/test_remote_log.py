"""The terminal client's view over the wire: the server sends each client's typed view with the
log only from what it already has (`log_from`), and the client puts the whole log back together.
A whole bot game played through a real TableServer's messages (no network: the messages are what
the server would send) must leave the client with the table's own view at every step."""

from __future__ import annotations

import json

import pytest
from table_helpers import trilateral_fixture  # noqa: F401 (the trilateral fixture)

from engine.play.loop import default_controller
from engine.play.table import Table
from workshop.codes import Codes
from workshop.remote import RemoteSession, state_from_message
from workshop.server import TableServer
from workshop.typed import TypedError


def test_the_client_rebuilds_the_log_the_server_sends_in_parts(trilateral, tmp_path):
    game = trilateral
    table = Table(game, 7, {"us": "team", "russia": "bot", "china": "bot"}, "en", tmp_path / "t.yaml")
    server = TableServer(table, Codes.new(game.seats))
    client = RemoteSession(game, "us", "en", {})
    log_sent, sizes, parts = 0, [], 0
    while True:
        message = server.state_for("us", 0.0, True, log_sent)
        parts += message["typed"]["log_from"] > 0
        log_sent = message["view"]["log_from"] + len(message["view"]["log"])
        sizes.append(len(json.dumps(message, separators=(",", ":"))))
        assert client.update(message).view == table.view_for("us")
        seat = table.next_human()
        if seat is None or table.state.over:
            break
        value, _ = default_controller(game, seat).act(game, table.state, seat)
        table.act(seat, value, 0.0)
    assert table.state.turn > 5 and parts > 5  # a long game, most messages a continuation
    # The last message in parts against the same message with the whole log (what every message
    # was before): the log was most of it (trilateral-2026 1.2: 83 KB against 194 KB).
    whole = len(json.dumps(server.state_for("us", 0.0, True, 0), separators=(",", ":")))
    assert sizes[-1] < 0.6 * whole


def test_a_log_continuation_without_its_beginning_is_refused(trilateral, tmp_path):
    game = trilateral
    table = Table(game, 7, {"us": "team", "russia": "bot", "china": "bot"}, "en", tmp_path / "t.yaml")
    server = TableServer(table, Codes.new(game.seats))
    first = server.state_for("us", 0.0, True, 0)
    later = server.state_for("us", 0.0, True, len(first["view"]["log"]))
    assert later["typed"]["log_from"] == len(first["view"]["log"]) > 0
    with pytest.raises(TypedError, match="beginning"):
        state_from_message(later)  # no earlier state to continue
    assert state_from_message(later, state_from_message(first)).view == table.view_for("us")
    later["typed"]["log_from"] = -1
    with pytest.raises(TypedError, match="count"):
        state_from_message(later, state_from_message(first))
