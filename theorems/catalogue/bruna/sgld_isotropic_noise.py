"""FROM SGD TO SGLD; STOCHASTIC GRADIENT LANGEVIN DESCENT: the SGLD update and its step-size conditions.

theta_{k+1} = theta_k - gamma_k (grad g(theta_k) + eps_k) + sqrt(gamma_k) beta_k W_k, E(eps_k | past) = 0, W_k iid N(0, I),
sum_k gamma_k^2 < infinity but sum_k gamma_k = infinity: the conditions as an executable predicate on step-size sequences,
and the conditional mean and covariance of the update (the drift is the gradient step, the added noise is isotropic).
"""

from __future__ import annotations

import sympy as sp

from symbolic import Definition, Expect, Judgement, Verdict
from symbolic.exact_moments import GaussianIdentity
from theorems.registry import Entry, Status, register

_k = sp.Symbol("k", positive=True, integer=True)


def _conditions(gamma_k: sp.Expr) -> Judgement:
    """sum gamma_k^2 < infinity and sum gamma_k = infinity (k >= 2), decided by sympy's convergence tests."""
    s1 = sp.Sum(gamma_k, (_k, 2, sp.oo)).is_convergent()
    s2 = sp.Sum(gamma_k**2, (_k, 2, sp.oo)).is_convergent()
    if s1 is None or s2 is None or not isinstance(s1, bool | sp.logic.boolalg.BooleanAtom):
        return Judgement(None, Verdict.UNDECIDED, "sympy could not decide convergence")
    ok = bool(s2) and not bool(s1)
    return Judgement(ok, Verdict.CHECKED, f"sum gamma_k {'converges' if s1 else 'diverges'}, sum gamma_k^2 {'converges' if s2 else 'diverges'}")


_th, _G, _eps, _W = sp.symbols("theta G epsilon W", real=True)
_gam, _beta, _s2 = sp.symbols("gamma beta s2", positive=True)
_update = _th - _gam * (_G + _eps) + sp.sqrt(_gam) * _beta * _W
# eps_1 = c W_0: independent of theta_0 (the slide's condition E(eps_1 | theta_0) = 0 holds) but not of theta_1
_c, _W0, _G0, _th0 = sp.Symbol("c", positive=True), sp.Symbol("W_0", real=True), sp.Symbol("G_0", real=True), sp.Symbol("theta_0", real=True)
_theta1 = _th0 - _gam * _G0 + sp.sqrt(_gam) * _beta * _W0

register(
    Entry(
        id="bruna.sgld-isotropic-noise",
        title="SGLD: the update with isotropic Gaussian noise and the step-size conditions sum gamma_k^2 < inf, sum gamma_k = inf",
        where="FROM SGD TO SGLD; STOCHASTIC GRADIENT LANGEVIN DESCENT",
        statement=(
            r"A possible solution is to add isotropic Gaussian noise to the SGD updates: $\theta_{k+1}=\theta_k-\gamma_k(\nabla g(\theta_k)+\epsilon_k)+\sqrt{\gamma_k}\beta_kW_k$. "
            r"$\epsilon_k$: sampling noise, $\mathbb E(\epsilon_k|\theta_{k-1},\dots,\theta_0)=0$. $W_k$: iid $N(0,I)$ noise. Learning rate $\gamma_k$ st. $\sum_k\gamma_k^2<\infty$ but $\sum_k\gamma_k=\infty$. "
            r"By appropriately choosing annealing rate $\beta_k$, [Gelfand \& Mitter,'98] show that this algorithm converges to the continuous simulated annealing: "
            r"$dX_t=-\nabla g(X_t)dt+\eta(t)dW(t)$, $\eta(t)\to0$."
        ),
        checks=[
            Definition("step sizes: sum gamma_k^2 < infinity and sum gamma_k = infinity", _conditions, [
                ("gamma_k = 1/k", 1 / _k, True), ("gamma_k = k^(-3/4)", _k ** sp.Rational(-3, 4), True), ("gamma_k = 1/(k log k)", 1 / (_k * sp.log(_k)), True),
                ("gamma_k = k^(-1/2): sum of squares diverges", _k ** sp.Rational(-1, 2), False), ("gamma_k = 1/k^2: sum converges", 1 / _k**2, False),
                ("constant gamma_k = 1/10", sp.Rational(1, 10) + 0 * _k, False),
            ], statement=r"\sum_k\gamma_k^2<\infty\ \wedge\ \sum_k\gamma_k=\infty"),
            GaussianIdentity("conditional mean: E[theta_{k+1} | theta_k] = theta_k - gamma_k grad g(theta_k)", _update, {_eps: _s2, _W: sp.Integer(1)}, _th - _gam * _G,
                             statement=r"E[\theta_{k+1}|\theta_k]=\theta_k-\gamma_k\nabla g(\theta_k)",
                             scope="d = 1; only E eps = 0 and E W = 0 enter (eps is given a Gaussian law with the same two moments)"),
            GaussianIdentity("conditional variance: gamma_k^2 Var(eps_k) + gamma_k beta_k^2 (isotropic part gamma beta^2 I)", (_update - (_th - _gam * _G)) ** 2, {_eps: _s2, _W: sp.Integer(1)},
                             _gam**2 * _s2 + _gam * _beta**2,
                             statement=r"\mathrm{Var}[\theta_{k+1}|\theta_k]=\gamma_k^2\mathrm{Var}(\epsilon_k)+\gamma_k\beta_k^2",
                             scope="d = 1 (per coordinate for isotropic W); eps_k and W_k independent; only second moments enter",
                             note="The injected noise has variance gamma_k beta_k^2, of order gamma_k, so it dominates the sampling noise (order gamma_k^2) for small steps: the Euler-Maruyama form of dX = -grad g dt + beta dW."),
            GaussianIdentity("necessity of conditioning on theta_k: eps_1 = c W_0 satisfies E(eps_1 | theta_0) = 0 yet E[eps_1 theta_1] != 0", _c * _W0 * _theta1, {_W0: sp.Integer(1)}, sp.Integer(0),
                             expect=Expect.REFUTED, role="necessity",
                             statement=r"\epsilon_1=cW_0:\ \mathbb E(\epsilon_1|\theta_0)=0\ \text{but}\ \mathbb E[\epsilon_1\theta_1]=c\sqrt{\gamma_0}\beta_0\neq0",
                             note="With the slide's conditioning on theta_{k-1}, ..., theta_0 only, the sampling noise may be correlated with theta_k and bias the drift given theta_k; read with theta_k included."),
        ],
        status=Status.VERIFIED,
        reading=(
            r"$\mathbb E(\epsilon_k|\theta_{k-1},\dots,\theta_0)=0$ is read with $\theta_k$ in the conditioning (as for sampling noise at $\theta_k$): without it the drift given $\theta_k$ "
            r"can be biased (the last check). The update is a definition; what is checked is its conditional mean and covariance (the Euler--Maruyama form of a Langevin SDE with $\eta=\beta_k$) and the step-size conditions "
            r"as a predicate (decided by sympy's convergence tests for $k\ge2$). The convergence theorem of Gelfand and Mitter (with its annealing schedule) is cited, not encoded."
        ),
    )
)
