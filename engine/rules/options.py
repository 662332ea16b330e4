"""What a seat may do now: the legal choices, each unavailable one with its reason.

Front ends (the TUI, bots, agents, a server) build their menus from these values; the engine
checks the same rules again when the input arrives.
"""

from __future__ import annotations

from itertools import combinations
from math import copysign

import attrs

from engine.rules import crisis, resolution, talks
from engine.errors import MidnightError
from engine.scenario.models import Parameter
from engine.rules.state import CrisisChoice, Phase, Proposal
from engine.scenario.text import Text
from engine.rules.memo import LIMIT
from engine.rules.work import Work

@attrs.frozen
class MoveOption:
    id: str
    label: Text
    system: str
    description: Text
    cost: float
    secret: bool
    tags: tuple[str, ...]
    available: bool
    reason: str | None = None
    effects: Text = Text({})  # what it does, in words (engine.scenario.describe)


@attrs.frozen
class TemplateOption:
    id: str
    label: Text
    system: str
    description: Text
    parameters: tuple[Parameter, ...]
    eligible_parties: tuple[str, ...]
    min_parties: int
    max_parties: int | None
    available: bool
    reason: str | None = None


@attrs.frozen
class ProposalOption:
    """A proposal waiting for this seat's answer."""

    proposal: Proposal
    can_accept: bool
    reason: str | None = None


@attrs.frozen
class SeatOptions:
    seat: str
    phase: Phase
    must_act: bool
    moves: tuple[MoveOption, ...] = ()
    budget: float | None = None
    max_moves: int = 0
    templates: tuple[TemplateOption, ...] = ()
    max_proposals: int = 0
    to_answer: tuple[ProposalOption, ...] = ()
    crisis_choices: tuple[CrisisChoice, ...] = ()

    def available_moves(self) -> tuple[MoveOption, ...]:
        return tuple(m for m in self.moves if m.available)


def _move_menu(game, work: Work, seat: str) -> list[tuple]:
    """The moves open to `seat` (`move.actors`), each with its cost when that is a constant
    (most are), so that building options evaluates only what can change. Memoised per seat."""
    menus = game.memo.move_menus
    menu = menus.get(seat)
    if menu is None:
        menu = []
        for move in game.scenario.moves:
            if move.actors and seat not in move.actors:
                continue
            constant = None
            if not move.cost.names and not move.cost.functions:
                try:
                    constant = resolution.move_cost(work, seat, move)
                except MidnightError:
                    pass  # reported again, with the move, whenever the options are built
            menu.append((move, constant))
        menus[seat] = menu
    return menu


def _move_options(game, work: Work, seat: str) -> tuple[MoveOption, ...]:
    budget = resolution.budget_of(work, seat)
    menu = _move_menu(game, work, seat)
    # Work out only what can change (conditions, costs that are formulas); the rest of the
    # options follows from those and the budget, so the whole tuple is memoised on them.
    varying = []
    for move, cost in menu:
        if move.requires is None and cost is not None:
            continue
        problem = None
        try:
            if move.requires is not None:
                problem = resolution.move_problem(work, seat, move)
            if cost is None:
                cost = resolution.move_cost(work, seat, move)
        except MidnightError as error:
            problem, cost = str(error), 0.0
        # The sign of the cost is in the key because 0.0 == -0.0 but they print differently.
        varying.append((cost, copysign(1.0, cost), problem))
    key = (seat, budget, None if budget is None else copysign(1.0, budget), tuple(varying))
    cache = game.memo.move_options
    options = cache.get(key)
    if options is None:
        options = _build_move_options(game, menu, budget, iter(varying))
        if len(cache) < LIMIT:
            cache[key] = options
    return options


def _build_move_options(game, menu, budget: float | None, varying) -> tuple[MoveOption, ...]:
    result = []
    for move, cost in menu:
        problem = None
        if move.requires is not None or cost is None:
            cost, _, problem = next(varying)
        if problem is None and budget is not None and cost > budget + 1e-9:
            problem = f"costs {cost:g}, the budget is {budget:g}"
        result.append(MoveOption(move.id, move.label, move.system, move.description, cost, move.secret,
                                 move.tags, problem is None, problem, game.effects_text(move)))
    return tuple(result)


