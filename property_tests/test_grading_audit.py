"""Regression tests for the grading audit: each answer below was graded wrongly (a false
`correct`, a false `incorrect`, a hang or a refusal) with the default course seed and the
student "student", exactly as ``theorems grade shipped --answer EXERCISE ANSWER`` does."""

from __future__ import annotations

import random
import time
from fractions import Fraction

import pytest
import sympy

from symbolic.parsing import Limits, ParseError, Vocabulary, parse_expression
from theorems.grading import grade_answer, shipped_exercises
from theorems.grading.catalogue_checks import _value_at_zero
from theorems.grading.context import SAMPLE_POINTS, Context, simplest_between
from theorems.grading.equivalence import _expanded_terms
from theorems.grading.evaluation import _real_at
from theorems.grading.grader import seed_text

EXERCISES = shipped_exercises()
SEED = seed_text("course", "student")  # what `theorems grade ... --answer` uses by default
RHO = "1 - eta*alpha + eta^2/2*C_L*(2*C_L + sigma)"


def grade(exercise: str, answer: str):  # type: ignore[no-untyped-def]
    return grade_answer(EXERCISES[exercise], answer, SEED)


# ---------------------------------------------------------------- 1. sampling


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        ("contraction-factor", RHO + " + max(0, eta - 999/1000)"),
        ("contraction-factor", RHO + " + max(0, eta - 99/100)"),
        ("contraction-factor", RHO + " + sin(1000*pi*eta)"),
        ("gradient-map-jacobian", "[[1 - 2*c*alpha*y, -2*c*alpha*x], [-2*c*alpha*x, 1 + sin(250*pi*x)]]"),
        ("gibbs-density", "exp(-(x^4/4 - x^2/2)) * (2 + cos(1000*pi*x))"),
        ("quadratic-saddle-slide", "theta0*(1-2*gamma*lambda)^k*(1 + max(0, k-24))"),
    ],
)
def test_answers_wrong_near_an_end_on_a_grid_or_at_one_integer_are_incorrect(exercise: str, answer: str) -> None:
    r = grade(exercise, answer)
    assert r.verdict == "incorrect", r.feedback
    assert r.counterexample


def test_sample_points_cover_the_ends_every_small_integer_and_avoid_grids() -> None:
    ex = EXERCISES["quadratic-saddle-slide"]
    ctx = Context(ex, {}, "any answer")
    pts = ctx.sample_points(8)
    k, gamma = ctx.symbols["k"], ctx.symbols["gamma"]
    klo, khi = ex.integer_domain["k"]
    assert len(pts) >= khi - klo + 1
    assert {int(p[k]) for p in pts} == set(range(klo, khi + 1))  # every integer of its range
    lo, hi = ex.domain["gamma"]
    g = [Fraction(int(p[gamma].p), int(p[gamma].q)) for p in pts]
    assert all(lo < x < hi for x in g)  # endpoints excluded
    assert any(x - lo < (hi - lo) / 1000 for x in g) and any(hi - x < (hi - lo) / 1000 for x in g)
    assert sum(1 for x in g if (x * 1000).denominator != 1) >= len(g) - 1  # not on the old 1/1000 grid
    # deterministic per seed
    assert Context(ex, {}, "any answer").sample_points(8) == pts
    assert len(Context(EXERCISES["contraction-factor"], {}, "a").sample_points(SAMPLE_POINTS)) == SAMPLE_POINTS


def test_correct_answers_stay_correct_with_truthful_evidence() -> None:
    r = grade("contraction-factor", "1 - eta*alpha + eta^2*C_L^2 + eta^2*C_L*sigma/2")
    assert r.verdict == "correct", r.feedback
    assert "28 points" in r.evidence and "seed" in r.evidence
    r = grade("quadratic-saddle-slide", "theta0*(1-2*gamma*lambda)^k")
    assert r.verdict == "correct" and "every integer k" in r.evidence


