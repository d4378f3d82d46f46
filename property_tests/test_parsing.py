"""Examples for the safe input parser (symbolic.parsing): accepted syntax and error messages."""

from __future__ import annotations

import doctest
import pickle
import re
from pathlib import Path

import pytest
import sympy
from sympy import Abs, E, Interval, Matrix, Rational, S, pi, sqrt

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

ROOT = Path(__file__).resolve().parents[1]
PARSING_DIR = ROOT / "symbolic" / "parsing"

V = Vocabulary.of("t", "c", "L", "x", "y", "a", "b", "alpha", "sigma", "C_L", "eta", "mu",
                  "lambda_min", positive=True)
t, c, L, x, y, a, b = (V.symbols[n] for n in ("t", "c", "L", "x", "y", "a", "b"))
alpha, sigma, C_L, eta = (V.symbols[n] for n in ("alpha", "sigma", "C_L", "eta"))
lambda_min = V.symbols["lambda_min"]


def same(got: sympy.Expr, want: sympy.Expr) -> bool:
    """Structurally equal, or equal after simplification."""
    return got == want or sympy.simplify(got - want) == 0


def parse_error(fn, text, *args, **kwargs) -> ParseError:
    with pytest.raises(ParseError) as info:
        fn(text, *args, **kwargs)
    return info.value


# ---------------------------------------------------------------------------- expressions
PLAIN = [
    ("2*sqrt(t/c)", 2 * sqrt(t / c)),
    ("t^(1/2)", sqrt(t)),
    ("t**(1/2)", sqrt(t)),
    ("1/(2L)", 1 / (2 * L)),
    ("1/(2*L)", 1 / (2 * L)),
    ("2 L", 2 * L),
    ("2L", 2 * L),
    ("2(t+1)", 2 * (t + 1)),
    ("2 sqrt(t)", 2 * sqrt(t)),
    ("(a+b)(c+L)", (a + b) * (c + L)),
    ("(a)(b)", a * b),
    ("L t", L * t),
    ("t (t+1)", t * (t + 1)),
    ("-x^2", -(x**2)),
    ("(-x)^2", x**2),
    ("2^-1", Rational(1, 2)),
    ("x^-2", x**-2),
    ("2^3^2", sympy.Integer(512)),
    ("2**3**2", sympy.Integer(512)),
    ("0.1", Rational(1, 10)),
    ("0.25*t", t / 4),
    (".5", Rational(1, 2)),
    ("1e-3", Rational(1, 1000)),
    ("2.5E2", sympy.Integer(250)),
    ("x^(1/3)", x ** Rational(1, 3)),
    ("exp(-t/c)", sympy.exp(-t / c)),
    ("e^(-t)", sympy.exp(-t)),
    ("log(x) + ln(y)", sympy.log(x) + sympy.log(y)),
    ("log(x, 2)", sympy.log(x) / sympy.log(2)),
    ("sin(x)^2 + cos(x)^2", sympy.sin(x) ** 2 + sympy.cos(x) ** 2),
    ("sin^2(x)", sympy.sin(x) ** 2),
    ("tanh(a*t)", sympy.tanh(a * t)),
    ("abs(x - 1)", Abs(x - 1)),
    ("|x - 1|", Abs(x - 1)),
    ("2|t-c|", 2 * Abs(t - c)),
    ("|t-c||t-L|", Abs(t - c) * Abs(t - L)),
    ("|(|t-c| - L)|", Abs(Abs(t - c) - L)),
    ("min(t, c) + max(a, b, L)", sympy.Min(t, c) + sympy.Max(a, b, L)),
    ("alpha*eta/mu", alpha * eta / V.symbols["mu"]),
    ("lambda_min t", lambda_min * t),
    ("pi/4", pi / 4),
    ("2x^2y", 2 * x**2 * y),
    ("a - -b", a + b),
    ("2*-3", sympy.Integer(-6)),
    ("[t+1]^2", (t + 1) ** 2),
    ("√2", sqrt(2)),
    ("√(t/c)", sqrt(t / c)),
    ("2 · t × c", 2 * t * c),
    ("α t − 1", alpha * t - 1),
    ("1/2*L", L / 2),
    ("9^1000", sympy.Integer(9) ** 1000),
    ("x^1000", x**1000),
    ("2^sqrt(2)", 2 ** sqrt(2)),
]


@pytest.mark.parametrize(("text", "want"), PLAIN)
def test_plain_examples(text: str, want: sympy.Expr) -> None:
    got = parse_expression(text, V)
    assert isinstance(got, sympy.Expr)
    assert same(got, want), (text, got, want)


