"""Pauwels, convergence under the KL assumption: descent lemma, sufficient decrease, the trap
mechanism line by line, KL 1/2 linear rate, least squares and the overparameterized trap,
and the qualitative statements (Absil-Mahony-Andrews convergence, Mexican hat).

Gradient descent runs are computed inside each backend (mpmath for the search, Arb balls
for confirmation), so every checked inequality along a trajectory is about the exact
iterates of an exact rational starting point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction as Q
from functools import lru_cache

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Bound,
    Box,
    BoxCertificate,
    Case,
    CheckSettings,
    Constants,
    Derivation,
    Expect,
    Identity,
    Illustration,
    Implication,
    Objective,
    Step,
    coordinates,
)
from symbolic.backends import Backend, Number
from symbolic.compile import compiled
from symbolic.families import (
    least_squares,
    nonnegative_smooth,
    polynomials,
    quadratics,
    rationals,
    ridge_sums,
    smooth_objectives,
)
from symbolic.rigorous import hessian_norm_bound
from theorems.cases import objective_cases, points_for
from theorems.catalogue.pauwels_kl import (
    Claim,
    arb_positive,
    chain_rule,
    fixed_params,
    fixed_point,
    gd_path,
    vector_identity,
)
from theorems.registry import Entry, Status, register

_tt = sp.Symbol("t", real=True)

# ================================================================== descent lemma


def _L(c: Case, B: Backend) -> Number:
    assert c.objective is not None and c.objective.constants.L is not None
    return B.num(c.objective.constants.L)


def _descent_margin(factor: Q) -> Callable[[Case, Backend], Number]:
    def margin(c: Case, B: Backend) -> Number:
        f = c.objective
        assert f is not None
        x, y = c.x(B, "x"), c.x(B, "y")
        d = B.sub(y, x)
        return f.value(B, x) + B.dot(f.grad(B, x), d) + B.num(factor) * _L(c, B) / 2 * B.norm2(d) - f.value(B, y)

    return margin


def _seg(c: Case, B: Backend) -> tuple[list[Number], list[Number]]:
    """(grad F(x + t(y - x)) - grad F(x), y - x) at the case's t."""
    f = c.objective
    assert f is not None
    x, y = c.x(B, "x"), c.x(B, "y")
    d = B.sub(y, x)
    z = B.add(x, B.scale(c.p(B, "t"), d))
    return B.sub(f.grad(B, z), f.grad(B, x)), d


_families = st.one_of(smooth_objectives(), polynomials(dim=(1, 2), degree=4))
pair_cases = objective_cases(_families, points=("x", "y"))
seg_cases = objective_cases(_families, params={"t": lambda f: Bound(Q(0), Q(1), False, False)}, points=("x", "y"))
quad_pair_cases = objective_cases(quadratics(dim=(1, 3), spectrum="convex"), points=("x", "y"))

# symbolic: the integral form, for a generic cubic in two variables
_xs = sp.symbols("x1 x2", real=True)
_ys = sp.symbols("y1 y2", real=True)
_coef = sp.symbols("a0:10", real=True)
_mons = [sp.Integer(1), _xs[0], _xs[1], _xs[0] ** 2, _xs[0] * _xs[1], _xs[1] ** 2, _xs[0] ** 3, _xs[0] ** 2 * _xs[1], _xs[0] * _xs[1] ** 2, _xs[1] ** 3]
_Fc = sum(a * m for a, m in zip(_coef, _mons, strict=True))


def _Fat(p: tuple[sp.Expr, sp.Expr]) -> sp.Expr:
    return _Fc.subs({_xs[0]: p[0], _xs[1]: p[1]}, simultaneous=True)


_gradc = [sp.diff(_Fc, v) for v in _xs]
_dvec = [_ys[i] - _xs[i] for i in range(2)]
_zt = (_xs[0] + _tt * _dvec[0], _xs[1] + _tt * _dvec[1])
_integrand = sum((g.subs({_xs[0]: _zt[0], _xs[1]: _zt[1]}, simultaneous=True) - g) * dv for g, dv in zip(_gradc, _dvec, strict=True))
integral_form = Identity(
    "F(y) - F(x) - <grad F(x), y - x> = int_0^1 <grad F(x + t(y-x)) - grad F(x), y - x> dt",
    _Fat(_ys) - _Fc - sum(g * dv for g, dv in zip(_gradc, _dvec, strict=True)),
    sp.integrate(sp.expand(_integrand), (_tt, 0, 1)),
    statement=r"F(y)-F(x)-\langle\nabla F(x),y-x\rangle=\int_0^1\langle\nabla F(x+t(y-x))-\nabla F(x),y-x\rangle\,dt",
    note="Fundamental theorem of calculus along the segment; proved by sympy for a generic cubic in two variables (symbolic coefficients).",
)
_Ls, _n2 = sp.symbols("L n2", positive=True)
integral_t = Identity(
    "int_0^1 L t ||y-x||^2 dt = L/2 ||y-x||^2",
    sp.integrate(_Ls * _tt * _n2, (_tt, 0, 1)),
    _Ls / 2 * _n2,
    statement=r"\int_0^1Lt\|y-x\|^2\,dt=\frac L2\|y-x\|^2",
)

descent_derivation = Derivation(
    "descent lemma through the integral form",
    start=r"F(y)-F(x)-\langle\nabla F(x),y-x\rangle",
    steps=[
        Step("=", r"\int_0^1\langle\nabla F(x+t(y-x))-\nabla F(x),y-x\rangle\,dt", "fundamental theorem of calculus", check=integral_form),
        Step(
            "<=",
            r"\int_0^1\|\nabla F(x+t(y-x))-\nabla F(x)\|\,\|y-x\|\,dt",
            "Cauchy-Schwarz under the integral (pointwise in $t$, then monotonicity of the integral)",
            check=Claim(
                "Cauchy-Schwarz pointwise in t",
                cases=seg_cases,
                margin=lambda c, B: B.norm(_seg(c, B)[0]) * B.norm(_seg(c, B)[1]) - B.dot(*_seg(c, B)),
                statement=r"\langle\nabla F(x+t(y-x))-\nabla F(x),y-x\rangle\le\|\nabla F(x+t(y-x))-\nabla F(x)\|\|y-x\|,\ t\in[0,1]",
            ),
        ),
        Step(
            "<=",
            r"\int_0^1Lt\|y-x\|^2\,dt",
            r"$\nabla F$ is $L$-Lipschitz (pointwise in $t$)",
            check=Claim(
                "Lipschitz gradient pointwise in t",
                cases=seg_cases,
                margin=lambda c, B: _L(c, B) * c.p(B, "t") * B.norm2(_seg(c, B)[1]) - B.norm(_seg(c, B)[0]) * B.norm(_seg(c, B)[1]),
                statement=r"\|\nabla F(x+t(y-x))-\nabla F(x)\|\|y-x\|\le Lt\|y-x\|^2",
                note="Also checks the families' certified $L$ (polynomials: on their box, which contains the segment).",
            ),
        ),
        Step("=", r"\frac L2\|y-x\|^2", "integration", check=integral_t),
    ],
    hypotheses=[r"$F$ is $C^1$", r"$\nabla F$ is $L$-Lipschitz"],
)

descent_numeric = Claim(
    "descent lemma on smooth families with certified L",
    cases=pair_cases,
    margin=_descent_margin(Q(1)),
    statement=r"F(y)\le F(x)+\langle\nabla F(x),y-x\rangle+\frac L2\|y-x\|^2",
)
descent_necessity = Claim(
    "necessity: with L replaced by L/2 the lemma fails",
    cases=quad_pair_cases,
    margin=_descent_margin(Q(1, 2)),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"F(y)\le F(x)+\langle\nabla F(x),y-x\rangle+\frac{L}{4}\|y-x\|^2",
    note="Convex quadratics, where $L$ is the exact top eigenvalue: the constant $L/2$ of the lemma is sharp.",
)

register(
    Entry(
        id="pauwels.descent-lemma",
        title="Descent lemma",
        where="Proof sketch of convergence under KL assumption",
        statement=r"\textbf{Descent Lemma:} For any $y,x\in\mathbb{R}^p$, $F(y)\le F(x)+\langle\nabla F(x),y-x\rangle+\frac L2\|y-x\|^2$.",
        hypotheses=[r"$F$ is $C^1$ with $L$-Lipschitz gradient"],
        checks=[descent_derivation, descent_numeric, descent_necessity],
        status=Status.VERIFIED,
        reading="The slide gives no proof; the standard one through the integral form is encoded step by step.",
    )
)


# ================================================================== sufficient decrease and summability

global_smooth = st.one_of(quadratics(), ridge_sums(), least_squares(), nonnegative_smooth())
step_cases = objective_cases(global_smooth, points=("x",))


def _gd_next(c: Case, B: Backend, alpha_factor: Q = Q(1)) -> list[Number]:
    f = c.objective
    assert f is not None
    return f.gradient_step(B, c.x(B), B.num(alpha_factor) / _L(c, B))


