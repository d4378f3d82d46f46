"""Pauwels, KL property: desingularizing functions, the definition and the examples slide.

Every example of the slide "KL inequality examples" is derived again here (sympy, z3) and
checked on families with certified constants. Three slips are recorded as errata with
their counterexamples (analytic: the constant of phi; strongly convex and the quadratics'
"non convex examples" line: phi = sqrt(.)/mu; trivial case: a *small* constant).
Helpers used by :mod:`pauwels_convergence` live here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction as Q
from typing import Any

import sympy as sp
from hypothesis import assume
from hypothesis import strategies as st

from symbolic import (
    Bound,
    Case,
    CheckSettings,
    Claim,
    Constants,
    Definition,
    Derivation,
    Expect,
    Identity,
    Implication,
    Judgement,
    Objective,
    Premise,
    Proof,
    Step,
    Verdict,
    coordinates,
)
from symbolic.backends import ArbBackend, Backend, Number, arb_precision, ball_certainly
from symbolic.compile import compiled
from symbolic.families import quadratics, rationals, ridge_sums
from theorems.cases import objective_cases, values_in
from theorems.registry import Entry, Status, register

t = sp.Symbol("t", positive=True)


_FAST = CheckSettings(examples=40, local_search=2)


def _frac(q: Q) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


def arb_positive(value: Callable[[Backend], Number], bits: int = 256) -> bool:
    """True when the quantity is certainly > 0 in Arb balls (False when not, or undecided)."""
    B = ArbBackend(bits)
    with arb_precision(bits):
        try:
            v = value(B)
        except (ValueError, ZeroDivisionError):
            return False
        return ball_certainly(v, True) is True


_W = sp.symbols("w1:4", real=True)


def vector_identity(name: str, lhs: sp.Matrix, rhs: sp.Matrix, **kw: Any) -> Identity:
    """lhs == rhs componentwise, as one scalar identity sum_i w_i lhs_i = sum_i w_i rhs_i in fresh symbols w_i."""
    lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
    return Identity(name, sum(w * a for w, a in zip(_W, lhs, strict=False)), sum(w * b for w, b in zip(_W, rhs, strict=False)), **kw)


def fixed_point(c: Case, name: str) -> tuple[Q, ...]:
    """A point stored in fixed parameters name0, name1, ... (not moved by local search)."""
    out = []
    i = 0
    while f"{name}{i}" in c.params:
        out.append(c.params[f"{name}{i}"])
        i += 1
    return tuple(out)


def fixed_params(name: str, pt: Sequence[Q]) -> dict[str, Q]:
    return {f"{name}{i}": v for i, v in enumerate(pt)}


def dist2_exact(x: Sequence[Q], y: Sequence[Q]) -> Q:
    return sum(((a - b) ** 2 for a, b in zip(x, y, strict=True)), Q(0))


def gd_path(f: Objective, B: Backend, x0: Sequence[Number], step: Number, k: int) -> list[list[Number]]:
    """x_0, ..., x_k of gradient descent with the given step, in the backend's arithmetic."""
    xs = [list(x0)]
    for _ in range(k):
        xs.append(f.gradient_step(B, xs[-1], step))
    return xs


# ================================================================== desingularizing functions


@dataclass(frozen=True)
class Desing:
    """A candidate desingularizing function phi(t) on [0, r0]."""

    phi: sp.Expr
    r0: Q = Q(1)


def _z3_or_solveset(cond_fails: sp.Expr, positive_claim: sp.Expr, r0: sp.Rational, strict: bool) -> tuple[bool | None, str]:
    """Decide 'positive_claim (>0 when strict, >=0 otherwise) for all t in (0, r0)'."""
    tv = sp.Symbol("t", real=True)
    e = positive_claim.subs(t, tv)
    if e.is_polynomial(tv):
        concl = e > 0 if strict else e >= 0
        out = Implication("poly", hypotheses=[tv > 0, tv < r0], conclusion=concl).run(_FAST)
        if out.verdict is Verdict.PROVED:
            return True, "z3"
        if out.verdict is Verdict.REFUTED:
            return False, f"z3 counterexample {out.evidence.counterexample}"
    bad = sp.solveset((e <= 0) if strict else (e < 0), tv, sp.Interval.open(0, r0))
    if bad is sp.S.EmptySet:
        return True, "solveset: empty failure set"
    if isinstance(bad, sp.Set) and bad.measure != 0 or bad.is_empty is False:
        return False, f"fails on {bad}"
    return None, f"solveset gave {bad}"


def is_desingularizing(phi: sp.Expr, tt: sp.Symbol = t, r0: Q | sp.Rational = Q(1)) -> Judgement:
    """phi in C([0, r0], R_+), C^1 on (0, r0) with phi' > 0, concave, phi(0) = 0 (decided with sympy / z3)."""
    from sympy.calculus.util import continuous_domain, minimum

    r0s = sp.Rational(r0) if not isinstance(r0, Q) else _frac(r0)
    phi = sp.sympify(phi).subs(tt, t)
    tv = sp.Symbol("t", real=True)
    phir = phi.subs(t, tv)
    reasons = []
    at0 = sp.limit(phi, t, 0, "+")
    direct = phir.subs(tv, 0)
    if at0 != 0 or (direct.is_finite and direct != 0):
        return Judgement(False, Verdict.PROVED, f"phi(0) = {direct} != 0")
    reasons.append("phi(0)=0")
    dom = continuous_domain(phir, tv, sp.Interval(0, r0s))
    if dom != sp.Interval(0, r0s):
        return Judgement(False, Verdict.PROVED, f"continuous only on {dom}")
    reasons.append("continuous on [0,r0]")
    if minimum(phir, tv, sp.Interval(0, r0s)) < 0:
        return Judgement(False, Verdict.PROVED, "takes negative values")
    d1 = sp.diff(phi, t)
    ok, why = _z3_or_solveset(d1 <= 0, d1, r0s, strict=True)
    if ok is not True:
        return Judgement(ok if ok is None else False, Verdict.PROVED if ok is False else Verdict.UNDECIDED, f"phi' > 0 fails: {why}")
    reasons.append(f"phi'>0 ({why})")
    d2 = sp.diff(phi, t, 2)
    ok, why = _z3_or_solveset(d2 > 0, -d2, r0s, strict=False)
    if ok is not True:
        return Judgement(ok if ok is None else False, Verdict.PROVED if ok is False else Verdict.UNDECIDED, f"concavity fails: {why}")
    reasons.append(f"phi''<=0 ({why})")
    return Judgement(True, Verdict.PROVED, "; ".join(reasons))


_c = sp.Symbol("c", positive=True)
DESING_EXAMPLES = [
    ("sqrt(t)", Desing(sp.sqrt(t)), True),
    ("t^(1/3)", Desing(t ** sp.Rational(1, 3)), True),
    ("2 sqrt(t/c), c = 1/2", Desing(2 * sp.sqrt(t / sp.Rational(1, 2))), True),
    ("2 sqrt(t/c), c = 5", Desing(2 * sp.sqrt(t / 5)), True),
    ("log(1+t)", Desing(sp.log(1 + t)), True),
    ("t (linear)", Desing(t), True),
    ("t^2 (convex)", Desing(t**2), False),
    ("-t (decreasing)", Desing(-t), False),
    ("t+1 (phi(0) = 1)", Desing(t + 1), False),
    ("e^t - 1 (convex)", Desing(sp.exp(t) - 1), False),
]

