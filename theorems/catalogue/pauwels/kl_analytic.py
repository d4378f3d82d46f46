"""pauwels.kl-analytic: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "KL inequality examples", item "Univariate analytic functions".

|f'| >= c |f|^theta near 0 with theta = 1 - 1/l (Łojasiewicz's original inequality). The stated phi(t) =
(1 - theta)/c t^(1 - theta) is an erratum (it gives phi'(f)|f'| >= (1 - theta)^2, not >= 1); corrected: phi = t^(1 - theta)/(c(1 - theta)).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Bound,
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
from symbolic.families import rationals
from theorems.cases import values_in
from theorems.catalogue.pauwels._common import arb_positive, sympy_rational
from theorems.registry import Entry, Status, register

t = sp.Symbol("t", positive=True)
(y1,) = coordinates(1)


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
        sign * sympy_rational(s) ** l * y1**l + sympy_rational(b) * y1 ** (l + 1),
        Constants(region=None),
    )
    x = draw(values_in(Bound(-delta, delta, False, False), resolution=10**6) | st.integers(1, 40).map(lambda k: delta / 2**k))
    return Case(objective=f, params={"l": Q(l), "c": Q(l) * s / 2, "delta": delta}, points={"x": (x,)})


@st.composite
def monomial_cases(draw: st.DrawFn) -> Case:
    """f(x) = s^l x^l, l in 2..4, with the sharp constant c = l s (|f'| = c |f|^theta exactly)."""
    l = draw(st.integers(2, 4))
    s = draw(rationals(Q(1, 4), 2, denominator=4))
    f = Objective(f"monomial(l={l})", (y1,), sympy_rational(s) ** l * y1**l)
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
