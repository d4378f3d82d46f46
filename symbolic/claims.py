"""Claims of the form: for all cases (objective, parameters, points), lhs REL rhs.

Checking a claim searches for a counterexample:

1. hypothesis draws cases, evaluates the margin at ``digits`` significant digits (mpmath)
   and steers the search with ``hypothesis.target`` towards small margins;
2. scipy's Nelder-Mead minimises the margin from the worst draws (float64), and the
   result is rounded to rationals inside the domain;
3. any candidate is confirmed in Arb ball arithmetic at increasing precision before it is
   reported: ``refuted`` only when the ball proves the failure; a candidate the balls
   cannot decide leaves the claim ``undecided``.

Sampling never says ``proved``: a claim is ``proved`` only through a
:class:`~symbolic.proofgraph.Proof` whose lemma, premises and link to the claim all hold
(weakest link; see :mod:`symbolic.proofgraph`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, reject, target
from hypothesis import seed as hseed
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from .backends import (
    ArbBackend,
    Backend,
    FloatBackend,
    MPBackend,
    Number,
    arb_precision,
    ball_certainly,
)
from .checks import Check, Expect
from .objectives import Objective
from .proofgraph import Proof
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict

RELATIONS = ("<=", "<", ">=", ">", "==")


@dataclass(frozen=True)
class Bound:
    """An exact interval for a parameter, with open or closed ends (None: unbounded)."""

    lo: Fraction | None = None
    hi: Fraction | None = None
    lo_open: bool = True
    hi_open: bool = True

    def contains(self, v: Fraction) -> bool:
        if self.lo is not None and (v < self.lo or (self.lo_open and v == self.lo)):
            return False
        if self.hi is not None and (v > self.hi or (self.hi_open and v == self.hi)):
            return False
        return True

    def clip(self, v: Fraction) -> Fraction:
        """The nearest point of the interval (pulled strictly inside at open ends)."""
        if self.contains(v):
            return v
        span = (self.hi - self.lo) if self.lo is not None and self.hi is not None else Fraction(1)
        eps = span / 10**9
        if self.lo is not None and v <= self.lo:
            return self.lo + eps if self.lo_open else self.lo
        assert self.hi is not None
        return self.hi - eps if self.hi_open else self.hi


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


Margin = Callable[[Case, Backend], Number]


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


class Claim(Check):
    """For all cases drawn from ``cases``: ``lhs(case) REL rhs(case)``.

    Give either ``lhs``/``rel``/``rhs`` or a ``margin`` (the claim holds at a case iff
    ``margin >= 0``, or ``> 0`` when ``strict``). Each callable takes the case and a
    backend and uses only backend arithmetic, so it runs in mpmath, Arb and float64.
    ``where`` is an exact predicate restricting the cases (e.g. a ball constraint).
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
    ) -> None:
        super().__init__(name, statement=statement, expect=expect, role=role, note=note, scope=scope, title_latex=title_latex)
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
        a, b = self.lhs(case, B), self.rhs(case, B)
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

    def confirm(self, case: Case, settings: CheckSettings) -> tuple[bool | None, str]:
        """Decide the claim at one case with Arb balls, raising the precision as needed.

        Returns (True: holds, False: certainly fails, None: undecidable) and the margin ball.
        """
        bits = max(128, int(settings.digits * 3.33) + 32)
        last = "nan"
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
        F64 = FloatBackend()
        rounding = 10.0 ** (-(settings.digits // 2))
        stats: dict[str, Any] = {"evals": 0, "undefined": 0, "tight": 0, "min": math.inf, "near_miss": None, "after": 0, "unlinked": None, "rejected": 0}
        worst: list[tuple[float, Case]] = []

        def consider(case: Case) -> bool:
            """Evaluate one case; False when it is not a sample (rejected or not evaluable)."""
            if self.where is not None and not self.where(case):
                stats["rejected"] += 1
                return False
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
            stats["evals"] += 1
            stats["min"] = min(stats["min"], mf)
            if link is not None and stats["unlinked"] is None:
                try:
                    stats["unlinked"] = link(case, MP)
                except (ValueError, ZeroDivisionError, OverflowError, TypeError) as exc:
                    stats["unlinked"] = f"the link could not be evaluated: {exc}"
            scale = self._scale(case, MP)
            within = abs(mf) <= rounding * scale
            suspicious = mf < -rounding * scale or (mf < 0 and self.rel == "==") or (self.strict and mf <= rounding * scale)
            if mf <= 0 and not suspicious:
                stats["tight"] += 1
            # a margin within rounding may have either sign: the balls decide it
            if suspicious or (mf < 0 and self.rel != "==") or within:
                decided, ball = self.confirm(case, settings)
                if decided is False:
                    raise _Found(case, ball)
                if decided is None and (mf < -rounding * scale or self.strict):
                    stats["near_miss"] = (case, ball)
            worst.append((mf, case))
            worst.sort(key=lambda t: t[0])
            del worst[max(settings.local_search, 1) :]
            return True

        found: _Found | None = None

        @hseed(settings.seed)
        @hsettings(
            max_examples=settings.examples,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
            phases=(Phase.generate, Phase.target, Phase.shrink),
            print_blob=False,
        )
        @given(self.cases)
        def probe(case: Case) -> None:
            nonlocal found
            if found is not None:
                # shrinking: keep it short, stop after a budget counted in examples (never in
                # seconds: the counterexample shown must not depend on the machine's load)
                stats["after"] += 1
                if stats["after"] > 60:
                    return
            try:
                accepted = consider(case)
            except _Found as f:
                found = f
                raise
            if not accepted:
                # a draw the hypotheses reject, or where the margin is undefined, is not a
                # sample: hypothesis does not count it toward max_examples and draws again
                reject()
            if worst:
                target(-max(min(worst[0][0], 1e300), -1e300))

        try:
            probe()
        except _Found as f:
            found = f
        except Unsatisfiable:
            pass  # no draw was a sample: the counts below make the verdict undecided
        except Exception:
            # Shrinking stops re-raising after its budget, which hypothesis reports as a
            # flaky failure; the counterexample found first is already confirmed in Arb.
            if found is None:
                raise

        if found is None and settings.local_search > 0:
            for _, start in list(worst)[: settings.local_search]:
                found = self._local_search(start, F64, consider)
                if found is not None:
                    break

        evidence_kw: dict[str, Any] = {"samples": stats["evals"], "digits": settings.digits, "seed": settings.seed}
        if stats["unlinked"] is not None:
            evidence_kw["extra"] = {"unlinked": stats["unlinked"]}
        if found is not None:
            ce = found.case.to_json()
            ce["margin"] = found.margin
            ce.update(self._values(found.case, settings))
            return Outcome(
                Verdict.REFUTED,
                Evidence(
                    method="counterexample search (hypothesis + local search), confirmed in Arb ball arithmetic",
                    counterexample=ce,
                    details=f"margin ball {found.margin} < 0" if not self.strict else f"margin ball {found.margin} <= 0",
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
                    details="margin within rounding at the highest precision tried",
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
        return Outcome(
            Verdict.CHECKED,
            Evidence(method="counterexample search (hypothesis + local search), none found", details=details, **evidence_kw),
        )

    def _local_search(self, start: Case, F64: FloatBackend, consider: Callable[[Case], bool]) -> _Found | None:
        x0 = start.vector()
        if x0.size == 0:
            return None

        def fun(v: np.ndarray) -> float:
            case = start.with_vector(v.tolist(), denominator=10**12)
            if self.where is not None and not self.where(case):
                return 1e300
            try:
                with np.errstate(all="ignore"):
                    m = float(self.margin(case, F64))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return 1e300
            return m if math.isfinite(m) else 1e300

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
