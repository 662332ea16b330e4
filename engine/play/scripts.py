"""Scripts: files of moves for some seats, turn by turn, that the engine plays headless.

A seat with an entry for a turn is played by the script for that whole turn (what the entry
leaves out means: no proposals, reject what is offered, no moves, hold in a crisis); a seat
without one is played by a bot. See docs/scripts.md.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from engine.errors import RecordError
from engine.play.loop import Controller
from engine.rules.game import Game
from engine.rules.state import CrisisChoice, GameState, Phase
from engine.scenario.converter import LoadError, Problem, format_path, structure_document
from engine.scenario.loading import Document, read_document

SCRIPT_FORMAT = 1
CRISIS_CHOICES = tuple(choice.value for choice in CrisisChoice)
ANSWERS = ("accept", "reject")


@attrs.frozen
class ScriptPart:
    """Another agreement in a scripted package offer (the parties are the offer's)."""

    template: str
    params: Mapping[str, float] = attrs.field(factory=dict)


@attrs.frozen
class ScriptOffer:
    template: str
    parties: tuple[str, ...]
    params: Mapping[str, float] = attrs.field(factory=dict)
    package: tuple[ScriptPart, ...] = ()


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
    # Where each part was written (not a key of the file), for messages with a line and column.
    _document: Document | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def where(self, *path: str | int) -> str:
        """`line L, column C, path` of a part of the script, for messages."""
        line, column = self._document.position(path) if self._document is not None else (None, None)
        shown = format_path(path)
        if line is None:
            return shown
        return f"line {line}, column {column}, {shown}" if shown else f"line {line}, column {column}"

    def entry(self, turn: int, seat: str) -> SeatTurn | None:
        for item in self.turns:
            if item.turn == turn and seat in item.seats:
                return item.seats[seat]
        return None


def _hint(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def read_script(source: str | os.PathLike[str] | bytes, *, filename: str | None = None) -> Script:
    """Load a script file (untrusted), reporting every problem with its position.

    Checked here, without the scenario: the format version, turn numbers (at least 1, each once),
    crisis choices and answers. `check_script` checks the rest against a game.
    """
    document = read_document(source, kind="script", filename=filename)
    name = document.filename
    if isinstance(document.data, Mapping) and "midnight_script" not in document.data:
        raise LoadError([Problem(name, 1, 1, "", "not a Midnight script (no 'midnight_script: 1' key)")])
    if isinstance(document.data, Mapping):
        version = document.data["midnight_script"]
        if version != SCRIPT_FORMAT or isinstance(version, bool):
            line, column = document.position(("midnight_script",))
            raise LoadError([Problem(name, line, column, "midnight_script",
                                     f"unknown script format {version!r}: this engine reads 'midnight_script: {SCRIPT_FORMAT}'")])
    script = structure_document(document, Script, what="a script")
    object.__setattr__(script, "_document", document)
    problems = []

    def problem(path: tuple[str | int, ...], message: str) -> None:
        line, column = document.position(path)
        problems.append(Problem(name, line, column, format_path(path), message))

    first: dict[int, int] = {}
    for i, item in enumerate(script.turns):
        if item.turn < 1:
            problem(("turns", i, "turn"), f"turn {item.turn}: turns are numbered from 1")
        elif item.turn in first:
            line, _ = document.position(("turns", first[item.turn], "turn"))
            problem(("turns", i, "turn"), f"turn {item.turn} is scripted twice (first at line {line}): "
                                          "put all of a turn's seats in one entry")
        else:
            first[item.turn] = i
        for seat, entry in item.seats.items():
            for key, answer in entry.respond.items():
                if answer not in ANSWERS:
                    problem(("turns", i, "seats", seat, "respond", key), f"'{answer}' must be accept or reject")
            for j, choice in enumerate(entry.crisis):
                if choice not in CRISIS_CHOICES:
                    problem(("turns", i, "seats", seat, "crisis", j),
                            f"'{choice}' is not a crisis choice: use {', '.join(CRISIS_CHOICES)}{_hint(choice, CRISIS_CHOICES)}")
    if problems:
        raise LoadError(problems)
    return script


def check_script(game: Game, script: Script) -> None:
    """Refuse a script written for another scenario, or naming turns the game does not have or
    unknown seats, moves, templates, parties or parameters; messages say where (line, column)."""
    if script.scenario is not None and script.scenario != game.scenario.id:
        raise RecordError(f"{script.where('scenario')}: this script is for scenario '{script.scenario}', "
                          f"not '{game.scenario.id}'")
    from engine.bots import persona_names

    seats = set(game.actors)
    for seat, persona in script.bots.items():
        if seat not in seats:
            raise RecordError(f"{script.where('bots', seat)}: script bots: no seat '{seat}'{_hint(seat, seats)}")
        if persona not in persona_names():
            raise RecordError(f"{script.where('bots', seat)}: script bots: no persona '{persona}' "
                              f"(personas: {', '.join(persona_names())})")
    last = game.scenario.turns
    for i, item in enumerate(script.turns):
        if item.turn > last:
            raise RecordError(f"{script.where('turns', i, 'turn')}: script turn {item.turn}: "
                              f"'{game.scenario.id}' has {last} turns")
        for seat, entry in item.seats.items():
            _check_entry(game, script, ("turns", i, "seats", seat), f"script turn {item.turn}, {seat}", seat, entry)


def _check_entry(game: Game, script: Script, path: tuple[str | int, ...], who: str, seat: str, entry: SeatTurn) -> None:
    def fail(message: str, *at: Any) -> RecordError:
        return RecordError(f"{script.where(*path, *at)}: {who}: {message}")

    if seat not in game.actors:
        raise fail(f"no seat '{seat}' (seats: {', '.join(game.seats)})")
    for j, move in enumerate(entry.moves):
        if move not in game.moves:
            raise fail(f"no move '{move}'{_hint(move, game.moves)}", "moves", j)
    for j, offer in enumerate(entry.propose):
        for k, party in enumerate(offer.parties):
            if party not in game.actors:
                raise fail(f"no seat '{party}' to be a party{_hint(party, game.actors)}", "propose", j, "parties", k)
        parts: list[tuple[ScriptOffer | ScriptPart, tuple[str | int, ...]]] = [(offer, ("propose", j))]
        parts += [(p, ("propose", j, "package", n)) for n, p in enumerate(offer.package)]
        for part, at in parts:
            template = game.templates.get(part.template)
            if template is None:
                raise fail(f"no agreement template '{part.template}'{_hint(part.template, game.templates)}",
                           *at, "template")
            params = {p.id for p in template.parameters}
            for key in part.params:
                if key not in params:
                    known = ", ".join(sorted(params)) or "none"
                    raise fail(f"'{part.template}' has no parameter '{key}' (its parameters: {known})",
                               *at, "params", key)
    for key in entry.respond:
        if key != "default" and key not in game.templates:
            raise fail(f"no agreement template '{key}' to answer{_hint(key, [*game.templates, 'default'])}",
                       "respond", key)


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
            offers = [{"template": o.template, "parties": list(o.parties), "params": dict(o.params),
                       **({"package": [{"template": p.template, "params": dict(p.params)} for p in o.package]}
                          if o.package else {})}
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
