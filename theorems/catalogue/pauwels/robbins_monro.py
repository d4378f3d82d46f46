"""pauwels.robbins-monro: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 5 "Approaching critical point with noise", slides "Stochastic gradient", "The ODE method".

theta_{k+1} = theta_k - alpha_k grad l_{i_k}(theta_k), i_k iid uniform, is theta_k - alpha_k (grad F(theta_k) + M_{k+1})
with E[M_{k+1} | past] = 0; Robbins-Monro steps: sum alpha_k = +oo, sum alpha_k^2 < +oo.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symbolic import Definition, Identity, Judgement, MonteCarlo, Verdict
from theorems.registry import Entry, Status, register

k = sp.Symbol("k", integer=True, positive=True)
R = sp.Rational


def robbins_monro(alpha: sp.Expr) -> Judgement:
    """sum_k alpha_k = +inf and sum_k alpha_k^2 < +inf (k >= 1), decided by sympy's convergence tests."""
    s1 = sp.Sum(alpha, (k, 1, sp.oo)).is_convergent()
    s2 = sp.Sum(alpha**2, (k, 1, sp.oo)).is_convergent()
    if s1 not in (True, False) or s2 not in (True, False):
        return Judgement(None, Verdict.UNDECIDED, f"sympy could not decide: {s1}, {s2}")
    return Judgement(bool(not s1 and s2), Verdict.PROVED, f"sum alpha {'<' if s1 else '='} oo, sum alpha^2 {'<' if s2 else '='} oo")


STEPS = [
    ("1/k", 1 / k, True),
    ("1/(k+1)", 1 / (k + 1), True),
    ("k^(-3/4)", k ** R(-3, 4), True),
    ("2/(k+10)", 2 / (k + 10), True),
    ("1/(k log(k+1))", 1 / (k * sp.log(k + 1)), True),
    ("1/(sqrt(k) log(k+1)) (Bertrand: sum alpha^2 < oo)", 1 / (sp.sqrt(k) * sp.log(k + 1)), True),
    ("non-example k^(-1/2): sum alpha^2 = oo", k ** R(-1, 2), False),
    ("non-example 1/k^2: sum alpha < oo", 1 / k**2, False),
    ("non-example constant 1/10", R(1, 10), False),
    ("non-example 2^(-k)", 2 ** (-k), False),
]
rm_definition = Definition(
    "Robbins-Monro step sizes: sum alpha_k = +inf and sum alpha_k^2 < +inf",
    robbins_monro,
    [(lab, a, exp) for lab, a, exp in STEPS],
    statement=r"\sum_{k}\alpha_k=+\infty,\quad\sum_k\alpha_k^2<+\infty",
    note="Expected answers by the $p$-series, Bertrand and geometric series tests (by hand); the predicate asks sympy's convergence tests.",
)


def p_series(p: sp.Rational) -> Judgement:
    return robbins_monro(k ** (-p))


rm_p_series = Definition(
    "alpha_k = k^(-p) satisfies Robbins-Monro exactly for the listed p in (1/2, 1] (8 values of p decided)",
    p_series,
    [(f"p = {p}", p, bool(R(1, 2) < p <= 1)) for p in (R(1, 4), R(1, 2), R(51, 100), R(3, 5), R(3, 4), R(1), R(101, 100), R(2))],
    statement=r"\alpha_k=k^{-p}:\ \sum\alpha_k=\infty\iff p\le1,\ \ \sum\alpha_k^2<\infty\iff p>\tfrac12",
)

_n = 3
_a = sp.symbols("a1:4", real=True)
_b = sp.symbols("b1:4", real=True)
_th = sp.Symbol("theta", real=True)
_losses = [(_a[i] * _th - _b[i]) ** 2 / 2 for i in range(_n)]  # l_i = (a_i theta - b_i)^2 / 2
_F_mean = sum(_losses) / _n
# grad l_i and grad F are differentiated in the check (unevaluated Derivative): grad F is the
# derivative of F = (1/n) sum l_i, not defined as the mean of the grad l_i (issue 10)
martingale_identity = Identity(
    "uniform sampling: E[M_{k+1} | past] = (1/n) sum_i (grad l_i - grad F) = 0",
    sum(sp.Derivative(l, _th) - sp.Derivative(_F_mean, _th) for l in _losses) / _n,
    sp.Integer(0),
    scope="n = 3, l_i = (a_i theta - b_i)^2/2",
    title_latex=r"uniform sampling: $\mathbb{E}[M_{k+1}\mid\text{past}] = \frac1n\sum_i (\nabla l_i - \nabla F) = 0$",
    statement=r"\mathbb{E}[M_{k+1}\mid\theta_k]=\frac1n\sum_{i=1}^n\big(\nabla l_i(\theta_k)-\nabla F(\theta_k)\big)=0",
    note="$M_{k+1}=\\nabla l_{i_k}(\\theta_k)-\\nabla F(\\theta_k)$ with $i_k$ uniform, independent of the past; shown for $l_i(\\theta)=(a_i\\theta-b_i)^2/2$, $n=3$, symbolic data.",
)

