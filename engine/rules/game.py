"""The Game: one loaded scenario, the factory of its states, and the only way to change them.

    game = Game(scenario)
    state = game.start(seed=7)
    game.awaiting(state)                  # seats that must act now
    game.options(state, "us")             # what "us" may do, and why not
    state, events = game.apply(state, {"seat": "us", "kind": "decide", "moves": [...]})
    game.view(state, "us")                # what "us" may see

`apply` is pure: it returns a new state and the log entries the input caused, or raises an
InvalidInput / IllegalInput and the old state stands.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from operator import is_

from engine.errors import IllegalInput
from engine.rules import assessment, events, talks
from engine.rules.inputs import Adjust, EndGame, FacilitatorInput, Inject, Input, parse_input
from engine.rules.memo import GameMemo, remember
from engine.rules.options import (
    FacilitatorOptions,
    SeatOptions,
    any_template_available,
    facilitator_options,
    spectator_options,
)
from engine.rules.phases import PHASES, seat_options
from engine.rules.phrases import phrase
from engine.rules.state import FACILITATOR, SPECTATOR, GameState, LogEntry, Phase, Termination
from engine.rules.views import check_seat, seat_view
from engine.rules.work import Work, evolve_state
from engine.scenario.describe import describe_effects
from engine.scenario.loading import (
    builtin_scenario_ids,
    load_scenario_text,
    read_bytes_limited,
    resolve_scenario,
    scenario_content_hash,
)
from engine.scenario.models import Actor, AgreementTemplate, Event, Move, Scenario, Scope
from engine.scenario.names import TrackLayout
from engine.scenario.text import Text


class Game:
    """A scenario made ready to play: lookups, the track layout and the rules' entry points."""

    def __init__(self, scenario: Scenario, content_hash: str = "", source: str | None = None) -> None:
        self.scenario = scenario
        self.content_hash = content_hash
        self.source = source  # the scenario file's path, when it is not a built-in scenario
        self.layout = TrackLayout(scenario)
        self.actors: dict[str, Actor] = {a.id: a for a in scenario.actors}
        self.moves: dict[str, Move] = {m.id: m for m in scenario.moves}
        self.templates: dict[str, AgreementTemplate] = {t.id: t for t in scenario.agreements}
        self.events: dict[str, Event] = {e.id: e for e in scenario.events}
        self.memo = GameMemo(self)  # every cache of this game (see engine.rules.memo)
        self._last_required: tuple | None = None  # see _required

    @classmethod
    def load(cls, ref: str) -> Game:
        """A Game from a built-in scenario id or a scenario file path (raises ScenarioError)."""
        path = resolve_scenario(ref)
        raw = read_bytes_limited(path)
        scenario = load_scenario_text(raw, filename=str(path))
        source = None if ref in builtin_scenario_ids() else str(path.resolve())
        return cls(scenario, scenario_content_hash(raw), source)

    # -- lookups ----------------------------------------------------------------------------
    def actor(self, actor_id: str) -> Actor:
        return self.actors[actor_id]

    def template(self, template_id: str) -> AgreementTemplate:
        return self.templates[template_id]

    @property
    def seats(self) -> tuple[str, ...]:
        return self.layout.actor_ids

    def date_of(self, turn: int) -> str:
        """The in-game date a turn starts on (ISO), from the start date and turn length; days
        past the 28th become the 28th, which every month has. Memoised: every view asks."""
        dates = self.memo.dates
        date = dates.get(turn)
        if date is None:
            start = datetime.date.fromisoformat(self.scenario.start_date)
            months = start.month - 1 + (turn - 1) * self.scenario.turn_months
            year, month = start.year + months // 12, months % 12 + 1
            date = datetime.date(year, month, min(start.day, 28)).isoformat()
            remember(dates, turn, date)
        return date

    def effects_text(self, move: Move) -> Text:
        """What a move does, in words, in each of the scenario's languages (cached)."""
        cache = self.memo.effects_text
        if move.id not in cache:
            cache[move.id] = describe_effects(self.scenario, move.effects)
        return cache[move.id]

    # -- the game's flow ----------------------------------------------------------------------
    def start(self, seed: int) -> GameState:
        """A new game at its first turn, after the first world phase."""
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise IllegalInput("the seed must be a whole number, 0 or more")
        initial = self._initial_tracks()
        state = GameState(
            seed=seed,
            turn=0,
            phase=Phase.PROPOSE,
            tracks=initial,
            active=frozenset(a.id for a in self.scenario.actors if a.active),
            clock=float(self.scenario.clock.start),
            risk=0.0,
            step=-1,
        )
        work = Work(self, state)
        work.risk = assessment.measure_risk(work)[0]
        assessment.begin_turn(work, 1)
        self._settle(work)
        return work.freeze()

    def _initial_tracks(self) -> tuple[float, ...]:
        values = []
        for track_id, a, b in self.layout.keys:
            track = self.layout.tracks[track_id]
            initial = track.initial
            if isinstance(initial, Mapping):
                key = a if track.scope is Scope.ACTOR else f"{a}/{b}"
                if key:
                    alt = f"{b}/{a}" if track.scope is Scope.PAIR else key
                    value = initial.get(key, initial.get(alt, track.default))
                else:
                    value = track.default
            else:
                value = initial
            values.append(float(min(track.max, max(track.min, value))))
        return tuple(values)

    def awaiting(self, state: GameState) -> frozenset[str]:
        """The seats that must still submit an input before the game can go on."""
        last = self.memo.last_asked  # as _asked, without its call when the answer is kept
        return last[2] if last is not None and last[0] is state else self._asked(state)[1]

    def _asked(self, state: GameState) -> tuple[tuple[str, ...], frozenset[str]]:
        """Whom the state's phase needs an input from (in seat order), and who has yet to give
        it. The play loop, views, options and apply ask this of one state many times in a row:
        the answer for the last state asked is kept (states are immutable)."""
        last = self.memo.last_asked
        if last is None or last[0] is not state:
            required = self._required(state)
            last = self.memo.last_asked = (state, required, frozenset([s for s in required if s not in state.submissions]))
        return last[1], last[2]

    def _required(self, work: Work | GameState) -> tuple[str, ...]:
        """The seats the current phase needs an input from (a Work or a GameState will do)."""
        rule = PHASES.get(work.phase)
        if rule is None:
            return ()
        if type(work) is not GameState:  # a Work's lists change in place: no memo
            return rule.required(self, work, [a for a in self.layout.actor_ids if a in work.active])
        # It follows from the phase, the turn, who is at the table, the proposals and the crisis
        # (the phase rules read nothing else). Each submission makes a new state with the very
        # same values (immutable), so the last answer is kept and found by identity.
        reads = (work.phase, work.turn, work.active, work.proposals, work.crisis)
        last = self._last_required
        if last is not None and all(map(is_, last[0], reads)):
            return last[1]
        required = rule.required(self, work, [a for a in self.layout.actor_ids if a in work.active])
        self._last_required = (reads, required)
        return required

    def may_propose(self, work: Work | GameState, seat: str) -> bool:
        """Whether `seat` has any agreement it may propose this turn."""
        # It depends on the turn (its agenda) and who is at the table only: memoised on those.
        key = (work.turn, frozenset(work.active), seat)
        result = self.memo.may_propose.get(key)
        if result is None:
            result = any(
                talks.template_problem(self, work.turn, work.active, seat, t) is None for t in self.scenario.agreements
            )
            remember(self.memo.may_propose, key, result)
        return result

    def apply(self, state: GameState, value: Mapping | Input) -> tuple[GameState, tuple[LogEntry, ...]]:
        """Apply one input. Returns the new state and the log entries it caused."""
        value = parse_input(value)
        if state.outcome is not None:
            raise IllegalInput("the game is over")
        if isinstance(value, Inject | Adjust | EndGame):
            work = Work(self, state)
            self._facilitate(work, value)
            self._settle(work)
            return work.freeze(), tuple(work.new_log)
        required, awaiting = self._asked(state)
        if len(awaiting) > 1:  # others must still act (the check makes sure the seat is one of them)
            self._check_submission(self._reader(state), value, required)
            # Nothing runs, only the submission is kept (most inputs).
            return _with_submission(state, value), ()
        # The input the phase waits for last: checked on the transition's own Work before it
        # changes (a Work to read from would be one more copy of the state).
        work = Work(self, state)
        self._check_submission(work, value, required)
        work.submissions[value.seat] = value
        self._settle(work, required)
        return work.freeze(), tuple(work.new_log)

    def _reader(self, state: GameState) -> Work:
        """A Work of `state` to read from, never to change: options and input checks about one
        state share it."""
        last = self.memo.reader
        if last is None or last[0] is not state:
            last = self.memo.reader = (state, Work(self, state))
        return last[1]

    def _check_submission(self, work: Work, value: Input, required: tuple[str, ...]) -> None:
        seat = value.seat
        if seat not in self.actors:
            raise IllegalInput(f"no seat '{seat}' (seats: {', '.join(self.seats)})")
        rule = PHASES.get(work.phase)
        if rule is None or not isinstance(value, rule.input_type):
            raise IllegalInput(f"it is the {work.phase.value} phase; a '{value.kind}' input does not fit")
        if seat not in required:
            raise IllegalInput(f"{seat} has nothing to do in the {work.phase.value} phase")
        if seat in work.submissions:
            raise IllegalInput(f"{seat} has already submitted for this phase")
        rule.check(work, value)

    def _facilitate(self, work: Work, value: FacilitatorInput) -> None:
        if value.seat != FACILITATOR:
            raise IllegalInput("only the facilitator may inject events, adjust tracks or end the game")
        if isinstance(value, EndGame):
            # An exercise ends when its time is up: scored as it stands, the reason in the log.
            work.say(events.Narration("end"), phrase("facilitator_ends", self.scenario.languages,
                                                     reason=value.reason or phrase("no_reason", self.scenario.languages)))
            assessment.finish_game(work, Termination.ENDED)
            return
        if isinstance(value, Inject):
            event = self.events.get(value.event)
            if event is None:
                raise IllegalInput(f"no event '{value.event}'")
            assessment.fire_event(work, event)
            return
        track = self.layout.tracks.get(value.track)
        if track is None:
            raise IllegalInput(f"no track '{value.track}'")
        try:
            slot = self.layout.slot(value.track, value.actor, value.other)
        except KeyError:
            raise IllegalInput(f"track '{value.track}' has no entry for {value.actor}/{value.other}") from None
        work.set_track(slot, value.value)
        text = phrase("adjusted", self.scenario.languages, track=self.layout.label(slot),
                      value=f"{work.tracks[slot]:g}", reason=value.reason or "-")
        work.say(events.TrackAdjusted(self.layout.label(slot), work.tracks[slot], value.reason or ""), text)

    def _settle(self, work: Work, required: tuple[str, ...] | None = None) -> None:
        """Run the automatic steps until some seat must act or the game is over. `required` may
        be passed when the caller knows who the current phase needs (a submission changes that
        only by completing the phase)."""
        while work.outcome is None:
            if required is None:
                required = self._required(work)
            if required and any([s not in work.submissions for s in required]):  # a list: no generator
                return
            PHASES[work.phase].complete(work)
            required = None

    # -- what seats may do and see -----------------------------------------------------------
    def options(self, state: GameState, seat: str, lean: bool = False) -> SeatOptions | FacilitatorOptions:
        """What `seat` may do now: an actor's choices; the facilitator's events and tracks
        (`FacilitatorOptions`); nothing for the spectator. Raises IllegalInput for an unknown seat.

        `lean` options (what bots ask for) leave out what only people read: a template option's
        `acceptable` words are None (its terms are the same) and a move option's `breaches` are
        empty. Everything else is equal."""
        check_seat(self, seat)
        if seat == FACILITATOR:
            return facilitator_options(self, state)
        if seat == SPECTATOR:
            return spectator_options(state)
        return seat_options(self, self._reader(state), seat, seat in self.awaiting(state), lean)

    def may_propose_now(self, state: GameState, seat: str) -> bool:
        """Whether any of `seat`'s template options is available (what `options` would say),
        found without building its options: a bot that will not propose asks only this."""
        return any_template_available(self, self._reader(state), seat)

    def view(self, state: GameState, seat: str, lean: bool = False):
        """What `seat` may see (SPECTATOR: the public view). Raises IllegalInput for an unknown seat.
        A `lean` view (what bots ask for) holds the same readings, each made when first read."""
        return seat_view(self, state, seat, lean)


def _with_submission(state: GameState, value: Input) -> GameState:
    """`state` one step on, holding `value` as its seat's submission: what a transition that
    completes nothing comes to (a Work would give an equal state, at more cost)."""
    return evolve_state(state, step=state.step + 1, submissions={**state.submissions, value.seat: value})
