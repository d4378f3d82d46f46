"""Claims of the form: for all cases (objective, parameters, points), lhs REL rhs.

Checking a claim searches for a counterexample:

1. hypothesis draws cases and steers the search with ``hypothesis.target`` towards small
   margins. Each case is first *screened*: its margin is evaluated in float64 interval
   arithmetic with outward rounding (:mod:`symbolic.float_intervals`). A case whose
   enclosure is finite, above the rounding band (``lower bound > 10^-(digits/2) * scale``)
   and narrow (relative width <= 2^-30) is a passing sample without further work. Every
   other case (an enclosure that reaches the band, a NaN or infinite bound, a margin the
   intervals cannot evaluate) is evaluated the reference way, at ``digits`` significant
   digits (mpmath), with the rule below; so is every case when ``settings.screening`` is off,
   and every later case of a search whose first :data:`SCREEN_TRIAL` screened cases passed
   less than a quarter of the time (the screen would only add work);
2. scipy's Nelder-Mead minimises the margin from the worst draws in plain float64 (no
   rounding to rationals per evaluation); only its result is rounded to rationals inside
   the domain and evaluated like a draw;
3. any candidate is confirmed in Arb ball arithmetic at increasing precision before it is
   reported (:meth:`Claim.confirm`, the one place a point is decided): ``refuted`` only
   when the ball proves the failure; a ball that contains 0 (an exact tie) is decided in exact
   arithmetic (:mod:`symbolic.exact_ties`) when it can be; a candidate neither can decide
   leaves the claim ``undecided``. Once a counterexample is confirmed the search stops (no
   shrinking).

Known hard cases (``hard_cases``: the family's hard members at their hard points, see
:mod:`symbolic.hard_instances`) are evaluated before the random draws.

Sampling never says ``proved``: a claim is ``proved`` only through a
:class:`~symbolic.proofgraph.Proof` whose lemma, premises and link to the claim all hold
(weakest link; see :mod:`symbolic.proofgraph`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, reject, target
from hypothesis import seed as hseed
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from . import interrupts
from .backends import (
    ArbBackend,
    Backend,
    MPBackend,
    Number,
    ScalarFloatBackend,
    arb_precision,
    ball_certainly,
)
from .checks import Check, Expect
from .exact_ties import decide_tie
from .float_balls import BallFloatBackend, FBall
from .float_intervals import FInterval, IntervalFloatBackend
from .objectives import Objective
from .proofgraph import Proof
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict

RELATIONS = ("<=", "<", ">=", ">", "==")


@dataclass(frozen=True)
class Bound:
    """An exact interval for a parameter, with open or closed ends (None: unbounded).

    ``integer``: the parameter takes only the integers of the interval (a number of steps).
    """

    lo: Fraction | None = None
    hi: Fraction | None = None
    lo_open: bool = True
    hi_open: bool = True
    integer: bool = False

    def contains(self, v: Fraction) -> bool:
        if self.integer and Fraction(v).denominator != 1:
            return False
        if self.lo is not None and (v < self.lo or (self.lo_open and v == self.lo)):
            return False
        if self.hi is not None and (v > self.hi or (self.hi_open and v == self.hi)):
            return False
        return True

    def clip(self, v: Fraction) -> Fraction:
        """The nearest point of the interval (pulled strictly inside at open ends; for an
        integer parameter, the nearest integer of the interval)."""
        if self.contains(v):
            return v
        if self.integer:
            return self._clip_integer(v)
        span = (self.hi - self.lo) if self.lo is not None and self.hi is not None else Fraction(1)
        eps = span / 10**9
        if self.lo is not None and v <= self.lo:
            return self.lo + eps if self.lo_open else self.lo
        assert self.hi is not None
        return self.hi - eps if self.hi_open else self.hi

    def integers(self) -> tuple[int | None, int | None]:
        """The smallest and largest integers of the interval (None: unbounded side)."""
        lo = None if self.lo is None else (math.floor(self.lo) + 1 if self.lo_open else math.ceil(self.lo))
        hi = None if self.hi is None else (math.ceil(self.hi) - 1 if self.hi_open else math.floor(self.hi))
        return lo, hi

    def _clip_integer(self, v: Fraction) -> Fraction:
        lo, hi = self.integers()
        n = round(v)
        if lo is not None:
            n = max(n, lo)
        if hi is not None:
            n = min(n, hi)
        return Fraction(n)


@dataclass(frozen=True, eq=False)
class Case:
    """One drawn instance of a claim: an objective (optional), exact parameters and points.

    ``bounds`` lists the parameters local search may move, with their exact domains;
    every point may move (inside the objective's region, if it has one).
    """

    objective: Objective | None = None
    params: Mapping[str, Fraction] = field(default_factory=dict)
    points: Mapping[str, tuple[Fraction, ...]] = field(default_factory=dict)
    bounds: Mapping[str, Bound] = field(default_factory=dict)

    def p(self, B: Backend, name: str) -> Number:
        """Parameter ``name`` in the backend's arithmetic."""
        return B.num(self.params[name])

    def x(self, B: Backend, name: str = "x") -> list[Number]:
        """Point ``name`` in the backend's arithmetic."""
        return [B.num(v) for v in self.points[name]]

    # local search support -------------------------------------------------
    def _free(self) -> list[tuple[str, int | None]]:
        free: list[tuple[str, int | None]] = [(k, None) for k in self.bounds]
        for k, pt in self.points.items():
            free.extend((k, i) for i in range(len(pt)))
        return free

    def vector(self) -> np.ndarray:
        return np.array(
            [float(self.params[k]) if i is None else float(self.points[k][i]) for k, i in self._free()]
        )

    def with_floats(self, v: Sequence[float]) -> Case:
        """The case moved to the float vector ``v`` without rounding to rationals (params and
        points become floats, clipped to their domain): the local search evaluates these."""
        params: dict[str, Any] = dict(self.params)
        points: dict[str, list[Any]] = {k: list(p) for k, p in self.points.items()}
        region = self.objective.constants.region if self.objective is not None else None
        for (k, i), value in zip(self._free(), v, strict=True):
            value = float(value)
            if i is None:
                params[k] = _clip_float(self.bounds[k], value)
            else:
                if region is not None:
                    value = min(max(value, float(region.lo[i])), float(region.hi[i]))
                points[k][i] = value
        return replace(self, params=params, points={k: tuple(p) for k, p in points.items()})

    def with_vector(self, v: Sequence[float], denominator: int = 10**8) -> Case:
        """The case moved to the float vector ``v``, rounded to rationals inside the domain."""
        params = dict(self.params)
        points = {k: list(p) for k, p in self.points.items()}
        region = self.objective.constants.region if self.objective is not None else None
        for (k, i), value in zip(self._free(), v, strict=True):
            if not math.isfinite(value):
                return self
            q = Fraction(value).limit_denominator(denominator)
            if i is None:
                params[k] = self.bounds[k].clip(q)
            else:
                if region is not None:
                    q = min(max(q, region.lo[i]), region.hi[i])
                points[k][i] = q
        return replace(self, params=params, points={k: tuple(p) for k, p in points.items()})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.objective is not None:
            out["objective"] = self.objective.to_json()
        if self.params:
            out["params"] = {k: str(v) for k, v in self.params.items()}
        if self.points:
            out["points"] = {k: [str(c) for c in v] for k, v in self.points.items()}
        return out


def _clip_float(bound: Bound, v: float) -> float:
    """:meth:`Bound.clip` in float arithmetic (pulled strictly inside at open ends)."""
    lo = float(bound.lo) if bound.lo is not None else None
    hi = float(bound.hi) if bound.hi is not None else None
    below = lo is not None and (v < lo or (bound.lo_open and v == lo))
    above = hi is not None and (v > hi or (bound.hi_open and v == hi))
    if not below and not above:
        return v
    span = (hi - lo) if lo is not None and hi is not None else 1.0
    eps = span / 10**9
    if below:
        assert lo is not None
        return lo + eps if bound.lo_open else lo
    assert hi is not None
    return hi - eps if bound.hi_open else hi


Margin = Callable[[Case, Backend], Number]

#: the search stops screening after this many screened cases if fewer than a quarter passed
#: (margins that are exactly 0 on purpose, or that the intervals cannot run)
SCREEN_TRIAL = 12

#: a screened case passes without evaluation at ``digits`` only when its enclosure's
#: relative width is at most this (so the float value reported is the margin to ~9 digits)
SCREEN_WIDTH = 2.0**-30


class _StopSearch(BaseException):
    """Raised through hypothesis once a counterexample is confirmed: hypothesis lets a
    BaseException that is not a test failure propagate at once, so nothing is shrunk."""


class _Found(Exception):
    def __init__(self, case: Case, margin: str) -> None:
        super().__init__("counterexample")
        self.case = case
        self.margin = margin


def min_samples(settings: CheckSettings) -> int:
    """The fewest evaluated cases a sampled verdict may rest on: a quarter of the requested
    examples (at least 1). Draws rejected by the hypotheses or where the margin is undefined
    do not count; with fewer evaluated cases the verdict is ``undecided``."""
    return max(1, settings.examples // 4)


def _diverse_starts(worst: Sequence[tuple[float, Case]], n: int) -> list[Case]:
    """The ``n`` starts of local search: the worst cases, one per objective first (many
    tied worst cases on one objective, e.g. margin 0 on a quadratic, would use every start)."""
    seen: set[int] = set()
    first: list[Case] = []
    rest: list[Case] = []
    for _, case in worst:
        key = id(case.objective)
        (rest if key in seen else first).append(case)
        seen.add(key)
    return (first + rest)[:n]


class Claim(Check):
    """For all cases drawn from ``cases``: ``lhs(case) REL rhs(case)``.

    Give either ``lhs``/``rel``/``rhs`` or a ``margin`` (the claim holds at a case iff
    ``margin >= 0``, or ``> 0`` when ``strict``). Each callable takes the case and a
    backend and uses only backend arithmetic, so it runs in mpmath, Arb and float64.
    ``where`` is an exact predicate restricting the cases (e.g. a ball constraint).
    ``hard_cases`` optionally lists cases evaluated before the random draws (the known
    hard members of the family at their hard points, see :mod:`symbolic.hard_instances`);
    they are samples like any other (subject to ``where``, counted, confirmed in Arb).
    ``proof`` is an optional :class:`~symbolic.proofgraph.Proof` (a lemma, the binding of
    its symbols to the case, its premises); the claim is ``proved`` only through it, when
    every link holds (see :meth:`run`).

    The domain is what ``where`` admits, not only what ``cases`` draws: local search moves
    the parameters inside their ``bounds`` and the points anywhere (inside the objective's
    region, if it has one), so a claim meant only for points of a subset must say so in
    ``where``. A case where the margin is not a finite real number (a pole, a complex
    value) is not a passing sample: it is counted apart, and a claim with no evaluable
    case is ``undecided``.
    """

    kind = "N"

    def __init__(
        self,
        name: str,
        *,
        cases: st.SearchStrategy[Case],
        lhs: Margin | None = None,
        rel: str | None = None,
        rhs: Margin | None = None,
        margin: Margin | None = None,
        strict: bool = False,
        where: Callable[[Case], bool] | None = None,
        proof: Check | Proof | None = None,
        statement: str = "",
        expect: Expect = Expect.HOLDS,
        role: str = "",
        note: str = "",
        kind: str = "N",
        scope: str = "",
        title_latex: str = "",
        hard_cases: Callable[[], Iterable[Case]] | None = None,
    ) -> None:
        super().__init__(name, statement=statement, expect=expect, role=role, note=note, scope=scope, title_latex=title_latex)
        self.hard_cases = hard_cases
        self.kind = kind
        if margin is None:
            if lhs is None or rhs is None or rel not in RELATIONS:
                raise ValueError(f"claim {name!r}: give lhs, rel (one of {RELATIONS}) and rhs, or a margin")
        elif lhs is not None or rhs is not None:
            raise ValueError(f"claim {name!r}: give either a margin or lhs/rhs, not both")
        self.cases = cases
        self.lhs, self.rel, self.rhs = lhs, rel, rhs
        self._margin = margin
        self.strict = strict if margin is not None else rel in ("<", ">")
        self.where = where
        self.proof = proof

    def establishes(self) -> str | None:
        if self.rel == "==":
            return "="
        if self.rel in ("<=", ">="):
            return "<="
        return "<" if self.strict else "margin"

    # ------------------------------------------------------------------ margins
    def margin(self, case: Case, B: Backend) -> Number:
        """>= 0 (or > 0 when strict) exactly when the claim holds at the case."""
        if self._margin is not None:
            return self._margin(case, B)
        assert self.lhs is not None and self.rhs is not None
        return self._oriented(self.lhs(case, B), self.rhs(case, B))

    def _oriented(self, a: Any, b: Any) -> Any:
        """The margin from the two sides (numbers, intervals or balls): b - a for <=, a - b
        for >=, -|a - b| for ==."""
        if self.rel in ("<=", "<"):
            return b - a
        if self.rel in (">=", ">"):
            return a - b
        return -abs(a - b)

    def _scale(self, case: Case, B: Backend) -> float:
        if self.lhs is None or self.rhs is None:
            return 1.0
        try:
            return 1.0 + abs(float(self.lhs(case, B))) + abs(float(self.rhs(case, B)))
        except (ValueError, ZeroDivisionError, OverflowError, TypeError):
            return 1.0

    def screen(self, case: Case, IB: IntervalFloatBackend | BallFloatBackend) -> tuple[Any, Any, Any] | None:
        """The margin at ``case`` (one case, or a batch with array coordinates) enclosed in
        float64 intervals, or in float64 balls (:mod:`symbolic.float_balls`, for a batch):
        ``(lo, hi, scale)``, scale an upper bound of ``1 + |lhs| + |rhs|`` (1 for a margin
        claim). None when the backend cannot evaluate the margin (then the case must be
        evaluated another way); bounds may be NaN or infinite, which means the same."""
        try:
            with np.errstate(all="ignore"):
                if isinstance(IB, BallFloatBackend):
                    return self._screen_balls(case, IB)
                if self._margin is not None:
                    m = FInterval.of(self._margin(case, IB))
                    return m.lo, m.hi, 1.0
                assert self.lhs is not None and self.rhs is not None
                a, b = FInterval.of(self.lhs(case, IB)), FInterval.of(self.rhs(case, IB))
                m = self._oriented(a, b)
                scale = (1.0 + abs(a).hi) + abs(b).hi
                return m.lo, m.hi, scale * (1 + 2.0**-50)
        except Exception:  # noqa: BLE001 -- anything the intervals cannot do goes the reference way
            return None

    def _screen_balls(self, case: Case, BB: BallFloatBackend) -> tuple[Any, Any, Any]:
        """:meth:`screen` in float64 balls: the margin is formed in balls, and the scale is
        one bound for the whole batch (``1 + max |lhs| + max |rhs|``, from the ranges)."""
        if self._margin is not None:
            e = BB.enclose(self._margin(case, BB))
            return e.lo, e.hi, 1.0
        assert self.lhs is not None and self.rhs is not None
        a, b = FBall.of(self.lhs(case, BB)), FBall.of(self.rhs(case, BB))
        e = self._oriented(a, b).enclosure()
        return e.lo, e.hi, ((1.0 + a.magnitude()) + b.magnitude()) * (1 + 2.0**-50)

    def confirm(self, case: Case, settings: CheckSettings) -> tuple[bool | None, str]:
        """Decide the claim at one case with Arb balls, raising the precision as needed.

        Returns (True: holds, False: certainly fails, None: undecidable) and the margin ball.
        """
        bits = max(128, int(settings.digits * 3.33) + 32)
        last = "nan"
        exact_tried = False
        while bits <= settings.max_confirm_bits:
            B = ArbBackend(bits)
            with arb_precision(bits):
                try:
                    m = self.margin(case, B)
                except (ValueError, ZeroDivisionError) as exc:
                    return None, f"evaluation failed: {exc}"
                last = str(m)
                decided = ball_certainly(m, self.strict)
            if decided is not None:
                return decided, last
            if not exact_tried and m.is_finite() and m.contains(0):
                # an exact tie never resolves in balls: ask exact arithmetic once (symbolic.exact_ties)
                exact_tried = True
                decided, text = decide_tie(self.margin, case, self.strict)
                if decided is not None:
                    return decided, f"{text}; Arb ball {last}"
            bits *= 2
        return None, last

    def _values(self, case: Case, settings: CheckSettings) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.lhs is None or self.rhs is None:
            return out
        bits = max(128, int(settings.digits * 3.33) + 32)
        B = ArbBackend(bits)
        with arb_precision(bits):
            try:
                out["lhs"] = str(self.lhs(case, B))
                out["rhs"] = str(self.rhs(case, B))
            except (ValueError, ZeroDivisionError):
                pass
        return out

    # ------------------------------------------------------------------ search
    def run(self, settings: CheckSettings) -> Outcome:
        """Search for a counterexample; ``proved`` only through a linked proof graph.

        With a :class:`~symbolic.proofgraph.Proof` attached, the claim is ``proved`` when the
        lemma and every premise are proved, the lemma's hypotheses are discharged (z3) and
        the lemma's conclusion is the claim at every sampled case (the binding); otherwise
        it gets its sampled verdict, from the full search, and the evidence names the weak
        link. A bare check attached as ``proof=`` is not linked to the claim: it is reported
        in the evidence, never trusted.
        """
        if self.proof is None:
            return self._search(settings)
        from .proofgraph import Proof, run_cached

        if not isinstance(self.proof, Proof):
            lemma = run_cached(self.proof, settings)
            numeric = self._search(settings)
            why = f"not proved: a proof is attached ({self.proof.name}: {lemma.verdict.value}) but not linked to the claim (give proof=Proof(lemma, at=...))"
            return self._with_links(numeric, why)
        proof = self.proof
        report = proof.prepare(settings)
        tol = 10.0 ** (-(settings.digits // 2))

        def link(case: Case, B: Backend) -> str | None:
            return proof.link_at(self, case, B, tol)

        if report.holds:
            numeric = self._search(settings.with_(examples=min(20, settings.examples), local_search=1), link=link)
            unlinked = numeric.evidence.extra.get("unlinked")
            if numeric.verdict is Verdict.CHECKED and not unlinked:
                details = "; ".join(report.links) + f"; linked to the claim at {numeric.evidence.samples} samples at {numeric.evidence.digits} digits"
                return Outcome(Verdict.PROVED, replace(numeric.evidence, method="proof graph: lemma, premises and link all proved", details=details, extra={}))
            if numeric.verdict is Verdict.REFUTED:
                details = "a symbolic proof and a confirmed counterexample disagree: the encoding is wrong"
                return Outcome(Verdict.REFUTED, replace(numeric.evidence, details=details))
        numeric = self._search(settings, link=link)
        unlinked = numeric.evidence.extra.get("unlinked")
        links = list(report.links)
        if unlinked:
            links.insert(0, f"the lemma is not the claim at a sampled case: {unlinked}")
        return self._with_links(numeric, "not proved: " + "; ".join(links))

    @staticmethod
    def _with_links(numeric: Outcome, links: str) -> Outcome:
        extra = {k: v for k, v in numeric.evidence.extra.items() if k != "unlinked"}
        details = (numeric.evidence.details + "; " + links).lstrip("; ")
        return Outcome(numeric.verdict, replace(numeric.evidence, details=details, extra=extra), numeric.parts)

    def _search(self, settings: CheckSettings, link: Callable[[Case, Backend], str | None] | None = None) -> Outcome:
        MP = MPBackend(settings.digits)
        F64 = ScalarFloatBackend()
        IB = IntervalFloatBackend()
        rounding = 10.0 ** (-(settings.digits // 2))
        stats: dict[str, Any] = {
            "evals": 0, "undefined": 0, "tight": 0, "min": math.inf, "near_miss": None, "unlinked": None, "rejected": 0,
            "screened": 0, "screen_failed": 0, "reference": 0, "arb": 0, "hard": 0,
        }  # fmt: skip
        worst: list[tuple[float, Case]] = []

        def accept(case: Case, mf: float) -> bool:
            """Count an evaluated case as a sample with float margin ``mf``."""
            stats["evals"] += 1
            stats["min"] = min(stats["min"], mf)
            if link is not None and stats["unlinked"] is None:
                try:
                    stats["unlinked"] = link(case, MP)
                except (ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
                    stats["unlinked"] = f"the link could not be evaluated: {exc}"
            worst.append((mf, case))
            worst.sort(key=lambda t: t[0])
            del worst[4 * max(settings.local_search, 1) :]
            return True

        def consider(case: Case) -> bool:
            """Evaluate one case; False when it is not a sample (rejected or not evaluable)."""
            interrupts.check()  # a Ctrl-C whose exception a GC callback dropped (symbolic.interrupts)
            if self.where is not None and not self.where(case):
                stats["rejected"] += 1
                return False
            # the screen pays for itself only if it passes cases: after SCREEN_TRIAL tries
            # passing fewer than a quarter, this search evaluates the reference way only
            tried = stats["screened"] + stats["screen_failed"]
            if settings.screening and (tried < SCREEN_TRIAL or 4 * stats["screened"] >= tried):
                screened = self.screen(case, IB)
                if screened is not None:
                    lo, hi, scale = screened
                    # comfortably above the rounding band, finite and narrow: passes under
                    # the reference rule too (no Arb confirmation there either)
                    if math.isfinite(hi) and math.isfinite(scale) and lo > rounding * scale and hi - lo <= SCREEN_WIDTH * lo:
                        stats["screened"] += 1
                        return accept(case, lo / 2 + hi / 2)
                stats["screen_failed"] += 1
            stats["reference"] += 1
            try:
                m = self.margin(case, MP)
                mf = float(m)
                if math.isinf(mf) and MP.ctx.isfinite(m):
                    # a finite margin beyond float range (a^100 at a = 10^60): keep its sign
                    mf = math.copysign(sys.float_info.max, mf)
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                # not a real number here (a pole, a complex value, ...): not a passing sample
                stats["undefined"] += 1
                return False
            if not math.isfinite(mf):
                stats["undefined"] += 1
                return False
            scale = self._scale(case, MP)
            within = abs(mf) <= rounding * scale
            suspicious = mf < -rounding * scale or (mf < 0 and self.rel == "==") or (self.strict and mf <= rounding * scale)
            if mf <= 0 and not suspicious:
                stats["tight"] += 1
            # a margin within rounding may have either sign: the balls decide it
            if suspicious or (mf < 0 and self.rel != "==") or within:
                stats["arb"] += 1
                decided, ball = self.confirm(case, settings)
                if decided is False:
                    raise _Found(case, ball)
                if decided is None and (mf < -rounding * scale or self.strict):
                    stats["near_miss"] = (case, ball)
            return accept(case, mf)

        found: _Found | None = None

        @hseed(settings.seed)
        @hsettings(
            max_examples=settings.examples,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
            phases=(Phase.generate, Phase.target),
            print_blob=False,
        )
        @given(self.cases)
        def probe(case: Case) -> None:
            nonlocal found
            try:
                accepted = consider(case)
            except _Found as f:
                # confirmed in Arb: the verdict is settled, so the search ends here (no
                # shrinking: the counterexample shown is the first one confirmed)
                found = f
                raise _StopSearch from None
            if not accepted:
                # a draw the hypotheses reject, or where the margin is undefined, is not a
                # sample: hypothesis does not count it toward max_examples and draws again
                reject()
            if worst:
                target(-max(min(worst[0][0], 1e300), -1e300))

        if self.hard_cases is not None:
            for case in self.hard_cases():
                stats["hard"] += 1
                try:
                    consider(case)
                except _Found as f:
                    found = f
                    break
        try:
            if found is None:
                probe()
        except _StopSearch:
            assert found is not None
        except Unsatisfiable:
            pass  # no draw was a sample: the counts below make the verdict undecided

        if found is None and settings.local_search > 0:
            for start in _diverse_starts(worst, settings.local_search):
                found = self._local_search(start, F64, consider)
                if found is not None:
                    break

        evidence_kw: dict[str, Any] = {"samples": stats["evals"], "digits": settings.digits, "seed": settings.seed}
        extra: dict[str, Any] = {"screening": {"float64 intervals": stats["screened"], f"{settings.digits} digits": stats["reference"], "Arb": stats["arb"]}}
        if stats["unlinked"] is not None:
            extra["unlinked"] = stats["unlinked"]
        evidence_kw["extra"] = extra
        how = (
            f"cases evaluated: {stats['screened']} passed in float64 intervals, {stats['reference']} at {settings.digits} digits, "
            f"{stats['arb']} in Arb balls"
        )
        if found is not None:
            ce = found.case.to_json()
            ce["margin"] = found.margin
            ce.update(self._values(found.case, settings))
            if found.margin.startswith("exact"):
                method = "counterexample search (hypothesis + local search), confirmed in exact arithmetic (the Arb ball contains 0)"
                details = f"{found.margin}: {'<= 0' if self.strict else '< 0'}"
            else:
                method = "counterexample search (hypothesis + local search), confirmed in Arb ball arithmetic"
                details = f"margin ball {found.margin} < 0" if not self.strict else f"margin ball {found.margin} <= 0"
            return Outcome(
                Verdict.REFUTED,
                Evidence(
                    method=method,
                    counterexample=ce,
                    details=f"{details}; {how}",
                    **evidence_kw,
                ),
            )
        if stats["near_miss"] is not None:
            case, ball = stats["near_miss"]
            return Outcome(
                Verdict.UNDECIDED,
                Evidence(
                    method="counterexample search; a candidate could not be decided with ball arithmetic",
                    counterexample={**case.to_json(), "margin": ball},
                    details=f"margin within rounding at the highest precision tried; {how}",
                    **evidence_kw,
                ),
            )
        if stats["evals"] == 0:
            if stats["undefined"]:
                return Outcome(
                    Verdict.UNDECIDED,
                    Evidence(method="no case could be evaluated", details=f"the margin was not a finite real number at all {stats['undefined']} cases", **evidence_kw),
                )
            return Outcome(Verdict.UNDECIDED, Evidence(method="no case satisfied the hypotheses", **evidence_kw))
        minimum = min_samples(settings)
        if stats["evals"] < minimum:
            return Outcome(
                Verdict.UNDECIDED,
                Evidence(
                    method="too few cases could be evaluated",
                    details=(
                        f"{stats['evals']} cases evaluated, fewer than the {minimum} a verdict needs ({settings.examples} requested); "
                        f"{stats['rejected']} draws rejected by the hypotheses, {stats['undefined']} where the margin was not a finite real number"
                    ),
                    **evidence_kw,
                ),
            )
        details = f"smallest margin {stats['min']:.3g}"
        if stats["rejected"]:
            details += f"; {stats['rejected']} draws rejected by the hypotheses (not counted)"
        if stats["tight"]:
            details += f"; {stats['tight']} samples on the boundary within rounding"
        if stats["undefined"]:
            details += f"; {stats['undefined']} cases where the margin was not a finite real number (not counted)"
        if stats["hard"]:
            details += f"; {stats['hard']} of the draws were the family's hard cases (symbolic.hard_instances)"
        details += f"; {how}"
        return Outcome(
            Verdict.CHECKED,
            Evidence(method="counterexample search (hypothesis + local search), none found", details=details, **evidence_kw),
        )

    def _local_search(self, start: Case, F64: ScalarFloatBackend, consider: Callable[[Case], bool]) -> _Found | None:
        x0 = start.vector()
        if x0.size == 0:
            return None

        def at(case: Case) -> float:
            if self.where is not None and not self.where(case):
                return 1e300
            with np.errstate(all="ignore"):
                m = float(self.margin(case, F64))
            return m if math.isfinite(m) else 1e300

        exact_only = False

        def fun(v: np.ndarray) -> float:
            """The float64 margin at v: the case's coordinates as floats, no rationals; a
            predicate or margin that cannot take floats gets the rounded case instead."""
            nonlocal exact_only
            if not exact_only:
                try:
                    return at(start.with_floats(v.tolist()))
                except (ValueError, ZeroDivisionError, OverflowError):
                    return 1e300
                except Exception:  # noqa: BLE001 -- floats not accepted here: use rationals from now on
                    exact_only = True
            try:
                return at(start.with_vector(v.tolist(), denominator=10**12))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return 1e300

        try:
            from scipy.optimize import minimize  # imported on first use: start-up stays fast

            res = minimize(fun, x0, method="Nelder-Mead", options={"maxiter": 150 * x0.size, "maxfev": 300, "xatol": 1e-10, "fatol": 1e-14})
        except (ValueError, OverflowError):
            return None
        try:
            consider(start.with_vector(list(res.x)))
        except _Found as f:
            return f
        return None
