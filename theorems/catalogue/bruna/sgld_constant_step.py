"""Bruna, lecture 9, slide "SGLD ALGORITHM" (1st): constant step, the tracked diffusion and its invariant law.

As printed: with γ_k = γ, β_k = β, SGLD θ_{k+1} = θ_k − γ(∇g + ε_k) + √γ β W_k tracks, as γ → 0,
dX = −∇g dt + β dW, whose invariant distribution is p = Z⁻¹e^{−βg}; then β → 0 concentrates the
measure on the global minima. Slip: the invariant law of dX = −∇g dt + β dW is Z⁻¹e^{−2g/β²}
(D = β²/2); e^{−βg} is not invariant and as β → 0 it flattens instead of concentrating.
"""

from __future__ import annotations

from typing import Any

import mpmath
import sympy as sp

from symbolic import CheckSettings, Expect, Illustration, Implication
from symbolic.sde import OperatorIdentity, gradient, space
from theorems.catalogue.bruna._symbolic import BETA, GAMMA, WITNESSES, g_and_sde
from theorems.catalogue.bruna.sgld_raginsky import _invariant, _invariant_1
from theorems.registry import Entry, Status, register


def _tracks(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    xs, g, sde = g_and_sde(d, BETA)
    W, eps = sp.Matrix(space(d, "W")), sp.Matrix(space(d, "e"))
    update = sp.Matrix(xs) - GAMMA * (gradient(g, xs) + eps) + sp.sqrt(GAMMA) * BETA * W
    return update, sde.euler_maruyama_step(list(xs), GAMMA, list(sp.sqrt(GAMMA) * W)) - GAMMA * eps


tracks = OperatorIdentity(
    "with gamma_k = gamma, beta_k = beta the SGLD update is the Euler-Maruyama step of dX = -grad g dt + beta dW",
    _tracks,
    dims=(1, 2, 3),
    witnesses=WITNESSES,
    statement=r"\theta-\gamma(\nabla g(\theta)+\epsilon_k)+\sqrt\gamma\,\beta W_k=\theta+\gamma b(\theta)+\sigma\sqrt\gamma W_k-\gamma\epsilon_k,\quad b=-\nabla g,\ \sigma=\beta",
    note="The update of the slide STOCHASTIC GRADIENT LANGEVIN DESCENT with constant $\\gamma$, $\\beta$; as $\\gamma\\to0$ Euler-Maruyama converges weakly (order 1, bruna.euler-maruyama-weak-order).",
    scope="d = 1, 2, 3 (coordinatewise)",
)

stated_invariant = OperatorIdentity(
    "stated: p = Z^-1 exp(-beta g) is invariant for dX = -grad g dt + beta dW",
    _invariant(BETA**2, 1 / BETA),
    dims=(1,),
    witnesses=WITNESSES,
    expect=Expect.REFUTED,
    role="stated",
    statement=r"\sigma=\beta:\quad\nabla\cdot(\nabla g\,e^{-\beta g})+\tfrac{\beta^2}2\Delta e^{-\beta g}=0",
    scope="d = 1 (a counterexample)",
)

corrected_invariant = OperatorIdentity(
    "corrected: p = Z^-1 exp(-2 g / beta^2) is invariant for dX = -grad g dt + beta dW",
    _invariant(BETA**2, BETA**2 / 2),
    one_coordinate=_invariant_1(BETA**2, BETA**2 / 2),
    witnesses=WITNESSES,
    statement=r"\sigma=\beta,\ D=\beta^2/2:\quad\nabla\cdot(\nabla g\,e^{-2g/\beta^2})+\tfrac{\beta^2}2\Delta e^{-2g/\beta^2}=0",
)

# ------------------------------------------------------------------ concentration on a 1-D double well

_X = sp.Symbol("x", real=True)
#: g' = x (x - 1)(x + 2): a local maximum at 0, a local minimum at 1 (g = -5/12), the global minimum at -2 (g = -8/3)
DOUBLE_WELL = _X**4 / 4 + _X**3 / 3 - _X**2
GLOBAL_MIN, LOCAL_MIN = -2, 1


def _gibbs_moments(weight_exponent: Any, dps: int = 30) -> tuple[Any, Any]:
    """P(|X + 2| < 1/2) and E[X] under the density proportional to exp(weight_exponent(x)), by mpmath quadrature."""
    with mpmath.workdps(dps):
        def f(x: Any) -> Any:  # DOUBLE_WELL, written out
            return x**4 / 4 + x**3 / 3 - x**2

        gmin = f(mpmath.mpf(GLOBAL_MIN))

        def w(x: Any) -> Any:
            return mpmath.exp(weight_exponent(f(x) - gmin))

        pts = [-mpmath.inf, -8, -2.5, -2, -1.5, 0, 1, 8, mpmath.inf]
        Zn = mpmath.quad(w, pts)
        near = mpmath.quad(w, [-2.5, -2, -1.5]) / Zn
        mean = mpmath.quad(lambda x: x * w(x), pts) / Zn
        return near, mean


def _concentration(settings: CheckSettings) -> tuple[bool, str, dict[str, Any]]:
    betas = [mpmath.mpf(1) / 2**k for k in range(0, 4)]
    rows_c, rows_s = [], []
    for b in betas:
        near, mean = _gibbs_moments(lambda u, b=b: -2 * u / b**2)  # corrected: exp(-2 g / beta^2)
        rows_c.append((float(b), float(near), float(mean)))
        near_s, mean_s = _gibbs_moments(lambda u, b=b: -b * u)  # printed: exp(-beta g)
        rows_s.append((float(b), float(near_s), float(mean_s)))
    mono = all(rows_c[i + 1][1] > rows_c[i][1] for i in range(len(rows_c) - 1))
    last = rows_c[-1]
    gap = mpmath.mpf(-5) / 12 - mpmath.mpf(-8) / 3  # g(1) - g(-2) = 9/4
    # Laplace: mass near 1 / mass near -2 ~ sqrt(g''(-2)/g''(1)) exp(-2 gap / beta^2), g'' = 6 at -2, 3 at 1
    laplace = float(mpmath.sqrt(2) * mpmath.exp(-2 * gap / betas[-1] ** 2))
    exhibited = mono and last[1] > 1 - 1e-6 and abs(last[2] - GLOBAL_MIN) < 0.05 and rows_s[-1][1] < rows_s[0][1]
    details = (
        "g = x^4/4 + x^3/3 - x^2 (global min -2, local min 1, g(1) - g(-2) = 9/4); "
        + "corrected density exp(-2g/beta^2): "
        + ", ".join(f"beta={b:g}: P(|X+2|<1/2)={p:.10f}, E X={m:.6f}" for b, p, m in rows_c)
        + f"; Laplace ratio of the wells at beta={float(betas[-1]):g}: {laplace:.3g}; printed density exp(-beta g): "
        + ", ".join(f"beta={b:g}: P={p:.4f}" for b, p, _ in rows_s)
    )
    return exhibited, details, {"corrected": rows_c, "printed": rows_s, "laplace_ratio": laplace}


concentration = Illustration(
    "corrected: as beta -> 0 the invariant law exp(-2g/beta^2) concentrates on the global minimum of a double well with unequal minima",
    _concentration,
    shows=(
        "on g = x^4/4 + x^3/3 - x^2 the mass of (-2.5, -1.5) rises to within 1e-6 of 1 and E X tends to the global minimiser -2 as beta halves from 1 to 1/8 "
        "(the local minimum at 1 keeps a share ~ sqrt(2) exp(-9/(2 beta^2)), the Laplace ratio); under the printed exp(-beta g) the same mass decreases."
    ),
    does_not_show=(
        "the limit itself (a finite ladder of temperatures, mpmath quadrature at 30 digits without a rigorous error bound; the limit is proved by steps 1-3), "
        "nor other potentials."
    ),
    statement=r"\beta\to0:\ Z^{-1}e^{-2g/\beta^2}\rightharpoonup\delta_{x^\star},\quad g=\tfrac{x^4}4+\tfrac{x^3}3-x^2,\ x^\star=-2",
)

# the proof of the limit: with T = beta^2/2 the corrected density is proportional to exp(-u/T), u = g - g(-2) >= 0
_T, _E = sp.symbols("T epsilon", positive=True)
_Q = _X**2 / 4 - 2 * _X / 3 + sp.Rational(2, 3)

factorisation = OperatorIdentity(
    "concentration, step 1: u = g - g(-2) = (x + 2)^2 q(x), q = x^2/4 - 2x/3 + 2/3",
    lambda d: (DOUBLE_WELL - DOUBLE_WELL.subs(_X, GLOBAL_MIN), (_X + 2) ** 2 * _Q),
    dims=(1,),
    statement=r"u(x):=g(x)-g(-2)=(x+2)^2\,q(x),\quad q(x)=\tfrac{x^2}4-\tfrac{2x}3+\tfrac23",
    scope="the double well g = x^4/4 + x^3/3 - x^2",
)

q_bounds = Implication(
    "concentration, step 2: q >= 2/9 everywhere and q <= 59/12 on [-3, -1]",
    hypotheses=[],
    conclusion=sp.And(_Q.subs(_X, sp.Symbol("x", real=True)) >= sp.Rational(2, 9), sp.Implies(sp.And(sp.Symbol("x", real=True) >= -3, sp.Symbol("x", real=True) <= -1), _Q.subs(_X, sp.Symbol("x", real=True)) <= sp.Rational(59, 12))),
    statement=r"q(x)\ge\tfrac29\ \ \forall x,\qquad q(x)\le\tfrac{59}{12}\ \text{on}\ [-3,-1]",
    note=r"Hence $u\ge\frac29(x+2)^2$ on $\mathbb{R}$ and $u\le\frac{59}{12}(x+2)^2\le\frac{59}{12}T$ on $|x+2|\le\sqrt T\le1$.",
    scope="the double well g = x^4/4 + x^3/3 - x^2",
)


def _tail_bound(d: int) -> tuple[sp.Matrix, sp.Matrix]:
    s = sp.Symbol("s", positive=True)
    tail = 2 * sp.integrate(sp.exp(-sp.Rational(2, 9) * s**2 / _T), (s, _E, sp.oo))  # int_{|x+2|>=eps} e^{-(2/9)(x+2)^2/T}
    window = 2 * sp.sqrt(_T) * sp.exp(-sp.Rational(59, 12))  # <= int_{|x+2|<=sqrt T} e^{-u/T}
    bound = tail / window
    return (
        sp.Matrix([tail, sp.limit(bound, _T, 0, "+")]),
        sp.Matrix([sp.sqrt(sp.Rational(9, 2) * sp.pi * _T) * sp.erfc(_E * sp.sqrt(sp.Rational(2, 9) / _T)).rewrite(sp.erf), 0]),  # erfc = 1 - erf
    )


tail_bound = OperatorIdentity(
    "concentration, step 3: P(|X + 2| >= eps) <= sqrt(9 pi / 8) e^{59/12} erfc(eps sqrt(2/(9T))) -> 0 as T = beta^2/2 -> 0",
    _tail_bound,
    dims=(1,),
    statement=(
        r"\mathbb{P}_T(|X+2|\ge\varepsilon)\le\frac{\int_{|x+2|\ge\varepsilon}e^{-\frac29(x+2)^2/T}}{2\sqrt Te^{-59/12}}"
        r"=\frac{\sqrt{9\pi T/2}\,\operatorname{erfc}\big(\varepsilon\sqrt{2/(9T)}\big)}{2\sqrt Te^{-59/12}}\xrightarrow[T\to0^+]{}0\quad(\varepsilon>0)"
    ),
    note=(
        r"Steps 1-2 bound the numerator and the denominator of $\mathbb{P}_T(|X+2|\ge\varepsilon)=\int_{|x+2|\ge\varepsilon}e^{-u/T}\big/\int e^{-u/T}$ (for $T\le1$); "
        r"sympy computes the Gaussian tail integral and the limit. Every neighbourhood of $-2$ gets mass $\to1$: the corrected Gibbs law converges weakly to $\delta_{-2}$, "
        r"the global minimiser, and not to the local minimiser $1$."
    ),
    scope="the double well g = x^4/4 + x^3/3 - x^2 (every eps > 0)",
)


register(
    Entry(
        id="bruna.sgld-constant-step",
        title="Constant-step SGLD tracks dX = -grad g dt + beta dW; its invariant law; concentration on global minima as beta -> 0",
        where="SGLD ALGORITHM (1st slide)",
        statement=(
            r"If $\gamma_k=\gamma$, $\beta_k=\beta$, the former algorithm defines a discrete-time Markov process. Two-step analysis (from [Borkar \& Mitter, '99]): "
            r"As $\gamma\to0$, the SGLD tracks better and better the diffusion $dX_t=-\nabla g(X_t)dt+\beta dW_t$. Its limit converges to the invariant distribution "
            r"of the Markov process: $p(x)=Z^{-1}e^{-\beta g(x)}$. Then set $\beta\to0$ to concentrate measure on global minima."
        ),
        hypotheses=[r"$g$ smooth with $e^{-2g/\beta^2}\in L^1$", r"$\theta_{k+1}=\theta_k-\gamma(\nabla g(\theta_k)+\epsilon_k)+\sqrt\gamma\beta W_k$"],
        checks=[tracks, stated_invariant],
        corrected=[corrected_invariant, factorisation, q_bounds, tail_bound, concentration],
        status=Status.ERRATUM,
        reading=(
            r"'Tracks' is read as: the update is the Euler-Maruyama step of the diffusion with step $\gamma$ (exact, with $\epsilon_k$ a mean-zero drift perturbation); "
            r"the $\gamma\to0$ convergence is Euler-Maruyama's weak convergence (bruna.euler-maruyama-weak-order). "
            r"Erratum: with diffusion coefficient $\beta$ the generator is $-\nabla g\cdot\nabla+\frac{\beta^2}2\Delta$, so the invariant law is $\propto e^{-2g/\beta^2}$ "
            r"(bruna.gibbs-stationary with $D=\beta^2/2$), not $e^{-\beta g}$; the printed density would also flatten, not concentrate, as $\beta\to0$. "
            r"The slide's intent ($\beta$ a temperature-like noise level, $\beta\to0$ concentrating) holds for the corrected law. "
            r"'Concentrate on global minima' is read as weak convergence to the global minimiser(s): proved for a 1-D double well with unequal minima (steps 1-3, every neighbourhood of the global minimiser gets mass tending to 1) and exhibited numerically; other potentials are not encoded."
        ),
        proof=["bruna.gibbs-stationary"],
    )
)
