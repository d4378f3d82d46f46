"""Grading cost per answer, against a naive baseline, in CPU seconds (wall time alongside).

A synthetic class (300 students x 15 exercises = 4500 answers, of which only a few hundred
are distinct) and a random sample of it. Three measurements, each the median of
``--repeats`` runs, in the same run of this script:

- ``naive``: what a hand-written grader does: parse (with the same safe parser) and
  ``sympy.simplify(answer - reference) == 0`` per answer, in this process (sets compared
  with ``==``, matrices entrywise). No counterexample, no partial credit, no property check,
  no time limit;
- ``theorems, per answer``: the real batch grader (worker pool with CPU-time and memory
  limits, 2 workers started once per run and reused) on the same sample with
  ``dedupe=False``: every answer graded on its own, including the rigorous checks
  (Arb-confirmed counterexamples, z3, limits, the catalogue's engine claims);
- ``theorems, class``: the same grader on the whole class, identical (exercise, parsed
  answer, parameters) graded once.

CPU = ``time.process_time()`` of this process + the pool workers' user and system time (read
from ``/proc``) + ``RUSAGE_CHILDREN`` of workers that ended. Every repeat starts with a cold
cache: sympy's cache is cleared before each naive run, every theorems run uses a new pool
(warmed on one answer outside the timing) and a cleared answer-key memo, so a repeat does not
profit from the one before (the one-off preparation of a pool, answer-independent caches built before
its workers fork, is done once per process and printed on its own). The naive cost of the whole class is the naive per-answer CPU
times the class size (it has no reuse).

Usage: ``python benchmarks/grading_benchmark.py [--students 300] [--sample 100] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from theorems.grading import Exercise, Job, Pool, shipped_exercises  # noqa: E402
from theorems.grading import checks as grading_checks  # noqa: E402
from theorems.grading import context as grading_context  # noqa: E402
from theorems.grading.checks import Context, Invalid  # noqa: E402
from theorems.grading.grader import seed_text  # noqa: E402


def synthetic_class(students: int, exercises: list[Exercise], seed: int = 1) -> list[Job]:
    """Each student answers each exercise with one of its test answers (correct ones more
    often), sometimes spelled differently (spaces), as a real class would."""
    rng = random.Random(seed)
    jobs = []
    for s in range(students):
        for ex in exercises:
            tests = ex.tests
            weights = [4 if t.verdict == "correct" else 1 for t in tests]
            t = rng.choices(tests, weights)[0]
            answer = t.answer
            if rng.random() < 0.3 and ex.kind not in ("set", "interval"):
                answer = answer.replace("*", " * ", 1)
            jobs.append(Job(ex, answer, seed_text("bench", f"student{s:03d}")))
    return jobs


def naive(job: Job) -> bool:
    """Parse, then sympy.simplify(answer - reference) == 0."""
    ex = job.ex
    ctx = Context(ex, ex.draw_parameters(job.seed), job.seed)
    try:
        ref = ctx.parse(ex.reference, trusted=True)
        ans = ctx.parse(job.answer)
    except Invalid:
        return False
    if isinstance(ref, sympy.MatrixBase):
        return isinstance(ans, sympy.MatrixBase) and ans.shape == ref.shape and all(sympy.simplify(a - b) == 0 for a, b in zip(ans, ref, strict=True))
    if isinstance(ref, sympy.Set):
        return bool(ans == ref)
    return bool(sympy.simplify(ans - ref) == 0)


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def measure_naive(jobs: list[Job]) -> tuple[float, float]:
    """(CPU s, wall s) of the naive grader on ``jobs``, sympy's cache cleared first."""
    sympy.core.cache.clear_cache()
    naive(jobs[0])  # parser and sympy code paths warm, outside the timing
    sympy.core.cache.clear_cache()
    c0, w0 = time.process_time(), time.perf_counter()
    for j in jobs:
        naive(j)
    return time.process_time() - c0, time.perf_counter() - w0


PREPARE_CPU: list[float] = []


