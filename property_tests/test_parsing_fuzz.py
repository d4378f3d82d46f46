"""Hostile inputs for the safe parser: every call either returns a bounded sympy object
or raises ParseError -- never another exception, never slowly."""

from __future__ import annotations

import time
from collections.abc import Callable
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbolic.parsing import (
    Limits,
    ParseError,
    Vocabulary,
    parse_expression,
    parse_interval,
    parse_matrix,
    parse_number,
    parse_relation,
    parse_set,
    to_plain,
)

V = Vocabulary.of("t", "c", "L", "x", "alpha", "lambda", positive=True)
t, c, L, x = (V.symbols[n] for n in ("t", "c", "L", "x"))
PARSERS = [parse_expression, parse_relation, parse_matrix, parse_interval, parse_set, parse_number]
# A guard against hangs and blow-ups, not a speed goal: parses take milliseconds to a quarter
# second on a quiet machine; the bound leaves room for a loaded 2-core CI runner and stays far
# below the grader's per-answer time limit (20 s). Parser speed is measured in benchmarks/.
TIME_LIMIT = 3.0


def outcome(fn, text, **kwargs):
    """Run one parse, measuring time; return the result or the ParseError."""
    start = time.perf_counter()
    try:
        result = fn(text, V, **kwargs)
    except ParseError as err:
        result = err
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"{fn.__name__}({text[:60]!r}) took {elapsed:.2f}s"
    if isinstance(result, ParseError):
        # never an internal failure disguised as a ParseError
        assert not result.message.startswith("cannot build"), result.message
        assert result.position is None or 0 <= result.position <= len(text)
        str(result)  # rendering must not fail
    return result


def assert_rejected(text: str, needle: str = "", fn=parse_expression) -> ParseError:
    result = outcome(fn, text)
    assert isinstance(result, ParseError), f"{text[:60]!r} was accepted as {result!r}"
    assert needle.lower() in result.message.lower(), result.message
    return result


HOSTILE = [
    ("__import__('os').system('ls')", "'_'"),
    ("().__class__.__bases__", "unexpected character '.'"),
    ("lambda: 0", "':'"),
    ("exec", "unknown name 'exec'"),
    ("eval('1')", "unexpected character"),
    ("x.__class__", "'.'"),
    ("open('/etc/passwd').read()", "unexpected character"),
    ("t; import os", "';'"),
    ("9^9^9^9", "exponent 387420489 is too large"),
    ("2**2**2**2**2**2", "exponent 65536 is too large"),
    ("10^100000", "exponent 100000 is too large"),
    ("10^10^10", "too large"),
    ("2^100000", "too large"),
    ("x^(10^10)", "too large"),
    ("exp(exp(exp(10)))", "exponent"),
    ("(9^999)^9", "too large"),
    ("((t^999)^999)", "too large"),
    ("x^999*x^999", "too large"),
    ("2^(1/10000)", "denominator"),
    ("(" * 10000 + "t" + ")" * 10000, "too long"),
    ("(" * 990 + "t" + ")" * 990, "nested too deeply"),
    ("(" * 60 + "t" + ")" * 60, "nested too deeply"),
    (")" * 1000, "unexpected ')'"),
    ("(" * 1000, "nested too deeply"),
    ("1" * 10**6, "too long"),
    ("1" * 61, "digits"),
    ("1e999999", "too large"),
    ("t+" * 2500 + "t", "too long"),
    ("-" * 1999 + "t", ""),  # a long sign chain is fine or rejected, but never recursive
    ("t" + "^t" * 100, "nested too deeply"),
    ("\\frac{" * 100 + "1" + "}{2}" * 100, "nested too deeply"),
    ("\\sqrt{" * 100 + "2" + "}" * 100, "nested too deeply"),
    ("|" * 100, "ambiguous"),
    ("\\def\\x{1} \\x", "unknown latex command '\\def'"),
    ("\\input{/etc/passwd}", "unknown latex command '\\input'"),
    ("\\newcommand{\\x}{1}", "unknown latex command '\\newcommand'"),
    ("\\csname x\\endcsname", "unknown latex command"),
    ("\\catcode`\\^=7", "unexpected character '`'"),
    ("\\text{\\input{x}}", "letters"),
    ("\uff58", "U+FF58"),  # fullwidth x
    ("\u0445", "U+0445"),  # Cyrillic ha, looks like x
    ("\u0430 + t", "U+0430"),  # Cyrillic a
    ("t\u202e", "U+202E"),  # right-to-left override
    ("t\u200b", "U+200B"),  # zero-width space
    ("x\x00", "U+0000"),
    ("\ufeff t", "U+FEFF"),  # byte-order mark
    ("\uff11 + 1", "U+FF11"),  # fullwidth digit one
    ("x\u00b2", "U+00B2"),  # superscript two
    ("\u00b5", "U+00B5"),  # micro sign: NFKC would make it Greek mu
    ("\u2170", "U+2170"),  # small roman numeral one: NFKC would make it 'i'
    ("\ufb01", "U+FB01"),  # 'fi' ligature
    ("t\u0301", "U+0301"),  # combining accent
    ("", "empty answer"),
    ("   ", "empty answer"),
    ("\n\t", "empty answer"),
    ("1/0", "division by zero"),
    ("0^-1", "division by zero"),
    ("1/(t-t)", "division by zero"),
    ("log(0)", "division by zero"),
    ("sqrt()", "takes 1 argument, got 0"),
    ("sin(,)", "unexpected ','"),
    ("sin(t,)", "unexpected ')'"),
    ("||x||", "ambiguous"),
    ("|x|t|", "end of input"),
    ("\\|x\\|", "norm"),
    ("x(t)", "ambiguous"),
    ("\\left. t \\right|", "invisible"),
    ("t^", "unexpected end of input"),
    ("\\", "end of the input"),
    ("{", "never closed"),
    ("}", "unexpected '}'"),
    ("[[1,2],[3,4]]", "expected ']'"),
    ("oo", "unknown name 'oo'"),
    ("\\infty", "interval"),
    ("'t'", "unexpected character"),
    ('"t"', "unexpected character"),
    ("t # comment", "unexpected character '#'"),
    ("t % 2", "unexpected character '%'"),
    ("`t`", "unexpected character"),
    ("t\\\\c", "unexpected"),
    ("t & c", "unexpected '&'"),
]


