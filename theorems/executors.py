"""Where checks run: local worker processes (the default) or a Dask cluster.

``theorems check --executor processes`` (the default) runs the checks in worker processes of this
machine. ``--executor dask-local`` starts a ``dask.distributed.LocalCluster`` (one single-threaded
worker process per job); ``--executor dask://HOST:PORT`` uses a running scheduler, whose workers
must have this package installed. On Dask, every check except a Monte Carlo one is one task; a
Monte Carlo check runs here and its chunks (:mod:`symbolic.chunks`) are the tasks, so that a long
sweep spreads over the cluster. The chunks, hence the samples and the verdicts, do not depend on
the executor: a campaign gives the same verdicts on a cluster as in this process.

Dask is optional (``pip install 'theorems[dask]'``); asking for it without it installed is a
one-line error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ExecutorError", "ExecutorSpec", "parse_executor", "dask_client"]

_ADDRESS = re.compile(r"^dask://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):([0-9]{1,5})$")


class ExecutorError(ValueError):
    """An executor that cannot be used: the message names what is wrong."""


@dataclass(frozen=True)
class ExecutorSpec:
    """``kind`` is ``processes``, ``dask-local`` or ``dask``; ``address`` is the scheduler's."""

    kind: str
    address: str | None = None

    @property
    def is_dask(self) -> bool:
        return self.kind in ("dask", "dask-local")


def parse_executor(text: str | None) -> ExecutorSpec:
    """The executor named by ``--executor`` (``processes``, ``dask-local`` or ``dask://HOST:PORT``)."""
    if text is None or text == "processes":
        return ExecutorSpec("processes")
    if text == "dask-local":
        return ExecutorSpec("dask-local")
    m = _ADDRESS.match(text)
    if m is None:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise ExecutorError(f"--executor must be 'processes', 'dask-local' or 'dask://HOST:PORT', not {shown!r}")
    if not 0 < int(m.group(2)) < 65536:
        raise ExecutorError(f"--executor: port {m.group(2)} is not between 1 and 65535")
    return ExecutorSpec("dask", f"tcp://{m.group(1)}:{m.group(2)}")


def dask_client(spec: ExecutorSpec, jobs: int) -> Any:
    """A ``dask.distributed.Client`` for ``spec`` (a new LocalCluster of ``jobs`` workers for
    ``dask-local``); the caller closes it (and its cluster)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError("--executor dask needs dask.distributed: pip install 'theorems[dask]'") from None
    if spec.kind == "dask-local":
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40)
        return Client(cluster)
    try:
        return Client(spec.address, timeout="10s")
    except OSError as exc:
        raise ExecutorError(f"--executor: no Dask scheduler answers at {spec.address} ({exc})") from None


def chunk_mapper(client: Any) -> Callable[[Callable[..., Any], Sequence[tuple[Any, ...]]], list[Any]]:
    """A :class:`symbolic.chunks.Mapper` that runs each call as a task of ``client``."""

    def run(fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Any]:
        futures = [client.submit(fn, *args, pure=False) for args in calls]
        return list(client.gather(futures))

    return run


def default_jobs() -> int:
    """One job per core of this machine."""
    return os.cpu_count() or 1
