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
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sps

from .checks import Check
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict

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
    import scipy.sparse as sps  # imported here to keep start-up fast

    return sps.diags([lower, main, upper], [-1, 0, 1], format="csr")


def solve_fokker_planck_1d(
    p0: Func,
    D: float,
    domain: tuple[float, float],
    cells: int,
    times: Sequence[float] | np.ndarray,
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
    from scipy.integrate import solve_ivp

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


def kl_decay(p0: Func, potential: Func, D: float, domain: tuple[float, float], cells: int, times: Sequence[float] | np.ndarray) -> KLDecay:
    """Relative entropy to the Gibbs density exp(-g/D)/Z over time, on ``cells`` and ``2 cells`` (grid halved)."""
    coarse = solve_fokker_planck_1d(p0, D, domain, cells, times, potential=potential)
    fine = solve_fokker_planck_1d(p0, D, domain, 2 * cells, times, potential=potential)
    return KLDecay(fine.times, fine.kl(), coarse.kl(), 2 * cells)


class EntropyDecay(Check):
    """KL(p_t || rho) <= KL(p_0 || rho) exp(-rate t) at the given times, for dp/dt = (g' p)' + D p''.

    Solved on ``cells`` and ``2 cells`` (:func:`kl_decay`); the discretisation error at each time is
    estimated by the difference of the two. ``checked`` when KL_fine(t) + error(t) <= (KL_fine(0) - error(0)) exp(-rate t)
    at every time t > 0;
    ``undecided`` otherwise (a PDE discretisation is not rigorous arithmetic: never ``refuted``), with
    "contradicted" in the evidence when KL_fine - error > bound somewhere.
    """

    kind = "N"

    def __init__(
        self,
        name: str,
        *,
        p0: Func,
        potential: Func,
        D: float,
        rate: float,
        domain: tuple[float, float],
        cells: int,
        times: Sequence[float] | np.ndarray,
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
        self.p0, self.potential, self.D, self.rate = p0, potential, D, rate
        self.domain, self.cells, self.times = domain, cells, list(times)

    def run(self, settings: CheckSettings) -> Outcome:
        r = kl_decay(self.p0, self.potential, self.D, self.domain, self.cells, self.times)
        err = r.discretisation_error
        # conservative on both sides: the initial entropy lowered by its error, KL(t) raised by its error
        bound = (r.kl[0] - err[0]) * np.exp(-self.rate * r.times)
        later = r.times > 0
        slack = np.where(later, bound - (r.kl + err), np.inf)
        worst = int(np.argmin(slack))
        contradicted = bool(np.any(later & (r.kl - err > (r.kl[0] + err[0]) * np.exp(-self.rate * r.times))))
        ok = bool(np.all(slack >= 0))
        rows = "; ".join(f"t={tt:.3g}: KL={k:.4g} (±{e:.1g}) vs {b:.4g}" for tt, k, e, b in zip(r.times, r.kl, err, bound, strict=True))
        details = (
            f"method of lines, {self.cells} and {2 * self.cells} cells on [{self.domain[0]}, {self.domain[1]}], scipy BDF; "
            f"discretisation error = |KL(coarse) - KL(fine)|, at most {err.max():.2g}; smallest slack {slack[worst]:.3g} at t = {r.times[worst]:.3g}; {rows}"
        )
        if contradicted:
            details += "; the computed KL exceeds the bound by more than the discretisation error"
        return Outcome(
            Verdict.CHECKED if ok else Verdict.UNDECIDED,
            Evidence(method="Fokker-Planck PDE, finite volumes (Gibbs density exactly stationary), grid halved for the error", samples=len(r.times), details=details,
                     extra={"times": r.times.tolist(), "kl": r.kl.tolist(), "error": err.tolist(), "bound": bound.tolist(), "contradicted": contradicted}),
        )
