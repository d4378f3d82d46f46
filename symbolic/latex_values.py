"""Counterexamples and evidence values typeset as mathematics.

A counterexample arrives as the JSON the engine returns (strings of exact rationals,
Arb balls ``[m +/- r]``, sympy expressions printed by ``sstr``). Expressions are read
with the safe parser (:mod:`symbolic.parsing`), never with ``sympify``: the JSON may come
from a file. What cannot be read is shown as escaped text.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Any

import sympy

from .latex import escape
from .titles import GREEK, title_to_latex

_BALL = re.compile(r"^\[\s*([-+0-9.eE]+)\s*\+/-\s*([0-9.eE+-]+)\s*\]$")
#: a ball centred at 0, as Arb prints it: ``[+/- 7.60e-63]``
_ZERO_BALL = re.compile(r"^\[\s*\+/-\s*([0-9.eE+-]+)\s*\]$")
_RATIONAL = re.compile(r"^[-+]?\d+(?:/\d+)?$")
_DECIMAL = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")


def sci(value: Decimal | float, digits: int = 3, rounding: str | None = None) -> str:
    """``-7.63\\cdot 10^{-6}`` for -7.6293e-6 (``digits`` significant digits)."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if d == 0:
        return "0"
    with localcontext() as ctx:
        ctx.prec = digits
        if rounding is not None:
            ctx.rounding = rounding
        d = +d
    exp = d.adjusted()
    if -3 <= exp <= 4:
        text = format(d, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    mant = d.scaleb(-exp)
    m = format(mant, "f")
    m = m.rstrip("0").rstrip(".") if "." in m else m
    return (f"{m}\\cdot " if m not in ("1", "-1") else ("-" if m == "-1" else "")) + f"10^{{{exp}}}"


def _frac(v: Fraction) -> str:
    if v.denominator == 1:
        return str(v.numerator)
    sign = "-" if v < 0 else ""
    return rf"{sign}\tfrac{{{abs(v.numerator)}}}{{{v.denominator}}}"


def number(text: str) -> str | None:
    """Math-mode LaTeX of a number written as a rational, a decimal or an Arb ball; None otherwise."""
    s = text.strip()
    if _RATIONAL.match(s):
        return _frac(Fraction(s))
    z = _ZERO_BALL.match(s)
    if z:
        try:
            rad = Decimal(z.group(1))
        except InvalidOperation:
            return None
        return rf"0 \pm {sci(rad, 3, ROUND_CEILING)}"
    m = _BALL.match(s)
    if m:
        try:
            mid, rad = Decimal(m.group(1)), Decimal(m.group(2))
        except InvalidOperation:
            return None
        lo, hi = mid - rad, mid + rad
        # outward rounding: the printed interval contains the ball
        for digits in (3, 5, 8):
            a, b = sci(lo, digits, ROUND_FLOOR), sci(hi, digits, ROUND_CEILING)
            if a != b:
                return rf"{sci(mid, digits)} \in [{a},\ {b}]"
        return rf"{sci(mid, 8)} \pm {sci(rad, 2, ROUND_CEILING)}"
    if _DECIMAL.match(s):
        try:
            return sci(Decimal(s), 6)
        except InvalidOperation:
            return None
    return None


def expression(text: str, names: list[str] | None = None) -> str | None:
    """Math-mode LaTeX of an expression printed by sympy (read by the safe parser); None if unreadable."""
    from .parsing import ParseError, Vocabulary, parse_expression

    if len(text) > 600:
        return None
    idents = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text)) | set(names or [])
    from .parsing import DEFAULT_CONSTANTS, DEFAULT_FUNCTIONS

    symbols = {n: sympy.Symbol(n, real=True) for n in idents if n not in DEFAULT_FUNCTIONS and n not in DEFAULT_CONSTANTS and n != "oo"}
    try:
        expr = parse_expression(text.replace("**", "^").replace("oo", "infinity") if "oo" in text and "oo" not in symbols else text.replace("**", "^"), Vocabulary(symbols), syntax="plain")
    except (ParseError, ValueError, TypeError):
        return None
    return sympy.latex(expr)


def name(key: str) -> str:
    """Math-mode LaTeX of a variable name such as ``theta_1``, ``C_L``, ``alpha``."""
    m = re.fullmatch(r"([A-Za-z]{2,})(\d+)", key)
    if m and m.group(1) not in GREEK:
        return rf"\mathit{{{m.group(1)}}}_{{{m.group(2)}}}"
    parts = key.split("_")
    if len(parts) > 2 and all(re.fullmatch(r"[A-Za-z0-9]+", p) for p in parts):
        # theta_0_1: one subscript "0,1" (two in a row is a LaTeX error)
        base = name(parts[0])
        return "{" + base + "}_{" + ",".join(name(p) if not p.isdigit() else p for p in parts[1:]) + "}"
    t = title_to_latex(key)
    if t.startswith("$") and t.endswith("$") and t.count("$") == 2:
        # theta0_1 -> \theta_{0}_{1}: two subscripts in a row are a LaTeX error; merge them
        inner = t[1:-1]
        while (merged := re.sub(r"_\{([^{}]*)\}_\{([^{}]*)\}", r"_{\1,\2}", inner)) != inner:
            inner = merged
        return inner
    return r"\text{" + escape(key) + "}"


