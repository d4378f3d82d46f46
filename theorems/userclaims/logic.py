"""The claim files' quantifiers and matrix relations (issue 16), kept apart from the front end.

- **Matrix relations** ``A <= B`` between symmetric matrices built from ``hess(x)`` and the
  identity ``I`` (Loewner order: ``B - A`` positive semidefinite): :func:`matrix_relation`
  turns one into the linear combination ``B - A = sum_k c_k M_k`` with scalar coefficients
  (lowered by the notation compiler, so they may use parameters, constants and point
  functions), and :class:`MatrixRelation` evaluates the matrix at a case in any backend.
- **Parameter domains** that use the objective's constants and other parameters:
  :class:`Domains` computes the exact interval of each parameter given the values drawn
  before it (the draw order comes from :func:`symbolic.quantifiers.draw_order`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy
from sympy.core.function import AppliedUndef

from symbolic import Bound, Case
from symbolic.loewner import MatrixExpressionError, linear_in
from symbolic.parsing import Vocabulary

#: the matrix-valued function of a point and the identity matrix, by their names in claims
HESS = "hess"
IDENTITY = "I"


def matrix_vocabulary(vocabulary: Vocabulary) -> Vocabulary:
    """The vocabulary with ``hess`` (a function of a point) and ``I`` (the identity) added,
    unless it has them already."""
    symbols = dict(vocabulary.symbols)
    symbols.setdefault(IDENTITY, sympy.Symbol(IDENTITY))
    functions = dict(vocabulary.functions)
    functions.setdefault(HESS, sympy.Function(HESS))
    return Vocabulary(symbols, functions=functions, constants=vocabulary.constants)


def _is_identity(s: sympy.Basic) -> bool:
    return isinstance(s, sympy.Symbol) and s.name == IDENTITY


def _hess_apps(e: sympy.Basic) -> list[sympy.Basic]:
    return sorted((a for a in e.atoms(AppliedUndef) if type(a).__name__ == HESS), key=sympy.default_sort_key)


def is_matrix_relation(rel: sympy.Basic) -> bool:
    """True when the relation mentions ``hess(.)`` or ``I`` (outside nothing: matrices may not be nested)."""
    return bool(_hess_apps(rel)) or any(_is_identity(s) for s in rel.free_symbols)


@dataclass(frozen=True)
class MatrixRelation:
    """``sum_k coefficient_k * matrix_k >= 0`` (``> 0`` when ``strict``) in the Loewner order.

    ``terms``: (lowered coefficient expression, atom), an atom being ``("I",)`` or
    ``("hess", point name)``.
    """

    terms: tuple[tuple[sympy.Expr, tuple[str, ...]], ...]
    strict: bool

    def coefficients(self) -> list[sympy.Expr]:
        return [c for c, _ in self.terms]

    def matrix(self, case: Case, B: Any, coefficients: Sequence[Any]) -> list[list[Any]]:
        """The symmetric matrix at the case, given the coefficients' values in backend ``B``."""
        f = case.objective
        if f is None:
            raise ValueError("a matrix relation needs an objective")
        d = f.dim
        out = [[B.num(0) for _ in range(d)] for _ in range(d)]
        for c, (_, atom) in zip(coefficients, self.terms, strict=True):
            if atom[0] == IDENTITY:
                for i in range(d):
                    out[i][i] = out[i][i] + c
            else:
                h = f.hess(B, case.x(B, atom[1]))
                for i in range(d):
                    for j in range(d):
                        out[i][j] = out[i][j] + c * h[i][j]
        return out


