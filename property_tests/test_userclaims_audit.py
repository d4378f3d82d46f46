"""Audit of ``theorems claim``: adversarial claim files, each a regression test.

Every defect found in the audit has a test here: a true claim that was refuted, a file
that crashed with a traceback or hung instead of getting a one-line error, a field that
was silently ignored. Counterexamples of refuted claims are re-evaluated here exactly
(sympy on the test's side) to make sure they violate the claim inside its domain.
"""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sympy

from symbolic import CheckSettings, Verdict
from theorems.userclaims import ClaimFileError, load_claim, parse_claim
from theorems.userclaims.cli import claim_main

FAST = CheckSettings(examples=40)


def scalar(conclusion: str, hypotheses: list[str] | None = None, **params: dict[str, Any]) -> dict[str, Any]:
    return {"name": "audit", "conclusion": conclusion, "hypotheses": hypotheses or [], "parameters": params}


def run(data: dict[str, Any], examples: int = 40) -> Any:
    return parse_claim(data, "audit.toml").claim.run(CheckSettings(examples=examples))


# ---------------------------------------------------------------- true claims never refuted


def test_an_irrational_closed_end_is_rounded_inwards_not_outwards() -> None:
    # before: max = "pi" became a rational slightly above pi and "a <= pi" was refuted
    out = run(scalar("a <= pi", a={"min": "0", "max": "pi", "max_open": False}))
    assert out.verdict is Verdict.CHECKED
    out = run(scalar("a >= sqrt(2)", a={"min": "sqrt(2)", "max": "3", "min_open": False}))
    assert out.verdict is Verdict.CHECKED
    # and a false claim on the same domain is still refuted, with a point inside the domain
    out = run(scalar("a <= 3", a={"min": "0", "max": "pi", "max_open": False}))
    assert out.verdict is Verdict.REFUTED
    a = sympy.Rational(out.evidence.counterexample["params"]["a"])
    assert 3 < a <= sympy.pi


def test_mu_is_a_strong_convexity_modulus() -> None:
    # before: quadratics carry mu = smallest *nonzero* |eigenvalue|, so the strong convexity
    # inequality (a theorem) was refuted by F(x) = x_1^2/2 on R^2 with "mu" = 1
    data = {
        "name": "strong convexity",
        "family": "quadratics",
        "family_options": {"spectrum": "convex", "dim": [1, 2]},
        "points": ["x", "y"],
        "conclusion": "F(y) >= F(x) + inner(x, y) + mu/2*dist(x, y)^2",
    }
    assert run(data, 60).verdict is Verdict.CHECKED
    data["family_options"] = {"spectrum": "any", "dim": [1, 2]}
    assert run(data, 60).verdict is Verdict.CHECKED
    # halving the wrong way (2 mu) is false and still refuted
    data["conclusion"] = "F(y) >= F(x) + inner(x, y) + mu*dist(x, y)^2"
    data["family_options"] = {"spectrum": "strongly_convex", "dim": [1, 2]}
    assert run(data, 60).verdict is Verdict.REFUTED


def test_a_step_size_domain_empty_for_some_objectives_skips_them() -> None:
    # before: alpha in (1, 1/L) is empty when L >= 1 and hypothesis crashed with ValueError
    data = {
        "name": "descent on a dependent domain",
        "family": "quadratics",
        "family_options": {"spectrum": "convex"},
        "points": ["x"],
        "conclusion": "Fstep(x, alpha) <= F(x)",
        "parameters": {"alpha": {"min": "1/(4*L)", "max": "1/L - 1"}},
    }
    out = run(data)
    assert out.verdict in (Verdict.CHECKED, Verdict.UNDECIDED)


# ---------------------------------------------------------------- refuted: the counterexample is real


