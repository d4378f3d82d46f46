"""A claim decided exactly on a finite, stated list of cases (exact rationals or Arb balls).

Used where a statement is about finitely many objects that can all be enumerated, e.g. every
sampling path of a few SGD steps with a finite noise law: each case's margin is computed in Arb
ball arithmetic (exact rationals pass through exactly), so a certainly negative margin is a
confirmed counterexample. Finitely many cases never prove a statement about all: the verdict
is at most ``checked``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .backends import ArbBackend, Backend, Number, arb_precision, ball_certainly
from .checks import Check
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict


class ExactCases(Check):
    """A claim decided exactly (rationals, or Arb balls) on a finite, stated list of cases.

    ``margin(case, B)`` >= 0 (> 0 if strict) is the claim at a case. Every case is decided in Arb
    (exact rationals pass through exactly); a case whose ball is certainly negative refutes the
    claim with that case as counterexample. Verdict ``checked`` (finitely many cases, not all).
    """

    kind = "N"

    def __init__(self, name: str, cases: Callable[[], Sequence[dict[str, Any]]], margin: Callable[[dict[str, Any], Backend], Number], *, strict: bool = False, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.cases, self.margin, self.strict = cases, margin, strict

    def run(self, settings: CheckSettings) -> Outcome:
        cases = list(self.cases())
        smallest = math.inf
        for case in cases:
            bits = 256
            while True:
                with arb_precision(bits):
                    m = self.margin(case, ArbBackend(bits))
                    decided = ball_certainly(m, self.strict)
                    mid = float(m.mid())
                if decided is not None or bits >= settings.max_confirm_bits:
                    break
                bits *= 2
            if decided is False:
                return Outcome(Verdict.REFUTED, Evidence(method="exact enumeration, decided in Arb ball arithmetic", samples=len(cases), counterexample=_show(case) | {"margin": str(m)}, details="the margin ball is certainly negative"))
            if decided is None:
                return Outcome(Verdict.UNDECIDED, Evidence(method="exact enumeration", samples=len(cases), counterexample=_show(case) | {"margin": str(m)}, details="a margin ball straddles 0"))
            smallest = min(smallest, mid)
        return Outcome(Verdict.CHECKED, Evidence(method="exact enumeration over all sampling paths, decided in Arb ball arithmetic", samples=len(cases), details=f"{len(cases)} cases, smallest margin {smallest:.4g}"))


def _show(case: dict[str, Any]) -> dict[str, str]:
    """A case for the report: exact values as strings (tuples of rationals kept readable), no path lists."""
    out = {}
    for k, v in case.items():
        if k == "paths":
            continue
        out[k] = "(" + ", ".join(str(x) for x in v) + ")" if isinstance(v, tuple) else str(v)
    return out