def matrix_relation(rel: sympy.Basic, rel_name: str, points: Sequence[str], lower: Callable[[sympy.Expr, str], sympy.Expr], where: str) -> MatrixRelation:
    """The relation ``lhs REL rhs`` between matrices as ``M >= 0`` / ``M > 0``.

    ``lower`` is the notation compiler's lowering of scalar expressions (point functions to
    symbols). Raises :class:`MatrixExpressionError` (with ``where``) for anything that is not a
    linear combination of ``hess(point)`` and ``I`` with scalar coefficients.
    """
    if rel_name == "==":
        raise MatrixExpressionError(f"{where}: an equality of matrices is not supported; state A <= B and A >= B")
    if not points:
        raise MatrixExpressionError(f"{where}: a matrix relation needs a family of objectives and points (hess(x), I)")
    diff = rel.rhs - rel.lhs if rel_name in ("<=", "<") else rel.lhs - rel.rhs
    atoms: dict[sympy.Symbol, tuple[str, ...]] = {}
    reps: dict[sympy.Basic, sympy.Symbol] = {}
    for app in _hess_apps(diff):
        if len(app.args) != 1 or str(app.args[0]) not in points or not isinstance(app.args[0], sympy.Symbol):
            raise MatrixExpressionError(f"{where}: hess takes one of the points {', '.join(points)}, got hess{app.args}")
        s = sympy.Symbol(f"_hess_{app.args[0]}")
        reps[app] = s
        atoms[s] = (HESS, str(app.args[0]))
    for s in diff.free_symbols:
        if _is_identity(s):
            ident = sympy.Symbol("_identity")
            reps[s] = ident
            atoms[ident] = (IDENTITY,)
    try:
        terms = linear_in(diff.xreplace(reps), list(atoms))
    except MatrixExpressionError as exc:
        raise MatrixExpressionError(f"{where}: {exc}") from None
    lowered = tuple((lower(c, where), atoms[a]) for c, a in terms)
    return MatrixRelation(lowered, strict=rel_name in ("<", ">"))


class Domains:
    """Exact parameter domains whose bounds use the objective's constants and earlier parameters.

    ``bounds[p] = (lo, hi, lo_open, hi_open)`` (sympy expressions or None); ``fns[(p, i)]`` the
    compiled bound over ``args`` (the constants, then the parameters); ``exact`` turns a bound
    and the argument values into an exact rational rounded into the domain (None: undefined).
    """

    def __init__(
        self,
        bounds: Mapping[str, tuple[Any, Any, bool, bool]],
        fns: Mapping[tuple[str, int], Any],
        constant_symbols: Mapping[str, sympy.Symbol],
        parameter_symbols: Mapping[str, sympy.Symbol],
        exact: Callable[[Any, list[Fraction], sympy.Expr, bool], Fraction | None],
    ) -> None:
        self.bounds = bounds
        self.fns = fns
        self.constant_symbols = constant_symbols
        self.parameter_symbols = parameter_symbols
        self.exact = exact

    def domain(self, pname: str, consts: Mapping[str, Fraction], values: Mapping[str, Fraction]) -> Bound | None:
        """The domain of ``pname`` for these constants and earlier parameter values; None when a
        bound is undefined (a missing value, not a finite real number) or the interval is empty."""
        lo, hi, lo_open, hi_open = self.bounds[pname]
        args = [consts.get(k, Fraction(0)) for k in self.constant_symbols] + [values.get(k, Fraction(0)) for k in self.parameter_symbols]
        sub = {s: sympy.Rational(v.numerator, v.denominator) for k, s in self.constant_symbols.items() if (v := consts.get(k)) is not None}
        sub.update({s: sympy.Rational(v.numerator, v.denominator) for k, s in self.parameter_symbols.items() if (v := values.get(k)) is not None})
        ends: list[Fraction | None] = []
        for i, e in enumerate((lo, hi)):
            if e is None:
                ends.append(None)
                continue
            if e.free_symbols - set(sub):
                return None  # uses a parameter that has no value yet
            v = self.exact(self.fns[(pname, i)], args, e.xreplace(sub), i == 1)
            if v is None:
                return None
            ends.append(v)
        b = Bound(ends[0], ends[1], lo_open, hi_open)
        if b.lo is not None and b.hi is not None and (b.lo > b.hi or (b.lo == b.hi and (b.lo_open or b.hi_open))):
            return None
        return b


__all__ = ["HESS", "IDENTITY", "Domains", "MatrixExpressionError", "MatrixRelation", "is_matrix_relation", "matrix_relation", "matrix_vocabulary"]
