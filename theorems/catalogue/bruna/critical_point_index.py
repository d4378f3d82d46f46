"""Bruna, lecture 9, slide "INDEX OF CRITICAL POINTS": critical point, strict saddle, local-minimum condition.

Definition as printed: for g ∈ C² on ℝ^d, θ* is a critical point if ∇g(θ*) = 0; a strict saddle if it
is critical and λ_min(∇²g(θ*)) < 0; a local minimum (not necessarily strict) satisfies
λ_min(∇²g(θ*)) ≥ 0. An executable classifier with exact (sympy) gradients and eigenvalues.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy as sp

from symbolic import Definition, Judgement, Verdict
from symbolic.sde import gradient, hessian
from theorems.registry import Entry, Status, register

_x, _y = sp.symbols("x y", real=True)


@dataclass(frozen=True)
class CriticalPoint:
    """A C^2 function g of ``variables`` (a sympy expression) and a candidate point (exact rationals)."""

    g: sp.Expr
    variables: tuple[sp.Symbol, ...]
    point: tuple[sp.Rational, ...]


def lambda_min_hessian(c: CriticalPoint) -> sp.Expr:
    """The smallest eigenvalue of the Hessian at the point, exact (sympy)."""
    H = hessian(c.g, c.variables).subs(dict(zip(c.variables, c.point, strict=True)))
    eigs = list(H.eigenvals())
    return sp.Min(*eigs) if len(eigs) > 1 else eigs[0]


def is_critical(c: CriticalPoint) -> Judgement:
    """grad g(theta*) = 0, decided exactly."""
    g0 = gradient(c.g, c.variables).subs(dict(zip(c.variables, c.point, strict=True)))
    zero = all(sp.simplify(v) == 0 for v in g0)
    return Judgement(zero, Verdict.CHECKED, f"grad g = {list(g0)}")


def classify(c: CriticalPoint) -> str:
    """'not critical', 'strict saddle' (critical, lambda_min < 0), 'local-minimum condition' (critical, lambda_min >= 0),
    or 'undecided' when sympy cannot decide the sign of lambda_min exactly."""
    if not is_critical(c).holds:
        return "not critical"
    negative = lambda_min_hessian(c) < 0
    if negative not in (sp.true, sp.false):  # sympy could not decide the sign exactly
        return "undecided"
    return "strict saddle" if negative is sp.true else "local-minimum condition"


def is_strict_saddle(c: CriticalPoint) -> Judgement:
    kind = classify(c)
    if kind == "undecided":
        return Judgement(None, Verdict.UNDECIDED, "the sign of lambda_min could not be decided exactly")
    return Judgement(kind == "strict saddle", Verdict.CHECKED, kind)


def satisfies_local_min_condition(c: CriticalPoint) -> Judgement:
    kind = classify(c)
    if kind == "undecided":
        return Judgement(None, Verdict.UNDECIDED, "the sign of lambda_min could not be decided exactly")
    return Judgement(kind == "local-minimum condition", Verdict.CHECKED, kind)


def _cp(g: sp.Expr, point: Sequence[int | sp.Rational]) -> CriticalPoint:
    return CriticalPoint(g, (_x, _y), tuple(sp.Rational(v) for v in point))


BOWL = _cp(_x**2 + _y**2, (0, 0))
SADDLE = _cp(_x**2 - _y**2, (0, 0))
LOCAL_MAX = _cp((_x**2 - 1) ** 2 + _y**2, (0, 0))  # Hessian diag(-4, 2): a strict saddle in the slide's sense
MONKEY = _cp(_x**3 - 3 * _x * _y**2, (0, 0))  # Hessian 0: not strict, and not a local minimum
QUARTIC_SADDLE = _cp(_x**4 - _y**4, (0, 0))  # lambda_min = 0 but a (non-strict) saddle
OFF = _cp(_x**2 + _y**2, (1, 0))
ROTATED = _cp(_x * _y + _x**2 / 4, (0, 0))  # Hessian [[1/2, 1], [1, 0]], eigenvalues (1 +- sqrt(17))/4
_SHIFTED_G = (_x - sp.Rational(1, 3)) ** 2 + 3 * (_y + 2) ** 2 + _x * (_y + 2)
SHIFTED = _cp(_SHIFTED_G, (sp.Rational(4, 11), sp.Rational(-68, 33)))  # its minimiser, exactly
SHIFTED_OFF = _cp(_SHIFTED_G, (sp.Rational(4, 11), sp.Rational(-67, 33)))

critical = Definition(
    "critical point: grad g(theta*) = 0",
    is_critical,
    [("x^2+y^2 at 0", BOWL, True), ("x^2-y^2 at 0", SADDLE, True), ("x^2+y^2 at (1,0)", OFF, False), ("x^3-3xy^2 at 0", MONKEY, True), ("shifted quadratic at its minimiser (4/11, -68/33)", SHIFTED, True), ("the same, at (4/11, -67/33)", SHIFTED_OFF, False)],
    statement=r"\nabla g(\theta^*)=0",
    note="Exact gradients (sympy) at exact rational points.",
)

strict_saddle = Definition(
    "strict saddle: critical and lambda_min(Hess g(theta*)) < 0",
    is_strict_saddle,
    [
        ("x^2-y^2 at 0", SADDLE, True),
        ("(x^2-1)^2+y^2 at 0 (a local maximum in x)", LOCAL_MAX, True),
        ("xy + x^2/4 at 0 (rotated saddle)", ROTATED, True),
        ("x^2+y^2 at 0", BOWL, False),
        ("x^4-y^4 at 0 (degenerate saddle, lambda_min = 0)", QUARTIC_SADDLE, False),
        ("x^3-3xy^2 at 0 (monkey saddle)", MONKEY, False),
        ("x^2-y^2 at (1,0) (not critical)", _cp(_x**2 - _y**2, (1, 0)), False),
    ],
    statement=r"\nabla g(\theta^*)=0,\ \lambda_{\min}(\nabla^2g(\theta^*))<0",
    note="Degenerate saddles ($\\lambda_{\\min}=0$) are not strict: the definition's point is that they are excluded.",
)

local_min_condition = Definition(
    "local-minimum condition: critical and lambda_min(Hess g(theta*)) >= 0",
    satisfies_local_min_condition,
    [
        ("x^2+y^2 at 0", BOWL, True),
        ("shifted quadratic at its minimiser", SHIFTED, True),
        ("x^4-y^4 at 0 (passes the necessary condition, not a minimum)", QUARTIC_SADDLE, True),
        ("x^3-3xy^2 at 0 (passes, not a minimum)", MONKEY, True),
        ("x^2-y^2 at 0", SADDLE, False),
        ("x^2+y^2 at (1,0)", OFF, False),
    ],
    statement=r"\theta^*\ \text{local minimum}\implies\nabla g(\theta^*)=0,\ \lambda_{\min}(\nabla^2g(\theta^*))\ge0",
    note="A necessary condition only: the degenerate saddles pass it, which is why the slide says a local minimum 'satisfies' it.",
)

register(
    Entry(
        id="bruna.critical-point-index",
        title="Index of critical points: critical point, strict saddle, local-minimum condition (executable classifier)",
        where="INDEX OF CRITICAL POINTS",
        statement=(
            r"Suppose $g$ is in $\mathcal{C}^2$ defined on $\mathbb{R}^d$. A critical point $\theta^*\in\mathbb{R}^d$ of $g$ is such that $\nabla g(\theta^*)=0$. "
            r"$\theta^*$ is a strict saddle point if it is a critical point and its Hessian satisfies $\lambda_{\min}(\nabla^2g(\theta_*))<0$. "
            r"A local minima (not necessarily strict) satisfies $\lambda_{\min}(\nabla^2g(\theta_*))\ge0$."
        ),
        hypotheses=[r"$g\in\mathcal{C}^2(\mathbb{R}^d)$"],
        checks=[critical, strict_saddle, local_min_condition],
        status=Status.VERIFIED,
        reading=(
            r"The classifier computes $\nabla g$ and the eigenvalues of $\nabla^2g$ exactly (sympy) at an exact point. 'A local minimum satisfies "
            r"$\lambda_{\min}\ge0$' is read as a necessary condition, so the classifier's third class is 'critical with $\lambda_{\min}\ge0$', which "
            r"degenerate saddles also pass ($x^4-y^4$, the monkey saddle). In the slide's sense a local maximum is a strict saddle (Lee et al.'s convention). "
            r"Definitions decide examples: the verdict is at most checked."
        ),
    )
)
