"""The float64 screen of one-parameter grading claims (theorems.grading.scan): it keeps the
claim's rule (a counterexample confirmed in Arb), and it finds what a float64 pass alone
would miss (a violation below float resolution, one confined near an end of the range)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy

from symbolic import Bound, Claim, Verdict
from symbolic.backends import FloatBackend
from symbolic.compile import compiled
from symbolic.settings import CheckSettings
from theorems.cases import scalar_cases
from theorems.grading.scan import ScanOutcome, scan_claim

t = sympy.Symbol("t", positive=True)
UNIT = Bound(Fraction(0), Fraction(1))
SETTINGS = CheckSettings(examples=30, digits=40, seed=7, local_search=1)


def _scan(expr: sympy.Expr, *, strict: bool = False, bound: Bound = UNIT) -> ScanOutcome:
    fn = compiled([expr], [t])
    claim = Claim("m >= 0", cases=scalar_cases({"t": bound}), margin=lambda c, B: fn(B, [c.p(B, "t")])[0], strict=strict)
    F64 = FloatBackend()
    return scan_claim(claim, "t", bound, lambda v: fn(F64, [v])[0], SETTINGS)


def test_a_true_claim_is_checked_on_more_points_than_the_examples() -> None:
    out = _scan(1 + t**2)
    assert out.verdict is Verdict.CHECKED and out.samples >= 8 * SETTINGS.examples


def test_a_violation_below_float_resolution_is_found_and_confirmed_in_arb() -> None:
    # float64 rounds 1 + 10^-20 and 1 + 2*10^-20 to 1: the margin is 0.0 in float, -10^-20 exactly
    eps = sympy.Rational(1, 10**20)
    out = _scan((1 + eps) * (1 + t) - (1 + 2 * eps) * (1 + t))
    assert out.verdict is Verdict.REFUTED, out
    assert out.counterexample is not None and "margin" in out.counterexample


def test_a_violation_confined_near_an_end_is_found() -> None:
    # margin < 0 only for t < 10^-10 (the hypothesis grid of 1000 points would not see it)
    out = _scan(t - sympy.Rational(1, 10**10), strict=True)
    assert out.verdict is Verdict.REFUTED and out.counterexample is not None
    assert Fraction(out.counterexample["params"]["t"]) < Fraction(1, 10**10)


def test_the_mutant_without_the_violation_is_not_refuted() -> None:
    # the same margin shifted to where it holds: no false refutation
    out = _scan(t + sympy.Rational(1, 10**10), strict=True)
    assert out.verdict is Verdict.CHECKED


def test_a_margin_float64_cannot_evaluate_is_decided_at_full_precision() -> None:
    # exp(800 t) overflows float64 for t > 0.89; mpmath decides those points (no false verdict)
    out = _scan(sympy.exp(800 * t) - 1)
    assert out.verdict is Verdict.CHECKED
    out = _scan(1 - sympy.exp(800 * t) * sympy.Rational(1, 10**340))
    assert out.verdict is Verdict.REFUTED and out.counterexample is not None  # fails only where float64 overflows (t > 0.978)
    assert Fraction(out.counterexample["params"]["t"]) > Fraction(97, 100)


def test_points_are_exact_and_inside_the_bound() -> None:
    import random

    from theorems.grading.scan import _points

    pts = _points(Bound(Fraction(1, 3), Fraction(2, 3)), random.Random(1), 50)
    assert all(isinstance(p, Fraction) and Fraction(1, 3) < p < Fraction(2, 3) for p in pts)
    assert np.all(np.diff([float(p) for p in pts]) >= 0)


def test_the_step_size_cross_check_on_its_objective_pool_can_fail() -> None:
    # the pool is drawn once per process; it must still contain objectives that refute a wrong
    # step size (alpha up to 3/L: 1 - alpha*L < 0 on a quadratic with curvature L)
    from theorems.grading.catalogue_checks import POOL_SIZE, engine_cross_check, objective_pool

    pool = objective_pool()
    assert len(pool) == POOL_SIZE and objective_pool() is pool
    settings = CheckSettings(examples=30, digits=40, seed=11, local_search=1)
    L = sympy.Symbol("L", positive=True)
    assert engine_cross_check(3 / L, L, settings).verdict is Verdict.REFUTED
    assert engine_cross_check(1 / L, L, settings).verdict is Verdict.CHECKED


def test_an_equality_case_is_decided_at_full_precision_on_enough_points() -> None:
    # margin exactly 0 everywhere: every float value is within the band; at least `examples`
    # of them are decided in mpmath/Arb (>= 0 holds), and a strict claim is refuted exactly
    pythagoras = sympy.sin(t) ** 2 + sympy.cos(t) ** 2 - 1  # 0, which sympy leaves unsimplified
    out = _scan(pythagoras)
    assert out.verdict is Verdict.CHECKED and out.samples >= SETTINGS.examples
    assert _scan(pythagoras, strict=True).verdict is Verdict.UNDECIDED  # a ball around 0 never decides "> 0"
    assert _scan(sympy.Integer(0) * t, strict=True).verdict is Verdict.REFUTED  # exactly 0: "> 0" fails
