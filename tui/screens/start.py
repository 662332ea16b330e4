"""The start screen: choose a scenario (built-in or a file), the language, a seed, and who plays each seat."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, HorizontalGroup, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, Select, Static

from engine.errors import MidnightError
from tui.i18n import LANGUAGES, t
from tui.keys import LocalizedKeys, bindings
from tui.screens.base import AppScreen

if TYPE_CHECKING:  # the rules load after the first paint (on_mount)
    from engine import Game


class MarkedRadioButton(RadioButton):
    """A radio button whose state shows as a mark, not by colour alone: ● chosen, ○ not."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button


class StartScreen(LocalizedKeys, AppScreen[dict]):
    """Returns the chosen settings: {"scenario", "language", "seed", "seats"}."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Start")

    def __init__(self, scenario: str | None = None, language: str = "en", seed: int | None = None) -> None:
        super().__init__()
        self.scenario_ref, self.language, self.seed = scenario, language, seed
        self.game: Game | None = None

    def compose(self) -> ComposeResult:
        from engine.scenario.builtin import DEFAULT_SCENARIO, builtin_scenario_ids

        lang = self.language
        ids = builtin_scenario_ids()
        with VerticalScroll(id="start"):
            yield Static(f"[b]{t('start_title', lang)}[/b]", id="start-title")
            with Horizontal(classes="row"):
                with Vertical(classes="col"):
                    yield Label(t("scenario", lang), classes="section")
                    fallback = DEFAULT_SCENARIO if DEFAULT_SCENARIO in ids else (ids[0] if ids else Select.NULL)
                    initial = self.scenario_ref if self.scenario_ref in ids else fallback
                    yield Select([(i, i) for i in ids], value=initial, id="scenario", allow_blank=not ids, compact=True,
                                 prompt=t("none_built_in", lang))
                    yield Input(placeholder=t("scenario_file", lang), id="scenario-file", compact=True,
                                value=self.scenario_ref if self.scenario_ref and self.scenario_ref not in ids else "")
                    yield Static(id="summary")
                with Vertical(classes="col"):
                    yield Label(t("language", lang), classes="section")
                    with RadioSet(id="language"):
                        for code, name in LANGUAGES.items():
                            yield MarkedRadioButton(name, value=code == lang, id=f"lang-{code}", compact=True)
                    yield Label(t("seed", lang), classes="section")
                    yield Input("" if self.seed is None else str(self.seed), type="integer", id="seed", compact=True)
            yield Label(t("seats", lang), classes="section")
            yield Vertical(id="seats")
            yield Static(id="start-error")
            with HorizontalGroup(id="start-buttons"):
                yield Button(t("start", lang) + " (F5)", variant="primary", id="start-button", compact=True)
                # A networked table a facilitator opened (`midnight serve`): address and code come next.
                join = Button(t("join_table", lang), id="join-button", compact=True)
                join.styles.margin = (1, 0, 1, 2)  # level with Start (the stylesheet gives it 1 above and below)
                yield join
        yield Footer()

    def on_mount(self) -> None:
        # After the first paint: the screen shows at once, the scenario's summary and seats a
        # moment later (loading the rules and the scenario is most of the time to a first screen).
        # The select's first Changed (its initial value) must not load it before the paint.
        self._loaded_ref = self._ref()
        self.call_after_refresh(self.load_scenario)

    def _ref(self) -> str | None:
        path = self.query_one("#scenario-file", Input).value.strip()
        if path:
            return path
        value = self.query_one("#scenario", Select).value
        return None if value is Select.NULL or value is Select.BLANK else str(value)

    async def load_scenario(self) -> None:
        from engine import load_game
        from engine.bots import persona_names
        from engine.play.table import BOT, HUMAN
        from tui.present import escape

        ref = self._ref()
        error = self.query_one("#start-error", Static)
        summary = self.query_one("#summary", Static)
        seats = self.query_one("#seats", Vertical)
        await seats.remove_children()
        self.game = None
        self._loaded_ref = ref
        if ref is None:
            summary.update("")
            return
        try:
            self.game = load_game(ref)
        except (MidnightError, OSError) as problem:
            error.update(f"[$error]{escape(str(problem))}[/]")
            summary.update("")
            return
        error.update("")
        lang = self.language
        game = self.game
        summary.update(f"[b]{escape(game.scenario.title.get(lang))}[/b]\n{escape(game.scenario.summary.get(lang))}")
        choices = [(t("human", lang), HUMAN), (t("bot", lang), BOT)]
        choices += [(t("bot_persona", lang, persona=p), p) for p in persona_names()]
        rows = []
        active = [a.id for a in game.scenario.actors if a.active]
        for seat in game.seats:
            if seat not in active:
                continue
            who = HUMAN if seat == active[0] else BOT
            label = Label(escape(game.actor(seat).name.get(lang)), classes="seat-name")
            choice = Select(choices, value=who, allow_blank=False, id=f"seat-{seat}", compact=True)
            rows.append(Horizontal(label, choice, classes="seat-row"))
        await seats.mount_all(rows)

    async def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "scenario" and event.value != getattr(self, "_loaded_ref", None):
            self.query_one("#scenario-file", Input).value = ""
            await self.load_scenario()

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "scenario-file":
            await self.load_scenario()
        else:
            await self.action_start()

    async def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        code = (event.pressed.id or "lang-en").removeprefix("lang-")
        if code != self.language:
            self.language = code
            self.app.ui_language = code  # the footer and help follow the choice at once
            self.scenario_ref = self._ref()
            seed = self.query_one("#seed", Input).value.strip()
            self.seed = int(seed) if seed.isdigit() else None
            await self.recompose()
            await self.load_scenario()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start-button":
            await self.action_start()
        elif event.button.id == "join-button":
            self.dismiss({"join": True})

    async def action_start(self) -> None:
        if self._ref() != getattr(self, "_loaded_ref", None):
            await self.load_scenario()
        if self.game is None:
            return
        text = self.query_one("#seed", Input).value.strip()
        try:
            seed = int(text) if text else None
        except ValueError:
            self.query_one("#start-error", Static).update(f"[$error]{t('seed_whole', self.language)}[/]")
            return
        seats = {seat: str(self.query_one(f"#seat-{seat}", Select).value)
                 for seat in self.game.seats if self.query(f"#seat-{seat}")}
        self.dismiss({"game": self.game, "language": self.language, "seed": seed, "seats": seats})
