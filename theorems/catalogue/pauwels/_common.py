"""Helpers shared by pauwels entries of several sections: critical values of a polynomial by Gröbner
elimination (morse-sard, sgd-tame-corollary), Arb positivity, vector identities, fixed points stored
in a case's parameters and exact GD paths (the KL and convergence entries).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction as Q
from typing import Any

import sympy as sp

from symbolic import Case, Identity, Objective
from symbolic.backends import ArbBackend, Backend, Number, arb_precision, ball_certainly

# ------------------------------------------------------------------ critical values of a polynomial (Morse-Sard)

Xs, Ys, Cs = sp.symbols("x y c", real=True)


def elimination_polynomial(f: sp.Expr) -> sp.Expr:
    """The generator of (f_x, f_y, f - c) cap Q[c], from a lex Gröbner basis with x > y > c."""
    G = sp.groebner([sp.diff(f, Xs), sp.diff(f, Ys), f - Cs], Xs, Ys, Cs, order="lex")
    univariate = [g for g in G.exprs if g.free_symbols <= {Cs}]
    return univariate[0] if univariate else sp.Integer(0)


def sympy_rational(q: Q) -> sp.Rational:
    """The Fraction q as a sympy Rational."""
    return sp.Rational(q.numerator, q.denominator)


def arb_positive(value: Callable[[Backend], Number], bits: int = 256) -> bool:
    """True when the quantity is certainly > 0 in Arb balls (False when not, or undecided)."""
    B = ArbBackend(bits)
    with arb_precision(bits):
        try:
            v = value(B)
        except (ValueError, ZeroDivisionError):
            return False
        return ball_certainly(v, True) is True


_W = sp.symbols("w1:4", real=True)


def vector_identity(name: str, lhs: sp.Matrix, rhs: sp.Matrix, **kw: Any) -> Identity:
    """lhs == rhs componentwise, as one scalar identity sum_i w_i lhs_i = sum_i w_i rhs_i in fresh symbols w_i."""
    lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
    return Identity(name, sum(w * a for w, a in zip(_W, lhs, strict=False)), sum(w * b for w, b in zip(_W, rhs, strict=False)), **kw)


def fixed_point(c: Case, name: str) -> tuple[Q, ...]:
    """A point stored in fixed parameters name0, name1, ... (not moved by local search)."""
    out = []
    i = 0
    while f"{name}{i}" in c.params:
        out.append(c.params[f"{name}{i}"])
        i += 1
    return tuple(out)


def fixed_params(name: str, pt: Sequence[Q]) -> dict[str, Q]:
    """The point pt as fixed parameters name0, name1, ... (read back by :func:`fixed_point`)."""
    return {f"{name}{i}": v for i, v in enumerate(pt)}


def dist2_exact(x: Sequence[Q], y: Sequence[Q]) -> Q:
    """||x - y||^2 in exact rationals."""
    return sum(((a - b) ** 2 for a, b in zip(x, y, strict=True)), Q(0))


def gd_path(f: Objective, B: Backend, x0: Sequence[Number], step: Number, k: int) -> list[list[Number]]:
    """x_0, ..., x_k of gradient descent with the given step, in the backend's arithmetic."""
    xs = [list(x0)]
    for _ in range(k):
        xs.append(f.gradient_step(B, xs[-1], step))
    return xs
