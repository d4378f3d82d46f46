"""Screen in float64, certify in Arb: CPU per point against plain float64, in one run.

The growth margin ``2 L F(x) - |grad F(x)|^2 >= 0`` of a nonnegative L-smooth objective, at
N random rational points, on two objectives (those of issue 17):

- a d = 3 ridge sum (softplus and 1 - cos terms), L certified by construction;
- a d = 10 quartic, sum (x_i^2 - 1)^2 / 4 + (sum x_i / 10)^2, L certified on [-2, 2]^10.

For each, CPU seconds per point (``time.process_time``, median of 3):

(a) plain float64, numpy, vectorised over the points (no error control: the ceiling);
(b) the reference path, every point decided in Arb balls (``screening=False``);
(c) the screened path, :func:`symbolic.screening.screen_batch`: float64 balls with one
    error bound for the batch (:mod:`symbolic.float_balls`: one numpy call per operation),
    per-point float64 intervals for the points the balls do not pass, Arb for the decisive
    ones (the 3 worst and any within the rounding band); (c') the same from a list of
    rational cases (:func:`~symbolic.screening.screen_cases`, conversion to floats included);
(d) the screened path one point at a time (what the search does per hypothesis draw);
(e) mpmath at 50 digits one point at a time (what the search did per draw before).

Then, with ``--catalogue``, the CPU of the numeric claims (kind N) of the catalogue entries
given (default: all), run in this process with screening off and on; with ``--baseline DIR``
(a checkout of the code before this change, e.g. ``git archive a62f3c9 | tar -x -C DIR``) the
same claims run there too, in a subprocess. Usage::

    python benchmarks/screening.py [N ...]   (default: 2000 10000 100000)
    python benchmarks/screening.py --catalogue [--baseline DIR] [--ids pauwels sgdloj]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import sympy as sp

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from symbolic import Case, Claim, Constants, FloatBackend, MPBackend, Objective, coordinates  # noqa: E402
from symbolic.float_intervals import IntervalFloatBackend  # noqa: E402
from symbolic.objectives import Box  # noqa: E402
from symbolic.rigorous import hessian_norm_bound  # noqa: E402
from symbolic.screening import batch_of_arrays, screen_batch, screen_cases  # noqa: E402
from symbolic.settings import CheckSettings  # noqa: E402


def ridge3() -> Objective:
    """3/2 softplus(x1 - x2/2 + 1) + (1 - cos(x2 + x3/4))/2 + softplus(x3 - x1)/4 >= 0."""
    x1, x2, x3 = xs = coordinates(3)

    def sp_(u: sp.Expr) -> sp.Expr:
        return sp.log(1 + sp.exp(u))

    f = sp.Rational(3, 2) * sp_(x1 - x2 / 2 + 1) + (1 - sp.cos(x2 + x3 / 4)) / 2 + sp_(x3 - x1) / 4
    # L = sum |a_j| sup|psi''| |w_j|^2
    L = Fraction(3, 2) * Fraction(1, 4) * Fraction(5, 4) + Fraction(1, 2) * Fraction(17, 16) + Fraction(1, 4) * Fraction(1, 4) * 2
    return Objective("ridge_sum(d=3)", xs, f, Constants(L=L, lower=Fraction(0)))


def quartic10() -> Objective:
    xs = coordinates(10)
    f = sum(((x**2 - 1) ** 2 / 4 for x in xs), sp.Integer(0)) + (sum(xs, sp.Integer(0)) / 10) ** 2
    f = sp.expand(f)
    box = Box.cube(10, 2)
    grad = [sp.diff(f, v) for v in xs]
    hess = [[sp.diff(g, v) for v in xs] for g in grad]
    L = hessian_norm_bound(hess, xs, box, pieces=1)
    return Objective("quartic(d=10)", xs, f, Constants(L=L, lower=Fraction(0), region=box))


def growth_claim() -> Claim:
    return Claim(
        "growth: |grad F|^2 <= 2 L F",
        cases=None,  # type: ignore[arg-type]  # evaluated at given cases only
        lhs=lambda c, B: B.norm2(c.objective.grad(B, c.x(B))),
        rel="<=",
        rhs=lambda c, B: 2 * B.num(c.objective.constants.L) * c.objective.value(B, c.x(B)),
    )


def cpu(fn: Callable[[], Any], repeats: int = 3) -> float:
    """Median CPU seconds of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def points(d: int, n: int, radius: float, seed: int = 0) -> np.ndarray:
    """n random points of [-radius, radius]^d on the grid 2^-20 (floats, exact rationals)."""
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(-radius, radius, size=(n, d)) * 2**20) / 2**20


