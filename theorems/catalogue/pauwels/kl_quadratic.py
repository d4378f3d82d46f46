"""pauwels.kl-quadratic: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "KL inequality examples", item "Quadratics" (and the line "Non convex examples").

F = (x - b)^T A (x - b)/2, mu the smallest nonzero |eigenvalue|: mu A <= A^2, -mu A <= A^2, hence
2 mu (F(x) - F*) <= ||grad F(x)||^2; phi = sqrt(.)/mu is an erratum as for strongly convex F, corrected to sqrt(2 ./mu).
"""

from __future__ import annotations

import sympy as sp
from hypothesis import strategies as st

from symbolic import Expect, Implication, coordinates
from symbolic.families import quadratics
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases
from theorems.catalogue.pauwels._common import vector_identity
from theorems.registry import Entry, Status, register

x1, x2 = coordinates(2)
_mup = sp.Symbol("mu", positive=True)
_d = sp.Symbol("Delta", positive=True)
_G = sp.Symbol("G2", nonnegative=True)
sc_phi_corrected_z3 = Implication(
    "corrected phi(s) = sqrt(2 s/mu): phi'(s)^2 ||g||^2 = ||g||^2/(2 mu s) >= 1",
    hypotheses=[2 * _mup * _d <= _G],
    conclusion=_G / (2 * _mup * _d) >= 1,
    statement=r"2\mu\Delta\le\|g\|^2\implies\varphi'(\Delta)^2\|g\|^2=\frac{\|g\|^2}{2\mu\Delta}\ge1,\quad\varphi(s)=\sqrt{2s/\mu}",
)


quad_indef_cases = objective_cases(quadratics(dim=(2, 3), spectrum="indefinite"), points=("x",), radius=3)
quad_convex_cases = objective_cases(quadratics(dim=(1, 3), spectrum="convex"), points=("x",), radius=3)



_lams = sp.symbols("lambda1:4", real=True)
_zs = sp.symbols("z1:4", real=True)
_eig_hyp = [sp.Or(sp.Eq(lv, 0), sp.Abs(lv) >= _mup) for lv in _lams]
quad_psd_orders = Implication(
    "mu A <= A^2 and -mu A <= A^2 eigenvalue by eigenvalue",
    hypotheses=[sp.Or(sp.Eq(_lams[0], 0), sp.Abs(_lams[0]) >= _mup)],
    conclusion=sp.And(_lams[0] ** 2 - _mup * _lams[0] >= 0, _lams[0] ** 2 + _mup * _lams[0] >= 0),
    statement=r"\lambda=0\ \text{or}\ |\lambda|\ge\mu\implies\lambda^2\ge\mu\lambda\ \text{and}\ \lambda^2\ge-\mu\lambda",
    note="$A$, $A^2$ share the eigenvectors of $A$, so $\\mu A\\preceq A^2$ and $-\\mu A\\preceq A^2$ reduce to these scalar inequalities.",
)
_Fq = sum(lv * zv**2 for lv, zv in zip(_lams, _zs, strict=True)) / 2
_Gq = sum(lv**2 * zv**2 for lv, zv in zip(_lams, _zs, strict=True))
quad_pl_proof = Implication(
    "2 mu F <= ||grad F||^2 in eigen-coordinates",
    scope="d = 3 in eigen-coordinates; the reduction to them (spectral theorem) is prose",
    hypotheses=_eig_hyp,
    conclusion=2 * _mup * _Fq <= _Gq,
    statement=r"F=\tfrac12\sum_i\lambda_iz_i^2,\ \|\nabla F\|^2=\sum_i\lambda_i^2z_i^2,\ \lambda_i=0\text{ or }|\lambda_i|\ge\mu\implies2\mu F\le\|\nabla F\|^2",
    note="$z=Q^T(x-b)$ with $A=Q\\operatorname{diag}(\\lambda)Q^T$; decided by z3 in dimension 3 (the argument is termwise, any dimension).",
)
quad_abs_proof = Implication(
    "2 mu |F| <= ||grad F||^2 in eigen-coordinates",
    scope="d = 3 in eigen-coordinates; the reduction to them (spectral theorem) is prose",
    hypotheses=_eig_hyp,
    conclusion=2 * _mup * sp.Abs(_Fq) <= _Gq,
    statement=r"\lambda_i=0\text{ or }|\lambda_i|\ge\mu\implies2\mu|F|\le\|\nabla F\|^2",
)
_b1, _b2, _a11, _a12, _a22 = sp.symbols("b1 b2 a11 a12 a22", real=True)
_A = sp.Matrix([[_a11, _a12], [_a12, _a22]])
_r2 = sp.Matrix([x1 - _b1, x2 - _b2])
_Fsym = (_r2.T * _A * _r2)[0, 0] / 2
quad_gradient = vector_identity(
    "grad of 1/2 (x-b)^T A (x-b) is A(x-b)",
    sp.Matrix([sp.Derivative(_Fsym, x1), sp.Derivative(_Fsym, x2)]),
    _A * _r2,
    statement=r"\nabla\Big[\tfrac12(x-b)^TA(x-b)\Big]=A(x-b)",
)

