"""STABLE MANIFOLD and STABLE MANIFOLD THEOREM: the global stable set, unstable fixed points, measure-zero convergence.

The definitions as executable predicates on gradient descent phi(theta) = theta - gamma grad g(theta) for the Morse
function of :mod:`._simulation` (exact fixed points and exact eigenvalues of D phi), and an honest illustration of the
measure-zero statement: on grids of initial points the stable set of the saddles is one column, a fraction ~ 1/n.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from symbolic import Definition, Illustration, Judgement, Verdict
from theorems.registry import Entry, Status, register

from ._simulation import MORSE_MAX, MORSE_SADDLES, morse_gd, near

_x, _y = sp.symbols("x y", real=True)
_G = sp.Rational(1, 10)
_g = ((_x**2 - 1) ** 2 + (_y**2 - 1) ** 2) / 4
_phi = sp.Matrix([_x, _y]) - _G * sp.Matrix([sp.diff(_g, _x), sp.diff(_g, _y)])
_Dphi = _phi.jacobian([_x, _y])


def _unstable_fixed_point(theta: tuple[sp.Rational, sp.Rational]) -> Judgement:
    """theta in A*_phi: phi(theta) = theta exactly and max_i |lambda_i(D phi(theta))| > 1 (exact eigenvalues)."""
    at = {_x: theta[0], _y: theta[1]}
    fixed = _phi.subs(at) == sp.Matrix(theta)
    eig = list(_Dphi.subs(at).eigenvals())
    rad = max(abs(e) for e in eig)
    return Judgement(bool(fixed and rad > 1), Verdict.CHECKED, f"phi(theta) {'=' if fixed else '!='} theta, eigenvalues of D phi: {sorted(eig)}")


def _strict_saddle(theta: tuple[sp.Rational, sp.Rational]) -> Judgement:
    at = {_x: theta[0], _y: theta[1]}
    crit = all(sp.diff(_g, v).subs(at) == 0 for v in (_x, _y))
    lam = min(sp.hessian(_g, (_x, _y)).subs(at).eigenvals())
    return Judgement(bool(crit and lam < 0), Verdict.CHECKED, f"grad g = 0: {crit}, lambda_min = {lam}")


def _in_stable_set(theta0: tuple[float, float]) -> Judgement:
    """theta0 in S_phi: phi^k(theta0) tends to a strict saddle (iterated 500 steps, float64; within 1e-9 counts)."""
    z = morse_gd(np.array([theta0]), 500)
    hit = bool(near(z, np.vstack([MORSE_SADDLES, MORSE_MAX]), 1e-9)[0])
    return Judgement(hit, Verdict.CHECKED, f"phi^500(theta0) = ({z[0, 0]:.3g}, {z[0, 1]:.3g})")


_R = sp.Rational


def _grids(settings):
    rows = []
    fracs = []
    for n in (51, 101, 201):
        s = np.linspace(-1.5, 1.5, n)
        X, Y = np.meshgrid(s, s)
        z = morse_gd(np.c_[X.ravel(), Y.ravel()], 500)
        bad = near(z, np.vstack([MORSE_SADDLES, MORSE_MAX]), 1e-6)
        frac = float(bad.mean())
        fracs.append(frac)
        rows.append(f"n = {n}: {int(bad.sum())} of {n * n} grid starts end at a saddle or the maximum (fraction {frac:.4g}, (2n - 1)/n^2 = {(2 * n - 1) / n**2:.4g})")
    ok = all(abs(f - (2 * n - 1) / n**2) < 1e-12 for f, n in zip(fracs, (51, 101, 201), strict=True))
    return ok, "; ".join(rows), {"fractions": fracs}


register(
    Entry(
        id="bruna.stable-manifold",
        title="Global stable set, unstable fixed points, and the stable manifold theorem (measure zero)",
        where="STABLE MANIFOLD; STABLE MANIFOLD THEOREM",
        statement=(
            r"A discrete-time optimization algorithm is a mapping $\varphi:\mathbb R^d\to\mathbb R^d$, e.g. $\varphi(\theta)=\theta-\gamma\nabla g(\theta)$; $\theta_k=\varphi^k(\theta_0)$. "
            r"$\mathcal X^*$: the strict saddle points of $g$. \textbf{Definition} (Global Stable Set): $S_\varphi=\{\theta_0;\lim_{k\to\infty}\varphi^k(\theta_0)\in\mathcal X^*\}$. "
            r"Unstable fixed points: $\mathcal A^*_\varphi=\{\theta;\varphi(\theta)=\theta;\max_i|\lambda_i(D\varphi(\theta))|>1\}$. \textbf{Theorem:} if $\varphi$ is $C^1$ and "
            r"$\det(D\varphi(\theta))\neq0$ for all $\theta$, then $\mu(\{\theta_0:\lim_k\varphi^k(\theta_0)\in\mathcal A^*_\varphi\})=0$. Corollary: if $\mathcal X^*\subseteq\mathcal A^*_\varphi$, then $\mu(S_\varphi)=0$."
        ),
        hypotheses=[r"$\varphi\in C^1$, $\det D\varphi\neq0$ everywhere"],
        checks=[
            Definition("unstable fixed point of gradient descent (g Morse, gamma = 1/10)", _unstable_fixed_point, [
                ("strict saddle (0, 1)", (_R(0), _R(1)), True), ("strict saddle (-1, 0)", (_R(-1), _R(0)), True),
                ("maximum (0, 0)", (_R(0), _R(0)), True), ("minimum (1, 1)", (_R(1), _R(1)), False), ("not fixed (1/2, 1)", (_R(1, 2), _R(1)), False),
            ], statement=r"\theta\in\mathcal A^*_\varphi\iff\varphi(\theta)=\theta\ \wedge\ \max_i|\lambda_i(D\varphi(\theta))|>1"),
            Definition("strict saddle (X*)", _strict_saddle, [
                ("(0, 1)", (_R(0), _R(1)), True), ("(1, 0)", (_R(1), _R(0)), True), ("maximum (0, 0): lambda_min = -1 < 0, a strict saddle by the slide's definition", (_R(0), _R(0)), True), ("minimum (-1, 1)", (_R(-1), _R(1)), False),
            ], statement=r"\theta\in\mathcal X^*\iff\nabla g(\theta)=0\ \wedge\ \lambda_{\min}(\nabla^2g(\theta))<0",
               note="Every strict saddle of this g is also an unstable fixed point (previous check): X* is contained in A*, the corollary's hypothesis, on this example."),
            Definition("global stable set S_phi (by iteration)", _in_stable_set, [
                ("(0, 1/2), on the line x = 0", (0.0, 0.5), True), ("(1.2, 0), on the line y = 0", (1.2, 0.0), True),
                ("(0.1, 0.5)", (0.1, 0.5), False), ("(0, 0), the maximum (in X* by the slide's definition)", (0.0, 0.0), True), ("(-1, -1/2)", (-1.0, -0.5), False),
            ], statement=r"\theta_0\in S_\varphi\iff\lim_k\varphi^k(\theta_0)\in\mathcal X^*",
               note="Decided by 500 iterations in float64 (the lines x = 0 and y = 0 are exactly invariant)."),
            Illustration("measure zero: on n x n grids the stable set of the saddles and the maximum is the two axes, a fraction (2n - 1)/n^2 -> 0", _grids,
                         shows="on grids of [-3/2, 3/2]^2 with an odd number n of points per side, exactly the grid points on the axes converge to a saddle or the maximum, a fraction (2n-1)/n^2 that tends to 0",
                         does_not_show="the theorem for other maps, nor that no other set of measure zero converges there (grids only see what they contain)"),
        ],
        status=Status.ILLUSTRATED,
        reading=(
            r"The slide's strict saddle is any critical point with $\lambda_{\min}(\nabla^2g)<0$, so local maxima are strict saddles too (here $(0,0)$). "
            r"The definitions are decided exactly for gradient descent on $g=\frac{(x^2-1)^2+(y^2-1)^2}4$, $\gamma=\frac1{10}$ ($\det D\varphi=(1-\gamma(3x^2-1))(1-\gamma(3y^2-1))\neq0$ on the visited region, "
            r"see bruna.gd-jacobian-nonsingular). 'Measure zero' is a qualitative statement: the grids illustrate it, bruna.gd-avoids-saddles bounds the probability by Monte Carlo."
        ),
    )
)
