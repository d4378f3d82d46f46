"""pauwels.stable-manifold-theorem: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 2 "Convergence to local minima for Morse-Functions", slide "Stable manifold theorem".

A local diffeomorphism T with a hyperbolic fixed point x-bar having an eigenvalue of modulus > 1 has a local stable
manifold W^s(T, x-bar) tangent to the stable space, of dimension < p. Illustrated on gradient maps of two saddles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from symbolic import CheckSettings, Definition, Illustration, Judgement, Verdict
from theorems.registry import Entry, Status, register

R = sp.Rational


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
