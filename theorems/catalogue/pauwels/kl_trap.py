"""pauwels.kl-trap: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "Proof sketch: the trap mechanism".

If ||x_k - x-bar|| + 2 phi(F(x_k)) < eps then all later iterates stay in the ball and the path has finite length:
the slide's chain of inequalities (descent lemma, phi increasing, concavity, desingularizing, triangle inequality,
recursion) is checked line by line on exact GD iterates of KL functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, Claim, Derivation, Expect, Identity, Implication, Step
from symbolic.backends import Backend, Number
from symbolic.families import rationals
from symbolic.notation import NotationClaim
from theorems.catalogue.pauwels._common import arb_positive, fixed_point, gd_path
from theorems.catalogue.pauwels._descent import (
    LOCAL_KL_C,
    LOCAL_KL_EPS,
    ONE_MINUS_COS,
    QUARTIC,
    QUARTIC_EPS,
    QUARTIC_PHI_C,
    phi,
    smoothness_constant,
    trap_cases,
)
from theorems.catalogue.pauwels._kl import chain_rule
from theorems.registry import Entry, Status, register

_Ls, _n2 = sp.symbols("L n2", positive=True)


QUARTIC_PHI_C_SYMPY = sp.Rational(QUARTIC_PHI_C.numerator, QUARTIC_PHI_C.denominator)
_t = sp.Symbol("t", positive=True)
quartic_kl_hypothesis = NotationClaim(
    "hypothesis check: x^4/(1 + x^2) satisfies phi'(F)|F'| >= 1 with phi = 3 t^(1/4) on the ball |x| < 2, not beyond 3",
    "phi'(F(x))*gradnorm(x) >= 1",
    cases=rationals(-4, 4, denominator=256).map(lambda v: Case(objective=QUARTIC, points={"x": (v,)})),
    functions={"phi": (_t, QUARTIC_PHI_C_SYMPY * _t ** sp.Rational(1, 4))},
    where=lambda c: 0 < abs(c.points["x"][0]) < QUARTIC_EPS,
    domain=r"0<|x|<2,\ F=\tfrac{x^4}{1+x^2},\ \varphi(t)=3t^{1/4}",
    note="No $\\varphi=2\\sqrt{t/c}$ works near $0$ ($|F'|^2/F\\sim16x^2\\to0$): the trap is exercised with a second desingularizing function.",
)


local_kl_hypothesis = NotationClaim(
    "hypothesis check: 1 - cos x satisfies |F'|^2 >= c F with c = 1 on the ball |x| < 3/2, and not beyond pi/2",
    "gradnorm(x)^2 >= c*F(x)",
    cases=rationals(-3, 3, denominator=256).map(lambda v: Case(objective=ONE_MINUS_COS, points={"x": (v,)})),
    values={"c": LOCAL_KL_C},
    where=lambda c: abs(c.points["x"][0]) < LOCAL_KL_EPS,
    domain=r"F(x)=1-\cos x,\ |x|<\tfrac32<\tfrac\pi2",
    note=r"$\sin^2x-(1-\cos x)=\cos x(1-\cos x)$, negative for $\tfrac\pi2<|x|<\tfrac{3\pi}2$: KL with $\varphi=2\sqrt{t}$ holds on the ball only.",
)


def dphi(c: Case, B: Backend, v: Number) -> Number:
    """phi'(t) = 1/sqrt(c t), or (C/4) t^(-3/4) when the case has a parameter phi_C."""
    if "phi_C" in c.params:
        return c.p(B, "phi_C") / 4 / (B.sqrt(v) * B.sqrt(B.sqrt(v)))
    return 1 / B.sqrt(c.p(B, "c") * v)


@dataclass
class Trajectory:
    """x_0, ..., x_{K+2} of GD with alpha = 1/L, with F and grad F at each iterate (in one backend)."""

    xs: list[list[Number]]
    F: list[Number]
    g: list[list[Number]]


def gd_trajectory(c: Case, B: Backend) -> Trajectory:
    """The case's GD run from x_0 up to x_{K+2}, computed in the backend's arithmetic."""
    f = c.objective
    assert f is not None
    n = int(c.params["K"]) + 2
    xs = gd_path(f, B, c.x(B), 1 / smoothness_constant(c, B), n)
    return Trajectory(xs, [f.value(B, x) for x in xs], [f.grad(B, x) for x in xs])


