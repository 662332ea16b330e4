"""Nodes that read from outside at evaluation: variable names, built-in and external function calls."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from typing import Any, cast

from engine.scenario.expressions.checks import _TypeChecks
from engine.scenario.expressions.errors import ExpressionEvalError, ExpressionSyntaxError
from engine.scenario.expressions.functions import _BUILTINS, _Domain
from engine.scenario.expressions.nodes import _NOT_CONSTANT, _constant, _fold, _Node
from engine.scenario.expressions.tokens import _Token
from engine.scenario.expressions.values import _ARTICLE, _PY_TYPE, BOOL, NUMBER, Value, _kind_of, _normalize, _Unusable


class _LookupNodes(_TypeChecks):
    """The parser's builders for names and calls: lookups checked at evaluation, arity and types at compile time."""

    def name(self, token: _Token) -> _Node:
        name, col, source = token.value, token.col, self.source
        kind = self.name_kinds.get(name, NUMBER)
        self.names.add(name)
        python_type = _PY_TYPE.get(kind)

        def slow(value: Any) -> Value:
            # Anything but the exact expected type: convert ints, refuse the rest with a clear message.
            try:
                value = _normalize(value)
            except _Unusable as problem:
                raise ExpressionEvalError(f"name {name!r} at column {col} {problem}", col, source) from None
            if python_type is None or type(value) is python_type:
                return value
            raise ExpressionEvalError(
                f"name {name!r} at column {col} should be {_ARTICLE[kind]} but is {_ARTICLE[_kind_of(value)]}",
                col,
                source,
            )

        index = self.row.get(name)
        if kind == NUMBER and index is not None:

            def lookup(v: Any, f: Any) -> Value:
                # Bound to a position (Expression.bind): no lookup by name, and never missing.
                value = v.row[index]
                if type(value) is float and not value - value:
                    return value
                return slow(value)

            node = _Node(kind, lookup, token.pos, token.pos + len(token.text))
            node.row_read = (index, slow)  # operators with a constant read the slot themselves
            return node

        elif kind == NUMBER:

            def lookup(v: Any, f: Any) -> Value:
                try:
                    value = v[name]
                except KeyError:
                    raise ExpressionEvalError(f"unknown name {name!r} at column {col}", col, source) from None
                # Fast path: a finite float (x - x is 0.0 only for finite x).
                if type(value) is float and not value - value:
                    return value
                return slow(value)

        else:

            def lookup(v: Any, f: Any) -> Value:
                try:
                    value = v[name]
                except KeyError:
                    raise ExpressionEvalError(f"unknown name {name!r} at column {col}", col, source) from None
                return slow(value)

        return _Node(kind, lookup, token.pos, token.pos + len(token.text))

    def function(self, name: _Token, args: list[_Node], end: int) -> _Node:
        fname = name.value
        if fname in _BUILTINS:
            low, high, impl = _BUILTINS[fname]
            self.check_arity(name, low, high, len(args))
            args = [self.need(arg, NUMBER, f"{fname}() needs numbers") for arg in args]
            node = _Node(NUMBER, self.builtin_call(name, impl, args), name.pos, end)
            return _fold(node, args)
        spec = self.specs.get(fname)
        if spec is None:
            raise self.unknown_function(name)
        self.check_arity(name, spec.min_args, spec.max_args, len(args))
        self.used_functions.add(fname)
        if self.known_calls and all(arg.is_const for arg in args):
            known = self.known_calls.get((fname, tuple(arg.const for arg in args)), _NOT_CONSTANT)
            if known is not _NOT_CONSTANT and type(known) is _PY_TYPE[spec.returns]:
                return _constant(cast(Value, known), name.pos, end)
        return _Node(spec.returns, self.external_call(name, spec.returns, args), name.pos, end)

    def check_arity(self, name: _Token, low: int, high: int | None, given: int) -> None:
        if low <= given and (high is None or given <= high):
            return
        if high is None:
            wanted = f"at least {low} argument{'s' if low != 1 else ''}"
        elif low == high:
            wanted = f"exactly {low} argument{'s' if low != 1 else ''}"
        else:
            wanted = f"{low} to {high} arguments"
        given_text = {0: "none was", 1: "1 was"}.get(given, f"{given} were")
        raise self.error(f"{name.text}() at column {name.col} takes {wanted}, but {given_text} given", name.col)

    def unknown_function(self, name: _Token) -> ExpressionSyntaxError:
        known = sorted({*_BUILTINS, *self.specs})
        close = difflib.get_close_matches(name.value, known, n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
        else:
            hint = f": the functions are {', '.join(known)}"
        return self.error(f"unknown function {name.value!r} at column {name.col}{hint}", name.col)

    def builtin_call(self, name: _Token, impl: Callable[..., float], args: list[_Node]) -> Callable[[Any, Any], float]:
        col, source = name.col, self.source
        fns = tuple(arg.fn for arg in args)
        a = cast(Callable[[Any, Any], float], fns[0])  # function() made sure every argument is a number
        call: Callable[[Any, Any], float]
        # The usual arities get a closure of their own: no list of arguments made per call.
        if len(fns) == 1 and name.value in _WHOLE:  # 'floor(x)': the builtin's own work, done here
            whole = _WHOLE[name.value]
            call = lambda v, f: float(whole(a(v, f)))  # noqa: E731  (a finite number: cannot fail)
        elif len(fns) == 1:

            def call(v: Any, f: Any) -> float:
                try:
                    return impl(a(v, f))
                except _Domain as problem:
                    raise ExpressionEvalError(f"{problem} at column {col}", col, source) from None

        elif len(fns) == 2 and args[0].is_const:  # 'max(0, x)': the usual floor/ceiling idiom
            call = _bounded(name.value, impl, args[0].const, args[1])
        elif name.value == "clamp" and args[1].is_const and args[2].is_const and args[1].const <= args[2].const:
            low, high = args[1].const, args[2].const
            # 'clamp(x, 0, 100)': what the builtin does when its bounds are in order, done here.
            call = lambda v, f: low if (x := a(v, f)) < low else high if x > high else x  # noqa: E731
        elif len(fns) == 3 and args[1].is_const and args[2].is_const:  # 'clamp(x, 100, 0)'
            low, high = args[1].const, args[2].const

            def call(v: Any, f: Any) -> float:
                try:
                    return impl(a(v, f), low, high)
                except _Domain as problem:
                    raise ExpressionEvalError(f"{problem} at column {col}", col, source) from None

        else:

            def call(v: Any, f: Any) -> float:
                try:
                    return impl(*[fn(v, f) for fn in fns])
                except _Domain as problem:
                    raise ExpressionEvalError(f"{problem} at column {col}", col, source) from None

        return call

    def external_call(self, name: _Token, returns: str, args: list[_Node]) -> Callable[[Any, Any], Value]:
        fname, col, source = name.value, name.col, self.source
        fns = tuple(arg.fn for arg in args)
        # What _PY_TYPE gives: FunctionSpec lets a function return a number or a true/false value only.
        python_type: type[float] | type[bool] = float if returns == NUMBER else bool

        # Constant arguments (most are: others_max('deployed')) are passed as they are, not
        # worked out again on every call.
        constants = tuple(arg.const for arg in args) if all(arg.is_const for arg in args) else None

        def call(v: Any, f: Any) -> Value:
            try:
                impl = f[fname]
            except KeyError:
                raise ExpressionEvalError(
                    f"function {fname!r} at column {col} was not passed to evaluate()", col, source
                ) from None
            result = impl(*constants) if constants is not None else impl(*[fn(v, f) for fn in fns])
            if type(result) is python_type and (returns == BOOL or not result - result):
                return result
            try:
                result = _normalize(result)
            except _Unusable as problem:
                message = f"{fname}() at column {col} returned a value that {problem}"
                raise ExpressionEvalError(message, col, source) from None
            if type(result) is not python_type:
                raise ExpressionEvalError(
                    f"{fname}() at column {col} should return {_ARTICLE[returns]} but returned "
                    f"{_ARTICLE[_kind_of(result)]}",
                    col,
                    source,
                )
            return result

        return call


# The built-ins that round to a whole number, as functions._BUILTINS has them (then made a float).
_WHOLE: dict[str, Callable[[float], int]] = {"floor": math.floor, "ceil": math.ceil}


def _bounded(fname: str, impl: Callable[..., float], c: float, operand: _Node) -> Callable[[Any, Any], float]:
    """'max(c, x)' or 'min(c, x)', c a constant: x compared with c in the closure itself (what
    the builtins do: x replaces c only if strictly greater, or less), and a slot read there too."""
    b = cast(Callable[[Any, Any], float], operand.fn)  # function() made sure it is a number
    if fname not in ("max", "min"):
        return lambda v, f: impl(c, b(v, f))
    larger = fname == "max"
    if operand.row_read is None:
        if larger:
            return lambda v, f: x if (x := b(v, f)) > c else c
        return lambda v, f: x if (x := b(v, f)) < c else c
    index, slow = operand.row_read

    def call(v: Any, f: Any) -> float:
        x = v.row[index]
        if type(x) is not float or x - x:  # not a finite float: as the name's own closure does
            x = slow(x)
        if larger:
            return x if x > c else c
        return x if x < c else c

    return call
