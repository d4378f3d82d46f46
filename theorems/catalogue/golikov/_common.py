"""Shared helpers of the golikov entries: test objectives with strict saddles, a sympy limit
check, least-squares fits with confidence intervals (the Fokker-Planck operator is the engine's,
:meth:`symbolic.sde.SDE.fokker_planck`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import stats

from symbolic import Check, CheckSettings, Claim, Evidence, Judgement, Outcome, Verdict

# ------------------------------------------------------------------ a sympy limit as a check


class Limit(Check):
    """``lim_{var -> point} expr == expected``, computed by sympy's ``limit`` (Gruntz).

    ``proved`` when sympy's limit equals ``expected`` exactly; ``refuted`` when sympy returns
    a definite different value (an exact number or +-oo); ``undecided`` otherwise.
    """

    kind = "S"

    def __init__(self, name: str, expr: sp.Expr, var: sp.Symbol, point: Any, expected: Any, **kw: Any) -> None:
        kw.setdefault("statement", rf"\lim_{{{sp.latex(var)}\to{sp.latex(point)}}} {sp.latex(expr)} = {sp.latex(expected)}")
        super().__init__(name, **kw)
        self.expr, self.var, self.point, self.expected = expr, var, point, sp.sympify(expected)

    def run(self, settings: CheckSettings) -> Outcome:
        try:
            value = sp.limit(self.expr, self.var, self.point)
        except (NotImplementedError, ValueError) as exc:  # pragma: no cover - sympy internals
            return Outcome(Verdict.UNDECIDED, Evidence(method="sympy limit", details=f"sympy could not compute the limit: {exc}"))
        definite = value.is_number and (value.is_finite or value in (sp.oo, -sp.oo)) and not value.has(sp.AccumBounds)
        if definite and (value == self.expected or (value.is_finite and self.expected.is_finite and sp.simplify(value - self.expected) == 0)):
            return Outcome(Verdict.PROVED, Evidence(method="sympy limit (Gruntz algorithm)", details=f"limit = {sp.sstr(value)}"))
        if definite:
            return Outcome(
                Verdict.REFUTED,
                Evidence(method="sympy limit (Gruntz algorithm)", counterexample={"limit": sp.sstr(value), "expected": sp.sstr(self.expected)}, details="the limit is a different definite value"),
            )
        return Outcome(Verdict.UNDECIDED, Evidence(method="sympy limit", details=f"indefinite result {sp.sstr(value)}"))


# ------------------------------------------------------------------ Fokker-Planck (to move to symbolic/sde.py)


# ------------------------------------------------------------------ fits with confidence


@dataclass(frozen=True)
class LineFit:
    """y = a + b x by least squares, with two-sided ``level`` confidence intervals."""

    intercept: float
    slope: float
    slope_ci: tuple[float, float]
    intercept_ci: tuple[float, float]
    level: float
    n: int

    def show(self, x: str = "x", y: str = "y") -> str:
        lo, hi = self.slope_ci
        return f"{y} = {self.intercept:.4g} + {self.slope:.4g} {x}, slope {int(self.level * 100)}% CI [{lo:.4g}, {hi:.4g}] (n = {self.n})"


def fit_line(x: Sequence[float], y: Sequence[float], level: float = 0.95) -> LineFit:
    """Ordinary least squares with Student-t intervals (normal errors assumed)."""
    xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    n = len(xa)
    if n < 3:
        raise ValueError("a fit with a confidence interval needs at least 3 points")
    X = np.column_stack([np.ones(n), xa])
    coef, *_ = np.linalg.lstsq(X, ya, rcond=None)
    resid = ya - X @ coef
    s2 = float(resid @ resid) / (n - 2)
    cov = s2 * np.linalg.inv(X.T @ X)
    q = float(stats.t.ppf(0.5 + level / 2, n - 2))
    se = np.sqrt(np.diag(cov))
    return LineFit(
        float(coef[0]), float(coef[1]),
        (float(coef[1] - q * se[1]), float(coef[1] + q * se[1])),
        (float(coef[0] - q * se[0]), float(coef[0] + q * se[0])),
        level, n,
    )


def mean_ci(v: Sequence[float] | np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t interval of the mean."""
    a = np.asarray(v, dtype=float)
    m = float(a.mean())
    if len(a) < 2:
        return m, m, m
    half = float(stats.t.ppf(0.5 + level / 2, len(a) - 1)) * float(a.std(ddof=1)) / math.sqrt(len(a))
    return m, m - half, m + half


# ------------------------------------------------------------------ objectives with strict saddles (numpy, vectorised)


@dataclass(frozen=True)
class CosSaddle:
    """f(x) = sum_{i<k} (1 + cos x_i) + 1/2 sum_{i>=k} x_i^2 on R^d.

    Critical point 0 is a strict saddle with k Hessian eigenvalues -1 and d - k eigenvalues
    +1; L = 1 (|f''| <= 1), rho = 1 (|cos'''| <= 1), f >= 0 with f* = 0 at x_i = pi (i < k).
    The stable set of 0 is exactly {x_i = 0, i < k}: GD acts on x_i (i < k) by
    y -> y + alpha sin y, which fixes 0 and is injective for alpha < 1.
    """

    d: int
    k: int = 1

    def f(self, X: np.ndarray) -> np.ndarray:
        return (1 + np.cos(X[:, : self.k])).sum(axis=1) + 0.5 * (X[:, self.k :] ** 2).sum(axis=1)

    def grad(self, X: np.ndarray) -> np.ndarray:
        G = X.copy()
        G[:, : self.k] = -np.sin(X[:, : self.k])
        return G


