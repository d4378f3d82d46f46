"""pauwels.kl-desingularizing: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "KL property (Łojasiewicz 63, Kurdyka 98)", "Desingularizing functions on (0, r_0)".

phi in C([0, r_0], R_+) cap C^1(0, r_0), phi' > 0, phi concave, phi(0) = 0: each axiom decided symbolically on the
slide's phi = 2 sqrt(t/c) and on examples and non-examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp

from symbolic import Definition, Identity, Implication, Judgement, Verdict
from theorems.catalogue.pauwels._common import sympy_rational
from theorems.catalogue.pauwels._kl import QUICK_SETTINGS
from theorems.registry import Entry, Status, register

t = sp.Symbol("t", positive=True)


@dataclass(frozen=True)
class Desing:
    """A candidate desingularizing function phi(t) on [0, r0]."""

    phi: sp.Expr
    r0: Q = Q(1)


def _z3_or_solveset(cond_fails: sp.Expr, positive_claim: sp.Expr, r0: sp.Rational, strict: bool) -> tuple[bool | None, str]:
    """Decide 'positive_claim (>0 when strict, >=0 otherwise) for all t in (0, r0)'."""
    tv = sp.Symbol("t", real=True)
    e = positive_claim.subs(t, tv)
    if e.is_polynomial(tv):
        concl = e > 0 if strict else e >= 0
        out = Implication("poly", hypotheses=[tv > 0, tv < r0], conclusion=concl).run(QUICK_SETTINGS)
        if out.verdict is Verdict.PROVED:
            return True, "z3"
        if out.verdict is Verdict.REFUTED:
            return False, f"z3 counterexample {out.evidence.counterexample}"
    bad = sp.solveset((e <= 0) if strict else (e < 0), tv, sp.Interval.open(0, r0))
    if bad is sp.S.EmptySet:
        return True, "solveset: empty failure set"
    if isinstance(bad, sp.Set) and bad.measure != 0 or bad.is_empty is False:
        return False, f"fails on {bad}"
    return None, f"solveset gave {bad}"


def is_desingularizing(phi: sp.Expr, tt: sp.Symbol = t, r0: Q | sp.Rational = Q(1)) -> Judgement:
    """phi in C([0, r0], R_+), C^1 on (0, r0) with phi' > 0, concave, phi(0) = 0 (decided with sympy / z3)."""
    from sympy.calculus.util import continuous_domain, minimum

    r0s = sp.Rational(r0) if not isinstance(r0, Q) else sympy_rational(r0)
    phi = sp.sympify(phi).subs(tt, t)
    tv = sp.Symbol("t", real=True)
    phir = phi.subs(t, tv)
    reasons = []
    at0 = sp.limit(phi, t, 0, "+")
    direct = phir.subs(tv, 0)
    if at0 != 0 or (direct.is_finite and direct != 0):
        return Judgement(False, Verdict.PROVED, f"phi(0) = {direct} != 0")
    reasons.append("phi(0)=0")
    dom = continuous_domain(phir, tv, sp.Interval(0, r0s))
    if dom != sp.Interval(0, r0s):
        return Judgement(False, Verdict.PROVED, f"continuous only on {dom}")
    reasons.append("continuous on [0,r0]")
    if minimum(phir, tv, sp.Interval(0, r0s)) < 0:
        return Judgement(False, Verdict.PROVED, "takes negative values")
    d1 = sp.diff(phi, t)
    ok, why = _z3_or_solveset(d1 <= 0, d1, r0s, strict=True)
    if ok is not True:
        return Judgement(ok if ok is None else False, Verdict.PROVED if ok is False else Verdict.UNDECIDED, f"phi' > 0 fails: {why}")
    reasons.append(f"phi'>0 ({why})")
    d2 = sp.diff(phi, t, 2)
    ok, why = _z3_or_solveset(d2 > 0, -d2, r0s, strict=False)
    if ok is not True:
        return Judgement(ok if ok is None else False, Verdict.PROVED if ok is False else Verdict.UNDECIDED, f"concavity fails: {why}")
    reasons.append(f"phi''<=0 ({why})")
    return Judgement(True, Verdict.PROVED, "; ".join(reasons))


_c = sp.Symbol("c", positive=True)
DESING_EXAMPLES = [
    ("sqrt(t)", Desing(sp.sqrt(t)), True),
    ("t^(1/3)", Desing(t ** sp.Rational(1, 3)), True),
    ("2 sqrt(t/c), c = 1/2", Desing(2 * sp.sqrt(t / sp.Rational(1, 2))), True),
    ("2 sqrt(t/c), c = 5", Desing(2 * sp.sqrt(t / 5)), True),
    ("log(1+t)", Desing(sp.log(1 + t)), True),
    ("t (linear)", Desing(t), True),
    ("t^2 (convex)", Desing(t**2), False),
    ("-t (decreasing)", Desing(-t), False),
    ("t+1 (phi(0) = 1)", Desing(t + 1), False),
    ("e^t - 1 (convex)", Desing(sp.exp(t) - 1), False),
]

desing_definition = Definition(
    "is_desingularizing on examples and non-examples (r0 = 1)",
    predicate=lambda ex: is_desingularizing(ex.phi, t, ex.r0),
    examples=DESING_EXAMPLES,
    statement=r"\varphi\in C([0,r_0],\mathbb{R}_+)\cap C^1(0,r_0),\ \varphi'>0,\ \varphi\text{ concave},\ \varphi(0)=0",
    note="Each axiom decided symbolically: limits and continuity with sympy, $\\varphi'>0$ and $\\varphi''\\le0$ by z3 for polynomials, by sympy's solveset otherwise.",
)

# symbolic: 2 sqrt(t/c) is desingularizing for every c > 0 (derivatives in closed form)
_phi_c = 2 * sp.sqrt(t / _c)
desing_family_derivative = Identity(
    "phi(t) = 2 sqrt(t/c): phi'(t) = 1/sqrt(c t) > 0",
    sp.Derivative(_phi_c, t),
    1 / sp.sqrt(_c * t),
    statement=r"\frac{d}{dt}\,2\sqrt{t/c} = \frac{1}{\sqrt{ct}}",
)
desing_family_concave = Identity(
    "phi(t) = 2 sqrt(t/c): phi''(t) = -(1/2) c^{-1/2} t^{-3/2} < 0",
    sp.Derivative(_phi_c, t, 2),
    -sp.Rational(1, 2) / sp.sqrt(_c) * t ** sp.Rational(-3, 2),
    statement=r"\frac{d^2}{dt^2}\,2\sqrt{t/c} = -\tfrac12 c^{-1/2}t^{-3/2}<0",
)

register(
    Entry(
        id="pauwels.kl-desingularizing",
        title="Desingularizing functions on (0, r0)",
        where="KL property (Łojasiewicz 63, Kurdyka 98): Desingularizing functions on $(0, r_0)$",
        statement=(
            r"$\varphi\in C([0,r_0],\mathbb{R}_+)$, $\varphi\in C^1(0,r_0)$, $\varphi'>0$, "
            r"$\varphi$ concave and $\varphi(0)=0$."
        ),
        checks=[desing_definition, desing_family_derivative, desing_family_concave],
        status=Status.VERIFIED,
        reading="Executable definition \\texttt{is\\_desingularizing(phi, t, r0)}; the examples use $r_0=1$.",
    )
)