def dist_to_xbar(B: Backend, x: list[Number], c: Case) -> Number:
    """||x - xbar||, xbar read from the case's fixed parameters."""
    return B.norm(B.sub(x, [B.num(v) for v in fixed_point(c, "xbar")]))


def trap_where(c: Case) -> bool:
    """The trap assumption ||x_k - xbar|| + 2 phi(F(x_k)) < eps, and F(x_i) > 0 up to x_{K+1}."""

    def assumption(B: Backend) -> Number:
        T = gd_trajectory(c, B)
        k = int(c.params["k"])
        return c.p(B, "eps") - dist_to_xbar(B, T.xs[k], c) - 2 * phi(c, B, T.F[k])

    def positive(B: Backend) -> Number:
        T = gd_trajectory(c, B)
        return B.min(*T.F[int(c.params["k"]) : int(c.params["K"]) + 2])

    return arb_positive(assumption) and arb_positive(positive)


def index_k(c: Case) -> int:
    """The index k of x_k in the trap assumption."""
    return int(c.params["k"])


def trap_claim(name: str, margin: Callable[[Case, Backend], Number], statement: str, *, strict: bool = False, cases: st.SearchStrategy[Case] | None = None, **kw: object) -> Claim:
    return Claim(name, cases=cases or trap_cases(), margin=margin, where=trap_where, strict=strict, statement=statement, **kw)  # type: ignore[arg-type]


def step_length(T: Trajectory, B: Backend, i: int) -> Number:
    """||x_{i+1} - x_i||."""
    return B.norm(B.sub(T.xs[i + 1], T.xs[i]))


def half_step_times_grad(T: Trajectory, B: Backend, i: int) -> Number:
    """(1/2) ||x_{i+1} - x_i|| ||grad F(x_i)||."""
    return step_length(T, B, i) * B.norm(T.g[i]) / 2


def margin_descent_line(c: Case, B: Backend) -> Number:
    """Slide line 1 (descent lemma): F(x_k) - 1/2 ||x_{k+1} - x_k|| ||grad F(x_k)|| - F(x_{k+1}) >= 0."""
    T, k = gd_trajectory(c, B), index_k(c)
    return T.F[k] - half_step_times_grad(T, B, k) - T.F[k + 1]


def margin_phi_increasing(c: Case, B: Backend) -> Number:
    """Slide line 2 (phi increasing): phi(F(x_k) - 1/2 ||x_{k+1} - x_k|| ||grad F(x_k)||) - phi(F(x_{k+1})) >= 0."""
    T, k = gd_trajectory(c, B), index_k(c)
    return phi(c, B, T.F[k] - half_step_times_grad(T, B, k)) - phi(c, B, T.F[k + 1])


def margin_phi_concave(c: Case, B: Backend) -> Number:
    """Slide line 3 (concavity): phi(F_k) - phi'(F_k) a - phi(F_k - a) >= 0, a = 1/2 ||x_{k+1} - x_k|| ||grad F(x_k)||."""
    T, k = gd_trajectory(c, B), index_k(c)
    return phi(c, B, T.F[k]) - dphi(c, B, T.F[k]) * half_step_times_grad(T, B, k) - phi(c, B, T.F[k] - half_step_times_grad(T, B, k))


def margin_desingularizing(c: Case, B: Backend) -> Number:
    """phi(F_k) - 1/2||D|| ||grad phi o F(x_k)|| <= phi(F_k) - 1/2||D||  iff  ||D|| (phi'(F_k)||g_k|| - 1) >= 0."""
    T, k = gd_trajectory(c, B), index_k(c)
    return step_length(T, B, k) / 2 * (dphi(c, B, T.F[k]) * B.norm(T.g[k]) - 1)


def margin_triangle_inequality(c: Case, B: Backend) -> Number:
    """Triangle inequality: ||x_k - xbar|| + ||x_{k+1} - x_k|| - ||x_{k+1} - xbar|| >= 0."""
    T, k = gd_trajectory(c, B), index_k(c)
    return dist_to_xbar(B, T.xs[k], c) + step_length(T, B, k) - dist_to_xbar(B, T.xs[k + 1], c)


