"""Resolution: every seat's decisions revealed together and applied in a fixed order.

The order (documented in docs/rules.md):
1. all decisions are revealed (public moves to everyone, secret moves to their maker);
2. each actor pays its moves' costs, then the moves' effects apply, actors in scenario order and
   each actor's moves in the order it listed them;
3. every agreement in force checks its parties for breaches; each breach is detected or not by
   a draw against the template's detection chance;
4. agreements apply their per-turn effects, then those whose term is over expire.
"""

from __future__ import annotations

from engine.errors import IllegalInput
from engine.rules import events, talks
from engine.rules.effects import apply_effects
from engine.rules.inputs import Decide
from engine.rules.memo import remember
from engine.rules.phrases import phrase
from engine.rules.work import Work
from engine.scenario.models import Move


def move_cost(work: Work, seat: str, move: Move) -> float:
    # Most costs are plain numbers, the same for every seat and turn: each is worked out once
    # per game (checking and resolving decisions ask for the cost of every move played).
    constants = work.memo.constant_costs
    cost = constants.get(move.id)
    if cost is not None:
        return cost
    # The evaluation context called directly (Work.evaluate, one call less).
    cost = float(work.memo.context.evaluate(work, move.cost, seat, None, None, f"moves.{move.id}.cost"))
    if not move.cost.names and not move.cost.functions:
        remember(constants, move.id, cost)
    return cost


def move_problem(work: Work, seat: str, move: Move) -> str | None:
    """Why `seat` may not play `move` now, or None if it may."""
    if move.actors and seat not in move.actors:
        return "not open to this actor"
    if move.requires is not None and not work.memo.context.evaluate(
            work, move.requires, seat, None, None, f"moves.{move.id}.requires"):  # as move_cost
        return move.unavailable.get() or "its conditions are not met"
    return None


def budget_of(work: Work, seat: str) -> float | None:
    track = work.scenario.decisions.budget_track
    if track is None:
        return None
    return work.tracks[work.layout.slot(track, seat)]


def check_decide(work: Work, value: Decide) -> None:
    limit = work.scenario.decisions.max_moves
    if len(value.moves) > limit:
        raise IllegalInput(f"at most {limit} moves a turn")
    if len(set(value.moves)) != len(value.moves):
        raise IllegalInput("a move may be played once a turn")
    total = 0.0
    for move_id in value.moves:
        move = work.game.moves.get(move_id)
        if move is None:
            raise IllegalInput(f"no move '{move_id}'")
        problem = move_problem(work, value.seat, move)
        if problem:
            raise IllegalInput(f"{value.seat} may not play {move_id}: {problem}")
        total += move_cost(work, value.seat, move)
    budget = budget_of(work, value.seat)
    if budget is not None and total > budget + 1e-9:
        raise IllegalInput(f"these moves cost {total:g}, more than the budget of {budget:g}")


def resolve_decisions(work: Work) -> None:
    decided = {}
    for seat in work.layout.actor_ids:
        if seat in work.submissions:
            submission = work.submissions[seat]
            assert isinstance(submission, Decide)  # the only input the decide phase takes
            decided[seat] = submission.moves
    work.submissions = {}
    work.last_played = tuple((seat, m) for seat, moves in decided.items() for m in moves)
    _reveal(work, decided)
    budget_track = work.scenario.decisions.budget_track
    for seat, moves in decided.items():
        for move_id in moves:
            move = work.game.moves[move_id]
            if budget_track is not None:
                slot = work.layout.slot(budget_track, seat)
                work.set_track(slot, work.tracks[slot] - move_cost(work, seat, move))
            apply_effects(work, move.effects, self_actor=seat, where=f"moves.{move.id}.effects")
    _check_breaches(work, decided)
    _run_agreements(work)


def _reveal(work: Work, decided: dict[str, tuple[str, ...]]) -> None:
    languages = work.scenario.languages
    for seat, moves in decided.items():
        actor = work.game.actor(seat).name
        for move_id in moves:
            move = work.game.moves[move_id]
            if move.secret:
                text = phrase("played_secretly", languages, actor=actor, move=move.label)
                work.say(events.MovePlayed(seat, move.id, secret=True), text, (seat,))
            else:
                text = phrase("played", languages, actor=actor, move=move.label)
                work.say(events.MovePlayed(seat, move.id), text)


def _check_breaches(work: Work, decided: dict[str, tuple[str, ...]]) -> None:
    languages = work.scenario.languages
    kept = []
    broken_packages: set[int] = set()
    for agreement in work.agreements:
        template = work.game.template(agreement.template)
        breach = template.breach
        collapsed = False
        extra = work.memo.param_names(agreement.params)
        for party in agreement.parties if breach else ():
            assert breach is not None  # (the loop runs only when there is one)
            where = f"agreements.{template.id}.breach"
            broke = any(m in breach.moves for m in decided.get(party, ()))
            if not broke and breach.when is not None:
                broke = bool(work.evaluate(breach.when, party, None, extra, where))
            if not broke:
                continue
            actor = work.game.actor(party).name
            if work.draw() < work.evaluate(breach.detection, party, None, extra, where):
                text = phrase("breach_detected", languages, actor=actor, template=template.label)
                work.say(events.BreachFound(party, template.id, detected=True), text)
                apply_effects(
                    work, breach.on_detected, self_actor=party, parties=agreement.parties,
                    extra=extra, where=f"{where}.on_detected",
                )
                collapsed = collapsed or breach.ends_agreement
            else:
                text = phrase("breach_hidden", languages, actor=actor, template=template.label)
                work.say(events.BreachFound(party, template.id, detected=False), text, (party,))
        if collapsed:
            work.say(events.AgreementEnded(template.id, collapsed=True),
                     phrase("agreement_collapsed", languages, template=template.label))
            if agreement.package is not None:
                broken_packages.add(agreement.package)
        else:
            kept.append(agreement)
    work.agreements = kept
    if broken_packages:  # a package stands or falls together
        talks.end_package_partners(work, broken_packages)


def _run_agreements(work: Work) -> None:
    kept = []
    for agreement in work.agreements:
        template = work.game.template(agreement.template)
        extra = work.memo.param_names(agreement.params)
        apply_effects(
            work, template.each_turn, parties=agreement.parties, extra=extra,
            where=f"agreements.{template.id}.each_turn",
        )
        if agreement.expires_turn is not None and agreement.expires_turn <= work.turn:
            work.say(events.AgreementEnded(template.id, collapsed=False),
                     phrase("expired", work.scenario.languages, template=template.label))
        else:
            kept.append(agreement)
    work.agreements = kept
