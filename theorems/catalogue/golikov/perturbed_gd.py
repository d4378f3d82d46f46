"""golikov.perturbed-gd: slide "Perturbed gradient descent (PGD)", Theorem (Jin et al., 2017),
and the 2nd-order part of "Convergence time guarantees for randomly initialized GD?" (Du et al. 2017).

"If gradient is large, do a GD step; if gradient is small, inject noise, then do several GD steps;
stop if f didn't decrease sufficiently after some GD steps after injecting noise. Suppose
f in C^{2,1}_L cap C^{2,2}_rho, |f(x)| <= B. Then for all eps, delta > 0, for appropriate choice of
hyperparameters PGD achieves an eps-2nd-order stationary point in T_eps = O(log^4(d)/eps^2)
iterations w.p. 1 - delta." The algorithm is :func:`symbolic.algorithms.perturbed_gd` with the
paper's hyperparameters (:class:`symbolic.algorithms.PGDParameters`).
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from symbolic import CheckSettings, Illustration, MonteCarlo
from symbolic.algorithms import PGDParameters, exit_times, generator, gradient_descent, perturbed_gd
from theorems.catalogue.golikov._common import CosSaddle, DuChain, fit_line, mean_ci
from theorems.registry import Entry, Status, register

EPS, DELTA, C = 0.1, 0.1, 0.5
ELL = RHO = 1.0  # CosSaddle: L = rho = 1


def params(d: int, delta_f: float = 2.0) -> PGDParameters:
    return PGDParameters.from_paper(d=d, ell=ELL, rho=RHO, eps=EPS, c=C, delta=DELTA, delta_f=delta_f)


def second_order(model: CosSaddle, X: np.ndarray) -> np.ndarray:
    """eps-2nd-order stationary for CosSaddle: Hessian diag(-cos x_i (i < k), 1, ...)."""
    g = np.linalg.norm(model.grad(X), axis=1) <= EPS
    lam = np.minimum((-np.cos(X[:, : model.k])).min(axis=1), 1.0)
    return g & (lam >= -math.sqrt(RHO * EPS))


def _returns_sosp(rng: np.random.Generator, n: int) -> np.ndarray:
    model = CosSaddle(10, 1)
    run = perturbed_gd(model.f, model.grad, np.zeros((n, 10)), params(10), 20000, int(rng.integers(0, 2**63 - 1)))
    return run.returned & second_order(model, run.x)


# ------------------------------------------------------------------ escape times


def _escape(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    model = CosSaddle(10, 1)
    P = params(10)
    n = max(50, int(300 * settings.mc_scale))
    leave = lambda X: np.linalg.norm(X, axis=1) > 0.5  # noqa: E731
    run = perturbed_gd(model.f, model.grad, np.zeros((n, 10)), P, 5000, settings.seed, stop=leave, until_all=True, terminate=False)
    pgd = mean_ci(exit_times(run.hit, run.steps))
    gd = {}
    for delta in (1e-4, 1e-8, 1e-12):
        x0 = np.zeros((1, 10))
        x0[0, 0] = delta
        x0[0, 1:] = 0.3 / 3
        gd[delta] = int(gradient_descent(model.grad, x0, P.eta, 5000, stop=leave, until_all=True).hit[0])
    shown = math.isfinite(pgd[2]) and pgd[2] < gd[1e-8]
    details = (
        f"f = 1 + cos x_1 + |x_2..x_10|^2/2, paper hyperparameters (c = {C}, eps = {EPS}, delta = {DELTA}): eta = {P.eta}, r = {P.r:.3g}, "
        f"g_thres = {P.g_thres:.3g}, t_thres = {P.t_thres}; exit from B(0, 1/2): PGD from the saddle, {n} seeds: mean {pgd[0]:.1f} steps "
        f"(95% CI [{pgd[1]:.1f}, {pgd[2]:.1f}]); GD (same eta) from distance delta to the stable manifold: "
        + ", ".join(f"delta = {k:g}: {v}" for k, v in gd.items())
    )
    return shown, details, {"pgd_mean_ci": list(pgd), "gd": {str(k): v for k, v in gd.items()}, "n": n}


# ------------------------------------------------------------------ iteration count against d


def _ladder(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    dims = (1, 10, 100, 1000) if settings.mc_scale <= 1 else (1, 3, 10, 30, 100, 300, 1000, 3000, 10000)
    n = max(10, int(10 * settings.mc_scale))
    rows = []
    for i, d in enumerate(dims):
        model = CosSaddle(d, 1)
        P = params(d)
        run = perturbed_gd(model.f, model.grad, np.zeros((n, d)), P, 20 * P.t_thres, settings.seed + i, stop=partial(second_order, model))
        if run.returned is None or not run.returned.all():
            return False, f"PGD did not return within {20 * P.t_thres} steps at d = {d}", {}
        total = run.steps  # every path returns at the same step here (the count is 2 t_thres + 2 on this function)
        rows.append((d, P.chi, total, run.hit.astype(float)))
    log_chi = [math.log(chi) for _, chi, _, _ in rows]
    fit_total = fit_line(log_chi, [math.log(t) for _, _, t, _ in rows])
    hx = [math.log(d) for d, _, _, h in rows for _ in h]
    hy = [float(v) for _, _, _, h in rows for v in h]
    fit_hit = fit_line(hx, hy)
    lo, hi = fit_total.slope_ci
    shown = hi <= 4
    table = ", ".join(f"d = {d}: chi = {chi:.1f}, iterations {t}, first eps-SOSP at mean {h.mean():.1f}" for d, chi, t, h in rows)
    details = (
        f"PGD from the saddle of 1 + cos x_1 + |x_2..x_d|^2/2 (c = {C}, eps = {EPS}, delta = {DELTA}, Delta_f = 2), {n} seeds per d: {table}. "
        f"Fit log(iterations) = a + p log(chi), chi = 3 log(d l Delta_f/(c eps^2 delta)) (the log of the bound): p = {fit_total.slope:.3f}, "
        f"95% CI [{lo:.3f}, {hi:.3f}] (<= 4: within the log^4 shape); first eps-SOSP time: {fit_hit.show('log d', 't_hit')}"
    )
    return shown, details, {"rows": [[d, chi, t, h.tolist()] for d, chi, t, h in rows], "exponent": fit_total.slope, "exponent_ci": [lo, hi], "hit_fit": fit_hit.show()}


# ------------------------------------------------------------------ Du et al.: GD exponential in d, PGD not


def _past_chain(m: DuChain, X: np.ndarray) -> np.ndarray:
    return m.region(X) == m.d


def _du(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    dims = (2, 3, 4, 5, 6) if settings.mc_scale <= 1 else (2, 3, 4, 5, 6, 7, 8, 9, 10)
    n = max(20, int(20 * settings.mc_scale))
    rng = generator(settings.seed)
    gd_med, pgd_med, rows = [], [], []
    for d in dims:
        m = DuChain(d)
        x0 = rng.uniform(-1, 1, (n, d))
        eta = 1 / (4 * m.L)
        gd_t = m.gd_escape_times(x0, eta)
        P = PGDParameters.from_paper(d=d, ell=2 * m.L, rho=1.0, eps=EPS, c=C, delta=DELTA, delta_f=d * m.nu + 100)
        run = perturbed_gd(m.f, m.grad, x0, P, 40 * d * P.t_thres, int(rng.integers(0, 2**63 - 1)), stop=partial(_past_chain, m), until_all=True, terminate=False)
        if (run.hit < 0).any():
            return False, f"PGD did not pass the chain within {40 * d * P.t_thres} steps at d = {d}", {}
        gd_med.append(float(np.median(gd_t)))
        pgd_med.append(float(np.median(run.hit)))
        rows.append(f"d = {d}: GD median {gd_med[-1]:.3g} (max {gd_t.max():.3g}), PGD median {pgd_med[-1]:.0f}")
    fit_gd = fit_line(list(dims), [math.log(v) for v in gd_med])
    fit_pgd = fit_line(list(dims), pgd_med)
    shown = fit_gd.slope_ci[0] > 0.5 and pgd_med[-1] < gd_med[-1]
    details = (
        f"{n} starts x_0 ~ Unif[-1, 1]^d per d (tau = L = e, gamma = 1, GD step 1/(4L); PGD with the paper's hyperparameters, l = 2L, "
        f"c = {C}, eps = {EPS}): time until past the last saddle. " + "; ".join(rows)
        + f". Fit log(GD median) against d: {fit_gd.show('d', 'log T_GD')} (growth factor e^slope = {math.exp(fit_gd.slope):.2f} per saddle); "
        f"PGD median against d: {fit_pgd.show('d', 'T_PGD')}"
    )
    return shown, details, {"dims": list(dims), "gd_median": gd_med, "pgd_median": pgd_med, "gd_log_slope_ci": list(fit_gd.slope_ci), "pgd_slope_ci": list(fit_pgd.slope_ci)}


register(
    Entry(
        id="golikov.perturbed-gd",
        title="Perturbed gradient descent (Jin et al., 2017): the algorithm and its escape behaviour",
        where="Local optimization: general case, Perturbed gradient descent (PGD), Theorem (Jin et al., 2017); Convergence time guarantees (Du et al., 2017)",
        statement=(
            r"Perturbed gradient descent (PGD), very informally: if gradient is large, do a GD step; if gradient is small, inject noise, then do "
            r"several GD steps; stop, if $f$ didn't decrease sufficiently after some GD steps after injecting noise. Theorem (Jin et al., 2017): "
            r"Suppose $f\in\mathcal C^{2,1}_L\cap\mathcal C^{2,2}_\rho$, $|f(x)|\le B\ \forall x$. Then $\forall\epsilon>0,\delta>0$ for appropriate "
            r"choice of hyperparameters PGD achieves an $\epsilon$-2nd-order stationary point in $T_\epsilon=O(\log^4(d)/\epsilon^2)$ iterations "
            r"w.p. $1-\delta$. (Du et al. 2017 constructed $f\in\mathcal C^{2,1}_L$ with strict saddle property, for which GD with random "
            r"initialization almost surely finds an $\epsilon$-2nd-order stationary point in time exponential wrt $d$.)"
        ),
        checks=[
            MonteCarlo(
                "PGD started at a strict saddle returns an eps-2nd-order stationary point w.p. >= 1 - delta",
                _returns_sosp,
                rel=">=",
                bound=1 - DELTA,
                samples=300,
                statement=r"\mathbb P\big(\text{PGD returns an }\epsilon\text{-2nd-order stationary point}\big)\ge1-\delta=0.9,\quad x_0=x^*",
                note=f"$f=1+\\cos x_1+\\frac12\\sum_{{i=2}}^{{10}}x_i^2$ ($\\ell=\\rho=1$, $\\Delta_f=2$), the paper's hyperparameters with $c={C}$, $\\epsilon={EPS}$, $\\delta={DELTA}$.",
            ),
            Illustration(
                "escape from a strict saddle: PGD from the saddle vs GD near the stable manifold",
                _escape,
                shows="PGD leaves B(x*, 1/2) from the saddle itself in a few tens of steps (mean with a 95% CI over seeds); GD with the same step needs log(1/delta)/log(1 + eta) steps from distance delta to the stable manifold.",
                does_not_show="Anything beyond this function, or that c = 1/2 is below the paper's unspecified c_max.",
            ),
            Illustration(
                "PGD's iteration count against d and the log^4 d shape",
                _ladder,
                shows="On this function the count to return grows like chi = 3 log(d l Delta_f/(c eps^2 delta)) (the waiting time t_thres is proportional to chi): the fitted exponent of chi has a 95% CI below 4, inside the O(log^4 d) shape; the first time an eps-2nd-order stationary point is reached grows by a few steps per e-fold of d.",
                does_not_show="The O(log^4 d / eps^2) bound itself (a worst case over functions, with an unspecified constant), nor the eps-dependence (eps is fixed).",
            ),
            Illustration(
                "Du et al. (2017): GD with random initialization takes time exponential in d, PGD does not",
                _du,
                shows="On a piecewise-quadratic model of Du et al.'s chain of d strict saddles (each escape direction contracted while the previous saddles are escaped), GD's time to pass the chain from random starts grows geometrically with d (fitted log-slope with a 95% CI), PGD's linearly.",
                does_not_show="Du et al.'s smooth construction (no spline glue between regions here: the model is only piecewise C^2), nor the almost-sure statement; GD's times are computed exactly in the log domain (float64 GD would underflow onto a stable manifold and never escape).",
            ),
        ],
        status=Status.ILLUSTRATED,
        reading=(
            "'Appropriate choice of hyperparameters' is Jin et al.'s: chi = 3 max{log(d l Delta_f/(c eps^2 delta)), 4}, eta = c/l, r = sqrt(c) eps/(chi^2 l), "
            "g_thres = sqrt(c) eps/chi^2, f_thres = c sqrt(eps^3/rho)/chi^3, t_thres = chi l/(c^2 sqrt(rho eps)), with c = 1/2 (the paper requires c <= c_max, "
            "an absolute constant it does not give). The iteration count is the number of iterations until PGD returns. The theorem's O(.) cannot be "
            "checked on finitely many functions: illustrated."
        ),
    )
)