def _template_basics(game, turn: int, active, seat: str) -> list[tuple]:
    """For each template `seat` may see: the template, its eligible parties at the table, its
    default parameters and why it may not be proposed (or None). These depend only on the turn
    (its agenda) and who is at the table, so they are memoised on the game."""
    key = (turn, frozenset(active), seat)
    cache = game.memo.template_basics
    basics = cache.get(key)
    if basics is None:
        basics = []
        for template in game.scenario.agreements:
            if template.eligible and seat not in template.eligible:
                continue
            eligible = tuple(
                a for a in game.layout.actor_ids
                if a in active and (not template.eligible or a in template.eligible)
            )
            defaults = {p.id: p.default for p in template.parameters}
            basics.append((template, eligible, defaults, talks.template_problem(game, turn, active, seat, template)))
        if len(cache) < LIMIT:
            cache[key] = basics
    return basics


def _template_options(game, work: Work, seat: str) -> tuple[TemplateOption, ...]:
    in_force: dict[str, set[frozenset[str]]] = {}
    for agreement in work.agreements:
        in_force.setdefault(agreement.template, set()).add(frozenset(agreement.parties))
    basics = _template_basics(game, work.turn, work.active, seat)
    problems = []
    for template, eligible, defaults, problem in basics:
        if problem is None:
            problem = talks.acceptance_problem(work, seat, template, defaults)
        if problem is None and _all_in_force(in_force.get(template.id), seat, template, eligible):
            problem = "already in force with every possible set of parties"
        problems.append(problem)
    # The options follow from the basics and these problems: memoise the whole tuple on them.
    key = (id(basics), tuple(problems))
    cache = game.memo.template_options
    known = cache.get(key)
    if known is not None and known[0] is basics:  # the entry keeps the id from reuse
        return known[1]
    options = tuple(
        TemplateOption(template.id, template.label, template.system, template.description, template.parameters,
                       eligible, template.min_parties, template.max_parties, problem is None, problem)
        for (template, eligible, _, _), problem in zip(basics, problems)
    )
    if len(cache) < LIMIT:
        cache[key] = (basics, options)
    return options


def _all_in_force(in_force: set[frozenset[str]] | None, seat: str, template, eligible: tuple[str, ...]) -> bool:
    """Whether every party set `seat` could propose this template to already has it in force
    (`in_force`: the party sets of this template's agreements in force)."""
    if not in_force:
        return False
    others = [a for a in eligible if a != seat]
    largest = len(others) + 1 if template.max_parties is None else min(len(others) + 1, template.max_parties)
    for size in range(template.min_parties, largest + 1):
        for group in combinations(others, size - 1):
            if frozenset((seat, *group)) not in in_force:
                return False
    return True


def seat_options(game, work: Work, seat: str, must_act: bool | None = None) -> SeatOptions:
    """What `seat` may do; `must_act` may be passed when the caller already knows it."""
    if must_act is None:
        must_act = seat in game._required(work) and seat not in work.submissions
    common = {"seat": seat, "phase": work.phase, "must_act": must_act}
    if work.phase is Phase.PROPOSE:
        return SeatOptions(
            **common, templates=_template_options(game, work, seat),
            max_proposals=game.scenario.decisions.max_proposals,
        )
    if work.phase is Phase.RESPOND:
        to_answer = []
        for proposal in work.proposals:
            if seat in proposal.awaiting():
                problem = talks.acceptance_problem(work, seat, game.template(proposal.template), proposal.params)
                to_answer.append(ProposalOption(proposal, problem is None, problem))
        return SeatOptions(**common, to_answer=tuple(to_answer))
    if work.phase is Phase.DECIDE:
        return SeatOptions(
            **common, moves=_move_options(game, work, seat),
            budget=resolution.budget_of(work, seat), max_moves=game.scenario.decisions.max_moves,
        )
    if work.phase is Phase.CRISIS and seat in crisis.crisis_seats(work):
        return SeatOptions(**common, crisis_choices=tuple(CrisisChoice))
    return SeatOptions(**common)
