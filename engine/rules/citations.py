"""Citations: which of a scenario's sources a log line or a piece of content cites.

A scenario lists its sources once (`sources:`); tracks, moves, agreements and events name one by
id. Every front end (the terminal's log and sources screen, the debrief) asks here, so a figure is
cited the same way wherever players read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.rules import events as ev
from engine.scenario.text import Text

if TYPE_CHECKING:
    from engine.rules.game import Game
    from engine.scenario.models import Scenario

__all__ = ["cited_by", "source_number", "source_of"]


def source_of(game: Game, event: object) -> str | None:
    """The source a log line's event, move or signed agreement cites, if any."""
    if isinstance(event, ev.EventFired) and event.event in game.events:
        return game.events[event.event].source
    if isinstance(event, ev.MovePlayed) and event.move in game.moves:
        return game.moves[event.move].source
    if isinstance(event, ev.AgreementSigned) and event.template in game.templates:
        return game.templates[event.template].source
    return None


def source_number(scenario: Scenario, source: str | None) -> int | None:
    """A source's number as players see it, [1] for the scenario's first source; None if unknown."""
    return next((i for i, s in enumerate(scenario.sources, 1) if s.id == source), None) if source else None


def cited_by(scenario: Scenario) -> dict[str, list[Text]]:
    """Each source's id -> the labels of the tracks, moves, agreements and events that cite it."""
    cited: dict[str, list[Text]] = {s.id: [] for s in scenario.sources}
    labelled: list[tuple[str | None, Text]] = [(track.source, track.label) for track in scenario.tracks]
    names = {actor.id: actor.name for actor in scenario.actors}
    labelled += [(source, _of(track.label, names[actor])) for track in scenario.tracks
                 for actor, source in track.sources.items() if actor in names]
    labelled += [(move.source, move.label) for move in scenario.moves]
    labelled += [(template.source, template.label) for template in scenario.agreements]
    labelled += [(event.source, event.title) for event in scenario.events]
    for source, label in labelled:
        if source in cited:
            cited[source].append(label)
    return cited


def _of(label: Text, actor: Text) -> Text:
    """"Warheads assigned to ICBMs (China)": a track's label for one actor's figure."""
    languages = dict.fromkeys([*label.values, *actor.values])
    return Text({language: f"{label.get(language)}（{actor.get(language)}）" if language == "zh"
                 else f"{label.get(language)} ({actor.get(language)})" for language in languages})