desing_definition = Definition(
    "is_desingularizing on examples and non-examples (r0 = 1)",
    predicate=lambda ex: is_desingularizing(ex.phi, t, ex.r0),
    examples=DESING_EXAMPLES,
    statement=r"\varphi\in C([0,r_0],\mathbb{R}_+)\cap C^1(0,r_0),\ \varphi'>0,\ \varphi\text{ concave},\ \varphi(0)=0",
    note="Each axiom decided symbolically: limits and continuity with sympy, $\\varphi'>0$ and $\\varphi''\\le0$ by z3 for polynomials, by sympy's solveset otherwise.",
)

# symbolic: 2 sqrt(t/c) is desingularizing for every c > 0 (derivatives in closed form)
_phi_c = 2 * sp.sqrt(t / _c)
desing_family_derivative = Identity(
    "phi(t) = 2 sqrt(t/c): phi'(t) = 1/sqrt(c t) > 0",
    sp.Derivative(_phi_c, t),
    1 / sp.sqrt(_c * t),
    statement=r"\frac{d}{dt}\,2\sqrt{t/c} = \frac{1}{\sqrt{ct}}",
)
desing_family_concave = Identity(
    "phi(t) = 2 sqrt(t/c): phi''(t) = -(1/2) c^{-1/2} t^{-3/2} < 0",
    sp.Derivative(_phi_c, t, 2),
    -sp.Rational(1, 2) / sp.sqrt(_c) * t ** sp.Rational(-3, 2),
    statement=r"\frac{d^2}{dt^2}\,2\sqrt{t/c} = -\tfrac12 c^{-1/2}t^{-3/2}<0",
)

register(
    Entry(
        id="pauwels.kl-desingularizing",
        title="Desingularizing functions on (0, r0)",
        where="KL property (Łojasiewicz 63, Kurdyka 98): Desingularizing functions on $(0, r_0)$",
        statement=(
            r"$\varphi\in C([0,r_0],\mathbb{R}_+)$, $\varphi\in C^1(0,r_0)$, $\varphi'>0$, "
            r"$\varphi$ concave and $\varphi(0)=0$."
        ),
        checks=[desing_definition, desing_family_derivative, desing_family_concave],
        status=Status.VERIFIED,
        reading="Executable definition \\texttt{is\\_desingularizing(phi, t, r0)}; the examples use $r_0=1$.",
    )
)


# ================================================================== KL property (definition)


@dataclass(frozen=True)
class KLInstance:
    """F, the point x-bar (F(x-bar) = 0), phi and epsilon of the KL definition."""

    F: sp.Expr
    variables: tuple[sp.Symbol, ...]
    xbar: tuple[Q, ...]
    phi: sp.Expr
    eps: Q


def _ball_points(center: Sequence[Q], radius: Q) -> st.SearchStrategy[tuple[Q, ...]]:
    """Points center + s * radius/d * u, u in [-1,1]^d, s in {1, 1/2, ..., 2^-30}: inside the closed ball."""
    d = len(center)
    u = st.tuples(*[rationals(-1, 1, denominator=64)] * d)
    s = st.integers(0, 30).map(lambda k: Q(1, 2**k))
    return st.tuples(u, s).map(lambda us: tuple(c + us[1] * radius / d * ui for c, ui in zip(center, us[0], strict=True)))


def kl_inequality_claim(ex: KLInstance, name: str = "KL inequality on the ball", **kw: Any) -> Claim:
    """phi'(F(x)) ||grad F(x)|| >= 1 for all x with ||x - xbar|| < eps and F(x) > 0."""
    f = Objective("KL instance", ex.variables, ex.F)
    dphi = compiled([sp.diff(ex.phi, t)], [t])
    cases = _ball_points(ex.xbar, ex.eps).map(lambda p: Case(objective=f, points={"x": p}))

    def where(c: Case) -> bool:
        x = c.points["x"]
        return dist2_exact(x, ex.xbar) < ex.eps**2 and arb_positive(lambda B: f.value(B, [B.num(v) for v in x]))

    return Claim(
        name,
        cases=cases,
        margin=lambda c, B: dphi(B, [f.value(B, c.x(B))])[0] * B.norm(f.grad(B, c.x(B))) - 1,
        where=where,
        statement=kw.pop("statement", r"\varphi'(F(x))\|\nabla F(x)\|\ge1\quad\forall x,\ \|x-\bar x\|<\varepsilon,\ 0<F(x)"),
        **kw,
    )


def has_kl_property(ex: KLInstance) -> Judgement:
    """Search the ball for a point violating the KL inequality; a confirmed one decides 'no'."""
    out = kl_inequality_claim(ex).run(_FAST)
    if out.verdict is Verdict.REFUTED:
        return Judgement(False, Verdict.PROVED, f"violated at {out.evidence.counterexample}")
    if out.verdict is Verdict.CHECKED:
        return Judgement(True, Verdict.CHECKED, out.evidence.details)
    return Judgement(None, Verdict.UNDECIDED, out.evidence.summary())


x1, x2 = coordinates(2)
(y1,) = coordinates(1)
KL_EXAMPLES = [
    ("x^2, phi = sqrt(t)", KLInstance(y1**2, (y1,), (Q(0),), sp.sqrt(t), Q(1)), True),
    ("x1^2 + x2^2, phi = sqrt(t)", KLInstance(x1**2 + x2**2, (x1, x2), (Q(0), Q(0)), sp.sqrt(t), Q(1)), True),
    ("x^4, phi = t^(1/4)", KLInstance(y1**4, (y1,), (Q(0),), t ** sp.Rational(1, 4), Q(1)), True),
    ("(x1/2 - x2^2)^2, phi = 2 sqrt(t)", KLInstance((x1 / 2 - x2**2) ** 2, (x1, x2), (Q(0), Q(0)), 2 * sp.sqrt(t), Q(1)), True),
    ("x1 + x2^2 at 0 (noncritical), phi = t", KLInstance(x1 + x2**2, (x1, x2), (Q(0), Q(0)), t, Q(1, 4)), True),
    ("x^2, phi = t", KLInstance(y1**2, (y1,), (Q(0),), t, Q(1)), False),
    ("x^4, phi = sqrt(t)", KLInstance(y1**4, (y1,), (Q(0),), sp.sqrt(t), Q(1)), False),
    ("x/2 at 0, phi = t", KLInstance(y1 / 2, (y1,), (Q(0),), t, Q(1)), False),
]

