"""The least-squares instance LS2 of the sgdloj checks of Theorem 3.1 (Section 3 of arXiv 2304.09221).

LS2 (theorems/sgd_models.py) has A = [[2, 1], [2, -1]], y = (3, 1), the unique zero theta* = (1, 1),
and exact constants alpha = 4, C_L = 8, sigma = 16 (single-sample SGD), so that
sqrt(2 C_L) + sqrt(sigma) = 8 and, with eta <= alpha/(4 C_L (2 C_L + sigma)) = 1/256,
rho(eta) = 1 - 4 eta + 128 eta^2 is rational. Here: its backend formulas, every sampling path of a
few steps enumerated exactly, the Monte Carlo start and the instance of Theorem 3.1."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction as Q
from typing import Any

import numpy as np
from hypothesis import strategies as st

from symbolic import Bound, Case
from symbolic.backends import Backend, Number
from theorems.cases import values_in
from theorems.sgd_models import LS2, THETA_STAR, LeastSquares, exact_paths, in_ball

ALPHA, C_L, SIGMA = Q(4), Q(8), Q(16)  # exact for LS2 (checked in sgdloj.noise-models / theorem-3-1)
K_CONST = Q(8)  # sqrt(2 C_L) + sqrt(sigma) = 4 + 4
ETA_MAX = ALPHA / (4 * C_L * (2 * C_L + SIGMA))  # = 1/256 <= 1/alpha


def rho_of(eta: Q) -> Q:
    """(3.2): rho = 1 - eta alpha + eta^2 C_L (2 C_L + sigma) / 2 for LS2."""
    return 1 - eta * ALPHA + eta * eta * C_L * (2 * C_L + SIGMA) / 2


def ls2_residuals(B: Backend, th: Sequence[Number], ls: LeastSquares = LS2) -> list[Number]:
    """r = A theta - y in backend arithmetic."""
    return [B.dot([B.num(a) for a in row], th) - B.num(yi) for row, yi in zip(ls.A, ls.y, strict=True)]


def ls2_F(B: Backend, th: Sequence[Number], ls: LeastSquares = LS2) -> Number:
    """F(theta) = |A theta - y|^2 / n in backend arithmetic."""
    return B.norm2(ls2_residuals(B, th, ls)) / B.num(ls.n)


def ls2_sample_grad_norms(B: Backend, th: Sequence[Number], ls: LeastSquares = LS2) -> list[Number]:
    """|g_i(theta)| = 2 |a_i| |r_i|."""
    r = ls2_residuals(B, th, ls)
    return [B.num(2) * B.sqrt(B.num(sum((a * a for a in row), Q(0)))) * B.abs(ri) for row, ri in zip(ls.A, r, strict=True)]


def ls2_mean_step(B: Backend, th: Sequence[Number], eta: Number, ls: LeastSquares = LS2) -> Number:
    """E|theta_1 - theta_0| = eta E|g_i(theta_0)| (i uniform): exact over the finite sampling law."""
    norms = ls2_sample_grad_norms(B, th, ls)
    total = B.num(0)
    for v in norms:
        total = total + v
    return eta * total / B.num(ls.n)


def sqrt_rho_of(B: Backend, eta: Number) -> Number:
    """sqrt(rho(eta)) of (3.2) for LS2 in backend arithmetic."""
    return B.sqrt(B.num(1) - B.num(ALPHA) * eta + eta * eta * B.num(C_L * (2 * C_L + SIGMA) / 2))


@st.composite
def ls2_cases(draw: st.DrawFn, spread: Q = Q(1, 2), extra: dict[str, Bound] | None = None) -> Case:
    """theta0 = theta* + offset (offset in [-spread, spread]^2), eta in (0, 1/256], optional extra params."""
    bounds = {"eta": Bound(Q(0), ETA_MAX, True, False), **(extra or {})}
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    off = tuple(draw(values_in(Bound(-spread, spread, False, False))) for _ in range(2))
    return Case(params=params, points={"theta0": tuple(t + o for t, o in zip(THETA_STAR, off, strict=True))}, bounds=bounds)


_GRID_OFFSETS = [(Q(1, 10), Q(0)), (Q(1, 50), Q(0)), (Q(0), Q(1, 20)), (Q(1, 30), Q(-1, 40)), (Q(-1, 5), Q(1, 7)), (Q(1, 1000), Q(1, 1000)), (Q(2, 5), Q(-3, 10))]
_GRID_ETAS = [ETA_MAX, Q(1, 512)]
KMAX = 5


def enumerated_runs() -> list[dict[str, Any]]:
    """Per (theta0, eta, r): all 2^k sampling paths for k <= _KMAX, in exact rationals (cached)."""
    if not hasattr(enumerated_runs, "cache"):
        out = []
        for off in _GRID_OFFSETS:
            th0 = tuple(t + o for t, o in zip(THETA_STAR, off, strict=True))
            F0 = LS2.F(th0)
            for eta in _GRID_ETAS:
                paths = exact_paths(LS2, th0, eta, KMAX + 1)
                # radius with (2.2): 4 F0 < r^2 alpha, i.e. r^2 > F0; a tight one and a loose one
                for r in (Q(math.isqrt(int(F0 * 10**6)) + 1, 1000), Q(1)):
                    out.append({"theta0": th0, "eta": eta, "r": r, "F0": F0, "paths": paths})
        enumerated_runs.cache = out  # type: ignore[attr-defined]
    return enumerated_runs.cache  # type: ignore[attr-defined]


_EXP_CACHE: dict[tuple[int, Q, int], tuple[Q, list[tuple[Q, Q]]]] = {}


def exact_expectations(c: dict[str, Any], k: int) -> tuple[Q, list[tuple[Q, Q]]]:
    """E[F(theta_k) 1_{E_k(r)}] exactly, and the (probability, |theta_{k+1}-theta_k|^2) pairs on E_k(r) (memoised)."""
    key = (id(c["paths"]), c["r"], k)
    if key not in _EXP_CACHE:
        _EXP_CACHE[key] = _exact_expectations_uncached(c, k)
    return _EXP_CACHE[key]


def _exact_expectations_uncached(c: dict[str, Any], k: int) -> tuple[Q, list[tuple[Q, Q]]]:
    """E[F(theta_k) 1_{E_k(r)}] and the (weight, squared step) pairs on E_k(r), summed over every enumerated path."""
    paths = c["paths"]
    n_paths = len(paths)
    # paths has 2^(_KMAX+1) leaves; the law of theta_0..theta_k is uniform over the leaves as well
    EF = Q(0)
    steps: list[tuple[Q, Q]] = []
    w = Q(1, n_paths)
    for path in paths:
        if all(in_ball(path[j], c["theta0"], c["r"]) for j in range(k + 1)):
            EF += w * LS2.F(path[k])
            steps.append((w, sum(((a - b) ** 2 for a, b in zip(path[k + 1], path[k], strict=True)), Q(0))))
    return EF, steps


def decay_cases() -> list[dict[str, Any]]:
    """The enumerated runs of :func:`enumerated_runs`, once for each k <= KMAX."""
    return [{**c, "k": k} for c in enumerated_runs() for k in range(KMAX + 1)]


def expected_step_length(c: dict[str, Any], B: Backend) -> Number:
    """E|theta_{k+1} - theta_k| 1_{E_k(r)}, exactly over the enumerated paths."""
    _, steps = exact_expectations(c, c["k"])
    total = B.num(0)
    for w, sq in steps:
        total = total + B.num(w) * B.sqrt(B.num(sq))
    return total


def corrected_step_margin(c: dict[str, Any], B: Backend) -> Number:
    """(3.10) corrected: E|theta_{k+1}-theta_k| 1_{E_k} <= K eta rho^{k/2} sqrt(F0)."""
    eta = B.num(c["eta"])
    bound = B.num(K_CONST) * eta * B.ipow(sqrt_rho_of(B, eta), c["k"]) * B.sqrt(B.num(c["F0"]))
    return bound - expected_step_length(c, B)


# the start of the Monte Carlo checks of (3.9)-(3.10)
_MC_OFFSET = np.array([0.02, 0.0])  # theta0 - theta* along the fast direction: F0 = 4 * 0.02^2 = 0.0016
MC_THETA0 = np.array([1.0, 1.0]) + _MC_OFFSET
MC_F0 = float(LS2.F((Q(51, 50), Q(1))))
MC_ETA = float(ETA_MAX)
MC_RHO = float(rho_of(ETA_MAX))
MC_R_SMALL = 0.05  # (2.2): r^2 = 0.0025 > F0 = 0.0016

# ---- the Theorem 3.1 instance: theta0 = theta* + (1/50, 0), R = 3, eta = 1/256
T31_THETA0 = (Q(51, 50), Q(1))
T31_R = Q(3)
T31_D = Q(1, 50)  # |theta0 - theta*|
T31_M0 = (T31_R - 1 - T31_D) ** 2  # F >= |theta - theta*|^2 (lambda_min(A^T A)/n = 1) and |theta - theta*| >= R - 1 - d on the annulus
T31_F0 = LS2.F(T31_THETA0)
T31_ETA = ETA_MAX
T31_RHO = rho_of(T31_ETA)


def delta_corrected(F0: float) -> float:
    """The corrected (3.19) bound on P(E_k^c(R - 1)) in the Theorem 3.1 instance, as a function of F(theta_0)."""
    s = math.sqrt(float(T31_RHO))
    return math.sqrt(F0) * float(K_CONST * T31_ETA) / (1 - s) + F0 * float(T31_RHO) / (float(T31_M0) * (1 - float(T31_RHO)))


T31_STEPS = 2000  # the horizon of the Monte Carlo checks of Theorem 3.1
