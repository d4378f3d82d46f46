"""pauwels.kl-noncritical: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "KL inequality examples", item "Trivial outside critical points".

If grad F(x-bar) != 0, phi can be multiplication by a positive constant. The slide's "small" constant is an erratum
(kappa must be large, the radius is what is small): kappa = 2/||grad F(x-bar)|| works on the ball of radius
||grad F(x-bar)||/(2L).
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp
from hypothesis import assume
from hypothesis import strategies as st

from symbolic import Bound, Case, Expect, Implication
from symbolic.backends import ArbBackend, arb_precision
from symbolic.families import quadratics, rationals, ridge_sums
from symbolic.notation import NotationClaim
from theorems.cases import values_in
from theorems.catalogue.pauwels._common import arb_positive, dist2_exact, fixed_params, fixed_point
from theorems.catalogue.pauwels._kl import points_in_ball
from theorems.registry import Entry, Status, register


@st.composite
def noncritical_cases(draw: st.DrawFn, corrected: bool) -> Case:
    """F, a point xbar with grad F(xbar) != 0, F shifted so that F(xbar) = 0 (kept implicit), kappa, and x."""
    fam = st.one_of(quadratics(dim=(1, 2)), ridge_sums(dim=(1, 2), terms=(1, 2)))
    f = draw(fam)
    xbar = draw(st.tuples(*[rationals(-2, 2, denominator=8)] * f.dim))
    B = ArbBackend(256)
    with arb_precision(256):
        g2 = B.norm2(f.grad(B, [B.num(v) for v in xbar]))
        g2_lo = Q(str(g2.lower().str(30, radius=False))) if g2.lower() > 0 else Q(0)
    g2_lo = g2_lo * Q(999, 1000)
    assume(g2_lo >= Q(1, 10**4))  # hypothesis: grad F(xbar) != 0 (kept away from 0 by a certified bound)
    L = f.constants.L
    assert L is not None  # quadratics and ridge_sums certify L
    if corrected:
        params = {"kappa2": 4 / g2_lo, "eps2": g2_lo / (4 * L * L)}
        radius_bound = g2_lo / (4 * L * L)
    else:
        # a 'small' constant: kappa <= 1/(1 + ||grad F(xbar)||^2) < 1/||grad F(xbar)||
        g2_hi = g2_lo * Q(1002, 1000) + Q(1, 10**6)
        kappa = draw(values_in(Bound(Q(0), 1 / (1 + g2_hi), True, False)))
        params = {"kappa2": kappa * kappa, "eps2": Q(1, 16)}
        radius_bound = Q(1, 16)
    # radius: a rational r with r^2 <= radius_bound
    r = Q(1)
    while r * r > radius_bound:
        r /= 2
    x = draw(points_in_ball(xbar, r))
    return Case(objective=f, params={**params, **fixed_params("xbar", xbar)}, points={"x": x})


def _noncritical_where(c: Case) -> bool:
    f = c.objective
    assert f is not None
    x, xb = c.points["x"], fixed_point(c, "xbar")
    if dist2_exact(x, xb) >= c.params["eps2"]:
        return False
    return arb_positive(lambda B: f.value(B, [B.num(v) for v in x]) - f.value(B, [B.num(v) for v in xb]))


_n, _n0, _dd, _L, _r, _k = sp.symbols("n n0 d L r kappa", positive=True)
noncritical_proof = Implication(
    "||g(x)|| >= ||g(xbar)|| - L||x - xbar|| > ||g(xbar)||/2, kappa = 2/||g(xbar)|| gives kappa ||g(x)|| >= 1",
    hypotheses=[_n >= _n0 - _dd, _dd <= _L * _r, _r <= _n0 / (2 * _L), sp.Eq(_k * _n0, 2)],
    conclusion=_k * _n >= 1,
    statement=r"\|\nabla F(x)\|\ge\|\nabla F(\bar x)\|-L\|x-\bar x\|,\ \|x-\bar x\|\le\tfrac{\|\nabla F(\bar x)\|}{2L},\ \kappa=\tfrac{2}{\|\nabla F(\bar x)\|}\implies\kappa\|\nabla F(x)\|\ge1",
)

noncritical_stated = NotationClaim(
    "stated: phi(t) = kappa t with a small kappa (kappa ||grad F(xbar)|| < 1) satisfies the KL inequality",
    "kappa2*gradnorm(x)^2 >= 1",
    cases=noncritical_cases(False),
    params=("kappa2",),
    where=_noncritical_where,
    expect=Expect.REFUTED,
    role="stated",
    domain=r"\kappa_2=\kappa^2,\ \text{i.e.}\ \kappa\|\nabla F(x)\|\ge1\quad \forall x,\ \|x-\bar x\|<\varepsilon,\ F(x)>F(\bar x),\qquad 0<\kappa\le\tfrac{1}{1+\|\nabla F(\bar x)\|^2}",
    note=(
        "Reading of `small': any $\\kappa<1/\\|\\nabla F(\\bar x)\\|$ (here $\\kappa\\le1/(1+\\|\\nabla F(\\bar x)\\|^2)$). "
        "By continuity $\\kappa\\|\\nabla F(x)\\|<1$ near $\\bar x$, and points with $F(x)>F(\\bar x)$ exist arbitrarily close to $\\bar x$, "
        "so no $\\varepsilon$ can save it. Quadratics and ridge sums, $F$ shifted so that $F(\\bar x)=0$."
    ),
)

noncritical_corrected = NotationClaim(
    "corrected: kappa = 2/||grad F(xbar)|| on the ball of radius ||grad F(xbar)||/(2L)",
    "kappa2*gradnorm(x)^2 >= 1",
    cases=noncritical_cases(True),
    params=("kappa2",),
    where=_noncritical_where,
    proof=noncritical_proof,
    domain=r"\kappa_2=\kappa^2,\ \text{i.e.}\ \kappa\|\nabla F(x)\|\ge1\ \ \forall x,\ \|x-\bar x\|<\tfrac{\|\nabla F(\bar x)\|}{2L},\qquad \kappa=\tfrac{2}{\|\nabla F(\bar x)\|}",
    note="$\\kappa^2$ and $\\varepsilon^2$ use a rational lower bound of $\\|\\nabla F(\\bar x)\\|^2$ (a larger $\\kappa$, a smaller ball): the statement proved by z3 covers them.",
)

register(
    Entry(
        id="pauwels.kl-noncritical",
        title="KL inequality outside critical points",
        where="KL inequality examples: Trivial outside critical points",
        statement=r"\textbf{Trivial outside critical points:} If $\nabla F(\bar x)\neq0$ then one can take $\varphi$ as multiplication by a small positive constant.",
        checks=[noncritical_stated],
        corrected=[noncritical_corrected],
        status=Status.ERRATUM,
        reading=(
            "$\\varphi(t)=\\kappa t$ gives $\\varphi'(F)\\|\\nabla F\\|=\\kappa\\|\\nabla F\\|$, which must be $\\ge1$: $\\kappa$ must be LARGE, "
            "$\\kappa\\ge1/\\inf_{B(\\bar x,\\varepsilon)}\\|\\nabla F\\|$; the radius $\\varepsilon$ is what is small. "
            "(The slide may think of $\\varphi^{-1}$ or of $\\varepsilon$; as written the constant must be large.) "
            "The erratum concerns the word 'small' only: that a linear $\\varphi$ exists is true, and the corrected check "
            "exhibits one. The corrected version assumes an $L$-Lipschitz gradient to give an explicit radius; for $F$ merely "
            "$C^1$, $\\kappa=2/\\|\\nabla F(\\bar x)\\|$ works on some ball by continuity."
        ),
    )
)
