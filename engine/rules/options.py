"""What a seat may do now: the legal choices, each unavailable one with its reason.

Front ends (the TUI, bots, agents, a server) build their menus from these values; the engine
checks the same rules again when the input arrives.
"""

from __future__ import annotations

from itertools import combinations
from math import copysign

import attrs

from engine.errors import MidnightError
from engine.rules import resolution, talks
from engine.rules.context import value_of
from engine.rules.effects import _find_targets as find_targets
from engine.rules.effects import apply_effects
from engine.rules.inputs import Adjust, Inject
from engine.rules.memo import LIMIT, remember
from engine.rules.state import FACILITATOR, SPECTATOR, CrisisChoice, GameState, Phase, Proposal
from engine.rules.views import knows_track
from engine.rules.work import Work
from engine.scenario.describe import describe_effects_now
from engine.scenario.models import Parameter, Visibility
from engine.scenario.text import Text
from engine.scenario.vocabulary import SELF_TEST, SPECIAL_NAMES


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
    # The agreements in force the seat is party to that this move would breach (template ids,
    # in the order of the agreements). Left out of repr: what bots and fingerprints read is unchanged.
    breaches: tuple[str, ...] = attrs.field(default=(), repr=False)


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
    # The terms this seat may propose: the template's defaults when it meets them, otherwise the
    # allowed terms nearest them that it meets (then `parameters` carry these as their defaults,
    # so a menu starts from terms that will be accepted), as (parameter id, value) pairs. Empty when
    # the template is unavailable or has no parameters.
    terms: tuple[tuple[str, float], ...] = attrs.field(default=(), repr=False)
    # When the defaults would be refused: which terms would do, in words ("cap 1650–2500").
    acceptable: str | None = attrs.field(default=None, repr=False)


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
        return tuple([m for m in self.moves if m.available])  # a list first: no generator to resume per move


def _move_menu(game, work: Work, seat: str) -> list[tuple]:
    """The moves open to `seat` (`move.actors`), each with its cost when that is a constant
    (most are), so that building options evaluates only what can change, where its condition
    and cost are (for errors: made once, not at every decision), and its condition and a cost
    that is a formula as compiled for the seat (EvaluationContext.bound: found once, not at
    every decision). Memoised per seat."""
    menus = game.memo.move_menus
    menu = menus.get(seat)
    if menu is None:
        menu = []
        context = work.memo.context
        for move in game.scenario.moves:
            if move.actors and seat not in move.actors:
                continue
            constant = None
            if not move.cost.names and not move.cost.functions:
                try:
                    constant = resolution.move_cost(work, seat, move)
                except MidnightError:
                    pass  # reported again, with the move, whenever the options are built
            requires = None if move.requires is None else context.bound(work, move.requires, seat, None)
            cost = None if constant is not None else context.bound(work, move.cost, seat, None)
            menu.append((move, constant, f"moves.{move.id}.requires", f"moves.{move.id}.cost", requires, cost))
        menus[seat] = menu
    return menu


def move_options(game, work: Work, seat: str, lean: bool = False) -> tuple[MoveOption, ...]:
    """The seat's move options. `lean` (bots) leaves out which agreements each move would breach:
    only a person is warned of that (finding the moves that meet a breach condition tries each
    one on a copy of the state), and a bot's choice never reads it."""
    budget = resolution.budget_of(work, seat)
    menu = _move_menu(game, work, seat)
    # Work out only what can change (conditions, costs that are formulas); the rest of the
    # options follows from those and the budget, so the whole tuple is memoised on them.
    varying = []
    # What resolution.move_problem and move_cost ask (the menu holds only moves open to the
    # seat), read from the formulas the menu holds: this is done for every move at every decision.
    for entry in menu:
        move, cost, _, _, requires, cost_formula = entry
        if requires is None and cost is not None:
            continue
        problem = None
        try:
            if requires is not None and not value_of(requires, work):
                problem = move.unavailable.get() or "its conditions are not met"  # as move_problem says
            if cost is None:
                cost = float(value_of(cost_formula, work))
        except (ValueError, RecursionError):  # again through the context, to word the error
            cost, problem = _cost_and_problem(work, seat, entry)
        # The sign of the cost is in the key because 0.0 == -0.0 but they print differently.
        varying.append((cost, copysign(1.0, cost), problem))
    bound = () if lean else _breach_moves(game, work, seat)
    key = (seat, budget, None if budget is None else copysign(1.0, budget), tuple(varying), bound)
    cache = game.memo.move_options
    options = cache.get(key)
    if options is None:
        options = _build_move_options(game, menu, budget, iter(varying), bound)
        if len(cache) < LIMIT:
            cache[key] = options
    return options


