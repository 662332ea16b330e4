"""Scripts: files of moves for some seats, turn by turn, that the engine plays headless.

A seat with an entry for a turn is played by the script for that whole turn (what the entry
leaves out means: no proposals, reject what is offered, no moves, hold in a crisis); a seat
without one is played by a bot. See docs/scripts.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from engine.errors import RecordError
from engine.play.loop import Controller
from engine.rules.game import Game
from engine.rules.state import GameState, Phase
from engine.scenario.converter import LoadError, Problem, structure_document
from engine.scenario.loading import load_yaml, read_bytes_limited

SCRIPT_FORMAT = 1


@attrs.frozen
class ScriptOffer:
    template: str
    parties: tuple[str, ...]
    params: Mapping[str, float] = attrs.field(factory=dict)


@attrs.frozen
class SeatTurn:
    """What one seat does in one turn. `respond` maps a template id (or `default`) to
    accept/reject; `crisis` lists the choice for each crisis round (the last one repeats)."""

    propose: tuple[ScriptOffer, ...] = ()
    respond: Mapping[str, str] = attrs.field(factory=dict)
    moves: tuple[str, ...] = ()
    crisis: tuple[str, ...] = ("hold",)


@attrs.frozen
class ScriptTurn:
    turn: int
    seats: Mapping[str, SeatTurn] = attrs.field(factory=dict)


@attrs.frozen
class Script:
    midnight_script: int
    scenario: str | None = None
    bots: Mapping[str, str] = attrs.field(factory=dict)
    turns: tuple[ScriptTurn, ...] = ()

    def entry(self, turn: int, seat: str) -> SeatTurn | None:
        for item in self.turns:
            if item.turn == turn and seat in item.seats:
                return item.seats[seat]
        return None


def read_script(source: str | os.PathLike[str] | bytes, *, filename: str | None = None) -> Script:
    """Load a script file (untrusted), reporting every problem with its position."""
    if isinstance(source, bytes | bytearray):
        raw, name = bytes(source), filename or "<script>"
    else:
        raw, name = read_bytes_limited(source), filename or os.fspath(source)
    document = load_yaml(raw, filename=name)
    if isinstance(document.data, Mapping) and "midnight_script" not in document.data:
        raise LoadError([Problem(name, 1, 1, "", "not a Midnight script (no 'midnight_script: 1' key)")])
    script = structure_document(document, Script, what="a script")
    problems = []
    for i, item in enumerate(script.turns):
        for seat, entry in item.seats.items():
            for key, answer in entry.respond.items():
                if answer not in ("accept", "reject"):
                    line, column = document.position(("turns", i, "seats", seat, "respond", key))
                    problems.append(Problem(name, line, column, f"turns[{i}].seats.{seat}.respond.{key}",
                                            f"'{answer}' must be accept or reject"))
    if problems:
        raise LoadError(problems)
    return script


def check_script(game: Game, script: Script) -> None:
    """Refuse a script written for another scenario or naming unknown seats, moves, templates."""
    if script.scenario is not None and script.scenario != game.scenario.id:
        raise RecordError(f"this script is for scenario '{script.scenario}', not '{game.scenario.id}'")
    from engine.bots import persona_names

    for seat, persona in script.bots.items():
        if seat not in game.actors:
            raise RecordError(f"script bots: no seat '{seat}'")
        if persona not in persona_names():
            raise RecordError(f"script bots: no persona '{persona}' (personas: {', '.join(persona_names())})")
    for item in script.turns:
        for seat, entry in item.seats.items():
            where = f"script turn {item.turn}, {seat}"
            if seat not in game.actors:
                raise RecordError(f"{where}: no seat '{seat}' (seats: {', '.join(game.seats)})")
            for move in entry.moves:
                if move not in game.moves:
                    raise RecordError(f"{where}: no move '{move}'")
            for offer in entry.propose:
                if offer.template not in game.templates:
                    raise RecordError(f"{where}: no agreement template '{offer.template}'")


@attrs.frozen
class ScriptController:
    """Plays a seat from a script where it has an entry, and by `fallback` elsewhere."""

    script: Script
    fallback: Controller

    def act(self, game: Game, state: GameState, seat: str) -> tuple[dict, str]:
        entry = self.script.entry(state.turn, seat)
        if entry is None:
            return self.fallback.act(game, state, seat)
        if state.phase is Phase.PROPOSE:
            offers = [{"template": o.template, "parties": list(o.parties), "params": dict(o.params)}
                      for o in entry.propose]
            return {"seat": seat, "kind": "propose", "offers": offers}, "scripted"
        if state.phase is Phase.RESPOND:
            replies = []
            for proposal in state.proposals:
                if seat in proposal.awaiting():
                    answer = entry.respond.get(proposal.template, entry.respond.get("default", "reject"))
                    replies.append({"proposal": proposal.id, "answer": answer})
            return {"seat": seat, "kind": "respond", "replies": replies}, "scripted"
        if state.phase is Phase.DECIDE:
            return {"seat": seat, "kind": "decide", "moves": list(entry.moves)}, "scripted"
        round_ = state.crisis.round if state.crisis else 1
        choices = entry.crisis or ("hold",)
        return {"seat": seat, "kind": "crisis", "choice": choices[min(round_, len(choices)) - 1]}, "scripted"


def script_controllers(game: Game, script: Script) -> dict[str, Controller]:
    from engine.play.simulate import controllers_for  # keeps the scenario's own bot tuning

    fallbacks = controllers_for(game, dict(script.bots))
    return {seat: ScriptController(script, fallbacks[seat]) for seat in game.seats}
