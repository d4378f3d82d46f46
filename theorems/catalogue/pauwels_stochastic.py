"""Pauwels, section 5 (approaching critical points with noise): Robbins-Monro steps, the
interpolated process, Benaïm's attraction theorem, descent in the limit, limit values and the
corollary for stochastic gradient on tame (semi-algebraic) losses.
"""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from symbolic import (
    CheckSettings,
    Definition,
    Derivation,
    Expect,
    Identity,
    Illustration,
    Implication,
    Judgement,
    MonteCarlo,
    Step,
    Verdict,
)
from theorems.catalogue.pauwels_nonsmooth import NumericAgreement
from theorems.catalogue.pauwels_tame import Cs, Xs, Ys, elimination_polynomial
from theorems.registry import Entry, Status, register

k = sp.Symbol("k", integer=True, positive=True)
R = sp.Rational


# ====================================================================== Robbins-Monro

def robbins_monro(alpha: sp.Expr) -> Judgement:
    """sum_k alpha_k = +inf and sum_k alpha_k^2 < +inf (k >= 1), decided by sympy's convergence tests."""
    s1 = sp.Sum(alpha, (k, 1, sp.oo)).is_convergent()
    s2 = sp.Sum(alpha**2, (k, 1, sp.oo)).is_convergent()
    if s1 not in (True, False) or s2 not in (True, False):
        return Judgement(None, Verdict.UNDECIDED, f"sympy could not decide: {s1}, {s2}")
    return Judgement(bool(not s1 and s2), Verdict.PROVED, f"sum alpha {'<' if s1 else '='} oo, sum alpha^2 {'<' if s2 else '='} oo")


STEPS = [
    ("1/k", 1 / k, True),
    ("1/(k+1)", 1 / (k + 1), True),
    ("k^(-3/4)", k ** R(-3, 4), True),
    ("2/(k+10)", 2 / (k + 10), True),
    ("1/(k log(k+1))", 1 / (k * sp.log(k + 1)), True),
    ("1/(sqrt(k) log(k+1)) (Bertrand: sum alpha^2 < oo)", 1 / (sp.sqrt(k) * sp.log(k + 1)), True),
    ("non-example k^(-1/2): sum alpha^2 = oo", k ** R(-1, 2), False),
    ("non-example 1/k^2: sum alpha < oo", 1 / k**2, False),
    ("non-example constant 1/10", R(1, 10), False),
    ("non-example 2^(-k)", 2 ** (-k), False),
]
rm_definition = Definition(
    "Robbins-Monro step sizes: sum alpha_k = +inf and sum alpha_k^2 < +inf",
    robbins_monro,
    [(lab, a, exp) for lab, a, exp in STEPS],
    statement=r"\sum_{k}\alpha_k=+\infty,\quad\sum_k\alpha_k^2<+\infty",
    note="Expected answers by the $p$-series, Bertrand and geometric series tests (by hand); the predicate asks sympy's convergence tests.",
)


def p_series(p: sp.Rational) -> Judgement:
    return robbins_monro(k ** (-p))


rm_p_series = Definition(
    "alpha_k = k^(-p) satisfies Robbins-Monro exactly for the listed p in (1/2, 1] (8 values of p decided)",
    p_series,
    [(f"p = {p}", p, bool(R(1, 2) < p <= 1)) for p in (R(1, 4), R(1, 2), R(51, 100), R(3, 5), R(3, 4), R(1), R(101, 100), R(2))],
    statement=r"\alpha_k=k^{-p}:\ \sum\alpha_k=\infty\iff p\le1,\ \ \sum\alpha_k^2<\infty\iff p>\tfrac12",
)

_n = 3
_a = sp.symbols("a1:4", real=True)
_b = sp.symbols("b1:4", real=True)
_th = sp.Symbol("theta", real=True)
_losses = [(_a[i] * _th - _b[i]) ** 2 / 2 for i in range(_n)]  # l_i = (a_i theta - b_i)^2 / 2
_F_mean = sum(_losses) / _n
# grad l_i and grad F are differentiated in the check (unevaluated Derivative): grad F is the
# derivative of F = (1/n) sum l_i, not defined as the mean of the grad l_i (issue 10)
martingale_identity = Identity(
    "uniform sampling: E[M_{k+1} | past] = (1/n) sum_i (grad l_i - grad F) = 0",
    sum(sp.Derivative(l, _th) - sp.Derivative(_F_mean, _th) for l in _losses) / _n,
    sp.Integer(0),
    scope="n = 3, l_i = (a_i theta - b_i)^2/2",
    statement=r"\mathbb{E}[M_{k+1}\mid\theta_k]=\frac1n\sum_{i=1}^n\big(\nabla l_i(\theta_k)-\nabla F(\theta_k)\big)=0",
    note="$M_{k+1}=\\nabla l_{i_k}(\\theta_k)-\\nabla F(\\theta_k)$ with $i_k$ uniform, independent of the past; shown for $l_i(\\theta)=(a_i\\theta-b_i)^2/2$, $n=3$, symbolic data.",
)

_B = np.array([-1.0, 0.5, 2.0])
UNIFORM = (1 / 3, 1 / 3, 1 / 3)
MDS_SAMPLES = 200000
MDS_TOLERANCE = 0.02


def _F_losses(theta: np.ndarray) -> np.ndarray:
    """F(theta) = (1/3) sum_i log cosh(theta - b_i), computed from the losses (not from their gradients)."""
    u = theta[:, None] - _B[None, :]
    return (np.abs(u) + np.log1p(np.exp(-2 * np.abs(u))) - np.log(2)).mean(axis=1)


