"""golikov.lee-saddle-avoidance: slide "Theorem (Lee et al., 2016)".

"Suppose f in C^{2,1}_L, f >= 0. Let x_0 ~ P_init, absolutely continuous wrt Lebesgue measure.
Then for any critical point x* only one of two holds: x* is a 2nd-order stationary point;
P(lim x_t = x*) = 0. Equivalently, if x* is a strict saddle, P(lim x_t = x*) = 0."
Monte Carlo with Clopper-Pearson bounds on functions with strict saddles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from symbolic import CheckSettings, Illustration, Implication, MonteCarlo
from symbolic.algorithms import gradient_descent
from symbolic.sde import OperatorIdentity
from theorems.catalogue.golikov._common import CosSaddle
from theorems.registry import Entry, Status, register

STEPS, RADIUS, ALPHA = 300, 1e-3, 0.5  # L = 1 for CosSaddle: alpha = 1/2 < 1/L


def _converges_to(model: CosSaddle, target: np.ndarray, init: Callable[[np.random.Generator, int], np.ndarray]) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Indicator, per path, that x_T is within RADIUS of ``target`` after STEPS GD steps."""

    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        run = gradient_descent(model.grad, init(rng, n), ALPHA, STEPS)
        return np.linalg.norm(run.x - target, axis=1) <= RADIUS

    return simulate


S2 = CosSaddle(2, 1)
S5 = CosSaddle(5, 2)


def _uniform_box(d: int, half: float) -> Callable[[np.random.Generator, int], np.ndarray]:
    return lambda rng, n: rng.uniform(-half, half, (n, d))


def _gaussian(d: int) -> Callable[[np.random.Generator, int], np.ndarray]:
    return lambda rng, n: rng.standard_normal((n, d))


def _on_stable_set(rng: np.random.Generator, n: int) -> np.ndarray:
    """Uniform on the segment {x_1 = 0, |x_2| <= 2}: the stable set of the saddle (Lebesgue-null)."""
    X = np.zeros((n, 2))
    X[:, 1] = rng.uniform(-2, 2, n)
    return X


_MIN2 = np.array([np.pi, 0.0])


