"""pauwels.kl-convergence: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "Convergence under KL assumption", Theorem (Absil, Mahony, Andrews 2005).

F bounded below, C^1 with L-Lipschitz gradient, KL, compact sublevel set of x_0, alpha = 1/L: x_k -> x-bar with
grad F(x-bar) = 0 and finite length sum ||x_{k+1} - x_k||. Illustrated.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symbolic import CheckSettings, Illustration, Implication, coordinates
from theorems.registry import Entry, Status, register

_q1, _q2 = coordinates(2)
AMA_F = (_q1**2 + _q2**2) / 2 + 2 * sp.cos(_q1)  # analytic (so KL), coercive, L = 1 + 2 = 3
AMA_L = 3.0


def _ama_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, object]]:
    rng = np.random.default_rng(settings.seed)
    n = max(16, int(16 * settings.mc_scale))
    X = rng.uniform(-4, 4, size=(n, 2))
    X[0] = (0.0, 3.0)  # on the stable manifold of the saddle (0, 0)
    K = 3000
    Fv = lambda Z: 0.5 * (Z**2).sum(1) + 2 * np.cos(Z[:, 0])  # noqa: E731
    grad = lambda Z: np.stack([Z[:, 0] - 2 * np.sin(Z[:, 0]), Z[:, 1]], 1)  # noqa: E731
    length = np.zeros(n)
    half_length = None
    F_prev = Fv(X)
    monotone = True
    for k in range(K):
        Xn = X - grad(X) / AMA_L
        length += np.linalg.norm(Xn - X, axis=1)
        F_new = Fv(Xn)
        monotone &= bool(np.all(F_new <= F_prev + 1e-12))
        F_prev, X = F_new, Xn
        if k == K // 2:
            half_length = length.copy()
    assert half_length is not None
    gnorm = np.linalg.norm(grad(X), axis=1)
    tail = length - half_length
    ok = monotone and bool(np.all(gnorm < 1e-9)) and bool(np.all(tail < 1e-9))
    limits = sorted({(round(float(a), 6), round(float(b), 6)) for a, b in X})
    return ok, (
        f"{n} runs of {K} steps, alpha = 1/L = 1/3: F decreasing = {monotone}; max ||grad F(x_K)|| = {gnorm.max():.2e}; "
        f"path lengths in [{length.min():.4f}, {length.max():.4f}], length added in the second half <= {tail.max():.2e}; limits {limits}"
    ), {"lengths": length.tolist(), "limits": limits}


ama_illustration = Illustration(
    "GD on the analytic (hence KL) function |x|^2/2 + 2 cos x1: convergence with finite length",
    _ama_experiment,
    statement=r"F(x)=\tfrac12\|x\|^2+2\cos x_1,\ L=3,\ \alpha=1/L:\ x_k\to\bar x,\ \nabla F(\bar x)=0,\ \sum_k\|x_{k+1}-x_k\|<\infty",
    shows="on a nonconvex analytic function with compact sublevel sets, every sampled GD run (including one started on the saddle's stable manifold) has a path length that stops growing and ends at a critical point ($\\pm1.895\\ldots$, 0) or the saddle",
    does_not_show="the theorem itself (a finite run cannot show $k\\to\\infty$ convergence), nor its generality; float64 arithmetic",
)
_z = sp.Symbol("z", real=True)
ama_L = Implication(
    "|F''| bound: the Hessian of |x|^2/2 + 2cos x1 is diag(1 - 2cos x1, 1), so L = 3",
    hypotheses=[_z >= -1, _z <= 1],
    conclusion=sp.And(1 - 2 * _z <= 3, 1 - 2 * _z >= -3),
    statement=r"\nabla^2F=\operatorname{diag}(1-2\cos x_1,\,1),\ |1-2\cos x_1|\le3",
)

register(
    Entry(
        id="pauwels.kl-convergence",
        title="Convergence of GD under the KL assumption (Absil, Mahony, Andrews 2005)",
        where="Convergence under KL assumption: Theorem (Absil, Mahony, Andrews 2005 [AMA2005])",
        statement=(
            r"Let $F:\mathbb{R}^p\mapsto\mathbb{R}$ be bounded below, $C^1$ with $L$-Lipschitz gradient and satisfy KL property. Assume that $x_0\in\mathbb{R}^p$ "
            r"is such that $\{x\in\mathbb{R}^p,F(x)\le F(x_0)\}$ is compact and for all $k\in\mathbb{N}$ $x_{k+1}=x_k-\alpha\nabla F(x_k)$, with $\alpha=1/L$. "
            r"Then $x_k\to\bar x$ where $\nabla F(\bar x)=0$ and $\sum_{k\in\mathbb{N}}\|x_{k+1}-x_k\|$ is finite."
        ),
        hypotheses=[r"$F$ bounded below, $C^1$, $L$-Lipschitz gradient, KL", r"compact sublevel set of $x_0$", r"$\alpha=1/L$"],
        checks=[ama_L, ama_illustration],
        status=Status.ILLUSTRATED,
        reading="Its proof is encoded line by line in pauwels.sufficient-decrease and pauwels.kl-trap; this entry only illustrates the conclusion on one analytic function.",
    )
)
