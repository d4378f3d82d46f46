"""sgdloj: the probabilistic part of Theorem 3.1 (noise models, (3.9)-(3.22)).

The concrete model is over-parameterised / square linear least squares with interpolation
(theorems/sgd_models.py). The main instance LS2 has A = [[2, 1], [2, -1]], y = (3, 1), the unique
zero theta* = (1, 1), and exact constants alpha = 4, C_L = 8, sigma = 16 (single-sample SGD), so
that sqrt(2 C_L) + sqrt(sigma) = 8 and, with eta <= alpha/(4 C_L (2 C_L + sigma)) = 1/256,
rho(eta) = 1 - 4 eta + 128 eta^2 is rational.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction as Q
from typing import Any

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Bound,
    Case,
    Check,
    CheckSettings,
    Claim,
    Definition,
    Derivation,
    Expect,
    Identity,
    Illustration,
    Implication,
    Judgement,
    MonteCarlo,
    Proof,
    Step,
    Verdict,
)
from symbolic.backends import ArbBackend, Backend, Number, arb_precision, ball_certainly
from symbolic.verdicts import Evidence, Outcome
from theorems.cases import values_in
from theorems.registry import Entry, Status, register
from theorems.sgd_models import (
    LS2,
    LS_FLAT,
    THETA_STAR,
    FiniteNoise,
    LeastSquares,
    exact_paths,
    in_ball,
    robbins_monro,
    run_sgd,
)

# ------------------------------------------------------------------ the instance and its constants

ALPHA, C_L, SIGMA = Q(4), Q(8), Q(16)  # exact for LS2 (checked in sgdloj.noise-models / theorem-3-1)
K_CONST = Q(8)  # sqrt(2 C_L) + sqrt(sigma) = 4 + 4
ETA_MAX = ALPHA / (4 * C_L * (2 * C_L + SIGMA))  # = 1/256 <= 1/alpha


def rho_of(eta: Q) -> Q:
    """(3.2): rho = 1 - eta alpha + eta^2 C_L (2 C_L + sigma) / 2 for LS2."""
    return 1 - eta * ALPHA + eta * eta * C_L * (2 * C_L + SIGMA) / 2


class ExactCases(Check):
    """A claim decided exactly (rationals, or Arb balls) on a finite, stated list of cases.

    ``margin(case, B)`` >= 0 (> 0 if strict) is the claim at a case. Every case is decided in Arb
    (exact rationals pass through exactly); a case whose ball is certainly negative refutes the
    claim with that case as counterexample. Verdict ``checked`` (finitely many cases, not all).
    """

    kind = "N"

    def __init__(self, name: str, cases: Callable[[], Sequence[dict[str, Any]]], margin: Callable[[dict[str, Any], Backend], Number], *, strict: bool = False, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.cases, self.margin, self.strict = cases, margin, strict

    def run(self, settings: CheckSettings) -> Outcome:
        cases = list(self.cases())
        smallest = math.inf
        for case in cases:
            bits = 256
            while True:
                with arb_precision(bits):
                    m = self.margin(case, ArbBackend(bits))
                    decided = ball_certainly(m, self.strict)
                    mid = float(m.mid())
                if decided is not None or bits >= settings.max_confirm_bits:
                    break
                bits *= 2
            if decided is False:
                return Outcome(Verdict.REFUTED, Evidence(method="exact enumeration, decided in Arb ball arithmetic", samples=len(cases), counterexample=_show(case) | {"margin": str(m)}, details="the margin ball is certainly negative"))
            if decided is None:
                return Outcome(Verdict.UNDECIDED, Evidence(method="exact enumeration", samples=len(cases), counterexample=_show(case) | {"margin": str(m)}, details="a margin ball straddles 0"))
            smallest = min(smallest, mid)
        return Outcome(Verdict.CHECKED, Evidence(method="exact enumeration over all sampling paths, decided in Arb ball arithmetic", samples=len(cases), details=f"{len(cases)} cases, smallest margin {smallest:.4g}"))


def _show(case: dict[str, Any]) -> dict[str, str]:
    """A case for the report: exact values as strings (tuples of rationals kept readable), no path lists."""
    out = {}
    for k, v in case.items():
        if k == "paths":
            continue
        out[k] = "(" + ", ".join(str(x) for x in v) + ")" if isinstance(v, tuple) else str(v)
    return out


# ------------------------------------------------------------------ backend helpers for LS2


def _res(B: Backend, th: Sequence[Number], ls: LeastSquares = LS2) -> list[Number]:
    return [B.dot([B.num(a) for a in row], th) - B.num(yi) for row, yi in zip(ls.A, ls.y, strict=True)]


def _F(B: Backend, th: Sequence[Number], ls: LeastSquares = LS2) -> Number:
    return B.norm2(_res(B, th, ls)) / B.num(ls.n)


def _sample_norms(B: Backend, th: Sequence[Number], ls: LeastSquares = LS2) -> list[Number]:
    """|g_i(theta)| = 2 |a_i| |r_i|."""
    r = _res(B, th, ls)
    return [B.num(2) * B.sqrt(B.num(sum((a * a for a in row), Q(0)))) * B.abs(ri) for row, ri in zip(ls.A, r, strict=True)]


def _mean_step(B: Backend, th: Sequence[Number], eta: Number, ls: LeastSquares = LS2) -> Number:
    """E|theta_1 - theta_0| = eta E|g_i(theta_0)| (i uniform): exact over the finite sampling law."""
    norms = _sample_norms(B, th, ls)
    total = B.num(0)
    for v in norms:
        total = total + v
    return eta * total / B.num(ls.n)


def _sqrt_rho(B: Backend, eta: Number) -> Number:
    return B.sqrt(B.num(1) - B.num(ALPHA) * eta + eta * eta * B.num(C_L * (2 * C_L + SIGMA) / 2))


@st.composite
def ls2_cases(draw: st.DrawFn, spread: Q = Q(1, 2), extra: dict[str, Bound] | None = None) -> Case:
    """theta0 = theta* + offset (offset in [-spread, spread]^2), eta in (0, 1/256], optional extra params."""
    bounds = {"eta": Bound(Q(0), ETA_MAX, True, False), **(extra or {})}
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    off = tuple(draw(values_in(Bound(-spread, spread, False, False))) for _ in range(2))
    return Case(params=params, points={"theta0": tuple(t + o for t, o in zip(THETA_STAR, off, strict=True))}, bounds=bounds)


# ------------------------------------------------------------------ exact enumeration cases

_GRID_OFFSETS = [(Q(1, 10), Q(0)), (Q(1, 50), Q(0)), (Q(0), Q(1, 20)), (Q(1, 30), Q(-1, 40)), (Q(-1, 5), Q(1, 7)), (Q(1, 1000), Q(1, 1000)), (Q(2, 5), Q(-3, 10))]
_GRID_ETAS = [ETA_MAX, Q(1, 512)]
_KMAX = 5


def _enumerated() -> list[dict[str, Any]]:
    """Per (theta0, eta, r): all 2^k sampling paths for k <= _KMAX, in exact rationals (cached)."""
    if not hasattr(_enumerated, "cache"):
        out = []
        for off in _GRID_OFFSETS:
            th0 = tuple(t + o for t, o in zip(THETA_STAR, off, strict=True))
            F0 = LS2.F(th0)
            for eta in _GRID_ETAS:
                paths = exact_paths(LS2, th0, eta, _KMAX + 1)
                # radius with (2.2): 4 F0 < r^2 alpha, i.e. r^2 > F0; a tight one and a loose one
                for r in (Q(math.isqrt(int(F0 * 10**6)) + 1, 1000), Q(1)):
                    out.append({"theta0": th0, "eta": eta, "r": r, "F0": F0, "paths": paths})
        _enumerated.cache = out  # type: ignore[attr-defined]
    return _enumerated.cache  # type: ignore[attr-defined]


_EXP_CACHE: dict[tuple[int, Q, int], tuple[Q, list[tuple[Q, Q]]]] = {}


def _expectations(c: dict[str, Any], k: int) -> tuple[Q, list[tuple[Q, Q]]]:
    """E[F(theta_k) 1_{E_k(r)}] exactly, and the (probability, |theta_{k+1}-theta_k|^2) pairs on E_k(r) (memoised)."""
    key = (id(c["paths"]), c["r"], k)
    if key not in _EXP_CACHE:
        _EXP_CACHE[key] = _expectations_uncached(c, k)
    return _EXP_CACHE[key]


def _expectations_uncached(c: dict[str, Any], k: int) -> tuple[Q, list[tuple[Q, Q]]]:
    paths = c["paths"]
    n_paths = len(paths)
    # paths has 2^(_KMAX+1) leaves; the law of theta_0..theta_k is uniform over the leaves as well
    EF = Q(0)
    steps: list[tuple[Q, Q]] = []
    w = Q(1, n_paths)
    for path in paths:
        if all(in_ball(path[j], c["theta0"], c["r"]) for j in range(k + 1)):
            EF += w * LS2.F(path[k])
            steps.append((w, sum(((a - b) ** 2 for a, b in zip(path[k + 1], path[k], strict=True)), Q(0))))
    return EF, steps


def _decay_cases() -> list[dict[str, Any]]:
    return [{**c, "k": k} for c in _enumerated() for k in range(_KMAX + 1)]


def _decay_margin(c: dict[str, Any], B: Backend) -> Number:
    EF, _ = _expectations(c, c["k"])
    return B.num(rho_of(c["eta"]) ** c["k"] * c["F0"] - EF)


def _one_step_margin(c: dict[str, Any], B: Backend) -> Number:
    k = c["k"]
    EF_k, _ = _expectations(c, k)
    EF_k1, _ = _expectations(c, k + 1)
    return B.num(rho_of(c["eta"]) * EF_k - EF_k1)


def _step_length(c: dict[str, Any], B: Backend) -> Number:
    _, steps = _expectations(c, c["k"])
    total = B.num(0)
    for w, sq in steps:
        total = total + B.num(w) * B.sqrt(B.num(sq))
    return total


def _corrected_step_margin(c: dict[str, Any], B: Backend) -> Number:
    """(3.10) corrected: E|theta_{k+1}-theta_k| 1_{E_k} <= K eta rho^{k/2} sqrt(F0)."""
    eta = B.num(c["eta"])
    bound = B.num(K_CONST) * eta * B.ipow(_sqrt_rho(B, eta), c["k"]) * B.sqrt(B.num(c["F0"]))
    return bound - _step_length(c, B)


def _partial_length_margin(c: dict[str, Any], B: Backend) -> Number:
    """(3.11) corrected, partial sums: sum_{j<=k} E|step_j| 1_{E_j} <= K eta sqrt(F0) / (1 - sqrt(rho))."""
    eta = B.num(c["eta"])
    total = B.num(0)
    for j in range(c["k"] + 1):
        total = total + _step_length({**c, "k": j}, B)
    return B.num(K_CONST) * eta * B.sqrt(B.num(c["F0"])) / (B.num(1) - _sqrt_rho(B, eta)) - total


def _cs_margin(c: dict[str, Any], B: Backend) -> Number:
    """(3.10) middle line: E|step| 1_{E_k} <= eta sqrt(2 C_L) sqrt(E[F 1]) + eta sqrt(sigma E[F 1]) sqrt(E|Z|^2), E|Z|^2 <= 1."""
    EF, _ = _expectations(c, c["k"])
    eta = B.num(c["eta"])
    return eta * (B.sqrt(B.num(2 * C_L)) + B.sqrt(B.num(SIGMA))) * B.sqrt(B.num(EF)) - _step_length(c, B)


# ------------------------------------------------------------------ Monte Carlo simulators (LS2)

_MC_OFFSET = np.array([0.02, 0.0])  # theta0 - theta* along the fast direction: F0 = 4 * 0.02^2 = 0.0016
_MC_THETA0 = np.array([1.0, 1.0]) + _MC_OFFSET
_MC_F0 = float(LS2.F((Q(51, 50), Q(1))))
_MC_ETA = float(ETA_MAX)
_MC_RHO = float(rho_of(ETA_MAX))
_MC_R_SMALL = 0.05  # (2.2): r^2 = 0.0025 > F0 = 0.0016
# sup of F on B(theta0, r): F = |A(theta - theta*)|^2 / 2 <= 4 |theta - theta*|^2 <= 4 (r + |offset|)^2
_MC_FMAX_SMALL = 4 * (_MC_R_SMALL + 0.02) ** 2


def _sim_decay(k: int) -> Callable[[np.random.Generator, int], np.ndarray]:
    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        P = run_sgd(LS2, _MC_THETA0, _MC_ETA, k, n, _MC_R_SMALL, rng)
        return P.F[k] * P.inside[k] / _MC_F0

    return simulate


# (3.9) where it is tight: theta0 - theta* along the slow direction e2 of the Hessian diag(8, 2), where
# |grad F|^2 = alpha F exactly; there E[F(theta_1)] = (1 - 4 eta + 68 eta^2) F(theta_0) against
# rho = 1 - 4 eta + 128 eta^2, so at k = 20 the bound is about 2.6 % above the truth.
_MC_SLOW_THETA0 = (1.0, 1.04)  # F0 = |A(0, 1/25)|^2 / 2 = 0.0016, r = 0.05: (2.2) holds
_MC_SLOW_K = 20


def _step_growth() -> float:
    """An upper bound of max_i sup_d F(theta* + M_i d) / F(theta* + d), M_i = I - 2 eta a_i a_i^T: one SGD
    step multiplies F - F* by at most this (exact 2x2 eigenvalue, rounded up)."""
    H = sp.Matrix([[8, 0], [0, 2]])
    S = sp.diag(1 / sp.sqrt(8), 1 / sp.sqrt(2))
    eta = sp.Rational(ETA_MAX.numerator, ETA_MAX.denominator)
    worst = 0.0
    for a in ([2, 1], [2, -1]):
        v = sp.Matrix(a)
        M = sp.eye(2) - 2 * eta * v * v.T
        K = S * M.T * H * M * S
        worst = max(worst, *(float(sp.N(e, 30)) for e in K.eigenvals()))
    return worst * (1 + 1e-9)


_MC_SLOW_HIGH = _step_growth() ** _MC_SLOW_K  # F(theta_k)/F0 <= growth^k almost surely (about 1.142 at k = 20)


def _sim_decay_slow(rng: np.random.Generator, n: int) -> np.ndarray:
    P = run_sgd(LS2, _MC_SLOW_THETA0, _MC_ETA, _MC_SLOW_K, n, _MC_R_SMALL, rng)
    return P.F[_MC_SLOW_K] * P.inside[_MC_SLOW_K] / 0.0016


def decay_tight_check(bound_factor: float = 1.0) -> MonteCarlo:
    """(3.9) at k = 20 from the slow direction, against ``bound_factor * rho^20`` (1: the stated bound;
    property_tests/test_check_power.py shows 0.9 is detected)."""
    return MonteCarlo(
        "(3.9) at k = 20 where the bound is tight (LS2, start on the slow eigendirection, Hoeffding)",
        _sim_decay_slow, rel="<=", bound=bound_factor * _MC_RHO**_MC_SLOW_K, samples=60000, delta=1e-3, quantity="mean", low=0.0, high=_MC_SLOW_HIGH,
        statement=r"E[F(\theta_{20})1_{E_{20}(r)}]/F(\theta_0)\le\rho^{20},\quad\theta_0-\theta^*=(0,\tfrac1{25})",
        note=(
            r"$\theta_0-\theta^*$ on the slow eigendirection of $\nabla^2F=\mathrm{diag}(8,2)$, where $|\nabla F|^2=\alpha F$: the expectation is about "
            r"$0.740$ against $\rho^{20}\approx0.759$ (2.6\,\% slack). The variable lies in $[0,g^{20}]$, $g\approx1.0066$ the largest factor by which one "
            r"SGD step can multiply $F-F^*$ (exact $2\times2$ eigenvalue), so the Hoeffding half-width is about $0.009$ at $n=60000$: the check "
            r"detects a bound $1.2\,\%$ below the expectation, and a bound $10\,\%$ too small is refuted (the power tests of the suite)."
        ),
    )


def _sim_step(k: int) -> Callable[[np.random.Generator, int], np.ndarray]:
    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        P = run_sgd(LS2, _MC_THETA0, _MC_ETA, k + 1, n, _MC_R_SMALL, rng)
        return P.step[k] * P.inside[k] / _MC_ETA

    return simulate


# |g_i| = 2 sqrt(5) |a_i^T (theta - theta*)| <= 2 sqrt(5) sqrt(5) |theta - theta*| <= 10 (r + |offset|) on the ball
_MC_STEP_MAX = 10 * (_MC_R_SMALL + 0.02)
_MC_LEN_STEPS = 1500


def _sim_markov(delta_t: float) -> Callable[[np.random.Generator, int], np.ndarray]:
    bound = float(K_CONST) * _MC_ETA * math.sqrt(_MC_F0) / ((1 - math.sqrt(_MC_RHO)) * delta_t)

    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        P = run_sgd(LS2, _MC_THETA0, _MC_ETA, _MC_LEN_STEPS, n, 1.0, rng)
        length = (P.step * P.inside[:-1]).sum(axis=0)
        return length > bound

    return simulate


# ------------------------------------------------------------------ noise models (2.6)-(2.12)


def _unbiased(ex: Any) -> Judgement:
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


def _q(v: Q) -> sp.Rational:
    return sp.Rational(v.numerator, v.denominator)


_th_ls2 = sp.symbols("theta1 theta2", real=True)
_r_ls2 = [sum((_q(a) * t for a, t in zip(row, _th_ls2, strict=True)), sp.Integer(0)) - _q(yi) for row, yi in zip(LS2.A, LS2.y, strict=True)]
_At_r_ls2 = [sum((_q(LS2.A[i][j]) * _r_ls2[i] for i in range(2)), sp.Integer(0)) for j in range(2)]
# A real proof of "Assumption 1 for LS2" (issue 10: the attached identity was for generic 2x3
# data, an equality, and did not depend on alpha): for the instance's A and y, every theta
ls2_assumption1 = Implication(
    "LS2: |grad F(theta)|^2 >= 4 F(theta) for every theta in R^2 (z3)",
    hypotheses=[],
    conclusion=sp.Ge(sum((g**2 for g in _At_r_ls2), sp.Integer(0)), _q(ALPHA) * sum((r**2 for r in _r_ls2), sp.Integer(0)) / LS2.n, evaluate=False),
    statement=r"|A^\top(A\theta-y)|^2\ge4\cdot\tfrac12|A\theta-y|^2\quad\forall\theta\in\mathbb R^2\ (\text{LS2's }A,y)",
)


@st.composite
def _random_ls_cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(2, 3))
    p = draw(st.integers(n, 4))
    A = [[Q(draw(st.integers(-3, 3))) for _ in range(p)] for _ in range(n)]
    y = [Q(draw(st.integers(-3, 3))) for _ in range(n)]
    b = draw(st.integers(1, n))
    th = tuple(Q(draw(st.integers(-12, 12)), 4) for _ in range(p))
    return Case(params={"n": Q(n), "b": Q(b), "A": A, "y": y}, points={"theta": th})  # type: ignore[dict-item]


def _ls_of(c: Case) -> LeastSquares:
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

# ------------------------------------------------------------------ (3.9) geometric decay

_e, _e1, _P, _rh, _F0 = sp.symbols("e_k e_k1 P rho F_0", nonnegative=True)

register(
    Entry(
        id="sgdloj.geometric-decay",
        title="(3.9): E[F(theta_k) 1_{E_k}] <= rho^k F(theta_0)",
        where="Proof of Theorem 3.1, (3.9)",
        statement=r"$E[F(\theta_{k+1})1_{E_{k+1}(r)}|\theta_0]\le\rho E[F(\theta_k)1_{E_k(r)}|\theta_0]\le\rho^{k+1}F(\theta_0)$ (3.9).",
        hypotheses=[r"(3.8) with $\rho=1-\eta^*\alpha+\frac{\eta^{*2}}2C_L(2C_L+\sigma)$", r"$0<\eta^*\le\min\{\frac1\alpha,\frac\alpha{4C_L(2C_L+\sigma)}\}$"],
        checks=[
            Derivation(
                "(3.9) from (3.8)",
                start=r"E[F(\theta_{k+1})1_{E_{k+1}(r)}]",
                steps=[
                    Step("<=", r"\rho E[F(\theta_k)1_{E_k(r)}]", r"take the expectation of (3.8) (tower property)",
                         check=ExactCases("one-step contraction, exact over all sampling paths (LS2)", lambda: [c for c in _decay_cases() if c["k"] < _KMAX], _one_step_margin,
                                          statement=r"E[F(\theta_{k+1})1_{E_{k+1}(r)}]\le\rho E[F(\theta_k)1_{E_k(r)}]",
                                          note="LS2, 7 starting points, $\\eta\\in\\{1/256,1/512\\}$, two radii with (2.2), $k\\le4$: the expectations are exact rational sums over the $2^{k+1}$ equally likely sampling paths.")),
                    Step("<=", r"\rho^{k+1}F(\theta_0)", r"induction on $k$",
                         check=Implication("induction step", hypotheses=[_e1 <= _rh * _e, _e <= _P * _F0, _rh > 0],
                                           conclusion=_e1 <= _rh * _P * _F0,
                                           statement=r"e_{k+1}\le\rho e_k,\ e_k\le\rho^kF_0,\ \rho>0\implies e_{k+1}\le\rho^{k+1}F_0")),
                ],
            ),
            ExactCases("(3.9) exactly for k <= 5 (LS2, all 2^k sampling paths)", _decay_cases, _decay_margin,
                       statement=r"E[F(\theta_k)1_{E_k(r)}]\le\rho^kF(\theta_0),\quad k\le5",
                       note="Exact rationals: $\\rho(\\eta)=1-4\\eta+128\\eta^2$ is rational for LS2."),
            MonteCarlo("(3.9) at k = 60 (LS2, Hoeffding)", _sim_decay(60), rel="<=", bound=_MC_RHO**60, samples=20000, delta=1e-3, quantity="mean", low=0.0, high=_MC_FMAX_SMALL / _MC_F0,
                       statement=r"E[F(\theta_{60})1_{E_{60}(r)}]/F(\theta_0)\le\rho^{60}",
                       note=r"$\theta_0=\theta^*+(0.02,0)$, $\eta=1/256$, $r=0.05$; $F(\theta_k)1_{E_k(r)}\le\sup_{B(\theta_0,r)}F\le4(r+0.02)^2$ bounds the variable for Hoeffding. "
                            r"Power: the start is on the fast eigendirection, where $\rho^{60}\approx0.438$ is about $19$ times the expectation ($0.023$), and the "
                            r"half-width is $0.16$: this check only detects an expectation above $\rho^{60}$; the tight check is the next one."),
            decay_tight_check(),
        ],
        status=Status.VERIFIED,
        reading=r"The expectation given $\theta_0$ is the expectation over the sampling for a fixed $\theta_0$; $\rho$ uses $\alpha=\alpha(\theta_0,r)$.",
    )
)

# ------------------------------------------------------------------ (3.10)-(3.12) travel distance


def _k0_stated(c: Case, B: Backend) -> Number:
    th = c.x(B, "theta0")
    eta = c.p(B, "eta")
    return B.num(K_CONST) * eta * _F(B, th) - _mean_step(B, th, eta)


def _k0_corrected(c: Case, B: Backend) -> Number:
    th = c.x(B, "theta0")
    eta = c.p(B, "eta")
    return B.num(K_CONST) * eta * B.sqrt(_F(B, th)) - _mean_step(B, th, eta)


def _length_stated(c: Case, B: Backend) -> Number:
    """(3.11) stated bound minus the k = 0 term alone (the sum of nonnegative terms is at least that)."""
    th = c.x(B, "theta0")
    eta = c.p(B, "eta")
    return B.num(K_CONST) * eta * _F(B, th) / (B.num(1) - _sqrt_rho(B, eta)) - _mean_step(B, th, eta)


def _markov_stated(c: Case, B: Backend) -> Number:
    """(3.12) stated bound minus the smallest possible first step eta min_i |g_i(theta0)|: if negative, every
    trajectory is longer than the bound, so P(length <= bound) = 0 < 1 - delta~."""
    th = c.x(B, "theta0")
    eta = c.p(B, "eta")
    dt = c.p(B, "dt")
    first = B.min(*_sample_norms(B, th)) * eta
    return B.num(K_CONST) * eta * _F(B, th) / ((B.num(1) - _sqrt_rho(B, eta)) * dt) - first


_ef, _rk, _f0 = sp.symbols("E_F rho_k F_0", positive=True)
_sqrt_stated = Implication(
    "(3.9) gives sqrt(E[F 1]) <= rho^{k/2} F(theta0)",
    hypotheses=[_ef <= _rk * _f0, _rk <= 1],
    conclusion=sp.sqrt(_ef) <= sp.sqrt(_rk) * _f0,
    expect=Expect.REFUTED,
    statement=r"E[F1_{E_k}]\le\rho^kF_0\implies\sqrt{E[F1_{E_k}]}\le\rho^{k/2}F_0",
    note="The last line of (3.10) as written; false whenever $F_0<1$.",
)
_sqrt_corrected = Implication(
    "(3.9) gives sqrt(E[F 1]) <= rho^{k/2} sqrt(F(theta0))",
    hypotheses=[_ef <= _rk * _f0],
    conclusion=sp.sqrt(_ef) <= sp.sqrt(_rk) * sp.sqrt(_f0),
    statement=r"E[F1_{E_k}]\le\rho^kF_0\implies\sqrt{E[F1_{E_k}]}\le\rho^{k/2}\sqrt{F_0}",
)

_ks = sp.Symbol("K", positive=True)
_s = sp.Symbol("s", positive=True)  # sqrt(rho)
_i = sp.Symbol("i", integer=True, nonnegative=True)


def _geom(term: sp.Expr, lo: int) -> sp.Expr:
    """sum_{i >= lo} term, the convergent branch (|s| < 1) of sympy's summation."""
    out = sp.Sum(term, (_i, lo, sp.oo)).doit()
    return sp.simplify(out.replace(sp.Piecewise, lambda *args: args[0][0]))


