"""Existential parameters (symbolic.existential): a witness per case, never read as 'for all';
refuted only when branch and bound in Arb proves that no witness exists."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from symbolic import Bound, Case, CheckSettings, Claim, Verdict
from symbolic.existential import ExistsClaim, witness_candidates
from theorems.cases import scalar_cases

S = CheckSettings(examples=30)
X = scalar_cases({"x": Bound(Fraction(0), Fraction(4))})
T = {"t": lambda c: Bound(Fraction(0), Fraction(1))}


def _tx(rel: str, rhs: Fraction | str) -> Claim:
    def right(c: Case, B: object) -> object:
        return c.p(B, "x") if rhs == "x" else B.num(rhs)  # type: ignore[attr-defined]

    return Claim(f"t x {rel} {rhs}", cases=X, lhs=lambda c, B: c.p(B, "t") * c.p(B, "x"), rel=rel, rhs=right)


def test_a_claim_true_only_existentially_is_checked_with_witnesses() -> None:
    body = _tx("<", Fraction(1, 2))  # false for all t (t x -> 4 as t -> 1), true for some t
    both = scalar_cases({"x": Bound(Fraction(0), Fraction(4)), "t": Bound(Fraction(0), Fraction(1))})
    universal = Claim("t x < 1/2 for all t", cases=both, lhs=body.lhs, rel="<", rhs=body.rhs)
    assert universal.run(S).verdict is Verdict.REFUTED  # the 'for all' reading is false
    out = ExistsClaim(body, T).run(S)
    assert out.verdict is Verdict.CHECKED
    w = out.evidence.extra["witnesses"]
    assert w and all(0 < Fraction(x["witness"]["t"]) < 1 for x in w)
    assert "witness" in out.evidence.details


def test_a_claim_false_for_every_witness_is_refuted_by_a_proof_not_a_sample() -> None:
    out = ExistsClaim(_tx(">", Fraction(5)), T).run(S)
    assert out.verdict is Verdict.REFUTED
    assert "no witness" in out.evidence.details and "branch and bound" in out.evidence.details
    assert Fraction(out.evidence.counterexample["params"]["x"]) < 5


def test_no_witness_found_but_none_excluded_is_undecided() -> None:
    # t x >= x needs t = 1, outside the open interval: the hull [0, 1] contains a witness, so
    # branch and bound cannot exclude every witness; sampling alone never refutes
    out = ExistsClaim(_tx(">=", "x"), T).run(S)
    assert out.verdict is Verdict.UNDECIDED
    assert "none could be excluded" in out.evidence.method


def test_a_single_instance_with_a_confirmed_witness_is_certified() -> None:
    body = Claim("t^2 < t/2", cases=st.just(Case()), lhs=lambda c, B: c.p(B, "t") ** 2, rel="<", rhs=lambda c, B: c.p(B, "t") / 2)
    out = ExistsClaim(body, T, universal=False).run(S)
    assert out.verdict is Verdict.CERTIFIED
    (w,) = out.evidence.extra["witnesses"][:1]
    t = Fraction(w["witness"]["t"])
    assert 0 < t < Fraction(1, 2)  # exact check of the reported witness
    # mutant: no t in (0, 1) has t^2 < t/2 - 1: refuted, not certified
    bad = Claim("t^2 < t/2 - 1", cases=st.just(Case()), lhs=lambda c, B: c.p(B, "t") ** 2, rel="<", rhs=lambda c, B: c.p(B, "t") / 2 - 1)
    assert ExistsClaim(bad, T, universal=False).run(S).verdict is Verdict.REFUTED


def test_witness_candidates_stay_inside_the_domain() -> None:
    b = Bound(Fraction(0), Fraction(2), True, True)
    vals = witness_candidates(b)
    assert vals and all(b.contains(v) for v in vals) and min(vals) < Fraction(1, 10**6) and max(vals) > 2 - Fraction(1, 10**6)