def _exact(data: dict[str, Any], ce: dict[str, Any]) -> bool:
    """Does the scalar claim hold at the counterexample (exact sympy evaluation)?"""
    names = {k: sympy.Symbol(k) for k in data["parameters"]}
    vals = {names[k]: sympy.Rational(v) for k, v in ce["params"].items()}
    for k, spec in data["parameters"].items():  # the point lies in the declared domain
        v = vals[names[k]]
        if "min" in spec:
            lo = sympy.Rational(spec["min"])
            assert v > lo or (v == lo and spec.get("min_open") is False)
        if "max" in spec:
            hi = sympy.Rational(spec["max"])
            assert v < hi or (v == hi and spec.get("max_open") is False)
    lhs, op, rhs = data["_exact"]
    left, right = sympy.sympify(lhs, locals=names).subs(vals), sympy.sympify(rhs, locals=names).subs(vals)
    return bool({"<=": left <= right, "<": left < right, ">=": left >= right, ">": left > right}[op])


@pytest.mark.parametrize(
    "data",
    [
        {**scalar("(a*c + b*d)^2 <= (a^2 + b^2)*(c^2 + d^2)/2", **{k: {"min": "-3", "max": "3"} for k in "abcd"}),
         "_exact": ("(a*c + b*d)**2", "<=", "(a**2 + b**2)*(c**2 + d**2)/2")},
        {**scalar("(a + b)/2 > sqrt(a*b)", a={"min": "0", "max": "4"}, b={"min": "0", "max": "4"}),
         "_exact": ("(a + b)/2", ">", "sqrt(a*b)")},
        {**scalar("a^2 <= a", a={"min": "0", "max": "1.001", "max_open": False}), "_exact": ("a**2", "<=", "a")},
    ],
)
def test_refuted_scalar_claims_have_real_counterexamples(data: dict[str, Any]) -> None:
    spec = {k: v for k, v in data.items() if k != "_exact"}
    out = run(spec)
    assert out.verdict is Verdict.REFUTED
    assert _exact(data, out.evidence.counterexample) is False


# ---------------------------------------------------------------- silently ignored fields


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # a typo in "hypotheses" dropped the hypotheses and refuted a true claim
        ({**scalar("a <= b"), "hypothesis": ["a <= b"], "parameters": {"a": {"min": "0", "max": "1"}, "b": {"min": "0", "max": "1"}}},
         "unknown field 'hypothesis'.*hypotheses"),
        (scalar("a >= 0", a={"min": "0", "max": "1", "max_opne": False}), "unknown key 'max_opne'"),
        (scalar("a >= 0", a={"min": "0", "max": "1", "min_open": "no"}), "min_open.*true or false"),
        ({**scalar("a >= 0", a={"min": "0", "max": "1"}), "expect": "yes"}, "expect"),
        ({**scalar("a >= 0", a={"min": "0", "max": "1"}), "statement": 5}, "statement"),
        ({**scalar("a >= 0", a={"min": "0", "max": "1"}), "family_options": {"dim": 2}}, "family_options.*family"),
        ({"name": "n", "family": "quadratics", "points": "xy", "conclusion": "F(x) >= 0"}, "points.*list"),
        ({"name": "n", "family": "quadratics", "points": ["x", "x"], "conclusion": "F(x) >= 0"}, "twice"),
        ({"name": "n", "family": ["quadratics"], "conclusion": "1 >= 0"}, "family.*wrong type"),
        ({"name": "n", "family": "quadratics", "family_options": "dim=3", "points": ["x"], "conclusion": "F(x) >= 0"}, "family_options.*table"),
    ],
)
def test_misspelt_or_mistyped_fields_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ClaimFileError, match=message):
        parse_claim(data, "audit.toml")


