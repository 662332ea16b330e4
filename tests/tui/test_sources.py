"""Facts carry their sources: the log cites the source of each event, move or agreement it tells
([n]), `s` lists the scenario's sources with their notes (where a figure is unverified, the note
says so) and what cites each, and a move in full names its source."""

from __future__ import annotations

import re

from conftest import make_app, shown

from engine import Game
from engine.rules import events as ev
from engine.rules.citations import cited_by, source_number, source_of
from engine.rules.state import Phase
from engine.scenario.models import EMPTY_TEXT


def test_citations_follow_the_scenarios_own_list():
    game = Game.load("trilateral-2026")
    sources = game.scenario.sources
    assert source_number(game.scenario, sources[0].id) == 1
    assert source_number(game.scenario, sources[-1].id) == len(sources)
    assert source_number(game.scenario, "no-such-source") is None and source_number(game.scenario, None) is None
    expired = ev.EventFired("new_start_expires", EMPTY_TEXT)
    assert source_of(game, expired) == game.events["new_start_expires"].source == "new-start"
    assert source_of(game, ev.AgreementSigned("strategic_cap", ("us", "russia"))) == "new-start"
    assert source_of(game, ev.Narration("start")) is None
    cited = cited_by(game.scenario)
    assert [label.get("en") for label in cited["new-start"]][-1] == "New START expires"
    assert "Cap deployed strategic warheads" in [label.get("en") for label in cited["new-start"]]
    # a figure per actor under its own entry: China's force under China's notebook
    assert "Warheads assigned to ICBMs (China)" in [label.get("en") for label in cited["fas-china-2025"]]
    assert "洲际导弹配属弹头（中国）" in [label.get("zh") for label in cited["fas-china-2025"]]
    assert "Warheads assigned to ICBMs (China)" not in [label.get("en") for label in cited["fas-us-2025"]]


async def test_the_log_cites_each_line_and_s_lists_the_sources():
    from tui.screens.dialogs import SourcesScreen

    app = make_app(scenario="trilateral-2026", seed=2, seats="us=human")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("3")  # the log
        await pilot.pause()
        game = app.session.game
        number = source_number(game.scenario, "new-start")
        assert f"New START expires [{number}]" in shown(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        text = shown(app)
        for n, source in enumerate(game.scenario.sources, 1):
            assert f"[{n}] {source.title}" in re.sub(r"\s+", " ", text).replace("[b]", "").replace("[/b]", "")
        # the doubts are where players read the figures: every unverified note is on the screen
        doubts = [s for s in game.scenario.sources if s.note and "UNVERIFIED" in s.note]
        assert doubts and all(" ".join(s.note.split())[:60] in re.sub(r"\s+", " ", text) for s in doubts)
        await pilot.press("s")
        await pilot.pause()
        assert not isinstance(app.screen, SourcesScreen)


async def test_a_move_in_full_names_its_source():
    from tui.widgets.decide import MoveInfo, MoveList

    app = make_app(scenario="trilateral-2026", seed=2, seats="us=human")
    async with app.run_test(size=(120, 40)) as pilot:
        while app.session.state.phase is not Phase.DECIDE:
            await pilot.press("d")
            await pilot.pause()
        game = app.session.game
        moves = app.screen.query_one(MoveList)
        index = next(i for i, option in enumerate(moves.options)
                     if option.id in game.moves and game.moves[option.id].source)
        moves.highlighted = index
        move = game.moves[moves.options[index].id]
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, MoveInfo)
        number = source_number(game.scenario, move.source)
        title = game.scenario.sources[number - 1].title
        assert f"Source [{number}]: {title}"[:50] in re.sub(r"\s+", " ", shown(app))

