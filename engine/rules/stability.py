"""First-strike stability: each side's incentive to strike first, from the exchange arithmetic.

In the spirit of RAND's first-strike stability index (Glenn A. Kent and David E. Thaler,
*First-Strike Stability: A Methodology for Evaluating Strategic Forces*, RAND R-3765-AF, 1989):
for a pair of states, compare what each side expects to suffer if it strikes first with what it
expects to suffer if it waits and is struck first. A side whose first strike would spare it much
of the damage has an incentive to strike in a crisis; the pair's index is the product of the two
sides' cost ratios, 1 when striking first saves neither side anything and near 0 when it saves
one side almost everything.

One exchange, with A striking first at B (docs/scenario-format.md, "First-strike stability"):

    B's vulnerable warheads V_B = sum of n_i * (1 - s_i) over B's systems (s_i: the share of
    system i that survives a counterforce strike)
    B's survivors          S_B = N_B - c_A * V_B              (c_A: A's counterforce capability)
    B's retaliation        R_B = w_B * S_B                    (w_B: B's warning and command and
                                                               control: the share of survivors
                                                               it can still launch)
    arriving at A, if A strikes first:   x = R_B * (1 - d_A)  (d_A: A's missile defence, the share
                                                               it intercepts of a ragged retaliation)
    arriving at A, if B strikes first:   y = N_B - d_A * R_B  (the same interceptors against B's
                                                               whole, coordinated force: saturated)
    damage from z arriving warheads      D(z) = z / (z + H)   (H: warheads that destroy half of
                                                               what a state values)
    A's cost of striking first, second:  D(x), D(y);  A's ratio r_A = D(x) / D(y)  (1 if D(y) = 0)
    the pair's index                     r_A * r_B

Unlike Kent and Thaler, a side's cost counts only the damage it suffers, not the damage it fails
to do: with that, every input moves the index one way (more survivable warheads never lower it,
more counterforce never raises it, a defence never raises it). A defence sized against a ragged
retaliation spares its owner far more when it strikes first than when it is struck: the shield
lowers the stability of every pair its owner is in, which is the rival's fear that its
retaliation would fail, worked out rather than asserted.

Pure arithmetic: basic IEEE operations only (no exp or log, whose last bits differ between
platforms), sums added left to right (`left_sum`), every input clamped, so any finite or infinite
input gives a finite answer in 0-1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from engine.scenario.arithmetic import left_sum

MAX_WARHEADS = 1e12  # per system: far beyond any arsenal, small enough that sums stay exact enough
NEGLIGIBLE = 1e-9  # a billionth of a warhead or of a share is none: no products in subnormal floats


def _clamp(value: float, low: float, high: float) -> float:
    """`value` within [low, high]; NaN counts as `low` (`not value >= low` is true for NaN)."""
    if not value >= low:
        return low
    return high if value > high else value


def _figure(value: float, high: float) -> float:
    """A warhead count or a share, clamped to 0..high, with negligible amounts made exactly 0."""
    value = _clamp(value, 0.0, high)
    return 0.0 if value < NEGLIGIBLE else value


def share(percent: float) -> float:
    """A 0-100 figure (survivability, counterforce, defence, warning) as a share 0-1, clamped."""
    return _clamp(percent, 0.0, 100.0) / 100.0


class Force(NamedTuple):
    """One side's forces, as the exchange reads them. Shares are 0-1; warheads are counts."""

    systems: tuple[tuple[float, float], ...]  # (warheads, share surviving a counterforce strike)
    counterforce: float = 0.0  # share of a rival's vulnerable warheads its first strike destroys
    defence: float = 0.0  # share of a ragged retaliation its missile defence intercepts
    warning: float = 1.0  # share of its surviving warheads it can still launch (warning, C2)

    @staticmethod
    def of(systems: Sequence[tuple[float, float]], counterforce: float = 0.0, defence: float = 0.0,
           warning: float = 1.0) -> Force:
        """A force with every figure clamped: warheads to 0..MAX_WARHEADS, shares to 0..1."""
        return Force(
            tuple((_figure(n, MAX_WARHEADS), _figure(s, 1.0)) for n, s in systems),
            _figure(counterforce, 1.0), _figure(defence, 1.0), _figure(warning, 1.0),
        )

    def total(self) -> float:
        return left_sum(n for n, _ in self.systems)

    def vulnerable(self) -> float:
        return left_sum(n * (1.0 - s) for n, s in self.systems)