def measure_theorems(jobs: list[Job], warm: Job, *, dedupe: bool, workers: int = 2) -> tuple[float, float, list[str]]:
    """(CPU s of this process and the workers, wall s, verdicts) of a fresh pool on ``jobs``.

    Outside the timing: the pool's one-off preparation (answer-independent caches built in
    this process before the workers fork; its CPU is kept in ``PREPARE_CPU`` and printed) and
    the start of the workers."""
    grading_checks._KEYS.clear()  # the answer-key memo: no help from an earlier repeat
    grading_checks._TEXTS.clear()  # nor from the parsed references it left in this process
    grading_context._EXERCISE_PARSES.clear()  # (constraints, dependent bounds, probe points)
    with Pool(workers) as pool:
        c0 = time.process_time()
        pool.prepare({id(j.ex): j.ex for j in jobs}.values())
        PREPARE_CPU.append(time.process_time() - c0)
        pool.grade([warm] * workers, dedupe=False)  # start the workers outside the timing
        c0, w0, k0, ch0 = time.process_time(), time.perf_counter(), pool.worker_cpu(), _children_cpu()
        results = pool.grade(jobs, dedupe=dedupe)
        cpu = time.process_time() - c0 + pool.worker_cpu() - k0 + _children_cpu() - ch0
        wall = time.perf_counter() - w0
    return cpu, wall, [r.verdict for r in results]


def median_of(repeats: int, run: Callable[[], tuple[float, ...]]) -> tuple[float, float]:
    runs = [run() for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=300)
    ap.add_argument("--sample", type=int, default=100, help="answers graded one by one (naive and no reuse)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-class", action="store_true", help="skip the whole-class run")
    args = ap.parse_args(argv)
    exercises = sorted(shipped_exercises().values(), key=lambda e: e.id)[:15]
    jobs = synthetic_class(args.students, exercises)
    subset = random.Random(2).sample(jobs, min(args.sample, len(jobs)))
    warm = Job(exercises[0], exercises[0].tests[0].answer, "warm-up")
    n, m = len(subset), len(jobs)
    print(f"synthetic class: {args.students} students x {len(exercises)} exercises = {m} answers "
          f"({len({j.key() for j in jobs})} distinct (exercise, parsed answer, parameters)); sample of {n}; "
          f"medians of {args.repeats} repeats; CPU = this process + workers")
    grading_checks._KEYS.clear()

    cpu_naive, wall_naive = median_of(args.repeats, lambda: measure_naive(subset))
    print(f"naive (parse + sympy.simplify, 1 process), {n} answers: CPU {cpu_naive:.2f} s "
          f"({1000 * cpu_naive / n:.1f} ms/answer), wall {wall_naive:.2f} s")
    cpu_each, wall_each = median_of(args.repeats, lambda: measure_theorems(subset, warm, dedupe=False, workers=args.workers)[:2])
    print(f"theorems per answer (no reuse, {args.workers} workers), same {n} answers: CPU {cpu_each:.2f} s "
          f"({1000 * cpu_each / n:.1f} ms/answer), wall {wall_each:.2f} s")
    print(f"  ratio per answer (naive CPU / theorems CPU): {cpu_naive / cpu_each:.2f}x (wall {wall_naive / wall_each:.2f}x)")
    print(f"  one-off preparation per process (answer-independent caches built before the workers fork: step-size objective pool, "
          f"exercise texts per parameter draw, z3's context; not in the figures above): CPU {max(PREPARE_CPU):.2f} s first time")
    if args.skip_class:
        return
    verdicts: list[str] = []

    def whole() -> tuple[float, float]:
        cpu, wall, v = measure_theorems(jobs, warm, dedupe=True, workers=args.workers)
        verdicts[:] = v
        return cpu, wall

    cpu_all, wall_all = median_of(args.repeats, whole)
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v] = counts.get(v, 0) + 1
    naive_all = cpu_naive / n * m
    print(f"theorems on the class (identical answers graded once), {m} answers: CPU {cpu_all:.2f} s "
          f"({1000 * cpu_all / m:.2f} ms/answer), wall {wall_all:.2f} s")
    print("  verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"  ratio on the class (naive CPU {naive_all:.1f} s, from its per-answer CPU, / theorems CPU): "
          f"{naive_all / cpu_all:.1f}x (wall {wall_naive / n * m / wall_all:.1f}x)")


if __name__ == "__main__":
    main()
