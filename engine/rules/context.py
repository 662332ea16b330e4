"""What a formula sees while the rules run: the state's names (tracks, turn, risk ...) and the
game's functions, for one `self` and `other`.

One namespace and one function table per (self, other) serve the whole game: they are kept in
the game's memo and pointed at the Work a formula of theirs is evaluated in. So a transition
makes none of them, and nothing points back from a finished Work (no cycle is left for the
garbage collector).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.errors import ScenarioRuntimeError
from engine.rules import judgement
from engine.rules.functions import GameFunctions
from engine.scenario.expressions import Expression, ExpressionError, ExpressionEvalError
from engine.scenario.names import Namespace
from engine.scenario.vocabulary import SELF_TEST

if TYPE_CHECKING:
    from engine.rules.game import Game
    from engine.rules.work import Work


# The special names of expressions (see engine.scenario.vocabulary), read from the working state.
SPECIALS = {
    "turn": lambda work: float(work.turn),
    "turns": lambda work: float(work.scenario.turns),
    "risk": lambda work: work.risk,
    "previous_risk": lambda work: work.previous_risk(),
    "clock": lambda work: work.clock,
    "crisis_risk": lambda work: work.crisis_risk,
    "period_risk": judgement.period_risk,
    "period_max_risk": judgement.period_max_risk,
    "period_turns": judgement.period_turns,
}


_LIMIT = 4096  # as engine.rules.memo.LIMIT (which imports this module)


class _Reader:
    """The namespace and function table formulas read for one (self, other), and the Work they
    read from now. Pointed at a Work only when a formula of theirs is evaluated in it: a
    transition reads formulas for a few of the (self, other) the game has met, not for all."""

    __slots__ = ("namespace", "functions", "table", "work")

    def __init__(self, namespace: Namespace, functions: GameFunctions | None, work: Work) -> None:
        self.namespace = namespace
        self.functions = functions
        # Formulas are handed the functions' plain table (GameFunctions.table), not the mapping.
        self.table = functions.table if functions is not None else {}
        self.work = work

    def point_at(self, work: Work) -> None:
        self.work = work
        self.namespace.point_at(work)
        if self.functions is not None:
            self.functions.point_at(work)


class EvaluationContext:
    """The namespaces and function tables of one game, each pointed at the Work it is read in,
    and each formula compiled for the game once per (self, other) it is evaluated with."""

    def __init__(self, game: Game) -> None:
        self._scenario_id = game.scenario.id
        self._layout = game.layout
        self._actor_ids = game.layout.actor_ids
        self._plain: dict[tuple[str | None, str | None], _Reader] = {}
        # Names given with a call (an agreement's params, a crisis round's counts) are read
        # first: one more namespace per self/other, handed each call's `extra` in turn.
        self._with_extra: dict[tuple[str | None, str | None], _Reader] = {}
        # (id(expression), self, other) -> (expression, its closure as bound, its reader),
        # or (expression, its value, None) for a formula that reads nothing
        self._bound: dict[tuple[int, str | None, str | None], tuple] = {}

    def evaluate(self, work: Work, expression: Expression, self_actor: str | None, other: str | None,
                 extra: Mapping[str, float] | None, where: str):
        """The value of `expression` in `work`, or a ScenarioRuntimeError naming `where`."""
        bound = self._bound.get((id(expression), self_actor, other))
        if bound is None or bound[0] is not expression:  # the entry keeps the id from reuse
            bound = self._bind(work, expression, self_actor, other)
        _, fn, reader = bound
        if reader is None:  # it reads nothing: fn is its value
            return fn
        if reader.work is not work:
            reader.point_at(work)
        namespace = reader.namespace
        if extra:
            with_extra = self._with_extra.get((self_actor, other))
            if with_extra is None:
                with_extra = self._with_extra[self_actor, other] = _Reader(
                    Namespace(self._layout, work, SPECIALS, self_actor, other), None, work)
            elif with_extra.work is not work:
                with_extra.point_at(work)
            namespace = with_extra.namespace
            namespace.use_extra(extra)
        try:
            return fn(namespace, reader.table)
        except ExpressionError as error:
            raise self._error(expression, where, error) from None
        except RecursionError:  # only reachable when the caller is already deep in its own stack
            message = "the expression is nested too deeply to evaluate here"
            raise self._error(expression, where, ExpressionEvalError(message, None, expression.source)) from None

    def bound(self, work: Work, expression: Expression, self_actor: str | None, other: str | None) -> tuple:
        """`expression` compiled for this self and other, as `value_of` reads it: for a caller
        that evaluates the same formula for the same self and other again and again (a seat's
        move menu, an effect's targets) to keep, instead of looking it up at every call. An entry
        stays valid for the whole game."""
        bound = self._bound.get((id(expression), self_actor, other))
        if bound is None or bound[0] is not expression:
            bound = self._bind(work, expression, self_actor, other)
        return bound

    def _bind(self, work: Work, expression: Expression, self_actor: str | None, other: str | None) -> tuple:
        """`expression` compiled for this game, self and other: `is_self(...)` answered (most such
        formulas gate a rule to one actor and fold to a constant for the others) and every track
        name it reads resolved to its slot. Bounded like every memo (engine.rules.memo.LIMIT)."""
        # A formula that never reads `other` (or `self`) is the same whoever they are: compile
        # it once for all of them (most formulas are read for several).
        parts = {part for name in expression.names for part in name.split(".")[1:]}
        if other is not None and "other" not in parts:
            return self._share(work, expression, self_actor, other, self_actor, None)
        if self_actor is not None and "self" not in parts and not expression.functions:
            return self._share(work, expression, self_actor, other, None, other)
        key = (self_actor, other)
        reader = self._plain.get(key)
        if reader is None:
            reader = self._plain[key] = _Reader(Namespace(self._layout, work, SPECIALS, self_actor, other),
                                                GameFunctions(work, self_actor), work)
        if len(self._bound) >= _LIMIT:  # full (an odd caller): read by name rather than compile each time
            return (expression, expression.closure(), reader)
        calls = {}
        if self_actor is not None and SELF_TEST in expression.functions:
            calls = {(SELF_TEST, (actor,)): actor == self_actor for actor in self._actor_ids}
        row = self._layout.row(expression.names, self_actor, other)
        compiled = expression.bind(calls, row) if calls or row else expression
        bound: tuple = (expression, compiled.closure(), reader)
        if not compiled.names and not compiled.functions:  # a constant (most move costs are)
            try:
                bound = (expression, compiled.evaluate({}), None)
            except ExpressionError:
                pass  # evaluated again each time, to raise with `where` (as 1/0 must)
        if len(self._bound) < _LIMIT:
            self._bound[id(expression), self_actor, other] = bound
        return bound

    def _share(self, work: Work, expression: Expression, self_actor: str | None, other: str | None,
               same_self: str | None, same_other: str | None) -> tuple:
        """The entry of `expression` for (same_self, same_other), which reads as it would for
        (self_actor, other), kept for the latter too."""
        bound = self._bound.get((id(expression), same_self, same_other))
        if bound is None or bound[0] is not expression:
            bound = self._bind(work, expression, same_self, same_other)
        if len(self._bound) < _LIMIT:
            self._bound[id(expression), self_actor, other] = bound
        return bound

    def _error(self, expression: Expression, where: str, error: ExpressionError) -> ScenarioRuntimeError:
        return ScenarioRuntimeError(f"scenario {self._scenario_id}: {where or 'expression'} {expression.source!r}: {error}")


def value_of(bound: tuple, work: Work):
    """The value in `work` of a formula held as EvaluationContext.bound gave it, with no names
    given with the call. Its errors are raised bare (ExpressionError, RecursionError): the caller
    evaluates the formula again through EvaluationContext.evaluate, which names where it is."""
    _, fn, reader = bound
    if reader is None:  # it reads nothing: fn is its value
        return fn
    if reader.work is not work:
        reader.point_at(work)
    return fn(reader.namespace, reader.table)
