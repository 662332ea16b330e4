"""Errors split by cause. All are ValueErrors, so a front end can catch them together."""


class MidnightError(ValueError):
    """Base of every error the engine raises on purpose."""


class InvalidInput(MidnightError):
    """An input that is malformed: missing keys, wrong types, unknown kinds."""


class IllegalInput(MidnightError):
    """A well-formed input the rules forbid now: not this seat's turn, a move it may not play,
    over budget. The state is unchanged."""


class ScenarioRuntimeError(MidnightError):
    """A scenario's expression failed while playing (e.g. division by zero in a formula)."""


class RecordError(MidnightError):
    """A record or script file that cannot be used (wrong scenario, malformed turns)."""
