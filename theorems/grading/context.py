"""The grading context: results, the drawn parameters, the sampling of points, formatting."""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from symbolic import (
    CheckSettings,
)
from symbolic.compile import UnsupportedExpression, arb_at, compiled
from symbolic.parsing import (
    DEFAULT_FUNCTIONS,
    FunctionSpec,
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
from symbolic.parsing.notation import (
    chained_interval,
    french_interval,
    plus_minus_variants,
    strip_full_stop,
    whole_equation,
)

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
    reading: str = ""  # the answer as the grader read it, in LaTeX ("we read your answer as ...")

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



def _random_rational(rng: random.Random, lo: Fraction, hi: Fraction, mode: str) -> sympy.Rational:
    """``_rational(_random_in(rng, lo, hi, mode))``, the same value from the same draws, in
    integer arithmetic (one ``math.gcd`` instead of several Fraction operations, and no trip
    through sympy's cached ``Rational`` constructor)."""
    return _draw(rng, _span(lo, hi), mode)


def _draw(rng: random.Random, span: tuple[int, int, int, int], mode: str) -> sympy.Rational:
    """:func:`_random_rational` on a range given by :func:`_span`."""
    a, b, c, d = span
    den = _randint(rng, 10**9, 2 * 10**9)
    if mode == "in":
        k, n = _randint(rng, 1, den - 1), den  # t = k/n
    else:
        j = rng.choice(_NEAR_END)
        k, n = _randint(rng, 1, den - 1), den * 10**j
        if mode == "hi":
            k = n - k  # t = 1 - k/n
    # lo + width * k/n = (a d n + c k b) / (b d n)
    return coprime_rational(a * d * n + c * k * b, b * d * n)


_SPANS: dict[tuple[Fraction, Fraction], tuple[int, int, int, int]] = {}


def _span(lo: Fraction, hi: Fraction) -> tuple[int, int, int, int]:
    """(a, b, c, d) with lo = a/b and hi - lo = c/d (cached: a sampled range is used over and over)."""
    hit = _SPANS.get((lo, hi))
    if hit is None:
        width = hi - lo
        if len(_SPANS) > 4096:
            _SPANS.clear()
        hit = _SPANS[(lo, hi)] = (lo.numerator, lo.denominator, width.numerator, width.denominator)
    return hit


def _randint(rng: random.Random, a: int, b: int) -> int:
    """``rng.randint(a, b)``: the same draw (CPython's randint is ``a + _randbelow(b - a + 1)``),
    without its two Python-level wrappers (the sampler draws some 10^4 of these per answer)."""
    below = getattr(rng, "_randbelow", None)
    if below is None or b < a:  # pragma: no cover - another Random implementation
        return rng.randint(a, b)
    return a + below(b - a + 1)


_FROM_COPRIME = getattr(sympy.Rational, "from_coprime_ints", None)


def coprime_rational(p: int, q: int) -> sympy.Rational:
    """The sympy rational p/q (q > 0), reduced with ``math.gcd`` and built without sympy's
    cached constructor (equal to ``sympy.Rational(p, q)``)."""
    g = math.gcd(p, q)
    if g != 1:
        p //= g
        q //= g
    if _FROM_COPRIME is None:  # pragma: no cover - sympy < 1.13
        return sympy.Rational(p, q)
    return _FROM_COPRIME(p, q)


def _rational(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)


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
        """The names an answer may use (built once per process for each exercise version)."""
        key = (self.ex.id, self.ex.digest, "vocabulary")
        hit = _EXERCISE_PARSES.get(key)
        if hit is None:
            names = {n: self.symbols[n] for n in (*self.ex.variables, *self.ex.parameters)}
            for alias, target in self.ex.aliases.items():
                if target in names:
                    names.setdefault(alias, names[target])
            hit = Vocabulary(names, functions=GRADING_FUNCTIONS)
            _remember(key, hit)
        return hit

    def parse(self, text: str, kind: str | None = None, *, trusted: bool = False) -> Any:
        """Read an answer (or, ``trusted``, the exercise's own text) as the exercise's kind of
        answer, with the randomised parameters substituted. Raises :class:`Invalid` with a
        message that says how to write the answer instead."""
        kind = kind or self.ex.kind
        voc = self.vocabulary()
        limits = Limits() if trusted else ANSWER_LIMITS
        text = strip_full_stop(text)
        if kind in ("interval", "set"):
            text = french_interval(text)
        try:
            if kind != "relation" and "=" in text:
                name = whole_equation(text)
                if name is not None:
                    rhs = text.split("=", 1)[1].strip()
                    raise Invalid(f"give only the expression: write {rhs[:60]!r}, not '{name} = ...'")
            variants = plus_minus_variants(text)
            if variants is not None:
                value = self._plus_minus(variants, kind, voc, limits)
            else:
                value = self._parse_kind(text, kind, voc, limits)
        except ParseError as exc:
            hint = _HINTS.get(kind, "")
            raise Invalid(str(exc) + (f"\n(write {hint})" if hint and not trusted else "")) from None
        if self.param_symbols:
            value = value.subs(self.param_symbols)
        return value

    def _plus_minus(self, variants: tuple[str, str], kind: str, voc: Vocabulary, limits: Limits) -> Any:
        if kind == "set":
            parts = []
            for t in variants:
                try:
                    parts.append(parse_set(t, voc, limits=limits))
                except ParseError:
                    parts.append(sympy.FiniteSet(parse_expression(t, voc, limits=limits)))
            return sympy.Union(*parts)
        raise Invalid("± gives two values, and the question asks for one: write one expression (or, where a set is asked for, the set {a - b, a + b})")

    def _parse_kind(self, text: str, kind: str, voc: Vocabulary, limits: Limits) -> Any:
        if kind in ("expression", "function"):
            return parse_expression(text, voc, limits=limits)
        if kind == "number":
            return parse_number(text, voc, limits=limits) if not self.ex.parameters else parse_expression(text, voc, limits=limits)
        if kind == "matrix":
            return parse_matrix(text, voc, limits=limits)
        if kind == "vector":
            t = text.strip()
            if "\\" not in t and t.startswith("(") and t.endswith(")"):
                t = "[" + t[1:-1] + "]"
            if t.startswith("[") and not t[1:].lstrip().startswith("["):
                t = "[" + t + "]"
            m = parse_matrix(t, voc, limits=limits)
            if m.rows != 1 and m.cols != 1:
                raise Invalid(f"expected a vector such as [1, -2] or (1, -2), got a {m.rows}x{m.cols} matrix")
            return sympy.Matrix(list(m))
        if kind == "interval":
            chain = chained_interval(text)
            if chain is not None:
                lo, _mid, hi, lo_open, hi_open = chain
                a, b = parse_expression(lo, voc, limits=limits), parse_expression(hi, voc, limits=limits)
                return sympy.Interval(a, b, lo_open, hi_open)
            return parse_interval(text, voc, limits=limits)
        if kind == "set":
            return parse_set(text, voc, limits=limits)
        if kind == "relation":
            return parse_relation(text, voc, limits=limits)
        raise Invalid(f"unknown answer kind {kind}")  # pragma: no cover - validated on load

    # ------------------------------------------------------------ the domain
    def _bound_value(self, text: str, point: dict[sympy.Symbol, Any], upper: bool) -> Fraction | None:
        """A dependent bound at ``point``, as an exact rational (rounded inwards when the bound
        is irrational), or None when it cannot be evaluated."""
        exact = exact_value(self._parsed(text), point)
        if exact is not None:
            return exact
        expr = self._parsed(text).subs(point)
        if isinstance(expr, sympy.Rational):
            return Fraction(int(expr.p), int(expr.q))
        try:
            ball = arb_at(expr, [], {}, 128)
            if not ball.is_finite():
                return None
            man, exp = (ball.lower() if upper else ball.upper()).man_exp()
            return Fraction(int(man)) * Fraction(2) ** int(exp)
        except Exception:  # noqa: BLE001 - an unevaluable bound: no point here
            return None

    def _draw_key(self) -> tuple[str, str, str]:
        """The exercise version and the parameter draw: what the exercise's own texts, parsed, depend on."""
        key = self.__dict__.get("_draw_key_cache")
        if key is None:
            key = self.__dict__["_draw_key_cache"] = (self.ex.id, self.ex.digest, repr(sorted((k, str(v)) for k, v in self.params.items())))
        return key

    def _parsed(self, text: str) -> Any:
        """An expression of the exercise's own (a dependent bound, a floor), parameters
        substituted; parsed once per process for each exercise version and parameter draw."""
        key = (*self._draw_key(), "expression", text)
        hit = _EXERCISE_PARSES.get(key)
        if hit is None:
            names = {n: self.symbols[n] for n in (*self.ex.variables, *self.ex.parameters)}
            hit = parse_expression(text, Vocabulary(names)).subs(self.param_symbols)
            _remember(key, hit)
        return hit

    def constraint_relations(self) -> list[Any]:
        """The exercise's constraints as sympy relations, the parameters substituted (parsed
        once per process for each exercise version and parameter draw)."""
        key = (*self._draw_key(), "constraints", "")
        hit = _EXERCISE_PARSES.get(key)
        if hit is None:
            names = {n: self.symbols[n] for n in (*self.ex.variables, *self.ex.parameters)}
            hit = [parse_relation(c, Vocabulary(names)).subs(self.param_symbols) for c in self.ex.constraints]
            _remember(key, hit)
        return list(hit)

    def admissible(self, point: dict[sympy.Symbol, Any]) -> bool:
        """The point satisfies the constraints and the dependent ranges (decided exactly for
        rational relations, in Arb otherwise; undecidable counts as not admissible)."""
        for v in self.vars:
            if v.name in self.ex.dependent_domain and v in point:
                lo_t, hi_t = self.ex.dependent_domain[v.name]
                lo, hi = self._bound_value(lo_t, point, False), self._bound_value(hi_t, point, True)
                x = point[v]
                if lo is None or hi is None or not (sympy.Rational(lo.numerator, lo.denominator) < x < sympy.Rational(hi.numerator, hi.denominator)):
                    return False
        for rel in self.constraint_relations():
            if not _holds(rel, point):
                return False
        return True

    def sample_points(self, n: int) -> list[dict[sympy.Symbol, sympy.Rational]]:
        """About ``n`` exact rational points of the domain (endpoints excluded), deterministic
        per answer (the context's seed), every one satisfying the constraints.

        Each continuous coordinate is, independently per variable and in shuffled order, a
        random rational with a large random denominator (so no answer periodic on a grid
        passes), or a point near one end of its range (at relative distances from 10^-3 down
        to 10^-12, so a difference confined to the last thousandth of a range is seen). An
        integer variable with at most ``SMALL_INTEGER_RANGE`` values takes every one of them
        (``n`` is raised to that count); a larger range is sampled uniformly, its ends included.
        A variable with a dependent range (``alpha = ["0", "2/L"]``) is drawn the same way in
        its range at the point; a point that breaks a constraint is redrawn (up to 30 times).
        """
        sizes = [ihi - ilo + 1 for name, (ilo, ihi) in self.ex.integer_domain.items() if name in self.ex.variables]
        n = max([n, *(k for k in sizes if k <= SMALL_INTEGER_RANGE)])
        columns: dict[sympy.Symbol, list[sympy.Rational]] = {}
        modes_of: dict[sympy.Symbol, list[str]] = {}
        for v in self.vars:
            name = v.name
            if name in self.ex.integer_domain:
                ilo, ihi = self.ex.integer_domain[name]
                if ihi - ilo + 1 <= SMALL_INTEGER_RANGE:
                    vals = list(range(ilo, ihi + 1))
                    vals += [_randint(self.rng, ilo, ihi) for _ in range(n - len(vals))]
                else:
                    vals = [ilo, ihi] + [_randint(self.rng, ilo, ihi) for _ in range(n - 2)]
                    vals = vals[:n]
                self.rng.shuffle(vals)
                columns[v] = [sympy.Integer(k) for k in vals]
            elif name in self.ex.domain or name in self.ex.dependent_domain:
                near = max(1, n // 8)
                modes = ["lo"] * near + ["hi"] * near + ["in"] * (n - 2 * near)
                self.rng.shuffle(modes)
                modes_of[v] = modes
                if name in self.ex.domain:
                    lo, hi = self.ex.domain[name]
                    span = _span(lo, hi)
                    columns[v] = [_draw(self.rng, span, mode) for mode in modes]
        if not self.ex.dependent_domain and not self.ex.constraints:
            return [{v: col[i] for v, col in columns.items()} for i in range(n)]
        out = []
        for i in range(n):
            for attempt in range(30):
                p = {v: col[i] for v, col in columns.items()}
                if attempt:  # redraw the continuous coordinates anywhere in their ranges
                    for v in self.vars:
                        if v.name in self.ex.domain:
                            lo, hi = self.ex.domain[v.name]
                            p[v] = _random_rational(self.rng, lo, hi, "in")
                if self._fill_dependent(p, {v: (m[i] if not attempt else "in") for v, m in modes_of.items()}) and self.admissible(p):
                    out.append({v: p[v] for v in self.vars if v in p})
                    break
        return out

    def _fill_dependent(self, p: dict[sympy.Symbol, Any], modes: dict[sympy.Symbol, str]) -> bool:
        """Draw the variables with dependent ranges, in an order where their bounds are known."""
        todo = [v for v in self.vars if v.name in self.ex.dependent_domain]
        for _ in range(len(todo) + 1):
            if not todo:
                return True
            rest = []
            for v in todo:
                lo_t, hi_t = self.ex.dependent_domain[v.name]
                needs = (self._parsed(lo_t).free_symbols | self._parsed(hi_t).free_symbols) & set(self.vars)
                if not needs <= set(p):
                    rest.append(v)
                    continue
                lo, hi = self._bound_value(lo_t, p, False), self._bound_value(hi_t, p, True)
                if lo is None or hi is None or not lo < hi:
                    return False
                p[v] = _random_rational(self.rng, lo, hi, modes.get(v, "in"))
            if len(rest) == len(todo):
                return False  # circular dependencies (refused at load)
            todo = rest
        return not todo

    def domain_hypotheses(self) -> list[Any]:
        """What validity is decided under: the prompt's domain, i.e. the declared assumptions
        of the symbols (z3 reads them from the symbols) and the constraints. The sampling box
        is not a hypothesis: it is only where points are drawn."""
        return self.constraint_relations()

    def result(self, verdict: str, detail: str = "", *, head: str | None = None, **kw: Any) -> Result:
        ex = self.ex
        score = {"correct": 1.0, "not_sharp": ex.partial_credit, "incorrect": 0.0, "invalid": 0.0}.get(verdict)
        head = head or ex.feedback.get(verdict, DEFAULT_FEEDBACK[verdict])
        text = head + ("\n\n" + detail if detail else "")
        return Result(verdict, score, text, params={k: _fmt(v) for k, v in self.params.items()}, **kw)


#: the exercise's own texts (constraints, dependent bounds, floors) parsed per exercise version
#: and parameter draw (sympy values are immutable: every answer shares them)
_EXERCISE_PARSES: dict[tuple[str, ...], Any] = {}


def _remember(key: tuple[str, ...], value: Any) -> None:
    if len(_EXERCISE_PARSES) > 5000:
        _EXERCISE_PARSES.clear()
    _EXERCISE_PARSES[key] = value


class _ExactBackend:
    """Exact rational arithmetic for compiled expressions: ``+ - * /`` and integer powers of
    :class:`fractions.Fraction`; anything else (a root, a function, pi) is unsupported."""

    key = ("exact-rational",)

    def num(self, q: Any) -> Fraction:
        return Fraction(q)

    def ipow(self, x: Fraction, n: int) -> Fraction:
        return x**n

    def __getattr__(self, name: str) -> Any:
        raise UnsupportedExpression(f"not rational arithmetic: {name}")


_EXACT = _ExactBackend()


def exact_value(expr: sympy.Expr, point: dict[sympy.Symbol, Any]) -> Fraction | None:
    """``expr`` at the rational ``point`` in exact rational arithmetic (compiled, no sympy
    ``subs``), or None when it is not a rational function there (a root, a function, a pole,
    a symbol without a value). Where it is not None it equals ``expr.subs(point)``."""
    args = sorted(expr.free_symbols, key=lambda v: v.name)
    try:
        values = [Fraction(int(point[a].p), int(point[a].q)) if isinstance(point[a], sympy.Rational) else Fraction(point[a]) for a in args]
        value = compiled([expr], args)(_EXACT, values)[0]  # type: ignore[arg-type]  # duck-typed: +, -, *, / and ipow
    except (KeyError, TypeError, ValueError, ZeroDivisionError, OverflowError, UnsupportedExpression):
        return None
    return value if isinstance(value, Fraction) else None


_EXACT_RELATIONS = {
    sympy.StrictLessThan: lambda d: d < 0,
    sympy.LessThan: lambda d: d <= 0,
    sympy.StrictGreaterThan: lambda d: d > 0,
    sympy.GreaterThan: lambda d: d >= 0,
}


def _holds(rel: Any, point: dict[sympy.Symbol, Any]) -> bool:
    """A relation at an exact point: exactly when it is rational there, else by an Arb ball of
    ``lhs - rhs`` that excludes 0; False when undecided."""
    decide = _EXACT_RELATIONS.get(type(rel))
    if decide is not None:
        d = exact_value(rel.lhs - rel.rhs, point)
        if d is not None:  # exact rational arithmetic: what subs gives, without sympy
            return bool(decide(d))
    value = rel.subs(point)
    if value is sympy.true or value is sympy.false:
        return bool(value)
    try:
        d = arb_at(rel.lhs - rel.rhs, [], {}, 256)
    except Exception:  # noqa: BLE001
        return False
    if isinstance(rel, sympy.StrictLessThan | sympy.LessThan):
        return bool(d < 0)
    if isinstance(rel, sympy.StrictGreaterThan | sympy.GreaterThan):
        return bool(d > 0)
    return False


# how to write each kind of answer: appended to every parse error ("every refusal says how")
_HINTS = {
    "expression": "an expression with explicit products and brackets, e.g. 3*a*(b + 1) or 1/(2*a)",
    "function": "an expression with explicit products and brackets, e.g. 3*a*(b + 1) or exp(-a^2)",
    "number": "an exact number, e.g. 3/4, 0.75 or sqrt(2)/2",
    "matrix": "a matrix as a list of rows, e.g. [[1, 0], [0, 1]], or a LaTeX pmatrix",
    "vector": "a vector, e.g. [1, -2] or (1, -2)",
    "interval": "an interval, e.g. (0, 1], ]0, 1] or 0 < x <= 1",
    "set": "a set, e.g. {-1, 1}, [0, 1], or {} for the empty set",
}

GRADING_FUNCTIONS = {**DEFAULT_FUNCTIONS, "ceil": FunctionSpec(sympy.ceiling), "ceiling": FunctionSpec(sympy.ceiling), "floor": FunctionSpec(sympy.floor)}

DEFAULT_FEEDBACK = {
    "correct": "Correct.",
    "not_sharp": "Your answer is valid, but it is not the sharpest possible: it can be improved.",
    "incorrect": "Not correct.",
    "undecided": "Your answer could not be graded automatically; it will be reviewed by hand (it is not marked wrong).",
    "invalid": "Your answer could not be read.",
}
