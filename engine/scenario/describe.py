"""Effects in words, for menus: "Deployed warheads +100 (you); Tension +5 (you–others)".

Front ends show this beside a move so a player sees what it does without reading formulas.
A formula that is not a plain number is shown as written; conditions and chances are noted.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.scenario.models import Effect, Scenario, Scope
from engine.scenario.text import Text

WORDS = {
    "en": {"self": "you", "others": "others", "all": "everyone", "parties": "the parties",
           "other_parties": "the other parties", "if": "if", "chance": "chance", "crisis": "starts a crisis",
           "joins": "brings {actor} to the table", "set": "set to"},
    "zh": {"self": "己方", "others": "其他方", "all": "各方", "parties": "各缔约方",
           "other_parties": "其他缔约方", "if": "若", "chance": "概率", "crisis": "引发危机",
           "joins": "让{actor}加入谈判", "set": "设为"},
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
            text += f" ({_who(scenario, effect.actor, language)})"
        elif track.scope is Scope.PAIR:
            text += f" ({_who(scenario, effect.actor, language)}–{_who(scenario, effect.other, language)})"
    elif effect.start_crisis is not None:
        between = ", ".join(_who(scenario, s, language) for s in effect.start_crisis.between)
        text = f"{words['crisis']} ({between})"
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
        values[language] = "; ".join(parts)
    return Text(values)
