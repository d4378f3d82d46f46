"""Strategies of cases for catalogue claims: an objective, dependent parameters, points.

Example: a step size in (0, 1/L) for an L-smooth objective, and two points::

    cases = objective_cases(
        smooth_objectives(),
        params={"alpha": lambda f: Bound(Fraction(0), 1 / f.constants.L)},
        points=("x", "y"),
    )
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from symbolic import Bound, Case, Objective
from symbolic.families import points as cube_points
from symbolic.families import rationals
from symbolic.strategy_cache import cached_strategy


@cached_strategy
def values_in(bound: Bound, *, resolution: int = 1000, default_span: Fraction = Fraction(4)) -> st.SearchStrategy[Fraction]:
    """Rationals in the (possibly open, possibly half-infinite) interval, endpoints approached closely.

    For an integer bound (``Bound.integer``): the integers of the interval, each end likely
    (an unbounded side extends ``default_span`` beyond the other end, or from 0).
    """
    if bound.integer:
        ilo, ihi = bound.integers()
        if ilo is None and ihi is None:
            ilo = -int(default_span)
        if ilo is None:
            assert ihi is not None
            ilo = ihi - int(default_span)
        if ihi is None:
            ihi = ilo + int(default_span)
        if ilo > ihi:
            raise ValueError(f"no integer in {bound}")
        return st.one_of(st.integers(ilo, ihi), st.sampled_from((ilo, ihi))).map(Fraction)
    lo = bound.lo if bound.lo is not None else (bound.hi - default_span if bound.hi is not None else -default_span)
    hi = bound.hi if bound.hi is not None else lo + default_span
    if lo > hi or (lo == hi and (bound.lo_open or bound.hi_open)):
        raise ValueError(f"empty interval {bound}")
    kmin = 1 if bound.lo_open or bound.lo is None else 0
    kmax = resolution - 1 if bound.hi_open or bound.hi is None else resolution
    grid = st.integers(kmin, kmax).map(lambda k: lo + (hi - lo) * Fraction(k, resolution))
    near = st.integers(1, 10**6).map(lambda k: lo + (hi - lo) / (k + 1) if bound.lo_open else lo) | st.integers(1, 10**6).map(
        lambda k: hi - (hi - lo) / (k + 1) if bound.hi_open else hi
    )
    return st.one_of(grid, near).filter(bound.contains)


def points_for(f: Objective, radius: Fraction | int = 3) -> st.SearchStrategy[tuple[Fraction, ...]]:
    """Points in the objective's region (its box) or in the cube [-radius, radius]^d."""
    box = f.constants.region
    if box is None:
        anywhere = cube_points(f.dim, radius)
        if f.hard_points:
            # the family's hard points (e.g. along a quadratic's eigenvectors)
            return st.one_of(anywhere, st.sampled_from(f.hard_points))
        return anywhere
    return st.tuples(*[values_in(Bound(a, b, False, False), resolution=64) for a, b in zip(box.lo, box.hi, strict=True)])


@st.composite
def objective_cases(
    draw: st.DrawFn,
    family: st.SearchStrategy[Objective],
    *,
    params: Mapping[str, Callable[[Objective], Bound]] | None = None,
    points: Sequence[str] = ("x",),
    radius: Fraction | int = 3,
    fixed: Mapping[str, Callable[[Objective], Fraction]] | None = None,
) -> Case:
    """A case: an objective of ``family``, parameters drawn in bounds that may depend on it,
    points in its region, and ``fixed`` parameters computed from it (e.g. ``L``)."""
    f = draw(family)
    bounds = {name: fn(f) for name, fn in (params or {}).items()}
    values = {name: draw(values_in(b)) for name, b in bounds.items()}
    for name, fn in (fixed or {}).items():
        values[name] = fn(f)
    pts = {name: draw(points_for(f, radius)) for name in points}
    return Case(objective=f, params=values, points=pts, bounds=bounds)


#: where in a parameter's interval the hard cases put it (fractions of the way from lo to hi)
HARD_PARAMETER_FRACTIONS = (Fraction(1, 1000), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(9, 10), Fraction(99, 100), Fraction(999, 1000))
#: values of a half-infinite parameter: lo + these (or hi - these)
HARD_PARAMETER_OFFSETS = (Fraction(1, 1000), Fraction(1, 2), Fraction(1), Fraction(4))


