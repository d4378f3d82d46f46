"""pauwels.semialgebraic: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 3 "On the structure of deep learning training loss", slides "Semi-algebraic sets and functions (SA)", "SA functions: examples", "Tarski-Seidenberg Theorem".

SA sets are finite unions of {P = 0, Q_1 > 0, ..., Q_l > 0}; the slide's examples (polynomials, rational powers, ||.||_1,
||.||_0, rank) are SA, projections of SA sets are SA (Tarski-Seidenberg), so first-order formulas define SA sets.
Quantified real formulas are decided by z3 (nonlinear real arithmetic with quantifiers).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as Q
from typing import Any

import sympy as sp
import z3

from symbolic import (
    Check,
    CheckSettings,
    Definition,
    Derivation,
    Evidence,
    Implication,
    Judgement,
    Outcome,
    Step,
    Verdict,
)
from symbolic.budgets import Z3_RLIMIT, z3_check, z3_solver
from symbolic.proofs import _Z3
from theorems.registry import Entry, Status, register


class Z3Theorem(Check):
    """A closed first-order formula over the reals (quantifiers allowed), decided by z3.

    ``formula()`` builds the z3 formula; ``proved`` when its negation is unsatisfiable,
    ``undecided`` otherwise (a satisfying model of the negation of a quantified formula is not
    turned into a counterexample here; no such check is expected refuted)."""

    kind = "S"

    def __init__(self, name: str, formula: Callable[[], Any], *, rlimit: int = Z3_RLIMIT, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.formula, self.rlimit = formula, rlimit

    def run(self, settings: CheckSettings) -> Outcome:
        s = z3_solver(rlimit=self.rlimit)
        s.add(z3.Not(self.formula()))
        res = z3_check(s)
        limits = {"rlimit": self.rlimit, "rlimit_used": res.rlimit_used}
        if res.unsat:
            return Outcome(Verdict.PROVED, Evidence(method="z3 (quantified nonlinear real arithmetic): the negation is unsatisfiable", extra=limits))
        return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details=f"{res.describe(self.rlimit)} on the negation", extra=limits))


def decide(formula: Any, rlimit: int = Z3_RLIMIT) -> bool | None:
    """Truth of a closed z3 formula over the reals, or None (z3's resource limit reached)."""
    s = z3_solver(rlimit=rlimit)
    s.add(formula)
    res = z3_check(s)
    return True if res.sat else False if res.unsat else None


X, Y, Z = z3.Reals("x y z")


def inner(xv: Any, yv: Any) -> Any:
    """exists z > 0, x^2 + y^2 + z = 1"""
    return z3.Exists([Z], z3.And(Z > 0, xv * xv + yv * yv + Z == 1))


def member(xv: Any) -> Any:
    """forall y <= 1, exists z > 0, x^2 + y^2 + z = 1"""
    return z3.ForAll([Y], z3.Implies(Y <= 1, inner(xv, Y)))


inner_elimination = Z3Theorem(
    "the inner quantifier: exists z > 0 with x^2 + y^2 + z = 1 iff x^2 + y^2 < 1",
    lambda: z3.ForAll([X, Y], inner(X, Y) == (X * X + Y * Y < 1)),
    statement=r"\big(\exists z>0,\ x^2+y^2+z=1\big)\iff x^2+y^2<1",
)
_xs, _ys = sp.symbols("x y", real=True)
take_y_minus_one = Implication(
    "y = -1 satisfies y <= 1 and violates x^2 + y^2 < 1 for every real x",
    hypotheses=[],
    # not(x^2 + (-1)^2 < 1), built unevaluated so that z3, not sympy at import, decides it
    # (the former encoding "x^2 + (-1)^2 < 1 => False" had its hypothesis evaluated to False)
    conclusion=sp.Ge(_xs**2 + (-1) ** 2, 1, evaluate=False),
    statement=r"\forall x\in\mathbb{R}:\ x^2+(-1)^2\ge1,\ \text{i.e. } y=-1\text{ violates } x^2+y^2<1",
    note="The universal quantifier ranges over all $y\\le1$, so $y^2$ is unbounded; already $y=-1$ (or any $y\\le-1$) violates $x^2+y^2<1$.",
)
set_is_empty = Z3Theorem(
    "the set {x : forall y <= 1, exists z > 0, x^2 + y^2 + z = 1} is empty",
    lambda: z3.Not(z3.Exists([X], member(X))),
    statement=r"\{x:\ \forall y\le1,\ \exists z>0,\ x^2+y^2+z=1\}=\emptyset",
)
formula_derivation = Derivation(
    "quantifier elimination of the slide's first-order formula",
    start=r"x\in\{x:\ \forall y\le1,\ \exists z>0,\ x^2+y^2+z=1\}",
    steps=[
        Step("<=>", r"\forall y\le1,\ x^2+y^2<1", "eliminate $z$: take $z=1-x^2-y^2$", check=inner_elimination),
        Step("=>", r"x^2+1<1", "instantiate $y=-1\\le1$", check=take_y_minus_one),
        Step("<=>", r"x\in\emptyset", "no real $x$ has $x^2<0$; the whole set is empty (z3, quantified)", check=set_is_empty),
    ],
)


def membership(xq: Q) -> Judgement:
    r = decide(member(z3.RealVal(f"{xq.numerator}/{xq.denominator}")))
    return Judgement(r, Verdict.PROVED if r is not None else Verdict.UNDECIDED, f"z3 decides the quantified formula at x = {xq}: {r}")


formula_samples = Definition(
    "membership decided by z3 at rational sample points: none belongs",
    membership,
    [(f"x = {v}", v, False) for v in (Q(0), Q(1, 2), Q(-1, 3), Q(1), Q(2), Q(1, 1000))],
    statement=r"x\notin\{x:\ \forall y\le1,\ \exists z>0,\ x^2+y^2+z=1\},\ x\in\{0,\tfrac12,-\tfrac13,1,2,10^{-3}\}",
)


def restricted_member(xv: Any) -> Any:
    return z3.ForAll([Y], z3.Implies(z3.And(Y < 1, Y > -1), inner(xv, Y)))


contrast = Z3Theorem(
    "contrast: quantifying over |y| < 1 instead gives the set {0}",
    lambda: z3.ForAll([X], restricted_member(X) == (X == 0)),
    statement=r"\{x:\ \forall y\in(-1,1),\ \exists z>0,\ x^2+y^2+z=1\}=\{0\}",
    note="Not the slide's formula: shows that the emptiness comes from the unbounded range $y\\le1$.",
)


Basic = tuple[sp.Expr, list[sp.Expr]]  # {P = 0, Q_1 > 0, ..., Q_l > 0}


def _holds(tr: _Z3, desc: list[Basic]) -> Any:
    return z3.Or([z3.And(tr.expr(P) == 0, *[tr.expr(Qi) > 0 for Qi in Qs]) for P, Qs in desc])


def describes_graph(ex: tuple[list[sp.Symbol], sp.Symbol, list[Basic], Callable[[_Z3], Any]]) -> Judgement:
    """z3 proves: forall x, z: (x, z) in A  <=>  z = f(x), A given by finitely many systems P = 0, Q_i > 0."""
    xs, zsym, desc, f = ex
    tr = _Z3()
    zz = tr.var(zsym)
    fx = f(tr)
    vs = [tr.var(v) for v in xs] + [zz]
    A = _holds(tr, desc)
    aux = [z3.Real(f"_aux{i}") for i in range(1, tr.aux + 1)]  # rational powers: y >= 0, y^q = P^p, determined by x
    formula = z3.ForAll(vs + aux, z3.Implies(z3.And(*tr.side), A == (zz == fx))) if tr.side else z3.ForAll(vs, A == (zz == fx))
    s = z3_solver()
    s.add(z3.Not(formula))
    res = z3_check(s)
    r = res.answer
    if r == z3.unknown:
        return Judgement(None, Verdict.UNDECIDED, res.describe())
    return Judgement(r == z3.unsat, Verdict.PROVED, "graph = finite union of {P=0, Q_i>0}" if r == z3.unsat else "the description is not the graph")


x1, x2, zs = sp.symbols("x1 x2 z", real=True)
a11, a12, a21, a22 = sp.symbols("a11 a12 a21 a22", real=True)
P1 = x1**3 - 2 * x1
PQ_pos, PQ_neg = x1**2, 1 - x1


def _l1_desc() -> list[Basic]:
    out: list[Basic] = []
    for s1 in (-1, 0, 1):
        for s2 in (-1, 0, 1):
            P = (zs - s1 * x1 - s2 * x2) ** 2 + (x1**2 if s1 == 0 else 0) + (x2**2 if s2 == 0 else 0)
            out.append((P, [s * v for s, v in ((s1, x1), (s2, x2)) if s != 0]))
    return out


def _l0_desc() -> list[Basic]:
    out: list[Basic] = []
    for S in ((), (0,), (1,), (0, 1)):
        P = (zs - len(S)) ** 2 + sum(v**2 for i, v in enumerate((x1, x2)) if i not in S)
        out.append((P, [(x1, x2)[i] ** 2 for i in S]))
    return out


_det = a11 * a22 - a12 * a21
_ssq = a11**2 + a12**2 + a21**2 + a22**2
RANK_DESC: list[Basic] = [(zs**2 + _ssq, []), ((zs - 1) ** 2 + _det**2, [_ssq]), ((zs - 2) ** 2, [_det**2])]


def _zabs(v: Any) -> Any:
    return z3.If(v >= 0, v, -v)


def _rank_z3(tr: _Z3) -> Any:
    A = [tr.var(s) for s in (a11, a12, a21, a22)]
    det = A[0] * A[3] - A[1] * A[2]
    return z3.If(det != 0, 2, z3.If(z3.And(*[a == 0 for a in A]), 0, 1))


SA_EXAMPLES = [
    ("polynomial x^3 - 2x", ([x1], zs, [(zs - P1, [])], lambda tr: tr.expr(P1)), True),
    ("piecewise: x^2 if x > 0, 1 - x otherwise", ([x1], zs, [(zs - PQ_pos, [x1]), (zs - PQ_neg, [-x1]), ((zs - 1) ** 2 + x1**2, [])], lambda tr: z3.If(tr.var(x1) > 0, tr.expr(PQ_pos), tr.expr(PQ_neg))), True),
    ("rational 1/(1 + x^2)", ([x1], zs, [(zs * (1 + x1**2) - 1, [])], lambda tr: 1 / tr.expr(1 + x1**2)), True),
    ("rational power (1 + x^2)^(3/2)", ([x1], zs, [(zs**2 - (1 + x1**2) ** 3, [zs])], lambda tr: tr.expr((1 + x1**2) ** sp.Rational(3, 2))), True),
    ("l1 norm |x1| + |x2|", ([x1, x2], zs, _l1_desc(), lambda tr: _zabs(tr.var(x1)) + _zabs(tr.var(x2))), True),
    ("l0 pseudo-norm of (x1, x2)", ([x1, x2], zs, _l0_desc(), lambda tr: z3.If(tr.var(x1) != 0, 1, 0) + z3.If(tr.var(x2) != 0, 1, 0)), True),
    ("rank of 2x2 matrices", ([a11, a12, a21, a22], zs, RANK_DESC, _rank_z3), True),
    ("non-example: {z^2 = x^2} is not the graph of |x|", ([x1], zs, [(zs**2 - x1**2, [])], lambda tr: _zabs(tr.var(x1))), False),
    ("non-example: {z^2 = (1 + x^2)^3} without z > 0", ([x1], zs, [(zs**2 - (1 + x1**2) ** 3, [])], lambda tr: tr.expr((1 + x1**2) ** sp.Rational(3, 2))), False),
    ("non-example: the piecewise description without the point x = 0", ([x1], zs, [(zs - PQ_pos, [x1]), (zs - PQ_neg, [-x1])], lambda tr: z3.If(tr.var(x1) > 0, tr.expr(PQ_pos), tr.expr(PQ_neg))), False),
]

sa_examples = Definition(
    "SA function examples: each graph is a finite union of sets {P = 0, Q_1 > 0, ..., Q_l > 0}",
    describes_graph,
    SA_EXAMPLES,
    statement=r"\mathrm{graph}_F=\textstyle\bigcup_j\{(x,z):P_j(x,z)=0,\ Q_{j,1}(x,z)>0,\dots\}",
    note=(
        "For each example an explicit description by finitely many polynomial systems is given and z3 proves "
        "$\\forall x,z:\\ (x,z)\\in A\\iff z=F(x)$ (rank and $\\|\\cdot\\|_0$ through case splits, $P^{q}$ through $z^2=P^3$, $z>0$). "
        "Non-examples: wrong descriptions are rejected."
    ),
)

projection = Z3Theorem(
    "Tarski-Seidenberg on an example: the projection of {y^2 = x} is {x >= 0}",
    lambda: z3.ForAll([X], z3.Exists([Y], Y * Y == X) == (X >= 0)),
    statement=r"\pi(\{(x,y):y^2=x\})=\{x:\ \exists y,\ y^2=x\}=\{x\ge0\}",
)
_E = z3.Real("eps")
interior = Z3Theorem(
    "interior by a first-order formula: int [0,1] = (0,1)",
    lambda: z3.ForAll([X], z3.Exists([_E], z3.And(_E > 0, z3.ForAll([Y], z3.Implies(z3.And(Y - X < _E, X - Y < _E), z3.And(Y >= 0, Y <= 1))))) == z3.And(X > 0, X < 1)),
    statement=r"\{x:\ \exists\varepsilon>0,\ \forall y\in B_{\varepsilon,x},\ y\in[0,1]\}=(0,1)",
)
image = Z3Theorem(
    "image of an SA map by a first-order formula: Im(x -> x^2 - 2x) = [-1, +inf)",
    lambda: z3.ForAll([Y], z3.Exists([X], Y == X * X - 2 * X) == (Y >= -1)),
    title_latex=r"image of an SA map by a first-order formula: $\operatorname{Im}(x \mapsto x^2 - 2x) = [-1, +\infty)$",
    statement=r"\{y:\ \exists x,\ y=x^2-2x\}=[-1,+\infty)",
)

register(
    Entry(
        id="pauwels.semialgebraic",
        title="Semi-algebraic sets and functions; examples; Tarski-Seidenberg and first-order formulas",
        where="Semi-algebraic sets and functions (SA); SA functions: examples; Tarski-Seidenberg Theorem",
        statement=(
            r"SA set: union of finitely many sets $\{x\in\mathbb{R}^p: P(x)=0, Q_1(x)>0,\dots,Q_l(x)>0\}$; SA map: its graph is SA. "
            r"Examples: polynomials, piecewise polynomials, rational functions, rational powers $P(x)^q$, $\|\cdot\|_1$, $\|\cdot\|_0$, rank. "
            r"Tarski-Seidenberg: projections of SA sets are SA. First order formula example: $\{x, \forall y\le1, \exists z>0, x^2+y^2+z=1\}$. "
            r"Consequences: images, interiors, derivatives of SA objects are SA."
        ),
        checks=[formula_derivation, formula_samples, contrast, sa_examples, projection, interior, image],
        status=Status.VERIFIED,
        reading=(
            "The slide's first-order formula example defines the EMPTY set: $z$ eliminates to $x^2+y^2<1$, and $y$ ranges over "
            "all $y\\le1$, including $y=-1$, so $x^2<0$ would be needed. This is consistent with the slide, which only uses it as an "
            "example of a first-order formula (the empty set is SA). $P(x)^q$ is read for $P>0$ (here $P=1+x^2$, $q=3/2$). The "
            "derivative formula of the slide is not decided: z3 does not terminate on its three alternating quantifiers."
        ),
    )
)
