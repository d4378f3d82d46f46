"""Resource limits applied to untrusted input before anything expensive is built."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits"]


@dataclass(frozen=True)
class Limits:
    """Caps on the size of accepted input and of the expression built from it.

    Attributes:
        max_length: maximum number of characters of input.
        max_depth: maximum nesting of brackets, braces, bars, function arguments
            and chained powers (``a^b^c`` counts one level per ``^``).
        max_integer_digits: maximum number of digits in one numeric literal, and the
            largest ``|n|`` allowed in scientific notation ``1e-n``.
        max_exponent: largest ``|exponent|`` of a power (and largest ``|argument|``
            of ``exp``) when the exponent is a number; also the largest power left in
            the result after sympy combines powers (``x^600*x^600`` is rejected).
        max_nodes: maximum size of the parsed tree (operators plus operands), checked
            while parsing and again on the resulting sympy tree.
        max_value_digits: maximum number of decimal digits of any exact number built
            while evaluating (e.g. ``9^1000`` has 955 digits); keeps every integer
            printable under Python's default 4300-digit ``str`` limit.
        max_calls: maximum number of function applications whose sympy evaluation
            can be costly: calls such as ``sqrt(...)``/``max(...)``, ``|...|``, and
            roots of numbers (``2^(1/3)``).  Keeps worst-case parse time bounded.
    """

    max_length: int = 2000
    max_depth: int = 50
    max_integer_digits: int = 60
    max_exponent: int = 1000
    max_nodes: int = 2000
    max_value_digits: int = 4000
    max_calls: int = 40

    def __post_init__(self) -> None:
        for name in (
            "max_length",
            "max_depth",
            "max_integer_digits",
            "max_exponent",
            "max_nodes",
            "max_value_digits",
            "max_calls",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive int, got {value!r}")
