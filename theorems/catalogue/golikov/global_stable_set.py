"""golikov.global-stable-set: slides "Global stable set" and "Local stable set".

"W^s(x*) = {x_0 : lim x_t = x*}. Trivial fact: if P_init(W^s(x*)) = 0 then GD almost surely
doesn't converge to x*. Rewrite GD as x_{t+1} = g(x_t) = g^{t+1}(x_0); W^s_loc(x*) = U cap W^s(x*)
for a vicinity U; we can reconstruct the global stable set from the local one:
W^s(x*) = union_{t>=0} g^{-t}(W^s_loc(x*))."

Both sets are computed for the linear saddle f = (a x^2 - b y^2)/2 (g is linear, everything is
exact): membership in W^s directly (the closed form of g^t and sympy's limit) and through the
union of preimages (preimages of the local disk under g^{-1}), and the two are compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp

from symbolic import Definition, Implication, Judgement, Verdict
from theorems.catalogue.golikov._common import Limit, capped
from theorems.registry import Entry, Status, register

A, B, ALPHA, R_LOC = Q(1), Q(2), Q(1, 4), Q(1, 2)  # f = (x^2 - 2 y^2)/2, alpha = 1/4 < 1/L = 1/2
P = 1 - ALPHA * A  # g(x, y) = (P x, M y)
M = 1 + ALPHA * B


@dataclass(frozen=True)
class Start:
    x0: tuple[Q, Q]
    horizon: int = 200


def in_union_of_preimages(s: Start) -> Judgement:
    """x_0 in union_{t <= horizon} g^{-t}(W_loc), W_loc = {|x| <= r, y = 0}: g^{-t} maps W_loc to
    {|x| <= r P^{-t}, y = 0} (g^{-1}(x, y) = (x/P, y/M), exact); a "no" is final when y_0 != 0
    (every preimage lies in {y = 0}), else the horizon must reach the point."""
    x, y = s.x0
    for t in range(s.horizon + 1):
        radius = R_LOC / P**t  # the t-th preimage of the local disk
        if y == 0 and abs(x) <= radius:
            return Judgement(True, Verdict.PROVED, f"in g^-{t}(W_loc) = {{|x| <= {radius}, y = 0}}")
    if y != 0:
        return Judgement(False, Verdict.PROVED, "y_0 != 0 and every g^-t(W_loc) lies in {y = 0}")
    return Judgement(None, Verdict.UNDECIDED, f"not reached within {s.horizon} preimages")


_t = sp.Symbol("t", integer=True, positive=True)


def in_stable_set_directly(s: Start) -> Judgement:
    """lim_t g^t(x_0) = 0, with g^t(x_0) = (P^t x_0, M^t y_0) and sympy's limit."""
    x, y = (sp.Rational(v.numerator, v.denominator) for v in s.x0)
    p, m = sp.Rational(P.numerator, P.denominator), sp.Rational(M.numerator, M.denominator)
    lims = [sp.limit(p**_t * x, _t, sp.oo), sp.limit(m**_t * y, _t, sp.oo)]
    return Judgement(all(v == 0 for v in lims), Verdict.PROVED, f"lim g^t(x_0) = {lims}")


POINTS = [(Q(0), Q(0)), (Q(1, 4), Q(0)), (Q(5), Q(0)), (Q(-1000), Q(0)), (Q(5), Q(1, 10**9)), (Q(0), Q(-1, 3)), (Q(1, 2), Q(1, 3))]


def agree(s: Start) -> Judgement:
    """The union of preimages and the direct definition give the same answer at x_0."""
    u, d = in_union_of_preimages(s), in_stable_set_directly(s)
    if u.holds is None or d.holds is None:
        return Judgement(None, Verdict.UNDECIDED, f"union: {u.why}; direct: {d.why}")
    return Judgement(u.holds == d.holds, Verdict.PROVED, f"union: {u.why}; direct: {d.why}")


_p = sp.Symbol("s", positive=True)  # P = 1/(1 + s), 0 < P < 1
_r = sp.Symbol("r", positive=True)
_T = sp.Symbol("T", positive=True)
_Pp, _Pt = sp.symbols("P P_t", positive=True)

register(
    Entry(
        id="golikov.global-stable-set",
        title="Global stable set W^s = union over t of g^{-t}(W^s_loc)",
        where="Local optimization: general case (Global stable set; Local stable set)",
        statement=(
            r"We call $W^s(x^*)$ a global stable set of a critical point $x^*$ if $W^s(x^*)=\{x_0:\lim_{t\to\infty}x_t=x^*\}$. "
            r"Trivial fact: if $P_{init}(W^s(x^*))=0$ then GD almost surely doesn't converge to $x^*$. Rewrite GD dynamics as "
            r"$x_{t+1}=x_t-\alpha\nabla f(x_t)=g(x_t)=g^{t+1}(x_0)$. Local stable set: $\exists U$ vicinity of $x^*$: "
            r"$W^s_{loc}(x^*)=U\cap W^s(x^*)$. We can reconstruct global stable set from the local one: "
            r"$W^s(x^*)=\bigcup_{t=0}^\infty g^{-t}(W^s_{loc}(x^*))$."
        ),
        checks=[
            Definition(
                "membership in W^s directly and through the union of preimages agree (linear saddle, exact)",
                capped(agree),
                [(f"x_0 = ({a}, {b})", Start((a, b)), True) for a, b in POINTS],
                statement=r"x_0\in W^s(0)\iff\exists t:\ g^t(x_0)\in W^s_{loc}(0),\quad g(x,y)=\big((1-\alpha a)x,(1+\alpha b)y\big)",
                note="$f=(x^2-2y^2)/2$, $\\alpha=1/4$, $U$ the disk of radius $1/2$: $W^s_{loc}=\\{|x|\\le1/2,\\,y=0\\}$. The preimages are computed with $g^{-1}$ in exact rationals, the limits by sympy.",
            ),
            Definition(
                "W^s itself on the same points: the line y = 0",
                capped(in_stable_set_directly),
                [(f"x_0 = ({a}, {b})", Start((a, b)), b == 0) for a, b in POINTS],
                statement=r"W^s(0)=\{(x,0):x\in\mathbb R\}",
            ),
            Limit(
                "the preimages of the local disk exhaust the stable line: r P^-t -> oo for 0 < P < 1",
                _r * (1 + _p) ** _T,
                _T,
                sp.oo,
                sp.oo,
                statement=r"\lim_{t\to\infty}r\,P^{-t}=\infty\quad(P=1-\alpha a=\tfrac1{1+s}\in(0,1))",
                note="The $t$-th preimage of $\\{|x|\\le r,\\ y=0\\}$ is $\\{|x|\\le rP^{-t},\\ y=0\\}$, so the union over $t$ is the whole line $\\{y=0\\}=W^s(0)$.",
            ),
            Implication(
                "the preimages are nested: g^-t(W_loc) is contained in g^-(t+1)(W_loc)",
                hypotheses=[_Pp < 1],
                conclusion=_r / _Pt <= _r / (_Pt * _Pp),
                statement=r"0<P<1\implies rP^{-t}\le rP^{-(t+1)}",
            ),
        ],
        status=Status.VERIFIED,
        reading=(
            "Checked on the linear saddle, where $g$ is linear and every set is exact; the general identity is set-theoretic "
            "($x_t\\to x^*$ iff the orbit eventually enters and stays in $U$, i.e. lies in $W^s_{loc}$ from some $t$ on). "
            "The 'trivial fact' is the Monte Carlo 'hypothesis needed' check of golikov.lee-saddle-avoidance read backwards."
        ),
    )
)
