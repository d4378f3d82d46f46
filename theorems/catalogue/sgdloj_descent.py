"""SGD under a local Lojasiewicz condition (arXiv 2304.09221), proof of Theorem 3.1, (3.4)-(3.8) and rho (3.2).

The deterministic and symbolic part of the one-step analysis: the descent inequality (3.4) line
by line, the indicator manipulations (3.5), (3.7), the nonnegativity (3.6) and its discriminant
argument, the conditional expectation bound (3.8) (expectation over Z by linearity), and the
step-size condition giving rho in (0, 1). The Monte Carlo part lives in sgdloj_stochastic.
"""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import sympy as sp
from hypothesis import strategies as st

from symbolic import Bound, Case, Claim, Derivation, Expect, Identity, Implication, Step
from symbolic.backends import Backend, MPBackend, Number
from symbolic.families import least_squares, nonnegative_smooth
from theorems.cases import objective_cases, scalar_cases
from theorems.catalogue.sgdloj_landscape import LazyIdentity
from theorems.catalogue.sgdloj_stochastic import ExactCases, rho_of
from theorems.registry import Entry, Status, register
from theorems.sgd_models import LS2, in_ball

NONNEG = st.one_of(nonnegative_smooth(), least_squares())

# ------------------------------------------------------------------ margins


def _F(c: Case, B: Backend, x: list[Number] | None = None) -> Number:
    assert c.objective is not None
    return c.objective.value(B, c.x(B) if x is None else x)


def _g(c: Case, B: Backend, x: list[Number] | None = None) -> list[Number]:
    assert c.objective is not None
    return c.objective.grad(B, c.x(B) if x is None else x)


def _L(c: Case, B: Backend) -> Number:
    assert c.objective is not None and c.objective.constants.L is not None
    return B.num(c.objective.constants.L)


def _q(c: Case, B: Backend, v: list[Number]) -> Number:
    """F(theta) - eta grad F . v + eta^2 C_L |v|^2 / 2, the right side of (3.4)-(3.7)."""
    eta = c.p(B, "eta")
    return _F(c, B) - eta * B.dot(_g(c, B), v) + eta * eta * _L(c, B) / 2 * B.norm2(v)


def _step(c: Case, B: Backend, s: Number, v: list[Number]) -> list[Number]:
    """theta_{k+s} = theta_k - s eta v."""
    return B.sub(c.x(B), B.scale(s * c.p(B, "eta"), v))


step_cases = objective_cases(NONNEG, params={"eta": lambda f: Bound(Q(0), Q(2)), "s": lambda f: Bound(Q(0), Q(1), False, False)}, points=("x", "v"))

# ------------------------------------------------------------------ (3.4) line by line

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
    lhs=lambda c, B: -c.p(B, "eta") * B.dot(B.sub(_g(c, B, _step(c, B, c.p(B, "s"), c.x(B, "v"))), _g(c, B)), c.x(B, "v")),
    rel="<=",
    rhs=lambda c, B: c.p(B, "eta") * _L(c, B) * B.norm(B.sub(_step(c, B, c.p(B, "s"), c.x(B, "v")), c.x(B))) * B.norm(c.x(B, "v")),
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
    lhs=lambda c, B: _F(c, B, _step(c, B, B.num(1), c.x(B, "v"))) - _F(c, B),
    rel="<=",
    rhs=lambda c, B: -c.p(B, "eta") * B.dot(_g(c, B), c.x(B, "v")) + c.p(B, "eta") ** 2 * _L(c, B) / 2 * B.norm2(c.x(B, "v")),
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

# ------------------------------------------------------------------ (3.6)-(3.7)

_g1, _g2, _g3, _w1, _w2, _w3 = sp.symbols("g_1 g_2 g_3 w_1 w_2 w_3", real=True)
_Fs = sp.Symbol("F", nonnegative=True)
_et = sp.Symbol("eta", real=True)
_gv = _g1 * _w1 + _g2 * _w2
_gg = _g1**2 + _g2**2
_ww = _w1**2 + _w2**2
_quad = _Fs - _et * _gv + _et**2 / 2 * _C * _ww
_disc = sp.discriminant(sp.Poly(_quad, _et).as_expr(), _et)

