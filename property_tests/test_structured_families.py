"""Structured families (symbolic.structured): evaluation from arrays agrees with the sympy path,
exact derivatives, rigorous box bounds, and claims at d = 50 (polynomials) / d = 100 (quadratics)."""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from flint import arb, fmpq, fmpq_mat
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic import ArbBackend, FloatBackend, MPBackend, arb_precision, convex_families, families
from symbolic.objectives import Objective
from symbolic.structured import (
    PolynomialStructure,
    block_enclosure,
    cayley_orthogonal,
    hessian_row_sum_bound,
)
from symbolic.verdicts import Verdict
from theorems.userclaims.claimfile import parse_claim

STRUCTURED = {
    "quadratics": families.quadratics(),
    "ridge_sums": families.ridge_sums(),
    "least_squares": families.least_squares(),
    "polynomials": families.polynomials(),
    "nonlinear_least_squares": families.nonlinear_least_squares(),
    "nonnegative_smooth": families.nonnegative_smooth(),
    "softplus_sums": convex_families.softplus_sums(),
    "logistic_regressions": convex_families.logistic_regressions(),
    "log_sum_exps": convex_families.log_sum_exps(),
}
MP = MPBackend(50)
ARB = ArbBackend(256)
FLOAT = FloatBackend()


def _flat(v: object) -> list:
    return [u for row in v for u in row] if isinstance(v, list) and v and isinstance(v[0], list) else (v if isinstance(v, list) else [v])


@pytest.mark.parametrize("name", list(STRUCTURED))
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_arrays_agree_with_the_sympy_expression(name: str, data: st.DataObject) -> None:
    """value, grad, hess from the structure = the compiled sympy expression (mpmath 50 digits:
    relative 1e-40; Arb balls overlap; float64: relative 1e-9). A wrong sign or a dropped term in
    either path is detected: a relative error of 1e-40 is the smallest this test sees."""
    f: Objective = data.draw(STRUCTURED[name])
    assert f.structure is not None
    plain = Objective("sympy", f.variables, f.expr)
    x = [Fraction(k, 7) * (-1) ** i for i, k in enumerate(data.draw(st.lists(st.integers(-9, 9), min_size=f.dim, max_size=f.dim)))]
    for method in ("value", "grad", "hess"):
        a = _flat(getattr(f, method)(MP, [MP.num(v) for v in x]))
        b = _flat(getattr(plain, method)(MP, [MP.num(v) for v in x]))
        for u, v in zip(a, b, strict=True):
            assert abs(u - v) <= MP.num(Fraction(1, 10**40)) * (1 + abs(v)), (method, u, v)
        c = _flat(getattr(f, method)(FLOAT, [float(v) for v in x]))
        for u, v in zip(c, b, strict=True):
            assert abs(float(u) - float(v)) <= 1e-9 * (1 + abs(float(v))), (method, u, v)
        with arb_precision(256):
            za = _flat(getattr(f, method)(ARB, [ARB.num(v) for v in x]))
            zb = _flat(getattr(plain, method)(ARB, [ARB.num(v) for v in x]))
            for u, v in zip(za, zb, strict=True):
                assert u.overlaps(v), (method, u, v)


@settings(max_examples=10, deadline=None)
@given(families.polynomials(dim=(1, 3)))
def test_flint_derivatives_are_the_exact_sympy_derivatives(f: Objective) -> None:
    assert isinstance(f.structure, PolynomialStructure)
    for g, v in zip(f.gradient, f.variables, strict=True):
        assert sp.expand(g - sp.diff(f.expr, v)) == 0
    for i, row in enumerate(f.hessian):
        for j, h in enumerate(row):
            assert sp.expand(h - sp.diff(f.expr, f.variables[i], f.variables[j])) == 0


