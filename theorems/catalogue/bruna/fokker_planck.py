"""Bruna, lecture 9, slide "FROM SDES TO PDES": the Fokker–Planck equation of a drift–diffusion SDE.

The slide states ∂ₜp = −⟨∇ₓ, p·b⟩ + ½⟨Δₓ, p·(σσᵀ)⟩ for the density p of X_t, where
dX_t = b(X_t, t)dt + σ(X_t, t)dW_t. The checks derive it the way it is proved: Itô's formula
(from a Taylor expansion with Itô's table), then the adjoint relation ∫(𝓛f)p = ∫f(𝓛*p), and
confirm it on exact Gaussian solutions of linear SDEs.
"""

from __future__ import annotations

import sympy as sp

from symbolic.sde import SDE, OperatorIdentity, divergence, space
from theorems.catalogue.bruna._symbolic import WITNESSES
from theorems.registry import Entry, Status, register

T = sp.Symbol("t", real=True)
L_NOISE = 2  # the Brownian motion's dimension l in the general checks (sigma is d x 2)


def _general_sde(d: int, with_time: bool) -> SDE:
    """dX = b(X, t)dt + sigma(X, t)dW with every entry of b (d) and sigma (d x l) an undefined function."""
    xs = space(d)
    args = (*xs, T) if with_time else xs
    b = [sp.Function(f"b{i + 1}")(*args) for i in range(d)]
    sigma = [[sp.Function(f"sigma{i + 1}{k + 1}")(*args) for k in range(L_NOISE)] for i in range(d)]
    return SDE(b, sigma, xs, T if with_time else None)


