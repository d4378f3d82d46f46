"""k steps of an algorithm in notation: ``iterate(method, x, k, ...)``, ``xstar``, ``EF``, ``Edist2``.

``iterate(gd, x, k, 1/L)`` is the point x_k reached by ``k`` steps of a method of
:mod:`symbolic.iterates` (``gd``, ``heavyball``, ``nesterov``, ``proxgrad_l1``,
``proxgrad_box``, ``sgd``) from the point ``x``, with the method's scalar parameters after
``k``. It may appear wherever a point may (``F(iterate(gd, x, k, 1/L))``,
``dist(iterate(gd, x, k, 1/L), xstar)``). ``k`` is an integer: a literal or a parameter
declared ``integer = true``. ``xstar`` is the objective's minimiser, for families that know
it exactly (the case is skipped when a drawn objective does not).

``sgd``'s iterate is random: it may appear only inside ``EF(p)`` = E[F(p)] and
``Edist2(p, q)`` = E‖p − q‖², which :mod:`symbolic.iterates` computes exactly by enumerating
the n^k index sequences (refused beyond :data:`symbolic.iterates.MAX_PATHS`). For a
deterministic point, ``EF(p)`` = F(p) and ``Edist2(p, q)`` = ‖p − q‖².

:class:`Iterates` is the compiler's helper: :meth:`Iterates.lower` replaces each
``iterate(...)`` by a derived point symbol, :meth:`Iterates.evaluate` computes the derived
points of one case in a backend.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from symbolic.compile import compiled
from symbolic.iterates import MAX_PATHS, METHODS, IterateError, iterate, sgd_points

from .errors import NotationError

ITERATE = "iterate"
XSTAR = "xstar"
#: the point functions that take a random point (an expectation over the method's noise)
EXPECTATIONS = ("EF", "Edist2")
#: the method names, symbols of the vocabulary (reserved: not point or parameter names)
METHOD_NAMES = tuple(METHODS)


class RandomPoint(list[Any]):
    """The equally likely final points of a random method (a list of points)."""


def expected(B: Any, x: Any, g: Any) -> Any:
    """E[g(x)]: the mean over a :class:`RandomPoint`, or g(x) for a point."""
    if not isinstance(x, RandomPoint):
        return g(x)
    total = g(x[0])
    for p in x[1:]:
        total = total + g(p)
    return total / B.num(len(x))


@dataclass(frozen=True)
class IterateSpec:
    """One ``iterate(method, start, steps, *scalars)`` of a claim, and its derived point symbol."""

    symbol: sympy.Symbol
    method: str
    start: str
    steps: sympy.Expr
    scalars: tuple[sympy.Expr, ...]

    @property
    def random(self) -> bool:
        return METHODS[self.method].random


class Iterates:
    """The ``iterate(...)`` applications of one claim (see the module docstring)."""

    def __init__(self) -> None:
        self.specs: dict[sympy.Basic, IterateSpec] = {}
        self.method_symbols = {m: sympy.Symbol(m) for m in METHOD_NAMES}
        self.xstar = sympy.Symbol(XSTAR)
        self._scalar_fn: Any = None

    def vocabulary(self) -> dict[str, Any]:
        """The method names, symbols of the parser's vocabulary (``iterate`` is a function, ``xstar`` a point)."""
        return dict(self.method_symbols)

    def derived(self) -> dict[str, sympy.Symbol]:
        return {str(s.symbol): s.symbol for s in self.specs.values()}

    def random_symbols(self) -> set[sympy.Symbol]:
        return {s.symbol for s in self.specs.values() if s.random}

    def step_symbols(self) -> set[sympy.Symbol]:
        """The parameters used as a number of steps (they must be integer parameters)."""
        return {s.steps for s in self.specs.values() if isinstance(s.steps, sympy.Symbol)}

    def scalar_arguments(self) -> list[sympy.Expr]:
        return [a for s in self.specs.values() for a in s.scalars]

    def lower(self, e: sympy.Expr, points: dict[str, sympy.Symbol], params: dict[str, sympy.Symbol], where: str) -> sympy.Expr:
        """``e`` with every ``iterate(...)`` replaced by its derived point symbol."""
        reps: dict[sympy.Basic, sympy.Symbol] = {}
        apps = [a for a in e.atoms(sympy.core.function.AppliedUndef) if type(a).__name__ == ITERATE]
        for app in sorted(apps, key=sympy.default_sort_key):
            args = app.args
            if len(args) < 3:
                raise NotationError(f"{where}: iterate takes (method, start point, k, parameters...), e.g. iterate(gd, x, k, 1/L)")
            method = str(args[0]) if isinstance(args[0], sympy.Symbol) else ""
            if method not in METHODS:
                raise NotationError(f"{where}: the first argument of iterate must be a method among {', '.join(METHOD_NAMES)}, got {args[0]}")
            start, steps, scal = args[1], args[2], tuple(args[3:])
            if start not in points.values() and start != self.xstar:
                raise NotationError(f"{where}: the start of iterate must be one of the points {', '.join(points)} (or xstar), got {start}")
            if not (isinstance(steps, sympy.Integer) and steps >= 0) and steps not in params.values():
                raise NotationError(f"{where}: the number of steps of iterate must be an integer >= 0 or an integer parameter, got {steps}")
            m = METHODS[method]
            if not len(m.parameters) <= len(scal) <= len(m.parameters) + len(m.optional):
                want = ", ".join(m.parameters) + "".join(f"[, {o}]" for o in m.optional)
                raise NotationError(f"{where}: iterate({method}, x, k, ...) takes ({want}) after k, got {len(scal)}")
            banned = set(points.values()) | {self.xstar, *self.method_symbols.values()}
            for a in scal:
                if a.free_symbols & banned or a.atoms(sympy.core.function.AppliedUndef):
                    raise NotationError(f"{where}: the parameters of iterate must be numbers or parameter expressions, got {a}")
            if app not in self.specs:
                sym = sympy.Symbol(f"_iterate{len(self.specs)}")
                self.specs[app] = IterateSpec(sym, method, str(start), steps, scal)
            reps[app] = self.specs[app].symbol
        out = e.xreplace(reps)
        leftover = out.free_symbols & set(self.method_symbols.values())
        if leftover:
            raise NotationError(f"{where}: {', '.join(sorted(map(str, leftover)))} names a method: it may appear only as the first argument of iterate(...)")
        rnd = self.random_symbols()
        for app in out.atoms(sympy.core.function.AppliedUndef):
            self.check_expectations(type(app).__name__, app.args, where)
        if rnd & (out.free_symbols - {s for app in out.atoms(sympy.core.function.AppliedUndef) for s in app.free_symbols}):
            raise NotationError(f"{where}: the iterate of a random method (sgd) has no value, only an expectation: write EF(iterate(sgd, ...)) or Edist2(iterate(sgd, ...), y)")
        # the derived points are points of the claim from now on (the compiler's checks accept them)
        for spec in self.specs.values():
            points.setdefault(str(spec.symbol), spec.symbol)
        return out

    def check_expectations(self, name: str, args: tuple[Any, ...], where: str) -> None:
        """A random point may only be the first argument of EF or Edist2."""
        rnd = self.random_symbols()
        for i, p in enumerate(args):
            if (p in rnd or (p.free_symbols & rnd and p not in rnd)) and not (name in EXPECTATIONS and i == 0 and p in rnd):
                raise NotationError(f"{where}: the iterate of a random method (sgd) has no value, only an expectation: write EF(iterate(sgd, ...)) or Edist2(iterate(sgd, ...), y), not {name}(...) of it")

    def evaluate(self, c: Any, B: Any, base: list[Any], base_symbols: list[sympy.Symbol]) -> dict[str, Any]:
        """The derived points of case ``c`` in backend ``B``; ``base`` are the values of
        ``base_symbols`` (parameters and constants), for the methods' scalar parameters."""
        if not self.specs:
            return {}
        if self._scalar_fn is None:
            self._scalar_fn = compiled(self.scalar_arguments() or [sympy.Integer(0)], base_symbols)
        scalars = list(self._scalar_fn(B, base))
        f = c.objective
        out: dict[str, Any] = {}
        i = 0
        for s in self.specs.values():
            sc = scalars[i : i + len(s.scalars)]
            i += len(s.scalars)
            k = Fraction(int(s.steps)) if isinstance(s.steps, sympy.Integer) else c.params[str(s.steps)]
            x0 = point(c, B, s.start)
            try:
                if s.random:
                    out[str(s.symbol)] = RandomPoint(sgd_points(f, B, x0, k, sc[0], limit=MAX_PATHS))
                else:
                    out[str(s.symbol)] = iterate(f, B, s.method, x0, k, sc)
            except IterateError as exc:
                raise ValueError(str(exc)) from None  # the case is skipped
        return out