disc_value = Identity(
    "discriminant in eta = (grad F . grad f)^2 - 2 C_L |grad f|^2 F",
    _disc,
    _gv**2 - 2 * _C * _ww * _Fs,
    statement=r"\operatorname{disc}_\eta=(\nabla F\cdot\nabla f)^2-2C_L|\nabla f|^2F",
)
disc_cs = Implication(
    "(grad F . grad f)^2 - 2 C_L |grad f|^2 F <= |grad f|^2 (|grad F|^2 - 2 C_L F) (Cauchy-Schwarz)",
    hypotheses=[],
    conclusion=sp.Le(_gv**2 - 2 * _C * _ww * _Fs, _ww * (_gg - 2 * _C * _Fs)),
    statement=r"(\nabla F\cdot\nabla f)^2-2C_L|\nabla f|^2F\le|\nabla f|^2\big(|\nabla F|^2-2C_LF\big)",
)
disc_sign = Implication(
    "|grad F|^2 <= 2 C_L F (2.4) makes it <= 0",
    hypotheses=[_gg <= 2 * _C * _Fs],
    conclusion=sp.Le(_ww * (_gg - 2 * _C * _Fs), 0),
    statement=r"|\nabla F|^2\le2C_LF\implies|\nabla f|^2\big(|\nabla F|^2-2C_LF\big)\le0",
)
quad_nonneg_proof = Implication(
    "(2.4) gives F - eta grad F.v + eta^2 C_L |v|^2/2 >= 0 for every real eta and v (dimension 3)",
    scope="d = 3",
    hypotheses=[_g1**2 + _g2**2 + _g3**2 <= 2 * _C * _Fs],
    conclusion=sp.Ge(_Fs - _et * (_g1 * _w1 + _g2 * _w2 + _g3 * _w3) + _et**2 / 2 * _C * (_w1**2 + _w2**2 + _w3**2), 0),
    statement=r"|\nabla F|^2\le2C_LF\implies F-\eta\nabla F\cdot v+\frac{\eta^2}{2}C_L|v|^2\ge0\quad\forall\eta\in\mathbb R,\,v\in\mathbb R^3",
)
disc_corrected = Derivation(
    "alternative reading (polynomial in eta): discriminant in eta, Cauchy-Schwarz, then (2.4)",
    role="alternative reading",
    # the steps' expressions are sympy, so the engine checks that each check is about its step
    start=_disc,
    steps=[
        Step("=", _gv**2 - 2 * _C * _ww * _Fs, "$b^2-4ac$ with $a=\\frac{C_L}{2}|\\nabla f|^2$, $b=-\\nabla F\\cdot\\nabla f$, $c=F$", check=disc_value, label="(3.6)"),
        Step("<=", _ww * (_gg - 2 * _C * _Fs), "Cauchy--Schwarz", check=disc_cs, label="(3.6)"),
        Step("<=", sp.Integer(0), "(2.4)", check=disc_sign, label="(3.6)"),
    ],
    given=[_gg <= 2 * _C * _Fs],
    scope="d = 2",
    note="A nonpositive discriminant and a positive leading coefficient (or $\\nabla f=0$, a constant $F\\ge0$) give (3.6).",
)

# The stated discriminant, read as the quadratic in the vector w = eta grad f: (C_L/2)|w|^2 - grad F . w + F.
# a = C_L/2, b = -grad F, c = F: b^2 - 4ac = |grad F|^2 - 2 C_L F exactly, and the quadratic is >= 0 for all w iff this is <= 0.
_gs3 = (_g1, _g2, _g3)
_ws3 = (_w1, _w2, _w3)
_gg3 = _g1**2 + _g2**2 + _g3**2
_gw3 = _g1 * _w1 + _g2 * _w2 + _g3 * _w3
_quad_w = _C / 2 * (_w1**2 + _w2**2 + _w3**2) - _gw3 + _Fs
_disc_w = _gg3 - 2 * _C * _Fs
_sq_w = _C / 2 * sum(((w - g / _C) ** 2 for w, g in zip(_ws3, _gs3, strict=True)), sp.Integer(0))

