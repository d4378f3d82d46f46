"""pauwels.morse-saddle-avoidance: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 2 "Convergence to local minima for Morse-Functions", slide "Convergence to local minima on Morse functions".

F C^2 with L-Lipschitz gradient, x-bar a nondegenerate saddle, x_0 random (<< Lebesgue), alpha < 1/L: P[x_k -> x-bar] = 0,
because {x_0 : T^k(x_0) -> x-bar} = union_K T^{-K}(W^s(T, x-bar)) is a countable union of null sets.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symbolic import (
    CheckSettings,
    Definition,
    Illustration,
    Implication,
    Judgement,
    MonteCarlo,
    Verdict,
)
from theorems.registry import Entry, Status, register

R = sp.Rational


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
    title_latex=r"Gaussian initialisation: $\mathbb{P}[x_k \to \text{saddle } 0]$ is $0$ (at most $10^{-3}$ at confidence $1 - 10^{-3}$)",
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
