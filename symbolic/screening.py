"""Screen many cases of a claim in float64, certify only the decisive ones in Arb.

:func:`screen_cases` evaluates a claim's margin at many cases at once: cases that share an
objective and the names of their parameters and points become one :class:`BatchCase`
whose coordinates are columns, and the margin runs once over numpy arrays of float64
intervals (:mod:`symbolic.float_intervals`, outward rounding). A margin that cannot run
vectorised (it branches on a value, takes an eigenvalue, converts to float, ...) is screened
case by case; a case whose enclosure is not finite, or that the intervals cannot evaluate at
all, is decisive.

The rule (the same as the search's, :mod:`symbolic.claims`): a case *passes the screen*
when its enclosure ``[lo, hi]`` is finite, ``lo > 10^-(digits/2) * scale`` (scale an upper
bound of ``1 + |lhs| + |rhs|``; 1 for a margin claim) and ``hi - lo <= 2^-30 lo``. Every
other case is decisive, and so are the ``worst`` cases with the smallest margins; decisive
cases are decided by :meth:`Claim.confirm` in Arb balls: a counterexample only when the ball
proves the failure, ``undecided`` when the ball at the highest precision still contains the
boundary. A float64 margin is never trusted for a failure, and a NaN, an infinity or an
exception never counts as passing.

With ``settings.screening`` off every case is decided in Arb (the reference, for benchmarks).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from .backends import Backend, FloatBackend, Number
from .claims import SCREEN_WIDTH, Case
from .float_balls import BallFloatBackend
from .float_intervals import FInterval, IntervalFloatBackend, NotScreenable, _exact_float
from .settings import CheckSettings

if TYPE_CHECKING:
    from .claims import Claim


def exact_column(values: Sequence[Fraction] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float bounds ``lo <= v <= hi`` of exact values: a float array is exact as it is; a
    rational gets the scalar screen's enclosure (:func:`~symbolic.float_intervals._exact_float`:
    itself when it is a normal float exactly, else the floats either side; NaN beyond the float
    range)."""
    if isinstance(values, np.ndarray):
        col = np.asarray(values, dtype=float)
        return col, col
    ivs = [_exact_float(v if type(v) is Fraction else Fraction(v)) for v in values]
    lo = np.array([iv.lo for iv in ivs], dtype=float)
    hi = np.array([iv.hi for iv in ivs], dtype=float)
    if np.array_equal(lo, hi):
        return lo, lo
    return lo, hi


@dataclass(frozen=True, eq=False)
class BatchCase(Case):
    """Many cases with one objective and the same parameter and point names, as columns.

    ``params[name]`` and each coordinate of ``points[name]`` hold one exact value per case:
    exact rationals, or a float array (floats are exact binary rationals). :meth:`p` and
    :meth:`x` give numpy columns (float64) or interval columns; a margin that reads
    ``params``/``points`` directly gets the raw columns and is screened case by case."""

    size: int = 0
    _columns: dict[Any, Any] = field(default_factory=dict, repr=False)

    def _column(self, B: Backend, value: Any) -> Number:
        key = id(value)
        if key not in self._columns:
            self._columns[key] = exact_column(value)
        lo, hi = self._columns[key]
        if isinstance(B, BallFloatBackend):
            ball_key = ("ball", key)
            if ball_key not in self._columns:
                self._columns[ball_key] = B.column(lo, hi)
            return self._columns[ball_key]
        if isinstance(B, IntervalFloatBackend):
            return FInterval(lo, hi)
        if isinstance(B, FloatBackend):
            return lo if lo is hi else lo / 2 + hi / 2
        raise TypeError(f"a batch of cases runs only in float64 backends, not {B.name}")

    def p(self, B: Backend, name: str) -> Number:
        return self._column(B, self.params[name])

    def x(self, B: Backend, name: str = "x") -> list[Number]:
        return [self._column(B, col) for col in self.points[name]]

    def subset(self, idx: np.ndarray) -> BatchCase:
        """The cases at indices ``idx``, as a batch."""

        def take(col: Any) -> Any:
            return col[idx] if isinstance(col, np.ndarray) else Column(col[int(i)] for i in idx)

        return BatchCase(
            objective=self.objective,
            params={k: take(v) for k, v in self.params.items()},
            points={k: tuple(take(c) for c in cols) for k, cols in self.points.items()},
            bounds=self.bounds,
            size=len(idx),
        )

    def case(self, i: int) -> Case:
        """Case ``i`` with exact rational coordinates."""

        def at(col: Any) -> Fraction:
            return Fraction(float(col[i])) if isinstance(col, np.ndarray) else Fraction(col[i])

        return Case(
            objective=self.objective,
            params={k: at(v) for k, v in self.params.items()},
            points={k: tuple(at(c) for c in cols) for k, cols in self.points.items()},
            bounds=self.bounds,
        )


