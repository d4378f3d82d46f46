"""pauwels.differential-inclusion: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 6 "Extensions to nonsmooth settings", slide "Differential inclusion solutions", Definition and the absolute value example.

A solution of theta' in -dF(theta), theta(0) = theta_0, is a Lipschitz curve with theta'(t) in -dF(theta(t)) for almost
all t; for F = |x| the solutions are decided piece by piece.
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Definition, Implication, Judgement, Verdict
from theorems.registry import Entry, Status, register

t_ = sp.Symbol("t", real=True)


Piece = tuple[sp.Expr, sp.Expr, sp.Expr]  # (lo, hi, expression in t)


def solution(theta0: Q) -> list[Piece]:
    """theta(t) = sign(theta0) max(|theta0| - t, 0), as pieces on the real line."""
    a = sp.Rational(theta0.numerator, theta0.denominator)
    if a == 0:
        return [(-sp.oo, sp.oo, sp.Integer(0))]
    return [(-sp.oo, abs(a), sp.sign(a) * (abs(a) - t_)), (abs(a), sp.oo, sp.Integer(0))]


def is_abs_inclusion_solution(ex: tuple[Q, list[Piece]]) -> Judgement:
    """theta Lipschitz on R, theta(0) = theta0, and theta'(t) in -d|.|(theta(t)) for almost every t."""
    theta0, pieces = ex
    th0 = sp.Rational(theta0.numerator, theta0.denominator)
    for (_lo, hi, e), (lo2, _, e2) in zip(pieces, pieces[1:], strict=False):
        if hi != lo2 or sp.simplify(e.subs(t_, hi) - e2.subs(t_, hi)) != 0:
            return Judgement(False, Verdict.PROVED, f"not continuous (or pieces not contiguous) at t = {hi}")
    if pieces[0][0] != -sp.oo or pieces[-1][1] != sp.oo:
        return Judgement(False, Verdict.PROVED, "does not cover the real line")
    at0 = next(e for lo, hi, e in pieces if lo <= 0 <= hi)
    if sp.simplify(at0.subs(t_, 0) - th0) != 0:
        return Judgement(False, Verdict.PROVED, "theta(0) != theta0")
    for lo, hi, e in pieces:
        J = sp.Interval.open(lo, hi)
        de = sp.diff(e, t_)
        rng = sp.calculus.util.function_range(sp.Abs(de), t_, J)
        if rng.sup is sp.oo:
            return Judgement(False, Verdict.PROVED, f"not Lipschitz on {J}: |theta'| unbounded")
        pos = sp.solveset(e > 0, t_, J)
        neg = sp.solveset(e < 0, t_, J)
        zero = sp.Complement(J, sp.Union(pos, neg))
        for part, need in ((pos, -1), (neg, 1)):
            if part.measure != 0 and sp.simplify(de - need) != 0:
                return Judgement(False, Verdict.PROVED, f"theta' = {de} on {part}, where -d|.|(theta) = {{{need}}}")
        if zero.measure != 0:
            r = sp.calculus.util.function_range(de, t_, zero)
            if not r.is_subset(sp.Interval(-1, 1)):
                return Judgement(False, Verdict.PROVED, "theta' outside [-1,1] where theta = 0")
    return Judgement(True, Verdict.PROVED, "Lipschitz, theta(0) = theta0, inclusion holds on every piece (up to finitely many points)")