# F* = 0 = F(b), the critical value, so F(x) - F* is written F(x)
quad_stated_indef = NotationClaim(
    "2 mu (F(x) - F*) <= ||grad F(x)||^2, indefinite A",
    "2*mu*F(x) <= gradnorm(x)^2",
    cases=quad_indef_cases,
    proof=quad_pl_proof,
    domain=r"F^*=0",
)
quad_stated_convex = NotationClaim(
    "2 mu (F(x) - F*) <= ||grad F(x)||^2, convex (possibly singular) A",
    "2*mu*F(x) <= gradnorm(x)^2",
    cases=quad_convex_cases,
    proof=quad_pl_proof,
    domain=r"F^*=0,\ A\succeq0",
)
quad_abs = NotationClaim(
    "2 mu |F(x) - F*| <= ||grad F(x)||^2, indefinite A",
    "2*mu*abs(F(x)) <= gradnorm(x)^2",
    cases=quad_indef_cases,
    proof=quad_abs_proof,
    domain=r"F^*=0",
)

_quad_pos_cases = objective_cases(quadratics(dim=(1, 3), spectrum="convex"), points=("x",), radius=3)


quad_phi_stated = NotationClaim(
    "stated 'non convex examples': phi = sqrt(.)/mu for quadratics",
    "gradnorm(x)/(2*mu*sqrt(F(x))) >= 1",
    cases=_quad_pos_cases,
    hypotheses=["F(x) > 0"],
    expect=Expect.REFUTED,
    role="stated",
    domain=r"\varphi'(F(x))\|\nabla F(x)\|\ge1\ \text{with}\ \varphi=\sqrt\cdot/\mu",
    note="The line `Non convex examples: $\\theta=1/2$, $\\varphi(\\cdot)=\\sqrt\\cdot/\\mu$' applied to the quadratics below it.",
)
quad_phi_corrected = NotationClaim(
    "corrected: phi = sqrt(2 ./mu) for quadratics (indefinite included, where F > 0)",
    "gradnorm(x)/sqrt(2*mu*F(x)) >= 1",
    cases=st.one_of(quad_indef_cases, _quad_pos_cases),
    hypotheses=["F(x) > 0"],
    proof=sc_phi_corrected_z3,
    domain=r"\varphi'(F(x))\|\nabla F(x)\|\ge1\ \text{with}\ \varphi(s)=\sqrt{2s/\mu}",
)

register(
    Entry(
        id="pauwels.kl-quadratic",
        title="KL inequality for quadratics",
        where="KL inequality examples: Quadratics (and the line `Non convex examples')",
        statement=(
            r"Non convex examples: $\theta=1/2$, $\varphi(\cdot)=\sqrt\cdot/\mu$. "
            r"\textbf{Quadratics:} $F:x\to\frac12(x-b)^TA(x-b)$, $A$ symmetric, $b\in\mathbb{R}^p$: $\mu$ smallest non zero positive eigenvalue of $A$ and $-A$. "
            r"$\mu A\preceq A^2$, $-\mu A\preceq A^2$ $\Rightarrow$ $2\mu(F(x)-F^*)\le\|\nabla F(x)\|^2$."
        ),
        checks=[quad_gradient, quad_psd_orders, quad_stated_indef, quad_stated_convex, quad_abs, quad_phi_stated],
        corrected=[quad_phi_corrected],
        status=Status.ERRATUM,
        reading=(
            "$\\mu$ = the smallest nonzero $|\\lambda|$ over the spectrum of $A$. $F^*=0$ is read as the critical value $F(b)$ "
            "(for indefinite $A$ there is no minimum; where $F<0$ the inequality is trivial, and $2\\mu|F|\\le\\|\\nabla F\\|^2$ also holds). "
            "The inequality is verified; the $\\varphi=\\sqrt\\cdot/\\mu$ of the `Non convex examples' line fails for $\\mu>\\frac12$ as in the strongly convex case."
        ),
    )
)
