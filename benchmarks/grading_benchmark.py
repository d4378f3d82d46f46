"""Grading throughput: a synthetic class of 300 students x 15 exercises, against a naive baseline.

Both are measured in the same run, on the same machine:

- ``theorems``: the real batch grader (worker pool with time/memory limits, 2 workers,
  identical answers graded once), on all 4500 answers, including the rigorous checks
  (Arb-confirmed counterexamples, z3, engine claims);
- ``theorems, no reuse``: the same grader with every answer graded separately, on a
  sample of the class;
- ``naive``: what a hand-written grader does: parse (with the same safe parser) and
  ``sympy.simplify(answer - reference) == 0`` per answer, one process, on the same sample
  (sets compared with ``==``, matrices entrywise). It gives no counterexample, no partial
  credit, and no property checks.

Usage: ``python benchmarks/grading_benchmark.py [STUDENTS] [SAMPLE]`` (defaults 300, 300).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import sympy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from theorems.grading import Job, Pool, shipped_exercises  # noqa: E402
from theorems.grading.checks import Context, Invalid  # noqa: E402
from theorems.grading.grader import seed_text  # noqa: E402


def synthetic_class(students: int, exercises: list, seed: int = 1) -> list[Job]:  # type: ignore[type-arg]
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


def main(students: int = 300, sample: int = 300) -> None:
    exercises = sorted(shipped_exercises().values(), key=lambda e: e.id)[:15]
    jobs = synthetic_class(students, exercises)
    rng = random.Random(2)
    subset = rng.sample(jobs, min(sample, len(jobs)))
    print(f"synthetic class: {students} students x {len(exercises)} exercises = {len(jobs)} answers "
          f"({len({j.key() for j in jobs})} distinct (exercise, answer, parameters))")

    t0 = time.perf_counter()
    for j in subset:
        naive(j)
    t_naive = time.perf_counter() - t0
    r_naive = len(subset) / t_naive
    print(f"naive (parse + sympy.simplify, 1 process), {len(subset)} answers: {t_naive:.1f} s, {r_naive:.1f} answers/s")

    with Pool(2) as pool:
        pool.grade(subset[:2], dedupe=False)  # start the workers (imports) outside the timings
        t0 = time.perf_counter()
        pool.grade(subset, dedupe=False)
        t_each = time.perf_counter() - t0
        r_each = len(subset) / t_each
        print(f"theorems, no reuse (2 workers), same {len(subset)} answers: {t_each:.1f} s, {r_each:.1f} answers/s")
        t0 = time.perf_counter()
        results = pool.grade(jobs)
        t_all = time.perf_counter() - t0
    r_all = len(jobs) / t_all
    counts: dict[str, int] = {}
    for r in results:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
    print(f"theorems (2 workers, identical answers graded once), all {len(jobs)} answers: {t_all:.1f} s, {r_all:.1f} answers/s")
    print("  verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"speed-up over naive: {r_all / r_naive:.1f}x (whole class), {r_each / r_naive:.1f}x (no reuse)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
