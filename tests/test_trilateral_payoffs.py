"""trilateral-2026: the counter-arguments' payoffs, the paces of the world, and an order that is kept.

Issue 14 found that the shield, testing and numbers gave their chooser nothing (the shield's
+security was a one-off effect that the assessment's recomputation of security overwrote), that
allies went nuclear five in five years, a state could test twice a quarter and China's readiness
jumped from 22 to 50 in two quarters, that reaching a new arms-control order ended the game and so
lowered every seat's score, and that the default US bot fielded exotic delivery systems in 65% of
its quarters. Each test here would fail if its rule broke.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from engine import Game, load_game
from engine.play.loop import play_out
from engine.play.simulate import controllers_for
from engine.rules.context import EvaluationContext
from engine.rules.state import GameState, Phase
from engine.rules.work import Work
from engine.scenario.loading import load_scenario_text, scenario_content_hash

from helpers import track

SCENARIO = "trilateral-2026"
FACILITATOR = "facilitator"


@pytest.fixture(scope="module")
def game() -> Game:
    return load_game(SCENARIO)


def adjust(game: Game, state: GameState, name: str, value: float, actor: str | None = None) -> GameState:
    value_input = {"seat": FACILITATOR, "kind": "adjust", "track": name, "value": value, "reason": "test"}
    if actor:
        value_input["actor"] = actor
    state, _ = game.apply(state, value_input)
    return state


def quiet_quarter(game: Game, state: GameState) -> GameState:
    """Every seat proposes nothing, plays no move and backs down from any crisis, to the next turn."""
    turn = state.turn
    while not state.over and state.turn == turn:
        for seat in sorted(game.awaiting(state)):
            if state.phase is Phase.PROPOSE:
                value = {"seat": seat, "kind": "propose", "offers": []}
            elif state.phase is Phase.RESPOND:
                value = {"seat": seat, "kind": "respond", "replies": []}
            elif state.phase is Phase.DECIDE:
                value = {"seat": seat, "kind": "decide", "moves": []}
            else:
                value = {"seat": seat, "kind": "crisis", "choice": "back_down"}
            state, _ = game.apply(state, value)
    return state


def security_after(game: Game, seed: int, **tracks: float) -> dict[str, float]:
    """Each seat's security after one quiet quarter from the start, with some tracks set first
    (`tests__us=1` sets the US's tests)."""
    state = game.start(seed)
    for key, value in tracks.items():
        name, _, actor = key.partition("__")
        state = adjust(game, state, name, value, actor or None)
    state = quiet_quarter(game, state)
    return {seat: track(game, state, f"security.{seat}") for seat in game.seats}


def test_starting_security_is_the_formulas_result_on_the_starting_forces(game):
    # It used to start 5-9 points above it, so every seat's security fell in the first quarter
    # for nothing anyone did.
    formula = next(effect for effect in game.scenario.each_turn if effect.track == "security").set
    state = game.start(0)
    context = EvaluationContext(game)
    for seat in game.seats:
        assessed = context.evaluate(Work(game, state), formula, seat, None, None, "test")
        assert abs(track(game, state, f"security.{seat}") - assessed) <= 0.5, seat


# -------------------------------------------------------------------- payoffs that last
def test_no_move_agreement_or_event_changes_a_track_the_assessment_sets(game):
    """The shield's old +2 security was a move effect that the assessment overwrote in the same
    quarter. A payoff must be a term of the recomputed formula, never a one-off effect on a track
    `each_turn` sets for every actor (security, deployed)."""
    scenario = game.scenario
    always_set = {e.track for e in scenario.each_turn if e.set is not None and e.when is None}
    assert "security" in always_set
    places = [(f"moves.{m.id}", m.effects) for m in scenario.moves]
    places += [(f"agreements.{t.id}", (*t.on_sign, *t.each_turn)) for t in scenario.agreements]
    places += [(f"events.{e.id}", e.effects) for e in scenario.events]
    overwritten = [(where, e.track) for where, effects in places for e in effects if e.track in always_set]
    assert overwritten == []


@pytest.mark.parametrize("seed", [3, 11])
def test_the_shield_defends_the_us_against_small_attacks_after_the_assessment(game, seed):
    low = security_after(game, seed, golden_dome=5)
    high = security_after(game, seed, golden_dome=40)
    # US missile defence 5 + dome / 2: 7.5 -> 25; 10 points at 40 or more, times North Korea's
    # arsenal over 100 (50 at the start, 60 after a test): (25 - 7.5) / 40 * 10 * 0.5-0.6 = 2.2-2.6.
    assert 2.1 < high["us"] - low["us"] < 2.7
    # ... and no term takes the rivals' security by fiat (1.3): the shield's cost to them runs
    # through the first-strike stability core, in the risk.
    assert high["russia"] - low["russia"] == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("seed", [3, 11])
def test_testing_gives_stockpile_confidence_for_the_first_two_tests(game, seed):
    by_tests = [security_after(game, seed, tests__russia=n)["russia"] for n in (0, 1, 2, 3)]
    assert by_tests[1] - by_tests[0] == pytest.approx(3, abs=1e-6)
    assert by_tests[2] - by_tests[1] == pytest.approx(3, abs=1e-6)
    assert by_tests[3] == pytest.approx(by_tests[2], abs=1e-6)


@pytest.mark.parametrize("seed", [3, 11])
def test_assured_allies_are_part_of_us_security(game, seed):
    low = security_after(game, seed, ally_confidence=60)
    high = security_after(game, seed, ally_confidence=80)
    assert high["us"] - low["us"] == pytest.approx(0.15 * 20, abs=1e-6)
    assert high["china"] == pytest.approx(low["china"], abs=1e-6)


@pytest.mark.parametrize("seed", [3, 11])
def test_numbers_assure_allies(game, seed):
    """A US deployed force above the largest rival's slows the erosion of allies' confidence."""
    def allies_after(us_icbm: float) -> float:
        state = adjust(game, game.start(seed), "icbm_warheads", us_icbm, "us")
        return track(game, quiet_quarter(game, state), "ally_confidence")

    assert allies_after(800) > allies_after(400) + 1


def test_security_has_room_under_its_ceiling_for_the_payoffs(game):
    """At the ceiling of 100 a payoff or a cost changes nothing: with the payoff terms added to the
    old constant (22), the US ended 31 of 60 default games there; with 16, 2 of 60."""
    at_ceiling = 0
    for seed in range(20):
        final, _ = play_out(game, game.start(seed), controllers_for(game, {}))
        at_ceiling += track(game, final, "security.us") >= 99.999
    assert at_ceiling <= 3


# -------------------------------------------------------------------------------- paces
def _games(game, lineup, seeds, observe_turns):
    """Play seeded games; `observe_turns(state)` is called at the end of every quarter."""
    for seed in seeds:
        def observe(before, played, after):
            if after.turn != before.turn or after.over:
                observe_turns(after, before.turn)

        play_out(game, game.start(seed), controllers_for(game, lineup), observe=observe)


def test_no_state_tests_more_than_once_a_quarter_or_faster_than_once_a_year(game):
    seen = {"tests": 0.0}
    last: dict[str, float] = {}

    def check(state, turn):
        for seat in game.seats:
            tests = track(game, state, f"tests.{seat}")
            assert tests <= (turn + 3) // 4, (seat, turn, tests)
            if turn > 1:
                assert tests - last[seat] <= 1, (seat, turn)  # hawks tested twice a quarter before
            last[seat] = tests
            seen["tests"] = max(seen["tests"], tests)

    _games(game, dict.fromkeys(game.seats, "hawk"), range(12), check)
    assert seen["tests"] >= 2  # hawks do test (their games rarely last long): the limit binds


def test_the_two_test_moves_are_never_open_together(game):
    state = game.start(0)
    for rival_tests in (0, 1):
        state = adjust(game, state, "tests", rival_tests, "russia")
        decide = _to_decisions(game, state)
        options = {m.id: m.available for m in game.options(decide, "us").moves}
        assert options["nuclear_test"] != options["answer_test"], rival_tests


def _to_decisions(game, state):
    while state.phase is not Phase.DECIDE:
        for seat in sorted(game.awaiting(state)):
            if state.phase is Phase.PROPOSE:
                value = {"seat": seat, "kind": "propose", "offers": []}
            else:
                value = {"seat": seat, "kind": "respond", "replies": []}
            state, _ = game.apply(state, value)
    return state


class Humiliate:
    """The US's own bot, but it humiliates its allies every quarter (the move costs nothing)."""

    def __init__(self, inner):
        self.inner = inner

    def act(self, game, state, seat):
        value, reason = self.inner.act(game, state, seat)
        if value["kind"] == "decide":
            moves = ["burden_shift"] + [m for m in value["moves"] if m not in ("burden_shift", "reassure_allies")]
            value = {**value, "moves": moves[: game.scenario.decisions.max_moves]}
        return value, reason


def test_humiliated_allies_go_nuclear_at_most_one_every_six_quarters(game):
    finals = []
    for seed in range(15):
        controllers = controllers_for(game, {})
        controllers["us"] = Humiliate(controllers["us"])

        def observe(before, played, after):
            if after.turn != before.turn or after.over:
                new_states = track(game, after, "nuclear_states") - 9
                assert new_states <= (after.turn + 3) // 6, (after.turn, new_states)  # events fire in the world phase

        final, _ = play_out(game, game.start(seed), controllers, observe=observe)
        finals.append(track(game, final, "nuclear_states") - 9)
    # The cascade still happens: humiliated allies do go nuclear (about three by 2030, not five).
    assert 2 <= statistics.mean(finals) <= 3


def test_the_same_gesture_from_two_capitals_in_one_quarter_counts_once(game):
    def readiness_after(*recognisers: str) -> float:
        state = _to_decisions(game, game.start(5))
        for seat in game.seats:
            moves = ["recognise_china"] if seat in recognisers else []
            state, _ = game.apply(state, {"seat": seat, "kind": "decide", "moves": moves})
        return track(game, state, "china_readiness")

    alone, both, none = readiness_after("us"), readiness_after("us", "russia"), readiness_after()
    assert alone - none == pytest.approx(2, abs=1e-6)
    assert both == pytest.approx(alone, abs=1e-6)


def test_chinas_readiness_rises_slowly_even_when_everyone_courts_it(game):
    rises, earliest = [], []
    for seed in range(20):
        readiness = [track(game, game.start(seed), "china_readiness")]

        def check(state, turn, readiness=readiness):
            readiness.append(track(game, state, "china_readiness"))

        _games(game, dict.fromkeys(game.seats, "dove"), [seed], check)
        rises.append(max(readiness[i + 2] - readiness[i] for i in range(len(readiness) - 2)))
        earliest.append(next((q for q, r in enumerate(readiness) if r >= 50), 99))
    # Before: up to +46 in two quarters, and 50 from the first quarter on. Now about +15 at most.
    assert max(rises) <= 20
    assert min(earliest) >= 4


# --------------------------------------------------------------------- an order that is kept
def test_a_new_order_is_announced_and_the_game_goes_on(game):
    assert all(condition.id != "new_order" for condition in game.scenario.end)
    for seed in range(4):
        final, _ = play_out(game, game.start(seed), controllers_for(game, dict.fromkeys(game.seats, "dove")))
        fired = [e for e in final.log if type(e.event).__name__ == "EventFired" and e.event.event == "new_order"]
        assert fired and fired[0].turn < game.scenario.turns
        assert final.outcome.termination.value == "last_turn"


def test_keeping_the_order_scores_more_than_ending_the_game_at_it(game):
    """The rule issue 14 replaced: the order ended the game, and every seat scored less."""
    text = _scenario_text().replace(
        "end: []\n",
        'end:\n  - {id: new_order, when: "agreements() >= 6 and clock >= 150"}\n',
    )
    truncated = Game(load_scenario_text(text.encode(), filename="truncated.yaml"), scenario_content_hash(text.encode()))
    doves = dict.fromkeys(game.seats, "dove")
    for seat in game.seats:
        kept, cut = [], []
        for seed in range(6):
            kept.append(play_out(game, game.start(seed), controllers_for(game, doves))[0].outcome.scores[seat])
            cut_final = play_out(truncated, truncated.start(seed), controllers_for(truncated, doves))[0]
            assert cut_final.outcome.condition == "new_order"
            cut.append(cut_final.outcome.scores[seat])
        # (by 20+ points with the quarterly clock of 1.2; by a few with the yearly clock of 1.3,
        # whose last setting comes only at the end of each year)
        assert statistics.mean(kept) > statistics.mean(cut) + 1, seat


def _scenario_text() -> str:
    return (Path(__file__).resolve().parent.parent / "scenarios" / f"{SCENARIO}.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------- bots
def test_the_us_bot_rarely_fields_exotic_delivery_systems_and_russia_still_does(game):
    share: dict[str, list[int]] = {"us": [0, 0], "russia": [0, 0]}
    for seed in range(30):
        _, history = play_out(game, game.start(seed), controllers_for(game, {}))
        for played in history:
            seat = played.input.get("seat")
            if played.input.get("kind") == "decide" and seat in share:
                share[seat][0] += "novel_systems" in played.input["moves"]
                share[seat][1] += 1
    us, russia = (share[s][0] / share[s][1] for s in ("us", "russia"))
    assert us <= 0.12, us  # was 0.65; about 0.05 now
    assert russia >= 0.4, russia  # Russia's Poseidon, Burevestnik, Avangard: its weights unchanged


# -------------------------------------------------------------------- "and others": South Asia tests
def test_india_and_pakistan_test_only_once_the_great_powers_have_broken_the_ban(game):
    """The article: testing 'could trigger competitive testing by China, Russia, and others'."""
    def quarters_until_south_asia_tests(seed: int, norm: float, tests: float) -> int | None:
        state = adjust(game, game.start(seed), "tests", tests, "us")
        state = adjust(game, state, "testing_norm", norm)
        for quarter in range(1, 5):
            before = track(game, state, "testing_norm")
            state = quiet_quarter(game, state)
            if any(getattr(entry.event, "event", None) == "south_asia_tests" for entry in state.log if entry.turn == state.turn):
                # the event's own effect on the norm (the quiet quarter's other changes are small)
                assert track(game, state, "testing_norm") <= before - 10 + 0.5
                return quarter
        return None

    broken = [quarters_until_south_asia_tests(seed, norm=20, tests=2) for seed in range(20)]
    assert sum(q is not None for q in broken) >= 10  # 30% a quarter: most within four quarters
    # not while the norm holds (70: North Korea's tests, -5 each, cannot take it below 50 in four
    # quarters), nor after a single test however weak the norm
    assert all(quarters_until_south_asia_tests(seed, norm=70, tests=2) is None for seed in range(20))
    assert all(quarters_until_south_asia_tests(seed, norm=20, tests=1) is None for seed in range(20))
