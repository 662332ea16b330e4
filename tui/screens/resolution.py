"""The resolution reveal: every seat's moves together, what happened, and why the clock moved."""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from engine.play.table import Session, TurnReport
from engine.rules import events
from engine.rules.judgement import clock_set_on, last_setting
from engine.rules.state import Termination
from tui import present
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape

# The names of risk and of the clock's period in a formula (not part of a longer name, a dotted name or a string).
_RISK_NAMES = re.compile(
    r"(?<![A-Za-z0-9_.'\"])(previous_risk|period_max_risk|period_risk|period_turns|risk)(?![A-Za-z0-9_.'\"])")


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
            lines = [present.entry_markup(game, e, lang) for e in moves]
            movers = {e.event.actor for e in moves}
            for seat in game.seats:
                if seat in report.before.active and seat not in movers:
                    lines.append(present.log_markup("move", t("no_public_moves", lang, name=session.name(seat)), lang))
            yield Static("\n".join(lines))
            yield Label(t("what_happened", lang), classes="section")
            yield Static("\n".join(present.entry_markup(game, e, lang) for e in others) or f"[i]{t('none', lang)}[/i]")
            yield Label(t("why_clock", lang), classes="section")
            yield Static(self._clock_line(view), id="clock-line")
            yield DataTable(id="factors", show_cursor=False, zebra_stripes=True)
        yield Footer()

    def _assessments(self, view):
        now = next((a for a in view.assessments if a.turn == self.report.turn), None)
        before = next((a for a in view.assessments if a.turn == self.report.turn - 1), None)
        return before, now

    def _nuclear_use(self, view) -> tuple[int, str | None] | None:
        """The turn nuclear weapons were used and its cause (an accident's id), as far as this turn
        (from the log, which a remote seat's view carries too)."""
        began = next((e for e in view.log if isinstance(e.event, events.AftermathBegan)), None)
        if began is not None:  # the day after is played (or was, to the end)
            return began.turn, began.event.cause
        outcome = self.report.after.outcome
        if outcome is not None and outcome.termination is Termination.NUCLEAR_USE:
            return outcome.turn, outcome.condition
        return None

    def _clock_line(self, view) -> str:
        lang = self.session.language
        before, now = self._assessments(view)
        used = self._nuclear_use(view)
        if used is not None and used[0] <= self.report.turn:
            # nuclear use (in a crisis, before the assessment, or by accident, at it) is midnight
            game = self.session.game
            if used[0] == self.report.turn:
                how = present.how_it_ended(Termination.NUCLEAR_USE, lang, game, used[1])
                was = before.clock if before is not None else game.scenario.clock.start
                text = (f"{t('clock', lang)}: {present.num(round(was, 2))} → [b]{present.num(view.clock)}[/b]{t('s_unit', lang)}"
                        f" ([$error]{t('clock_catastrophe', lang, how=how)}[/])")
            else:
                text = (f"{t('clock', lang)}: [b]{present.num(view.clock)}[/b]{t('s_unit', lang)}"
                        f" ([$error]{t('clock_day_after', lang)}[/])")
            if now is not None and now.risk is not None:
                text += f"\n{t('risk', lang)}: [b]{present.num(round(now.risk, 2))}[/b]"
            return text
        if now is None:
            return f"[i]{t('none', lang)}[/i]"
        start = now.clock + now.clock_change
        text = f"{t('clock', lang)}: {present.num(start)} → [b]{present.num(now.clock)}[/b]{t('s_unit', lang)}"
        if now.clock_change > 0:
            text += f" ([$error]{t('closer', lang, d=present.num(now.clock_change))}[/])"
        elif now.clock_change < 0:
            text += f" ([$success]{t('back', lang, d=present.num(-now.clock_change))}[/])"
        if now.risk is None:
            text += f"\n{t('risk', lang)}: [i]{t('hidden', lang)}[/i]"
        else:
            was = f"{present.num(round(before.risk, 2))} → " if before and before.risk is not None else ""
            text += f"\n{t('risk', lang)}: {was}[b]{present.num(round(now.risk, 2))}[/b]"
        return text + "\n" + self._clock_rule(view, before, now)

    def _clock_rule(self, view, before, now) -> str:
        """How risk becomes clock seconds: the scenario's formula, and this turn's numbers in it; a
        clock set once a period (the Bulletin's yearly judgement) says when it is set."""
        lang = self.session.language
        game = self.session.game
        scenario = game.scenario
        source = " ".join(scenario.clock.change.source.split())
        # in another language the formula's names are said in it too ("risk" is "风险")
        shown = source if lang == "en" else _RISK_NAMES.sub(lambda m: t(f"formula_{m.group(1)}", lang), source)
        scheduled = scenario.clock.every != 1 or scenario.clock.month is not None
        if not scheduled:
            text = t("clock_rule", lang, formula=escape(shown))
        else:
            turns = [n for n in range(1, scenario.turns + 1) if clock_set_on(scenario, n)]
            text = t("clock_rule_set", lang, formula=escape(shown), turns=t("list_separator", lang).join(map(str, turns)))
            if not clock_set_on(scenario, now.turn):
                upcoming = next((n for n in turns if n > now.turn), None)
                return text + "\n" + (t("clock_not_set", lang, turn=upcoming) if upcoming else t("clock_not_set_again", lang))
        if now.risk is None:  # risk hidden from this seat: the rule, and only the change it gave
            return text + "\n" + t("clock_rule_hidden", lang, change=present.signed(round(now.clock_change, 2)))
        # previous_risk on the first turn is this turn's risk (there is no turn before)
        previous = before.risk if before is not None and before.risk is not None else now.risk
        since = last_setting(scenario, now.turn)
        period = [a.risk for a in view.assessments
                  if since < a.turn <= now.turn and a.risk is not None] or [now.risk]
        values = {"risk": present.num(round(now.risk, 2)), "previous_risk": present.num(round(previous, 2)),
                  "period_risk": present.num(round(sum(period) / len(period), 2)),
                  "period_max_risk": present.num(round(max(period), 2)), "period_turns": str(len(period))}
        worked = _RISK_NAMES.sub(lambda m: values[m.group(1)], source)
        change = round(now.clock_change, 2)
        way = t("toward_midnight", lang) if change > 0 else t("away_from_midnight", lang) if change < 0 else ""
        moved = t("moved_seconds", lang, n=present.num(abs(change)), way=way).strip()
        return text + "\n" + t("clock_rule_turn", lang, worked=escape(worked), change=present.signed(change), moved=moved)

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
