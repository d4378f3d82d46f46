"""Exact ties: a margin whose Arb ball contains 0 at a rational point is decided exactly
(symbolic.exact_ties), never reported from a ball that cannot settle it."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from symbolic import Case, CheckSettings, Verdict
from symbolic.exact_ties import ExactBackend, decide_tie, exact_sign
from theorems.userclaims import parse_claim

FAST = CheckSettings(examples=40)
POSITIVE = {"min": "0"}


def _claim(conclusion: str, names: str = "abc") -> object:
    return parse_claim({"name": "tie", "conclusion": conclusion, "parameters": {n: POSITIVE for n in names}}).claim


def _at(value: Fraction, names: str = "abc") -> Case:
    return Case(params={n: value for n in names})


def test_amgm_strict_is_refuted_exactly_at_the_issue_point() -> None:
    claim = _claim("(a+b+c)/3 > (a*b*c)^(1/3)")
    decided, text = claim.confirm(_at(Fraction(1, 100)), FAST)  # type: ignore[attr-defined]
    assert decided is False and text.startswith("exact") and "exactly 0" in text


def test_amgm_strict_search_says_refuted_with_exact_evidence() -> None:
    out = _claim("(a+b+c)/3 > (a*b*c)^(1/3)").run(FAST)  # type: ignore[attr-defined]
    assert out.verdict is Verdict.REFUTED
    assert "exact" in out.evidence.method and "exactly 0" in out.evidence.details
    ce = out.evidence.counterexample
    assert ce is not None and len(set(ce["params"].values())) == 1  # a tie: a = b = c


def test_amgm_nonstrict_tie_holds_exactly_and_the_claim_stays_checked() -> None:
    claim = _claim("(a+b+c)/3 >= (a*b*c)^(1/3)")
    decided, text = claim.confirm(_at(Fraction(1, 100)), FAST)  # type: ignore[attr-defined]
    assert decided is True and text.startswith("exact")
    assert claim.run(FAST).verdict is Verdict.CHECKED  # type: ignore[attr-defined]


def test_a_nested_radical_tie_needs_the_minimal_polynomial() -> None:
    # sqrt(2) + sqrt(3) = sqrt(5 + 2 sqrt 6): sympy does not denest it on construction
    claim = _claim("sqrt(a) + sqrt(b) > sqrt(a + b + 2*sqrt(a*b))", "ab")
    decided, text = claim.confirm(Case(params={"a": Fraction(2), "b": Fraction(3)}), FAST)  # type: ignore[attr-defined]
    assert decided is False and "minimal polynomial" in text


def test_a_near_tie_is_not_a_tie() -> None:
    # mutant of a tie: 10^-700 is below every ball tried (2048 bits) but not 0
    claim = _claim("(a^3)^(1/3) - a + (10^(-100))^7 > 0", "a")
    decided, text = claim.confirm(_at(Fraction(1, 3), "a"), FAST)  # type: ignore[attr-defined]
    assert decided is True and "exactly 1/1" in text
    flipped = _claim("(a^3)^(1/3) - a - (10^(-100))^7 >= 0", "a")
    decided, text = flipped.confirm(_at(Fraction(1, 3), "a"), FAST)  # type: ignore[attr-defined]
    assert decided is False and text.startswith("exact")


def test_exact_sign_refuses_what_it_cannot_decide() -> None:
    assert exact_sign(sympy.exp(sympy.Rational(1, 3)) - sympy.Rational(7, 5)).sign is None  # transcendental
    assert exact_sign(sympy.sqrt(2) - sympy.Rational(141, 100)).sign is None  # nonzero irrational: sign left to balls
    assert exact_sign(sympy.Rational(-1, 10**900)).sign == -1


def test_exact_backend_refuses_non_real_values() -> None:
    B = ExactBackend()
    decided, text = decide_tie(lambda c, B: B.sqrt(B.num(-1)) - B.num(0), Case(), strict=True)
    assert decided is None and "unavailable" in text
    assert B.rpow(B.num(Fraction(8, 27)), 1, 3) == sympy.Rational(2, 3)


def test_the_time_guard_stops_a_slow_exact_evaluation(monkeypatch: object) -> None:
    import time

    import symbolic.exact_ties as et

    monkeypatch.setattr(et, "TIME_LIMIT", 0.2)  # type: ignore[attr-defined]

    def slow(c: Case, B: object) -> object:
        time.sleep(5)
        return B.num(0)  # type: ignore[attr-defined]

    start = time.monotonic()
    decided, text = decide_tie(slow, Case(), strict=True)
    assert decided is None and "longer than" in text and time.monotonic() - start < 3


def test_radical_degree_guard() -> None:
    many = sum(sympy.Pow(sympy.Integer(p), sympy.Rational(1, 3)) for p in (2, 3, 5, 7, 11))  # degree 3^5 = 243
    out = exact_sign(many - sympy.Rational(1234, 100))
    assert out.sign is None and "radical degree" in out.text


def test_signs_come_from_arb_balls_and_fall_back_to_sympy_on_a_tie() -> None:
    """abs, max, min, sqrt and log decide signs from an Arb ball when it excludes 0: the result
    is the exact value (not a float); a value whose ball contains 0 goes to sympy's own Abs."""
    from symbolic.exact_ties import _sign

    B = ExactBackend()
    r2, r3 = sympy.sqrt(2), sympy.sqrt(3)
    assert B.abs(r2 - sympy.Rational(3, 2)) == sympy.Rational(3, 2) - r2
    assert B.max(r2, sympy.Rational(7, 5)) == r2 and B.min(r2, sympy.Rational(7, 5)) == sympy.Rational(7, 5)
    assert B.max(sympy.Rational(10, 7), r2) == sympy.Rational(10, 7)  # 1.42857 > 1.41421
    zero = sympy.expand((r2 + r3) ** 2) - 5 - 2 * sympy.sqrt(6)  # exactly 0, not simplified by sympy
    assert _sign(sympy.sqrt(6) * r2 - 2 * r3 + sympy.Rational(1, 10**40)) == 1
    assert _sign(zero) is None or zero == 0
    assert B.abs(zero) is not None  # decided by sympy's Abs: no sign invented
    with pytest.raises(ValueError):
        B.sqrt(r2 - sympy.Rational(3, 2))  # negative, seen by the ball
    with pytest.raises(ValueError):
        B.log(sympy.Rational(7, 5) - r2)  # negative
