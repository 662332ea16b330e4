"""What-if branches: a recorded game's state at the start of any turn, made the start of a new game.

A branch is a record of its own (docs/records.md, "Branches"): it holds the source's turns before
the branch turn, verbatim, and a `branched_from` section naming the source, the turn and the
digest of the state at that turn's start. So a branch replays without its source, replays to the
source's digests up to the branch point, and `replay --verify` checks the point itself.

The same branch points start batches of bot continuations (`continuations`): the turn's talks and
decisions as played, or with one seat's decision changed (`Change`), then chance and the bots.
Nothing here prints or writes files except `write_branch`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import attrs

from engine.errors import MidnightError, RecordError
from engine.play.loop import Controller
from engine.play.records import (
    BRANCH_FORMAT,
    BranchedFrom,
    Record,
    ScenarioRef,
    digest,
    now,
    replay,
    write_record,
)
from engine.play.simulate import GameResult, Opening, Runner, ScenarioSource
from engine.rules.game import Game
from engine.rules.inputs import input_to_dict, parse_input
from engine.rules.options import SeatOptions
from engine.rules.state import GameState, Phase, Proposal
from engine.version import __version__

PINNED_KINDS = ("propose", "respond", "decide")  # a turn's talks and decisions; crisis choices follow chance


class BranchError(MidnightError):
    """A branch or a change that cannot be made: one line saying what to fix."""


# -- the branch point ----------------------------------------------------------------------------


@attrs.frozen
class BranchPoint:
    """The start of `turn` in a verified record: its state, its digest and the inputs before it."""

    game: Game
    record: Record
    source: str  # the source record's name, as the user gave it
    turn: int
    state: GameState
    digest: str
    first: int = 1  # the turns one may branch at: first..last
    last: int = 1

    @property
    def prefix(self) -> tuple[Mapping, ...]:
        """Every input before the branch turn, without reasons."""
        return tuple({k: v for k, v in entry.items() if k != "why"}
                     for turn in self.record.turns[: self.turn - 1] for entry in turn.inputs)

    def inputs_of_turn(self, seat: str | None = None) -> list[Mapping]:
        """The record's inputs in the branch turn (of one seat), without reasons."""
        if self.turn - 1 >= len(self.record.turns):
            return []
        return [{k: v for k, v in entry.items() if k != "why"} for entry in self.record.turns[self.turn - 1].inputs
                if seat is None or entry.get("seat") == seat]


def branch_turns(game: Game, record: Record, source: str) -> tuple[int, int, tuple[GameState, ...]]:
    """Verify `record` and return the turns one may branch at (first, last) and its states.

    Refuses (BranchError, one line) a record that does not reproduce: a branch of a record that
    does not verify would not verify either."""
    try:
        result = replay(game, record)
    except RecordError as error:
        raise BranchError(f"{source}: does not verify ({error}); branch only from a record that reproduces") from None
    if result.divergence is not None:
        raise BranchError(f"{source}: does not verify (DIVERGED at {result.divergence}); "
                          "branch only from a record that reproduces")
    closed = result.turns_checked
    last = closed if result.states[closed].over else closed + 1
    return 1, last, result.states


def branch_point(game: Game, record: Record, source: str, turn: int) -> BranchPoint:
    """The start of `turn` in `record` (verified first). A turn out of range is a BranchError."""
    first, last, states = branch_turns(game, record, source)
    if not first <= turn <= last:
        raise BranchError(f"--turn {turn}: {source} can be branched at the start of turns {first} to {last}")
    state = states[turn - 1]
    return BranchPoint(game, record, source, turn, state, digest(game, state), first, last)


# -- branch records ------------------------------------------------------------------------------


def branch_record(point: BranchPoint, seats: Mapping[str, str]) -> Record:
    """A save of the game at the branch point: the source's turns before it, who plays each seat
    now, and where it came from. `midnight play --resume` carries it on."""
    game, record = point.game, point.record
    return Record(
        midnight_record=BRANCH_FORMAT,
        scenario=ScenarioRef(game.scenario.id, game.scenario.version, game.content_hash, game.source),
        seed=record.seed,
        engine=__version__,
        seats=dict(seats),
        played=now(),
        branched_from=BranchedFrom(point.source, point.turn, point.digest, record.played),
        result=None,
        turns=record.turns[: point.turn - 1],
    )


