"""Claim files about k steps of an algorithm: iterate(...), xstar, Fstar, EF/Edist2, the Huber family."""

from __future__ import annotations

import time
from fractions import Fraction as Q
from pathlib import Path

import pytest

from symbolic import ArbBackend, CheckSettings, Verdict, arb_precision, pep
from symbolic.iterates import iterate
from symbolic.settings import profile
from symbolic.worst_case_families import HuberTerm, huber_objective
from theorems.userclaims import ClaimFileError, load_claim, parse_claim

EXAMPLES = Path(__file__).resolve().parent.parent / "theorems" / "examples" / "claims"
SMALL = CheckSettings(examples=30)
K = {"k": {"min": 1, "max": 6, "integer": True, "min_open": False, "max_open": False}}


def _claim(conclusion: str, *, family: str = "huber_functions", options: dict | None = None, params: dict | None = None, points: list[str] | None = None, **extra: object):
    data = {"name": "t", "family": family, "family_options": options or {"dim": [1, 2]}, "points": points or ["x"], "conclusion": conclusion, "parameters": K if params is None else params, **extra}
    return parse_claim(data, "t.toml")


def _exact_huber_gd(objective_json: dict, x0: list[str], k: int) -> Q:
    """F(x_k) of GD with step 1/L on a 1-D Huber L H_tau, recomputed in exact rationals from the
    counterexample's data (independent of the engine's evaluation)."""
    fam = objective_json["family"]  # "huber(c=1, tau=998/3009; mu=0)"
    c = Q(fam.split("c=")[1].split(",")[0])
    tau = Q(fam.split("tau=")[1].split(";")[0])
    assert fam.endswith("mu=0)") and objective_json["constants"]["minimizer"] == ["0"]
    x = Q(x0[0])
    for _ in range(k):
        x -= max(-tau, min(tau, x))  # x - (1/L) L clip(x)
    m = min(abs(x), tau)
    return c * (m * abs(x) - m * m / 2)


@pytest.mark.parametrize(("name", "verdict"), [("gd-rate-textbook", Verdict.CHECKED), ("gd-rate-tight", Verdict.CHECKED), ("gd-rate-too-fast", Verdict.REFUTED)])
def test_the_gd_rate_examples_in_the_default_profile(name: str, verdict: Verdict) -> None:
    """L R^2/(2k) and the tight L R^2/(4k+2) are not refuted; L R^2/(8k) is, on a Huber function."""
    uc = load_claim(EXAMPLES / f"{name}.toml")
    start = time.process_time()
    out = uc.claim.run(profile("fast"))
    elapsed = time.process_time() - start
    assert out.verdict is verdict, out.evidence.summary()
    assert uc.expect == ("refuted" if verdict is Verdict.REFUTED else "holds")
    assert elapsed < 60  # CPU seconds (about 5 on one core)
    if verdict is Verdict.REFUTED:
        ce = out.evidence.counterexample
        assert ce is not None and ce["margin"].lstrip("[").startswith("-")
        assert ce["objective"]["family"].startswith("huber")
        f, x0, k = ce["objective"], ce["points"]["x"], int(ce["params"]["k"])
        if len(x0) == 1 and f["family"].count("c=") == 1 and f["family"].endswith("mu=0)") and f["constants"]["minimizer"] == ["0"]:
            # the counterexample holds in exact arithmetic: F(x_k) - F* > L x0^2 / (8k)
            L = Q(f["constants"]["L"])
            assert _exact_huber_gd(f, x0, k) > L * Q(x0[0]) ** 2 / (8 * k)
    else:
        assert out.evidence.samples and out.evidence.samples >= 15


def test_the_false_rate_holds_on_every_convex_quadratic_sampled() -> None:
    """Quadratics are not the worst case: L R^2/(8k) survives the convex quadratic family."""
    uc = _claim("F(iterate(gd, x, k, 1/L)) - Fstar <= L*dist(x, xstar)^2/(8*k)", family="quadratics", options={"dim": [1, 2], "spectrum": "convex"})
    assert uc.claim.run(SMALL).verdict is Verdict.CHECKED


