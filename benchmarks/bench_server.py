"""The table server under a room's load: one table, 3 team seats and 50 spectators on loopback.

    uv run python benchmarks/bench_server.py [--spectators 50] [--turns 20]

The server runs as `midnight serve` in its own process (so its memory is its own); the seats and
spectators are workshop.client connections in this process. Three programs play trilateral-2026
from the wire options alone; for each input, the latency is the time from sending it to the moment
every one of the 53 connections has received the state that holds it. Reported: median and 99th
percentile of that latency, and the server's resident memory (VmRSS, then its peak VmHWM).

Measured on the project's shared 2-core machine (load average about 3 from other work), 3 seats +
50 spectators, a whole 20-turn game (130 inputs), loopback:
    input -> every client: median 33 ms, p99 156 ms; server CPU 20.5 ms per input; server memory 41 MB
Latency is mostly waiting for a core on a loaded machine; the server's CPU per input is the figure
to compare between versions.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.client import TableClient  # noqa: E402


def choice(options: dict) -> dict:
    kind = options["kind"]
    if kind == "decide":
        moves = [m["id"] for m in options["moves"] if m["available"] and (m["cost"] or 0) <= (options.get("budget") or 0)]
        return {"kind": "decide", "moves": moves[:1]}
    if kind == "crisis":
        return {"kind": "crisis", "choice": "back_down"}
    return {"kind": kind, **({"offers": []} if kind == "propose" else {"replies": []})}


def memory(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system): a figure the machine's other load barely moves."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(record: Path) -> tuple[subprocess.Popen, str, dict[str, str]]:
    process = subprocess.Popen([sys.executable, "-m", "midnight", "serve", "trilateral-2026", "--seed", "1",
                                "--port", "0", "--record", str(record)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    address, codes = "", {}
    assert process.stdout is not None
    for line in process.stdout:
        words = line.split()
        if line.startswith("Address:"):
            address = words[1]
        for seat in ("us", "russia", "china"):
            if f"({seat})" in line:
                codes[seat] = words[words.index(f"({seat})") + 1]
        if line.strip().startswith("Spectators"):
            codes["spectator"] = words[1]
        if line.startswith("Stop with"):
            break
    return process, address, codes


async def measure(address: str, codes: dict[str, str], spectators: int, turns: int) -> list[float]:
    seats = {s: await TableClient.connect(address, codes[s]) for s in ("us", "russia", "china")}
    watchers = [await TableClient.connect(address, codes["spectator"]) for _ in range(spectators)]
    everyone = [*seats.values(), *watchers]
    latencies: list[float] = []
    while True:
        view = seats["us"].view
        if view["outcome"] is not None or view["turn"] > turns:
            break
        acted = False
        for client in seats.values():
            if not client.must_act:
                continue
            sent = time.monotonic()
            ack = await client.act(choice(client.options))  # type: ignore[arg-type]
            target = ack["inputs"]
            arrived = []
            for other in everyone:
                await other.wait_for(lambda s, n=target: s["table"]["inputs"] >= n, 60)
                index = next(i for i, m in enumerate(other.received)
                             if m.get("type") == "state" and m["table"]["inputs"] >= target)
                arrived.append(other.arrivals[index])
            latencies.append(max(arrived) - sent)
            acted = True
        if not acted:
            await seats["us"].next_state(60)
    for client in everyone:
        await client.close()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spectators", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, address, codes = start_server(Path(folder) / "bench.yaml")
        try:
            before = cpu_seconds(process.pid)
            latencies = asyncio.run(measure(address, codes, args.spectators, args.turns))
            cpu = cpu_seconds(process.pid) - before
            rss, peak = memory(process.pid)
        finally:
            process.terminate()
            process.wait(30)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    print(f"3 seats + {args.spectators} spectators, {len(latencies)} inputs: input -> every client "
          f"median {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms; "
          f"server CPU {cpu / max(1, len(latencies)) * 1000:.1f} ms per input (joins included); "
          f"server memory {rss:.0f} MB (peak {peak:.0f} MB)")
    print(f"load average while measuring: {Path('/proc/loadavg').read_text().split()[0]} "
          "(latency grows with the machine's other work; CPU per input barely does)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
