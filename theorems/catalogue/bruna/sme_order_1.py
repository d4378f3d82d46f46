"""STOCHASTIC MODIFIED EQUATIONS (3rd slide), Theorem [Li, Tai, E, '17], first equation.

dX_t = -grad g(X_t) dt + (gamma Sigma(X_t))^{1/2} dW_t is an order 1 weak approximation of SGD.
Checked on the quadratic finite sum FS of :mod:`._simulation`, where the moments of degree <= 2
are exact: the weak error is expanded in gamma (proved order 1, refuted order 2), then measured.
"""

from __future__ import annotations

from symbolic import Expect, OrderBySeries, SchemeOrder
from theorems.registry import Entry, Status, register

from ._simulation import A_NC, B_NC, THETA0_NC, gamma, sme_errors, sme_errors_for, sme_mc_errors, t

_INSTANCE = {t: 1}
_FS = r"$g_i(\theta)=\frac{a_i}{2}(\theta-b_i)^2$, $a=(1,2,3)$, $b=(1,-1,2)$, $\theta_0=3$"

register(
    Entry(
        id="bruna.sme-order-1",
        title="Li-Tai-E: dX = -grad g dt + (gamma Sigma)^{1/2} dW is an order-1 weak approximation of SGD",
        where="STOCHASTIC MODIFIED EQUATIONS (3rd slide)",
        statement=(
            r"\textbf{Theorem [Li, Tai, E, '17]:} Let $T>0$ and $\Sigma(\theta)\in\mathbb{R}^{d\times d}$ as before. Assuming $g, g_k$ are "
            r"sufficiently smooth, then $dX_t=-\nabla g(X_t)dt+(\gamma\Sigma(X_t))^{1/2}dW_t$ is an order 1 weak approximation of the SGD."
        ),
        hypotheses=[r"$g=\frac1n\sum_{i\le n}g_i$, $g, g_i$ smooth", r"SGD $\theta_{k+1}=\theta_k-\gamma\nabla g_{m_k}(\theta_k)$, $m_k$ iid uniform",
                    r"$\Sigma(\theta)=\frac1n\sum_i(\nabla g-\nabla g_i)(\nabla g-\nabla g_i)^\top$", r"$\theta_k\leftrightarrow X_{k\gamma}$, $k\gamma\le T$"],
        checks=[
            OrderBySeries(
                "weak order 1 for phi = x, x^2 (exact moments, series in gamma)", lambda: sme_errors(1), gamma, claimed=1, instance=_INSTANCE,
                statement=r"E\varphi(\theta_k)-E\varphi(X_{k\gamma})=O(\gamma),\quad \varphi(x)=x,\,x^2,\ t=k\gamma",
                scope="the finite sum FS (d = 1, n = 3), test functions x and x^2",
                note=("SGD's (1, E theta, E theta^2) follows a lower-triangular linear recursion, the SME's a linear ODE (Ito: Sigma is quadratic in x); "
                      "both are solved in closed form (sympy) with k = t/gamma, and the difference is expanded in gamma at symbolic t. "
                      "The expansion is analytic jointly in (t, gamma), so the O(gamma) is uniform on compact time intervals."),
            ),
            OrderBySeries(
                "no convexity needed: weak order 1 on a non-convex finite sum (g'' = -1)", lambda: sme_errors_for(A_NC, B_NC, THETA0_NC, 1), gamma, claimed=1, instance=_INSTANCE,
                statement=r"a=(-1,2,-4),\ b=(1,0,-1),\ \theta_0=\tfrac12:\ E\varphi(\theta_k)-E\varphi(X_{k\gamma})=O(\gamma^1),\ \varphi(x)=x,\,x^2",
                scope="one non-convex (concave) quadratic finite sum, test functions x and x^2",
                note="The slide: 'No convexity assumptions on g'. Here g'' = mean(a) = -1 < 0 and two of the g_i are concave; the expansion is the same computation.",
            ),
            OrderBySeries(
                "not weak order 2: the error in E theta_k has a nonzero gamma term", lambda: sme_errors(1), gamma, claimed=2, instance=_INSTANCE,
                expect=Expect.REFUTED, role="necessity",
                statement=r"E\varphi(\theta_k)-E\varphi(X_{k\gamma})=O(\gamma^2)",
                scope="the finite sum FS",
                note="The first SME is not more than order 1 here: the coefficient of gamma is -13 t e^{-2t}/3 for phi(x) = x (nonzero at t = 1).",
            ),
            SchemeOrder(
                "measured: SGD (Monte Carlo) against the exact SME moment, gamma = 1/5 ... 1/40, order 1", sme_mc_errors(1, (0.2, 0.1, 0.05, 0.025), 40000),
                claimed=1, tolerance=0.25, delta=1e-3,
                statement=r"|E\theta_k-EX_{k\gamma}|\approx C\gamma^\alpha,\ \alpha\ge 1-\tfrac14\ \text{at confidence } 0.999,\ k\gamma=1",
                scope="the finite sum FS, phi(x) = x, T = 1",
                note="40000 SGD runs per step size (x mc_scale); the SME moment is exact (matrix exponential of its moment ODE).",
            ),
            SchemeOrder(
                "measured: the same data exclude order 2", sme_mc_errors(1, (0.2, 0.1, 0.05, 0.025), 40000), claimed=2, below=True, delta=1e-3,
                statement=r"\alpha<2\ \text{at confidence } 0.999", scope="the finite sum FS, phi(x) = x, T = 1",
                role="necessity",
            ),
        ],
        status=Status.VERIFIED,
        reading=(
            r"'Order 1 weak approximation' is read with the slide's definition (DISCRETIZATION OF SDES) with step $\delta=\gamma$ and "
            r"$\theta_k\leftrightarrow X_{k\gamma}$: $|E\varphi(X_{k\gamma})-E\varphi(\theta_k)|\le C\gamma$ for $k\gamma\le T$. The SDE itself depends on $\gamma$. "
            r"Only test functions of degree $\le2$ on two finite sums are covered (where moments are exact), one of them non-convex; 'sufficiently smooth' holds (quadratics). "
            + _FS
        ),
    )
)