LATEX = [
    (r"\frac{1}{2L}", 1 / (2 * L)),
    (r"\sqrt{t}", sqrt(t)),
    (r"\sqrt[3]{t}", t ** Rational(1, 3)),
    (r"t^{1/2}", sqrt(t)),
    (r"\frac{\alpha}{4 C_L (2 C_L+\sigma)}", alpha / (4 * C_L * (2 * C_L + sigma))),
    (r"\frac{\alpha}{4 C_{L} \left(2 C_{L}+\sigma\right)}", alpha / (4 * C_L * (2 * C_L + sigma))),
    (r"2 \cdot t \times c", 2 * t * c),
    (r"\left( t+1 \right)^{2}", (t + 1) ** 2),
    (r"e^{-\eta t}", sympy.exp(-eta * t)),
    (r"\exp(-t)", sympy.exp(-t)),
    (r"\exp\left(-\frac{t}{c}\right)", sympy.exp(-t / c)),
    (r"\log(x) - \ln{y}", sympy.log(x) - sympy.log(y)),
    (r"\sin x^2", sympy.sin(x**2)),
    (r"\sin x \cos x", sympy.sin(x) * sympy.cos(x)),
    (r"\sin^2 x + \cos^{2}(x)", sympy.sin(x) ** 2 + sympy.cos(x) ** 2),
    (r"\lambda_{\min} t", lambda_min * t),
    (r"\left| t - c \right|", Abs(t - c)),
    (r"\lvert t \rvert", t),
    (r"\frac12", Rational(1, 2)),
    (r"\frac1L", 1 / L),
    (r"\sqrt2", sqrt(2)),
    (r"\frac{\sqrt{t}}{\pi}", sqrt(t) / pi),
    (r"\mathrm{e}^{t}", sympy.exp(t)),
    (r"x^{23}", x**23),
    (r"\dfrac{1}{t}\,c", c / t),
    (r"$\frac{1}{2}$", Rational(1, 2)),
    (r"\max(t, c)", sympy.Max(t, c)),
]


@pytest.mark.parametrize(("text", "want"), LATEX)
def test_latex_examples(text: str, want: sympy.Expr) -> None:
    got = parse_expression(text, V)
    assert same(got, want), (text, got, want)
    assert parse_expression(text, V, syntax="latex") == got


def test_plain_and_latex_agree_on_common_forms() -> None:
    for plain, latex in [
        ("1/(2L)", r"\frac{1}{2L}"),
        ("sqrt(t)", r"\sqrt{t}"),
        ("t^(1/3)", r"\sqrt[3]{t}"),
        ("alpha t", r"\alpha t"),
        ("exp(-t)", r"e^{-t}"),
    ]:
        assert parse_expression(plain, V, syntax="plain") == parse_expression(latex, V)


def test_auto_syntax_choice() -> None:
    # braces or a backslash select LaTeX, where ^23 is ambiguous; plain accepts it
    assert parse_expression("x^23", V) == x**23
    err = parse_error(parse_expression, "x^23", V, syntax="latex")
    assert "^{23}" in err.message
    err = parse_error(parse_expression, r"\frac{1}{2}", V, syntax="plain")
    assert "plain" in err.message and err.position == 0
    with pytest.raises(ValueError, match="syntax"):
        parse_expression("x", V, syntax="python")


def test_results_use_the_vocabulary_symbols() -> None:
    got = parse_expression("t/c + alpha", V)
    assert got.free_symbols == {t, c, alpha}
    assert all(s.is_positive for s in got.free_symbols)


def test_vocabulary_helpers() -> None:
    voc = Vocabulary.of("t", r"\lambda_{\min}", real=True)
    assert set(voc.symbols) == {"t", "lambda_min"}
    assert voc.symbols["t"].is_real
    lam = voc.symbols["lambda_min"]
    assert parse_expression(r"\lambda_{\min} + \lambda_\min", voc) == 2 * lam
    assert parse_expression("lambda_min", voc) == lam
    # in LaTeX a bare subscript takes one character, as TeX does: lambda_m times 'in'
    assert "unknown name 'lambda_m'" in parse_error(parse_expression, "{lambda_min}", voc).message
    # a list of Symbols works too, and a declared symbol shadows the constant 'e'
    e_sym = sympy.Symbol("e")
    voc2 = Vocabulary([e_sym, t])
    assert parse_expression("e*t", voc2) == e_sym * t
    # custom function: arity inferred from sympy's nargs
    voc3 = Vocabulary({"t": t}, functions={"gamma": sympy.gamma})
    assert parse_expression("gamma(t)", voc3) == sympy.gamma(t)
    assert "1 argument" in parse_error(parse_expression, "gamma(t, t)", voc3).message
    with pytest.raises(ValueError):
        Vocabulary.of("x y")
    with pytest.raises(TypeError):
        Vocabulary({"t": 3})


