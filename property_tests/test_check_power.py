"""Power of numeric and Monte Carlo checks: each detects the smallest error its note states.

Every check below passes as stated and fails when the stated perturbation is applied (a constant
10 % off, a sampling probability off by 0.05, a bound 10 % too small, a matrix without an
unstable direction).
"""

from __future__ import annotations

from fractions import Fraction as Q

import numpy as np

from symbolic import CheckSettings, Verdict
from theorems.catalogue.pauwels.linear_iterations import GENERIC_M, divergence_experiment
from theorems.catalogue.pauwels.robbins_monro import mds_checks
from theorems.catalogue.sgdloj._network_tight import build_tight
from theorems.catalogue.sgdloj.geometric_decay import decay_tight_check
from theorems.catalogue.sgdloj.network_lower_bound import tight_A7_claim

S = CheckSettings()


def test_network_lower_bound_detects_a_constant_10_percent_too_large() -> None:
    assert tight_A7_claim().run(S).verdict is Verdict.CHECKED
    out = tight_A7_claim(Q(11, 10)).run(S)
    assert out.verdict is Verdict.REFUTED  # confirmed in Arb balls


def test_network_tight_instances_meet_every_hypothesis_and_are_tight() -> None:
    inst = build_tight(Q(2), 100, Q(1), Q(1, 100))
    assert inst.hypotheses_hold()
    c1, c2 = Q(1), Q(1, 2)
    psi2 = (inst.A - inst.R / 2) ** 2 * (inst.R / 2) ** 2 * (c1 * c2) ** 2 * inst.alpha_t**2 * inst.dist2()  # (A.14) bound, squared
    assert 1 < inst.phi() ** 2 / psi2 < Q(105, 100)  # within 5 % of equality in (A.14)


def test_martingale_monte_carlo_detects_a_sampling_bias_of_0_05() -> None:
    assert all(c.run(S).verdict is Verdict.CHECKED for c in mds_checks())
    upper, lower = mds_checks((1 / 3 + 0.05, 1 / 3 - 0.05, 1 / 3))
    out = upper.run(S)
    assert out.verdict is Verdict.UNDECIDED and "contradict" in out.evidence.details
    upper, lower = mds_checks((1 / 3 - 0.05, 1 / 3 + 0.05, 1 / 3))
    out = lower.run(S)
    assert out.verdict is Verdict.UNDECIDED and "contradict" in out.evidence.details


def test_geometric_decay_detects_a_bound_10_percent_too_small() -> None:
    assert decay_tight_check().run(S).verdict is Verdict.CHECKED
    out = decay_tight_check(0.9).run(S)
    assert out.verdict is Verdict.UNDECIDED and "contradict" in out.evidence.details


def test_genericity_illustration_fails_without_an_unstable_direction() -> None:
    exhibited, _, data = divergence_experiment(GENERIC_M, starts=2000)(S)
    assert exhibited and data["diverged"] == 2000
    contracting = 0.4 * GENERIC_M  # spectral radius 0.4 (1/2 + sqrt 2) < 1
    assert max(abs(np.linalg.eigvals(contracting))) < 1
    exhibited, _, data = divergence_experiment(contracting, starts=2000)(S)
    assert not exhibited and data["diverged"] == 0
