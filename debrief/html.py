"""The debrief as one self-contained HTML page: inline CSS and SVG charts, no script, no link out
(sources' addresses are printed as text), a layout that prints (the facilitator hands it out).

Every piece of text from the record or the scenario is escaped: a record is untrusted input.
"""

from __future__ import annotations

import math
import re
from html import escape

from debrief import charts
from debrief.story import Debrief, TurningPoint, questions
from debrief.words import word

CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9d9de; --warn: #b2182b; --calm: #1a7f37; --soft: #f5f5f7; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 2rem 3rem; color: var(--ink); line-height: 1.45;
       font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Noto Sans SC",
                    "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
p { margin: .4rem 0; }
.meta { color: var(--muted); font-size: .9rem; }
.kind { display: inline-block; margin: .5rem 0; padding: .25rem .6rem; border-radius: .3rem; background: var(--soft);
        font-weight: 600; }
.verdict { font-size: 1.2rem; font-weight: 700; padding: .6rem .9rem; border-radius: .4rem; margin: .6rem 0; }
.verdict.catastrophe { background: #fde8e8; color: var(--warn); border-left: 6px solid var(--warn); }
.verdict.calm { background: #e6f4ea; color: var(--calm); border-left: 6px solid var(--calm); }
nav ol { columns: 2; margin: .3rem 0; padding-left: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.nowrap { white-space: nowrap; }
table.decisions { table-layout: fixed; }
table.decisions col.c-turn { width: 3.2rem; } table.decisions col.c-talks { width: 26%; }
table.decisions col.c-moves { width: 22%; } table.decisions col.c-crisis { width: 11%; }
table.decisions ul { margin: 0; padding-left: 1rem; }
table.decisions li { margin-bottom: .15rem; }
table.decisions.seen col.c-crisis { width: 30%; }
table.compact { width: auto; min-width: 24rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.chart { margin: .6rem 0 1rem; }
.chart svg { max-width: 100%; height: auto; display: block; }
.point { border: 1px solid var(--line); border-left: 5px solid var(--warn); border-radius: .4rem; padding: .6rem .9rem;
         margin: .8rem 0; break-inside: avoid; }
.point.back { border-left-color: var(--calm); }
.point h3 { margin-top: 0; }
.point ul { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
.up { color: var(--warn); font-weight: 600; }
.down { color: var(--calm); font-weight: 600; }
.flag { color: var(--warn); font-weight: 700; }
.crisis { border: 1px solid var(--line); border-radius: .4rem; padding: .6rem .9rem; margin: .8rem 0; break-inside: avoid; }
.ladder { display: flex; flex-direction: column-reverse; gap: 2px; margin: .3rem 0 .5rem; max-width: 30rem; }
.rung { display: flex; justify-content: space-between; padding: .15rem .5rem; border: 1px solid var(--line);
        border-radius: .2rem; font-size: .85rem; }
.rung.reached { background: #fdecd2; }
.rung.peak { background: #f9b873; font-weight: 700; }
.rung.nuclear { border-color: var(--warn); color: var(--warn); }
.rung.nuclear.reached { background: var(--warn); color: white; }
.reason { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: .88rem; }
.sources li { margin-bottom: .35rem; }
.url { word-break: break-all; font-size: .85rem; color: var(--muted); }
.cite { font-size: .75em; vertical-align: super; color: var(--muted); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  h2.page { break-before: page; }
  table, .chart { break-inside: avoid; }
  tr { break-inside: avoid; }
  .verdict, .rung, th, .kind { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

SECTIONS = ("outcome", "scores", "charts", "turning_points", "what_if", "talks", "agreements", "breaches", "crises", "decisions",
            "discussion", "sources")


def render(debrief: Debrief) -> str:
    """The whole page."""
    lang = debrief.language
    html_lang = "zh-Hans" if lang == "zh" else lang
    body = [
        _header(debrief),
        _nav(debrief),
        _outcome(debrief),
        _scores(debrief),
        _charts(debrief),
        _points(debrief),
        _what_if(debrief),
        _talks(debrief),
        _agreements(debrief),
        _breaches(debrief),
        _crises(debrief),
        _decisions(debrief),
        _discussion(debrief),
        _sources(debrief),
        f"<footer>{escape(word('generated', lang))}</footer>",
    ]
    title = f"{word('report_title', lang)} · {debrief.title}"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


# -- pieces ----------------------------------------------------------------------------------------


def _n(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{round(value, digits):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _signed(value: float, digits: int = 1) -> str:
    text = _n(abs(value), digits)
    if text == "0":
        return "±0"
    return ("+" if value > 0 else "−") + text


def _cite(debrief: Debrief, source: str | None) -> str:
    number = debrief.cite(source)
    return f'<span class="cite">[<a href="#source-{number}">{number}</a>]</span>' if number else ""


def _section(key: str, debrief: Debrief, content: str, page: bool = False) -> str:
    cls = ' class="page"' if page else ""
    return f'<section id="{key}">\n<h2{cls}>{escape(word(key, debrief.language))}</h2>\n{content}\n</section>'


def _name(debrief: Debrief, actor: str) -> str:
    return escape(debrief.names.get(actor, actor))


def _when(played: str) -> str:
    """A record's ISO time as people write it: '2026-12-02 23:44 UTC' (anything else as it is)."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d)?(\+00:00|Z)", played)
    return f"{match.group(1)} {match.group(2)} UTC" if match else played


def _header(debrief: Debrief) -> str:
    lang = debrief.language
    kind = (word("facilitator_report", lang) if debrief.seat == "facilitator"
            else word("seat_report", lang, seat=debrief.names.get(debrief.seat, debrief.seat)))
    meta = [f"{escape(debrief.scenario_id)} v{escape(debrief.scenario_version)}",
            f"{escape(word('seed', lang))} {debrief.seed}"]
    if debrief.played:
        meta.append(f"{escape(word('played', lang))} {escape(_when(debrief.played))}")
    if debrief.record_name:
        meta.append(escape(debrief.record_name))
    parts = [f"<header>\n<h1>{escape(word('report_title', lang))}: {escape(debrief.title)}</h1>",
             f'<p class="meta">{" · ".join(meta)}</p>']
    if debrief.branched_from:
        record, turn = debrief.branched_from
        parts.append(f'<p class="meta">{escape(word("branched", lang, record=record, turn=turn))}</p>')
    parts.append(f'<div class="kind">{escape(kind)}</div>')
    if debrief.summary:
        parts.append(f'<p class="note">{escape(debrief.summary)}</p>')
    parts.append("</header>")
    return "\n".join(parts)


def _nav(debrief: Debrief) -> str:
    keys = [k for k in SECTIONS if k != "what_if" or debrief.what_if]
    items = "".join(f'<li><a href="#{key}">{escape(word(key, debrief.language))}</a></li>' for key in keys)
    return f"<nav><strong>{escape(word('contents', debrief.language))}</strong><ol>{items}</ol></nav>"


def _outcome(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.over:
        text = word("in_progress", lang, turn=debrief.final_turn, turns=debrief.turns)
        return _section("outcome", debrief, f"<p>{escape(text)}</p>")
    verdict = word("catastrophe", lang) if debrief.catastrophe else word("no_catastrophe", lang)
    cls = "catastrophe" if debrief.catastrophe else "calm"
    facts = word("facts", lang, agreements=len(debrief.agreements), breaches=len(debrief.breaches),
                 crises=len(debrief.crises))
    lines = [f'<div class="verdict {cls}">{escape(verdict)}</div>', f"<p>{escape(debrief.outcome_text)}</p>",
             f"<p>{escape(word('clock_final', lang, clock=_n(debrief.clock_final), start=_n(debrief.clock_start)))}</p>",
             f"<p>{escape(facts)}</p>"]
    players = [s for s in debrief.seats if s.player]
    if players:
        items = "".join(f"<li>{escape(s.name)}: {escape(word('played_by', lang, who=s.player))}</li>" for s in players)
        lines.append(f"<p><strong>{escape(word('players', lang))}</strong></p><ul>{items}</ul>")
    return _section("outcome", debrief, "\n".join(lines))


def _scores(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.over:
        return _section("scores", debrief, f"<p>{escape(word('no_scores', lang))}</p>")
    rows = "".join(f'<tr><td>{escape(s.name)}</td><td class="num">{_n(s.score, 2)}</td></tr>' for s in debrief.scores)
    rows += f'<tr><td><em>{escape(word("shared", lang))}</em></td><td class="num">{_n(debrief.shared, 2)}</td></tr>'
    note = f'<p class="note">{escape(word("after_catastrophe", lang))}</p>' if debrief.catastrophe else ""
    table = (f'<table class="compact"><thead><tr><th>{escape(word("seat", lang))}</th>'
             f'<th class="num">{escape(word("score", lang))}</th></tr></thead><tbody>{rows}</tbody></table>')
    return _section("scores", debrief, note + table)


def _charts(debrief: Debrief) -> str:
    lang = debrief.language
    parts = [f'<div class="chart" id="clock-chart">{charts.clock_chart(debrief)}</div>',
             f'<p class="note">{escape(word("clock_rule", lang, rule=debrief.clock_rule))}</p>']
    risk = charts.risk_chart(debrief)
    if risk is None:
        parts.append(f'<p class="note">{escape(word("risk_hidden", lang))}</p>')
    else:
        parts.append(f'<div class="chart" id="risk-chart">{risk}</div>')
    headline = charts.headline_chart(debrief)
    if headline is None:
        parts.append(f'<p class="note">{escape(word("no_headline", lang))}</p>')
    else:
        tracks: dict[str, str | None] = {}
        for series in debrief.headlines:
            tracks.setdefault(series.label, series.source)
        named = ", ".join(f"{escape(label)}{_cite(debrief, source)}" for label, source in tracks.items())
        parts.append(f"<h3>{escape(word('headline_chart', lang))}</h3>")
        parts.append(f'<div class="chart" id="headline-chart">{headline}</div>')
        parts.append(f'<p class="note">{named}. {escape(word("end_of_turn", lang))}</p>')
    parts.append(_figures_table(debrief))
    return _section("charts", debrief, "\n".join(parts), page=True)


def _figures_table(debrief: Debrief) -> str:
    lang = debrief.language
    head = [word("turn", lang), word("date", lang), word("clock", lang), word("clock_change", lang)]
    if debrief.risk_visible:
        head.append(word("risk_total", lang))
    cells = "".join(f'<th class="num">{escape(h)}</th>' for h in head)
    rows = []
    for f in debrief.figures:
        row = [str(f.turn), escape(f.date), _n(f.clock), _signed(-f.clock_change)]
        if debrief.risk_visible:
            row.append(_n(f.risk))
        rows.append("<tr>" + "".join(f'<td class="num">{c}</td>' for c in row) + "</tr>")
    return (f"<h3>{escape(word('figures_table', lang))}</h3><table class=\"compact\"><thead><tr>{cells}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _points(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.points:
        return _section("turning_points", debrief, f"<p>{escape(word('no_points', lang))}</p>", page=True)
    return _section("turning_points", debrief, "\n".join(_point(debrief, p) for p in debrief.points), page=True)


def _point(debrief: Debrief, point: TurningPoint) -> str:
    lang = debrief.language
    toward = point.clock_moved > 0 or point.ended is not None
    parts = [f'<div class="point{"" if toward else " back"}" id="point-{point.turn}">',
             f"<h3>T{point.turn} · {escape(point.date)}</h3>"]
    if point.ended is not None:
        parts.append(f'<p class="flag">{escape(word("point_end", lang, how=point.ended))}</p>')
    else:
        way = word("toward", lang) if point.clock_moved > 0 else word("away", lang)
        cls = "up" if point.clock_moved > 0 else "down"
        moved = (word("point_clock", lang, moved=_n(abs(point.clock_moved)), way=way, clock=_n(point.clock_after))
                 if abs(point.clock_moved) >= 0.05 else word("point_clock_still", lang, clock=_n(point.clock_after)))
        parts.append(f'<p><span class="{cls}">{escape(moved)}</span>')
        if point.risk_after is not None:
            parts.append(" " + escape(word("point_risk", lang, before=_n(point.risk_before), after=_n(point.risk_after))))
        parts.append("</p>")
    if point.largest:
        items = ("、" if lang == "zh" else ", ").join(f"{escape(c.label)} <strong>{_n(c.after)}</strong>" for c in point.largest)
        head = (word("contributions", lang) if point.judged_from is None
                else word("judged", lang, first=point.judged_from, last=point.turn))
        parts.append(f"<p><strong>{escape(head)}{'：' if lang == 'zh' else ':'}</strong> {items}</p>")
    if point.factors:
        items = "".join(
            f'<li><span class="{"up" if c.change > 0 else "down"}">{_signed(c.change)}</span> {escape(c.label)} '
            f'<span class="note">({_n(c.before)} → {_n(c.after)})</span></li>'
            for c in point.factors)
        why = word("why_moved" if point.judged_from is None else "why_judged", lang)
        parts.append(f"<p><strong>{escape(why)}</strong></p><ul>{items}</ul>")
    if point.happened:
        items = "".join(f"<li>{escape(text)}{_cite(debrief, source)}</li>" for text, source in point.happened)
        parts.append(f"<p><strong>{escape(word('what_happened', lang))}</strong></p><ul>{items}</ul>")
    parts.append("</div>")
    return "\n".join(parts)


def _percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.1f}%"


def _what_if(debrief: Debrief) -> str:
    """The counterfactual table (--what-if): empty unless asked for."""
    rows = debrief.what_if
    if not rows:
        return ""
    lang = debrief.language
    changed = next((r for r in rows if r.changed is not None), None)
    head = [word("turn", lang), word("what_if_clock", lang), word("as_played", lang), word("final_clock", lang)]
    if changed is not None:
        head += [word("as_changed", lang, changes=", ".join(changed.changes)), word("final_clock", lang),
                 word("difference", lang)]
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = []
    for r in rows:
        row = [str(r.turn), _n(r.clock), f"{_percent(r.played.rate)} ({_percent(r.played.low)}–{_percent(r.played.high)})",
               _n(r.played.clock)]
        if r.changed is not None and r.difference is not None:
            mean, low, high = r.difference
            clear = " *" if not (math.isnan(low) or low <= 0 <= high) else ""
            row += [f"{_percent(r.changed.rate)} ({_percent(r.changed.low)}–{_percent(r.changed.high)})",
                    _n(r.changed.clock), f"{100 * mean:+.1f} pts ({100 * low:+.1f} to {100 * high:+.1f}){clear}"]
        body.append("<tr>" + "".join(f'<td class="num">{escape(c)}</td>' for c in row) + "</tr>")
    intro = word("what_if_intro", lang, runs=rows[0].played.runs)
    note = f'<p class="note">{escape(word("what_if_note", lang))}</p>' if changed is not None else ""
    return _section("what_if", debrief, f"<p>{escape(intro)}</p><table><thead><tr>{cells}</tr></thead>"
                                        f"<tbody>{''.join(body)}</tbody></table>{note}")


def _talks(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.proposals:
        return _section("talks", debrief, f"<p>{escape(word('no_proposals', lang))}</p>", page=True)
    rows = []
    for p in debrief.proposals:
        lines = "<br>".join(escape(line) for line in p.lines)
        result = word("signed", lang) if p.signed else word("not_signed", lang)
        rows.append(f'<tr><td class="num">{p.turn}</td><td class="num">#{p.id}</td><td>{lines}</td>'
                    f'<td class="nowrap{" down" if p.signed else ""}">{escape(result)}</td></tr>')
    head = (f'<tr><th class="num">{escape(word("turn", lang))}</th><th class="num">{escape(word("proposal", lang))}</th>'
            f'<th>{escape(word("said", lang))}</th><th>{escape(word("result", lang))}</th></tr>')
    return _section("talks", debrief, f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>", page=True)


def _agreements(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.agreements:
        return _section("agreements", debrief, f"<p>{escape(word('no_agreements', lang))}</p>")
    rows = []
    for a in debrief.agreements:
        parties = ", ".join(_name(debrief, p) for p in a.parties)
        status = word(a.how, lang)
        rows.append(f"<tr><td>{escape(a.label)}{_cite(debrief, a.source)}</td><td>{parties}</td>"
                    f'<td class="num">{a.signed_turn}</td><td class="num">{a.ended_turn or "–"}</td>'
                    f'<td class="{"flag" if a.how == "collapsed" else ""}">{escape(status)}</td></tr>')
    head = "".join(f"<th>{escape(word(k, lang))}</th>" for k in ("agreement", "parties", "signed_turn", "ended_turn", "status"))
    return _section("agreements", debrief, f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _breaches(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.breaches:
        return _section("breaches", debrief, f"<p>{escape(word('no_breaches', lang))}</p>")
    rows = []
    for b in debrief.breaches:
        seen = word("yes_detected", lang) if b.detected else word("not_detected", lang)
        rows.append(f'<tr><td class="num">{b.turn}</td><td>{_name(debrief, b.actor)}</td><td>{escape(b.label)}</td>'
                    f'<td class="{"" if b.detected else "flag"}">{escape(seen)}</td></tr>')
    head = "".join(f"<th>{escape(word(k, lang))}</th>" for k in ("turn", "breacher", "agreement", "detected"))
    return _section("breaches", debrief, f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _crises(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.crises:
        return _section("crises", debrief, f"<p>{escape(word('no_crises', lang))}</p>", page=True)
    parts = []
    last = len(debrief.rungs) - 1
    for crisis in debrief.crises:
        who = " – ".join(debrief.names.get(p, p) for p in crisis.participants)
        block = [f'<div class="crisis" id="crisis-{crisis.turn}">',
                 f"<h3>{escape(word('crisis_between', lang, turn=crisis.turn, who=who))}</h3>"]
        if crisis.causes:
            block.append(f"<p><strong>{escape(word('cause', lang))}:</strong> {escape(' '.join(crisis.causes))}</p>")
        rungs = []
        for index, (label, risk) in enumerate(debrief.rungs):
            cls = ["rung"]
            if index <= crisis.peak:
                cls.append("reached")
            if index == crisis.peak:
                cls.append("peak")
            if index == last:
                cls.append("nuclear")
            marks = []
            if index == crisis.start_rung:
                marks.append(word("started_at", lang))
            if index == crisis.peak:
                marks.append(word("peak", lang))
            if crisis.end_rung is not None and index == crisis.end_rung:
                marks.append(word("ended_at", lang))
            mark = f" · {escape(', '.join(marks))}" if marks else ""
            rungs.append(f'<div class="{" ".join(cls)}"><span>{index + 1}. {escape(label)}{mark}</span>'
                         f'<span class="note">+{_n(risk)}</span></div>')
        block.append(f"<p><strong>{escape(word('ladder', lang))}</strong></p><div class=\"ladder\">{''.join(rungs)}</div>")
        if crisis.rounds:
            items = []
            for r in crisis.rounds:
                choices = ", ".join(f"{debrief.names.get(s, s)} {word(c, lang)}" for s, c in r.choices.items())
                rung = f" → {debrief.rungs[r.rung][0]}" if r.rung is not None and 0 <= r.rung < len(debrief.rungs) else ""
                said = f' <span class="note">{escape(r.said)}</span>' if r.said else ""
                items.append(f"<li>{escape(word('round', lang, n=r.number))}: {escape(choices)}{escape(rung)}{said}</li>")
            block.append(f"<ul>{''.join(items)}</ul>")
        if crisis.end_rung is not None and 0 <= crisis.end_rung < len(debrief.rungs):
            block.append(f"<p>{escape(word('crisis_end', lang, rung=debrief.rungs[crisis.end_rung][0]))}</p>")
        elif crisis.end_turn is None:
            block.append(f"<p>{escape(word('crisis_running', lang))}</p>")
        block.append("</div>")
        parts.append("\n".join(block))
    return _section("crises", debrief, "\n".join(parts), page=True)


def _decisions(debrief: Debrief) -> str:
    lang = debrief.language
    parts = []
    if debrief.seat != "facilitator":
        hidden = word("others_hidden", lang, seat=debrief.names.get(debrief.seat, debrief.seat))
        parts.append(f'<p class="note">{escape(hidden)}</p>')
    head = "".join(f"<th>{escape(word(k, lang))}</th>" for k in ("turn", "talks_col", "moves_col", "crisis_col", "reasons_col"))
    for story in debrief.seats:
        rows = []
        for t in story.turns:
            reasons = "<br>".join(f'<span class="reason">{escape(r)}</span>' for r in t.reasons)
            if story.full and not t.reasons:
                reasons = f'<span class="note">{escape(word("no_reason", lang))}</span>'
            moves = "".join(f"<li>{escape(x)}{_cite(debrief, source)}</li>" for x, source in t.moves)
            talks = "".join(f"<li>{escape(x)}</li>" for x in t.talks)
            crisis = "".join(f"<li>{escape(x)}</li>" for x in t.crisis)
            if story.full:
                rows.append(f'<tr><td class="num">{t.turn}</td><td><ul>{talks}</ul></td><td><ul>{moves}</ul></td>'
                            f"<td><ul>{crisis}</ul></td><td>{reasons}</td></tr>")
            else:  # what the reader saw of another seat: its moves and crisis choices only
                rows.append(f'<tr><td class="num">{t.turn}</td><td><ul>{moves}</ul></td><td><ul>{crisis}</ul></td></tr>')
        player = f' <span class="note">({escape(word("played_by", lang, who=story.player))})</span>' if story.player else ""
        parts.append(f'<h3 id="seat-{escape(story.seat)}"><span style="color:{escape(story.colour)}">■</span> '
                     f"{escape(story.name)}{player}</h3>")
        if story.full:
            columns = ('<colgroup><col class="c-turn"><col class="c-talks"><col class="c-moves"><col class="c-crisis">'
                       "<col></colgroup>")
            body = "".join(rows)
            parts.append(f'<table class="decisions">{columns}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
        else:
            seen = "".join(f"<th>{escape(word(k, lang))}</th>" for k in ("turn", "moves_col", "crisis_col"))
            parts.append(f'<table class="decisions seen"><colgroup><col class="c-turn"><col><col class="c-crisis"></colgroup>'
                         f'<thead><tr>{seen}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return _section("decisions", debrief, "\n".join(parts), page=True)


def _discussion(debrief: Debrief) -> str:
    items = "".join(f"<li>{escape(q)}</li>" for q in questions(debrief))
    return _section("discussion", debrief, f"<ol>{items}</ol>" if items else f"<p>{escape(word('none', debrief.language))}</p>")


def _sources(debrief: Debrief) -> str:
    lang = debrief.language
    if not debrief.sources:
        return _section("sources", debrief, f"<p>{escape(word('no_sources', lang))}</p>")
    items = []
    for number, source in enumerate(debrief.sources, start=1):
        text = f"{escape(source.title)}. {escape(source.publisher)}, {escape(source.date)}."
        if source.url:
            text += f' <span class="url">{escape(source.url)}</span>'
        if source.note:
            text += f'<br><span class="note">{escape(source.note)}</span>'
        items.append(f'<li id="source-{number}" value="{number}">{text}</li>')
    return _section("sources", debrief, f'<p class="note">{escape(word("sources_intro", lang))}</p>'
                                        f'<ol class="sources">{"".join(items)}</ol>')
