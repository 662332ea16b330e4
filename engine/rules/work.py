"""A transition's scratch pad: a mutable copy of one state, frozen again when the transition ends.

Transitions are pure from the outside (state in, new state and events out); inside, they edit a
Work so that the rules read as plain steps rather than chains of `evolve`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from engine.errors import ScenarioRuntimeError
from engine.scenario.expressions import Expression, ExpressionError
from engine.scenario.names import Namespace
from engine.rules.state import GameState, LogEntry, frozen_map
from engine.scenario.vocabulary import SELF_TEST
from engine.scenario.text import Text

if TYPE_CHECKING:
    from engine.rules.game import Game

_TWO_TO_53 = float(1 << 53)


# The special names of expressions (see engine.scenario.vocabulary), read from the working state.
SPECIALS = {
    "turn": lambda work: float(work.turn),
    "turns": lambda work: float(work.scenario.turns),
    "risk": lambda work: work.risk,
    "previous_risk": lambda work: work.previous_risk(),
    "clock": lambda work: work.clock,
    "crisis_risk": lambda work: work.crisis_risk,
}


def uniform(seed: int, step: int, draw: int) -> float:
    """A number in [0, 1) fixed by (seed, step, draw): the game's only source of chance.

    Hashing, not a stateful generator, so a state needs no generator inside it and the same
    draw is the same on every machine and Python version.
    """
    digest = hashlib.blake2b(f"{seed}:{step}:{draw}".encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 11) / _TWO_TO_53


# Entries each of a RuleMemo's dicts may hold: far more than a scenario needs, a bound all the same.
MEMO_LIMIT = 4096


class RuleMemo:
    """What the rules derive from a game's scenario, worked out once per game rather than once per
    transition. The scenario is immutable, so nothing here can go stale; it lives in
    `game.__dict__` and dies with the game. Each dict is filled by the module that reads it."""

    def __init__(self, game: Game) -> None:
        layout = game.layout
        # Each slot's (min, max), so that set_track needs no lookups.
        self.bounds = tuple((t.min, t.max) for t in (layout.tracks[key[0]] for key in layout.keys))
        self.steps: dict = {}  # effects.apply_effects: each effect with where it is
        self.turns: dict = {}  # assessment.begin_turn: a turn's opening line and possible events
        self.constants: dict = {}  # Work.evaluate: the value of each formula that reads nothing
        self.selves: dict = {}  # see for_self()
        self.params: dict = {}  # see param_names()
        self.actor_ids = layout.actor_ids
        # assessment.measure_risk: each factor's id, formula and where it is.
        self.risk = tuple((f.id, f.value, f"risk.factors.{f.id}") for f in game.scenario.risk.factors)

    def for_self(self, expression: Expression, actor: str) -> Expression:
        """`expression` as evaluated with `self` = `actor`: `is_self('x')` is then a constant."""
        key = (id(expression), actor)
        known = self.selves.get(key)
        if known is None or known[0] is not expression:  # the entry keeps the id from reuse
            calls = {(SELF_TEST, (other,)): other == actor for other in self.actor_ids}
            known = (expression, expression.specialize(calls))
            if len(self.selves) < MEMO_LIMIT:
                self.selves[key] = known
        return known[1]

    def param_names(self, params: Mapping[str, float]) -> Mapping[str, float]:
        """An agreement's parameters as its formulas read them: `param.<id>`. Parameters live in
        immutable proposals and agreements (or a template's defaults), so this is kept per object."""
        known = self.params.get(id(params))
        if known is None or known[0] is not params:  # the entry keeps the object, so its id stays its own
            if len(self.params) >= MEMO_LIMIT:
                self.params.clear()
            known = self.params[id(params)] = (params, MappingProxyType({f"param.{k}": v for k, v in params.items()}))
        return known[1]


def rule_memo(game: Game) -> RuleMemo:
    memo = game.__dict__.get("_rule_memo")
    if memo is None:
        memo = game.__dict__["_rule_memo"] = RuleMemo(game)
    return memo


class Work:
    """Mutable working copy of a GameState for the length of one transition."""

    def __init__(self, game: Game, state: GameState) -> None:
        self.game = game
        self.memo = rule_memo(game)
        self._bounds = self.memo.bounds
        self.scenario = game.scenario
        self.layout = game.layout
        self.seed = state.seed
        self.step = state.step + 1
        self.turn = state.turn
        self.phase = state.phase
        self.tracks = list(state.tracks)
        self._original_tracks = state.tracks
        # Replaced, never changed in place: a frozenset hashes once, so caches can key on it.
        self.active: frozenset[str] = frozenset(state.active)
        self.clock = state.clock
        self.risk = state.risk
        self.talk_round = state.talk_round
        self.submissions = dict(state.submissions)
        self.proposals = list(state.proposals)
        self.agreements = list(state.agreements)
        self.crisis = state.crisis
        self.crisis_risk = state.crisis_risk
        self.fired_events: frozenset[str] = frozenset(state.fired_events)  # replaced, like active
        self.last_played = state.last_played
        self.next_id = state.next_id
        self.assessments = list(state.assessments)
        self.outcome = state.outcome
        self.old_log = state.log
        self.new_log: list[LogEntry] = []
        self._draws = 0
        self._draw_prefix = None
        # Namespaces and function tables by (self, other): they read this Work live, so one of
        # each serves every evaluation of the transition (evaluate runs thousands of times).
        self._contexts: dict[tuple[str | None, str | None], tuple[Namespace, object]] = {}
        self._with_extra: dict[tuple[str | None, str | None], Namespace] = {}

    # -- chance -----------------------------------------------------------------------------
    def draw(self) -> float:
        """As uniform(seed, step, n) for the n-th draw: the hash of "seed:step:" is begun once
        per transition and copied, which gives the same digest as hashing the whole string."""
        self._draws += 1
        if self._draw_prefix is None:
            self._draw_prefix = hashlib.blake2b(f"{self.seed}:{self.step}:".encode(), digest_size=8)
        hasher = self._draw_prefix.copy()
        hasher.update(str(self._draws).encode())
        return (int.from_bytes(hasher.digest(), "big") >> 11) / _TWO_TO_53

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    # -- expressions ------------------------------------------------------------------------
    def previous_risk(self) -> float:
        return self.assessments[-2].risk if len(self.assessments) > 1 else self.risk

    def evaluate(
        self,
        expression: Expression,
        self_actor: str | None = None,
        other: str | None = None,
        extra: dict[str, float] | None = None,
        where: str = "",
    ):
        if self_actor is not None and SELF_TEST in expression.functions:
            # Most `is_self` formulas gate a rule to one actor: compiled once per actor, knowing
            # whom `is_self` names, they fold to a constant for the others (see RuleMemo).
            expression = self.memo.for_self(expression, self_actor)
        if not expression.names and not expression.functions:
            # A constant (most move costs are): its value never changes, so compute it once.
            constants = self.memo.constants
            known = constants.get(id(expression))
            if known is not None and known[0] is expression:  # the entry keeps the id from reuse
                return known[1]
            value = self._evaluate(expression, None, None, None, where)
            if len(constants) < MEMO_LIMIT:
                constants[id(expression)] = (expression, value)
            return value
        return self._evaluate(expression, self_actor, other, extra, where)

    def _evaluate(self, expression: Expression, self_actor, other, extra, where: str):
        context = self._contexts.get((self_actor, other))
        if context is None:
            namespace = Namespace(self.layout, self, SPECIALS, self_actor, other)
            context = self._contexts[(self_actor, other)] = (namespace, self.game.functions(self, self_actor))
        namespace, functions = context
        if extra:
            # Names given with this call (an agreement's params, a crisis round's counts) come
            # first: one more namespace per self/other, handed each call's `extra` in turn.
            namespace = self._with_extra.get((self_actor, other))
            if namespace is None:
                namespace = self._with_extra[(self_actor, other)] = Namespace(
                    self.layout, self, SPECIALS, self_actor, other
                )
            namespace.use_extra(extra)
        try:
            return expression.evaluate(namespace, functions)
        except ExpressionError as error:
            raise ScenarioRuntimeError(
                f"scenario {self.scenario.id}: {where or 'expression'} {expression.source!r}: {error}"
            ) from None

    # -- tracks -----------------------------------------------------------------------------
    def set_track(self, slot: int, value: float) -> None:
        low, high = self._bounds[slot]
        # Exactly round(min(high, max(low, value)), 6), ties and types alike, but faster: the
        # builtins min and max are slow for two numbers, and rounding a whole float changes nothing.
        value = value if value > low else low  # noqa: FURB136 (builtin max is slower)
        value = value if value < high else high  # noqa: FURB136
        # Rounded so that long chains of fractional deltas stay identical across machines.
        self.tracks[slot] = value if type(value) is float and value.is_integer() else round(value, 6)

    # -- log --------------------------------------------------------------------------------
    def say(self, kind: str, text: Text, audience: tuple[str, ...] = (), **data: object) -> None:
        # Every line is a new LogEntry, never one shared with another game or branch: views and
        # bots tell whether a log grew from one they saw by the identity of its entries.
        # `data` is this call's own dict: wrapped read-only as it is, not copied.
        self.new_log.append(LogEntry(self.turn, kind, text, tuple(audience), MappingProxyType(data)))

    def release(self) -> None:
        """Drop the namespaces and function tables: they point back at this Work, a cycle that
        only the garbage collector would free (at a cost paid by every later transition)."""
        for _, functions in self._contexts.values():
            functions.release()
        self._contexts.clear()
        self._with_extra.clear()

    def freeze(self) -> GameState:
        """The state this Work has come to. The Work is done: it is released (see release)."""
        self.release()
        return GameState(
            seed=self.seed,
            turn=self.turn,
            phase=self.phase,
            # The same tuple when nothing changed, so caches keyed on it (views) stay valid.
            tracks=self._original_tracks if self._original_tracks == tuple(self.tracks) else tuple(self.tracks),
            active=frozenset(self.active),
            clock=self.clock,
            risk=self.risk,
            step=self.step,
            talk_round=self.talk_round,
            submissions=frozen_map(self.submissions),
            proposals=tuple(self.proposals),
            agreements=tuple(self.agreements),
            crisis=self.crisis,
            crisis_risk=self.crisis_risk,
            fired_events=frozenset(self.fired_events),
            last_played=self.last_played,
            next_id=self.next_id,
            assessments=tuple(self.assessments),
            log=self.old_log + tuple(self.new_log),
            outcome=self.outcome,
        )

