"""Plain-text telling of a game for the terminal: the log turn by turn, and the outcome."""

from __future__ import annotations

from typing import TextIO

from engine.rules.game import Game
from engine.rules.state import FACILITATOR, GameState
from engine.scenario.safe_text import printable

KIND_LABELS = {
    "turn": "", "event": "event", "hint": "hint", "story": "story", "talks": "talks",
    "agreement": "deal", "move": "move", "breach": "breach", "crisis": "crisis", "clock": "clock",
    "actor": "table", "adjudication": "umpire", "end": "end",
}


def print_turn(game: Game, state: GameState, shown: int, language: str, out: TextIO, seat: str = FACILITATOR) -> int:
    """Print the log entries after the first `shown`; returns the new count shown."""
    for entry in state.log[shown:]:
        if not entry.visible_to(seat):
            continue
        text = printable(entry.text.get(language))
        if entry.kind == "turn":
            print(f"\n== {text}", file=out)
            continue
        label = KIND_LABELS.get(entry.kind, entry.kind)
        if entry.kind == "clock" and state.assessments:
            assessment = next((a for a in reversed(state.assessments) if a.turn == entry.turn), None)
            if assessment is not None:
                factors = sorted(assessment.factors.items(), key=lambda kv: -abs(kv[1]))
                top = ", ".join(f"{printable(name)} {value:+.1f}" for name, value in factors[:4] if value)
                text += f" Risk {assessment.risk:.1f}" + (f" ({top})" if top else "") + "."
        print(f"   {label:<7} {text}", file=out)
    return len(state.log)


def print_outcome(game: Game, state: GameState, language: str, out: TextIO) -> None:
    outcome = state.outcome
    if outcome is None:
        print("The game is not over.", file=out)
        return
    verdict = "CATASTROPHE" if outcome.catastrophe else "no catastrophe"
    how = outcome.termination.value
    accident = next((a for a in game.scenario.accidents if a.id == outcome.condition), None)
    if accident is not None:  # nuclear use by accident: its cause
        how += f" ({printable(accident.label.get(language))})"
    print(f"\nOutcome: {how} on turn {outcome.turn} — {verdict}; "
          f"clock {state.clock:.1f} seconds to midnight.", file=out)
    for actor_id, score in outcome.scores.items():
        print(f"   {printable(game.actor(actor_id).name.get(language)):<20} score {score:.1f}", file=out)
