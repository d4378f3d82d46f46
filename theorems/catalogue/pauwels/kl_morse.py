"""pauwels.kl-morse: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "KL inequality examples", item "Morse functions".

F in C^2 whose critical points have nonsingular Hessians satisfies ||grad F||^2 >= c |F - F(x-bar)| near each critical
point (KL with exponent 1/2, the slide's heading "Non convex examples: theta = 1/2").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Case,
    Claim,
    Definition,
    Implication,
    Judgement,
    Objective,
    Verdict,
    coordinates,
)
from symbolic.backends import Backend, Number
from theorems.catalogue.pauwels._common import dist2_exact, fixed_params, fixed_point
from theorems.catalogue.pauwels._kl import points_in_ball
from theorems.registry import Entry, Status, register

x1, x2 = coordinates(2)
(y1,) = coordinates(1)
_zs = sp.symbols("z1:4", real=True)


def is_morse(F: sp.Expr, variables: Sequence[sp.Symbol]) -> Judgement:
    """Every critical point (solved exactly with sympy) has a nonsingular Hessian."""
    grad = [sp.diff(F, v) for v in variables]
    sols = sp.solve(grad, list(variables), dict=True)
    H = sp.hessian(F, list(variables))
    if not isinstance(sols, list):
        return Judgement(None, Verdict.UNDECIDED, "sympy could not solve grad F = 0")
    for s in sols:
        if len(s) < len(variables):
            return Judgement(False, Verdict.PROVED, f"a curve of critical points {s}")
        det = sp.simplify(H.subs(s).det())
        if det == 0:
            return Judgement(False, Verdict.PROVED, f"degenerate critical point {s}")
    return Judgement(True, Verdict.PROVED, f"{len(sols)} critical points, all nondegenerate")


MORSE_EXAMPLES = [
    ("x^3 - 3x", (y1**3 - 3 * y1, (y1,)), True),
    ("x1^3 - 3 x1 + x2^2", (x1**3 - 3 * x1 + x2**2, (x1, x2)), True),
    ("x1^2 - x2^2", (x1**2 - x2**2, (x1, x2)), True),
    ("x^3", (y1**3, (y1,)), False),
    ("x1^4 + x2^2", (x1**4 + x2**2, (x1, x2)), False),
    ("(x1^2 + x2^2 - 1)^2 (a circle of minima)", ((x1**2 + x2**2 - 1) ** 2, (x1, x2)), False),
]
morse_definition = Definition(
    "is_morse on examples and non-examples",
    predicate=lambda ex: is_morse(*ex),
    examples=MORSE_EXAMPLES,
    statement=r"\nabla F(x)=0\implies\nabla^2F(x)\ \text{nonsingular}",
)


@dataclass(frozen=True)
class MorsePoint:
    F: sp.Expr
    variables: tuple[sp.Symbol, ...]
    xbar: tuple[Q, ...]
    c: Q  # KL 1/2 constant: ||grad F||^2 >= c |F - F(xbar)|
    eps: Q


# Hessians at the critical points: diag(6, 2) at (1, 0) (minimum), diag(-6, 2) at (-1, 0) (saddle);
# ||grad F||^2 ~ ||H d||^2 >= mu^2 ||d||^2 and |F - F(xbar)| ~ |d^T H d|/2 <= ||H|| ||d||^2/2: c = mu^2/||H|| = 2/3 near.
MORSE_POINTS = [
    MorsePoint(x1**3 - 3 * x1 + x2**2, (x1, x2), (Q(1), Q(0)), Q(1, 2), Q(1, 4)),
    MorsePoint(x1**3 - 3 * x1 + x2**2, (x1, x2), (Q(-1), Q(0)), Q(1, 2), Q(1, 4)),
    MorsePoint(y1**3 - 3 * y1, (y1,), (Q(1),), Q(6), Q(1, 4)),
    MorsePoint(x1**2 * (x1 - 1) ** 2 + x2**2 - x1 * x2 / 2, (x1, x2), (Q(0), Q(0)), Q(1, 2), Q(1, 8)),
]


@st.composite
def morse_cases(draw: st.DrawFn) -> Case:
    m = draw(st.sampled_from(MORSE_POINTS))
    f = Objective("Morse", m.variables, m.F)
    x = draw(points_in_ball(m.xbar, m.eps))
    return Case(objective=f, params={"c": m.c, "eps": m.eps, **fixed_params("xbar", m.xbar)}, points={"x": x})


def _morse_margin(c: Case, B: Backend) -> Number:
    f = c.objective
    assert f is not None
    x = c.x(B, "x")
    xb = [B.num(v) for v in fixed_point(c, "xbar")]
    return B.norm2(f.grad(B, x)) - c.p(B, "c") * B.abs(f.value(B, x) - f.value(B, xb))


morse_kl = Claim(
    "KL 1/2 near nondegenerate critical points: ||grad F||^2 >= c |F - F(xbar)|",
    cases=morse_cases(),
    margin=_morse_margin,
    where=lambda c: dist2_exact(c.points["x"], fixed_point(c, "xbar")) < c.params["eps"] ** 2,
    statement=r"\|\nabla F(x)\|^2\ge c\,|F(x)-F(\bar x)|,\ \|x-\bar x\|<\varepsilon,\quad \varphi(s)=2\sqrt{s/c}",
    note=(
        "Morse functions with their critical points $\\bar x$ (a minimum, a saddle, a 1-D minimum, a tilted double well at $0$), "
        "$c$ and $\\varepsilon$ from the second order Taylor expansion with margin. Numeric evidence, not a proof for all Morse functions."
    ),
)

morse_quadratic_model = Implication(
    "the quadratic model: ||H d||^2 >= (mu^2/||H||) |d^T H d| for H = diag(+-6, 2)",
    hypotheses=[],
    conclusion=sp.And(
        36 * _zs[0] ** 2 + 4 * _zs[1] ** 2 >= sp.Rational(4, 6) * sp.Abs(6 * _zs[0] ** 2 + 2 * _zs[1] ** 2),
        36 * _zs[0] ** 2 + 4 * _zs[1] ** 2 >= sp.Rational(4, 6) * sp.Abs(-6 * _zs[0] ** 2 + 2 * _zs[1] ** 2),
    ),
    statement=r"\|Hd\|^2\ge\tfrac{\mu^2}{\|H\|}|d^THd|,\quad H=\operatorname{diag}(\pm6,2),\ \mu=2,\ \|H\|=6",
    note="The exact KL 1/2 inequality of the second order model at the minimum and the saddle of $x_1^3-3x_1+x_2^2$ (so $c$ up to $2\\cdot\\frac23$ for $F-F(\\bar x)\\approx\\frac12d^THd$).",
)

register(
    Entry(
        id="pauwels.kl-morse",
        title="KL inequality for Morse functions",
        where="KL inequality examples: Morse functions",
        statement=r"\textbf{Morse functions:} $F\in C^2$ such that $\nabla F(x)=0$ implies $\nabla^2F(x)$ is non singular.",
        checks=[morse_definition, morse_quadratic_model, morse_kl],
        status=Status.VERIFIED,
        reading="Listed under the heading `Non convex examples: $\\theta=1/2$': read as `Morse functions satisfy KL with exponent $\\frac12$ near each critical point', with $F-F(\\bar x)$ in absolute value (saddles).",
    )
)
