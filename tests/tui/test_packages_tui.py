"""Packages and ratification in the UI: a player bundles drafted offers into one package, and
sees an agreement signed and awaiting ratification."""

from __future__ import annotations

from conftest import RULES, make_app, shown

from engine import Phase
from tui.screens.dialogs import DraftDialog
from tui.screens.game import GameScreen
from tui.screens.handoff import HandoffScreen
from tui.widgets.respond import RespondPane
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


# The hotline gets a term of its own, so that a package of the cap and the hotline has terms in both.
STAFFED = ("    label: Hotline\n    system: talks\n",
           "    label: Hotline\n    system: talks\n    parameters:\n"
           "      - {id: staff, label: Staff, min: 1, max: 10, step: 1, default: 2}\n")


async def pass_on(pilot, app, seat: str) -> None:
    """Through the hand-off screens until `seat`'s own game screen."""
    for _ in range(10):
        await pilot.pause()
        if isinstance(app.screen, GameScreen) and app.screen.seat == seat:
            return
        assert isinstance(app.screen, HandoffScreen), type(app.screen)
        await pilot.press("enter")
    raise AssertionError(f"never reached {seat}'s screen")


async def test_a_counter_to_a_package_shows_and_edits_every_part_and_sends_the_whole_package(tmp_path):
    scenario = tmp_path / "rules.yaml"
    scenario.write_text(open(RULES, encoding="utf-8").read().replace(*STAFFED), encoding="utf-8")
    app = make_app(scenario=str(scenario), seats="red=human,blue=human")
    async with app.run_test(size=(100, 40)) as pilot:
        # Red drafts the cap (Limit 1000) and the hotline (Staff 2), bundles them and sends them.
        await pass_on(pilot, app, "red")
        await pilot.press("enter", "home", "ctrl+k", *"1000", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("enter")  # the hotline's staff as it is (2)
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert "package: Warhead cap (Limit 1000) + Hotline (Staff 2) — Red, Blue" in shown(app)
        await pilot.press("d")
        await pass_on(pilot, app, "blue")
        await pilot.press("d")  # Blue proposes nothing
        await pass_on(pilot, app, "blue")
        assert app.session.state.phase is Phase.RESPOND
        # Blue counters: the dialog shows both agreements of the package, each with its terms.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, DraftDialog)
        text = shown(app)
        assert "Counter: package: Warhead cap + Hotline" in text
        assert "Warhead cap — Terms" in text and "Hotline — Terms" in text
        assert "Limit (500–1500, step 100)" in text and "Staff (1–10, step 1)" in text
        # Both terms are edited: the cap's limit (focused first), then the hotline's staff.
        await pilot.press("home", "ctrl+k", *"900", "tab", "home", "ctrl+k", "4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, GameScreen)
        # The answer shows the whole package as countered.
        assert "[Counter: Warhead cap (Limit 900) + Hotline (Staff 4)]" in shown(app)
        pane = app.screen.query_one(RespondPane)
        (reply,) = pane.submission("blue")["replies"]
        assert reply == {"proposal": 1, "answer": "counter", "params": {"cap.limit": 900.0, "hotline.staff": 4.0}}
        await pilot.press("d")
        await pilot.pause()
        # The counter on the table is the whole package, both terms changed.
        (counter,) = app.session.state.proposals
        assert counter.proposer == "blue" and counter.counter_to == 1
        assert [(part.template, dict(part.params)) for part in counter.parts()] == [
            ("cap", {"limit": 900.0}), ("hotline", {"staff": 4.0})]


async def test_a_counter_to_a_package_with_a_term_that_is_not_a_number_says_which_one(tmp_path):
    scenario = tmp_path / "rules.yaml"
    scenario.write_text(open(RULES, encoding="utf-8").read().replace(*STAFFED), encoding="utf-8")
    app = make_app(scenario=str(scenario))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        game = app.session.game
        state = game.start(3)
        offer = {"template": "cap", "parties": ["red", "blue"], "params": {"limit": 1000},
                 "package": [{"template": "hotline", "params": {"staff": 3}}]}
        for value in ({"seat": "red", "kind": "propose", "offers": [offer]},
                      {"seat": "blue", "kind": "propose", "offers": []}):
            state, _ = game.apply(state, value)
        (proposal,) = state.proposals
        dialog = DraftDialog(game, proposal.template, "blue", "en", params=dict(proposal.params),
                             fixed_parties=proposal.parties, package=tuple(proposal.package))
        await app.push_screen(dialog)
        await pilot.pause()
        assert dialog.query_one("#param-1-staff").value == "3"  # each part starts from its proposed terms
        dialog.query_one("#param-1-staff").value = ""
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is dialog and "Hotline: Staff: a number, please" in shown(app)
