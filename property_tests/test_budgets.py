"""Verdicts do not depend on the machine's load: z3 is bounded by a resource count, not a clock.

The sample re-runs z3-backed catalogue checks while busy processes load every core, and
asserts the same verdicts, and the same resource counts to within z3's cache effects, as an
unloaded run: the budget that
decides is deterministic. The wall-clock guard, when it fires, gives an explicit
``undecided`` that names the machine time limit.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys

import pytest
import sympy
import z3

from symbolic import CheckSettings, Implication, Verdict, budgets
from theorems.registry import entries

#: entries whose proofs hold the catalogue's hardest z3 queries (benchmarks/z3_budget.py)
SAMPLE = ("pauwels.kl-quadratic", "sgdloj.quadratic-nonnegative", "pauwels.semialgebraic", "sgdloj.bounded-noise-rate")


def _z3_checks():
    out = []
    for e in entries(SAMPLE):
        for c in e.all_checks():
            if c.kind == "S":
                out.append((e.id, c))
    return out


def _run_sample(checks) -> dict[str, tuple[str, list[int]]]:
    settings = CheckSettings()
    budgets.RECORD = True
    result = {}
    for eid, c in checks:
        budgets.LOG.clear()
        verdict = c.run(settings).verdict
        result[f"{eid} :: {c.name}"] = (str(verdict), [used for used, _ in budgets.LOG])
    budgets.RECORD = False
    budgets.LOG.clear()
    return result


def _busy() -> list[subprocess.Popen]:
    code = "import time\nend = time.monotonic() + 300\nwhile time.monotonic() < end: pass\n"
    return [subprocess.Popen([sys.executable, "-c", code], start_new_session=True) for _ in range(max(2, (os.cpu_count() or 2) + 1))]


def test_verdicts_and_resource_counts_identical_under_load() -> None:
    checks = _z3_checks()
    assert len(checks) >= 8, "the sample lost its z3-backed checks"
    idle = _run_sample(checks)
    assert any(counts for _, counts in idle.values()), "no z3 query was made"
    procs = _busy()
    try:
        loaded = _run_sample(checks)
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    assert {k: v for k, (v, _) in loaded.items()} == {k: v for k, (v, _) in idle.items()}
    # the counts are the budget's currency: independent of the load (z3's caches in one
    # process move them by a few units, far inside the 16x margin of the hardest query)
    for key, (_, counts) in idle.items():
        again = loaded[key][1]
        assert len(again) == len(counts), key
        assert all(abs(a - b) <= 0.1 * b + 50 for a, b in zip(again, counts, strict=True)), (key, counts, again)


def test_resource_limit_gives_undecided_naming_it() -> None:
    x, y = sympy.symbols("x y", real=True)
    hard = Implication("hard", [x**2 + y**2 <= 1], x**5 * y - 3 * x * y**3 + x**3 <= 2, rlimit=1)
    out = hard.run(CheckSettings())
    assert out.verdict is Verdict.UNDECIDED
    assert "resource limit" in out.evidence.details
    assert out.evidence.extra["rlimit"] == 1


def test_machine_time_limit_is_named_never_silent() -> None:
    x, y, z = z3.Reals("x y z")
    s = budgets.z3_solver("QF_NRA", guard_ms=1)
    s.add(x**5 * y - 7 * x * y**3 * z + z**4 * x - 3 > 0, x * y * z < -2, x**2 + y**2 + z**2 < 5, x**3 - y**3 + z * x * y > 11)
    res = budgets.z3_check(s)
    if res.answer != z3.unknown:
        pytest.skip("z3 answered within 1 ms on this machine; the guard did not fire")
    assert res.limit == "machine time limit"
    assert "machine time limit" in res.describe()


def test_resource_count_is_per_query() -> None:
    """z3's counter is global to the process; the budget module measures each query's own use."""
    x = z3.Real("x")

    def one() -> int:
        s = budgets.z3_solver("QF_NRA")
        s.add(x * x * x - 2 * x + 1 == 0, x > 0)
        return budgets.z3_check(s).rlimit_used

    first, second = one(), one()
    assert 0 < first == second


def _child_count(q: mp.Queue) -> None:  # pragma: no cover - runs in a child process
    x = z3.Real("x")
    s = budgets.z3_solver("QF_NRA")
    s.add(x * x * x - 2 * x + 1 == 0, x > 0)
    q.put(budgets.z3_check(s).rlimit_used)


def test_resource_count_same_in_a_fresh_process() -> None:
    q: mp.Queue = mp.get_context("spawn").Queue()
    p = mp.get_context("spawn").Process(target=_child_count, args=(q,))
    p.start()
    child = q.get(timeout=120)
    p.join()
    x = z3.Real("x")
    s = budgets.z3_solver("QF_NRA")
    s.add(x * x * x - 2 * x + 1 == 0, x > 0)
    assert budgets.z3_check(s).rlimit_used == child
