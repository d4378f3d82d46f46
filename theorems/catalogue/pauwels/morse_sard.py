"""pauwels.morse-sard: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 3 "On the structure of deep learning training loss", slide "Semi-algebraic sets and functions are “not pathological”", "Example: Morse-Sard theorem".

A differentiable SA function has finitely many critical values; the 1D proof (C = {f' = 0} is m intervals, f is
constant on each). Critical values of polynomials are computed by Gröbner-basis elimination.
"""

from __future__ import annotations

from typing import Any

import mpmath
import numpy as np
import sympy as sp

from symbolic import (
    CheckSettings,
    Definition,
    Derivation,
    Illustration,
    Implication,
    Judgement,
    Step,
    Verdict,
)
from symbolic.agreement import NumericAgreement
from theorems.catalogue.pauwels._common import elimination_polynomial
from theorems.registry import Entry, Status, register

Xs, Ys, Cs = sp.symbols("x y c", real=True)
POLYS = {
    "x^3 - 3x + y^2": Xs**3 - 3 * Xs + Ys**2,
    "(x^2 + y^2 - 1)^2": (Xs**2 + Ys**2 - 1) ** 2,
    "x^2 y^2": Xs**2 * Ys**2,
    "x y (x + y - 1)": Xs * Ys * (Xs + Ys - 1),
    "x^4 - 2x^2 + y^4 - 2y^2": Xs**4 - 2 * Xs**2 + Ys**4 - 2 * Ys**2,
}


def finitely_many_critical_values(name: str) -> Judgement:
    f = POLYS[name]
    g = elimination_polynomial(f)
    if g == 0:
        return Judgement(False, Verdict.PROVED, "elimination ideal is zero")
    roots = sorted(sp.Poly(g, Cs).real_roots())
    return Judgement(True, Verdict.PROVED, f"every critical value is a root of {sp.factor(g)}; real roots {roots}")


morse_sard_groebner = Definition(
    "polynomials: the critical values are roots of a nonzero univariate polynomial (Groebner elimination)",
    finitely_many_critical_values,
    [(n, n, True) for n in POLYS],
    statement=r"(\partial_xf,\partial_yf,f-c)\cap\mathbb{Q}[c]=(g),\ g\ne0\implies \mathrm{crit}_f\subset\{g=0\}\ \text{finite}",
    note="$(x^2+y^2-1)^2$ and $x^2y^2$ have non-isolated critical sets (a circle, the two axes) but still finitely many critical values.",
)


def crit_values_agree(name: str) -> Judgement:
    """Critical points by solve_poly_system (where isolated) or on the known critical curves: values among the roots of g."""
    f = POLYS[name]
    g = elimination_polynomial(f)
    roots = set(sp.Poly(g, Cs).real_roots())
    sols = sp.solve_poly_system([sp.diff(f, Xs), sp.diff(f, Ys)], Xs, Ys) or []
    vals = set()
    for s in sols:
        if all(v.is_real for v in s):
            vals.add(sp.nsimplify(sp.simplify(f.subs({Xs: s[0], Ys: s[1]}))))
    ok = vals <= roots and len(vals) > 0
    return Judgement(ok, Verdict.PROVED, f"critical values {sorted(vals)} among roots {sorted(roots)}")


morse_sard_solve = Definition(
    "isolated critical points by solve_poly_system: their values are among those roots",
    crit_values_agree,
    [(n, n, True) for n in ("x^3 - 3x + y^2", "x y (x + y - 1)", "x^4 - 2x^2 + y^4 - 2y^2")],
    statement=r"f(\{\nabla f=0\})\subset\{c:\ g(c)=0\}",
)


def numeric_critical_values(settings: CheckSettings) -> list[tuple[str, Any]]:
    """Newton from random starts on grad f = 0 (50 digits); distance of each critical value found to the roots of g."""
    rng = np.random.default_rng(settings.seed)
    rows: list[tuple[str, Any]] = []
    with mpmath.workdps(settings.digits):
        for name in ("x^3 - 3x + y^2", "x y (x + y - 1)", "x^4 - 2x^2 + y^4 - 2y^2"):
            f = POLYS[name]
            grad = sp.lambdify((Xs, Ys), [sp.diff(f, Xs), sp.diff(f, Ys)], "mpmath")
            fv = sp.lambdify((Xs, Ys), f, "mpmath")
            roots = [mpmath.mpf(sp.N(r, settings.digits + 10)) for r in sp.Poly(elimination_polynomial(f), Cs).real_roots()]
            for _ in range(6):
                start = [mpmath.mpf(float(v)) for v in rng.uniform(-2, 2, size=2)]
                try:
                    p = mpmath.findroot(lambda a, b, grad=grad: grad(a, b), start)
                except (ZeroDivisionError, ValueError):
                    continue
                c = fv(p[0], p[1])
                rows.append((f"{name} from {[float(s) for s in start]}", min(abs(c - r) for r in roots)))
    return rows


morse_sard_numeric = NumericAgreement(
    "Newton on grad f = 0 from random starts finds only values among the roots",
    numeric_critical_values,
    tol=1e-30,
    statement=r"\min_{g(c^\star)=0}|f(x^\star)-c^\star|\approx0\ \text{for critical points }x^\star\text{ found numerically}",
)

# --- the 1D proof on a function with a plateau: f(x) = x max(0, x^2 - 1)^2, C = [-1, 1]
t = sp.Symbol("t", real=True)
PLATEAU = t * sp.Max(0, t**2 - 1) ** 2
QUARTIC = t**4 - 2 * t**2


