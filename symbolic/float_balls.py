"""Float64 balls with one error bound for a whole batch: the cheap first screen.

:class:`BallFloatBackend` runs compiled expressions and claim margins on :class:`FBall`
numbers: ``m`` the float64 values at every point of a batch (a numpy array; a float for a
constant), ONE absolute bound ``a`` and ONE relative bound ``rel`` for all points, and
``rng`` a float64 interval (:class:`~symbolic.float_intervals.FInterval` with float
bounds) enclosing the exact value at every point. The invariant, kept by every operation
(``X_i`` the exact value at point i), wherever ``m_i`` is finite:

    |m_i - X_i| <= a + rel |X_i|   and   rng.lo <= X_i <= rng.hi.

An operation costs one numpy call on the values (the same call plain float64 makes) and a
few scalar float operations for ``a``, ``rel`` and ``rng``: first-order error propagation
with the magnitudes taken from ``rng`` (narrowed to the values' own ``[min m - r, max m + r]``
by :meth:`FBall.tight`), every scalar bound padded upward for its own rounding (``_pad``).
The bounds are the worst case over the batch, so they are loose where the values differ in
scale; a point this screen does not pass goes to the per-point interval screen
(:mod:`symbolic.float_intervals`), then to Arb, as before (:mod:`symbolic.screening`).

The rounding terms (u = 2^-52, at least twice the unit roundoff; ``LIBM_ULPS`` ulps for
library functions, which are not correctly rounded; a subnormal ``2^-1022`` added per
operation for underflow). Sums of one sign carry the larger ``rel`` over (``|X| + |Y| =
|X + Y|``), other sums turn both errors absolute; products and quotients combine relative
errors (a divisor's whole error made relative to its smallest ``|Y|``, which must keep it
below 1/2); ``x^n``, ``sqrt`` and ``log`` use the argument's error relative to its smallest
``|X|`` where that is below 1/2 (``(1 + rel)^n - 1``; ``rel``; ``-log(1 - rel)``), else an
absolute mean-value bound; ``exp`` turns an absolute error ``e`` into the relative
``expm1(e)``; ``sin, cos, tanh, atan, |.|, max, min`` are 1-Lipschitz (absolute error
kept), ``sinh, cosh`` are ``cosh(M + e)``-Lipschitz (``M`` the largest ``|X|``).

A value that overflows to inf breaks the first inequality at its point, so nothing may turn
it back into a finite number with the bounds: a quotient by it is NaN there (finite over
inf would be 0). A NaN range bound means "not known" and stays NaN (never dropped by a
max/min). What has no such bound here (``tan``, ``asin``, ``acos``, a divisor or logarithm
near 0, comparisons, ``float()``, eigenvalues) raises
:class:`~symbolic.float_intervals.NotScreenable`; a NaN or infinite bound or value simply
fails the screen. Either way nothing passes by default.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from .backends import Backend, Exact, Number, as_fraction
from .float_intervals import (
    LIBM_ULPS,
    FInterval,
    IntervalFloatBackend,
    NotScreenable,
    _exact_float,
    ipow,
)

_U = 2.0**-52  #: twice the unit roundoff of float64
_LIBM = LIBM_ULPS * 2.0**-52
_SUB = 2.0**-1022  #: per operation, for underflow
_PAD = 1 + 2.0**-48  #: covers the rounding of the few scalar operations of one bound
_INF = math.inf
_IB = IntervalFloatBackend()


def _pad(x: float) -> float:
    """x (a nonnegative bound computed in a few rounded operations) made an upper bound."""
    if x != x:
        return _INF
    return x * _PAD + _SUB


def _mag(rng: FInterval) -> float:
    """Largest |X| in the range (inf if unbounded, inf for NaN)."""
    lo, hi = rng.lo, rng.hi
    if lo != lo or hi != hi:
        return _INF
    return max(-lo, hi)


def _mig(rng: FInterval) -> float:
    """Smallest |X| in the range (0 if it contains 0)."""
    lo, hi = rng.lo, rng.hi
    if lo > 0:
        return lo
    if hi < 0:
        return -hi
    return 0.0


def _one_sign(a: FInterval, b: FInterval) -> bool:
    return (a.lo >= 0 and b.lo >= 0) or (a.hi <= 0 and b.hi <= 0)


class FBall:
    """Values at many points, one error bound and one range for all (module docstring).

    ``|m_i - X_i| <= a + rel |X_i|`` at every point i, and ``rng`` encloses every ``X_i``."""

    __slots__ = ("m", "a", "rel", "rng", "_tight", "_finite")
    __array_ufunc__ = None  # numpy arrays defer to our reflected operators

    def __init__(self, m: Any, a: float, rel: float, rng: FInterval) -> None:
        self.m = m
        self.a = a
        self.rel = rel
        self.rng = rng
        self._tight = False
        self._finite = False  #: every value is known finite (min and max of m seen finite)

    @staticmethod
    def of(x: Any) -> FBall:
        if type(x) is FBall:
            return x
        if isinstance(x, bool):
            raise NotScreenable("a boolean is not a number")
        if isinstance(x, float):
            x = float(x)
            return FBall(x, 0.0, 0.0, FInterval(x, x))
        if isinstance(x, int | Fraction):
            q = Fraction(x)
            iv = _exact_float(q)
            if iv.lo == iv.hi:
                return FBall(iv.lo, 0.0, 0.0, iv)
            try:
                m = q.numerator / q.denominator  # correctly rounded: relative error <= 2^-53
            except OverflowError:
                m = math.nan
            return FBall(m, _SUB, _U, iv)
        raise NotScreenable(f"cannot screen a {type(x).__name__} in float64 balls")

    def err(self) -> float:
        """An absolute error bound valid at every point: ``a + rel * max |X|``."""
        if self.rel == 0.0:
            return self.a
        return _pad(self.a + self.rel * _mag(self.tight().rng))

    def tight(self) -> FBall:
        """This ball with its range narrowed to the values' own ``[min m - r, max m + r]``
        (two reductions over the points, once per value): ranges propagated by interval
        arithmetic alone grow fast through ``exp``, quotients and products."""
        if not self._tight:
            self._tight = True
            m = self.m
            if not isinstance(m, np.ndarray) or m.ndim == 0:
                mn = mx = float(m)
            elif len(m):
                mn, mx = float(m.min()), float(m.max())
            else:
                return self
            self._finite = math.isfinite(mn) and math.isfinite(mx)
            if not (mn == mn and mx == mx) or self.rel >= 0.5:  # NaN values: keep the propagated range
                return self
            # |X| <= (|m| + a) / (1 - rel), so |m - X| <= a + rel (|m| + a) / (1 - rel)
            r = _pad(self.a + self.rel * (max(-mn, mx) + self.a) / (1 - self.rel))
            lo, hi = math.nextafter(mn - r, -_INF), math.nextafter(mx + r, _INF)
            self.rng = FInterval(max(lo, self.rng.lo), min(hi, self.rng.hi))
        return self

    def magnitude(self) -> float:
        """An upper bound of ``|X_i|`` at every point."""
        return _mag(self.tight().rng)

    def enclosure(self) -> FInterval:
        """Per-point bounds ``m - r_i <= X_i <= m + r_i`` (arrays), rounded outward."""
        m, a, rel = self.m, self.a, self.rel
        if rel >= 0.5:
            return FInterval(m * math.nan, m * math.nan)
        c = _pad(rel / (1 - rel))
        # r_i, itself rounded up (three rounded operations): so that lo = m - r errs only by the
        # rounding of that one subtraction, which the outward step below covers
        r = ((abs(m) + a) * c + a) * (1 + 2.0**-50) if rel else a
        lo, hi = m - r, m + r
        if type(lo) is float:
            return FInterval(math.nextafter(lo, -_INF), math.nextafter(hi, _INF))
        return FInterval(lo - (np.abs(lo) * 2.0**-51 + 5e-324), hi + (np.abs(hi) * 2.0**-51 + 5e-324))

    def __float__(self) -> float:
        raise NotScreenable("float() of a ball")

    def __bool__(self) -> bool:
        raise NotScreenable("truth value of a ball")

    def _cmp(self, other: Any) -> bool:
        raise NotScreenable("comparison of balls")

    __lt__ = __le__ = __gt__ = __ge__ = _cmp

    def __eq__(self, other: object) -> bool:
        raise NotScreenable("comparison of balls")

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FBall(m={self.m!r}, a={self.a!r}, rel={self.rel!r}, rng={self.rng!r})"

    # ------------------------------------------------------------ arithmetic
    def __neg__(self) -> FBall:
        return FBall(-self.m, self.a, self.rel, -self.rng)

    def __pos__(self) -> FBall:
        return self

    def _sum(self, o: FBall, m: Any, rng: FInterval, same_sign: bool) -> FBall:
        if same_sign:
            # |X| + |Y| = |X + Y|: the relative bounds carry over
            return FBall(m, _pad(self.a + o.a) * (1 + _U), _pad(max(self.rel, o.rel) * (1 + _U) + _U), rng)
        return FBall(m, _pad((self.err() + o.err()) * (1 + _U)), _U, rng)

    def __add__(self, other: Any) -> FBall:
        o = other if type(other) is FBall else FBall.of(other)
        return self._sum(o, self.m + o.m, self.rng + o.rng, _one_sign(self.rng, o.rng))

    __radd__ = __add__

    def __sub__(self, other: Any) -> FBall:
        o = other if type(other) is FBall else FBall.of(other)
        return self._sum(o, self.m - o.m, self.rng - o.rng, _one_sign(self.rng, -o.rng))

    def __rsub__(self, other: Any) -> FBall:
        return FBall.of(other) - self

    def __mul__(self, other: Any) -> FBall:
        o = other if type(other) is FBall else FBall.of(other)
        ra, rb = self.rel, o.rel
        rel = _pad(ra + rb + ra * rb + _U * (1 + ra) * (1 + rb))
        if self.a == 0.0 and o.a == 0.0:
            a = _SUB
        else:
            ma, mb = _mag(self.tight().rng), _mag(o.tight().rng)
            a = _pad((self.a * mb * (1 + rb) + o.a * ma * (1 + ra) + self.a * o.a) * (1 + _U))
        return FBall(self.m * o.m, a, rel, self.rng * o.rng)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> FBall:
        o = (other if type(other) is FBall else FBall.of(other)).tight()
        mig = _mig(o.rng)
        if not mig > 0:
            raise NotScreenable("a divisor whose range reaches 0")
        rb = _pad(o.rel + o.a / mig)  # the divisor's error, relative to |Y|
        if not rb < 0.5:
            raise NotScreenable("a divisor known too loosely")
        low = (1 - rb) * (1 - 2.0**-50)
        rel = _pad((self.rel + rb) / low + _U * (1 + self.rel) / low)
        a = _pad(self.a / (mig * low) * (1 + _U))
        return FBall(self.m / o.m if o._finite else _over(self.m, o.m), a, rel, self.rng / o.rng)

    def __rtruediv__(self, other: Any) -> FBall:
        return FBall.of(other) / self

    def __pow__(self, n: Any) -> FBall:
        if isinstance(n, int) and not isinstance(n, bool):
            if n >= 0:
                return _ipow(self, n)
            return FBall.of(1.0) / _ipow(self, -n)
        raise NotScreenable("non-integer power of a ball")

    def __abs__(self) -> FBall:
        return FBall(np.abs(self.m), self.a, self.rel, abs(self.rng))


def _over(n: Any, d: Any) -> Any:
    """n / d, NaN where d is infinite. A value that overflowed to inf breaks its ball's bound
    (the exact value may be just above the largest float, or below it for a libm function): a
    finite numerator over it gives 0, which the quotient's bounds (relative to the divisor's
    smallest |Y|) do not cover, e.g. 2^1000 / (x x) at x = 1.35e154 is 5.9e-8, not 0."""
    q = n / d
    if isinstance(d, np.ndarray):
        inf = np.isinf(d)
        if inf.any():
            return np.where(inf, math.nan, q)
        return q
    return math.nan if math.isinf(d) else q


def _relative(x: FBall) -> float | None:
    """x's whole error as a bound relative to |X| (None where the range reaches 0)."""
    if x.a == 0.0:
        return x.rel
    mig = _mig(x.tight().rng)
    if not mig > 0:
        return None
    return _pad(x.rel + x.a / mig)


