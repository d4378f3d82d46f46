"""STOCHASTIC MODIFIED EQUATIONS (2nd slide): the decomposition of the SGD step, V_k, its mean and covariance.

V_k := sqrt(gamma)(grad g(theta_k) - grad g_{m_k}(theta_k)); theta_{k+1} - theta_k = -gamma grad g + sqrt(gamma) V_k;
given theta_k, V_k has mean 0 and covariance gamma Sigma(theta_k) with the 1/n normalisation.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symbolic import Expect, Identity, MonteCarlo
from theorems.registry import Entry, Status, register

from ._simulation import A_I, B_I, N, sigma_poly

_gam = sp.Symbol("gamma", positive=True)
_D = 2  # dimension of the symbolic gradients (the identities are entrywise)


def _grads(n: int) -> list[sp.Matrix]:
    """Symbolic values G_i = grad g_i(theta_k), i = 1..n, in R^2 (arbitrary: a general finite sum)."""
    return [sp.Matrix(sp.symbols(f"G{i}_1:{_D + 1}", real=True)) for i in range(1, n + 1)]


def _mean_of_V(n: int) -> sp.Matrix:
    G = _grads(n)
    Gbar = sum(G, sp.zeros(_D, 1)) / n
    return sum((sp.sqrt(_gam) * (Gbar - Gi) for Gi in G), sp.zeros(_D, 1)) / n


def _cov_of_V(n: int, norm: sp.Expr | None = None) -> tuple[sp.Matrix, sp.Matrix]:
    """(E[V V^T] - E V E V^T over m uniform, gamma Sigma) with Sigma normalised by 1/n (or ``norm``)."""
    G = _grads(n)
    Gbar = sum(G, sp.zeros(_D, 1)) / n
    V = [sp.sqrt(_gam) * (Gbar - Gi) for Gi in G]
    EV = sum(V, sp.zeros(_D, 1)) / n
    cov = sum((v * v.T for v in V), sp.zeros(_D, _D)) / n - EV * EV.T
    # the covariance of a uniformly drawn gradient, the textbook way: E[G_m G_m^T] - Gbar Gbar^T
    c = sp.Rational(1, n) if norm is None else norm
    Sigma = c * sum(((Gbar - Gi) * (Gbar - Gi).T for Gi in G), sp.zeros(_D, _D))
    return cov, _gam * Sigma


def _stack(pairs: list[tuple[sp.Matrix, sp.Matrix]]) -> tuple[sp.Matrix, sp.Matrix]:
    return sp.Matrix.vstack(*[p[0] for p in pairs]), sp.Matrix.vstack(*[p[1] for p in pairs])


_NS = (2, 3, 4, 5)
_cov_lhs, _cov_rhs = _stack([_cov_of_V(n) for n in _NS])
_bad_lhs, _bad_rhs = _stack([_cov_of_V(n, sp.Rational(1, n - 1)) for n in _NS])
_Gm, _Gb = sp.Matrix(sp.symbols("Gm_1:3", real=True)), sp.Matrix(sp.symbols("Gbar_1:3", real=True))

# ------------------------------------------------------------------ Monte Carlo on FS at theta = 0, gamma = 1/10

_GAMMA_MC, _THETA_MC = 0.1, 0.0
_a = np.array([float(v) for v in A_I])
_b = np.array([float(v) for v in B_I])
_G = _a * (_THETA_MC - _b)
_V_VALUES = np.sqrt(_GAMMA_MC) * (_G.mean() - _G)
_SIGMA_MC = float(sigma_poly().subs(sp.Symbol("x", real=True), 0))  # = 98/9
_VLO, _VHI = float(_V_VALUES.min()), float(_V_VALUES.max())


def _sim_V(rng: np.random.Generator, n: int) -> np.ndarray:
    return _V_VALUES[rng.integers(0, N, size=n)]


def _sim_V2(rng: np.random.Generator, n: int) -> np.ndarray:
    return _V_VALUES[rng.integers(0, N, size=n)] ** 2


_TOL = 0.05
_NOTE = "m uniform on {1, 2, 3}; V takes 3 values, so Hoeffding applies (range stated); with 20000 draws the half-width is ~0.033 for V and ~0.025 for V^2."

register(
    Entry(
        id="bruna.sgd-noise-decomposition",
        title="SGD = -gamma grad g + sqrt(gamma) V_k, with E[V_k | theta_k] = 0 and Cov = gamma Sigma(theta_k), Sigma with 1/n",
        where="STOCHASTIC MODIFIED EQUATIONS (2nd slide)",
        statement=(
            r"$V_k:=\sqrt\gamma(\nabla g(\theta_k)-\nabla g_{m_k}(\theta_k))$. We have $\theta_{k+1}-\theta_k=-\gamma\nabla g(\theta_k)+\sqrt\gamma V_k$. "
            r"Conditioned on $\theta_k$, $V_k$ has mean 0 and covariance $\gamma\Sigma(\theta_k)$: "
            r"$\Sigma(\theta)=\frac1n\sum_{i\le n}(\nabla g(\theta)-\nabla g_i(\theta))(\nabla g(\theta)-\nabla g_i(\theta))^\top$."
        ),
        hypotheses=[r"$g=\frac1n\sum_{i\le n}g_i$", r"$\theta_{k+1}=\theta_k-\gamma\nabla g_{m_k}(\theta_k)$, $m_k$ uniform on $\{1,\dots,n\}$ independent of $\theta_k$", r"$\gamma>0$"],
        checks=[
            Identity("theta_{k+1} - theta_k = -gamma grad g + sqrt(gamma) V_k", -_gam * _Gm, -_gam * _Gb + sp.sqrt(_gam) * (sp.sqrt(_gam) * (_Gb - _Gm)),
                     statement=r"-\gamma\nabla g_{m}=-\gamma\nabla g+\sqrt\gamma\cdot\sqrt\gamma(\nabla g-\nabla g_m)",
                     note="Entrywise with symbolic gradient values, so in every dimension; needs gamma > 0 (sqrt(gamma)^2 = gamma)."),
            Identity("E[V_k | theta_k] = 0 (n = 2..5, symbolic gradients)", sp.Matrix.vstack(*[_mean_of_V(n) for n in _NS]), sp.zeros(_D * len(_NS), 1),
                     statement=r"\frac1n\sum_{i\le n}\sqrt\gamma\Big(\frac1n\sum_jG_j-G_i\Big)=0", scope="n = 2, 3, 4, 5; entrywise, so any d"),
            Identity("Cov[V_k | theta_k] = gamma Sigma(theta_k), Sigma with 1/n (n = 2..5, symbolic gradients)", _cov_lhs, _cov_rhs,
                     statement=r"E[V_kV_k^\top|\theta_k]-E[V_k|\theta_k]E[V_k|\theta_k]^\top=\gamma\,\frac1n\sum_{i\le n}(\nabla g-\nabla g_i)(\nabla g-\nabla g_i)^\top",
                     scope="n = 2, 3, 4, 5; entrywise, so any d"),
            Identity("necessity of the 1/n: the unbiased 1/(n-1) normalisation is not the covariance", _bad_lhs, _bad_rhs, expect=Expect.REFUTED, role="necessity",
                     statement=r"\mathrm{Cov}[V_k|\theta_k]=\gamma\frac1{n-1}\sum_{i\le n}(\nabla g-\nabla g_i)(\nabla g-\nabla g_i)^\top",
                     note="The law of m_k is uniform over the n terms: the population covariance (1/n), not the sample covariance (1/(n-1))."),
            MonteCarlo("E V <= 0.05 (the finite sum FS at theta = 0, gamma = 1/10)", _sim_V, rel="<=", bound=_TOL, samples=20000, quantity="mean", low=_VLO, high=_VHI,
                       statement=r"E[V_k|\theta_k=0]\le0.05", note=_NOTE, scope="the finite sum FS, theta = 0, gamma = 1/10"),
            MonteCarlo("E V >= -0.05 (FS)", _sim_V, rel=">=", bound=-_TOL, samples=20000, quantity="mean", low=_VLO, high=_VHI,
                       statement=r"E[V_k|\theta_k=0]\ge-0.05", note=_NOTE, scope="the finite sum FS, theta = 0, gamma = 1/10"),
            MonteCarlo("E V^2 <= gamma Sigma(0) + 0.05 (FS, Sigma(0) = 98/9)", _sim_V2, rel="<=", bound=_GAMMA_MC * _SIGMA_MC + _TOL, samples=20000, quantity="mean", low=0.0, high=_VHI**2 if _VHI**2 > _VLO**2 else _VLO**2,
                       statement=r"E[V_k^2|\theta_k=0]\le\gamma\Sigma(0)+0.05", note=_NOTE, scope="the finite sum FS, theta = 0, gamma = 1/10"),
            MonteCarlo("E V^2 >= gamma Sigma(0) - 0.05 (FS)", _sim_V2, rel=">=", bound=_GAMMA_MC * _SIGMA_MC - _TOL, samples=20000, quantity="mean", low=0.0, high=_VHI**2 if _VHI**2 > _VLO**2 else _VLO**2,
                       statement=r"E[V_k^2|\theta_k=0]\ge\gamma\Sigma(0)-0.05", note=_NOTE + " The 1/(n-1) value gamma Sigma 3/2 = 1.63 is far outside.", scope="the finite sum FS, theta = 0, gamma = 1/10"),
        ],
        status=Status.VERIFIED,
        reading=(
            r"'Conditioned on $\theta_k$' is read as: $m_k$ is uniform on $\{1,\dots,n\}$ and independent of $\theta_k$, so the conditional law of $V_k$ is the law of "
            r"$\sqrt\gamma(\nabla g(\theta)-\nabla g_m(\theta))$ at $\theta=\theta_k$ fixed. The symbolic checks hold for arbitrary gradient values (a general finite sum) of size $n\le5$. "
            r"FS: $g_i=\frac{a_i}2(\theta-b_i)^2$, $a=(1,2,3)$, $b=(1,-1,2)$."
        ),
    )
)