_eta_s, _F0s = sp.symbols("eta F_0", positive=True)
_rho321, _beta321, _q321 = sp.symbols("rho beta q", positive=True)  # (3.21)

register(
    Entry(
        id="sgdloj.travel-distance",
        title="(3.10)-(3.12): expected step length, total length and the Markov bound",
        where="Proof of Theorem 3.1, (3.10)-(3.12)",
        statement=(
            r"$E[|(\theta_{k+1}-\theta_k)1_{E_k(r)}|]=\eta^*E[|\nabla f(\theta_k;\xi_k)1_{E_k(r)}|]\le\eta^*\sqrt{2C_L}\sqrt{E[F(\theta_k)1_{E_k(r)}]}"
            r"+\eta^*\sqrt{E[\sigma F(\theta_k)1_{E_k(r)}]}\sqrt{E[|Z_{\theta_k,\xi_k}|^2]}=(\sqrt{2C_L}+\sqrt\sigma)\eta^*\rho^{k/2}F(\theta_0)$ (3.10); "
            r"$E[\sum_{k=0}^\infty|(\theta_{k+1}-\theta_k)1_{E_k(r)}|]\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta^*}{1-\sqrt\rho}F(\theta_0)<\infty$ (3.11); "
            r"for any $\tilde\delta\in(0,1)$, $\sum_{k=0}^\infty|(\theta_{k+1}-\theta_k)1_{E_k(r)}|\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta^*}{(1-\sqrt\rho)\tilde\delta}F(\theta_0)$ "
            r"with probability at least $1-\tilde\delta$ (3.12)."
        ),
        hypotheses=[r"(2.4), (2.10)-(2.11), (3.9)"],
        checks=[
            Derivation(
                "(3.10) as written",
                expect=Expect.REFUTED,
                start=r"E[|(\theta_{k+1}-\theta_k)1_{E_k(r)}|]",
                steps=[
                    Step("<=", r"\eta\sqrt{2C_L}\sqrt{E[F1_{E_k}]}+\eta\sqrt{\sigma E[F1_{E_k}]}\sqrt{E|Z|^2}",
                         r"Cauchy--Schwarz, (2.4) and (2.10)--(2.11)",
                         check=ExactCases("Cauchy-Schwarz line, exact over sampling paths (LS2, k <= 4)", lambda: [c for c in _decay_cases() if c["k"] <= 4], _cs_margin,
                                          statement=r"E|\theta_{k+1}-\theta_k|1_{E_k}\le\eta(\sqrt{2C_L}+\sqrt\sigma)\sqrt{E[F(\theta_k)1_{E_k}]}")),
                    Step("<=", r"(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}F(\theta_0)", r"(3.9) (the paper writes $=$)", check=_sqrt_stated),
                ],
            ),
            Claim(
                "(3.10) stated, k = 0: E|theta_1 - theta_0| <= (sqrt(2C_L)+sqrt(sigma)) eta F(theta_0)",
                cases=ls2_cases(),
                lhs=lambda c, B: _mean_step(B, c.x(B, "theta0"), c.p(B, "eta")),
                rel="<=",
                rhs=lambda c, B: B.num(K_CONST) * c.p(B, "eta") * _F(B, c.x(B, "theta0")),
                expect=Expect.REFUTED,
                statement=r"E|\theta_1-\theta_0|=\frac{\eta}{n}\sum_i2|a_i||r_i(\theta_0)|\le(\sqrt{2C_L}+\sqrt\sigma)\eta F(\theta_0)",
                note="At $k=0$ the left side is deterministic given $\\theta_0$ and exactly computable: the mean over the two samples. It is linear in the residual, the stated bound quadratic, so it fails near the zero (small $F(\\theta_0)$, the regime of Theorem 3.1).",
            ),
            Claim(
                "(3.11) stated: the k = 0 term alone exceeds (sqrt(2C_L)+sqrt(sigma)) eta F(theta_0)/(1 - sqrt(rho))",
                cases=ls2_cases(spread=Q(1, 100)),
                margin=_length_stated,
                expect=Expect.REFUTED,
                statement=r"E\Big[\sum_{k\ge0}|\theta_{k+1}-\theta_k|1_{E_k}\Big]\ \ge\ E|\theta_1-\theta_0|\ \overset{?}{\le}\ \frac{(\sqrt{2C_L}+\sqrt\sigma)\eta}{1-\sqrt\rho}F(\theta_0)",
                note="The margin is the stated bound minus the first (deterministic-law) term; a negative margin refutes (3.11) since all terms are nonnegative.",
            ),
            Claim(
                "(3.12) stated: every trajectory is longer than the Markov bound",
                cases=ls2_cases(spread=Q(1, 100), extra={"dt": Bound(Q(0), Q(1), True, True)}),
                margin=_markov_stated,
                expect=Expect.REFUTED,
                statement=r"\sum_k|\theta_{k+1}-\theta_k|1_{E_k}\ge\eta\min_i|\nabla f_i(\theta_0)|\ \overset{?}{\le}\ \frac{(\sqrt{2C_L}+\sqrt\sigma)\eta}{(1-\sqrt\rho)\tilde\delta}F(\theta_0)\ \text{w.p.}\ge1-\tilde\delta",
                note="If even the shortest possible first step exceeds the bound, the probability that the length is below it is 0, not $\\ge1-\\tilde\\delta$.",
            ),
        ],
        corrected=[
            Derivation(
                "(3.10) corrected",
                start=r"E[|(\theta_{k+1}-\theta_k)1_{E_k(r)}|]",
                steps=[
                    Step("<=", r"\eta(\sqrt{2C_L}+\sqrt\sigma)\sqrt{E[F(\theta_k)1_{E_k}]}", r"Cauchy--Schwarz, (2.4), (2.10)--(2.11)",
                         check=ExactCases("Cauchy-Schwarz line (corrected chain), exact (LS2, k <= 4)", lambda: [c for c in _decay_cases() if c["k"] <= 4], _cs_margin,
                                          statement=r"E|\theta_{k+1}-\theta_k|1_{E_k}\le\eta(\sqrt{2C_L}+\sqrt\sigma)\sqrt{E[F(\theta_k)1_{E_k}]}")),
                    Step("<=", r"(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}\sqrt{F(\theta_0)}", r"(3.9)", check=_sqrt_corrected),
                ],
            ),
            Claim(
                "(3.10) corrected, k = 0: E|theta_1 - theta_0| <= (sqrt(2C_L)+sqrt(sigma)) eta sqrt(F(theta_0))",
                cases=ls2_cases(),
                margin=_k0_corrected,
                statement=r"E|\theta_1-\theta_0|\le(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt{F(\theta_0)}",
            ),
            ExactCases("(3.10) corrected, exact for k <= 4 (LS2)", lambda: [c for c in _decay_cases() if c["k"] <= 4], _corrected_step_margin,
                       statement=r"E|\theta_{k+1}-\theta_k|1_{E_k(r)}\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}\sqrt{F(\theta_0)}"),
            MonteCarlo("(3.10) corrected at k = 40 (LS2, Hoeffding)", _sim_step(40), rel="<=",
                       bound=float(K_CONST) * _MC_RHO**20 * math.sqrt(_MC_F0), samples=4000, delta=1e-3, quantity="mean", low=0.0, high=_MC_STEP_MAX,
                       statement=r"E|\theta_{41}-\theta_{40}|1_{E_{40}(r)}/\eta\le(\sqrt{2C_L}+\sqrt\sigma)\rho^{20}\sqrt{F(\theta_0)}",
                       note=r"On $E_k(r)$, $|\nabla f_i|=2\sqrt5|a_i^\top(\theta-\theta^*)|\le10(r+0.02)$ bounds the variable."),
            Identity("(3.11) corrected: sum_k rho^{k/2} = 1/(1 - sqrt(rho))", _geom(_s**_i, 0), 1 / (1 - _s),
                     statement=r"\sum_{k\ge0}\rho^{k/2}=\frac1{1-\sqrt\rho}\ \Rightarrow\ E\Big[\sum_k|\theta_{k+1}-\theta_k|1_{E_k}\Big]\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta}{1-\sqrt\rho}\sqrt{F(\theta_0)}",
                     note="$s=\\sqrt\\rho\\in(0,1)$; sympy's summation, convergent branch."),
            ExactCases("(3.11) corrected, exact partial sums k <= 4 (LS2)", lambda: [c for c in _decay_cases() if c["k"] <= 4], _partial_length_margin,
                       statement=r"\sum_{j\le k}E|\theta_{j+1}-\theta_j|1_{E_j}\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta}{1-\sqrt\rho}\sqrt{F(\theta_0)}"),
            MonteCarlo("(3.12) corrected, delta~ = 1/10 (LS2, 1500 steps, Clopper-Pearson)", _sim_markov(0.1), rel="<=", bound=0.1, samples=3000, delta=1e-3,
                       statement=r"P\Big(\sum_{k<1500}|\theta_{k+1}-\theta_k|1_{E_k}>\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt{F(\theta_0)}}{(1-\sqrt\rho)\tilde\delta}\Big)\le\tilde\delta",
                       note="A truncated sum is at most the full sum, so this is a consequence of the corrected (3.12) (a necessary condition), with $r=1$."),
            MonteCarlo("(3.12) corrected, delta~ = 1/2 (LS2, 1500 steps, Clopper-Pearson)", _sim_markov(0.5), rel="<=", bound=0.5, samples=3000, delta=1e-3,
                       statement=r"P\Big(\sum_{k<1500}|\theta_{k+1}-\theta_k|1_{E_k}>\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt{F(\theta_0)}}{(1-\sqrt\rho)\tilde\delta}\Big)\le\tilde\delta"),
        ],
        status=Status.ERRATUM,
        reading=(
            r"The last line of (3.10) turns $\sqrt{E[F(\theta_k)1_{E_k}]}$ into $\rho^{k/2}F(\theta_0)$; (3.9) only gives $\rho^{k/2}\sqrt{F(\theta_0)}$. "
            r"The stated bound is smaller when $F(\theta_0)<1$ -- the regime of Theorem 3.1 ($F(\theta_0)\le\varepsilon$) -- and fails at $k=0$, where "
            r"$E|\theta_1-\theta_0|=\eta E|\nabla f(\theta_0;\xi)|$ is linear in the residual. The corrected (3.10)-(3.12) carry $\sqrt{F(\theta_0)}$; "
            r"Theorem 3.1 survives since $\sqrt\varepsilon\to0$. $E_k(r)$ depends on $\theta_0,\dots,\theta_k$ only, so $|(\theta_{k+1}-\theta_k)1_{E_k}|=|\theta_{k+1}-\theta_k|1_{E_k}$."
        ),
    )
)

