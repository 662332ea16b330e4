"""Midnight rules engine: scenarios, state, transitions, records. Knows nothing of any UI.

The public API, used by every front end (the TUI, bots, scripts, a future server):

    from engine import load_game
    game = load_game("trilateral-2026")        # a built-in id or a scenario file
    state = game.start(seed=7)
    state, events = game.apply(state, {"seat": "us", "kind": "decide", "moves": []})
"""

from engine.errors import IllegalInput, InvalidInput, MidnightError, RecordError, ScenarioRuntimeError  # noqa: E402
from engine.rules.game import Game  # noqa: E402
from engine.rules.state import FACILITATOR, SPECTATOR, GameState, Outcome, Phase, Termination  # noqa: E402
from engine.version import __version__  # noqa: E402


def load_game(ref: str) -> Game:
    """A Game from a built-in scenario id or a scenario file path (raises ScenarioError)."""
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
