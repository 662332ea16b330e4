"""Arithmetic that gives the same result on every Python the project supports.

Python 3.12 made the builtin `sum()` of floats compensated (more exact, and different in the last
bits from 3.11's plain left-to-right additions). Games must be bit-identical on every machine and
Python, so the rules and the bots add floats with `left_sum`: one addition after another, in
order, exactly as `sum()` did before 3.12 (today's games stay as they are).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import add


def left_sum(values: Iterable[float], start: float = 0) -> float:
    """`start + v1 + v2 + ...`, added left to right (never compensated)."""
    return reduce(add, values, start)
