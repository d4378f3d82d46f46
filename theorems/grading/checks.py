"""Answer checks: each turns a parsed answer into a verdict, a score and feedback.

Verdicts: ``correct``; ``not_sharp`` (the answer's property holds but a sharper answer
exists: partial credit); ``incorrect`` (always with a counterexample confirmed in Arb
ball arithmetic, by exact rationals or by z3 with an exact re-check); ``undecided``
(timeout, or nothing could be concluded: never marked wrong); ``invalid`` (the input
could not be read; the message says where).

Feedback names the failing point or objective, never the reference answer.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy
from hypothesis import strategies as st

from symbolic import (
    ArbBackend,
    Bound,
    Case,
    CheckSettings,
    Claim,
    Implication,
    MPBackend,
    Verdict,
    arb_precision,
)
from symbolic.compile import UnsupportedExpression, compiled
from symbolic.families import polynomials, smooth_objectives
from symbolic.objectives import Constants, Objective, coordinates
from symbolic.parsing import (
    Limits,
    ParseError,
    Vocabulary,
    parse_expression,
    parse_interval,
    parse_matrix,
    parse_number,
    parse_relation,
    parse_set,
)
from theorems.cases import objective_cases, scalar_cases

from .exercise import Exercise

ANSWER_LIMITS = Limits(max_length=1000, max_depth=30, max_exponent=200, max_nodes=600, max_value_digits=400)


@dataclass
class Result:
    """The grade of one answer."""

    verdict: str
    score: float | None
    feedback: str
    evidence: str = ""
    counterexample: dict[str, str] | None = None
    normalized: str = ""  # canonical form of the answer (for the class summary)
    params: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", {})} | {"score": self.score}


class Invalid(Exception):
    """The answer cannot be read (its message is shown to the student)."""


def _fmt(v: Any) -> str:
    if isinstance(v, Fraction):
        v = sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, sympy.Basic):
        return sympy.sstr(v)
    return str(v)


def _point_text(point: dict[sympy.Symbol, Any]) -> str:
    return ", ".join(f"{k} = {_fmt(v)}" for k, v in point.items())


def _ball_text(ball: Any) -> str:
    """A ball (or its printed form) with its digits shortened for feedback."""
    if not isinstance(ball, str):
        try:
            return str(ball.str(12, radius=False))
        except (TypeError, AttributeError):
            ball = str(ball)
    return re.sub(r"(\d\.\d{12})\d+", r"\1", ball)


def simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The fraction with the smallest denominator strictly between lo < hi.

    Continued fractions (Stern-Brocot), so a tiny interval such as (1/3, 1/3 + 10^-20)
    costs a few dozen steps, not 10^20; ``hi <= lo`` is refused."""
    if not lo < hi:
        raise ValueError(f"simplest_between needs lo < hi, got {lo} >= {hi}")
    return _simplest_open(Fraction(lo), Fraction(hi))


def _simplest_open(lo: Fraction, hi: Fraction | None) -> Fraction:
    """The simplest rational in the open interval (lo, hi); ``hi = None`` is +infinity."""
    steps: list[int] = []
    while True:
        fl = lo.__floor__()
        if hi is None or fl + 1 < hi:
            value = Fraction(fl + 1)
            break
        # fl <= lo < hi <= fl + 1: write x = fl + 1/y with y in (1/(hi - fl), 1/(lo - fl))
        steps.append(fl)
        frac_lo = lo - fl
        lo, hi = 1 / (hi - fl), (None if frac_lo == 0 else 1 / frac_lo)
    for fl in reversed(steps):
        value = fl + 1 / value
    return value


# ------------------------------------------------------------------ context

SMALL_INTEGER_RANGE = 50  # integer variables with at most this many values are sampled exhaustively
SAMPLE_POINTS = 28  # points of the numeric agreement checks
_NEAR_END = (3, 6, 9, 12)  # a near-end point lies within 10^-j of the range's length from the end


