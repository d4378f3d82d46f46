"""Shared symbolic helpers of the Bruna lecture-9 entries: symbols, gradient-flow SDEs, witnesses."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symbolic.sde import SDE, gradient, potential, space

__all__ = ["D", "BETA", "GAMMA", "Z", "WITNESSES", "gradient_flow", "gibbs", "g_and_sde", "space", "potential", "gradient"]

#: the diffusion constant, the temperature / annealing parameter, the step size, a normalising constant
D = sp.Symbol("D", positive=True)
BETA = sp.Symbol("beta", positive=True)
GAMMA = sp.Symbol("gamma", positive=True)
Z = sp.Symbol("Z", positive=True)


def _g(*u: sp.Expr) -> sp.Expr:
    """A concrete potential: a quadratic bowl plus a cubic term (not symmetric, so sign slips show)."""
    return sum((v**2 for v in u), sp.Integer(0)) / 2 + u[0] ** 3 / 3


def _p(*u: sp.Expr) -> sp.Expr:
    return sp.exp(-sum((v**2 for v in u), sp.Integer(0)))


def _f(*u: sp.Expr) -> sp.Expr:
    return u[0] ** 2 + sum(u, sp.Integer(0))


def _h(*u: sp.Expr) -> sp.Expr:
    return u[0] ** 3 - sum(u, sp.Integer(0))


#: concrete functions substituted for the undefined ones when a proof fails (to refute at a rational point)
WITNESSES = {"g": _g, "p": _p, "f": _f, "h": _h, "w": _p}


def gradient_flow(g: sp.Expr, xs: Sequence[sp.Symbol], sigma: sp.Expr) -> SDE:
    """``dX = −∇g(X) dt + σ dW`` with a scalar (isotropic) σ."""
    return SDE(list(-gradient(g, xs)), sigma, xs)


def gibbs(g: sp.Expr, temperature: sp.Expr) -> sp.Expr:
    """``exp(−g / temperature)`` (unnormalised)."""
    return sp.exp(-g / temperature)


def g_and_sde(d: int, sigma: sp.Expr) -> tuple[tuple[sp.Symbol, ...], sp.Expr, SDE]:
    """Coordinates, an undefined potential g(x1, …, xd) and the gradient-flow SDE with diffusion σ."""
    xs = space(d)
    g = potential("g", xs)
    return xs, g, gradient_flow(g, xs, sigma)
