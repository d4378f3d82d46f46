"""A backend wrapper that refuses exponentials of huge arguments (the case is skipped, not evaluated)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

#: an exp/sinh/cosh argument or the log of a power beyond this is not evaluated (the case is skipped)
MAX_EXPONENT_MAGNITUDE = 2.0**20


class GuardedBackend:
    """A backend that refuses (ValueError: the case is skipped) exponentials of huge arguments.

    mpmath and Arb take unbounded time and memory for exp(exp(exp(100))) or a^(a^a) with
    a = 10^9; the engine skips a case whose evaluation raises ValueError.
    """

    def __init__(self, B: Any) -> None:
        self._B = B

    def __getattr__(self, name: str) -> Any:
        return getattr(self._B, name)

    def _magnitude(self, x: Any) -> float:
        try:
            v = abs(float(self._B.to_float(x)))
        except (TypeError, ValueError, OverflowError):
            v = math.inf
        if not v <= MAX_EXPONENT_MAGNITUDE:
            raise ValueError("exponential of a huge argument: the case is not evaluated")
        return v

    def exp(self, x: Any) -> Any:
        self._magnitude(x)
        return self._B.exp(x)

    def sinh(self, x: Any) -> Any:
        self._magnitude(x)
        return self._B.sinh(x)

    def cosh(self, x: Any) -> Any:
        self._magnitude(x)
        return self._B.cosh(x)

    def pow(self, x: Any, y: Any) -> Any:
        try:
            base = abs(float(self._B.to_float(x)))
        except (TypeError, ValueError, OverflowError):
            base = math.inf
        if not math.isfinite(base):
            raise ValueError("power of a huge number: the case is not evaluated")
        if base > 0:
            self._magnitude(self._B.num(Fraction(math.log(base)).limit_denominator(10**6)) * y)
        return self._B.pow(x, y)
