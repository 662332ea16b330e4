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
from engine.play.records import Record, Recorder, clean_stale_temps, write_record
from engine.rules.game import Game
from engine.rules.inputs import input_to_dict, parse_input
from engine.rules.state import FACILITATOR, SPECTATOR, GameState, Phase

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
            self.recorder = Recorder(game, seed, self.seats)
        else:
            self.seed = recorder.seed
            self.recorder = recorder
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

    def _apply(self, value: Mapping, reason: str) -> None:
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
        if seat == FACILITATOR:
            return "Facilitator"
        return self.game.actor(seat).name.get(self.language)

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
