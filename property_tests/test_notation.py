"""The engine's notation (symbolic/notation): margins compiled from text equal the hand-written
ones in Arb, mutants are refuted, the LaTeX comes from the same expression, bad text is refused."""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic import ArbBackend, Case, CheckSettings, arb_precision
from symbolic.families import quadratics
from symbolic.notation import Notation, NotationClaim, NotationError
from symbolic.verdicts import Verdict
from theorems.cases import objective_cases
from theorems.catalogue._shared import gradient_map as gm

S = CheckSettings(examples=40, local_search=2)
BITS = 256


def _same_ball(a: object, b: object) -> bool:
    if not (a.is_finite() and b.is_finite()):  # type: ignore[attr-defined]
        return str(a) == str(b)  # both nan: a norm of a ball that contains 0 (x = y)
    d = a - b  # type: ignore[operator]
    return abs(float(d.mid())) < 1e-60 and float(d.rad()) < 1e-60


# ------------------------------------------------------------------ equal to the hand-written margins
# the margins the gradient-map entries computed by hand before they were written in notation


def _jacobian(c: Case, B: Any) -> list[list[Any]]:
    assert c.objective is not None
    H = c.objective.hess(B, c.x(B))
    a = c.p(B, "alpha")
    return [[(B.num(1) if i == j else B.num(0)) - a * H[i][j] for j in range(len(H))] for i in range(len(H))]


def _lambda_min_jacobian(c: Case, B: Any) -> Any:
    return B.lambda_min(_jacobian(c, B))


def _det_jacobian(c: Case, B: Any) -> Any:
    J = _jacobian(c, B)
    if len(J) == 1:
        return J[0][0]
    if len(J) == 2:
        return J[0][0] * J[1][1] - J[0][1] * J[1][0]
    return (
        J[0][0] * (J[1][1] * J[2][2] - J[1][2] * J[2][1])
        - J[0][1] * (J[1][0] * J[2][2] - J[1][2] * J[2][0])
        + J[0][2] * (J[1][0] * J[2][1] - J[1][1] * J[2][0])
    )


def _T(c: Case, B: Any, point: str) -> list[Any]:
    assert c.objective is not None
    return c.objective.gradient_step(B, c.x(B, point), c.p(B, "alpha"))


def _grad_difference(c: Case, B: Any) -> Any:
    assert c.objective is not None
    f = c.objective
    return c.p(B, "alpha") * B.norm(B.sub(f.grad(B, c.x(B, "x")), f.grad(B, c.x(B, "y"))))


def _L_alpha_distance(c: Case, B: Any) -> Any:
    assert c.objective is not None and c.objective.constants.L is not None
    return B.num(c.objective.constants.L) * c.p(B, "alpha") * B.norm(B.sub(c.x(B, "x"), c.x(B, "y")))


PAIR = Notation(
    "norm(gradstep(x, alpha) - gradstep(y, alpha)) >= (1 - alpha*L)*norm(x - y)",
    points=("x", "y"),
    params=("alpha",),
)
LIPSCHITZ = Notation("alpha*norm(grad(x) - grad(y)) <= L*alpha*norm(x - y)", points=("x", "y"), params=("alpha",))
JACOBIAN = Notation("lambda_min(I - alpha*hess(x)) > 0", params=("alpha",))
DET = Notation("det(I - gamma*hess(theta)) > 0", points=("theta",), params=("gamma",), case_names={"theta": "x", "gamma": "alpha"})


@settings(max_examples=8, deadline=None, database=None)
@given(gm.pair_cases)
def test_pair_margins_equal_the_hand_written_ones_in_arb(c: Case) -> None:
    B = ArbBackend(BITS)
    with arb_precision(BITS):
        lhs, rhs = PAIR.sides(c, B)
        assert _same_ball(lhs, B.norm(B.sub(_T(c, B, "x"), _T(c, B, "y"))))
        assert c.objective is not None and c.objective.constants.L is not None
        assert _same_ball(rhs, (B.num(1) - B.num(c.objective.constants.L) * c.p(B, "alpha")) * B.norm(B.sub(c.x(B, "x"), c.x(B, "y"))))
        lhs, rhs = LIPSCHITZ.sides(c, B)
        assert _same_ball(lhs, _grad_difference(c, B))
        assert _same_ball(rhs, _L_alpha_distance(c, B))


