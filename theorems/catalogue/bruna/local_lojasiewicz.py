"""COMMENTS: the local Lojasiewicz inequality ||grad g(theta)|| >= m |g(theta) - g(theta*)|^a, a < 1.

Exponents computed for concrete functions (proved for c x^p: a = 1 - 1/p), an executable predicate that finds the
exponent of a 1-D analytic function at a critical point from its order of vanishing, a 2-D example checked with the
exponent 3/4, and a smooth function where the inequality fails for every a < 1 (exp(-1/x^2), flat at 0).
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Bound, Claim, Definition, Expect, Identity, Judgement, Verdict
from theorems.cases import scalar_cases
from theorems.registry import Entry, Status, register

_x = sp.Symbol("x", real=True)
_p, _c, _xp = sp.symbols("p c x", positive=True)
_b = sp.Symbol("b", positive=True)  # b = 1 - a > 0


def _ratio_limits(g: sp.Expr, x0: sp.Expr, a: sp.Expr) -> list[sp.Expr]:
    """lim_{x -> x0 +-} |g'(x)| / |g(x) - g(x0)|^a (sympy)."""
    d = g - sp.limit(g, _x, x0)
    r = sp.Abs(sp.diff(g, _x)) / sp.Abs(d) ** a
    return [sp.limit(r, _x, x0, "+"), sp.limit(r, _x, x0, "-")]


def _lojasiewicz(example: tuple[sp.Expr, sp.Expr, sp.Expr | None]) -> Judgement:
    """Whether |g'| >= m |g - g(x0)|^a holds near the critical point x0 for some m > 0 and a < 1.

    With ``a`` None the exponent is computed: a = 1 - 1/p for the order p of the first nonzero Taylor
    coefficient of g - g(x0); when g - g(x0) vanishes to order 12 the limit of the ratio is taken with a
    symbolic a = 1 - b, b > 0. The inequality holds near x0 iff both one-sided limits are > 0.
    """
    g, x0, a = example
    if a is None:
        ser = sp.series(g - sp.limit(g, _x, x0), _x, x0, 13).removeO()
        shifted = sp.expand(ser.subs(_x, _x + x0))
        if not shifted.is_polynomial(_x):
            raise ValueError(f"{g} has a non-polynomial expansion at {x0}: give the exponent")
        orders = [m[0] for m, cf in sp.Poly(shifted, _x).terms() if cf != 0]
        if orders:
            a = 1 - sp.Rational(1, min(orders))
        else:
            lims = _ratio_limits(g, x0, 1 - _b)
            ok = all(sp.simplify(L) != 0 for L in lims)
            return Judgement(ok, Verdict.CHECKED, f"flat to order 12; with a = 1 - b, b > 0: limits {lims}")
    lims = _ratio_limits(g, x0, a)
    ok = bool(a < 1) and all(L.is_positive or L is sp.oo for L in lims)
    return Judgement(ok, Verdict.CHECKED, f"a = {a}: one-sided limits of |g'|/|g - g*|^a = {lims}")


_cases = scalar_cases({"x": Bound(Q(-1), Q(1), False, False), "y": Bound(Q(-1), Q(1), False, False)})


def _margin(power: tuple[int, int]):
    """||grad g||^2 - g^(2a) for g = x^2 + y^4 (squared form of ||grad g|| >= g^a, m = 1)."""

    def margin(c, B):
        x, y = c.p(B, "x"), c.p(B, "y")
        g = x * x + B.ipow(y, 4)
        return B.num(4) * x * x + B.num(16) * B.ipow(y, 6) - B.rpow(g, *power)

    return margin


register(
    Entry(
        id="bruna.local-lojasiewicz",
        title="The local Lojasiewicz inequality ||grad g|| >= m |g - g(theta*)|^a with a < 1",
        where="COMMENTS",
        statement=r"Satisfies the local Lojasiewicz inequality $\|\nabla g(\theta)\|\ge m|g(\theta)-g(\theta^*)|^a$, $a<1$.",
        hypotheses=[r"$\theta$ in a neighbourhood of the critical point $\theta^*$", r"$m>0$"],
        checks=[
            Identity("c x^p: |g'| = p c^{1/p} |g|^{1 - 1/p}, so a = 1 - 1/p < 1, m = p c^{1/p}", _p * _c * _xp ** (_p - 1), _p * _c ** (1 / _p) * (_c * _xp**_p) ** (1 - 1 / _p),
                     statement=r"g=cx^p,\ x>0:\ |g'(x)|=pc^{1/p}|g(x)|^{1-1/p}",
                     note="Symbolic p, c, x > 0 (x < 0 by symmetry for even p); the exponent 1 - 1/p is < 1 for every finite order p."),
            Definition("exponents of concrete 1-D functions, and a function where the inequality fails", _lojasiewicz, [
                ("x^2 at 0 (a = 1/2)", (_x**2, sp.Integer(0), None), True),
                ("x^4 at 0 (a = 3/4)", (_x**4, sp.Integer(0), None), True),
                ("x^3 at 0, a critical point that is not a minimum (a = 2/3)", (_x**3, sp.Integer(0), None), True),
                ("1 - cos x at 0 (a = 1/2)", (1 - sp.cos(_x), sp.Integer(0), None), True),
                ("x^4 with a = 1/2: too small an exponent", (_x**4, sp.Integer(0), sp.Rational(1, 2)), False),
                ("exp(-1/x^2) at 0: fails for every a < 1", (sp.exp(-1 / _x**2), sp.Integer(0), None), False),
            ], statement=r"\exists m>0,\ a<1:\ |g'(x)|\ge m|g(x)-g(x^*)|^a\ \text{near } x^*",
               note="Decided from sympy's one-sided limits of |g'|/|g - g*|^a: positive (or infinite) limits give the inequality near x*, a zero limit refutes it for every m > 0."),
            Claim("2-D: g = x^2 + y^4 satisfies it with a = 3/4, m = 1 on [-1, 1]^2", cases=_cases, margin=_margin((3, 2)),
                  statement=r"\|\nabla(x^2+y^4)\|^2=4x^2+16y^6\ge(x^2+y^4)^{3/2}\quad\text{on }[-1,1]^2",
                  note="(x^2+y^4)^{3/2} <= sqrt(2)(|x|^3 + y^6) <= sqrt(2)(x^2 + y^6) on the square: the margin is >= 0."),
            Claim("necessity: a = 1/2 fails for x^2 + y^4 (m = 1)", cases=_cases, margin=_margin((1, 1)), expect=Expect.REFUTED, role="necessity",
                  statement=r"4x^2+16y^6\ge x^2+y^4\quad\text{on }[-1,1]^2",
                  note="Along x = 0 the gradient is 4|y|^3 and g^{1/2} = y^2: no m > 0 works for a = 1/2; the engine finds a confirmed point for m = 1."),
        ],
        status=Status.VERIFIED,
        reading=(
            r"'Satisfies the local Lojasiewicz inequality' is read at a critical point $\theta^*$: there are a neighbourhood, $m>0$ and $a<1$ with the inequality. "
            r"The slide lists it as a sufficient condition for $\lim_k\theta_k$ to exist; that consequence is not encoded here. Every real-analytic function satisfies it "
            r"(Lojasiewicz); the flat $C^\infty$ function $e^{-1/x^2}$ does not."
        ),
    )
)
