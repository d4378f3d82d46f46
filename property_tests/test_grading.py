"""The grader end to end: batch grading, gradebook and feedback files, rerun determinism,
bad rows, worker limits, and hostile input answered with a clear message."""

from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import pytest

from theorems.grading import (
    ExerciseError,
    Job,
    Pool,
    grade_answer,
    parse_exercise,
    shipped_exercises,
)
from theorems.grading.cli import grade_main
from theorems.grading.report import SubmissionsError, grade_class, read_submissions, write_outputs

EXERCISES = shipped_exercises()
CLASS = Path(__file__).resolve().parent.parent / "theorems" / "examples" / "class" / "submissions.csv"


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    a = tmp_path_factory.mktemp("run1")
    b = tmp_path_factory.mktemp("run2")
    assert grade_main(["shipped", str(CLASS), "-o", str(a)]) == 0
    assert grade_main(["shipped", str(CLASS), "-o", str(b), "--workers", "1"]) == 0
    return a, b


def test_sample_class_gradebook(graded: tuple[Path, Path]) -> None:
    out, _ = graded
    rows = list(csv.DictReader((out / "gradebook.csv").open()))
    assert list(rows[0]) == ["student", "exercise", "score", "verdict"]
    students = {r["student"] for r in rows}
    assert len(students) >= 20
    verdicts = {r["verdict"] for r in rows}
    assert {"correct", "not_sharp", "incorrect", "invalid"} <= verdicts
    for r in rows:
        if r["verdict"] == "undecided":
            assert r["score"] == ""
        else:
            assert 0 <= float(r["score"]) <= 1
    lms = list(csv.reader((out / "gradebook-lms.csv").open()))
    assert lms[0][0] == "Username" and lms[0][-1] == "Total"
    assert len(lms) == len(students) + 1
    for st in students:
        assert any(p.read_text().startswith(f"# Feedback for {st}") for p in (out / "feedback").glob("*.md"))
    tex = (out / "feedback" / "ada.tex").read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    summary = (out / "summary.md").read_text()
    assert "Common wrong answers" in summary and "no-such-exercise" in summary


def test_rerun_gives_identical_files_whatever_the_worker_count(graded: tuple[Path, Path]) -> None:
    a, b = graded
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    assert not list(a.rglob(".*")), "temporary files left behind"


