"""Huber / piecewise-quadratic families and k steps of first-order methods (the engine)."""

from __future__ import annotations

from fractions import Fraction as Q

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic import ArbBackend, Bound, MPBackend, Objective, arb_precision, coordinates
from symbolic.families import points
from symbolic.iterates import METHODS, IterateError, expectation, iterate, paths
from symbolic.worst_case_families import HuberTerm, huber_functions, huber_objective
from theorems.cases import values_in


def _gd_worst_case(k: int, R: Q = Q(1)) -> Q:
    """F(x_k) of GD with step 1/L from x_0 = R on L H_tau, tau = R/(2k+1), in exact rationals."""
    tau = R / (2 * k + 1)
    x = R
    for _ in range(k):
        x -= max(-tau, min(tau, x))
    m = min(abs(x), tau)
    return m * abs(x) - m * m / 2


@settings(max_examples=30)
@given(st.data())
def test_certified_constants_hold_at_random_points(data) -> None:
    """Convexity, L, mu, the minimiser and F* of the drawn Huber sums, at random points."""
    f = data.draw(huber_functions(dim=(1, 3)))
    x = data.draw(points(f.dim, radius=4))
    B = MPBackend(30)
    xs = [B.num(v) for v in x]
    c = f.constants
    assert c.L is not None and c.minimizer is not None and c.minimum == 0
    try:
        H = f.hess(B, xs)
    except ValueError:  # on a kink: no Hessian
        H = None
    tol = B.num(10) ** -20
    if H is not None:
        assert B.lambda_min(H) >= (B.num(c.mu) if c.mu is not None else 0) - tol
        assert B.lambda_max(H) <= B.num(c.L) + tol
    b = [B.num(v) for v in c.minimizer]
    assert abs(f.value(B, b)) <= tol and B.norm(f.grad(B, b)) <= tol
    assert f.value(B, xs) >= -tol
    # the gradient is L-Lipschitz: against a second point
    y = [B.num(v) for v in data.draw(points(f.dim, radius=4))]
    assert B.norm(B.sub(f.grad(B, xs), f.grad(B, y))) <= B.num(c.L) * B.norm(B.sub(xs, y)) + tol
    # mu-strong convexity: F(y) >= F(x) + <grad F(x), y - x> + mu/2 |y - x|^2
    mu = B.num(c.mu) if c.mu is not None else B.num(0)
    assert f.value(B, y) >= f.value(B, xs) + B.dot(f.grad(B, xs), B.sub(y, xs)) + mu / 2 * B.norm2(B.sub(y, xs)) - tol


def test_bad_huber_data_is_refused() -> None:
    with pytest.raises(ValueError, match="orthonormal"):
        huber_objective([HuberTerm(Q(1), Q(1), (Q(1), Q(1)))])
    with pytest.raises(ValueError, match="c_i > 0"):
        huber_objective([HuberTerm(Q(0), Q(1), (Q(1),))])


def test_gd_on_the_huber_worst_case_meets_the_tight_bound_exactly() -> None:
    """F(x_k) = L R^2 / (4k + 2) for tau = R/(2k+1): computed by the engine in Arb, and
    in exact rationals independently; above R^2/(8k) (the false bound) for every k >= 1."""
    B = ArbBackend(128)
    for k in (1, 2, 3, 7, 20):
        f = huber_objective([HuberTerm(Q(1), Q(1, 2 * k + 1), (Q(1),))])
        assert _gd_worst_case(k) == Q(1, 4 * k + 2)
        with arb_precision(128):
            v = f.value(B, iterate(f, B, "gd", [B.num(1)], k, [B.num(1)]))
            assert v.contains(B.num(Q(1, 4 * k + 2))) and v.rad() < 1e-30
            assert v > B.num(Q(1, 8 * k))


