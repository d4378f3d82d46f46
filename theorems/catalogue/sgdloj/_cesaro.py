"""The Cesaro identity (4.19) of the proof of Theorem 4.4 (Section 4 of arXiv 2304.09221), as sympy sums.

With a_k = |Z_k|, T(n) = sum_{k<=n} a_k/k and R(n) = sum_{k<=n} (n+1-k) a_k/k:
(1/n) sum_{j<=n} T(j) = R(n)/n = T(n) + T(n)/n - (1/n) sum_{k<=n} a_k. The sums are left
unevaluated when built and are done in the checks.
"""

from __future__ import annotations

import sympy as sp

from symbolic import Derivation, Identity, Step

A_SEQ = sp.IndexedBase("a")
K_IDX = sp.Symbol("k", integer=True, positive=True)
N_SYM = sp.Symbol("n", integer=True, positive=True)
_WEIGHTS = sp.symbols("w1:11")


def weighted_sums_n_1_to_10(which: int) -> tuple[sp.Expr, sp.Expr]:
    """Weighted sums over n = 1..10 of the two equalities of (4.19) in a_1..a_10 (=|Z_k|); the sums are
    unevaluated sp.Sum, done in the check (issue 10: sympy had collected them at import)."""
    lhs, rhs = sp.Integer(0), sp.Integer(0)
    for n in range(1, 11):
        avg = sp.Add(*(sp.Sum(A_SEQ[K_IDX] / K_IDX, (K_IDX, 1, j)) for j in range(1, n + 1))) / n
        mid = sp.Sum((n + 1 - K_IDX) * A_SEQ[K_IDX] / K_IDX, (K_IDX, 1, n)) / n
        last = sp.Sum(A_SEQ[K_IDX] / K_IDX, (K_IDX, 1, n)) + sp.Sum(A_SEQ[K_IDX] / K_IDX, (K_IDX, 1, n)) / n - sp.Sum(A_SEQ[K_IDX], (K_IDX, 1, n)) / n
        pair = (avg, mid) if which == 1 else (mid, last)
        lhs += _WEIGHTS[n - 1] * pair[0]
        rhs += _WEIGHTS[n - 1] * pair[1]
    return lhs, rhs


def R_sum(m: sp.Expr) -> sp.Expr:
    """R(m) = sum_{k=1}^m (m+1-k) a_k/k, unevaluated (the middle term of (4.19) times m)."""
    return sp.Sum((m + 1 - K_IDX) * A_SEQ[K_IDX] / K_IDX, (K_IDX, 1, m))


def T_sum(m: sp.Expr) -> sp.Expr:
    """T(m) = sum_{k=1}^m a_k/k, unevaluated (the partial sum of (4.17))."""
    return sp.Sum(A_SEQ[K_IDX] / K_IDX, (K_IDX, 1, m))


def _one_term_sum(f: sp.Expr, m: sp.Expr) -> sp.Expr:
    """The one-term sum sum_{k=m}^{m} f(k), left unevaluated (sympy takes it in the check)."""
    return sp.Sum(f, (K_IDX, m, m))


def induction_step() -> Derivation:
    """The inductive step of (4.19)'s first equality, for a symbolic n (a real induction with
    the base case below): R(n+1) = R(n) + T(n+1), R(n) = sum_k (n+1-k) a_k/k, T(n) = sum_k a_k/k."""
    g = (N_SYM + 2 - K_IDX) * A_SEQ[K_IDX] / K_IDX
    last = A_SEQ[N_SYM + 1] / (N_SYM + 1)
    split = sp.Sum(g, (K_IDX, 1, N_SYM)) + _one_term_sum(g, N_SYM + 1)
    explicit = sp.Sum(g, (K_IDX, 1, N_SYM)) + last
    linear = R_sum(N_SYM) + T_sum(N_SYM) + last
    regroup = R_sum(N_SYM) + T_sum(N_SYM) + _one_term_sum(A_SEQ[K_IDX] / K_IDX, N_SYM + 1)
    return Derivation(
        "(4.19) first equality, inductive step for symbolic n: R(n+1) = R(n) + T(n+1) with R(n) = sum_k (n+1-k) a_k/k",
        start=R_sum(N_SYM + 1),
        steps=[
            Step("=", split, r"split off the term $k=n+1$", check=Identity("split off the last term of R(n+1)", R_sum(N_SYM + 1), split)),
            Step("=", explicit, r"the term $k=n+1$ is $\frac{a_{n+1}}{n+1}$", check=Identity("the last term of R(n+1)", split, explicit)),
            Step("=", linear, r"$(n+2-k)=(n+1-k)+1$, linearity", check=Identity("linearity step", explicit, linear)),
            Step("=", regroup, r"$\frac{a_{n+1}}{n+1}$ is the term $k=n+1$ of $T$", check=Identity("the last term of T(n+1)", linear, regroup)),
            Step("=", R_sum(N_SYM) + T_sum(N_SYM + 1), r"$T(n)+\frac{a_{n+1}}{n+1}=T(n+1)$", check=Identity("T(n+1) split", regroup, R_sum(N_SYM) + T_sum(N_SYM + 1))),
        ],
        note=r"With the base case $R(1)=a_1=T(1)$ (checked beside it) this gives $\sum_{j=1}^nT(j)=R(n)$ for every $n\ge1$ by induction, i.e. $\frac1n\sum_{j=1}^n\sum_{k=1}^j\frac{a_k}k=\frac1n\sum_{k=1}^n\frac{n+1-k}ka_k$.",
    )


base_case = Identity(
    "(4.19) first equality, base case n = 1: T(1) = R(1)",
    T_sum(sp.Integer(1)),
    R_sum(sp.Integer(1)),
    statement=r"\sum_{j=1}^1T(j)=T(1)=\frac{a_1}1=\sum_{k=1}^1\frac{1+1-k}ka_k=R(1)",
)