def point(c: Any, B: Any, name: str, derived: dict[str, Any] | None = None) -> Any:
    """A point of the case: declared, derived (an iterate) or ``xstar`` (the objective's minimiser)."""
    if derived is not None and name in derived:
        return derived[name]
    if name == XSTAR:
        f = c.objective
        xs = f.constants.minimizer if f is not None else None
        if xs is None:
            raise ValueError("this objective does not know its minimiser (xstar): the case is skipped")
        return [B.num(v) for v in xs]
    return c.x(B, name)


def expected_value(f: Any, B: Any, xs: list[Any], s: list[Any]) -> Any:
    """``EF(p)``: E[F(p)] over a random method's noise (F(p) for a point)."""
    return expected(B, xs[0], lambda p: f.value(B, p))


def expected_dist2(f: Any, B: Any, xs: list[Any], s: list[Any]) -> Any:
    """``Edist2(p, q)``: E||p - q||^2 over a random method's noise (||p - q||^2 for points)."""
    if isinstance(xs[1], RandomPoint):
        raise ValueError("Edist2(p, q): q must not be random")
    return expected(B, xs[0], lambda p: B.norm2(B.sub(p, xs[1])))


__all__ = ["EXPECTATIONS", "ITERATE", "METHOD_NAMES", "XSTAR", "IterateSpec", "Iterates", "RandomPoint", "expected", "expected_dist2", "expected_value", "point"]