def damage(arriving: float, half: float) -> float:
    """The share (0-1) of what a state values that `arriving` warheads destroy: z / (z + H),
    diminishing returns with H warheads for half. H = 0: any warhead that arrives destroys all."""
    arriving = _clamp(arriving, 0.0, math.inf)
    half = _clamp(half, 0.0, MAX_WARHEADS)
    if arriving == 0.0:
        return 0.0
    if half == 0.0 or arriving == math.inf:
        return 1.0
    return arriving / (arriving + half)


class _Sums(NamedTuple):
    """A force's totals, worked out once for all the exchanges a pair's index reads (each of
    them would otherwise add up the same systems again)."""

    total: float
    vulnerable: float

    @staticmethod
    def of(force: Force) -> _Sums:
        return _Sums(force.total(), force.vulnerable())


def retaliation(defender: Force, attacker: Force) -> float:
    """The warheads `defender` can launch after `attacker`'s counterforce first strike."""
    return _retaliation(defender, _Sums.of(defender), attacker, _Sums.of(attacker))


def _retaliation(defender: Force, defender_sums: _Sums, attacker: Force, attacker_sums: _Sums) -> float:
    # A side with no warheads strikes nothing, whatever its counterforce capability.
    counterforce = attacker.counterforce if attacker_sums.total > 0.0 else 0.0
    survivors = max(0.0, defender_sums.total - counterforce * defender_sums.vulnerable)
    return defender.warning * survivors


def _arriving(side: Force, side_sums: _Sums, rival: Force, rival_sums: _Sums) -> tuple[float, float]:
    """The warheads that reach `side` if it strikes `rival` first, and if it is struck first."""
    ragged = _retaliation(rival, rival_sums, side, side_sums)
    first = ragged * (1.0 - side.defence)
    # Interceptors enough for a share `defence` of the ragged retaliation, against the rival's
    # whole force: they stop the same number of warheads, a smaller share of the raid.
    second = max(first, rival_sums.total - side.defence * ragged)
    return first, second


def strike_costs(side: Force, rival: Force, half: float) -> tuple[float, float]:
    """`side`'s expected damage (0-1) if it strikes `rival` first, and if it is struck first."""
    first, second = _arriving(side, _Sums.of(side), rival, _Sums.of(rival))
    return damage(first, half), damage(second, half)


def cost_ratio(side: Force, rival: Force, half: float) -> float:
    """`side`'s cost of striking first over its cost of striking second, 0-1: 1 = striking first
    spares it nothing (no incentive), 0 = striking first spares it everything.

    D(x) / D(y) written as (x / y) * ((y + H) / (x + H)), which stays exact for the smallest
    forces, where D itself would round to 0."""
    return _cost_ratio(side, _Sums.of(side), rival, _Sums.of(rival), half)


def _cost_ratio(side: Force, side_sums: _Sums, rival: Force, rival_sums: _Sums, half: float) -> float:
    first, second = _arriving(side, side_sums, rival, rival_sums)
    half = _clamp(half, 0.0, MAX_WARHEADS)
    if second <= 0.0 or first >= second:
        return 1.0  # the rival can do it no more harm if it waits: nothing to pre-empt
    if first <= 0.0:
        return 0.0
    if half == 0.0:
        return 1.0  # any warhead that arrives destroys everything, either way
    return _clamp((first / second) * ((second + half) / (first + half)), 0.0, 1.0)


def stability_index(a: Force, b: Force, half: float) -> float:
    """The pair's first-strike stability, 0-1: the product of the two sides' cost ratios."""
    a_sums, b_sums = _Sums.of(a), _Sums.of(b)
    return _cost_ratio(a, a_sums, b, b_sums, half) * _cost_ratio(b, b_sums, a, a_sums, half)
