"""pauwels.descent-lemma: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "Proof sketch of convergence under KL assumption", "Descent Lemma".

For L-smooth F and all x, y: F(y) <= F(x) + <grad F(x), y - x> + L/2 ||y - x||^2, with its integral-form proof.
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Bound, Case, Claim, Derivation, Expect, Identity, Step
from symbolic.backends import Backend, Number
from symbolic.families import polynomials, quadratics, smooth_objectives
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases
from theorems.catalogue.pauwels._descent import smoothness_constant
from theorems.registry import Entry, Status, register

_tt = sp.Symbol("t", real=True)



def gradient_increment_and_step(c: Case, B: Backend) -> tuple[list[Number], list[Number]]:
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
                margin=lambda c, B: B.norm(gradient_increment_and_step(c, B)[0]) * B.norm(gradient_increment_and_step(c, B)[1]) - B.dot(*gradient_increment_and_step(c, B)),
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
                margin=lambda c, B: smoothness_constant(c, B) * c.p(B, "t") * B.norm2(gradient_increment_and_step(c, B)[1]) - B.norm(gradient_increment_and_step(c, B)[0]) * B.norm(gradient_increment_and_step(c, B)[1]),
                statement=r"\|\nabla F(x+t(y-x))-\nabla F(x)\|\|y-x\|\le Lt\|y-x\|^2",
                note="Also checks the families' certified $L$ (polynomials: on their box, which contains the segment).",
            ),
        ),
        Step("=", r"\frac L2\|y-x\|^2", "integration", check=integral_t),
    ],
    hypotheses=[r"$F$ is $C^1$", r"$\nabla F$ is $L$-Lipschitz"],
)

descent_numeric = NotationClaim(
    "descent lemma on smooth families with certified L",
    "F(y) <= F(x) + inner(x, y) + L/2*dist(x, y)^2",
    cases=pair_cases,
    points=("x", "y"),
)
descent_necessity = NotationClaim(
    "necessity: with L replaced by L/2 the lemma fails",
    "F(y) <= F(x) + inner(x, y) + (L/2)/2*dist(x, y)^2",
    cases=quad_pair_cases,
    points=("x", "y"),
    expect=Expect.REFUTED,
    role="necessity",
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
