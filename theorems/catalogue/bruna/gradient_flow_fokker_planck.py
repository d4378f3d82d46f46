"""Bruna, lecture 9, slide "GRADIENT FLOWS": the Fokker–Planck equation of dX = −∇g(X)dt + √(2D) dW.

As printed: ∂ₜp = ∇·(∇g p) + DΔp. Proved for an undefined potential g and density p, in every
dimension (the operator is a sum over coordinates of one-coordinate terms).
"""

from __future__ import annotations

import sympy as sp

from symbolic.sde import OperatorIdentity, divergence, gradient, laplacian
from theorems.catalogue.bruna._symbolic import WITNESSES, D, g_and_sde
from theorems.registry import Entry, Status, register


def _build(d: int) -> tuple[sp.Expr, sp.Expr]:
    xs, g, sde = g_and_sde(d, sp.sqrt(2 * D))
    p = sp.Function("p")(*xs)
    return sde.fokker_planck(p), divergence(gradient(g, xs) * p, xs) + D * laplacian(p, xs)


def _one(x: sp.Symbol, y: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    g, p = sp.Function("g")(x, y), sp.Function("p")(x, y)
    # the i-th term of the generic operator -d_i(p b_i) + 1/2 d_i^2 (p sigma^2), b_i = -d_i g, sigma^2 = 2D
    lhs = -sp.diff(p * (-sp.diff(g, x)), x) + sp.diff(p * 2 * D, x, 2) / 2
    return lhs, sp.diff(sp.diff(g, x) * p, x) + D * sp.diff(p, x, 2)


gradient_flow_fp = OperatorIdentity(
    "the Fokker-Planck operator of dX = -grad g dt + sqrt(2D) dW is div(grad g p) + D Delta p",
    _build,
    one_coordinate=_one,
    witnesses=WITNESSES,
    statement=r"b=-\nabla g,\ \sigma=\sqrt{2D}\,I:\quad -\nabla\cdot(pb)+\tfrac12\textstyle\sum_{ij}\partial_i\partial_j\big(p\,(\sigma\sigma^\top)_{ij}\big)=\nabla\cdot(\nabla g\,p)+D\Delta p",
    note="The left side is the engine's general Fokker-Planck operator (see bruna.fokker-planck) applied to this SDE; $g$ and $p$ undefined.",
)

register(
    Entry(
        id="bruna.gradient-flow-fokker-planck",
        title="The Fokker-Planck equation of the gradient-flow SDE dX = -grad g dt + sqrt(2D) dW",
        where="GRADIENT FLOWS",
        statement=(
            r"Consider the SDE $dX_t=-\nabla g(X_t)dt+\sqrt{2D}dW_t$ and its associated Fokker-Plank equation: $\partial_tp=\nabla\cdot(\nabla g\,p)+D\Delta p$. "
            r"This is a diffusion process with potential function $g$."
        ),
        hypotheses=[r"$g$ smooth, $D>0$"],
        checks=[gradient_flow_fp],
        status=Status.VERIFIED,
        reading=r"$\sqrt{2D}$ multiplies a $d$-dimensional Brownian motion ($\sigma=\sqrt{2D}I_d$, $l=d$); the equation itself is bruna.fokker-planck's.",
        proof=["bruna.fokker-planck"],
    )
)
