"""Honest verdicts (issue 10): ``proved`` only through a linked proof graph, definitions
at most ``checked``, vacuous checks refused, derivations that compose, scope shown.

Each test builds the overclaiming pattern the engine used to accept and asserts the verdict
it gets now, and a faithful variant that is still proved.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from symbolic import Bound, CheckSettings, Claim, Identity, Implication, Verdict
from symbolic.proofs import Premise, Proof
from theorems.cases import scalar_cases

S = CheckSettings(examples=30, local_search=1)
a, b = sp.symbols("a b", real=True)
t = sp.Symbol("t", positive=True)

CASES = scalar_cases({"a": Bound(Fraction(-3), Fraction(3), False, False), "b": Bound(Fraction(-3), Fraction(3), False, False)})
AMGM = Implication("2ab <= a^2 + b^2", [], sp.Le(2 * a * b, a**2 + b**2))


def _claim(proof: object, *, factor: int = 1) -> Claim:
    return Claim(
        "2ab <= a^2 + b^2",
        cases=CASES,
        lhs=lambda c, B: factor * 2 * c.p(B, "a") * c.p(B, "b"),
        rel="<=",
        rhs=lambda c, B: c.p(B, "a") ** 2 + c.p(B, "b") ** 2,
        proof=proof,  # type: ignore[arg-type]
    )


def test_linked_proof_proves_the_claim() -> None:
    out = _claim(Proof(AMGM, params={a: "a", b: "b"})).run(S)
    assert out.verdict is Verdict.PROVED, out.evidence.summary()
    assert "linked to the claim" in out.evidence.details


def test_bare_proof_is_not_trusted() -> None:
    """``Claim(proof=X)`` used to take X's verdict whatever X said."""
    out = _claim(AMGM).run(S)
    assert out.verdict is Verdict.CHECKED
    assert "not linked" in out.evidence.details
    assert out.evidence.samples is not None and out.evidence.samples > 20  # the full search, no 20-sample cut


def test_unrelated_proof_gets_the_sampled_verdict() -> None:
    """An unrelated identity (the LS2 pattern: an equality, no dependence on the claim's constant)."""
    unrelated = Identity("(a+b)^2 expanded", (a + b) ** 2, a**2 + 2 * a * b + b**2)
    out = _claim(Proof(unrelated, params={a: "a", b: "b"})).run(S)
    assert out.verdict is Verdict.CHECKED
    assert "not the claim" in out.evidence.details


def test_weaker_proof_does_not_prove_a_stronger_claim() -> None:
    """A lemma about a different quantity (margin differs) does not prove the claim."""
    weaker = Implication("ab <= a^2 + b^2", [], sp.Le(a * b, a**2 + b**2))
    out = _claim(Proof(weaker, params={a: "a", b: "b"})).run(S)
    assert out.verdict is Verdict.CHECKED
    assert "margin" in out.evidence.details


def test_wrong_claim_with_a_linked_proof_is_refuted_not_proved() -> None:
    out = _claim(Proof(AMGM, params={a: "a", b: "b"}), factor=2).run(S)
    assert out.verdict is Verdict.REFUTED


def test_sampled_premise_is_the_weak_link() -> None:
    """A lemma whose hypothesis comes from a sampled premise: the claim stays ``checked``,
    and the evidence names the premise and its samples."""
    sampled = Claim("a^2 + b^2 - 2ab >= 0 (sampled)", cases=CASES, margin=lambda c, B: (c.p(B, "a") - c.p(B, "b")) ** 2)
    lemma = Implication("rearrangement", [sp.Ge(a**2 + b**2 - 2 * a * b, 0)], sp.Le(2 * a * b, a**2 + b**2))
    proof = Proof(lemma, params={a: "a", b: "b"}, premises=[Premise(sampled, sp.Ge(a**2 + b**2 - 2 * a * b, 0), "(B.3)")])
    out = _claim(proof).run(S)
    assert out.verdict is Verdict.CHECKED
    assert "premise (B.3) checked on" in out.evidence.details and "lemma proved" in out.evidence.details


def test_undischarged_hypothesis_is_the_weak_link() -> None:
    """The growth-bound pattern: the lemma's hypothesis is the claim rearranged, no premise gives it."""
    q = sp.Symbol("q", real=True)
    lemma = Implication("rearrangement", [sp.Ge(q - 2 * a * b, 0)], sp.Le(2 * a * b, q))
    out = _claim(Proof(lemma, params={a: "a", b: "b"}, at=lambda c, B: {q: c.p(B, "a") ** 2 + c.p(B, "b") ** 2})).run(S)
    assert out.verdict is Verdict.CHECKED
    assert "not discharged" in out.evidence.details


def test_given_may_not_speak_of_computed_quantities() -> None:
    with pytest.raises(ValueError, match="not bound to the case's parameters"):
        Proof(AMGM, at=lambda c, B: {t: c.p(B, "a") ** 2}, given=[sp.Ge(t, 1)])


def test_strict_claim_needs_a_strict_lemma() -> None:
    strict = Claim("a^2 + b^2 + 1 > 2ab", cases=CASES, lhs=lambda c, B: c.p(B, "a") ** 2 + c.p(B, "b") ** 2 + 1, rel=">",
                   rhs=lambda c, B: 2 * c.p(B, "a") * c.p(B, "b"),
                   proof=Proof(Implication("a^2 + b^2 + 1 >= 2ab", [], sp.Ge(a**2 + b**2 + 1, 2 * a * b)), params={a: "a", b: "b"}))
    out = strict.run(S)
    assert out.verdict is Verdict.CHECKED and "strict" in out.evidence.details