def write_branch(path: str | os.PathLike[str], record: Record) -> None:
    """Write a branch atomically; its source is named relative to the branch's folder when it is
    in it (as a record's scenario file is), else as given, for people."""
    branched = record.branched_from
    if branched is not None:
        source = Path(branched.record)
        try:
            relative = source.resolve().relative_to(Path(path).resolve().parent).as_posix()
        except (ValueError, OSError):
            relative = branched.record
        record = attrs.evolve(record, branched_from=attrs.evolve(branched, record=relative))
    write_record(path, record)


def branch_seats(game: Game, recorded: Mapping[str, str], chosen: Mapping[str, str]) -> dict[str, str]:
    """Who plays each seat of a branch: the `chosen` ones (human, bot or a persona), the others as
    the source says, as record labels (`human`, `bot:PERSONA`)."""
    seats: dict[str, str] = {}
    for seat in game.seats:
        who = chosen.get(seat)
        if who is None:
            label = recorded.get(seat)
            seats[seat] = label if isinstance(label, str) and label else f"bot:{game.actor(seat).bot.persona}"
        elif who == "human":
            seats[seat] = "human"
        elif who in ("bot", "default"):
            seats[seat] = f"bot:{game.actor(seat).bot.persona}"
        else:
            seats[seat] = f"bot:{who}"
    return seats


# -- changes for continuations --------------------------------------------------------------------


@attrs.frozen
class Change:
    """One seat's branch-turn decision changed: `SEAT:-MOVE`, `SEAT:+MOVE` (the recorded decision
    without or with a move; several joined by commas), `SEAT:moves=A,B` (exactly these; `moves=`
    for none) or `SEAT:bot` (its bot plays the whole turn instead of the record)."""

    seat: str
    text: str  # what the user wrote after the colon
    remove: tuple[str, ...] = ()
    add: tuple[str, ...] = ()
    exactly: tuple[str, ...] | None = None
    bot: bool = False

    @classmethod
    def parse(cls, text: str) -> Change:
        seat, colon, spec = text.partition(":")
        seat, spec = seat.strip(), spec.strip()
        usage = ("write SEAT:-MOVE, SEAT:+MOVE, SEAT:moves=MOVE,MOVE (or moves= for none) or SEAT:bot, "
                 "e.g. us:-deploy_shield")
        if not colon or not seat:
            raise BranchError(f"--change {text!r}: {usage}")
        if spec == "bot":
            return cls(seat, spec, bot=True)
        if spec.startswith("moves="):
            moves = tuple(m.strip() for m in spec[len("moves="):].split(",") if m.strip())
            return cls(seat, spec, exactly=moves)
        remove: list[str] = []
        add: list[str] = []
        for part in (p.strip() for p in spec.split(",")):
            if len(part) > 1 and part[0] in "+-":
                (add if part[0] == "+" else remove).append(part[1:].strip())
            else:
                raise BranchError(f"--change {text!r}: {usage}")
        return cls(seat, spec, tuple(remove), tuple(add))

    def __str__(self) -> str:
        return f"{self.seat}:{self.text}"

    def moves(self, recorded: Sequence[str]) -> list[str]:
        if self.exactly is not None:
            return list(self.exactly)
        return [m for m in recorded if m not in self.remove] + [m for m in self.add if m not in recorded]


def _decision_state(point: BranchPoint, seat: str) -> tuple[GameState, Mapping]:
    """The state in which `seat` made its recorded decision of the branch turn, and that decision."""
    game, state = point.game, point.state
    for value in point.inputs_of_turn():
        if value.get("seat") == seat and value.get("kind") == "decide":
            return state, value
        state, _ = game.apply(state, parse_input(value))
    raise BranchError(f"--change {seat}: {seat} made no decision in turn {point.turn} of {point.source} "
                      "(the game ended first, or the turn is not played yet); choose another turn")