@settings(max_examples=4, deadline=None, database=None)
@given(gm.step_cases)
def test_matrix_margins_equal_the_hand_written_ones_in_arb(c: Case) -> None:
    B = ArbBackend(BITS)
    with arb_precision(BITS):
        assert _same_ball(JACOBIAN.margin(c, B), _lambda_min_jacobian(c, B))
        assert _same_ball(DET.margin(c, B), _det_jacobian(c, B))


def _quadratic() -> Any:
    found: list[Any] = []

    @settings(max_examples=1, database=None)
    @given(quadratics(dim=1))
    def draw(f: object) -> None:
        found.append(f)

    draw()
    return found[0]


def test_a_supplied_function_and_its_derivative() -> None:
    t = sympy.Symbol("t", positive=True)
    n = Notation("phi'(F(x)) * gradnorm(x) >= phi(F(x))", functions={"phi": (t, t ** sympy.Rational(1, 2))})
    f = _quadratic()
    c = Case(objective=f, points={"x": (Q(1, 3),)})
    B = ArbBackend(BITS)
    with arb_precision(BITS):
        lhs, rhs = n.sides(c, B)
        F = f.value(B, c.x(B))
        g = B.norm(f.grad(B, c.x(B)))
        assert _same_ball(lhs, g / (2 * B.sqrt(F)))
        assert _same_ball(rhs, B.sqrt(F))
    assert r"\phi'\left(F(x)\right)" in n.latex()


# ------------------------------------------------------------------ the LaTeX is the expression's


def test_latex_is_rendered_from_the_same_expression() -> None:
    c = NotationClaim("gradient inequality", "gradnorm(x)^2 <= 2*L*(F(x) - lower)", cases=st.nothing())
    assert c.statement == r"{\|\nabla F(x)\|}^{2} \le 2 L \left(F(x) - \underline{F}\right)"
    assert c.text == "gradnorm(x)^2 <= 2*L*(F(x) - lower)"
    j = NotationClaim("jacobian", "lambda_min(I - alpha*hess(x)) > 0", cases=st.nothing(), params=("alpha",), domain=r"\forall x")
    assert j.statement == r"\lambda_{\min}\big(I - \alpha \nabla^2F(x)\big) > 0 \quad \forall x"


# ------------------------------------------------------------------ every check can fail


def test_the_stated_claims_hold_and_mutants_are_refuted() -> None:
    text = "norm(gradstep(x, alpha) - gradstep(y, alpha)) >= (1 - alpha*L)*norm(x - y)"
    kw = {"cases": gm.pair_cases, "points": ("x", "y"), "params": ("alpha",)}
    assert NotationClaim("stated", text, **kw).run(S).verdict is Verdict.CHECKED  # type: ignore[arg-type]
    for mutant in (
        text.replace("alpha*L", "alpha*L/2"),  # a constant halved
        text.replace(">=", "<="),  # the relation flipped
    ):
        out = NotationClaim("mutant", mutant, **kw).run(S)  # type: ignore[arg-type]
        assert out.verdict is Verdict.REFUTED, mutant
    out = NotationClaim("large step", "lambda_min(I - alpha*hess(x)) > 0", cases=gm.large_step_cases, params=("alpha",)).run(S)
    assert out.verdict is Verdict.REFUTED  # the hypothesis alpha < 1/L dropped


def test_hypotheses_in_notation_restrict_the_cases() -> None:
    # with the hypothesis alpha*L <= 1/2 the factor 1/2 is a valid bound; without it, not
    kw = {"cases": gm.pair_cases, "points": ("x", "y"), "params": ("alpha",)}
    text = "norm(gradstep(x, alpha) - gradstep(y, alpha)) >= norm(x - y)/2"
    assert NotationClaim("with", text, hypotheses=["alpha*L <= 1/2"], **kw).run(S).verdict is Verdict.CHECKED  # type: ignore[arg-type]
    assert NotationClaim("without", text, **kw).run(S).verdict is Verdict.REFUTED  # type: ignore[arg-type]


