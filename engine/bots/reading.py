"""What a bot reads from its seat's view: who did what last turn, the balance of forces, danger.

Everything here is computed from a `SeatView` and the scenario's rules (which every player
knows: move tags, template systems, the crisis ladder), never from the game state. Secret moves
of others never reach a view's log, so a bot cannot answer what it was not shown.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from engine.views import SeatView

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


def last_deeds(game, view: SeatView) -> tuple[Deed, ...]:
    """Others' moves in the most recent resolution that this seat saw."""
    deeds: list[Deed] = []
    seen_turn = None
    for entry in reversed(view.log):
        if entry.kind != "move":
            if seen_turn is not None and entry.turn < seen_turn:
                break
            continue
        if seen_turn is None:
            seen_turn = entry.turn
            if seen_turn < view.turn - 1:
                return ()  # nothing played last turn: old deeds are forgotten
        elif entry.turn != seen_turn:
            break
        actor = entry.data.get("actor")
        move = game.moves.get(entry.data.get("move"))
        if actor == view.seat or move is None:
            continue
        deeds.append(Deed(actor, move.id, frozenset(move_tags(game, move.id))))
    deeds.reverse()
    return tuple(deeds)


def own_values(view: SeatView) -> dict[str, float]:
    return {t.track: t.value for t in view.tracks if t.actor == view.seat and t.other is None}


def force_tracks(game, view: SeatView, weights: Mapping[str, float]) -> dict[str, float]:
    """The actor tracks that measure forces, with their weights.

    A scenario names them with `parity.<track>` weights; without any, every actor track that
    belongs to a system and that the seat can read for a rival counts, with weight 1.
    """
    named = {k[len("parity."):]: float(v) for k, v in weights.items() if k.startswith("parity.")}
    if named:
        return {k: v for k, v in named.items() if v}
    cache = game.__dict__.setdefault("_bot_force_tracks", {})
    if view.seat not in cache:
        budget = game.scenario.decisions.budget_track
        mine = {t.track for t in view.tracks if t.actor == view.seat and t.other is None and t.system}
        theirs = {t.track for t in view.tracks if t.actor not in (None, view.seat) and t.other is None}
        cache[view.seat] = {track: 1.0 for track in sorted(mine & theirs) if track != budget}
    return cache[view.seat]


def _positions(game, view: SeatView) -> dict[str, object]:
    """Where the readings a bot looks at sit in this seat's view (the order is fixed per seat)."""
    cache = game.__dict__.setdefault("_bot_positions", {})
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


def balance(game, view: SeatView, weights: Mapping[str, float]) -> Balance:
    tracks = force_tracks(game, view, weights)
    if not tracks:
        return Balance()
    readings = view.tracks
    values = {key: readings[i].value for key, i in _positions(game, view)["actor"].items() if key[0] in tracks}
    best = Balance()
    for rival in sorted(view.active):
        if rival == view.seat:
            continue
        total, weight, widest = 0.0, 0.0, (None, -2.0, 0.0, 0.0)
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
        if weight and (best.rival is None or total / weight > best.gap):
            best = Balance(rival, total / weight, widest[0], widest[2], widest[3])
    return best


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
    readings: list[tuple[float, str]] = [(0.0, "calm")]
    if view.risk is not None:
        readings.append((view.risk / 100.0, f"risk is {view.risk:.0f}"))
    start = float(game.scenario.clock.start) or 1.0
    if view.clock < start:
        readings.append(((start - view.clock) / start, f"the clock is at {view.clock:g}s"))
    if view.crisis is not None:
        top = max(1, len(game.scenario.crisis.rungs) - 1)
        label = game.scenario.crisis.rungs[min(view.crisis.rung, top)].label.get()
        readings.append((0.3 + 0.7 * view.crisis.rung / top, f"the crisis is at {label}"))
    worst = None
    for i, other in _positions(game, view)["danger"]:
        t = view.tracks[i]
        level = (t.value - t.min) / (t.max - t.min)
        if worst is None or level > worst[0]:
            worst = (level, t, other)
    if worst is not None:
        level, t, other = worst
        readings.append((level, f"{t.track} with {name(game, other)} is {round(t.value, 1):g}"))
    for track, line in red_lines(lines) if isinstance(lines, Mapping) else lines:
        for t in view.tracks:
            if (t.name == track or t.track == track) and (t.actor in (None, view.seat) or t.other == view.seat):
                if t.value > line:
                    readings.append((1.0, f"{t.name} {round(t.value, 1):g} is past its red line of {line:g}"))
    return max(readings, key=lambda r: r[0])


def crisis_choices_last_round(view: SeatView) -> dict[str, str]:
    """What each participant chose in the current crisis's last round, as this seat saw it."""
    if view.crisis is None:
        return {}
    for entry in reversed(view.log):
        if entry.kind != "crisis":
            continue
        if "choices" in entry.data:
            return dict(entry.data["choices"])
        if "participants" in entry.data:
            return {}  # the current crisis started after the last round we saw
    return {}


def name(game, actor: str) -> str:
    return game.actor(actor).name.get() if actor in game.actors else actor


def possessive(text: str) -> str:
    """"Russia's", "the United States'"."""
    return f"{text}'" if text.endswith("s") else f"{text}'s"


def largest_rise(view: SeatView) -> int:
    """The most rungs a crisis has climbed in one round in this game, as this seat saw it."""
    rise, previous = 0, None
    for entry in view.log:
        if entry.kind != "crisis" or "rung" not in entry.data:
            continue
        rung = int(entry.data["rung"])
        if "participants" in entry.data:
            previous = rung if previous is None else max(previous, rung)
            continue
        if previous is not None:
            rise = max(rise, rung - previous)
        previous = rung
    return rise


def move_tags(game, move_id: str) -> tuple[str, ...]:
    """A move's tags as bots read them: the author's, plus `escalatory` for a move whose effects
    start a crisis (the rules say so, even where the author left the tag out)."""
    cache = game.__dict__.setdefault("_bot_move_tags", {})
    tags = cache.get(move_id)
    if tags is None:
        move = game.moves[move_id]
        tags = tuple(move.tags)
        if "escalatory" not in tags and any(e.start_crisis is not None for e in move.effects):
            tags += ("escalatory",)
        cache[move_id] = tags
    return tags
