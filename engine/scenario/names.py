"""What names and functions a scenario's expressions may use, and how they resolve.

Names:
- a global track by its id: `testing_norm`;
- an actor track as `track.actor`: `survivability.us`, `survivability.self`, `budget.other`;
- a pair track as `track.a.b`: `tension.us.china`, `trust.self.other` (pairs are unordered);
- `turn`, `turns` (the last turn), `risk`, `previous_risk`, `clock`, `crisis_risk` (the risk of
  the highest crisis rung reached this turn); `period_risk`, `period_max_risk`, `period_turns`
  (the mean and highest risk, and the number of turns, since the clock was last set, this turn
  included: engine.rules.judgement);
- in agreements, `param.<id>` for the agreement's parameters;
- in crisis rules, `escalate`, `hold`, `back_down`, `participants`, `rung`, `round`.
`self` is the actor an expression is about (the mover, the party, the scored actor); `other` is
the second actor of a pair effect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from engine.scenario.expressions import ExpressionEvalError
from engine.scenario.models import Scenario, Scope
from engine.scenario.vocabulary import CRISIS_NAMES, RELATIVE_ACTORS, SPECIAL_NAMES


class TrackLayout:
    """Where each track value lives in the state's flat tuple of numbers."""

    def __init__(self, scenario: Scenario) -> None:
        self.actor_ids: tuple[str, ...] = tuple(a.id for a in scenario.actors)
        order = {a: i for i, a in enumerate(self.actor_ids)}
        self.tracks = {t.id: t for t in scenario.tracks}
        self.slots: dict[tuple[str, str | None, str | None], int] = {}
        self.keys: list[tuple[str, str | None, str | None]] = []
        for track in scenario.tracks:
            if track.scope is Scope.GLOBAL:
                self._add((track.id, None, None))
            elif track.scope is Scope.ACTOR:
                for actor in self.actor_ids:
                    self._add((track.id, actor, None))
            else:
                for a in self.actor_ids:
                    for b in self.actor_ids:
                        if order[a] < order[b]:
                            self._add((track.id, a, b))
        self._order = order
        self.labels = tuple(".".join(p for p in key if p is not None) for key in self.keys)
        self.parsed: dict[str, tuple[str, str | None, str | None]] = {}  # name -> its parts, memoised
        # (self, other) -> {track name -> slot}: where a name resolved before, for that self/other.
        self.resolved: dict[tuple[str | None, str | None], dict[str, int]] = {}
        # What engine.rules.functions reads for a track, self and table: see GameFunctions._slots.
        self.function_slots: dict[tuple, tuple[int, ...]] = {}

    def _add(self, key: tuple[str, str | None, str | None]) -> None:
        self.slots[key] = len(self.keys)
        self.keys.append(key)

    def slot(self, track: str, a: str | None = None, b: str | None = None) -> int:
        if a is not None and b is not None and self._order[a] > self._order[b]:
            a, b = b, a
        return self.slots[(track, a, b)]

    def label(self, slot: int) -> str:
        """A slot as a dotted name: `tension.russia.us`."""
        return self.labels[slot]

    def row(self, names, self_actor: str | None, other_actor: str | None) -> dict[str, int]:
        """The slot of each of `names` that always reads a track slot with this self and other,
        as Expression.bind takes it: a formula compiled with it reads those names by position.
        Left out (read by name, as Namespace does): special names, names a caller may give with
        a call (`param.<id>`, the crisis counts: they are read first), a pair of one actor with
        itself (always 0), names with no slot."""
        row = {}
        for name in names:
            if name in SPECIAL_NAMES or name in CRISIS_NAMES or name.startswith("param."):
                continue
            parsed = self.parsed.get(name)
            if parsed is None:
                parsed = self.parsed[name] = _parse(self, name)
            track, first, second = parsed
            if parsed is _UNKNOWN:
                continue
            actors = [self_actor if part == "self" else other_actor if part == "other" else part
                      for part in (first, second) if part is not None]
            if None in actors or (len(actors) == 2 and actors[0] == actors[1]):
                continue
            try:
                row[name] = self.slot(track, *actors)
            except KeyError:
                continue
        return row


