"""pauwels.interpolated-process: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 5 "Approaching critical point with noise", slide "Piecewise affine interpolated process".

tau_n = sum_{k<n} alpha_k and w the affine interpolation with w(tau_n) = theta_n. The stated formula with alpha_{n+1}
is an index slip (it agrees only for constant steps, since tau_{n+1} - tau_n = alpha_n); the corrected one uses alpha_n.
"""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Definition, Expect, Identity, Implication, Judgement, Verdict
from theorems.registry import Entry, Status, register

a0, a1, th0, th1, s_ = sp.symbols("alpha0 alpha1 theta0 theta1 s", real=True)

stated_endpoint = Implication(
    "stated formula (n = 0, s = alpha_0 < alpha_1): w(tau_1) = theta_1",
    hypotheses=[a0 > 0, a0 < a1],
    conclusion=sp.Eq(th0 * (1 - a0 / a1) + (a0 / a1) * th1, th1),
    statement=r"0<\alpha_0<\alpha_1:\ w(\tau_0+\alpha_0)=\theta_0\Big(1-\frac{\alpha_0}{\alpha_1}\Big)+\frac{\alpha_0}{\alpha_1}\theta_1=\theta_1",
    expect=Expect.REFUTED,
    note="$\\tau_1-\\tau_0=\\alpha_0$, and $s=\\alpha_0$ lies in the stated range $[0,\\alpha_1)$ when $\\alpha_0<\\alpha_1$; the formula then gives $w(\\tau_1)\\ne\\theta_1$ unless $\\theta_0=\\theta_1$, contradicting $w(\\tau_n)=\\theta_n$ (z3 model re-checked exactly).",
)


def _taus(alphas: list[Q]) -> list[Q]:
    out = [Q(0)]
    for a in alphas:
        out.append(out[-1] + a)
    return out


def stated_pieces_tile(alphas: list[Q]) -> Judgement:
    """The stated pieces [tau_n, tau_n + alpha_{n+1}) tile [0, tau_N) without gap or overlap."""
    taus = _taus(alphas)
    for n in range(len(alphas) - 1):
        end = taus[n] + alphas[n + 1]
        if end != taus[n + 1]:
            kind = "gap" if end < taus[n + 1] else "overlap"
            return Judgement(False, Verdict.PROVED, f"{kind}: piece n={n} ends at {end} but tau_{n + 1} = {taus[n + 1]} (w there: {'undefined' if kind == 'gap' else 'defined twice'}; left limit theta_{n + 1} reached at the wrong time)")
    return Judgement(True, Verdict.PROVED, "pieces tile [0, tau_N)")


SEQS = [
    ("constant steps 1/2", [Q(1, 2)] * 6),
    ("alpha_k = 1/(k+1)", [Q(1, j + 1) for j in range(6)]),
    ("increasing steps 1/2, 1, 1, ...", [Q(1, 2)] + [Q(1)] * 5),
    ("alpha_k = 1/(k+1)^2", [Q(1, (j + 1) ** 2) for j in range(6)]),
]
stated_tiling = Definition(
    "stated formula: the pieces [tau_n, tau_n + alpha_{n+1}) define w on R_+ (every step-size sequence)",
    stated_pieces_tile,
    [(lab, seq, True) for lab, seq in SEQS],
    statement=r"[\tau_n,\tau_n+\alpha_{n+1}),\ n\in\mathbb{N},\ \text{partition}\ [0,\textstyle\sum_k\alpha_k)",
    expect=Expect.REFUTED,
    note="Exact rationals. With $\\alpha_k=1/(k+1)$: the piece $n=0$ is $[0,1/2)$ while $\\tau_1=1$, so $w$ is undefined on $[1/2,1)$; with increasing steps two pieces overlap.",
)


def corrected_w(alphas: list[Q], thetas: list[Q], t: Q) -> Q:
    taus = _taus(alphas)
    for n in range(len(alphas)):
        if taus[n] <= t < taus[n + 1]:
            s = t - taus[n]
            return thetas[n] * (1 - s / alphas[n]) + s / alphas[n] * thetas[n + 1]
    raise ValueError("t outside [0, tau_N)")


