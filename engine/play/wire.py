"""Plain JSON-able forms of what a seat sees and may do, and of its inputs.

The agent protocol (JSON lines to an outside program) and a future network server both send a
seat these forms; they hold nothing the seat's `SeatView` does not already hold, so secrets stay
stripped. Text is rendered in one language (`language="en"`) or, with `language=None`, kept as
a mapping of language codes to strings.

    view_to_wire(game.view(state, "us"))      # -> dict of str, numbers, lists, dicts
    options_to_wire(game.options(state, "us"))
    options_to_wire(game.options(state, "facilitator"))  # FacilitatorOptions: events and tracks
    input_from_wire({"seat": "us", "kind": "decide", "moves": ["deploy"]})  # -> typed input
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any

import attrs

from engine.errors import InvalidInput
from engine.rules.inputs import Input, input_to_dict, parse_input
from engine.rules.options import FacilitatorOptions, SeatOptions
from engine.rules.state import Phase
from engine.rules.views import SeatView
from engine.scenario.text import Text

WIRE_FORMAT = 1

# The input kind each phase expects from a seat.
PHASE_KIND = {Phase.PROPOSE: "propose", Phase.RESPOND: "respond", Phase.DECIDE: "decide", Phase.CRISIS: "crisis"}


def plain(value: object, language: str | None = "en") -> Any:
    """Any engine value as JSON-able data: attrs classes as dicts, enums as their values,
    sets as sorted lists, Text in `language` (or as a mapping when `language` is None)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Text):
        return value.get(language) if language else dict(value.values)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Input):
        return input_to_dict(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v, language) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(plain(v, language) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v, language) for v in value]
    cls = type(value)
    if attrs.has(cls):
        return {f.name: plain(getattr(value, f.name), language) for f in attrs.fields(cls)}
    raise TypeError(f"no wire form for {type(value).__name__}")


def view_to_wire(view: SeatView, language: str | None = "en", log_from: int = 0) -> dict:
    """A seat's view as plain data. `log_from` leaves out the first log entries (already sent)."""
    data = {
        "seat": view.seat,
        "turn": view.turn,
        "turns": view.turns,
        "date": view.date,
        "phase": view.phase.value,
        "clock": view.clock,
        "risk": view.risk,
        "active": sorted(view.active),
        "tracks": {
            t.name: {"value": t.value, "min": t.min, "max": t.max, "track": t.track,
                     "label": plain(t.label, language), "actor": t.actor, "other": t.other,
                     "system": t.system,
                     # fog: `value` is an estimate, off by up to `error` percent
                     **({"error": t.error} if t.error is not None else {})}
            for t in view.tracks
        },
        "agreements": plain(view.agreements, language),
        # signed and awaiting ratification: not in force (each with its `ratify_turn`)
        "pending": plain(view.pending, language),
        # after nuclear use, the turns of the scenario's day after left to play (this one included)
        "day_after_left": view.day_after_left,
        "proposals": plain(view.proposals, language),
        "crisis": plain(view.crisis, language),
        "awaiting": sorted(view.awaiting),
        "submitted": sorted(view.submitted),
        "own_submission": plain(view.own_submission, language),
        "assessments": plain(view.assessments, language),
        "log_from": log_from,
        "log": [
            {"turn": e.turn, "kind": e.kind, "text": plain(e.text, language), "event": type(e.event).__name__,
             "data": plain(e.event, language)}
            for e in view.log[log_from:]
        ],
        "outcome": plain(view.outcome, language),
    }
    return data


def options_to_wire(options: SeatOptions | FacilitatorOptions, language: str | None = "en") -> dict:
    """A seat's options as plain data, with `kind`: the input kind it must answer with (the
    facilitator's: see facilitator_options_to_wire)."""
    if isinstance(options, FacilitatorOptions):
        return facilitator_options_to_wire(options, language)
    data: dict = {
        "seat": options.seat,
        "phase": options.phase.value,
        "kind": PHASE_KIND.get(options.phase),
        "must_act": options.must_act,
    }
    if options.phase is Phase.PROPOSE:
        data["max_proposals"] = options.max_proposals
        data["templates"] = [
            {"id": t.id, "label": plain(t.label, language), "system": t.system,
             "description": plain(t.description, language),
             "parameters": [{"id": p.id, "label": plain(p.label, language), "min": p.min, "max": p.max,
                             "default": p.default, "step": p.step} for p in t.parameters],
             "eligible_parties": list(t.eligible_parties), "min_parties": t.min_parties,
             "max_parties": t.max_parties, "available": t.available, "reason": t.reason,
             # When the template's own defaults would be refused: which terms would do, in words.
             "acceptable": t.acceptable}
            for t in options.templates
        ]
    elif options.phase is Phase.RESPOND:
        data["to_answer"] = [
            {"proposal": plain(o.proposal, language), "can_accept": o.can_accept, "reason": o.reason}
            for o in options.to_answer
        ]
    elif options.phase is Phase.DECIDE:
        data["budget"] = options.budget
        data["max_moves"] = options.max_moves
        data["moves"] = [
            {"id": m.id, "label": plain(m.label, language), "system": m.system,
             "description": plain(m.description, language), "cost": m.cost, "secret": m.secret,
             "tags": list(m.tags), "available": m.available, "reason": m.reason}
            for m in options.moves
        ]
    elif options.phase is Phase.CRISIS:
        data["crisis_choices"] = [c.value for c in options.crisis_choices]
    return data


def facilitator_options_to_wire(options: FacilitatorOptions, language: str | None = "en") -> dict:
    """The facilitator's options as plain data: `kinds` are the inputs it may send (none after
    the end), `events` every scenario event, `tracks` every track slot by its expression name."""
    return {
        "seat": options.seat,
        "phase": options.phase.value,
        "kinds": ["inject", "adjust", "end"] if options.available else [],
        "must_act": options.must_act,
        "available": options.available,
        "reason": options.reason,
        "events": [
            {"id": e.id, "title": plain(e.title, language), "text": plain(e.text, language),
             "fired": e.fired, "once": e.once}
            for e in options.events
        ],
        "tracks": {
            t.name: {"track": t.track, "actor": t.actor, "other": t.other, "label": plain(t.label, language),
                     "value": t.value, "min": t.min, "max": t.max, "visibility": t.visibility.value,
                     "system": t.system}
            for t in options.tracks
        },
    }


def act_message(view: SeatView, options: SeatOptions, request: int, language: str | None = "en") -> dict:
    """The agent protocol's request: "this seat must act now; here is what it sees and may do"."""
    return {
        "type": "act",
        "id": request,
        "seat": view.seat,
        "view": view_to_wire(view, language),
        "options": options_to_wire(options, language),
    }


def input_from_wire(data: object, seat: str | None = None) -> Input:
    """A plain input (as an agent or client sends it) as a typed input; raises InvalidInput.

    With `seat`, the input is for that seat: a missing `seat` is filled in, another one refused.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput(f"an input must be a JSON object, not {type(data).__name__}")
    if seat is not None:
        given = data.get("seat", seat)
        if given != seat:
            raise InvalidInput(f"this connection plays {seat}, not {given!r}")
        data = {**data, "seat": seat}
    return parse_input(data)