disc_vector = Identity(
    "stated: the discriminant b^2 - 4ac of (C_L/2)|w|^2 - grad F . w + F (quadratic in w = eta grad f) is |grad F|^2 - 2 C_L F",
    # a, b, c are read off the quadratic in the check, by its exact Taylor expansion at 0 with
    # derivatives left unevaluated when built (a = q''/2, b = grad q - Hess q w, c = q - w.grad q
    # + w.Hess q w/2): the former encoding wrote the same discriminant on both sides (issue 10)
    sum(((sp.Derivative(_quad_w, wi) - sum((sp.Derivative(_quad_w, wi, wj) * wj for wj in _ws3), sp.Integer(0))) ** 2 for wi in _ws3), sp.Integer(0))
    - 4
    * (sp.Derivative(_quad_w, _w1, 2) / 2)
    * (
        _quad_w
        - sum((wi * sp.Derivative(_quad_w, wi) for wi in _ws3), sp.Integer(0))
        + sum((wi * wj * sp.Derivative(_quad_w, wi, wj) for wi in _ws3 for wj in _ws3), sp.Integer(0)) / 2
    ),
    _disc_w,
    statement=r"b^2-4ac=|{-\nabla F}|^2-4\cdot\tfrac{C_L}{2}\cdot F=|\nabla F|^2-2C_LF\quad\big(a=\tfrac{C_L}2,\ b=-\nabla F,\ c=F;\ w=\eta\nabla f\in\mathbb R^3\big)",
    note=r"The left side of (3.6) is $\frac{C_L}{2}|w|^2-\nabla F\cdot w+F$ with $w=\eta\nabla f(\theta_k;\xi_k)$; $b^2$ is $b\cdot b$ for the vector coefficient $b$.",
)
completed_square = Identity(
    "completed square: (C_L/2)|w|^2 - grad F . w + F = (C_L/2)|w - grad F/C_L|^2 - (|grad F|^2 - 2 C_L F)/(2 C_L)",
    _quad_w,
    _sq_w - _disc_w / (2 * _C),
    statement=r"\frac{C_L}{2}|w|^2-\nabla F\cdot w+F=\frac{C_L}{2}\Big|w-\frac{\nabla F}{C_L}\Big|^2-\frac{|\nabla F|^2-2C_LF}{2C_L}\quad(w\in\mathbb R^3)",
)
drop_square = Implication(
    "C_L > 0: the square term is >= 0, so the quadratic is >= -(|grad F|^2 - 2 C_L F)/(2 C_L)",
    hypotheses=[],
    conclusion=sp.Ge(_sq_w - _disc_w / (2 * _C), -_disc_w / (2 * _C)),
    statement=r"\frac{C_L}{2}\Big|w-\frac{\nabla F}{C_L}\Big|^2-\frac{|\nabla F|^2-2C_LF}{2C_L}\ge-\frac{|\nabla F|^2-2C_LF}{2C_L}",
)
disc_nonpos = Implication(
    "(2.4) |grad F|^2 <= 2 C_L F: the discriminant is <= 0, so -(disc)/(2 C_L) >= 0",
    hypotheses=[_gg3 <= 2 * _C * _Fs],
    conclusion=sp.Ge(-_disc_w / (2 * _C), 0),
    statement=r"|\nabla F|^2\le2C_LF\implies-\frac{|\nabla F|^2-2C_LF}{2C_L}\ge0",
)
disc_argument = Derivation(
    "(3.6) by the stated discriminant argument (quadratic in w = eta grad f)",
    start=_quad_w,
    steps=[
        Step("=", _sq_w - _disc_w / (2 * _C), "completing the square ($b^2-4ac=|\\nabla F|^2-2C_LF$)", check=completed_square, label="(3.6)"),
        Step(">=", -_disc_w / (2 * _C), "$C_L>0$", check=drop_square, label="(3.6)"),
        Step(">=", sp.Integer(0), "the discriminant is $\\le0$ by (2.4)", check=disc_nonpos, label="(3.6)"),
    ],
    given=[_gg3 <= 2 * _C * _Fs],
    scope="d = 3",
    statement=r"|\nabla F|^2-2C_LF\le0\implies F-\nabla F\cdot w+\frac{C_L}{2}|w|^2\ge0\quad\forall w\in\mathbb R^3",
)
disc_converse = Implication(
    "converse: nonnegativity at w = grad F/C_L forces |grad F|^2 - 2 C_L F <= 0 (the criterion is exact)",
    hypotheses=[_quad_w.subs({w: g / _C for w, g in zip(_ws3, _gs3, strict=True)}, simultaneous=True) >= 0],
    conclusion=sp.Le(_disc_w, 0),
    statement=r"F-\nabla F\cdot w+\frac{C_L}{2}|w|^2\ge0\ \text{at}\ w=\frac{\nabla F}{C_L}\implies|\nabla F|^2-2C_LF\le0",
    note="With the derivation above: the quadratic is nonnegative for every $w$ if and only if its discriminant $|\\nabla F|^2-2C_LF$ is $\\le0$, as the paper says.",
)

# Alternative reading (labelled, not the stated one): a polynomial in the scalar eta.
_eta_inst = {_Fs: 1, _C: 1, _g1: 1, _g2: 0, _w1: 2, _w2: 0}  # F = 1, C_L = 1, grad F = (1, 0), grad f = 2 grad F: (2.4) holds
disc_eta_instance = Identity(
    "alternative reading (polynomial in eta): at F = 1, C_L = 1, grad F = (1, 0), grad f = 2 grad F the eta-discriminant is -4",
    sp.Subs(_disc, tuple(_eta_inst), tuple(_eta_inst.values())),  # substituted in the check
    sp.Integer(-4),
    role="alternative reading",
    statement=r"\operatorname{disc}_\eta\Big(F-\eta\nabla F\cdot\nabla f+\frac{\eta^2}{2}C_L|\nabla f|^2\Big)=-4\quad(\text{while }|\nabla F|^2-2C_LF=-1)",
    note=r"Only under the reading ``polynomial in $\eta$'' would the printed quantity be the wrong discriminant; it is not the stated reading (see the entry's reading).",
)

