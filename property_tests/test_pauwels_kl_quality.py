"""Quality tests of the helpers behind the pauwels KL / convergence entries."""

from __future__ import annotations

import math
from fractions import Fraction as Q

import mpmath
import sympy as sp
from catalogue_support import margin_mid, recorded_objective

from symbolic import CheckSettings, Verdict
from symbolic.backends import ArbBackend, MPBackend, arb_precision
from theorems.catalogue.pauwels._common import gd_path
from theorems.catalogue.pauwels._descent import SIN_PL, lambda_min_JJt
from theorems.catalogue.pauwels._kl import KLInstance, t, x1, x2
from theorems.catalogue.pauwels.kl_desingularizing import is_desingularizing
from theorems.catalogue.pauwels.kl_morse import is_morse
from theorems.catalogue.pauwels.kl_property import has_kl_property, y1
from theorems.catalogue.pauwels.mexican_hat import MEXICAN_HAT, _m1, _m2
from theorems.registry import Status, get


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


def test_analytic_slip_exact(check_settings: CheckSettings) -> None:
    from theorems.catalogue.pauwels.kl_analytic import (
        analytic_corrected_numeric,
        analytic_corrected_z3,
        analytic_stated_numeric,
        analytic_stated_z3,
    )

    # f = x^2, c = 2, theta = 1/2: stated phi(t) = (1-theta)/c t^(1-theta) = sqrt(t)/4
    x = sp.Symbol("x", positive=True)
    phi = sp.Rational(1, 2) / 2 * t ** sp.Rational(1, 2)
    val = sp.simplify(sp.diff(phi, t).subs(t, x**2) * 2 * x)
    assert val == sp.Rational(1, 4)
    corrected = t ** sp.Rational(1, 2) / (2 * sp.Rational(1, 2))
    assert sp.simplify(sp.diff(corrected, t).subs(t, x**2) * 2 * x) == 1

    entry = get("pauwels.kl-analytic")
    assert analytic_stated_z3 in entry.checks and analytic_stated_numeric in entry.checks
    assert analytic_corrected_z3 in entry.corrected and analytic_corrected_numeric in entry.corrected

    # z3's counterexample: the hypotheses g >= c u, theta < 1 hold and (1-theta)^2 g >= c u fails, exactly
    out = analytic_stated_z3.run(check_settings)
    assert out.verdict is Verdict.REFUTED
    v = {k: Q(s) for k, s in out.evidence.counterexample.items()}
    assert v["g"] >= v["c"] * v["u"] and v["theta"] < 1 and v["c"] > 0 and v["u"] > 0
    assert (1 - v["theta"]) ** 2 * v["g"] < v["c"] * v["u"]

    # the numeric counterexample: a monomial s^l x^l with c = l s, where by hand phi'(f)|f'| = (1-theta)^2 = 1/l^2
    out = analytic_stated_numeric.run(check_settings)
    assert out.verdict is Verdict.REFUTED
    cex = out.evidence.counterexample
    F, (xv,), (x0,) = recorded_objective(cex)
    l, c = int(cex["params"]["l"]), sp.Rational(cex["params"]["c"])
    assert l >= 2 and sp.expand(F - (c / l) ** l * xv**l) == 0
    theta = 1 - sp.Rational(1, l)
    fx, dfx = F.subs(xv, x0), sp.diff(F, xv).subs(xv, x0)
    assert fx > 0
    exact = sp.nsimplify(sp.simplify((1 - theta) ** 2 / c * abs(dfx) / fx**theta))
    assert exact == sp.Rational(1, l**2)
    with mpmath.workdps(60):  # the comparison at the ball's precision (not at mpmath's global 15 digits)
        assert abs(margin_mid(cex["margin"]) - (mpmath.mpf(1) / l**2 - 1)) < mpmath.mpf(10) ** -40

    assert analytic_corrected_z3.run(check_settings).verdict is Verdict.PROVED
    assert analytic_corrected_numeric.run(check_settings).verdict.holds