def test_bad_rows_never_stop_the_batch(tmp_path: Path) -> None:
    sub = tmp_path / "s.csv"
    sub.write_bytes(
        b"student,exercise,answer\n"
        b"ann,largest-step-size,1/L\n"
        b"bob,unknown-exercise,1\n"
        b"carl\n"
        b",largest-step-size,1/L\n"
        b"eve,largest-step-size,\xff\xfe\n"
        b"dan,largest-step-size,\"unterminated\n"
    )
    rows, problems = grade_class(EXERCISES, sub, workers=1)
    by = {(r.student, r.exercise): r.result for r in rows}
    assert by[("ann", "largest-step-size")].verdict == "correct"
    assert ("eve", "largest-step-size") not in by  # bytes that are not UTF-8: rejected, never guessed
    assert ("dan", "largest-step-size") not in by  # a quote never closed: rejected, not graded
    messages = " ".join(m for _, m in problems)
    assert "unknown exercise" in messages and "fields" in messages and "missing student" in messages
    assert "not UTF-8" in messages and "--encoding" in messages and "never closed" in messages
    write_outputs(tmp_path / "out", rows, problems, EXERCISES, "course")
    assert (tmp_path / "out" / "gradebook.csv").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,answer\nann,1\n", "the header must name the columns student, exercise, answer; it is 'name,answer'"),
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "the header must name the columns"),
    ],
)
def test_a_file_that_is_not_a_submissions_file_is_refused_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    sub = tmp_path / "s.csv"
    sub.write_bytes(content)
    with pytest.raises(SubmissionsError, match=re.escape(message)):
        read_submissions(sub)
    # the CLI refuses it before grading, and an earlier gradebook in the output directory survives
    out = tmp_path / "out"
    out.mkdir()
    (out / "gradebook.csv").write_text("student,exercise,score,verdict\nann,x,1,correct\n")
    assert grade_main(["shipped", str(sub), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was graded or written" in err
    assert (out / "gradebook.csv").read_text().startswith("student,exercise,score,verdict\nann,x,1")
    assert sorted(p.name for p in out.iterdir()) == ["gradebook.csv"]


@pytest.mark.parametrize(("argv", "message"), [(["--workers", "0"], "--workers must be at least 1"), (["--memory", "10"], "--memory is in MB")])
def test_bad_grade_options_get_a_message(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert grade_main(["shipped", str(CLASS), "-o", "unused", *argv]) == 2
    assert message in capsys.readouterr().err


def test_randomised_parameters_depend_on_the_student_and_are_reproducible() -> None:
    ex = EXERCISES["gradient-map-jacobian"]
    draws = {str(ex.draw_parameters(f"course|s{i}")) for i in range(30)}
    assert len(draws) > 1
    assert ex.draw_parameters("course|s1") == ex.draw_parameters("course|s1")
    # an answer right for one student's c is wrong for another's
    right = {c: grade_answer(ex, "[[1 - 2*alpha*y, -2*alpha*x], [-2*alpha*x, 1]]", fixed=(("c", str(c)),)).verdict for c in (1, 2)}
    assert right == {1: "correct", 2: "incorrect"}


def test_counterexample_of_a_wrong_step_size_is_an_objective() -> None:
    r = grade_answer(EXERCISES["largest-step-size"], "3/(2L)")
    assert r.verdict == "incorrect"
    assert r.counterexample and "cos" in r.counterexample["F"]
    assert "1/L" not in r.feedback


def test_undecided_is_never_wrong_and_the_time_limit_holds() -> None:
    data = {
        "id": "slow", "prompt": "p", "timeout": 0.05,
        "answer": {"kind": "function", "variables": ["s"], "reference": "s^(1/4)"},
        "symbols": {"s": {"positive": True}}, "domain": {"s": ["0", "1/16"]},
        "check": {"type": "desingularizing", "objective": "x^4", "radius": "1/2", "range": "1/16", "examples": 1000},
        "tests": [{"answer": "s^(1/4)", "verdict": "correct"}],
    }
    ex = parse_exercise(data)
    t0 = time.perf_counter()
    with Pool(1) as pool:
        # many seeds: an alarm that library code swallows (a gc callback, hypothesis) must
        # not let the answer finish, and be graded, past its limit
        # (an answer that takes seconds: cosh(800 + s) overflows float64, so every one of the
        # ~8000 points per condition is decided in mpmath and Arb; the limit is 0.05 s)
        results = pool.grade([Job(ex, "s^(1/4) + s^2*(cosh(800 + s) - sinh(800 + s))", f"x{i}") for i in range(20)], dedupe=False)
    assert time.perf_counter() - t0 < 60
    for r in results:
        assert r.verdict == "undecided" and r.score is None and r.evidence == "CPU time limit 0.05 s (the exercise's timeout)", r.evidence


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"prompt": "p"}, "missing field 'id'"),
        ({"id": "x", "prompt": "p", "answer": {"kind": "poem", "reference": "1"}, "check": {"type": "equivalent"}}, "answer.kind"),
        ({"id": "x", "prompt": "p", "answer": {"kind": "number", "reference": "1"}, "check": {"type": "magic"}}, "check.type"),
        ({"id": "x", "prompt": "p", "answer": {"kind": "expression", "variables": ["t"], "reference": "t"}, "check": {"type": "equivalent"}, "tests": [{"answer": "t", "verdict": "correct"}]}, "needs a domain"),
        ({"id": "x", "prompt": "p", "answer": {"kind": "number", "reference": "1"}, "check": {"type": "equivalent"}, "tests": []}, "verdict 'correct'"),
    ],
)
def test_malformed_exercises_are_refused_with_a_message(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ExerciseError, match=message):
        parse_exercise(data)


# ------------------------------------------------------------------ hostile input, end to end through the workers

HOSTILE_INVALID = [
    "__import__('os').system('echo pwned')",
    "exec('import os')",
    "lambda: 1",
    "L.__class__",
    "1/L; import os",
    "(" * 400 + "L" + ")" * 400,
    "L^(10^10)",
    "9^9^9^9",
    "1e99999999",
    "L" * 3000,
    "\\input{/etc/passwd}",
    "\\def\\x{1}\\x",
    "\\frac{1}{0}",
    "1/0",
    "L\x00",
    "\u202e1/L",
    "a(b+c)",
    "L(1+L)",
    "1/2L",
    "",
    "   ",
    "2**",
    "sqrt(",
    "{{{{",
    "$$",
    "os.system",
    "[[1,2],[3,4]]",
    "1 <= L",
    "sympify('1')",
    "\\sqrt[\\sqrt[\\sqrt[3]{2}]{2}]{L",
    "9" * 500,
]


