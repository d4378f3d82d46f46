"""Public entry points of the safe parser.

Untrusted text goes: length check -> character whitelist + tokenizer -> bracket
pre-scan -> recursive-descent parser that builds sympy objects through
:class:`.build.Builder` -> final size check.  No string is ever given to
``eval``/``exec``/``sympify``/``parse_expr``/``parse_latex``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sympy
from sympy.core.relational import Relational

from . import structures
from .build import tree_size_and_depth
from .errors import ParseError
from .grammar import Parser, check_brackets
from .limits import Limits
from .tokens import tokenize
from .vocabulary import INFINITY_NAMES, Vocabulary

__all__ = [
    "parse_expression",
    "parse_interval",
    "parse_matrix",
    "parse_number",
    "parse_relation",
    "parse_set",
]

T = TypeVar("T")

_DEFAULT_LIMITS = Limits()
_NO_SYMBOLS = Vocabulary({})
_SYNTAXES = ("auto", "plain", "latex")


def _choose_latex(text: str, start: int, stop: int, syntax: str, braces_mean_latex: bool) -> bool:
    if syntax not in _SYNTAXES:
        raise ValueError(f"syntax must be one of {_SYNTAXES}, got {syntax!r}")
    if syntax != "auto":
        return syntax == "latex"
    body = text[start:stop]
    return "\\" in body or (braces_mean_latex and ("{" in body or "}" in body))


def _span(text: str) -> tuple[int, int]:
    """Bounds of the input without surrounding whitespace and ``$...$`` / ``$$...$$``."""
    start, stop = 0, len(text)
    while start < stop and text[start] in " \t\r\n":
        start += 1
    while stop > start and text[stop - 1] in " \t\r\n":
        stop -= 1
    for fence in ("$$", "$"):
        if stop - start >= 2 * len(fence) and text.startswith(fence, start) and text.endswith(
            fence, 0, stop
        ):
            start += len(fence)
            stop -= len(fence)
            break
    while start < stop and text[start] in " \t\r\n":
        start += 1
    while stop > start and text[stop - 1] in " \t\r\n":
        stop -= 1
    return start, stop


def _check_result(value: sympy.Basic, limits: Limits, text: str) -> None:
    exprs = list(value) if isinstance(value, sympy.MatrixBase) else [value]
    total = 0
    for expr in exprs:
        size, depth = tree_size_and_depth(expr, limits.max_nodes)
        total += size
        if total > limits.max_nodes:
            raise ParseError(f"expression too large (limit {limits.max_nodes} nodes)", None, text)
        if depth > 4 * limits.max_depth:
            raise ParseError(
                f"expression nested too deeply (limit {limits.max_depth})", None, text
            )
        if expr.has(sympy.zoo, sympy.nan):
            raise ParseError("division by zero (the value is undefined)", None, text)


def _run(
    text: str,
    vocabulary: Vocabulary | None,
    limits: Limits,
    syntax: str,
    action: Callable[[Parser], T],
    *,
    intervals: bool = False,
    braces_mean_latex: bool = True,
) -> T:
    if not isinstance(text, str):
        raise ParseError(f"expected text, got {type(text).__name__}")
    if vocabulary is None:
        vocabulary = _NO_SYMBOLS
    if not isinstance(vocabulary, Vocabulary):
        raise TypeError("vocabulary must be a Vocabulary")
    if not isinstance(limits, Limits):
        raise TypeError("limits must be a Limits")
    if len(text) > limits.max_length:
        raise ParseError(
            f"input too long ({len(text)} characters, limit {limits.max_length})", None, text[:80]
        )
    start, stop = _span(text)
    if start >= stop:
        raise ParseError("empty answer", None, text)
    latex = _choose_latex(text, start, stop, syntax, braces_mean_latex)
    if intervals:
        vocabulary = vocabulary.with_constants(INFINITY_NAMES)
    try:
        tokens = tokenize(text, latex=latex, limits=limits, start=start, stop=stop)
        check_brackets(tokens, limits, text)
        parser = Parser(
            text, tokens, vocabulary, limits, latex=latex, allow_infinity=intervals
        )
        result = action(parser)
        _check_result(result, limits, text)
        return result
    except ParseError:
        raise
    except RecursionError:
        raise ParseError("input nested too deeply", None, text) from None
    except (ArithmeticError, ValueError, TypeError, AttributeError) as exc:
        # a sympy constructor refused its (already size-checked) arguments
        raise ParseError(
            f"cannot build this expression ({type(exc).__name__}: {str(exc)[:200]})", None, text
        ) from exc


def _expression_action(p: Parser) -> sympy.Expr:
    value = p.expression()
    p.finish()
    return value


def parse_expression(
    text: str,
    vocabulary: Vocabulary,
    *,
    limits: Limits = _DEFAULT_LIMITS,
    syntax: str = "auto",
) -> sympy.Expr:
    """Parse an untrusted expression such as ``2*sqrt(t/c)`` or ``\\frac{1}{2L}``.

    Args:
        text: the input.
        vocabulary: the allowed symbols, functions and constants.
        limits: resource caps (see :class:`Limits`).
        syntax: ``"plain"``, ``"latex"`` or ``"auto"`` (LaTeX if the text contains a
            backslash or a brace).

    Returns:
        A sympy expression built only from whitelisted names.

    Raises:
        ParseError: for any input that is not a valid, bounded expression.
    """
    return _run(text, vocabulary, limits, syntax, _expression_action)


def parse_relation(
    text: str,
    vocabulary: Vocabulary,
    *,
    limits: Limits = _DEFAULT_LIMITS,
    syntax: str = "auto",
) -> Relational:
    """Parse ``lhs OP rhs`` with OP one of ``<= < >= > = == !=`` (or ``\\le \\leq \\ge
    \\geq \\lt \\gt \\ne \\neq``, ``≤ ≥ ≠``).  The relation is built unevaluated, so
    ``1 <= 2`` gives ``Le(1, 2)``, not ``True``.
    """
    return _run(text, vocabulary, limits, syntax, structures.relation)


def parse_number(
    text: str,
    vocabulary: Vocabulary | None = None,
    *,
    limits: Limits = _DEFAULT_LIMITS,
    syntax: str = "auto",
) -> sympy.Expr:
    """Parse an exact number: ``0.25`` -> ``1/4``, ``1/3``, ``1e-3`` -> ``1/1000``,
    ``sqrt(2)``, ``pi/4``.  Functions and constants of ``vocabulary`` are allowed,
    variables are not (the result has no free symbols).
    """

    def action(p: Parser) -> sympy.Expr:
        value = _expression_action(p)
        if value.free_symbols:
            names = ", ".join(sorted(str(s) for s in value.free_symbols))
            raise p.error(f"expected a number, but it contains {names}", None)
        return value

    return _run(text, vocabulary, limits, syntax, action)


def parse_matrix(
    text: str,
    vocabulary: Vocabulary | None = None,
    *,
    limits: Limits = _DEFAULT_LIMITS,
    syntax: str = "auto",
) -> sympy.Matrix:
    """Parse ``[[1, 2], [3, 4]]`` or ``\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}``
    (also ``bmatrix`` and ``matrix``)."""
    return _run(text, vocabulary, limits, syntax, structures.matrix)


def parse_interval(
    text: str,
    vocabulary: Vocabulary | None = None,
    *,
    limits: Limits = _DEFAULT_LIMITS,
    syntax: str = "auto",
) -> sympy.Interval:
    """Parse ``(0, 1/L)``, ``[0, 2/L)``, ``(0, oo)`` or ``\\left(0, \\frac{1}{L}\\right)``.

    ``oo``, ``inf``, ``infinity``, ``\\infty`` and ``∞`` are accepted as bounds.
    """
    return _run(text, vocabulary, limits, syntax, structures.interval, intervals=True)


def parse_set(
    text: str,
    vocabulary: Vocabulary | None = None,
    *,
    limits: Limits = _DEFAULT_LIMITS,
    syntax: str = "auto",
) -> sympy.Set:
    """Parse a set: ``{-1, 1}``, ``[-1, 1]``, ``{}``, ``emptyset``, ``\\emptyset``,
    ``\\{-1,1\\}`` and unions ``[-1,0] U {1}`` / ``\\cup``.

    Returns a ``FiniteSet``, ``Interval``, ``Union`` or ``EmptySet``.  In ``"auto"``
    syntax only a backslash selects LaTeX (braces are set braces here).
    """
    return _run(
        text,
        vocabulary,
        limits,
        syntax,
        structures.set_expression,
        intervals=True,
        braces_mean_latex=False,
    )