def test_strongly_convex_slip_exact(check_settings: CheckSettings) -> None:
    from theorems.catalogue.pauwels.kl_quadratic import sc_phi_corrected_z3
    from theorems.catalogue.pauwels.kl_strongly_convex import (
        sc_phi_small_mu,
        sc_phi_stated,
        sc_phi_stated_z3,
    )

    # F = mu/2 x^2 with mu = 2: phi = sqrt(.)/mu gives phi'(F)|F'| = 1/2; sqrt(2 ./mu) gives 1
    x = sp.Symbol("x", positive=True)
    mu = 2
    F = sp.Rational(mu, 2) * x**2
    assert sp.simplify(sp.diff(sp.sqrt(t) / mu, t).subs(t, F) * sp.diff(F, x)) == sp.Rational(1, 2)
    assert sp.simplify(sp.diff(sp.sqrt(2 * t / mu), t).subs(t, F) * sp.diff(F, x)) == 1
    # general mu: phi'(F)|F'| = 1/sqrt(2 mu) on mu/2 x^2, < 1 exactly when mu > 1/2
    m = sp.Symbol("mu", positive=True)
    Fm = m / 2 * x**2
    assert sp.simplify(sp.diff(sp.sqrt(t) / m, t).subs(t, Fm) * sp.diff(Fm, x) - 1 / sp.sqrt(2 * m)) == 0

    entry = get("pauwels.kl-strongly-convex")
    assert sc_phi_stated in entry.checks and sc_phi_stated_z3 in entry.checks and sc_phi_small_mu in entry.checks

    # z3's counterexample to 2 mu D <= G => G >= 4 mu^2 D must have mu > 1/2 (for mu <= 1/2 it is implied)
    out = sc_phi_stated_z3.run(check_settings)
    assert out.verdict is Verdict.REFUTED
    v = {k: Q(s) for k, s in out.evidence.counterexample.items()}
    assert 2 * v["mu"] * v["Delta"] <= v["G2"] < 4 * v["mu"] ** 2 * v["Delta"]
    assert v["mu"] > Q(1, 2)
    assert sc_phi_small_mu.run(check_settings).verdict is Verdict.PROVED

    # the numeric counterexample: a strongly convex quadratic whose recorded mu is its lambda_min, mu > 1/2,
    # and phi'(F - F*)||grad F|| = ||grad F|| / (2 mu sqrt(F - F*)) < 1 exactly at the recorded point
    out = sc_phi_stated.run(check_settings)
    assert out.verdict is Verdict.REFUTED
    cex = out.evidence.counterexample
    Fq, xs, x0 = recorded_objective(cex)
    consts = cex["objective"]["constants"]
    mu_c, fstar = sp.Rational(consts["mu"]), sp.Rational(consts["minimum"])
    assert min(sp.hessian(Fq, xs).eigenvals()) == mu_c
    assert mu_c > sp.Rational(1, 2)
    at = dict(zip(xs, x0, strict=True))
    gap = Fq.subs(at) - fstar
    g2 = sum(sp.diff(Fq, v).subs(at) ** 2 for v in xs)
    assert gap > 0
    value = sp.sqrt(g2) / (2 * mu_c * sp.sqrt(gap))
    assert value < 1
    with mpmath.workdps(60):
        assert abs(margin_mid(cex["margin"]) - (sp.N(value, 60) - 1)) < mpmath.mpf(10) ** -40

    assert sc_phi_corrected_z3.run(check_settings).verdict is Verdict.PROVED
    for c in entry.corrected:
        assert c.run(check_settings).verdict.holds, c.name


