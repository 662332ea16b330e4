"""Everything one Game remembers between calls, in one typed object (`game.memo`).

Speed comes from memos, never from shortcuts in the rules: batch games run the same rules as
play, and what makes them fast is remembering what cannot change. Three invariants make every
memo here safe, and every memo relies on nothing else:

1. **The scenario is immutable.** What follows from it alone (effect plans, slot bounds, a turn's
   possible events, formulas specialised per actor, move menus, which slots a seat may see) is
   worked out once per game and never goes stale.
2. **States are immutable, and every transition makes a new one.** "The same state as last
   time" is an identity test (`last_asked`, `reader`, the views' track readings).
3. **Every log entry is a new object**, never shared between games or branches, and a log only
   grows: a log that is the one seen before plus new lines is told by the identity of the last
   entry seen.

A memo keyed by an object's `id` keeps the object in its entry, so the id cannot be reused while
the entry lives. Every table is bounded (`LIMIT`): far more than a scenario needs, a bound all
the same. Memos make a Game single-threaded: a server gives each thread its own Game.

Layers above the rules (bots) keep their memos here too, through `layer(kind)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from engine.rules.context import EvaluationContext
from engine.rules.views import ViewMemo
from engine.scenario.expressions import Expression
from engine.scenario.text import Text
from engine.scenario.vocabulary import SELF_TEST

if TYPE_CHECKING:
    from engine.rules.game import Game

# Entries each table may hold.
LIMIT = 4096

LayerMemo = TypeVar("LayerMemo")


def remember(table: dict, key: object, value: object) -> None:
    """Keep `value` under `key` while the table has room (a full table stops growing)."""
    if len(table) < LIMIT:
        table[key] = value


class GameMemo:
    """One Game's memos, grouped by who reads them."""

    def __init__(self, game: Game) -> None:
        layout = game.layout
        self.actor_ids = layout.actor_ids
        # -- the rules (invariant 1) ---------------------------------------------------------
        # Each slot's (min, max), so that Work.set_track needs no lookups.
        self.bounds = tuple((t.min, t.max) for t in (layout.tracks[key[0]] for key in layout.keys))
        # assessment.measure_risk: each risk factor's id, formula and where it is.
        self.risk = tuple((f.id, f.value, f"risk.factors.{f.id}") for f in game.scenario.risk.factors)
        self.risk_compiled: tuple | None = None  # the same with each formula compiled (made with a Work)
        self.constant_costs: dict[str, float] = {}  # resolution.move_cost: costs that read nothing, by move
        self.steps: dict = {}  # effects: each effect list ready to apply, per place and self
        self.turns: dict = {}  # assessment.begin_turn: a turn's opening line and possible events
        self.selves: dict = {}  # for_self
        self.params: dict = {}  # param_names
        self.dates: dict[int, str] = {}  # Game.date_of
        self.effects_text: dict[str, Text] = {}  # Game.effects_text
        self.may_propose: dict = {}  # Game: whether a seat has anything to propose on a turn
        self.context = EvaluationContext(game)  # formulas' namespaces and functions
        # -- the last state asked about (invariant 2) ----------------------------------------
        self.last_asked: tuple | None = None  # (state, required seats, awaiting seats)
        self.reader: tuple | None = None  # (state, a Work of it to read from)
        # -- options -------------------------------------------------------------------------
        self.move_menus: dict = {}  # per seat: the moves open to it, with constant costs
        self.move_options: dict = {}  # the options tuple, keyed by what can change it
        self.template_basics: dict = {}  # per (turn, table, seat): templates and their problems
        self.template_options: dict = {}
        self.move_option: dict = {}  # each MoveOption, by move and what varies
        self.template_option: dict = {}  # each TemplateOption, by template, table and terms
        # -- views (invariants 2 and 3) ------------------------------------------------------
        self.visible_tracks: dict = {}  # per seat: the slots it may see, with their fields
        self.reading_pickers: dict = {}  # per seat: every slot's reading -> the seat's readings
        self.views = ViewMemo()
        # -- layers above the rules ----------------------------------------------------------
        self._layers: dict[type, Any] = {}

    def layer(self, kind: type[LayerMemo]) -> LayerMemo:
        """The memo of a layer above the rules (bots), made with `kind()` on first use."""
        memo = self._layers.get(kind)
        if memo is None:
            memo = self._layers[kind] = kind()
        return memo

    def for_self(self, expression: Expression, actor: str) -> Expression:
        """`expression` as evaluated with `self` = `actor`: `is_self('x')` is then a constant."""
        key = (id(expression), actor)
        known = self.selves.get(key)
        if known is None or known[0] is not expression:
            calls = {(SELF_TEST, (other,)): other == actor for other in self.actor_ids}
            known = (expression, expression.specialize(calls))
            remember(self.selves, key, known)
        return known[1]

    def param_names(self, params: Mapping[str, float]) -> Mapping[str, float]:
        """An agreement's parameters as its formulas read them: `param.<id>`. Parameters live in
        immutable proposals and agreements (or a template's defaults), so this is kept per object."""
        known = self.params.get(id(params))
        if known is None or known[0] is not params:
            if len(self.params) >= LIMIT:
                self.params.clear()
            known = self.params[id(params)] = (params, MappingProxyType({f"param.{k}": v for k, v in params.items()}))
        return known[1]
