"""Modal dialogs: drafting an offer or a counter, the seat's brief, and the help screen of every key."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from engine import Game
from engine.rules.state import PackagePart
from tui import present
from tui.i18n import key_description, key_group, t
from tui.keys import KEYMAP, LocalizedKeys, bindings
from tui.present import escape


class MarkedCheckbox(Checkbox):
    """A checkbox whose state shows as a mark, not by colour alone: x ticked, blank not (ASCII, one
    cell wide in every terminal)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "x" if self.value else " "
        return super()._button


class DraftDialog(LocalizedKeys, ModalScreen[dict | None]):
    """Choose an agreement's parties and terms. Returns an offer dict (or, countering, its params).

    Countering a package (`package`: the agreements after the first, each with its terms), every
    agreement of it is shown with its terms, and the params returned name each term as
    `template.parameter`, all of them: the counter sent is the whole package."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Dialogs (brief, help, drafting)")

    def __init__(self, game: Game, template_id: str, seat: str, language: str, *,
                 eligible: tuple[str, ...] = (), params: dict | None = None, fixed_parties: tuple[str, ...] = (),
                 package: tuple[PackagePart, ...] = ()) -> None:
        super().__init__()
        self.game, self.template_id, self.seat, self.language = game, template_id, seat, language
        self.template = game.template(template_id)
        self.eligible = eligible
        self.start_params = dict(params or {})
        self.fixed_parties = fixed_parties
        # The agreements whose terms are set here, each with its starting terms: one, or a package's.
        self.parts = [(self.template, self.start_params)] + [
            (game.template(part.template), dict(part.params)) for part in package]

    @property
    def is_package(self) -> bool:
        return len(self.parts) > 1

    def input_id(self, index: int, parameter: str) -> str:
        """The id of a term's input: `param-limit` alone, `param-1-limit` in a package (two of its
        agreements may name a term alike)."""
        return f"param-{index}-{parameter}" if self.is_package else f"param-{parameter}"

    def compose(self) -> ComposeResult:
        lang = self.language
        with (VerticalScroll if self.is_package else Vertical)(id="dialog"):
            if self.is_package:
                labels = [template.label.get(lang) for template, _ in self.parts]
                title = t("package_of", lang) + t("package_joiner", lang).join(labels)
            else:
                title = self.template.label.get(lang)
            if self.fixed_parties:
                title = t("counter", lang) + t("colon", lang) + title
            yield Label(f"[b]{escape(title)}[/b]", id="dialog-title")
            if not self.is_package and self.template.description.get(lang):
                yield Static(escape(self.template.description.get(lang)), classes="muted")
            if not self.fixed_parties:
                yield Label(t("parties", lang), classes="section")
                for party in self.eligible:
                    yield MarkedCheckbox(escape(present.actor_name(self.game, party, lang)), value=True, id=f"party-{party}",
                                   disabled=party == self.seat, compact=True)
            else:
                yield Static(t("parties", lang) + t("colon", lang) + escape(present.names(self.game, self.fixed_parties, lang)))
            for index, (template, start) in enumerate(self.parts):
                if self.is_package:
                    yield Label(f"{escape(template.label.get(lang))} — {t('parameters', lang)}", classes="section")
                    if not template.parameters:
                        yield Static(f"[i $text-muted]{escape(t('no_terms', lang))}[/]")
                elif template.parameters:
                    yield Label(t("parameters", lang), classes="section")
                for p in template.parameters:
                    value = start.get(p.id, p.default)
                    yield Label(f"{escape(p.label.get(lang))} [$text-muted]({present.num(p.min)}–{present.num(p.max)},"
                                f" {escape(t('step', lang, step=present.num(p.step)))})[/]")
                    yield Input(present.num(value), type="number", id=self.input_id(index, p.id), compact=True)
            yield Static(id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button(t("counter" if self.fixed_parties else "propose", lang), variant="primary", id="ok", compact=True)
                yield Button(t("cancel", lang), id="cancel", compact=True)

    def on_mount(self) -> None:
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()
        else:
            self.query_one("#ok", Button).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._finish()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._finish()
        else:
            self.dismiss(None)

    def _finish(self) -> None:
        params = {}
        for index, (template, _) in enumerate(self.parts):
            for p in template.parameters:
                text = self.query_one(f"#{self.input_id(index, p.id)}", Input).value.strip()
                try:
                    value = float(text)
                except ValueError:
                    label = p.label.get(self.language)
                    if self.is_package:
                        label = template.label.get(self.language) + t("colon", self.language) + label
                    problem = label + t("colon", self.language) + t("a_number", self.language)
                    self.query_one("#dialog-error", Static).update(f"[$error]{escape(problem)}[/]")
                    return
                params[f"{template.id}.{p.id}" if self.is_package else p.id] = value
        if self.fixed_parties:
            self.dismiss({"params": params})
            return
        parties = [a for a in self.eligible if self.query_one(f"#party-{a}", Checkbox).value]
        self.dismiss({"template": self.template_id, "parties": parties, "params": params})


class BriefScreen(LocalizedKeys, ModalScreen[None]):
    """The seat's private brief: leader, objectives, red lines and what it knows."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Dialogs (brief, help, drafting)") + [("b", "dismiss", "Close")]

    def __init__(self, game: Game, seat: str, language: str) -> None:
        super().__init__()
        self.game, self.seat, self.language = game, seat, language

    def compose(self) -> ComposeResult:
        lang = self.language
        actor = self.game.actor(self.seat)
        with VerticalScroll(id="dialog"):
            yield Label(f"[b]{t('brief', lang)}: {escape(actor.name.get(lang))}[/b]", id="dialog-title")
            if actor.leader.get(lang):
                yield Static(f"{t('leader', lang)}: {escape(actor.leader.get(lang))}")
            for key, text in (("objectives", actor.brief.objectives), ("red_lines", actor.brief.red_lines),
                              ("knowledge", actor.brief.knowledge)):
                if text.get(lang):
                    yield Label(t(key, lang), classes="section")
                    yield Static(escape(text.get(lang)))
            if not any(x.get(lang) for x in (actor.brief.objectives, actor.brief.red_lines, actor.brief.knowledge)):
                yield Static(f"[i]{escape(t('no_brief', lang))}[/i]")
            yield Static(f"[$text-muted]{escape(t('brief_close', lang))}[/]")