# ------------------------------------------------------------------ (3.14)-(3.20) escape probabilities


@st.composite
def _finite_laws(draw: st.DrawFn) -> Case:
    """A nonnegative random variable with 3 atoms and a threshold t > 0 (for Markov's inequality)."""
    xs = [draw(values_in(Bound(Q(0), Q(3), False, False), resolution=60)) for _ in range(3)]
    ws = [draw(values_in(Bound(Q(0), Q(1), True, False), resolution=60)) for _ in range(3)]
    t = draw(values_in(Bound(Q(0), Q(3), True, False), resolution=60))
    return Case(params={"x1": xs[0], "x2": xs[1], "x3": xs[2], "w1": ws[0], "w2": ws[1], "w3": ws[2], "t": t})


def _markov_margin(c: Case, B: Backend) -> Number:
    """t E X - t P(X >= t) >= 0 ... written as E X / t - P(X >= t) with exact weights."""
    W = c.params["w1"] + c.params["w2"] + c.params["w3"]
    t = c.params["t"]
    EX = sum((c.params[f"w{i}"] * c.params[f"x{i}"] for i in (1, 2, 3)), Q(0)) / W
    tail = sum((c.params[f"w{i}"] for i in (1, 2, 3) if c.params[f"x{i}"] >= t), Q(0)) / W
    return B.num(EX / t - tail)