def _decrease_margin(alpha_factor: Q) -> Callable[[Case, Backend], Number]:
    def margin(c: Case, B: Backend) -> Number:
        f = c.objective
        assert f is not None
        x = c.x(B)
        return f.value(B, x) - B.norm2(f.grad(B, x)) / (2 * _L(c, B)) - f.value(B, _gd_next(c, B, alpha_factor))

    return margin


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
            check=Claim(
                "descent lemma at y = x - grad F(x)/L",
                cases=step_cases,
                margin=lambda c, B: c.objective.value(B, c.x(B)) + B.dot(c.objective.grad(B, c.x(B)), B.sub(_gd_next(c, B), c.x(B))) + _L(c, B) / 2 * B.norm2(B.sub(_gd_next(c, B), c.x(B))) - c.objective.value(B, _gd_next(c, B)),  # type: ignore[union-attr]
                statement=r"F(x_{k+1})\le F(x_k)+\langle\nabla F(x_k),x_{k+1}-x_k\rangle+\frac L2\|x_{k+1}-x_k\|^2",
            ),
        ),
        Step("=", r"F(x_k)-\frac{1}{2L}\|\nabla F(x_k)\|^2", r"$x_{k+1}-x_k=-\nabla F(x_k)/L$", check=decrease_identity),
    ],
)
decrease_numeric = Claim(
    "F(x_{k+1}) <= F(x_k) - ||grad F(x_k)||^2/(2L), alpha = 1/L",
    cases=step_cases,
    margin=_decrease_margin(Q(1)),
    statement=r"F(x_{k+1})\le F(x_k)-\frac{1}{2L}\|\nabla F(x_k)\|^2",
)
decrease_necessity = Claim(
    "necessity: with alpha = 2/L sufficient decrease fails",
    cases=objective_cases(quadratics(spectrum="convex"), points=("x",)),
    margin=_decrease_margin(Q(2)),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"F(x-\tfrac2L\nabla F(x))\le F(x)-\frac{1}{2L}\|\nabla F(x)\|^2",
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
    return gd_path(f, B, c.x(B), 1 / _L(c, B), int(c.params["k"]) + extra)


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
                margin=lambda c, B: 2 * _L(c, B) * (c.objective.value(B, _run(c, B)[0]) - c.objective.value(B, _run(c, B)[-1])) - _sum_grad2(c, B),  # type: ignore[union-attr]
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
    margin=lambda c, B: 2 * _L(c, B) * c.objective.value(B, c.x(B)) / (c.p(B, "k") + 1) - B.min(*[B.norm2(c.objective.grad(B, x)) for x in _run(c, B)[:-1]]),  # type: ignore[union-attr]
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


# ================================================================== KL functions with explicit phi = 2 sqrt(t/c)


_x = coordinates(1)[0]
SIN_PL = Objective(
    "x^2 + 3 sin(x)^2",
    (_x,),
    _x**2 + 3 * sp.sin(_x) ** 2,
    Constants(L=Q(8), lower=Q(0), minimizer=(Q(0),), minimum=Q(0), how="F'' = 2 + 6 cos 2x in [-4, 8]"),
)
SIN_PL_C = Q(1, 16)  # Karimi-Nutini-Schmidt: PL with mu = 1/32, i.e. ||F'||^2 >= F/16


@st.composite
def pl_objectives(draw: st.DrawFn) -> tuple[Objective, Q]:
    """A KL-1/2 function with its constant c: ||grad F||^2 >= c F globally, F >= 0, min F = 0."""
    if draw(st.booleans()):
        q = draw(quadratics(dim=(1, 3), spectrum="convex"))
        assert q.constants.mu is not None
        return q, 2 * q.constants.mu
    return SIN_PL, SIN_PL_C


def _xbar_of(f: Objective) -> tuple[Q, ...]:
    assert f.constants.minimizer is not None
    return f.constants.minimizer


ONE_MINUS_COS = Objective(
    "1 - cos x",
    (_x,),
    1 - sp.cos(_x),
    # L = 2 bounds |F''| = |cos x| <= 1 (not sharply): with the sharp L = 1, GD (x - sin x) converges
    # cubically and F(x_k) leaves any fixed precision within a few steps
    Constants(L=Q(2), lower=Q(0), minimizer=(Q(0),), minimum=Q(0), how="F'' = cos x in [-1, 1]; L = 2 is a valid, non-sharp bound"),
)
#: 1 - cos x is KL 1/2 with c = 1 only near 0: |F'|^2/F = 1 + cos x >= 1 iff |x| <= pi/2, so epsilon = 3/2 < pi/2;
#: beyond pi/2 the desingularizing inequality fails, so the trap checks depend on the iterates staying in the ball
LOCAL_KL_C, LOCAL_KL_EPS = Q(1), Q(3, 2)


#: a degenerate (non-KL-1/2) minimum: F = x^4/(1 + x^2) = x^2 - 1 + 1/(1 + x^2), F'' = 2 + (6x^2 - 2)/(1 + x^2)^3 in [0, 5/2];
#: near 0, F ~ x^4, so no phi = 2 sqrt(t/c) works; phi(t) = 3 t^(1/4) is desingularizing on |x| < 2:
#: phi'(F)|F'| = (3/4) 2(x^2 + 2)/(1 + x^2)^(5/4), decreasing in x^2, about 1.2 at |x| = 2
QUARTIC = Objective(
    "x^4/(1 + x^2)",
    (_x,),
    _x**4 / (1 + _x**2),
    Constants(L=Q(5, 2), lower=Q(0), minimizer=(Q(0),), minimum=Q(0), how="F'' = 2 + (6x^2 - 2)/(1 + x^2)^3 in [0, 5/2]"),
)
QUARTIC_PHI_C, QUARTIC_EPS = Q(3), Q(2)


@st.composite
def trap_cases(draw: st.DrawFn, kmax: int = 8, K: int = 12, c_factor: Q = Q(1), degenerate: bool = True) -> Case:
    """A KL function, its desingularizing phi, epsilon, the point x-bar (F = 0 there), x_0, the index k of x_k and a
    horizon K >= k.

    Three families: global KL-1/2 functions (phi = 2 sqrt(t/c), epsilon = 16), 1 - cos x, which is KL 1/2 only on the
    ball of radius epsilon = 3/2 < pi/2 around 0, and (``degenerate``) x^4/(1 + x^2) with phi = 3 t^(1/4) on the ball of
    radius 2, whose iterates converge sublinearly, with horizons up to K = k + 40."""
    family = draw(st.sampled_from(["global", "cos", "quartic"] if degenerate else ["global", "cos"]))
    extra: dict[str, Q] = {}
    horizon = K
    if family == "cos":
        f, c, eps = ONE_MINUS_COS, LOCAL_KL_C, LOCAL_KL_EPS
        x0: tuple[Q, ...] = (draw(rationals(-2, 2, denominator=256)),)
    elif family == "quartic":
        f, c, eps = QUARTIC, Q(1), QUARTIC_EPS
        extra = {"phi_C": QUARTIC_PHI_C}
        x0 = (draw(rationals(Q(-1, 4), Q(1, 4), denominator=1024)),)
        horizon = max(K, 40)
    else:
        f, c = draw(pl_objectives())
        eps = Q(16)
        x0 = draw(points_for(f, 3) | st.tuples(*[rationals(-1, 1, denominator=256)] * f.dim))
    k = draw(st.integers(0, kmax))
    Kh = draw(st.integers(k, k + horizon))
    return Case(objective=f, params={"c": c * c_factor, "eps": eps, "k": Q(k), "K": Q(Kh), **extra, **fixed_params("xbar", _xbar_of(f))}, points={"x": x0})


quartic_kl_hypothesis = Claim(
    "hypothesis check: x^4/(1 + x^2) satisfies phi'(F)|F'| >= 1 with phi = 3 t^(1/4) on the ball |x| < 2, not beyond 3",
    cases=rationals(-4, 4, denominator=256).map(lambda v: Case(objective=QUARTIC, points={"x": (v,)})),
    margin=lambda c, B: B.num(QUARTIC_PHI_C) / 4 * B.abs(QUARTIC.grad(B, c.x(B))[0]) / B.sqrt(QUARTIC.value(B, c.x(B))) / B.sqrt(B.sqrt(QUARTIC.value(B, c.x(B)))) - 1,
    where=lambda c: 0 < abs(c.points["x"][0]) < QUARTIC_EPS,
    statement=r"\varphi'(F)|F'|=\tfrac34\cdot\frac{2(x^2+2)}{(1+x^2)^{5/4}}\ge1\quad(0<|x|<2,\ F=\tfrac{x^4}{1+x^2},\ \varphi=3t^{1/4})",
    note="No $\\varphi=2\\sqrt{t/c}$ works near $0$ ($|F'|^2/F\\sim16x^2\\to0$): the trap is exercised with a second desingularizing function.",
)


local_kl_hypothesis = Claim(
    "hypothesis check: 1 - cos x satisfies |F'|^2 >= c F with c = 1 on the ball |x| < 3/2, and not beyond pi/2",
    cases=rationals(-3, 3, denominator=256).map(lambda v: Case(objective=ONE_MINUS_COS, points={"x": (v,)})),
    margin=lambda c, B: B.norm2(ONE_MINUS_COS.grad(B, c.x(B))) - ONE_MINUS_COS.value(B, c.x(B)),
    where=lambda c: abs(c.points["x"][0]) < LOCAL_KL_EPS,
    statement=r"\sin^2x\ge1-\cos x\iff\cos x\ge0\quad(|x|<\tfrac32<\tfrac\pi2)",
    note=r"$\sin^2x-(1-\cos x)=\cos x(1-\cos x)$, negative for $\tfrac\pi2<|x|<\tfrac{3\pi}2$: KL with $\varphi=2\sqrt{t}$ holds on the ball only.",
)


def phi(c: Case, B: Backend, v: Number) -> Number:
    """phi(t) = 2 sqrt(t/c), or C t^(1/4) when the case has a parameter phi_C."""
    if "phi_C" in c.params:
        return c.p(B, "phi_C") * B.sqrt(B.sqrt(v))
    return 2 * B.sqrt(v / c.p(B, "c"))


def dphi(c: Case, B: Backend, v: Number) -> Number:
    """phi'(t) = 1/sqrt(c t), or (C/4) t^(-3/4) when the case has a parameter phi_C."""
    if "phi_C" in c.params:
        return c.p(B, "phi_C") / 4 / (B.sqrt(v) * B.sqrt(B.sqrt(v)))
    return 1 / B.sqrt(c.p(B, "c") * v)


@dataclass
class _Traj:
    xs: list[list[Number]]
    F: list[Number]
    g: list[list[Number]]


def traj(c: Case, B: Backend) -> _Traj:
    f = c.objective
    assert f is not None
    n = int(c.params["K"]) + 2
    xs = gd_path(f, B, c.x(B), 1 / _L(c, B), n)
    return _Traj(xs, [f.value(B, x) for x in xs], [f.grad(B, x) for x in xs])


def _dist(B: Backend, x: list[Number], c: Case) -> Number:
    return B.norm(B.sub(x, [B.num(v) for v in fixed_point(c, "xbar")]))


def trap_where(c: Case) -> bool:
    """The trap assumption ||x_k - xbar|| + 2 phi(F(x_k)) < eps, and F(x_i) > 0 up to x_{K+1}."""

    def assumption(B: Backend) -> Number:
        T = traj(c, B)
        k = int(c.params["k"])
        return c.p(B, "eps") - _dist(B, T.xs[k], c) - 2 * phi(c, B, T.F[k])

    def positive(B: Backend) -> Number:
        T = traj(c, B)
        return B.min(*T.F[int(c.params["k"]) : int(c.params["K"]) + 2])

    return arb_positive(assumption) and arb_positive(positive)


def _k(c: Case) -> int:
    return int(c.params["k"])


def trap_claim(name: str, margin: Callable[[Case, Backend], Number], statement: str, *, strict: bool = False, cases: st.SearchStrategy[Case] | None = None, **kw: object) -> Claim:
    return Claim(name, cases=cases or trap_cases(), margin=margin, where=trap_where, strict=strict, statement=statement, **kw)  # type: ignore[arg-type]


def _step_len(T: _Traj, B: Backend, i: int) -> Number:
    return B.norm(B.sub(T.xs[i + 1], T.xs[i]))


def _half_prod(T: _Traj, B: Backend, i: int) -> Number:
    """(1/2) ||x_{i+1} - x_i|| ||grad F(x_i)||."""
    return _step_len(T, B, i) * B.norm(T.g[i]) / 2


def m_descent(c: Case, B: Backend) -> Number:
    T, k = traj(c, B), _k(c)
    return T.F[k] - _half_prod(T, B, k) - T.F[k + 1]


def m_increasing(c: Case, B: Backend) -> Number:
    T, k = traj(c, B), _k(c)
    return phi(c, B, T.F[k] - _half_prod(T, B, k)) - phi(c, B, T.F[k + 1])


def m_concavity(c: Case, B: Backend) -> Number:
    T, k = traj(c, B), _k(c)
    return phi(c, B, T.F[k]) - dphi(c, B, T.F[k]) * _half_prod(T, B, k) - phi(c, B, T.F[k] - _half_prod(T, B, k))


def m_desing(c: Case, B: Backend) -> Number:
    """phi(F_k) - 1/2||D|| ||grad phi o F(x_k)|| <= phi(F_k) - 1/2||D||  iff  ||D|| (phi'(F_k)||g_k|| - 1) >= 0."""
    T, k = traj(c, B), _k(c)
    return _step_len(T, B, k) / 2 * (dphi(c, B, T.F[k]) * B.norm(T.g[k]) - 1)


def m_triangle(c: Case, B: Backend) -> Number:
    T, k = traj(c, B), _k(c)
    return _dist(B, T.xs[k], c) + _step_len(T, B, k) - _dist(B, T.xs[k + 1], c)


def m_length_step(c: Case, B: Backend) -> Number:
    T, k = traj(c, B), _k(c)
    return 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[k + 1])) - _step_len(T, B, k)


