"""sgdloj.chung-lemma: Section 4, Lemma 4.1 (Chung's lemma, [10] Lemmas 1 and 4), (4.2)-(4.4).

For b_{k+1} <= (1 - C_1/(k+n_0)^q) b_k + C_2/(k+n_0)^{q+p} (4.2): if q = 1 and C_1 > p,
b_k <= C_2/(C_1 - p) (1/k) + o(1/k) (4.3); if q < 1, b_k <= (C_2/C_1) k^{-p} + o(k^{-p}) (4.4).
Erratum: the rate in (4.3) is k^{-p}, not 1/k (refuted for p < 1 by an explicit sequence)."""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import sympy as sp
from flint import arb

from symbolic import (
    Check,
    CheckSettings,
    Derivation,
    Evidence,
    Expect,
    Identity,
    Implication,
    Outcome,
    Step,
    Verdict,
)
from symbolic.lazy_identity import LazyIdentity
from theorems.catalogue.sgdloj._recursion import Recursion, SequenceLimit, arb_of, iterate
from theorems.registry import Entry, Status, register


class AsymptoticCounterexample(Check):
    """Refutes ``b_k <= C/k + o(1/k)`` with an explicit sequence: a proof that it satisfies the
    hypotheses (4.2) (``hypothesis_proof``, must be proved) and a proof that k b_k -> infinity
    (``divergence``, a sympy limit that must be oo). Numeric evidence from ``evidence_rec``."""

    kind = "S"

    def __init__(self, name: str, sequence: sp.Expr, k: sp.Symbol, hypothesis_proof: Check, evidence_rec: Recursion, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.sequence, self.k, self.hyp, self.rec = sequence, k, hypothesis_proof, evidence_rec

    def run(self, settings: CheckSettings) -> Outcome:
        hyp = self.hyp.run(settings)
        lim = sp.limit(self.k * self.sequence, self.k, sp.oo)
        K = 20000
        vals = iterate(self.rec, K, (100, 1000, K))
        nums = {kk: float((v * arb(kk) ** (1 - arb_of(self.rec.p))).mid()) for kk, v in vals.items()}  # k b_k
        if hyp.verdict is Verdict.PROVED and lim is sp.oo:
            return Outcome(
                Verdict.REFUTED,
                Evidence(
                    method="explicit counterexample sequence: z3 proof that it satisfies (4.2), sympy limit k b_k -> oo",
                    counterexample={"b_k": sp.sstr(self.sequence), "limit of k*b_k": "oo", **{f"k b_k at k={kk} (equality recursion from b_1=1, Arb)": f"{v:.6g}" for kk, v in nums.items()}},
                    details="b_k <= C/k + o(1/k) would make k b_k bounded",
                ),
            )
        return Outcome(Verdict.UNDECIDED, Evidence(method="counterexample sequence", details=f"hypothesis check {hyp.verdict.value}, limit {lim}; k b_k: {nums}"))


_m = sp.Symbol("m", positive=True)  # m = k + n0
_k = sp.Symbol("k", positive=True)
_C2 = sp.Symbol("C_2", positive=True)
_sm, _sm1 = sp.symbols("s t", positive=True)  # sqrt(m), sqrt(m+1)

counter_hyp = Implication(
    "b_k = C_2 (k+n_0)^{-1/2} satisfies (4.2) with q = 1, p = 1/2, C_1 = 1",
    hypotheses=[_m >= 1, sp.Eq(_sm**2, _m), sp.Eq(_sm1**2, _m + 1)],
    conclusion=sp.Le(_C2 / _sm1, (1 - 1 / _m) * _C2 / _sm + _C2 / (_m * _sm)),
    statement=r"\frac{C_2}{\sqrt{m+1}}\le\Big(1-\frac1m\Big)\frac{C_2}{\sqrt m}+\frac{C_2}{m^{3/2}}\quad(m=k+n_0\ge1)",
)
_n0 = sp.Symbol("n_0", positive=True)
stated_43 = AsymptoticCounterexample(
    "stated (4.3) for p = 1/2: b_k <= C_2/(C_1 - p) (1/k) + o(1/k)",
    sequence=_C2 / sp.sqrt(_k + _n0),
    k=_k,
    hypothesis_proof=counter_hyp,
    evidence_rec=Recursion(Q(1), Q(1, 2), Q(1), Q(1), Q(1)),
    expect=Expect.REFUTED,
    statement=r"q=1,\ C_1=1>p=\tfrac12:\quad b_k\le\frac{C_2}{C_1-p}\frac1k+o\Big(\frac1k\Big)",
    note=(
        r"The sequence $b_k=C_2(k+n_0)^{-1/2}$ is nonnegative and satisfies (4.2) ($q=1$, $p=\frac12$, $C_1=1$; z3), but $kb_k\to\infty$, "
        r"so no bound $C/k+o(1/k)$ holds. Iterating (4.2) with equality from $b_1=1$ gives $kb_k\approx2\sqrt k$."
    ),
)

# corrected (4.3): rate k^{-p}
_x = sp.Symbol("x", positive=True)  # x = 1/m
_A, _C1, _p = sp.symbols("A C_1 p", positive=True)
lead_q1 = LazyIdentity(
    "q = 1, every p: the leading coefficient of the residual of the ansatz A m^{-p} in (4.2) with equality is A (C_1 - p) - C_2 (a consistency condition, not a bound)",
    lambda: (sp.limit(_A * (((1 + _x) ** (-_p) - 1) / _x + _C1) - _C2, _x, 0), _A * (_C1 - _p) - _C2),
    statement=r"\lim_{m\to\infty}m^{1+p}\Big[A(m+1)^{-p}-\Big(1-\frac{C_1}{m}\Big)Am^{-p}-C_2m^{-1-p}\Big]=A(C_1-p)-C_2",
    note="Vanishes exactly for $A=C_2/(C_1-p)$: this identifies the only constant an equality sequence of the form $Am^{-p}(1+o(1))$ can have; it does not by itself prove that $b_k\\le\\frac{C_2}{C_1-p}k^{-p}+o(k^{-p})$.",
)
invariant_q1 = Implication(
    "q = 1, p = 1/2 only: A >= C_2/(C_1 - 1/2), m >= C_1 and b <= A m^{-1/2} give b' <= A (m+1)^{-1/2} (induction step of b_k = O(k^{-1/2}))",
    hypotheses=[_m >= _C1, _A * (_C1 - sp.Rational(1, 2)) >= _C2, _C1 > sp.Rational(1, 2), sp.Eq(_sm**2, _m), sp.Eq(_sm1**2, _m + 1), sp.Symbol("b", nonnegative=True) <= _A / _sm],
    conclusion=sp.Le((1 - _C1 / _m) * sp.Symbol("b", nonnegative=True) + _C2 / (_m * _sm), _A / _sm1),
    statement=r"b\le\frac{A}{\sqrt m},\ A\ge\frac{C_2}{C_1-\frac12},\ m\ge C_1\implies\Big(1-\frac{C_1}{m}\Big)b+\frac{C_2}{m^{3/2}}\le\frac{A}{\sqrt{m+1}}",
    note=(r"By induction, $b_k\le A(k+n_0)^{-1/2}$ for all $k\ge k_0$ once it holds at $k_0$ (any $A\ge\max\{\frac{C_2}{C_1-1/2},\,b_{k_0}\sqrt{k_0+n_0}\}$, $k_0+n_0\ge C_1$): "
          r"this proves the rate $b_k=O(k^{-1/2})$ for $p=\frac12$ (z3 needs a concrete exponent); it does not prove the sharp constant $\frac{C_2}{C_1-p}+o(1)$, nor any other $p$."),
)
cases_q1 = [Recursion(Q(1), Q(1, 2), Q(2), Q(1), Q(1)), Recursion(Q(1), Q(1, 2), Q(2), Q(1), Q(1), Q(10)), Recursion(Q(1), Q(1, 2), Q(1), Q(2), Q(3)), Recursion(Q(1), Q(1), Q(3), Q(1, 2), Q(2)), Recursion(Q(1), Q(2), Q(4), Q(1), Q(1))]
seq_q1 = SequenceLimit(
    "q = 1: k^p b_k -> C_2/(C_1 - p) (equality recursion, several parameters)",
    cases_q1,
    lambda r: arb_of(r.C2) / (arb_of(r.C1) - arb_of(r.p)),
    statement=r"k^pb_k\to\frac{C_2}{C_1-p}",
    note="Includes $p=\\frac12$ (where the stated $1/k$ rate fails), $p=1$ (where it coincides) and $p=2$ (where $1/k$ holds but is not sharp).",
)
_bb, _ee, _TT = sp.symbols("b e T", real=True)
comparison_q1 = Implication(
    "comparison: b_k <= e_k and 1 - C_1/m >= 0 give b_{k+1} <= e_{k+1} for the equality sequence e (every p, q = 1)",
    hypotheses=[_bb <= _ee, _m >= _C1],
    conclusion=sp.Le((1 - _C1 / _m) * _bb + _TT, (1 - _C1 / _m) * _ee + _TT),
    statement=r"b\le e,\ m\ge C_1>0\implies\Big(1-\frac{C_1}{m}\Big)b+T\le\Big(1-\frac{C_1}{m}\Big)e+T\quad(T=C_2m^{-1-p},\ \text{any }p)",
    note="So $b_k\\le e_k$ for $k\\ge k_0$, where $e$ satisfies (4.2) with equality from $e_{k_0}=b_{k_0}$ and $k_0+n_0\\ge C_1$.",
)
corrected_43 = Derivation(
    "corrected (4.3), general p > 0: q = 1, C_1 > p gives b_k <= C_2/(C_1 - p) k^{-p} + o(k^{-p}) (comparison proved, limit iterated numerically)",
    start=r"b_k",
    steps=[
        Step("<=", r"e_k\ \ (\text{(4.2) with equality from }e_{k_0}=b_{k_0},\ k_0+n_0\ge C_1)", "comparison: the factor $1-C_1/(k+n_0)$ is $\\ge0$ for $k\\ge k_0$", check=comparison_q1),
        Step("=", r"\frac{C_2}{C_1-p}k^{-p}+o(k^{-p})", "the equality sequence: $k^pe_k\\to\\frac{C_2}{C_1-p}$, iterated in Arb for $p\\in\\{\\frac12,1,2\\}$ and several $C_1,C_2,n_0$, $b_1$", check=seq_q1),
    ],
    statement=r"q=1,\ C_1>p>0:\quad b_k\le\frac{C_2}{C_1-p}k^{-p}+o(k^{-p})",
    note=(r"Verdict \emph{checked}, not proved: the comparison is proved for every $p$, but the limit of the equality sequence rests on iteration to $K=10^5$ with Richardson extrapolation "
          r"for finitely many parameter sets. Symbolic support: the z3 induction step for $p=\frac12$ (the rate $O(k^{-1/2})$, proved) and the leading coefficient $A(C_1-p)-C_2$ of the ansatz residual (general $p$, proved)."),
)

# (4.4): q < 1
cases_q_lt_1 = [Recursion(Q(1, 2), Q(1, 2), Q(1), Q(1), Q(1)), Recursion(Q(3, 4), Q(3, 4), Q(2), Q(1), Q(1)), Recursion(Q(2, 3), Q(1), Q(1, 2), Q(1), Q(2))]
seq_q_lt_1 = SequenceLimit(
    "q < 1: k^p b_k -> C_2/C_1 (equality recursion, several parameters)",
    cases_q_lt_1,
    lambda r: arb_of(r.C2) / arb_of(r.C1),
    statement=r"k^pb_k\to\frac{C_2}{C_1}",
    note="The approach is slow ($O(k^{q-1})$ relative), so the limit is estimated by Richardson extrapolation from $K/10$ and $K$ (tolerance 1\\%), and the distance must decrease.",
)


def _lead_q_lt_1(q: sp.Rational, p: sp.Rational) -> Identity:
    """(4.4) for q < 1: the leading coefficient of the residual of the ansatz A m^{-p} in (4.2) with equality, for one (q, p)."""
    resid = _A * ((1 + _x) ** (-p) - 1) * _x ** (-q) + _C1 * _A - _C2  # times m^{p+q}, x = 1/m
    return Identity(  # the limit is left unevaluated (sp.Limit) and taken in the check
        f"q = {q}, p = {p}: residual of the ansatz A m^(-p) is (C_1 A - C_2) m^(-p-q) + o(m^(-p-q))",
        sp.Limit(resid, _x, 0),
        _C1 * _A - _C2,
        statement=rf"q={sp.latex(q)},\ p={sp.latex(p)}:\ \lim_{{m\to\infty}}m^{{p+q}}\Big[A(m+1)^{{-p}}-\Big(1-\frac{{C_1}}{{m^q}}\Big)Am^{{-p}}-\frac{{C_2}}{{m^{{q+p}}}}\Big]=C_1A-C_2",
    )


lead_44 = [_lead_q_lt_1(sp.Rational(1, 2), sp.Rational(1, 2)), _lead_q_lt_1(sp.Rational(3, 4), sp.Rational(3, 4)), _lead_q_lt_1(sp.Rational(2, 3), sp.Integer(1))]

register(
    Entry(
        id="sgdloj.chung-lemma",
        title="Lemma 4.1 (Chung): rates of sequences with b_{k+1} <= (1 - C_1/(k+n_0)^q) b_k + C_2/(k+n_0)^{q+p}",
        where="Section 4, Lemma 4.1 (4.2)-(4.4)",
        statement=(
            r"Let $\{b_k\}_{k\ge1}$ be a non-negative sequence such that $b_{k+1}\le(1-\frac{C_1}{(k+n_0)^q})b_k+\frac{C_2}{(k+n_0)^{q+p}}$ (4.2), "
            r"where $q\in(0,1]$, $p>0$ and $C_1,C_2>0$, then 1. if $q=1$ and $C_1>p$, we have $b_k\le\frac{C_2}{C_1-p}\frac1k+o(\frac1k)$ (4.3); "
            r"2. if $q<1$, we have $b_k\le\frac{C_2}{C_1}\frac1{k^p}+o(\frac1{k^p})$ (4.4)."
        ),
        hypotheses=[r"$b_k\ge0$", r"$q\in(0,1]$, $p>0$, $C_1,C_2>0$"],
        checks=[stated_43, seq_q_lt_1, *lead_44],
        corrected=[corrected_43, invariant_q1, lead_q1],
        status=Status.ERRATUM,
        reading=(
            r"(4.3) prints the rate $\frac1k$ for every $p>0$; Chung's lemma gives $\frac{C_2}{C_1-p}k^{-p}$. The two agree for $p=1$ (the only case used, in Lemma 4.2 with $p=q=1$); "
            r"for $p>1$ the printed bound holds but is not sharp, for $p<1$ it is false (counterexample above). $o(\cdot)$ is read as $k\to\infty$ with the parameters fixed."
        ),
    )
)
