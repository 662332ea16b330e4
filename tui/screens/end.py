"""The end of the game: the outcome, the scores, charts of the clock and risk, the turning points."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import DataTable, Footer, Label, Static

from engine import FACILITATOR
from engine.play.table import Session
from engine.rules import events
from engine.scenario.safe_text import printable
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
        points = turning_points(game, view, lang)
        verdict = t("catastrophe", lang) if outcome.catastrophe else t("no_catastrophe", lang)
        if outcome.catastrophe:
            verdict += f" · {t('everyone_lost', lang)}"
        cls = "-critical" if outcome.catastrophe else "-calm"
        with Vertical(id="end"):
            how = present.how_it_ended(outcome.termination, lang, game, outcome.condition)
            yield Label(f"[b]{t('game_over', lang)}[/b] · {escape(game.scenario.title.get(lang))} · "
                        f"{escape(t('ended_on', lang, how=how, turn=outcome.turn))}",
                        id="end-title")
            yield Static(f"[b]{verdict}[/b] · {t('seconds', lang, s=present.num(view.clock))}", id="verdict", classes=cls)
            with Horizontal(id="end-body"):
                with VerticalScroll(id="end-left"):
                    if outcome.catastrophe:  # nobody won: the scores come second, unranked
                        yield Label(t("turning_points", lang), classes="section")
                        yield PointsText(points, lang, id="points")
                        yield Label(t("scores_after_catastrophe", lang), classes="section")
                        yield DataTable(id="scores", show_cursor=False)
                    else:
                        yield Label(t("scores", lang), classes="section")
                        yield DataTable(id="scores", show_cursor=False)
                        yield Label(t("turning_points", lang), classes="section")
                        yield PointsText(points, lang, id="points")
                last = view.assessments[-1].turn if view.assessments else 0
                final = (outcome.turn, view.clock) if outcome.turn > last else None
                chart = TrendChart(view.assessments, game.scenario.clock.start, [p.turn for p in points],
                                   final=final, language=lang, id="chart")
                with Vertical(id="chart-box"):
                    if chart.caption():  # words plotext cannot lay out (Chinese): above the chart
                        yield Static(chart.caption(), id="chart-caption")
                    yield chart
        yield Footer()

    def on_mount(self) -> None:
        session, lang = self.session, self.session.language
        outcome = session.state.outcome
        assert outcome is not None, "the end screen shows a finished game"
        table = self.query_one("#scores", DataTable)
        table.add_columns(t("seat", lang), t("score", lang))
        # After a catastrophe every seat lost: the scores stay in seat order, never ranked as winners.
        scores = list(outcome.scores.items())
        if not outcome.catastrophe:
            scores.sort(key=lambda kv: -kv[1])
        for actor, score in scores:
            who = session.name(actor) + (" *" if session.seats.get(actor) == "human" else "")
            table.add_row(present.literal(who), present.num(round(score, 2)))
        table.add_row(t("shared", lang), present.num(round(outcome.shared, 2)))

    def action_replay(self) -> None:
        self.app.open_replay(self.session.game, self.session.recorder.to_record())

    def action_report(self) -> None:
        """Write the facilitator's debrief report next to the game's save, and say where (docs/debrief.md)."""
        session = self.session
        out = session.save_path.with_name(f"{session.save_path.stem}.debrief.html")
        write_report_for(self, session.game, session.recorder.to_record(), out, session.language,
                         record_name=session.save_path.name)


def write_report_for(screen, game, record, out, language: str, states=None, record_name: str = "") -> None:
    """Write a debrief report (debrief/) in a thread, as its charts take a second or two, and tell
    the screen where it went (or why not)."""
    from debrief.report import write_game_report
    from debrief.words import word
    from engine.errors import MidnightError

    def work() -> None:
        try:
            path = write_game_report(game, record, out, language=language, states=states, record_name=record_name)
            message, severity = word("report_written", language, path=path), "information"
        except (MidnightError, OSError) as error:
            message, severity = word("report_failed", language, error=error), "error"
        screen.app.call_from_thread(screen.notify, message, severity=severity, markup=False, timeout=15)

    screen.run_worker(work, thread=True, exclusive=True, group="debrief")


# What happened on a turn, as the end screen tells it: moves, deals, breaches, crises, events, the end.
_TOLD = (events.MovePlayed, events.AgreementSigned, events.AgreementEnded, events.BreachFound, events.CrisisStarted,
         events.CrisisRoundPlayed, events.CrisisRungReached, events.CrisisEnded, events.GameOver)


@dataclass(frozen=True)
class TurningPoint:
    turn: int
    headline: str  # plain text: how the clock moved
    happened: tuple[str, ...]  # plain text: the log lines of that turn


def turning_points(game, view, language: str, limit: int = 3, lines: int = 8) -> list[TurningPoint]:
    """The turns with the largest clock moves (and the turn a game ended in catastrophe without an
    assessment: nuclear use), in turn order, each with what happened on it."""
    outcome, start_clock = view.outcome, game.scenario.clock.start
    biggest = sorted((a for a in view.assessments if a.clock_change), key=lambda a: (-abs(a.clock_change), a.turn))
    # how far the clock really moved (the change is clamped at midnight and at the clock's maximum)
    was = dict(zip((a.turn for a in view.assessments), [start_clock, *(a.clock for a in view.assessments)],
                   strict=False))
    headlines: dict[int, str] = {}
    for a in biggest[:limit]:
        way = t("toward_midnight", language) if a.clock_change > 0 else t("away_from_midnight", language)
        risk = present.num(round(a.risk, 1)) if a.risk is not None else "?"
        moved = abs(was[a.turn] - a.clock) or abs(a.clock_change)
        headlines[a.turn] = t("point_clock", language, d=present.num(round(moved, 2)), way=way,
                              clock=present.num(round(a.clock, 2)), risk=risk)
    assessed = {a.turn for a in view.assessments}
    # the turn weapons were used: the day after began on it, or the game ended on it
    began = next((e.turn for e in view.log if isinstance(e.event, events.AftermathBegan)), None)
    nuclear = outcome is not None and outcome.termination.value == "nuclear_use"
    used = began if began is not None else outcome.turn if nuclear and outcome is not None else None
    if used is not None and outcome is not None:
        # nuclear use in a crisis (before the turn's assessment) or by accident (at it)
        before = (was.get(used, start_clock) if used in assessed
                  else view.assessments[-1].clock if view.assessments else start_clock)
        how = present.how_it_ended(outcome.termination, language, game, outcome.condition)
        headlines.pop(used, None)
        headlines[used] = t("point_end", language, how=how, clock=present.num(round(before, 2)))
    points = []
    for turn in sorted(headlines):
        told = [present.entry_text(game, e, language) for e in view.log if e.turn == turn and (
            isinstance(e.event, _TOLD) or (isinstance(e.event, events.EventFired) and not e.event.hint))]
        if len(told) > lines:
            told = told[:lines - 1] + [t("and_more", language, n=len(told) - lines + 1)]
        points.append(TurningPoint(turn, headlines[turn], tuple(told)))
    return points


def _hanging(text: str, first: str, indent: int, width: int | None) -> list[str]:
    """Plain `text` as markup lines after the markup `first` (`indent` cells wide), wrapped to
    `width` cells with the lines after the first indented as far (Chinese, without spaces to break
    at, would otherwise leave `first` alone on a line)."""
    room = (width or 0) - indent
    if room < 12:
        return [f"{first}{escape(text)}"]
    pieces = [piece.plain.rstrip() for piece in Content(printable(text)).wrap(room)] or [""]
    return [f"{first}{escape(pieces[0])}", *(" " * indent + escape(piece) for piece in pieces[1:])]


def _points_markup(points: list[TurningPoint], language: str, width: int | None = None) -> str:
    if not points:
        return t("none", language)
    parts = []
    for point in points:
        turn = t("turn_short", language, turn=point.turn)
        parts += _hanging(point.headline, f"[b]{escape(turn)}[/b] ", cell_len(turn) + 1, width)
        for text in point.happened:
            parts += _hanging(text, "  · ", 4, width)
    return "\n".join(parts)


class PointsText(Static):
    """The turning points, wrapped to the panel's width with hanging indents."""

    def __init__(self, points: list[TurningPoint], language: str, **kwargs) -> None:
        super().__init__(_points_markup(points, language), **kwargs)
        self.points, self.language = points, language

    def on_resize(self, event: Resize) -> None:
        self.update(_points_markup(self.points, self.language, event.size.width))
