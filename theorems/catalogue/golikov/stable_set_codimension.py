"""golikov.stable-set-codimension: slide "Corollary (Lee et al., 2016)".

"Let x* be a strict saddle, i.e. lambda_min(Hess f(x*)) < 0. Then codim W^s_loc = # eigenvalues of
Jg(x*) greater than 1 in abs. value = # eigenvalues of Hess f(x*) less than 0 > 0. Hence
mu(W^s_loc(x*)) = 0." With the stable manifold theorem of the previous slide
(dim W^s_loc = # eigenvalues of Jg(x*) of absolute value <= 1), Jg = I - alpha Hess f.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Bound,
    Case,
    Claim,
    Definition,
    Expect,
    Implication,
    Judgement,
    Objective,
    Verdict,
)
from symbolic.backends import Backend, Number
from symbolic.families import quadratics
from theorems.cases import objective_cases
from theorems.catalogue.golikov._common import BudgetedClaim, capped
from theorems.registry import Entry, Status, register

lam, alpha, L = sp.Symbol("lambda", real=True), sp.Symbol("alpha", positive=True), sp.Symbol("L", positive=True)


def eigen_correspondence(step_bound: sp.Expr = 1 / L, strict_negative: bool = True) -> Implication:
    """|1 - alpha lambda| > 1 iff lambda < 0, for |lambda| <= L and alpha < ``step_bound``."""
    neg = lam < 0 if strict_negative else lam <= 0
    return Implication(
        "for 0 < alpha < 1/L and |lambda| <= L: |1 - alpha lambda| > 1 iff lambda < 0",
        hypotheses=[sp.Abs(lam) <= L, alpha < step_bound],
        conclusion=sp.Equivalent(sp.Abs(1 - alpha * lam) > 1, neg),
        statement=r"|\lambda|\le L,\ 0<\alpha<\tfrac1L\implies\big(|1-\alpha\lambda|>1\iff\lambda<0\big)",
        note="The eigenvalues of $Jg(x^*)=I-\\alpha\\nabla^2f(x^*)$ are $1-\\alpha\\lambda_i$ (same eigenvectors), so the two counts agree term by term; a strict saddle has some $\\lambda_i<0$, so the count is $>0$.",
    )


def exact_counts(H: sp.Matrix, a: sp.Rational) -> tuple[int, int]:
    """(# eigenvalues of I - a H with |.| > 1, # eigenvalues of H < 0), from the exact real roots."""
    roots = sp.real_roots(H.charpoly())
    if len(roots) != H.rows:
        raise ValueError("H is not symmetric")
    return sum(1 for r in roots if abs(1 - a * r) > 1), sum(1 for r in roots if r < 0)


CountFn = Callable[[sp.Matrix, sp.Rational], tuple[int, int]]


def count_margin(counts: CountFn = exact_counts) -> Callable[[Case, Backend], Number]:
    def margin(c: Case, B: Backend) -> Number:
        f = c.objective
        assert f is not None
        H = sp.Matrix(f.hessian)  # constant for a quadratic: the Hessian at its critical point
        a = c.params["alpha"]
        n_jg, n_neg = counts(H, sp.Rational(a.numerator, a.denominator))
        return B.num(-abs(n_jg - n_neg))

    return margin


def _below_one_over_L(f: Objective) -> Bound:
    assert f.constants.L is not None
    return Bound(Q(0), 1 / f.constants.L)


COUNTS_NAME = "#{|eig Jg| > 1} = #{eig Hess f < 0} at saddles of random quadratics"
COUNTS_TITLE = r"$\#\{\lvert \operatorname{eig} Jg\rvert > 1\} = \#\{\operatorname{eig} \operatorname{Hess} f < 0\}$ at saddles of random quadratics"


def counts_claim(counts: CountFn = exact_counts, name: str = COUNTS_NAME) -> Claim:
    return BudgetedClaim(
        name,
        title_latex=COUNTS_TITLE if name == COUNTS_NAME else "",
        cases=objective_cases(st.one_of(quadratics(dim=(2, 3), spectrum="indefinite"), quadratics(dim=(2, 3), spectrum="any")), params={"alpha": _below_one_over_L}),
        margin=count_margin(counts),
        statement=r"\#\{i:|1-\alpha\lambda_i|>1\}=\#\{i:\lambda_i<0\},\quad0<\alpha<1/L",
        note="Exact counts from the real roots of the characteristic polynomial of the rational Hessian at the quadratic's critical point.",
    )


x1, x2, x3 = sp.symbols("x1 x2 x3", real=True)


@dataclass(frozen=True)
class Saddle:
    f: sp.Expr
    xs: tuple[sp.Symbol, ...]
    point: tuple[sp.Expr, ...]
    alpha: sp.Rational


def corollary(s: Saddle) -> Judgement:
    """Both counts at the critical point, exactly; true when they agree and the point is a strict saddle."""
    at = dict(zip(s.xs, s.point, strict=True))
    assert all(sp.simplify(sp.diff(s.f, v).subs(at)) == 0 for v in s.xs), "not a critical point"
    H = sp.hessian(s.f, s.xs).subs(at)
    n_jg, n_neg = exact_counts(H, s.alpha)
    return Judgement(n_jg == n_neg and n_neg > 0, Verdict.PROVED, f"Hessian {H.tolist()}: #|eig Jg|>1 = {n_jg}, #eig<0 = {n_neg}")


SADDLES = [
    ("1 + cos x1 + x2^2/2 at 0 (codim 1)", Saddle(1 + sp.cos(x1) + x2**2 / 2, (x1, x2), (0, 0), sp.Rational(1, 2)), True),
    ("cos x1 + cos x2 + x3^2/2 at 0 (codim 2)", Saddle(sp.cos(x1) + sp.cos(x2) + x3**2 / 2, (x1, x2, x3), (0, 0, 0), sp.Rational(1, 2)), True),
    ("(x1^2 - x2^2)/2 + x1 x2/4 at 0", Saddle((x1**2 - x2**2) / 2 + x1 * x2 / 4, (x1, x2), (0, 0), sp.Rational(1, 2)), True),
    ("monkey saddle x1^3 - 3 x1 x2^2 at 0: not strict (Hessian 0), codim 0", Saddle(x1**3 - 3 * x1 * x2**2, (x1, x2), (0, 0), sp.Rational(1, 2)), False),
    ("x1^2 + x2^2 at 0: a minimum, codim 0", Saddle(x1**2 + x2**2, (x1, x2), (0, 0), sp.Rational(1, 4)), False),
]

register(
    Entry(
        id="golikov.stable-set-codimension",
        title="Corollary (Lee et al., 2016): codim W^s_loc = #{|eig Jg| > 1} = #{eig Hess f < 0} > 0",
        title_latex=r"Corollary (Lee et al., 2016): $\operatorname{codim} W^{s}_{\mathrm{loc}} = \#\{\lvert \operatorname{eig} Jg\rvert > 1\} = \#\{\operatorname{eig} \operatorname{Hess} f < 0\} > 0$",
        where="Local optimization: general case, Corollary (Lee et al., 2016)",
        statement=(
            r"Let $x^*$ be a strict saddle, i.e. $\lambda_{\min}(\nabla^2f(x^*))<0$. Then, $\operatorname{codim}W^s_{loc}=\#$ eigenvalues of "
            r"$Jg(x^*)$ greater than 1 in abs. value $=\#$ eigenvalues of $\nabla^2f(x^*)$ less than $0>0$. Hence $\mu(W^s_{loc}(x^*))=0$."
        ),
        hypotheses=[r"$f\in\mathcal C^{2,1}_L$", r"$\alpha\in(0,1/L)$ (the Proposition's step size)", r"$\dim W^s_{loc}=\#\{|\mathrm{eig}\,Jg(x^*)|\le1\}$ (stable manifold theorem)"],
        checks=[
            eigen_correspondence(),
            Implication(
                "a strict saddle has a positive count: lambda_min < 0 gives |1 - alpha lambda_min| > 1",
                hypotheses=[lam < 0, sp.Abs(lam) <= L, alpha < 1 / L],
                conclusion=sp.Abs(1 - alpha * lam) > 1,
                statement=r"\lambda_{\min}<0\implies|1-\alpha\lambda_{\min}|>1\implies\operatorname{codim}W^s_{loc}\ge1",
            ),
            counts_claim(),
            Definition(
                "the corollary at concrete critical points (strict saddles: yes; non-strict or minima: no)",
                capped(corollary),
                SADDLES,
                statement=r"\#\{|\mathrm{eig}\,Jg(x^*)|>1\}=\#\{\mathrm{eig}\,\nabla^2f(x^*)<0\}>0",
            ),
            Implication(
                "necessity: for alpha up to 3/L the counts differ (|1 - alpha L| > 1 at a positive eigenvalue)",
                hypotheses=[sp.Abs(lam) <= L, alpha < 3 / L],
                conclusion=sp.Equivalent(sp.Abs(1 - alpha * lam) > 1, lam < 0),
                expect=Expect.REFUTED,
                role="necessity",
                statement=r"|\lambda|\le L,\ 0<\alpha<\tfrac3L\implies\big(|1-\alpha\lambda|>1\iff\lambda<0\big)",
            ),
        ],
        status=Status.VERIFIED,
        reading=(
            "codim is taken in $\\mathbb R^d$: $d-\\dim W^s_{loc}$ with the slide's stable manifold theorem. The chain is read as two equalities "
            "and a strict inequality. $\\mu(W^s_{loc})=0$ follows because an embedded disk of positive codimension is Lebesgue-null (not re-checked here)."
        ),
    )
)
