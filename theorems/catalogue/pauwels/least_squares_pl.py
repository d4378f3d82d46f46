"""pauwels.least-squares-pl: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "Data interpolation and overparameterization", "Least squares loss".

F = ||H(x) - y||^2: ||grad F||^2/F >= 2 lambda_min(J_H J_H^T). The stated ratio 2 ||J^T(H - y)||^2/||H - y||^2 is an
erratum: the identity holds with 4, giving the sharper bound 4 lambda_min(J J^T).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Box,
    Case,
    Claim,
    Constants,
    Expect,
    Identity,
    Implication,
    Objective,
    coordinates,
)
from symbolic.backends import Backend, Number
from symbolic.compile import compiled
from symbolic.families import rationals
from theorems.catalogue.pauwels._common import arb_positive, vector_identity
from theorems.catalogue.pauwels._descent import lambda_min_JJt
from theorems.registry import Entry, Status, register


@dataclass(frozen=True)
class NLS:
    """F(x) = ||H(x) - y||^2 with the map H kept (rows), its Jacobian and y."""

    obj: Objective
    H: tuple[sp.Expr, ...]
    y: tuple[Q, ...]
    J: tuple[tuple[sp.Expr, ...], ...]


@st.composite
def nls_with_H(draw: st.DrawFn, n: tuple[int, int] = (1, 2), p: tuple[int, int] = (1, 3), radius: int = 1) -> NLS:
    """The construction of symbolic.families.nonlinear_least_squares, keeping H and y (needed for J_H)."""
    rows = draw(st.integers(*n))
    d = draw(st.integers(*p))
    xs = coordinates(d)
    Hs, ys = [], []
    for _ in range(rows):
        h = sp.Integer(0)
        for v in xs:
            h += sp.Rational(draw(rationals(-2, 2, denominator=4))) * v
        for i, xi in enumerate(xs):
            for xj in xs[i:]:
                if draw(st.booleans()):
                    h += sp.Rational(draw(rationals(-1, 1, denominator=4))) * xi * xj
        Hs.append(sp.expand(h))
        ys.append(draw(rationals(-1, 1, denominator=4)))
    expr = sp.expand(sum((h - sp.Rational(yv)) ** 2 for h, yv in zip(Hs, ys, strict=True)))
    J = tuple(tuple(sp.diff(h, v) for v in xs) for h in Hs)
    box = Box.cube(d, radius)
    return NLS(Objective(f"nls({rows}x{d})", xs, expr, Constants(region=box)), tuple(Hs), tuple(ys), J)


def _nls_parts(nl: NLS, B: Backend, x: list[Number]) -> tuple[list[Number], list[list[Number]]]:
    r = list(compiled(list(nl.H), nl.obj.variables)(B, x))
    r = [ri - B.num(yv) for ri, yv in zip(r, nl.y, strict=True)]
    flat = compiled([e for row in nl.J for e in row], nl.obj.variables)(B, x)
    d = nl.obj.dim
    J = [list(flat[i * d : (i + 1) * d]) for i in range(len(nl.H))]
    return r, J


def _JTr2(B: Backend, J: list[list[Number]], r: list[Number]) -> Number:
    p = len(J[0])
    return B.norm2([B.dot([J[i][j] for i in range(len(J))], r) for j in range(p)])


nls_cases = nls_with_H().flatmap(lambda nl: st.tuples(*[rationals(-1, 1, denominator=64)] * nl.obj.dim).map(lambda x: Case(objective=nl.obj, params={}, points={"x": x}, bounds={})).map(lambda c: (nl, c)))


def _nls_claim(name: str, margin: Callable[[NLS, Case, Backend], Number], statement: str, **kw: object) -> Claim:
    holder: dict[int, NLS] = {}

    def mk(pair: tuple[NLS, Case]) -> Case:
        nl, c = pair
        holder[id(c.objective)] = nl
        return c

    def where(c: Case) -> bool:
        nl = holder[id(c.objective)]
        return arb_positive(lambda B: nl.obj.value(B, [B.num(v) for v in c.points["x"]]))

    return Claim(name, cases=nls_cases.map(mk), margin=lambda c, B: margin(holder[id(c.objective)], c, B), where=where, statement=statement, **kw)  # type: ignore[arg-type]


def margin_stated_identity(nl: NLS, c: Case, B: Backend) -> Number:
    r, J = _nls_parts(nl, B, c.x(B))
    return -B.abs(B.norm2(nl.obj.grad(B, c.x(B))) - 2 * _JTr2(B, J, r))


def margin_ratio_bound(const: int) -> Callable[[NLS, Case, Backend], Number]:
    def m(nl: NLS, c: Case, B: Backend) -> Number:
        r, J = _nls_parts(nl, B, c.x(B))
        return B.norm2(nl.obj.grad(B, c.x(B))) - const * lambda_min_JJt(B, J) * B.norm2(r)

    return m


def margin_rayleigh(nl: NLS, c: Case, B: Backend) -> Number:
    r, J = _nls_parts(nl, B, c.x(B))
    return _JTr2(B, J, r) - lambda_min_JJt(B, J) * B.norm2(r)


# symbolic: generic H: R^2 -> R^2 quadratic with symbolic coefficients
_hc = sp.symbols("h0:10", real=True)
_yy = sp.symbols("yv1:3", real=True)
_X = sp.symbols("x1 x2", real=True)
_H = [_hc[0] * _X[0] + _hc[1] * _X[1] + _hc[2] * _X[0] ** 2 + _hc[3] * _X[0] * _X[1] + _hc[4] * _X[1] ** 2,
      _hc[5] * _X[0] + _hc[6] * _X[1] + _hc[7] * _X[0] ** 2 + _hc[8] * _X[0] * _X[1] + _hc[9] * _X[1] ** 2]
_rr = sp.Matrix([_H[0] - _yy[0], _H[1] - _yy[1]])
_JH = sp.Matrix(2, 2, lambda i, j: sp.diff(_H[i], _X[j]))
_Fls = (_rr.T * _rr)[0, 0]
_gradF = sp.Matrix([sp.diff(_Fls, v) for v in _X])
ls_gradient = vector_identity(
    "grad F = 2 J_H^T (H - y)",
    sp.Matrix([sp.Derivative(_Fls, v) for v in _X]),  # differentiated in the check
    2 * sp.Matrix(2, 2, lambda i, j: sp.Derivative(_H[i], _X[j])).T * _rr,
    statement=r"\nabla F(x)=2J_H(x)^T(H(x)-y)",
    note="Generic quadratic $H:\\mathbb{R}^2\\to\\mathbb{R}^2$ with symbolic coefficients.",
)
# the stated identity on the simplest case H(x) = a x + b x^2, n = p = 1
_aa, _bb, _yv, _x1 = sp.symbols("a b y x", real=True)
_h1 = _aa * _x1 + _bb * _x1**2
_F1 = (_h1 - _yv) ** 2
ls_stated_identity = Identity(
    "stated: ||grad F||^2 / F = 2 ||J^T(H - y)||^2 / ||H - y||^2",
    sp.diff(_F1, _x1) ** 2 / _F1,
    2 * (sp.diff(_h1, _x1) * (_h1 - _yv)) ** 2 / (_h1 - _yv) ** 2,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\frac{\|\nabla F(x)\|^2}{F(x)}=2\frac{\|J_H(x)^T(H(x)-y)\|^2}{\|H(x)-y\|^2}",
    note="$H(x)=ax+bx^2$, $n=p=1$: the left side is $4(a+2bx)^2$, the right side $2(a+2bx)^2$.",
)
ls_stated_numeric = _nls_claim(
    "stated identity on nonlinear least squares: ||grad F||^2 = 2 ||J^T r||^2",
    margin_stated_identity,
    r"\|\nabla F(x)\|^2=2\|J_H(x)^T(H(x)-y)\|^2",
    expect=Expect.REFUTED,
    role="stated",
)
ls_corrected_identity = Identity(
    "corrected: ||grad F||^2 / F = 4 ||J^T(H - y)||^2 / ||H - y||^2",
    ((_gradF.T * _gradF)[0, 0]) / _Fls,
    4 * ((_JH.T * _rr).T * (_JH.T * _rr))[0, 0] / _Fls,
    statement=r"\frac{\|\nabla F(x)\|^2}{F(x)}=4\frac{\|J_H(x)^T(H(x)-y)\|^2}{\|H(x)-y\|^2}",
)
_m11, _m12, _m22, _r1, _r2 = sp.symbols("m11 m12 m22 r1 r2", real=True)
_lmin = (_m11 + _m22) / 2 - sp.sqrt((_m11 - _m22) ** 2 / 4 + _m12**2)
rayleigh = Implication(
    "Rayleigh: r^T M r >= lambda_min(M) ||r||^2 (2 x 2 symmetric M)",
    hypotheses=[],
    conclusion=_m11 * _r1**2 + 2 * _m12 * _r1 * _r2 + _m22 * _r2**2 >= _lmin * (_r1**2 + _r2**2),
    statement=r"r^TMr\ge\lambda_{\min}(M)\|r\|^2,\quad\|J_H^Tr\|^2=r^TJ_HJ_H^Tr",
)
ls_stated_bound = _nls_claim(
    "stated bound ||grad F||^2 / F >= 2 lambda_min(J J^T)",
    margin_ratio_bound(2),
    r"\frac{\|\nabla F(x)\|^2}{F(x)}\ge2\lambda_{\min}(J_H(x)J_H(x)^T)",
    note="True (it is weaker than the corrected bound with 4).",
)
ls_rayleigh_numeric = _nls_claim(
    "Rayleigh step ||J^T r||^2 >= lambda_min(J J^T) ||r||^2 on the family",
    margin_rayleigh,
    r"\|J_H^T(H-y)\|^2\ge\lambda_{\min}(J_HJ_H^T)\|H-y\|^2",
    proof=rayleigh,
)
ls_corrected_bound = _nls_claim(
    "corrected sharper bound ||grad F||^2 / F >= 4 lambda_min(J J^T)",
    margin_ratio_bound(4),
    r"\frac{\|\nabla F(x)\|^2}{F(x)}\ge4\lambda_{\min}(J_H(x)J_H(x)^T)",
)
# H: R^3 -> R^2 with symbolic coefficients; the left side's J_H is differentiated in the check
# (unevaluated sp.Derivative), the right side sums the outer products of the partial derivatives
# (with explicit symbols j_ij the two sides were one expression when built, issue 10)
_Xp = sp.symbols("x1:4", real=True)
_hp = sp.symbols("hp0:14", real=True)
_Hp = [sum((_hp[7 * a + i] * _Xp[i] + _hp[7 * a + 3 + i] * _Xp[i] ** 2 for i in range(3)), _hp[7 * a + 6] * _Xp[0] * _Xp[1] * _Xp[2]) for a in range(2)]
_Jd = sp.Matrix(2, 3, lambda a, i: sp.Derivative(_Hp[a], _Xp[i]))
_cols = [sp.Matrix([sp.diff(_Hp[a], _Xp[i]) for a in range(2)]) for i in range(3)]
_JJt_sum = sum((c * c.T for c in _cols), sp.zeros(2, 2))
ls_sum = vector_identity(
    "J J^T = sum_i (dH/dx_i)(dH/dx_i)^T",
    sp.Matrix(list(_Jd * _Jd.T)[:3]),
    sp.Matrix(list(_JJt_sum)[:3]),
    statement=r"J_HJ_H^T=\sum_{i=1}^p\Big(\frac{\partial H}{\partial x_i}\Big)\Big(\frac{\partial H}{\partial x_i}\Big)^T\in\mathbb{R}^{n\times n}",
    note="$n=2$, $p=3$, $H$ with symbolic coefficients (linear, square and $x_1x_2x_3$ terms), $J_H$ differentiated in the check (the entries (1,1), (1,2), (2,1); (2,2) by symmetry of the argument).",
)

register(
    Entry(
        id="pauwels.least-squares-pl",
        title="Least squares: gradient domination through lambda_min(J J^T)",
        where="Data interpolation and overparameterization: Least squares loss",
        statement=(
            r"\textbf{Least squares loss:} $H:\mathbb{R}^p\to\mathbb{R}^n$, $C^2$, $y\in\mathbb{R}^n$. $\min_x F(x):=\|H(x)-y\|^2$. "
            r"$\frac{\|\nabla F(x)\|^2}{F(x)}=2\frac{\|J_H(x)^T(H(x)-y)\|^2}{\|H(x)-y\|^2}\ge2\lambda_{\min}(J_H(x)J_H(x)^T)$, "
            r"$J_HJ_H^T=\sum_{i=1}^p(\frac{\partial H}{\partial x_i})(\frac{\partial H}{\partial x_i})^T\in\mathbb{R}^{n\times n}$."
        ),
        hypotheses=[r"$F(x)>0$ (the ratio is defined)"],
        checks=[ls_gradient, ls_stated_identity, ls_stated_numeric, rayleigh, ls_rayleigh_numeric, ls_stated_bound, ls_sum],
        corrected=[ls_corrected_identity, ls_corrected_bound],
        status=Status.ERRATUM,
        reading=(
            "$F=\\|H-y\\|^2$ without the factor $\\frac12$, so $\\nabla F=2J_H^T(H-y)$ and the identity has constant 4, not 2. "
            "The stated lower bound $2\\lambda_{\\min}$ remains true (weaker); the sharp one is $4\\lambda_{\\min}$."
        ),
    )
)
