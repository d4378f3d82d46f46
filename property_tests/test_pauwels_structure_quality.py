"""Quality tests of the Pauwels structure entries and of :mod:`symbolic.subgradients`:
the helpers agree with closed forms on random instances, and the checks can fail."""

from __future__ import annotations

from fractions import Fraction as Q

import mpmath
import numpy as np
import sympy as sp
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic import CheckSettings, MonteCarlo, Verdict
from symbolic.subgradients import (
    clarke,
    convex_subdifferential,
    frechet,
    is_local_minimum,
    limiting,
)

x = sp.Symbol("x", real=True)
small = st.integers(-5, 5)
rat = st.fractions(min_value=-3, max_value=3, max_denominator=7)
S = CheckSettings()


@settings(max_examples=15, deadline=None)
@given(st.lists(small, min_size=1, max_size=4), rat)
def test_smooth_functions_have_the_derivative_as_only_subgradient(coeffs, x0):
    p = sum(c * x**i for i, c in enumerate(coeffs))
    d = sp.Rational(x0.numerator, x0.denominator)
    expected = sp.FiniteSet(sp.diff(p, x).subs(x, d))
    assert frechet(p, x, x0) == expected
    assert limiting(p, x, x0) == expected
    assert clarke(p, x, x0) == sp.Interval(expected.args[0], expected.args[0])


@settings(max_examples=12, deadline=None)
@given(small, small)
def test_max_and_min_of_two_lines(a, b):
    lo, hi = min(a, b), max(a, b)
    # max: convex, every subdifferential is [min, max]
    fmax = sp.Max(a * x, b * x)
    assert frechet(fmax, x, 0) == sp.Interval(lo, hi)
    assert convex_subdifferential(fmax, x, 0) == sp.Interval(lo, hi)
    # min: concave kink, Frechet empty unless a == b, limiting {a, b}, Clarke [min, max]
    fmin = sp.Min(a * x, b * x)
    assert frechet(fmin, x, 0) == (sp.FiniteSet(a) if a == b else sp.S.EmptySet)
    assert limiting(fmin, x, 0) == sp.FiniteSet(a, b)
    assert clarke(fmin, x, 0) == sp.Interval(lo, hi)


def test_local_minimum_decisions():
    assert is_local_minimum(sp.Abs(x), x, 0) is True
    assert is_local_minimum(x**3, x, 0) is False
    assert is_local_minimum(x**4 - x**2, x, 0) is False
    assert is_local_minimum(x**4 - x**2, x, 1) is False  # not critical there: the derivative is 2
    assert is_local_minimum((x - 1) ** 2 * (x + 1) ** 2, x, -1) is True
    # quotients: decided on the numerator when the denominator has a constant sign (z3 times out on the quotient)
    assert is_local_minimum(x**3 / (1 + x**2), x, 0) is False
    assert is_local_minimum(x**2 / (1 + x**2), x, 0) is True
    assert is_local_minimum(-(x**2) / (2 + x**4), x, 0) is False


def test_fermat_iff_is_refuted_and_the_necessary_condition_holds():
    from theorems.catalogue.pauwels.subgradients import fermat_corrected, fermat_stated

    out = fermat_stated.run(S)
    assert out.verdict is Verdict.REFUTED
    # the reported counterexample is Lipschitz on R, as the slide's standing hypothesis asks (x^3 is only locally so)
    assert out.evidence.counterexample["example"] == "x^3/(1+x^2) at 0"
    assert "x^3 at 0: no" in out.evidence.details
    assert fermat_corrected.run(S).verdict is Verdict.CHECKED  # a definition decides its examples (issue 10)


def test_first_order_formula_decider_can_say_yes():
    """The emptiness of the slide's set is not an artefact: with 'exists y <= 1' z3 finds members."""
    from theorems.catalogue.pauwels.semialgebraic import X, Y, decide, inner, member

    exists_variant = lambda xv: z3.Exists([Y], z3.And(Y <= 1, inner(xv, Y)))  # noqa: E731
    assert decide(exists_variant(z3.RealVal("1/2"))) is True
    assert decide(exists_variant(z3.RealVal("2"))) is False
    assert decide(member(z3.RealVal("1/2"))) is False
    assert decide(z3.ForAll([X], exists_variant(X) == z3.And(X > -1, X < 1))) is True


def test_interpolation_tiling_accepts_constant_and_rejects_varying_steps():
    from theorems.catalogue.pauwels.interpolated_process import (
        corrected_is_interpolation,
        stated_pieces_tile,
    )

    assert stated_pieces_tile([Q(1, 3)] * 5).holds is True
    assert stated_pieces_tile([Q(1, k + 1) for k in range(5)]).holds is False
    assert corrected_is_interpolation([Q(1, k + 1) for k in range(5)]).holds is True


