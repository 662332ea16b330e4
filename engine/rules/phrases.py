"""The engine's own sentences for the game log, in every language the engine speaks.

Arguments may be `Text` (scenario names, labels) and are rendered in the sentence's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from engine.scenario.text import DEFAULT_LANGUAGE, Text

PHRASES: dict[str, dict[str, str]] = {
    "turn_start": {"en": "Turn {turn} begins ({date}).", "zh": "第 {turn} 回合开始（{date}）。"},
    # the facilitator ends an exercise before the game's own end (Termination.ENDED)
    "facilitator_ends": {"en": "The facilitator ends the exercise: {reason}", "zh": "导调员宣布推演结束：{reason}"},
    "no_reason": {"en": "no reason given", "zh": "未说明理由"},
    "ended": {"en": "ended by the facilitator, scored as it stood", "zh": "由导调员结束，按当时局面计分"},
    "proposed": {
        "en": "{actor} proposes {template} to {parties}.",
        "zh": "{actor} 向 {parties} 提议：{template}。",
    },
    "countered": {
        "en": "{actor} counters with {template}: {params}.",
        "zh": "{actor} 提出反提案：{template}：{params}。",
    },
    "accepted": {"en": "{actor} accepts {template}.", "zh": "{actor} 接受 {template}。"},
    "rejected": {"en": "{actor} rejects {template}.", "zh": "{actor} 拒绝 {template}。"},
    "lapsed": {"en": "The proposal of {template} lapses.", "zh": "{template} 提案失效。"},
    "lapsed_duplicate": {
        "en": "{actor}'s proposal of {template} lapses: it is already in force between these parties.",
        "zh": "{actor} 的 {template} 提案失效：该协议已在这些缔约方之间生效。",
    },
    "lapsed_duplicate_pending": {
        "en": "{actor}'s proposal of {template} lapses: it is already signed between these parties and awaits"
              " ratification.",
        "zh": "{actor} 的 {template} 提案失效：该协议已由这些缔约方签署，尚待批准。",
    },
    "lapsed_talks_over": {
        "en": "{actor}'s counter-proposal of {template} lapses unanswered: the talks of this turn are over.",
        "zh": "{actor} 的 {template} 反提案未获答复即失效：本回合谈判已结束。",
    },
    "void": {"en": "{actor}'s offer of {template} is void: {reason}.", "zh": "{actor} 的 {template} 提议作废：{reason}。"},
    "signed": {
        "en": "Agreement in force: {template} between {parties}.",
        "zh": "协议生效：{parties} 之间的 {template}。",
    },
    "expired": {"en": "{template} has expired.", "zh": "{template} 已到期。"},
    "package_label": {"en": "a package of {templates}", "zh": "一揽子协议（{templates}）"},
    "package_signed": {
        "en": "Signed as one package: {templates} between {parties}; they stand or fall together.",
        "zh": "作为一揽子协议签署：{parties} 之间的 {templates}；共存共亡。",
    },
    "signed_pending": {
        "en": "Signed, awaiting ratification by {actors} (decided at the start of turn {turn}): {template} between {parties}.",
        "zh": "已签署，待 {actors} 批准（第 {turn} 回合开始时决定）：{parties} 之间的 {template}。",
    },
    "ratified": {
        "en": "Ratified, in force: {template} between {parties}.",
        "zh": "已批准并生效：{parties} 之间的 {template}。",
    },
    "ratification_failed": {
        "en": "{template} lapses unratified: {reason}.",
        "zh": "{template} 未获批准而失效：{reason}。",
    },
    "package_collapsed": {
        "en": "{template} ends with the package it was signed in.",
        "zh": "{template} 随其所属的一揽子协议一同终止。",
    },
    "played": {"en": "{actor}: {move}.", "zh": "{actor}：{move}。"},
    "played_secretly": {"en": "{actor} (secret): {move}.", "zh": "{actor}（秘密）：{move}。"},
    "breach_detected": {
        "en": "{actor} is caught breaching {template}.",
        "zh": "{actor} 被发现违反 {template}。",
    },
    "breach_hidden": {
        "en": "{actor} breached {template}; no one noticed.",
        "zh": "{actor} 违反了 {template}，无人察觉。",
    },
    "agreement_collapsed": {"en": "{template} collapses.", "zh": "{template} 破裂。"},
    "crisis_started": {
        "en": "Crisis between {parties}: {rung}.",
        "zh": "{parties} 之间爆发危机：{rung}。",
    },
    "crisis_choices": {"en": "Crisis round {round}: {choices}.", "zh": "危机第 {round} 轮：{choices}。"},
    "crisis_rung": {"en": "The crisis stands at: {rung}.", "zh": "危机处于：{rung}。"},
    "crisis_over": {"en": "The crisis subsides at: {rung}.", "zh": "危机在此平息：{rung}。"},
    "clock": {
        "en": "The clock stands at {clock} seconds to midnight ({change}).",
        "zh": "末日时钟：距午夜 {clock} 秒（{change}）。",
    },
    # a clock set once a period (clock.every / clock.month): a judgement, with its reasons
    "clock_set": {
        "en": "The Doomsday Clock is set at {clock} seconds to midnight ({change}).",
        "zh": "末日时钟拨至距午夜 {clock} 秒（{change}）。",
    },
    "clock_set_reasons": {
        "en": "The Doomsday Clock is set at {clock} seconds to midnight ({change}). The judgement cites: {reasons}.",
        "zh": "末日时钟拨至距午夜 {clock} 秒（{change}）。评估列举的主要风险：{reasons}。",
    },
    "clock_closer": {"en": "{d}s closer", "zh": "拨近 {d} 秒"},
    "clock_back": {"en": "{d}s back", "zh": "回拨 {d} 秒"},
    "clock_unmoved": {"en": "unmoved", "zh": "未动"},
    "risk_between": {
        "en": "Escalation risk this turn: {risk}. The Doomsday Clock is next set on turn {turn}.",
        "zh": "本回合升级风险：{risk}。末日时钟将于第 {turn} 回合重新拨定。",
    },
    "risk_only": {"en": "Escalation risk this turn: {risk}.", "zh": "本回合升级风险：{risk}。"},
    "list_separator": {"en": ", ", "zh": "、"},
    "aftermath_began": {
        "en": "Midnight has struck. The day after: {turns} more turns are played; the game ends in catastrophe whatever is done.",
        "zh": "午夜已经来临。核战后的第二天：还将进行 {turns} 个回合，无论如何应对，游戏都将以灾难告终。",
    },
    "aftermath_turn": {"en": "The day after: {left} more turns.", "zh": "核战后：还剩 {left} 个回合。"},
    "aftermath_turn_last": {"en": "The day after: one more turn.", "zh": "核战后：还剩最后一个回合。"},
    "aftermath_began_last": {
        "en": "Midnight has struck. The day after: one more turn is played; the game ends in catastrophe whatever is done.",
        "zh": "午夜已经来临。核战后的第二天：还将进行最后一个回合，无论如何应对，游戏都将以灾难告终。",
    },
    "risk": {"en": "Escalation risk {risk}.", "zh": "升级风险 {risk}。"},
    "activated": {"en": "{actor} joins the table.", "zh": "{actor} 加入谈判。"},
    "adjusted": {
        "en": "The facilitator sets {track} to {value}: {reason}",
        "zh": "导调员将 {track} 调整为 {value}：{reason}",
    },
    "game_over": {"en": "The game ends: {how}.", "zh": "游戏结束：{how}。"},
    "midnight": {"en": "Midnight. Catastrophe for everyone", "zh": "午夜。所有人的灾难"},
    "nuclear_use": {"en": "Nuclear use. Catastrophe for everyone", "zh": "核武器被使用。所有人的灾难"},
    "nuclear_use_by": {"en": "Nuclear use: {cause}. Catastrophe for everyone", "zh": "核武器被使用：{cause}。所有人的灾难"},
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
        return _text_key(value)
    if isinstance(value, list | tuple):
        return (list, *map(_key, value))
    return str(value)


# A Text's key by the Text's identity (kept with it, so that its id is not reused): most
# arguments are the scenario's names and labels, given again and again.
_TEXT_KEYS: dict[int, tuple[Text, tuple]] = {}


def _text_key(text: Text) -> tuple:
    known = _TEXT_KEYS.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    key = (Text, *text.values.items())
    if len(_TEXT_KEYS) < _MEMO_LIMIT:
        _TEXT_KEYS[id(text)] = (text, key)
    return key


# Sentences already made, by (key, languages, arguments): a game says the same few over and over.
_MEMO: dict[tuple, Text] = {}
_MEMO_LIMIT = 8192


def phrase(key: str, languages: tuple[str, ...], **args: object) -> Text:
    """The sentence `key` in each of `languages` (falling back to English)."""
    memo_key = (key, languages, *[(name, value if type(value) is str else _text_key(value) if type(value) is Text
                                    else _key(value)) for name, value in args.items()])
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
    return render(PHRASES[key], languages, **args)


def render(forms: Mapping[str, str], languages: tuple[str, ...], **args: object) -> Text:
    """A sentence's forms ({"en": "... {name} ...", "zh": ...}) filled in each of `languages` and
    English (a language without a form gets the English one); `Text` arguments in that language."""
    values = {}
    for language in dict.fromkeys(("en", *languages)):
        template = forms.get(language, forms["en"])
        values[language] = template.format(**{k: _render(v, language) for k, v in args.items()})
    return Text(values)


# -- reasons in other languages ------------------------------------------------------------------
# The rules say why a choice is closed ("costs 3, the budget is 2") in English, and records and
# fingerprints carry those sentences as they are. A front end shows them in another language with
# `reason_in`, which reads the English back against these patterns. In a pattern, {name} is a piece
# worked out on its own (a scenario's label or id, another reason, a list of them), {name:num} a
# number, kept as it is. The most specific pattern (the most fixed words) is tried first.
REASONS: dict[str, dict[str, str]] = {
    # why a move, a template or an answer is closed (engine.rules.options, talks, resolution)
    "costs {cost:num}, the budget is {budget:num}": {"zh": "费用 {cost}，预算只有 {budget}"},
    "not open to this actor": {"zh": "此方不可用"},
    "its conditions are not met": {"zh": "条件未满足"},
    "not on this turn's agenda": {"zh": "不在本回合议程上"},
    "too few eligible actors at the table": {"zh": "桌上符合条件的参与方太少"},
    "its conditions for accepting are not met": {"zh": "接受的条件未满足"},
    "it would be in breach at once at these terms ({terms})": {"zh": "按这些条款会立即违约（{terms}）"},
    "it would be in breach at once at these terms": {"zh": "按这些条款会立即违约"},
    "already in force with every possible set of parties": {"zh": "已与所有可能的缔约方组合生效"},
    "already in force between these parties": {"zh": "已在这些缔约方之间生效"},
    "already signed between these parties, awaiting ratification": {"zh": "已在这些缔约方之间签署，待批准"},
    "the game is over": {"zh": "游戏已结束"},
    # why an input is refused (the rules' IllegalInput messages a player can meet)
    "these moves cost {cost:num}, more than the budget of {budget:num}": {"zh": "这些行动费用 {cost}，超过预算 {budget}"},
    "at most {n:num} moves a turn": {"zh": "每回合最多 {n} 个行动"},
    "at most {n:num} proposals a turn": {"zh": "每回合最多 {n} 个提案"},
    "a move may be played once a turn": {"zh": "每个行动每回合只能使用一次"},
    "{seat} may not play {move}: {why}": {"zh": "{seat}不能采取{move}：{why}"},
    "{seat} may not propose {template}: {why}": {"zh": "{seat}不能提出{template}：{why}"},
    "{seat} cannot accept {template}: {why}": {"zh": "{seat}无法接受{template}：{why}"},
    "{seat} must be a party to its own proposal of {template}": {"zh": "{seat}必须是自己提出的{template}的缔约方"},
    "{seat} has already submitted for this phase": {"zh": "{seat}在本阶段已经提交"},
    "{template} needs at least {n:num} parties": {"zh": "{template}至少需要 {n} 个缔约方"},
    "{template} allows at most {n:num} parties": {"zh": "{template}最多允许 {n} 个缔约方"},
    "{template}: a party is named twice": {"zh": "{template}：同一缔约方被列了两次"},
    "{template} between these parties is already in force": {"zh": "{template}已在这些缔约方之间生效"},
    "{template} between these parties is signed and awaiting ratification": {"zh": "{template}已在这些缔约方之间签署，待批准"},
    "a package names {template} twice": {"zh": "一揽子协议中{template}出现了两次"},
    "the package of proposal {n:num} holds no agreement '{template}'": {"zh": "第 {n} 号提案的一揽子协议中没有“{template}”"},
    "{template}: {parameter} must lie between {low:num} and {high:num}": {
        "zh": "{template}：{parameter}必须在 {low} 到 {high} 之间"},
    "{template}: {parameter} must be {low:num} plus a multiple of {step:num}": {
        "zh": "{template}：{parameter}必须是 {low} 加 {step} 的整数倍"},
}

# The pieces sentences are made of: lists, possessives, terms. Tried after every sentence, in this
# order (a sentence's own fixed words place its slots better than a list's comma can).
PIECES: dict[str, dict[str, str]] = {
    "{a}; {b}": {"zh": "{a}；{b}"},
    "{a}: {b}": {"zh": "{a}：{b}"},
    "{a}, {b}": {"zh": "{a}、{b}"},
    "{a} and {b}": {"zh": "{a}和{b}"},
    "{a}'s {b}": {"zh": "{a}的{b}"},
    "{a}' {b}": {"zh": "{a}的{b}"},
    "{a}'s": {"zh": "{a}的"},
    "{a}'": {"zh": "{a}的"},
    "{parameter} {value:num}": {"zh": "{parameter} {value}"},
}

_SLOT = re.compile(r"\{(\w+)(:num)?\}")
_NUMBER = re.compile(r"[-+]?\d[\d,]*(\.\d+)?(e[-+]?\d+)?%?")
_MOST_CHARACTERS = 4000  # a longer text is shown as it is: nothing a game says is this long


class _Pattern:
    """One English pattern: its fixed words and slots in order, and its forms in other languages."""

    __slots__ = ("pieces", "forms", "prefix", "suffix", "weight")

    def __init__(self, english: str, forms: Mapping[str, str]) -> None:
        pieces: list[tuple[str, str, bool]] = []  # (fixed text, "") or ("", slot name, is a number)
        at = 0
        for match in _SLOT.finditer(english):
            if match.start() > at:
                pieces.append((english[at:match.start()], "", False))
            pieces.append(("", match.group(1), bool(match.group(2))))
            at = match.end()
        if at < len(english):
            pieces.append((english[at:], "", False))
        self.pieces, self.forms = tuple(pieces), dict(forms)
        self.prefix = pieces[0][0]
        self.suffix = pieces[-1][0]
        self.weight = sum(len(fixed) for fixed, _, _ in pieces)

    def splits(self, text: str, index: int = 0, at: int = 0) -> Iterator[dict[str, str]]:
        """Every way `text[at:]` reads as this pattern's pieces from `index` on: the slots' texts."""
        if index == len(self.pieces):
            if at == len(text):
                yield {}
            return
        fixed, slot, number = self.pieces[index]
        if not slot:
            if text.startswith(fixed, at):
                yield from self.splits(text, index + 1, at + len(fixed))
            return
        if index + 1 == len(self.pieces):
            ends = [len(text)] if at < len(text) else []
        else:
            after = self.pieces[index + 1][0]
            ends, found = [], text.find(after, at + 1)
            while found != -1:
                ends.append(found)
                found = text.find(after, found + 1)
        for end in ends:
            piece = text[at:end]
            if number and not _NUMBER.fullmatch(piece):
                continue
            for rest in self.splits(text, index + 1, end):
                yield {slot: piece, **rest}


def patterns(*tables: Mapping[str, Mapping[str, str]]) -> tuple[_Pattern, ...]:
    """The patterns of `tables` (English pattern -> its forms by language) in the order to try them:
    each table's the most specific first, then the common PIECES as they are listed."""
    result: list[_Pattern] = []
    for table in tables:
        result += sorted((_Pattern(english, forms) for english, forms in table.items()), key=lambda p: -p.weight)
    return (*result, *(_Pattern(english, forms) for english, forms in PIECES.items()))


