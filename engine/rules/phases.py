"""The phases in which seats act, as a table: for each, the input it takes, how that input is
checked, who must act, what runs when the last of them has, and what a seat may choose.

World, resolution and assessment need no seat: they run inside `complete` (see docs/rules.md for
the order). Adding a phase is adding a row here; `Game` reads only this table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from engine.rules import assessment, crisis, options, resolution, talks
from engine.rules.inputs import ChooseInCrisis, Decide, Propose, Respond
from engine.rules.options import SeatOptions
from engine.rules.state import CrisisChoice, GameState, Phase
from engine.rules.work import Work

if TYPE_CHECKING:
    from engine.rules.game import Game

# The input a phase takes: its rule checks that kind of input only.
_I = TypeVar("_I", Propose, Respond, Decide, ChooseInCrisis)


@attrs.frozen
class PhaseRule(Generic[_I]):
    """One phase in which seats act.

    `required(game, state, active)`: the seats that must act, in seat order (`active`: the active
    seats in seat order). `check(work, input)`: raises IllegalInput when the input breaks a rule.
    `complete(work)`: runs once every required seat has acted, and moves the game on.
    `options(game, work, seat, must_act)`: what `seat` may choose in this phase."""

    phase: Phase
    input_type: type[_I]
    required: Callable[[Game, Work | GameState, list[str]], tuple[str, ...]]
    check: Callable[[Work, _I], None]
    complete: Callable[[Work], None]
    options: Callable[[Game, Work, str, bool, bool], SeatOptions]  # (game, work, seat, must_act, lean)


# -- propose: each seat with something it may propose offers agreements (or passes) ------------

def _proposers(game: Game, state: Work | GameState, active: list[str]) -> tuple[str, ...]:
    return tuple(seat for seat in active if game.may_propose(state, seat))


def _propose_options(game: Game, work: Work, seat: str, must_act: bool, lean: bool) -> SeatOptions:
    return SeatOptions(seat, work.phase, must_act, templates=options.template_options(game, work, seat, lean),
                       max_proposals=game.scenario.decisions.max_proposals)


# -- respond: the parties of open proposals answer them, in rounds -----------------------------

def _responders(game: Game, state: Work | GameState, active: list[str]) -> tuple[str, ...]:
    waiting = {seat for proposal in state.proposals for seat in proposal.awaiting()}
    return tuple(seat for seat in active if seat in waiting)


def _complete_respond(work: Work) -> None:
    if any(p.awaiting() for p in work.proposals):
        talks.complete_respond(work)
    still_open = any(p.awaiting() for p in work.proposals)
    if not still_open or work.talk_round > work.scenario.decisions.talk_rounds:
        talks.lapse_open_proposals(work)
        work.phase = Phase.DECIDE


def _respond_options(game: Game, work: Work, seat: str, must_act: bool, lean: bool) -> SeatOptions:
    return SeatOptions(seat, work.phase, must_act, to_answer=options.proposals_to_answer(game, work, seat))


# -- decide: every active seat chooses its moves in secret; then resolution --------------------

def _everyone(game: Game, state: Work | GameState, active: list[str]) -> tuple[str, ...]:
    return tuple(active)


def _complete_decide(work: Work) -> None:
    resolution.resolve_decisions(work)
    if work.crisis is not None:
        work.phase = Phase.CRISIS
        crisis.begin_crisis_rounds(work)
    else:
        _assess(work)


def _decide_options(game: Game, work: Work, seat: str, must_act: bool, lean: bool) -> SeatOptions:
    return SeatOptions(seat, work.phase, must_act, moves=options.move_options(game, work, seat, lean),
                       budget=resolution.budget_of(work, seat), max_moves=game.scenario.decisions.max_moves)


# -- crisis: the actors in a crisis choose at once, round by round ------------------------------

def _in_crisis(game: Game, state: Work | GameState, active: list[str]) -> tuple[str, ...]:
    return crisis.crisis_seats(state)


def _complete_crisis(work: Work) -> None:
    if crisis.complete_crisis_round(work) and work.outcome is None:
        _assess(work)


def _crisis_options(game: Game, work: Work, seat: str, must_act: bool, lean: bool) -> SeatOptions:
    in_crisis = seat in crisis.crisis_seats(work)
    return SeatOptions(seat, work.phase, must_act, crisis_choices=tuple(CrisisChoice) if in_crisis else ())


def _assess(work: Work) -> None:
    """The turn's assessment, then the next turn's talks (unless the game is over)."""
    assessment.assess(work)
    if work.outcome is None:
        work.phase = Phase.PROPOSE
        if work.pending:  # agreements awaiting ratification: those due are decided before the talks
            talks.decide_ratifications(work)


PHASES: Mapping[Phase, PhaseRule[Any]] = MappingProxyType({
    rule.phase: rule for rule in (
        PhaseRule(Phase.PROPOSE, Propose, _proposers, talks.check_propose, talks.complete_propose, _propose_options),
        PhaseRule(Phase.RESPOND, Respond, _responders, talks.check_respond, _complete_respond, _respond_options),
        PhaseRule(Phase.DECIDE, Decide, _everyone, resolution.check_decide, _complete_decide, _decide_options),
        PhaseRule(Phase.CRISIS, ChooseInCrisis, _in_crisis, crisis.check_choice, _complete_crisis, _crisis_options),
    )
})


def seat_options(game: Game, work: Work, seat: str, must_act: bool, lean: bool = False) -> SeatOptions:
    """What `seat` may do now (`must_act`: whether the game waits for its input). `lean` leaves
    out what only people read (bots ask for it): see Game.options."""
    rule = PHASES.get(work.phase)
    if rule is None:  # the game is over
        return SeatOptions(seat, work.phase, must_act)
    return rule.options(game, work, seat, must_act, lean)
