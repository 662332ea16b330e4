"""The functions scenario expressions may call (declared in `engine.scenario.vocabulary.FUNCTIONS`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from engine.rules.stability import Force, share, stability_index
from engine.scenario.arithmetic import left_sum
from engine.scenario.expressions import ExpressionEvalError

if TYPE_CHECKING:
    from engine.rules.work import Work


class GameFunctions(Mapping):
    """The game functions over one working state and one `self`, looked up by name."""

    __slots__ = ("_work", "_self", "table", "_readings", "_last_slots")

    def __init__(self, work: Work, self_actor: str | None) -> None:
        self._work = work
        self._self = self_actor
        # name -> bound method: a plain dict, which compiled formulas are handed in place of
        # this mapping (a call then finds its function without a Python-level __getitem__).
        self.table: dict[str, Callable] = {name[2:]: getattr(self, name) for name in _FUNCTION_NAMES}
        self._readings: dict[tuple, tuple[tuple[int | None, float], ...]] = {}  # see _figures
        self._last_slots: dict[tuple[str, str, bool], tuple[frozenset[str], tuple[int, ...]]] = {}  # see _slots

    def __getitem__(self, name: str):
        return self.table[name]

    def point_at(self, work: Work) -> None:
        """Read from this working state from now on (the table lives as long as its game)."""
        self._work = work

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)

    # -- helpers ---------------------------------------------------------------------------
    def _active(self) -> list[str]:
        work = self._work
        return [a for a in work.layout.actor_ids if a in work.active]

    def _values(self, scope: str, track: str, flag: bool) -> Iterator[float]:
        """The values an actor ("actor", flag: include self) or pair ("pair", flag: only the
        pairs self is in) function reads. Their slots depend only on the track, who is at the
        table and `self`, so they are found once (memoised on the layout, and the last found for
        each track kept here, as who is at the table seldom changes)."""
        work = self._work
        known = self._last_slots.get((scope, track, flag))
        if known is None or known[0] is not work.active:
            known = self._last_slots[scope, track, flag] = (work.active, self._find_slots(scope, track, flag))
        return map(work.tracks.__getitem__, known[1])

    def _find_slots(self, scope: str, track: str, flag: bool) -> tuple[int, ...]:
        work = self._work
        key = (scope, track, flag, self._self, work.active)
        memo = work.layout.function_slots
        slots = memo.get(key)
        if slots is None:
            layout, seats = work.layout, self._active()
            if scope == "actor":  # flag: include self
                slots = tuple(layout.slot(track, a) for a in seats if flag or a != self._self)
            else:  # flag: only the pairs self is in
                slots = tuple(
                    layout.slot(track, a, b)
                    for i, a in enumerate(seats)
                    for b in seats[i + 1 :]
                    if not flag or self._self in (a, b)
                )
            if len(memo) < 4096:
                memo[key] = slots
        return slots

    def _need_self(self, name: str) -> str:
        if self._self is None:
            raise _needs_self(name)
        return self._self

    def _figure(self, name: str, argument: object, actor: str) -> tuple[int | None, float]:
        """How to read an argument of a stability function for one actor: (slot, 0.0) for a
        track (an actor track: the actor's; a global track: the same for everyone), (None, the
        number) for a number."""
        if isinstance(argument, bool) or not isinstance(argument, float | int | str):
            raise ExpressionEvalError(f"{name}() takes numbers and track names, not {argument!r}")
        if not isinstance(argument, str):
            return None, float(argument)
        slots = self._work.layout.slots
        slot = slots.get((argument, actor, None))
        if slot is None:
            slot = slots.get((argument, None, None))
        if slot is None:
            raise ExpressionEvalError(f"{name}(): '{argument}' is not an actor or global track")
        return slot, 0.0

    def _figures(self, name: str, args: tuple, actor: str) -> list[float]:
        """The values of a stability function's arguments after the first, for one actor. Where
        each is read from depends only on the arguments and the actor: found once per game
        (this table lives as long as its game; the argument types are in the key, as True == 1)."""
        key = (name, args, tuple(map(type, args)), actor)
        readings = self._readings.get(key)
        if readings is None:
            readings = tuple(self._figure(name, argument, actor) for argument in args[1:])
            if len(self._readings) < 256:
                self._readings[key] = readings
        tracks = self._work.tracks
        return [value if slot is None else tracks[slot] for slot, value in readings]

    def _stability_by_pair(self, name: str, args: tuple, only_self: bool = False) -> list[float]:
        """First-strike stability of each pair of active actors (engine.rules.stability), in
        scenario order. args: half-damage warheads, then counterforce, defence, warning (0-100),
        then warheads and survivability (0-100) of each system."""
        if len(args) < 6 or (len(args) - 4) % 2:
            raise ExpressionEvalError(
                f"{name}() takes half-damage warheads, counterforce, defence, warning, then a warheads"
                f" and a survivability argument for each system ({len(args)} arguments given)")
        half = args[0]
        if isinstance(half, bool) or not isinstance(half, float | int):
            raise ExpressionEvalError(f"{name}(): its first argument (half-damage warheads) must be a number")
        seats = self._active()
        forces = {}
        for actor in seats:
            figures = self._figures(name, args, actor)
            systems = [(figures[i], share(figures[i + 1])) for i in range(3, len(figures), 2)]
            forces[actor] = Force.of(systems, share(figures[0]), share(figures[1]), share(figures[2]))
        return [
            stability_index(forces[a], forces[b], float(half))
            for i, a in enumerate(seats)
            for b in seats[i + 1 :]
            if not only_self or self._self in (a, b)
        ]

    def _played(self, move: str, include_self: bool = True) -> float:
        return float(sum(1 for actor, m in self._work.last_played if m == move and (include_self or actor != self._self)))

    # -- the functions ---------------------------------------------------------------------
    def f_total(self, track: str) -> float:
        return float(left_sum(self._values("actor", track, True)))

    def f_highest(self, track: str) -> float:
        return max(self._values("actor", track, True), default=0.0)

    def f_lowest(self, track: str) -> float:
        return min(self._values("actor", track, True), default=0.0)

    def f_others_max(self, track: str) -> float:
        if self._self is None:  # as _need_self, without its call: these are read every turn
            raise _needs_self("others_max")
        return max(self._values("actor", track, False), default=0.0)

    def f_others_min(self, track: str) -> float:
        if self._self is None:  # as _need_self, without its call: these are read every turn
            raise _needs_self("others_min")
        return min(self._values("actor", track, False), default=0.0)

    def f_others_sum(self, track: str) -> float:
        if self._self is None:  # as _need_self, without its call: these are read every turn
            raise _needs_self("others_sum")
        return float(left_sum(self._values("actor", track, False)))

    def f_pair_avg(self, track: str) -> float:
        values = list(self._values("pair", track, False))
        return left_sum(values) / len(values) if values else 0.0

    def f_pair_max(self, track: str) -> float:
        return max(self._values("pair", track, False), default=0.0)

    def f_self_pair_avg(self, track: str) -> float:
        if self._self is None:  # as _need_self, without its call: these are read every turn
            raise _needs_self("self_pair_avg")
        values = list(self._values("pair", track, True))
        return left_sum(values) / len(values) if values else 0.0

    def f_in_force(self, template: str) -> bool:
        for agreement in self._work.agreements:  # a loop, not any(...): no generator per call
            if agreement.template == template:
                return True
        return False

    def f_party_to(self, template: str) -> bool:
        actor = self._need_self("party_to")
        for agreement in self._work.agreements:
            if agreement.template == template and actor in agreement.parties:
                return True
        return False

    def f_in_package(self, template: str) -> bool:
        # True only while a package holding this template is being accepted or proposed (the
        # templates are set on the Work by engine.rules.talks for that check): a party's link
        # between two agreements ("this only with that") reads as `in_package('that')`.
        return template in getattr(self._work, "package", ())

    def f_agreements(self, system: str | None = None) -> float:
        agreements = self._work.agreements
        if system is None:  # the usual call, agreements(): all of them
            return float(len(agreements))
        game = self._work.game
        return float(sum(1 for a in agreements if game.template(a.template).system == system))

    def f_played(self, move: str) -> float:
        return self._played(move)

    def f_others_played(self, move: str) -> float:
        self._need_self("others_played")
        return self._played(move, False)

    def f_is_active(self, actor: str) -> bool:
        return actor in self._work.active

    def f_actors(self) -> float:
        return float(len(self._active()))

    def f_in_crisis(self) -> bool:
        return self._work.crisis is not None

    def f_is_self(self, actor: str) -> bool:
        return actor == self._self

    # First-strike stability (docs/scenario-format.md): 1 = no side gains by striking first.
    def f_strike_stability_min(self, *args: object) -> float:
        return min(self._stability_by_pair("strike_stability_min", args), default=1.0)

    def f_strike_stability_avg(self, *args: object) -> float:
        values = self._stability_by_pair("strike_stability_avg", args)
        return left_sum(values) / len(values) if values else 1.0

    def f_self_strike_stability(self, *args: object) -> float:
        self._need_self("self_strike_stability")
        return min(self._stability_by_pair("self_strike_stability", args, True), default=1.0)


def _needs_self(name: str) -> ExpressionEvalError:
    return ExpressionEvalError(f"{name}() needs an actor, and there is none here")


_FUNCTION_NAMES = tuple(sorted(name for name in dir(GameFunctions) if name.startswith("f_")))
