"""Quality tests of the helpers behind the pauwels KL / convergence entries."""

from __future__ import annotations

import math
from fractions import Fraction as Q

import sympy as sp

from symbolic import CheckSettings, Verdict
from symbolic.backends import ArbBackend, MPBackend, arb_precision
from theorems.catalogue.pauwels_convergence import MEXICAN_HAT, SIN_PL, _lam_min_JJt, _m1, _m2
from theorems.catalogue.pauwels_kl import (
    KLInstance,
    gd_path,
    has_kl_property,
    is_desingularizing,
    is_morse,
    t,
    x1,
    x2,
    y1,
)


def test_desingularizing_depends_on_r0() -> None:
    # t - t^2 is increasing only on (0, 1/2)
    assert is_desingularizing(t - t**2, t, Q(1, 4)).holds is True
    assert is_desingularizing(t - t**2, t, Q(1)).holds is False
    # t^(3/2) is convex: not desingularizing
    assert is_desingularizing(t ** sp.Rational(3, 2), t, Q(1)).holds is False


def test_kl_predicate_decides_both_ways() -> None:
    ok = has_kl_property(KLInstance(3 * y1**2, (y1,), (Q(0),), 2 * sp.sqrt(t / 12), Q(1)))
    # phi = 2 sqrt(t/12): phi'(3x^2)|6x| = |6x|/sqrt(36 x^2) = 1
    assert ok.holds is True and ok.verdict is Verdict.CHECKED
    bad = has_kl_property(KLInstance(y1**2 / 4, (y1,), (Q(0),), sp.sqrt(t), Q(1)))
    # phi'(x^2/4)|x/2| = (1/(2|x|/2))|x|/2 = 1/2 < 1
    assert bad.holds is False and bad.verdict is Verdict.PROVED


def test_analytic_slip_exact() -> None:
    # f = x^2, c = 2, theta = 1/2: stated phi(t) = (1-theta)/c t^(1-theta) = sqrt(t)/4
    x = sp.Symbol("x", positive=True)
    phi = sp.Rational(1, 2) / 2 * t ** sp.Rational(1, 2)
    val = sp.simplify(sp.diff(phi, t).subs(t, x**2) * 2 * x)
    assert val == sp.Rational(1, 4)
    corrected = t ** sp.Rational(1, 2) / (2 * sp.Rational(1, 2))
    assert sp.simplify(sp.diff(corrected, t).subs(t, x**2) * 2 * x) == 1


def test_strongly_convex_slip_exact() -> None:
    # F = mu/2 x^2 with mu = 2: phi = sqrt(.)/mu gives phi'(F)|F'| = 1/2; sqrt(2 ./mu) gives 1
    x = sp.Symbol("x", positive=True)
    mu = 2
    F = sp.Rational(mu, 2) * x**2
    assert sp.simplify(sp.diff(sp.sqrt(t) / mu, t).subs(t, F) * sp.diff(F, x)) == sp.Rational(1, 2)
    assert sp.simplify(sp.diff(sp.sqrt(2 * t / mu), t).subs(t, F) * sp.diff(F, x)) == 1


def test_least_squares_constant_is_four() -> None:
    xs = sp.symbols("a b c", real=True)
    H = sp.Matrix([xs[0] + xs[1] * xs[2], xs[1] - xs[0] ** 2 + 3 * xs[2]])
    yv = sp.Matrix([sp.Rational(1, 3), -2])
    r = H - yv
    F = (r.T * r)[0, 0]
    g = sp.Matrix([sp.diff(F, v) for v in xs])
    J = H.jacobian(xs)
    assert sp.expand((g.T * g)[0, 0] - 4 * ((J.T * r).T * (J.T * r))[0, 0]) == 0


def test_morse_predicate() -> None:
    assert is_morse(x1**2 + 3 * x2**2 - x1 * x2, (x1, x2)).holds is True
    assert is_morse(x1**2 * x2**2, (x1, x2)).holds is False


def test_gd_path_arb_encloses_mp() -> None:
    mp = MPBackend(40)
    x_mp = gd_path(SIN_PL, mp, [mp.num(Q(5, 2))], 1 / mp.num(8), 10)[-1][0]
    with arb_precision(200):
        B = ArbBackend(200)
        x_arb = gd_path(SIN_PL, B, [B.num(Q(5, 2))], 1 / B.num(8), 10)[-1][0]
        assert abs(float(x_arb.mid()) - float(x_mp)) < 1e-12
        assert float(x_arb.rad()) < 1e-30


def test_lambda_min_closed_form() -> None:
    mp = MPBackend(30)
    J = [[mp.num(1), mp.num(2), mp.num(0)], [mp.num(0), mp.num(1), mp.num(1)]]
    M = mp.ctx.matrix([[5, 2], [2, 2]])
    assert abs(_lam_min_JJt(mp, J) - min(mp.ctx.eigsy(M, eigvals_only=True))) < mp.ctx.mpf(10) ** -25


def test_mexican_hat_matches_polar_form() -> None:
    f = sp.lambdify((_m1, _m2), MEXICAN_HAT, "math")
    for r, th in [(0.3, 1.0), (0.7, -2.0), (0.95, 4.0)]:
        s = 1 / (1 - r * r)
        w = 4 * r**4 / (4 * r**4 + (1 - r * r) ** 4)
        polar = math.exp(-s) * (1 - w * math.sin(th - s))
        assert math.isclose(f(r * math.cos(th), r * math.sin(th)), polar, rel_tol=1e-12)


def test_catalogue_entries_all_registered() -> None:
    from theorems.registry import get

    ids = (
        "kl-desingularizing kl-property kl-noncritical kl-analytic kl-strongly-convex kl-quadratic kl-morse "
        "kl-nonconvex-example kl-convergence mexican-hat descent-lemma sufficient-decrease kl-trap "
        "kl-half-linear-rate least-squares-pl overparameterized-trap"
    ).split()
    for i in ids:
        e = get(f"pauwels.{i}")
        assert e.checks
        out = [c.run(CheckSettings(examples=10, local_search=1)) for c in e.all_checks()[:1]]
        assert out