class Column(tuple):
    """A batch's raw column of exact values (one per case). A margin that reads
    ``case.params``/``case.points`` directly and compares or tests it (``if k == 2``) would get
    one answer for the whole batch: that raises :class:`NotScreenable`, so the batch is screened
    case by case instead."""

    def _refuse(self, *other: Any) -> Any:
        raise NotScreenable("a margin compared a batch's column: screen case by case")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = _refuse
    __hash__ = tuple.__hash__


def batch(cases: Sequence[Case]) -> BatchCase:
    """The cases (one objective, the same names) as one :class:`BatchCase`."""
    first = cases[0]
    params = {k: Column(c.params[k] for c in cases) for k in first.params}
    points = {k: tuple(Column(c.points[k][i] for c in cases) for i in range(len(v))) for k, v in first.points.items()}
    return BatchCase(objective=first.objective, params=params, points=points, bounds=first.bounds, size=len(cases))  # type: ignore[arg-type]


def batch_of_arrays(objective: Any, points: Mapping[str, np.ndarray], params: Mapping[str, np.ndarray] | None = None) -> BatchCase:
    """Cases given as float arrays (``points[name]`` of shape (n, d), ``params[name]`` of
    shape (n,)), each float taken as the exact binary rational it is."""
    pts = {k: tuple(np.ascontiguousarray(np.asarray(v, dtype=float)[:, i]) for i in range(np.shape(v)[1])) for k, v in points.items()}
    prm = {k: np.asarray(v, dtype=float) for k, v in (params or {}).items()}
    n = len(next(iter(pts.values()))[0]) if pts else len(next(iter(prm.values())))
    return BatchCase(objective=objective, params=prm, points=pts, size=n)  # type: ignore[arg-type]


def _group_key(case: Case) -> tuple[Any, ...]:
    return (id(case.objective), tuple(case.params), tuple((k, len(v)) for k, v in case.points.items()))


@dataclass
class ScreenReport:
    """What :func:`screen_cases` did: counts, the smallest margin, the decided cases."""

    cases: int = 0
    screened: int = 0  #: passed the float64 screen and not evaluated further
    vectorised: int = 0  #: screened in a vectorised batch (the rest one by one)
    balls: int = 0  #: passed by the float64 balls (one radius per batch), before intervals
    arb: int = 0  #: decided in Arb balls
    holds: int = 0  #: decisive cases Arb proved to satisfy the claim
    refuted: list[tuple[Case, str]] = field(default_factory=list)
    undecided: list[tuple[Case, str]] = field(default_factory=list)
    smallest: float = math.inf  #: smallest float64 margin seen (midpoint of an enclosure)

    def summary(self) -> str:
        return (
            f"{self.cases} cases: {self.screened} passed the float64 screen ({self.balls} by balls, {self.vectorised} vectorised), "
            f"{self.arb} decided in Arb ({self.holds} hold, {len(self.refuted)} fail, {len(self.undecided)} undecided)"
        )


def _passes(lo: Any, hi: Any, scale: Any, rounding: float) -> Any:
    with np.errstate(all="ignore"):
        lo, hi, scale = np.asarray(lo, float), np.asarray(hi, float), np.asarray(scale, float)
        return np.isfinite(lo) & np.isfinite(hi) & np.isfinite(scale) & (lo > rounding * scale) & (hi - lo <= SCREEN_WIDTH * lo)


def _decide(claim: Claim, decisive: Sequence[Case], settings: CheckSettings, report: ScreenReport) -> None:
    for case in decisive:
        report.arb += 1
        decided, ball = claim.confirm(case, settings)
        if decided is False:
            report.refuted.append((case, ball))
        elif decided is None:
            report.undecided.append((case, ball))
        else:
            report.holds += 1


