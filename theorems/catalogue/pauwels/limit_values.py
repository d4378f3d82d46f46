"""pauwels.limit-values: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 5 "Approaching critical point with noise", slide "Consequence: limit values and critical points", Lemma.

The set Omega of limit points of (F(theta_k)) is an interval contained in the critical values F*. Illustrated.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symbolic import CheckSettings, Illustration
from theorems.registry import Entry, Status, register


def limit_values_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """SGD on the double well l_i(theta) = (theta^2-1)^2/4 + c_i theta (sum c_i = 0): tail ranges of F(theta_k)."""
    th = sp.Symbol("th", real=True)
    Fs = (th**2 - 1) ** 2 / 4
    crit = sp.solve(sp.diff(Fs, th), th)
    Fstar = sorted({Fs.subs(th, c) for c in crit})
    rng = np.random.default_rng(settings.seed)
    c = np.array([-0.5, 0.0, 0.5])
    n, K = 300, 24000
    theta = rng.uniform(-2, 2, size=n)
    lo, hi = np.full(n, np.inf), np.full(n, -np.inf)
    for j in range(K):
        i = rng.integers(0, 3, size=n)
        theta = theta - 0.2 * (j + 1) ** -0.7 * (theta**3 - theta + c[i])
        if j >= K // 2:
            Fv = (theta**2 - 1) ** 2 / 4
            lo, hi = np.minimum(lo, Fv), np.maximum(hi, Fv)
    width = hi - lo
    centres = (hi + lo) / 2
    dist = np.min(np.abs(centres[:, None] - np.array([float(v) for v in Fstar])[None, :]), axis=1)
    ok = bool(np.median(width) < 5e-3 and np.all(dist < 2e-2))
    figure = {"kind": "histogram", "values": [float(v) for v in centres], "bins": 40, "xlabel": "centre of the tail range of F(theta_k) (F* = {0, 1/4})"}
    return ok, f"F* = {Fstar}; over k in [{K // 2}, {K}] the range of F(theta_k) has median width {np.median(width):.2g} (max {width.max():.2g}); its centre is within {dist.max():.2g} of F*", {"figure": figure}


limit_values = Illustration(
    "SGD on a tame double well: the limit values of F(theta_k) shrink to a point of the finite set F*",
    limit_values_experiment,
    shows="for $F=(\\theta^2-1)^2/4$ (semi-algebraic, $F^*=\\{0,1/4\\}$ computed exactly) and 300 SGD runs, the range of $F(\\theta_k)$ over the second half of 24000 steps is narrow and centred on a critical value: $\\Omega$ behaves as a singleton in $F^*$",
    does_not_show="that $\\Omega$ is an interval (the exercise) or contained in $F^*$ in general; finite runs only approximate the limit set",
    statement=r"\Omega\subset F^*,\ F^*=\{0,\tfrac14\}",
)


def interval_exercise(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """A bounded sequence with vanishing increments has an interval of limit points: u_k = sin(sqrt k)."""
    kk = np.arange(1, 2_000_001)
    u = np.sin(np.sqrt(kk))
    tail = u[1_000_000:]
    grid = np.linspace(-0.99, 0.99, 199)
    hit = np.array([np.any(np.abs(tail - g) < 1e-3) for g in grid])
    figure = {"kind": "histogram", "values": [float(v) for v in tail[::500]], "bins": 40, "xlabel": "u_k = sin(sqrt k), k in [10^6, 2 10^6] (every 500th)"}
    return bool(hit.all()), f"increments <= {np.abs(np.diff(u[1_000_000:])).max():.2g}; every point of a grid of [-0.99, 0.99] is within 1e-3 of a late term", {"figure": figure}


interval_illustration = Illustration(
    "why Omega is an interval: vanishing increments make the limit set connected (u_k = sin sqrt k)",
    interval_exercise,
    shows="a bounded sequence with $|u_{k+1}-u_k|\\to0$ (like $F(\\theta_k)$, since $\\alpha_k\\to0$ and the iterates are bounded) visits every value of $[-1,1]$ in its tail: its set of limit points is an interval",
    does_not_show="the exercise's proof; here the limit set is the whole interval, whereas for SGD on tame $F$ the lemma forces a singleton",
    statement=r"|u_{k+1}-u_k|\to0,\ (u_k)\ \text{bounded}\implies\Omega\ \text{is a compact interval}",
)

register(
    Entry(
        id="pauwels.limit-values",
        title="Limit values and critical points: Omega is an interval in F*",
        where="Consequence: limit values and critical points",
        statement=(
            r"$\liminf_kF(\theta_k)$ is a critical value of $F$. $F^*=\{F(\theta),\nabla F(\theta)=0,\|\theta\|\le C\}$. Lemma: let $\Omega$ be the set "
            r"of limit points of $(F(\theta_k))$; $\Omega$ is an interval contained in $F^*$. Proof: $\Omega$ is a compact interval (exercise), "
            r"$\min\Omega\in F^*$; if $\bar f\in\mathrm{int}(\Omega)\setminus F^*$, descent in the limit gives a contradiction."
        ),
        checks=[limit_values, interval_illustration],
        status=Status.ILLUSTRATED,
        reading="Illustrated: the slide proves it from descent in the limit; we exhibit the qualitative behaviour on a semi-algebraic double well.",
    )
)
