"""Hostile grading (issues 18 and 20, the grading half): near misses are never `correct`,
vacuous step sizes earn nothing, sharpness is decided exactly, identical answers are merged
only when they parse to the same thing, an internal limit is `undecided`, and malformed
exercise files are refused at load with the field named."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest

from symbolic.parsing import ParseError
from theorems.grading import (
    ExerciseError,
    Job,
    Pool,
    grade_answer,
    parse_exercise,
    shipped_exercises,
)
from theorems.grading import checks as checks_module
from theorems.grading.exercise import SHIPPED

EXERCISES = shipped_exercises()


def grade(eid: str, answer: str, params: tuple[tuple[str, str], ...] = ()) -> object:
    return grade_answer(EXERCISES[eid], answer, "hostile", fixed=params)


# ---------------------------------------------------------------- near misses are never correct


@pytest.mark.parametrize(
    ("eid", "answer", "params"),
    [
        ("contraction-factor", "1 - eta*alpha + eta^2/2*C_L*(2*C_L + sigma) + 10^-30", ()),
        ("quadratic-gd-closed-form", "(1 - gamma*lambda)^k*theta0 + 10^-30", ()),
        ("quadratic-gd-closed-form", "(1 - gamma*lambda)^k*theta0*(1 + 10^-100*gamma)", ()),
        ("gibbs-density", "exp(-(x^4/4 - x^2/2)/D)*(1 + 10^-30*x^2)", ()),
        ("gradient-map-jacobian", "[[1 - 2*c*alpha*y + 10^-30, -2*c*alpha*x], [-2*c*alpha*x, 1]]", ()),
        ("largest-step-size", "1/L + 10^-45*sin(L)^2", ()),
        ("contraction-factor", "1 - eta*alpha + eta^2/2*C_L*(2*C_L + sigma) + 10^-60*sin(eta)^2", ()),
        ("lojasiewicz-exponent", "3/4 + 10^-30", (("l", "4"),)),
    ],
)
def test_near_misses_are_incorrect_never_correct(eid: str, answer: str, params: tuple[tuple[str, str], ...]) -> None:
    r = grade(eid, answer, params)
    assert r.verdict == "incorrect", (answer, r.verdict, r.feedback)
    assert r.counterexample


def test_a_step_size_not_provably_positive_on_the_prompts_domain_is_undecided() -> None:
    # 1/L - 10^-45 sin(L)^2 is negative for some L > 10^45: outside the sampling box, but in the
    # prompt's domain (L > 0); no proof of positivity, no counterexample in the box
    assert grade("largest-step-size", "1/L - 10^-45*sin(L)^2").verdict == "undecided"


def test_an_unprovable_equality_is_undecided_not_correct() -> None:
    # equal on the domain (asin t = acos sqrt(1 - t^2) for t in [0, 1]) but sympy cannot show it
    r = grade("contraction-factor", "1 - eta*alpha + eta^2/2*C_L*(2*C_L + sigma) + asin(eta/10) - acos(sqrt(1 - eta^2/100))")
    assert r.verdict == "undecided"


# ---------------------------------------------------------------- step sizes


@pytest.mark.parametrize("answer", ["sin(10^100)", "sin(L) - 2", "-exp(L)", "0", "1/L - 1"])
def test_vacuous_step_sizes_get_no_credit(answer: str) -> None:
    r = grade("largest-step-size", answer)
    assert r.verdict == "incorrect" and r.score == 0, (answer, r.verdict, r.feedback)
    assert "positive" in r.feedback


@pytest.mark.parametrize("answer", ["sin(10^100)", "-exp(alpha)", "alpha - 20"])
def test_vacuous_largest_values_get_no_credit(answer: str) -> None:
    r = grade("contraction-step-size", answer)
    assert r.verdict == "incorrect" and r.score == 0, (answer, r.verdict, r.feedback)


@pytest.mark.parametrize(
    ("eid", "answer"),
    [
        ("largest-step-size", "1/(L*(1 + 10^-45*sin(L)^2))"),
        ("largest-step-size", "1/L*(1 - 10^-30)"),
        ("contraction-step-size", "alpha/(C_L*(2*C_L + sigma))*(1 - 10^-40)"),
        ("descent-lemma-decrease", "alpha*(1 - alpha*L/2) - 10^-30*alpha"),
    ],
)
def test_a_bound_slightly_below_the_sharp_one_is_not_sharp(eid: str, answer: str) -> None:
    r = grade(eid, answer)
    assert r.verdict == "not_sharp", (answer, r.verdict, r.feedback)


def test_sign_error_bound_gets_zero_and_swapped_constant_a_concrete_objective() -> None:
    r = grade("descent-lemma-decrease", "-alpha*(1 - alpha*L/2)")
    assert r.verdict == "incorrect" and r.score == 0 and "never better" in r.feedback
    r = grade("descent-lemma-decrease", "alpha*(1 - alpha/(2*L))")
    assert r.verdict == "incorrect"
    assert "f(x) = (L/2) x^2 with L = 2" in r.feedback and "alpha = 1/2" in r.feedback  # f = x^2, alpha = 1/2
    r = grade("gd-iterations", "2*L*D/eps^3")
    assert r.verdict == "incorrect" and "eps = " in r.feedback


# ---------------------------------------------------------------- reuse of identical answers


def test_identical_answers_are_merged_only_when_they_parse_the_same() -> None:
    ex = EXERCISES["largest-step-size"]
    texts = ["1/L", "1/L\u00a0", "1/L\u2003", " 1/L", "1/(L)", "1/L\u200b", "1/L\u3000"]
    with Pool(1) as pool:
        batch = pool.grade([Job(ex, t, "course|x") for t in texts])
    for t, r in zip(texts, batch, strict=True):
        alone = grade_answer(ex, t, "course|x")
        assert (r.verdict, r.score) == (alone.verdict, alone.score), repr(t)
    keys = {Job(ex, t, "course|x").key() for t in texts}
    assert Job(ex, "1/L", "course|x").key() == Job(ex, "1/(L)", "course|x").key()  # same parsed answer
    assert Job(ex, "1/L", "course|x").key() != Job(ex, "1/L", "course|y").key() or not ex.parameters
    assert len(keys) >= 2


# ---------------------------------------------------------------- internal limits


def test_a_recursion_error_while_checking_is_undecided(monkeypatch: pytest.MonkeyPatch) -> None:
    def deep(*_: object) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setitem(checks_module.CHECK_FUNCTIONS, "bound", deep)
    r = grade_answer(EXERCISES["gd-iterations"], "2*L*D/eps^2", "x")
    assert r.verdict == "undecided" and r.score is None


# ---------------------------------------------------------------- malformed exercise files


def _base() -> dict:
    return tomllib.loads((SHIPPED / "09-gd-iterations.toml").read_text())


def _set(path: str, value: object) -> object:
    def mutate(d: dict) -> None:
        *head, last = path.split(".")
        t = d
        for k in head:
            t = t[int(k)] if isinstance(t, list) else t[k]
        if value is _DELETE:
            del t[last]
        elif isinstance(t, list):
            t[int(last)] = value
        else:
            t[last] = value

    return mutate


_DELETE = object()

MALFORMED = [
    ("answer.kind", 3, "kind"),
    ("answer.variables", "L", "variables"),
    ("answer.reference", "2*L*D/eps^^2", "reference"),
    ("answer.reference", "2*L*Q/eps^2", "reference"),
    ("answer.reference", "", "reference"),
    ("check.type", "bund", "check.type"),
    ("check.directon", "<=", "directon"),
    ("check.direction", "=<", "direction"),
    ("check.partial_credit", 2, "partial_credit"),
    ("check.partial_credit", "half", "partial_credit"),
    ("timeout", 0, "timeout"),
    ("timeout", 1e9, "timeout"),
    ("timeout", "fast", "timeout"),
    ("domain.eps", ["1", "1"], "domain.eps"),
    ("domain.eps", ["2", "1"], "domain.eps"),
    ("domain.eps", "0..1", "domain.eps"),
    ("source", "golikov.gd-stationarty-rate", "source"),
    ("prompt", "Give $T$ for {{n}} steps.", "{{n}}"),
    ("symbols.L", {"positve": True}, "symbols.L"),
    ("tests.0.score", "1", "score"),
    ("tests.0.verdict", "right", "verdict"),
    ("tests", [], "correct"),
    ("relative_tolerence", 0.1, "relative_tolerence"),
    ("constraints", ["L >"], "constraints"),
    ("constraints", ["L > 1000"], "no point"),
]


@pytest.mark.parametrize(("path", "value", "named"), MALFORMED, ids=[f"{p}={v!r}" for p, v, _ in MALFORMED])
def test_malformed_exercise_files_are_refused_with_the_field_named(path: str, value: object, named: str) -> None:
    data = copy.deepcopy(_base())
    _set(path, value)(data)
    with pytest.raises(ExerciseError, match=None) as info:
        parse_exercise(data, "x.toml")
    msg = str(info.value)
    assert named in msg, msg
    assert "\n" not in msg  # one line


def test_misspelt_keys_suggest_the_closest_valid_one() -> None:
    data = copy.deepcopy(_base())
    data["check"]["directon"] = "<="
    with pytest.raises(ExerciseError, match="did you mean 'direction'"):
        parse_exercise(data, "x.toml")
    data = copy.deepcopy(_base())
    data["timout"] = 5
    with pytest.raises(ExerciseError, match="did you mean 'timeout'"):
        parse_exercise(data, "x.toml")


def test_a_vector_kind_with_a_check_that_cannot_apply_is_refused() -> None:
    data = copy.deepcopy(_base())
    data["answer"]["kind"] = "matrix"
    data["check"] = {"type": "proportional"}
    with pytest.raises(ExerciseError, match="does not apply"):
        parse_exercise(data, "x.toml")


def test_one_bad_file_does_not_block_the_class(tmp_path: Path) -> None:
    from theorems.grading.cli import grade_main

    ex_dir = tmp_path / "ex"
    ex_dir.mkdir()
    (ex_dir / "good.toml").write_text((SHIPPED / "01-largest-step-size.toml").read_text())
    (ex_dir / "bad.toml").write_text((SHIPPED / "09-gd-iterations.toml").read_text().replace("[check]", "[check]\ndirecton = \"<=\""))
    sub = tmp_path / "s.csv"
    sub.write_text("student,exercise,answer\nann,largest-step-size,1/L\nbob,gd-iterations,1\n")
    out = tmp_path / "out"
    assert grade_main([str(ex_dir), str(sub), "-o", str(out)]) == 3
    assert "ann,largest-step-size,1,correct" in (out / "gradebook.csv").read_text()


def test_notation_rewrites_touch_only_what_they_say() -> None:
    from symbolic.parsing.notation import (
        chained_interval,
        french_interval,
        plus_minus_variants,
        strip_full_stop,
        whole_equation,
    )

    assert strip_full_stop("1/L.") == "1/L" and strip_full_stop("0.5") == "0.5" and strip_full_stop("$1/L$.") == "$1/L$"
    assert french_interval("]0, 2[") == "(0, 2)" and french_interval("[0, 2[") == "[0, 2)" and french_interval("[0, 2]") == "[0, 2]"
    assert french_interval("[[1, 2], [3, 4]]") == "[[1, 2], [3, 4]]"
    assert plus_minus_variants("{±1}") == ("{+1}", "{-1}") and plus_minus_variants("1/L") is None
    assert plus_minus_variants("1+-2") is None  # 1 + (-2)
    assert french_interval("]0, 1[ U ]2, 3]") == "(0, 1) U (2, 3]"
    with pytest.raises(ParseError):
        plus_minus_variants("±1 ± 2")
    assert chained_interval("0 < g <= 2/L") == ("0", "g", "2/L", True, False)
    assert chained_interval("2/L > g > 0") == ("0", "g", "2/L", True, True)
    assert chained_interval("0 < g > 1") is None
    assert whole_equation("theta = 2/3") == "theta" and whole_equation("2/3") is None and whole_equation("x <= 1") is None


def test_every_refusal_says_how_to_write_the_answer() -> None:
    for eid, answer in [("largest-step-size", "1/2L"), ("quadratic-convergent-steps", "(0, 2"), ("subdifferential-limiting", "{1, -1")]:
        r = grade(eid, answer)
        assert r.verdict == "invalid" and "(write " in r.feedback, r.feedback