def m_in_ball(c: Case, B: Backend) -> Number:
    T, k = traj(c, B), _k(c)
    return c.p(B, "eps") - _dist(B, T.xs[k], c) - 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[k + 1]))


def _partial(T: _Traj, B: Backend, k: int, K: int) -> Number:
    total = B.num(0)
    for i in range(k, K + 1):
        total = total + _step_len(T, B, i)
    return total


def m_rec_triangle(c: Case, B: Backend) -> Number:
    T, k, K = traj(c, B), _k(c), int(c.params["K"])
    return _dist(B, T.xs[k], c) + _partial(T, B, k, K) - _dist(B, T.xs[K + 1], c)


def m_rec_strict(c: Case, B: Backend) -> Number:
    T, k, K = traj(c, B), _k(c), int(c.params["K"])
    return 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[K + 1])) - _partial(T, B, k, K)


def m_rec_eps(c: Case, B: Backend) -> Number:
    T, k, K = traj(c, B), _k(c), int(c.params["K"])
    return c.p(B, "eps") - _dist(B, T.xs[k], c) - 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[K + 1]))


def m_finite_length(c: Case, B: Backend) -> Number:
    T, k, K = traj(c, B), _k(c), int(c.params["K"])
    return 2 * phi(c, B, T.F[k]) - _partial(T, B, k, K)


_u, _v, _s, _w = sp.symbols("u v s w", positive=True)
_nn = sp.Symbol("n", positive=True)
sqrt_increasing = Implication(
    "sqrt is increasing: u^2 <= v^2, u, v >= 0 gives u <= v",
    hypotheses=[_u**2 <= _v**2],
    conclusion=_u <= _v,
    statement=r"0\le a\le b\implies\sqrt{a/c}\le\sqrt{b/c}\quad(a=u^2c,\ b=v^2c)",
)
sqrt_concave = Implication(
    "concavity of sqrt: sqrt(s) <= sqrt(t) + (s - t)/(2 sqrt t)",
    hypotheses=[],
    conclusion=_u <= _v + (_u**2 - _v**2) / (2 * _v),
    statement=r"\sqrt s\le\sqrt t+\frac{s-t}{2\sqrt t}\quad(u=\sqrt s,\ v=\sqrt t>0)",
    note="Tangent line above a concave function; with $\\varphi=2\\sqrt{\\cdot/c}$ it is this inequality scaled by $2/\\sqrt c$.",
)
_alpha_step = sp.Symbol("alpha", positive=True)
step_identity = Identity(
    "with alpha = 1/L: 1/2 ||x_{k+1} - x_k|| ||grad F(x_k)|| = ||grad F(x_k)||^2/(2L)",
    # ||x_{k+1} - x_k|| = alpha ||grad F(x_k)||, and alpha = 1/L substituted in the check (unevaluated Subs)
    sp.Subs(sp.Rational(1, 2) * (_alpha_step * _nn) * _nn, _alpha_step, 1 / _Ls),
    _nn**2 / (2 * _Ls),
    statement=r"\tfrac12\|x_{k+1}-x_k\|\|\nabla F(x_k)\|=\tfrac12\cdot\tfrac{\|\nabla F(x_k)\|}{L}\|\nabla F(x_k)\|=\frac{\|\nabla F(x_k)\|^2}{2L}",
)
_dk, _p0, _p1, _eps, _D = sp.symbols("d_k p_k p_k1 epsilon D", nonnegative=True)
eps_implication = Implication(
    "||x_k - xbar|| + 2 phi(F_k) < eps and phi(F_{k+1}) >= 0 give ||x_k - xbar|| + 2(phi(F_k) - phi(F_{k+1})) < eps",
    hypotheses=[_dk + 2 * _p0 < _eps],
    conclusion=_dk + 2 * (_p0 - _p1) < _eps,
    statement=r"\|x_k-\bar x\|+2\varphi(F(x_k))<\varepsilon,\ \varphi\ge0\implies\|x_k-\bar x\|+2(\varphi(F(x_k))-\varphi(F(x_{k+1})))<\varepsilon",
)
_ls = sp.symbols("ell0:3", nonnegative=True)
_ps = sp.symbols("q0:4", nonnegative=True)
only_le = Implication(
    "the per-step bounds ||x_{i+1} - x_i|| <= 2(phi_i - phi_{i+1}) alone give only <= in the recursion",
    hypotheses=[_ls[i] <= 2 * (_ps[i] - _ps[i + 1]) for i in range(3)],
    conclusion=sum(_ls) < 2 * (_ps[0] - _ps[3]),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"\ell_i\le2(\varphi_i-\varphi_{i+1}),\ i=k..K\ \not\Longrightarrow\ \sum_{i=k}^K\ell_i<2(\varphi_k-\varphi_{K+1})",
    note=(
        "The slide's `$<$' in the recursion line does not follow from the displayed chain (which gives $\\le$); z3 exhibits equality. "
        "It is nevertheless true under the standing assumptions: equality in the descent lemma forces $\\nabla F(x_{i+1})=0$, impossible with "
        "$F(x_{i+1})>0$ inside the KL ball. The strict version is checked numerically along trajectories."
    ),
)

