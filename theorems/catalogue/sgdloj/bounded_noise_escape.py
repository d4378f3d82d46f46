"""sgdloj.bounded-noise-escape: Section 4, Theorem 4.4 and its proof, (4.15)-(4.21).

"Consider theta_{k+1} = theta_k - eta_k (grad F(theta_k) + O_k Z_k) (4.15) [...]. Then {theta_k}
will exit the ball B(theta_0, r) almost surely." Read universally it fails for F(theta) = theta^2 in
one dimension: the rotated noise O_k Z_k = m |Z_k| sign(Z_1) is a constant drift for k >= 1 and the
iterates converge to -m sign(Z_1)/2 without leaving the ball (closed form proved, counterexample
exact). The corrected statement adds a flat direction, along which the drift accumulates."""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Bound,
    Case,
    CheckSettings,
    Claim,
    Derivation,
    Expect,
    Identity,
    Illustration,
    Implication,
    MonteCarlo,
    Step,
)
from symbolic.backends import Backend, Number
from symbolic.exact_cases import ExactCases
from symbolic.notation import NotationClaim
from theorems.cases import values_in
from theorems.catalogue.sgdloj._cesaro import (
    A_SEQ,
    K_IDX,
    N_SYM,
    R_sum,
    T_sum,
    base_case,
    induction_step,
    weighted_sums_n_1_to_10,
)
from theorems.catalogue.sgdloj._rotated_noise import (
    convex_stays,
    drift_growth,
    exact_trajectory_check,
    flat_exit_simulation,
    sign_cases,
    sup_distance,
)
from theorems.registry import Entry, Status, register
from theorems.sgd_models import LS_FLAT

# F(theta) = theta^2: alpha = 4, C_L = 2; gamma = 1 > 2/alpha; q = 1; n0 = (2 C_L^2 gamma / alpha)^(1/q) = 2.
# Z_k = +-m (Rademacher, scaled): E Z = 0, E|Z| = m, E|Z|^2 = m^2. O_k = sign(Z_k) sign(Z_1), O_0 = 1.

_k = sp.Symbol("k", positive=True, integer=True)
_m, _th = sp.symbols("m theta", real=True)
_sg = sp.Symbol("s", real=True)
_e1 = sp.Symbol("e_1", real=True)
_eta = sp.Symbol("eta", positive=True)

step_identity = Identity(
    "for k >= 1: theta_{k+1} + m s/2 = (theta_k + m s/2) k/(k+2)",
    sp.together(_th - (2 * _th + _m * _sg) / (_k + 2) + _m * _sg / 2),
    sp.together((_th + _m * _sg / 2) * _k / (_k + 2)),
    statement=r"\theta-\tfrac1{k+2}\big(2\theta+ms\big)+\tfrac{ms}2=\big(\theta+\tfrac{ms}2\big)\tfrac{k}{k+2}",
    note=r"$\eta_k=\gamma/(k+n_0)=1/(k+2)$, $F'(\theta)=2\theta$, $O_kZ_k=ms$ with $s=\mathrm{sign}(Z_1)$ for $k\ge1$.",
)
product_identity = Identity(
    "e_k = 2 e_1/(k(k+1)) solves e_{k+1} = e_k k/(k+2)",
    _e1 * 2 / (_k * (_k + 1)) * _k / (_k + 2),
    sp.Subs(_e1 * 2 / (_k * (_k + 1)), _k, _k + 1, evaluate=False),  # e_{k+1} substituted in the check
    statement=r"\tfrac{2}{k(k+1)}\cdot\tfrac{k}{k+2}=\tfrac{2}{(k+1)(k+2)}\ (\text{and } \tfrac{2}{1\cdot2}=1\text{ at }k=1)",
)
first_step_identity = Identity(
    "theta_1 = -m s_0/2 (eta_0 = 1/2, O_0 = I)",
    # the step theta - eta (F'(theta) + m s_0) with F = theta^2, at theta = theta_0 and eta = eta_0 = 1/2:
    # F' and the substitution are computed in the check
    sp.Subs(_th - _eta * (sp.Derivative(_th**2, _th) + _m * sp.Symbol("s_0")), (_th, _eta), (sp.Symbol("theta_0"), sp.Rational(1, 2)), evaluate=False),
    -_m * sp.Symbol("s_0") / 2,
    statement=r"\theta_1=\theta_0-\tfrac12\big(2\theta_0+mZ_0/|Z_0|\cdot\big)=-\tfrac{m s_0}2",
)