kl_definition = Definition(
    "has_kl_property(F, xbar, phi, eps) on examples and non-examples",
    predicate=has_kl_property,
    examples=KL_EXAMPLES,
    statement=r"\|\nabla(\varphi\circ F)(x)\|_2=\varphi'(F(x))\|\nabla F(x)\|_2\ge1\ \ \forall x,\ \|x-\bar x\|<\varepsilon,\ 0<F(x)",
    note="The predicate searches the ball (points approaching $\\bar x$ geometrically) for a violation confirmed in Arb: a confirmed violation decides `no' rigorously; no violation gives `yes' at the sampled level only.",
)

_F2 = sp.Function("F")
_ph = sp.Function("phi")
_comp = _ph(_F2(x1, x2))
chain_rule = Identity(
    "||grad(phi o F)||^2 = phi'(F)^2 ||grad F||^2 (chain rule)",
    sp.diff(_comp, x1) ** 2 + sp.diff(_comp, x2) ** 2,
    sp.Subs(sp.Derivative(_ph(t), t), t, _F2(x1, x2)).doit() ** 2 * (sp.diff(_F2(x1, x2), x1) ** 2 + sp.diff(_F2(x1, x2), x2) ** 2),
    statement=r"\|\nabla(\varphi\circ F)(x)\|^2=\varphi'(F(x))^2\|\nabla F(x)\|^2",
    note="With abstract $F$ (two variables) and $\\varphi$; since $\\varphi'>0$ the square roots give the slide's equality.",
)

register(
    Entry(
        id="pauwels.kl-property",
        title="KL property: definition",
        where="KL property (Łojasiewicz 63, Kurdyka 98): Definition",
        statement=(
            r"Let $F:\mathbb{R}^p\mapsto\mathbb{R}$ be $C^1$. $F$ has the KL property at $\bar x$ ($F(\bar x)=0$) if there exists "
            r"$\varepsilon>0$ and a desingularizing function $\varphi$ such that "
            r"$\|\nabla(\varphi\circ F)(x)\|_2=\varphi'\circ F(x)\|\nabla F(x)\|_2\ge1$, $\forall x$, $\|x-\bar x\|<\varepsilon$, $0<F(x)$. "
            r"$F$ has the KL property if this is satisfied for all $\bar x$."
        ),
        checks=[kl_definition, chain_rule],
        status=Status.VERIFIED,
        reading=(
            "Executable predicate for given $F,\\bar x,\\varphi,\\varepsilon$ (the existential over $\\varphi,\\varepsilon$ is not searched). "
            "$\\varphi$ is defined on $[0,r_0]$ only, while the definition quantifies over every $x$ with $\\|x-\\bar x\\|<\\varepsilon$ and "
            "$F(x)>0$: we read it with $F(x)<r_0$ as well (shrinking $\\varepsilon$ makes this automatic, $F$ being continuous with "
            "$F(\\bar x)=0$). The axiom $\\varphi\\in C^1(0,r_0)$ is not decided by the predicate: it is assumed of the $\\varphi$ given."
        ),
    )
)


# ================================================================== trivial outside critical points


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
    x = draw(_ball_points(xbar, r))
    return Case(objective=f, params={**params, **fixed_params("xbar", xbar)}, points={"x": x})


def _noncritical_where(c: Case) -> bool:
    f = c.objective
    assert f is not None
    x, xb = c.points["x"], fixed_point(c, "xbar")
    if dist2_exact(x, xb) >= c.params["eps2"]:
        return False
    return arb_positive(lambda B: f.value(B, [B.num(v) for v in x]) - f.value(B, [B.num(v) for v in xb]))


def _noncritical_margin(c: Case, B: Backend) -> Number:
    f = c.objective
    assert f is not None
    return c.p(B, "kappa2") * B.norm2(f.grad(B, c.x(B, "x"))) - 1


_n, _n0, _dd, _L, _r, _k = sp.symbols("n n0 d L r kappa", positive=True)
noncritical_proof = Implication(
    "||g(x)|| >= ||g(xbar)|| - L||x - xbar|| > ||g(xbar)||/2, kappa = 2/||g(xbar)|| gives kappa ||g(x)|| >= 1",
    hypotheses=[_n >= _n0 - _dd, _dd <= _L * _r, _r <= _n0 / (2 * _L), sp.Eq(_k * _n0, 2)],
    conclusion=_k * _n >= 1,
    statement=r"\|\nabla F(x)\|\ge\|\nabla F(\bar x)\|-L\|x-\bar x\|,\ \|x-\bar x\|\le\tfrac{\|\nabla F(\bar x)\|}{2L},\ \kappa=\tfrac{2}{\|\nabla F(\bar x)\|}\implies\kappa\|\nabla F(x)\|\ge1",
)

noncritical_stated = Claim(
    "stated: phi(t) = kappa t with a small kappa (kappa ||grad F(xbar)|| < 1) satisfies the KL inequality",
    cases=noncritical_cases(False),
    margin=_noncritical_margin,
    where=_noncritical_where,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\kappa\|\nabla F(x)\|\ge1\quad \forall x,\ \|x-\bar x\|<\varepsilon,\ F(x)>F(\bar x),\qquad 0<\kappa\le\tfrac{1}{1+\|\nabla F(\bar x)\|^2}",
    note=(
        "Reading of `small': any $\\kappa<1/\\|\\nabla F(\\bar x)\\|$ (here $\\kappa\\le1/(1+\\|\\nabla F(\\bar x)\\|^2)$). "
        "By continuity $\\kappa\\|\\nabla F(x)\\|<1$ near $\\bar x$, and points with $F(x)>F(\\bar x)$ exist arbitrarily close to $\\bar x$, "
        "so no $\\varepsilon$ can save it. Quadratics and ridge sums, $F$ shifted so that $F(\\bar x)=0$."
    ),
)

