"""Quality: the search finds the known counterexamples in wrong variants of true statements."""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp
from catalogue_support import margin_mid, recorded, recorded_objective

from symbolic import Bound, CheckSettings, Claim, Verdict
from symbolic.families import nonnegative_smooth, quadratics, smooth_objectives
from theorems.cases import objective_cases

S = CheckSettings(examples=60)


def growth(factor: Q) -> Claim:
    cases = objective_cases(nonnegative_smooth())
    return Claim(
        f"||grad F||^2 <= {factor} C_L F",
        cases=cases,
        lhs=lambda c, B: B.norm2(c.objective.grad(B, c.x(B))),
        rel="<=",
        rhs=lambda c, B: B.num(factor) * B.num(c.objective.constants.L) * c.objective.value(B, c.x(B)),
    )


def test_growth_bound_true_with_2CL_refuted_with_CL() -> None:
    assert growth(Q(2)).run(S).verdict is Verdict.CHECKED
    out = growth(Q(1)).run(S)
    assert out.verdict is Verdict.REFUTED
    # re-derived by hand: the recorded F is nonnegative with |F''| <= L, and ||grad F||^2 > L F exactly at x
    cex = out.evidence.counterexample
    F, xs, x = recorded_objective(cex)
    L = sp.Rational(cex["objective"]["constants"]["L"])
    at = dict(zip(xs, x, strict=True))
    g2 = sum(sp.diff(F, v).subs(at) ** 2 for v in xs)
    assert g2 > L * F.subs(at) >= 0
    if len(xs) == 1 and F.is_polynomial(*xs) and sp.Poly(F, *xs).total_degree() <= 2:
        assert abs(sp.diff(F, xs[0], 2)) <= L
    assert margin_mid(cex["margin"]) < 0


def descent(factor: Q) -> Claim:
    cases = objective_cases(smooth_objectives(), points=("x", "y"))

    def rhs(c, B):
        f, x, y = c.objective, c.x(B, "x"), c.x(B, "y")
        d = B.sub(y, x)
        return f.value(B, x) + B.dot(f.grad(B, x), d) + B.num(factor) * B.num(f.constants.L) / 2 * B.norm2(d)

    return Claim(f"descent lemma with {factor} L", cases=cases, lhs=lambda c, B: c.objective.value(B, c.x(B, "y")), rel="<=", rhs=rhs)


def test_descent_lemma_needs_full_L() -> None:
    assert descent(Q(1)).run(S).verdict is Verdict.CHECKED
    out = descent(Q(1, 2)).run(S)
    assert out.verdict is Verdict.REFUTED
    # re-derived by hand: F(y) > F(x) + <grad F(x), y - x> + L/4 ||y - x||^2 exactly at the recorded x, y
    cex = out.evidence.counterexample
    F, xs, x = recorded_objective(cex)
    y = recorded(cex, "points", "y")
    L = sp.Rational(cex["objective"]["constants"]["L"])
    at_x, at_y = dict(zip(xs, x, strict=True)), dict(zip(xs, y, strict=True))
    d = [b - a for a, b in zip(x, y, strict=True)]
    model = F.subs(at_x) + sum(sp.diff(F, v).subs(at_x) * dv for v, dv in zip(xs, d, strict=True))
    gap = F.subs(at_y) - model - L / 4 * sum(dv**2 for dv in d)
    assert gap.is_number and sp.N(gap, 50) > 0
    assert margin_mid(cex["margin"]) < 0


def test_step_above_one_over_L_breaks_positive_definiteness() -> None:
    cases = objective_cases(quadratics(), params={"alpha": lambda f: Bound(1 / f.constants.L, 3 / f.constants.L)})

    def lam(c, B):
        H = c.objective.hess(B, c.x(B))
        a = c.p(B, "alpha")
        return B.lambda_min([[(B.num(1) if i == j else B.num(0)) - a * H[i][j] for j in range(len(H))] for i in range(len(H))])

    out = Claim("I - alpha H > 0 for alpha > 1/L", cases=cases, margin=lam, strict=True).run(S)
    assert out.verdict is Verdict.REFUTED
    # re-derived by hand: alpha lambda_max(Hess F) >= 1, so I - alpha Hess F has an eigenvalue <= 0
    cex = out.evidence.counterexample
    F, xs, _ = recorded_objective(cex)
    alpha = recorded(cex, "params", "alpha")
    lam_max = max(sp.Matrix(sp.hessian(F, xs)).eigenvals())
    assert lam_max == sp.Rational(cex["objective"]["constants"]["L"])
    assert alpha * lam_max >= 1
    assert abs(margin_mid(cex["margin"]) - sp.N(1 - alpha * lam_max, 60)) < 1e-40


def test_contraction_factor_with_too_large_step_is_refuted() -> None:
    """rho = 1 - eta alpha + eta^2/2 C_L (2 C_L + sigma) < 1 fails if eta may reach 2 alpha/(C_L(2C_L+sigma))."""
    from theorems.cases import scalar_cases

    cases = scalar_cases({"alpha": Bound(Q(1, 10), Q(2)), "C": Bound(Q(1, 10), Q(2)), "sigma": Bound(Q(0), Q(2)), "s": Bound(Q(0), Q(3))})

    def rho(c, B):
        a, C, sg = c.p(B, "alpha"), c.p(B, "C"), c.p(B, "sigma")
        eta = c.p(B, "s") * a / (C * (2 * C + sg))
        return B.num(1) - eta * a + eta * eta / 2 * C * (2 * C + sg)

    out = Claim("rho < 1 with eta up to 3 alpha/(C_L(2C_L+sigma))", cases=cases, lhs=rho, rel="<", rhs=lambda c, B: B.num(1)).run(S)
    assert out.verdict is Verdict.REFUTED
    # by hand: rho - 1 = alpha^2/(C(2C + sigma)) s (s/2 - 1), so rho >= 1 exactly when s = 0 or s >= 2
    cex = out.evidence.counterexample
    a, C, sg, s = (recorded(cex, "params", k) for k in ("alpha", "C", "sigma", "s"))
    eta = s * a / (C * (2 * C + sg))
    rho_exact = 1 - eta * a + eta**2 / 2 * C * (2 * C + sg)
    assert rho_exact >= 1
    assert s == 0 or s >= 2