def margin_step_length_bound(c: Case, B: Backend) -> Number:
    """||x_{k+1} - x_k|| <= 2(phi(F(x_k)) - phi(F(x_{k+1}))): 2(phi_k - phi_{k+1}) - ||x_{k+1} - x_k|| >= 0."""
    T, k = gd_trajectory(c, B), index_k(c)
    return 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[k + 1])) - step_length(T, B, k)


def margin_next_iterate_in_ball(c: Case, B: Backend) -> Number:
    """The next iterate stays trapped: eps - ||x_k - xbar|| - 2(phi(F(x_k)) - phi(F(x_{k+1}))) > 0."""
    T, k = gd_trajectory(c, B), index_k(c)
    return c.p(B, "eps") - dist_to_xbar(B, T.xs[k], c) - 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[k + 1]))


def path_length(T: Trajectory, B: Backend, k: int, K: int) -> Number:
    """sum_{i=k}^K ||x_{i+1} - x_i||."""
    total = B.num(0)
    for i in range(k, K + 1):
        total = total + step_length(T, B, i)
    return total


def margin_recursion_triangle(c: Case, B: Backend) -> Number:
    """Recursion, first inequality: ||x_k - xbar|| + sum_{i=k}^K ||x_{i+1} - x_i|| - ||x_{K+1} - xbar|| >= 0."""
    T, k, K = gd_trajectory(c, B), index_k(c), int(c.params["K"])
    return dist_to_xbar(B, T.xs[k], c) + path_length(T, B, k, K) - dist_to_xbar(B, T.xs[K + 1], c)


def margin_recursion_path_length(c: Case, B: Backend) -> Number:
    """Recursion, second inequality: 2(phi(F(x_k)) - phi(F(x_{K+1}))) - sum_{i=k}^K ||x_{i+1} - x_i|| > 0."""
    T, k, K = gd_trajectory(c, B), index_k(c), int(c.params["K"])
    return 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[K + 1])) - path_length(T, B, k, K)


def margin_recursion_in_ball(c: Case, B: Backend) -> Number:
    """Recursion, last inequality: eps - ||x_k - xbar|| - 2(phi(F(x_k)) - phi(F(x_{K+1}))) > 0."""
    T, k, K = gd_trajectory(c, B), index_k(c), int(c.params["K"])
    return c.p(B, "eps") - dist_to_xbar(B, T.xs[k], c) - 2 * (phi(c, B, T.F[k]) - phi(c, B, T.F[K + 1]))


def margin_finite_length(c: Case, B: Backend) -> Number:
    """Finite length: 2 phi(F(x_k)) - sum_{i=k}^K ||x_{i+1} - x_i|| >= 0 for every K."""
    T, k, K = gd_trajectory(c, B), index_k(c), int(c.params["K"])
    return 2 * phi(c, B, T.F[k]) - path_length(T, B, k, K)


