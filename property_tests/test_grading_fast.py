"""The cheaper grading paths still catch wrong answers.

- The step-size check's engine cross-check no longer runs a hypothesis search per answer: it
  evaluates every case of a fixed pool (objectives, points, float64 Hessian eigenvalues built
  once) at the worst step size the answer allows, and decides the decisive cases with the
  claim's rule (40 digits, Arb). A wrong bound that exceeds 1/L only in a narrow window around
  one pool objective's L is missed by the sampling of L and cannot be read by z3 (it has an
  ``exp``): only the cross-check catches it.
- A relation sympy decided when it was built (an answer identical to the reference) is not
  sent to z3; an answer that differs from the reference by 10^-30 still is, and is refuted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
import sympy

from symbolic import CheckSettings, Verdict
from theorems.grading import shipped_exercises
from theorems.grading.grader import grade_answer, seed_text


def _bump_at(c: Fraction) -> str:
    """1/L plus a bump of height 1 and width ~10^-4 at L = c: valid everywhere but near c."""
    return f"1/L + exp(-10^8*(L - {c.numerator}/{c.denominator})^2)"


def _target() -> Fraction:
    """The L of a pool objective inside the exercise's domain (1/10, 10) whose Hessian reaches
    L at one of its points (so 1 - alpha * lambda_max < 0 there for alpha near 1/L + 1)."""
    from theorems.grading.step_size_pool import pool_cases

    for f, _pts, lam in pool_cases():
        assert f.constants.L is not None
        Lf = Fraction(f.constants.L)
        if Fraction(1, 10) < Lf < 10 and Lf.denominator < 100 and float(max(lam)) >= 0.999 * float(Lf):
            return Lf
    raise AssertionError("no pool objective with L in the domain")  # pragma: no cover - fixed seed


def test_a_bound_wrong_only_near_a_pool_objective_is_caught_by_the_cross_check(monkeypatch: pytest.MonkeyPatch) -> None:
    ex = shipped_exercises()["largest-step-size"]
    answer = _bump_at(_target())
    r = grade_answer(ex, answer, seed_text("fast", "s1"))
    assert r.verdict == "undecided" and r.score is None, (r.verdict, r.evidence)
    assert "engine cross-check: refuted" in r.evidence and "margin" in r.evidence, r.evidence
    # without the cross-check the same answer would get credit: it is the only path that sees it
    from theorems.grading import catalogue_checks
    from theorems.grading.step_size_pool import CrossCheck

    monkeypatch.setattr(catalogue_checks, "engine_cross_check", lambda *a: CrossCheck(Verdict.CHECKED, 0, 0, 0))
    blind = grade_answer(ex, answer, seed_text("fast", "s1"))
    assert blind.verdict in ("correct", "not_sharp"), blind.verdict


def test_the_cross_check_refutes_a_bound_too_large_by_a_thousandth_and_passes_the_sharp_one() -> None:
    from theorems.grading.step_size_pool import engine_cross_check

    L = sympy.Symbol("L", positive=True)
    settings = CheckSettings(examples=30, digits=40, seed=3, local_search=1)
    wrong = engine_cross_check((1 + sympy.Rational(1, 1000)) / L, L, settings)
    assert wrong.verdict is Verdict.REFUTED and wrong.counterexample is not None
    assert str(wrong.counterexample["margin"]).startswith("[-")  # an Arb ball below 0
    alpha = Fraction(wrong.counterexample["params"]["alpha"])
    Lf = Fraction(wrong.counterexample["L"])
    assert 1 / Lf < alpha < Fraction(1001, 1000) / Lf  # allowed by the wrong bound, beyond 1/L
    sharp = engine_cross_check(1 / L, L, settings)
    assert sharp.verdict is Verdict.CHECKED and sharp.samples >= 16 * 8
    # a bound that is not positive at any objective's L allows no step size: nothing is checked
    assert engine_cross_check(-1 / L, L, settings).verdict is Verdict.UNDECIDED


def test_relations_sympy_decided_skip_z3_and_near_misses_do_not() -> None:
    ex = shipped_exercises()["descent-lemma-decrease"]
    same = grade_answer(ex, "alpha*(1 - alpha*L/2)", seed_text("fast", "s2"))
    assert same.verdict == "correct" and "holds as written" in same.evidence
    off = grade_answer(ex, "alpha*(1 - alpha*L/2) + 1/10^30", seed_text("fast", "s2"))
    assert off.verdict == "incorrect" and off.counterexample, off.evidence
    looser = grade_answer(ex, "alpha - L*alpha^2/2 - 1/10^20", seed_text("fast", "s2"))
    assert looser.verdict == "not_sharp" and "z3" in looser.evidence


def test_the_probe_only_ever_says_different() -> None:
    from theorems.grading.context import Context
    from theorems.grading.equivalence import certainly_different_at, probe_points

    ex = shipped_exercises()["descent-lemma-decrease"]
    ctx = Context(ex, ex.draw_parameters("probe"), "probe")
    alpha, L = ctx.vars
    pts = probe_points(ctx)
    assert pts and all(ctx.admissible(p) for p in pts)  # in the domain, constraint alpha*L < 2 included
    ref = alpha * (1 - alpha * L / 2)
    assert certainly_different_at(ctx, alpha * (1 - alpha * L), ref) is not None
    assert certainly_different_at(ctx, alpha - L * alpha**2 / 2, ref) is None  # equal, written differently
    assert certainly_different_at(ctx, ref + sympy.Rational(1, 10**60), ref) is None  # below 128 bits: no claim
    # ... and the full comparison still sees that last one: valid but not sharp
    r = grade_answer(ex, "alpha*(1 - alpha*L/2) - 10^-60", seed_text("fast", "s3"))
    assert r.verdict == "not_sharp", (r.verdict, r.evidence)


def test_an_anticipated_answer_in_another_form_still_gets_its_message() -> None:
    ex = shipped_exercises()["descent-lemma-decrease"]
    message = ex.anticipated[0].message
    for answer in ("alpha*(1 - alpha/(2*L))", "alpha - alpha^2/(2*L)"):
        r = grade_answer(ex, answer, seed_text("fast", "s4"))
        assert r.verdict == "incorrect" and r.feedback.startswith(message), (answer, r.feedback)
    r = grade_answer(ex, "alpha*(1 - alpha/(3*L))", seed_text("fast", "s4"))  # a different wrong answer: not that message
    assert not r.feedback.startswith(message)


def test_the_fast_sampler_draws_exactly_the_points_of_the_plain_one() -> None:
    import random

    from theorems.grading.context import (
        _randint,
        _random_in,
        _random_rational,
        _rational,
        coprime_rational,
    )

    ranges = [(Fraction(0), Fraction(1)), (Fraction(1, 100), Fraction(100)), (Fraction(-7, 3), Fraction(2, 9)), (Fraction(1, 10), Fraction(10))]
    for seed in range(20):
        r1, r2 = random.Random(seed), random.Random(seed)
        for lo, hi in ranges:
            for mode in ("in", "lo", "hi"):
                fast, plain = _random_rational(r1, lo, hi, mode), _rational(_random_in(r2, lo, hi, mode))
                assert fast == plain and type(fast) is type(plain) and lo < Fraction(int(fast.p), int(fast.q)) < hi
        assert [_randint(r1, 3, 9) for _ in range(50)] == [r2.randint(3, 9) for _ in range(50)]
    for p, q in ((6, 4), (5, 1), (-10, 4), (1, 2), (0, 7), (2**80 * 3, 2**81)):
        assert coprime_rational(p, q) == sympy.Rational(p, q) and type(coprime_rational(p, q)) is type(sympy.Rational(p, q))


def test_answers_sent_together_do_not_share_the_fate_of_one_that_kills_its_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # answers travel to the workers in tasks of several; one that kills its worker is retried
    # alone and ends undecided, the others of its task are graded as if sent alone
    import os

    from theorems.grading import Job, Pool, grader

    real = grader._limited

    def limited(ex: Any, answer: str, seed: str, timeout: float, fixed: tuple[tuple[str, str], ...] = ()) -> Any:
        if answer == "1/L + 0":
            os._exit(3)
        return real(ex, answer, seed, timeout, fixed)

    monkeypatch.setattr(grader, "_limited", limited)  # the pool's workers fork after this
    ex = shipped_exercises()["largest-step-size"]
    answers = ["1/L", "2/L", "1/L + 0", "1/(2*L)", "1/L^2", "1/L", "1/(3*L)"]
    for workers in (1, 2):
        with Pool(workers) as pool:
            results = pool.grade([Job(ex, a, "course|k") for a in answers], dedupe=False)
        verdicts = [r.verdict for r in results]
        assert verdicts == ["correct", "incorrect", "undecided", "not_sharp", "incorrect", "correct", "not_sharp"], (workers, verdicts)
        assert results[2].evidence.startswith("worker failure")
    jobs = [(("k", a, ""), Job(ex, a, "course|k")) for a in answers]
    assert len(Pool(1)._chunks(jobs, {})) < len(answers)  # they did travel together
    assert len(Pool(1)._chunks(jobs, {key: 1 for key, _ in jobs})) == len(answers)  # retried ones go alone


def test_only_answers_real_everywhere_skip_the_search_for_an_undefined_point() -> None:
    from theorems.grading.evaluation import defined_everywhere

    a, L = sympy.symbols("alpha L", positive=True)
    k = sympy.Symbol("k", integer=True, nonnegative=True)
    j = sympy.Symbol("j", integer=True)
    x = sympy.Symbol("x")  # no assumption: may be complex
    for e in (a * (1 - a * L / 2), (1 - a * L) ** (k + 1), sympy.exp(-(a**4) / 4) * sympy.Abs(a - L), sympy.pi * a**3):
        assert defined_everywhere(e), e
    for e in (1 / L, sympy.sqrt(a), (1 - a) ** j, sympy.log(a), sympy.exp(1 / a), x**2, sympy.I * a, (1 - a) ** -1):
        assert not defined_everywhere(e), e
    # the search still runs (and finds the point) for an answer that is not
    ex = shipped_exercises()["largest-step-size"]
    r = grade_answer(ex, "sqrt(L - 5)/L", seed_text("fast", "s5"))
    assert r.verdict == "incorrect" and "not a real number" in r.feedback, r.feedback
