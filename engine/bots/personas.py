"""Built-in personas: table-driven players whose every choice has a one-line reason.

A persona weighs each available move by its tags (scenario authors tag moves: `buildup`,
`restraint`, `escalatory`, `survivability`, `test`, `defence`, `transparency` ...), answers
proposals with a propensity to agree, and picks crisis choices with fixed odds. A scenario can
override any number in an actor's `bot.weights`.
"""

from __future__ import annotations

import attrs

from engine.bots.base import BotContext, register_persona
from engine.state import CrisisChoice, Phase

PERSONAS: dict[str, dict[str, float]] = {
    # tag weights, then behaviour numbers
    "random": {"noise": 1.0, "propose": 0.4, "accept": 0.5, "escalate": 0.33, "back_down": 0.33},
    "hawk": {"buildup": 1.0, "escalatory": 0.8, "test": 0.6, "defence": 0.6, "restraint": -0.8,
             "transparency": -0.4, "noise": 0.3, "propose": 0.1, "accept": 0.25,
             "escalate": 0.5, "back_down": 0.1},
    "dove": {"restraint": 1.0, "transparency": 0.8, "survivability": 0.3, "buildup": -0.8,
             "escalatory": -1.0, "test": -1.0, "noise": 0.3, "propose": 0.9, "accept": 0.9,
             "escalate": 0.02, "back_down": 0.7},
    "cautious": {"survivability": 0.8, "transparency": 0.6, "restraint": 0.5, "escalatory": -1.0,
                 "test": -0.6, "noise": 0.25, "propose": 0.6, "accept": 0.75,
                 "escalate": 0.05, "back_down": 0.6},
    "parity-seeker": {"buildup": 0.9, "survivability": 0.5, "restraint": -0.3, "noise": 0.3,
                      "propose": 0.3, "accept": 0.4, "escalate": 0.25, "back_down": 0.25},
    "reciprocator": {"survivability": 0.4, "transparency": 0.4, "restraint": 0.3, "noise": 0.3,
                     "propose": 0.6, "accept": 0.7, "escalate": 0.15, "back_down": 0.4,
                     "retaliate": 1.2, "forgive": 0.2},
}

HOSTILE_TAGS = frozenset({"escalatory", "buildup", "test"})


@attrs.frozen
class PersonaBot:
    name: str
    weights: dict

    def w(self, key: str) -> float:
        return float(self.weights.get(key, 0.0))

    def act(self, context: BotContext) -> tuple[dict, str]:
        phase = context.options.phase
        if phase is Phase.PROPOSE:
            return self._propose(context)
        if phase is Phase.RESPOND:
            return self._respond(context)
        if phase is Phase.DECIDE:
            return self._decide(context)
        if phase is Phase.CRISIS:
            return self._crisis(context)
        raise ValueError(f"a bot cannot act in the {phase.value} phase")

    # -- talks ------------------------------------------------------------------------------
    def _propose(self, context: BotContext) -> tuple[dict, str]:
        seat = context.view.seat
        available = [t for t in context.options.templates if t.available]
        if not available or context.chance(0) >= self.w("propose"):
            return {"seat": seat, "kind": "propose", "offers": []}, "makes no proposal"
        template = available[int(context.chance(1) * len(available))]
        parties = list(template.eligible_parties)
        if template.max_parties is not None and len(parties) > template.max_parties:
            others = [p for p in parties if p != seat]
            pick = others[int(context.chance(2) * len(others))]
            parties = [seat, pick][: template.max_parties]
        in_force = {(a.template, frozenset(a.parties)) for a in context.view.agreements}
        if (template.id, frozenset(parties)) in in_force:
            return {"seat": seat, "kind": "propose", "offers": []}, "already has that agreement"
        offer = {"template": template.id, "parties": parties,
                 "params": {p.id: p.default for p in template.parameters}}
        return {"seat": seat, "kind": "propose", "offers": [offer]}, f"proposes {template.label.get()}"

    def _respond(self, context: BotContext) -> tuple[dict, str]:
        seat = context.view.seat
        replies, reasons = [], []
        for i, option in enumerate(context.options.to_answer):
            agree = option.can_accept and context.chance(10 + i) < self._accept_propensity(context)
            answer = "accept" if agree else "reject"
            replies.append({"proposal": option.proposal.id, "answer": answer})
            reasons.append(f"{answer}s {option.proposal.template}")
        return {"seat": seat, "kind": "respond", "replies": replies}, "; ".join(reasons) or "nothing to answer"

    def _accept_propensity(self, context: BotContext) -> float:
        base = self.w("accept")
        if "retaliate" in self.weights and self._was_provoked(context):
            base *= self.w("forgive") + 0.3
        return base

    # -- decisions --------------------------------------------------------------------------
    def _was_provoked(self, context: BotContext) -> bool:
        """Did another seat play a hostile move in the last resolution (as this seat saw it)?"""
        game = context.game
        last_turn = context.view.turn - 1
        for entry in reversed(context.view.log):
            if entry.turn < last_turn:
                break
            if entry.kind == "move" and entry.data.get("actor") != context.view.seat:
                move = game.moves.get(entry.data.get("move"))
                if move is not None and HOSTILE_TAGS & set(move.tags):
                    return True
        return False

    def _decide(self, context: BotContext) -> tuple[dict, str]:
        seat = context.view.seat
        options = context.options
        provoked = "retaliate" in self.weights and self._was_provoked(context)
        scored = []
        for i, move in enumerate(options.available_moves()):
            score = sum(self.w(tag) for tag in move.tags)
            if provoked and HOSTILE_TAGS & set(move.tags):
                score += self.w("retaliate") * (0 if context.chance(200) < self.w("forgive") else 1)
            score += (context.chance(100 + i) - 0.5) * 2 * self.w("noise")
            scored.append((score, move.id, move))
        scored.sort(key=lambda item: (-item[0], item[1]))
        budget = options.budget
        chosen, spent = [], 0.0
        for score, _, move in scored:
            if len(chosen) >= options.max_moves or score <= 0:
                break
            if budget is not None and spent + move.cost > budget + 1e-9:
                continue
            chosen.append(move)
            spent += move.cost
        reason = ", ".join(m.label.get() for m in chosen) or "holds steady"
        if provoked and any(HOSTILE_TAGS & set(m.tags) for m in chosen):
            reason = f"answers provocation: {reason}"
        return {"seat": seat, "kind": "decide", "moves": [m.id for m in chosen]}, reason

    def _crisis(self, context: BotContext) -> tuple[dict, str]:
        roll = context.chance(300)
        if roll < self.w("escalate"):
            choice = CrisisChoice.ESCALATE
        elif roll < self.w("escalate") + self.w("back_down"):
            choice = CrisisChoice.BACK_DOWN
        else:
            choice = CrisisChoice.HOLD
        return {"seat": context.view.seat, "kind": "crisis", "choice": choice.value}, choice.value.replace("_", " ")


def _factory(name: str):
    def make(overrides: dict) -> PersonaBot:
        return PersonaBot(name, {**PERSONAS[name], **overrides})

    return make


for _name in PERSONAS:
    register_persona(_name, _factory(_name))
