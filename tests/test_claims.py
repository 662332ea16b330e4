"""The article's claims, felt in play: measured over many seeded bot games of trilateral-2026.

Each claim compares two ARMS over the same seeds: the scenario's own bots play every seat, and a
small wrapper forces or forbids a few moves or answers for some seats (e.g. "the US deploys the
Golden Dome" against "the US never funds it"). Every test states its margin.

"Survivability, not totals" and "a shield can raise risk" have no risk term of their own any more:
the scenario's risk of nuclear use reads the first-strike stability core (factor `first_strike`,
engine/rules/stability.py), and their tests are the ablation the issue asks for — with the direct
terms removed, the claims must hold through the core, with the lower end of the 95% interval of
the paired difference above the stated margin.

Run as a script for the facilitator's table (docs/scenarios/trilateral-2026.md):

    uv run python tests/test_claims.py --games 400

The full-size ablation of every claim (its direct risk terms set to 0, 1,000 paired games per arm)
is benchmarks/bench_claims.py, which reuses the arms and measures defined here.
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import statistics
import sys
from collections.abc import Mapping

import attrs
import pytest

from engine import load_game
from engine.bots import BotContext, bot_for
from engine.play.loop import play_out
from engine.rules.events import AgreementSigned, CrisisRungReached, CrisisStarted

SCENARIO = "trilateral-2026"
GAMES = 110  # per arm in the test run (about 50 s on two cores); the docs' table uses --games 400

# Many bot games per claim: not in the default run; `uv run pytest -m slow` (and .ci/run) runs them.
pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------------- controllers
@attrs.frozen
class Steer:
    """Wraps a seat's own bot: plays `force` moves first (when available and affordable), never
    plays `forbid` moves, proposes `propose` templates to everyone, accepts `accept` templates it
    can accept and rejects `reject` templates ("*" = every template)."""

    force: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    turns: tuple[int, int] = (1, 99)
    propose: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    no_proposals: bool = False

    def act(self, game, state, seat):
        config = game.actor(seat).bot
        options = game.options(state, seat)
        context = BotContext(game, game.view(state, seat), options, state.seed, state.step)
        value, reason = bot_for(config.persona, dict(config.weights)).act(context)
        kind = value["kind"]
        on = self.turns[0] <= state.turn <= self.turns[1]
        if kind == "decide":
            return self._decide(options, seat, value["moves"], on), reason + " [steered]"
        if kind == "propose":
            return self._propose(options, state, seat, value["offers"]), reason + " [steered]"
        if kind == "respond":
            return self._respond(options, seat, value["replies"]), reason + " [steered]"
        return value, reason

    def _decide(self, options, seat, chosen, on):
        moves = {m.id: m for m in options.moves if m.available}
        budget = options.budget if options.budget is not None else float("inf")
        wanted = [m for m in self.force if on] + [m for m in chosen if m not in self.force]
        picked, spent = [], 0.0
        for move_id in wanted:
            move = moves.get(move_id)
            if move is None or move_id in self.forbid or move_id in picked:
                continue
            if len(picked) >= options.max_moves or spent + move.cost > budget + 1e-9:
                continue
            picked.append(move_id)
            spent += move.cost
        return {"seat": seat, "kind": "decide", "moves": picked}

    def _propose(self, options, state, seat, offers):
        if self.no_proposals:
            return {"seat": seat, "kind": "propose", "offers": []}
        available = {t.id: t for t in options.templates if t.available}
        in_force = {(a.template, frozenset(a.parties)) for a in state.agreements}
        mine = []
        for template_id in self.propose:
            template = available.get(template_id)
            if template is None:
                continue
            parties = list(template.eligible_parties)
            if seat in parties and (template_id, frozenset(parties)) not in in_force:
                mine.append({"template": template_id, "parties": parties,
                             "params": {p.id: p.default for p in template.parameters}})
        kept = [o for o in offers if o["template"] not in self.reject and self.reject != ("*",)]
        merged = (mine + [o for o in kept if o["template"] not in self.propose])[: options.max_proposals]
        return {"seat": seat, "kind": "propose", "offers": merged}

    def _respond(self, options, seat, replies):
        can = {o.proposal.id: (o.proposal.template, o.can_accept) for o in options.to_answer}
        out = []
        for reply in replies:
            template, can_accept = can.get(reply["proposal"], ("", False))
            if template in self.reject or self.reject == ("*",):
                reply = {"proposal": reply["proposal"], "answer": "reject"}
            elif (template in self.accept or self.accept == ("*",)) and can_accept:
                reply = {"proposal": reply["proposal"], "answer": "accept"}
            out.append(reply)
        return {"seat": seat, "kind": "respond", "replies": out}


# ------------------------------------------------------------------------------------ measuring
@functools.lru_cache(maxsize=1)
def _game():
    return load_game(SCENARIO)


def _track(game, state, track, actor=None):
    return state.tracks[game.layout.slot(track, actor)]


def _crises(state):
    """Each crisis of a game as its peak rung. A turn has at most one crisis (a second incident
    draws its parties into the running one), so the log's crisis entries group by turn."""
    peaks: dict[int, int] = {}
    for entry in state.log:
        if isinstance(entry.event, CrisisStarted | CrisisRungReached):
            peaks[entry.turn] = max(peaks.get(entry.turn, 0), entry.event.rung)
    return list(peaks.values())


