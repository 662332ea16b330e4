"""The same game on every Python: a game's numbers do not depend on the interpreter's version.

Python 3.12 made `sum()` of floats compensated; the engine adds floats left to right
(`engine.scenario.arithmetic.left_sum`), so 3.11, 3.12 and 3.13 play the very same games.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from engine.scenario.arithmetic import left_sum

ROOT = Path(__file__).resolve().parent.parent
OTHER_PYTHONS = ("3.12", "3.13")


def test_floats_are_added_left_to_right_on_every_python():
    # Compensated summation (Python 3.12+ `sum`) gives 1.0 here; adding in order gives 0.0.
    assert left_sum([1e16, 1.0, -1e16]) == 0.0
    assert left_sum([0.1] * 10) == 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1
    assert left_sum([]) == 0 and left_sum([2.5], start=1) == 3.5


def _interpreter(version: str) -> str | None:
    """An installed CPython of this version other than the one running the tests, or None."""
    pyenv = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python")))
    candidates = [shutil.which(f"python{version}"), *pyenv]
    for candidate in candidates:
        if not candidate or os.path.realpath(candidate) == os.path.realpath(sys.executable):
            continue
        try:
            found = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                                   capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0 and found.stdout.strip() == version:
            return candidate
    return None


def _fingerprints(python: str, out: Path) -> dict[str, str]:
    # The other interpreter reads the engine from this checkout and its pure-Python dependencies
    # (attrs, cattrs, PyYAML without libyaml) from this environment: nothing is installed.
    site = str(Path(attrs.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), site])}
    subprocess.run([python, str(ROOT / "benchmarks" / "fingerprint.py"), "save", str(out), "--seeds", "2"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
    return json.loads(out.read_text())


@pytest.mark.slow
@pytest.mark.parametrize("version", OTHER_PYTHONS)
def test_every_installed_python_plays_the_same_games(version, tmp_path):
    python = _interpreter(version)
    if python is None:
        pytest.skip(f"no other Python {version} on this machine")
    here = _fingerprints(sys.executable, tmp_path / "here.json")
    there = _fingerprints(python, tmp_path / "there.json")
    assert len(here) == 42
    assert sorted(k for k in here if here[k] != there.get(k)) == []
