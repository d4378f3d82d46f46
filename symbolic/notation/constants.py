"""The certified constants of an objective that notation reaches by name (``L``, ``mu``, ...).

To make a new constant of the objective available, add its name to :data:`CONSTANTS`
(it is read from ``objective.constants.<name>``).
"""

from __future__ import annotations

import weakref
from fractions import Fraction
from typing import Any

import sympy

#: names of the objective's certified constants: Lipschitz constant of the gradient,
#: strong convexity modulus, a lower bound of F, its minimum value
CONSTANTS: tuple[str, ...] = ("L", "mu", "lower", "minimum")


def rational(q: Fraction) -> sympy.Rational:
    """The sympy rational equal to ``q``."""
    return sympy.Rational(q.numerator, q.denominator)


#: per objective, the constants a claim may use (see :func:`constants_of`)
_CONSTANTS_CACHE: weakref.WeakKeyDictionary[Any, dict[str, Fraction]] = weakref.WeakKeyDictionary()


def constants_of(f: Any) -> dict[str, Fraction]:
    """The certified constants of an objective, with ``mu`` only when it is a strong convexity modulus.

    The quadratic family certifies ``mu`` = smallest *nonzero* |eigenvalue| (also for
    convex quadratics with a zero eigenvalue and for indefinite ones); claims read ``mu``
    as a strong convexity modulus, so for a quadratic it is kept only when
    Hess F - mu I is positive semidefinite (checked exactly in rationals).
    """
    try:
        return _CONSTANTS_CACHE[f]
    except (KeyError, TypeError):
        pass
    consts = {k: v for k in CONSTANTS if (v := getattr(f.constants, k, None)) is not None}
    if "mu" in consts:
        poly = sympy.Poly(f.expr, *f.variables) if f.expr.is_polynomial(*f.variables) else None
        if poly is not None and poly.total_degree() <= 2:
            hess = sympy.hessian(f.expr, f.variables) - rational(consts["mu"]) * sympy.eye(len(f.variables))
            if not hess.is_positive_semidefinite:
                del consts["mu"]
    try:
        _CONSTANTS_CACHE[f] = consts
    except TypeError:
        pass
    return consts
