"""pauwels.kl-half-linear-rate: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "Variant: KL 1/2 and linear convergence" (and its Remark).

With phi(t) = 2 sqrt(t/c), once trapped ||grad F(x_i)||^2 >= c F(x_i) and F(x_{i+1}) <= (1 - c/(2L)) F(x_i): linear
convergence; with eps = +oo the rate is global (Remark: F(x-bar) = 0 is not needed).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Case,
    Claim,
    Constants,
    Derivation,
    Expect,
    Identity,
    Implication,
    Objective,
    Step,
)
from symbolic.backends import Backend, Number
from symbolic.families import rationals, ridge_sums
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases, points_for
from theorems.catalogue.pauwels._common import arb_positive, gd_path
from theorems.catalogue.pauwels._descent import (
    LOCAL_KL_C,
    LOCAL_KL_EPS,
    ONE_MINUS_COS,
    SIN_PL,
    SIN_PL_C,
    phi,
    pl_objectives,
    smoothness_constant,
    x_scalar,
)
from theorems.registry import Entry, Status, register

_Ls, _n2 = sp.symbols("L n2", positive=True)


_u, _v, _s, _w = sp.symbols("u v s w", positive=True)


_cp = sp.Symbol("c", positive=True)
half_identity = Identity(
    "phi(t) = 2 sqrt(t/c): 1/phi'(t)^2 = c t",
    1 / sp.Derivative(2 * sp.sqrt(_s / _cp), _s) ** 2,  # differentiated in the check, not at import
    _cp * _s,
    statement=r"\varphi(t)=2\sqrt{t/c}\implies\frac{1}{\varphi'(t)^2}=ct",
)
_Fi, _Gi = sp.symbols("F_i G_i", nonnegative=True)
half_step_z3 = Implication(
    "||g||^2 >= c F gives F - ||g||^2/(2L) <= F (1 - c/(2L))",
    hypotheses=[_Gi >= _cp * _Fi],
    conclusion=_Fi - _Gi / (2 * _Ls) <= _Fi * (1 - _cp / (2 * _Ls)),
    statement=r"\|\nabla F(x_i)\|^2\ge cF(x_i)\implies F(x_i)-\tfrac{1}{2L}\|\nabla F(x_i)\|^2\le F(x_i)\big(1-\tfrac{c}{2L}\big)",
)


@st.composite
def pl_point_cases(draw: st.DrawFn, kmax: int = 0, c_factor: Q = Q(1)) -> Case:
    f, c = draw(pl_objectives())
    x = draw(points_for(f, 3) | st.tuples(*[rationals(-1, 1, denominator=256)] * f.dim))
    return Case(objective=f, params={"c": c * c_factor, "k": Q(draw(st.integers(0, kmax)))}, points={"x": x})


def _pos(c: Case) -> bool:
    f = c.objective
    assert f is not None
    return arb_positive(lambda B: f.value(B, [B.num(v) for v in c.points["x"]]))


half_grad = NotationClaim(
    "||grad F(x_i)||^2 >= 1/phi'(F(x_i))^2 = c F(x_i) > 0",
    "gradnorm(x)^2 >= c*F(x)",
    cases=pl_point_cases(),
    params=("c",),
    hypotheses=["F(x) > 0"],
    domain=r"\varphi(t)=2\sqrt{t/c},\ \tfrac{1}{\varphi'(F(x))^2}=cF(x)",
    note="Global KL 1/2 functions: convex quadratics ($c=2\\mu$) and $x^2+3\\sin^2x$ ($c=1/16$).",
)
half_derivation = Derivation(
    "linear rate: F(x_{i+1}) <= F(x_i)(1 - c/(2L))",
    start=r"F(x_{i+1})",
    steps=[
        Step(
            "<=",
            r"F(x_i)-\frac{1}{2L}\|\nabla F(x_i)\|^2",
            "descent Lemma",
            check=NotationClaim(
                "sufficient decrease on the KL-1/2 functions",
                "Fstep(x, 1/L) <= F(x) - gradnorm(x)^2/(2*L)",
                cases=pl_point_cases(),
            ),
        ),
        Step(
            "<=",
            r"F(x_i)\Big(1-\frac{c}{2L}\Big)",
            "KL 1/2",
            check=NotationClaim(
                "F(x_i) - ||grad F(x_i)||^2/(2L) <= F(x_i)(1 - c/(2L))",
                "F(x) - gradnorm(x)^2/(2*L) <= F(x)*(1 - c/(2*L))",
                cases=pl_point_cases(),
                params=("c",),
                proof=half_step_z3,
            ),
        ),
    ],
)


def _global_rate_margin(c: Case, B: Backend, size: Callable[[Number], Number] = lambda v: v) -> Number:
    """size(F(x_0)) (1 - c/(2L))^k - size(F(x_k)) along k GD steps with alpha = 1/L."""
    f = c.objective
    assert f is not None
    k = int(c.params["k"])
    path = gd_path(f, B, c.x(B), 1 / smoothness_constant(c, B), k)
    rho = 1 - c.p(B, "c") / (2 * smoothness_constant(c, B))
    return size(f.value(B, path[0])) * B.ipow(rho, k) - size(f.value(B, path[-1]))


half_global = Claim(
    "remark eps = infinity: F(x_k) <= (1 - c/(2L))^k F(x_0) from every x_0",
    cases=pl_point_cases(kmax=25),
    margin=_global_rate_margin,
    statement=r"\|\nabla F\|^2\ge cF\ \text{on}\ \mathbb{R}^p\implies F(x_k)\le\big(1-\tfrac{c}{2L}\big)^kF(x_0)\to0",
)
sin_pl = NotationClaim(
    "hypothesis check: x^2 + 3 sin^2 x satisfies |F'|^2 >= F/16 on [-40, 40]",
    "gradnorm(x)^2 >= c*F(x)",
    cases=st.one_of(rationals(-40, 40, denominator=64), st.integers(1, 60).map(lambda k: Q(1, 2**k)), st.integers(1, 60).map(lambda k: -Q(1, 2**k))).map(lambda v: Case(objective=SIN_PL, points={"x": (v,)})),
    values={"c": SIN_PL_C},
    domain=r"F(x)=x^2+3\sin^2x,\ c=\tfrac1{16}",
    note="Outside $[-40,40]$: $|F'|\\ge2|x|-3$ and $F\\le x^2+3$ give it directly.",
)
def _one_minus(f: Objective) -> Objective:
    """a cos(w x + b) -> |a| (1 - cos(w x + b)): nonnegative, same L."""
    (arg,) = [a.args[0] for a in sp.preorder_traversal(f.expr) if isinstance(a, sp.cos)][:1]
    coef = sp.Abs(f.expr.coeff(sp.cos(arg)))
    return Objective("|a|(1 - cos(wx + b))", f.variables, coef * (1 - sp.cos(arg)), Constants(L=f.constants.L, lower=Q(0)))


half_necessity = NotationClaim(
    "necessity: without the KL inequality the rate fails (nonnegative smooth functions, c = L/8)",
    "Fstep(x, 1/L) <= F(x)*(1 - (L/8)/(2*L))",
    cases=objective_cases(ridge_sums(dim=1, terms=1, activations=("cos",)).map(_one_minus), points=("x",)),
    expect=Expect.REFUTED,
    role="necessity",
    domain=r"c=L/8,\ F=|a|(1-\cos(wx+b))",
    note="$F=|a|(1-\\cos(wx+b))\\ge0$ is smooth but not KL 1/2 globally (critical points with $F=2|a|>0$, where GD does not move).",
)

NEG_BUMP = Objective(
    "-1/(1 + x^2)",
    (x_scalar,),
    -1 / (1 + x_scalar**2),
    Constants(L=Q(2), lower=Q(-1), minimizer=(Q(0),), minimum=Q(-1), how="F'' = 2(1 - 3x^2)/(1 + x^2)^3 in [-1/2, 2]"),
)


def _abs_global_rate_margin(c: Case, B: Backend) -> Number:
    return _global_rate_margin(c, B, size=B.abs)


half_global_needs_nonnegative = Claim(
    "necessity: the eps = infinity remark needs F >= 0 (F = -1/(1+x^2) satisfies ||grad F||^2 >= cF everywhere)",
    cases=st.tuples(rationals(-2, 2, denominator=64), st.integers(0, 40)).map(
        lambda a: Case(objective=NEG_BUMP, params={"c": Q(1), "k": Q(a[1])}, points={"x": (a[0],)})
    ),
    margin=_abs_global_rate_margin,
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"F=-\tfrac{1}{1+x^2}<0:\ \|\nabla F\|^2\ge cF\ \forall x,\ \text{yet}\ |F(x_k)|\to1\ \text{, not}\ \le(1-\tfrac c{2L})^k|F(x_0)|\to0",
    note=(
        r"The remark's hypothesis $\|\nabla F\|^2\ge cF$ holds trivially where $F<0$; gradient descent ($L=2$, $c=1$) converges "
        r"to the minimizer $0$ where $F=-1$, so $F(x_k)$ does not tend to $0$. The slide's setting has $F(x_k)$ decreasing to "
        r"$\bar F=0$, hence $F\ge0$ along the iterates: the hypothesis the entry states."
    ),
)

# the local case (finite epsilon): 1 - cos x is KL 1/2 with c = 1 only on |x| < 3/2 (see the trap)


def _local_where(c: Case) -> bool:
    """The slide's assumption ||x_k - xbar|| + 2 phi(F(x_k)) < eps at x_k = x_0, and F(x_0) > 0 (exact balls)."""
    x0 = c.points["x"][0]
    if x0 == 0:
        return False
    return arb_positive(lambda B: c.p(B, "eps") - B.abs(B.num(x0)) - 2 * phi(c, B, ONE_MINUS_COS.value(B, [B.num(x0)])))


