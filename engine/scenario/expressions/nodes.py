"""Compiled nodes: a closure with its static kind and source span, and constant folding."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from engine.scenario.expressions.errors import ExpressionEvalError
from engine.scenario.expressions.values import Value, _kind_of

_NOT_CONSTANT = object()

_NO_FUNCTIONS: Mapping[str, Callable[..., Any]] = MappingProxyType({})


class _Node:
    """A compiled sub-expression: its static kind, its closure and its span in the source."""

    __slots__ = ("kind", "fn", "start", "end", "const", "row_read")

    def __init__(self, kind: str, fn: Callable[[Any, Any], Value], start: int, end: int, const: Any = _NOT_CONSTANT):
        self.kind = kind
        self.fn = fn  # fn(variables, functions) -> value
        self.start = start  # 0-based offset of the first character
        self.end = end  # 0-based offset after the last character
        self.const = const  # the value when known at compile time
        # For a number name bound to a slot (Expression.bind): (the slot, what to do with a value
        # that is not a finite float). An operator may then read the slot in its own closure.
        self.row_read: tuple[int, Callable[[Any], Value]] | None = None

    @property
    def col(self) -> int:
        return self.start + 1

    @property
    def is_const(self) -> bool:
        return self.const is not _NOT_CONSTANT


def _constant(value: Value, start: int, end: int) -> _Node:
    def fn(v: Any, f: Any) -> Value:
        return value

    return _Node(_kind_of(value), fn, start, end, value)


def _fold(node: _Node, children: list[_Node]) -> _Node:
    """Replace a pure node whose inputs are all constants by its value.

    A failure (say '1/0') is left for evaluation time, so that 'false and 1/0 > 0'
    still works and errors keep their evaluation-time type.
    """
    if not all(child.is_const for child in children):
        return node
    try:
        value = node.fn(MappingProxyType({}), _NO_FUNCTIONS)
    except ExpressionEvalError:
        return node
    return _constant(value, node.start, node.end)