@st.composite
def _counterexample_cases(draw: st.DrawFn) -> Case:
    """m in (0, 1], theta_0 in [-1, 1], r in (0, 3] for the F = theta^2 counterexample."""
    bounds = {"m": Bound(Q(0), Q(1), True, False), "theta0": Bound(Q(-1), Q(1), False, False), "r": Bound(Q(0), Q(3), True, False)}
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    return Case(params=params, bounds=bounds)


def _exit_margin(c: Case, B: Backend) -> Number:
    """min over the four equally likely realizations of (sup_k |theta_k - theta0| - r): > 0 iff every
    realization exits B(theta0, r) (the stated 'almost surely')."""
    m, t0, r = c.params["m"], c.params["theta0"], c.params["r"]
    return B.num(min(sup_distance(t0, m, s0, s) for s0 in (1, -1) for s in (1, -1)) - r)


def _exact_illustration(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """The exact iteration against the closed form, with the four paths as a figure."""
    ok, why = exact_trajectory_check()
    # the four realizations' paths theta_k - theta0, from the closed form just checked exactly
    m, t0 = Q(1, 10), Q(1, 10)
    series = [
        {"label": f"s0 = {s0:+d}, s = {s:+d}", "y": [float(t0 - t0)] + [float(-m * s / 2 + m * (s - s0) * Q(1, (k + 1) * (k + 2)) - t0) for k in range(120)]}
        for s0 in (1, -1)
        for s in (1, -1)
    ]
    figure = {"kind": "lines", "series": series, "xlabel": "k", "ylabel": "theta_k - theta_0 (the ball has radius r = 1)"}
    return ok, why, {"figure": figure}


@st.composite
def _z_cases(draw: st.DrawFn) -> Case:
    """Z_0, Z_1 in [-2, 2]^2, eta_0 in (0, 1] and S = sum_{k>=1} eta_k |Z_k| in (0, 5] for (4.16)."""
    pts = {name: tuple(draw(values_in(Bound(Q(-2), Q(2), False, False), resolution=40)) for _ in range(2)) for name in ("Z0", "Z1")}
    bounds = {"eta0": Bound(Q(0), Q(1), True, False), "S": Bound(Q(0), Q(5), True, False)}
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    return Case(params=params, points=pts, bounds=bounds)


def _sum_vector(c: Case, B: Backend) -> list[Number]:
    """eta_0 Z_0 + S Z_1/|Z_1|: sum_{k=0}^n eta_k O_k Z_k with S = sum_{k>=1} eta_k |Z_k|."""
    z0, z1 = c.x(B, "Z0"), c.x(B, "Z1")
    u = B.scale(B.num(1) / B.norm(z1), z1)
    return B.add(B.scale(c.p(B, "eta0"), z0), B.scale(c.p(B, "S"), u))


def _nonzero_z1(c: Case) -> bool:
    """Z_1 != 0 (its direction is where the O_k rotate to)."""
    return any(v != 0 for v in c.points["Z1"])


# (4.15): theta_{k+1} - theta_k = -eta_k grad F(theta_k) - eta_k O_k Z_k, so the printed
# |sum (theta_{k+1} - theta_k - eta_k grad F)| = |sum eta_k O_k Z_k| needs "+ eta_k grad F".


sign_stated = ExactCases(
    "(4.16) first equality as printed: |sum (theta_{k+1} - theta_k - eta_k grad F(theta_k))| = |sum eta_k O_k Z_k| (F = theta^2, exact)",
    sign_cases, lambda c, B: B.num(-abs(c["lhs (printed sign)"] - c["|sum eta_k O_k Z_k|"])),
    expect=Expect.REFUTED,
    statement=r"\Big|\sum_{k=0}^n\big(\theta_{k+1}-\theta_k-\eta_k\nabla F(\theta_k)\big)\Big|=\Big|\sum_{k=0}^n\eta_kO_kZ_k\Big|",
    note=(r"Exact rational runs of (4.15) for $F=\theta^2$, $\gamma=1$, $n_0=2$, $q=1$, $Z_k=\pm\bar m$, $n\le3$; the margin is $-|\text{lhs}-\text{rhs}|$. "
          r"Counterexample $\theta_0=1$, $Z_0=1$, $n=0$: $\theta_1=-\tfrac12$, lhs $=|-\tfrac32-1|=\tfrac52$, rhs $=\tfrac12$. "
          r"By (4.15) $\theta_{k+1}-\theta_k-\eta_k\nabla F=-2\eta_k\nabla F-\eta_kO_kZ_k$."),
)
_tk, _ek, _gk, _wk = sp.symbols("theta_k eta_k g_k w_k", real=True)
sign_corrected_identity = Identity(
    "(4.16) first equality with + eta_k grad F: each summand is -eta_k O_k Z_k (every F, d, n)",
    (_tk - _ek * (_gk + _wk)) - _tk + _ek * _gk,
    -_ek * _wk,
    statement=r"\theta_{k+1}-\theta_k+\eta_k\nabla F(\theta_k)=-\eta_kO_kZ_k\ \Rightarrow\ \Big|\sum_{k=0}^n\big(\theta_{k+1}-\theta_k+\eta_k\nabla F(\theta_k)\big)\Big|=\Big|\sum_{k=0}^n\eta_kO_kZ_k\Big|",
    note=(r"$\theta_{k+1}=\theta_k-\eta_k(g_k+w_k)$ with $g_k=\nabla F(\theta_k)$, $w_k=O_kZ_k$ (coordinatewise, so every dimension). "
          r"The summands agree term by term, so the sums agree for every $n$, and so do their norms."),
)
sign_corrected_exact = ExactCases(
    "(4.16) first equality with + eta_k grad F on the same exact runs (F = theta^2)",
    sign_cases, lambda c, B: B.num(-abs(c["lhs (+ sign)"] - c["|sum eta_k O_k Z_k|"])),
    statement=r"\Big|\sum_{k=0}^n\big(\theta_{k+1}-\theta_k+\eta_k\nabla F(\theta_k)\big)\Big|=\Big|\sum_{k=0}^n\eta_kO_kZ_k\Big|",
    note="A cross-check of the identity on the runs that refute the printed sign.",
)


@st.composite
def _triangle_cases(draw: st.DrawFn) -> Case:
    """Steps d_k and gradient terms g_k in [-2, 2]^2, k = 0, 1, 2, for the triangle inequality (4.20)."""
    b = Bound(Q(-2), Q(2), False, False)
    pts = {f"{w}{k}": tuple(draw(values_in(b, resolution=40)) for _ in range(2)) for w in ("d", "g") for k in range(3)}
    return Case(params={}, points=pts)


def _triangle_margin(sign: int) -> Any:
    """|sum d_k| + sum |g_k| - |sum (d_k + sign g_k)| for steps d_k = theta_{k+1} - theta_k and g_k = eta_k grad F(theta_k) in R^2."""

    def margin(c: Case, B: Backend) -> Number:
        d = [c.x(B, f"d{k}") for k in range(3)]
        g = [c.x(B, f"g{k}") for k in range(3)]
        sd, sdg = d[0], B.add(d[0], B.scale(B.num(sign), g[0]))
        for k in (1, 2):
            sd = B.add(sd, d[k])
            sdg = B.add(sdg, B.add(d[k], B.scale(B.num(sign), g[k])))
        total = B.norm(sd)
        for k in range(3):
            total = total + B.norm(g[k])
        return total - B.norm(sdg)

    return margin


tri_420 = Claim(
    "(4.20) as printed: |sum (theta_{k+1} - theta_k - eta_k grad F)| <= |sum (theta_{k+1} - theta_k)| + sum eta_k |grad F| (d = 2, n = 2)",
    cases=_triangle_cases(), margin=_triangle_margin(-1),
    statement=r"\Big|\sum_{k=0}^n\big(\theta_{k+1}-\theta_k-\eta_k\nabla F(\theta_k)\big)\Big|\le\Big|\sum_{k=0}^n(\theta_{k+1}-\theta_k)\Big|+\sum_{k=0}^n\eta_k|\nabla F(\theta_k)|",
    note=r"The triangle inequality, for arbitrary steps and gradients in $\mathbb R^2$ ($n=2$); it holds with either sign of $\eta_k\nabla F$, so (4.20) is unaffected by the slip in (4.16).",
)
tri_420_plus = Claim(
    "(4.20) with + eta_k grad F (as the corrected (4.16) needs): the same triangle inequality (d = 2, n = 2)",
    cases=_triangle_cases(), margin=_triangle_margin(1),
    statement=r"\Big|\sum_{k=0}^n\big(\theta_{k+1}-\theta_k+\eta_k\nabla F(\theta_k)\big)\Big|\le\Big|\sum_{k=0}^n(\theta_{k+1}-\theta_k)\Big|+\sum_{k=0}^n\eta_k|\nabla F(\theta_k)|",
)
tri_420_exact = ExactCases(
    "(4.20) on the exact runs (F = theta^2), both signs",
    sign_cases,
    lambda c, B: B.num(min(c["|sum steps|"] + c["sum eta_k |grad F|"] - c["lhs (printed sign)"], c["|sum steps|"] + c["sum eta_k |grad F|"] - c["lhs (+ sign)"])),
    statement=r"\Big|\sum_{k=0}^n\big(\theta_{k+1}-\theta_k\mp\eta_k\nabla F(\theta_k)\big)\Big|\le\Big|\sum_{k=0}^n(\theta_{k+1}-\theta_k)\Big|+\sum_{k=0}^n\eta_k|\nabla F(\theta_k)|",
)

_q = sp.Symbol("q", positive=True)
_g, _al, _C, _nn, _ct, _kr = sp.symbols("gamma alpha C_L n_0 c k", positive=True)


@st.composite
def _power_cases(draw: st.DrawFn) -> Case:
    """q in (1/2, 1] and t = k + n_0 in [1, 200] for the first inequality of (4.16)."""
    bounds = {"q": Bound(Q(1, 2), Q(1), True, False), "t": Bound(Q(1), Q(200), False, False)}
    return Case(params={k: draw(values_in(b)) for k, b in bounds.items()}, bounds=bounds)


def _flat_derivative() -> sp.Expr:
    """d/dtheta_3 of F = (1/2) sum_i (a_i . theta - y_i)^2 for generic data, with LS_FLAT's data substituted, all
    unevaluated: the check differentiates and substitutes, so a nonzero third column of A would refute it."""
    t = sp.symbols("t1:4")
    a = sp.symbols("a1:3_1:4")
    y = sp.symbols("y1:3")
    rows = [a[0:3], a[3:6]]
    F = sum(((sum((ai * ti for ai, ti in zip(row, t, strict=True)), sp.Integer(0)) - yi) ** 2 for row, yi in zip(rows, y, strict=True)), sp.Integer(0)) / 2
    values = [sp.Rational(v.numerator, v.denominator) for row in LS_FLAT.A for v in row] + [sp.Rational(v.numerator, v.denominator) for v in LS_FLAT.y]
    return sp.Subs(sp.Derivative(F, t[2]), (*a, *y), tuple(values))


register(
    Entry(
        id="sgdloj.bounded-noise-escape",
        title="Theorem 4.4: with bounded rotated noise and Robbins-Monro steps the iterates leave the ball",
        where="Section 4, Theorem 4.4 and its proof (4.15)-(4.21)",
        statement=(
            r"Consider $\theta_{k+1}=\theta_k-\eta_k(\nabla F(\theta_k)+O_kZ_k)$ (4.15), where $\eta_k=\frac\gamma{(k+n_0)^q}$, $1/2<q\le1$, "
            r"$n_0\ge(\frac{2C_L^2\gamma}\alpha)^{1/q}$ and $\gamma>2/\alpha$. Assume $Z_k\in\mathbb R^d$ i.i.d. with $E[Z_k]=0$, $E[|Z_k|]=\bar m>0$, "
            r"$E[|Z_k|^2]\le c^2$; $O_k$ orthogonal matrices which rotate $Z_k$ to the direction of $Z_1$, $O_0=I$. Then, given a radius $r>0$ such that "
            r"(2.2) holds, $\{\theta_k\}$ will exit the ball $B(\theta_0,r)$ almost surely. Proof: $|\sum_{k=0}^n(\theta_{k+1}-\theta_k-\eta_k\nabla F(\theta_k))|"
            r"=|\sum_{k=0}^n\eta_kO_kZ_k|=\sum_{k=0}^n\eta_k|Z_k|\ge\sum_{k=0}^n\frac{\gamma}{k+n_0}|Z_k|\ge\tilde c\sum_{k=1}^n\frac1k|Z_k|$ (4.16), "
            r"$\tilde c\in(0,\frac\gamma{n_0+1})$; $\sum_{k=1}^n\frac1k|Z_k|\to\infty$ a.s. (4.17) by the Ces\`aro identity "
            r"$\frac1n\sum_{j=1}^n\sum_{k=1}^j\frac1k|Z_k|=\frac1n\sum_{k=1}^n\frac{n+1-k}k|Z_k|=\sum_{k=1}^n\frac1k|Z_k|+\frac1n\sum_{k=1}^n\frac1k|Z_k|-\frac1n\sum_{k=1}^n|Z_k|$ (4.19); "
            r"$|\sum_{k=0}^n(\theta_{k+1}-\theta_k-\eta_k\nabla F(\theta_k))|\le|\sum_{k=0}^n(\theta_{k+1}-\theta_k)|+\sum_{k=0}^n\eta_k|\nabla F(\theta_k)|$ (4.20); "
            r"by (4.5), $\lim_n\sum_{k=1}^n\eta_k|\nabla F(\theta_k)|\le\lim_n\sum_{k=1}^n\frac{\gamma\sqrt{2C_L}}{(k+n_0)^q}\sqrt{F(\theta_k)}<\infty$ a.s. (4.21)."
        ),
        hypotheses=[r"(2.2) on $B(\theta_0,r)$", r"(2.3), (2.4)", r"$1/2<q\le1$, $\gamma>2/\alpha$, $n_0\ge(2C_L^2\gamma/\alpha)^{1/q}$"],
        checks=[
            Claim(
                "Theorem 4.4 as stated, F(theta) = theta^2 in d = 1: every realization exits B(theta0, r)",
                cases=_counterexample_cases(),
                margin=_exit_margin,
                strict=True,
                where=lambda c: c.params["r"] > abs(c.params["theta0"]),
                expect=Expect.REFUTED,
                statement=r"\min_{\text{realizations}}\ \sup_k|\theta_k-\theta_0|-r>0\quad(F=\theta^2,\ \gamma=1,\ q=1,\ n_0=2,\ Z_k=\pm\bar m)",
                note=(
                    r"$F(\theta)=\theta^2$: $\alpha(\theta_0,r)=4$, $C_L=2$, $\gamma=1>2/\alpha$, $n_0=2=(2C_L^2\gamma/\alpha)^{1/q}$; (2.2) is $r>|\theta_0|$ (the where-clause). "
                    r"$Z_k=\pm\bar m$ with probability 1/2: $E Z_k=0$, $E|Z_k|=\bar m$, $E|Z_k|^2=\bar m^2$; $O_k=\mathrm{sign}(Z_k)\mathrm{sign}(Z_1)$. "
                    r"The four realizations of $(\mathrm{sign}Z_0,\mathrm{sign}Z_1)$ have probability 1/4 each and determine the whole path; "
                    r"$\sup_k|\theta_k-\theta_0|=\max(|\theta_1-\theta_0|,|\bar m s/2+\theta_0|)$ exactly, from the closed form proved below."
                ),
            ),
            step_identity,
            product_identity,
            first_step_identity,
            Illustration("the closed form matches the exact iteration for 400 steps (m = theta0 = 1/10, r = 1)", _exact_illustration,
                         shows="Exact rational iteration of (4.15) in the four realizations agrees with theta_k = -m s/2 + m(s - s0)/(k(k+1)) and never leaves B(1/10, 1).",
                         does_not_show="Anything beyond 400 steps by itself; the infinite-horizon statement rests on the symbolic identities."),
            Illustration("strongly convex LS2 with small rotated noise: no run leaves the ball", convex_stays,
                         shows="The 1-D counterexample is not an artefact of dimension one: with F = LS2 the drift m u is balanced by the gradient and the iterates settle at theta* - m H^{-1} u, inside B(theta0, 1/2).",
                         does_not_show="A proof for LS2 (the exact counterexample is the 1-D one)."),
            Claim(
                "(4.16) equality |sum eta_k O_k Z_k| = sum eta_k |Z_k| including k = 0 (O_0 = I)",
                cases=_z_cases(),
                lhs=lambda c, B: B.norm(_sum_vector(c, B)),
                rel="==",
                rhs=lambda c, B: c.p(B, "eta0") * B.norm(c.x(B, "Z0")) + c.p(B, "S"),
                where=_nonzero_z1,
                expect=Expect.REFUTED,
                statement=r"\Big|\eta_0Z_0+\Big(\sum_{k\ge1}\eta_k|Z_k|\Big)\tfrac{Z_1}{|Z_1|}\Big|=\eta_0|Z_0|+\sum_{k\ge1}\eta_k|Z_k|",
                note="For $k\\ge1$ the $O_kZ_k$ are aligned with $Z_1$; $O_0Z_0=Z_0$ is not, and equality needs $Z_0$ to point along $Z_1$.",
            ),
            sign_stated,
            tri_420,
            tri_420_exact,
            Derivation(
                "(4.16) inequality chain",
                start=r"\sum_{k=0}^n\frac{\gamma}{(k+n_0)^q}|Z_k|",
                steps=[
                    Step(">=", r"\sum_{k=0}^n\frac{\gamma}{k+n_0}|Z_k|", r"$q\le1$ and $k+n_0\ge1$",
                         check=NotationClaim("t^q <= t for t >= 1, q in (1/2, 1]", "t^q <= t", points=(), params=("t", "q"), cases=_power_cases(),
                                                   domain=r"(t=k+n_0\ge1,\ \tfrac12<q\le1)")),
                    Step(">=", r"\tilde c\sum_{k=1}^n\frac1k|Z_k|", r"drop $k=0$; $\frac{\gamma}{k+n_0}\ge\frac{\tilde c}k$ for $k\ge1$ when $\tilde c<\frac\gamma{n_0+1}$",
                         check=Implication("gamma/(k+n0) >= c~/k", hypotheses=[_kr >= 1, _ct < _g / (_nn + 1)], conclusion=_g / (_kr + _nn) >= _ct / _kr,
                                           statement=r"k\ge1,\ 0<\tilde c<\tfrac{\gamma}{n_0+1}\implies\tfrac{\gamma}{k+n_0}\ge\tfrac{\tilde c}{k}")),
                ],
            ),
            Implication("n0 >= (2 C_L^2 gamma/alpha)^{1/q} > 1, so k + n0 >= 1", hypotheses=[_g * _al > 2, _al <= 2 * _C], conclusion=2 * _C**2 * _g / _al > 1,
                        statement=r"\gamma>\tfrac2\alpha,\ \alpha\le2C_L\implies\tfrac{2C_L^2\gamma}{\alpha}>1",
                        note=r"$\alpha\le|\nabla F|^2/F\le2C_L$ by (2.4)."),
            Identity("(4.19) first equality, n = 1..10", *weighted_sums_n_1_to_10(1),
                     statement=r"\frac1n\sum_{j=1}^n\sum_{k=1}^j\frac{a_k}k=\frac1n\sum_{k=1}^n\frac{n+1-k}ka_k,\quad n=1,\dots,10"),
            Identity("(4.19) second equality, n = 1..10", *weighted_sums_n_1_to_10(2),
                     statement=r"\frac1n\sum_{k=1}^n\frac{n+1-k}ka_k=\sum_{k=1}^n\frac{a_k}k+\frac1n\sum_{k=1}^n\frac{a_k}k-\frac1n\sum_{k=1}^na_k,\quad n=1,\dots,10"),
            base_case,
            induction_step(),
            Identity("(4.19) second equality for symbolic n", R_sum(N_SYM) / N_SYM, T_sum(N_SYM) + T_sum(N_SYM) / N_SYM - sp.Sum(A_SEQ[K_IDX], (K_IDX, 1, N_SYM)) / N_SYM,
                     statement=r"\frac1n\sum_{k=1}^n\frac{n+1-k}ka_k=\sum_{k=1}^n\frac{a_k}k+\frac1n\sum_{k=1}^n\frac{a_k}k-\frac1n\sum_{k=1}^na_k"),
            Illustration("(4.17): sum_{k<=n} |Z_k|/k grows like E|Z| log n", drift_growth,
                         shows="Along every simulated sequence of |Z_k| (half-normal) the partial sums increase without bound at the rate E|Z| log n, as (4.17) says.",
                         does_not_show="Almost sure divergence itself (that is the Cesaro argument, checked symbolically)."),
            Implication("(4.21) comparison series: 1/2 < q <= 1 gives 3q/2 > 1", hypotheses=[_q > sp.Rational(1, 2), _q <= 1], conclusion=3 * _q / 2 > 1,
                        expect=Expect.REFUTED, role="necessity",
                        statement=r"\tfrac12<q\le1\implies\tfrac{3q}2>1",
                        note=(r"With $E F(\theta_k)=O(k^{-q})$ from (4.5), $E\sum_k\eta_k|\nabla F(\theta_k)|\le\gamma\sqrt{2C_L}\sum_k(k+n_0)^{-q}\sqrt{E F(\theta_k)}=O(\sum_kk^{-3q/2})$, "
                              r"finite iff $q>2/3$: for $q\in(1/2,2/3]$ the bound diverges and (4.21) does not follow from (4.5). A gap in the argument, not by itself a counterexample.")),
            Implication("(4.21) comparison series converges for q > 2/3", hypotheses=[_q > sp.Rational(2, 3), _q <= 1], conclusion=3 * _q / 2 > 1,
                        statement=r"q>\tfrac23\implies\tfrac{3q}2>1"),
        ],
        corrected=[
            sign_corrected_identity,
            sign_corrected_exact,
            tri_420_plus,
            Claim(
                "(4.16) corrected: |sum eta_k O_k Z_k| >= sum eta_k |Z_k| - 2 eta_0 |Z_0|",
                cases=_z_cases(),
                lhs=lambda c, B: B.norm(_sum_vector(c, B)),
                rel=">=",
                rhs=lambda c, B: c.p(B, "S") - c.p(B, "eta0") * B.norm(c.x(B, "Z0")),
                where=_nonzero_z1,
                statement=r"\Big|\sum_{k=0}^n\eta_kO_kZ_k\Big|\ge\sum_{k=1}^n\eta_k|Z_k|-\eta_0|Z_0|=\sum_{k=0}^n\eta_k|Z_k|-2\eta_0|Z_0|",
                note="Triangle inequality; the right side still tends to infinity with (4.17), so the rest of the proof is unaffected by this slip.",
            ),
            Identity("flat direction: dF/dtheta_3 = 0 for p = 3 > n = 2 least squares (LS_FLAT)",
                     _flat_derivative(),
                     sp.Integer(0), statement=r"\partial_{\theta_3}F\equiv0\ \Rightarrow\ (\theta_{n+1}-\theta_0)\cdot e_3=-\eta_0Z_0\cdot e_3-\Big(\sum_{k=1}^n\eta_k|Z_k|\Big)u_3\to\mp\infty\ \text{if }u_3\ne0",
                     note="Along a direction where $F$ is flat the gradient does not act, and the aligned noise accumulates: $\\sum\\eta_k|Z_k|=\\infty$ a.s. by (4.16)-(4.17); $u_3\\ne0$ a.s. for Gaussian $Z_1$."),
            MonteCarlo("corrected Theorem 4.4 on LS_FLAT (flat direction), q = 1: P(exit B(theta0, 1/2) within 5000 steps) >= 0.9", flat_exit_simulation(1.0, 5000), rel=">=", bound=0.9, samples=600, delta=1e-3,
                       statement=r"P\big(\exists k\le5000:\ |\theta_k-\theta_0|>\tfrac12\big)\ge0.9,\quad F=\tfrac12|A\theta-y|^2,\ A\in\mathbb Q^{2\times3},\ q=1,\ \gamma=1,\ n_0=32",
                       note=r"$Z_k\sim N(0,4I_3)$ (bounded moments), $\theta_0=(51/50,1,0)$, (2.2) holds for $r=1/2$ ($4F(\theta_0)=0.0064<r^2\alpha=1$)."),
            MonteCarlo("corrected Theorem 4.4 on LS_FLAT (flat direction), q = 3/5: P(exit B(theta0, 1/2) within 3000 steps) >= 0.9", flat_exit_simulation(0.6, 3000), rel=">=", bound=0.9, samples=600, delta=1e-3,
                       statement=r"P\big(\exists k\le3000:\ |\theta_k-\theta_0|>\tfrac12\big)\ge0.9,\quad q=\tfrac35,\ \gamma=1,\ n_0=\lceil32^{5/3}\rceil"),
        ],
        status=Status.ERRATUM,
        reading=(
            r"Read universally: for every $F$, $\theta_0$, $r$ with the section's assumptions the iterates exit a.s. This fails (exact counterexample, $F=\theta^2$): "
            r"the rotated noise $O_kZ_k=|Z_k|Z_1/|Z_1|$ is conditionally biased (its mean given $Z_1$ is $\bar m Z_1/|Z_1|\ne0$, contrary to (2.7)), so Lemma 4.2 and (4.21) "
            r"do not apply: the iterates converge to the zero of $\nabla F+\bar m u$, not of $\nabla F$, and $\sum\eta_k|\nabla F(\theta_k)|=\infty$. Corrected statement: if "
            r"$F$ is flat along a direction $v$ ($\nabla F\cdot v\equiv0$, as for over-parameterised least squares or the flat minima of Appendix A) and $u\cdot v\neq0$ a.s., "
            r"the iterates exit a.s.; under the existential reading ('bounded noise cannot guarantee confinement') this instance is the example. "
            r"Further slips in the proof: the first equality of (4.16) prints $\theta_{k+1}-\theta_k-\eta_k\nabla F(\theta_k)$, which by (4.15) equals $-2\eta_k\nabla F(\theta_k)-\eta_kO_kZ_k$; "
            r"it must read $+\eta_k\nabla F(\theta_k)$ (exact counterexample $F=\theta^2$, $\theta_0=1$, $Z_0=1$, $n=0$: $\frac52\ne\frac12$). (4.20) is the triangle inequality and holds with either sign. "
            r"The second equality in (4.16) fails for the $k=0$ term ($O_0=I$); (4.21) follows from (4.5) only for $q>2/3$."
        ),
    )
)