def corrected_is_interpolation(alphas: list[Q]) -> Judgement:
    """w(tau_n) = theta_n, left limits at tau_{n+1} equal theta_{n+1} (continuity), pieces tile [0, tau_N)."""
    thetas = [Q((-1) ** j * (j * j + 1), j + 2) for j in range(len(alphas) + 1)]
    taus = _taus(alphas)
    for n in range(len(alphas)):
        if taus[n] + alphas[n] != taus[n + 1]:
            return Judgement(False, Verdict.PROVED, "pieces do not tile")
        if corrected_w(alphas, thetas, taus[n]) != thetas[n]:
            return Judgement(False, Verdict.PROVED, f"w(tau_{n}) != theta_{n}")
        left = thetas[n] * (1 - alphas[n] / alphas[n]) + thetas[n + 1]  # the affine formula at s = alpha_n
        if left != thetas[n + 1]:
            return Judgement(False, Verdict.PROVED, "jump")
        mid = corrected_w(alphas, thetas, taus[n] + alphas[n] / 3)
        if mid != thetas[n] + (thetas[n + 1] - thetas[n]) / 3:
            return Judgement(False, Verdict.PROVED, "not affine")
    return Judgement(True, Verdict.PROVED, f"continuous piecewise affine on [0, {taus[-1]}), w(tau_n) = theta_n")


corrected_tiling = Definition(
    "corrected formula with alpha_n: w is the continuous affine interpolation with w(tau_n) = theta_n",
    corrected_is_interpolation,
    [(lab, seq, True) for lab, seq in SEQS],
    statement=r"w(\tau_n+s)=\theta_n\Big(1-\frac{s}{\alpha_n}\Big)+\frac{s}{\alpha_n}\theta_{n+1},\ 0\le s<\alpha_n",
)
_s_piece = sp.Symbol("s", nonnegative=True)
# the formula is substituted at s = alpha_n in the check (unevaluated Subs): the former
# encoding wrote a0/a0, which sympy had already reduced to 1 at import (issue 10)
corrected_endpoint = Identity(
    "corrected formula at s = alpha_n gives theta_{n+1}",
    sp.Subs(th0 * (1 - _s_piece / a0) + (_s_piece / a0) * th1, _s_piece, a0),
    th1,
    statement=r"\theta_n\Big(1-\frac{\alpha_n}{\alpha_n}\Big)+\frac{\alpha_n}{\alpha_n}\theta_{n+1}=\theta_{n+1}",
)
_al = sp.IndexedBase("alpha")
_j, _m = sp.symbols("j m", integer=True, positive=True)
tau_increment = Identity(
    "tau_{n+1} - tau_n = alpha_n",
    sp.difference_delta(sp.Sum(_al[_j], (_j, 0, _m - 1)), _m),
    _al[_m],
    statement=r"\tau_{n+1}-\tau_n=\sum_{k=0}^{n}\alpha_k-\sum_{k=0}^{n-1}\alpha_k=\alpha_n",
    note="sympy's forward difference of the partial sum $m\\mapsto\\sum_{k=0}^{m-1}\\alpha_k$, symbolic in $m$ and in the sequence.",
)

register(
    Entry(
        id="pauwels.interpolated-process",
        title="Piecewise affine interpolated process",
        where="Piecewise affine interpolated process",
        statement=(
            r"$\tau_0=0$, $\tau_n=\sum_{k=0}^{n-1}\alpha_k$ for $n\ge1$. Define $w:\mathbb{R}_+\to\mathbb{R}^p$, affine interpolation such "
            r"that $w(\tau_n)=\theta_n$. For all $n\in\mathbb{N}$ and $0\le s<\alpha_{n+1}$, "
            r"$w(\tau_n+s)=\theta_n\big(1-\frac{s}{\alpha_{n+1}}\big)+\frac{s}{\alpha_{n+1}}\theta_{n+1}$."
        ),
        checks=[stated_endpoint, stated_tiling],
        corrected=[corrected_endpoint, tau_increment, corrected_tiling],
        status=Status.ERRATUM,
        reading=(
            "Index slip: since $\\tau_{n+1}-\\tau_n=\\alpha_n$, the formula must use $\\alpha_n$: "
            "$w(\\tau_n+s)=\\theta_n(1-s/\\alpha_n)+(s/\\alpha_n)\\theta_{n+1}$ for $0\\le s<\\alpha_n$. With $\\alpha_{n+1}$ it agrees only for "
            "constant steps. $w$ is defined on all of $\\mathbb{R}_+$ because $\\sum_k\\alpha_k=+\\infty$."
        ),
    )
)
