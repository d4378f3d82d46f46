"""STOCHASTIC DIFFERENTIAL EQUATIONS, ITO CALCULUS: Brownian increments and the Ito integral.

W_{t+u} - W_t ~ N(0, u 1), independent of W_s (s < t), tested by Monte Carlo with a stated
power on paths built by Lévy's midpoint construction (no time-stepping); the Ito integral as the
limit of left-point sums, and the right-point sums' different limit, exactly for int W dW.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from symbolic import Identity, MonteCarlo, levy_brownian
from symbolic.exact_moments import GaussianIdentity
from theorems.registry import Entry, Status, register

from ._simulation import two_sided

# ------------------------------------------------------------------ increments (l = 2, T = 1, 16 dyadic steps)

_LEVELS, _L = 4, 2
_T_IDX, _TU_IDX, _S_IDX = 4, 12, 3  # t = 1/4, t + u = 3/4 (u = 1/2), s = 3/16 < t
_U, _S = 0.5, 3 / 16
_MEDIAN = 2 * math.log(2)  # P(|Z|^2 <= 2 ln 2) = 1/2 for Z ~ N(0, I_2) (chi-square with 2 degrees of freedom)


def _paths(rng: np.random.Generator, n: int) -> np.ndarray:
    return levy_brownian(rng, n, _LEVELS, T=1.0, dim=_L)


def _sim_increment(rng: np.random.Generator, n: int) -> np.ndarray:
    W = _paths(rng, n)
    inc = W[_TU_IDX] - W[_T_IDX]
    return (inc**2).sum(axis=1) <= _MEDIAN * _U


def _sim_joint(rng: np.random.Generator, n: int) -> np.ndarray:
    W = _paths(rng, n)
    inc = W[_TU_IDX] - W[_T_IDX]
    return ((inc**2).sum(axis=1) <= _MEDIAN * _U) & ((W[_S_IDX] ** 2).sum(axis=1) <= _MEDIAN * _S)


_POWER = (
    "Power: with 20000 paths each one-sided Clopper-Pearson bound is within ~0.011 of the estimate, so a law with "
    "|P - p| >= 0.047 fails the pair with probability >= 1 - 10^-3; for the increment this is any variance c u with c >= 1.15 or c <= 0.87 "
    "(P = 1 - 2^{-1/c}); for the joint event, a dependence moving P(A and B) by 0.047 from P(A)P(B)."
)

# ------------------------------------------------------------------ Ito integral of W dW

_a, _b = sp.symbols("W_{i-1} W_i", real=True)
_h, _t = sp.symbols("h t", positive=True)
_dws = sp.symbols("dW1:7", real=True)  # m = 6 increments
_M_MC, _EPS = 256, 0.1


def _sums(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    W = levy_brownian(rng, n, 8, T=1.0)[:, :, 0]  # m = 256
    dW = np.diff(W, axis=0)
    left = (W[:-1] * dW).sum(axis=0)
    right = (W[1:] * dW).sum(axis=0)
    return left, right, W[-1]


def _sim_left(rng: np.random.Generator, n: int) -> np.ndarray:
    left, _, WT = _sums(rng, n)
    return np.abs(left - (WT**2 - 1) / 2) <= _EPS


def _sim_right(rng: np.random.Generator, n: int) -> np.ndarray:
    _, right, WT = _sums(rng, n)
    return np.abs(right - (WT**2 + 1) / 2) <= _EPS


def _sim_right_not_ito(rng: np.random.Generator, n: int) -> np.ndarray:
    _, right, WT = _sums(rng, n)
    return np.abs(right - (WT**2 - 1) / 2) > 0.5


_CHEB = 1 - 1 / (2 * _M_MC * _EPS**2)  # Chebyshev: P(|L_m - I| > eps) <= E|L_m - I|^2/eps^2 = t^2/(2 m eps^2)

register(
    Entry(
        id="bruna.ito-sde",
        title="The Ito SDE: Brownian increments N(0, u 1) and independent; the Ito integral as the limit of left-point sums",
        where="STOCHASTIC DIFFERENTIAL EQUATIONS; ITO CALCULUS",
        statement=(
            r"An Ito SDE on $[0,T]$: $dX_t=b(X_t,t)dt+\sigma(X_t,t)dW_t$, $X_0=x_0$, $W_t$ an $l$-dimensional Brownian motion: $W_0=0$ a.s., "
            r"$W_{t+u}-W_t\sim\mathcal N(0,u\mathbf 1)$, $W_{t+u}-W_t$ independent of $W_s, s<t$, continuous paths. "
            r"$X_t-x_0=\int_0^tb(X_s,s)ds+\int_0^t\sigma(X_s,s)dW_s$ with "
            r"$\int_0^tF_sdW_s=\lim_{m\to\infty}\sum_{0=s_0<\dots<s_m=t}F_{s_{i-1}}(W_{s_i}-W_{s_{i-1}})$."
        ),
        hypotheses=[r"$W$ built by Lévy's midpoint construction (Brownian bridge refinement), exact in law at dyadic times"],
        checks=[
            *two_sided("increment W_{t+u} - W_t ~ N(0, u 1): P(|dW|^2 <= 2 ln2 u) = 1/2", _sim_increment, 0.5, 0.02, 20000,
                       statement=r"P\big(\|W_{t+u}-W_t\|^2\le 2\ln 2\,u\big)=\tfrac12,\quad l=2,\ t=\tfrac14,\ u=\tfrac12",
                       note=_POWER, scope="l = 2, t = 1/4, u = 1/2, paths from Lévy's construction"),
            *two_sided("independence of W_{t+u} - W_t and W_s (s < t): P(A and B) = 1/4", _sim_joint, 0.25, 0.02, 20000,
                       statement=r"P\big(\|W_{t+u}-W_t\|^2\le2\ln2\,u,\ \|W_s\|^2\le2\ln2\,s\big)=\tfrac14,\ s=\tfrac3{16}",
                       note=_POWER, scope="l = 2, s = 3/16, t = 1/4, u = 1/2",
                       title_latex=r"independence of $W_{t+u} - W_{t}$ and $W_{s}$ ($s < t$): $P(A \text{ and } B) = 1/4$"),
            Identity("left-point term: W_{i-1} dW_i = (W_i^2 - W_{i-1}^2 - dW_i^2)/2", _a * (_b - _a), (_b**2 - _a**2 - (_b - _a) ** 2) / 2,
                     statement=r"W_{i-1}(W_i-W_{i-1})=\tfrac12\big(W_i^2-W_{i-1}^2-(W_i-W_{i-1})^2\big)",
                     note="Summed over i the first two terms telescope: the left sum is (W_t^2 - sum dW_i^2)/2 exactly, for every partition."),
            Identity("right-point term: W_i dW_i = (W_i^2 - W_{i-1}^2 + dW_i^2)/2", _b * (_b - _a), (_b**2 - _a**2 + (_b - _a) ** 2) / 2,
                     statement=r"W_{i}(W_i-W_{i-1})=\tfrac12\big(W_i^2-W_{i-1}^2+(W_i-W_{i-1})^2\big)"),
            GaussianIdentity("one increment: E[(dW^2 - h)^2] = 2 h^2", (_dws[0] ** 2 - _h) ** 2, {_dws[0]: _h}, 2 * _h**2,
                             statement=r"E\big[((W_{s_i}-W_{s_{i-1}})^2-h)^2\big]=2h^2"),
            GaussianIdentity("quadratic variation, m = 6: E[(sum dW_i^2 - t)^2] = 2 t^2/m", (sum(d**2 for d in _dws) - _t) ** 2, dict.fromkeys(_dws, _t / 6), 2 * _t**2 / 6,
                             statement=r"E\Big[\Big(\sum_{i\le m}(W_{s_i}-W_{s_{i-1}})^2-t\Big)^2\Big]=\frac{2t^2}{m},\quad m=6",
                             scope="m = 6 equal steps",
                             note="For general m: m independent terms of variance 2h^2 (previous check), h = t/m, so the variance is 2t^2/m -> 0. "
                                  "Hence the left sums (W_t^2 - sum dW^2)/2 -> (W_t^2 - t)/2 and the right sums -> (W_t^2 + t)/2 in L^2: they differ by t."),
            MonteCarlo("left sums, m = 256: P(|L_m - (W_1^2 - 1)/2| <= 0.1) >= Chebyshev's 1 - t^2/(2 m eps^2)", _sim_left, rel=">=", bound=_CHEB, samples=4000, delta=1e-3,
                       statement=r"P\Big(\Big|\sum_{i\le256}W_{s_{i-1}}\Delta W_i-\tfrac{W_1^2-1}2\Big|\le0.1\Big)\ge1-\frac{1}{2\cdot256\cdot0.1^2}"),
            MonteCarlo("right sums, m = 256: P(|R_m - (W_1^2 + 1)/2| <= 0.1) >= Chebyshev's bound", _sim_right, rel=">=", bound=_CHEB, samples=4000, delta=1e-3,
                       statement=r"P\Big(\Big|\sum_{i\le256}W_{s_i}\Delta W_i-\tfrac{W_1^2+1}2\Big|\le0.1\Big)\ge1-\frac{1}{2\cdot256\cdot0.1^2}"),
            MonteCarlo("right sums stay away from the Ito integral: P(|R_m - (W_1^2 - 1)/2| > 1/2) >= 0.99", _sim_right_not_ito, rel=">=", bound=0.99, samples=4000, delta=1e-3,
                       statement=r"P\Big(\Big|\sum_{i\le256}W_{s_i}\Delta W_i-\tfrac{W_1^2-1}2\Big|>\tfrac12\Big)\ge0.99"),
        ],
        status=Status.VERIFIED,
        reading=(
            r"The SDE itself is a definition; what is checked is what the slide asserts of its ingredients. 'Gaussian increments $\mathcal N(0,u\mathbf1)$' and independence "
            r"are tested as two event probabilities (with the power stated in the checks) on paths from Lévy's construction, which does not step in time; a test of finitely many events "
            r"cannot establish a law, so these are `checked' at the stated confidence. 'lim' is read as the limit in $L^2$ over equal partitions $s_i=it/m$; "
            r"$\int_0^tW\,dW=(W_t^2-t)/2$ is then exact, and the right-point sum's limit differs by $t$."
        ),
    )
)
