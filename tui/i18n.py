"""The UI's own words in English and Simplified Chinese (scenario text carries its own)."""

from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "简体中文"}

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"en": "Midnight", "zh": "午夜"},
    "start_title": {"en": "Midnight — a negotiation game after New START", "zh": "午夜 —— 新削减战略武器条约之后的谈判游戏"},
    "scenario": {"en": "Scenario", "zh": "想定"},
    "scenario_file": {"en": "…or a scenario file", "zh": "……或想定文件"},
    "language": {"en": "Language", "zh": "语言"},
    "seed": {"en": "Seed (blank: random)", "zh": "随机种子(留空:随机)"},
    "seats": {"en": "Who plays each seat", "zh": "各席位由谁来下"},
    "start": {"en": "Start", "zh": "开始"},
    "human": {"en": "a person", "zh": "真人"},
    "bot": {"en": "bot (scenario default)", "zh": "机器人(想定默认)"},
    "bot_persona": {"en": "bot: {persona}", "zh": "机器人:{persona}"},
    "turn": {"en": "Turn {turn}/{turns}", "zh": "第 {turn}/{turns} 回合"},
    "phase.propose": {"en": "Talks: proposals", "zh": "谈判:提案"},
    "phase.respond": {"en": "Talks: answers", "zh": "谈判:答复"},
    "phase.decide": {"en": "Decisions", "zh": "决策"},
    "phase.crisis": {"en": "Crisis", "zh": "危机"},
    "phase.over": {"en": "Game over", "zh": "游戏结束"},
    "clock": {"en": "Doomsday Clock", "zh": "末日时钟"},
    "seconds": {"en": "{s} s to midnight", "zh": "距午夜 {s} 秒"},
    "closer": {"en": "▲ {d} s closer", "zh": "▲ 近了 {d} 秒"},
    "back": {"en": "▼ {d} s back", "zh": "▼ 退后 {d} 秒"},
    "steady": {"en": "unchanged", "zh": "未变"},
    "risk": {"en": "Escalation risk", "zh": "升级风险"},
    "hidden": {"en": "hidden", "zh": "隐藏"},
    "budget": {"en": "Budget", "zh": "预算"},
    "forces": {"en": "Your forces", "zh": "己方力量"},
    "relations": {"en": "Between actors", "zh": "各方之间"},
    "world": {"en": "World", "zh": "世界"},
    "agreements": {"en": "Agreements in force", "zh": "生效的协议"},
    "proposals": {"en": "Proposals on the table", "zh": "桌上的提案"},
    "none": {"en": "none", "zh": "无"},
    "log": {"en": "Log", "zh": "日志"},
    "act": {"en": "Act", "zh": "行动"},
    "talks": {"en": "Talks", "zh": "谈判"},
    "you_are": {"en": "You are {name}", "zh": "你是{name}"},
    "waiting": {"en": "Nothing to do now.", "zh": "现在无需行动。"},
    "done": {"en": "Done", "zh": "完成"},
    "submit_moves": {"en": "Submit {n} move(s) — d", "zh": "提交 {n} 个行动 — d"},
    "budget_line": {"en": "Budget {budget} · chosen {cost} · left {left} · moves {n}/{max}",
                    "zh": "预算 {budget} · 已选 {cost} · 剩余 {left} · 行动 {n}/{max}"},
    "unavailable": {"en": "unavailable: {reason}", "zh": "不可用:{reason}"},
    "secret": {"en": "secret", "zh": "秘密"},
    "cost": {"en": "cost {cost}", "zh": "费用 {cost}"},
    "templates": {"en": "Agreements you may propose (Enter: draft one)", "zh": "可提出的协议(回车:起草)"},
    "your_offers": {"en": "Your offers", "zh": "你的提案"},
    "submit_offers": {"en": "Send {n} proposal(s) — d", "zh": "发出 {n} 个提案 — d"},
    "no_offers": {"en": "Make no proposal — d", "zh": "不提案 — d"},
    "parties": {"en": "Parties", "zh": "缔约方"},
    "parameters": {"en": "Terms", "zh": "条款"},
    "propose": {"en": "Propose", "zh": "提出"},
    "cancel": {"en": "Cancel", "zh": "取消"},
    "counter": {"en": "Counter", "zh": "反提案"},
    "answer_help": {"en": "a accept · r reject · c counter · d send answers",
                    "zh": "a 接受 · r 拒绝 · c 反提案 · d 发送答复"},
    "send_answers": {"en": "Send answers — d", "zh": "发送答复 — d"},
    "accept": {"en": "accept", "zh": "接受"},
    "reject": {"en": "reject", "zh": "拒绝"},
    "cannot_accept": {"en": "cannot accept: {reason}", "zh": "无法接受:{reason}"},
    "proposal_line": {"en": "#{id} {proposer} proposes {template}{params} to {parties}",
                      "zh": "#{id} {proposer} 向 {parties} 提出 {template}{params}"},
    "handoff": {"en": "Pass to {name}", "zh": "请交给{name}"},
    "handoff_hint": {"en": "Press Enter when ready. Everyone else, look away.",
                     "zh": "准备好后按回车。其他人请回避。"},
    "resolution": {"en": "Turn {turn} resolved", "zh": "第 {turn} 回合结算"},
    "moves_revealed": {"en": "Moves revealed", "zh": "公开的行动"},
    "no_public_moves": {"en": "{name}: no public moves.", "zh": "{name}:没有公开的行动。"},
    "what_happened": {"en": "What happened", "zh": "发生了什么"},
    "why_clock": {"en": "Why the clock moved", "zh": "时钟为何移动"},
    "factor": {"en": "Risk factor", "zh": "风险因素"},
    "previous": {"en": "before", "zh": "之前"},
    "now": {"en": "now", "zh": "现在"},
    "change": {"en": "change", "zh": "变化"},
    "continue": {"en": "Continue — Enter", "zh": "继续 — 回车"},
    "crisis_title": {"en": "Crisis: {names}", "zh": "危机:{names}"},
    "crisis_round": {"en": "Round {round} · the ladder", "zh": "第 {round} 轮 · 升级阶梯"},
    "back_down": {"en": "1 Back down", "zh": "1 退让"},
    "hold": {"en": "2 Hold", "zh": "2 坚持"},
    "escalate": {"en": "3 Escalate", "zh": "3 升级"},
    "game_over": {"en": "Game over", "zh": "游戏结束"},
    "catastrophe": {"en": "CATASTROPHE — midnight for everyone", "zh": "灾难 —— 所有人的午夜"},
    "no_catastrophe": {"en": "No catastrophe", "zh": "未发生灾难"},
    "scores": {"en": "Scores", "zh": "得分"},
    "seat": {"en": "Seat", "zh": "席位"},
    "score": {"en": "Score", "zh": "得分"},
    "shared": {"en": "Shared outcome", "zh": "共同结果"},
    "turning_points": {"en": "Turning points", "zh": "转折点"},
    "brief": {"en": "Brief", "zh": "简报"},
    "objectives": {"en": "Objectives", "zh": "目标"},
    "red_lines": {"en": "Red lines", "zh": "红线"},
    "knowledge": {"en": "What you know", "zh": "你所知道的"},
    "leader": {"en": "Leader", "zh": "领导人"},
    "saved": {"en": "Saved to {path}", "zh": "已保存到 {path}"},
    "replay_title": {"en": "Replay · turn {turn}/{turns}", "zh": "回放 · 第 {turn}/{turns} 回合"},
    "replay_start": {"en": "The start, before any input", "zh": "开局,尚无输入"},
    "inputs": {"en": "What each seat did", "zh": "各方所为"},
    "changes": {"en": "What changed", "zh": "变化"},
    "help": {"en": "Keys", "zh": "按键"},
    "no_brief": {"en": "This scenario gives no brief for this seat.", "zh": "本想定没有为此席位提供简报。"},
    "brief_close": {"en": "Esc / b: close", "zh": "Esc / b:关闭"},
    "saved_title": {"en": "Saved", "zh": "已保存"},
    "withdraw_hint": {"en": "x: withdraw", "zh": "x:撤回"},
    "esc_closes": {"en": "Esc closes", "zh": "Esc 关闭"},
    "mouse": {"en": "Mouse", "zh": "鼠标"},
    "mouse_help": {"en": "Click tabs, moves, proposals and buttons; scroll the log with the wheel.",
                   "zh": "点击标签页、行动、提案和按钮;用滚轮滚动日志。"},
    # the resolution screen: how risk becomes clock seconds
    "clock_rule": {"en": "Rule: each turn the clock moves toward midnight by {formula} s (negative: back)",
                   "zh": "规则:每回合时钟向午夜移动 {formula} 秒(负数:退后)"},
    "clock_rule_turn": {"en": "This turn: {worked} = {change} → {moved}", "zh": "本回合:{worked} = {change} → {moved}"},
    "clock_rule_hidden": {"en": "This turn: {change} (risk is hidden from you)", "zh": "本回合:{change}(风险对你隐藏)"},
    "toward_midnight": {"en": "toward midnight", "zh": "向午夜"},
    "away_from_midnight": {"en": "away from midnight", "zh": "远离午夜"},
    "clock_catastrophe": {"en": "{how}: midnight, whatever the risk", "zh": "{how}:无论风险如何,都是午夜"},
    # the end screen: turning points, and no winners after a catastrophe
    "everyone_lost": {"en": "everyone lost", "zh": "所有人都输了"},
    "scores_after_catastrophe": {"en": "Scores (secondary: nobody won)", "zh": "得分(次要:没有赢家)"},
    "point_clock": {"en": "the clock moved {d} s {way}, to {clock} s (risk {risk})",
                    "zh": "时钟{way}移动 {d} 秒,至 {clock} 秒(风险 {risk})"},
    "point_end": {"en": "{how}: the clock went from {clock} s to midnight", "zh": "{how}:时钟从 {clock} 秒走到午夜"},
    "and_more": {"en": "… and {n} more", "zh": "……另有 {n} 条"},
    # the crisis screen: the cause, the top of the ladder, what each choice risks
    "crisis_cause": {"en": "Cause:", "zh": "起因:"},
    "ends_game": {"en": "ends the game", "zh": "游戏结束"},
    "preview_title": {"en": "What each choice risks this round", "zh": "本轮各选择的风险"},
    "preview_up": {"en": "climbs {n} rungs to {rung}", "zh": "升 {n} 级至{rung}"},
    "preview_up1": {"en": "climbs a rung to {rung}", "zh": "升 1 级至{rung}"},
    "preview_down": {"en": "down {n} rungs to {rung}", "zh": "降 {n} 级至{rung}"},
    "preview_down1": {"en": "down a rung to {rung}", "zh": "降 1 级至{rung}"},
    "preview_stays": {"en": "stays at {rung}", "zh": "停在{rung}"},
    "preview_ends": {"en": "the crisis ends", "zh": "危机结束"},
    "preview_nuclear": {"en": "{rung} — THE GAME ENDS for everyone", "zh": "{rung} —— 所有人的游戏结束"},
    "preview_if": {"en": "if {what}", "zh": "若{what}"},
    "if_back_down": {"en": "{name} backs down", "zh": "{name}退让"},
    "if_hold": {"en": "{name} holds", "zh": "{name}坚持"},
    "if_escalate": {"en": "{name} escalates", "zh": "{name}升级"},
    "warning_nuclear": {"en": "Escalating now can reach nuclear use and end the game in catastrophe.",
                        "zh": "此时升级可能导致使用核武器,游戏以灾难告终。"},
    "confirm_escalate": {"en": "Press 3 again to escalate toward nuclear use — 1 or 2 to choose otherwise",
                         "zh": "再按 3 确认升级(可能使用核武器)—— 按 1 或 2 改选"},
}

