"""Helpers shared by the convergence entries of Pauwels section 4 (descent lemma to the overparameterized trap):
the smoothness constant of a case, one GD step with alpha = factor/L, lambda_min(J J^T), and the KL test functions
with their constants: x^2 + 3 sin^2 x and quadratics (KL 1/2 globally), 1 - cos x (KL 1/2 near 0 only),
x^4/(1 + x^2) (degenerate, phi = 3 t^(1/4)), phi itself and the cases of the trap mechanism.
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, Constants, Objective, coordinates
from symbolic.backends import Backend, Number
from symbolic.families import quadratics, rationals
from theorems.cases import points_for
from theorems.catalogue.pauwels._common import fixed_params

# ------------------------------------------------------------------ L and one gradient step


def smoothness_constant(c: Case, B: Backend) -> Number:
    """L, the Lipschitz constant of grad F recorded with the case's objective, in the backend."""
    assert c.objective is not None and c.objective.constants.L is not None
    return B.num(c.objective.constants.L)


def gd_step_over_L(c: Case, B: Backend, alpha_factor: Q = Q(1)) -> list[Number]:
    """x - (alpha_factor/L) grad F(x) at the case's point x."""
    f = c.objective
    assert f is not None
    return f.gradient_step(B, c.x(B), B.num(alpha_factor) / smoothness_constant(c, B))


# ------------------------------------------------------------------ KL test functions and their phi


x_scalar = coordinates(1)[0]
SIN_PL = Objective(
    "x^2 + 3 sin(x)^2",
    (x_scalar,),
    x_scalar**2 + 3 * sp.sin(x_scalar) ** 2,
    Constants(L=Q(8), lower=Q(0), minimizer=(Q(0),), minimum=Q(0), how="F'' = 2 + 6 cos 2x in [-4, 8]"),
)
SIN_PL_C = Q(1, 16)  # Karimi-Nutini-Schmidt: PL with mu = 1/32, i.e. ||F'||^2 >= F/16


@st.composite
def pl_objectives(draw: st.DrawFn) -> tuple[Objective, Q]:
    """A KL-1/2 function with its constant c: ||grad F||^2 >= c F globally, F >= 0, min F = 0."""
    if draw(st.booleans()):
        q = draw(quadratics(dim=(1, 3), spectrum="convex"))
        assert q.constants.mu is not None
        return q, 2 * q.constants.mu
    return SIN_PL, SIN_PL_C


def _xbar_of(f: Objective) -> tuple[Q, ...]:
    assert f.constants.minimizer is not None
    return f.constants.minimizer


ONE_MINUS_COS = Objective(
    "1 - cos x",
    (x_scalar,),
    1 - sp.cos(x_scalar),
    # L = 2 bounds |F''| = |cos x| <= 1 (not sharply): with the sharp L = 1, GD (x - sin x) converges
    # cubically and F(x_k) leaves any fixed precision within a few steps
    Constants(L=Q(2), lower=Q(0), minimizer=(Q(0),), minimum=Q(0), how="F'' = cos x in [-1, 1]; L = 2 is a valid, non-sharp bound"),
)
#: 1 - cos x is KL 1/2 with c = 1 only near 0: |F'|^2/F = 1 + cos x >= 1 iff |x| <= pi/2, so epsilon = 3/2 < pi/2;
#: beyond pi/2 the desingularizing inequality fails, so the trap checks depend on the iterates staying in the ball
LOCAL_KL_C, LOCAL_KL_EPS = Q(1), Q(3, 2)


#: a degenerate (non-KL-1/2) minimum: F = x^4/(1 + x^2) = x^2 - 1 + 1/(1 + x^2), F'' = 2 + (6x^2 - 2)/(1 + x^2)^3 in [0, 5/2];
#: near 0, F ~ x^4, so no phi = 2 sqrt(t/c) works; phi(t) = 3 t^(1/4) is desingularizing on |x| < 2:
#: phi'(F)|F'| = (3/4) 2(x^2 + 2)/(1 + x^2)^(5/4), decreasing in x^2, about 1.2 at |x| = 2
QUARTIC = Objective(
    "x^4/(1 + x^2)",
    (x_scalar,),
    x_scalar**4 / (1 + x_scalar**2),
    Constants(L=Q(5, 2), lower=Q(0), minimizer=(Q(0),), minimum=Q(0), how="F'' = 2 + (6x^2 - 2)/(1 + x^2)^3 in [0, 5/2]"),
)
QUARTIC_PHI_C, QUARTIC_EPS = Q(3), Q(2)


@st.composite
def trap_cases(draw: st.DrawFn, kmax: int = 8, K: int = 12, c_factor: Q = Q(1), degenerate: bool = True) -> Case:
    """A KL function, its desingularizing phi, epsilon, the point x-bar (F = 0 there), x_0, the index k of x_k and a
    horizon K >= k.

    Three families: global KL-1/2 functions (phi = 2 sqrt(t/c), epsilon = 16), 1 - cos x, which is KL 1/2 only on the
    ball of radius epsilon = 3/2 < pi/2 around 0, and (``degenerate``) x^4/(1 + x^2) with phi = 3 t^(1/4) on the ball of
    radius 2, whose iterates converge sublinearly, with horizons up to K = k + 40."""
    family = draw(st.sampled_from(["global", "cos", "quartic"] if degenerate else ["global", "cos"]))
    extra: dict[str, Q] = {}
    horizon = K
    if family == "cos":
        f, c, eps = ONE_MINUS_COS, LOCAL_KL_C, LOCAL_KL_EPS
        x0: tuple[Q, ...] = (draw(rationals(-2, 2, denominator=256)),)
    elif family == "quartic":
        f, c, eps = QUARTIC, Q(1), QUARTIC_EPS
        extra = {"phi_C": QUARTIC_PHI_C}
        x0 = (draw(rationals(Q(-1, 4), Q(1, 4), denominator=1024)),)
        horizon = max(K, 40)
    else:
        f, c = draw(pl_objectives())
        eps = Q(16)
        x0 = draw(points_for(f, 3) | st.tuples(*[rationals(-1, 1, denominator=256)] * f.dim))
    k = draw(st.integers(0, kmax))
    Kh = draw(st.integers(k, k + horizon))
    return Case(objective=f, params={"c": c * c_factor, "eps": eps, "k": Q(k), "K": Q(Kh), **extra, **fixed_params("xbar", _xbar_of(f))}, points={"x": x0})


def phi(c: Case, B: Backend, v: Number) -> Number:
    """phi(t) = 2 sqrt(t/c), or C t^(1/4) when the case has a parameter phi_C."""
    if "phi_C" in c.params:
        return c.p(B, "phi_C") * B.sqrt(B.sqrt(v))
    return 2 * B.sqrt(v / c.p(B, "c"))


def lambda_min_JJt(B: Backend, J: list[list[Number]]) -> Number:
    """The smallest eigenvalue of J J^T for a Jacobian J with one or two rows (closed form)."""
    M = [[B.dot(J[i], J[j]) for j in range(len(J))] for i in range(len(J))]
    if len(M) == 1:
        return M[0][0]
    a, b, d = M[0][0], M[0][1], M[1][1]
    return (a + d) / 2 - B.sqrt((a - d) * (a - d) / 4 + b * b)
