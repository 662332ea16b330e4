"""A bot's decision as a sum of named terms, and the reason that follows from it.

Every choice a built-in persona makes is a total of terms (its plain liking, trust or distrust of
a proposer, what an agreement would bind, the balance of forces, caution ...), compared with a
bar (the dice's draw for an answer, the persona's threshold for a move). The choice follows from
the total; the reason names the *leading* term: the largest of those that pushed toward what was
chosen, never one that pushed against it. The dice are the bar, not a term: a rejection names
what weighed against the offer, not the luck of the draw. A `Decision` keeps the terms,
so a test (or a curious facilitator) can check that the words and the arithmetic agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs

from engine.scenario.arithmetic import left_sum


@attrs.frozen
class Term:
    """One named part of a decision's total. `value` > 0 pushes toward the decision's first option
    (accept an offer, play the moves, take the crisis choice), < 0 against it. `words` are how a
    reason names it; empty: the reason's plain sentence ("accepts X", "holds steady")."""

    name: str
    value: float
    words: str = ""


@attrs.frozen
class Decision:
    """One choice with its terms: `toward` is +1 when the choice went with the terms above 0
    (an acceptance, moves played, the crisis choice taken), -1 when it went against them (a
    rejection or counter, no move played). The first happens when the total is above `bar`.
    `reason` is built from `leading`. For a crisis choice the terms are the odds that pulled
    toward the choice the draw fell in (the bar is 0)."""

    kind: str  # "answer", "moves" or "crisis"
    choice: str  # accept / reject / counter; play / none; escalate / hold / back_down
    terms: tuple[Term, ...]
    toward: int
    reason: str = ""
    bar: float = 0.0

    @property
    def total(self) -> float:
        return left_sum(t.value for t in self.terms)

    @property
    def leading(self) -> Term | None:
        return leading_term(self.terms, self.toward)


def leading_term(terms: tuple[Term, ...] | list[Term], toward: int) -> Term | None:
    """The largest term in the direction of the choice (the first of equals), or None if no
    term pushed that way."""
    best: Term | None = None
    for term in terms:
        pull = term.value * toward
        if pull > 0 and (best is None or pull > best.value * toward):
            best = term
    return best


def sum_by_name(terms: list[Term]) -> tuple[Term, ...]:
    """Terms of several choices made together (the moves of one decision) as one term per name,
    in order of first appearance; each keeps the words of its largest part in the direction of
    its total."""
    return sum_parts_by_name([(t.name, t.value, t.words) for t in terms])


# A term's words, or a function that words it: called only if the words are kept.
Words = str | Callable[[], str]


def sum_parts_by_name(parts: Iterable[tuple[str, float, Words]]) -> tuple[Term, ...]:
    """As sum_by_name, for terms given as (name, value, words): words given as a function are
    worked out only for the part whose words are kept (one per name, of a dozen parts or so)."""
    totals: dict[str, list[tuple[float, Words]]] = {}
    for name, value, words in parts:
        totals.setdefault(name, []).append((value, words))
    merged = []
    for name, values in totals.items():
        total = left_sum(value for value, _ in values)
        sign = -1.0 if total < 0 else 1.0
        _, words = max(values, key=lambda part: part[0] * sign)  # the first of equals
        merged.append(Term(name, total, words() if callable(words) else words))
    return tuple(merged)