def _cost_and_problem(work: Work, seat: str, entry: tuple) -> tuple[float, str | None]:
    """A move's cost and why the seat may not play it, through the evaluation context, which
    names where a formula that fails is (move_options reads them faster when none does)."""
    move, cost, requires_where, cost_where, _, _ = entry
    evaluate = work.memo.context.evaluate
    problem = None
    try:
        if move.requires is not None and not evaluate(work, move.requires, seat, None, None, requires_where):
            problem = move.unavailable.get() or "its conditions are not met"
        if cost is None:
            cost = float(evaluate(work, move.cost, seat, None, None, cost_where))
    except MidnightError as error:
        problem, cost = str(error), 0.0
    return cost, problem


def _breach_moves(game, work: Work, seat: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(template id, the moves that breach it) for each agreement in force that `seat` is party to:
    the moves its breach names, and those that would make its breach condition hold for `seat`
    (resolution._check_breaches checks both after the moves)."""
    bound = []
    for agreement in work.agreements:
        if seat in agreement.parties:
            breach = game.template(agreement.template).breach
            if breach is None:
                continue
            moves = breach.moves
            if breach.when is not None:
                moves = (*moves, *_moves_meeting_condition(game, work, seat, agreement, breach))
            if moves:
                bound.append((agreement.template, moves))
    return tuple(bound)


def _moves_meeting_condition(game, work: Work, seat: str, agreement, breach) -> tuple[str, ...]:
    """The moves open to `seat` that change a track its breach condition reads and after which,
    played alone now, the condition would hold: an upload past an agreed ceiling. Each is tried
    on a copy of the state (so a chance effect is as the copy draws it: a warning, not a promise);
    a move the rules cannot work out now is not flagged."""
    read = {name.split(".", 1)[0] for name in breach.when.names}
    candidates = [
        move for move, *_ in _move_menu(game, work, seat)
        if move.id not in breach.moves and any(effect.track in read for effect in move.effects)
    ]
    if not candidates:
        return ()
    extra = work.memo.param_names(agreement.params)
    where = f"agreements.{agreement.template}.breach.when"
    state = work.freeze()
    flagged = []
    for move in candidates:
        trial = Work(game, state)
        try:
            apply_effects(trial, move.effects, self_actor=seat, where=f"moves.{move.id}.effects")
            if trial.evaluate(breach.when, seat, None, extra, where):
                flagged.append(move.id)
        except MidnightError:
            continue
    return tuple(flagged)


def _build_move_options(game, menu, budget: float | None, varying, bound=()) -> tuple[MoveOption, ...]:
    made = game.memo.move_option
    result = []
    for move, cost, *_ in menu:
        problem = None
        if move.requires is not None or cost is None:
            cost, _, problem = next(varying)
        if problem is None and budget is not None and cost > budget + 1e-9:
            problem = f"costs {cost:g}, the budget is {budget:g}"
        breaches = tuple(dict.fromkeys(template for template, moves in bound if move.id in moves)) if bound else ()
        # One MoveOption per move and what varies (options are immutable): most turns offer a
        # move as some turn before did. The cost's type and sign are in the key (1 == 1.0,
        # 0.0 == -0.0, and they print differently).
        key = (move.id, cost, type(cost), copysign(1.0, cost), problem, breaches)
        option = made.get(key)
        if option is None:
            option = MoveOption(move.id, move.label, move.system, move.description, cost, move.secret,
                                move.tags, problem is None, problem, game.effects_text(move), breaches)
            remember(made, key, option)
        result.append(option)
    return tuple(result)


def move_effects_now(game, state: GameState, seat: str, move_id: str) -> Text:
    """What `move_id` would do now for `seat`, in words, in each language: "Survivability +6 (now
    38 → 44)". Conditions that do not hold for the seat are left out, chances are percentages.
    Only what the seat may see is worked out (a formula reading a hidden value, or a slot the
    seat cannot see, is shown as written), so this tells no secret. Built on demand: front ends
    ask for the highlighted move; bots never do."""
    move = game.moves[move_id]
    return describe_effects_now(game.scenario, move.effects, _NowReader(game, Work(game, state), seat, move_id))


# Functions whose answers every seat may know (agreements in force, who is at the table, the crisis).
_PUBLIC_FUNCTIONS = frozenset({"is_self", "in_force", "party_to", "agreements", "is_active", "actors", "in_crisis"})
_RISK_NAMES = frozenset({"risk", "previous_risk", "crisis_risk", "period_risk", "period_max_risk"})


class _NowReader:
    """engine.scenario.describe.EffectReader for one seat and one Work."""

    def __init__(self, game, work: Work, seat: str, move_id: str) -> None:
        self.game, self.work, self.seat = game, work, seat
        self.where = f"moves.{move_id}.effects"

    def _may_read(self, expression, other: str | None = None) -> bool:
        """Whether `seat` may see everything `expression` reads."""
        if self.seat in self.game.actors and SELF_TEST in expression.functions:
            expression = self.work.memo.for_self(expression, self.seat)
        if expression.functions - _PUBLIC_FUNCTIONS:
            return False
        layout = self.work.layout
        for name in expression.names:
            if name in SPECIAL_NAMES:
                if name in _RISK_NAMES and not self.game.scenario.risk.visible:
                    return False
                continue
            track_id, *actors = name.split(".")
            track = layout.tracks.get(track_id)
            named = [self.seat if a == "self" else other if a == "other" else a for a in actors]
            if track is None or None in named or len(named) > 2:
                return False
            a, b = (named + [None, None])[:2]
            if not knows_track(track, self.seat, a, b):
                return False
        return True

    def _value(self, expression, other: str | None = None) -> float | None:
        if not self._may_read(expression, other):
            return None
        try:
            return float(self.work.evaluate(expression, self.seat, other, where=self.where))
        except (MidnightError, TypeError, ValueError):
            return None

    def holds(self, effect) -> bool | None:
        value = self._value(effect.when)
        return None if value is None else bool(value)

    def chance(self, effect) -> float | None:
        return self._value(effect.chance)

    def changes(self, effect) -> list[tuple[float | None, float | None, float | None]] | None:
        work, seat = self.work, self.seat
        formula = effect.set if effect.set is not None else effect.delta
        try:
            targets = find_targets(work, effect, seat, ())
        except (MidnightError, KeyError):
            return None
        found = []
        for slot, _, other in targets:
            # As apply_effects: the formula's `self` stays the mover; `other` is the pair's second actor.
            amount = self._value(formula, other)
            track_id, a, b = work.layout.keys[slot]
            track = work.layout.tracks[track_id]
            now = after = None
            if knows_track(track, seat, a, b):
                now = work.tracks[slot]
                if amount is not None:
                    low, high = work.memo.bounds[slot]
                    after = min(high, max(low, amount if effect.set is not None else now + amount))
            found.append((amount, now, after))
        return found


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


def template_options(game, work: Work, seat: str, lean: bool = False) -> tuple[TemplateOption, ...]:
    """The templates `seat` may see, each with whether it may propose it and at what terms.
    `lean` (bots): the same options without the words of the terms that would do (`acceptable`)."""
    in_force = _in_force(work)
    basics = _template_basics(game, work.turn, work.active, seat)
    problems = []
    others: list[tuple | None] = []  # (terms, acceptable) when the defaults fail but other terms do
    for template, eligible, defaults, problem in basics:
        problem, other = _template_problem(work, seat, in_force, template, eligible, defaults, problem, lean)
        problems.append(problem)
        others.append(other)
    # The options follow from the basics, these problems and terms: memoise the whole tuple on them.
    key = (id(basics), tuple(problems), tuple(others))
    cache = game.memo.template_options
    known = cache.get(key)
    if known is not None and known[0] is basics:  # the entry keeps the id from reuse
        return known[1]
    made = game.memo.template_option  # one TemplateOption per template, table and terms, as above
    made_options = []
    for (template, eligible, defaults, _), problem, other in zip(basics, problems, others, strict=True):
        # The terms by their repr: 1800 == 1800.0, but they print differently.
        option_key = (template.id, eligible, problem, other if other is None else repr(other))
        option = made.get(option_key)
        if option is None:
            option = _template_option(template, eligible, defaults, problem, other)
            remember(made, option_key, option)
        made_options.append(option)
    options = tuple(made_options)
    if len(cache) < LIMIT:
        cache[key] = (basics, options)
    return options


def any_template_available(game, work: Work, seat: str) -> bool:
    """Whether any of `seat`'s template options is available, found without building them: the
    templates are tried in order until one is (a bot that will not propose asks only this)."""
    in_force = _in_force(work)
    return any(
        _template_problem(work, seat, in_force, template, eligible, defaults, problem, True)[0] is None
        for template, eligible, defaults, problem in _template_basics(game, work.turn, work.active, seat)
    )


def _in_force(work: Work) -> dict[str, set[frozenset[str]]]:
    """The party sets of the agreements in force or awaiting ratification, per template."""
    in_force: dict[str, set[frozenset[str]]] = {}
    for agreement in (*work.agreements, *work.pending):  # signed and awaiting ratification: not again
        in_force.setdefault(agreement.template, set()).add(frozenset(agreement.parties))
    return in_force


def _template_problem(work: Work, seat: str, in_force, template, eligible, defaults, problem: str | None,
                      lean: bool) -> tuple[str | None, tuple | None]:
    """Why `seat` may not propose `template` now (None if it may), and the other terms it would
    propose when it refuses the defaults. `problem`: the template's problem on this turn's
    agenda and table (_template_basics)."""
    other = None
    if problem is None:
        problem = talks.acceptance_problem(work, seat, template, defaults)
        if problem is not None and template.parameters:
            other = talks.acceptable_terms(work, seat, template, defaults, words=not lean)
            if other is not None:
                problem = None
    if problem is None and _all_in_force(in_force.get(template.id), seat, template, eligible):
        problem, other = "already in force with every possible set of parties", None
    return problem, other


def _template_option(template, eligible, defaults, problem: str | None, other: tuple | None) -> TemplateOption:
    parameters, acceptable = template.parameters, None
    terms = tuple(defaults.items()) if problem is None else ()
    if other is not None:
        terms, acceptable = other
        chosen = dict(terms)
        parameters = tuple(attrs.evolve(p, default=chosen[p.id]) for p in parameters)
    return TemplateOption(template.id, template.label, template.system, template.description, parameters,
                          eligible, template.min_parties, template.max_parties, problem is None, problem,
                          terms, acceptable)


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


def proposals_to_answer(game, work: Work, seat: str) -> tuple[ProposalOption, ...]:
    """The proposals waiting for `seat`'s answer, each with whether it may accept."""
    to_answer = []
    for proposal in work.proposals:
        if seat in proposal.awaiting():
            problem = talks.in_force_problem(work, proposal) or talks.package_acceptance_problem(
                work, seat, proposal)
            to_answer.append(ProposalOption(proposal, problem is None, problem))
    return tuple(to_answer)