def check_change(point: BranchPoint, change: Change) -> dict | None:
    """The changed decision, checked against the seat's legal options at that point (BranchError
    naming the move and what the seat could choose); None for `SEAT:bot`."""
    game = point.game
    if change.seat not in game.seats:
        raise BranchError(f"--change {change}: no seat '{change.seat}' (seats: {', '.join(game.seats)})")
    state, recorded = _decision_state(point, change.seat)
    if change.bot:
        return None
    options = game.options(state, change.seat)
    assert isinstance(options, SeatOptions)  # a seat's, not the facilitator's
    offered = {m.id: m for m in options.moves}
    open_moves = ", ".join(m.id for m in options.available_moves()) or "none"
    played = list(recorded.get("moves", ()))
    for move in change.remove:
        if move not in played:
            raise BranchError(f"--change {change}: {change.seat} did not choose '{move}' in turn {point.turn} "
                              f"(it chose: {', '.join(played) or 'no move'})")
    for move in (*change.add, *(change.exactly or ())):
        option = offered.get(move)
        if option is None or not option.available:
            why = "is not a move of" if option is None else "is not open to"
            raise BranchError(f"--change {change}: '{move}' {why} {change.seat} in turn {point.turn} "
                              f"(moves it could choose: {open_moves})")
    value = {"seat": change.seat, "kind": "decide", "moves": change.moves(played)}
    try:
        game.apply(state, parse_input(value))
    except MidnightError as error:
        raise BranchError(f"--change {change}: not a legal decision for {change.seat} in turn {point.turn}: "
                          f"{error}") from None
    return input_to_dict(parse_input(value))


def opening(point: BranchPoint, changes: Sequence[Change] = ()) -> Opening:
    """Where continuations start: the branch point, the turn's talks and decisions pinned as
    played, except what `changes` change (checked first)."""
    pinned: dict[str, list[Mapping]] = {seat: [] for seat in point.game.seats}
    for value in point.inputs_of_turn():
        if value.get("kind") in PINNED_KINDS and value.get("seat") in pinned:
            pinned[str(value["seat"])].append(value)
    seen: set[str] = set()
    for change in changes:
        if change.seat in seen:
            raise BranchError(f"--change {change}: {change.seat} is changed twice; give one --change per seat")
        seen.add(change.seat)
        decision = check_change(point, change)
        if decision is None:
            pinned[change.seat] = []
        else:
            pinned[change.seat] = [decision if v.get("kind") == "decide" else v for v in pinned[change.seat]]
    return BranchOpening(point.record.seed, point.turn, point.digest, point.prefix,
                         {seat: tuple(values) for seat, values in pinned.items() if values},
                         recorded_proposals(point))


Signature = tuple  # (proposer, template, parties, sorted params): a proposal whatever its id


def _signature(proposal: Proposal) -> Signature:
    return (proposal.proposer, proposal.template, tuple(proposal.parties), tuple(sorted(proposal.params.items())))


def recorded_proposals(point: BranchPoint) -> dict[int, Signature]:
    """Every proposal on the table during the branch turn as recorded, by its recorded id."""
    game, state = point.game, point.state
    seen = {p.id: _signature(p) for p in state.proposals}
    for value in point.inputs_of_turn():
        if state.turn != point.turn or state.over:
            break
        state, _ = game.apply(state, parse_input(value))
        seen.update((p.id, _signature(p)) for p in state.proposals)
    return seen


@attrs.frozen
class BranchOpening(Opening):
    """An opening whose pinned inputs give way to the bots where they no longer apply (a changed
    seat played otherwise): see `FollowingController`."""

    recorded: Mapping[int, Signature] = attrs.field(factory=dict)

    def controllers(self, controllers: Mapping[str, Controller]) -> dict[str, Controller]:
        return {seat: FollowingController(c, self.turn, tuple(self.pinned[seat]), self.recorded)
                if self.pinned.get(seat) else c for seat, c in controllers.items()}