# ------------------------------------------------------------------ bad text is refused, never evaluated


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("grad(x) >= 0", "is a vector"),
        ("hess(x) >= 0", "is a matrix"),
        ("norm(x*y) >= 0", "must be a vector"),
        ("norm(hess(x)) >= 0", "must be a vector"),
        ("det(x) >= 0", "must be a matrix"),
        ("I >= 0", "identity matrix"),
        ("component(x, 0) >= 0", "positive integer"),
        ("norm(x) + 1", "relation"),
        ("psi'(F(x)) >= 0", "psi"),
        ("__import__('os') >= 0", "."),
        ("norm(norm(x)*x) >= 0", "cannot contain"),
        ("norm((x + y)^100) >= 0", "must be a vector"),  # refused without multiplying it out
    ],
)
def test_bad_text_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(NotationError, match=message):
        Notation(text, points=("x", "y"))


def test_a_hostile_coefficient_is_not_multiplied_out() -> None:
    import time

    start = time.process_time()
    Notation("norm((a + b + c + d + f + g + h + k)^100*x) >= 0", params=tuple("abcdfghk"))
    assert time.process_time() - start < 5


def test_claim_files_can_use_vectors_and_matrices() -> None:
    from theorems.userclaims import parse_claim

    data = {
        "name": "gradient map is injective", "family": "quadratics", "points": ["x", "y"],
        "parameters": {"a": {"min": "0", "max": "1/L"}},
        "conclusion": "norm(gradstep(x, a) - gradstep(y, a)) >= (1 - a*L)*norm(x - y)",
    }
    uc = parse_claim(data)
    assert uc.claim.run(CheckSettings(examples=20, local_search=1)).verdict is Verdict.CHECKED
    data["conclusion"] = "norm(gradstep(x, a) - gradstep(y, a)) >= (1 - a*L/2)*norm(x - y)"
    assert parse_claim(data).claim.run(CheckSettings(examples=20, local_search=1)).verdict is Verdict.REFUTED


def test_docs_list_every_name_of_the_registry() -> None:
    from pathlib import Path

    from symbolic.notation import CONSTANTS, POINT_FUNCTIONS, REDUCERS

    page = (Path(__file__).resolve().parents[1] / "docs" / "notation.md").read_text(encoding="utf-8")
    for name in [*POINT_FUNCTIONS, *REDUCERS, *CONSTANTS, "I"]:
        assert f"`{name}" in page, f"docs/notation.md does not list {name}"


def test_terminal_json_and_latex_show_one_statement(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from symbolic.latex import render_check
    from theorems import cli
    from theorems.registry import get

    entry = get("bruna.gd-jacobian-nonsingular")
    claim = entry.checks[0]
    assert isinstance(claim, NotationClaim)
    assert claim.statement.startswith(r"\det\big(I - \gamma \nabla^2g(\theta)\big) > 0")
    assert cli.main(["check", entry.id, "--json", "--jobs", "1"]) == 0
    rows = json.loads(capsys.readouterr().out)
    row = next(r for r in rows if r["check"] == claim.name)
    assert row["statement"] == claim.statement and row["notation"] == "det(I - gamma*hess(theta)) > 0"
    assert claim.statement in render_check(claim)  # the LaTeX document
    assert cli.main(["show", entry.id]) in (0, None)
    assert claim.statement in capsys.readouterr().out.replace("\n", "")  # the terminal


def test_sums_over_a_fixed_range_are_expanded_and_can_fail() -> None:
    cases = objective_cases(quadratics(), points=("x",))
    text = "sum(gradnorm(x)^2/2^k, k, 1, 5) <= gradnorm(x)^2"  # 31/32 of it
    ok = NotationClaim("geometric sum", text, cases=cases, indices=("k",))
    assert ok.statement == r"\sum_{k=1}^{5} 2^{- k} {\|\nabla F(x)\|}^{2} \le {\|\nabla F(x)\|}^{2}"
    assert ok.run(S).verdict is Verdict.CHECKED
    mutant = NotationClaim("one term too many", text.replace("k, 1, 5", "k, 0, 5"), cases=cases, indices=("k",))
    assert mutant.run(S).verdict is Verdict.REFUTED  # 63/32 of it
    with pytest.raises(NotationError, match="only appear inside sum"):
        Notation("k*F(x) >= 0", indices=("k",))
