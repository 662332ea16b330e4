"""The proposals pane: agreement templates to draft, and the offers drafted so far."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine import Game
from engine.rules.options import SeatOptions, TemplateOption
from tui import present
from tui.i18n import t
from tui.keys import bindings
from tui.present import escape


class ProposePane(Vertical):
    """Draft up to `max_proposals` offers; Enter on a template opens the drafting dialog."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Proposals (Act tab, talks)")

    class DraftRequested(Message):
        """The player asked to draft an offer of a template."""

        def __init__(self, template: TemplateOption) -> None:
            super().__init__()
            self.template = template

    def compose(self) -> ComposeResult:
        yield Static(t("templates"), id="templates-title")
        yield OptionList(id="templates")
        yield Static(id="offers")

    def load(self, game: Game, options: SeatOptions, language: str) -> None:
        self.game, self.options, self.language = game, options, language
        self.offers: list[dict] = []
        self.by_id = {tpl.id: tpl for tpl in options.templates}
        self.query_one("#templates-title", Static).update(t("templates", language))
        templates = self.query_one("#templates", OptionList)
        templates.clear_options()
        for tpl in options.templates:
            label = escape(tpl.label.get(language))
            system = escape(present.system_name(game, tpl.system, language))
            if tpl.available:
                prompt = f"{label} [$text-muted]· {system}[/]"
            else:
                prompt = f"{label} [$text-muted]· {system}\n  {escape(present.reason(game, tpl.reason, language))}[/]"
            templates.add_option(Option(prompt, id=tpl.id, disabled=not tpl.available))
        first = next((i for i, tpl in enumerate(options.templates) if tpl.available), None)
        if first is not None:
            templates.highlighted = first
        self._show_offers()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        template = self.by_id.get(event.option.id or "")
        if template is not None:
            self.post_message(self.DraftRequested(template))

    def add_offer(self, offer: dict) -> None:
        self.offers.append(offer)
        self._show_offers()

    def add_offer_or_none(self, offer: dict | None) -> None:
        if offer is not None:
            self.add_offer(offer)

    def action_clear_offers(self) -> None:
        self.clear_offers()

    def action_package_offers(self) -> None:
        """Bundle every drafted offer into one package: the first one leads, the others ride with
        it (the engine answers, signs and ends them as one; docs/playing.md, Packages)."""
        if len(self.offers) < 2:
            self.app.notify(t("package_needs_two", self.language), severity="warning")
            return
        if len({frozenset(offer["parties"]) for offer in self.offers}) > 1:
            self.app.notify(t("package_parties_differ", self.language), severity="warning")
            return
        lead, *others = self.offers
        parts = list(lead.get("package", []))
        for offer in others:
            parts.append({"template": offer["template"], "params": dict(offer["params"])})
            parts.extend(offer.get("package", []))
        self.offers = [{**lead, "package": parts}]
        self._show_offers()

    def clear_offers(self) -> None:
        self.offers.clear()
        self._show_offers()

    def _show_offers(self) -> None:
        lines = [f"[b]{t('your_offers', self.language)}[/b] ({len(self.offers)}/{self.options.max_proposals})"]
        for offer in self.offers:
            what = present.offer_text(self.game, offer, self.language)
            lines.append(f"• {escape(what)} — {escape(present.names(self.game, offer['parties'], self.language))}")
        key = "submit_offers" if self.offers else "no_offers"
        hints = [t("withdraw_hint", self.language)]
        if len(self.offers) > 1:
            hints.append(t("package_hint", self.language))
        lines.append(f"[$text-muted]{t(key, self.language, n=len(self.offers))} · {' · '.join(hints)}[/]")
        self.query_one("#offers", Static).update("\n".join(lines))

    def submission(self, seat: str) -> dict:
        return {"seat": seat, "kind": "propose", "offers": list(self.offers)}

    def unsent(self) -> dict | None:
        """The offers drafted and not sent, to keep with a save (None: none)."""
        return {"offers": list(self.offers)} if self.offers else None

    def restore(self, choice: dict) -> None:
        """Draft again the offers a save kept unsent: those of templates still open, to parties that
        may be named, with numeric terms (the engine checks the rest when they are sent)."""
        offers = choice.get("offers")
        for offer in offers if isinstance(offers, list) else ():
            if len(self.offers) >= self.options.max_proposals or not isinstance(offer, dict):
                break
            template_id = offer.get("template")
            template = self.by_id.get(template_id) if isinstance(template_id, str) else None
            parties, params = offer.get("parties"), offer.get("params") or {}
            if (template is None or not template.available or not isinstance(parties, list)
                    or not all(p in template.eligible_parties for p in parties) or not isinstance(params, dict)
                    or not all(isinstance(k, str) and isinstance(v, int | float) for k, v in params.items())):
                continue
            restored: dict = {"template": template.id, "parties": list(parties), "params": dict(params)}
            package = offer.get("package")
            if isinstance(package, list) and package:
                parts = [part for part in package if isinstance(part, dict) and part.get("template") in self.by_id
                         and isinstance(part.get("params", {}), dict)]
                restored["package"] = [{"template": part["template"], "params": dict(part.get("params", {}))}
                                       for part in parts]
            self.offers.append(restored)
        self._show_offers()
