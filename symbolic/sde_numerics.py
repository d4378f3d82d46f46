"""Simulation of SDEs over many paths, and exact references to compare it with.

Everything here is numpy, vectorised over paths, and seeded (``numpy.random.SeedSequence``
or a ``Generator`` passed in): the same seed gives the same paths.

- :func:`brownian_increments`, :func:`levy_brownian` (Lévy's midpoint construction, exact
  at the dyadic times), :func:`coarsen` (the increments of a coarser grid from a finer one,
  so that a scheme can be run at several steps on the *same* Brownian path).
- :func:`euler_maruyama`: ``x_{k+1} = x_k + h b(x_k, t_k) + sigma(x_k, t_k) dW_k`` for
  drifts and diffusions given as numpy callables.
- Exact references: :func:`ou_moments` (Ornstein-Uhlenbeck), :func:`linear_moments` (the
  mean and covariance of ``dX = (A X + c) dt + S dW``, by matrix exponentials, Van Loan's
  block trick), :func:`em_linear_moments` (the exact moments of Euler-Maruyama for the same
  SDE), :func:`gbm_moment` (geometric Brownian motion), and :func:`gaussian_expectation`
  (sympy: the expectation of a polynomial in independent centred Gaussians).
- :func:`mc_mean`: a sample mean with its standard error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy
from numpy.typing import ArrayLike

Array = np.ndarray
Drift = Callable[[Array, float], Array]
Diffusion = Callable[[Array, float], ArrayLike]


def generator(seed: int | np.random.Generator | None, *spawn_key: int) -> np.random.Generator:
    """A numpy Generator from a seed (through ``SeedSequence``, with an optional spawn key)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=tuple(spawn_key)))


def brownian_increments(rng: np.random.Generator, paths: int, steps: int, h: float, dim: int = 1) -> Array:
    """Independent increments W_{(k+1)h} - W_{kh} ~ N(0, h I): shape (steps, paths, dim)."""
    if paths < 1 or steps < 1 or h <= 0 or dim < 1:
        raise ValueError(f"brownian_increments: need paths, steps, dim >= 1 and h > 0 (got {paths}, {steps}, {dim}, {h})")
    return rng.standard_normal((steps, paths, dim)) * np.sqrt(h)


def levy_brownian(rng: np.random.Generator, paths: int, levels: int, T: float = 1.0, dim: int = 1) -> Array:
    """Brownian paths on [0, T] at the times k T / 2^levels, by Lévy's midpoint refinement.

    W_0 = 0, W_T ~ N(0, T); each refinement sets the midpoint of [s, u] to the average of the
    ends plus N(0, (u - s)/4), the Brownian bridge's law. Exact in law at the dyadic times
    (no time-stepping), so it is an independent construction to test increments against.
    Shape (2^levels + 1, paths, dim).
    """
    if levels < 0 or levels > 20:
        raise ValueError(f"levy_brownian: levels must be in 0..20, got {levels}")
    W = np.zeros((2, paths, dim))
    W[1] = rng.standard_normal((paths, dim)) * np.sqrt(T)
    span = T
    for _ in range(levels):
        mid = 0.5 * (W[:-1] + W[1:]) + rng.standard_normal((W.shape[0] - 1, paths, dim)) * np.sqrt(span / 4)
        out = np.empty((2 * W.shape[0] - 1, paths, dim))
        out[0::2], out[1::2] = W, mid
        W, span = out, span / 2
    return W


