"""Pauwels, section 2 (convergence to local minima for Morse functions): the linear-iteration
quiz, the stable manifold theorem and the avoidance of Morse saddles by gradient descent.
"""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import numpy as np
import sympy as sp

from symbolic import (
    CheckSettings,
    Definition,
    Identity,
    Illustration,
    Implication,
    Judgement,
    MonteCarlo,
    Verdict,
)
from theorems.registry import Entry, Status, register

k = sp.Symbol("k", integer=True, positive=True)
R = sp.Rational


# ====================================================================== the quiz

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


# ====================================================================== stable manifold theorem

xs, ys = sp.symbols("x y", real=True)


def gradient_map(F: sp.Expr, alpha: sp.Expr) -> sp.Matrix:
    return sp.Matrix([xs, ys]) - alpha * sp.Matrix([sp.diff(F, xs), sp.diff(F, ys)])


def smt_hypotheses(ex: tuple[sp.Matrix, tuple[sp.Expr, sp.Expr]]) -> Judgement:
    """T(xbar) = xbar, grad T(xbar) invertible, no eigenvalue on the unit circle, one of modulus > 1."""
    T, xbar = ex
    sub = {xs: xbar[0], ys: xbar[1]}
    if sp.simplify(T.subs(sub) - sp.Matrix(xbar)) != sp.zeros(2, 1):
        return Judgement(False, Verdict.PROVED, "xbar is not a fixed point")
    J = T.jacobian([xs, ys]).subs(sub)
    if J.det() == 0:
        return Judgement(False, Verdict.PROVED, "not a local diffeomorphism at xbar")
    mods = [sp.nsimplify(sp.Abs(lam)) for lam in J.eigenvals(multiple=True)]
    ok = all(sp.simplify(m - 1) != 0 for m in mods) and any(m > 1 for m in mods)
    dim_s = sum(1 for m in mods if m < 1)
    return Judgement(ok, Verdict.PROVED, f"|eigenvalues| {mods}, dim E_s = {dim_s}")


def dim_stable_below_p(ex: tuple[sp.Matrix, tuple[sp.Expr, sp.Expr]]) -> Judgement:
    T, xbar = ex
    J = T.jacobian([xs, ys]).subs({xs: xbar[0], ys: xbar[1]})
    mods = [sp.Abs(lam) for lam in J.eigenvals(multiple=True)]
    dim_s = sum(1 for m in mods if m < 1)
    return Judgement(dim_s < 2, Verdict.PROVED, f"dim E_s = {dim_s}, p = 2")


ALPHA = R(1, 10)
F_QUAD = (xs**2 - ys**2) / 2
F_MORSE = xs**2 / 2 - ys**2 / 2 + ys**4 / 4 + xs**2 * ys
SMT_EXAMPLES = [
    ("gradient map of (x^2 - y^2)/2 at 0 (saddle)", (gradient_map(F_QUAD, ALPHA), (0, 0)), True),
    ("gradient map of x^2/2 - y^2/2 + y^4/4 + x^2 y at 0 (Morse saddle)", (gradient_map(F_MORSE, ALPHA), (0, 0)), True),
    ("the same at (0, -1), a second saddle", (gradient_map(F_MORSE, ALPHA), (0, -1)), True),
    ("non-example: the same at its minimum (0, 1)", (gradient_map(F_MORSE, ALPHA), (0, 1)), False),
    ("non-example: rotation (eigenvalues on the unit circle)", (sp.Matrix([-ys, xs]), (0, 0)), False),
    ("non-example: (0,1) is not a fixed point of the quadratic gradient map", (gradient_map(F_QUAD, ALPHA), (0, 1)), False),
]
smt_predicate = Definition(
    "hypotheses of the stable manifold theorem as a predicate on (T, xbar)",
    smt_hypotheses,
    SMT_EXAMPLES,
    statement=r"T(\bar x)=\bar x,\ \det\nabla T(\bar x)\ne0,\ |\lambda|\ne1\ \forall\lambda\in\mathrm{sp}(\nabla T(\bar x)),\ \exists\lambda:|\lambda|>1",
    note="$T$ is a gradient map $x\\mapsto x-\\alpha\\nabla F(x)$ with $\\alpha=1/10$ (a local diffeomorphism near the points considered); eigenvalues exact.",
)
smt_dimension = Definition(
    "in particular dim E_s < p at the listed saddles (W^s itself is not computed)",
    dim_stable_below_p,
    [(lab, ex, True) for lab, ex, exp in SMT_EXAMPLES if exp]
    + [("non-example: at a minimum every direction is stable, dim E_s = p", (gradient_map(F_MORSE, ALPHA), (0, 1)), False)],
    statement=r"\dim W^s(T,\bar x)=\dim E_s<p",
)


