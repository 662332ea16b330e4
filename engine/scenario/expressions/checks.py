"""The parser's static type checks, shared by the node builders: a node must have the kind an operator needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.scenario.expressions.errors import ExpressionEvalError, ExpressionSyntaxError
from engine.scenario.expressions.functions import FunctionSpec
from engine.scenario.expressions.nodes import _Node
from engine.scenario.expressions.tokens import _quote, _Token
from engine.scenario.expressions.values import _ARTICLE, _PY_TYPE, UNKNOWN, Value, _kind_of


class _TypeChecks:
    """What every node builder of the parser needs: the source, the declarations and the type checks."""

    source: str
    specs: Mapping[str, FunctionSpec]
    name_kinds: Mapping[str, str]
    known_calls: Mapping[tuple[str, tuple[Any, ...]], Value]
    row: Mapping[str, int]  # names read by position (Expression.bind)
    names: set[str]
    used_functions: set[str]

    def error(self, message: str, col: int | None) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(message, col, self.source)

    def text(self, node: _Node) -> str:
        return _quote(self.source[node.start : node.end])

    def need(self, node: _Node, kind: str, needs: str) -> _Node:
        """Check that node has the kind; values of unknown kind get a run-time check."""
        if node.kind == kind:
            return node
        if node.kind != UNKNOWN:
            raise self.error(f"{self.text(node)} at column {node.col} is {_ARTICLE[node.kind]}, but {needs}", node.col)
        inner, python_type, col, source, text = node.fn, _PY_TYPE[kind], node.col, self.source, self.text(node)

        def checked(v: Any, f: Any) -> Value:
            value = inner(v, f)
            if type(value) is python_type:
                return value
            raise ExpressionEvalError(
                f"{text} at column {col} evaluated to {_ARTICLE[_kind_of(value)]}, but {needs}", col, source
            )

        return _Node(kind, checked, node.start, node.end)

    def same_kind(self, op: _Token, a: _Node, b: _Node) -> tuple[_Node, _Node]:
        needs = f"{op.text!r} needs both sides to have the same type"
        if a.kind == UNKNOWN and b.kind != UNKNOWN:
            return self.need(a, b.kind, needs), b
        if b.kind == UNKNOWN and a.kind != UNKNOWN:
            return a, self.need(b, a.kind, needs)
        if a.kind != b.kind:
            raise self.error(
                f"{op.text!r} at column {op.col} compares {_ARTICLE[a.kind]} ({self.text(a)}) with "
                f"{_ARTICLE[b.kind]} ({self.text(b)}): both sides must have the same type",
                op.col,
            )
        return a, b