def _gradF_numeric(theta: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """grad F by a central difference of F (error about h^2 = 1e-10): independent of the formula of grad l_i."""
    return (_F_losses(theta + h) - _F_losses(theta - h)) / (2 * h)


def mds_simulator(weights: tuple[float, float, float] = UNIFORM) -> Any:
    """Samples of M_{k+1} = grad l_{i_k}(theta_k) - grad F(theta_k) at k = 50 along SGD on l_i = log cosh(theta - b_i),
    the indices drawn with probabilities ``weights`` (the statement: uniform); grad l_i = tanh(theta - b_i) and grad F by a
    central difference of F. Values in [-2, 2] (up to the difference quotient's 1e-9)."""
    p = np.asarray(weights, dtype=float)

    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        theta = rng.standard_normal(n)
        for j in range(50):
            i = rng.choice(3, size=n, p=p)
            theta = theta - (j + 1) ** -0.75 * np.tanh(theta - _B[i])
        i = rng.choice(3, size=n, p=p)
        return np.clip(np.tanh(theta - _B[i]) - _gradF_numeric(theta), -2.0, 2.0)

    return simulate


def mds_checks(weights: tuple[float, float, float] = UNIFORM) -> list[MonteCarlo]:
    """E[M_{k+1}] <= 0.02 and >= -0.02 (two one-sided Hoeffding tests, n = 200000, half-width 0.0166).

    They detect a sampling probability off by 0.05 (E[M] about 0.045 then): property_tests/test_check_power.py."""
    note = (
        "$M_{k+1}=\\nabla l_{i_k}(\\theta_k)-\\nabla F(\\theta_k)$ with $\\nabla l_i=\\tanh(\\theta-b_i)$ and $\\nabla F$ by a central difference of "
        "$F=\\frac13\\sum_i\\log\\cosh(\\theta-b_i)$, so the zero mean is not built in: it holds because the sampling is uniform and "
        "differentiation is linear. Hoeffding, $n=200000$, half-width $0.0166$: a probability of one index off by $0.05$ gives "
        "$\\mathbb{E}[M]\\approx0.045$ and is detected (the power tests of the suite)."
    )
    common: dict[str, Any] = dict(samples=MDS_SAMPLES, quantity="mean", low=-2.0, high=2.0, note=note)
    return [
        MonteCarlo(
            "martingale difference: E[M_{k+1}] <= 0.02 (grad F from F, indices sampled uniformly)",
            mds_simulator(weights), rel="<=", bound=MDS_TOLERANCE, statement=r"\mathbb{E}[M_{k+1}]\le0.02", **common,
        ),
        MonteCarlo(
            "martingale difference: E[M_{k+1}] >= -0.02",
            mds_simulator(weights), rel=">=", bound=-MDS_TOLERANCE, statement=r"\mathbb{E}[M_{k+1}]\ge-0.02", **common,
        ),
    ]


mds_upper, mds_lower = mds_checks()

register(
    Entry(
        id="pauwels.robbins-monro",
        title="Stochastic gradient as stochastic approximation: Robbins-Monro steps, martingale-difference noise",
        where="Stochastic gradient; The ODE method",
        statement=(
            r"$\theta_{k+1}|\theta_k=\theta_k-\alpha_k\nabla l_{i_k}(\theta_k)$, $(i_k)$ iid uniform on $\{1,\dots,n\}$; equivalently "
            r"$\theta_{k+1}=\theta_k-\alpha_k(\nabla F(\theta_k)+M_{k+1})$ with $\mathbb{E}[M_{k+1}|\text{past}]=0$. "
            r"Averaging out noise: vanishing step size, $\sum_k\alpha_k=+\infty$, $\sum_k\alpha_k^2<+\infty$."
        ),
        checks=[rm_definition, rm_p_series, martingale_identity, mds_upper, mds_lower],
        status=Status.VERIFIED,
        reading="Sums start at $k=1$ for closed forms with a pole at $0$ (a finite number of terms does not change convergence).",
    )
)


# ====================================================================== interpolated process

a0, a1, th0, th1, s_ = sp.symbols("alpha0 alpha1 theta0 theta1 s", real=True)

stated_endpoint = Implication(
    "stated formula (n = 0, s = alpha_0 < alpha_1): w(tau_1) = theta_1",
    hypotheses=[a0 > 0, a0 < a1],
    conclusion=sp.Eq(th0 * (1 - a0 / a1) + (a0 / a1) * th1, th1),
    statement=r"0<\alpha_0<\alpha_1:\ w(\tau_0+\alpha_0)=\theta_0\Big(1-\frac{\alpha_0}{\alpha_1}\Big)+\frac{\alpha_0}{\alpha_1}\theta_1=\theta_1",
    expect=Expect.REFUTED,
    note="$\\tau_1-\\tau_0=\\alpha_0$, and $s=\\alpha_0$ lies in the stated range $[0,\\alpha_1)$ when $\\alpha_0<\\alpha_1$; the formula then gives $w(\\tau_1)\\ne\\theta_1$ unless $\\theta_0=\\theta_1$, contradicting $w(\\tau_n)=\\theta_n$ (z3 model re-checked exactly).",
)


def _taus(alphas: list[Q]) -> list[Q]:
    out = [Q(0)]
    for a in alphas:
        out.append(out[-1] + a)
    return out


def stated_pieces_tile(alphas: list[Q]) -> Judgement:
    """The stated pieces [tau_n, tau_n + alpha_{n+1}) tile [0, tau_N) without gap or overlap."""
    taus = _taus(alphas)
    for n in range(len(alphas) - 1):
        end = taus[n] + alphas[n + 1]
        if end != taus[n + 1]:
            kind = "gap" if end < taus[n + 1] else "overlap"
            return Judgement(False, Verdict.PROVED, f"{kind}: piece n={n} ends at {end} but tau_{n + 1} = {taus[n + 1]} (w there: {'undefined' if kind == 'gap' else 'defined twice'}; left limit theta_{n + 1} reached at the wrong time)")
    return Judgement(True, Verdict.PROVED, "pieces tile [0, tau_N)")


SEQS = [
    ("constant steps 1/2", [Q(1, 2)] * 6),
    ("alpha_k = 1/(k+1)", [Q(1, j + 1) for j in range(6)]),
    ("increasing steps 1/2, 1, 1, ...", [Q(1, 2)] + [Q(1)] * 5),
    ("alpha_k = 1/(k+1)^2", [Q(1, (j + 1) ** 2) for j in range(6)]),
]
stated_tiling = Definition(
    "stated formula: the pieces [tau_n, tau_n + alpha_{n+1}) define w on R_+ (every step-size sequence)",
    stated_pieces_tile,
    [(lab, seq, True) for lab, seq in SEQS],
    statement=r"[\tau_n,\tau_n+\alpha_{n+1}),\ n\in\mathbb{N},\ \text{partition}\ [0,\textstyle\sum_k\alpha_k)",
    expect=Expect.REFUTED,
    note="Exact rationals. With $\\alpha_k=1/(k+1)$: the piece $n=0$ is $[0,1/2)$ while $\\tau_1=1$, so $w$ is undefined on $[1/2,1)$; with increasing steps two pieces overlap.",
)


def corrected_w(alphas: list[Q], thetas: list[Q], t: Q) -> Q:
    taus = _taus(alphas)
    for n in range(len(alphas)):
        if taus[n] <= t < taus[n + 1]:
            s = t - taus[n]
            return thetas[n] * (1 - s / alphas[n]) + s / alphas[n] * thetas[n + 1]
    raise ValueError("t outside [0, tau_N)")


def corrected_is_interpolation(alphas: list[Q]) -> Judgement:
    """w(tau_n) = theta_n, left limits at tau_{n+1} equal theta_{n+1} (continuity), pieces tile [0, tau_N)."""
    thetas = [Q((-1) ** j * (j * j + 1), j + 2) for j in range(len(alphas) + 1)]
    taus = _taus(alphas)
    for n in range(len(alphas)):
        if taus[n] + alphas[n] != taus[n + 1]:
            return Judgement(False, Verdict.PROVED, "pieces do not tile")
        if corrected_w(alphas, thetas, taus[n]) != thetas[n]:
            return Judgement(False, Verdict.PROVED, f"w(tau_{n}) != theta_{n}")
        left = thetas[n] * (1 - alphas[n] / alphas[n]) + thetas[n + 1]  # the affine formula at s = alpha_n
        if left != thetas[n + 1]:
            return Judgement(False, Verdict.PROVED, "jump")
        mid = corrected_w(alphas, thetas, taus[n] + alphas[n] / 3)
        if mid != thetas[n] + (thetas[n + 1] - thetas[n]) / 3:
            return Judgement(False, Verdict.PROVED, "not affine")
    return Judgement(True, Verdict.PROVED, f"continuous piecewise affine on [0, {taus[-1]}), w(tau_n) = theta_n")


corrected_tiling = Definition(
    "corrected formula with alpha_n: w is the continuous affine interpolation with w(tau_n) = theta_n",
    corrected_is_interpolation,
    [(lab, seq, True) for lab, seq in SEQS],
    statement=r"w(\tau_n+s)=\theta_n\Big(1-\frac{s}{\alpha_n}\Big)+\frac{s}{\alpha_n}\theta_{n+1},\ 0\le s<\alpha_n",
)
_s_piece = sp.Symbol("s", nonnegative=True)
# the formula is substituted at s = alpha_n in the check (unevaluated Subs): the former
# encoding wrote a0/a0, which sympy had already reduced to 1 at import (issue 10)
corrected_endpoint = Identity(
    "corrected formula at s = alpha_n gives theta_{n+1}",
    sp.Subs(th0 * (1 - _s_piece / a0) + (_s_piece / a0) * th1, _s_piece, a0),
    th1,
    statement=r"\theta_n\Big(1-\frac{\alpha_n}{\alpha_n}\Big)+\frac{\alpha_n}{\alpha_n}\theta_{n+1}=\theta_{n+1}",
)
_al = sp.IndexedBase("alpha")
_j, _m = sp.symbols("j m", integer=True, positive=True)
tau_increment = Identity(
    "tau_{n+1} - tau_n = alpha_n",
    sp.difference_delta(sp.Sum(_al[_j], (_j, 0, _m - 1)), _m),
    _al[_m],
    statement=r"\tau_{n+1}-\tau_n=\sum_{k=0}^{n}\alpha_k-\sum_{k=0}^{n-1}\alpha_k=\alpha_n",
    note="sympy's forward difference of the partial sum $m\\mapsto\\sum_{k=0}^{m-1}\\alpha_k$, symbolic in $m$ and in the sequence.",
)

register(
    Entry(
        id="pauwels.interpolated-process",
        title="Piecewise affine interpolated process",
        where="Piecewise affine interpolated process",
        statement=(
            r"$\tau_0=0$, $\tau_n=\sum_{k=0}^{n-1}\alpha_k$ for $n\ge1$. Define $w:\mathbb{R}_+\to\mathbb{R}^p$, affine interpolation such "
            r"that $w(\tau_n)=\theta_n$. For all $n\in\mathbb{N}$ and $0\le s<\alpha_{n+1}$, "
            r"$w(\tau_n+s)=\theta_n\big(1-\frac{s}{\alpha_{n+1}}\big)+\frac{s}{\alpha_{n+1}}\theta_{n+1}$."
        ),
        checks=[stated_endpoint, stated_tiling],
        corrected=[corrected_endpoint, tau_increment, corrected_tiling],
        status=Status.ERRATUM,
        reading=(
            "Index slip: since $\\tau_{n+1}-\\tau_n=\\alpha_n$, the formula must use $\\alpha_n$: "
            "$w(\\tau_n+s)=\\theta_n(1-s/\\alpha_n)+(s/\\alpha_n)\\theta_{n+1}$ for $0\\le s<\\alpha_n$. With $\\alpha_{n+1}$ it agrees only for "
            "constant steps. $w$ is defined on all of $\\mathbb{R}_+$ because $\\sum_k\\alpha_k=+\\infty$."
        ),
    )
)


# ====================================================================== Benaim: the flow attracts the interpolated process

_A = np.array([1.0, 2.0])  # F(theta) = (theta_1^2 + 2 theta_2^2)/2, flow S(x, s) = exp(-A s) x
_P = 0.6


def _sgd_windows(rng: np.random.Generator, n: int, times: tuple[float, ...], T: float = 1.0) -> np.ndarray:
    """sup_{s in [0,T]} ||w(t+s) - S(w(t), s)|| for each t (evaluated at the tau_k in the window), per trajectory."""
    theta = rng.uniform(-1, 1, size=(n, 2))
    out = np.zeros((n, len(times)))
    tau, j = 0.0, 0
    starts: dict[int, tuple[float, np.ndarray]] = {}
    t_end = max(times) + T
    while tau <= t_end:
        a = (j + 1) ** -_P
        for idx, t in enumerate(times):
            if idx not in starts and tau >= t:
                starts[idx] = (tau, theta.copy())
            if idx in starts and tau <= starts[idx][0] + T:
                t0, w0 = starts[idx]
                flow = w0 * np.exp(-_A * (tau - t0))
                out[:, idx] = np.maximum(out[:, idx], np.linalg.norm(theta - flow, axis=1))
        noise = rng.uniform(-1, 1, size=(n, 2))
        theta = theta - a * (_A * theta + noise)
        tau += a
        j += 1
    return out


def benaim_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    rng = np.random.default_rng(settings.seed)
    times = (2.0, 10.0, 40.0, 120.0)
    D = _sgd_windows(rng, 200, times)
    means = D.mean(axis=0)
    ok = bool(np.all(np.diff(means) < 0) and means[-1] < means[0] / 3)
    return ok, "mean over 200 runs of sup_[0,1] ||w(t+s) - S(w(t),s)||: " + ", ".join(f"t={t:g}: {m:.3g}" for t, m in zip(times, means, strict=True)), {"means": means.tolist()}


benaim_illustration = Illustration(
    "SGD with alpha_k = (k+1)^(-0.6) on a quadratic: the distance to the flow over [t, t+1] decreases in t",
    benaim_experiment,
    shows="the sup distance between the interpolated process and the gradient flow started at $w(t)$, over windows of length $T=1$, decreases as $t$ grows (200 runs, bounded uniform noise, $F=(\\theta_1^2+2\\theta_2^2)/2$, exact flow $e^{-As}x$)",
    does_not_show="convergence to $0$ as $t\\to\\infty$ (only up to $t=120$), nor the theorem for nonconvex $F$; the sup is taken over the grid $\\tau_k$ (between grid points $w$ is affine and the flow smooth, a difference of order $\\alpha_k^2$)",
    statement=r"\sup_{0\le s\le T}\|w(t+s)-S(w(t),s)\|\ \text{decreasing in } t",
)


def _late_window_small(rng: np.random.Generator, n: int) -> np.ndarray:
    return _sgd_windows(rng, n, (120.0,))[:, 0] <= 0.15


benaim_mc = MonteCarlo(
    "at t = 120 the interpolated process is within 0.15 of the flow on [t, t+1] with probability >= 0.95",
    _late_window_small,
    rel=">=",
    bound=0.95,
    samples=1000,
    statement=r"\mathbb{P}\Big[\sup_{0\le s\le1}\|w(120+s)-S(w(120),s)\|\le0.15\Big]\ge0.95",
    note="Same setting; Clopper-Pearson bound at confidence $1-10^{-3}$.",
)


def _tail_sums(rng: np.random.Generator, n: int) -> np.ndarray:
    """|sum_{k=K}^{N} alpha_k M_{k+1}| for K = 2000, N = 20000, alpha_k = 1/(k+1), M uniform in [-1,1]."""
    total = np.zeros(n)
    for j in range(2000, 20000, 1000):
        ks = np.arange(j, j + 1000)
        total += (rng.uniform(-1, 1, size=(n, 1000)) / (ks + 1.0)).sum(axis=1)
    return np.abs(total) <= 0.05


martingale_tail = MonteCarlo(
    "square-summable steps: the tail sum_{k >= 2000} alpha_k M_{k+1} is below 0.05 with probability >= 0.99",
    _tail_sums,
    rel=">=",
    bound=0.99,
    samples=2000,
    statement=r"\mathbb{P}\Big[\Big|\sum_{k=2000}^{20000}\alpha_kM_{k+1}\Big|\le0.05\Big]\ge0.99,\ \alpha_k=\tfrac1{k+1}",
    note="The martingale $\\sum_k\\alpha_kM_{k+1}$ converges a.s. when $\\sum\\alpha_k^2<\\infty$ and the conditional variance is bounded; with $\\alpha_k=1/(k+1)$ and $M_{k+1}$ uniform on $[-1,1]$ its tail has variance $\\frac13\\sum_{k\\ge2000}\\alpha_k^2\\approx1.7\\cdot10^{-4}$ (a tail only up to $k=20000$ is simulated).",
)

register(
    Entry(
        id="pauwels.benaim-attraction",
        title="A result of Benaïm: the flow attracts the interpolated process",
        where="A result of Benaim: flow attracts interpolated process",
        statement=(
            r"$\theta_{k+1}|\text{past}=\theta_k-\alpha_k(\nabla F(\theta_k)+M_{k+1})$, $\mathbb{E}[M_{k+1}|\text{past}]=0$, "
            r"$\sup_k\mathbb{E}[M_{k+1}^2|\text{past}]\le M$, $\sum\alpha_k=+\infty$, $\sum\alpha_k^2<+\infty$ (so $\sum\alpha_kM_{k+1}$ "
            r"converges a.s.). Theorem (Benaïm 1996): if $\sup_k\|\theta_k\|\le C$ a.s., then for all $T>0$, "
            r"$\lim_{t\to\infty}\sup_{0\le s\le T}\|w(t+s)-S(w(t),s)\|=0$."
        ),
        checks=[benaim_illustration, benaim_mc, martingale_tail],
        status=Status.ILLUSTRATED,
        reading="Illustrated on a strongly convex quadratic (trajectories bounded in practice) with bounded noise; the theorem itself is cited, not proved. The interpolated process uses the corrected indices (see pauwels.interpolated-process).",
    )
)


# ====================================================================== descent in the limit

aa, bb, TT = sp.symbols("a b T", positive=True)
ss = sp.Symbol("s", real=True)
u1, u2 = sp.symbols("u1 u2", real=True)
_gam = (u1 * sp.exp(-aa * ss), u2 * sp.exp(-bb * ss))  # gradient flow of F = (a u1^2 + b u2^2)/2
_x1, _x2 = sp.symbols("x1 x2", real=True)


def _descent_sides(a: sp.Expr, b: sp.Expr, gam: tuple[sp.Expr, sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
    """F(gamma(T)) and F(theta) - int_0^T ||grad F(gamma(s))||^2 ds, left unevaluated: the gradient
    (sp.Derivative of F), the substitutions (sp.Subs) and the integral are done in the check (issue 10)."""
    F = (a * _x1**2 + b * _x2**2) / 2
    grad2 = sp.Derivative(F, _x1) ** 2 + sp.Derivative(F, _x2) ** 2
    at_T = sp.Subs(F, (_x1, _x2), tuple(c.subs(ss, TT) for c in gam), evaluate=False)
    integral = sp.Integral(sp.Subs(grad2, (_x1, _x2), gam, evaluate=False), (ss, 0, TT))
    return at_T, sp.Subs(F, (_x1, _x2), (u1, u2), evaluate=False) - integral


descent_identity_quadratic = Identity(
    "quadratic (a u1^2 + b u2^2)/2: F(gamma(T)) = F(theta) - int_0^T ||grad F(gamma(s))||^2 ds",
    *_descent_sides(aa, bb, _gam),
    statement=r"F(\gamma(T))=F(\bar\theta)-\int_0^T\|\nabla F(\gamma(s))\|^2ds,\quad \gamma(s)=(\bar\theta_1e^{-as},\bar\theta_2e^{-bs})",
    note="Closed-form flow of a quadratic with symbolic $a,b>0$; the gradient of $F$, the substitutions and the integral are computed in the check. The next check allows any nonzero signs.",
)
_sd = sp.Symbol("d", real=True)
aa_s, bb_s = sp.symbols("a b", real=True, nonzero=True)
_gam_s = (u1 * sp.exp(-aa_s * ss), u2 * sp.exp(-bb_s * ss))
descent_identity_saddle = Identity(
    "quadratic with eigenvalues of any sign (saddles included): the same identity",
    *_descent_sides(aa_s, bb_s, _gam_s),
    statement=r"a,b\ne0:\ F(\gamma(T))=F(\bar\theta)-\int_0^T\|\nabla F(\gamma(s))\|^2ds",
)

_g = sp.symbols("g1:4", real=True)
_v = sp.symbols("v1:4", real=True)
flow_substitution = Implication(
    "gamma' = -grad F(gamma) gives <gamma', grad F(gamma)> = -||grad F(gamma)||^2",
    hypotheses=[sp.Eq(_v[i], -_g[i]) for i in range(3)],
    conclusion=sp.Eq(sum(_v[i] * _g[i] for i in range(3)), -sum(_g[i] ** 2 for i in range(3))),
    statement=r"\dot\gamma=-\nabla F(\gamma)\implies\langle\dot\gamma,\nabla F(\gamma)\rangle=-\|\nabla F(\gamma)\|^2",
    scope="d = 3; the computation is coordinatewise",
)
_F2 = sp.Function("F")
_c1, _c2 = sp.Function("gamma1"), sp.Function("gamma2")
chain_rule = Identity(
    "chain rule: d/ds F(gamma(s)) = <gamma'(s), grad F(gamma(s))>",
    sp.diff(_F2(_c1(ss), _c2(ss)), ss),
    sum(sp.diff(_c(ss), ss) * sp.Subs(sp.Derivative(_F2(u1, u2), _u), (u1, u2), (_c1(ss), _c2(ss))) for _c, _u in ((_c1, u1), (_c2, u2))),
    statement=r"\frac{d}{ds}F(\gamma(s))=\langle\dot\gamma(s),\nabla F(\gamma(s))\rangle",
    scope="d = 2, abstract C^1 F",
    note="With an abstract $C^1$ function $F$ of two variables and abstract curves; integrating over $[0,T]$ gives the first equality (fundamental theorem of calculus).",
)
_I0, _m0, _s0 = sp.symbols("I m s0", real=True)
delta_positive = Implication(
    "delta > 0: the integrand is >= m > 0 on [0, s0] by continuity, since grad F(theta) != 0",
    hypotheses=[_I0 >= _s0 * _m0, _s0 > 0, _m0 > 0],
    conclusion=_I0 > 0,
    statement=r"\int_0^T\|\nabla F(\gamma)\|^2\ge s_0m,\ s_0>0,\ m>0\implies\delta>0",
)
descent_derivation = Derivation(
    "F(gamma(T)) = F(theta) - delta with delta > 0",
    start=r"F(\gamma(T))",
    steps=[
        Step("=", r"F(\bar\theta)+\int_0^T\langle\dot\gamma(s),\nabla F(\gamma(s))\rangle ds", "chain rule and fundamental theorem of calculus", check=chain_rule),
        Step("=", r"F(\bar\theta)-\int_0^T\|\nabla F(\gamma(s))\|^2ds", r"$\dot\gamma=-\nabla F(\gamma)$", check=flow_substitution),
        Step("<", r"F(\bar\theta)", r"$\delta>0$ since $\nabla F(\bar\theta)\ne0$ and $\nabla F$ is continuous", check=delta_positive),
    ],
)


def _gradF_nl(x: Any, y: Any) -> list[Any]:
    return [mpmath.tanh(x) + y / 2, y**3 + x / 2]


def _F_nl(x: Any, y: Any) -> Any:
    return mpmath.log(mpmath.cosh(x)) + y**4 / 4 + x * y / 2


def descent_numeric(settings: CheckSettings) -> list[tuple[str, Any]]:
    rows = []
    with mpmath.workdps(min(settings.digits, 25)):
        for x0, y0, T in ((mpmath.mpf(1), mpmath.mpf("0.5"), mpmath.mpf("0.5")), (mpmath.mpf(-2), mpmath.mpf("0.25"), mpmath.mpf("0.5"))):
            sol = mpmath.odefun(lambda s, u: [-g for g in _gradF_nl(u[0], u[1])], 0, [x0, y0])
            integral = mpmath.quad(lambda s, sol=sol: sum(g**2 for g in _gradF_nl(*sol(s))), [0, T])
            end = sol(T)
            rows.append((f"theta = ({x0}, {y0}), T = {T}", _F_nl(end[0], end[1]) - _F_nl(x0, y0) + integral))
    return rows


descent_ode = NumericAgreement(
    "nonlinear F = log cosh(x) + y^4/4 + xy/2: the identity along the flow (Taylor ODE solver + quadrature, 25 digits)",
    descent_numeric,
    tol=1e-18,
    statement=r"F(\gamma(T))-F(\bar\theta)+\int_0^T\|\nabla F(\gamma(s))\|^2ds\approx0",
    note="$\\gamma$ by mpmath's Taylor-series ODE solver (odefun) at 25 digits, the integral by tanh-sinh quadrature of $\\|\\nabla F(\\gamma(s))\\|^2$.",
)


def lemma_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """SGD restarted at theta_bar (non-critical) at index k_i: over the window tau in [tau_{k_i}, tau_{k_i}+T] it stays eps-close and F drops by about delta."""
    rng = np.random.default_rng(settings.seed)
    A = np.array([1.0, -0.5])  # F = (theta_1^2 - theta_2^2/2)/2, a saddle landscape; theta_bar non-critical
    F = lambda th: (A * th**2).sum(axis=-1) / 2  # noqa: E731
    tb, T = np.array([1.0, 0.2]), 1.0
    gT = tb * np.exp(-A * T)
    delta = F(tb) - F(gT)
    eps = 1.5 * np.max([np.linalg.norm(tb * np.exp(-A * s) - tb) for s in np.linspace(0, T, 50)])
    rows, errs, dists = [], [], []
    for ki in (10, 100, 1000, 10000):
        th = np.tile(tb, (100, 1))
        tau, j, far = 0.0, ki, np.zeros(100)
        while tau + (j + 1) ** -_P <= T:
            a = (j + 1) ** -_P
            th = th - a * (A * th + rng.uniform(-1, 1, size=th.shape))
            far = np.maximum(far, np.linalg.norm(th - tb, axis=1))
            tau += a
            j += 1
        err = float(np.mean(np.abs(F(th) - (F(tb) - delta))))
        errs.append(err)
        dists.append(float(far.max()))
        rows.append(f"k_i={ki}: l_i={j}, mean |F(theta_l) - (F(theta_bar) - delta)| = {err:.3g}, max ||theta_k - theta_bar|| = {far.max():.3g}")
    ok = errs[-1] < delta / 4 and errs[-1] < errs[0] and dists[-1] <= eps
    return ok, f"delta = {delta:.4g}, eps = {eps:.3g}; " + "; ".join(rows), {"errors": errs}


lemma_illustration = Illustration(
    "the lemma: started near a non-critical theta_bar late, SGD stays eps-close and F drops by about delta",
    lemma_experiment,
    shows="with $\\bar\\theta$ non-critical, SGD iterates from index $k_i$ to $l_i$ (the last index with $\\tau_l\\le\\tau_{k_i}+T$) stay within $\\varepsilon$ of $\\bar\\theta$ and $F(\\theta_{l_i})\\to F(\\gamma(T))=F(\\bar\\theta)-\\delta$ as $k_i$ grows",
    does_not_show="the lemma for subsequences of a single trajectory (restarts at $\\bar\\theta$ stand in for $\\theta_{k_i}\\to\\bar\\theta$), nor its proof (which uses Benaïm's theorem)",
    statement=r"F(\theta_{l_i})\le F(\bar\theta)-\delta,\ \|\theta_k-\bar\theta\|\le\varepsilon,\ k_i\le k\le l_i",
)

register(
    Entry(
        id="pauwels.descent-in-the-limit",
        title="Consequence of Benaïm's theorem: descent in the limit",
        where="Consequence: descent in the limit",
        statement=(
            r"Lemma: let $\theta_{k_i}\to\bar\theta$ with $\nabla F(\bar\theta)\ne0$. For any $\varepsilon>0$ there are $\delta>0$ and $l_i\ge k_i$ "
            r"such that for large $i$, $\|\theta_k-\bar\theta\|\le\varepsilon$ for $k=k_i,\dots,l_i$ and $F(\theta_{l_i})\le F(\bar\theta)-\delta$. "
            r"Proof: $F(\gamma(T))=F(\bar\theta)+\int_0^T\langle\dot\gamma(s),\nabla F(\gamma(s))\rangle ds=F(\bar\theta)-\int_0^T\|\nabla F(\gamma(s))\|^2ds$ "
            r"($=F(\bar\theta)-\delta$, $\delta>0$); $l_i$ the largest $l$ with $\tau_l\le\tau_{k_i}+T$; Benaïm and continuity give $F(\theta_{l_i})\to F(\gamma(T))$."
        ),
        checks=[descent_identity_quadratic, descent_identity_saddle, descent_derivation, descent_ode, lemma_illustration],
        status=Status.ILLUSTRATED,
        reading=(
            "The proof's identity is proved symbolically (abstract chain rule; closed-form quadratic flows) and checked numerically on "
            "a nonlinear flow; the lemma itself (an asymptotic statement resting on Benaïm's theorem) is only illustrated, hence the "
            "status. A gap in the proof: it asserts $F(\\theta_{l_i})\\le F(\\bar\\theta)-\\delta$ but shows only "
            "$F(\\theta_{l_i})\\to F(\\gamma(T))=F(\\bar\\theta)-\\delta$; a limit gives the bound with $\\delta/2$ for $i$ large, "
            "which is enough for the lemma, and the illustration tests that version."
        ),
    )
)


# ====================================================================== limit values

def limit_values_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """SGD on the double well l_i(theta) = (theta^2-1)^2/4 + c_i theta (sum c_i = 0): tail ranges of F(theta_k)."""
    th = sp.Symbol("th", real=True)
    Fs = (th**2 - 1) ** 2 / 4
    crit = sp.solve(sp.diff(Fs, th), th)
    Fstar = sorted({Fs.subs(th, c) for c in crit})
    rng = np.random.default_rng(settings.seed)
    c = np.array([-0.5, 0.0, 0.5])
    n, K = 300, 24000
    theta = rng.uniform(-2, 2, size=n)
    lo, hi = np.full(n, np.inf), np.full(n, -np.inf)
    for j in range(K):
        i = rng.integers(0, 3, size=n)
        theta = theta - 0.2 * (j + 1) ** -0.7 * (theta**3 - theta + c[i])
        if j >= K // 2:
            Fv = (theta**2 - 1) ** 2 / 4
            lo, hi = np.minimum(lo, Fv), np.maximum(hi, Fv)
    width = hi - lo
    centres = (hi + lo) / 2
    dist = np.min(np.abs(centres[:, None] - np.array([float(v) for v in Fstar])[None, :]), axis=1)
    ok = bool(np.median(width) < 5e-3 and np.all(dist < 2e-2))
    figure = {"kind": "histogram", "values": [float(v) for v in centres], "bins": 40, "xlabel": "centre of the tail range of F(theta_k) (F* = {0, 1/4})"}
    return ok, f"F* = {Fstar}; over k in [{K // 2}, {K}] the range of F(theta_k) has median width {np.median(width):.2g} (max {width.max():.2g}); its centre is within {dist.max():.2g} of F*", {"figure": figure}


limit_values = Illustration(
    "SGD on a tame double well: the limit values of F(theta_k) shrink to a point of the finite set F*",
    limit_values_experiment,
    shows="for $F=(\\theta^2-1)^2/4$ (semi-algebraic, $F^*=\\{0,1/4\\}$ computed exactly) and 300 SGD runs, the range of $F(\\theta_k)$ over the second half of 24000 steps is narrow and centred on a critical value: $\\Omega$ behaves as a singleton in $F^*$",
    does_not_show="that $\\Omega$ is an interval (the exercise) or contained in $F^*$ in general; finite runs only approximate the limit set",
    statement=r"\Omega\subset F^*,\ F^*=\{0,\tfrac14\}",
)


def interval_exercise(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """A bounded sequence with vanishing increments has an interval of limit points: u_k = sin(sqrt k)."""
    kk = np.arange(1, 2_000_001)
    u = np.sin(np.sqrt(kk))
    tail = u[1_000_000:]
    grid = np.linspace(-0.99, 0.99, 199)
    hit = np.array([np.any(np.abs(tail - g) < 1e-3) for g in grid])
    figure = {"kind": "histogram", "values": [float(v) for v in tail[::500]], "bins": 40, "xlabel": "u_k = sin(sqrt k), k in [10^6, 2 10^6] (every 500th)"}
    return bool(hit.all()), f"increments <= {np.abs(np.diff(u[1_000_000:])).max():.2g}; every point of a grid of [-0.99, 0.99] is within 1e-3 of a late term", {"figure": figure}


interval_illustration = Illustration(
    "why Omega is an interval: vanishing increments make the limit set connected (u_k = sin sqrt k)",
    interval_exercise,
    shows="a bounded sequence with $|u_{k+1}-u_k|\\to0$ (like $F(\\theta_k)$, since $\\alpha_k\\to0$ and the iterates are bounded) visits every value of $[-1,1]$ in its tail: its set of limit points is an interval",
    does_not_show="the exercise's proof; here the limit set is the whole interval, whereas for SGD on tame $F$ the lemma forces a singleton",
    statement=r"|u_{k+1}-u_k|\to0,\ (u_k)\ \text{bounded}\implies\Omega\ \text{is a compact interval}",
)

register(
    Entry(
        id="pauwels.limit-values",
        title="Limit values and critical points: Omega is an interval in F*",
        where="Consequence: limit values and critical points",
        statement=(
            r"$\liminf_kF(\theta_k)$ is a critical value of $F$. $F^*=\{F(\theta),\nabla F(\theta)=0,\|\theta\|\le C\}$. Lemma: let $\Omega$ be the set "
            r"of limit points of $(F(\theta_k))$; $\Omega$ is an interval contained in $F^*$. Proof: $\Omega$ is a compact interval (exercise), "
            r"$\min\Omega\in F^*$; if $\bar f\in\mathrm{int}(\Omega)\setminus F^*$, descent in the limit gives a contradiction."
        ),
        checks=[limit_values, interval_illustration],
        status=Status.ILLUSTRATED,
        reading="Illustrated: the slide proves it from descent in the limit; we exhibit the qualitative behaviour on a semi-algebraic double well.",
    )
)


# ====================================================================== corollary for deep learning

_XD = np.array([1.0, 2.0, -1.0])
_YD = np.array([1.0, 2.5, -0.5])
Fprod = sum((Xs * Ys * float(xd) - sp.nsimplify(yd)) ** 2 for xd, yd in zip(_XD.tolist(), _YD.tolist(), strict=True)) / 3
Fprod = sp.nsimplify(Fprod)


def product_critical_values(_: object) -> Judgement:
    g = elimination_polynomial(Fprod)
    roots = sp.Poly(g, Cs).real_roots() if g != 0 else []
    return Judgement(g != 0, Verdict.PROVED, f"critical values among the roots of {sp.factor(g)}: {roots}")


product_Fstar = Definition(
    "F(theta) = (1/3) sum_i (theta_1 theta_2 x_i - y_i)^2 (semi-algebraic) has finitely many critical values",
    product_critical_values,
    [("two-parameter linear network", None, True)],
    statement=r"F^*\ \text{finite (Gr\"obner elimination)},\quad F(\theta)=\tfrac13\textstyle\sum_i(\theta_1\theta_2x_i-y_i)^2",
)


def _sgd_product(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    th = rng.uniform(-1.5, 1.5, size=(n, 2))
    tail_lo, tail_hi = np.full(n, np.inf), np.full(n, -np.inf)
    maxnorm = np.zeros(n)
    K = 20000
    for j in range(K):
        i = rng.integers(0, 3, size=n)
        r = th[:, 0] * th[:, 1] * _XD[i] - _YD[i]
        g = np.column_stack([2 * r * _XD[i] * th[:, 1], 2 * r * _XD[i] * th[:, 0]])
        th = th - 0.5 / (j + 100) * g
        maxnorm = np.maximum(maxnorm, np.linalg.norm(th, axis=1))
        if j >= K // 2:
            p = th[:, 0] * th[:, 1]
            Fv = ((p[:, None] * _XD[None, :] - _YD[None, :]) ** 2).mean(axis=1)
            tail_lo, tail_hi = np.minimum(tail_lo, Fv), np.maximum(tail_hi, Fv)
    return th, tail_hi - tail_lo, maxnorm


def _critical_and_settled(rng: np.random.Generator, n: int) -> np.ndarray:
    th, width, maxnorm = _sgd_product(rng, n)
    p = th[:, 0] * th[:, 1]
    r = p[:, None] * _XD[None, :] - _YD[None, :]
    grad = np.column_stack([(2 * r * _XD[None, :]).mean(axis=1) * th[:, 1], (2 * r * _XD[None, :]).mean(axis=1) * th[:, 0]])
    return (np.linalg.norm(grad, axis=1) <= 5e-2) & (width <= 1e-2) & (maxnorm <= 10)


corollary_mc = MonteCarlo(
    "SGD (uniform sampling, alpha_k = 0.5/(k+100)) on the product model: bounded, F(theta_k) settles, grad F(theta_K) ~ 0",
    _critical_and_settled,
    rel=">=",
    bound=0.95,
    samples=400,
    statement=r"\mathbb{P}\Big[\sup_k\|\theta_k\|\le10,\ \mathrm{osc}_{k\ge K/2}F(\theta_k)\le0.01,\ \|\nabla F(\theta_K)\|\le0.05\Big]\ge0.95",
    note="$K=20000$ steps from uniform initialisations in $[-1.5,1.5]^2$; finite-horizon proxies for a.s. convergence of $F(\\theta_k)$ and criticality of accumulation points. Clopper-Pearson at confidence $1-10^{-3}$.",
)


def corollary_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    rng = np.random.default_rng(settings.seed)
    th, width, _ = _sgd_product(rng, 200)
    p = th[:, 0] * th[:, 1]
    Fv = ((p[:, None] * _XD[None, :] - _YD[None, :]) ** 2).mean(axis=1)
    g = elimination_polynomial(Fprod)
    Fstar = [float(r) for r in sp.Poly(g, Cs).real_roots()]
    dist = np.min(np.abs(Fv[:, None] - np.array(Fstar)[None, :]), axis=1)
    ok = bool(np.quantile(dist, 0.95) < 2e-2)
    figure = {"kind": "histogram", "values": [float(v) for v in Fv], "bins": 40, "xlabel": f"F(theta_K) over 200 runs (F* = {[round(v, 4) for v in Fstar]})"}
    return ok, f"F* = {[round(v, 6) for v in Fstar]}; final F(theta_K) within {np.quantile(dist, 0.95):.2g} of F* for 95% of 200 runs (median tail oscillation {np.median(width):.2g})", {"figure": figure}


corollary_illustration = Illustration(
    "the final values F(theta_K) sit at a critical value in F*",
    corollary_experiment,
    shows="on the semi-algebraic product model the limits of $F(\\theta_k)$ are (up to finite-horizon error) elements of the finite set $F^*$ obtained by elimination",
    does_not_show="almost sure convergence (finite runs), nor the corollary for networks with more parameters",
    statement=r"\lim_kF(\theta_k)\in F^*",
)

register(
    Entry(
        id="pauwels.sgd-tame-corollary",
        title="Corollary for deep learning: SGD on tame losses",
        where="Corollary for deep learning (both slides)",
        statement=(
            r"Stochastic gradient with $(i_k)$ iid uniform on $\{1,\dots,n\}$: $\theta_{k+1}|\theta_k=\theta_k-\alpha_k\nabla l_{i_k}(\theta_k)$. "
            r"Conditioning on $(\theta_k)$ being bounded, almost surely, $F(\theta_k)$ converges and any accumulation point $\bar\theta$ satisfies "
            r"$\nabla F(\bar\theta)=0$ (nonsmooth version: $0\in\partial F(\bar\theta)$). Ingredients: $F$ definable; definable Morse-Sard ($F^*$ finite); "
            r"$\Omega\subset F^*$ an interval, hence a singleton; accumulation points critical by descent in the limit."
        ),
        hypotheses=[r"$F$ tame (semi-algebraic)", r"$\sum\alpha_k=\infty$, $\sum\alpha_k^2<\infty$", r"$(\theta_k)$ bounded"],
        checks=[product_Fstar, corollary_mc, corollary_illustration],
        status=Status.ILLUSTRATED,
        reading="The slide does not state step-size conditions on this slide; the Robbins-Monro conditions of 'The ODE method' are assumed. Illustrated on the smooth semi-algebraic model $F(\\theta)=\\frac13\\sum_i(\\theta_1\\theta_2x_i-y_i)^2$ (the $(a,b)\\mapsto ab$ structure of networks); the nonsmooth version is not simulated.",
    )
)