def hard_values(bound: Bound) -> list[Fraction]:
    """A few values inside the interval, close to each end and between (deterministic)."""
    if bound.lo is not None and bound.hi is not None:
        out = [bound.lo + (bound.hi - bound.lo) * t for t in HARD_PARAMETER_FRACTIONS]
    elif bound.lo is not None:
        out = [bound.lo + t for t in HARD_PARAMETER_OFFSETS]
    elif bound.hi is not None:
        out = [bound.hi - t for t in HARD_PARAMETER_OFFSETS]
    else:
        out = [Fraction(-1), Fraction(0), Fraction(1), Fraction(4)]
    return [v for v in out if bound.contains(v)]


def hard_cases(
    members: Sequence[Objective],
    *,
    params: Mapping[str, Callable[[Objective, Mapping[str, Fraction]], Bound | None]] | None = None,
    points: Sequence[str] = ("x",),
    limit: int = 120,
    seed: int = 0,
) -> list[Case]:
    """Cases on the family's hard members: combinations of their hard points for the claim's
    points and of :func:`hard_values` for its parameters, at most ``limit`` per member (a
    deterministic sample when there are more). ``params`` maps each parameter, in drawing
    order, to its domain given the objective and the values of the parameters before it (a
    bound may use another parameter); a member for which a domain is undefined (None) gets
    no case with that combination."""
    rng = random.Random(seed)
    out: list[Case] = []
    names = list(params or {})

    def combos(f: Objective, i: int, values: dict[str, Fraction], bounds: dict[str, Bound]) -> list[tuple[dict[str, Fraction], dict[str, Bound]]]:
        if i == len(names):
            return [(dict(values), dict(bounds))]
        assert params is not None
        b = params[names[i]](f, values)
        if b is None:
            return []
        found = []
        for v in hard_values(b):
            found.extend(combos(f, i + 1, {**values, names[i]: v}, {**bounds, names[i]: b}))
        return found

    for f in members:
        pts = list(f.hard_points) or [tuple(Fraction(0) for _ in range(f.dim))]
        pvals = combos(f, 0, {}, {})
        axes: list[list[Any]] = [pts] * len(points) + [pvals]
        total = math.prod(len(a) for a in axes)
        picks = range(total) if total <= limit else sorted(rng.sample(range(total), limit))
        for k in picks:
            combo = []
            for a in reversed(axes):
                k, r = divmod(k, len(a))
                combo.append(a[r])
            combo.reverse()
            values, bounds = combo[-1]
            out.append(Case(objective=f, params=values, points=dict(zip(points, combo[: len(points)], strict=True)), bounds=bounds))
    return out


@st.composite
def dependent_cases(
    draw: st.DrawFn,
    family: st.SearchStrategy[Objective] | None,
    *,
    order: Sequence[str],
    domain: Callable[[Objective | None, str, Mapping[str, Fraction]], Bound | None],
    points: Sequence[str] = ("x",),
    radius: Fraction | int = 3,
) -> Case:
    """A case whose parameters are drawn in ``order``, each in the domain ``domain(f, name,
    values so far)`` gives (``beta`` in ``(0, alpha)``). When a domain is undefined or empty the
    remaining parameters are set to 0 and the case's ``bounds`` miss them: the claim's ``where``
    must re-check every parameter's domain (it also rejects local-search moves that leave it)."""
    f = draw(family) if family is not None else None
    values: dict[str, Fraction] = {}
    bounds: dict[str, Bound] = {}
    for name in order:
        b = domain(f, name, values)
        if b is None:
            values.update({n: Fraction(0) for n in order if n not in values})
            break
        bounds[name] = b
        values[name] = draw(values_in(b))
    pts = {name: draw(points_for(f, radius)) for name in points} if f is not None else {}
    return Case(objective=f, params=values, points=pts, bounds=bounds)


def scalar_cases(params: Mapping[str, Bound], *, resolution: int = 1000) -> st.SearchStrategy[Case]:
    """Cases with only scalar parameters (no objective), each in its bound."""
    names = list(params)
    return st.tuples(*[values_in(params[n], resolution=resolution) for n in names]).map(
        lambda vs: Case(params=dict(zip(names, vs, strict=True)), bounds=dict(params))
    )


__all__ = ["dependent_cases", "hard_cases", "hard_values", "objective_cases", "points_for", "rationals", "scalar_cases", "values_in"]
