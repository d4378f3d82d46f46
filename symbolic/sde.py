"""Stochastic differential equations, symbolically: generator, Fokker–Planck operator, Itô's formula.

An :class:`SDE` ``dX_t = b(X_t, t) dt + σ(X_t, t) dW_t`` in ``d`` dimensions with an
``l``-dimensional Brownian motion holds its drift ``b`` (d × 1) and diffusion ``σ`` (d × l) as
sympy expressions. It computes

- the generator ``𝓛f = b·∇f + ½ tr(σσᵀ ∇²f)``;
- the Fokker–Planck (forward Kolmogorov) operator ``𝓛*p = −∇·(p b) + ½ Σᵢⱼ ∂ᵢ∂ⱼ(p (σσᵀ)ᵢⱼ)``;
- Itô's formula for ``f(X_t, t)``: its ``dt`` coefficient ``∂ₜf + 𝓛f`` and its ``dW`` row ``∇fᵀσ``,
  and the same two coefficients again from a second-order Taylor expansion with Itô's
  multiplication table (``dWᵢ dWⱼ = δᵢⱼ dt``, ``dt dW = dt² = 0``), so that one can be checked
  against the other;
- the flux ``J`` of the adjoint relation ``(𝓛f) p − f (𝓛*p) = ∇·J`` (so that
  ``∫(𝓛f)p = ∫f(𝓛*p)`` for decaying ``f, p``).

:class:`OperatorIdentity` is a symbolic check for identities that involve undefined functions (a
potential ``g(x₁, …, x_d)``, a density, a test function): it is built dimension by dimension *in
the check*, proved by sympy for each listed dimension, optionally as a one-coordinate identity
that covers every dimension (``coordinatewise``), and, when sympy cannot prove it, refuted at an
exact rational point after concrete functions (``witnesses``) are substituted for the undefined
ones. Nothing here knows about deep learning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy
from sympy import Expr

from .checks import Check
from .proofs import Identity
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict, weakest


def space(d: int, name: str = "x") -> tuple[sympy.Symbol, ...]:
    """Real coordinates ``x1, …, xd``."""
    if d < 1:
        raise ValueError(f"dimension must be >= 1, got {d}")
    return tuple(sympy.symbols(f"{name}1:{d + 1}", real=True))


def potential(name: str, xs: Sequence[sympy.Symbol]) -> Expr:
    """An undefined function ``name(x1, …, xd)`` (a sympy ``Function`` applied to the coordinates)."""
    return sympy.Function(name)(*xs)


def gradient(f: Expr, xs: Sequence[sympy.Symbol]) -> sympy.Matrix:
    """∇f as a column."""
    return sympy.Matrix([sympy.diff(f, x) for x in xs])


def divergence(v: Sequence[Expr] | sympy.Matrix, xs: Sequence[sympy.Symbol]) -> Expr:
    """∇·v = Σᵢ ∂ᵢvᵢ."""
    v = list(v)
    if len(v) != len(xs):
        raise ValueError(f"a vector field of length {len(v)} in {len(xs)} coordinates")
    return sympy.Add(*[sympy.diff(vi, x) for vi, x in zip(v, xs, strict=True)])


def laplacian(f: Expr, xs: Sequence[sympy.Symbol]) -> Expr:
    """Δf = Σᵢ ∂ᵢ²f."""
    return sympy.Add(*[sympy.diff(f, x, 2) for x in xs])


def hessian(f: Expr, xs: Sequence[sympy.Symbol]) -> sympy.Matrix:
    """∇²f."""
    return sympy.Matrix([[sympy.diff(f, a, b) for b in xs] for a in xs])


class SDE:
    """``dX_t = b(X_t, t) dt + σ(X_t, t) dW_t`` with ``X_t ∈ ℝ^d`` and ``W_t`` an ``l``-dimensional Brownian motion.

    ``drift``: d expressions; ``diffusion``: a d × l matrix (a scalar ``s`` means ``s·I_d``);
    ``variables``: the d state coordinates; ``time``: the time symbol (optional).
    """

    def __init__(
        self,
        drift: Sequence[Expr] | sympy.Matrix,
        diffusion: Expr | Sequence[Sequence[Expr]] | sympy.Matrix,
        variables: Sequence[sympy.Symbol],
        time: sympy.Symbol | None = None,
    ) -> None:
        self.xs = tuple(variables)
        d = len(self.xs)
        if d == 0:
            raise ValueError("an SDE needs at least one state variable")
        self.b = sympy.Matrix(list(drift)) if not isinstance(drift, sympy.MatrixBase) else sympy.Matrix(drift)
        if self.b.shape != (d, 1):
            raise ValueError(f"drift has shape {self.b.shape}, expected ({d}, 1)")
        if isinstance(diffusion, sympy.MatrixBase):
            sigma = sympy.Matrix(diffusion)
        elif isinstance(diffusion, Sequence) and not isinstance(diffusion, str):
            sigma = sympy.Matrix([list(r) for r in diffusion])
        else:
            sigma = sympy.sympify(diffusion) * sympy.eye(d)
        if sigma.shape[0] != d:
            raise ValueError(f"diffusion has {sigma.shape[0]} rows, expected {d}")
        self.sigma = sigma
        self.t = time

    @property
    def dim(self) -> int:
        return len(self.xs)

    @property
    def noise_dim(self) -> int:
        return int(self.sigma.shape[1])

    @property
    def covariance(self) -> sympy.Matrix:
        """``a = σσᵀ`` (d × d)."""
        return self.sigma * self.sigma.T

    def generator(self, f: Expr) -> Expr:
        """``𝓛f = b·∇f + ½ Σᵢⱼ aᵢⱼ ∂ᵢ∂ⱼf`` (no time derivative)."""
        a = self.covariance
        first = sympy.Add(*[self.b[i] * sympy.diff(f, x) for i, x in enumerate(self.xs)])
        second = sympy.Add(*[a[i, j] * sympy.diff(f, xi, xj) for i, xi in enumerate(self.xs) for j, xj in enumerate(self.xs)])
        return first + second / 2

    def fokker_planck(self, p: Expr) -> Expr:
        """``𝓛*p = −Σᵢ ∂ᵢ(p bᵢ) + ½ Σᵢⱼ ∂ᵢ∂ⱼ(p aᵢⱼ)``: the right-hand side of ``∂ₜp = 𝓛*p``."""
        a = self.covariance
        first = -sympy.Add(*[sympy.diff(p * self.b[i], x) for i, x in enumerate(self.xs)])
        second = sympy.Add(*[sympy.diff(p * a[i, j], xi, xj) for i, xi in enumerate(self.xs) for j, xj in enumerate(self.xs)])
        return first + second / 2

    def ito(self, f: Expr) -> tuple[Expr, sympy.Matrix]:
        """Itô's formula: ``d f(X_t, t) = (∂ₜf + 𝓛f) dt + ∇fᵀσ dW_t``; returns (dt coefficient, 1 × l dW row)."""
        dt = self.generator(f) + (sympy.diff(f, self.t) if self.t is not None else 0)
        return dt, gradient(f, self.xs).T * self.sigma

    def ito_by_taylor(self, f: Expr, table: Callable[[int, int], Expr] | None = None) -> tuple[Expr, sympy.Matrix]:
        """The coefficients of ``d f(X_t, t)`` from a second-order Taylor expansion in ``dX = b dt + σ dW``.

        Products of increments are reduced with Itô's table, ``dWᵢ dWⱼ = table(i, j) dt`` (default
        ``δᵢⱼ``), ``dt·dt = dt·dWᵢ = 0``; a different ``table`` gives another calculus (``0``: the
        ordinary chain rule). Independent of :meth:`generator`, so the two can be compared.
        """
        table = table or (lambda i, j: sympy.Integer(1 if i == j else 0))
        h = sympy.Dummy("dt", positive=True)  # dummies: no clash with the user's symbols
        dW = [sympy.Dummy(f"dW{k + 1}", real=True) for k in range(self.noise_dim)]
        dX = [self.b[i] * h + sympy.Add(*[self.sigma[i, k] * dW[k] for k in range(self.noise_dim)]) for i in range(self.dim)]
        incr = list(dX) + ([h] if self.t is not None else [])
        vars_ = list(self.xs) + ([self.t] if self.t is not None else [])
        taylor = sympy.Add(*[sympy.diff(f, v) * dv for v, dv in zip(vars_, incr, strict=True)])
        taylor += sympy.Add(*[sympy.diff(f, u, v) * du * dv for u, du in zip(vars_, incr, strict=True) for v, dv in zip(vars_, incr, strict=True)]) / 2
        poly = sympy.Poly(sympy.expand(taylor), h, *dW)
        dt_coef: Expr = sympy.Integer(0)
        dw_coef = [sympy.Integer(0)] * self.noise_dim
        for monom, c in poly.terms():
            eh, ew = monom[0], monom[1:]
            order = eh + sum(ew) / sympy.Integer(2)
            if eh == 1 and sum(ew) == 0:
                dt_coef += c
            elif eh == 0 and sum(ew) == 1:
                dw_coef[ew.index(1)] += c
            elif eh == 0 and sum(ew) == 2:
                idx = [k for k, e in enumerate(ew) for _ in range(e)]
                dt_coef += c * table(idx[0], idx[1])
            elif order <= 1:  # pragma: no cover - every term of order <= 1 is handled above
                raise AssertionError(monom)
        return dt_coef, sympy.Matrix([dw_coef])

    def adjoint_flux(self, f: Expr, p: Expr) -> sympy.Matrix:
        """``J`` with ``(𝓛f)p − f(𝓛*p) = ∇·J``: ``Jᵢ = f p bᵢ + ½ Σⱼ (p aᵢⱼ ∂ⱼf − f ∂ⱼ(p aᵢⱼ))``."""
        a = self.covariance
        return sympy.Matrix(
            [
                f * p * self.b[i]
                + sympy.Add(*[p * a[i, j] * sympy.diff(f, xj) - f * sympy.diff(p * a[i, j], xj) for j, xj in enumerate(self.xs)]) / 2
                for i in range(self.dim)
            ]
        )

    def euler_maruyama_step(self, x: Sequence[Expr], step: Expr, increment: Sequence[Expr], time: Expr = 0) -> sympy.Matrix:
        """One Euler–Maruyama step ``x + δ b(x, t) + σ(x, t) ΔW`` as a symbolic expression (no sampling)."""
        sub = dict(zip(self.xs, x, strict=True))
        if self.t is not None:
            sub[self.t] = time
        inc = sympy.Matrix(list(increment))
        if inc.shape != (self.noise_dim, 1):
            raise ValueError(f"increment of length {inc.shape[0]}, expected {self.noise_dim}")
        return sympy.Matrix(list(x)) + step * self.b.subs(sub, simultaneous=True) + self.sigma.subs(sub, simultaneous=True) * inc

    def __repr__(self) -> str:
        return f"SDE(d={self.dim}, l={self.noise_dim}, b={list(self.b)}, sigma={self.sigma.tolist()})"


