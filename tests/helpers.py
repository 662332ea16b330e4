"""Shared helpers for engine tests: load fixtures, drive phases by hand."""

from __future__ import annotations

import html
import re
from pathlib import Path

from engine import Game
from engine.rules.state import GameState, Phase
from engine.scenario.loading import load_scenario_text, scenario_content_hash

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "rules.yaml"


def rules_game(patch: dict[str, str] | None = None) -> Game:
    """The rules fixture, optionally with text replacements (old -> new) applied first."""
    text = RULES.read_text(encoding="utf-8")
    for old, new in (patch or {}).items():
        assert old in text, f"patch target not in fixture: {old!r}"
        text = text.replace(old, new)
    raw = text.encode()
    return Game(load_scenario_text(raw, filename="rules.yaml"), scenario_content_hash(raw))


def propose(seat: str, *offers: dict) -> dict:
    return {"seat": seat, "kind": "propose", "offers": list(offers)}


def offer(template: str, parties: list[str], **params: float) -> dict:
    return {"template": template, "parties": parties, "params": params}


def respond(seat: str, **answers: str) -> dict:
    """respond("blue", p1="accept") answers proposal 1."""
    replies = [{"proposal": int(key[1:]), "answer": value} for key, value in answers.items()]
    return {"seat": seat, "kind": "respond", "replies": replies}


def decide(seat: str, *moves: str) -> dict:
    return {"seat": seat, "kind": "decide", "moves": list(moves)}


def crisis(seat: str, choice: str) -> dict:
    return {"seat": seat, "kind": "crisis", "choice": choice}


def apply_all(game: Game, state: GameState, *inputs: dict) -> GameState:
    for value in inputs:
        state, _ = game.apply(state, value)
    return state


def skip_talks(game: Game, state: GameState) -> GameState:
    """Everyone proposes nothing: straight to the decisions."""
    while state.phase in (Phase.PROPOSE, Phase.RESPOND):
        for seat in sorted(game.awaiting(state)):
            value = propose(seat) if state.phase is Phase.PROPOSE else respond(seat)
            state, _ = game.apply(state, value)
    return state


def track(game: Game, state: GameState, name: str) -> float:
    parts = name.split(".")
    return state.tracks[game.layout.slot(parts[0], *(parts[1:] + [None, None])[:2])]


def drawn_lines(app) -> list[str]:
    """The screen as drawn, line by line: the text of the app's SVG screenshot (what a terminal
    shows, clipped as it is clipped), without the SVG's window title."""
    svg = app.export_screenshot()
    lines: dict[int, list[str]] = {}
    for match in re.finditer(r'<text[^>]*clip-path="url\(#[^)]*-line-(\d+)\)"[^>]*>(.*?)</text>', svg, re.S):
        lines.setdefault(int(match.group(1)), []).append(match.group(2))
    return [html.unescape("".join(lines[k])).replace("\xa0", " ") for k in sorted(lines)]