# ---------------------------------------------------------------- 2. sharpness


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        ("largest-step-size", "min(1/L, 2)"),
        ("largest-step-size", "min(1/L, 1)"),
        ("largest-step-size", "min(1/L, 1/2)"),
        ("jacobian-eigenvalue-bound", "min(1 - alpha*L, 100*alpha - 1/50)"),
        ("gd-iterations", "max(2*L*D/eps^2, 1)"),
    ],
)
def test_loose_bounds_equal_on_most_of_the_domain_are_not_sharp(exercise: str, answer: str) -> None:
    r = grade(exercise, answer)
    assert r.verdict == "not_sharp", r.feedback
    assert r.score == EXERCISES[exercise].partial_credit


# ---------------------------------------------------------------- 3. phi(0) as a limit


def test_phi_at_zero_is_the_limit() -> None:
    s = sympy.Symbol("s", positive=True)
    assert _value_at_zero(2 * s ** sympy.Rational(1, 4) + s * sympy.log(s), s)[0] == 0
    assert _value_at_zero(s ** sympy.Rational(1, 4) - 1, s)[0] == -1
    r = grade("desingularizing-x4", "2*s^(1/4) + s*log(s)")
    assert r.verdict == "correct", r.feedback
    r = grade("desingularizing-x4", "s^(1/4) + log(s)")
    assert r.verdict == "incorrect" and "phi(0)" in r.feedback


# ---------------------------------------------------------------- 4. overflowing balls


def test_an_overflowing_enclosure_is_not_a_proof_of_non_reality() -> None:
    ex = EXERCISES["jacobian-eigenvalue-bound"]
    ctx = Context(ex, {}, "x")
    alpha, L = ctx.symbols["alpha"], ctx.symbols["L"]
    answer = ctx.parse("1 - alpha*L - exp(exp(exp(alpha)))")
    p = {alpha: sympy.Rational(33007, 4000), L: sympy.Rational(189011, 20000)}
    assert _real_at(answer, [alpha, L], p) is not False  # an overflowing ball is never "not real"
    assert _real_at(ctx.parse("sqrt(1 - alpha*L)"), [alpha, L], p) is False  # truly complex
    r = grade("jacobian-eigenvalue-bound", "1 - alpha*L - exp(exp(exp(alpha)))")
    assert r.verdict == "not_sharp", r.feedback


# ---------------------------------------------------------------- 5. exact numbers


@pytest.mark.parametrize("answer", ["2/3 + 10^-28", "0.666666666666666666666666666667", "2/3 - 10^-40"])
def test_numbers_are_compared_exactly(answer: str) -> None:
    r = grade("lojasiewicz-exponent", answer)
    assert r.params == {"l": "3"}
    assert r.verdict == "incorrect", r.feedback
    assert r.counterexample


@pytest.mark.parametrize("answer", ["2/3", "1 - 1/3", "(sqrt(2)^2 + 2)/6", "0.5 + 1/6"])
def test_equal_numbers_are_correct(answer: str) -> None:
    assert grade("lojasiewicz-exponent", answer).verdict == "correct"


# ---------------------------------------------------------------- 6. gamma*lambda > 1


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [
        ("quadratic-gd-closed-form", "theta0*abs(1-gamma*lambda)^k"),
        ("quadratic-gd-closed-form", "theta0*((1-gamma*lambda)^2)^(k/2)"),
        ("quadratic-saddle-slide", "theta0*abs(1-2*gamma*lambda)^k"),
        ("quadratic-saddle-slide", "theta0*((1-2*gamma*lambda)^2)^(k/2)"),
    ],
)
def test_closed_forms_that_forget_the_sign_are_incorrect(exercise: str, answer: str) -> None:
    ex = EXERCISES[exercise]
    lo, hi = ex.domain["gamma"]
    assert hi * ex.domain["lambda"][1] > 2  # the domain lets gamma*lambda (or 2 gamma lambda) exceed 1
    for seed in (SEED, seed_text("course", "ada"), "other"):
        r = grade_answer(ex, answer, seed)
        assert r.verdict == "incorrect", (seed, r.feedback)


# ---------------------------------------------------------------- 7. tiny excess over 1/L


