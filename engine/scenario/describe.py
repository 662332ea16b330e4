"""Effects in words, for menus: "Deployed warheads +100 (you); Tension +5 (you–others)".

Front ends show this beside a move so a player sees what it does without reading formulas.
A formula that is not a plain number is shown as written; conditions and chances are noted.
`describe_effects_now` says the same for one seat at one moment ("Survivability +6 (now 38 →
44)"): the rules work out the numbers (engine.rules.options.move_effects_now), this module only
puts them in words, so nothing here knows a game state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from engine.scenario.models import Effect, Scenario, Scope
from engine.scenario.text import Text

WORDS = {
    "en": {"self": "you", "others": "others", "all": "everyone", "parties": "the parties",
           "other_parties": "the other parties", "if": "if", "chance": "chance", "crisis": "starts a crisis",
           "joins": "brings {actor} to the table", "set": "set to", "now": "now",
           "percent": "{p}% chance", "open": " (", "close": ")", "colon": ": ", "list": ", ", "sep": "; "},
    "zh": {"self": "己方", "others": "其他方", "all": "各方", "parties": "各缔约方",
           "other_parties": "其他缔约方", "if": "若", "chance": "概率", "crisis": "引发危机",
           "joins": "让{actor}加入谈判", "set": "设为", "now": "当前",
           "percent": "概率{p}%", "open": "（", "close": "）", "colon": "：", "list": "、", "sep": "；"},
}


def _who(scenario: Scenario, selector: str, language: str) -> str:
    words = WORDS.get(language, WORDS["en"])
    if selector in words:
        return words[selector]
    actor = next((a for a in scenario.actors if a.id == selector), None)
    return actor.name.get(language) if actor else selector


def _amount(source: str, is_set: bool, words: dict) -> str:
    try:
        number = float(source)
    except ValueError:
        return f"{words['set']} {source}" if is_set else f"+({source})"
    if is_set:
        return f"{words['set']} {number:g}"
    return f"{number:+g}"


def _one(scenario: Scenario, effect: Effect, language: str) -> str | None:
    words = WORDS.get(language, WORDS["en"])
    tracks = {t.id: t for t in scenario.tracks}
    text = None
    if effect.track is not None and effect.track in tracks:
        track = tracks[effect.track]
        expr = effect.set if effect.set is not None else effect.delta
        assert expr is not None  # checks.py: a track effect has `delta` or `set`
        text = f"{track.label.get(language)} {_amount(expr.source, effect.set is not None, words)}"
        if track.scope is Scope.ACTOR:
            text += f"{words['open']}{_who(scenario, effect.actor, language)}{words['close']}"
        elif track.scope is Scope.PAIR:
            who = f"{_who(scenario, effect.actor, language)}–{_who(scenario, effect.other, language)}"
            text += f"{words['open']}{who}{words['close']}"
    elif effect.start_crisis is not None:
        between = words["list"].join(_who(scenario, s, language) for s in effect.start_crisis.between)
        text = f"{words['crisis']}{words['open']}{between}{words['close']}"
    elif effect.activate is not None:
        text = words["joins"].format(actor=_who(scenario, effect.activate, language))
    if text is None:
        return None
    if effect.chance is not None:
        text += f" [{words['chance']} {effect.chance.source}]"
    if effect.when is not None:
        text += f" [{words['if']} {effect.when.source}]"
    return text


def describe_effects(scenario: Scenario, effects: Sequence[Effect]) -> Text:
    """The effects as one line per language of the scenario."""
    values = {}
    for language in dict.fromkeys(("en", *scenario.languages)):
        parts = [p for p in (_one(scenario, e, language) for e in effects) if p]
        values[language] = WORDS.get(language, WORDS["en"])["sep"].join(parts)
    return Text(values)


class EffectReader(Protocol):
    """What the rules know of an effect for one seat now; None wherever the answer is unknown or
    is not the seat's to see (the effect is then described as written)."""

    seat: str

    def holds(self, effect: Effect) -> bool | None:
        """Whether the effect's condition holds now."""

    def chance(self, effect: Effect) -> float | None:
        """The effect's probability now, from 0 to 1."""

    def changes(self, effect: Effect) -> list[tuple[float | None, float | None, float | None]] | None:
        """For each slot a track effect changes: (its delta or set value, the value now, the
        value after), each None if unknown; None if the targets are unknown."""