def _ipow(x: FBall, n: int) -> FBall:
    if n == 0:
        return FBall(1.0, 0.0, 0.0, FInterval(1.0, 1.0))
    if n == 1:
        return x
    x.tight()
    rng = ipow(x.rng, n)
    m = x.m**n
    # x**2 is a correctly rounded square; a higher power comes from pow() (not correctly rounded)
    own = _U if n == 2 else max(_LIBM, (n + 1) * _U)
    rel = _relative(x)
    if rel is not None and rel < 0.5:
        grow = math.expm1(n * math.log1p(rel))  # (1 + rel)^n - 1
        return FBall(m, _SUB, _pad(grow + own * (1 + grow)), rng)
    e, top = x.err(), _mag(x.rng)
    try:
        a = _pad(n * (top + e) ** (n - 1) * e + own * (top + e) ** n)
    except OverflowError:
        a = _INF
    return FBall(m, a, 0.0, rng)


def _lipschitz(fm: Any, x: FBall, lip: float, top: float, rng: FInterval) -> FBall:
    """f applied to the values (``fm``), f ``lip``-Lipschitz near the values, |f| <= ``top``."""
    return FBall(fm, _pad(lip * x.err() + _LIBM * top), 0.0, rng)


class BallFloatBackend(Backend):
    """float64 balls with one error bound per batch: numbers are :class:`FBall` (module docstring)."""

    name = "float64-ball"
    key = ("float64-ball",)

    def __init__(self) -> None:
        self.pi = FBall(math.pi, 0.0, _U, _IB.pi)
        self.e = FBall(math.e, 0.0, _U, _IB.e)

    def num(self, q: Exact | float) -> Number:
        if isinstance(q, FBall):
            return q
        if isinstance(q, float):
            return FBall.of(q)
        return FBall.of(as_fraction(q))

    def column(self, lo: np.ndarray, hi: np.ndarray) -> FBall:
        """The ball of exact values enclosed by ``lo <= X <= hi`` (arrays of a batch)."""
        if not len(lo):
            return FBall(lo, 0.0, 0.0, FInterval(0.0, 0.0))
        if lo is hi or np.array_equal(lo, hi):
            out = FBall(lo, 0.0, 0.0, FInterval(float(lo.min()), float(lo.max())))
        else:
            mid = lo / 2 + hi / 2
            r = float(np.max(np.maximum(hi - mid, mid - lo)))
            out = FBall(mid, _pad(r), 0.0, FInterval(float(lo.min()), float(hi.max())))
        out._tight = True  # the range is the values' own
        out._finite = math.isfinite(out.rng.lo) and math.isfinite(out.rng.hi)  # lo <= m <= hi
        return out

    def enclose(self, x: Any) -> FInterval:
        """Per-point bounds of a value (an :class:`FBall` or an exact constant)."""
        return FBall.of(x).enclosure()

    def sqrt(self, x: Number) -> Number:
        x = FBall.of(x).tight()
        if not x.rng.lo >= 0:
            raise NotScreenable("sqrt of a range reaching below 0")
        rel = _relative(x)
        if rel is not None and rel < 0.5:
            # sqrt(X (1 + s)) = sqrt(X) sqrt(1 + s), |sqrt(1 + s) - 1| <= |s|; sqrt is correctly rounded
            return FBall(np.sqrt(x.m), _SUB, _pad(rel + _U * (1 + rel)), _IB.sqrt(x.rng))
        e = x.err()
        a = _pad(math.sqrt(e) * (1 + 2.0**-50) + _U * math.sqrt(_mag(x.rng) + e) * (1 + 2.0**-50))
        return FBall(np.sqrt(x.m), a, 0.0, _IB.sqrt(x.rng))

    def exp(self, x: Number) -> Number:
        x = FBall.of(x)
        # exp(X + e) = exp(X) exp(e): an absolute error of the argument is a relative one here
        e = x.err()
        rel = _pad(math.expm1(e) * (1 + 2.0**-40) * (1 + _LIBM) + _LIBM) if e < 1 else _INF
        return FBall(np.exp(x.m), _SUB, rel, _IB.exp(x.rng))

    def log(self, x: Number) -> Number:
        x = FBall.of(x).tight()
        t = _relative(x)
        if t is None or not t < 0.5 or not x.rng.lo > 0:
            raise NotScreenable("log of a range reaching 0")
        # log(X (1 + s)) = log X + log(1 + s), |log(1 + s)| <= -log(1 - t)
        prop = -math.log1p(-t) * (1 + 2.0**-40)
        top = max(abs(math.log(x.rng.lo)), abs(math.log(x.rng.hi))) * (1 + 2.0**-40) + prop if math.isfinite(x.rng.hi) else _INF
        return FBall(np.log(x.m), _pad(prop + _LIBM * top), 0.0, _IB.log(x.rng))

    def sin(self, x: Number) -> Number:
        x = FBall.of(x)
        return _lipschitz(np.sin(x.m), x, 1.0, 1.0, _IB.sin(x.rng))

    def cos(self, x: Number) -> Number:
        x = FBall.of(x)
        return _lipschitz(np.cos(x.m), x, 1.0, 1.0, _IB.cos(x.rng))

    def tanh(self, x: Number) -> Number:
        x = FBall.of(x)
        return _lipschitz(np.tanh(x.m), x, 1.0, 1.0, _IB.tanh(x.rng))

    def atan(self, x: Number) -> Number:
        x = FBall.of(x)
        return _lipschitz(np.arctan(x.m), x, 1.0, 2.0, _IB.atan(x.rng))

    def sinh(self, x: Number) -> Number:
        return _hyperbolic(np.sinh, FBall.of(x), _IB.sinh)

    def cosh(self, x: Number) -> Number:
        return _hyperbolic(np.cosh, FBall.of(x), _IB.cosh)

    def tan(self, x: Number) -> Number:
        raise NotScreenable("tan is not screened in float64 balls")

    def asin(self, x: Number) -> Number:
        raise NotScreenable("asin is not screened in float64 balls")

    def acos(self, x: Number) -> Number:
        raise NotScreenable("acos is not screened in float64 balls")

    def abs(self, x: Number) -> Number:
        return abs(FBall.of(x))

    def _extremum(self, xs: Sequence[Number], pick: Any, bound: Any) -> FBall:
        bs = [FBall.of(x) for x in xs]
        m = bs[0].m
        for b in bs[1:]:
            m = pick(m, b.m)
        # a NaN bound (a range not known) makes the bound NaN: Python's max/min would drop it
        los, his = [b.rng.lo for b in bs], [b.rng.hi for b in bs]
        if any(v != v for v in los + his):
            rng = FInterval(math.nan, math.nan)
        else:
            rng = FInterval(bound(los), bound(his))
        # |max_j a_j - max_j X_j| <= max_j |a_j - X_j|
        return FBall(m, max(b.err() for b in bs), 0.0, rng)

    def max(self, *xs: Number) -> Number:
        return self._extremum(xs, np.maximum, max)

    def min(self, *xs: Number) -> Number:
        return self._extremum(xs, np.minimum, min)

    def ipow(self, x: Number, n: int) -> Number:
        return _ipow(FBall.of(x), n)

    def rpow(self, x: Number, p: int, q: int) -> Number:
        """x**(p/q) for x > 0, as exp((p/q) log x) (x near 0: not screenable)."""
        return self.exp(FBall.of(Fraction(p, q)) * self.log(x))

    def pow(self, x: Number, y: Number) -> Number:
        return self.exp(FBall.of(y) * self.log(x))

    def lambda_min(self, m: Sequence[Sequence[Number]]) -> Number:
        raise NotScreenable("eigenvalues are not screened in float64 balls")

    def lambda_max(self, m: Sequence[Sequence[Number]]) -> Number:
        raise NotScreenable("eigenvalues are not screened in float64 balls")

    def to_float(self, x: Number) -> float:
        raise NotScreenable("to_float of a ball")


def _hyperbolic(fn: Any, x: FBall, range_of: Any) -> FBall:
    """sinh or cosh: both have |f| <= cosh and |f'| <= cosh, so near the values both are
    cosh(M + e)-Lipschitz and bounded by it (M the largest |X|, e the error)."""
    x.tight()
    c = _cosh_up(_mag(x.rng) + x.err())
    return _lipschitz(fn(x.m), x, c, c, range_of(x.rng))


def _cosh_up(t: float) -> float:
    try:
        return math.cosh(t) * (1 + _LIBM)
    except OverflowError:
        return _INF
