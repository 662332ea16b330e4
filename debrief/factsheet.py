"""The fact sheet of a scenario (`midnight sources`): every source, its note (where the scenario
says a figure is unverified, the note says so), the starting figures that cite it and what else
in play cites it — a handout a facilitator can give a seminar before the game.

Markdown, like the debrief's Markdown report: it reads as plain text in a terminal and prints or
converts as a document. Which figure cites which source is the engine's answer
(engine.rules.citations), the same the terminal's sources screen and the debrief give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from debrief.markdown import _line, _n
from debrief.words import word
from engine.rules.citations import cited_content, cited_figures

if TYPE_CHECKING:
    from engine.rules.game import Game


def fact_sheet(game: Game, language: str) -> str:
    """The scenario's sources and the figures that cite them, in Markdown."""
    scenario = game.scenario

    def w(key: str, **values: object) -> str:
        return word(key, language, **values)

    separator = "、" if language == "zh" else " · "
    figures, content = cited_figures(game), cited_content(scenario)
    out = [f"# {_line(w('fact_sheet_title', title=scenario.title.get(language)))}", "", w("fact_sheet_intro"), ""]
    if not scenario.sources:
        out += [w("no_sources"), ""]
    for number, source in enumerate(scenario.sources, start=1):
        out += [f"## [{number}] {_line(source.title)}", ""]
        where = f"{_line(source.publisher)}, {_line(source.date)}."
        out += [where + (f" <{_line(source.url)}>" if source.url else ""), ""]
        if source.note:
            out += [_line(" ".join(source.note.split())), ""]
        if figures[source.id]:
            listed = separator.join(f"{_line(label.get(language))} {_n(value)}" for label, value in figures[source.id])
            out += [f"**{w('starting_figures')}** {listed}", ""]
        if content[source.id]:
            listed = separator.join(_line(label.get(language)) for label in content[source.id])
            out += [f"**{w('cited_in_play')}** {listed}", ""]
        if not figures[source.id] and not content[source.id]:
            out += [f"*{w('not_cited')}*", ""]
    out += ["---", "", f"*{w('fact_sheet_generated', scenario=scenario.id, version=scenario.version)}*", ""]
    return "\n".join(out)
