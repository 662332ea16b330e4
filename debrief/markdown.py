"""The debrief as Markdown: the same sections as the HTML page, tables instead of charts (a
Markdown file cannot hold the SVG inline portably), for a wiki, an e-mail or a printed handout."""

from __future__ import annotations

import math

from debrief.story import Debrief, questions
from debrief.words import word


def _html(text: str) -> str:
    """No raw HTML from a record or a scenario reaches a renderer that would run it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: object) -> str:
    """Text safe in a Markdown table cell: no pipe or line break ends the cell early."""
    return _html(str(text)).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _line(text: object) -> str:
    """Text safe as a paragraph: a leading #, >, - or digit-dot would start a heading, quote or list."""
    value = _html(str(text)).replace("\r", " ").replace("\n", " ")
    return "\\" + value if value[:1] in "#>-+*=|`" and value else value


def _n(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    text = f"{round(value, digits):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _signed(value: float) -> str:
    text = _n(abs(value))
    return "±0" if text == "0" else ("+" if value > 0 else "−") + text


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def _cite(debrief: Debrief, source: str | None) -> str:
    number = debrief.cite(source)
    return f" [{number}]" if number else ""


def render(debrief: Debrief) -> str:
    lang = debrief.language
    name = debrief.names.get(debrief.seat, debrief.seat)
    w = lambda key, **values: word(key, lang, **values)
    out = [f"# {_line(w('report_title'))}: {_line(debrief.title)}", ""]
    out.append(f"*{_line(w('facilitator_report') if debrief.seat == 'facilitator' else w('seat_report', seat=name))}*")
    out += ["", f"{_line(debrief.scenario_id)} v{_line(debrief.scenario_version)} · {w('seed')} {debrief.seed}"
            + (f" · {w('played')} {_line(debrief.played)}" if debrief.played else ""), ""]
    if debrief.branched_from:
        out += [_line(w("branched", record=debrief.branched_from[0], turn=debrief.branched_from[1])), ""]

    out += [f"## {w('outcome')}", ""]
    if not debrief.over:
        out += [w("in_progress", turn=debrief.final_turn, turns=debrief.turns), ""]
    else:
        out += [f"**{w('catastrophe') if debrief.catastrophe else w('no_catastrophe')}** {_line(debrief.outcome_text)}", "",
                w("clock_final", clock=_n(debrief.clock_final), start=_n(debrief.clock_start)), "",
                w("facts", agreements=len(debrief.agreements), breaches=len(debrief.breaches), crises=len(debrief.crises)), ""]
        players = [s for s in debrief.seats if s.player]
        out += [f"- {_line(s.name)}: {_line(w('played_by', who=s.player))}" for s in players] + ([""] if players else [])

    out += [f"## {w('scores')}", ""]
    if debrief.over:
        if debrief.catastrophe:
            out += [w("after_catastrophe"), ""]
        out += _table([w("seat"), w("score")], [[s.name, _n(s.score, 2)] for s in debrief.scores]
                      + [[w("shared"), _n(debrief.shared, 2)]])
    else:
        out += [w("no_scores"), ""]

    out += [f"## {w('charts')}", "", w("clock_rule", rule=f"`{debrief.clock_rule}`"), ""]
    if not debrief.risk_visible:
        out += [w("risk_hidden"), ""]
    head = [w("turn"), w("date"), w("clock"), w("clock_change")] + ([w("risk_total")] if debrief.risk_visible else [])
    factors = [f for f in debrief.factor_labels if any(abs(t.factors.get(f, 0.0)) >= 0.05 for t in debrief.figures)]
    head += [debrief.factor_labels[f] for f in factors]
    rows = []
    for f in debrief.figures:
        row = [str(f.turn), f.date, _n(f.clock), _signed(-f.clock_change)]
        if debrief.risk_visible:
            row += [_n(f.risk)] + [_n(f.factors.get(x, 0.0)) for x in factors]
        rows.append(row)
    out += _table(head, rows)
    if debrief.headlines:
        out += [f"### {w('headline_chart')}", "", w("end_of_turn"), ""]
        turns = sorted({t for s in debrief.headlines for t, _ in s.values})
        head = [w("turn")] + [f"{s.label}{' · ' + s.who if s.who else ''}{_cite(debrief, s.source)}" for s in debrief.headlines]
        values = [dict(s.values) for s in debrief.headlines]
        out += _table(head, [[w("start") if t == 0 else str(t)] + [_n(v.get(t)) for v in values] for t in turns])
    else:
        out += [w("no_headline"), ""]

    out += [f"## {w('turning_points')}", ""]
    if not debrief.points:
        out += [w("no_points"), ""]
    for p in debrief.points:
        out += [f"### T{p.turn} · {p.date}", ""]
        if p.ended is not None:
            out += [f"**{_line(w('point_end', how=p.ended))}**", ""]
        else:
            way = w("toward") if p.clock_moved > 0 else w("away")
            text = (w("point_clock", moved=_n(abs(p.clock_moved)), way=way, clock=_n(p.clock_after))
                    if abs(p.clock_moved) >= 0.05 else w("point_clock_still", clock=_n(p.clock_after)))
            if p.risk_after is not None:
                text += " " + w("point_risk", before=_n(p.risk_before), after=_n(p.risk_after))
            out += [f"**{text}**", ""]
        if p.largest:
            largest = w("contributions") if p.judged_from is None else w("judged", first=p.judged_from, last=p.turn)
            out += [f"{largest}: " + ", ".join(f"{_line(c.label)} **{_n(c.after)}**" for c in p.largest), ""]
        if p.factors:
            why = w("why_moved" if p.judged_from is None else "why_judged")
            out += [f"{why}:", ""] + [f"- {_signed(c.change)} {_line(c.label)} ({_n(c.before)} → {_n(c.after)})"
                                      for c in p.factors] + [""]
        if p.happened:
            out += [f"{w('what_happened')}:", ""] + [f"- {_line(t)}{_cite(debrief, s)}" for t, s in p.happened] + [""]

    if debrief.what_if:
        rows_if = debrief.what_if
        out += [f"## {w('what_if')}", "", w("what_if_intro", runs=rows_if[0].played.runs), ""]
        pct = lambda x: "–" if math.isnan(x) else f"{100 * x:.1f}%"  # noqa: E731
        changed = next((r for r in rows_if if r.changed is not None), None)
        head = [w("turn"), w("what_if_clock"), w("as_played"), w("final_clock")]
        if changed is not None:
            head += [w("as_changed", changes=", ".join(changed.changes)), w("final_clock"), w("difference")]
        table = []
        for r in rows_if:
            row = [str(r.turn), _n(r.clock), f"{pct(r.played.rate)} ({pct(r.played.low)}–{pct(r.played.high)})",
                   _n(r.played.clock)]
            if r.changed is not None and r.difference is not None:
                mean, low, high = r.difference
                row += [f"{pct(r.changed.rate)} ({pct(r.changed.low)}–{pct(r.changed.high)})", _n(r.changed.clock),
                        f"{100 * mean:+.1f} pts ({100 * low:+.1f} to {100 * high:+.1f})"]
            table.append(row)
        out += _table(head, table)
        if changed is not None:
            out += [w("what_if_note"), ""]

    out += [f"## {w('talks')}", ""]
    if debrief.proposals:
        out += _table([w("turn"), w("proposal"), w("said"), w("result")],
                      [[str(p.turn), f"#{p.id}", " / ".join(p.lines), w("signed") if p.signed else w("not_signed")]
                       for p in debrief.proposals])
    else:
        out += [w("no_proposals"), ""]

    out += [f"## {w('agreements')}", ""]
    if debrief.agreements:
        out += _table([w("agreement"), w("parties"), w("signed_turn"), w("ended_turn"), w("status")],
                      [[a.label + _cite(debrief, a.source), ", ".join(debrief.names.get(p, p) for p in a.parties),
                        str(a.signed_turn), str(a.ended_turn or "–"), w(a.how)] for a in debrief.agreements])
    else:
        out += [w("no_agreements"), ""]

    out += [f"## {w('breaches')}", ""]
    if debrief.breaches:
        out += _table([w("turn"), w("breacher"), w("agreement"), w("detected")],
                      [[str(b.turn), debrief.names.get(b.actor, b.actor), b.label,
                        w("yes_detected") if b.detected else f"**{w('not_detected')}**"] for b in debrief.breaches])
    else:
        out += [w("no_breaches"), ""]

    out += [f"## {w('crises')}", ""]
    if not debrief.crises:
        out += [w("no_crises"), ""]
    for c in debrief.crises:
        who = " – ".join(debrief.names.get(p, p) for p in c.participants)
        out += [f"### {_line(w('crisis_between', turn=c.turn, who=who))}", ""]
        if c.causes:
            out += [f"{w('cause')}: {_line(' '.join(c.causes))}", ""]
        ladder = []
        for index, (label, _) in enumerate(debrief.rungs):
            marks = [w(k) for k, at in (("started_at", c.start_rung), ("peak", c.peak), ("ended_at", c.end_rung)) if at == index]
            ladder.append(f"{index + 1}. {'**' + label + '**' if index <= c.peak else label}"
                          + (f" ← {', '.join(marks)}" if marks else ""))
        out += [f"{w('ladder')}:", ""] + ladder + [""]
        for r in c.rounds:
            choices = ", ".join(f"{debrief.names.get(s, s)} {w(x)}" for s, x in r.choices.items())
            rung = f" → {debrief.rungs[r.rung][0]}" if r.rung is not None and 0 <= r.rung < len(debrief.rungs) else ""
            out.append(f"- {w('round', n=r.number)}: {_line(choices)}{rung}" + (f" ({_line(r.said)})" if r.said else ""))
        out.append("")

    out += [f"## {w('decisions')}", ""]
    if debrief.seat != "facilitator":
        out += [w("others_hidden", seat=name), ""]
    for story in debrief.seats:
        out += [f"### {_line(story.name)}" + (f" ({_line(w('played_by', who=story.player))})" if story.player else ""), ""]
        if story.full:
            rows = [[str(t.turn), " / ".join(t.talks), " / ".join(x + _cite(debrief, source) for x, source in t.moves),
                     " / ".join(t.crisis), " / ".join(t.reasons) if t.reasons else w("no_reason")] for t in story.turns]
            out += _table([w("turn"), w("talks_col"), w("moves_col"), w("crisis_col"), w("reasons_col")], rows)
        else:  # what the reader saw of another seat: its moves and crisis choices only
            rows = [[str(t.turn), " / ".join(x + _cite(debrief, source) for x, source in t.moves), " / ".join(t.crisis)]
                    for t in story.turns]
            out += _table([w("turn"), w("moves_col"), w("crisis_col")], rows)

    out += [f"## {w('discussion')}", ""]
    out += [f"{i}. {_line(q)}" for i, q in enumerate(questions(debrief), start=1)] or [w("none")]
    out.append("")

    out += [f"## {w('sources')}", ""]
    if debrief.sources:
        out += [w("sources_intro"), ""]
        for number, source in enumerate(debrief.sources, start=1):
            text = f"{number}. {_line(source.title)}. {_line(source.publisher)}, {_line(source.date)}."
            if source.url:
                text += f" <{_line(source.url)}>"
            if source.note:
                text += f" — {_line(source.note)}"
            out.append(text)
        out.append("")
    else:
        out += [w("no_sources"), ""]
    out += ["---", "", f"*{w('generated')}*", ""]
    return "\n".join(out)
