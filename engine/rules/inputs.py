"""Inputs: what a seat (or the facilitator) submits. Plain values that travel as dicts.

Every input is a mapping with `seat` and `kind`; `parse_input` turns one into a typed value
and `input_to_dict` back, so records, scripts, bots and a network server share one form.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from engine.errors import InvalidInput
from engine.rules.state import Answer, CrisisChoice, frozen_map


@attrs.frozen
class Offer:
    """One proposal inside a Propose input."""

    template: str
    parties: tuple[str, ...]
    params: Mapping[str, float] = attrs.field(factory=dict, converter=frozen_map)


@attrs.frozen
class Propose:
    """Talks, first round: the seat's proposals (possibly none)."""

    seat: str
    offers: tuple[Offer, ...] = ()
    kind = "propose"


@attrs.frozen
class Reply:
    """An answer to one proposal; a counter carries new parameters."""

    proposal: int
    answer: Answer
    params: Mapping[str, float] = attrs.field(factory=dict, converter=frozen_map)


@attrs.frozen
class Respond:
    """Talks, later rounds: answers to the proposals addressed to the seat."""

    seat: str
    replies: tuple[Reply, ...] = ()
    kind = "respond"


@attrs.frozen
class Decide:
    """The seat's secret moves for the turn."""

    seat: str
    moves: tuple[str, ...] = ()
    kind = "decide"


@attrs.frozen
class ChooseInCrisis:
    """The seat's choice in a crisis round."""

    seat: str
    choice: CrisisChoice
    kind = "crisis"


@attrs.frozen
class Inject:
    """The facilitator plays an event by hand."""

    event: str
    seat: str = "facilitator"
    kind = "inject"


@attrs.frozen
class Adjust:
    """The facilitator adjudicates: sets a track to a value, with a reason for the log."""

    track: str
    value: float
    actor: str | None = None
    other: str | None = None
    reason: str = ""
    seat: str = "facilitator"
    kind = "adjust"


Input = Propose | Respond | Decide | ChooseInCrisis | Inject | Adjust


def _require(data: Mapping, key: str, kind: type | tuple[type, ...], where: str):
    if key not in data:
        raise InvalidInput(f"{where}: missing '{key}'")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kind):  # no input field is a bool
        raise InvalidInput(f"{where}: '{key}' has the wrong type ({type(value).__name__})")
    return value


def _params(value: object, where: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{where}: 'params' must be a mapping of parameter to number")
    result = {}
    for key, number in value.items():
        if not isinstance(key, str) or isinstance(number, bool) or not isinstance(number, int | float):
            raise InvalidInput(f"{where}: parameter {key!r} must be a number")
        result[key] = float(number)
    return result


def _string_list(value: object, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{where}: '{key}' must be a list of names")
    return tuple(value)


def _enum(enum_type, value: object, where: str):
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum_type)
        raise InvalidInput(f"{where}: {value!r} is not one of {allowed}") from None


def parse_input(data: Mapping | Input) -> Input:
    """Turn a plain mapping into a typed input, or raise InvalidInput saying what is wrong."""
    if isinstance(data, Input):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput(f"an input must be a mapping, not {type(data).__name__}")
    kind = data.get("kind")
    seat = data.get("seat", "facilitator")
    if not isinstance(seat, str):
        raise InvalidInput("'seat' must be a name")
    where = f"input from {seat}"
    if kind == "propose":
        offers = []
        for i, offer in enumerate(data.get("offers") or []):
            at = f"{where}, offer {i + 1}"
            if not isinstance(offer, Mapping):
                raise InvalidInput(f"{at}: must be a mapping")
            offers.append(
                Offer(
                    template=_require(offer, "template", str, at),
                    parties=_string_list(offer.get("parties"), at, "parties"),
                    params=_params(offer.get("params"), at),
                )
            )
        return Propose(seat=seat, offers=tuple(offers))
    if kind == "respond":
        replies = []
        for i, reply in enumerate(data.get("replies") or []):
            at = f"{where}, reply {i + 1}"
            if not isinstance(reply, Mapping):
                raise InvalidInput(f"{at}: must be a mapping")
            replies.append(
                Reply(
                    proposal=_require(reply, "proposal", int, at),
                    answer=_enum(Answer, reply.get("answer"), at),
                    params=_params(reply.get("params"), at),
                )
            )
        return Respond(seat=seat, replies=tuple(replies))
    if kind == "decide":
        return Decide(seat=seat, moves=_string_list(data.get("moves", []), where, "moves"))
    if kind == "crisis":
        return ChooseInCrisis(seat=seat, choice=_enum(CrisisChoice, data.get("choice"), where))
    if kind == "inject":
        return Inject(event=_require(data, "event", str, where), seat=seat)
    if kind == "adjust":
        value = _require(data, "value", (int, float), where)
        return Adjust(
            track=_require(data, "track", str, where),
            value=float(value),
            actor=data.get("actor"),
            other=data.get("other"),
            reason=str(data.get("reason", "")),
            seat=seat,
        )
    kinds = "propose, respond, decide, crisis, inject, adjust"
    raise InvalidInput(f"{where}: unknown kind {kind!r} (one of {kinds})")


def input_to_dict(value: Input) -> dict:
    """The plain form of an input, as written in records and sent over a network."""
    if isinstance(value, Propose):
        offers = [
            {"template": o.template, "parties": list(o.parties), "params": dict(o.params)}
            for o in value.offers
        ]
        return {"seat": value.seat, "kind": "propose", "offers": offers}
    if isinstance(value, Respond):
        replies = []
        for r in value.replies:
            reply: dict[str, object] = {"proposal": r.proposal, "answer": r.answer.value}
            if r.params:
                reply["params"] = dict(r.params)
            replies.append(reply)
        return {"seat": value.seat, "kind": "respond", "replies": replies}
    if isinstance(value, Decide):
        return {"seat": value.seat, "kind": "decide", "moves": list(value.moves)}
    if isinstance(value, ChooseInCrisis):
        return {"seat": value.seat, "kind": "crisis", "choice": value.choice.value}
    if isinstance(value, Inject):
        return {"seat": value.seat, "kind": "inject", "event": value.event}
    result = {"seat": value.seat, "kind": "adjust", "track": value.track, "value": value.value}
    for key in ("actor", "other"):
        if getattr(value, key) is not None:
            result[key] = getattr(value, key)
    if value.reason:
        result["reason"] = value.reason
    return result
