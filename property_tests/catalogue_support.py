"""Parametrization of the catalogue tests, derived from the registry (never listed by hand)."""

from __future__ import annotations

import pytest

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
        # a symbolic check that falls back to sampling has lost its proof: say so
        assert r.outcome.verdict.value == "proved", detail
