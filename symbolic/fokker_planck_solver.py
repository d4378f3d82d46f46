"""A 1-D Fokker-Planck solver (method of lines) and the relative entropy to a target density.

dp/dt = -(b p)' + D p'' on a truncated interval [lo, hi] with zero-flux boundaries (mass is
conserved exactly), finite volumes on ``cells`` cells, integrated by scipy's stiff BDF method
with the (sparse, tridiagonal) Jacobian.

For a gradient drift b = -g' pass ``potential=g``: the flux is written in the symmetric form
J = -D rho (p/rho)' with rho = exp(-g/D) (Scharfetter-Gummel type, geometric mean of rho at the
faces), so the discrete Gibbs density is exactly stationary and the discrete relative entropy
decays. For a general drift pass ``drift=b`` (central fluxes).

:func:`solve_fokker_planck_1d` returns a :class:`FPSolution`; :func:`kl_decay` solves on
``cells`` and on ``2 cells`` and reports the difference of the relative entropies as the
stated discretisation error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps
from scipy.integrate import solve_ivp

Func = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class FPSolution:
    """Cell centres ``x``, width ``dx``, densities ``p[j]`` at ``times[j]``, the discrete target ``rho``."""

    x: np.ndarray
    dx: float
    times: np.ndarray
    p: np.ndarray
    rho: np.ndarray | None

    def kl(self) -> np.ndarray:
        """KL(p_t || rho) at every time (discrete sums; needs a target)."""
        if self.rho is None:
            raise ValueError("kl: the solution has no target density")
        return np.array([relative_entropy(q, self.rho, self.dx) for q in self.p])

    def mass(self) -> np.ndarray:
        return self.p.sum(axis=1) * self.dx


def relative_entropy(p: np.ndarray, rho: np.ndarray, dx: float) -> float:
    """sum p log(p/rho) dx over cells with p > 0 (both normalised to unit mass first)."""
    p = p / (p.sum() * dx)
    rho = rho / (rho.sum() * dx)
    m = p > 0
    return float(np.sum(p[m] * np.log(p[m] / rho[m])) * dx)


def _operator(x: np.ndarray, dx: float, D: float, potential: Func | None, drift: Func | None) -> sps.csr_matrix:
    n = len(x)
    faces = 0.5 * (x[:-1] + x[1:])
    if potential is not None:
        g = potential(x)
        w = np.exp(-(g - g.min()) / D)  # rho up to a constant
        wf = np.sqrt(w[:-1] * w[1:])
        # J_{i+1/2} = -D wf (p_{i+1}/w_{i+1} - p_i/w_i)/dx
        ci = D * wf / (dx * w[:-1])  # J_{i+1/2} = -D wf (p_{i+1}/w_{i+1} - p_i/w_i)/dx
        cn = D * wf / (dx * w[1:])
    else:
        assert drift is not None
        bf = drift(faces)  # J_{i+1/2} = bf (p_i + p_{i+1})/2 - D (p_{i+1} - p_i)/dx
        ci, cn = bf / 2 + D / dx, D / dx - bf / 2
    # J_{i+1/2} = ci p_i - cn p_{i+1}
    main = np.zeros(n)
    upper = np.zeros(n - 1)
    lower = np.zeros(n - 1)
    # dp_i/dt = -(J_{i+1/2} - J_{i-1/2})/dx
    main[:-1] -= ci / dx
    upper += cn / dx
    main[1:] -= cn / dx
    lower += ci / dx
    return sps.diags([lower, main, upper], [-1, 0, 1], format="csr")


def solve_fokker_planck_1d(
    p0: Func,
    D: float,
    domain: tuple[float, float],
    cells: int,
    times: Sequence[float],
    *,
    potential: Func | None = None,
    drift: Func | None = None,
    rtol: float = 1e-9,
    atol: float = 1e-12,
) -> FPSolution:
    """Solve dp/dt = -(b p)' + D p'' (b = -g' when ``potential`` is given) from p(., 0) = p0."""
    if (potential is None) == (drift is None):
        raise ValueError("solve_fokker_planck_1d: give exactly one of potential, drift")
    lo, hi = domain
    if not hi > lo or cells < 8 or D <= 0:
        raise ValueError(f"solve_fokker_planck_1d: need lo < hi, cells >= 8, D > 0 (got {domain}, {cells}, {D})")
    dx = (hi - lo) / cells
    x = lo + dx * (np.arange(cells) + 0.5)
    M = _operator(x, dx, D, potential, drift)
    q0 = np.asarray(p0(x), float)
    q0 = q0 / (q0.sum() * dx)
    ts = np.asarray(times, float)
    sol = solve_ivp(lambda _t, q: M @ q, (0.0, float(ts[-1])), q0, method="BDF", t_eval=ts, jac=M, rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"solve_fokker_planck_1d: integrator failed: {sol.message}")
    rho = None
    if potential is not None:
        g = potential(x)
        rho = np.exp(-(g - g.min()) / D)
        rho = rho / (rho.sum() * dx)
    return FPSolution(x, dx, ts, sol.y.T.copy(), rho)


@dataclass(frozen=True)
class KLDecay:
    """KL(p_t || rho) on the finer grid, and the discretisation error (coarse minus fine, in absolute value)."""

    times: np.ndarray
    kl: np.ndarray
    kl_coarse: np.ndarray
    cells: int

    @property
    def discretisation_error(self) -> np.ndarray:
        return np.abs(self.kl_coarse - self.kl)


def kl_decay(p0: Func, potential: Func, D: float, domain: tuple[float, float], cells: int, times: Sequence[float]) -> KLDecay:
    """Relative entropy to the Gibbs density exp(-g/D)/Z over time, on ``cells`` and ``2 cells`` (grid halved)."""
    coarse = solve_fokker_planck_1d(p0, D, domain, cells, times, potential=potential)
    fine = solve_fokker_planck_1d(p0, D, domain, 2 * cells, times, potential=potential)
    return KLDecay(fine.times, fine.kl(), coarse.kl(), 2 * cells)
