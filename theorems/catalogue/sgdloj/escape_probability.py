"""sgdloj.escape-probability: Section 3, proof of Theorem 3.1, (3.14)-(3.20).

The two ways to leave B(theta_0, R - 1) (a long step (3.14), entering the annulus (3.15)), their sum
(3.17)-(3.18), the total (3.19) and the choice of epsilon (3.20). Errata: (3.14) inherits F(theta_0)
for sqrt(F(theta_0)) from (3.10), and (3.19) sums (3.18) with the index shifted by one."""

from __future__ import annotations

import math
from fractions import Fraction as Q
from typing import Any

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from symbolic import Bound, Case, Claim, Derivation, Expect, Implication, MonteCarlo, Step
from symbolic.backends import Backend, Number
from symbolic.exact_cases import ExactCases
from symbolic.lazy_identity import LazyIdentity
from theorems.cases import values_in
from theorems.catalogue.sgdloj._ls2 import (
    K_CONST,
    T31_ETA,
    T31_F0,
    T31_M0,
    T31_R,
    T31_RHO,
    T31_STEPS,
    T31_THETA0,
    corrected_step_margin,
    decay_cases,
    delta_corrected,
    ls2_cases,
    ls2_F,
    ls2_mean_step,
)
from theorems.catalogue.sgdloj._series import geometric_sum
from theorems.registry import Entry, Status, register
from theorems.sgd_models import LS2, in_ball, run_sgd

_s = sp.Symbol("s", positive=True)  # sqrt(rho)
_i = sp.Symbol("i", integer=True, nonnegative=True)


@st.composite
def _finite_laws(draw: st.DrawFn) -> Case:
    """A nonnegative random variable with 3 atoms and a threshold t > 0 (for Markov's inequality)."""
    xs = [draw(values_in(Bound(Q(0), Q(3), False, False), resolution=60)) for _ in range(3)]
    ws = [draw(values_in(Bound(Q(0), Q(1), True, False), resolution=60)) for _ in range(3)]
    t = draw(values_in(Bound(Q(0), Q(3), True, False), resolution=60))
    return Case(params={"x1": xs[0], "x2": xs[1], "x3": xs[2], "w1": ws[0], "w2": ws[1], "w3": ws[2], "t": t})


def _markov_margin(c: Case, B: Backend) -> Number:
    """t E X - t P(X >= t) >= 0 ... written as E X / t - P(X >= t) with exact weights."""
    W = c.params["w1"] + c.params["w2"] + c.params["w3"]
    t = c.params["t"]
    EX = sum((c.params[f"w{i}"] * c.params[f"x{i}"] for i in (1, 2, 3)), Q(0)) / W
    tail = sum((c.params[f"w{i}"] for i in (1, 2, 3) if c.params[f"x{i}"] >= t), Q(0)) / W
    return B.num(EX / t - tail)


def _markov_claim(name: str) -> Claim:
    """Markov's inequality P(X >= t) <= E X / t, as used in (3.14) and (3.15)."""
    return Claim(
        name, cases=_finite_laws(), margin=_markov_margin,
        statement=r"X\ge0\implies P(X\ge t)\le E[X]/t",
        note="Markov's inequality on random three-atom laws (exact rationals); the paper uses it with $t=1$ in (3.14) and $t=M_0$ in (3.15).",
    )


_a0, _d1, _c1, _Rr, _M0, _Fv = sp.symbols("a d c R M_0 F_v", nonnegative=True)

_union = Implication(
    "tilde E_{k+1} splits into 'leaves B(theta0, R)' and 'enters the annulus'",
    hypotheses=[_d1 > _Rr - 1, _Rr > 1],
    conclusion=sp.Or(_d1 > _Rr, sp.And(_d1 <= _Rr, _d1 > _Rr - 1)),
    statement=r"|\theta_{k+1}-\theta_0|>R-1\implies|\theta_{k+1}-\theta_0|>R\ \vee\ R-1<|\theta_{k+1}-\theta_0|\le R",
)
_triangle = Implication(
    "leaving B(theta0, R) from B(theta0, R-1) takes a step of length >= 1",
    hypotheses=[_a0 <= _Rr - 1, _d1 > _Rr, _d1 <= _a0 + _c1],
    conclusion=_c1 >= 1,
    statement=r"|\theta_k-\theta_0|\le R-1,\ |\theta_{k+1}-\theta_0|>R,\ |\theta_{k+1}-\theta_0|\le|\theta_k-\theta_0|+|\theta_{k+1}-\theta_k|\implies|\theta_{k+1}-\theta_k|\ge1",
)
_annulus = Implication(
    "entering the annulus from B(theta0, R-1): F(theta_{k+1}) 1_{E_{k+1}(R)} >= M0 by (2.5)",
    hypotheses=[_a0 <= _Rr - 1, _d1 <= _Rr, _d1 > _Rr - 1, _Fv >= _M0],
    conclusion=sp.And(_a0 <= _Rr, _d1 <= _Rr, _Fv >= _M0),
    statement=r"|\theta_j-\theta_0|\le R-1\ (j\le k),\ R-1<|\theta_{k+1}-\theta_0|\le R,\ F\ge M_0\text{ there}\implies 1_{E_{k+1}(R)}=1,\ F(\theta_{k+1})\ge M_0",
)


