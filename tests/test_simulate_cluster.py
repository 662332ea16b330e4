"""Batches on a Dask cluster (`simulate --cluster`), streamed CSV rows and bounded memory.

A real LocalCluster (2 worker processes on loopback) plays the games; its results must be the
local run's, game for game and byte for byte."""

from __future__ import annotations

import json
import logging
import shutil
import socket
from pathlib import Path

import pytest

from engine.play.simulate import Batch, InlineRunner, ScenarioSource, run_batch, run_tallied, stream_chunks, summarize
from midnight.cli import main

from helpers import RULES
from test_simulate import TAGGED

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    """A local Dask cluster for the module: the address a user would give `--cluster`."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The tagged rules scenario and a record of one of its games (seed 5)."""
    (tmp_path / "tagged.yaml").write_text(TAGGED, encoding="utf-8")
    shutil.copy(RULES, tmp_path / "rules.yaml")
    assert main(["run", str(tmp_path / "rules.yaml"), "--seed", "5", "--record", str(tmp_path / "game.yaml"),
                 "--quiet"]) == 0
    return tmp_path


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def run_both(argv: list[str], folder: Path, scheduler: str, capsys) -> tuple[tuple[bytes, dict], tuple[bytes, dict]]:
    """The command locally (2 processes) and on the cluster: each one's CSV bytes and JSON report."""
    outcomes = []
    for name, extra in (("local", ["--jobs", "2"]), ("cluster", ["--cluster", scheduler])):
        out = folder / f"{name}.csv"
        assert main([*argv, *extra, "--out", str(out), "--json", "--no-progress"]) == 0
        report = json.loads(capsys.readouterr().out)
        report.pop("seconds", None)  # how long it took
        outcomes.append((out.read_bytes(), report))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("arms", [[], ["--seats", "red=hawk", "--compare", "red=dove"]], ids=["one", "compare"])
def test_a_batch_on_a_cluster_writes_the_local_batchs_csv_and_summary(folder, scheduler, capsys, arms):
    local, cluster = run_both(["simulate", str(folder / "tagged.yaml"), "--runs", "30", "--seed", "11", *arms],
                              folder, scheduler, capsys)
    assert cluster[0] == local[0]  # byte for byte, rows in seed order
    assert cluster[1] == local[1]
    assert local[0].count(b"\n") == 1 + 30 * (2 if arms else 1)
    assert cluster[1]["summary"]["runs"] == 30


def test_continuations_on_a_cluster_are_the_local_ones(folder, scheduler, capsys):
    local, cluster = run_both(["simulate", str(folder / "rules.yaml"), "--from", str(folder / "game.yaml"),
                               "--turn", "2", "--change", "red:bot", "--runs", "24", "--seed", "3"],
                              folder, scheduler, capsys)
    assert cluster == local
    assert local[1]["difference"]["pairs"] == 24 and local[0].count(b"\n") == 1 + 2 * 24


def test_cluster_workers_play_chunks_through_the_local_function(scheduler):
    from midnight.cluster import cluster_runner

    source = ScenarioSource(TAGGED.encode(), "tagged.yaml")
    batch = Batch(source, {"blue": "hawk"}, base_seed=40)
    with cluster_runner(scheduler) as runner:
        assert runner.workers == 2
        on_cluster = run_batch(batch, 17, runner=runner)
        tallied = run_tallied((batch,), 17, runner=runner)
    here = run_batch(batch, 17, jobs=1)
    assert on_cluster == here and [r.seed for r in here] == list(range(40, 57))
    assert tallied.tallies[0].summary(source.load()) == summarize(here, source.load())


def test_an_unreachable_cluster_is_one_line_and_exit_1(folder, capsys, monkeypatch):
    import midnight.cluster

    monkeypatch.setattr(midnight.cluster, "CONNECT_TIMEOUT", 1)
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["simulate", str(folder / "tagged.yaml"), "--runs", "3", "--cluster", f"tcp://127.0.0.1:{port}",
                 "--out", str(folder / "x.csv")]) == 1
    line = one_error_line(capsys)
    assert line.startswith("midnight: --cluster: cannot reach a Dask scheduler at tcp://127.0.0.1:") and "within 1 s" in line
    assert not (folder / "x.csv").exists() and not list(folder.glob(".x.csv.*"))  # no partial file left


@pytest.mark.parametrize("address", ["nonsense", "tcp://", "http:/x:1", "host:99999"])
def test_a_malformed_cluster_address_is_one_line_before_any_game(folder, capsys, address):
    assert main(["simulate", str(folder / "tagged.yaml"), "--runs", "3", "--cluster", address]) == 1
    assert "is not a scheduler address" in one_error_line(capsys)


@pytest.mark.slow
def test_cluster_local_starts_a_cluster_of_jobs_workers(folder, capsys):
    argv = ["simulate", str(folder / "tagged.yaml"), "--runs", "12", "--seed", "2", "--json", "--no-progress"]
    assert main([*argv, "--cluster", "local", "--jobs", "2", "--out", str(folder / "c.csv")]) == 0
    on_cluster = json.loads(capsys.readouterr().out)
    assert main([*argv, "--jobs", "1", "--out", str(folder / "l.csv")]) == 0
    assert json.loads(capsys.readouterr().out) == on_cluster
    assert (folder / "c.csv").read_bytes() == (folder / "l.csv").read_bytes()


# -- bounded memory: how many chunks are held at once -------------------------------------------------


class CountingRunner(InlineRunner):
    """Plays each chunk when submitted (as InlineRunner) and counts the chunks whose results are
    held: submitted and not yet taken by the stream."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.held = 0
        self.most = 0
        self.submitted = 0

    def submit(self, fn, *args):
        done = super().submit(fn, *args)
        self.submitted += 1
        self.held += 1
        self.most = max(self.most, self.held)
        runner = self

        class Taken:
            def result(self):
                runner.held -= 1
                return done.result()

        return Taken()


@pytest.mark.parametrize(("workers", "window"), [(1, None), (2, None), (3, 2), (1, 5)])
def test_the_stream_holds_at_most_a_window_of_chunks(workers, window):
    source = ScenarioSource(TAGGED.encode(), "tagged.yaml")
    batch = Batch(source, {}, base_seed=7)
    runner = CountingRunner(workers)
    seeds = []
    for (chunk,) in stream_chunks((batch,), 40, runner=runner, window=window):
        seeds += [r.seed for r in chunk]
        assert runner.held <= (window or 2 * workers) - 1  # the one just taken is the consumer's
    assert seeds == list(range(7, 47))  # in seed order, every game once
    assert runner.submitted > (window or 2 * workers)  # more chunks than the window: it did slide
    assert runner.most == (window or 2 * workers)


def test_tallies_see_each_chunk_once_in_seed_order_and_keep_none():
    source = ScenarioSource(TAGGED.encode(), "tagged.yaml")
    a, b = Batch(source, {}, 0), Batch(source, {"red": "hawk"}, 0)
    seen: list[tuple[int, ...]] = []
    tallied = run_tallied((a, b), 25, runner=CountingRunner(2),
                          each_chunk=lambda results: seen.append(tuple(r.seed for r in results[1])))
    assert [seed for chunk in seen for seed in chunk] == list(range(25))
    assert len(seen) > 1
    game = source.load()
    assert tallied.tallies[1].summary(game) == summarize(run_batch(b, 25), game)
    assert tallied.paired is not None and tallied.paired.pairs == 25
