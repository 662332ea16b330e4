"""The vocabulary of scenario expressions: special names and the functions they may call.

(How names resolve at play is in `engine.scenario.names`; the functions' code in `engine.rules.functions`.)
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.scenario.expressions import FunctionSpec

SPECIAL_NAMES = frozenset({"turn", "turns", "risk", "previous_risk", "clock", "crisis_risk",
                           "period_risk", "period_max_risk", "period_turns"})
CRISIS_NAMES = frozenset({"escalate", "hold", "back_down", "participants", "rung", "round"})
RELATIVE_ACTORS = frozenset({"self", "other"})

# Functions every expression may call. Their string argument names a track, template, move,
# system or actor; `checks.py` verifies that it exists.
FUNCTIONS: Mapping[str, FunctionSpec] = {
    "total": FunctionSpec(1, 1),  # sum of an actor track over active actors
    "others_max": FunctionSpec(1, 1),  # max of an actor track over active actors but self
    "others_min": FunctionSpec(1, 1),
    "others_sum": FunctionSpec(1, 1),
    "highest": FunctionSpec(1, 1),  # max of an actor track over active actors
    "lowest": FunctionSpec(1, 1),
    "pair_avg": FunctionSpec(1, 1),  # mean of a pair track over active pairs
    "pair_max": FunctionSpec(1, 1),
    "self_pair_avg": FunctionSpec(1, 1),  # mean of a pair track over self's pairs
    "in_force": FunctionSpec(1, 1, returns="bool"),  # an agreement of this template is in force
    "party_to": FunctionSpec(1, 1, returns="bool"),  # ... and self is a party
    "in_package": FunctionSpec(1, 1, returns="bool"),  # offered in the same package (accept_requires)
    "agreements": FunctionSpec(0, 1),  # how many in force (on a system, if named)
    "played": FunctionSpec(1, 1),  # how many actors played this move in the last resolution
    "others_played": FunctionSpec(1, 1),  # ... other than self
    "is_active": FunctionSpec(1, 1, returns="bool"),  # is this actor at the table
    "actors": FunctionSpec(0, 0),  # how many actors are at the table
    "in_crisis": FunctionSpec(0, 0, returns="bool"),
    "is_self": FunctionSpec(1, 1, returns="bool"),  # self is this actor
    # First-strike stability over pairs of active actors (engine.rules.stability): a number (the
    # half-damage warheads), then counterforce, defence, warning, then warheads and survivability
    # per system, each a number or a quoted actor or global track.
    "strike_stability_min": FunctionSpec(6, None),  # the least stable pair
    "strike_stability_avg": FunctionSpec(6, None),  # the mean over pairs
    "self_strike_stability": FunctionSpec(6, None),  # the least stable of self's pairs
}

# Functions whose every quoted argument names an actor or global track, checked at load with the
# arguments' count (checks.py): the first-strike stability functions.
STABILITY_FUNCTIONS = frozenset({"strike_stability_min", "strike_stability_avg", "self_strike_stability"})

# Which kind of thing each function's argument names, for load-time checks.
# The one function whose result follows from who `self` is, and nothing else: a formula calling
# it is compiled once per actor with its answers known, so it folds (RuleMemo.for_self).
SELF_TEST = "is_self"

FUNCTION_ARGUMENT = {
    "total": "actor_track",
    "others_max": "actor_track",
    "others_min": "actor_track",
    "others_sum": "actor_track",
    "highest": "actor_track",
    "lowest": "actor_track",
    "pair_avg": "pair_track",
    "pair_max": "pair_track",
    "self_pair_avg": "pair_track",
    "in_force": "agreement",
    "party_to": "agreement",
    "in_package": "agreement",
    "agreements": "system",
    "played": "move",
    "others_played": "move",
    "is_active": "actor",
    "is_self": "actor",
}

# The actor selectors of effects, besides actor ids: whom an effect applies to.
SELECTORS = ("self", "others", "all", "parties", "other_parties")
