"""Regression tests of the audit of the Bruna (lecture 9) and Golikov catalogue areas.

Each test pins one audit fix and shows the check it added can fail (a mutant is refuted).
"""

from __future__ import annotations

from typing import Any

import pytest
import sympy as sp

import theorems.catalogue  # noqa: F401  (registers the entries)
from symbolic import Check, CheckSettings, Implication, Verdict
from symbolic.sde import OperatorIdentity
from theorems import registry

S = CheckSettings()


def _check(entry: str, prefix: str) -> Check:
    (c,) = [c for c in registry.get(entry).all_checks() if c.name.startswith(prefix)]
    return c


# ---------------------------------------------------------------- golikov.lee-saddle-avoidance: "only one of two holds"


def test_lee_reading_is_stated_and_witnessed() -> None:
    e = registry.get("golikov.lee-saddle-avoidance")
    assert "at least one of the two" in e.reading
    c = _check("golikov.lee-saddle-avoidance", "reading 'only one of two': at the critical point 0")
    assert c.run(S).verdict is Verdict.PROVED
    assert "witness" in c.scope


def test_lee_reading_witness_mutants_are_refuted() -> None:
    from theorems.catalogue.golikov import lee_saddle_avoidance as m

    x, a = m._x, m._a

    def wrong_step(d: int) -> tuple[sp.Matrix, sp.Matrix]:  # the GD displacement with 2 alpha instead of 4 alpha
        step = (x - a * sp.diff(m.BOTH_F, x)) - x
        return sp.Matrix([step - 2 * a * sp.sin(x) ** 3 * sp.cos(x)]), sp.zeros(1, 1)

    assert OperatorIdentity("mutant", wrong_step, dims=(1,)).run(S).verdict is Verdict.REFUTED

    def not_degenerate(d: int) -> tuple[sp.Matrix, sp.Matrix]:  # claim f''(0) = 1: refuted, f''(0) = 0
        return sp.Matrix([sp.diff(m.BOTH_F, x, 2).subs(x, 0)]), sp.Matrix([1])

    assert OperatorIdentity("mutant", not_degenerate, dims=(1,)).run(S).verdict is Verdict.REFUTED
    s = m._s
    assert Implication("mutant", hypotheses=[s >= 0, s <= 1], conclusion=sp.Abs(16 * s**2 - 12 * s) <= 3).run(S).verdict is Verdict.REFUTED


def test_identity_without_free_symbols_is_refuted_not_a_crash() -> None:
    """Found by the audit: an Identity between constant sides crashed (max() of an empty sequence) instead of refuting."""
    from symbolic import Identity

    assert Identity("constants", sp.Matrix([0]), sp.Matrix([1])).run(S).verdict is Verdict.REFUTED
    assert Identity("constants", sp.Integer(2), sp.Integer(2)).run(S).verdict is Verdict.PROVED


# ---------------------------------------------------------------- golikov Definitions: evidence said "by sampling" for exact decisions


def test_golikov_definitions_report_exact_decisions_and_stay_checked() -> None:
    c = _check("golikov.stationary-points", "the four predicates")
    out = c.run(S)
    assert out.verdict is Verdict.CHECKED  # examples prove no theorem
    assert "9 examples decided exactly" in out.evidence.method and "sampling" not in out.evidence.method


def test_capped_keeps_a_sampled_answer_checked() -> None:
    from symbolic import Judgement
    from theorems.catalogue.golikov._common import capped

    j = capped(lambda _: Judgement(True, Verdict.CHECKED, "sampled"))(None)
    assert j.verdict is Verdict.CHECKED and "[checked]" in j.why


# ---------------------------------------------------------------- golikov.dimension-free-rate: the power of the sweep is stated


def test_dimension_free_sweep_power_is_what_its_note_says(monkeypatch: pytest.MonkeyPatch) -> None:
    from theorems.catalogue.golikov import dimension_free_rate as m

    c = _check("golikov.dimension-free-rate", "t* <= T_eps")
    assert "Power" in c.note and "70" in c.note

    def shrunk(factor: float) -> dict[str, Any]:
        return {k: (lambda d, rng, f=f: (lambda g, L, D: (g, L, D * factor))(*f(d, rng))) for k, f in m.FAMILIES.items()}

    monkeypatch.setattr(m, "FAMILIES", shrunk(1 / 20))
    assert m._sweep(S, (1, 10))[0]  # a bound 20 times too small still passes: no power against the constant
    monkeypatch.setattr(m, "FAMILIES", shrunk(1 / 1000))
    assert not m._sweep(S, (1, 10))[0]  # ... but a bound 1000 times too small fails
