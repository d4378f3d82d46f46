"""sgdloj.theorem-3-1: Section 3 (Main result), Theorem 3.1 and the end of its proof, (3.21)-(3.22).

"For every delta > 0 there exists epsilon > 0 such that if F(theta_0) <= epsilon, with probability at
least 1 - delta, theta_k in B(theta_0, R - 1) for all k"; conditioned on that event beta^k
F(theta_k) -> 0 a.s. for beta in [1, 1/rho) (3.1) and theta_k converges a.s. to a zero of F.
Checked on least squares with n = p = 2 (LS2); (3.22) carries F(theta_0) for sqrt(F(theta_0))."""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Bound,
    Case,
    CheckSettings,
    Claim,
    Definition,
    Expect,
    Illustration,
    Implication,
    Judgement,
    MonteCarlo,
    Proof,
    Verdict,
)
from symbolic.backends import Backend, Number
from symbolic.exact_cases import ExactCases
from symbolic.lazy_identity import LazyIdentity
from theorems.cases import values_in
from theorems.catalogue.sgdloj._ls2 import (
    ALPHA,
    C_L,
    K_CONST,
    SIGMA,
    T31_ETA,
    T31_F0,
    T31_M0,
    T31_R,
    T31_RHO,
    T31_STEPS,
    T31_THETA0,
    corrected_step_margin,
    delta_corrected,
    enumerated_runs,
    expected_step_length,
    ls2_cases,
    ls2_F,
    ls2_residuals,
    sqrt_rho_of,
)
from theorems.catalogue.sgdloj._series import geometric_sum
from theorems.registry import Entry, Status, register
from theorems.sgd_models import LS2, LS_FLAT, THETA_STAR, run_sgd


def _as_sympy(v: Q) -> sp.Rational:
    """The fraction as a sympy Rational."""
    return sp.Rational(v.numerator, v.denominator)


_th_ls2 = sp.symbols("theta1 theta2", real=True)
_r_ls2 = [sum((_as_sympy(a) * t for a, t in zip(row, _th_ls2, strict=True)), sp.Integer(0)) - _as_sympy(yi) for row, yi in zip(LS2.A, LS2.y, strict=True)]
_At_r_ls2 = [sum((_as_sympy(LS2.A[i][j]) * _r_ls2[i] for i in range(2)), sp.Integer(0)) for j in range(2)]
# A real proof of "Assumption 1 for LS2" (issue 10: the attached identity was for generic 2x3
# data, an equality, and did not depend on alpha): for the instance's A and y, every theta
ls2_assumption1 = Implication(
    "LS2: |grad F(theta)|^2 >= 4 F(theta) for every theta in R^2 (z3)",
    hypotheses=[],
    conclusion=sp.Ge(sum((g**2 for g in _At_r_ls2), sp.Integer(0)), _as_sympy(ALPHA) * sum((r**2 for r in _r_ls2), sp.Integer(0)) / LS2.n, evaluate=False),
    statement=r"|A^\top(A\theta-y)|^2\ge4\cdot\tfrac12|A\theta-y|^2\quad\forall\theta\in\mathbb R^2\ (\text{LS2's }A,y)",
)
_s = sp.Symbol("s", positive=True)  # sqrt(rho)
_i = sp.Symbol("i", integer=True, nonnegative=True)

_eta_s, _F0s = sp.symbols("eta F_0", positive=True)
_rho321, _beta321, _q321 = sp.symbols("rho beta q", positive=True)  # (3.21)


