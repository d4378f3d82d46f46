"""LaTeX of statements written in notation: one expression, rendered with the registry's templates.

``gradnorm(x)^2 <= 2*L*F(x)`` renders as ``\\|\\nabla F(x)\\|^{2} \\le 2 L F(x)``: each point
function and reducer has a LaTeX template in :mod:`.functions`; a caller's function ``phi``
and its derivative ``phi_prime`` render as ``\\phi`` and ``\\phi'``.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from symbolic.texescape import escape

from .compiler import PRIME_SUFFIX, SUM, Compiler
from .functions import POINT_FUNCTIONS, REDUCERS

#: how the objective's constants are typeset (``lower``: a lower bound of F; ``minimum``: its minimum)
CONSTANT_LATEX = {"lower": r"\underline{F}", "minimum": r"F^{\star}"}
_RELATION_LATEX = {"<=": r"\le", "<": "<", ">=": r"\ge", ">": ">", "==": "="}


class NotationPrinter(LatexPrinter):
    """sympy's LaTeX printer, with the notation's names printed as mathematics; ``objective``
    is the letter of the objective in the source (``F`` by default, ``g`` for Bruna's slides)."""

    def __init__(self, settings: dict[str, Any] | None = None, objective: str = "F") -> None:
        super().__init__(settings)
        self.objective = objective

    def _print_Function(self, expr: Any, exp: Any = None) -> str:
        if not isinstance(expr, AppliedUndef):
            return str(super()._print_Function(expr, exp))
        name = type(expr).__name__
        args = [self._print(a) for a in expr.args]
        spec = POINT_FUNCTIONS.get(name) or REDUCERS.get(name)
        if name == SUM and len(args) == 4:
            body = r"\sum_{" + args[1] + "=" + args[2] + "}^{" + args[3] + "} " + (r"\left(" + args[0] + r"\right)" if expr.args[0].is_Add else args[0])
        elif spec is not None:
            body = spec.latex.replace("F", self.objective).format(*args)
        else:
            base, marks = name, ""
            for k, suffix in PRIME_SUFFIX.items():
                if name.endswith(suffix):
                    base, marks = name[: -len(suffix)], "'" * k
            body = sympy.latex(sympy.Symbol(base)) + marks + r"\left(" + ", ".join(args) + r"\right)"
        if exp is not None:
            return "{" + body + "}^{" + str(exp) + "}"
        return body

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        """Terms with a plus sign first (``1 - \\alpha L``, ``F(x) - \\underline{F}``), else sympy's order."""
        terms = list(self._as_ordered_terms(expr, order=order))
        terms = [t for t in terms if not t.could_extract_minus_sign()] + [t for t in terms if t.could_extract_minus_sign()]
        tex = ""
        for i, term in enumerate(terms):
            if i > 0:
                if term.could_extract_minus_sign():
                    tex += " - "
                    term = -term
                else:
                    tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = r"\left(" + term_tex + r"\right)"
            tex += term_tex
        return tex

    def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
        if expr.name in CONSTANT_LATEX:
            return CONSTANT_LATEX[expr.name].replace("F", self.objective)
        return str(super()._print_Symbol(expr, style))

    def _print_Relational(self, expr: Any) -> str:
        from .compiler import RELATIONS

        rel = RELATIONS.get(type(expr))
        if rel is None:
            return str(super()._print_Relational(expr))
        return f"{self._print(expr.lhs)} {_RELATION_LATEX[rel]} {self._print(expr.rhs)}"


def to_latex(expr: Any, objective: str = "F") -> str:
    """LaTeX of a parsed expression or relation in notation (the objective written ``objective``)."""
    return str(NotationPrinter(objective=objective).doprint(expr))


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
