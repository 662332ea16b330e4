"""The decisions pane: the highlighted move stays in sight, a move is described as it would work
now (in full one key away), and a decision that breaches an agreement in force is confirmed."""

from __future__ import annotations

import pytest
from conftest import make_app, shown

from engine.rules.state import Phase


async def to_decisions(pilot) -> None:
    app = pilot.app
    while app.session.state.phase is not Phase.DECIDE:
        await pilot.press("d")
        await pilot.pause()


def highlighted_in_sight(moves) -> bool:
    """Whether every line of the highlighted option is inside the list's visible region."""
    top = moves._index_to_line[moves.highlighted]
    bottom = top + moves._heights[moves.highlighted]
    first = round(moves.scroll_offset.y)
    return first <= top and bottom <= first + moves.scrollable_content_region.height


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_the_highlighted_move_is_always_in_sight_at_80x24():
    from tui.widgets.decide import MoveList

    app = make_app(scenario="trilateral-2026", seed=5, seats="us=human")
    async with app.run_test(size=(80, 24)) as pilot:
        await to_decisions(pilot)
        moves = app.screen.query_one(MoveList)
        last = max(i for i, option in enumerate(moves.options) if option.id and not option.disabled)
        assert moves.virtual_size.height > moves.scrollable_content_region.height  # the list must scroll
        steps = 0
        while moves.highlighted != last:
            await pilot.press("down")
            await pilot.pause()
            steps += 1
            assert highlighted_in_sight(moves), f"move {moves.highlighted} out of sight after {steps} steps"
        while moves.highlighted != moves.get_option_index(next(o.id for o in moves.options if o.id and not o.disabled)):
            await pilot.press("up")
            await pilot.pause()
            assert highlighted_in_sight(moves)


async def test_the_detail_says_what_a_move_does_now_and_i_opens_it_in_full():
    from tui.widgets.decide import MoveInfo

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_decisions(pilot)
        text = shown(app)
        assert "Warheads +100 (now 1000 → 1100)" in text and "i: in full" in text
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, MoveInfo)
        full = shown(app)
        assert "Now" in full and "As written" in full and "Tension +5 (you–others)" in full
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MoveInfo)


async def test_a_decision_that_breaches_an_agreement_asks_first():
    from tui.screens.game import GameScreen
    from tui.widgets.decide import ConfirmBreach

    app = make_app(seats="red=human,blue=human")
    async with app.run_test(size=(80, 24)) as pilot:
        # Red proposes the warhead cap, Blue accepts it: in force for both from the decisions on.
        for _ in range(40):
            await pilot.pause()
            if not isinstance(app.screen, GameScreen):  # a hand-off between the two people
                await pilot.press("enter")
                continue
            state, seat = app.session.state, app.current_seat
            if state.phase is Phase.DECIDE:
                break
            if state.phase is Phase.PROPOSE:
                offers = [{"template": "cap", "parties": ["red", "blue"], "params": {"limit": 1200}}] if seat == "red" else []
                app.submit({"seat": seat, "kind": "propose", "offers": offers})
            else:
                replies = [{"proposal": p.id, "answer": "accept"} for p in state.proposals if seat in p.awaiting()]
                app.submit({"seat": seat, "kind": "respond", "replies": replies})
        assert [a.template for a in app.session.state.agreements] == ["cap"]
        assert "⚠ breaches Warhead cap" in shown(app)  # Build warheads, highlighted first
        await pilot.press("space", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmBreach)
        assert "Warhead cap" in shown(app)
        await pilot.press("escape")  # back: nothing submitted
        await pilot.pause()
        assert not app.session.state.submissions
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmBreach)
        await pilot.click("#ok")
        await pilot.pause()
        assert app.session.state.submissions or app.session.state.phase is not Phase.DECIDE
