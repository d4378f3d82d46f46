"""Simulations of the rotated-noise iteration (4.15) of Theorem 4.4 (Section 4 of arXiv 2304.09221).

On LS2 (strongly convex) and LS_FLAT (a flat direction, p = 3 > n = 2) from theorems.sgd_models,
and the growth of sum_k |Z_k|/k of (4.17).

The exact runs for F(theta) = theta^2 (gamma = 1, n0 = 2, q = 1, Z_k = +-m, O_0 = I, O_k = sign(Z_k) sign(Z_1))
are computed in rationals.
"""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import numpy as np

from symbolic import CheckSettings
from theorems.sgd_models import LS2, LS_FLAT, rotated_noise_run

_LS_ALPHA, _LS_CL = 4.0, 8.0  # LS2 and LS_FLAT: alpha = 4, C_L = 8 (theorems.sgd_models)


def n0_of(gamma: float, q: float) -> float:
    """The smallest integer n_0 >= (2 C_L^2 gamma/alpha)^(1/q) for LS2 and LS_FLAT (Lemma 4.2, (4.10))."""
    return float(np.ceil((2 * _LS_CL**2 * gamma / _LS_ALPHA) ** (1 / q)))


def flat_exit_simulation(q: float, steps: int) -> Any:
    """A simulator for MonteCarlo: does (4.15) on LS_FLAT leave B(theta0, 1/2) within ``steps`` steps (one bool per run)?"""
    th0 = np.array([51 / 50, 1.0, 0.0])
    gamma = 1.0  # > 2/alpha = 1/2

    def grad(th: np.ndarray) -> np.ndarray:
        r = th @ LS_FLAT.An.T - LS_FLAT.yn
        return (2.0 / LS_FLAT.n) * r @ LS_FLAT.An

    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        Z = 2.0 * rng.standard_normal((steps, n, 3))  # E Z = 0, E|Z| = 2 * 2 sqrt(2/pi), E|Z|^2 = 12
        dist = rotated_noise_run(grad, th0, Z, gamma, n0_of(gamma, q), q)
        return np.asarray((dist > 0.5).any(axis=0))

    return simulate


