"""Shared helpers of the sgdloj entries on test objectives: the family of nonnegative smooth
objectives, F, grad F and C_L at a case's point, and example objectives with known constants."""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, Constants, Objective, coordinates
from symbolic.backends import Backend, Number
from symbolic.families import least_squares, nonnegative_smooth

NONNEGATIVE_OBJECTIVES = st.one_of(nonnegative_smooth(), least_squares())


def F_at(c: Case, B: Backend, x: list[Number] | None = None) -> Number:
    """F at ``x`` (default: the case's point ``x``)."""
    assert c.objective is not None
    return c.objective.value(B, c.x(B) if x is None else x)


def grad_F_at(c: Case, B: Backend, x: list[Number] | None = None) -> list[Number]:
    """grad F at ``x`` (default: the case's point ``x``)."""
    assert c.objective is not None
    return c.objective.grad(B, c.x(B) if x is None else x)


def C_L_of(c: Case, B: Backend) -> Number:
    """The objective's certified smoothness constant C_L (2.3)."""
    assert c.objective is not None and c.objective.constants.L is not None
    return B.num(c.objective.constants.L)


_x1, _x2 = coordinates(2)
(_x,) = coordinates(1)


def quadratic_2d(l1: Q, l2: Q, rotate: bool = True) -> Objective:
    """F = x^T A x / 2 with eig(A) = {l1, l2}, A rotated by the rotation (3/5, 4/5) unless ``rotate`` is false."""
    R = sp.Matrix([[3, -4], [4, 3]]) / 5 if rotate else sp.eye(2)
    A = R * sp.diag(sp.Rational(l1.numerator, l1.denominator), sp.Rational(l2.numerator, l2.denominator)) * R.T
    v = sp.Matrix([_x1, _x2])
    return Objective(
        f"quadratic(eig {l1}, {l2})", (_x1, _x2), sp.expand((v.T * A * v)[0] / 2), Constants(L=max(l1, l2), minimizer=(Q(0), Q(0)), minimum=Q(0))
    )


ONE_MINUS_COS = Objective("1 - cos x", (_x,), 1 - sp.cos(_x), Constants(L=Q(1), minimizer=(Q(0),), minimum=Q(0)))
QUARTIC = Objective("x^4", (_x,), _x**4, Constants(minimizer=(Q(0),), minimum=Q(0)))
