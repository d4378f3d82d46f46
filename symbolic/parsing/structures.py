"""Relations, matrices, intervals and sets, on top of the expression grammar."""

from __future__ import annotations

import sympy
from sympy.core.relational import Relational

from .grammar import Parser
from .latex import MATRIX_ENVIRONMENTS
from .tokens import Kind, Token

__all__ = ["interval", "matrix", "relation", "set_expression"]

_RELATIONS = {
    "<=": sympy.Le,
    "<": sympy.Lt,
    ">=": sympy.Ge,
    ">": sympy.Gt,
    "=": sympy.Eq,
    "!=": sympy.Ne,
}
_UNION_NAMES = frozenset({"U", "union", "cup"})
_EMPTY_NAMES = frozenset({"emptyset", "EmptySet", "varnothing"})


def relation(p: Parser) -> Relational:
    """``lhs OP rhs`` with exactly one relation operator; never evaluated to True/False."""
    lhs = p.expression()
    op = p.peek()
    if op.kind is not Kind.REL:
        if op.kind is Kind.EOF:
            raise p.error("expected a relation such as '<=', '<', '=', '>=' or '>'", op)
        raise p.error(f"unexpected {op.describe()}: expected a relation such as '<='", op)
    p.next()
    p.count(op)
    rhs = p.expression()
    extra = p.peek()
    if extra.kind is Kind.REL:
        raise p.error(
            f"chained relations are not supported: found a second {extra.describe()}", extra
        )
    p.finish()
    return _RELATIONS[str(op.value)](lhs, rhs, evaluate=False)


def _row(p: Parser, opener: Token) -> list[sympy.Expr]:
    entries = [p.expression()]
    while p.at(Kind.COMMA):
        p.next()
        entries.append(p.expression())
    p.expect(Kind.RBRACK, opener)
    return entries


def _check_rows(p: Parser, rows: list[list[sympy.Expr]], starts: list[Token]) -> sympy.Matrix:
    width = len(rows[0])
    for number, (row, tok) in enumerate(zip(rows, starts, strict=True), start=1):
        if len(row) != width:
            raise p.error(
                f"row {number} has {len(row)} entr{'y' if len(row) == 1 else 'ies'}, "
                f"but row 1 has {width}",
                tok,
            )
    return sympy.Matrix(rows)


def matrix(p: Parser) -> sympy.Matrix:
    """``[[1, 2], [3, 4]]`` or a LaTeX ``pmatrix``/``bmatrix``/``matrix`` environment."""
    tok = p.peek()
    if tok.kind is Kind.LBRACK and p.peek(1).kind is Kind.BEGIN:
        outer = p.next()
        result = _latex_matrix(p)
        p.expect(Kind.RBRACK, outer)
    elif tok.kind is Kind.LPAREN and p.peek(1).kind is Kind.BEGIN:
        outer = p.next()
        result = _latex_matrix(p)
        p.expect(Kind.RPAREN, outer)
    elif tok.kind is Kind.BEGIN:
        result = _latex_matrix(p)
    elif tok.kind is Kind.LBRACK:
        outer = p.next()
        p.enter(outer)
        if not p.at(Kind.LBRACK):
            raise p.error(
                "expected a list of rows: write [[1, 2, 3]] for a row or [[1], [2], [3]] "
                "for a column",
                p.peek(),
            )
        rows: list[list[sympy.Expr]] = []
        starts: list[Token] = []
        while True:
            opener = p.expect(Kind.LBRACK)
            p.enter(opener)
            starts.append(opener)
            rows.append(_row(p, opener))
            p.leave()
            if not p.at(Kind.COMMA):
                break
            p.next()
        p.expect(Kind.RBRACK, outer)
        p.leave()
        result = _check_rows(p, rows, starts)
    else:
        raise p.error(f"expected a matrix such as [[1, 2], [3, 4]], found {tok.describe()}", tok)
    p.finish()
    return result


def _latex_matrix(p: Parser) -> sympy.Matrix:
    begin = p.expect(Kind.BEGIN)
    env = str(begin.value)
    if env not in MATRIX_ENVIRONMENTS:
        raise p.error(
            f"unsupported environment '{env}' (use pmatrix, bmatrix or matrix)", begin
        )
    rows: list[list[sympy.Expr]] = []
    starts: list[Token] = []
    while True:
        starts.append(p.peek())
        row = [p.expression()]
        while p.at(Kind.AMP):
            p.next()
            row.append(p.expression())
        rows.append(row)
        if p.at(Kind.ROWSEP):
            p.next()
            if p.at(Kind.END):
                break
            continue
        break
    end = p.expect(Kind.END, begin)
    if end.value != env:
        raise p.error(f"\\begin{{{env}}} is closed by \\end{{{end.value}}}", end)
    return _check_rows(p, rows, starts)