def _smallest(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` smallest values, as ``np.argsort(values, kind="stable")[:k]``
    gives them (ties in index order), without sorting everything."""
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    if len(values) <= k:
        return np.argsort(values, kind="stable")
    kth = np.partition(values, k - 1)[k - 1]
    candidates = np.flatnonzero(values <= kth)
    return candidates[np.argsort(values[candidates], kind="stable")][:k]


def _select(lo: Any, hi: Any, scale: Any, rounding: float, worst: int, report: ScreenReport) -> list[int]:
    """Indices of the decisive cases: those not passing the screen, and the ``worst``."""
    ok = _passes(lo, hi, scale, rounding)
    passing = np.flatnonzero(ok)
    decisive = [int(i) for i in np.flatnonzero(~ok)]
    report.screened += len(passing)
    if len(passing):
        mids = np.asarray(lo, float)[passing] / 2 + np.asarray(hi, float)[passing] / 2
        report.smallest = min(report.smallest, float(mids.min()))
        # the worst margins are decided in Arb as well (the float value is only a guide)
        order = passing[_smallest(mids, worst)]
        decisive.extend(int(i) for i in order)
        report.screened -= len(order)
    return decisive


def _screen_one_by_one(claim: Claim, cases: Sequence[Case], IB: IntervalFloatBackend) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    per = [claim.screen(c, IB) for c in cases]
    nan = (math.nan, math.nan, math.nan)
    lo, hi, scale = (np.array(col, dtype=float) for col in zip(*[p if p is not None else nan for p in per], strict=True))
    return lo, hi, scale


def _columns(out: tuple[Any, Any, Any], n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lo, hi, scale = (np.array(np.broadcast_to(np.asarray(v, float), (n,))) for v in out)
    return lo, hi, scale


def _screen_batch(claim: Claim, cases: BatchCase, rounding: float, report: ScreenReport) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lo, hi, scale)`` at every case of the batch: float64 balls first (one radius for the
    batch: one numpy call per operation), then float64 intervals for the cases the balls do
    not pass (per-point bounds), then one case at a time where a batch cannot run."""
    n = cases.size
    IB = IntervalFloatBackend()
    out = claim.screen(cases, BallFloatBackend()) if n > 1 else None
    if out is not None:
        lo, hi, scale = _columns(out, n)
        rest = np.flatnonzero(~_passes(lo, hi, scale, rounding))
        report.balls += n - len(rest)
        report.vectorised += n - len(rest)
        if len(rest) == 0:
            return lo, hi, scale
        sub = cases.subset(rest)
    else:
        rest, sub = np.arange(n), cases
        lo, hi, scale = (np.full(n, math.nan) for _ in range(3))
    out = claim.screen(sub, IB) if len(rest) > 1 else None
    if out is not None:
        lo[rest], hi[rest], scale[rest] = _columns(out, len(rest))
        report.vectorised += len(rest)
    else:
        lo[rest], hi[rest], scale[rest] = _screen_one_by_one(claim, [sub.case(i) for i in range(len(rest))], IB)
    return lo, hi, scale


def screen_cases(claim: Claim, cases: Sequence[Case], settings: CheckSettings, *, worst: int = 3) -> ScreenReport:
    """Evaluate ``claim`` at every case: float64 screen, Arb for the decisive ones.

    ``where`` is not applied here (give admitted cases). With ``settings.screening`` off,
    every case is decided in Arb (the reference path).
    """
    report = ScreenReport(cases=len(cases))
    if not settings.screening:
        _decide(claim, cases, settings, report)
        return report
    rounding = 10.0 ** (-(settings.digits // 2))
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, c in enumerate(cases):
        groups.setdefault(_group_key(c), []).append(i)
    lo, hi, scale = (np.full(len(cases), math.nan) for _ in range(3))
    for idx in groups.values():
        if len(idx) > 1:
            lo[idx], hi[idx], scale[idx] = _screen_batch(claim, batch([cases[i] for i in idx]), rounding, report)
        else:
            lo[idx], hi[idx], scale[idx] = _screen_one_by_one(claim, [cases[idx[0]]], IntervalFloatBackend())
    _decide(claim, [cases[i] for i in _select(lo, hi, scale, rounding, worst, report)], settings, report)
    return report


def screen_batch(claim: Claim, cases: BatchCase, settings: CheckSettings, *, worst: int = 3) -> ScreenReport:
    """:func:`screen_cases` for cases given as one :class:`BatchCase` (e.g. float arrays from
    :func:`batch_of_arrays`): exact cases are built only for the decisive ones."""
    n = cases.size
    report = ScreenReport(cases=n)
    if not settings.screening:
        _decide(claim, [cases.case(i) for i in range(n)], settings, report)
        return report
    rounding = 10.0 ** (-(settings.digits // 2))
    lo, hi, scale = _screen_batch(claim, cases, rounding, report)
    _decide(claim, [cases.case(i) for i in _select(lo, hi, scale, rounding, worst, report)], settings, report)
    return report
