"""Inputs: what a seat (or the facilitator) submits. Plain values that travel as dicts.

Every input is a mapping with `seat` and `kind`; `parse_input` turns one into a typed value
and `input_to_dict` back, so records, scripts, bots and a network server share one form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

from engine.errors import InvalidInput
from engine.rules.state import Answer, CrisisChoice, PackagePart, frozen_map, quiet_repr


@attrs.frozen(repr=False)
class Offer:
    """One proposal inside a Propose input. With `package`, the other agreements offered with
    this one, between the same parties, as one package (accepted, signed or refused together)."""

    template: str
    parties: tuple[str, ...]
    params: Mapping[str, float] = attrs.field(factory=dict, converter=frozen_map)
    package: tuple[PackagePart, ...] = ()

    __repr__ = quiet_repr(frozenset({"package"}))


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


@attrs.frozen
class EndGame:
    """The facilitator ends the exercise here: the game is over, scored as it stands."""

    reason: str = ""
    seat: str = "facilitator"
    kind = "end"


Input = Propose | Respond | Decide | ChooseInCrisis | Inject | Adjust | EndGame
FacilitatorInput = Inject | Adjust | EndGame


# Limits on what an input may hold. Inputs come from records, scripts, agents and (later) the
# network: a value outside these is refused as InvalidInput before the rules see it.
MAX_NAME = 200  # characters in a seat, kind, template, move, event or track name
MAX_TEXT = 2_000  # characters in an adjudication's reason
MAX_ITEMS = 256  # offers, replies, moves, parties or parameters in one input
MAX_NUMBER = 1e12  # magnitude of a parameter or an adjudicated value
MAX_PROPOSAL = 10**9  # a proposal's number

_KEYS = {
    "propose": ("seat", "kind", "offers"),
    "respond": ("seat", "kind", "replies"),
    "decide": ("seat", "kind", "moves"),
    "crisis": ("seat", "kind", "choice"),
    "inject": ("seat", "kind", "event"),
    "adjust": ("seat", "kind", "track", "value", "actor", "other", "reason"),
    "end": ("seat", "kind", "reason"),
}
_OFFER_KEYS = ("template", "parties", "params", "package")
_PART_KEYS = ("template", "params")
_REPLY_KEYS = ("proposal", "answer", "params")


def _show(value: object) -> str:
    """A value as an error message may quote it: short, whatever it is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return f"an integer of {len(str(abs(value)))} digits" if abs(value) < 10**4000 else "a huge integer"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails is still named
        text = f"a {type(value).__name__}"
    return text if len(text) <= 40 else text[:37] + "..."


def _type_name(value: object) -> str:
    names = {bool: "true/false", int: "a whole number", float: "a number", str: "text", type(None): "nothing"}
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return names.get(type(value), type(value).__name__)


def _check_keys(data: Mapping, allowed: tuple[str, ...], where: str) -> None:
    for key in data:
        if not isinstance(key, str):
            raise InvalidInput(f"{where}: a key must be a name, not {_show(key)}")
        if key not in allowed:
            raise InvalidInput(f"{where}: unknown key {_show(key)} (allowed: {', '.join(allowed)})")


