"""The engine never gives a false ``proved``, ``certified``, ``checked`` or ``refuted``.

Each test below is a reproducer of a false verdict the engine used to give through its
Python API (or of a crash where a verdict was due); the verdict it used to give is named
in the docstring.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case, CheckSettings, Claim, Derivation, Identity, Implication, Step, Verdict

S = CheckSettings()
x = sp.Symbol("x", real=True)
xpos = sp.Symbol("x", positive=True)
n = sp.Symbol("n", integer=True)


# ------------------------------------------------------------------ Identity


def test_identity_instances_respect_integer_assumptions() -> None:
    """floor(n/2) + ceil(n/2) = n holds for every integer n; it was refuted at n = 1/3."""
    out = Identity("floor + ceil", sp.floor(n / 2) + sp.ceiling(n / 2), n).run(S)
    assert out.verdict is not Verdict.REFUTED
    wrong = Identity("floor + ceil, off by one", sp.floor(n / 2) + sp.ceiling(n / 2), n + 1).run(S)
    assert wrong.verdict is Verdict.REFUTED
    assert sp.Rational(wrong.evidence.counterexample["n"]).is_integer


def test_identity_with_floats_is_neither_proved_nor_refuted() -> None:
    """0.1*3 = 0.3 was refuted (binary rounding), with both sides printed as 0.300000000000000."""
    out = Identity("tenths", sp.Float(0.1) * 3, sp.Float(0.3)).run(S)
    assert out.verdict is Verdict.UNDECIDED
    assert "float" in out.evidence.details


def test_identity_with_two_symbols_of_one_name_is_ambiguous() -> None:
    """A positive x and a real x are different sympy symbols printed alike; x = x was refuted."""
    out = Identity("x = x", xpos, x).run(S)
    assert out.verdict is Verdict.UNDECIDED
    assert "'x'" in out.evidence.details


def test_identity_counterexample_is_exact_or_a_ball() -> None:
    """A refutation names a value that is certainly nonzero (exact rational or an Arb ball)."""
    out = Identity("sqrt(x^2) = x", sp.sqrt(x**2), x).run(S)
    assert out.verdict is Verdict.REFUTED
    ce = out.evidence.counterexample
    assert sp.Rational(ce["lhs - rhs"]) != 0 and sp.Rational(ce["x"]) < 0


# ------------------------------------------------------------------ Implication (z3)


def test_implication_two_symbols_of_one_name_are_not_merged() -> None:
    """x positive and x real shared one z3 variable: 'x < 1 => x > 0' was proved."""
    out = Implication("merged", [xpos < 1], x > 0).run(S)
    assert out.verdict is Verdict.UNDECIDED
    assert "both named 'x'" in out.evidence.details


def test_auxiliary_variables_cannot_be_named_by_the_user() -> None:
    """A user symbol named _aux1 was the root's auxiliary variable: 'sqrt(x) <= x + 1 => _aux1 >= 0' was proved."""
    aux = sp.Symbol("_aux1", real=True)
    out = Implication("aux", [sp.sqrt(xpos) <= xpos + 1], aux >= 0).run(S)
    assert out.verdict is Verdict.REFUTED
    assert sp.Rational(out.evidence.counterexample["_aux1"]) < 0


def test_model_outside_the_symbols_assumptions_is_not_a_counterexample() -> None:
    """n > 0 => n >= 1 holds for integers; it was refuted at z3's real model n = 1/2."""
    out = Implication("integers", [n > 0], n >= 1).run(S)
    assert out.verdict is not Verdict.REFUTED


def test_division_by_zero_in_a_model_is_not_a_counterexample() -> None:
    """1/x != 2 => x != 0 holds wherever 1/x is defined; it was refuted at x = 0 (1/0 = zoo != 2)."""
    out = Implication("pole", [sp.Ne(1 / x, 2)], sp.Ne(x, 0)).run(S)
    assert out.verdict is not Verdict.REFUTED
    # and a pole in a comparison is a verdict, not a crash (was: TypeError on zoo >= 0)
    assert Implication("pole 2", [x >= 0], 1 / x >= 0).run(S).verdict is Verdict.UNDECIDED


def test_roots_of_possibly_negative_radicands_are_not_proved() -> None:
    """The radicand was assumed nonnegative globally: 'x < 1 => cbrt(x) >= 0' (false for the
    real cube root, at x = -8) and the vacuous 'x < 0 => sqrt(x) > 5' were proved."""
    assert Implication("cbrt", [x < 1], x ** sp.Rational(1, 3) >= 0).run(S).verdict is Verdict.UNDECIDED
    assert Implication("vacuous", [x < 0], sp.sqrt(x) > 5).run(S).verdict is Verdict.UNDECIDED
    assert Implication("dead branch", [], sp.Or(x >= 0, sp.sqrt(x) < 0)).run(S).verdict is Verdict.UNDECIDED
    # radicands the hypotheses (or the assumptions) make nonnegative are still proved
    assert Implication("shifted", [x >= 1], sp.sqrt(x - 1) + 1 >= 1).run(S).verdict is Verdict.PROVED
    assert Implication("AM-GM", [x >= 0], sp.sqrt(x) <= (x + 1) / 2).run(S).verdict is Verdict.PROVED
    out = Implication("wrong", [x >= 0], sp.sqrt(x) >= x).run(S)
    assert out.verdict is Verdict.REFUTED
    v = sp.Rational(out.evidence.counterexample["x"])
    assert v >= 0 and sp.sqrt(v) < v