_RULE_PATTERNS = patterns(REASONS)
_HAS_LETTERS = re.compile(r"[A-Za-z]")


def scenario_words(scenario) -> dict[str, Text]:
    """What a reason may quote from `scenario`, by its English: actors', moves', templates',
    parameters', tracks', rungs' and systems' labels and ids, and moves' and templates' own reasons."""
    words: dict[str, Text] = {}

    def add(english: str, text: Text) -> None:
        if english and english not in words:
            words[english] = text

    named = [*scenario.actors, *scenario.systems]
    labelled = [*scenario.moves, *scenario.agreements, *scenario.tracks, *scenario.crisis.rungs]
    labelled += [p for template in scenario.agreements for p in template.parameters]
    for thing in named:
        add(thing.name.get(), thing.name)
    for thing in labelled:
        add(thing.label.get(), thing.label)
    for move in scenario.moves:
        add(move.unavailable.get(), move.unavailable)
    for template in scenario.agreements:
        add(template.refusal.get(), template.refusal)
    for thing in named:  # ids last: a label that happens to equal an id keeps its own words
        add(thing.id, thing.name)
    for thing in labelled:
        add(thing.id, thing.label)
    # a track's expression names ("tension.russia.us"): its label, and whose it is
    actors = [(a.id, a.name) for a in scenario.actors]
    for track in scenario.tracks:
        for whose in [[a] for a in actors] + [[a, b] for a in actors for b in actors if a is not b]:
            name = ".".join([track.id, *(actor_id for actor_id, _ in whose)])
            languages = set(track.label.values).union(*(actor_name.values for _, actor_name in whose))
            add(name, Text({language: f"{track.label.get(language)} ("
                            + "–".join(actor_name.get(language) for _, actor_name in whose) + ")"
                            for language in languages}))
    return words


