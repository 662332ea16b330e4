"""Every input of the fuzz corpus (fuzz/corpus/*) and every input the fuzzers found
(tests/fuzz_found/*) through the fuzz targets' own checks, without atheris.

The checks are plain functions of the targets (`fuzz_yaml.check_yaml`, `fuzz_expressions.check_expression`):
an input passes when the parser answers it or refuses it with the project's own error. Each input
runs under a CPU-time guard, so a hang is a failure here too, not a stuck test run.

An input that still shows a bug is listed in KNOWN_FAILURES with the reason; it runs as
xfail(strict=True), so the fix flips it to a failure that says: remove it from the list.
"""

from __future__ import annotations

import importlib.util
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
FUZZ = ROOT / "fuzz"
FOUND = Path(__file__).resolve().parent / "fuzz_found"
CPU_SECONDS = 5.0  # per input, as the fuzzers' -timeout=5; the slowest corpus input (a whole scenario) takes ~0.3 s

# Path relative to the repository -> why it fails today (the bug it shows).
KNOWN_FAILURES: dict[str, str] = {}


def _load(name: str) -> ModuleType:
    """Import fuzz/<name>.py by path (fuzz/ is not a package); atheris need not be installed."""
    spec = importlib.util.spec_from_file_location(f"_fuzz_{name}", FUZZ / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _checks() -> dict[str, Callable[[bytes], None]]:
    return {
        "yaml": _load("fuzz_yaml").check_yaml,
        "expressions": _load("fuzz_expressions").check_expression,
    }


CHECKS = _checks()


def _inputs() -> list[pytest.ParameterSet]:
    params = []
    for target in sorted(CHECKS):
        for folder in (FUZZ / "corpus" / target, FOUND / target):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if not path.is_file() or path.name.startswith(".") or path.name == "README.md":
                    continue
                relative = path.relative_to(ROOT).as_posix()
                marks = []
                if relative in KNOWN_FAILURES:
                    marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[relative]))
                params.append(pytest.param(target, path, id=relative, marks=marks))
    return params


class _Hang(BaseException):
    """The CPU-time guard fired (a BaseException, so no `except Exception` in the engine hides it)."""


@contextmanager
def _cpu_limit(seconds: float) -> Iterator[None]:
    def fire(signum: int, frame: object) -> None:
        raise _Hang(f"more than {seconds} s of CPU time: a hang?")

    previous = signal.signal(signal.SIGPROF, fire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


INPUTS = _inputs()


def test_the_corpus_is_there() -> None:
    targets = {param.values[0] for param in INPUTS}
    assert targets == set(CHECKS)
    for target in CHECKS:
        assert sum(1 for param in INPUTS if param.values[0] == target) >= 20, target
    listed = {param.id for param in INPUTS}
    assert set(KNOWN_FAILURES) <= listed, "KNOWN_FAILURES names a file that is gone"


@pytest.mark.parametrize(("target", "path"), INPUTS)
def test_fuzz_input(target: str, path: Path) -> None:
    data = path.read_bytes()
    try:
        with _cpu_limit(CPU_SECONDS):
            CHECKS[target](data)
    except _Hang as hang:
        pytest.fail(f"{path.name}: {hang}")
