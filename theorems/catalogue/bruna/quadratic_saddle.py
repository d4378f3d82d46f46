"""Bruna, lecture 9, slide "INTUITION: QUADRATIC CASE": gradient descent on g(θ) = θᵀHθ near a strict saddle.

As printed: H = diag(λ₁, …, λ_d), λ₁…λ_s > 0 > λ_{s+1}…λ_d; GD gives
θ_{k+1} = φ(θ_k) = Σᵢ (1 − γλᵢ)^{k+1} θ_{0,i} eᵢ; if γ < 1/maxᵢ|λᵢ| then ‖θ_k‖ → 0 iff θ₀ ∈ span{e₁…e_s};
so a random θ₀ avoids the saddle with probability 1. Slip: ∇(θᵀHθ) = 2Hθ, so the factor is
(1 − 2γλᵢ) (the printed one is GD on ½θᵀHθ). The convergence condition holds for the true GD.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from symbolic import Expect, Implication, MonteCarlo
from symbolic.sde import OperatorIdentity, gradient, space
from theorems.catalogue.bruna._symbolic import GAMMA
from theorems.registry import Entry, Status, register

K = sp.Symbol("k", integer=True, nonnegative=True)


def _closed_form(factor: int) -> Callable[[int], tuple[sp.Matrix, sp.Matrix]]:
    """Induction step: phi(theta_k) with theta_k from the formula equals the formula at k + 1 (and the base case k + 1 = 0)."""

    def build(d: int) -> tuple[sp.Matrix, sp.Matrix]:
        th0 = sp.Matrix(space(d, "theta0_"))
        lam = sp.symbols(f"lambda1:{d + 1}", real=True)
        xs = space(d)
        H = sp.diag(*lam)
        g = (sp.Matrix(xs).T * H * sp.Matrix(xs))[0, 0]  # g = theta^T H theta, as printed

        def formula(k: sp.Expr) -> sp.Matrix:
            return sp.Matrix([(1 - factor * GAMMA * lam[i]) ** (k + 1) * th0[i] for i in range(d)])

        theta_k = formula(K - 1)  # the printed theta_{k} = sum (1 - gamma lambda_i)^k theta_{0,i} e_i
        step = (sp.Matrix(xs) - GAMMA * gradient(g, xs)).subs(dict(zip(xs, theta_k, strict=True)), simultaneous=True)
        return sp.Matrix.vstack(step, formula(sp.Integer(-1))), sp.Matrix.vstack(formula(K), th0)

    return build


stated_closed_form = OperatorIdentity(
    "stated: GD on theta^T H theta gives theta_{k+1} = sum_i (1 - gamma lambda_i)^{k+1} theta_{0,i} e_i",
    _closed_form(1),
    dims=(1,),
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\theta_{k+1}=\theta_k-\gamma\nabla(\theta^\top H\theta)\big|_{\theta_k}\ \overset{?}{=}\ \sum_i(1-\gamma\lambda_i)^{k+1}\theta_{0,i}e_i",
    note="Induction step of the printed formula against one GD step; refuted at an exact rational point (already at $k=0$: $\\theta_1=(1-2\\gamma\\lambda)\\theta_0$).",
    scope="d = 1 (a counterexample)",
)

corrected_closed_form = OperatorIdentity(
    "corrected: theta_{k+1} = sum_i (1 - 2 gamma lambda_i)^{k+1} theta_{0,i} e_i (base case and induction step)",
    _closed_form(2),
    dims=(1, 2, 3),
    statement=r"\theta_{k+1}=\sum_i(1-2\gamma\lambda_i)^{k+1}\theta_{0,i}e_i\quad(\nabla\,\theta^\top H\theta=2H\theta)",
    note="By induction on $k$: the formula at $k+1=0$ is $\\theta_0$, and one GD step maps the formula at $k$ to the formula at $k+1$ ($k$ a symbolic nonnegative integer).",
    scope="d = 1, 2, 3 (H diagonal: coordinate i only involves lambda_i, the same in every d)",
)

_g, _lp = sp.symbols("gamma lambda", positive=True)
_gr, _lr = sp.symbols("gamma lambda", real=True)  # signs as hypotheses: sympy cannot decide the relation at import
_lmax = sp.Symbol("Lambda", positive=True)  # max_i |lambda_i|
contracting = Implication(
    "condition: gamma < 1/max|lambda_i| gives |1 - 2 gamma lambda| < 1 for lambda > 0",
    hypotheses=[_lp <= _lmax, _g * _lmax < 1],
    conclusion=sp.Abs(1 - 2 * _g * _lp) < 1,
    statement=r"0<\lambda\le\max_i|\lambda_i|,\ \gamma<1/\max_i|\lambda_i|\implies|1-2\gamma\lambda|<1",
    note="The components along $e_1,\\dots,e_s$ tend to 0 geometrically (for the printed factor $1-\\gamma\\lambda$ as well).",
)
contracting_printed = Implication(
    "condition, with the printed factor: gamma < 1/max|lambda_i| gives |1 - gamma lambda| < 1 for lambda > 0",
    hypotheses=[_lp <= _lmax, _g * _lmax < 1],
    conclusion=sp.Abs(1 - _g * _lp) < 1,
    statement=r"0<\lambda\le\max_i|\lambda_i|,\ \gamma<1/\max_i|\lambda_i|\implies|1-\gamma\lambda|<1",
    note="The stated condition also works for the printed recursion (gradient descent on $\\tfrac12\\theta^\\top H\\theta$).",
)
expanding = Implication(
    "condition: for lambda < 0 and gamma > 0, |1 - 2 gamma lambda| > 1",
    hypotheses=[_lr < 0, _gr > 0],
    conclusion=sp.Abs(1 - 2 * _gr * _lr) > 1,
    statement=r"\lambda<0,\ \gamma>0\implies|1-2\gamma\lambda|>1",
    note="A component along $e_{s+1},\\dots,e_d$ with $\\theta_{0,i}\\ne0$ grows geometrically; so $\\|\\theta_k\\|\\to0$ iff $\\theta_{0,i}=0$ for $i>s$, i.e. $\\theta_0\\in\\operatorname{span}\\{e_1,\\dots,e_s\\}$.",
)
step_needed = Implication(
    "necessity: without gamma < 1/max|lambda_i| a positive direction need not contract",
    hypotheses=[],
    conclusion=sp.Abs(1 - 2 * _g * _lp) < 1,
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"\lambda>0,\ \gamma>0\implies|1-2\gamma\lambda|<1",
    note="z3 finds $\\gamma\\lambda\\ge1$ where $|1-2\\gamma\\lambda|\\ge1$: the 'if' direction needs the step condition.",
)

_LAMBDAS = np.array([1.0, 0.5, -0.25])  # s = 2 positive, one negative; max |lambda| = 1
_STEP = 0.5  # gamma < 1 / max |lambda_i|
_K = 200


def _escapes(rng: np.random.Generator, n: int) -> np.ndarray:
    """theta_0 ~ N(0, I_3); the exact GD iterate theta_K = (1 - 2 gamma lambda)^K theta_0; escaped if ||theta_K|| > ||theta_0||."""
    th0 = rng.standard_normal((n, 3))
    thK = th0 * (1 - 2 * _STEP * _LAMBDAS) ** _K
    return np.linalg.norm(thK, axis=1) > np.linalg.norm(th0, axis=1)


random_init = MonteCarlo(
    "random initialisation: theta_0 ~ N(0, I) escapes the saddle (||theta_200|| > ||theta_0||) with probability >= 0.99",
    _escapes,
    rel=">=",
    bound=0.99,
    samples=2000,
    delta=1e-3,
    statement=r"\mathbb{P}_{\theta_0\sim\mathcal{N}(0,I_3)}\big(\|\theta_{200}\|>\|\theta_0\|\big)\ge0.99,\quad\lambda=(1,\tfrac12,-\tfrac14),\ \gamma=\tfrac12",
    note=(
        "Clopper-Pearson at confidence 0.999. The exact probability is $\\mathbb{P}(|\\theta_{0,3}|\\,1.25^{200}>\\|\\theta_0\\|)$, within $10^{-18}$ of 1; "
        "the slide's 'probability 1' is the exact statement ($\\operatorname{span}\\{e_1,e_2\\}$ is a null set), which the two Implications prove; the simulation can detect a "
        "failure probability above about 0.01."
    ),
)

register(
    Entry(
        id="bruna.quadratic-saddle",
        title="Gradient descent on theta^T H theta: the closed form, and ||theta_k|| -> 0 iff theta_0 lies in the stable span",
        where="INTUITION: QUADRATIC CASE",
        statement=(
            r"Consider the non-convex quadratic function $g(\theta)=\theta^\top H\theta$, $H=\operatorname{diag}(\lambda_1,\dots,\lambda_d)$, $\lambda_1,\dots,\lambda_s>0$, "
            r"$\lambda_{s+1},\dots,\lambda_d<0$. A single critical point, $\theta^*=0$, which is a strict saddle. Gradient descent initialised from $\theta_0$ produces "
            r"$\theta_{k+1}=\varphi(\theta_k)=\sum_{i=1}^d(1-\gamma\lambda_i)^{k+1}\theta_{0,i}e_i$. Suppose $\gamma<\frac1{\max_i|\lambda_i|}$. Then $\|\theta_k\|\to0$ iff "
            r"$\theta_0\in\operatorname{span}\{e_1,\dots,e_s\}$. It follows that if $\theta_0$ is chosen at random, then we will avoid the strict saddle with probability 1."
        ),
        hypotheses=[r"$\lambda_i\ne0$", r"$0<\gamma<1/\max_i|\lambda_i|$"],
        checks=[stated_closed_form, contracting, contracting_printed, expanding, step_needed, random_init],
        corrected=[corrected_closed_form],
        status=Status.ERRATUM,
        reading=(
            r"Erratum: $\nabla(\theta^\top H\theta)=2H\theta$, so gradient descent gives the factor $1-2\gamma\lambda_i$; the printed $1-\gamma\lambda_i$ is gradient descent on "
            r"$\frac12\theta^\top H\theta$. The condition $\gamma<1/\max_i|\lambda_i|$ still gives $|1-2\gamma\lambda_i|<1$ for $\lambda_i>0$ and $>1$ for $\lambda_i<0$, so the "
            r"'iff' holds for the true GD (and for the printed factor). 'Chosen at random' is read as a law with a density (here $\mathcal{N}(0,I)$); "
            r"'avoid the strict saddle' as $\|\theta_k\|\not\to0$."
        ),
    )
)