def test_methods_agree_with_hand_computed_steps() -> None:
    """One or two steps of each method on a 1-D quadratic-inside Huber, by hand."""
    f = huber_objective([HuberTerm(Q(2), Q(10), (Q(1),))])  # F = x^2 inside |x| < 10
    B = MPBackend(30)
    one, a = [B.num(1)], B.num(Q(1, 4))
    assert iterate(f, B, "gd", one, 2, [a])[0] == B.num(Q(1, 4))  # x <- x/2 twice
    assert iterate(f, B, "heavyball", one, 2, [a, B.num(Q(1, 2))])[0] == B.num(0)  # 1/2 - 1/4 + (1/2)(-1/2)
    assert iterate(f, B, "nesterov", one, 1, [a])[0] == B.num(Q(1, 2))
    # x1 = 1/2, y1 = x1 (momentum 0), x2 = 1/4, y2 = x2 + (1/4)(x2 - x1) = 3/16, x3 = 3/32
    assert iterate(f, B, "nesterov", one, 3, [a])[0] == B.num(Q(3, 32))
    assert iterate(f, B, "nesterov", one, 2, [a, B.num(Q(1, 2))])[0] == B.num(Q(1, 8))  # y1 = 1/2 + (1/2)(-1/2)
    assert iterate(f, B, "proxgrad_l1", one, 1, [a, B.num(1)])[0] == B.num(Q(1, 4))  # S_{1/4}(1/2)
    assert iterate(f, B, "proxgrad_box", [B.num(8)], 1, [a, B.num(3)])[0] == B.num(3)
    with pytest.raises(IterateError, match="random"):
        iterate(f, B, "sgd", one, 1, [a])
    with pytest.raises(IterateError, match="integer"):
        iterate(f, B, "gd", one, Q(1, 2), [a])
    with pytest.raises(IterateError, match="takes"):
        iterate(f, B, "heavyball", one, 1, [a])
    assert set(METHODS) == {"gd", "heavyball", "nesterov", "proxgrad_l1", "proxgrad_box", "sgd"}


def test_sgd_expectation_is_the_exact_mean_over_index_sequences() -> None:
    """Two orthogonal 1-D Huber terms: E[F(x_k)] by enumeration equals the hand mean, and
    F(E[x_k]) differs from it (the expectation is of the value, not of the point)."""
    q1, q2 = (Q(1), Q(0)), (Q(0), Q(1))
    f = huber_objective([HuberTerm(Q(1), Q(100), q1), HuberTerm(Q(1), Q(100), q2)])  # F = |x|^2 / 2
    B = MPBackend(40)
    x0, a = [B.num(1), B.num(1)], B.num(Q(1, 4))
    # f_i = |x_i|^2 (n c_i = 2): a step on f_1 multiplies x_1 by 1/2, leaves x_2
    # after 1 step: (1/2, 1) or (1, 1/2): F = (1/4 + 1)/2 = 5/8 either way
    e1 = expectation(f, B, "sgd", x0, 1, [a], lambda x: f.value(B, x))
    assert abs(e1 - B.num(Q(5, 8))) < B.num(10) ** -35
    # after 2 steps: (1/4, 1), (1/2, 1/2) twice, (1, 1/4): E F = ((1/16 + 1) * 2 + 2 * (1/2)) / 2 / 4
    e2 = expectation(f, B, "sgd", x0, 2, [a], lambda x: f.value(B, x))
    assert abs(e2 - B.num(Q(25, 64))) < B.num(10) ** -35
    assert paths(f, "sgd", 12) == 4096
    with pytest.raises(IterateError, match="more than"):
        paths(f, "sgd", 13)
    x = coordinates(2)
    g = Objective("plain", x, x[0] ** 2 + x[1] ** 2)  # no finite-sum structure given
    with pytest.raises(IterateError, match="finite sum"):
        expectation(g, B, "sgd", x0, 1, [a], lambda x: g.value(B, x))


def test_integer_bounds_draw_and_clip_integers() -> None:
    b = Bound(Q(1), Q(20), False, False, integer=True)
    assert b.contains(Q(3)) and not b.contains(Q(5, 2)) and b.clip(Q(41, 2)) == 20 and b.clip(Q(5, 2)) in (2, 3)
    assert Bound(Q(0), Q(5), True, True, integer=True).integers() == (1, 4)

    @given(values_in(b))
    def draws(v: Q) -> None:
        assert v.denominator == 1 and 1 <= v <= 20

    draws()


