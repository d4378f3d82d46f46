"""Strategies of cases for catalogue claims: an objective, dependent parameters, points.

Example: a step size in (0, 1/L) for an L-smooth objective, and two points::

    cases = objective_cases(
        smooth_objectives(),
        params={"alpha": lambda f: Bound(Fraction(0), 1 / f.constants.L)},
        points=("x", "y"),
    )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

from hypothesis import strategies as st

from symbolic import Bound, Case, Objective
from symbolic.families import points as cube_points
from symbolic.families import rationals
from symbolic.strategy_cache import cached_strategy


@cached_strategy
def values_in(bound: Bound, *, resolution: int = 1000, default_span: Fraction = Fraction(4)) -> st.SearchStrategy[Fraction]:
    """Rationals in the (possibly open, possibly half-infinite) interval, endpoints approached closely."""
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


def scalar_cases(params: Mapping[str, Bound], *, resolution: int = 1000) -> st.SearchStrategy[Case]:
    """Cases with only scalar parameters (no objective), each in its bound."""
    names = list(params)
    return st.tuples(*[values_in(params[n], resolution=resolution) for n in names]).map(
        lambda vs: Case(params=dict(zip(names, vs, strict=True)), bounds=dict(params))
    )


__all__ = ["objective_cases", "points_for", "rationals", "scalar_cases", "values_in"]
