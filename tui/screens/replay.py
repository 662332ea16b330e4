"""The replay viewer: step through a record turn by turn, forward and back, seeing what each seat did."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from engine import FACILITATOR, Game
from engine.play.records import Record, Replay
from tui import present
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape


class ReplayScreen(LocalizedKeys, Screen[None]):
    """Shows the state after turn `index` (0: the start) of a replayed record, as the facilitator sees it."""

    # Home and End go to the first and last turn even while a panel has the focus (where they
    # would only scroll it): the screen takes them first.
    BINDINGS: ClassVar[list[BindingType]] = [
        dataclasses.replace(b, priority=True) if isinstance(b, Binding) and b.action.startswith("jump") else b
        for b in bindings("Replay viewer")
    ]

    def __init__(self, game: Game, record: Record, replay: Replay, language: str = "en") -> None:
        super().__init__()
        self.game, self.record, self.replay, self.language = game, record, replay, language
        self.index = len(replay.states) - 1 if len(replay.states) == 1 else 1

    def compose(self) -> ComposeResult:
        yield Static(id="replay-top")
        with Horizontal(id="replay-body"):
            with VerticalScroll(id="replay-left"):
                yield Label(t("changes", self.language), classes="section")
                yield Static(id="replay-changes")
                yield Label(t("inputs", self.language), classes="section")
                yield Static(id="replay-inputs")
            with VerticalScroll(id="replay-right"):
                yield Label(t("what_happened", self.language), classes="section")
                yield Static(id="replay-log")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    @property
    def last(self) -> int:
        return len(self.replay.states) - 1

    def action_step(self, delta: int) -> None:
        self.index = max(0, min(self.last, self.index + delta))
        self.show()

    def action_jump(self, where: int) -> None:
        self.index = self.last if where < 0 else where
        self.show()

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.dismiss(None)
        else:
            self.app.exit(0)

    def show(self) -> None:
        game, lang = self.game, self.language
        state = self.replay.states[self.index]
        view = game.view(state, FACILITATOR)
        top = self.query_one("#replay-top", Static)
        clock_cls = present.clock_class(view.clock)
        header = (f"[b]{escape(game.scenario.title.get(lang))}[/b] · "
                  f"{t('replay_title', lang, turn=self.index, turns=self.last)} · seed {self.record.seed}")
        figures = f"{t('seconds', lang, s=present.num(view.clock))} · {t('risk', lang)} {present.num(round(state.risk, 1))}"
        if state.outcome is not None:  # the game is over
            figures += f" · {state.outcome.termination.value.replace('_', ' ')}"
        if self.replay.divergence is not None:
            figures += f" · [$error]diverged: {escape(str(self.replay.divergence))}[/]"
        top.update(f"{header}\n{figures}")
        top.set_classes(clock_cls)
        inputs = self.query_one("#replay-inputs", Static)
        changes = self.query_one("#replay-changes", Static)
        log = self.query_one("#replay-log", Static)
        if self.index == 0:
            inputs.update(f"[i]{t('replay_start', lang)}[/i]")
            changes.update("")
            log.update("\n".join(present.log_markup(e.kind, e.text.get(lang)) for e in view.log))
            return
        turn = self.record.turns[self.index - 1] if self.index - 1 < len(self.record.turns) else None
        lines = []
        for entry in (turn.inputs if turn else ()):
            value = {k: v for k, v in entry.items() if k != "why"}
            lines.append("• " + escape(present.describe_input(game, value, lang)))
            if entry.get("why"):
                lines.append(f"  [$text-muted]{escape(str(entry['why']))}[/]")
        inputs.update("\n".join(lines) or t("none", lang))
        before = game.view(self.replay.states[self.index - 1], FACILITATOR)
        old = {r.name: r.value for r in before.tracks}
        diff = []
        for r in view.tracks:
            was = old.get(r.name)
            if was is not None and was != r.value:
                who = "·".join(present.actor_name(game, a, lang) for a in (r.actor, r.other) if a)
                diff.append(f"{escape(r.label.get(lang))} {escape(who)}: {present.num(was)} → "
                            f"[b]{present.num(r.value)}[/b] ({present.signed(round(r.value - was, 2))})")
        if before.clock != view.clock:
            diff.insert(0, f"{t('clock', lang)}: {present.num(before.clock)} → [b]{present.num(view.clock)}[/b]")
        changes.update("\n".join(diff) or t("none", lang))
        number = turn.turn if turn else self.index
        log.update("\n".join(present.log_markup(e.kind, e.text.get(lang)) for e in view.log if e.turn == number))
