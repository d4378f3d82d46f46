"""Compile sympy expressions into fast evaluators that run in any backend.

The generated Python is produced by walking the expression tree over a whitelist of
node types; symbol names and user text never enter the generated source (symbols become
positional arguments, numbers become entries of a constant table). So this compiler is
safe for expressions built from untrusted input, unlike ``lambdify``. Common
subexpressions are shared (``sympy.cse``), which matters for gradients and Hessians.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import sympy
from flint import arb as _arb
from flint import fmpq as _flint_fmpq

from .backends import ArbBackend, Backend, Number, arb_precision

_FUNCTIONS: dict[type, str] = {
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.tanh: "tanh",
    sympy.sinh: "sinh",
    sympy.cosh: "cosh",
    sympy.atan: "atan",
    sympy.asin: "asin",
    sympy.acos: "acos",
    sympy.Abs: "abs",
    sympy.Max: "max",
    sympy.Min: "min",
}


class UnsupportedExpression(TypeError):
    """The expression uses a construct the evaluator does not support."""


class Compiled:
    """A compiled tuple of expressions: ``compiled(backend, values) -> tuple``."""

    def __init__(self, exprs: Sequence[sympy.Expr], args: Sequence[sympy.Symbol]) -> None:
        self.exprs = tuple(sympy.sympify(e) for e in exprs)  # trusted: sympy objects already
        self.args = tuple(args)
        self._consts: list[Fraction] = []
        self._const_index: dict[Fraction, int] = {}
        self._cache: dict[tuple[Any, ...], list[Number]] = {}
        self._fn = self._build()

    def _const(self, value: Fraction) -> str:
        if value not in self._const_index:
            self._const_index[value] = len(self._consts)
            self._consts.append(value)
        return f"k[{self._const_index[value]}]"

    def _code(self, e: sympy.Basic, names: dict[sympy.Basic, str]) -> str:
        if e in names:
            return names[e]
        if isinstance(e, sympy.Rational):
            return self._const(Fraction(int(e.p), int(e.q)))
        if isinstance(e, sympy.Float):
            return self._const(Fraction(str(e)))
        if e is sympy.pi:
            return "B.pi"
        if e is sympy.E:
            return "B.e"
        if isinstance(e, sympy.Add):
            return "(" + " + ".join(self._code(a, names) for a in e.args) + ")"
        if isinstance(e, sympy.Mul):
            return "(" + " * ".join(self._code(a, names) for a in e.args) + ")"
        if isinstance(e, sympy.Pow):
            base, ex = e.args
            b = self._code(base, names)
            if isinstance(ex, sympy.Integer):
                n = int(ex)
                if n == -1:
                    return f"({self._const(Fraction(1))} / {b})"
                if n < 0:
                    return f"({self._const(Fraction(1))} / B.ipow({b}, {-n}))"
                return f"B.ipow({b}, {n})"
            if isinstance(ex, sympy.Rational):
                if ex == sympy.Rational(1, 2):
                    return f"B.sqrt({b})"
                if ex == sympy.Rational(-1, 2):
                    return f"({self._const(Fraction(1))} / B.sqrt({b}))"
                return f"B.rpow({b}, {int(ex.p)}, {int(ex.q)})"
            return f"B.pow({b}, {self._code(ex, names)})"
        if type(e) in _FUNCTIONS:
            inner = ", ".join(self._code(a, names) for a in e.args)
            return f"B.{_FUNCTIONS[type(e)]}({inner})"
        if isinstance(e, sympy.Symbol):
            raise UnsupportedExpression(f"free symbol {e} is not an argument {self.args}")
        raise UnsupportedExpression(f"cannot evaluate {type(e).__name__}: {e}")

    def _build(self) -> Callable[..., tuple[Number, ...]]:
        names: dict[sympy.Basic, str] = {a: f"a[{i}]" for i, a in enumerate(self.args)}
        replacements, reduced = sympy.cse(list(self.exprs), optimizations=None)
        lines = ["def _f(B, a, k):"]
        for i, (sym, sub) in enumerate(replacements):
            code = self._code(sub, names)
            names[sym] = f"t{i}"
            lines.append(f"    t{i} = {code}")
        outs = ", ".join(self._code(r, names) for r in reduced)
        lines.append(f"    return ({outs},)")
        namespace: dict[str, Any] = {}
        exec(compile("\n".join(lines), "<theorems.compiled>", "exec"), namespace)  # noqa: S102
        return namespace["_f"]

    def constants(self, backend: Backend) -> list[Number]:
        key = backend.key
        if key not in self._cache:
            self._cache[key] = [backend.num(c) for c in self._consts]
        return self._cache[key]

    def __call__(self, backend: Backend, values: Sequence[Number]) -> tuple[Number, ...]:
        if len(values) != len(self.args):
            raise ValueError(f"expected {len(self.args)} values, got {len(values)}")
        return self._fn(backend, values, self.constants(backend))


_COMPILED: dict[tuple[tuple[sympy.Expr, ...], tuple[sympy.Symbol, ...]], Compiled] = {}


def compiled(exprs: Sequence[sympy.Expr], args: Sequence[sympy.Symbol]) -> Compiled:
    """A cached :class:`Compiled` for these expressions and argument symbols."""
    key = (tuple(exprs), tuple(args))
    hit = _COMPILED.get(key)
    if hit is None:
        if len(_COMPILED) > 4096:
            _COMPILED.clear()
        hit = _COMPILED[key] = Compiled(exprs, args)
    return hit


_ARB_LAST: tuple[Any, tuple[sympy.Symbol, ...], Compiled] | None = None  # arb_at's last expression and its compiled form


def arb_at(expr: sympy.Expr, args: Sequence[sympy.Symbol], point: Any, bits: int = 256) -> Any:
    """An Arb ball enclosing ``expr`` at the exact rational ``point`` (a mapping from each
    of ``args`` to a rational), at ``bits`` of precision. Compiled, never lambdified; raises
    :class:`UnsupportedExpression`, or ``ValueError``/``ZeroDivisionError`` where the
    expression is undefined.

    The point's coordinates (sympy rationals, fractions, integers) go straight to flint's
    exact ``fmpq`` (no ``sympy.Rational`` or ``Fraction`` normalisation on the way: their
    numerator and denominator are already coprime); anything else is read exactly by
    ``sympy.Rational`` first, as before."""
    global _ARB_LAST
    key = tuple(args)
    last = _ARB_LAST  # one read: a tuple replaced whole, never mutated
    if last is not None and last[0] is expr and last[1] == key:
        fn = last[2]  # the same expression at another point (the usual case): no cache lookup
    else:
        fn = compiled([expr], key)
        _ARB_LAST = (expr, key, fn)
    B = ArbBackend(bits)
    with arb_precision(bits):
        values = [_arb(_fmpq(point[a])) for a in args]
        return fn(B, values)[0]


def _fmpq(v: Any) -> Any:
    """``v`` (a sympy rational, a fraction, an int, or what ``sympy.Rational`` reads exactly)
    as a flint ``fmpq``."""
    if isinstance(v, sympy.Rational):
        return _flint_fmpq(int(v.p), int(v.q))
    if isinstance(v, Fraction):
        return _flint_fmpq(v.numerator, v.denominator)
    if isinstance(v, int):
        return _flint_fmpq(v)
    r = sympy.Rational(v)
    return _flint_fmpq(int(r.p), int(r.q))