def test_hostile_answers_get_a_clear_message_within_the_limits() -> None:
    ex = EXERCISES["largest-step-size"]
    jobs = [Job(ex, a, f"course|h{i}") for i, a in enumerate(HOSTILE_INVALID)]
    t0 = time.perf_counter()
    with Pool(2) as pool:
        results = pool.grade(jobs)
    elapsed = time.perf_counter() - t0
    assert elapsed < ex.timeout * 2, elapsed
    for answer, r in zip(HOSTILE_INVALID, results, strict=True):
        assert r.verdict == "invalid", (answer[:40], r.verdict, r.feedback)
        assert r.score == 0
        detail = r.feedback.split("\n\n", 1)[1]
        assert 5 < len(detail) < 3000, answer[:40]
        assert "Traceback" not in r.feedback


# Well-formed but nasty answers to "the largest step size" (reference 1/L), each with the verdict
# it must get: never a crash, never a guess.
HOSTILE_OTHER = {
    "exp(exp(exp(exp(5))))/L": "invalid",  # a tower beyond the exponent limit
    "1/L + 0*exp(999)": "invalid",  # exp(999) is refused before 0* could cancel it
    "sin(1/L)^200 / L": "undecided",  # 0 at L = 1/pi (no step size there), positive at every rational: cannot be decided
    "Max(1/L, 1/L^2)": "incorrect",  # exceeds 1/L for L < 1
    "(1/L)^(1/3)^(1/3)": "incorrect",  # right-associative: (1/L)^0.69 > 1/L for L > 1
}


def test_well_formed_but_nasty_answers_get_the_right_verdict() -> None:
    ex = EXERCISES["largest-step-size"]
    with Pool(2) as pool:
        results = pool.grade([Job(ex, a, "course|n") for a in HOSTILE_OTHER])
    for (answer, verdict), r in zip(HOSTILE_OTHER.items(), results, strict=True):
        assert r.verdict == verdict, (answer, r.verdict, r.feedback)
        assert "internal error" not in r.evidence, (answer, r.evidence)
        if verdict == "incorrect":
            assert "confirmed in Arb" in r.evidence and r.counterexample, (answer, r.evidence)


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        ("largest-step-size", "sqrt(L-5)/L"),  # z3 alone would assume L >= 5 and "prove" it
        ("largest-step-size", "sqrt(-L)"),
        ("gd-iterations", "2*L*D/eps^2 + sqrt(eps - 1/2)"),
        ("jacobian-eigenvalue-bound", "1 - alpha*L - sqrt(alpha - 1)"),
        ("contraction-step-size", "sqrt(alpha - 1)"),
    ],
)
def test_answers_undefined_on_part_of_the_domain_are_wrong(exercise: str, answer: str) -> None:
    r = grade_answer(EXERCISES[exercise], answer)
    assert r.verdict == "incorrect", r.feedback
    assert r.counterexample


def _address_space_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def test_workers_run_under_a_memory_limit() -> None:
    from concurrent.futures import ProcessPoolExecutor

    from theorems.grading.grader import _init_worker

    with ProcessPoolExecutor(1, initializer=_init_worker, initargs=(2048,)) as ex:
        limit = ex.submit(_address_space_limit).result(timeout=60)
    assert 0 < limit <= 2048 * 1024 * 1024


# ---------------------------------------------------------------- issue 15: a lecturer can hand it over


@pytest.mark.parametrize(
    ("eid", "answer", "verdict", "params"),
    [
        ("quadratic-convergent-steps", "]0, 2/lambda[", "correct", ()),
        ("quadratic-convergent-steps", "]0, 1[", "correct", (("lambda", "2"),)),
        ("quadratic-convergent-steps", "0 < gamma < 2/lambda", "correct", ()),
        ("quadratic-convergent-steps", "]0, 2/lambda]", "incorrect", ()),
        ("largest-step-size", "1/L.", "correct", ()),
        ("subdifferential-limiting", "{±1}", "correct", ()),
        ("subdifferential-limiting", "±1", "correct", ()),
        ("gd-iterations", "ceil(2*L*D/eps^2)", "correct", ()),
        ("saddle-escape-direction", "[-2, 2]", "correct", ()),
        ("saddle-escape-direction", "(5, -5)", "correct", ()),
        ("saddle-escape-direction", "[1, 0]", "incorrect", ()),
    ],
)
def test_notations_students_write(eid: str, answer: str, verdict: str, params: tuple[tuple[str, str], ...]) -> None:
    r = grade_answer(EXERCISES[eid], answer, "s", fixed=params)
    assert r.verdict == verdict, (answer, r.verdict, r.feedback)


