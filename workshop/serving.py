"""`midnight serve`: open a table, print who joins with which code, and run until stopped."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import signal
from collections.abc import Callable, Mapping
from pathlib import Path

from engine.play.table import HUMAN, Table, midnight_home
from engine.rules.state import FACILITATOR, SPECTATOR
from workshop.codes import Codes, codes_path
from workshop.server import TableServer


def default_record(scenario_id: str) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    return midnight_home() / "tables" / f"{scenario_id}-{stamp}.yaml"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def room_addresses() -> list[str]:
    """This computer's addresses on the room's network (what teams type), for a table listening on
    every interface: the one the default route uses first, then the host name's. No packet is sent."""
    import socket

    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))  # UDP connect: picks the outgoing interface, sends nothing
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    except OSError:
        pass
    return [a for a in dict.fromkeys(found) if not a.startswith("127.") and a != "0.0.0.0"]


def announcement(table: Table, codes: Codes, host: str, port: int, record: Path | None) -> str:
    """What `midnight serve` prints once: the address, each seat's code, the record."""
    lines = [f"Midnight table: {table.game.scenario.title.get(table.language)} (seed {table.seed})"]
    hosts = room_addresses() if host in ("0.0.0.0", "::", "") else [host]
    for each in hosts or [host]:
        lines.append(f"Address: ws://{f'[{each}]' if ':' in each else each}:{port}")
    shown = hosts[0] if hosts else host
    shown = f"[{shown}]" if ":" in shown else shown
    if is_loopback(host):
        lines.append("  (this computer only; to let other computers in the room join, start with --host 0.0.0.0)")
    else:
        lines.append("  (open to the network: anyone who can reach this computer and has a code can join)")
    lines.append("Join codes (hand each team its own slip; keep the facilitator's):")
    width = max(len(table.name(s)) + len(s) + 3 for s in table.game.seats) + 2
    for seat in table.game.seats:
        who = "team" if table.seats[seat] == HUMAN else f"bot ({table.seats[seat]}; the facilitator may hand it to a team)"
        label = f"{table.name(seat)} ({seat})"
        lines.append(f"  {label:<{width}} {codes.by_seat[seat]}   {who}")
    lines.append(f"  {'Facilitator':<{width}} {codes.by_seat[FACILITATOR]}")
    lines.append(f"  {'Spectators':<{width}} {codes.by_seat[SPECTATOR]}   (the projector)")
    lines.append(f"Join with: midnight join ws://{shown}:{port} --code CODE")
    if record is not None:
        lines.append(f"Record: {record} (every accepted input is in it; after a crash: --resume {record})")
    lines.append("Stop with Ctrl+C.")
    return "\n".join(lines)


async def serve_table(table: Table, codes: Codes, host: str, port: int, *,
                      say: Callable[[str], None] = print, ready: Callable[[str, int], None] | None = None,
                      web_port: int | None = None) -> None:
    """Run the table's server until SIGINT or SIGTERM; the record is written as inputs come. With
    `web_port`, the join screen is served to browsers too (workshop.web)."""
    server = TableServer(table, codes, language=table.language, say=lambda text: say(f"· {text}"))
    bound_host, bound_port = await server.start(host, port)
    if ready is not None:
        ready(bound_host, bound_port)
    runner = None
    if web_port is not None:
        from workshop.web import start_web

        # The browser's join runs on this computer: it reaches the table on loopback.
        local = "127.0.0.1" if host in ("0.0.0.0", "127.0.0.1", "localhost") else host
        runner, page = await start_web(f"ws://{local}:{bound_port}", host, web_port)
        say(f"Browsers: {page} (each team opens it and types its code)")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await server.close()
        with contextlib.suppress(OSError):
            table.persist()


def table_codes(table: Table, record: Path | None, same_codes: bool) -> Codes:
    """New codes (saved next to the record for a later `--same-codes`), or the saved ones."""
    path = codes_path(record) if record is not None else None
    if same_codes and path is not None:
        return Codes.load(path, table.game.seats)
    codes = Codes.new(table.game.seats)
    if path is not None:
        codes.save(path)
    return codes


def phase_lengths(text: str | None) -> float | Mapping[str, float] | None:
    """`--phase-seconds 300` or `propose=240,respond=120,decide=600,crisis=90`; ValueError naming the problem."""
    if not text:
        return None
    text = text.strip()
    phases = ("propose", "respond", "decide", "crisis")
    if "=" not in text:
        return _seconds(text, "--phase-seconds")
    lengths = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in phases:
            raise ValueError(f"--phase-seconds: no phase '{name}' (phases: {', '.join(phases)})")
        lengths[name] = _seconds(value, f"--phase-seconds {name}")
    return lengths


def _seconds(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: '{text.strip()}' is not a number of seconds") from None
    if not 0 < value <= 86_400:
        raise ValueError(f"{where}: give between 1 and 86400 seconds")
    return value
