"""sgdloj.noise-models: Section 2 (Preliminaries), "Stochastic gradients", (2.6)-(2.12) and Assumption 4.

grad f(theta; xi) = grad F(theta) + Z(theta; xi) (2.6) with E Z = 0 (2.7); Robbins-Monro steps (2.8)
with bounded moments (2.9); Assumption 4, the machine-learning noise grad f = grad F +
sqrt(sigma F) Z with E Z = 0, E|Z|^2 <= 1 (2.10)-(2.11); the relaxed tail condition (2.12).
The least-squares models (LS2, LS_FLAT, mini-batches) are in :mod:`theorems.sgd_models`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction as Q
from typing import Any

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, Claim, Definition, Identity, Implication, Judgement, MonteCarlo, Verdict
from symbolic.backends import ArbBackend, Backend, Number, arb_precision, ball_certainly
from theorems.registry import Entry, Status, register
from theorems.sgd_models import LS2, LS_FLAT, FiniteNoise, LeastSquares, robbins_monro


def _unbiased(ex: Any) -> Judgement:
    """(2.7) E Z = 0, decided exactly for finite noise laws and least-squares sampling."""
    kind = ex[0]
    if kind == "finite":
        m = ex[1].mean()
        return Judgement(all(v == 0 for v in m), Verdict.PROVED, f"E Z = {tuple(map(str, m))}")
    if kind == "ls":
        ls, th, b = ex[1], ex[2], ex[3]
        m, _ = ls.noise_moments(th, b)
        return Judgement(all(v == 0 for v in m), Verdict.PROVED, f"E[grad f - grad F] = {tuple(map(str, m))} (exact over all batches)")
    if kind == "rotated-given-Z1":
        # conditional law of O_k Z_k given Z_1 (k >= 2): |Z_k| Z_1/|Z_1|, with Z_k ~ noise
        noise, z1 = ex[1], ex[2]
        mbar_sq = sum((p * sum((v * v for v in a), Q(0)) for a, p in zip(noise.atoms, noise.probs, strict=True)), Q(0))
        # E|Z_k| > 0 whenever the law is not a point mass at 0; the mean is E|Z_k| * u != 0
        nonzero = mbar_sq > 0 and any(v != 0 for v in z1)
        return Judgement(not nonzero, Verdict.PROVED, "E[O_k Z_k | Z_1] = E|Z_k| Z_1/|Z_1| " + ("!= 0" if nonzero else "= 0"))
    raise ValueError(kind)


def _bounded_moments(ex: Any) -> Judgement:
    """(2.9) with m = 2, E|Z|^2 <= c^2 uniformly in theta, decided exactly."""
    kind = ex[0]
    if kind == "finite":
        noise, m, c = ex[1], ex[2], ex[3]
        if m != 2:
            raise ValueError("only m = 2 examples")
        s = noise.second_moment()
        return Judgement(s <= c**m, Verdict.PROVED, f"E|Z|^2 = {s} vs c^2 = {c**m} (theta-independent law)")
    if kind == "ls":
        # E|Z(theta)|^2 = r^T M r, r = A theta - y runs over all of R^n: bounded iff M = 0
        ls = ex[1]
        M = ls.noise_matrix
        zero = all(v == 0 for v in M)
        return Judgement(zero, Verdict.PROVED, "E|Z|^2 = r^T M r with r arbitrary: " + ("M = 0, bounded" if zero else "M != 0, unbounded in theta"))
    raise ValueError(kind)


def _rm_predicate(ex: tuple[Q, Q]) -> Judgement:
    """(2.8) for eta_k = gamma/(k + n_0)^q: sum eta_k = infinity and sum eta_k^{1+m/2} < infinity."""
    ok, why = robbins_monro(*ex)
    return Judgement(ok, Verdict.PROVED, why)


def _ml_noise(ex: Any) -> Judgement:
    """(2.10)-(2.11): E Z = 0 and E|Z|^2 <= 1 for Z = (grad f - grad F)/sqrt(sigma F), for all theta.

    For least squares: E|grad f - grad F|^2 = r^T M_b r and F = |r|^2/n with r arbitrary, so the
    condition is sigma I/n - M_b PSD, decided exactly (sympy, rational matrix). A theta-independent
    noise law with E|Z|^2 > 0 fails at a zero of F.
    """
    kind = ex[0]
    if kind == "ls":
        ls, b, sigma = ex[1], ex[2], ex[3]
        n = ls.n
        Mb = ls.noise_matrix * sp.Rational(n - b, b * (n - 1)) / n  # E|noise|^2 = r^T Mb r
        S = sp.Rational(sigma.numerator, sigma.denominator) * sp.eye(n) / n - Mb
        psd = bool(S.is_positive_semidefinite)
        return Judgement(psd, Verdict.PROVED, f"sigma I/n - M_b is {'' if psd else 'not '}positive semidefinite (exact)")
    if kind == "additive":
        noise = ex[1]
        s = noise.second_moment()
        return Judgement(s == 0, Verdict.PROVED, f"at a zero of F the noise keeps E|Z|^2 = {s}")
    raise ValueError(kind)


def _tail(ex: tuple[Sequence[Q], Sequence[Q], Q]) -> Judgement:
    """(2.12) for a theta-independent law of X = |grad f - grad F|^2 with atoms x_j, probabilities p_j,
    and rho_F = varrho(F): P(X >= t rho_F) <= e^{-t} for all t > 0 iff, at every atom x > 0,
    P(X >= x) <= exp(-x / rho_F) (the left side is a step function, worst at t = x/rho_F).
    Decided in Arb."""
    xs, ps, rho_F = ex
    ok = True
    for x in xs:
        if x <= 0:
            continue
        tail = sum((p for y, p in zip(xs, ps, strict=True) if y >= x), Q(0))
        B = ArbBackend(128)
        with arb_precision(128):
            d = ball_certainly(B.exp(B.num(-x / rho_F)) - B.num(tail), False)
        if d is None:
            return Judgement(None, Verdict.UNDECIDED, "ball straddles")
        ok = ok and d
    return Judgement(ok, Verdict.PROVED, "all atoms decided in Arb")


_RADEMACHER = FiniteNoise.of([[1, 0], [-1, 0]], [Q(1, 2), Q(1, 2)])
_BIASED = FiniteNoise.of([[0, 0], [1, 0]], [Q(1, 2), Q(1, 2)])
_THETA_A = (Q(3, 2), Q(1, 3))
_L3 = LeastSquares.of([[1, 2, 0, 1], [0, 1, 1, -1], [2, 0, 1, 1]], [1, 2, 3])  # n = 3 < p = 4


def _ls2_noise_norm2_atoms() -> tuple[list[Q], list[Q]]:
    """The law of |grad f - grad F|^2 for LS2 at (3/2, 1/3): its atoms and probabilities."""
    gs = LS2.sample_grads(_THETA_A)
    G = LS2.grad(_THETA_A)
    return [sum(((a - b) ** 2 for a, b in zip(g, G, strict=True)), Q(0)) for g in gs], [Q(1, 2), Q(1, 2)]


# symbolic derivation of sigma and alpha for n = 2, p = 3
_a = sp.Matrix(2, 3, sp.symbols("a11 a12 a13 a21 a22 a23", real=True))
_th = sp.Matrix(sp.symbols("t1 t2 t3", real=True))
_yv = sp.Matrix(sp.symbols("y1 y2", real=True))
_r = _a * _th - _yv
_gradF = sp.Rational(2, 2) * _a.T * _r
_gs = [2 * _a.row(i).T * _r[i] for i in range(2)]
_Gm = _a * _a.T
_Dm = sp.diag(_Gm[0, 0], _Gm[1, 1])
_var = sum(((g - _gradF).dot(g - _gradF) for g in _gs), sp.Integer(0)) / 2
_Mm = sp.Rational(4, 2) * _Dm - sp.Rational(4, 4) * _Gm

variance_identity = Identity(
    "E|g_i - grad F|^2 = r^T ((4/n) D - (4/n^2) G) r (n = 2, p = 3, symbolic data)",
    _var,  # expanded in the check, not at import
    (_r.T * _Mm * _r)[0, 0],
    statement=r"\frac1n\sum_i|2a_ir_i-\nabla F|^2=r^\top\Big(\tfrac4nD-\tfrac4{n^2}AA^\top\Big)r",
    scope="n = 2, p = 3",
    note=r"With $F=|r|^2/n$ and $r$ ranging over $\mathbb R^n$ (full row rank), $\sup_\theta E|g-\nabla F|^2/F=\lambda_{\max}(4D-\frac4nAA^\top)=\sigma$: a generalized eigenvalue of the pair $(M, I/n)$.",
)
_wv = sp.Matrix(sp.symbols("w1:4", real=True))  # generic weights: a vector identity as one scalar identity
unbiased_identity = Identity(
    "E g_i = grad F (n = 2, p = 3, symbolic data)",
    ((_gs[0] + _gs[1]) / 2).dot(_wv),
    # grad F of F = |r|^2/n, differentiated in the check (sympy had made the sides one expression)
    sum((w * sp.Derivative(_r.dot(_r) / 2, t) for w, t in zip(_wv, _th, strict=True)), sp.Integer(0)),
    statement=r"\frac1n\sum_i 2a_ir_i=\tfrac2nA^\top r=\nabla F",
    scope="n = 2, p = 3",
)
gradnorm_identity = Identity(
    "|grad F|^2 = (4/n^2) r^T G r (n = 2, p = 3)",
    _gradF.dot(_gradF),  # expanded in the check, not at import
    (_r.T * _Gm * _r)[0, 0],
    statement=r"|\nabla F|^2=\tfrac4{n^2}r^\top AA^\top r,\ F=\tfrac1n|r|^2\ \Rightarrow\ \tfrac{|\nabla F|^2}{F}=\tfrac4n\tfrac{r^\top AA^\top r}{|r|^2}\ge\tfrac4n\lambda_{\min}(AA^\top)",
    scope="n = 2, p = 3",
)


@st.composite
def _random_ls_cases(draw: st.DrawFn) -> Case:
    """Random integer least-squares data (2 <= n <= p <= 4), a batch size and a point."""
    n = draw(st.integers(2, 3))
    p = draw(st.integers(n, 4))
    A = [[Q(draw(st.integers(-3, 3))) for _ in range(p)] for _ in range(n)]
    y = [Q(draw(st.integers(-3, 3))) for _ in range(n)]
    b = draw(st.integers(1, n))
    th = tuple(Q(draw(st.integers(-12, 12)), 4) for _ in range(p))
    return Case(params={"n": Q(n), "b": Q(b), "A": A, "y": y}, points={"theta": th})  # type: ignore[dict-item]


def _ls_of(c: Case) -> LeastSquares:
    """The least-squares problem a case of :func:`_random_ls_cases` carries."""
    return LeastSquares.of(c.params["A"], c.params["y"])  # type: ignore[arg-type]


def _ml_margin(c: Case, B: Backend) -> Number:
    """sigma_b F(theta) - E|grad f_B - grad F|^2 with sigma_b = (n-b)/(b(n-1)) lambda_max(4D - (4/n)G)."""
    ls = _ls_of(c)
    th = tuple(c.points["theta"])
    b = int(c.params["b"])
    mean, second = ls.noise_moments(th, b)
    M = [[B.num(Q(int(v.p), int(v.q))) for v in row] for row in ls.noise_matrix.tolist()]
    sig = B.lambda_max(M) * B.num(Q(ls.n - b, b * (ls.n - 1)))
    # an unbiased estimate is required too: a nonzero mean makes the margin -1
    if any(v != 0 for v in mean):
        return B.num(-1)
    return sig * B.num(ls.F(th)) - B.num(second)


def _rm_implication() -> Implication:
    """(2.8) for eta_k = gamma/(k + n_0)^q, 1/2 < q <= 1, every m >= 2, proved by z3."""
    q, m = sp.symbols("q m", positive=True)
    return Implication(
        "eta_k = gamma/(k+n0)^q with q in (1/2,1] satisfies (2.8) for every m >= 2",
        hypotheses=[q > sp.Rational(1, 2), q <= 1, m >= 2],
        conclusion=sp.And(q <= 1, q * (1 + m / 2) > 1),
        statement=r"\tfrac12<q\le1,\ m\ge2\implies q\le1\ (\textstyle\sum\eta_k=\infty)\ \wedge\ q(1+\tfrac m2)>1\ (\textstyle\sum\eta_k^{1+m/2}<\infty)",
        note="The two series are p-series in $k$: $\\sum (k+n_0)^{-s}<\\infty$ iff $s>1$.",
    )


def _tail_mc(rng: np.random.Generator, n: int) -> np.ndarray:
    """Gaussian noise N(0, s^2) in d = 1, varrho = 2 s^2: P(|Z|^2 >= t varrho) = erfc(sqrt t) <= e^{-t}, t = 1."""
    z = rng.standard_normal(n) * 0.3
    return z * z >= 1.0 * 2 * 0.3**2


register(
    Entry(
        id="sgdloj.noise-models",
        title="Noise models: unbiased noise, bounded moments with Robbins-Monro steps, machine-learning noise, the tail condition",
        where="Section 2, Stochastic gradients, (2.6)-(2.12), Assumption 4",
        statement=(
            r"$\nabla f(\theta;\xi)=\nabla F(\theta)+Z(\theta;\xi)$ (2.6), $E[Z(\theta;\xi)]=0$ (2.7); Robbins--Monro steps "
            r"$\sum_k\eta_k=\infty$, $\sum_k\eta_k^{1+m/2}<\infty$, $m\ge2$ (2.8), with bounded moments $E[|Z(\theta;\xi)|^m]\le c^m<\infty$ (2.9). "
            r"Assumption 4: $\nabla f(\theta;\xi)=\nabla F(\theta)+\sqrt{\sigma F(\theta)}Z_{\theta,\xi}$ (2.10) with $E[Z_{\theta,\xi}]=0$, "
            r"$E[|Z_{\theta,\xi}|^2]\le1$ (2.11). Relaxed: $P(|\nabla f(\theta;\xi)-\nabla F(\theta)|^2\ge t\varrho(F(\theta)))\le e^{-t}$ (2.12)."
        ),
        hypotheses=[r"$F=E_\xi f(\cdot;\xi)$ (1.1)"],
        checks=[
            Definition("unbiased noise (2.7)", _unbiased, [
                ("Rademacher noise on the first axis", ("finite", _RADEMACHER), True),
                ("least squares LS2, single-sample gradient at (3/2, 1/3)", ("ls", LS2, _THETA_A, 1), True),
                ("least squares n=3 < p=4, mini-batch b=2 without replacement", ("ls", _L3, (Q(1), Q(2), Q(0), Q(1)), 2), True),
                ("non-example: noise with atoms 0 and e1", ("finite", _BIASED), False),
                ("non-example: the rotated noise O_k Z_k of Theorem 4.4 given Z_1", ("rotated-given-Z1", _RADEMACHER, (Q(1), Q(0))), False),
            ]),
            Definition("bounded second moment (2.9), m = 2", _bounded_moments, [
                ("Rademacher noise, c = 1", ("finite", _RADEMACHER, 2, Q(1)), True),
                ("non-example: Rademacher noise, c = 9/10", ("finite", _RADEMACHER, 2, Q(9, 10)), False),
                ("non-example: least-squares sampling noise over all theta (scales with F)", ("ls", LS2), False),
            ]),
            Definition("Robbins-Monro step sizes (2.8) for eta_k = gamma/(k+n0)^q", _rm_predicate, [
                ("q = 1, m = 2", (Q(1), Q(2)), True),
                ("q = 3/5, m = 2", (Q(3, 5), Q(2)), True),
                ("q = 2/5, m = 4 (allowed by (2.8), outside (4.1))", (Q(2, 5), Q(4)), True),
                ("non-example: q = 1/2, m = 2 (sum eta^2 = sum 1/k diverges)", (Q(1, 2), Q(2)), False),
                ("non-example: q = 6/5 (sum eta_k < inf)", (Q(6, 5), Q(2)), False),
                ("non-example: constant step q = 0", (Q(0), Q(2)), False),
            ]),
            _rm_implication(),
            Definition("machine-learning noise (2.10)-(2.11)", _ml_noise, [
                ("LS2 single sample, sigma = 16", ("ls", LS2, 1, Q(16)), True),
                ("non-example: LS2 single sample, sigma = 15", ("ls", LS2, 1, Q(15)), False),
                ("LS2 full batch b = n = 2, sigma = 1/1000 (no noise)", ("ls", LS2, 2, Q(1, 1000)), True),
                ("p = 3 > n = 2 (flat direction), sigma = 16", ("ls", LS_FLAT, 1, Q(16)), True),
                ("n = 3 < p = 4, b = 2, sigma = 26/5 (> 5.0186)", ("ls", _L3, 2, Q(26, 5)), True),
                ("non-example: n = 3 < p = 4, b = 2, sigma = 5", ("ls", _L3, 2, Q(5)), False),
                ("non-example: additive Rademacher noise (does not vanish at zeros of F)", ("additive", _RADEMACHER), False),
            ]),
            unbiased_identity,
            variance_identity,
            gradnorm_identity,
            Claim(
                "mini-batch noise: E[grad f_B] = grad F and E|grad f_B - grad F|^2 <= sigma_b F with sigma_b = (n-b)/(b(n-1)) lambda_max(4D - (4/n)AA^T)",
                cases=_random_ls_cases(),
                margin=_ml_margin,
                statement=r"E|\nabla f_B-\nabla F|^2\le\sigma_bF,\quad \sigma_b=\tfrac{n-b}{b(n-1)}\lambda_{\max}\big(4D-\tfrac4nAA^\top\big)",
                note="Random integer data, $2\\le n\\le p\\le4$, every batch size; the expectations are exact sums over all $\\binom nb$ batches. Points are fixed by the draw (no local search moves the data).",
            ),
            Definition("tail condition (2.12) for theta-independent laws of |grad f - grad F|^2", _tail, [
                ("X in {0, 1} with probability 1/2 each, varrho = 2", ([Q(0), Q(1)], [Q(1, 2), Q(1, 2)], Q(2)), True),
                ("non-example: X = 1 almost surely (Rademacher noise), varrho = 100", ([Q(1)], [Q(1)], Q(100)), False),
                ("non-example: LS2 single-sample noise at (3/2, 1/3): |noise|^2 is the same for both samples, varrho = 10^6 F", (*_ls2_noise_norm2_atoms(), Q(10**6) * LS2.F(_THETA_A)), False),
            ]),
            MonteCarlo(
                "Gaussian noise in d = 1 satisfies (2.12) at t = 1 with varrho = 2 s^2",
                _tail_mc, rel="<=", bound=math.exp(-1), samples=4000, delta=1e-3,
                statement=r"P(|Z|^2\ge t\varrho)\le e^{-t},\ Z\sim N(0,s^2),\ \varrho=2s^2,\ t=1",
                note="The exact value is $\\operatorname{erfc}(1)\\approx0.157$.",
            ),
        ],
        status=Status.VERIFIED,
        reading=(
            r"(2.9) and (2.11) are read uniformly in $\theta$. For least squares $r=A\theta-y$ ranges over $\mathbb R^n$ (full row rank), so "
            r"$\sigma=\sup_\theta E|\nabla f-\nabla F|^2/F=\lambda_{\max}(4D-\frac4nAA^\top)$ exactly; LS2 gives $\sigma=16$. The sampling noise of least "
            r"squares is a machine-learning noise but not a bounded-moment noise (it grows with $F$). (2.12) is read literally, with no constant "
            r"in front of $e^{-t}$: then every noise with $|\nabla f-\nabla F|\ge c>0$ almost surely violates it for every $\varrho$ "
            r"(take $t\le c^2/\varrho$), including the $n=2$ least-squares sampling noise (both samples give the same $|\nabla f-\nabla F|$); this is "
            r"a remark on the condition quoted from [12], not on the paper's results, which do not use (2.12)."
        ),
    )
)
