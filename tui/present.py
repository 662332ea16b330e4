"""Pure presentation helpers: turn engine values (views, options, logs) into short readable text."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.content import Content

from engine import Game
from engine.rules.views import SeatView, TrackReading
from engine.scenario.safe_text import printable

CLOCK_BANDS = ((30, "-critical"), (60, "-danger"), (100, "-tense"))


def escape(text: object) -> str:
    """Untrusted text (from a scenario, record, script or agent) to put inside Textual markup.

    Shown literally: every `[` is escaped (Textual's own `escape` leaves `[$error]`, `[Red]`,
    `[ b]` and `ESC[31m…` to be read as markup), a trailing backslash cannot escape the tag after
    it, and control and bidi characters become visible escapes (`printable`), never sent raw.
    """
    value = printable(text).replace("[", "\\[")
    return value + "\u200b" if value.endswith("\\") else value  # a zero-width space ends a trailing "\"


def literal(text: object) -> Text:
    """Untrusted text as a renderable never read as markup (for DataTable cells, which parse strings)."""
    return Text(printable(text))


def clock_class(seconds: float) -> str:
    """The danger band of a clock reading, as a CSS class."""
    for limit, name in CLOCK_BANDS:
        if seconds < limit:
            return name
    return "-calm"


def num(value: float) -> str:
    """A number as a person writes it: 1000, 21.25, -3."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def signed(value: float) -> str:
    return ("+" if value > 0 else "") + num(value)


def bar(value: float, low: float, high: float, width: int = 10) -> str:
    if high <= low:
        return ""
    filled = round(width * (min(high, max(low, value)) - low) / (high - low))
    return "█" * filled + "░" * (width - filled)


def actor_name(game: Game, actor: str | None, language: str) -> str:
    if actor is None:
        return ""
    try:
        return game.actor(actor).name.get(language)
    except KeyError:
        return actor


def names(game: Game, actors: Iterable[str], language: str) -> str:
    return ", ".join(actor_name(game, a, language) for a in actors)


def system_name(game: Game, system: str | None, language: str) -> str:
    if system is None:
        return "General" if language != "zh" else "综合"
    for s in game.scenario.systems:
        if s.id == system:
            return s.name.get(language)
    return system


def budget_track(game: Game) -> str | None:
    return game.scenario.decisions.budget_track


def own_tracks(game: Game, view: SeatView) -> dict[str | None, list[TrackReading]]:
    """The seat's own per-actor tracks grouped by system (the budget track left out)."""
    budget = budget_track(game)
    groups: dict[str | None, list[TrackReading]] = {}
    for reading in view.tracks:
        if reading.actor == view.seat and reading.other is None and reading.track != budget:
            groups.setdefault(reading.system, []).append(reading)
    return groups


def budget_reading(game: Game, view: SeatView) -> TrackReading | None:
    budget = budget_track(game)
    return next((r for r in view.tracks if r.track == budget and r.actor == view.seat), None)


def others_tracks(view: SeatView) -> dict[str, list[TrackReading]]:
    """Other active actors' tracks this seat may see, by actor."""
    result: dict[str, list[TrackReading]] = {}
    for reading in view.tracks:
        if reading.actor and reading.other is None and reading.actor != view.seat and reading.actor in view.active:
            result.setdefault(reading.actor, []).append(reading)
    return result


def pair_tracks(view: SeatView) -> list[TrackReading]:
    return [r for r in view.tracks if r.other is not None and r.actor in view.active and r.other in view.active]


def global_tracks(view: SeatView) -> list[TrackReading]:
    return [r for r in view.tracks if r.actor is None]


def params_text(game: Game, template_id: str, params, language: str) -> str:
    if not params:
        return ""
    labels = {p.id: p.label.get(language) for p in game.template(template_id).parameters}
    return " (" + ", ".join(f"{labels.get(k, k)} {num(v)}" for k, v in params.items()) + ")"


def template_label(game: Game, template_id: str, language: str) -> str:
    try:
        return game.template(template_id).label.get(language)
    except KeyError:
        return template_id


def move_label(game: Game, move_id: str, language: str) -> str:
    move = game.moves.get(move_id)
    return move.label.get(language) if move else move_id


KIND_LABELS = {
    "turn": "", "event": "event", "hint": "hint", "story": "story", "talks": "talks",
    "agreement": "deal", "move": "move", "breach": "breach", "crisis": "crisis", "clock": "clock",
    "actor": "table", "adjudication": "umpire", "end": "end", "why": "why",
}
KIND_STYLES = {
    "event": "$warning", "breach": "$error", "crisis": "$error", "agreement": "$success",
    "clock": "$accent", "end": "bold $error", "why": "$text-muted", "talks": "$secondary",
}


def log_markup(kind: str, text: str) -> str:
    """One log line as Textual markup, its kind as a coloured label."""
    if kind == "turn":
        return f"[b]── {escape(text)}[/b]"
    label = KIND_LABELS.get(kind, kind)
    style = KIND_STYLES.get(kind, "$text-muted")
    return f"[{style}]{label:<6}[/] {escape(text)}"


DETAIL_INDENT = " " * 7  # under the text of a log line, past its 6-cell label and a space


def detail_markup(text: str, width: int | None = None) -> list[str]:
    """What an event says (untrusted scenario text), as markup lines indented under its log line.

    With a `width` (the cells the log has), each paragraph is wrapped inside the indent, so long
    texts keep their left edge; without one, each paragraph is one line the widget wraps itself.
    """
    lines: list[str] = []
    room = (width or 0) - len(DETAIL_INDENT)
    for paragraph in printable(text).strip().split("\n") if text.strip() else ():
        pieces = [piece.plain for piece in Content(paragraph).wrap(room)] if room >= 20 and paragraph else [paragraph]
        lines.extend(f"{DETAIL_INDENT}{escape(piece.rstrip())}" for piece in pieces)
    return lines


def describe_input(game: Game, value: dict, language: str) -> str:
    """A recorded input in words: 'Red decides: Build warheads, Hide a stockpile'."""
    seat = actor_name(game, value.get("seat"), language) or str(value.get("seat"))
    kind = value.get("kind")
    if kind == "decide":
        moves = [move_label(game, m, language) for m in value.get("moves", [])]
        return f"{seat} decides: {', '.join(moves) or 'nothing'}"
    if kind == "propose":
        offers = [
            template_label(game, o["template"], language) + params_text(game, o["template"], o.get("params"), language)
            + " to " + names(game, o.get("parties", []), language)
            for o in value.get("offers", [])
        ]
        return f"{seat} proposes: {'; '.join(offers) or 'nothing'}"
    if kind == "respond":
        replies = [f"#{r['proposal']} {r['answer']}" for r in value.get("replies", [])]
        return f"{seat} answers: {', '.join(replies) or 'nothing'}"
    if kind == "crisis":
        return f"{seat} chooses to {str(value.get('choice', '')).replace('_', ' ')}"
    if kind == "inject":
        return f"the facilitator plays {value.get('event')}"
    if kind == "adjust":
        return f"the facilitator sets {value.get('track')} to {value.get('value')}"
    return str(value)


def factor_labels(game: Game, language: str) -> dict[str, str]:
    return {f.id: f.label.get(language) for f in game.scenario.risk.factors}
