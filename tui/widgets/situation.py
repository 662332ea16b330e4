"""The sidebar: the Doomsday Clock, escalation risk, the seat's forces and budget, relations, the world.

A reading of another actor's estimated track (fog: engine.rules.estimates) shows as "≈ 720 ±30%":
the seat's estimate and its error, never the true value (the view never holds it)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from engine import Game
from engine.rules.views import SeatView, TrackReading
from tui import present
from tui.i18n import t
from tui.present import escape


def reading_value(reading: TrackReading) -> str:
    """A reading's value as the sidebar writes it: "720", or an estimate "≈ 720 ±30%"."""
    if reading.error is None:
        return present.num(reading.value)
    return f"≈ {present.num(reading.value)} ±{present.num(round(reading.error))}%"


class ClockPanel(Static):
    """Seconds to midnight, coloured by danger, with the last turn's movement."""

    def show(self, view: SeatView, language: str) -> None:
        change = view.assessments[-1].clock_change if view.assessments else 0.0
        if change > 0:
            moved = t("closer", language, d=present.num(change))
        elif change < 0:
            moved = t("back", language, d=present.num(-change))
        else:
            moved = t("steady", language)
        self.set_classes(present.clock_class(view.clock))
        self.update(f"[b]{t('clock', language)}[/b]\n[b]{t('seconds', language, s=present.num(view.clock))}[/b]\n{moved}")


class SituationPanel(VerticalScroll):
    """Everything a seat should see at a glance, from its SeatView only."""

    def compose(self) -> ComposeResult:
        yield ClockPanel(id="clock")
        yield Static(id="risk")
        yield Static(id="forces")
        yield Static(id="relations")
        yield Static(id="world")

    def show(self, game: Game, view: SeatView, language: str) -> None:
        self.query_one(ClockPanel).show(view, language)
        risk = self.query_one("#risk", Static)
        if view.risk is None:
            risk.update(f"{t('risk', language)}{t('colon', language)}[i]{t('hidden', language)}[/i]")
        else:
            risk.update(f"{t('risk', language)}{t('colon', language)}[b]{present.num(round(view.risk, 1))}[/b]/100\n"
                        f"{present.bar(view.risk, 0, 100, 20)}")
        lines = [f"[b]{t('forces', language)}[/b]"]
        budget = present.budget_reading(game, view)
        if budget is not None:
            lines.append(f"{t('budget', language)} [b]{present.num(budget.value)}[/b]")
        for system, readings in present.own_tracks(game, view).items():
            lines.append(f"[$text-muted]{escape(present.system_name(game, system, language))}[/]")
            lines.extend(f"  {escape(r.label.get(language))} {reading_value(r)}" for r in readings)
        for actor, readings in present.others_tracks(view).items():
            lines.append(f"[$text-muted]{escape(present.actor_name(game, actor, language))}[/]")
            lines.extend(f"  {escape(r.label.get(language))} {reading_value(r)}" for r in readings)
        self.query_one("#forces", Static).update("\n".join(lines))
        pairs = present.pair_tracks(view)
        relation_lines = [f"[b]{t('relations', language)}[/b]"]
        for r in pairs:
            who = f"{present.actor_name(game, r.actor, language)}–{present.actor_name(game, r.other, language)}"
            relation_lines.append(f"{escape(who)} {escape(r.label.get(language))} {reading_value(r)}")
        self.query_one("#relations", Static).update("\n".join(relation_lines) if pairs else "")
        world = present.global_tracks(view)
        world_lines = [f"[b]{t('world', language)}[/b]"]
        world_lines.extend(f"{escape(r.label.get(language))} {reading_value(r)}" for r in world)
        self.query_one("#world", Static).update("\n".join(world_lines) if world else "")
