"""sgdloj.quadratic-nonnegative: Section 3, proof of Theorem 3.1, (3.6)-(3.7).

F - eta grad F . grad f + (eta^2/2) C_L |grad f|^2 >= 0 (3.6), "since the discriminant of this
quadratic equation is |grad F|^2 - 2 C_L F <= 0 by (2.4)"; hence the indicator 1_{E_{k+1}} in (3.5)
may be enlarged to 1_{E_k} (3.7). The quadratic is read in the vector w = eta grad f (where the
printed discriminant is exact); the reading as a polynomial in eta is checked beside it."""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Bound, Derivation, Expect, Identity, Implication, Step
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases
from theorems.catalogue.sgdloj._objectives import NONNEGATIVE_OBJECTIVES
from theorems.registry import Entry, Status, register

_eta, _C = sp.symbols("eta C_L", positive=True)

_P, _Qs, _I, _I1 = sp.symbols("P Q I_k I_{k+1}", real=True)

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

q_cases = objective_cases(NONNEGATIVE_OBJECTIVES, params={"eta": lambda f: Bound(Q(0), Q(4))}, points=("x", "v"))
nonneg_claim = NotationClaim(
    "(3.6) F - eta grad F . grad f + eta^2 C_L |grad f|^2 / 2 >= 0",
    "F(theta) - eta*dot(grad(theta), v) + eta^2/2*L*norm(v)^2 >= 0",
    points=("theta", "v"),
    params=("eta",),
    case_names={"theta": "x"},
    cases=q_cases,
    proof=quad_nonneg_proof,
    domain=r"(\theta=\theta_k,\ v=\nabla f(\theta_k;\xi_k),\ L=C_L)",
    note="Over nonnegative smooth objectives, arbitrary stochastic gradients $v$ and step sizes (random $v$ rarely sit near the worst one); the worst $v=\\nabla F/(C_L\\eta)$ is checked by the next claim.",
)
nonneg_targeted = NotationClaim(
    "(3.6) at the worst stochastic gradient v = grad F/(eta C_L)",
    "F(theta) - eta*gradnorm(theta)^2/(eta*L) + eta^2/2*L*(gradnorm(theta)/(eta*L))^2 >= 0",
    points=("theta",),
    params=("eta",),
    case_names={"theta": "x"},
    cases=q_cases,
    domain=r"(\nabla f=\nabla F/(\eta C_L)\text{ minimises the quadratic form; }L=C_L)",
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
