"""Convex, smooth families beyond quadratics, each constant certified by construction.

Quadratics are not the worst case of first-order methods: a false rate can hold on every
quadratic and fail on a logistic loss. These families draw convex objectives whose
curvature varies across space. Every coefficient is an exact rational; what each family
draws, and why each constant is a proven bound, is stated in its docstring.

- :func:`softplus_sums`: F(x) = Σ_j a_j softplus(w_j·x − b_j) + (λ/2)‖x‖², a_j > 0.
- :func:`logistic_regressions`: F(x) = (1/n) Σ_i log(1 + exp(−y_i ⟨z_i, x⟩)) + (λ/2)‖x‖².
- :func:`log_sum_exps`: F(x) = log Σ_i exp(⟨a_i, x⟩ + b_i) + (λ/2)‖x‖².
- :func:`convex_objectives`: any of the three.

``mu`` is a strong convexity modulus (λ, when λ > 0), never the smallest nonzero
eigenvalue; ``lower`` a proven lower bound of F on R^d.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from .families import HARD_ARGUMENTS, _dims, rationals, ridge_hard_points
from .objectives import Constants, Objective, coordinates
from .structured import LogSumExpStructure, RidgeStructure, SumStructure

#: the ridge weights λ drawn: 0 (convex, not strongly) or a positive rational
REGULARISATIONS = (Fraction(0), Fraction(1, 16), Fraction(1, 4), Fraction(1))


def _vector(draw: st.DrawFn, d: int, lo: int = -2, hi: int = 2) -> list[Fraction]:
    w = [draw(rationals(lo, hi, denominator=4)) for _ in range(d)]
    if all(v == 0 for v in w):
        w[0] = Fraction(1)
    return w


def _norm2(w: list[Fraction]) -> Fraction:
    return sum((wi * wi for wi in w), Fraction(0))


@st.composite
def softplus_sums(draw: st.DrawFn, dim: int | tuple[int, int] = (1, 3), *, terms: int | tuple[int, int] = (1, 4)) -> Objective:
    """F(x) = Σ_j a_j softplus(w_j·x − b_j) + (λ/2)‖x‖² with a_j ∈ (0, 2], w_j, b_j ∈ [−2, 2] (multiples of 1/4).

    Certified: convex (a sum of convex functions); softplus'' = σ(1 − σ) ≤ 1/4, so
    ‖∇²F‖ ≤ λ + ¼ Σ a_j ‖w_j‖² = L; F ≥ 0 = lower; mu = λ when λ > 0.
    """
    d = draw(_dims(dim))
    m = draw(_dims(terms))
    lam = draw(st.sampled_from(REGULARISATIONS))
    drawn = []
    for _ in range(m):
        a = draw(rationals(Fraction(1, 4), 2, denominator=4))
        w = _vector(draw, d)
        b = draw(rationals(-2, 2, denominator=4))
        drawn.append((a, w, b))
    return softplus_sum(lam, drawn)


def softplus_sum(lam: Fraction, terms: list[tuple[Fraction, list[Fraction], Fraction]]) -> Objective:
    """Σ_j a_j softplus(w_j·x − b_j) + (λ/2)‖x‖² for the given terms (a, w, b), certified as in
    :func:`softplus_sums`; hard points where each term's curvature peaks (w_j·x − b_j = 0).
    Evaluated from its weights (a ridge sum plus λ/2‖x‖², :mod:`symbolic.structured`)."""
    d = len(terms[0][1])
    L = lam
    hard: list[tuple[Fraction, ...]] = []
    for a, w, b in terms:
        L += a * _norm2(w) / 4
        hard.extend(ridge_hard_points(w, -b, HARD_ARGUMENTS["softplus"]))
    ridge = RidgeStructure(["softplus"] * len(terms), [a for a, _, _ in terms], [w for _, w, _ in terms], [-b for _, _, b in terms])
    return Objective(
        family=f"softplus_sum({len(terms)} terms, lambda={lam})",
        variables=coordinates(d),
        structure=SumStructure(d, [ridge], ridge=lam),
        constants=Constants(L=L, lower=Fraction(0), mu=lam if lam > 0 else None, how="convex by construction; L = lambda + sum_j a_j ||w_j||^2 / 4"),
        hard_points=tuple(hard),
    )


@st.composite
def logistic_regressions(draw: st.DrawFn, dim: int | tuple[int, int] = (1, 3), *, samples: int | tuple[int, int] = (1, 5)) -> Objective:
    """F(x) = (1/n) Σ_i log(1 + exp(−y_i ⟨z_i, x⟩)) + (λ/2)‖x‖², labels y_i = ±1, data z_i ∈ [−2, 2]^d.

    Certified: convex; ‖∇²F‖ ≤ λ + (1/(4n)) Σ_i ‖z_i‖² = L; F ≥ 0; mu = λ when λ > 0. With
    separable data and λ = 0 the infimum 0 is not attained (no minimiser).
    """
    d = draw(_dims(dim))
    n = draw(_dims(samples))
    lam = draw(st.sampled_from(REGULARISATIONS))
    data = []
    for _ in range(n):
        z = _vector(draw, d)
        y = draw(st.sampled_from((-1, 1)))
        data.append((z, y))
    return logistic_regression(lam, data)


def logistic_regression(lam: Fraction, data: list[tuple[list[Fraction], int]]) -> Objective:
    """(1/n) Σ_i log(1 + exp(−y_i ⟨z_i, x⟩)) + (λ/2)‖x‖² for the given data (z_i, y_i), certified as
    in :func:`logistic_regressions`; hard points where each sample's curvature peaks. Evaluated
    from its data (a softplus ridge sum with weights −y_i z_i, plus λ/2‖x‖²)."""
    d = len(data[0][0])
    n = len(data)
    L = lam
    hard: list[tuple[Fraction, ...]] = []
    for z, _ in data:
        L += _norm2(z) / (4 * n)
        hard.extend(ridge_hard_points(z, Fraction(0), HARD_ARGUMENTS["softplus"]))
    ridge = RidgeStructure(["softplus"] * n, [Fraction(1, n)] * n, [[-y * zi for zi in z] for z, y in data], [Fraction(0)] * n)
    return Objective(
        family=f"logistic_regression(n={n}, lambda={lam})",
        variables=coordinates(d),
        structure=SumStructure(d, [ridge], ridge=lam),
        constants=Constants(L=L, lower=Fraction(0), mu=lam if lam > 0 else None, how="convex by construction; L = lambda + sum_i ||z_i||^2 / (4 n)"),
        hard_points=tuple(dict.fromkeys(hard)),
    )


@st.composite
def log_sum_exps(draw: st.DrawFn, dim: int | tuple[int, int] = (1, 3), *, terms: int | tuple[int, int] = (2, 4)) -> Objective:
    """F(x) = log Σ_i exp(⟨a_i, x⟩ + b_i) + (λ/2)‖x‖², a_i ∈ [−2, 2]^d, b_i ∈ [−1, 1].

    Certified: convex; ∇²(lse) = Aᵀ(diag p − ppᵀ)A ⪯ Aᵀ diag(p) A ⪯ max_i ‖a_i‖² I, so
    L = λ + max_i ‖a_i‖²; mu = λ when λ > 0, and then F ≥ ⟨a_1, x⟩ + b_1 + (λ/2)‖x‖² ≥
    b_1 − ‖a_1‖²/(2λ) = lower (none when λ = 0: F may be unbounded below).
    """
    d = draw(_dims(dim))
    m = draw(_dims(terms))
    lam = draw(st.sampled_from(REGULARISATIONS))
    rows = [_vector(draw, d) for _ in range(m)]
    bs = [draw(rationals(-1, 1, denominator=4)) for _ in range(m)]
    return log_sum_exp(lam, rows, bs)


def log_sum_exp(lam: Fraction, rows: list[list[Fraction]], bs: list[Fraction]) -> Objective:
    """log Σ_i exp(⟨a_i, x⟩ + b_i) + (λ/2)‖x‖² for the given rows a_i and offsets b_i, certified as
    in :func:`log_sum_exps`; hard points along a_1 − a_2 around where the first two terms balance.
    Evaluated from A and b (softmax weights, :class:`symbolic.structured.LogSumExpStructure`)."""
    d = len(rows[0])
    L = lam + max(_norm2(a) for a in rows)
    lower = bs[0] - _norm2(rows[0]) / (2 * lam) if lam > 0 else None
    hard: list[tuple[Fraction, ...]] = []
    diff = [u - v for u, v in zip(rows[0], rows[1], strict=True)] if len(rows) > 1 else rows[0]
    if any(diff):
        hard = ridge_hard_points(diff, bs[0] - bs[1] if len(rows) > 1 else bs[0], HARD_ARGUMENTS["softplus"])
    return Objective(
        family=f"log_sum_exp({len(rows)} terms, lambda={lam})",
        variables=coordinates(d),
        structure=SumStructure(d, [LogSumExpStructure(rows, bs)], ridge=lam),
        constants=Constants(L=L, lower=lower, mu=lam if lam > 0 else None, how="convex by construction; L = lambda + max_i ||a_i||^2"),
        hard_points=tuple(hard),
    )


def convex_objectives(dim: int | tuple[int, int] = (1, 3)) -> st.SearchStrategy[Objective]:
    """Any of the convex families above."""
    return st.one_of(softplus_sums(dim), logistic_regressions(dim), log_sum_exps(dim))


__all__ = ["REGULARISATIONS", "convex_objectives", "log_sum_exp", "log_sum_exps", "logistic_regression", "logistic_regressions", "softplus_sum", "softplus_sums"]