q_cases = objective_cases(NONNEG, params={"eta": lambda f: Bound(Q(0), Q(4))}, points=("x", "v"))
nonneg_claim = Claim(
    "(3.6) F - eta grad F . grad f + eta^2 C_L |grad f|^2 / 2 >= 0",
    cases=q_cases,
    margin=lambda c, B: _q(c, B, c.x(B, "v")),
    proof=quad_nonneg_proof,
    statement=r"F(\theta_k)-\eta\nabla F(\theta_k)\cdot\nabla f(\theta_k;\xi_k)+\frac{\eta^2}{2}C_L|\nabla f(\theta_k;\xi_k)|^2\ge0",
    note="Over nonnegative smooth objectives, arbitrary stochastic gradients $v$ and step sizes; the search aims at $v$ near $\\nabla F/C_L\\eta$.",
)
nonneg_targeted = Claim(
    "(3.6) at the worst stochastic gradient v = grad F/(eta C_L)",
    cases=q_cases,
    margin=lambda c, B: _q(c, B, B.scale(B.num(1) / (c.p(B, "eta") * _L(c, B)), _g(c, B))),
    statement=r"F-\frac{|\nabla F|^2}{2C_L}\ge0\quad(\nabla f=\nabla F/(\eta C_L)\text{ minimises the quadratic form})",
)

indicator_37 = Implication(
    "(3.7): 1_{E_{k+1}} <= 1_{E_k} and Q >= 0",
    hypotheses=[_P * _I1 <= _Qs * _I1, _Qs >= 0, _I1 <= _I, sp.Or(sp.Eq(_I1, 0), sp.Eq(_I1, 1)), sp.Or(sp.Eq(_I, 0), sp.Eq(_I, 1))],
    conclusion=sp.Le(_P * _I1, _Qs * _I),
    statement=r"P\mathbf 1_{E_{k+1}}\le Q\mathbf 1_{E_{k+1}},\ Q\ge0,\ \mathbf 1_{E_{k+1}}\le\mathbf 1_{E_k}\implies P\mathbf 1_{E_{k+1}}\le Q\mathbf 1_{E_k}",
)
indicator_37_necessity = Implication(
    "necessity: without Q >= 0 the indicator cannot be enlarged",
    hypotheses=[_P * _I1 <= _Qs * _I1, _I1 <= _I, sp.Or(sp.Eq(_I1, 0), sp.Eq(_I1, 1)), sp.Or(sp.Eq(_I, 0), sp.Eq(_I, 1))],
    conclusion=sp.Le(_P * _I1, _Qs * _I),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"P\mathbf 1_{E_{k+1}}\le Q\mathbf 1_{E_{k+1}},\ \mathbf 1_{E_{k+1}}\le\mathbf 1_{E_k}\implies P\mathbf 1_{E_{k+1}}\le Q\mathbf 1_{E_k}",
)

register(
    Entry(
        id="sgdloj.quadratic-nonnegative",
        title="Nonnegativity (3.6) through the discriminant, and (3.7)",
        where="Proof of Theorem 3.1, (3.6)-(3.7)",
        statement=(
            r"$F(\theta_k)-\eta\nabla F(\theta_k)\cdot\nabla f(\theta_k;\xi_k)+\frac{\eta^2}{2}C_L|\nabla f(\theta_k;\xi_k)|^2\ge0$ (3.6), "
            r"since the discriminant of this quadratic equation is $|\nabla F(\theta_k)|^2-2C_LF(\theta_k)\le0$ by (2.4). We thus get "
            r"$F(\theta_{k+1})\mathbf 1_{E_{k+1}(r)}\le(F(\theta_k)-\eta\nabla F(\theta_k)\cdot\nabla f(\theta_k;\xi_k)+\frac{\eta^2}{2}C_L|\nabla f(\theta_k;\xi_k)|^2)\mathbf 1_{E_k(r)}$ (3.7)."
        ),
        hypotheses=[r"(2.4) at $\theta_k$", r"$\mathbf 1_{E_{k+1}(r)}\le\mathbf 1_{E_k(r)}$"],
        checks=[nonneg_claim, nonneg_targeted, disc_vector, disc_argument, disc_converse, indicator_37, indicator_37_necessity,
                disc_eta_instance, disc_corrected],
        status=Status.VERIFIED,
        reading=(
            r"``This quadratic equation'' is read as the quadratic in the vector $w=\eta\nabla f(\theta_k;\xi_k)$: $\frac{C_L}{2}|w|^2-\nabla F\cdot w+F$, with $a=\frac{C_L}2$, $b=-\nabla F$, $c=F$. "
            r"Then $b^2-4ac=|\nabla F|^2-2C_LF$ exactly as printed, and by the completed square the quadratic is $\ge0$ for every $w$ if and only if this is $\le0$, which (2.4) gives. "
            r"So the stated argument and (3.6)-(3.7) are verified. Alternative reading (labelled checks): as a polynomial in the scalar $\eta$ the discriminant is "
            r"$(\nabla F\cdot\nabla f)^2-2C_L|\nabla f|^2F$, not the printed quantity (it is $-4$ against $-1$ at $F=C_L=1$, $\nabla F=(1,0)$, $\nabla f=2\nabla F$); it is still $\le0$, "
            r"by Cauchy--Schwarz and (2.4), so this reading also gives (3.6). The vector reading is the one under which the printed discriminant is the discriminant."
        ),
    )
)

