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
    return out or [pytest.param(None, None, id=f"{prefix}-empty", marks=pytest.mark.skip(reason=f"no {prefix} entries yet"))]


def assert_expected(entry_id: str, check_name: str, settings: CheckSettings) -> None:
    """The check's verdict is the one the catalogue records (holds, or refuted for errata and necessity)."""
    r = run_one(entry_id, check_name, settings)
    detail = f"{entry_id} / {check_name}: {r.outcome.verdict.value}, expected {r.expect}; {r.outcome.evidence.summary()}"
    assert r.ok, detail
    if r.outcome.verdict.value == "refuted":
        assert r.outcome.evidence.counterexample is not None, "a refutation must carry its counterexample"
