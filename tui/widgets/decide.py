"""The decisions pane: legal moves grouped by system, cost and budget live, unavailable ones with why."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from engine import Game
from engine.rules.citations import source_number
from engine.rules.options import MoveOption, SeatOptions, move_effects_now
from tui import present
from tui.i18n import t
from tui.present import escape

# This pane's own words (the move in full, breach warnings), in each UI language.
WORDS = {
    "en": {"more": "i: in full", "breaches": "⚠ breaches {names}", "now": "Now", "written": "As written",
           "confirm": "These moves breach agreements in force:", "confirm_q": "Submit them anyway?",
           "submit": "Submit", "cancel": "Cancel", "close": "Esc closes"},
    "zh": {"more": "i：完整说明", "breaches": "⚠ 违反{names}", "now": "当前效果", "written": "规则原文",
           "confirm": "这些行动违反生效中的协议：", "confirm_q": "仍要提交吗？",
           "submit": "提交", "cancel": "取消", "close": "Esc 关闭"},
}


def words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["en"])


def breach_names(game: Game, template_ids: tuple[str, ...], language: str) -> str:
    return ", ".join(game.template(i).label.get(language) for i in template_ids)


class MoveList(OptionList):
    """Moves under system headings; space or Enter chooses or drops the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_move", "Choose move", show=False, id="moves.toggle"),
        Binding("i", "move_info", "The move in full", show=False, id="moves.info"),
    ]

    def action_toggle_move(self) -> None:
        if self.highlighted is not None:
            option = self.get_option_at_index(self.highlighted)
            if option.id and not option.disabled:
                self.post_message(OptionList.OptionSelected(self, option, self.highlighted))

    def action_move_info(self) -> None:
        if self.highlighted is not None:
            option = self.get_option_at_index(self.highlighted)
            pane = next((a for a in self.ancestors if isinstance(a, DecidePane)), None)
            if option.id and pane is not None:
                pane.show_info(option.id)

    def on_resize(self) -> None:
        # The detail below grows and shrinks with the highlighted move, and the list with it: a
        # list that shrank after scrolling to the highlight left it below the visible region.
        self.call_after_refresh(self.scroll_to_highlight)


class MoveInfo(ModalScreen[None]):
    """The highlighted move in full: what it does now for this seat, and its effects as written."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape,i,enter", "dismiss", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static(self.text, id="move-info")


class ConfirmBreach(ModalScreen[bool]):
    """Before a decision that breaches agreements in force: submit anyway (True) or go back."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "dismiss(False)", "Cancel")]

    def __init__(self, text: str, language: str) -> None:
        super().__init__()
        self.text, self.language = text, language

    def compose(self) -> ComposeResult:
        w = words(self.language)
        with Vertical(id="dialog"):
            yield Static(self.text)
            with Horizontal(id="dialog-buttons"):
                yield Button(w["submit"], variant="error", id="ok", compact=True)
                yield Button(w["cancel"], id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "ok")


