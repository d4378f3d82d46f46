"""``theorems grade``: grade a class's submissions, or check an exercise's own tests.

    theorems grade EXERCISES SUBMISSIONS.csv -o OUT/ [--seed S] [--workers 2] [--encoding E] [--max-rejected F]
    theorems grade EXERCISES --self-test            # run every exercise's own tests
    theorems grade EXERCISES --answer EX_ID "1/(2L)" [--student NAME]

EXERCISES is a directory of ``*.toml`` exercise files or one file ("shipped" selects the
exercises that come with ``theorems``). SUBMISSIONS.csv has a header with the columns
``student,exercise,answer``. Every row ends in the gradebook or in ``OUT/rejected.csv`` (line and
reason); the output set is replaced as a whole, under a lock (see ``docs/grading-files.md``).
Exit status: 0 graded, 1 a self-test failed, 2 nothing was graded or written (bad input, too many
rejected rows, another run holds the lock, an unwritable output), 130/143 interrupted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from ..files import OutputError
from ..textsafe import clean_text
from .exercise import SHIPPED, Exercise, load_exercises_reporting
from .grader import Job, Pool, grade_answer, seed_text

#: a run that would reject more than this fraction of the rows grades nothing and keeps the earlier output
DEFAULT_MAX_REJECTED = 0.2
#: each worker may take --memory MB; a mistyped count must not fork thousands of processes
MAX_WORKERS = 64


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="theorems grade", description="Grade answers to exercises; write a gradebook, feedback and a class summary.")
    p.add_argument("exercises", help="directory of exercise .toml files, one file, or 'shipped'")
    p.add_argument("submissions", nargs="?", help="CSV with columns student,exercise,answer")
    p.add_argument("-o", "--output", help="output directory (gradebook.csv, feedback/, summary.md, run.json)")
    p.add_argument("--seed", default="course", help="course seed: randomised parameters are drawn from it and the student name (default: %(default)s)")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default: %(default)s)")
    p.add_argument("--memory", type=int, default=3072, help="memory limit per worker in MB (default: %(default)s)")
    p.add_argument("--self-test", action="store_true", help="grade every exercise's own test answers and compare with the expected verdicts")
    p.add_argument("--answer", nargs=2, metavar=("EXERCISE", "ANSWER"), help="grade one answer and print the feedback")
    p.add_argument("--student", default="student", help="student name for --answer (selects the randomised parameters)")
    p.add_argument("--sheet", nargs="+", metavar="STUDENT", help="render the exercise sheet (prompts with these students' parameters; @FILE reads one name a line) to stdout, or to -o DIR as .md and .tex")
    p.add_argument("--pdf", action="store_true", help="with --sheet and -o: also compile each sheet with pdflatex")
    p.add_argument("--encoding", default=None, help="encoding of SUBMISSIONS.csv, e.g. cp1252 or latin-1 (default: UTF-8, or UTF-16/32 with a byte-order mark; rows that are not UTF-8 are rejected)")
    p.add_argument("--max-rejected", type=float, default=DEFAULT_MAX_REJECTED, metavar="FRACTION",
                   help="refuse to grade (and keep the earlier output) when more than this fraction of the rows is rejected (default: %(default)s)")
    return p


def _self_test(exercises: dict[str, Exercise], workers: int, memory: int) -> int:  # noqa: ARG001
    """Every test of every exercise; a test without fixed ``params`` of a randomised exercise
    runs for several parameter draws (it must hold for all of them)."""
    from .exercise import Test

    # the reference itself must be graded correct for every draw, then the exercise's own tests
    meta = [(ex, Test(ex.reference, 1.0, "correct"), draw) for ex in exercises.values() for draw in ex.parameter_draws()]
    meta += [(ex, t, draw) for ex in exercises.values() for t in ex.tests for draw in ([t.params] if t.params or not ex.parameters else ex.parameter_draws())]
    failures = 0
    for ex, t, draw in meta:
        r = grade_answer(ex, t.answer, t.seed, fixed=draw)
        ok = r.verdict == t.verdict and (t.score is None or r.score == t.score) and t.contains in r.feedback
        failures += not ok
        shown = "" if not draw or t.params else " [" + ", ".join(f"{k} = {v}" for k, v in draw) + "]"
        print(f"{'ok  ' if ok else 'FAIL'} {ex.id:32s} {t.answer!r:50.50s} -> {r.verdict} ({'' if r.score is None else f'{r.score:g}'}){shown}"
              + ("" if ok else f"  expected {t.verdict} ({t.score}){' containing ' + repr(t.contains) if t.contains else ''}"))
    print(f"{len(meta) - failures}/{len(meta)} exercise tests pass")
    return 1 if failures else 0


def _sheets(args: argparse.Namespace, exercises: dict[str, Exercise]) -> int:
    students: list[str] = []
    for name in args.sheet:
        if name.startswith("@"):
            try:
                students += [ln.strip() for ln in Path(name[1:]).read_text(encoding="utf-8").splitlines() if ln.strip()]
            except (OSError, UnicodeDecodeError) as exc:
                print(f"theorems grade: --sheet {name}: cannot read: {exc}", file=sys.stderr)
                return 2
        else:
            students.append(name)
    from .sheet import sheet_md, write_sheets

    if not args.output:
        if args.pdf:
            print("theorems grade: --pdf needs -o DIR", file=sys.stderr)
            return 2
        print("\n".join(sheet_md(st, exercises, args.seed) for st in students))
        return 0
    try:
        written = write_sheets(Path(args.output), students, exercises, args.seed, pdf=args.pdf)
    except (OSError, RuntimeError) as exc:
        print(f"theorems grade: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} files to {args.output}")
    return 0


def grade_main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.workers < 1:
        print(f"theorems grade: --workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 2
    if args.workers > MAX_WORKERS:
        print(f"theorems grade: --workers must be at most {MAX_WORKERS}, got {args.workers}", file=sys.stderr)
        return 2
    if args.memory < 256:
        print(f"theorems grade: --memory is in MB and must be at least 256, got {args.memory}", file=sys.stderr)
        return 2
    src = SHIPPED if args.exercises == "shipped" else Path(args.exercises)
    if not src.exists():
        print(f"theorems grade: {src} does not exist", file=sys.stderr)
        return 2
    exercises, refused = load_exercises_reporting(src)
    for msg in refused:  # one bad file is reported and skipped; the others are graded
        print(f"theorems grade: refused: {msg}", file=sys.stderr)
    if not exercises:
        print(f"theorems grade: no usable exercises in {src}", file=sys.stderr)
        return 2
    args.withheld = _refused_ids(src, exercises) if refused else set()
    status = _run(args, exercises)
    if refused and status == 0:
        print(f"theorems grade: {len(refused)} exercise file(s) refused (see above); exit status 3", file=sys.stderr)
        return 3
    return status


def _refused_ids(src: Path, exercises: dict[str, Exercise]) -> set[str]:
    """The ids that refused exercise files declare, where their TOML can be read at all."""
    import tomllib

    ids: set[str] = set()
    for f in sorted(src.glob("*.toml")) if src.is_dir() else [src]:
        try:
            eid = tomllib.loads(f.read_text(encoding="utf-8")).get("id")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(eid, str) and eid not in exercises:
            ids.add(eid)
    return ids


def _run(args: argparse.Namespace, exercises: dict[str, Exercise]) -> int:
    if args.sheet:
        return _sheets(args, exercises)
    if args.self_test:
        return _self_test(exercises, args.workers, args.memory)
    if args.answer:
        eid, text = args.answer
        if eid not in exercises:
            print(f"theorems grade: unknown exercise {eid!r}; known: {', '.join(sorted(exercises))}", file=sys.stderr)
            return 2
        with Pool(1, args.memory) as pool:
            (r,) = pool.grade([Job(exercises[eid], text, seed_text(args.seed, args.student))])
        print(f"{r.verdict} (score {'to be graded by hand' if r.score is None else f'{r.score:g}'})")
        if r.reading:
            print(clean_text(f"we read your answer as: {r.normalized}"))
        print(clean_text(r.feedback))
        if r.evidence:
            print(clean_text(f"[evidence: {r.evidence}]"))
        return 0
    if not args.submissions or not args.output:
        print("theorems grade: give SUBMISSIONS.csv and -o OUT/ (or --self-test, or --answer)", file=sys.stderr)
        return 2
    if not 0 <= args.max_rejected <= 1:
        print(f"theorems grade: --max-rejected is a fraction between 0 and 1, got {args.max_rejected}", file=sys.stderr)
        return 2
    from .outputset import OutputSet
    from .report import OUTPUT_NAMES, SubmissionsError, grade_class, verdict_counts, write_outputs

    subs = Path(args.submissions)
    if not subs.is_file():
        print(f"theorems grade: {subs} is not a file", file=sys.stderr)
        return 2
    out = Path(args.output)
    outset = OutputSet(out, OUTPUT_NAMES)
    try:
        # before the grading, so that no work is lost to an unwritable or busy output directory
        staging = outset.acquire()
        t0 = time.perf_counter()
        try:
            rows, problems = grade_class(exercises, subs, course_seed=args.seed, workers=args.workers, memory_mb=args.memory,
                                         encoding=args.encoding, max_rejected=args.max_rejected, withheld=args.withheld)
        except SubmissionsError as exc:
            print(clean_text(f"theorems grade: {exc}; nothing was graded or written"), file=sys.stderr)
            return 2
        write_outputs(staging, rows, problems, exercises, args.seed)
        outset.commit()
    except OutputError as exc:
        print(clean_text(f"theorems grade: {exc}"), file=sys.stderr)
        return 2
    finally:
        outset.release()
    dt = time.perf_counter() - t0
    counts: Counter[str] = verdict_counts(rows)
    print(f"graded {len(rows)} answers of {len({r.student for r in rows})} students in {dt:.1f} s: "
          + ", ".join(f"{k} {counts[k]}" for k in ("correct", "not_sharp", "incorrect", "undecided", "invalid") if counts[k]))
    kinds = Counter(p.kind for p in problems)
    if problems:
        print(f"  {kinds['rejected']} row(s) rejected, {kinds['replaced']} replaced by a later answer, {kinds['withheld']} withheld (exercise file refused), {kinds['note']} note(s) (every one in {args.output}/rejected.csv and summary.md):")
    for p in sorted(problems)[:20]:
        print(clean_text(f"  {p.kind}: {p.message}"))
    if len(problems) > 20:
        print(f"  … and {len(problems) - 20} more")
    print(f"wrote {args.output}/gradebook.csv, gradebook-lms.csv, gradebook-canvas.csv, rejected.csv, feedback/, summary.md, results.jsonl, run.json")
    return 0


def main() -> None:
    """``python -m theorems.grading.cli``: as ``theorems grade`` (signals, closed pipes, caches: :mod:`theorems.entry`)."""
    from ..entry import console

    console(["grade", *sys.argv[1:]])


if __name__ == "__main__":
    main()
