"""Every shipped scenario (and the rules fixture) passes the conformance check: seeded random
legal playouts that keep every invariant and replay from their records."""

from __future__ import annotations

import pytest

from engine import load_game
from engine.play.conformance import check_playout
from engine.scenario.loading import builtin_scenario_ids

from helpers import RULES

SCENARIOS = [*builtin_scenario_ids(), str(RULES)]


@pytest.fixture(scope="module", params=SCENARIOS)
def game(request):
    return load_game(request.param)


@pytest.mark.parametrize("seed", range(12))
def test_random_legal_playouts_keep_every_invariant(game, seed):
    assert check_playout(game, seed) == []