def quadratic_saddle_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    a = float(ALPHA)
    on = np.array([[0.3, 0.0], [-0.2, 0.0]])
    off = on + np.array([[0.0, 1e-10], [0.0, -1e-10]])
    norms_on, norms_off = [float(np.linalg.norm(on[0]))], [float(np.linalg.norm(off[0]))]
    for _ in range(400):
        on = on - a * np.column_stack([on[:, 0], -on[:, 1]])
        off = off - a * np.column_stack([off[:, 0], -off[:, 1]])
        norms_on.append(float(np.linalg.norm(on[0])))
        norms_off.append(min(float(np.linalg.norm(off[0])), 1e6))
    ok = bool(np.all(np.linalg.norm(on, axis=1) < 1e-15) and np.all(np.linalg.norm(off, axis=1) > 1))
    figure = {
        "kind": "lines",
        "series": [{"label": "start on y = 0 (W^s)", "y": norms_on[::4]}, {"label": "start 1e-10 off y = 0", "y": norms_off[::4]}],
        "xlabel": "k / 4",
        "ylabel": "|x_k|",
        "logy": True,
    }
    return ok, f"on y=0: |x_400| = {np.linalg.norm(on, axis=1)}; 1e-10 off: |x_400| = {np.linalg.norm(off, axis=1)}", {"figure": figure}


smt_quadratic = Illustration(
    "quadratic saddle: W^s is the line y = 0",
    quadratic_saddle_experiment,
    shows="for $F=(x^2-y^2)/2$, $T(x,y)=((1-\\alpha)x,(1+\\alpha)y)$: points on $y=0$ converge to the saddle, points $10^{-10}$ off it escape; $W^s=E_s$ is a line, of dimension $1<2$",
    does_not_show="anything beyond this linear example (where $W^s$ is exactly the stable eigenspace)",
    statement=r"W^s(T,0)=\{y=0\},\ T(x,y)=((1-\alpha)x,(1+\alpha)y)",
)


def _T_morse(p: np.ndarray, a: float) -> np.ndarray:
    x, y = p
    return np.array([x - a * (x + 2 * x * y), y - a * (-y + y**3 + x**2)])


def _stable_height(x0: float, a: float) -> float:
    """The y with (x0, y) on the local stable manifold, by bisection on the escape direction."""
    lo, hi = -0.2, 0.2
    for _ in range(60):
        mid = (lo + hi) / 2
        p = np.array([x0, mid])
        up = None
        for _ in range(3000):
            p = _T_morse(p, a)
            if abs(p[1]) > 0.5:
                up = p[1] > 0
                break
        if up is None:
            break
        lo, hi = (lo, mid) if up else (mid, hi)
    return (lo + hi) / 2


def morse_manifold_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    a = float(ALPHA)
    c = 1 / (3 - a)
    rows = []
    for x0 in (0.2, 0.1, 0.05, 0.025):
        h = _stable_height(x0, a)
        rows.append((x0, h, h / x0, h / x0**2))
    ratio_err = abs(rows[-1][3] - c) / c
    tangent = all(abs(r[2]) < abs(q[2]) for q, r in zip(rows, rows[1:], strict=False))
    ok = ratio_err < 0.05 and tangent
    details = "; ".join(f"x0={x0}: h={h:.6g}, h/x0={r1:.4g}, h/x0^2={r2:.4g}" for x0, h, r1, r2 in rows)
    return ok, f"{details}; predicted h/x0^2 -> 1/(3-alpha) = {c:.4g} (relative error {ratio_err:.2g})", {"rows": rows}


