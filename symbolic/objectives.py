"""Objectives: a concrete function with its derivatives and the constants it certifies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any, Protocol

import sympy

from .backends import Backend, Number
from .compile import compiled


@dataclass(frozen=True)
class Box:
    """The closed box ``lo <= x <= hi`` (componentwise), with exact rational corners."""

    lo: tuple[Fraction, ...]
    hi: tuple[Fraction, ...]

    def __post_init__(self) -> None:
        if len(self.lo) != len(self.hi):
            raise ValueError("box corners have different dimensions")
        if any(a > b for a, b in zip(self.lo, self.hi, strict=True)):
            raise ValueError(f"empty box: lo={self.lo} hi={self.hi}")

    @classmethod
    def cube(cls, dim: int, radius: Fraction | int, center: Sequence[Fraction] | None = None) -> Box:
        c = tuple(Fraction(v) for v in (center if center is not None else [Fraction(0)] * dim))
        r = Fraction(radius)
        return cls(tuple(v - r for v in c), tuple(v + r for v in c))

    @property
    def dim(self) -> int:
        return len(self.lo)

    def contains(self, x: Sequence[Fraction]) -> bool:
        return all(a <= v <= b for a, v, b in zip(self.lo, x, self.hi, strict=True))

    def to_json(self) -> dict[str, list[str]]:
        return {"lo": [str(v) for v in self.lo], "hi": [str(v) for v in self.hi]}


@dataclass(frozen=True)
class Constants:
    """Constants an objective certifies, each rigorous (exact or a proven bound).

    ``L``: a Lipschitz constant of the gradient on ``region`` (``None`` region: all of
    R^d); ``lower``: F >= lower on the region; ``mu``: strong convexity modulus (or the
    smallest nonzero |eigenvalue| for quadratics); ``minimizer``/``minimum``: a global
    minimizer and the minimum value where known exactly.
    """

    L: Fraction | None = None
    region: Box | None = None
    lower: Fraction | None = None
    mu: Fraction | None = None
    minimizer: tuple[Fraction, ...] | None = None
    minimum: Fraction | None = None
    how: str = ""

    @property
    def Fstar(self) -> Fraction | None:  # noqa: N802 - the name claims use for the minimum value
        """The minimum value F* (``minimum``), where known exactly."""
        return self.minimum

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("L", "lower", "mu", "minimum"):
            v = getattr(self, name)
            if v is not None:
                out[name] = str(v)
        if self.region is not None:
            out["region"] = self.region.to_json()
        if self.minimizer is not None:
            out["minimizer"] = [str(v) for v in self.minimizer]
        if self.how:
            out["how"] = self.how
        return out


def coordinates(dim: int, name: str = "x") -> tuple[sympy.Symbol, ...]:
    """The real coordinate symbols x_1, ..., x_dim."""
    return tuple(sympy.Symbol(f"{name}_{i + 1}", real=True) for i in range(dim))


class Structure(Protocol):
    """What a structured family supplies: evaluation from arrays, and F as sympy on request."""

    dim: int

    def value(self, B: Backend, x: Sequence[Number]) -> Number: ...

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]: ...

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]: ...

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr: ...


class Objective:
    """A function F: R^d -> R with certified constants.

    Given by a sympy expression ``expr`` (compiled for evaluation), or by a ``structure``
    (:mod:`symbolic.structured`: a polynomial's coefficient arrays, a quadratic's (A, b), a
    ridge sum's weights) that evaluates value, gradient and Hessian without sympy; then
    ``expr``, ``gradient`` and ``hessian`` are sympy objects built on first use only
    (display, LaTeX, JSON, proofs).
    """

    def __init__(
        self,
        family: str,
        variables: tuple[sympy.Symbol, ...],
        expr: sympy.Expr | None = None,
        constants: Constants | None = None,
        hard_points: tuple[tuple[Fraction, ...], ...] = (),
        components: tuple[Objective, ...] = (),
        *,
        structure: Structure | None = None,
    ) -> None:
        if expr is None and structure is None:
            raise ValueError("an Objective needs an expression or a structure")
        if structure is not None and structure.dim != len(variables):
            raise ValueError(f"structure of dimension {structure.dim} for {len(variables)} variables")
        self.family = family
        self.variables = tuple(variables)
        self._expr = expr
        self.constants = constants if constants is not None else Constants()
        #: points where claims about this objective tend to be extreme, known to its family
        #: (a quadratic's minimiser moved along each eigenvector); the search draws near them
        self.hard_points = hard_points
        #: a finite-sum structure F = (1/n) sum_i components[i], when the family knows one
        #: (SGD on finite sums samples a component); empty otherwise
        self.components = components
        self.structure = structure

    @property
    def expr(self) -> sympy.Expr:
        """F as a sympy expression (for a structured objective, built on first use)."""
        if self._expr is None:
            assert self.structure is not None
            self._expr = self.structure.expr(self.variables)
        return self._expr

    @property
    def dim(self) -> int:
        return len(self.variables)

    @cached_property
    def gradient(self) -> tuple[sympy.Expr, ...]:
        own = getattr(self.structure, "sympy_gradient", None)
        if own is not None:
            return tuple(own(self.variables))
        return tuple(sympy.diff(self.expr, v) for v in self.variables)

    @cached_property
    def hessian(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        own = getattr(self.structure, "sympy_hessian", None)
        if own is not None:
            return tuple(own(self.variables))
        g = self.gradient
        return tuple(tuple(sympy.diff(gi, v) for v in self.variables) for gi in g)

    @cached_property
    def _value_fn(self) -> Any:
        return compiled([self.expr], self.variables)

    @cached_property
    def _grad_fn(self) -> Any:
        return compiled(list(self.gradient), self.variables)

    @cached_property
    def _hess_fn(self) -> Any:
        return compiled([h for row in self.hessian for h in row], self.variables)

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        """F(x) in backend B (from the structure's arrays when there is one)."""
        if self.structure is not None:
            return self.structure.value(B, x)
        return self._value_fn(B, x)[0]

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        """∇F(x) in backend B."""
        if self.structure is not None:
            return self.structure.grad(B, x)
        return list(self._grad_fn(B, x))

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        """∇²F(x) in backend B, as a list of rows."""
        if self.structure is not None:
            return self.structure.hess(B, x)
        flat = self._hess_fn(B, x)
        d = self.dim
        return [list(flat[i * d : (i + 1) * d]) for i in range(d)]

    def gradient_step(self, B: Backend, x: Sequence[Number], step: Number) -> list[Number]:
        """The gradient map T(x) = x - step * grad F(x)."""
        return B.sub(x, B.scale(step, self.grad(B, x)))

    def __call__(self, *point: Any) -> sympy.Expr:
        """Exact value at a point (sympy), e.g. ``F(1, 2)``."""
        return self.expr.subs(dict(zip(self.variables, point, strict=True)))

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "F": sympy.sstr(self.expr),
            "variables": [str(v) for v in self.variables],
            "constants": self.constants.to_json(),
        }

    def _latex(self, printer: Any) -> str:
        return printer._print(self.expr)

    def _repr_latex_(self) -> str:
        return f"$F({', '.join(map(sympy.latex, self.variables))}) = {sympy.latex(self.expr)}$"

    def __repr__(self) -> str:
        return f"Objective({self.family}: F = {sympy.sstr(self.expr)}, {self.constants.to_json()})"
