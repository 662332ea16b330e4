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

_TWO_TO_53 = float(1 << 53)
_EIGHT_WORDS = struct.Struct(">8Q")  # a 64-byte digest as eight big-endian 64-bit words
_BOT_HASH = hashlib.blake2b(digest_size=64, person=b"midnight-bot")  # copied, never updated


@attrs.frozen
class BotContext:
    """What a bot may use to decide: the seat's view and options, and its own dice.

    `chance(n)` is the bot's n-th draw for this decision, fixed by the game's seed, the step
    and the seat, so a bot game replays identically.
    """

    game: Game
    view: SeatView
    options: SeatOptions
    seed: int
    step: int

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

