"""The grading context: results, the drawn parameters, the sampling of points, formatting."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from symbolic import (
    CheckSettings,
)
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
