"""Expressions in notation (``gradnorm(x)^2 <= 2*L*F(x)``) compiled to backend evaluators.

Text is parsed by the safe parser (:mod:`symbolic.parsing`) over a vocabulary of the declared
points and parameters, the objective's constants (:mod:`.constants`), the scalar functions and
the point functions (:mod:`.functions`). :meth:`Compiler.lower` replaces each application of a
point function by a fresh symbol; the resulting sympy expressions are compiled by
:func:`symbolic.compile.compiled` (never ``lambdify``), and :meth:`Compiler.values` evaluates
the symbols' values for one case in any backend (mpmath, Arb, floats).
"""

from __future__ import annotations

from typing import Any

import sympy

from symbolic.claims import Case
from symbolic.compile import UnsupportedExpression, compiled
from symbolic.parsing import Limits, ParseError, Vocabulary, parse_expression, parse_relation

from .constants import CONSTANTS, constants_of
from .errors import NotationError
from .functions import POINT_FUNCTIONS, point_value, scalar_functions

#: size limits of one expression or relation in notation
NOTATION_LIMITS = Limits(max_length=2000, max_depth=30, max_exponent=100, max_nodes=1000)
#: sympy relation classes and the relation names :class:`symbolic.Claim` takes
RELATIONS: dict[type, str] = {sympy.LessThan: "<=", sympy.StrictLessThan: "<", sympy.GreaterThan: ">=", sympy.StrictGreaterThan: ">", sympy.Equality: "=="}


def compile_exprs(exprs: list[sympy.Expr], args: list[sympy.Symbol], where: str) -> Any:
    """:func:`symbolic.compile.compiled`, with a :class:`NotationError` naming ``where`` for what it cannot compile."""
    try:
        return compiled(exprs, args)
    except UnsupportedExpression as exc:
        if any(e.has(sympy.I) for e in exprs):
            raise NotationError(f"{where}: the expression is not real (it contains sqrt of a negative number or I)") from None
        raise NotationError(f"{where}: {exc}; claims support + - * / ^, sqrt, exp, log, abs, min, max, sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh") from None


class Compiler:
    """Replaces applications of the point functions by fresh symbols and evaluates them in a backend."""

    def __init__(self, points: list[str], params: list[str]) -> None:
        self.points = points
        self.params = params
        self.apps: dict[sympy.Basic, tuple[sympy.Symbol, str, tuple[Any, ...]]] = {}
        self.point_symbols = {p: sympy.Symbol(p) for p in points}
        self.param_symbols = {p: sympy.Symbol(p, real=True) for p in params}
        self.const_symbols = {c: sympy.Symbol(c, real=True) for c in CONSTANTS}
        fns = {name: sympy.Function(name) for name in POINT_FUNCTIONS}
        syms: dict[str, sympy.Symbol] = {**self.point_symbols, **self.param_symbols}
        for c, s in self.const_symbols.items():
            syms.setdefault(c, s)
        self.vocabulary = Vocabulary(syms, functions={**scalar_functions(), **fns})

    def parse(self, text: Any, where: str, relation: bool) -> Any:
        """``text`` parsed over this compiler's vocabulary: a relation, or an expression."""
        if not isinstance(text, str):
            raise NotationError(f"{where}: expected a string")
        try:
            if relation:
                return parse_relation(text, self.vocabulary, limits=NOTATION_LIMITS)
            return parse_expression(text, self.vocabulary, limits=NOTATION_LIMITS)
        except ParseError as exc:
            raise NotationError(f"{where}: {exc}") from None

    def lower(self, e: sympy.Expr, where: str) -> sympy.Expr:
        """The expression with point-function applications replaced by symbols."""
        reps: dict[sympy.Basic, sympy.Symbol] = {}
        for app in sorted(e.atoms(sympy.core.function.AppliedUndef), key=sympy.default_sort_key):
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
                if a.free_symbols & set(self.point_symbols.values()) or a.atoms(sympy.core.function.AppliedUndef):
                    raise NotationError(f"{where}: the step argument of {name} must be a number or a parameter expression")
            if app not in self.apps:
                self.apps[app] = (sympy.Symbol(f"_app{len(self.apps)}"), name, (tuple(str(p) for p in pts), scal))
            reps[app] = self.apps[app][0]
        out = e.xreplace(reps)
        stray = out.free_symbols & set(self.point_symbols.values())
        if stray:
            raise NotationError(f"{where}: a point ({', '.join(sorted(map(str, stray)))}) can only appear inside F(...), gradnorm(...), dist(...) and the other point functions")
        return out

    def args(self) -> list[sympy.Symbol]:
        """The positional arguments of compiled expressions: parameters, constants, then point-function values."""
        return [*self.param_symbols.values(), *self.const_symbols.values(), *(v[0] for v in self.apps.values())]

    def scalar_arguments(self) -> list[sympy.Expr]:
        """The scalar arguments of every point-function application, in order (e.g. step sizes)."""
        return [a for _s, _n, (_p, sc) in self.apps.values() for a in sc]

    def values(self, c: Case, B: Any) -> list[Any]:
        """The values of :meth:`args` for case ``c`` in backend ``B``."""
        f = c.objective
        vals: list[Any] = [c.p(B, p) for p in self.params]
        consts = constants_of(f) if f is not None else {}
        for name in CONSTANTS:
            v = consts.get(name)
            vals.append(B.num(v) if v is not None else B.num(0))
        scalar_fn = compiled(self.scalar_arguments() or [sympy.Integer(0)], [*self.param_symbols.values(), *self.const_symbols.values()])
        scalars = list(scalar_fn(B, vals))
        k = 0
        for _sym, name, (pts, sc) in self.apps.values():
            xs = [c.x(B, p) for p in pts]
            vals.append(point_value(f, B, name, xs, scalars[k:k + len(sc)]))
            k += len(sc)
        return vals
