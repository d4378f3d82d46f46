"""Equivalence and proportionality checks: numeric agreement first, then symbolic."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import sympy

from symbolic.compile import UnsupportedExpression

from .context import (
    SAMPLE_POINTS,
    SMALL_INTEGER_RANGE,
    Context,
    Invalid,
    Result,
    _ball_text,
    _fmt,
    _point_text,
    simplest_between,
)
from .evaluation import (
    _undefined_at,
    _undefined_result,
    _unknown_symbols,
    arb_eval,
    certainly_nonzero,
    mp_value,
)

# ------------------------------------------------------------------ equivalence


EXPAND_TERMS_LIMIT = 3000  # symbolic expansion is tried only when its result stays this small


def _expanded_terms(e: sympy.Basic, cap: int = 10**9) -> int:
    """An upper estimate of the number of terms of ``expand(e)`` (capped), computed without
    expanding: ``(a+b+c+d+e)^200`` would have ~7*10^7 terms and take gigabytes."""
    if isinstance(e, sympy.Add):
        return min(cap, sum(_expanded_terms(a, cap) for a in e.args))
    if isinstance(e, sympy.Mul):
        out = 1
        for a in e.args:
            out = min(cap, out * _expanded_terms(a, cap))
        return out
    if isinstance(e, sympy.Pow):
        t = _expanded_terms(e.base, cap)
        n = e.exp
        if isinstance(n, sympy.Integer) and t > 1:
            k = abs(int(n))
            if k > 10**6:
                return cap
            return min(cap, math.comb(k + t - 1, t - 1)) if t < 10**6 else cap
        return max(1, min(cap, t + _expanded_terms(n, cap)))
    inner = sum(_expanded_terms(a, cap) for a in e.args) if e.args else 1
    return max(1, min(cap, inner))


def _simplify_point(ctx: Context, p: dict[sympy.Symbol, Any], bad: Any) -> dict[sympy.Symbol, Any]:
    """A simpler point (small denominators) near ``p`` where ``bad`` (a rigorous test: Arb
    or exact) still holds, so the counterexample shown to a student is readable; ``p``
    itself when no simpler point is confirmed."""
    for v in ctx.vars:
        if v.name not in ctx.ex.domain or v not in p:
            continue
        lo, hi = ctx.ex.domain[v.name]
        x = Fraction(int(sympy.Rational(p[v]).p), int(sympy.Rational(p[v]).q))
        for rel in (Fraction(1, 10), Fraction(1, 100), Fraction(1, 10**4), Fraction(1, 10**6), Fraction(1, 10**9)):
            a, b = max(lo, x - (hi - lo) * rel), min(hi, x + (hi - lo) * rel)
            if not a < b:
                continue
            c = simplest_between(a, b)
            if c == x:
                break
            q = {**p, v: sympy.Rational(c.numerator, c.denominator)}
            try:
                ok = bool(bad(q))
            except (ValueError, ZeroDivisionError, TypeError, OverflowError, UnsupportedExpression):
                ok = False
            if ok:
                p = q
                break
    return p


def _symbolically_zero(d: sympy.Expr) -> bool:
    """``d == 0`` by sympy's expand/cancel, attempted only when the expansion stays small."""
    try:
        if d == 0:
            return True
        if _expanded_terms(d) > EXPAND_TERMS_LIMIT:
            return False
        if sympy.expand(d) == 0:
            return True
        return bool(sympy.cancel(sympy.expand(sympy.powsimp(d))) == 0)
    except (TypeError, NotImplementedError, ValueError, RecursionError):
        return False


