"""Rigorous bounds with Arb balls: enclosures over boxes, certified constants, branch and bound."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy
from flint import arb, fmpq

from .backends import ArbBackend, Number, arb_precision
from .compile import compiled
from .objectives import Box


def ball(lo: Fraction, hi: Fraction) -> Number:
    """An Arb ball containing the interval [lo, hi]."""
    mid = arb(fmpq((lo + hi).numerator, (lo + hi).denominator)) / 2
    rad = arb(fmpq((hi - lo).numerator, (hi - lo).denominator)) / 2
    return mid + rad * arb("0 +/- 1")


def upper_fraction(x: Number) -> Fraction:
    """A rational number >= every point of the ball (rounded outward)."""
    if not x.is_finite():
        raise ValueError(f"cannot bound a non-finite ball {x}")
    return _exact(x.mid()) + _exact(x.rad())


def _exact(v: Number) -> Fraction:
    if v.is_zero():
        return Fraction(0)
    man, exp = v.man_exp()
    return Fraction(int(man)) * (Fraction(2) ** int(exp))


def lower_fraction(x: Number) -> Fraction:
    return -upper_fraction(-x)


def split(box: Box, pieces: int) -> list[Box]:
    """Split every side of the box into ``pieces`` equal parts."""
    axes = []
    for a, b in zip(box.lo, box.hi, strict=True):
        w = (b - a) / pieces
        axes.append([(a + i * w, a + (i + 1) * w) for i in range(pieces)])
    return [
        Box(tuple(c[0] for c in combo), tuple(c[1] for c in combo))
        for combo in itertools.product(*axes)
    ]


def enclose(
    exprs: Sequence[sympy.Expr],
    variables: Sequence[sympy.Symbol],
    box: Box,
    *,
    pieces: int = 1,
    bits: int = 128,
) -> list[Number]:
    """Enclosures of each expression over the box: union over a ``pieces``-grid of subboxes."""
    fn = compiled(list(exprs), list(variables))
    B = ArbBackend(bits)
    out: list[Number] | None = None
    with arb_precision(bits):
        for sub in split(box, pieces):
            vals = fn(B, [ball(a, b) for a, b in zip(sub.lo, sub.hi, strict=True)])
            out = list(vals) if out is None else [u.union(v) for u, v in zip(out, vals, strict=True)]
    assert out is not None
    return out


def hessian_norm_bound(
    hessian: Sequence[Sequence[sympy.Expr]],
    variables: Sequence[sympy.Symbol],
    box: Box,
    *,
    pieces: int = 2,
    bits: int = 128,
) -> Fraction:
    """A rational upper bound on sup over the box of the spectral norm of the Hessian.

    On each subbox, the spectral norm of a symmetric matrix is bounded by its largest
    absolute row sum, computed from enclosures of the entries.
    """
    d = len(variables)
    flat = [h for row in hessian for h in row]
    fn = compiled(flat, list(variables))
    B = ArbBackend(bits)
    best = Fraction(0)
    with arb_precision(bits):
        for sub in split(box, pieces):
            vals = fn(B, [ball(a, b) for a, b in zip(sub.lo, sub.hi, strict=True)])
            rows = [sum((abs(vals[i * d + j]) for j in range(d)), arb(0)) for i in range(d)]
            bound = max(upper_fraction(r) for r in rows)
            best = max(best, bound)
    return best


@dataclass(frozen=True)
class BranchAndBound:
    """Result of bounding ``inf over a box of f``: a rigorous lower bound and the best point."""

    lower: Fraction
    upper: Fraction
    best_point: tuple[Fraction, ...]
    boxes: int


def minimize_rigorously(
    f: Callable[[ArbBackend, list[Number]], Number],
    box: Box,
    *,
    target: Fraction | None = None,
    max_boxes: int = 4000,
    bits: int = 128,
) -> BranchAndBound:
    """Branch and bound for ``inf_{x in box} f(x)`` with Arb.

    ``f(B, x)`` must be an interval extension (it is when written with backend ops).
    Stops when the lower bound exceeds ``target`` (if given), when the gap closes, or
    after ``max_boxes`` evaluations. ``lower`` is always a rigorous lower bound; ``upper``
    is the value at ``best_point`` (an upper bound on the infimum).
    """
    B = ArbBackend(bits)
    count = 0

    def center(bx: Box) -> tuple[Fraction, ...]:
        return tuple((a + b) / 2 for a, b in zip(bx.lo, bx.hi, strict=True))

    with arb_precision(bits):

        def box_lower(bx: Box) -> Fraction:
            v = f(B, [ball(a, b) for a, b in zip(bx.lo, bx.hi, strict=True)])
            return lower_fraction(v) if v.is_finite() else Fraction(-(10**30))

        def point_upper(p: Sequence[Fraction]) -> Fraction:
            v = f(B, [B.num(c) for c in p])
            return upper_fraction(v) if v.is_finite() else Fraction(10**30)

        best_point = center(box)
        upper = point_upper(best_point)
        heap: list[tuple[Fraction, int, Box]] = [(box_lower(box), 0, box)]
        tie = 1
        while heap and count < max_boxes:
            lo, _, bx = heap[0]
            if target is not None and lo > target:
                break
            if upper - lo <= Fraction(1, 10**12) * max(Fraction(1), abs(upper)):
                break
            heapq.heappop(heap)
            widths = [b - a for a, b in zip(bx.lo, bx.hi, strict=True)]
            axis = max(range(len(widths)), key=lambda i: widths[i])
            mid = (bx.lo[axis] + bx.hi[axis]) / 2
            for lo_c, hi_c in ((bx.lo[axis], mid), (mid, bx.hi[axis])):
                nlo = list(bx.lo)
                nhi = list(bx.hi)
                nlo[axis], nhi[axis] = lo_c, hi_c
                child = Box(tuple(nlo), tuple(nhi))
                c = center(child)
                u = point_upper(c)
                if u < upper:
                    upper, best_point = u, c
                heapq.heappush(heap, (box_lower(child), tie, child))
                tie += 1
                count += 1
        lower = heap[0][0] if heap else upper
    return BranchAndBound(min(lower, upper), upper, best_point, count)
