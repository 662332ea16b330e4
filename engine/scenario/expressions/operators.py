"""Nodes for the operators: not, unary minus, and/or, arithmetic, comparisons and '?:'."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, cast

from engine.scenario.expressions.checks import _TypeChecks
from engine.scenario.expressions.errors import ExpressionEvalError
from engine.scenario.expressions.nodes import _fold, _Node
from engine.scenario.expressions.tokens import _Token
from engine.scenario.expressions.values import _ARTICLE, BOOL, NUMBER, UNKNOWN, _kind_of

# A compiled number's closure, fn(variables, functions) -> float; an error made when it is raised.
_NumberFn = Callable[[Any, Any], float]
_ErrorFn = Callable[[], ExpressionEvalError]

_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": operator.mod}
_COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class _OperatorNodes(_TypeChecks):
    """The parser's builders for operators: static type checks, then a closure (folded when constant)."""

    def unary(self, op: _Token, operand: _Node) -> _Node:
        if op.value == "not":
            operand = self.need(operand, BOOL, f"{op.text!r} needs a true/false value")
            inner = operand.fn
            node = _Node(BOOL, lambda v, f: not inner(v, f), op.pos, operand.end)
        else:
            operand = self.need(operand, NUMBER, f"unary {op.text!r} needs a number")
            number = cast(_NumberFn, operand.fn)  # need() made sure of it
            if op.value == "-":
                node = _Node(NUMBER, lambda v, f: -number(v, f), op.pos, operand.end)
            else:
                node = _Node(NUMBER, number, op.pos, operand.end)
        return _fold(node, [operand])

    def logic(self, op: _Token, operands: list[_Node]) -> _Node:
        needs = f"{op.value!r} needs true/false values on both sides"
        parts = [self.need(node, BOOL, needs) for node in operands]
        # Constants at the front short-circuit as they would at run time: 'true or x' is true
        # and 'false or x' is x (only leading ones: 'x or true' must still evaluate x).
        is_and = op.value == "and"
        while len(parts) > 1 and parts[0].is_const:
            if parts[0].const is not is_and:  # 'false and ...' or 'true or ...'
                return _Node(BOOL, parts[0].fn, parts[0].start, parts[-1].end, parts[0].const)
            parts = parts[1:]
        if len(parts) == 1:
            return parts[0]
        fns = tuple(part.fn for part in parts)
        if len(fns) == 2:
            a, b = fns
            fn = (lambda v, f: a(v, f) and b(v, f)) if is_and else (lambda v, f: a(v, f) or b(v, f))
        elif is_and:

            def fn(v: Any, f: Any) -> bool:
                for part in fns:
                    if not part(v, f):
                        return False
                return True

        else:

            def fn(v: Any, f: Any) -> bool:
                for part in fns:
                    if part(v, f):
                        return True
                return False

        return _fold(_Node(BOOL, fn, parts[0].start, parts[-1].end), parts)

    def arithmetic(self, ops: list[_Token], operands: list[_Node]) -> _Node:
        parts = [self.need(operands[0], NUMBER, f"{ops[0].text!r} needs numbers on both sides")]
        parts += [
            self.need(node, NUMBER, f"{op.text!r} needs numbers on both sides")
            for op, node in zip(ops, operands[1:], strict=True)
        ]
        if len(parts) == 2:
            fn = self.binary_arithmetic(ops[0], parts[0], parts[1])
        else:
            fn = self.chained_arithmetic(ops, parts)
        return _fold(_Node(NUMBER, fn, parts[0].start, parts[-1].end), parts)

    def _runtime_errors(self, op: _Token, divisor: _Node) -> tuple[_ErrorFn, _ErrorFn]:
        source, col = self.source, op.col
        what = "division" if op.value == "/" else "modulo"
        zero_message = f"{what} by zero at column {col}: {self.text(divisor)} is 0"
        overflow_message = f"arithmetic overflow at column {col}: the result of {op.text!r} is too large"
        return (
            lambda: ExpressionEvalError(zero_message, col, source),
            lambda: ExpressionEvalError(overflow_message, col, source),
        )

    def binary_arithmetic(self, op: _Token, a: _Node, b: _Node) -> Callable[[Any, Any], float]:
        """Two operands: the common case, with constants inlined ('x * 0.3', '50 - x')."""
        zero, overflow = self._runtime_errors(op, b)
        apply, af, bf = _ARITH[op.value], a.fn, b.fn
        # In the closures below 'if r - r' is true only for inf or nan, i.e. after overflow.
        if b.is_const and b.const != 0.0 and a.row_read is not None:  # 'x * 0.3', x a slot: read here
            c, (index, slow) = b.const, a.row_read

            def fn(v: Any, f: Any) -> float:
                x = v.row[index]
                if type(x) is not float or x - x:  # not a finite float: as the name's own closure does
                    x = slow(x)
                r = apply(x, c)
                if r - r:
                    raise overflow()
                return r

        elif b.is_const and b.const != 0.0:
            c = b.const

            def fn(v: Any, f: Any) -> float:
                r = apply(af(v, f), c)
                if r - r:
                    raise overflow()
                return r

        elif op.value in "/%":

            def fn(v: Any, f: Any) -> float:
                x, y = af(v, f), bf(v, f)
                if y == 0.0:
                    raise zero()
                r = apply(x, y)
                if r - r:
                    raise overflow()
                return r

        elif a.is_const and b.row_read is not None:  # '0.65 * x', x a slot: read here
            c, (index, slow) = a.const, b.row_read

            def fn(v: Any, f: Any) -> float:
                y = v.row[index]
                if type(y) is not float or y - y:  # not a finite float: as the name's own closure does
                    y = slow(y)
                r = apply(c, y)
                if r - r:
                    raise overflow()
                return r

        elif a.is_const:
            c = a.const

            def fn(v: Any, f: Any) -> float:
                r = apply(c, bf(v, f))
                if r - r:
                    raise overflow()
                return r

        else:

            def fn(v: Any, f: Any) -> float:
                r = apply(af(v, f), bf(v, f))
                if r - r:
                    raise overflow()
                return r

        return fn

    def chained_arithmetic(self, ops: list[_Token], parts: list[_Node]) -> Callable[[Any, Any], float]:
        # arithmetic() made sure that every part is a number.
        first = cast(_NumberFn, parts[0].fn)
        steps: tuple[tuple[Callable[[float, float], float], _NumberFn, bool, _ErrorFn, _ErrorFn], ...] = tuple(
            (_ARITH[op.value], cast(_NumberFn, node.fn), op.value in "/%", *self._runtime_errors(op, node))
            for op, node in zip(ops, parts[1:], strict=True)
        )

        def fn(v: Any, f: Any) -> float:
            r = first(v, f)
            for apply, operand, divides, zero, overflow in steps:
                y = operand(v, f)
                if divides and y == 0.0:
                    raise zero()
                r = apply(r, y)
                if r - r:
                    raise overflow()
            return r

        return fn

    def compare(self, op: _Token, a: _Node, b: _Node) -> _Node:
        symbol = op.value
        if symbol in ("==", "!="):
            a, b = self.same_kind(op, a, b)
        else:
            needs = f"{op.text!r} needs numbers on both sides"
            a, b = self.need(a, NUMBER, needs), self.need(b, NUMBER, needs)
        test, af, bf = _COMPARE[symbol], a.fn, b.fn
        if b.is_const and a.row_read is not None:  # 'x >= 100', x a slot: read here
            c, (index, slow) = b.const, a.row_read

            def fn(v: Any, f: Any) -> bool:
                x = v.row[index]
                if type(x) is not float or x - x:  # not a finite float: as the name's own closure does
                    x = slow(x)
                return test(x, c)

        elif b.is_const:
            c = b.const
            fn = lambda v, f: test(af(v, f), c)  # noqa: E731
        elif a.kind == UNKNOWN:  # == between two values of unknown kind: check at run time
            col, source, a_text, b_text = op.col, self.source, self.text(a), self.text(b)

            def fn(v: Any, f: Any) -> bool:
                x, y = af(v, f), bf(v, f)
                if type(x) is not type(y):
                    raise ExpressionEvalError(
                        f"{op.text!r} at column {col} compares {_ARTICLE[_kind_of(x)]} ({a_text}) with "
                        f"{_ARTICLE[_kind_of(y)]} ({b_text}): both sides must have the same type",
                        col,
                        source,
                    )
                return test(x, y)

        else:
            fn = lambda v, f: test(af(v, f), bf(v, f))  # noqa: E731
        return _fold(_Node(BOOL, fn, a.start, b.end), [a, b])

    def choose(self, question: _Token, condition: _Node, then: _Node, otherwise: _Node) -> _Node:
        condition = self.need(condition, BOOL, "the condition before '?' must be true/false")
        kind = then.kind
        if then.kind != otherwise.kind:
            if then.kind == UNKNOWN:
                kind, then = otherwise.kind, self.need(then, otherwise.kind, "both branches of '?:' must have one type")
            elif otherwise.kind == UNKNOWN:
                otherwise = self.need(otherwise, then.kind, "both branches of '?:' must have one type")
            else:
                raise self.error(
                    f"the branches of the '?' at column {question.col} have different types: {self.text(then)} "
                    f"is {_ARTICLE[then.kind]} but {self.text(otherwise)} is {_ARTICLE[otherwise.kind]}",
                    question.col,
                )
        if condition.is_const:  # 'true ? a : b' is just a
            chosen = then if condition.const else otherwise
            return _Node(kind, chosen.fn, condition.start, otherwise.end, chosen.const)
        cf, tf, of = condition.fn, then.fn, otherwise.fn
        if then.is_const and otherwise.is_const:  # 'x > 80 ? -2 : -1': the values, not their closures
            t, o = then.const, otherwise.const
            return _Node(kind, lambda v, f: t if cf(v, f) else o, condition.start, otherwise.end)
        return _Node(kind, lambda v, f: tf(v, f) if cf(v, f) else of(v, f), condition.start, otherwise.end)
