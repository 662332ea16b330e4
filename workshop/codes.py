"""Join codes: one per team seat, one for the facilitator, one for spectators.

A code is 16 characters from an alphabet without look-alikes (80 bits from `secrets`), shown in
groups of four (`KQ7M-3XHD-…`) so a team can type it from a slip of paper; dashes, spaces and
case do not matter. Codes are compared in constant time (`hmac.compare_digest`)."""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from engine.errors import MidnightError
from engine.play.records import write_atomic
from engine.rules.state import FACILITATOR, SPECTATOR

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: no 0/O, 1/I
LENGTH = 16  # 16 symbols of 5 bits: 80 bits


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normal(code: str) -> str:
    """A code as typed (any case, with or without dashes and spaces) in its compared form."""
    return "".join(c for c in code.upper() if c not in "- \t")


class Codes:
    """Who each code admits: a seat, the facilitator or a spectator."""

    def __init__(self, by_seat: Mapping[str, str]) -> None:
        self.by_seat = dict(by_seat)

    @classmethod
    def new(cls, seats: Iterable[str]) -> Codes:
        return cls({seat: new_code() for seat in (*seats, FACILITATOR, SPECTATOR)})

    def seat_of(self, code: object) -> str | None:
        """The seat a code admits, or None. Every code is compared, in constant time each, so the
        time taken says nothing about which code came close."""
        if not isinstance(code, str) or len(code) > 64:
            return None
        given = normal(code).encode()
        found = None
        for seat, known in self.by_seat.items():
            if hmac.compare_digest(given, normal(known).encode()):
                found = seat
        return found

    # -- kept next to the record, for `--resume RECORD --same-codes` -------------------------------
    def save(self, path: Path) -> None:
        """Write the codes (readable by this user only: they admit anyone to the table)."""
        write_atomic(path, json.dumps(self.by_seat, indent=1) + "\n")
        try:
            os.chmod(path, 0o600)
        except OSError:
            pass

    @classmethod
    def load(cls, path: Path, seats: Iterable[str]) -> Codes:
        try:
            data = json.loads(path.read_text(encoding="utf-8")[:100_000])
        except (OSError, ValueError) as error:
            raise MidnightError(f"{path}: cannot read the table's codes ({error}); start without --same-codes") from None
        wanted = (*seats, FACILITATOR, SPECTATOR)
        if not isinstance(data, dict) or any(not isinstance(data.get(s), str) or len(normal(data[s])) != LENGTH
                                             for s in wanted):
            raise MidnightError(f"{path}: not the codes of this table; start without --same-codes")
        return cls({s: data[s] for s in wanted})


def codes_path(record: Path) -> Path:
    return record.with_name(record.name + ".codes")
