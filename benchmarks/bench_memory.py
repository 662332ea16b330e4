"""Peak memory of `midnight simulate` as a batch grows: does it hold every game's result?

Runs `midnight simulate SCENARIO --runs N --out FILE.csv --json` once per N, each in a fresh
process, and prints that process's peak resident set size (the command's own process: its workers
hold one chunk each and do not grow), the peak of its worker processes, the wall time and the
CPU time per game of the whole run (the command and its workers), and the growth per game
between the smallest and largest N. With `--code DIR` the command of another checkout runs (say a
`git worktree` of an older commit), so before and after are measured on the same scenario file:

    uv run python benchmarks/bench_memory.py --runs 10000 30000 --jobs 2
    uv run python benchmarks/bench_memory.py --runs 10000 30000 --jobs 2 --code /tmp/old-checkout

It takes as long as the games: about 36 ms of CPU each with trilateral-2026's own bots.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Runs in the child: the command line in-process, then its own and its children's peak RSS (Linux: KiB).
CHILD = """
import json, resource, sys, time
from midnight.cli import main
started = time.process_time()
status = main(sys.argv[1:])
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"status": status, "rss_kib": me.ru_maxrss, "workers_rss_kib": kids.ru_maxrss,
                  "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime}), file=sys.stderr)
"""


def measure(code: str, scenario: str, runs: int, jobs: int, extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "games.csv")
        argv = [sys.executable, "-c", CHILD, "simulate", scenario, "--runs", str(runs), "--jobs", str(jobs),
                "--out", out, "--json", "--no-progress", *extra]
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=code, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        lines = [line for line in done.stderr.splitlines() if line.startswith("{")]
        if not lines:
            raise SystemExit(f"the run failed:\n{done.stderr[-2000:]}")
        figures = json.loads(lines[-1])
        figures.update(runs=runs, wall_s=wall, csv_bytes=os.path.getsize(out) if os.path.exists(out) else 0)
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[10_000, 30_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--scenario", default=os.path.join(HERE, "scenarios", "trilateral-2026.yaml"),
                        help="a scenario file (a fixed copy, so two checkouts play the same games)")
    parser.add_argument("--code", default=HERE, help="the checkout whose `midnight` runs (default: this one)")
    parser.add_argument("extra", nargs="*", help="more `simulate` options after --, e.g. -- --cluster local")
    args = parser.parse_args()
    scenario = os.path.abspath(args.scenario)
    print(f"code {args.code}, scenario {scenario}, --jobs {args.jobs} {' '.join(args.extra)}")
    rows = []
    for runs in args.runs:
        figures = measure(args.code, scenario, runs, args.jobs, args.extra)
        rows.append(figures)
        print(f"{runs:>9,} games: peak RSS {figures['rss_kib'] / 1024:7.1f} MiB "
              f"(workers {figures['workers_rss_kib'] / 1024:6.1f} MiB)"
              f"  wall {figures['wall_s']:7.1f} s  CPU {1000 * figures['cpu_s'] / runs:5.1f} ms a game"
              f"  exit {figures['status']}", flush=True)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = (last["rss_kib"] - first["rss_kib"]) * 1024 / (last["runs"] - first["runs"])
        print(f"growth: {growth:,.0f} bytes of peak RSS per game ({first['runs']:,} -> {last['runs']:,} games)")


if __name__ == "__main__":
    main()
