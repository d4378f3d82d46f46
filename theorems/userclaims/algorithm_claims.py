"""Claim files about k steps of an algorithm: what a family must know, and PEPit seeding.

The notation (:mod:`symbolic.notation.algorithms`) gives ``iterate(method, x, k, ...)``,
``xstar``, ``Fstar``, ``EF`` and ``Edist2``; this module checks, when a file is read, that
the family can give what the claim uses (its minimiser, its minimum value, a finite-sum
structure for SGD), that numbers of steps are integer parameters, that an SGD expectation
stays within the exact enumeration's limit, and builds the PEPit-seeded claim when PEPit is
installed (:mod:`symbolic.pep`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import sympy

from symbolic.claims import Claim
from symbolic.iterates import MAX_PATHS
from symbolic.notation import NotationError, compile_exprs
from symbolic.notation.algorithms import ITERATE, METHOD_NAMES, XSTAR

#: names a claim file may not give to a point or parameter
RESERVED = (ITERATE, XSTAR, *METHOD_NAMES, "EF", "Edist2", "Fstar")
#: families that know a minimiser exactly (xstar) and the minimum value (Fstar); quadratics only when convex
KNOW_MINIMISER = ("huber_functions", "quadratics")
#: families whose objectives carry their finite-sum components (SGD)
FINITE_SUMS = ("huber_functions",)


def _int_hi(bound: tuple[Any, Any, bool, bool]) -> int | None:
    hi = bound[1]
    if hi is None or not isinstance(hi, sympy.Rational):
        return None
    top = int(sympy.floor(hi))
    return top - 1 if bound[3] and top == hi else top


def check(comp: Any, family: str, options: Mapping[str, Any], bound_exprs: Mapping[str, tuple[Any, Any, bool, bool]], integer_params: set[str], used_consts: set[str], path: str) -> None:
    """Refuse (``ValueError`` naming the field) what the claim uses and the family cannot give."""
    it = comp.iterates
    specs = list(it.specs.values())
    used = set()
    for e in comp.apps:
        used |= {str(s) for s in e.free_symbols}
    uses_xstar = XSTAR in used or any(s.start == XSTAR for s in specs)
    spectrum = options.get("spectrum", "any") if isinstance(options, Mapping) else "any"
    knows = family in KNOW_MINIMISER and (family != "quadratics" or spectrum in ("convex", "strongly_convex"))
    if uses_xstar and not knows:
        raise ValueError(f"{path}: xstar (the minimiser) is known exactly only for the families huber_functions and quadratics with spectrum convex or strongly_convex; family {family} does not know it")
    if "Fstar" in used_consts and not knows:
        raise ValueError(f"{path}: Fstar (the minimum value) is known exactly only for the families huber_functions and convex quadratics; family {family} does not know it")
    for s in specs:
        if isinstance(s.steps, sympy.Symbol) and str(s.steps) not in integer_params:
            raise ValueError(f"{path}: the number of steps {s.steps} of iterate must be an integer parameter (add integer = true to parameters.{s.steps})")
        if s.random:
            if family not in FINITE_SUMS:
                raise ValueError(f"{path}: sgd needs a finite sum: the family {family} does not give its components (use huber_functions)")
            k_max = int(s.steps) if isinstance(s.steps, sympy.Integer) else _int_hi(bound_exprs[str(s.steps)])
            n_max = _option_max(options, "terms", 3)
            if k_max is None or n_max**k_max > MAX_PATHS:
                shown = "unbounded" if k_max is None else f"{n_max}^{k_max} = {n_max**k_max}"
                raise ValueError(f"{path}: the expectation over sgd's noise enumerates n^k index sequences ({shown}), more than the {MAX_PATHS} computed exactly: lower k's max or the family's terms")
    if specs:
        base = [*comp.param_symbols.values(), *comp.const_symbols.values()]
        try:
            compile_exprs(it.scalar_arguments() or [sympy.Integer(0)], base, f"{path} iterate parameters")
        except NotationError as exc:
            raise ValueError(str(exc)) from None


def _option_max(options: Mapping[str, Any], key: str, default: int) -> int:
    v = options.get(key, default) if isinstance(options, Mapping) else default
    return int(v[1]) if isinstance(v, list) else int(v)


def _seed_in_family(options: Mapping[str, Any], mu: Fraction) -> bool:
    """Whether PEPit's fitted functions are members of the declared family.

    They are 1-D (one term), with L = 1 and curvature c = 1 - mu of their Huber term (or
    less, for the quadratic candidates). A seed outside the family (``dim`` starting above 1,
    ``max_curvature`` below 1 - mu) could refute a claim that holds on every member: then
    the claim is not seeded.
    """
    dim = options.get("dim", (1, 3)) if isinstance(options, Mapping) else (1, 3)
    lo = dim[0] if isinstance(dim, (list, tuple)) else dim
    if lo != 1:
        return False
    top = options.get("max_curvature", 4) if isinstance(options, Mapping) else 4
    try:
        cap = Fraction(str(top))
    except (ValueError, ZeroDivisionError):
        return False
    return cap >= 1 - mu


def pep_claim_class(comp: Any, family: str, options: Mapping[str, Any], bound_exprs: Mapping[str, tuple[Any, Any, bool, bool]], hypotheses: list[Any], points: list[str]) -> tuple[type[Claim], Callable[[Any], Any]]:
    """The claim class and a map on the cases strategy: PEPit-seeded when it applies.

    It applies when PEPit is installed, the family is ``huber_functions``, there are no
    hypotheses, the claim has exactly one deterministic ``iterate`` of ``gd``, ``heavyball``
    or ``nesterov`` from a declared point, its parameters are expressions in the constants,
    and the only parameter is its number of steps; and the fitted functions (1-D, L = 1)
    are members of the family as its options declare it (:func:`_seed_in_family`).
    """
    plain: tuple[type[Claim], Callable[[Any], Any]] = (Claim, lambda cases: cases)
    from symbolic import pep

    specs = list(comp.iterates.specs.values())
    if family != "huber_functions" or hypotheses or len(specs) != 1 or not pep.available():
        return plain
    s = specs[0]
    if s.method not in pep.PEP_METHODS or s.start not in points:
        return plain
    consts = set(comp.const_symbols.values())
    if any(a.free_symbols - consts for a in s.scalars):
        return plain
    k_param = str(s.steps) if isinstance(s.steps, sympy.Symbol) else None
    if set(comp.param_symbols) - ({k_param} if k_param else set()):
        return plain
    if k_param is None:
        ks = [int(s.steps)]
    else:
        lo, hi = bound_exprs[k_param][0], _int_hi(bound_exprs[k_param])
        if not isinstance(lo, sympy.Rational) or hi is None:
            return plain
        first = int(sympy.ceiling(lo)) + (1 if bound_exprs[k_param][2] and lo.is_integer else 0)
        ks = sorted({v for v in (first, first + 1, first + 2, 5) if max(first, 1) <= v <= min(hi, 10)})
    if not ks:
        return plain
    # PEPit's performance metric: what the claim measures at the iterate
    metrics = set()
    for _sym, fname, (pts, _sc) in comp.apps.values():
        if str(s.symbol) in pts:
            if fname in ("F", "EF"):
                metrics.add("value")
            elif fname == "gradnorm":
                metrics.add("gradnorm")
            elif fname in ("dist", "Edist2") and XSTAR in pts:
                metrics.add("dist")
    if not metrics:
        return plain
    mu = Fraction(1, 4) if options.get("strong_convexity") == "positive" else Fraction(0)
    if not _seed_in_family(options, mu):
        return plain
    names = [comp.const_symbols[c] for c in comp.const_symbols]

    def scalars(values: dict[str, Fraction]) -> tuple[Fraction, ...] | None:
        sub = {sym: sympy.Rational(values.get(str(sym), Fraction(0)).numerator, values.get(str(sym), Fraction(0)).denominator) for sym in names}
        out = []
        for a in s.scalars:
            v = a.xreplace(sub)
            if not isinstance(v, sympy.Rational):
                return None
            out.append(Fraction(int(v.p), int(v.q)))
        return tuple(out)

    seeds = pep.PEPSeeds(s.method, scalars, tuple(ks), k_param, s.start, mu, tuple(sorted(metrics)))

    class Seeded(pep.PEPSeededClaim, Claim):
        pep = seeds

    from hypothesis import strategies as st

    return Seeded, lambda cases: st.one_of(cases, seeds.strategy())


__all__ = ["FINITE_SUMS", "KNOW_MINIMISER", "RESERVED", "check", "pep_claim_class"]