def _ito(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    sde = _general_sde(d, with_time=True)
    f = sp.Function("f")(*sde.xs, T)
    dt, dw = sde.ito_by_taylor(f)  # Taylor to second order, dW_i dW_j = delta_ij dt
    dt2, dw2 = sde.ito(f)  # (d_t + L) f dt + grad f^T sigma dW
    return sp.Matrix([dt, *dw]), sp.Matrix([dt2, *dw2])


ito_formula = OperatorIdentity(
    "Ito's formula: df(X_t, t) = (d_t f + b.grad f + 1/2 tr(sigma sigma^T Hess f)) dt + grad f^T sigma dW",
    _ito,
    dims=(1, 2, 3),
    statement=r"df(X_t,t)=\Big(\partial_tf+b\cdot\nabla f+\tfrac12\operatorname{tr}(\sigma\sigma^\top\nabla^2f)\Big)dt+\nabla f^\top\sigma\,dW_t",
    note=(
        r"Derived from the second-order Taylor expansion of $f(X_t+dX_t,t+dt)$ with $dX_t=b\,dt+\sigma dW_t$ and Itô's table "
        r"$dW_idW_j=\delta_{ij}dt$, $dt\,dW_i=dt^2=0$, for undefined $b(x,t)$, $\sigma(x,t)\in\mathbb{R}^{d\times2}$ and $f(x,t)$."
    ),
    scope="d = 1, 2, 3 with l = 2 (sigma is d x 2)",
)


def _adjoint(d: int) -> tuple[sp.Expr, sp.Expr]:
    sde = _general_sde(d, with_time=False)
    f, p = sp.Function("f")(*sde.xs), sp.Function("p")(*sde.xs)
    return sde.generator(f) * p - f * sde.fokker_planck(p), divergence(sde.adjoint_flux(f, p), sde.xs)


adjoint_relation = OperatorIdentity(
    "adjoint relation: (L f) p - f (L* p) is a divergence, so int (L f) p = int f (L* p)",
    _adjoint,
    title_latex=r"adjoint relation: $(L f) p - f (L^{*} p)$ is a divergence, so $\int (L f) p = \int f (L^{*} p)$",
    dims=(1, 2, 3),
    statement=(
        r"(\mathcal{L}f)\,p-f\,(\mathcal{L}^*p)=\nabla\cdot J,\quad J_i=fpb_i+\tfrac12\textstyle\sum_j\big(p\,a_{ij}\partial_jf-f\,\partial_j(p\,a_{ij})\big),"
        r"\quad \mathcal{L}^*p=-\nabla\cdot(pb)+\tfrac12\textstyle\sum_{ij}\partial_i\partial_j(p\,a_{ij}),\ a=\sigma\sigma^\top"
    ),
    note=(
        r"With Itô's formula, $\frac{d}{dt}\mathbb{E}f(X_t)=\int(\mathcal{L}f)p=\int f(\mathcal{L}^*p)$ for every smooth compactly supported $f$ "
        r"(the divergence integrates to 0), which is the weak form of $\partial_tp=\mathcal{L}^*p$. Undefined $b$, $\sigma\in\mathbb{R}^{d\times2}$, $f$, $p$."
    ),
    witnesses=WITNESSES,
    scope="d = 1, 2, 3 with l = 2 (sigma is d x 2)",
)


def _slide_operator(sde: SDE, p: sp.Expr) -> sp.Expr:
    """The slide's right-hand side -<grad, p b> + 1/2 <Delta, p sigma sigma^T>, the second term read as sum_ij d_i d_j (p a_ij)."""
    xs, a = sde.xs, sde.covariance
    return -divergence([p * bi for bi in sde.b], xs) + sp.Rational(1, 2) * sum(
        (sp.diff(p * a[i, j], xs[i], xs[j]) for i in range(len(xs)) for j in range(len(xs))), sp.Integer(0)
    )


_th, _s, _y0 = sp.symbols("theta s y0", positive=True)


def _ou(d: int) -> tuple[sp.Expr, sp.Expr]:
    """Ornstein-Uhlenbeck dX = -theta X dt + s dW from X_0 = y0: p = N(y0 e^{-theta t}, s^2 (1 - e^{-2 theta t})/(2 theta))."""
    (x,) = space(1)
    t = sp.Symbol("t", positive=True)
    m = _y0 * sp.exp(-_th * t)
    v = _s**2 * (1 - sp.exp(-2 * _th * t)) / (2 * _th)
    p = sp.exp(-((x - m) ** 2) / (2 * v)) / sp.sqrt(2 * sp.pi * v)
    sde = SDE([-_th * x], _s, (x,))
    return sp.diff(p, t) / p, _slide_operator(sde, p) / p


ou_solution = OperatorIdentity(
    "instance: the Ornstein-Uhlenbeck Gaussian density solves the slide's equation",
    _ou,
    dims=(1,),
    statement=r"p=\mathcal{N}\Big(y_0e^{-\theta t},\tfrac{s^2}{2\theta}(1-e^{-2\theta t})\Big)\ \text{solves}\ \partial_tp=-\partial_x(p\cdot(-\theta x))+\tfrac12\partial_x^2(p\,s^2)",
    note="The exact law of $dX=-\\theta X\\,dt+s\\,dW$, $X_0=y_0$ (both sides divided by $p>0$).",
    scope="one SDE (d = 1)",
)

_SIGMA2 = sp.Matrix([[1, sp.Rational(1, 2), 0], [0, 1, 1]])
_B2 = sp.Matrix([sp.Rational(1, 3), -1])


def _drifted_brownian(d: int) -> tuple[sp.Expr, sp.Expr]:
    """dX = b dt + sigma dW, b constant, sigma constant 2 x 3 (l = 3): p = N(y + b t, t sigma sigma^T)."""
    xs = space(2)
    t = sp.Symbol("t", positive=True)
    ys = sp.symbols("y1 y2", real=True)
    cov = t * _SIGMA2 * _SIGMA2.T
    r = sp.Matrix([xs[i] - ys[i] - _B2[i] * t for i in range(2)])
    p = sp.exp(-(r.T * cov.inv() * r)[0, 0] / 2) / (2 * sp.pi * sp.sqrt(cov.det()))
    sde = SDE(list(_B2), _SIGMA2, xs)
    return sp.simplify(sp.diff(p, t) / p), sp.simplify(_slide_operator(sde, p) / p)


brownian_solution = OperatorIdentity(
    "instance: a 2-D Brownian motion with drift and a 2 x 3 diffusion solves the slide's equation",
    _drifted_brownian,
    dims=(2,),
    statement=(
        r"p=\mathcal{N}\big(y+bt,\ t\,\sigma\sigma^\top\big),\ b=(\tfrac13,-1),\ \sigma=\begin{pmatrix}1&\frac12&0\\0&1&1\end{pmatrix}\ "
        r"\text{solves}\ \partial_tp=-\langle\nabla,pb\rangle+\tfrac12\langle\Delta,p\,\sigma\sigma^\top\rangle"
    ),
    note="Checks the factor $\\frac12$ and the off-diagonal terms $\\partial_1\\partial_2(p\\,a_{12})$ with $l=3\\ne d=2$.",
    scope="one SDE (d = 2, l = 3)",
)

register(
    Entry(
        id="bruna.fokker-planck",
        title="The Fokker-Planck equation of a drift-diffusion SDE",
        where="FROM SDES TO PDES",
        statement=(
            r"Consider an SDE of the form drift + diffusion, $dX_t=b(X_t,t)dt+\sigma(X_t,t)dW_t$. Denote by $p(x,t)$ the probability density of $X_t$. "
            r"The Fokker-Plank equation is given by $\partial_tp(x,t)=-\langle\nabla_x,p(x,t)\cdot b(x,t)\rangle+\frac12\langle\Delta_x,p(x,t)\cdot(\sigma\sigma^\top)(x,t)\rangle$."
        ),
        hypotheses=[r"$b$, $\sigma$ smooth; $X_t$ has a smooth density $p(\cdot,t)$ decaying with its derivatives at infinity"],
        checks=[ito_formula, adjoint_relation, ou_solution, brownian_solution],
        status=Status.VERIFIED,
        reading=(
            r"$\langle\nabla_x,p\cdot b\rangle$ is read as $\nabla\cdot(pb)=\sum_i\partial_i(pb_i)$ and $\langle\Delta_x,p\cdot\sigma\sigma^\top\rangle$ as "
            r"$\sum_{ij}\partial_i\partial_j\big(p(\sigma\sigma^\top)_{ij}\big)$ (the matrix of second derivatives paired with $p\sigma\sigma^\top$). "
            r"The equation is proved in its weak form: for every test function $f$, $\frac{d}{dt}\mathbb{E}f(X_t)=\mathbb{E}(\mathcal{L}f)(X_t)$ "
            r"(Itô's formula, the martingale term having mean 0) $=\int f\,\mathcal{L}^*p$ (adjoint relation). "
            r"The general identities are proved for undefined $b$, $\sigma$, $f$, $p$ in $d=1,2,3$ with $l=2$; they are sums of terms in one pair $(i,j)$, "
            r"which is why the pattern extends, but the check's scope is what it proved."
        ),
    )
)