@pytest.mark.parametrize(("text", "needle"), HOSTILE, ids=lambda v: repr(v)[:40])
def test_hostile_inputs_are_rejected_quickly(text: str, needle: str) -> None:
    if text.startswith("-" * 10):
        result = outcome(parse_expression, text)
        assert result == -t or isinstance(result, ParseError)
        return
    assert_rejected(text, needle)


@pytest.mark.parametrize(("text", "needle"), HOSTILE[:40], ids=lambda v: repr(v)[:40])
def test_hostile_inputs_for_every_entry_point(text: str, needle: str) -> None:
    for fn in PARSERS:
        result = outcome(fn, text)
        if fn is parse_expression and text.startswith("-" * 10):
            assert result == -t or isinstance(result, ParseError)  # a long sign chain may be read
        else:
            assert isinstance(result, ParseError), (fn.__name__, result)


def test_bounded_values_are_accepted() -> None:
    assert outcome(parse_expression, "2^1000") == sympy.Integer(2) ** 1000
    assert outcome(parse_expression, "9^9^2") == sympy.Integer(9) ** 81
    assert outcome(parse_expression, "x^(1/3)") == x ** sympy.Rational(1, 3)
    assert outcome(parse_expression, "exp(-1000 t)") == sympy.exp(-1000 * t)
    assert outcome(parse_expression, "(" * 40 + "t" + ")" * 40) == t
    assert outcome(parse_expression, "1" * 60) == sympy.Integer("1" * 60)
    long_sum = "+".join(["t"] * 900)
    assert outcome(parse_expression, long_sum) == 900 * t


def test_many_large_factors_are_rejected_before_multiplying() -> None:
    text = "*".join(["9^999"] * 300)
    assert len(text) < 2000
    assert_rejected(text, "too large")


def _max_calls(tv: Fraction, cv: Fraction) -> Fraction:
    return sum((max(tv**j, tv ** (j + 1) + cv, tv ** (j + 2) + j * cv) for j in range(40)), Fraction(0))


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("+".join(f"|t-{i}|" for i in range(250)), "too many function applications"),  # ~3 ms per Abs
        ("max(" + ",".join(f"t^{i}" for i in range(1, 200)) + ")", "takes 2 to 8 arguments"),
        ("+".join(f"max(t^{j}, t^{j + 1}+c, t^{j + 2}+{j}*c)" for j in range(40)), _max_calls),
        ("*".join(f"sqrt({10**20 + i})" for i in range(60)), "too many function applications"),
        ("*".join(f"{10**20 + i}^(1/3)" for i in range(60)), "too many function applications"),
    ],
    ids=["abs", "max-many-args", "max-many-calls", "sqrt", "roots"],
)
def test_costly_sympy_evaluations_are_bounded(text: str, expect: str | Callable[[Fraction, Fraction], Fraction]) -> None:
    """Each is refused with its reason or, within the time limit, read to the right value."""
    result = outcome(parse_expression, text[:2000])
    if isinstance(expect, str):
        assert isinstance(result, ParseError) and expect in result.message, result
        return
    assert not isinstance(result, ParseError), result
    for tv, cv in [(Fraction(1, 3), Fraction(1, 7)), (Fraction(3, 2), Fraction(-2, 5))]:
        value = result.subs({t: sympy.Rational(tv.numerator, tv.denominator), c: sympy.Rational(cv.numerator, cv.denominator)})
        assert value == sympy.Rational(expect(tv, cv).numerator, expect(tv, cv).denominator)


