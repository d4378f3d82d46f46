"""Every shipped exercise grades its own test answers as its file says (verdict, score, feedback)."""

from __future__ import annotations

import pytest

from theorems.grading import grade_answer, shipped_exercises
from theorems.grading.exercise import CHECKS, KINDS

EXERCISES = shipped_exercises()
CASES = [(ex.id, i) for ex in EXERCISES.values() for i in range(len(ex.tests))]


def test_at_least_fifteen_exercises_covering_the_checks() -> None:
    assert len(EXERCISES) >= 15
    used = {ex.check for ex in EXERCISES.values()}
    assert used == set(CHECKS), f"checks without an exercise: {set(CHECKS) - used}"
    # the answer kinds issue 5 asks for, each used by a shipped exercise and known to the format
    asked = {"expression", "number", "function", "matrix", "set", "interval"}
    assert asked <= set(KINDS)
    assert {ex.kind for ex in EXERCISES.values()} >= asked


def test_every_exercise_tests_a_wrong_answer_too() -> None:
    for ex in EXERCISES.values():
        verdicts = {t.verdict for t in ex.tests}
        assert "correct" in verdicts and verdicts & {"incorrect", "not_sharp"}, ex.id


@pytest.mark.parametrize(("exercise", "index"), CASES, ids=[f"{e}-{i}" for e, i in CASES])
def test_exercise_grades_its_own_tests(exercise: str, index: int) -> None:
    ex = EXERCISES[exercise]
    t = ex.tests[index]
    r = grade_answer(ex, t.answer, t.seed, fixed=t.params)
    assert r.verdict == t.verdict, f"{t.answer!r}: {r.verdict} ({r.feedback})"
    if t.score is not None:
        assert r.score == t.score
    assert t.contains in r.feedback
    if r.verdict == "incorrect":
        assert r.counterexample, "an incorrect verdict must carry a counterexample"
    if r.verdict in ("incorrect", "not_sharp", "invalid"):
        # feedback must not give the reference answer away
        ref = " ".join(ex.reference.split())
        assert ref not in r.feedback.split("\n\n", 1)[-1] or ref in t.answer


def test_the_documented_example_exercise_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import re
    from pathlib import Path

    from theorems.grading.cli import grade_main

    doc = (Path(__file__).resolve().parent.parent / "docs" / "exercises.md").read_text()
    blocks = [b for b in re.findall(r"```toml\n(.*?)```", doc, re.S) if b.startswith("id = ")]
    assert len(blocks) >= 4  # the first example and one per new option
    for i, block in enumerate(blocks):
        f = tmp_path / f"example-{i}.toml"
        f.write_text(block)
        assert grade_main([str(f), "--self-test"]) == 0, block[:60]