@attrs.frozen
class FollowingController:
    """A seat that plays its recorded talks and decision of the branch turn where they still apply
    and leaves the rest to its bot (`inner`). The rule (docs/branches.md, "When the record no
    longer applies"):

    - proposals are played as recorded (they are made at once, at the start of the turn);
    - a recorded answer is played when every proposal it answers is on the table, awaiting this
      seat, with the same proposer, agreement, parties and terms as recorded (ids are matched by
      these: a changed seat's other proposals renumber the rest); else the bot answers that round;
    - the recorded decision is played when it is still a legal one; else the bot decides.

    As played, everything applies and the game is the record's (the same inputs, the same ids)."""

    inner: Controller
    turn: int
    inputs: tuple[Mapping, ...]
    recorded: Mapping[int, Signature]
    _used: list[int] = attrs.field(factory=list, init=False, eq=False, repr=False)  # spent inputs

    def act(self, game: Game, state: GameState, seat: str) -> tuple[dict, str]:
        if state.turn == self.turn:
            kind = state.phase.value
            for i, value in enumerate(self.inputs):
                if i in self._used or value["kind"] != kind:
                    continue
                played = self._applying(game, state, seat, value)
                if played is not None:
                    self._used.append(i)
                    return played, ""
                if state.phase is not Phase.RESPOND:
                    self._used.append(i)  # a proposal or a decision that no longer applies: the bot's turn
                    break
        return self.inner.act(game, state, seat)

    def _applying(self, game: Game, state: GameState, seat: str, value: Mapping) -> dict | None:
        """`value` as it applies in `state` (answers renumbered), or None if it does not."""
        if state.phase is Phase.RESPOND:
            waiting = [p for p in state.proposals if seat in p.awaiting()]
            replies = []
            for reply in value.get("replies", ()):
                signature = self.recorded.get(reply.get("proposal"))
                match = next((p for p in waiting if _signature(p) == signature), None)
                if match is None:
                    return None
                waiting.remove(match)
                replies.append({**reply, "proposal": match.id})
            played = {**value, "replies": replies}
        else:
            played = dict(value)
        if state.phase is not Phase.PROPOSE:
            try:
                game.apply(state, parse_input(played))
            except MidnightError:
                return None
        return played


def recorded_decision(point: BranchPoint, seat: str) -> list[str] | None:
    """The moves `seat` chose in the branch turn, or None if it made no decision there."""
    for value in point.inputs_of_turn(seat):
        if value.get("kind") == "decide":
            return list(value.get("moves", ()))
    return None


# -- a branch against its source -------------------------------------------------------------------


def check_source(game: Game, branch: Record, branch_path: str | os.PathLike[str]) -> str:
    """What a branch's source says of it, in one line: when the source record is in the branch's
    folder (where it was written, named relative to it), it is replayed too and must reach the same
    digest at the branch turn with the same inputs before it (else BranchError). A source that is
    not there leaves the digest the branch records, which replay has checked.

    The branch's `record` is untrusted: it is only looked for inside the branch's folder."""
    branched = branch.branched_from
    if branched is None:
        return ""
    from engine.play.records import check_scenario_matches, read_record

    name = branched.record if len(branched.record) <= 80 else branched.record[:77] + "..."
    where = f"branched from {name} at the start of turn {branched.turn} ({branched.digest})"
    folder = Path(branch_path).resolve().parent
    relative = Path(branched.record)
    if (not branched.record or "\x00" in branched.record or relative.is_absolute() or ".." in relative.parts
            or relative.suffix.lower() not in (".yaml", ".yml")):
        return f"{where}; the source is not in the branch's folder: checked against the digest the branch records"
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder) or not target.is_file():
        return f"{where}; the source is not in the branch's folder: checked against the digest the branch records"
    try:
        source = read_record(target)
        check_scenario_matches(game, source)
        point = branch_point(game, source, name, branched.turn)
    except MidnightError as error:
        raise BranchError(f"{where}, but the source there does not match: {str(error).splitlines()[0]}") from None
    if point.digest != branched.digest:
        raise BranchError(f"{where}, but the source there reaches {point.digest} at that turn")
    mine = [{k: v for k, v in e.items() if k != "why"} for t in branch.turns[: branched.turn - 1] for e in t.inputs]
    if mine != list(point.prefix):
        raise BranchError(f"{where}, but its inputs before that turn differ from the source's")
    return f"{where}; the source is here and agrees"