@dataclass(frozen=True)
class DuChain:
    """A piecewise-quadratic model of Du et al. (2017)'s chain of d saddles (no spline glue).

    Region i (i = 1..d) is where |x_j| >= 2 tau for j < i and |x_i| < 2 tau; there
    f = L sum_{j<i} (|x_j| - 4 tau)^2 - gamma x_i^2 + L sum_{j>i} x_j^2 - (i - 1) nu.
    Past the last saddle (all |x_j| >= 2 tau) f = L sum_j (|x_j| - 4 tau)^2 - d nu, minimal
    at |x_j| = 4 tau. The saddle of region i is a strict saddle (eigenvalue -2 gamma).
    """

    d: int
    tau: float = math.e
    L: float = math.e
    gamma: float = 1.0
    nu: float = 100.0

    def region(self, X: np.ndarray) -> np.ndarray:
        """0-based index of the region (d = past the last saddle)."""
        below = np.abs(X) < 2 * self.tau
        first = np.argmax(below, axis=1)
        return np.where(below.any(axis=1), first, self.d)

    def grad(self, X: np.ndarray) -> np.ndarray:
        i = self.region(X)[:, None]
        j = np.arange(self.d)[None, :]
        done = 2 * self.L * (X - 4 * self.tau * np.sign(X))
        return np.where(j < i, done, np.where(j == i, -2 * self.gamma * X, 2 * self.L * X))

    def f(self, X: np.ndarray) -> np.ndarray:
        i = self.region(X)[:, None]
        j = np.arange(self.d)[None, :]
        terms = np.where(j < i, self.L * (np.abs(X) - 4 * self.tau) ** 2, np.where(j == i, -self.gamma * X**2, self.L * X**2))
        return terms.sum(axis=1) - i[:, 0] * self.nu

    def second_order(self, X: np.ndarray, eps: float) -> np.ndarray:
        """eps-2nd-order stationary (rho = 0 inside a region: the Hessian is constant there)."""
        return (self.region(X) == self.d) & (np.linalg.norm(self.grad(X), axis=1) <= eps)

    def gd_escape_times(self, x0: np.ndarray, eta: float) -> np.ndarray:
        """Exact number of GD steps to leave every saddle region, per path, in the log domain.

        In region i, GD multiplies x_i by (1 + 2 eta gamma) and x_j (j > i) by (1 - 2 eta L)
        and moves x_j (j < i) towards +-4 tau: only the magnitudes of the coordinates
        j >= i matter, and they are tracked as logarithms so that nothing underflows
        (in float64 the contracted coordinates would round to 0, i.e. onto a stable manifold).
        """
        if not 0 < 2 * eta * self.L < 1:
            raise ValueError("need 0 < 2 eta L < 1")
        logs = np.log(np.abs(np.asarray(x0, dtype=float)))
        up, down = math.log1p(2 * eta * self.gamma), math.log1p(-2 * eta * self.L)
        total = np.zeros(len(logs))
        target = math.log(2 * self.tau)
        for i in range(self.d):
            t = np.maximum(np.ceil((target - logs[:, i]) / up), 0)
            total += t
            logs[:, i + 1 :] += t[:, None] * down
        return total


def capped(predicate: Callable[[Any], Judgement]) -> Callable[[Any], Judgement]:
    """The predicate for a :class:`~symbolic.experiments.Definition`, each answer keeping the verdict by
    which it was decided (``proved``/``certified`` for an exact decision, ``checked`` for a sampled one).

    :class:`~symbolic.experiments.Definition` itself caps the overall verdict at ``checked`` (listed
    examples never prove more than those examples) and counts the exact and the sampled answers in its
    evidence; capping each answer here as well made that evidence report exact decisions as sampling.
    The decision's own verdict is also kept in ``why``.
    """

    def run(example: Any) -> Judgement:
        j = predicate(example)
        if j.holds is None:
            return j
        return Judgement(j.holds, j.verdict, f"{j.why} [{j.verdict.value}]")

    return run


class BudgetedClaim(Claim):
    """A :class:`Claim` whose margin runs an algorithm (costly per case): a fraction of the
    profile's examples and no float64 local search (the margin is an iteration count, piecewise
    constant in the case, where Nelder-Mead has nothing to follow)."""

    def __init__(self, *args: Any, fraction: float = 0.5, local_search: int = 0, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fraction, self.local_search = fraction, local_search

    def run(self, settings: CheckSettings) -> Outcome:
        budget = settings.with_(examples=max(10, int(settings.examples * self.fraction)), local_search=min(settings.local_search, self.local_search))
        return super().run(budget)


class FloatSweep(Check):
    """A bound checked along float64 simulations: ``experiment(settings) -> (ok, details, data)``.

    ``ok`` True: every simulated case satisfied the bound with a margin above float64 rounding
    (verdict ``checked``, the samples stated in ``details``); False or None: ``undecided``
    (float64 never refutes: a counterexample must be confirmed in exact or ball arithmetic).
    """

    kind = "N"

    def __init__(self, name: str, experiment: Callable[[CheckSettings], tuple[bool | None, str, dict[str, Any]]], **kw: Any) -> None:
        super().__init__(name, **kw)
        self.experiment = experiment

    def run(self, settings: CheckSettings) -> Outcome:
        ok, details, data = self.experiment(settings)
        return Outcome(
            Verdict.CHECKED if ok else Verdict.UNDECIDED,
            Evidence(method="float64 simulation, every case compared with the bound", digits=15, seed=settings.seed, samples=data.get("samples"), details=details, extra=data),
        )
