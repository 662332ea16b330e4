"""system-by-system's arms-control rules, played through the engine: verification is a term agreed
with every verified limit and sets how often a breach is noticed; the strategic ceiling binds the
deployed-warheads track; Russia links any ceiling to US missile defence; cyber operations against
nuclear command and control are a system of their own, with a risk and a talks item.

Every figure is played, not read: the games start from the scenario's own state and reach the
situation by the inputs a seat would give (the facilitator's `adjust` where a test needs a track
somewhere play takes many rounds to bring it, and one missile-defence limit put in force by hand,
since the agenda reaches it only after the strategic round)."""

from __future__ import annotations

import attrs

from engine import load_game
from engine.errors import IllegalInput
from engine.rules import events
from engine.rules.state import Agreement, Phase

from helpers import decide, offer, propose, respond, track

GAME = load_game("system-by-system")
SCENARIO = GAME.scenario
NTM, DATA_EXCHANGE, INSPECTIONS = 0, 1, 2


def _blank(state, seat: str) -> dict:
    """The input that does nothing in the current phase (backing down in a crisis)."""
    if state.phase is Phase.PROPOSE:
        return propose(seat)
    if state.phase is Phase.RESPOND:
        return respond(seat)
    if state.phase is Phase.DECIDE:
        return decide(seat)
    return {"seat": seat, "kind": "crisis", "choice": "back_down"}


def _until(state, turn: int, phase: Phase):
    """Every seat does nothing until `phase` of `turn` (a crisis on the way is backed out of)."""
    while not (state.turn == turn and state.phase is phase):
        assert state.phase is not Phase.OVER and state.turn <= turn, "the game passed the point wanted"
        seat = sorted(GAME.awaiting(state))[0]
        state, _ = GAME.apply(state, _blank(state, seat))
    return state


def _adjust(state, name: str, value: float, actor: str | None = None):
    state, _ = GAME.apply(state, {"seat": "facilitator", "kind": "adjust", "track": name, "value": value,
                                  "actor": actor, "reason": "test"})
    return state


def _sign_ceiling(seed: int, verification: int, cap: float = 1550, setup=None):
    """US and Russia sign the strategic ceiling in round 2 (its agenda round), with these terms."""
    state = GAME.start(seed)
    if setup:
        state = setup(state)
    state = _until(state, 2, Phase.PROPOSE)
    state, _ = GAME.apply(state, propose("us", offer("strategic_limits", ["us", "russia"], cap=cap,
                                                     verification=verification)))
    for seat in ("china", "russia"):
        state, _ = GAME.apply(state, propose(seat))
    (proposal,) = state.proposals
    state, _ = GAME.apply(state, respond("russia", **{f"p{proposal.id}": "accept"}))
    state = _until(state, 2, Phase.DECIDE)
    assert [a.template for a in state.agreements if a.template == "strategic_limits"] == ["strategic_limits"]
    return state


def _breaches(entries, template: str) -> list[events.BreachFound]:
    return [e.event for e in entries if isinstance(e.event, events.BreachFound) and e.event.template == template]


def _russia_uploads(state):
    """Russia (1,474 deployed) uploads 100 warheads under a 1,550 ceiling; the others do nothing."""
    entries = []
    for seat in sorted(GAME.awaiting(state)):
        state, new = GAME.apply(state, decide(seat, "hedge_strategic") if seat == "russia" else decide(seat))
        entries.extend(new)
    return state, entries


# --- 1. Verification: the means agreed set how often a breach is noticed -------------------------------

def _detected(verification: int, seeds: range) -> int:
    caught = 0
    for seed in seeds:
        state, entries = _russia_uploads(_sign_ceiling(seed, verification))
        (breach,) = _breaches(entries, "strategic_limits")
        assert breach.actor == "russia"
        caught += breach.detected
    return caught


def test_on_site_inspections_catch_a_breach_far_more_often_than_national_technical_means():
    seeds = range(120)
    ntm, exchanges, inspections = (_detected(v, seeds) for v in (NTM, DATA_EXCHANGE, INSPECTIONS))
    # Paired seeds: the same draw decides each breach in every arm, so stronger means only add.
    assert ntm < exchanges < inspections
    # Russia's opacity 35: about 25%, 50% and 75% of breaches noticed.
    assert (inspections - ntm) / len(seeds) >= 0.35, (ntm, exchanges, inspections)


def test_fog_hides_a_breach_and_data_exchanges_narrow_it():
    seeds = range(120)
    foggy = _detected(DATA_EXCHANGE, seeds)
    opaque = 0
    for seed in seeds:
        state = _sign_ceiling(seed, DATA_EXCHANGE, setup=lambda s: _adjust(s, "opacity", 100, "russia"))
        state, entries = _russia_uploads(state)
        opaque += _breaches(entries, "strategic_limits")[0].detected
    assert foggy - opaque >= 0.15 * len(seeds), (foggy, opaque)
    # Signing a data exchange narrows a party's fog; verification by inspection narrows it more.
    start = GAME.start(0)
    assert track(GAME, _sign_ceiling(0, INSPECTIONS), "opacity.russia") < track(GAME, _sign_ceiling(0, NTM), "opacity.russia")
    assert track(GAME, _sign_ceiling(0, NTM), "opacity.russia") == track(GAME, start, "opacity.russia")