# ------------------------------------------------------------------ checks


def substitute_functions(expr: Any, witnesses: Mapping[str, Callable[..., Expr]]) -> Any:
    """``expr`` with each undefined function named in ``witnesses`` replaced by a concrete one, derivatives evaluated.

    ``witnesses[name](*args)`` gives the concrete function at the arguments of the undefined one.
    """

    def one(e: Any) -> Any:
        e = sympy.sympify(e)
        for app in sorted(e.atoms(sympy.core.function.AppliedUndef), key=str):
            name = app.func.__name__
            if name in witnesses:
                u = sympy.symbols(f"_u0:{len(app.args)}", real=True)
                e = e.replace(app.func, sympy.Lambda(u, witnesses[name](*u)))
        return e.doit()

    if isinstance(expr, sympy.MatrixBase):
        return expr.applyfunc(one)
    return one(expr)


def describe_witnesses(exprs: Sequence[Any], witnesses: Mapping[str, Callable[..., Expr]]) -> str:
    """``g(x1, x2) = ...; p(x1, x2) = ...`` for the undefined functions of ``exprs`` named in ``witnesses``."""
    seen: dict[str, str] = {}
    for e in exprs:
        for app in sympy.sympify(e).atoms(sympy.core.function.AppliedUndef):
            name = app.func.__name__
            if name in witnesses and name not in seen:
                seen[name] = f"{sympy.sstr(app)} = {sympy.sstr(witnesses[name](*app.args))}"
    return "; ".join(seen[k] for k in sorted(seen))