def _number(value: float) -> str:
    """A value as a player reads it: at most one decimal."""
    rounded = round(value, 1)
    return f"{rounded + 0.0:g}"  # + 0.0: no "-0"


def _one_now(scenario: Scenario, effect: Effect, language: str, reader: EffectReader) -> str | None:
    words = WORDS.get(language, WORDS["en"])
    if effect.when is not None:
        holds = reader.holds(effect)
        if holds is False:
            return None
    else:
        holds = True
    tracks = {t.id: t for t in scenario.tracks}
    if effect.track is not None and effect.track in tracks:
        track = tracks[effect.track]
        expr = effect.set if effect.set is not None else effect.delta
        assert expr is not None  # checks.py: a track effect has `delta` or `set`
        is_set = effect.set is not None
        changes = reader.changes(effect)
        if changes is not None and not changes:
            return None  # no active actor it applies to
        amounts = {c[0] for c in changes or ()}
        known = None if changes is None or len(amounts) != 1 or None in amounts else amounts.pop()
        if known is not None and not is_set and known == 0:
            return None  # changes nothing now
        if known is None:
            amount = _amount(expr.source, is_set, words)
        else:
            amount = f"{words['set']} {_number(known)}" if is_set else f"{'+' if known > 0 else ''}{_number(known)}"
        text = f"{track.label.get(language)} {amount}"
        who = ""
        alone_self = track.scope is Scope.ACTOR and effect.actor in ("self", reader.seat)
        if track.scope is Scope.ACTOR and not alone_self:
            who = _who(scenario, effect.actor, language)
        elif track.scope is Scope.PAIR:
            who = f"{_who(scenario, effect.actor, language)}–{_who(scenario, effect.other, language)}"
        now = ""
        if changes is not None and len(changes) == 1 and changes[0][1] is not None:
            _, before, after = changes[0]
            assert before is not None
            now = f"{words['now']} {_number(before)}"
            if after is not None and after != before:
                now += f" → {_number(after)}"
        inner = words["colon"].join(p for p in (who, now) if p)
        if inner:
            text += f"{words['open']}{inner}{words['close']}"
    elif effect.start_crisis is not None:
        between = words["list"].join(_who(scenario, s, language) for s in effect.start_crisis.between)
        text = f"{words['crisis']}{words['open']}{between}{words['close']}"
    elif effect.activate is not None:
        text = words["joins"].format(actor=_who(scenario, effect.activate, language))
    else:
        return None
    if effect.chance is not None:
        chance = reader.chance(effect)
        if chance is None:
            text += f" [{words['chance']} {effect.chance.source}]"
        elif chance <= 0:
            return None
        elif chance < 1:
            text += f"{words['open']}{words['percent'].format(p=_number(chance * 100))}{words['close']}"
    if holds is None and effect.when is not None:
        text += f" [{words['if']} {effect.when.source}]"
    return text


def describe_effects_now(scenario: Scenario, effects: Sequence[Effect], reader: EffectReader) -> Text:
    """The effects as they would work now for `reader.seat`, one clause each, in each language:
    conditions that do not hold are left out, deltas are numbers with the value now and after,
    chances are percentages; whatever the reader does not know is shown as written."""
    values = {}
    for language in dict.fromkeys(("en", *scenario.languages)):
        parts = [p for p in (_one_now(scenario, e, language, reader) for e in effects) if p]
        values[language] = WORDS.get(language, WORDS["en"])["sep"].join(parts)
    return Text(values)
