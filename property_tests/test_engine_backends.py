"""The compiler and the backends: one expression, three arithmetics, consistent answers."""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from flint import arb as ArbBall
from hypothesis import given
from hypothesis import strategies as st

from symbolic import ArbBackend, FloatBackend, MPBackend, arb_precision
from symbolic.compile import UnsupportedExpression, compiled

x, y = sp.symbols("x y", real=True)
EXPRS = [
    x**2 * y - sp.Rational(1, 3) * y,
    sp.log(1 + sp.exp(x - 2 * y)),
    sp.cos(x) * sp.tanh(y) + sp.sqrt(x**2 + 1),
    1 / (1 + sp.exp(-x)) + (x**2 + y**2) ** sp.Rational(3, 2),
    sp.Abs(x - y) + sp.Max(x, y),
    sp.asin(x / 4) * y + sp.acos(y / 4),  # |x/4|, |y/4| <= 3/4 on the drawn range: inside (-1, 1), where Arb is tight
]
small = st.fractions(min_value=-3, max_value=3, max_denominator=50)


@pytest.mark.parametrize("expr", EXPRS, ids=str)
@given(a=small, b=small)
def test_backends_agree_and_arb_encloses(expr, a: Fraction, b: Fraction) -> None:
    fn = compiled([expr], (x, y))
    mp50 = MPBackend(50)
    (v_mp,) = fn(mp50, [mp50.num(a), mp50.num(b)])
    exact = sp.N(expr.subs({x: sp.Rational(a.numerator, a.denominator), y: sp.Rational(b.numerator, b.denominator)}), 60)
    assert abs(v_mp - mp50.ctx.mpf(str(exact))) <= mp50.ctx.mpf(10) ** -45 * (1 + abs(v_mp))
    A = ArbBackend(200)
    with arb_precision(200):
        (v_arb,) = fn(A, [A.num(a), A.num(b)])
        value = expr.subs({x: sp.Rational(a.numerator, a.denominator), y: sp.Rational(b.numerator, b.denominator)})
        if value.is_Rational:  # exact containment of the exact value
            assert v_arb.overlaps(A.num(Fraction(int(value.p), int(value.q))))
        else:  # the ball meets a 10^-54 neighbourhood of a 58-digit approximation
            approx = A.num(Fraction(str(sp.N(value, 58)))) + A.num(Fraction(1, 10**54)) * ArbBall("0 +/- 1")
            assert v_arb.overlaps(approx)
        assert v_arb.rad() < A.num(Fraction(1, 10**50))
    (v_f,) = fn(FloatBackend(), [float(a), float(b)])
    assert v_f == pytest.approx(float(exact), rel=1e-9, abs=1e-12)


def test_float_backend_is_vectorised() -> None:
    fn = compiled([EXPRS[1]], (x, y))
    xs = np.linspace(-1, 1, 7)
    (out,) = fn(FloatBackend(), [xs, xs * 0])
    assert out.shape == (7,)
    assert out[3] == pytest.approx(np.log(2.0))


def test_private_precision_context_leaves_global_alone() -> None:
    before = mpmath.mp.dps
    MPBackend(120)
    assert mpmath.mp.dps == before


@given(st.fractions(min_value=-2, max_value=2, max_denominator=20), st.fractions(min_value=0, max_value=1, max_denominator=20), st.integers(0, 7))
def test_arb_integer_powers_enclose_every_point(c: Fraction, r: Fraction, n: int) -> None:
    """ipow is a true interval extension: x**n lies in the enclosure for every x of the ball."""
    A = ArbBackend(128)
    with arb_precision(128):
        ball = A.num(c) + A.num(r) * A.num(1).__class__("0 +/- 1")
        enc = A.ipow(ball, n)
        for t in (c - r, c, c + r, c - r / 2):
            assert enc.contains(A.num(t**n))


def test_unsupported_constructs_are_refused() -> None:
    with pytest.raises(UnsupportedExpression):
        compiled([sp.Function("g")(x)], (x,))
    with pytest.raises(UnsupportedExpression):
        compiled([x + y], (x,))


def test_inverse_sine_outside_its_domain_is_undecidable_in_arb() -> None:
    fn = compiled([sp.asin(x) + sp.acos(x)], (x,))
    A = ArbBackend(100)
    with arb_precision(100):
        (inside,) = fn(A, [A.num(Fraction(1, 3))])
        assert inside.overlaps(ArbBall.pi() / 2)
        (outside,) = fn(A, [A.num(Fraction(3, 2))])
        assert not outside.is_finite()
