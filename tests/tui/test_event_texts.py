"""What events say is on screen: the tutorial's lessons and a scenario's story, under their titles in the log."""

from __future__ import annotations

from conftest import make_app, shown

from tui import present
from tui.screens.game import GameScreen


def words(text: str) -> str:
    """The text with its line breaks and indents (wrapping) folded to single spaces."""
    return " ".join(text.split())


async def test_the_tutorial_turn_1_lessons_are_in_the_log_under_their_titles():
    app = make_app(scenario="tutorial", seats="us=human")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        await pilot.press("3")
        await pilot.pause()
        text = words(shown(app))
        assert "hint The clock and the risk The Doomsday Clock stands at 85 seconds to midnight" in text
        assert "Each turn the clock moves by the risk" in text
        assert "hint Survivability, not totals Adding warheads raises tension and risk." in text


async def test_the_lessons_are_in_the_ui_language():
    app = make_app(scenario="tutorial", seats="us=human", lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        text = words(shown(app))
        assert "末日时钟与风险" in text and "末日时钟停在距午夜85秒" in text
        assert "The Doomsday Clock stands" not in text


async def test_wrapped_lessons_keep_their_indent_and_fit_the_log():
    app = make_app(scenario="tutorial", seats="us=human")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        log = app.screen.query_one("#game-log")
        lines = str(app.screen.query_one("#log-text").visual).splitlines()
        lesson = [line for line in lines if line.startswith(present.DETAIL_INDENT)]
        assert len(lesson) >= 4  # two lessons, each wrapped over several lines, all indented
        assert all(len(line) <= log.size.width for line in lines)


def test_event_text_is_shown_literally_and_an_event_without_text_adds_nothing():
    hostile = "Press [b]here[/b] \x1b[2J now\\"
    lines = present.detail_markup(hostile, 40)
    from textual.content import Content

    plain = " ".join(Content.from_markup(line).plain.strip() for line in lines)
    assert "[b]here[/b]" in plain and "\\x1b" in plain and "\x1b" not in plain
    assert present.detail_markup("", 40) == [] and present.detail_markup("  \n", None) == []
    assert present.detail_markup("one\ntwo", None) == [present.DETAIL_INDENT + "one", present.DETAIL_INDENT + "two"]


async def test_the_briefing_shows_this_turns_events_and_hides_in_a_turn_without():
    from textual.app import App

    from tui.widgets.briefing import TurnBriefing

    session = make_app(scenario="tutorial", seats="us=human").session
    view = session.view_for("us")

    class Host(App[None]):
        def compose(self):
            yield TurnBriefing(id="briefing")

    host = Host()
    async with host.run_test(size=(80, 24)) as pilot:
        briefing = host.query_one(TurnBriefing)
        briefing.show(session.game, view, "en")
        await pilot.pause()
        text = words(str(host.query_one("#briefing-text").visual))
        assert "hint The clock and the risk The Doomsday Clock stands at 85 seconds to midnight" in text
        assert "Turn 1 begins" not in text  # the turn's events only
        assert briefing.display
        rules = make_app().session  # the rules fixture: its events have no text, and turn 1 has one
        briefing.show(rules.game, rules.view_for("red"), "en")
        await pilot.pause()
        assert words(str(host.query_one("#briefing-text").visual)) == "event The talks open"
        import attrs

        briefing.show(session.game, attrs.evolve(view, turn=2), "en")  # a turn in which nothing fired yet
        await pilot.pause()
        assert not briefing.display