@pytest.mark.parametrize(
    ("eid", "answer", "message"),
    [
        ("lojasiewicz-exponent", "theta = 2/3", "give only the expression"),
        ("largest-step-size", "alpha = 1/L", "give only the expression"),
        ("largest-step-size", "1/L ± 1", "±"),
    ],
)
def test_refusals_say_how_to_write_the_answer(eid: str, answer: str, message: str) -> None:
    r = grade_answer(EXERCISES[eid], answer, "s")
    assert r.verdict == "invalid" and message in r.feedback, r.feedback


def test_constraints_restrict_the_sampler_and_are_z3_hypotheses() -> None:
    from theorems.grading.context import Context

    ex = EXERCISES["descent-lemma-decrease"]
    ctx = Context(ex, {}, "x")
    alpha, L = ctx.symbols["alpha"], ctx.symbols["L"]
    pts = ctx.sample_points(20)
    assert len(pts) == 20 and all(0 < p[alpha] * p[L] < 2 for p in pts)
    assert any(p[L] > 1 for p in pts)  # the prompt's L is not capped at 1 any more
    assert [str(h) for h in ctx.domain_hypotheses()] == ["L*alpha < 2"]


def test_anticipated_answers_give_their_message() -> None:
    r = grade_answer(EXERCISES["descent-lemma-decrease"], "alpha*(1 - alpha/(2*L))", "s")
    assert r.verdict == "incorrect" and "exchanged" in r.feedback and r.counterexample
    r = grade_answer(EXERCISES["saddle-escape-direction"], "[3, 3]", "s")
    assert r.verdict == "incorrect" and "positive eigenvalue" in r.feedback


def test_feedback_shows_the_reading_and_every_tex_compiles(tmp_path: Path) -> None:
    import shutil
    import subprocess

    sub = tmp_path / "s.csv"
    answers = [
        ("ann", "largest-step-size", "1/(2L)"), ("ann", "quadratic-gd-closed-form", "θ_0 (1-γλ)^k"),
        ("bo#b", "jacobian-eigenvalue-bound", "1 − αL"), ("bo#b", "subdifferential-frechet", "∅"),
        ("chloé", "contraction-factor", "1 - ηα"), ("chloé", "largest-step-size", "1/L ≤ 2 % $x$ & \\input{/etc/passwd}"),
        ("dan_{x}", "gibbs-density", "e^{-x^4}"), ("dan_{x}", "lojasiewicz-exponent", "½ 😀 ∞"),
    ]
    sub.write_text("student,exercise,answer\n" + "".join(f'"{s}","{e}","{a}"\n' for s, e, a in answers), encoding="utf-8")
    out = tmp_path / "out"
    assert grade_main(["shipped", str(sub), "-o", str(out)]) == 0
    md = (out / "feedback" / "ann.md").read_text()
    assert "We read your answer as $\\frac{1}{2 L}$" in md
    lms = list(csv.reader((out / "gradebook-lms.csv").open()))
    assert "" in lms[1][1:-1]  # ann did not submit every exercise: empty cells, not 0
    canvas = list(csv.reader((out / "gradebook-canvas.csv").open()))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and "Total" not in canvas[0]
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    for tex in sorted((out / "feedback").glob("*.tex")):
        proc = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                              cwd=tex.parent, capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, (tex.name, [ln for ln in proc.stdout.splitlines() if ln.startswith("!")])


def test_a_students_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert grade_main(["shipped", "--sheet", "ada"]) == 0
    text = capsys.readouterr().out
    c = EXERCISES["gradient-map-jacobian"].draw_parameters("course|ada")["c"]
    assert f"F(x, y) = {c}\\,x^2 y" in text and "{{" not in text
    names = tmp_path / "names.txt"
    names.write_text("ada\nbob\n")
    assert grade_main(["shipped", "--sheet", f"@{names}", "-o", str(tmp_path / "sheets")]) == 0
    assert sorted(p.name for p in (tmp_path / "sheets").iterdir()) == ["ada.md", "ada.tex", "bob.md", "bob.tex"]


def test_self_test_runs_randomised_tests_for_several_draws(capsys: pytest.CaptureFixture[str]) -> None:
    from theorems.grading.cli import _self_test

    ex = EXERCISES["quadratic-convergent-steps"]
    assert len(ex.parameter_draws()) == 3
    assert _self_test({ex.id: ex}, 1, 3072) == 0
    out = capsys.readouterr().out
    assert "[lambda = 4]" in out and "[lambda = 1]" in out


def test_catalogue_ids_read_from_the_sources_match_the_registry() -> None:
    from theorems import registry
    from theorems.grading.exercise import catalogue_ids

    assert catalogue_ids() == frozenset(e.id for e in registry.entries())
