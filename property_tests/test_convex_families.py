"""Convex families beyond quadratics: the certified constants hold, and claims use them."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from symbolic import CheckSettings, MPBackend, Verdict
from symbolic.convex_families import (
    convex_objectives,
    log_sum_exps,
    logistic_regressions,
    softplus_sums,
)
from symbolic.families import points
from theorems.userclaims.claimfile import load_claim


@given(st.data())
def test_certified_constants_hold_at_random_points(data) -> None:
    f = data.draw(convex_objectives())
    x = data.draw(points(f.dim, radius=4))
    B = MPBackend(30)
    xs = [B.num(v) for v in x]
    H = f.hess(B, xs)
    lo, hi = B.lambda_min(H), B.lambda_max(H)
    tol = B.num(10) ** -20
    assert lo >= -tol, (f.expr, x)  # convex
    assert hi <= B.num(f.constants.L) + tol, (f.expr, x, f.constants.L)
    if f.constants.mu is not None:
        assert lo >= B.num(f.constants.mu) - tol
    if f.constants.lower is not None:
        assert f.value(B, xs) >= B.num(f.constants.lower) - tol


@given(st.one_of(softplus_sums(), logistic_regressions(), log_sum_exps()))
def test_each_family_certifies_L_and_convexity(f) -> None:
    assert f.constants.L is not None and f.constants.L > 0
    assert "convex by construction" in f.constants.how


def test_claim_files_over_convex_families(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    head = 'name = "t"\nfamily = "softplus_sums"\nfamily_options = { dim = 1, terms = 1 }\npoints = ["x"]\n'
    p.write_text(head + 'conclusion = "hessmax(x) <= L"\n')
    assert load_claim(p).claim.run(CheckSettings(examples=20)).verdict is Verdict.CHECKED
    # the bound L = a |w|^2 / 4 of one softplus term is attained where w x = b: L/2 is refuted
    p.write_text(head + 'conclusion = "hessmax(x) <= L/2"\n')
    out = load_claim(p).claim.run(CheckSettings(examples=60))
    assert out.verdict is Verdict.REFUTED and out.evidence.counterexample is not None


def test_ill_conditioned_quadratics_and_eigenvector_points_are_drawn(tmp_path: Path) -> None:
    """GD with step 1/L contracts F - F* by (1 - mu/L)^2, above 0.99 once L/mu > 200: the
    quadratic family draws such spectra, and points along the eigenvector of mu."""
    p = tmp_path / "c.toml"
    p.write_text(
        'name = "t"\nfamily = "quadratics"\nfamily_options = { dim = 2, spectrum = "strongly_convex" }\npoints = ["x"]\n'
        'conclusion = "Fstep(x, 1/L) - minimum <= 99/100*(F(x) - minimum)"\n'
    )
    out = load_claim(p).claim.run(CheckSettings(examples=200))
    assert out.verdict is Verdict.REFUTED, out.evidence.summary()
