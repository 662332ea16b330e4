"""Pure presentation helpers: turn engine values (views, options, logs) into short readable text."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from engine import Game
from engine.bots import wording
from engine.rules import events, phrases
from engine.rules.views import SeatView, TrackReading
from engine.scenario.safe_text import printable
from tui.i18n import t

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
    return t("list_separator", language).join(actor_name(game, a, language) for a in actors)


def system_name(game: Game, system: str | None, language: str) -> str:
    if system is None:
        return t("general", language)
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


def offer_text(game: Game, offer, language: str) -> str:
    """An offer (a plain dict, or a Proposal) in words: its template and terms, and when it is a
    package, "package: " and each of its agreements with its terms."""
    if isinstance(offer, dict):
        parts = [(offer["template"], offer.get("params"))]
        parts += [(p.get("template"), p.get("params")) for p in offer.get("package") or () if isinstance(p, dict)]
    else:
        parts = [(part.template, part.params) for part in offer.parts()]
    text = t("package_joiner", language).join(
        template_label(game, template, language) + params_text(game, template, params, language)
        for template, params in parts if isinstance(template, str))
    return t("package_of", language) + text if len(parts) > 1 else text


def counter_text(game: Game, proposal, params, language: str) -> str:
    """The terms of a counter to `proposal` in words. Alone: its terms ("(Limit 900)"). A package:
    each of its agreements with its terms as countered (": Warhead cap (Limit 900) + Hotline"), the
    keys `template.parameter` naming one agreement's term, a plain key the first's (docs/rules.md)."""
    if not proposal.package:
        return params_text(game, proposal.template, params, language)
    changes: dict[str, dict] = {}
    for key, value in (params or {}).items():
        template, dot, name = key.rpartition(".")
        changes.setdefault(template if dot else proposal.template, {})[name] = value
    return t("colon", language) + t("package_joiner", language).join(
        template_label(game, part.template, language)
        + params_text(game, part.template, {**part.params, **changes.get(part.template, {})}, language)
        for part in proposal.parts())


def template_label(game: Game, template_id: str, language: str) -> str:
    try:
        return game.template(template_id).label.get(language)
    except KeyError:
        return template_id


def move_label(game: Game, move_id: str, language: str) -> str:
    move = game.moves.get(move_id)
    return move.label.get(language) if move else move_id


KIND_LABELS = {
    "en": {"turn": "", "event": "event", "hint": "hint", "story": "story", "talks": "talks", "agreement": "deal",
           "move": "move", "breach": "breach", "crisis": "crisis", "clock": "clock", "actor": "table",
           "adjudication": "umpire", "end": "end", "why": "why"},
    "zh": {"turn": "", "event": "事件", "hint": "提示", "story": "剧情", "talks": "谈判", "agreement": "协议",
           "move": "行动", "breach": "违约", "crisis": "危机", "clock": "时钟", "actor": "各方",
           "adjudication": "裁定", "end": "结束", "why": "理由"},
}
KIND_STYLES = {
    "event": "$warning", "breach": "$error", "crisis": "$error", "agreement": "$success",
    "clock": "$accent", "end": "bold $error", "why": "$text-muted", "talks": "$secondary",
}
LABEL_CELLS = 6  # a log line's label is padded to this many cells, so the texts line up


def log_markup(kind: str, text: str, language: str = "en") -> str:
    """One log line as Textual markup, its kind as a coloured label in `language`."""
    if kind == "turn":
        return f"[b]── {escape(text)}[/b]"
    label = KIND_LABELS.get(language, KIND_LABELS["en"]).get(kind) or KIND_LABELS["en"].get(kind, kind)
    style = KIND_STYLES.get(kind, "$text-muted")
    return f"[{style}]{escape(label)}{' ' * max(0, LABEL_CELLS - cell_len(label))}[/] {escape(text)}"


def log_lines_markup(kind: str, text: str, language: str = "en", width: int | None = None) -> list[str]:
    """One log line as markup lines: with a `width` (the cells the log has), its text is wrapped
    with a hanging indent, so what follows the first line stays clear of the labels."""
    room = (width or 0) - len(DETAIL_INDENT)
    if kind == "turn" or room < 20 or cell_len(text) <= room:
        return [log_markup(kind, text, language)]
    first, *rest = [piece.plain.rstrip() for piece in Content(printable(text)).wrap(room)] or [""]
    return [log_markup(kind, first, language), *(f"{DETAIL_INDENT}{escape(piece)}" for piece in rest)]


def entry_text(game: Game, entry, language: str) -> str:
    """A log entry's sentence in `language`. The engine says its sentences in every language, but a
    few carry an English piece in all of them (a crisis round's choices, a void offer's reason): in
    another language those are told again here from the typed event."""
    text = entry.text.get(language)
    event = entry.event
    if language == "en":
        return text
    if isinstance(event, events.CrisisRoundPlayed):
        said = t("list_separator", language).join(
            t("name_choice", language, name=actor_name(game, actor, language), choice=t(f"chose_{choice}", language))
            for actor, choice in event.choices.items())
        return t("log_crisis_round", language, round=event.round, choices=said)
    if isinstance(event, events.OfferVoided):
        try:
            who, template = game.actor(event.actor).name, game.template(event.template).label
        except KeyError:
            return text
        return phrases.new_phrase("void", (language,), actor=who, template=template,
                                  reason=reason(game, event.reason, language)).get(language)
    return text


def entry_markup(game: Game, entry, language: str) -> str:
    """A log entry as one line of markup, in `language`."""
    return log_markup(entry.kind, entry_text(game, entry, language), language)


def reason(game: Game, text: str | None, language: str) -> str:
    """Why the rules close a choice or refuse an input (English in the engine), in `language`."""
    return phrases.reason_in(text or "", language, game.scenario)


def bot_reason(game: Game, text: str, language: str) -> str:
    """A bot's reason for what it played (English in the engine), in `language`."""
    return wording.reason_in(text, language, game.scenario)


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