trap_descent = trap_claim(
    "descent lemma form F(x_{k+1}) <= F(x_k) - 1/2 ||x_{k+1}-x_k|| ||grad F(x_k)||",
    m_descent,
    r"F(x_{k+1})\le F(x_k)-\tfrac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|",
    proof=None,
)
trap_phi_chain = Derivation(
    "phi chain: phi(F(x_{k+1})) <= phi(F(x_k)) - 1/2 ||x_{k+1} - x_k||",
    start=r"\varphi(F(x_{k+1}))",
    steps=[
        Step(
            "<=",
            r"\varphi\Big(F(x_k)-\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|\Big)",
            r"$\varphi$ increasing (and the descent lemma line)",
            check=trap_claim("phi increasing step", m_increasing, r"\varphi(F(x_{k+1}))\le\varphi\big(F(x_k)-\tfrac12\|x_{k+1}-x_k\|\|\nabla F(x_k)\|\big)", proof=sqrt_increasing),
        ),
        Step(
            "<=",
            r"\varphi(F(x_k))-\varphi'(F(x_k))\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|",
            "concavity",
            check=trap_claim("concavity step", m_concavity, r"\varphi(F_k-a)\le\varphi(F_k)-\varphi'(F_k)\,a,\ a=\tfrac12\|x_{k+1}-x_k\|\|\nabla F(x_k)\|", proof=sqrt_concave),
        ),
        Step("=", r"\varphi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2\|\nabla\varphi\circ F(x_k)\|", r"chain rule, $\varphi'>0$", check=chain_rule),
        Step(
            "<=",
            r"\varphi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2",
            "desingularizing (KL inequality at $x_k$)",
            check=trap_claim("desingularizing step", m_desing, r"\tfrac12\|x_{k+1}-x_k\|\big(\|\nabla\varphi\circ F(x_k)\|-1\big)\ge0"),
        ),
    ],
)
trap_distance = Derivation(
    "distance to xbar after one step",
    start=r"\|x_{k+1}-\bar x\|_2",
    steps=[
        Step("<=", r"\|x_k-\bar x\|_2+\|x_{k+1}-x_k\|", "triangle inequality", check=trap_claim("triangle inequality", m_triangle, r"\|x_{k+1}-\bar x\|\le\|x_k-\bar x\|+\|x_{k+1}-x_k\|")),
        Step(
            "<=",
            r"\|x_k-\bar x\|_2+2(\varphi(F(x_k))-\varphi(F(x_{k+1})))",
            r"the $\varphi$ chain above",
            check=trap_claim("one step length bound", m_length_step, r"\|x_{k+1}-x_k\|\le2(\varphi(F(x_k))-\varphi(F(x_{k+1})))"),
        ),
        Step(
            "<",
            r"\varepsilon",
            r"assumption $\|x_k-\bar x\|+2\varphi(F(x_k))<\varepsilon$ and $\varphi\ge0$",
            check=trap_claim("stays in the ball", m_in_ball, r"\|x_k-\bar x\|+2(\varphi(F(x_k))-\varphi(F(x_{k+1})))<\varepsilon", strict=True, proof=eps_implication),
        ),
    ],
)
trap_recursion = Derivation(
    "recursion for K >= k",
    start=r"\|x_{K+1}-\bar x\|_2",
    steps=[
        Step("<=", r"\|x_k-\bar x\|_2+\sum_{i=k}^K\|x_{i+1}-x_i\|", "triangle inequality", check=trap_claim("recursion: triangle inequality", m_rec_triangle, r"\|x_{K+1}-\bar x\|\le\|x_k-\bar x\|+\sum_{i=k}^K\|x_{i+1}-x_i\|")),
        Step(
            "<",
            r"\|x_k-\bar x\|_2+2(\varphi(F(x_k))-\varphi(F(x_{K+1})))",
            "sum of the one-step bounds (telescoping); strict: see the note",
            check=trap_claim(
                "recursion: strict telescoped length bound",
                m_rec_strict,
                r"\sum_{i=k}^K\|x_{i+1}-x_i\|<2(\varphi(F(x_k))-\varphi(F(x_{K+1})))",
                strict=True,
                note="Checked strict along trajectories with $F(x_i)>0$; the displayed chain alone only gives $\\le$ (see the necessity check).",
            ),
        ),
        Step("<", r"\varepsilon", r"assumption and $\varphi\ge0$", check=trap_claim("recursion: stays in the ball", m_rec_eps, r"\|x_k-\bar x\|+2(\varphi(F(x_k))-\varphi(F(x_{K+1})))<\varepsilon", strict=True, proof=eps_implication)),
    ],
)
trap_finite_length = trap_claim(
    "finite length: sum_{i=k}^K ||x_{i+1} - x_i|| <= 2 phi(F(x_k)) for every K",
    m_finite_length,
    r"\sum_{i=k}^{K}\|x_{i+1}-x_i\|\le2\varphi(F(x_k))\quad\forall K\ge k",
    note="Partial sums bounded uniformly in $K$ (checked up to $K=k+12$): the series converges, the sequence is Cauchy.",
)
trap_kl_hypothesis = trap_claim(
    "the KL inequality phi'(F)||grad F|| >= 1 holds along the trajectory (hypothesis check)",
    lambda c, B: dphi(c, B, traj(c, B).F[_k(c)]) * B.norm(traj(c, B).g[_k(c)]) - 1,
    r"\varphi'(F(x_k))\|\nabla F(x_k)\|\ge1,\ \varphi=2\sqrt{t/c}\ \text{or}\ 3t^{1/4}",
    note="Convex quadratics with $c=2\\mu$, $x^2+3\\sin^2x$ with $c=1/16$ (Karimi-Nutini-Schmidt's PL constant $\\mu=1/32$), $1-\\cos x$ ($c=1$, $|x|<3/2$) and $x^4/(1+x^2)$ with $\\varphi=3t^{1/4}$ ($|x|<2$).",
)


def _with_c_16L(c: Case) -> Case:
    assert c.objective is not None and c.objective.constants.L is not None
    return Case(objective=c.objective, params={**c.params, "c": 16 * c.objective.constants.L}, points=c.points)


trap_necessity = Claim(
    "necessity: without the desingularizing inequality (c = 16 L) the finite-length bound fails",
    cases=trap_cases(c_factor=Q(1), degenerate=False).map(_with_c_16L),
    margin=m_finite_length,
    where=trap_where,
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"\sum_{i=k}^{K}\|x_{i+1}-x_i\|\le2\varphi(F(x_k)),\ \varphi=2\sqrt{t/(16L)}",
    note="With $c=16L$ the inequality $\\varphi'(F)\\|\\nabla F\\|\\ge1$ fails (it needs $\\|\\nabla F\\|^2\\ge16LF$, while $\\|\\nabla F\\|^2\\le2LF$); the trap's length bound then fails too.",
)

register(
    Entry(
        id="pauwels.kl-trap",
        title="The trap mechanism",
        where="Proof sketch: the trap mechanism",
        statement=(
            r"Assume $\|x_k-\bar x\|+2\phi(F(x_k))<\varepsilon$. $F(x_{k+1})\le F(x_k)-\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|$ (descent Lemma); "
            r"$\phi(F(x_{k+1}))\le\phi(F(x_k)-\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|)$ ($\phi$ increasing) "
            r"$\le\phi(F(x_k))-\phi'(F(x_k))\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|$ (concavity) "
            r"$=\phi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2\|\nabla\phi\circ F(x_k)\|\le\phi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2$ (desingularizing). "
            r"$\|x_{k+1}-\bar x\|_2\le\|x_k-\bar x\|_2+\|x_{k+1}-x_k\|\le\|x_k-\bar x\|_2+2(\phi(F(x_k))-\phi(F(x_{k+1})))<\varepsilon$. "
            r"By recursion, for any $K\ge k$, $\|x_{K+1}-\bar x\|_2\le\|x_k-\bar x\|_2+\sum_{i=k}^K\|x_{i+1}-x_i\|<\|x_k-\bar x\|_2+2(\phi(F(x_k))-\phi(F(x_{K+1})))<\varepsilon$. "
            r"$\sum_{i=k}^{+\infty}\|x_{i+1}-x_i\|$ is finite, the sequence is Cauchy and converges."
        ),
        hypotheses=[r"$F$ $C^1$, $L$-Lipschitz gradient, $\alpha=1/L$", r"KL at $\bar x$ with $\varepsilon,\phi$; $F(x_i)>0$ for all $i$"],
        checks=[
            step_identity,
            trap_descent,
            trap_kl_hypothesis,
            local_kl_hypothesis,
            quartic_kl_hypothesis,
            trap_phi_chain,
            trap_distance,
            trap_recursion,
            only_le,
            trap_finite_length,
            trap_necessity,
        ],
        status=Status.VERIFIED,
        reading=(
            "Checked on KL functions with explicit $\\varphi=2\\sqrt{t/c}$: global ones with $\\varepsilon=16$, and $1-\\cos x$, which is "
            "KL ($c=1$) only on the ball $|x|<\\varepsilon=3/2$, so that the lines after the first depend on the iterates staying in the ball, "
            "and with a second desingularizing function, $\\varphi=3t^{1/4}$ for $x^4/(1+x^2)$ (a degenerate minimum, KL on $|x|<2$, sublinear "
            "convergence) with horizons up to $K=k+40$ (the other families up to $k+12$), "
            "at $x_k$ = the $k$-th GD iterate from a random $x_0$ for which the trap assumption holds. "
            "The `$<$' in the recursion line is not implied by the displayed chain (z3: equality is consistent with it) but holds strictly under the standing assumptions."
        ),
    )
)


# ================================================================== KL 1/2: linear rate

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


