"""The fixed vocabulary of verdicts, and the evidence that travels with each.

A verdict never claims more than its evidence: sampling gives at most ``checked``;
only a symbolic proof gives ``proved``; only a rigorous computation covering the whole
stated domain gives ``certified``; ``refuted`` always carries a counterexample that was
confirmed with ball arithmetic or exact rationals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .rendering import render


class Verdict(StrEnum):
    """What a check established."""

    PROVED = "proved"  # symbolic proof in full generality
    CERTIFIED = "certified"  # rigorous computation covering the whole stated domain
    CHECKED = "checked"  # N samples at P digits, none failed
    ILLUSTRATED = "illustrated"  # a computation exhibiting a qualitative statement
    REFUTED = "refuted"  # a confirmed counterexample
    UNDECIDED = "undecided"  # nothing could be concluded

    def __str__(self) -> str:
        return self.value

    @property
    def holds(self) -> bool:
        """True for the verdicts that support the claim."""
        return self in _SUPPORTING

    @property
    def strength(self) -> int:
        """Order of the supporting verdicts (higher is stronger); 0 otherwise."""
        return _STRENGTH.get(self, 0)


_SUPPORTING = {Verdict.PROVED, Verdict.CERTIFIED, Verdict.CHECKED, Verdict.ILLUSTRATED}
_STRENGTH = {Verdict.PROVED: 4, Verdict.CERTIFIED: 3, Verdict.CHECKED: 2, Verdict.ILLUSTRATED: 1}


def weakest(verdicts: list[Verdict]) -> Verdict:
    """Combine the verdicts of the parts of a conjunction (a derivation, a multi-part claim).

    Any refuted part refutes the whole; any undecided part leaves it undecided; otherwise
    the whole is as strong as its weakest part.
    """
    if not verdicts:
        return Verdict.UNDECIDED
    if Verdict.REFUTED in verdicts:
        return Verdict.REFUTED
    if Verdict.UNDECIDED in verdicts:
        return Verdict.UNDECIDED
    return min(verdicts, key=lambda v: v.strength)


@dataclass(frozen=True)
class Evidence:
    """What a verdict rests on. Every field that applies is filled in."""

    method: str
    samples: int | None = None
    digits: int | None = None
    seed: int | None = None
    confidence: float | None = None
    counterexample: dict[str, Any] | None = None
    details: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: v for k, v in data.items() if v not in (None, "", {})}

    def summary(self) -> str:
        parts = [self.method]
        if self.samples is not None:
            parts.append(f"{self.samples} samples")
        if self.digits is not None:
            parts.append(f"{self.digits} digits")
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        if self.confidence is not None:
            parts.append(f"confidence {self.confidence:.6g}")
        text = ", ".join(parts)
        if self.details:
            text += f"; {self.details}"
        return text


@dataclass(frozen=True)
class Outcome:
    """The result of running one check."""

    verdict: Verdict
    evidence: Evidence
    parts: tuple[tuple[str, Outcome], ...] = ()

    def _repr_html_(self) -> str:
        return render("outcome_html", self)

    def _repr_latex_(self) -> str:
        return render("outcome_latex", self)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"verdict": self.verdict.value, "evidence": self.evidence.to_json()}
        if self.evidence.counterexample is not None:
            data["counterexample"] = self.evidence.counterexample
        if self.parts:
            data["parts"] = [{"step": name, **o.to_json()} for name, o in self.parts]
        return data
