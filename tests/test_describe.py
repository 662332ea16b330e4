"""Effects described in words for menus, as written and as they would work now for a seat."""

from engine.rules.options import move_effects_now
from engine.scenario.describe import describe_effects

from helpers import apply_all, offer, propose, respond, rules_game, skip_talks


def test_a_moves_effects_are_described_in_each_language():
    game = rules_game()
    build = game.moves["build"]
    text = describe_effects(game.scenario, build.effects)
    assert text.get("en") == "Warheads +100 (you); Tension +5 (you–others)"
    assert text.get("zh") == "Warheads +100（己方）；Tension +5（己方–其他方）"


def test_formulas_conditions_and_crises_are_named():
    game = rules_game()
    assert describe_effects(game.scenario, game.moves["test"].effects).get() == "Norm -10"
    assert describe_effects(game.scenario, game.moves["provoke"].effects).get() == "starts a crisis (you, others)"
    summit = game.events["summit"]
    assert describe_effects(game.scenario, summit.effects).get() == "Security +5 (everyone); brings Green to the table"


# -- a move described for one seat now (engine.rules.options.move_effects_now) ------------------
EXTRA_EFFECTS = {"      - {track: norm, delta: -10}": (
    "      - {track: norm, delta: \"max(1, (100 - security.self) * 0.1)\"}\n"
    "      - {track: norm, delta: \"-spooky\"}\n"
    "      - {track: secret_stock, actor: others, delta: 5, chance: 0.25}\n"
    "      - {track: security, delta: 3, when: \"is_self('blue')\"}"
)}


def test_a_move_is_described_now_with_its_values_for_the_seat():
    game = rules_game(EXTRA_EFFECTS)
    state = skip_talks(game, game.start(3))
    build = move_effects_now(game, state, "red", "build")
    assert build.get("en") == "Warheads +100 (now 1000 → 1100); Tension +5 (you–others: now 40 → 45)"
    assert build.get("zh") == "Warheads +100（当前 1000 → 1100）；Tension +5（己方–其他方：当前 40 → 45）"
    # The formula is worked out for the seat; a chance is a percentage; a condition kept for
    # Blue is left out for Red, and for Blue it simply applies.
    red = move_effects_now(game, state, "red", "test").get()
    assert red.startswith("Norm +5 (now 81 → 86); ")
    assert "Hidden stock +5 (others) (25% chance)" in red
    assert "Security" not in red and "is_self" not in red
    blue = move_effects_now(game, state, "blue", "test").get()
    assert blue.endswith("; Security +3 (now 50 → 53)") and "is_self" not in blue


def test_a_move_described_now_tells_no_secret():
    game = rules_game(EXTRA_EFFECTS)
    state = skip_talks(game, game.start(3))
    red = move_effects_now(game, state, "red", "test").get()
    # `spooky` is the facilitator's: the delta reading it stays a formula; Blue's hidden stock
    # (owner only) is changed but its value is not shown to Red.
    assert "Norm +(-spooky) (now 81)" in red
    assert "Hidden stock +5 (others) (25% chance)" in red and "now 0" not in red.split("Hidden stock")[1]
    assert move_effects_now(game, state, "red", "hide").get() == "Hidden stock +10 (now 0 → 10)"


def test_moves_that_would_breach_an_agreement_in_force_name_it():
    game = rules_game()
    state = game.start(3)
    assert all(m.breaches == () for m in game.options(skip_talks(game, state), "red").moves)
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1200)), propose("blue"),
                      respond("blue", p1="accept"))
    state = skip_talks(game, state)
    assert [a.template for a in state.agreements] == ["cap"]
    for seat in ("red", "blue"):
        moves = {m.id: m for m in game.options(state, seat).moves}
        assert moves["build"].breaches == ("cap",)
        assert moves["hide"].breaches == () and moves["test"].breaches == ()
    # Bots and fingerprints read options by repr: the new field leaves it as it was.
    assert "breaches" not in repr(moves["build"])