# The keymap's words (tui/keys.py, in English there) in other languages: by binding id, and by group.
KEY_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "zh": {
        "help": "帮助", "palette": "命令", "quit": "退出",
        "start.start": "开始游戏", "start.quit": "退出",
        "game.done": "完成:提交", "game.brief": "简报", "game.tab_act": "行动", "game.tab_talks": "谈判",
        "game.tab_log": "日志", "game.save": "保存", "game.quit": "保存并退出",
        "moves.toggle": "选择/取消高亮的行动", "moves.nav": "高亮一个行动(下方显示其费用、说明和原因)",
        "propose.draft": "起草高亮的协议:缔约方和条款", "propose.clear": "撤回已起草的提案",
        "respond.accept": "接受高亮的提案", "respond.reject": "拒绝该提案", "respond.counter": "以其他条款反提案",
        "crisis.back_down": "退让", "crisis.hold": "坚持", "crisis.escalate": "升级", "crisis.brief": "简报",
        "next.continue": "继续",
        "end.replay": "回放本局", "end.report": "写出复盘报告", "end.quit": "退出",
        "replay.next": "下一回合", "replay.prev": "上一回合", "replay.first": "开局", "replay.last": "最后一回合",
        "replay.report": "写出复盘报告", "replay.quit": "关闭",
        "dialog.close": "关闭/取消",
    },
}
KEY_GROUPS: dict[str, dict[str, str]] = {
    "zh": {
        "Everywhere": "任何界面", "Start": "开始界面", "Game": "游戏",
        "Moves (Act tab, decisions)": "行动(“行动”页,决策)", "Proposals (Act tab, talks)": "提案(“行动”页,谈判)",
        "Answers (Act tab, talks)": "答复(“行动”页,谈判)", "Crisis": "危机", "Hand-off, resolution": "交接、结算",
        "End of game": "游戏结束", "Replay viewer": "回放", "Dialogs (brief, help, drafting)": "对话框(简报、帮助、起草)",
    },
}


def key_description(binding_id: str | None, english: str, language: str = "en") -> str:
    """What a key does, as the footer and the help screen say it in `language`."""
    return KEY_DESCRIPTIONS.get(language, {}).get(binding_id or "", english)


def key_group(group: str, language: str = "en") -> str:
    """A keymap group's name (a screen or part of one) in `language`."""
    return KEY_GROUPS.get(language, {}).get(group, group)


def t(key: str, language: str = "en", **values: object) -> str:
    """The UI string `key` in `language` (English when missing), formatted with `values`."""
    entry = STRINGS.get(key)
    if entry is None:
        text = key
    else:
        text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text
