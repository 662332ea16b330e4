"""Applying a scenario's effects to a working state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engine.scenario import Effect, Scope
from engine.state import Crisis
from engine.phrases import phrase
from engine.work import Work

SELECTORS = ("self", "others", "all", "parties", "other_parties")


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
    extra: dict[str, float] | None = None,
    where: str = "effect",
) -> None:
    for index, effect in enumerate(effects):
        at = f"{where}[{index}]"
        if effect.when is not None and not work.evaluate(effect.when, self_actor, None, extra, at):
            continue
        if effect.chance is not None:
            probability = work.evaluate(effect.chance, self_actor, None, extra, at)
            if work.draw() >= probability:
                continue
        if effect.say is not None:
            work.say("story", effect.say)
        if effect.activate is not None and effect.activate not in work.active:
            work.active.add(effect.activate)
            actor = work.game.actor(effect.activate)
            work.say("actor", phrase("activated", work.scenario.languages, actor=actor.name))
        if effect.start_crisis is not None:
            start_crisis(work, effect, self_actor, parties)
        if effect.track is not None:
            _apply_to_track(work, effect, self_actor, parties, extra, at)


def _apply_to_track(work, effect: Effect, self_actor, parties, extra, at: str) -> None:
    targets = _targets(work, effect, self_actor, parties)
    for slot, subject, other in targets:
        # For actor effects on others, `self` stays the actor who caused the effect.
        context_self = self_actor if self_actor is not None else subject
        if effect.set is not None:
            value = work.evaluate(effect.set, context_self, other, extra, at)
        else:
            value = work.tracks[slot] + work.evaluate(effect.delta, context_self, other, extra, at)
        work.set_track(slot, value)


def _targets(work: Work, effect: Effect, self_actor, parties) -> tuple[tuple[int, str | None, str | None], ...]:
    """The (slot, subject, other) an effect on a track applies to. They depend only on the
    effect, self, the parties and who is active, so they are memoised on the game."""
    key = (id(effect), self_actor, tuple(parties), frozenset(work.active))
    cache = work.game.__dict__.setdefault("_effect_targets", {})
    known = cache.get(key)
    if known is not None and known[0] is effect:  # the effect is kept, so its id is not reused
        return known[1]
    targets = _find_targets(work, effect, self_actor, parties)
    if len(cache) < 65536:
        cache[key] = (effect, targets)
    return targets


def _find_targets(work: Work, effect: Effect, self_actor, parties) -> tuple[tuple[int, str | None, str | None], ...]:
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
        work.say("crisis", start.text)
    work.say("crisis", text, participants=list(work.crisis.participants), rung=rung)
