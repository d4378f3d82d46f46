"""Deterministic budgets for the solvers: a verdict never depends on how busy the machine is.

Every z3 query is bounded by a **resource limit** (z3's ``rlimit``: a count of solver
operations, independent of the machine's speed and load; z3's internal caches move a query's
count by a few units within one process, far inside the limit's margin). A wall-clock timeout is kept only
as a last-resort guard against a hang; when it fires, the query's answer is ``unknown`` and
the check says "machine time limit" in its evidence, so a verdict can change with the load
only by becoming an explicit ``undecided``, never silently.

The limit was calibrated on the whole catalogue (``python benchmarks/z3_budget.py`` prints
the resource count of every z3 query the catalogue makes, and the margin to the limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

#: the resource limit of one z3 query; see benchmarks/z3_budget.py for the calibration
Z3_RLIMIT = 50_000_000
#: wall-clock guard of one z3 query (milliseconds): only against hangs, never a verdict
Z3_GUARD_MS = 300_000


def z3_solver(logic: str | None = None, *, rlimit: int | None = None, guard_ms: int | None = None) -> z3.Solver:
    """A z3 solver bounded by a resource limit, with a generous wall-clock guard."""
    solver = z3.SolverFor(logic) if logic else z3.Solver()
    solver.set("rlimit", int(rlimit if rlimit is not None else Z3_RLIMIT))
    solver.set("timeout", int(guard_ms if guard_ms is not None else Z3_GUARD_MS))
    return solver


@dataclass(frozen=True)
class Z3Answer:
    """A z3 answer and, when ``unknown``, which limit stopped it."""

    answer: Any
    limit: str = ""  # "" | "resource limit" | "machine time limit" | z3's own reason
    rlimit_used: int = 0

    @property
    def unsat(self) -> bool:
        return bool(self.answer == z3.unsat)

    @property
    def sat(self) -> bool:
        return bool(self.answer == z3.sat)

    def describe(self, rlimit: int = Z3_RLIMIT) -> str:
        if self.answer != z3.unknown:
            return f"z3 answered {self.answer}"
        if self.limit == "machine time limit":
            return f"z3 stopped by the machine time limit (wall-clock guard {Z3_GUARD_MS // 1000} s, a hang guard): undecided on this machine"
        if self.limit == "resource limit":
            return f"z3 reached its resource limit (rlimit {rlimit:,}) without an answer"
        return f"z3 answered unknown ({self.limit})"


def _resource_count(solver: z3.Solver) -> int:
    """z3's resource counter after the solver's last check: one counter for the whole process."""
    try:
        return int(solver.statistics().get_key_value("rlimit count"))
    except (z3.Z3Exception, KeyError, ValueError):
        return 0


def _current_count() -> int:
    probe = z3.Solver()
    probe.check()
    return _resource_count(probe)


def rlimit_used(solver: z3.Solver, before: int) -> int:
    """The resources the solver's last check used (``rlimit`` is relative to the count before it)."""
    return max(_resource_count(solver) - before, 0)


#: (rlimit used, answer) of each z3 query while ``RECORD`` is true (the calibration benchmark
#: and the load test switch it on; off, nothing accumulates in long runs)
LOG: list[tuple[int, str]] = []
RECORD = False


def check_or_interrupt(solver: z3.Solver) -> Any:
    """``solver.check()``, except that a Ctrl-C during it raises ``KeyboardInterrupt``.

    z3 installs its own SIGINT handler while it searches: a Ctrl-C then cancels the query,
    which answers ``unknown`` ("interrupted from keyboard"), and Python never sees the signal.
    Left alone, the interrupted query reads as an ``undecided`` check and the run goes on; here
    it is the interrupt the user asked for."""
    answer = solver.check()
    if answer == z3.unknown and "interrupted from keyboard" in solver.reason_unknown():
        raise KeyboardInterrupt
    return answer


def z3_check(solver: z3.Solver) -> Z3Answer:
    """``solver.check()``, with the limit that stopped it named when the answer is unknown
    (a Ctrl-C during the query raises ``KeyboardInterrupt``: :func:`check_or_interrupt`)."""
    before = _current_count()
    answer = check_or_interrupt(solver)
    used = rlimit_used(solver, before)
    if RECORD:
        LOG.append((used, str(answer)))
    if answer != z3.unknown:
        return Z3Answer(answer, "", used)
    reason = solver.reason_unknown()
    if "resource limit" in reason:
        return Z3Answer(answer, "resource limit", used)
    if "timeout" in reason or "canceled" in reason:
        return Z3Answer(answer, "machine time limit", used)
    return Z3Answer(answer, reason, used)


__all__ = ["LOG", "RECORD", "Z3_GUARD_MS", "Z3_RLIMIT", "Z3Answer", "check_or_interrupt", "rlimit_used", "z3_check", "z3_solver"]
