"""Bruna, lecture 9, slide "GRADIENT DESCENT AVOIDS STRICT SADDLES": Fact 1, strict saddles are unstable fixed points.

As printed: every strict saddle point of g is an unstable fixed point of gradient descent,
𝒳* ⊆ 𝒜*_φ, with φ(θ) = θ − γ∇g(θ) and 𝒜*_φ = {θ : φ(θ) = θ, max_i |λ_i(Dφ(θ))| > 1}. Proved symbolically
in the Hessian's eigenvalues: Dφ = I − γ∇²g has eigenvalues 1 − γλ_i, and λ_min < 0, γ > 0 give
1 − γλ_min > 1.
"""

from __future__ import annotations

import sympy as sp

from symbolic import Expect, Implication
from symbolic.sde import OperatorIdentity, gradient, hessian, space
from theorems.catalogue.bruna._symbolic import GAMMA, WITNESSES
from theorems.registry import Entry, Status, register


def _jacobian(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    xs = space(d)
    g = sp.Function("g")(*xs)
    phi = sp.Matrix(xs) - GAMMA * gradient(g, xs)
    return phi.jacobian(sp.Matrix(xs)), sp.eye(d) - GAMMA * hessian(g, xs)


jacobian = OperatorIdentity(
    "D phi(theta) = I - gamma Hess g(theta), and phi(theta) = theta iff grad g(theta) = 0",
    _jacobian,
    dims=(1, 2, 3),
    witnesses=WITNESSES,
    statement=r"\varphi(\theta)=\theta-\gamma\nabla g(\theta):\quad D\varphi(\theta)=I-\gamma\nabla^2g(\theta)",
    note="Fixed points: $\\varphi(\\theta)=\\theta\\iff\\gamma\\nabla g(\\theta)=0\\iff\\nabla g(\\theta)=0$ ($\\gamma>0$), so every critical point, in particular every strict saddle, is a fixed point.",
)


def _spectrum(d: int) -> tuple[sp.Expr, sp.Expr]:
    H = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"h{min(i, j) + 1}{max(i, j) + 1}", real=True))
    mu = sp.Symbol("mu", real=True)
    lhs = (mu * sp.eye(d) - (sp.eye(d) - GAMMA * H)).det()
    rhs = (-GAMMA) ** d * (((1 - mu) / GAMMA) * sp.eye(d) - H).det()
    return lhs, rhs


spectrum = OperatorIdentity(
    "the eigenvalues of I - gamma H are 1 - gamma lambda_i: det(mu I - (I - gamma H)) = (-gamma)^d det(((1 - mu)/gamma) I - H)",
    _spectrum,
    dims=(1, 2, 3),
    statement=r"\det\big(\mu I-(I-\gamma H)\big)=(-\gamma)^d\det\Big(\tfrac{1-\mu}{\gamma}I-H\Big),\ \text{so}\ \mu\in\operatorname{spec}(D\varphi)\iff\tfrac{1-\mu}\gamma\in\operatorname{spec}(H)",
    note="Characteristic polynomials of a generic symmetric $H$ (the identity is $\\det(\\gamma(H-\\lambda I))=\\gamma^d\\det(H-\\lambda I)$ with $\\lambda=(1-\\mu)/\\gamma$, true in every $d$).",
)

_g = sp.Symbol("gamma", positive=True)
_l = sp.symbols("lambda1:4", real=True)
fact1 = Implication(
    "Fact 1: lambda_min(Hess g) < 0 and gamma > 0 give max_i |1 - gamma lambda_i| > 1",
    hypotheses=[_l[0] <= _l[1], _l[1] <= _l[2], _l[0] < 0],
    conclusion=sp.Max(*[sp.Abs(1 - _g * v) for v in _l]) > 1,
    statement=r"\lambda_1\le\lambda_2\le\lambda_3,\ \lambda_1=\lambda_{\min}<0,\ \gamma>0\implies\max_i|1-\gamma\lambda_i|>1",
    note="With the two previous checks: a strict saddle is a fixed point of $\\varphi$ at which $D\\varphi$ has the eigenvalue $1-\\gamma\\lambda_{\\min}>1$, i.e. $\\mathcal{X}^*\\subseteq\\mathcal{A}^*_\\varphi$.",
    scope="d = 3 (the argument uses lambda_min only: in every d, 1 - gamma lambda_min > 1 is the one-eigenvalue case below)",
)

_lm = sp.Symbol("lambda_min", real=True)
fact1_any_d = Implication(
    "one eigenvalue: lambda_min < 0, gamma > 0 give 1 - gamma lambda_min > 1",
    hypotheses=[_lm < 0],
    conclusion=sp.Abs(1 - _g * _lm) > 1,
    statement=r"\lambda_{\min}<0,\ \gamma>0\implies|1-\gamma\lambda_{\min}|>1",
    note="Covers every $d$: $\\max_i|1-\\gamma\\lambda_i|\\ge|1-\\gamma\\lambda_{\\min}|$.",
)

necessity_saddle = Implication(
    "necessity of lambda_min < 0: a local minimum with gamma < 1/L is not in A* (all |1 - gamma lambda_i| <= 1)",
    hypotheses=[_lm >= 0, _lm <= sp.Symbol("L", positive=True), _g * sp.Symbol("L", positive=True) < 1],
    conclusion=sp.Abs(1 - _g * _lm) > 1,
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"0\le\lambda\le L,\ \gamma<1/L\implies|1-\gamma\lambda|>1",
    note="Dropping the strict-saddle hypothesis: z3 finds the witness, so the conclusion depends on $\\lambda_{\\min}<0$.",
)

register(
    Entry(
        id="bruna.saddles-unstable",
        title="Fact 1: every strict saddle is an unstable fixed point of gradient descent",
        where="GRADIENT DESCENT AVOIDS STRICT SADDLES",
        statement=(
            r"Assume $\nabla g$ is Lipschitz, with $\|\nabla^2g(\theta)\|\le L$. Fact 1: every strict saddle point of $g$ is an unstable fixed point of gradient descent: "
            r"$\mathcal{X}^*\subseteq\mathcal{A}^*_\varphi$, where $\varphi(\theta)=\theta-\gamma\nabla g(\theta)$ and "
            r"$\mathcal{A}^*_\varphi=\{\theta;\varphi(\theta)=\theta;\max_i|\lambda_i(D\varphi(\theta))|>1\}$."
        ),
        hypotheses=[r"$g\in C^2$, $\|\nabla^2g\|\le L$", r"$\gamma>0$"],
        checks=[jacobian, spectrum, fact1_any_d, fact1, necessity_saddle],
        status=Status.VERIFIED,
        reading=(
            r"The step is read as $\gamma>0$; Fact 1 needs no upper bound on $\gamma$ (the Lipschitz assumption serves Fact 2, bruna.gd-jacobian-nonsingular). "
            r"Eigenvalues of the symmetric $\nabla^2g$ are real, and $D\varphi$ is symmetric with eigenvalues $1-\gamma\lambda_i$."
        ),
    )
)
