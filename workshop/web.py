"""`midnight serve --web PORT`: the join screen in a browser, through textual-serve, so a team needs
no install. Each browser visitor gets their own `midnight join ADDRESS` (the same Textual screens
as in a terminal, drawn in the page by textual-serve) with the table's address filled in; they
type their code."""

from __future__ import annotations

import shlex
import sys

from aiohttp import web
from textual_serve.server import Server


class QuietServer(Server):
    """textual-serve's server without its start-up banner (the table prints its own lines)."""

    async def on_startup(self, app: web.Application) -> None:
        return None

    def initialize_logging(self) -> None:
        return None


def join_command(table_address: str) -> str:
    """The command each browser visitor runs: this Python's `midnight join`, the address filled in."""
    return f"{shlex.quote(sys.executable)} -m midnight join {shlex.quote(table_address)}"


async def start_web(table_address: str, host: str, port: int) -> tuple[web.AppRunner, str]:
    """Serve the join screen on host:port (0: any free port); returns the runner (to clean up) and
    the page's address."""
    shown = f"[{host}]" if ":" in host else host
    server = QuietServer(join_command(table_address), host=host, port=port, title="Midnight: join a table")
    runner = web.AppRunner(await server._make_app())  # textual-serve's aiohttp app, in this event loop
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    server.public_url = f"http://{shown}:{bound}"
    return runner, server.public_url
