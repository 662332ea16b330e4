"""A game at a table: who plays each seat, the bots and their reasons (and who may read them), the
record and saves. Shared by the terminal UI and, later, the networked table; no front end here."""

from __future__ import annotations

import datetime
import os
import random
from collections.abc import Mapping
from pathlib import Path

import attrs

from engine.errors import MidnightError, RecordError
from engine.play.loop import BotController, PlayedInput, default_controller
from engine.play.records import Record, RecordedTurn, Recorder, clean_stale_temps, dump_record, write_atomic, write_record
from engine.rules.game import Game
from engine.rules.inputs import Input, input_to_dict, parse_input
from engine.rules.phrases import PHRASES, render
from engine.rules.state import FACILITATOR, SPECTATOR, GameState, Phase
from engine.scenario.text import Text

HUMAN = "human"
BOT = "bot"  # the scenario's own bot for that actor


def midnight_home() -> Path:
    """Where saves and autosaves live: $MIDNIGHT_HOME, else ~/.local/share/midnight."""
    env = os.environ.get("MIDNIGHT_HOME")
    return Path(env).expanduser() if env else Path.home() / ".local" / "share" / "midnight"


def parse_seats(text: str | None, seats: tuple[str, ...]) -> dict[str, str]:
    """`us=human,russia=dove` -> who plays each seat; unnamed seats: the first human, the rest bots."""
    chosen: dict[str, str] = {}
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        seat, _, who = part.partition("=")
        seat, who = seat.strip(), (who.strip() or HUMAN)
        if seat not in seats:
            raise ValueError(f"no seat '{seat}' (seats: {', '.join(seats)})")
        chosen[seat] = who
    if not chosen and seats:
        chosen[seats[0]] = HUMAN
    return {seat: chosen.get(seat, BOT) for seat in seats}