def value(v: Any, names: list[str] | None = None) -> str:
    """Text-mode LaTeX of one value of a counterexample."""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float):
        return f"${sci(v, 6)}$"
    if isinstance(v, list):
        items = [value(x, names) for x in v[:8]]
        inner = [i[1:-1] if i.startswith("$") and i.endswith("$") and i.count("$") == 2 else rf"\text{{{i}}}" for i in items]
        more = r",\allowbreak\ \ldots" if len(v) > 8 else ""
        return "$(" + r",\allowbreak\ ".join(inner) + more + ")$"
    if isinstance(v, dict):
        return "; ".join(f"{escape(str(k))}: {value(x, names)}" for k, x in v.items())
    s = str(v)
    n = number(s)
    if n is not None:
        return f"${n}$"
    e = expression(s, names)
    if e is not None:
        return f"${e}$"
    shown = _matrix(s, names) or _tuple(s, names) or _equations(s, names)
    if shown is not None:
        return f"${shown}$"
    return r"\texttt{" + escape(s[:200] + (" ..." if len(s) > 200 else "")) + "}"


def _cell(text: str, names: list[str] | None) -> str | None:
    text = text.strip()
    return number(text) or expression(text, names) if text else None


def _matrix(s: str, names: list[str] | None) -> str | None:
    """``Matrix([[7/27], [1/3]])`` (as sympy prints it) as a pmatrix of at most 8 x 8."""
    m = re.fullmatch(r"\s*Matrix\(\[(.*)\]\)\s*", s, re.S)
    if m is None:
        return None
    rows = re.findall(r"\[([^\[\]]*)\]", m.group(1))
    if not rows or len(rows) > 8 or re.sub(r"\[[^\[\]]*\]|[\s,]", "", m.group(1)):
        return None
    cells = [[_cell(c, names) for c in row.split(",")] for row in rows]
    if len({len(r) for r in cells}) != 1 or len(cells[0]) > 8 or any(c is None for r in cells for c in r):
        return None
    return r"\begin{pmatrix}" + r" \\ ".join(" & ".join(str(c) for c in r) for r in cells) + r"\end{pmatrix}"


def _tuple(s: str, names: list[str] | None) -> str | None:
    """``(0, 0)`` as a tuple of numbers or expressions (at most 8)."""
    m = re.fullmatch(r"\s*\((.*)\)\s*", s, re.S)
    if m is None or "(" in m.group(1) or ")" in m.group(1):
        return None
    items = [_cell(c, names) for c in m.group(1).split(",")]
    if not 2 <= len(items) <= 8 or any(i is None for i in items):
        return None
    return "(" + ",\\ ".join(str(i) for i in items) + ")"


def _equations(s: str, names: list[str] | None) -> str | None:
    """``g(x1) = x1**3/3; p(x1) = exp(-x1**2)``: definitions, each ``f(args) = expression``."""
    out = []
    for part in s.split(";"):
        m = re.fullmatch(r"\s*([A-Za-z]\w*)\(([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\)\s*=\s*(.+?)\s*", part, re.S)
        if m is None:
            return None
        args = [a.strip() for a in m.group(2).split(",")]
        rhs = expression(m.group(3), [*(names or []), *args])
        if rhs is None:
            return None
        out.append(f"{name(m.group(1))}({', '.join(name(a) for a in args)}) = {rhs}")
    return r",\quad ".join(out) if out else None


def _objective(obj: dict[str, Any]) -> str:
    variables = [str(x) for x in obj.get("variables", [])]
    fam = escape(str(obj.get("family", "")))
    f = expression(str(obj.get("F", "")), variables)
    args = ", ".join(name(x) for x in variables)
    if f is not None:
        shown = rf"$F({args}) = {f}$" if len(f) < 140 else rf"\[ \fitmath{{F({args}) = {f}}} \]"
    else:
        shown = r"$F$ = \texttt{" + escape(str(obj.get("F", ""))[:200]) + "}"
    parts = [rf"the objective {shown} (family \textsf{{{fam}}})"]
    consts = obj.get("constants", {}) or {}
    named = []
    for k in ("L", "lower", "mu", "minimum"):
        if k in consts:
            label = {"L": "L", "lower": r"\inf F \ge", "mu": r"\mu", "minimum": r"\min F"}[k]
            val = number(str(consts[k])) or expression(str(consts[k])) or r"\text{?}"
            named.append(f"${label} {'' if k == 'lower' else '='} {val}$".replace("  ", " "))
    if "minimizer" in consts:
        named.append("minimizer " + value(consts["minimizer"]))
    if "region" in consts and isinstance(consts["region"], dict):
        lo, hi = consts["region"].get("lo", []), consts["region"].get("hi", [])
        box = r" \times ".join(f"[{number(str(a)) or '?'}, {number(str(b)) or '?'}]" for a, b in zip(lo, hi, strict=False))
        named.append(f"region ${box}$")
    if named:
        parts.append("with constants " + ", ".join(named))
    if consts.get("how"):
        parts.append(r"(certified: " + escape(str(consts["how"])) + ")")
    return " ".join(parts)


def counterexample(ce: dict[str, Any]) -> str:
    """Text-mode LaTeX describing a counterexample: the objective, its parameters, points and margin."""
    out: list[str] = []
    names: list[str] = []
    if isinstance(ce.get("objective"), dict):
        names = [str(x) for x in ce["objective"].get("variables", [])]
        out.append(_objective(ce["objective"]))
    items: list[str] = []
    for group in ("params", "points"):
        g = ce.get(group)
        if isinstance(g, dict):
            for k, v in g.items():
                items.append(rf"${name(str(k))} = {value(v, names)[1:-1]}$" if value(v, names).startswith("$") else f"${name(str(k))}$ = {value(v, names)}")
    for k, v in ce.items():
        if k in ("objective", "params", "points"):
            continue
        shown = value(v, names)
        label = r"\text{margin}" if k == "margin" else name(str(k))
        if shown.startswith("$") and shown.endswith("$") and shown.count("$") == 2:
            items.append(f"${label} = {shown[1:-1]}$")
        else:
            items.append(f"${label}$: {shown}")
    if items:
        out.append(("at " if out else "") + ", ".join(items))
    return "; ".join(out) + "."
