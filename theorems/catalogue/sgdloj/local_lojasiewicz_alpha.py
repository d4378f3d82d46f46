"""sgdloj.local-lojasiewicz-alpha: Section 2 (Preliminaries), the definition (2.1) and Assumption 1 (2.2).

alpha(theta_0, r) = inf over B(theta_0, r) with F != 0 of |grad F|^2 / F (2.1); Assumption 1 (local
Lojasiewicz condition): 4 F(theta_0) < r^2 alpha(theta_0, r) for some r > 0 (2.2). The rigorous
brackets of alpha come from :mod:`symbolic.local_constants` (branch and bound with Arb balls)."""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import sympy as sp

from symbolic import Definition, Judgement, Objective, Verdict
from symbolic.families import quadratics
from symbolic.local_constants import local_lojasiewicz, lojasiewicz_condition
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases
from theorems.catalogue.sgdloj._objectives import ONE_MINUS_COS, QUARTIC, quadratic_2d
from theorems.registry import Entry, Status, register

alpha_closed_forms = Definition(
    "alpha(theta_0, r) of (2.1) against closed forms",
    predicate=lambda ex: _alpha_matches(*ex),
    examples=[
        ("F = x^T A x / 2, eig(A) = {1/2, 3}, ball B((1/3, -1/4), 1) containing the minimizer: alpha = 2 lambda_min = 1", (quadratic_2d(Q(1, 2), Q(3)), (Q(1, 3), Q(-1, 4)), Q(1), Q(1)), True),
        ("F = 1 - cos x, B(1/2, 1) = [-1/2, 3/2]: alpha = 1 + cos(3/2)", (ONE_MINUS_COS, (Q(1, 2),), Q(1), 1 + sp.cos(sp.Rational(3, 2))), True),
        ("F = 1 - cos x, B(0, 2): alpha = 1 + cos 2", (ONE_MINUS_COS, (Q(0),), Q(2), 1 + sp.cos(2)), True),
        ("F = x^4, B(1, 1/2): |F'|^2/F = 16 x^2, alpha = 16 (1/2)^2 = 4", (QUARTIC, (Q(1),), Q(1, 2), Q(4)), True),
        ("wrong value: F = 1 - cos x on B(0, 2), alpha = 2 (the value at the center only)", (ONE_MINUS_COS, (Q(0),), Q(2), Q(2)), False),
    ],
    statement=r"\alpha(\theta_0,r)=\inf_{B(\theta_0,r),\,F(\theta)\neq0}\frac{|\nabla F(\theta)|^2}{F(\theta)}",
    note=(
        r"The predicate brackets $\alpha$ rigorously: a lower bound from a certificate that $|\nabla F|^2\ge aF$ on the whole ball "
        r"(branch and bound in Arb, Taylor forms at the zeros of $F$), an upper bound from the ratio at a point of the ball; "
        r"a closed form is accepted when it lies in the bracket and the bracket is narrower than $10^{-2}$ relative."
    ),
)


def _alpha_matches(f: Objective, center: tuple[Q, ...], r: Q, closed: Any) -> Judgement:
    """Whether a closed form of alpha(theta_0, r) (2.1) lies in the rigorous bracket, which must be narrower than 1 %."""
    zeros = [f.constants.minimizer] if f.constants.minimizer is not None else []
    res = local_lojasiewicz(f, center, r, zeros=zeros)
    value = sp.N(closed, 40)
    lo, hi = sp.Rational(res.lower.numerator, res.lower.denominator), sp.Rational(res.upper.numerator, res.upper.denominator)
    tight = hi - lo <= hi / 100
    inside = bool(lo <= value <= hi)
    if not tight:
        return Judgement(None, Verdict.UNDECIDED, f"bracket [{float(lo):.6g}, {float(hi):.6g}] too wide")
    return Judgement(inside, Verdict.CERTIFIED, f"alpha in [{float(lo):.8g}, {float(hi):.8g}], closed form {float(value):.8g}")


