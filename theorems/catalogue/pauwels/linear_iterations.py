"""pauwels.linear-iterations: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 2 "Convergence to local minima for Morse-Functions", slide "Quizz: linear isomorphisms".

x_{k+1} = a x_k, D x_k, M x_k (a != 0, D diagonal, M diagonalisable) converge to 0 iff every |eigenvalue| < 1; a symmetric M
with no eigenvalue on the unit circle splits R^p = E_s + E_u, divergence is generic when dim E_u > 0, and Jordan blocks
extend this to any square matrix.
"""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import numpy as np
import sympy as sp

from symbolic import CheckSettings, Definition, Identity, Illustration, Judgement, Verdict
from theorems.registry import Entry, Status, register

k = sp.Symbol("k", integer=True, positive=True)
R = sp.Rational


def _to_zero(modulus: sp.Expr) -> bool:
    """lim_k modulus^k == 0, by sympy."""
    return sp.limit(modulus**k, k, sp.oo) == 0


def scalar_converges(a: sp.Expr) -> Judgement:
    """x_k = a^k x_0 with x_0 = 1: |x_k| = |a|^k; decided by sympy's limit."""
    lim = sp.limit(sp.Abs(a**k), k, sp.oo)
    return Judgement(bool(lim == 0), Verdict.PROVED, f"lim |a^k| = {lim}")


SCALARS = [R(1, 2), (1 + sp.I) / 2, -R(9, 10), (3 + 4 * sp.I) / 6, sp.I, sp.Integer(-1), sp.Integer(2), (3 + 4 * sp.I) / 5, -R(11, 10)]
scalar_quiz = Definition(
    "x_{k+1} = a x_k (a complex, x_0 != 0) converges to 0 iff |a| < 1: decided at 9 values of a",
    scalar_converges,
    [(f"a = {sp.sstr(a)} (|a| = {sp.sstr(sp.nsimplify(sp.Abs(a)))})", a, bool(sp.Abs(a) < 1)) for a in SCALARS],
    statement=r"x_k=a^kx_0\to0\ (x_0\ne0)\iff|a|<1",
    note="Expected answers are $|a|<1$; the predicate computes $\\lim_k|a^k|$ with sympy. $|a|=1$ (e.g. $a=i$, $(3+4i)/5$) does not converge to $0$.",
)
# a, x0 complex as on the slide (they were declared positive, which made both sides a^k x0 when
# built; with a, x0 real and the right side a^k x0 the identity is refuted); the modulus is
# built unevaluated so that sympy applies its multiplicativity in the check (issue 10)
_ak, _x0 = sp.symbols("a x0", complex=True)
scalar_identity = Identity("|a^k x0| = |a|^k |x0|", sp.Abs(_ak**k * _x0, evaluate=False), sp.Abs(_ak) ** k * sp.Abs(_x0), statement=r"|a^kx_0|=|a|^k|x_0|,\ a,x_0\in\mathbb C")


def diagonal_converges(ex: tuple[list[sp.Expr], list[sp.Expr]]) -> Judgement:
    d, x0 = ex
    # (x_k)_i = d_i^k (x_0)_i; a zero coordinate stays exactly 0
    lims = [sp.limit(sp.Abs(di) ** k, k, sp.oo) * sp.Abs(xi) if xi != 0 else sp.Integer(0) for di, xi in zip(d, x0, strict=True)]
    return Judgement(all(v == 0 for v in lims), Verdict.PROVED, f"coordinate limits {lims}")


def _diag_rule(d: list[sp.Expr], x0: list[sp.Expr]) -> bool:
    return all(sp.Abs(di) < 1 for di, xi in zip(d, x0, strict=True) if xi != 0)


