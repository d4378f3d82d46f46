"""k steps of a first-order method on an objective, in any backend (mpmath, Arb, float64).

The iterates are computed with the backend's own arithmetic from the objective's compiled
gradient, so the same definition is the search (mpmath), the rigorous confirmation (Arb
balls: every iterate is an enclosure of the exact one) and local search (float64). With
exact rational data the Arb balls are narrow and a counterexample about x_k is confirmed
like any other.

Methods (x_{-1} = x_0; α the step size):

- ``gd(α)``: x_{t+1} = x_t − α∇F(x_t).
- ``heavyball(α, β)``: x_{t+1} = x_t − α∇F(x_t) + β(x_t − x_{t−1}) (Polyak).
- ``nesterov(α)``: y_t = x_t + (t − 1)/(t + 2)·(x_t − x_{t−1}) (y_0 = x_0),
  x_{t+1} = y_t − α∇F(y_t): Nesterov's accelerated method in the form of Su, Boyd and
  Candès (2016), for which F(x_k) − F* ≤ 2‖x_0 − x*‖²/(α(k + 1)²) when α ≤ 1/L.
  ``nesterov(α, β)``: the same with a constant momentum β (the strongly convex variant).
- ``proxgrad_l1(α, λ)``: x_{t+1} = S_{αλ}(x_t − α∇F(x_t)), S_c(v) = sign(v)·max(|v| − c, 0)
  (ISTA for F + λ‖·‖₁).
- ``proxgrad_box(α, r)``: x_{t+1} = clip(x_t − α∇F(x_t), −r, r) (projected gradient on [−r, r]^d).
- ``sgd(α)``: x_{t+1} = x_t − α∇f_{i_t}(x_t), i_t uniform on the n components of a finite sum
  F = (1/n) Σ f_i. The iterate is random; :func:`expectation` computes E[g(x_k)] exactly
  (up to the backend's arithmetic) by enumerating all n^k index sequences, refused beyond
  :data:`MAX_PATHS` sequences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .backends import Backend, Number
from .objectives import Objective

#: the most index sequences SGD's expectation enumerates (n^k <= MAX_PATHS)
MAX_PATHS = 4096


@dataclass(frozen=True)
class Method:
    """A method's name, its parameters after (x_0, k), and whether its iterate is random."""

    name: str
    parameters: tuple[str, ...]
    optional: tuple[str, ...] = ()
    random: bool = False
    text: str = ""


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("gd", ("alpha",), text="gradient descent x_{t+1} = x_t - alpha grad F(x_t)"),
        Method("heavyball", ("alpha", "beta"), text="heavy ball x_{t+1} = x_t - alpha grad F(x_t) + beta (x_t - x_{t-1})"),
        Method("nesterov", ("alpha",), ("beta",), text="Nesterov: y_t = x_t + m_t (x_t - x_{t-1}), x_{t+1} = y_t - alpha grad F(y_t), m_t = (t-1)/(t+2) or beta"),
        Method("proxgrad_l1", ("alpha", "lam"), text="proximal gradient for F + lam ||x||_1 (soft thresholding)"),
        Method("proxgrad_box", ("alpha", "r"), text="projected gradient on the box [-r, r]^d"),
        Method("sgd", ("alpha",), random=True, text="SGD on the finite sum F = (1/n) sum_i f_i, i uniform"),
    )
}


class IterateError(ValueError):
    """The iteration cannot be computed as asked (an unknown method, a bad k, too many paths)."""


def _steps(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, Fraction)):
        raise IterateError(f"the number of steps must be an integer, got {k!r}")
    if isinstance(k, Fraction):
        q = k
        if q.denominator != 1:
            raise IterateError(f"the number of steps must be an integer, got {q}")
        k = int(q)
    if k < 0:
        raise IterateError(f"the number of steps must be >= 0, got {k}")
    return k


