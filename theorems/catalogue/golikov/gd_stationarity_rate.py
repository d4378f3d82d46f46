"""golikov.gd-stationarity-rate: slide "Local optimization: general case", Guarantees.

"Given f in C^{1,1}_L, alpha in (0, 2/L) and any x_0: f(x_t) decreases (hence f(x_t) -> f*);
GD achieves an eps-1st-order stationary point in T_eps = eps^{-2} L/omega(alpha) (f(x_0) - f*)
iterations." The slide does not define omega; the descent lemma gives
omega(alpha) = alpha L (1 - alpha L / 2) (see ``reading``).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Bound, Case, Claim, Derivation, Expect, Identity, Implication, Objective, Step
from symbolic.backends import ArbBackend, Backend, Number, ball_certainly
from symbolic.families import (
    least_squares,
    nonnegative_smooth,
    quadratics,
    ridge_sums,
    smooth_objectives,
)
from theorems.cases import objective_cases
from theorems.catalogue.golikov._common import BudgetedClaim
from theorems.registry import Entry, Status, register

# ------------------------------------------------------------------ symbolic part

alpha, L, eps = sp.symbols("alpha L epsilon", positive=True)
D, G, S, T = sp.symbols("D G S T", nonnegative=True)
fx, fy, fT, fstar = sp.symbols("f_x f_y f_T f^*", real=True)

#: the function the descent lemma gives (the slide leaves omega undefined)
OMEGA = alpha * L * (1 - alpha * L / 2)
#: the slide's T_eps with that omega
T_EPS = eps**-2 * L / OMEGA * D

quadratic_upper_bound = fy <= fx - alpha * G + L * alpha**2 * G / 2  # f(x - alpha g) by the descent lemma, G = ||g||^2


# the quadratic upper bound f(x + h) <= f(x) + <grad f(x), h> + L/2 |h|^2 from the L-Lipschitz gradient
_s = sp.Symbol("s", real=True)
_sn = sp.Symbol("s", nonnegative=True)
_gfun = sp.Function("g")  # g(s) = f(x + s h), g'(s) = <grad f(x + s h), h>
_g0 = sp.Symbol("g'(0)", real=True)
_H2 = sp.Symbol("H", positive=True)  # |h|^2
_u = sp.symbols("u1:3", real=True)  # grad f(x + s h) - grad f(x)
_h = sp.symbols("h1:3", real=True)


def _n2(v: tuple[sp.Symbol, ...]) -> sp.Expr:
    return sum((t**2 for t in v), sp.Integer(0))


upper_bound_derivation = Derivation(
    "descent lemma: f(x + h) - f(x) - <grad f(x), h> <= L/2 |h|^2 from the L-Lipschitz gradient",
    start=r"f(x+h)-f(x)-\langle\nabla f(x),h\rangle",
    steps=[
        Step(
            "=",
            r"\int_0^1\langle\nabla f(x+sh)-\nabla f(x),h\rangle\,ds",
            r"fundamental theorem of calculus for $g(s)=f(x+sh)$, $g'(s)=\langle\nabla f(x+sh),h\rangle$",
            check=Identity("FTC: int_0^1 (g'(s) - g'(0)) ds = g(1) - g(0) - g'(0)", sp.Integral(sp.Derivative(_gfun(_s), _s) - _g0, (_s, 0, 1)), _gfun(1) - _gfun(0) - _g0),
        ),
        Step(
            "<=",
            r"\int_0^1 Ls\|h\|^2\,ds",
            r"Cauchy--Schwarz and $\|\nabla f(x+sh)-\nabla f(x)\|\le Ls\|h\|$, pointwise in $s\in[0,1]$",
            check=Implication(
                "Cauchy-Schwarz with the Lipschitz bound (d = 2)",
                hypotheses=[_n2(_u) <= L**2 * _sn**2 * _n2(_h)],
                conclusion=sum((a * b for a, b in zip(_u, _h, strict=True)), sp.Integer(0)) <= L * _sn * _n2(_h),
                statement=r"\|u\|\le Ls\|h\|\implies\langle u,h\rangle\le Ls\|h\|^2",
                scope="d = 2",
            ),
        ),
        Step("=", r"\frac L2\|h\|^2", "integration", check=Identity("int_0^1 L s |h|^2 ds = L |h|^2 / 2", sp.Integral(L * _s * _H2, (_s, 0, 1)), L * _H2 / 2)),
    ],
    hypotheses=[r"$\nabla f$ is $L$-Lipschitz"],
    scope="d = 2 in the Cauchy-Schwarz step (the same polynomial inequality in every d)",
)


def descent_step(omega: sp.Expr = OMEGA) -> Implication:
    return Implication(
        "descent lemma: f(x - alpha grad f) <= f(x) - (omega(alpha)/L) ||grad f(x)||^2",
        hypotheses=[quadratic_upper_bound],
        conclusion=fy <= fx - omega / L * G,
        statement=r"f(y)\le f(x)-\alpha\|g\|^2+\tfrac{L\alpha^2}2\|g\|^2 \implies f(y)\le f(x)-\tfrac{\omega(\alpha)}{L}\|g\|^2",
    )


monotone = Implication(
    "alpha in (0, 2/L): f(x_{t+1}) <= f(x_t), strictly unless grad f(x_t) = 0",
    hypotheses=[quadratic_upper_bound, alpha * L < 2],
    conclusion=sp.And(fy <= fx, sp.Implies(G > 0, fy < fx)),
    statement=r"0<\alpha<2/L\implies f(x_{t+1})\le f(x_t)-\tfrac{\omega(\alpha)}L\|\nabla f(x_t)\|^2\le f(x_t)",
)

omega_positive = Implication(
    "omega(alpha) > 0 exactly on (0, 2/L); its maximum 1/2 is at alpha = 1/L",
    hypotheses=[],
    conclusion=sp.And(sp.Equivalent(OMEGA > 0, alpha * L < 2), OMEGA <= sp.Rational(1, 2), sp.Implies(sp.Eq(alpha * L, 1), sp.Eq(OMEGA, sp.Rational(1, 2)))),
    statement=r"\omega(\alpha)=\alpha L(1-\tfrac{\alpha L}2)>0\iff\alpha L<2;\ \omega\le\tfrac12=\omega(1/L)",
)

_t = sp.Symbol("t", integer=True, nonnegative=True)
_Ts = sp.Symbol("T", integer=True, positive=True)
_F = sp.Function("f")
telescoping = Identity(
    "telescoping: sum_{t<T} (f(x_t) - f(x_{t+1})) = f(x_0) - f(x_T)",
    sp.Sum(_F(_t) - _F(_t + 1), (_t, 0, _Ts - 1)),
    _F(0) - _F(_Ts),
    statement=r"\sum_{t=0}^{T-1}\big(f(x_t)-f(x_{t+1})\big)=f(x_0)-f(x_T)",
)

tail_bound = Implication(
    "f(x_T) >= f* gives (L/omega)(f(x_0) - f(x_T)) <= (L/omega)(f(x_0) - f*)",
    hypotheses=[fT >= fstar, alpha * L < 2],
    conclusion=L / OMEGA * (fx - fT) <= L / OMEGA * (fx - fstar),
    statement=r"f(x_T)\ge f^*,\ \omega(\alpha)>0\implies\tfrac L{\omega}(f(x_0)-f(x_T))\le\tfrac L{\omega}(f(x_0)-f^*)",
)


def count_bound(omega: sp.Expr = OMEGA) -> Implication:
    """If the first T >= 1 iterates all have ||grad f||^2 > eps^2, then T < T_eps."""
    return Implication(
        "T iterates with ||grad f|| > eps force T < T_eps = eps^-2 L/omega(alpha) (f(x_0) - f*)",
        hypotheses=[_T_ge_1, S > T * eps**2, S <= L / OMEGA * D, alpha * L < 2],
        conclusion=T < eps**-2 * L / omega * D,
        statement=r"T\ge1,\ \sum_{t<T}\|\nabla f(x_t)\|^2>T\epsilon^2,\ \sum_{t<T}\|\nabla f(x_t)\|^2\le\tfrac{L}{\omega(\alpha)}(f(x_0)-f^*)\implies T<T_\epsilon",
        note="With $S=\\sum_{t<T}\\|\\nabla f(x_t)\\|^2$ and $D=f(x_0)-f^*$, in the symbols $(\\alpha, L, \\epsilon, D, S, T)$: the first $\\epsilon$-stationary iterate has index $t^*\\le T_\\epsilon$.",
    )


_T_ge_1 = T >= 1

sum_derivation = Derivation(
    "sum of squared gradients up to T",
    start=r"\sum_{t=0}^{T-1}\|\nabla f(x_t)\|^2",
    steps=[
        Step("<=", r"\frac{L}{\omega(\alpha)}\sum_{t=0}^{T-1}\big(f(x_t)-f(x_{t+1})\big)", r"descent lemma at every $t$ (each term; sums preserve $\le$)", check=descent_step()),
        Step("=", r"\frac{L}{\omega(\alpha)}\big(f(x_0)-f(x_T)\big)", "telescoping", check=telescoping),
        Step("<=", r"\frac{L}{\omega(\alpha)}\big(f(x_0)-f^*\big)", r"$f(x_T)\ge f^*$, $\omega(\alpha)>0$", check=tail_bound),
    ],
    hypotheses=[r"$f\in\mathcal C^{1,1}_L$", r"$\alpha\in(0,2/L)$"],
)

# ------------------------------------------------------------------ numeric part: the count on random L-smooth objectives

MAX_STEPS = 200


def exact_minimum(f: Objective) -> Q:
    """f* for the convex families: recorded by the family, else the value at a solution of grad f = 0
    (a convex quadratic: every critical point is a global minimiser)."""
    if f.constants.minimum is not None:
        return f.constants.minimum
    sol = sp.linsolve(list(f.gradient), list(f.variables))
    if sol == sp.EmptySet:
        raise ValueError("no critical point: f is not bounded below")
    (tup,) = list(sol)
    point = {v: sp.sympify(e).subs({w: 0 for w in tup.free_symbols}) for v, e in zip(f.variables, tup, strict=True)}
    value = sp.simplify(f.expr.subs(point))
    if not value.is_Rational:
        raise ValueError(f"f* = {value} is not rational")
    return Q(int(value.p), int(value.q))


def _le(B: Backend, a: Number, b: Number) -> bool:
    """a <= b, decided rigorously in Arb (an undecidable comparison makes the case undefined)."""
    if isinstance(B, ArbBackend):
        d = ball_certainly(b - a, False)
        if d is None:
            raise ValueError("comparison within the ball's radius")
        return d
    return bool(a <= b)


OmegaFn = Callable[[Number, Number, Backend], Number]


def omega_lemma(a: Number, Lb: Number, B: Backend) -> Number:
    return a * Lb * (B.num(1) - a * Lb / B.num(2))


def count_margin(omega: OmegaFn) -> Callable[[Case, Backend], Number]:
    """T_eps - t*, t* the first t with ||grad f(x_t)|| <= eps = theta ||grad f(x_0)||."""

    def margin(c: Case, B: Backend) -> Number:
        f = c.objective
        assert f is not None and f.constants.L is not None
        Lb, a, th = B.num(f.constants.L), c.p(B, "alpha"), c.p(B, "theta")
        x = c.x(B)
        g = f.grad(B, x)
        eps2 = th * th * B.norm2(g)
        T_eps = (f.value(B, x) - c.p(B, "fstar")) * Lb / (omega(a, Lb, B) * eps2)
        t = 0
        while not _le(B, B.norm2(g), eps2):
            if t >= MAX_STEPS:
                raise ValueError(f"no eps-stationary iterate within {MAX_STEPS} steps")
            x = B.sub(x, B.scale(a, g))
            g = f.grad(B, x)
            t += 1
        return T_eps - B.num(t)

    return margin


def _step_bound(f: Objective) -> Bound:
    assert f.constants.L is not None
    return Bound(Q(0), 2 / f.constants.L)


_THETA = lambda f: Bound(Q(1, 4), Q(1))  # noqa: E731


def count_claim(omega: OmegaFn = omega_lemma, name: str = "the first eps-stationary iterate has index t* <= T_eps (convex families, exact f*)", **kw: object) -> Claim:
    fam = st.one_of(quadratics(spectrum="convex"), least_squares(p=(1, 3)))
    return BudgetedClaim(
        name,
        cases=objective_cases(fam, params={"alpha": _step_bound, "theta": _THETA}, fixed={"fstar": exact_minimum}),
        margin=count_margin(omega),
        statement=r"t^*=\min\{t:\|\nabla f(x_t)\|\le\epsilon\}\le T_\epsilon=\epsilon^{-2}\frac{L}{\omega(\alpha)}(f(x_0)-f^*)",
        note=(
            f"GD is run in the check's arithmetic (50 digits; Arb balls to confirm) on convex quadratics and least squares with certified $L$ "
            f"and exact $f^*$; $\\epsilon=\\theta\\|\\nabla f(x_0)\\|$ with $\\theta\\in(1/4,1)$; a case needing more than {MAX_STEPS} steps is not evaluated (counted apart)."
        ),
        scope=f"eps in (|grad f(x0)|/4, |grad f(x0)|), at most {MAX_STEPS} GD steps per case",
        **kw,  # type: ignore[arg-type]
    )


def _zero(f: Objective) -> Q:
    return Q(0)


nonconvex_count = BudgetedClaim(
    "t* <= T_eps on nonconvex nonnegative L-smooth objectives, with f* replaced by the lower bound 0",
    cases=objective_cases(nonnegative_smooth(), params={"alpha": _step_bound, "theta": _THETA}, fixed={"fstar": _zero}),
    margin=count_margin(omega_lemma),
    statement=r"t^*\le\epsilon^{-2}\frac{L}{\omega(\alpha)}(f(x_0)-0)",
    note="$f^*$ is not known exactly for these families; $0\\le f^*$ makes the bound larger, so this check is weaker than the stated one.",
    scope="f* replaced by the certified lower bound 0",
)

quadratic_upper_bound_claim = BudgetedClaim(
    "the quadratic upper bound on random L-smooth objectives",
    cases=objective_cases(smooth_objectives(), points=("x", "y")),
    lhs=lambda c, B: c.objective.value(B, c.x(B, "y")),
    rel="<=",
    rhs=lambda c, B: (
        c.objective.value(B, c.x(B, "x"))
        + B.dot(c.objective.grad(B, c.x(B, "x")), B.sub(c.x(B, "y"), c.x(B, "x")))
        + B.num(c.objective.constants.L) / B.num(2) * B.norm2(B.sub(c.x(B, "y"), c.x(B, "x")))
    ),
    statement=r"f(y)\le f(x)+\langle\nabla f(x),y-x\rangle+\tfrac L2\|y-x\|^2",
    note="The premise of the descent lemma, searched over every family with a certified global $L$ (dimensions 1 to 3).",
    local_search=1,
)

decrease = BudgetedClaim(
    "f(x_1) <= f(x_0) for alpha in (0, 2/L) on random L-smooth objectives",
    cases=objective_cases(smooth_objectives(), params={"alpha": _step_bound}),
    lhs=lambda c, B: c.objective.value(B, c.objective.gradient_step(B, c.x(B), c.p(B, "alpha"))),
    rel="<=",
    rhs=lambda c, B: c.objective.value(B, c.x(B)),
    statement=r"f(x-\alpha\nabla f(x))\le f(x),\quad 0<\alpha<2/L",
    local_search=1,
)

def _large_step(f: Objective) -> Bound:
    assert f.constants.L is not None
    return Bound(2 / f.constants.L, 3 / f.constants.L)


decrease_necessity = Claim(
    "necessity: for alpha in (2/L, 3/L) f(x_t) need not decrease",
    cases=objective_cases(st.one_of(quadratics(dim=1, spectrum="convex"), ridge_sums(dim=1, terms=1, activations=("cos",))), params={"alpha": _large_step}),
    lhs=lambda c, B: c.objective.value(B, c.objective.gradient_step(B, c.x(B), c.p(B, "alpha"))),  # type: ignore[union-attr]
    rel="<=",
    rhs=lambda c, B: c.objective.value(B, c.x(B)),  # type: ignore[union-attr]
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"f(x-\alpha\nabla f(x))\le f(x),\quad 2/L<\alpha<3/L",
)

register(
    Entry(
        id="golikov.gd-stationarity-rate",
        title="GD with alpha in (0, 2/L): monotone decrease and T_eps = eps^-2 L/omega(alpha) (f(x_0) - f*)",
        where="Local optimization: general case (Guarantees)",
        statement=(
            r"Suppose $f\in\mathcal C^1$, $f\ge0$. Gradient descent: $x_{t+1}=x_t-\alpha\nabla f(x_t)$. Given $f\in\mathcal C^{1,1}_L$, "
            r"$\alpha\in(0,2/L)$ and any $x_0$: $f(x_t)\searrow$ (hence $f(x_t)\to f^*$); GD achieves an $\epsilon$-1st-order stationary "
            r"point in $T_\epsilon=\epsilon^{-2}\frac{L}{\omega(\alpha)}(f(x_0)-f^*)$ iterations."
        ),
        hypotheses=[r"$f\in\mathcal C^{1,1}_L$, $f\ge0$", r"$\alpha\in(0,2/L)$", r"$x_0$ arbitrary"],
        checks=[
            omega_positive,
            upper_bound_derivation,
            quadratic_upper_bound_claim,
            descent_step(),
            monotone,
            sum_derivation,
            count_bound(),
            decrease,
            count_claim(),
            nonconvex_count,
            decrease_necessity,
        ],
        status=Status.VERIFIED,
        reading=(
            r"The slide does not define $\omega$. The descent lemma $f(x-\alpha g)\le f(x)-\alpha\|g\|^2+\frac{L\alpha^2}2\|g\|^2$ gives "
            r"$\omega(\alpha)=\alpha L(1-\alpha L/2)$, positive exactly on $(0,2/L)$, so that $T_\epsilon=\frac{f(x_0)-f^*}{\epsilon^2\alpha(1-\alpha L/2)}$ "
            r"($2L\epsilon^{-2}(f(x_0)-f^*)$ at $\alpha=1/L$). 'Achieves in $T_\epsilon$ iterations' is read as: the first index $t^*$ with "
            r"$\|\nabla f(x_{t^*})\|\le\epsilon$ satisfies $t^*\le T_\epsilon$. '$f(x_t)\to f^*$' is read as convergence of the decreasing, "
            r"bounded-below sequence $f(x_t)$ to a limit $f^*$ (not necessarily $\inf f$); $T_\epsilon$ holds with $f^*=\inf f$, which is smaller."
        ),
    )
)
