"""A replayed record as the debrief's facts: series, turning points, talks, crises, decisions, scores.

Everything comes from the engine's views for one seat (`Game.view`): the facilitator's view holds
everything, an actor's only what the engine lets that actor see. The record's inputs and reasons
are used for the facilitator, and for a seat only its own (the engine's log tells it what it saw of
the others' moves). Nothing here strips a secret: what a view does not hold is never looked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from debrief.words import word
from engine import FACILITATOR, Game, GameState
from engine.play.records import Record
from engine.rules import citations
from engine.rules import events as ev
from engine.rules.judgement import last_setting, mean_factors
from engine.rules.state import Assessment, LogEntry
from engine.scenario.models import Source

TURNING_POINTS = 4  # the turns a discussion should start from: more would bury them
LINES_PER_POINT = 14


@dataclass(frozen=True)
class TurnFigures:
    """The clock and risk at the end of a turn (risk None where the scenario hides it from the seat)."""

    turn: int
    date: str
    clock: float
    clock_change: float
    risk: float | None
    factors: Mapping[str, float]


@dataclass(frozen=True)
class TrackSeries:
    """One headline reading over the turns: (turn, value) with turn 0 the start."""

    track: str
    name: str  # the reading's expression name: `tension.us.russia`
    label: str  # the track's label, in the report's language
    who: str  # whose it is: an actor, a pair, or "" for a global track
    colour: str | None
    values: tuple[tuple[int, float], ...]
    source: str | None  # the scenario source id the track cites


@dataclass(frozen=True)
class FactorChange:
    factor: str
    label: str
    before: float | None
    after: float

    @property
    def change(self) -> float:
        return self.after - (self.before or 0.0)


@dataclass(frozen=True)
class TurningPoint:
    turn: int
    date: str
    clock_before: float
    clock_after: float
    risk_before: float | None
    risk_after: float | None
    factors: tuple[FactorChange, ...]  # the contributions that changed most, largest change first
    # the turn's moves, events, deals, breaches and crises as the log tells them, each with the
    # scenario source its move or event cites (or None)
    happened: tuple[tuple[str, str | None], ...]
    ended: str | None = None  # how the game ended on this turn, when it did
    largest: tuple[FactorChange, ...] = ()  # the largest contributions that turn: what set the clock's move
    # When the clock is a judgement set once a period (`clock.every`/`clock.month`), the turn that
    # set it explains the whole period: its first turn, and `largest`/`factors` are the period's
    # mean contributions (the reasons the setting named first) and their change from the period before.
    judged_from: int | None = None

    @property
    def clock_moved(self) -> float:
        """Seconds toward midnight (negative: back), as far as the clock really went."""
        return self.clock_before - self.clock_after


@dataclass
class ProposalStory:
    id: int
    turn: int
    template: str
    lines: list[str] = field(default_factory=list)
    signed: bool = False
    counter_to: int | None = None


@dataclass(frozen=True)
class AgreementStory:
    template: str
    label: str
    parties: tuple[str, ...]
    signed_turn: int
    ended_turn: int | None
    how: str  # in_force, collapsed, expired
    source: str | None


@dataclass(frozen=True)
class BreachStory:
    turn: int
    actor: str
    template: str
    label: str
    detected: bool
    text: str


@dataclass
class CrisisRound:
    number: int
    choices: dict[str, str]
    rung: int | None = None  # where the round left the crisis
    said: str = ""


@dataclass
class CrisisStory:
    turn: int
    participants: list[str]
    start_rung: int
    causes: list[str] = field(default_factory=list)
    rounds: list[CrisisRound] = field(default_factory=list)
    peak: int = 0
    end_rung: int | None = None
    end_turn: int | None = None


@dataclass
class SeatTurn:
    """What a seat did on a turn: its talks, moves and crisis choices in words, and its reasons."""

    turn: int
    talks: list[str] = field(default_factory=list)
    moves: list[tuple[str, str | None]] = field(default_factory=list)  # (label, the source the move cites)
    crisis: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class SeatStory:
    seat: str
    name: str
    colour: str
    player: str | None  # who played it (from the record), where the reader may know
    full: bool  # its inputs and reasons are in the report; else only what the reader saw of its moves
    turns: list[SeatTurn] = field(default_factory=list)


@dataclass(frozen=True)
class Score:
    seat: str
    name: str
    score: float


@dataclass
class Debrief:
    """Everything the report shows, for one reader (`seat`) in one language."""

    language: str
    seat: str
    title: str
    summary: str
    scenario_id: str
    scenario_version: str
    seed: int
    played: str
    record_name: str
    branched_from: tuple[str, int] | None
    turns: int
    final_turn: int
    clock_start: float
    clock_rule: str
    risk_start: float | None
    risk_visible: bool
    factor_labels: dict[str, str]
    figures: list[TurnFigures]
    headlines: list[TrackSeries]
    points: list[TurningPoint]
    proposals: list[ProposalStory]
    agreements: list[AgreementStory]
    breaches: list[BreachStory]
    crises: list[CrisisStory]
    rungs: list[tuple[str, float]]  # the ladder: (label, risk) per rung; the last is nuclear use
    seats: list[SeatStory]
    outcome_text: str
    catastrophe: bool
    over: bool
    clock_final: float
    scores: list[Score]
    shared: float | None
    sources: list[Source]  # the scenario's sources cited in this report, in the order [1], [2] …
    cited: dict[str, int]  # source id -> its number
    names: dict[str, str]  # actor id -> name
    template_labels: dict[str, str]  # agreement template id -> label
    what_if: list[Any] = field(default_factory=list)  # debrief.whatif.WhatIfRow, with --what-if (the facilitator's)

    def cite(self, source_id: str | None) -> int | None:
        return self.cited.get(source_id) if source_id else None


# -- building --------------------------------------------------------------------------------------


def build(game: Game, record: Record, states: tuple[GameState, ...], *, seat: str = FACILITATOR,
          language: str = "en", record_name: str = "") -> Debrief:
    """The debrief of a replayed record (`states`: the start and the state after each recorded turn)
    as `seat` may see it (raises IllegalInput for an unknown seat, from the engine)."""
    final_view = game.view(states[-1], seat)
    start_view = game.view(states[0], seat)
    steps = _walk(game, record)
    templates: dict[int, str] = {}  # proposal id -> template, for the proposals the seat's views showed
    counters: dict[int, int] = {}  # a counter-proposal's id -> the proposal it answers
    for before, _ in steps:
        for proposal in game.view(before, seat).proposals:
            templates.setdefault(proposal.id, proposal.template)
            if proposal.counter_to is not None:
                counters[proposal.id] = proposal.counter_to
    names = {a.id: a.name.get(language) for a in game.scenario.actors}
    factor_labels = {f.id: f.label.get(language) for f in game.scenario.risk.factors}
    risk_visible = final_view.risk is not None
    figures = [
        TurnFigures(a.turn, game.date_of(a.turn), a.clock, a.clock_change, a.risk, dict(a.factors))
        for a in final_view.assessments
    ]
    log = final_view.log
    cited: dict[str, int] = {}

    def cite(source_id: str | None) -> None:
        if source_id and source_id not in cited and any(s.id == source_id for s in game.scenario.sources):
            cited[source_id] = len(cited) + 1

    headlines = _headlines(game, record, states, seat, language)
    for series in headlines:
        cite(series.source)
    agreements = _agreements(game, log, final_view.agreements, language)
    for agreement in agreements:
        cite(agreement.source)
    outcome = final_view.outcome
    scores: list[Score] = []
    if outcome is not None:
        scores = [Score(a, names.get(a, a), s) for a, s in outcome.scores.items()]
        if not outcome.catastrophe:
            scores.sort(key=lambda s: -s.score)
    crises = _crises(log, language)
    breaches = _breaches(game, log, language)
    points = _turning_points(game, final_view.assessments, log, start_view.risk, language, outcome)
    seats = _seats(game, record, steps, final_view.log, templates, seat, language)
    for point in points:  # then the events and moves the report names, in order
        for _, source in point.happened:
            cite(source)
    for story in seats:
        for row in story.turns:
            for _, source in row.moves:
                cite(source)
    return Debrief(
        language=language,
        seat=seat,
        title=game.scenario.title.get(language),
        summary=game.scenario.summary.get(language),
        scenario_id=game.scenario.id,
        scenario_version=game.scenario.version,
        seed=record.seed,
        played=record.played,
        record_name=record_name,
        branched_from=_branched_from(record),
        turns=game.scenario.turns,
        final_turn=states[-1].turn,
        clock_start=float(game.scenario.clock.start),
        clock_rule=game.scenario.clock.change.source,
        risk_start=start_view.risk,
        risk_visible=risk_visible,
        factor_labels=factor_labels,
        figures=figures,
        headlines=headlines,
        points=points,
        proposals=_proposals(log, templates, counters, language),
        agreements=agreements,
        breaches=breaches,
        crises=crises,
        rungs=[(r.label.get(language), r.risk) for r in game.scenario.crisis.rungs],
        seats=seats,
        outcome_text=_outcome_text(game, outcome, language),
        catastrophe=bool(outcome and outcome.catastrophe),
        over=outcome is not None,
        clock_final=final_view.clock,
        scores=scores,
        shared=outcome.shared if outcome is not None else None,
        sources=sorted((s for s in game.scenario.sources if s.id in cited), key=lambda s: cited[s.id]),
        cited=cited,
        names=names,
        template_labels={t.id: t.label.get(language) for t in game.scenario.agreements},
    )


def questions(debrief: Debrief) -> list[str]:
    """Questions to open the discussion with, drawn from what this game did."""
    lang = debrief.language
    out = [word("q_turning", lang, turn=p.turn) for p in debrief.points if p.ended is None and p.clock_moved > 0][:2]
    hidden = next((b for b in debrief.breaches if not b.detected), None)
    if hidden is not None:
        out.append(word("q_breach", lang, who=debrief.names.get(hidden.actor, hidden.actor), what=hidden.label,
                        turn=hidden.turn))
    if debrief.crises:
        worst = max(debrief.crises, key=lambda c: (c.peak, -c.turn))
        out.append(word("q_crisis", lang, turn=worst.turn, rung=debrief.rungs[worst.peak][0]))
    signed = {a.template for a in debrief.agreements}
    refused: dict[str, int] = {}
    for p in debrief.proposals:
        if p.template and p.template not in signed and p.counter_to is None:
            refused[p.template] = refused.get(p.template, 0) + 1
    if refused:
        template, count = max(refused.items(), key=lambda kv: (kv[1], kv[0]))
        if count >= 2:
            out.append(word("q_refused", lang, what=debrief.template_labels.get(template, template), n=count))
    return out


def _branched_from(record: Record) -> tuple[str, int] | None:
    origin: Any = getattr(record, "branched_from", None)  # records of branches (engine/play/branch.py)
    if origin is None:
        return None
    return str(origin.record), int(origin.turn)


def _how(game: Game, outcome, language: str) -> str:
    """How the game ended, in words; nuclear use by accident names its cause (the scenario's label)."""
    accident = next((a for a in game.scenario.accidents if a.id == outcome.condition), None)
    if outcome.termination.value == "nuclear_use" and accident is not None:
        return word("how_nuclear_use_by", language, cause=accident.label.get(language))
    return word(f"how_{outcome.termination.value}", language, condition=outcome.condition or "")


def _outcome_text(game: Game, outcome, language: str) -> str:
    if outcome is None:
        return ""
    how = _how(game, outcome, language)
    return word("ended", language, turn=outcome.turn, date=game.date_of(outcome.turn), how=how)


def _who(game: Game, reading, language: str) -> str:
    names = [game.actor(a).name.get(language) for a in (reading.actor, reading.other) if a]
    return " – ".join(names)


def _headlines(game: Game, record: Record, states: tuple[GameState, ...], seat: str, language: str) -> list[TrackSeries]:
    """Each headline track the seat may see, read off its view of every state (turn 0: the start)."""
    headline = {t.id: t for t in game.scenario.tracks if t.headline}
    turn_of = [0, *(t.turn for t in record.turns)]
    values: dict[str, list[tuple[int, float]]] = {}
    readings: dict[str, Any] = {}
    for index, state in enumerate(states):
        for reading in game.view(state, seat).tracks:
            if reading.track in headline:
                values.setdefault(reading.name, []).append((turn_of[index], reading.value))
                readings.setdefault(reading.name, reading)
    series = []
    for name, points in values.items():
        reading = readings[name]
        track = headline[reading.track]
        colour = game.actor(reading.actor).colour if reading.actor and not reading.other else None
        series.append(TrackSeries(reading.track, name, track.label.get(language), _who(game, reading, language),
                                  colour, tuple(points), track.source))
    order = list(headline)
    series.sort(key=lambda s: order.index(s.track))
    return series


_TOLD = (ev.MovePlayed, ev.AgreementSigned, ev.AgreementEnded, ev.BreachFound, ev.CrisisStarted, ev.CrisisRungReached,
         ev.CrisisEnded, ev.NuclearAccident, ev.AftermathBegan, ev.GameOver, ev.TrackAdjusted)


def _told(entry: LogEntry) -> bool:
    event = entry.event
    if isinstance(event, ev.EventFired):
        return not event.hint
    return isinstance(event, _TOLD)


def _turning_points(game: Game, assessments: tuple[Assessment, ...], log: tuple[LogEntry, ...],
                    risk_start: float | None, language: str, outcome) -> list[TurningPoint]:
    """The turns where the clock or the risk moved most (up to TURNING_POINTS), and the turn a game
    ended in catastrophe without an assessment (nuclear use), each with what caused it."""
    clock_before = {a.turn: c for a, c in zip(assessments, [float(game.scenario.clock.start),
                                                            *(a.clock for a in assessments)], strict=False)}
    previous = {a.turn: p for a, p in zip(assessments, [None, *assessments], strict=False)}

    def clock_moved(a: Assessment) -> float:
        return abs(clock_before[a.turn] - a.clock)

    def risk_moved(a: Assessment) -> float:
        if a.risk is None:
            return 0.0
        before = previous[a.turn]
        was = before.risk if before is not None else risk_start
        return abs(a.risk - (was if was is not None else a.risk))

    chosen: list[int] = []
    by_clock = sorted((a for a in assessments if clock_moved(a) >= 0.05), key=lambda a: (-clock_moved(a), a.turn))
    by_risk = sorted((a for a in assessments if risk_moved(a) >= 0.05), key=lambda a: (-risk_moved(a), a.turn))
    for a in [x for pair in zip(by_clock, by_risk, strict=False) for x in pair] + by_clock + by_risk:
        if a.turn not in chosen and len(chosen) < TURNING_POINTS:
            chosen.append(a.turn)
    points = []
    by_turn = {a.turn: a for a in assessments}
    settings = {e.turn: e.event.reasons for e in log if isinstance(e.event, ev.ClockMoved) and e.event.reasons}
    for turn in sorted(chosen):
        a = by_turn[turn]
        before = previous[turn]
        risk_before = before.risk if before is not None else risk_start
        reasons = settings.get(turn)
        if reasons is None:
            first, now, was = turn, a.factors, before.factors if before is not None else None
        else:  # a judgement of the period: its means, against the period judged before it
            first = last_setting(game.scenario, turn) + 1
            now = _means(assessments, first, turn)
            was = _means(assessments, last_setting(game.scenario, first - 1) + 1, first - 1) if first > 1 else None
        changes = [FactorChange(f, game_label(game, f, language), was.get(f) if was else None, v) for f, v in now.items()]
        largest = sorted((c for c in changes if abs(c.after) >= 0.05), key=lambda c: (-abs(c.after), c.factor))[:4]
        if reasons is not None:  # the setting's own reasons, in its order, before any other contribution
            named = [c for f in reasons for c in changes if c.factor == f]
            largest = named + [c for c in largest if c.factor not in reasons][:max(0, 4 - len(named))]
        changes = [c for c in changes if abs(c.change) >= 0.05 and c.before is not None]
        changes.sort(key=lambda c: (-abs(c.change), c.factor))
        points.append(TurningPoint(turn, game.date_of(turn), clock_before[turn], a.clock, risk_before, a.risk,
                                   tuple(changes[:5]), _happened(game, log, range(first, turn + 1), language),
                                   largest=tuple(largest), judged_from=first if reasons is not None else None))
    if outcome is not None and outcome.catastrophe and outcome.turn not in by_turn:
        last = assessments[-1] if assessments else None
        clock = last.clock if last is not None else float(game.scenario.clock.start)
        how = _how(game, outcome, language)
        points.append(TurningPoint(outcome.turn, game.date_of(outcome.turn), clock, clock,
                                   last.risk if last is not None else risk_start, None, (),
                                   _happened(game, log, (outcome.turn,), language), ended=how))
    return points


def game_label(game: Game, factor: str, language: str) -> str:
    return next((f.label.get(language) for f in game.scenario.risk.factors if f.id == factor), factor)


def source_of(game: Game, entry: LogEntry) -> str | None:
    """The scenario source a log line's move, event or signed agreement cites, if any."""
    return citations.source_of(game, entry.event)


def _means(assessments: tuple[Assessment, ...], first: int, last: int) -> dict[str, float]:
    """Each risk factor's mean over turns `first`..`last`: the record a clock setting judges."""
    return mean_factors([a.factors for a in assessments if first <= a.turn <= last])


def _happened(game: Game, log: tuple[LogEntry, ...], turns: Iterable[int], language: str) -> tuple[tuple[str, str | None], ...]:
    """What the log told of `turns` (one turn, or the period a clock setting judged)."""
    wanted = set(turns)
    entries = [e for e in log if e.turn in wanted and _told(e)]
    # the world's events, deals, breaches and crises first, then the seats' moves (the longest
    # part), each group in the order it happened
    entries.sort(key=lambda e: isinstance(e.event, ev.MovePlayed))
    told = [(e.text.get(language), source_of(game, e)) for e in entries]
    if len(told) > LINES_PER_POINT:
        more = len(told) - LINES_PER_POINT + 1
        told = told[:LINES_PER_POINT - 1] + [(f"… (+{more})", None)]
    return tuple(told)


def _proposals(log: tuple[LogEntry, ...], templates: Mapping[int, str], counters: Mapping[int, int],
               language: str) -> list[ProposalStory]:
    """Every proposal the reader was told of, with the sentences that followed it. A signing is
    told right after the last acceptance of the proposal it signs (engine.rules.talks)."""
    stories: dict[int, ProposalStory] = {}
    last: ProposalStory | None = None
    for entry in log:
        event = entry.event
        if isinstance(event, ev.TalksNews):
            story = stories.get(event.proposal)
            if story is None:
                story = stories[event.proposal] = ProposalStory(event.proposal, entry.turn, templates.get(event.proposal, ""),
                                                               counter_to=counters.get(event.proposal))
            story.lines.append(entry.text.get(language))
            last = story
        elif isinstance(event, ev.AgreementSigned):
            if last is not None and last.template == event.template and last.turn == entry.turn:
                last.signed = True
            last = None
        elif not isinstance(event, ev.Narration):
            last = None
    return sorted(stories.values(), key=lambda s: s.id)


def _agreements(game: Game, log: tuple[LogEntry, ...], in_force, language: str) -> list[AgreementStory]:
    open_: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    done: list[AgreementStory] = []

    def story(template: str, parties: tuple[str, ...], signed: int, ended: int | None, how: str) -> AgreementStory:
        t = game.templates.get(template)
        label = t.label.get(language) if t is not None else template
        return AgreementStory(template, label, parties, signed, ended, how, t.source if t is not None else None)

    for entry in log:
        event = entry.event
        if isinstance(event, ev.AgreementSigned):
            open_.setdefault(event.template, []).append((entry.turn, event.parties))
        elif isinstance(event, ev.AgreementEnded) and open_.get(event.template):
            signed, parties = open_[event.template].pop(0)
            done.append(story(event.template, parties, signed, entry.turn, "collapsed" if event.collapsed else "expired"))
    for agreement in in_force:
        done.append(story(agreement.template, agreement.parties, agreement.signed_turn, None, "in_force"))
    done.sort(key=lambda a: (a.signed_turn, a.template))
    return done


def _breaches(game: Game, log: tuple[LogEntry, ...], language: str) -> list[BreachStory]:
    out = []
    for entry in log:
        event = entry.event
        if isinstance(event, ev.BreachFound):
            t = game.templates.get(event.template)
            label = t.label.get(language) if t is not None else event.template
            out.append(BreachStory(entry.turn, event.actor, event.template, label, event.detected, entry.text.get(language)))
    return out


def _crises(log: tuple[LogEntry, ...], language: str) -> list[CrisisStory]:
    """The crises the reader saw, in order: who, why, each round's choices and where it left the ladder."""
    crises: list[CrisisStory] = []
    current: CrisisStory | None = None
    said: list[str] = []  # narration lines since the last crisis event: a cause, or a round's result
    standing = 0  # the rung the crisis stands at
    after_round = False  # the previous crisis event was a round's choices
    for entry in log:
        event = entry.event
        was_after_round, after_round = after_round, isinstance(event, ev.CrisisRoundPlayed)
        if isinstance(event, ev.Narration):
            after_round = was_after_round
        if isinstance(event, ev.TurnBegan):
            said = []
        elif isinstance(event, ev.Narration) and event.kind == "crisis":
            said.append(entry.text.get(language))
        elif isinstance(event, ev.CrisisStarted):
            standing = event.rung if current is None or current.end_turn is not None else max(standing, event.rung)
            if current is None or current.end_rung is not None or current.end_turn is not None:
                current = CrisisStory(entry.turn, list(event.participants), event.rung, causes=list(said), peak=event.rung)
                crises.append(current)
            else:  # drawn into the crisis running
                current.participants.extend(p for p in event.participants if p not in current.participants)
                current.causes.extend(said)
                current.peak = max(current.peak, event.rung)
            said = []
        elif current is None:
            continue
        elif isinstance(event, ev.CrisisRoundPlayed):
            # where the round left the crisis: where it stood, unless a new rung is told right after
            current.rounds.append(CrisisRound(event.round, dict(event.choices), rung=standing, said=" ".join(said)))
            said = []
        elif isinstance(event, ev.CrisisRungReached):
            standing = event.rung
            if current.rounds and was_after_round:
                current.rounds[-1].rung = event.rung
            current.peak = max(current.peak, event.rung)
        elif isinstance(event, ev.CrisisEnded):
            current.end_rung, current.end_turn = event.rung, entry.turn
            if current.rounds and current.rounds[-1].rung is None:
                current.rounds[-1].rung = event.rung
        elif isinstance(event, ev.GameOver) and current.end_turn is None:
            current.end_turn = entry.turn
    for crisis in crises:
        if crisis.rounds and crisis.rounds[-1].said == "" and said and crisis is crises[-1]:
            crisis.rounds[-1].said = " ".join(said)
    return crises


# -- decisions -------------------------------------------------------------------------------------


def _walk(game: Game, record: Record) -> list[tuple[GameState, Mapping[str, Any]]]:
    """Each recorded input (with its `why`, and `turn` added) and the state it was given to. The
    record was replayed and verified before: every input applies."""
    steps: list[tuple[GameState, Mapping[str, Any]]] = []
    state = game.start(record.seed)
    for turn in record.turns:
        for entry in turn.inputs:
            steps.append((state, {**entry, "turn": turn.turn}))
            state, _ = game.apply(state, {k: v for k, v in entry.items() if k != "why"})
    return steps


def _seats(game: Game, record: Record, steps: list[tuple[GameState, Mapping[str, Any]]], log: tuple[LogEntry, ...],
           templates: Mapping[int, str], seat: str, language: str) -> list[SeatStory]:
    """Each seat's turns: the facilitator reads every input and reason; a seat its own, and of the
    others only the moves and crisis choices its view's log tells it."""
    stories = {a: SeatStory(a, game.actor(a).name.get(language), game.actor(a).colour,
                            record.seats.get(a) if seat in (FACILITATOR, a) else None,
                            full=seat in (FACILITATOR, a))
               for a in game.seats}
    rows: dict[tuple[str, int], SeatTurn] = {}

    def row(actor: str, turn: int) -> SeatTurn:
        key = (actor, turn)
        if key not in rows:
            rows[key] = SeatTurn(turn)
            stories[actor].turns.append(rows[key])
        return rows[key]

    for before, entry in steps:
        actor = entry.get("seat")
        if not isinstance(actor, str) or actor not in stories or not stories[actor].full:
            continue
        target = row(actor, entry["turn"])
        crisis_round = before.crisis.round if before.crisis is not None else 1
        _describe(game, entry, templates, crisis_round, language, target)
        why = entry.get("why")
        if isinstance(why, str) and why and why not in target.reasons:
            target.reasons.append(why)
    # the others' moves and crisis choices, as the reader's view told them
    for line in log:
        event = line.event
        if isinstance(event, ev.MovePlayed) and event.actor in stories and not stories[event.actor].full:
            move = game.moves.get(event.move)
            row(event.actor, line.turn).moves.append((move.label.get(language), move.source) if move else (event.move, None))
        elif isinstance(event, ev.CrisisRoundPlayed):
            for actor, choice in event.choices.items():
                if actor in stories and not stories[actor].full:
                    row(actor, line.turn).crisis.append(f"{word('round', language, n=event.round)}: {word(choice, language)}")
    for story in stories.values():
        story.turns.sort(key=lambda r: r.turn)
    return [stories[a] for a in game.seats]


def _describe(game: Game, value: Mapping[str, Any], proposals: Mapping[int, str], crisis_round: int, language: str,
              target: SeatTurn) -> None:
    kind = value.get("kind")
    if kind == "propose":
        offers = value.get("offers") or []
        for offer in offers:
            template = game.templates.get(offer.get("template"))
            what = template.label.get(language) if template else str(offer.get("template"))
            params = offer.get("params") or {}
            if params:
                what += " (" + ", ".join(f"{k} {v:g}" for k, v in params.items()) + ")"
            whom = ", ".join(game.actor(p).name.get(language) for p in offer.get("parties", [])
                             if p in game.actors and p != value.get("seat"))
            target.talks.append(word("proposes", language, what=what, whom=whom))
        if not offers:
            target.talks.append(word("no_offer", language))
    elif kind == "respond":
        for reply in value.get("replies") or []:
            template = game.templates.get(proposals.get(reply.get("proposal"), ""))
            what = template.label.get(language) if template else ""
            params = reply.get("params") or {}
            if params:
                what += " (" + ", ".join(f"{k} {v:g}" for k, v in params.items()) + ")"
            target.talks.append(word("answers", language, answer=word(str(reply.get("answer")), language),
                                     id=reply.get("proposal"), what=what).strip())
    elif kind == "decide":
        moves = value.get("moves") or []
        for move_id in moves:
            move = game.moves.get(move_id)
            label = move.label.get(language) if move else str(move_id)
            if move is not None and move.secret:
                label += f" ({word('secret', language)})"
            target.moves.append((label, move.source if move is not None else None))
        if not moves:
            target.moves.append((word("no_moves", language), None))
    elif kind == "crisis":
        target.crisis.append(f"{word('round', language, n=crisis_round)}: {word(str(value.get('choice')), language)}")