def _stated_k0_claim(name: str) -> Claim:
    """(3.10) as stated, at k = 0, as (3.14) uses it."""
    return Claim(
        name, cases=ls2_cases(),
        lhs=lambda c, B: ls2_mean_step(B, c.x(B, "theta0"), c.p(B, "eta")), rel="<=",
        rhs=lambda c, B: B.num(K_CONST) * c.p(B, "eta") * ls2_F(B, c.x(B, "theta0")),
        expect=Expect.REFUTED,
        statement=r"E[|\theta_1-\theta_0|1_{E_0}]\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^0F(\theta_0)",
        note="(3.10) as stated, at k = 0 (see sgdloj.travel-distance).",
    )


def _escape_cases() -> list[dict[str, Any]]:
    """The enumerated LS2 runs for k <= 4."""
    return [c for c in decay_cases() if c["k"] <= 4]


def _disjoint_union_margin(c: dict[str, Any], B: Backend) -> Number:
    """-|P(E_k^c) - sum_{i=1}^k P(E_{i-1} minus E_i)| (exact; 0 iff the identity holds)."""
    k = c["k"]
    paths = c["paths"]
    w = Q(1, len(paths))
    first_exit = [next((j for j in range(k + 1) if not in_ball(p[j], c["theta0"], c["r"])), None) for p in paths]
    p_out = sum((w for f in first_exit if f is not None), Q(0))
    parts = sum((sum((w for f in first_exit if f == i), Q(0)) for i in range(1, k + 1)), Q(0))
    return B.num(-abs(p_out - parts))


@st.composite
def _sum_cases(draw: st.DrawFn) -> Case:
    """rho in (0, 1), K eta in (0, 1], M_0 in (0, 10], F_0 in (0, 1], 1 <= k <= 400 for the corrected (3.19)."""
    bounds = {
        "rho": Bound(Q(0), Q(1), True, True),
        "Keta": Bound(Q(0), Q(1), True, False),
        "M0": Bound(Q(0), Q(10), True, False),
        "F0": Bound(Q(0), Q(1), True, False),
    }
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    params["k"] = Q(draw(st.integers(1, 400)))
    return Case(params=params, bounds=bounds)


def _partial_sums_of_318(c: Case, B: Backend, corrected: bool) -> Number:
    """sum_{i=1}^k [ c1 rho^{(i-1)/2} + F0 rho^i / M0 ], c1 = K eta F0 (stated) or K eta sqrt(F0) (corrected)."""
    k = int(c.params["k"])
    rho, keta = _rho_keta(c, B)
    s = B.sqrt(rho)
    F0 = c.p(B, "F0")
    c1 = keta * (B.sqrt(F0) if corrected else F0)
    geo_s = (B.num(1) - B.ipow(s, k)) / (B.num(1) - s)
    geo_r = rho * (B.num(1) - B.ipow(rho, k)) / (B.num(1) - rho)
    return c1 * geo_s + F0 * geo_r / c.p(B, "M0")


def _stated_319_bound(c: Case, B: Backend) -> Number:
    """The right side of (3.19) as stated: F_0 (K eta sqrt(rho)/(1 - sqrt(rho)) + rho^2/(M_0 (1 - rho)))."""
    rho, keta = _rho_keta(c, B)
    s = B.sqrt(rho)
    return c.p(B, "F0") * (keta * s / (B.num(1) - s) + rho * rho / (c.p(B, "M0") * (B.num(1) - rho)))