def _instance_predicate(ex: Any) -> Judgement:
    """Assumptions 1-4 and the step-size condition for a least-squares instance, decided exactly."""
    kind = ex[0]
    if kind == "ls2":
        theta0, R, eta = ex[1], ex[2], ex[3]
        d2 = sum(((a - b) ** 2 for a, b in zip(theta0, THETA_STAR, strict=True)), Q(0))
        F0 = LS2.F(theta0)
        alpha, CL, sigma = (Q(str(LS2.alpha)), Q(str(LS2.C_L)), Q(str(LS2.sigma(1))))
        inner = d2 < (R - 1) ** 2  # the zero lies in B(theta0, R-1): then alpha(theta0, R) = alpha and M0 > 0
        # M0 = (R - 1 - d)^2 > 0 needs d < R - 1 (F >= |theta - theta*|^2 since lambda_min(A^T A)/n = 1)
        conds = {
            "R > 1": R > 1,
            "(2.2) 4F0 < R^2 alpha": 4 * F0 < R * R * alpha,
            "theta* in B(theta0, R-1) (M0 > 0)": inner,
            "eta <= min(1/alpha, alpha/(4 C_L (2 C_L + sigma)))": 0 < eta <= min(1 / alpha, alpha / (4 * CL * (2 * CL + sigma))),
            "rho in (0,1)": 0 < 1 - eta * alpha + eta * eta * CL * (2 * CL + sigma) / 2 < 1,
            "constants": (alpha, CL, sigma) == (ALPHA, C_L, SIGMA) and LS2.strong_convexity_of_F == 1,
        }
        bad = [k for k, v in conds.items() if not v]
        return Judgement(not bad, Verdict.PROVED, "all hold" if not bad else "fails: " + ", ".join(bad))
    if kind == "flat":
        # p = 3 > n = 2: the zero set {(1, 1, t)} meets the annulus; exhibit an exact witness
        theta0, R = ex[1], ex[2]
        for t in (Q(j, 8) for j in range(0, 8 * int(R) + 9)):
            z = (Q(1), Q(1), t)
            d2 = sum(((a - b) ** 2 for a, b in zip(z, theta0, strict=True)), Q(0))
            if (R - 1) ** 2 < d2 <= R * R and LS_FLAT.F(z) == 0:
                return Judgement(False, Verdict.PROVED, f"F({tuple(map(str, z))}) = 0 with |theta - theta0|^2 = {d2} in the annulus: no M0 > 0")
        return Judgement(None, Verdict.UNDECIDED, "no witness found")
    raise ValueError(kind)


def _sim_stay(rng: np.random.Generator, n: int) -> np.ndarray:
    """One run per sample of the Theorem 3.1 instance: did it stay in B(theta_0, R - 1) for T31_STEPS steps?"""
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), T31_STEPS, n, float(T31_R - 1), rng)
    return P.inside[-1]


_BETA = (1 + 1 / float(T31_RHO)) / 2  # in [1, 1/rho)
_T_MARKOV = 1e-8


def _sim_beta(rng: np.random.Generator, n: int) -> np.ndarray:
    """One run per sample: is beta^N F(theta_N) 1_{E_N} >= t (the Markov event behind (3.21))?"""
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), T31_STEPS, n, float(T31_R - 1), rng)
    return _BETA**T31_STEPS * P.F[-1] * P.inside[-1] >= _T_MARKOV


