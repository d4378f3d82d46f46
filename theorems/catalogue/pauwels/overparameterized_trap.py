"""pauwels.overparameterized-trap: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slides "Data interpolation and overparameterization"
(item "Overparameterization intuition") and "Two global convergence results".

For p >> n, J_H J_H^T is invertible near 0, so ||grad F(x)||^2 >= c F(x) on ||x|| <= R; for y, x_0 small enough
(4 sqrt(F(x_0)/c) + ||x_0|| < R) the trap gives global linear convergence.
"""

from __future__ import annotations

from fractions import Fraction as Q
from functools import lru_cache

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Box,
    BoxCertificate,
    Case,
    CheckSettings,
    Claim,
    Constants,
    Illustration,
    Objective,
    coordinates,
)
from symbolic.backends import Backend, Number
from symbolic.compile import compiled
from symbolic.families import rationals
from symbolic.notation import NotationClaim
from symbolic.rigorous import hessian_norm_bound
from theorems.catalogue.pauwels._common import arb_positive, gd_path
from theorems.catalogue.pauwels._descent import lambda_min_JJt, smoothness_constant
from theorems.registry import Entry, Status, register

_p3 = coordinates(3)
OVER_H = (_p3[0] + _p3[1] * _p3[2] / 2, _p3[1] + _p3[2] + _p3[0] ** 2 / 2)  # H(0) = 0, J(0) = [[1,0,0],[0,1,1]]
OVER_R = Q(1, 4)
OVER_LAMBDA0 = Q(1, 2)  # certified below: lambda_min(J J^T) >= 1/2 on [-R, R]^3
OVER_C = 2 * OVER_LAMBDA0  # the slide's constant: ||grad F||^2 >= 2 lambda_min F
OVER_J = tuple(tuple(sp.diff(h, v) for v in _p3) for h in OVER_H)


def _over_lmin(B: Backend, x: list[Number]) -> Number:
    flat = compiled([e for row in OVER_J for e in row], _p3)(B, x)
    J = [list(flat[0:3]), list(flat[3:6])]
    return lambda_min_JJt(B, J)


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
    path = gd_path(f, B, c.x(B), 1 / smoothness_constant(c, B), OVER_STEPS)
    rho = 1 - c.p(B, "c") / (2 * smoothness_constant(c, B))
    F0 = f.value(B, path[0])
    parts = []
    for k, x in enumerate(path):
        parts.append(c.p(B, "R") - B.norm(x))
        if k > 0:
            parts.append(F0 * B.ipow(rho, k) - f.value(B, x))
    return B.min(*parts)


over_pl_ball = NotationClaim(
    "||grad F||^2 >= c F on the ball ||x|| <= R (c = 2 * 1/2)",
    "gradnorm(x)^2 >= c*F(x)",
    cases=over_cases().flatmap(lambda c: st.tuples(*[rationals(Q(-1, 4), Q(1, 4), denominator=256)] * 3).map(lambda x: Case(objective=c.objective, params=c.params, points={"x": x}))),
    params=("c",),
    where=lambda c: sum(v * v for v in c.points["x"]) <= OVER_R**2,
    domain=r"\|x\|\le R=\tfrac14,\ c=1",
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
