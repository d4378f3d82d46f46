"""The order of a discretisation scheme: estimated over a ladder of steps, or proved as a series.

Two routes, with the verdicts each may give:

- :func:`estimate_order` regresses log|error| on log(step) over a ladder of steps. Its
  confidence interval accounts for the Monte Carlo error of *every* point (a parametric
  bootstrap: each error is redrawn from N(estimate, standard error^2) and the slope refitted)
  *and* for the misfit of the straight line (the residual standard error of the slope); the two
  variances are added, which is conservative since the residuals already contain Monte Carlo
  noise. :class:`OrderEstimate` says at what confidence the order is at least a claimed one,
  and whether the data contradict it. :class:`SchemeOrder` is the check built on it: it gives
  ``checked`` or, being statistical, ``undecided`` (never ``refuted``, like every Monte Carlo
  check of the engine); the evidence says when the data contradict the claim.
- :class:`OrderBySeries` takes the *exact* error as a sympy expression in the step h (moments
  solved exactly, e.g. linear SDEs, SGD on quadratics, test functions of degree <= 2) and
  expands it at h = 0: leading power >= claimed order is ``proved``; a smaller leading power
  with a coefficient certainly nonzero at an exact instance is ``refuted`` (|error|/h^alpha is
  unbounded as h -> 0, so no constant C exists).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy

from .checks import Check
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict

# ------------------------------------------------------------------ estimation over a ladder


@dataclass(frozen=True)
class OrderEstimate:
    """A fitted order with its (1 - delta) one-sided confidence bounds.

    ``se_mc`` is the slope's standard error due to the Monte Carlo error of the points
    (bootstrap), ``se_fit`` the one due to the straight-line misfit; ``se`` combines them.
    ``weak_points`` lists the steps whose error is not at least ``3`` standard errors away
    from 0 (the bias does not dominate the Monte Carlo error there: the estimate is not to
    be trusted, and :meth:`decide` answers ``inconclusive``).
    """

    steps: tuple[float, ...]
    errors: tuple[float, ...]
    stderrs: tuple[float, ...]
    slope: float
    intercept: float
    se_mc: float
    se_fit: float
    delta: float
    weak_points: tuple[float, ...] = ()
    bootstrap: int = 0

    @property
    def se(self) -> float:
        return math.hypot(self.se_mc, self.se_fit)

    @property
    def z(self) -> float:
        from scipy.stats import norm  # imported here to keep start-up fast

        return float(norm.ppf(1 - self.delta))

    @property
    def lower(self) -> float:
        return self.slope - self.z * self.se

    @property
    def upper(self) -> float:
        return self.slope + self.z * self.se

    def confidence_at_least(self, claimed: float) -> float:
        """P(order >= claimed) under the normal approximation of the slope's error."""
        if self.se == 0:
            return 1.0 if self.slope >= claimed else 0.0
        from scipy.stats import norm

        return float(norm.cdf((self.slope - claimed) / self.se))

    def decide(self, claimed: float, tolerance: float = 0.25) -> str:
        """``supported``: lower bound >= claimed - tolerance; ``refuted``: upper bound < claimed - tolerance; else ``inconclusive``.

        ``tolerance`` is the pre-asymptotic slack of a fit over a finite ladder (the slope of a
        finite ladder is biased by the higher-order terms, which no confidence interval covers);
        it is also the resolution: the check tells the claimed order from one smaller by more
        than ``2 tolerance`` plus the interval's width.
        """
        if self.weak_points:
            return "inconclusive"
        if self.upper < claimed - tolerance:
            return "refuted"
        if self.lower >= claimed - tolerance:
            return "supported"
        return "inconclusive"

    def summary(self) -> str:
        pts = ", ".join(f"h={h:.4g}: {e:.4g}±{s:.2g}" for h, e, s in zip(self.steps, self.errors, self.stderrs, strict=True))
        return (
            f"fitted order {self.slope:.3f}, one-sided {1 - self.delta:.4g} bounds [{self.lower:.3f}, {self.upper:.3f}] "
            f"(s.e. {self.se:.3f} = Monte Carlo {self.se_mc:.3f} (+) misfit {self.se_fit:.3f}); points {pts}"
        )


def _fit(logh: np.ndarray, loge: np.ndarray) -> tuple[float, float, float]:
    """OLS slope, intercept and the slope's residual standard error (0 with two points)."""
    A = np.vstack([logh, np.ones_like(logh)]).T
    coef, *_ = np.linalg.lstsq(A, loge, rcond=None)
    n = len(logh)
    if n <= 2:
        return float(coef[0]), float(coef[1]), 0.0
    resid = loge - A @ coef
    s2 = float(resid @ resid) / (n - 2)
    sxx = float(((logh - logh.mean()) ** 2).sum())
    return float(coef[0]), float(coef[1]), math.sqrt(s2 / sxx)


