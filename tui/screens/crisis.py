"""The crisis screen: what caused it, the ladder with the current rung and nuclear use at the top,
what each choice risks, and the choice to back down, hold or escalate."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Static

from engine.play.table import Session
from engine.rules import events
from engine.rules.previews import CHOICES, RoundResult, round_results
from engine.scenario.safe_text import printable
from tui import present
from tui.i18n import t
from tui.keys import LocalizedKeys, bindings
from tui.present import escape
from tui.screens.dialogs import BriefScreen


class CrisisScreen(LocalizedKeys, Screen[str]):
    """Returns the seat's choice: "back_down", "hold" or "escalate"."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Crisis")
    DEFAULT_CSS = """
    #crisis-cause { padding: 0 1; margin-top: 1; }
    #crisis-side { width: 1fr; padding: 0 1; }
    #crisis-previews { height: auto; }
    #crisis-warning { height: auto; padding: 0 1; }
    """

    def __init__(self, session: Session, seat: str) -> None:
        super().__init__()
        self.session, self.seat = session, seat
        self.confirming = False
        game, state = session.game, session.state
        self.results = round_results(game, state, seat)
        top = len(game.scenario.crisis.rungs) - 1
        # Escalating can reach nuclear use this round: ask again before it is sent.
        self.escalate_can_end = any(r.rung == top for _, r in self.results.get("escalate", []))

    def compose(self) -> ComposeResult:
        session, lang = self.session, self.session.language
        game = session.game
        view = game.view(session.state, self.seat)
        crisis = view.crisis
        rungs = game.scenario.crisis.rungs
        top = len(rungs) - 1
        with Vertical(id="crisis"):
            yield Label(f"[b]{escape(t('crisis_title', lang, names=present.names(game, crisis.participants, lang)))}[/b]"
                        f" · [b $accent]{escape(t('you_are', lang, name=session.name(self.seat)))}[/]", id="crisis-title")
            cause = t("crisis_cause", lang)
            space = "" if cause.endswith("：") else " "  # a full-width colon has its own space
            yield Static(f"[b]{cause}[/b]{space}{escape(self._cause(view))}", id="crisis-cause")
            yield Static(self._warning(view), id="crisis-warning")
            with Horizontal(id="crisis-body"):
                lines = [f"[b]{t('crisis_round', lang, round=crisis.round)}[/b]"]
                # the rungs' risks in one column, past the longest label
                widest = max((cell_len(printable(rung.label.get(lang))) for rung in rungs[:top]), default=0)
                for index in range(top, -1, -1):
                    rung = rungs[index]
                    label = escape(rung.label.get(lang))
                    pad = " " * (widest - cell_len(printable(rung.label.get(lang))))
                    risk = f"[$text-muted]{escape(t('rung_risk', lang, risk=present.num(rung.risk)))}[/]"
                    if index == crisis.rung:
                        lines.append(f"[b reverse $error] ▶ {label} [/]{pad}{risk}")
                    elif index == top:
                        lines.append(f" [b $error]✕ {label}[/] [$error]{t('ends_game', lang)}[/]")
                    else:
                        lines.append(f"   {label} {pad}{risk}")
                yield Static("\n".join(lines), id="ladder")
                with VerticalScroll(id="crisis-side"):
                    yield Static(self._previews(view), id="crisis-previews")
                    this_turn = [e for e in view.log if e.turn == view.turn]
                    began = next((i for i, e in enumerate(this_turn) if isinstance(e.event, events.CrisisRungReached)), 0)
                    rounds = [e for e in this_turn[began:] if isinstance(
                        e.event, events.CrisisRoundPlayed | events.Narration) and e.kind == "crisis"]
                    yield Static("\n".join(present.entry_markup(game, e, lang) for e in rounds[-4:]),
                                 id="crisis-log")
            with Horizontal(id="crisis-buttons"):
                yield Button(t("back_down", lang), id="back_down", variant="success")
                yield Button(t("hold", lang), id="hold", variant="warning")
                yield Button(t("escalate", lang), id="escalate", variant="error")
        yield Footer()

    def _cause(self, view) -> str:
        """What put the seats in this crisis, in the game's language: the scenario's words for it, or
        else the line of the log just before the crisis began (the move or event that started it)."""
        lang = self.session.language
        log = [e for e in view.log if e.turn == view.turn]
        start = next((i for i, e in enumerate(log) if isinstance(e.event, events.CrisisStarted)), None)
        # the scenario's words for each start (a crisis others were drawn into has several)
        told = [e.text.get(lang) for e, after in zip(log, log[1:], strict=False)
                if isinstance(e.event, events.Narration) and isinstance(after.event, events.CrisisStarted)]
        if told:
            return " ".join(dict.fromkeys(told))
        if view.crisis.cause:
            return view.crisis.cause
        if start is None:
            return t("none", lang)
        scenario = self.session.game.scenario
        moves = {m.id for m in scenario.moves if any(e.start_crisis is not None for e in m.effects)}
        fired = {e.id for e in scenario.events if any(x.start_crisis is not None for x in e.effects)}
        starters = [e for e in log[:start] if (isinstance(e.event, events.MovePlayed) and e.event.move in moves)
                    or (isinstance(e.event, events.EventFired) and e.event.event in fired)]
        if not starters:  # started by something else (a breach, say): the line just before
            starters = [e for e in log[:start] if e.kind in ("move", "event", "breach")][-1:]
        game = self.session.game
        return " ".join([*(present.entry_text(game, e, lang) for e in starters), present.entry_text(game, log[start], lang)])

    def _outcome(self, result: RoundResult, now: int) -> str:
        lang = self.session.language
        rungs = self.session.game.scenario.crisis.rungs
        label = escape(rungs[result.rung].label.get(lang))
        if result.rung == len(rungs) - 1:
            return f"[b $error]{t('preview_nuclear', lang, rung=label)}[/]"
        if result.rung > now:
            n = result.rung - now
            text = t("preview_up1" if n == 1 else "preview_up", lang, n=n, rung=label)
        elif result.rung < now:
            n = now - result.rung
            text = t("preview_down1" if n == 1 else "preview_down", lang, n=n, rung=label)
        else:
            text = t("preview_stays", lang, rung=label)
        return text + (t("comma", lang) + t("preview_ends", lang) if result.ends else "")

    def _condition(self, combo: tuple[str, ...]) -> str:
        lang = self.session.language
        crisis = self.session.state.crisis
        assert crisis is not None  # the screen shows a running crisis
        others = [a for a in crisis.participants if a in self.session.state.active and a != self.seat]
        said = ", ".join(t(f"if_{c}", lang, name=escape(self.session.name(a))) for a, c in zip(others, combo, strict=True))
        return t("preview_if", lang, what=said)

    def _previews(self, view) -> str:
        """One line a choice: where this round can leave the ladder, from the best to the worst the
        others' choices can make it."""
        lang = self.session.language
        lines = [f"[b]{t('preview_title', lang)}[/b]"]
        if not self.results:
            return lines[0] + f"\n[i]{t('none', lang)}[/i]"
        now = view.crisis.rung
        for choice in CHOICES:
            outcomes = self.results[choice]
            name = t(choice, lang)
            ranked = sorted(outcomes, key=lambda o: (o[1].rung, not o[1].ends))
            (best_combo, best), (_, worst) = ranked[0], ranked[-1]
            if best == worst:
                lines.append(f"{name} → {self._outcome(best, now)}")
                continue
            # the mildest of the others' choices that still brings the worst (the fewest escalations)
            mildest = min((c for c, r in outcomes if r == worst), key=lambda c: (c.count("escalate"), c.count("hold")))
            lines.append(f"{name} · {self._condition(best_combo)} → {self._outcome(best, now)}"
                         f" · {self._condition(mildest)} → {self._outcome(worst, now)}")
        return "\n".join(lines)

    def _warning(self, view) -> str:
        lang = self.session.language
        top = len(self.session.game.scenario.crisis.rungs) - 1
        if self.confirming:
            return f"[b reverse $error] {t('confirm_escalate', lang)} [/]"
        if self.escalate_can_end or view.crisis.rung == top - 1:
            return f"[b $error]⚠ {t('warning_nuclear', lang)}[/]"
        return ""

    def on_mount(self) -> None:
        warning = self.query_one("#crisis-warning", Static)
        warning.display = bool(str(warning.visual))
        self.query_one("#hold", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(str(event.button.id))

    def action_choose(self, choice: str) -> None:
        if choice == "escalate" and self.escalate_can_end and not self.confirming:
            self.confirming = True  # the second press sends it; 1 or 2 choose otherwise
            view = self.session.game.view(self.session.state, self.seat)
            warning = self.query_one("#crisis-warning", Static)
            warning.update(self._warning(view))
            warning.display = True
            return
        self.dismiss(choice)

    def action_brief(self) -> None:
        self.app.push_screen(BriefScreen(self.session.game, self.seat, self.session.language))
