"""Built-in personas: table-driven players whose every choice has a one-line reason.

A persona is a row of numbers (`PERSONAS`): how much it likes each move tag (scenario authors tag
moves `buildup`, `restraint`, `escalatory`, `survivability`, `test`, `defence`, `transparency` ...)
and how strongly four drives move it:

- **reciprocity** (`retaliate`, `reward`, `forgive`): answers what others did last turn, in kind;
- **parity** (`parity`): compares its forces with its strongest rival's and builds when behind;
- **caution** (`caution`, `danger_line`): when risk, the clock, a crisis or tension is past its
  line, it avoids escalatory moves, backs down and reaches for agreements;
- **appetite** (`bind`): how much it minds an agreement that would bind moves it likes.

Talks: `propose`, `accept` and `counter` set its propensities. Crises: `escalate` and
`back_down` set its odds, `brink` how surely it steps back when the next rung is nuclear use.
A scenario overrides any number in an actor's `bot.weights`, adds `parity.<track>` weights to
name the force tracks and `redline.<track>` values as red lines (see docs/bots.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from engine.bots.base import BotContext, register_persona
from engine.bots.memo import BotMemo
from engine.bots.reading import (
    FRIENDLY_TAGS,
    HOSTILE_TAGS,
    NO_BALANCE,
    Balance,
    Deed,
    balance,
    crisis_choices_last_round,
    danger,
    largest_rise,
    last_deeds,
    move_tags,
    name,
    named_forces,
    possessive,
    red_lines,
)
from engine.rules.state import CrisisChoice, Phase
from engine.scenario.arithmetic import left_sum
from engine.scenario.personas import DRIVES, PERSONAS

if TYPE_CHECKING:
    from engine.rules.options import MoveOption

    # Why a persona chose a move: a string, or a function making it (only the chosen moves' are read).
    _Motive = str | Callable[[], str]

# What each persona says when its plain preferences, not a drive, made the choice.
MOTTOS = {
    "hawk": "builds strength",
    "dove": "shows restraint",
    "cautious": "keeps things safe",
    "parity-seeker": "keeps pace",
    "reciprocator": "keeps faith",
    "random": "picks at random",
}

_TAG_LABELS = {"buildup": "buildup", "escalatory": "escalation", "test": "test", "defence": "defences",
               "restraint": "restraint", "transparency": "openness", "survivability": "survivability"}


_FORCE_TAGS = frozenset({"buildup", "survivability"})
_STEADYING_TAGS = FRIENDLY_TAGS | {"survivability"}


class _MoveSense(NamedTuple):
    """What a persona makes of one move: how much it likes it, and which drives the move serves."""

    liking: float
    tags: frozenset[str]
    hostile: bool
    friendly: bool
    force: bool
    buildup: bool
    steadying: bool


_TABLE_KEYS: dict[tuple, int] = {}
_TABLE_NUMBERS = itertools.count(1)


def _table_key(name: str, numbers: Mapping[str, float]) -> int:
    """A small number per distinct persona and numbers: cheaper to look up than the numbers.
    Never reused, even once the registry is cleared, so a table can never serve another bot."""
    key = (name, tuple(sorted(numbers.items())))
    found = _TABLE_KEYS.get(key)
    if found is None:
        if len(_TABLE_KEYS) >= 4096:
            _TABLE_KEYS.clear()
        found = _TABLE_KEYS[key] = next(_TABLE_NUMBERS)
    return found


class _Table:
    """A persona's reading of one game's moves and templates, worked out once per game."""

    __slots__ = ("moves", "stakes")

    def __init__(self) -> None:
        self.moves: dict[str, _MoveSense] = {}
        self.stakes: dict[tuple[str, str], tuple[float, str]] = {}


def _labels(deeds: list[Deed], game) -> str:
    parts = []
    for deed in deeds:
        text = f"{possessive(name(game, deed.actor))} {game.moves[deed.move].label.get()}"
        if text not in parts:
            parts.append(text)
    return " and ".join(parts[:2])


class PersonaBot:
    """A persona's numbers and the play that follows from them."""

    __slots__ = ("name", "weights", "_numbers", "_tags", "_scores", "_lines", "_forces", "_key")

    def __init__(self, name: str, weights: Mapping[str, float]) -> None:
        self.name = name
        self.weights = {**DRIVES, **weights}
        self._numbers = {k: float(v) for k, v in self.weights.items()}
        self._tags = {k: v for k, v in self._numbers.items() if k not in DRIVES and "." not in k}
        self._scores: dict[tuple[str, ...], float] = {}
        self._lines = red_lines(self.weights)
        self._forces = named_forces(self.weights)
        # Bots with the same persona and numbers play alike: they share their tables on a game.
        self._key = _table_key(name, self._numbers)

    def w(self, key: str) -> float:
        return self._numbers.get(key, 0.0)

    def tag_score(self, tags: tuple[str, ...]) -> float:
        """How much the persona likes a move with these tags (cached: tags are few and fixed)."""
        score = self._scores.get(tags)
        if score is None:
            score = self._scores[tags] = left_sum(self._tags.get(tag, 0.0) for tag in tags)
        return score

    def _table(self, game) -> _Table:
        """This persona's table for `game`, kept on the game (whose moves never change)."""
        tables = game.memo.layer(BotMemo).persona_tables
        table = tables.get(self._key)
        if table is None:
            if len(tables) >= 64:  # personas in play are few; this only bounds odd callers
                tables.clear()
            table = tables[self._key] = _Table()
        return table

    def _sense(self, table: _Table, game, move_id: str) -> _MoveSense:
        sense = table.moves.get(move_id)
        if sense is None:
            tags = move_tags(game, move_id)
            tag_set = frozenset(tags)
            sense = table.moves[move_id] = _MoveSense(
                self.tag_score(tags), tag_set, bool(tag_set & HOSTILE_TAGS), bool(tag_set & FRIENDLY_TAGS),
                bool(tag_set & _FORCE_TAGS), "buildup" in tag_set, bool(tag_set & _STEADYING_TAGS))
        return sense

    def act(self, context: BotContext) -> tuple[dict, str]:
        phase = context.view.phase  # the options' phase too; the view is at hand
        if phase is Phase.PROPOSE:
            return self._propose(context)
        if phase is Phase.RESPOND:
            return self._respond(context)
        if phase is Phase.DECIDE:
            return self._decide(context)
        if phase is Phase.CRISIS:
            return self._crisis(context)
        raise ValueError(f"a bot cannot act in the {phase.value} phase")

    # -- what an agreement is worth to this persona ---------------------------------------------
    def _stake(self, context: BotContext, template_id: str) -> tuple[float, str]:
        """How much the persona minds being bound by an agreement (0..), and what it would bind."""
        game = context.game
        stakes = self._table(game).stakes
        key = (context.view.seat, template_id)
        known = stakes.get(key)
        if known is not None:
            return known
        template = game.templates[template_id]
        bound = set(template.breach.moves) if template.breach else set()
        worst, what = 0.0, ""
        for move in game.scenario.moves:
            if move.actors and context.view.seat not in move.actors:
                continue
            tags = move_tags(game, move.id)
            if move.id in bound or (move.system == template.system and HOSTILE_TAGS & set(tags)):
                score = self.tag_score(tags)
                if score > worst:
                    worst, what = score, move.label.get()
        stakes[key] = (worst * self.w("bind"), what)
        return stakes[key]

    def _agreement_value(self, context: BotContext, template_id: str, proposer: str | None,
                         deeds, bal: Balance, peril: tuple[float, str], explain: bool = True) -> tuple[float, str]:
        value = self.w("accept")
        stake, what = self._stake(context, template_id)
        notes = []
        if stake > 0.05:
            value -= stake
            if explain:
                notes.append(f"it would bind its {what}")
        if proposer is not None and self.w("retaliate"):
            theirs = [d for d in deeds if d.actor == proposer]
            if any(d.hostile for d in theirs):
                value -= 0.3 * self.w("retaliate")
                deed = context.game.moves[theirs[0].move].label.get()
                notes.append(f"distrusts {name(context.game, proposer)} after its {deed}")
            elif any(d.friendly for d in theirs):
                value += 0.2 * self.w("reward")
                notes.append(f"returns {possessive(name(context.game, proposer))} good faith")
        if self.w("parity") and bal.rival is not None:
            if bal.gap > 0.1:
                value -= self.w("parity") * min(0.6, bal.gap)
                if explain:
                    notes.append(f"will not freeze behind {name(context.game, bal.rival)}")
            else:
                value += 0.2 * self.w("parity")
                if explain:
                    notes.append(f"at parity with {name(context.game, bal.rival)}")
        level, why = peril
        if level >= self.w("danger_line") and self.w("caution"):
            value += 0.3 * self.w("caution")
            if explain:
                notes.append(f"wants calm: {why}")
        return value, "; ".join(notes)

    # -- talks ------------------------------------------------------------------------------
    def _propose(self, context: BotContext) -> tuple[dict, str]:
        seat = context.view.seat
        game = context.game
        none = {"seat": seat, "kind": "propose", "offers": []}
        if context.chance(0) >= self.w("propose"):  # it will not propose: no need for its options
            if not context.may_propose():
                return none, "nothing it may propose this turn"
            return none, f"makes no proposal ({MOTTOS.get(self.name, self.name)})"
        available = [t for t in context.options.templates if t.available]
        if not available:
            return none, "nothing it may propose this turn"
        if self.name == "random":
            draws = {t.id: context.chance(20 + i) for i, t in enumerate(available)}
            ranked = [(0.0, t) for t in sorted(available, key=lambda t: (draws[t.id], t.id))]
        else:
            # Its own offers: no proposer's deeds to weigh, and no reasons worded.
            bal = balance(game, context.view, self._forces) if self.w("parity") else NO_BALANCE
            peril = danger(game, context.view, self._lines)
            ranked = []
            noise = context.draws(20, len(available))
            for i, t in enumerate(available):
                value, _ = self._agreement_value(context, t.id, None, (), bal, peril, explain=False)
                ranked.append((value + (noise[i] - 0.5) * self.w("noise"), t))
            ranked.sort(key=lambda item: (-item[0], item[1].id))
        in_force = {(a.template, frozenset(a.parties)) for a in context.view.agreements}
        offers: list[dict] = []
        labels: list[str] = []
        limit = min(context.options.max_proposals, max(1, int(self.w("max_proposals"))))
        for i, (value, template) in enumerate(ranked):
            if len(offers) >= limit or (self.name != "random" and value <= 0.1):
                break
            parties = self._parties(context, template, i)
            if parties is None or (template.id, frozenset(parties)) in in_force:
                continue
            offers.append({"template": template.id, "parties": parties,
                           "params": {p.id: p.default for p in template.parameters}})
            others = [name(game, p) for p in parties if p != seat]
            labels.append(f"{template.label.get()} to {' and '.join(others)}")
        if not offers:
            return none, "sees no agreement worth offering"
        return {"seat": seat, "kind": "propose", "offers": offers}, f"proposes {'; '.join(labels)}"

    def _parties(self, context: BotContext, template, i: int) -> list[str] | None:
        seat = context.view.seat
        others = [p for p in template.eligible_parties if p != seat]
        if seat not in template.eligible_parties or len(others) + 1 < template.min_parties:
            return None
        most = len(others) + 1 if template.max_parties is None else template.max_parties
        if most >= len(others) + 1:
            return [seat, *others]
        # Fewer seats than eligible: the partners it is most worried about, else at random.
        tension = {p: 0.0 for p in others}
        for t in context.view.tracks:
            if t.other is not None and seat in (t.actor, t.other) and "tension" in t.track:
                partner = t.other if t.actor == seat else t.actor
                if partner in tension:
                    tension[partner] += t.value
        ranked = sorted(others, key=lambda p: (-tension[p], context.chance(40 + i * 7 + others.index(p))))
        return [seat, *ranked[: most - 1]]

    def _respond(self, context: BotContext) -> tuple[dict, str]:
        seat = context.view.seat
        game = context.game
        # Only what the persona's numbers can use (`_agreement_value` reads deeds for `retaliate`).
        deeds = last_deeds(game, context.view) if self.name != "random" and self.w("retaliate") else ()
        bal = balance(game, context.view, self._forces) if self.w("parity") else NO_BALANCE
        peril = danger(game, context.view, self._lines) if self.name != "random" else (0.0, "")
        replies, reasons = [], []
        for i, option in enumerate(context.options.to_answer):
            proposal = option.proposal
            template = game.templates[proposal.template]
            label = f"{possessive(name(game, proposal.proposer))} {template.label.get()}"
            reply = {"proposal": proposal.id, "answer": "reject"}
            if self.name == "random":
                value, note = self.w("accept"), "at random"
            else:
                value, note = self._agreement_value(context, template.id, proposal.proposer, deeds, bal, peril)
            roll = context.chance(10 + i)
            counter = None
            if option.can_accept and roll < value:
                reply["answer"] = "accept"
                reasons.append(f"accepts {label}" + (f" ({note})" if note else ""))
            elif (counter := self._counter_params(template, proposal.params)) is not None and context.chance(30 + i) < (
                    self.w("counter") if option.can_accept else max(0.5, self.w("counter"))):
                reply = {"proposal": proposal.id, "answer": "counter", "params": counter}
                terms = ", ".join(f"{k} {v:g}" for k, v in counter.items())
                why = option.reason if not option.can_accept else note
                reasons.append(f"counters {label} with {terms}" + (f" ({why})" if why else ""))
            else:
                why = option.reason if not option.can_accept else note
                reasons.append(f"rejects {label}" + (f" ({why})" if why else ""))
            replies.append(reply)
        return {"seat": seat, "kind": "respond", "replies": replies}, "; ".join(reasons) or "nothing to answer"

    @staticmethod
    def _counter_params(template, params: Mapping[str, float]) -> dict[str, float] | None:
        """Terms halfway from the proposed ones toward the far end of each parameter's range.

        A proposal a party cannot accept usually sits at the strict end of a range, so the far
        end is the looser one; countering halfway there is a visible step toward a deal.
        """
        result, changed = {}, False
        for p in template.parameters:
            value = float(params.get(p.id, p.default))
            target = p.max if value - p.min < p.max - value else p.min
            steps = round((value + (target - value) / 2 - p.min) / p.step) if p.step else 0
            new = min(p.max, max(p.min, p.min + steps * p.step)) if p.step else value
            changed = changed or new != value
            result[p.id] = new
        return result if changed else None

    # -- decisions --------------------------------------------------------------------------
    def _decide(self, context: BotContext) -> tuple[dict, str]:
        seat = context.view.seat
        options = context.options
        available = options.available_moves()
        if self.name == "random":
            return self._decide_at_random(context, available)
        game = context.game
        deeds = list(last_deeds(game, context.view)) if self.w("retaliate") or self.w("reward") else []
        hostile = [d for d in deeds if d.hostile]
        friendly = [d for d in deeds if d.friendly]
        forgiving = bool(hostile) and context.chance(200) < self.w("forgive")
        answer_tags = frozenset().union(*(d.tags & HOSTILE_TAGS for d in hostile)) if hostile else frozenset()
        bal = balance(game, context.view, self._forces) if self.w("parity") else NO_BALANCE
        level, why = danger(game, context.view, self._lines)
        afraid = level >= self.w("danger_line") and self.w("caution") > 0

        scored: list[tuple[float, str, MoveOption, _Motive]] = []
        noise = context.draws(100, len(available))
        spread = 2 * self.w("noise")
        motto = MOTTOS.get(self.name, self.name)
        table = self._table(game)
        sense_of = table.moves.get
        retaliate, reward, parity, caution = self.w("retaliate"), self.w("reward"), self.w("parity"), self.w("caution")
        if not (hostile or friendly or afraid or (bal.rival is not None and parity)):
            for move, draw in zip(available, noise, strict=True):
                liking = (sense_of(move.id) or self._sense(table, game, move.id)).liking
                scored.append((-(liking + (draw - 0.5) * spread), move.id, move, motto if liking > 0 else ""))
        else:
            # What each drive adds to a move it touches is the same for every move: work it out
            # once. A motive is a string, or a function making it: only the chosen moves' are read.
            answering = bool(hostile) and not forgiving
            rewarding = bool(friendly) and not hostile and bool(reward)
            returns = lambda: f"returns {_labels(friendly, game)} in kind"
            pacing = bal.rival is not None and bool(parity)
            behind, level_ = bal.gap > 0.05, bal.gap <= 0.0
            catch_up = parity * (0.5 + min(1.0, bal.gap)) if pacing and behind else 0.0
            hold_back = parity * min(1.0, bal.gap) if pacing and behind else 0.0

            def closes() -> str:
                assert bal.rival is not None  # read only when pacing, which needs a rival
                return f"closes the gap with {name(game, bal.rival)} ({bal.track} {bal.own:g} against {bal.theirs:g})"

            def affords() -> str:
                assert bal.rival is not None  # read only when pacing, which needs a rival
                return f"at parity with {name(game, bal.rival)}, can afford restraint"

            wary = caution * (1.0 + level) if afraid else 0.0
            steady = caution * level if afraid else 0.0
            steadies = f"{why}: steadies things" if afraid else ""
            for move, draw in zip(available, noise, strict=True):
                liking, tags, hostile_, friendly_, force, buildup, steadying = (
                    sense_of(move.id) or self._sense(table, game, move.id))
                score = liking + (draw - 0.5) * spread
                motive: _Motive = motto if liking > 0 else ""
                if answering and hostile_:
                    bonus = retaliate * (1.0 if tags & answer_tags else 0.4)
                    score += bonus
                    if bonus >= 0.5:
                        same = [d for d in hostile if d.tags & tags] or hostile
                        kind = "its own" if tags & answer_tags else "strength"
                        motive = lambda same=same, kind=kind: f"answers {_labels(same, game)} with {kind}"
                elif rewarding and friendly_:
                    score += reward
                    motive = returns
                if pacing:
                    if behind and force:
                        score += catch_up
                        motive = closes
                    elif behind and friendly_:
                        score -= hold_back
                    elif level_ and buildup:
                        score -= parity * 0.6
                    elif level_ and friendly_:
                        score += parity * 0.3
                        motive = affords
                if afraid:
                    if hostile_:
                        score -= wary
                    elif steadying:
                        score += steady
                        motive = steadies
                scored.append((-score, move.id, move, motive))
        scored.sort()  # best first, then by id (ids are unique: moves themselves are never compared)
        chosen: list[MoveOption] = []
        motives: list[_Motive] = []
        spent = 0.0
        budget = options.budget
        threshold = self.w("threshold")
        for negated, _, move, motive in scored:
            if len(chosen) >= options.max_moves or -negated <= threshold:
                break
            if budget is not None and spent + move.cost > budget + 1e-9:
                continue
            chosen.append(move)
            motives.append(motive)
            spent += move.cost
        moves = {"seat": seat, "kind": "decide", "moves": [m.id for m in chosen]}
        if not chosen:
            if hostile and forgiving:
                return moves, f"forgives {_labels(hostile, game)}; holds steady"
            if afraid:
                return moves, f"{why}: makes no move"
            return moves, "holds steady"
        head = next((m for m in motives if m), "tries something new")
        if callable(head):
            head = head()
        labels = ", ".join(m.label.get() for m in chosen)
        if forgiving:
            head = f"forgives {_labels(hostile, game)}; {head}"
        return moves, f"{head}: {labels}"

    def _decide_at_random(self, context: BotContext, available) -> tuple[dict, str]:
        options = context.options
        chosen: list[MoveOption] = []
        spent = 0.0
        shuffle = context.draws(100, len(available))
        skip = context.draws(150, len(available))
        order = [m for _, m in sorted(zip(shuffle, available, strict=True), key=lambda pair: (pair[0], pair[1].id))]
        for i, move in enumerate(order):
            if len(chosen) >= options.max_moves or skip[i] < 0.4:
                continue
            if options.budget is not None and spent + move.cost > options.budget + 1e-9:
                continue
            chosen.append(move)
            spent += move.cost
        labels = ", ".join(m.label.get() for m in chosen) or "nothing"
        return {"seat": context.view.seat, "kind": "decide", "moves": [m.id for m in chosen]}, f"picks at random: {labels}"

    # -- crises -----------------------------------------------------------------------------
    def _crisis(self, context: BotContext) -> tuple[dict, str]:
        view = context.view
        game = context.game
        seat = view.seat
        crisis = view.crisis
        top = len(game.scenario.crisis.rungs) - 1
        rung = crisis.rung if crisis else 0
        rung_label = game.scenario.crisis.rungs[min(rung, top)].label.get()

        def choose(choice: CrisisChoice, reason: str) -> tuple[dict, str]:
            return {"seat": seat, "kind": "crisis", "choice": choice.value}, reason

        roll = context.chance(300)
        if self.name == "random":
            choice = list(CrisisChoice)[int(roll * 3)]
            return choose(choice, f"{choice.value.replace('_', ' ')} at random")
        # The brink: close enough to nuclear use that one bad round could get there. The top
        # two-fifths of the ladder, or more if this game has seen crises jump further at once.
        brink = max(1, round(0.4 * top), largest_rise(game, view))
        if rung >= top - brink and context.chance(301) < self.w("brink"):
            return choose(CrisisChoice.BACK_DOWN, f"steps back from the brink ({rung_label})")
        last = {a: c for a, c in crisis_choices_last_round(view).items() if a != seat}
        escalated = [a for a, c in last.items() if c == CrisisChoice.ESCALATE.value]
        backed = [a for a, c in last.items() if c == CrisisChoice.BACK_DOWN.value]
        names = lambda actors: " and ".join(name(game, a) for a in actors)  # noqa: E731
        if self.w("retaliate") and last:
            if escalated:
                if context.chance(302) < self.w("forgive"):
                    return choose(CrisisChoice.HOLD, f"holds rather than answer {possessive(names(escalated))} escalation")
                return choose(CrisisChoice.ESCALATE, f"answers {possessive(names(escalated))} escalation with its own")
            if backed:
                return choose(CrisisChoice.BACK_DOWN, f"meets {possessive(names(backed))} step back with its own")
            return choose(CrisisChoice.HOLD, "holds, as the others held")
        level, why = danger(game, view, self._lines)
        if self.w("caution") and level >= self.w("danger_line") and (rung > 0 or self.w("caution") >= 1):
            if context.chance(303) < min(1.0, self.w("caution") * level + self.w("back_down")):
                return choose(CrisisChoice.BACK_DOWN, f"backs down: {why}")
        escalate, back_down = self.w("escalate"), self.w("back_down")
        if backed and escalate > 0:
            escalate = min(1.0, escalate * 1.5)
        if self.w("parity"):
            bal = balance(game, view, self._forces)
            if bal.gap > 0.15:
                back_down += 0.2  # not now, not from behind
            elif bal.gap < 0:
                escalate += 0.1
        if roll < escalate:
            if backed:
                return choose(CrisisChoice.ESCALATE, f"presses as {names(backed)} backs down")
            return choose(CrisisChoice.ESCALATE, f"raises the stakes at {rung_label}")
        if roll < escalate + back_down:
            return choose(CrisisChoice.BACK_DOWN, f"backs down at {rung_label}")
        return choose(CrisisChoice.HOLD, f"holds firm at {rung_label}")


def _factory(persona: str):
    def make(overrides: dict) -> PersonaBot:
        return PersonaBot(persona, {**PERSONAS[persona], **overrides})

    return make


for _name in PERSONAS:
    register_persona(_name, _factory(_name))
