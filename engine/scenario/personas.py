"""The bot personas as the scenario format knows them: each built-in persona's row of numbers,
the drives every persona reads, and the check of a scenario's `bot:` blocks against them.

The personas' behaviour lives in `engine.bots`; what a scenario may name and tune is data, so
that the loader can check a `bot:` block without knowing how a bot plays.
"""

from __future__ import annotations

# Numbers that are not tag weights, with their defaults.
DRIVES = {"noise": 0.0, "propose": 0.0, "accept": 0.0, "escalate": 0.0, "back_down": 0.0, "retaliate": 0.0,
          "reward": 0.0, "forgive": 0.0, "parity": 0.0, "caution": 0.0,
          "danger_line": 0.6, "bind": 0.3, "threshold": 0.2, "counter": 0.2, "brink": 1.0, "max_proposals": 1.0,
          # the day after nuclear use (a scenario's aftermath): how strongly war termination comes first
          "terminate": 0.0}

PERSONAS: dict[str, dict[str, float]] = {
    "random": {"noise": 1.0, "propose": 0.5, "accept": 0.5, "escalate": 0.33, "back_down": 0.33},
    "hawk": {"buildup": 1.0, "escalatory": 0.8, "test": 0.6, "defence": 0.7, "survivability": 0.2,
             "restraint": -0.8, "transparency": -0.4, "noise": 0.3,
             "propose": 0.15, "accept": 0.2, "counter": 0.5, "bind": 0.8,
             "escalate": 0.5, "back_down": 0.05, "brink": 0.6, "caution": 0.2, "danger_line": 0.9, "terminate": 0.25},
    "dove": {"restraint": 1.0, "transparency": 0.8, "survivability": 0.3, "buildup": -0.8,
             "escalatory": -1.0, "test": -1.0, "defence": -0.3, "noise": 0.3,
             "propose": 0.9, "accept": 0.9, "counter": 0.3, "bind": 0.0, "max_proposals": 2,
             "escalate": 0.0, "back_down": 0.75, "caution": 0.5, "danger_line": 0.4, "terminate": 1.0},
    "cautious": {"survivability": 0.8, "transparency": 0.6, "restraint": 0.5, "escalatory": -1.0,
                 "test": -0.6, "buildup": -0.1, "defence": 0.1, "noise": 0.25,
                 "propose": 0.6, "accept": 0.75, "counter": 0.4, "bind": 0.1,
                 "escalate": 0.0, "back_down": 0.6, "caution": 1.5, "danger_line": 0.35, "terminate": 1.0},
    "parity-seeker": {"buildup": 0.3, "survivability": 0.5, "defence": 0.2, "restraint": -0.2,
                      "transparency": -0.1, "noise": 0.25, "parity": 1.2,
                      "propose": 0.3, "accept": 0.45, "counter": 0.5, "bind": 0.5,
                      "escalate": 0.15, "back_down": 0.25, "caution": 0.3, "danger_line": 0.75, "terminate": 0.5},
    "reciprocator": {"survivability": 0.4, "transparency": 0.4, "restraint": 0.3, "buildup": -0.2,
                     "test": -0.3, "escalatory": -0.5, "noise": 0.25,
                     "propose": 0.6, "accept": 0.7, "counter": 0.4, "bind": 0.2,
                     "escalate": 0.1, "back_down": 0.3, "caution": 0.4, "danger_line": 0.7,
                     "retaliate": 1.4, "reward": 0.8, "forgive": 0.2, "terminate": 0.7},
}

# Personas registered at run time (engine.bots.register_persona) besides the built-in ones.
_REGISTERED: set[str] = set()


def declare_persona(name: str) -> None:
    """Let scenarios name a persona registered at run time."""
    _REGISTERED.add(name)


def persona_names() -> list[str]:
    """Every persona a scenario's `bot.persona` may name, sorted."""
    return sorted(set(PERSONAS) | _REGISTERED)


def bot_config_problems(scenario) -> list[tuple[str, str]]:
    """Mistakes in a scenario's `bot:` blocks, as (path, message): an unknown persona, a weight
    that is neither a persona number nor a move tag the scenario uses, a `parity.`/`redline.`
    entry naming no track. For the loader's semantic checks."""
    from difflib import get_close_matches

    numbers = set(DRIVES) | {k for row in PERSONAS.values() for k in row}
    tags = {tag for move in scenario.moves for tag in move.tags}
    tracks = {t.id for t in scenario.tracks}
    actor_tracks = {t.id for t in scenario.tracks if t.scope.value == "actor"}
    personas = persona_names()
    problems = []
    for i, actor in enumerate(scenario.actors):
        at = f"actors[{i}].bot"
        if actor.bot.persona not in personas:
            close = get_close_matches(actor.bot.persona, personas, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append((f"{at}.persona", f"no bot persona '{actor.bot.persona}'{hint}; personas: {', '.join(personas)}"))
        for key in actor.bot.weights:
            if key.startswith("parity."):
                if key[7:] not in actor_tracks:
                    problems.append((f"{at}.weights.{key}", f"'{key[7:]}' is not an actor track"))
            elif key.startswith("redline."):
                if key[8:].split(".")[0] not in tracks:
                    problems.append((f"{at}.weights.{key}", f"'{key[8:]}' names no track"))
            elif key not in numbers and key not in tags:
                close = get_close_matches(key, sorted(numbers | tags), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append((f"{at}.weights.{key}", f"'{key}' is neither a bot number nor a move tag of this scenario{hint}"))
    return problems
