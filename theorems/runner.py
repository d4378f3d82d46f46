"""Run catalogue checks (in parallel worker processes) and collect their results."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from symbolic import Check, CheckSettings, Evidence, Outcome, Verdict

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


def run_checks(
    selected: Iterable[Entry],
    settings: CheckSettings,
    *,
    jobs: int | None = None,
    progress: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Run every check of the entries; results in catalogue order."""
    tasks = [(e.id, c.name) for e in selected for c in e.all_checks()]
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 4)
    results: dict[tuple[str, str], Result] = {}
    if jobs <= 1 or len(tasks) <= 1:
        for t in tasks:
            r = run_one(*t, settings)
            results[t] = r
            if progress:
                progress(r)
    else:
        # workers ignore Ctrl-C and die with this process; an interrupt (or SIGTERM, which the CLI
        # turns into one) cancels the pending checks and kills the running ones at once
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=worker_context(), initializer=worker_init, initargs=(os.getpid(),))
        try:
            futures = {pool.submit(run_one, *t, settings): t for t in tasks}
            for fut in as_completed(futures):
                r = fut.result()
                results[futures[fut]] = r
                if progress:
                    progress(r)
        except BaseException:
            kill_executor(pool)
            raise
        pool.shutdown(wait=True)
    return [results[t] for t in tasks]


__all__ = ["Result", "entries", "run_checks", "run_one"]