def _markov_claim(name: str) -> Claim:
    return Claim(
        name, cases=_finite_laws(), margin=_markov_margin,
        statement=r"X\ge0\implies P(X\ge t)\le E[X]/t",
        note="Markov's inequality on random three-atom laws (exact rationals); the paper uses it with $t=1$ in (3.14) and $t=M_0$ in (3.15).",
    )


_a0, _d1, _c1, _Rr, _M0, _Fv = sp.symbols("a d c R M_0 F_v", nonnegative=True)

_union = Implication(
    "tilde E_{k+1} splits into 'leaves B(theta0, R)' and 'enters the annulus'",
    hypotheses=[_d1 > _Rr - 1, _Rr > 1],
    conclusion=sp.Or(_d1 > _Rr, sp.And(_d1 <= _Rr, _d1 > _Rr - 1)),
    statement=r"|\theta_{k+1}-\theta_0|>R-1\implies|\theta_{k+1}-\theta_0|>R\ \vee\ R-1<|\theta_{k+1}-\theta_0|\le R",
)
_triangle = Implication(
    "leaving B(theta0, R) from B(theta0, R-1) takes a step of length >= 1",
    hypotheses=[_a0 <= _Rr - 1, _d1 > _Rr, _d1 <= _a0 + _c1],
    conclusion=_c1 >= 1,
    statement=r"|\theta_k-\theta_0|\le R-1,\ |\theta_{k+1}-\theta_0|>R,\ |\theta_{k+1}-\theta_0|\le|\theta_k-\theta_0|+|\theta_{k+1}-\theta_k|\implies|\theta_{k+1}-\theta_k|\ge1",
)
_annulus = Implication(
    "entering the annulus from B(theta0, R-1): F(theta_{k+1}) 1_{E_{k+1}(R)} >= M0 by (2.5)",
    hypotheses=[_a0 <= _Rr - 1, _d1 <= _Rr, _d1 > _Rr - 1, _Fv >= _M0],
    conclusion=sp.And(_a0 <= _Rr, _d1 <= _Rr, _Fv >= _M0),
    statement=r"|\theta_j-\theta_0|\le R-1\ (j\le k),\ R-1<|\theta_{k+1}-\theta_0|\le R,\ F\ge M_0\text{ there}\implies 1_{E_{k+1}(R)}=1,\ F(\theta_{k+1})\ge M_0",
)


