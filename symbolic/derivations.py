"""Derivations: chains e0 REL1 e1 REL2 e2 ... with each step justified and checked on its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sympy

from .checks import Check, Expect
from .proofs import Implication
from .rendering import render
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict, weakest

#: LaTeX of each relation a step may carry
REL_LATEX = {
    "=": "=",
    "<=": r"\le",
    "<": "<",
    ">=": r"\ge",
    ">": ">",
    "=>": r"\implies",
    "<=>": r"\iff",
}


def compose(relations: Sequence[str]) -> str | None:
    """The relation between the first and last expression of a chain, or None if none follows.

    ``=`` is neutral; ``<=`` and ``<`` give ``<`` if any step is strict; mixing the two
    directions gives no relation; implications compose to an implication.
    """
    rels = [r for r in relations if r != "="]
    if not rels:
        return "="
    if all(r in ("=>", "<=>") for r in rels):
        return "<=>" if all(r == "<=>" for r in rels) else "=>"
    if all(r in ("<=", "<") for r in rels):
        return "<" if "<" in rels else "<="
    if all(r in (">=", ">") for r in rels):
        return ">" if ">" in rels else ">="
    return None


_STRICT = {"<", ">"}


def _mixed_directions(relations: Sequence[str]) -> bool:
    """Whether some run of (in)equalities between two implications goes both up and down
    (``a <= b >= c``): no relation between its ends follows."""
    run: list[str] = []
    for r in [*relations, "=>"]:
        if r in ("=>", "<=>"):
            if compose(run) is None:
                return True
            run = []
        else:
            run.append(r)
    return False


def _establishes(check: Check) -> str | None:
    """What kind of relation a check can establish (see :meth:`Check.establishes`)."""
    return check.establishes()


def _mismatch(rel: str, check: Check) -> str | None:
    """Why ``check`` cannot justify a step ``rel`` (None when it may)."""
    if rel in ("=>", "<=>"):
        if check.is_identity:
            return f"the step claims an implication {rel!r} but its check is an identity"
        return None
    kind = _establishes(check)
    if kind is None:
        return None
    if rel in _STRICT and kind != "<":
        what = "an equality" if kind == "=" else "a non-strict inequality"
        return f"the step claims a strict inequality {rel!r} but its check establishes {what}"
    if rel == "=" and kind not in ("=", "margin"):
        return f"the step claims an equality but its check establishes an inequality ({kind!r})"
    return None


_REL_CLASS = {
    "=": sympy.Eq,
    "<=": sympy.Le,
    "<": sympy.Lt,
    ">=": sympy.Ge,
    ">": sympy.Gt,
}


def step_target(prev: Any, rel: str, expr: Any) -> Any | None:
    """The statement ``prev REL expr`` as a sympy boolean (None when an end is prose)."""
    if not isinstance(prev, sympy.Basic) or not isinstance(expr, sympy.Basic):
        return None
    if rel == "=>":
        return sympy.Implies(prev, expr, evaluate=False)
    if rel == "<=>":
        return sympy.Equivalent(prev, expr, evaluate=False)
    return _REL_CLASS[rel](prev, expr, evaluate=False)


def links(check: Check, prev: Any, rel: str, expr: Any, given: Sequence[Any] = ()) -> tuple[bool, str]:
    """Whether the check's statement entails the step ``prev REL expr`` (under ``given``).

    Decided by z3 (the check's statement, instantiated at the step's own symbols, and the
    derivation's symbolic hypotheses imply the step), or by sympy for an identity whose
    difference of sides is the step's (up to sign). A sampled check cannot be linked: its
    step is at most as strong as its own verdict anyway.
    """
    target = step_target(prev, rel, expr)
    if target is None:
        return False, "the step's expressions are prose (LaTeX), not sympy: the check cannot be matched to the step"
    formula = check.proves_formula()
    if formula is None:
        return False, "the check's statement cannot be read symbolically"
    if check.is_identity and rel == "=":
        d_step, d_check = sympy.sympify(prev - expr), sympy.sympify(check.lhs - check.rhs)  # type: ignore[attr-defined]
        try:
            if sympy.simplify(d_step - d_check) == 0 or sympy.simplify(d_step + d_check) == 0:
                return True, "sympy: the identity's difference of sides is the step's"
        except (TypeError, NotImplementedError):  # pragma: no cover
            pass
    out = Implication("step link", [*given, formula], target, timeout_ms=10000).run(_LINK_SETTINGS)
    if out.verdict is Verdict.PROVED:
        return True, "z3: the check's statement entails the step"
    return False, f"the check's statement does not entail the step {sympy.sstr(target)} (z3: {out.verdict.value}; {out.evidence.details})"


_LINK_SETTINGS = CheckSettings()


def to_latex(e: Any) -> str:
    """LaTeX of a display expression: a sympy object or a LaTeX string used as is."""
    return e if isinstance(e, str) else sympy.latex(e)


@dataclass
class Step:
    """One line of a derivation: ``REL expr``, why it holds, and the check of that claim.

    ``check`` verifies *this step alone* (previous expression REL this expression).
    A step without a check is reported ``undecided`` — never silently accepted.
    ``label`` is the source's equation number, if any.
    """

    rel: str
    expr: Any
    justification: str
    check: Check | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if self.rel not in REL_LATEX:
            raise ValueError(f"unknown relation {self.rel!r}; known: {list(REL_LATEX)}")


class Derivation(Check):
    """A chain of steps from ``start``; its verdict is the weakest of its steps'.

    A chain whose (in)equalities go both up and down (``a <= b >= c``) establishes nothing
    and is ``undecided`` (or ``refuted`` when a step is). A step whose check cannot
    establish its relation (an identity or a non-strict claim under a strict step ``<``,
    an inequality under ``=``) is ``undecided``.

    ``conclusion`` optionally names the relation the chain establishes (e.g. ``"<="``);
    constructing a derivation whose steps do not compose to it is an error.

    The chain composes only if each step's check is about *that step*: a symbolic check's
    statement must entail ``previous expression REL this expression`` (z3, or sympy for an
    identity; ``given`` lists the derivation's hypotheses as sympy relations, used there),
    so consecutive steps share the displayed expression. A step whose check is proved but
    not linked to it (prose expressions, another statement) counts as at most ``checked``,
    with the reason in its evidence: the derivation is then not ``proved``.
    """

    kind = "S"

    def __init__(
        self,
        name: str,
        start: Any,
        steps: Sequence[Step],
        *,
        conclusion: str | None = None,
        hypotheses: Sequence[str] = (),
        given: Sequence[Any] = (),
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
        self.given = list(given)
        if not steps:
            raise ValueError(f"derivation {name!r} has no steps")
        self.start = start
        self.steps = list(steps)
        self.hypotheses = list(hypotheses)
        self.relation = compose([s.rel for s in self.steps])
        if conclusion is not None and self.relation != conclusion and not (
            conclusion == "<=" and self.relation in ("<", "=") or conclusion == ">=" and self.relation in (">", "=")
        ):
            raise ValueError(f"derivation {name!r}: steps compose to {self.relation!r}, not {conclusion!r}")
        kinds = {s.check.kind for s in self.steps if s.check is not None}
        self.kind = "S" if kinds <= {"S"} else "N" if "N" in kinds else sorted(kinds)[0]

    def _repr_latex_(self) -> str:
        return render("derivation_latex", self)

    def _repr_html_(self) -> str:
        return render("derivation_html", self)

    def establishes(self) -> str | None:
        return {"=": "=", "<=": "<=", ">=": "<=", "<": "<", ">": "<"}.get(self.relation or "")

    def proves_relation(self) -> tuple[str, Any, Any, list[Any]] | None:
        end = self.steps[-1].expr
        if (self.hypotheses and not self.given) or self.relation not in ("=", "<=", "<", ">=", ">"):
            return None
        if not isinstance(self.start, sympy.Basic) or not isinstance(end, sympy.Basic):
            return None
        return self.relation, self.start, end, list(self.given)

    def run(self, settings: CheckSettings) -> Outcome:
        parts: list[tuple[str, Outcome]] = []
        unlinked: list[str] = []
        for i, step in enumerate(self.steps):
            label = step.label or f"step {i + 1}"
            if step.check is None:
                out = Outcome(Verdict.UNDECIDED, Evidence(method="no check attached to this step"))
            elif (why := _mismatch(step.rel, step.check)) is not None:
                out = Outcome(Verdict.UNDECIDED, Evidence(method="the check does not establish the step's relation", details=why))
            else:
                out = step.check.run(settings)
                if out.verdict is Verdict.PROVED:
                    prev = self.start if i == 0 else self.steps[i - 1].expr
                    ok, why = links(step.check, prev, step.rel, step.expr, self.given)
                    if not ok:
                        unlinked.append(label)
                        out = Outcome(
                            Verdict.CHECKED,
                            replace(out.evidence, details=(out.evidence.details + f"; its check is proved but not linked to the step: {why}").lstrip("; ")),
                            out.parts,
                        )
            parts.append((label, out))
        verdicts = []
        for step, (_, out) in zip(self.steps, parts, strict=True):
            if step.check is not None and step.check.expect is Expect.REFUTED and out.verdict is Verdict.REFUTED:
                verdicts.append(Verdict.REFUTED)  # a step known to be wrong still breaks the chain
            else:
                verdicts.append(out.verdict)
        overall = weakest(verdicts)
        mixed = _mixed_directions([s.rel for s in self.steps])
        if mixed and overall is not Verdict.REFUTED:
            overall = Verdict.UNDECIDED
        counts: dict[str, int] = {}
        for v in verdicts:
            counts[v.value] = counts.get(v.value, 0) + 1
        details = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        if mixed:
            details += "; the steps go both up (<=, <) and down (>=, >): no relation between the ends follows"
        if unlinked:
            details += f"; not proved as a chain: the proved checks of {', '.join(unlinked)} are not linked to their steps (at most checked)"
        ce = next((o.evidence.counterexample for _, o in parts if o.verdict is Verdict.REFUTED), None)
        return Outcome(
            overall,
            Evidence(method=f"derivation of {len(self.steps)} steps, each checked on its own", details=details, counterexample=ce),
            tuple(parts),
        )
