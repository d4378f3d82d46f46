"""Bruna, lecture 9, slide "GRADIENT FLOWS AND FOKKER-PLANK" (1st): p = hρ gives the backward Kolmogorov equation.

As printed: with ρ the Gibbs density and p(x, t) = h(x, t)ρ(x), ∂ₜh = −⟨∇g, ∇h⟩ + DΔh. Proved for
undefined g and h in every dimension.
"""

from __future__ import annotations

import sympy as sp

from symbolic.sde import OperatorIdentity, gradient, laplacian
from theorems.catalogue.bruna._symbolic import WITNESSES, D, g_and_sde, gibbs
from theorems.registry import Entry, Status, register


def _build(d: int) -> tuple[sp.Expr, sp.Expr]:
    xs, g, sde = g_and_sde(d, sp.sqrt(2 * D))
    h = sp.Function("h")(*xs)
    rho = gibbs(g, D)
    # d_t p = L* p with p = h rho and rho independent of t: rho d_t h = L*(h rho)
    return sde.fokker_planck(h * rho) / rho, -(gradient(g, xs).T * gradient(h, xs))[0, 0] + D * laplacian(h, xs)


def _one(x: sp.Symbol, y: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    g, h = sp.Function("g")(x, y), sp.Function("h")(x, y)
    rho = gibbs(g, D)
    return (sp.diff(sp.diff(g, x) * h * rho, x) + D * sp.diff(h * rho, x, 2)) / rho, -sp.diff(g, x) * sp.diff(h, x) + D * sp.diff(h, x, 2)


backward = OperatorIdentity(
    "p = h rho in d_t p = div(grad g p) + D Delta p gives d_t h = -<grad g, grad h> + D Delta h",
    _build,
    one_coordinate=_one,
    witnesses=WITNESSES,
    statement=r"\rho=e^{-g/D}:\quad \frac{1}{\rho}\Big(\nabla\cdot(\nabla g\,h\rho)+D\Delta(h\rho)\Big)=-\langle\nabla g,\nabla h\rangle+D\Delta h",
    note=r"Since $\rho$ does not depend on $t$, $\partial_tp=\rho\,\partial_th$; dividing the Fokker-Planck equation by $\rho>0$ gives the stated equation. The normalisation $Z$ cancels.",
)

register(
    Entry(
        id="bruna.backward-kolmogorov",
        title="p = h rho turns the Fokker-Planck equation into the backward Kolmogorov equation",
        where="GRADIENT FLOWS AND FOKKER-PLANK (1st slide)",
        statement=(
            r"Assume that $p(x,t)$ is the solution of above FP equation, and $\rho(x)$ the associated Gibbs stationary distribution. "
            r"Defining $h(x,t)$ as $p(x,t)=h(x,t)\rho(x)$, we obtain the backward Kolmogorov equation: $\partial_th=-\langle\nabla g,\nabla h\rangle+D\Delta h$."
        ),
        hypotheses=[r"$p$ solves $\partial_tp=\nabla\cdot(\nabla g\,p)+D\Delta p$", r"$\rho=Z^{-1}e^{-g/D}$"],
        checks=[backward],
        status=Status.VERIFIED,
        reading="The identity is pointwise in $t$ ($h$ at a fixed time is an undefined function of $x$).",
        proof=["bruna.gradient-flow-fokker-planck"],
    )
)
