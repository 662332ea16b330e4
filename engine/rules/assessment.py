"""Assessment and the turn's edges: risk, the clock, the end, and the world phase of a new turn."""

from __future__ import annotations

from engine.rules import events
from engine.rules.context import value_of
from engine.rules.effects import apply_effects
from engine.rules.judgement import clock_set_on, period_factors
from engine.rules.memo import LIMIT
from engine.rules.phrases import new_phrase, phrase
from engine.rules.state import Assessment, NuclearUse, Outcome, Phase, Termination
from engine.rules.work import Work
from engine.scenario.arithmetic import left_sum
from engine.scenario.text import Text


def measure_risk(work: Work) -> tuple[float, dict[str, float]]:
    """Risk as the clamped sum of the scenario's named factors."""
    factors = {}
    for factor, compiled, value, where in _risk_factors(work):
        factors[factor] = round(float(_value(work, compiled, value, where)), 6)
    return round(min(100.0, max(0.0, left_sum(factors.values()))), 6), factors


def _risk_factors(work: Work) -> tuple:
    """(id, compiled formula, formula, where) of each risk factor: read every turn, so each
    formula is compiled once for the game (EvaluationContext.bound) and kept."""
    memo = work.memo
    if memo.risk_compiled is None:
        bound = memo.context.bound
        memo.risk_compiled = tuple((factor, bound(work, value, None, None), value, where) for factor, value, where in memo.risk)
    return memo.risk_compiled


def _value(work: Work, compiled: tuple, formula, where: str):
    """The value of a formula with no self or other, read from its compiled closure; one that
    fails is evaluated again through the context, which names where it is."""
    try:
        return value_of(compiled, work)
    except (ValueError, RecursionError):
        return work.evaluate(formula, where=where)


def assess(work: Work) -> None:
    """End of a turn: upkeep, risk, nuclear accidents, the clock (when it is set), end conditions;
    then the next turn's world phase."""
    scenario = work.scenario
    for actor in work.layout.actor_ids:
        if actor in work.active:
            apply_effects(work, scenario.each_turn, self_actor=actor, where="each_turn")
    work.risk, factors = measure_risk(work)
    if work.nuclear_use is not None:  # the day after: midnight has struck
        work.assessments.append(Assessment(work.turn, work.risk, factors, work.clock, 0.0))
        _end_of_turn(work)
        return
    if scenario.accidents and _nuclear_accident(work, factors):
        if work.outcome is None:  # the day after begins
            _end_of_turn(work)
        return
    clock = scenario.clock
    if clock_set_on(scenario, work.turn):
        judged = float(work.evaluate(clock.change, where="clock.change"))
        was = work.clock
        work.clock = round(min(clock.max, max(clock.min, was - judged)), 6)
        change = round(was - work.clock, 6)  # as it moved, within min..max
        work.assessments.append(Assessment(work.turn, work.risk, factors, work.clock, change))
        _say_clock(work, change)
    else:
        work.assessments.append(Assessment(work.turn, work.risk, factors, work.clock, 0.0))
        if scenario.risk.visible:
            # the next setting within the game (0: none before it ends)
            upcoming = next((t for t in range(work.turn + 1, scenario.turns + 1) if clock_set_on(scenario, t)), 0)
            key = "risk_between" if upcoming else "risk_only"
            work.say(events.RiskMeasured(work.risk, upcoming),
                     phrase(key, scenario.languages, risk=f"{work.risk:.1f}", turn=upcoming))
    if clock.midnight_ends and work.clock <= 0:
        finish_game(work, Termination.MIDNIGHT)
        return
    for condition in scenario.end:
        if work.evaluate(condition.when, where=f"end.{condition.id}"):
            if condition.text.values:
                work.say(events.Narration("end"), condition.text)
            finish_game(work, Termination.CONDITION, condition.id, condition.catastrophe)
            return
    _end_of_turn(work)


def _end_of_turn(work: Work) -> None:
    """The last turn ends the game (in the day after, its last turn: in catastrophe); any other
    turn leads to the next."""
    used = work.nuclear_use
    if used is not None:
        aftermath = work.scenario.aftermath
        assert aftermath is not None  # a game goes on after nuclear use only in an aftermath
        last = min(work.scenario.turns, used.turn + aftermath.turns)
        if work.turn >= last:
            finish_game(work, Termination.NUCLEAR_USE, used.cause)
            return
        left = last - work.turn
        if work.turn > used.turn:  # on the turn of use, AftermathBegan has said how many
            key = "aftermath_turn" if left > 1 else "aftermath_turn_last"
            work.say(events.AftermathTurn(left), phrase(key, work.scenario.languages, left=left))
    elif work.turn >= work.scenario.turns:
        finish_game(work, Termination.LAST_TURN)
        return
    begin_turn(work, work.turn + 1)