_u, _v, _s, _w = sp.symbols("u v s w", positive=True)
_nn = sp.Symbol("n", positive=True)
sqrt_increasing = Implication(
    "sqrt is increasing: u^2 <= v^2, u, v >= 0 gives u <= v",
    hypotheses=[_u**2 <= _v**2],
    conclusion=_u <= _v,
    statement=r"0\le a\le b\implies\sqrt{a/c}\le\sqrt{b/c}\quad(a=u^2c,\ b=v^2c)",
)
sqrt_concave = Implication(
    "concavity of sqrt: sqrt(s) <= sqrt(t) + (s - t)/(2 sqrt t)",
    hypotheses=[],
    conclusion=_u <= _v + (_u**2 - _v**2) / (2 * _v),
    statement=r"\sqrt s\le\sqrt t+\frac{s-t}{2\sqrt t}\quad(u=\sqrt s,\ v=\sqrt t>0)",
    note="Tangent line above a concave function; with $\\varphi=2\\sqrt{\\cdot/c}$ it is this inequality scaled by $2/\\sqrt c$.",
)
_alpha_step = sp.Symbol("alpha", positive=True)
step_identity = Identity(
    "with alpha = 1/L: 1/2 ||x_{k+1} - x_k|| ||grad F(x_k)|| = ||grad F(x_k)||^2/(2L)",
    # ||x_{k+1} - x_k|| = alpha ||grad F(x_k)||, and alpha = 1/L substituted in the check (unevaluated Subs)
    sp.Subs(sp.Rational(1, 2) * (_alpha_step * _nn) * _nn, _alpha_step, 1 / _Ls),
    _nn**2 / (2 * _Ls),
    statement=r"\tfrac12\|x_{k+1}-x_k\|\|\nabla F(x_k)\|=\tfrac12\cdot\tfrac{\|\nabla F(x_k)\|}{L}\|\nabla F(x_k)\|=\frac{\|\nabla F(x_k)\|^2}{2L}",
)
_dk, _p0, _p1, _eps, _D = sp.symbols("d_k p_k p_k1 epsilon D", nonnegative=True)
eps_implication = Implication(
    "||x_k - xbar|| + 2 phi(F_k) < eps and phi(F_{k+1}) >= 0 give ||x_k - xbar|| + 2(phi(F_k) - phi(F_{k+1})) < eps",
    hypotheses=[_dk + 2 * _p0 < _eps],
    conclusion=_dk + 2 * (_p0 - _p1) < _eps,
    statement=r"\|x_k-\bar x\|+2\varphi(F(x_k))<\varepsilon,\ \varphi\ge0\implies\|x_k-\bar x\|+2(\varphi(F(x_k))-\varphi(F(x_{k+1})))<\varepsilon",
)
_ls = sp.symbols("ell0:3", nonnegative=True)
_ps = sp.symbols("q0:4", nonnegative=True)
only_le = Implication(
    "the per-step bounds ||x_{i+1} - x_i|| <= 2(phi_i - phi_{i+1}) alone give only <= in the recursion",
    hypotheses=[_ls[i] <= 2 * (_ps[i] - _ps[i + 1]) for i in range(3)],
    conclusion=sum(_ls) < 2 * (_ps[0] - _ps[3]),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"\ell_i\le2(\varphi_i-\varphi_{i+1}),\ i=k..K\ \not\Longrightarrow\ \sum_{i=k}^K\ell_i<2(\varphi_k-\varphi_{K+1})",
    note=(
        "The slide's `$<$' in the recursion line does not follow from the displayed chain (which gives $\\le$); z3 exhibits equality. "
        "It is nevertheless true under the standing assumptions: equality in the descent lemma forces $\\nabla F(x_{i+1})=0$, impossible with "
        "$F(x_{i+1})>0$ inside the KL ball. The strict version is checked numerically along trajectories."
    ),
)