inclusion_definition = Definition(
    "solutions of theta' in -d|.|(theta): the explicit solution and non-solutions",
    is_abs_inclusion_solution,
    [
        ("sign(2) max(2 - t, 0)", (Q(2), solution(Q(2))), True),
        ("sign(-3/2) max(3/2 - t, 0)", (Q(-3, 2), solution(Q(-3, 2))), True),
        ("theta0 = 0: theta = 0", (Q(0), solution(Q(0))), True),
        ("theta0 = 0: max(-1 - t, 0) (another solution through 0: not unique on R)", (Q(0), [(-sp.oo, sp.Integer(-1), -1 - t_), (sp.Integer(-1), sp.oo, sp.Integer(0))]), True),
        ("non-solution: 1 - t (overshoots 0)", (Q(1), [(-sp.oo, sp.oo, 1 - t_)]), False),
        ("non-solution: e^{-t} (gradient flow of x^2/2, not Lipschitz on R)", (Q(1), [(-sp.oo, sp.oo, sp.exp(-t_))]), False),
        ("non-solution: max(1 - 2t, 0) (speed 2)", (Q(1), [(-sp.oo, sp.Rational(1, 2), 1 - 2 * t_), (sp.Rational(1, 2), sp.oo, sp.Integer(0))]), False),
        ("non-solution: constant 1", (Q(1), [(-sp.oo, sp.oo, sp.Integer(1))]), False),
    ],
    statement=r"\theta \text{ Lipschitz},\ \theta(0)=\theta_0,\ \dot\theta(t)\in-\partial|\cdot|(\theta(t)) \text{ a.e.};\quad \theta(t)=\mathrm{sign}(\theta_0)\max(|\theta_0|-t,0)",
    note="$\\partial|\\cdot|$ is $\\{\\mathrm{sign}\\,\\theta\\}$ for $\\theta\\ne0$ and $[-1,1]$ at $0$ (convex = Clarke here). Sign regions of each piece by sympy solveset; derivative conditions by exact simplification.",
)

_a, _s = sp.symbols("a s", positive=True)
piece_positive = Implication(
    "for theta0 > 0 and 0 < t < theta0: theta > 0 and theta' = -1 = -sign(theta)",
    hypotheses=[_s < _a],
    conclusion=sp.And(_a - _s > 0, sp.Eq(sp.diff(_a - _s, _s), -1)),
    statement=r"\theta_0>0,\ 0<t<\theta_0 \implies \theta(t)=\theta_0-t>0,\ \dot\theta=-1\in-\partial|\cdot|(\theta(t))",
)
piece_negative = Implication(
    "for theta0 < 0 and 0 < t < |theta0|: theta < 0 and theta' = 1 = -sign(theta)",
    hypotheses=[_s < _a],
    conclusion=sp.And(-(_a - _s) < 0, sp.Eq(sp.diff(-(_a - _s), _s), 1)),
    statement=r"\theta_0=-a<0,\ 0<t<a \implies \theta(t)=-(a-t)<0,\ \dot\theta=1\in-\partial|\cdot|(\theta(t))",
)
piece_zero = Implication(
    "for t > |theta0|: theta = 0 and theta' = 0 in [-1, 1]",
    hypotheses=[_s > _a],
    conclusion=sp.And(sp.Max(_a - _s, 0) <= 0, sp.Max(_a - _s, 0) >= 0),
    statement=r"t>|\theta_0| \implies \max(|\theta_0|-t,0)=0,\ \dot\theta=0\in[-1,1]=-\partial|\cdot|(0)",
)

register(
    Entry(
        id="pauwels.differential-inclusion",
        title="Differential inclusion solutions; the absolute value example",
        where="Differential inclusion solutions",
        statement=(
            r"Given $\theta_0\in\mathbb{R}^p$, a solution of $\dot\theta\in-\partial F(\theta)$, $\theta(0)=\theta_0$, is any Lipschitz map "
            r"$\theta:\mathbb{R}\to\mathbb{R}^p$ such that $\frac{d}{dt}\theta(t)\in-\partial F(\theta(t))$ for almost all $t$ and "
            r"$\theta(0)=\theta_0$. Example: absolute value. Convexity and upper semi-continuity of $\partial F$ ensure existence (not unique)."
        ),
        hypotheses=[r"$F$ Lipschitz"],
        checks=[inclusion_definition, piece_positive, piece_negative, piece_zero],
        status=Status.VERIFIED,
        reading=(
            "The slide gives no formula for the absolute-value example; we check $\\theta(t)=\\mathrm{sign}(\\theta_0)\\max(|\\theta_0|-t,0)$ on "
            "the whole line (the definition asks for $\\theta:\\mathbb{R}\\to\\mathbb{R}^p$). On $\\mathbb{R}$ solutions are not unique: "
            "through $\\theta_0=0$ both $0$ and $\\max(-1-t,0)$ are solutions (uniqueness holds forward in time only)."
        ),
    )
)