def _illustrate_convergence(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """beta^k F(theta_k), |theta_N - theta*| and the tail length along surviving runs ((3.1) and the convergence)."""
    rng = np.random.default_rng(settings.seed)
    runs = int(500 * settings.mc_scale)
    N = 3000
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), N, runs, float(T31_R - 1), rng)
    alive = P.inside[-1]
    ks = [0, 500, 1000, 2000, 3000]
    bF = [float(np.max(_BETA**k * P.F[k][alive])) for k in ks]
    err = float(np.max(np.linalg.norm(P.final[alive] - np.array([1.0, 1.0]), axis=1)))
    tail = float(np.max(P.step[N // 2 :, alive].sum(axis=0)))
    decreasing = all(b2 < b1 for b1, b2 in zip(bF, bF[1:], strict=False))
    ok = bool(alive.all()) and decreasing and bF[-1] < 1e-6 * bF[0] and err < 1e-8 and tail < 1e-6
    details = (
        f"{runs} runs, {int(alive.sum())} stay in B(theta0, R-1) for {N} steps; max over surviving runs of beta^k F(theta_k) "
        f"(beta = {_BETA:.6f}) at k = {ks}: {[f'{v:.3g}' for v in bF]}; max |theta_N - theta*| = {err:.3g}; "
        f"max length of the second half of the path = {tail:.3g}"
    )
    return ok, details, {"beta_F": bF, "max_error": err, "tail_length": tail}


def _step_k1_cases() -> list[dict[str, Any]]:
    """The enumerated LS2 runs at k = 1 ((3.22) with i = j = 1)."""
    return [{**c, "k": 1} for c in enumerated_runs()]


def _322_stated_margin(c: dict[str, Any], B: Backend) -> Number:
    """(3.22) as written with j = 1, k = 2, and E_infinity replaced by E_1 (the middle inequality of (3.22)):
    (sqrt(2C_L)+sqrt(sigma)) eta rho^{1/2} F(theta0) - E|theta_2 - theta_1| 1_{E_1}."""
    eta = B.num(c["eta"])
    return B.num(K_CONST) * eta * sqrt_rho_of(B, eta) * B.num(c["F0"]) - expected_step_length(c, B)


_jj = sp.Symbol("j", integer=True, nonnegative=True)


@st.composite
def _annulus_cases(draw: st.DrawFn) -> Case:
    """Exact rational points of the annulus R-1 <= |theta - theta0| <= R (rational circle parametrisation)."""
    t = draw(values_in(Bound(Q(-4), Q(4), False, False)))
    rad = draw(values_in(Bound(T31_R - 1, T31_R, False, False)))
    c, s_ = (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)
    sign = draw(st.sampled_from([1, -1]))
    pt = (T31_THETA0[0] + sign * rad * c, T31_THETA0[1] + rad * s_)
    return Case(points={"theta0": pt})


register(
    Entry(
        id="sgdloj.theorem-3-1",
        proof=[
            "sgdloj.one-step-expansion",
            "sgdloj.quadratic-nonnegative",
            "sgdloj.expected-contraction",
            "sgdloj.contraction-factor",
            "sgdloj.geometric-decay",
            "sgdloj.travel-distance",
            "sgdloj.escape-probability",
        ],
        title="Theorem 3.1: SGD stays in B(theta0, R-1) with probability >= 1 - delta and converges to a zero",
        where="Theorem 3.1 and its proof, (3.21)-(3.22)",
        statement=(
            r"We choose an initialization $\theta_0$ with a radius $R>1$ such that (2.2) holds. Let $F$ be a loss function such that its gradient is Lipschitz "
            r"continuous (2.3), and (2.5) holds for $B(\theta_0,R)$. Then for every $\delta>0$, there exists $\varepsilon>0$ such that if $F(\theta_0)\le\varepsilon$, "
            r"with probability at least $1-\delta$, we have $\theta_k\in B(\theta_0,R-1)$ for all $k\in\mathbb N$. Conditioned on the event that "
            r"$\theta_k\in B(\theta_0,R-1)$ for all $k$, we have $\lim_{k\to\infty}\beta^kF(\theta_k)=0$ (3.1) almost surely for every $\beta\in[1,\rho^{-1})$, "
            r"where $\rho=1-\eta\alpha+\frac{\eta^2}2C_L(2C_L+\sigma)\in(0,1)$ (3.2), if $0<\eta\le\min\{\frac1\alpha,\frac\alpha{4C_L(2C_L+\sigma)}\}$. "
            r"Moreover, conditioned on the same event, $\theta_k$ converges almost surely to a point $\theta^*$ where $F(\theta^*)=0$. "
            r"Proof, (3.22): $E[|\theta_k-\theta_j|1_{E_\infty(R-1)}]\le\sum_{i=j}^{k-1}E[|\theta_{i+1}-\theta_i|1_{E_i(R-1)}]\le\sum_{i=j}^{k-1}(\sqrt{2C_L}+\sqrt\sigma)\eta^*\rho^{i/2}F(\theta_0)"
            r"<(\sqrt{2C_L}+\sqrt\sigma)\eta^*F(\theta_0)\frac{\rho^{j/2}}{1-\sqrt\rho}$."
        ),
        hypotheses=[r"Assumptions 1--4 (2.2), (2.3), (2.5), (2.10)--(2.11)", r"$0<\eta\le\min\{\frac1\alpha,\frac\alpha{4C_L(2C_L+\sigma)}\}$"],
        checks=[
            Definition("the least-squares instances against the hypotheses of Theorem 3.1", _instance_predicate, [
                ("LS2 (n = p = 2), theta0 = theta* + (1/50, 0), R = 3, eta = 1/256", ("ls2", T31_THETA0, T31_R, T31_ETA), True),
                ("non-example: LS2 with eta = 1/128 (step too large)", ("ls2", T31_THETA0, T31_R, Q(1, 128)), False),
                ("non-example: LS2 with the zero on the annulus, theta0 = theta* + (5/2, 0), R = 3", ("ls2", (Q(7, 2), Q(1)), T31_R, T31_ETA), False),
                ("non-example: p = 3 > n = 2, theta0 = (51/50, 1, 0), R = 3 (Assumption 3 fails on the zero line)", ("flat", (Q(51, 50), Q(1), Q(0)), T31_R), False),
            ]),
            Claim(
                "Assumption 1 for LS2: |grad F|^2 >= alpha F with alpha = 4 (every theta)",
                cases=ls2_cases(spread=Q(3)),
                lhs=lambda c, B: B.norm2(B.scale(B.num(1), [B.dot([B.num(LS2.A[i][j]) for i in range(2)], ls2_residuals(B, c.x(B, "theta0"))) for j in range(2)])),
                rel=">=", rhs=lambda c, B: B.num(ALPHA) * ls2_F(B, c.x(B, "theta0")),
                proof=Proof(ls2_assumption1, at=lambda c, B: dict(zip(_th_ls2, c.x(B, "theta0"), strict=True))),
                statement=r"|\nabla F(\theta)|^2\ge\alpha F(\theta),\ \alpha=\tfrac4n\lambda_{\min}(AA^\top)=4",
                note=r"$\nabla F=\frac2nA^\top r=A^\top r$ for $n=2$. Equality on $\theta^*+t(0,1)$ (residual $(t,-t)$, the eigenvector of $AA^\top$ for 2), so $\alpha(\theta_0,r)=4$ exactly on every ball containing $\theta^*$.",
            ),
            Claim(
                "Assumption 3 for LS2: F >= M0 = (R-1-d)^2 on the annulus",
                cases=_annulus_cases(),
                where=lambda c: (T31_R - 1) ** 2 <= sum(((a - b) ** 2 for a, b in zip(c.points["theta0"], T31_THETA0, strict=True)), Q(0)) <= T31_R**2,
                lhs=lambda c, B: ls2_F(B, c.x(B, "theta0")), rel=">=", rhs=lambda c, B: B.num(T31_M0),
                statement=r"F(\theta)\ge M_0=(R-1-|\theta_0-\theta^*|)^2\ \text{for } R-1\le|\theta-\theta_0|\le R",
                note=r"The point (named theta0 in the case) ranges over the annulus around the instance's $\theta_0=\theta^*+(1/50,0)$, $R=3$; proof: $F\ge\frac{\lambda_{\min}(A^\top A)}n|\theta-\theta^*|^2=|\theta-\theta^*|^2$.",
            ),
            MonteCarlo("P(theta_k in B(theta0, R-1), k <= 2000) >= 1 - delta, delta from the corrected (3.19)", _sim_stay, rel=">=", bound=1 - delta_corrected(float(T31_F0)), samples=2000, delta=1e-3,
                       statement=r"P(E_{2000}(R-1))\ge1-\delta,\ \delta=\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt{F(\theta_0)}}{1-\sqrt\rho}+\frac{\rho F(\theta_0)}{M_0(1-\rho)}\approx0.212",
                       note=r"LS2, $F(\theta_0)=1/625\le\varepsilon(\delta)$; a finite horizon checks a consequence ($P(E_N)\ge P(E_\infty)$)."),
            Implication(
                "(3.21): 1 <= beta < 1/rho with 0 < rho < 1 gives 0 < beta rho < 1",
                hypotheses=[_rho321 > 0, _rho321 < 1, _beta321 >= 1, _beta321 < 1 / _rho321],
                conclusion=sp.And(_beta321 * _rho321 > 0, _beta321 * _rho321 < 1),
                statement=r"\beta\in[1,\rho^{-1}),\ 0<\rho<1\implies0<\beta\rho<1",
            ),
            LazyIdentity(
                "(3.21): sum_k beta^k E[F(theta_k) 1_{E_k}] <= sum_k (beta rho)^k F(theta0) = F(theta0)/(1 - beta rho)",
                lambda: (geometric_sum(_q321**_i * _F0s, 0), _F0s / (1 - _q321)),
                statement=(
                    r"\sum_{k\ge0}\beta^kE[F(\theta_k)1_{E_k}]\le\sum_{k\ge0}(\beta\rho)^kF(\theta_0)=\frac{F(\theta_0)}{1-\beta\rho}<\infty"
                ),
                note=(
                    r"With $q=\beta\rho<1$ (above) and (3.9). By monotone convergence $E\sum_k\beta^kF(\theta_k)1_{E_k}<\infty$, so "
                    r"$\sum_k\beta^kF(\theta_k)1_{E_\infty}<\infty$ and $\beta^kF(\theta_k)\to0$ almost surely on $E_\infty(R-1)\subset E_k$."
                ),
            ),
            MonteCarlo("P(beta^N F(theta_N) 1_{E_N} >= t) <= (beta rho)^N F(theta0)/t (Markov and (3.9))", _sim_beta, rel="<=",
                       bound=(_BETA * float(T31_RHO)) ** T31_STEPS * float(T31_F0) / _T_MARKOV, samples=2000, delta=1e-3,
                       statement=r"P(\beta^NF(\theta_N)1_{E_N(R-1)}\ge t)\le(\beta\rho)^NF(\theta_0)/t,\ \beta=\tfrac12(1+\rho^{-1}),\ N=2000,\ t=10^{-8}",
                       note="The quantitative form behind (3.21): summable tails give $\\beta^kF(\\theta_k)\\to0$ a.s. on $E_\\infty$ (Borel--Cantelli)."),
            Illustration("beta^k F(theta_k) -> 0 and theta_k -> theta* along surviving runs", _illustrate_convergence,
                         shows="In the LS2 instance every simulated run stays in B(theta0, R-1), beta^k F(theta_k) decreases to ~0 for beta = (1+1/rho)/2, the iterates reach the zero theta* = (1,1) and the remaining path length is negligible (Cauchy).",
                         does_not_show="Almost sure convergence (a limit over infinitely many steps) or any instance other than LS2; the limit point is the unique zero here, so this does not exercise the case of a non-isolated zero set."),
            ExactCases("(3.22) as written: E|theta_2 - theta_1| 1_{E_1} <= (sqrt(2C_L)+sqrt(sigma)) eta rho^{1/2} F(theta0)", _step_k1_cases, _322_stated_margin,
                       expect=Expect.REFUTED,
                       statement=r"E[|\theta_{2}-\theta_1|1_{E_1(R-1)}]\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{1/2}F(\theta_0)",
                       note="The second inequality of (3.22) at $i=j=1$, exactly over the 4 sampling paths; fails for small $F(\\theta_0)$ (the same slip as (3.10))."),
        ],
        corrected=[
            ExactCases("(3.22) corrected at i = 1: E|theta_2 - theta_1| 1_{E_1} <= (sqrt(2C_L)+sqrt(sigma)) eta rho^{1/2} sqrt(F(theta0))", _step_k1_cases, corrected_step_margin,
                       statement=r"E[|\theta_{2}-\theta_1|1_{E_1(R-1)}]\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{1/2}\sqrt{F(\theta_0)}"),
            LazyIdentity("(3.22) corrected: sum_{i>=j} rho^{i/2} = rho^{j/2}/(1 - sqrt(rho))", lambda: (sp.simplify(_s**_jj * geometric_sum(_s**_i, 0)), _s**_jj / (1 - _s)),
                     statement=r"\sum_{i\ge j}\rho^{i/2}=\frac{\rho^{j/2}}{1-\sqrt\rho}\ \Rightarrow\ E[|\theta_k-\theta_j|1_{E_\infty(R-1)}]\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta^*\sqrt{F(\theta_0)}\rho^{j/2}}{1-\sqrt\rho}\to0"),
        ],
        status=Status.ERRATUM,
        reading=(
            r"The theorem itself is checked (Monte Carlo at 99.9\% confidence, illustration) on least squares with $n=p=2$ (LS2): for $p>n$ the zero set is an affine subspace that "
            r"meets the annulus, so Assumption 3 fails (exact witness); SGD for $p>n$ stays in $\theta_0+\mathrm{row}(A)$, where it is the $p=n$ problem. "
            r"The erratum is in the proof: (3.22) carries $F(\theta_0)$ instead of $\sqrt{F(\theta_0)}$ (as (3.10)); the conclusion survives. "
            r"'With probability at least $1-\delta$' is read through the corrected (3.19)--(3.20). $\alpha=\alpha(\theta_0,R)$ (the ball of (2.2)); $\eta=\eta^*$."
        ),
    )
)
