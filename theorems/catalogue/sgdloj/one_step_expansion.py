"""sgdloj.one-step-expansion: Section 3, proof of Theorem 3.1, (3.4)-(3.5).

F(theta_{k+1}) - F(theta_k) <= -eta grad F(theta_k) . grad f(theta_k; xi_k) + (eta^2/2) C_L
|grad f(theta_k; xi_k)|^2 (3.4), line by line (fundamental theorem of calculus, chain rule,
Cauchy-Schwarz and (2.3)), and its product with the indicator 1_{E_{k+1}(r)} (3.5)."""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Bound, Case, Claim, Derivation, Identity, Implication, Step
from symbolic.backends import Backend, Number
from symbolic.lazy_identity import LazyIdentity
from theorems.cases import objective_cases
from theorems.catalogue.sgdloj._objectives import NONNEGATIVE_OBJECTIVES, C_L_of, F_at, grad_F_at
from theorems.registry import Entry, Status, register


def _iterate_at(c: Case, B: Backend, s: Number, v: list[Number]) -> list[Number]:
    """theta_{k+s} = theta_k - s eta v."""
    return B.sub(c.x(B), B.scale(s * c.p(B, "eta"), v))


step_cases = objective_cases(NONNEGATIVE_OBJECTIVES, params={"eta": lambda f: Bound(Q(0), Q(2)), "s": lambda f: Bound(Q(0), Q(1), False, False)}, points=("x", "v"))

_t1, _t2, _v1, _v2 = sp.symbols("theta_1 theta_2 v_1 v_2", real=True)
_s = sp.Symbol("s", nonnegative=True)
_eta, _C = sp.symbols("eta C_L", positive=True)
_Fa = sp.Function("F")
_a, _b = sp.symbols("a b", real=True)
_path = {_a: _t1 - _s * _eta * _v1, _b: _t2 - _s * _eta * _v2}
_gradF_path = (sp.Derivative(_Fa(_a, _b), _a).subs(_path), sp.Derivative(_Fa(_a, _b), _b).subs(_path))
_F_path = _Fa(_t1 - _s * _eta * _v1, _t2 - _s * _eta * _v2)

# a general cubic in two variables (symbolic coefficients) for the fundamental theorem of calculus
_coef = sp.symbols("c0:10", real=True)
_mon = [sp.Integer(1), _a, _b, _a**2, _a * _b, _b**2, _a**3, _a**2 * _b, _a * _b**2, _b**3]
_cubic = sum((c * m for c, m in zip(_coef, _mon, strict=True)), sp.Integer(0))
_cubic_path = _cubic.subs(_path, simultaneous=True)

# symbols for the split: gradient along the path (p), at theta_k (q), stochastic gradient (v)
_p1, _p2, _q1, _q2 = sp.symbols("p_1 p_2 q_1 q_2", real=True)

