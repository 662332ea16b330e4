"""The entry point: compile_expression, and Expression, the compiled result that evaluates, pickles and specializes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from engine.scenario.expressions.errors import ExpressionEvalError, ExpressionSyntaxError
from engine.scenario.expressions.functions import _BUILTINS, FunctionSpec
from engine.scenario.expressions.nodes import _NO_FUNCTIONS, _constant, _Node
from engine.scenario.expressions.parser import MAX_DEPTH, _Parser
from engine.scenario.expressions.tokens import _SCANNER, _WORD_TOKENS
from engine.scenario.expressions.values import _KINDS, Value, _normalize, _Unusable

MAX_SOURCE_LENGTH = 2_000


@attrs.frozen(eq=False)
class Expression:
    """A compiled expression: immutable, deterministic, cheap to evaluate."""

    source: str
    names: frozenset[str]  # every variable name that appears in the source
    functions: frozenset[str]  # external (non built-in) functions that appear in the source
    kind: str  # "number", "bool", "string" or "unknown"
    _fn: Callable[[Any, Any], Value] = attrs.field(repr=False)
    # What compile_expression needs to rebuild this expression (closures cannot be pickled).
    _recipe: tuple[Any, ...] = attrs.field(repr=False)

    def evaluate(
        self,
        variables: Mapping[str, Any],
        functions: Mapping[str, Callable[..., Any]] | None = None,
    ) -> Value:
        """Evaluate with ``variables[name]`` lookups and the external ``functions``."""
        try:
            return self._fn(variables, _NO_FUNCTIONS if functions is None else functions)
        except RecursionError:  # only reachable when the caller is already deep in its own stack
            message = "the expression is nested too deeply to evaluate here"
            raise ExpressionEvalError(message, None, self.source) from None

    def closure(self) -> Callable[[Any, Any], Value]:
        """The compiled function itself, fn(variables, functions), for a caller that evaluates
        this expression very often: it skips `evaluate`'s frame, and must then turn a
        RecursionError into an error of its own (as `evaluate` does)."""
        return self._fn

    def __reduce__(self) -> tuple[Any, ...]:
        return (_recompile, self._recipe)

    def specialize(self, known_calls: Mapping[tuple[str, tuple[Any, ...]], Value]) -> Expression:
        """This expression compiled again knowing what some calls return, and simplified.

        `known_calls` maps (function, constant arguments) to the result, e.g.
        `{("is_self", ("china",)): False}`; constant parts then fold away, so
        `not is_self('china') or x > 1` becomes the constant true. The result is the same value
        for every evaluation where those calls would have returned those results.
        """
        return self.bind(known_calls, {})

    def bind(self, known_calls: Mapping[tuple[str, tuple[Any, ...]], Value], row: Mapping[str, int]) -> Expression:
        """As `specialize`, and with the number names in `row` read by position: such a name is
        `variables.row[row[name]]` instead of `variables[name]`, so the variables passed to the
        result must offer `row`, a sequence (a state's track values, read without looking up
        a name). For a caller that knows once where each name lives."""
        source, specs, name_kinds = self._recipe[:3]
        known = tuple(sorted(known_calls.items(), key=repr))
        positions = tuple(sorted(row.items()))
        # The known results by their repr: True == 1 == 1.0, but a call folds only to a value of
        # the type it returns, so they compile differently.
        key = (source, specs, name_kinds, repr(known), positions)
        found = _BOUND.get(key)
        if found is not None:
            return found
        parser, node = _parse(source, dict(specs), dict(name_kinds), dict(known), dict(positions))
        recipe = (source, specs, name_kinds, known, positions)
        if node.is_const:  # it reads nothing now: say so, so that callers can treat it as a value
            bound = Expression(source, frozenset(), frozenset(), node.kind, node.fn, recipe)
        else:
            bound = Expression(
                source, frozenset(parser.names), frozenset(parser.used_functions), node.kind, node.fn, recipe
            )
        if len(_BOUND) >= _BOUND_LIMIT:
            _BOUND.clear()
        _BOUND[key] = bound
        return bound


# Expressions compiled again (Expression.bind, specialize), by what they were compiled from: one
# compile serves every formula of the same text, self and slots (a scenario writes `is_self('us')`
# on many effects, each its own Expression) and every game of the scenario in this process.
# Compiled expressions are immutable and read nothing of a game but what they are handed.
_BOUND: dict[tuple, Expression] = {}
_BOUND_LIMIT = 4096


def _recompile(source: str, specs: tuple, name_kinds: tuple, known_calls: tuple = (), row: tuple = ()) -> Expression:
    if row:
        return compile_expression(source, dict(specs), name_kinds=dict(name_kinds)).bind(dict(known_calls), dict(row))
    return compile_expression(source, dict(specs), name_kinds=dict(name_kinds), known_calls=dict(known_calls))


def _check_specs(functions: Mapping[str, FunctionSpec] | None) -> dict[str, FunctionSpec]:
    specs = dict(functions or {})
    for name, spec in specs.items():
        if not isinstance(spec, FunctionSpec):
            raise TypeError(f"function {name!r}: expected a FunctionSpec, got {type(spec).__name__}")
        match = _SCANNER.fullmatch(name) if isinstance(name, str) else None
        if match is None or match.lastgroup != "name":
            raise ValueError(f"function name {name!r} is not a valid name")
        if name in _BUILTINS or any(part in _WORD_TOKENS for part in name.split(".")):
            raise ValueError(f"function name {name!r} is reserved")
    return specs


def _check_name_kinds(name_kinds: Mapping[str, str] | None) -> dict[str, str]:
    kinds = dict(name_kinds or {})
    for name, kind in kinds.items():
        if kind not in _KINDS:
            raise ValueError(f"name {name!r}: kind must be one of {sorted(_KINDS)}, got {kind!r}")
    return kinds


def compile_expression(
    source: str | int | float | bool,
    functions: Mapping[str, FunctionSpec] | None = None,
    *,
    name_kinds: Mapping[str, str] | None = None,
    known_calls: Mapping[tuple[str, tuple[Any, ...]], Value] | None = None,
) -> Expression:
    """Compile a formula (or a plain YAML number/boolean) into an :class:`Expression`.

    ``functions`` declares external functions by name.  ``name_kinds`` declares
    the kind of variables that are not numbers: ``"bool"``, ``"string"`` or
    ``"unknown"`` (checked at evaluation).  Raises :class:`ExpressionSyntaxError`
    for any problem in ``source``; ``ValueError``/``TypeError`` for bad
    ``functions``/``name_kinds``, which come from the program, not the scenario.
    ``known_calls`` gives the results of some calls with constant arguments (see
    :meth:`Expression.specialize`), which then fold away like constants.
    """
    specs = _check_specs(functions)
    kinds = _check_name_kinds(name_kinds)
    if isinstance(source, (bool, int, float)):
        return _scalar(source)
    if not isinstance(source, str):
        raise ExpressionSyntaxError(
            f"expected a formula (text) or a number, got {type(source).__name__}", None, _safe_repr(source)
        )
    source = str(source)  # a str subclass could override methods
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionSyntaxError(
            f"the expression is too long: {len(source)} characters, the limit is {MAX_SOURCE_LENGTH}", None, source
        )
    parser, node = _parse(source, specs, kinds, known_calls)
    return Expression(
        source=source,
        names=frozenset(parser.names),
        functions=frozenset(parser.used_functions),
        kind=node.kind,
        fn=node.fn,
        recipe=(
            source,
            tuple(sorted((name, specs[name]) for name in parser.used_functions)),
            tuple(sorted((name, kinds[name]) for name in parser.names if name in kinds)),
        ),
    )


def _parse(source: str, specs: dict, kinds: dict, known_calls: Mapping | None,
           row: Mapping[str, int] | None = None) -> tuple[_Parser, _Node]:
    parser = _Parser(source, specs, kinds, known_calls, row)
    try:
        return parser, parser.parse()
    except RecursionError:  # a safety net only: MAX_DEPTH keeps the parser far from the limit
        raise ExpressionSyntaxError(
            f"the expression is nested too deeply (the limit is {MAX_DEPTH} levels)", None, source
        ) from None


def _scalar(value: bool | int | float) -> Expression:
    """A constant expression for a plain YAML number or boolean."""
    try:
        normalized = _normalize(value)
    except _Unusable as problem:
        raise ExpressionSyntaxError(f"the value {problem}", None, _safe_repr(value)) from None
    # str() as the YAML author wrote it ('5', '2.5', 'True'), unless that would not read back as the
    # same value (huge ints, int/float subclasses with their own str).
    plain = type(value) in (bool, float) or type(value) is int and abs(value) < 10**15
    source = str(value) if plain else repr(normalized)
    node = _constant(normalized, 0, len(source))
    return Expression(
        source=source, names=frozenset(), functions=frozenset(), kind=node.kind, fn=node.fn, recipe=(source, (), ())
    )


def _safe_repr(value: Any) -> str:
    """A short text for a non-formula source; never fails (str() of a huge int raises)."""
    if isinstance(value, float) or isinstance(value, int) and abs(value) < 10**60:
        return repr(value)
    return f"<{type(value).__name__}>"
