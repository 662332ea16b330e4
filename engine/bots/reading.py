"""What a bot reads from its seat's view: who did what last turn, the balance of forces, danger.

Everything here is computed from a `SeatView` and the scenario's rules (which every player
knows: move tags, template systems, the crisis ladder), never from the game state. Secret moves
of others never reach a view's log, so a bot cannot answer what it was not shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import is_
from typing import TypedDict

import attrs

from engine.bots.memo import BotMemo
from engine.rules.events import CrisisRoundPlayed, CrisisRungReached, CrisisStarted, MovePlayed
from engine.rules.views import SeatView

HOSTILE_TAGS = frozenset({"escalatory", "buildup", "test"})
FRIENDLY_TAGS = frozenset({"restraint", "transparency"})
# Readings of pair tracks whose id contains one of these words measure danger between two actors.
DANGER_WORDS = ("tension", "hostility", "suspicion")


@attrs.frozen
class Deed:
    """A move another actor was seen to play in the last resolution."""

    actor: str
    move: str
    tags: frozenset[str]

    @property
    def hostile(self) -> bool:
        return bool(self.tags & HOSTILE_TAGS)

    @property
    def friendly(self) -> bool:
        return bool(self.tags & FRIENDLY_TAGS) and not self.hostile


@attrs.frozen
class Balance:
    """How the seat's forces compare with its strongest rival's, from the tracks it can see.

    `gap` is the mean relative shortfall over the force tracks: +0.2 means 20% behind the leading
    rival, negative means ahead. `track` is the force track where the gap is widest.
    """

    rival: str | None = None
    gap: float = 0.0
    track: str | None = None
    own: float = 0.0
    theirs: float = 0.0


NO_BALANCE = Balance()  # no rival to compare with (immutable, so one serves all)


def last_deeds(game, view: SeatView) -> tuple[Deed, ...]:
    """Others' moves in the most recent resolution that this seat saw."""
    log = view.log
    memo = _memo(game, "deeds", view.seat)
    if memo and _extends(log, memo[0]) and not any(type(e.event) is MovePlayed for e in log[len(memo[0]):]):
        # Lines added since hold no move: the scan back would skip them and end as before.
        seen_turn, deeds = memo[1], memo[2]
    else:
        seen_turn, deeds = _scan_deeds(game, view)
    memo[:] = (log, seen_turn, deeds)
    if seen_turn is None or seen_turn < view.turn - 1:
        return ()  # nothing played last turn: old deeds are forgotten
    return deeds


def _scan_deeds(game, view: SeatView) -> tuple[int | None, tuple[Deed, ...]]:
    """The turn of the last move lines in the seat's log, and others' deeds among them."""
    deeds: list[Deed] = []
    seen_turn = None
    for entry in reversed(view.log):
        event = entry.event
        if type(event) is not MovePlayed:
            if seen_turn is not None and entry.turn < seen_turn:
                break
            continue
        if seen_turn is None:
            seen_turn = entry.turn
        elif entry.turn != seen_turn:
            break
        actor = event.actor
        move = game.moves.get(event.move)
        if actor == view.seat or move is None:
            continue
        deeds.append(_deed(game, actor, move.id))
    deeds.reverse()
    return seen_turn, tuple(deeds)


def _deed(game, actor: str, move_id: str) -> Deed:
    """The Deed of an actor and a move (immutable, so one per pair serves every game)."""
    cache = game.memo.layer(BotMemo).deeds
    deed = cache.get((actor, move_id))
    if deed is None:
        deed = cache[actor, move_id] = Deed(actor, move_id, frozenset(move_tags(game, move_id)))
    return deed


def _memo(game, kind: str, seat: str) -> list:
    """A seat's memo of one reading, kept on the game: a list the reading refills as it likes."""
    memos = game.memo.layer(BotMemo).readings
    memo = memos.get((kind, seat))
    if memo is None:
        if len(memos) > 4096:  # seats are few; this only bounds odd callers
            memos.clear()
        memo = memos[kind, seat] = []
    return memo


def _extends(log: tuple, seen: tuple) -> bool:
    """Whether `log` is `seen` plus new lines. A view's log only grows from state to state, and a
    line object sits at the same place in every later log, so the last seen line tells."""
    return len(log) >= len(seen) and (not seen or log[len(seen) - 1] is seen[-1])


def own_values(view: SeatView) -> dict[str, float]:
    return {t.track: t.value for t in view.tracks if t.actor == view.seat and t.other is None}


