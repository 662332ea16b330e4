"""The engine's own sentences for the game log, in every language the engine speaks.

Arguments may be `Text` (scenario names, labels) and are rendered in the sentence's language.
"""

from __future__ import annotations

from engine.scenario.text import Text

PHRASES: dict[str, dict[str, str]] = {
    "turn_start": {"en": "Turn {turn} begins ({date}).", "zh": "第 {turn} 回合开始({date})。"},
    "proposed": {
        "en": "{actor} proposes {template} to {parties}.",
        "zh": "{actor} 向 {parties} 提议:{template}。",
    },
    "countered": {
        "en": "{actor} counters with {template}: {params}.",
        "zh": "{actor} 提出反提案:{template}:{params}。",
    },
    "accepted": {"en": "{actor} accepts {template}.", "zh": "{actor} 接受 {template}。"},
    "rejected": {"en": "{actor} rejects {template}.", "zh": "{actor} 拒绝 {template}。"},
    "lapsed": {"en": "The proposal of {template} lapses.", "zh": "{template} 提案失效。"},
    "lapsed_duplicate": {
        "en": "{actor}'s proposal of {template} lapses: it is already in force between these parties.",
        "zh": "{actor} 的 {template} 提案失效:该协议已在这些当事方之间生效。",
    },
    "lapsed_talks_over": {
        "en": "{actor}'s counter-proposal of {template} lapses unanswered: the talks of this turn are over.",
        "zh": "{actor} 的 {template} 反提案未获答复即失效:本回合谈判已结束。",
    },
    "void": {"en": "{actor}'s offer of {template} is void: {reason}.", "zh": "{actor} 的 {template} 提议作废:{reason}。"},
    "signed": {
        "en": "Agreement in force: {template} between {parties}.",
        "zh": "协议生效:{parties} 之间的 {template}。",
    },
    "expired": {"en": "{template} has expired.", "zh": "{template} 已到期。"},
    "played": {"en": "{actor}: {move}.", "zh": "{actor}:{move}。"},
    "played_secretly": {"en": "{actor} (secret): {move}.", "zh": "{actor}(秘密):{move}。"},
    "breach_detected": {
        "en": "{actor} is caught breaching {template}.",
        "zh": "{actor} 被发现违反 {template}。",
    },
    "breach_hidden": {
        "en": "{actor} breached {template}; no one noticed.",
        "zh": "{actor} 违反了 {template},无人察觉。",
    },
    "agreement_collapsed": {"en": "{template} collapses.", "zh": "{template} 破裂。"},
    "crisis_started": {
        "en": "Crisis between {parties}: {rung}.",
        "zh": "{parties} 之间爆发危机:{rung}。",
    },
    "crisis_choices": {"en": "Crisis round {round}: {choices}.", "zh": "危机第 {round} 轮:{choices}。"},
    "crisis_rung": {"en": "The crisis stands at: {rung}.", "zh": "危机处于:{rung}。"},
    "crisis_over": {"en": "The crisis subsides at: {rung}.", "zh": "危机在此平息:{rung}。"},
    "clock": {
        "en": "The clock stands at {clock} seconds to midnight ({change}).",
        "zh": "末日时钟:距午夜 {clock} 秒({change})。",
    },
    "risk": {"en": "Escalation risk {risk}.", "zh": "升级风险 {risk}。"},
    "activated": {"en": "{actor} joins the table.", "zh": "{actor} 加入谈判。"},
    "adjusted": {
        "en": "The facilitator sets {track} to {value}: {reason}",
        "zh": "主持人将 {track} 设为 {value}:{reason}",
    },
    "game_over": {"en": "The game ends: {how}.", "zh": "游戏结束:{how}。"},
    "midnight": {"en": "Midnight. Catastrophe for everyone", "zh": "午夜。所有人的灾难"},
    "nuclear_use": {"en": "Nuclear use. Catastrophe for everyone", "zh": "核武器被使用。所有人的灾难"},
    "last_turn": {"en": "the last turn is over", "zh": "最后一回合结束"},
    "and": {"en": " and ", "zh": "与"},
}


def _render(value: object, language: str) -> str:
    if isinstance(value, Text):
        return value.get(language)
    if isinstance(value, list | tuple):
        return PHRASES["and"].get(language, " and ").join(_render(v, language) for v in value)
    return str(value)


def _key(value: object) -> object:
    """`value` as part of a memo key: arguments with equal keys render alike (see _render)."""
    if isinstance(value, Text):
        return (Text, *value.values.items())
    if isinstance(value, list | tuple):
        return (list, *map(_key, value))
    return str(value)


# Sentences already made, by (key, languages, arguments): a game says the same few over and over.
_MEMO: dict[tuple, Text] = {}
_MEMO_LIMIT = 8192


def phrase(key: str, languages: tuple[str, ...], **args: object) -> Text:
    """The sentence `key` in each of `languages` (falling back to English)."""
    memo_key = (key, languages, *[(name, value if type(value) is str else _key(value)) for name, value in args.items()])
    known = _MEMO.get(memo_key)
    if known is not None:
        return known
    text = new_phrase(key, languages, **args)
    if len(_MEMO) < _MEMO_LIMIT:
        _MEMO[memo_key] = text
    return text


def new_phrase(key: str, languages: tuple[str, ...], **args: object) -> Text:
    """As phrase, but not memoised: for sentences that seldom repeat (the clock's reading), which
    would only crowd the memo."""
    forms = PHRASES[key]
    values = {}
    for language in dict.fromkeys(("en", *languages)):
        template = forms.get(language, forms["en"])
        values[language] = template.format(**{k: _render(v, language) for k, v in args.items()})
    return Text(values)