def use_nuclear_weapons(work: Work, cause: str | None) -> None:
    """Nuclear weapons are used (`cause`: an accident's id; None: a crisis at the top of its
    ladder). It is midnight. The game ends in catastrophe, unless the scenario has an aftermath
    and this is the first use with a turn left to play: then the day after begins."""
    work.clock = 0.0
    scenario = work.scenario
    aftermath = scenario.aftermath
    if aftermath is None or work.nuclear_use is not None or work.turn >= scenario.turns:
        finish_game(work, Termination.NUCLEAR_USE, cause)
        return
    work.nuclear_use = NuclearUse(work.turn, cause)
    turns = min(scenario.turns, work.turn + aftermath.turns) - work.turn
    if aftermath.text.values:
        work.say(events.Narration("end"), aftermath.text)
    key = "aftermath_began" if turns > 1 else "aftermath_began_last"
    work.say(events.AftermathBegan(cause, turns), phrase(key, scenario.languages, turns=turns))
    apply_effects(work, aftermath.effects, where="aftermath.effects")


def _nuclear_accident(work: Work, factors: dict[str, float]) -> bool:
    """Draw for each way nuclear weapons may be used unchosen (scenario `accidents`, in order);
    the first that fires is nuclear use (use_nuclear_weapons). Only a positive chance is drawn
    for, so a scenario whose accidents cannot happen uses its generator as one without them."""
    for accident in work.scenario.accidents:
        where = f"accidents.{accident.id}.chance"
        chance = round(min(1.0, max(0.0, float(work.evaluate(accident.chance, where=where)))), 6)
        if chance <= 0 or work.draw() >= chance:
            continue
        was = work.clock
        work.assessments.append(Assessment(work.turn, work.risk, factors, 0.0, was))  # nuclear use is midnight
        work.say(events.NuclearAccident(accident.id, chance), accident.text if accident.text.values else accident.label)
        use_nuclear_weapons(work, accident.id)
        return True
    return False


def _say_clock(work: Work, change: float) -> None:
    """The clock's setting in the log: each turn, how far it moved; once a period, a judgement
    that names the period's largest risk factors, as the Bulletin's statement does."""
    scenario = work.scenario
    languages = scenario.languages
    d = f"{abs(change):.1f}"
    moved = (phrase("clock_closer", languages, d=d) if round(change, 1) > 0
             else phrase("clock_back", languages, d=d) if round(change, 1) < 0
             else phrase("clock_unmoved", languages))
    reading = f"{work.clock:.1f}"
    if scenario.clock.every == 1 and scenario.clock.month is None:
        work.say(events.ClockMoved(work.clock, change), new_phrase("clock", languages, clock=reading, change=moved))
        return
    record = period_factors(work)
    cited = sorted((f for f in record if record[f] > 0), key=lambda f: (-record[f], f))[: scenario.clock.reasons]
    if not cited:
        work.say(events.ClockMoved(work.clock, change), new_phrase("clock_set", languages, clock=reading, change=moved))
        return
    labels = {factor.id: factor.label for factor in scenario.risk.factors}
    separator = phrase("list_separator", languages)
    reasons = Text({
        language: separator.get(language).join(labels[f].get(language) for f in cited)
        for language in dict.fromkeys(("en", *languages))
    })
    work.say(events.ClockMoved(work.clock, change, tuple(cited)),
             new_phrase("clock_set_reasons", languages, clock=reading, change=moved, reasons=reasons))


def begin_turn(work: Work, turn: int) -> None:
    """The world phase: scripted, conditional and random events fire, in scenario order."""
    work.turn = turn
    work.crisis_risk = 0.0
    work.talk_round = 0
    opening, possible = _turn_plan(work, turn)
    work.say(events.TurnBegan(), opening)
    for event, when, when_where, chance, chance_where in possible:
        if event.once and event.id in work.fired_events:
            continue
        if when is not None and not _value(work, when, event.when, when_where):
            continue
        if chance is not None:
            if work.draw() >= _value(work, chance, event.chance, chance_where):
                continue
        fire_event(work, event)


def _turn_plan(work: Work, turn: int) -> tuple:
    """A turn's opening line and the events that may fire on it (with their condition and chance
    compiled, EvaluationContext.bound, and where those are), in scenario order: they follow from
    the scenario alone, so are worked out once per turn."""
    plan = work.memo.turns.get(turn)
    if plan is None:
        opening = phrase("turn_start", work.scenario.languages, turn=turn, date=work.game.date_of(turn))
        bound = work.memo.context.bound
        possible = tuple(
            (event, None if event.when is None else bound(work, event.when, None, None), f"events.{event.id}.when",
             None if event.chance is None else bound(work, event.chance, None, None), f"events.{event.id}.chance")
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
    languages = work.scenario.languages
    how_text: Text | str | None
    if how is Termination.NUCLEAR_USE and condition is not None:  # an accident: say which
        accident = next(a for a in work.scenario.accidents if a.id == condition)
        how_text = phrase("nuclear_use_by", languages, cause=accident.label)
    else:
        key = how.value if how is not Termination.CONDITION else None
        how_text = phrase(key, languages) if key else condition
    work.say(events.GameOver(how.value, condition), phrase("game_over", work.scenario.languages, how=how_text))
