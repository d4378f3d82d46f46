"""golikov.strict-saddle-question: slide "Question".

"Suppose GD is guaranteed to converge to a 1st-order stationary point: for all x_0 there is x*
with lim x_t = x*, grad f(x*) = 0. Let all saddles of f be strict, and there are no maxima
(strict saddle property). Does the theorem guarantee that GD converges to a local minimum?"

The slide asks; it does not answer. The answer read here: yes, almost surely, when the
critical points are countable (e.g. isolated): each strict saddle attracts a null set of
starting points (Lee et al.), a countable union of null sets is null, and the remaining
limits are critical points that are neither strict saddles nor maxima, i.e. local minima.
The checks illustrate it; they do not prove it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from symbolic import CheckSettings, Illustration, MonteCarlo
from symbolic.algorithms import gradient_descent
from theorems.catalogue.golikov._common import CosSaddle
from theorems.registry import Entry, Status, register

MODEL = CosSaddle(2, 1)  # critical points (k pi, 0): saddles for even k, minima for odd k; no maxima


def _limit_is_minimum(rng: np.random.Generator, n: int) -> np.ndarray:
    """GD (alpha = 1/2) from x_0 ~ Unif[-10, 10]^2 for 400 steps: is x_T within 1e-6 of a minimum ((2j+1) pi, 0)?"""
    run = gradient_descent(MODEL.grad, rng.uniform(-10, 10, (n, 2)), 0.5, 400)
    k = np.round(run.x[:, 0] / np.pi)
    near = np.hypot(run.x[:, 0] - k * np.pi, run.x[:, 1]) <= 1e-6
    return near & (k % 2 == 1)


def _degenerate(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    """f(y) = y^3/3 + y^4/4 (f' = y^2 (1 + y)): 0 is a critical point that is neither a strict saddle nor a minimum."""
    rng = np.random.default_rng(settings.seed)
    n = max(200, int(1000 * settings.mc_scale))
    y0 = rng.uniform(-0.5, 0.5, (n, 1))

    def grad(Y: np.ndarray) -> np.ndarray:
        return Y**2 * (1 + Y)

    run = gradient_descent(grad, y0, 0.1, 20000)
    y, start = run.x[:, 0], y0[:, 0]
    pos, neg = start > 0, start < -0.01
    to_zero = pos & (y > 0) & (y <= 0.01)  # monotone towards 0 from the right, within 0.01 of it
    to_min = neg & (np.abs(y + 1) < 1e-6)
    slow = ~pos & ~neg  # -0.01 <= y_0 <= 0: leaves 0 to the left, but in ~1/(alpha |y_0|) steps
    frac = float(to_zero.mean())
    shown = bool(to_zero[pos].all() and to_min[neg].all() and 0.3 < frac < 0.7)
    details = (
        f"{n} starts uniform on [-1/2, 1/2], alpha = 1/10, 20000 steps: every start y_0 > 0 ({int(pos.sum())}) ends in (0, 0.01] on its way to the "
        f"degenerate critical point 0, every y_0 < -0.01 ({int(neg.sum())}) at the minimum -1; {int(slow.sum())} starts in [-0.01, 0] are still leaving 0 to the left"
    )
    return shown, details, {"fraction_at_0": frac, "slow": int(slow.sum())}


register(
    Entry(
        id="golikov.strict-saddle-question",
        title="Question: do convergence and the strict saddle property give convergence to a local minimum?",
        where="Local optimization: general case (Question)",
        statement=(
            r"Suppose GD is guaranteed to converge to a 1st-order stationary point: $\forall x_0\ \exists x^*:\ \lim x_t=x^*$, "
            r"$\nabla f(x^*)=0$. Let all saddles of $f$ be strict, and there are no maxima (strict saddle property). Does the theorem "
            r"guarantee that GD converges to a local minimum?"
        ),
        checks=[
            MonteCarlo(
                "on a strict-saddle function random starts end at local minima",
                _limit_is_minimum,
                rel=">=",
                bound=0.995,
                samples=2000,
                statement=r"\mathbb P\big(x_T\text{ within }10^{-6}\text{ of a local minimum}\big)\ge0.995,\quad f=1+\cos x_1+\tfrac12x_2^2",
                note="Critical points $(k\\pi,0)$: strict saddles for even $k$, minima for odd $k$, no maxima; $x_0\\sim\\mathrm{Unif}[-10,10]^2$ meets several saddles' basins of attraction boundaries.",
            ),
            Illustration(
                "without strictness the answer is no: a degenerate critical point attracts half of the starts",
                _degenerate,
                shows="For f = y^3/3 + y^4/4 (critical points 0, degenerate with f''(0) = 0, and the minimum -1), every start y_0 > 0 converges to 0, which is not a local minimum: the strictness of the saddles is what the answer rests on.",
                does_not_show="The 'yes' answer itself: that needs Lee et al.'s theorem and countably many critical points (a countable union of null stable sets); Monte Carlo on one function only illustrates it.",
            ),
        ],
        status=Status.ILLUSTRATED,
        reading=(
            "The slide asks a question. The answer encoded: yes almost surely (for $P_{init}\\ll\\mu$), provided the critical points are countable "
            "(e.g. isolated), since the theorem is stated one critical point at a time; without strictness, no. Both parts are illustrated, not proved."
        ),
    )
)
