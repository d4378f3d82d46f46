"""Arithmetic backends: the same compiled expression runs in each.

- :class:`MPBackend`: mpmath at a chosen number of significant digits, in a private
  context, so that no global precision is ever changed (the search's working arithmetic).
- :class:`ArbBackend`: Arb ball arithmetic from python-flint; every result is an interval
  guaranteed to contain the exact value (confirmation of counterexamples, certification).
- :class:`FloatBackend`: numpy float64, vectorised (baseline, fast pre-screening).
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from typing import Any, TypeAlias

import mpmath
import numpy as np
import sympy
from flint import arb, arb_mat, fmpq
from flint import ctx as flint_ctx

Number: TypeAlias = Any
Exact: TypeAlias = int | Fraction | sympy.Rational


def as_fraction(value: Exact | float | str) -> Fraction:
    """An exact :class:`Fraction` from an int, Fraction, sympy Rational or decimal string."""
    if type(value) is Fraction:
        return value
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, sympy.Expr):
        raise TypeError(f"not an exact rational: {value}")
    return Fraction(value)


class Backend:
    """The operations a compiled expression and a claim may use."""

    name = "abstract"
    key: tuple[Any, ...] = ()

    def num(self, q: Exact | float) -> Number:
        raise NotImplementedError

    # elementary functions, filled in by subclasses
    def sqrt(self, x: Number) -> Number:
        raise NotImplementedError

    def rpow(self, x: Number, p: int, q: int) -> Number:
        """x**(p/q) for x >= 0."""
        return self.pow(x, self.num(Fraction(p, q)))

    def pow(self, x: Number, y: Number) -> Number:
        return self.exp(y * self.log(x))

    def ipow(self, x: Number, n: int) -> Number:
        """x**n for a nonnegative integer n."""
        return x**n

    def exp(self, x: Number) -> Number:
        raise NotImplementedError

    def log(self, x: Number) -> Number:
        raise NotImplementedError

    def sin(self, x: Number) -> Number:
        raise NotImplementedError

    def cos(self, x: Number) -> Number:
        raise NotImplementedError

    def tan(self, x: Number) -> Number:
        raise NotImplementedError

    def tanh(self, x: Number) -> Number:
        raise NotImplementedError

    def sinh(self, x: Number) -> Number:
        raise NotImplementedError

    def cosh(self, x: Number) -> Number:
        raise NotImplementedError

    def atan(self, x: Number) -> Number:
        raise NotImplementedError

    def asin(self, x: Number) -> Number:
        raise NotImplementedError

    def acos(self, x: Number) -> Number:
        raise NotImplementedError

    def abs(self, x: Number) -> Number:
        raise NotImplementedError

    def max(self, *xs: Number) -> Number:
        raise NotImplementedError

    def min(self, *xs: Number) -> Number:
        raise NotImplementedError

    # linear algebra on lists
    def dot(self, a: Sequence[Number], b: Sequence[Number]) -> Number:
        total = self.num(0)
        for u, v in zip(a, b, strict=True):
            total = total + u * v
        return total

    def norm2(self, a: Sequence[Number]) -> Number:
        """Squared Euclidean norm."""
        return self.dot(a, a)

    def norm(self, a: Sequence[Number]) -> Number:
        return self.sqrt(self.norm2(a))

    def sub(self, a: Sequence[Number], b: Sequence[Number]) -> list[Number]:
        return [u - v for u, v in zip(a, b, strict=True)]

    def add(self, a: Sequence[Number], b: Sequence[Number]) -> list[Number]:
        return [u + v for u, v in zip(a, b, strict=True)]

    def scale(self, s: Number, a: Sequence[Number]) -> list[Number]:
        return [s * u for u in a]

    def matvec(self, m: Sequence[Sequence[Number]], v: Sequence[Number]) -> list[Number]:
        return [self.dot(row, v) for row in m]

    def lambda_min(self, m: Sequence[Sequence[Number]]) -> Number:
        """Smallest eigenvalue of a symmetric matrix."""
        raise NotImplementedError

    def lambda_max(self, m: Sequence[Sequence[Number]]) -> Number:
        return -self.lambda_min([[-x for x in row] for row in m])

    def to_float(self, x: Number) -> float:
        return float(x)


_MP_CONTEXTS: dict[int, mpmath.MPContext] = {}


def _mp_context(digits: int) -> mpmath.MPContext:
    """A private mpmath context at ``digits``, one per precision, shared by the backends of
    that precision (building one costs about 0.2 ms, and predicates build backends per call).
    Never change its ``dps``: make a backend of the precision you need."""
    ctx = _MP_CONTEXTS.get(digits)
    if ctx is None:
        ctx = _MP_CONTEXTS[digits] = mpmath.MPContext()
        ctx.dps = digits
    return ctx


class MPBackend(Backend):
    """mpmath at ``digits`` significant digits, in a private context."""

    name = "mpmath"

    def __init__(self, digits: int = 50) -> None:
        self.digits = digits
        self.ctx = _mp_context(digits)
        self.key = ("mpmath", digits)
        c = self.ctx
        self.pi = c.pi
        self.e = c.e
        for name in ("sin", "cos", "tan", "exp", "log", "tanh", "sinh", "cosh", "atan", "asin", "acos", "sqrt"):
            setattr(self, name, getattr(c, name))

    def num(self, q: Exact | float) -> Number:
        if isinstance(q, float):
            return self.ctx.mpf(q)
        f = as_fraction(q)
        return self.ctx.mpf(f.numerator) / f.denominator

    def abs(self, x: Number) -> Number:
        return abs(x)

    def pow(self, x: Number, y: Number) -> Number:
        return self.ctx.power(x, y)

    def rpow(self, x: Number, p: int, q: int) -> Number:
        return self.ctx.power(x, self.ctx.mpf(p) / q)

    def max(self, *xs: Number) -> Number:
        return max(xs)

    def min(self, *xs: Number) -> Number:
        return min(xs)

    def lambda_min(self, m: Sequence[Sequence[Number]]) -> Number:
        if len(m) == 1:
            return m[0][0]
        evals = self.ctx.eigsy(self.ctx.matrix([list(r) for r in m]), eigvals_only=True)
        return min(evals)


class FloatBackend(Backend):
    """numpy float64; arguments may be arrays (vectorised evaluation)."""

    name = "float64"
    key = ("float64",)
    pi = math.pi
    e = math.e

    def __init__(self) -> None:
        for name in ("sin", "cos", "tan", "exp", "log", "tanh", "sinh", "cosh", "sqrt"):
            setattr(self, name, getattr(np, name))

    def atan(self, x: Number) -> Number:
        return np.arctan(x)

    def asin(self, x: Number) -> Number:
        return np.arcsin(x)

    def acos(self, x: Number) -> Number:
        return np.arccos(x)

    def abs(self, x: Number) -> Number:
        return np.abs(x)

    def num(self, q: Exact | float) -> Number:
        if type(q) is Fraction:
            return q.numerator / q.denominator  # int / int is correctly rounded
        return float(as_fraction(q)) if not isinstance(q, float) else q

    def pow(self, x: Number, y: Number) -> Number:
        return np.power(x, y)

    def rpow(self, x: Number, p: int, q: int) -> Number:
        return np.power(x, p / q)

    def max(self, *xs: Number) -> Number:
        # pairwise, so that an array of points and a constant mix (np.maximum.reduce(xs)
        # would first build one array of them, which fails for an array beside a float)
        return functools.reduce(np.maximum, xs)

    def min(self, *xs: Number) -> Number:
        return functools.reduce(np.minimum, xs)

    def lambda_min(self, m: Sequence[Sequence[Number]]) -> Number:
        return float(np.linalg.eigvalsh(np.array(m, dtype=float)).min())


class ScalarFloatBackend(FloatBackend):
    """float64 on Python floats through :mod:`math` (one point at a time: the local search).

    Where numpy gives NaN or infinity (a logarithm of a negative number, an overflow), the
    math functions raise ``ValueError``/``OverflowError``: either way the point is not a
    finite evaluation."""

    name = "float64-scalar"
    key = ("float64-scalar",)

    def __init__(self) -> None:
        for name in ("sin", "cos", "tan", "exp", "log", "tanh", "sinh", "cosh", "sqrt", "atan", "asin", "acos"):
            setattr(self, name, getattr(math, name))

    def abs(self, x: Number) -> Number:
        return abs(x)

    def pow(self, x: Number, y: Number) -> Number:
        return math.pow(x, y)

    def rpow(self, x: Number, p: int, q: int) -> Number:
        return math.pow(x, p / q)

    def max(self, *xs: Number) -> Number:
        return max(xs)

    def min(self, *xs: Number) -> Number:
        return min(xs)


@contextlib.contextmanager
def arb_precision(bits: int) -> Iterator[None]:
    """Set python-flint's working precision for the block, and restore it after."""
    old = flint_ctx.prec
    flint_ctx.prec = bits
    try:
        yield
    finally:
        flint_ctx.prec = old