def _local_rate_margin(c: Case, B: Backend) -> Number:
    """F(x_0)(1 - c/(2L))^j - F(x_j) along j GD steps (alpha = 1/L) on 1 - cos x."""
    j = int(c.params["k"])
    path = gd_path(ONE_MINUS_COS, B, c.x(B), 1 / B.num(ONE_MINUS_COS.constants.L), j)
    rho = 1 - c.p(B, "c") / (2 * B.num(ONE_MINUS_COS.constants.L))
    return ONE_MINUS_COS.value(B, path[0]) * B.ipow(rho, j) - ONE_MINUS_COS.value(B, path[-1])


half_local = Claim(
    "local case (finite eps): 1 - cos x, KL 1/2 with c = 1 on |x| < eps = 3/2: F(x_{k+j}) <= (1 - c/(2L))^j F(x_k), j <= 40",
    cases=st.tuples(rationals(Q(-1, 2), Q(1, 2), denominator=1024), st.integers(1, 40)).map(
        lambda a: Case(objective=ONE_MINUS_COS, params={"c": LOCAL_KL_C, "eps": LOCAL_KL_EPS, "k": Q(a[1])}, points={"x": (a[0],)})
    ),
    margin=_local_rate_margin,
    where=_local_where,
    statement=r"|x_k|+2\varphi(F(x_k))<\tfrac32\implies F(x_{k+j})\le\big(1-\tfrac{c}{2L}\big)^jF(x_k),\quad F=1-\cos x,\ c=1,\ L=2",
    note="Only the starts meeting the slide's assumption count (decided in Arb balls); $1-\\cos x$ is not KL $1/2$ beyond $|x|=\\pi/2$, so this is the local statement, not the global one.",
)
half_local_necessity = Claim(
    "necessity: outside the KL ball (x_0 in [2, 3], cos x_0 < 0) one step already breaks the rate for 1 - cos x",
    cases=rationals(Q(2), Q(3), denominator=256).map(lambda v: Case(objective=ONE_MINUS_COS, params={"c": LOCAL_KL_C, "k": Q(1)}, points={"x": (v,)})),
    margin=_local_rate_margin,
    where=lambda c: Q(2) <= c.points["x"][0] <= Q(3),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"F(x_1)\le\big(1-\tfrac{c}{2L}\big)F(x_0)\ \text{fails for}\ x_0\in[2,3]",
    note="Near $\\pi$ the gradient is small while $F\\approx2$: the local assumption is what makes the local rate hold.",
)

