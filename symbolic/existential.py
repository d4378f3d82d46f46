"""Existential parameters: for all cases, there is a witness w in its domain with P(case, w).

:class:`ExistsClaim` wraps a :class:`~symbolic.claims.Claim` (the body P, whose margin reads
the existential parameters like any other) and searches, at every drawn case, for a witness:

1. candidates: points near both ends and across the witness domain (a grid), evaluated at
   the search's precision; when none has a positive margin, the best one is refined by a
   short local search;
2. the best candidates are confirmed in Arb (the body's :meth:`~symbolic.claims.Claim.confirm`,
   exact ties included): a confirmed witness makes the case a passing sample, and is shown
   in the evidence;
3. when no candidate is confirmed, the *negation* is attempted rigorously: branch and bound
   in Arb over the closed hull of the witness domain (a bounded box only, widened by
   :data:`HULL_SLACK` so that a bound rounded into the domain is covered) proves that the
   body fails for **every** witness. Only then is the case a counterexample (``refuted``);
   otherwise it leaves the claim ``undecided`` ("no witness found, none excluded").

So ``exists`` is never read as ``for all`` (a body true only for some witnesses is not
refuted), and a sampled failure to find a witness is never a refutation. A claim with no
universal part (a single instance: ``universal=False``) whose witness is confirmed is
``certified``: the Arb confirmation at that witness covers the whole statement.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from .backends import Backend, FloatBackend, MPBackend, Number
from .checks import Expect
from .claims import Bound, Case, Claim
from .objectives import Box
from .rigorous import minimize_rigorously
from .settings import CheckSettings
from .verdicts import Outcome, Verdict

#: witness candidates per existential parameter (plus points near both ends)
GRID = 16
#: boxes the branch and bound may use to exclude every witness
MAX_BOXES = 600
#: how far the hull of a witness domain is widened (absolute, and relative to its width) before
#: branch and bound excludes every witness in it
HULL_SLACK = Fraction(1, 10**25)
#: cases kept in the witness cache of one run
CACHE = 4096


@dataclass(frozen=True, eq=False)
class _BallCase(Case):
    """A case whose existential parameters are Arb balls (for branch and bound)."""

    balls: Mapping[str, Any] = field(default_factory=dict)

    def p(self, B: Backend, name: str) -> Number:
        if name in self.balls:
            return self.balls[name]
        return super().p(B, name)


def witness_candidates(bound: Bound, grid: int = GRID) -> list[Fraction]:
    """Values inside the interval: near each end (1/10^k of the span) and an even grid."""
    if bound.lo is not None and bound.hi is not None:
        lo, hi = bound.lo, bound.hi
    elif bound.lo is not None:
        lo, hi = bound.lo, bound.lo + 16
    elif bound.hi is not None:
        lo, hi = bound.hi - 16, bound.hi
    else:
        lo, hi = Fraction(-8), Fraction(8)
    span = hi - lo
    fracs = [Fraction(k, grid) for k in range(grid + 1)] + [Fraction(1, 10**k) for k in (2, 4, 8)] + [1 - Fraction(1, 10**k) for k in (2, 4, 8)]
    return sorted({v for t in fracs if bound.contains(v := lo + span * t)})


class ExistsClaim(Claim):
    """For all cases of ``body``: there are values of the ``exists`` parameters (each in the
    domain its function gives for the case) at which ``body`` holds.

    ``body`` is a :class:`Claim` whose cases do not draw the existential parameters; its
    margin reads them from the case's parameters. ``universal=False`` says the cases are a
    single instance (nothing is drawn), so a confirmed witness gives ``certified``.
    """

    def __init__(
        self,
        body: Claim,
        exists: Mapping[str, Callable[[Case], Bound | None]],
        *,
        universal: bool = True,
        name: str | None = None,
        expect: Expect | None = None,
    ) -> None:
        if not exists:
            raise ValueError("ExistsClaim needs at least one existential parameter")
        super().__init__(
            name or body.name,
            cases=body.cases,
            margin=body.margin,
            strict=body.strict,
            where=body.where,
            statement=body.statement,
            expect=body.expect if expect is None else expect,
            role=body.role,
            note=body.note,
            kind=body.kind,
            scope=body.scope,
            title_latex=body.title_latex,
            hard_cases=body.hard_cases,
        )
        self.body = body
        self.exists = dict(exists)
        self.universal = universal
        self._best: dict[int, tuple[list[Case], Case]] = {}
        self.witnesses: list[dict[str, Any]] = []
        self._seen: list[Case] = []

    # ------------------------------------------------------------ witness search
    def _domains(self, case: Case) -> dict[str, Bound] | None:
        out = {}
        for name, fn in self.exists.items():
            b = fn(case)
            if b is None:
                return None
            out[name] = b
        return out

    def _with(self, case: Case, values: Mapping[str, Fraction]) -> Case:
        return replace(case, params={**case.params, **values})

    def _candidates(self, case: Case, scoring: Backend | None = None) -> list[Case]:
        """Witness candidates at this case, best first (at most a few), scored in ``scoring``
        (float64 during local search, 30 digits otherwise; only the ranking depends on it)."""
        key = id(case)
        if key in self._best and self._best[key][1] is case:
            return self._best[key][0]
        domains = self._domains(case)
        if domains is None:
            raise ValueError("the witness domain is empty or undefined for this case")
        names = list(domains)
        axes = [witness_candidates(domains[n], GRID if len(names) == 1 else 8) for n in names]
        F64 = FloatBackend()
        score = F64 if isinstance(scoring, FloatBackend) else MPBackend(30)
        scored: list[tuple[float, Case]] = []
        for combo in itertools.islice(itertools.product(*axes), 400):
            c = self._with(case, dict(zip(names, combo, strict=True)))
            try:
                m = float(self.body.margin(c, score))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                continue
            if math.isfinite(m):
                scored.append((m, c))
        scored.sort(key=lambda t: -t[0])
        best = [c for _, c in scored[:3]]
        if best and scored[0][0] <= 0:  # no candidate clearly works: refine the best one
            refined = self._refine(best[0], names, domains, F64)
            if refined is not None:
                best.insert(0, refined)
        if len(self._best) > CACHE:
            self._best.clear()
        self._best[key] = (best, case)
        if best and len(self._seen) < 3 and len(scored) > 1 and scored[0][0] > scored[-1][0]:
            self._seen.append(case)  # a case where the choice of the witness matters, to show
        return best

    def _refine(self, start: Case, names: list[str], domains: Mapping[str, Bound], F64: FloatBackend) -> Case | None:
        """Nelder-Mead on the witness (float64), rounded to rationals inside the domain."""
        import numpy as np
        from scipy.optimize import minimize

        x0 = np.array([float(start.params[n]) for n in names])

        def at(v: Any) -> Case:
            vals = {n: domains[n].clip(Fraction(float(x)).limit_denominator(10**8)) for n, x in zip(names, v, strict=True)}
            return self._with(start, vals)

        def fun(v: Any) -> float:
            if not all(math.isfinite(float(x)) for x in v):
                return 1e300
            try:
                with np.errstate(all="ignore"):
                    m = float(self.body.margin(at(v), F64))
            except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                return 1e300
            return -m if math.isfinite(m) else 1e300

        try:
            res = minimize(fun, x0, method="Nelder-Mead", options={"maxfev": 120, "xatol": 1e-9, "fatol": 1e-14})
        except (ValueError, OverflowError):
            return None
        return at(res.x) if res.fun < fun(x0) else None

    # ------------------------------------------------------------ the engine's hooks
    def margin(self, case: Case, B: Backend) -> Number:
        """The body's margin at the best witness candidate for the case."""
        best = self._candidates(case, B)
        if not best:
            raise ValueError("no witness candidate could be evaluated")
        return self.body.margin(best[0], B)

    def confirm(self, case: Case, settings: CheckSettings) -> tuple[bool | None, str]:
        """True: a witness is confirmed; False: no witness exists (proved); None: neither."""
        try:
            best = self._candidates(case)
        except ValueError as exc:
            return None, str(exc)
        last = "no witness candidate"
        for w in best:
            decided, ball = self.body.confirm(w, settings)
            if decided is True:
                self._record(w, ball)
                return True, ball
            last = ball
        domains = self._domains(case)
        if domains is None:
            return None, last
        excluded = self._exclude(case, domains, settings)
        if excluded is not None:
            return False, excluded
        return None, f"no witness found, none excluded (best candidate margin {last})"

    def _record(self, w: Case, ball: str) -> None:
        if len(self.witnesses) < 5:
            self.witnesses.append({**w.to_json(), "witness": {n: str(w.params[n]) for n in self.exists}, "margin": ball})

    def _exclude(self, case: Case, domains: Mapping[str, Bound], settings: CheckSettings) -> str | None:
        """Prove in Arb that the body fails at every witness of the closed hull of the domain."""
        if any(b.lo is None or b.hi is None for b in domains.values()):
            return None
        names = list(domains)
        # the hull is widened by HULL_SLACK: a bound rounded *into* the domain (an irrational
        # bound, rounded to 10^-30 by the claim files) must not leave out a witness near its end
        los, his = [], []
        for n in names:
            lo, hi = domains[n].lo, domains[n].hi
            assert lo is not None and hi is not None
            slack = HULL_SLACK + (hi - lo) * HULL_SLACK
            los.append(lo - slack)
            his.append(hi + slack)
        box = Box(tuple(los), tuple(his))
        strict = self.body.strict

        def neg_margin(B: Any, xs: list[Any]) -> Any:
            c = _BallCase(objective=case.objective, params={**case.params, **{n: Fraction(0) for n in names}}, points=case.points, bounds=case.bounds, balls=dict(zip(names, xs, strict=True)))
            return -self.body.margin(c, B)

        bits = max(128, int(settings.digits * 3.33) + 32)
        try:
            res = minimize_rigorously(neg_margin, box, target=Fraction(0), max_boxes=MAX_BOXES, bits=bits)
        except (ValueError, ZeroDivisionError, TypeError):
            return None
        if res.lower > 0 or (strict and res.lower >= 0):
            hull = ", ".join(f"{n} in [{lo}, {hi}]" for n, lo, hi in zip(names, los, his, strict=True))
            return f"no witness: for every {hull} the margin is {'<= 0' if strict else '< 0'} (Arb branch and bound over {res.boxes} boxes, -margin >= {float(res.lower):.3g})"
        return None

    def run(self, settings: CheckSettings) -> Outcome:
        """The sampled verdict of the search, with the confirmed witnesses in the evidence."""
        self.witnesses = []
        self._best = {}
        self._seen = []
        # a single instance is one sample, not a sampled verdict
        out = super().run(settings if self.universal else settings.with_(examples=1))
        if out.verdict in (Verdict.CHECKED, Verdict.CERTIFIED):
            # show first the witnesses of cases where the choice of the witness matters
            found, self.witnesses = self.witnesses, []
            for case in list(self._seen):
                self.confirm(case, settings)
            self.witnesses = (self.witnesses + found)[:5]
        ev = out.evidence
        extra = dict(ev.extra)
        if self.witnesses:
            extra["witnesses"] = self.witnesses
        details = ev.details
        names = ", ".join(self.exists)
        if out.verdict is Verdict.CHECKED:
            shown = "; ".join(", ".join(f"{n} = {v}" for n, v in w["witness"].items()) for w in self.witnesses[:3])
            details = (details + f"; a witness {names} was searched at every sample" + (f" (e.g. {shown}, confirmed in Arb)" if shown else "")).lstrip("; ")
            if not self.universal and self.witnesses:
                method = "certified witness: the body holds at the witness (Arb ball arithmetic), a single instance"
                return Outcome(Verdict.CERTIFIED, replace(ev, method=method, details=details, extra=extra), out.parts)
        elif out.verdict is Verdict.REFUTED:
            ce = ev.counterexample or {}
            details = f"{ce.get('margin', '')}; so no value of {names} works at this case (proved in Arb, not sampled)"
            method = "witness search, and a rigorous proof that no witness exists at the counterexample"
            return Outcome(out.verdict, replace(ev, method=method, details=details, extra=extra), out.parts)
        elif out.verdict is Verdict.UNDECIDED and ev.counterexample is not None:
            method = f"witness search: at a case no value of {names} was confirmed, and none could be excluded rigorously"
            return Outcome(out.verdict, replace(ev, method=method, details=str(ev.counterexample.get("margin", "")), extra=extra), out.parts)
        return Outcome(out.verdict, replace(ev, details=details, extra=extra), out.parts)


__all__ = ["ExistsClaim", "witness_candidates"]
