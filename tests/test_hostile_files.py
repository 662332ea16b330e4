"""Hostile and broken record and script files: each is answered by the command line with exit
status 1 and a clear one-line error, quickly and in bounded memory, never a traceback."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from midnight.cli import main

HOSTILE = Path(__file__).parent / "hostile"
RULES = str(Path(__file__).parent / "fixtures" / "rules.yaml")

RECORDS = sorted((HOSTILE / "records").glob("*.yaml"))
SCRIPTS = sorted((HOSTILE / "scripts").glob("*.yaml"))


def run_cli(argv, capsys):
    tracemalloc.start()
    started = time.process_time()  # CPU time: a busy machine does not make it longer
    try:
        status = main(argv)
    finally:
        elapsed = time.process_time() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    out, err = capsys.readouterr()
    return status, err, elapsed, peak


def assert_clear_failure(status, err, elapsed, peak):
    assert status == 1
    first = err.strip().splitlines()[0]
    assert first.startswith("midnight: ") and len(first) < 400
    assert "Traceback" not in err
    assert elapsed < 3.0, f"took {elapsed:.2f} s of CPU time"  # a guard against runaway work, not a benchmark
    assert peak < 200 * 2**20


def test_there_are_many_hostile_files():
    assert len(RECORDS) + len(SCRIPTS) >= 20


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_a_hostile_record_is_refused_clearly(path, capsys):
    status, err, elapsed, peak = run_cli(["replay", str(path), "--verify", "--scenario", RULES], capsys)
    assert_clear_failure(status, err, elapsed, peak)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_a_hostile_script_is_refused_clearly(path, capsys):
    status, err, elapsed, peak = run_cli(["run", RULES, "--script", str(path), "--quiet"], capsys)
    assert_clear_failure(status, err, elapsed, peak)


def test_messages_name_the_file_and_position(capsys):
    status, err, *_ = run_cli(["run", RULES, "--script", str(HOSTILE / "scripts" / "misspelt_key.yaml")], capsys)
    assert "misspelt_key.yaml:5:" in err and "did you mean 'moves'" in err
