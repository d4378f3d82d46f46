"""An objective given by a formula, its constants certified in Arb on a box (never assumed).

``certify_formula(expr, variables, box)`` differentiates the expression with sympy and bounds,
with Arb enclosures over a grid of sub-boxes:

- ``L``: sup over the box of the Hessian's spectral norm (largest absolute row sum of the
  entries' enclosures), a Lipschitz constant of the gradient on the box;
- ``lower``: a lower bound of F on the box;
- ``mu``: when the Gershgorin lower bound of the Hessian's smallest eigenvalue is positive on
  every sub-box, a strong convexity modulus on the box; ``convex`` when it is nonnegative.

A constant that cannot be certified (an enclosure that is infinite or not finite, e.g. a pole
in the box) raises :class:`CertificationError` with a message that says which one, never a
guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import sympy
from flint import arb

from .backends import ArbBackend, arb_precision
from .compile import compiled
from .objectives import Box, Constants, Objective
from .rigorous import ball, lower_fraction, split, upper_fraction


class CertificationError(ValueError):
    """A constant of a formula objective could not be certified on its box."""


@dataclass(frozen=True)
class FormulaCertificate:
    """What was certified about a formula objective on its box, and how finely."""

    L: Fraction
    lower: Fraction
    hessian_min: Fraction  # a lower bound of the Hessian's smallest eigenvalue on the box
    pieces: int

    @property
    def convex(self) -> bool:
        return self.hessian_min >= 0


_GRID = 1024


def _up(q: Fraction) -> Fraction:
    return Fraction(-((-q.numerator * _GRID) // q.denominator), _GRID)


def _down(q: Fraction) -> Fraction:
    return Fraction((q.numerator * _GRID) // q.denominator, _GRID)


def _finite(v: arb) -> bool:
    return bool(v.is_finite())


def certify_formula(
    expr: sympy.Expr,
    variables: Sequence[sympy.Symbol],
    box: Box,
    *,
    pieces: int | None = None,
    bits: int = 128,
    max_depth: int = 6,
    max_boxes: int = 4096,
) -> tuple[Objective, FormulaCertificate]:
    """The objective ``expr`` on ``box`` with certified ``L``, ``lower`` and (when positive) ``mu``.

    ``pieces`` sub-boxes per axis (default: 8 in dimension 1, 4 in 2, 2 beyond), so the work
    is ``pieces**d`` enclosures of the d(d+1)/2 Hessian entries.
    """
    xs = tuple(variables)
    d = len(xs)
    if box.dim != d:
        raise CertificationError(f"the box has dimension {box.dim}, the formula {d} variables")
    if pieces is None:
        pieces = {1: 8, 2: 4}.get(d, 2)
    grad = [sympy.diff(expr, v) for v in xs]
    # one fraction per entry: fewer repeated subexpressions, so tighter interval enclosures
    # (softplus'' = e^x/(1+e^x)^2 is positive as one fraction, not as a difference of two)
    hess = [[sympy.factor(sympy.together(sympy.diff(g, v))) for v in xs] for g in grad]
    fn = compiled([expr, *[h for row in hess for h in row]], list(xs))
    B = ArbBackend(bits)
    L = Fraction(0)
    lower: Fraction | None = None
    hmin: Fraction | None = None
    with arb_precision(bits):
        # ball arithmetic is loose on wide boxes: a sub-box whose Gershgorin bound is negative
        # is bisected (up to ``max_depth`` times, ``max_boxes`` in all) before it counts
        queue = [(sub, 0) for sub in split(box, pieces)]
        boxes = 0
        while queue:
            sub, depth = queue.pop()
            boxes += 1
            vals = fn(B, [ball(a, b) for a, b in zip(sub.lo, sub.hi, strict=True)])
            f_enc, entries = vals[0], vals[1:]
            if not _finite(f_enc):
                raise CertificationError(f"F is not bounded below on the box (its enclosure on {sub.to_json()} is not finite)")
            if not all(_finite(e) for e in entries):
                raise CertificationError(f"the Hessian is not bounded on the box (an entry's enclosure on {sub.to_json()} is not finite): L cannot be certified")
            # Gershgorin: lambda_min >= min_i (H_ii - sum_{j != i} |H_ij|)
            gersh = [entries[i * d + i] - sum((abs(entries[i * d + j]) for j in range(d) if j != i), arb(0)) for i in range(d)]
            g = min(lower_fraction(v) for v in gersh)
            if g < 0 and depth < max_depth and boxes + len(queue) + 2**d <= max_boxes:
                queue.extend((child, depth + 1) for child in split(sub, 2))
                continue
            lo = lower_fraction(f_enc)
            lower = lo if lower is None else min(lower, lo)
            rows = [sum((abs(entries[i * d + j]) for j in range(d)), arb(0)) for i in range(d)]
            L = max(L, max(upper_fraction(r) for r in rows))
            hmin = g if hmin is None else min(hmin, g)
    assert lower is not None and hmin is not None
    # readable constants, still rigorous: L rounded up, the lower bounds rounded down, to 1/1024
    L, lower, hmin = _up(L), _down(lower), _down(hmin)
    cert = FormulaCertificate(L=L if L > 0 else Fraction(1, 8), lower=lower, hessian_min=hmin, pieces=pieces)
    how = f"formula on a box: Arb enclosures of F and of the Hessian entries over {pieces}^{d} sub-boxes (L: row sums; mu: Gershgorin)"
    constants = Constants(L=cert.L, region=box, lower=lower, mu=hmin if hmin > 0 else None, how=how)
    return Objective(family="formula" + (" (certified convex on the box)" if cert.convex else ""), variables=xs, expr=expr, constants=constants), cert


__all__ = ["CertificationError", "FormulaCertificate", "certify_formula"]