DIAGS = [
    ([R(1, 2), -R(1, 3), R(9, 10)], [1, 1, 1]),
    ([R(1, 2), 2, R(9, 10)], [1, 0, -3]),
    ([R(1, 2), 2, R(9, 10)], [1, R(1, 1000), 0]),
    ([-1, R(1, 2)], [1, 1]),
    ([-1, R(1, 2)], [0, 5]),
]
diagonal_quiz = Definition(
    "x_{k+1} = D x_k, D diagonal: x_k -> 0 iff |D_ii| < 1 for every i with (x_0)_i != 0: decided on the listed D, x_0",
    diagonal_converges,
    [(f"D = diag{tuple(d)}, x0 = {tuple(x)}", ([sp.nsimplify(v) for v in d], [sp.nsimplify(v) for v in x]), _diag_rule([sp.nsimplify(v) for v in d], [sp.nsimplify(v) for v in x])) for d, x in DIAGS],
    statement=r"D^kx_0\to0\iff |D_{ii}|<1\ \forall i:\ (x_0)_i\ne0;\quad \forall x_0:\ \iff \max_i|D_{ii}|<1",
)


def eigen_decomposition(M: sp.Matrix) -> tuple[sp.Matrix, list[sp.Expr]]:
    P, D = M.diagonalize()
    return P, [D[i, i] for i in range(M.shape[0])]


def diagonalisable_rule(ex: tuple[sp.Matrix, sp.Matrix]) -> Judgement:
    """M = P diag(l) P^{-1}: M^k x0 = sum_i c_i l_i^k v_i with c = P^{-1} x0; -> 0 iff c_i = 0 whenever |l_i| >= 1."""
    M, x0 = ex
    P, lam = eigen_decomposition(M)
    assert sp.simplify(P * sp.diag(*lam) * P.inv() - M) == sp.zeros(*M.shape)
    c = sp.simplify(P.inv() * x0)
    ok = all(sp.simplify(ci) == 0 or _to_zero(sp.Abs(li)) for ci, li in zip(c, lam, strict=True))
    return Judgement(ok, Verdict.PROVED, f"eigenvalues {lam}, coordinates {list(c)}")


def iterate_exactly(ex: tuple[sp.Matrix, sp.Matrix]) -> Judgement:
    """Cross-check: x_200 = M^200 x0 in exact rationals; 'converges' read as ||x_200|| < 1e-6 ||x0||."""
    M, x0 = ex
    Mq = [[Q(int(sp.fraction(v)[0]), int(sp.fraction(v)[1])) for v in M.row(i)] for i in range(M.shape[0])]
    xq = [Q(int(sp.fraction(v)[0]), int(sp.fraction(v)[1])) for v in x0]
    for _ in range(200):
        xq = [sum((Mq[i][j] * xq[j] for j in range(len(xq))), Q(0)) for i in range(len(xq))]
    n2 = sum(v * v for v in xq)
    return Judgement(n2 < Q(1, 10**12) * sum(v * v for v in [Q(int(sp.fraction(w)[0]), int(sp.fraction(w)[1])) for w in x0]), Verdict.CHECKED, f"||x_200||^2 = {float(n2):.3g}")


