"""Shared helpers of the simulation side of Bruna's lecture 9 (SGD on a quadratic finite sum, SMEs).

The finite sum FS: g_i(theta) = a_i/2 (theta - b_i)^2, i = 1..3, with a = (1, 2, 3), b = (1, -1, 2),
so g(theta) = (1/n) sum g_i, g'(theta) = abar theta - (ab)bar, g'' = abar = 2, minimiser
theta* = (ab)bar / abar = 7/6, and Sigma(theta) = (1/n) sum (g' - g_i')^2 is a quadratic
polynomial in theta (the a_i differ, so the noise is multiplicative). SGD started at theta_0 = 3.

Everything of degree <= 2 is exact: SGD's moments by the random affine recursion
theta' = (1 - gamma a_m) theta + gamma a_m b_m, the SMEs' moments by their linear moment ODEs
(:mod:`symbolic.exact_moments`). Step gamma <-> time t = k gamma, as on the slide (the SME's
time is the number of steps times gamma).
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp
from scipy.linalg import expm

from symbolic import CheckSettings
from symbolic.exact_moments import (
    affine_recursion_matrix,
    sde_moment_matrix,
    triangular_exp,
    triangular_power,
)

R = sp.Rational
A_I = (R(1), R(2), R(3))
B_I = (R(1), R(-1), R(2))
N = len(A_I)
THETA0 = R(3)
ABAR = sum(A_I) / N
AB = sum((a * b for a, b in zip(A_I, B_I, strict=True)), R(0)) / N
THETA_STAR = AB / ABAR

gamma, t = sp.symbols("gamma t", positive=True)
_x = sp.Symbol("x", real=True)


def sigma_poly() -> sp.Expr:
    """Sigma(x) = (1/n) sum_i (g'(x) - g_i'(x))^2 for FS (the slide's 1/n normalisation)."""
    return sp.expand(sum((((ABAR * _x - AB) - a * (_x - b)) ** 2 for a, b in zip(A_I, B_I, strict=True)), R(0)) / N)


def sgd_matrix() -> sp.Matrix:
    """(1, E theta, E theta^2) after one SGD step = M (1, E theta, E theta^2)."""
    return affine_recursion_matrix([1 - gamma * a for a in A_I], [gamma * a * b for a, b in zip(A_I, B_I, strict=True)])


def sme_matrix(order: int) -> sp.Matrix:
    """The moment matrix of the SME: drift -g' (order 1) or -(g + gamma/4 |g'|^2)' = -(1 + gamma abar/2) g' (order 2); diffusion (gamma Sigma)^{1/2}."""
    c = sp.Integer(1) if order == 1 else 1 + gamma * ABAR / 2
    S = sigma_poly()
    return sde_moment_matrix(c * AB, -c * ABAR, gamma * S.coeff(_x, 0), gamma * S.coeff(_x, 1), gamma * S.coeff(_x, 2))


@functools.cache
def sme_errors(order: int) -> dict[str, sp.Expr]:
    """E phi(theta_k) - E phi(X_{k gamma}) for phi(x) = x, x^2, as functions of gamma and t = k gamma (exact)."""
    v0 = sp.Matrix([1, THETA0, THETA0**2])
    vs = triangular_power(sgd_matrix(), t / gamma) * v0
    ve = triangular_exp(sme_matrix(order), t) * v0
    return {"phi(x) = x": vs[1] - ve[1], "phi(x) = x^2": vs[2] - ve[2]}


def _num(M: sp.Matrix, g: float) -> np.ndarray:
    return np.array(M.subs(gamma, sp.nsimplify(g)).evalf(30).tolist(), dtype=float)


def sgd_moments_numeric(g: float, k: int) -> np.ndarray:
    """(1, E theta_k, E theta_k^2) of SGD on FS, float64 (exact recursion)."""
    M = _num(sgd_matrix(), g)
    v = np.array([1.0, float(THETA0), float(THETA0) ** 2])
    for _ in range(k):
        v = M @ v
    return v


def sme_moments_numeric(order: int, g: float, time: float) -> np.ndarray:
    """(1, E X_t, E X_t^2) of the SME of the given order, float64 (matrix exponential)."""
    A = _num(sme_matrix(order), g)
    return expm(A * time) @ np.array([1.0, float(THETA0), float(THETA0) ** 2])


def simulate_sgd(rng: np.random.Generator, g: float, k: int, paths: int) -> np.ndarray:
    """theta_k of SGD on FS over ``paths`` independent runs (m_k iid uniform on {1, ..., n})."""
    a = np.array([float(v) for v in A_I])
    b = np.array([float(v) for v in B_I])
    th = np.full(paths, float(THETA0))
    for _ in range(k):
        m = rng.integers(0, N, size=paths)
        th = th - g * a[m] * (th - b[m])
    return th


def mc_n(base: int, settings: CheckSettings) -> int:
    """Monte Carlo sample size for the profile (``mc_scale`` multiplies it)."""
    return max(100, int(base * settings.mc_scale))


def sme_mc_errors(order: int, ladder: tuple[float, ...], base_paths: int, horizon: float = 1.0):
    """For :class:`~symbolic.SchemeOrder`: E theta_k (simulated SGD) - E X_{k gamma} (exact SME moment), k gamma = horizon."""

    def errors(settings: CheckSettings) -> tuple[list[float], list[float], list[float], int]:
        from symbolic import mc_mean
        from symbolic.sde_numerics import generator

        n = mc_n(base_paths, settings)
        errs, ses = [], []
        for i, g in enumerate(ladder):
            k = round(horizon / g)
            rng = generator(settings.seed, 12, order, i)
            m, se = mc_mean(simulate_sgd(rng, g, k, n))
            errs.append(m - float(sme_moments_numeric(order, g, k * g)[1]))
            ses.append(se)
        return list(ladder), errs, ses, n * len(ladder)

    return errors


def sme_exact_errors(order: int, ladder: tuple[float, ...], horizon: float = 1.0):
    """For :class:`~symbolic.SchemeOrder`: the same errors from the exact moments (no Monte Carlo error), phi(x) = x."""

    def errors(settings: CheckSettings) -> tuple[list[float], list[float], list[float], int]:
        errs = []
        for g in ladder:
            k = round(horizon / g)
            errs.append(float(sgd_moments_numeric(g, k)[1] - sme_moments_numeric(order, g, k * g)[1]))
        return list(ladder), errs, [0.0] * len(ladder), 0

    return errors


def two_sided(name: str, simulate, p: float, tol: float, samples: int, *, statement: str = "", note: str = "", scope: str = "", title_latex: str = "") -> list:
    """Two one-sided Monte Carlo proportion checks: P >= p - tol and P <= p + tol (Clopper-Pearson, delta = 1e-3 each).
    ``title_latex``: the typeset form of ``name`` when the automatic conversion cannot give it."""
    from symbolic import MonteCarlo

    lo = rf"{title_latex} ($\ge {p:.4g} - {tol}$)" if title_latex else ""
    hi = rf"{title_latex} ($\le {p:.4g} + {tol}$)" if title_latex else ""
    return [
        MonteCarlo(f"{name} (>= {p:.4g} - {tol})", simulate, rel=">=", bound=p - tol, samples=samples, delta=1e-3, statement=statement, note=note, scope=scope, title_latex=lo),
        MonteCarlo(f"{name} (<= {p:.4g} + {tol})", simulate, rel="<=", bound=p + tol, samples=samples, delta=1e-3, statement=statement, note=note, scope=scope, title_latex=hi),
    ]


# ------------------------------------------------------------------ geometric Brownian motion: exact EM and SDE moments

h_step, mu_s, sig_s, x0_s, t_s = sp.symbols("h mu sigma x0 t", positive=True)
_z = sp.Symbol("z", real=True)


def gbm_em_error(p: int, scheme: str = "em") -> sp.Expr:
    """E x_k^p - E X_t^p for dX = mu X dt + sigma X dW, k = t/h, exact in (h, t, mu, sigma, x0).

    ``scheme``: ``em`` (Euler-Maruyama, x' = x (1 + mu h + sigma sqrt(h) z)); ``exact`` (the exact transition
    x' = x exp((mu - sigma^2/2) h + sigma sqrt(h) z), moments through E e^{c z} = e^{c^2 h/2}); ``double-noise``
    (a wrong scheme with 2 sigma).
    """
    from symbolic import gaussian_expectation

    ex = x0_s**p * sp.exp(p * mu_s * t_s + p * (p - 1) * sig_s**2 * t_s / 2)
    if scheme == "exact":
        one_step = sp.exp(p * (mu_s - sig_s**2 / 2) * h_step + p**2 * sig_s**2 * h_step / 2)
    else:
        s = 2 * sig_s if scheme == "double-noise" else sig_s
        one_step = gaussian_expectation((1 + mu_s * h_step + s * _z) ** p, {_z: h_step})
    return x0_s**p * sp.exp(t_s / h_step * sp.log(one_step)) - ex


# ------------------------------------------------------------------ a Morse function with strict saddles (landscape entries)
#
# g(x, y) = (x^2 - 1)^2/4 + (y^2 - 1)^2/4: minima (+-1, +-1), strict saddles (0, +-1) and (+-1, 0) (Hessian diag(-1, 2)),
# a maximum at (0, 0). grad g = (x^3 - x, y^3 - y), Hessian diag(3x^2 - 1, 3y^2 - 1). Started in [-3/2, 3/2]^2, gradient descent
# stays in the sublevel set {g <= g(3/2, 3/2) = 25/32}, inside |x|, |y| <= 1.67, where ||Hess g|| <= 3 * 1.67^2 - 1 < 7.4 = L: gamma = 1/10 < 1/L.

MORSE_GAMMA = 0.1
MORSE_SADDLES = np.array([[0.0, 1.0], [0.0, -1.0], [1.0, 0.0], [-1.0, 0.0]])
MORSE_MAX = np.array([[0.0, 0.0]])


def morse_gd(xy: np.ndarray, steps: int, gamma: float = MORSE_GAMMA) -> np.ndarray:
    """``steps`` gradient-descent steps on the Morse function above, vectorised over rows of ``xy``."""
    z = np.array(xy, dtype=float, copy=True)
    for _ in range(steps):
        z -= gamma * (z * z * z - z)
    return z


def near(z: np.ndarray, points: np.ndarray, tol: float) -> np.ndarray:
    """Rows of z within ``tol`` of one of ``points``."""
    return (np.linalg.norm(z[:, None, :] - points[None, :, :], axis=2) <= tol).any(axis=1)


# ------------------------------------------------------------------ a non-convex finite sum (g'' < 0): "no convexity assumptions on g"

A_NC = (R(-1), R(2), R(-4))
B_NC = (R(1), R(0), R(-1))
THETA0_NC = R(1, 2)


@functools.cache
def sme_errors_for(a: tuple[sp.Rational, ...], b: tuple[sp.Rational, ...], theta0: sp.Rational, order: int) -> dict[str, sp.Expr]:
    """:func:`sme_errors` for the finite sum g_i = a_i/2 (theta - b_i)^2 given by ``a``, ``b`` (any signs) from ``theta0``."""
    n = len(a)
    abar = sum(a) / n
    ab = sum((ai * bi for ai, bi in zip(a, b, strict=True)), R(0)) / n
    S = sp.expand(sum((((abar * _x - ab) - ai * (_x - bi)) ** 2 for ai, bi in zip(a, b, strict=True)), R(0)) / n)
    c = sp.Integer(1) if order == 1 else 1 + gamma * abar / 2
    A = sde_moment_matrix(c * ab, -c * abar, gamma * S.coeff(_x, 0), gamma * S.coeff(_x, 1), gamma * S.coeff(_x, 2))
    M = affine_recursion_matrix([1 - gamma * ai for ai in a], [gamma * ai * bi for ai, bi in zip(a, b, strict=True)])
    v0 = sp.Matrix([1, theta0, theta0**2])
    vs = triangular_power(M, t / gamma) * v0
    ve = triangular_exp(A, t) * v0
    return {"phi(x) = x": vs[1] - ve[1], "phi(x) = x^2": vs[2] - ve[2]}