#: when True, :class:`ArbBackend` refuses to make numbers below its precision (outside
#: ``arb_precision``), where they would silently come out at flint's current, lower precision;
#: the test suite turns it on, so every use in the engine and the catalogue is checked
ARB_STRICT = False


class ArbBackend(Backend):
    """Arb balls: every operation returns an enclosure of the exact result.

    Use inside ``with arb_precision(backend.bits):`` (the :meth:`evaluate` helpers of
    the engine do this for you).
    """

    name = "arb"

    def __init__(self, bits: int = 256) -> None:
        self.bits = bits

    @property
    def key(self) -> tuple[Any, ...]:  # type: ignore[override]
        """What cached conversions depend on: the working precision numbers are made at
        (``ctx.prec``, which ``arb_precision`` sets), not the precision asked for, so a
        constant converted outside ``arb_precision`` is never reused inside it."""
        return ("arb", flint_ctx.prec)

    @property
    def pi(self) -> Number:
        return arb.pi()

    @property
    def e(self) -> Number:
        return arb(1).exp()

    def num(self, q: Exact | float) -> Number:
        if ARB_STRICT and flint_ctx.prec < self.bits:
            raise RuntimeError(f"ArbBackend({self.bits}) used at {flint_ctx.prec} bits: wrap the use in arb_precision({self.bits})")
        if isinstance(q, float):
            return arb(q)
        f = as_fraction(q)
        return arb(fmpq(f.numerator, f.denominator))

    def sqrt(self, x: Number) -> Number:
        return x.sqrt()

    def exp(self, x: Number) -> Number:
        return x.exp()

    def log(self, x: Number) -> Number:
        return x.log()

    def sin(self, x: Number) -> Number:
        return x.sin()

    def cos(self, x: Number) -> Number:
        return x.cos()

    def tan(self, x: Number) -> Number:
        return x.tan()

    def tanh(self, x: Number) -> Number:
        return x.tanh()

    def sinh(self, x: Number) -> Number:
        return x.sinh()

    def cosh(self, x: Number) -> Number:
        return x.cosh()

    def atan(self, x: Number) -> Number:
        return x.atan()

    def asin(self, x: Number) -> Number:
        return x.asin()  # nan (undecidable) where the ball leaves [-1, 1]

    def acos(self, x: Number) -> Number:
        return x.acos()

    def abs(self, x: Number) -> Number:
        return abs(x)

    def pow(self, x: Number, y: Number) -> Number:
        return x**y

    def ipow(self, x: Number, n: int) -> Number:
        """x**n for an integer n >= 0, from the ball's endpoints (monotone pieces), so that a
        ball around 0 gives a tight enclosure (python-flint's ``arb ** int`` goes through
        exp/log and gives nan there)."""
        if n == 0:
            return arb(1)
        if n == 1:
            return x
        if not x.is_finite():
            return x * arb("nan")
        if not x.contains(0):
            return x**n  # python-flint's integer power (arb_pow_fmpz): fine away from 0
        lo, hi = x.lower(), x.upper()

        def power(v: Number) -> Number:
            out = arb(1)
            for _ in range(n):
                out = out * v
            return out

        plo, phi = power(lo), power(hi)
        if n % 2 == 0 and x.contains(0):
            return arb(0).union(plo).union(phi)
        return plo.union(phi)

    def rpow(self, x: Number, p: int, q: int) -> Number:
        return x ** arb(fmpq(p, q))

    def max(self, *xs: Number) -> Number:
        out = xs[0]
        for x in xs[1:]:
            out = out.max(x)
        return out

    def min(self, *xs: Number) -> Number:
        out = xs[0]
        for x in xs[1:]:
            out = out.min(x)
        return out

    def lambda_min(self, m: Sequence[Sequence[Number]]) -> Number:
        if len(m) == 1:
            return m[0][0]
        evals = arb_mat([list(r) for r in m]).eig(multiple=True, nonstop=True)
        reals = [ev.real for ev in evals]
        out = reals[0]
        for r in reals[1:]:
            out = out.min(r)
        return out

    def to_float(self, x: Number) -> float:
        return float(x.mid())


def ball_certainly(margin: Number, strict: bool) -> bool | None:
    """Decide ``margin > 0`` (strict) or ``margin >= 0`` from an Arb ball.

    True: certainly holds; False: certainly fails; None: the ball straddles the boundary.
    """
    if not margin.is_finite():
        return None
    if strict:
        if margin > 0:
            return True
        if margin <= 0:
            return False
        return None
    if margin >= 0:
        return True
    if margin < 0:
        return False
    return None