def force_tracks(game, view: SeatView, weights: Mapping[str, float] | tuple) -> dict[str, float]:
    """The actor tracks that measure forces, with their weights.

    A scenario names them with `parity.<track>` weights; without any, every actor track that
    belongs to a system and that the seat can read for a rival counts, with weight 1. `weights`
    is a bot's weights, or its `parity.` entries already picked out by `named_forces`.
    """
    named = weights if isinstance(weights, tuple) else named_forces(weights)
    if named:
        known = game.memo.layer(BotMemo).named_forces
        found = known.get(named)
        if found is None:
            if len(known) > 256:
                known.clear()
            found = known[named] = {k: v for k, v in dict(named).items() if v}
        return found
    cache = game.memo.layer(BotMemo).force_tracks
    if view.seat not in cache:
        budget = game.scenario.decisions.budget_track
        mine = {t.track for t in view.tracks if t.actor == view.seat and t.other is None and t.system}
        theirs = {t.track for t in view.tracks if t.actor not in (None, view.seat) and t.other is None}
        cache[view.seat] = {track: 1.0 for track in sorted(mine & theirs) if track != budget}
    return cache[view.seat]


def named_forces(weights: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """The `parity.<track>` entries of a bot's weights, as (track, weight)."""
    return tuple((k[len("parity."):], float(v)) for k, v in weights.items() if k.startswith("parity."))


class _Positions(TypedDict):
    actor: dict[tuple[str, str], int]  # (track, actor) -> index, for actor tracks
    danger: list[tuple[int, str]]  # (index, the other actor), for the seat's danger pair tracks


def _positions(game, view: SeatView) -> _Positions:
    """Where the readings a bot looks at sit in this seat's view (the order is fixed per seat)."""
    cache = game.memo.layer(BotMemo).positions
    key = (view.seat, len(view.tracks))
    found = cache.get(key)
    if found is None:
        seat = view.seat
        found = {
            "actor": {(t.track, t.actor): i for i, t in enumerate(view.tracks) if t.actor and t.other is None},
            "danger": [
                (i, t.other if t.actor == seat else t.actor)
                for i, t in enumerate(view.tracks)
                if t.other is not None and seat in (t.actor, t.other) and t.max > t.min
                and any(word in t.track for word in DANGER_WORDS)
            ],
        }
        cache[key] = found
    return found


def _force_positions(game, view: SeatView, tracks: dict[str, float]) -> list[tuple[tuple[str, str], int]]:
    """Where the readings of the force tracks sit in this seat's view: ((track, actor), index)."""
    cache = game.memo.layer(BotMemo).force_positions
    key = (view.seat, len(view.tracks), id(tracks))
    found = cache.get(key)
    if found is None or found[0] is not tracks:  # the dict is kept with its entry: its id stays its own
        if len(cache) > 1024:
            cache.clear()
        actor = _positions(game, view)["actor"]
        found = cache[key] = (tracks, [(pair, i) for pair, i in actor.items() if pair[0] in tracks])
    return found[1]


def balance(game, view: SeatView, weights: Mapping[str, float] | tuple) -> Balance:
    """`weights` as for `force_tracks`."""
    tracks = force_tracks(game, view, weights)
    if not tracks:
        return NO_BALANCE
    # Asked in every phase of a turn, while the readings change only at resolution: remember
    # the last answer per seat (the view cache hands out the very same readings tuple).
    memo = _memo(game, "balance", view.seat)
    if memo and memo[0] is view.tracks and memo[1] is tracks and memo[2] == view.active:
        return memo[3]
    result = _balance(game, view, tracks)
    memo[:] = (view.tracks, tracks, view.active, result)
    return result


def _balance(game, view: SeatView, tracks: dict[str, float]) -> Balance:
    readings = view.tracks
    values = {key: readings[i].value for key, i in _force_positions(game, view, tracks)}
    # (rival, gap, track, own, theirs): one Balance is made, at the end
    best: tuple[str, float, str | None, float, float] | None = None
    for rival in sorted(view.active):
        if rival == view.seat:
            continue
        total, weight = 0.0, 0.0
        widest: tuple[str | None, float, float, float] = (None, -2.0, 0.0, 0.0)  # (track, gap, own, theirs)
        for track, w in tracks.items():
            own, theirs = values.get((track, view.seat)), values.get((track, rival))
            if own is None or theirs is None:
                continue
            scale = max(abs(own), abs(theirs), 1e-9)
            gap = (theirs - own) / scale
            total += w * gap
            weight += w
            if gap > widest[1]:
                widest = (track, gap, own, theirs)
        if weight and (best is None or total / weight > best[1]):
            best = (rival, total / weight, widest[0], widest[2], widest[3])
    return Balance(*best) if best is not None else NO_BALANCE


def red_lines(weights: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """The `redline.<track>` entries of a bot's weights, as (track, value)."""
    return tuple((k[len("redline."):], float(v)) for k, v in weights.items() if k.startswith("redline."))


def danger(game, view: SeatView, lines: Mapping[str, float] | tuple = ()) -> tuple[float, str]:
    """How close to catastrophe the seat feels, 0..1, and the main reason in a few words.

    The largest of: visible risk, how far the clock has moved toward midnight from its start,
    the crisis rung, the seat's tension with others, and any red line (`redline.<track>` weight:
    a reading of that track involving the seat above the value counts as full danger). `lines`
    is a bot's weights, or its red lines already picked out by `red_lines`.
    """
    # Asked in every phase of a turn, and what it reads changes far less often: remember the
    # last answer per seat. Identity, not ==, so that 0.0 never stands for -0.0 in a reason.
    memo = _memo(game, "danger", view.seat)
    key = (view.tracks, view.risk, view.clock, view.crisis, lines)
    if memo and all(map(is_, memo[0], key)):
        return memo[1]
    result = _danger(game, view, lines)
    memo[:] = (key, result)
    return result


def _danger(game, view: SeatView, lines: Mapping[str, float] | tuple) -> tuple[float, str]:
    # The first of the largest readings wins; a reason is worded only when its reading leads.
    best, why = 0.0, "calm"
    if view.risk is not None and view.risk / 100.0 > best:
        best, why = view.risk / 100.0, f"risk is {view.risk:.0f}"
    start = float(game.scenario.clock.start) or 1.0
    if view.clock < start and (start - view.clock) / start > best:
        best, why = (start - view.clock) / start, f"the clock is at {view.clock:g}s"
    if view.crisis is not None:
        top = max(1, len(game.scenario.crisis.rungs) - 1)
        level = 0.3 + 0.7 * view.crisis.rung / top
        if level > best:
            label = game.scenario.crisis.rungs[min(view.crisis.rung, top)].label.get()
            best, why = level, f"the crisis is at {label}"
    worst = None
    for i, other in _positions(game, view)["danger"]:
        t = view.tracks[i]
        level = (t.value - t.min) / (t.max - t.min)
        if worst is None or level > worst[0]:
            worst = (level, t, other)
    if worst is not None and worst[0] > best:
        level, t, other = worst
        best, why = level, f"{t.track} with {name(game, other)} is {round(t.value, 1):g}"
    for track, line in lines if isinstance(lines, tuple) else red_lines(lines):
        for t in view.tracks:
            if (t.name == track or t.track == track) and (t.actor in (None, view.seat) or t.other == view.seat):
                if t.value > line and 1.0 > best:
                    best, why = 1.0, f"{t.name} {round(t.value, 1):g} is past its red line of {line:g}"
    return best, why


def crisis_choices_last_round(view: SeatView) -> dict[str, str]:
    """What each participant chose in the current crisis's last round, as this seat saw it."""
    if view.crisis is None:
        return {}
    for entry in reversed(view.log):
        event = entry.event
        if type(event) is CrisisRoundPlayed:
            return dict(event.choices)
        if type(event) is CrisisStarted:
            return {}  # the current crisis started after the last round we saw
    return {}


def name(game, actor: str) -> str:
    actors = game.actors
    return actors[actor].name.get() if actor in actors else actor


def possessive(text: str) -> str:
    """"Russia's", "the United States'"."""
    return f"{text}'" if text.endswith("s") else f"{text}'s"


def largest_rise(game, view: SeatView) -> int:
    """The most rungs a crisis has climbed in one round in this game, as this seat saw it."""
    log = view.log
    memo = _memo(game, "rise", view.seat)
    if memo and _extends(log, memo[0]):
        seen, rise, previous = memo  # the log only grew: read on from where we stopped
    else:
        seen, rise, previous = (), 0, None
    for entry in log[len(seen):]:
        event = entry.event
        if type(event) is not CrisisRungReached and type(event) is not CrisisStarted:
            continue
        rung = event.rung
        if type(event) is CrisisStarted:
            previous = rung if previous is None else max(previous, rung)
            continue
        if previous is not None:
            rise = max(rise, rung - previous)
        previous = rung
    memo[:] = (log, rise, previous)
    return rise


def move_tags(game, move_id: str) -> tuple[str, ...]:
    """A move's tags as bots read them: the author's, plus `escalatory` for a move whose effects
    start a crisis (the rules say so, even where the author left the tag out)."""
    cache = game.memo.layer(BotMemo).move_tags
    tags = cache.get(move_id)
    if tags is None:
        move = game.moves[move_id]
        tags = tuple(move.tags)
        if "escalatory" not in tags and any(e.start_crisis is not None for e in move.effects):
            tags += ("escalatory",)
        cache[move_id] = tags
    return tags
