"""Evaluation throughput of the engine's hot path, measured against baselines in the same run.

Evaluates F and grad F of a fixed ridge-sum objective (d = 3, 3 terms) at N random points:

- compiled, mpmath at 50 digits (what the search uses), one point at a time;
- compiled, Arb balls at 170 bits (what confirmation uses), one point at a time;
- compiled, numpy float64, vectorised over all points at once (the speed ceiling);
- naive: sympy ``subs`` + ``evalf(50)`` per point (what a hand-written check would do).

Prints points per second and the ratios. Usage: ``python benchmarks/throughput.py [N]``.
"""

from __future__ import annotations

import sys
import time
from fractions import Fraction

import numpy as np
import sympy as sp

from symbolic import ArbBackend, FloatBackend, MPBackend, arb_precision
from symbolic.compile import compiled
from symbolic.objectives import coordinates


def objective() -> tuple[tuple[sp.Symbol, ...], list[sp.Expr]]:
    xs = coordinates(3)
    x1, x2, x3 = xs
    f = sp.Rational(3, 2) * sp.log(1 + sp.exp(x1 - x2 / 2 + 1)) + sp.cos(x2 + x3 / 4) / 2 - sp.tanh(x1 + x3) / 4
    return xs, [f, *[sp.diff(f, v) for v in xs]]


def main(n: int = 2000) -> None:
    xs, exprs = objective()
    rng = np.random.default_rng(0)
    pts = rng.uniform(-3, 3, size=(n, 3))
    fracs = [[Fraction(v).limit_denominator(10**6) for v in p] for p in pts]

    t0 = time.perf_counter()
    fn = compiled(exprs, xs)
    setup = time.perf_counter() - t0

    MP = MPBackend(50)
    t0 = time.perf_counter()
    for p in fracs:
        fn(MP, [MP.num(v) for v in p])
    mp_rate = n / (time.perf_counter() - t0)

    A = ArbBackend(170)
    m = min(n, 1000)
    with arb_precision(170):
        t0 = time.perf_counter()
        for p in fracs[:m]:
            fn(A, [A.num(v) for v in p])
        arb_rate = m / (time.perf_counter() - t0)

    F = FloatBackend()
    t0 = time.perf_counter()
    reps = 20
    for _ in range(reps):
        fn(F, [pts[:, 0], pts[:, 1], pts[:, 2]])
    np_rate = reps * n / (time.perf_counter() - t0)

    k = min(n, 100)
    t0 = time.perf_counter()
    for p in fracs[:k]:
        sub = {x: sp.Rational(v.numerator, v.denominator) for x, v in zip(xs, p, strict=True)}
        [e.subs(sub).evalf(50) for e in exprs]
    naive_rate = k / (time.perf_counter() - t0)

    print(f"objective: F and grad F of a 3-term ridge sum in R^3; {n} points; compile (cse) {setup * 1000:.1f} ms once")
    print(f"{'method':44s} {'points/s':>12s} {'vs numpy':>10s} {'vs naive':>10s}")
    for name, rate in (
        ("numpy float64, vectorised", np_rate),
        ("compiled mpmath, 50 digits", mp_rate),
        ("compiled Arb balls, 170 bits (rigorous)", arb_rate),
        ("naive sympy subs + evalf(50)", naive_rate),
    ):
        print(f"{name:44s} {rate:12.0f} {rate / np_rate:10.4f} {rate / naive_rate:10.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
