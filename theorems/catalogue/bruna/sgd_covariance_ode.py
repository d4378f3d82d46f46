"""Bruna, lecture 9, slide "SGD DYNAMICS" (2nd): the covariance ODE Ṡ = −SH − HS + Σ and its steady state.

As printed: X_t ∼ N(X₀,t, γS_t), Ẋ₀ = −∇g(X₀), Ṡ_t = −S_tH_t − H_tS_t + Σ_t (H_t = ∇²g(X₀,t),
Σ_t = Σ(X₀,t)), and "the steady state of S_t satisfies |S_∞| ∼ |Σ_∞|/|H_∞|". Checked: the ODE from
Itô's formula for the linear equation of X₁ (ε = √γ, b = −∇g, σ = Σ^{1/2}); the steady state
solves HS + SH = Σ, S_∞ = Σ/(2H) in d = 1; and the scaling read as two-sided bounds.
"""

from __future__ import annotations

import sympy as sp

from symbolic import Implication
from symbolic.sde import SDE, OperatorIdentity, space
from theorems.registry import Entry, Status, register


def _sym(name: str, d: int) -> sp.Matrix:
    return sp.Matrix(d, d, lambda i, j: sp.Symbol(f"{name}{min(i, j) + 1}{max(i, j) + 1}", real=True))


def _covariance_ode(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    """Ito's formula for y_i y_j under dY = -H Y dt + B dW; E[y_k y_l] = S_kl (the mean stays 0)."""
    ys = space(d, "y")
    H, S = _sym("h", d), _sym("S", d)
    B = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"B{i + 1}{j + 1}", real=True))
    sde = SDE(list(-H * sp.Matrix(ys)), B, ys)
    second = {ys[k] * ys[m]: S[k, m] for k in range(d) for m in range(d)}

    def expect(e: sp.Expr) -> sp.Expr:  # E of a quadratic form in y, constants kept
        e = sp.expand(e)
        poly = sp.Poly(e, *ys)
        out = sp.Integer(0)
        for monom, c in poly.terms():
            mono = sp.Mul(*[v**k for v, k in zip(ys, monom, strict=True)])
            out += c * (second[mono] if sum(monom) == 2 else (1 if sum(monom) == 0 else sp.nan))
        return out

    drift = sp.Matrix(d, d, lambda i, j: expect(sde.ito(ys[i] * ys[j])[0]))
    mean_drift = sp.Matrix([sde.ito(y)[0] for y in ys])
    Sigma = B * B.T
    return sp.Matrix.vstack(drift, mean_drift.T), sp.Matrix.vstack(-S * H - H * S + Sigma, -(H * sp.Matrix(ys)).T)


covariance_ode = OperatorIdentity(
    "Ito: the covariance S of dX1 = -H X1 dt + Sigma^(1/2) dW solves dS/dt = -S H - H S + Sigma",
    _covariance_ode,
    dims=(1, 2, 3),
    statement=r"d\,\mathbb{E}[X_1X_1^\top]/dt=\mathbb{E}\,\mathcal{L}(x_ix_j)=-SH-HS+\Sigma,\quad \mathcal{L}=-Hx\cdot\nabla+\tfrac12\operatorname{tr}(\Sigma\nabla^2),\ \Sigma=BB^\top",
    note=(
        r"The engine's generator applied to $x_ix_j$, then $\mathbb{E}[x_kx_l]=S_{kl}$; the last row checks $\mathcal{L}x=-Hx$, so the mean $\mathbb{E}X_1$ solves "
        r"$\dot m=-Hm$, $m_0=0$: it stays 0 and $S$ is the covariance. $H$ symmetric, $B$ any square matrix ($\Sigma=BB^\top$ any PSD matrix)."
    ),
)

_h, _sg, _s0 = sp.symbols("H Sigma S0", positive=True)
_t = sp.Symbol("t", positive=True)


