"""The pauwels claims written in notation can fail: a mutant of each kind of text is refuted.

Each mutant reuses the catalogue claim's own cases (and parameters), changing one thing in the
text: a constant doubled or halved, a relation flipped, the points exchanged.
"""

from __future__ import annotations

from typing import Any

import pytest

from symbolic import CheckSettings, Verdict
from symbolic.notation import NotationClaim
from theorems.catalogue.pauwels.descent_lemma import descent_numeric
from theorems.catalogue.pauwels.kl_half_linear_rate import half_grad
from theorems.catalogue.pauwels.kl_quadratic import quad_phi_corrected
from theorems.catalogue.pauwels.kl_strongly_convex import sc_line2_numeric, sc_line3
from theorems.catalogue.pauwels.sufficient_decrease import decrease_numeric


def _mutant(claim: NotationClaim, text: str, **kw: Any) -> NotationClaim:
    n = claim.notation
    kw.setdefault("hypotheses", n.hypotheses_text)
    return NotationClaim(f"mutant of {claim.name}", text, cases=claim.cases, points=n.compiler.points, params=n.compiler.params, **kw)


MUTANTS = [
    (half_grad, "gradnorm(x)^2 >= 2*c*F(x)", {}),  # constant x2: quadratics have ||grad F||^2 = 2 mu F exactly somewhere
    (descent_numeric, "F(y) <= F(x) + inner(x, y) + L/2*dist(x, y)^2 - L/4*dist(x, y)^2", {}),  # L/2 -> L/4
    (decrease_numeric, "Fstep(x, 1/L) <= F(x) - gradnorm(x)^2/L", {}),  # 1/(2L) -> 1/L
    (sc_line2_numeric, "inner(x, y) + mu/2*dist(x, y)^2 <= -gradnorm(x)^2/(2*mu)", {}),  # relation flipped
    (quad_phi_corrected, "gradnorm(x)/sqrt(4*mu*F(x)) >= 1", {}),  # 2 mu -> 4 mu: the stated constant's failure mode
    (sc_line3, "2*mu*(F(y) - F(x)) <= gradnorm(x)^2", {}),  # the points exchanged
]


@pytest.mark.parametrize("claim,text,kw", MUTANTS, ids=[m[1] for m in MUTANTS])
def test_notation_mutant_is_refuted(claim: NotationClaim, text: str, kw: dict[str, Any]) -> None:
    out = _mutant(claim, text, **kw).run(CheckSettings(examples=60, seed=0))
    assert out.verdict is Verdict.REFUTED, out.evidence.summary()


def test_unmutated_claims_hold() -> None:
    for claim in (half_grad, descent_numeric, decrease_numeric, sc_line2_numeric, sc_line3, quad_phi_corrected):
        assert claim.run(CheckSettings(examples=40, seed=0)).verdict.holds, claim.name