def _corrected_319_bound(c: Case, B: Backend) -> Number:
    """The corrected (3.19): K eta sqrt(F_0)/(1 - sqrt(rho)) + F_0 rho/(M_0 (1 - rho))."""
    rho, keta = _rho_keta(c, B)
    s = B.sqrt(rho)
    F0 = c.p(B, "F0")
    return keta * B.sqrt(F0) / (B.num(1) - s) + F0 * rho / (c.p(B, "M0") * (B.num(1) - rho))


_rho_s = sp.Symbol("rho", positive=True)
_A1, _B1, _dl, _ee = sp.symbols("a b delta e", positive=True)


@st.composite
def _feasible_sum_cases(draw: st.DrawFn) -> Case:
    """Instances the paper's step rule allows: a = sqrt(2 C_L), s = sqrt(sigma) (so K = a + s is rational), alpha = u a^2 <= 2 C_L
    (a consequence of (2.4)), eta = t min{1/alpha, alpha/(4 C_L (2 C_L + sigma))}; rho and K eta are derived, so rho > 1/2
    (eta alpha < 1/2) and rho is tied to K eta as in the paper. M0 > 0, F0 in (0, 1), 1 <= k <= 3000."""
    bounds = {
        "a": Bound(Q(0), Q(8), True, False),
        "s": Bound(Q(0), Q(8), True, False),
        "u": Bound(Q(0), Q(1), True, False),
        "t": Bound(Q(0), Q(1), True, False),
        "M0": Bound(Q(0), Q(10), True, False),
        "F0": Bound(Q(0), Q(1), True, True),
    }
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    params["k"] = Q(draw(st.integers(1, 3000)))
    return Case(params=params, bounds=bounds)


def _rho_keta(c: Case, B: Backend) -> tuple[Number, Number]:
    """(rho, K eta): given directly (params rho, Keta) or derived from the feasible primitives (a, s, u, t)."""
    if "rho" in c.params:
        return c.p(B, "rho"), c.p(B, "Keta")
    a, s = c.p(B, "a"), c.p(B, "s")
    CL, sigma = a * a / B.num(2), s * s
    alpha = c.p(B, "u") * a * a
    eta = c.p(B, "t") * B.min(B.num(1) / alpha, alpha / (B.num(4) * CL * (B.num(2) * CL + sigma)))
    return B.num(1) - eta * alpha + eta * eta * CL * (B.num(2) * CL + sigma) / B.num(2), (a + s) * eta


def _rho_feasible_margin(c: Case, B: Backend) -> Number:
    """min(rho - 1/2, 1 - rho) > 0 on the feasible draws."""
    rho, _ = _rho_keta(c, B)
    return B.min(rho - B.num(Q(1, 2)), B.num(1) - rho)


_LS2_319_K = (1, 100, 431, 432)  # the stated (3.19) partial sum first exceeds its bound at k = 432 for the LS2 constants


def _ls2_319_cases() -> list[dict[str, Any]]:
    """The LS2 constants of the Theorem 3.1 instance at k in {1, 100, 431, 432}."""
    return [{"rho": T31_RHO, "Keta": K_CONST * T31_ETA, "M0": T31_M0, "F0": T31_F0, "k": Q(k)} for k in _LS2_319_K]


def _ls2_319_margin(c: dict[str, Any], B: Backend) -> Number:
    """The stated (3.19) bound minus the partial sum of the (3.18) bounds (exact in Arb)."""
    case = Case(params=c)
    return _stated_319_bound(case, B) - _partial_sums_of_318(case, B, corrected=False)


def _delta_stated(F0: float) -> float:
    """The stated (3.19) bound in the Theorem 3.1 instance, as a function of F(theta_0)."""
    s = math.sqrt(float(T31_RHO))
    r = float(T31_RHO)
    return F0 * (float(K_CONST * T31_ETA) * s / (1 - s) + r * r / (float(T31_M0) * (1 - r)))


def _sim_escape(rng: np.random.Generator, n: int) -> np.ndarray:
    """One run per sample of the Theorem 3.1 instance: did it leave B(theta_0, R - 1) within T31_STEPS steps?"""
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), T31_STEPS, n, float(T31_R - 1), rng)
    return ~P.inside[-1]