def _random_poly(d: int, terms: int, seed: int, degree: int = 4) -> PolynomialStructure:
    rng = np.random.default_rng(seed)
    coefs: dict[tuple[int, ...], Fraction] = {}
    for _ in range(terms):
        e = [0] * d
        for _ in range(int(rng.integers(0, degree + 1))):
            e[int(rng.integers(0, d))] += 1
        coefs[tuple(e)] = coefs.get(tuple(e), Fraction(0)) + Fraction(int(rng.integers(-8, 9)), 4)
    return PolynomialStructure.from_terms(coefs, d)


@pytest.mark.parametrize("d", [2, 10, 50])
def test_arb_balls_enclose_the_exact_rational_value(d: int) -> None:
    """Term-by-term Arb evaluation encloses the exact value (python-flint's exact fmpq evaluation)."""
    p = _random_poly(d, 4 * d, seed=d)
    x = [Fraction((-1) ** i * (i + 1), 3 * d) for i in range(d)]
    exact = p.poly(*[fmpq(v.numerator, v.denominator) for v in x])
    grads = [g(*[fmpq(v.numerator, v.denominator) for v in x]) for g in p.derivatives()[0]]
    with arb_precision(128):
        B = ArbBackend(128)
        xb = [B.num(v) for v in x]
        assert p.value(B, xb).overlaps(arb(exact))
        assert all(u.overlaps(arb(g)) for u, g in zip(p.grad(B, xb), grads, strict=True))
        # a mutant (one coefficient's sign flipped) is excluded by the same test
        assert not p.value(B, xb).overlaps(arb(exact + 1))


def test_float64_is_vectorised_over_points() -> None:
    p = _random_poly(5, 20, seed=3)
    pts = np.random.default_rng(0).uniform(-1, 1, size=(5, 7))
    batch = p.grad(FLOAT, list(pts))
    for k in range(7):
        one = p.grad(FLOAT, [float(v) for v in pts[:, k]])
        assert np.allclose([g[k] for g in batch], one, rtol=1e-13, atol=1e-13)


def _spectral(H: list[list[float]]) -> float:
    return float(np.abs(np.linalg.eigvalsh(np.array(H, dtype=float))).max())


@pytest.mark.parametrize("d", [3, 10, 50])
def test_hessian_bound_is_an_upper_bound_on_the_box(d: int) -> None:
    """L (Gershgorin over interval enclosures, O(terms d^2)) >= ||Hess F(x)||_2 at sampled points of
    the box, corners included; the same sampling catches a bound that is half too small."""
    p = _random_poly(d, 3 * d, seed=100 + d)
    lo, hi = [Fraction(-1)] * d, [Fraction(1)] * d
    L = hessian_row_sum_bound(p, lo, hi)
    rng = np.random.default_rng(d)
    pts = [rng.uniform(-1, 1, d) for _ in range(30)] + [np.sign(rng.uniform(-1, 1, d)) for _ in range(30)]
    worst = max(_spectral(p.hess(FLOAT, list(x))) for x in pts)
    assert worst <= float(L) * (1 + 1e-12)
    # mutant check: a bound a quarter of L is beaten at some sampled point for F = x_1^2 + x_1^4
    q = PolynomialStructure.from_terms({(2,) + (0,) * (d - 1): Fraction(1), (4,) + (0,) * (d - 1): Fraction(1)}, d)
    Lq = hessian_row_sum_bound(q, lo, hi)
    assert Lq >= 14  # sup |2 + 12 x^2| = 14 at the corner; the bound is never below it
    assert max(_spectral(q.hess(FLOAT, list(x))) for x in pts) > float(Lq) / 4


def test_lower_bound_encloses_the_minimum_on_the_box() -> None:
    p = _random_poly(8, 24, seed=7)
    (enc,) = block_enclosure(p.value_block, [Fraction(-1)] * 8, [Fraction(1)] * 8)
    rng = np.random.default_rng(1)
    samples = [p.value(FLOAT, list(rng.uniform(-1, 1, 8))) for _ in range(200)]
    assert float(enc.lower()) <= min(samples)


