"""Safe construction of sympy objects: every size is checked *before* sympy evaluates.

Only explicit constructors are used (``sympy.Add``, ``sympy.Mul``, ``sympy.Pow``,
whitelisted functions); no string is ever handed to sympy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import sympy

from .errors import ParseError
from .limits import Limits
from .tokens import Token
from .vocabulary import FunctionSpec

__all__ = ["Builder", "tree_size_and_depth"]

_LOG10_2 = math.log10(2)


def _digits(r: sympy.Rational) -> float:
    """Approximate number of decimal digits of the larger of numerator/denominator."""
    return max(int(r.p).bit_length(), int(r.q).bit_length()) * _LOG10_2


def tree_size_and_depth(expr: sympy.Basic, max_nodes: int) -> tuple[int, int]:
    """Node count and depth of a sympy tree, iteratively; stops counting past ``max_nodes``."""
    count = 0
    depth = 0
    stack: list[tuple[sympy.Basic, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        count += 1
        depth = max(depth, level)
        if count > max_nodes:
            break
        stack.extend((arg, level + 1) for arg in node.args)
    return count, depth


class Builder:
    """Builds sympy expressions for the parser, enforcing :class:`Limits`."""

    def __init__(self, limits: Limits, text: str) -> None:
        self.limits = limits
        self.text = text
        self.calls = 0

    def spend_call(self, tok: Token | None) -> None:
        """Count one potentially costly sympy evaluation against ``max_calls``."""
        self.calls += 1
        if self.calls > self.limits.max_calls:
            raise self.error(
                f"too many function applications (limit {self.limits.max_calls})", tok
            )

    def error(self, message: str, tok: Token | None) -> ParseError:
        return ParseError(message, None if tok is None else tok.pos, self.text)

    # -- checks -----------------------------------------------------------------
    def check(self, expr: sympy.Expr, tok: Token | None) -> sympy.Expr:
        """Shallow check of a freshly built node: number sizes and combined powers."""
        limits = self.limits
        for node in (expr, *expr.args):
            if node is sympy.zoo or node is sympy.nan:
                raise self.error("division by zero (the value is undefined)", tok)
            if node.is_Rational and _digits(node) > limits.max_value_digits:
                raise self.error(
                    f"number too large (more than {limits.max_value_digits} digits)", tok
                )
            if node.is_Pow and node.exp.is_Rational and abs(node.exp) > limits.max_exponent:
                raise self.error(
                    f"power with exponent {node.exp} is too large "
                    f"(limit {limits.max_exponent})",
                    tok,
                )
        return expr

    def _magnitude(self, value: sympy.Expr, tok: Token | None, what: str) -> float:
        """|value| as a float for a numeric (symbol-free) expression of bounded size."""
        if value.is_Rational:
            return abs(float(value)) if _digits(value) < 300 else math.inf
        try:
            approx = value.evalf(15)
        except (ArithmeticError, ValueError, TypeError, RecursionError) as exc:
            raise self.error(f"cannot evaluate the {what}", tok) from exc
        if not approx.is_number or approx.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise self.error(f"the {what} is undefined", tok)
        re_part, im_part = approx.as_real_imag()
        if not (re_part.is_Number and im_part.is_Number):
            raise self.error(f"cannot evaluate the {what}", tok)
        if im_part != 0 and what == "exponent":
            raise self.error("the exponent must be a real number", tok)
        return math.hypot(float(re_part), float(im_part))

    def check_exponent(self, exp: sympy.Expr, tok: Token | None, *, function: str | None = None) -> None:
        """An exponent is either symbolic or a small number (|e| <= max_exponent).

        ``function`` names an exponential function (``exp``, or ``e^...``) whose argument
        ``exp`` is: only its size is limited there. The denominator limit protects rational
        powers (a root of large order of a number triggers factorisation), so it applies to
        powers only, never to the argument of ``exp`` (``exp(1/10^6)`` is a small number).
        """
        limits = self.limits
        if exp.free_symbols:
            return
        what = f"exponent in {function}" if function else "exponent"
        if exp.is_Rational:
            if abs(exp) > limits.max_exponent:
                shown = str(exp) if _digits(exp) < 30 else "a huge number"
                raise self.error(
                    f"{what} {shown} is too large (limit {limits.max_exponent})"
                    if function is None
                    else f"{what} is {shown}, which is too large (limit {limits.max_exponent})",
                    tok,
                )
            if function is None and exp.q > limits.max_exponent:
                shown = str(exp) if _digits(exp) < 30 else "a fraction with a huge denominator"
                raise self.error(
                    f"exponent {shown} asks for a root of order {exp.q}, which is too large "
                    f"(exponent denominator limit {limits.max_exponent})",
                    tok,
                )
            return
        if self._magnitude(exp, tok, "exponent") > limits.max_exponent:
            raise self.error(
                f"{what} is not a small number (limit |{what}| <= {limits.max_exponent})", tok
            )

    # -- constructors -------------------------------------------------------------
    def add(self, terms: Sequence[sympy.Expr], tok: Token | None) -> sympy.Expr:
        if len(terms) == 1:
            return terms[0]
        return self.check(sympy.Add(*terms), tok)

    def mul(self, factors: Sequence[sympy.Expr], tok: Token | None) -> sympy.Expr:
        if len(factors) == 1:
            return factors[0]
        digits = sum(_digits(f) for f in factors if f.is_Rational)
        if digits > self.limits.max_value_digits:
            raise self.error(
                f"product too large (more than {self.limits.max_value_digits} digits)", tok
            )
        return self.check(sympy.Mul(*factors), tok)

    def neg(self, x: sympy.Expr, tok: Token | None) -> sympy.Expr:
        return self.check(sympy.Mul(sympy.S.NegativeOne, x), tok)

    def inverse(self, x: sympy.Expr, tok: Token | None) -> sympy.Expr:
        return self.power(x, sympy.S.NegativeOne, tok)

    def divide(self, num: sympy.Expr, den: sympy.Expr, tok: Token | None) -> sympy.Expr:
        return self.mul([num, self.inverse(den, tok)], tok)

    def power(
        self, base: sympy.Expr, exp: sympy.Expr, tok: Token | None, *, counted: bool = False
    ) -> sympy.Expr:
        limits = self.limits
        self.check_exponent(exp, tok, function="e^(...)" if base is sympy.E else None)
        if base.is_zero is True and exp.is_negative is True:
            raise self.error("division by zero", tok)
        if not base.free_symbols and exp.is_Rational and abs(exp) > 1:
            if base.is_Rational:
                size = _digits(base)
            else:
                magnitude = self._magnitude(base, tok, "base")
                size = abs(math.log10(magnitude)) if magnitude > 0 else 0.0
            if size * abs(exp) > limits.max_value_digits:
                raise self.error(
                    f"power too large: the value would have about {int(size * abs(exp))} "
                    f"digits (limit {limits.max_value_digits})",
                    tok,
                )
        if base.is_Rational and exp.is_Rational and not exp.is_Integer and not counted:
            self.spend_call(tok)  # roots of numbers trigger factorisation
        return self.check(sympy.Pow(base, exp), tok)

    def absolute(self, value: sympy.Expr, tok: Token | None) -> sympy.Expr:
        self.spend_call(tok)
        return self.check(sympy.Abs(value), tok)

    def call(
        self, name: str, spec: FunctionSpec, args: Sequence[sympy.Expr], tok: Token | None
    ) -> sympy.Expr:
        n = len(args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            raise self.error(f"{name}() takes {spec.arity_text()}, got {n}", tok)
        self.spend_call(tok)
        if spec.exponential:
            self.check_exponent(args[0], tok, function=f"{name}(...)")
        if spec.build is sympy.sqrt:
            return self.power(args[0], sympy.S.Half, tok, counted=True)
        result = spec(*args)
        if not isinstance(result, sympy.Expr):
            raise self.error(f"{name}() did not produce an expression", tok)
        return self.check(result, tok)
