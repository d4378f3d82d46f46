"""Calibration of z3's resource limit: the resource count of every z3 query the catalogue makes.

    python benchmarks/z3_budget.py [PREFIX ...]

Runs every check of the selected entries in this process (all entries by default), records
the ``rlimit count`` of each z3 query (``symbolic.budgets.LOG``) and prints, per check that
called z3, its queries, the largest count and the CPU time, then the margin of the hardest
query to ``Z3_RLIMIT``. Resource counts are deterministic: the same on any machine and under
any load, which is why they, not wall-clock time, decide verdicts.
"""

from __future__ import annotations

import sys
import time

from symbolic import budgets
from symbolic.settings import profile
from theorems.registry import entries


def main(selectors: list[str]) -> int:
    settings = profile("fast")
    budgets.RECORD = True
    rows: list[tuple[int, int, float, str, str]] = []
    for e in entries(selectors):
        for c in e.all_checks():
            budgets.LOG.clear()
            t0 = time.process_time()
            out = c.run(settings)
            dt = time.process_time() - t0
            if budgets.LOG:
                rows.append((max(u for u, _ in budgets.LOG), len(budgets.LOG), dt, f"{e.id} :: {c.name}", str(out.verdict)))
    rows.sort(reverse=True)
    print(f"{'max rlimit used':>16} {'queries':>8} {'cpu s':>7}  verdict    check")
    for used, n, dt, name, verdict in rows[:25]:
        print(f"{used:>16,} {n:>8} {dt:>7.2f}  {verdict:<10} {name}")
    if rows:
        hardest = rows[0][0]
        print(f"\n{len(rows)} checks call z3; hardest query {hardest:,} of Z3_RLIMIT {budgets.Z3_RLIMIT:,}: margin {budgets.Z3_RLIMIT / max(hardest, 1):.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
