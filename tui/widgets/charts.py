"""Charts of the Doomsday Clock and escalation risk over the turns (textual-plotext)."""

from __future__ import annotations

from collections.abc import Iterable

from textual_plotext import PlotextPlot

from tui.i18n import t


class TrendChart(PlotextPlot):
    """The clock (seconds to midnight) and risk per turn, with the turning points marked.

    `final` is the (turn, clock) a game ended on when that turn was never assessed (nuclear use
    ends the game in the middle of a turn): the clock line runs to it, so the last turn is shown.
    """

    def __init__(self, assessments, start_clock: float, marks: Iterable[int] = (),
                 final: tuple[int, float] | None = None, language: str = "en", **kwargs) -> None:
        super().__init__(**kwargs)
        self.language = language
        self.assessments, self.start_clock, self.marks = tuple(assessments), start_clock, list(marks)
        self.turns = [0] + [a.turn for a in self.assessments]
        self.clock = [self.start_clock] + [a.clock for a in self.assessments]
        if final is not None and final[0] > self.turns[-1]:
            self.turns.append(final[0])
            self.clock.append(final[1])

    def on_mount(self) -> None:
        plt = self.plt
        plt.plot(self.turns, self.clock, label=t("chart_clock", self.language), marker="braille")
        risks = [a.risk for a in self.assessments if a.risk is not None]
        if len(risks) == len(self.assessments) and risks:
            plt.plot([a.turn for a in self.assessments], risks, label=t("chart_risk", self.language), marker="braille")
        for turn in self.marks:
            plt.vline(turn)
        plt.xlabel(t("chart_turn", self.language))
        plt.xticks(self.turns)
        if self.turns[-1] > 0:
            plt.xlim(0, self.turns[-1])
        plt.title(t("chart_title", self.language))
