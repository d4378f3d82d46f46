"""Sums of geometric series by sympy, as used in (3.11), (3.19) and (3.22) of arXiv 2304.09221."""

from __future__ import annotations

import sympy as sp

_i = sp.Symbol("i", integer=True, nonnegative=True)


def geometric_sum(term: sp.Expr, lo: int) -> sp.Expr:
    """sum_{i >= lo} term, the convergent branch (|s| < 1) of sympy's summation."""
    out = sp.Sum(term, (_i, lo, sp.oo)).doit()
    return sp.simplify(out.replace(sp.Piecewise, lambda *args: args[0][0]))
