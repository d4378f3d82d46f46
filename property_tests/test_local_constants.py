"""Quality tests of symbolic.local_constants against closed forms.

- Quadratic F = 1/2 x^T A x (A positive definite) on a ball containing its minimizer 0:
  |grad F|^2 / F = 2 x^T A^2 x / x^T A x, a Rayleigh quotient of A in the variable A^{1/2} x,
  whose infimum over all directions is 2 lambda_min(A). So alpha = 2 lambda_min(A).
- F = 1 - cos x on [c - r, c + r] inside (-pi, pi): |F'|^2 / F = sin^2 x / (1 - cos x) = 1 + cos x,
  decreasing in |x|, so alpha = 1 + cos(max(|c - r|, |c + r|)).
- Quadratics: sup ||Hess F|| = lambda_max(A); inf over the annulus R-1 <= |x| <= R of F is lambda_min (R-1)^2 / 2.
"""

from __future__ import annotations

import math
from fractions import Fraction as Q

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic import Box, Constants, Objective, coordinates
from symbolic.backends import MPBackend
from symbolic.local_constants import (
    annulus_minimum,
    certify_lojasiewicz_margin,
    in_ball,
    local_lojasiewicz,
    lojasiewicz_condition,
    ratio_function,
    smoothness_constant,
)

x1, x2 = coordinates(2)
(x,) = coordinates(1)


def quadratic(l1: Q, l2: Q, rotate: bool) -> Objective:
    # A = Q diag(l1, l2) Q^T with the exact rotation Q = [[3, -4], [4, 3]] / 5
    R = sp.Matrix([[3, -4], [4, 3]]) / 5 if rotate else sp.eye(2)
    A = R * sp.diag(sp.Rational(l1.numerator, l1.denominator), sp.Rational(l2.numerator, l2.denominator)) * R.T
    v = sp.Matrix([x1, x2])
    return Objective("quadratic", (x1, x2), sp.expand((v.T * A * v)[0] / 2), Constants(minimizer=(Q(0), Q(0)), minimum=Q(0)))


eigen = st.integers(1, 16).map(lambda k: Q(k, 4))


@settings(max_examples=6, deadline=None)
@given(eigen, eigen, st.booleans())
def test_quadratic_alpha_is_twice_lambda_min(l1: Q, l2: Q, rotate: bool) -> None:
    f = quadratic(l1, l2, rotate)
    res = local_lojasiewicz(f, (Q(1, 3), Q(-1, 4)), Q(1))
    exact = 2 * min(l1, l2)
    assert res.lower <= exact <= res.upper
    assert res.lower >= exact * Q(99, 100)  # the certificate is sharp, not only sound
    assert res.upper <= exact * Q(101, 100)


def test_one_minus_cos_alpha_closed_form() -> None:
    f = Objective("1-cos", (x,), 1 - sp.cos(x))
    for c, r in ((Q(1, 2), Q(1)), (Q(0), Q(2)), (Q(-1), Q(1, 2))):
        res = local_lojasiewicz(f, (c,), r, zeros=[(Q(0),)])
        exact = 1 + math.cos(max(abs(c - r), abs(c + r)))
        assert float(res.lower) <= exact + 1e-15 <= float(res.upper) + 2e-15
        assert float(res.lower) >= exact - 1e-3


def test_lower_bound_is_sound_at_random_points() -> None:
    f = quadratic(Q(1, 2), Q(3), True)
    c, r = (Q(1), Q(1, 2)), Q(2)
    res = local_lojasiewicz(f, c, r)
    ratio = ratio_function(f)
    MP = MPBackend(30)
    import random

    rng = random.Random(1)
    n = 0
    while n < 200:
        p = (Q(rng.randint(-300, 300), 100), Q(rng.randint(-300, 300), 100))
        if not in_ball(p, c, r) or p == (0, 0):
            continue
        n += 1
        assert ratio(MP, [MP.num(v) for v in p]) >= float(res.lower)


def test_margin_certificate_refutes_too_large_a() -> None:
    f = quadratic(Q(1), Q(2), False)
    ok, _, pt = certify_lojasiewicz_margin(f, (Q(0), Q(0)), Q(1), Q(5, 2), zeros=[(Q(0), Q(0))])
    assert ok is False and pt is not None  # alpha = 2 < 5/2
    # F = (x1^2 + 2 x2^2)/2, |grad F|^2 = x1^2 + 4 x2^2: the ratio is < 5/2 exactly where x1^2 > 6 x2^2
    assert sp.expand(f.expr - (x1**2 + 2 * x2**2) / 2) == 0
    p1, p2 = (Q(v) for v in pt)
    assert p1**2 + p2**2 <= 1  # in the ball B(0, 1)
    F, g2 = (p1**2 + 2 * p2**2) / 2, p1**2 + 4 * p2**2
    assert F > 0 and g2 < Q(5, 2) * F
    MP = MPBackend(30)
    assert ratio_function(f)(MP, [MP.num(v) for v in pt]) < 2.5
    ok, _, _ = certify_lojasiewicz_margin(f, (Q(0), Q(0)), Q(1), Q(19, 10), zeros=[(Q(0), Q(0))])
    assert ok is True


def test_assumption_1_certified_and_refuted() -> None:
    f = Objective("1-cos", (x,), 1 - sp.cos(x))
    ok, info = lojasiewicz_condition(f, (Q(1, 2),), Q(1), zeros=[(Q(0),)])
    assert ok is True  # 4(1 - cos 1/2) = 0.49 < 1 + cos(3/2) = 1.07
    ok, info = lojasiewicz_condition(f, (Q(2),), Q(1), zeros=[(Q(0),)])
    assert ok is False  # 4(1 - cos 2) = 5.66 >= 1 + cos 3 = 0.01
    assert info["alpha"][1] < Q(1, 50)


@settings(max_examples=6, deadline=None)
@given(eigen, eigen, st.booleans())
def test_smoothness_constant_bounds_lambda_max(l1: Q, l2: Q, rotate: bool) -> None:
    f = quadratic(l1, l2, rotate)
    L = smoothness_constant(f, Box.cube(2, 1))
    assert L >= max(l1, l2)
    if not rotate:
        assert L == max(l1, l2)  # diagonal Hessian: the row-sum bound is exact


def test_annulus_minimum_quadratic() -> None:
    f = quadratic(Q(1, 2), Q(2), True)
    res = annulus_minimum(f, (Q(0), Q(0)), Q(3))
    exact = Q(1, 2) * 2**2 / 2  # lambda_min (R - 1)^2 / 2
    assert res.lower <= exact <= res.upper
    assert res.lower >= exact * Q(99, 100)


def test_annulus_minimum_excludes_inner_ball() -> None:
    f = Objective("shifted", (x1, x2), (x1 - 1) ** 2 + x2**2)
    # zero at (1, 0), inside the inner ball B(0, 2): the annulus 2 <= |x| <= 3 has min (2-1)^2 = 1
    res = annulus_minimum(f, (Q(0), Q(0)), Q(3))
    assert res.lower <= 1 <= res.upper and res.lower >= Q(99, 100)