trap_descent = trap_claim(
    "descent lemma form F(x_{k+1}) <= F(x_k) - 1/2 ||x_{k+1}-x_k|| ||grad F(x_k)||",
    margin_descent_line,
    r"F(x_{k+1})\le F(x_k)-\tfrac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|",
    proof=None,
)
trap_phi_chain = Derivation(
    "phi chain: phi(F(x_{k+1})) <= phi(F(x_k)) - 1/2 ||x_{k+1} - x_k||",
    start=r"\varphi(F(x_{k+1}))",
    steps=[
        Step(
            "<=",
            r"\varphi\Big(F(x_k)-\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|\Big)",
            r"$\varphi$ increasing (and the descent lemma line)",
            check=trap_claim("phi increasing step", margin_phi_increasing, r"\varphi(F(x_{k+1}))\le\varphi\big(F(x_k)-\tfrac12\|x_{k+1}-x_k\|\|\nabla F(x_k)\|\big)", proof=sqrt_increasing),
        ),
        Step(
            "<=",
            r"\varphi(F(x_k))-\varphi'(F(x_k))\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|",
            "concavity",
            check=trap_claim("concavity step", margin_phi_concave, r"\varphi(F_k-a)\le\varphi(F_k)-\varphi'(F_k)\,a,\ a=\tfrac12\|x_{k+1}-x_k\|\|\nabla F(x_k)\|", proof=sqrt_concave),
        ),
        Step("=", r"\varphi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2\|\nabla\varphi\circ F(x_k)\|", r"chain rule, $\varphi'>0$", check=chain_rule),
        Step(
            "<=",
            r"\varphi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2",
            "desingularizing (KL inequality at $x_k$)",
            check=trap_claim("desingularizing step", margin_desingularizing, r"\tfrac12\|x_{k+1}-x_k\|\big(\|\nabla\varphi\circ F(x_k)\|-1\big)\ge0"),
        ),
    ],
)
trap_distance = Derivation(
    "distance to xbar after one step",
    start=r"\|x_{k+1}-\bar x\|_2",
    steps=[
        Step("<=", r"\|x_k-\bar x\|_2+\|x_{k+1}-x_k\|", "triangle inequality", check=trap_claim("triangle inequality", margin_triangle_inequality, r"\|x_{k+1}-\bar x\|\le\|x_k-\bar x\|+\|x_{k+1}-x_k\|")),
        Step(
            "<=",
            r"\|x_k-\bar x\|_2+2(\varphi(F(x_k))-\varphi(F(x_{k+1})))",
            r"the $\varphi$ chain above",
            check=trap_claim("one step length bound", margin_step_length_bound, r"\|x_{k+1}-x_k\|\le2(\varphi(F(x_k))-\varphi(F(x_{k+1})))"),
        ),
        Step(
            "<",
            r"\varepsilon",
            r"assumption $\|x_k-\bar x\|+2\varphi(F(x_k))<\varepsilon$ and $\varphi\ge0$",
            check=trap_claim("stays in the ball", margin_next_iterate_in_ball, r"\|x_k-\bar x\|+2(\varphi(F(x_k))-\varphi(F(x_{k+1})))<\varepsilon", strict=True, proof=eps_implication),
        ),
    ],
)
trap_recursion = Derivation(
    "recursion for K >= k",
    start=r"\|x_{K+1}-\bar x\|_2",
    steps=[
        Step("<=", r"\|x_k-\bar x\|_2+\sum_{i=k}^K\|x_{i+1}-x_i\|", "triangle inequality", check=trap_claim("recursion: triangle inequality", margin_recursion_triangle, r"\|x_{K+1}-\bar x\|\le\|x_k-\bar x\|+\sum_{i=k}^K\|x_{i+1}-x_i\|")),
        Step(
            "<",
            r"\|x_k-\bar x\|_2+2(\varphi(F(x_k))-\varphi(F(x_{K+1})))",
            "sum of the one-step bounds (telescoping); strict: see the note",
            check=trap_claim(
                "recursion: strict telescoped length bound",
                margin_recursion_path_length,
                r"\sum_{i=k}^K\|x_{i+1}-x_i\|<2(\varphi(F(x_k))-\varphi(F(x_{K+1})))",
                strict=True,
                note="Checked strict along trajectories with $F(x_i)>0$; the displayed chain alone only gives $\\le$ (see the necessity check).",
            ),
        ),
        Step("<", r"\varepsilon", r"assumption and $\varphi\ge0$", check=trap_claim("recursion: stays in the ball", margin_recursion_in_ball, r"\|x_k-\bar x\|+2(\varphi(F(x_k))-\varphi(F(x_{K+1})))<\varepsilon", strict=True, proof=eps_implication)),
    ],
)
trap_finite_length = trap_claim(
    "finite length: sum_{i=k}^K ||x_{i+1} - x_i|| <= 2 phi(F(x_k)) for every K",
    margin_finite_length,
    r"\sum_{i=k}^{K}\|x_{i+1}-x_i\|\le2\varphi(F(x_k))\quad\forall K\ge k",
    note="Partial sums bounded uniformly in $K$ (checked up to $K=k+12$): the series converges, the sequence is Cauchy.",
)
trap_kl_hypothesis = trap_claim(
    "the KL inequality phi'(F)||grad F|| >= 1 holds along the trajectory (hypothesis check)",
    lambda c, B: dphi(c, B, gd_trajectory(c, B).F[index_k(c)]) * B.norm(gd_trajectory(c, B).g[index_k(c)]) - 1,
    r"\varphi'(F(x_k))\|\nabla F(x_k)\|\ge1,\ \varphi=2\sqrt{t/c}\ \text{or}\ 3t^{1/4}",
    note="Convex quadratics with $c=2\\mu$, $x^2+3\\sin^2x$ with $c=1/16$ (Karimi-Nutini-Schmidt's PL constant $\\mu=1/32$), $1-\\cos x$ ($c=1$, $|x|<3/2$) and $x^4/(1+x^2)$ with $\\varphi=3t^{1/4}$ ($|x|<2$).",
)


