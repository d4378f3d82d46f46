"""The sgdloj claims written in notation: their text is what is checked, and a wrong variant of each is refuted."""

from __future__ import annotations

from fractions import Fraction as Q

import pytest
import sympy as sp

from symbolic import Bound, CheckSettings, Verdict
from symbolic.families import least_squares
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases, scalar_cases
from theorems.catalogue.sgdloj import contraction_factor, growth_bound, quadratic_nonnegative

S = CheckSettings(examples=40, local_search=1)


def test_the_closed_form_claims_are_written_in_notation() -> None:
    assert growth_bound.growth_claim.text == "gradnorm(theta)^2 <= 2*L*F(theta)"
    assert quadratic_nonnegative.nonneg_claim.text == "F(theta) - eta*dot(grad(theta), v) + eta^2/2*L*norm(v)^2 >= 0"
    assert "rho(eta(t))" in contraction_factor.rho_claim.text
    assert r"\nabla F(\theta)" in growth_bound.growth_claim.statement
    from theorems.catalogue.sgdloj.network_lower_bound import annulus_claim, claim_A7_tight

    assert claim_A7_tight.text.startswith("(y - A*c_2*(R - delta_2)*c_1*w_1*x)^2 >= alpha_t^2/2")
    assert annulus_claim.text.endswith("(R/2 - 1)^2 - y^2")


def test_growth_bound_with_a_smaller_constant_is_refuted() -> None:
    """(2.4) with 3/2 C_L in place of 2 C_L: the least-squares terms attain 2 C_L."""
    mutant = NotationClaim("(2.4) x 3/4", "gradnorm(theta)^2 <= 3/2*L*F(theta)", points=("theta",), case_names={"theta": "x"},
                           cases=objective_cases(least_squares(n=1, p=1), points=("x",)))
    assert mutant.run(S).verdict is Verdict.REFUTED


def test_descent_quadratic_with_half_the_curvature_term_is_refuted() -> None:
    """(3.6) with eta^2 C_L/4 in place of eta^2 C_L/2: at v = grad F/(eta C_L) it reads F - 3|grad F|^2/(4 C_L) >= 0, false where |grad F|^2 = 2 C_L F.

    The entry's power against this mutant is its second claim, (3.6) at the worst stochastic
    gradient v = grad F/(eta C_L): random v rarely fall where the mutant fails (the general claim
    refutes it in 2 of 5 seeds at the default profile), so the mutant is made of that claim."""
    mutant = NotationClaim("(3.6) x 1/2 at the worst v", "F(theta) - eta*gradnorm(theta)^2/(eta*L) + eta^2/4*L*(gradnorm(theta)/(eta*L))^2 >= 0",
                           points=("theta",), params=("eta",), case_names={"theta": "x"}, cases=quadratic_nonnegative.q_cases)
    assert quadratic_nonnegative.nonneg_targeted.run(S).verdict is Verdict.CHECKED
    assert mutant.run(S).verdict is Verdict.REFUTED


def test_rho_below_one_minus_alpha_eta_is_refuted() -> None:
    """rho < 1 - alpha eta (the curvature term dropped) is false for every eta > 0."""
    mutant = NotationClaim("rho < 1 - alpha eta", "1 - alpha*eta(t) - rho(eta(t)) > 0", points=(), params=("alpha", "C_L", "sigma", "t"),
                           functions=contraction_factor._RHO_AND_STEP,
                           cases=scalar_cases({"alpha": Bound(Q(0), Q(8)), "C_L": Bound(Q(0), Q(8)),
                                               "sigma": Bound(Q(0), Q(8)), "t": Bound(Q(0), Q(1), True, False)}))
    assert mutant.run(S).verdict is Verdict.REFUTED


@pytest.mark.parametrize(("kind", "c"), [("tanh", Q(11, 10)), ("sin", Q(9, 10))])
def test_activation_bound_with_a_larger_constant_is_refuted(kind: str, c: Q) -> None:
    from theorems.catalogue.sgdloj._network import sigma_sym
    from theorems.catalogue.sgdloj.network_lower_bound import mvt_claims

    u = sp.Symbol("u", real=True)
    base = next(m for m in mvt_claims if kind in m.name)
    mutant = NotationClaim(f"sigma(s) >= {c} s", "sigma(s) >= c*s", points=(), params=("s",), functions={"sigma": (u, sigma_sym(kind, u))},
                           values={"c": c}, cases=base.cases)
    assert base.run(S).verdict is Verdict.CHECKED
    assert mutant.run(S).verdict is Verdict.REFUTED


def test_quadratic_alpha_with_three_mu_is_refuted() -> None:
    """|grad F|^2 >= 2 mu F is attained along the eigenvector of mu; 3 mu is wrong."""
    from symbolic.families import quadratics

    mutant = NotationClaim("alpha = 3 mu", "gradnorm(theta)^2 >= 3*mu*F(theta)", points=("theta",), case_names={"theta": "x"},
                           cases=objective_cases(quadratics(spectrum="strongly_convex"), points=("x",)))
    assert mutant.run(S).verdict is Verdict.REFUTED


def test_power_bound_for_q_above_one_is_refuted() -> None:
    from theorems.catalogue.sgdloj.bounded_noise_escape import _power_cases

    mutant = NotationClaim("t^(q + 1/2) <= t", "t^(q + 1/2) <= t", points=(), params=("t", "q"), cases=_power_cases())
    assert mutant.run(S).verdict is Verdict.REFUTED
