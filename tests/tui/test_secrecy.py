"""The UI never shows a seat what the engine's view of that seat hides."""

from __future__ import annotations

import pytest
from conftest import make_app, play_to_end, shown

from engine import FACILITATOR, Phase
from tui.screens.game import GameScreen
from tui.screens.handoff import HandoffScreen
from tui.screens.resolution import ResolutionScreen


def hidden_lines(app, seat):
    """Log lines the facilitator sees that `seat` may not."""
    state = app.session.state
    return [e.text.get("en") for e in state.log if not e.visible_to(seat)]


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_hot_seat_never_shows_one_seat_the_others_secret_moves():
    app = make_app(seats="red=human,blue=human")
    checked = {"blue": 0, "shared": 0}

    async def choose(pilot):
        screen = app.screen
        seat = screen.seat
        text = shown(app)
        assert "Facilitator only" not in text  # a facilitator-only track
        for line in hidden_lines(app, seat):
            assert line not in text, f"{seat} was shown {line!r}"
        if seat == "blue":
            checked["blue"] += 1
            assert "Red (secret)" not in text
        if seat == "red" and app.session.state.phase is Phase.DECIDE:
            moves = screen.query_one("#moves")
            index = moves.get_option_index("hide")
            if not moves.get_option_at_index(index).disabled:
                moves.highlighted = index
                await pilot.press("space")

    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):
            await pilot.pause()
            screen = app.screen
            if isinstance(screen, ResolutionScreen | HandoffScreen):
                checked["shared"] += 1
                text = shown(app)
                assert "(secret)" not in text and "Facilitator only" not in text
                await pilot.press("enter")
            elif isinstance(screen, GameScreen) and screen.seat:
                await choose(pilot)
                await pilot.press("d")
            elif app.session.state.over:
                break
            else:
                await pilot.press("2")
        seen_secret = any("Red (secret)" in e.text.get("en") for e in app.session.state.log)
    assert seen_secret, "red never played its secret move: the test proved nothing"
    assert checked["blue"] > 3 and checked["shared"] > 3


@pytest.mark.slow  # a whole game or many: CI runs it (-m slow)
async def test_bot_reasons_never_tell_a_secret_or_an_undecided_choice():
    app = make_app(seats="red=human,blue=random", seed=11)
    looked = 0

    async def choose(pilot):
        nonlocal looked
        log = str(app.screen.query_one("#log-text").visual)
        for line in hidden_lines(app, "red"):
            assert line not in log
        for note in app.session.notes:
            if not note.visible_to("red"):
                assert note.text not in log, f"red was told the bot's secret reason {note.text!r}"
        # nothing the bot submitted in the current round is shown before the round is over
        released = app.session.notes_for("red")
        for note in app.session.notes:
            if note.visible_to("red"):
                expected = sum(1 for n in released if n.text == note.text)
                lines = [line for line in log.splitlines() if line.startswith("why") and line.endswith(f"Blue: {note.text}")]
                assert len(lines) == expected
        looked += 1

    async with app.run_test(size=(80, 24)) as pilot:
        await play_to_end(pilot, choose)
    assert looked > 5


async def test_the_game_screen_shows_only_the_seats_own_view():
    app = make_app(seats="red=human,blue=human")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        view = app.session.game.view(app.session.state, "red")
        everything = app.session.game.view(app.session.state, FACILITATOR)
        text = shown(app)
        visible = {t.name for t in view.tracks}
        for reading in everything.tracks:
            if reading.name not in visible and reading.track == "spooky":
                assert reading.label.get("en") not in text
        assert screen.seat == "red"
        # Blue's owner-only budget is not among Red's readings, and Red's screen shows one budget
        assert text.count("Budget ") == 1
