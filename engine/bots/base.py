"""The bot interface and the persona registry."""

from __future__ import annotations

import functools
import hashlib
import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import attrs

from engine.rules.options import SeatOptions
from engine.rules.views import SeatView
from engine.rules.work import uniform
from engine.scenario.personas import declare_persona

if TYPE_CHECKING:
    from engine.rules.game import Game
    from engine.rules.state import GameState

_TWO_TO_53 = float(1 << 53)
_EIGHT_WORDS = struct.Struct(">8Q")  # a 64-byte digest as eight big-endian 64-bit words
_BOT_HASH = hashlib.blake2b(digest_size=64, person=b"midnight-bot")  # copied, never updated


class OptionsOnDemand:
    """A seat's lean options at one state (`Game.options(..., lean=True)`), built only when a bot
    first asks for them. A bot holds this, never the state itself."""

    __slots__ = ("_game", "_state", "_seat")

    def __init__(self, game: Game, state: GameState, seat: str) -> None:
        self._game, self._state, self._seat = game, state, seat

    def options(self) -> SeatOptions:
        options = self._game.options(self._state, self._seat, lean=True)
        assert isinstance(options, SeatOptions)  # bots play actors' seats
        return options

    def may_propose(self) -> bool:
        """Whether any template option is available, found without building the options."""
        return self._game.may_propose_now(self._state, self._seat)


@attrs.frozen
class BotContext:
    """What a bot may use to decide: the seat's view and options, and its own dice.

    `chance(n)` is the bot's n-th draw for this decision, fixed by the game's seed, the step
    and the seat, so a bot game replays identically.

    The options may be given, or left to `ask` (options None): they are then built when first
    read, so a bot that decides from its view alone (a crisis choice, no proposal this turn)
    never has them built.
    """

    game: Game
    view: SeatView
    _options: SeatOptions | None = attrs.field(alias="options")
    seed: int
    step: int
    _ask: OptionsOnDemand | None = attrs.field(default=None, alias="ask", repr=False)

    @property
    def options(self) -> SeatOptions:
        options = self._options
        if options is None:
            assert self._ask is not None, "a BotContext needs its options or where to ask for them"
            options = self._ask.options()
            object.__setattr__(self, "_options", options)  # built once, on first use
        return options

    def may_propose(self) -> bool:
        """Whether any template option is available (without building the options if not yet built)."""
        if self._options is None and self._ask is not None:
            return self._ask.may_propose()
        return any(t.available for t in self.options.templates)

    def chance(self, n: int = 0) -> float:
        return uniform(self.seed, self.step, 1_000_000 + _salt(self.view.seat) * 1000 + n)

    def draws(self, n: int, count: int) -> list[float]:
        """`count` numbers in [0, 1) for this decision, the n-th such series: one hash per eight
        numbers (a bot scoring thirty moves needs thirty draws; hashing each costs more than the
        rest of its decision)."""
        result: list[float] = []
        prefix = f"{self.seed}:{self.step}:{self.view.seat}:{n}:"
        for block in range((count + 7) // 8):
            hasher = _BOT_HASH.copy()  # cheaper than a new hasher with its parameters
            hasher.update(f"{prefix}{block}".encode())
            result += [(word >> 11) / _TWO_TO_53 for word in _EIGHT_WORDS.unpack(hasher.digest())]
        return result[:count] if len(result) != count else result


@functools.lru_cache(maxsize=256)
def _salt(seat: str) -> int:
    """A number per seat, so that two seats deciding at the same step draw differently."""
    return sum(ord(c) * 131**i for i, c in enumerate(seat)) % 1_000_003


class Bot(Protocol):
    """A bot answers with a plain input dict (like any other front end), and a reason."""

    name: str

    def act(self, context: BotContext) -> tuple[dict, str]: ...


_PERSONAS: dict[str, Callable[[dict], Bot]] = {}
_BOTS: dict[tuple, Bot] = {}


def register_persona(name: str, factory: Callable[[dict], Bot]) -> None:
    _PERSONAS[name] = factory
    declare_persona(name)  # so that scenarios may name it in their bot: blocks
    for key in [k for k in _BOTS if k[0] == name]:
        del _BOTS[key]


def persona_names() -> list[str]:
    return sorted(_PERSONAS)


def bot_for(persona: str, weights: dict | None = None) -> Bot:
    """A bot of the named persona, tuned by `weights` (from the scenario's actor config)."""
    key = (persona, tuple(sorted((weights or {}).items())))
    bot = _BOTS.get(key)
    if bot is not None:
        return bot
    if persona not in _PERSONAS:
        from difflib import get_close_matches

        close = get_close_matches(persona, sorted(_PERSONAS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"no bot persona '{persona}'{hint}; personas: {', '.join(sorted(_PERSONAS))}")
    bot = _PERSONAS[persona](dict(weights or {}))
    if len(_BOTS) < 1024:
        _BOTS[key] = bot  # bots hold no state between decisions, so one serves every game
    return bot