smt_morse = Illustration(
    "nonlinear Morse function: W^s is a curve tangent to E_s",
    morse_manifold_experiment,
    shows=(
        "for $F=x^2/2-y^2/2+y^4/4+x^2y$ and $\\alpha=1/10$, the local stable set of the saddle $0$ found by bisection on the escape "
        "direction is a curve $y=h(x)$ with $h(x)/x\\to0$ (tangent to $E_s=\\{y=0\\}$) and $h(x)/x^2\\to1/(3-\\alpha)$, the value "
        "forced by invariance of $y=cx^2+O(x^3)$ under $T$: a 1-dimensional manifold in $\\mathbb{R}^2$"
    ),
    does_not_show="that $W^s$ is a differentiable manifold (only sampled at four points), nor the theorem in general",
    statement=r"W^s_{\mathrm{loc}}=\{y=h(x)\},\ h(x)=\tfrac{x^2}{3-\alpha}+O(x^3)",
)

register(
    Entry(
        id="pauwels.stable-manifold-theorem",
        title="Stable manifold theorem",
        where="Stable manifold theorem",
        statement=(
            r"Let $T:\mathbb{R}^p\to\mathbb{R}^p$ be a local diffeomorphism, $\bar x$ a fixed point of $T$ such that $\nabla T(\bar x)$ does not "
            r"have any eigenvalue on the unit circle and at least one eigenvalue of modulus $>1$. Then there exists a neighborhood $U$ of "
            r"$\bar x$ such that $W^s(T,\bar x)=\{x_0\in U, T^n(x_0)\to\bar x\}$ and $W^u(T,\bar x)$ are differentiable manifolds tangent "
            r"to the stable and unstable spaces of $\nabla T(\bar x)$. In particular $W^s(T,\bar x)$ has dimension $<p$."
        ),
        hypotheses=[r"$T$ local diffeomorphism", r"$T(\bar x)=\bar x$", r"no eigenvalue of $\nabla T(\bar x)$ on the unit circle, one of modulus $>1$"],
        checks=[smt_predicate, smt_dimension, smt_quadratic, smt_morse],
        status=Status.ILLUSTRATED,
        reading="A deep theorem (cited, not proved on the slide): its hypotheses are encoded as an exact predicate and its conclusion illustrated. $W^s$ is read as the set of points of $U$ whose orbit stays in $U$ and converges (the local stable manifold).",
    )
)


# ====================================================================== Morse saddle avoidance

_lam, _al, _L = sp.symbols("lambda alpha L", real=True)
eig_off_circle = Implication(
    "a nonzero Hessian eigenvalue l with |l| <= L and 0 < alpha < 1/L gives 0 < 1 - alpha l != 1",
    hypotheses=[sp.Ne(_lam, 0), sp.Abs(_lam) <= _L, _al > 0, _al * _L < 1],
    conclusion=sp.And(1 - _al * _lam > 0, sp.Ne(1 - _al * _lam, 1), sp.Ne(1 - _al * _lam, -1)),
    statement=r"\lambda\ne0,\ |\lambda|\le L,\ 0<\alpha<1/L\implies 1-\alpha\lambda\in(0,2)\setminus\{1\}",
    note="The eigenvalues of $\\nabla T(\\bar x)=I-\\alpha\\nabla^2F(\\bar x)$ are $1-\\alpha\\lambda$: real, positive (so $T$ is a local diffeomorphism) and off the unit circle.",
)
negative_gives_unstable = Implication(
    "a negative Hessian eigenvalue gives an eigenvalue of the gradient map of modulus > 1",
    hypotheses=[_lam < 0, _al > 0],
    conclusion=sp.Abs(1 - _al * _lam) > 1,
    statement=r"\lambda<0,\ \alpha>0\implies|1-\alpha\lambda|>1",
)
_sx, _cx, _sy, _cy = sp.symbols("sx cx sy cy", real=True)
_h11 = 1 - _sx * _sy / 4
_h12 = _cx * _cy / 4
_h22 = -_cy - _sx * _sy / 4
G_L = Implication(
    "G = x^2/2 + cos y + sin x sin y / 4 has a 3/2-Lipschitz gradient (Gershgorin on the Hessian)",
    hypotheses=[sp.Eq(_sx**2 + _cx**2, 1), sp.Eq(_sy**2 + _cy**2, 1)],
    conclusion=sp.And(sp.Abs(_h11) + sp.Abs(_h12) <= R(3, 2), sp.Abs(_h12) + sp.Abs(_h22) <= R(3, 2)),
    statement=r"\nabla^2G=\begin{pmatrix}1-\frac{\sin x\sin y}4&\frac{\cos x\cos y}4\\\frac{\cos x\cos y}4&-\cos y-\frac{\sin x\sin y}4\end{pmatrix},\ \text{row sums}\le\tfrac32",
    note="So $\\|\\nabla^2G\\|\\le3/2=L$ everywhere; $\\alpha=1/2<1/L$. At $0$: $\\nabla G(0)=0$, $\\nabla^2G(0)=\\begin{pmatrix}1&1/4\\\\1/4&-1\\end{pmatrix}$, determinant $-17/16<0$: a Morse saddle.",
)
Gx, Gy = sp.symbols("x y", real=True)
G_EXPR = Gx**2 / 2 + sp.cos(Gy) + sp.sin(Gx) * sp.sin(Gy) / 4


