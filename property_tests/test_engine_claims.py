"""The claim search: true claims are checked, false ones refuted with confirmed counterexamples,
and a margin inside the rounding error is never reported as a counterexample."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import strategies as st

from symbolic import Bound, Case, CheckSettings, Claim, Verdict
from theorems.cases import scalar_cases

FAST = CheckSettings(examples=40, local_search=2)
unit = scalar_cases({"t": Bound(Fraction(-2), Fraction(2), False, False)})


def test_true_claim_is_checked_with_evidence() -> None:
    c = Claim("t^2 + 1 > t", cases=unit, lhs=lambda k, B: k.p(B, "t") ** 2 + 1, rel=">", rhs=lambda k, B: k.p(B, "t"))
    out = c.run(FAST)
    assert out.verdict is Verdict.CHECKED
    assert out.evidence.samples and out.evidence.samples >= 40
    assert out.evidence.digits == 50 and out.evidence.seed == FAST.seed


def test_false_claim_is_refuted_with_exact_counterexample() -> None:
    c = Claim("t^2 >= t", cases=unit, lhs=lambda k, B: k.p(B, "t") ** 2, rel=">=", rhs=lambda k, B: k.p(B, "t"))
    out = c.run(FAST)
    assert out.verdict is Verdict.REFUTED
    t = Fraction(out.evidence.counterexample["params"]["t"])
    assert t * t < t  # the reported point really is a counterexample, in exact arithmetic


def test_tiny_but_real_violation_is_found_by_ball_arithmetic() -> None:
    """margin = t^2 - 10^-60 is negative at t = 0, below 50-digit resolution: Arb confirms it."""
    cases = st.just(Case(params={"t": Fraction(0)}))
    c = Claim("t^2 >= 1e-60", cases=cases, lhs=lambda k, B: k.p(B, "t") ** 2, rel=">=", rhs=lambda k, B: B.num(Fraction(1, 10**60)))
    out = c.run(CheckSettings(examples=5, local_search=0))
    assert out.verdict is Verdict.REFUTED


def test_exact_zero_computed_with_rounding_is_not_a_counterexample() -> None:
    """sin(k pi) >= 0 at integers k >= 1: margins are +-1e-50 in mpmath; never refuted."""
    cases = st.integers(1, 6).map(lambda k: Case(params={"k": Fraction(k)}))
    holds = Claim("sin(k pi) >= 0", cases=cases, margin=lambda k, B: B.sin(k.p(B, "k") * B.pi))
    assert holds.run(CheckSettings(examples=20, local_search=0)).verdict is Verdict.CHECKED
    # the strict claim fails at the exact tie sin(k pi) = 0: no ball settles it, exact arithmetic does
    strict = Claim("sin(k pi) > 0", cases=cases, margin=lambda k, B: B.sin(k.p(B, "k") * B.pi), strict=True)
    out = strict.run(CheckSettings(examples=20, local_search=0))
    assert out.verdict is Verdict.REFUTED and "exact arithmetic" in out.evidence.method
    # a tie exact arithmetic does not settle (sin(1)^2 + cos(1)^2 - 1 is not simplified on construction) stays undecided
    one = st.just(Case(params={"k": Fraction(1)}))
    trig = Claim("sin^2 + cos^2 > 1", cases=one, margin=lambda k, B: B.sin(k.p(B, "k")) ** 2 + B.cos(k.p(B, "k")) ** 2 - B.num(1), strict=True)
    assert trig.run(CheckSettings(examples=5, local_search=0)).verdict is Verdict.UNDECIDED


def test_equality_claims() -> None:
    ok = Claim("(t+1)^2 = t^2+2t+1", cases=unit, lhs=lambda k, B: (k.p(B, "t") + 1) ** 2, rel="==", rhs=lambda k, B: k.p(B, "t") ** 2 + 2 * k.p(B, "t") + 1)
    assert ok.run(FAST).verdict is Verdict.CHECKED
    bad = Claim("(t+1)^2 = t^2+1", cases=unit, lhs=lambda k, B: (k.p(B, "t") + 1) ** 2, rel="==", rhs=lambda k, B: k.p(B, "t") ** 2 + 1)
    out = bad.run(FAST)
    assert out.verdict is Verdict.REFUTED
    assert Fraction(out.evidence.counterexample["params"]["t"]) != 0


def test_runs_are_reproducible() -> None:
    c = Claim("t^2 >= t", cases=unit, lhs=lambda k, B: k.p(B, "t") ** 2, rel=">=", rhs=lambda k, B: k.p(B, "t"))
    a, b = c.run(FAST), c.run(FAST)
    assert a.evidence.counterexample == b.evidence.counterexample


def test_bad_claim_definitions_raise() -> None:
    with pytest.raises(ValueError, match="lhs, rel"):
        Claim("x", cases=unit, lhs=lambda k, B: 0, rel="~", rhs=lambda k, B: 0)
    with pytest.raises(ValueError, match="either a margin"):
        Claim("x", cases=unit, margin=lambda k, B: 0, lhs=lambda k, B: 0)