_B = np.array([-1.0, 0.5, 2.0])
UNIFORM = (1 / 3, 1 / 3, 1 / 3)
MDS_SAMPLES = 200000
MDS_TOLERANCE = 0.02


def _F_losses(theta: np.ndarray) -> np.ndarray:
    """F(theta) = (1/3) sum_i log cosh(theta - b_i), computed from the losses (not from their gradients)."""
    u = theta[:, None] - _B[None, :]
    return (np.abs(u) + np.log1p(np.exp(-2 * np.abs(u))) - np.log(2)).mean(axis=1)


def _gradF_numeric(theta: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """grad F by a central difference of F (error about h^2 = 1e-10): independent of the formula of grad l_i."""
    return (_F_losses(theta + h) - _F_losses(theta - h)) / (2 * h)


def mds_simulator(weights: tuple[float, float, float] = UNIFORM) -> Any:
    """Samples of M_{k+1} = grad l_{i_k}(theta_k) - grad F(theta_k) at k = 50 along SGD on l_i = log cosh(theta - b_i),
    the indices drawn with probabilities ``weights`` (the statement: uniform); grad l_i = tanh(theta - b_i) and grad F by a
    central difference of F. Values in [-2, 2] (up to the difference quotient's 1e-9)."""
    p = np.asarray(weights, dtype=float)

    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        theta = rng.standard_normal(n)
        for j in range(50):
            i = rng.choice(3, size=n, p=p)
            theta = theta - (j + 1) ** -0.75 * np.tanh(theta - _B[i])
        i = rng.choice(3, size=n, p=p)
        return np.clip(np.tanh(theta - _B[i]) - _gradF_numeric(theta), -2.0, 2.0)

    return simulate


def mds_checks(weights: tuple[float, float, float] = UNIFORM) -> list[MonteCarlo]:
    """E[M_{k+1}] <= 0.02 and >= -0.02 (two one-sided Hoeffding tests, n = 200000, half-width 0.0166).

    They detect a sampling probability off by 0.05 (E[M] about 0.045 then): property_tests/test_check_power.py."""
    note = (
        "$M_{k+1}=\\nabla l_{i_k}(\\theta_k)-\\nabla F(\\theta_k)$ with $\\nabla l_i=\\tanh(\\theta-b_i)$ and $\\nabla F$ by a central difference of "
        "$F=\\frac13\\sum_i\\log\\cosh(\\theta-b_i)$, so the zero mean is not built in: it holds because the sampling is uniform and "
        "differentiation is linear. Hoeffding, $n=200000$, half-width $0.0166$: a probability of one index off by $0.05$ gives "
        "$\\mathbb{E}[M]\\approx0.045$ and is detected (the power tests of the suite)."
    )
    common: dict[str, Any] = dict(samples=MDS_SAMPLES, quantity="mean", low=-2.0, high=2.0, note=note)
    return [
        MonteCarlo(
            "martingale difference: E[M_{k+1}] <= 0.02 (grad F from F, indices sampled uniformly)",
            mds_simulator(weights), rel="<=", bound=MDS_TOLERANCE, statement=r"\mathbb{E}[M_{k+1}]\le0.02", **common,
        ),
        MonteCarlo(
            "martingale difference: E[M_{k+1}] >= -0.02",
            mds_simulator(weights), rel=">=", bound=-MDS_TOLERANCE, statement=r"\mathbb{E}[M_{k+1}]\ge-0.02", **common,
        ),
    ]


mds_upper, mds_lower = mds_checks()

register(
    Entry(
        id="pauwels.robbins-monro",
        title="Stochastic gradient as stochastic approximation: Robbins-Monro steps, martingale-difference noise",
        where="Stochastic gradient; The ODE method",
        statement=(
            r"$\theta_{k+1}|\theta_k=\theta_k-\alpha_k\nabla l_{i_k}(\theta_k)$, $(i_k)$ iid uniform on $\{1,\dots,n\}$; equivalently "
            r"$\theta_{k+1}=\theta_k-\alpha_k(\nabla F(\theta_k)+M_{k+1})$ with $\mathbb{E}[M_{k+1}|\text{past}]=0$. "
            r"Averaging out noise: vanishing step size, $\sum_k\alpha_k=+\infty$, $\sum_k\alpha_k^2<+\infty$."
        ),
        checks=[rm_definition, rm_p_series, martingale_identity, mds_upper, mds_lower],
        status=Status.VERIFIED,
        reading="Sums start at $k=1$ for closed forms with a pole at $0$ (a finite number of terms does not change convergence).",
    )
)
