"""pauwels.convex-chain-rule: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 6 "Extensions to nonsmooth settings", slides "Chain rule along Lipschitz curves", "Chain rule for convex functions".

For convex F and locally Lipschitz theta, d/dt F(theta(t)) = <v, theta'(t)> for all v in dF(theta(t)) a.e.; along
solutions of theta' in -dF(theta), d/dt F(theta(t)) = -dist(0, dF(theta(t)))^2. Erratum: the proof's last line puts
the velocity in dF(theta) where minus the velocity is meant (checked on the l1 flow, with the minimum-norm element).
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import (
    Bound,
    Case,
    Claim,
    Definition,
    Derivation,
    Expect,
    Identity,
    Implication,
    Judgement,
    Step,
    Verdict,
)
from symbolic.backends import Backend, Number
from theorems.cases import scalar_cases
from theorems.registry import Entry, Status, register

t_ = sp.Symbol("t", real=True)


a_, b_ = sp.symbols("a b", positive=True)  # theta0 = (a, -b) with 0 < a < b
v1, v2 = sp.symbols("v1 v2", real=True)  # free elements of [-1, 1] where a coordinate vanishes


def l1_flow_pieces() -> list[tuple[str, sp.Expr, tuple[sp.Expr, sp.Expr], tuple[sp.Expr, sp.Expr], sp.Expr]]:
    """(interval, t-expression, theta(t), a generic v in dF(theta(t)), dist(0, dF)^2) on each piece, theta0 = (a, -b)."""
    return [
        ("0<t<a", t_, (a_ - t_, -(b_ - t_)), (sp.Integer(1), sp.Integer(-1)), sp.Integer(2)),
        ("a<t<b", t_, (sp.Integer(0), -(b_ - t_)), (v1, sp.Integer(-1)), sp.Integer(1)),
        ("t>b", t_, (sp.Integer(0), sp.Integer(0)), (v1, v2), sp.Integer(0)),
    ]


# The former per-piece identities (d/dt ||theta(t)||_1 = <v, theta'> = -dist^2 on 0<t<a,
# a<t<b, t>b) had both sides already equal to the constants -2, -1, 0 when they were built
# (sympy differentiated the affine pieces at import): they checked nothing and were removed
# (issue 10). The statement is checked numerically in R^3 below (chain_numeric*), and the
# pieces against the closed form by pieces_check.


def pieces_match_formula(ex: tuple[Q, Q]) -> Judgement:
    av, bv = ex
    for tv in (Q(1, 10) * av, (av + bv) / 2, bv + 1):
        for label, _, theta, _, _ in l1_flow_pieces():
            intervals: dict[str, tuple[int | Q, int | Q]] = {"0<t<a": (0, av), "a<t<b": (av, bv), "t>b": (bv, 10**9)}
            lo, hi = intervals[label]
            if lo < tv < hi:
                sub = {a_: sp.Rational(av.numerator, av.denominator), b_: sp.Rational(bv.numerator, bv.denominator), t_: sp.Rational(tv.numerator, tv.denominator)}
                formula = [sp.sign(c0) * sp.Max(abs(c0) - sub[t_], 0) for c0 in (sub[a_], -sub[b_])]
                if any(sp.simplify(p.subs(sub) - q) != 0 for p, q in zip(theta, formula, strict=True)):
                    return Judgement(False, Verdict.PROVED, f"piece {label} differs from the formula at t={tv}")
    return Judgement(True, Verdict.CHECKED, "pieces agree with theta_i(t) = sign(theta0_i) max(|theta0_i| - t, 0) at 3 sampled values of t")


pieces_check = Definition(
    "the pieces used above are the subgradient flow of the l1 norm",
    pieces_match_formula,
    [("a=1, b=2", (Q(1), Q(2)), True), ("a=1/3, b=5/2", (Q(1, 3), Q(5, 2)), True)],
    statement=r"\theta_i(t)=\mathrm{sign}(\theta_{0,i})\max(|\theta_{0,i}|-t,0)",
)


def _flow(c: Case, B: Backend, t: Number) -> list[Number]:
    out = []
    for i in range(3):
        q = c.params[f"th{i}"]
        s = 1 if q > 0 else -1 if q < 0 else 0  # exact sign from the Fraction
        out.append(B.num(s) * B.max(B.abs(c.p(B, f"th{i}")) - t, B.num(0)))
    return out


_H = Q(1, 10**6)


def _dFdt(c: Case, B: Backend) -> Number:
    t, h = c.p(B, "t"), B.num(_H)
    l1 = lambda th: B.abs(th[0]) + B.abs(th[1]) + B.abs(th[2])  # noqa: E731
    return (l1(_flow(c, B, t + h)) - l1(_flow(c, B, t - h))) / (B.num(2) * h)


def _nonzero_at_t(c: Case) -> int:
    return sum(1 for i in range(3) if abs(c.params[f"th{i}"]) > c.params["t"])


def _away_from_kinks(c: Case) -> bool:
    return all(abs(abs(c.params[f"th{i}"]) - c.params["t"]) > 2 * _H for i in range(3))


_l1_cases = scalar_cases({**{f"th{i}": Bound(Q(-2), Q(2), False, False) for i in range(3)}, "t": Bound(Q(0), Q(3)), **{f"u{i}": Bound(Q(-1), Q(1), False, False) for i in range(3)}})


def _inner_v_thetadot(c: Case, B: Backend) -> Number:
    t, h = c.p(B, "t"), B.num(_H)
    plus, minus = _flow(c, B, t + h), _flow(c, B, t - h)
    total = B.num(0)
    for i in range(3):
        q = c.params[f"th{i}"]
        nz = abs(q) > c.params["t"]
        vi = B.num(1 if q > 0 else -1) if nz else c.p(B, f"u{i}")  # an arbitrary element of the subdifferential
        total = total + vi * (plus[i] - minus[i]) / (B.num(2) * h)
    return total


chain_numeric = Claim(
    "l1 subgradient flow in R^3: d/dt F(theta(t)) = -dist(0, dF(theta(t)))^2",
    cases=_l1_cases,
    lhs=_dFdt,
    rel="==",
    rhs=lambda c, B: B.num(-_nonzero_at_t(c)),
    where=_away_from_kinks,
    statement=r"\frac{d}{dt}\|\theta(t)\|_1=-\mathrm{dist}(0,\partial\|\cdot\|_1(\theta(t)))^2,\quad\theta_0\in[-2,2]^3",
    note="Derivative by a central difference of width $10^{-6}$ away from the kinks $t=|\\theta_{0,i}|$ (exact there, the flow being piecewise affine).",
)

chain_numeric_all_v = Claim(
    "l1 subgradient flow in R^3: d/dt F(theta(t)) = <v, theta'> for an arbitrary v in dF(theta(t))",
    cases=_l1_cases,
    lhs=_dFdt,
    rel="==",
    rhs=_inner_v_thetadot,
    where=_away_from_kinks,
    statement=r"\frac{d}{dt}\|\theta(t)\|_1=\langle v,\dot\theta(t)\rangle,\ v\in\partial\|\cdot\|_1(\theta(t)) \text{ drawn at random}",
)


def _velocity(c: Case, B: Backend) -> list[Number]:
    t, h = c.p(B, "t"), B.num(_H)
    plus, minus = _flow(c, B, t + h), _flow(c, B, t - h)
    return [(p - m) / (B.num(2) * h) for p, m in zip(plus, minus, strict=True)]


def _dist2_to_l1_subdifferential(c: Case, B: Backend, u: list[Number]) -> Number:
    """dist(u, d||.||_1(theta(t)))^2: (u_i - sign theta_i)^2 where theta_i != 0, (|u_i| - 1)_+^2 where theta_i = 0."""
    total = B.num(0)
    for i in range(3):
        q = c.params[f"th{i}"]
        if abs(q) > c.params["t"]:
            total = total + (u[i] - B.num(1 if q > 0 else -1)) ** 2
        else:
            total = total + B.max(B.abs(u[i]) - B.num(1), B.num(0)) ** 2
    return total


_s = sp.Symbol("s", real=True)
# a curve that runs along the kink of max(x1, x2) without saying so syntactically:
# theta(t) = (t + sin^2 t, t + 1 - cos^2 t) has theta_1 = theta_2, where dF(theta) = {(s, 1-s): s in [0, 1]}
# is a whole segment at every t; sympy must see sin^2 + cos^2 = 1 (off the kink the identity is refuted)
_kink = (t_ + sp.sin(t_) ** 2, t_ + 1 - sp.cos(t_) ** 2)
kink_curve = Identity(
    "along the kink of max(x1, x2): d/dt F(theta(t)) = <v, theta'(t)> for every v in the segment dF",
    sp.diff(sp.Max(*_kink), t_),
    _s * sp.diff(_kink[0], t_) + (1 - _s) * sp.diff(_kink[1], t_),
    statement=(
        r"F=\max(x_1,x_2),\ \theta(t)=(t+\sin^2t,\ t+1-\cos^2t):\ "
        r"\frac{d}{dt}F(\theta(t))=\langle(s,1-s),\dot\theta(t)\rangle\ \ \forall s\in[0,1]"
    ),
    note=(
        r"$\theta_1\equiv\theta_2$, so $\partial F(\theta(t))=\mathrm{conv}\{e_1,e_2\}$ for every $t$: the identity holds for the "
        r"whole segment because $\dot\theta\perp e_1-e_2$. sympy differentiates $\max$ with Heaviside terms ($H(0)=\tfrac12$) and "
        r"must reduce $\sin^2+\cos^2-1$ to $0$; adding $t^3/100$ to $\theta_2$ makes it refute the identity."
    ),
)

orthogonality_stated = Claim(
    "stated: the velocity of a subgradient flow is in dF(theta) (l1 flow in R^3)",
    cases=_l1_cases,
    lhs=lambda c, B: _dist2_to_l1_subdifferential(c, B, _velocity(c, B)),
    rel="==",
    rhs=lambda c, B: B.num(0),
    where=_away_from_kinks,
    statement=r"\dot\theta\in-\partial F(\theta)\ \Longrightarrow\ \dot\theta_0\in\partial F(\theta_0)\quad(F=\|\cdot\|_1)",
    expect=Expect.REFUTED,
    note=(
        r"The slide's last line reads '$\dot\theta_0\in\partial F(\theta_0)$'. For a solution of $\dot\theta\in-\partial F(\theta)$ "
        r"it is $-\dot\theta_0$ that lies in $\partial F(\theta_0)$: for $F=|x|$, $\theta(t)=1-t$, $t_0=\tfrac12$, "
        r"$\dot\theta_0=-1\notin\partial F(\tfrac12)=\{1\}$. The margin is $\mathrm{dist}(\dot\theta_0,\partial F(\theta_0))^2$, "
        r"$4$ per moving coordinate."
    ),
)

orthogonality_corrected = Claim(
    "corrected: minus the velocity is in dF(theta), and it is the minimum-norm element (l1 flow in R^3)",
    cases=_l1_cases,
    lhs=lambda c, B: _dist2_to_l1_subdifferential(c, B, [-v for v in _velocity(c, B)])
    + B.abs(B.norm2(_velocity(c, B)) - B.num(_nonzero_at_t(c))),
    rel="==",
    rhs=lambda c, B: B.num(0),
    where=_away_from_kinks,
    statement=(
        r"-\dot\theta_0\in\partial F(\theta_0),\ \ \|\dot\theta_0\|^2=\mathrm{dist}(0,\partial F(\theta_0))^2"
        r"\quad(F=\|\cdot\|_1)"
    ),
    note=r"$\mathrm{dist}(0,\partial\|\cdot\|_1(\theta))^2$ is the number of nonzero coordinates of $\theta$.",
)

_vv = sp.symbols("v1:3", real=True)
_x0 = sp.symbols("x1:3", real=True)
_y = sp.symbols("y1:3", real=True)
subgrad_ineq = Implication(
    "subgradient inequality for the l1 norm",
    scope="d = 2; the argument is coordinatewise",
    hypotheses=[c for i in range(2) for c in (_vv[i] <= 1, _vv[i] >= -1, sp.Eq(_vv[i] * _x0[i], sp.Abs(_x0[i])))],
    conclusion=sum(_vv[i] * (_y[i] - _x0[i]) for i in range(2)) <= sum(sp.Abs(_y[i]) - sp.Abs(_x0[i]) for i in range(2)),
    statement=r"v\in\partial\|\cdot\|_1(\theta_0)\implies\langle v,y-\theta_0\rangle\le\|y\|_1-\|\theta_0\|_1",
    note="$v\\in\\partial\\|\\cdot\\|_1(\\theta_0)$ iff $|v_i|\\le1$ and $v_i\\theta_{0,i}=|\\theta_{0,i}|$; decided by z3 in $\\mathbb{R}^2$.",
)
_g, _D, _h2, _p, _q = sp.symbols("g D h p q", real=True)
right_quotient = Implication(
    "h > 0: dividing the subgradient inequality by h keeps its direction",
    hypotheses=[_h2 > 0, _p <= _q],
    conclusion=_p / _h2 <= _q / _h2,
    statement=r"h>0,\ \langle v,\theta(t_0+h)-\theta_0\rangle\le F(\theta(t_0+h))-F(\theta_0)\implies \frac{\langle v,\theta(t_0+h)-\theta_0\rangle}{h}\le\frac{F(\theta(t_0+h))-F(\theta_0)}{h}",
)
left_quotient = Implication(
    "h > 0: dividing by -h reverses it",
    hypotheses=[_h2 > 0, _p <= _q],
    conclusion=_p / (-_h2) >= _q / (-_h2),
    statement=r"h>0,\ \langle v,\theta(t_0-h)-\theta_0\rangle\le F(\theta(t_0-h))-F(\theta_0)\implies \frac{\langle v,\theta(t_0-h)-\theta_0\rangle}{-h}\ge\frac{F(\theta(t_0-h))-F(\theta_0)}{-h}",
)
squeeze = Implication(
    "the two limits give equality",
    hypotheses=[_g <= _D, _g >= _D],
    conclusion=sp.Eq(_g, _D),
    statement=r"\langle v,\dot\theta_0\rangle\le (F\circ\theta)'(t_0),\ \langle v,\dot\theta_0\rangle\ge(F\circ\theta)'(t_0)\implies \langle v,\dot\theta_0\rangle=(F\circ\theta)'(t_0)",
)
_u = sp.symbols("u1:4", real=True)
_w = sp.symbols("w1:4", real=True)
min_norm = Implication(
    "u = -theta' in dF with <w, u> = |u|^2 for all w in dF makes u the minimum-norm element",
    hypotheses=[sp.Eq(sum(_w[i] * _u[i] for i in range(3)), sum(_u[i] ** 2 for i in range(3)))],
    conclusion=sum(_w[i] ** 2 for i in range(3)) >= sum(_u[i] ** 2 for i in range(3)),
    statement=r"\langle w,u\rangle=\|u\|^2 \implies \|w\|^2\ge\|u\|^2\quad(u=-\dot\theta_0,\ w\in\partial F(\theta_0))",
    scope="d = 3; the computation is coordinatewise",
    note="From the first identity with $v=w$ and $v=u$: $\\langle w,\\dot\\theta_0\\rangle=\\langle u,\\dot\\theta_0\\rangle$, i.e. $\\langle w,u\\rangle=\\|u\\|^2$; then $\\|w\\|^2-\\|u\\|^2=\\|w-u\\|^2\\ge0$. So $(F\\circ\\theta)'=\\langle u,\\dot\\theta_0\\rangle=-\\|u\\|^2=-\\mathrm{dist}(0,\\partial F(\\theta_0))^2$.",
)
chain_proof = Derivation(
    "proof of the convex chain rule",
    start=r"v\in\partial F(\theta_0)",
    steps=[
        Step("=>", r"\langle v,y-\theta_0\rangle\le F(y)-F(\theta_0)\ \forall y", r"definition of the convex subdifferential (checked for $\ell_1$)", check=subgrad_ineq),
        Step("=>", r"\langle v,\dot\theta_0\rangle+o(1)\le\frac{F(\theta(t_0+h))-F(\theta_0)}{h}\to(F\circ\theta)'(t_0)", r"$y=\theta(t_0+h)=\theta_0+h\dot\theta_0+o(h)$, $h>0$", check=right_quotient),
        Step("=>", r"\langle v,\dot\theta_0\rangle+o(1)\ge\frac{F(\theta(t_0-h))-F(\theta_0)}{-h}\to(F\circ\theta)'(t_0)", r"$y=\theta(t_0-h)$, dividing by $-h<0$", check=left_quotient),
        Step("=>", r"(F\circ\theta)'(t_0)=\langle v,\dot\theta_0\rangle\ \forall v\in\partial F(\theta_0)", "both limits, at $t_0$ where $\\theta$ and $F\\circ\\theta$ are differentiable", check=squeeze),
        Step("=>", r"(F\circ\theta)'(t_0)=-\mathrm{dist}(0,\partial F(\theta_0))^2", r"$-\dot\theta_0\in\partial F(\theta_0)$ is 'orthogonal' to $\partial F(\theta_0)$, hence the minimum-norm element", check=min_norm),
    ],
    hypotheses=[r"$F$ convex, locally Lipschitz", r"$\theta$ locally Lipschitz", r"$t_0$: $\theta$ and $F\circ\theta$ differentiable at $t_0$"],
)

register(
    Entry(
        id="pauwels.convex-chain-rule",
        title="Brézis' convex chain rule along Lipschitz curves",
        where="Chain rule along Lipschitz curves; Chain rule for convex functions",
        statement=(
            r"If $F$ is convex and $\theta:\mathbb{R}\to\mathbb{R}^p$ is locally Lipschitz, then for almost all $t$, "
            r"$\frac{d}{dt}F(\theta(t))=\langle v,\dot\theta\rangle$ $\forall v\in\partial F(\theta(t))$. If in addition $\theta$ solves "
            r"$\dot\theta\in-\partial F(\theta)$, then for almost all $t\in\mathbb{R}_+$, $\frac{d}{dt}F(\theta(t))=-\mathrm{dist}(0,\partial F(\theta(t)))^2$. "
            r"Example: $\ell_1$ norm. Remark: not true in general: there are 1-Lipschitz $F$ such that $\partial^cF$ is the unit ball everywhere."
        ),
        hypotheses=[r"$F$ convex", r"$\theta$ locally Lipschitz"],
        checks=[pieces_check, chain_numeric, chain_numeric_all_v, kink_curve, chain_proof, orthogonality_stated],
        corrected=[orthogonality_corrected],
        status=Status.ERRATUM,
        reading=(
            "The example is the subgradient flow of $\\|\\cdot\\|_1$, $\\theta_i(t)=\\mathrm{sign}(\\theta_{0,i})\\max(|\\theta_{0,i}|-t,0)$; the "
            "symbolic checks take $\\theta_0=(a,-b)$, $0<a<b$, the numeric ones $\\theta_0\\in[-2,2]^3$. The remark (failure for "
            "general Lipschitz $F$ whose Clarke subdifferential is the unit ball everywhere) rests on a non-constructive "
            "pathological function and is not encoded. The proof's steps are checked for the $\\ell_1$ norm (step 1) and as "
            "real-arithmetic implications (the limits $h\\to0$ are taken in the text), so the derivation is checked, not proved: its "
            "lemmas are not linked to the prose steps they justify (issue 10); the former per-piece identities were tautologies "
            "($-2=-2$ at import) and were removed. Erratum: the proof's last line writes "
            "$\\dot\\theta_0\\in\\partial F(\\theta_0)$ where $-\\dot\\theta_0\\in\\partial F(\\theta_0)$ is meant (a sign slip; "
            "the step of the derivation uses the corrected sign). The slide's '$x$ is loc. Lip.' is read as $\\theta$."
        ),
    )
)
