"""What a formula sees while the rules run: the state's names (tracks, turn, risk ...) and the
game's functions, for one `self` and `other`.

One namespace and one function table per (self, other) serve the whole game: they are kept in
the game's memo and pointed at the Work being evaluated. So a transition makes none of them,
and nothing points back from a finished Work (no cycle is left for the garbage collector).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from engine.errors import ScenarioRuntimeError
from engine.rules.functions import GameFunctions
from engine.scenario.expressions import Expression, ExpressionError
from engine.scenario.names import Namespace

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
}


class EvaluationContext:
    """The namespaces and function tables of one game, pointed at one Work at a time."""

    def __init__(self, game: Game) -> None:
        self._scenario_id = game.scenario.id
        self._layout = game.layout
        self._work: Work | None = None
        self._plain: dict[tuple[str | None, str | None], tuple[Namespace, GameFunctions]] = {}
        # Names given with a call (an agreement's params, a crisis round's counts) are read
        # first: one more namespace per self/other, handed each call's `extra` in turn.
        self._with_extra: dict[tuple[str | None, str | None], Namespace] = {}

    def _point_at(self, work: Work) -> None:
        self._work = work
        for namespace, functions in self._plain.values():
            namespace.point_at(work)
            functions.point_at(work)
        for namespace in self._with_extra.values():
            namespace.point_at(work)

    def evaluate(self, work: Work, expression: Expression, self_actor: str | None, other: str | None,
                 extra: Mapping[str, float] | None, where: str):
        """The value of `expression` in `work`, or a ScenarioRuntimeError naming `where`."""
        if self._work is not work:
            self._point_at(work)
        key = (self_actor, other)
        pair = self._plain.get(key)
        if pair is None:
            pair = self._plain[key] = (Namespace(self._layout, work, SPECIALS, self_actor, other),
                                       GameFunctions(work, self_actor))
        namespace, functions = pair
        if extra:
            with_extra = self._with_extra.get(key)
            if with_extra is None:
                with_extra = self._with_extra[key] = Namespace(self._layout, work, SPECIALS, self_actor, other)
            with_extra.use_extra(extra)
            namespace = with_extra
        try:
            return expression.evaluate(namespace, functions)
        except ExpressionError as error:
            raise ScenarioRuntimeError(
                f"scenario {self._scenario_id}: {where or 'expression'} {expression.source!r}: {error}"
            ) from None