half_grad = Claim(
    "||grad F(x_i)||^2 >= 1/phi'(F(x_i))^2 = c F(x_i) > 0",
    cases=pl_point_cases(),
    margin=lambda c, B: B.norm2(c.objective.grad(B, c.x(B))) - c.p(B, "c") * c.objective.value(B, c.x(B)),  # type: ignore[union-attr]
    where=_pos,
    statement=r"\|\nabla F(x)\|^2\ge\frac{1}{\varphi'(F(x))^2}=cF(x)>0",
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
            check=Claim(
                "sufficient decrease on the KL-1/2 functions",
                cases=pl_point_cases(),
                margin=lambda c, B: c.objective.value(B, c.x(B)) - B.norm2(c.objective.grad(B, c.x(B))) / (2 * _L(c, B)) - c.objective.value(B, _gd_next(c, B)),  # type: ignore[union-attr]
                statement=r"F(x_{i+1})\le F(x_i)-\tfrac{1}{2L}\|\nabla F(x_i)\|^2",
            ),
        ),
        Step(
            "<=",
            r"F(x_i)\Big(1-\frac{c}{2L}\Big)",
            "KL 1/2",
            check=Claim(
                "F(x_i) - ||grad F(x_i)||^2/(2L) <= F(x_i)(1 - c/(2L))",
                cases=pl_point_cases(),
                margin=lambda c, B: c.objective.value(B, c.x(B)) * (1 - c.p(B, "c") / (2 * _L(c, B))) - c.objective.value(B, c.x(B)) + B.norm2(c.objective.grad(B, c.x(B))) / (2 * _L(c, B)),  # type: ignore[union-attr]
                proof=half_step_z3,
                statement=r"F(x_i)-\tfrac{1}{2L}\|\nabla F(x_i)\|^2\le F(x_i)(1-\tfrac{c}{2L})",
            ),
        ),
    ],
)


def _global_rate_margin(c: Case, B: Backend, size: Callable[[Number], Number] = lambda v: v) -> Number:
    """size(F(x_0)) (1 - c/(2L))^k - size(F(x_k)) along k GD steps with alpha = 1/L."""
    f = c.objective
    assert f is not None
    k = int(c.params["k"])
    path = gd_path(f, B, c.x(B), 1 / _L(c, B), k)
    rho = 1 - c.p(B, "c") / (2 * _L(c, B))
    return size(f.value(B, path[0])) * B.ipow(rho, k) - size(f.value(B, path[-1]))


half_global = Claim(
    "remark eps = infinity: F(x_k) <= (1 - c/(2L))^k F(x_0) from every x_0",
    cases=pl_point_cases(kmax=25),
    margin=_global_rate_margin,
    statement=r"\|\nabla F\|^2\ge cF\ \text{on}\ \mathbb{R}^p\implies F(x_k)\le\big(1-\tfrac{c}{2L}\big)^kF(x_0)\to0",
)
sin_pl = Claim(
    "hypothesis check: x^2 + 3 sin^2 x satisfies |F'|^2 >= F/16 on [-40, 40]",
    cases=st.one_of(rationals(-40, 40, denominator=64), st.integers(1, 60).map(lambda k: Q(1, 2**k)), st.integers(1, 60).map(lambda k: -Q(1, 2**k))).map(lambda v: Case(objective=SIN_PL, points={"x": (v,)})),
    margin=lambda c, B: B.norm2(SIN_PL.grad(B, c.x(B))) - B.num(SIN_PL_C) * SIN_PL.value(B, c.x(B)),
    statement=r"(2x+3\sin2x)^2\ge\tfrac1{16}(x^2+3\sin^2x)",
    note="Outside $[-40,40]$: $|F'|\\ge2|x|-3$ and $F\\le x^2+3$ give it directly.",
)
def _one_minus(f: Objective) -> Objective:
    """a cos(w x + b) -> |a| (1 - cos(w x + b)): nonnegative, same L."""
    (arg,) = [a.args[0] for a in sp.preorder_traversal(f.expr) if isinstance(a, sp.cos)][:1]
    coef = sp.Abs(f.expr.coeff(sp.cos(arg)))
    return Objective("|a|(1 - cos(wx + b))", f.variables, coef * (1 - sp.cos(arg)), Constants(L=f.constants.L, lower=Q(0)))


half_necessity = Claim(
    "necessity: without the KL inequality the rate fails (nonnegative smooth functions, c = L/8)",
    cases=objective_cases(ridge_sums(dim=1, terms=1, activations=("cos",)).map(_one_minus), points=("x",)),
    margin=lambda c, B: c.objective.value(B, c.x(B)) * (1 - _L(c, B) / 8 / (2 * _L(c, B))) - c.objective.value(B, _gd_next(c, B)),  # type: ignore[union-attr]
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"F(x_{i+1})\le F(x_i)\big(1-\tfrac{c}{2L}\big),\ c=L/8,\ F=|a|(1-\cos(wx+b))",
    note="$F=|a|(1-\\cos(wx+b))\\ge0$ is smooth but not KL 1/2 globally (critical points with $F=2|a|>0$, where GD does not move).",
)

