"""Concrete objectives satisfying Assumptions 1-4 of the sgdloj paper, and vectorised SGD simulators.

The main model is linear least squares with interpolation,
``F(theta) = (1/n) sum_i (a_i^T theta - y_i)^2 = |r|^2 / n`` with residual ``r = A theta - y``,
and its single-sample / mini-batch stochastic gradients. Everything below is derived
in closed form (see docs/catalogue-sgdloj-montecarlo.md):

- ``grad F = (2/n) A^T r``, ``|grad F|^2 = (4/n^2) r^T G r`` with ``G = A A^T``;
- per-sample gradient ``g_i = 2 a_i r_i`` (i uniform in {1..n}), so ``E g_i = grad F`` and
  ``E|g_i - grad F|^2 = r^T M r`` with ``M = (4/n) D - (4/n^2) G``, ``D = diag(|a_i|^2)``;
- hence ``sigma = sup_theta E|g - grad F|^2 / F = lambda_max(n M) = lambda_max(4 D - (4/n) G)``
  (a generalized eigenvalue of the pair (M, I/n)), attained when r runs over all of R^n
  (A of full row rank); a mini-batch of size b drawn without replacement multiplies the
  noise covariance by ``(n-b)/(b(n-1))``;
- ``alpha(theta0, r) = inf |grad F|^2 / F = (4/n) lambda_min(G)`` on any ball that contains a
  zero (the ratio is a Rayleigh quotient of ``(4/n) G`` in r, which takes every direction near
  a zero), ``C_L = (2/n) lambda_max(G)`` (global), and for p = n the zero is unique and
  ``F(theta) >= (lambda_min(G)/n) |theta - theta*|^2`` gives ``M_0``.

Exact values use Fractions/sympy; the simulators use numpy with many trajectories at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction as Q
from functools import cached_property

import numpy as np
import sympy as sp

Vec = tuple[Q, ...]


def _q(v: object) -> Q:
    return Q(v)  # type: ignore[call-overload]


@dataclass(frozen=True)
class LeastSquares:
    """``F(theta) = (1/n) |A theta - y|^2`` with exact rational data (n samples, p parameters)."""

    A: tuple[Vec, ...]
    y: Vec

    @classmethod
    def of(cls, A: Sequence[Sequence[object]], y: Sequence[object]) -> LeastSquares:
        return cls(tuple(tuple(_q(v) for v in row) for row in A), tuple(_q(v) for v in y))

    # ------------------------------------------------------------ exact arithmetic
    @property
    def n(self) -> int:
        return len(self.A)

    @property
    def p(self) -> int:
        return len(self.A[0])

    def residual(self, theta: Sequence[Q]) -> Vec:
        return tuple(sum((a * t for a, t in zip(row, theta, strict=True)), Q(0)) - yi for row, yi in zip(self.A, self.y, strict=True))

    def F(self, theta: Sequence[Q]) -> Q:
        return sum((v * v for v in self.residual(theta)), Q(0)) / self.n

    def grad(self, theta: Sequence[Q]) -> Vec:
        r = self.residual(theta)
        return tuple(Q(2, self.n) * sum((self.A[i][j] * r[i] for i in range(self.n)), Q(0)) for j in range(self.p))

    def sample_grads(self, theta: Sequence[Q]) -> list[Vec]:
        """``g_i = grad (a_i^T theta - y_i)^2 = 2 a_i r_i`` for each sample i."""
        r = self.residual(theta)
        return [tuple(2 * a * r[i] for a in self.A[i]) for i in range(self.n)]

    def batch_grads(self, theta: Sequence[Q], b: int) -> list[Vec]:
        """Mini-batch gradients (mean of b distinct samples), one per b-subset (uniform)."""
        g = self.sample_grads(theta)
        out = []
        for S in itertools.combinations(range(self.n), b):
            out.append(tuple(sum((g[i][j] for i in S), Q(0)) / b for j in range(self.p)))
        return out

    def noise_moments(self, theta: Sequence[Q], b: int = 1) -> tuple[Vec, Q]:
        """Exact ``E[grad f - grad F]`` (a vector) and ``E|grad f - grad F|^2`` over the sampling."""
        gs = self.batch_grads(theta, b)
        G = self.grad(theta)
        m = len(gs)
        mean = tuple(sum((g[j] - G[j] for g in gs), Q(0)) / m for j in range(self.p))
        second = sum((sum(((g[j] - G[j]) ** 2 for j in range(self.p)), Q(0)) for g in gs), Q(0)) / m
        return mean, second

    # ------------------------------------------------------------ matrices and constants
    @cached_property
    def gram(self) -> sp.Matrix:
        A = sp.Matrix([[sp.Rational(v.numerator, v.denominator) for v in row] for row in self.A])
        return A * A.T

    @cached_property
    def noise_matrix(self) -> sp.Matrix:
        """``4 D - (4/n) G``: sigma (single sample) is its largest eigenvalue."""
        G = self.gram
        D = sp.diag(*[G[i, i] for i in range(self.n)])
        return 4 * D - sp.Rational(4, self.n) * G

    @staticmethod
    def _extreme(M: sp.Matrix, which: str) -> sp.Expr:
        ev = [sp.simplify(e) for e in M.eigenvals()]
        key = lambda e: complex(sp.N(e, 30)).real  # noqa: E731 (a symmetric matrix: real eigenvalues)
        return max(ev, key=key) if which == "max" else min(ev, key=key)

    @cached_property
    def alpha(self) -> sp.Expr:
        """``(4/n) lambda_min(A A^T)``: alpha(theta0, r) on any ball containing a zero (full row rank)."""
        return sp.Rational(4, self.n) * self._extreme(self.gram, "min")

    @cached_property
    def C_L(self) -> sp.Expr:
        """``(2/n) lambda_max(A A^T)``: the Lipschitz constant of grad F = the largest Hessian eigenvalue."""
        return sp.Rational(2, self.n) * self._extreme(self.gram, "max")

    def sigma(self, b: int = 1) -> sp.Expr:
        """The smallest sigma with ``E|grad f - grad F|^2 <= sigma F`` for all theta (batch size b)."""
        s1 = self._extreme(self.noise_matrix, "max")
        return s1 * sp.Rational(self.n - b, b * (self.n - 1)) if self.n > 1 else sp.Integer(0)

    @cached_property
    def strong_convexity_of_F(self) -> sp.Expr:
        """``lambda_min(A^T A)/n``: F >= this * |theta - theta*|^2 (positive iff p = n = rank)."""
        A = sp.Matrix([[sp.Rational(v.numerator, v.denominator) for v in row] for row in self.A])
        return self._extreme(A.T * A, "min") / self.n

    # ------------------------------------------------------------ numpy
    @cached_property
    def An(self) -> np.ndarray:
        return np.array([[float(v) for v in row] for row in self.A])

    @cached_property
    def yn(self) -> np.ndarray:
        return np.array([float(v) for v in self.y])

    def F_np(self, th: np.ndarray) -> np.ndarray:
        """F at each row of ``th`` (shape (runs, p))."""
        r = th @ self.An.T - self.yn
        return (r * r).sum(axis=1) / self.n

    def sgd_step(self, th: np.ndarray, eta: float, rng: np.random.Generator) -> np.ndarray:
        """One single-sample SGD step for every run: ``theta - eta * 2 a_i r_i`` with i uniform."""
        i = rng.integers(0, self.n, size=th.shape[0])
        a = self.An[i]
        r = (a * th).sum(axis=1) - self.yn[i]
        return th - eta * 2.0 * r[:, None] * a


@dataclass
class Paths:
    """Summary of vectorised SGD runs: F along the paths, the events E_k(r), step lengths."""

    F: np.ndarray  # (steps+1, runs)
    inside: np.ndarray  # (steps+1, runs) bool: 1_{E_k(r)} = all |theta_j - theta0| <= r, j <= k
    step: np.ndarray  # (steps, runs): |theta_{k+1} - theta_k|
    dist: np.ndarray  # (steps+1, runs): |theta_k - theta0|
    final: np.ndarray  # (runs, p)


def run_sgd(ls: LeastSquares, theta0: Sequence[float], eta: float, steps: int, runs: int, radius: float, rng: np.random.Generator) -> Paths:
    """``runs`` single-sample SGD trajectories of ``steps`` steps from theta0 (vectorised)."""
    th0 = np.asarray(theta0, dtype=float)
    th = np.tile(th0, (runs, 1))
    Fs = np.empty((steps + 1, runs))
    dist = np.empty((steps + 1, runs))
    step = np.empty((steps, runs))
    Fs[0] = ls.F_np(th)
    dist[0] = 0.0
    for k in range(steps):
        new = ls.sgd_step(th, eta, rng)
        step[k] = np.linalg.norm(new - th, axis=1)
        th = new
        Fs[k + 1] = ls.F_np(th)
        dist[k + 1] = np.linalg.norm(th - th0, axis=1)
    inside = np.logical_and.accumulate(dist <= radius, axis=0)
    return Paths(Fs, inside, step, dist, th)


def exact_paths(ls: LeastSquares, theta0: Sequence[Q], eta: Q, k: int) -> list[list[Vec]]:
    """All n^k equally likely single-sample SGD paths theta_0..theta_k, in exact rationals."""
    paths: list[list[Vec]] = [[tuple(theta0)]]
    for _ in range(k):
        nxt = []
        for path in paths:
            th = path[-1]
            for g in ls.sample_grads(th):
                nxt.append([*path, tuple(t - eta * gi for t, gi in zip(th, g, strict=True))])
        paths = nxt
    return paths


def in_ball(theta: Sequence[Q], center: Sequence[Q], radius: Q) -> bool:
    return sum(((a - b) ** 2 for a, b in zip(theta, center, strict=True)), Q(0)) <= radius * radius


# ------------------------------------------------------------------ step sizes and noise models


def robbins_monro(q: Q, m: Q) -> tuple[bool, str]:
    """(2.8) for eta_k = gamma/(k+n0)^q (gamma, n0 > 0): sum eta_k = inf iff q <= 1, and
    sum eta_k^{1+m/2} < inf iff q (1 + m/2) > 1 (p-series test, with m >= 2 required)."""
    diverges = q <= 1
    converges = q * (1 + m / 2) > 1
    ok = m >= 2 and diverges and converges
    why = f"sum eta_k {'= inf' if diverges else '< inf'} (q={q}); sum eta_k^(1+m/2) {'< inf' if converges else '= inf'} (q(1+m/2)={q * (1 + m / 2)}); m={m}"
    return ok, why


@dataclass(frozen=True)
class FiniteNoise:
    """A noise law independent of theta: atoms (vectors) with probabilities, exact."""

    atoms: tuple[Vec, ...]
    probs: tuple[Q, ...]

    @classmethod
    def of(cls, atoms: Sequence[Sequence[object]], probs: Sequence[object]) -> FiniteNoise:
        return cls(tuple(tuple(_q(v) for v in a) for a in atoms), tuple(_q(p) for p in probs))

    def mean(self) -> Vec:
        d = len(self.atoms[0])
        return tuple(sum((p * a[j] for a, p in zip(self.atoms, self.probs, strict=True)), Q(0)) for j in range(d))

    def second_moment(self) -> Q:
        return sum((p * sum((v * v for v in a), Q(0)) for a, p in zip(self.atoms, self.probs, strict=True)), Q(0))


def rotated_noise_run(
    F_grad: Callable[[np.ndarray], np.ndarray],
    theta0: np.ndarray,
    Z: np.ndarray,
    gamma: float,
    n0: float,
    q: float,
) -> np.ndarray:
    """Iteration (4.15) for many runs: ``theta_{k+1} = theta_k - eta_k (grad F(theta_k) + O_k Z_k)``.

    ``Z`` has shape (steps, runs, d); O_0 = I and, for k >= 1, ``O_k Z_k = |Z_k| Z_1/|Z_1|``.
    Returns the distances |theta_k - theta0|, shape (steps+1, runs).
    """
    steps, runs, d = Z.shape
    th = np.tile(theta0, (runs, 1))
    u = Z[1] / np.linalg.norm(Z[1], axis=1, keepdims=True)
    dist = np.empty((steps + 1, runs))
    dist[0] = 0.0
    for k in range(steps):
        OZ = Z[0] if k == 0 else np.linalg.norm(Z[k], axis=1, keepdims=True) * u
        th = th - gamma / (k + n0) ** q * (F_grad(th) + OZ)
        dist[k + 1] = np.linalg.norm(th - theta0, axis=1)
    return dist


#: the main instance: n = p = 2, G = A A^T = [[5, 3], [3, 5]] (eigenvalues 2 and 8), unique zero (1, 1)
LS2 = LeastSquares.of([[2, 1], [2, -1]], [3, 1])
THETA_STAR = (Q(1), Q(1))
#: the same data in p = 3 > n = 2 parameters: the zero set is the line (1, 1, t), Assumption 3 fails
LS_FLAT = LeastSquares.of([[2, 1, 0], [2, -1, 0]], [3, 1])

__all__ = ["LS2", "LS_FLAT", "THETA_STAR", "FiniteNoise", "LeastSquares", "Paths", "exact_paths", "in_ball", "robbins_monro", "rotated_noise_run", "run_sgd"]
