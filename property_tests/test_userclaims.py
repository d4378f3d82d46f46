"""``theorems claim``: claim files are parsed safely, compiled, and checked by the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbolic import CheckSettings, Verdict
from theorems.userclaims import ClaimFileError, load_claim, parse_claim
from theorems.userclaims.cli import claim_main

EXAMPLES = Path(__file__).resolve().parent.parent / "theorems" / "examples" / "claims"
FAST = CheckSettings(examples=40)


def test_the_true_example_holds() -> None:
    uc = load_claim(EXAMPLES / "descent-lemma.toml")
    out = uc.claim.run(FAST)
    assert out.verdict is Verdict.CHECKED
    assert out.evidence.samples and out.evidence.samples > 10


def test_the_false_example_is_refuted_with_a_confirmed_counterexample() -> None:
    uc = load_claim(EXAMPLES / "growth-bound-any-objective.toml")
    out = uc.claim.run(FAST)
    assert out.verdict is Verdict.REFUTED
    ce = out.evidence.counterexample
    assert ce is not None and "objective" in ce and "x" in ce["points"]
    assert ce["margin"].lstrip("[").startswith("-")


def test_cli_exit_codes_and_latex(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tex = tmp_path / "claim.tex"
    assert claim_main([str(EXAMPLES / "growth-bound-any-objective.toml"), "--latex", str(tex)]) == 0
    printed = capsys.readouterr().out
    assert "refuted" in printed and "counterexample" in printed
    text = tex.read_text()
    assert text.startswith("\\documentclass") and "refuted" in text
    assert claim_main([str(EXAMPLES / "descent-lemma.toml"), "--json", "--examples", "20"]) == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nconclusion = "__import__(1) <= 2"\n')
    assert claim_main([str(bad)]) == 2
    assert "conclusion" in capsys.readouterr().err


def test_expectation_mismatch_exits_1(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text('name = "square dominates"\nexpect = "holds"\nconclusion = "t^2 >= t"\n[parameters]\nt = { min = "0", max = "2" }\n')
    assert claim_main([str(f), "--examples", "30"]) == 1


def test_scalar_claim_with_hypotheses() -> None:
    data = {
        "name": "AM-GM",
        "conclusion": "(a + b)/2 >= sqrt(a*b)",
        "hypotheses": ["a <= 2*b"],
        "parameters": {"a": {"min": "0", "max": "4"}, "b": {"min": "0", "max": "4"}},
    }
    assert parse_claim(data).claim.run(FAST).verdict is Verdict.CHECKED
    data["conclusion"] = "(a + b)/2 <= sqrt(a*b)"
    assert parse_claim(data).claim.run(FAST).verdict is Verdict.REFUTED


def test_hypotheses_on_the_objective_restrict_the_cases() -> None:
    base = {
        "name": "growth bound, nonnegative F",
        "family": "quadratics",
        "family_options": {"dim": [1, 2], "spectrum": "convex"},
        "points": ["x"],
        "conclusion": "gradnorm(x)^2 <= 2*L*F(x)",
    }
    assert parse_claim(base).claim.run(FAST).verdict is Verdict.CHECKED
    step = {**base, "family_options": {"dim": 1}, "family": "ridge_sums", "points": ["x", "y"],
            "parameters": {"a": {"min": "0", "max": "1/L"}},
            "hypotheses": ["dist(x, y) > 0"],
            "conclusion": "stepdist(x, y, a) >= (1 - a*L)*dist(x, y)"}
    assert parse_claim(step).claim.run(FAST).verdict is Verdict.CHECKED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"conclusion": "1 <= 2"}, "missing field 'name'"),
        ({"name": "n", "family": "evil", "conclusion": "1 <= 2"}, "unknown family"),
        ({"name": "n", "family": "quadratics", "family_options": {"dim": 101}, "points": ["x"], "conclusion": "F(x) >= 0"}, "out of range"),
        ({"name": "n", "family": "quadratics", "family_options": {"shell": "rm"}, "points": ["x"], "conclusion": "F(x) >= 0"}, "no option"),
        ({"name": "n", "family": "quadratics", "points": ["x"], "conclusion": "x + 1 >= 0"}, "can only appear inside"),
        ({"name": "n", "family": "quadratics", "points": ["x"], "conclusion": "F(x, x) >= 0"}, "takes 1 point"),
        ({"name": "n", "family": "quadratics", "points": ["x"], "conclusion": "F(x) +"}, "conclusion"),
        ({"name": "n", "family": "quadratics", "points": ["x"], "conclusion": "F(x)"}, "relation"),
        ({"name": "n", "family": "quadratics", "points": ["x"], "conclusion": "eval(x) >= 0"}, "unknown name"),
        ({"name": "n", "parameters": {"t": {"min": "0", "max": "L"}}, "conclusion": "t >= 0"}, "need a family"),
        ({"name": "n", "conclusion": "1 >= 0"}, "at least one parameter"),
        ({"name": "n", "parameters": {"t": "0..1"}, "conclusion": "t >= 0"}, "expected a table"),
    ],
)
def test_malformed_claim_files_get_a_message(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ClaimFileError, match=message):
        parse_claim(data, "claim.toml")
