"""Screen, then certify: a one-parameter claim decided over many points in one float64 pass.

A grading check that asks "does ``margin(t) > 0`` (or ``>= 0``) hold for every ``t`` in an
interval" (a desingularizing function's axioms, the KL inequality) does not need a hypothesis
search per answer: the points are scalars. :func:`scan_claim` draws exact rational points
(a grid, ``RANDOM_PER_EXAMPLE`` random rationals per example the check asks for with large denominators, points at relative
distances 10^-1 ... 10^-12 from both ends), evaluates the margin at all of them at once in
numpy float64, refines around the lowest one, and then applies the claim's own rule
(:meth:`symbolic.claims.Claim`'s: a margin at ``digits`` digits in mpmath, a suspicious one
confirmed in Arb balls with :meth:`Claim.confirm`) to the *decisive* points only: the
lowest float margins, every margin within a band of 0, and every point where float64 gives
no finite value. A ``refuted`` verdict therefore still needs a counterexample confirmed in
Arb; a margin within rounding at the highest precision gives ``undecided``; ``checked``
needs at least a quarter of the requested examples evaluated, as for the claim.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from symbolic import Bound, Case, Claim, Verdict
from symbolic.backends import MPBackend
from symbolic.settings import CheckSettings

from .context import _randint

GRID = 64  # equally spaced points
RANDOM_PER_EXAMPLE = 8  # random rationals (denominators 10^9 .. 2*10^9) per requested example
NEAR_END = tuple(range(1, 13))  # points at relative distance 10^-j of each end
LOWEST = 4  # at least this many of the lowest float margins (and a quarter of the examples) re-evaluated with the claim's rule
BAND = 1e-6  # a float margin within BAND * (1 + |margin|) of 0 is re-evaluated too
REFINE = 48  # float points between the neighbours of the lowest point
NEAR_CAP = 30  # at least this many (and one per example) of the points within the band decided at full precision


@dataclass
class ScanOutcome:
    """What :func:`scan_claim` concluded, with its evidence (a subset of a claim's Outcome)."""

    verdict: Verdict
    samples: int
    method: str
    counterexample: dict[str, Any] | None = None
    details: str = ""
    decisive: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


_FIXED: dict[tuple[Fraction, Fraction, bool, bool], list[Fraction]] = {}
_FIXED_FLOATS: dict[tuple[Fraction, Fraction, bool, bool], list[float]] = {}


def _fixed_floats(bound: Bound) -> list[float]:
    """The float64 values of :func:`_fixed_points` (cached with them)."""
    key = (Fraction(bound.lo), Fraction(bound.hi), bound.lo_open, bound.hi_open)  # type: ignore[arg-type]
    hit = _FIXED_FLOATS.get(key)
    if hit is None:
        if len(_FIXED_FLOATS) > 256:
            _FIXED_FLOATS.clear()
        hit = _FIXED_FLOATS[key] = [float(p) for p in _fixed_points(bound)]
    return hit


def _fixed_points(bound: Bound) -> list[Fraction]:
    """The grid, the points 10^-j of the length from each end, and the closed ends (cached)."""
    assert bound.lo is not None and bound.hi is not None
    key = (Fraction(bound.lo), Fraction(bound.hi), bound.lo_open, bound.hi_open)
    hit = _FIXED.get(key)
    if hit is None:
        lo, hi = key[0], key[1]
        width = hi - lo
        hit = [lo + width * Fraction(k, GRID) for k in range(1, GRID)]  # strictly inside
        for j in NEAR_END:
            hit += [lo + width / 10**j, hi - width / 10**j]
        hit += [e for e, is_open in ((lo, bound.lo_open), (hi, bound.hi_open)) if not is_open]
        if len(_FIXED) > 256:
            _FIXED.clear()
        _FIXED[key] = hit
    return hit


class _Points:
    """Exact rational points of ``bound`` in increasing order, with their float64 values; a
    random point is kept as integers ``(k, den)`` (``lo + (hi - lo) k/den``) and made a
    :class:`~fractions.Fraction` only where it is evaluated exactly."""

    def __init__(self, bound: Bound, rng: random.Random, n_random: int) -> None:
        assert bound.lo is not None and bound.hi is not None
        self.lo, self.width = Fraction(bound.lo), Fraction(bound.hi) - Fraction(bound.lo)
        fixed = _fixed_points(bound)
        specs: list[Fraction | tuple[int, ...]] = list(fixed)
        floats = list(_fixed_floats(bound))
        lo_f, w_f = float(self.lo), float(self.width)
        for _ in range(n_random):
            den = _randint(rng, 10**9, 2 * 10**9)
            k = _randint(rng, 1, den - 1)  # strictly inside (lo, hi)
            specs.append((k, den))
            floats.append(lo_f + w_f * (k / den))
        order = np.argsort(np.array(floats), kind="stable")
        self.specs = [specs[i] for i in order]
        self.xs = np.array(floats)[order]

    def __len__(self) -> int:
        return len(self.specs)

    def exact(self, i: int) -> Fraction:
        p = self.specs[i]
        if isinstance(p, Fraction):
            return p
        if len(p) == 3:  # a refinement point num/den
            return Fraction(p[0], p[1])
        return self.lo + self.width * Fraction(p[0], p[1])

    def refine(self, a: Fraction, b: Fraction, steps: int) -> np.ndarray:
        """Add the points a + (b - a) k/steps, 0 < k < steps (kept as integers, made fractions
        only where evaluated exactly); returns their float64 values (correctly rounded, as
        ``float`` of the fraction: int / int rounds correctly)."""
        w = b - a
        base, step, den = a.numerator * w.denominator * steps, w.numerator * a.denominator, a.denominator * w.denominator * steps
        nums = [base + step * k for k in range(1, steps)]
        self.specs += [(n, den, 0) for n in nums]
        xs = np.array([n / den for n in nums])
        self.xs = np.concatenate([self.xs, xs])
        return xs

    def extend(self, extra: list[Fraction], xs: np.ndarray) -> None:
        self.specs += extra
        self.xs = np.concatenate([self.xs, xs])


_SEEDED: dict[tuple[Fraction, Fraction, bool, bool, int, int], _Points] = {}


def _seeded_points(bound: Bound, seed: int, n_random: int) -> _Points:
    """``_Points(bound, random.Random(seed), n_random)``, a fresh copy: the conditions of one
    answer that share a range and a seed (phi' > 0 and phi'' <= 0) draw the same points, and
    draw them once."""
    key = (Fraction(bound.lo), Fraction(bound.hi), bound.lo_open, bound.hi_open, seed, n_random)  # type: ignore[arg-type]
    hit = _SEEDED.get(key)
    if hit is None:
        if len(_SEEDED) > 8:
            _SEEDED.clear()
        hit = _SEEDED[key] = _Points(bound, random.Random(seed), n_random)
    out = _Points.__new__(_Points)
    out.lo, out.width, out.specs, out.xs = hit.lo, hit.width, list(hit.specs), hit.xs.copy()
    return out


def _points(bound: Bound, rng: random.Random, n_random: int) -> list[Fraction]:
    """The exact points of :class:`_Points` (for tests)."""
    pts = _Points(bound, rng, n_random)
    return [pts.exact(i) for i in range(len(pts))]


@dataclass
class RuleResult:
    """The claim's rule at one case: whether the case is a sample (its margin a finite real
    number at ``digits`` digits), that margin as a float, and the Arb ball of a confirmed
    failure (``refuted``) or of a candidate the balls could not decide (``near_miss``)."""

    counted: bool
    margin: float = math.nan
    tight: bool = False
    refuted: str | None = None
    near_miss: str | None = None


def claim_rule(claim: Claim, case: Case, settings: CheckSettings, MP: MPBackend) -> RuleResult:  # noqa: N803 - the backend's usual name
    """Claim._search's rule for one case (its ``where`` already checked): the margin at
    ``settings.digits`` digits in mpmath; a negative one, one within rounding, or (strict) one
    not clearly positive is decided with Arb balls by :meth:`Claim.confirm`."""
    rounding = 10.0 ** (-(settings.digits // 2))
    try:
        mv = claim.margin(case, MP)
        mf = float(mv)
        if math.isinf(mf) and MP.ctx.isfinite(mv):
            mf = math.copysign(1e308, mf)
    except (ValueError, ZeroDivisionError, OverflowError, TypeError):
        return RuleResult(False)
    if not math.isfinite(mf):
        return RuleResult(False)
    scale = claim._scale(case, MP)
    within = abs(mf) <= rounding * scale
    suspicious = mf < -rounding * scale or (mf < 0 and claim.rel == "==") or (claim.strict and mf <= rounding * scale)
    out = RuleResult(True, mf, tight=mf <= 0 and not suspicious)
    if suspicious or (mf < 0 and claim.rel != "==") or within:
        decided, ball = claim.confirm(case, settings)
        if decided is False:
            out.refuted = ball
        elif decided is None and (mf < -rounding * scale or claim.strict):
            out.near_miss = ball
    return out


def _interval_text(b: Bound) -> str:
    return f"{'(' if b.lo_open else '['}{b.lo}, {b.hi}{')' if b.hi_open else ']'}"


def _floats(pts: list[Fraction]) -> np.ndarray:
    return np.array([float(p) for p in pts], dtype=float)


def scan_claim(
    claim: Claim,
    name: str,
    bound: Bound,
    margin_f64: Callable[[np.ndarray], np.ndarray],
    settings: CheckSettings,
    *,
    where_f64: Callable[[np.ndarray], np.ndarray] | None = None,
) -> ScanOutcome:
    """Decide ``claim`` (whose cases have one scalar parameter ``name`` in ``bound``) by a
    float64 screen of many points and the claim's own rule at the decisive ones.

    ``margin_f64`` is the claim's margin on an array of parameter values (numpy float64;
    ``nan``/``inf`` where it cannot be evaluated); ``where_f64`` the claim's ``where`` on an
    array (the exact ``claim.where`` still decides every decisive point)."""
    pts = _seeded_points(bound, settings.seed, RANDOM_PER_EXAMPLE * settings.examples)
    xs = pts.xs

    def screen(v: np.ndarray) -> np.ndarray:
        try:
            return np.asarray(margin_f64(v), dtype=float) * np.ones_like(v)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, FloatingPointError):
            return np.full_like(v, np.nan)  # no float64 screen: every point is decisive

    def where(v: np.ndarray) -> np.ndarray:
        return np.ones_like(v, dtype=bool) if where_f64 is None else np.asarray(where_f64(v), dtype=bool) * np.ones_like(v, dtype=bool)

    with np.errstate(all="ignore"):
        m = screen(xs)
        keep = where(xs)
        # refine between the neighbours of the lowest finite margin
        finite = np.isfinite(m) & keep
        if finite.any():
            i = int(np.argmin(np.where(finite, m, np.inf)))
            a, b = pts.exact(max(i - 1, 0)), pts.exact(min(i + 1, len(pts) - 1))
            if a < b:
                # strictly between two points of the bound, so inside it (an interval)
                ex = pts.refine(a, b, REFINE + 1)
                m = np.concatenate([m, screen(ex)])
                keep = np.concatenate([keep, where(ex)])
    finite = np.isfinite(m)
    band = BAND * (1.0 + np.abs(np.where(finite, m, 0.0)))
    clear = finite & keep & (m > band)  # comfortably positive in float64: a sample as it is
    # every point float64 cannot evaluate and every clearly negative one is decisive; of the
    # points within the band (an equality case puts them all there) at most NEAR_CAP, spread
    # over the range; the others are not counted as samples
    decisive = set(np.nonzero(keep & (~finite | (m < -band)))[0].tolist())
    near = np.nonzero(finite & keep & (np.abs(m) <= band))[0]
    cap = max(NEAR_CAP, settings.examples)
    if len(near) > cap:
        near = near[np.linspace(0, len(near) - 1, cap).round().astype(int)]
    decisive |= set(near.tolist())
    order = np.argsort(np.where(finite & keep, m, np.inf), kind="stable")
    decisive |= {int(k) for k in order[: max(LOWEST, settings.examples // 4)] if keep[k]}
    skipped = int(np.count_nonzero(finite & keep & (np.abs(m) <= band))) - len(set(near.tolist()))
    samples = int(np.count_nonzero(clear)) - len([k for k in decisive if clear[k]])
    undefined = rejected = 0
    worst = math.inf
    if np.any(finite & keep):
        worst = float(np.min(m[finite & keep]))
    MP = MPBackend(settings.digits)
    near_miss: tuple[Case, str] | None = None
    tight = 0
    def order_key(j: int) -> tuple[bool, int, float]:
        # clearly failing points first, the simplest (smallest denominator) of them first, so
        # that the counterexample shown is readable; then the rest by increasing margin
        clearly = bool(math.isfinite(m[j]) and m[j] < -band[j])
        return (not clearly, pts.exact(j).denominator if clearly else 0, m[j] if math.isfinite(m[j]) else 0.0)

    for k in sorted(decisive, key=order_key):
        case = Case(params={name: pts.exact(k)}, bounds={name: bound})
        if claim.where is not None and not claim.where(case):
            rejected += 1
            continue
        rule = claim_rule(claim, case, settings, MP)
        if not rule.counted:
            undefined += 1
            continue
        samples += 1
        worst = min(worst, rule.margin)
        tight += rule.tight
        if rule.refuted is not None:
            ce = case.to_json()
            ce["margin"] = rule.refuted
            return ScanOutcome(
                Verdict.REFUTED,
                samples,
                "float64 screen of every point, the decisive ones at "
                f"{settings.digits} digits, the counterexample confirmed in Arb ball arithmetic",
                counterexample=ce,
                details=f"margin ball {rule.refuted} {'<= 0' if claim.strict else '< 0'}",
                decisive=len(decisive),
            )
        if rule.near_miss is not None:
            near_miss = (case, rule.near_miss)
    n_pts = len(pts)
    how = (f"{n_pts} points of {name} in {_interval_text(bound)} screened in float64 (grid, random, 10^-1..10^-12 from the ends, refined "
           f"near the lowest margin); the {len(decisive)} decisive ones (lowest margins, within {BAND:g} of 0, not finite in float64) "
           f"at {settings.digits} digits, confirmed in Arb where suspicious"
           + (f"; {skipped} more within {BAND:g} of 0 not decided (not counted)" if skipped else "") + f"; seed {settings.seed}")
    if near_miss is not None:
        case, ball = near_miss
        return ScanOutcome(Verdict.UNDECIDED, samples, "a candidate could not be decided with ball arithmetic", counterexample={**case.to_json(), "margin": ball}, details=how, decisive=len(decisive))
    minimum = max(1, settings.examples // 4)
    if samples < minimum:
        return ScanOutcome(Verdict.UNDECIDED, samples, "too few cases could be evaluated", details=f"{samples} points evaluated, fewer than {minimum}; {rejected} rejected, {undefined} undefined; " + how, decisive=len(decisive))
    details = f"smallest margin {worst:.3g}; " + how + (f"; {tight} on the boundary within rounding" if tight else "")
    return ScanOutcome(Verdict.CHECKED, samples, "float64 screen and Arb confirmation, no counterexample", details=details, decisive=len(decisive))
