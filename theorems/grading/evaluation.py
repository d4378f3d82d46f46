"""Evaluating an answer at a point: Arb balls, mpmath values, where an answer is undefined."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import mpmath
import sympy

from symbolic import (
    MPBackend,
)
from symbolic.compile import UnsupportedExpression, arb_at, compiled

from .context import Context, Invalid, Result, _fmt, _point_text

# ------------------------------------------------------------------ evaluation helpers


arb_eval = arb_at  # an Arb ball enclosing an answer at an exact point (the engine's evaluator)


def certainly_nonzero(expr: sympy.Expr, args: Sequence[sympy.Symbol], point: dict[sympy.Symbol, Any]) -> tuple[bool | None, Any]:
    """Decide ``expr != 0`` at an exact point with Arb balls at increasing precision."""
    last = None
    for bits in (128, 512, 2048):
        try:
            ball = arb_eval(expr, args, point, bits)
        except (ValueError, ZeroDivisionError) as exc:
            return None, f"evaluation failed: {exc}"
        last = ball
        if not ball.is_finite():
            continue
        if ball > 0 or ball < 0:
            return True, ball
        if ball.is_exact() and ball == 0:
            return False, ball
    return None, last


def mp_value(expr: sympy.Expr, args: Sequence[sympy.Symbol], point: dict[sympy.Symbol, Any], digits: int = 40) -> Any:
    """``expr`` at the point in mpmath at ``digits`` digits (compiled; sympy evalf if unsupported)."""
    try:
        fn = compiled([expr], list(args))
        B = MPBackend(digits)
        return fn(B, [B.num(Fraction(int(point[a].p), int(point[a].q))) for a in args])[0]
    except UnsupportedExpression:
        return sympy.N(expr.subs(point), digits)


def _domain_points(ctx: Context, n: int = 12) -> list[dict[sympy.Symbol, Any]]:
    """Random points of the domain plus its corners (exact rationals)."""
    import itertools

    pts = ctx.sample_points(n)
    corners = []
    for v in ctx.vars:
        if v.name in ctx.ex.domain:
            lo, hi = ctx.ex.domain[v.name]
            corners.append([sympy.Rational(lo.numerator, lo.denominator), sympy.Rational(hi.numerator, hi.denominator)])
        elif v.name in ctx.ex.integer_domain:
            lo_i, hi_i = ctx.ex.integer_domain[v.name]
            corners.append([sympy.Integer(lo_i), sympy.Integer(hi_i)])
    if len(corners) == len(ctx.vars) and ctx.vars and len(ctx.vars) <= 4:
        # corners that break a constraint are outside the prompt's domain
        pts += [q for q in (dict(zip(ctx.vars, c, strict=True)) for c in itertools.product(*corners)) if ctx.admissible(q)]
    return pts


def _real_at(expr: sympy.Expr, args: Sequence[sympy.Symbol], p: dict[sympy.Symbol, Any]) -> bool | None:
    """True: a finite real number at p; False: certainly not real (mpmath gives a complex
    value with a nonzero imaginary part, or a division by zero); None: unknown.

    A non-finite Arb enclosure only means the ball arithmetic overflowed or lost all precision
    (``exp(exp(exp(8)))``): that is "cannot decide here", never evidence of non-reality."""
    try:
        for bits in (256, 1024):
            ball = arb_eval(expr, args, p, bits)
            if ball.is_finite():
                return True
        v = mp_value(expr, args, p)
        if isinstance(v, sympy.Basic):
            if v.is_real is False and v.is_finite:
                return False
            return True if (v.is_real and v.is_finite) else None
        # the engine's mpmath backend has its own context: its mpf/mpc are not mpmath.mpf/mpc
        kind = type(v).__name__
        if kind == "mpc" and mpmath.isfinite(v) and abs(v.imag) > 10 ** (-20) * (1 + abs(v.real)):
            return False
        if kind == "mpf" and mpmath.isfinite(v):
            return True
        return None
    except ZeroDivisionError:
        return False
    except (ValueError, TypeError, OverflowError, UnsupportedExpression):
        return None


#: functions that are real (and finite) at every real argument
_ENTIRE_REAL = (sympy.exp, sympy.sin, sympy.cos, sympy.atan, sympy.tanh, sympy.sinh, sympy.cosh, sympy.Abs, sympy.Max, sympy.Min)


def defined_everywhere(expr: Any) -> bool:
    """Whether ``expr`` is built only from rational numbers, real constants (pi, E), real
    symbols, ``+``, ``*``, powers whose exponent is a nonnegative integer (a number, or an
    expression sympy knows to be one, such as ``k`` declared a nonnegative integer) and
    functions real at every real argument (exp, sin, cos, atan, tanh, sinh, cosh, abs, max,
    min): a real number at every real point (no division, no root, no logarithm). False
    whenever in doubt."""
    if not isinstance(expr, sympy.Expr):
        return False
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Add, sympy.Mul, sympy.Rational, sympy.NumberSymbol, *_ENTIRE_REAL)):
            continue
        if isinstance(node, sympy.Symbol):
            if node.is_real is not True:
                return False
            continue
        if isinstance(node, sympy.Pow) and node.exp.is_integer is True and node.exp.is_nonnegative is True:
            continue
        return False
    return True


def _undefined_at(ctx: Context, answer: sympy.Expr, reference: sympy.Expr | None = None) -> dict[sympy.Symbol, Any] | None:
    """A domain point where the answer is not a real number (and the reference is), or None.

    Guards the z3 checks, whose translation of ``sqrt(u)`` assumes ``u >= 0`` and would
    otherwise prove a claim only where the answer happens to be defined.

    An answer :func:`defined_everywhere` (a polynomial, ``theta0*(1 - gamma*lambda)^k`` with
    ``k`` a nonnegative integer, ``exp`` of one) is a real number everywhere: no point is drawn
    for it."""
    if defined_everywhere(answer):
        return None
    pts = _domain_points(ctx, 6)
    if answer.has(sympy.I, sympy.zoo, sympy.nan) and pts:
        return pts[0]
    for p in pts:
        if _real_at(answer, ctx.vars, p) is False and (reference is None or _real_at(reference, ctx.vars, p)):
            return p
    return None


def _undefined_result(ctx: Context, p: dict[sympy.Symbol, Any]) -> Result:
    return ctx.result(
        "incorrect",
        f"Your answer is not a real number at {_point_text(p)}, which is in the domain of the question.",
        head="Not correct: your answer is not defined on the whole domain.",
        counterexample={**{str(k): _fmt(v) for k, v in p.items()}, "your value": "undefined"},
        evidence="Arb ball arithmetic / mpmath at an exact point",
    )


def _unknown_symbols(known: set[sympy.Symbol], *exprs: sympy.Expr) -> None:
    extra = set().union(*(e.free_symbols for e in exprs)) - known
    if extra:
        raise Invalid(f"unknown symbols {', '.join(sorted(map(str, extra)))}")


def _scalar_answer(ctx: Context, answer: Any) -> Result | None:
    """Validate a scalar answer over the exercise's variables.

    Raises :class:`Invalid` for a non-expression or a foreign symbol; returns the
    ``incorrect`` result when the answer is undefined somewhere on the domain, else None."""
    if not isinstance(answer, sympy.Expr):
        raise Invalid("expected an expression")
    _unknown_symbols(set(ctx.vars), answer)
    bad = _undefined_at(ctx, answer)
    return None if bad is None else _undefined_result(ctx, bad)