noncritical_corrected = Claim(
    "corrected: kappa = 2/||grad F(xbar)|| on the ball of radius ||grad F(xbar)||/(2L)",
    cases=noncritical_cases(True),
    margin=_noncritical_margin,
    where=_noncritical_where,
    proof=noncritical_proof,
    statement=r"\kappa\|\nabla F(x)\|\ge1\ \ \forall x,\ \|x-\bar x\|<\tfrac{\|\nabla F(\bar x)\|}{2L},\qquad \kappa=\tfrac{2}{\|\nabla F(\bar x)\|}",
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


# ================================================================== univariate analytic


@st.composite
def analytic_cases(draw: st.DrawFn) -> Case:
    """f(x) = s^l x^l + b x^(l+1) on |x| <= delta = s^l/(4(l+1)|b|) (or 1), l in 1..4, c = l s/2."""
    l = draw(st.integers(1, 4))
    s = draw(rationals(Q(1, 4), 2, denominator=4))
    sign = draw(st.sampled_from([1, -1]))
    b = draw(rationals(-2, 2, denominator=4))
    delta = Q(1) if b == 0 else min(Q(1), s**l / (4 * (l + 1) * abs(b)))
    f = Objective(
        f"analytic(l={l})",
        (y1,),
        sign * _frac(s) ** l * y1**l + _frac(b) * y1 ** (l + 1),
        Constants(region=None),
    )
    x = draw(values_in(Bound(-delta, delta, False, False), resolution=10**6) | st.integers(1, 40).map(lambda k: delta / 2**k))
    return Case(objective=f, params={"l": Q(l), "c": Q(l) * s / 2, "delta": delta}, points={"x": (x,)})


@st.composite
def monomial_cases(draw: st.DrawFn) -> Case:
    """f(x) = s^l x^l, l in 2..4, with the sharp constant c = l s (|f'| = c |f|^theta exactly)."""
    l = draw(st.integers(2, 4))
    s = draw(rationals(Q(1, 4), 2, denominator=4))
    f = Objective(f"monomial(l={l})", (y1,), _frac(s) ** l * y1**l)
    x = draw(rationals(-1, 1, denominator=64) | st.integers(1, 40).map(lambda k: Q(1, 2**k)))
    return Case(objective=f, params={"l": Q(l), "c": Q(l) * s}, points={"x": (x,)})


def _theta_pow(B: Backend, v: Number, l: int) -> Number:
    """|v|^theta with theta = 1 - 1/l."""
    if l == 1:
        return B.num(1)
    return B.rpow(B.abs(v), l - 1, l)


def _analytic_margin(kind: str) -> Callable[[Case, Backend], Number]:
    def margin(c: Case, B: Backend) -> Number:
        f = c.objective
        assert f is not None
        l = int(c.params["l"])
        x = c.x(B)
        fv, dv = f.value(B, x), B.abs(f.grad(B, x)[0])
        cc = c.p(B, "c")
        th = B.num(Q(l - 1, l))
        if kind == "loj":
            return dv - cc * _theta_pow(B, fv, l)
        if kind == "stated":  # phi'(t) = (1-theta)^2/c t^-theta
            return (1 - th) * (1 - th) / cc * dv / _theta_pow(B, fv, l) - 1
        return dv / (cc * _theta_pow(B, fv, l)) - 1  # corrected phi'(t) = t^-theta / c

    return margin


def _analytic_where(c: Case) -> bool:
    f = c.objective
    assert f is not None
    x = c.points["x"]
    if "delta" in c.params and abs(x[0]) > c.params["delta"]:
        return False
    return x[0] != 0 and arb_positive(lambda B: f.value(B, [B.num(v) for v in x]))


_th = sp.Symbol("theta", nonnegative=True)
_g, _u, _cc = sp.symbols("g u c", positive=True)
_l = sp.Symbol("l", positive=True)

analytic_loj = Claim(
    "Łojasiewicz inequality |f'| >= c|f|^theta, theta = 1 - 1/l, near 0",
    cases=analytic_cases(),
    margin=_analytic_margin("loj"),
    where=lambda c: c.points["x"][0] != 0 and abs(c.points["x"][0]) <= c.params["delta"],
    statement=r"|f'(x)|\ge c|f(x)|^\theta,\ \theta=1-\tfrac1l,\quad f=\pm s^lx^l+bx^{l+1},\ c=\tfrac{ls}{2},\ |x|\le\tfrac{s^l}{4(l+1)|b|}",
    note="The constant $c=ls/2$ and the radius are derived by hand: $|f'|\\ge\\frac34 ls^l|x|^{l-1}$ and $|f|^\\theta\\le\\frac54 s^{l-1}|x|^{l-1}$ there.",
)

analytic_monomial = Identity(
    "monomial a x^3: |f'| = 3 a^(1/3) |f|^(2/3) exactly (x > 0, a > 0)",
    sp.Derivative(_cc * _g**3, _g),
    3 * _cc ** sp.Rational(1, 3) * (_cc * _g**3) ** sp.Rational(2, 3),
    statement=r"f=ax^3:\ f'(x)=3a^{1/3}f(x)^{2/3}\quad(x,a>0)",
    scope="l = 3",
    note="The sharp constant for $l=3$; $l=2$: $2ax=2a^{1/2}(ax^2)^{1/2}$.",
)

analytic_phi_derivative = Identity(
    "stated phi(t) = (1-theta)/c t^(1-theta) has phi'(t) = (1-theta)^2/c t^(-theta)",
    sp.Derivative((1 - sp.Rational(1, 2)) / _cc * t ** (1 - sp.Rational(1, 2)), t),
    (1 - sp.Rational(1, 2)) ** 2 / _cc * t ** (-sp.Rational(1, 2)),
    statement=r"\theta=\tfrac12:\ \frac{d}{dt}\Big[\frac{1-\theta}{c}t^{1-\theta}\Big]=\frac{(1-\theta)^2}{c}t^{-\theta}",
)

analytic_stated_z3 = Implication(
    "stated: |f'| >= c|f|^theta gives phi'(f)|f'| >= 1 for phi = (1-theta)/c t^(1-theta)",
    hypotheses=[_g >= _cc * _u, _th < 1],
    conclusion=(1 - _th) ** 2 * _g >= _cc * _u,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"g\ge c\,u,\ 0\le\theta<1\implies \frac{(1-\theta)^2}{c}\,\frac{g}{u}\ge1\qquad(g=|f'|,\ u=|f|^\theta)",
    note="$\\varphi'(t)=\\frac{(1-\\theta)^2}{c}t^{-\\theta}$, so the stated $\\varphi$ only gives $\\varphi'(f)|f'|\\ge(1-\\theta)^2$.",
)

analytic_stated_numeric = Claim(
    "stated phi on f = s^l x^l with the sharp c = l s (e.g. f = x^2, c = 2)",
    cases=monomial_cases(),
    margin=_analytic_margin("stated"),
    where=_analytic_where,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\varphi'(f(x))|f'(x)|\ge1,\quad \varphi(t)=\tfrac{1-\theta}{c}t^{1-\theta},\ f=s^lx^l,\ c=ls",
    note="For $f=x^2$, $c=2$, $\\theta=\\frac12$: $\\varphi(t)=\\sqrt t/4$ and $\\varphi'(x^2)\\,2|x|=\\frac14$.",
)

analytic_corrected_z3 = Implication(
    "corrected: |f'| >= c|f|^theta gives phi'(f)|f'| >= 1 for phi = t^(1-theta)/(c(1-theta))",
    hypotheses=[_g >= _cc * _u],
    conclusion=_g / (_cc * _u) >= 1,
    statement=r"g\ge c\,u\implies \frac{1}{c}\,\frac{g}{u}\ge1,\qquad \varphi(t)=\frac{t^{1-\theta}}{c(1-\theta)},\ \varphi'(t)=\frac{t^{-\theta}}{c}",
)
analytic_corrected_derivative = Identity(
    "corrected phi(t) = t^(1-theta)/(c(1-theta)) has phi'(t) = t^(-theta)/c",
    sp.Derivative(t ** (1 - sp.Rational(2, 3)) / (_cc * (1 - sp.Rational(2, 3))), t),
    t ** (-sp.Rational(2, 3)) / _cc,
    statement=r"\theta=\tfrac23:\ \frac{d}{dt}\frac{t^{1-\theta}}{c(1-\theta)}=\frac{t^{-\theta}}{c}",
)
analytic_corrected_numeric = Claim(
    "corrected phi satisfies the KL inequality near 0 (f = ±s^l x^l + b x^(l+1), c = l s/2)",
    cases=analytic_cases(),
    margin=_analytic_margin("corrected"),
    where=_analytic_where,
    statement=r"\varphi'(f(x))|f'(x)|\ge1,\quad \varphi(t)=\frac{t^{1-\theta}}{c(1-\theta)},\ 0<|x|\le\delta,\ f(x)>0",
)

register(
    Entry(
        id="pauwels.kl-analytic",
        title="KL inequality for univariate analytic functions",
        where="KL inequality examples: Univariate analytic functions",
        statement=(
            r"\textbf{Univariate analytic functions:} $F:x\mapsto\sum_{i=1}^{+\infty}a_ix^i$ with $l\ge1$. $F$ is differentiable, around $0$ "
            r"$|f'|\ge c|f|^\theta$, $c>0$, $\theta=1-\frac1l$. Original form of Łojasiewicz's gradient inequality, corresponds to "
            r"$\varphi:t\mapsto\frac{(1-\theta)}{c}t^{1-\theta}$."
        ),
        checks=[analytic_loj, analytic_monomial, analytic_phi_derivative, analytic_stated_z3, analytic_stated_numeric],
        corrected=[analytic_corrected_z3, analytic_corrected_derivative, analytic_corrected_numeric],
        status=Status.ERRATUM,
        reading=(
            "$l$ is not defined on the slide: read as the order of the first nonzero coefficient ($a_l\\ne0=a_i$ for $i<l$). "
            "The stated $\\varphi$ gives $\\varphi'(f)|f'|\\ge(1-\\theta)^2$, not $\\ge1$; the correct constant is $\\varphi(t)=t^{1-\\theta}/(c(1-\\theta))$."
        ),
    )
)


# ================================================================== strongly convex


@st.composite
def strongly_convex_objectives(draw: st.DrawFn) -> Objective:
    """A strongly convex quadratic (modulus mu) plus a * softplus(w.x + b), a >= 0: still mu-strongly convex."""
    q = draw(quadratics(dim=(1, 3), spectrum="strongly_convex"))
    if not draw(st.booleans()):
        return q
    a = draw(rationals(Q(1, 4), 2, denominator=4))
    w = [draw(rationals(-2, 2, denominator=4)) for _ in range(q.dim)]
    b = draw(rationals(-2, 2, denominator=4))
    u = sum((_frac(wi) * v for wi, v in zip(w, q.variables, strict=True)), sp.Integer(0)) + _frac(b)
    assert q.constants.L is not None
    L = q.constants.L + a * sum(v * v for v in w) / 4
    return Objective(
        q.family + " + softplus", q.variables, q.expr + _frac(a) * sp.log(1 + sp.exp(u)), Constants(L=L, mu=q.constants.mu, how="quadratic mu; softplus convex")
    )


sc_pair_cases = objective_cases(strongly_convex_objectives(), points=("x", "y"))
sc_min_cases = objective_cases(quadratics(dim=(1, 3), spectrum="strongly_convex"), points=("x",))


def _mu(c: Case, B: Backend) -> Number:
    assert c.objective is not None and c.objective.constants.mu is not None
    return B.num(c.objective.constants.mu)


def _sc_line1(c: Case, B: Backend) -> Number:
    f = c.objective
    assert f is not None
    x, y = c.x(B, "x"), c.x(B, "y")
    return f.value(B, y) - (f.value(B, x) + B.dot(f.grad(B, x), B.sub(y, x)) + _mu(c, B) / 2 * B.norm2(B.sub(x, y)))


def _sc_line2(c: Case, B: Backend) -> Number:
    """<g, y - x> + mu/2 ||x - y||^2 >= -||g||^2/(2 mu)."""
    f = c.objective
    assert f is not None
    x, y = c.x(B, "x"), c.x(B, "y")
    g = f.grad(B, x)
    return B.dot(g, B.sub(y, x)) + _mu(c, B) / 2 * B.norm2(B.sub(x, y)) + B.norm2(g) / (2 * _mu(c, B))


def _sc_line3_any(c: Case, B: Backend) -> Number:
    """||g(x)||^2 - 2 mu (F(x) - F(y)) >= 0 for every y (hence for y = x*)."""
    f = c.objective
    assert f is not None
    x, y = c.x(B, "x"), c.x(B, "y")
    return B.norm2(f.grad(B, x)) - 2 * _mu(c, B) * (f.value(B, x) - f.value(B, y))


def _gap(c: Case, B: Backend) -> Number:
    f = c.objective
    assert f is not None and f.constants.minimum is not None
    return f.value(B, c.x(B)) - B.num(f.constants.minimum)


def _kl_margin_sqrt_over_mu(c: Case, B: Backend) -> Number:
    """phi'(F - F*) ||grad F|| - 1 for phi(s) = sqrt(s)/mu: ||g||/(2 mu sqrt(F - F*)) - 1."""
    assert c.objective is not None
    return B.norm(c.objective.grad(B, c.x(B))) / (2 * _mu(c, B) * B.sqrt(_gap(c, B))) - 1


def _kl_margin_sqrt_2_over_mu(c: Case, B: Backend) -> Number:
    """phi(s) = sqrt(2 s/mu): phi'(s) = 1/sqrt(2 mu s)."""
    assert c.objective is not None
    return B.norm(c.objective.grad(B, c.x(B))) / B.sqrt(2 * _mu(c, B) * _gap(c, B)) - 1


def _gap_positive(c: Case) -> bool:
    f = c.objective
    assert f is not None and f.constants.minimum is not None
    x = c.points["x"]
    return arb_positive(lambda B: f.value(B, [B.num(v) for v in x]) - B.num(f.constants.minimum))


_gs = sp.symbols("g1:4", real=True)
_ds = sp.symbols("d1:4", real=True)
_mup = sp.Symbol("mu", positive=True)
_G2 = sum(v**2 for v in _gs)
_ystar = [-gi / _mup for gi in _gs]  # y* - x
sc_min_value = Identity(
    "the minimum over y is attained at y* = x - grad F(x)/mu with value -||grad F(x)||^2/(2 mu)",
    sum(g * d for g, d in zip(_gs, _ystar, strict=True)) + _mup / 2 * sum(d**2 for d in _ystar),
    -_G2 / (2 * _mup),
    statement=r"\Big[\langle g,y-x\rangle+\tfrac\mu2\|x-y\|^2\Big]_{y=x-g/\mu}=-\tfrac{1}{2\mu}\|g\|^2",
    scope="d = 3; the computation is coordinatewise",
)
sc_min_lower = Implication(
    "<g, d> + mu/2 ||d||^2 >= -||g||^2/(2 mu) for every d (the value above is the minimum)",
    hypotheses=[],
    conclusion=sum(g * d for g, d in zip(_gs, _ds, strict=True)) + _mup / 2 * sum(d**2 for d in _ds) >= -_G2 / (2 * _mup),
    statement=r"\langle g,d\rangle+\tfrac\mu2\|d\|^2\ge-\tfrac{1}{2\mu}\|g\|^2\quad\forall d\in\mathbb{R}^3",
)
_Fx, _Fs, _G2s, _gap_s = sp.symbols("F_x F_star G2 Delta", real=True)
sc_rearrange = Implication(
    "F(x*) >= F(x) - ||g||^2/(2mu) rearranges to 2 mu (F(x) - F(x*)) <= ||g||^2",
    hypotheses=[_Fs >= _Fx - _G2s / (2 * _mup)],
    conclusion=2 * _mup * (_Fx - _Fs) <= _G2s,
    statement=r"F(x^*)\ge F(x)-\tfrac{1}{2\mu}\|\nabla F(x)\|^2\implies2\mu(F(x)-F(x^*))\le\|\nabla F(x)\|^2",
)

sc_derivation = Derivation(
    "strongly convex chain (the slide's three lines)",
    start=r"F(x^*)",
    steps=[
        Step(
            ">=",
            r"F(x)+\langle\nabla F(x),x^*-x\rangle+\frac\mu2\|x-x^*\|_2^2",
            r"$\mu$-strong convexity, $\forall x$",
            check=Claim(
                "strong convexity inequality F(y) >= F(x) + <grad F(x), y - x> + mu/2||x - y||^2",
                cases=sc_pair_cases,
                margin=_sc_line1,
                statement=r"F(y)\ge F(x)+\langle\nabla F(x),y-x\rangle+\tfrac\mu2\|x-y\|^2\quad\forall x,y",
                note="Checked for all pairs (so in particular $y=x^*$) on strongly convex quadratics plus a softplus ridge.",
            ),
        ),
        Step(
            ">=",
            r"F(x)+\min_y\langle\nabla F(x),y-x\rangle+\frac\mu2\|x-y\|_2^2",
            r"the value at $y=x^*$ is at least the minimum over $y$",
            check=sc_min_lower,
        ),
        Step("=", r"F(x)-\frac{1}{2\mu}\|\nabla F(x)\|^2", r"minimiser $y=x-\nabla F(x)/\mu$", check=sc_min_value),
    ],
    hypotheses=[r"$F$ $\mu$-strongly convex, $C^1$", r"$x^*$ a minimiser"],
)

sc_line3 = Claim(
    "2 mu (F(x) - F(x*)) <= ||grad F(x)||^2",
    cases=sc_pair_cases,
    margin=_sc_line3_any,
    # the rearrangement is proved, but its hypothesis is the slide's three lines, whose first
    # line (strong convexity) is sampled: the claim is checked, not proved (issue 10)
    proof=Proof(
        sc_rearrange,
        at=lambda c, B: {
            _mup: _mu(c, B),
            _Fx: c.objective.value(B, c.x(B, "x")),  # type: ignore[union-attr]
            _Fs: c.objective.value(B, c.x(B, "y")),  # type: ignore[union-attr]
            _G2s: B.norm2(c.objective.grad(B, c.x(B, "x"))),  # type: ignore[union-attr]
        },
        premises=[Premise(sc_derivation, sp.Ge(_Fs, _Fx - _G2s / (2 * _mup)), "the slide's three lines")],
    ),
    statement=r"2\mu(F(x)-F(x^*))\le\|\nabla F(x)\|^2",
    note="Numerically in the stronger form $2\\mu(F(x)-F(y))\\le\\|\\nabla F(x)\\|^2$ for all $y$ (minimiser not known in closed form with the softplus term).",
)

sc_line2_numeric = Claim(
    "<g, y - x> + mu/2 ||x - y||^2 >= -||g||^2/(2mu) on the family",
    cases=sc_pair_cases,
    margin=_sc_line2,
    statement=r"\langle\nabla F(x),y-x\rangle+\tfrac\mu2\|x-y\|^2\ge-\tfrac{1}{2\mu}\|\nabla F(x)\|^2",
)

sc_phi_stated = Claim(
    "stated: phi = sqrt(.)/mu satisfies phi'(F - F*) ||grad F|| >= 1",
    cases=sc_min_cases,
    margin=_kl_margin_sqrt_over_mu,
    where=_gap_positive,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\varphi'(F(x)-F^*)\|\nabla F(x)\|\ge1,\quad \varphi(s)=\sqrt s/\mu",
    note="Strongly convex quadratics (spectrum in $[1/8,4]$): $\\varphi'(s)=\\frac{1}{2\\mu\\sqrt s}$ requires $\\|\\nabla F\\|^2\\ge4\\mu^2(F-F^*)$, which $2\\mu(F-F^*)\\le\\|\\nabla F\\|^2$ gives only when $\\mu\\le\\frac12$.",
)
_d = sp.Symbol("Delta", positive=True)
_G = sp.Symbol("G2", nonnegative=True)
sc_phi_stated_z3 = Implication(
    "stated: 2 mu Delta <= ||g||^2 gives ||g||^2 >= 4 mu^2 Delta (phi = sqrt(.)/mu)",
    hypotheses=[2 * _mup * _d <= _G],
    conclusion=_G >= 4 * _mup**2 * _d,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"2\mu\Delta\le\|g\|^2\implies\|g\|^2\ge4\mu^2\Delta",
)
sc_phi_small_mu = Implication(
    "with mu <= 1/2 the stated phi does work",
    hypotheses=[2 * _mup * _d <= _G, _mup <= sp.Rational(1, 2)],
    conclusion=_G >= 4 * _mup**2 * _d,
    statement=r"2\mu\Delta\le\|g\|^2,\ \mu\le\tfrac12\implies\|g\|^2\ge4\mu^2\Delta",
)
sc_phi_corrected_z3 = Implication(
    "corrected phi(s) = sqrt(2 s/mu): phi'(s)^2 ||g||^2 = ||g||^2/(2 mu s) >= 1",
    hypotheses=[2 * _mup * _d <= _G],
    conclusion=_G / (2 * _mup * _d) >= 1,
    statement=r"2\mu\Delta\le\|g\|^2\implies\varphi'(\Delta)^2\|g\|^2=\frac{\|g\|^2}{2\mu\Delta}\ge1,\quad\varphi(s)=\sqrt{2s/\mu}",
)
sc_phi_corrected_root = Implication(
    "corrected phi(s) = sqrt(2 s/mu): 2 mu Delta <= ||g||^2 gives phi'(Delta) ||g|| = ||g||/sqrt(2 mu Delta) >= 1",
    hypotheses=[2 * _mup * _d <= _G],
    conclusion=sp.Ge(sp.sqrt(_G) / sp.sqrt(2 * _mup * _d), 1),
    statement=r"2\mu\Delta\le\|g\|^2\implies\varphi'(\Delta)\|g\|=\frac{\|g\|}{\sqrt{2\mu\Delta}}\ge1,\quad\varphi(s)=\sqrt{2s/\mu}",
)
sc_phi_corrected_derivative = Identity(
    "phi(s) = sqrt(2 s/mu) has phi'(s) = 1/sqrt(2 mu s)",
    sp.Derivative(sp.sqrt(2 * t / _mup), t),
    1 / sp.sqrt(2 * _mup * t),
    statement=r"\frac{d}{ds}\sqrt{2s/\mu}=\frac{1}{\sqrt{2\mu s}}",
)


def sc_phi_corrected(cases: st.SearchStrategy[Case] = sc_min_cases, name: str = "corrected: phi = sqrt(2 ./mu) satisfies phi'(F - F*) ||grad F|| >= 1") -> Claim:
    return Claim(
        name,
        cases=cases,
        margin=_kl_margin_sqrt_2_over_mu,
        where=_gap_positive,
        # the lemma is proved; its hypothesis 2 mu (F - F*) <= ||grad F||^2 is the sampled
        # sc_line3: the claim is checked, not proved (issue 10)
        proof=Proof(
            sc_phi_corrected_root,
            at=lambda c, B: {_mup: _mu(c, B), _d: _gap(c, B), _G: B.norm2(c.objective.grad(B, c.x(B)))},  # type: ignore[union-attr]
            premises=[Premise(sc_line3, sp.Le(2 * _mup * _d, _G), "2 mu (F - F*) <= ||grad F||^2")],
        ),
        statement=r"\varphi'(F(x)-F^*)\|\nabla F(x)\|\ge1,\quad\varphi(s)=\sqrt{2s/\mu}",
    )


register(
    Entry(
        id="pauwels.kl-strongly-convex",
        title="KL inequality for mu-strongly convex functions",
        where="KL inequality examples: $\\mu$-strongly convex functions",
        statement=(
            r"\textbf{$\mu$-strongly convex functions:} $x^*$ realises the minimum of $F$. "
            r"$F(x^*)\ge F(x)+\langle\nabla F(x),x^*-x\rangle+\frac\mu2\|x-x^*\|_2^2$ $\forall x\in\mathbb{R}^p$ "
            r"$\ge F(x)+\min_y\langle\nabla F(x),y-x\rangle+\frac\mu2\|x-y\|_2^2=F(x)-\frac1{2\mu}\|\nabla F(x)\|^2$; "
            r"$2\mu(F(x)-F(x^*))\le\|\nabla F(x)\|^2$ $\Rightarrow\theta=1/2$, $\varphi(\cdot)=\sqrt\cdot/\mu$."
        ),
        hypotheses=[r"$F$ is $C^1$ and $\mu$-strongly convex", r"$x^*$ realises the minimum of $F$"],
        checks=[sc_derivation, sc_line2_numeric, sc_line3, sc_phi_stated_z3, sc_phi_stated, sc_phi_small_mu],
        corrected=[sc_phi_corrected_derivative, sc_phi_corrected()],
        status=Status.ERRATUM,
        reading=(
            "KL at $x^*$ for $F-F^*$ (the definition needs $F(\\bar x)=0$). The three lines and the inequality "
            "$2\\mu(F-F^*)\\le\\|\\nabla F\\|^2$ hold; the conclusion $\\varphi=\\sqrt\\cdot/\\mu$ needs $\\|\\nabla F\\|^2\\ge4\\mu^2(F-F^*)$, "
            "true only for $\\mu\\le\\frac12$ (e.g. $F=x^2$, $\\mu=2$: $\\varphi'(F)|F'|=\\frac12$). Corrected: $\\varphi(s)=\\sqrt{2s/\\mu}$."
        ),
    )
)


# ================================================================== quadratics


quad_indef_cases = objective_cases(quadratics(dim=(2, 3), spectrum="indefinite"), points=("x",), radius=3)
quad_convex_cases = objective_cases(quadratics(dim=(1, 3), spectrum="convex"), points=("x",), radius=3)


def _quad_F(c: Case, B: Backend) -> Number:
    """F(x) - F* with F* = 0 = F(b), the critical value."""
    assert c.objective is not None
    return c.objective.value(B, c.x(B))


def _quad_margin(absolute: bool) -> Callable[[Case, Backend], Number]:
    def margin(c: Case, B: Backend) -> Number:
        assert c.objective is not None
        v = _quad_F(c, B)
        return B.norm2(c.objective.grad(B, c.x(B))) - 2 * _mu(c, B) * (B.abs(v) if absolute else v)

    return margin


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

quad_stated_indef = Claim(
    "2 mu (F(x) - F*) <= ||grad F(x)||^2, indefinite A",
    cases=quad_indef_cases,
    margin=_quad_margin(False),
    proof=quad_pl_proof,
    statement=r"2\mu(F(x)-F^*)\le\|\nabla F(x)\|^2,\quad F^*=0",
)
quad_stated_convex = Claim(
    "2 mu (F(x) - F*) <= ||grad F(x)||^2, convex (possibly singular) A",
    cases=quad_convex_cases,
    margin=_quad_margin(False),
    proof=quad_pl_proof,
    statement=r"2\mu(F(x)-F^*)\le\|\nabla F(x)\|^2,\ A\succeq0",
)
quad_abs = Claim(
    "2 mu |F(x) - F*| <= ||grad F(x)||^2, indefinite A",
    cases=quad_indef_cases,
    margin=_quad_margin(True),
    proof=quad_abs_proof,
    statement=r"2\mu|F(x)-F^*|\le\|\nabla F(x)\|^2",
)

_quad_pos_cases = objective_cases(quadratics(dim=(1, 3), spectrum="convex"), points=("x",), radius=3)


def _quad_gap_positive(c: Case) -> bool:
    f = c.objective
    assert f is not None
    x = c.points["x"]
    return arb_positive(lambda B: f.value(B, [B.num(v) for v in x]))


quad_phi_stated = Claim(
    "stated 'non convex examples': phi = sqrt(.)/mu for quadratics",
    cases=_quad_pos_cases,
    margin=lambda c, B: B.norm(c.objective.grad(B, c.x(B))) / (2 * _mu(c, B) * B.sqrt(_quad_F(c, B))) - 1,  # type: ignore[union-attr]
    where=_quad_gap_positive,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\varphi'(F(x))\|\nabla F(x)\|\ge1,\ \varphi=\sqrt\cdot/\mu,\ F(x)>0",
    note="The line `Non convex examples: $\\theta=1/2$, $\\varphi(\\cdot)=\\sqrt\\cdot/\\mu$' applied to the quadratics below it.",
)
quad_phi_corrected = Claim(
    "corrected: phi = sqrt(2 ./mu) for quadratics (indefinite included, where F > 0)",
    cases=st.one_of(quad_indef_cases, _quad_pos_cases),
    margin=lambda c, B: B.norm(c.objective.grad(B, c.x(B))) / B.sqrt(2 * _mu(c, B) * _quad_F(c, B)) - 1,  # type: ignore[union-attr]
    where=_quad_gap_positive,
    proof=sc_phi_corrected_z3,
    statement=r"\varphi'(F(x))\|\nabla F(x)\|\ge1,\ \varphi(s)=\sqrt{2s/\mu},\ F(x)>0",
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


# ================================================================== Morse functions


def is_morse(F: sp.Expr, variables: Sequence[sp.Symbol]) -> Judgement:
    """Every critical point (solved exactly with sympy) has a nonsingular Hessian."""
    grad = [sp.diff(F, v) for v in variables]
    sols = sp.solve(grad, list(variables), dict=True)
    H = sp.hessian(F, list(variables))
    if not isinstance(sols, list):
        return Judgement(None, Verdict.UNDECIDED, "sympy could not solve grad F = 0")
    for s in sols:
        if len(s) < len(variables):
            return Judgement(False, Verdict.PROVED, f"a curve of critical points {s}")
        det = sp.simplify(H.subs(s).det())
        if det == 0:
            return Judgement(False, Verdict.PROVED, f"degenerate critical point {s}")
    return Judgement(True, Verdict.PROVED, f"{len(sols)} critical points, all nondegenerate")


MORSE_EXAMPLES = [
    ("x^3 - 3x", (y1**3 - 3 * y1, (y1,)), True),
    ("x1^3 - 3 x1 + x2^2", (x1**3 - 3 * x1 + x2**2, (x1, x2)), True),
    ("x1^2 - x2^2", (x1**2 - x2**2, (x1, x2)), True),
    ("x^3", (y1**3, (y1,)), False),
    ("x1^4 + x2^2", (x1**4 + x2**2, (x1, x2)), False),
    ("(x1^2 + x2^2 - 1)^2 (a circle of minima)", ((x1**2 + x2**2 - 1) ** 2, (x1, x2)), False),
]
morse_definition = Definition(
    "is_morse on examples and non-examples",
    predicate=lambda ex: is_morse(*ex),
    examples=MORSE_EXAMPLES,
    statement=r"\nabla F(x)=0\implies\nabla^2F(x)\ \text{nonsingular}",
)


@dataclass(frozen=True)
class MorsePoint:
    F: sp.Expr
    variables: tuple[sp.Symbol, ...]
    xbar: tuple[Q, ...]
    c: Q  # KL 1/2 constant: ||grad F||^2 >= c |F - F(xbar)|
    eps: Q


# Hessians at the critical points: diag(6, 2) at (1, 0) (minimum), diag(-6, 2) at (-1, 0) (saddle);
# ||grad F||^2 ~ ||H d||^2 >= mu^2 ||d||^2 and |F - F(xbar)| ~ |d^T H d|/2 <= ||H|| ||d||^2/2: c = mu^2/||H|| = 2/3 near.
MORSE_POINTS = [
    MorsePoint(x1**3 - 3 * x1 + x2**2, (x1, x2), (Q(1), Q(0)), Q(1, 2), Q(1, 4)),
    MorsePoint(x1**3 - 3 * x1 + x2**2, (x1, x2), (Q(-1), Q(0)), Q(1, 2), Q(1, 4)),
    MorsePoint(y1**3 - 3 * y1, (y1,), (Q(1),), Q(6), Q(1, 4)),
    MorsePoint(x1**2 * (x1 - 1) ** 2 + x2**2 - x1 * x2 / 2, (x1, x2), (Q(0), Q(0)), Q(1, 2), Q(1, 8)),
]


@st.composite
def morse_cases(draw: st.DrawFn) -> Case:
    m = draw(st.sampled_from(MORSE_POINTS))
    f = Objective("Morse", m.variables, m.F)
    x = draw(_ball_points(m.xbar, m.eps))
    return Case(objective=f, params={"c": m.c, "eps": m.eps, **fixed_params("xbar", m.xbar)}, points={"x": x})


def _morse_margin(c: Case, B: Backend) -> Number:
    f = c.objective
    assert f is not None
    x = c.x(B, "x")
    xb = [B.num(v) for v in fixed_point(c, "xbar")]
    return B.norm2(f.grad(B, x)) - c.p(B, "c") * B.abs(f.value(B, x) - f.value(B, xb))


morse_kl = Claim(
    "KL 1/2 near nondegenerate critical points: ||grad F||^2 >= c |F - F(xbar)|",
    cases=morse_cases(),
    margin=_morse_margin,
    where=lambda c: dist2_exact(c.points["x"], fixed_point(c, "xbar")) < c.params["eps"] ** 2,
    statement=r"\|\nabla F(x)\|^2\ge c\,|F(x)-F(\bar x)|,\ \|x-\bar x\|<\varepsilon,\quad \varphi(s)=2\sqrt{s/c}",
    note=(
        "Morse functions with their critical points $\\bar x$ (a minimum, a saddle, a 1-D minimum, a tilted double well at $0$), "
        "$c$ and $\\varepsilon$ from the second order Taylor expansion with margin. Numeric evidence, not a proof for all Morse functions."
    ),
)

_morse_H = sp.Matrix([[6, 0], [0, 2]])
morse_quadratic_model = Implication(
    "the quadratic model: ||H d||^2 >= (mu^2/||H||) |d^T H d| for H = diag(+-6, 2)",
    hypotheses=[],
    conclusion=sp.And(
        36 * _zs[0] ** 2 + 4 * _zs[1] ** 2 >= sp.Rational(4, 6) * sp.Abs(6 * _zs[0] ** 2 + 2 * _zs[1] ** 2),
        36 * _zs[0] ** 2 + 4 * _zs[1] ** 2 >= sp.Rational(4, 6) * sp.Abs(-6 * _zs[0] ** 2 + 2 * _zs[1] ** 2),
    ),
    statement=r"\|Hd\|^2\ge\tfrac{\mu^2}{\|H\|}|d^THd|,\quad H=\operatorname{diag}(\pm6,2),\ \mu=2,\ \|H\|=6",
    note="The exact KL 1/2 inequality of the second order model at the minimum and the saddle of $x_1^3-3x_1+x_2^2$ (so $c$ up to $2\\cdot\\frac23$ for $F-F(\\bar x)\\approx\\frac12d^THd$).",
)

register(
    Entry(
        id="pauwels.kl-morse",
        title="KL inequality for Morse functions",
        where="KL inequality examples: Morse functions",
        statement=r"\textbf{Morse functions:} $F\in C^2$ such that $\nabla F(x)=0$ implies $\nabla^2F(x)$ is non singular.",
        checks=[morse_definition, morse_quadratic_model, morse_kl],
        status=Status.VERIFIED,
        reading="Listed under the heading `Non convex examples: $\\theta=1/2$': read as `Morse functions satisfy KL with exponent $\\frac12$ near each critical point', with $F-F(\\bar x)$ in absolute value (saddles).",
    )
)


# ================================================================== non convex example (x1/2 - x2^2)^2

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
nc_numeric = Claim(
    "F - F* <= ||grad F||^2 on points of [-3,3]^2",
    cases=st.tuples(rationals(-3, 3, denominator=64), rationals(-3, 3, denominator=64)).map(lambda p: Case(objective=_nc_obj, points={"x": p})),
    margin=lambda c, B: B.norm2(_nc_obj.grad(B, c.x(B))) - _nc_obj.value(B, c.x(B)),
    proof=Proof(nc_inequality_z3, at=lambda c, B: dict(zip((x1, x2), c.x(B), strict=True))),
    statement=r"F(x)-F^*\le\|\nabla F(x)\|^2",
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
    statement=r"\varphi'(F(x))\|\nabla F(x)\|\ge1,\ \varphi(s)=\sqrt s/\mu=2\sqrt s,\ \|x\|<2,\ F(x)>0",
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