def _name(value: object, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: '{key}' must be a name, not {_type_name(value)}")
    if not value or len(value) > MAX_NAME or not value.isprintable():
        raise InvalidInput(f"{where}: '{key}' must be a name of 1 to {MAX_NAME} printable characters")
    return value


def _require_name(data: Mapping, key: str, where: str) -> str:
    if key not in data:
        raise InvalidInput(f"{where}: missing '{key}'")
    return _name(data[key], where, key)


def _optional_name(data: Mapping, key: str, where: str) -> str | None:
    value = data.get(key)
    return None if value is None else _name(value, where, key)


def _number(value: object, where: str, what: str) -> float:
    """A finite number of reasonable size (never a bool), as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where}: {what} must be a number, not {_type_name(value)}")
    if isinstance(value, int):
        if abs(value) > MAX_NUMBER:
            raise InvalidInput(f"{where}: {what} is out of range ({_show(value)}; at most {MAX_NUMBER:g} either way)")
        return float(value)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise InvalidInput(f"{where}: {what} is out of range ({_show(value)}; finite, at most {MAX_NUMBER:g} either way)")
    return value


def _list(value: object, where: str, key: str) -> list | tuple:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise InvalidInput(f"{where}: '{key}' must be a list, not {_type_name(value)}")
    if len(value) > MAX_ITEMS:
        raise InvalidInput(f"{where}: '{key}' has {len(value)} entries (at most {MAX_ITEMS})")
    return value


def _params(value: object, where: str) -> dict[str, float]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{where}: 'params' must be a mapping of parameter to number, not {_type_name(value)}")
    if len(value) > MAX_ITEMS:
        raise InvalidInput(f"{where}: 'params' has {len(value)} entries (at most {MAX_ITEMS})")
    result = {}
    for key, number in value.items():
        if not isinstance(key, str) or not key or len(key) > MAX_NAME:
            raise InvalidInput(f"{where}: a parameter must be named by a name, not {_show(key)}")
        result[key] = _number(number, where, f"parameter '{key}'")
    return result


def _string_list(value: object, where: str, key: str) -> tuple[str, ...]:
    items = _list(value, where, key)
    for i, item in enumerate(items):
        if type(item) is not str or not 0 < len(item) <= MAX_NAME or not item.isprintable():
            _name(item, where, f"{key}[{i}]")  # raises, naming the entry (built only for an error)
    return tuple(items)


def _enum(enum_type, value: object, where: str, key: str):
    if isinstance(value, str):
        try:
            return enum_type(value)
        except ValueError:
            pass
    allowed = ", ".join(e.value for e in enum_type)
    if not isinstance(value, str):
        raise InvalidInput(f"{where}: '{key}' must be one of {allowed}, not {_type_name(value)}")
    raise InvalidInput(f"{where}: {_show(value)} is not one of {allowed}")


def _proposal(data: Mapping, where: str) -> int:
    if "proposal" not in data:
        raise InvalidInput(f"{where}: missing 'proposal'")
    value = data["proposal"]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{where}: 'proposal' must be a proposal's number, not {_type_name(value)}")
    if not 0 <= value <= MAX_PROPOSAL:
        raise InvalidInput(f"{where}: 'proposal' is out of range ({_show(value)})")
    return value


def _package(value: object, where: str) -> tuple[PackagePart, ...]:
    parts = []
    for j, part in enumerate(_list(value, where, "package")):
        at = f"{where}, package part {j + 1}"
        if not isinstance(part, Mapping):
            raise InvalidInput(f"{at}: must be a mapping, not {_type_name(part)}")
        _check_keys(part, _PART_KEYS, at)
        parts.append(PackagePart(_require_name(part, "template", at), _params(part.get("params"), at)))
    return tuple(parts)


def parse_input(data: Mapping | Input) -> Input:
    """Turn a plain mapping into a typed input, or raise InvalidInput saying what is wrong.

    Strict: exact types (true is not a number), finite numbers of reasonable size, bounded
    lists and names, and no keys but the kind's own. Nothing else is raised, whatever `data` is.
    """
    if isinstance(data, Input):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput(f"an input must be a mapping, not {_type_name(data)}")
    kind = data.get("kind")
    seat = _name(data.get("seat", "facilitator"), "an input", "seat")
    where = f"input from {seat}"
    if not isinstance(kind, str) or kind not in _KEYS:
        kinds = ", ".join(_KEYS)
        raise InvalidInput(f"{where}: unknown kind {_show(kind)} (one of {kinds})")
    _check_keys(data, _KEYS[kind], f"{where} ({kind})")
    if kind == "propose":
        offers = []
        for i, offer in enumerate(_list(data.get("offers"), where, "offers")):
            at = f"{where}, offer {i + 1}"
            if not isinstance(offer, Mapping):
                raise InvalidInput(f"{at}: must be a mapping, not {_type_name(offer)}")
            _check_keys(offer, _OFFER_KEYS, at)
            offers.append(
                Offer(
                    template=_require_name(offer, "template", at),
                    parties=_string_list(offer.get("parties"), at, "parties"),
                    params=_params(offer.get("params"), at),
                    package=_package(offer.get("package"), at),
                )
            )
        return Propose(seat=seat, offers=tuple(offers))
    if kind == "respond":
        replies = []
        for i, reply in enumerate(_list(data.get("replies"), where, "replies")):
            at = f"{where}, reply {i + 1}"
            if not isinstance(reply, Mapping):
                raise InvalidInput(f"{at}: must be a mapping, not {_type_name(reply)}")
            _check_keys(reply, _REPLY_KEYS, at)
            replies.append(
                Reply(
                    proposal=_proposal(reply, at),
                    answer=_enum(Answer, reply.get("answer"), at, "answer"),
                    params=_params(reply.get("params"), at),
                )
            )
        return Respond(seat=seat, replies=tuple(replies))
    if kind == "decide":
        return Decide(seat=seat, moves=_string_list(data.get("moves"), where, "moves"))
    if kind == "crisis":
        return ChooseInCrisis(seat=seat, choice=_enum(CrisisChoice, data.get("choice"), where, "choice"))
    if kind == "inject":
        return Inject(event=_require_name(data, "event", where), seat=seat)
    reason = data.get("reason", "")
    if reason is None:
        reason = ""
    if not isinstance(reason, str) or len(reason) > MAX_TEXT:
        raise InvalidInput(f"{where}: 'reason' must be text of at most {MAX_TEXT} characters")
    if kind == "end":
        return EndGame(reason=reason, seat=seat)
    # adjust
    if "value" not in data:
        raise InvalidInput(f"{where}: missing 'value'")
    return Adjust(
        track=_require_name(data, "track", where),
        value=_number(data["value"], where, "'value'"),
        actor=_optional_name(data, "actor", where),
        other=_optional_name(data, "other", where),
        reason=reason,
        seat=seat,
    )


def input_to_dict(value: Input) -> dict:
    """The plain form of an input, as written in records and sent over a network."""
    if isinstance(value, Propose):
        offers = []
        for o in value.offers:
            offer: dict[str, object] = {"template": o.template, "parties": list(o.parties), "params": dict(o.params)}
            if o.package:  # only then, so records without packages read as before
                offer["package"] = [{"template": p.template, "params": dict(p.params)} for p in o.package]
            offers.append(offer)
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
    if isinstance(value, EndGame):
        return {"seat": value.seat, "kind": "end", **({"reason": value.reason} if value.reason else {})}
    result = {"seat": value.seat, "kind": "adjust", "track": value.track, "value": value.value}
    for key in ("actor", "other"):
        if getattr(value, key) is not None:
            result[key] = getattr(value, key)
    if value.reason:
        result["reason"] = value.reason
    return result
