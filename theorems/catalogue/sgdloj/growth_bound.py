"""sgdloj.growth-bound: Section 2 (Preliminaries), Lemma 2.1 (2.4).

A non-negative F whose gradient is C_L-Lipschitz on a compact K with max_K |grad F| = Cbar satisfies
|grad F(theta)|^2 <= 2 C_L F(theta) on a smaller compact set K~. The proof (Appendix B) is the entry
sgdloj.growth-bound-proof, whose (B.3) is the premise of this claim's proof graph."""

from __future__ import annotations

import sympy as sp

from symbolic import Expect, Implication, Premise, Proof
from symbolic.families import least_squares
from symbolic.notation import NotationClaim
from theorems.cases import objective_cases
from theorems.catalogue.sgdloj._objectives import NONNEGATIVE_OBJECTIVES, C_L_of, F_at, grad_F_at
from theorems.catalogue.sgdloj.growth_bound_proof import b3
from theorems.registry import Entry, Status, register

SOURCE_NOTE = "Every objective in these checks is nonnegative and globally $C_L$-smooth, so $K=\\mathbb{R}^d$ and $\\tilde K=\\mathbb{R}^d$."
point_cases = objective_cases(NONNEGATIVE_OBJECTIVES, points=("x",))

_G, _C, _Fs, _t = sp.symbols("G C_L F t", positive=True)  # G = |grad F(theta)|
_b3_bound = _Fs - _G * _t + _C / 2 * _t**2  # right side of (B.3)

growth_from_b3 = Implication(
    "0 <= g(|grad F|/C_L) <= F - |grad F|^2/(2 C_L) gives |grad F|^2 <= 2 C_L F",
    hypotheses=[sp.Ge(_b3_bound.subs(_t, _G / _C), 0)],
    conclusion=sp.Le(_G**2, 2 * _C * _Fs),
    statement=r"0\le F-|\nabla F|\tfrac{|\nabla F|}{C_L}+\tfrac{C_L}{2}\tfrac{|\nabla F|^2}{C_L^2}\implies|\nabla F|^2\le2C_LF",
)

_Fshift = sp.Symbol("F_shift", nonnegative=True)  # F(theta - t nu) at t = G/C_L: F >= 0 (Lemma 2.1's hypothesis)


def _growth_proof() -> Proof:
    """(2.4) from the rearrangement lemma, whose hypothesis comes from (B.3) at t = G/C_L and F >= 0.

    (B.3) is checked on samples (Appendix B, sgdloj.growth-bound-proof), so this proof is the
    weak link's strength: the claim stays ``checked`` (issue 10: it was ``proved`` by its last
    algebraic step alone).
    """
    return Proof(
        growth_from_b3,
        at=lambda c, B: {_G: B.sqrt(B.norm2(grad_F_at(c, B))), _C: C_L_of(c, B), _Fs: F_at(c, B)},
        premises=[Premise(b3, sp.Le(_Fshift, _b3_bound.subs(_t, _G / _C)), "(B.3) at t = |grad F|/C_L")],
    )


growth_claim = NotationClaim(
    "(2.4) |grad F|^2 <= 2 C_L F",
    "gradnorm(theta)^2 <= 2*L*F(theta)",
    points=("theta",),
    case_names={"theta": "x"},
    cases=point_cases,
    proof=_growth_proof(),
    note="Nonnegative, globally smooth objectives (softplus, 1 - cos and least-squares terms) with certified $C_L$ (written $L$). " + SOURCE_NOTE,
)

growth_necessity = NotationClaim(
    "quality: with C_L in place of 2 C_L the bound fails",
    "gradnorm(theta)^2 <= L*F(theta)",
    points=("theta",),
    case_names={"theta": "x"},
    cases=objective_cases(least_squares(n=1, p=1), points=("x",)),
    expect=Expect.REFUTED,
    role="necessity",
    note=r"For $F=\frac{a^2}{2}(\theta-c)^2$, $C_L=a^2$: $|\nabla F|^2=a^4(\theta-c)^2=2C_LF$, so the constant 2 is attained and cannot be lowered.",
)

register(
    Entry(
        id="sgdloj.growth-bound",
        proof=["sgdloj.growth-bound-proof"],
        title="Lemma 2.1: |grad F|^2 <= 2 C_L F on a smaller compact set",
        where="Section 2, Lemma 2.1 (2.4)",
        statement=(
            r"Suppose that $F:\mathbb{R}^d\to\mathbb{R}$ is a non-negative function. Assume $\nabla F$ is Lipschitz continuous in a compact set $K$ with the constant $C_L$, "
            r"and there exists $\bar C>0$ such that $\max_{\theta\in K}|\nabla F(\theta)|=\bar C$. Then there exists a compact set $\tilde K\subset K$, where "
            r"$\mathrm{dist}(\partial K,\partial\tilde K)$ depends on $C_L$ and $\bar C$, such that for any $\theta\in\tilde K$, $|\nabla F(\theta)|^2\le2C_LF(\theta)$ (2.4)."
        ),
        hypotheses=[r"$F\ge0$", r"$\nabla F$ is $C_L$-Lipschitz on $K$", r"$\max_K|\nabla F|=\bar C$"],
        checks=[growth_claim, growth_necessity],
        status=Status.VERIFIED,
        reading=(
            "Checked for globally smooth objectives ($K=\\tilde K=\\mathbb{R}^d$); the localisation is the last step of the proof entry sgdloj.growth-bound-proof. "
            "(2.4) is checked, not proved: the rearrangement $F-G^2/(2C_L)\\ge0\\Rightarrow G^2\\le2C_LF$ is proved by z3, but its hypothesis comes from "
            "(B.3), which is checked on samples (the proof graph's weak link, named in the evidence)."
        ),
    )
)