def estimate_order(
    steps: Sequence[float],
    errors: Sequence[float],
    stderrs: Sequence[float] | None = None,
    *,
    delta: float = 1e-3,
    bootstrap: int = 4000,
    seed: int = 0,
) -> OrderEstimate:
    """Regress log|error| on log(step); confidence bounds from the Monte Carlo errors and the misfit.

    ``stderrs`` are the standard errors of the (signed) error estimates (omit, or zeros, for
    exact errors). The bootstrap redraws each error from N(error, stderr^2) independently
    (the points of a ladder are simulated independently) and refits; its standard deviation
    is the Monte Carlo part of the slope's error.
    """
    h = np.asarray(steps, float)
    e = np.asarray(errors, float)
    s = np.zeros_like(e) if stderrs is None else np.asarray(stderrs, float)
    if h.shape != e.shape or e.shape != s.shape or len(h) < 2:
        raise ValueError("estimate_order: need at least two steps, with as many errors and standard errors")
    if np.any(h <= 0) or not 0 < delta < 1:
        raise ValueError("estimate_order: steps must be positive and delta in (0, 1)")
    if np.any(e == 0):
        raise ValueError("estimate_order: an error is exactly 0 (log undefined); the scheme is exact there")
    logh = np.log(h)
    slope, icept, se_fit = _fit(logh, np.log(np.abs(e)))
    se_mc = 0.0
    if np.any(s > 0) and bootstrap > 0:
        rng = np.random.default_rng(np.random.SeedSequence(seed))
        draws = e[None, :] + s[None, :] * rng.standard_normal((bootstrap, len(e)))
        draws = np.abs(draws)
        draws[draws == 0] = np.finfo(float).tiny
        X = np.vstack([logh, np.ones_like(logh)]).T
        coefs = np.linalg.lstsq(X, np.log(draws).T, rcond=None)[0]
        se_mc = float(coefs[0].std(ddof=1))
    weak = tuple(float(hh) for hh, ee, ss in zip(h, e, s, strict=True) if abs(ee) < 3 * ss)
    return OrderEstimate(tuple(map(float, h)), tuple(map(float, e)), tuple(map(float, s)), slope, icept, se_mc, se_fit, delta, weak, bootstrap if np.any(s > 0) else 0)


