"""Identities, implications (z3), derivations, verdict algebra, Monte Carlo bounds."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symbolic import (
    CheckSettings,
    Derivation,
    Identity,
    Implication,
    MonteCarlo,
    Step,
    Verdict,
    compose,
    weakest,
)
from symbolic.experiments import clopper_pearson

S = CheckSettings()
a, b, t = sp.symbols("a b t", positive=True)


def test_identity_proves_and_refutes() -> None:
    assert Identity("square", (a + b) ** 2, a**2 + 2 * a * b + b**2).run(S).verdict is Verdict.PROVED
    out = Identity("wrong square", (a + b) ** 2, a**2 + b**2).run(S)
    assert out.verdict is Verdict.REFUTED
    ce = out.evidence.counterexample
    assert sp.Rational(ce["lhs - rhs"]) != 0


def test_identity_of_matrices_entry_by_entry() -> None:
    x, y = sp.symbols("x y", real=True)
    F = 3 * x**2 * y
    T = sp.Matrix([x, y]) - a * sp.Matrix([F.diff(x), F.diff(y)])
    jac = T.jacobian(sp.Matrix([x, y]))
    assert Identity("DT", jac, sp.eye(2) - a * sp.hessian(F, (x, y))).run(S).verdict is Verdict.PROVED
    out = Identity("DT, wrong sign", jac, sp.eye(2) + a * sp.hessian(F, (x, y))).run(S)
    assert out.verdict is Verdict.REFUTED
    ce = out.evidence.counterexample
    assert "entry" in ce and sp.Rational(ce["lhs - rhs"]) != 0


def test_implication_by_z3() -> None:
    amgm = Implication("AM-GM", [], (a + b) / 2 >= sp.sqrt(a * b))
    assert amgm.run(S).verdict is Verdict.PROVED
    wrong = Implication("reverse AM-GM", [], (a + b) / 2 <= sp.sqrt(a * b))
    out = wrong.run(S)
    assert out.verdict is Verdict.REFUTED
    vals = {sp.Symbol(k, positive=True): sp.Rational(v) for k, v in out.evidence.counterexample.items()}
    assert ((a + b) / 2 > sp.sqrt(a * b)).subs(vals)


def test_derivation_composes_and_reports_each_step() -> None:
    d = Derivation(
        "chain",
        start=a**2 + b**2,
        steps=[
            Step(">=", 2 * a * b, "AM-GM", check=Implication("s1", [], a**2 + b**2 >= 2 * a * b)),
            Step("=", 2 * b * a, "commutativity", check=Identity("s2", 2 * a * b, 2 * b * a)),
            Step(">=", b * a, "halving", check=None),
        ],
    )
    assert d.relation == ">="
    out = d.run(S)
    assert [o.verdict for _, o in out.parts] == [Verdict.PROVED, Verdict.PROVED, Verdict.UNDECIDED]
    assert out.verdict is Verdict.UNDECIDED  # an unchecked step is never silently accepted


def test_relation_algebra() -> None:
    assert compose(["=", "<=", "<"]) == "<"
    assert compose(["<=", ">="]) is None
    assert compose(["=>", "<=>"]) == "=>"
    assert weakest([Verdict.PROVED, Verdict.CHECKED]) is Verdict.CHECKED
    assert weakest([Verdict.PROVED, Verdict.REFUTED, Verdict.UNDECIDED]) is Verdict.REFUTED
    with pytest.raises(ValueError, match="compose"):
        Derivation("bad", a, [Step("<=", b, "x"), Step(">=", a, "y")], conclusion="<=")


def test_clopper_pearson_covers() -> None:
    rng = np.random.default_rng(0)
    misses = 0
    for _ in range(200):
        k = rng.binomial(100, 0.3)
        lo, hi = clopper_pearson(int(k), 100, 0.05)
        misses += not (lo <= 0.3)
    assert misses <= 25  # one-sided 95%: about 10 misses expected


def test_monte_carlo_verdicts_carry_confidence() -> None:
    ok = MonteCarlo("coin is fair-ish", lambda rng, n: rng.random(n) < 0.5, rel=">=", bound=0.4, samples=4000)
    out = ok.run(S)
    assert out.verdict is Verdict.CHECKED and out.evidence.confidence == pytest.approx(0.999)
    bad = MonteCarlo("coin is loaded", lambda rng, n: rng.random(n) < 0.5, rel=">=", bound=0.6, samples=4000)
    out = bad.run(S)
    assert out.verdict is Verdict.UNDECIDED and "contradict" in out.evidence.details  # never "refuted" from sampling
