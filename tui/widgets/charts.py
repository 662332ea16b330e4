"""Charts of the Doomsday Clock and escalation risk over the turns (textual-plotext)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual_plotext import PlotextPlot

from tui.i18n import t

# The two lines' colours: plotext's names, and the same colours for Textual markup.
COLOURS = {"clock": ("cyan", "cyan"), "risk": ("orange", "orange")}


def wide(text: str) -> bool:
    """Whether `text` has characters two cells wide (Chinese): plotext lays out text one cell a
    character, so such a title or legend would push the chart's rows out of line."""
    return cell_len(text) != len(text)


class TrendChart(PlotextPlot):
    """The clock (seconds to midnight) and risk per turn, with the turning points marked.

    `final` is the (turn, clock) a game ended on when that turn was never assessed (nuclear use
    ends the game in the middle of a turn): the clock line runs to it, so the last turn is shown.
    In a language of wide characters the title and legend are left to `caption()`, shown above.
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
        self.words = {key: t(key, language) for key in ("chart_title", "chart_clock", "chart_risk", "chart_turn")}
        self.text_outside = any(wide(word) for word in self.words.values())

    @property
    def shows_risk(self) -> bool:
        risks = [a.risk for a in self.assessments if a.risk is not None]
        return bool(risks) and len(risks) == len(self.assessments)

    def caption(self) -> str:
        """The title and legend as markup, for a language whose words plotext cannot lay out ("" otherwise)."""
        if not self.text_outside:
            return ""
        parts = [f"[b]{self.words['chart_title']}[/b]", f"[{COLOURS['clock'][1]}]⣿[/] {self.words['chart_clock']}"]
        if self.shows_risk:
            parts.append(f"[{COLOURS['risk'][1]}]⣿[/] {self.words['chart_risk']}")
        return " · ".join(parts) + f" · x: {self.words['chart_turn']}"

    def on_mount(self) -> None:
        plt = self.plt
        inside = not self.text_outside
        plt.plot(self.turns, self.clock, label=self.words["chart_clock"] if inside else None, marker="braille",
                 color=COLOURS["clock"][0])
        if self.shows_risk:
            plt.plot([a.turn for a in self.assessments], [a.risk for a in self.assessments],
                     label=self.words["chart_risk"] if inside else None, marker="braille", color=COLOURS["risk"][0])
        for turn in self.marks:
            plt.vline(turn)
        if inside:
            plt.xlabel(self.words["chart_turn"])
            plt.title(self.words["chart_title"])
        plt.xticks(self.turns)
        if self.turns[-1] > 0:
            plt.xlim(0, self.turns[-1])
