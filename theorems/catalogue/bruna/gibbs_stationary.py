"""Bruna, lecture 9, slide "GRADIENT FLOWS AND FOKKER-PLANK" (1st): the Gibbs density is stationary.

Proposition as printed: if g is smooth and e^{−D⁻¹g} ∈ L¹, the Fokker–Planck equation defines an
ergodic Markov process whose (unique) invariant distribution is p = Z⁻¹e^{−D⁻¹g}. Checked: the
Gibbs density is a stationary solution (its probability flux vanishes), and it is the only
zero-flux density; ergodicity is not encoded (see the reading).
"""

from __future__ import annotations

import sympy as sp

from symbolic.sde import OperatorIdentity
from theorems.catalogue.bruna._symbolic import WITNESSES, D, Z, g_and_sde, gibbs
from theorems.registry import Entry, Status, register


def _stationary(d: int) -> tuple[sp.Expr, sp.Expr]:
    xs, g, sde = g_and_sde(d, sp.sqrt(2 * D))
    return sde.fokker_planck(gibbs(g, D) / Z), sp.Integer(0)


def _stationary_1(x: sp.Symbol, y: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    g = sp.Function("g")(x, y)
    p = gibbs(g, D) / Z
    return sp.diff(sp.diff(g, x) * p, x) + D * sp.diff(p, x, 2), sp.Integer(0)


gibbs_is_stationary = OperatorIdentity(
    "the Gibbs density Z^-1 exp(-g/D) is a stationary solution: L* p = 0",
    _stationary,
    one_coordinate=_stationary_1,
    witnesses=WITNESSES,
    statement=r"p=Z^{-1}e^{-D^{-1}g}:\quad \nabla\cdot(\nabla g\,p)+D\Delta p=0",
    note="Computed with the engine's Fokker-Planck operator of $dX=-\\nabla g\\,dt+\\sqrt{2D}dW$, $g$ undefined.",
)


def _flux(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    xs, g, _ = g_and_sde(d, sp.sqrt(2 * D))
    p = sp.Function("p")(*xs)
    u = p * sp.exp(g / D)
    lhs = sp.Matrix([-(sp.diff(g, x) * p + D * sp.diff(p, x)) for x in xs])
    return lhs, sp.Matrix([-D * sp.exp(-g / D) * sp.diff(u, x) for x in xs])


def _flux_1(x: sp.Symbol, y: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    g, p = sp.Function("g")(x, y), sp.Function("p")(x, y)
    return -(sp.diff(g, x) * p + D * sp.diff(p, x)), -D * sp.exp(-g / D) * sp.diff(p * sp.exp(g / D), x)


zero_flux_unique = OperatorIdentity(
    "the flux -(grad g p + D grad p) equals -D e^{-g/D} grad(p e^{g/D}): it vanishes iff p = C e^{-g/D}",
    _flux,
    one_coordinate=_flux_1,
    witnesses=WITNESSES,
    statement=r"J:=-(\nabla g\,p+D\nabla p)=-De^{-g/D}\,\nabla\big(pe^{g/D}\big),\quad\text{so } J\equiv0\iff p=Ce^{-g/D}",
    note=(
        r"$\partial_tp=-\nabla\cdot J$. On the connected $\mathbb{R}^d$, $\nabla(pe^{g/D})\equiv0$ iff $pe^{g/D}$ is constant, and $\int p=1$ fixes "
        r"$C=1/Z$, finite because $e^{-g/D}\in L^1$: among densities with zero flux the Gibbs density is unique."
    ),
)

def _conjugation(d: int) -> tuple[sp.Expr, sp.Expr]:
    xs, g, sde = g_and_sde(d, sp.sqrt(2 * D))
    h = sp.Function("h")(*xs)
    rho = gibbs(g, D)
    return sde.fokker_planck(h * rho), rho * sde.generator(h)


def _conjugation_1(x: sp.Symbol, y: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    g, h = sp.Function("g")(x, y), sp.Function("h")(x, y)
    rho = gibbs(g, D)
    return sp.diff(sp.diff(g, x) * h * rho, x) + D * sp.diff(h * rho, x, 2), rho * (-sp.diff(g, x) * sp.diff(h, x) + D * sp.diff(h, x, 2))


stationary_means_harmonic = OperatorIdentity(
    "uniqueness: p = h rho is stationary iff L h = 0, since L*(h rho) = rho L h",
    _conjugation,
    one_coordinate=_conjugation_1,
    witnesses=WITNESSES,
    statement=r"\mathcal{L}^*(h\rho)=\rho\,\mathcal{L}h,\quad\mathcal{L}=-\nabla g\cdot\nabla+D\Delta",
    note=(
        r"A stationary density $p=h\rho$ with $h\in L^2(\rho)$ (i.e. $\int p^2/\rho<\infty$) has $\mathcal{L}h=0$, hence $\int\|\nabla h\|^2\rho=-\langle\mathcal{L}h,h\rangle_\rho/D=0$ "
        r"(Dirichlet form, bruna.generator-self-adjoint), so $h$ is constant and $p=\rho$ after normalisation."
    ),
)

register(
    Entry(
        id="bruna.gibbs-stationary",
        title="Proposition: the Gibbs density Z^-1 exp(-g/D) is the stationary distribution of the gradient-flow Fokker-Planck equation",
        where="GRADIENT FLOWS AND FOKKER-PLANK (1st slide)",
        statement=(
            r"\textbf{Proposition:} If $g(x)$ is smooth and $e^{-D^{-1}g(x)}\in L^1(\mathbb{R}^d)$, then FP defines an Ergodic Markov Process, "
            r"whose (unique) invariant distribution is Gibbs: $p(x)=\frac1Ze^{-D^{-1}g(x)}$."
        ),
        hypotheses=[r"$g$ smooth", r"$e^{-D^{-1}g}\in L^1(\mathbb{R}^d)$, $Z=\int e^{-D^{-1}g}$", r"$D>0$"],
        checks=[gibbs_is_stationary, zero_flux_unique, stationary_means_harmonic],
        status=Status.VERIFIED,
        reading=(
            r"'Invariant' is read as a stationary solution of $\partial_tp=\nabla\cdot(\nabla g\,p)+D\Delta p$ (proved for undefined $g$, every $d$). "
            r"'Unique' is checked in two classes: among densities whose probability flux vanishes (detailed balance; the flux is $-De^{-g/D}\nabla(pe^{g/D})$), "
            r"and among stationary densities with $p/\rho\in L^2(\rho)$ ($\mathcal{L}^*(h\rho)=\rho\mathcal{L}h$, then the Dirichlet form of bruna.generator-self-adjoint). "
            r"Uniqueness without that integrability and ergodicity (convergence of $p_t$ to $\rho$) need analytic arguments that are not encoded "
            r"(bruna.convex-entropy-decay measures the convergence for convex $g$)."
        ),
        proof=["bruna.gradient-flow-fokker-planck", "bruna.generator-self-adjoint"],
    )
)
