"""LaTeX of statements written in notation."""

from __future__ import annotations

from typing import Any

import sympy

from symbolic.latex import escape

from .compiler import Compiler


def statement_latex(family: str, points: list[str], comp: Compiler, bound_exprs: dict[str, tuple[Any, Any, bool, bool]], hyps: list[Any], concl: Any) -> str:
    """``for all F in family, points, parameters in their domains: hypotheses => conclusion``, in LaTeX.

    ``bound_exprs`` maps each parameter to ``(lower, upper, lower_open, upper_open)`` (None: unbounded);
    ``family == "none"`` leaves out the objective's quantifier.
    """
    quant = []
    if family != "none":
        quant.append(r"F \in \texttt{" + escape(family) + "}")
    if points:
        quant.append(", ".join(sympy.latex(comp.point_symbols[p]) for p in points) + r" \in \operatorname{dom} F")
    for pname, (lo, hi, lo_open, hi_open) in bound_exprs.items():
        left = ("(" if lo_open or lo is None else "[")
        right = (")" if hi_open or hi is None else "]")
        lo_t = sympy.latex(lo) if lo is not None else r"-\infty"
        hi_t = sympy.latex(hi) if hi is not None else r"\infty"
        quant.append(sympy.latex(comp.param_symbols[pname]) + r" \in \left" + left + lo_t + ", " + hi_t + r"\right" + right)
    body = sympy.latex(concl)
    if hyps:
        body = r",\ ".join(sympy.latex(h) for h in hyps) + r" \implies " + body
    return r"\text{for all } " + r",\ ".join(quant) + r":\quad " + body
