"""Objectives given by formula: constants certified in Arb on the region, claims over them."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from symbolic.formula_objectives import CertificationError, certify_formula
from symbolic.objectives import Box, coordinates
from theorems.userclaims.claimfile import ClaimFileError, load_claim


def test_softplus_constants_are_certified_and_true() -> None:
    (x,) = coordinates(1)
    f, cert = certify_formula(sp.log(1 + sp.exp(x)), (x,), Box.cube(1, 3))
    # sup f'' = 1/4 (at 0); inf f'' on [-3, 3] = f''(3) = e^3/(1+e^3)^2 = 0.0452; F >= log(1 + e^-3) = 0.0486
    assert Fraction(1, 4) <= cert.L <= Fraction(3, 4)
    assert 0 < cert.hessian_min <= Fraction(452, 10000)
    assert f.constants.mu == cert.hessian_min and cert.convex
    assert cert.lower <= Fraction(486, 10000)


def test_nonconvex_formula_is_not_called_convex() -> None:
    (x,) = coordinates(1)
    f, cert = certify_formula(sp.cos(x), (x,), Box.cube(1, 1))
    assert not cert.convex and f.constants.mu is None
    assert cert.L >= 1


def test_a_pole_in_the_region_is_refused_with_a_reason() -> None:
    (x,) = coordinates(1)
    with pytest.raises(CertificationError, match="not bounded"):
        certify_formula(1 / x, (x,), Box.cube(1, 1))


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "c.toml"
    p.write_text(body)
    return p


def test_claim_file_objective_formula_true_and_false(tmp_path: Path) -> None:
    from symbolic import CheckSettings, Verdict

    head = 'name = "t"\nobjective = "log(1 + exp(x_1)) + x_2^2/2"\nregion = { radius = "2" }\n'
    # the certified constants hold pointwise on the region
    for concl in ("hessmax(x) <= L", "hessmin(x) >= mu", "F(x) >= lower"):
        true = load_claim(_write(tmp_path, head + f'points = ["x"]\nconclusion = "{concl}"\n'))
        assert true.claim.run(CheckSettings(examples=15)).verdict is Verdict.CHECKED, concl
    # a claim that leaves the region is not covered by constants certified on it: the classic
    # ||grad F||^2 <= 2 L (F - inf F) needs the step x - grad F/L to stay where L holds
    leaves = load_claim(_write(tmp_path, head + 'points = ["x"]\nconclusion = "gradnorm(x)^2 <= 2*L*(F(x) - lower)"\n'))
    assert leaves.claim.run(CheckSettings(examples=15)).verdict is Verdict.REFUTED
    false = load_claim(_write(tmp_path, head + 'points = ["x", "y"]\nconclusion = "F(y) >= F(x) + inner(x, y) + dist(x, y)^2"\n'))
    out = false.claim.run(CheckSettings(examples=30))
    assert out.verdict is Verdict.REFUTED and out.evidence.counterexample is not None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('objective = "1/x_1"\n', "cannot certify"),
        ('objective = "x_9^2"\n', "x_9"),
        ('objective = "x_1^2"\nfamily = "quadratics"\n', "either a family or an objective"),
        ('objective = "x_1^2"\nregion = { radius = "0" }\n', "region.radius"),
        ('objective = "x_1^2"\nregion = { side = "1" }\n', "region"),
        ('family = "quadratics"\nregion = { radius = "1" }\n', "'region' applies to an objective formula"),
        ('objective = "__import__(1)"\n', "objective"),
    ],
)
def test_bad_formula_objectives_are_refused_with_a_message(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ClaimFileError, match=message):
        load_claim(_write(tmp_path, 'name = "t"\npoints = ["x"]\nconclusion = "F(x) >= 0"\n' + body))
