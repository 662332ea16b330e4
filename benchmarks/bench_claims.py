"""The article's claims with their direct terms removed (the ablation of issue 14), at full size.

For each claim of tests/test_claims.py this plays the claim's two arms (A and B, the same seeds)
on a VARIANT of trilateral-2026 in which the scenario's own risk terms for that claim are set to
0, and prints the paired difference A - B of the claim's measure with its 95% interval. If the
interval stays on the claim's side of 0, the claim holds through the rest of the model (the
first-strike stability core, tension, crises, agreements); if it does not, the claim is the direct
term's doing, and the facilitator page says so.

    uv run python benchmarks/bench_claims.py                      # 1,000 games per arm, every claim
    uv run python benchmarks/bench_claims.py --games 200 --claims shield,totals_vs_survivability
    uv run python benchmarks/bench_claims.py --jobs 2 --markdown  # a table for docs/scenarios/trilateral-2026.md

The test suite (tests/test_claims.py, `-m slow`) checks the same claims on fewer games with a
stated margin; this script is the full-size measurement. About 10 ms of CPU per game and arm on
this scenario's bots: 1,000 paired games of one claim take a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import load_game  # noqa: E402
from engine.play.loop import play_out  # noqa: E402
from tests import test_claims as claims  # noqa: E402

SCENARIO = ROOT / "scenarios" / "trilateral-2026.yaml"

# claim -> (the risk factors set to 0 in the variant, what else is removed, the measures to report:
# (key, label, the sign the claim predicts for A - B)).
ABLATIONS: dict[str, tuple[tuple[str, ...], str, tuple[tuple[str, str, int], ...]]] = {
    "totals_vs_survivability": (
        (), "none left: 'vulnerable forces' went in 1.2; the core carries it",
        (("factor.first_strike", "first-strike factor, mean per quarter", 1),
         ("risk", "risk, mean per quarter", 1),
         ("security.china", "China's final security", -1))),
    "shield": (
        (), "none left: 'the shield' went in 1.2, its cuts to survivability and security in 1.3",
        (("factor.first_strike", "first-strike factor, mean per quarter", 1),
         ("risk", "risk, mean per quarter", 1))),
    "testing": (
        ("testing",), "the risk factor 'the test ban erodes'",
        (("rival_tested", "share of games where Russia or China tests", 1),
         ("risk", "risk, mean per quarter", 1))),
    "tactical": (
        ("tactical",), "the risk factor 'tactical weapons forward' and the crisis rules that read the posture",
        (("crises_to_clash", "crises reaching a clash or worse, per game", 1),
         ("risk", "risk, mean per quarter", 1))),
    "allies": (
        ("proliferation",), "the risk factor 'more nuclear states'",
        (("nuclear_states", "nuclear-armed states, final", 1),
         ("risk", "risk, mean per quarter", 1))),
    "agreements": (
        ("no_arms_control", "dictum"), "the risk factors 'no arms control' and 'the dictum'",
        (("risk", "risk, mean per quarter", -1),
         ("clock", "final seconds to midnight", 1))),
    "dictum": (
        ("dictum",), "the risk factor 'the dictum restated'",
        (("risk", "risk, mean per quarter", -1),
         ("clock", "final seconds to midnight", 1))),
}


def variant(claim: str, directory: Path) -> Path:
    """The scenario with `claim`'s direct terms removed, written to `directory`."""
    data = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    zeroed, _, _ = ABLATIONS[claim]
    for factor in data["risk"]["factors"]:
        if factor["id"] in zeroed:
            factor["value"] = "0"
    if claim == "tactical":
        # Non-strategic weapons' own crisis rules: the extra rung and the ratchet of holding.
        data["crisis"]["climb"] = "min(2, lowest('survivability') < 25 ? 1 : 0)"
        data["crisis"]["rules"] = [r for r in data["crisis"]["rules"] if "nsnw_posture" not in r["when"]]
    path = directory / f"trilateral-2026-without-{claim}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


_GAME = None


def _load(path: str) -> None:
    global _GAME
    _GAME = load_game(path)


def _play(job) -> dict[str, float]:
    seed, steering = job
    game = _GAME
    state, history = play_out(game, game.start(seed), dict(steering))
    return claims._metrics(game, state, history)


def measure(claim: str, games: int, jobs: int, directory: Path) -> tuple[list, list]:
    path = variant(claim, directory)
    arm_a, arm_b = claims.ARMS[claim]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs, initializer=_load, initargs=(str(path),)) as pool:
        a = pool.map(_play, [(seed, arm_a) for seed in range(games)], chunksize=8)
        b = pool.map(_play, [(seed, arm_b) for seed in range(games)], chunksize=8)
    return a, b


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=1000, help="paired games per arm (default 1000)")
    parser.add_argument("--claims", default=",".join(ABLATIONS), help="comma-separated claims (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    chosen = [c.strip() for c in args.claims.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in ABLATIONS]
    if unknown or args.games < 2 or args.jobs < 1:
        print(f"bench_claims: unknown claims {unknown} (known: {', '.join(ABLATIONS)}), or --games < 2, "
              "or --jobs < 1", file=sys.stderr)
        return 1
    if args.markdown:
        print("| claim | removed | measure | A | B | A − B (95% interval) | holds | games per arm |")
        print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for claim in chosen:
            started = time.process_time(), time.perf_counter()
            a, b = measure(claim, args.games, args.jobs, Path(tmp))
            _, removed, measures = ABLATIONS[claim]
            for key, label, sign in measures:
                diff, half = claims.paired(a, b, key)
                low, high = diff - half, diff + half
                holds = low > 0 if sign > 0 else high < 0
                verdict = "holds" if holds else "does not hold"
                if args.markdown:
                    print(f"| {claim} | {removed} | {label} | {claims.mean(a, key):.2f} | {claims.mean(b, key):.2f} | "
                          f"{diff:+.2f} ({low:+.2f} to {high:+.2f}) | {verdict} | {args.games} |")
                else:
                    print(f"{claim:24s} {label:45s} A {claims.mean(a, key):8.2f}  B {claims.mean(b, key):8.2f}  "
                          f"A-B {diff:+8.2f} (95% {low:+.2f} to {high:+.2f})  {verdict}")
            if not args.markdown:
                print(f"{'':24s} removed: {removed}; {args.games} games per arm, "
                      f"{time.perf_counter() - started[1]:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
