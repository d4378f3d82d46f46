"""The engine's first-order algorithms (symbolic.algorithms) and quality tests of the golikov checks built on them."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from symbolic import CheckSettings, Definition, Verdict
from symbolic.algorithms import (
    PGDParameters,
    gelfand_mitter,
    generator,
    gradient_descent,
    noisy_gd,
    perturbed_gd,
    sgd,
    sgld,
    streams,
    uniform_ball,
    unit_sphere,
)

FAST = CheckSettings(examples=30, local_search=1)

# ------------------------------------------------------------------ seeding


def test_seeded_generators_reproduce_and_spawn_independent_streams() -> None:
    assert np.array_equal(generator(7).random(5), generator(7).random(5))
    a, b = streams(7, 2)
    assert not np.array_equal(a.random(5), b.random(5))
    assert np.array_equal(streams(7, 2)[1].random(5), streams(7, 2)[1].random(5))


# ------------------------------------------------------------------ noise laws


@pytest.mark.parametrize("d", [1, 2, 7])
def test_unit_sphere_law(d: int) -> None:
    xi = unit_sphere(generator(1), 40000, d, radius=3.0)
    assert np.allclose(np.linalg.norm(xi, axis=1), 3.0, rtol=0, atol=1e-12)
    # mean 0 and covariance r^2 I / d (up to Monte Carlo error, ~5 standard errors)
    assert np.abs(xi.mean(axis=0)).max() < 5 * 3.0 / math.sqrt(40000)
    cov = xi.T @ xi / len(xi)
    assert np.abs(cov - 9.0 * np.eye(d) / d).max() < 0.15


def test_uniform_ball_fills_the_ball() -> None:
    p = uniform_ball(generator(2), 40000, 3, radius=2.0)
    r = np.linalg.norm(p, axis=1)
    assert r.max() <= 2.0
    assert abs((r <= 1.0).mean() - 1 / 8) < 0.01  # volume fraction (1/2)^3


# ------------------------------------------------------------------ GD and NoisyGD


def test_gradient_descent_matches_the_closed_form_on_a_quadratic() -> None:
    lam = np.array([2.0, -0.5, 1.0])
    x0 = np.array([[1.0, 1e-3, -2.0], [0.5, 0.0, 1.0]])
    run = gradient_descent(lambda X: X * lam, x0, 0.25, 17, record=True)
    assert run.path is not None and run.path.shape == (18, 2, 3)
    assert np.allclose(run.x, x0 * (1 - 0.25 * lam) ** 17)


def test_gradient_descent_records_first_hits_and_stops_early() -> None:
    run = gradient_descent(lambda X: X, np.array([[1.0], [4.0]]), 0.5, 100, stop=lambda X: np.abs(X[:, 0]) <= 0.25, until_all=True)
    assert run.hit.tolist() == [2, 4]
    assert run.steps == 4


def test_noisy_gd_steps_have_length_alpha_radius_and_are_reproducible() -> None:
    zero = lambda X: np.zeros_like(X)  # noqa: E731
    x0 = np.zeros((5, 4))
    r1 = noisy_gd(zero, x0, 0.1, 1, seed=3, radius=2.0)
    assert np.allclose(np.linalg.norm(r1.x, axis=1), 0.2)
    assert np.array_equal(noisy_gd(zero, x0, 0.1, 9, seed=3).x, noisy_gd(zero, x0, 0.1, 9, seed=3).x)


def test_bad_step_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="step size"):
        gradient_descent(lambda X: X, np.zeros(2), -1.0, 3)
    with pytest.raises(ValueError, match="shape"):
        gradient_descent(lambda X: X, np.zeros((1, 1, 1)), 0.1, 3)


# ------------------------------------------------------------------ PGD


def test_pgd_hyperparameters_are_the_papers() -> None:
    d, ell, rho, eps, c, delta, df = 100, 2.0, 3.0, 0.01, 0.5, 0.1, 5.0
    P = PGDParameters.from_paper(d=d, ell=ell, rho=rho, eps=eps, c=c, delta=delta, delta_f=df)
    chi = 3 * max(math.log(d * ell * df / (c * eps**2 * delta)), 4)
    assert P.chi == pytest.approx(chi)
    assert P.eta == pytest.approx(c / ell)
    assert P.r == pytest.approx(math.sqrt(c) / chi**2 * eps / ell)
    assert P.g_thres == pytest.approx(math.sqrt(c) / chi**2 * eps)
    assert P.f_thres == pytest.approx(c / chi**3 * math.sqrt(eps**3 / rho))
    assert P.t_thres == math.ceil(chi / c**2 * ell / math.sqrt(rho * eps))
    # the max{., 4}: a tiny problem uses chi = 12
    assert PGDParameters.from_paper(d=1, ell=1, rho=1, eps=1, c=1, delta=1, delta_f=1e-9).chi == 12
    with pytest.raises(ValueError, match="eps"):
        PGDParameters.from_paper(d=1, ell=1, rho=1, eps=0, c=1, delta=1, delta_f=1)


def _cos_saddle(X: np.ndarray) -> np.ndarray:
    G = X.copy()
    G[:, 0] = -np.sin(X[:, 0])
    return G


def _cos_value(X: np.ndarray) -> np.ndarray:
    return 1 + np.cos(X[:, 0]) + 0.5 * (X[:, 1:] ** 2).sum(axis=1)


def test_pgd_escapes_a_strict_saddle_and_returns_near_a_minimum() -> None:
    P = PGDParameters.from_paper(d=3, ell=1, rho=1, eps=0.1, c=0.5, delta=0.1, delta_f=2)
    run = perturbed_gd(_cos_value, _cos_saddle, np.zeros((20, 3)), P, 50 * P.t_thres, seed=5)
    assert run.returned is not None and run.returned.all()
    assert np.allclose(np.abs(run.x[:, 0]), np.pi, atol=1e-3)
    assert run.perturbations is not None and (run.perturbations == 2).all()  # once at the saddle, once at the minimum
    # plain GD from the saddle never moves
    assert np.array_equal(gradient_descent(_cos_saddle, np.zeros((1, 3)), P.eta, 500).x, np.zeros((1, 3)))


def test_pgd_at_a_minimum_returns_its_starting_point_after_t_thres_steps() -> None:
    P = PGDParameters.from_paper(d=2, ell=1, rho=1, eps=0.1, c=0.5, delta=0.1, delta_f=2)
    x0 = np.array([[np.pi, 0.0]])
    run = perturbed_gd(_cos_value, _cos_saddle, x0, P, 10 * P.t_thres, seed=1)
    assert run.returned is not None and run.returned.all()
    assert run.steps == P.t_thres + 1
    assert np.array_equal(run.x, x0)


def test_pgd_does_not_perturb_while_the_gradient_is_large() -> None:
    P = PGDParameters.from_paper(d=2, ell=1, rho=1, eps=0.1, c=0.5, delta=0.1, delta_f=2)
    slope = lambda X: np.ones_like(X)  # noqa: E731
    run = perturbed_gd(lambda X: X.sum(axis=1), slope, np.zeros((3, 2)), P, 50, seed=1)
    assert run.perturbations is not None and (run.perturbations == 0).all()
    assert np.allclose(run.x, -50 * P.eta)


# ------------------------------------------------------------------ SGD and SGLD


def test_sgd_is_unbiased_one_step() -> None:
    a = np.array([[1.0, 0.0], [0.0, 2.0]])

    def sample_grad(X: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return a[idx] * ((a[idx] * X).sum(axis=1) - 1.0)[:, None]

    x0 = np.tile([0.5, -1.0], (200000, 1))
    run = sgd(sample_grad, 2, x0, 0.1, 1, seed=4)
    full = np.mean([sample_grad(x0[:1], np.array([i])) for i in range(2)], axis=0)
    assert np.allclose(run.x.mean(axis=0), x0[0] - 0.1 * full[0], atol=3e-3)


def test_gelfand_mitter_schedule() -> None:
    a, b = gelfand_mitter(2.0, 3.0, np.array([3.0, 100.0, 10**6]))
    assert np.allclose(a, [2 / 3, 0.02, 2e-6])
    t = np.array([3.0, 100.0, 10**6])
    assert np.allclose(b, np.sqrt(3.0 / (t * np.log(np.log(t)))))
    temp = b**2 / a
    assert (np.diff(temp) < 0).all()  # the temperature decreases
    with pytest.raises(ValueError, match="t > e"):
        gelfand_mitter(1.0, 1.0, 2.0)


def test_sgld_with_negligible_noise_is_gradient_descent_with_decreasing_steps() -> None:
    run = sgld(lambda X: X, np.array([[1.0]]), 1.0, 1e-30, 5, seed=0, t0=3)
    expected = np.prod([1 - 1 / t for t in range(3, 8)])
    assert run.x[0, 0] == pytest.approx(expected, rel=1e-9)


# ------------------------------------------------------------------ quality tests: the golikov checks catch wrong variants


def test_a_wrong_omega_is_refuted() -> None:
    from theorems.catalogue.golikov import gd_stationarity_rate as g

    # omega(alpha) = alpha L (dropping the factor 1 - alpha L / 2 of the descent lemma)
    out = g.count_claim(lambda a, L, B: a * L, name="wrong omega").run(FAST)
    assert out.verdict is Verdict.REFUTED, out.evidence.summary()
    assert g.count_bound(g.alpha * g.L).run(FAST).verdict is Verdict.REFUTED
    assert g.descent_step(2 * g.OMEGA).run(FAST).verdict is Verdict.REFUTED
    # and the right one holds
    assert g.count_bound().run(FAST).verdict is Verdict.PROVED


def test_a_wrong_codimension_is_refuted() -> None:
    from theorems.catalogue.golikov import stable_set_codimension as c

    # counting lambda <= 0 (a zero eigenvalue is not unstable: |1 - alpha 0| = 1)
    assert c.eigen_correspondence(strict_negative=False).run(FAST).verdict is Verdict.REFUTED
    # counting |eig Jg| >= 1 instead of > 1, on quadratics with a zero eigenvalue

    def wrong(H: sp.Matrix, a: sp.Rational) -> tuple[int, int]:
        roots = sp.real_roots(H.charpoly())
        return sum(1 for r in roots if abs(1 - a * r) >= 1), sum(1 for r in roots if r < 0)

    assert c.counts_claim(wrong, name="wrong count").run(FAST).verdict is Verdict.REFUTED


def test_noise_without_the_sphere_normalisation_is_caught() -> None:
    from theorems.catalogue.golikov import noisy_gd as n

    gaussian = lambda rng, k, d: rng.standard_normal((k, d))  # noqa: E731
    assert n.norm_check().run(FAST).verdict is Verdict.CHECKED
    assert n.norm_check(gaussian).run(FAST).verdict is Verdict.UNDECIDED
    out = n.isotropy_check(gaussian, side="<=").run(FAST)
    assert out.verdict is Verdict.UNDECIDED and "contradict" in out.evidence.details


def test_the_linear_threshold_misreads_the_eps_second_order_slide() -> None:
    from theorems.catalogue.golikov import stationary_points as s

    wrong = Definition("-rho eps instead of -sqrt(rho eps)", lambda p: s.stationary(p, threshold="linear"), s.EXAMPLES)
    assert wrong.run(FAST).verdict is Verdict.REFUTED


def test_the_fokker_planck_check_needs_the_factor_two() -> None:
    from theorems.catalogue.golikov import sgld_gelfand_mitter as g

    x1 = sp.Symbol("x1", real=True)
    assert g.invariant_density_identity(1, f=sp.cos(x1)).run(FAST).verdict is Verdict.PROVED
    assert g.invariant_density_identity(1, sp.Integer(-3), f=sp.cos(x1)).run(FAST).verdict is Verdict.REFUTED


def test_preimages_under_g_instead_of_its_inverse_are_caught() -> None:
    from fractions import Fraction as Q

    from symbolic import Judgement
    from theorems.catalogue.golikov import global_stable_set as gs

    def forward(s: gs.Start) -> Judgement:  # images g^t(W_loc) instead of preimages: radius r P^t
        x, y = s.x0
        inside = y == 0 and any(abs(x) <= gs.R_LOC * gs.P**t for t in range(s.horizon + 1))
        d = gs.in_stable_set_directly(s)
        return Judgement(inside == d.holds, Verdict.PROVED, "")

    wrong = Definition("images", forward, [(str(p), gs.Start(p), True) for p in gs.POINTS])
    assert wrong.run(FAST).verdict is Verdict.REFUTED
    assert gs.in_union_of_preimages(gs.Start((Q(-1000), Q(0)))).holds
