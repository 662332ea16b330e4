"""The game screen: one seat's view at a glance, and the pane where it acts in the current phase."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import ContentSwitcher, Footer, Static, TabbedContent, TabPane

from engine import Phase
from engine.play.table import Session
from engine.rules.options import SeatOptions
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape
from tui.screens.base import AppScreen
from tui.screens.dialogs import BriefScreen, DraftDialog, SourcesScreen
from tui.unsent import round_of
from tui.widgets.briefing import TurnBriefing
from tui.widgets.decide import DecidePane
from tui.widgets.log import GameLog
from tui.widgets.propose import ProposePane
from tui.widgets.respond import RespondPane
from tui.widgets.situation import SituationPanel
from tui.widgets.talks import TalksPanel


class GameScreen(LocalizedKeys, AppScreen[None]):
    """Shows `seat`'s SeatView; `d` submits what the seat chose in the Act tab."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Game")

    def __init__(self) -> None:
        super().__init__()
        self.seat: str | None = None
        self._header: list[tuple[str, str]] = []  # the header's parts: (markup, plain text)

    @property
    def session(self) -> Session:
        return self.app.playing

    def compose(self) -> ComposeResult:
        # in the game's language from the start: a tab relabelled later would leave its underline
        # the width of the old label until the next animation
        lang = self.app.ui_language
        yield Static(id="topbar")
        with Horizontal(id="body"):
            yield SituationPanel(id="situation")
            with TabbedContent(id="tabs", initial="act"):
                with TabPane(t("act", lang), id="act"):
                    yield TurnBriefing(id="briefing")  # what this turn's events say
                    with ContentSwitcher(id="panes", initial="wait"):
                        yield Static(t("waiting", lang), id="wait")
                        yield ProposePane(id="propose")
                        yield RespondPane(id="respond")
                        yield DecidePane(id="decide")
                with TabPane(t("talks", lang), id="talks"):
                    with VerticalScroll(id="talks-scroll"):
                        yield TalksPanel(id="talks-panel")
                with TabPane(t("log", lang), id="log"):
                    yield GameLog(id="game-log")
        yield Footer()

    # -- showing a seat ---------------------------------------------------------------------
    def show(self, seat: str | None) -> None:
        """Refresh everything from the engine for `seat` (None: a blank table, nobody's secrets)."""
        self.seat = seat
        session = self.session
        game, lang = session.game, session.language
        viewer = seat or session.viewer()
        view = session.view_for(viewer)
        tabs = self.query_one(TabbedContent)
        for pane_id, key in (("act", "act"), ("talks", "talks"), ("log", "log")):
            tabs.get_tab(pane_id).label = t(key, lang)
        # The header's parts, the least needed first: a narrow terminal drops from the left, so
        # the phase and who you are always show.
        phase = t(f"phase.{view.phase.value}", lang)
        parts = [(f"[b]{escape(game.scenario.title.get(lang))}[/b]", game.scenario.title.get(lang)),
                 (escape(view.date), view.date)]
        turn = t("turn", lang, turn=view.turn, turns=view.turns)
        parts += [(escape(turn), turn), (escape(phase), phase)]
        if view.day_after_left is not None:  # after nuclear use: the scenario's day after is played
            after = t("day_after_left", lang, left=view.day_after_left)
            parts.append((f"[b $error]{escape(after)}[/]", after))
        if seat:
            you = t("you_are", lang, name=session.name(seat))
            parts.append((f"[b $accent]{t('you_are', lang, name=escape(session.name(seat)))}[/]", you))
        self._header = parts
        self._show_header()
        self.query_one(SituationPanel).show(game, view, lang)
        self.query_one(TalksPanel).show(game, view, lang)
        self.query_one(GameLog).show(game, view, session.notes_for(viewer), lang)
        self.query_one(TurnBriefing).show(game, view, lang)
        switcher = self.query_one("#panes", ContentSwitcher)
        if seat is None:
            switcher.current = "wait"
            return
        options = game.options(session.state, seat)
        assert isinstance(options, SeatOptions)  # an actor's seat
        pane = {Phase.PROPOSE: "propose", Phase.RESPOND: "respond", Phase.DECIDE: "decide"}.get(view.phase)
        if pane is None or not options.must_act:
            switcher.current = "wait"
            return
        switcher.current = pane
        self._pane(pane).load(game, options, lang)
        kept = self.app.take_unsent(seat)  # what a resumed save kept unsent for this very round
        if kept is not None:
            self._pane(pane).restore(kept)
            self.app.notify(t("unsent_restored", lang))
        tabs.active = "act"
        focus = {"propose": "#templates", "respond": "#answers", "decide": "#moves"}[pane]
        self.query_one(focus).focus()

    def _show_header(self) -> None:
        """The header in one line: the scenario's title, then the date, then the turn are left out,
        in that order, until the rest fits the width."""
        parts = self._header
        room = self.app.size.width - 2  # the header's padding
        while len(parts) > 2 and cell_len(" · ".join(plain for _, plain in parts)) > room:
            parts = parts[1:]
        self.query_one("#topbar", Static).update(" · ".join(markup for markup, _ in parts))

    def on_resize(self, _event: Resize) -> None:
        if self._header:
            self._show_header()

    def _pane(self, name: str) -> ProposePane | RespondPane | DecidePane:
        """The Act tab's pane of a phase: `load` fills it for the seat, `submission` is what it chose."""
        kinds: dict[str, type[ProposePane | RespondPane | DecidePane]] = {
            "propose": ProposePane, "respond": RespondPane, "decide": DecidePane}
        return self.query_one(f"#{name}", kinds[name])

    def unsent(self) -> tuple[dict, dict] | None:
        """The round the shown seat is in and what it chose there without sending it (None: nothing)."""
        current = self.query_one("#panes", ContentSwitcher).current
        if self.seat is None or current is None or current == "wait":
            return None
        choice = self._pane(current).unsent()
        return None if choice is None else (round_of(self.session.state, self.seat), choice)

    # -- actions -----------------------------------------------------------------------------
    def action_done(self) -> None:
        if self.seat is None:
            return
        current = self.query_one("#panes", ContentSwitcher).current
        if current is None or current == "wait":
            return
        seat, pane = self.seat, self._pane(current)

        def submit() -> None:
            self.app.submit(pane.submission(seat))

        if isinstance(pane, DecidePane):
            pane.confirm_then(submit)  # a decision that breaches an agreement is confirmed first
        else:
            submit()

    def action_brief(self) -> None:
        if self.seat is not None:
            self.app.push_screen(BriefScreen(self.session.game, self.seat, self.session.language))

    def action_sources(self) -> None:
        self.app.push_screen(SourcesScreen(self.session.game, self.session.language))

    def action_tab(self, tab: str) -> None:
        # The focus moves at once, so keys typed right after the tab's number already reach its list.
        self.query_one(TabbedContent).active = tab
        self._focus_tab(tab)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab opened by key or mouse gives the focus to what it is for, so its keys work at once
        (and the focus never falls back to the sidebar, which would scroll the clock away)."""
        self.call_after_refresh(self._focus_tab, event.pane.id or "")

    def _focus_tab(self, tab: str) -> None:
        if tab != self.query_one(TabbedContent).active:
            return  # another tab was opened since
        if tab == "act":
            current = self.query_one("#panes", ContentSwitcher).current
            target = {"propose": "#templates", "respond": "#answers", "decide": "#moves"}.get(current or "")
        else:
            target = {"talks": "#talks-scroll", "log": "#game-log"}.get(tab)
        self.set_focus(None if target is None else self.query_one(target), scroll_visible=False)

    def action_save(self) -> None:
        self.app.save_game()

    def action_quit_game(self) -> None:
        self.app.save_game()
        self.app.exit(0)

    # -- dialogs ---------------------------------------------------------------------------------
    def on_propose_pane_draft_requested(self, event: ProposePane.DraftRequested) -> None:
        if self.seat is None:  # the panes take input only while a seat is shown
            return
        session = self.session
        dialog = DraftDialog(session.game, event.template.id, self.seat, session.language,
                             eligible=event.template.eligible_parties)
        self.app.push_screen(dialog, self.query_one(ProposePane).add_offer_or_none)

    def on_respond_pane_counter_requested(self, event: RespondPane.CounterRequested) -> None:
        if self.seat is None:  # the panes take input only while a seat is shown
            return
        session = self.session
        proposal = event.option.proposal
        dialog = DraftDialog(session.game, proposal.template, self.seat, session.language,
                             params=dict(proposal.params), fixed_parties=proposal.parties,
                             package=tuple(proposal.package))

        def countered(result: dict | None) -> None:
            if result is not None:
                self.query_one(RespondPane).set_answer(
                    proposal.id, {"proposal": proposal.id, "answer": "counter", "params": result["params"]})

        self.app.push_screen(dialog, countered)
