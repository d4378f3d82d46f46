"""Local constants of an objective on a Euclidean ball, with rigorous (Arb) bounds.

Generic helpers (nothing here knows about deep learning):

- :func:`local_lojasiewicz`: ``alpha(c, r) = inf_{|x-c|<=r, F(x) != 0} |grad F(x)|^2 / F(x)``
  for a nonnegative ``F``: a rigorous lower bound (certificate that
  ``|grad F|^2 >= a F`` on the whole ball) and an upper bound (the ratio at a point of the ball).
- :func:`smoothness_constant`: a rigorous upper bound of ``sup ||Hess F||_2`` over a box,
  hence a Lipschitz constant of ``grad F`` on that (convex) box.
- :func:`annulus_minimum`: a rigorous lower bound of ``inf F`` over the annulus
  ``B(c, R) minus the open ball B(c, R - 1)`` (plus the best point found).
- :func:`lojasiewicz_condition`: decide ``4 F(c) < r^2 alpha(c, r)`` (certified or refuted).

The ball is covered by its bounding box; every subbox is tested exactly (rationals)
against the ball: subboxes entirely outside are discarded, subboxes crossing the sphere
are kept (so the bounds hold on a superset of the ball intersected with the box cover,
which only makes the lower bounds conservative).

Near zeros of ``F`` the ratio blows up in interval arithmetic; there we certify the
polynomial-like margin ``m_a = |grad F|^2 - a F >= 0`` instead, using (1) the naive
enclosure, (2) a second-order Taylor form around a known exact zero ``z`` of ``F``
(``m_a(z) = 0`` and ``grad m_a(z) = 0`` when ``grad F(z) = 0``), with the Hessian of
``m_a`` enclosed over the hull of the subbox and ``z``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from flint import arb

from .backends import ArbBackend, FloatBackend, Number, arb_precision
from .compile import compiled
from .objectives import Box, Objective
from .rigorous import ball, hessian_norm_bound, lower_fraction, upper_fraction

Point = tuple[Fraction, ...]


# ------------------------------------------------------------------ exact geometry


def min_dist2(box: Box, c: Sequence[Fraction]) -> Fraction:
    """Exact squared distance from the point c to the box."""
    total = Fraction(0)
    for a, b, v in zip(box.lo, box.hi, c, strict=True):
        d = max(Fraction(0), a - v, v - b)
        total += d * d
    return total


def max_dist2(box: Box, c: Sequence[Fraction]) -> Fraction:
    """Exact squared distance from c to the farthest corner of the box."""
    total = Fraction(0)
    for a, b, v in zip(box.lo, box.hi, c, strict=True):
        d = max(abs(a - v), abs(b - v))
        total += d * d
    return total


def in_ball(x: Sequence[Fraction], c: Sequence[Fraction], r: Fraction) -> bool:
    return sum((xi - ci) ** 2 for xi, ci in zip(x, c, strict=True)) <= r * r


def _bisect(box: Box) -> tuple[Box, Box]:
    widths = [b - a for a, b in zip(box.lo, box.hi, strict=True)]
    axis = max(range(len(widths)), key=lambda i: widths[i])
    mid = (box.lo[axis] + box.hi[axis]) / 2
    lo1, hi1 = list(box.lo), list(box.hi)
    lo2, hi2 = list(box.lo), list(box.hi)
    hi1[axis] = mid
    lo2[axis] = mid
    return Box(tuple(lo1), tuple(hi1)), Box(tuple(lo2), tuple(hi2))


def _center(box: Box) -> Point:
    return tuple((a + b) / 2 for a, b in zip(box.lo, box.hi, strict=True))


def _balls(box: Box) -> list[Number]:
    return [ball(a, b) for a, b in zip(box.lo, box.hi, strict=True)]


def _hull(box: Box, z: Sequence[Fraction]) -> Box:
    return Box(tuple(min(a, v) for a, v in zip(box.lo, z, strict=True)), tuple(max(b, v) for b, v in zip(box.hi, z, strict=True)))


# ------------------------------------------------------------------ compiled pieces


class _Pieces:
    """F, |grad F|^2, and the margin m_a = |grad F|^2 - a F with its gradient and Hessian."""

    def __init__(self, f: Objective) -> None:
        self.f = f
        xs = list(f.variables)
        self.a = sympy.Symbol("_lojasiewicz_a", real=True)
        g2 = sum((g**2 for g in f.gradient), sympy.Integer(0))
        m = g2 - self.a * f.expr
        grad_m = [sympy.diff(m, v) for v in xs]
        hess_m = [sympy.diff(gm, v) for gm in grad_m for v in xs]
        self.base = compiled([f.expr, g2], xs)
        self.margin = compiled([m], [*xs, self.a])
        self.taylor = compiled([m, *grad_m], [*xs, self.a])
        self.hess = compiled(hess_m, [*xs, self.a])
        self.dim = len(xs)


# ------------------------------------------------------------------ alpha(c, r)


@dataclass(frozen=True)
class LocalLojasiewicz:
    """``lower <= alpha(center, r) <= upper``; ``upper`` is the ratio at ``best_point``."""

    lower: Fraction
    upper: Fraction
    best_point: Point | None
    boxes: int
    certified_margin: Fraction  # the largest a for which |grad F|^2 >= a F was certified on the ball


def _ratio_upper(p: _Pieces, x: Sequence[Fraction], B: ArbBackend) -> Fraction | None:
    F, g2 = p.base(B, [B.num(v) for v in x])
    if not F > 0:
        return None
    q = g2 / F
    return upper_fraction(q) if q.is_finite() else None


def _candidate_points(f: Objective, center: Point, r: Fraction, grid: int, seed: int) -> list[Point]:
    """Rational points of the ball: a grid of the bounding box, radial points, and local minima of the ratio."""
    d = len(center)
    pts: list[Point] = [center]
    axes = [[c - r + 2 * r * Fraction(i, grid) for i in range(grid + 1)] for c in center]
    import itertools

    for combo in itertools.product(*axes):
        if in_ball(combo, center, r):
            pts.append(tuple(combo))
    # local search (float) on the ratio, starting from the best grid points
    F64 = FloatBackend()
    vals_fn = compiled([f.expr, sum((g**2 for g in f.gradient), sympy.Integer(0))], list(f.variables))
    cf = np.array([float(v) for v in center])
    rf = float(r)

    def ratio(v: np.ndarray) -> float:
        u = v - cf
        n = float(np.linalg.norm(u))
        if n > rf:
            v = cf + u * (rf / n)
        with np.errstate(all="ignore"):
            F, g2 = vals_fn(F64, [float(t) for t in v])
        F, g2 = float(F), float(g2)
        if not (F > 1e-300) or not np.isfinite(g2 / F):
            return 1e300
        return g2 / F

    from scipy.optimize import minimize

    scored = sorted(pts, key=lambda p: ratio(np.array([float(t) for t in p])))
    rng = np.random.default_rng(seed)
    starts = [np.array([float(t) for t in p]) for p in scored[:4]]
    starts += [cf + rf * (lambda u: u / max(float(np.linalg.norm(u)), 1e-12))(rng.normal(size=d)) * rng.uniform(0.2, 1.0) for _ in range(4)]
    for s in starts:
        res = minimize(ratio, s, method="Nelder-Mead", options={"maxiter": 400 * d, "xatol": 1e-12, "fatol": 1e-14})
        v = res.x
        u = v - cf
        n = float(np.linalg.norm(u))
        if n > rf:
            v = cf + u * (rf / n) * (1 - 1e-12)
        q = tuple(Fraction(float(t)).limit_denominator(10**12) for t in v)
        if not in_ball(q, center, r):
            # pull exactly inside along the ray to the center
            q = tuple(c + (t - c) * Fraction(999999, 1000000) for t, c in zip(q, center, strict=True))
        if in_ball(q, center, r):
            pts.append(q)
            # the infimum may be approached at a zero of F (excluded from (2.1)): walk towards it
            s0 = tuple(Fraction(float(t)).limit_denominator(10**6) for t in s)
            if in_ball(s0, center, r):
                pts.extend(tuple(qi + (si - qi) / 2**k for qi, si in zip(q, s0, strict=True)) for k in range(1, 40, 3))
    return pts


def certify_lojasiewicz_margin(
    f: Objective,
    center: Sequence[Fraction],
    r: Fraction,
    a: Fraction,
    *,
    zeros: Sequence[Sequence[Fraction]] = (),
    max_boxes: int = 6000,
    bits: int = 128,
    pieces: _Pieces | None = None,
) -> tuple[bool | None, int, Point | None]:
    """Decide ``|grad F(x)|^2 >= a F(x)`` for all x in the ball B(center, r).

    Returns (True: certified on the ball; False: a point of the ball certainly violates it;
    None: undecided within ``max_boxes``), the number of boxes, and the violating point.
    ``zeros`` are exact zeros of F (with grad F = 0 there) used for Taylor forms.
    """
    p = pieces or _Pieces(f)
    c = tuple(Fraction(v) for v in center)
    r = Fraction(r)
    zs = [tuple(Fraction(v) for v in z) for z in zeros]
    B = ArbBackend(bits)
    an = arb(0)
    stack = [Box(tuple(v - r for v in c), tuple(v + r for v in c))]
    count = 0
    with arb_precision(bits):
        an = B.num(a)
        while stack:
            bx = stack.pop()
            if min_dist2(bx, c) > r * r:
                continue
            count += 1
            if count > max_boxes:
                return None, count, None
            X = _balls(bx)
            (m,) = p.margin(B, [*X, an])
            if m.is_finite() and m >= 0:
                continue
            F, g2 = p.base(B, X)
            if F.is_finite() and g2.is_finite() and F > 0 and (g2 / F) >= an:
                continue
            if _taylor_ok(p, B, bx, zs, an):
                continue
            x0 = _center(bx)
            if in_ball(x0, c, r):
                (m0,) = p.margin(B, [*[B.num(v) for v in x0], an])
                if m0 < 0:
                    return False, count, x0
            stack.extend(_bisect(bx))
    return True, count, None


def _taylor_ok(p: _Pieces, B: ArbBackend, bx: Box, zeros: Sequence[Point], an: Number) -> bool:
    """m_a >= 0 on the box from the second-order Taylor form at a nearby exact zero z of F."""
    d = p.dim
    for z in zeros:
        hull = _hull(bx, z)
        if max(b - a_ for a_, b in zip(hull.lo, hull.hi, strict=True)) > 4 * max(b - a_ for a_, b in zip(bx.lo, bx.hi, strict=True)) + Fraction(1, 10**6):
            continue
        vals = p.taylor(B, [*[B.num(v) for v in z], an])
        m0, g = vals[0], vals[1:]
        H = p.hess(B, [*_balls(hull), an])
        lam = _lambda_min_lower(H, d, B)
        lo = m0
        hs = [ball(a_ - zi, b - zi) for a_, b, zi in zip(bx.lo, bx.hi, z, strict=True)]
        for gi, hi in zip(g, hs, strict=True):
            lo = lo + gi * hi
        if lam is not None and not (lam >= 0):
            far = sum((max(abs(a_ - zi), abs(b - zi)) ** 2 for a_, b, zi in zip(bx.lo, bx.hi, z, strict=True)), Fraction(0))
            lo = lo + lam.min(arb(0)) * ball(Fraction(0), far) / 2
        if lo.is_finite() and lo >= 0:
            return True
    return False


def _lambda_min_lower(H: Sequence[Number], d: int, B: ArbBackend) -> Number:
    """A rigorous lower bound of lambda_min of every symmetric matrix in the enclosure H (flat, d x d).

    Weyl: lambda_min(M) >= lambda_min(mid M) - ||M - mid M||_F; lambda_min of the exact midpoint
    matrix from Arb's eigenvalue enclosure, Gershgorin as a fallback.
    """
    gersh = None
    for i in range(d):
        row = H[i * d + i] - sum((abs(H[i * d + j]) for j in range(d) if j != i), arb(0))
        gersh = row if gersh is None else gersh.min(row)
    if any(not h.is_finite() for h in H):
        return gersh
    mids = [[arb(H[i * d + j].mid()) for j in range(d)] for i in range(d)]
    for i in range(d):  # symmetrise the midpoint exactly
        for j in range(i + 1, d):
            mids[i][j] = mids[j][i] = (mids[i][j] + mids[j][i]) / 2
    rad = arb(0)
    for i in range(d):
        for j in range(d):
            e = arb(abs(H[i * d + j] - mids[i][j]).upper())
            rad = rad + e * e
    rad = arb(rad.upper())
    try:
        lm = B.lambda_min(mids)
    except Exception:  # pragma: no cover - Arb eigen solver failure
        return gersh
    if not lm.is_finite():
        return gersh
    weyl = lm - rad.sqrt()
    return weyl.max(gersh) if gersh is not None and gersh.is_finite() else weyl


def local_lojasiewicz(
    f: Objective,
    center: Sequence[Fraction],
    r: Fraction | int,
    *,
    zeros: Sequence[Sequence[Fraction]] = (),
    grid: int = 8,
    seed: int = 0,
    max_boxes: int = 3000,
    tolerances: Sequence[Fraction] = (Fraction(1, 10**4), Fraction(1, 100), Fraction(1, 10), Fraction(1, 2)),
) -> LocalLojasiewicz:
    """Rigorous bounds ``lower <= alpha(center, r) <= upper`` for a nonnegative F.

    ``upper``: the ratio (Arb, rounded up) at the best rational point of the ball found by a
    grid and local search. ``lower``: the largest ``a = upper (1 - t)`` over ``tolerances``
    for which ``|grad F|^2 >= a F`` is certified on the whole ball (0 if none is).
    ``zeros``: exact zeros of F in or near the ball (with grad F = 0 there); the objective's
    ``constants.minimizer`` is added when its ``minimum`` is 0.
    """
    c = tuple(Fraction(v) for v in center)
    r = Fraction(r)
    zs = [tuple(Fraction(v) for v in z) for z in zeros]
    k = f.constants
    if k.minimizer is not None and k.minimum == 0:
        zs.append(tuple(k.minimizer))
    p = _Pieces(f)
    B = ArbBackend(128)
    best: tuple[Fraction, Point] | None = None
    with arb_precision(128):
        for x in _candidate_points(f, c, r, grid, seed):
            u = _ratio_upper(p, x, B)
            if u is not None and (best is None or u < best[0]):
                best = (u, x)
    if best is None:
        # F vanishes at every candidate point: alpha is +infinity when F = 0 on the ball
        return LocalLojasiewicz(Fraction(0), Fraction(10**30), None, 0, Fraction(0))
    upper, point = best
    total = 0
    for t in tolerances:
        a = upper * (1 - t)
        ok, n, _ = certify_lojasiewicz_margin(f, c, r, a, zeros=zs, max_boxes=max_boxes, pieces=p)
        total += n
        if ok:
            return LocalLojasiewicz(a, upper, point, total, a)
    return LocalLojasiewicz(Fraction(0), upper, point, total, Fraction(0))


def lojasiewicz_condition(
    f: Objective, center: Sequence[Fraction], r: Fraction | int, *, factor: Fraction | int = 4, **kw: Any
) -> tuple[bool | None, dict[str, Any]]:
    """Decide ``factor * F(center) < r^2 alpha(center, r)`` (Assumption 1 with factor 4).

    True: certified with the rigorous lower bound of alpha; False: refuted with the upper
    bound (a point where the ratio is small enough); None: the bounds do not decide.
    """
    c = tuple(Fraction(v) for v in center)
    r = Fraction(r)
    res = local_lojasiewicz(f, c, r, **kw)
    B = ArbBackend(128)
    with arb_precision(128):
        F0 = f.value(B, [B.num(v) for v in c])
        lhs_hi, lhs_lo = Fraction(factor) * upper_fraction(F0), Fraction(factor) * lower_fraction(F0)
    info = {"F0": (lhs_lo / factor, lhs_hi / factor), "alpha": (res.lower, res.upper), "point": res.best_point, "boxes": res.boxes}
    if lhs_hi < r * r * res.lower:
        return True, info
    if lhs_lo >= r * r * res.upper:
        return False, info
    return None, info


# ------------------------------------------------------------------ smoothness and annulus minimum


def smoothness_constant(f: Objective, box: Box, *, pieces: int = 4, bits: int = 128) -> Fraction:
    """A rational upper bound on ``sup_{x in box} ||Hess F(x)||_2`` (a Lipschitz constant of grad F on the box)."""
    return hessian_norm_bound(f.hessian, f.variables, box, pieces=pieces, bits=bits)


def hessian_norm_at(f: Objective, x: Sequence[Fraction]) -> float:
    """The spectral norm of the Hessian at a point (float): a lower estimate of the smoothness constant."""
    H = np.array([[float(sympy.N(h.subs(dict(zip(f.variables, [sympy.Rational(v.numerator, v.denominator) for v in x], strict=True))))) for h in row] for row in f.hessian])
    return float(np.linalg.norm(H, 2))


@dataclass(frozen=True)
class AnnulusMinimum:
    """``lower <= inf F over the annulus <= upper``; ``upper`` is F at ``best_point`` (rounded up)."""

    lower: Fraction
    upper: Fraction
    best_point: Point | None
    boxes: int


def annulus_minimum(
    f: Objective,
    center: Sequence[Fraction],
    R: Fraction | int,
    *,
    width: Fraction | int = 1,
    max_boxes: int = 4000,
    gap: Fraction = Fraction(1, 10**4),
    bits: int = 128,
) -> AnnulusMinimum:
    """Rigorous bounds of ``inf F`` over ``{x : R - width <= |x - center| <= R}`` (M_0 of Assumption 3).

    Branch and bound over the bounding box of B(center, R); subboxes entirely outside the
    outer ball or entirely inside the open inner ball are discarded.
    """
    import heapq

    c = tuple(Fraction(v) for v in center)
    R = Fraction(R)
    inner = max(R - Fraction(width), Fraction(0))
    fn = compiled([f.expr], list(f.variables))
    B = ArbBackend(bits)

    def relevant(bx: Box) -> bool:
        return min_dist2(bx, c) <= R * R and max_dist2(bx, c) >= inner * inner

    def inside(x: Point) -> bool:
        d2 = sum((xi - ci) ** 2 for xi, ci in zip(x, c, strict=True))
        return inner * inner <= d2 <= R * R

    upper: Fraction | None = None
    best: Point | None = None
    count = 0
    with arb_precision(bits):

        def lower_of(bx: Box) -> Fraction:
            (v,) = fn(B, _balls(bx))
            return lower_fraction(v) if v.is_finite() else Fraction(-(10**30))

        def try_point(x: Point) -> None:
            nonlocal upper, best
            if not inside(x):
                return
            (v,) = fn(B, [B.num(t) for t in x])
            u = upper_fraction(v)
            if upper is None or u < upper:
                upper, best = u, x

        start = Box(tuple(v - R for v in c), tuple(v + R for v in c))
        for i in range(len(c)):  # points on the annulus along the axes
            for s in (1, -1):
                try_point(tuple(ci + (s * (R + inner) / 2 if j == i else 0) for j, ci in enumerate(c)))
        heap: list[tuple[Fraction, int, Box]] = [(lower_of(start), 0, start)]
        tie = 1
        while heap and count < max_boxes:
            lo, _, bx = heap[0]
            if upper is not None and upper - lo <= gap * max(Fraction(1), abs(upper)):
                break
            heapq.heappop(heap)
            for child in _bisect(bx):
                if not relevant(child):
                    continue
                count += 1
                try_point(_center(child))
                heapq.heappush(heap, (lower_of(child), tie, child))
                tie += 1
        lower = heap[0][0] if heap else (upper if upper is not None else Fraction(0))
    if upper is None:
        upper = Fraction(10**30)
    return AnnulusMinimum(min(lower, upper), upper, best, count)


def ratio_function(f: Objective) -> Callable[[Any, Sequence[Number]], Number]:
    """``|grad F(x)|^2 / F(x)`` as a backend function (for claims)."""
    fn = compiled([f.expr, sum((g**2 for g in f.gradient), sympy.Integer(0))], list(f.variables))

    def ratio(B: Any, x: Sequence[Number]) -> Number:
        F, g2 = fn(B, list(x))
        return g2 / F

    return ratio


__all__ = [
    "AnnulusMinimum",
    "LocalLojasiewicz",
    "annulus_minimum",
    "certify_lojasiewicz_margin",
    "hessian_norm_at",
    "in_ball",
    "local_lojasiewicz",
    "lojasiewicz_condition",
    "max_dist2",
    "min_dist2",
    "ratio_function",
    "smoothness_constant",
]
