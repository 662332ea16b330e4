"""Semantic checks of a structured scenario: references, bounds and expression names.

`check_scenario` returns every problem as (path, message); `engine.scenario.loading` turns the paths
into file positions. A scenario that passes these checks can be played without a dangling
reference.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from difflib import get_close_matches

from engine.scenario.expressions import Expression, ExpressionError
from engine.scenario.models import Effect, Scenario, Scope, Visibility, clock_set_on
from engine.scenario.names import name_problem
from engine.scenario.personas import bot_config_problems
from engine.scenario.vocabulary import CRISIS_NAMES, FUNCTION_ARGUMENT, SELECTORS, STABILITY_FUNCTIONS

# A game function called with a quoted argument: total('warheads'). Strings appear nowhere else.
_BOT_PATH = re.compile(r"actors\[(\d+)\]\.bot\.(persona|weights)\.?(.*)")
_CALL = re.compile(r"\b([a-z_]+)\s*\(\s*('[^']*'|\"[^\"]*\")")

# Bounds of counts (docs/scenario-format.md): a game of more turns, or a turn of more moves or
# rounds, is a mistake, and an endless `midnight run`.
MAX_TURNS = 1_000
MAX_TURN_MONTHS = 120
MAX_COUNT = 100

RESERVED_ACTOR_IDS = frozenset(SELECTORS) | {"other", "facilitator", "spectator", "param"}

Path = tuple
Problems = list[tuple[Path, str]]


def _hint(name: str, known: Iterable[str]) -> str:
    close = get_close_matches(name, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Checker:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.problems: Problems = []
        self.actors = {a.id for a in scenario.actors}
        self.tracks = {t.id: t for t in scenario.tracks}
        self.systems = {s.id for s in scenario.systems}
        self.moves = {m.id for m in scenario.moves}
        self.templates = {t.id for t in scenario.agreements}
        self.sources = {s.id for s in scenario.sources}

    def add(self, path: Path, message: str) -> None:
        self.problems.append((path, message))

    def ref(self, path: Path, value: str | None, known: set[str], what: str) -> None:
        if value is not None and value not in known:
            self.add(path, f"unknown {what} '{value}'{_hint(value, known)}")

    def unique(self, path: Path, items: Sequence) -> None:
        seen = set()
        for i, item in enumerate(items):
            if item.id in seen:
                self.add((*path, i, "id"), f"'{item.id}' is used twice; ids must be unique")
            seen.add(item.id)

    def expression(
        self, path: Path, expr: Expression | None, *, want: str, allow_self: bool = True,
        extra: frozenset[str] = frozenset(),
    ) -> None:
        if expr is None:
            return
        for name in sorted(expr.names):
            problem = name_problem(name, self.s, allow_self=allow_self, extra=extra)
            if problem:
                self.add(path, problem)
        for function, argument in _CALL.findall(expr.source):
            problem = self.argument_problem(function, argument[1:-1])
            if problem:
                self.add(path, problem)
        for function in sorted(expr.functions & STABILITY_FUNCTIONS):
            for problem in self.stability_problems(function, expr.source):
                self.add(path, problem)
        if not expr.names and not expr.functions:
            self.constant(path, expr)
        if want == "bool" and expr.kind == "number":
            self.add(path, f"'{expr.source}' is a number; a condition must be true or false (e.g. 'x > 0')")
        if want == "number" and expr.kind == "bool":
            self.add(path, f"'{expr.source}' is a condition; a number is needed here")

    def argument_problem(self, function: str, argument: str) -> str | None:
        """Whether a game function's quoted argument names a thing of the right kind."""
        kind = FUNCTION_ARGUMENT.get(function)
        known: set[str] | None
        if kind in ("actor_track", "pair_track"):
            scope = Scope.ACTOR if kind == "actor_track" else Scope.PAIR
            known = {t for t, track in self.tracks.items() if track.scope is scope}
            what = f"{scope.value} track"
        else:
            kinds: dict[str | None, tuple[set[str] | None, str]] = {
                "agreement": (self.templates, "agreement template"),
                "system": (self.systems, "system"),
                "move": (self.moves, "move"),
                "actor": (self.actors, "actor"),
            }
            known, what = kinds.get(kind, (None, ""))
        if known is None or argument in known:
            return None
        return f"{function}('{argument}'): no {what} '{argument}'{_hint(argument, known)}"

    def stability_problems(self, function: str, source: str) -> list[str]:
        """A first-strike stability call's arguments: how many, a number first, and every quoted
        one an actor or global track (docs/scenario-format.md)."""
        problems = []
        tracks = {t for t, track in self.tracks.items() if track.scope is not Scope.PAIR}
        for arguments in _call_arguments(source, function):
            if len(arguments) < 6 or (len(arguments) - 4) % 2:
                problems.append(f"{function}() takes half-damage warheads, counterforce, defence, warning, then a"
                                f" warheads and a survivability argument for each system ({len(arguments)} given)")
            for i, argument in enumerate(arguments):
                quoted = argument[:1] in ("'", '"') and argument[-1:] == argument[:1]
                if i == 0 and quoted:
                    problems.append(f"{function}(): its first argument is a number (half-damage warheads), not {argument}")
                elif quoted and argument[1:-1] not in tracks:
                    name = argument[1:-1]
                    problems.append(f"{function}('{name}'): no actor or global track '{name}'{_hint(name, tracks)}")
        return problems

    def effects(self, path: Path, effects: Sequence[Effect], extra: frozenset[str] = frozenset()) -> None:
        for i, effect in enumerate(effects):
            self.effect((*path, i), effect, extra)

    def effect(self, path: Path, e: Effect, extra: frozenset[str]) -> None:
        kinds = [e.track is not None, e.start_crisis is not None, e.activate is not None, e.say is not None]
        if not any(kinds):
            self.add(path, "an effect needs 'track', 'start_crisis', 'activate' or 'say'")
        if e.track is not None:
            self.ref((*path, "track"), e.track, set(self.tracks), "track")
            if (e.delta is None) == (e.set is None):
                self.add(path, "a track effect needs exactly one of 'delta' or 'set'")
            track = self.tracks.get(e.track)
            if track is not None and track.scope is not Scope.GLOBAL:
                self.selector((*path, "actor"), e.actor)
                if track.scope is Scope.PAIR:
                    self.selector((*path, "other"), e.other)
        elif e.delta is not None or e.set is not None:
            self.add(path, "'delta' and 'set' need a 'track'")
        self.expression((*path, "delta"), e.delta, want="number", extra=extra)
        self.expression((*path, "set"), e.set, want="number", extra=extra)
        self.expression((*path, "when"), e.when, want="bool", extra=extra)
        self.expression((*path, "chance"), e.chance, want="number", extra=extra)
        if e.start_crisis is not None:
            for j, selector in enumerate(e.start_crisis.between):
                self.selector((*path, "start_crisis", "between", j), selector)
            self.expression((*path, "start_crisis", "rung"), e.start_crisis.rung, want="number", extra=extra)
        self.ref((*path, "activate"), e.activate, self.actors, "actor")

    def selector(self, path: Path, selector: str) -> None:
        if selector not in SELECTORS and selector not in self.actors:
            known = set(SELECTORS) | self.actors
            self.add(path, f"unknown actor selector '{selector}'{_hint(selector, known)}: "
                           f"use {', '.join(SELECTORS)} or an actor id")

    def run(self) -> Problems:
        s = self.s
        for key in ("actors", "tracks", "systems", "moves", "agreements", "events", "sources", "end", "accidents"):
            self.unique((key,), getattr(s, key))
        self.unique(("crisis", "rungs"), s.crisis.rungs)
        self.unique(("risk", "factors"), s.risk.factors)
        self.check_calendar()
        if not s.actors:
            self.add(("actors",), "a scenario needs at least one actor")
        for i, actor in enumerate(s.actors):
            if actor.id in RESERVED_ACTOR_IDS:
                self.add(("actors", i, "id"), f"'{actor.id}' is a reserved word; choose another id")
            if actor.id in self.tracks:
                self.add(("actors", i, "id"), f"'{actor.id}' is also a track id; choose another")
            self.expression(("actors", i, "score"), actor.score, want="number")
        self.check_counts()
        self.check_tracks()
        self.check_moves()
        self.check_agreements()
        self.check_events()
        self.check_crisis()
        for i, factor in enumerate(s.risk.factors):
            self.expression(("risk", "factors", i, "value"), factor.value, want="number", allow_self=False)
        self.check_clock()
        if s.aftermath is not None:
            self.count(("aftermath", "turns"), s.aftermath.turns, 1, MAX_TURNS, "aftermath turns (played after nuclear use)")
            self.effects(("aftermath", "effects"), s.aftermath.effects)
        for i, accident in enumerate(s.accidents):
            self.expression(("accidents", i, "chance"), accident.chance, want="number", allow_self=False)
        for i, end in enumerate(s.end):
            self.expression(("end", i, "when"), end.when, want="bool", allow_self=False)
        self.expression(("shared_score",), s.shared_score, want="number", allow_self=False)
        budget = s.decisions.budget_track
        if budget is not None:
            track = self.tracks.get(budget)
            if track is None or track.scope is not Scope.ACTOR:
                self.add(("decisions", "budget_track"), f"'{budget}' must be the id of an actor track")
        for i, item in enumerate(s.agenda):
            if not 1 <= item.turn <= s.turns:
                self.add(("agenda", i, "turn"), f"turn {item.turn} is outside 1..{s.turns}")
            for j, system in enumerate(item.systems):
                self.ref(("agenda", i, "systems", j), system, self.systems, "system")
        self.effects(("each_turn",), s.each_turn)
        self.check_bots()
        return self.problems

    def count(self, path: Path, value: int | None, low: int, high: int, what: str) -> bool:
        """Whether a count is within low..high; a problem saying what it counts when not."""
        if value is None or low <= value <= high:
            return True
        self.add(path, f"{what} must be between {low:,} and {high:,}, not {value:,}")
        return False

    def check_calendar(self) -> None:
        """Turns, turn length and start date, and that the last turn's date is a real date."""
        s = self.s
        turns_ok = self.count(("turns",), s.turns, 1, MAX_TURNS, "turns (the number of turns)")
        months_ok = self.count(("turn_months",), s.turn_months, 1, MAX_TURN_MONTHS, "turn_months (months per turn)")
        try:
            start = datetime.date.fromisoformat(s.start_date)
        except ValueError:
            self.add(("start_date",), f"'{s.start_date}' is not a date; write YYYY-MM-DD")
            return
        if not (turns_ok and months_ok):
            return
        # As Game.date_of: turn N starts turn_months x (N - 1) months after the start date.
        months = start.month - 1 + (s.turns - 1) * s.turn_months
        year = start.year + months // 12
        if year > datetime.MAXYEAR:
            self.add(
                ("start_date",),
                f"the last turn (turn {s.turns}) would start in the year {year}, past 9999: "
                "choose an earlier start_date, fewer turns or shorter turn_months",
            )

    def check_counts(self) -> None:
        """Counts that must be at least 0 or 1, within sane bounds."""
        s = self.s
        d = s.decisions
        self.count(("decisions", "max_moves"), d.max_moves, 0, MAX_COUNT, "max_moves (moves per turn)")
        self.count(("decisions", "max_proposals"), d.max_proposals, 0, MAX_COUNT, "max_proposals (proposals per turn)")
        self.count(("decisions", "talk_rounds"), d.talk_rounds, 1, MAX_COUNT, "talk_rounds (rounds of talks per turn)")
        for phase, seconds in d.phase_seconds.items():
            if phase not in ("propose", "respond", "decide", "crisis"):
                self.add(("decisions", "phase_seconds", phase),
                         f"no phase '{phase}' (phases with a timer: propose, respond, decide, crisis)")
            elif not 1 <= seconds <= 86_400:
                self.add(("decisions", "phase_seconds", phase), f"a phase lasts 1 to 86400 seconds, not {seconds:g}")
        self.count(("crisis", "rounds"), s.crisis.rounds, 1, MAX_COUNT, "crisis rounds (the most rounds a crisis lasts)")
        for i, t in enumerate(s.agreements):
            path = ("agreements", i)
            low = self.count((*path, "min_parties"), t.min_parties, 2, MAX_COUNT,
                             "min_parties (an agreement needs 2 parties or more)")
            high = self.count((*path, "max_parties"), t.max_parties, 2, MAX_COUNT, "max_parties")
            if low and high and t.max_parties is not None and t.max_parties < t.min_parties:
                self.add((*path, "max_parties"), "max_parties is below min_parties")
            self.count((*path, "duration"), t.duration, 1, MAX_TURNS,
                       "duration (turns in force; omit it for no end)")

    def constant(self, path: Path, expr: Expression) -> None:
        """A formula that reads nothing is evaluated now: one that always fails is refused."""
        try:
            value = expr.evaluate({})
        except ExpressionError as exc:
            self.add(path, f"'{expr.source}' always fails: {exc}")
            return
        except (ArithmeticError, ValueError) as exc:
            self.add(path, f"'{expr.source}' always fails: {exc}")
            return
        if isinstance(value, float) and not math.isfinite(value):
            self.add(path, f"'{expr.source}' is not a finite number")

    def check_bots(self) -> None:
        for path, message in bot_config_problems(self.s):
            match = _BOT_PATH.fullmatch(path)
            if match is None:
                self.add(("actors",), message)
                continue
            index, key, rest = match.groups()
            self.add(("actors", int(index), "bot", key, *([rest] if rest else [])), message)

    def check_tracks(self) -> None:
        for i, t in enumerate(self.s.tracks):
            path = ("tracks", i)
            if t.min > t.max:
                self.add((*path, "min"), f"min {t.min:g} is above max {t.max:g}")
            self.ref((*path, "system"), t.system, self.systems, "system")
            self.ref((*path, "source"), t.source, self.sources, "source")
            for actor, source in t.sources.items():
                if t.scope is not Scope.ACTOR:
                    self.add((*path, "sources", actor), "only an actor track has a figure per actor to cite")
                self.ref((*path, "sources", actor), actor, self.actors, "actor")
                self.ref((*path, "sources", actor), source, self.sources, "source")
            if t.scope is Scope.GLOBAL and t.visibility is Visibility.OWNER:
                self.add((*path, "visibility"), "a global track has no owner: use public or facilitator")
            if t.estimate is not None:
                # Fog: others see an estimate of the owner's value; only a public actor track has
                # one owner and others who read it.
                if t.scope is not Scope.ACTOR:
                    self.add((*path, "estimate"), "only an actor track (scope: actor) has an owner whose value others estimate")
                elif t.visibility is not Visibility.PUBLIC:
                    self.add((*path, "estimate"), "only a public track is estimated: others do not see this one at all")
                self.expression((*path, "estimate", "error"), t.estimate.error, want="number")
            # One value, or one per actor or pair (a mapping: a dict from the loader).
            values: Iterable[tuple[str | None, float]]
            values = t.initial.items() if isinstance(t.initial, Mapping) else [(None, t.initial)]
            for key, value in values:
                at = (*path, "initial", key) if key is not None else (*path, "initial")
                if not t.min <= value <= t.max:
                    self.add(at, f"initial value {value:g} is outside {t.min:g}..{t.max:g}")
                if key is None:
                    continue
                if t.scope is Scope.GLOBAL:
                    self.add(at, "a global track's initial value is one number")
                elif t.scope is Scope.ACTOR:
                    self.ref(at, key, self.actors, "actor")
                else:
                    parts = key.split("/")
                    if len(parts) != 2 or parts[0] == parts[1] or not set(parts) <= self.actors:
                        self.add(at, f"'{key}' must name two different actors as 'a/b'")

    def check_moves(self) -> None:
        for i, m in enumerate(self.s.moves):
            path = ("moves", i)
            self.ref((*path, "system"), m.system, self.systems, "system")
            self.ref((*path, "source"), m.source, self.sources, "source")
            for j, actor in enumerate(m.actors):
                self.ref((*path, "actors", j), actor, self.actors, "actor")
            self.expression((*path, "cost"), m.cost, want="number")
            self.expression((*path, "requires"), m.requires, want="bool")
            self.effects((*path, "effects"), m.effects)

    def check_agreements(self) -> None:
        for i, t in enumerate(self.s.agreements):
            path = ("agreements", i)
            params = frozenset(f"param.{p.id}" for p in t.parameters)
            self.ref((*path, "system"), t.system, self.systems, "system")
            self.ref((*path, "source"), t.source, self.sources, "source")
            for j, actor in enumerate(t.eligible):
                self.ref((*path, "eligible", j), actor, self.actors, "actor")
            for j, p in enumerate(t.parameters):
                if not p.min <= p.default <= p.max:
                    self.add((*path, "parameters", j, "default"), f"default {p.default:g} is outside {p.min:g}..{p.max:g}")
                if p.step <= 0:
                    self.add((*path, "parameters", j, "step"), "step must be above 0")
            self.expression((*path, "accept_requires"), t.accept_requires, want="bool", extra=params)
            self.effects((*path, "on_sign"), t.on_sign, params)
            self.effects((*path, "each_turn"), t.each_turn, params)
            if t.breach is not None:
                for j, move in enumerate(t.breach.moves):
                    self.ref((*path, "breach", "moves", j), move, self.moves, "move")
                self.expression((*path, "breach", "when"), t.breach.when, want="bool", extra=params)
                self.expression((*path, "breach", "detection"), t.breach.detection, want="number", extra=params)
                self.effects((*path, "breach", "on_detected"), t.breach.on_detected, params)
            for j, other in enumerate(t.package_with):
                if other == t.id:
                    self.add((*path, "package_with", j), "a template cannot be packaged with itself")
                else:
                    self.ref((*path, "package_with", j), other, self.templates, "agreement template")
            if t.ratification is not None:
                r = t.ratification
                for j, actor in enumerate(r.actors):
                    self.ref((*path, "ratification", "actors", j), actor, self.actors, "actor")
                if not r.actors:
                    self.add((*path, "ratification", "actors"), "name the actors whose ratification is needed")
                self.count((*path, "ratification", "turns"), r.turns, 1, MAX_TURNS,
                           "ratification turns (turns a signed agreement waits)")
                self.expression((*path, "ratification", "requires"), r.requires, want="bool", extra=params)
                self.ref((*path, "ratification", "source"), r.source, self.sources, "source")

    def check_events(self) -> None:
        for i, e in enumerate(self.s.events):
            path = ("events", i)
            if e.turn is not None and not 1 <= e.turn <= self.s.turns:
                self.add((*path, "turn"), f"turn {e.turn} is outside 1..{self.s.turns}")
            self.ref((*path, "source"), e.source, self.sources, "source")
            self.expression((*path, "when"), e.when, want="bool", allow_self=False)
            self.expression((*path, "chance"), e.chance, want="number", allow_self=False)
            self.effects((*path, "effects"), e.effects)

    def check_clock(self) -> None:
        """The clock's formula, bounds and schedule: set at least once in the game, by one rule."""
        s = self.s
        clock = s.clock
        self.expression(("clock", "change"), clock.change, want="number", allow_self=False)
        if not 0 <= clock.min <= clock.start <= clock.max:
            self.add(("clock",), f"the clock needs 0 <= min <= start <= max, not {clock.min:g}, {clock.start:g}, {clock.max:g}")
        every_ok = self.count(("clock", "every"), clock.every, 1, MAX_TURNS, "clock every (turns between settings)")
        self.count(("clock", "reasons"), clock.reasons, 0, MAX_COUNT, "clock reasons (risk factors a setting names)")
        month_ok = self.count(("clock", "month"), clock.month, 1, 12, "clock month (the month it is set in)")
        if clock.month is not None and clock.every != 1:
            self.add(("clock", "every"), "give either every (turns) or month, not both")
        elif every_ok and month_ok and 1 <= s.turns <= MAX_TURNS and 1 <= s.turn_months <= MAX_TURN_MONTHS:
            try:
                never = not any(clock_set_on(s, turn) for turn in range(1, s.turns + 1))
            except ValueError:  # a bad start_date, said by check_calendar
                never = False
            if never:
                self.add(("clock",), f"the clock is never set in {s.turns} turns: lower every, or choose another month")

    def check_crisis(self) -> None:
        ladder = self.s.crisis
        if len(ladder.rungs) < 2:
            self.add(("crisis", "rungs"), "the ladder needs at least 2 rungs (the last is nuclear use)")
        if not ladder.rules:
            self.add(("crisis", "rules"), "the ladder needs at least one rule")
        for i, rule in enumerate(ladder.rules):
            self.expression(("crisis", "rules", i, "when"), rule.when, want="bool", allow_self=False, extra=CRISIS_NAMES)
            self.expression(("crisis", "rules", i, "move"), rule.move, want="number", allow_self=False, extra=CRISIS_NAMES)
        self.expression(("crisis", "climb"), ladder.climb, want="number", allow_self=False, extra=CRISIS_NAMES)
        for i, rung in enumerate(ladder.rungs):
            self.effects(("crisis", "rungs", i, "effects"), rung.effects)


def check_scenario(scenario: Scenario) -> Problems:
    """Every semantic problem of `scenario`, as (path inside the document, message)."""
    return _Checker(scenario).run()


def _call_arguments(source: str, function: str) -> list[list[str]]:
    """The top-level arguments (as written, stripped) of each call of `function` in `source`."""
    calls = []
    for match in re.finditer(rf"\b{function}\s*\(", source):
        arguments, depth, quote, start = [], 1, "", match.end()
        for i in range(match.end(), len(source)):
            ch = source[i]
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")" or (ch == "," and depth == 1):
                if ch == ")":
                    depth -= 1
                if depth == 0 or ch == ",":
                    arguments.append(source[start:i].strip())
                    start = i + 1
                if depth == 0:
                    break
        calls.append([a for a in arguments if a])
    return calls
