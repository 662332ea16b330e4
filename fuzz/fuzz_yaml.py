#!/usr/bin/env python3
"""Coverage-guided fuzz target (atheris) for the YAML reader of scenario and record files.

Drives `engine.scenario.loading.load_yaml` (bytes and text) and `load_scenario_text`. The contract
under test (engine/scenario/loading.py): untrusted YAML only ever fails with the project's own
errors (`engine.errors.MidnightError` subclasses: `LoadError`, `ScenarioError`), whose message can
be shown; never another exception, never a hang, never unbounded memory.

    uv run --group fuzz python fuzz/fuzz_yaml.py fuzz/corpus/yaml -max_total_time=600

`check_yaml(data)` is the whole check, a plain function: tests/test_fuzz_regressions.py runs every
corpus file and every found input through it without atheris.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

try:
    import atheris
except ImportError:  # the regression test imports check_yaml without the `fuzz` group installed
    atheris = None


def _instrumented() -> Any:
    """Instrument the engine (and PyYAML's Python side) for coverage, only when run as the fuzzer."""
    if atheris is not None and __name__ == "__main__":
        return atheris.instrument_imports(include=["engine", "yaml"])
    return contextlib.nullcontext()


with _instrumented():
    from engine.errors import MidnightError
    from engine.scenario.loading import load_scenario_text, load_yaml

FILENAME = "<fuzz>"


def _expect_own_error(call: Any, *args: Any, **kwargs: Any) -> None:
    """Run `call`; a MidnightError is a fine answer (its text must render), anything else escapes."""
    try:
        call(*args, **kwargs)
    except MidnightError as err:
        str(err)  # the message a user sees must itself be producible


def check_yaml(data: bytes) -> None:
    """Feed one input to the YAML reader every way a file reaches it; raise on a bug."""
    _expect_own_error(load_yaml, data, filename=FILENAME)
    # The same input as text (lone surrogates included: str callers can pass anything).
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        _expect_own_error(load_yaml, text, filename=FILENAME)
    _expect_own_error(load_scenario_text, data, filename=FILENAME)


def TestOneInput(data: bytes) -> None:
    check_yaml(data)


def main() -> None:
    if atheris is None:
        sys.exit("atheris is not installed: run with `uv run --group fuzz python fuzz/fuzz_yaml.py ...`")
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
