"""Interval arithmetic in float64 with outward rounding: the screening backend.

:class:`IntervalFloatBackend` runs the same compiled expressions and claim margins as the
other backends, on numbers that are :class:`FInterval` ``[lo, hi]`` pairs of floats (one
point) or of numpy arrays (many points at once, vectorised). Every operation encloses the
exact result of the operation on the enclosed inputs:

- ``+ - * /`` and ``sqrt`` are correctly rounded in IEEE 754 (error at most half an ulp),
  so stepping each bound one float outward (``nextafter``) encloses the exact result;
- ``exp, log, sin, ...`` come from the C library through numpy, which is not correctly
  rounded: the bound is widened by :data:`LIBM_ULPS` ulps (glibc documents at most 1 to 3
  ulps for these functions in double precision) plus the smallest subnormal;
- non-monotone functions use a Lipschitz bound (``|sin'| <= 1``) or their known extrema.

Evaluate inside ``numpy.errstate(all="ignore")`` (as :meth:`Claim.screen` does): overflow
and invalid operations give infinite or NaN bounds, which are checked at the end.

What is not enclosed raises :class:`NotScreenable` (a comparison, ``float()`` of an
interval, an eigenvalue, a branch on a value): the caller then evaluates the point the
exact way. A bound that is NaN or infinite (overflow, a pole, a domain left) is returned as
such and means the same: not screenable. So a finite result is an enclosure, and anything
else sends the point to the exact/Arb path; nothing is ever counted as passing by default.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from .backends import Backend, Exact, Number, as_fraction

#: ulps of widening for library functions (exp, log, sin, ...) on top of their result
LIBM_ULPS = 8
_REL = LIBM_ULPS * 2.0**-52
_TINY = 5e-324
_MIN_NORMAL = 2.2250738585072014e-308
_INF = math.inf
_NAN = math.nan


class NotScreenable(TypeError):
    """The margin did something an interval cannot answer (compare, convert to float, ...)."""


def _is_scalar(x: Any) -> bool:
    return type(x) is float


def _dn(x: Any) -> Any:
    """A float below every real that rounds to x (the next float for a scalar)."""
    if _is_scalar(x):
        return math.nextafter(x, -_INF)
    return _npdn(x)


def _up(x: Any) -> Any:
    if _is_scalar(x):
        return math.nextafter(x, _INF)
    return _npup(x)


def _wdn(x: Any) -> Any:
    """x lowered by LIBM_ULPS ulps (relative) and a subnormal: below a libm result."""
    return x - abs(x) * _REL - _TINY


def _wup(x: Any) -> Any:
    return x + abs(x) * _REL + _TINY


def _min(*xs: Any) -> Any:
    """Elementwise minimum; NaN if any argument is NaN."""
    if all(type(x) is float for x in xs):
        return min(xs) if not any(x != x for x in xs) else _NAN
    out = xs[0]
    for x in xs[1:]:
        out = np.minimum(out, x)  # propagates NaN
    return out


def _max(*xs: Any) -> Any:
    if all(type(x) is float for x in xs):
        return max(xs) if not any(x != x for x in xs) else _NAN
    out = xs[0]
    for x in xs[1:]:
        out = np.maximum(out, x)
    return out


def _where(cond: Any, a: Any, b: Any) -> Any:
    if _is_scalar(a) and _is_scalar(b) and isinstance(cond, bool | np.bool_):
        return a if cond else b
    return np.where(cond, a, b)


def _exact_float(q: Fraction | int) -> FInterval:
    """The tightest float interval around an exact rational."""
    n, d = (q, 1) if type(q) is int else (q.numerator, q.denominator)
    try:
        f = n / d  # correctly rounded
    except OverflowError:
        return FInterval(_NAN, _NAN)
    # exact: a short numerator over a power of two, and a normal float (no subnormal loss)
    exact = n == 0 or (d & (d - 1) == 0 and abs(n).bit_length() <= 53 and abs(f) >= _MIN_NORMAL)
    if exact:
        return FInterval(f, f)
    return FInterval(_nextafter(f, -_INF), _nextafter(f, _INF))


_nextafter = math.nextafter
_EPS2 = 2.0**-51


def _npdn(x: Any) -> Any:
    """Below every real that rounds to x (elementwise): ``x - (2^-51 |x| + 2^-1074)``.

    For a normal x, 2^-51 |x| >= 2 ulp(x) exactly, and x - 2 ulp is below x - ulp, the
    nearest float under x, so the rounded difference stays below x - ulp(x)/2; at 0 and for
    subnormal results (where + and - are exact and * and / err by at most 2^-1075) the
    subnormal step does it. Four cheap passes instead of ``np.nextafter`` (twenty times
    slower than a product)."""
    return x - (np.abs(x) * _EPS2 + _TINY)


def _npup(x: Any) -> Any:
    return x + (np.abs(x) * _EPS2 + _TINY)


_NAN_PAIR = (_NAN, _NAN)


def _scalar_mul(a: float, b: float, c: float, d: float) -> tuple[float, float]:
    """Bounds of {a c, a d, b c, b d} rounded outward (NaN if any product is NaN)."""
    p, q, r, t = a * c, a * d, b * c, b * d
    if p != p or q != q or r != r or t != t:
        return _NAN_PAIR
    return _nextafter(min(p, q, r, t), -_INF), _nextafter(max(p, q, r, t), _INF)


class FInterval:
    """``[lo, hi]`` with float or numpy-array bounds; arithmetic rounds outward.

    A NaN bound means "not enclosed" and propagates (a product with a NaN bound is NaN)."""

    __slots__ = ("lo", "hi")
    __array_ufunc__ = None  # numpy arrays defer to our reflected operators

    def __init__(self, lo: Any, hi: Any) -> None:
        self.lo = lo
        self.hi = hi

    # ------------------------------------------------------------ conversions
    @staticmethod
    def of(x: Any) -> FInterval:
        if type(x) is FInterval:
            return x
        if isinstance(x, bool):
            raise NotScreenable("a boolean is not a number")
        if isinstance(x, int):
            return _exact_float(x)
        if isinstance(x, float):
            x = float(x)  # a float is an exact binary number (numpy scalars included)
            return FInterval(x, x)
        if isinstance(x, Fraction):
            return _exact_float(x)
        if isinstance(x, FInterval):
            return x
        if isinstance(x, np.ndarray) and x.dtype.kind == "f":
            return FInterval(x, x)
        raise NotScreenable(f"cannot screen a {type(x).__name__}")

    def __float__(self) -> float:
        raise NotScreenable("float() of an interval")

    def __bool__(self) -> bool:
        raise NotScreenable("truth value of an interval")

    def _cmp(self, other: Any) -> bool:
        raise NotScreenable("comparison of intervals")

    __lt__ = __le__ = __gt__ = __ge__ = _cmp

    def __eq__(self, other: object) -> bool:
        raise NotScreenable("comparison of intervals")

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FInterval({self.lo!r}, {self.hi!r})"

    @property
    def mid(self) -> Any:
        return self.lo / 2 + self.hi / 2

    def finite(self) -> Any:
        """True where both bounds are finite numbers (elementwise for arrays)."""
        if _is_scalar(self.lo) and _is_scalar(self.hi):
            return math.isfinite(self.lo) and math.isfinite(self.hi)
        return np.isfinite(self.lo) & np.isfinite(self.hi)

    # ------------------------------------------------------------ arithmetic
    def __neg__(self) -> FInterval:
        return FInterval(-self.hi, -self.lo)

    def __pos__(self) -> FInterval:
        return self

    def __add__(self, other: Any) -> FInterval:
        o = other if type(other) is FInterval else FInterval.of(other)
        lo, hi = self.lo + o.lo, self.hi + o.hi
        if type(lo) is float and type(hi) is float:
            return FInterval(_nextafter(lo, -_INF), _nextafter(hi, _INF))
        return FInterval(_npdn(lo), _npup(hi))

    __radd__ = __add__

    def __sub__(self, other: Any) -> FInterval:
        o = other if type(other) is FInterval else FInterval.of(other)
        lo, hi = self.lo - o.hi, self.hi - o.lo
        if type(lo) is float and type(hi) is float:
            return FInterval(_nextafter(lo, -_INF), _nextafter(hi, _INF))
        return FInterval(_npdn(lo), _npup(hi))

    def __rsub__(self, other: Any) -> FInterval:
        return FInterval.of(other) - self

    def __mul__(self, other: Any) -> FInterval:
        o = other if type(other) is FInterval else FInterval.of(other)
        a, b, c, d = self.lo, self.hi, o.lo, o.hi
        if type(a) is float and type(b) is float:
            if type(c) is float and type(d) is float:
                return FInterval(*_scalar_mul(a, b, c, d))
            if a == b:  # an exact constant times an array: two products
                if a >= 0:
                    return FInterval(_npdn(a * c), _npup(a * d))
                return FInterval(_npdn(a * d), _npup(a * c))
        elif type(c) is float and type(d) is float and c == d:
            if c >= 0:
                return FInterval(_npdn(a * c), _npup(b * c))
            return FInterval(_npdn(b * c), _npup(a * c))
        p, q, r, t = a * c, a * d, b * c, b * d
        # np.minimum/np.maximum propagate NaN
        lo = np.minimum(np.minimum(p, q), np.minimum(r, t))
        hi = np.maximum(np.maximum(p, q), np.maximum(r, t))
        return FInterval(_npdn(lo), _npup(hi))

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> FInterval:
        o = other if type(other) is FInterval else FInterval.of(other)
        c, d = o.lo, o.hi
        if type(c) is float and type(d) is float:
            # a divisor interval containing 0 (or NaN) gives NaN bounds: not screenable
            if not (c > 0 or d < 0):
                return FInterval(_NAN, _NAN)
            return self * FInterval(_nextafter(1.0 / d, -_INF), _nextafter(1.0 / c, _INF))
        bad = ~((c > 0) | (d < 0))
        inv = FInterval(np.where(bad, _NAN, _npdn(1.0 / d)), np.where(bad, _NAN, _npup(1.0 / c)))
        return self * inv

    def __rtruediv__(self, other: Any) -> FInterval:
        return FInterval.of(other) / self

    def __pow__(self, n: Any) -> FInterval:
        if isinstance(n, int) and not isinstance(n, bool):
            if n >= 0:
                return ipow(self, n)
            return FInterval(1.0, 1.0) / ipow(self, -n)
        raise NotScreenable("non-integer power of an interval")

    def __abs__(self) -> FInterval:
        lo, hi = self.lo, self.hi
        if type(lo) is float and type(hi) is float:
            if lo != lo or hi != hi:
                return FInterval(_NAN, _NAN)
            if lo >= 0:
                return self
            if hi <= 0:
                return FInterval(-hi, -lo)
            return FInterval(0.0, max(-lo, hi))
        alo, ahi = np.abs(lo), np.abs(hi)
        straddle = (lo <= 0) & (hi >= 0)
        low = np.where(straddle, 0.0, np.minimum(alo, ahi))
        return FInterval(low, np.maximum(alo, ahi))


def ipow(x: FInterval, n: int) -> FInterval:
    """x**n for an integer n >= 0, enclosed: monotone pieces, 0 inside for even n."""
    if n == 0:
        return FInterval(1.0, 1.0)
    if n == 1:
        return x
    lo, hi = x.lo, x.hi
    if n == 2 and type(lo) is float and type(hi) is float:
        # squares are correctly rounded products
        if lo != lo or hi != hi:
            return FInterval(_NAN, _NAN)
        if lo >= 0:
            return FInterval(_nextafter(lo * lo, -_INF), _nextafter(hi * hi, _INF))
        if hi <= 0:
            return FInterval(_nextafter(hi * hi, -_INF), _nextafter(lo * lo, _INF))
        return FInterval(0.0, _nextafter(max(lo * lo, hi * hi), _INF))
    if type(lo) is float and type(hi) is float:
        if lo != lo or hi != hi:
            return FInterval(_NAN, _NAN)
        try:
            pl, ph = lo**n, hi**n
        except OverflowError:
            return FInterval(_NAN, _NAN)
        k = max(LIBM_ULPS, n + 1) * 2.0**-52
        if n % 2 == 1 or lo >= 0:
            return FInterval(pl - abs(pl) * k - _TINY, ph + abs(ph) * k + _TINY)
        if hi <= 0:
            return FInterval(ph - abs(ph) * k - _TINY, pl + abs(pl) * k + _TINY)
        return FInterval(0.0, max(pl, ph) * (1 + k) + _TINY)
    plo, phi = _pow_down(x.lo, n), _pow_up(x.lo, n)
    qlo, qhi = _pow_down(x.hi, n), _pow_up(x.hi, n)
    if n % 2 == 1:
        return FInterval(plo, qhi)
    straddle = (x.lo <= 0) & (x.hi >= 0)
    low = _where(straddle, 0.0, _min(plo, qlo))
    return FInterval(low, _max(phi, qhi))


def _power(v: Any, n: int) -> Any:
    if _is_scalar(v):
        try:
            return v**n
        except OverflowError:
            return _NAN
    return np.power(v, n)


def _pow_down(v: Any, n: int) -> Any:
    """A float <= v**n: the power is not correctly rounded (pow() or n - 1 products), so it
    is widened by max(LIBM_ULPS, n + 1) ulps."""
    p = _power(v, n)
    return p - abs(p) * (max(LIBM_ULPS, n + 1) * 2.0**-52) - _TINY


def _pow_up(v: Any, n: int) -> Any:
    p = _power(v, n)
    return p + abs(p) * (max(LIBM_ULPS, n + 1) * 2.0**-52) + _TINY


def _call(fn: Any, x: Any) -> Any:
    if _is_scalar(x):
        try:
            return float(fn(x))
        except (ValueError, OverflowError):
            return _NAN
    return fn(x)


def _increasing(fn: Any, x: FInterval) -> FInterval:
    return FInterval(_wdn(_call(fn, x.lo)), _wup(_call(fn, x.hi)))


def _decreasing(fn: Any, x: FInterval) -> FInterval:
    return FInterval(_wdn(_call(fn, x.hi)), _wup(_call(fn, x.lo)))


def _lipschitz1(fn: Any, x: FInterval, lo: float, hi: float) -> FInterval:
    """f(x) for |f'| <= 1 with values in [lo, hi]: f(mid) +- (radius), widened."""
    mid = x.lo / 2 + x.hi / 2
    rad = _up(_max(_up(x.hi - mid), _up(mid - x.lo)))
    v = _call(fn, mid)
    return FInterval(_max(_dn(_wdn(v) - rad), lo), _min(_up(_wup(v) + rad), hi))