_WORDS: dict[int, tuple[object, dict[str, Text]]] = {}


def _words_of(scenario) -> dict[str, Text]:
    known = _WORDS.get(id(scenario))
    if known is None or known[0] is not scenario:  # the entry keeps its scenario: the id is its own
        if len(_WORDS) >= 16:
            _WORDS.clear()
        known = _WORDS[id(scenario)] = (scenario, scenario_words(scenario))
    return known[1]


def reason_in(text: str, language: str, scenario=None, patterns: tuple[_Pattern, ...] = _RULE_PATTERNS) -> str:
    """An English reason of the rules (or, with bots' `patterns`, of a bot) in `language`, quoting
    `scenario`'s words in that language; the English as it is when some part of it is not known."""
    if language == DEFAULT_LANGUAGE or not text or len(text) > _MOST_CHARACTERS:
        return text
    words = _words_of(scenario) if scenario is not None else {}
    memo: dict[str, str | None] = {}

    def read(piece: str) -> str | None:
        if piece in memo:
            return memo[piece]
        memo[piece] = None  # a piece never reads as itself
        found = words.get(piece)
        if found is not None:
            result: str | None = found.get(language)
        elif not _HAS_LETTERS.search(piece) or _NUMBER.fullmatch(piece):
            result = piece
        else:
            result = None
            for pattern in patterns:
                form = pattern.forms.get(language)
                if form is None or not piece.startswith(pattern.prefix) or not piece.endswith(pattern.suffix):
                    continue
                for slots in pattern.splits(piece):
                    read_slots = {name: read(value) for name, value in slots.items()}
                    if all(value is not None for value in read_slots.values()):
                        result = form.format(**read_slots)
                        break
                if result is not None:
                    break
        memo[piece] = result
        return result

    return read(text) or text