def _with_c_16L(c: Case) -> Case:
    assert c.objective is not None and c.objective.constants.L is not None
    return Case(objective=c.objective, params={**c.params, "c": 16 * c.objective.constants.L}, points=c.points)


trap_necessity = Claim(
    "necessity: without the desingularizing inequality (c = 16 L) the finite-length bound fails",
    cases=trap_cases(c_factor=Q(1), degenerate=False).map(_with_c_16L),
    margin=margin_finite_length,
    where=trap_where,
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"\sum_{i=k}^{K}\|x_{i+1}-x_i\|\le2\varphi(F(x_k)),\ \varphi=2\sqrt{t/(16L)}",
    note="With $c=16L$ the inequality $\\varphi'(F)\\|\\nabla F\\|\\ge1$ fails (it needs $\\|\\nabla F\\|^2\\ge16LF$, while $\\|\\nabla F\\|^2\\le2LF$); the trap's length bound then fails too.",
)

register(
    Entry(
        id="pauwels.kl-trap",
        title="The trap mechanism",
        where="Proof sketch: the trap mechanism",
        statement=(
            r"Assume $\|x_k-\bar x\|+2\phi(F(x_k))<\varepsilon$. $F(x_{k+1})\le F(x_k)-\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|$ (descent Lemma); "
            r"$\phi(F(x_{k+1}))\le\phi(F(x_k)-\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|)$ ($\phi$ increasing) "
            r"$\le\phi(F(x_k))-\phi'(F(x_k))\frac12\|x_{k+1}-x_k\|_2\|\nabla F(x_k)\|$ (concavity) "
            r"$=\phi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2\|\nabla\phi\circ F(x_k)\|\le\phi(F(x_k))-\frac12\|x_{k+1}-x_k\|_2$ (desingularizing). "
            r"$\|x_{k+1}-\bar x\|_2\le\|x_k-\bar x\|_2+\|x_{k+1}-x_k\|\le\|x_k-\bar x\|_2+2(\phi(F(x_k))-\phi(F(x_{k+1})))<\varepsilon$. "
            r"By recursion, for any $K\ge k$, $\|x_{K+1}-\bar x\|_2\le\|x_k-\bar x\|_2+\sum_{i=k}^K\|x_{i+1}-x_i\|<\|x_k-\bar x\|_2+2(\phi(F(x_k))-\phi(F(x_{K+1})))<\varepsilon$. "
            r"$\sum_{i=k}^{+\infty}\|x_{i+1}-x_i\|$ is finite, the sequence is Cauchy and converges."
        ),
        hypotheses=[r"$F$ $C^1$, $L$-Lipschitz gradient, $\alpha=1/L$", r"KL at $\bar x$ with $\varepsilon,\phi$; $F(x_i)>0$ for all $i$"],
        checks=[
            step_identity,
            trap_descent,
            trap_kl_hypothesis,
            local_kl_hypothesis,
            quartic_kl_hypothesis,
            trap_phi_chain,
            trap_distance,
            trap_recursion,
            only_le,
            trap_finite_length,
            trap_necessity,
        ],
        status=Status.VERIFIED,
        reading=(
            "Checked on KL functions with explicit $\\varphi=2\\sqrt{t/c}$: global ones with $\\varepsilon=16$, and $1-\\cos x$, which is "
            "KL ($c=1$) only on the ball $|x|<\\varepsilon=3/2$, so that the lines after the first depend on the iterates staying in the ball, "
            "and with a second desingularizing function, $\\varphi=3t^{1/4}$ for $x^4/(1+x^2)$ (a degenerate minimum, KL on $|x|<2$, sublinear "
            "convergence) with horizons up to $K=k+40$ (the other families up to $k+12$), "
            "at $x_k$ = the $k$-th GD iterate from a random $x_0$ for which the trap assumption holds. "
            "The `$<$' in the recursion line is not implied by the displayed chain (z3: equality is consistent with it) but holds strictly under the standing assumptions."
        ),
    )
)
