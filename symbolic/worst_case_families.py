"""Huber and piecewise-quadratic functions: the worst cases of first-order methods.

Quadratics are not the worst case of gradient methods on L-smooth convex functions: the
tight bound of performance estimation for gradient descent with step 1/L,
F(x_k) − F* ≤ L‖x₀ − x*‖²/(4k + 2) (Drori and Teboulle 2014), is attained by the 1-D Huber
function with τ = ‖x₀ − x*‖/(2k + 1), where a quadratic gives about L‖x₀ − x*‖²/(4ek).

The building block is the unit Huber function of width τ > 0,

    H_τ(u) = m|u| − m²/2,  m = min(|u|, τ)     (= u²/2 for |u| ≤ τ, τ|u| − τ²/2 beyond),

with H_τ'(u) = clip(u, −τ, τ) (1-Lipschitz) and H_τ''(u) = 1 for |u| < τ, 0 for |u| > τ.
:func:`huber_objective` builds

    F(x) = (μ/2)‖x − b‖² + Σ_i c_i H_{τ_i}(⟨q_i, x − b⟩)

with q_1, …, q_r orthonormal (rows of an exactly orthogonal rational matrix), c_i > 0 and
μ ≥ 0. Certified by construction, in exact rationals:

- convex (a sum of convex functions); ∇²F = μI + Σ_i c_i [|u_i| < τ_i] q_i q_iᵀ where it
  exists, so ‖∇²F‖ ≤ μ + max_i c_i = L (the q_i are orthonormal), and ∇F is L-Lipschitz on
  R^d (∇F is piecewise linear and continuous);
- μ-strongly convex when μ > 0 (``mu``; none when μ = 0);
- b is a global minimiser and F(b) = 0 = F* (every term is ≥ 0 and vanishes at b).

With μ > 0 and c_i = L − μ the function is the piecewise-quadratic worst case
(μ/2)u² + (L − μ)H_τ(u) of strongly convex problems. The objective also carries its
finite-sum components (F = (1/r) Σ_i f_i with f_i = (μ/2)‖x − b‖² + r c_i H_{τ_i}(⟨q_i, x − b⟩)),
used by SGD on finite sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import sympy
from hypothesis import strategies as st

from .backends import Backend, Number
from .families import _dims, _frac, _orthogonal, rationals
from .objectives import Constants, Objective, coordinates
from .structured import _ConstantTable, _MatrixOnBackends, _matvec, _square_norm

#: strong convexity moduli drawn (0: convex, not strongly)
MODULI = (Fraction(0), Fraction(1, 16), Fraction(1, 4), Fraction(1))
#: how ``huber_functions`` draws μ: ``"zero"``, ``"positive"`` or ``"any"``
STRONG_CONVEXITY = ("zero", "positive", "any")


@dataclass(frozen=True)
class HuberTerm:
    """One term c · H_τ(⟨q, x − b⟩) of a Huber objective, all exact."""

    c: Fraction
    tau: Fraction
    q: tuple[Fraction, ...]


def _unit_huber(u: sympy.Expr, tau: sympy.Expr) -> sympy.Expr:
    m = sympy.Min(sympy.Abs(u), tau)
    return m * sympy.Abs(u) - m**2 / 2


def _clip(u: sympy.Expr, tau: sympy.Expr) -> sympy.Expr:
    return sympy.Max(-tau, sympy.Min(tau, u))


class HuberStructure:
    """F evaluated from its data, O(terms x d) per value or gradient: u_i = <q_i, x - b>,
    F = (mu/2)|x - b|^2 + sum_i c_i (m_i |u_i| - m_i^2 / 2) with m_i = min(|u_i|, tau_i), and
    grad F = mu (x - b) + sum_i c_i clip(u_i, tau_i) q_i (branch-free: min, max and abs, so
    every backend runs it, batches of points and balls included). The sympy expression is
    built only on request (display, proofs)."""

    kind = "huber"

    def __init__(self, terms: Sequence[HuberTerm], modulus: Fraction, center: Sequence[Fraction]) -> None:
        self.dim = len(center)
        self.terms = tuple(terms)
        self.modulus = modulus
        self.center = tuple(center)
        self._c = _ConstantTable([t.c for t in terms])
        self._tau = _ConstantTable([t.tau for t in terms])
        self._Q = _MatrixOnBackends([t.q for t in terms])
        self._b = _ConstantTable(center)
        self._mu = _ConstantTable([modulus])

    def _ru(self, B: Backend, x: Sequence[Number]) -> tuple[list[Number], list[Number]]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        r = [xi - bi for xi, bi in zip(x, self._b.on(B), strict=True)]
        return r, _matvec(B, self._Q.on(B), r)

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        r, u = self._ru(B, x)
        total = self._mu.on(B)[0] * _square_norm(r) / 2
        for ci, ti, ui in zip(self._c.on(B), self._tau.on(B), u, strict=True):
            a = B.abs(ui)
            m = B.min(a, ti)
            total = total + ci * (m * a - m * m / 2)
        return total

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        r, u = self._ru(B, x)
        mu = self._mu.on(B)[0]
        out = [mu * ri for ri in r]
        for ci, ti, qi, ui in zip(self._c.on(B), self._tau.on(B), self._Q.on(B), u, strict=True):
            s = ci * B.max(-ti, B.min(ti, ui))
            out = [o + s * qij for o, qij in zip(out, qi, strict=True)]
        return out

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        raise ValueError("a Huber objective's Hessian comes from HuberObjective.hess (it jumps at the kinks)")

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
        r = [x - _frac(v) for x, v in zip(variables, self.center, strict=True)]
        expr: sympy.Expr = _frac(self.modulus) / 2 * sum((ri**2 for ri in r), sympy.Integer(0))
        for t in self.terms:
            u = sum((_frac(qj) * rj for qj, rj in zip(t.q, r, strict=True)), sympy.Integer(0))
            expr += _frac(t.c) * _unit_huber(u, _frac(t.tau))
        return expr


class HuberObjective(Objective):
    """F(x) = (μ/2)‖x − b‖² + Σ c_i H_{τ_i}(⟨q_i, x − b⟩) (see the module docstring).

    The gradient is given in closed form (clip), not by differentiating ``min``; the
    Hessian exists off the kinks |⟨q_i, x − b⟩| = τ_i only, and :meth:`hess` raises
    ``ValueError`` (the case is skipped) where it does not, or where Arb balls cannot
    tell on which side of a kink the point lies.
    """

    def __init__(self, *, terms: tuple[HuberTerm, ...] = (), modulus: Fraction = Fraction(0), center: tuple[Fraction, ...] = (), **kw: Any) -> None:
        super().__init__(**kw)
        self.terms = terms
        self.modulus = modulus
        self.center = center

    def _u(self, x: Sequence[sympy.Expr]) -> list[sympy.Expr]:
        r = [xi - _frac(bi) for xi, bi in zip(x, self.center, strict=True)]
        return [sum((_frac(qj) * rj for qj, rj in zip(t.q, r, strict=True)), sympy.Integer(0)) for t in self.terms]

    @cached_property
    def gradient(self) -> tuple[sympy.Expr, ...]:
        xs = self.variables
        us = self._u(xs)
        out = []
        for j, xj in enumerate(xs):
            g = _frac(self.modulus) * (xj - _frac(self.center[j]))
            for t, u in zip(self.terms, us, strict=True):
                if t.q[j] != 0:
                    g += _frac(t.c) * _frac(t.q[j]) * _clip(u, _frac(t.tau))
            out.append(g)
        return tuple(out)

    @cached_property
    def hessian(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        raise ValueError("a Huber objective has no Hessian expression (it jumps at the kinks); use hess(B, x)")

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        d = self.dim
        r = [x[j] - B.num(self.center[j]) for j in range(d)]
        out = [[B.num(self.modulus) if i == j else B.num(0) for j in range(d)] for i in range(d)]
        for t in self.terms:
            u = B.dot([B.num(v) for v in t.q], r)
            if _inside(B, u, t.tau):
                for i in range(d):
                    for j in range(d):
                        out[i][j] = out[i][j] + B.num(t.c * t.q[i] * t.q[j])
        return out


def _inside(B: Backend, u: Number, tau: Fraction) -> bool:
    """|u| < τ (True) or |u| > τ (False); ValueError at a kink or when a ball straddles it."""
    a = B.abs(u) - B.num(tau)
    if B.name == "arb":
        if a < 0:
            return True
        if a > 0:
            return False
        raise ValueError("the point lies on (or too near) a kink of the Huber function: no Hessian there")
    v = float(B.to_float(a))
    if v == 0:
        raise ValueError("the point lies on a kink of the Huber function: no Hessian there")
    return v < 0


def huber_objective(
    terms: Sequence[HuberTerm],
    *,
    center: Sequence[Fraction] | None = None,
    modulus: Fraction | int = 0,
    with_components: bool = True,
) -> HuberObjective:
    """The objective (μ/2)‖x − b‖² + Σ c_i H_{τ_i}(⟨q_i, x − b⟩) with certified constants.

    Checks (exactly) what the certificate needs: c_i > 0, τ_i > 0, μ ≥ 0, the q_i
    orthonormal and of the dimension of b; raises ``ValueError`` otherwise.
    """
    terms = tuple(terms)
    if not terms:
        raise ValueError("a Huber objective needs at least one term")
    d = len(terms[0].q)
    b = tuple(Fraction(v) for v in (center if center is not None else [Fraction(0)] * d))
    mu = Fraction(modulus)
    if len(b) != d or any(len(t.q) != d for t in terms):
        raise ValueError("the directions q_i and the center b must have the same dimension")
    if mu < 0 or any(t.c <= 0 or t.tau <= 0 for t in terms):
        raise ValueError("need c_i > 0, tau_i > 0 and mu >= 0")
    for i, s in enumerate(terms):
        for j, t in enumerate(terms):
            ip = sum((a * c for a, c in zip(s.q, t.q, strict=True)), Fraction(0))
            if ip != (1 if i == j else 0):
                raise ValueError("the directions q_i must be orthonormal (exactly)")
    xs = coordinates(d)
    L = mu + max(t.c for t in terms)
    n = len(terms)
    components: tuple[Objective, ...] = ()
    if with_components:
        components = tuple(
            huber_objective([HuberTerm(n * t.c, t.tau, t.q)], center=b, modulus=mu, with_components=False) for t in terms
        )
    # where claims about first-order methods are extreme: the minimiser, and b + s q_i at s = (2j + 1) τ_i
    hard = (b,) + tuple(
        tuple(bj + s * qj for bj, qj in zip(b, t.q, strict=True))
        for t in terms
        for s in (t.tau, 3 * t.tau, 5 * t.tau, 11 * t.tau, 21 * t.tau)
    )
    label = ", ".join(f"c={t.c}, tau={t.tau}" for t in terms)
    return HuberObjective(
        family=f"huber({label}; mu={mu})",
        variables=xs,
        structure=HuberStructure(terms, mu, b),
        constants=Constants(
            L=L,
            lower=Fraction(0),
            mu=mu if mu > 0 else None,
            minimizer=b,
            minimum=Fraction(0),
            how="Huber sum by construction: convex; L = mu + max_i c_i (orthonormal directions); minimiser b, F* = 0",
        ),
        hard_points=hard,
        components=components,
        terms=terms,
        modulus=mu,
        center=b,
    )


def _rational_orthogonal(m: Any) -> list[tuple[Fraction, ...]]:
    """The rows of an exact rational matrix (python-flint ``fmpq_mat``) as Fractions."""
    return [tuple(Fraction(int(m[i, j].p), int(m[i, j].q)) for j in range(m.ncols())) for i in range(m.nrows())]


@st.composite
def huber_functions(
    draw: st.DrawFn,
    dim: int | tuple[int, int] = (1, 3),
    *,
    terms: int | tuple[int, int] = (1, 3),
    strong_convexity: str = "any",
    max_curvature: Fraction | int = 4,
) -> HuberObjective:
    """Huber sums F(x) = (μ/2)‖x − b‖² + Σ_{i ≤ r} c_i H_{τ_i}(⟨q_i, x − b⟩) (module docstring).

    What is drawn: d in ``dim``; r = min(``terms``, d) directions, the first r rows of an
    exactly orthogonal rational matrix (the Cayley transform of a skew matrix with entries
    multiples of 1/4 in [−2, 2]; the identity when that matrix is 0); c_i multiples of 1/8 in
    [1/8, ``max_curvature``]; widths τ_i multiples of 1/16 in [1/16, 2] or powers 2^−5 … 2^−10
    (kinks close to b: the worst case for many steps has τ = ‖x₀ − b‖/(2k + 1)); b multiples
    of 1/4 in [−2, 2]^d; μ ∈ {0, 1/16, 1/4, 1} (``strong_convexity``: ``"zero"`` only 0,
    ``"positive"`` the three positive values, ``"any"`` all four). Points are drawn in
    [−3, 3]^d and at the hard points b and b + s q_i, s ∈ {1, 3, 5, 11, 21} τ_i.
    """
    if strong_convexity not in STRONG_CONVEXITY:
        raise ValueError(f"strong_convexity must be one of {STRONG_CONVEXITY}, got {strong_convexity!r}")
    d = draw(_dims(dim))
    r = min(draw(_dims(terms)), d)
    q = _rational_orthogonal(draw(_orthogonal(d)))[:r]
    top = Fraction(max_curvature)
    width = st.one_of(rationals(Fraction(1, 16), 2, denominator=16), st.integers(5, 10).map(lambda k: Fraction(1, 2**k)))
    ts = [HuberTerm(draw(rationals(Fraction(1, 8), top, denominator=8)), draw(width), q[i]) for i in range(r)]
    b = [draw(rationals(-2, 2, denominator=4)) for _ in range(d)]
    choices = {"zero": MODULI[:1], "positive": MODULI[1:], "any": MODULI}[strong_convexity]
    mu = draw(st.sampled_from(choices))
    return huber_objective(ts, center=b, modulus=mu)


__all__ = ["MODULI", "STRONG_CONVEXITY", "HuberObjective", "HuberStructure", "HuberTerm", "huber_functions", "huber_objective"]