def _differ(ctx: Context, a: sympy.Expr, b: sympy.Expr, npoints: int = SAMPLE_POINTS) -> tuple[str, dict[str, Any]]:
    """Compare two scalar expressions: ``("equal"|"differ"|"unknown", info)``.

    Numerically first (one point where the difference is certainly nonzero in Arb refutes
    equality, whatever its size), then symbolically when the expansion stays small. A point
    where the values disagree at 40 digits but Arb cannot confirm it blocks a numeric
    "equal" (it gives "unknown" unless sympy proves the difference is zero)."""
    _unknown_symbols(set(ctx.vars), a, b)
    d = a - b
    args = ctx.vars
    pts = ctx.sample_points(npoints)
    agree = 0
    unconfirmed = 0
    for p in pts:
        try:
            dv = mp_value(d, args, p)
            av = mp_value(a, args, p)
            bv = mp_value(b, args, p)
            small = abs(dv) <= 10 ** (-25) * (1 + abs(av) + abs(bv))
        except (ValueError, ZeroDivisionError, TypeError, OverflowError, UnsupportedExpression):
            continue
        if small:
            agree += 1
            continue
        try:
            nz, ball = certainly_nonzero(d, args, p)
        except UnsupportedExpression:
            return "unknown", {"why": "an expression cannot be evaluated rigorously"}
        if nz:
            p = _simplify_point(ctx, p, lambda q: certainly_nonzero(d, args, q)[0] is True)
            nz, ball = certainly_nonzero(d, args, p)
            if nz:  # re-confirmed at the point shown
                return "differ", {"point": p, "answer": arb_eval(a, args, p), "diff": ball}
        unconfirmed += 1
    integers = [v.name for v in args if v.name in ctx.ex.integer_domain]
    where = f"{agree} points of the domain (random large denominators, near its ends" + (f", every integer {'/'.join(integers)} of its range" if any(ctx.ex.integer_domain[n][1] - ctx.ex.integer_domain[n][0] < SMALL_INTEGER_RANGE for n in integers) else "") + f"; seed {ctx.seed})"
    if _symbolically_zero(d):
        return "equal", {"how": f"symbolically (sympy), and numerically at {where}"}
    if unconfirmed:
        return "unknown", {"why": "the answers disagree at some points, but the disagreement could not be confirmed rigorously"}
    if agree >= max(3, (2 * len(pts)) // 3):
        return "equal", {"how": f"numerically at {where}, 40 digits"}
    return "unknown", {"why": "the answers could not be compared at enough points"}


def check_equivalent(ctx: Context, answer: Any, reference: Any) -> Result:
    if ctx.ex.kind == "matrix":
        if not isinstance(answer, sympy.MatrixBase):
            raise Invalid("expected a matrix such as [[a, b], [c, d]]")
        if answer.shape != reference.shape:
            return ctx.result("incorrect", f"Your matrix has shape {answer.shape[0]}x{answer.shape[1]}; the question asks for a {reference.shape[0]}x{reference.shape[1]} matrix.")
        for i in range(reference.rows):
            for j in range(reference.cols):
                res = _compare_scalar(ctx, answer[i, j], reference[i, j], where=f"entry ({i + 1}, {j + 1})")
                if res.verdict != "correct":
                    return res
        return ctx.result("correct", evidence="every entry equal (symbolically or at random points)")
    if ctx.ex.kind in ("interval", "set"):
        return _compare_sets(ctx, answer, reference)
    return _compare_scalar(ctx, answer, reference)


def _compare_scalar(ctx: Context, a: sympy.Expr, b: sympy.Expr, where: str = "") -> Result:
    if not isinstance(a, sympy.Expr):
        raise Invalid("expected an expression")
    tol = ctx.ex.options.get("relative_tolerance")
    if tol is not None and not a.free_symbols and not b.free_symbols:
        av, bv = sympy.N(a, 30), sympy.N(b, 30)
        if abs(av - bv) <= sympy.Float(str(tol)) * abs(bv):
            return ctx.result("correct", evidence=f"within relative tolerance {tol}")
        return ctx.result("incorrect", f"Your value {sympy.N(a, 12)} is not within the relative tolerance {tol} of the expected value.", counterexample={"answer": str(sympy.N(a, 12))})
    if tol is None and not a.free_symbols and not b.free_symbols:
        return _compare_constants(ctx, a, b, where)
    if a.free_symbols <= set(ctx.vars):
        bad = _undefined_at(ctx, a, b)
        if bad is not None:
            return _undefined_result(ctx, bad)
    status, info = _differ(ctx, a, b)
    prefix = f"In {where}: " if where else ""
    if status == "equal":
        return ctx.result("correct", evidence=info["how"])
    if status == "differ":
        p = info["point"]
        at = f" at {_point_text(p)}" if p else ""
        detail = f"{prefix}your answer{at} evaluates to {_ball_text(info['answer'])}, which is not the right value there (verified with Arb ball arithmetic)."
        return ctx.result("incorrect", detail, counterexample={**{str(k): _fmt(v) for k, v in p.items()}, "your value": _ball_text(info["answer"])}, evidence="Arb ball arithmetic at an exact rational point")
    return ctx.result("undecided", prefix + info["why"])


def _compare_constants(ctx: Context, a: sympy.Expr, b: sympy.Expr, where: str = "") -> Result:
    """Two numbers without variables (both built exactly by our parser), compared exactly:
    rationals by rational arithmetic; otherwise a difference certainly nonzero in Arb
    refutes, and only an exact sympy simplification to zero (or an exactly zero ball) proves."""
    prefix = f"In {where}: " if where else ""
    d = a - b
    if isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational):
        if a == b:
            return ctx.result("correct", evidence="exact rational arithmetic")
        shown = _fmt(a) if len(_fmt(a)) <= 120 else str(arb_eval(a, [], {}, 256).str(40, radius=False))
        return ctx.result("incorrect", f"{prefix}your value {shown} is not the right value (compared exactly).", counterexample={"your value": shown}, evidence="exact rational arithmetic")
    try:
        nz, _ = certainly_nonzero(d, [], {})
        aball = arb_eval(a, [], {}, 256) if nz else None
    except UnsupportedExpression:
        nz, aball = None, None
    if nz:
        shown = _ball_text(aball)
        return ctx.result("incorrect", f"{prefix}your value {shown} is not the right value (verified with Arb ball arithmetic).", counterexample={"your value": shown}, evidence="Arb ball arithmetic (exact comparison of constants)")
    if nz is False or _symbolically_zero(d) or _simplifies_to_zero(d):
        return ctx.result("correct", evidence="exactly equal (exact arithmetic / sympy simplification)")
    return ctx.result("undecided", prefix + "the two numbers could not be compared exactly")