# ------------------------------------------------------------------ (3.8)

_z1, _z2, _m11, _m12, _m22 = sp.symbols("z_1 z_2 M_11 M_12 M_22", real=True)
_sig = sp.Symbol("sigma", positive=True)
_gF = (_g1, _g2)
_sq = sp.sqrt(_sig * _Fs)
_vZ = (_g1 + _sq * _z1, _g2 + _sq * _z2)
_Qz = _Fs - _eta * (_gF[0] * _vZ[0] + _gF[1] * _vZ[1]) + _eta**2 / 2 * _C * (_vZ[0] ** 2 + _vZ[1] ** 2)
_MOMENTS = {(0, 0): sp.Integer(1), (1, 0): sp.Integer(0), (0, 1): sp.Integer(0), (2, 0): _m11, (1, 1): _m12, (0, 2): _m22}


def expectation_over_z(expr: sp.Expr) -> sp.Expr:
    """E over Z = (z_1, z_2) of a polynomial of degree <= 2 in Z, by linearity: E z_i = 0, E z_i z_j = M_ij."""
    poly = sp.Poly(sp.expand(expr), _z1, _z2)
    out = sp.Integer(0)
    for monom, coeff in poly.terms():
        if monom not in _MOMENTS:
            raise ValueError(f"moment {monom} not available")
        out += coeff * _MOMENTS[monom]
    return out


_EQ = expectation_over_z(_Qz)
_trace = _m11 + _m22
expectation_identity = Identity(
    "E_Z of the (3.7) bracket with grad f = grad F + sqrt(sigma F) Z (linearity, E Z = 0)",
    _EQ,
    _Fs - _eta * _gg + _eta**2 / 2 * _C * (_gg + _sig * _Fs * _trace),
    statement=r"\mathbb E_Z\Big[F-\eta\nabla F\cdot\nabla f+\frac{\eta^2}{2}C_L|\nabla f|^2\Big]=F-\eta|\nabla F|^2+\frac{\eta^2}{2}C_L\big(|\nabla F|^2+\sigma F\,\mathbb E|Z|^2\big)",
    scope="d = 2; the computation is coordinatewise",
    note="$\\mathbb E Z=0$ removes the cross terms; $\\mathbb E|Z|^2=M_{11}+M_{22}$ (dimension 2; the computation is coordinatewise).",
)
_G2, _T, _al = sp.symbols("G2 T alpha", nonnegative=True)
rho_expr = 1 - _eta * _al + _eta**2 / 2 * _C * (2 * _C + _sig)
bound_38 = Implication(
    "(2.2) lower bound and (2.4) upper bound on |grad F|^2, E|Z|^2 <= 1 give (3.8)",
    hypotheses=[_G2 >= _al * _Fs, _G2 <= 2 * _C * _Fs, _T <= 1],
    conclusion=sp.Le(_Fs - _eta * _G2 + _eta**2 / 2 * _C * (_G2 + _sig * _Fs * _T), rho_expr * _Fs),
    statement=r"\alpha F\le|\nabla F|^2\le2C_LF,\ \mathbb E|Z|^2\le1\implies F-\eta|\nabla F|^2+\frac{\eta^2}{2}C_L(|\nabla F|^2+\sigma F\mathbb E|Z|^2)\le\Big(1-\eta\alpha+\frac{\eta^2}{2}C_L(2C_L+\sigma)\Big)F",
    note="$-\\eta|\\nabla F|^2\\le-\\eta\\alpha F$ by the definition (2.1) of $\\alpha$ on the ball (trivially when $F=0$, since then $\\nabla F=0$ by (2.4)); $\\frac{\\eta^2}{2}C_L|\\nabla F|^2\\le\\eta^2C_L^2F$ by (2.4).",
)
indicator_38 = Implication(
    "1_{E_k} is F_k-measurable: E[X 1_{E_k} | F_k] = 1_{E_k} E[X | F_k] <= rho F 1_{E_k}",
    hypotheses=[_Qs <= sp.Symbol("rho", real=True) * _Fs, sp.Or(sp.Eq(_I, 0), sp.Eq(_I, 1))],
    conclusion=sp.Le(_I * _Qs, sp.Symbol("rho", real=True) * _Fs * _I),
    statement=r"\mathbb E[X|\mathcal F_k]\le\rho F,\ \mathbf 1_{E_k}\in\{0,1\}\implies\mathbf 1_{E_k}\mathbb E[X|\mathcal F_k]\le\rho F\mathbf 1_{E_k}",
)