def test_without_pepit_the_family_search_alone_refutes_the_false_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pep, "available", lambda: False)
    uc = load_claim(EXAMPLES / "gd-rate-too-fast.toml")
    out = uc.claim.run(profile("fast"))
    assert out.verdict is Verdict.REFUTED and "PEPit" not in out.evidence.details


@pytest.mark.skipif(not pep.available(), reason="PEPit with cvxpy and Clarabel or SCS is not installed (pip install 'theorems[pep]')")
def test_pepit_hints_are_in_the_evidence_and_never_prove() -> None:
    out = load_claim(EXAMPLES / "gd-rate-tight.toml").claim.run(SMALL)
    assert out.verdict is Verdict.CHECKED
    assert "PEPit worst cases" in out.evidence.details and "a hint, not a proof" in out.evidence.details
    hints = out.evidence.extra["pep"]
    assert {h["k"] for h in hints} >= {1, 2} and all(h["metric"] == "value" for h in hints)
    first = next(h for h in hints if h["k"] == 1)
    assert abs(float(first["pep_value"]) - 1 / 6) < 1e-6
    # the tight bound: PEPit's value equals it within the SDP's accuracy, never "proved"
    assert all(h["pep_vs_bound"].startswith("equal within") for h in hints)
    assert out.verdict is not Verdict.PROVED
    out = load_claim(EXAMPLES / "gd-rate-too-fast.toml").claim.run(SMALL)
    assert all(h["pep_vs_bound"] == "above the claim's bound" for h in out.evidence.extra["pep"])


def test_nesterov_rate_and_a_mutant() -> None:
    """F(x_k) - F* <= 2 L R^2/(k+1)^2 for Nesterov's method with step 1/L (Su-Boyd-Candes form);
    with (k+1)^3 it fails at k = 2 on the GD worst-case Huber function."""
    ok = _claim("F(iterate(nesterov, x, k, 1/L)) - Fstar <= 2*L*dist(x, xstar)^2/(k + 1)^2")
    assert ok.claim.run(SMALL).verdict is Verdict.CHECKED
    bad = _claim("F(iterate(nesterov, x, k, 1/L)) - Fstar <= 2*L*dist(x, xstar)^2/(k + 1)^3")
    assert bad.claim.run(SMALL).verdict is Verdict.REFUTED


def test_heavy_ball_and_a_wrong_step() -> None:
    """Heavy ball with beta = 0 is GD: the tight bound holds; with step 3/L GD diverges on a quadratic piece."""
    ok = _claim("F(iterate(heavyball, x, k, 1/L, 0)) - Fstar <= L*dist(x, xstar)^2/(4*k + 2)")
    assert ok.claim.run(SMALL).verdict is Verdict.CHECKED
    bad = _claim("F(iterate(gd, x, k, 3/L)) <= F(x)")
    assert bad.claim.run(SMALL).verdict is Verdict.REFUTED


def test_proximal_gradient_on_a_composite_objective() -> None:
    """ISTA on F + lam ||x||_1 with step 1/L: Phi(x_k) - Phi(y) <= L ||x_0 - y||^2 / (2k) for every y
    (Beck and Teboulle 2009, Theorem 3.1, whose proof holds for any y); with 8k it fails
    (lam -> 0 is gradient descent on a Huber function)."""
    params = {**K, "lam": {"min": 0, "max": 1, "max_open": False}}
    phi = "F(iterate(proxgrad_l1, x, k, 1/L, lam)) + lam*norm1(iterate(proxgrad_l1, x, k, 1/L, lam)) - F(y) - lam*norm1(y)"
    data = {"points": ["x", "y"], "params": params, "options": {"dim": 1}}
    assert _claim(phi + " <= L*dist(x, y)^2/(2*k)", **data).claim.run(SMALL).verdict is Verdict.CHECKED
    assert _claim(phi + " <= L*dist(x, y)^2/(8*k)", **data).claim.run(profile("fast")).verdict is Verdict.REFUTED  # two points: 60 draws


