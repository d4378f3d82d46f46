"""golikov.stationary-points: slides "Local optimization: general case", Stationary points.

"For f in C^1, x* is a 1st-order stationary point if ||grad f(x*)||_2 = 0 (an eps-1st-order
stationary point if <= eps); for f in C^{2,2}_rho, x* is a 2nd-order stationary point if
moreover lambda_min(Hess f(x*)) >= 0 (eps-2nd-order: ||grad f|| <= eps, lambda_min >= -sqrt(rho eps))."
The predicates are decided exactly at rational points (exact gradient, real roots of the
characteristic polynomial compared with sqrt(rho eps) by sympy's exact root isolation).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp

from symbolic import Definition, Implication, Judgement, Verdict
from theorems.catalogue.golikov._common import capped
from theorems.registry import Entry, Status, register


@dataclass(frozen=True)
class Point:
    """The question "is ``x`` an (eps-)stationary point of order ``order`` of f" (eps = 0: exact)."""

    expr: sp.Expr
    xs: tuple[sp.Symbol, ...]
    x: tuple[Q, ...]
    order: int
    eps: Q = Q(0)
    rho: Q = Q(1)

    def __post_init__(self) -> None:
        if self.order not in (1, 2):
            raise ValueError(f"order must be 1 or 2, got {self.order}")
        if self.eps < 0 or self.rho < 0:
            raise ValueError("eps and rho must be >= 0")


def _r(q: Q) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


def lambda_min_exact(H: sp.Matrix) -> sp.Expr:
    """The smallest eigenvalue of a rational symmetric matrix as an exact real algebraic number."""
    roots = sp.real_roots(H.charpoly())
    if len(roots) != H.rows:
        raise ValueError("the matrix is not symmetric (its eigenvalues are not all real)")
    return min(roots)


def stationary(p: Point, threshold: str = "sqrt") -> Judgement:
    """Decide the slide's predicate exactly. ``threshold`` is the slide's ``-sqrt(rho eps)``
    (``"sqrt"``); ``"linear"`` (``-rho eps``) exists only for the quality test of the reading."""
    at = dict(zip(p.xs, (_r(v) for v in p.x), strict=True))
    g = [sp.diff(p.expr, v).subs(at) for v in p.xs]
    g2 = sum(c**2 for c in g)
    first = bool(g2 <= _r(p.eps) ** 2)
    why = f"||grad f||^2 = {g2} vs eps^2 = {_r(p.eps) ** 2}"
    if p.order == 1 or not first:
        return Judgement(first, Verdict.PROVED, why)
    H = sp.hessian(p.expr, p.xs).subs(at)
    lmin = lambda_min_exact(H)
    t = -sp.sqrt(_r(p.rho) * _r(p.eps)) if threshold == "sqrt" else -_r(p.rho) * _r(p.eps)
    second = bool(sp.Ge(lmin, t))
    return Judgement(second, Verdict.PROVED, f"{why}; lambda_min = {lmin} vs {t}")


x1, x2 = sp.symbols("x1 x2", real=True)
O = (Q(0), Q(0))
SADDLE = (x1**2 - x2**2) / 2
BOWL = x1**2 + x2**2
# eps-example: gradient (1/100, 0) at 0 and Hessian eigenvalues 1, -1/10 (or -1/5)
TILT = x1**2 / 2 - x2**2 / 20 + x1 / 100
TILT2 = x1**2 / 2 - x2**2 / 10 + x1 / 100

EXAMPLES = [
    ("saddle (x1^2 - x2^2)/2 at 0 is 1st-order stationary", Point(SADDLE, (x1, x2), O, 1), True),
    ("saddle (x1^2 - x2^2)/2 at 0 is not 2nd-order stationary", Point(SADDLE, (x1, x2), O, 2), False),
    ("x1^2 + x2^2 at 0 is 2nd-order stationary", Point(BOWL, (x1, x2), O, 2), True),
    ("x1^2 + x2^2 at (1, 0) is not 1st-order stationary", Point(BOWL, (x1, x2), (Q(1), Q(0)), 1), False),
    ("tilted saddle at 0, eps = 1/100: eps-1st-order (||grad|| = eps)", Point(TILT, (x1, x2), O, 1, Q(1, 100)), True),
    ("... but not with eps = 1/200", Point(TILT, (x1, x2), O, 1, Q(1, 200)), False),
    ("lambda_min = -1/10 = -sqrt(rho eps) (rho = 1, eps = 1/100): eps-2nd-order", Point(TILT, (x1, x2), O, 2, Q(1, 100), Q(1)), True),
    ("lambda_min = -1/5 < -sqrt(rho eps) = -1/10: not eps-2nd-order", Point(TILT2, (x1, x2), O, 2, Q(1, 100), Q(1)), False),
    ("lambda_min = -1/5 with rho = 4: -sqrt(rho eps) = -1/5, eps-2nd-order", Point(TILT2, (x1, x2), O, 2, Q(1, 100), Q(4)), True),
]

_lam, _eps, _rho, _g = sp.Symbol("lambda_min", real=True), sp.Symbol("epsilon", nonnegative=True), sp.Symbol("rho", nonnegative=True), sp.Symbol("g", nonnegative=True)

register(
    Entry(
        id="golikov.stationary-points",
        title="First- and second-order (eps-)stationary points as predicates",
        title_latex=r"First- and second-order ($\varepsilon$-)stationary points as predicates",
        where="Local optimization: general case (Stationary points, two slides)",
        statement=(
            r"For $f\in\mathcal C^1$, $x^*$ is a 1st-order stationary point if $\|\nabla f(x^*)\|_2=0$; an $\epsilon$-1st-order "
            r"stationary point if $\|\nabla f(x^*)\|_2\le\epsilon$. For $f\in\mathcal C^{2,2}_\rho$, $x^*$ is a 2nd-order stationary "
            r"point if $\|\nabla f(x^*)\|_2=0$, $\lambda_{\min}(\nabla^2f(x^*))\ge0$; an $\epsilon$-2nd-order stationary point if "
            r"$\|\nabla f(x^*)\|_2\le\epsilon$, $\lambda_{\min}(\nabla^2 f(x^*))\ge-\sqrt{\rho\epsilon}$."
        ),
        checks=[
            Definition(
                "the four predicates on examples and non-examples (exact)",
                capped(stationary),
                EXAMPLES,
                statement=r"\|\nabla f(x^*)\|_2\le\epsilon,\quad \lambda_{\min}(\nabla^2 f(x^*))\ge-\sqrt{\rho\epsilon}",
                note="Exact rational gradients; the smallest Hessian eigenvalue is an exact real root of the characteristic polynomial. Two examples sit exactly on the thresholds.",
            ),
            Implication(
                "eps = 0 turns the eps-2nd-order predicate into the 2nd-order one",
                hypotheses=[sp.Eq(_eps, 0)],
                conclusion=sp.Equivalent(sp.And(_g <= _eps, _lam >= -sp.sqrt(_rho * _eps)), sp.And(sp.Eq(_g, 0), _lam >= 0)),
                statement=r"\epsilon=0\implies\big(\|\nabla f\|\le\epsilon\wedge\lambda_{\min}\ge-\sqrt{\rho\epsilon}\iff\|\nabla f\|=0\wedge\lambda_{\min}\ge0\big)",
            ),
            Implication(
                "a 2nd-order stationary point is eps-2nd-order stationary for every eps >= 0",
                hypotheses=[sp.Eq(_g, 0), _lam >= 0],
                conclusion=sp.And(_g <= _eps, _lam >= -sp.sqrt(_rho * _eps)),
                statement=r"\|\nabla f\|=0,\ \lambda_{\min}\ge0\implies\|\nabla f\|\le\epsilon,\ \lambda_{\min}\ge-\sqrt{\rho\epsilon}",
            ),
        ],
        status=Status.VERIFIED,
        reading="The predicates are decided at given points; $\\rho$ is a Hessian-Lipschitz constant supplied with $f$ (for a quadratic any $\\rho\\ge0$ is one).",
    )
)