def _where_they_end(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """Limits of GD from x_0 ~ Unif[-4, 4]^2 on 1 + cos x_1 + x_2^2/2, and the slow escape of starts near the stable line."""
    rng = np.random.default_rng(settings.seed)
    n = max(500, int(2000 * settings.mc_scale))
    run = gradient_descent(S2.grad, rng.uniform(-4, 4, (n, 2)), ALPHA, STEPS)
    k = np.round(run.x[:, 0] / np.pi).astype(int)
    counts = {int(v): int((k == v).sum()) for v in np.unique(k)}
    at_saddles = int(sum(c for v, c in counts.items() if v % 2 == 0))
    times = {}
    for delta in (1e-2, 1e-6, 1e-12):
        near = gradient_descent(S2.grad, np.array([[delta, 1.0]]), ALPHA, 10000, stop=lambda X: np.abs(X[:, 0]) > 1.0, until_all=True)
        times[delta] = int(near.hit[0])
    details = (
        f"{n} starts: limits x_1 = k pi with counts {counts} (even k: saddles, odd k: minima); {at_saddles} at a saddle. "
        "Starts at distance delta from the stable line x_1 = 0 leave |x_1| <= 1 after " + ", ".join(f"{t} steps (delta = {d:g})" for d, t in times.items())
    )
    figure = {"kind": "bars", "values": {f"GD steps to escape from distance {d:g}": t for d, t in times.items()}}
    return at_saddles == 0, details, {"limits": counts, "escape_steps": {str(d): t for d, t in times.items()}, "figure": figure}

# ------------------------------------------------------------------ the reading of "only one of two holds"
# The two alternatives can hold at once: f = 2 - sin^4 x has the critical point 0 with f'(0) = f''(0) = 0 (2nd-order
# stationary), and gradient descent moves every x in (0, pi/2) up and away from 0, so P(lim x_t = 0) = 0 as well.
_x = sp.Symbol("x", real=True)
_a = sp.Symbol("alpha", positive=True)
BOTH_F = 2 - sp.sin(_x) ** 4  # f >= 1 >= 0, f'' = 16 sin^4 x - 12 sin^2 x in [-9/4, 4]: f in C^{2,1}_4


def _both_alternatives(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    """Computed in the check: f'(0), f''(0), the GD displacement and f'' in terms of s = sin^2 x."""
    f1, f2 = sp.diff(BOTH_F, _x), sp.diff(BOTH_F, _x, 2)
    step = (_x - _a * f1) - _x
    return (
        sp.Matrix([f1.subs(_x, 0), f2.subs(_x, 0), step - 4 * _a * sp.sin(_x) ** 3 * sp.cos(_x), f2 - (16 * sp.sin(_x) ** 4 - 12 * sp.sin(_x) ** 2)]),
        sp.zeros(4, 1),
    )


both_alternatives = OperatorIdentity(
    "reading 'only one of two': at the critical point 0 of f = 2 - sin^4 x, f'(0) = f''(0) = 0 and the GD step is x + 4 alpha sin^3 x cos x",
    _both_alternatives,
    dims=(1,),
    statement=(
        r"f=2-\sin^4x:\ f'(0)=0,\ f''(0)=0\ (\text{2nd-order stationary}),\quad x-\alpha f'(x)-x=4\alpha\sin^3x\cos x,\quad f''=16\sin^4x-12\sin^2x"
    ),
    note=(
        r"For $0<x<\pi/2$ the step is $>0$, and the GD map is increasing for $\alpha<1/4$ (next check), so an orbit from $x_0\in(0,\pi/2)$ increases to the "
        r"minimum $\pi/2$ and never tends to $0$ (by symmetry for $x_0<0$); only the countably many preimages of $0$ under the diffeomorphism converge to $0$: "
        r"$\mathbb P(\lim x_t=0)=0$ although $0$ is 2nd-order stationary."
    ),
    scope="the witness f = 2 - sin^4 x (d = 1)",
)

_s = sp.Symbol("s", real=True)  # s = sin^2 x
both_alternatives_smooth = Implication(
    "the witness is in C^{2,1}_4: |f''| = |16 s^2 - 12 s| <= 4 for s = sin^2 x in [0, 1]",
    hypotheses=[_s >= 0, _s <= 1],
    conclusion=sp.Abs(16 * _s**2 - 12 * _s) <= 4,
    statement=r"0\le s\le1\implies|16s^2-12s|\le4",
    note=r"So $\nabla f$ is $4$-Lipschitz, $f\ge1\ge0$, and for $\alpha<1/4$ the GD map $x\mapsto x-\alpha f'(x)$ has derivative $1-\alpha f''>0$.",
    scope="the witness f = 2 - sin^4 x",
)


def _both_sim(rng: np.random.Generator, n: int) -> np.ndarray:
    """GD (alpha = 1/5 < 1/L = 1/4) on 2 - sin^4 x from Unif[-1, 1], 300 steps: is x_T within 1e-3 of 0?"""
    x = rng.uniform(-1, 1, (n, 1))
    run = gradient_descent(lambda X: -4 * np.sin(X) ** 3 * np.cos(X), x, 0.2, STEPS)
    return np.abs(run.x[:, 0]) <= RADIUS


both_alternatives_mc = MonteCarlo(
    "reading 'only one of two': the 2nd-order stationary point 0 of 2 - sin^4 x attracts no random start, P(|x_T| <= 1e-3) <= 0.005",
    _both_sim,
    rel="<=",
    bound=0.005,
    samples=20000,
    statement=r"\mathbb P\big(|x_T|\le10^{-3}\big)\le0.005,\quad f=2-\sin^4x,\ x_0\sim\mathrm{Unif}[-1,1],\ \alpha=\tfrac15,\ T=300",
    note="Orbits move monotonically away from 0, so only starts with |x_0| <= 1e-3 (probability 1e-3) can end there; the bound would fail if 0 attracted a set of probability above about 0.004.",
    scope="the witness f = 2 - sin^4 x",
)

register(
    Entry(
        id="golikov.lee-saddle-avoidance",
        title="Theorem (Lee et al., 2016): with random initialization P(lim x_t = x*) = 0 at strict saddles",
        where="Local optimization: general case, Theorem (Lee et al., 2016) (two slides)",
        statement=(
            r"Suppose $f\in\mathcal C^{2,1}_L$, $f\ge0$. Let $x_0\sim P_{init}(x_0)$. Assume $P_{init}$ is absolutely continuous wrt Lebesgue "
            r"measure $\mu$. Then for any critical point $x^*$ only one of two holds: $x^*$ is a 2nd-order stationary point; "
            r"$\mathbb P(\lim x_t=x^*)=0$. Equivalently, if $x^*$ is a strict saddle, i.e. $\lambda_{\min}(\nabla^2f(x^*))<0$, then "
            r"$\mathbb P(\lim x_t=x^*)=0$."
        ),
        hypotheses=[r"$f\in\mathcal C^{2,1}_L$, $f\ge0$", r"$P_{init}\ll\mu$", r"$\alpha\in(0,1/L)$ (Lee et al.; the slide leaves the step implicit)"],
        checks=[
            MonteCarlo(
                "strict saddle of 1 + cos x_1 + x_2^2/2, x_0 uniform on [-2, 2]^2: P(|x_T - 0| <= 1e-3) <= 0.005",
                _converges_to(S2, np.zeros(2), _uniform_box(2, 2.0)),
                rel="<=",
                bound=0.005,
                samples=2000,
                statement=r"\mathbb P\big(\|x_T-x^*\|\le10^{-3}\big)\le0.005,\quad f=1+\cos x_1+\tfrac12x_2^2,\ x^*=0,\ T=300",
                note="$L=1$, $\\alpha=1/2$; $\\nabla^2f(0)=\\mathrm{diag}(-1,1)$: a strict saddle. The only starting points that converge to it form the line $x_1=0$.",
            ),
            MonteCarlo(
                "two negative directions, d = 5, Gaussian x_0: P(|x_T - 0| <= 1e-3) <= 0.005",
                _converges_to(S5, np.zeros(5), _gaussian(5)),
                rel="<=",
                bound=0.005,
                samples=2000,
                statement=r"\mathbb P\big(\|x_T-0\|\le10^{-3}\big)\le0.005,\quad f=\sum_{i\le2}(1+\cos x_i)+\tfrac12\sum_{i>2}x_i^2,\ x_0\sim\mathcal N(0,I_5)",
            ),
            MonteCarlo(
                "the other alternative: a local minimum (2nd-order stationary) attracts with positive probability",
                _converges_to(S2, _MIN2, _uniform_box(2, 4.0)),
                rel=">=",
                bound=0.2,
                samples=2000,
                statement=r"\mathbb P\big(\|x_T-(\pi,0)\|\le10^{-3}\big)\ge0.2,\quad x_0\sim\mathrm{Unif}[-4,4]^2",
                note="The dichotomy: at the minimum $(\\pi,0)$ the probability is positive, so the first alternative is the one that holds.",
            ),
            MonteCarlo(
                "hypothesis needed: P_init concentrated on the stable set (not absolutely continuous) converges to the saddle",
                _converges_to(S2, np.zeros(2), _on_stable_set),
                rel=">=",
                bound=0.99,
                samples=2000,
                statement=r"\mathbb P\big(\|x_T-0\|\le10^{-3}\big)\ge0.99,\quad x_0\sim\mathrm{Unif}(\{0\}\times[-2,2])",
                note="Dropping absolute continuity: uniform on the segment $\\{x_1=0\\}$, a Lebesgue-null set, every path converges to the strict saddle.",
            ),
            Illustration(
                "where random starts end, and how slowly starts near the stable set escape",
                _where_they_end,
                shows="Every random start ends at a minimum ((2j+1) pi, 0); none at a saddle (2j pi, 0). Starts at distance delta from the stable line take about log(1/delta)/log(1 + alpha) steps to leave: close to the null set, escape is slow but happens.",
                does_not_show="The probability-zero statement itself (see the Monte Carlo checks) or any rate.",
            ),
            both_alternatives,
            both_alternatives_smooth,
            both_alternatives_mc,
        ],
        status=Status.VERIFIED,
        reading=(
            r"$\mathbb P(\lim x_t=x^*)$ is estimated through the event $\|x_T-x^*\|\le10^{-3}$ at $T=300$ (float64 GD, step $\alpha=1/2<1/L$): "
            r"$\mathbf 1\{\lim x_t=x^*\}\le\liminf_T\mathbf 1\{\|x_T-x^*\|\le r\}$, so the estimated probabilities bound $\mathbb P(\lim x_t=x^*)$ in the "
            r"limit $T\to\infty$ (Fatou), not at a fixed $T$. Monte Carlo cannot show a probability is 0: the checks bound it by 0.005 at confidence 0.999. "
            r"The test functions are $\mathcal C^{2,1}_1$ and $\ge0$, as the slide assumes. "
            r"'Only one of two holds' is read as 'at least one of the two holds' (Lee et al.: either $x^*$ is 2nd-order stationary or $\mathbb P(\lim x_t=x^*)=0$), "
            r"the reading under which the slide's 'Equivalently' is an equivalence. Read exclusively ('exactly one') it is false: at the critical point $0$ of "
            r"$f=2-\sin^4x\in\mathcal C^{2,1}_4$, $f\ge1$, both hold (the three 'reading' checks)."
        ),
    )
)
