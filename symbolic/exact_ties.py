"""Exact decision of a margin whose Arb ball contains 0 at a rational point (an exact tie).

Ball arithmetic cannot tell 0 from a tiny number: at a = b = c = 1/100, the margin
(a + b + c)/3 - (abc)^(1/3) of strict AM-GM is 0 exactly, and its ball at any precision is
[+/- 1e-477]. Here the same margin callable is evaluated again in :class:`ExactBackend`,
whose numbers are sympy's exact numbers (rationals, radicals, algebraic expressions):

- the margin evaluates to the rational 0, or to an algebraic number whose minimal
  polynomial (sympy's exact algebra) is ``x``: the margin **is** 0 (decided exactly);
- it evaluates to a nonzero rational: its sign is exact;
- otherwise (a nonzero irrational number, a transcendental function of a nonzero argument,
  an expression beyond the size guard, a computation beyond the time guard): not decided
  here; the caller keeps its ``undecided``.

The guards: every intermediate result is refused beyond :data:`MAX_OPS` operations, the
minimal polynomial is attempted only when the product of the radical degrees is at most
:data:`MAX_ALGEBRAIC_DEGREE`, and (in the main thread) the whole decision stops after
:data:`TIME_LIMIT` seconds. A refused or stopped evaluation never decides anything.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from .backends import Backend, Exact, Number, as_fraction

#: the largest number of operations an intermediate exact value may have
MAX_OPS = 400
#: the largest product of radical degrees for which a minimal polynomial is computed
MAX_ALGEBRAIC_DEGREE = 64
#: seconds the exact decision may take (enforced with a timer in the main thread, when no other alarm is set)
TIME_LIMIT = 5.0


class ExactUnavailable(ValueError):
    """The exact value cannot be computed within the guards (or is not a real number)."""


def _checked(v: Any) -> sympy.Expr:
    if not isinstance(v, sympy.Expr):
        v = sympy.sympify(v)  # trusted: a python number produced by the backend itself
    if v.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan, sympy.I):
        raise ExactUnavailable("not a finite real number")
    if not v.is_Rational and sympy.count_ops(v) > MAX_OPS:
        raise ExactUnavailable(f"the exact value grows beyond {MAX_OPS} operations")
    return v


def _sign(x: sympy.Expr) -> int | None:
    """The sign of an exact real number, or None: exactly for a rational, else from an Arb
    enclosure that excludes 0 (rigorous, and far cheaper than sympy's assumptions on an
    algebraic expression); None when the ball contains 0 or the expression does not compile."""
    if x.is_Rational:
        p = int(x.p)
        return (p > 0) - (p < 0)
    from .compile import UnsupportedExpression, arb_at

    try:
        ball = arb_at(x, [], {}, 128)
    except (UnsupportedExpression, ValueError, ZeroDivisionError, TypeError):
        return None
    if ball > 0:
        return 1
    if ball < 0:
        return -1
    return None


def _negative(x: sympy.Expr) -> bool | None:
    s = _sign(x)
    return (s < 0) if s is not None else x.is_negative


class ExactBackend(Backend):
    """Exact arithmetic with sympy numbers: rationals, radicals, exact function values.

    Every result is an exact sympy number (``sqrt(2)``, ``exp(1/3)``); nothing is rounded.
    Operations whose result would not be a real number, or would grow beyond the size
    guard, raise :class:`ExactUnavailable` (a ``ValueError``: the caller treats the case
    as not decided exactly).
    """

    name = "exact"
    key = ("sympy-exact",)

    @property
    def pi(self) -> Number:
        return sympy.pi

    @property
    def e(self) -> Number:
        return sympy.E

    def num(self, q: Exact | float) -> Number:
        f = as_fraction(q) if not isinstance(q, float) else Fraction(q)
        return sympy.Rational(f.numerator, f.denominator)

    def sqrt(self, x: Number) -> Number:
        x = _checked(x)
        if _negative(x):
            raise ExactUnavailable("square root of a negative number")
        return _checked(sympy.sqrt(x))

    def rpow(self, x: Number, p: int, q: int) -> Number:
        x = _checked(x)
        if _negative(x):
            raise ExactUnavailable("fractional power of a negative number")
        if x.is_zero and p < 0:
            raise ExactUnavailable("negative power of 0")
        return _checked(sympy.Pow(x, sympy.Rational(p, q)))

    def pow(self, x: Number, y: Number) -> Number:
        x, y = _checked(x), _checked(y)
        if x.is_negative and not y.is_integer:
            raise ExactUnavailable("non-integer power of a negative number")
        if x.is_zero and not y.is_positive:
            raise ExactUnavailable("non-positive power of 0")
        return _checked(sympy.Pow(x, y))

    def ipow(self, x: Number, n: int) -> Number:
        return _checked(sympy.Pow(_checked(x), n))

    def _fn(self, f: Callable[[sympy.Expr], Any], x: Number) -> Number:
        return _checked(f(_checked(x)))

    def exp(self, x: Number) -> Number:
        return self._fn(sympy.exp, x)

    def log(self, x: Number) -> Number:
        x = _checked(x)
        if _sign(x) != 1 and not x.is_positive:
            raise ExactUnavailable("logarithm of a non-positive number")
        return _checked(sympy.log(x))

    def sin(self, x: Number) -> Number:
        return self._fn(sympy.sin, x)

    def cos(self, x: Number) -> Number:
        return self._fn(sympy.cos, x)

    def tan(self, x: Number) -> Number:
        return self._fn(sympy.tan, x)

    def tanh(self, x: Number) -> Number:
        return self._fn(sympy.tanh, x)

    def sinh(self, x: Number) -> Number:
        return self._fn(sympy.sinh, x)

    def cosh(self, x: Number) -> Number:
        return self._fn(sympy.cosh, x)

    def atan(self, x: Number) -> Number:
        return self._fn(sympy.atan, x)

    def asin(self, x: Number) -> Number:
        return self._fn(sympy.asin, x)

    def acos(self, x: Number) -> Number:
        return self._fn(sympy.acos, x)

    def abs(self, x: Number) -> Number:
        x = _checked(x)
        s = _sign(x)
        if s is not None:
            return x if s >= 0 else _checked(-x)
        return self._fn(sympy.Abs, x)

    def _extreme(self, xs: Sequence[Number], pick: Callable[..., Any]) -> Number:
        vals = [_checked(x) for x in xs]
        if len(vals) == 2:
            # ordered by the sign of the difference when an Arb ball settles it
            s = _sign(_checked(vals[0] - vals[1]))
            if s is not None:
                bigger, smaller = (vals[0], vals[1]) if s >= 0 else (vals[1], vals[0])
                return bigger if pick is sympy.Max else smaller
        out = pick(*vals)
        if isinstance(out, (sympy.Max, sympy.Min)):
            raise ExactUnavailable("max/min of numbers sympy cannot order exactly")
        return _checked(out)

    def max(self, *xs: Number) -> Number:
        return self._extreme(xs, sympy.Max)

    def min(self, *xs: Number) -> Number:
        return self._extreme(xs, sympy.Min)

    def lambda_min(self, m: Sequence[Sequence[Number]]) -> Number:
        """The smallest eigenvalue of a symmetric matrix with rational entries, exactly (a
        root of the characteristic polynomial; up to 4 x 4)."""
        entries = [[_checked(v) for v in row] for row in m]
        if len(entries) == 1:
            return entries[0][0]
        if len(entries) > 4 or not all(v.is_Rational for row in entries for v in row):
            raise ExactUnavailable("exact eigenvalues only for rational matrices up to 4 x 4")
        roots = sympy.Matrix(entries).charpoly().real_roots()
        if len(roots) != len(entries):
            raise ExactUnavailable("the matrix is not symmetric (complex eigenvalues)")
        low = min(roots, key=lambda r: sympy.Float(sympy.N(r, 50), 50))
        if isinstance(low, sympy.CRootOf):
            raise ExactUnavailable("the smallest eigenvalue is not a radical")
        return _checked(low)

    def to_float(self, x: Number) -> float:
        return float(sympy.N(x, 20))


@dataclass(frozen=True)
class ExactValue:
    """The outcome of an exact evaluation: ``sign`` is -1, 0, 1, or None when undecided."""

    sign: int | None
    text: str


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ExactUnavailable` after ``seconds`` (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0 or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
        # someone else's alarm (pytest-timeout, a caller's guard) is set: leave it alone; the size guards still apply
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise ExactUnavailable(f"the exact evaluation took longer than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _radical_degree(v: sympy.Expr) -> int | None:
    """Product of the radical degrees of v; None when v is not built from radicals of rationals."""
    if v.atoms(sympy.Function) or v.has(sympy.pi, sympy.E):
        return None
    degree = 1
    for p in v.atoms(sympy.Pow):
        ex = p.exp
        if not ex.is_Rational:
            return None
        degree *= int(ex.q)
    return degree


def exact_sign(value: sympy.Expr) -> ExactValue:
    """The exact sign of a sympy number, when exact algebra settles it."""
    if value.is_Rational:
        p = int(value.p)
        return ExactValue((p > 0) - (p < 0), f"exactly {value}")
    degree = _radical_degree(value)
    if degree is None:
        return ExactValue(None, f"exact value {value} (not algebraic over radicals: not decided)")
    if degree > MAX_ALGEBRAIC_DEGREE:
        return ExactValue(None, f"exact value with radical degree {degree} > {MAX_ALGEBRAIC_DEGREE}: not decided")
    x = sympy.Dummy("x")
    try:
        poly = sympy.minimal_polynomial(value, x, polys=True)
    except (NotImplementedError, ValueError, TypeError) as exc:
        return ExactValue(None, f"exact value {value}: minimal polynomial not found ({exc})")
    if poly.degree() == 1 and poly.coeff_monomial(1) == 0:
        return ExactValue(0, f"exactly 0 (minimal polynomial of {value} is x)")
    return ExactValue(None, f"exact value {value} is not 0 (minimal polynomial {poly.as_expr()}), sign not settled")


def evaluate_exactly(margin: Callable[[Any, Backend], Number], case: Any) -> ExactValue:
    """Evaluate ``margin(case, B)`` in exact arithmetic and decide its sign when exact algebra can.

    Never raises: anything outside the guards gives ``sign=None`` with the reason.
    """
    B = ExactBackend()
    try:
        with _time_limit(TIME_LIMIT):
            value = _checked(margin(case, B))
            return exact_sign(value)
    except (ExactUnavailable, ValueError, ZeroDivisionError, TypeError, ArithmeticError, RecursionError) as exc:
        return ExactValue(None, f"exact arithmetic unavailable: {exc}")


def decide_tie(margin: Callable[[Any, Backend], Number], case: Any, strict: bool) -> tuple[bool | None, str]:
    """Decide ``margin > 0`` (strict) or ``margin >= 0`` exactly, for a ball that contains 0.

    Returns (True: holds, False: certainly fails, None: not decided) and the evidence text,
    which begins with ``exact`` when decided.
    """
    v = evaluate_exactly(margin, case)
    if v.sign is None:
        return None, v.text
    if v.sign == 0:
        return (not strict), f"exact: the margin is {v.text}"
    return v.sign > 0, f"exact: the margin is {v.text}"