def _scalar(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    s_inf = _sg / (2 * _h)
    S = s_inf + (_s0 - s_inf) * sp.exp(-2 * _h * _t)
    return (
        sp.Matrix([sp.diff(S, _t), S.subs(_t, 0), sp.limit(S, _t, sp.oo), -2 * _h * s_inf + _sg, s_inf / (_sg / _h)]),
        sp.Matrix([-S * _h - _h * S + _sg, _s0, _sg / (2 * _h), 0, sp.Rational(1, 2)]),
    )


scalar_steady_state = OperatorIdentity(
    "d = 1: S_t = Sigma/(2H) + (S0 - Sigma/(2H)) e^{-2Ht} solves the ODE and tends to S_inf = Sigma/(2H) = (1/2) Sigma/H",
    _scalar,
    dims=(1,),
    statement=r"H,\Sigma>0:\ S_t=\tfrac{\Sigma}{2H}+\big(S_0-\tfrac{\Sigma}{2H}\big)e^{-2Ht}\ \text{solves}\ \dot S=-SH-HS+\Sigma,\ S_t\to S_\infty=\tfrac{\Sigma}{2H},\ \tfrac{S_\infty}{\Sigma/H}=\tfrac12",
    scope="d = 1",
)


def _lyapunov(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    hs = sp.symbols(f"lambda1:{d + 1}", positive=True)
    H = sp.diag(*hs)
    Sig = _sym("Sigma", d)
    S = sp.Matrix(d, d, lambda i, j: Sig[i, j] / (hs[i] + hs[j]))
    return H * S + S * H, Sig


lyapunov = OperatorIdentity(
    "steady state: in an eigenbasis of H, S_ij = Sigma_ij / (lambda_i + lambda_j) solves H S + S H = Sigma",
    _lyapunov,
    dims=(2, 3),
    statement=r"H=\operatorname{diag}(\lambda_i)\succ0:\quad S_{ij}=\frac{\Sigma_{ij}}{\lambda_i+\lambda_j}\ \text{solves}\ HS+SH=\Sigma\ (\dot S=0)",
    note="A symmetric $H$ is diagonal in an orthonormal eigenbasis and the equation is invariant under $S\\mapsto Q^\\top SQ$, $\\Sigma\\mapsto Q^\\top\\Sigma Q$; the solution is unique since $\\lambda_i+\\lambda_j>0$.",
    scope="d = 2, 3 (entrywise: the (i, j) entry only involves lambda_i + lambda_j, so the same in every d)",
)

_lam = sp.symbols("lambda1:4", positive=True)
_sig = sp.symbols("Sigma11 Sigma22 Sigma33", nonnegative=True)
_sii = sp.symbols("S11 S22 S33", real=True)
_m, _M = sp.symbols("m M", positive=True)
scaling = Implication(
    "scaling: tr Sigma / (2 lambda_max) <= tr S_inf <= tr Sigma / (2 lambda_min)",
    hypotheses=[*(sp.Eq(2 * _lam[i] * _sii[i], _sig[i]) for i in range(3)), *(_m <= _lam[i] for i in range(3)), *(_lam[i] <= _M for i in range(3))],
    conclusion=sp.And(sum(_sig) <= 2 * _M * sum(_sii), 2 * _m * sum(_sii) <= sum(_sig)),
    statement=r"2\lambda_iS_{ii}=\Sigma_{ii},\ \lambda_{\min}\le\lambda_i\le\lambda_{\max}\implies\frac{\operatorname{tr}\Sigma}{2\lambda_{\max}}\le\operatorname{tr}S_\infty\le\frac{\operatorname{tr}\Sigma}{2\lambda_{\min}}",
    note=r"The diagonal of the steady state in $H$'s eigenbasis ($S_{ii}=\Sigma_{ii}/(2\lambda_i)$, previous check); $\Sigma\succeq0$ gives $\Sigma_{ii}\ge0$. Decided by z3 in $d=3$.",
    scope="d = 3 (a sum of one inequality per eigen-direction: the same argument in every d)",
)

_M2, _m2 = sp.symbols("M m", positive=True)


def _attained(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    """H = diag(M, m), Sigma = e2 e2^T: S_inf = diag(0, 1/(2m)) and tr S_inf / (tr Sigma / lambda_max(H)) = M/(2m) = kappa/2."""
    H = sp.diag(_M2, _m2)
    Sig = sp.diag(0, 1)
    S = sp.Matrix(2, 2, lambda i, j: Sig[i, j] / (H[i, i] + H[j, j]))
    ratio = S.trace() / (Sig.trace() / _M2)
    return sp.Matrix.vstack(H * S + S * H - Sig, sp.Matrix([[ratio, 0]])), sp.Matrix.vstack(sp.zeros(2, 2), sp.Matrix([[_M2 / (2 * _m2), 0]]))


attained = OperatorIdentity(
    "the upper end is attained: H = diag(M, m), Sigma = e2 e2^T give |S_inf| / (|Sigma| / |H|) = kappa(H) / 2",
    _attained,
    dims=(2,),
    statement=r"H=\operatorname{diag}(M,m),\ \Sigma=e_2e_2^\top:\quad HS_\infty+S_\infty H=\Sigma,\ \frac{\operatorname{tr}S_\infty}{\operatorname{tr}\Sigma/\lambda_{\max}(H)}=\frac{M}{2m}=\frac{\kappa(H)}2",
    note="So the constant in '$\\sim$' cannot be chosen independently of the conditioning of $H$.",
    scope="one example (d = 2)",
)

register(
    Entry(
        id="bruna.sgd-covariance-ode",
        title="The covariance ODE dS/dt = -SH - HS + Sigma of the SGD expansion and the steady-state scaling |S_inf| ~ |Sigma_inf|/|H_inf|",
        title_latex=r"The covariance ODE $dS/dt = -SH - HS + \Sigma$ of the SGD expansion and the steady-state scaling $\lvert S_{\infty}\rvert \sim \lvert \Sigma_{\infty}\rvert / \lvert H_{\infty}\rvert$",
        where="SGD DYNAMICS (2nd slide)",
        statement=(
            r"Applying the Stochastic Asymptotic Expansion in the SGD case we obtain $X_t\sim\mathcal{N}(X_{0,t},\gamma S_t)$, $\dot X_{0,t}=-\nabla g(X_{0,t})$, "
            r"$\dot S_t=-S_tH_t-H_tS_t+\Sigma_t$ with $H_t=\nabla^2g(X_{0,t})$, $\Sigma_t=\Sigma(X_{0,t})$. "
            r"This implies that the steady state of $S_t$ satisfies $|S_\infty|\sim\frac{|\Sigma_\infty|}{|H_\infty|}$."
        ),
        hypotheses=[r"$dX=-\nabla g(X)dt+(\gamma\Sigma(X))^{1/2}dW$, $\varepsilon=\sqrt\gamma$", r"at the steady state $H_\infty\succ0$"],
        checks=[covariance_ode, scalar_steady_state, lyapunov, scaling, attained],
        status=Status.VERIFIED,
        reading=(
            r"The SDE of bruna.sme-order-1 is read as $dX=b\,dt+\varepsilon\sigma dW$ with $\varepsilon=\sqrt\gamma$, $b=-\nabla g$, $\sigma=\Sigma^{1/2}$; "
            r"then $dX_1=-H_tX_1dt+\Sigma_t^{1/2}dW$ (bruna.asymptotic-expansion) and $X\approx X_0+\sqrt\gamma X_1\sim\mathcal{N}(X_0,\gamma S)$ with $S=\operatorname{Cov}X_1$. "
            r"'$|S_\infty|\sim|\Sigma_\infty|/|H_\infty|$' is read as: equal up to a factor bounded in terms of the condition number of $H_\infty$ only. "
            r"In $d=1$ it is exact up to the factor $\frac12$: $S_\infty=\Sigma/(2H)$. In general, with $|\cdot|=\operatorname{tr}$ for $S,\Sigma$ and "
            r"$|H|=\lambda_{\max}(H)$, $\frac12\le\frac{|S_\infty|}{|\Sigma_\infty|/|H_\infty|}\le\frac{\kappa(H)}2$, and the upper end is attained "
            r"($H=\operatorname{diag}(M,m)$, $\Sigma=e_2e_2^\top$ gives $\kappa/2$): so '$\sim$' holds with constants independent of $\Sigma$ and of the scale of $H$, "
            r"not of its conditioning."
        ),
        proof=["bruna.asymptotic-expansion"],
    )
)