# ---------------------------------------------------------------------------- relations
def test_relations() -> None:
    assert parse_relation("t <= 2/L", V) == sympy.Le(t, 2 / L)
    assert parse_relation("t < 2/L", V) == sympy.Lt(t, 2 / L)
    assert parse_relation("t >= c", V) == sympy.Ge(t, c)
    assert parse_relation("t > c", V) == sympy.Gt(t, c)
    assert parse_relation("t = c", V) == sympy.Eq(t, c)
    assert parse_relation("t == c", V) == sympy.Eq(t, c)
    assert parse_relation("t != c", V) == sympy.Ne(t, c)
    assert parse_relation(r"\eta \le \frac{2}{L}", V) == sympy.Le(eta, 2 / L)
    assert parse_relation(r"\eta \leq \frac{2}{L}", V) == sympy.Le(eta, 2 / L)
    assert parse_relation(r"t \ge c", V) == sympy.Ge(t, c)
    assert parse_relation(r"t \geq c", V) == sympy.Ge(t, c)
    assert parse_relation(r"t \lt c", V) == sympy.Lt(t, c)
    assert parse_relation(r"t \gt c", V) == sympy.Gt(t, c)
    assert parse_relation("t ≤ c", V) == sympy.Le(t, c)
    # numeric relations stay relations (not True/False)
    rel = parse_relation("1 <= 2", V)
    assert isinstance(rel, sympy.core.relational.Relational)
    assert rel.lhs == 1 and rel.rhs == 2


def test_relation_errors() -> None:
    err = parse_error(parse_relation, "0 < t < 1", V)
    assert "chained" in err.message and err.position == 6
    err = parse_error(parse_relation, "t + 1", V)
    assert "relation" in err.message
    err = parse_error(parse_expression, "t <= 1", V)
    assert "'<='" in err.message and err.position == 2


# ---------------------------------------------------------------------------- numbers
def test_numbers_are_exact() -> None:
    assert parse_number("0.25") == Rational(1, 4)
    assert isinstance(parse_number("0.25"), sympy.Rational)
    assert parse_number("1/3") == Rational(1, 3)
    assert parse_number("1e-3") == Rational(1, 1000)
    assert parse_number("-2.50") == Rational(-5, 2)
    assert parse_number("sqrt(2)") == sqrt(2)
    assert parse_number(r"\frac{\pi}{4}") == pi / 4
    assert parse_number("e") == E
    err = parse_error(parse_number, "t", V)
    assert "number" in err.message and "t" in err.message


# ---------------------------------------------------------------------------- matrices
def test_matrices() -> None:
    assert parse_matrix("[[1, 2], [3, 4]]") == Matrix([[1, 2], [3, 4]])
    assert parse_matrix(r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}") == Matrix([[1, 2], [3, 4]])
    assert parse_matrix(r"\begin{bmatrix} t & 0 \\ 0 & \frac{1}{L} \\ \end{bmatrix}", V) == Matrix(
        [[t, 0], [0, 1 / L]]
    )
    assert parse_matrix(r"\left[\begin{matrix} 1 \end{matrix}\right]") == Matrix([[1]])
    assert parse_matrix("[[t, -c]]", V).shape == (1, 2)
    assert parse_matrix("[[1], [2], [3]]").shape == (3, 1)


def test_matrix_errors() -> None:
    assert "[[1, 2, 3]]" in parse_error(parse_matrix, "[1, 2, 3]").message
    err = parse_error(parse_matrix, "[[1, 2], [3]]")
    assert "row 2" in err.message and err.position == 9
    err = parse_error(parse_matrix, r"\begin{pmatrix} 1 \end{bmatrix}")
    assert "pmatrix" in err.message and "bmatrix" in err.message
    err = parse_error(parse_matrix, r"\begin{vmatrix} 1 \end{vmatrix}")
    assert "vmatrix" in err.message
    err = parse_error(parse_expression, r"\begin{pmatrix} 1 \end{pmatrix}", V)
    assert "matrix" in err.message