NEG_BUMP = Objective(
    "-1/(1 + x^2)",
    (_x,),
    -1 / (1 + _x**2),
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


# ================================================================== least squares


@dataclass(frozen=True)
class NLS:
    """F(x) = ||H(x) - y||^2 with the map H kept (rows), its Jacobian and y."""

    obj: Objective
    H: tuple[sp.Expr, ...]
    y: tuple[Q, ...]
    J: tuple[tuple[sp.Expr, ...], ...]


@st.composite
def nls_with_H(draw: st.DrawFn, n: tuple[int, int] = (1, 2), p: tuple[int, int] = (1, 3), radius: int = 1) -> NLS:
    """The construction of symbolic.families.nonlinear_least_squares, keeping H and y (needed for J_H)."""
    rows = draw(st.integers(*n))
    d = draw(st.integers(*p))
    xs = coordinates(d)
    Hs, ys = [], []
    for _ in range(rows):
        h = sp.Integer(0)
        for v in xs:
            h += sp.Rational(draw(rationals(-2, 2, denominator=4))) * v
        for i, xi in enumerate(xs):
            for xj in xs[i:]:
                if draw(st.booleans()):
                    h += sp.Rational(draw(rationals(-1, 1, denominator=4))) * xi * xj
        Hs.append(sp.expand(h))
        ys.append(draw(rationals(-1, 1, denominator=4)))
    expr = sp.expand(sum((h - sp.Rational(yv)) ** 2 for h, yv in zip(Hs, ys, strict=True)))
    J = tuple(tuple(sp.diff(h, v) for v in xs) for h in Hs)
    box = Box.cube(d, radius)
    return NLS(Objective(f"nls({rows}x{d})", xs, expr, Constants(region=box)), tuple(Hs), tuple(ys), J)


def _nls_parts(nl: NLS, B: Backend, x: list[Number]) -> tuple[list[Number], list[list[Number]]]:
    r = list(compiled(list(nl.H), nl.obj.variables)(B, x))
    r = [ri - B.num(yv) for ri, yv in zip(r, nl.y, strict=True)]
    flat = compiled([e for row in nl.J for e in row], nl.obj.variables)(B, x)
    d = nl.obj.dim
    J = [list(flat[i * d : (i + 1) * d]) for i in range(len(nl.H))]
    return r, J


def _lam_min_JJt(B: Backend, J: list[list[Number]]) -> Number:
    M = [[B.dot(J[i], J[j]) for j in range(len(J))] for i in range(len(J))]
    if len(M) == 1:
        return M[0][0]
    a, b, d = M[0][0], M[0][1], M[1][1]
    return (a + d) / 2 - B.sqrt((a - d) * (a - d) / 4 + b * b)


def _JTr2(B: Backend, J: list[list[Number]], r: list[Number]) -> Number:
    p = len(J[0])
    return B.norm2([B.dot([J[i][j] for i in range(len(J))], r) for j in range(p)])


nls_cases = nls_with_H().flatmap(lambda nl: st.tuples(*[rationals(-1, 1, denominator=64)] * nl.obj.dim).map(lambda x: Case(objective=nl.obj, params={}, points={"x": x}, bounds={})).map(lambda c: (nl, c)))


def _nls_claim(name: str, margin: Callable[[NLS, Case, Backend], Number], statement: str, **kw: object) -> Claim:
    holder: dict[int, NLS] = {}

    def mk(pair: tuple[NLS, Case]) -> Case:
        nl, c = pair
        holder[id(c.objective)] = nl
        return c

    def where(c: Case) -> bool:
        nl = holder[id(c.objective)]
        return arb_positive(lambda B: nl.obj.value(B, [B.num(v) for v in c.points["x"]]))

    return Claim(name, cases=nls_cases.map(mk), margin=lambda c, B: margin(holder[id(c.objective)], c, B), where=where, statement=statement, **kw)  # type: ignore[arg-type]


def _m_stated_identity(nl: NLS, c: Case, B: Backend) -> Number:
    r, J = _nls_parts(nl, B, c.x(B))
    return -B.abs(B.norm2(nl.obj.grad(B, c.x(B))) - 2 * _JTr2(B, J, r))


def _m_ratio_bound(const: int) -> Callable[[NLS, Case, Backend], Number]:
    def m(nl: NLS, c: Case, B: Backend) -> Number:
        r, J = _nls_parts(nl, B, c.x(B))
        return B.norm2(nl.obj.grad(B, c.x(B))) - const * _lam_min_JJt(B, J) * B.norm2(r)

    return m


def _m_rayleigh(nl: NLS, c: Case, B: Backend) -> Number:
    r, J = _nls_parts(nl, B, c.x(B))
    return _JTr2(B, J, r) - _lam_min_JJt(B, J) * B.norm2(r)


# symbolic: generic H: R^2 -> R^2 quadratic with symbolic coefficients
_hc = sp.symbols("h0:10", real=True)
_yy = sp.symbols("yv1:3", real=True)
_X = sp.symbols("x1 x2", real=True)
_H = [_hc[0] * _X[0] + _hc[1] * _X[1] + _hc[2] * _X[0] ** 2 + _hc[3] * _X[0] * _X[1] + _hc[4] * _X[1] ** 2,
      _hc[5] * _X[0] + _hc[6] * _X[1] + _hc[7] * _X[0] ** 2 + _hc[8] * _X[0] * _X[1] + _hc[9] * _X[1] ** 2]
_rr = sp.Matrix([_H[0] - _yy[0], _H[1] - _yy[1]])
_JH = sp.Matrix(2, 2, lambda i, j: sp.diff(_H[i], _X[j]))
_Fls = (_rr.T * _rr)[0, 0]
_gradF = sp.Matrix([sp.diff(_Fls, v) for v in _X])
ls_gradient = vector_identity(
    "grad F = 2 J_H^T (H - y)",
    sp.Matrix([sp.Derivative(_Fls, v) for v in _X]),  # differentiated in the check
    2 * sp.Matrix(2, 2, lambda i, j: sp.Derivative(_H[i], _X[j])).T * _rr,
    statement=r"\nabla F(x)=2J_H(x)^T(H(x)-y)",
    note="Generic quadratic $H:\\mathbb{R}^2\\to\\mathbb{R}^2$ with symbolic coefficients.",
)
# the stated identity on the simplest case H(x) = a x + b x^2, n = p = 1
_aa, _bb, _yv, _x1 = sp.symbols("a b y x", real=True)
_h1 = _aa * _x1 + _bb * _x1**2
_F1 = (_h1 - _yv) ** 2
ls_stated_identity = Identity(
    "stated: ||grad F||^2 / F = 2 ||J^T(H - y)||^2 / ||H - y||^2",
    sp.diff(_F1, _x1) ** 2 / _F1,
    2 * (sp.diff(_h1, _x1) * (_h1 - _yv)) ** 2 / (_h1 - _yv) ** 2,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\frac{\|\nabla F(x)\|^2}{F(x)}=2\frac{\|J_H(x)^T(H(x)-y)\|^2}{\|H(x)-y\|^2}",
    note="$H(x)=ax+bx^2$, $n=p=1$: the left side is $4(a+2bx)^2$, the right side $2(a+2bx)^2$.",
)
ls_stated_numeric = _nls_claim(
    "stated identity on nonlinear least squares: ||grad F||^2 = 2 ||J^T r||^2",
    _m_stated_identity,
    r"\|\nabla F(x)\|^2=2\|J_H(x)^T(H(x)-y)\|^2",
    expect=Expect.REFUTED,
    role="stated",
)
ls_corrected_identity = Identity(
    "corrected: ||grad F||^2 / F = 4 ||J^T(H - y)||^2 / ||H - y||^2",
    ((_gradF.T * _gradF)[0, 0]) / _Fls,
    4 * ((_JH.T * _rr).T * (_JH.T * _rr))[0, 0] / _Fls,
    statement=r"\frac{\|\nabla F(x)\|^2}{F(x)}=4\frac{\|J_H(x)^T(H(x)-y)\|^2}{\|H(x)-y\|^2}",
)
_m11, _m12, _m22, _r1, _r2 = sp.symbols("m11 m12 m22 r1 r2", real=True)
_lmin = (_m11 + _m22) / 2 - sp.sqrt((_m11 - _m22) ** 2 / 4 + _m12**2)
rayleigh = Implication(
    "Rayleigh: r^T M r >= lambda_min(M) ||r||^2 (2 x 2 symmetric M)",
    hypotheses=[],
    conclusion=_m11 * _r1**2 + 2 * _m12 * _r1 * _r2 + _m22 * _r2**2 >= _lmin * (_r1**2 + _r2**2),
    statement=r"r^TMr\ge\lambda_{\min}(M)\|r\|^2,\quad\|J_H^Tr\|^2=r^TJ_HJ_H^Tr",
)
ls_stated_bound = _nls_claim(
    "stated bound ||grad F||^2 / F >= 2 lambda_min(J J^T)",
    _m_ratio_bound(2),
    r"\frac{\|\nabla F(x)\|^2}{F(x)}\ge2\lambda_{\min}(J_H(x)J_H(x)^T)",
    note="True (it is weaker than the corrected bound with 4).",
)
ls_rayleigh_numeric = _nls_claim(
    "Rayleigh step ||J^T r||^2 >= lambda_min(J J^T) ||r||^2 on the family",
    _m_rayleigh,
    r"\|J_H^T(H-y)\|^2\ge\lambda_{\min}(J_HJ_H^T)\|H-y\|^2",
    proof=rayleigh,
)
ls_corrected_bound = _nls_claim(
    "corrected sharper bound ||grad F||^2 / F >= 4 lambda_min(J J^T)",
    _m_ratio_bound(4),
    r"\frac{\|\nabla F(x)\|^2}{F(x)}\ge4\lambda_{\min}(J_H(x)J_H(x)^T)",
)
# H: R^3 -> R^2 with symbolic coefficients; the left side's J_H is differentiated in the check
# (unevaluated sp.Derivative), the right side sums the outer products of the partial derivatives
# (with explicit symbols j_ij the two sides were one expression when built, issue 10)
_Xp = sp.symbols("x1:4", real=True)
_hp = sp.symbols("hp0:14", real=True)
_Hp = [sum((_hp[7 * a + i] * _Xp[i] + _hp[7 * a + 3 + i] * _Xp[i] ** 2 for i in range(3)), _hp[7 * a + 6] * _Xp[0] * _Xp[1] * _Xp[2]) for a in range(2)]
_Jd = sp.Matrix(2, 3, lambda a, i: sp.Derivative(_Hp[a], _Xp[i]))
_cols = [sp.Matrix([sp.diff(_Hp[a], _Xp[i]) for a in range(2)]) for i in range(3)]
_JJt_sum = sum((c * c.T for c in _cols), sp.zeros(2, 2))
ls_sum = vector_identity(
    "J J^T = sum_i (dH/dx_i)(dH/dx_i)^T",
    sp.Matrix(list(_Jd * _Jd.T)[:3]),
    sp.Matrix(list(_JJt_sum)[:3]),
    statement=r"J_HJ_H^T=\sum_{i=1}^p\Big(\frac{\partial H}{\partial x_i}\Big)\Big(\frac{\partial H}{\partial x_i}\Big)^T\in\mathbb{R}^{n\times n}",
    note="$n=2$, $p=3$, $H$ with symbolic coefficients (linear, square and $x_1x_2x_3$ terms), $J_H$ differentiated in the check (the entries (1,1), (1,2), (2,1); (2,2) by symmetry of the argument).",
)

register(
    Entry(
        id="pauwels.least-squares-pl",
        title="Least squares: gradient domination through lambda_min(J J^T)",
        where="Data interpolation and overparameterization: Least squares loss",
        statement=(
            r"\textbf{Least squares loss:} $H:\mathbb{R}^p\to\mathbb{R}^n$, $C^2$, $y\in\mathbb{R}^n$. $\min_x F(x):=\|H(x)-y\|^2$. "
            r"$\frac{\|\nabla F(x)\|^2}{F(x)}=2\frac{\|J_H(x)^T(H(x)-y)\|^2}{\|H(x)-y\|^2}\ge2\lambda_{\min}(J_H(x)J_H(x)^T)$, "
            r"$J_HJ_H^T=\sum_{i=1}^p(\frac{\partial H}{\partial x_i})(\frac{\partial H}{\partial x_i})^T\in\mathbb{R}^{n\times n}$."
        ),
        hypotheses=[r"$F(x)>0$ (the ratio is defined)"],
        checks=[ls_gradient, ls_stated_identity, ls_stated_numeric, rayleigh, ls_rayleigh_numeric, ls_stated_bound, ls_sum],
        corrected=[ls_corrected_identity, ls_corrected_bound],
        status=Status.ERRATUM,
        reading=(
            "$F=\\|H-y\\|^2$ without the factor $\\frac12$, so $\\nabla F=2J_H^T(H-y)$ and the identity has constant 4, not 2. "
            "The stated lower bound $2\\lambda_{\\min}$ remains true (weaker); the sharp one is $4\\lambda_{\\min}$."
        ),
    )
)


# ================================================================== overparameterized trap

_p3 = coordinates(3)
OVER_H = (_p3[0] + _p3[1] * _p3[2] / 2, _p3[1] + _p3[2] + _p3[0] ** 2 / 2)  # H(0) = 0, J(0) = [[1,0,0],[0,1,1]]
OVER_R = Q(1, 4)
OVER_LAMBDA0 = Q(1, 2)  # certified below: lambda_min(J J^T) >= 1/2 on [-R, R]^3
OVER_C = 2 * OVER_LAMBDA0  # the slide's constant: ||grad F||^2 >= 2 lambda_min F
OVER_J = tuple(tuple(sp.diff(h, v) for v in _p3) for h in OVER_H)


def _over_lmin(B: Backend, x: list[Number]) -> Number:
    flat = compiled([e for row in OVER_J for e in row], _p3)(B, x)
    J = [list(flat[0:3]), list(flat[3:6])]
    return _lam_min_JJt(B, J)


over_lmin_cert = BoxCertificate(
    "lambda_min(J_H J_H^T) >= 1/2 on the box [-1/4, 1/4]^3",
    margin=lambda B, x: _over_lmin(B, x) - B.num(OVER_LAMBDA0),
    box=Box.cube(3, OVER_R),
    statement=r"\lambda_{\min}(J_H(x)J_H(x)^T)\ge\tfrac12,\ \|x\|_\infty\le\tfrac14,\quad H(x)=\big(x_1+\tfrac{x_2x_3}2,\ x_2+x_3+\tfrac{x_1^2}2\big)",
)


@lru_cache(maxsize=256)
def _over_objective(y: tuple[Q, Q]) -> Objective:
    expr = sp.expand(sum((h - sp.Rational(yv.numerator, yv.denominator)) ** 2 for h, yv in zip(OVER_H, y, strict=True)))
    grad = [sp.diff(expr, v) for v in _p3]
    hess = [[sp.diff(g, v) for v in _p3] for g in grad]
    L = hessian_norm_bound(hess, _p3, Box.cube(3, 1), pieces=2)
    return Objective(f"||H(x) - y||^2, y = {y}", _p3, expr, Constants(L=L, region=Box.cube(3, 1), lower=Q(0), how="Arb Hessian bound on [-1,1]^3"))


@st.composite
def over_cases(draw: st.DrawFn) -> Case:
    y = (draw(rationals(Q(-1, 64), Q(1, 64), denominator=512)), draw(rationals(Q(-1, 64), Q(1, 64), denominator=512)))
    f = _over_objective(y)
    x0 = draw(st.tuples(*[rationals(Q(-1, 64), Q(1, 64), denominator=1024)] * 3))
    return Case(objective=f, params={"c": OVER_C, "R": OVER_R}, points={"x": x0})


def _over_trap_condition(c: Case) -> bool:
    f = c.objective
    assert f is not None

    def m(B: Backend) -> Number:
        x = [B.num(v) for v in c.points["x"]]
        return c.p(B, "R") - 4 * B.sqrt(f.value(B, x) / c.p(B, "c")) - B.norm(x)

    return arb_positive(m)


OVER_STEPS = 30


def _over_margin(c: Case, B: Backend) -> Number:
    f = c.objective
    assert f is not None
    path = gd_path(f, B, c.x(B), 1 / _L(c, B), OVER_STEPS)
    rho = 1 - c.p(B, "c") / (2 * _L(c, B))
    F0 = f.value(B, path[0])
    parts = []
    for k, x in enumerate(path):
        parts.append(c.p(B, "R") - B.norm(x))
        if k > 0:
            parts.append(F0 * B.ipow(rho, k) - f.value(B, x))
    return B.min(*parts)


over_pl_ball = Claim(
    "||grad F||^2 >= c F on the ball ||x|| <= R (c = 2 * 1/2)",
    cases=over_cases().flatmap(lambda c: st.tuples(*[rationals(Q(-1, 4), Q(1, 4), denominator=256)] * 3).map(lambda x: Case(objective=c.objective, params=c.params, points={"x": x}))),
    margin=lambda c, B: B.norm2(c.objective.grad(B, c.x(B))) - c.p(B, "c") * c.objective.value(B, c.x(B)),  # type: ignore[union-attr]
    where=lambda c: sum(v * v for v in c.points["x"]) <= OVER_R**2,
    statement=r"\|\nabla F(x)\|^2\ge cF(x),\ \|x\|\le R=\tfrac14,\ c=1",
    note="Follows from the certified $\\lambda_{\\min}\\ge\\frac12$ and the least squares bound $\\|\\nabla F\\|^2\\ge2\\lambda_{\\min}F$; checked here directly for the drawn $y$.",
)
over_trap = Claim(
    "trap: 4 sqrt(F(x0)/c) + ||x0|| < R gives ||x_k|| <= R and F(x_k) <= (1 - c/(2L))^k F(x0)",
    cases=over_cases(),
    margin=_over_margin,
    where=_over_trap_condition,
    statement=r"4\sqrt{F(x_0)/c}+\|x_0\|<R\implies\|x_k\|\le R,\ F(x_k)\le\big(1-\tfrac c{2L}\big)^kF(x_0),\ k\le30",
    note="GD with $\\alpha=1/L$, $L$ an Arb bound of $\\|\\nabla^2F\\|$ on $[-1,1]^3$; the iterates are computed exactly from rational $x_0$ and $y$.",
)


def _over_illustration(settings: CheckSettings) -> tuple[bool, str, dict[str, object]]:
    rng = np.random.default_rng(settings.seed)
    rates, runs, escapes = [], 0, 0
    import mpmath

    for _ in range(12):
        y = (Q(int(rng.integers(-8, 9)), 512), Q(int(rng.integers(-8, 9)), 512))
        f = _over_objective(y)
        x0 = tuple(Q(int(rng.integers(-8, 9)), 1024) for _ in range(3))
        from symbolic.backends import MPBackend

        B = MPBackend(40)
        x = [B.num(v) for v in x0]
        F0 = f.value(B, x)
        if R_cond := (float(4 * mpmath.sqrt(F0 / float(OVER_C)) + mpmath.norm(mpmath.matrix(x))) >= float(OVER_R)):
            continue
        del R_cond
        runs += 1
        path = gd_path(f, B, x, 1 / B.num(f.constants.L), 200)
        Fs = [float(f.value(B, p)) for p in path]
        if max(float(mpmath.norm(mpmath.matrix(p))) for p in path) > float(OVER_R):
            escapes += 1
        if Fs[0] > 0 and Fs[-1] > 0:
            rates.append((Fs[-1] / Fs[0]) ** (1 / 200))
    L_over = _over_objective((Q(0), Q(0))).constants.L
    assert L_over is not None
    bound = 1 - float(OVER_C) / 2 / float(L_over)
    ok = runs > 0 and escapes == 0 and all(r <= bound + 1e-9 for r in rates)
    return ok, f"{runs} runs satisfying the trap condition, {escapes} left the ball; observed per-step rates {[round(r, 4) for r in rates]} vs bound about {bound:.4f}", {"rates": rates}


over_illustration = Illustration(
    "global linear convergence from trap initializations (200 steps)",
    _over_illustration,
    shows="from every sampled small $(y, x_0)$ satisfying the trap condition, the 200 GD iterates stay in the ball and $F$ decays at least at the rate $1-c/(2L)$",
    does_not_show="anything about large $p$, random initialization or neural networks (one fixed $H:\\mathbb{R}^3\\to\\mathbb{R}^2$); the limit $k\\to\\infty$",
)

register(
    Entry(
        id="pauwels.overparameterized-trap",
        title="Overparameterization: the trap gives global linear convergence",
        where="Data interpolation and overparameterization; Two global convergence results",
        statement=(
            r"\textbf{Overparameterization intuition:} For $p\gg n$, $J_H$ is surjective, $J_HJ_H^T$ is invertible. Assume $0=H(0)$, then for any $y$, "
            r"$\exists R,c>0$, $\|\nabla F(x)\|^2\ge cF(x)$, $\forall x$, $\|x\|\le R$. For $y$ and $x_0$ small enough, "
            r"$4\sqrt{\frac{F(x_0)}c}+\|x_0\|<R\to$ trap, global linear convergence."
        ),
        hypotheses=[r"$H(0)=0$, $J_H(0)J_H(0)^T$ invertible", r"GD with $\alpha=1/L$"],
        checks=[over_lmin_cert, over_pl_ball, over_trap, over_illustration],
        status=Status.VERIFIED,
        reading=(
            "One concrete $H:\\mathbb{R}^3\\to\\mathbb{R}^2$ with $H(0)=0$: $R=\\frac14$ and $c=2\\cdot\\frac12$ certified through $\\lambda_{\\min}(J_HJ_H^T)\\ge\\frac12$ on the box; "
            "the trap condition is the trap mechanism's $\\|x_0-\\bar x\\|+2\\varphi(F(x_0))<\\varepsilon$ with $\\bar x=0$, $\\varepsilon=R$, $\\varphi=2\\sqrt{t/c}$ "
            "(the remark `does not require $F(\\bar x)=0$'). `Global linear convergence' is read as linear convergence of $F(x_k)$ to $0$."
        ),
    )
)


# ================================================================== AMA convergence (illustration)

_q1, _q2 = coordinates(2)
AMA_F = (_q1**2 + _q2**2) / 2 + 2 * sp.cos(_q1)  # analytic (so KL), coercive, L = 1 + 2 = 3
AMA_L = 3.0


def _ama_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, object]]:
    rng = np.random.default_rng(settings.seed)
    n = max(16, int(16 * settings.mc_scale))
    X = rng.uniform(-4, 4, size=(n, 2))
    X[0] = (0.0, 3.0)  # on the stable manifold of the saddle (0, 0)
    K = 3000
    Fv = lambda Z: 0.5 * (Z**2).sum(1) + 2 * np.cos(Z[:, 0])  # noqa: E731
    grad = lambda Z: np.stack([Z[:, 0] - 2 * np.sin(Z[:, 0]), Z[:, 1]], 1)  # noqa: E731
    length = np.zeros(n)
    half_length = None
    F_prev = Fv(X)
    monotone = True
    for k in range(K):
        Xn = X - grad(X) / AMA_L
        length += np.linalg.norm(Xn - X, axis=1)
        F_new = Fv(Xn)
        monotone &= bool(np.all(F_new <= F_prev + 1e-12))
        F_prev, X = F_new, Xn
        if k == K // 2:
            half_length = length.copy()
    assert half_length is not None
    gnorm = np.linalg.norm(grad(X), axis=1)
    tail = length - half_length
    ok = monotone and bool(np.all(gnorm < 1e-9)) and bool(np.all(tail < 1e-9))
    limits = sorted({(round(float(a), 6), round(float(b), 6)) for a, b in X})
    return ok, (
        f"{n} runs of {K} steps, alpha = 1/L = 1/3: F decreasing = {monotone}; max ||grad F(x_K)|| = {gnorm.max():.2e}; "
        f"path lengths in [{length.min():.4f}, {length.max():.4f}], length added in the second half <= {tail.max():.2e}; limits {limits}"
    ), {"lengths": length.tolist(), "limits": limits}


