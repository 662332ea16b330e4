"""The crisis ladder: rounds of simultaneous back-down / hold / escalate choices."""

from __future__ import annotations

from engine.errors import IllegalInput
from engine.rules import events
from engine.rules.assessment import use_nuclear_weapons
from engine.rules.effects import apply_effects
from engine.rules.inputs import ChooseInCrisis
from engine.rules.phrases import phrase
from engine.rules.state import Crisis, CrisisChoice, GameState
from engine.rules.work import Work


def crisis_seats(work: Work | GameState) -> tuple[str, ...]:
    if work.crisis is None:
        return ()
    return tuple(a for a in work.crisis.participants if a in work.active)


def check_choice(work: Work, value: ChooseInCrisis) -> None:
    if value.seat not in crisis_seats(work):
        raise IllegalInput(f"{value.seat} is not in the crisis")


def begin_crisis_rounds(work: Work) -> None:
    crisis = work.crisis
    assert crisis is not None  # the crisis phase runs only while there is one
    work.crisis = Crisis(crisis.participants, crisis.rung, 1, crisis.peak, crisis.cause)
    _note_rung(work, crisis.rung)


def complete_crisis_round(work: Work) -> bool:
    """Resolve one round. Returns True when the crisis is over (or the game is)."""
    ladder = work.scenario.crisis
    crisis = work.crisis
    assert crisis is not None  # the crisis phase runs only while there is one
    choices = {}
    for seat in crisis_seats(work):
        submission = work.submissions[seat]
        assert isinstance(submission, ChooseInCrisis)  # the only input the crisis phase takes
        choices[seat] = submission.choice
    work.submissions = {}
    counts = dict.fromkeys(_CHOICES, 0.0)
    for choice in choices.values():
        counts[choice.value] += 1.0
    names = {
        **counts,
        "participants": float(len(choices)),
        "rung": float(crisis.rung),
        "round": float(crisis.round),
    }
    rule = next((r for r in ladder.rules if work.evaluate(r.when, extra=names, where="crisis.rules")), None)
    shift = 0
    ends = False
    if rule is not None:
        shift = int(round(work.evaluate(rule.move, extra=names, where="crisis.rules.move")))
        if shift > 0:
            shift += int(round(work.evaluate(ladder.climb, extra=names, where="crisis.climb")))
        ends = rule.ends
        if rule.text.values:
            work.say(events.Narration("crisis"), rule.text)
    summary = ", ".join(f"{work.game.actor(s).name.get()} {c.value.replace('_', ' ')}" for s, c in choices.items())
    work.say(
        events.CrisisRoundPlayed(crisis.round, {s: c.value for s, c in choices.items()}),
        phrase("crisis_choices", work.scenario.languages, round=crisis.round, choices=summary),
    )
    top = len(ladder.rungs) - 1
    rung = min(top, max(0, crisis.rung + shift))
    work.crisis = Crisis(crisis.participants, rung, crisis.round + 1, max(crisis.peak, rung), crisis.cause)
    if rung != crisis.rung:
        _note_rung(work, rung)
        apply_effects(
            work, ladder.rungs[rung].effects, parties=crisis.participants, where=f"crisis.rungs[{rung}].effects"
        )
    if rung == top:
        use_nuclear_weapons(work, None)  # midnight: the end, or the day after
        work.crisis = None
        return True
    if ends or crisis.round >= ladder.rounds or (shift < 0 and crisis.rung == 0):
        over = phrase("crisis_over", work.scenario.languages, rung=ladder.rungs[rung].label)
        work.say(events.CrisisEnded(rung), over)
        work.crisis = None
        return True
    return False


_CHOICES = tuple(c.value for c in CrisisChoice)  # the names crisis rules count choices by


def _note_rung(work: Work, rung: int) -> None:
    work.crisis_risk = max(work.crisis_risk, work.scenario.crisis.rungs[rung].risk)
    label = work.scenario.crisis.rungs[rung].label
    text = phrase("crisis_rung", work.scenario.languages, rung=label)
    work.say(events.CrisisRungReached(rung), text)
