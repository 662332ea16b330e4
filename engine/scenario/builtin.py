"""The scenarios shipped in the `scenarios` package: their ids and the default one.

Kept apart from `loading` (which parses and checks a scenario) so that a command line or a start
screen can list them without importing the loader, the models and the formula language.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

DEFAULT_SCENARIO = "trilateral-2026"  # what `midnight play` and `midnight run` open by default

SCENARIO_ID = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


def builtin_dir() -> Any:
    """The `scenarios` package's files (a directory, or a zip's traversable)."""
    return resources.files("scenarios")


def builtin_scenario_ids() -> list[str]:
    """Ids of the scenarios shipped in the `scenarios` package (`<id>.yaml`), sorted."""
    ids = []
    for entry in builtin_dir().iterdir():
        name = entry.name
        if name.endswith(".yaml") and entry.is_file() and SCENARIO_ID.match(name[: -len(".yaml")]):
            ids.append(name[: -len(".yaml")])
    return sorted(ids)
