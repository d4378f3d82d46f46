"""``theorems mutate``: mutation testing of the catalogue's proved and certified checks.

For every selected check whose verdict is ``proved`` or ``certified``, the engine
(:mod:`symbolic.mutation`) makes wrong variants of its symbolic statement and runs them under
a time bound; the command prints, per check, how many mutants were killed, how many survived
as true statements, how many survived although the verdict ignores the mutated part, and a
mutation score per source. Exit status 1 when a check cannot fail (every mutant survives),
2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from symbolic import Check, Claim, Expect, Illustration, MonteCarlo, Verdict, profile
from symbolic.mutation import MUTANT_SETTINGS, Report, mutate, run_bounded

from .registry import Entry, entries


@dataclass
class Row:
    entry: str
    report: Report

    @property
    def source(self) -> str:
        return self.entry.split(".", 1)[0]

    def to_json(self) -> dict[str, Any]:
        return {"result": self.entry, **self.report.to_json()}


def never_strong(c: Check) -> bool:
    """Checks that can never be ``proved``/``certified`` (so need not be run to know it)."""
    if isinstance(c, Claim) and c.proof is None:
        return True
    return isinstance(c, MonteCarlo | Illustration) or c.expect is Expect.REFUTED


def candidates(selected: Iterable[Entry]) -> list[tuple[Entry, Check]]:
    """The checks that may be ``proved`` or ``certified``, in catalogue order."""
    return [(e, c) for e in selected for c in e.all_checks() if not never_strong(c)]


def sample(pairs: list[tuple[Entry, Check]], n: int | None, seed: int) -> list[tuple[Entry, Check]]:
    """``n`` of the pairs drawn with ``seed`` (all when ``n`` is None), in catalogue order."""
    if n is None or n >= len(pairs):
        return pairs
    keep = set(random.Random(seed).sample(range(len(pairs)), n))
    return [p for i, p in enumerate(pairs) if i in keep]


def _mutate_one(entry_id: str, check_name: str, seconds: float, max_mutants: int | None, seed: int) -> Row:
    """Run one check and mutate it if strong (importable by worker processes)."""
    from .registry import get
    from .runner import find_check

    e = get(entry_id)
    c = find_check(e, check_name)
    out, _ = run_bounded(c, profile(), seconds * 3)
    verdict = out.verdict if out is not None else Verdict.UNDECIDED
    report = mutate(c, original=verdict, settings=MUTANT_SETTINGS, seconds=seconds, max_mutants=max_mutants, seed=seed)
    return Row(e.id, report)


def _crashed(entry_id: str, c: Check, why: str) -> Row:
    report = Report(c.name, type(c).__name__, Verdict.UNDECIDED.value)
    report.crashed = True
    report.note = f"the process running this check and its mutants died, run alone after the shared pool broke ({why}); nothing is known of them"
    return Row(entry_id, report)


def run(
    pairs: list[tuple[Entry, Check]],
    *,
    seconds: float = 20.0,
    max_mutants: int | None = 24,
    seed: int = 0,
    log: Any = None,
    jobs: int = 1,
) -> list[Row]:
    """Run each check (its own verdict, under the profile's settings) and mutate the strong ones.

    With ``jobs`` > 1 the checks run in that many worker processes, in catalogue order; a worker that dies (a crash in native code, the kernel's
    out-of-memory killer) does not take the run with it: the checks it held are run again, each
    in a process of its own, and a check whose process dies again gets a row marked ``crashed``.
    """
    if jobs <= 1:
        rows = []
        for e, c in pairs:
            rows.append(_mutate_one(e.id, c.name, seconds, max_mutants, seed))
            if log is not None:
                print(_line(rows[-1]), file=log, flush=True)
        return rows
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from .procs import kill_executor, worker_context, worker_init

    done: dict[int, Row] = {}

    def pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=n, mp_context=worker_context(), initializer=worker_init, initargs=(os.getpid(),))

    def emit(i: int, row: Row) -> None:
        done[i] = row
        if log is not None:
            print(_line(row), file=log, flush=True)

    lost: list[int] = []
    ex = pool(jobs)
    try:
        futures = {ex.submit(_mutate_one, e.id, c.name, seconds, max_mutants, seed): i for i, (e, c) in enumerate(pairs)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                emit(i, fut.result())
            except BrokenProcessPool:
                lost.append(i)
    except BaseException:
        kill_executor(ex)
        raise
    ex.shutdown(wait=True)
    def alone(i: int) -> Row:  # a process of its own: a crash names its check
        e, c = pairs[i]
        single = pool(1)
        try:
            return single.submit(_mutate_one, e.id, c.name, seconds, max_mutants, seed).result()
        except BrokenProcessPool as exc:
            return _crashed(e.id, c, str(exc) or "the worker was killed")
        finally:
            kill_executor(single)

    # a dead worker breaks the whole pool: every check it had not finished is run again, alone
    with ThreadPoolExecutor(max_workers=jobs) as threads:
        for i, row in zip(sorted(lost), threads.map(alone, sorted(lost)), strict=True):
            emit(i, row)
    return [done[i] for i in range(len(pairs))]


def _line(row: Row) -> str:
    r = row.report
    if r.crashed:
        return f"{row.entry} :: {r.check} — CRASHED: {r.note}"
    if r.verdict not in ("proved", "certified"):
        return f"{row.entry} :: {r.check} — {r.verdict}, not mutated"
    if not r.mutable:
        return f"{row.entry} :: {r.check} — {r.verdict}, NOT MUTABLE ({r.kind})"
    flag = f"  DEFECT: {r.defect_reason}" if r.defect else ""
    return (
        f"{row.entry} :: {r.check} — {r.verdict}; mutants {len(r.results)}"
        + (f" (of {r.generated})" if r.generated > len(r.results) else "")
        + f", killed {r.killed}, survived (true) {r.survived_true}, survived (defect) {r.survived_defect}"
        + (f", timed out {r.timeouts}" if r.timeouts else "")
        + flag
    )


def scores(rows: list[Row]) -> dict[str, dict[str, Any]]:
    """Per source: checks mutated, not mutable, mutants, killed, survivors, defects and the score."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        r = row.report
        s = out.setdefault(row.source, {"checks": 0, "not_mutable": 0, "mutants": 0, "killed": 0, "survived_true": 0, "survived_defect": 0, "timeouts": 0, "defects": [], "crashed": []})
        if r.crashed:
            s["crashed"].append(f"{row.entry} :: {r.check}")
        if r.verdict not in ("proved", "certified"):
            continue
        if not r.mutable:
            s["not_mutable"] += 1
            continue
        s["checks"] += 1
        s["mutants"] += len(r.results)
        s["killed"] += r.killed
        s["survived_true"] += r.survived_true
        s["survived_defect"] += r.survived_defect
        s["timeouts"] += r.timeouts
        if r.defect:
            s["defects"].append(f"{row.entry} :: {r.check} ({r.defect_reason})")
    for s in out.values():
        s["score"] = round(s["killed"] / s["mutants"], 4) if s["mutants"] else None
    return out


def mutate_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="theorems mutate", description="Mutation testing of the proved and certified checks: can each of them fail?")
    p.add_argument("ids", nargs="*", help="IDs or prefixes (default: everything)")
    p.add_argument("--json", action="store_true", help="print a JSON object (checks and scores)")
    p.add_argument("--sample", type=int, default=None, metavar="N", help="mutate N checks drawn at random (with --seed) among the candidates")
    p.add_argument("--seed", type=int, default=0, help="seed of the samples of checks and of mutants (default 0)")
    p.add_argument("--max-mutants", type=int, default=24, metavar="M", help="at most M mutants per check, sampled with --seed (0: all; default 24)")
    p.add_argument("--seconds", type=float, default=20.0, help="time bound of each mutant's run, in seconds (default 20)")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1; a crashed worker's checks are rerun alone)")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and 2
    if args.sample is not None and args.sample < 1:
        print(f"theorems mutate: --sample must be at least 1, got {args.sample}", file=sys.stderr)
        return 2
    if not 1 <= args.jobs <= 64:
        print(f"theorems mutate: --jobs must be between 1 and 64, got {args.jobs}", file=sys.stderr)
        return 2
    if args.max_mutants < 0 or not 0 < args.seconds <= 3600:
        print("theorems mutate: --max-mutants must be >= 0 and --seconds in (0, 3600]", file=sys.stderr)
        return 2
    selected = entries(args.ids)
    if args.ids and not selected:
        print(f"theorems mutate: no catalogue entry matches {' '.join(args.ids)} (see 'theorems list')", file=sys.stderr)
        return 2
    pairs = sample(candidates(selected), args.sample, args.seed)
    try:
        rows = run(pairs, seconds=args.seconds, max_mutants=args.max_mutants or None, seed=args.seed, log=sys.stderr if args.json else sys.stdout, jobs=args.jobs)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    table = scores(rows)
    defects = [d for s in table.values() for d in s["defects"]]
    crashed = [d for s in table.values() for d in s["crashed"]]
    if args.json:
        print(json.dumps({"checks": [r.to_json() for r in rows], "scores": table}, indent=2, ensure_ascii=False, default=str))
    else:
        print()
        for src, s in sorted(table.items()):
            score = "n/a" if s["score"] is None else f"{s['score']:.1%}"
            print(
                f"{src}: mutation score {s['killed']}/{s['mutants']} killed ({score}) over {s['checks']} checks; "
                f"survived (true) {s['survived_true']}, survived (defect) {s['survived_defect']}, timed out {s['timeouts']}; "
                f"not mutable {s['not_mutable']}; checks that cannot fail: {len(s['defects'])}"
            )
        for d in defects:
            print(f"  DEFECT (cannot fail): {d}")
        for d in crashed:
            print(f"  CRASHED (its process died when run alone): {d}")
    return 1 if defects or crashed else 0


__all__ = ["mutate_main", "candidates", "sample", "run", "scores", "Row"]
