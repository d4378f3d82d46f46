"""The long sweeps (``pytest -m slow``): the catalogue's Monte Carlo checks at the thorough profile.

The default suite runs every catalogue check at the fast profile. Here every Monte Carlo
check runs again with ten times the trajectories (``mc_scale`` of the thorough profile), so
a verdict that holds only on the fast profile's sample size is caught. ``.ci/run`` runs these
after the default suite when CI time allows.
"""

from __future__ import annotations

import pytest
from catalogue_support import assert_expected

from symbolic import PROFILES
from theorems.registry import entries


def _monte_carlo_params() -> list:
    out = []
    for e in entries():
        for c in e.all_checks():
            if c.kind == "M":
                out.append(pytest.param(e.id, c.name, id=f"{e.id}::{c.name}"))
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("entry_id", "check_name"), _monte_carlo_params())
def test_monte_carlo_at_thorough_scale(entry_id: str, check_name: str) -> None:
    assert_expected(entry_id, check_name, PROFILES["thorough"])
