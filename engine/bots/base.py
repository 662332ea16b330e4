"""The bot interface and the persona registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import attrs

from engine.options import SeatOptions
from engine.views import SeatView
from engine.work import uniform


@attrs.frozen
class BotContext:
    """What a bot may use to decide: the seat's view and options, and its own dice.

    `chance(n)` is the bot's n-th draw for this decision, fixed by the game's seed, the step
    and the seat, so a bot game replays identically.
    """

    game: object
    view: SeatView
    options: SeatOptions
    seed: int
    step: int

    def chance(self, n: int = 0) -> float:
        salt = sum(ord(c) * 131**i for i, c in enumerate(self.view.seat)) % 1_000_003
        return uniform(self.seed, self.step, 1_000_000 + salt * 1000 + n)


class Bot(Protocol):
    """A bot answers with a plain input dict (like any other front end), and a reason."""

    name: str

    def act(self, context: BotContext) -> tuple[dict, str]: ...


_PERSONAS: dict[str, Callable[[dict], Bot]] = {}


def register_persona(name: str, factory: Callable[[dict], Bot]) -> None:
    _PERSONAS[name] = factory


def persona_names() -> list[str]:
    _load_builtin()
    return sorted(_PERSONAS)


def bot_for(persona: str, weights: dict | None = None) -> Bot:
    """A bot of the named persona, tuned by `weights` (from the scenario's actor config)."""
    _load_builtin()
    if persona not in _PERSONAS:
        from difflib import get_close_matches

        close = get_close_matches(persona, sorted(_PERSONAS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"no bot persona '{persona}'{hint}; personas: {', '.join(sorted(_PERSONAS))}")
    return _PERSONAS[persona](dict(weights or {}))


def _load_builtin() -> None:
    from engine.bots import personas  # noqa: F401  (registers the built-in personas)
