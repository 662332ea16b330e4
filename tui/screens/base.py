"""The base of the screens that use the app's own state: the session, saving, the UI's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from textual import getters

    from tui.app import MidnightApp

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    """A screen of MidnightApp, whose `self.app` type checkers know as MidnightApp.

    Textual types every node's `app` as the base App; it declares that with `getters.app(App)` for
    type checkers only, and the same declaration here narrows it to this project's app. At run time
    `app` stays Textual's own property (the screens run only inside MidnightApp)."""

    if TYPE_CHECKING:
        app = getters.app(MidnightApp)