# -- counterfactual runs ---------------------------------------------------------------------------


def what_if(
    source: ScenarioSource,
    point: BranchPoint,
    changes: Sequence[Change] = (),
    *,
    runs: int = 1000,
    base_seed: int = 0,
    jobs: int = 1,
    lineup: Mapping[str, str] | None = None,
    lineup_b: Mapping[str, str] | None = None,
    progress: Sequence[Callable[[int, int], None] | None] = (None, None),
    runner: Runner | None = None,
    each_chunk: Callable[[tuple[list[GameResult], ...]], None] | None = None,
    keep_results: bool = True,
) -> tuple[dict, list[GameResult] | None, list[GameResult] | None]:
    """Bot continuations from a branch point, through the normal batch path (jobs, seeds
    `base_seed + i`): A as played; B with `changes` (or, without changes, with the bots of
    `lineup_b` after the point), on the same seeds. Returns the report as plain data (what
    `midnight simulate --from --json` prints; a debrief report can show it) and each arm's results.

    `point.game` must be `source.load()` (the game the workers play). Raises BranchError for a
    change that is not a legal choice. The arms are played together, chunk by chunk on the same
    seeds (`run_tallied`: on `runner`, a cluster's, if given), and summed up as they arrive;
    `each_chunk` sees each chunk's results (CSV rows); with `keep_results=False` no arm's results
    are kept (None is returned for them), so memory does not grow with `runs`. `progress[0]`
    follows the games of each arm."""
    from engine.play.simulate import Batch, run_tallied, seat_labels

    game = point.game
    lineup = dict(lineup or {})
    opening_a = opening(point)
    opening_b = opening(point, changes) if changes else None
    batch_a = Batch(source, lineup, base_seed, opening_a)
    batch_b = None
    if opening_b is not None:
        batch_b = Batch(source, lineup, base_seed, opening_b)
    elif lineup_b:
        batch_b = Batch(source, {**lineup, **lineup_b}, base_seed, opening_a)
    opening_a.start(game, base_seed)  # replayed once here: forked workers inherit it
    kept: tuple[list[GameResult], ...] = ([], []) if keep_results else ()

    def seen(results: tuple[list[GameResult], ...]) -> None:
        for arm, chunk in zip(kept, results, strict=False):
            arm.extend(chunk)
        if each_chunk is not None:
            each_chunk(results)

    batches = (batch_a,) if batch_b is None else (batch_a, batch_b)
    tallied = run_tallied(batches, runs, jobs, runner=runner, progress=progress[0], each_chunk=seen)
    results_a = kept[0] if keep_results else None
    results_b = kept[1] if keep_results and batch_b is not None else None
    report: dict = {
        "scenario": {"id": game.scenario.id, "version": game.scenario.version, "hash": game.content_hash},
        "from": {"record": point.source, "seed": point.record.seed, "turn": point.turn, "digest": point.digest,
                 "clock": point.state.clock, "risk": point.state.risk},
        "runs": runs,
        "base_seed": base_seed,
        "seats": seat_labels(game, lineup),
        "as_played": {"decisions": {str(v["seat"]): list(v.get("moves", ())) for v in point.inputs_of_turn()
                                    if v.get("kind") == "decide"},
                      "summary": tallied.tallies[0].summary(game)},
    }
    if batch_b is not None and tallied.paired is not None:
        if opening_b is not None:
            report["changed"] = {"changes": [str(c) for c in changes],
                                 "decisions": {c.seat: "bot" if c.bot else _decided(opening_b.pinned.get(c.seat, ()))
                                               for c in changes}}
        else:
            report["changed"] = {"seats": seat_labels(game, batch_b.lineup)}
        report["changed"]["summary"] = tallied.tallies[1].summary(game)
        report["difference"] = tallied.paired.result()
    return report, results_a, results_b


def _decided(values: Sequence[Mapping]) -> list[str]:
    return next((list(v.get("moves", ())) for v in values if v.get("kind") == "decide"), [])