# ---------------------------------------------------------------------------- intervals, sets
def test_intervals() -> None:
    assert parse_interval("(0, 1/L)", V) == Interval.open(0, 1 / L)
    assert parse_interval("[0, 2/L)", V) == Interval.Ropen(0, 2 / L)
    assert parse_interval("(0, 2/L]", V) == Interval.Lopen(0, 2 / L)
    assert parse_interval("[0, 1]") == Interval(0, 1)
    assert parse_interval("(0, oo)") == Interval.open(0, sympy.oo)
    assert parse_interval("(-infinity, 0]") == Interval(-sympy.oo, 0)
    assert parse_interval(r"\left(0, \frac{1}{L}\right)", V) == Interval.open(0, 1 / L)
    assert parse_interval(r"\left[0, \frac{2}{L}\right)", V) == Interval.Ropen(0, 2 / L)
    assert parse_interval(r"(-\infty, \infty)") == Interval(-sympy.oo, sympy.oo)


def test_interval_errors() -> None:
    assert "open" in parse_error(parse_interval, "[0, oo]").message
    assert "greater" in parse_error(parse_interval, "(1, 0)").message
    assert "point" in parse_error(parse_interval, "[1, 1]").message
    assert "empty" in parse_error(parse_interval, "(1, 1)").message
    err = parse_error(parse_interval, "(0 t)", V)
    assert "','" in err.message and err.position == 4
    # infinity is not a number in ordinary expressions
    assert "unknown name 'oo'" in parse_error(parse_expression, "oo", V).message
    err = parse_error(parse_expression, r"\infty", V)
    assert "interval" in err.message


def test_sets() -> None:
    assert parse_set("{-1, 1}") == sympy.FiniteSet(-1, 1)
    assert parse_set("[-1, 1]") == Interval(-1, 1)
    assert parse_set("{}") is S.EmptySet
    assert parse_set("emptyset") is S.EmptySet
    assert parse_set(r"\emptyset") is S.EmptySet
    assert parse_set("∅") is S.EmptySet
    assert parse_set(r"\{-1,1\}") == sympy.FiniteSet(-1, 1)
    assert parse_set(r"\{\frac{1}{2}, 1\}") == sympy.FiniteSet(Rational(1, 2), 1)
    assert parse_set("[-1,0] U {1}") == sympy.Union(Interval(-1, 0), sympy.FiniteSet(1))
    assert parse_set(r"[-1,0] \cup \{1\}") == sympy.Union(Interval(-1, 0), sympy.FiniteSet(1))
    assert parse_set("(0, 1) ∪ (2, 3)") == sympy.Union(Interval.open(0, 1), Interval.open(2, 3))
    assert parse_set("{1/L, t}", V) == sympy.FiniteSet(1 / L, t)
    assert parse_set("{2^10}") == sympy.FiniteSet(1024)  # braces alone do not mean LaTeX here


def test_set_errors() -> None:
    err = parse_error(parse_set, "{1, 2")
    assert "never closed" in err.message and err.position == 0
    assert "set" in parse_error(parse_set, "t", V).message
    err = parse_error(parse_set, "{1} + {2}")
    assert "'+'" in err.message and err.position == 4


# ---------------------------------------------------------------------------- error messages
ERRORS = [
    # text, substring of the message, 0-based position, offending token shown
    ("2*(t+1))", "unexpected ')'", 7),
    ("((t)", "'(' is never closed", 0),
    ("(t]", "expected ')'", 2),
    ("a(b+c)", "ambiguous", 1),
    ("xy", "unknown name 'xy'", 0),
    ("foo + t", "unknown name 'foo'", 0),
    ("t +", "unexpected end of input", 3),
    ("t $ c", "unexpected character '$'", 2),
    ("sqrt(1,2)", "sqrt() takes 1 argument, got 2", 0),
    ("sqrt()", "sqrt() takes 1 argument, got 0", 0),
    ("sqrt t", "must be followed by '('", 5),
    ("sin(,)", "unexpected ','", 4),
    ("1/2L", "ambiguous", 3),
    ("t/c sqrt(2)", "ambiguous", 4),
    ("2 3", "missing operator", 2),
    ("1/0", "division by zero", 1),
    ("0^-1", "division by zero", 1),
    ("||x||", "ambiguous", 0),
    ("|x", "expected '|'", 2),
    ("x ^", "unexpected end of input", 3),
    ("t!", "factorial", 1),
    (r"\sin 2x", "ambiguous argument", 6),
    (r"\sin^{-1}(x)", "ambiguous", 4),
    (r"\frac{1}", "needs an argument", 8),
    (r"\foo{t}", "unknown LaTeX command '\\foo'", 0),
    (r"\beta t", "'\\beta' is not a declared variable", 0),
    ("2^1001", "exponent 1001 is too large", 1),
    ("\u0445 + 1", "U+0445 CYRILLIC SMALL LETTER HA", 0),
]