def _assumption_1(ex: tuple[Objective, tuple[Q, ...], Q]) -> Judgement:
    """Assumption 1 (2.2), 4 F(theta_0) < r^2 alpha(theta_0, r), certified or refuted in Arb."""
    f, center, r = ex
    zeros = [f.constants.minimizer] if f.constants.minimizer is not None else []
    ok, info = lojasiewicz_condition(f, center, r, zeros=zeros)
    lo, hi = info["alpha"]
    why = f"F(theta_0) in [{float(info['F0'][0]):.6g}, {float(info['F0'][1]):.6g}], alpha in [{float(lo):.6g}, {float(hi):.6g}]"
    if ok is None:
        return Judgement(None, Verdict.UNDECIDED, why)
    return Judgement(ok, Verdict.CERTIFIED, why)


assumption_1 = Definition(
    "Assumption 1: 4 F(theta_0) < r^2 alpha(theta_0, r), certified or refuted",
    predicate=_assumption_1,
    examples=[
        ("F = 1 - cos x, theta_0 = 1/2, r = 1: 0.490 < 1.071", (ONE_MINUS_COS, (Q(1, 2),), Q(1)), True),
        ("F = 1 - cos x, theta_0 = 2, r = 1: 5.66 >= 0.0100", (ONE_MINUS_COS, (Q(2),), Q(1)), False),
        ("F = |x|^2 / 2, theta_0 = (1/2, 0), r = 1: 1/2 < 2", (quadratic_2d(Q(1), Q(1)), (Q(1, 2), Q(0)), Q(1)), True),
        ("F = |x|^2 / 2, theta_0 = (2, 0), r = 1 (ratio = 2 everywhere): 8 >= 2", (quadratic_2d(Q(1), Q(1)), (Q(2), Q(0)), Q(1)), False),
        ("F = x^4, theta_0 = 1, r = 1/2: 4 >= 1/4 * 4", (QUARTIC, (Q(1),), Q(1, 2)), False),
        ("F = x^4, theta_0 = 1/2, r = 2: 1/4 < 0 is false (alpha = 0: the ball contains the degenerate zero 0)", (QUARTIC, (Q(1, 2),), Q(2)), False),
    ],
    statement=r"4F(\theta_0)<r^2\alpha(\theta_0,r)",
    note=(
        r"Certified with the rigorous lower bound of $\alpha$, refuted with the upper bound (the ratio at a point of the ball). "
        r"For $F=x^4$ around a ball containing $0$, $|F'|^2/F=16x^2\to0$, so $\alpha=0$: a degenerate zero excludes the condition."
    ),
)

quadratic_alpha_claim = NotationClaim(
    "|grad F|^2 >= 2 lambda_min F for strongly convex quadratics (alpha = 2 lambda_min on balls around the minimizer)",
    "gradnorm(theta)^2 >= 2*mu*F(theta)",
    points=("theta",),
    case_names={"theta": "x"},
    cases=objective_cases(quadratics(spectrum="strongly_convex"), points=("x",)),
    domain=r"F=\tfrac12(\theta-b)^\top A(\theta-b),\ \mu=\lambda_{\min}(A)",
    note=r"$|\nabla F|^2/F=2\,u^\top A u/u^\top u$ with $u=A^{1/2}(\theta-b)$, a Rayleigh quotient: its infimum $2\lambda_{\min}$ is $\alpha(\theta_0,r)$ on every ball containing $b$.",
)

register(
    Entry(
        id="sgdloj.local-lojasiewicz-alpha",
        title="The local Lojasiewicz constant alpha(theta_0, r) and Assumption 1",
        where="Section 2, (2.1) and Assumption 1 (2.2)",
        statement=(
            r"For $\theta_0\in\mathbb{R}^d$ and $r>0$, $\alpha(\theta_0,r):=\inf_{B(\theta_0,r),F(\theta)\neq0}\frac{|\nabla F(\theta)|^2}{F(\theta)}$ (2.1); "
            r"if $F(\theta)=0$ for all $\theta\in B(\theta_0,r)$, $\alpha(\theta_0,r)=\infty$. "
            r"Assumption 1 (local Lojasiewicz condition): for some $r>0$, $4F(\theta_0)<r^2\alpha(\theta_0,r)$ (2.2)."
        ),
        hypotheses=[r"$F:\mathbb{R}^d\to[0,\infty)$"],
        checks=[alpha_closed_forms, assumption_1, quadratic_alpha_claim],
        status=Status.VERIFIED,
        reading=r"$B(\theta_0,r)$ is the closed Euclidean ball (the infimum is the same for the open ball when $F$ is continuous).",
    )
)