def test_robbins_monro_predicate():
    from theorems.catalogue.pauwels.robbins_monro import k, robbins_monro

    assert robbins_monro(1 / (k + 3)).holds is True
    assert robbins_monro(k ** sp.Rational(-1, 2)).holds is False
    assert robbins_monro(k ** sp.Rational(-3, 2)).holds is False


def test_avoidance_monte_carlo_can_fail_when_initialised_on_the_stable_manifold():
    """Initialised on W^s of the quadratic saddle, every run converges: the check must not pass."""

    def on_stable_line(rng: np.random.Generator, n: int) -> np.ndarray:
        P = np.column_stack([rng.standard_normal(n), np.zeros(n)])
        for _ in range(300):
            P = P - 0.5 * np.column_stack([P[:, 0], -P[:, 1]])
        return np.linalg.norm(P, axis=1) < 1e-3

    mc = MonteCarlo("on W^s", on_stable_line, rel="<=", bound=1e-3, samples=2000)
    assert mc.run(S).verdict is Verdict.UNDECIDED


def test_stable_manifold_predicate_rejects_non_hyperbolic_points():
    from theorems.catalogue.pauwels.stable_manifold_theorem import smt_hypotheses, xs, ys

    assert smt_hypotheses((sp.Matrix([xs / 2, 2 * ys]), (0, 0))).holds is True
    assert smt_hypotheses((sp.Matrix([xs / 2, ys]), (0, 0))).holds is False  # eigenvalue 1
    assert smt_hypotheses((sp.Matrix([xs / 2, ys / 3]), (0, 0))).holds is False  # no expanding direction


def test_morse_sard_elimination_on_a_function_with_a_critical_circle():
    from theorems.catalogue.pauwels._common import Cs, Xs, Ys, elimination_polynomial

    f = (Xs**2 + Ys**2 - 1) ** 2 + Xs
    g = elimination_polynomial(f)
    assert g != 0 and g.free_symbols <= {Cs}
    # by hand: f_y = 4y(x^2 + y^2 - 1) = 0 gives y = 0 or the circle, where f_x = 4x(x^2 + y^2 - 1) + 1 = 1;
    # so the critical points are (r, 0) with p(r) = 4r^3 - 4r + 1 = 0, three real roots
    fx, fy = sp.diff(f, Xs), sp.diff(f, Ys)
    assert sp.expand(fy - 4 * Ys * (Xs**2 + Ys**2 - 1)) == 0
    assert sp.expand(fx - 4 * Xs * (Xs**2 + Ys**2 - 1) - 1) == 0
    p = sp.Poly(4 * Xs**3 - 4 * Xs + 1, Xs)
    roots = p.real_roots()
    assert len(roots) == 3
    values = []
    for r in roots:
        assert sp.simplify(fx.subs({Xs: r, Ys: 0})) == 0 and fy.subs({Xs: r, Ys: 0}) == 0
        values.append(f.subs({Xs: r, Ys: 0}))
    # exactly: g(f(r, 0)) is a polynomial in r that vanishes modulo p, so it is zero at every critical point
    g_on_crit = sp.Poly(sp.expand(g.subs(Cs, f.subs(Ys, 0))), Xs)
    assert g_on_crit.rem(p).is_zero
    # numerically, from critical points found by Newton's method (independently of p and of the elimination)
    g_at = sp.lambdify(Cs, g, "mpmath")
    grad = sp.lambdify((Xs, Ys), [fx, fy], "mpmath")
    fv = sp.lambdify((Xs, Ys), f, "mpmath")
    with mpmath.workdps(50):
        found = []
        for x0 in (-1.2, 0.25, 0.9):
            sol = mpmath.findroot(lambda a, b: grad(a, b), (mpmath.mpf(x0), mpmath.mpf("0.1")))
            assert mpmath.norm(grad(sol[0], sol[1])) < mpmath.mpf(10) ** -40
            found.append(fv(sol[0], sol[1]))
        assert min(abs(a - b) for i, a in enumerate(found) for b in found[i + 1 :]) > mpmath.mpf(10) ** -3
        for v in found:
            assert abs(g_at(v)) < mpmath.mpf(10) ** -35
            assert min(abs(v - sp.N(w, 50)) for w in values) < mpmath.mpf(10) ** -40


def test_kink_curve_identity_fails_off_the_kink():
    """The chain-rule check along the kink of max(x1, x2) can fail: off the kink it is refuted."""
    from symbolic import Identity
    from theorems.catalogue.pauwels.convex_chain_rule import _kink, _s, kink_curve, t_

    assert kink_curve.run(S).verdict is Verdict.PROVED
    off = (_kink[0], _kink[1] + t_**3 / 100)
    wrong = Identity("off the kink", sp.diff(sp.Max(*off), t_), _s * sp.diff(off[0], t_) + (1 - _s) * sp.diff(off[1], t_))
    assert wrong.run(S).verdict is Verdict.REFUTED