def test_least_squares_constant_is_four(check_settings: CheckSettings) -> None:
    from theorems.catalogue.pauwels.least_squares_pl import (
        ls_corrected_identity,
        ls_stated_identity,
        ls_stated_numeric,
    )

    xs = sp.symbols("a b c", real=True)
    H = sp.Matrix([xs[0] + xs[1] * xs[2], xs[1] - xs[0] ** 2 + 3 * xs[2]])
    yv = sp.Matrix([sp.Rational(1, 3), -2])
    r = H - yv
    F = (r.T * r)[0, 0]
    g = sp.Matrix([sp.diff(F, v) for v in xs])
    J = H.jacobian(xs)
    assert sp.expand((g.T * g)[0, 0] - 4 * ((J.T * r).T * (J.T * r))[0, 0]) == 0

    entry = get("pauwels.least-squares-pl")
    assert ls_stated_identity in entry.checks and ls_stated_numeric in entry.checks
    assert ls_corrected_identity in entry.corrected
    assert ls_corrected_identity.run(check_settings).verdict is Verdict.PROVED

    # the counterexample to the stated identity on H = a x + b x^2: by hand lhs = 4(a + 2bx)^2 = 2 rhs
    out = ls_stated_identity.run(check_settings)
    assert out.verdict is Verdict.REFUTED
    v = {k: Q(s) for k, s in out.evidence.counterexample.items()}
    assert v["lhs"] == 4 * (v["a"] + 2 * v["b"] * v["x"]) ** 2 != 0
    assert v["lhs"] == 2 * v["rhs"]

    # the numeric counterexample: margin -| ||grad F||^2 - 2||J^T r||^2 |, and ||grad F||^2 = 4||J^T r||^2
    # make it -||grad F||^2 / 2 (with the slide's ratio 2 it would be 0)
    out = ls_stated_numeric.run(check_settings)
    assert out.verdict is Verdict.REFUTED
    cex = out.evidence.counterexample
    Fn, ys, x0 = recorded_objective(cex)
    at = dict(zip(ys, x0, strict=True))
    g2 = sum(sp.diff(Fn, v).subs(at) ** 2 for v in ys)
    assert Fn.subs(at) > 0 and g2 > 0
    with mpmath.workdps(60):
        assert abs(margin_mid(cex["margin"]) + sp.N(g2 / 2, 60)) <= mpmath.mpf(10) ** -30 * sp.N(g2, 60)


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
    assert abs(lambda_min_JJt(mp, J) - min(mp.ctx.eigsy(M, eigvals_only=True))) < mp.ctx.mpf(10) ** -25


def test_mexican_hat_matches_polar_form() -> None:
    f = sp.lambdify((_m1, _m2), MEXICAN_HAT, "math")
    for r, th in [(0.3, 1.0), (0.7, -2.0), (0.95, 4.0)]:
        s = 1 / (1 - r * r)
        w = 4 * r**4 / (4 * r**4 + (1 - r * r) ** 4)
        polar = math.exp(-s) * (1 - w * math.sin(th - s))
        assert math.isclose(f(r * math.cos(th), r * math.sin(th)), polar, rel_tol=1e-12)


def test_catalogue_entries_registered_with_their_status() -> None:
    """Each KL / convergence entry exists with the status the notes call for: errata are exactly the slips
    (the constant of phi in the analytic, strongly convex, quadratic and trivial cases; the factor 2 of least
    squares), and an entry that is not an erratum has no stated check expected refuted, only necessity ones.
    (Verdicts of every check are test_catalogue_pauwels.py's job.)"""
    expected = {
        "kl-desingularizing": Status.VERIFIED,
        "kl-property": Status.VERIFIED,
        "kl-noncritical": Status.ERRATUM,
        "kl-analytic": Status.ERRATUM,
        "kl-strongly-convex": Status.ERRATUM,
        "kl-quadratic": Status.ERRATUM,
        "kl-morse": Status.VERIFIED,
        "kl-nonconvex-example": Status.VERIFIED,
        "kl-convergence": Status.ILLUSTRATED,
        "mexican-hat": Status.ILLUSTRATED,
        "descent-lemma": Status.VERIFIED,
        "sufficient-decrease": Status.VERIFIED,
        "kl-trap": Status.VERIFIED,
        "kl-half-linear-rate": Status.VERIFIED,
        "least-squares-pl": Status.ERRATUM,
        "overparameterized-trap": Status.VERIFIED,
    }
    for i, status in expected.items():
        e = get(f"pauwels.{i}")
        assert e.id == f"pauwels.{i}"
        assert e.status is status, f"{e.id}: {e.status}, expected {status}"
        assert e.checks
        refuted_roles = {c.role or "stated" for c in e.checks if c.expect.value == "refuted"}
        if status is Status.ERRATUM:
            assert "stated" in refuted_roles and e.corrected, e.id
            assert all(c.expect.value == "holds" for c in e.corrected), e.id
        else:
            assert refuted_roles <= {"necessity"} and not e.corrected, e.id
