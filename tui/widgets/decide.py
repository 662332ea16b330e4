"""The decisions pane: legal moves grouped by system, cost and budget live, unavailable ones with why."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine import Game
from engine.rules.options import MoveOption, SeatOptions
from tui import present
from tui.i18n import t
from tui.present import escape


class MoveList(OptionList):
    """Moves under system headings; space or Enter chooses or drops the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_move", "Choose move", show=False, id="moves.toggle")]

    def action_toggle_move(self) -> None:
        if self.highlighted is not None:
            option = self.get_option_at_index(self.highlighted)
            if option.id and not option.disabled:
                self.post_message(OptionList.OptionSelected(self, option, self.highlighted))


class DecidePane(Vertical):
    """Pick this turn's secret moves within the budget."""

    def compose(self) -> ComposeResult:
        yield Static(id="decide-budget")
        yield MoveList(id="moves")
        yield Static(id="move-detail")

    def load(self, game: Game, options: SeatOptions, language: str) -> None:
        self.game, self.options, self.language = game, options, language
        self.chosen: list[str] = []
        self.by_id = {m.id: m for m in options.moves}
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
        line = f"{escape(mark)} {label}{secret} [$text-muted]· {cost}[/]"
        if not m.available:
            line = f"    {label} [$text-muted]· {cost}[/]\n    [i $text-muted]{escape(m.reason or '')}[/]"
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
        parts = [f"[b]{escape(m.label.get(self.language))}[/b] — {t('cost', self.language, cost=present.num(m.cost))}"
                 + (f", {t('secret', self.language)}" if m.secret else "")]
        if m.description.get(self.language):
            parts.append(escape(m.description.get(self.language)))
        if m.effects.get(self.language):
            parts.append(f"[dim]{escape(m.effects.get(self.language))}[/dim]")
        if not m.available:
            parts.append(f"[$error]{escape(t('unavailable', self.language, reason=m.reason or ''))}[/]")
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