@pytest.mark.parametrize(("text", "needle", "position"), ERRORS)
def test_error_messages(text: str, needle: str, position: int) -> None:
    err = parse_error(parse_expression, text, V)
    assert needle in err.message, err.message
    assert err.position == position, (err.position, str(err))
    assert err.text == text
    rendered = str(err)
    assert f"at column {position + 1}" in rendered
    line, caret = rendered.split("\n")
    # the caret sits under the offending character of the echoed input
    assert caret.index("^") == line.index(": ", len(err.message)) + 2 + position


def test_error_string_format_matches_the_documented_example() -> None:
    err = parse_error(parse_expression, "2*(t+1))", V)
    line, caret = str(err).split("\n")
    assert line.startswith("unexpected ')'") and line.endswith(": 2*(t+1))")
    assert line[caret.index("^")] == ")" and caret.index("^") == len(line) - 1


def test_error_display_never_echoes_control_or_bidi_characters() -> None:
    err = parse_error(parse_expression, "t\u202ec", V)
    rendered = str(err)
    assert "\u202e" not in rendered and "U+202E RIGHT-TO-LEFT OVERRIDE" in rendered
    assert rendered.isascii()


def test_long_input_error_shows_a_window() -> None:
    text = "t + " * 100 + "?"
    err = parse_error(parse_expression, text, V)
    line, caret = str(err).split("\n")
    assert len(line) < 200 and "..." in line
    assert line[caret.index("^")] == "?"


def test_empty_inputs() -> None:
    for text in ["", " ", "\t\n", "$$", "$ $"]:
        err = parse_error(parse_expression, text, V)
        assert err.message == "empty answer"
        assert str(err) == "empty answer"


def test_parse_error_is_a_value_error_and_pickles() -> None:
    err = parse_error(parse_expression, "t +", V)
    assert isinstance(err, ValueError)
    again = pickle.loads(pickle.dumps(err))
    assert (again.message, again.position, again.text) == (err.message, err.position, err.text)


def test_limits_are_configurable() -> None:
    small = Limits(max_length=10, max_depth=2, max_integer_digits=3, max_exponent=5, max_nodes=5)
    assert "too long" in parse_error(parse_expression, "t" * 11, V, limits=small).message
    assert "nested" in parse_error(parse_expression, "(((t)))", V, limits=small).message
    assert "digits" in parse_error(parse_expression, "1234", V, limits=small).message
    assert "exponent" in parse_error(parse_expression, "t^6", V, limits=small).message
    assert "too large" in parse_error(parse_expression, "t+t+t+t", V, limits=small).message
    assert parse_expression("t^5", V, limits=small) == t**5
    with pytest.raises(ValueError):
        Limits(max_depth=0)


# ---------------------------------------------------------------------------- printer
def test_to_plain_round_trips_examples() -> None:
    for _, want in PLAIN + LATEX:
        if any(n.is_Rational and max(abs(n.p), n.q) > 10**50 for n in want.atoms(sympy.Number)):
            continue  # too many digits for one literal
        text = to_plain(want)
        assert parse_expression(text, V, syntax="plain") == want, text


# ---------------------------------------------------------------------------- hygiene
FORBIDDEN = re.compile(r"\b(sympify|parse_expr|lambdify|parse_latex)\b|\beval\(|\bexec\(|\bS\(\s*['\"]")


def test_no_string_evaluation_anywhere_in_the_parser() -> None:
    files = sorted(PARSING_DIR.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        code = path.read_text()
        lines = [ln for ln in code.splitlines() if not ln.lstrip().startswith("#")]
        # only docstrings/prose may *mention* the forbidden names, never call them
        for number, line in enumerate(lines, 1):
            match = FORBIDDEN.search(line)
            if match and "(" in line[match.end() - 1 : match.end() + 1]:
                pytest.fail(f"{path.name}:{number}: {line.strip()}")


def test_documentation_examples_run() -> None:
    doc = ROOT / "docs" / "safe-input.md"
    result = doctest.testfile(str(doc), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10
    assert result.failed == 0
