"""The functions a formula can call: the built-in maths, and FunctionSpec to declare the caller's own."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import attrs

from engine.scenario.expressions.values import BOOL, NUMBER, _fmt


def _check_arg_count(instance: Any, attribute: Any, value: Any) -> None:
    if type(value) is not int or value < 0:
        raise ValueError(f"FunctionSpec.{attribute.name} must be an int >= 0, got {value!r}")


def _check_max_args(instance: FunctionSpec, attribute: Any, value: Any) -> None:
    if value is None:
        return
    _check_arg_count(instance, attribute, value)
    if value < instance.min_args:
        raise ValueError(f"FunctionSpec.max_args ({value}) is smaller than min_args ({instance.min_args})")


@attrs.frozen
class FunctionSpec:
    """Declares an external function at compile time; its implementation comes at evaluation."""

    min_args: int = attrs.field(validator=_check_arg_count)
    max_args: int | None = attrs.field(validator=_check_max_args)  # None = any number
    returns: str = attrs.field(default=NUMBER, validator=attrs.validators.in_((NUMBER, BOOL)))


class _Domain(Exception):
    """Raised by built-in functions for an argument outside their domain."""


def _round_half_away(x: float) -> float:
    if x < 0.0:
        return -_round_half_away(-x)
    whole = math.floor(x)
    # x - whole is exact for floats, unlike x + 0.5 (0.49999999999999994 + 0.5 == 1.0).
    return float(whole + 1) if x - whole >= 0.5 else float(whole)


def _sqrt(x: float) -> float:
    if x < 0.0:
        raise _Domain(f"sqrt() of a negative number ({_fmt(x)})")
    return math.sqrt(x)


def _clamp(x: float, lo: float, hi: float) -> float:
    if lo > hi:
        raise _Domain(f"clamp() with lo ({_fmt(lo)}) greater than hi ({_fmt(hi)})")
    return lo if x < lo else hi if x > hi else x


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    # Python's min/max want two or more arguments; min(x) in a formula is just x.
    return lambda *xs: xs[0] if len(xs) == 1 else pick(xs)


# name -> (min_args, max_args, implementation over floats)
_BUILTINS: dict[str, tuple[int, int | None, Callable[..., float]]] = {
    "min": (1, None, _extreme(min)),
    "max": (1, None, _extreme(max)),
    "abs": (1, 1, abs),
    "clamp": (3, 3, _clamp),
    "floor": (1, 1, lambda x: float(math.floor(x))),
    "ceil": (1, 1, lambda x: float(math.ceil(x))),
    "round": (1, 1, _round_half_away),
    "sqrt": (1, 1, _sqrt),
}
