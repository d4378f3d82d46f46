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
from symbolic.proofgraph import Premise, Proof
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


# ------------------------------------------------------------------ definitions


def test_definition_is_at_most_checked() -> None:
    """34 definitions used to say ``proved`` because each listed example was decided exactly."""
    from symbolic import Definition, Judgement

    d = Definition(
        "x_{k+1} = a x_k converges to 0 at the listed a",
        lambda a_: Judgement(abs(a_) < 1, Verdict.PROVED, "exact"),
        [("a = 1/2", Fraction(1, 2), True), ("a = 2", Fraction(2), False)],
    )
    out = d.run(S)
    assert out.verdict is Verdict.CHECKED
    assert "2 examples decided exactly" in out.evidence.method
    wrong = Definition("wrong", lambda a_: Judgement(abs(a_) < 1, Verdict.PROVED), [("a = 2", Fraction(2), True)])
    assert wrong.run(S).verdict is Verdict.REFUTED


# ------------------------------------------------------------------ vacuity


def _entry(check: object) -> object:
    from theorems.registry import Entry, Status

    return Entry(id="pauwels.test-vacuity", title="t", where="w", statement="s", checks=[check], status=Status.VERIFIED)  # type: ignore[list-item]


def test_unsatisfiable_hypotheses_are_refused() -> None:
    """z3 proved False => anything; such an implication stayed ``proved``."""
    x = sp.Symbol("x", real=True)
    vac = Implication("x > 1 and x < 0 give x = 5", [x > 1, x < 0], sp.Eq(x, 5))
    with pytest.raises(ValueError, match="unsatisfiable"):
        _entry(vac)
    _entry(Implication("x > 1 gives x > 0", [x > 1], x > 0))  # a satisfiable one registers


def test_hypothesis_collapsed_to_false_is_refused() -> None:
    """pauwels.semialgebraic: 'x^2 + (-1)^2 < 1' with x real was evaluated to False by sympy at import."""
    x = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match="collapsed to False"):
        _entry(Implication("y = -1 forces x^2 < 0", [x**2 + (-1) ** 2 < 1], sp.Eq(x, 5)))


def test_conclusion_collapsed_when_built_is_refused() -> None:
    x = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match="conclusion collapsed"):
        _entry(Implication("x^2 >= 0", [], x**2 >= 0))
    _entry(Implication("x^2 >= 0, built unevaluated", [], sp.Ge(x**2, 0, evaluate=False)))


def test_constant_tautology_is_refused() -> None:
    """'21 = 21', 'a0/a0 = 1', '0 = 0', '-2 = -2': both sides constants, equal when built."""
    a0 = sp.Symbol("a0", positive=True)
    for lhs, rhs in ((sp.Integer(21), sp.Integer(21)), (a0 / a0, sp.Integer(1)), (sp.Integer(0), sp.Integer(0))):
        with pytest.raises(ValueError, match="tautology"):
            _entry(Identity("tautology", lhs, rhs))


def test_identity_equal_when_built_says_where() -> None:
    """Sides differentiated at import: still a sympy computation, but the evidence says where it happened."""
    u = sp.Symbol("u", real=True)
    built = Identity("d/du sin = cos", sp.diff(sp.sin(u), u), sp.cos(u))
    out = built.run(S)
    assert out.verdict is Verdict.PROVED and "sides equal when built" in out.evidence.method
    assert "test_honest_verdicts.py" in out.evidence.method
    lazy = Identity("d/du sin = cos, in the check", sp.Derivative(sp.sin(u), u), sp.cos(u))
    out = lazy.run(S)
    assert out.verdict is Verdict.PROVED and "simplifies to 0" in out.evidence.method
    assert Identity("d/du sin = -cos", sp.Derivative(sp.sin(u), u), -sp.cos(u)).run(S).verdict is Verdict.REFUTED


# ------------------------------------------------------------------ derivations