class Namespace(Mapping):
    """The names an expression sees, resolved lazily against a working copy of the state.

    `specials` maps each special name (turn, risk ...) to a function of the working state, so
    nothing is computed for names an expression does not use.
    """

    __slots__ = ("_layout", "_work", "_specials", "_self", "_other", "_extra", "_slots", "row")

    def __init__(
        self,
        layout: TrackLayout,
        work,
        specials: Mapping[str, Callable[[object], float]],
        self_actor: str | None = None,
        other_actor: str | None = None,
        extra: Mapping[str, float] | None = None,
    ) -> None:
        self._layout = layout
        self._work = work
        self.row = work.tracks  # the slots' values, for formulas bound to slots (Expression.bind)
        self._specials = specials
        self._self = self_actor
        self._other = other_actor
        self._extra = extra or _EMPTY
        slots = layout.resolved.get((self_actor, other_actor))
        if slots is None:
            slots = layout.resolved[(self_actor, other_actor)] = {}
        self._slots = slots

    def point_at(self, work) -> None:
        """Read from this working state from now on."""
        self._work = work
        self.row = work.tracks

    def use_extra(self, extra: Mapping[str, float]) -> None:
        """Read these names first from now on (a namespace serves one evaluation at a time)."""
        self._extra = extra

    def _actor(self, part: str, name: str) -> str:
        actor = self._self if part == "self" else self._other if part == "other" else part
        if actor is None:
            raise ExpressionEvalError(f"'{name}' uses '{part}', which has no actor here")
        return actor

    def __getitem__(self, name: str) -> float:
        if name in self._extra:
            return self._extra[name]
        slot = self._slots.get(name)
        if slot is not None:  # a track name met before with this self and other
            return self._work.tracks[slot]
        special = self._specials.get(name)
        if special is not None:
            return special(self._work)
        return self._track(name)

    def _track(self, name: str) -> float:
        layout = self._layout
        parsed = layout.parsed.get(name)
        if parsed is None:
            parsed = layout.parsed[name] = _parse(layout, name)
        if parsed is _UNKNOWN:
            raise KeyError(name)
        track, first, second = parsed
        try:
            if first is None:
                slot = layout.slot(track)
            else:
                a = self._actor(first, name)
                if second is None:
                    slot = layout.slot(track, a)
                else:
                    b = self._actor(second, name)
                    if a == b:
                        return 0.0
                    slot = layout.slot(track, a, b)
        except KeyError:
            raise KeyError(name) from None
        self._slots[name] = slot
        return self._work.tracks[slot]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specials)

    def __len__(self) -> int:
        return len(self._specials)


_EMPTY: Mapping[str, float] = {}
_UNKNOWN = ("", None, None)


def _parse(layout: TrackLayout, name: str) -> tuple[str, str | None, str | None]:
    """`tension.self.other` -> ("tension", "self", "other"); _UNKNOWN if it names no track."""
    parts = name.split(".")
    track = layout.tracks.get(parts[0])
    wanted = {Scope.GLOBAL: 1, Scope.ACTOR: 2, Scope.PAIR: 3}[track.scope] if track else 0
    if len(parts) != wanted:
        return _UNKNOWN
    rest: list[str | None] = [*parts[1:], None, None]
    return (parts[0], rest[0], rest[1])


def name_problem(
    name: str,
    scenario: Scenario,
    *,
    allow_self: bool,
    extra: frozenset[str] = frozenset(),
) -> str | None:
    """Why `name` cannot be resolved in this context, or None if it can."""
    if name in SPECIAL_NAMES or name in extra:
        return None
    parts = name.split(".")
    tracks = {t.id: t for t in scenario.tracks}
    actors = {a.id for a in scenario.actors}
    track = tracks.get(parts[0])
    if track is None:
        from difflib import get_close_matches

        known = sorted(set(tracks) | SPECIAL_NAMES | extra)
        close = get_close_matches(parts[0], known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"unknown name '{name}'{hint}"
    wanted = {Scope.GLOBAL: 1, Scope.ACTOR: 2, Scope.PAIR: 3}[track.scope]
    if len(parts) != wanted:
        forms = {
            Scope.GLOBAL: f"'{track.id}'",
            Scope.ACTOR: f"'{track.id}.<actor>' (e.g. '{track.id}.self')",
            Scope.PAIR: f"'{track.id}.<actor>.<actor>' (e.g. '{track.id}.self.other')",
        }
        return f"'{name}': {track.scope.value} track '{track.id}' is written {forms[track.scope]}"
    for part in parts[1:]:
        if part in RELATIVE_ACTORS:
            if not allow_self:
                return f"'{name}': '{part}' has no meaning here (no actor is acting); name an actor"
        elif part not in actors:
            return f"'{name}': unknown actor '{part}' (actors: {', '.join(sorted(actors))})"
    return None