Build = Callable[[int], tuple[Any, Any]]
OneCoordinate = Callable[[sympy.Symbol, sympy.Symbol], tuple[Any, Any]]


class OperatorIdentity(Check):
    """An identity between differential expressions in undefined functions, proved dimension by dimension.

    ``build(d) -> (lhs, rhs)`` constructs both sides in dimension ``d`` when the check runs (so the
    computation is part of the check); each dimension of ``dims`` must be proved by sympy.
    ``one_coordinate(x, y) -> (lhs, rhs)`` (optional) is the i-th term of a statement that is a sum
    over coordinates of terms involving ∂ᵢ only, with ``y`` standing for the other coordinates: its
    proof covers every dimension, and the scope says so. When a proof fails, the undefined functions
    named in ``witnesses`` are replaced by concrete ones and the identity is refuted at an exact
    rational point (exact rationals or an Arb ball excluding 0), with the witnesses in the evidence.
    """

    kind = "S"

    def __init__(
        self,
        name: str,
        build: Build,
        *,
        dims: Sequence[int] = (1, 2, 3),
        one_coordinate: OneCoordinate | None = None,
        witnesses: Mapping[str, Callable[..., Expr]] | None = None,
        **kw: Any,
    ) -> None:
        if not dims:
            raise ValueError(f"OperatorIdentity {name!r} needs at least one dimension")
        if "scope" not in kw:
            listed = ", ".join(str(d) for d in dims)
            if one_coordinate is not None:
                kw["scope"] = f"every d: coordinatewise (a sum over i of one-coordinate identities in x_i, the other coordinates a parameter, proved); also proved directly in d = {listed}"
            else:
                kw["scope"] = f"d = {listed}"
        super().__init__(name, **kw)
        self.build = build
        self.dims = tuple(dims)
        self.one_coordinate = one_coordinate
        self.witnesses = dict(witnesses or {})

    def _one(self, label: str, lhs: Any, rhs: Any, settings: CheckSettings) -> tuple[Verdict, Evidence]:
        out = Identity(f"{self.name} [{label}]", lhs, rhs).run(settings)
        if out.verdict is not Verdict.UNDECIDED or not self.witnesses:
            return out.verdict, out.evidence
        lw, rw = substitute_functions(lhs, self.witnesses), substitute_functions(rhs, self.witnesses)
        wout = Identity(f"{self.name} [{label}, witnesses]", lw, rw).run(settings)
        if wout.verdict is Verdict.REFUTED:
            cex = {"witnesses": describe_witnesses([lhs, rhs], self.witnesses), **(wout.evidence.counterexample or {})}
            return Verdict.REFUTED, Evidence(method=f"{wout.evidence.method}, after substituting concrete functions", counterexample=cex, details=f"{label}: {wout.evidence.details}")
        return Verdict.UNDECIDED, Evidence(method="sympy", details=f"{label}: not proved for undefined functions; the witnesses give {wout.verdict.value}")

    def run(self, settings: CheckSettings) -> Outcome:
        verdicts: list[Verdict] = []
        lines: list[str] = []
        if self.one_coordinate is not None:
            x, y = sympy.symbols("x y", real=True)
            v, ev = self._one("one coordinate", *self.one_coordinate(x, y), settings)
            if v is not Verdict.PROVED:
                return Outcome(v, ev)
            verdicts.append(v)
            lines.append("one-coordinate identity (x the coordinate, y the others): proved")
        for d in self.dims:
            v, ev = self._one(f"d = {d}", *self.build(d), settings)
            if v is not Verdict.PROVED:
                return Outcome(v, ev)
            verdicts.append(v)
            lines.append(f"d = {d}: {ev.method}")
        return Outcome(weakest(verdicts), Evidence(method="sympy, built and simplified in the check", details="; ".join(lines)))


__all__ = [
    "SDE",
    "OperatorIdentity",
    "describe_witnesses",
    "divergence",
    "gradient",
    "hessian",
    "laplacian",
    "potential",
    "space",
    "substitute_functions",
]