def test_chain_of_unrelated_lemmas_is_not_proved() -> None:
    """The convex chain rule pattern: each step proved by a lemma about other quantities."""
    from symbolic import Derivation, Step

    x = sp.Symbol("x", real=True)
    unrelated = Implication("p <= q gives p/2 <= q/2", [sp.Le(a, b)], sp.Le(a / 2, b / 2))
    d = Derivation("chain", start=x, steps=[Step("<=", sp.Integer(1), "x <= 1/2", check=unrelated)], given=[x <= sp.Rational(1, 2)], hypotheses=["x <= 1/2"])
    assert d.run(S).verdict is Verdict.PROVED  # the step follows from the derivation's hypotheses by z3
    d = Derivation("chain", start=x, steps=[Step("<=", sp.Integer(1), "x <= 1/2", check=unrelated)])
    out = d.run(S)
    assert out.verdict is Verdict.CHECKED and "not linked" in out.evidence.details
    own = Implication("x <= 1/2 gives x <= 1", [x <= sp.Rational(1, 2)], x <= 1)
    assert Derivation("chain", start=x, steps=[Step("<=", sp.Integer(1), "x <= 1/2", check=own)]).run(S).verdict is Verdict.CHECKED
    linked = Derivation("chain", start=x, steps=[Step("<=", sp.Integer(1), "x <= 1/2", check=own)], given=[x <= sp.Rational(1, 2)])
    assert linked.run(S).verdict is Verdict.PROVED


def test_prose_steps_do_not_compose() -> None:
    from symbolic import Derivation, Step

    d = Derivation("prose", start=r"\|x\|", steps=[Step("<=", r"L\|y\|", "why", check=AMGM)])
    assert d.run(S).verdict is Verdict.CHECKED


def test_implication_step_is_checked_like_the_others() -> None:
    """``=>`` steps used to accept any check; an identity cannot justify an implication, and the
    implication must be the step's."""
    from symbolic import Derivation, Step

    x = sp.Symbol("x", real=True)
    ident = Identity("(x+1)^2", (x + 1) ** 2, x**2 + 2 * x + 1)
    assert Derivation("d", start=sp.Gt(x, 1), steps=[Step("=>", sp.Gt(x, 0), "why", check=ident)]).run(S).verdict is Verdict.UNDECIDED
    right = Implication("x > 1 gives x > 0", [x > 1], x > 0)
    assert Derivation("d", start=sp.Gt(x, 1), steps=[Step("=>", sp.Gt(x, 0), "why", check=right)]).run(S).verdict is Verdict.PROVED
    wrong_step = Derivation("d", start=sp.Gt(x, -1), steps=[Step("=>", sp.Gt(x, 0), "why", check=right)])
    assert wrong_step.run(S).verdict is Verdict.CHECKED


# ------------------------------------------------------------------ scope


def test_title_claiming_more_than_scope_is_refused() -> None:
    x = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match="claims every d"):
        _entry(Implication("x^2 >= 0 for all d", [], sp.Ge(x**2, 0, evaluate=False), scope="d = 3"))
    _entry(Implication("x^2 >= 0 in R^3", [], sp.Ge(x**2, 0, evaluate=False), scope="d = 3"))


def test_scope_is_printed_beside_the_verdict() -> None:
    from symbolic.latex import render_check
    from symbolic.scope import with_scope

    assert with_scope("proved", "d = 3; the argument is coordinatewise") == "proved for d = 3; the argument is coordinatewise"
    x = sp.Symbol("x", real=True)
    c = Implication("x^2 >= 0 in R^3", [], sp.Ge(x**2, 0, evaluate=False), scope="d = 3")
    assert "for d = 3" in render_check(c, c.run(S))


# ------------------------------------------------------------------ catalogue quality (mutants of the re-verdicted checks)


def test_ls2_assumption1_mutant_alpha_is_refuted() -> None:
    """'Assumption 1 for LS2' is now proved for LS2's A, y; with alpha = 41/10 z3 refutes it."""
    from theorems.catalogue.sgdloj import theorem_3_1 as m

    assert m.ls2_assumption1.run(S).verdict is Verdict.PROVED
    c = m.ls2_assumption1.conclusion
    mutant = Implication("alpha = 41/10", [], sp.Ge(c.lhs, c.rhs * sp.Rational(41, 40), evaluate=False))
    assert mutant.run(S).verdict is Verdict.REFUTED


def test_discriminant_is_read_off_the_quadratic() -> None:
    """The stated discriminant was written twice; now a, b, c are read off the quadratic in the check."""
    from theorems.catalogue.sgdloj import quadratic_nonnegative as m

    assert not m.disc_vector.equal_when_built
    assert m.disc_vector.run(S).verdict is Verdict.PROVED
    wrong = Identity("with 4 C_L F", m.disc_vector.lhs, m.disc_vector.rhs - 2 * m._C * m._Fs)
    assert wrong.run(S).verdict is Verdict.REFUTED


def test_cesaro_induction_is_a_real_induction() -> None:
    from theorems.catalogue.sgdloj import _cesaro as m

    assert m.base_case.run(S).verdict is Verdict.PROVED
    step = m.induction_step()
    assert step.run(S).verdict is Verdict.PROVED
    assert m.N_SYM in step.start.free_symbols  # symbolic n, not n <= 12
