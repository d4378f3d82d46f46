"""pauwels.sufficient-decrease: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "Proof sketch of convergence under KL assumption", "Accumulation points are critical".

GD with alpha = 1/L: F(x_{k+1}) <= F(x_k) - ||grad F(x_k)||^2/(2L), sum_i ||grad F(x_i)||^2 <= 2L F(x_0), so
grad F(x_k) -> 0 and accumulation points are critical.

Gradient descent runs are computed inside each backend (mpmath for the search, Arb balls for confirmation).
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, Claim, Derivation, Expect, Identity, Implication, Objective, Step
from symbolic.backends import Backend, Number
from symbolic.families import least_squares, nonnegative_smooth, quadratics, ridge_sums
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases, points_for
from theorems.catalogue.pauwels._common import gd_path
from theorems.catalogue.pauwels._descent import smoothness_constant
from theorems.registry import Entry, Status, register

_Ls, _n2 = sp.symbols("L n2", positive=True)


global_smooth = st.one_of(quadratics(), ridge_sums(), least_squares(), nonnegative_smooth())
step_cases = objective_cases(global_smooth, points=("x",))



_gv = sp.symbols("g1:4", real=True)
_G2 = sum(v**2 for v in _gv)
decrease_identity = Identity(
    "<g, -g/L> + L/2 ||g/L||^2 = -||g||^2/(2L)",
    sum(g * (-g / _Ls) for g in _gv) + _Ls / 2 * sum((g / _Ls) ** 2 for g in _gv),
    -_G2 / (2 * _Ls),
    statement=r"\langle g,-g/L\rangle+\frac L2\|g/L\|^2=-\frac{1}{2L}\|g\|^2",
    scope="d = 3; the computation is coordinatewise",
)
decrease_derivation = Derivation(
    "sufficient decrease from the descent lemma with y = x_{k+1} = x_k - grad F(x_k)/L",
    start=r"F(x_{k+1})",
    steps=[
        Step(
            "<=",
            r"F(x_k)+\langle\nabla F(x_k),x_{k+1}-x_k\rangle+\frac L2\|x_{k+1}-x_k\|^2",
            r"descent lemma at $y=x_{k+1}$",
            check=NotationClaim(
                "descent lemma at y = x - grad F(x)/L",
                "Fstep(x, 1/L) <= F(x) + dot(grad(x), gradstep(x, 1/L) - x) + L/2*norm(gradstep(x, 1/L) - x)^2",
                cases=step_cases,
            ),
        ),
        Step("=", r"F(x_k)-\frac{1}{2L}\|\nabla F(x_k)\|^2", r"$x_{k+1}-x_k=-\nabla F(x_k)/L$", check=decrease_identity),
    ],
)
decrease_numeric = NotationClaim(
    "F(x_{k+1}) <= F(x_k) - ||grad F(x_k)||^2/(2L), alpha = 1/L",
    "Fstep(x, 1/L) <= F(x) - gradnorm(x)^2/(2*L)",
    cases=step_cases,
)
decrease_necessity = NotationClaim(
    "necessity: with alpha = 2/L sufficient decrease fails",
    "Fstep(x, 2/L) <= F(x) - gradnorm(x)^2/(2*L)",
    cases=objective_cases(quadratics(spectrum="convex"), points=("x",)),
    expect=Expect.REFUTED,
    role="necessity",
    note="For $F=\\frac L2x^2$ the step $2/L$ maps $x$ to $-x$: no decrease at all.",
)


@st.composite
def gd_run_cases(draw: st.DrawFn, family: st.SearchStrategy[Objective], kmax: int = 15) -> Case:
    f = draw(family)
    k = draw(st.integers(0, kmax))
    x0 = draw(points_for(f, 2))
    return Case(objective=f, params={"k": Q(k)}, points={"x": x0})


nonneg_runs = gd_run_cases(nonnegative_smooth(dim=(1, 2)))


def _run(c: Case, B: Backend, extra: int = 1) -> list[list[Number]]:
    f = c.objective
    assert f is not None
    return gd_path(f, B, c.x(B), 1 / smoothness_constant(c, B), int(c.params["k"]) + extra)


def _sum_grad2(c: Case, B: Backend) -> Number:
    f = c.objective
    assert f is not None
    path = _run(c, B)
    total = B.num(0)
    for x in path[:-1]:
        total = total + B.norm2(f.grad(B, x))
    return total


summability = Derivation(
    "summability of the squared gradients along GD",
    start=r"\sum_{i=0}^k\|\nabla F(x_i)\|_2^2",
    steps=[
        Step(
            "<=",
            r"2L(F(x_0)-F(x_{k+1}))",
            "sum of the sufficient decrease inequalities (telescoping)",
            check=Claim(
                "sum_i ||grad F(x_i)||^2 <= 2L(F(x_0) - F(x_{k+1})) along GD runs",
                cases=nonneg_runs,
                margin=lambda c, B: 2 * smoothness_constant(c, B) * (c.objective.value(B, _run(c, B)[0]) - c.objective.value(B, _run(c, B)[-1])) - _sum_grad2(c, B),  # type: ignore[union-attr]
                statement=r"\sum_{i=0}^k\|\nabla F(x_i)\|^2\le2L(F(x_0)-F(x_{k+1})),\ 0\le k\le15",
                note="Nonnegative smooth family; the iterates are computed exactly in Arb from a rational $x_0$.",
            ),
        ),
        Step(
            "<=",
            r"2LF(x_0)",
            r"$F\ge0$ ($\bar F=0$)",
            check=Claim(
                "2L(F(x_0) - F(x_{k+1})) <= 2L F(x_0) (F >= 0)",
                cases=nonneg_runs,
                margin=lambda c, B: c.objective.value(B, _run(c, B)[-1]),  # type: ignore[union-attr]
                statement=r"F(x_{k+1})\ge0",
            ),
        ),
    ],
)
grad_to_zero = Claim(
    "min_{i<=k} ||grad F(x_i)||^2 <= 2L F(x_0)/(k+1) (so grad F(x_k) -> 0)",
    cases=nonneg_runs,
    margin=lambda c, B: 2 * smoothness_constant(c, B) * c.objective.value(B, c.x(B)) / (c.p(B, "k") + 1) - B.min(*[B.norm2(c.objective.grad(B, x)) for x in _run(c, B)[:-1]]),  # type: ignore[union-attr]
    statement=r"\min_{i\le k}\|\nabla F(x_i)\|^2\le\frac{2LF(x_0)}{k+1}",
    note="The quantitative form of `the sum converges and $\\nabla F(x_k)\\to0$'.",
)
_Fk, _Fk1, _Gk = sp.symbols("F_k F_k1 G_k", real=True)
stationary_at_zero = Implication(
    "note: F(x_k) = 0 for some k makes the sequence stationary",
    hypotheses=[sp.Eq(_Fk, 0), _Fk1 >= 0, _Gk >= 0, _Fk1 <= _Fk - _Gk / (2 * _Ls)],
    conclusion=sp.And(sp.Eq(_Gk, 0), sp.Eq(_Fk1, 0)),
    statement=r"F\ge0,\ F(x_k)=0,\ F(x_{k+1})\le F(x_k)-\tfrac1{2L}\|\nabla F(x_k)\|^2\implies\nabla F(x_k)=0,\ F(x_{k+1})=0",
    note=r"So $x_{k+1}=x_k-\nabla F(x_k)/L=x_k$, and by induction the sequence is stationary.",
)
_gbar, _gk, _dk, _e = sp.symbols("gbar g_k d_k e", nonnegative=True)
accumulation_critical = Implication(
    "accumulation points are critical: ||grad F(xbar)|| <= ||grad F(x_k)|| + L||x_k - xbar|| <= 2 eps",
    hypotheses=[_gbar <= _gk + _Ls * _dk, _gk <= _e, _Ls * _dk <= _e],
    conclusion=_gbar <= 2 * _e,
    statement=(
        r"\|\nabla F(\bar x)\|\le\|\nabla F(x_{k_j})\|+L\|x_{k_j}-\bar x\|,\ \ \|\nabla F(x_{k_j})\|\le\varepsilon,\ "
        r"L\|x_{k_j}-\bar x\|\le\varepsilon\implies\|\nabla F(\bar x)\|\le2\varepsilon"
    ),
    note=r"Along a subsequence $x_{k_j}\to\bar x$ both terms tend to $0$ ($\nabla F(x_k)\to0$ above), so $\|\nabla F(\bar x)\|\le2\varepsilon$ for every $\varepsilon>0$: $\nabla F(\bar x)=0$.",
)

register(
    Entry(
        id="pauwels.sufficient-decrease",
        title="Sufficient decrease, summability, accumulation points are critical",
        where="Proof sketch of convergence under KL assumption: Accumulation points are critical",
        statement=(
            r"\textbf{Accumulation points are critical:} From the descent Lemma, we have $F(x_{k+1})\le F(x_k)-\frac1{2L}\|\nabla F(x_k)\|^2$, "
            r"$F(x_k)$ decreases and converge, say to $\bar F=0$. $\sum_{i=0}^k\|\nabla F(x_i)\|_2^2\le2L(F(x_0)-F(x_{k+1}))\le2LF(x_0)$. "
            r"The sum converges and $\nabla F(x_k)\to0$, all accumulation points are critical points."
        ),
        hypotheses=[r"$F$ $C^1$ with $L$-Lipschitz gradient, bounded below ($\bar F=0$ below)", r"$\alpha=1/L$"],
        checks=[decrease_derivation, decrease_numeric, summability, grad_to_zero, accumulation_critical, stationary_at_zero, decrease_necessity],
        status=Status.VERIFIED,
        reading="`Say to $\\bar F=0$': $F$ is shifted so that $\\lim F(x_k)=0$, hence $F(x_k)\\ge0$; the runs use nonnegative functions.",
    )
)