def _stated_k0_claim(name: str) -> Claim:
    return Claim(
        name, cases=ls2_cases(),
        lhs=lambda c, B: _mean_step(B, c.x(B, "theta0"), c.p(B, "eta")), rel="<=",
        rhs=lambda c, B: B.num(K_CONST) * c.p(B, "eta") * _F(B, c.x(B, "theta0")),
        expect=Expect.REFUTED,
        statement=r"E[|\theta_1-\theta_0|1_{E_0}]\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^0F(\theta_0)",
        note="(3.10) as stated, at k = 0 (see sgdloj.travel-distance).",
    )


def _escape_cases() -> list[dict[str, Any]]:
    return [c for c in _decay_cases() if c["k"] <= 4]


def _disjoint_union_margin(c: dict[str, Any], B: Backend) -> Number:
    """-|P(E_k^c) - sum_{i=1}^k P(E_{i-1} minus E_i)| (exact; 0 iff the identity holds)."""
    k = c["k"]
    paths = c["paths"]
    w = Q(1, len(paths))
    first_exit = [next((j for j in range(k + 1) if not in_ball(p[j], c["theta0"], c["r"])), None) for p in paths]
    p_out = sum((w for f in first_exit if f is not None), Q(0))
    parts = sum((sum((w for f in first_exit if f == i), Q(0)) for i in range(1, k + 1)), Q(0))
    return B.num(-abs(p_out - parts))


@st.composite
def _sum_cases(draw: st.DrawFn) -> Case:
    bounds = {
        "rho": Bound(Q(0), Q(1), True, True),
        "Keta": Bound(Q(0), Q(1), True, False),
        "M0": Bound(Q(0), Q(10), True, False),
        "F0": Bound(Q(0), Q(1), True, False),
    }
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    params["k"] = Q(draw(st.integers(1, 400)))
    return Case(params=params, bounds=bounds)


def _partial_sums(c: Case, B: Backend, corrected: bool) -> Number:
    """sum_{i=1}^k [ c1 rho^{(i-1)/2} + F0 rho^i / M0 ], c1 = K eta F0 (stated) or K eta sqrt(F0) (corrected)."""
    k = int(c.params["k"])
    rho, keta = _rho_keta(c, B)
    s = B.sqrt(rho)
    F0 = c.p(B, "F0")
    c1 = keta * (B.sqrt(F0) if corrected else F0)
    geo_s = (B.num(1) - B.ipow(s, k)) / (B.num(1) - s)
    geo_r = rho * (B.num(1) - B.ipow(rho, k)) / (B.num(1) - rho)
    return c1 * geo_s + F0 * geo_r / c.p(B, "M0")


def _stated_319(c: Case, B: Backend) -> Number:
    rho, keta = _rho_keta(c, B)
    s = B.sqrt(rho)
    return c.p(B, "F0") * (keta * s / (B.num(1) - s) + rho * rho / (c.p(B, "M0") * (B.num(1) - rho)))


def _corrected_319(c: Case, B: Backend) -> Number:
    rho, keta = _rho_keta(c, B)
    s = B.sqrt(rho)
    F0 = c.p(B, "F0")
    return keta * B.sqrt(F0) / (B.num(1) - s) + F0 * rho / (c.p(B, "M0") * (B.num(1) - rho))


_rho_s = sp.Symbol("rho", positive=True)
_A1, _B1, _dl, _ee = sp.symbols("a b delta e", positive=True)

# ---- the Theorem 3.1 instance: theta0 = theta* + (1/50, 0), R = 3, eta = 1/256
T31_THETA0 = (Q(51, 50), Q(1))
T31_R = Q(3)
T31_D = Q(1, 50)  # |theta0 - theta*|
T31_M0 = (T31_R - 1 - T31_D) ** 2  # F >= |theta - theta*|^2 (lambda_min(A^T A)/n = 1) and |theta - theta*| >= R - 1 - d on the annulus
T31_F0 = LS2.F(T31_THETA0)
T31_ETA = ETA_MAX
T31_RHO = rho_of(T31_ETA)


@st.composite
def _feasible_sum_cases(draw: st.DrawFn) -> Case:
    """Instances the paper's step rule allows: a = sqrt(2 C_L), s = sqrt(sigma) (so K = a + s is rational), alpha = u a^2 <= 2 C_L
    (a consequence of (2.4)), eta = t min{1/alpha, alpha/(4 C_L (2 C_L + sigma))}; rho and K eta are derived, so rho > 1/2
    (eta alpha < 1/2) and rho is tied to K eta as in the paper. M0 > 0, F0 in (0, 1), 1 <= k <= 3000."""
    bounds = {
        "a": Bound(Q(0), Q(8), True, False),
        "s": Bound(Q(0), Q(8), True, False),
        "u": Bound(Q(0), Q(1), True, False),
        "t": Bound(Q(0), Q(1), True, False),
        "M0": Bound(Q(0), Q(10), True, False),
        "F0": Bound(Q(0), Q(1), True, True),
    }
    params = {k: draw(values_in(b)) for k, b in bounds.items()}
    params["k"] = Q(draw(st.integers(1, 3000)))
    return Case(params=params, bounds=bounds)


def _rho_keta(c: Case, B: Backend) -> tuple[Number, Number]:
    """(rho, K eta): given directly (params rho, Keta) or derived from the feasible primitives (a, s, u, t)."""
    if "rho" in c.params:
        return c.p(B, "rho"), c.p(B, "Keta")
    a, s = c.p(B, "a"), c.p(B, "s")
    CL, sigma = a * a / B.num(2), s * s
    alpha = c.p(B, "u") * a * a
    eta = c.p(B, "t") * B.min(B.num(1) / alpha, alpha / (B.num(4) * CL * (B.num(2) * CL + sigma)))
    return B.num(1) - eta * alpha + eta * eta * CL * (B.num(2) * CL + sigma) / B.num(2), (a + s) * eta


def _rho_feasible_margin(c: Case, B: Backend) -> Number:
    """min(rho - 1/2, 1 - rho) > 0 on the feasible draws."""
    rho, _ = _rho_keta(c, B)
    return B.min(rho - B.num(Q(1, 2)), B.num(1) - rho)


_LS2_319_K = (1, 100, 431, 432)  # the stated (3.19) partial sum first exceeds its bound at k = 432 for the LS2 constants


def _ls2_319_cases() -> list[dict[str, Any]]:
    return [{"rho": T31_RHO, "Keta": K_CONST * T31_ETA, "M0": T31_M0, "F0": T31_F0, "k": Q(k)} for k in _LS2_319_K]


def _ls2_319_margin(c: dict[str, Any], B: Backend) -> Number:
    case = Case(params=c)
    return _stated_319(case, B) - _partial_sums(case, B, corrected=False)


def _delta_corrected(F0: float) -> float:
    s = math.sqrt(float(T31_RHO))
    return math.sqrt(F0) * float(K_CONST * T31_ETA) / (1 - s) + F0 * float(T31_RHO) / (float(T31_M0) * (1 - float(T31_RHO)))


def _delta_stated(F0: float) -> float:
    s = math.sqrt(float(T31_RHO))
    r = float(T31_RHO)
    return F0 * (float(K_CONST * T31_ETA) * s / (1 - s) + r * r / (float(T31_M0) * (1 - r)))


T31_STEPS = 2000


def _sim_escape(rng: np.random.Generator, n: int) -> np.ndarray:
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), T31_STEPS, n, float(T31_R - 1), rng)
    return ~P.inside[-1]