expectation_chain = Derivation(
    "(3.8) from (3.7), with F_k = sigma(xi_0, ..., xi_{k-1}) (theta_k and E_k are F_k-measurable)",
    start=r"\mathbb E[F(\theta_{k+1})\mathbf 1_{E_{k+1}}|\mathcal F_k]",
    steps=[
        Step(
            "<=",
            r"\mathbf 1_{E_k}\mathbb E\Big[F-\eta\nabla F\cdot\nabla f+\frac{\eta^2}{2}C_L|\nabla f|^2\Big|\mathcal F_k\Big]",
            "(3.7), monotonicity of conditional expectation, $E_k\\in\\mathcal F_k$",
            check=indicator_38,
            label="(3.8)",
        ),
        Step("=", r"\mathbf 1_{E_k}\Big(F-\eta|\nabla F|^2+\frac{\eta^2}{2}C_L(|\nabla F|^2+\sigma F\mathbb E|Z|^2)\Big)", "(2.10)-(2.11), linearity", check=expectation_identity, label="(3.8)"),
        Step("<=", r"\Big(1-\eta\alpha+\frac{\eta^2}{2}C_L(2C_L+\sigma)\Big)F(\theta_k)\mathbf 1_{E_k}", "(2.1) on $B(\\theta_0,r)$, (2.4), $\\mathbb E|Z|^2\\le1$", check=bound_38, label="(3.8)"),
    ],
)


def _two_point_margin(c: Case, B: Backend) -> Number:
    """rho_a F(theta) - E[F(theta_{k+1})] for Z = +-u (prob. 1/2 each): E Z = 0, E|Z|^2 = |u|^2 <= 1.

    rho_a = 1 - eta a + eta^2 C_L (2 C_L + sigma)/2 with a = |grad F(theta)|^2 / F(theta) >= alpha(theta_0, r).
    """
    eta, sigma = c.p(B, "eta"), c.p(B, "sigma")
    x = c.x(B)
    F0 = _F(c, B, x)
    g = _g(c, B, x)
    u = c.x(B, "u")
    sq = B.sqrt(sigma * F0)
    expected = B.num(0)
    for sgn in (1, -1):
        v = B.add(g, B.scale(sq * B.num(sgn), u))
        expected = expected + _F(c, B, B.sub(x, B.scale(eta, v))) / 2
    L = _L(c, B)
    rho_a = B.num(1) - eta * B.norm2(g) / F0 + eta * eta / 2 * L * (2 * L + sigma)
    return rho_a * F0 - expected


def _unit_u_positive_F(c: Case) -> bool:
    MP = MPBackend(30)
    u = c.points["u"]
    return sum(v * v for v in u) <= 1 and bool(_F(c, MP) > MP.num(Q(1, 10**12)))


mc_cases = objective_cases(
    NONNEG, params={"eta": lambda f: Bound(Q(0), Q(1)), "sigma": lambda f: Bound(Q(0), Q(4))}, points=("x", "u"), radius=1
)
two_point_claim = Claim(
    "(3.8) with a two-point noise Z = +-u, |u| <= 1: E F(theta_{k+1}) <= rho F(theta_k)",
    cases=mc_cases,
    margin=_two_point_margin,
    where=_unit_u_positive_F,
    statement=r"\tfrac12\sum_{\pm}F\big(\theta-\eta(\nabla F(\theta)\pm\sqrt{\sigma F(\theta)}u)\big)\le\Big(1-\eta a+\frac{\eta^2}{2}C_L(2C_L+\sigma)\Big)F(\theta),\ a=\frac{|\nabla F(\theta)|^2}{F(\theta)}",
    note="The expectation is exact (two equally likely values), so the check is deterministic; $a\\ge\\alpha(\\theta_0,r)$ at every point of the ball, so this is the strongest form of (3.8) at $\\theta$.",
)

# ------------------------------------------------------------------ (3.8): which filtration
# The paper: "F_k the filtration generated by xi_1, ..., xi_{k-1}". theta_k = theta_{k-1} - eta grad f(theta_{k-1}; xi_{k-1})
# depends on xi_0, ..., xi_{k-1} (the iteration starts at theta_0 with xi_0, (1.2), (3.3)), so theta_k and E_k are not
# F_k-measurable under the printed definition; the argument needs F_k = sigma(xi_0, ..., xi_{k-1}).
_FILT_INSTANCES = [
    ((Q(4, 5), Q(1, 2)), Q(1, 256), Q(1)),  # the audit's instance first: its k = 1 case is the recorded counterexample
    ((Q(11, 10), Q(1)), Q(1, 256), Q(1)),
    ((Q(4, 5), Q(8, 7)), Q(1, 512), Q(1)),
    ((Q(101, 100), Q(99, 100)), Q(1, 256), Q(1, 10)),
]
_FILT_KMAX = 3


