"""sgdloj.contraction-factor: Section 3, Theorem 3.1 (3.2) and the line before (3.9).

rho = 1 - eta alpha + (eta^2/2) C_L (2 C_L + sigma) lies in (0, 1) and rho <= 1 - alpha eta/2 when
0 < eta <= min{1/alpha, alpha/(4 C_L (2 C_L + sigma))}; proved by z3, with the necessity of each
bound."""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Bound, Expect, Implication
from symbolic.notation import NotationClaim
from theorems.cases import scalar_cases
from theorems.registry import Entry, Status, register

_G2, _T, _al = sp.symbols("G2 T alpha", nonnegative=True)

_e = sp.Symbol("eta", positive=True)
_a2, _c2, _s2 = sp.symbols("alpha C_L sigma", positive=True)
_rho = 1 - _e * _a2 + _e**2 / 2 * _c2 * (2 * _c2 + _s2)
_cond = [_e <= 1 / _a2, _e <= _a2 / (4 * _c2 * (2 * _c2 + _s2))]

rho_proof = Implication(
    "0 < eta <= min{1/alpha, alpha/(4 C_L (2 C_L + sigma))} gives rho <= 1 - alpha eta/2 and 0 < rho < 1",
    hypotheses=_cond,
    conclusion=sp.And(_rho <= 1 - _a2 * _e / 2, _rho > 0, _rho < 1),
    statement=r"0<\eta\le\min\Big\{\frac1\alpha,\frac{\alpha}{4C_L(2C_L+\sigma)}\Big\}\implies\rho\le1-\frac{\alpha\eta}{2},\ 0<\rho<1",
    note="$\\frac{\\eta^2}{2}C_L(2C_L+\\sigma)\\le\\frac{\\alpha\\eta}{8}$ from the second bound; $1-\\eta\\alpha\\ge0$ from the first, so $\\rho>0$.",
)
rho_first_only = Implication(
    "necessity: eta <= 1/alpha alone does not give rho < 1",
    hypotheses=[_cond[0], _a2 <= 2 * _c2],
    conclusion=sp.Lt(_rho, 1),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"0<\eta\le\frac1\alpha,\ \alpha\le2C_L\implies\rho<1",
)
rho_second_only_without = Implication(
    "necessity: eta <= alpha/(4 C_L (2 C_L + sigma)) alone, without alpha <= 2 C_L, does not give rho > 0",
    hypotheses=[_cond[1]],
    conclusion=sp.Gt(_rho, 0),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"0<\eta\le\frac{\alpha}{4C_L(2C_L+\sigma)}\implies\rho>0",
)
rho_second_only_with = Implication(
    "with alpha <= 2 C_L (from (2.4)) the second bound alone gives rho in (0, 1) and rho <= 1 - alpha eta/2",
    hypotheses=[_cond[1], _a2 <= 2 * _c2],
    conclusion=sp.And(_rho <= 1 - _a2 * _e / 2, _rho > 0, _rho < 1),
    statement=r"0<\eta\le\frac{\alpha}{4C_L(2C_L+\sigma)},\ \alpha\le2C_L\implies\rho\le1-\frac{\alpha\eta}{2},\ 0<\rho<1",
    note="So the condition $\\eta\\le1/\\alpha$ is implied: $\\eta\\alpha\\le\\frac{\\alpha^2}{4C_L(2C_L+\\sigma)}<\\frac{4C_L^2}{8C_L^2}=\\frac12$.",
)
alpha_le_2cl = Implication(
    "alpha <= 2 C_L follows from (2.4) wherever F > 0",
    hypotheses=[_G2 >= _a2 * sp.Symbol("F", positive=True), _G2 <= 2 * _c2 * sp.Symbol("F", positive=True)],
    conclusion=sp.Le(_a2, 2 * _c2),
    statement=r"\alpha F\le|\nabla F|^2\le2C_LF,\ F>0\implies\alpha\le2C_L",
)


# rho(e) of (3.2) and the step eta(t) = t min{1/alpha, alpha/(4 C_L (2 C_L + sigma))}, t in (0, 1], for the claim in notation
_e, _t, _a_n, _C_n, _s_n = sp.symbols("e t alpha C_L sigma", real=True)
_RHO_AND_STEP = {
    "rho": (_e, 1 - _e * _a_n + _e**2 / 2 * _C_n * (2 * _C_n + _s_n)),
    "eta": (_t, _t * sp.Min(1 / _a_n, _a_n / (4 * _C_n * (2 * _C_n + _s_n)))),
}


rho_claim = NotationClaim(
    "rho in (0, 1) and rho <= 1 - alpha eta/2 at sampled constants",
    "min(rho(eta(t)), 1 - alpha*eta(t)/2 - rho(eta(t)), 1 - rho(eta(t))) > 0",
    points=(),
    params=("alpha", "C_L", "sigma", "t"),
    functions=_RHO_AND_STEP,
    cases=scalar_cases({"alpha": Bound(Q(0), Q(8)), "C_L": Bound(Q(0), Q(8)), "sigma": Bound(Q(0), Q(8)), "t": Bound(Q(0), Q(1), True, False)}),
    proof=rho_proof,
    domain=r"\rho(e)=1-e\alpha+\tfrac{e^2}{2}C_L(2C_L+\sigma),\ \eta(t)=t\min\{\tfrac1\alpha,\tfrac{\alpha}{4C_L(2C_L+\sigma)}\},\ t\in(0,1]",
    note="Numeric cross-check of the z3 proof: the margin is $\\min\\{\\rho,\\ 1-\\alpha\\eta/2-\\rho,\\ 1-\\rho\\}>0$.",
)

register(
    Entry(
        id="sgdloj.contraction-factor",
        title="The step-size condition gives rho <= 1 - alpha eta/2 and rho in (0, 1)",
        where="Theorem 3.1 (3.2), and the line before (3.9)",
        statement=(
            r"$\rho=1-\eta\alpha+\frac{\eta^2}{2}C_L(2C_L+\sigma)\in(0,1)$ (3.2) if the step size $\eta$ satisfies $0<\eta\le\min\{\frac1\alpha,\frac{\alpha}{4C_L(2C_L+\sigma)}\}$; "
            r"we may choose $0<\eta^*\le\min\{\frac1\alpha,\frac{\alpha}{4C_L(2C_L+\sigma)}\}$ so that $\rho=1-\eta^*\alpha+\frac{\eta^{*2}}{2}C_L(2C_L+\sigma)\le1-\frac{\alpha\eta^*}{2}\in(0,1)$."
        ),
        hypotheses=[r"$\alpha,C_L,\sigma>0$"],
        checks=[rho_proof, rho_claim, rho_first_only, rho_second_only_without, rho_second_only_with, alpha_le_2cl],
        status=Status.VERIFIED,
        reading=(
            r"The proof of $\rho\in(0,1)$ needs both bounds as stated; $\alpha\le2C_L$ (a consequence of (2.4), proved here) is not needed for it, "
            r"but with it the second bound alone suffices, and without it the second bound alone allows $\rho<0$."
        ),
    )
)