def _bound(p: Parser) -> sympy.Expr:
    tok = p.peek()
    value = p.expression()
    if value.has(sympy.oo, -sympy.oo) and value not in (sympy.oo, -sympy.oo):
        raise p.error("an infinite bound must be oo or -oo", tok)
    if value.is_extended_real is False:
        raise p.error("interval bounds must be real", tok)
    return value


def _interval_body(p: Parser) -> sympy.Interval | sympy.FiniteSet:
    opener = p.next()
    if opener.kind not in (Kind.LPAREN, Kind.LBRACK):
        raise p.error(f"expected '(' or '[' to start an interval, found {opener.describe()}",
                      opener)
    p.enter(opener)
    low = _bound(p)
    if not p.at(Kind.COMMA):
        raise p.error(f"expected ',' between the interval bounds, found {p.peek().describe()}",
                      p.peek())
    p.next()
    high = _bound(p)
    closer = p.peek()
    if closer.kind not in (Kind.RPAREN, Kind.RBRACK):
        raise p.error(
            f"expected ')' or ']' to close the interval from column {opener.pos + 1}, "
            f"found {closer.describe()}",
            closer,
        )
    p.next()
    p.leave()
    left_open = opener.kind is Kind.LPAREN
    right_open = closer.kind is Kind.RPAREN
    if low is sympy.oo or high == -sympy.oo:
        raise p.error("interval bounds are in the wrong order", opener)
    if (low == -sympy.oo and not left_open) or (high == sympy.oo and not right_open):
        raise p.error("an infinite end of an interval must be open: use '(' or ')'", opener)
    if (low > high) == sympy.true:
        raise p.error("the lower bound is greater than the upper bound", opener)
    if low == high and (left_open or right_open):
        raise p.error("the interval is empty (equal bounds with an open end)", opener)
    try:
        return sympy.Interval(low, high, left_open, right_open)
    except ValueError as exc:
        raise p.error(f"invalid interval: {exc}", opener) from exc


def interval(p: Parser) -> sympy.Interval:
    """``(0, 1/L)``, ``[0, 2/L)``, ``(0, oo)``, ``\\left(0, \\frac{1}{L}\\right)``."""
    first = p.peek()
    result = _interval_body(p)
    p.finish()
    if not isinstance(result, sympy.Interval):
        raise p.error("the interval is a single point; write it as a set {a}", first)
    return result


def _finite_set(p: Parser) -> sympy.Set:
    opener = p.next()
    closer = Kind.SETCLOSE if opener.kind is Kind.SETOPEN else Kind.RBRACE
    p.enter(opener)
    elements: list[sympy.Expr] = []
    if not p.at(closer):
        elements.append(p.expression())
        while p.at(Kind.COMMA):
            p.next()
            elements.append(p.expression())
    p.expect(closer, opener)
    p.leave()
    return sympy.FiniteSet(*elements) if elements else sympy.S.EmptySet


def _set_item(p: Parser) -> sympy.Set:
    tok = p.peek()
    if tok.kind in (Kind.LBRACE, Kind.SETOPEN):
        return _finite_set(p)
    if tok.kind in (Kind.LPAREN, Kind.LBRACK):
        return _interval_body(p)
    if tok.kind is Kind.EMPTYSET or (tok.kind is Kind.IDENT and tok.value in _EMPTY_NAMES):
        p.next()
        p.count(tok)
        return sympy.S.EmptySet
    raise p.error(
        f"expected a set such as {{-1, 1}}, [0, 1] or emptyset, found {tok.describe()}", tok
    )


def set_expression(p: Parser) -> sympy.Set:
    """Finite sets, intervals, the empty set, and unions of them (``U``, ``\\cup``)."""
    items = [_set_item(p)]
    while True:
        tok = p.peek()
        if tok.kind is Kind.UNION or (tok.kind is Kind.IDENT and tok.value in _UNION_NAMES):
            p.next()
            p.count(tok)
            items.append(_set_item(p))
        else:
            break
    p.finish()
    return items[0] if len(items) == 1 else sympy.Union(*items)
