"""The step-size check's engine cross-check: the catalogue's gradient-map claim on a fixed pool.

The claim (catalogue pauwels/golikov/bruna gradient map): for an L-smooth F and
0 < alpha < bound(L), the Jacobian I - alpha Hess F(x) of x -> x - alpha grad F(x) is positive
definite. The grader cross-checks a student's bound against it on objectives of the
catalogue's families whose L is certified.

What does not depend on the answer is built once per process (a grading pool builds it
before its workers fork): ``POOL_SIZE`` objectives drawn with a fixed seed, ``POINTS`` exact
points in each one's region, and the largest eigenvalue of the Hessian at each point in
float64. What does depend on it is evaluated per answer, without a hypothesis search: for
each objective, the answer at its L in Arb, and the step size alpha just below that value
(the worst one: lambda_min(I - alpha H) = 1 - alpha lambda_max(H) decreases with alpha > 0,
so a case that fails at a smaller alpha fails there too); then the margins of all cases in
one float64 pass, and the claim's own rule (:func:`scan.claim_rule`: ``digits`` digits in
mpmath, a suspicious margin confirmed in Arb balls by :meth:`Claim.confirm`) at the
decisive cases: the lowest margins, every one within a band of 0 and every one float64
cannot evaluate. A ``refuted`` verdict needs a confirmed Arb ball, as in the claim's search.

Smallest error detected: alpha sits a relative ``ALPHA_GAP``..``2 ALPHA_GAP`` (10^-5) below
the answer, so a bound above 1/L by more than a relative 2*10^-5 at the L of an objective whose
Hessian reaches L at one of its points (9 of the 16) is refuted; a smaller excess is left to
the check's z3 comparison with 1/L and its sampling, which come first.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from hypothesis import strategies as st

from symbolic import Case, CheckSettings, Claim, Verdict, arb_precision
from symbolic.backends import MPBackend, ScalarFloatBackend
from symbolic.compile import UnsupportedExpression, arb_at
from symbolic.families import polynomials, smooth_objectives
from symbolic.objectives import Objective

from .context import simplest_between
from .scan import BAND, claim_rule

POOL_SIZE = 16  # objectives of the step-size check's engine cross-check
POOL_SEED = 20261203
POINTS = 24  # exact points per objective (its hard points, a grid, random rationals)
RADIUS = 3  # points in [-RADIUS, RADIUS]^d when the objective has no region (as the catalogue's cases)
LOWEST = 8  # at least this many of the lowest float margins decided with the claim's rule
ALPHA_GAP = Fraction(1, 10**5)  # alpha in (1 - 2 gap, 1 - gap) times a certain lower bound of the answer: the float64 margins of a sharp bound stay clear of the screening band (10^-6)

_POOL: list[Objective] | None = None
_CASES: list[tuple[Objective, list[tuple[Fraction, ...]], np.ndarray]] | None = None


def objective_pool() -> list[Objective]:
    """The objectives of the step-size check's engine cross-check: ``POOL_SIZE`` draws of the
    catalogue's families (smooth objectives in d = 1, 2; quartic polynomials), made once per
    process with a fixed seed and kept with their compiled Hessians. They do not depend on the
    answer, so building them per answer (sympy derivatives and compilation, ~45 ms each) only
    repeated work."""
    global _POOL
    if _POOL is None:
        from hypothesis import HealthCheck, Phase, given, seed, settings

        drawn: list[Objective] = []

        @seed(POOL_SEED)
        @settings(max_examples=POOL_SIZE, database=None, deadline=None, phases=(Phase.generate,), suppress_health_check=list(HealthCheck), print_blob=False)
        @given(st.one_of(smooth_objectives(dim=(1, 2)), polynomials(dim=1, degree=4)))
        def collect(f: Objective) -> None:
            drawn.append(f)

        collect()
        _POOL = drawn
    return _POOL


def _box(f: Objective) -> list[tuple[Fraction, Fraction]]:
    box = f.constants.region
    if box is None:
        return [(Fraction(-RADIUS), Fraction(RADIUS))] * f.dim
    return [(Fraction(a), Fraction(b)) for a, b in zip(box.lo, box.hi, strict=True)]


def _points(f: Objective, rng: random.Random) -> list[tuple[Fraction, ...]]:
    """``POINTS`` exact points of the objective's region: its family's hard points (when it
    has no region of its own), the corners and centre of the box, then random rationals
    (denominators up to 64, as the catalogue's cases draw them)."""
    box = _box(f)
    pts: list[tuple[Fraction, ...]] = []
    if f.constants.region is None:
        pts += [tuple(Fraction(v) for v in p) for p in f.hard_points]
    grid = [(lo, (lo + hi) / 2, hi) for lo, hi in box]
    for idx in np.ndindex(*([3] * f.dim)):
        pts.append(tuple(grid[i][k] for i, k in enumerate(idx)))
    while len(pts) < POINTS:
        pts.append(tuple(lo + (hi - lo) * Fraction(rng.randint(0, 64), 64) for lo, hi in box))
    return list(dict.fromkeys(pts))[:POINTS]


def _lambda_max(f: Objective, p: tuple[Fraction, ...]) -> float:
    """The largest eigenvalue of Hess F(p) in float64 (nan where float64 cannot evaluate it)."""
    F64 = ScalarFloatBackend()
    try:
        H = f.hess(F64, [F64.num(v) for v in p])
        lam = float(np.linalg.eigvalsh(np.array(H, dtype=float)).max())
    except (ValueError, ZeroDivisionError, OverflowError, TypeError, np.linalg.LinAlgError):
        return math.nan
    return lam if math.isfinite(lam) else math.nan


def pool_cases() -> list[tuple[Objective, list[tuple[Fraction, ...]], np.ndarray]]:
    """Per pool objective: its points and the float64 largest Hessian eigenvalue at each
    (built once per process; answer-independent)."""
    global _CASES
    if _CASES is None:
        rng = random.Random(POOL_SEED)
        out = []
        for f in objective_pool():
            pts = _points(f, rng)
            out.append((f, pts, np.array([_lambda_max(f, p) for p in pts])))
        _CASES = out
    return _CASES


def _lambda_min_jacobian(c: Case, B: Any) -> Any:  # noqa: N803 - the backend's usual name
    assert c.objective is not None
    H = c.objective.hess(B, c.x(B))
    a = c.p(B, "alpha")
    J = [[(B.num(1) if i == j else B.num(0)) - a * H[i][j] for j in range(len(H))] for i in range(len(H))]
    return B.lambda_min(J)


GRADIENT_MAP_CLAIM = Claim("Jacobian of the gradient map is positive definite", cases=st.nothing(), margin=_lambda_min_jacobian, strict=True)


def _alpha_below(bound: sympy.Expr, L: sympy.Symbol, Lf: Fraction) -> Fraction | None:  # noqa: N803 - L is the exercise's symbol
    """A simple rational alpha with 0 < alpha < bound(Lf), certainly (below the lower end of
    an Arb ball of bound(Lf), by a relative gap of about ``ALPHA_GAP``); None when bound(Lf) is
    not certainly positive (no step size is allowed there: nothing to check)."""
    for bits in (128, 512):
        try:
            ball = arb_at(bound, [L], {L: sympy.Rational(Lf.numerator, Lf.denominator)}, bits)
        except (ValueError, ZeroDivisionError):
            return None
        if not ball.is_finite():
            continue
        with arb_precision(bits):  # lower() rounds at the working precision
            man, exp = ball.lower().man_exp()
        low = Fraction(int(man)) * Fraction(2) ** int(exp)
        if low > 0:
            return simplest_between(low * (1 - 2 * ALPHA_GAP), low * (1 - ALPHA_GAP))
        if ball <= 0:  # certainly not positive
            return None
    return None


@dataclass
class CrossCheck:
    """The cross-check's verdict and its evidence."""

    verdict: Verdict
    samples: int
    objectives: int
    decisive: int
    counterexample: dict[str, Any] | None = None
    details: str = ""

    def text(self) -> str:
        return (f"engine cross-check: {self.verdict} on {self.samples} cases ({self.objectives} objectives of a pool of {POOL_SIZE} "
                f"drawn once, seed {POOL_SEED}, up to {POINTS} points each, alpha just below your bound at each one's L; "
                f"float64 screen, {self.decisive} decisive cases at 40 digits and in Arb)")


def engine_cross_check(bound: sympy.Expr, L: sympy.Symbol, settings: CheckSettings) -> CrossCheck:  # noqa: N803 - L is the exercise's symbol
    """The catalogue's claim "the Jacobian I - alpha Hess F of the gradient map is positive
    definite" for 0 < alpha < ``bound`` at F's certified L, on every case of
    :func:`pool_cases` (alpha just below the bound: the worst step size allowed)."""
    alphas: list[Fraction] = []
    rows: list[np.ndarray] = []
    cases: list[tuple[Objective, Fraction, tuple[Fraction, ...]]] = []
    try:
        for f, pts, lam in pool_cases():
            Lf = f.constants.L
            assert Lf is not None  # the smooth_objectives and polynomials families certify L
            alpha = _alpha_below(bound, L, Fraction(Lf))
            if alpha is None:
                continue
            alphas.append(alpha)
            rows.append(1.0 - float(alpha) * lam)
            cases += [(f, alpha, p) for p in pts]
    except UnsupportedExpression as exc:
        return CrossCheck(Verdict.UNDECIDED, 0, 0, 0, details=f"cannot evaluate the bound rigorously ({exc})")
    if not cases:
        return CrossCheck(Verdict.UNDECIDED, 0, 0, 0, details="the bound is not positive at any objective's L")
    m = np.concatenate(rows)
    finite = np.isfinite(m)
    band = BAND * (1.0 + np.abs(np.where(finite, m, 0.0)))
    clear = finite & (m > band)
    order = np.argsort(np.where(finite, m, -np.inf), kind="stable")  # not finite in float64 first
    decisive = {int(k) for k in np.nonzero(~clear)[0]} | {int(k) for k in order[: max(LOWEST, settings.examples // 4)]}
    samples = int(np.count_nonzero(clear)) - len([k for k in decisive if clear[k]])
    MP = MPBackend(settings.digits)
    near_miss = None
    for k in sorted(decisive, key=lambda j: (bool(finite[j]), m[j] if finite[j] else 0.0)):
        f, alpha, p = cases[k]
        case = Case(objective=f, params={"alpha": alpha}, points={"x": p})
        rule = claim_rule(GRADIENT_MAP_CLAIM, case, settings, MP)
        if not rule.counted:
            continue
        samples += 1
        if rule.refuted is not None:
            ce = {"objective": f.family, "L": str(f.constants.L), **case.to_json(), "margin": rule.refuted}
            return CrossCheck(Verdict.REFUTED, samples, len(alphas), len(decisive), counterexample=ce, details=f"margin ball {rule.refuted} <= 0")
        if rule.near_miss is not None and near_miss is None:
            near_miss = {**case.to_json(), "margin": rule.near_miss}
    if near_miss is not None:
        return CrossCheck(Verdict.UNDECIDED, samples, len(alphas), len(decisive), counterexample=near_miss, details="a candidate could not be decided with ball arithmetic")
    if samples < max(1, settings.examples // 4):
        return CrossCheck(Verdict.UNDECIDED, samples, len(alphas), len(decisive), details="too few cases could be evaluated")
    return CrossCheck(Verdict.CHECKED, samples, len(alphas), len(decisive))
