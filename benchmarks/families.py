"""Structured objective families: build and per-sample costs, against the old sympy path in the same run.

1. ∇F and ∇²F of a random dense quartic (every monomial of degree <= 4 kept with probability
   2/3, coefficients k/4): python-flint ``fmpq_mpoly`` derivatives (what the polynomial family
   does now), then the term arrays that evaluate them, against the old path (``sympy.diff`` of
   the expanded expression and compiling gradient and Hessian), at d = 10 (the sympy path at
   d = 20 only with ``--sympy-d20``: minutes).
2. Cost per sample of one claim, the descent lemma
   F(y) <= F(x) + <∇F(x), y - x> + L/2 ||y - x||^2, over quadratics (d = 1 ... 100) and
   polynomials on [-1, 1]^d (d = 1 ... 50):
   - evaluation only: the claim's margin at one sample (two values, one gradient) in mpmath at
     50 digits, per sample and per unit of the objective's size (quadratics: d^2 entries of A;
     polynomials: terms of F and ∇F);
   - end to end: a claim file's whole search (hypothesis draws, evaluation, local search),
     CPU seconds / samples.

CPU time (``time.process_time``), medians of ``--repeats`` runs. Usage:
``python3 benchmarks/families.py [--repeats 3] [--examples 4] [--sympy-d20] [--skip-claims]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from symbolic import MPBackend, families  # noqa: E402
from symbolic.objectives import Objective, coordinates  # noqa: E402
from symbolic.structured import PolynomialBlock, PolynomialStructure  # noqa: E402

DESCENT = "F(y) <= F(x) + inner(x, y) + L/2*dist(x, y)^2"


def cpu(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median CPU seconds of ``repeats`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.process_time()
        out = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), out


def dense_quartic(d: int, seed: int = 0) -> dict[tuple[int, ...], Fraction]:
    rng = np.random.default_rng(seed)
    out: dict[tuple[int, ...], Fraction] = {}

    def rec(i: int, left: int, cur: list[int]) -> None:
        if i == d:
            if rng.random() < 2 / 3:
                k = int(rng.integers(-8, 9))
                if k:
                    out[tuple(cur)] = Fraction(k, 4)
            return
        for e in range(left + 1):
            cur.append(e)
            rec(i + 1, left - e, cur)
            cur.pop()

    rec(0, 4, [])
    return out


def derivatives_flint(p: PolynomialStructure) -> PolynomialStructure:
    """Exact ∇F and ∇²F (upper triangle) as fmpq_mpoly derivatives, on a fresh copy (nothing cached)."""
    q = PolynomialStructure(p.poly, p.dim)
    q.derivatives()
    return q


def term_arrays(q: PolynomialStructure) -> tuple[PolynomialBlock, PolynomialBlock]:
    """The evaluation arrays of ∇F and of ∇²F's upper triangle (what the family builds on first evaluation)."""
    grad, hess = q.derivatives()
    return PolynomialBlock(grad, q.dim), PolynomialBlock([hess[i][j] for i in range(q.dim) for j in range(i, q.dim)], q.dim)


def derivatives_sympy(coefs: dict[tuple[int, ...], Fraction], d: int) -> None:
    xs = coordinates(d)
    expr = sp.Add(*[sp.Rational(c.numerator, c.denominator) * sp.Mul(*[x**e for x, e in zip(xs, k, strict=True) if e]) for k, c in coefs.items()])
    f = Objective("old", xs, expr)
    f._grad_fn  # noqa: B018 - sympy.diff of every entry, then compiled (the old first evaluation)
    f._hess_fn  # noqa: B018


def part_derivatives(repeats: int, sympy_d20: bool) -> None:
    print("1. ∇F and ∇²F of a random dense quartic (CPU, median)")
    print(f"   {'d':>3} {'terms':>6} {'build F':>9} {'flint ∇F,∇²F':>13} {'term arrays':>12} {'sympy (old)':>12} {'sympy/flint':>12}")
    for d in (10, 20):
        coefs = dense_quartic(d)
        t_build, p = cpu(partial(PolynomialStructure.from_terms, coefs, d), repeats)
        t_flint, q = cpu(partial(derivatives_flint, p), repeats)
        t_arrays, _ = cpu(partial(term_arrays, q), repeats)
        if d == 10 or sympy_d20:
            t_sympy, _ = cpu(partial(derivatives_sympy, coefs, d), 1)
            s_txt, r_txt = f"{t_sympy:10.2f} s", f"{t_sympy / t_flint:10.0f}×"
        else:
            s_txt, r_txt = "(skipped)", ""
        print(f"   {d:>3} {len(coefs):>6} {t_build * 1e3:6.1f} ms {t_flint * 1e3:10.2f} ms {t_arrays * 1e3:9.1f} ms {s_txt:>12} {r_txt:>12}")
    print("   sympy (old): sympy.diff of the expanded F for ∇F and ∇²F, then compiling both (the old Objective's first")
    print("   evaluation); flint: fmpq_mpoly.derivative; term arrays: numpy exponent/coefficient arrays of ∇F and ∇²F.")


