"""Joining a networked table: the join form (address and code), and the app that plays a seat
there with the same game screens as local play, driven by the server (workshop.remote gives the
screens the Session interface they read). The facilitator's code opens the facilitator console,
the spectators' code the projector screen."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from engine import Game, Phase
from engine.errors import MidnightError
from engine.rules.previews import CHOICES
from engine.scenario.safe_text import printable
from tui.app import MidnightApp
from tui.i18n import t
from tui.keys import LocalizedKeys
from tui.present import escape
from tui.screens.base import AppScreen
from tui.screens.crisis import CrisisScreen
from workshop.client import TableClient, TableError
from workshop.remote import RemoteSession
from workshop.typed import TypedError


class JoinScreen(LocalizedKeys, Screen[tuple[str, str] | None]):
    """The table's address and a join code, as the facilitator handed them out."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Back", id="join.back")]
    DEFAULT_CSS = """
    JoinScreen #join { width: 64; height: auto; border: round $accent; padding: 1 2; }
    JoinScreen Input { margin-bottom: 1; }
    JoinScreen #join-problem { color: $error; height: auto; }
    """

    def __init__(self, address: str = "", code: str = "", problem: str = "") -> None:
        super().__init__()
        self.address, self.code, self.problem = address, code, problem

    @property
    def language(self) -> str:
        return getattr(self.app, "ui_language", "en")

    def compose(self) -> ComposeResult:
        lang = self.language
        with Center():
            with Vertical(id="join"):
                yield Static(f"[b]{t('join_title', lang)}[/b]\n{t('join_hint', lang)}", id="join-title")
                yield Label(t("join_address", lang))
                yield Input(value=self.address, placeholder=t("join_address_placeholder", lang), id="address")
                yield Label(t("join_code", lang))
                yield Input(value=self.code, placeholder=t("join_code_placeholder", lang), id="code")
                yield Static(escape(self.problem), id="join-problem")
                yield Button(t("join_button", lang), id="join-button", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code" if self.address else "#address", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "address":
            self.query_one("#code", Input).focus()
        else:
            self._join()

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self._join()

    def _join(self) -> None:
        address = self.query_one("#address", Input).value.strip()
        code = self.query_one("#code", Input).value.strip()
        if not address or not code:
            self.query_one("#join-problem", Static).update(t("join_both", self.language))
            return
        self.dismiss((address, code))

    def action_cancel(self) -> None:
        self.dismiss(None)


def countdown(seconds: float | None, language: str = "en") -> str:
    if seconds is None:
        return t("no_timer", language)
    whole = int(seconds + 0.999)
    return f"{whole // 60}:{whole % 60:02d}"


class TableStatus(Static):
    """A line under the game screen: the countdown, who the table still waits for, the connection."""

    DEFAULT_CSS = """
    TableStatus { dock: bottom; height: 1; background: $panel; padding: 0 1; }
    """

    def __init__(self, session: RemoteSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.connection = t("status_connected", session.language)

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_status)
        self.refresh_status()

    def refresh_status(self) -> None:
        state = self.session.state
        if state is None:
            return
        table = state.table
        lang = self.session.language
        waiting = [self.session.name(s) for s in sorted(state.view.awaiting) if s not in state.view.submitted]
        parts = [t("status_phase_time", lang, time=countdown(state.seconds_left(), lang))]
        if table.get("paused"):
            parts.append(t("status_paused", lang))
        if table.get("ended"):
            parts.append(t("status_ended", lang, why=table["ended"]))
        if waiting and not state.over:
            parts.append(t("status_waiting", lang, who=t("list_separator", lang).join(waiting)))
        parts.append(self.connection)
        self.update(escape(" · ".join(parts)))


class RemoteCrisisScreen(CrisisScreen):
    """The crisis screen for a remote seat: the previews are the server's (worked out by the engine
    there, from the seat's side only), not computed here from a state this client does not have."""

    def __init__(self, session: RemoteSession, seat: str) -> None:
        AppScreen.__init__(self)
        self.session, self.seat = session, seat  # type: ignore[assignment]
        self.confirming = False
        self.results = dict(session.current.previews)
        top = len(session.game.scenario.crisis.rungs) - 1
        self.escalate_can_end = any(r.rung == top for _, r in self.results.get("escalate", []))


class JoinApp(MidnightApp):
    """`midnight join ADDRESS --code CODE`: one seat of a networked table, the facilitator console,
    or the projector, by the code given."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "styles" / "midnight.tcss")  # the app's own styles

    def __init__(self, address: str = "", code: str = "", *, language: str | None = "en",
                 scenario: str | None = None) -> None:
        """`language=None`: the join form in English, then the table's own language (`serve --lang`)."""
        super().__init__(language=language or "en")
        self.follow_table = language is None
        self.address, self.code, self.scenario_ref = address, code, scenario
        self.remote: RemoteSession | None = None
        self.client: TableClient | None = None
        self.status: TableStatus | None = None
        self._shown: tuple | None = None
        self._entries_seen = 0
        self._retry = False
        self.joined: tuple[str, str] = (address, code)  # what to join again with after a dropped connection

    @property
    def playing(self):
        assert self.remote is not None, "no table joined"
        return self.remote

    def on_mount(self, event: events.Mount | None = None) -> None:
        if event is not None:
            event.prevent_default()  # not MidnightApp's start screen: the join form or the table
        if self.address and self.code:
            self.run_worker(self.connect(self.address, self.code), exclusive=True)
        else:
            self.ask(self.address, self.code)

    def ask(self, address: str = "", code: str = "", problem: str = "") -> None:
        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                self.exit(0)
                return
            self.run_worker(self.connect(*result), exclusive=True)

        self.push_screen(JoinScreen(address, code, problem), chosen)

    async def connect(self, address: str, code: str) -> None:
        try:
            client = await TableClient.connect(address, code, typed=True, timeout=15)
        except TableError as error:
            self.ask(address, code, str(error))
            return
        self.client = client
        self.joined = (address, code)
        if self.follow_table:
            self.ui_language = client.welcome.get("language") or self.ui_language
        role = client.role
        if role == "facilitator":
            from tui.screens.facilitator import FacilitatorScreen

            await self.push_screen(FacilitatorScreen(client))
            self.run_worker(self.listen(), group="listen")
            return
        if role == "spectator":
            from tui.screens.spectator import SpectatorScreen

            labels: dict[str, str] = {}
            try:  # the risk factors' names, when the scenario is installed here
                labels = {f.id: f.label.get(client.welcome.get("language", "en"))
                          for f in self._local_game(client.welcome).scenario.risk.factors}
            except MidnightError:
                pass
            await self.push_screen(SpectatorScreen(client, labels))
            self.run_worker(self.listen(), group="listen")
            return
        try:
            game = self._local_game(client.welcome)
            self.remote = RemoteSession(game, client.seat, client.welcome.get("language", "en"),
                                        client.welcome.get("seats") or {})
            self.remote.update(client.state or {})
        except (MidnightError, TypedError) as error:
            await client.close()
            self.ask(address, code, str(error))
            return
        self.ui_language = self.remote.language
        self.sub_title = printable(game.scenario.title.get(self.remote.language))
        from tui.screens.game import GameScreen

        self.game_screen = GameScreen()
        await self.push_screen(self.game_screen)
        self.status = TableStatus(self.remote, id="table-status")
        await self.game_screen.mount(self.status)
        self.remote.take_reports()
        self._next()
        self.run_worker(self.listen(), group="listen")

    def _local_game(self, welcome: dict) -> Game:
        """The scenario the table plays, loaded here (for its names, rules text and moves)."""
        scenario = welcome.get("scenario") or {}
        ref = self.scenario_ref or scenario.get("id")
        if not isinstance(ref, str):
            raise MidnightError("the table did not say which scenario it plays")
        try:
            game = Game.load(ref)
        except MidnightError:
            raise MidnightError(f"this table plays scenario '{_short(ref)}', which is not built in: "
                                "join with --scenario FILE (the facilitator's file)") from None
        if scenario.get("hash") and game.content_hash != scenario.get("hash"):
            raise MidnightError(f"this table plays another version of '{game.scenario.id}' than this "
                                "installation has: join with --scenario FILE (the facilitator's file)")
        return game

    # -- the server's news ------------------------------------------------------------------------------
    async def listen(self) -> None:
        """Follow the table; when the connection drops (a laptop lid, the room's Wi-Fi), join again
        with the same code every few seconds: the server keeps everything this seat submitted."""
        while True:
            client = self.client
            assert client is not None
            seen = len(client.received)
            while client.connected:
                try:
                    await client.next_state(timeout=3600, after=seen)
                except TableError:
                    continue
                seen = len(client.received)
                self.table_changed()
            reason = client.closed_reason or "the connection closed"
            lang = self.ui_language
            self._connection(t("status_rejoining", lang))
            if any(m.get("type") == "taken_over" for m in client.received):
                self._connection(t("status_taken_over", lang))
                self.notify(printable(t("taken_over", lang, reason=reason)), severity="warning", timeout=3600, markup=False)
                return
            self.notify(printable(t("lost_table", lang, reason=reason)), severity="warning", timeout=10, markup=False)
            again = await self._join_again()
            if again is None:
                self._connection(t("status_disconnected", lang))
                self.notify(printable(t("table_unreachable", lang)), severity="error", timeout=3600, markup=False)
                return
            self.client = again
            for screen in self.screen_stack:
                if hasattr(screen, "client"):  # the facilitator console or the projector
                    screen.client = again
            self._connection(t("status_connected", lang))
            self.notify(t("back_at_table", lang), timeout=5)
            self.table_changed()

    async def _join_again(self, attempts: int = 150, wait: float = 2.0) -> TableClient | None:
        for _ in range(attempts):
            await asyncio.sleep(wait)
            try:
                return await TableClient.connect(self.joined[0], self.joined[1], typed=True, timeout=15)
            except TableError as error:
                if "wrong code" in str(error):
                    return None  # a new table (new codes): nothing to wait for
        return None

    def _connection(self, text: str) -> None:
        if self.status is not None:
            self.status.connection = text
            self.status.refresh_status()

    def table_changed(self) -> None:
        client = self.client
        assert client is not None and client.state is not None
        self._messages(client.state)
        screen = self.screen
        if hasattr(screen, "table_changed"):  # the facilitator console or the projector
            screen.table_changed(client.state)
            return
        if self.remote is None:
            return
        try:
            self.remote.update(client.state)
        except TypedError as error:
            self.notify(printable(t("cannot_read_table", self.ui_language, error=error)), severity="error",
                        markup=False)
            return
        self._reports.extend(self.remote.take_reports())
        if self.status is not None:
            self.status.refresh_status()
        if isinstance(screen, CrisisScreen) and not self.remote.must_act:
            screen.dismiss(None)  # the round went on without this seat (a fallback at the deadline)
        if self.remote.round_key() != self._shown or self._reports:
            self._next()

    def _messages(self, state: dict) -> None:
        """The facilitator's messages and the table's news, once each, as notices."""
        entries = state.get("entries") or []
        for entry in entries:
            if entry.get("index", -1) < self._entries_seen:
                continue
            self._entries_seen = entry["index"] + 1
            kind = entry.get("kind")
            if kind == "message":
                self.notify(printable(entry.get("text", "")), title=t("message_from_facilitator", self.ui_language),
                            timeout=30, markup=False)
            elif kind in ("fallback", "undo", "pause", "end", "handover", "inject"):
                self.notify(printable(entry.get("text", "")), title=t("the_table", self.ui_language), timeout=12,
                            markup=False)

    # -- the game's flow, as local play's but driven by the server -----------------------------------------
    def advance(self) -> None:
        self._next()

    def _next(self, _result: object = None) -> None:
        remote = self.remote
        if remote is None or self.game_screen is None:
            return
        if self.screen is not self.game_screen:
            if not self._retry:  # a dialog or another screen on top: look again shortly
                self._retry = True
                self.set_timer(0.3, self._retry_next)
            return
        if self._reports:
            from tui.screens.resolution import ResolutionScreen

            self.push_screen(ResolutionScreen(remote, self._reports.pop(0)), self._next)  # type: ignore[arg-type]
            return
        if remote.current.over:
            from tui.screens.end import EndScreen

            self._shown = remote.round_key()
            self.push_screen(EndScreen(remote))  # type: ignore[arg-type]
            return
        self._shown = remote.round_key()
        self.current_seat = remote.seat
        self.game_screen.show(remote.seat)
        if remote.must_act and remote.current.phase is Phase.CRISIS and remote.seat in (remote.current.crisis.participants
                                                                                      if remote.current.crisis else ()):
            def chosen(choice: str | None) -> None:
                if choice in CHOICES:
                    self.submit({"seat": remote.seat, "kind": "crisis", "choice": choice})

            self.push_screen(RemoteCrisisScreen(remote, remote.seat), chosen)

    def _retry_next(self) -> None:
        self._retry = False
        if self.remote is not None and (self.remote.round_key() != self._shown or self._reports):
            self._next()

    def submit(self, value: dict) -> bool:
        """A team's input goes to the server; its refusal is shown, and the screen stays as it is."""
        self.run_worker(self._send(value), group="send")
        return True

    async def _send(self, value: dict) -> None:
        client = self.client
        if client is None:
            return
        try:
            await client.act(value, timeout=30)
        except TableError as error:
            self.notify(printable(error), title=t("not_accepted", self.ui_language), severity="error", markup=False)
            self._shown = None  # show the seat's panes again
            self._next()

    def save_game(self) -> None:
        self.notify(t("record_on_server", self.ui_language), markup=False)

    async def on_unmount(self) -> None:
        if self.client is not None:
            await asyncio.wait_for(self.client.close(), 5)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
