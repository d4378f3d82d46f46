"""The engine's ExactCases and LazyIdentity (moved from the sgdloj catalogue): they refute wrong variants."""

from __future__ import annotations

from fractions import Fraction as Q
from typing import Any

import sympy as sp

from symbolic import CheckSettings, Verdict
from symbolic.backends import Backend, Number
from symbolic.exact_cases import ExactCases
from symbolic.lazy_identity import LazyIdentity

S = CheckSettings(examples=10, local_search=0)


def _squares() -> list[dict[str, Any]]:
    return [{"n": Q(n, 7)} for n in range(-20, 21)]


def _margin(factor: Q) -> Any:
    """factor * n^2 - n^2 / 2 >= 0 (true for factor >= 1/2)."""

    def margin(c: dict[str, Any], B: Backend) -> Number:
        return B.num(factor * c["n"] ** 2 - c["n"] ** 2 / 2)

    return margin


def test_exact_cases_checks_but_never_proves() -> None:
    out = ExactCases("n^2/2 <= n^2", _squares, _margin(Q(1))).run(S)
    assert out.verdict is Verdict.CHECKED
    assert out.evidence.samples == 41


def test_exact_cases_refutes_a_wrong_constant_with_the_case() -> None:
    out = ExactCases("n^2/2 <= 2n^2/5 (wrong)", _squares, _margin(Q(2, 5))).run(S)
    assert out.verdict is Verdict.REFUTED
    assert out.evidence.counterexample is not None and out.evidence.counterexample["n"] == "-20/7"


def test_exact_cases_strict_margin_zero_refutes() -> None:
    out = ExactCases("n^2/2 < n^2/2 (strict)", _squares, _margin(Q(1, 2)), strict=True).run(S)
    assert out.verdict is Verdict.REFUTED


def test_lazy_identity_builds_in_the_check() -> None:
    x = sp.Symbol("x", positive=True)
    built: list[int] = []

    def sides() -> tuple[sp.Expr, sp.Expr]:
        built.append(1)
        return sp.integrate(2 * x, (x, 0, 1)), sp.Integer(1)

    ident = LazyIdentity("int_0^1 2x dx = 1", sides, statement=r"\int_0^12x\,dx=1")
    assert built == [] and not ident.equal_when_built
    assert ident.run(S).verdict is Verdict.PROVED
    assert built == [1]
    wrong = LazyIdentity("int_0^1 2x dx = 2 (wrong)", lambda: (sp.integrate(2 * x, (x, 0, 1)), sp.Integer(2)), statement="")
    assert wrong.run(S).verdict is Verdict.REFUTED
