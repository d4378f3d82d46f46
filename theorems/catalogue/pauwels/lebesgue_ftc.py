"""pauwels.lebesgue-ftc: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 6 "Extensions to nonsmooth settings", slide "Fundamental theorem of Lebesgue integral".

A locally Lipschitz f: R -> R is differentiable almost everywhere and f(t) = f(a) + int_a^t f'(s) ds.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction as Q
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from symbolic import CheckSettings
from symbolic.agreement import NumericAgreement
from theorems.registry import Entry, Status, register

LIPSCHITZ: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any], list[Q]]] = {
    # name: (f, f' away from the breakpoints, breakpoints)
    "|x|": (lambda s: abs(s), lambda s: mpmath.sign(s), [Q(0)]),
    "|x-1|+min(x,0)/2": (lambda s: abs(s - 1) + min(s, 0) / 2, lambda s: mpmath.sign(s - 1) + (mpmath.mpf(1) / 2 if s < 0 else 0), [Q(0), Q(1)]),
    "dist(x,[-1,1])": (lambda s: max(abs(s) - 1, 0), lambda s: (mpmath.sign(s) if abs(s) > 1 else 0), [Q(-1), Q(1)]),
    "|sin x|": (lambda s: abs(mpmath.sin(s)), lambda s: mpmath.sign(mpmath.sin(s)) * mpmath.cos(s), []),
    "max(0,x)^2-|x|": (lambda s: max(0, s) ** 2 - abs(s), lambda s: 2 * max(0, s) - mpmath.sign(s), [Q(0)]),
}


def ftc_residuals(settings: CheckSettings) -> list[tuple[str, Any]]:
    rng = np.random.default_rng(settings.seed)
    rows = []
    with mpmath.workdps(settings.digits):
        for name, (f, fp, brk) in LIPSCHITZ.items():
            for _ in range(4):
                a, t = sorted(Q(int(k), 16) for k in rng.integers(-64, 65, size=2))
                a_, t_v = mpmath.mpf(a.numerator) / a.denominator, mpmath.mpf(t.numerator) / t.denominator
                cuts = [a_] + [mpmath.mpf(b.numerator) / b.denominator for b in brk if a < b < t]
                if name == "|sin x|":
                    cuts += [k * mpmath.pi for k in range(-5, 6) if a_ < k * mpmath.pi < t_v]
                cuts = sorted(cuts) + [t_v]
                integral = mpmath.quad(fp, cuts) if t_v > a_ else mpmath.mpf(0)
                rows.append((f"{name} on [{a}, {t}]", f(t_v) - f(a_) - integral))
    return rows


ftc = NumericAgreement(
    "f(t) - f(a) = integral of f' for piecewise-smooth Lipschitz f",
    ftc_residuals,
    tol=1e-35,
    statement=r"f(t)=f(a)+\int_a^t f'(s)\,ds",
    note=(
        "Five Lipschitz functions with kinks ($|x|$, $|x-1|+\\min(x,0)/2$, $\\mathrm{dist}(x,[-1,1])$, $|\\sin x|$, $\\max(0,x)^2-|x|$), "
        "four random rational intervals each; $f'$ is the a.e. derivative (any value at the kinks, a null set), integrated by "
        "tanh-sinh quadrature split at the kinks at 50 digits."
    ),
)


def xsinlog_residuals(settings: CheckSettings) -> list[tuple[str, Any]]:
    """f(x) = x sin(log|x|): Lipschitz (|f'| <= sqrt 2) with infinitely many oscillations at 0."""
    rows = []
    with mpmath.workdps(settings.digits):
        f = lambda s: s * mpmath.sin(mpmath.log(abs(s))) if s != 0 else mpmath.mpf(0)  # noqa: E731

        def int_from_zero(b: Any) -> Any:
            # int_0^b (sin log s + cos log s) ds with s = b e^{-u}: integrand decays like e^{-u}
            g = lambda u: (mpmath.sin(mpmath.log(b) - u) + mpmath.cos(mpmath.log(b) - u)) * b * mpmath.exp(-u)  # noqa: E731
            return mpmath.quad(g, [0, mpmath.inf])

        for a, t in ((Q(-1, 2), Q(3, 4)), (Q(-2), Q(1, 3)), (Q(-1, 5), Q(1, 7))):
            a_, t_v = mpmath.mpf(a.numerator) / a.denominator, mpmath.mpf(t.numerator) / t.denominator
            integral = int_from_zero(t_v) + int_from_zero(-a_)  # f' is even
            rows.append((f"x sin(log|x|) on [{a}, {t}]", f(t_v) - f(a_) - integral))
    return rows


ftc_oscillating = NumericAgreement(
    "f(t) - f(a) = integral of f' for f(x) = x sin(log|x|), Lipschitz but not piecewise smooth",
    xsinlog_residuals,
    tol=1e-35,
    statement=r"f(t)=f(a)+\int_a^t f'(s)\,ds,\quad f(x)=x\sin(\log|x|)",
    note="$f'(x)=\\sin\\log|x|+\\cos\\log|x|$ oscillates infinitely often near 0; the integral over $(0,b]$ is computed after the substitution $s=be^{-u}$.",
)

register(
    Entry(
        id="pauwels.lebesgue-ftc",
        title="Fundamental theorem of the Lebesgue integral for Lipschitz functions",
        where="Fundamental theorem of Lebesgue integral",
        statement=(
            r"Univariate locally Lipschitz (absolutely continuous) functions are differentiable almost everywhere and are the "
            r"integral of their derivative: $\forall t,a$, $f(t)=f(a)+\int_a^t f'(s)\,ds$."
        ),
        hypotheses=[r"$f:\mathbb{R}\to\mathbb{R}$ locally Lipschitz"],
        checks=[ftc, ftc_oscillating],
        status=Status.VERIFIED,
        reading="Checked numerically (50 digits) on explicit Lipschitz functions; the theorem itself is not proved here.",
    )
)


a_, b_ = sp.symbols("a b", positive=True)  # theta0 = (a, -b) with 0 < a < b
