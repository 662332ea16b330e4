"""A browser joins a table through `midnight serve --web` (textual-serve) in headless Chromium:
it types its code on the join screen, submits its decisions, and is shown the turn's resolution.

Chromium is driven over the DevTools protocol (with the `websockets` library the table already
uses). What the page shows is drawn on a canvas, so the test reads the terminal output the page
receives (its WebSocket frames) and checks the table's record on disk for the inputs. Skipped
where Chromium is not installed (.ci/run installs it)."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from table_helpers import run
from websockets.asyncio.client import connect

from engine.play.records import read_record

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")]


def serve_with_web(record: Path) -> tuple[subprocess.Popen, str, str]:
    process = subprocess.Popen([sys.executable, "-m", "midnight", "serve", "trilateral-2026", "--seed", "4",
                                "--seats", "us=team,russia=bot,china=bot", "--port", "0", "--web", "0",
                                "--record", str(record)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    code = page = ""
    assert process.stdout is not None
    for line in process.stdout:
        if "(us)" in line:
            words = line.split()
            code = words[words.index("(us)") + 1]
        if line.startswith("Browsers:"):
            page = line.split()[1]
            break
    assert code and page, "midnight serve --web did not print its codes and page"
    return process, code, page


class Browser:
    """Headless Chromium, one page, spoken to over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
             f"--user-data-dir={profile}", "--window-size=1400,1000", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.profile = profile
        self.frames: list[str] = []
        self._ids = 0
        self._waiting: dict[int, asyncio.Future] = {}

    async def open(self) -> None:
        port_file = self.profile / "DevToolsActivePort"
        async with asyncio.timeout(60):
            while not port_file.exists() or not port_file.read_text().strip():
                await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        pages = []
        async with asyncio.timeout(60):
            while not pages:
                listing = await asyncio.to_thread(lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read())
                pages = [p for p in json.loads(listing) if p.get("type") == "page"]
                await asyncio.sleep(0.1)
        self.ws = await connect(pages[0]["webSocketDebuggerUrl"], max_size=None)
        self.reader = asyncio.create_task(self._read())
        await self.call("Network.enable")
        await self.call("Page.enable")

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if "id" in message and message["id"] in self._waiting:
                self._waiting.pop(message["id"]).set_result(message)
            elif message.get("method") == "Network.webSocketFrameReceived":
                response = message["params"]["response"]
                data = response.get("payloadData", "")
                if response.get("opcode") == 2:
                    data = base64.b64decode(data).decode("utf-8", "replace")
                self.frames.append(data)

    async def call(self, method: str, **params) -> dict:
        self._ids += 1
        future = asyncio.get_running_loop().create_future()
        self._waiting[self._ids] = future
        await self.ws.send(json.dumps({"id": self._ids, "method": method, "params": params}))
        return await asyncio.wait_for(future, 60)

    def seen(self) -> str:
        return "".join(self.frames)

    async def wait_for_text(self, text: str, guard: float = 90) -> None:
        async with asyncio.timeout(guard):
            while text not in self.seen():
                await asyncio.sleep(0.2)

    async def type(self, text: str) -> None:
        await self.call("Runtime.evaluate", expression="document.querySelector('.xterm-helper-textarea').focus()")
        await self.call("Input.insertText", text=text)

    async def enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                            windowsVirtualKeyCode=13, **({"text": "\r"} if kind == "keyDown" else {}))

    async def close(self) -> None:
        try:
            await self.ws.close()
        except Exception:  # noqa: BLE001 - the browser may be gone already
            pass
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def test_a_browser_joins_submits_and_sees_the_resolution(tmp_path):
    record = tmp_path / "web.yaml"
    server, code, page = serve_with_web(record)
    browser = Browser(tmp_path / "profile")

    async def session():
        await browser.open()
        await browser.call("Page.navigate", url=page)
        await browser.wait_for_text("Join code")  # the join screen, drawn in the page
        await browser.type(code)
        await browser.enter()
        await browser.wait_for_text("United States")
        # Submit each phase as the panes stand (no proposal, no answer, no move) until turn 1 is over.
        async with asyncio.timeout(120):
            while True:
                saved = read_record(record)
                if saved.turns and saved.turns[0].after is not None:
                    break
                await browser.type("d")
                await asyncio.sleep(1.0)
        await browser.wait_for_text("resolved")  # "Turn 1 resolved": the resolution screen
        screenshot = await browser.call("Page.captureScreenshot")
        (tmp_path / "resolution.png").write_bytes(base64.b64decode(screenshot["result"]["data"]))

    try:
        run(session(), guard=300)
    finally:
        run(browser.close(), guard=30)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        if server.stdout:
            server.stdout.close()
    us_inputs = [entry for turn in read_record(record).turns for entry in turn.inputs if entry.get("seat") == "us"]
    assert us_inputs, "the browser's decisions reached the table"
