"""Whitelisted names: which symbols, functions and constants an input may use."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import sympy

__all__ = [
    "DEFAULT_CONSTANTS",
    "DEFAULT_FUNCTIONS",
    "FunctionSpec",
    "Vocabulary",
    "canonical_name",
]

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*\Z", re.ASCII)


def canonical_name(name: str) -> str:
    """Canonical spelling of a name: ``"\\lambda_{\\min}"`` -> ``"lambda_min"``.

    Backslashes and braces are dropped, so a vocabulary key may be written either
    way and LaTeX input (``\\lambda_{\\min}``, ``C_{L}``) finds it.
    """
    return "".join(c for c in name if c not in "\\{}")


@dataclass(frozen=True)
class FunctionSpec:
    """A whitelisted function: how to build it and how many arguments it takes.

    ``max_args=None`` means no upper bound.  ``exponential`` marks functions whose
    argument is an exponent (``exp``) so the exponent size limit applies to it.
    """

    build: Callable[..., sympy.Expr]
    min_args: int = 1
    max_args: int | None = 1
    exponential: bool = False

    def __call__(self, *args: sympy.Expr) -> sympy.Expr:
        return self.build(*args)

    def arity_text(self) -> str:
        """Human description of the accepted argument count."""
        if self.max_args == self.min_args:
            n = self.min_args
            return f"{n} argument" + ("" if n == 1 else "s")
        if self.max_args is None:
            return f"at least {self.min_args} arguments"
        return f"{self.min_args} to {self.max_args} arguments"


def _log(x: sympy.Expr, base: sympy.Expr | None = None) -> sympy.Expr:
    return sympy.log(x) if base is None else sympy.log(x, base)


_sqrt = FunctionSpec(sympy.sqrt)
_exp = FunctionSpec(sympy.exp, exponential=True)
_log_spec = FunctionSpec(_log, 1, 2)
_ln = FunctionSpec(sympy.log)
_abs = FunctionSpec(sympy.Abs)
def _lattice(op: Callable[..., sympy.Expr]) -> Callable[..., sympy.Expr]:
    """Min/Max: sympy compares arguments pairwise, which is slow for symbolic ones, so
    more than three symbolic arguments are kept unevaluated."""

    def build(*args: sympy.Expr) -> sympy.Expr:
        evaluate = len(args) <= 3 or not any(a.free_symbols for a in args)
        return op(*args, evaluate=evaluate)

    build.__name__ = op.__name__
    return build


_min = FunctionSpec(_lattice(sympy.Min), 2, 8)
_max = FunctionSpec(_lattice(sympy.Max), 2, 8)
_asin = FunctionSpec(sympy.asin)
_acos = FunctionSpec(sympy.acos)
_atan = FunctionSpec(sympy.atan)
_sign = FunctionSpec(sympy.sign)

DEFAULT_FUNCTIONS: Mapping[str, FunctionSpec] = MappingProxyType(
    {
        "sqrt": _sqrt,
        "exp": _exp,
        "log": _log_spec,
        "ln": _ln,
        "sin": FunctionSpec(sympy.sin),
        "cos": FunctionSpec(sympy.cos),
        "tan": FunctionSpec(sympy.tan),
        "sinh": FunctionSpec(sympy.sinh),
        "cosh": FunctionSpec(sympy.cosh),
        "tanh": FunctionSpec(sympy.tanh),
        "arcsin": _asin,
        "asin": _asin,
        "arccos": _acos,
        "acos": _acos,
        "arctan": _atan,
        "atan": _atan,
        "abs": _abs,
        "Abs": _abs,
        "min": _min,
        "Min": _min,
        "max": _max,
        "Max": _max,
        "sign": _sign,
        "sgn": _sign,
    }
)
"""Functions allowed by default (name -> :class:`FunctionSpec`)."""

DEFAULT_CONSTANTS: Mapping[str, sympy.Expr] = MappingProxyType({"pi": sympy.pi, "e": sympy.E})
"""Constants allowed by default: ``pi`` and ``e`` (Euler's number, ``sympy.E``)."""

INFINITY_NAMES: Mapping[str, sympy.Expr] = MappingProxyType(
    {"oo": sympy.oo, "inf": sympy.oo, "infty": sympy.oo, "infinity": sympy.oo}
)
"""Extra constants available only as interval bounds and set elements."""


def _spec_for(name: str, fn: Callable[..., Any]) -> FunctionSpec:
    """Wrap a user callable in a FunctionSpec, inferring its arity."""
    if isinstance(fn, FunctionSpec):
        return fn
    if not callable(fn):
        raise TypeError(f"function {name!r} is not callable: {fn!r}")
    exponential = fn is sympy.exp
    nargs = getattr(fn, "nargs", None)
    if isinstance(nargs, sympy.FiniteSet) and all(a.is_Integer for a in nargs):
        counts = sorted(int(a) for a in nargs)
        return FunctionSpec(fn, counts[0], counts[-1], exponential)
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return FunctionSpec(fn, 1, 1, exponential)
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        required = sum(1 for p in params if p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty)
        return FunctionSpec(fn, max(required, 1), None, exponential)
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(1 for p in positional if p.default is p.empty)
    return FunctionSpec(fn, max(required, 1), max(len(positional), 1), exponential)


@dataclass(frozen=True)
class Vocabulary:
    """The names an input may use.

    Attributes:
        symbols: allowed variable names -> the ``sympy.Symbol`` to use.  A list of
            Symbols is also accepted (keyed by their names).
        functions: name -> sympy function (or :class:`FunctionSpec`); defaults to
            :data:`DEFAULT_FUNCTIONS`.
        constants: name -> constant sympy expression; defaults to
            :data:`DEFAULT_CONSTANTS` (``pi``, ``e``).

    Keys may be written in LaTeX form (``"\\lambda_{\\min}"``) or plain
    (``"lambda_min"``); both are stored canonically.  When a name is in several
    tables, symbols win over constants, and constants over functions.
    """

    symbols: Mapping[str, sympy.Symbol]
    functions: Mapping[str, Callable[..., sympy.Expr]] = field(
        default_factory=lambda: DEFAULT_FUNCTIONS
    )
    constants: Mapping[str, sympy.Expr] = field(default_factory=lambda: DEFAULT_CONSTANTS)
    _index: Mapping[str, tuple[str, Any]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        symbols = self.symbols
        if not isinstance(symbols, Mapping):
            symbols = {s.name: s for s in symbols} if isinstance(symbols, Iterable) else symbols
        index: dict[str, tuple[str, Any]] = {}
        specs: dict[str, FunctionSpec] = {}
        for name, fn in dict(self.functions).items():
            key = self._key(name, "function")
            specs[key] = _spec_for(name, fn)
            index[key] = ("function", specs[key])
        for name, value in dict(self.constants).items():
            key = self._key(name, "constant")
            if not isinstance(value, sympy.Expr) or value.free_symbols:
                raise TypeError(f"constant {name!r} must be a sympy expression without symbols")
            index[key] = ("constant", value)
        clean_symbols: dict[str, sympy.Symbol] = {}
        for name, sym in dict(symbols).items():
            key = self._key(name, "symbol")
            if not isinstance(sym, sympy.Symbol):
                raise TypeError(f"symbol {name!r} must map to a sympy.Symbol, got {sym!r}")
            clean_symbols[key] = sym
            index[key] = ("symbol", sym)
        object.__setattr__(self, "symbols", MappingProxyType(clean_symbols))
        object.__setattr__(self, "_index", MappingProxyType(index))

    @staticmethod
    def _key(name: str, what: str) -> str:
        if not isinstance(name, str):
            raise TypeError(f"{what} name must be a str, got {name!r}")
        key = canonical_name(name)
        if not _NAME_RE.match(key):
            raise ValueError(f"invalid {what} name {name!r} (letters, digits and '_' only)")
        return key

    @classmethod
    def of(
        cls,
        *names: str,
        functions: Mapping[str, Callable[..., sympy.Expr]] = DEFAULT_FUNCTIONS,
        constants: Mapping[str, sympy.Expr] = DEFAULT_CONSTANTS,
        **assumptions: bool,
    ) -> Vocabulary:
        """Build a vocabulary of fresh Symbols, e.g. ``Vocabulary.of("t", "c", positive=True)``.

        The assumptions are passed to every ``sympy.Symbol``.
        """
        symbols = {}
        for name in names:
            key = cls._key(name, "symbol")
            symbols[key] = sympy.Symbol(key, **assumptions)
        return cls(symbols, functions, constants)

    def lookup(self, name: str) -> tuple[str, Any] | None:
        """``("symbol"|"constant"|"function", value)`` for a canonical name, or ``None``."""
        return self._index.get(name)

    def with_constants(self, extra: Mapping[str, sympy.Expr]) -> Vocabulary:
        """A copy with more constants (names already declared keep their meaning)."""
        merged = dict(extra)
        merged.update(self.constants)
        return Vocabulary(dict(self.symbols), self.functions, merged)

    def describe(self) -> str:
        """Short list of the allowed names, for error messages."""
        parts = []
        kinds: dict[str, list[str]] = {"symbol": [], "constant": [], "function": []}
        for name, (kind, _) in self._index.items():
            kinds[kind].append(name)
        if kinds["symbol"]:
            parts.append(", ".join(sorted(kinds["symbol"])))
        else:
            parts.append("no variables")
        if kinds["constant"]:
            parts.append("constants: " + ", ".join(sorted(kinds["constant"])))
        if kinds["function"]:
            funcs = sorted(kinds["function"], key=lambda n: (n.lower(), n))
            parts.append("functions: " + ", ".join(funcs))
        return "; ".join(parts)
