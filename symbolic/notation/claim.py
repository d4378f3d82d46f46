"""Catalogue claims written in notation: the margin, the hypotheses and the LaTeX from one text.

>>> from symbolic.notation import notation_claim                       # doctest: +SKIP
>>> notation_claim("gradient inequality", "gradnorm(x)^2 <= 2*L*F(x)", cases=...)  # doctest: +SKIP

The case the claim receives is reached by name: its points (``x``, ``y``; declared with
``points=``), its parameters (``alpha``; ``params=``), the objective through the point
functions and reducers of :mod:`.functions`, and its certified constants (``L``, ``mu``,
``lower``, ``minimum``) as the objective states them. The text goes through the safe parser
only; nothing is evaluated as code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy
from hypothesis import strategies as st

from symbolic.backends import ArbBackend, Backend, Number, arb_precision, ball_certainly
from symbolic.claims import Case, Claim

from .compiler import RELATIONS, Compiler, compile_exprs
from .errors import NotationError
from .render import _RELATION_LATEX, to_latex

#: Arb precision (bits) at which hypotheses in notation are decided
HYPOTHESIS_BITS = 256


class Notation:
    """A compiled relation ``lhs REL rhs`` in notation, with optional hypotheses, and its LaTeX.

    ``points``/``params`` name the case's points and parameters; ``functions`` supplies scalar
    functions (``{"phi": (t, t**(1/2))}``: ``phi(F(x))`` and ``phi'(F(x))`` become usable);
    ``values`` fixes named numbers (``{"c": Fraction(1, 2)}``); ``case_names`` maps a name of the
    text to the case's (``{"theta": "x", "gamma": "alpha"}``: the source's letters, the shared cases);
    ``indices`` declares summation indices (``sum(gradnorm(x)^2/k^2, k, 1, 10)``);
    ``objective`` is the objective's letter in the LaTeX (``"g"``: ``\\nabla^2 g(\\theta)``).
    """

    def __init__(
        self,
        text: str,
        *,
        points: Sequence[str] = ("x",),
        params: Sequence[str] = (),
        functions: Mapping[str, tuple[sympy.Symbol, sympy.Expr]] | None = None,
        values: Mapping[str, Fraction] | None = None,
        hypotheses: Sequence[str] = (),
        where: str = "notation",
        case_names: Mapping[str, str] | None = None,
        objective: str = "F",
        indices: Sequence[str] = (),
    ) -> None:
        self.text = text
        self.objective = objective
        self._last: tuple[Case, Backend, list[Number]] | None = None
        self.hypotheses_text = list(hypotheses)
        self.compiler = Compiler(list(points), list(params), functions=functions, values=values, raw_constants=True, case_names=case_names, indices=indices)
        comp = self.compiler
        self.relation = comp.parse(text, where, True)
        if type(self.relation) not in RELATIONS:
            raise NotationError(f"{where}: expected a relation with <=, <, >=, > or =, got {text!r}")
        self.rel = RELATIONS[type(self.relation)]
        self.hypotheses = [comp.parse(h, f"{where} hypothesis {i}", True) for i, h in enumerate(self.hypotheses_text)]
        for i, h in enumerate(self.hypotheses):
            if type(h) not in RELATIONS:
                raise NotationError(f"{where} hypothesis {i}: expected a relation with <=, <, >=, > or =")
        lhs = comp.lower(self.relation.lhs, where)
        rhs = comp.lower(self.relation.rhs, where)
        hyp = [(RELATIONS[type(h)], comp.lower(h.lhs - h.rhs, f"{where} hypothesis {i}")) for i, h in enumerate(self.hypotheses)]
        args = comp.args()
        self._sides = compile_exprs([lhs, rhs], args, where)
        self._hyp_rels = [r for r, _ in hyp]
        self._hyps = compile_exprs([m for _, m in hyp], args, where) if hyp else None
        compile_exprs(comp.scalar_arguments() or [sympy.Integer(0)], [*comp.param_symbols.values(), *comp.const_symbols.values()], where)

    def sides(self, c: Case, B: Backend) -> list[Number]:
        """[lhs, rhs] at case ``c`` in backend ``B`` (the last evaluation is kept: a claim asks
        for lhs then rhs of the same case)."""
        last = self._last
        if last is not None and last[0] is c and last[1] is B:
            return last[2]
        out = list(self._sides(B, self.compiler.values(c, B)))
        self._last = (c, B, out)
        return out

    def lhs(self, c: Case, B: Backend) -> Number:
        """The left side at case ``c``."""
        return self.sides(c, B)[0]

    def rhs(self, c: Case, B: Backend) -> Number:
        """The right side at case ``c``."""
        return self.sides(c, B)[1]

    def margin(self, c: Case, B: Backend) -> Number:
        """rhs - lhs for ``<``/``<=``, lhs - rhs for ``>``/``>=`` (what :class:`Claim` computes)."""
        a, b = self.sides(c, B)
        return b - a if self.rel in ("<=", "<") else a - b

    def hypotheses_hold(self, c: Case) -> bool:
        """Every hypothesis certainly holds at ``c`` (Arb balls at 256 bits; undecided counts as not)."""
        if self._hyps is None:
            return True
        B = ArbBackend(HYPOTHESIS_BITS)
        with arb_precision(HYPOTHESIS_BITS):
            try:
                ms = self._hyps(B, self.compiler.values(c, B))
            except (ValueError, ZeroDivisionError):
                return False
            return balls_satisfy(self._hyp_rels, ms)
        return True

    def latex(self) -> str:
        """The statement in LaTeX: ``hypotheses \\implies conclusion``."""
        body = to_latex(self.relation, self.objective)
        if self.hypotheses:
            body = r",\ ".join(to_latex(h, self.objective) for h in self.hypotheses) + r" \implies " + body
        return body

    def plain(self) -> str:
        """The statement as written: ``hypotheses => conclusion``."""
        return (", ".join(self.hypotheses_text) + " => " if self.hypotheses_text else "") + self.text


def balls_satisfy(relations: Sequence[str], margins: Sequence[Any]) -> bool:
    """Each Arb ball margin certainly satisfies its relation against 0 (``==``: exactly 0);
    a ball that cannot tell counts as not satisfied (a hypothesis must certainly hold)."""
    for r, m in zip(relations, margins, strict=True):
        if r == "==":
            ok = bool(m.is_exact() and m == 0)
        else:
            ok = ball_certainly(m if r in (">=", ">") else -m, r in (">", "<")) is True
        if not ok:
            return False
    return True


class NotationClaim(Claim):
    """A :class:`Claim` whose relation (and hypotheses) are written in notation; its ``statement``
    is the LaTeX of that same expression (followed by ``domain``, e.g. ``\\forall x,\\ 0<\\alpha<1/L``)."""

    def __init__(
        self,
        name: str,
        text: str,
        *,
        cases: st.SearchStrategy[Case],
        points: Sequence[str] = ("x",),
        params: Sequence[str] = (),
        functions: Mapping[str, tuple[sympy.Symbol, sympy.Expr]] | None = None,
        values: Mapping[str, Fraction] | None = None,
        hypotheses: Sequence[str] = (),
        where: Callable[[Case], bool] | None = None,
        domain: str = "",
        case_names: Mapping[str, str] | None = None,
        objective: str = "F",
        indices: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        if "statement" in kwargs or "margin" in kwargs or "lhs" in kwargs or "rhs" in kwargs or "rel" in kwargs:
            raise TypeError("a claim in notation takes its margin and statement from its text")
        self.notation = Notation(text, points=points, params=params, functions=functions, values=values, hypotheses=hypotheses, where=f"claim {name!r}", case_names=case_names, objective=objective, indices=indices)
        n = self.notation
        test: Callable[[Case], bool] | None = where
        if hypotheses:
            test = n.hypotheses_hold if where is None else (lambda c: where(c) and n.hypotheses_hold(c))
        statement = n.latex() + (r" \quad " + domain if domain else "")
        super().__init__(name, cases=cases, lhs=n.lhs, rel=n.rel, rhs=n.rhs, where=test, statement=statement, **kwargs)

    @property
    def text(self) -> str:
        """The claim as written in notation."""
        return self.notation.plain()


def notation_claim(name: str, text: str, **kwargs: Any) -> NotationClaim:
    """``Claim`` from text in notation: ``notation_claim("descent", "F(gradstep(x, a))..."``; see :class:`NotationClaim`."""
    return NotationClaim(name, text, **kwargs)


def relation_latex(rel: str) -> str:
    """LaTeX of a relation name (``"<="`` -> ``\\le``)."""
    return _RELATION_LATEX[rel]
