"""Expressions in notation (``gradnorm(x)^2 <= 2*L*F(x)``) compiled to backend evaluators.

Text is parsed by the safe parser (:mod:`symbolic.parsing`) over a vocabulary of the declared
points and parameters, the objective's constants (:mod:`.constants`), the scalar functions, the
registry of point functions and reducers (:mod:`.functions`) and the scalar functions an entry
supplies (``phi`` given as a sympy expression in ``t``; ``phi'`` is its derivative).
:meth:`Compiler.lower` replaces each application of a point function or reducer by a fresh
symbol; the resulting sympy expressions are compiled by :func:`symbolic.compile.compiled`
(never ``lambdify``), and :meth:`Compiler.values` evaluates the symbols' values for one case in
any backend (mpmath, Arb, floats).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy
from sympy.core.function import AppliedUndef

from symbolic.claims import Case
from symbolic.compile import UnsupportedExpression, compiled
from symbolic.parsing import Limits, ParseError, Vocabulary, parse_expression, parse_relation

from .algorithms import ITERATE, XSTAR, Iterates, point
from .constants import CONSTANTS, constants_of
from .errors import NotationError
from .functions import IDENTITY, POINT_FUNCTIONS, REDUCERS, point_value, scalar_functions

#: size limits of one expression or relation in notation
NOTATION_LIMITS = Limits(max_length=2000, max_depth=30, max_exponent=100, max_nodes=1000)
#: sympy relation classes and the relation names :class:`symbolic.Claim` takes
RELATIONS: dict[type, str] = {sympy.LessThan: "<=", sympy.StrictLessThan: "<", sympy.GreaterThan: ">=", sympy.StrictGreaterThan: ">", sympy.Equality: "=="}
#: the internal name of the k-th derivative of an entry's function ``phi``: ``phi'`` -> ``phi_prime``
PRIME_SUFFIX = {1: "_prime", 2: "_prime2"}
#: ``sum(body, k, lo, hi)``: a sum over the declared index ``k`` from ``lo`` to ``hi`` (integers), expanded
SUM = "sum"
#: the most terms a sum may have (it is expanded before compiling)
MAX_SUM_TERMS = 200
_PRIMED = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)('{1,2})")


def compile_exprs(exprs: list[sympy.Expr], args: list[sympy.Symbol], where: str) -> Any:
    """:func:`symbolic.compile.compiled`, with a :class:`NotationError` naming ``where`` for what it cannot compile."""
    try:
        return compiled(exprs, args)
    except UnsupportedExpression as exc:
        if any(e.has(sympy.I) for e in exprs):
            raise NotationError(f"{where}: the expression is not real (it contains sqrt of a negative number or I)") from None
        raise NotationError(f"{where}: {exc}; claims support + - * / ^, sqrt, exp, log, abs, min, max, sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh") from None


@dataclass(frozen=True)
class _Combination:
    """A reducer's vector or matrix argument: sum of coefficient * atom.

    ``terms``: (index of the coefficient among the compiler's scalars, or +1/-1 for a unit
    coefficient, atom); an atom is ``("point", name)``, ``("identity",)`` or
    ``("function", name, points, index of the first scalar argument)``.
    """

    kind: str
    terms: tuple[tuple[int | None, int, tuple[Any, ...]], ...]


def _linear(e: sympy.Expr, atoms: set[sympy.Basic], bad: str) -> dict[sympy.Basic, sympy.Expr]:
    """``e`` as {atom: coefficient} when it is linear in ``atoms`` (coefficients free of them).

    Walks the tree once (no ``expand``: ``(a + b + ...)^100 * x`` from a hostile file must not
    be multiplied out); a sum of linear parts, or one linear factor times scalar factors.
    """
    if e in atoms:
        return {e: sympy.Integer(1)}
    if not (e.free_symbols & atoms or e.atoms(AppliedUndef) & atoms):
        raise NotationError(bad)  # a scalar where a vector (matrix) is needed
    if isinstance(e, sympy.Add):
        out: dict[sympy.Basic, sympy.Expr] = {}
        for term in e.args:
            for atom, c in _linear(term, atoms, bad).items():
                out[atom] = out.get(atom, sympy.Integer(0)) + c
        return out
    if isinstance(e, sympy.Mul):
        linear = [f for f in e.args if f.free_symbols & atoms or f.atoms(AppliedUndef) & atoms]
        if len(linear) != 1:
            raise NotationError(bad)
        scale = sympy.Mul(*[f for f in e.args if f is not linear[0]])
        return {atom: scale * c for atom, c in _linear(linear[0], atoms, bad).items()}
    raise NotationError(bad)


class Compiler:
    """Replaces applications of the point functions and reducers by fresh symbols and evaluates them.

    ``functions``: scalar functions supplied by the caller, ``name -> (t, expression in t)``;
    ``phi'(...)`` and ``phi''(...)`` are their derivatives (computed by sympy). ``values``:
    fixed named numbers (exact). ``case_names``: the case's names of points and parameters the
    text calls otherwise (``{"theta": "x", "gamma": "alpha"}``). ``raw_constants``: read the objective's constants as it
    certifies them (a missing one makes the case unevaluable), rather than through
    :func:`.constants.constants_of` with 0 for a missing one (the claim files' reading, where
    a case whose constants are missing is skipped by the caller).
    """

    def __init__(
        self,
        points: list[str],
        params: list[str],
        *,
        functions: Mapping[str, tuple[sympy.Symbol, sympy.Expr]] | None = None,
        values: Mapping[str, Fraction] | None = None,
        raw_constants: bool = False,
        case_names: Mapping[str, str] | None = None,
        indices: Sequence[str] = (),
    ) -> None:
        self.points = points
        #: summation indices (``k`` in ``sum(F(x)/k^2, k, 1, 10)``); ``sum`` exists only when some are declared
        self.index_symbols = {k: sympy.Symbol(k, integer=True) for k in indices}
        #: notation name -> the case's name of that point or parameter (``theta`` -> ``x``)
        self.case_names = dict(case_names or {})
        self.params = params
        self.raw_constants = raw_constants
        self.fixed = {k: Fraction(v) for k, v in (values or {}).items()}
        self.apps: dict[sympy.Basic, tuple[sympy.Symbol, str, tuple[Any, ...]]] = {}
        self.reductions: dict[sympy.Basic, tuple[sympy.Symbol, str, tuple[Any, ...]]] = {}
        self.coefficients: list[sympy.Expr] = []
        self.point_symbols = {p: sympy.Symbol(p) for p in points}
        self.iterates = Iterates()  # iterate(method, x, k, ...) and xstar: symbolic.notation.algorithms
        self.point_symbols.setdefault(XSTAR, self.iterates.xstar)
        self.param_symbols = {p: sympy.Symbol(p, real=True) for p in [*params, *self.fixed]}
        self.const_symbols = {c: sympy.Symbol(c, real=True) for c in CONSTANTS}
        self.identity = sympy.Symbol(IDENTITY)
        self.entry_functions: dict[str, sympy.Lambda] = {}
        declared = set(functions or {})
        for name in declared:
            for suffix in PRIME_SUFFIX.values():
                if name + suffix in declared:
                    raise NotationError(f"function {name + suffix!r} would name a derivative of {name!r} ({name}' or {name}''): rename it")
        for name, (t, body) in (functions or {}).items():
            lam = sympy.Lambda(t, body)
            self.entry_functions[name] = lam
            for k, suffix in PRIME_SUFFIX.items():
                self.entry_functions[name + suffix] = sympy.Lambda(t, sympy.diff(body, t, k))
        self.function_classes = {name: sympy.Function(name) for name in [*POINT_FUNCTIONS, *REDUCERS, ITERATE, *self.entry_functions, *([SUM] if indices else [])]}
        syms: dict[str, sympy.Symbol] = {**self.point_symbols, **self.param_symbols, **self.index_symbols, **self.iterates.vocabulary()}
        for c, s in self.const_symbols.items():
            syms.setdefault(c, s)
        syms.setdefault(IDENTITY, self.identity)
        self.vocabulary = Vocabulary(syms, functions={**scalar_functions(), **self.function_classes})
        self._scalar_fn: Any = None

    # ------------------------------------------------------------------ parsing
    def _primes(self, text: str) -> str:
        """``phi'(t)`` -> ``phi_prime(t)`` for the caller's functions (other primes are left to the parser to refuse)."""

        def rename(m: re.Match[str]) -> str:
            name, marks = m.group(1), len(m.group(2))
            return name + PRIME_SUFFIX[marks] if name + PRIME_SUFFIX[marks] in self.entry_functions else m.group(0)

        return _PRIMED.sub(rename, text) if self.entry_functions else text

    def parse(self, text: Any, where: str, relation: bool) -> Any:
        """``text`` parsed over this compiler's vocabulary: a relation, or an expression."""
        if not isinstance(text, str):
            raise NotationError(f"{where}: expected a string")
        try:
            if relation:
                return parse_relation(self._primes(text), self.vocabulary, limits=NOTATION_LIMITS)
            return parse_expression(self._primes(text), self.vocabulary, limits=NOTATION_LIMITS)
        except ParseError as exc:
            raise NotationError(f"{where}: {exc}") from None

    # ------------------------------------------------------------------ lowering
    def _scalar_slot(self, e: sympy.Expr) -> int:
        self.coefficients.append(e)
        self._scalar_fn = None
        return len(self.coefficients) - 1

    def _check_scalar_argument(self, a: sympy.Expr, name: str, where: str) -> None:
        if a.free_symbols & {*self.point_symbols.values(), self.identity} or a.atoms(AppliedUndef):
            raise NotationError(f"{where}: the step argument of {name} must be a number or a parameter expression")

    def _combination(self, arg: sympy.Expr, kind: str, reducer: str, where: str) -> _Combination:
        """``arg`` as a linear combination of vector (or matrix) atoms with scalar coefficients."""
        shown = "points and grad(p), gradstep(p, a)" if kind == "vector" else "I and hess(p)"
        atoms: list[sympy.Basic] = [app for app in arg.atoms(AppliedUndef) if type(app).__name__ in POINT_FUNCTIONS and POINT_FUNCTIONS[type(app).__name__].kind == kind]
        if kind == "vector":
            atoms += [s for s in self.point_symbols.values() if arg.has(s)]
        elif arg.has(self.identity):
            atoms.append(self.identity)
        other = [a for a in arg.atoms(AppliedUndef) if a not in atoms and not any(a in at.args for at in atoms if isinstance(at, AppliedUndef))]
        if other or not atoms:
            raise NotationError(f"{where}: the argument of {reducer} must be a {kind}: a combination of {shown} with coefficients in the parameters and constants, got {arg}")
        bad = f"{where}: the argument of {reducer} must be a {kind}: a combination of {shown} with coefficients in the parameters and constants, got {arg}"
        coeffs = _linear(arg, set(atoms), bad)
        terms: list[tuple[int | None, int, tuple[Any, ...]]] = []
        for atom in sorted(coeffs, key=sympy.default_sort_key):
            c = coeffs[atom]
            if c == 0:
                continue
            if atom == self.identity:
                spec: tuple[Any, ...] = ("identity",)
            elif isinstance(atom, sympy.Symbol):
                spec = ("point", atom.name)
            else:
                pf = POINT_FUNCTIONS[type(atom).__name__]
                pts, scal = self._point_args(atom, where)
                first = len(self.coefficients)
                for a in scal:
                    self._scalar_slot(a)
                spec = ("function", pf.name, pts, first)
            if c in (1, -1):
                terms.append((None, int(c), spec))
            else:
                self._check_scalar_argument(c, reducer, where)
                terms.append((self._scalar_slot(c), 1, spec))
        if not terms:
            raise NotationError(f"{where}: the argument of {reducer} is zero ({arg})")
        return _Combination(kind, tuple(terms))

    def _point_args(self, app: sympy.Basic, where: str) -> tuple[tuple[str, ...], tuple[sympy.Expr, ...]]:
        name = type(app).__name__
        spec = POINT_FUNCTIONS[name]
        npts, nsc = spec.points, spec.scalars
        args = app.args
        if len(args) != npts + nsc:
            raise NotationError(f"{where}: {name} takes {npts} point(s)" + (f" and {nsc} number(s)" if nsc else "") + f", got {len(args)} arguments")
        pts = args[:npts]
        if not self.points:
            raise NotationError(f"{where}: {name}(...) needs a family of objectives and points (family = ..., points = [\"x\"])")
        for a in pts:
            if a not in self.point_symbols.values():
                raise NotationError(f"{where}: the argument {a} of {name} must be one of the points {', '.join(self.points)}")
        scal = args[npts:]
        for a in scal:
            self._check_scalar_argument(a, name, where)
        return tuple(str(p) for p in pts), scal

    def _lower_reducers(self, e: sympy.Expr, where: str) -> sympy.Expr:
        reps: dict[sympy.Basic, sympy.Symbol] = {}
        for app in sorted(e.atoms(AppliedUndef), key=sympy.default_sort_key):
            name = type(app).__name__
            if name not in REDUCERS:
                continue
            if app in self.reductions:
                reps[app] = self.reductions[app][0]
                continue
            spec = REDUCERS[name]
            if len(app.args) != len(spec.args):
                raise NotationError(f"{where}: {name} takes {len(spec.args)} argument(s) ({', '.join(spec.args)}), got {len(app.args)}")
            if any(type(a).__name__ in REDUCERS for a in app.atoms(AppliedUndef) if a != app):
                raise NotationError(f"{where}: {name}(...) cannot contain another of norm, dot, component, lambda_min, lambda_max, det")
            plan: list[Any] = []
            for kind, a in zip(spec.args, app.args, strict=True):
                if kind == "index":
                    if not (isinstance(a, sympy.Integer) and a > 0):
                        raise NotationError(f"{where}: the index of {name} must be a positive integer, got {a}")
                    plan.append(int(a))
                else:
                    plan.append(self._combination(a, kind, name, where))
            self.reductions[app] = (sympy.Symbol(f"_red{len(self.reductions)}"), name, tuple(plan))
            reps[app] = self.reductions[app][0]
        return e.xreplace(reps)

    def _expand_sums(self, e: sympy.Expr, where: str) -> sympy.Expr:
        """Each ``sum(body, k, lo, hi)`` replaced by its terms (innermost first)."""
        while True:
            sums = [a for a in e.atoms(AppliedUndef) if type(a).__name__ == SUM]
            inner = [s for s in sums if not any(type(b).__name__ == SUM for b in s.args[0].atoms(AppliedUndef))]
            if not inner:
                break
            reps = {}
            for s in inner:
                if len(s.args) != 4:
                    raise NotationError(f"{where}: sum takes 4 arguments (body, index, first, last), got {len(s.args)}")
                body, k, lo, hi = s.args
                if k not in self.index_symbols.values():
                    raise NotationError(f"{where}: the second argument of sum must be a declared index ({', '.join(self.index_symbols)}), got {k}")
                if not (isinstance(lo, sympy.Integer) and isinstance(hi, sympy.Integer)):
                    raise NotationError(f"{where}: the range of a sum must be two integers, got {lo} and {hi}")
                if not 0 <= int(hi) - int(lo) < MAX_SUM_TERMS:
                    raise NotationError(f"{where}: a sum from {lo} to {hi} must have 1 to {MAX_SUM_TERMS} terms")
                reps[s] = sympy.Add(*[body.xreplace({k: sympy.Integer(i)}) for i in range(int(lo), int(hi) + 1)])
            e = e.xreplace(reps)
        stray = e.free_symbols & set(self.index_symbols.values())
        if stray:
            raise NotationError(f"{where}: the index {', '.join(sorted(map(str, stray)))} can only appear inside sum(..., index, first, last)")
        return e

    def lower(self, e: sympy.Expr, where: str) -> sympy.Expr:
        """The expression with sums expanded, point-function and reducer applications replaced by
        symbols, and the caller's functions (``phi``, ``phi'``) replaced by their expressions."""
        e = self._expand_sums(e, where)
        e = self.iterates.lower(e, self.point_symbols, self.param_symbols, where)
        e = self._lower_reducers(e, where)
        reps: dict[sympy.Basic, sympy.Symbol] = {}
        for app in sorted(e.atoms(AppliedUndef), key=sympy.default_sort_key):
            name = type(app).__name__
            if name in self.entry_functions:
                if len(app.args) != 1:
                    raise NotationError(f"{where}: {name} takes 1 argument, got {len(app.args)}")
                continue
            spec = POINT_FUNCTIONS[name]
            if spec.kind != "scalar":
                raise NotationError(f"{where}: {name}(...) is a {spec.kind}: use it inside " + ("norm(...), dot(...) or component(...)" if spec.kind == "vector" else "lambda_min(...), lambda_max(...) or det(...)"))
            pts, scal = self._point_args(app, where)
            if app not in self.apps:
                self.apps[app] = (sympy.Symbol(f"_app{len(self.apps)}"), name, (pts, scal))
                self._scalar_fn = None
            reps[app] = self.apps[app][0]
        out = e.xreplace(reps)
        for name, lam in self.entry_functions.items():
            out = out.replace(self.function_classes[name], lam)
        stray = out.free_symbols & set(self.point_symbols.values())
        if stray:
            raise NotationError(f"{where}: a point ({', '.join(sorted(map(str, stray)))}) can only appear inside F(...), gradnorm(...), dist(...) and the other point functions")
        if self.identity in out.free_symbols:
            raise NotationError(f"{where}: I (the identity matrix) can only appear inside lambda_min(...), lambda_max(...) or det(...)")
        return out

    # ------------------------------------------------------------------ evaluation
    def args(self) -> list[sympy.Symbol]:
        """The positional arguments of compiled expressions: parameters, constants, then point-function and reducer values."""
        return [*self.param_symbols.values(), *self.const_symbols.values(), *(v[0] for v in self.apps.values()), *(v[0] for v in self.reductions.values())]

    def scalar_arguments(self) -> list[sympy.Expr]:
        """The scalar arguments of every point-function application (e.g. step sizes), then the reducers' coefficients."""
        return [*(a for _s, _n, (_p, sc) in self.apps.values() for a in sc), *self.coefficients]

    def _constants(self, f: Any) -> dict[str, Any]:
        if f is None:
            return {}
        if not self.raw_constants:
            return constants_of(f)
        return {k: v for k in CONSTANTS if (v := getattr(f.constants, k, None)) is not None}

    def values(self, c: Case, B: Any) -> list[Any]:
        """The values of :meth:`args` for case ``c`` in backend ``B``."""
        f = c.objective
        names = self.case_names
        vals: list[Any] = [c.p(B, names.get(p, p)) for p in self.params]
        vals += [B.num(v) for v in self.fixed.values()]
        consts = self._constants(f)
        for name in CONSTANTS:
            v = consts.get(name)
            vals.append(B.num(v) if v is not None else B.num(0))
        if self._scalar_fn is None:
            self._scalar_fn = compiled(self.scalar_arguments() or [sympy.Integer(0)], [*self.param_symbols.values(), *self.const_symbols.values()])
        scalars = list(self._scalar_fn(B, vals))
        derived = self.iterates.evaluate(c, B, vals, [*self.param_symbols.values(), *self.const_symbols.values()])
        k = 0
        for _sym, name, (pts, sc) in self.apps.values():
            xs = [point(c, B, names.get(p, p), derived) for p in pts]
            vals.append(point_value(f, B, name, xs, scalars[k:k + len(sc)]))
            k += len(sc)
        for _sym, name, plan in self.reductions.values():
            args = [a if isinstance(a, int) else self._combine(a, c, B, f, scalars[k:], derived) for a in plan]
            vals.append(REDUCERS[name].evaluate(B, *args))
        return vals

    def _atom(self, spec: tuple[Any, ...], c: Case, B: Any, f: Any, scalars: list[Any], dim: int | None, derived: dict[str, Any]) -> Any:
        if spec[0] == "point":
            return point(c, B, self.case_names.get(spec[1], spec[1]), derived)
        if spec[0] == "identity":
            if dim is None:
                raise ValueError("I needs the dimension of the objective")
            return [[B.num(1) if i == j else B.num(0) for j in range(dim)] for i in range(dim)]
        _tag, name, pts, first = spec
        return point_value(f, B, name, [point(c, B, self.case_names.get(p, p), derived) for p in pts], scalars[first:first + POINT_FUNCTIONS[name].scalars])

    def _combine(self, comb: _Combination, c: Case, B: Any, f: Any, scalars: list[Any], derived: dict[str, Any]) -> Any:
        """The vector or matrix sum of coefficient * atom, in backend arithmetic."""
        dim = f.dim if f is not None else None
        total: Any = None
        for slot, sign, spec in comb.terms:
            v = self._atom(spec, c, B, f, scalars, dim, derived)
            if comb.kind == "vector":
                if slot is not None:
                    v = B.scale(scalars[slot], v)
                total = (v if sign > 0 else B.scale(B.num(-1), v)) if total is None else (B.add(total, v) if sign > 0 else B.sub(total, v))
            else:
                if slot is not None:
                    v = [[scalars[slot] * e for e in row] for row in v]
                if total is None:
                    total = v if sign > 0 else [[-e for e in row] for row in v]
                else:
                    total = [[a + b if sign > 0 else a - b for a, b in zip(r, s, strict=True)] for r, s in zip(total, v, strict=True)]
        return total