register(
    Entry(
        id="pauwels.kl-half-linear-rate",
        title="KL 1/2 and linear convergence",
        where="Variant: KL 1/2 and linear convergence (and the Remark)",
        statement=(
            r"Assume $\|x-\bar x\|_2<\varepsilon$, $F(x)>0\Rightarrow\|\nabla F(x)\|\ge\frac{1}{\varphi'(F(x_i))}$. Assume furthermore that "
            r"$\varphi(t)=2\sqrt{\frac tc}$, for some $c>0$, then if $\|x_k-\bar x\|+2\varphi(F(x_k))<\varepsilon$, for all $i\ge k$ "
            r"$\|\nabla F(x_i)\|^2\ge\frac{1}{\varphi'(F(x_i))^2}=cF(x_i)>0$. We obtain $F(x_{i+1})\le F(x_i)-\frac1{2L}\|\nabla F(x_i)\|^2\le F(x_i)(1-\frac c{2L})$, "
            r"which is linear convergence. Remark: does not require $F(\bar x)=0$. If $\varepsilon=+\infty$, $\|\nabla F(x)\|^2\ge cF(x)$ for all $x$, "
            r"then $F(x_k)$ converges globally linearly to $0$."
        ),
        hypotheses=[r"$F$ $C^1$ with $L$-Lipschitz gradient, $\alpha=1/L$, $F\ge0$ along the iterates"],
        checks=[half_identity, half_grad, half_derivation, half_global, sin_pl, half_necessity, half_global_needs_nonnegative, half_local, half_local_necessity],
        status=Status.VERIFIED,
        reading=(
            "The slide's $\\varphi'(F(x_i))$ in the first line is read as $\\varphi'(F(x))$. Checked with global KL 1/2 functions "
            "($\\varepsilon=\\infty$), and in the local case (finite $\\varepsilon$) with $1-\\cos x$, KL 1/2 with $c=1$ only on $|x|<3/2$, from "
            "starts meeting the assumption $\\|x_k-\\bar x\\|+2\\varphi(F(x_k))<\\varepsilon$ (a necessity check shows the rate fails outside). The remark ($\\varepsilon=+\\infty$) needs $F\\ge0$, which the "
            "slide's setting gives ($F(x_k)$ decreases to $\\bar F=0$) but the remark does not repeat: a necessity check shows it "
            "fails for $F=-1/(1+x^2)$."
        ),
    )
)
