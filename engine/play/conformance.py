"""A conformance check any scenario can run: seeded random legal playouts that check invariants.

Like PettingZoo's api_test, it ships with the package: the test suite runs it over every built-in
scenario, and `midnight validate --playouts N` runs it over an author's own file.
Invariants: every input the options call legal is accepted; tracks stay in bounds; risk stays in
0..100 and the clock in 0..max; the game ends by its last turn; a record of the game replays to
identical digests; a state, and every seat's view and options, are immutable all the way down.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Mapping
from types import MappingProxyType
from typing import cast

import attrs

from engine.errors import MidnightError
from engine.play.records import Recorder, replay
from engine.rules.game import Game
from engine.rules.options import SeatOptions
from engine.rules.state import FACILITATOR, GameState, Phase


def random_legal_input(game: Game, state: GameState, seat: str, rng: random.Random) -> dict:
    """A random input among those the seat's options call legal (wider than any bot's play)."""
    options = game.options(state, seat)
    assert isinstance(options, SeatOptions)  # an actor's seat
    if options.phase is Phase.PROPOSE:
        offers: list[dict] = []
        for template in rng.sample(list(options.templates), k=len(options.templates)):
            if len(offers) >= options.max_proposals or not template.available or rng.random() < 0.5:
                continue
            others = [p for p in template.eligible_parties if p != seat]
            most = len(others) if template.max_parties is None else min(len(others), template.max_parties - 1)
            least = max(1, template.min_parties - 1)
            if most < least:
                continue
            parties = [seat, *rng.sample(others, rng.randint(least, most))]
            params = {p.id: p.min + p.step * rng.randint(0, int((p.max - p.min) / p.step)) for p in template.parameters}
            if game.template(template.id).accept_requires is not None:
                # The options vouch for the defaults only: acceptance may depend on the values.
                params = {p.id: p.default for p in template.parameters}
            signed = (*state.agreements, *state.pending)  # in force, or awaiting ratification
            if (template.id, frozenset(parties)) in {(a.template, frozenset(a.parties)) for a in signed}:
                continue
            offers.append({"template": template.id, "parties": parties, "params": params})
        return {"seat": seat, "kind": "propose", "offers": offers}
    if options.phase is Phase.RESPOND:
        replies = []
        for option in options.to_answer:
            answers = ["reject", "counter"] + (["accept", "accept"] if option.can_accept else [])
            answer = rng.choice(answers)
            reply = {"proposal": option.proposal.id, "answer": answer}
            if answer == "counter":
                countered = game.template(option.proposal.template)
                reply["params"] = {p.id: p.default for p in countered.parameters}
            replies.append(reply)
        return {"seat": seat, "kind": "respond", "replies": replies}
    if options.phase is Phase.DECIDE:
        chosen: list[str] = []
        spent = 0.0
        for move in rng.sample(list(options.available_moves()), k=len(options.available_moves())):
            if len(chosen) >= options.max_moves or rng.random() < 0.4:
                continue
            if options.budget is not None and spent + move.cost > options.budget + 1e-9:
                continue
            chosen.append(move.id)
            spent += move.cost
        return {"seat": seat, "kind": "decide", "moves": chosen}
    return {"seat": seat, "kind": "crisis", "choice": rng.choice(options.crisis_choices).value}


def check_state(game: Game, state: GameState) -> list[str]:
    problems = []
    for slot, value in enumerate(state.tracks):
        track = game.layout.tracks[game.layout.keys[slot][0]]
        if not track.min <= value <= track.max:
            problems.append(f"turn {state.turn}: {game.layout.label(slot)} = {value} is outside {track.min}..{track.max}")
    if not 0 <= state.risk <= 100:
        problems.append(f"turn {state.turn}: risk {state.risk} outside 0..100")
    if not 0 <= state.clock <= game.scenario.clock.max:
        problems.append(f"turn {state.turn}: clock {state.clock} outside 0..{game.scenario.clock.max}")
    if state.turn > game.scenario.turns:
        problems.append(f"turn {state.turn} is past the last turn {game.scenario.turns}")
    return problems


# Values that cannot change once made. A Text's translations are a dict subclass that refuses changes.
_ATOMS = (type(None), bool, int, float, str, bytes, enum.Enum)


def mutable_parts(value: object, path: str = "state", _seen: set[int] | None = None) -> list[str]:
    """Where in `value` something could be changed in place (a list, a dict, a set, an attrs
    object that is not frozen ...), each as a path: empty when it is immutable all the way down."""
    seen = set() if _seen is None else _seen
    if isinstance(value, _ATOMS):
        return []
    if id(value) in seen:  # values are shared freely (one reading serves many views): walk each once
        return []
    seen.add(id(value))
    if isinstance(value, tuple | frozenset):
        return [p for i, item in enumerate(value) for p in mutable_parts(item, f"{path}[{i}]", seen)]
    if isinstance(value, MappingProxyType) or getattr(type(value), "__setitem__", None) is getattr(
            type(value), "_refuse", object()):
        items = cast("Mapping[object, object]", value).items()  # a read-only mapping, as just tested
        return [p for key, item in items for p in mutable_parts(item, f"{path}[{key!r}]", seen)]
    cls = type(value)
    if attrs.has(cls):
        fields = attrs.fields(cls)
        if not _is_frozen(value, fields):
            return [f"{path}: a {cls.__name__} is not frozen"]
        return [p for field in fields
                for p in mutable_parts(getattr(value, field.name), f"{path}.{field.name}", seen)]
    return [f"{path}: a {type(value).__name__} can be changed in place"]


def _is_frozen(value: object, fields: tuple[attrs.Attribute, ...]) -> bool:
    if not fields:
        return True
    try:  # setting a field to the value it has changes nothing, if it is allowed at all
        setattr(value, fields[0].name, getattr(value, fields[0].name))
    except attrs.exceptions.FrozenInstanceError:
        return True
    return False


def check_playout(game: Game, seed: int, max_inputs: int = 100_000) -> list[str]:
    """Play one random legal game; return every broken invariant (empty when all hold)."""
    rng = random.Random(seed)
    state = game.start(seed)
    recorder = Recorder(game, seed)
    problems = check_state(game, state)
    for _ in range(max_inputs):
        if state.over or problems:
            break
        awaiting = sorted(game.awaiting(state))
        if not awaiting:
            return problems + [f"turn {state.turn}: no seat must act and the game is not over"]
        seat = rng.choice(awaiting)
        value = random_legal_input(game, state, seat, rng)
        try:
            after, _ = game.apply(state, value)
        except MidnightError as error:
            return problems + [f"turn {state.turn}: a legal input was refused: {value}: {error}"]
        recorder.record(state, value, after)
        state = after
        problems += check_state(game, state)
    if not state.over:
        problems.append("the game did not end")
        return problems
    problems += mutable_parts(state)
    for seat in (*game.seats, FACILITATOR):
        problems += mutable_parts(game.view(state, seat), f"the view of {seat}")
    result = replay(game, recorder.to_record())
    if result.divergence is not None:
        problems.append(f"the record did not replay: {result.divergence}")
    return problems