def per_point(objective: Objective, n: int, radius: float) -> dict[str, float]:
    claim = growth_claim()
    settings = CheckSettings()
    X = points(objective.dim, n, radius)
    arrays = batch_of_arrays(objective, {"x": X})
    cases = [Case(objective=objective, points={"x": tuple(Fraction(float(v)) for v in row)}) for row in X]
    F = FloatBackend()

    def plain() -> None:
        claim.margin(batch_of_arrays(objective, {"x": X}), F)

    def arb_all() -> None:
        screen_batch(claim, arrays, settings.with_(screening=False))

    def screened() -> None:
        screen_batch(claim, batch_of_arrays(objective, {"x": X}), settings)

    def screened_rationals() -> None:
        screen_cases(claim, cases, settings)

    IB = IntervalFloatBackend()
    MP = MPBackend(50)
    k = min(n, 200)

    def one_by_one() -> None:
        for c in cases[:k]:
            claim.screen(c, IB)

    def mpmath_each() -> None:
        for c in cases[:k]:
            claim.margin(c, MP)

    plain()  # warm the compiled evaluators
    report = screen_batch(claim, arrays, settings)
    reference = n <= 20000  # the per-point references cost ~0.1 ms a point: not at 10^5 points
    out = {
        "float64": cpu(plain) / n,
        "arb": cpu(arb_all, 1) / n if reference else math.nan,
        "screened": cpu(screened) / n,
        "screened_q": cpu(screened_rationals) / n if reference else math.nan,
        "screened_1by1": cpu(one_by_one) / k,
        "mpmath": cpu(mpmath_each, 1) / k,
    }
    print(f"\n{objective.family}: {n} points; {report.summary()}; smallest float margin {report.smallest:.3g}")
    base = out["float64"]
    for name, label in (
        ("float64", "(a) plain float64, vectorised"),
        ("arb", "(b) reference: every point in Arb"),
        ("screened", "(c) screened: balls, intervals, Arb (vectorised)"),
        ("screened_q", "(c') the same from rational cases (conversion)"),
        ("screened_1by1", "(d) float64 intervals one point at a time"),
        ("mpmath", "(e) mpmath 50 digits one point at a time"),
    ):
        if math.isnan(out[name]):
            print(f"  {label:50s}    (not run at this size)")
            continue
        print(f"  {label:50s} {out[name] * 1e6:10.2f} us/point {out[name] / base:8.2f}x float64")
    return out


# ---------------------------------------------------------------- catalogue

_RUN = r"""
import json, sys, time
sys.path.insert(0, '.')
from theorems import registry
from symbolic.settings import CheckSettings
from symbolic.claims import Claim
flag = sys.argv[1]
ids = sys.argv[2:]
settings = CheckSettings() if flag == 'default' else CheckSettings(screening=(flag == 'on'))
rows = []
for e in registry.entries(ids):
    for c in list(e.checks) + list(getattr(e, 'corrected', [])):
        if not isinstance(c, Claim):
            continue
        t = time.process_time()
        try:
            v = c.run(settings).verdict.value
        except Exception as exc:
            v = 'error: ' + type(exc).__name__
        rows.append([e.id, c.name, v, time.process_time() - t])
print(json.dumps(rows))
"""


def catalogue(ids: list[str], baseline: str | None) -> None:
    runs: list[tuple[str, str, str]] = []
    if baseline:
        runs.append(("before (baseline tree)", baseline, "default"))
    runs += [("after, screening off", str(ROOT), "off"), ("after, screening on", str(ROOT), "on")]
    results: dict[str, list[list[Any]]] = {}
    for label, tree, flag in runs:
        env = {**os.environ, "PYTHONPATH": tree}
        out = subprocess.run([sys.executable, "-c", _RUN, flag, *ids], cwd=tree, env=env, capture_output=True, text=True, check=True)
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    first = next(iter(results.values()))
    print(f"\nnumeric claims of the catalogue ({len(first)} claims, {' '.join(ids) or 'all entries'}), CPU seconds in one process:")
    for label, rows in results.items():
        refuted = [r for r in rows if r[2] == "refuted"]
        print(f"  {label:28s} total {sum(r[3] for r in rows):7.2f} s; refuted claims ({len(refuted)}) {sum(r[3] for r in refuted):6.2f} s")
    labels = list(results)
    keyed = {lab: {(r[0], r[1]): r for r in rows} for lab, rows in results.items()}
    diffs = [k for k in keyed[labels[0]] if any(keyed[lab].get(k, [None] * 3)[2] != keyed[labels[0]][k][2] for lab in labels[1:])]
    print(f"  verdicts that differ between the runs: {len(diffs)}")
    for k in diffs:
        print("   ", k, [keyed[lab].get(k, [None] * 3)[2] for lab in labels])
    worst_refuted = max((r for r in first if r[2] == "refuted"), key=lambda r: r[3], default=None)
    if worst_refuted is not None:
        key = (worst_refuted[0], worst_refuted[1])
        print(f"  slowest refuted claim in the first run: {key[0]} :: {key[1][:60]}")
        for lab in labels:
            print(f"    {lab:28s} {keyed[lab][key][3]:6.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="*", type=int, default=[2000, 10000, 100000], help="points per objective (default 2000 10000 100000)")
    ap.add_argument("--catalogue", action="store_true", help="also time the catalogue's numeric claims")
    ap.add_argument("--baseline", help="a checkout of the code before screening, run in a subprocess")
    ap.add_argument("--ids", nargs="*", default=[], help="entry IDs or prefixes for --catalogue (default: all)")
    args = ap.parse_args()
    print("CPU time per point (process_time, median of 3; Arb and mpmath runs: 1 repeat)")
    rows = []
    for n in args.n:
        ridge = per_point(ridge3(), n, 3.0)
        quartic = per_point(quartic10(), n, 1.0)
        rows.append((n, ridge, quartic))
    print("\nscreened / float64 per point (goal <= 3x); the 3 worst points are always confirmed in Arb, a")
    print("fixed cost of ~0.1-0.3 ms that small batches do not amortise:")
    for n, ridge, quartic in rows:
        print(f"  n = {n:>6}: ridge sum d = 3: {ridge['screened'] / ridge['float64']:.2f}x, quartic d = 10: {quartic['screened'] / quartic['float64']:.2f}x")
    for n, ridge, quartic in rows:
        if not math.isnan(ridge["arb"]):
            print(f"Arb on every point / float64 (n = {n}): ridge sum d = 3: {ridge['arb'] / ridge['float64']:.0f}x, quartic d = 10: {quartic['arb'] / quartic['float64']:.0f}x")
    if args.catalogue:
        catalogue(args.ids, args.baseline)


if __name__ == "__main__":
    main()
