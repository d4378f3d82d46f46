"""Derivations: chains e0 REL1 e1 REL2 e2 ... with each step justified and checked on its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from .checks import Check, Expect
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
    """What kind of relation a check can establish: ``"="``, ``"<="`` (non-strict), ``"<"``
    (strict), ``"margin"`` (``margin >= 0``: non-strict, possibly an equality written as
    ``-|a - b| >= 0``), or None when it cannot be told from the check."""
    from .certify import BoxCertificate
    from .claims import Claim
    from .proofs import Identity, Implication

    if isinstance(check, Identity):
        return "="
    if isinstance(check, Claim):
        if check.rel == "==":
            return "="
        if check.rel in ("<=", ">="):
            return "<="
        return "<" if check.strict else "margin"
    if isinstance(check, BoxCertificate):
        return "<" if check.strict else "margin"
    if isinstance(check, Implication):
        c = check.conclusion
        if isinstance(c, sympy.Equality):
            return "="
        if isinstance(c, sympy.LessThan | sympy.GreaterThan):
            return "<="
        if isinstance(c, sympy.StrictLessThan | sympy.StrictGreaterThan):
            return "<"
        return None
    if isinstance(check, Derivation):
        r = check.relation
        return {"=": "=", "<=": "<=", ">=": "<=", "<": "<", ">": "<"}.get(r or "")
    return None


def _mismatch(rel: str, check: Check) -> str | None:
    """Why ``check`` cannot justify a step ``rel`` (None when it may)."""
    kind = _establishes(check)
    if kind is None or rel in ("=>", "<=>"):
        return None
    if rel in _STRICT and kind != "<":
        what = "an equality" if kind == "=" else "a non-strict inequality"
        return f"the step claims a strict inequality {rel!r} but its check establishes {what}"
    if rel == "=" and kind not in ("=", "margin"):
        return f"the step claims an equality but its check establishes an inequality ({kind!r})"
    return None


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
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
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
        from .display import derivation_latex

        return derivation_latex(self)

    def _repr_html_(self) -> str:
        from .display import derivation_html

        return derivation_html(self)

    def run(self, settings: CheckSettings) -> Outcome:
        parts: list[tuple[str, Outcome]] = []
        for i, step in enumerate(self.steps):
            label = step.label or f"step {i + 1}"
            if step.check is None:
                out = Outcome(Verdict.UNDECIDED, Evidence(method="no check attached to this step"))
            elif (why := _mismatch(step.rel, step.check)) is not None:
                out = Outcome(Verdict.UNDECIDED, Evidence(method="the check does not establish the step's relation", details=why))
            else:
                out = step.check.run(settings)
                if not step.check.expect.met_by(out.verdict) and step.check.expect is Expect.REFUTED:
                    pass  # reported by the caller through the step's own expectation
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
        ce = next((o.evidence.counterexample for _, o in parts if o.verdict is Verdict.REFUTED), None)
        return Outcome(
            overall,
            Evidence(method=f"derivation of {len(self.steps)} steps, each checked on its own", details=details, counterexample=ce),
            tuple(parts),
        )
