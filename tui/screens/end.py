"""The end of the game: the outcome, the scores, charts of the clock and risk, the turning points."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Label, Static

from engine import FACILITATOR
from engine.play.table import Session
from tui import present
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape
from tui.screens.base import AppScreen


class EndScreen(LocalizedKeys, AppScreen[None]):
    """Everything is told at the end: the facilitator's view of the finished game."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("End of game")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        from tui.widgets.charts import TrendChart

        session, lang = self.session, self.session.language
        game = session.game
        view = game.view(session.state, FACILITATOR)
        outcome = view.outcome
        points = present.turning_points(view, lang)
        verdict = t("catastrophe", lang) if outcome.catastrophe else t("no_catastrophe", lang)
        cls = "-critical" if outcome.catastrophe else "-calm"
        with Vertical(id="end"):
            yield Label(f"[b]{t('game_over', lang)}[/b] · {escape(game.scenario.title.get(lang))} · "
                        f"{outcome.termination.value.replace('_', ' ')} on turn {outcome.turn}", id="end-title")
            yield Static(f"[b]{verdict}[/b] · {t('seconds', lang, s=present.num(view.clock))}", id="verdict", classes=cls)
            with Horizontal(id="end-body"):
                with VerticalScroll(id="end-left"):
                    yield Label(t("scores", lang), classes="section")
                    yield DataTable(id="scores", show_cursor=False)
                    yield Label(t("turning_points", lang), classes="section")
                    yield Static("\n".join(f"[b]T{turn}[/b] {escape(text)}" for turn, text in points)
                                 or t("none", lang), id="points")
                big = sorted(view.assessments, key=lambda a: -abs(a.clock_change))[:2]
                yield TrendChart(view.assessments, game.scenario.clock.start, [a.turn for a in big], id="chart")
        yield Footer()

    def on_mount(self) -> None:
        session, lang = self.session, self.session.language
        outcome = session.state.outcome
        assert outcome is not None, "the end screen shows a finished game"
        table = self.query_one("#scores", DataTable)
        table.add_columns(t("seat", lang), t("score", lang))
        for actor, score in sorted(outcome.scores.items(), key=lambda kv: -kv[1]):
            who = session.name(actor) + (" *" if session.seats.get(actor) == "human" else "")
            table.add_row(present.literal(who), present.num(round(score, 2)))
        table.add_row(t("shared", lang), present.num(round(outcome.shared, 2)))

    def action_replay(self) -> None:
        self.app.open_replay(self.session.game, self.session.recorder.to_record())
