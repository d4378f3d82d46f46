"""Claim files: existential parameters, matrix (Loewner) relations, parameter bounds that use
other parameters (issue 16)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from symbolic import CheckSettings, Verdict
from theorems.userclaims import ClaimFileError, parse_claim

S = CheckSettings(examples=30)



def run(data: dict[str, Any], settings: CheckSettings = S) -> Any:
    return parse_claim({"name": "t", **data}).claim.run(settings)


# ---------------------------------------------------------------- exists

DESCENT = {"family": "smooth_objectives", "points": ["x"], "conclusion": "Fstep(x, alpha) <= F(x) - gradnorm(x)^2/(2*L)"}


def test_exists_is_not_read_as_for_all() -> None:
    # true for alpha = 1/L (the descent lemma), false for small alpha: only existentially true
    universal = run({**DESCENT, "parameters": {"alpha": {"min": "0", "max": "2/L"}}})
    assert universal.verdict is Verdict.REFUTED
    out = run({**DESCENT, "parameters": {"alpha": {"min": "0", "max": "2/L", "exists": True}}})
    assert out.verdict is Verdict.CHECKED
    assert out.evidence.extra["witnesses"] and "witness alpha" in out.evidence.details


def test_exists_false_for_every_witness_is_refuted_by_a_proof() -> None:
    # on 1-D strongly convex quadratics F - |F'|^2/L = -F < 0 <= F(x - alpha F'(x)) for every alpha
    out = run({
        "family": "quadratics", "family_options": {"dim": 1, "spectrum": "strongly_convex"}, "points": ["x"],
        "conclusion": "Fstep(x, alpha) <= F(x) - gradnorm(x)^2/L",
        "parameters": {"alpha": {"min": "0", "max": "2/L", "exists": True}},
    })
    assert out.verdict is Verdict.REFUTED and "no witness" in out.evidence.details


def test_exists_single_instance_is_certified() -> None:
    out = run({"conclusion": "t^2 < t/2", "parameters": {"t": {"min": "0", "max": "1", "exists": True}}})
    assert out.verdict is Verdict.CERTIFIED
    t = Fraction(out.evidence.extra["witnesses"][0]["witness"]["t"])
    assert 0 < t < Fraction(1, 2)


def test_exists_mixed_with_for_all() -> None:
    # for all a in (0, 4) there is t in (0, 1) with t*a < 1/2 (not for all t)
    data = {"conclusion": "t*a < 1/2", "parameters": {"a": {"min": "0", "max": "4"}, "t": {"min": "0", "max": "1", "exists": True}}}
    assert run(data).verdict is Verdict.CHECKED
    data["parameters"]["t"].pop("exists")
    assert run(data).verdict is Verdict.REFUTED


def test_exists_errors() -> None:
    with pytest.raises(ClaimFileError, match="exists"):
        parse_claim({"name": "e", "conclusion": "t < 1", "parameters": {"t": {"min": "0", "max": "1", "exists": "yes"}}})
    with pytest.raises(ClaimFileError, match="existential"):
        parse_claim({"name": "e", "conclusion": "t < s", "parameters": {"t": {"min": "0", "max": "1", "exists": True}, "s": {"min": "0", "max": "t"}}})


# ---------------------------------------------------------------- matrices

SMOOTH = {"family": "smooth_objectives", "points": ["x"]}


def test_hessian_below_L_identity_holds_and_half_of_it_is_refuted_with_a_direction() -> None:
    assert run({**SMOOTH, "conclusion": "hess(x) <= L*I"}).verdict is Verdict.CHECKED
    out = run({**SMOOTH, "conclusion": "hess(x) <= (L/2)*I"})
    assert out.verdict is Verdict.REFUTED
    d = out.evidence.counterexample["direction"]
    assert d["v"] and d["vT M v"].lstrip("[").startswith("-")


def test_strong_convexity_in_the_loewner_order() -> None:
    quad = {"family": "quadratics", "family_options": {"spectrum": "strongly_convex"}, "points": ["x"]}
    assert run({**quad, "conclusion": "hess(x) >= mu*I"}).verdict is Verdict.CHECKED
    assert run({**quad, "conclusion": "hess(x) > mu*I"}).verdict is Verdict.REFUTED  # equality on the bottom eigenvector
    assert run({**quad, "conclusion": "hess(x) >= 2*mu*I"}).verdict is Verdict.REFUTED


def test_cocoercivity_with_only_a_pointwise_hessian_hypothesis_is_refuted() -> None:
    out = run({
        "family": "smooth_objectives", "points": ["x", "y"],
        "hypotheses": ["hess(x) <= L*I", "hess(y) <= L*I", "hess(x) >= 0", "hess(y) >= 0"],
        "conclusion": "-inner(x, y) - inner(y, x) >= graddist(x, y)^2 / L",
    }, CheckSettings())
    assert out.verdict is Verdict.REFUTED


@pytest.mark.parametrize(("conclusion", "message"), [
    ("hess(x) <= L", "matrix"),
    ("hess(x)*hess(x) <= L*I", "product"),
    ("hess(x) <= F(x)", "matrix"),
])
def test_matrix_relation_errors(conclusion: str, message: str) -> None:
    with pytest.raises(ClaimFileError, match=message):
        parse_claim({"name": "m", **SMOOTH, "conclusion": conclusion})


def test_matrices_need_an_objective() -> None:
    with pytest.raises(ClaimFileError):
        parse_claim({"name": "m", "conclusion": "t*I >= 0", "parameters": {"t": {"min": "0", "max": "1"}}})


# ---------------------------------------------------------------- dependent bounds


def test_a_bound_may_use_another_parameter() -> None:
    params = {"alpha": {"min": "0", "max": "1"}, "beta": {"min": "0", "max": "alpha"}}
    assert run({"conclusion": "beta < alpha", "parameters": params}).verdict is Verdict.CHECKED
    params["beta"]["max"] = "2*alpha"
    assert run({"conclusion": "beta < alpha", "parameters": params}).verdict is Verdict.REFUTED


def test_dependent_bounds_with_a_family() -> None:
    params = {"beta": {"min": "0", "max": "alpha"}, "alpha": {"min": "0", "max": "2/L"}}
    out = run({**SMOOTH, "conclusion": "Fstep(x, beta) <= F(x)", "parameters": params})
    assert out.verdict is Verdict.CHECKED
    params["beta"]["max"] = "3*alpha/2"  # beta up to 3/L: the stretched step
    assert run({"family": "convex_objectives", "points": ["x"], "conclusion": "Fstep(x, beta) <= F(x)", "parameters": params}).verdict is Verdict.REFUTED


@pytest.mark.parametrize("params", [
    {"alpha": {"min": "0", "max": "beta"}, "beta": {"min": "0", "max": "alpha"}},
    {"alpha": {"min": "0", "max": "alpha + 1"}},
    {"a": {"min": "0", "max": "b"}, "b": {"min": "c", "max": "1"}, "c": {"min": "0", "max": "a"}},
])
def test_cycles_are_refused(params: dict[str, Any]) -> None:
    with pytest.raises(ClaimFileError, match="cycle"):
        parse_claim({"name": "c", "conclusion": "1 > 0", "parameters": params})


def test_the_statement_quantifies_existential_parameters_with_exists() -> None:
    uc = parse_claim({"name": "s", **DESCENT, "parameters": {"alpha": {"min": "0", "max": "2/L", "exists": True}}})
    tex = uc.claim.statement
    assert r"\exists\, \alpha" in tex and tex.index(r"\text{for all }") < tex.index(r"\exists")
    assert r"\alpha \in" not in tex.split(r"\exists")[0]  # not among the universal quantifiers
    assert uc.existential == ("alpha",)
    single = parse_claim({"name": "s", "conclusion": "t^2 < t/2", "parameters": {"t": {"min": "0", "max": "1", "exists": True}}})
    assert single.claim.statement.startswith(r"\exists")


def test_exists_with_a_matrix_conclusion() -> None:
    quad = {"family": "quadratics", "family_options": {"spectrum": "convex"}, "points": ["x"], "conclusion": "hess(x) <= t*L*I"}
    assert run({**quad, "parameters": {"t": {"min": "0", "max": "2", "exists": True}}}, CheckSettings(examples=20)).verdict is Verdict.CHECKED
    out = run({**quad, "parameters": {"t": {"min": "0", "max": "1/4", "exists": True}}}, CheckSettings(examples=20))
    assert out.verdict is Verdict.REFUTED and "no witness" in out.evidence.details


def test_a_relation_between_two_matrix_expressions() -> None:
    two = {"family": "smooth_objectives", "points": ["x", "y"]}
    assert run({**two, "conclusion": "hess(x) <= hess(y) + 2*L*I"}, CheckSettings(examples=15)).verdict is Verdict.CHECKED  # -L I <= hess <= L I
    assert run({**two, "conclusion": "hess(x) <= hess(y)"}, CheckSettings(examples=15)).verdict is Verdict.REFUTED