register(
    Entry(
        id="sgdloj.escape-probability",
        title="(3.14)-(3.20): the two escape bounds, their sum, and the choice of epsilon",
        where="Proof of Theorem 3.1, (3.14)-(3.20)",
        statement=(
            r"$P(E_k(R-1)\text{ occurs but }\theta_{k+1}\in B^c(\theta_0,R))\le P(|\theta_{k+1}-\theta_k|1_{E_k(R-1)}\ge1)\le E[|\theta_{k+1}-\theta_k|1_{E_k(R-1)}]"
            r"\le(\sqrt{2C_L}+\sqrt\sigma)\eta^*\rho^{k/2}F(\theta_0)$ (3.14); "
            r"$P(E_k(R-1)\text{ occurs but }\theta_{k+1}\in B(\theta_0,R)\setminus B(\theta_0,R-1))\le P(F(\theta_{k+1})1_{E_{k+1}(R)}\ge M_0)\le\frac{E[F(\theta_{k+1})1_{E_{k+1}(R)}]}{M_0}\le\frac{\rho^{k+1}F(\theta_0)}{M_0}$ (3.15); "
            r"$\tilde E_{k+1}(R-1):=E_k(R-1)\setminus E_{k+1}(R-1)$ (3.17), $P(\tilde E_{k+1}(R-1))\le F(\theta_0)\big((\sqrt{2C_L}+\sqrt\sigma)\eta^*\rho^{k/2}+\frac{\rho^{k+1}}{M_0}\big)$ (3.18); "
            r"$P(E_k^c(R-1))=\sum_{i=1}^kP(\tilde E_i(R-1))<F(\theta_0)\big((\sqrt{2C_L}+\sqrt\sigma)\frac{\eta^*\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\big)$ for any $k\in\mathbb N$ (3.19); "
            r"for every $0<\delta<1$ there exists $\varepsilon>0$ depending on $C_L,\sigma,\eta^*,\rho,M_0$ such that $F(\theta_0)\le\varepsilon$ implies $P(E_k(R-1))\ge1-\delta$ for all $k$ (3.20)."
        ),
        hypotheses=[r"(2.5) with $M_0>0$", r"(3.9), (3.10)"],
        checks=[
            Derivation(
                "(3.14)-(3.18) as written",
                expect=Expect.REFUTED,
                start=r"P(\tilde E_{k+1}(R-1))",
                steps=[
                    Step("<=", r"P(E_k(R-1),\ \theta_{k+1}\notin B(\theta_0,R))+P(E_k(R-1),\ \theta_{k+1}\in B(\theta_0,R)\setminus B(\theta_0,R-1))", r"union bound, (3.17)", check=_union, label="(3.18)"),
                    Step("<=", r"P(|\theta_{k+1}-\theta_k|1_{E_k(R-1)}\ge1)+P(F(\theta_{k+1})1_{E_{k+1}(R)}\ge M_0)", r"inclusion of events: triangle inequality and (2.5)", check=_triangle, label="(3.14)"),
                    Step("<=", r"E[|\theta_{k+1}-\theta_k|1_{E_k(R-1)}]+E[F(\theta_{k+1})1_{E_{k+1}(R)}]/M_0", r"Markov's inequality", check=_markov_claim("Markov's inequality (3.14)-(3.15)")),
                    Step("<=", r"F(\theta_0)\big((\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}+\rho^{k+1}/M_0\big)", r"(3.10) and (3.9)", check=_stated_k0_claim("(3.10) as used in (3.14), k = 0")),
                ],
            ),
            _annulus,
            ExactCases("E_k^c = disjoint union of tilde E_1..tilde E_k (LS2, exact over paths, k <= 4)", _escape_cases, _disjoint_union_margin,
                       statement=r"P(E_k^c(R-1))=\sum_{i=1}^kP(\tilde E_i(R-1))",
                       note="Exact over the $2^{k}$ sampling paths; $E_0$ is sure since $\\theta_0\\in B(\\theta_0,r)$. Includes tight radii where some paths leave."),
            Claim(
                "(3.19) stated: sum_{i=1}^k of the (3.18) bounds < F0 (K eta sqrt(rho)/(1-sqrt(rho)) + rho^2/(M0(1-rho)))",
                cases=_feasible_sum_cases(),
                lhs=lambda c, B: _partial_sums_of_318(c, B, corrected=False), rel="<", rhs=_stated_319_bound,
                expect=Expect.REFUTED,
                statement=r"\sum_{i=1}^kF_0\Big(K\eta\rho^{\frac{i-1}2}+\frac{\rho^{i}}{M_0}\Big)<F_0\Big(\frac{K\eta\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\Big)\quad\forall k",
                note=("$P(\\tilde E_i)$ is (3.18) with index $k+1=i$: the terms are $\\rho^{(i-1)/2}$ and $\\rho^{i}$, whose sums over $i\\ge1$ are $1/(1-\\sqrt\\rho)$ and $\\rho/(1-\\rho)$, not $\\sqrt\\rho/(1-\\sqrt\\rho)$ and $\\rho^2/(1-\\rho)$ (an index shift by one). "
                      r"Only feasible instances are drawn: $\\sqrt{2C_L},\\sqrt\\sigma\\in(0,8]$, $\\alpha\\le2C_L$, $\\eta$ by the step rule of Theorem 3.1, so $\\rho\\in(\\frac12,1)$ and $K\\eta$ is tied to $\\rho$; $1\\le k\\le3000$. "
                      r"The full sums exceed the bound by $F_0(K\\eta+\\rho/M_0)>0$, so every feasible instance fails for $k$ large."),
            ),
            ExactCases(
                "(3.19) stated at the LS2 constants of the Theorem 3.1 instance: rho = 505/512, K eta = 1/32, M0 = (99/50)^2 (exact, first exceeded at k = 432)",
                _ls2_319_cases, _ls2_319_margin, strict=True, expect=Expect.REFUTED,
                statement=r"\sum_{i=1}^{k}F_0\Big(K\eta\rho^{\frac{i-1}2}+\frac{\rho^{i}}{M_0}\Big)<F_0\Big(\frac{K\eta\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\Big),\quad k\in\{1,100,431,432\}",
                note=(r"LS2, $\theta_0=\theta^*+(1/50,0)$, $F_0=1/625$, $R=3$, $\eta=1/256$: $\rho=505/512$, $K\eta=(\sqrt{2C_L}+\sqrt\sigma)\eta=1/32$, $M_0=(99/50)^2$. "
                      r"Divided by $F_0$: the partial sum is $22.67438$ at $k=431$ and $22.67666$ at $k=432$, the bound $22.67482$ (Arb, 256 bits)."),
            ),
            Claim("the (3.19) search draws feasible instances only: rho in (1/2, 1)", cases=_feasible_sum_cases(), margin=_rho_feasible_margin, strict=True,
                  statement=r"\alpha\le2C_L,\ 0<\eta\le\min\{\tfrac1\alpha,\tfrac{\alpha}{4C_L(2C_L+\sigma)}\}\implies\tfrac12<\rho<1",
                  note=r"$\eta\alpha\le\frac{\alpha^2}{4C_L(2C_L+\sigma)}<\frac12$ when $\alpha\le2C_L$, so $\rho\ge1-\eta\alpha>\frac12$."),
            LazyIdentity("(3.19) stated: sum_{i>=1} rho^{(i-1)/2} = sqrt(rho)/(1 - sqrt(rho))", lambda: (geometric_sum(_s ** _i, 0), _s / (1 - _s)), expect=Expect.REFUTED,
                     statement=r"\sum_{i\ge1}\rho^{(i-1)/2}=\frac{\sqrt\rho}{1-\sqrt\rho}", note="$s=\\sqrt\\rho$."),
            LazyIdentity("(3.19) stated: sum_{i>=1} rho^i = rho^2/(1 - rho)", lambda: (geometric_sum(_rho_s ** (_i + 1), 0), _rho_s**2 / (1 - _rho_s)), expect=Expect.REFUTED,
                     statement=r"\sum_{i\ge1}\rho^{i}=\frac{\rho^2}{1-\rho}"),
            MonteCarlo("(3.19) stated bound in the Theorem 3.1 instance (2000 steps)", _sim_escape, rel="<=", bound=_delta_stated(float(T31_F0)), samples=2000, delta=1e-3,
                       statement=r"P(E_{2000}^c(R-1))\le F(\theta_0)\Big(\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\Big)",
                       note="The stated inequality holds in this instance although its derivation is broken: the bounds are far from tight here (no run leaves)."),
        ],
        corrected=[
            Derivation(
                "(3.14)-(3.18) corrected",
                start=r"P(\tilde E_{k+1}(R-1))",
                steps=[
                    Step("<=", r"E[|\theta_{k+1}-\theta_k|1_{E_k(R-1)}]+E[F(\theta_{k+1})1_{E_{k+1}(R)}]/M_0", r"union bound, inclusions, Markov (as above)", check=_markov_claim("Markov's inequality (corrected chain)")),
                    Step("<=", r"(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}\sqrt{F(\theta_0)}+\rho^{k+1}F(\theta_0)/M_0", r"(3.10) corrected and (3.9)",
                         check=ExactCases("(3.10) corrected as used in (3.14) (LS2, exact, k <= 4)", _escape_cases, corrected_step_margin,
                                          statement=r"E|\theta_{k+1}-\theta_k|1_{E_k}\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}\sqrt{F(\theta_0)}")),
                ],
            ),
            LazyIdentity("sum_{i>=1} rho^{(i-1)/2} = 1/(1 - sqrt(rho))", lambda: (geometric_sum(_s ** _i, 0), 1 / (1 - _s)), statement=r"\sum_{i\ge1}\rho^{(i-1)/2}=\frac1{1-\sqrt\rho}"),
            LazyIdentity("sum_{i>=1} rho^i = rho/(1 - rho)", lambda: (geometric_sum(_rho_s ** (_i + 1), 0), _rho_s / (1 - _rho_s)), statement=r"\sum_{i\ge1}\rho^{i}=\frac{\rho}{1-\rho}"),
            Claim(
                "(3.19) corrected: partial sums of the corrected (3.18) bounds <= sqrt(F0) K eta/(1-sqrt(rho)) + F0 rho/(M0(1-rho))",
                cases=_sum_cases(),
                lhs=lambda c, B: _partial_sums_of_318(c, B, corrected=True), rel="<=", rhs=_corrected_319_bound,
                statement=r"P(E_k^c(R-1))\le\sum_{i=1}^k\Big(K\eta\rho^{\frac{i-1}2}\sqrt{F_0}+\frac{\rho^iF_0}{M_0}\Big)\le\frac{K\eta\sqrt{F_0}}{1-\sqrt\rho}+\frac{\rho F_0}{M_0(1-\rho)}",
            ),
            Implication(
                "(3.20) corrected: epsilon = min{(delta/(2a))^2, delta/(2b)} works",
                hypotheses=[_dl < 1, _ee <= _dl / (2 * _A1), _ee**2 <= _dl / (2 * _B1)],
                conclusion=_A1 * _ee + _B1 * _ee**2 <= _dl,
                statement=r"a=\tfrac{K\eta}{1-\sqrt\rho},\ b=\tfrac{\rho}{M_0(1-\rho)},\ \sqrt\varepsilon\le\tfrac{\delta}{2a},\ \varepsilon\le\tfrac{\delta}{2b}\implies a\sqrt\varepsilon+b\varepsilon\le\delta",
                note="$e=\\sqrt{\\varepsilon}$; with the corrected (3.19), $F(\\theta_0)\\le\\varepsilon$ gives $P(E_k^c(R-1))\\le\\delta$ for all $k$. $\\varepsilon$ depends on $C_L,\\sigma,\\eta^*,\\rho,M_0$ as (3.20) says.",
            ),
            MonteCarlo("(3.19) corrected bound in the Theorem 3.1 instance (2000 steps, Clopper-Pearson)", _sim_escape, rel="<=", bound=delta_corrected(float(T31_F0)), samples=2000, delta=1e-3,
                       statement=r"P(E_{2000}^c(R-1))\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt{F(\theta_0)}}{1-\sqrt\rho}+\frac{\rho F(\theta_0)}{M_0(1-\rho)}",
                       note=r"LS2, $\theta_0=\theta^*+(1/50,0)$, $F(\theta_0)=1/625$, $R=3$, $M_0=(99/50)^2$, $\eta=1/256$; $P(E_N^c)\le P(E_\infty^c)$, so this checks a consequence at $N=2000$."),
        ],
        status=Status.ERRATUM,
        reading=(
            r"Two slips: (i) (3.14) inherits $\rho^{k/2}F(\theta_0)$ from (3.10), which should be $\rho^{k/2}\sqrt{F(\theta_0)}$; (ii) (3.19) sums the terms of (3.18) with "
            r"the index shifted: $\sum_{i=1}^k P(\tilde E_i)$ uses (3.18) with $k+1=i$, i.e. $\rho^{(i-1)/2}$ and $\rho^i$, whose sums are $\frac1{1-\sqrt\rho}$ and $\frac\rho{1-\rho}$. "
            r"Corrected: $P(E_k^c(R-1))\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta^*}{1-\sqrt\rho}\sqrt{F(\theta_0)}+\frac{\rho F(\theta_0)}{M_0(1-\rho)}$, which still tends to 0 as $F(\theta_0)\to0$, so (3.20) holds "
            r"with $\varepsilon=\min\{(\delta/2a)^2,\delta/2b\}$. (3.15) uses (3.9) with $r=R$, i.e. $\alpha=\alpha(\theta_0,R)$. The strict '$<$' of (3.19) is read as '$\le$' in the corrected version."
        ),
    )
)