# -- the facilitator and the spectator ----------------------------------------------------------
@attrs.frozen
class EventOption:
    """A scenario event the facilitator may play by hand. Any event may be injected at any time,
    whatever its trigger, and again after it fired (`once` only keeps it from firing by itself
    again); it fires at once."""

    id: str
    title: Text
    text: Text
    fired: bool
    once: bool

    def inject(self) -> Inject:
        """The input that plays this event."""
        return Inject(self.id)


@attrs.frozen
class TrackOption:
    """A track slot the facilitator may set. `name` is its expression name (`tension.russia.us`),
    `value` its value now; a value set outside `min`..`max` is clamped."""

    name: str
    track: str
    label: Text
    value: float
    min: float
    max: float
    visibility: Visibility
    actor: str | None = None
    other: str | None = None
    system: str | None = None

    def adjust(self, value: float, reason: str = "") -> Adjust:
        """The input that sets this slot to `value`, with `reason` for the log."""
        return Adjust(self.track, value, self.actor, self.other, reason)


@attrs.frozen
class FacilitatorOptions:
    """What the facilitator may do now: inject any event (`events`, in scenario order) or adjust
    any track slot (`tracks`, in the state's order). The game never waits for the facilitator
    (`must_act` is False); after the end nothing is allowed (`available` False, with `reason`)."""

    seat: str
    phase: Phase
    must_act: bool
    events: tuple[EventOption, ...]
    tracks: tuple[TrackOption, ...]
    available: bool = True
    reason: str | None = None

    def event(self, event_id: str) -> EventOption | None:
        return next((e for e in self.events if e.id == event_id), None)

    def track(self, name: str) -> TrackOption | None:
        return next((t for t in self.tracks if t.name == name), None)


def facilitator_options(game, state: GameState) -> FacilitatorOptions:
    """Every event and every track slot of the scenario, as the facilitator may play or set them."""
    fired = state.fired_events
    events = tuple(EventOption(e.id, e.title, e.text, e.id in fired, e.once) for e in game.scenario.events)
    layout = game.layout
    tracks = []
    for slot, (track_id, a, b) in enumerate(layout.keys):
        track = layout.tracks[track_id]
        tracks.append(TrackOption(layout.label(slot), track_id, track.label, state.tracks[slot], track.min,
                                  track.max, track.visibility, a, b, track.system))
    over = state.outcome is not None
    return FacilitatorOptions(FACILITATOR, state.phase, False, events, tuple(tracks),
                              available=not over, reason="the game is over" if over else None)


def spectator_options(state: GameState) -> SeatOptions:
    """The spectator may do nothing, ever."""
    return SeatOptions(seat=SPECTATOR, phase=state.phase, must_act=False)
