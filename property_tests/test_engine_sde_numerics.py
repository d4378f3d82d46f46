"""Quality tests of the SDE numerics: each capability refutes (or does not support) a wrong variant."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symbolic import (
    CheckSettings,
    OrderBySeries,
    SchemeOrder,
    Verdict,
    coarsen,
    em_linear_moments,
    estimate_order,
    euler_maruyama,
    gaussian_expectation,
    kl_decay,
    levy_brownian,
    linear_moments,
    mc_mean,
    ou_moments,
)
from symbolic.sde_numerics import brownian_increments, generator

SETTINGS = CheckSettings()

# ------------------------------------------------------------------ weak order by Monte Carlo (OU, g(x) = x)

THETA, SIGMA, X0, T = 2.0, 1.0, 5.0, 1.0
LADDER = (1 / 4, 1 / 8, 1 / 16, 1 / 32)


def _em_ou_weak_errors(settings: CheckSettings):
    rng = generator(settings.seed, 1)
    n = 40000
    exact, _ = ou_moments(THETA, 0.0, SIGMA, X0, T)
    errs, ses = [], []
    for h in LADDER:
        xs = euler_maruyama(lambda x, t: -THETA * x, lambda x, t: SIGMA, X0, T, round(T / h), paths=n, rng=rng)
        m, se = mc_mean(xs[:, 0])
        errs.append(m - exact)
        ses.append(se)
    return LADDER, errs, ses, n * len(LADDER)


def test_weak_order_one_supported_and_two_refuted_by_monte_carlo() -> None:
    steps, errs, ses, _ = _em_ou_weak_errors(SETTINGS)
    est = estimate_order(steps, errs, ses, delta=1e-3)
    assert est.se_mc > 0 and not est.weak_points
    assert est.decide(1) == "supported", est.summary()
    assert est.decide(2) == "refuted", est.summary()
    assert est.confidence_at_least(2) < 1e-3
    ok = SchemeOrder("EM weak order 1", _em_ou_weak_errors, claimed=1).run(SETTINGS)
    bad = SchemeOrder("EM weak order 2", _em_ou_weak_errors, claimed=2).run(SETTINGS)
    assert ok.verdict is Verdict.CHECKED
    # statistical: never `refuted`, but the evidence says the data contradict the claim
    assert bad.verdict is Verdict.UNDECIDED and bad.evidence.extra["decision"] == "refuted"


def test_monte_carlo_error_widens_the_interval() -> None:
    """The same point estimates with larger standard errors give a wider interval (not only the fit residual)."""
    errs = [0.4, 0.2, 0.1, 0.05]
    tight = estimate_order(LADDER, errs, [1e-4] * 4)
    loose = estimate_order(LADDER, errs, [1e-2] * 4)
    assert tight.se_fit == pytest.approx(0.0, abs=1e-12) and loose.se_fit == pytest.approx(0.0, abs=1e-12)
    assert loose.upper - loose.lower > 10 * (tight.upper - tight.lower)
    # an error not 3 standard errors from 0 makes the estimate inconclusive
    assert estimate_order(LADDER, errs, [1e-4, 1e-4, 1e-4, 0.02]).decide(1) == "inconclusive"


# ------------------------------------------------------------------ strong order (GBM, same Brownian path)


def _gbm_strong_errors(settings: CheckSettings):
    mu, sig, x0, fine = 0.5, 1.0, 1.0, 256
    rng = generator(settings.seed, 2)
    n = 20000
    dW = brownian_increments(rng, n, fine, T / fine)
    exact = x0 * np.exp((mu - sig**2 / 2) * T + sig * dW.sum(axis=0)[:, 0])
    steps, errs, ses = [], [], []
    for factor in (32, 16, 8, 4):
        dWc = coarsen(dW, factor)
        xs = euler_maruyama(lambda x, t: mu * x, lambda x, t: (sig * x)[:, :, None], x0, T, fine // factor, dW=dWc)
        m, se = mc_mean(np.abs(xs[:, 0] - exact))
        steps.append(T * factor / fine)
        errs.append(m)
        ses.append(se)
    return steps, errs, ses, n


def test_strong_order_half_supported_and_one_refuted() -> None:
    steps, errs, ses, _ = _gbm_strong_errors(SETTINGS)
    est = estimate_order(steps, errs, ses)
    assert est.decide(0.5, tolerance=0.15) == "supported", est.summary()
    assert est.decide(1.0) == "refuted", est.summary()


# ------------------------------------------------------------------ weak order proved / refuted from exact moments

h, t, a, x0 = sp.symbols("h t a x0", positive=True)


def _em_ou_mean_error():
    # dX = -a X dt + dW: E X_t = x0 e^{-a t}; EM: E x_k = x0 (1 - a h)^k, k = t/h
    return {"g(x) = x": x0 * sp.exp(t / h * sp.log(1 - a * h)) - x0 * sp.exp(-a * t)}


def test_series_proves_order_one_and_refutes_order_two() -> None:
    inst = {t: sp.Integer(1), a: sp.Integer(2), x0: sp.Integer(1)}
    assert OrderBySeries("EM order 1", _em_ou_mean_error, h, claimed=1, instance=inst).run(SETTINGS).verdict is Verdict.PROVED
    out = OrderBySeries("EM order 2", _em_ou_mean_error, h, claimed=2, instance=inst).run(SETTINGS)
    assert out.verdict is Verdict.REFUTED
    assert out.evidence.counterexample is not None and "h^1" in out.evidence.counterexample["error"]
    # the exact scheme for the mean (x_{k+1} = e^{-a h} x_k) has every order
    exact_scheme = {"g(x) = x": x0 * sp.exp(t / h * sp.log(sp.exp(-a * h))) - x0 * sp.exp(-a * t)}
    assert OrderBySeries("exact", lambda: exact_scheme, h, claimed=3).run(SETTINGS).verdict is Verdict.PROVED


# ------------------------------------------------------------------ exact references


def test_linear_moments_match_ou_and_em_converges_to_them() -> None:
    m, P = linear_moments([[-THETA]], [0.0], [[SIGMA]], [X0], [[0.0]], T)
    mo, vo = ou_moments(THETA, 0.0, SIGMA, X0, T)
    assert m[0] == pytest.approx(mo, rel=1e-12) and P[0, 0] == pytest.approx(vo, rel=1e-12)
    errs = [abs(em_linear_moments([[-THETA]], [0.0], [[SIGMA]], [X0], [[0.0]], T / k, k)[1][0, 0] - vo) for k in (50, 100, 200)]
    assert errs[0] / errs[1] == pytest.approx(2, rel=0.05) and errs[1] / errs[2] == pytest.approx(2, rel=0.05)
    # 2-d with a rotation: Van Loan against Euler-Maruyama's exact moments at a fine step
    A = np.array([[-1.0, 2.0], [-2.0, -1.0]])
    S = np.array([[1.0, 0.0], [0.5, 0.3]])
    m2, P2 = linear_moments(A, [1.0, 0.0], S, [1.0, -1.0], np.eye(2) * 0.1, 0.7)
    me, Pe = em_linear_moments(A, [1.0, 0.0], S, [1.0, -1.0], np.eye(2) * 0.1, 0.7 / 20000, 20000)
    assert np.allclose(m2, me, atol=1e-3) and np.allclose(P2, Pe, atol=1e-3)
    assert not np.allclose(P2, em_linear_moments(A, [1.0, 0.0], 2 * S, [1.0, -1.0], np.eye(2) * 0.1, 0.7 / 20000, 20000)[1], atol=1e-2)


def test_gaussian_expectation() -> None:
    w, v = sp.symbols("w v", positive=True)
    u = sp.Symbol("u", real=True)
    assert gaussian_expectation(w**4, {w: v}) == 3 * v**2
    assert gaussian_expectation((w + u) ** 2, {w: v}) == v + u**2
    assert gaussian_expectation(w**3, {w: v}) == 0


def test_levy_brownian_increments_have_variance_u() -> None:
    W = levy_brownian(generator(5), 20000, 4, T=2.0)
    inc = W[12] - W[4]  # u = 8 * 2/16 = 1
    assert inc.var() == pytest.approx(1.0, rel=0.05)
    assert abs(np.corrcoef(inc[:, 0], W[3][:, 0])[0, 1]) < 0.04


# ------------------------------------------------------------------ Fokker-Planck solver


def test_fokker_planck_kl_matches_ou_closed_form_and_refutes_a_faster_rate() -> None:
    lam, D, m0, v0 = 1.0, 0.5, 1.5, 0.2
    ts = np.linspace(0.0, 3.0, 7)
    r = kl_decay(lambda x: np.exp(-((x - m0) ** 2) / (2 * v0)), lambda x: lam * x**2 / 2, D, (-6.0, 7.0), 150, ts)
    mt, vt, s = m0 * np.exp(-lam * ts), D / lam + (v0 - D / lam) * np.exp(-2 * lam * ts), D / lam
    exact = 0.5 * (vt / s + mt**2 / s - 1 - np.log(vt / s))
    assert np.all(np.abs(r.kl - exact) <= 2 * r.discretisation_error + 1e-9)
    assert np.all(r.kl <= r.kl[0] * np.exp(-2 * lam * ts) + r.discretisation_error)  # the LSI rate 2 lambda
    wrong = r.kl[0] * np.exp(-4 * lam * ts)
    assert np.any(r.kl - r.discretisation_error > wrong)  # a claimed rate 4 lambda fails


# ------------------------------------------------------------------ exact moments and the catalogue's mutants


def test_triangular_power_and_exp_match_numerics() -> None:
    from scipy.linalg import expm

    from symbolic.exact_moments import sde_moment_matrix, triangular_exp, triangular_power

    M = sp.Matrix([[1, 0, 0], [sp.Rational(1, 3), sp.Rational(1, 2), 0], [sp.Rational(1, 5), sp.Rational(1, 7), sp.Rational(3, 4)]])
    k = sp.Symbol("k", positive=True)
    assert sp.simplify(triangular_power(M, k).subs(k, 5) - M**5) == sp.zeros(3, 3)
    A = sde_moment_matrix(sp.Rational(1, 2), -2, 1, sp.Rational(1, 3), sp.Rational(1, 4))
    t0 = sp.Symbol("t", positive=True)
    E = np.array(triangular_exp(A, t0).subs(t0, sp.Rational(3, 2)).evalf(20).tolist(), dtype=float)
    assert np.allclose(E, expm(np.array(A.tolist(), dtype=float) * 1.5), rtol=1e-12)


def test_a_wrong_modified_drift_is_not_order_two() -> None:
    """Mutant of bruna.sme-order-2: gamma/2 |grad g|^2 instead of gamma/4 in the drift gives order 1 only."""
    from symbolic.exact_moments import sde_moment_matrix, triangular_exp, triangular_power
    from theorems.catalogue.bruna import _simulation as S

    v0 = sp.Matrix([1, S.THETA0, S.THETA0**2])
    c = 1 + S.gamma * S.ABAR  # the mutant's factor (the slide's is 1 + gamma abar / 2)
    Sig = S.sigma_poly()
    xs = sp.Symbol("x", real=True)
    A = sde_moment_matrix(c * S.AB, -c * S.ABAR, S.gamma * Sig.coeff(xs, 0), S.gamma * Sig.coeff(xs, 1), S.gamma * Sig.coeff(xs, 2))
    err = (triangular_power(S.sgd_matrix(), S.t / S.gamma) * v0)[1] - (triangular_exp(A, S.t) * v0)[1]
    out = OrderBySeries("mutant", lambda: {"x": err}, S.gamma, claimed=2, instance={S.t: 1}).run(SETTINGS)
    assert out.verdict is Verdict.REFUTED


def test_euler_maruyama_without_sqrt_delta_fails_the_law_check() -> None:
    from symbolic import MonteCarlo
    from theorems.catalogue.bruna import euler_maruyama_step as E

    def wrong(rng: np.random.Generator, n: int) -> np.ndarray:
        Z = rng.standard_normal((E._K, n, 1))
        return np.abs(E._run(Z) - E._MK) <= E._SK  # the sqrt(delta) forgotten

    lo = MonteCarlo("mutant", wrong, rel=">=", bound=E._P1 - 0.02, samples=20000).run(SETTINGS)
    hi = MonteCarlo("mutant", wrong, rel="<=", bound=E._P1 + 0.02, samples=20000).run(SETTINGS)
    assert Verdict.UNDECIDED in (lo.verdict, hi.verdict)


def test_entropy_decay_refuses_a_too_fast_rate() -> None:
    from symbolic.fokker_planck_solver import EntropyDecay

    kw = dict(p0=lambda x: np.exp(-((x - 2) ** 2) / 0.2), potential=lambda x: x**2 / 2 + x**4 / 4, D=0.5, domain=(-5.0, 6.0), cells=120, times=np.linspace(0, 3, 7))
    assert EntropyDecay("ok", rate=2.0, **kw).run(SETTINGS).verdict is Verdict.CHECKED  # type: ignore[arg-type]
    bad = EntropyDecay("too fast", rate=5.0, **kw).run(SETTINGS)  # type: ignore[arg-type]
    assert bad.verdict is Verdict.UNDECIDED and bad.evidence.extra["contradicted"]


def test_gaussian_identity_refutes_a_wrong_covariance() -> None:
    from symbolic.exact_moments import GaussianIdentity

    d, s = sp.symbols("delta sigma", positive=True)
    w, z = sp.symbols("w z", real=True)
    assert GaussianIdentity("ok", (s * w) ** 2, {w: d}, (sp.sqrt(d) * s * z) ** 2, rhs_variances={z: 1}).run(SETTINGS).verdict is Verdict.PROVED
    assert GaussianIdentity("no sqrt", (s * w) ** 2, {w: d}, (s * z) ** 2, rhs_variances={z: 1}).run(SETTINGS).verdict is Verdict.REFUTED


def test_noise_covariance_with_the_unbiased_normalisation_is_not_supported() -> None:
    from symbolic import MonteCarlo
    from theorems.catalogue.bruna import sgd_noise_decomposition as N

    wrong = N._GAMMA_MC * N._SIGMA_MC * 3 / 2  # 1/(n - 1) instead of 1/n
    out = MonteCarlo("mutant", N._sim_V2, rel=">=", bound=wrong - N._TOL, samples=20000, quantity="mean", low=0.0, high=max(N._VHI, -N._VLO) ** 2).run(SETTINGS)
    assert out.verdict is Verdict.UNDECIDED


def test_the_increment_test_has_the_stated_power() -> None:
    """bruna.ito-sde: a Brownian motion with variance 1.15 u per unit time fails the pair of increment checks."""
    from symbolic import MonteCarlo
    from theorems.catalogue.bruna import ito_sde as I

    def scaled(rng: np.random.Generator, n: int) -> np.ndarray:
        W = I._paths(rng, n) * np.sqrt(1.15)
        inc = W[I._TU_IDX] - W[I._T_IDX]
        return (inc**2).sum(axis=1) <= I._MEDIAN * I._U

    verdicts = [MonteCarlo("mutant", scaled, rel=rel, bound=b, samples=20000).run(SETTINGS).verdict for rel, b in ((">=", 0.48), ("<=", 0.52))]
    assert Verdict.UNDECIDED in verdicts


def test_starts_on_the_stable_set_do_converge_to_the_saddle() -> None:
    """bruna.gd-avoids-saddles: the Monte Carlo bound fails when the starts are drawn on the stable set (x = 0)."""
    from symbolic import MonteCarlo
    from theorems.catalogue.bruna import _simulation as S

    def on_line(rng: np.random.Generator, n: int) -> np.ndarray:
        z0 = np.c_[np.zeros(n), rng.uniform(0.05, 1.5, size=n)]
        return S.near(S.morse_gd(z0, 500), np.vstack([S.MORSE_SADDLES, S.MORSE_MAX]), 1e-3)

    assert MonteCarlo("mutant", on_line, rel="<=", bound=1e-3, samples=2000).run(SETTINGS).verdict is Verdict.UNDECIDED


def test_strong_order_through_scheme_order_and_exact_mean_square_error() -> None:
    """Strong order of Euler-Maruyama on GBM: 1/2 supported and 1 contradicted by simulation; exactly, the
    mean-square error E|X_T - x_N|^2 is of order h (so the L^2 strong order is 1/2), and order h^2 is refuted."""
    ok = SchemeOrder("strong 1/2", _gbm_strong_errors, claimed=0.5, sense="strong", tolerance=0.15).run(SETTINGS)
    bad = SchemeOrder("strong 1", _gbm_strong_errors, claimed=1.0, sense="strong").run(SETTINGS)
    assert ok.verdict is Verdict.CHECKED
    assert bad.verdict is Verdict.UNDECIDED and bad.evidence.extra["decision"] == "refuted"
    hh, tt = sp.symbols("h t", positive=True)
    mu, sg = sp.Integer(1), sp.Integer(1)
    N = tt / hh
    # per step: E x'^2 = x^2((1 + mu h)^2 + sigma^2 h), E[x' X'] = x X e^{mu h}(1 + mu h + sigma^2 h), E X'^2 = X^2 e^{(2 mu + sigma^2) h}
    ms = sp.exp((2 * mu + sg**2) * tt) - 2 * sp.exp(N * sp.log(sp.exp(mu * hh) * (1 + mu * hh + sg**2 * hh))) + sp.exp(N * sp.log((1 + mu * hh) ** 2 + sg**2 * hh))
    inst = {tt: sp.Integer(1)}
    assert OrderBySeries("ms order 1", lambda: {"E|X-x|^2": ms}, hh, claimed=1, instance=inst).run(SETTINGS).verdict is Verdict.PROVED
    assert OrderBySeries("ms order 2", lambda: {"E|X-x|^2": ms}, hh, claimed=2, instance=inst).run(SETTINGS).verdict is Verdict.REFUTED
