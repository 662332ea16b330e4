"""Built-in personas: table-driven players whose every choice has a one-line reason.

A persona is a row of numbers (`PERSONAS`): how much it likes each move tag (scenario authors tag
moves `buildup`, `restraint`, `escalatory`, `survivability`, `test`, `defence`, `transparency` ...)
and how strongly four drives move it:

- **reciprocity** (`retaliate`, `reward`, `forgive`): answers what others did last turn, in kind;
- **parity** (`parity`): compares its forces with its strongest rival's and builds when behind;
- **caution** (`caution`, `danger_line`): when risk, the clock, a crisis or tension is past its
  line, it avoids escalatory moves, backs down and reaches for agreements;
- **appetite** (`bind`): how much it minds an agreement that would bind moves it likes;
- **war termination** (`terminate`): in the day after nuclear use (a scenario's `aftermath`,
  read from `SeatView.day_after_left`), ending the war comes first: it favours restraint and
  transparency over hostile moves, values agreements (most those that bind nothing: a hotline,
  a declaration) and reaches for the talks, and backs down in a crisis.

Talks: `propose`, `accept` and `counter` set its propensities. Crises: `escalate` and
`back_down` set its odds, `brink` how surely it steps back when the next rung is nuclear use.
A scenario overrides any number in an actor's `bot.weights`, adds `parity.<track>` weights to
name the force tracks and `redline.<track>` values as red lines (see docs/bots.md).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

import attrs

from engine.bots.base import BotContext, register_persona
from engine.bots.decision import Decision, Term, leading_term, sum_parts_by_name
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
from engine.rules.events import TalksNews
from engine.rules.inputs import ChooseInCrisis, Decide, Input, Offer, Propose, Reply, Respond, input_to_dict
from engine.rules.state import Answer, CrisisChoice, PackagePart, Phase
from engine.scenario.arithmetic import left_sum
from engine.scenario.personas import DRIVES, PERSONAS

if TYPE_CHECKING:
    from engine.rules.options import MoveOption

    # How a reason names a term of a move's score: a string, or a function making it (only the
    # words of the chosen moves', or of the best move's when none is chosen, are read).
    _Words = str | Callable[[], str]
    # A move's score, term by term: (name, value, words), in the order they are added.
    _Parts = list[tuple[str, float, _Words]]
    # The terms of the drives that touch a move (after its liking and its whim).
    _Drives = tuple[tuple[str, float, _Words], ...]

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
        self.stakes: dict[tuple[str, str], tuple[float, str, bool]] = {}


def _move_parts(motto: str, liking: float, whim: float, drives: _Drives) -> _Parts:
    """A move's score term by term (PersonaBot._decide): the persona's liking of its tags, its
    whim, then each drive that touches it."""
    return [("persona", liking, motto if liking > 0 else "holds steady"),
            ("whim", whim, "tries something new" if whim > 0 else "holds steady"), *drives]


def _labels(deeds: list[Deed], game) -> str:
    parts = []
    for deed in deeds:
        text = f"{possessive(name(game, deed.actor))} {game.moves[deed.move].label.get()}"
        if text not in parts:
            parts.append(text)
    return " and ".join(parts[:2])


@attrs.frozen
class Plan:
    """What a persona submits, its reason, and the decisions behind them: one per answer to an
    offer, one for the moves, one for a crisis choice (none for proposals, which follow the
    persona's propensity to propose and the agreements' values, without a reason to check)."""

    submission: Input  # typed, as the rules take it: the play loop hands it over as it is
    reason: str
    decisions: tuple[Decision, ...] = ()

    @property
    def input(self) -> dict:
        """The submission in its plain form, as every front end submits (engine.rules.inputs)."""
        return input_to_dict(self.submission)


class _Numbers(dict[str, float]):
    """A persona's numbers by name: one it does not have is 0."""

    def __missing__(self, key: str) -> float:
        return 0.0


