"""Subdifferentials of univariate piecewise-smooth functions, computed from their definitions.

Generic helper (owned by the Pauwels structure catalogue, usable by anyone). A function is a
sympy expression in one real variable built from polynomials, ``Abs``, ``Max``, ``Min`` and
``Piecewise``, continuous, and whose pieces are ``C^1`` up to their endpoints. At a point
``x0`` (an exact rational):

- :func:`frechet` computes ``{v : liminf_{y->x0} (f(y)-f(x0)-v(y-x0))/|y-x0| >= 0}``. For such
  functions the liminf is the smaller of the two one-sided limits, which exist; both are
  computed with ``sympy.limit`` as functions of a symbolic ``v`` and the inequalities are
  solved exactly in ``v``.
- :func:`limiting` is the set of limits of Fréchet subgradients at nearby points: near ``x0``
  (punctured) ``f`` is differentiable with Fréchet subdifferential ``{f'(y)}``, so the limits
  are the one-sided limits of ``f'`` at ``x0``, together with ``frechet(f, x0)`` itself
  (the constant sequence ``y_k = x0``).
- :func:`clarke` is the convex hull of :func:`limiting`.
- :func:`convex_subdifferential` is ``{v : f(y) >= f(x0) + v(y-x0) for all y}``, decided by z3
  over the reals (a subset of the Fréchet set; its defining condition is convex in ``v``).
- :func:`is_local_minimum` decides ``exists eps > 0, forall y, |y-x0| < eps => f(y) >= f(x0)``
  with z3.

Every answer is exact (sympy sets with rational or algebraic endpoints); a helper returns
``None`` when it cannot decide.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import sympy as sp
import z3

from .budgets import check_or_interrupt, z3_solver
from .proofs import _Z3


def _solver() -> z3.Solver:
    """A z3 solver with the deterministic resource limit of :mod:`symbolic.budgets`."""
    return z3_solver()

_h = sp.Symbol("_h", positive=True)
_v = sp.Symbol("_v", real=True)


def _rat(x0: Fraction | int | sp.Rational) -> sp.Rational:
    x0 = Fraction(x0) if not isinstance(x0, sp.Basic) else x0
    return sp.Rational(x0.numerator, x0.denominator) if isinstance(x0, Fraction) else sp.nsimplify(x0)


def _sign_near_zero_plus(p: sp.Expr) -> int:
    """Sign of the expression p(h) for all small enough h > 0 (p rational in h), exactly."""
    num, den = sp.fraction(sp.together(sp.expand(p)))
    signs = []
    for q in (num, den):
        poly = sp.Poly(sp.expand(q), _h)
        coeffs = [c for c in reversed(poly.all_coeffs()) if c != 0]
        signs.append(0 if not coeffs else (1 if coeffs[0] > 0 else -1))
    return signs[0] * signs[1]


def _eventually_true(cond: sp.Basic) -> bool:
    """Whether a condition in h holds for all small enough h > 0."""
    if cond is sp.true:
        return True
    if cond is sp.false:
        return False
    if isinstance(cond, sp.And):
        return all(_eventually_true(a) for a in cond.args)
    if isinstance(cond, sp.Or):
        return any(_eventually_true(a) for a in cond.args)
    if isinstance(cond, sp.Not):
        return not _eventually_true(cond.args[0])
    sg = _sign_near_zero_plus(cond.lhs - cond.rhs)
    return {
        sp.StrictGreaterThan: sg > 0, sp.GreaterThan: sg >= 0, sp.StrictLessThan: sg < 0,
        sp.LessThan: sg <= 0, sp.Equality: sg == 0, sp.Unequality: sg != 0,
    }[type(cond)]


def eventually(e: sp.Expr) -> sp.Expr:
    """Replace every Max/Min/Abs/Piecewise of h by the branch valid for all small h > 0."""
    e = e.rewrite(sp.Piecewise)

    def branch(pw: sp.Piecewise) -> sp.Expr:
        for expr, cond in pw.args:
            if _eventually_true(cond):
                return expr
        raise ValueError(f"no branch of {pw} holds near 0+")

    while e.has(sp.Piecewise):
        inner = [a for a in e.atoms(sp.Piecewise) if not any(b.has(sp.Piecewise) for b in a.args[0] if isinstance(b, sp.Basic))]
        e = e.xreplace({pw: branch(pw) for pw in inner or e.atoms(sp.Piecewise)})
    return e


def _limit0plus(e: sp.Expr) -> sp.Expr:
    """lim_{h -> 0+} of an expression in h: exact substitution after cancelling when h = 0 is not a pole."""
    c = sp.cancel(sp.together(e))
    num, den = sp.fraction(c)
    if den.subs(_h, 0) != 0:
        return sp.expand(num.subs(_h, 0) / den.subs(_h, 0))
    return sp.limit(e, _h, 0, "+")


def _quotient_limits(f: sp.Expr, x: sp.Symbol, x0: sp.Rational) -> tuple[sp.Expr, sp.Expr]:
    """The one-sided limits, as functions of v, of (f(y)-f(x0)-v(y-x0))/|y-x0| for y -> x0+ and y -> x0-."""
    fx0 = f.subs(x, x0)
    right = _limit0plus(eventually((f.subs(x, x0 + _h) - fx0 - _v * _h) / _h))
    left = _limit0plus(eventually((f.subs(x, x0 - _h) - fx0 + _v * _h) / _h))
    return sp.expand(right), sp.expand(left)


def _nonneg_set(e: sp.Expr) -> sp.Set:
    """{v : e(v) >= 0} for e affine in v (the quotient limits are: (one-sided derivative) -+ v)."""
    c1 = e.coeff(_v)
    c0 = sp.expand(e - c1 * _v)
    if c0.has(_v):
        return sp.solveset(e >= 0, _v, sp.S.Reals)
    if c1 == 0:
        return sp.S.Reals if c0 >= 0 else sp.S.EmptySet
    return sp.Interval(-c0 / c1, sp.oo) if c1 > 0 else sp.Interval(-sp.oo, -c0 / c1)


@lru_cache(maxsize=512)
def frechet(f: sp.Expr, x: sp.Symbol, x0: Fraction | int) -> sp.Set:
    """The Fréchet subdifferential of f at x0 (see the module docstring)."""
    x0r = _rat(x0)
    right, left = _quotient_limits(f, x, x0r)
    return sp.Intersection(_nonneg_set(right), _nonneg_set(left))


@lru_cache(maxsize=512)
def one_sided_derivative_limits(f: sp.Expr, x: sp.Symbol, x0: Fraction | int) -> tuple[sp.Expr, sp.Expr]:
    """lim_{y -> x0-} f'(y) and lim_{y -> x0+} f'(y) (f' computed away from x0)."""
    x0r = _rat(x0)
    left = _limit0plus(-sp.diff(eventually(f.subs(x, x0r - _h)), _h))
    right = _limit0plus(sp.diff(eventually(f.subs(x, x0r + _h)), _h))
    return sp.nsimplify(left), sp.nsimplify(right)


def limiting(f: sp.Expr, x: sp.Symbol, x0: Fraction | int) -> sp.Set:
    """The limiting subdifferential of f at x0."""
    dl, dr = one_sided_derivative_limits(f, x, x0)
    return sp.Union(sp.FiniteSet(dl, dr), frechet(f, x, x0))


def clarke(f: sp.Expr, x: sp.Symbol, x0: Fraction | int) -> sp.Set:
    """The Clarke subdifferential: convex hull of the limiting one (an interval)."""
    lim = limiting(f, x, x0)
    return sp.Interval(sp.Min(lim.inf), sp.Max(lim.sup)) if lim is not sp.S.EmptySet else sp.S.EmptySet


@lru_cache(maxsize=512)
def convex_subdifferential(f: sp.Expr, x: sp.Symbol, x0: Fraction | int) -> sp.Set | None:
    """{v : f(y) >= f(x0) + v (y - x0) for all real y}; None when undecided."""
    x0r = _rat(x0)
    fr = frechet(f, x, x0r)
    if fr is sp.S.EmptySet:
        return sp.S.EmptySet  # the convex subdifferential is contained in the Fréchet one
    tr = _Z3()
    y, v = sp.Symbol("_y", real=True), sp.Symbol("_vv", real=True)
    fy = tr.expr(f.subs(x, y))
    f0 = tr.expr(f.subs(x, x0r))
    zy, zv = tr.var(y), tr.var(v)
    cond = lambda vv: z3.ForAll([zy], fy >= f0 + vv * (zy - tr.expr(x0r)))  # noqa: E731

    def holds(vv: sp.Expr) -> bool | None:
        s = _solver()
        s.add(*tr.side, z3.Not(cond(tr.expr(vv))))
        r = check_or_interrupt(s)
        return True if r == z3.unsat else False if r == z3.sat else None

    lo, hi = fr.inf, fr.sup
    s = _solver()
    s.add(*tr.side, zv >= tr.expr(lo), zv <= tr.expr(hi), cond(zv))
    r = check_or_interrupt(s)
    if r == z3.unsat:
        return sp.S.EmptySet
    if r != z3.sat:
        return None
    ends = [holds(lo), holds(hi)]
    if ends == [True, True]:
        return fr  # the set is convex in v, so it contains the whole interval
    return None


@lru_cache(maxsize=512)
def is_local_minimum(f: sp.Expr, x: sp.Symbol, x0: Fraction | int) -> bool | None:
    """exists eps > 0 forall y, |y - x0| < eps => f(y) >= f(x0), decided by z3."""
    x0r = _rat(x0)
    tr = _Z3()
    y, eps = sp.Symbol("_y", real=True), sp.Symbol("_eps", real=True)
    zy, ze = tr.var(y), tr.var(eps)
    c = tr.expr(x0r)
    increase = tr.expr(f.subs(x, y)) >= tr.expr(f.subs(x, x0r))
    if f.is_rational_function(x) and not f.is_polynomial(x):
        # f(y) - f(x0) = num/den: with den of constant sign the quantifiers act on a polynomial,
        # which nlsat decides where the quotient times out (e.g. x^3/(1+x^2))
        num, den = sp.fraction(sp.together(f.subs(x, y) - f.subs(x, x0r)))
        for sign in (1, -1):
            s = _solver()
            s.add(*tr.side, z3.Not(tr.expr(sign * den) > 0))
            if check_or_interrupt(s) == z3.unsat:
                increase = tr.expr(sign * num) >= 0
                break
    phi = z3.Exists([ze], z3.And(ze > 0, z3.ForAll([zy], z3.Implies(z3.And(zy - c < ze, c - zy < ze), increase))))
    s = _solver()
    s.add(*tr.side, z3.Not(phi))
    r = check_or_interrupt(s)
    return True if r == z3.unsat else False if r == z3.sat else None


def contains(S: sp.Set, v: sp.Expr) -> bool:
    """Exact membership test."""
    return bool(S.contains(v))


def is_subset(A: sp.Set, B: sp.Set) -> bool:
    """Exact inclusion test for unions of intervals and finite sets."""
    return bool(A.is_subset(B)) or A is sp.S.EmptySet


__all__ = ["clarke", "contains", "convex_subdifferential", "frechet", "is_local_minimum", "is_subset", "limiting", "one_sided_derivative_limits"]
