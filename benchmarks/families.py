"""Structured objective families: build and per-sample costs, against the old sympy path in the same run.

1. ∇F and ∇²F of a random quartic (dense at d = 10 and 20: every monomial of degree <= 4 kept
   with probability 2/3, coefficients k/4; sparse at d = 50: 2000 monomials), ready to evaluate:
   now (F's term arrays from its term dict, ∇F's and ∇²F's derived from them by numpy index
   arithmetic) against the previous path in the same run (python-flint ``fmpq_mpoly``
   derivatives, then term arrays read from each derivative's terms: ``old_*`` below), and at
   d = 10 the older sympy path (``sympy.diff`` of the expanded F, compiling ∇F and ∇²F; at
   d = 20 only with ``--sympy-d20``: minutes). The arrays are checked equal to the previous ones.
2. Cost per sample of one claim, the descent lemma
   F(y) <= F(x) + <∇F(x), y - x> + L/2 ||y - x||^2, over quadratics (d = 1 ... 100) and
   polynomials on [-1, 1]^d (d = 1 ... 50):
   - evaluation only: the claim's margin at one sample (two values, one gradient) in mpmath at
     50 digits, per sample and per unit of the objective's size (quadratics: d^2 entries of A;
     polynomials: terms of F and ∇F);
   - end to end: a claim file's whole search (hypothesis draws, evaluation, local search),
     CPU seconds / samples.
3. The convex families and ``nonnegative_smooth`` at d = 4 and 20: their structure (ridge sums,
   softmax, least squares) against the sympy path (the same F compiled), first gradient and
   per-sample margin, and (unless ``--skip-claims``) a claim end to end at that d.

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

from flint import fmpq, fmpq_mpoly  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from symbolic import FloatBackend, MPBackend, convex_families, families  # noqa: E402
from symbolic.objectives import Objective, coordinates  # noqa: E402
from symbolic.structured import PolynomialBlock, PolynomialStructure, polynomial_context  # noqa: E402

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


def sparse_quartic(d: int, terms: int, seed: int = 0) -> dict[tuple[int, ...], Fraction]:
    """``terms`` random monomials of degree <= 4 (a drawn degree, drawn variables), coefficients k/4."""
    rng = np.random.default_rng(seed)
    out: dict[tuple[int, ...], Fraction] = {}
    while len(out) < terms:
        e = [0] * d
        for _ in range(int(rng.integers(0, 5))):
            e[int(rng.integers(0, d))] += 1
        k = int(rng.integers(-8, 9))
        if k:
            out[tuple(e)] = Fraction(k, 4)
    return out


# ---- the previous path (the baseline): flint polynomial, flint derivatives, term arrays read term by term


def old_build(coefs: dict[tuple[int, ...], Fraction], d: int) -> fmpq_mpoly:
    """F as a python-flint fmpq_mpoly, as ``PolynomialStructure.from_terms`` built it before (from_dict)."""
    return polynomial_context(d).from_dict({e: fmpq(c.numerator, c.denominator) for e, c in coefs.items() if c != 0})


def old_block_arrays(polys: list[fmpq_mpoly], dim: int) -> tuple[np.ndarray, ...]:
    """The previous PolynomialBlock constructor: (var, exp, owner, float coefficients) read from each polynomial's
    ``monoms()``/``coeffs()`` (Python lists of every term), packed by an argsort over all d columns."""
    coefs: list[Any] = []
    exps_all: list[np.ndarray] = []
    owner: list[int] = []
    for k, p in enumerate(polys):
        if len(p) == 0:
            continue
        coefs.extend(p.coeffs())
        exps_all.append(np.array(p.monoms(), dtype=np.intp).reshape(len(p), dim))
        owner.extend([k] * len(p))
    E = np.concatenate(exps_all) if exps_all else np.zeros((0, dim), dtype=np.intp)
    counts = (E > 0).sum(axis=1)
    width = int(counts.max()) if len(counts) else 0
    order = np.argsort(E == 0, axis=1, kind="stable")[:, :width]
    var = order.astype(np.intp)
    exp = np.take_along_axis(E, var, axis=1)
    var[exp == 0] = 0
    return var, exp, np.array(owner, dtype=np.intp), np.array([float(c) for c in coefs], dtype=float)


def old_derivative_arrays(poly: fmpq_mpoly, d: int) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """The previous ∇F, ∇²F build: flint derivatives (the Hessian's upper triangle), then their term arrays."""
    grad = [poly.derivative(i) for i in range(d)]
    upper = [grad[i].derivative(j) for i in range(d) for j in range(i, d)]
    return old_block_arrays(grad, d), old_block_arrays(upper, d)


# ---- the current path


def new_build(coefs: dict[tuple[int, ...], Fraction], d: int) -> PolynomialStructure:
    """F's term arrays (exponents, exact coefficients) from the term dict, and its value block."""
    p = PolynomialStructure.from_terms(coefs, d)
    p.value_block  # noqa: B018
    return p


def new_derivative_blocks(p: PolynomialStructure) -> tuple[PolynomialBlock, PolynomialBlock]:
    """∇F and ∇²F's upper triangle derived from F's value block by numpy index arithmetic (nothing cached)."""
    g = p.value_block.gradient()
    return g, g.upper_hessian()


def first_evaluation(blocks: tuple[PolynomialBlock, PolynomialBlock]) -> None:
    """∇F and ∇²F at one point in float64, the exact coefficients converted to float64 first (not cached)."""
    for block in blocks:
        block.__dict__.pop("_coef", None)
        block.coefs.__dict__.pop("floats", None)
        block.evaluate(FloatBackend(), [0.25] * block.dim)


def same_arrays(block: PolynomialBlock, old: tuple[np.ndarray, ...]) -> bool:
    """The block's arrays equal the previous path's (then float64 evaluation is bit-identical)."""
    var, exp, owner, coef = old
    return all(np.array_equal(u, v) for u, v in ((block._var, var), (block._exp, exp), (block._owner, owner), (block._coef, coef)))


def derivatives_sympy(coefs: dict[tuple[int, ...], Fraction], d: int) -> None:
    xs = coordinates(d)
    expr = sp.Add(*[sp.Rational(c.numerator, c.denominator) * sp.Mul(*[x**e for x, e in zip(xs, k, strict=True) if e]) for k, c in coefs.items()])
    f = Objective("old", xs, expr)
    f._grad_fn  # noqa: B018 - sympy.diff of every entry, then compiled (the older first evaluation)
    f._hess_fn  # noqa: B018


def part_derivatives(repeats: int, sympy_d20: bool) -> None:
    print("1. ∇F and ∇²F of a random quartic, ready to evaluate (CPU, median)")
    print(f"   {'':<13} {'':>6} {'':>6} {'previous path':^24} {'now':^37}")
    print(
        f"   {'F':<13} {'terms':>6} {'∇²F':>6} {'F (flint)':>10} {'∇F,∇²F':>13} {'F arrays':>10} {'∇F,∇²F':>10}"
        f" {'1st eval':>12} {'ratio':>7} {'same':>5} {'sympy (older)':>14}"
    )
    plan = [("dense, d=10", 10, dense_quartic(10)), ("dense, d=20", 20, dense_quartic(20)), ("sparse, d=50", 50, sparse_quartic(50, 2000))]
    for label, d, coefs in plan:
        t_old_f, poly = cpu(partial(old_build, coefs, d), repeats)
        t_old_d, (old_g, old_h) = cpu(partial(old_derivative_arrays, poly, d), repeats)
        t_new_f, p = cpu(partial(new_build, coefs, d), repeats)
        t_new_d, blocks = cpu(partial(new_derivative_blocks, p), repeats)
        t_eval, _ = cpu(partial(first_evaluation, blocks), repeats)
        same = same_arrays(blocks[0], old_g) and same_arrays(blocks[1], old_h)
        if d == 10 or (d == 20 and sympy_d20):
            t_sympy, _ = cpu(partial(derivatives_sympy, coefs, d), 1)
            s_txt = f"{t_sympy:11.2f} s"
        else:
            s_txt = "(skipped)"
        print(
            f"   {label:<13} {len(p.arrays[1]):>6} {blocks[1].terms:>6} {t_old_f * 1e3:7.2f} ms {t_old_d * 1e3:10.2f} ms"
            f" {t_new_f * 1e3:7.2f} ms {t_new_d * 1e3:7.2f} ms {t_eval * 1e3:9.2f} ms {t_old_d / t_new_d:6.0f}×"
            f" {'yes' if same else 'NO':>5} {s_txt:>14}",
            flush=True,
        )
    print("   previous path: F = fmpq_mpoly.from_dict; ∇F, ∇²F = fmpq_mpoly.derivative, then term arrays read from each")
    print("   derivative's monoms()/coeffs(). now: F's arrays from the term dict (the fmpq_mpoly only on request); ∇F's")
    print("   and ∇²F's arrays derived from F's by numpy index arithmetic (c x^e -> c e_j x^(e - δ_j)). ratio: ∇F,∇²F")
    print("   previous/now. 1st eval: exact coefficients to float64, one float64 evaluation of ∇F and ∇²F. same: arrays")
    print("   equal to the previous path's (float64 values bit-identical). sympy (older): sympy.diff + compile of ∇F, ∇²F.")


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


def sympy_twin(f: Objective) -> Objective:
    """The same F evaluated the previous way: its sympy expression, compiled (no structure)."""
    return Objective("sympy", f.variables, f.expr, constants=f.constants)


def first_gradient(f: Objective) -> None:
    """One gradient in mpmath on a fresh copy (the sympy path compiles ∇F here; a structure converts its constants)."""
    g = sympy_twin(f) if f.structure is None else Objective(f.family, f.variables, constants=f.constants, structure=f.structure)
    g.grad(MPBackend(50), [MPBackend(50).num(Fraction(1, 3))] * f.dim)


def part_convex(repeats: int, examples: int, skip_claims: bool) -> None:
    print("\n3. convex families and nonnegative_smooth: structure against the sympy path (CPU, mpmath 50 digits)")
    head = f"   {'family':<21} {'d':>3} {'sympy 1st ∇F':>13} {'structure':>10} {'sympy/sample':>13} {'structure':>10} {'ratio':>6}"
    if not skip_claims:
        head += f" {'claim CPU':>10} {'samples':>8}  verdict"
    print(head)
    strategies = {
        "softplus_sums": convex_families.softplus_sums,
        "logistic_regressions": convex_families.logistic_regressions,
        "log_sum_exps": convex_families.log_sum_exps,
        "nonnegative_smooth": families.nonnegative_smooth,
    }
    for name, make in strategies.items():
        for d in (4, 20):
            f = draw_one(make(dim=d))
            old = sympy_twin(f)
            t_first_old, _ = cpu(partial(first_gradient, old), 1)
            t_first_new, _ = cpu(partial(first_gradient, f), repeats)
            t_old, t_new = margin_cost(old, repeats), margin_cost(f, repeats)
            line = f"   {name:<21} {d:>3} {t_first_old * 1e3:10.1f} ms {t_first_new * 1e3:7.2f} ms {t_old * 1e3:10.3f} ms {t_new * 1e3:7.3f} ms {t_old / t_new:5.1f}×"
            if not skip_claims:
                total, samples, verdict = claim_cost(name, d, examples)
                line += f" {total:8.2f} s {samples:>8}  {verdict}"
            print(line, flush=True)
    print("   sympy 1st ∇F: sympy.diff and compiling ∇F at the first gradient (the structure: converting its constants).")
    print("   per sample: the descent-lemma margin (two values, one gradient). Claim files take dim <= 20 for these.")


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
    part_convex(args.repeats, args.examples, args.skip_claims)


if __name__ == "__main__":
    main()