TESTS = ("nuclear_test", "answer_test")


def _metrics(game, state, history) -> dict[str, float]:
    moves = [(p.input["seat"], m) for p in history if p.input.get("kind") == "decide" for m in p.input["moves"]]
    risks = [a.risk for a in state.assessments] or [0.0]
    peaks = _crises(state)
    out = {
        "clock": state.clock,
        "catastrophe": float(state.outcome.catastrophe),
        "nuclear_use": float(state.outcome.termination.value == "nuclear_use"),
        "risk": statistics.mean(risks),
        "agreements_signed": float(sum(1 for e in state.log if isinstance(e.event, AgreementSigned))),
        "counter_space": float(sum(1 for s, m in moves if s != "us" and m in ("asat_test", "space_nuke"))),
        "rival_tests": float(sum(1 for s, m in moves if s != "us" and m in TESTS)),
        "rival_tested": float(any(s != "us" and m in TESTS for s, m in moves)),
        "testing_norm": _track(game, state, "testing_norm"),
        "nuclear_states": _track(game, state, "nuclear_states"),
        "ally_confidence": _track(game, state, "ally_confidence"),
        "crises": float(len(peaks)),
        "crisis_peak_sum": float(sum(peaks)),
        "crises_to_clash": float(sum(1 for p in peaks if p >= 3)),
        "crises_to_alert": float(sum(1 for p in peaks if p >= 2)),
    }
    for actor in game.seats:
        out[f"security.{actor}"] = _track(game, state, "security", actor)
        out[f"deployed.{actor}"] = _track(game, state, "deployed", actor)
        out[f"strategic.{actor}"] = _track(game, state, "strategic", actor)
        out[f"stockpile.{actor}"] = _track(game, state, "stockpile", actor)
        out[f"survivability.{actor}"] = _track(game, state, "survivability", actor)
    for factor in ("first_strike", "proliferation", "space"):
        factors = [a.factors.get(factor, 0.0) for a in state.assessments]
        out[f"factor.{factor}"] = statistics.mean(factors) if factors else 0.0
    return out


def _play(args) -> dict[str, float]:
    seed, steering = args
    game = _game()
    controllers = {seat: steer for seat, steer in steering.items()}
    state, history = play_out(game, game.start(seed), controllers)
    return _metrics(game, state, history)


def run_arm(steering: Mapping[str, Steer], games: int = GAMES, pool=None) -> list[dict[str, float]]:
    jobs = [(seed, dict(steering)) for seed in range(games)]
    if pool is not None:
        return pool.map(_play, jobs, chunksize=8)
    return [_play(job) for job in jobs]


