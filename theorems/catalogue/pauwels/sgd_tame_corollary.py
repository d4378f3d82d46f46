"""pauwels.sgd-tame-corollary: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 5 "Approaching critical point with noise", slide "Corollary for deep learning" (and "Main ingredients").

SGD with iid uniform sampling on a definable (tame) loss, conditioned on bounded iterates: F(theta_k) converges and
every accumulation point is critical (Morse-Sard: F* finite, so Omega is a singleton). Illustrated.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symbolic import CheckSettings, Definition, Illustration, Judgement, MonteCarlo, Verdict
from theorems.catalogue.pauwels._common import Cs, Xs, Ys, elimination_polynomial
from theorems.registry import Entry, Status, register

_XD = np.array([1.0, 2.0, -1.0])
_YD = np.array([1.0, 2.5, -0.5])
Fprod = sum((Xs * Ys * float(xd) - sp.nsimplify(yd)) ** 2 for xd, yd in zip(_XD.tolist(), _YD.tolist(), strict=True)) / 3
Fprod = sp.nsimplify(Fprod)


def product_critical_values(_: object) -> Judgement:
    g = elimination_polynomial(Fprod)
    roots = sp.Poly(g, Cs).real_roots() if g != 0 else []
    return Judgement(g != 0, Verdict.PROVED, f"critical values among the roots of {sp.factor(g)}: {roots}")


product_Fstar = Definition(
    "F(theta) = (1/3) sum_i (theta_1 theta_2 x_i - y_i)^2 (semi-algebraic) has finitely many critical values",
    product_critical_values,
    [("two-parameter linear network", None, True)],
    statement=r"F^*\ \text{finite (Gr\"obner elimination)},\quad F(\theta)=\tfrac13\textstyle\sum_i(\theta_1\theta_2x_i-y_i)^2",
)


def _sgd_product(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    th = rng.uniform(-1.5, 1.5, size=(n, 2))
    tail_lo, tail_hi = np.full(n, np.inf), np.full(n, -np.inf)
    maxnorm = np.zeros(n)
    K = 20000
    for j in range(K):
        i = rng.integers(0, 3, size=n)
        r = th[:, 0] * th[:, 1] * _XD[i] - _YD[i]
        g = np.column_stack([2 * r * _XD[i] * th[:, 1], 2 * r * _XD[i] * th[:, 0]])
        th = th - 0.5 / (j + 100) * g
        maxnorm = np.maximum(maxnorm, np.linalg.norm(th, axis=1))
        if j >= K // 2:
            p = th[:, 0] * th[:, 1]
            Fv = ((p[:, None] * _XD[None, :] - _YD[None, :]) ** 2).mean(axis=1)
            tail_lo, tail_hi = np.minimum(tail_lo, Fv), np.maximum(tail_hi, Fv)
    return th, tail_hi - tail_lo, maxnorm


def _critical_and_settled(rng: np.random.Generator, n: int) -> np.ndarray:
    th, width, maxnorm = _sgd_product(rng, n)
    p = th[:, 0] * th[:, 1]
    r = p[:, None] * _XD[None, :] - _YD[None, :]
    grad = np.column_stack([(2 * r * _XD[None, :]).mean(axis=1) * th[:, 1], (2 * r * _XD[None, :]).mean(axis=1) * th[:, 0]])
    return (np.linalg.norm(grad, axis=1) <= 5e-2) & (width <= 1e-2) & (maxnorm <= 10)


corollary_mc = MonteCarlo(
    "SGD (uniform sampling, alpha_k = 0.5/(k+100)) on the product model: bounded, F(theta_k) settles, grad F(theta_K) ~ 0",
    _critical_and_settled,
    rel=">=",
    bound=0.95,
    samples=400,
    statement=r"\mathbb{P}\Big[\sup_k\|\theta_k\|\le10,\ \mathrm{osc}_{k\ge K/2}F(\theta_k)\le0.01,\ \|\nabla F(\theta_K)\|\le0.05\Big]\ge0.95",
    note="$K=20000$ steps from uniform initialisations in $[-1.5,1.5]^2$; finite-horizon proxies for a.s. convergence of $F(\\theta_k)$ and criticality of accumulation points. Clopper-Pearson at confidence $1-10^{-3}$.",
)


def corollary_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    rng = np.random.default_rng(settings.seed)
    th, width, _ = _sgd_product(rng, 200)
    p = th[:, 0] * th[:, 1]
    Fv = ((p[:, None] * _XD[None, :] - _YD[None, :]) ** 2).mean(axis=1)
    g = elimination_polynomial(Fprod)
    Fstar = [float(r) for r in sp.Poly(g, Cs).real_roots()]
    dist = np.min(np.abs(Fv[:, None] - np.array(Fstar)[None, :]), axis=1)
    ok = bool(np.quantile(dist, 0.95) < 2e-2)
    figure = {"kind": "histogram", "values": [float(v) for v in Fv], "bins": 40, "xlabel": f"F(theta_K) over 200 runs (F* = {[round(v, 4) for v in Fstar]})"}
    return ok, f"F* = {[round(v, 6) for v in Fstar]}; final F(theta_K) within {np.quantile(dist, 0.95):.2g} of F* for 95% of 200 runs (median tail oscillation {np.median(width):.2g})", {"figure": figure}


corollary_illustration = Illustration(
    "the final values F(theta_K) sit at a critical value in F*",
    corollary_experiment,
    shows="on the semi-algebraic product model the limits of $F(\\theta_k)$ are (up to finite-horizon error) elements of the finite set $F^*$ obtained by elimination",
    does_not_show="almost sure convergence (finite runs), nor the corollary for networks with more parameters",
    statement=r"\lim_kF(\theta_k)\in F^*",
)

register(
    Entry(
        id="pauwels.sgd-tame-corollary",
        title="Corollary for deep learning: SGD on tame losses",
        where="Corollary for deep learning (both slides)",
        statement=(
            r"Stochastic gradient with $(i_k)$ iid uniform on $\{1,\dots,n\}$: $\theta_{k+1}|\theta_k=\theta_k-\alpha_k\nabla l_{i_k}(\theta_k)$. "
            r"Conditioning on $(\theta_k)$ being bounded, almost surely, $F(\theta_k)$ converges and any accumulation point $\bar\theta$ satisfies "
            r"$\nabla F(\bar\theta)=0$ (nonsmooth version: $0\in\partial F(\bar\theta)$). Ingredients: $F$ definable; definable Morse-Sard ($F^*$ finite); "
            r"$\Omega\subset F^*$ an interval, hence a singleton; accumulation points critical by descent in the limit."
        ),
        hypotheses=[r"$F$ tame (semi-algebraic)", r"$\sum\alpha_k=\infty$, $\sum\alpha_k^2<\infty$", r"$(\theta_k)$ bounded"],
        checks=[product_Fstar, corollary_mc, corollary_illustration],
        status=Status.ILLUSTRATED,
        reading="The slide does not state step-size conditions on this slide; the Robbins-Monro conditions of 'The ODE method' are assumed. Illustrated on the smooth semi-algebraic model $F(\\theta)=\\frac13\\sum_i(\\theta_1\\theta_2x_i-y_i)^2$ (the $(a,b)\\mapsto ab$ structure of networks); the nonsmooth version is not simulated.",
    )
)