class PersonaBot:
    """A persona's numbers and the play that follows from them."""

    __slots__ = ("name", "weights", "_numbers", "_tags", "_scores", "_lines", "_forces", "_key", "w")

    def __init__(self, name: str, weights: Mapping[str, float]) -> None:
        self.name = name
        self.weights = {**DRIVES, **weights}
        self._numbers = _Numbers({k: float(v) for k, v in self.weights.items()})
        # w(key): the persona's number for `key` (0 if it has none), asked thousands of times a
        # game: the dict's own lookup, not a method of ours around it.
        self.w: Callable[[str], float] = self._numbers.__getitem__
        self._tags = {k: v for k, v in self._numbers.items() if k not in DRIVES and "." not in k}
        self._scores: dict[tuple[str, ...], float] = {}
        self._lines = red_lines(self.weights)
        self._forces = named_forces(self.weights)
        # Bots with the same persona and numbers play alike: they share their tables on a game.
        self._key = _table_key(name, self._numbers)

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

    def _terminating(self, context: BotContext) -> float:
        """How strongly war termination drives the persona now: its `terminate` in the day after
        nuclear use (the view says how many of its turns are left), else 0."""
        if self.name == "random" or not context.view.day_after_left:
            return 0.0
        return self.w("terminate")

    def act(self, context: BotContext) -> tuple[dict, str]:
        plan = self.plan(context)
        return plan.input, plan.reason

    def submit(self, context: BotContext) -> tuple[Input, str]:
        """As `act`, with the input typed: the play loop takes it without parsing a dict."""
        plan = self.plan(context)
        return plan.submission, plan.reason

    def plan(self, context: BotContext) -> Plan:
        """The input, its reason and the decisions (with their terms) that made them."""
        phase = context.view.phase  # the options' phase too; the view is at hand
        if phase is Phase.PROPOSE:
            return Plan(*self._propose(context))
        if phase is Phase.RESPOND:
            return self._respond(context)
        if phase is Phase.DECIDE:
            return self._decide(context)
        if phase is Phase.CRISIS:
            return self._crisis(context)
        raise ValueError(f"a bot cannot act in the {phase.value} phase")

    # -- what an agreement is worth to this persona ---------------------------------------------
    def _stake(self, context: BotContext, template_id: str) -> tuple[float, str, bool]:
        """How much the persona minds being bound by an agreement (0..), the move it minds most,
        and whether the agreement binds any of its moves at all (a declaration binds none)."""
        game = context.game
        stakes = self._table(game).stakes
        key = (context.view.seat, template_id)
        known = stakes.get(key)
        if known is not None:
            return known
        template = game.templates[template_id]
        bound = set(template.breach.moves) if template.breach else set()
        worst, what, binds = 0.0, "", False
        for move in game.scenario.moves:
            if move.actors and context.view.seat not in move.actors:
                continue
            tags = move_tags(game, move.id)
            if move.id in bound or (move.system == template.system and HOSTILE_TAGS & set(tags)):
                binds = True
                score = self.tag_score(tags)
                if score > worst:
                    worst, what = score, move.label.get()
        stakes[key] = (worst * self.w("bind"), what, binds)
        return stakes[key]

    def _agreement_terms(self, context: BotContext, template_id: str, proposer: str | None,
                         deeds, bal: Balance, peril: tuple[float, str], explain: bool = True) -> list[Term]:
        """What an agreement is worth to the persona, term by term (their total is its value)."""
        game = context.game
        terms = [Term("propensity", self.w("accept"))]  # its plain readiness: no words of its own
        stake, what, binds = self._stake(context, template_id)
        if stake > 0.05:
            terms.append(Term("bind", -stake, f"it would bind its {what}" if explain else ""))
        if proposer is not None and self.w("retaliate"):
            theirs = [d for d in deeds if d.actor == proposer]
            if any(d.hostile for d in theirs):
                deed = game.moves[theirs[0].move].label.get()
                terms.append(Term("distrust", -0.3 * self.w("retaliate"),
                                  f"distrusts {name(game, proposer)} after its {deed}"))
            elif any(d.friendly for d in theirs):
                terms.append(Term("good faith", 0.2 * self.w("reward"),
                                  f"returns {possessive(name(game, proposer))} good faith"))
        if self.w("parity") and bal.rival is not None and binds:
            # Only an agreement that binds some of its moves can freeze it behind (or hold it
            # at) parity: a declaration such as the dictum binds nothing.
            rival = name(game, bal.rival) if explain else ""
            if bal.gap > 0.1:
                terms.append(Term("parity", -self.w("parity") * min(0.6, bal.gap),
                                  f"will not freeze behind {rival}" if explain else ""))
            else:
                terms.append(Term("parity", 0.2 * self.w("parity"), f"at parity with {rival}" if explain else ""))
        level, why = peril
        if level >= self.w("danger_line") and self.w("caution"):
            terms.append(Term("calm", 0.3 * self.w("caution"), f"wants calm: {why}" if explain else ""))
        terminate = self._terminating(context)
        if terminate:
            # The day after: a channel or a pledge that binds nothing (a hotline, a declaration)
            # serves ending the war most directly; a limit on forces still helps, by half.
            terms.append(Term("war termination", terminate * (0.5 if binds else 1.0),
                              "after nuclear use, wants the war ended" if explain else ""))
        return terms

    def _package_terms(self, context: BotContext, proposal, deeds, bal: Balance,
                       peril: tuple[float, str]) -> list[Term]:
        """What a package is worth: the sum of what each of its agreements binds (and how it
        leaves parity), with the persona's readiness, trust and wish for calm counted once (they
        are about the offer, not each part). One term per name; each keeps the words of its
        largest part, so the reason names the part that weighed most."""
        parts: list[tuple[str, float, str]] = []
        for n, part in enumerate(proposal.parts()):
            for term in self._agreement_terms(context, part.template, proposal.proposer, deeds, bal, peril):
                if n == 0 or term.name in ("bind", "parity"):
                    parts.append((term.name, term.value, term.words))
        return list(sum_parts_by_name(parts))

    # -- talks ------------------------------------------------------------------------------
    def _propose(self, context: BotContext) -> tuple[Propose, str]:
        seat = context.view.seat
        game = context.game
        none = Propose(seat)
        # The day after, it reaches for the talks more readily (war termination comes first).
        if context.chance(0) >= min(1.0, self.w("propose") + self._terminating(context)):  # no proposal: no options needed
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
                value = left_sum(term.value for term in self._agreement_terms(
                    context, t.id, None, (), bal, peril, explain=False))
                ranked.append((value + (noise[i] - 0.5) * self.w("noise"), t))
            ranked.sort(key=lambda item: (-item[0], item[1].id))
        in_force = {(a.template, frozenset(a.parties)) for a in (*context.view.agreements, *context.view.pending)}
        offers: list[Offer] = []
        labels: list[str] = []
        offered: set[str] = set()
        values = {t.id: value for value, t in ranked}
        by_id = {t.id: t for t in available}
        limit = min(context.options.max_proposals, max(1, int(self.w("max_proposals"))))
        for i, (value, template) in enumerate(ranked):
            if len(offers) >= limit or (self.name != "random" and value <= 0.1):
                break
            if template.id in offered:
                continue
            parties = self._parties(context, template, i)
            if parties is None or (template.id, frozenset(parties)) in in_force:
                continue
            # A template the scenario pairs with others (`package_with`) goes with those of them
            # it may offer to the same parties, as one package, as a negotiator brings a linkage:
            # only once a party has refused this agreement offered alone (the seat's log says
            # so), and when the package is worth as much to it as this one alone (the sum of its
            # parts). Until then it offers the agreement alone.
            partners = [by_id[t] for t in game.templates[template.id].package_with
                        if t in by_id and t not in offered and (t, frozenset(parties)) not in in_force
                        and set(parties) <= set(by_id[t].eligible_parties)]
            refuser = _refused_alone(context, template.id, parties) if partners else None
            if refuser is None or (self.name != "random"
                                   and value + left_sum(values[t.id] for t in partners) <= 0.1):
                partners = []
            # Numbers as floats, as parsing an input makes them (engine.rules.inputs).
            offers.append(Offer(template.id, tuple(parties), {p.id: float(p.default) for p in template.parameters},
                                tuple(PackagePart(t.id, {p.id: float(p.default) for p in t.parameters})
                                      for t in partners)))
            offered.update([template.id, *(t.id for t in partners)])
            others = [name(game, p) for p in parties if p != seat]
            what = " with ".join(t.label.get() for t in (template, *partners))
            after = f", as {name(game, refuser)} refused {template.label.get()} alone" if partners and refuser else ""
            labels.append(f"{'a package of ' if partners else ''}{what} to {' and '.join(others)}{after}")
        if not offers:
            return none, "sees no agreement worth offering"
        return Propose(seat, tuple(offers)), f"proposes {'; '.join(labels)}"

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

    def _respond(self, context: BotContext) -> Plan:
        seat = context.view.seat
        game = context.game
        # Only what the persona's numbers can use (`_agreement_terms` reads deeds for `retaliate`).
        deeds = last_deeds(game, context.view) if self.name != "random" and self.w("retaliate") else ()
        bal = balance(game, context.view, self._forces) if self.w("parity") else NO_BALANCE
        peril = danger(game, context.view, self._lines) if self.name != "random" else (0.0, "")
        replies: list[Reply] = []
        reasons: list[str] = []
        decisions: list[Decision] = []
        for i, option in enumerate(context.options.to_answer):
            proposal = option.proposal
            template = game.templates[proposal.template]
            what = " with ".join(game.templates[part.template].label.get() for part in proposal.parts())
            label = f"{possessive(name(game, proposal.proposer))} {'package of ' if proposal.package else ''}{what}"
            answer, counter_terms = Answer.REJECT, None
            roll = context.chance(10 + i)  # the bar: it accepts when the offer's value beats the dice
            if self.name == "random":  # only the dice: one term, its odds less the draw, and a bar of 0
                value, bar = self.w("accept"), 0.0
                terms = [Term("dice", value - roll, "at random")]
            elif proposal.package:  # a package: the sum of its parts, each drive counted once
                terms = self._package_terms(context, proposal, deeds, bal, peril)
                value, bar = left_sum(t.value for t in terms), roll
            else:
                terms = self._agreement_terms(context, template.id, proposal.proposer, deeds, bal, peril)
                value, bar = left_sum(t.value for t in terms), roll
            if not option.can_accept:  # the rules refuse it, whatever it thinks: their reason leads
                terms.append(Term("rules", -math.inf, option.reason or ""))
            counter = None
            if option.can_accept and roll < value:
                answer, toward, verb = Answer.ACCEPT, 1, f"accepts {label}"
            elif (counter := self._counter_params(template, proposal.params)) is not None and context.chance(30 + i) < (
                    self.w("counter") if option.can_accept else max(0.5, self.w("counter"))):
                answer, counter_terms = Answer.COUNTER, counter
                toward, verb = -1, f"counters {label} with {', '.join(f'{k} {v:g}' for k, v in counter.items())}"
            else:
                toward, verb = -1, f"rejects {label}"
            lead = leading_term(terms, toward)
            why = lead.words if lead is not None else ""
            reason = verb + (f" ({why})" if why else "")
            decisions.append(Decision("answer", answer.value, tuple(terms), toward, reason, bar=bar))
            reasons.append(reason)
            # Numbers as floats, as parsing an input makes them (engine.rules.inputs).
            params = {k: float(v) for k, v in counter_terms.items()} if counter_terms else {}
            replies.append(Reply(proposal.id, answer, params))
        return Plan(Respond(seat, tuple(replies)), "; ".join(reasons) or "nothing to answer", tuple(decisions))

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
    def _decide(self, context: BotContext) -> Plan:
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
        terminate = self._terminating(context)

        # Each move's score is a sum of terms, added in this order: the persona's liking of its
        # tags, a whim (noise), then each drive that touches it. The terms are kept with the words
        # a reason would name them by: for a term above 0 the head of "HEAD: moves", for one
        # below 0 a whole reason for playing nothing. Only the drives' terms are kept with each
        # move; the whole list (_move_parts) is made only for the moves a reason may name.
        scored: list[tuple[float, str, MoveOption, float, float, _Drives]] = []
        noise = context.draws(100, len(available))
        spread = 2 * self.w("noise")
        motto = MOTTOS.get(self.name, self.name)
        table = self._table(game)
        sense_of = table.moves.get
        retaliate, reward, parity, caution = self.w("retaliate"), self.w("reward"), self.w("parity"), self.w("caution")
        if not (hostile or friendly or afraid or terminate or (bal.rival is not None and parity)):
            for move, draw in zip(available, noise, strict=True):
                liking = (sense_of(move.id) or self._sense(table, game, move.id)).liking
                whim = (draw - 0.5) * spread
                scored.append((-(liking + whim), move.id, move, liking, whim, ()))
        else:
            # What each drive adds to a move it touches is the same for every move: work it out once.
            answering = bool(hostile) and not forgiving
            rewarding = bool(friendly) and not hostile and bool(reward)
            returns = lambda: f"returns {_labels(friendly, game)} in kind"
            pacing = bal.rival is not None and bool(parity)
            behind, level_ = bal.gap > 0.05, bal.gap <= 0.0
            catch_up = parity * (0.5 + min(1.0, bal.gap)) if pacing and behind else 0.0
            hold_back = parity * min(1.0, bal.gap) if pacing and behind else 0.0

            def closes() -> str:
                assert bal.rival is not None  # read only when pacing, which needs a rival
                if _under_fog(game, bal.track):  # its true figure is others' estimate: a public reason keeps it
                    return f"closes the gap with {name(game, bal.rival)} in {bal.track}"
                return f"closes the gap with {name(game, bal.rival)} ({bal.track} {bal.own:g} against {bal.theirs:g})"

            def affords() -> str:
                assert bal.rival is not None  # read only when pacing, which needs a rival
                return f"at parity with {name(game, bal.rival)}, can afford restraint"

            def will_not_freeze() -> str:
                assert bal.rival is not None  # read only when pacing, which needs a rival
                return f"will not freeze behind {name(game, bal.rival)}: makes no move"

            wary = caution * (1.0 + level) if afraid else 0.0
            steady = caution * level if afraid else 0.0
            steadies = f"{why}: steadies things" if afraid else ""
            frightened = f"{why}: makes no move" if afraid else ""
            ends_war = "after nuclear use, war termination comes first"
            widens_war = "after nuclear use, makes no move that could widen the war"
            for move, draw in zip(available, noise, strict=True):
                liking, tags, hostile_, friendly_, force, buildup, steadying = (
                    sense_of(move.id) or self._sense(table, game, move.id))
                whim = (draw - 0.5) * spread
                score = liking + whim
                drives: _Drives = ()
                if answering and hostile_:
                    bonus = retaliate * (1.0 if tags & answer_tags else 0.4)
                    score += bonus
                    same = [d for d in hostile if d.tags & tags] or hostile
                    kind = "its own" if tags & answer_tags else "strength"

                    def answers(same: list[Deed] = same, kind: str = kind) -> str:
                        return f"answers {_labels(same, game)} with {kind}"

                    drives += (("reciprocity", bonus, answers),)
                elif rewarding and friendly_:
                    score += reward
                    drives += (("reciprocity", reward, returns),)
                if pacing:
                    if behind and force:
                        score += catch_up
                        drives += (("parity", catch_up, closes),)
                    elif behind and friendly_:
                        score -= hold_back
                        drives += (("parity", -hold_back, will_not_freeze),)
                    elif level_ and buildup:
                        score -= parity * 0.6
                        drives += (("parity", -(parity * 0.6), affords),)
                    elif level_ and friendly_:
                        score += parity * 0.3
                        drives += (("parity", parity * 0.3, affords),)
                if afraid:
                    if hostile_:
                        score -= wary
                        drives += (("caution", -wary, frightened),)
                    elif steadying:
                        score += steady
                        drives += (("caution", steady, steadies),)
                if terminate:
                    if hostile_:
                        score -= terminate
                        drives += (("war termination", -terminate, widens_war),)
                    elif friendly_:
                        score += terminate
                        drives += (("war termination", terminate, ends_war),)
                scored.append((-score, move.id, move, liking, whim, drives))
        scored.sort()  # best first, then by id (ids are unique: moves themselves are never compared)
        chosen: list[MoveOption] = []
        chosen_parts: _Parts = []
        spent = 0.0
        budget = options.budget
        threshold = self.w("threshold")
        for negated, _, move, liking, whim, drives in scored:
            if len(chosen) >= options.max_moves or -negated <= threshold:
                break
            if budget is not None and spent + move.cost > budget + 1e-9:
                continue
            chosen.append(move)
            chosen_parts += _move_parts(motto, liking, whim, drives)
            spent += move.cost
        moves = Decide(seat, tuple(m.id for m in chosen))
        forgives = f"forgives {_labels(hostile, game)}; " if forgiving else ""
        if chosen:
            terms = sum_parts_by_name(chosen_parts)
            lead = leading_term(terms, 1)
            head = lead.words if lead is not None else "tries something new"
            reason = f"{forgives}{head}: {', '.join(m.label.get() for m in chosen)}"
            return Plan(moves, reason, (Decision("moves", "play", terms, 1, reason, bar=threshold),))
        # Nothing played: what held back the move that came closest (at or below the persona's
        # threshold, or too dear for what was left of the budget).
        held: list[Term] = []
        if scored:
            negated, _, _, liking, whim, drives = scored[0]
            held = [Term(n, v, w() if callable(w) and v < 0 else w if isinstance(w, str) else "")
                    for n, v, w in _move_parts(motto, liking, whim, drives)]
            if -negated > threshold:
                held.append(Term("budget", -math.inf, "holds steady"))
        lead = leading_term(held, -1)
        reason = forgives + (lead.words if lead is not None else "holds steady")
        return Plan(moves, reason, (Decision("moves", "none", tuple(held), -1, reason, bar=threshold),))

    def _decide_at_random(self, context: BotContext, available) -> Plan:
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
        reason = f"picks at random: {labels}"
        decision = Decision("moves", "play" if chosen else "none", (Term("dice", 1.0 if chosen else -1.0, "picks at random"),),
                            1 if chosen else -1, reason)
        return Plan(Decide(context.view.seat, tuple(m.id for m in chosen)), reason, (decision,))

    # -- crises -----------------------------------------------------------------------------
    def _crisis(self, context: BotContext) -> Plan:
        """A crisis choice passes gates in order (the brink, the last round to mirror, caution),
        then a roll against the persona's odds. The terms are the chances that pulled toward the
        choice taken; the reason names the largest."""
        view = context.view
        game = context.game
        seat = view.seat
        crisis = view.crisis
        top = len(game.scenario.crisis.rungs) - 1
        rung = crisis.rung if crisis else 0
        rung_label = game.scenario.crisis.rungs[min(rung, top)].label.get()

        def choose(choice: CrisisChoice, *terms: Term) -> Plan:
            lead = leading_term(terms, 1)
            reason = lead.words if lead is not None else f"{choice.value.replace('_', ' ')} at random"
            return Plan(ChooseInCrisis(seat, choice), reason,
                        (Decision("crisis", choice.value, terms, 1, reason),))

        roll = context.chance(300)
        if self.name == "random":
            choice = list(CrisisChoice)[int(roll * 3)]
            return choose(choice, Term("dice", 1 / 3, f"{choice.value.replace('_', ' ')} at random"))
        # The brink: close enough to nuclear use that one bad round could get there. The top
        # two-fifths of the ladder, or more if this game has seen crises jump further at once.
        brink = max(1, round(0.4 * top), largest_rise(game, view))
        if rung >= top - brink and context.chance(301) < self.w("brink"):
            return choose(CrisisChoice.BACK_DOWN, Term("brink", self.w("brink"), f"steps back from the brink ({rung_label})"))
        # The day after nuclear use, ending the war comes before answering the last round.
        terminate = self._terminating(context)
        if terminate and context.chance(304) < terminate:
            return choose(CrisisChoice.BACK_DOWN, Term("war termination", terminate,
                                                       f"backs down to end the war after nuclear use ({rung_label})"))
        last = {a: c for a, c in crisis_choices_last_round(view).items() if a != seat}
        escalated = [a for a, c in last.items() if c == CrisisChoice.ESCALATE.value]
        backed = [a for a, c in last.items() if c == CrisisChoice.BACK_DOWN.value]
        names = lambda actors: " and ".join(name(game, a) for a in actors)  # noqa: E731
        if self.w("retaliate") and last:
            mirror = self.w("retaliate")
            if escalated:
                if context.chance(302) < self.w("forgive"):
                    return choose(CrisisChoice.HOLD, Term("forgiveness", self.w("forgive"),
                                                          f"holds rather than answer {possessive(names(escalated))} escalation"))
                return choose(CrisisChoice.ESCALATE, Term("reciprocity", mirror,
                                                          f"answers {possessive(names(escalated))} escalation with its own"))
            if backed:
                return choose(CrisisChoice.BACK_DOWN, Term("reciprocity", mirror,
                                                           f"meets {possessive(names(backed))} step back with its own"))
            return choose(CrisisChoice.HOLD, Term("reciprocity", mirror, "holds, as the others held"))
        level, why = danger(game, view, self._lines)
        escalate, back_down = self.w("escalate"), self.w("back_down")
        if self.w("caution") and level >= self.w("danger_line") and (rung > 0 or self.w("caution") >= 1):
            if context.chance(303) < min(1.0, self.w("caution") * level + back_down):
                return choose(CrisisChoice.BACK_DOWN, Term("caution", self.w("caution") * level, f"backs down: {why}"),
                              Term("persona", back_down, f"backs down at {rung_label}"))
        # The roll: the persona's odds, moved by what the others did and the balance of forces.
        escalating = [Term("persona", escalate, f"raises the stakes at {rung_label}")]
        backing = [Term("persona", back_down, f"backs down at {rung_label}")]
        if backed and escalate > 0:
            pressed = min(1.0, escalate * 1.5)
            escalating.append(Term("pressing", pressed - escalate, f"presses as {names(backed)} backs down"))
            escalate = pressed
        if self.w("parity"):
            bal = balance(game, view, self._forces)
            if bal.gap > 0.15:
                back_down += 0.2  # not now, not from behind
                backing.append(Term("parity", 0.2, f"backs down while behind {name(game, bal.rival or '')}"))
            elif bal.gap < 0:
                escalate += 0.1
                escalating.append(Term("parity", 0.1, f"presses its lead over {name(game, bal.rival or '')}"))
        if roll < escalate:
            return choose(CrisisChoice.ESCALATE, *escalating)
        if roll < escalate + back_down:
            return choose(CrisisChoice.BACK_DOWN, *backing)
        return choose(CrisisChoice.HOLD, Term("persona", 1.0 - escalate - back_down, f"holds firm at {rung_label}"))


def _factory(persona: str):
    def make(overrides: dict) -> PersonaBot:
        return PersonaBot(persona, {**PERSONAS[persona], **overrides})

    return make


for _name in PERSONAS:
    register_persona(_name, _factory(_name))


def _refused_alone(context: BotContext, template_id: str, parties: list[str]) -> str | None:
    """The first of `parties` (other than the seat) that the seat's log shows rejecting (or
    countering) `template_id` offered alone, in this game; None if none has."""
    seat = context.view.seat
    alone = (template_id,)
    refusers = {entry.event.by for entry in context.view.log
                if type(entry.event) is TalksNews and entry.event.what == "rejected" and entry.event.templates == alone}
    return next((p for p in parties if p != seat and p in refusers), None)


def _under_fog(game, track: str | None) -> bool:
    """Whether others read `track` as an estimate (a reason read by every seat must not quote the
    bot's own true figure of it)."""
    return any(t.id == track and t.estimate is not None for t in game.scenario.tracks)
