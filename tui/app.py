"""The Textual application: owns the session and moves the game on between screens."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from engine.errors import MidnightError
from engine.scenario.safe_text import printable
from tui.i18n import STRINGS, t
from tui.keys import bindings
from tui.unsent import UnsentError, read_unsent, round_of, write_unsent

# The rules, the screens and what presents the game are imported when first needed, so that the
# start screen paints before any of them loads (issue 15: start-up).
if TYPE_CHECKING:
    from engine import Game
    from engine.play.records import Record
    from engine.play.table import Session, TurnReport
    from tui.screens.game import GameScreen


class MidnightApp(App[int]):
    """Midnight in the terminal. Give it a Session to play, start settings, or a record to replay."""

    CSS_PATH = "styles/midnight.tcss"
    TITLE = "Midnight"
    BINDINGS: ClassVar[list[BindingType]] = bindings("Everywhere")
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(self, session: Session | None = None, *, start: dict | None = None,
                 replay: tuple[Game, Record] | None = None, language: str = "en") -> None:
        super().__init__()
        self.session: Session | None = session
        self.start_settings = start or {}
        self.replay_source = replay
        self.ui_language = session.language if session else language
        self.current_seat: str | None = None
        self._reports: list[TurnReport] = []
        self.game_screen: GameScreen | None = None
        self.unsent: dict | None = None  # what a resumed save kept unsent (tui/unsent.py)
        self.join_requested = False  # the start screen's "Join a table" was chosen
        self.load_error: str | None = None  # why the scenario named on the command line did not load

    # -- start-up --------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.replay_source is not None:
            self.open_replay(*self.replay_source)
        elif self.session is not None:
            self.begin(self.session)
        elif self.start_settings.get("load"):  # a built-in scenario named on the command line
            from tui.screens.loading import LoadingScreen

            self.push_screen(LoadingScreen(self.start_settings["load"], self.ui_language))
            self.call_after_refresh(self._load_and_begin)
        else:
            from tui.screens.start import StartScreen

            self.push_screen(StartScreen(self.start_settings.get("scenario"), self.ui_language,
                                         self.start_settings.get("seed")), self._started)

    def _load_and_begin(self) -> None:
        """After the loading screen's first paint: the rules, the scenario and the bots load, and
        the game begins with the scenario's own seats (`--seats` is checked before the UI starts,
        so a command line that gives it does not come this way)."""
        from engine import load_game
        from engine.play.table import Session, parse_seats

        settings = self.start_settings
        try:
            game = load_game(settings["load"])
        except (MidnightError, OSError) as error:
            self.load_error = f"midnight: {error}"
            self.exit(return_code=1)
            return
        self.pop_screen()
        self.begin(Session(game, settings.get("seed"), parse_seats("", game.seats), self.ui_language))

    def _started(self, settings: dict | None) -> None:
        if not settings:
            self.exit(0)
            return
        if settings.get("join"):  # "Join a table": the join app takes over (tui.launch.play)
            self.join_requested = True
            self.exit(0)
            return
        from engine.play.table import Session

        session = Session(settings["game"], settings["seed"], settings["seats"], settings["language"])
        self.begin(session)

    def begin(self, session: Session) -> None:
        from tui.screens.game import GameScreen

        self.session = session
        self.ui_language = session.language
        self.sub_title = printable(session.game.scenario.title.get(session.language))
        try:
            self.unsent = read_unsent(session.save_path)
        except UnsentError as error:
            self.notify(printable(t("unsent_ignored", self.ui_language, error=error)), severity="warning", markup=False)
        self.game_screen = GameScreen()
        self.push_screen(self.game_screen)
        self.call_after_refresh(self.advance)

    # -- the game's flow -----------------------------------------------------------------------
    @property
    def playing(self) -> Session:
        """The session in play: the game's flow (and the game screen) runs only once `begin` set it."""
        assert self.session is not None, "no game has begun"
        return self.session

    def submit(self, value: dict) -> bool:
        """A person's input from any screen: applied, or the engine's reason shown and nothing changes."""
        try:
            self.playing.submit(value)
        except MidnightError as error:
            from tui import present

            said = present.reason(self.playing.game, str(error), self.ui_language)
            self.notify(printable(said), title=t("not_allowed", self.ui_language), severity="error", markup=False)
            return False
        self.advance()
        return True

    def advance(self) -> None:
        """Let the bots play, then show what a person must see or do next."""
        session = self.playing
        try:
            session.run_bots()
        except MidnightError as error:  # a bot or scenario bug: say so, do not crash
            self.notify(printable(t("bot_failed", self.ui_language, error=error)), severity="error", timeout=30, markup=False)
        if session.last_error:
            self.notify(printable(session.last_error), severity="warning", markup=False)
            session.last_error = None
        self._reports.extend(session.take_reports())
        self._next()

    def _next(self, _result: object = None) -> None:
        session = self.playing
        if self._reports:
            from tui.screens.resolution import ResolutionScreen

            if self.game_screen is not None and session.hot_seat:
                self.game_screen.show(None)
            self.push_screen(ResolutionScreen(session, self._reports.pop(0)), self._next)
            return
        if session.state.over:
            from tui.screens.end import EndScreen

            self.push_screen(EndScreen(session))
            return
        assert self.game_screen is not None, "begin made the game screen"
        seat = session.next_human()
        if seat is None:
            self.game_screen.show(None)
            return
        if session.hot_seat and seat != self.current_seat:
            from tui.screens.handoff import HandoffScreen

            self.game_screen.show(None)
            self.current_seat = None
            # A notice for the last person (an error quoting their budget, say) is theirs alone.
            self.clear_notifications()
            actor = session.game.actor(seat)
            self.push_screen(HandoffScreen(session.name(seat), actor.colour, session.language),
                             partial(self._show, seat))
            return
        self._show(seat)

    def _show(self, seat: str, _result: object = None) -> None:
        from engine import Phase

        session = self.playing
        assert self.game_screen is not None, "begin made the game screen"
        self.current_seat = seat
        self.game_screen.show(seat)
        if session.state.phase is Phase.CRISIS:
            from tui.screens.crisis import CrisisScreen

            def chosen(choice: str | None) -> None:
                if choice:
                    if not self.submit({"seat": seat, "kind": "crisis", "choice": choice}):
                        self._show(seat)

            self.push_screen(CrisisScreen(session, seat), chosen)

    # -- saving and other screens -----------------------------------------------------------
    def take_unsent(self, seat: str) -> dict | None:
        """What a resumed save kept unsent for `seat` in the round the game is in now: given once."""
        kept = self.unsent
        if kept is None or self.session is None or kept["round"] != round_of(self.session.state, seat):
            return None
        self.unsent = None
        return kept["choice"]

    def save_game(self) -> None:
        if self.session is None:
            return
        try:
            path = self.session.save()
            # what is ticked but not sent is no input, so not in the save: it is kept beside it
            kept = self.game_screen.unsent() if self.game_screen is not None else None
            write_unsent(path, *(kept or (None, None)))
        except (OSError, MidnightError) as error:
            self.notify(printable(t("save_failed", self.ui_language, error=error)), severity="error", markup=False)
            return
        self.notify(printable(t("saved", self.ui_language, path=str(path))), title=t("saved_title", self.ui_language),
                    markup=False)

    def open_replay(self, game: Game, record: Record) -> None:
        from engine.play.records import replay
        from tui.screens.replay import ReplayScreen

        try:
            result = replay(game, record)
        except MidnightError as error:
            self.notify(printable(error), severity="error", timeout=30, markup=False)
            return
        self.push_screen(ReplayScreen(game, record, result, self.ui_language))

    def action_help(self) -> None:
        from tui.screens.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        lang = self.ui_language
        def said(english: str) -> str:  # Textual's words, in the UI's language where we have them
            return t(f"textual.{english}", lang) if f"textual.{english}" in STRINGS else english

        for command in super().get_system_commands(screen):
            yield command._replace(title=said(command.title), help=said(command.help))
        yield SystemCommand(t("command_help", lang), t("command_help_help", lang), self.action_help)
        if self.session is not None and not self.session.state.over:
            yield SystemCommand(t("command_save", lang), t("command_save_help", lang, path=self.session.save_path),
                                self.save_game)
            if self.game_screen is not None and self.current_seat:
                yield SystemCommand(t("command_brief", lang), t("command_brief_help", lang), self.game_screen.action_brief)