class SourcesScreen(LocalizedKeys, ModalScreen[None]):
    """The scenario's sources, numbered as the log cites them ([1], [2] …), each with its note (where
    the scenario says a figure is unverified, the note says so) and what in the game cites it."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Dialogs (brief, help, drafting)") + [("s", "dismiss", "Close")]
    DEFAULT_CSS = """
    SourcesScreen .source { margin-top: 1; }
    SourcesScreen .source-detail { padding-left: 4; }
    """

    def __init__(self, game: Game, language: str) -> None:
        super().__init__()
        self.game, self.language = game, language

    def compose(self) -> ComposeResult:
        from engine.rules.citations import cited_by

        lang = self.language
        cited = cited_by(self.game.scenario)
        with VerticalScroll(id="dialog"):
            yield Label(f"[b]{escape(t('sources', lang))}[/b]", id="dialog-title")
            for number, source in enumerate(self.game.scenario.sources, 1):
                yield Static(f"[b][{number}][/b] {escape(source.title)} — {escape(source.publisher)}, {escape(source.date)}",
                             classes="source")
                details = [f"[$text-muted]{escape(source.url)}[/]"] if source.url else []
                if source.note:  # where the scenario says a figure is unverified, its note says so
                    details.append(escape(" ".join(source.note.split())))
                if cited[source.id]:
                    names = t("list_separator", lang).join(label.get(lang) for label in cited[source.id])
                    details.append(f"[$text-muted]{escape(t('cited_by', lang, names=names))}[/]")
                if details:
                    yield Static("\n".join(details), classes="source-detail")
            if not self.game.scenario.sources:
                yield Static(f"[i]{escape(t('no_sources', lang))}[/i]")
            yield Static(f"[$text-muted]{escape(t('sources_close', lang))}[/]")


def key_label(keys: str) -> str:
    names = {"question_mark": "?", "ctrl+p": "Ctrl+P", "ctrl+q": "Ctrl+Q", "ctrl+s": "Ctrl+S", "ctrl+enter": "Ctrl+Enter",
             "escape": "Esc", "enter": "Enter", "space": "Space", "left": "←", "right": "→", "up": "↑", "down": "↓",
             "home": "Home", "end": "End"}
    return " / ".join(names.get(k, k.upper() if k.startswith("f") and k[1:].isdigit() else k) for k in keys.split(","))


class HelpScreen(LocalizedKeys, ModalScreen[None]):
    """Every key of every screen, from the keymap."""

    BINDINGS: ClassVar[list[BindingType]] = (bindings("Dialogs (brief, help, drafting)")
                                             + [("question_mark,f1", "dismiss", "Close")])

    def compose(self) -> ComposeResult:
        lang = getattr(self.app, "ui_language", "en")
        with VerticalScroll(id="dialog"):
            yield Label(f"[b]{escape(t('help', lang))}[/b] — {escape(t('esc_closes', lang))}", id="dialog-title")
            for group, entries in KEYMAP.items():
                yield Label(key_group(group, lang), classes="section")
                rows = "\n".join(f"  [b]{escape(key_label(k)):<18}[/b] {escape(key_description(i, d, lang))}"
                                 for k, _a, d, i, _s in entries)
                yield Static(rows)
            yield Label(t("mouse", lang), classes="section")
            yield Static("  " + t("mouse_help", lang))
            yield Label(t("estimates", lang), classes="section")
            yield Static("  " + t("estimates_help", lang))
