"""Equivalence and proportionality checks: numeric agreement first, then symbolic."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import sympy

from symbolic.compile import UnsupportedExpression

from .context import (
    _EXERCISE_PARSES,
    SAMPLE_POINTS,
    SMALL_INTEGER_RANGE,
    Context,
    Invalid,
    Result,
    _ball_text,
    _fmt,
    _point_text,
    _remember,
    simplest_between,
)
from .evaluation import (
    _undefined_at,
    _undefined_result,
    _unknown_symbols,
    arb_eval,
    certainly_nonzero,
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
                ok = ctx.admissible(q) and bool(bad(q))
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


PRECISIONS = (128, 512, 2048, 8192)  # bits of the Arb evaluations that look for a difference
_NON_ANALYTIC = (sympy.Abs, sympy.Max, sympy.Min, sympy.sign, sympy.floor, sympy.ceiling, sympy.Piecewise, sympy.Heaviside)


def _nonzero_ball(d: sympy.Expr, args: list[sympy.Symbol], p: dict[sympy.Symbol, Any], bits: int) -> Any | None:
    """The Arb ball of ``d`` at ``p`` when it certainly excludes 0, else None."""
    try:
        ball = arb_eval(d, args, p, bits)
    except (ValueError, ZeroDivisionError):
        return None
    if ball.is_finite() and (ball > 0 or ball < 0):
        return ball
    return None


def _exact_at(d: sympy.Expr, ctx: Context, p: dict[sympy.Symbol, Any]) -> sympy.Rational | None:
    """``d`` at ``p`` exactly, when d is (for the integer variables' values at p) a rational
    function of the continuous variables with rational coefficients: there, exact evaluation
    at random rational points is a sound identity test (Schwartz-Zippel). None otherwise."""
    ints = {v: p[v] for v in ctx.vars if v.name in ctx.ex.integer_domain and v in p}
    e = d.subs(ints) if ints else d
    cont = [v for v in ctx.vars if v not in ints]
    if e.has(*_NON_ANALYTIC) or e.has(sympy.Float) or not e.is_rational_function(*cont):
        return None
    if any(not c.is_Rational for c in e.atoms(sympy.Number)):
        return None
    try:
        value = e.subs({v: p[v] for v in cont})
    except (ZeroDivisionError, ValueError):
        return None
    return value if isinstance(value, sympy.Rational) else None


def _differ(ctx: Context, a: sympy.Expr, b: sympy.Expr, npoints: int = SAMPLE_POINTS) -> tuple[str, dict[str, Any]]:
    """Decide whether two scalar expressions are equal on the domain: ``("equal"|"differ"|"unknown", info)``.

    ``equal`` means exact equality, never agreement to some digits: sympy's expand/cancel
    gives 0, or (for rational functions) the difference is exactly 0 at every sampled rational
    point, or (only when the exercise sets ``relative_tolerance``) the difference's Arb ball is
    within that tolerance everywhere. ``differ`` means an Arb ball of the difference excludes 0
    at a sampled point, the precision raised from 128 to 8192 bits (a perturbation of 10^-30 or
    10^-1000 is found). Anything else is ``unknown`` (undecided: graded by hand)."""
    _unknown_symbols(set(ctx.vars), a, b)
    d = a - b
    args = list(ctx.vars)
    pts = ctx.sample_points(npoints)
    prefix_bits = PRECISIONS[0]
    evaluated: list[dict[sympy.Symbol, Any]] = []
    try:
        for p in pts:
            # one Arb evaluation per point (at prefix_bits); a point where it fails still
            # counts as evaluated when a 64-bit evaluation succeeds (the rule before)
            try:
                ball = arb_eval(d, args, p, prefix_bits)
            except (ValueError, ZeroDivisionError):
                try:
                    arb_eval(d, args, p, 64)
                except (ValueError, ZeroDivisionError):
                    continue
                evaluated.append(p)
                continue
            evaluated.append(p)
            if ball.is_finite() and (ball > 0 or ball < 0):
                return _differ_at(ctx, a, d, args, p)
    except UnsupportedExpression:
        return _symbolic_only(d)
    integers = [v.name for v in args if v.name in ctx.ex.integer_domain]
    where = f"{len(evaluated)} points of the domain (random large denominators, near its ends" + (f", every integer {'/'.join(integers)} of its range" if any(ctx.ex.integer_domain[n][1] - ctx.ex.integer_domain[n][0] < SMALL_INTEGER_RANGE for n in integers) else "") + f"; seed {ctx.seed})"
    if _symbolically_zero(d):
        return "equal", {"how": f"symbolically (sympy expand/cancel); no difference at {where} (Arb, {prefix_bits} bits)"}
    if len(evaluated) < 3:
        return "unknown", {"why": "the answers could not be compared at enough points"}
    exact = [_exact_at(d, ctx, p) for p in evaluated]
    if all(v is not None for v in exact):
        for p, v in zip(evaluated, exact, strict=True):
            if v != 0:
                return _differ_at(ctx, a, d, args, p)
        return "equal", {"how": f"exactly 0 at {where}: exact rational arithmetic on a rational function (polynomial identity testing)"}
    for bits in PRECISIONS[1:]:
        for p in evaluated:
            if _nonzero_ball(d, args, p, bits) is not None:
                return _differ_at(ctx, a, d, args, p, bits)
    tol = ctx.ex.options.get("relative_tolerance")
    if tol is not None:
        q = Fraction(str(tol))
        ok = True
        for p in evaluated:
            try:
                slack = arb_eval(abs(b) * sympy.Rational(q.numerator, q.denominator) - abs(d), args, p, PRECISIONS[-1])
            except (ValueError, ZeroDivisionError):
                ok = False
                break
            if not slack >= 0:
                ok = False
                break
        if ok:
            return "equal", {"how": f"within the exercise's relative tolerance {tol} at {where} (Arb, {PRECISIONS[-1]} bits)"}
    return "unknown", {"why": f"the answers agree to {PRECISIONS[-1]} bits at every point tried, but their equality could not be proved"}


PROBE_FRACTIONS = (Fraction(1, 2), Fraction(1, 3))  # where in each variable's range the probe points lie


def probe_points(ctx: Context) -> list[dict[sympy.Symbol, Any]]:
    """A few fixed exact points of the domain (each variable at 1/2 and 1/3 of its range, a
    dependent range evaluated at the point; an integer variable at its middle and its lower
    end) that satisfy the constraints: the same for every answer and drawn from no RNG."""
    key = (*ctx._draw_key(), "probe points", "")
    cache = _EXERCISE_PARSES.get(key)
    if cache is not None:
        return list(cache)
    pts: list[dict[sympy.Symbol, Any]] = []
    for i, t in enumerate(PROBE_FRACTIONS):
        p: dict[sympy.Symbol, Any] = {}
        for v in ctx.vars:
            if v.name in ctx.ex.integer_domain:
                lo_i, hi_i = ctx.ex.integer_domain[v.name]
                p[v] = sympy.Integer((lo_i + hi_i) // 2 if i == 0 else lo_i)
            elif v.name in ctx.ex.domain:
                lo, hi = ctx.ex.domain[v.name]
                q = lo + (hi - lo) * t
                p[v] = sympy.Rational(q.numerator, q.denominator)
        todo = [v for v in ctx.vars if v.name in ctx.ex.dependent_domain]
        for _ in range(len(todo)):  # dependent ranges, in an order where their bounds are known
            for v in list(todo):
                lo_t, hi_t = ctx.ex.dependent_domain[v.name]
                if not (ctx._parsed(lo_t).free_symbols | ctx._parsed(hi_t).free_symbols) & set(ctx.vars) <= set(p):
                    continue
                todo.remove(v)
                lo_d, hi_d = ctx._bound_value(lo_t, p, False), ctx._bound_value(hi_t, p, True)
                if lo_d is not None and hi_d is not None and lo_d < hi_d:
                    q = lo_d + (hi_d - lo_d) * t
                    p[v] = sympy.Rational(q.numerator, q.denominator)
        if len(p) == len(ctx.vars) and ctx.admissible(p):
            pts.append(p)
    _remember(key, pts)
    return list(pts)


def certainly_less_at(ctx: Context, a: Any, b: Any) -> dict[sympy.Symbol, Any] | None:
    """A probe point (:func:`probe_points`) where ``a < b`` certainly (the Arb ball of ``a`` at
    128 bits lies below that of ``b``, both finite), or None (which decides nothing)."""
    return _probe(ctx, a, b, lambda ba, bb: bool(ba < bb))


def certainly_different_at(ctx: Context, a: Any, b: Any) -> dict[sympy.Symbol, Any] | None:
    """A probe point (:func:`probe_points`) where the scalars ``a`` and ``b`` certainly differ
    (their Arb balls at 128 bits are finite and disjoint), or None. A cheap test that can only
    say "different": None decides nothing."""
    return _probe(ctx, a, b, lambda ba, bb: bool(ba > bb or ba < bb))


def _probe(ctx: Context, a: Any, b: Any, holds: Any) -> dict[sympy.Symbol, Any] | None:
    """The first probe point where ``holds(ball_a, ball_b)`` for finite Arb balls at 128 bits."""
    if not (isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr)) or not (a.free_symbols | b.free_symbols) <= set(ctx.vars):
        return None
    args = list(ctx.vars)
    for p in probe_points(ctx):
        try:
            ba, bb = arb_eval(a, args, p, 128), arb_eval(b, args, p, 128)
        except (ValueError, ZeroDivisionError, UnsupportedExpression):
            continue
        if ba.is_finite() and bb.is_finite() and holds(ba, bb):
            return p
    return None


def _symbolic_only(d: sympy.Expr) -> tuple[str, dict[str, Any]]:
    if _symbolically_zero(d):
        return "equal", {"how": "symbolically (sympy expand/cancel)"}
    return "unknown", {"why": "an expression cannot be evaluated rigorously"}


def _differ_at(ctx: Context, a: sympy.Expr, d: sympy.Expr, args: list[sympy.Symbol], p: dict[sympy.Symbol, Any], bits: int = PRECISIONS[0]) -> tuple[str, dict[str, Any]]:
    """A confirmed difference at ``p``: moved to a simpler point where it is still confirmed."""
    bits = next((b for b in PRECISIONS if b >= bits and _nonzero_ball(d, args, p, b) is not None), bits)
    p = _simplify_point(ctx, p, lambda q: _nonzero_ball(d, args, q, bits) is not None)
    ball = _nonzero_ball(d, args, p, bits)
    if ball is None:  # pragma: no cover - _simplify_point keeps a confirmed point
        return "unknown", {"why": "a difference could not be re-confirmed"}
    return "differ", {"point": p, "answer": arb_eval(a, args, p, max(bits, 256)), "diff": ball}


def check_equivalent(ctx: Context, answer: Any, reference: Any) -> Result:
    if ctx.ex.kind in ("matrix", "vector"):
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


def check_proportional(ctx: Context, answer: Any, reference: Any) -> Result:
    """Equal up to a constant factor: positive (densities, the default ``sign = "positive"``) or
    any nonzero one (``sign = "any"``, the default for vectors: eigenvectors up to a scalar).

    Scalars: the ratio answer/reference must be constant, decided like equality (the ratio
    simplifies to a constant, or ratio(p) - ratio(p0) is exactly 0, or an Arb ball of it
    excludes 0 -> incorrect). Vectors: every 2x2 minor a_i r_j - a_j r_i is 0 (decided like
    equality) and the answer is not the zero vector."""
    sign = ctx.ex.options.get("sign", "any" if ctx.ex.kind == "vector" else "positive")
    if ctx.ex.kind == "vector":
        return _proportional_vector(ctx, answer, reference, sign)
    if not isinstance(answer, sympy.Expr):
        raise Invalid("expected an expression")
    _unknown_symbols(set(ctx.vars), answer)
    if answer == 0:
        return ctx.result("incorrect", "The zero function is not proportional to a nonzero one (and is not a probability density).", counterexample={"your value": "0"})
    bad = _undefined_at(ctx, answer, reference)
    if bad is not None:
        return _undefined_result(ctx, bad)
    ratio = sympy.powsimp(answer / reference)
    args = list(ctx.vars)
    # sampling first (a confirmed sign or non-constant ratio, or an exact constant ratio decides);
    # sympy's simplify only when sampling leaves the verdict open
    numeric = _proportional_sampled(ctx, ratio, args, sign)
    if numeric.verdict in ("correct", "incorrect"):
        return numeric
    ratio_simplified = sympy.simplify(ratio) if sympy.count_ops(ratio) < 80 else ratio
    if not (ratio_simplified.free_symbols & set(args)):
        c = ratio_simplified
        if c.is_zero:
            return ctx.result("incorrect", "Your function is 0 on the domain.", counterexample={"ratio": "0"})
        if sign == "positive" and c.is_negative:
            return ctx.result("incorrect", "Your function is not positive: a density must be.", counterexample={"ratio": _fmt(c)})
        if c.is_positive or (sign == "any" and c.is_nonzero):
            return ctx.result("correct", evidence="the ratio to the expected function is a nonzero constant (symbolic)")
    return numeric


def _proportional_sampled(ctx: Context, ratio: sympy.Expr, args: list[sympy.Symbol], sign: str) -> Result:
    """The ratio at sampled points: its sign at the first (Arb), its constancy by :func:`_differ`."""
    pts = ctx.sample_points(SAMPLE_POINTS)
    if not pts:
        return ctx.result("undecided", "the ratio could not be evaluated")
    base = pts[0]
    try:
        r0 = arb_eval(ratio, args, base, 256)
    except (ValueError, ZeroDivisionError, UnsupportedExpression):
        return ctx.result("undecided", "the ratio could not be evaluated")
    if sign == "positive" and r0 < 0:
        base = _simplify_point(ctx, base, lambda q: bool(arb_eval(ratio, args, q, 256) < 0))  # a readable point, still confirmed
        return ctx.result("incorrect", f"Your function is not positive at {_point_text(base)}: a density must be.", counterexample={str(k): _fmt(v) for k, v in base.items()}, evidence="Arb ball arithmetic")
    status, info = _differ(ctx, ratio, ratio.subs(base))
    if status == "differ":
        p = info["point"]
        return ctx.result(
            "incorrect",
            f"Your function is not proportional to the expected one: its ratio to it at {_point_text(p)} and at {_point_text(base)} differ (Arb ball of the difference {_ball_text(info['diff'])}).",
            counterexample={"point 1": _point_text(base), "point 2": _point_text(p)},
            evidence="Arb ball arithmetic at exact points",
        )
    if status == "equal":
        if r0 > 0 or (sign == "any" and (r0 < 0)):
            return ctx.result("correct", evidence="constant nonzero ratio: " + info["how"])
    return ctx.result("undecided", "the ratio to the expected function could not be shown constant: " + info.get("why", "its sign is not certain"))


def _proportional_vector(ctx: Context, answer: Any, reference: Any, sign: str) -> Result:
    if not isinstance(answer, sympy.MatrixBase):
        raise Invalid("expected a vector such as [1, -2]")
    a, r = list(answer), list(reference)
    if len(a) != len(r):
        return ctx.result("incorrect", f"Your vector has {len(a)} entries; the question asks for a vector with {len(r)}.", counterexample={"entries": str(len(a))})
    if all(x == 0 for x in a):
        return ctx.result("incorrect", "The zero vector is not an eigenvector (and is a multiple of every vector).", counterexample={"your value": "0"})
    for x in a:
        _unknown_symbols(set(ctx.vars), x)
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            minor = a[i] * r[j] - a[j] * r[i]
            if minor == 0:
                continue
            status, info = _differ(ctx, minor, sympy.Integer(0)) if minor.free_symbols else _constant_status(minor)
            if status == "differ":
                return ctx.result("incorrect", f"Your vector is not a multiple of an expected one: entries {i + 1} and {j + 1} are not in the right proportion.", counterexample={"entries": f"{i + 1}, {j + 1}"}, evidence="exact / Arb ball arithmetic")
            if status != "equal":
                return ctx.result("undecided", "the proportion of your vector's entries could not be decided")
    dot = sum((x * y for x, y in zip(a, r, strict=True)), sympy.Integer(0))
    if sign == "positive" and not dot.free_symbols and dot.is_negative:
        return ctx.result("incorrect", "Your vector points the opposite way.", counterexample={"scalar": "negative"})
    return ctx.result("correct", evidence="proportional to the expected vector (every 2x2 minor exactly 0)")


def _constant_status(x: sympy.Expr) -> tuple[str, dict[str, Any]]:
    if isinstance(x, sympy.Rational):
        return ("equal", {}) if x == 0 else ("differ", {})
    nz, _ = certainly_nonzero(x, [], {})
    if nz:
        return "differ", {}
    if nz is False or _symbolically_zero(x) or _simplifies_to_zero(x):
        return "equal", {}
    return "unknown", {}
