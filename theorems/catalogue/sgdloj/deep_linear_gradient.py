"""sgdloj.deep-linear-gradient: Appendix A, Remark A.1, (A.5)-(A.6).

For the deep linear network W_L ... W_1 x (A.5), dF/dW_l = (2/n) sum_i W_{l+1}^T ... W_L^T
(W_L ... W_1 x_i - y_i) x_i^T W_1^T ... W_{l-1}^T (A.6), with the empty products read as identities;
checked entrywise by sympy for three architectures."""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from symbolic import Identity
from symbolic.lazy_identity import LazyIdentity
from theorems.registry import Entry, Status, register


def _deep_linear_sides(dims: Sequence[int], n: int, l: int) -> tuple[sp.Expr, sp.Expr]:
    """<dF/dW_l, T> and <(A.6), T> for a matrix T of free symbols (sympy derivative, left unevaluated
    and taken in the check, vs the formula)."""
    Ld = len(dims) - 1
    Ws = [sp.Matrix(dims[m + 1], dims[m], lambda i, j, m=m: sp.Symbol(f"a{m + 1}_{i}{j}", real=True)) for m in range(Ld)]
    xs = [sp.Matrix(dims[0], 1, lambda i, j, k=k: sp.Symbol(f"x{k}_{i}", real=True)) for k in range(n)]
    ys = [sp.Symbol(f"y{k}", real=True) for k in range(n)]

    def prod(mats: Sequence[sp.Matrix], size: int) -> sp.Matrix:
        out = sp.eye(size)  # the empty product is the identity
        for M in mats:
            out = out * M
        return out

    full = prod(list(reversed(Ws)), dims[-1])  # W_L ... W_1
    F = sum((((full * x)[0, 0] - y) ** 2 for x, y in zip(xs, ys, strict=True)), sp.Integer(0)) / n
    W = Ws[l - 1]
    grad = W.applyfunc(lambda w: sp.Derivative(F, w))  # differentiated in the check (issue 10)
    left = prod([Ws[m - 1].T for m in range(l + 1, Ld + 1)], dims[l])  # W_{l+1}^T ... W_L^T
    right = prod([Ws[m - 1].T for m in range(1, l)], dims[0])  # W_1^T ... W_{l-1}^T
    formula = sp.zeros(*W.shape)
    for x, y in zip(xs, ys, strict=True):
        formula += left * ((full * x)[0, 0] - y) * x.T * right
    formula = formula * sp.Rational(2, n)
    # a generic linear functional of the matrix difference: zero for all T iff every entry agrees
    ts = sp.Matrix(*W.shape, lambda i, j: sp.Symbol(f"t{l}_{i}{j}", real=True))
    pair = lambda M: sum((M[i, j] * ts[i, j] for i in range(W.rows) for j in range(W.cols)), sp.Integer(0))  # noqa: E731
    return pair(grad), pair(formula)


def _deep_linear_identities(dims: Sequence[int], n: int) -> list[Identity]:
    """(A.6) for every layer l of a deep linear network with widths ``dims`` and n inputs."""
    Ld = len(dims) - 1
    return [
        LazyIdentity(
            f"(A.6) for l = {l}, L = {Ld}, widths {tuple(dims)}, n = {n}",
            lambda l=l: _deep_linear_sides(dims, n, l),
            note="Entrywise: both sides are paired with a matrix of free symbols $t_{jk}$, so the identity holds iff every entry agrees.",
            statement=rf"\frac{{\partial F}}{{\partial W_{l}}}=\frac2n\sum_iW_{{{l + 1}}}^\top\cdots W_{Ld}^\top(W_{Ld}\cdots W_1x_i-y_i)x_i^\top W_1^\top\cdots W_{{{l - 1}}}^\top",
        )
        for l in range(1, Ld + 1)
    ]


register(
    Entry(
        id="sgdloj.deep-linear-gradient",
        title="Remark A.1: the gradient of F for deep linear networks",
        where="Appendix A, Remark A.1 (A.5)-(A.6)",
        statement=(
            r"Deep linear network $\tilde\varphi(\theta,x):=W_LW_{L-1}\cdots W_1x$ (A.5). The partial derivative of $F$ with respect to $W_l$, for each $2\le l\le L$, is "
            r"$\frac{\partial F}{dW_l}=\frac2n\sum_{i=1}^nW_{l+1}^\top\cdots W_L^\top(W_LW_{L-1}\cdots W_1x_i-y_i)x_i^\top W_1^\top\cdots W_{l-1}^\top$ (A.6), "
            r"and when $l=L$, we take $W_{L+1}^\top W_L^\top$ as an identity matrix by convention."
        ),
        hypotheses=[r"biases zero, activations identity", r"$d_L=1$"],
        checks=[*_deep_linear_identities((2, 2, 1), 2), *_deep_linear_identities((2, 2, 2, 1), 2), *_deep_linear_identities((3, 2, 2, 1), 2)],
        status=Status.VERIFIED,
        reading=(
            r"The convention must mean that the leading factor $W_{l+1}^\top\cdots W_L^\top$ is the empty product (the $1\times1$ identity, as $d_L=1$) when $l=L$; "
            r"read literally, $W_{L+1}^\top W_L^\top=I$ would leave a factor $W_L^\top$ of the wrong shape. With the same convention for the trailing empty product $W_1^\top\cdots W_0^\top$ "
            r"the formula also holds for $l=1$ (checked). $\partial F/dW_l$ is read as the matrix of partial derivatives $\partial F/\partial(W_l)_{jk}$."
        ),
    )
)
