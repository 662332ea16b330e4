"""The resolution reveal: every seat's moves together, what happened, and why the clock moved."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from engine.play.table import Session, TurnReport
from tui import present
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings


class ResolutionScreen(LocalizedKeys, Screen[None]):
    """A finished turn as the table may see it (the only human's view, or the public one in hot-seat)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Hand-off, resolution")

    def __init__(self, session: Session, report: TurnReport) -> None:
        super().__init__()
        self.session, self.report = session, report

    def compose(self) -> ComposeResult:
        session, report, lang = self.session, self.report, self.session.language
        game = session.game
        viewer = session.viewer()
        view = session.view_for(viewer, report.after)
        entries = [e for e in view.log if e.turn == report.turn]
        moves = [e for e in entries if e.kind == "move"]
        others = [e for e in entries if e.kind not in ("move", "turn")]
        with VerticalScroll(id="resolution"):
            yield Label(f"[b]{t('resolution', lang, turn=report.turn)}[/b] · {game.date_of(report.turn)}", id="resolution-title")
            yield Label(t("moves_revealed", lang), classes="section")
            lines = [present.log_markup("move", e.text.get(lang)) for e in moves]
            movers = {e.event.actor for e in moves}
            for seat in game.seats:
                if seat in report.before.active and seat not in movers:
                    lines.append(present.log_markup("move", t("no_public_moves", lang, name=session.name(seat))))
            yield Static("\n".join(lines))
            yield Label(t("what_happened", lang), classes="section")
            yield Static("\n".join(present.log_markup(e.kind, e.text.get(lang)) for e in others) or f"[i]{t('none', lang)}[/i]")
            yield Label(t("why_clock", lang), classes="section")
            yield Static(self._clock_line(view), id="clock-line")
            yield DataTable(id="factors", show_cursor=False, zebra_stripes=True)
        yield Footer()

    def _assessments(self, view):
        now = next((a for a in view.assessments if a.turn == self.report.turn), None)
        before = next((a for a in view.assessments if a.turn == self.report.turn - 1), None)
        return before, now

    def _clock_line(self, view) -> str:
        lang = self.session.language
        before, now = self._assessments(view)
        if now is None:
            return f"[i]{t('none', lang)}[/i]"
        start = now.clock + now.clock_change
        text = f"{t('clock', lang)}: {present.num(start)} → [b]{present.num(now.clock)}[/b] s"
        if now.clock_change > 0:
            text += f" ([$error]{t('closer', lang, d=present.num(now.clock_change))}[/])"
        elif now.clock_change < 0:
            text += f" ([$success]{t('back', lang, d=present.num(-now.clock_change))}[/])"
        if now.risk is None:
            text += f"\n{t('risk', lang)}: [i]{t('hidden', lang)}[/i]"
        else:
            was = f"{present.num(round(before.risk, 2))} → " if before and before.risk is not None else ""
            text += f"\n{t('risk', lang)}: {was}[b]{present.num(round(now.risk, 2))}[/b]"
        return text

    def on_mount(self) -> None:
        lang = self.session.language
        view = self.session.view_for(self.session.viewer(), self.report.after)
        before, now = self._assessments(view)
        table = self.query_one(DataTable)
        if now is None or not now.factors:
            table.display = False
            return
        labels = present.factor_labels(self.session.game, lang)
        table.add_columns(t("factor", lang), t("previous", lang), t("now", lang), t("change", lang))
        for factor, value in now.factors.items():
            was = before.factors.get(factor, 0.0) if before is not None else None
            change = "" if was is None else present.signed(round(value - was, 2))
            table.add_row(present.literal(labels.get(factor, factor)), "" if was is None else present.num(round(was, 2)),
                          present.num(round(value, 2)), change)

    def action_continue(self) -> None:
        self.dismiss(None)