def g_saddle(_: object) -> Judgement:
    grad0 = [sp.diff(G_EXPR, v).subs({Gx: 0, Gy: 0}) for v in (Gx, Gy)]
    H0 = sp.hessian(G_EXPR, (Gx, Gy)).subs({Gx: 0, Gy: 0})
    ok = all(g == 0 for g in grad0) and H0.det() < 0
    return Judgement(ok, Verdict.PROVED, f"grad G(0) = {grad0}, Hess G(0) = {H0.tolist()}, det = {H0.det()}")


G_saddle = Definition(
    "0 is a Morse saddle of G (gradient zero, nonsingular Hessian with a negative eigenvalue)",
    g_saddle,
    [("G at 0", None, True)],
    statement=r"\nabla G(0)=0,\ \det\nabla^2G(0)=-\tfrac{17}{16}<0",
)


def _gradG(P: np.ndarray) -> np.ndarray:
    x, y = P[..., 0], P[..., 1]
    return np.stack([x + np.cos(x) * np.sin(y) / 4, -np.sin(y) + np.sin(x) * np.cos(y) / 4], axis=-1)


def saddle_hits(rng: np.random.Generator, n: int) -> np.ndarray:
    P = rng.standard_normal((n, 2))
    for _ in range(300):
        P = P - 0.5 * _gradG(P)
    return np.linalg.norm(P, axis=1) < 1e-3


avoidance_mc = MonteCarlo(
    "Gaussian initialisation: P[x_k -> saddle 0] is 0 (at most 1e-3 at confidence 1 - 1e-3)",
    saddle_hits,
    rel="<=",
    bound=1e-3,
    samples=20000,
    statement=r"\mathbb{P}_{x_0\sim\mathcal{N}(0,I)}\big[x_k\to\bar x\big]\le10^{-3},\quad G,\ \alpha=\tfrac12",
    note="Gradient descent on $G$ with $\\alpha=1/2<1/L$; 'converges to the saddle' read as $\\|x_{300}\\|<10^{-3}$. The theorem says the probability is exactly $0$; the Monte Carlo bound (Clopper-Pearson) can only bound it.",
)


def _T_G(p: np.ndarray) -> np.ndarray:
    return p - 0.5 * _gradG(p)


def _T_G_inverse(z: np.ndarray) -> np.ndarray:
    """Solve x - alpha grad G(x) = z by Newton (T is a diffeomorphism)."""
    x = z.copy()
    for _ in range(60):
        X, Y = x
        H = np.array([[1 - np.sin(X) * np.sin(Y) / 4, np.cos(X) * np.cos(Y) / 4], [np.cos(X) * np.cos(Y) / 4, -np.cos(Y) - np.sin(X) * np.sin(Y) / 4]])
        J = np.eye(2) - 0.5 * H
        x = x - np.linalg.solve(J, _T_G(x) - z)
    return x


