"""Certification over a whole box: branch and bound in Arb proves ``margin >= 0`` everywhere."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from .backends import ArbBackend, Backend, Number, arb_precision, ball_certainly
from .checks import Check
from .objectives import Box
from .rigorous import minimize_rigorously
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict


class BoxCertificate(Check):
    """``margin(B, x) >= 0`` (``> 0`` when strict) for every x in ``box``, certified by branch and bound.

    ``margin`` must use backend arithmetic only, so that on Arb balls it is an interval
    extension. ``certified`` when the rigorous lower bound clears zero; ``refuted`` when a
    point's ball is certainly negative; otherwise ``undecided``.
    """

    kind = "N"

    def __init__(
        self,
        name: str,
        margin: Callable[[Backend, list[Number]], Number],
        box: Box,
        *,
        strict: bool = False,
        max_boxes: int = 20000,
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
        self.margin, self.box, self.strict, self.max_boxes = margin, box, strict, max_boxes

    def establishes(self) -> str | None:
        return "<" if self.strict else "margin"

    def run(self, settings: CheckSettings) -> Outcome:
        res = minimize_rigorously(self.margin, self.box, target=Fraction(0), max_boxes=self.max_boxes)
        ok = res.lower > 0 if self.strict else res.lower >= 0
        ev = dict(method="branch and bound with Arb balls over the whole box", samples=res.boxes, extra={"box": self.box.to_json()})
        if ok:
            return Outcome(Verdict.CERTIFIED, Evidence(details=f"rigorous lower bound {float(res.lower):.6g}", **ev))  # type: ignore[arg-type]
        B = ArbBackend(256)
        with arb_precision(256):
            m = self.margin(B, [B.num(c) for c in res.best_point])
            decided = ball_certainly(m, self.strict)
        if decided is False:
            return Outcome(
                Verdict.REFUTED,
                Evidence(counterexample={"x": [str(c) for c in res.best_point], "margin": str(m)}, details="margin certainly negative at this point", **ev),  # type: ignore[arg-type]
            )
        return Outcome(Verdict.UNDECIDED, Evidence(details=f"lower bound {float(res.lower):.3g} after {res.boxes} boxes", **ev))  # type: ignore[arg-type]