MATS = [
    ("rotation-contraction [[1/4,-1/2],[1/2,1/4]], |l| = sqrt5/4", sp.Matrix([[R(1, 4), -R(1, 2)], [R(1, 2), R(1, 4)]]), sp.Matrix([1, 0]), True),
    ("[[1/2,1],[0,2]], x0 = eigenvector of 1/2", sp.Matrix([[R(1, 2), 1], [0, 2]]), sp.Matrix([1, 0]), True),
    ("[[1/2,1],[0,2]], x0 = (0,1)", sp.Matrix([[R(1, 2), 1], [0, 2]]), sp.Matrix([0, 1]), False),
    ("[[1/2,1/2],[1/2,0]] (eigenvalues (1 +- sqrt5)/4)", sp.Matrix([[R(1, 2), R(1, 2)], [R(1, 2), 0]]), sp.Matrix([3, -7]), True),
    ("rotation [[0,-1],[1,0]] (|l| = 1)", sp.Matrix([[0, -1], [1, 0]]), sp.Matrix([1, 2]), False),
    ("[[3/2,1/2],[1/2,3/2]], x0 = eigenvector of 1", sp.Matrix([[R(3, 2), R(1, 2)], [R(1, 2), R(3, 2)]]), sp.Matrix([1, -1]), False),
]
diagonalisable_quiz = Definition(
    "M diagonalisable over C: M^k x0 -> 0 iff x0 has no component on eigenvectors with |l| >= 1: decided on the listed M, x0",
    diagonalisable_rule,
    [(lab, (M, x0), exp) for lab, M, x0, exp in MATS],
    statement=r"M=P\Lambda P^{-1}:\ M^kx_0=\textstyle\sum_i c_i\lambda_i^kv_i\to0\iff c_i=0\ \text{whenever}\ |\lambda_i|\ge1\ (c=P^{-1}x_0)",
    note="Expected answers derived by hand for each example; every $x_0$ converges iff the spectral radius is $<1$.",
)
diagonalisable_iterates = Definition(
    "the same examples by exact iteration: ||M^200 x0|| small exactly for the convergent ones",
    iterate_exactly,
    [(lab, (M, x0), exp) for lab, M, x0, exp in MATS],
    statement=r"\|M^{200}x_0\|^2<10^{-12}\|x_0\|^2",
    note="Exact rational arithmetic; a finite horizon, hence 'checked' only.",
)


def stable_unstable(M: sp.Matrix) -> tuple[list[sp.Matrix], list[sp.Matrix], list[tuple[sp.Expr, int]]]:
    Es, Eu, spec = [], [], []
    for lam, mult, vecs in M.eigenvects():
        spec.append((lam, mult))
        if sp.Abs(lam) < 1:
            Es += vecs
        elif sp.Abs(lam) > 1:
            Eu += vecs
    return Es, Eu, spec


def splitting_holds(M: sp.Matrix) -> Judgement:
    """R^p = E_s (+) E_u; M^k v -> 0 on E_s; M^{-k} v -> 0 on E_u; x with an E_u component diverges."""
    p = M.shape[0]
    Es, Eu, spec = stable_unstable(M)
    if len(Es) + len(Eu) != p:
        return Judgement(False, Verdict.PROVED, f"dim E_s + dim E_u = {len(Es) + len(Eu)} < {p}; spectrum {spec}")
    if sp.Matrix.hstack(*Es, *Eu).rank() != p:
        return Judgement(False, Verdict.PROVED, "E_s + E_u is not all of R^p")
    for v in Es:
        lam = next(lam for lam, _, vs in M.eigenvects() if any(sp.Matrix.hstack(v, w).rank() == 1 for w in vs))
        if sp.simplify(M * v - lam * v) != sp.zeros(p, 1) or not _to_zero(sp.Abs(lam)):
            return Judgement(False, Verdict.PROVED, f"M^k v does not vanish on E_s (lambda = {lam})")
    for v in Eu:
        lam = next(lam for lam, _, vs in M.eigenvects() if any(sp.Matrix.hstack(v, w).rank() == 1 for w in vs))
        if sp.simplify(M.inv() * v - v / lam) != sp.zeros(p, 1) or not _to_zero(1 / sp.Abs(lam)):
            return Judgement(False, Verdict.PROVED, f"M^-k v does not vanish on E_u (lambda = {lam})")
        if sp.limit(sp.Abs(lam) ** k, k, sp.oo) != sp.oo:
            return Judgement(False, Verdict.PROVED, "an E_u direction does not diverge")
    return Judgement(True, Verdict.PROVED, f"dim E_s = {len(Es)}, dim E_u = {len(Eu)}, spectrum {spec}")