def _random_in(rng: random.Random, lo: Fraction, hi: Fraction, mode: str) -> Fraction:
    """A rational strictly inside (lo, hi) with a large random denominator: anywhere (``"in"``),
    or within a random small fraction of the length from ``lo`` or ``hi``."""
    den = rng.randint(10**9, 2 * 10**9)
    if mode == "in":
        t = Fraction(rng.randint(1, den - 1), den)
    else:
        j = rng.choice(_NEAR_END)
        t = Fraction(rng.randint(1, den - 1), den * 10**j)
        if mode == "hi":
            t = 1 - t
    return lo + (hi - lo) * t



class Context:
    """What a check needs: the exercise, drawn parameters, symbols, settings and a seeded RNG."""

    def __init__(self, ex: Exercise, params: dict[str, sympy.Rational], seed_text: str) -> None:
        self.ex = ex
        self.params = params
        syms = ex.sympy_symbols()
        self.param_symbols = {syms[n]: v for n, v in params.items()}
        self.vars = [syms[n] for n in ex.variables]
        self.symbols = syms
        seed = int.from_bytes(hashlib.sha256(f"{ex.id}|{seed_text}".encode()).digest()[:4], "big")
        self.seed = seed
        self.rng = random.Random(seed)
        self.settings = CheckSettings(examples=int(ex.options.get("examples", 30)), digits=40, seed=seed, local_search=1)

    def vocabulary(self) -> Vocabulary:
        names = {n: self.symbols[n] for n in (*self.ex.variables, *self.ex.parameters)}
        for alias, target in self.ex.aliases.items():
            if target in names:
                names.setdefault(alias, names[target])
        return Vocabulary(names)

    def parse(self, text: str, kind: str | None = None, *, trusted: bool = False) -> Any:
        kind = kind or self.ex.kind
        voc = self.vocabulary()
        limits = Limits() if trusted else ANSWER_LIMITS
        try:
            if kind in ("expression", "function"):
                value = parse_expression(text, voc, limits=limits)
            elif kind == "number":
                value = parse_number(text, voc, limits=limits) if not self.ex.parameters else parse_expression(text, voc, limits=limits)
            elif kind == "matrix":
                value = parse_matrix(text, voc, limits=limits)
            elif kind == "interval":
                value = parse_interval(text, voc, limits=limits)
            elif kind == "set":
                value = parse_set(text, voc, limits=limits)
            elif kind == "relation":
                value = parse_relation(text, voc, limits=limits)
            else:  # pragma: no cover - validated on load
                raise Invalid(f"unknown answer kind {kind}")
        except ParseError as exc:
            raise Invalid(str(exc)) from None
        if self.param_symbols:
            value = value.subs(self.param_symbols) if not isinstance(value, sympy.MatrixBase) else value.subs(self.param_symbols)
        return value

    def sample_points(self, n: int) -> list[dict[sympy.Symbol, sympy.Rational]]:
        """At least ``n`` exact rational points of the domain (endpoints excluded), deterministic
        per answer (the context's seed).

        Each continuous coordinate is, independently per variable and in shuffled order, a
        random rational with a large random denominator (so no answer periodic on a grid
        passes), or a point near one end of its range (at relative distances from 10^-3 down
        to 10^-12, so a difference confined to the last thousandth of a range is seen). An
        integer variable with at most ``SMALL_INTEGER_RANGE`` values takes every one of them
        (``n`` is raised to that count); a larger range is sampled uniformly, its ends included.
        """
        sizes = [ihi - ilo + 1 for name, (ilo, ihi) in self.ex.integer_domain.items() if name in self.ex.variables]
        n = max([n, *(k for k in sizes if k <= SMALL_INTEGER_RANGE)])
        columns: dict[sympy.Symbol, list[sympy.Rational]] = {}
        for v in self.vars:
            name = v.name
            if name in self.ex.integer_domain:
                ilo, ihi = self.ex.integer_domain[name]
                if ihi - ilo + 1 <= SMALL_INTEGER_RANGE:
                    vals = list(range(ilo, ihi + 1))
                    vals += [self.rng.randint(ilo, ihi) for _ in range(n - len(vals))]
                else:
                    vals = [ilo, ihi] + [self.rng.randint(ilo, ihi) for _ in range(n - 2)]
                    vals = vals[:n]
                self.rng.shuffle(vals)
                columns[v] = [sympy.Integer(k) for k in vals]
            elif name in self.ex.domain:
                lo, hi = self.ex.domain[name]
                near = max(1, n // 8)
                modes = ["lo"] * near + ["hi"] * near + ["in"] * (n - 2 * near)
                self.rng.shuffle(modes)
                col = []
                for mode in modes:
                    q = _random_in(self.rng, lo, hi, mode)
                    col.append(sympy.Rational(q.numerator, q.denominator))
                columns[v] = col
        return [{v: col[i] for v, col in columns.items()} for i in range(n)]

    def domain_hypotheses(self) -> list[Any]:
        hyps: list[Any] = []
        for v in self.vars:
            if v.name in self.ex.domain:
                lo, hi = self.ex.domain[v.name]
                hyps += [v >= sympy.Rational(lo.numerator, lo.denominator), v <= sympy.Rational(hi.numerator, hi.denominator)]
            elif v.name in self.ex.integer_domain:
                ilo, ihi = self.ex.integer_domain[v.name]
                hyps += [v >= ilo, v <= ihi]
        return hyps

    def result(self, verdict: str, detail: str = "", *, head: str | None = None, **kw: Any) -> Result:
        ex = self.ex
        score = {"correct": 1.0, "not_sharp": ex.partial_credit, "incorrect": 0.0, "invalid": 0.0}.get(verdict)
        head = head or ex.feedback.get(verdict, DEFAULT_FEEDBACK[verdict])
        text = head + ("\n\n" + detail if detail else "")
        return Result(verdict, score, text, params={k: _fmt(v) for k, v in self.params.items()}, **kw)


DEFAULT_FEEDBACK = {
    "correct": "Correct.",
    "not_sharp": "Your answer is valid, but it is not the sharpest possible: it can be improved.",
    "incorrect": "Not correct.",
    "undecided": "Your answer could not be graded automatically; it will be reviewed by hand (it is not marked wrong).",
    "invalid": "Your answer could not be read.",
}


# ------------------------------------------------------------------ evaluation helpers


def arb_eval(expr: sympy.Expr, args: Sequence[sympy.Symbol], point: dict[sympy.Symbol, Any], bits: int = 256) -> Any:
    """An Arb ball enclosing ``expr`` at the exact point (compiled, never lambdified)."""
    fn = compiled([expr], list(args))
    B = ArbBackend(bits)
    with arb_precision(bits):
        vals = [B.num(Fraction(int(sympy.Rational(point[a]).p), int(sympy.Rational(point[a]).q))) for a in args]
        return fn(B, vals)[0]


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
        pts += [dict(zip(ctx.vars, c, strict=True)) for c in itertools.product(*corners)]
    return pts


def _real_at(expr: sympy.Expr, args: Sequence[sympy.Symbol], p: dict[sympy.Symbol, Any]) -> bool | None:
    """True: a finite real number at p; False: certainly not real (mpmath gives a complex
    value with a nonzero imaginary part, or a division by zero); None: unknown.

    A non-finite Arb enclosure only means the ball arithmetic overflowed or lost all precision
    (``exp(exp(exp(8)))``): that is "cannot decide here", never evidence of non-reality."""
    import mpmath

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


def _undefined_at(ctx: Context, answer: sympy.Expr, reference: sympy.Expr | None = None) -> dict[sympy.Symbol, Any] | None:
    """A domain point where the answer is not a real number (and the reference is), or None.

    Guards the z3 checks, whose translation of ``sqrt(u)`` assumes ``u >= 0`` and would
    otherwise prove a claim only where the answer happens to be defined."""
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


# ------------------------------------------------------------------ bound / largest (z3, numeric fallback)


def _z3(name: str, hyps: list[Any], concl: Any, seconds: float = 4.0) -> tuple[Verdict, dict[str, str] | None]:
    try:
        out = Implication(name, hypotheses=hyps, conclusion=concl, timeout_ms=int(seconds * 1000)).run(CheckSettings())
    except (TypeError, ValueError, ZeroDivisionError):  # e.g. the exact re-check meets a pole
        return Verdict.UNDECIDED, None
    return out.verdict, out.evidence.counterexample


def _relational_ok(expr: sympy.Expr) -> bool:
    return all(isinstance(f, sympy.Abs | sympy.Max | sympy.Min) for f in expr.atoms(sympy.Function))


def _numeric_violation(ctx: Context, margin: sympy.Expr, n: int = 24) -> dict[sympy.Symbol, Any] | None:
    """A point of the domain where ``margin < 0`` (confirmed in Arb), or None."""
    args = ctx.vars
    pts = ctx.sample_points(n)
    corners = []
    for v in args:
        if v.name in ctx.ex.domain:
            lo, hi = ctx.ex.domain[v.name]
            corners.append([sympy.Rational(lo.numerator, lo.denominator), sympy.Rational(hi.numerator, hi.denominator)])
    if len(corners) == len(args) and args:
        import itertools

        pts += [dict(zip(args, c, strict=True)) for c in itertools.product(*corners)]
    for p in pts:
        try:
            v = mp_value(margin, args, p)
        except (ValueError, ZeroDivisionError, TypeError, UnsupportedExpression):
            continue
        if v < 0:
            with arb_precision(256):
                ball = arb_eval(margin, args, p)
            if ball < 0:
                return _simplify_point(ctx, p, lambda q: arb_eval(margin, args, q) < 0)
    return None


def _sharpness(ctx: Context, answer: sympy.Expr, reference: sympy.Expr, sharp_rel: Any, *, z3_ok: bool = True) -> tuple[str, str]:
    """Is a valid answer also sharp (equal to the reference on the whole domain)?

    ``sharp_rel`` is the relation that, together with validity, means equality (e.g.
    ``answer <= reference`` for a valid ``answer >= reference``). z3 decides it on the
    domain when the expressions allow it (a refutation comes with a model re-checked
    exactly); otherwise the numeric comparison of :func:`_differ` (random points, points
    near the ends of the domain, its corners). Returns ("equal"|"differ"|"unknown", how)."""
    if z3_ok and _relational_ok(answer) and _relational_ok(reference):
        verdict, ce = _z3("sharp", ctx.domain_hypotheses(), sharp_rel)
        if verdict is Verdict.PROVED:
            return "equal", "z3 proof of sharpness on the domain"
        if verdict is Verdict.REFUTED and ce is not None:
            shown = ", ".join(f"{k} = {v}" for k, v in ce.items() if k in ctx.ex.variables)
            return "differ", f"z3 model (re-checked exactly) where a sharper value exists: {shown}"
    status, info = _differ(ctx, answer, reference)
    if status == "equal":
        return "equal", info["how"]
    if status == "differ":
        return "differ", f"differs from the sharpest value at {_point_text(info['point'])} (Arb ball arithmetic)"
    return "unknown", info["why"]


def check_bound(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """The answer must be ``>=`` (direction ">=") or ``<=`` the reference on the whole domain."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    direction = ctx.ex.options.get("direction", ">=")
    valid_rel = (answer >= reference) if direction == ">=" else (answer <= reference)
    hyps = ctx.domain_hypotheses()
    what = ctx.ex.options.get("what", "the quantity")
    verdict, ce = (Verdict.UNDECIDED, None)
    if _relational_ok(answer) and _relational_ok(reference):
        verdict, ce = _z3("validity", hyps, valid_rel)
    if verdict is Verdict.REFUTED and ce is not None:
        shown = {k: v for k, v in ce.items() if k in ctx.ex.variables}
        return ctx.result(
            "incorrect",
            f"At {', '.join(f'{k} = {v}' for k, v in shown.items())} your answer is {'smaller' if direction == '>=' else 'larger'} than {what} guaranteed by the theorem, so it is not a valid {'upper' if direction == '>=' else 'lower'} bound.",
            counterexample=shown,
            evidence="z3 model, re-checked exactly",
        )
    margin = (answer - reference) if direction == ">=" else (reference - answer)
    if verdict is not Verdict.PROVED:
        p = _numeric_violation(ctx, margin)
        if p is not None:
            return ctx.result(
                "incorrect",
                f"At {_point_text(p)} your answer is {'smaller' if direction == '>=' else 'larger'} than {what} guaranteed by the theorem (confirmed in Arb ball arithmetic).",
                counterexample={str(k): _fmt(v) for k, v in p.items()},
                evidence="Arb ball arithmetic",
            )
    sharp_rel = (answer <= reference) if direction == ">=" else (answer >= reference)
    status, sharp_how = _sharpness(ctx, answer, reference, sharp_rel)
    how = "z3 proof on the domain" if verdict is Verdict.PROVED else "no violation at random points, near the ends of the domain and at its corners (not a proof)"
    how += "; sharpness: " + sharp_how
    if status == "equal":
        return ctx.result("correct", evidence=how)
    if status == "differ":
        return ctx.result("not_sharp", ctx.ex.feedback.get("not_sharp_detail", ""), evidence=how)
    return ctx.result("undecided", "could not compare with the sharpest bound", evidence=how)


def check_largest(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """``property(v)`` must hold for every ``0 < v <= answer`` on the domain; sharp when answer = reference."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    vname = ctx.ex.options["variable"]
    v = sympy.Symbol(vname, positive=True)
    voc = Vocabulary({**{s.name: s for s in ctx.vars}, vname: v})
    prop = parse_relation(ctx.ex.options["property"], voc)
    hyps = ctx.domain_hypotheses()
    pos, ce = _z3("positive", hyps, answer > 0)
    if pos is Verdict.REFUTED and ce:
        shown = {k: x for k, x in ce.items() if k in ctx.ex.variables}
        return ctx.result("incorrect", f"At {', '.join(f'{k} = {x}' for k, x in shown.items())} your value is not positive.", counterexample=shown, evidence="z3, exact re-check")
    verdict, ce = _z3("property", [*hyps, v <= answer], prop)
    if verdict is Verdict.REFUTED and ce:
        shown = {k: x for k, x in ce.items() if k in (*ctx.ex.variables, vname)}
        text = ctx.ex.options.get("property_text", "the required property")
        return ctx.result(
            "incorrect",
            f"Your value allows {vname} = {shown.get(vname)} at {', '.join(f'{k} = {x}' for k, x in shown.items() if k != vname)}, where {text} fails.",
            counterexample=shown,
            evidence="z3 model, re-checked with exact rational arithmetic",
        )
    if verdict is not Verdict.PROVED:
        return ctx.result("undecided", "the property could not be decided for your value")
    status, sharp_how = _sharpness(ctx, answer, reference, answer >= reference)
    if status == "equal":
        return ctx.result("correct", evidence="z3 proof of the property for all values up to yours; sharpness: " + sharp_how)
    if status == "differ":
        return ctx.result("not_sharp", ctx.ex.feedback.get("not_sharp_detail", ""), evidence="z3 proof of the property; a larger value also works: " + sharp_how)
    return ctx.result("undecided", "the property holds for your value, but it could not be compared with the largest one", evidence=sharp_how)


# ------------------------------------------------------------------ catalogue: gradient map diffeomorphism


def _lambda_min_jacobian(c: Case, B: Any) -> Any:
    assert c.objective is not None
    H = c.objective.hess(B, c.x(B))
    a = c.p(B, "alpha")
    J = [[(B.num(1) if i == j else B.num(0)) - a * H[i][j] for j in range(len(H))] for i in range(len(H))]
    return B.lambda_min(J)


def _det_1d(c: Case, B: Any) -> Any:
    assert c.objective is not None
    return B.num(1) - c.p(B, "alpha") * c.objective.hess(B, c.x(B))[0][0]


def _rational_below(x: sympy.Expr) -> Fraction:
    v = sympy.N(x, 40)
    q = Fraction(str(v)).limit_denominator(10**12)
    return q - Fraction(1, 10**11)


def _rational_strictly_below(x: sympy.Expr, lo: Fraction) -> Fraction | None:
    """A rational q with lo < q < x, rigorously (the lower end of an Arb ball of x, at
    rising precision), or None when x is not certainly above lo."""
    for bits in (128, 512, 2048, 8192):
        try:
            ball = arb_eval(x, [], {}, bits)
        except (ValueError, ZeroDivisionError, UnsupportedExpression):
            return None
        if not ball.is_finite():
            continue
        with arb_precision(bits):  # lower() rounds at the working precision
            man, exp = ball.lower().man_exp()
        low = Fraction(int(man)) * Fraction(2) ** int(exp)
        if low > lo:
            return simplest_between(lo, low) if low - lo > Fraction(1, 10**6) * abs(lo) else low
    return None


def _near_pi(excess: Fraction) -> list[Fraction]:
    """Rationals x with |cos x| > 1/(1 + excess), i.e. close enough to pi: 355/113 first (its
    cos is -1 + 2*10^-14), then finer approximations when ``excess`` is tiny."""
    out = [Fraction(355, 113)]
    if excess > Fraction(1, 10**12):
        return out
    import flint

    # 1 - |cos(pi + d)| <= d^2/2, so |d| < sqrt(excess)/4 is enough (with room for rounding)
    bits = 64
    while Fraction(1, 2**bits) ** 2 >= excess / 64:
        bits += 32
    with arb_precision(bits + 64):
        man, exp = flint.arb.pi().mid().man_exp()
    pi_q = Fraction(int(man)) * Fraction(2) ** int(exp)
    out.append(Fraction(round(pi_q * 2**bits), 2**bits))
    return out


def check_step_size(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """Catalogue pauwels/golikov/bruna gradient map: for every L-smooth F and 0 < alpha < answer(L),
    x -> x - alpha grad F(x) is a diffeomorphism (Jacobian I - alpha Hess F positive definite)."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    (L,) = ctx.vars
    hyps = ctx.domain_hypotheses()
    pos, ce = _z3("positive", hyps, answer > 0) if _relational_ok(answer) else (Verdict.UNDECIDED, None)
    if pos is Verdict.REFUTED and ce:
        return ctx.result("incorrect", f"For L = {ce.get(L.name)} your bound is not positive, so it allows no step size.", counterexample={"L": str(ce.get(L.name))})
    within, ce = _z3("answer <= 1/L", hyps, answer * L <= 1) if _relational_ok(answer) else (Verdict.UNDECIDED, None)
    L0: sympy.Rational | None = None
    if within is Verdict.REFUTED and ce:
        L0 = sympy.Rational(ce[L.name])
    elif within is not Verdict.PROVED:
        p = _numeric_violation(ctx, 1 - answer * L)
        if p is not None:
            L0 = sympy.Rational(p[L])
    if L0 is not None:
        # A confirmed counterexample from the catalogue's necessity family: F(x) = L cos x.
        Lq = Fraction(int(L0.p), int(L0.q))
        lo = 1 / Lq
        below = _rational_strictly_below(answer.subs(L, L0), lo)
        if below is None:
            return ctx.result("undecided", "a candidate counterexample could not be confirmed")
        hi = min(below, 2 / Lq)
        alpha = simplest_between(lo + (hi - lo) / 4, hi - (hi - lo) / 4)
        x = coordinates(1)
        F = Objective("L cos x", x, L0 * sympy.cos(x[0]), Constants(L=Lq, how="|F''| = L |cos x| <= L"))
        claim = Claim("det T' > 0", cases=st.just(Case(objective=F, params={"alpha": alpha}, points={"x": (Fraction(0),)})), margin=_det_1d, strict=True)
        at0, ball0 = claim.confirm(Case(objective=F, params={"alpha": alpha}, points={"x": (Fraction(0),)}), ctx.settings)
        # T'(x) = 1 + alpha L cos x < 0 needs |cos x| > 1/(alpha L): a rational x close enough to pi
        for xpi in _near_pi(alpha * Lq - 1):
            atpi, ballpi = claim.confirm(Case(objective=F, params={"alpha": alpha}, points={"x": (xpi,)}), ctx.settings)
            if at0 is True and atpi is False:
                return ctx.result(
                    "incorrect",
                    f"Counterexample: F(x) = {'' if L0 == 1 else _fmt(L0) + ' '}cos(x) has a {_fmt(L0)}-Lipschitz gradient, and your bound allows alpha = {_fmt(alpha)}. "
                    f"Then T'(x) = 1 - alpha F''(x) is {_ball_text(ball0)} > 0 at x = 0 but {_ball_text(ballpi)} < 0 at x = {_fmt(xpi)} (Arb balls), "
                    "so T' vanishes in between and T = x - alpha F'(x) is not a diffeomorphism.",
                    counterexample={"F": f"{_fmt(L0)}*cos(x)", "L": _fmt(L0), "alpha": _fmt(alpha), "T'(0)": _ball_text(ball0), f"T'({_fmt(xpi)})": _ball_text(ballpi)},
                    evidence="catalogue claim (gradient map), confirmed in Arb ball arithmetic",
                )
        return ctx.result("undecided", "a candidate counterexample could not be confirmed")
    # the property holds (z3 proved answer <= 1/L, or sampling found no violation): cross-check with the engine
    fam = st.one_of(smooth_objectives(dim=(1, 2)), polynomials(dim=1, degree=4))
    def alpha_bound(f: Objective) -> Bound:
        Lf = f.constants.L
        assert Lf is not None  # the smooth_objectives and polynomials families certify L
        return Bound(Fraction(0), max(Fraction(1, 10**9), _rational_below(answer.subs(L, sympy.Rational(Lf.numerator, Lf.denominator)))))

    cases = objective_cases(fam, params={"alpha": alpha_bound})
    claim = Claim("Jacobian of the gradient map is positive definite", cases=cases, margin=_lambda_min_jacobian, strict=True)
    out = claim.run(ctx.settings.with_(examples=min(ctx.settings.examples, 8), local_search=0))
    if out.verdict is Verdict.REFUTED:
        return ctx.result("undecided", "internal disagreement between the symbolic and numeric checks; flagged for review")
    how = ("z3 proof that alpha < your bound <= 1/L" if within is Verdict.PROVED else "sampling") + f"; engine cross-check: {out.verdict} on {out.evidence.samples} objectives"
    status, sharp_how = _sharpness(ctx, answer, reference, answer * L >= 1)
    how += "; sharpness: " + sharp_how
    if status == "equal":
        return ctx.result("correct", evidence=how)
    if status == "differ":
        return ctx.result("not_sharp", ctx.ex.feedback.get("not_sharp_detail", ""), evidence=how)
    return ctx.result("undecided", "your bound is valid, but it could not be compared with the largest one", evidence=how)


# ------------------------------------------------------------------ catalogue: desingularizing functions


def _exact(text: str) -> Fraction:
    v = parse_number(text)
    if not isinstance(v, sympy.Rational):
        raise ValueError(f"exercise option {text!r} must be an exact rational")
    return Fraction(int(v.p), int(v.q))


def _value_at_zero(phi: sympy.Expr, s: sympy.Symbol) -> tuple[sympy.Expr | None, str]:
    """phi(0) for a phi continuous on [0, r0]: the limit s -> 0+ (sympy's limit of our own
    parsed expression), so ``s*log(s)`` counts as 0. An exact finite value of ``subs(s, 0)``
    must agree with the limit; otherwise (or if the limit is not a number) None."""
    direct = phi.subs(s, 0)
    direct_ok = direct.is_number and not direct.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)
    try:
        lim = sympy.limit(phi, s, 0, "+")
    except (NotImplementedError, ValueError, TypeError, RecursionError, ArithmeticError):
        lim = None
    if lim is not None and (lim.has(sympy.Limit, sympy.AccumBounds, sympy.nan, sympy.zoo) or not lim.is_number):
        lim = None
    if lim is None:
        return None, ""
    if direct_ok and direct != lim:
        if lim.is_infinite or sympy.simplify(direct - lim) != 0:
            return None, ""
    return lim, "exact (limit s -> 0+)"


def check_desingularizing(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """Catalogue pauwels.kl-property: phi is desingularizing on (0, r0) and phi'(F(x)) |F'(x)| >= 1
    for 0 < |x - xbar| < eps with F(x) > 0 (F given by the exercise, with F(xbar) = 0)."""
    if not isinstance(answer, sympy.Expr):
        raise Invalid("expected an expression")
    (s,) = ctx.vars
    _unknown_symbols({s}, answer)
    opts = ctx.ex.options
    x = sympy.Symbol("x", real=True)
    voc = Vocabulary({"x": x, **{n: ctx.symbols[n] for n in ctx.ex.parameters}})
    F = parse_expression(opts["objective"], voc).subs(ctx.param_symbols)
    xbar = _exact(str(opts.get("xbar", "0")))
    eps = _exact(str(opts["radius"]))
    r0q = parse_expression(str(opts["range"]), Vocabulary({n: ctx.symbols[n] for n in ctx.ex.parameters})).subs(ctx.param_symbols)
    r0 = Fraction(int(sympy.Rational(r0q).p), int(sympy.Rational(r0q).q))
    phi0, how0 = _value_at_zero(answer, s)
    if phi0 is None:
        return ctx.result("undecided", "phi(0) (the limit of your function as s -> 0+) could not be determined")
    if phi0 != 0:
        return ctx.result("incorrect", f"A desingularizing function must satisfy phi(0) = 0 (phi is continuous on [0, r0]); yours gives phi(0) = {_fmt(phi0)}.", counterexample={"phi(0)": _fmt(phi0)}, evidence=how0)
    d1 = sympy.diff(answer, s)
    d2 = sympy.diff(d1, s)
    sfn = compiled([d1, d2], [s])
    sc = scalar_cases({"s": Bound(Fraction(0), r0)})
    settings = ctx.settings
    checks = [
        ("phi' > 0", "phi'(s) > 0", Claim("phi' > 0", cases=sc, margin=lambda c, B: sfn(B, [c.p(B, "s")])[0], strict=True)),
        ("concave", "phi''(s) <= 0 (concavity)", Claim("phi'' <= 0", cases=sc, margin=lambda c, B: -sfn(B, [c.p(B, "s")])[1])),
    ]
    kl = d1.subs(s, F) * sympy.Abs(sympy.diff(F, x))
    kfn = compiled([kl], [x])
    Fexact = F

    def positive(c: Case) -> bool:
        v = c.params["x"]
        return bool(Fexact.subs(x, sympy.Rational(v.numerator, v.denominator)) > 0)

    xc = scalar_cases({"x": Bound(xbar - eps, xbar + eps)})
    checks.append(("KL inequality", "phi'(F(x)) |F'(x)| >= 1", Claim("KL", cases=xc, margin=lambda c, B: kfn(B, [c.p(B, "x")])[0] - B.num(1), where=positive)))
    evid = []
    for label, text, claim in checks:
        try:
            out = claim.run(settings)
        except UnsupportedExpression as exc:
            return ctx.result("undecided", f"cannot evaluate your function rigorously ({exc})")
        if out.verdict is Verdict.REFUTED:
            ce = out.evidence.counterexample or {}
            pt = ce.get("params", {})
            where = ", ".join(f"{k} = {v}" for k, v in pt.items())
            return ctx.result(
                "incorrect",
                f"The condition {text} ({label}) fails at {where}: the margin is the Arb ball {ce.get('margin')} (certainly {'<= 0' if claim.strict else '< 0'}).",
                counterexample={**pt, "condition": label, "margin": str(ce.get("margin"))},
                evidence=out.evidence.method,
            )
        if not out.verdict.holds:
            return ctx.result("undecided", f"the condition {text} could not be decided")
        evid.append(f"{label}: {out.verdict} ({out.evidence.samples} samples)")
    return ctx.result("correct", evidence="; ".join(evid))


CHECK_FUNCTIONS = {
    "equivalent": check_equivalent,
    "proportional": check_proportional,
    "bound": check_bound,
    "largest": check_largest,
    "step_size_diffeomorphism": check_step_size,
    "desingularizing": check_desingularizing,
}


def normalized(value: Any) -> str:
    try:
        return sympy.sstr(value)
    except Exception:  # pragma: no cover - printing never matters for grading
        return repr(value)


def grade_in_process(ex: Exercise, answer_text: str, seed_text: str, fixed: tuple[tuple[str, str], ...] = ()) -> Result:
    """Grade one answer in this process (the worker calls this under resource limits)."""
    params = ex.draw_parameters(seed_text, fixed)
    # the sampling RNG depends on the answer and the parameters only, so identical answers
    # get identical grades whoever submits them (and the batch may grade them once)
    ctx = Context(ex, params, f"{answer_text.strip()}|{sorted((k, str(v)) for k, v in params.items())}")
    try:
        reference = ctx.parse(ex.reference, trusted=True)
    except Invalid as exc:
        return ctx.result("undecided", f"the exercise's reference answer cannot be read: {exc}")
    try:
        answer = ctx.parse(answer_text)
        res = CHECK_FUNCTIONS[ex.check](ctx, answer, reference)
    except Invalid as exc:
        res = ctx.result("invalid", str(exc))
        res.normalized = "(invalid)"
        return res
    res.normalized = normalized(answer)
    return res
