"""Applying a scenario's effects to a working state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from engine.rules import events
from engine.rules.context import value_of
from engine.rules.memo import LIMIT
from engine.rules.phrases import phrase
from engine.rules.state import Crisis
from engine.rules.work import Work
from engine.scenario.expressions import Expression, ExpressionError
from engine.scenario.expressions.values import Value
from engine.scenario.models import Effect, Scope
from engine.scenario.vocabulary import SELF_TEST


def select_actors(
    work: Work, selector: str, self_actor: str | None, parties: Sequence[str]
) -> list[str]:
    """The actors a selector names, in scenario order, active ones only."""
    order = work.layout.actor_ids
    if selector == "self":
        # Agreement effects run once for the whole agreement: there, `self` is each party.
        chosen = [self_actor] if self_actor else list(parties)
    elif selector == "others":
        chosen = [a for a in order if a != self_actor]
    elif selector == "all":
        chosen = list(order)
    elif selector == "parties":
        chosen = [a for a in order if a in parties]
    elif selector == "other_parties":
        chosen = [a for a in order if a in parties and a != self_actor]
    else:
        chosen = [selector]
    return [a for a in chosen if a in work.active]


def apply_effects(
    work: Work,
    effects: Iterable[Effect],
    *,
    self_actor: str | None = None,
    parties: Sequence[str] = (),
    extra: Mapping[str, float] | None = None,
    where: str = "effect",
) -> None:
    if type(parties) is not tuple:
        parties = tuple(parties)
    # The game's evaluation context called directly (what Work.evaluate does, one call less):
    # this loop evaluates most of a game's formulas.
    evaluate = work.memo.context.evaluate
    # The slots a track effect changes depend only on self, the parties and who is active.
    context = (self_actor, parties, work.active)
    for effect, at, when, rare, formula, constant, setting, targets_memo in _steps(work, effects, where, self_actor):
        if when is not None and not evaluate(work, when, self_actor, None, extra, at):
            continue
        if rare:
            if not _apply_rare_parts(work, effect, self_actor, parties, extra, at):
                continue
            context = (self_actor, parties, work.active)  # it may have brought an actor in
        if formula is None:
            continue
        targets = targets_memo.get(context)
        if targets is None:
            targets = _targets(work, effect, formula if constant is None else None, self_actor, parties)
            if len(targets_memo) < 256:
                targets_memo[context] = targets
        tracks, set_track = work.tracks, work.set_track
        for slot, context_self, other, compiled in targets:
            if constant is not None:
                value = constant
            elif extra or compiled is None:
                value = evaluate(work, formula, context_self, other, extra, at)
            else:
                try:
                    value = value_of(compiled, work)
                except (ValueError, RecursionError):  # again through the context, to name where
                    value = evaluate(work, formula, context_self, other, extra, at)
            set_track(slot, value if setting else tracks[slot] + value)


def _apply_rare_parts(work: Work, effect: Effect, self_actor, parties, extra, at: str) -> bool:
    """An effect's chance, line, activation and crisis, in that order. False if the chance fails
    (and the effect does nothing)."""
    if effect.chance is not None:
        probability = work.evaluate(effect.chance, self_actor, None, extra, at)
        if work.draw() >= probability:
            return False
    if effect.say is not None:
        work.say(events.Narration("story"), effect.say)
    if effect.activate is not None and effect.activate not in work.active:
        work.active = work.active | {effect.activate}
        actor = work.game.actor(effect.activate)
        work.say(events.ActorJoined(effect.activate), phrase("activated", work.scenario.languages, actor=actor.name))
    if effect.start_crisis is not None:
        start_crisis(work, effect, self_actor, parties)
    return True


def _steps(work: Work, effects: Iterable[Effect], where: str, self_actor: str | None) -> tuple[tuple, ...]:
    """Each effect ready to apply: (effect, where it is, its condition, whether it has a chance,
    line, activation or crisis, its track formula, the formula's value if it reads nothing,
    whether it sets rather than adds, a memo of its targets). Scenario effects are tuples that
    live as long as the game, so this is worked out once per tuple, place (`where` names the
    place in errors: `moves.x.effects[2]`) and self: an effect kept for one actor
    (`when: "is_self('us')"`) is left out for the others."""
    if type(effects) is not tuple:
        return _make_steps(effects, where)
    memo = work.memo.steps
    key = (id(effects), where, self_actor)
    known = memo.get(key)
    if known is not None and known[0] is effects:  # the entry keeps the tuple, so its id is not reused
        return known[1]
    steps = _make_steps(effects, where) if self_actor is None else _for_self(work, _steps(work, effects, where, None), self_actor)
    if len(memo) < LIMIT:
        memo[key] = (effects, steps)
    return steps


def _for_self(work: Work, steps: tuple[tuple, ...], self_actor: str) -> tuple[tuple, ...]:
    """`steps` as they apply with this `self`: a condition that only asks who `self` is, such as
    `is_self('china')`, is a constant for each actor, so it is decided here once (from the
    condition as the evaluation context compiles it for this self: one compile serves both)."""
    kept = []
    bound = work.memo.context.bound
    for step in steps:
        when = step[2]
        if when is not None and SELF_TEST in when.functions:
            _, value, reader = bound(work, when, self_actor, None)
            if reader is None:  # it folded to true or false
                if not value:
                    continue
                step = (step[0], step[1], None, *step[3:])
        kept.append(step)
    return tuple(kept)


def _make_steps(effects: Iterable[Effect], where: str) -> tuple[tuple, ...]:
    steps: list[tuple] = []
    for index, effect in enumerate(effects):
        rare = any(part is not None for part in (effect.chance, effect.say, effect.activate, effect.start_crisis))
        setting = effect.set is not None
        # checks.py makes sure a track effect has exactly one of `delta` and `set`.
        formula = None if effect.track is None else effect.set if setting else effect.delta
        steps.append((effect, f"{where}[{index}]", effect.when, rare, formula, _constant_value(formula), setting, {}))
    return tuple(steps)


def _constant_value(formula: Expression | None) -> Value | None:
    """The value of a formula that reads nothing (most moves' deltas are plain numbers), worked
    out here once instead of at every target; None for any other, and for one that fails (1/0),
    which the context evaluates each time to report it with where it is."""
    if formula is None or formula.names or formula.functions:
        return None
    try:
        return formula.evaluate({})
    except ExpressionError:
        return None


def _targets(work: Work, effect: Effect, formula: Expression | None, self_actor, parties) -> tuple[tuple, ...]:
    """(slot, self, other, compiled formula) for each slot an effect on a track changes, with the
    `self` and `other` its formula sees and the formula compiled for them (EvaluationContext.bound;
    None when `formula` is: a constant)."""
    context = work.memo.context
    targets = []
    for slot, subject, other in _find_targets(work, effect, self_actor, parties):
        # For actor effects on others, `self` stays the actor who caused the effect.
        formula_self = self_actor if self_actor is not None else subject
        compiled = None if formula is None else context.bound(work, formula, formula_self, other)
        targets.append((slot, formula_self, other, compiled))
    return tuple(targets)


def _find_targets(work: Work, effect: Effect, self_actor, parties) -> tuple[tuple[int, str | None, str | None], ...]:
    assert effect.track is not None  # called only for an effect on a track
    track = work.layout.tracks[effect.track]
    if track.scope is Scope.GLOBAL:
        return ((work.layout.slot(track.id), self_actor, None),)
    if track.scope is Scope.ACTOR:
        return tuple(
            (work.layout.slot(track.id, actor), actor, None)
            for actor in select_actors(work, effect.actor, self_actor, parties)
        )
    targets = []
    seen = set()
    for a in select_actors(work, effect.actor, self_actor, parties):
        for b in select_actors(work, effect.other, self_actor, parties):
            slot = work.layout.slot(track.id, a, b) if a != b else None
            if slot is not None and slot not in seen:
                seen.add(slot)
                targets.append((slot, a, b))
    return tuple(targets)


def start_crisis(work: Work, effect: Effect, self_actor, parties) -> None:
    """Put the selected actors in a crisis, or draw them into the one already running."""
    start = effect.start_crisis
    assert start is not None  # called only for an effect that starts one
    participants = []
    for selector in start.between:
        for actor in select_actors(work, selector, self_actor, parties):
            if actor not in participants:
                participants.append(actor)
    if len(participants) < 2:
        return
    order = work.layout.actor_ids
    ladder = work.scenario.crisis.rungs
    # The top rung is nuclear use: a crisis can only be climbed to it, never start there.
    start_rung = min(len(ladder) - 2, max(0, int(round(work.evaluate(start.rung, self_actor, where="start_crisis.rung")))))
    if work.crisis is not None:
        merged = sorted(set(work.crisis.participants) | set(participants), key=order.index)
        rung = max(work.crisis.rung, start_rung)
        work.crisis = Crisis(tuple(merged), rung, work.crisis.round, max(work.crisis.peak, rung), work.crisis.cause)
    else:
        rung = start_rung
        participants = sorted(participants, key=order.index)
        work.crisis = Crisis(tuple(participants), rung, 0, rung, start.text.get())
    names = [work.game.actor(a).name for a in work.crisis.participants]
    text = phrase("crisis_started", work.scenario.languages, parties=names, rung=ladder[rung].label)
    if start.text.values:
        work.say(events.Narration("crisis"), start.text)
    work.say(events.CrisisStarted(work.crisis.participants, rung), text)