def union_of_preimages(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    H0 = np.array([[1, 0.25], [0.25, -1]])
    w, V = np.linalg.eigh(np.eye(2) - 0.5 * H0)
    es, eu = V[:, np.argmin(w)], V[:, np.argmax(w)]

    def escape_sign(p: np.ndarray) -> bool | None:
        for _ in range(400):
            p = _T_G(p)
            if abs(p @ eu) > 0.3:
                return bool(p @ eu > 0)
        return None

    def on_ws(s: float) -> np.ndarray:
        lo, hi = -0.05, 0.05
        up_hi = escape_sign(s * es + hi * eu)
        for _ in range(60):
            mid = (lo + hi) / 2
            r = escape_sign(s * es + mid * eu)
            if r is None:
                break
            lo, hi = (lo, mid) if r == up_hi else (mid, hi)
        return s * es + (lo + hi) / 2 * eu

    def min_dist(p: np.ndarray, steps: int = 200) -> float:
        best = np.linalg.norm(p)
        for _ in range(steps):
            p = _T_G(p)
            best = min(best, np.linalg.norm(p))
        return float(best)

    rows, ok = [], True
    dists: dict[str, float] = {}
    for s in (0.05, -0.05):
        p = on_ws(s)
        q = p
        for _ in range(3):
            q = _T_G_inverse(q)
        back = np.linalg.norm(_T_G(_T_G(_T_G(q))) - p)
        d_on, d_off = min_dist(q), min_dist(q + 1e-6 * eu)
        rows.append(f"s={s}: |T^-3 point| = {np.linalg.norm(q):.3g}, |T^3(T^-3 p) - p| = {back:.1e}, min dist to 0 along the orbit {d_on:.1e} (perturbed by 1e-6: {d_off:.1e})")
        ok = ok and bool(np.linalg.norm(q) > 4 * np.linalg.norm(p) and back < 1e-12 and d_on < 1e-7 and d_off > 1e-6)
        dists[f"s = {s}: on T^-3(W^s)"], dists[f"s = {s}: 1e-6 off"] = d_on, d_off
    return ok, "; ".join(rows), {"figure": {"kind": "bars", "values": dists}}


preimages = Illustration(
    "the union-of-preimages argument: points of T^{-K}(W^s) reach the saddle, their neighbours do not",
    union_of_preimages,
    shows=(
        "points $p$ of the local stable manifold of the saddle of $G$ (bisection), pulled back three times by the inverse gradient map "
        "(Newton on $x-\\alpha\\nabla G(x)=z$), lie far outside the neighbourhood and their forward orbits come within $10^{-7}$ of the "
        "saddle, while a $10^{-6}$ perturbation along $E_u$ stays $>10^{-6}$ away: the basin of the saddle is $\\bigcup_K T^{-K}(W^s)$, a thin set"
    ),
    does_not_show="that $W^s$ or its preimages have Lebesgue measure zero (the theorem's conclusion), which rests on the stable manifold theorem and on diffeomorphisms mapping null sets to null sets",
    statement=r"\{x_0: T^k(x_0)\to\bar x\}=\textstyle\bigcup_{K\in\mathbb{N}}T^{-K}(W^s(T,\bar x))",
)

register(
    Entry(
        id="pauwels.morse-saddle-avoidance",
        title="Gradient descent with random initialisation avoids Morse saddles",
        where="Convergence to local minima on Morse functions",
        statement=(
            r"Assume $F$ is $C^2$ with $L$-Lipschitz gradient and $\bar x$ satisfies $\nabla F(\bar x)=0$, $\nabla^2F(\bar x)$ has no null "
            r"eigenvalue and at least one strictly negative eigenvalue. If $x_0$ is random ($\ll$ Lebesgue) and $(x_k)$ is gradient descent "
            r"with $\alpha<1/L$, then $\mathbb{P}[x_k\to\bar x]=0$. Proof: $T$ satisfies the hypotheses of the stable manifold theorem; "
            r"$\{x_0: T^k(x_0)\to\bar x\}=\bigcup_{K}T^{-K}(W^s(T,\bar x))$, a countable union of null sets."
        ),
        hypotheses=[r"$F\in C^2$, $\nabla F$ $L$-Lipschitz", r"$\nabla F(\bar x)=0$, $\nabla^2F(\bar x)$ nonsingular with a negative eigenvalue", r"$0<\alpha<1/L$", r"$x_0\ll$ Lebesgue"],
        checks=[eig_off_circle, negative_gives_unstable, G_L, G_saddle, avoidance_mc, preimages],
        status=Status.ILLUSTRATED,
        reading="The probability statement is checked by Monte Carlo on $G(x,y)=x^2/2+\\cos y+\\sin x\\sin y/4$ (certified $L=3/2$, $\\alpha=1/2$), a nonlinear function with a Morse saddle at $0$; the step 'T satisfies the hypotheses' is proved symbolically for every such $F$; the preimage argument is illustrated. Status illustrated: the conclusion $\\mathbb{P}=0$ (a measure-zero statement) can only be bounded by Monte Carlo.",
    )
)