# ---------------------------------------------------------------- crashes become one-line errors


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (scalar("a <= 1", a={"min": "2", "max": "1"}), "empty"),
        (scalar("a <= 1", a={"min": "1", "max": "1"}), "empty"),
        (scalar("a >= 0", a={"min": 0, "max": float("inf")}), "finite"),
        (scalar("a >= 0", a={"min": 0, "max": float("nan")}), "finite"),
        (scalar("a >= 0", a={"min": True, "max": 1}), "min: expected a number"),
        (scalar("a >= 0", **{"a b": {"min": "0", "max": "1"}}), "invalid parameter name"),
        (scalar("alpha >= 0", **{"α": {"min": "0", "max": "1"}}), "invalid parameter name"),
        (scalar("a >= 0", **{"_app0": {"min": "0", "max": "1"}, "a": {"min": "0", "max": "1"}}), "invalid parameter name"),
        (scalar("pi <= 1", pi={"min": "0", "max": "1"}), "reserved"),
        (scalar("sqrt >= 0", sqrt={"min": "0", "max": "1"}), "reserved"),
        ({"name": "n", "family": "quadratics", "points": ["x"], "conclusion": "F(x) >= L", "parameters": {"L": {"min": "0", "max": "1"}}}, "reserved"),
        ({"name": "n", "family": "quadratics", "points": ["x"], "conclusion": "F(x) >= 0", "parameters": {"x": {"min": "0", "max": "1"}}}, "both a point and a parameter"),
        (scalar("sqrt(-1)*a >= 0", a={"min": "0", "max": "1"}), "conclusion.*real"),
        (scalar("sign(a) <= 1", a={"min": "-1", "max": "1"}), "conclusion.*sign"),
        ({"name": "n", "family": "quadratics", "family_options": {"spectrum": "weird"}, "points": ["x"], "conclusion": "F(x) >= 0"}, "spectrum"),
        ({"name": "n", "family": "ridge_sums", "family_options": {"activations": ["evil"]}, "points": ["x"], "conclusion": "F(x) >= 0"}, "activations"),
        ({"name": "n", "family": "ridge_sums", "family_options": {"activations": []}, "points": ["x"], "conclusion": "F(x) >= 0"}, "activations"),
        ({"name": "n", "family": "ridge_sums", "family_options": {"activations": [1]}, "points": ["x"], "conclusion": "F(x) >= 0"}, "activations"),
        ({"name": "n", "family": "ridge_sums", "family_options": {"terms": [1, 1000000]}, "points": ["x"], "conclusion": "F(x) >= 0"}, "terms"),
        ({"name": "n", "family": "nonnegative_smooth", "family_options": {"dim": 21}, "points": ["x"], "conclusion": "F(x) >= 0"}, "dim"),
        ({"name": "n", "family": "quadratics", "family_options": {"dim": 101}, "points": ["x"], "conclusion": "F(x) >= 0"}, "dim"),
        ({"name": "n", "family": "polynomials", "family_options": {"dim": [2, 51]}, "points": ["x"], "conclusion": "F(x) >= 0"}, "dim"),
        ({"name": "n", "family": "polynomials", "family_options": {"radius": "-1"}, "points": ["x"], "conclusion": "F(x) >= 0"}, "radius"),
        ({"name": "n", "family": "quadratics", "family_options": {"max_eigenvalue": "1/0"}, "points": ["x"], "conclusion": "F(x) >= 0"}, "max_eigenvalue"),
        ({"name": "n", "family": "quadratics", "family_options": {"max_eigenvalue": "1e999999999"}, "points": ["x"], "conclusion": "F(x) >= 0"}, "max_eigenvalue"),
        (scalar("F(a) >= 0", a={"min": "0", "max": "1"}), "needs a family"),
        ({"name": "n\u202e", "conclusion": "a >= 0", "parameters": {"a": {"min": "0", "max": "1"}}}, "U\\+202E"),
        ({"name": "x" * 10_000, "conclusion": "a >= 0", "parameters": {"a": {"min": "0", "max": "1"}}}, "name.*too long"),
        (scalar("a >= 0", **{f"a{i}": {"min": "0", "max": "1"} for i in range(100)}), "parameters"),
        ({"name": "n", "family": "quadratics", "points": [f"x{i}" for i in range(100)], "conclusion": "F(x0) >= -100"}, "points"),
    ],
)
def test_bad_files_get_a_message_not_a_traceback(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ClaimFileError, match=message):
        parse_claim(data, "audit.toml")