ama_illustration = Illustration(
    "GD on the analytic (hence KL) function |x|^2/2 + 2 cos x1: convergence with finite length",
    _ama_experiment,
    statement=r"F(x)=\tfrac12\|x\|^2+2\cos x_1,\ L=3,\ \alpha=1/L:\ x_k\to\bar x,\ \nabla F(\bar x)=0,\ \sum_k\|x_{k+1}-x_k\|<\infty",
    shows="on a nonconvex analytic function with compact sublevel sets, every sampled GD run (including one started on the saddle's stable manifold) has a path length that stops growing and ends at a critical point ($\\pm1.895\\ldots$, 0) or the saddle",
    does_not_show="the theorem itself (a finite run cannot show $k\\to\\infty$ convergence), nor its generality; float64 arithmetic",
)
_z = sp.Symbol("z", real=True)
ama_L = Implication(
    "|F''| bound: the Hessian of |x|^2/2 + 2cos x1 is diag(1 - 2cos x1, 1), so L = 3",
    hypotheses=[_z >= -1, _z <= 1],
    conclusion=sp.And(1 - 2 * _z <= 3, 1 - 2 * _z >= -3),
    statement=r"\nabla^2F=\operatorname{diag}(1-2\cos x_1,\,1),\ |1-2\cos x_1|\le3",
)

