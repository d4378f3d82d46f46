"""A tiny, fully parenthesised plain-text printer whose output the parser reads back."""

from __future__ import annotations

import sympy

__all__ = ["to_plain"]

_FUNCTION_NAMES = {
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.sinh: "sinh",
    sympy.cosh: "cosh",
    sympy.tanh: "tanh",
    sympy.asin: "arcsin",
    sympy.acos: "arccos",
    sympy.atan: "arctan",
    sympy.Abs: "abs",
    sympy.Min: "min",
    sympy.Max: "max",
    sympy.sign: "sign",
}


def to_plain(expr: sympy.Expr) -> str:
    """Print ``expr`` in the plain syntax accepted by ``parse_expression``.

    Every compound sub-expression is parenthesised, so the output is unambiguous
    (not pretty).  Raises ``ValueError`` for objects the parser cannot read.
    """
    if expr.is_Integer:
        return str(expr) if expr >= 0 else f"(-{-expr})"
    if expr.is_Rational:
        return f"({expr.p}/{expr.q})"
    if expr is sympy.pi:
        return "pi"
    if expr is sympy.E:
        return "e"
    if expr is sympy.I:
        return "((-1)^(1/2))"
    if expr.is_Symbol:
        return expr.name
    if expr.is_Add:
        return "(" + " + ".join(to_plain(a) for a in expr.args) + ")"
    if expr.is_Mul:
        return "(" + "*".join(to_plain(a) for a in expr.args) + ")"
    if expr.is_Pow:
        return f"({to_plain(expr.base)}^{to_plain(expr.exp)})"
    name = _FUNCTION_NAMES.get(expr.func)
    if name is not None:
        return f"{name}(" + ", ".join(to_plain(a) for a in expr.args) + ")"
    raise ValueError(f"to_plain cannot print {type(expr).__name__}")