def test_boolean_connectives_and_constants_are_translated() -> None:
    """Implies and a Python bool crashed (AttributeError) instead of giving a verdict."""
    assert Implication("implies", [sp.Implies(x > 0, x > 1)], sp.Or(x <= 0, x > 1)).run(S).verdict is Verdict.PROVED
    assert Implication("bool", [True], x**2 + 1 > 0).run(S).verdict is Verdict.PROVED


# ------------------------------------------------------------------ Derivation

a, b = sp.symbols("a b", positive=True)


def test_chain_going_up_and_down_is_not_proved() -> None:
    """a <= a + b >= b: every step proved, no relation between a and b; it was proved."""
    d = Derivation(
        "up and down",
        a,
        [
            Step("<=", a + b, "b > 0", check=Implication("s1", [], a <= a + b)),
            Step(">=", b, "a > 0", check=Implication("s2", [], a + b >= b)),
        ],
    )
    out = d.run(S)
    assert [o.verdict for _, o in out.parts] == [Verdict.PROVED, Verdict.PROVED]
    assert out.verdict is Verdict.UNDECIDED


def test_strict_step_needs_a_strict_check() -> None:
    """A step 'a < a' justified by the identity a = a (or by a non-strict claim) was proved."""
    d = Derivation("a < a", a, [Step("<", a, "identity", check=Identity("s", a, a))], conclusion="<")
    out = d.run(S)
    assert out.verdict is Verdict.UNDECIDED
    assert "strict" in out.parts[0][1].evidence.details
    nonstrict = Implication("s", [], x**2 + 1 >= 2 * x)  # tight at x = 1: the strict step is false there
    assert nonstrict.run(S).verdict is Verdict.PROVED
    assert Derivation("d2", 2 * x, [Step("<", x**2 + 1, "AM-GM", check=nonstrict)]).run(S).verdict is Verdict.UNDECIDED
    strict = Implication("s", [], x**2 + 2 > 2 * x)
    assert Derivation("d3", 2 * x, [Step("<", x**2 + 2, "AM-GM", check=strict)]).run(S).verdict is Verdict.PROVED
    equality_by_inequality = Derivation("d4", 2 * x, [Step("=", x**2 + 1, "?", check=nonstrict)])
    assert equality_by_inequality.run(S).verdict is Verdict.UNDECIDED


# ------------------------------------------------------------------ Claim

t_cases = st.fractions(Fraction(1), Fraction(2)).map(lambda v: Case(params={"t": v}))
NO_LOCAL = CheckSettings(examples=20, local_search=0)


def test_margins_that_cannot_be_evaluated_are_not_passing_samples() -> None:
    """Every evaluation raised (1/0): the claim was 'checked' on 30 samples, smallest margin inf."""
    c = Claim("1/(t - t) >= 0", cases=t_cases, margin=lambda k, B: B.num(1) / (k.p(B, "t") - k.p(B, "t")))
    out = c.run(NO_LOCAL)
    assert out.verdict is Verdict.UNDECIDED
    assert out.evidence.samples == 0


def test_complex_and_infinite_margins_are_not_passing_samples() -> None:
    """sqrt(-t) (complex in mpmath) crashed the search; log(0) + 10^9 (-inf) was 'checked'."""
    sq = Claim("sqrt(-t) >= 0", cases=t_cases, margin=lambda k, B: B.sqrt(-k.p(B, "t")))
    assert sq.run(NO_LOCAL).verdict is Verdict.UNDECIDED
    at_one = st.just(Case(params={"t": Fraction(1)}))
    log0 = Claim("log(t - 1) >= -10^9", cases=at_one, margin=lambda k, B: B.log(k.p(B, "t") - 1) + 10**9)
    assert log0.run(NO_LOCAL).verdict is Verdict.UNDECIDED


def test_finite_margins_beyond_float_range_count_as_samples() -> None:
    """a^100 at a ~ 10^60 is finite but not a float: such cases were dropped as 'not a real number'."""
    big = st.integers(10**50, 10**60).map(lambda n: Case(params={"a": Fraction(n)}))
    holds = Claim("a^100 >= 0", cases=big, margin=lambda k, B: B.ipow(k.p(B, "a"), 100))
    out = holds.run(NO_LOCAL)
    assert out.verdict is Verdict.CHECKED and out.evidence.samples > 0
    fails = Claim("a^100 <= 10^100", cases=big, margin=lambda k, B: B.num(Fraction(10**100)) - B.ipow(k.p(B, "a"), 100))
    assert fails.run(NO_LOCAL).verdict is Verdict.REFUTED


def test_positive_margin_within_rounding_is_decided_by_balls() -> None:
    """margin = e - 2((1 + e) - 1) = -e at e = 10^-60 is +e at 50 digits; it was 'checked'."""
    eps = Fraction(1, 10**60)
    c = Claim("e >= 2((1+e)-1)", cases=st.just(Case(params={"e": eps})), margin=lambda k, B: k.p(B, "e") - 2 * ((1 + k.p(B, "e")) - 1))
    out = c.run(NO_LOCAL)
    assert out.verdict is Verdict.REFUTED
    e = Fraction(out.evidence.counterexample["params"]["e"])
    assert e - 2 * ((1 + e) - 1) < 0  # exact