def resume_seats(game: Game, recorded: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Who plays each seat of a resumed game, from the labels a record gives (`human`, `bot`, a
    persona, `bot:hawk` as `midnight run` writes, `script+bot:hawk`, `agent:COMMAND`), and
    notices for the seats that change hands. Raises RecordError for a label that fits nothing."""
    from engine.bots import persona_names

    personas = set(persona_names())
    seats: dict[str, str] = {}
    notices: list[str] = []
    for seat, label in recorded.items():
        if seat not in game.seats:
            raise RecordError(f"the save has a seat '{_short(seat)}' this scenario does not have "
                              f"(seats: {', '.join(game.seats)})")
        if not isinstance(label, str):
            raise RecordError(f"seat {seat}: the save says it was played by {_short(label)}, which is not a player")
        who = label
        if who.startswith("script+"):
            who = who[len("script+"):]
            notices.append(f"{seat} was partly scripted; its bot plays it now.")
        if who in (HUMAN, BOT, "default", ""):
            seats[seat] = who if who == HUMAN else BOT
        elif who.startswith("agent:"):
            seats[seat] = BOT
            notices.append(f"{seat} was played by an agent ({_short(who[6:])}); the scenario's bot plays it now.")
        else:
            persona = who[4:] if who.startswith("bot:") else who
            if persona not in personas:
                raise RecordError(f"seat {seat}: the save says it was played by {_short(label)!r}, not a player this "
                                  f"engine knows (human, or a bot: {', '.join(sorted(personas))}); start a new game")
            # The scenario's own bot keeps its weights; another persona plays with its defaults.
            seats[seat] = BOT if persona == game.actor(seat).bot.persona else persona
    for seat in game.seats:
        seats.setdefault(seat, BOT)
    return seats, notices


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


@attrs.frozen
class Note:
    """A bot's reason for what it played, released to the log once the phase it answered is over."""

    turn: int
    seat: str
    text: str
    audience: tuple[str, ...]  # empty: everyone
    key: tuple

    def visible_to(self, seat: str) -> bool:
        return not self.audience or seat == FACILITATOR or seat in self.audience


@attrs.frozen
class TurnReport:
    """A finished turn, for the resolution screen: the state before its decisions and after."""

    turn: int
    before: GameState
    after: GameState


def phase_key(state: GameState) -> tuple:
    """Identifies the round of simultaneous submissions a state is in."""
    crisis_round = state.crisis.round if state.crisis is not None else 0
    return (state.turn, state.phase, state.talk_round, crisis_round)


class Session:
    """One game: the engine's Game and state, who plays each seat, its record and save file."""

    def __init__(
        self,
        game: Game,
        seed: int | None = None,
        seats: Mapping[str, str] | None = None,
        language: str = "en",
        save_path: Path | None = None,
        *,
        recorder: Recorder | None = None,
        state: GameState | None = None,
    ) -> None:
        self.game = game
        self.language = language
        if seed is None:
            seed = random.SystemRandom().randrange(1_000_000)
        self.seats = dict(seats) if seats else parse_seats("", game.seats)
        for seat in game.seats:
            self.seats.setdefault(seat, BOT)
        if recorder is None:
            self.seed = seed
            self.state = game.start(seed)
            self.recorder = Recorder(game, seed, self.seats, language)
        else:
            self.seed = recorder.seed
            self.recorder = recorder
            recorder.language = language  # the language it is played in now
            self.state = state if state is not None else game.start(recorder.seed)
        self.controllers = {
            seat: self._controller(seat, who) for seat, who in self.seats.items() if who != HUMAN
        }
        if save_path is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            save_path = midnight_home() / "saves" / f"{game.scenario.id}-{stamp}-{self.seed}.yaml"
        self.save_path = Path(save_path)
        self.notes: list[Note] = []
        self.reports: list[TurnReport] = []
        self.turn_start: GameState = self.state
        self.last_error: str | None = None
        self.notices: list[str] = []
        self.resumed_inputs: int | None = None  # inputs the save held, when this game was resumed
        clean_stale_temps(self.save_path.parent)  # what a killed save left behind

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def resume(cls, game: Game, record: Record, path: Path, language: str = "en") -> Session:
        """Carry on a saved game. Everything is checked first (the save is verified as `replay
        --verify` does, and who played each seat must map to a player here): a RecordError names
        the turn and what is wrong, and nothing is written. A seat played by an agent or a
        script goes to the scenario's bot, said in `notices` (and shown once as `last_error`)."""
        seats, notices = resume_seats(game, record.seats)
        recorder, state = Recorder.resume(game, record)
        recorder.seats = dict(seats)
        session = cls(game, record.seed, seats, language, path, recorder=recorder, state=state)
        session.notices = notices
        session.resumed_inputs = session.inputs_played()
        if notices:
            session.last_error = " ".join(notices)
        return session

    def inputs_played(self) -> int:
        return sum(len(t.inputs) for t in self.recorder.turns) + len(self.recorder._inputs)

    def _controller(self, seat: str, who: str):
        if who in (BOT, "default", ""):
            return default_controller(self.game, seat)
        return BotController(who)

    # -- who acts -----------------------------------------------------------------------------
    @property
    def humans(self) -> tuple[str, ...]:
        return tuple(s for s in self.game.seats if self.seats.get(s) == HUMAN)

    @property
    def hot_seat(self) -> bool:
        return len(self.humans) > 1

    def next_human(self) -> str | None:
        """The first human seat, in seat order, that must act now."""
        if self.state.over:
            return None
        awaiting = self.game.awaiting(self.state)
        return next((s for s in self.humans if s in awaiting), None)

    def run_bots(self) -> int:
        """Let bot seats act until a person must act or the game is over. Returns inputs played."""
        count = 0
        while not self.state.over:
            awaiting = self.game.awaiting(self.state)
            bot = next((s for s in self.game.seats if s in awaiting and s in self.controllers), None)
            if bot is None:
                break
            value, reason = self.controllers[bot].act(self.game, self.state, bot)
            self._apply(value, reason)
            count += 1
        return count

    def submit(self, value: Mapping) -> None:
        """A person's input. Raises IllegalInput/InvalidInput (nothing changes) if it is not legal."""
        self._apply(value, "")

    def _apply(self, value: Mapping | Input, reason: str) -> None:
        before = self.state
        typed = parse_input(value)
        after, _ = self.game.apply(before, typed)
        played = PlayedInput(before.turn, before.phase.value, input_to_dict(typed), reason)
        self.recorder.record(before, played, after)
        if reason:
            self.notes.append(Note(before.turn, typed.seat, reason, self._audience(before, typed), phase_key(before)))
        self.state = after
        if before.phase is not Phase.DECIDE and after.phase is Phase.DECIDE:
            self.turn_start = after
        if after.turn != before.turn or after.over:
            start = self.turn_start if self.turn_start.turn == before.turn else before
            self.reports.append(TurnReport(before.turn, start, after))
            self.turn_start = after
            self.autosave()

    def _audience(self, before: GameState, typed) -> tuple[str, ...]:
        """Who may read a bot's reason: it must not tell a secret the engine's views keep."""
        seat = typed.seat
        kind = typed.kind
        if kind == "decide":
            secret = any(self.game.moves[m].secret for m in typed.moves if m in self.game.moves)
            return (seat,) if secret else ()
        if kind == "propose":
            parties = {p for offer in typed.offers for p in offer.parties}
            return tuple(sorted(parties)) if typed.offers else ()
        if kind == "respond":
            asked = {r.proposal for r in typed.replies}
            parties = {p for prop in before.proposals if prop.id in asked for p in prop.parties}
            return tuple(sorted(parties)) if parties else (seat,)
        return ()

    def notes_for(self, seat: str) -> list[Note]:
        """Bots' reasons `seat` may read now: visible to it and from a round that is over."""
        current = phase_key(self.state)
        return [n for n in self.notes if n.visible_to(seat) and (n.key != current or self.state.over)]

    def take_reports(self) -> list[TurnReport]:
        reports, self.reports = self.reports, []
        return reports

    # -- saving -------------------------------------------------------------------------------
    def save(self, path: Path | None = None) -> Path:
        path = Path(path) if path is not None else self.save_path
        path.parent.mkdir(parents=True, exist_ok=True)
        write_record(path, self.recorder.to_record())
        return path

    def autosave(self) -> Path | None:
        try:
            return self.save()
        except (OSError, MidnightError) as error:  # a full disk must not end the game
            self.last_error = f"autosave failed: {error}"
            return None

    # -- names ----------------------------------------------------------------------------------
    def name(self, seat: str) -> str:
        return self._name(seat).get(self.language)

    def _name(self, seat: str) -> Text:
        return FACILITATOR_NAME if seat == FACILITATOR else self.game.actor(seat).name

    def viewer(self) -> str:
        """Whose eyes the shared screens (resolution, crisis log, the table between hand-offs)
        use: the only human's; with none, the facilitator's; with several, the engine's public
        view (SPECTATOR)."""
        humans = self.humans
        if not humans:
            return FACILITATOR
        if len(humans) == 1:
            return humans[0]
        return SPECTATOR

    def view_for(self, viewer: str, state: GameState | None = None):
        """The engine's view for `viewer`: the engine alone decides what a seat, or the public
        (SPECTATOR), may see."""
        return self.game.view(state if state is not None else self.state, viewer)


# -- the networked table: timers, fallbacks, the facilitator's hand, the record kept on disk ---------

TEAM = "team"  # `--seats us=team`: a person (a team) plays the seat, as `human` in local play
NO_MOVE = "no-move"  # a seat's fallback at the deadline: the phase's empty input instead of its bot


def no_move(phase: Phase, seat: str) -> dict | None:
    """The input that does nothing in `phase` (a crisis has none: holding is a choice, so its bot plays)."""
    return {
        Phase.PROPOSE: {"seat": seat, "kind": "propose", "offers": []},
        Phase.RESPOND: {"seat": seat, "kind": "respond", "replies": []},
        Phase.DECIDE: {"seat": seat, "kind": "decide", "moves": []},
    }.get(phase)


@attrs.frozen
class Timer:
    """A phase's countdown as data. Time is an input: the table is given `now` (seconds, from any
    monotonic clock) and decides the deadline; nothing here reads a clock.

    Running: `deadline` is set. Paused or not started: `remaining` holds what is left. No timer at
    all: both None."""

    deadline: float | None = None
    remaining: float | None = None

    @property
    def running(self) -> bool:
        return self.deadline is not None

    def left(self, now: float) -> float | None:
        if self.deadline is not None:
            return max(0.0, self.deadline - now)
        return self.remaining

    def start(self, now: float) -> Timer:
        if self.deadline is not None or self.remaining is None:
            return self
        return Timer(deadline=now + self.remaining)

    def pause(self, now: float) -> Timer:
        if self.deadline is None:
            return self
        return Timer(remaining=max(0.0, self.deadline - now))

    def extend(self, seconds: float, now: float) -> Timer:
        if self.deadline is not None:
            return Timer(deadline=max(self.deadline, now) + seconds)
        return Timer(remaining=max(0.0, (self.remaining or 0.0) + seconds))

    def expired(self, now: float) -> bool:
        return self.deadline is not None and now >= self.deadline


@attrs.frozen
class TableEntry:
    """A line of the table's own log (what the facilitator did, a fallback, a message): for
    everyone (`audience` empty) or for the seats named (the facilitator reads every line)."""

    index: int
    turn: int
    kind: str  # fallback, inject, adjust, undo, handover, message, timer, pause, end
    text: Text  # in every language of the game (a facilitator's message: as typed)
    audience: tuple[str, ...] = ()

    def visible_to(self, seat: str) -> bool:
        return not self.audience or seat == FACILITATOR or seat in self.audience


MAX_MESSAGE = 2_000  # characters in a facilitator's message or reason

FACILITATOR_NAME = Text({"en": "Facilitator", "zh": "导调员"})
NO_REASON = Text(PHRASES["no_reason"])  # the game log's words for it

# What the table itself says (its log, beside the game's), in every language the engine speaks;
# the game's own sentences are in engine/rules/phrases.py. Chinese per docs/glossary.md.
TABLE_PHRASES: dict[str, dict[str, str]] = {
    "reopened": {"en": "The table was reopened from its record ({inputs} inputs).",
                 "zh": "本桌已从记录中恢复（{inputs} 项输入）。"},
    "no_move": {"en": "Time ran out: {name} made no move this phase.", "zh": "时间到：{name} 本阶段未采取行动。"},
    "bot_played": {"en": "Time ran out: {name}'s bot played for it this phase.",
                   "zh": "时间到：本阶段由机器人代 {name} 行动。"},
    "timer_runs": {"en": "The clock runs: {seconds} seconds for this phase.", "zh": "开始计时：本阶段 {seconds} 秒。"},
    "timer_stopped": {"en": "The facilitator stopped the clock.", "zh": "导调员暂停了计时。"},
    "timer_extended": {"en": "The facilitator gave {seconds} more seconds.", "zh": "导调员将时限延长 {seconds} 秒。"},
    "injected": {"en": "The facilitator injected '{event}': {reason}", "zh": "导调员导调“{event}”：{reason}"},
    "undone": {"en": "The facilitator undid the last resolution (back to turn {turn}, {phase}): {reason}",
               "zh": "导调员撤销了上一次结算（回到第 {turn} 回合）：{reason}"},
    "team_again": {"en": "{name} is played by its team again.", "zh": "{name} 重新由本组成员操作。"},
    "bot_now": {"en": "{name} is played by a bot now.", "zh": "{name} 现由机器人操作。"},
    "facilitator_left": {"en": "The facilitator lost the connection: the clock waits.",
                         "zh": "导调员的连接中断：计时暂停，等待其返回。"},
    "facilitator_back": {"en": "The facilitator is back: the clock runs again.", "zh": "导调员已返回：计时继续。"},
    "paused": {"en": "The facilitator paused the game.", "zh": "导调员暂停了游戏。"},
    "goes_on": {"en": "The game goes on.", "zh": "游戏继续。"},
    "ended": {"en": "The facilitator ended the game: {reason}", "zh": "导调员结束了游戏：{reason}"},
}


class Table(Session):
    """A Session with what a facilitated exercise adds: team seats, a phase timer with fallbacks
    at the deadline, the facilitator's actions (inject, adjust, undo, hand a seat over, messages,
    pause, end) and the record written to `record_path` as each input is accepted.

    Pure apart from that record: every method that depends on time takes `now`; the server (or a
    test) supplies it. Errors are MidnightError subclasses with a one-line reason; nothing changes.
    """

    def __init__(
        self,
        game: Game,
        seed: int | None = None,
        seats: Mapping[str, str] | None = None,
        language: str = "en",
        record_path: Path | None = None,
        *,
        phase_seconds: float | Mapping[str, float] | None = None,  # None: the scenario's decisions.phase_seconds
        fallbacks: Mapping[str, str] | None = None,
        recorder: Recorder | None = None,
        state: GameState | None = None,
    ) -> None:
        seats = {s: (HUMAN if w == TEAM else w) for s, w in (seats or {}).items()}
        if not seats:
            seats = {s: HUMAN for s in game.seats}
        super().__init__(game, seed, seats, language, record_path, recorder=recorder, state=state)
        self.record_path = self.save_path if record_path is not None else None
        lengths: Mapping[str, float] = game.scenario.decisions.phase_seconds  # the scenario's, unless given
        if isinstance(phase_seconds, Mapping):
            lengths = phase_seconds
        elif phase_seconds:
            lengths = {p.value: float(phase_seconds) for p in Phase if p is not Phase.OVER}
        self.phase_seconds: dict[str, float] = {k: float(v) for k, v in lengths.items() if v and v > 0}
        self.fallbacks = dict(fallbacks or {})  # seat -> BOT (the default) or NO_MOVE
        self.timer = Timer()
        self.timer_paused = True  # the facilitator starts the clock
        self.paused = False  # the facilitator paused the game: no seat may act
        self.ended: str | None = None  # the facilitator ended the game (the reason)
        self.entries: list[TableEntry] = []
        self._turn_texts: list[tuple[RecordedTurn, str]] = []  # record_text's finished turns
        self.version = 0  # goes up with every change a client should see
        self.run_bots()  # bots answer at once: the teams see who they still wait for
        self._phase = phase_key(self.state)
        self._reset_timer()
        self.persist()

    @classmethod
    def resume_table(cls, game: Game, record: Record, path: Path, language: str = "en", **options) -> Table:
        """Reopen a table from its record (verified as `replay --verify` does): every accepted
        input is back; the timer waits for the facilitator."""
        seats, notices = resume_seats(game, record.seats)
        recorder, state = Recorder.resume(game, record)
        recorder.seats = dict(seats)
        table = cls(game, record.seed, seats, language, path, recorder=recorder, state=state, **options)
        table.notices = notices
        table.resumed_inputs = table.inputs_played()
        table._say("timer", "reopened", inputs=table.resumed_inputs)
        return table

    # -- what the table tells -------------------------------------------------------------------
    def _say(self, kind: str, key: str, audience: tuple[str, ...] = (), **args: object) -> TableEntry:
        """A line of the table's log: the sentence `key` of TABLE_PHRASES, in the game's languages."""
        return self._add(kind, render(TABLE_PHRASES[key], self.game.scenario.languages, **args), audience)

    def _add(self, kind: str, text: Text, audience: tuple[str, ...] = ()) -> TableEntry:
        entry = TableEntry(len(self.entries), self.state.turn, kind, text, audience)
        self.entries.append(entry)
        self.version += 1
        return entry

    def entries_for(self, seat: str, start: int = 0) -> list[TableEntry]:
        return [e for e in self.entries[start:] if e.visible_to(seat)]

    def seconds_left(self, now: float) -> float | None:
        return self.timer.left(now)

    @property
    def open(self) -> bool:
        """Whether seats may act: the game is neither over, ended nor paused."""
        return not (self.state.over or self.ended or self.paused)

    def submitted(self) -> frozenset[str]:
        """Who has submitted in this round (never what: the engine's views keep that)."""
        return frozenset(self.state.submissions)

    # -- seats acting ---------------------------------------------------------------------------
    def act(self, seat: str, value: Mapping, now: float) -> None:
        """A team's input, as the server receives it. Raises IllegalInput/InvalidInput naming why
        it is refused (another seat's, the deadline passed, the game paused or over, or the
        engine's rules); otherwise it is applied, the bots play, and the record is written."""
        from engine.errors import IllegalInput
        from engine.rules.inputs import parse_input

        if seat not in self.game.seats:
            raise IllegalInput(f"{seat} is not a seat that plays")
        typed = parse_input({**value, "seat": value.get("seat", seat)} if isinstance(value, Mapping) else value)
        if typed.seat != seat:
            raise IllegalInput(f"this connection plays {seat}, not {typed.seat}")
        if seat in self.expire(now):
            raise IllegalInput("the deadline has passed: the fallback played for this phase")
        if self.ended:
            raise IllegalInput(f"the facilitator ended the game ({self.ended})")
        if self.state.over:
            raise IllegalInput("the game is over")
        if self.paused:
            raise IllegalInput("the facilitator has paused the game; wait for it to go on")
        if self.seats.get(seat) != HUMAN:
            raise IllegalInput(f"{seat} is played by a bot now; the facilitator may hand it back")
        if typed.kind in ("inject", "adjust", "end"):
            raise IllegalInput("only the facilitator may inject events, adjust tracks or end the game")
        self._apply(typed, "")
        self._after_input(now)

    def expire(self, now: float) -> list[str]:
        """At the deadline, each team seat still missing gets its fallback (its bot, or no move),
        logged as such. Returns the seats that fell back."""
        fallen: list[str] = []
        while self.timer.expired(now) and self.open:
            missing = [s for s in self.humans if s in self.game.awaiting(self.state)]
            if not missing:
                self.timer = Timer()  # nobody left to wait for in this round: the timer stops
                break
            for seat in missing:
                self._fallback(seat)
            fallen += missing
            before = self._phase
            self._after_input(now)
            if self._phase == before:
                self.timer = Timer()
                break
        return fallen

    def _fallback(self, seat: str) -> None:
        value = no_move(self.state.phase, seat) if self.fallbacks.get(seat) == NO_MOVE else None
        name = self._name(seat)
        if value is not None:
            self._apply(value, "")
            self._say("fallback", "no_move", name=name)
            return
        bot = self.controllers.get(seat) or default_controller(self.game, seat)
        played, reason = bot.act(self.game, self.state, seat)
        self._apply(played, reason or "the time ran out")
        self._say("fallback", "bot_played", name=name)

    def _after_input(self, now: float) -> None:
        """After an accepted input: the bots play, a new round gets a fresh timer, the record is written."""
        self.run_bots()
        self.version += 1
        if phase_key(self.state) != self._phase:
            self._phase = phase_key(self.state)
            self._reset_timer(now)
        self.persist()

    def _reset_timer(self, now: float | None = None) -> None:
        length = self.phase_seconds.get(self.state.phase.value)
        if length is None or self.state.over:
            self.timer = Timer()
            return
        self.timer = Timer(remaining=length)
        if not self.timer_paused and not self.paused and now is not None:
            self.timer = self.timer.start(now)

    def persist(self) -> Path | None:
        """Write the record (atomically) when the table has a record path; errors propagate, so
        an input is never acknowledged unwritten."""
        if self.record_path is None:
            return None
        record = self.recorder.to_record()
        if record.scenario.file is not None or not record.turns:
            return self.save(self.record_path)  # the general path (a scenario file's path is rewritten)
        self.record_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.record_path, self.record_text(record))
        return self.record_path

    def record_text(self, record: Record) -> str:
        """`dump_record(record)`, with each finished turn's text dumped once and kept: the record
        is written after every input, and YAML in pure Python would otherwise take longer each turn."""
        head = dump_record(attrs.evolve(record, turns=record.turns[:1]))
        marker = "\nturns:\n"
        parts = [head[: head.index(marker) + len(marker)]]
        cache = self._turn_texts
        for index, turn in enumerate(record.turns):
            if index < len(cache) and cache[index][0] is turn:
                parts.append(cache[index][1])
                continue
            del cache[index:]
            text = dump_record(attrs.evolve(record, turns=(turn,)))
            text = text[text.index(marker) + len(marker):]
            if turn.after is not None:  # a finished turn does not change again (an undo makes new ones)
                cache.append((turn, text))
            parts.append(text)
        return "".join(parts)

    def autosave(self) -> Path | None:
        return None if self.record_path is not None else super().autosave()  # persist() writes it

    # -- the facilitator ---------------------------------------------------------------------------
    def start_timer(self, now: float, seconds: float | None = None) -> None:
        """Run the phase's countdown (with `seconds`, this phase's length first)."""
        if seconds is not None:
            self.timer = Timer(remaining=_positive(seconds, "the timer's length"))
        elif self.timer.remaining is None and self.timer.deadline is None:
            from engine.errors import IllegalInput

            raise IllegalInput("this phase has no length: give the timer's length in seconds")
        self.timer_paused = False
        if not self.paused:
            self.timer = self.timer.start(now)
        self._say("timer", "timer_runs", seconds=f"{self.timer.left(now):.0f}")

    def pause_timer(self, now: float) -> None:
        self.timer_paused = True
        self.timer = self.timer.pause(now)
        self._say("timer", "timer_stopped")

    def extend_timer(self, seconds: float, now: float) -> None:
        self.timer = self.timer.extend(_positive(seconds, "the extension"), now)
        self._say("timer", "timer_extended", seconds=f"{seconds:g}")

    def inject(self, event: str, reason: str, now: float) -> None:
        """Play a scenario event by hand; `reason` goes into the log and the record."""
        self._facilitate({"seat": FACILITATOR, "kind": "inject", "event": event}, reason, now)
        injected = self.game.events.get(event)
        self._say("inject", "injected", event=injected.title if injected else event, reason=_reason(reason))

    def adjust(self, track: str, value: float, reason: str, now: float,
               actor: str | None = None, other: str | None = None) -> None:
        """Set a track slot, with `reason` (required) in the log and the record."""
        from engine.errors import IllegalInput

        if not reason.strip():
            raise IllegalInput("an adjustment needs a reason, for the log")
        data: dict = {"seat": FACILITATOR, "kind": "adjust", "track": track, "value": value, "reason": reason}
        if actor is not None:
            data["actor"] = actor
        if other is not None:
            data["other"] = other
        self._facilitate(data, "", now)

    def _facilitate(self, data: Mapping, reason: str, now: float) -> None:
        from engine.errors import IllegalInput

        if self.ended or self.state.over:
            raise IllegalInput("the game is over")
        if len(reason) > MAX_MESSAGE:
            raise IllegalInput(f"a reason is at most {MAX_MESSAGE} characters")
        self._apply(data, reason, note=False)
        self._after_input(now)

    def undo(self, reason: str, now: float) -> int:
        """Undo the last resolution: the record drops the inputs since the current turn began
        (if there are none yet, the whole previous turn's) and the game is replayed from its seed
        without them. Returns the inputs dropped."""
        from engine.errors import IllegalInput

        if not reason.strip():
            raise IllegalInput("an undo needs a reason, for the log")
        recorder = self.recorder
        entries = [entry for turn in recorder.turns for entry in turn.inputs]
        # Back to the start of the current turn; when only bots have played in it yet (they would
        # play the same again), back to the start of the turn before: its resolution is undone.
        dropped = len(recorder._inputs)
        people = (*self.humans, FACILITATOR)
        if not any(entry.get("seat") in people for entry in recorder._inputs) and recorder.turns:
            dropped += len(recorder.turns[-1].inputs)
        if not dropped:
            raise IllegalInput("nothing has been played yet")
        kept = [*entries, *recorder._inputs][: len(entries) + len(recorder._inputs) - dropped]
        fresh = Recorder(self.game, self.seed, self.seats, self.language)
        state = self.game.start(self.seed)
        for entry in kept:
            value = {k: v for k, v in entry.items() if k != "why"}
            after, _ = self.game.apply(state, value)
            why = entry.get("why", "")
            fresh.record(state, PlayedInput(state.turn, state.phase.value, value, why if isinstance(why, str) else ""), after)
            state = after
        self.recorder, self.state = fresh, state
        self.notes = [n for n in self.notes if n.turn < state.turn]
        self.reports = []
        self.turn_start = state
        self.ended = None
        self._phase = phase_key(state)
        self._reset_timer(now)
        self._say("undo", "undone", turn=state.turn, phase=state.phase.value, reason=_reason(reason))
        # Bots whose inputs were dropped play again (they answer the same state the same way).
        self._after_input(now)
        return dropped

    def hand_over(self, seat: str, to: str, now: float) -> None:
        """Give `seat` to a bot (`bot` or a persona) or back to its team (`team`)."""
        from engine.bots import persona_names
        from engine.errors import IllegalInput

        if seat not in self.game.seats:
            raise IllegalInput(f"no seat '{seat}' (seats: {', '.join(self.game.seats)})")
        if to in (TEAM, HUMAN):
            self.seats[seat] = HUMAN
            self.controllers.pop(seat, None)
            said = "team_again"
        elif to in (BOT, "default") or to in persona_names():
            self.seats[seat] = BOT if to == "default" else to
            self.controllers[seat] = self._controller(seat, to)
            said = "bot_now"
        else:
            raise IllegalInput(f"no player '{to}' (team, bot, or a persona: {', '.join(persona_names())})")
        self.recorder.seats = dict(self.seats)
        self._say("handover", said, name=self._name(seat))
        if self.open:
            self._after_input(now)
        else:
            self.persist()

    def message(self, text: str, to: str | None = None) -> TableEntry:
        """The facilitator's message to one seat (`to`) or to all (None)."""
        from engine.errors import IllegalInput

        text = text.strip()
        if not text or len(text) > MAX_MESSAGE or not all(c.isprintable() or c == "\n" for c in text):
            raise IllegalInput(f"a message is 1 to {MAX_MESSAGE} printable characters")
        if to is not None and to not in self.game.seats:
            raise IllegalInput(f"no seat '{to}' (seats: {', '.join(self.game.seats)})")
        return self._add("message", Text({"en": text}), (to,) if to else ())

    def facilitator_left(self, now: float) -> bool:
        """The facilitator's connection is gone: the clock waits for them (no seat loses time to a
        dropped network). Returns whether a running clock was stopped (to start again on return)."""
        if not self.timer.running:
            return False
        self.timer = self.timer.pause(now)
        self._say("timer", "facilitator_left")
        return True

    def facilitator_back(self, now: float) -> None:
        if not self.timer_paused and not self.paused:
            self.timer = self.timer.start(now)
            self._say("timer", "facilitator_back")

    def pause(self, now: float) -> None:
        """Pause the game: no seat may act and the clock stops until `go_on`."""
        self.paused = True
        self.timer = self.timer.pause(now)
        self._say("pause", "paused")

    def go_on(self, now: float) -> None:
        self.paused = False
        if not self.timer_paused:
            self.timer = self.timer.start(now)
        self._say("pause", "goes_on")

    def end(self, reason: str, now: float = 0.0) -> None:
        """End the exercise here: the engine's `end` input, so the game is over, scored as it
        stands, and the record is a finished game that replays and reports like any other."""
        self._facilitate({"seat": FACILITATOR, "kind": "end", "reason": reason.strip()}, "", now)
        self.ended = reason.strip() or "ended by the facilitator"  # the timer stopped with the game
        self._say("end", "ended", reason=reason.strip() or NO_REASON)

    # -- Session's apply, with the facilitator's reasons kept out of the bots' notes ----------------
    def _apply(self, value: Mapping | Input, reason: str, note: bool = True) -> None:
        if note:
            super()._apply(value, reason)
            return
        notes = len(self.notes)
        super()._apply(value, reason)
        del self.notes[notes:]


def _positive(seconds: object, what: str) -> float:
    from engine.errors import IllegalInput

    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= 86_400:
        raise IllegalInput(f"{what} must be a number of seconds between 0 and 86400")
    return float(seconds)


def _reason(reason: str) -> str | Text:
    return reason.strip() or NO_REASON