def test_a_domain_empty_after_rounding_or_irrational_is_refused() -> None:
    with pytest.raises(ClaimFileError, match="empty"):
        parse_claim(scalar("a >= 0", a={"min": "pi", "max": "pi", "min_open": False, "max_open": False}), "audit.toml")


# ---------------------------------------------------------------- hangs


@pytest.mark.parametrize(
    "conclusion",
    ["exp(exp(exp(a*100))) >= 0", "a^(a^(a^(a^(a^a)))) >= 0", "cosh(cosh(cosh(a*100))) >= 0"],
)
def test_towers_of_exponentials_do_not_hang(conclusion: str) -> None:
    import time

    started = time.monotonic()
    out = run(scalar(conclusion, a={"min": "0", "max": "1000000000"}), examples=20)
    assert time.monotonic() - started < 60
    assert out.verdict is not Verdict.REFUTED


# ---------------------------------------------------------------- the file and the command line


def test_file_size_binary_and_cli_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.toml"
    big.write_text('name = "n"\nconclusion = "a >= 0"\n# ' + "x" * 2_000_000 + '\n[parameters]\na = { min = "0", max = "1" }\n')
    with pytest.raises(ClaimFileError, match="too large"):
        load_claim(big)
    ok = tmp_path / "ok.toml"
    ok.write_text('name = "n"\nconclusion = "a >= 0"\n[parameters]\na = { min = "0", max = "1" }\n')
    capsys.readouterr()
    assert claim_main([str(ok), "--profile", "bogus"]) == 2
    err = capsys.readouterr().err
    assert "profile" in err and "Traceback" not in err and err.count("\n") == 1
    assert claim_main([str(ok), "--examples", "100000000"]) == 2
    assert "--examples" in capsys.readouterr().err


def test_latex_states_the_domains_and_family(tmp_path: Path) -> None:
    tex = tmp_path / "c.tex"
    f = tmp_path / "c.toml"
    f.write_text(
        'name = "growth_bound 100% & #1"\nfamily = "nonnegative_smooth"\npoints = ["x"]\n'
        'conclusion = "gradnorm(x)^2 <= 2*L*(F(x) - lower) + t"\n[parameters]\nt = { min = "0", max = "1/L", min_open = false }\n'
    )
    assert claim_main([str(f), "--latex", str(tex), "--examples", "20"]) == 0
    text = tex.read_text()
    assert r"\texttt{nonnegative\_smooth}" in text
    assert r"t \in \left[0, \frac{1}{L}\right)" in text
    if shutil.which("pdflatex"):
        res = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path, capture_output=True, timeout=120)
        assert res.returncode == 0, res.stdout[-2000:]


def test_fractions_in_family_options_are_exact() -> None:
    # the radius is read with the safe number parser; points then lie in [-1/2, 1/2]
    data = {"name": "n", "family": "polynomials", "family_options": {"radius": "1/2", "dim": 1}, "points": ["x"], "conclusion": "F(x) <= -1000"}
    out = parse_claim(data, "audit.toml").claim.run(CheckSettings(examples=10))
    assert out.verdict is Verdict.REFUTED
    (x,) = out.evidence.counterexample["points"]["x"]
    assert abs(Fraction(x)) <= Fraction(1, 2)


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parent.parent / "theorems" / "examples" / "claims").glob("*.toml")), ids=lambda p: p.name)
def test_every_example_claim_meets_its_expectation(path: Path) -> None:
    uc = load_claim(path)
    out = uc.claim.run(CheckSettings(examples=40))
    assert uc.expect in ("holds", "refuted")
    assert out.verdict is (Verdict.REFUTED if uc.expect == "refuted" else Verdict.CHECKED)


def test_inverse_sines_are_evaluated_in_claims() -> None:
    assert run(scalar("asin(a) <= 2", a={"min": "0", "max": "1"})).verdict is Verdict.CHECKED
    assert run(scalar("asin(a) <= a", a={"min": "0", "max": "1"})).verdict is Verdict.REFUTED  # asin(a) > a on (0, 1]
