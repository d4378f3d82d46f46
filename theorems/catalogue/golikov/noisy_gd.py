"""golikov.noisy-gd: slide "Noisy gradient descent (NoisyGD)", Theorem (Ge et al., 2015).

"x_{t+1} = x_t - alpha (grad f(x_t) + xi_t), xi_t ~ Unif(S^{d-1}(1)). Suppose f in C^{2,1}_L cap
C^{2,2}_rho, |f(x)| <= B. Then for all eps, delta > 0 there is alpha_max(eps, delta): for all
alpha < alpha_max NoisyGD achieves an eps-2nd-order stationary point in T_eps = O(poly(d/eps))
iterations w.p. 1 - delta. Remark: what is necessary is sufficient variance in every direction."

The update is the engine's :func:`symbolic.algorithms.noisy_gd`. Its noise law is checked
(unit norm, mean 0, covariance I/d), and escape from a strict saddle is measured against plain
GD started near the stable manifold. The poly(d/eps) bound itself is not checked: illustrated.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from symbolic import CheckSettings, Illustration, MonteCarlo
from symbolic.algorithms import exit_times, gradient_descent, noisy_gd, unit_sphere
from theorems.catalogue.golikov._common import CosSaddle, mean_ci
from theorems.registry import Entry, Status, register

Sampler = Callable[[np.random.Generator, int, int], np.ndarray]
D_LAW = 5


def norm_check(sampler: Sampler = unit_sphere, name: str = "xi_t lies on the unit sphere: P(| |xi| - 1 | <= 1e-12) >= 0.999") -> MonteCarlo:
    return MonteCarlo(
        name,
        lambda rng, n: np.abs(np.linalg.norm(sampler(rng, n, D_LAW), axis=1) - 1) <= 1e-12,
        rel=">=",
        bound=0.999,
        samples=20000,
        statement=r"\mathbb P\big(\,\big|\|\xi_t\|_2-1\big|\le10^{-12}\big)\ge0.999,\quad d=5",
        note="Every draw of the engine's sampler is a unit vector up to float64 rounding; a sampler without the normalisation (a Gaussian) fails this check.",
    )


def isotropy_check(sampler: Sampler = unit_sphere, side: str = "<=") -> MonteCarlo:
    """E (u . xi)^2 = 1/d for a fixed unit u (the law is isotropic on the unit sphere), one side at a time."""
    u = np.ones(D_LAW) / math.sqrt(D_LAW)
    tol = 0.02
    bound = 1 / D_LAW + tol if side == "<=" else 1 / D_LAW - tol
    return MonteCarlo(
        f"E (u.xi)^2 {side} 1/d {'+' if side == '<=' else '-'} {tol} (isotropy, d = {D_LAW})",
        lambda rng, n: np.clip((sampler(rng, n, D_LAW) @ u) ** 2, 0, 1),
        rel=side,
        bound=bound,
        samples=20000,
        quantity="mean",
        statement=r"\mathbb E(u^\top\xi)^2" + (r"\le\tfrac1d+" if side == "<=" else r"\ge\tfrac1d-") + str(tol),
        note="Hoeffding on $(u^\\top\\xi)^2\\in[0,1]$; the exact value for the uniform law on $S^{d-1}$ is $1/d$ (variance $1/d$ in every direction, the Remark's condition).",
    )


MODEL = CosSaddle(10, 1)
ALPHA, R_ESC = 0.1, 0.5


def escape_times(settings: CheckSettings) -> dict[str, Any]:
    """Exit times from B(0, 1/2): NoisyGD from the saddle itself vs GD from delta e_1 (distance delta to the stable manifold x_1 = 0)."""
    n = max(50, int(400 * settings.mc_scale))
    run = noisy_gd(MODEL.grad, np.zeros((n, MODEL.d)), ALPHA, 2000, settings.seed, stop=lambda X: np.linalg.norm(X, axis=1) > R_ESC, until_all=True)
    noisy = exit_times(run.hit, run.steps)
    out: dict[str, Any] = {"n": n, "noisy": mean_ci(noisy), "noisy_median": float(np.median(noisy))}
    for delta in (1e-4, 1e-8, 1e-12):
        x0 = np.zeros((1, MODEL.d))
        x0[0, 0] = delta
        x0[0, 1:] = 0.3 / math.sqrt(MODEL.d - 1)
        gd = gradient_descent(MODEL.grad, x0, ALPHA, 5000, stop=lambda X: np.linalg.norm(X, axis=1) > R_ESC, until_all=True)
        out[f"gd_delta_{delta:g}"] = int(gd.hit[0])
    x0 = np.zeros((1, MODEL.d))
    x0[0, 1:] = 0.3 / math.sqrt(MODEL.d - 1)
    on = gradient_descent(MODEL.grad, x0, ALPHA, 5000, stop=lambda X: np.linalg.norm(X, axis=1) > R_ESC)
    out["gd_on_manifold_exits"] = bool(on.hit[0] >= 0)
    return out


def _illustrate(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    e = escape_times(settings)
    m, lo, hi = e["noisy"]
    shown = math.isfinite(hi) and hi < e["gd_delta_1e-08"] and not e["gd_on_manifold_exits"]
    details = (
        f"f = 1 + cos x_1 + |x_2..x_10|^2/2, alpha = {ALPHA}, exit from B(0, {R_ESC}): NoisyGD from the saddle, {e['n']} seeds: mean {m:.1f} steps "
        f"(95% CI [{lo:.1f}, {hi:.1f}], median {e['noisy_median']:.0f}); GD from distance delta to the stable manifold: "
        f"delta = 1e-4: {e['gd_delta_0.0001']}, 1e-8: {e['gd_delta_1e-08']}, 1e-12: {e['gd_delta_1e-12']} steps; GD on the manifold: "
        f"{'exits' if e['gd_on_manifold_exits'] else 'never exits (converges to the saddle)'}"
    )
    return shown, details, {k: v if not isinstance(v, tuple) else list(v) for k, v in e.items()}


def _mc_escape(rng: np.random.Generator, n: int) -> np.ndarray:
    seed = int(rng.integers(0, 2**63 - 1))
    run = noisy_gd(MODEL.grad, np.zeros((n, MODEL.d)), ALPHA, 300, seed, stop=lambda X: np.linalg.norm(X, axis=1) > R_ESC, until_all=True)
    return run.hit >= 0


register(
    Entry(
        id="golikov.noisy-gd",
        title="NoisyGD with noise uniform on the unit sphere (Ge et al., 2015): the update and escape from saddles",
        where="Local optimization: general case, Noisy gradient descent (NoisyGD), Theorem (Ge et al., 2015)",
        statement=(
            r"NoisyGD: $x_{t+1}=x_t-\alpha(\nabla f(x_t)+\xi_t)$, $\xi_t\sim\mathrm{Unif}(\mathcal S^{d-1}(1))$. Theorem (Ge et al., 2015): "
            r"Suppose $f\in\mathcal C^{2,1}_L\cap\mathcal C^{2,2}_\rho$, $|f(x)|\le B\ \forall x$. Then $\forall\epsilon>0,\delta>0\ \exists\alpha_{\max}(\epsilon,\delta)$: "
            r"$\forall\alpha<\alpha_{\max}$ NoisyGD achieves an $\epsilon$-2nd-order stationary point in $T_\epsilon=O(\mathrm{poly}(d/\epsilon))$ iterations "
            r"w.p. $1-\delta$. Remark: what is necessary is sufficient variance in every direction."
        ),
        checks=[
            norm_check(),
            isotropy_check(side="<="),
            isotropy_check(side=">="),
            MonteCarlo(
                "NoisyGD started at the strict saddle leaves B(0, 1/2) within 300 steps",
                _mc_escape,
                rel=">=",
                bound=0.99,
                samples=1000,
                statement=r"\mathbb P\big(\exists t\le300:\|x_t\|>\tfrac12\big)\ge0.99,\quad x_0=0,\ \alpha=0.1,\ d=10",
                note="$f=1+\\cos x_1+\\frac12\\sum_{i\\ge2}x_i^2$ ($L=\\rho=1$); plain GD from $x_0=0$ never moves.",
            ),
            Illustration(
                "escape times: NoisyGD from the saddle vs GD started near the stable manifold",
                _illustrate,
                shows="NoisyGD leaves the saddle's neighbourhood in a few tens of steps from the saddle itself, while GD needs log(1/delta)/log(1 + alpha) steps from distance delta to the stable manifold and never leaves from on it.",
                does_not_show="The theorem's poly(d/eps) bound, the existence of alpha_max, or the probability 1 - delta: one function, one step size.",
            ),
        ],
        status=Status.ILLUSTRATED,
        reading=(
            "The noise law is checked on the engine's sampler (normalised Gaussians). The theorem is quantitative but its constants (the polynomial, "
            "$\\alpha_{\\max}$) are not given, so it is illustrated: escape from a strict saddle, measured in exit times from $B(x^*,1/2)$."
        ),
    )
)
