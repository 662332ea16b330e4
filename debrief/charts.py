"""The report's charts, drawn by matplotlib (Agg, no display, no network) as SVG text to inline.

Text is drawn as paths (`svg.fonttype: path`), so a page shows it the same with no font installed.
Chinese needs a font with CJK glyphs: the first one matplotlib finds installed (Noto Sans CJK,
Debian's fonts-noto-cjk, and others); with none, the charts' own words fall back to English
rather than drawing empty boxes (`chart_language`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache

import matplotlib

matplotlib.use("Agg")  # before pyplot: never a display

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from debrief.story import Debrief, TrackSeries  # noqa: E402
from debrief.words import word  # noqa: E402

# Fonts with Chinese glyphs, in order of preference (family names as fontconfig knows them).
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN", "Droid Sans Fallback", "Microsoft YaHei",
             "PingFang SC", "SimHei")

# Colours for series without an actor's colour (risk factors, pairs): distinct, printable in grey too.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac", "#17becf", "#8c564b")


@cache
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None:  # a font not in the list: any whose file says it is CJK
        found = next((f.name for f in font_manager.fontManager.ttflist
                      if any(tag in f.name for tag in ("CJK", "Han Sans", "Hei", "Ming", "Song"))), None)
    return found


def chart_language(language: str) -> str:
    """The language the charts' own words are drawn in: English for Chinese without a CJK font."""
    if language == "zh" and cjk_font() is None:
        return "en"
    return language


def _style(language: str) -> dict:
    families = ["DejaVu Sans"]
    cjk = cjk_font() if language == "zh" else None
    if cjk:
        families = [cjk, "DejaVu Sans"]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "midnight-debrief",  # the same SVG for the same game: ids do not vary
    }


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _label(text: str, language: str) -> str:
    """Scenario text drawn in a chart: without a CJK font, Chinese would be boxes, so it is dropped
    to what the font can draw (the report's text beside the chart still says it in full)."""
    if chart_language(language) == language:
        return text
    return text.encode("ascii", "ignore").decode().strip() or "?"


def clock_chart(debrief: Debrief) -> str:
    """The Doomsday Clock over the turns, midnight at the bottom, turning points marked."""

    lang = chart_language(debrief.language)
    with matplotlib.rc_context(_style(lang)):
        figure = _figure(9.5, 2.8)
        axes = figure.subplots()
        turns = [0, *(f.turn for f in debrief.figures)]
        clock = [debrief.clock_start, *(f.clock for f in debrief.figures)]
        if debrief.over and debrief.catastrophe and debrief.figures and debrief.final_turn > debrief.figures[-1].turn:
            turns.append(debrief.final_turn)
            clock.append(debrief.clock_final)
        axes.plot(turns, clock, color="#b2182b", linewidth=2, marker="o", markersize=3)
        axes.fill_between(turns, clock, 0, color="#b2182b", alpha=0.08)
        axes.axhline(0, color="black", linewidth=1)
        axes.set_ylim(bottom=0, top=max(clock) * 1.15 + 1)
        axes.text(0.2, 0, word("midnight", lang), va="bottom", ha="left", fontsize=8)  # clear of the last point
        for point in debrief.points:
            axes.axvline(point.turn, color="#888888", linestyle=":", linewidth=1)
            axes.annotate(f"T{point.turn}", (point.turn, axes.get_ylim()[1]), ha="center", va="top", fontsize=8,
                          color="#555555")
        axes.set_xlabel(word("turn_axis", lang))
        axes.set_ylabel(word("seconds_axis", lang))
        axes.set_title(word("clock_chart", lang), loc="left")
        axes.set_xlim(0, max(turns) + 0.5)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _svg(figure)


def risk_chart(debrief: Debrief) -> str | None:
    """Risk's named contributions stacked turn by turn (positive up, negative down), the total on
    top: why the clock moved, at a glance. None when the reader may not see risk."""
    if not debrief.risk_visible or not debrief.figures:
        return None
    lang = chart_language(debrief.language)
    with matplotlib.rc_context(_style(lang)):
        figure = _figure(9.5, 3.8)
        axes = figure.subplots()
        turns = [f.turn for f in debrief.figures]
        factors = [f for f in debrief.factor_labels if any(abs(t.factors.get(f, 0.0)) >= 0.05 for t in debrief.figures)]
        up = [0.0] * len(turns)
        down = [0.0] * len(turns)
        for index, factor in enumerate(factors):
            values = [t.factors.get(factor, 0.0) for t in debrief.figures]
            colour = PALETTE[index % len(PALETTE)]
            bottoms = [u if v >= 0 else d for v, u, d in zip(values, up, down, strict=True)]
            axes.bar(turns, values, bottom=bottoms, color=colour, width=0.8, edgecolor="white", linewidth=0.3,
                     label=_label(debrief.factor_labels[factor], debrief.language))
            up = [u + max(v, 0.0) for u, v in zip(up, values, strict=True)]
            down = [d + min(v, 0.0) for d, v in zip(down, values, strict=True)]
        risk = [f.risk or 0.0 for f in debrief.figures]
        axes.plot(turns, risk, color="black", linewidth=1.6, marker="o", markersize=3, label=word("risk_total", lang))
        axes.axhline(0, color="black", linewidth=0.6)
        for point in debrief.points:
            axes.axvline(point.turn, color="#888888", linestyle=":", linewidth=1)
        axes.set_xlabel(word("turn_axis", lang))
        axes.set_title(word("risk_chart", lang), loc="left")
        axes.set_xlim(0.4, max(*turns, debrief.final_turn) + 0.6)  # the clock chart's turns, to nuclear use
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
        return _svg(figure)


def headline_chart(debrief: Debrief) -> str | None:
    """Small multiples: one panel per headline track, a line per actor or pair."""
    if not debrief.headlines:
        return None
    lang = chart_language(debrief.language)
    groups: dict[str, list[TrackSeries]] = {}
    for series in debrief.headlines:
        groups.setdefault(series.track, []).append(series)
    columns = min(3, len(groups))
    rows = (len(groups) + columns - 1) // columns
    with matplotlib.rc_context(_style(lang)):
        figure = _figure(9.5, 2.4 * rows)
        grid = figure.subplots(rows, columns, squeeze=False)
        for index, (_, members) in enumerate(groups.items()):
            axes = grid[index // columns][index % columns]
            _panel(axes, members, debrief, lang)
        for index in range(len(groups), rows * columns):
            grid[index // columns][index % columns].set_visible(False)
        return _svg(figure)


def _panel(axes, members: Sequence[TrackSeries], debrief: Debrief, lang: str) -> None:
    for index, series in enumerate(members):
        turns = [t for t, _ in series.values]
        values = [v for _, v in series.values]
        colour = series.colour or PALETTE[index % len(PALETTE)]
        axes.plot(turns, values, color=colour, linewidth=1.5, label=_label(series.who, debrief.language) or None)
    title = _label(members[0].label, debrief.language)
    number = debrief.cite(members[0].source)
    axes.set_title(f"{title} [{number}]" if number else title, loc="left", fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(labelsize=7)
    if any(s.who for s in members):
        axes.legend(fontsize=6, frameon=False)
