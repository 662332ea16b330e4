"""The docs keep up with the code: every key of the scenario format is documented."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from engine.scenario import models as models

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_scenario_key_is_in_the_format_reference():
    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    documented = {word for code in re.findall(r"`([^`]+)`", text) for word in re.findall(r"[a-z_]+", code)}
    missing = []
    for cls in vars(models).values():
        if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == models.__name__:
            missing += [f"{cls.__name__}.{f.name}" for f in attrs.fields(cls) if f.name not in documented]
    assert missing == []