step_ftc = LazyIdentity(
    "F(theta_{k+1}) - F(theta_k) = int_0^1 d/ds F(theta_k - s eta v) ds (every cubic in 2 variables)",
    lambda: (_cubic_path.subs(_s, 1) - _cubic_path.subs(_s, 0), sp.integrate(sp.diff(_cubic_path, _s), (_s, 0, 1))),
    statement=r"F(\theta_{k+1})-F(\theta_k)=\int_0^1\frac{d}{ds}F(\theta_k-s\eta v)\,ds",
    note="Fundamental theorem of calculus, proved by sympy for a general cubic $F$ (ten symbolic coefficients).",
)
step_chain = LazyIdentity(
    "d/ds F(theta_k - s eta v) = -eta grad F(theta_{k+s}) . v (abstract F)",
    lambda: (sp.diff(_F_path, _s), -_eta * (_gradF_path[0] * _v1 + _gradF_path[1] * _v2)),
    statement=r"\frac{d}{ds}F(\theta_k-s\eta v)=-\eta\nabla F(\theta_{k+s})\cdot v",
    note="Chain rule for an undefined function $F$ of two variables, $v=\\nabla f(\\theta_k;\\xi_k)$.",
)
step_split = LazyIdentity(
    "-eta p.v = -eta q.v - eta (p - q).v",
    lambda: (
        -_eta * sp.integrate(_p1 * _v1 + _p2 * _v2, (_s, 0, 1)),
        -_eta * sp.integrate(_q1 * _v1 + _q2 * _v2, (_s, 0, 1)) - _eta * sp.integrate((_p1 - _q1) * _v1 + (_p2 - _q2) * _v2, (_s, 0, 1)),
    ),
    statement=r"-\eta\int_0^1 p\cdot v\,ds=-\eta\int_0^1q\cdot v\,ds-\eta\int_0^1(p-q)\cdot v\,ds",
)
step_lipschitz = Claim(
    "-eta (grad F(theta_{k+s}) - grad F(theta_k)).v <= eta C_L |theta_{k+s} - theta_k| |v| (pointwise in s)",
    cases=step_cases,
    lhs=lambda c, B: -c.p(B, "eta") * B.dot(B.sub(grad_F_at(c, B, _iterate_at(c, B, c.p(B, "s"), c.x(B, "v"))), grad_F_at(c, B)), c.x(B, "v")),
    rel="<=",
    rhs=lambda c, B: c.p(B, "eta") * C_L_of(c, B) * B.norm(B.sub(_iterate_at(c, B, c.p(B, "s"), c.x(B, "v")), c.x(B))) * B.norm(c.x(B, "v")),
    statement=r"-\eta(\nabla F(\theta_{k+s})-\nabla F(\theta_k))\cdot v\le\eta C_L|\theta_{k+s}-\theta_k||v|",
    note="Cauchy--Schwarz and (2.3) for each $s\\in[0,1]$; the integrated inequality follows by monotonicity of the integral. Also $-\\eta\\int_0^1\\nabla F(\\theta_k)\\cdot v\\,ds=-\\eta\\nabla F(\\theta_k)\\cdot v$.",
)
step_distance = Identity(
    "|theta_{k+s} - theta_k| = s eta |v|",
    sp.sqrt((_s * _eta * _v1) ** 2 + (_s * _eta * _v2) ** 2),
    _s * _eta * sp.sqrt(_v1**2 + _v2**2),
    statement=r"|\theta_{k+s}-\theta_k|=|s\eta v|=s\eta|v|\quad(s\ge0,\ \eta>0)",
)
_V = sp.Symbol("V", nonnegative=True)
step_half = LazyIdentity(
    "eta^2 C_L int_0^1 s |v|^2 ds = eta^2 C_L |v|^2 / 2",
    lambda: (_eta**2 * _C * sp.integrate(_s * _V, (_s, 0, 1)), _eta**2 / 2 * _C * _V),
    statement=r"\eta^2C_L\int_0^1s|v|^2ds=\frac{\eta^2}{2}C_L|v|^2",
)

descent_chain = Derivation(
    "(3.4) line by line",
    start=r"F(\theta_{k+1})-F(\theta_k)",
    steps=[
        Step("=", r"\int_0^1\frac{d}{ds}F(\theta_k-s\eta\nabla f(\theta_k;\xi_k))ds", "fundamental theorem of calculus", check=step_ftc, label="(3.4)"),
        Step("=", r"-\eta\int_0^1\nabla F(\theta_{k+s})\cdot\nabla f(\theta_k;\xi_k)ds", "chain rule", check=step_chain, label="(3.4)"),
        Step(
            "=",
            r"-\eta\int_0^1\nabla F(\theta_k)\cdot\nabla f\,ds-\eta\int_0^1(\nabla F(\theta_{k+s})-\nabla F(\theta_k))\cdot\nabla f\,ds",
            "add and subtract $\\nabla F(\\theta_k)$",
            check=step_split,
            label="(3.4)",
        ),
        Step("<=", r"-\eta\nabla F(\theta_k)\cdot\nabla f+\eta C_L\int_0^1|\theta_{k+s}-\theta_k||\nabla f|ds", "Cauchy--Schwarz and (2.3)", check=step_lipschitz, label="(3.4)"),
        Step("=", r"-\eta\nabla F(\theta_k)\cdot\nabla f+\eta^2C_L\int_0^1s|\nabla f|^2ds", "$\\theta_{k+s}-\\theta_k=-s\\eta\\nabla f$", check=step_distance, label="(3.4)"),
        Step("=", r"-\eta\nabla F(\theta_k)\cdot\nabla f+\frac{\eta^2}{2}C_L|\nabla f|^2", "$\\int_0^1s\\,ds=1/2$", check=step_half, label="(3.4)"),
    ],
    statement=r"F(\theta_{k+1})-F(\theta_k)\le-\eta\nabla F(\theta_k)\cdot\nabla f(\theta_k;\xi_k)+\frac{\eta^2}{2}C_L|\nabla f(\theta_k;\xi_k)|^2",
)