def test_cayley_transform_is_exactly_orthogonal_at_d_50() -> None:
    d = 50
    band = families._skew_band(d)
    assert band < d - 1  # d = 50 draws a band, O(d) entries
    skew = {(i, j): Fraction((i * 7 + j * 3) % 9 - 4, 4) for i in range(d) for j in range(i + 1, min(d, i + band + 1))}
    Q = cayley_orthogonal(skew, d)
    eye = fmpq_mat(d, d, [fmpq(int(i == j)) for i in range(d) for j in range(d)])
    assert Q.transpose() * Q == eye
    assert Q[0, 1] != 0


@settings(max_examples=2, deadline=None)
@given(families.quadratics(dim=100, spectrum="any"))
def test_quadratic_d100_evaluates_exactly(f: Objective) -> None:
    """At d = 100 the gradient A (x - b) in Arb encloses the exact rational value; eigenpairs are exact."""
    assert f.structure is not None
    d = 100
    x = [Fraction(i % 7 - 3, 5) for i in range(d)]
    A = f.structure.A.rows  # type: ignore[attr-defined]
    b = f.structure.b.fractions()  # type: ignore[attr-defined]
    r = [xi - bi for xi, bi in zip(x, b, strict=True)]
    g0 = sum((A[0][j] * r[j] for j in range(d)), Fraction(0))
    with arb_precision(256):
        g = f.grad(ARB, [ARB.num(v) for v in x])
        assert g[0].overlaps(arb(fmpq(g0.numerator, g0.denominator)))
    assert f.constants.L == max(abs(v) for v in f.structure.eigenvalues)  # type: ignore[attr-defined]


def _claim(family: str, options: dict, conclusion: str, expect: str) -> object:
    return parse_claim({"name": "n", "family": family, "family_options": options, "points": ["x", "y"], "expect": expect, "conclusion": conclusion})


def test_a_claim_over_polynomials_at_d_50_completes() -> None:
    """The descent lemma holds on quartics in 50 variables (L certified on [-1, 1]^50): a few seconds of CPU."""
    from symbolic.settings import profile

    t0 = time.process_time()
    holds = _claim("polynomials", {"dim": 50}, "F(y) <= F(x) + inner(x, y) + L/2*dist(x, y)^2", "holds")
    out = holds.claim.run(profile("fast").with_(examples=6))  # type: ignore[attr-defined]
    assert out.verdict is Verdict.CHECKED, out
    assert time.process_time() - t0 < 60


@pytest.mark.slow
def test_a_false_claim_over_polynomials_at_d_50_is_refuted() -> None:
    """Dropping the descent lemma's quadratic term is refuted at d = 50, the counterexample confirmed
    in Arb (slow: about 30 s of CPU, mostly hypothesis shrinking the 50-dimensional case)."""
    from symbolic.settings import profile

    wrong = _claim("polynomials", {"dim": 50}, "F(y) <= F(x) + inner(x, y)", "refuted")
    out = wrong.claim.run(profile("fast").with_(examples=6))  # type: ignore[attr-defined]
    assert out.verdict is Verdict.REFUTED, out


@pytest.mark.slow
def test_a_claim_over_quadratics_at_d_100_completes() -> None:
    from symbolic.settings import profile

    holds = _claim("quadratics", {"dim": 100}, "F(y) <= F(x) + inner(x, y) + L/2*dist(x, y)^2", "holds")
    out = holds.claim.run(profile("fast").with_(examples=4))  # type: ignore[attr-defined]
    assert out.verdict is Verdict.CHECKED, out