def coarsen(dW: Array, factor: int) -> Array:
    """Increments over blocks of ``factor`` consecutive steps (same Brownian path, coarser grid)."""
    steps = dW.shape[0]
    if factor < 1 or steps % factor:
        raise ValueError(f"coarsen: {steps} steps do not split into blocks of {factor}")
    return dW.reshape(steps // factor, factor, *dW.shape[1:]).sum(axis=1)


def euler_maruyama(
    drift: Drift,
    diffusion: Diffusion,
    x0: ArrayLike,
    T: float,
    steps: int,
    *,
    paths: int | None = None,
    rng: np.random.Generator | None = None,
    dW: Array | None = None,
    noise_dim: int = 1,
    keep_path: bool = False,
) -> Array:
    """Euler-Maruyama for dX = b(X, t) dt + sigma(X, t) dW on [0, T] with ``steps`` steps.

    ``drift(x, t)`` maps states of shape (paths, d) to (paths, d); ``diffusion(x, t)`` returns
    (paths, d, l) (or anything broadcastable to it, e.g. a (d, l) matrix). Either give the
    Brownian increments ``dW`` (steps, paths, l), or ``paths`` and ``rng``. Returns the final
    states (paths, d), or the whole path (steps + 1, paths, d) with ``keep_path``.
    """
    h = T / steps
    if dW is None:
        if paths is None or rng is None:
            raise ValueError("euler_maruyama: give dW, or paths and rng")
        dW = brownian_increments(rng, paths, steps, h, noise_dim)
    if dW.shape[0] != steps:
        raise ValueError(f"euler_maruyama: dW has {dW.shape[0]} steps, expected {steps}")
    n = dW.shape[1]
    x = np.broadcast_to(np.asarray(x0, dtype=float).reshape(1, -1), (n, np.size(x0))).copy()
    out = [x.copy()] if keep_path else None
    for k in range(steps):
        t = k * h
        S = np.broadcast_to(np.asarray(diffusion(x, t), dtype=float), (n, x.shape[1], dW.shape[2]))
        x = x + h * drift(x, t) + np.einsum("pdl,pl->pd", S, dW[k])
        if out is not None:
            out.append(x.copy())
    return np.stack(out) if out is not None else x


def mc_mean(values: Array) -> tuple[float, float]:
    """Sample mean and its standard error (sample standard deviation / sqrt(n))."""
    v = np.asarray(values, dtype=float).ravel()
    if v.size < 2:
        raise ValueError("mc_mean: need at least two samples")
    return float(v.mean()), float(v.std(ddof=1) / np.sqrt(v.size))


# ------------------------------------------------------------------ exact references


def ou_moments(theta: float, mu: float, sigma: float, x0: float, t: float, v0: float = 0.0) -> tuple[float, float]:
    """Mean and variance at time t of dX = theta (mu - X) dt + sigma dW, X_0 ~ N(x0, v0)."""
    e = np.exp(-theta * t)
    return mu + (x0 - mu) * e, v0 * e * e + sigma**2 / (2 * theta) * (1 - e * e)


def linear_moments(A: ArrayLike, c: ArrayLike, S: ArrayLike, m0: ArrayLike, P0: ArrayLike, t: float) -> tuple[Array, Array]:
    """Exact mean and covariance at time t of dX = (A X + c) dt + S dW (X_0 with mean m0, covariance P0).

    m' = A m + c and P' = A P + P A^T + S S^T, solved by matrix exponentials: the mean through
    the augmented matrix [[A, c], [0, 0]], the covariance through Van Loan's block matrix.
    """
    A, S = np.atleast_2d(np.asarray(A, float)), np.atleast_2d(np.asarray(S, float))
    d = A.shape[0]
    c, m0 = np.asarray(c, float).reshape(d), np.asarray(m0, float).reshape(d)
    P0 = np.atleast_2d(np.asarray(P0, float))
    aug = np.zeros((d + 1, d + 1))
    aug[:d, :d], aug[:d, d] = A, c
    from scipy.linalg import expm  # imported here to keep start-up fast

    m = (expm(aug * t) @ np.append(m0, 1.0))[:d]
    Q = S @ S.T
    van = np.zeros((2 * d, 2 * d))
    van[:d, :d], van[:d, d:], van[d:, d:] = -A, Q, A.T
    E = expm(van * t)
    Phi = E[d:, d:].T  # exp(A t)
    P = Phi @ P0 @ Phi.T + Phi @ E[:d, d:]
    return m, 0.5 * (P + P.T)


def em_linear_moments(A: ArrayLike, c: ArrayLike, S: ArrayLike, m0: ArrayLike, P0: ArrayLike, h: float, steps: int) -> tuple[Array, Array]:
    """Exact mean and covariance of Euler-Maruyama for dX = (A X + c) dt + S dW after ``steps`` steps of size h.

    m_{k+1} = (I + h A) m_k + h c, P_{k+1} = (I + h A) P_k (I + h A)^T + h S S^T.
    """
    A, S = np.atleast_2d(np.asarray(A, float)), np.atleast_2d(np.asarray(S, float))
    d = A.shape[0]
    M = np.eye(d) + h * A
    m, P = np.asarray(m0, float).reshape(d), np.atleast_2d(np.asarray(P0, float))
    c = np.asarray(c, float).reshape(d)
    Q = h * S @ S.T
    for _ in range(steps):
        m, P = M @ m + h * c, M @ P @ M.T + Q
    return m, P


def gbm_moment(mu: float, sigma: float, x0: float, t: float, p: int) -> float:
    """E X_t^p for geometric Brownian motion dX = mu X dt + sigma X dW, X_0 = x0."""
    return float(x0**p * np.exp(p * mu * t + p * (p - 1) * sigma**2 * t / 2))


def gaussian_expectation(expr: sympy.Expr, variances: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    """E[expr] when the given symbols are independent centred Gaussians with these variances.

    ``expr`` must be a polynomial in those symbols (other symbols are constants). Each monomial
    prod x_i^{k_i} has expectation prod E x_i^{k_i}, with E x^{2j} = (2j - 1)!! v^j and odd
    moments 0. Exact (sympy), any polynomial degree.
    """
    xs = list(variances)
    poly = sympy.Poly(sympy.expand(expr), *xs)
    total = sympy.Integer(0)
    for powers, coeff in poly.terms():
        term: Any = coeff
        for x, k in zip(xs, powers, strict=True):
            if k % 2:
                term = 0
                break
            term *= sympy.factorial2(k - 1) * sympy.sympify(variances[x]) ** (k // 2)
        total += term
    return sympy.expand(total)
