"""Batches on a Dask distributed cluster: `midnight simulate --cluster ADDRESS` (or `local`).

The engine knows nothing of Dask (an import-linter contract): it plays chunks of seeds through
`engine.play.simulate.play_chunk` on any `Runner`. This module is the runner for a cluster: each
chunk is one Dask task calling that same function, so a game is the same on a cluster as on this
machine's processes. The batches (the scenario's text, the line-up, the opening) are sent to every
worker once, and tasks carry only their seed range.

    with cluster_runner("tcp://10.0.0.5:8786") as runner:
        tallied = run_tallied(batches, runs, runner=runner)
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

from engine.errors import MidnightError

CONNECT_TIMEOUT = 10  # seconds to reach a scheduler before giving up with one line
_ADDRESS = re.compile(r"^(?:(tcp|tls|inproc|ucx|ws|wss)://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")


def check_address(address: str) -> str:
    """`local`, or a scheduler address such as tcp://HOST:8786 (raises a one-line error otherwise)."""
    if address == "local":
        return address
    match = _ADDRESS.match(address.strip())
    if not match or not 0 < int(match.group(3)) < 65536:
        raise MidnightError(f"--cluster: '{address}' is not a scheduler address; give tcp://HOST:PORT "
                            "(what `dask scheduler` prints) or 'local'")
    return address.strip() if match.group(1) else f"tcp://{address.strip()}"


class _Task:
    """A Dask future whose failures from the cluster (a lost connection, a worker killed) come out
    as one line, while a game's own errors pass through as they are."""

    def __init__(self, future: Any, client: Any, address: str) -> None:
        self.future = future
        self.client = client
        self.address = address

    def result(self) -> Any:
        from distributed import KilledWorker
        from distributed.client import FutureCancelledError
        from distributed.comm.core import CommClosedError

        try:
            while True:
                try:
                    return self.future.result(timeout=CONNECT_TIMEOUT)
                except TimeoutError:
                    # Dask waits for workers to come back; a command should not hang on an empty cluster.
                    if not self.client.nthreads():
                        raise MidnightError(f"--cluster {self.address}: the cluster has no workers left; "
                                            "the batch stopped") from None
        except ImportError as error:  # a worker without Midnight, or another version of it
            raise MidnightError(f"--cluster {self.address}: a worker cannot import what the games need ({error}); "
                                "install the same Midnight and packages on every worker") from None
        except FutureCancelledError:  # the batch's data went with the last workers that held it
            raise MidnightError(f"--cluster {self.address}: the cluster lost the batch (its workers left or were "
                                "restarted); run it again") from None
        except (KilledWorker, CommClosedError, OSError, TimeoutError) as error:
            raise MidnightError(f"--cluster {self.address}: the cluster failed during the batch: "
                                f"{type(error).__name__}: {error}".rstrip(": ")) from None


class DaskRunner:
    """Plays chunks as tasks of a Dask client (engine.play.simulate.Runner)."""

    def __init__(self, client: Any, address: str) -> None:
        self.client = client
        self.address = address
        threads = sum(int(w.get("nthreads", 1)) for w in client.scheduler_info().get("workers", {}).values())
        self.workers = max(1, threads)
        self._sent: dict[int, tuple[Any, Any]] = {}  # id(batches) -> (batches, their future on the cluster)

    def submit(self, fn: Callable[..., Any], *args: Any) -> _Task:
        batches, *rest = args
        sent = self._sent.get(id(batches))
        if sent is None or sent[0] is not batches:
            # Once to every worker; the tasks then name it instead of carrying the scenario's text.
            [future] = self.client.scatter([batches], broadcast=True, hash=False)
            self._sent = {id(batches): (batches, future)}
            sent = self._sent[id(batches)]
        return _Task(self.client.submit(fn, sent[1], *rest, pure=False), self.client, self.address)


@contextlib.contextmanager
def cluster_runner(address: str, workers: int | None = None) -> Iterator[DaskRunner]:
    """A runner on the scheduler at `address`, or on a local cluster of `workers` processes (one
    thread each, on loopback) for `local`. Closes what it opened."""
    address = check_address(address)
    from distributed import Client, LocalCluster

    for name in ("distributed", "tornado"):  # their INFO lines are not for the command's user
        logging.getLogger(name).setLevel(logging.ERROR)
    with contextlib.ExitStack() as stack:
        if address == "local":
            cluster = stack.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR))
            client = stack.enter_context(Client(cluster, timeout=CONNECT_TIMEOUT))
        else:
            try:
                client = stack.enter_context(Client(address, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError) as error:
                raise MidnightError(
                    f"--cluster: cannot reach a Dask scheduler at {address} within {CONNECT_TIMEOUT} s "
                    f"({type(error).__name__}); start one with `dask scheduler`, or use --cluster local"
                ) from None
        if not client.scheduler_info().get("workers"):
            _wait_for_workers(client, address)
        yield DaskRunner(client, address)


def _wait_for_workers(client: Any, address: str) -> None:
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        raise MidnightError(f"--cluster: the Dask scheduler at {address} has no workers after {CONNECT_TIMEOUT} s; "
                            "start some with `dask worker " + address + "`") from None