descent_end_to_end = Claim(
    "(3.4) end to end: F(theta - eta v) - F(theta) <= -eta grad F . v + eta^2 C_L |v|^2 / 2",
    cases=step_cases,
    lhs=lambda c, B: F_at(c, B, _iterate_at(c, B, B.num(1), c.x(B, "v"))) - F_at(c, B),
    rel="<=",
    rhs=lambda c, B: -c.p(B, "eta") * B.dot(grad_F_at(c, B), c.x(B, "v")) + c.p(B, "eta") ** 2 * C_L_of(c, B) / 2 * B.norm2(c.x(B, "v")),
    statement=r"F(\theta-\eta v)-F(\theta)\le-\eta\nabla F(\theta)\cdot v+\frac{\eta^2}{2}C_L|v|^2",
    note="Arbitrary stochastic gradients $v$ in $[-3,3]^d$, step sizes $\\eta\\in(0,2)$.",
)

_P, _Qs, _I, _I1 = sp.symbols("P Q I_k I_{k+1}", real=True)
indicator_35 = Implication(
    "(3.5): multiplying the inequality by the indicator 1_{E_{k+1}}",
    hypotheses=[_P <= _Qs, sp.Or(sp.Eq(_I1, 0), sp.Eq(_I1, 1))],
    conclusion=sp.Le(_P * _I1, _Qs * _I1),
    statement=r"P\le Q,\ \mathbf 1\in\{0,1\}\implies P\mathbf 1\le Q\mathbf 1",
    note="$P=F(\\theta_{k+1})$, $Q$ the right side of (3.4) plus $F(\\theta_k)$.",
)

register(
    Entry(
        id="sgdloj.one-step-expansion",
        title="The one-step inequality (3.4)-(3.5)",
        where="Proof of Theorem 3.1, (3.4)-(3.5)",
        statement=(
            r"Take the interpolation $\theta_{k+s}=\theta_k-s\eta\nabla f(\theta_k,\xi_k)$ for $s\in[0,1]$; then "
            r"$F(\theta_{k+1})-F(\theta_k)=\int_0^1\frac{d}{ds}F(\theta_k-s\eta\nabla f(\theta_k;\xi_k))ds=-\eta\int_0^1\nabla F(\theta_{k+s})\cdot\nabla f(\theta_k;\xi_k)ds"
            r"=\dots\le-\eta\nabla F(\theta_k)\cdot\nabla f(\theta_k;\xi_k)+\eta C_L\int_0^1|\theta_{k+s}-\theta_k||\nabla f(\theta_k;\xi_k)|ds"
            r"=-\eta\nabla F(\theta_k)\cdot\nabla f(\theta_k;\xi_k)+\frac{\eta^2}{2}C_L|\nabla f(\theta_k;\xi_k)|^2$ (3.4); "
            r"multiplying with the indicator, $F(\theta_{k+1})\mathbf 1_{E_{k+1}(r)}\le(F(\theta_k)-\eta\nabla F(\theta_k)\cdot\nabla f(\theta_k;\xi_k)+\frac{\eta^2}{2}C_L|\nabla f(\theta_k;\xi_k)|^2)\mathbf 1_{E_{k+1}(r)}$ (3.5)."
        ),
        hypotheses=[r"$\nabla F$ is $C_L$-Lipschitz on a convex set containing the segment $[\theta_k,\theta_{k+1}]$"],
        checks=[descent_chain, descent_end_to_end, indicator_35],
        status=Status.VERIFIED,
        reading=(
            r"The Lipschitz bound (2.3) is used along the whole segment $\theta_{k+s}$, $s\in[0,1]$, so the segment must lie in $K$; the numeric checks use globally smooth objectives."
        ),
    )
)
