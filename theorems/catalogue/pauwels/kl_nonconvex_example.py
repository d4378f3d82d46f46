"""pauwels.kl-nonconvex-example: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "KL inequality examples", item "Non convex example".

F(x) = (x_1/2 - x_2^2)^2 = ||H(x)||^2 with J_H surjective: the slide's gradient and F(x) - F* <= ||grad F(x)||^2.
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, Identity, Implication, Objective, Proof, coordinates
from symbolic.families import rationals
from symbolic.notation import NotationClaim
from theorems.catalogue.pauwels._common import vector_identity
from theorems.catalogue.pauwels._kl import KLInstance, kl_inequality_claim
from theorems.registry import Entry, Status, register

t = sp.Symbol("t", positive=True)


x1, x2 = coordinates(2)


_Fnc = (x1 / 2 - x2**2) ** 2
_grad_slide = sp.Matrix([x1 / 2 - x2**2, -4 * x2 * (x1 / 2 - x2**2)])
nc_gradient = vector_identity(
    "the slide's gradient equals sympy's",
    sp.Matrix([sp.Derivative(_Fnc, x1), sp.Derivative(_Fnc, x2)]),
    _grad_slide,
    statement=r"\nabla F(x)=\begin{pmatrix}\frac{x_1}{2}-x_2^2\\-4x_2\big(\frac{x_1}{2}-x_2^2\big)\end{pmatrix}",
)
nc_identity = Identity(
    "||grad F||^2 - F = 16 x2^2 (x1/2 - x2^2)^2",
    sp.Derivative(_Fnc, x1) ** 2 + sp.Derivative(_Fnc, x2) ** 2 - _Fnc,  # the gradient of F is taken in the check
    16 * x2**2 * (x1 / 2 - x2**2) ** 2,
    statement=r"\|\nabla F(x)\|^2-F(x)=16x_2^2\Big(\frac{x_1}{2}-x_2^2\Big)^2",
)
nc_inequality_z3 = Implication(
    "F - F* <= ||grad F||^2 (F* = 0)",
    hypotheses=[],
    conclusion=sp.Le(_Fnc, (_grad_slide.T * _grad_slide)[0, 0], evaluate=False),  # built unevaluated: z3 decides it
    statement=r"(F(x)-F^*)\le\|\nabla F(x)\|^2,\quad F^*=0",
)
_nc_obj = Objective("(x1/2 - x2^2)^2", (x1, x2), _Fnc)
# F* = 0: F(x) - F* is written F(x)
nc_numeric = NotationClaim(
    "F - F* <= ||grad F||^2 on points of [-3,3]^2",
    "F(x) <= gradnorm(x)^2",
    cases=st.tuples(rationals(-3, 3, denominator=64), rationals(-3, 3, denominator=64)).map(lambda p: Case(objective=_nc_obj, points={"x": p})),
    proof=Proof(nc_inequality_z3, at=lambda c, B: dict(zip((x1, x2), c.x(B), strict=True))),
    domain=r"F(x)=\big(\tfrac{x_1}{2}-x_2^2\big)^2,\ F^*=0",
)
_H_nc = x1 / 2 - x2**2
_h = sp.Matrix([[sp.Derivative(_H_nc, x1), sp.Derivative(_H_nc, x2)]])  # J_H, differentiated in the check
nc_surjective = Identity(
    "J_H J_H^T = 1/4 + 4 x2^2 > 0 for H = x1/2 - x2^2 (J_H surjective)",
    (_h * _h.T)[0, 0],
    sp.Rational(1, 4) + 4 * x2**2,
    statement=r"H(x)=\tfrac{x_1}{2}-x_2^2:\ J_HJ_H^T=\tfrac14+4x_2^2\ge\tfrac14",
)
nc_kl = kl_inequality_claim(
    KLInstance(_Fnc, (x1, x2), (Q(0), Q(0)), 2 * sp.sqrt(t), Q(2)),
    name="KL with phi = sqrt(.)/mu, mu = 1/2 (phi = 2 sqrt t) near 0",
    domain=r"\varphi(s)=\sqrt s/\mu=2\sqrt s,\ \|x\|<2",
    note="$F-F^*\\le\\|\\nabla F\\|^2$ is the slide's $2\\mu(F-F^*)\\le\\|\\nabla F\\|^2$ with $\\mu=\\frac12$, for which $\\sqrt\\cdot/\\mu$ does work.",
)

register(
    Entry(
        id="pauwels.kl-nonconvex-example",
        title="Non convex example F(x) = (x1/2 - x2^2)^2",
        where="KL inequality examples: Non convex example",
        statement=(
            r"\textbf{Non convex example:} $F(x)=\|H(x)\|^2$, $H:\mathbb{R}^p\to\mathbb{R}^n$, $J_H$ surjective. "
            r"$F:x\to\big(\frac{x_1}2-x_2^2\big)^2$, $\nabla F(x)=\begin{pmatrix}\frac{x_1}{2}-x_2^2\\-4x_2\big(\frac{x_1}{2}-x_2^2\big)\end{pmatrix}$, "
            r"$(F(x)-F^*)\le\|\nabla F(x)\|^2$."
        ),
        checks=[nc_gradient, nc_identity, nc_numeric, nc_surjective, nc_kl],
        status=Status.VERIFIED,
        reading="$F^*=0=\\min F$ (attained on the parabola $x_1=2x_2^2$). Global inequality, no $\\varepsilon$ needed.",
    )
)