def _ls2_runs(theta0: tuple[Q, Q], eta: Q, steps: int) -> list[tuple[tuple[int, ...], list[tuple[Q, ...]]]]:
    """All 2^steps equally likely single-sample SGD runs on LS2 with their sample indices (xi_0, ..., xi_{steps-1}), exact."""
    runs: list[tuple[tuple[int, ...], list[tuple[Q, ...]]]] = [((), [tuple(theta0)])]
    for _ in range(steps):
        nxt = []
        for xis, path in runs:
            th = path[-1]
            for i, g in enumerate(LS2.sample_grads(th)):
                nxt.append(((*xis, i), [*path, tuple(t - eta * gi for t, gi in zip(th, g, strict=True))]))
        runs = nxt
    return runs


def _filtration_cases(literal: bool) -> list[dict[str, Any]]:
    """One case per (instance, k, atom xi_0..xi_{k-1}): lhs = E[F(theta_{k+1}) 1_{E_{k+1}} | G_k] on the atom, rhs = rho F(theta_k) 1_{E_k}.

    literal: G_k = sigma(xi_1, ..., xi_{k-1}) as printed (average over xi_0 and xi_k); else G_k = sigma(xi_0, ..., xi_{k-1})
    (average over xi_k). Exact rationals over all sampling paths; rho = rho(eta) with alpha = 4 = alpha(theta_0, r) (the
    balls contain theta* = (1, 1), where the ratio |grad F|^2/F of LS2 takes its infimum 4).
    """
    out = []
    for th0, eta, r in _FILT_INSTANCES:
        runs = _ls2_runs(th0, eta, _FILT_KMAX + 1)
        rho = rho_of(eta)

        def inside(path: list[tuple[Q, ...]], k: int, th0: tuple[Q, Q] = th0, r: Q = r) -> bool:
            return all(in_ball(path[j], th0, r) for j in range(k + 1))

        for k in range(1 if literal else 0, _FILT_KMAX + 1):
            atoms = sorted({xis[:k] for xis, _ in runs})
            for atom in atoms:
                # the conditioning event: paths agreeing with the atom on the generating samples
                same = [(xis, p) for xis, p in runs if (xis[1:k] == atom[1:] if literal else xis[:k] == atom)]
                lhs = sum((LS2.F(p[k + 1]) * inside(p, k + 1) for _, p in same), Q(0)) / len(same)
                path = next(p for xis, p in runs if xis[:k] == atom)
                rhs = rho * LS2.F(path[k]) * inside(path, k)
                out.append({"theta0": th0, "eta": eta, "r": r, "k": k, "xi_0..xi_{k-1}": atom, "lhs": lhs, "rhs": rhs})
    return out


filtration_stated = ExactCases(
    "(3.8) with F_k generated by xi_1..xi_{k-1} as printed: E[F(theta_{k+1}) 1_{E_{k+1}} | F_k] <= rho F(theta_k) 1_{E_k} a.s. (LS2, exact)",
    lambda: _filtration_cases(literal=True), lambda c, B: B.num(c["rhs"] - c["lhs"]),
    expect=Expect.REFUTED,
    statement=r"\mathbb E\big[F(\theta_{k+1})\mathbf 1_{E_{k+1}(r)}\big|\sigma(\xi_1,\dots,\xi_{k-1})\big]\le\rho F(\theta_k)\mathbf 1_{E_k(r)}\ \text{a.s.}",
    note=(r"Exact enumeration over all single-sample paths of LS2 for $k=1,2,3$, every atom of the sampling. At $k=1$, $\mathcal F_1$ is trivial and the claim reads "
          r"$\mathbb E[F(\theta_2)\mathbf 1_{E_2}]\le\rho F(\theta_1)\mathbf 1_{E_1}$ a.s. Counterexample: $\theta_0=(4/5,1/2)$, $\eta=1/256$, $r=1$ ($\rho=505/512$, $F(\theta_0)=41/100<r^2\alpha/4=1$): "
          r"$\mathbb E F(\theta_2)\mathbf 1_{E_2}=10299464777/26843545600\approx0.38368$, while on $\{\xi_0=\text{sample }1\}$ ($a_1=(2,1)$, probability $\frac12$) $\rho F(\theta_1)=63098437/167772160\approx0.37610$."),
)
filtration_corrected = ExactCases(
    "(3.8) with F_k = sigma(xi_0, ..., xi_{k-1}): E[F(theta_{k+1}) 1_{E_{k+1}} | F_k] <= rho F(theta_k) 1_{E_k} on every atom (LS2, exact, k <= 3)",
    lambda: _filtration_cases(literal=False), lambda c, B: B.num(c["rhs"] - c["lhs"]),
    statement=r"\mathbb E\big[F(\theta_{k+1})\mathbf 1_{E_{k+1}(r)}\big|\sigma(\xi_0,\dots,\xi_{k-1})\big]\le\rho F(\theta_k)\mathbf 1_{E_k(r)}\ \text{a.s.},\quad k=0,\dots,3",
    note="The same instances and paths as the refuted check, conditioning on the samples that determine $\\theta_k$.",
)


