"""The recursion of Lemma 4.1 (Section 4 of arXiv 2304.09221), iterated with equality in Arb ball
arithmetic, and a check that k^p b_k tends to a stated limit."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as Q
from typing import Any

from flint import arb

from symbolic import Check, CheckSettings, Evidence, Outcome, Verdict
from symbolic.backends import arb_precision


@dataclass(frozen=True)
class Recursion:
    """b_{k+1} = (1 - C1/(k+n0)^q) b_k + C2/(k+n0)^{q+p}, b_1 given (all exact rationals)."""

    q: Q
    p: Q
    C1: Q
    C2: Q
    n0: Q
    b1: Q = Q(1)

    def label(self) -> str:
        return f"q={self.q}, p={self.p}, C1={self.C1}, C2={self.C2}, n0={self.n0}, b1={self.b1}"


def arb_of(v: Q) -> Any:
    """An Arb ball enclosing the fraction."""
    return arb(v.numerator) / v.denominator


def iterate(rec: Recursion, K: int, checkpoints: tuple[int, ...], bits: int = 128) -> dict[int, Any]:
    """Arb enclosures of k^p b_k at the checkpoints (the recursion with equality)."""
    out: dict[int, Any] = {}
    with arb_precision(bits):
        q, p, C1, C2, n0 = arb_of(rec.q), arb_of(rec.p), arb_of(rec.C1), arb_of(rec.C2), arb_of(rec.n0)
        b = arb_of(rec.b1)
        one_q = rec.q == 1
        for k in range(1, K + 1):
            if k in checkpoints:
                out[k] = arb(k) ** p * b
            m = arb(k) + n0
            mq = m if one_q else m**q
            b = (1 - C1 / mq) * b + C2 / (mq * m**p)
    return out


class SequenceLimit(Check):
    """k^p b_k -> C for the recursion (4.2) with equality, for several parameter sets (Arb).

    ``checked`` when, for every set, K^p b_K is closer to C than (K/10)^p b_{K/10} and the
    Richardson extrapolation (leading correction O(k^(q-1)) for q < 1, O(k^(-min(1, C1-p))) for
    q = 1; parameters with C1 - p = 1, where a logarithm appears, are avoided) is within ``tol`` of C.
    """

    kind = "N"

    def __init__(self, name: str, recursions: list[Recursion], limit: Any, *, K: int = 100000, tol: float = 0.01, **kw: Any) -> None:
        super().__init__(name, **kw)
        self.recursions, self.limit, self.K, self.tol = recursions, limit, K, tol

    def run(self, settings: CheckSettings) -> Outcome:
        K = self.K
        lines = []
        ok = True
        for rec in self.recursions:
            vals = iterate(rec, K, (K // 10, K))
            with arb_precision(128):
                C = self.limit(rec)
                e1 = abs(vals[K // 10] / C - 1)
                e2 = abs(vals[K] / C - 1)
                # leading correction O(k^e): e = q - 1 (q < 1), e = -min(1, C1 - p) (q = 1, transient k^(p - C1));
                # Richardson extrapolation from K/10 and K
                e = rec.q - 1 if rec.q < 1 else -min(Q(1), rec.C1 - rec.p)
                r = arb(10) ** arb_of(e)
                extrapolated = (vals[K] - r * vals[K // 10]) / (1 - r)
                e3 = abs(extrapolated / C - 1)
                good = bool(e3 < self.tol) and bool(e2 < e1)
            ok = ok and good
            lines.append(
                f"{rec.label()}: K^p b_K = {float(vals[K].mid()):.6g} vs {float(C.mid()):.6g} (rel. dist. {float(e1.mid()):.2g} at K/10, "
                f"{float(e2.mid()):.2g} at K, {float(e3.mid()):.2g} after extrapolation)"
            )
        return Outcome(
            Verdict.CHECKED if ok else Verdict.UNDECIDED,
            Evidence(method=f"recursion (4.2) with equality iterated to K={K} in Arb (128 bits), Richardson extrapolation in the leading correction", details="; ".join(lines), samples=len(self.recursions)),
        )