register(
    Entry(
        id="sgdloj.escape-probability",
        title="(3.14)-(3.20): the two escape bounds, their sum, and the choice of epsilon",
        where="Proof of Theorem 3.1, (3.14)-(3.20)",
        statement=(
            r"$P(E_k(R-1)\text{ occurs but }\theta_{k+1}\in B^c(\theta_0,R))\le P(|\theta_{k+1}-\theta_k|1_{E_k(R-1)}\ge1)\le E[|\theta_{k+1}-\theta_k|1_{E_k(R-1)}]"
            r"\le(\sqrt{2C_L}+\sqrt\sigma)\eta^*\rho^{k/2}F(\theta_0)$ (3.14); "
            r"$P(E_k(R-1)\text{ occurs but }\theta_{k+1}\in B(\theta_0,R)\setminus B(\theta_0,R-1))\le P(F(\theta_{k+1})1_{E_{k+1}(R)}\ge M_0)\le\frac{E[F(\theta_{k+1})1_{E_{k+1}(R)}]}{M_0}\le\frac{\rho^{k+1}F(\theta_0)}{M_0}$ (3.15); "
            r"$\tilde E_{k+1}(R-1):=E_k(R-1)\setminus E_{k+1}(R-1)$ (3.17), $P(\tilde E_{k+1}(R-1))\le F(\theta_0)\big((\sqrt{2C_L}+\sqrt\sigma)\eta^*\rho^{k/2}+\frac{\rho^{k+1}}{M_0}\big)$ (3.18); "
            r"$P(E_k^c(R-1))=\sum_{i=1}^kP(\tilde E_i(R-1))<F(\theta_0)\big((\sqrt{2C_L}+\sqrt\sigma)\frac{\eta^*\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\big)$ for any $k\in\mathbb N$ (3.19); "
            r"for every $0<\delta<1$ there exists $\varepsilon>0$ depending on $C_L,\sigma,\eta^*,\rho,M_0$ such that $F(\theta_0)\le\varepsilon$ implies $P(E_k(R-1))\ge1-\delta$ for all $k$ (3.20)."
        ),
        hypotheses=[r"(2.5) with $M_0>0$", r"(3.9), (3.10)"],
        checks=[
            Derivation(
                "(3.14)-(3.18) as written",
                expect=Expect.REFUTED,
                start=r"P(\tilde E_{k+1}(R-1))",
                steps=[
                    Step("<=", r"P(E_k(R-1),\ \theta_{k+1}\notin B(\theta_0,R))+P(E_k(R-1),\ \theta_{k+1}\in B(\theta_0,R)\setminus B(\theta_0,R-1))", r"union bound, (3.17)", check=_union, label="(3.18)"),
                    Step("<=", r"P(|\theta_{k+1}-\theta_k|1_{E_k(R-1)}\ge1)+P(F(\theta_{k+1})1_{E_{k+1}(R)}\ge M_0)", r"inclusion of events: triangle inequality and (2.5)", check=_triangle, label="(3.14)"),
                    Step("<=", r"E[|\theta_{k+1}-\theta_k|1_{E_k(R-1)}]+E[F(\theta_{k+1})1_{E_{k+1}(R)}]/M_0", r"Markov's inequality", check=_markov_claim("Markov's inequality (3.14)-(3.15)")),
                    Step("<=", r"F(\theta_0)\big((\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}+\rho^{k+1}/M_0\big)", r"(3.10) and (3.9)", check=_stated_k0_claim("(3.10) as used in (3.14), k = 0")),
                ],
            ),
            _annulus,
            ExactCases("E_k^c = disjoint union of tilde E_1..tilde E_k (LS2, exact over paths, k <= 4)", _escape_cases, _disjoint_union_margin,
                       statement=r"P(E_k^c(R-1))=\sum_{i=1}^kP(\tilde E_i(R-1))",
                       note="Exact over the $2^{k}$ sampling paths; $E_0$ is sure since $\\theta_0\\in B(\\theta_0,r)$. Includes tight radii where some paths leave."),
            Claim(
                "(3.19) stated: sum_{i=1}^k of the (3.18) bounds < F0 (K eta sqrt(rho)/(1-sqrt(rho)) + rho^2/(M0(1-rho)))",
                cases=_feasible_sum_cases(),
                lhs=lambda c, B: _partial_sums(c, B, corrected=False), rel="<", rhs=_stated_319,
                expect=Expect.REFUTED,
                statement=r"\sum_{i=1}^kF_0\Big(K\eta\rho^{\frac{i-1}2}+\frac{\rho^{i}}{M_0}\Big)<F_0\Big(\frac{K\eta\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\Big)\quad\forall k",
                note=("$P(\\tilde E_i)$ is (3.18) with index $k+1=i$: the terms are $\\rho^{(i-1)/2}$ and $\\rho^{i}$, whose sums over $i\\ge1$ are $1/(1-\\sqrt\\rho)$ and $\\rho/(1-\\rho)$, not $\\sqrt\\rho/(1-\\sqrt\\rho)$ and $\\rho^2/(1-\\rho)$ (an index shift by one). "
                      r"Only feasible instances are drawn: $\\sqrt{2C_L},\\sqrt\\sigma\\in(0,8]$, $\\alpha\\le2C_L$, $\\eta$ by the step rule of Theorem 3.1, so $\\rho\\in(\\frac12,1)$ and $K\\eta$ is tied to $\\rho$; $1\\le k\\le3000$. "
                      r"The full sums exceed the bound by $F_0(K\\eta+\\rho/M_0)>0$, so every feasible instance fails for $k$ large."),
            ),
            ExactCases(
                "(3.19) stated at the LS2 constants of the Theorem 3.1 instance: rho = 505/512, K eta = 1/32, M0 = (99/50)^2 (exact, first exceeded at k = 432)",
                _ls2_319_cases, _ls2_319_margin, strict=True, expect=Expect.REFUTED,
                statement=r"\sum_{i=1}^{k}F_0\Big(K\eta\rho^{\frac{i-1}2}+\frac{\rho^{i}}{M_0}\Big)<F_0\Big(\frac{K\eta\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\Big),\quad k\in\{1,100,431,432\}",
                note=(r"LS2, $\theta_0=\theta^*+(1/50,0)$, $F_0=1/625$, $R=3$, $\eta=1/256$: $\rho=505/512$, $K\eta=(\sqrt{2C_L}+\sqrt\sigma)\eta=1/32$, $M_0=(99/50)^2$. "
                      r"Divided by $F_0$: the partial sum is $22.67438$ at $k=431$ and $22.67666$ at $k=432$, the bound $22.67482$ (Arb, 256 bits)."),
            ),
            Claim("the (3.19) search draws feasible instances only: rho in (1/2, 1)", cases=_feasible_sum_cases(), margin=_rho_feasible_margin, strict=True,
                  statement=r"\alpha\le2C_L,\ 0<\eta\le\min\{\tfrac1\alpha,\tfrac{\alpha}{4C_L(2C_L+\sigma)}\}\implies\tfrac12<\rho<1",
                  note=r"$\eta\alpha\le\frac{\alpha^2}{4C_L(2C_L+\sigma)}<\frac12$ when $\alpha\le2C_L$, so $\rho\ge1-\eta\alpha>\frac12$."),
            Identity("(3.19) stated: sum_{i>=1} rho^{(i-1)/2} = sqrt(rho)/(1 - sqrt(rho))", _geom(_s ** _i, 0), _s / (1 - _s), expect=Expect.REFUTED,
                     statement=r"\sum_{i\ge1}\rho^{(i-1)/2}=\frac{\sqrt\rho}{1-\sqrt\rho}", note="$s=\\sqrt\\rho$."),
            Identity("(3.19) stated: sum_{i>=1} rho^i = rho^2/(1 - rho)", _geom(_rho_s ** (_i + 1), 0), _rho_s**2 / (1 - _rho_s), expect=Expect.REFUTED,
                     statement=r"\sum_{i\ge1}\rho^{i}=\frac{\rho^2}{1-\rho}"),
            MonteCarlo("(3.19) stated bound in the Theorem 3.1 instance (2000 steps)", _sim_escape, rel="<=", bound=_delta_stated(float(T31_F0)), samples=2000, delta=1e-3,
                       statement=r"P(E_{2000}^c(R-1))\le F(\theta_0)\Big(\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt\rho}{1-\sqrt\rho}+\frac{\rho^2}{M_0(1-\rho)}\Big)",
                       note="The stated inequality holds in this instance although its derivation is broken: the bounds are far from tight here (no run leaves)."),
        ],
        corrected=[
            Derivation(
                "(3.14)-(3.18) corrected",
                start=r"P(\tilde E_{k+1}(R-1))",
                steps=[
                    Step("<=", r"E[|\theta_{k+1}-\theta_k|1_{E_k(R-1)}]+E[F(\theta_{k+1})1_{E_{k+1}(R)}]/M_0", r"union bound, inclusions, Markov (as above)", check=_markov_claim("Markov's inequality (corrected chain)")),
                    Step("<=", r"(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}\sqrt{F(\theta_0)}+\rho^{k+1}F(\theta_0)/M_0", r"(3.10) corrected and (3.9)",
                         check=ExactCases("(3.10) corrected as used in (3.14) (LS2, exact, k <= 4)", _escape_cases, _corrected_step_margin,
                                          statement=r"E|\theta_{k+1}-\theta_k|1_{E_k}\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{k/2}\sqrt{F(\theta_0)}")),
                ],
            ),
            Identity("sum_{i>=1} rho^{(i-1)/2} = 1/(1 - sqrt(rho))", _geom(_s ** _i, 0), 1 / (1 - _s), statement=r"\sum_{i\ge1}\rho^{(i-1)/2}=\frac1{1-\sqrt\rho}"),
            Identity("sum_{i>=1} rho^i = rho/(1 - rho)", _geom(_rho_s ** (_i + 1), 0), _rho_s / (1 - _rho_s), statement=r"\sum_{i\ge1}\rho^{i}=\frac{\rho}{1-\rho}"),
            Claim(
                "(3.19) corrected: partial sums of the corrected (3.18) bounds <= sqrt(F0) K eta/(1-sqrt(rho)) + F0 rho/(M0(1-rho))",
                cases=_sum_cases(),
                lhs=lambda c, B: _partial_sums(c, B, corrected=True), rel="<=", rhs=_corrected_319,
                statement=r"P(E_k^c(R-1))\le\sum_{i=1}^k\Big(K\eta\rho^{\frac{i-1}2}\sqrt{F_0}+\frac{\rho^iF_0}{M_0}\Big)\le\frac{K\eta\sqrt{F_0}}{1-\sqrt\rho}+\frac{\rho F_0}{M_0(1-\rho)}",
            ),
            Implication(
                "(3.20) corrected: epsilon = min{(delta/(2a))^2, delta/(2b)} works",
                hypotheses=[_dl < 1, _ee <= _dl / (2 * _A1), _ee**2 <= _dl / (2 * _B1)],
                conclusion=_A1 * _ee + _B1 * _ee**2 <= _dl,
                statement=r"a=\tfrac{K\eta}{1-\sqrt\rho},\ b=\tfrac{\rho}{M_0(1-\rho)},\ \sqrt\varepsilon\le\tfrac{\delta}{2a},\ \varepsilon\le\tfrac{\delta}{2b}\implies a\sqrt\varepsilon+b\varepsilon\le\delta",
                note="$e=\\sqrt{\\varepsilon}$; with the corrected (3.19), $F(\\theta_0)\\le\\varepsilon$ gives $P(E_k^c(R-1))\\le\\delta$ for all $k$. $\\varepsilon$ depends on $C_L,\\sigma,\\eta^*,\\rho,M_0$ as (3.20) says.",
            ),
            MonteCarlo("(3.19) corrected bound in the Theorem 3.1 instance (2000 steps, Clopper-Pearson)", _sim_escape, rel="<=", bound=_delta_corrected(float(T31_F0)), samples=2000, delta=1e-3,
                       statement=r"P(E_{2000}^c(R-1))\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt{F(\theta_0)}}{1-\sqrt\rho}+\frac{\rho F(\theta_0)}{M_0(1-\rho)}",
                       note=r"LS2, $\theta_0=\theta^*+(1/50,0)$, $F(\theta_0)=1/625$, $R=3$, $M_0=(99/50)^2$, $\eta=1/256$; $P(E_N^c)\le P(E_\infty^c)$, so this checks a consequence at $N=2000$."),
        ],
        status=Status.ERRATUM,
        reading=(
            r"Two slips: (i) (3.14) inherits $\rho^{k/2}F(\theta_0)$ from (3.10), which should be $\rho^{k/2}\sqrt{F(\theta_0)}$; (ii) (3.19) sums the terms of (3.18) with "
            r"the index shifted: $\sum_{i=1}^k P(\tilde E_i)$ uses (3.18) with $k+1=i$, i.e. $\rho^{(i-1)/2}$ and $\rho^i$, whose sums are $\frac1{1-\sqrt\rho}$ and $\frac\rho{1-\rho}$. "
            r"Corrected: $P(E_k^c(R-1))\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta^*}{1-\sqrt\rho}\sqrt{F(\theta_0)}+\frac{\rho F(\theta_0)}{M_0(1-\rho)}$, which still tends to 0 as $F(\theta_0)\to0$, so (3.20) holds "
            r"with $\varepsilon=\min\{(\delta/2a)^2,\delta/2b\}$. (3.15) uses (3.9) with $r=R$, i.e. $\alpha=\alpha(\theta_0,R)$. The strict '$<$' of (3.19) is read as '$\le$' in the corrected version."
        ),
    )
)

