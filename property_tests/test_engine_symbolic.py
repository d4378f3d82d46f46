"""Identities, implications (z3), derivations, verdict algebra, Monte Carlo bounds."""

from __future__ import annotations

import mpmath
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
    low_misses = high_misses = 0
    for _ in range(200):
        k = rng.binomial(100, 0.3)
        lo, hi = clopper_pearson(int(k), 100, 0.05)
        low_misses += not (lo <= 0.3)
        high_misses += not (0.3 <= hi)
        assert hi - lo < 0.25  # two one-sided 95% bounds at n = 100 are about 0.15 apart
    assert low_misses <= 25 and high_misses <= 25  # one-sided 95%: about 10 misses expected


def _binomial_mass(n: int, p: float, js: range) -> float:
    """P(Bin(n, p) in js), summed at 50 digits (independently of scipy's beta quantiles)."""
    with mpmath.workdps(50):
        q = mpmath.mpf(p)
        return float(mpmath.fsum(mpmath.binomial(n, j) * q**j * (1 - q) ** (n - j) for j in js))


@pytest.mark.parametrize(("k", "n"), [(0, 50), (7, 50), (50, 50), (300, 1000)])
def test_clopper_pearson_inverts_the_binomial_tails(k: int, n: int) -> None:
    """lo solves P(Bin(n, lo) >= k) = delta and hi solves P(Bin(n, hi) <= k) = delta."""
    delta = 0.01
    lo, hi = clopper_pearson(k, n, delta)
    if k == 0:
        assert lo == 0 and hi == pytest.approx(1 - delta ** (1 / n))
    else:
        assert _binomial_mass(n, lo, range(k, n + 1)) == pytest.approx(delta, rel=1e-6)
    if k == n:
        assert hi == 1 and lo == pytest.approx(delta ** (1 / n))
    else:
        assert _binomial_mass(n, hi, range(k + 1)) == pytest.approx(delta, rel=1e-6)


def test_monte_carlo_verdicts_carry_confidence() -> None:
    ok = MonteCarlo("coin is fair-ish", lambda rng, n: rng.random(n) < 0.5, rel=">=", bound=0.4, samples=4000)
    out = ok.run(S)
    assert out.verdict is Verdict.CHECKED and out.evidence.confidence == pytest.approx(0.999)
    bad = MonteCarlo("coin is loaded", lambda rng, n: rng.random(n) < 0.5, rel=">=", bound=0.6, samples=4000)
    out = bad.run(S)
    assert out.verdict is Verdict.UNDECIDED and "contradict" in out.evidence.details  # never "refuted" from sampling
