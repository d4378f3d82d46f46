"""The search looks where counterexamples live: the families' hard members (symbolic.hard_instances)
refute the researcher's mutants of issue 16 in the default profile; the true versions stay checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbolic import ArbBackend, CheckSettings, Verdict, arb_precision
from symbolic.hard_instances import hard_members
from theorems.userclaims import load_claim

EXAMPLES = Path(__file__).resolve().parent.parent / "theorems" / "examples" / "claims"
MUTANTS = ("cocoercivity-pointwise-hessian.toml", "one-step-decrease-stretched.toml")


@pytest.mark.parametrize("name", MUTANTS)
@pytest.mark.parametrize("seed", [CheckSettings().seed, 1])
def test_the_mutants_are_refuted_in_the_default_profile(name: str, seed: int) -> None:
    out = load_claim(EXAMPLES / name).claim.run(CheckSettings(seed=seed))
    assert out.verdict is Verdict.REFUTED
    ce = out.evidence.counterexample
    assert ce is not None and "Arb" in out.evidence.method
    assert not ce["objective"]["family"].startswith("quadratic")  # not quadratic: a non-quadratic worst case


def test_the_step_mutant_is_refuted_on_ridge_sums_too() -> None:
    claim = load_claim(EXAMPLES / "one-step-decrease-stretched.toml")
    from theorems.userclaims import parse_claim

    data = {"name": "stretched", "family": "ridge_sums", "points": ["x"], "conclusion": claim.text, "parameters": {"alpha": {"min": "0", "max": "3/L"}}}
    assert parse_claim(data).claim.run(CheckSettings()).verdict is Verdict.REFUTED


def test_hard_members_follow_the_family_options() -> None:
    assert hard_members("ridge_sums", {"terms": [2, 3]}) == []
    (only,) = hard_members("ridge_sums", {"activations": ["tanh"], "dim": [2, 3]})
    assert only.family == "ridge_sum(tanh)" and only.dim == 2
    assert hard_members("softplus_sums", {"terms": 1}) == []
    assert len(hard_members("convex_objectives")) == 3
    assert hard_members("quadratics") == [] and hard_members("polynomials") == []
    (bowls,) = hard_members("nonnegative_smooth")
    assert bowls.family == "nonnegative_smooth(1-cos)" and bowls.constants.L == 1 and len(bowls.hard_points) == 10


@pytest.mark.parametrize("family", ["ridge_sums", "nonnegative_smooth", "convex_objectives"])
def test_hard_members_constants_hold_at_their_hard_points(family: str) -> None:
    """L bounds the Hessian (and convex members are convex) at every hard point, in Arb."""
    B = ArbBackend(128)
    for f in hard_members(family):
        assert f.hard_points
        with arb_precision(128):
            for p in f.hard_points:
                H = f.hess(B, [B.num(c) for c in p])
                assert B.lambda_max(H) <= B.num(f.constants.L)
                if family == "convex_objectives":
                    assert B.lambda_min(H) >= 0
