"""The answers pane: proposals addressed to this seat, each marked accept, reject or counter."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine import Game
from engine.rules.options import ProposalOption, SeatOptions
from tui import present
from tui.i18n import t
from tui.keys import bindings
from tui.present import escape
from tui.widgets.talks import proposal_text


class AnswerList(OptionList):
    """The proposals to answer; a, r and c set the highlighted one's answer."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("Answers (Act tab, talks)")

    class Answered(Message):
        def __init__(self, proposal: int, answer: str) -> None:
            super().__init__()
            self.proposal = proposal
            self.answer = answer

    def action_answer(self, answer: str) -> None:
        if self.highlighted is not None:
            option = self.get_option_at_index(self.highlighted)
            if option.id:
                self.post_message(self.Answered(int(option.id), answer))


class RespondPane(Vertical):
    """Answer every proposal addressed to this seat (rejecting is the default)."""

    class CounterRequested(Message):
        def __init__(self, option: ProposalOption) -> None:
            super().__init__()
            self.option = option

    def compose(self) -> ComposeResult:
        yield Static(id="respond-help")
        yield AnswerList(id="answers")
        yield Static(id="answer-detail")

    def load(self, game: Game, options: SeatOptions, language: str) -> None:
        self.game, self.options, self.language = game, options, language
        self.answers: dict[int, dict] = {
            o.proposal.id: {"proposal": o.proposal.id, "answer": "reject"} for o in options.to_answer
        }
        self.by_id = {o.proposal.id: o for o in options.to_answer}
        self.query_one("#respond-help", Static).update(t("answer_help", language))
        answers = self.query_one(AnswerList)
        answers.clear_options()
        for o in options.to_answer:
            answers.add_option(Option(self._prompt(o), id=str(o.proposal.id)))
        if options.to_answer:
            answers.highlighted = 0
        self._detail()

    def _prompt(self, o: ProposalOption) -> str:
        answer = self.answers[o.proposal.id]
        word = t(answer["answer"], self.language)
        if answer["answer"] == "counter":
            word += present.counter_text(self.game, o.proposal, answer.get("params"), self.language)
        style = {"accept": "$success", "reject": "$error"}.get(answer["answer"], "$warning")
        text = f"[{style}]{escape('[' + word + ']')}[/] {escape(proposal_text(self.game, o.proposal, self.language))}"
        if not o.can_accept:
            why = present.reason(self.game, o.reason, self.language)
            text += f"\n  [i $text-muted]{escape(t('cannot_accept', self.language, reason=why))}[/]"
        return text

    def _detail(self) -> None:
        self.query_one("#answer-detail", Static).update(f"[$text-muted]{t('send_answers', self.language)}[/]")

    def on_answer_list_answered(self, event: AnswerList.Answered) -> None:
        event.stop()
        option = self.by_id.get(event.proposal)
        if option is None:
            return
        if event.answer == "counter":
            self.post_message(self.CounterRequested(option))
            return
        if event.answer == "accept" and not option.can_accept:
            why = present.reason(self.game, option.reason, self.language)
            self.app.notify(escape(t("cannot_accept", self.language, reason=why)), severity="warning")
            return
        self.set_answer(event.proposal, {"proposal": event.proposal, "answer": event.answer})

    def set_answer(self, proposal: int, answer: dict) -> None:
        self.answers[proposal] = answer
        self.query_one(AnswerList).replace_option_prompt(str(proposal), self._prompt(self.by_id[proposal]))

    def submission(self, seat: str) -> dict:
        return {"seat": seat, "kind": "respond", "replies": list(self.answers.values())}

    def unsent(self) -> dict | None:
        """The answers marked and not sent, to keep with a save (None: all still the default reject)."""
        replies = list(self.answers.values())
        return {"replies": replies} if any(r["answer"] != "reject" for r in replies) else None

    def restore(self, choice: dict) -> None:
        """Mark again the answers a save kept unsent, for proposals still awaiting this seat."""
        replies = choice.get("replies")
        for reply in replies if isinstance(replies, list) else ():
            proposal = reply.get("proposal") if isinstance(reply, dict) else None
            option = self.by_id.get(proposal) if type(proposal) is int else None
            if option is None:
                continue
            answer, params = reply.get("answer"), reply.get("params")
            if answer == "accept" and option.can_accept or answer == "reject":
                self.set_answer(option.proposal.id, {"proposal": option.proposal.id, "answer": answer})
            elif answer == "counter" and isinstance(params, dict) and all(
                    isinstance(k, str) and isinstance(v, int | float) for k, v in params.items()):
                self.set_answer(option.proposal.id, {"proposal": option.proposal.id, "answer": "counter",
                                                     "params": dict(params)})
