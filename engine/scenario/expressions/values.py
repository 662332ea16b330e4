"""Kinds of value (number, bool, string, unknown) and how values from outside are taken in."""

from __future__ import annotations

import math
from typing import Any

NUMBER, BOOL, STRING, UNKNOWN = "number", "bool", "string", "unknown"
_KINDS = frozenset({NUMBER, BOOL, STRING, UNKNOWN})

Value = float | bool | str

_ARTICLE = {NUMBER: "a number", BOOL: "a true/false value", STRING: "a string", UNKNOWN: "a value"}
_PY_TYPE = {NUMBER: float, BOOL: bool, STRING: str}


def _kind_of(value: Value) -> str:
    return {float: NUMBER, bool: BOOL, str: STRING}.get(type(value), UNKNOWN)


class _Unusable(Exception):
    """A value from outside (variable or function result) that the language cannot hold."""


def _normalize(value: Any) -> Value:
    """Map an outside value to float, bool or str; ints become floats, inf/nan are refused."""
    if isinstance(value, bool):  # before int: bool is a subclass of int
        return bool(value)
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            raise _Unusable("is a number too large to use") from None
        if not math.isfinite(number):
            raise _Unusable(f"is {number!r}, not a finite number")
        return number
    if isinstance(value, str):
        return str(value)
    raise _Unusable(f"has a value of unsupported type {type(value).__name__!r}")


def _fmt(number: float) -> str:
    """Short display of a number in messages: 4 rather than 4.0."""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)