def draw_one(strategy: st.SearchStrategy[Objective]) -> Objective:
    """One objective from the family (hypothesis, derandomized: the same one on every run; the 8th drawn)."""
    box: list[Objective] = []

    @settings(max_examples=8, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def grab(f: Objective) -> None:
        box.append(f)

    grab()
    return box[-1]  # hypothesis's first examples are the simplest ones (F = x_1^2)


def margin_cost(f: Objective, repeats: int) -> float:
    """CPU seconds of the descent-lemma margin at one sample, mpmath at 50 digits (median over samples)."""
    B = MPBackend(50)
    L = B.num(f.constants.L)
    rng = np.random.default_rng(1)
    pts = [([B.num(Fraction(int(v), 64)) for v in rng.integers(-60, 61, f.dim)], [B.num(Fraction(int(v), 64)) for v in rng.integers(-60, 61, f.dim)]) for _ in range(5)]

    def one() -> None:
        for x, y in pts:
            g = f.grad(B, x)
            d = [yi - xi for xi, yi in zip(x, y, strict=True)]
            _ = f.value(B, x) + B.dot(g, d) + L / 2 * B.dot(d, d) - f.value(B, y)

    f.grad(B, pts[0][0])  # arrays built once per objective, not per sample
    t, _ = cpu(one, repeats)
    return t / len(pts)


def claim_cost(family: str, d: int, examples: int) -> tuple[float, int, str]:
    from symbolic.settings import profile
    from theorems.userclaims.claimfile import parse_claim

    uc = parse_claim({"name": "bench", "family": family, "family_options": {"dim": d}, "points": ["x", "y"], "expect": "holds", "conclusion": DESCENT})
    t0 = time.process_time()
    out = uc.claim.run(profile("fast").with_(examples=examples))
    return time.process_time() - t0, int(out.evidence.samples or 0), out.verdict.value


def size_of(f: Objective) -> int:
    s = f.structure
    if isinstance(s, PolynomialStructure):
        return s.value_block.terms + s.grad_block.terms
    return f.dim * f.dim


def part_claims(repeats: int, examples: int, skip_claims: bool) -> None:
    print(f"\n2. one claim ({DESCENT}), cost per sample (CPU, mpmath 50 digits)")
    head = f"   {'family':<11} {'d':>3} {'size':>6} {'eval/sample':>12} {'per size unit':>14}"
    if not skip_claims:
        head += f" {'claim CPU':>10} {'samples':>8} {'CPU/sample':>11}  verdict"
    print(head)
    plan = [("quadratics", d) for d in (1, 2, 5, 10, 20, 50, 100)] + [("polynomials", d) for d in (1, 2, 5, 10, 20, 50)]
    for family, d in plan:
        strategy = families.quadratics(dim=d) if family == "quadratics" else families.polynomials(dim=d)
        f = draw_one(strategy)
        size = size_of(f)
        t_eval = margin_cost(f, repeats)
        line = f"   {family:<11} {d:>3} {size:>6} {t_eval * 1e3:9.3f} ms {t_eval / size * 1e6:11.2f} µs"
        if not skip_claims:
            total, samples, verdict = claim_cost(family, d, examples)
            line += f" {total:8.2f} s {samples:>8} {total / max(samples, 1) * 1e3:8.1f} ms  {verdict}"
        print(line, flush=True)
    print("   size: quadratics d^2 (entries of A); polynomials terms of F + ∇F. Polynomials with more than")
    print(f"   {families.MAX_DENSE_MONOMIALS} monomials of degree <= 4 (d >= 11) are drawn sparse: d to 4d terms.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--examples", type=int, default=4, help="hypothesis examples per end-to-end claim")
    ap.add_argument("--sympy-d20", action="store_true", help="also time the old sympy path at d = 20 (minutes)")
    ap.add_argument("--skip-claims", action="store_true", help="evaluation costs only, no end-to-end claim runs")
    args = ap.parse_args()
    print(f"benchmarks/families.py: repeats {args.repeats}, examples {args.examples}; CPU seconds (time.process_time)")
    part_derivatives(args.repeats, args.sympy_d20)
    part_claims(args.repeats, args.examples, args.skip_claims)


if __name__ == "__main__":
    main()
