"""Assessment and the turn's edges: risk, the clock, the end, and the world phase of a new turn."""

from __future__ import annotations

from engine.rules import events
from engine.rules.effects import apply_effects
from engine.rules.memo import LIMIT
from engine.rules.phrases import new_phrase, phrase
from engine.rules.state import Assessment, Outcome, Phase, Termination
from engine.rules.work import Work
from engine.scenario.arithmetic import left_sum


def measure_risk(work: Work) -> tuple[float, dict[str, float]]:
    """Risk as the clamped sum of the scenario's named factors."""
    factors = {
        factor: round(float(work.evaluate(value, where=where)), 6) for factor, value, where in work.memo.risk
    }
    return round(min(100.0, max(0.0, left_sum(factors.values()))), 6), factors


def assess(work: Work) -> None:
    """End of a turn: upkeep, risk, clock, end conditions; then the next turn's world phase."""
    scenario = work.scenario
    for actor in work.layout.actor_ids:
        if actor in work.active:
            apply_effects(work, scenario.each_turn, self_actor=actor, where="each_turn")
    work.risk, factors = measure_risk(work)
    change = round(float(work.evaluate(scenario.clock.change, where="clock.change")), 6)
    work.clock = round(min(scenario.clock.max, max(0.0, work.clock - change)), 6)
    work.assessments.append(Assessment(work.turn, work.risk, factors, work.clock, change))
    direction = f"{abs(change):.1f}s {'closer' if change > 0 else 'back'}" if round(change, 1) else "unmoved"
    work.say(events.ClockMoved(work.clock, change),
             new_phrase("clock", scenario.languages, clock=f"{work.clock:.1f}", change=direction))
    if work.clock <= 0:
        finish_game(work, Termination.MIDNIGHT)
        return
    for condition in scenario.end:
        if work.evaluate(condition.when, where=f"end.{condition.id}"):
            if condition.text.values:
                work.say(events.Narration("end"), condition.text)
            finish_game(work, Termination.CONDITION, condition.id, condition.catastrophe)
            return
    if work.turn >= scenario.turns:
        finish_game(work, Termination.LAST_TURN)
        return
    begin_turn(work, work.turn + 1)


def begin_turn(work: Work, turn: int) -> None:
    """The world phase: scripted, conditional and random events fire, in scenario order."""
    work.turn = turn
    work.crisis_risk = 0.0
    work.talk_round = 0
    opening, possible = _turn_plan(work, turn)
    work.say(events.TurnBegan(), opening)
    for event, when_where, chance_where in possible:
        if event.once and event.id in work.fired_events:
            continue
        if event.when is not None and not work.evaluate(event.when, where=when_where):
            continue
        if event.chance is not None:
            if work.draw() >= work.evaluate(event.chance, where=chance_where):
                continue
        fire_event(work, event)


def _turn_plan(work: Work, turn: int) -> tuple:
    """A turn's opening line and the events that may fire on it (with where their formulas are),
    in scenario order: they follow from the scenario alone, so are worked out once per turn."""
    plan = work.memo.turns.get(turn)
    if plan is None:
        opening = phrase("turn_start", work.scenario.languages, turn=turn, date=work.game.date_of(turn))
        possible = tuple(
            (event, f"events.{event.id}.when", f"events.{event.id}.chance")
            for event in work.scenario.events
            # Events with no turn, condition or chance are played by the facilitator only.
            if (event.turn is not None or event.when is not None or event.chance is not None)
            and (event.turn is None or event.turn == turn)
        )
        plan = (opening, possible)
        if len(work.memo.turns) < LIMIT:
            work.memo.turns[turn] = plan
    return plan


def fire_event(work: Work, event) -> None:
    work.fired_events = work.fired_events | {event.id}
    work.say(events.EventFired(event.id, event.text, event.hint), event.title)
    apply_effects(work, event.effects, where=f"events.{event.id}.effects")


def finish_game(work: Work, how: Termination, condition: str | None = None, catastrophe: bool = False) -> None:
    """End the game: the outcome is a value with each actor's score and the shared result."""
    catastrophe = catastrophe or how in (Termination.MIDNIGHT, Termination.NUCLEAR_USE)
    scores = {
        actor.id: round(float(work.evaluate(actor.score, actor.id, where=f"actors.{actor.id}.score")), 6)
        for actor in work.scenario.actors
        if actor.id in work.active
    }
    shared = round(float(work.evaluate(work.scenario.shared_score, where="shared_score")), 6)
    work.outcome = Outcome(how, work.turn, catastrophe, scores, shared, condition)
    work.phase = Phase.OVER
    work.submissions = {}
    work.proposals = []
    key = how.value if how is not Termination.CONDITION else None
    how_text = phrase(key, work.scenario.languages) if key else condition
    work.say(events.GameOver(how.value, condition), phrase("game_over", work.scenario.languages, how=how_text))
