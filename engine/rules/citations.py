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

__all__ = ["cited_by", "cited_content", "cited_figures", "source_number", "source_of"]


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
    for source, label in labelled:
        if source in cited:
            cited[source].append(label)
    for source, labels in cited_content(scenario).items():
        cited[source] += labels
    return cited


def cited_content(scenario: Scenario) -> dict[str, list[Text]]:
    """Each source's id -> the labels of the moves, agreements and events that cite it."""
    cited: dict[str, list[Text]] = {s.id: [] for s in scenario.sources}
    labelled = [(move.source, move.label) for move in scenario.moves]
    labelled += [(template.source, template.label) for template in scenario.agreements]
    labelled += [(event.source, event.title) for event in scenario.events]
    for source, label in labelled:
        if source in cited:
            cited[source].append(label)
    return cited


def cited_figures(game: Game) -> dict[str, list[tuple[Text, float]]]:
    """Each source's id -> the starting figures that cite it, as (the figure's label, its value).

    One figure per global track and per actor of an actor track; an actor's figure cites its own
    source where the track names one (`sources:`), else the track's `source`. Pair tracks (tension
    and the like) are judgements between two states, not figures a source gives: left out. So is
    every figure the room may not see (an owner's or the facilitator's track: what the spectator
    may not see, views decide). Estimated tracks are in: their starting figure is the published
    estimate the source gives; in play, other seats read them as estimates of the truth.
    """
    from engine.rules.state import SPECTATOR
    from engine.rules.views import may_see_track
    from engine.scenario.models import Scope

    scenario, layout = game.scenario, game.layout
    start = game.start(0)  # starting values depend on the scenario, not the seed
    names = {actor.id: actor.name for actor in scenario.actors}
    cited: dict[str, list[tuple[Text, float]]] = {s.id: [] for s in scenario.sources}
    for track in scenario.tracks:
        if not may_see_track(track.scope, track.visibility, SPECTATOR, None, None):
            continue
        if track.scope is Scope.GLOBAL and track.source in cited:
            cited[track.source].append((track.label, start.tracks[layout.slot(track.id)]))
        elif track.scope is Scope.ACTOR:
            for actor in scenario.actors:
                source = track.sources.get(actor.id, track.source)
                if source in cited:
                    cited[source].append((_of(track.label, names[actor.id]),
                                          start.tracks[layout.slot(track.id, actor.id)]))
    return cited


def _of(label: Text, actor: Text) -> Text:
    """"Warheads assigned to ICBMs (China)": a track's label for one actor's figure."""
    languages = dict.fromkeys([*label.values, *actor.values])
    return Text({language: f"{label.get(language)}（{actor.get(language)}）" if language == "zh"
                 else f"{label.get(language)} ({actor.get(language)})" for language in languages})