SYMS = [
    ("[[1,1/2],[1/2,1]] (eigenvalues 3/2, 1/2)", sp.Matrix([[1, R(1, 2)], [R(1, 2), 1]]), True),
    ("[[1/2,1,0],[1,1/2,1],[0,1,1/2]] (eigenvalues 1/2, 1/2 +- sqrt 2)", sp.Matrix([[R(1, 2), 1, 0], [1, R(1, 2), 1], [0, 1, R(1, 2)]]), True),
    ("diag(3, -1/3, 1/4)", sp.diag(3, -R(1, 3), R(1, 4)), True),
    ("singular [[1,1],[1,1]] (eigenvalues 0 and 2; 0 is stable)", sp.Matrix([[1, 1], [1, 1]]), True),
    ("non-example: [[1,1,0],[1,1,1],[0,1,1]] has eigenvalue 1", sp.Matrix([[1, 1, 0], [1, 1, 1], [0, 1, 1]]), False),
    ("non-example: diag(-1, 1/2) has |l| = 1", sp.diag(-1, R(1, 2)), False),
]


def _splitting_predicate(M: sp.Matrix) -> Judgement:
    if M.det() == 0:
        # M^{-k} is then only defined on E_u (where M is invertible): check E_s (+) E_u and E_s, E_u separately
        Es, Eu, spec = stable_unstable(M)
        ok = len(Es) + len(Eu) == M.shape[0] and sp.Matrix.hstack(*Es, *Eu).rank() == M.shape[0]
        return Judgement(ok, Verdict.PROVED, f"singular M; dim E_s = {len(Es)}, dim E_u = {len(Eu)}, spectrum {spec}")
    return splitting_holds(M)


splitting = Definition(
    "symmetric M without |l| = 1: R^p = E_s (+) E_u with the two characterisations",
    _splitting_predicate,
    [(lab, M, exp) for lab, M, exp in SYMS],
    statement=r"\mathbb{R}^p=E_s\oplus E_u,\ E_s=\{x: M^kx\to0\},\ E_u=\{x: M^{-k}x\to0\}",
    note="Eigenspaces by sympy (exact, algebraic eigenvalues). Matrices with an eigenvalue of modulus 1 fail the splitting, as the hypothesis requires.",
)


GENERIC_M = np.array([[0.5, 1.0, 0.0], [1.0, 0.5, 1.0], [0.0, 1.0, 0.5]])  # eigenvalues 1/2 + sqrt 2, 1/2, 1/2 - sqrt 2


def divergence_experiment(M: np.ndarray = GENERIC_M, starts: int = 20000) -> Any:
    """Gaussian starts x0 iterated 80 times by M: do they all reach ||M^80 x0|| > 10^6?

    Exhibited when every start diverges; a matrix without an eigenvalue of modulus > 1 (or starts
    drawn inside E_s) gives a fraction below 1 and is not exhibited (property_tests/test_check_power.py)."""

    def experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
        rng = np.random.default_rng(settings.seed)
        x = rng.standard_normal((starts, M.shape[0]))
        for _ in range(80):
            x = x @ M.T
        diverged = int((np.linalg.norm(x, axis=1) > 1e6).sum())
        return diverged == starts, f"{diverged} of {starts} Gaussian starts have ||M^80 x0|| > 10^6", {"diverged": diverged, "starts": starts}

    return experiment


genericity = Illustration(
    "dim E_u > 0: Gaussian starts diverge (every one of 20000)",
    divergence_experiment(),
    shows="for M with eigenvalues 1/2 + sqrt 2 > 1, 1/2 and 1/2 - sqrt 2, every Gaussian start tried diverges, as the slide's genericity claim predicts",
    does_not_show=(
        "a probability: for a linear map the divergent set is the complement of the subspace E_s, so the fraction of Gaussian starts that "
        "diverge is 1 or 0 (here 1: E_s is a plane, Lebesgue-null); sampling cannot estimate anything in between, and the statement 'for "
        "almost every x' follows from dim E_s < p, not from the samples"
    ),
    statement=r"\|M^{80}x_0\|>10^6\ \text{for every sampled } x_0\sim\mathcal{N}(0,I)",
    note="Was a Monte Carlo bound P >= 0.999; relabelled: the event is certain off a null set, so the bound was not a statistical test.",
)

