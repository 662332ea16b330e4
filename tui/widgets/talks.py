"""The talks tab: agreements in force and proposals on the table, as this seat may see them."""

from __future__ import annotations

from textual.widgets import Static

from engine import Game
from engine.rules.views import SeatView
from tui import present
from tui.i18n import t
from tui.present import escape


def proposal_text(game: Game, proposal, language: str) -> str:
    return t(
        "proposal_line", language, id=proposal.id,
        proposer=present.actor_name(game, proposal.proposer, language),
        template=present.offer_text(game, proposal, language), params="",
        parties=present.names(game, proposal.parties, language),
    )


class TalksPanel(Static):
    """Agreements in force, then pending proposals with the answers given so far."""

    def show(self, game: Game, view: SeatView, language: str) -> None:
        lines = [f"[b]{t('agreements', language)}[/b]"]
        for a in view.agreements:
            until = t("until_turn", language, turn=a.expires_turn) if a.expires_turn else ""
            label = present.template_label(game, a.template, language)
            params = present.params_text(game, a.template, a.params, language)
            lines.append(f"• {escape(label + params)} — {escape(present.names(game, a.parties, language))}"
                         f" [$text-muted]({escape(t('signed_turn', language, turn=a.signed_turn))}{escape(until)})[/]")
        if not view.agreements:
            lines.append(f"  [i]{t('none', language)}[/i]")
        if view.pending:
            lines.append("")
            lines.append(f"[b]{t('awaiting_ratification', language)}[/b]")
        for a in view.pending:
            label = present.template_label(game, a.template, language)
            params = present.params_text(game, a.template, a.params, language)
            lines.append(f"• {escape(label + params)} — {escape(present.names(game, a.parties, language))}"
                         f" [$text-muted]({escape(t('signed_turn', language, turn=a.signed_turn))};"
                         f" {escape(t('ratify_at', language, turn=a.ratify_turn))})[/]")
        lines.append("")
        lines.append(f"[b]{t('proposals', language)}[/b]")
        for p in view.proposals:
            answers = t("list_separator", language).join(
                t("name_choice", language, name=present.actor_name(game, s, language), choice=t(f"answer_{a.value}", language))
                for s, a in p.responses.items())
            lines.append(f"• {escape(proposal_text(game, p, language))}"
                         + (f" [$text-muted]({escape(answers)})[/]" if answers else ""))
        if not view.proposals:
            lines.append(f"  [i]{t('none', language)}[/i]")
        self.update("\n".join(lines))
