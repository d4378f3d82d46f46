"""GRADIENT DESCENT AVOIDS STRICT SADDLES and COMMENTS: randomly initialised gradient descent avoids strict saddles.

Monte Carlo with a confidence bound on a Morse function with four strict saddles (and a maximum): the probability that
gradient descent from a uniform random start converges to a strict saddle is bounded by Clopper-Pearson; the stable set
itself is exhibited (not empty); and, as the COMMENTS slide says, avoiding saddles does not imply convergence.
"""

from __future__ import annotations

import numpy as np

from symbolic import Illustration, MonteCarlo
from theorems.registry import Entry, Status, register

from ._simulation import MORSE_MAX, MORSE_SADDLES, morse_gd, near

_STEPS, _TOL = 500, 1e-3


def _sim_saddle(rng: np.random.Generator, n: int) -> np.ndarray:
    z = morse_gd(rng.uniform(-1.5, 1.5, size=(n, 2)), _STEPS)
    return near(z, np.vstack([MORSE_SADDLES, MORSE_MAX]), _TOL)


def _sim_minimum(rng: np.random.Generator, n: int) -> np.ndarray:
    z = morse_gd(rng.uniform(-1.5, 1.5, size=(n, 2)), _STEPS)
    return near(z, np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, 1.0], [-1.0, -1.0]]), _TOL)


def _stable_set(settings):
    rng = np.random.default_rng(settings.seed)
    y0 = rng.uniform(0.05, 1.5, size=200)
    z = morse_gd(np.c_[np.zeros_like(y0), y0], _STEPS)
    ok = bool(near(z, MORSE_SADDLES[:1], 1e-9).all())
    z2 = morse_gd(np.c_[np.full_like(y0, 1e-12), y0], _STEPS)
    left = bool((~near(z2, MORSE_SADDLES, 1e-3)).all())
    figure = {
        "kind": "xy",
        "series": [
            {"label": "limits of starts on x = 0", "points": [[float(a), float(b)] for a, b in z[:50]]},
            {"label": "limits of starts 1e-12 off x = 0", "points": [[float(a), float(b)] for a, b in z2[:50]]},
        ],
        "xlabel": "x",
        "ylabel": "y",
    }
    return ok and left, (
        f"200 starts on the line x = 0 (y0 in (0.05, 1.5)) all end within 1e-9 of the strict saddle (0, 1) (x = 0 is invariant: x' = x - gamma(x^3 - x)); "
        f"moved by 1e-12 off the line, all {200 if left else 'not all'} leave it"
    ), {"figure": figure}


def _no_convergence(settings):
    th = np.array([0.0])
    path = [0.0]
    for _ in range(200):
        th = th - 0.1 * np.exp(th)  # g(theta) = e^theta: no critical point at all
        path.append(float(th[0]))
    figure = {"kind": "lines", "series": [{"label": "theta_k for g = e^theta", "y": path}], "xlabel": "k", "ylabel": "theta_k"}
    return bool(th[0] < -3), f"g = e^theta, gamma = 1/10: after 200 steps theta = {th[0]:.3f}, still decreasing (theta_k -> -infinity)", {"figure": figure}


register(
    Entry(
        id="bruna.gd-avoids-saddles",
        title="Random initialisation: gradient descent avoids strict saddles (with probability 1)",
        where="GRADIENT DESCENT AVOIDS STRICT SADDLES; COMMENTS",
        statement=(
            r"Assume $\nabla g$ is Lipschitz, with $\|\nabla^2g(\theta)\|\le L$. Fact 1: every strict saddle point of $g$ is an unstable fixed point of gradient descent. "
            r"Fact 2: if $\gamma<L^{-1}$, $\det(D\varphi(\theta))\neq0$. Consequence [Lee et al.'16]: under these assumptions, the stable set of strict saddle points has measure zero. "
            r"This result establishes that gradient descent escapes strict saddles. It does not directly imply that it converges to local minimizers! The required additional property is that $\lim_k\theta_k$ exists."
        ),
        hypotheses=[r"$\|\nabla^2g\|\le L$ (on the region the iterates visit)", r"$0<\gamma<1/L$", r"$\theta_0$ drawn from a law with a density"],
        checks=[
            MonteCarlo("P(gradient descent from a uniform start converges to a strict saddle or the maximum) <= 10^-3", _sim_saddle, rel="<=", bound=1e-3, samples=20000, delta=1e-3,
                       statement=r"P_{\theta_0\sim U([-\frac32,\frac32]^2)}\Big(\lim_k\varphi^k(\theta_0)\in\mathcal X^*\Big)\le10^{-3},\quad g=\tfrac{(x^2-1)^2+(y^2-1)^2}4,\ \gamma=\tfrac1{10}",
                       scope="one Morse function in d = 2 with 4 strict saddles, 500 steps; 'converges' = within 1e-3 after 500 steps",
                       note="gamma = 1/10 < 1/L with L = 7.4 on the sublevel set the iterates stay in. Clopper-Pearson: 0 of 20000 gives the upper bound 3.5e-4. The theorem says 0; sampling can only bound it."),
            MonteCarlo("P(it converges to a local minimum) >= 0.999", _sim_minimum, rel=">=", bound=0.999, samples=20000, delta=1e-3,
                       statement=r"P\big(\lim_k\varphi^k(\theta_0)\in\{(\pm1,\pm1)\}\big)\ge0.999",
                       scope="the same Morse function (compact sublevel sets, isolated critical points: the limit exists, COMMENTS' first sufficient condition)"),
            Illustration("the stable set is not empty: starts on x = 0 converge to the saddle (0, 1)", _stable_set,
                         shows="the global stable set of the saddle (0, 1) contains the half-line {x = 0, y > 0}: a set of measure zero that is hit only by non-random starts",
                         does_not_show="that this line is the whole stable set, or anything for other functions"),
            Illustration("COMMENTS: escaping saddles does not give convergence (g = e^theta)", _no_convergence,
                         shows="a function without critical points, where gradient descent has no strict saddle to avoid and no limit",
                         does_not_show="anything about functions with compact sublevel sets or the Lojasiewicz inequality (see bruna.local-lojasiewicz)"),
        ],
        status=Status.VERIFIED,
        reading=(
            r"'Measure zero' cannot be sampled: it is read as 'the probability that a start drawn from a density converges to a strict saddle is 0', and only bounded "
            r"($\le10^{-3}$ at confidence 0.999) by Monte Carlo on one Morse function (its maximum $(0,0)$ has $\lambda_{\min}<0$, so it counts as a strict saddle by the slide's definition); Facts 1 and 2 are checked in bruna.saddles-unstable and bruna.gd-jacobian-nonsingular. "
            r"The extension to proximal point, coordinate descent and mirror descent is not encoded."
        ),
    )
)
