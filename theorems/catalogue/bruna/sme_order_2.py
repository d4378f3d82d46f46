"""STOCHASTIC MODIFIED EQUATIONS (3rd slide), Theorem [Li, Tai, E, '17], second equation.

dX_t = -grad(g(X_t) + gamma/4 |grad g(X_t)|^2) dt + (gamma Sigma(X_t))^{1/2} dW_t is an order 2
weak approximation of SGD: proved on the quadratic finite sum FS of :mod:`._simulation` for the
test functions x and x^2 (exact moments), and measured.
"""

from __future__ import annotations

import sympy as sp

from symbolic import Expect, Identity, OrderBySeries, SchemeOrder
from theorems.registry import Entry, Status, register

from ._simulation import (
    A_NC,
    AB,
    ABAR,
    B_NC,
    THETA0_NC,
    gamma,
    sme_errors,
    sme_errors_for,
    sme_exact_errors,
    t,
)

_th = sp.Symbol("theta", real=True)
_g = ABAR / 2 * _th**2 - AB * _th  # g up to a constant, for FS
_INSTANCE = {t: 1}

register(
    Entry(
        id="bruna.sme-order-2",
        title="Li-Tai-E: the drift -grad(g + gamma/4 |grad g|^2) gives an order-2 weak approximation of SGD",
        where="STOCHASTIC MODIFIED EQUATIONS (3rd slide)",
        statement=(
            r"$dX_t=-\nabla\big(g(X_t)+\frac{\gamma}{4}\|\nabla g(X_t)\|^2\big)dt+(\gamma\Sigma(X_t))^{1/2}dW_t$ is an order 2 weak approximation of the SGD."
        ),
        hypotheses=[r"as in bruna.sme-order-1"],
        checks=[
            Identity(
                "the modified drift on FS is -(1 + gamma abar/2) g'",
                -sp.diff(_g + gamma / 4 * sp.diff(_g, _th) ** 2, _th),
                -(1 + gamma * ABAR / 2) * (ABAR * _th - AB),
                statement=r"-\big(g+\tfrac\gamma4|g'|^2\big)'=-(1+\tfrac{\gamma}{2}g'')g' = -(1+\gamma\bar a/2)(\bar a\theta-\overline{ab})",
                scope="the finite sum FS",
                note="The drift used by the moment computation, derived from the slide's formula.",
            ),
            OrderBySeries(
                "weak order 2 for phi = x, x^2 (exact moments, series in gamma)", lambda: sme_errors(2), gamma, claimed=2, instance=_INSTANCE,
                statement=r"E\varphi(\theta_k)-E\varphi(X_{k\gamma})=O(\gamma^2),\quad \varphi(x)=x,\,x^2,\ t=k\gamma",
                scope="the finite sum FS (d = 1, n = 3), test functions x and x^2",
                note="As in bruna.sme-order-1, with the modified drift; the gamma^0 and gamma^1 terms of both errors vanish identically in t.",
            ),
            OrderBySeries(
                "no convexity needed: weak order 2 on a non-convex finite sum (g'' = -1)", lambda: sme_errors_for(A_NC, B_NC, THETA0_NC, 2), gamma, claimed=2, instance=_INSTANCE,
                statement=r"a=(-1,2,-4),\ b=(1,0,-1),\ \theta_0=\tfrac12:\ E\varphi(\theta_k)-E\varphi(X_{k\gamma})=O(\gamma^2),\ \varphi(x)=x,\,x^2",
                scope="one non-convex (concave) quadratic finite sum, test functions x and x^2",
                note="The slide: 'No convexity assumptions on g'. Here g'' = mean(a) = -1 < 0 and two of the g_i are concave; the expansion is the same computation.",
            ),
            OrderBySeries(
                "not weak order 3", lambda: sme_errors(2), gamma, claimed=3, instance=_INSTANCE, expect=Expect.REFUTED, role="necessity",
                statement=r"E\varphi(\theta_k)-E\varphi(X_{k\gamma})=O(\gamma^3)", scope="the finite sum FS",
                note="The gamma^2 coefficient for phi(x) = x is -52 t e^{-2t}/9: order exactly 2, so the test can tell order 2 from order 3.",
            ),
            SchemeOrder(
                "measured from the exact moments: gamma = 1/10 ... 1/80, order 2", sme_exact_errors(2, (0.1, 0.05, 0.025, 0.0125)), claimed=2, tolerance=0.25,
                statement=r"|E\theta_k-EX_{k\gamma}|\approx C\gamma^\alpha,\ \alpha\ge 2-\tfrac14,\ k\gamma=1", scope="the finite sum FS, phi(x) = x, T = 1",
                note="No Monte Carlo error here (exact moments); the interval is the fit's misfit only. A simulation of SGD would need ~10^7 runs to resolve the gamma^2 bias at gamma = 1/40.",
            ),
        ],
        status=Status.VERIFIED,
        reading=(
            r"As in bruna.sme-order-1: step $\delta=\gamma$, $\theta_k\leftrightarrow X_{k\gamma}$, test functions of degree $\le2$ on the finite sum FS "
            r"($g_i=\frac{a_i}{2}(\theta-b_i)^2$, $a=(1,2,3)$, $b=(1,-1,2)$, $\theta_0=3$). The diffusion coefficient is the same $(\gamma\Sigma)^{1/2}$ as in the first equation."
        ),
    )
)