register(
    Entry(
        id="pauwels.kl-convergence",
        title="Convergence of GD under the KL assumption (Absil, Mahony, Andrews 2005)",
        where="Convergence under KL assumption: Theorem (Absil, Mahony, Andrews 2005 [AMA2005])",
        statement=(
            r"Let $F:\mathbb{R}^p\mapsto\mathbb{R}$ be bounded below, $C^1$ with $L$-Lipschitz gradient and satisfy KL property. Assume that $x_0\in\mathbb{R}^p$ "
            r"is such that $\{x\in\mathbb{R}^p,F(x)\le F(x_0)\}$ is compact and for all $k\in\mathbb{N}$ $x_{k+1}=x_k-\alpha\nabla F(x_k)$, with $\alpha=1/L$. "
            r"Then $x_k\to\bar x$ where $\nabla F(\bar x)=0$ and $\sum_{k\in\mathbb{N}}\|x_{k+1}-x_k\|$ is finite."
        ),
        hypotheses=[r"$F$ bounded below, $C^1$, $L$-Lipschitz gradient, KL", r"compact sublevel set of $x_0$", r"$\alpha=1/L$"],
        checks=[ama_L, ama_illustration],
        status=Status.ILLUSTRATED,
        reading="Its proof is encoded line by line in pauwels.sufficient-decrease and pauwels.kl-trap; this entry only illustrates the conclusion on one analytic function.",
    )
)


# ================================================================== Mexican hat (illustration)

_m1, _m2 = coordinates(2)
_mr2 = _m1**2 + _m2**2
_ms = 1 / (1 - _mr2)
_mw = 4 * _mr2**2 / (4 * _mr2**2 + (1 - _mr2) ** 4)
#: Absil-Mahony-Andrews (2005), Palis-de Melo type: f(r, theta) = exp(-1/(1-r^2)) [1 - 4r^4/(4r^4+(1-r^2)^4) sin(theta - 1/(1-r^2))] for r < 1, 0 for r >= 1
MEXICAN_HAT = sp.exp(-_ms) * (1 - _mw * ((_m2 / sp.sqrt(_mr2)) * sp.cos(_ms) - (_m1 / sp.sqrt(_mr2)) * sp.sin(_ms)))
_rr_s = sp.Symbol("r", positive=True)
mh_weight = Implication(
    "0 <= w < 1 inside the disk, so f > 0 for r < 1 and the unit circle (f = 0) is a set of global minima",
    hypotheses=[_rr_s < 1],
    conclusion=sp.And(4 * _rr_s**4 < 4 * _rr_s**4 + (1 - _rr_s**2) ** 4, 4 * _rr_s**4 >= 0),
    statement=r"0<r<1\implies0\le w(r)=\frac{4r^4}{4r^4+(1-r^2)^4}<1",
)
_th_s, _s_s = sp.symbols("theta s", real=True)
mh_polar = Identity(
    "the Cartesian form: (y/r) cos s - (x/r) sin s = sin(theta - s) with x = r cos theta, y = r sin theta",
    sp.sin(_th_s) * sp.cos(_s_s) - sp.cos(_th_s) * sp.sin(_s_s),
    sp.sin(_th_s - _s_s),
    statement=r"\frac yr\cos s-\frac xr\sin s=\sin(\theta-s),\quad f=e^{-s}\big[1-w\sin(\theta-s)\big],\ s=\frac1{1-r^2}",
    note=r"So MEXICAN\_HAT (Cartesian, as encoded) is $e^{-\frac1{1-r^2}}\big[1-\frac{4r^4}{4r^4+(1-r^2)^4}\sin(\theta-\frac1{1-r^2})\big]$.",
)


def _mh_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, object]]:
    import math

    gx, gy = (sp.lambdify((_m1, _m2), sp.diff(MEXICAN_HAT, v), "math") for v in (_m1, _m2))
    fv = sp.lambdify((_m1, _m2), MEXICAN_HAT, "math")
    alpha = 1 / 32.0  # the Hessian norm sampled on a polar grid of the disk stays below 31
    r0 = 0.6
    th0 = 1 / (1 - r0 * r0) + math.pi / 2  # start on the valley theta = s(r) + pi/2
    px, py = r0 * math.cos(th0), r0 * math.sin(th0)
    steps = int(60000 * max(1.0, settings.mc_scale))
    ang = math.atan2(py, px)
    winding, prev_f = 0.0, fv(px, py)
    worst_offset, monotone = 0.0, True
    checkpoints = []
    for k in range(1, steps + 1):
        ux, uy = gx(px, py), gy(px, py)
        px, py = px - alpha * ux, py - alpha * uy
        a = math.atan2(py, px)
        winding += (a - ang + math.pi) % (2 * math.pi) - math.pi
        ang = a
        r = math.hypot(px, py)
        offset = abs(((a - 1 / (1 - r * r)) - math.pi / 2 + math.pi) % (2 * math.pi) - math.pi)
        if k > 1000:
            worst_offset = max(worst_offset, offset)
        fk = fv(px, py)
        monotone &= fk <= prev_f
        prev_f = fk
        if k % (steps // 6) == 0:
            checkpoints.append((k, round(r, 5), round(winding / (2 * math.pi), 4), fk))
    rs = [c[1] for c in checkpoints]
    turns = [c[2] for c in checkpoints]
    ok = monotone and worst_offset < 0.3 and all(b > a for a, b in zip(rs, rs[1:], strict=False)) and all(b > a for a, b in zip(turns, turns[1:], strict=False))
    return ok, (
        f"{steps} GD steps, alpha = 1/32, from r = 0.6 on the valley: (step, r_k, turns, F) = {checkpoints}; F decreasing = {monotone}; "
        f"max deviation of theta_k from the valley s(r_k) + pi/2 after 1000 steps = {worst_offset:.3g} rad"
    ), {"checkpoints": checkpoints}


mh_illustration = Illustration(
    "GD on the Mexican hat follows the spiralling valley (r_k increases, the angle keeps turning)",
    _mh_experiment,
    statement=r"\theta_k-\frac{1}{1-r_k^2}\approx\frac\pi2,\quad r_k\uparrow,\quad \theta_k\uparrow",
    shows=(
        "on the $C^\\infty$ Mexican hat of Absil-Mahony-Andrews, GD iterates are trapped in the valley $\\theta=\\frac1{1-r^2}+\\frac\\pi2$, "
        "whose angle tends to $+\\infty$ as $r\\to1$ (the valley winds infinitely often around the circle of minima); along the run $r_k$ and the "
        "winding angle increase and $F$ decreases"
    ),
    does_not_show=(
        "non-convergence itself: a finite run (only a fraction of a turn, since $F\\sim e^{-1/(1-r^2)}$ makes progress extremely slow) "
        "cannot show that the iterates turn infinitely often, nor that they accumulate on the whole unit circle; float64 arithmetic; "
        "the step $1/32$ uses a sampled, not certified, bound on the Hessian"
    ),
)
_Mbig = sp.Symbol("M", positive=True)
mh_winding = Implication(
    "the valley angle s(r) = 1/(1-r^2) is unbounded as r -> 1-",
    hypotheses=[_rr_s < 1, _rr_s**2 >= 1 - 1 / _Mbig],
    conclusion=1 / (1 - _rr_s**2) >= _Mbig,
    statement=r"1-\tfrac1M\le r^2<1\implies\frac{1}{1-r^2}\ge M\quad(\text{so }\lim_{r\to1^-}\tfrac{1}{1-r^2}=+\infty)",
)

register(
    Entry(
        id="pauwels.mexican-hat",
        title="Mexican hat: without KL the iterates may not converge",
        where="Convergence under KL assumption: Mexican hat function",
        statement=r"\textbf{Mexican hat function:} Convergence of the sequence may not occur (without KL) even for $C^\infty$ losses.",
        checks=[mh_polar, mh_weight, mh_winding, mh_illustration],
        status=Status.ILLUSTRATED,
        reading="The slide names no function: the Mexican hat of Absil, Mahony and Andrews (2005), after Palis and de Melo, is used; it is $C^\\infty$ but fails KL on the circle of minima $r=1$.",
    )
)
