"""Bruna, lecture 9, slide "SGD DYNAMICS" (1st): the stochastic asymptotic expansion in ε.

As printed: for dX^ε = b(X^ε)dt + εσ(X^ε)dW and X^ε = X₀ + εX₁ + ε²X₂ + …, the expansions
b(X^ε) = b(X₀) + ε∇b(X₀)X₁ + O(ε²), σ(X^ε) = σ(X₀) + ε∇σ(X₀)X₁ + O(ε²), and identifying orders:
dX₀ = b(X₀)dt, dX₁ = ∇b(X₀)X₁dt + σ(X₀)dW. Checked by computing the ε⁰ and ε¹ Taylor
coefficients of the right-hand side for undefined b and σ.
"""

from __future__ import annotations

import sympy as sp

from symbolic.sde import OperatorIdentity, space
from theorems.registry import Entry, Status, register

EPS = sp.Symbol("epsilon", real=True)
DT = sp.Symbol("dt", positive=True)


def _coefficient(expr: sp.Expr, k: int) -> sp.Expr:
    """The coefficient of eps^k in the Taylor expansion of expr at eps = 0."""
    return (sp.diff(expr, EPS, k).subs(EPS, 0) / sp.factorial(k)).doit()


def _build(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    l = d  # noqa: E741 - the slide's l
    X0, X1, X2 = space(d, "X0_"), space(d, "X1_"), space(d, "X2_")
    dW = sp.symbols(f"dW1:{l + 1}", real=True)
    b = [sp.Function(f"b{i + 1}") for i in range(d)]
    sig = [[sp.Function(f"sigma{i + 1}{k + 1}") for k in range(l)] for i in range(d)]
    Xe = [X0[j] + EPS * X1[j] + EPS**2 * X2[j] for j in range(d)]
    # the right-hand side of dX^eps = b(X^eps) dt + eps sigma(X^eps) dW, coordinate by coordinate
    rhs = [b[i](*Xe) * DT + EPS * sum((sig[i][k](*Xe) * dW[k] for k in range(l)), sp.Integer(0)) for i in range(d)]
    computed = [_coefficient(r, 0) for r in rhs] + [_coefficient(r, 1) for r in rhs]
    computed += [_coefficient(b[i](*Xe), 1) for i in range(d)]  # b(X^eps) = b(X0) + eps (.) + O(eps^2)
    computed += [_coefficient(sig[i][k](*Xe), 1) for i in range(d) for k in range(l)]
    # the slide's terms: grad b(X0) X1 is the Jacobian of b at X0 applied to X1
    def jac(F: sp.Function) -> sp.Expr:
        return sum((sp.Derivative(F(*X0), X0[j]) * X1[j] for j in range(d)), sp.Integer(0))

    stated = [b[i](*X0) * DT for i in range(d)]  # dX0 = b(X0) dt
    stated += [jac(b[i]) * DT + sum((sig[i][k](*X0) * dW[k] for k in range(l)), sp.Integer(0)) for i in range(d)]  # dX1
    stated += [jac(b[i]) for i in range(d)]
    stated += [jac(sig[i][k]) for i in range(d) for k in range(l)]
    return sp.Matrix(computed), sp.Matrix(stated)


orders = OperatorIdentity(
    "identifying orders eps^0 and eps^1: dX0 = b(X0) dt, dX1 = grad b(X0) X1 dt + sigma(X0) dW",
    _build,
    dims=(1, 2),
    statement=(
        r"[\varepsilon^0]\big(b(X^\varepsilon)dt+\varepsilon\sigma(X^\varepsilon)dW\big)=b(X_0)dt,\quad "
        r"[\varepsilon^1]\big(\cdots\big)=\nabla b(X_0)X_1dt+\sigma(X_0)dW,\quad [\varepsilon^1]b(X^\varepsilon)=\nabla b(X_0)X_1,\ [\varepsilon^1]\sigma(X^\varepsilon)=\nabla\sigma(X_0)X_1"
    ),
    note=(
        r"$X^\varepsilon=X_0+\varepsilon X_1+\varepsilon^2X_2$ with $b$, $\sigma$ undefined ($l=d$); $[\varepsilon^k]$ is the $k$-th Taylor coefficient at $\varepsilon=0$, "
        r"computed by sympy. $X_2$ enters only at order $\varepsilon^2$, as the slide's $O(\varepsilon^2)$ says."
    ),
    scope="d = 1, 2 with l = d (each coordinate's coefficient is a chain rule in the d arguments)",
)

register(
    Entry(
        id="bruna.asymptotic-expansion",
        title="Stochastic asymptotic expansion: the equations for X0 and X1 by identifying orders in epsilon",
        where="SGD DYNAMICS (1st slide)",
        statement=(
            r"We obtained an SDE of the form $dX_t^{(\epsilon)}=b(X_t^{(\epsilon)})dt+\epsilon\sigma(X_t^{(\epsilon)})dW_t$, with $\epsilon\ll1$. "
            r"Stochastic Asymptotic Expansions consider $X_t^{(\epsilon)}=X_{0,t}+\epsilon X_{1,t}+\epsilon^2X_{2,t}+\dots$, "
            r"$b(X_t^{(\epsilon)})=b(X_{0,t})+\epsilon\nabla b(X_{0,t})X_{1,t}+O(\epsilon^2)$, $\sigma(X_t^{(\epsilon)})=\sigma(X_{0,t})+\epsilon\nabla\sigma(X_{0,t})X_{1,t}+O(\epsilon^2)$. "
            r"Identifying terms with same order we obtain $dX_{0,t}=b(X_{0,t})dt$, $dX_{1,t}=\nabla b(X_{0,t})X_{1,t}dt+\sigma(X_{0,t})dW_t$."
        ),
        hypotheses=[r"$b$, $\sigma$ smooth"],
        checks=[orders],
        status=Status.VERIFIED,
        reading=(
            r"'Identifying terms with same order' is read as equating the coefficients of $\varepsilon^0$ and $\varepsilon^1$ of both sides of the SDE, "
            r"$dX^\varepsilon=dX_0+\varepsilon dX_1+\dots$; $\nabla b(X_0)X_1$ is the Jacobian of $b$ at $X_0$ applied to $X_1$ and $\nabla\sigma(X_0)X_1$ the "
            r"matrix $\big(\sum_j\partial_j\sigma_{ik}(X_0)X_{1,j}\big)_{ik}$. The formal expansion is what is checked; its validity (remainders of order "
            r"$\varepsilon^2$ in mean square on $[0,T]$) is the cited result [Freidlin et al. '12], not encoded."
        ),
    )
)
