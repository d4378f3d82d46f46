"""Run catalogue checks (in parallel worker processes) and collect their results."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from symbolic import Check, CheckSettings, Evidence, Outcome, Verdict, interrupts

from .executors import ExecutorSpec, chunk_mapper, dask_client
from .procs import kill_executor, worker_context, worker_init
from .registry import Entry, entries, get


@dataclass(frozen=True)
class Result:
    """The outcome of one check of one catalogue entry, with what was expected of it."""

    entry: str
    check: str
    kind: str
    role: str
    expect: str
    outcome: Outcome
    seconds: float

    @property
    def ok(self) -> bool:
        """The verdict is the one the catalogue expects (undecided never is)."""
        if self.expect == "refuted":
            return self.outcome.verdict is Verdict.REFUTED
        return self.outcome.verdict.holds

    def to_json(self) -> dict[str, Any]:
        data = {
            "result": self.entry,
            "check": self.check,
            "kind": self.kind,
            "role": self.role or "stated",
            "expect": self.expect,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
        }
        data.update(self.outcome.to_json())
        return data


def find_check(entry: Entry, name: str) -> Check:
    for c in entry.all_checks():
        if c.name == name:
            return c
    raise KeyError(f"{entry.id} has no check {name!r}")


def run_one(entry_id: str, check_name: str, settings: CheckSettings) -> Result:
    """Run one check by name (importable by worker processes)."""
    e = get(entry_id)
    c = find_check(e, check_name)
    start = time.monotonic()
    try:
        outcome = c.run(settings)
    except Exception as exc:  # a crashing check is reported, not hidden
        outcome = Outcome(Verdict.UNDECIDED, Evidence(method="the check raised an error", details=f"{type(exc).__name__}: {exc}"))
    return Result(e.id, c.name, c.kind, c.role, c.expect.value, outcome, time.monotonic() - start)


def _expected_seconds(f: Path | None) -> dict[str, float]:
    """The time each check took when last run (``{"ID::check": seconds}``) as kept in ``f``."""
    if f is None:
        return {}
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError, TypeError):
        return {}


def _remember_seconds(f: Path | None, results: Iterable[Result]) -> None:
    if f is None:
        return
    known = _expected_seconds(f)
    known.update({f"{r.entry}::{r.check}": round(r.seconds, 3) for r in results})
    with contextlib.suppress(OSError):
        f.parent.mkdir(parents=True, exist_ok=True)
        tmp = f.with_name(f"{f.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(known, sort_keys=True), encoding="utf-8")
        os.replace(tmp, f)


def run_checks(
    selected: Iterable[Entry],
    settings: CheckSettings,
    *,
    jobs: int | None = None,
    progress: Callable[[Result], None] | None = None,
    executor: ExecutorSpec | None = None,
    durations: Path | None = None,
) -> list[Result]:
    """Run every check of the entries; results in catalogue order.

    ``jobs`` worker processes (default: one per core); with ``durations`` (a JSON file the CLI
    keeps in its cache folder) the checks that took longest when last run start first, and the
    file is updated. ``executor`` (see :mod:`theorems.executors`)
    runs them on a Dask cluster instead; the verdicts are the same.
    """
    tasks = [(e.id, c.name) for e in selected for c in e.all_checks()]
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    results: dict[tuple[str, str], Result] = {}

    def record(t: tuple[str, str], r: Result) -> None:
        results[t] = r
        if progress:
            progress(r)

    if executor is not None and executor.is_dask:
        _run_on_dask(tasks, settings, jobs, executor, record)
    elif jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            interrupts.check()
            record(t, run_one(*t, settings))
    else:
        expected = _expected_seconds(durations)
        order = sorted(tasks, key=lambda t: -expected.get(f"{t[0]}::{t[1]}", float("inf")))  # unknown first
        # workers ignore Ctrl-C and die with this process; an interrupt (or SIGTERM, which the CLI
        # turns into one) cancels the pending checks and kills the running ones at once
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=worker_context(), initializer=worker_init, initargs=(os.getpid(),))
        try:
            futures = {pool.submit(run_one, *t, settings): t for t in order}
            for fut in as_completed(futures):
                record(futures[fut], fut.result())
        except BaseException:
            kill_executor(pool)
            raise
        pool.shutdown(wait=True)
    out = [results[t] for t in tasks]
    _remember_seconds(durations, out)
    return out


def _run_on_dask(
    tasks: list[tuple[str, str]],
    settings: CheckSettings,
    jobs: int,
    executor: ExecutorSpec,
    record: Callable[[tuple[str, str], Result], None],
) -> None:
    """Every check a task of the cluster, except Monte Carlo checks: those run here, their chunks
    being the cluster's tasks (see :mod:`theorems.executors`)."""
    from dask.distributed import as_completed as dask_completed

    from symbolic import MonteCarlo
    from symbolic.chunks import using_mapper

    client = dask_client(executor, jobs)
    try:
        here = [t for t in tasks if isinstance(find_check(get(t[0]), t[1]), MonteCarlo)]
        futures = {client.submit(run_one, *t, settings, pure=False): t for t in tasks if t not in here}
        with using_mapper(chunk_mapper(client)):  # type: ignore[arg-type]
            for t in here:
                record(t, run_one(*t, settings))
        for fut in dask_completed(list(futures)):
            record(futures[fut], fut.result())
    finally:
        cluster = getattr(client, "cluster", None)
        client.close()
        if cluster is not None and executor.kind == "dask-local":
            cluster.close()


__all__ = ["Result", "entries", "run_checks", "run_one"]