def test_china_accepts_on_site_inspections_only_when_more_ready():
    template = GAME.template("strategic_limits")
    assert {p.id for p in template.parameters} == {"cap", "verification"}
    for system in ("strategic", "nonstrategic", "missile_defence", "space", "testing", "command_control", "novel"):
        limits = GAME.template(f"{system}_limits")
        assert "verification" in {p.id for p in limits.parameters}, system
        assert "param.verification" in limits.breach.detection.names, system
    state = _adjust(GAME.start(0), "china_readiness", 55)
    state = _until(state, 3, Phase.PROPOSE)  # round 3: non-strategic weapons
    parties = ["us", "russia", "china"]
    with_inspections = offer("nonstrategic_limits", parties, verification=INSPECTIONS)
    try:
        GAME.apply(state, propose("china", with_inspections))
        raise AssertionError("China proposed on-site inspections at readiness 55")
    except IllegalInput:
        pass
    GAME.apply(state, propose("china", offer("nonstrategic_limits", parties, verification=DATA_EXCHANGE)))
    GAME.apply(_adjust(state, "china_readiness", 60), propose("china", with_inspections))


# --- 2. The strategic ceiling binds deployed warheads --------------------------------------------------

def test_the_ceiling_binds_the_deployed_warheads_track():
    start = GAME.start(0)
    assert track(GAME, start, "deployed_warheads.us") == 1419
    assert track(GAME, start, "deployed_warheads.russia") == 1474
    # Uploading under the ceiling is no breach; the upload that takes a party above it is one.
    state = _sign_ceiling(0, DATA_EXCHANGE, cap=1600)
    state, entries = _russia_uploads(state)
    assert track(GAME, state, "deployed_warheads.russia") == 1574
    assert _breaches(entries, "strategic_limits") == []
    state = _until(state, 3, Phase.DECIDE)
    state, entries = _russia_uploads(state)
    assert track(GAME, state, "deployed_warheads.russia") == 1674
    assert [b.actor for b in _breaches(entries, "strategic_limits")] == ["russia"]


def test_the_menu_warns_only_of_the_upload_that_would_exceed_the_ceiling():
    def hedge(state, seat):
        (option,) = [m for m in GAME.options(state, seat).moves if m.id == "hedge_strategic"]
        return option.breaches

    state = _sign_ceiling(0, DATA_EXCHANGE, cap=1550)
    assert hedge(state, "russia") == ("strategic_limits",)  # 1,474 + 100 > 1,550
    assert hedge(state, "us") == ()                          # 1,419 + 100 <= 1,550
    assert hedge(state, "china") == ()                       # not a party


def test_a_party_above_the_ceiling_cannot_sign_it():
    state = GAME.start(0)
    state = _until(state, 1, Phase.DECIDE)
    for seat in sorted(GAME.awaiting(state)):
        state, _ = GAME.apply(state, decide(seat, "hedge_strategic") if seat == "russia" else decide(seat))
    state = _until(state, 2, Phase.PROPOSE)
    assert track(GAME, state, "deployed_warheads.russia") == 1574
    try:
        GAME.apply(state, propose("russia", offer("strategic_limits", ["us", "russia"], cap=1550)))
        raise AssertionError("Russia proposed a ceiling it is already above")
    except IllegalInput as error:
        assert "breach" in str(error)
    GAME.apply(state, propose("russia", offer("strategic_limits", ["us", "russia"], cap=1600)))


# --- 3. Russia's link between limits and missile defence ------------------------------------------------

def _russia_may_accept_ceiling(interceptors_us: float, defence_limited: bool = False) -> bool:
    state = _adjust(GAME.start(0), "interceptors", interceptors_us, "us")
    state = _until(state, 2, Phase.PROPOSE)
    state, _ = GAME.apply(state, propose("us", offer("strategic_limits", ["us", "russia"], cap=1550)))
    for seat in ("china", "russia"):
        state, _ = GAME.apply(state, propose(seat))
    if defence_limited:
        limit = Agreement(99, "missile_defence_limits", ("us", "russia"), {"verification": 1}, 1, None)
        state = attrs.evolve(state, agreements=(*state.agreements, limit))
    (answer,) = GAME.options(state, "russia").to_answer
    return answer.can_accept


def test_russia_refuses_a_ceiling_while_the_us_shield_grows_unless_defences_are_limited():
    assert _russia_may_accept_ceiling(20)
    assert _russia_may_accept_ceiling(30)
    assert not _russia_may_accept_ceiling(40)
    assert _russia_may_accept_ceiling(40, defence_limited=True)
    template = GAME.template("strategic_limits")
    assert "interceptors.us" in template.accept_requires.names
    sources = {s.id: s for s in SCENARIO.sources}
    assert {"russia-md-2010", "putin-2025"} <= set(sources)
    assert "UNVERIFIED" in sources["russia-md-2010"].note


