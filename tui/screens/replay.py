"""The replay viewer: step through a record turn by turn, forward and back, seeing what each seat did;
and branch it: `b` makes the start of the shown turn a new game, played on in the game screen."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from engine import FACILITATOR, Game
from engine.errors import MidnightError
from engine.play.records import Record, Replay
from engine.scenario.safe_text import printable
from tui import present
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape
from tui.screens.base import AppScreen


class ReplayScreen(LocalizedKeys, AppScreen[None]):
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

    @property
    def branch_turn(self) -> int:
        """The turn a branch starts at: the shown one, played again (the start shows turn 1's)."""
        return max(1, self.index)

    def action_branch(self) -> None:
        """Ask which seat the user takes, then play on from the start of the shown turn."""
        turn, lang = self.branch_turn, self.language
        state = self.replay.states[turn - 1]
        if self.replay.divergence is not None or state.over or state.turn != turn:
            reason = "diverged" if self.replay.divergence is not None else "over"
            self.notify(t(f"cannot_branch_{reason}", lang, turn=turn), severity="warning", markup=False)
            return
        seats = tuple(seat for seat in self.game.seats if seat in state.active)  # as the start screen offers them
        self.app.push_screen(BranchDialog(self.game, turn, lang, seats), self._branch)

    def _branch(self, seat: str | None) -> None:
        if seat is None:
            return
        from engine.play.branch import branch_point, branch_record, branch_seats, write_branch
        from engine.play.table import Session, midnight_home

        turn, lang = self.branch_turn, self.language
        source = str(getattr(self.app, "replay_path", None) or f"{self.game.scenario.id} game of {self.record.played}")
        try:
            point = branch_point(self.game, self.record, source, turn)
            chosen = {s: ("human" if s == seat else "bot") for s in self.game.seats}
            record = branch_record(point, branch_seats(self.game, self.record.seats, chosen))
            stamp = record.played.replace(":", "").replace("-", "")[:15]
            path = midnight_home() / "saves" / f"{self.game.scenario.id}-branch-t{turn}-{stamp}-{record.seed}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_branch(path, record)
            session = Session.resume(self.game, record, path, lang)
        except (MidnightError, OSError) as error:
            self.notify(printable(f"{t('branch_failed', lang)}: {error}"), severity="error", timeout=30, markup=False)
            return
        self.notify(printable(t("branched", lang, turn=turn, path=str(path))), timeout=10, markup=False)
        self.app.begin(session)  # the game screen, as for a new game or a resumed save

    def action_report(self) -> None:
        """Write the facilitator's debrief report of this record next to it, and say where (docs/debrief.md)."""
        from pathlib import Path

        from engine.play.table import midnight_home
        from tui.screens.end import write_report_for

        source = getattr(self.app, "replay_path", None)  # the record's file, when opened from one
        if source:
            out = Path(source).with_name(f"{Path(source).stem}.debrief.html")
        else:
            out = midnight_home() / "saves" / f"{self.game.scenario.id}-{self.record.seed}.debrief.html"
            out.parent.mkdir(parents=True, exist_ok=True)
        states = self.replay.states if self.replay.divergence is None else None  # else refused, with the reason
        write_report_for(self, self.game, self.record, out, self.language, states=states,
                         record_name=Path(source).name if source else "")

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
                  f"{t('replay_title', lang, turn=self.index, turns=self.last)} · "
                  f"{t('replay_seed', lang, seed=self.record.seed)}")
        figures = f"{t('seconds', lang, s=present.num(view.clock))} · {t('risk', lang)} {present.num(round(state.risk, 1))}"
        if state.outcome is not None:  # the game is over
            figures += f" · {escape(present.how_it_ended(state.outcome.termination, lang, self.game, state.outcome.condition))}"
        if self.replay.divergence is not None:
            figures += f" · [$error]{escape(t('diverged', lang, what=str(self.replay.divergence)))}[/]"
        top.update(f"{header}\n{figures}")
        top.set_classes(clock_cls)
        inputs = self.query_one("#replay-inputs", Static)
        changes = self.query_one("#replay-changes", Static)
        log = self.query_one("#replay-log", Static)
        if self.index == 0:
            inputs.update(f"[i]{t('replay_start', lang)}[/i]")
            changes.update("")
            log.update("\n".join(present.entry_markup(game, e, lang) for e in view.log))
            return
        turn = self.record.turns[self.index - 1] if self.index - 1 < len(self.record.turns) else None
        lines = []
        for entry in (turn.inputs if turn else ()):
            value = {k: v for k, v in entry.items() if k != "why"}
            lines.append("• " + escape(present.describe_input(game, value, lang)))
            if entry.get("why"):
                lines.append(f"  [$text-muted]{escape(present.bot_reason(game, str(entry['why']), lang))}[/]")
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
        log.update("\n".join(present.entry_markup(game, e, lang) for e in view.log if e.turn == number))


class BranchDialog(LocalizedKeys, ModalScreen[str | None]):
    """Which seat the user takes in a branch: one button per seat (or its number key); Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Dialogs (brief, help, drafting)")
    # Centred like the other dialogs (styles/midnight.tcss); the seat list only as tall as it is.
    DEFAULT_CSS = """
    BranchDialog { align: center middle; }
    BranchDialog #branch-seats { height: auto; margin-top: 1; }
    """

    def __init__(self, game: Game, turn: int, language: str, seats: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.game, self.turn, self.language = game, turn, language
        self.seats = seats or game.seats  # the seats one may take: those in the game at that turn

    def compose(self) -> ComposeResult:
        lang = self.language
        with Vertical(id="dialog"):
            yield Label(f"[b]{escape(t('branch_title', lang, turn=self.turn))}[/b]", id="dialog-title")
            yield Static(escape(t("branch_ask", lang, turn=self.turn)))
            with Vertical(id="branch-seats"):
                for number, seat in enumerate(self.seats, 1):
                    name = present.actor_name(self.game, seat, lang)
                    yield Button(f"{number}  {name}", id=f"seat-{seat}", compact=True)
            with Horizontal(id="dialog-buttons"):
                yield Button(t("cancel", lang), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.seats):
                event.stop()
                self.dismiss(self.seats[number - 1])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        self.dismiss(button.removeprefix("seat-") if button.startswith("seat-") else None)