@pytest.mark.parametrize("name", list(STRUCTURED))
def test_structured_objectives_pickle_after_evaluation(name: str) -> None:
    """Worker processes receive objectives by pickle: python-flint objects and Arb caches are rebuilt."""
    import pickle

    @settings(max_examples=3, deadline=None)
    @given(STRUCTURED[name])
    def run(f: Objective) -> None:
        x = [Fraction(1, 3)] * f.dim
        with arb_precision(128):
            f.hess(ArbBackend(128), [ArbBackend(128).num(v) for v in x])
        before = f.grad(MP, [MP.num(v) for v in x])
        g = pickle.loads(pickle.dumps(f))
        assert g.grad(MP, [MP.num(v) for v in x]) == before
        assert g.constants == f.constants

    run()


#: families that evaluated through sympy (claim files capped their dim at 4) and now evaluate from structures
CONVEX_AT_20 = ["softplus_sums", "logistic_regressions", "log_sum_exps", "nonnegative_smooth"]


@pytest.mark.parametrize("family", [*CONVEX_AT_20, "huber_functions"])
def test_claims_over_the_convex_families_at_dim_20_complete(family: str) -> None:
    """The descent lemma holds at d = 20 (checked on every sample, a second or so of CPU); dropping its quadratic
    term is refuted with an Arb-confirmed counterexample; dim 21 is refused with a one-line error."""
    from symbolic.settings import profile
    from theorems.userclaims.claimfile import ClaimFileError

    holds = _claim(family, {"dim": 20}, "F(y) <= F(x) + inner(x, y) + L/2*dist(x, y)^2", "holds")
    out = holds.claim.run(profile("fast").with_(examples=4))  # type: ignore[attr-defined]
    assert out.verdict is Verdict.CHECKED, out
    wrong = _claim(family, {"dim": 20}, "F(y) <= F(x) + inner(x, y)", "refuted")
    out = wrong.claim.run(profile("fast").with_(examples=4))  # type: ignore[attr-defined]
    assert out.verdict is Verdict.REFUTED, out
    with pytest.raises(ClaimFileError, match="dim"):
        _claim(family, {"dim": 21}, "F(y) <= F(x) + inner(x, y)", "refuted")


@settings(max_examples=3, deadline=None)
@given(convex_families.log_sum_exps(dim=20, terms=4))
def test_log_sum_exp_float64_does_not_overflow_where_f_is_moderate(f: Objective) -> None:
    """At a point where every ⟨a_i, x⟩ is near 800 (exp overflows float64), F's float64 value agrees with mpmath's."""
    assert f.structure is not None
    x = [Fraction(100)] * 20
    exact = f.value(MP, [MP.num(v) for v in x])
    got = f.value(FLOAT, [float(v) for v in x])
    assert abs(got - float(exact)) <= 1e-9 * (1 + abs(float(exact)))


@pytest.mark.parametrize("family", CONVEX_AT_20)
def test_convex_structures_screen_in_float64_intervals(family: str) -> None:
    """The float64-interval screening backend evaluates the new structures over a batch of points (no
    NotScreenable), and each interval encloses the 50-digit value of the sympy expression."""
    from symbolic.float_intervals import IntervalFloatBackend

    IB = IntervalFloatBackend()

    @settings(max_examples=4, deadline=None)
    @given(STRUCTURED[family], st.lists(st.integers(-40, 40), min_size=12, max_size=12))
    def run(f: Objective, ks: list[int]) -> None:
        pts = [[Fraction(ks[(i + 3 * j) % 12], 4) for i in range(f.dim)] for j in range(3)]
        X = [IB.point(np.array([float(p[i]) for p in pts])) for i in range(f.dim)]
        plain = Objective("sympy", f.variables, f.expr)
        for method in ("value", "grad"):
            got = _flat(getattr(f, method)(IB, X))
            for j, p in enumerate(pts):
                ref = _flat(getattr(plain, method)(MP, [MP.num(v) for v in p]))
                for iv, r in zip(got, ref, strict=True):
                    assert iv.lo[j] <= r <= iv.hi[j], (method, j, iv, r)

    run()