def critical_set_is_finite_union(ex: tuple[sp.Expr, sp.Set]) -> Judgement:
    f, expected = ex
    fp = sp.diff(sp.piecewise_fold(f.rewrite(sp.Piecewise)), t)
    C = sp.solveset(sp.Eq(fp, 0), t, sp.S.Reals)
    pieces = C.args if isinstance(C, sp.Union) else (C,)
    finite = all(isinstance(p, sp.Interval | sp.FiniteSet) for p in pieces)
    return Judgement(finite and C == expected, Verdict.PROVED, f"C = {C}")


step_C = Definition(
    "C = {f' = 0} is a finite union of intervals",
    critical_set_is_finite_union,
    [("x max(0, x^2-1)^2: C = [-1, 1]", (PLATEAU, sp.Interval(-1, 1)), True), ("x^4 - 2x^2: C = {-1, 0, 1}", (QUARTIC, sp.FiniteSet(-1, 0, 1)), True)],
    statement=r"C=\{x:\ f'(x)=0\}=\textstyle\bigcup_{i=1}^m J_i",
)
_a, _b = sp.symbols("a b", real=True)
step_constant = Implication(
    "f is constant on the interval J = [-1, 1] of C",
    hypotheses=[_a >= -1, _a <= 1, _b >= -1, _b <= 1],
    conclusion=sp.Eq(PLATEAU.subs(t, _b) - PLATEAU.subs(t, _a), 0),
    statement=r"a,b\in J=[-1,1]\implies f(b)-f(a)=\int_a^b f'(t)\,dt=0,\quad f(x)=x\max(0,x^2-1)^2",
)


def values_at_most_m(ex: tuple[sp.Expr, list[sp.Set]]) -> Judgement:
    f, comps = ex
    vals = set()
    for J in comps:
        pts = [J.inf, J.sup, (J.inf + J.sup) / 2]
        vs = {sp.simplify(f.subs(t, p)) for p in pts}
        if len(vs) != 1:
            return Judgement(False, Verdict.PROVED, f"f not constant on {J}")
        vals |= vs
    # constancy on each component is sampled at 3 points: a sampled answer is at most checked
    return Judgement(len(vals) <= len(comps), Verdict.CHECKED, f"f(C) = {sorted(vals)} (f sampled at 3 points of each component), m = {len(comps)}")


step_values = Definition(
    "f(C) has at most m values",
    values_at_most_m,
    [("x max(0, x^2-1)^2", (PLATEAU, [sp.Interval(-1, 1)]), True), ("x^4 - 2x^2", (QUARTIC, [sp.Interval(-1, -1), sp.Interval(0, 0), sp.Interval(1, 1)]), True)],
    statement=r"|f(C)|\le m",
)
proof_1d = Derivation(
    "proof in 1D",
    start=r"C=\{x:\ f'(x)=0\}",
    steps=[
        Step("=>", r"C=\textstyle\bigcup_{i=1}^m J_i", "$f'$ is SA, so $C$ is SA: a finite union of intervals (computed)", check=step_C),
        Step("=>", r"f(b)-f(a)=\int_a^bf'=0,\ a,b\in J_i", "$f'=0$ is continuous on $J_i$ (z3 on the plateau example)", check=step_constant),
        Step("=>", r"|f(C)|\le m", "$f$ constant on each $J_i$", check=step_values),
    ],
)


def xsinx_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    with mpmath.workdps(30):
        vals = []
        for k in range(1, 21):
            r = mpmath.findroot(lambda s: mpmath.sin(s) + s * mpmath.cos(s), k * mpmath.pi + mpmath.pi / 2 - 0.1)
            vals.append(r * mpmath.sin(r))
    distinct = len({mpmath.nstr(v, 15) for v in vals})
    return distinct == 20, f"x sin x has critical values {[mpmath.nstr(v, 5) for v in vals[:5]]}..., {distinct} distinct among 20", {"values": [float(v) for v in vals]}


not_sa = Illustration(
    "without semi-algebraicity: x sin x has infinitely many critical values",
    xsinx_experiment,
    shows="an analytic (not semi-algebraic) function has at least 20 distinct critical values, growing like $k\\pi$, one near each $k\\pi+\\pi/2$",
    does_not_show="a proof that there are infinitely many (it is clear from $|x\\sin x|$ at $\\sin x+x\\cos x=0$ being unbounded)",
    statement=r"f(x)=x\sin x:\ \mathrm{crit}_f \text{ infinite}",
)

register(
    Entry(
        id="pauwels.morse-sard",
        title="Semi-algebraic Morse-Sard theorem: finitely many critical values",
        where="Example: Morse-Sard theorem",
        statement=(
            r"Let $f:\mathbb{R}^p\to\mathbb{R}$ be SA differentiable, then critical values of $f$ are finite: "
            r"$\mathrm{crit}_f=f(\{x\in\mathbb{R},\nabla f(x)=0\})$. Proof in 1D: $C=\{f'=0\}=\bigcup_{i=1}^m J_i$; on each interval "
            r"$f(b)-f(a)=\int_a^bf'(t)dt=0$, so $f(C)$ has at most $m$ values."
        ),
        hypotheses=[r"$f$ semi-algebraic and differentiable"],
        checks=[morse_sard_groebner, morse_sard_solve, morse_sard_numeric, proof_1d, not_sa],
        status=Status.VERIFIED,
        reading="The slide's $\\{x\\in\\mathbb{R},\\ldots\\}$ is read as $x\\in\\mathbb{R}^p$. Finiteness is proved for polynomial examples by elimination (a nonzero $g(c)$ vanishes at every critical value); the 1D proof is checked on $x\\max(0,x^2-1)^2$ (a plateau $C=[-1,1]$) and $x^4-2x^2$.",
    )
)