def test_a_constant_converted_outside_arb_precision_is_not_reused_inside_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (CI, stop 22): a compiled expression's constants were cached per
    ``ArbBackend(bits)``; converted once at flint's default 53 bits (outside
    ``arb_precision``), they were reused at 128 bits and the ball came out 10^13 too wide."""
    from symbolic import backends

    B = ArbBackend(128)
    f = huber_objective([HuberTerm(Q(1), Q(1, 3), (Q(1),))])
    with monkeypatch.context() as m:
        m.setattr(backends, "ARB_STRICT", False)  # the misuse the suite otherwise refuses
        f.value(B, [B.num(Q(1, 7))])  # at the default precision: 1/3 converted at 53 bits
    with pytest.raises(RuntimeError, match="arb_precision"):
        B.num(Q(1, 3))  # and in the suite, the misuse itself is an error
    with arb_precision(128):
        v = f.value(B, iterate(f, B, "gd", [B.num(1)], 1, [B.num(1)]))
        assert v.contains(B.num(Q(1, 6))) and v.rad() < 1e-30


@settings(max_examples=200)
@given(st.fractions(min_value=-4, max_value=4, max_denominator=1000), st.fractions(min_value=0, max_value=1, max_denominator=1000), st.integers(0, 9))
def test_arb_integer_powers_enclose_every_power_of_the_ball(mid: Q, rad: Q, n: int) -> None:
    """ArbBackend.ipow on a ball [mid - rad, mid + rad] (around 0 or not, of either sign)
    contains q^n exactly for q at both ends and inside, and contains 0 only where it may."""
    B = ArbBackend(128)
    with arb_precision(128):
        ball = B.num(mid) + B.num(rad) * B.num(0).union(B.num(1)) * 2 - B.num(rad)  # [mid - rad, mid + rad] (wider)
        p = B.ipow(ball, n)
    assert p.is_finite()  # a NaN ball would "contain" everything
    for t in (Q(0), Q(1, 3), Q(1, 2), Q(1)):
        q = mid - rad + 2 * rad * t
        with arb_precision(2000):
            exact = ArbBackend(2000).num(q**n)  # radius ~ 2^-2000: a point for this test
        assert p.contains(exact), (mid, rad, n, t, p)


@settings(max_examples=25)
@given(st.data())
def test_the_huber_structure_agrees_with_its_sympy_expression(data) -> None:
    """Value and gradient from the data (HuberStructure) equal the sympy expression's and the
    closed-form gradient's, compiled, at random rational points (mpmath at 50 digits), and a
    float64 batch of points gives the per-point values."""
    from symbolic import FloatBackend
    from symbolic.compile import compiled

    f = data.draw(huber_functions(dim=(1, 6), terms=(1, 6)))
    B = MPBackend(50)
    value_fn = compiled([f.expr], f.variables)
    grad_fn = compiled(list(f.gradient), f.variables)
    pts = [data.draw(points(f.dim, radius=4)) for _ in range(3)]
    tol = B.num(10) ** -40
    for x in pts:
        xs = [B.num(v) for v in x]
        assert abs(f.value(B, xs) - value_fn(B, xs)[0]) <= tol
        for g, h in zip(f.grad(B, xs), grad_fn(B, xs), strict=True):
            assert abs(g - h) <= tol
    F = FloatBackend()
    cols = [np.array([float(x[j]) for x in pts]) for j in range(f.dim)]
    batch_values = f.value(F, cols)
    for i, x in enumerate(pts):
        assert abs(float(batch_values[i]) - float(f.value(B, [B.num(v) for v in x]))) <= 1e-9 * (1 + abs(float(batch_values[i])))



@settings(max_examples=15)
@given(st.data())
def test_the_huber_structure_screens_in_float64_intervals_and_balls(data) -> None:
    """Over a batch of points, the interval and ball screens run the Huber structure (min, max,
    abs: no NotScreenable) and enclose the 50-digit values of F and of its closed-form gradient."""
    from symbolic.compile import compiled
    from symbolic.float_balls import BallFloatBackend
    from symbolic.float_intervals import IntervalFloatBackend

    f = data.draw(huber_functions(dim=(1, 5), terms=(1, 5)))
    B = MPBackend(50)
    value_fn = compiled([f.expr], f.variables)
    grad_fn = compiled(list(f.gradient), f.variables)
    pts = [data.draw(points(f.dim, radius=4)) for _ in range(4)]
    IB, BB = IntervalFloatBackend(), BallFloatBackend()
    cols = [np.array([float(x[j]) for x in pts]) for j in range(f.dim)]
    runs = [(IB, [IB.point(c) for c in cols], lambda v: v), (BB, [BB.column(c, c) for c in cols], BB.enclose)]
    for backend, X, enclose in runs:
        got = [enclose(f.value(backend, X)), *(enclose(g) for g in f.grad(backend, X))]
        for i in range(len(pts)):
            xs = [B.num(float(c[i])) for c in cols]
            ref = [value_fn(B, xs)[0], *grad_fn(B, xs)]
            for iv, r in zip(got, ref, strict=True):
                assert iv.lo[i] <= r <= iv.hi[i], (backend.name, i, iv.lo[i], r, iv.hi[i])