def _simplifies_to_zero(d: sympy.Expr) -> bool:
    """sympy's exact simplification of a small constant expression (no variables)."""
    if sympy.count_ops(d) > 60:
        return False
    try:
        return bool(sympy.simplify(d) == 0)
    except (TypeError, NotImplementedError, ValueError, RecursionError):
        return False


def _set_witness(s: sympy.Set) -> sympy.Expr | None:
    if s.is_empty:
        return None
    if isinstance(s, sympy.FiniteSet):
        return sorted(s.args, key=lambda e: sympy.N(e))[0]
    if isinstance(s, sympy.Interval):
        if s.start.is_finite and s.end.is_finite:
            return (s.start + s.end) / 2
        if s.start.is_finite:
            return s.start + 1
        if s.end.is_finite:
            return s.end - 1
        return sympy.Integer(0)
    if isinstance(s, sympy.Union):
        return _set_witness(s.args[0])
    return None


def _compare_sets(ctx: Context, a: Any, b: Any) -> Result:
    if not isinstance(a, sympy.Set):
        raise Invalid("expected a set or an interval")
    if a.free_symbols or b.free_symbols:
        return ctx.result("undecided", "sets with variables are not compared automatically")
    extra = sympy.Complement(a, b)
    missing = sympy.Complement(b, a)
    if extra.is_empty and missing.is_empty:
        return ctx.result("correct", evidence="exact set equality (sympy)")
    w = _set_witness(extra)
    if w is not None:
        return ctx.result("incorrect", f"{_fmt(w)} belongs to your set, but it should not.", counterexample={"element": _fmt(w), "in": "answer only"}, evidence="exact")
    w = _set_witness(missing)
    if w is not None:
        return ctx.result("incorrect", f"{_fmt(w)} is missing from your set.", counterexample={"element": _fmt(w), "in": "expected only"}, evidence="exact")
    return ctx.result("undecided", "the sets could not be compared exactly")


# ------------------------------------------------------------------ proportional


def check_proportional(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    if not isinstance(answer, sympy.Expr):
        raise Invalid("expected an expression")
    if answer == 0:
        return ctx.result("incorrect", "The zero function is not a probability density.")
    ratio = sympy.powsimp(answer / reference)
    pts = ctx.sample_points(SAMPLE_POINTS)
    args = ctx.vars
    ratio_simplified = sympy.simplify(ratio) if sympy.count_ops(ratio) < 80 else ratio
    if not (ratio_simplified.free_symbols & set(args)):
        c = ratio_simplified
        if c.is_positive:
            return ctx.result("correct", evidence="the ratio to the expected function is a positive constant (symbolic)")
        if c.is_negative or c.is_zero:
            return ctx.result("incorrect", "Your function is not positive: a density must be.", counterexample={"ratio": _fmt(c)})
    unconfirmed = 0
    try:
        base = None
        for p in pts:
            v = mp_value(ratio, args, p)
            if base is None:
                base = (p, v)
                continue
            if abs(v - base[1]) > 10 ** (-25) * (1 + abs(v)):
                unconfirmed += 1
                diff = ratio - ratio.subs(base[0])
                nz, ball = certainly_nonzero(diff, args, p)
                if nz:
                    return ctx.result(
                        "incorrect",
                        f"Your function is not proportional to the stationary density: its ratio to it at {_point_text(p)} and at {_point_text(base[0])} differ (Arb ball of the difference {_ball_text(ball)}).",
                        counterexample={"point 1": _point_text(base[0]), "point 2": _point_text(p)},
                        evidence="Arb ball arithmetic at exact points",
                    )
        if unconfirmed:
            return ctx.result("undecided", "the ratio to the expected function varies at some points, but this could not be confirmed rigorously")
        if base is not None and base[1] > 0:
            return ctx.result("correct", evidence=f"constant positive ratio at {len(pts)} points of the domain (random large denominators and near its ends; seed {ctx.seed}), 40 digits")
        if base is not None and base[1] <= 0:
            return ctx.result("incorrect", "Your function is not positive: a density must be.")
    except (ValueError, ZeroDivisionError, TypeError, UnsupportedExpression):
        pass
    return ctx.result("undecided", "the ratio could not be evaluated")
