"""Known hard members of the objective families: where counterexamples of first-order claims live.

A random draw from a family rarely lands where a false claim fails: the certified ``L`` of
a sum of several terms is rarely attained, and a nonconvex objective's two convex bowls
rarely host both points of a drawn pair. The members below are the family's own objectives
(built by the same certified builders, with coefficients on the family's grids, so that a
claim is never checked on an objective outside its stated family), chosen because:

- a single cos term ``-cos(x_1)`` (ridge sums), ``1 - cos(x_1)`` (nonnegative smooth
  objectives): curvature exactly ``L`` at the bottom of each bowl, and negative curvature
  between bowls (the nonconvex L-smooth worst case of one-step claims and of co-coercivity
  without convexity);
- single tanh, logistic, softplus terms: ``L`` attained at one argument;
- symmetric pairs ``softplus(x_1) + softplus(-x_1)``, the logistic loss on the data
  ``(e_1, +1), (e_1, -1)``, and ``log(exp(x_1) + exp(-x_1))``: convex, a minimiser at 0 where
  the certified ``L`` is attained (a step longer than ``2/L`` overshoots there).

Each member carries its hard points (see :data:`symbolic.families.HARD_ARGUMENTS`). The
search evaluates every claim on these members before its random draws (see
:class:`symbolic.claims.Claim`, ``hard_cases``).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .convex_families import log_sum_exp, logistic_regression, softplus_sum
from .families import ACTIVATIONS, nonnegative_sum, ridge_sum
from .objectives import Objective


def _low(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, tuple | list):
        return int(value[0])
    return int(value)


def _allows(value: Any, n: int, default: tuple[int, int]) -> bool:
    lo, hi = (value, value) if isinstance(value, int) else tuple(value) if value is not None else default
    return bool(lo <= n <= hi)


def _e1(d: int, sign: int = 1) -> list[Fraction]:
    return [Fraction(sign)] + [Fraction(0)] * (d - 1)


def _ridge_members(options: dict[str, Any]) -> list[Objective]:
    if not _allows(options.get("terms"), 1, (1, 3)):
        return []
    d = _low(options.get("dim"), 1)
    out = []
    for name in options.get("activations", tuple(ACTIVATIONS)):
        a = Fraction(-1) if name == "cos" else Fraction(1)
        out.append(ridge_sum([(name, a, _e1(d), Fraction(0))]))
    return out


def _nonnegative_members(options: dict[str, Any]) -> list[Objective]:
    d = _low(options.get("dim"), 1)
    return [nonnegative_sum(d, [], [(Fraction(1), _e1(d), Fraction(0))], None)]


def _softplus_members(options: dict[str, Any]) -> list[Objective]:
    if not _allows(options.get("terms"), 2, (1, 4)):
        return []
    d = _low(options.get("dim"), 1)
    return [softplus_sum(Fraction(0), [(Fraction(1), _e1(d), Fraction(0)), (Fraction(1), _e1(d, -1), Fraction(0))])]


def _logistic_members(options: dict[str, Any]) -> list[Objective]:
    if not _allows(options.get("samples"), 2, (1, 5)):
        return []
    d = _low(options.get("dim"), 1)
    return [logistic_regression(Fraction(0), [(_e1(d), 1), (_e1(d), -1)])]


def _lse_members(options: dict[str, Any]) -> list[Objective]:
    if not _allows(options.get("terms"), 2, (2, 4)):
        return []
    d = _low(options.get("dim"), 1)
    return [log_sum_exp(Fraction(0), [_e1(d), _e1(d, -1)], [Fraction(0), Fraction(0)])]


def hard_members(family: str, options: dict[str, Any] | None = None) -> list[Objective]:
    """The hard members of a family (by its name in claim files), for the family's options
    (``dim``, ``terms``, ``samples``, ``activations`` as the family strategy takes them).
    Families without listed members (quadratics, which carry their own hard points;
    families certified on a box) give ``[]``."""
    opts = dict(options or {})
    dim_only = {k: v for k, v in opts.items() if k == "dim"}
    if family == "ridge_sums":
        return _ridge_members(opts)
    if family == "nonnegative_smooth":
        return _nonnegative_members(opts)
    if family == "smooth_objectives":
        return _ridge_members(dim_only) + _nonnegative_members(dim_only)
    if family == "softplus_sums":
        return _softplus_members(opts)
    if family == "logistic_regressions":
        return _logistic_members(opts)
    if family == "log_sum_exps":
        return _lse_members(opts)
    if family == "convex_objectives":
        return _softplus_members(dim_only) + _logistic_members(dim_only) + _lse_members(dim_only)
    return []


__all__ = ["hard_members"]