def mean(rows, key) -> float:
    return statistics.mean(r[key] for r in rows)


def paired(a_rows, b_rows, key) -> tuple[float, float]:
    """The mean of A - B over the same seeds, and the half-width of its 95% interval (normal
    approximation over the games' paired differences)."""
    diffs = [a[key] - b[key] for a, b in zip(a_rows, b_rows, strict=True)]
    if len(diffs) < 2:
        return statistics.mean(diffs), math.inf
    return statistics.mean(diffs), 1.96 * statistics.stdev(diffs) / math.sqrt(len(diffs))


# ------------------------------------------------------------------------------------ the claims
SURVIVABILITY_MOVES = ("mobile_icbm", "ssbn_patrols", "harden_c2", "resilient_satellites", "build_ssbn",
                       "novel_systems", "automate_warning", "regional_defence")
# Matching totals: uploads, silos and bombers from storage, and production beyond the programme of
# record (the only way the stockpile grows faster than ~100 a year).
BUILDUP_MOVES = ("upload_icbm", "fill_silos", "bomber_upload", "surge_production")

ARMS: dict[str, tuple[dict, dict]] = {
    # China either matches totals (uploads and silos, no survivability) or makes its force survivable.
    "totals_vs_survivability": (
        {"china": Steer(force=BUILDUP_MOVES, forbid=SURVIVABILITY_MOVES)},
        {"china": Steer(force=SURVIVABILITY_MOVES[:3], forbid=BUILDUP_MOVES)},
    ),
    # The US funds and deploys the Golden Dome, or never does.
    "shield": (
        {"us": Steer(force=("dome_deploy", "dome_research"))},
        {"us": Steer(forbid=("dome_deploy", "dome_research"))},
    ),
    # The US resumes testing in its second quarter, or never tests.
    "testing": (
        {"us": Steer(force=("nuclear_test",), turns=(2, 2))},
        {"us": Steer(forbid=("nuclear_test",))},
    ),
    # All three push tactical weapons forward in the first three quarters, or pull them back.
    "tactical": (
        {s: Steer(force=("nsnw_forward",), turns=(1, 3), forbid=("nsnw_withdraw",)) for s in ("us", "russia", "china")},
        {
            s: Steer(force=("nsnw_withdraw",), turns=(1, 3), forbid=("nsnw_forward", "nuclear_exercise"))
            for s in ("us", "russia", "china")
        },
    ),
    # The US humiliates its allies every quarter, or reassures them.
    "allies": (
        {"us": Steer(force=("burden_shift",), forbid=("reassure_allies",))},
        {"us": Steer(force=("reassure_allies",), forbid=("burden_shift",))},
    ),
    # Everyone accepts every agreement it can, or nobody signs anything.
    "agreements": (
        {s: Steer(accept=("*",)) for s in ("us", "russia", "china")},
        {s: Steer(reject=("*",), no_proposals=True) for s in ("us", "russia", "china")},
    ),
    # The US opens by proposing the dictum and the others accept; or all refuse the dictum.
    "dictum": (
        {"us": Steer(propose=("dictum",), accept=("dictum",)), "russia": Steer(accept=("dictum",)),
         "china": Steer(accept=("dictum",))},
        {s: Steer(reject=("dictum",)) for s in ("us", "russia", "china")},
    ),
}


@functools.cache
def measured(claim: str, games: int = GAMES) -> tuple[list, list]:
    a, b = ARMS[claim]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        return run_arm(a, games, pool), run_arm(b, games, pool)