def test_sgd_expectation_on_finite_sums() -> None:
    """Interpolation (every component is minimised at b): a step 1/(4L) <= 2/L_i never moves away
    from x* in expectation; with step 3/L it does (a single term, L_1 = L)."""
    sgd = {"dim": [1, 2], "terms": [1, 2]}
    ok = _claim("Edist2(iterate(sgd, x, k, 1/(4*L)), xstar) <= dist(x, xstar)^2", options=sgd)
    assert ok.claim.run(SMALL).verdict is Verdict.CHECKED
    bad = _claim("Edist2(iterate(sgd, x, k, 3/L), xstar) <= dist(x, xstar)^2", options=sgd)
    assert bad.claim.run(SMALL).verdict is Verdict.REFUTED
    assert _claim("EF(iterate(sgd, x, k, 1/(4*L))) >= Fstar", options=sgd).claim.run(SMALL).verdict is Verdict.CHECKED


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"conclusion": "F(iterate(gd, x, k, 1/L)) <= F(xstar) + 1", "family": "smooth_objectives"}, "does not know it"),
        ({"conclusion": "F(x) - Fstar >= 0", "family": "quadratics", "options": {"spectrum": "indefinite"}}, "Fstar"),
        ({"conclusion": "F(iterate(gd, x, k, 1/L)) <= F(x)", "params": {"k": {"min": 1, "max": 3}}}, "integer = true"),
        ({"conclusion": "F(iterate(sgd, x, k, 1/L)) <= F(x)"}, "only an expectation"),
        ({"conclusion": "EF(iterate(sgd, x, k, 1/L)) <= F(x)", "family": "quadratics", "options": {"spectrum": "convex"}}, "finite sum"),
        ({"conclusion": "EF(iterate(sgd, x, k, 1/L)) <= F(x)", "params": {"k": {"min": 1, "max": 30, "integer": True}}}, "more than the 4096"),
        ({"conclusion": "F(iterate(newton, x, k, 1/L)) <= F(x)"}, "unknown name 'newton'"),
        ({"conclusion": "F(iterate(L, x, k, 1/L)) <= F(x)"}, "method among"),
        ({"conclusion": "F(iterate(gd, x, k)) <= F(x)"}, "takes (alpha)"),
        ({"conclusion": "gd <= 1"}, "names a method"),
        ({"conclusion": "F(iterate(gd, x, k, 1/L)) <= F(x)", "params": {"k": {"min": 1, "max": 3, "integer": "yes"}}}, "true or false"),
    ],
)
def test_what_cannot_be_said_is_refused_with_a_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ClaimFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _claim(**kwargs)


def test_reserved_names() -> None:
    with pytest.raises(ClaimFileError, match="reserved"):
        parse_claim({"name": "t", "family": "huber_functions", "points": ["xstar"], "conclusion": "F(xstar) >= 0"}, "t.toml")
    with pytest.raises(ClaimFileError, match="reserved"):
        parse_claim({"name": "t", "family": "huber_functions", "points": ["x"], "conclusion": "F(x) >= 0", "parameters": {"gd": {"min": 0, "max": 1}}}, "t.toml")


def test_the_tight_worst_case_is_attained_exactly_by_the_engine() -> None:
    """The equality case of the tight bound (a tie): the engine's Arb value contains L R^2/(4k+2)."""
    f = huber_objective([HuberTerm(Q(2), Q(3, 7), (Q(1),))])  # k = 3, R = 3, tau = R/7
    B = ArbBackend(128)
    with arb_precision(128):
        v = f.value(B, iterate(f, B, "gd", [B.num(3)], 3, [B.num(Q(1, 2))]))
        assert v.contains(B.num(Q(2 * 9, 14)))