def convex_stays(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """LS2 (strongly convex, n = p = 2) with small bounded rotated noise: no run leaves B(theta0, r)."""
    rng = np.random.default_rng(settings.seed)
    runs, steps = int(400 * settings.mc_scale), 4000
    th0 = np.array([51 / 50, 1.0])
    gamma = 1.0

    def grad(th: np.ndarray) -> np.ndarray:
        r = th @ LS2.An.T - LS2.yn
        return (2.0 / LS2.n) * r @ LS2.An

    Z = 0.1 * rng.choice([-1.0, 1.0], size=(steps, runs, 2))
    dist = rotated_noise_run(grad, th0, Z, gamma, n0_of(gamma, 1.0), 1.0)
    exited = int((dist > 0.5).any(axis=0).sum())
    return exited == 0, f"{runs} runs of (4.15) on LS2, gamma = 1, n0 = 32, q = 1, Z_k uniform on {{-0.1, 0.1}}^2, r = 1/2: {exited} leave the ball; max_k |theta_k - theta0| = {dist.max():.4f}", {"exited": exited, "max_distance": float(dist.max())}


def drift_growth(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """(4.17): the partial sums of |Z_k|/k for half-normal |Z_k| grow like E|Z| log n."""
    rng = np.random.default_rng(settings.seed)
    runs, N = int(100 * settings.mc_scale), 20000
    Z = np.abs(rng.standard_normal((runs, N)))  # |Z_k|, E|Z| = sqrt(2/pi)
    partial = np.cumsum(Z / np.arange(1, N + 1), axis=1)
    checkpoints = [10, 100, 1000, 10000, 20000]
    mins = [float(partial[:, c - 1].min()) for c in checkpoints]
    ratio = float(partial[:, -1].mean() / np.log(N))
    ok = all(b > a for a, b in zip(mins, mins[1:], strict=False)) and abs(ratio - np.sqrt(2 / np.pi)) < 0.15
    return ok, f"min over {runs} runs of sum_(k<=n) |Z_k|/k at n = {checkpoints}: {[f'{v:.2f}' for v in mins]}; mean/log N = {ratio:.3f} (E|Z| = {np.sqrt(2 / np.pi):.3f})", {"mins": mins}


def sup_distance(theta0: Q, m: Q, s0: int, s: int) -> Q:
    """sup_k |theta_k - theta0| for the realization (sign Z_0, sign Z_1) = (s0, s), exactly.

    theta_k = -m s/2 + e_1 * 2/(k(k+1)) (k >= 1) with e_1 = m (s - s0)/2; x -> |c + e_1 x| is convex on
    [0, 1], so the sup over x in {2/(k(k+1))} (and its limit 0) is max(|theta_1 - theta0|, |-m s/2 - theta0|).
    """
    c = -m * s / 2 - theta0
    e1 = m * (s - s0) / 2
    return max(abs(c + e1), abs(c), Q(0))


def exact_trajectory_check() -> tuple[bool, str]:
    """Iterate (4.15) exactly (rationals) for 400 steps in the four realizations and compare with the closed form."""
    m, t0, r = Q(1, 10), Q(1, 10), Q(1)
    worst = Q(0)
    for s0 in (1, -1):
        for s in (1, -1):
            th = t0
            for k in range(400):
                noise = m * s0 if k == 0 else m * s
                th = th - Q(1, k + 2) * (2 * th + noise)
                closed = -m * s / 2 + (m * (s - s0) / 2) * Q(2, (k + 1) * (k + 2))
                if th != closed:
                    return False, f"closed form differs at k = {k + 1}"
                worst = max(worst, abs(th - t0))
    return worst <= r, f"max_k<=400 |theta_k - theta0| = {worst} <= r = {r} in all four realizations"


def sign_cases() -> list[dict[str, Any]]:
    """Exact runs of (4.15) for F = theta^2 (gamma = 1, n0 = 2, q = 1, Z_k = +-m, O_0 = I, O_k = sign(Z_k) sign(Z_1)).

    Each case: theta0, m, the signs (s_0, ..., s_n) of Z_0..Z_n, n, and the exact values of
    S_minus = |sum_k (theta_{k+1} - theta_k - eta_k F'(theta_k))| (as printed), S_plus (with +),
    N = |sum_k eta_k O_k Z_k|, D = |sum_k (theta_{k+1} - theta_k)| and G = sum_k eta_k |F'(theta_k)|.
    The first case is the audit's: theta0 = 1, Z_0 = 1, n = 0.
    """
    out = []
    for th0, m in ((Q(1), Q(1)), (Q(1, 10), Q(1, 10)), (Q(-1, 2), Q(1, 3))):
        for n in range(4):
            for bits in range(2 ** (n + 1)):
                signs = tuple(1 if (bits >> i) & 1 == 0 else -1 for i in range(n + 1))
                th = th0
                s_minus = s_plus = noise = dist = grad_sum = Q(0)
                for k in range(n + 1):
                    eta = Q(1, k + 2)
                    oz = m * signs[0] if k == 0 else m * signs[1]  # O_0 = I; O_k Z_k = |Z_k| sign(Z_1) for k >= 1
                    g = 2 * th
                    nxt = th - eta * (g + oz)
                    s_minus += nxt - th - eta * g
                    s_plus += nxt - th + eta * g
                    noise += eta * oz
                    dist += nxt - th
                    grad_sum += eta * abs(g)
                    th = nxt
                out.append({"theta0": th0, "m": m, "signs": signs, "n": n, "lhs (printed sign)": abs(s_minus), "lhs (+ sign)": abs(s_plus),
                            "|sum eta_k O_k Z_k|": abs(noise), "|sum steps|": abs(dist), "sum eta_k |grad F|": grad_sum})
    return out