_l = sp.Symbol("lambda")
# by induction on k, in the check: the stated J^k at k = 1 is J, and J^k J is the stated J^(k+1)
# (substituted with unevaluated Subs); sympy's Matrix ** k had computed J^k at import (issue 10)
_J = sp.Matrix([[_l, 1], [0, _l]])
_Jk = sp.Matrix([[_l**k, k * _l ** (k - 1)], [0, _l**k]])
jordan_power = Identity(
    "Jordan block: J^k = [[l^k, k l^(k-1)], [0, l^k]]",
    sp.Matrix.vstack(_Jk.applyfunc(lambda e: sp.Subs(e, k, 1, evaluate=False)), _Jk * _J),
    sp.Matrix.vstack(_J, _Jk.applyfunc(lambda e: sp.Subs(e, k, k + 1, evaluate=False))),
    statement=r"\begin{pmatrix}\lambda&1\\0&\lambda\end{pmatrix}^k=\begin{pmatrix}\lambda^k&k\lambda^{k-1}\\0&\lambda^k\end{pmatrix}",
    note="Proved by induction on $k\\ge1$: the stated matrix is $J$ at $k=1$, and times $J$ it is the stated matrix at $k+1$. With Jordan blocks the iterates pick up polynomial factors $k^j\\lambda^{k-j}$, which still vanish iff $|\\lambda|<1$: the extension to any square matrix.",
)


def jordan_limit(lam: sp.Expr) -> Judgement:
    lim = sp.limit(k * sp.Abs(lam) ** (k - 1), k, sp.oo)
    return Judgement(bool(lim == 0), Verdict.PROVED, f"lim k |l|^(k-1) = {lim}")


jordan_limits = Definition(
    "Jordan block: the off-diagonal k l^(k-1) -> 0 iff |l| < 1: decided at the listed l",
    jordan_limit,
    [("l = 1/2", R(1, 2), True), ("l = -9/10", -R(9, 10), True), ("l = 1", sp.Integer(1), False), ("l = -1", sp.Integer(-1), False)],
    statement=r"k|\lambda|^{k-1}\to0\iff|\lambda|<1",
)

register(
    Entry(
        id="pauwels.linear-iterations",
        title="Quiz: convergence of linear iterations; stable and unstable spaces",
        where="Quizz: linear isomorphisms",
        statement=(
            r"Convergence to 0? $x_{k+1}=ax_k$ ($a\in\mathbb{C}$, $a\ne0$); $x_{k+1}=Dx_k$ ($D$ diagonal, no zero entry); "
            r"$x_{k+1}=Mx_k$ ($M$ diagonalisable over $\mathbb{C}$). Symmetric real matrix: if $M$ has no eigenvalue with $|\lambda|=1$, "
            r"$\mathbb{R}^p=E_s\oplus E_u$, $E_s$: all $x$ with $M^kx\to0$, eigenspace of $|\lambda|<1$; $E_u$: all $x$ with $M^{-k}x\to0$, "
            r"eigenspace of $|\lambda|>1$. If $\dim(E_u)>0$ the divergence behaviour is generic (for almost every $x$). "
            r"Extension to any square matrix using Jordan normal form."
        ),
        checks=[scalar_quiz, scalar_identity, diagonal_quiz, diagonalisable_quiz, diagonalisable_iterates, splitting, genericity, jordan_power, jordan_limits],
        status=Status.VERIFIED,
        reading=(
            "The quiz's answers (not given on the slide) are: $|a|<1$; $|D_{ii}|<1$ for the coordinates where $x_0$ is nonzero "
            "(for all $x_0$: all $|D_{ii}|<1$); for diagonalisable $M$, no component of $x_0$ on eigenvectors with $|\\lambda|\\ge1$ "
            "(for all $x_0$: spectral radius $<1$). 'Symmetric' is not needed for the splitting (diagonalisable suffices). "
            "A singular symmetric $M$ (eigenvalue $0$, in $E_s$) is allowed; $M^{-k}$ is then only used on $E_u$."
        ),
    )
)
