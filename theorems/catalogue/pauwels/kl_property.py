"""pauwels.kl-property: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "KL property (Łojasiewicz 63, Kurdyka 98)", "Definition".

F in C^1 has the KL property at x-bar (F(x-bar) = 0) if ||grad(phi o F)(x)|| = phi'(F(x)) ||grad F(x)|| >= 1 for
||x - x-bar|| < eps, F(x) > 0, with phi desingularizing.
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Definition, Judgement, Verdict, coordinates
from theorems.catalogue.pauwels._kl import (
    QUICK_SETTINGS,
    KLInstance,
    chain_rule,
    kl_inequality_claim,
)
from theorems.registry import Entry, Status, register

t = sp.Symbol("t", positive=True)


def has_kl_property(ex: KLInstance) -> Judgement:
    """Search the ball for a point violating the KL inequality; a confirmed one decides 'no'."""
    out = kl_inequality_claim(ex).run(QUICK_SETTINGS)
    if out.verdict is Verdict.REFUTED:
        return Judgement(False, Verdict.PROVED, f"violated at {out.evidence.counterexample}")
    if out.verdict is Verdict.CHECKED:
        return Judgement(True, Verdict.CHECKED, out.evidence.details)
    return Judgement(None, Verdict.UNDECIDED, out.evidence.summary())


x1, x2 = coordinates(2)
(y1,) = coordinates(1)
KL_EXAMPLES = [
    ("x^2, phi = sqrt(t)", KLInstance(y1**2, (y1,), (Q(0),), sp.sqrt(t), Q(1)), True),
    ("x1^2 + x2^2, phi = sqrt(t)", KLInstance(x1**2 + x2**2, (x1, x2), (Q(0), Q(0)), sp.sqrt(t), Q(1)), True),
    ("x^4, phi = t^(1/4)", KLInstance(y1**4, (y1,), (Q(0),), t ** sp.Rational(1, 4), Q(1)), True),
    ("(x1/2 - x2^2)^2, phi = 2 sqrt(t)", KLInstance((x1 / 2 - x2**2) ** 2, (x1, x2), (Q(0), Q(0)), 2 * sp.sqrt(t), Q(1)), True),
    ("x1 + x2^2 at 0 (noncritical), phi = t", KLInstance(x1 + x2**2, (x1, x2), (Q(0), Q(0)), t, Q(1, 4)), True),
    ("x^2, phi = t", KLInstance(y1**2, (y1,), (Q(0),), t, Q(1)), False),
    ("x^4, phi = sqrt(t)", KLInstance(y1**4, (y1,), (Q(0),), sp.sqrt(t), Q(1)), False),
    ("x/2 at 0, phi = t", KLInstance(y1 / 2, (y1,), (Q(0),), t, Q(1)), False),
]

kl_definition = Definition(
    "has_kl_property(F, xbar, phi, eps) on examples and non-examples",
    predicate=has_kl_property,
    examples=KL_EXAMPLES,
    statement=r"\|\nabla(\varphi\circ F)(x)\|_2=\varphi'(F(x))\|\nabla F(x)\|_2\ge1\ \ \forall x,\ \|x-\bar x\|<\varepsilon,\ 0<F(x)",
    note="The predicate searches the ball (points approaching $\\bar x$ geometrically) for a violation confirmed in Arb: a confirmed violation decides `no' rigorously; no violation gives `yes' at the sampled level only.",
)

register(
    Entry(
        id="pauwels.kl-property",
        title="KL property: definition",
        where="KL property (Łojasiewicz 63, Kurdyka 98): Definition",
        statement=(
            r"Let $F:\mathbb{R}^p\mapsto\mathbb{R}$ be $C^1$. $F$ has the KL property at $\bar x$ ($F(\bar x)=0$) if there exists "
            r"$\varepsilon>0$ and a desingularizing function $\varphi$ such that "
            r"$\|\nabla(\varphi\circ F)(x)\|_2=\varphi'\circ F(x)\|\nabla F(x)\|_2\ge1$, $\forall x$, $\|x-\bar x\|<\varepsilon$, $0<F(x)$. "
            r"$F$ has the KL property if this is satisfied for all $\bar x$."
        ),
        checks=[kl_definition, chain_rule],
        status=Status.VERIFIED,
        reading=(
            "Executable predicate for given $F,\\bar x,\\varphi,\\varepsilon$ (the existential over $\\varphi,\\varepsilon$ is not searched). "
            "$\\varphi$ is defined on $[0,r_0]$ only, while the definition quantifies over every $x$ with $\\|x-\\bar x\\|<\\varepsilon$ and "
            "$F(x)>0$: we read it with $F(x)<r_0$ as well (shrinking $\\varepsilon$ makes this automatic, $F$ being continuous with "
            "$F(\\bar x)=0$). The axiom $\\varphi\\in C^1(0,r_0)$ is not decided by the predicate: it is assumed of the $\\varphi$ given."
        ),
    )
)