class SchemeOrder(Check):
    """A scheme has (weak or strong) order ``claimed``, estimated over a ladder of steps.

    ``errors(settings) -> (steps, errors, stderrs, samples)`` computes the error at each step
    (Monte Carlo: its standard error; exact: zeros). ``checked`` when the estimate supports
    the claim (:meth:`OrderEstimate.decide` with ``tolerance``), ``undecided`` otherwise, with
    "the data contradict the claim at confidence 1 - delta" when the upper bound is below it.
    With ``below=True`` the claim is the opposite one, "the order is less than ``claimed``"
    (e.g. "not order 2"): ``checked`` when the upper confidence bound is below ``claimed - tolerance``.
    """

    kind = "M"

    def __init__(
        self,
        name: str,
        errors: Callable[[CheckSettings], tuple[Sequence[float], Sequence[float], Sequence[float], int]],
        *,
        claimed: float,
        sense: str = "weak",
        tolerance: float = 0.25,
        delta: float = 1e-3,
        below: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
        self.below = below
        if sense not in ("weak", "strong"):
            raise ValueError(f"SchemeOrder {name!r}: sense must be 'weak' or 'strong'")
        self.errors, self.claimed, self.sense = errors, claimed, sense
        self.tolerance, self.delta = tolerance, delta

    def run(self, settings: CheckSettings) -> Outcome:
        steps, errs, ses, samples = self.errors(settings)
        est = estimate_order(steps, errs, ses, delta=self.delta, seed=settings.seed)
        answer = est.decide(self.claimed, self.tolerance)
        conf = est.confidence_at_least(self.claimed)
        conf_tol = est.confidence_at_least(self.claimed - self.tolerance)
        details = (
            f"{self.sense} order claimed {self.claimed}; {est.summary()}; confidence that the order is >= {self.claimed}: {conf:.4g}, "
            f">= {self.claimed - self.tolerance} (claim minus the pre-asymptotic slack): {conf_tol:.4g}; "
            f"resolution: tells the claim from an order smaller by more than {self.tolerance}; decision: {answer}"
        )
        if answer == "refuted":
            details += f" (the data contradict order >= {self.claimed - self.tolerance} at confidence {1 - self.delta:.4g}; a statistical contradiction is reported undecided, not refuted)"
        if est.weak_points:
            details += f"; the bias does not dominate the Monte Carlo error at h = {est.weak_points}"
        if self.below:
            details = f"{self.sense} order claimed below {self.claimed}; {est.summary()}; confidence that the order is >= {self.claimed}: {conf:.4g}"
            ok = not est.weak_points and est.upper < self.claimed - self.tolerance
        else:
            ok = answer == "supported"
        verdict = Verdict.CHECKED if ok else Verdict.UNDECIDED
        return Outcome(
            verdict,
            Evidence(
                method="regression of log|error| on log(step), Monte Carlo error propagated by parametric bootstrap",
                samples=samples,
                seed=settings.seed,
                confidence=1 - self.delta,
                details=details,
                extra={"order": est.slope, "interval": [est.lower, est.upper], "decision": answer, "confidence_at_least": conf, "confidence_at_least_with_slack": conf_tol, "errors": list(est.errors), "stderrs": list(est.stderrs), "steps": list(est.steps)},
            ),
        )


# ------------------------------------------------------------------ exact errors: series in the step


@dataclass(frozen=True)
class SeriesOrder:
    """The expansion of an exact error at h = 0: its leading power and coefficient."""

    leading_power: sympy.Expr | None  # None: zero up to the expansion order
    coefficient: sympy.Expr
    expansion: sympy.Expr
    order: int


def leading_order(error: sympy.Expr, h: sympy.Symbol, upto: int) -> SeriesOrder:
    """Expand ``error`` in powers of h up to (not including) h^upto; the first nonzero term."""
    ser = sympy.series(error, h, 0, upto).removeO()
    ser = sympy.expand(ser)
    terms = sympy.collect(ser, h, evaluate=False)
    powers = []
    for key, coeff in terms.items():
        p = sympy.Integer(0) if key == 1 else sympy.Poly(key, h).degree() if key.is_polynomial(h) else None
        if p is None:
            b, ex = key.as_base_exp()
            p = ex if b == h else None
        if p is None:
            raise ValueError(f"leading_order: term {key} is not a power of {h}")
        c = sympy.simplify(coeff)
        if c != 0:
            powers.append((p, c))
    if not powers:
        return SeriesOrder(None, sympy.Integer(0), ser, upto)
    p, c = min(powers, key=lambda pc: pc[0])
    return SeriesOrder(p, c, ser, upto)


class OrderBySeries(Check):
    """|error(h)| <= C h^alpha as h -> 0, decided from the exact error's expansion at h = 0.

    ``errors`` maps a label (e.g. the test function) to the exact error, a sympy expression in
    ``h`` and possibly other symbols (time t, ...). ``proved`` when every expansion vanishes
    below h^alpha; ``refuted`` when one has a lower power whose coefficient is certainly
    nonzero at an exact instance of the other symbols (``instance``; Arb-confirmed), since
    then |error|/h^alpha -> infinity along h -> 0 at that instance.
    """

    kind = "S"

    def __init__(self, name: str, errors: Callable[[], dict[str, sympy.Expr]], h: sympy.Symbol, *, claimed: int, instance: dict[sympy.Symbol, sympy.Rational] | None = None, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.errors, self.h, self.claimed = errors, h, claimed
        self.instance = instance or {}

    def run(self, settings: CheckSettings) -> Outcome:
        from .proofs import _certainly_nonzero

        lines = []
        for label, err in self.errors().items():
            so = leading_order(err, self.h, self.claimed + 1)
            if so.leading_power is None or so.leading_power >= self.claimed:
                lines.append(f"{label}: error = {sympy.sstr(so.expansion) if so.expansion != 0 else 0} + O(h^{self.claimed + 1})")
                continue
            inst = {s: v for s, v in self.instance.items() if s in so.coefficient.free_symbols}
            missing = so.coefficient.free_symbols - set(inst)
            if missing:
                return Outcome(Verdict.UNDECIDED, Evidence(method="series in the step (sympy)", details=f"{label}: leading coefficient {so.coefficient} depends on {missing}, give an instance"))
            value = _certainly_nonzero(so.coefficient, inst)
            if value is None:
                return Outcome(Verdict.UNDECIDED, Evidence(method="series in the step (sympy)", details=f"{label}: coefficient of h^{so.leading_power} could not be shown nonzero"))
            return Outcome(
                Verdict.REFUTED,
                Evidence(
                    method="series in the step (sympy); the leading coefficient decided at an exact instance (exact rationals or an Arb ball excluding 0)",
                    counterexample={
                        "test function": label,
                        "error": f"{sympy.sstr(so.coefficient)} * h^{so.leading_power} + O(h^{so.leading_power + 1})",
                        **{str(k): str(v) for k, v in inst.items()},
                        "leading coefficient": value if isinstance(value, str) else sympy.sstr(value),
                    },
                    details=f"|error|/h^{self.claimed} grows like h^({so.leading_power - self.claimed}) as h -> 0: no constant C exists",
                ),
            )
        return Outcome(Verdict.PROVED, Evidence(method=f"series in the step (sympy): every error vanishes to order h^{self.claimed}", details="; ".join(lines)))


@dataclass(frozen=True)
class OrderClaim:
    """A weak-order statement for the :class:`~symbolic.experiments.Definition` predicate below."""

    errors: dict[str, sympy.Expr]
    h: sympy.Symbol
    alpha: int
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def has_weak_order(claim: OrderClaim) -> tuple[bool, str]:
    """Whether every exact error is O(h^alpha) as h -> 0 (series); and the leading terms."""
    parts = []
    ok = True
    for label, err in claim.errors.items():
        so = leading_order(err, claim.h, claim.alpha + 1)
        lead = "0" if so.leading_power is None else f"{sympy.sstr(so.coefficient)}*h^{so.leading_power}"
        parts.append(f"{label}: {lead}")
        if so.leading_power is not None and so.leading_power < claim.alpha:
            ok = False
    return ok, "; ".join(parts)
