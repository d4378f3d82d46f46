"""Helpers shared by the KL entries of Pauwels section 4 (definition and "KL inequality examples"): the KL
instance and its ball claim, the chain rule for phi o F, coordinates and quick check settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction as Q
from typing import Any

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, CheckSettings, Claim, Identity, Objective, coordinates
from symbolic.backends import Backend, Number
from symbolic.families import rationals
from symbolic.notation import NotationClaim
from theorems.catalogue.pauwels._common import dist2_exact

t = sp.Symbol("t", positive=True)


QUICK_SETTINGS = CheckSettings(examples=40, local_search=2)


# ------------------------------------------------------------------ the KL inequality on a ball


@dataclass(frozen=True)
class KLInstance:
    """F, the point x-bar (F(x-bar) = 0), phi and epsilon of the KL definition."""

    F: sp.Expr
    variables: tuple[sp.Symbol, ...]
    xbar: tuple[Q, ...]
    phi: sp.Expr
    eps: Q


def points_in_ball(center: Sequence[Q], radius: Q) -> st.SearchStrategy[tuple[Q, ...]]:
    """Points center + s * radius/d * u, u in [-1,1]^d, s in {1, 1/2, ..., 2^-30}: inside the closed ball."""
    d = len(center)
    u = st.tuples(*[rationals(-1, 1, denominator=64)] * d)
    s = st.integers(0, 30).map(lambda k: Q(1, 2**k))
    return st.tuples(u, s).map(lambda us: tuple(c + us[1] * radius / d * ui for c, ui in zip(center, us[0], strict=True)))


def kl_inequality_claim(ex: KLInstance, name: str = "KL inequality on the ball", **kw: Any) -> Claim:
    """phi'(F(x)) ||grad F(x)|| >= 1 for all x with ||x - xbar|| < eps and F(x) > 0 (the definition's
    inequality, in notation; ``domain`` adds to the rendered statement)."""
    f = Objective("KL instance", ex.variables, ex.F)
    cases = points_in_ball(ex.xbar, ex.eps).map(lambda p: Case(objective=f, points={"x": p}))
    kw.setdefault("domain", r"\forall x,\ \|x-\bar x\|<\varepsilon")
    return NotationClaim(
        name,
        "phi'(F(x))*gradnorm(x) >= 1",
        cases=cases,
        functions={"phi": (t, ex.phi)},
        hypotheses=["F(x) > 0"],
        where=lambda c: dist2_exact(c.points["x"], ex.xbar) < ex.eps**2,
        **kw,
    )


x1, x2 = coordinates(2)

_F2 = sp.Function("F")
_ph = sp.Function("phi")
_comp = _ph(_F2(x1, x2))
chain_rule = Identity(
    "||grad(phi o F)||^2 = phi'(F)^2 ||grad F||^2 (chain rule)",
    sp.diff(_comp, x1) ** 2 + sp.diff(_comp, x2) ** 2,
    sp.Subs(sp.Derivative(_ph(t), t), t, _F2(x1, x2)).doit() ** 2 * (sp.diff(_F2(x1, x2), x1) ** 2 + sp.diff(_F2(x1, x2), x2) ** 2),
    statement=r"\|\nabla(\varphi\circ F)(x)\|^2=\varphi'(F(x))^2\|\nabla F(x)\|^2",
    note="With abstract $F$ (two variables) and $\\varphi$; since $\\varphi'>0$ the square roots give the slide's equality.",
)


def strong_convexity_constant(c: Case, B: Backend) -> Number:
    """mu, the strong convexity constant recorded with the case's objective, in the backend."""
    assert c.objective is not None and c.objective.constants.mu is not None
    return B.num(c.objective.constants.mu)