def test_simplest_between_is_the_brute_force_answer_and_terminates_on_tiny_intervals() -> None:
    rng = random.Random(7)
    for _ in range(300):
        a = Fraction(rng.randint(-500, 500), rng.randint(1, 60))
        b = a + Fraction(rng.randint(1, 400), rng.randint(1, 400))
        q = 1
        while True:
            k = (a * q).__floor__() + 1
            if Fraction(k, q) < b:
                brute = Fraction(k, q)
                break
            q += 1
        assert simplest_between(a, b) == brute
    t = time.monotonic()
    x = simplest_between(Fraction(10), Fraction(10) + Fraction(1, 10**20))
    assert 10 < x < 10 + Fraction(1, 10**20) and time.monotonic() - t < 1
    with pytest.raises(ValueError):
        simplest_between(Fraction(1), Fraction(1))


def test_a_step_size_barely_above_one_over_l_gets_the_cosine_counterexample() -> None:
    t = time.monotonic()
    r = grade("largest-step-size", "1/L + 10^-20")
    assert r.verdict == "incorrect", r.feedback
    assert "cos" in r.feedback and r.counterexample and r.counterexample["F"].endswith("cos(x)")
    assert time.monotonic() - t < 15


# ---------------------------------------------------------------- 8. no expansion before numbers


def test_a_huge_power_is_refuted_numerically_without_expanding() -> None:
    x, y = sympy.symbols("x y")
    assert _expanded_terms((x + y + 1) ** 2) <= 6
    assert _expanded_terms((x + y + x * y + 2 * x + 1) ** 200) > 10**6
    t = time.monotonic()
    r = grade("contraction-factor", "(eta+alpha+C_L+sigma+1)^200")
    assert r.verdict == "incorrect", r.feedback
    assert time.monotonic() - t < 15


# ---------------------------------------------------------------- 9. Greek letters with subscripts


@pytest.mark.parametrize(
    ("exercise", "answer"),
    [("quadratic-gd-closed-form", "θ_0 (1-γλ)^k"), ("quadratic-saddle-slide", "theta0 (1-2γλ_i)^k")],
)
def test_unicode_greek_letters_take_subscripts(exercise: str, answer: str) -> None:
    r = grade(exercise, answer)
    assert r.verdict == "correct", r.feedback


# ---------------------------------------------------------------- 10. exp arguments


def test_the_root_order_limit_does_not_apply_to_exp() -> None:
    V = Vocabulary.of("L", positive=True)
    L = V.symbols["L"]
    lim = Limits(max_exponent=200)
    assert parse_expression("(1/L)*exp(1/10^6)", V, limits=lim) == sympy.exp(sympy.Rational(1, 10**6)) / L
    assert parse_expression("e^(1/10^6)", V, limits=lim) == sympy.exp(sympy.Rational(1, 10**6))
    with pytest.raises(ParseError, match="root of order 1000000"):
        parse_expression("L^(1/10^6)", V, limits=lim)
    with pytest.raises(ParseError, match=r"exponent in exp\(\.\.\.\) is 1000"):
        parse_expression("exp(1000)", V, limits=lim)
    r = grade("largest-step-size", "(1/L)*exp(1/10^6)")
    assert r.verdict == "incorrect", r.feedback  # exp(10^-6)/L > 1/L: too large a step
    assert "cos" in r.feedback


def test_inverse_trigonometric_answers_are_graded_not_left_undecided() -> None:
    # the parser accepts asin/acos; the evaluator used to refuse them, leaving a wrong answer to be graded by hand
    assert grade("contraction-factor", RHO + " + asin(eta/10)").verdict == "incorrect"
    # asin(t) = acos(sqrt(1 - t^2)) for t in [0, 1]: an equivalent answer on the domain eta > 0
    # sympy cannot prove it and agreement at points is not equality (issue 18): never incorrect,
    # and not correct either -- graded by hand
    assert grade("contraction-factor", RHO + " + asin(eta/10) - acos(sqrt(1 - eta^2/100))").verdict == "undecided"
