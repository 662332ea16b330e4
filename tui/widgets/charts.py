"""Charts of the Doomsday Clock and escalation risk over the turns (textual-plotext)."""

from __future__ import annotations

from collections.abc import Iterable

from textual_plotext import PlotextPlot


class TrendChart(PlotextPlot):
    """The clock (seconds to midnight) and risk per turn, with the turning points marked."""

    def __init__(self, assessments, start_clock: float, marks: Iterable[int] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self.assessments, self.start_clock, self.marks = tuple(assessments), start_clock, list(marks)

    def on_mount(self) -> None:
        plt = self.plt
        turns = [0] + [a.turn for a in self.assessments]
        clock = [self.start_clock] + [a.clock for a in self.assessments]
        plt.plot(turns, clock, label="clock (s)", marker="braille")
        risks = [a.risk for a in self.assessments if a.risk is not None]
        if len(risks) == len(self.assessments) and risks:
            plt.plot([a.turn for a in self.assessments], risks, label="risk", marker="braille")
        for turn in self.marks:
            plt.vline(turn)
        plt.xlabel("turn")
        plt.xticks(turns)
        plt.title("Doomsday Clock and escalation risk")
