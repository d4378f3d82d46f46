"""The common interface of everything that can be checked: claims, proofs, derivations, ..."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import sympy

from .rendering import render
from .settings import CheckSettings
from .verdicts import Outcome, Verdict

_RELATIONS = {"=": sympy.Eq, "<=": sympy.Le, "<": sympy.Lt, ">=": sympy.Ge, ">": sympy.Gt}

#: the kinds of check, strongest first (see docs/verdicts.md)
KINDS = {
    "S": "symbolic",
    "N": "numeric property test",
    "M": "Monte Carlo",
    "D": "definition",
    "I": "illustration",
}


class Expect(StrEnum):
    """What the author of a check expects: that it holds, or that it is refuted.

    ``REFUTED`` marks a stated version found wrong (an erratum) or a necessity witness
    (a hypothesis dropped on purpose); ``theorems check`` fails when a verdict goes
    against the expectation.
    """

    HOLDS = "holds"
    REFUTED = "refuted"

    def met_by(self, verdict: Verdict) -> bool:
        if self is Expect.HOLDS:
            return verdict.holds
        return verdict is Verdict.REFUTED


class Check:
    """Base class. Subclasses implement :meth:`run` and :meth:`latex_body`."""

    kind: str = "N"
    #: an identity (lhs = rhs by sympy); a derivation's implication step cannot rest on one
    is_identity: bool = False

    def __init__(
        self,
        name: str,
        *,
        statement: str = "",
        expect: Expect = Expect.HOLDS,
        role: str = "",
        note: str = "",
        scope: str = "",
        title_latex: str = "",
    ) -> None:
        if not name:
            raise ValueError("a check needs a name")
        self.name = name
        self.statement = statement
        self.expect = expect
        self.role = role
        self.note = note
        #: what the check establishes when it holds, when that is narrower than its title
        #: suggests: "d = 3", "l = 3 only", "quadratic F"; "" means the statement as titled
        self.scope = scope
        #: the title typeset (text-mode LaTeX, maths in $...$); "" means derived from ``name``
        #: by :func:`symbolic.titles.title_to_latex` where that is safe, escaped otherwise
        self.title_latex = title_latex

    def run(self, settings: CheckSettings) -> Outcome:
        raise NotImplementedError

    def latex_body(self, outcome: Outcome | None = None) -> str:
        """LaTeX (text mode) for the check; see :mod:`symbolic.latex` (found through
        :mod:`symbolic.rendering`, so that checks do not import their renderer)."""
        return render("check_latex", self, outcome)

    # what the check establishes, for derivations and proof graphs (overridden by subclasses)
    def establishes(self) -> str | None:
        """What kind of relation the check can establish: ``"="``, ``"<="`` (non-strict), ``"<"``
        (strict), ``"margin"`` (``margin >= 0``: non-strict, possibly an equality written as
        ``-|a - b| >= 0``), or None when it cannot be told from the check."""
        return None

    def proves_relation(self) -> tuple[str, Any, Any, list[Any]] | None:
        """``(rel, a, b, hypotheses)``: the relation the check proves between two sympy
        expressions and the hypotheses it needs (None when it is not of that form)."""
        return None

    def proves_formula(self) -> Any | None:
        """The statement a symbolic check proves, as a sympy boolean (None when it has none)."""
        concl = self.proves_relation()
        if concl is None:
            return None
        rel, a, b, _ = concl
        return _RELATIONS[rel](a, b, evaluate=False)

    def _latex(self, printer: Any = None) -> str:
        return self.statement

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.statement}$" if self.statement else f"\\text{{{self.name}}}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"
