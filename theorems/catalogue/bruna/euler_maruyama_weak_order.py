"""DISCRETIZATIONS OF SDES: EULER MARUYAMA. "This scheme is a first order weak approximation to the SDE."

Proved (series in the step) for geometric Brownian motion with symbolic mu, sigma, x0 and the test functions x, x^2,
where the moments of both the SDE and the scheme are exact; first order and not more; measured by Monte Carlo.
"""

from __future__ import annotations

from symbolic import Expect, OrderBySeries, SchemeOrder, euler_maruyama, gbm_moment, mc_mean
from symbolic.sde_numerics import generator
from theorems.registry import Entry, Status, register

from ._simulation import gbm_em_error, h_step, mc_n, mu_s, sig_s, t_s, x0_s

_INST = {t_s: 1, mu_s: 1, sig_s: 1, x0_s: 1}
_MU, _SIG, _X0, _T = 1.0, 0.2, 1.0, 1.0
_LADDER = (1 / 8, 1 / 16, 1 / 32, 1 / 64)


def _errors(settings):
    n = mc_n(100000, settings)
    exact = gbm_moment(_MU, _SIG, _X0, _T, 1)
    errs, ses = [], []
    for i, h in enumerate(_LADDER):
        rng = generator(settings.seed, 36, i)
        xs = euler_maruyama(lambda x, t: _MU * x, lambda x, t: (_SIG * x)[:, :, None], _X0, _T, round(_T / h), paths=n, rng=rng)
        m, se = mc_mean(xs[:, 0])
        errs.append(m - exact)
        ses.append(se)
    return list(_LADDER), errs, ses, n * len(_LADDER)


def _errs() -> dict:
    return {"g(x) = x": gbm_em_error(1), "g(x) = x^2": gbm_em_error(2)}


register(
    Entry(
        id="bruna.euler-maruyama-weak-order",
        title="Euler-Maruyama is a first-order weak approximation (and not more)",
        where="DISCRETIZATIONS OF SDES: EULER MARUYAMA",
        statement=r"This scheme is a first order weak approximation to the SDE.",
        hypotheses=[r"$dX_t=b\,dt+\sigma\,dW_t$ with smooth coefficients of bounded derivatives (standard: Kloeden--Platen)"],
        checks=[
            OrderBySeries("weak order 1 for geometric Brownian motion, g = x, x^2 (exact moments)", _errs, h_step, claimed=1, instance=_INST,
                          statement=r"E g(x_k)-E g(X_{k\delta})=O(\delta),\quad dX=\mu Xdt+\sigma XdW,\ g(x)=x,x^2",
                          scope="geometric Brownian motion with symbolic mu, sigma, x0 > 0; test functions x and x^2",
                          note="E x_k^p = x0^p (E(1 + mu h + sigma sqrt(h) z)^p)^k from Gaussian moments, E X_t^p = x0^p e^{p mu t + p(p-1) sigma^2 t/2}; "
                               "expanded in h at symbolic t (analytic jointly in (t, h): uniform on compact t)."),
            OrderBySeries("not weak order 2: the h-coefficient of E x_k - E X_t is -mu^2 t x0 e^{mu t}/2", _errs, h_step, claimed=2, instance=_INST,
                          expect=Expect.REFUTED, role="necessity",
                          statement=r"E g(x_k)-E g(X_{k\delta})=O(\delta^2)", scope="geometric Brownian motion, mu = sigma = x0 = t = 1"),
            SchemeOrder("measured: GBM mu = 1, sigma = 1/5, g(x) = x, delta = 1/8 ... 1/64 (Monte Carlo), order 1", _errors, claimed=1, tolerance=0.25,
                        statement=r"|E x_K-EX_1|\approx C\delta^\alpha,\ \alpha\ge1-\tfrac14\ \text{at confidence }0.999", scope="GBM mu = 1, sigma = 1/5, x0 = 1, T = 1",
                        note="100000 paths per step (x mc_scale); reference: the exact E X_1 = e^{mu}."),
            SchemeOrder("measured: the same data exclude order 2", _errors, claimed=2, below=True, tolerance=0.25, role="necessity",
                        statement=r"\alpha<2-\tfrac14\ \text{at confidence }0.999", scope="GBM mu = 1, sigma = 1/5, x0 = 1, T = 1"),
        ],
        status=Status.VERIFIED,
        reading=(
            r"'First order weak approximation' with the slide's definition ($|Eg(X_{k\delta})-Eg(x_k)|\le C\delta$, $k\le T/\delta$). The general theorem needs "
            r"smooth coefficients with bounded derivatives (Kloeden--Platen, Thm 14.5.2), which the slide leaves implicit; it is proved here only on an instance "
            r"where moments are exact (GBM, test functions of degree $\le2$), which also shows that the order is not more than 1."
        ),
    )
)