register(
    Entry(
        id="sgdloj.expected-contraction",
        title="The conditional expectation bound (3.8)",
        where="Proof of Theorem 3.1, (3.3) and (3.8)",
        statement=(
            r"We denote $\mathcal F_k$ as the filtration generated by $\xi_1,\cdots,\xi_{k-1}$. [...] "
            r"We replace $\nabla f$ above by the decomposition (2.10), $\nabla f(\theta_k;\xi_k)=\nabla F(\theta_k)+\sqrt{\sigma F(\theta_k)}Z_{\theta,\xi}$, and use the bound (2.4) as well as "
            r"the local Lojasiewicz condition (2.2). By taking the expectation we have that "
            r"$\mathbb E[F(\theta_{k+1})\mathbf 1_{E_{k+1}(r)}|\mathcal F_k]\le(1-\eta\alpha+\frac{\eta^2}{2}C_L(2C_L+\sigma))F(\theta_k)\mathbf 1_{E_k(r)}$ (3.8)."
        ),
        hypotheses=[r"(2.10)-(2.11): $\mathbb E Z=0$, $\mathbb E|Z|^2\le1$", r"(2.4) on $B(\theta_0,r)$", r"$\alpha=\alpha(\theta_0,r)$",
                    r"$\theta_{k+1}=\theta_k-\eta\nabla f(\theta_k;\xi_k)$ from $\theta_0$ (1.2), $\xi_0,\xi_1,\dots$ i.i.d."],
        checks=[filtration_stated],
        corrected=[expectation_chain, filtration_corrected, two_point_claim],
        status=Status.ERRATUM,
        reading=(
            r"The iteration (1.2) starts at $\theta_0$ and uses $\xi_0$ ($E_k$ in (3.3) includes $j=0$), so $\theta_k$ and $E_k(r)$ depend on $\xi_0,\dots,\xi_{k-1}$. "
            r"Read literally, $\mathcal F_k=\sigma(\xi_1,\dots,\xi_{k-1})$ does not contain $\xi_0$: $\theta_k$ and $\mathbf 1_{E_k}$ are not $\mathcal F_k$-measurable, the first step of the derivation "
            r"($\mathbf 1_{E_k}$ out of the conditional expectation) fails, and (3.8) itself is refuted (exact enumeration on LS2 at $k=1$, where $\mathcal F_1$ is trivial). "
            r"Corrected: $\mathcal F_k=\sigma(\xi_0,\dots,\xi_{k-1})$ (an index slip; the later uses, e.g. the tower property in (3.9), are unaffected). "
            r"What is used from the ``local Lojasiewicz condition (2.2)'' is the definition (2.1): $|\nabla F(\theta_k)|^2\ge\alpha F(\theta_k)$ on $E_k(r)$ (where $\theta_k\in B(\theta_0,r)$); "
            r"the inequality $4F(\theta_0)<r^2\alpha$ itself is not used in (3.8). $Z_{\theta_k,\xi_k}$ is read as independent of $\mathcal F_k$ given $\theta_k$ (so $\mathbb E[Z|\mathcal F_k]=0$), "
            r"which holds for the corrected $\mathcal F_k$ since $\xi_k$ is independent of $\xi_0,\dots,\xi_{k-1}$."
        ),
    )
)

# ------------------------------------------------------------------ rho (3.2)

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


def _rho_margin(c: Case, B: Backend) -> Number:
    a, C, s, t = c.p(B, "alpha"), c.p(B, "C_L"), c.p(B, "sigma"), c.p(B, "t")
    eta = t * B.min(B.num(1) / a, a / (4 * C * (2 * C + s)))
    rho = B.num(1) - eta * a + eta * eta / 2 * C * (2 * C + s)
    return B.min(rho, B.num(1) - a * eta / 2 - rho, B.num(1) - rho)


rho_claim = Claim(
    "rho in (0, 1) and rho <= 1 - alpha eta/2 at sampled constants",
    cases=scalar_cases({"alpha": Bound(Q(0), Q(8)), "C_L": Bound(Q(0), Q(8)), "sigma": Bound(Q(0), Q(8)), "t": Bound(Q(0), Q(1), True, False)}),
    margin=_rho_margin,
    strict=True,
    proof=rho_proof,
    statement=r"\eta=t\min\{\tfrac1\alpha,\tfrac{\alpha}{4C_L(2C_L+\sigma)}\},\ t\in(0,1]:\ 0<\rho\le1-\tfrac{\alpha\eta}2<1",
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
