"""Property tests of theorems/sgd_models.py: exact constants of the least-squares SGD models,
noise moments, and the simulators against exact enumerations."""

from __future__ import annotations

from fractions import Fraction as Q

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from theorems.sgd_models import (
    LS2,
    LS_FLAT,
    THETA_STAR,
    LeastSquares,
    exact_paths,
    in_ball,
    robbins_monro,
    rotated_noise_run,
    run_sgd,
)

fractions = st.integers(-40, 40).map(lambda k: Q(k, 8))


def test_ls2_constants_exact() -> None:
    assert LS2.alpha == 4 and LS2.C_L == 8 and LS2.sigma(1) == 16 and LS2.sigma(2) == 0
    assert LS2.strong_convexity_of_F == 1
    assert LS_FLAT.alpha == 4 and LS_FLAT.C_L == 8 and LS_FLAT.sigma(1) == 16 and LS_FLAT.strong_convexity_of_F == 0
    assert LS2.F(THETA_STAR) == 0 and LS_FLAT.F((Q(1), Q(1), Q(123, 7))) == 0


@given(st.tuples(fractions, fractions))
def test_ls2_noise_is_unbiased_and_bounded_by_sigma_F(th: tuple[Q, Q]) -> None:
    mean, second = LS2.noise_moments(th, 1)
    assert mean == (0, 0)
    assert second <= 16 * LS2.F(th)


def test_sigma_is_attained() -> None:
    """sigma is a supremum: at a residual along the top eigenvector (1, -1) of 4D - (4/n)G, equality."""
    A = sp.Matrix([[2, 1], [2, -1]])
    theta = A.solve(sp.Matrix([1, -1]) + sp.Matrix([3, 1]))
    th = tuple(Q(int(v.p), int(v.q)) for v in theta)
    assert LS2.residual(th) == (1, -1)
    _, second = LS2.noise_moments(th, 1)
    assert second == 16 * LS2.F(th)


@given(st.tuples(fractions, fractions))
def test_alpha_is_a_lower_bound_and_attained(th: tuple[Q, Q]) -> None:
    g = LS2.grad(th)
    assert sum(v * v for v in g) >= 4 * LS2.F(th)
    t = th[1] - 1 or Q(1)
    pt = (Q(1), Q(1) + t)  # theta* + t (0, 1): residual (t, -t), eigenvector of AA^T for 2
    g = LS2.grad(pt)
    assert sum(v * v for v in g) == 4 * LS2.F(pt)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_minibatch_variance_factor(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 4))
    p = data.draw(st.integers(n, 4))
    A = [[Q(data.draw(st.integers(-3, 3))) for _ in range(p)] for _ in range(n)]
    y = [Q(data.draw(st.integers(-3, 3))) for _ in range(n)]
    ls = LeastSquares.of(A, y)
    th = tuple(data.draw(fractions) for _ in range(p))
    _, v1 = ls.noise_moments(th, 1)
    for b in range(1, n + 1):
        mean, vb = ls.noise_moments(th, b)
        assert all(m == 0 for m in mean)
        assert vb == v1 * Q(n - b, b * (n - 1))


def test_simulator_matches_exact_expectation() -> None:
    th0 = (Q(11, 10), Q(1))
    eta = Q(1, 64)
    k = 4
    exact = sum(LS2.F(p[k]) for p in exact_paths(LS2, th0, eta, k)) / 2**k
    rng = np.random.default_rng(7)
    P = run_sgd(LS2, [1.1, 1.0], float(eta), k, 200000, 10.0, rng)
    est = P.F[k].mean()
    se = P.F[k].std() / np.sqrt(P.F[k].size)
    assert abs(est - float(exact)) < 6 * se + 1e-12


def test_simulator_events_are_cumulative() -> None:
    rng = np.random.default_rng(3)
    P = run_sgd(LS2, [1.5, 1.0], 1 / 256, 50, 100, 0.49, rng)
    assert (P.inside[1:] <= P.inside[:-1]).all()
    assert ((P.dist <= 0.49) >= P.inside).all()


def test_in_ball_exact() -> None:
    assert in_ball((Q(3), Q(4)), (Q(0), Q(0)), Q(5))
    assert not in_ball((Q(3), Q(4)), (Q(0), Q(0)), Q(4999, 1000))


def test_rotated_noise_in_one_dimension_matches_closed_form() -> None:
    """F = theta^2, gamma = 1, n0 = 2, q = 1: theta_k = -m s/2 + m (s - s0)/(k(k+1)) for k >= 1."""
    m, th0 = 0.1, 0.1
    Z = np.array([[[m], [-m], [m], [-m]], [[m], [m], [-m], [-m]]])  # Z_0 and Z_1 for four runs
    Z = np.concatenate([Z, m * np.ones((48, 4, 1))], axis=0)
    dist = rotated_noise_run(lambda th: 2 * th, np.array([th0]), Z, 1.0, 2.0, 1.0)
    s0 = np.sign(Z[0, :, 0])
    s = np.sign(Z[1, :, 0])
    for k in range(1, 51):
        closed = -m * s / 2 + m * (s - s0) / (k * (k + 1))
        assert np.allclose(dist[k], np.abs(closed - th0))


def test_robbins_monro_predicate() -> None:
    assert robbins_monro(Q(1), Q(2))[0]
    assert robbins_monro(Q(3, 5), Q(2))[0]
    assert not robbins_monro(Q(1, 2), Q(2))[0]
    assert not robbins_monro(Q(6, 5), Q(2))[0]
    assert not robbins_monro(Q(1), Q(1))[0]


def test_exit_margin_matches_brute_force() -> None:
    from theorems.catalogue.sgdloj._rotated_noise import sup_distance

    for m, t0 in [(Q(1, 10), Q(1, 10)), (Q(1, 3), Q(-1, 2)), (Q(1), Q(0))]:
        for s0 in (1, -1):
            for s in (1, -1):
                th, best = t0, Q(0)
                for k in range(300):
                    th = th - Q(1, k + 2) * (2 * th + (m * s0 if k == 0 else m * s))
                    best = max(best, abs(th - t0))
                sup = sup_distance(t0, m, s0, s)
                assert best <= sup and sup - best < Q(1, 10**3) * m