def describe_input(game: Game, value: dict, language: str = "en") -> str:
    """A recorded input in words: 'Red decides: Build warheads, Hide a stockpile'."""
    seat = actor_name(game, value.get("seat"), language) or str(value.get("seat"))
    kind = value.get("kind")
    nothing = t("nothing", language)
    if kind == "decide":
        moves = [move_label(game, m, language) for m in value.get("moves", [])]
        return t("input_decide", language, seat=seat, what=t("list_separator", language).join(moves) or nothing)
    if kind == "propose":
        offers = [
            t("input_offer", language, template=offer_text(game, o, language),
              parties=names(game, o.get("parties", []), language))
            for o in value.get("offers", [])
        ]
        return t("input_propose", language, seat=seat, what="; ".join(offers) or nothing)
    if kind == "respond":
        replies = [f"#{r['proposal']} {t('answer_' + str(r['answer']), language)}" for r in value.get("replies", [])]
        return t("input_respond", language, seat=seat, what=", ".join(replies) or nothing)
    if kind == "crisis":
        return t("input_crisis", language, seat=seat, choice=t(f"chose_{value.get('choice', '')}", language))
    if kind == "inject":
        return t("input_inject", language, event=value.get("event"))
    if kind == "adjust":
        return t("input_adjust", language, track=value.get("track"), value=value.get("value"))
    if kind == "end":
        return t("input_end", language)
    return str(value)


def how_it_ended(termination, language: str, game: Game | None = None, condition: str | None = None) -> str:
    """How a game ended (an engine Termination), in words: "last turn", "nuclear use"; with the
    game and the outcome's condition, nuclear use by accident names its cause."""
    how = t(f"termination_{termination.value}", language)
    if game is not None and condition is not None and termination.value == "nuclear_use":
        accident = next((a for a in game.scenario.accidents if a.id == condition), None)
        if accident is not None:
            how = t("termination_nuclear_use_by", language, how=how, cause=accident.label.get(language))
    return how


def factor_labels(game: Game, language: str) -> dict[str, str]:
    return {f.id: f.label.get(language) for f in game.scenario.risk.factors}