class DecidePane(Vertical):
    """Pick this turn's secret moves within the budget."""

    def confirm_then(self, done: Callable[[], None]) -> None:
        """Call `done` (the screen's submit), after asking first when the decision breaches an
        agreement in force. The game screen's Done comes here, wherever the focus is."""
        breaking = [m for m in self.chosen if self.by_id[m].breaches]
        if not breaking:
            done()
            return
        lang, w = self.language, words(self.language)
        lines = [f"[b]{escape(w['confirm'])}[/b]"]
        for m in breaking:
            names = breach_names(self.game, self.by_id[m].breaches, lang)
            lines.append(f"  {escape(self.by_id[m].label.get(lang))}: [$error]{escape(names)}[/]")
        lines.append(escape(w["confirm_q"]))

        def answered(submit: bool | None) -> None:
            if submit:
                done()

        self.app.push_screen(ConfirmBreach("\n".join(lines), lang), answered)

    def show_info(self, move_id: str) -> None:
        """Open the move in full."""
        m = self.by_id.get(move_id)
        if m is None:
            return
        lang, w = self.language, words(self.language)
        parts = [self._headline(m)]
        if m.breaches:
            parts.append(f"[$error]{escape(w['breaches'].format(names=breach_names(self.game, m.breaches, lang)))}[/]")
        if m.description.get(lang):
            parts.append(escape(m.description.get(lang)))
        now = self._now(m)
        if now:
            parts.append(f"\n[b]{escape(w['now'])}[/b]\n" + "\n".join(f"• {escape(p)}" for p in now.split("; ")))
        if m.effects.get(lang):
            parts.append(f"\n[b]{escape(w['written'])}[/b]\n[$text-muted]"
                         + "\n".join(f"• {escape(p)}" for p in m.effects.get(lang).split("; ")) + "[/]")
        if not m.available:
            parts.append(f"[$error]{escape(t('unavailable', lang, reason=present.reason(self.game, m.reason, lang)))}[/]")
        cited = self.game.moves[m.id].source if m.id in self.game.moves else None
        number = source_number(self.game.scenario, cited)
        if number is not None:
            source = self.game.scenario.sources[number - 1]
            line = t("source_line", lang, number=number, title=source.title, publisher=source.publisher)
            parts.append(f"\n[$text-muted]{escape(line)}[/]")
        parts.append(f"\n[$text-muted]{escape(w['close'])}[/]")
        self.app.push_screen(MoveInfo("\n".join(parts)))

    def _now(self, m: MoveOption) -> str:
        """What the move would do now for this seat, in words (worked out when asked, and kept)."""
        known = self._now_text.get(m.id)
        if known is None:
            session = getattr(self.app, "session", None)
            if session is None:
                known = m.effects.get(self.language)
            else:
                known = move_effects_now(self.game, session.state, self.options.seat, m.id).get(self.language)
            self._now_text[m.id] = known
        return known

    def _headline(self, m: MoveOption) -> str:
        return (f"[b]{escape(m.label.get(self.language))}[/b] — {t('cost', self.language, cost=present.num(m.cost))}"
                + (f", {t('secret', self.language)}" if m.secret else ""))

    def compose(self) -> ComposeResult:
        yield Static(id="decide-budget")
        yield MoveList(id="moves")
        yield Static(id="move-detail")

    def load(self, game: Game, options: SeatOptions, language: str) -> None:
        self.game, self.options, self.language = game, options, language
        self.chosen: list[str] = []
        self.by_id = {m.id: m for m in options.moves}
        self._now_text: dict[str, str] = {}
        moves = self.query_one(MoveList)
        moves.clear_options()
        groups: dict[str, list[MoveOption]] = {}
        for m in options.moves:
            groups.setdefault(m.system, []).append(m)
        first = None
        for system, items in groups.items():
            moves.add_option(Option(f"[b $accent]{escape(present.system_name(game, system, language))}[/]", disabled=True))
            for m in items:
                moves.add_option(Option(self._prompt(m), id=m.id, disabled=not m.available))
                if first is None and m.available:
                    first = m.id
        if first is not None:
            moves.highlighted = moves.get_option_index(first)
        self._update_budget()

    def _prompt(self, m: MoveOption) -> str:
        mark = "[x]" if m.id in getattr(self, "chosen", ()) else "[ ]"
        label = escape(m.label.get(self.language))
        cost = present.num(m.cost)
        secret = f" [$text-muted]({t('secret', self.language)})[/]" if m.secret else ""
        secret += " [$error]⚠[/]" if m.breaches else ""
        line = f"{escape(mark)} {label}{secret} [$text-muted]· {cost}[/]"
        if not m.available:
            why = present.reason(self.game, m.reason, self.language)
            line = f"    {label} [$text-muted]· {cost}[/]\n    [i $text-muted]{escape(why)}[/]"
        return line

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        move_id = event.option.id
        if move_id is None or move_id not in self.by_id:
            return
        if move_id in self.chosen:
            self.chosen.remove(move_id)
        else:
            self.chosen.append(move_id)
        self.query_one(MoveList).replace_option_prompt(move_id, self._prompt(self.by_id[move_id]))
        self._update_budget()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        m = self.by_id.get(event.option.id or "")
        detail = self.query_one("#move-detail", Static)
        if m is None:
            detail.update("")
            return
        lang, w = self.language, words(self.language)
        # Short enough for 80×24: the headline, a breach, why it is unavailable, what it does now
        # (clipped by the panel's height); the description and the full text are behind `i`.
        parts = [f"{self._headline(m)} [$text-muted]· {escape(w['more'])}[/]"]
        if m.breaches:
            parts.append(f"[$error]{escape(w['breaches'].format(names=breach_names(self.game, m.breaches, lang)))}[/]")
        if not m.available:
            parts.append(f"[$error]{escape(t('unavailable', lang, reason=present.reason(self.game, m.reason, lang)))}[/]")
        now = self._now(m)
        if now:
            parts.append(escape(now))
        detail.update("\n".join(parts))

    def _update_budget(self) -> None:
        cost = sum(self.by_id[m].cost for m in self.chosen)
        budget = self.options.budget
        left = None if budget is None else budget - cost
        line = t("budget_line", self.language,
                 budget="∞" if budget is None else present.num(budget), cost=present.num(cost),
                 left="∞" if left is None else present.num(left), n=len(self.chosen), max=self.options.max_moves)
        over = (left is not None and left < 0) or len(self.chosen) > self.options.max_moves
        self.query_one("#decide-budget", Static).update(f"[$error]{line}[/]" if over else line)

    def submission(self, seat: str) -> dict:
        return {"seat": seat, "kind": "decide", "moves": list(self.chosen)}

    def unsent(self) -> dict | None:
        """What is ticked and not sent, to keep with a save (None: nothing)."""
        return {"moves": list(self.chosen)} if self.chosen else None

    def restore(self, choice: dict) -> None:
        """Tick again the moves a save kept unsent (those still open; anything else is left out)."""
        moves = choice.get("moves")
        for move_id in moves if isinstance(moves, list) else ():
            m = self.by_id.get(move_id) if isinstance(move_id, str) else None
            if m is not None and m.available and move_id not in self.chosen:
                self.chosen.append(move_id)
                self.query_one(MoveList).replace_option_prompt(move_id, self._prompt(m))
        self._update_budget()
