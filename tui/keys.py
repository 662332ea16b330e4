"""Every key binding of the UI as data: screens build their BINDINGS here and the help screen lists them."""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingType

from tui.i18n import key_description

# screen -> (key, action, description, id, show in footer)
KEYMAP: dict[str, tuple[tuple[str, str, str, str, bool], ...]] = {
    "Everywhere": (
        ("question_mark,f1", "app.help", "Help", "help", True),
        ("ctrl+p", "app.command_palette", "Commands", "palette", False),
        ("ctrl+q", "app.quit", "Quit", "quit", False),
    ),
    "Start": (
        ("f5,ctrl+enter", "start", "Start game", "start.start", True),
        ("escape", "app.quit", "Quit", "start.quit", False),
    ),
    "Game": (
        ("d", "done", "Done: submit", "game.done", True),
        ("b", "brief", "Brief", "game.brief", True),
        ("s", "sources", "Sources", "game.sources", True),
        ("1", "tab('act')", "Act", "game.tab_act", False),
        ("2", "tab('talks')", "Talks", "game.tab_talks", False),
        ("3", "tab('log')", "Log", "game.tab_log", False),
        ("ctrl+s", "save", "Save", "game.save", True),
        ("q", "quit_game", "Save & quit", "game.quit", True),
    ),
    "Moves (Act tab, decisions)": (
        ("space,enter", "toggle_move", "Choose / drop the highlighted move", "moves.toggle", False),
        ("up,down", "", "Highlight a move (its cost, description and reason below)", "moves.nav", False),
        ("i", "move_info", "The highlighted move in full: what it does now, and as written", "moves.info", False),
    ),
    "Proposals (Act tab, talks)": (
        ("enter", "", "Draft the highlighted agreement: parties and terms", "propose.draft", False),
        ("x", "clear_offers", "Withdraw your drafted offers", "propose.clear", False),
        ("p", "package_offers", "Bundle your drafted offers into one package, answered and signed as one",
         "propose.package", False),
    ),
    "Answers (Act tab, talks)": (
        ("a", "answer('accept')", "Accept the highlighted proposal", "respond.accept", False),
        ("r", "answer('reject')", "Reject it", "respond.reject", False),
        ("c", "answer('counter')", "Counter it with other terms", "respond.counter", False),
    ),
    "Crisis": (
        ("1", "choose('back_down')", "Back down", "crisis.back_down", True),
        ("2", "choose('hold')", "Hold", "crisis.hold", True),
        ("3", "choose('escalate')", "Escalate", "crisis.escalate", True),
        ("b", "brief", "Brief", "crisis.brief", True),
    ),
    "Hand-off, resolution": (
        ("enter,space", "continue", "Continue", "next.continue", True),
    ),
    "End of game": (
        ("r", "replay", "Replay this game", "end.replay", True),
        ("w", "report", "Write the debrief report", "end.report", True),
        ("q,escape", "app.quit", "Quit", "end.quit", True),
    ),
    "Replay viewer": (
        ("right,l,n", "step(1)", "Next turn", "replay.next", True),
        ("left,h,p", "step(-1)", "Previous turn", "replay.prev", True),
        ("home", "jump(0)", "The start", "replay.first", True),
        ("end", "jump(-1)", "The last turn", "replay.last", True),
        ("w", "report", "Write the debrief report", "replay.report", True),
        ("b", "branch", "Branch here", "replay.branch", True),
        ("q,escape", "close", "Close", "replay.quit", True),
    ),
    "Facilitator console": (
        ("t", "timer_start", "Start clock", "console.timer_start", True),
        ("s", "timer_pause", "Stop clock", "console.timer_pause", True),
        ("x", "timer_extend", "Extend", "console.timer_extend", True),
        ("i", "inject", "Inject", "console.inject", True),
        ("a", "adjust", "Adjust", "console.adjust", True),
        ("u", "undo", "Undo", "console.undo", True),
        ("h", "hand_over", "Hand over", "console.hand_over", True),
        ("m", "message", "Message", "console.message", True),
        ("p", "pause", "Pause/go on", "console.pause", True),
        ("ctrl+e", "end", "End game", "console.end", True),
        ("ctrl+s", "save", "Save record", "console.save", True),
        ("q", "app.quit", "Quit", "console.quit", False),
    ),
    "Projector": (
        ("q", "app.quit", "Quit", "projector.quit", True),
    ),
    "Dialogs (brief, help, drafting)": (
        ("escape", "dismiss", "Close / cancel", "dialog.close", True),
    ),
}


def bindings(group: str) -> list[BindingType]:
    """Textual bindings for one group of the keymap (entries with no action are documentation)."""
    result: list[BindingType] = []
    for keys, action, description, binding_id, show in KEYMAP[group]:
        if not action:
            continue
        first, *others = keys.split(",")
        result.append(Binding(first, action, description, show=show, id=binding_id))
        if others:  # the footer shows the first key; the others work quietly
            result.append(Binding(",".join(others), action, description, show=False))
    return result


class LocalizedKeys:
    """Mixin for screens: the footer says what each key does in the UI's language.

    The keymap is written once, in English; the footer reads a screen's `active_bindings`, so
    here each binding with a translation is shown under its words in `app.ui_language`."""

    @property
    def active_bindings(self):
        active = super().active_bindings
        language = getattr(self.app, "ui_language", "en")
        if language == "en":
            return active
        return {
            key: entry._replace(binding=dataclasses.replace(
                entry.binding, description=key_description(entry.binding.id, entry.binding.description, language)))
            for key, entry in active.items()
        }
