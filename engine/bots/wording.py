"""Bots' reasons in other languages.

A bot gives its reason in English (engine.bots.personas): records keep it and fingerprints hash it,
so the English stays as it is. These patterns read it back, piece by piece, for a front end that
shows it in another language (`reason_in`): the same machinery as the rules' reasons
(engine.rules.phrases), with the sentences bots make. A reason with a piece no pattern knows is
shown in English; tests/test_bot_wording.py plays bot games and checks that none is.
"""

from __future__ import annotations

from engine.rules import phrases

BOT_REASONS: dict[str, dict[str, str]] = {
    # what a persona says when its plain preferences made the choice (personas.MOTTOS)
    "builds strength": {"zh": "增强实力"},
    "shows restraint": {"zh": "保持克制"},
    "keeps things safe": {"zh": "求稳"},
    "keeps pace": {"zh": "与对手保持同步"},
    "keeps faith": {"zh": "信守承诺"},
    "picks at random": {"zh": "随机挑选"},
    # proposals
    "nothing it may propose this turn": {"zh": "本回合没有可以提出的协议"},
    "makes no proposal ({motto})": {"zh": "不提出提案（{motto}）"},
    "sees no agreement worth offering": {"zh": "认为没有值得提出的协议"},
    "proposes {offers}": {"zh": "提议：{offers}"},
    "{template} to {parties}": {"zh": "向{parties}提出{template}"},
    # packages: "a package of X with Y to Z", "Russia's package of X with Y"
    # (before its shorter form: a package brought after the agreement alone was refused)
    "a package of {templates} to {parties}, as {actor} refused {template} alone": {
        "zh": "{actor}拒绝了单独的{template}，故向{parties}提出一揽子协议（{templates}）"},
    "a package of {templates} to {parties}": {"zh": "向{parties}提出一揽子协议（{templates}）"},
    "{actor}'s package of {templates}": {"zh": "{actor}的一揽子协议（{templates}）"},
    "{actor}' package of {templates}": {"zh": "{actor}的一揽子协议（{templates}）"},
    "{template} with {other}": {"zh": "{template}连同{other}"},
    # answers, and what weighed in them
    "accepts {proposal} ({why})": {"zh": "接受{proposal}（{why}）"},
    "accepts {proposal}": {"zh": "接受{proposal}"},
    "counters {proposal} with {terms} ({why})": {"zh": "以{terms}反提案{proposal}（{why}）"},
    "counters {proposal} with {terms}": {"zh": "以{terms}反提案{proposal}"},
    "rejects {proposal} ({why})": {"zh": "拒绝{proposal}（{why}）"},
    "rejects {proposal}": {"zh": "拒绝{proposal}"},
    "nothing to answer": {"zh": "没有需要答复的提案"},
    "at random": {"zh": "随机"},
    "it would bind its {move}": {"zh": "会束缚它的{move}"},
    "distrusts {actor} after its {move}": {"zh": "因{actor}的{move}而不信任对方"},
    "returns {actor} good faith": {"zh": "回报{actor}善意"},
    # (before its shorter form, which would read "Russia: makes no move" as the actor)
    "will not freeze behind {actor}: makes no move": {"zh": "不愿在落后于{actor}时被冻结：不采取行动"},
    "will not freeze behind {actor}": {"zh": "不愿在落后于{actor}时被冻结"},
    "at parity with {actor}": {"zh": "与{actor}势均力敌"},
    "wants calm: {why}": {"zh": "希望局势平静：{why}"},
    "after nuclear use, wants the war ended": {"zh": "使用核武器之后，希望尽快结束战争"},
    # decisions
    "returns {deeds} in kind": {"zh": "以同样方式回报{deeds}"},
    "closes the gap with {actor} in {track}": {"zh": "缩小与{actor}在{track}上的差距"},
    "closes the gap with {actor} ({track} {own:num} against {theirs:num})": {
        "zh": "缩小与{actor}的差距（{track} {own} 对 {theirs}）"},
    "at parity with {actor}, can afford restraint": {"zh": "与{actor}势均力敌，可以克制"},
    "{why}: steadies things": {"zh": "{why}：稳定局势"},
    # the day after nuclear use (before "{why}: makes no move", which would split it)
    "after nuclear use, war termination comes first": {"zh": "使用核武器之后，首要任务是终止战争"},
    "after nuclear use, makes no move that could widen the war": {"zh": "使用核武器之后，不采取任何可能扩大战争的行动"},
    "answers {deeds} with its own": {"zh": "以同样的行动回应{deeds}"},
    "answers {deeds} with strength": {"zh": "以实力回应{deeds}"},
    "tries something new": {"zh": "尝试新的做法"},
    "forgives {deeds}": {"zh": "原谅{deeds}"},
    "{why}: makes no move": {"zh": "{why}：不采取行动"},
    "holds steady": {"zh": "按兵不动"},
    "nothing": {"zh": "无"},
    # crises
    "back down at random": {"zh": "随机选择退让"},
    "hold at random": {"zh": "随机选择坚持"},
    "escalate at random": {"zh": "随机选择升级"},
    "steps back from the brink ({rung})": {"zh": "在悬崖边缘止步（{rung}）"},
    "holds rather than answer {actor} escalation": {"zh": "坚持而不回应{actor}升级"},
    "answers {actor} escalation with its own": {"zh": "以升级回应{actor}升级"},
    "meets {actor} step back with its own": {"zh": "以退让回应{actor}退让"},
    "holds, as the others held": {"zh": "其他各方坚持，它也坚持"},
    "backs down: {why}": {"zh": "退让：{why}"},
    "backs down to end the war after nuclear use ({rung})": {"zh": "为在使用核武器之后终止战争而退让（{rung}）"},
    "presses as {actors} backs down": {"zh": "趁{actors}退让而施压"},
    "presses its lead over {actor}": {"zh": "凭借对{actor}的优势施压"},
    "backs down while behind {actor}": {"zh": "在落后于{actor}时退让"},
    "raises the stakes at {rung}": {"zh": "在“{rung}”加码"},
    "backs down at {rung}": {"zh": "在“{rung}”退让"},
    "holds firm at {rung}": {"zh": "在“{rung}”坚持"},
    # how close to catastrophe a bot feels (reading.danger)
    "calm": {"zh": "局势平静"},
    "risk is {risk:num}": {"zh": "风险为 {risk}"},
    "the clock is at {clock:num}s": {"zh": "时钟在 {clock} 秒"},
    "the crisis is at {rung}": {"zh": "危机处于“{rung}”"},
    "{track} with {actor} is {value:num}": {"zh": "与{actor}的{track}为 {value}"},
    "{track} {value:num} is past its red line of {line:num}": {"zh": "{track} {value} 已越过红线 {line}"},
}

_PATTERNS = phrases.patterns(BOT_REASONS, phrases.REASONS)


def reason_in(text: str, language: str, scenario=None) -> str:
    """A bot's English reason in `language` (scenario words in that language), or the English."""
    return phrases.reason_in(text, language, scenario, _PATTERNS)
