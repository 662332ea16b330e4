"""Packages and ratification in the UI: a player bundles drafted offers into one package, and
sees an agreement signed and awaiting ratification."""

from __future__ import annotations

from conftest import RULES, make_app, shown

from engine import Phase
from tui.widgets.talks import TalksPanel

# Blue's parliament must approve the cap (as in tests/test_packages.py): it waits one turn.
RATIFIED = ("    duration: 3\n", "    duration: 3\n    ratification:\n      actors: [blue]\n      turns: 1\n"
            "      requires: \"security.self >= 50\"\n      text: the parliament did not approve it\n")


def ratified_app(tmp_path):
    """The app on the rules fixture whose cap waits for Blue's parliament."""
    scenario = tmp_path / "rules.yaml"
    scenario.write_text(open(RULES, encoding="utf-8").read().replace(*RATIFIED), encoding="utf-8")
    return make_app(scenario=str(scenario))


async def test_a_player_bundles_two_drafted_offers_into_one_package_and_sends_it(tmp_path):
    app = ratified_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("p")  # one offer or none: nothing to bundle, and the player is told so
        await pilot.pause()
        assert "package" not in shown(app)
        await pilot.press("enter")  # draft the highlighted template: Warhead cap
        await pilot.pause()
        await pilot.press("home", "ctrl+k", *"1000", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # the hotline: no terms, the dialog's button is focused
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = shown(app)
        assert "Warhead cap (Limit 1000) — Red, Blue" in text and "Hotline — Red, Blue" in text
        assert "p: bundle into one package" in text
        await pilot.press("p")
        await pilot.pause()
        text = shown(app)
        assert "package: Warhead cap (Limit 1000) + Hotline — Red, Blue" in text
        assert "Your offers (1/1)" in text  # two drafted offers over the limit of one: one package fits
        await pilot.press("d")
        await pilot.pause()
        state = app.session.state
        (mine,) = [p for p in state.proposals if p.proposer == "red"] or [None]
        if mine is not None:  # still on the table: the bot has not answered yet
            assert [part.template for part in mine.parts()] == ["cap", "hotline"]
        # However the bot answered, the log tells the package as one.
        log = [e.text.get() for e in state.log]
        assert any("Red proposes a package of Warhead cap and Hotline to Blue" in line for line in log), log


async def test_the_talks_tab_shows_an_agreement_awaiting_ratification(tmp_path):
    app = ratified_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.session
        game = session.game
        # Sign the cap by hand (red proposes, blue accepts) to reach a state with a pending agreement.
        state = game.start(3)
        for value in ({"seat": "red", "kind": "propose",
                       "offers": [{"template": "cap", "parties": ["red", "blue"], "params": {"limit": 1000}}]},
                      {"seat": "blue", "kind": "propose", "offers": []},
                      {"seat": "blue", "kind": "respond", "replies": [{"proposal": 1, "answer": "accept"}]}):
            state, _ = game.apply(state, value)
        assert state.phase is Phase.DECIDE and state.pending
        panel = app.screen.query_one(TalksPanel)
        panel.show(game, game.view(state, "red"), "en")
        await pilot.pause()
        text = str(panel.visual)
        assert "Signed, awaiting ratification" in text
        assert "Warhead cap (Limit 1000) — Red, Blue (turn 1; ratification decided at the start of turn 2)" in text
