"""What bots remember about one game, kept in the game's memo (`game.memo.layer(BotMemo)`).

The invariants are the game memo's (engine.rules.memo): the scenario never changes, states and
views are new objects for every transition, and a log only grows by new entries.
"""

from __future__ import annotations


class BotMemo:
    """The bots' tables for one game, grouped by the reading that fills them."""

    def __init__(self) -> None:
        self.deeds: dict = {}  # (actor, move) -> Deed
        self.readings: dict = {}  # (reading, seat) -> a list that reading refills as it likes
        self.force_tracks: dict = {}  # seat -> the force tracks it compares, with weights
        self.named_forces: dict = {}  # a bot's `parity.` weights -> the force tracks they name
        self.positions: dict = {}  # (seat, readings) -> where the readings bots use sit
        self.force_positions: dict = {}
        self.move_tags: dict = {}  # move -> its tags as bots read them
        self.persona_tables: dict = {}  # a persona's numbers -> its reading of the moves