# ------------------------------------------------------------------ Theorem 3.1, (3.21)-(3.22)


def _instance_predicate(ex: Any) -> Judgement:
    """Assumptions 1-4 and the step-size condition for a least-squares instance, decided exactly."""
    kind = ex[0]
    if kind == "ls2":
        theta0, R, eta = ex[1], ex[2], ex[3]
        d2 = sum(((a - b) ** 2 for a, b in zip(theta0, THETA_STAR, strict=True)), Q(0))
        F0 = LS2.F(theta0)
        alpha, CL, sigma = (Q(str(LS2.alpha)), Q(str(LS2.C_L)), Q(str(LS2.sigma(1))))
        inner = d2 < (R - 1) ** 2  # the zero lies in B(theta0, R-1): then alpha(theta0, R) = alpha and M0 > 0
        # M0 = (R - 1 - d)^2 > 0 needs d < R - 1 (F >= |theta - theta*|^2 since lambda_min(A^T A)/n = 1)
        conds = {
            "R > 1": R > 1,
            "(2.2) 4F0 < R^2 alpha": 4 * F0 < R * R * alpha,
            "theta* in B(theta0, R-1) (M0 > 0)": inner,
            "eta <= min(1/alpha, alpha/(4 C_L (2 C_L + sigma)))": 0 < eta <= min(1 / alpha, alpha / (4 * CL * (2 * CL + sigma))),
            "rho in (0,1)": 0 < 1 - eta * alpha + eta * eta * CL * (2 * CL + sigma) / 2 < 1,
            "constants": (alpha, CL, sigma) == (ALPHA, C_L, SIGMA) and LS2.strong_convexity_of_F == 1,
        }
        bad = [k for k, v in conds.items() if not v]
        return Judgement(not bad, Verdict.PROVED, "all hold" if not bad else "fails: " + ", ".join(bad))
    if kind == "flat":
        # p = 3 > n = 2: the zero set {(1, 1, t)} meets the annulus; exhibit an exact witness
        theta0, R = ex[1], ex[2]
        for t in (Q(j, 8) for j in range(0, 8 * int(R) + 9)):
            z = (Q(1), Q(1), t)
            d2 = sum(((a - b) ** 2 for a, b in zip(z, theta0, strict=True)), Q(0))
            if (R - 1) ** 2 < d2 <= R * R and LS_FLAT.F(z) == 0:
                return Judgement(False, Verdict.PROVED, f"F({tuple(map(str, z))}) = 0 with |theta - theta0|^2 = {d2} in the annulus: no M0 > 0")
        return Judgement(None, Verdict.UNDECIDED, "no witness found")
    raise ValueError(kind)


def _sim_stay(rng: np.random.Generator, n: int) -> np.ndarray:
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), T31_STEPS, n, float(T31_R - 1), rng)
    return P.inside[-1]


_BETA = (1 + 1 / float(T31_RHO)) / 2  # in [1, 1/rho)
_T_MARKOV = 1e-8


def _sim_beta(rng: np.random.Generator, n: int) -> np.ndarray:
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), T31_STEPS, n, float(T31_R - 1), rng)
    return _BETA**T31_STEPS * P.F[-1] * P.inside[-1] >= _T_MARKOV