def test_security_follows_survivability_not_totals():
    totals, survivable = measured("totals_vs_survivability")
    # Matching totals gives China more warheads (assigned to launchers, and in its stockpile) ...
    assert mean(totals, "strategic.china") > mean(survivable, "strategic.china") + 300
    assert mean(totals, "stockpile.china") > mean(survivable, "stockpile.china") + 200
    # ... but less security than making its force survivable, by at least 8 points.
    assert mean(survivable, "security.china") >= mean(totals, "security.china") + 6
    # Low survivability is itself a risk, through the first-strike stability core alone (the direct
    # 'vulnerability' term is gone): matching totals with a less survivable force leaves a rival more
    # to gain by striking first. Measured +1.1 per quarter (110 games); the 95% interval above 0.
    diff, half = paired(totals, survivable, "factor.first_strike")
    assert diff - half > 0, (diff, half)
    # Since 1.3 (survivability erodes unless it is paid for) it shows in the risk itself: a China
    # that matches totals instead leaves a riskier world. Measured +7.7 per quarter (1,000 games,
    # 7.4 to 7.9: benchmarks/bench_claims.py); the 95% interval above +3.
    diff, half = paired(totals, survivable, "risk")
    assert diff - half >= 3, (diff, half)


def test_missile_shield_raises_rivals_risk_and_counter_space_moves():
    dome, none = measured("shield")
    assert mean(dome, "risk") >= mean(none, "risk") + 5
    assert mean(dome, "counter_space") >= 2 * mean(none, "counter_space") + 0.5
    # The shield raises risk through the first-strike stability core (the direct 'shield' term is
    # gone): a defence against a ragged retaliation makes the US's first strike cheaper for it, and
    # its rivals' pairs less stable. Since 1.3 the dome no longer also cuts rivals' survivability (that
    # counted it twice): measured +2.4 per quarter (1,000 games, 2.34 to 2.43: benchmarks/bench_claims.py;
    # 1.2 had +4.1 with the double count); the 95% interval above +1.5.
    diff, half = paired(dome, none, "factor.first_strike")
    assert diff - half >= 1.5, (diff, half)


def test_one_states_test_makes_others_testing_likelier_and_the_norm_weaker():
    tested, never = measured("testing")
    assert mean(tested, "rival_tested") >= mean(never, "rival_tested") + 0.5
    assert mean(tested, "testing_norm") <= mean(never, "testing_norm") - 10


def test_tactical_weapons_make_crises_climb_faster():
    forward, storage = measured("tactical")
    crises_f = sum(r["crises"] for r in forward)
    crises_s = sum(r["crises"] for r in storage)
    assert crises_f > 100 and crises_s > 100
    # the share of crises that reach a conventional clash or worse at least 1.5 times as high
    share_f = sum(r["crises_to_clash"] for r in forward) / crises_f
    share_s = sum(r["crises_to_clash"] for r in storage) / crises_s
    assert share_f >= 1.5 * share_s and share_f >= share_s + 0.05
    # ... and forces on alert or worse at least 1.4 times as often
    alert_f = sum(r["crises_to_alert"] for r in forward) / crises_f
    alert_s = sum(r["crises_to_alert"] for r in storage) / crises_s
    assert alert_f >= 1.4 * alert_s
    assert mean(forward, "nuclear_use") >= mean(storage, "nuclear_use")


def test_allies_losing_confidence_bring_more_nuclear_states_and_more_risk():
    humiliated, reassured = measured("allies")
    assert mean(humiliated, "nuclear_states") >= mean(reassured, "nuclear_states") + 2
    assert mean(humiliated, "factor.proliferation") >= mean(reassured, "factor.proliferation") + 5
    assert mean(humiliated, "risk") >= mean(reassured, "risk") + 4


def test_agreements_lower_risk_and_move_the_clock_back():
    agree, refuse = measured("agreements")
    assert mean(agree, "agreements_signed") >= mean(refuse, "agreements_signed") + 3
    assert mean(agree, "risk") <= mean(refuse, "risk") - 10
    assert mean(agree, "clock") >= mean(refuse, "clock") + 60
    assert mean(agree, "catastrophe") <= mean(refuse, "catastrophe")


def test_restating_the_dictum_ends_games_farther_from_midnight():
    dictum, refused = measured("dictum")
    assert mean(dictum, "clock") >= mean(refused, "clock") + 20
    assert mean(dictum, "risk") <= mean(refused, "risk") - 2


