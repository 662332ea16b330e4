"""Effects described in words for menus."""

from engine.scenario.describe import describe_effects

from helpers import rules_game


def test_a_moves_effects_are_described_in_each_language():
    game = rules_game()
    build = game.moves["build"]
    text = describe_effects(game.scenario, build.effects)
    assert text.get("en") == "Warheads +100 (you); Tension +5 (you–others)"
    assert text.get("zh") == "Warheads +100 (己方); Tension +5 (己方–其他方)"


def test_formulas_conditions_and_crises_are_named():
    game = rules_game()
    assert describe_effects(game.scenario, game.moves["test"].effects).get() == "Norm -10"
    assert describe_effects(game.scenario, game.moves["provoke"].effects).get() == "starts a crisis (you, others)"
    summit = game.events["summit"]
    assert describe_effects(game.scenario, summit.effects).get() == "Security +5 (everyone); brings Green to the table"
