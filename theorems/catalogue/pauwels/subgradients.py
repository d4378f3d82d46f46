"""pauwels.subgradients: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 6 "Extensions to nonsmooth settings", slides "Subgradients: F Lipschitz continuous" (both).

Convex, Fréchet, limiting and Clarke subdifferentials from their definitions, the example -|x| at 0, the inclusions
Fréchet in limiting in Clarke, and the Fermat rule (stated as an iff: an erratum, 0 in the Fréchet subdifferential is necessary, not sufficient).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as Q

import sympy as sp

from symbolic import Bound, Case, Claim, Definition, Expect, Implication, Judgement, Verdict
from symbolic.backends import Backend, Number
from symbolic.subgradients import (
    clarke,
    convex_subdifferential,
    frechet,
    is_local_minimum,
    is_subset,
    limiting,
)
from theorems.cases import scalar_cases
from theorems.registry import Entry, Status, register

x = sp.Symbol("x", real=True)
E = sp.S.EmptySet


FUNCS: dict[str, sp.Expr] = {
    "-|x|": -sp.Abs(x),
    "|x|": sp.Abs(x),
    "max(0,x)": sp.Max(0, x),
    "-max(0,x)": -sp.Max(0, x),
    "x^2": x**2,
    "|x|+x": sp.Abs(x) + x,
    "min(x,0)": sp.Min(x, 0),
    "x^3": x**3,
    "|x|-x^2": sp.Abs(x) - x**2,
    "max(x,-2x)": sp.Max(x, -2 * x),
}

I = sp.Interval
F = sp.FiniteSet
#: (function, point) -> (convex, Frechet, limiting, Clarke), derived by hand from the definitions
TABLES: dict[tuple[str, int], tuple[sp.Set, sp.Set, sp.Set, sp.Set]] = {
    ("-|x|", 0): (E, E, F(-1, 1), I(-1, 1)),
    ("|x|", 0): (I(-1, 1), I(-1, 1), I(-1, 1), I(-1, 1)),
    ("max(0,x)", 0): (I(0, 1), I(0, 1), I(0, 1), I(0, 1)),
    ("-max(0,x)", 0): (E, E, F(-1, 0), I(-1, 0)),
    ("x^2", 0): (F(0), F(0), F(0), F(0)),
    ("|x|+x", 0): (I(0, 2), I(0, 2), I(0, 2), I(0, 2)),
    ("min(x,0)", 0): (E, E, F(0, 1), I(0, 1)),
    ("x^3", 0): (E, F(0), F(0), F(0)),
    ("|x|-x^2", 0): (E, I(-1, 1), I(-1, 1), I(-1, 1)),
    ("max(x,-2x)", 0): (I(-2, 1), I(-2, 1), I(-2, 1), I(-2, 1)),
    ("-|x|", 1): (E, F(-1), F(-1), F(-1)),
    ("x^2", 1): (F(2), F(2), F(2), F(2)),
}
NAMES = ("convex", "Frechet", "limiting", "Clarke")


def four_subdifferentials(f: sp.Expr, x0: Q | int) -> tuple[sp.Set | None, sp.Set, sp.Set, sp.Set]:
    return convex_subdifferential(f, x, x0), frechet(f, x, x0), limiting(f, x, x0), clarke(f, x, x0)


def table_matches(ex: tuple[str, int, tuple[sp.Set, ...]]) -> Judgement:
    name, x0, table = ex
    got = four_subdifferentials(FUNCS[name], x0)
    if got[0] is None:
        return Judgement(None, Verdict.UNDECIDED, "z3 could not decide the convex subdifferential")
    ok = all(sp.simplify(sp.Complement(a, b)) is E and sp.simplify(sp.Complement(b, a)) is E for a, b in zip(got, table, strict=True))
    why = ", ".join(f"{n} {sp.sstr(g)}" for n, g in zip(NAMES, got, strict=True))
    return Judgement(ok, Verdict.PROVED, why)


slide_example = Definition(
    "the slide's example F = -|x| at 0: convex and Frechet empty, limiting {-1, 1}, Clarke [-1, 1]",
    table_matches,
    [
        ("-|x| at 0, the slide's four sets", ("-|x|", 0, TABLES[("-|x|", 0)]), True),
        ("non-example: Frechet = [-1,1] would be wrong", ("-|x|", 0, (E, I(-1, 1), F(-1, 1), I(-1, 1))), False),
        ("non-example: limiting = [-1,1] would be wrong", ("-|x|", 0, (E, E, I(-1, 1), I(-1, 1))), False),
    ],
    statement=r"\partial_{\mathrm{conv}}F(0)=\emptyset,\ \partial_{\mathrm{Frechet}}F(0)=\emptyset,\ \partial_{\lim}F(0)=\{-1,1\},\ \partial_{\mathrm{Clarke}}F(0)=[-1,1],\quad F=-|\cdot|",
    note="Each set is computed from its definition (exact one-sided limits of the difference quotient; limits of nearby derivatives; convex hull; z3 for the global lower tangent) and compared exactly with the slide's.",
)

more_examples = Definition(
    "the four subdifferentials of further piecewise-smooth functions",
    table_matches,
    [(f"{n} at {p}", (n, p, t), True) for (n, p), t in TABLES.items() if (n, p) != ("-|x|", 0)],
    statement=r"\partial_{\mathrm{conv}},\ \partial_{\mathrm{Frechet}},\ \partial_{\lim},\ \partial_{\mathrm{Clarke}}\ \text{of } |x|,\ \max(0,x),\ -\max(0,x),\ x^2,\ |x|+x,\ \min(x,0),\ x^3,\ |x|-x^2,\ \max(x,-2x)",
    note="Expected tables derived by hand; $x^3$ and $|x|-x^2$ show the convex subdifferential empty while the Fréchet one is not (nonconvex functions).",
)


def inclusions_hold(ex: tuple[str, Q]) -> Judgement:
    name, x0 = ex
    cv, fr, lim, cl = four_subdifferentials(FUNCS[name], x0)
    if cv is None:
        return Judgement(None, Verdict.UNDECIDED, "convex subdifferential undecided")
    ok = is_subset(cv, fr) and is_subset(fr, lim) and is_subset(lim, cl)
    return Judgement(ok, Verdict.PROVED, f"{sp.sstr(cv)} c {sp.sstr(fr)} c {sp.sstr(lim)} c {sp.sstr(cl)}")


inclusions = Definition(
    "Frechet c limiting c Clarke (and convex c Frechet)",
    inclusions_hold,
    [(f"{n} at {p}", (n, p), True) for n in FUNCS for p in (Q(0), Q(-1, 2))],
    statement=r"\partial_{\mathrm{Frechet}}F(x)\subset\partial_{\lim}F(x)\subset\partial_{\mathrm{Clarke}}F(x)",
    note="Checked exactly at the kink and at two smooth points of every example function.",
)


def _quotients(f: Callable[[Backend, Number], Number], c: Case, B: Backend) -> tuple[Number, Number]:
    v, h = c.p(B, "v"), c.p(B, "h")
    zero = B.num(0)
    right = (f(B, h) - f(B, zero) - v * h) / h
    left = (f(B, zero - h) - f(B, zero) + v * h) / h
    return right, left


frechet_empty_numeric = Claim(
    "for -|x| at 0 every v has a negative one-sided difference quotient (Frechet set empty)",
    cases=scalar_cases({"v": Bound(Q(-4), Q(4), False, False), "h": Bound(Q(0), Q(1), True, False)}),
    margin=lambda c, B: -B.min(*_quotients(lambda B, t: -B.abs(t), c, B)),
    strict=True,
    statement=r"\forall v,\ \forall h\in(0,1]:\ \min\Big(\tfrac{F(h)-F(0)-vh}{h},\tfrac{F(-h)-F(0)+vh}{h}\Big)<0,\quad F=-|\cdot|",
    note="The quotients are $-1-v$ and $-1+v$ for every $h$, so their liminf is negative for every $v$.",
)

frechet_interval_numeric = Claim(
    "for |x|+x at 0 every v in [0,2] has nonnegative one-sided quotients",
    cases=scalar_cases({"v": Bound(Q(0), Q(2), False, False), "h": Bound(Q(0), Q(1), True, False)}),
    margin=lambda c, B: B.min(*_quotients(lambda B, t: B.abs(t) + t, c, B)),
    statement=r"v\in[0,2],\ h\in(0,1]:\ \tfrac{F(h)-F(0)-vh}{h}\ge0,\ \tfrac{F(-h)-F(0)+vh}{h}\ge0,\quad F=|\cdot|+\mathrm{id}",
)


#: the Fermat examples: the subgradient table's functions, and x^3/(1+x^2), which is Lipschitz on all of R
#: (|F'| <= 9/8, proved below) as the slide's standing hypothesis asks, and behaves like x^3 at 0
FERMAT_FUNCS: dict[str, sp.Expr] = {**FUNCS, "x^3/(1+x^2)": x**3 / (1 + x**2)}


def fermat_iff(ex: tuple[str, Q]) -> Judgement:
    name, x0 = ex
    lm = is_local_minimum(FERMAT_FUNCS[name], x, x0)
    zero_in = bool(frechet(FERMAT_FUNCS[name], x, x0).contains(0))
    if lm is None:
        return Judgement(None, Verdict.UNDECIDED, "z3 could not decide local minimality")
    return Judgement(lm == zero_in, Verdict.PROVED, f"local minimum: {lm}; 0 in Frechet: {zero_in}")


def fermat_necessary(ex: tuple[str, Q]) -> Judgement:
    name, x0 = ex
    lm = is_local_minimum(FERMAT_FUNCS[name], x, x0)
    zero_in = bool(frechet(FERMAT_FUNCS[name], x, x0).contains(0))
    if lm is None:
        return Judgement(None, Verdict.UNDECIDED, "z3 could not decide local minimality")
    return Judgement((not lm) or zero_in, Verdict.PROVED, f"local minimum: {lm}; 0 in Frechet: {zero_in}")


FERMAT_POINTS = [
    ("x^3/(1+x^2)", Q(0)),  # first, so that the reported counterexample is inside the slide's class
    ("x^2", Q(0)),
    ("|x|", Q(0)),
    ("-|x|", Q(0)),
    ("max(0,x)", Q(0)),
    ("min(x,0)", Q(0)),
    ("x^3", Q(0)),
    ("-|x|", Q(1)),
    ("x^3/(1+x^2)", Q(-1, 2)),
]

fermat_witness_lipschitz = Implication(
    "the Fermat counterexample x^3/(1+x^2) is 9/8-Lipschitz on R",
    hypotheses=[],
    conclusion=sp.And(x**4 + 3 * x**2 >= 0, 8 * (x**4 + 3 * x**2) <= 9 * (1 + x**2) ** 2),
    statement=r"F(x)=\frac{x^3}{1+x^2}:\ F'(x)=\frac{x^4+3x^2}{(1+x^2)^2}\in\left[0,\tfrac98\right]\ \forall x\in\mathbb{R}",
    note="So $F$ satisfies the slide's standing hypothesis ($F$ Lipschitz continuous), unlike $x^3$; equality $9/8$ at $x^2=3$.",
)

fermat_stated = Definition(
    "Fermat rule as stated: local minimum iff 0 in the Frechet subdifferential",
    fermat_iff,
    [(f"{n} at {p}", (n, p), True) for n, p in FERMAT_POINTS],
    statement=r"\bar x \text{ local minimum of } F \iff 0\in\partial_{\mathrm{Frechet}}F(\bar x)",
    expect=Expect.REFUTED,
    note=(
        r"Refuted by the Lipschitz function $F(x)=x^3/(1+x^2)$ at $0$ (and by $x^3$, which is only locally Lipschitz): "
        r"$\partial_{\mathrm{Frechet}}F(0)=\{0\}$ (both one-sided quotients tend to $0$) but $0$ is not a local minimum "
        r"($F(-h)<0$); z3 decides local minimality exactly (for the quotient, on its numerator: $1+x^2>0$)."
    ),
)

fermat_corrected = Definition(
    "Fermat rule, necessary condition: local minimum implies 0 in the Frechet subdifferential",
    fermat_necessary,
    [(f"{n} at {p}", (n, p), True) for n, p in FERMAT_POINTS],
    statement=r"\bar x \text{ local minimum of } F \implies 0\in\partial_{\mathrm{Frechet}}F(\bar x)",
)

_d, _n = sp.symbols("d n", real=True)
fermat_proof = Implication(
    "local minimum gives a nonnegative quotient with v = 0",
    hypotheses=[_d >= 0, _n > 0],
    conclusion=_d / _n >= 0,
    statement=r"F(y)-F(\bar x)\ge0,\ \|y-\bar x\|>0 \implies \frac{F(y)-F(\bar x)-0^T(y-\bar x)}{\|y-\bar x\|}\ge0",
    note="For every $y\\ne\\bar x$ near a local minimum the quotient with $v=0$ is nonnegative, so its liminf is nonnegative: $0\\in\\partial_{\\mathrm{Frechet}}F(\\bar x)$ (in any dimension).",
)


def only_clarke_critical(_: object) -> Judgement:
    f = FUNCS["-|x|"]
    local_max = is_local_minimum(-f, x, 0)
    cv, fr, lim, cl = four_subdifferentials(f, 0)
    flags = [local_max, not (cv or E).contains(0), not fr.contains(0), not lim.contains(0), bool(cl.contains(0))]
    return Judgement(all(bool(t) for t in flags), Verdict.PROVED, f"local max {local_max}; 0 in conv/Frechet/limiting/Clarke: {[bool(s.contains(0)) for s in (cv or E, fr, lim, cl)]}")


only_clarke = Definition(
    "0 is a local maximum of -|x|, critical only for the Clarke subdifferential",
    only_clarke_critical,
    [("-|x| at 0", None, True)],
    statement=r"0\in\partial_{\mathrm{Clarke}}F(0),\ 0\notin\partial_{\lim}F(0)\cup\partial_{\mathrm{Frechet}}F(0)\cup\partial_{\mathrm{conv}}F(0),\quad F=-|\cdot|",
)

register(
    Entry(
        id="pauwels.subgradients",
        title="Convex, Fréchet, limiting and Clarke subgradients; the example -|x|; inclusions; Fermat rule",
        where="Subgradients: F Lipschitz continuous (both slides)",
        statement=(
            r"$\partial_{\mathrm{conv}}F(x)=\{v: F(y)\ge F(x)+v^T(y-x)\ \forall y\}$; "
            r"$\partial_{\mathrm{Frechet}}F(x)=\{v: \liminf_{y\to x, y\ne x}\frac{F(y)-F(x)-v^T(y-x)}{\|y-x\|}\ge0\}$; "
            r"$\partial_{\lim}F(x)$: limits of $v_k\in\partial_{\mathrm{Frechet}}F(y_k)$, $y_k\to x$; "
            r"$\partial_{\mathrm{Clarke}}F(x)=\mathrm{conv}(\partial_{\lim}F(x))$. "
            r"Example $F=-|x|$: $\partial_{\mathrm{conv}}F(0)=\emptyset$, $\partial_{\mathrm{Frechet}}F(0)=\emptyset$, "
            r"$\partial_{\lim}F(0)=\{-1,1\}$, $\partial_{\mathrm{Clarke}}F(0)=[-1,1]$. "
            r"$\partial_{\mathrm{Frechet}}F(x)\subset\partial_{\lim}F(x)\subset\partial_{\mathrm{Clarke}}F(x)$ for all $x$. "
            r"Fermat rule: $\bar x$ is a local minimum of $F$ if and only if $0\in\partial_{\mathrm{Frechet}}F(\bar x)$."
        ),
        hypotheses=[r"$F:\mathbb{R}^p\to\mathbb{R}$ Lipschitz continuous"],
        checks=[slide_example, more_examples, inclusions, frechet_empty_numeric, frechet_interval_numeric, only_clarke, fermat_stated, fermat_witness_lipschitz],
        corrected=[fermat_corrected, fermat_proof],
        status=Status.ERRATUM,
        reading=(
            "Computed for univariate piecewise-smooth Lipschitz functions (pieces $C^1$ up to their endpoints), where the liminf "
            "of the Fréchet quotient is the smaller one-sided limit and the limiting subdifferential is the Fréchet one at the "
            "point together with the one-sided limits of $F'$. The Fermat rule's 'if' direction is false: "
            "$0\\in\\partial_{\\mathrm{Frechet}}F(\\bar x)$ is necessary, not sufficient (e.g. the Lipschitz $x^3/(1+x^2)$ at $0$)."
        ),
    )
)