def _check(method: str, params: Sequence[Number]) -> Method:
    if method not in METHODS:
        raise IterateError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    m = METHODS[method]
    if not len(m.parameters) <= len(params) <= len(m.parameters) + len(m.optional):
        want = ", ".join(m.parameters) + "".join(f"[, {o}]" for o in m.optional)
        raise IterateError(f"{method} takes ({want}) after the start point and k, got {len(params)} values")
    return m


def _clip(B: Backend, v: Number, lo: Number, hi: Number) -> Number:
    return B.max(lo, B.min(hi, v))


def iterate(f: Objective, B: Backend, method: str, x0: Sequence[Number], k: object, params: Sequence[Number]) -> list[Number]:
    """x_k of ``method`` started at ``x0`` (a deterministic method; SGD: see :func:`expectation`)."""
    m = _check(method, params)
    if m.random:
        raise IterateError(f"{method} is random: its iterate has an expectation (use expectation(...)), not a value")
    n = _steps(k)
    x = list(x0)
    prev = list(x0)
    alpha = params[0]
    for t in range(n):
        if method == "gd":
            new = f.gradient_step(B, x, alpha)
        elif method == "heavyball":
            new = B.add(f.gradient_step(B, x, alpha), B.scale(params[1], B.sub(x, prev)))
        elif method == "nesterov":
            mom = params[1] if len(params) > 1 else B.num(t - 1) / B.num(t + 2) if t > 0 else B.num(0)
            y = B.add(x, B.scale(mom, B.sub(x, prev)))
            new = f.gradient_step(B, y, alpha)
        elif method == "proxgrad_l1":
            v = f.gradient_step(B, x, alpha)
            c = alpha * params[1]
            new = [vi - _clip(B, vi, -c, c) for vi in v]
        elif method == "proxgrad_box":
            v = f.gradient_step(B, x, alpha)
            r = params[1]
            new = [_clip(B, vi, -r, r) for vi in v]
        else:  # pragma: no cover - every deterministic method is above
            raise IterateError(method)
        prev, x = x, new
    return x


def paths(f: Objective, method: str, k: object, *, limit: int = MAX_PATHS) -> int:
    """How many equally likely index sequences ``method`` has over k steps (1 if deterministic).

    Raises :class:`IterateError` when an SGD expectation would enumerate more than ``limit``.
    """
    m = METHODS.get(method)
    n = _steps(k)
    if m is None or not m.random:
        return 1
    comps = len(f.components)
    if comps == 0:
        raise IterateError(f"sgd needs a finite sum: the objective ({f.family}) does not give its components")
    total = comps**n
    if total > limit:
        raise IterateError(f"the expectation over sgd's noise needs n^k = {comps}^{n} index sequences, more than the {limit} enumerated exactly")
    return total


def sgd_points(f: Objective, B: Backend, x0: Sequence[Number], k: object, alpha: Number, *, limit: int = MAX_PATHS) -> list[list[Number]]:
    """The n^k equally likely SGD iterates x_k (one per index sequence), refused beyond ``limit``."""
    n = _steps(k)
    paths(f, "sgd", n, limit=limit)
    level: list[list[Number]] = [list(x0)]
    for _ in range(n):
        level = [c.gradient_step(B, x, alpha) for x in level for c in f.components]
    return level


def expectation(
    f: Objective,
    B: Backend,
    method: str,
    x0: Sequence[Number],
    k: object,
    params: Sequence[Number],
    g: Callable[[list[Number]], Number],
    *,
    limit: int = MAX_PATHS,
) -> Number:
    """E[g(x_k)] over the method's noise: exact enumeration of every index sequence.

    For a deterministic method this is g(x_k). For ``sgd`` on F = (1/n) Σ f_i, the mean of
    g over the n^k equally likely final iterates (refused beyond ``limit`` of them).
    """
    m = _check(method, params)
    if not m.random:
        return g(iterate(f, B, method, x0, k, params))
    level = sgd_points(f, B, x0, k, params[0], limit=limit)
    total = g(level[0])
    for x in level[1:]:
        total = total + g(x)
    return total / B.num(len(level))


__all__ = ["MAX_PATHS", "METHODS", "IterateError", "Method", "expectation", "iterate", "paths", "sgd_points"]
