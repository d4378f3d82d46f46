"""A check of high-precision numerical agreement: residuals of a computation against a tolerance.

For statements whose exact check is out of reach but whose two sides can be computed to many
digits (an integral by quadrature against a closed form, say): :class:`NumericAgreement` is
``checked`` when every residual is within the tolerance and ``undecided`` otherwise. Not
rigorous, so it never proves and never refutes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .checks import Check
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict


class NumericAgreement(Check):
    """A high-precision numerical agreement: ``experiment(settings)`` returns ``(label, residual)``
    pairs computed at ``settings.digits`` digits; the check holds (``checked``) when every residual
    is at most ``tol``. Not rigorous, so it never refutes: a larger residual gives ``undecided``."""

    kind = "N"

    def __init__(self, name: str, experiment: Callable[[CheckSettings], Sequence[tuple[str, Any]]], *, tol: float, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.experiment, self.tol = experiment, tol

    def run(self, settings: CheckSettings) -> Outcome:
        rows = list(self.experiment(settings))
        worst = max(float(abs(r)) for _, r in rows)
        bad = [lab for lab, r in rows if not float(abs(r)) <= self.tol]
        details = f"largest residual {worst:.3g} (tolerance {self.tol:.1g})" + (f"; above tolerance: {bad[:3]}" if bad else "")
        return Outcome(
            Verdict.UNDECIDED if bad else Verdict.CHECKED,
            Evidence(method="high-precision numerical agreement (mpmath)", samples=len(rows), digits=settings.digits, seed=settings.seed, details=details),
        )