# ------------------------------------------------------------------------------ the docs' table
ROWS = [
    ("Security follows survivability, not totals (China's final security)", "totals_vs_survivability",
     "match totals", "make survivable", "security.china", "{:.1f}"),
    ("... while matching totals buys more warheads (China's assigned to strategic launchers)", "totals_vs_survivability",
     "match totals", "make survivable", "strategic.china", "{:.0f}"),
    ("... and a bigger stockpile (China's, final)", "totals_vs_survivability",
     "match totals", "make survivable", "stockpile.china", "{:.0f}"),
    ("... and leaves rivals more to gain by striking first (first-strike stability factor, mean per quarter)",
     "totals_vs_survivability", "match totals", "make survivable", "factor.first_strike", "{:.2f}"),
    ("Golden Dome raises risk (mean risk per quarter)", "shield", "US deploys", "US never funds", "risk", "{:.1f}"),
    ("... and rivals' counter-space moves (per game)", "shield", "US deploys", "US never funds", "counter_space", "{:.2f}"),
    ("... and Russia's answers to it (exotic systems, space weapons) raise its survivability (final)", "shield",
     "US deploys", "US never funds", "survivability.russia", "{:.1f}"),
    ("... through the first-strike stability core (its risk factor, mean per quarter)", "shield", "US deploys",
     "US never funds", "factor.first_strike", "{:.2f}"),
    ("A US test makes rivals test (share of games where Russia or China tests)", "testing", "US tests in Q2",
     "US never tests", "rival_tested", "{:.0%}"),
    ("... and weakens the test-ban norm (final)", "testing", "US tests in Q2", "US never tests", "testing_norm", "{:.1f}"),
    ("Allies humiliated → more nuclear states (final count)", "allies", "US humiliates", "US reassures",
     "nuclear_states", "{:.2f}"),
    ("... and more risk (mean risk per quarter)", "allies", "US humiliates", "US reassures", "risk", "{:.1f}"),
    ("Agreements lower risk (mean risk per quarter)", "agreements", "all accept", "none signed", "risk", "{:.1f}"),
    ("... and move the clock back (final seconds)", "agreements", "all accept", "none signed", "clock", "{:.1f}"),
    ("... catastrophe rate", "agreements", "all accept", "none signed", "catastrophe", "{:.0%}"),
    ("All three restate the dictum (final seconds)", "dictum", "dictum signed", "dictum refused", "clock", "{:.1f}"),
    ("... catastrophe rate", "dictum", "dictum signed", "dictum refused", "catastrophe", "{:.0%}"),
]


def table(games: int) -> str:
    lines = ["| claim | arm A | A | arm B | B | A − B (95% interval) | games per arm |", "|---|---|---|---|---|---|---|"]
    for label, claim, name_a, name_b, key, fmt in ROWS:
        a, b = measured(claim, games)
        diff, half = paired(a, b, key)
        interval = f"{fmt.format(diff)} ({fmt.format(diff - half)} to {fmt.format(diff + half)})"
        lines.append(f"| {label} | {name_a} | {fmt.format(mean(a, key))} | {name_b} | {fmt.format(mean(b, key))} | "
                     f"{interval} | {games} |")
    # Crises: share reaching a conventional clash or worse.
    a, b = measured("tactical", games)
    share = lambda rows: sum(r["crises_to_clash"] for r in rows) / max(1, sum(r["crises"] for r in rows))
    lines.append(f"| Tactical weapons forward → crises reaching a clash or worse (share of crises) | forward in Q1-3 | "
                 f"{share(a):.1%} | central storage | {share(b):.1%} | {share(a) - share(b):+.1%} | {games} |")
    diff, half = paired(a, b, "nuclear_use")
    lines.append(f"| ... nuclear use rate | forward in Q1-3 | {mean(a, 'nuclear_use'):.1%} | central storage | "
                 f"{mean(b, 'nuclear_use'):.1%} | {diff:.1%} ({diff - half:.1%} to {diff + half:.1%}) | {games} |")
    return "\n".join(lines)


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--games") + 1]) if "--games" in sys.argv else 400
    print(table(n))