class IntervalFloatBackend(Backend):
    """float64 intervals with outward rounding; numbers are :class:`FInterval` (float or
    numpy-array bounds, so one call evaluates many points)."""

    name = "float64-interval"
    key = ("float64-interval",)

    def __init__(self) -> None:
        self.pi = FInterval(_dn(math.pi), _up(math.pi))
        self.e = FInterval(_dn(math.e), _up(math.e))

    def num(self, q: Exact | float) -> Number:
        if isinstance(q, FInterval):
            return q
        if isinstance(q, float):
            return FInterval(float(q), float(q))
        return _exact_float(as_fraction(q))

    def point(self, values: Any) -> FInterval:
        """A degenerate interval at floats (or an array of floats), exact as given."""
        return FInterval(values, values)

    def sqrt(self, x: Number) -> Number:
        x = FInterval.of(x)
        # sqrt is correctly rounded; a lower bound below 0 leaves the domain (NaN)
        lo = _call(math.sqrt if _is_scalar(x.lo) else np.sqrt, x.lo)
        hi = _call(math.sqrt if _is_scalar(x.hi) else np.sqrt, x.hi)
        return FInterval(_dn(lo), _up(hi))

    def exp(self, x: Number) -> Number:
        x = FInterval.of(x)
        out = _increasing(math.exp if _is_scalar(x.lo) else np.exp, x)
        return FInterval(_max(out.lo, 0.0), out.hi)

    def log(self, x: Number) -> Number:
        x = FInterval.of(x)
        if _is_scalar(x.lo):
            if not x.lo > 0:
                return FInterval(_NAN, _NAN)
            return _increasing(math.log, x)
        lo = np.where(x.lo > 0, x.lo, _NAN)
        return _increasing(np.log, FInterval(lo, x.hi))

    def sin(self, x: Number) -> Number:
        x = FInterval.of(x)
        return _lipschitz1(math.sin if _is_scalar(x.lo) else np.sin, x, -1.0, 1.0)

    def cos(self, x: Number) -> Number:
        x = FInterval.of(x)
        return _lipschitz1(math.cos if _is_scalar(x.lo) else np.cos, x, -1.0, 1.0)

    def tan(self, x: Number) -> Number:
        x = FInterval.of(x)
        scalar = _is_scalar(x.lo)
        cos = math.cos if scalar else np.cos
        # monotone between poles: no pole inside when the width is < pi/2 and cos keeps
        # one sign (by a margin beyond its rounding) at both ends
        clo, chi = _call(cos, x.lo), _call(cos, x.hi)
        ok = (x.hi - x.lo < 1.5) & (clo * chi > 1e-12)
        out = _increasing(math.tan if scalar else np.tan, x)
        return FInterval(_where(ok, out.lo, _NAN), _where(ok, out.hi, _NAN))

    def tanh(self, x: Number) -> Number:
        x = FInterval.of(x)
        out = _increasing(math.tanh if _is_scalar(x.lo) else np.tanh, x)
        return FInterval(_max(out.lo, -1.0), _min(out.hi, 1.0))

    def sinh(self, x: Number) -> Number:
        x = FInterval.of(x)
        return _increasing(math.sinh if _is_scalar(x.lo) else np.sinh, x)

    def cosh(self, x: Number) -> Number:
        x = FInterval.of(x)
        fn = math.cosh if _is_scalar(x.lo) else np.cosh
        a, b = _call(fn, x.lo), _call(fn, x.hi)
        straddle = (x.lo <= 0) & (x.hi >= 0)
        return FInterval(_where(straddle, 1.0, _max(_wdn(_min(a, b)), 1.0)), _wup(_max(a, b)))

    def atan(self, x: Number) -> Number:
        x = FInterval.of(x)
        return _increasing(math.atan if _is_scalar(x.lo) else np.arctan, x)

    def asin(self, x: Number) -> Number:
        x = FInterval.of(x)
        inside = (x.lo >= -1.0) & (x.hi <= 1.0)
        out = _increasing(math.asin if _is_scalar(x.lo) else np.arcsin, x)
        return FInterval(_where(inside, out.lo, _NAN), _where(inside, out.hi, _NAN))

    def acos(self, x: Number) -> Number:
        x = FInterval.of(x)
        inside = (x.lo >= -1.0) & (x.hi <= 1.0)
        out = _decreasing(math.acos if _is_scalar(x.lo) else np.arccos, x)
        return FInterval(_where(inside, out.lo, _NAN), _where(inside, out.hi, _NAN))

    def abs(self, x: Number) -> Number:
        return abs(FInterval.of(x))

    def max(self, *xs: Number) -> Number:
        ivs = [FInterval.of(x) for x in xs]
        return FInterval(_max(*[i.lo for i in ivs]), _max(*[i.hi for i in ivs]))

    def min(self, *xs: Number) -> Number:
        ivs = [FInterval.of(x) for x in xs]
        return FInterval(_min(*[i.lo for i in ivs]), _min(*[i.hi for i in ivs]))

    def ipow(self, x: Number, n: int) -> Number:
        return ipow(FInterval.of(x), n)

    def rpow(self, x: Number, p: int, q: int) -> Number:
        """x**(p/q) for x > 0, as exp((p/q) log x) in intervals (x <= 0: not screenable)."""
        e = _exact_float(Fraction(p, q))
        return self.exp(e * self.log(x))

    def pow(self, x: Number, y: Number) -> Number:
        return self.exp(FInterval.of(y) * self.log(x))

    def lambda_min(self, m: Sequence[Sequence[Number]]) -> Number:
        raise NotScreenable("eigenvalues are not screened in float64 intervals")

    def lambda_max(self, m: Sequence[Sequence[Number]]) -> Number:
        raise NotScreenable("eigenvalues are not screened in float64 intervals")

    def to_float(self, x: Number) -> float:
        raise NotScreenable("to_float of an interval")