def test_huge_limits_still_never_raise_recursion_error() -> None:
    lax = Limits(max_length=10**6, max_depth=10**6, max_nodes=10**7)
    for text in ["(" * 50000 + "t" + ")" * 50000, "\\sqrt{" * 20000 + "t" + "}" * 20000]:
        start = time.perf_counter()
        with pytest.raises(ParseError) as info:
            parse_expression(text, V, limits=lax)
        assert time.perf_counter() - start < TIME_LIMIT
        assert "nested" in info.value.message


def test_unicode_letters_never_become_latin_names() -> None:
    # Greek letters on the whitelist map to their *names*; look-alikes are refused
    assert outcome(parse_expression, "\u03b1 t") == V.symbols["alpha"] * t
    for ch in ["\u03bf", "\u03bd", "\u03c1", "\u0391", "\u039f"]:  # omicron, nu, rho, Alpha, Omicron
        assert_rejected(ch, f"U+{ord(ch):04X}")


# ---------------------------------------------------------------------------- hypothesis
def _check_any(text: str) -> None:
    for fn in (parse_expression, parse_set):
        result = outcome(fn, text)
        if fn is parse_expression and not isinstance(result, ParseError):
            assert isinstance(result, sympy.Expr)
            assert result.free_symbols <= set(V.symbols.values())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_returns_expr_or_parse_error(text: str) -> None:
    _check_any(text)


TOKENS = [
    "t", "c", "L", "x", "alpha", "2", "0", "1", "9", "10", "0.5", "1e3", "+", "-", "*", "/",
    "^", "**", "(", ")", "[", "]", "{", "}", "|", ",", " ", "sqrt", "exp", "log", "sin",
    "abs", "min", "e", "pi", "\\frac", "\\sqrt", "\\cdot", "\\left(", "\\right)", "\\alpha",
    "\\le", "<=", "=", "U", "\\cup", "\\{", "\\}", "&", "\\\\", "oo", "√", "_", "xy", "\\sin",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_token_soup_returns_expr_or_parse_error(parts: list[str]) -> None:
    text = "".join(parts)
    _check_any(text)
    for fn in (parse_relation, parse_matrix, parse_interval):
        outcome(fn, text)


# round trip: random small trees -> to_plain -> parse -> the same expression
SYMS = [t, c, L, x]
leaves = st.one_of(
    st.sampled_from(SYMS),
    st.integers(-20, 20).map(sympy.Integer),
    st.tuples(st.integers(-9, 9), st.integers(1, 9)).map(lambda pq: sympy.Rational(*pq)),
    st.sampled_from([sympy.pi, sympy.E]),
)


def _safe(build):
    """Tree builders must not fail themselves (e.g. Max(zoo, 1)); undefined values become 1."""

    def wrapped(args):
        try:
            value = build(args)
        except (TypeError, ValueError, ArithmeticError):
            return sympy.S.One
        return sympy.S.One if value.has(sympy.zoo, sympy.nan) else value

    return wrapped


def _extend(children):
    return st.one_of(
        st.lists(children, min_size=2, max_size=3).map(_safe(lambda a: sympy.Add(*a))),
        st.lists(children, min_size=2, max_size=3).map(_safe(lambda a: sympy.Mul(*a))),
        st.tuples(children, st.integers(-3, 3)).map(_safe(lambda be: sympy.Pow(*be))),
        st.tuples(children, st.sampled_from([sympy.Rational(1, 2), sympy.Rational(-1, 3)])).map(
            _safe(lambda be: sympy.Pow(*be))
        ),
        children.map(_safe(sympy.sin)),
        # exp of leaves only: sympy evaluates sin(exp(exp(exp(20)))) when it is built, which
        # does not finish (a derandomized draw found it); towers are the parser's business
        # (test_hostile_inputs_*), not this round trip's
        leaves.map(_safe(sympy.exp)),
        children.map(_safe(sympy.Abs)),
        st.lists(children, min_size=2, max_size=2).map(_safe(lambda a: sympy.Max(*a))),
    )


trees = st.recursive(leaves, _extend, max_leaves=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_round_trip_through_to_plain(expr: sympy.Expr) -> None:
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or expr.atoms(sympy.AccumBounds):
        return
    text = to_plain(expr)
    try:
        back = parse_expression(text, V, syntax="plain")
    except ParseError as err:
        # only the documented size limits may refuse a printed expression
        assert any(w in err.message for w in ("too large", "digits", "nested", "exponent")), (text, str(err))
        return
    assert back == expr or sympy.simplify(back - expr) == 0, (text, back, expr)
