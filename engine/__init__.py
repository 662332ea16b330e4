"""Midnight rules engine: scenarios, state, transitions, records. Knows nothing of any UI.

The public API, used by every front end (the TUI, bots, scripts, a future server):

    from engine import load_game
    game = load_game("trilateral-2026")        # a built-in id or a scenario file
    state = game.start(seed=7)
    state, events = game.apply(state, {"seat": "us", "kind": "decide", "moves": []})
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.errors import IllegalInput, InvalidInput, MidnightError, RecordError, ScenarioRuntimeError
from engine.version import __version__

if TYPE_CHECKING:
    from engine.rules.game import Game
    from engine.rules.state import FACILITATOR, SPECTATOR, GameState, Outcome, Phase, Termination

# The rules are imported on first use (PEP 562), not with the package: `engine.errors` is imported
# by every command at start-up, and the rules are a third of the time to a first screen.
_LAZY = {
    "Game": "engine.rules.game",
    **dict.fromkeys(("FACILITATOR", "SPECTATOR", "GameState", "Outcome", "Phase", "Termination"),
                    "engine.rules.state"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # once imported, an ordinary attribute
        return value
    raise AttributeError(f"module 'engine' has no attribute {name!r}")


def load_game(ref: str) -> Game:
    """A Game from a built-in scenario id or a scenario file path (raises ScenarioError)."""
    from engine.rules.game import Game

    return Game.load(ref)


__all__ = [
    "FACILITATOR",
    "Game",
    "GameState",
    "IllegalInput",
    "InvalidInput",
    "MidnightError",
    "Outcome",
    "Phase",
    "RecordError",
    "SPECTATOR",
    "ScenarioRuntimeError",
    "Termination",
    "__version__",
    "load_game",
]