def test_a_growing_shield_erodes_russias_trust_while_the_ceiling_holds():
    def trust_after(interceptors_us):
        state = _sign_ceiling(0, DATA_EXCHANGE, cap=2000)
        state = _adjust(state, "interceptors", interceptors_us, "us")
        before = track(GAME, state, "trust.russia.us")
        state = _until(state, 3, Phase.PROPOSE)
        return track(GAME, state, "trust.russia.us") - before

    assert trust_after(40) <= trust_after(20) - 3


# --- 4. Cyber operations against nuclear command and control --------------------------------------------

def test_cyber_is_a_system_with_a_secret_move_a_risk_and_a_talks_item():
    assert "cyber" in {s.id for s in SCENARIO.systems}
    assert [item.systems for item in SCENARIO.agenda if item.turn == 8] == [("cyber",)]
    move = GAME.moves["hedge_cyber"]
    assert move.system == "cyber" and move.secret and move.source == "acton-2020"
    statement = GAME.template("cyber_statement")
    assert statement.system == "cyber" and statement.source == "acton-2020"
    assert "cyber" in {f.id for f in SCENARIO.risk.factors}
    # The move raises its own footholds (seen by no one else) and the risk everyone reads.
    state = _until(GAME.start(3), 1, Phase.DECIDE)
    for seat in sorted(GAME.awaiting(state)):
        state, _ = GAME.apply(state, decide(seat, "hedge_cyber") if seat == "us" else decide(seat))
    state = _until(state, 2, Phase.PROPOSE)  # the round's assessment (after any crisis it started)
    assert track(GAME, state, "nc3_intrusion.us") > 0
    assert not any(e.event.actor == "us" and getattr(e.event, "move", None) == "hedge_cyber"
                   for e in GAME.view(state, "russia").log if isinstance(e.event, events.MovePlayed))
    (cyber_factor,) = [a.factors["cyber"] for a in state.assessments if a.turn == 1]
    assert cyber_factor > 0


def test_cyber_footholds_make_risk_higher_over_paired_seeds():
    def risk_after_round_one(us_move):
        total = 0.0
        for seed in range(20):
            state = _until(GAME.start(seed), 1, Phase.DECIDE)
            for seat in sorted(GAME.awaiting(state)):
                state, _ = GAME.apply(state, decide(seat, us_move) if seat == "us" and us_move else decide(seat))
            state = _until(state, 2, Phase.PROPOSE)
            total += [a.risk for a in state.assessments if a.turn == 1][0]
        return total / 20

    assert risk_after_round_one("hedge_cyber") >= risk_after_round_one(None) + 1.0


def test_unverified_figures_say_so_where_players_read_them():
    (warheads,) = [t for t in SCENARIO.tracks if t.id == "deployed_warheads"]
    assert "UNVERIFIED" in warheads.description.get("en")
    assert "未经核实" in warheads.description.get("zh")
    for new in ("cyber_statement", "cyber_notify", "cyber_limits"):
        template = GAME.template(new)
        assert {"en", "zh"} <= set(template.label.values), new


# --- The engine rule behind the ceiling's warning (any scenario) -----------------------------------------

def test_a_move_that_would_meet_a_breach_condition_is_flagged_to_the_mover_only_then():
    """A breach `when` (not only `moves`) flags, in a party's menu, each move after which the condition
    would hold for it: the rules fixture's cap with no breach moves, Red at the limit, Blue under it."""
    from helpers import apply_all, rules_game, skip_talks

    game = rules_game({"      moves: [build]\n      when:": "      moves: []\n      when:"})
    state = game.start(1)
    while state.phase is not Phase.PROPOSE:
        seat = sorted(game.awaiting(state))[0]
        state, _ = game.apply(state, {"seat": seat, "kind": "crisis", "choice": "back_down"})
    state = apply_all(game, state, propose("red", offer("cap", ["red", "blue"], limit=1000)), propose("blue"))
    (proposal,) = state.proposals
    state = skip_talks(game, apply_all(game, state, respond("blue", **{f"p{proposal.id}": "accept"})))
    assert state.phase is Phase.DECIDE and [a.template for a in state.agreements] == ["cap"]

    def flagged(seat):
        return {m.id: m.breaches for m in game.options(state, seat).moves}

    assert flagged("red")["build"] == ("cap",)    # 1,000 + 100 > 1,000
    assert flagged("blue")["build"] == ()         # 800 + 100 <= 1,000
    assert flagged("red")["hide"] == ()           # reads no track of the condition
    # ... and what the menu says is what resolution finds.
    state = apply_all(game, state, decide("red", "build"), decide("blue", "build"))
    found = [e.event.actor for e in state.log if isinstance(e.event, events.BreachFound)]
    assert found == ["red"]
