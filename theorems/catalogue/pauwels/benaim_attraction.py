"""pauwels.benaim-attraction: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 5 "Approaching critical point with noise", slide "A result of Benaim: flow attracts interpolated process".

Theorem (Benaïm 1996): with Robbins-Monro steps, bounded martingale-difference noise and bounded iterates,
sup_{0<=s<=T} ||w(t + s) - S(w(t), s)|| -> 0 as t -> oo. Illustrated.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from symbolic import CheckSettings, Illustration, MonteCarlo
from theorems.registry import Entry, Status, register

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