def _illustrate_convergence(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    rng = np.random.default_rng(settings.seed)
    runs = int(500 * settings.mc_scale)
    N = 3000
    P = run_sgd(LS2, [float(v) for v in T31_THETA0], float(T31_ETA), N, runs, float(T31_R - 1), rng)
    alive = P.inside[-1]
    ks = [0, 500, 1000, 2000, 3000]
    bF = [float(np.max(_BETA**k * P.F[k][alive])) for k in ks]
    err = float(np.max(np.linalg.norm(P.final[alive] - np.array([1.0, 1.0]), axis=1)))
    tail = float(np.max(P.step[N // 2 :, alive].sum(axis=0)))
    decreasing = all(b2 < b1 for b1, b2 in zip(bF, bF[1:], strict=False))
    ok = bool(alive.all()) and decreasing and bF[-1] < 1e-6 * bF[0] and err < 1e-8 and tail < 1e-6
    details = (
        f"{runs} runs, {int(alive.sum())} stay in B(theta0, R-1) for {N} steps; max over surviving runs of beta^k F(theta_k) "
        f"(beta = {_BETA:.6f}) at k = {ks}: {[f'{v:.3g}' for v in bF]}; max |theta_N - theta*| = {err:.3g}; "
        f"max length of the second half of the path = {tail:.3g}"
    )
    return ok, details, {"beta_F": bF, "max_error": err, "tail_length": tail}


def _step_k1_cases() -> list[dict[str, Any]]:
    return [{**c, "k": 1} for c in _enumerated()]


def _322_stated_margin(c: dict[str, Any], B: Backend) -> Number:
    """(3.22) as written with j = 1, k = 2, and E_infinity replaced by E_1 (the middle inequality of (3.22)):
    (sqrt(2C_L)+sqrt(sigma)) eta rho^{1/2} F(theta0) - E|theta_2 - theta_1| 1_{E_1}."""
    eta = B.num(c["eta"])
    return B.num(K_CONST) * eta * _sqrt_rho(B, eta) * B.num(c["F0"]) - _step_length(c, B)


_jj = sp.Symbol("j", integer=True, nonnegative=True)


@st.composite
def _annulus_cases(draw: st.DrawFn) -> Case:
    """Exact rational points of the annulus R-1 <= |theta - theta0| <= R (rational circle parametrisation)."""
    t = draw(values_in(Bound(Q(-4), Q(4), False, False)))
    rad = draw(values_in(Bound(T31_R - 1, T31_R, False, False)))
    c, s_ = (1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)
    sign = draw(st.sampled_from([1, -1]))
    pt = (T31_THETA0[0] + sign * rad * c, T31_THETA0[1] + rad * s_)
    return Case(points={"theta0": pt})

register(
    Entry(
        id="sgdloj.theorem-3-1",
        proof=[
            "sgdloj.one-step-expansion",
            "sgdloj.quadratic-nonnegative",
            "sgdloj.expected-contraction",
            "sgdloj.contraction-factor",
            "sgdloj.geometric-decay",
            "sgdloj.travel-distance",
            "sgdloj.escape-probability",
        ],
        title="Theorem 3.1: SGD stays in B(theta0, R-1) with probability >= 1 - delta and converges to a zero",
        where="Theorem 3.1 and its proof, (3.21)-(3.22)",
        statement=(
            r"We choose an initialization $\theta_0$ with a radius $R>1$ such that (2.2) holds. Let $F$ be a loss function such that its gradient is Lipschitz "
            r"continuous (2.3), and (2.5) holds for $B(\theta_0,R)$. Then for every $\delta>0$, there exists $\varepsilon>0$ such that if $F(\theta_0)\le\varepsilon$, "
            r"with probability at least $1-\delta$, we have $\theta_k\in B(\theta_0,R-1)$ for all $k\in\mathbb N$. Conditioned on the event that "
            r"$\theta_k\in B(\theta_0,R-1)$ for all $k$, we have $\lim_{k\to\infty}\beta^kF(\theta_k)=0$ (3.1) almost surely for every $\beta\in[1,\rho^{-1})$, "
            r"where $\rho=1-\eta\alpha+\frac{\eta^2}2C_L(2C_L+\sigma)\in(0,1)$ (3.2), if $0<\eta\le\min\{\frac1\alpha,\frac\alpha{4C_L(2C_L+\sigma)}\}$. "
            r"Moreover, conditioned on the same event, $\theta_k$ converges almost surely to a point $\theta^*$ where $F(\theta^*)=0$. "
            r"Proof, (3.22): $E[|\theta_k-\theta_j|1_{E_\infty(R-1)}]\le\sum_{i=j}^{k-1}E[|\theta_{i+1}-\theta_i|1_{E_i(R-1)}]\le\sum_{i=j}^{k-1}(\sqrt{2C_L}+\sqrt\sigma)\eta^*\rho^{i/2}F(\theta_0)"
            r"<(\sqrt{2C_L}+\sqrt\sigma)\eta^*F(\theta_0)\frac{\rho^{j/2}}{1-\sqrt\rho}$."
        ),
        hypotheses=[r"Assumptions 1--4 (2.2), (2.3), (2.5), (2.10)--(2.11)", r"$0<\eta\le\min\{\frac1\alpha,\frac\alpha{4C_L(2C_L+\sigma)}\}$"],
        checks=[
            Definition("the least-squares instances against the hypotheses of Theorem 3.1", _instance_predicate, [
                ("LS2 (n = p = 2), theta0 = theta* + (1/50, 0), R = 3, eta = 1/256", ("ls2", T31_THETA0, T31_R, T31_ETA), True),
                ("non-example: LS2 with eta = 1/128 (step too large)", ("ls2", T31_THETA0, T31_R, Q(1, 128)), False),
                ("non-example: LS2 with the zero on the annulus, theta0 = theta* + (5/2, 0), R = 3", ("ls2", (Q(7, 2), Q(1)), T31_R, T31_ETA), False),
                ("non-example: p = 3 > n = 2, theta0 = (51/50, 1, 0), R = 3 (Assumption 3 fails on the zero line)", ("flat", (Q(51, 50), Q(1), Q(0)), T31_R), False),
            ]),
            Claim(
                "Assumption 1 for LS2: |grad F|^2 >= alpha F with alpha = 4 (every theta)",
                cases=ls2_cases(spread=Q(3)),
                lhs=lambda c, B: B.norm2(B.scale(B.num(1), [B.dot([B.num(LS2.A[i][j]) for i in range(2)], _res(B, c.x(B, "theta0"))) for j in range(2)])),
                rel=">=", rhs=lambda c, B: B.num(ALPHA) * _F(B, c.x(B, "theta0")),
                proof=Proof(ls2_assumption1, at=lambda c, B: dict(zip(_th_ls2, c.x(B, "theta0"), strict=True))),
                statement=r"|\nabla F(\theta)|^2\ge\alpha F(\theta),\ \alpha=\tfrac4n\lambda_{\min}(AA^\top)=4",
                note=r"$\nabla F=\frac2nA^\top r=A^\top r$ for $n=2$. Equality on $\theta^*+t(0,1)$ (residual $(t,-t)$, the eigenvector of $AA^\top$ for 2), so $\alpha(\theta_0,r)=4$ exactly on every ball containing $\theta^*$.",
            ),
            Claim(
                "Assumption 3 for LS2: F >= M0 = (R-1-d)^2 on the annulus",
                cases=_annulus_cases(),
                where=lambda c: (T31_R - 1) ** 2 <= sum(((a - b) ** 2 for a, b in zip(c.points["theta0"], T31_THETA0, strict=True)), Q(0)) <= T31_R**2,
                lhs=lambda c, B: _F(B, c.x(B, "theta0")), rel=">=", rhs=lambda c, B: B.num(T31_M0),
                statement=r"F(\theta)\ge M_0=(R-1-|\theta_0-\theta^*|)^2\ \text{for } R-1\le|\theta-\theta_0|\le R",
                note=r"The point (named theta0 in the case) ranges over the annulus around the instance's $\theta_0=\theta^*+(1/50,0)$, $R=3$; proof: $F\ge\frac{\lambda_{\min}(A^\top A)}n|\theta-\theta^*|^2=|\theta-\theta^*|^2$.",
            ),
            MonteCarlo("P(theta_k in B(theta0, R-1), k <= 2000) >= 1 - delta, delta from the corrected (3.19)", _sim_stay, rel=">=", bound=1 - _delta_corrected(float(T31_F0)), samples=2000, delta=1e-3,
                       statement=r"P(E_{2000}(R-1))\ge1-\delta,\ \delta=\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta\sqrt{F(\theta_0)}}{1-\sqrt\rho}+\frac{\rho F(\theta_0)}{M_0(1-\rho)}\approx0.212",
                       note=r"LS2, $F(\theta_0)=1/625\le\varepsilon(\delta)$; a finite horizon checks a consequence ($P(E_N)\ge P(E_\infty)$)."),
            Implication(
                "(3.21): 1 <= beta < 1/rho with 0 < rho < 1 gives 0 < beta rho < 1",
                hypotheses=[_rho321 > 0, _rho321 < 1, _beta321 >= 1, _beta321 < 1 / _rho321],
                conclusion=sp.And(_beta321 * _rho321 > 0, _beta321 * _rho321 < 1),
                statement=r"\beta\in[1,\rho^{-1}),\ 0<\rho<1\implies0<\beta\rho<1",
            ),
            Identity(
                "(3.21): sum_k beta^k E[F(theta_k) 1_{E_k}] <= sum_k (beta rho)^k F(theta0) = F(theta0)/(1 - beta rho)",
                _geom(_q321**_i * _F0s, 0),
                _F0s / (1 - _q321),
                statement=(
                    r"\sum_{k\ge0}\beta^kE[F(\theta_k)1_{E_k}]\le\sum_{k\ge0}(\beta\rho)^kF(\theta_0)=\frac{F(\theta_0)}{1-\beta\rho}<\infty"
                ),
                note=(
                    r"With $q=\beta\rho<1$ (above) and (3.9). By monotone convergence $E\sum_k\beta^kF(\theta_k)1_{E_k}<\infty$, so "
                    r"$\sum_k\beta^kF(\theta_k)1_{E_\infty}<\infty$ and $\beta^kF(\theta_k)\to0$ almost surely on $E_\infty(R-1)\subset E_k$."
                ),
            ),
            MonteCarlo("P(beta^N F(theta_N) 1_{E_N} >= t) <= (beta rho)^N F(theta0)/t (Markov and (3.9))", _sim_beta, rel="<=",
                       bound=(_BETA * float(T31_RHO)) ** T31_STEPS * float(T31_F0) / _T_MARKOV, samples=2000, delta=1e-3,
                       statement=r"P(\beta^NF(\theta_N)1_{E_N(R-1)}\ge t)\le(\beta\rho)^NF(\theta_0)/t,\ \beta=\tfrac12(1+\rho^{-1}),\ N=2000,\ t=10^{-8}",
                       note="The quantitative form behind (3.21): summable tails give $\\beta^kF(\\theta_k)\\to0$ a.s. on $E_\\infty$ (Borel--Cantelli)."),
            Illustration("beta^k F(theta_k) -> 0 and theta_k -> theta* along surviving runs", _illustrate_convergence,
                         shows="In the LS2 instance every simulated run stays in B(theta0, R-1), beta^k F(theta_k) decreases to ~0 for beta = (1+1/rho)/2, the iterates reach the zero theta* = (1,1) and the remaining path length is negligible (Cauchy).",
                         does_not_show="Almost sure convergence (a limit over infinitely many steps) or any instance other than LS2; the limit point is the unique zero here, so this does not exercise the case of a non-isolated zero set."),
            ExactCases("(3.22) as written: E|theta_2 - theta_1| 1_{E_1} <= (sqrt(2C_L)+sqrt(sigma)) eta rho^{1/2} F(theta0)", _step_k1_cases, _322_stated_margin,
                       expect=Expect.REFUTED,
                       statement=r"E[|\theta_{2}-\theta_1|1_{E_1(R-1)}]\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{1/2}F(\theta_0)",
                       note="The second inequality of (3.22) at $i=j=1$, exactly over the 4 sampling paths; fails for small $F(\\theta_0)$ (the same slip as (3.10))."),
        ],
        corrected=[
            ExactCases("(3.22) corrected at i = 1: E|theta_2 - theta_1| 1_{E_1} <= (sqrt(2C_L)+sqrt(sigma)) eta rho^{1/2} sqrt(F(theta0))", _step_k1_cases, _corrected_step_margin,
                       statement=r"E[|\theta_{2}-\theta_1|1_{E_1(R-1)}]\le(\sqrt{2C_L}+\sqrt\sigma)\eta\rho^{1/2}\sqrt{F(\theta_0)}"),
            Identity("(3.22) corrected: sum_{i>=j} rho^{i/2} = rho^{j/2}/(1 - sqrt(rho))", sp.simplify(_s**_jj * _geom(_s**_i, 0)), _s**_jj / (1 - _s),
                     statement=r"\sum_{i\ge j}\rho^{i/2}=\frac{\rho^{j/2}}{1-\sqrt\rho}\ \Rightarrow\ E[|\theta_k-\theta_j|1_{E_\infty(R-1)}]\le\frac{(\sqrt{2C_L}+\sqrt\sigma)\eta^*\sqrt{F(\theta_0)}\rho^{j/2}}{1-\sqrt\rho}\to0"),
        ],
        status=Status.ERRATUM,
        reading=(
            r"The theorem itself is checked (Monte Carlo at 99.9\% confidence, illustration) on least squares with $n=p=2$ (LS2): for $p>n$ the zero set is an affine subspace that "
            r"meets the annulus, so Assumption 3 fails (exact witness); SGD for $p>n$ stays in $\theta_0+\mathrm{row}(A)$, where it is the $p=n$ problem. "
            r"The erratum is in the proof: (3.22) carries $F(\theta_0)$ instead of $\sqrt{F(\theta_0)}$ (as (3.10)); the conclusion survives. "
            r"'With probability at least $1-\delta$' is read through the corrected (3.19)--(3.20). $\alpha=\alpha(\theta_0,R)$ (the ball of (2.2)); $\eta=\eta^*$."
        ),
    )
)
