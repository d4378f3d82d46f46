"""Parametrization of the catalogue tests, derived from the registry (never listed by hand)."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from symbolic import CheckSettings
from theorems.registry import entries
from theorems.runner import run_one


def check_params(prefix: str) -> list:
    """One pytest param per check of every entry under ``prefix``."""
    out = []
    for e in entries([prefix]):
        for c in e.all_checks():
            marks = [pytest.mark.slow] if getattr(c, "slow", False) else []
            out.append(pytest.param(e.id, c.name, id=f"{e.id}::{c.name}", marks=marks))
    if not out:
        # A lost catalogue section must fail the suite, not show up as "skipped".
        raise LookupError(f"the registry has no checks under {prefix!r}")
    return out


def assert_expected(entry_id: str, check_name: str, settings: CheckSettings) -> None:
    """The check's verdict is the one the catalogue records (holds, or refuted for errata and necessity)."""
    r = run_one(entry_id, check_name, settings)
    detail = f"{entry_id} / {check_name}: {r.outcome.verdict.value}, expected {r.expect}; {r.outcome.evidence.summary()}"
    assert r.ok, detail
    if r.outcome.verdict.value == "refuted":
        assert r.outcome.evidence.counterexample is not None, "a refutation must carry its counterexample"
    if r.kind == "S" and r.expect == "holds":
        # a symbolic check that falls back to sampling has lost its proof: say so. A derivation
        # whose proved steps are not linked to its (prose) steps is honestly at most checked,
        # and says so in its evidence (issue 10: derivations compose)
        unlinked = "not proved as a chain" in r.outcome.evidence.details
        assert r.outcome.verdict.value == "proved" or (unlinked and r.outcome.verdict.value == "checked"), detail


# Readers of a recorded counterexample, so a quality test can re-derive it by hand. The text they read is the
# engine's own output in a test, not untrusted input.


def margin_mid(s: str) -> mpmath.mpf:
    """The midpoint of a margin as the engine prints it: a number or an Arb ball '[mid +/- rad]'."""
    with mpmath.workdps(60):
        return mpmath.mpf(s.strip("[]").split("+/-")[0].strip())


def recorded_objective(cex: dict) -> tuple[sp.Expr, list[sp.Symbol], list[sp.Rational]]:
    """F, its variables and the point x of a counterexample recorded by a Claim."""
    names = cex["objective"]["variables"]
    syms = [sp.Symbol(n) for n in names]
    F = sp.sympify(cex["objective"]["F"], locals=dict(zip(names, syms, strict=True)))
    x = [sp.Rational(v) for v in cex["points"]["x"]]
    return F, syms, x


def recorded(cex: dict, group: str, name: str) -> sp.Rational | list[sp.Rational]:
    """An exact recorded value: ``recorded(cex, "params", "alpha")`` or ``recorded(cex, "points", "y")``."""
    v = cex[group][name]
    return [sp.Rational(t) for t in v] if isinstance(v, list) else sp.Rational(v)
