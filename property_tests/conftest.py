"""Shared fixtures: effort profiles for hypothesis and for the engine, precision hygiene."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import mpmath
import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(1, str(Path(__file__).parent.parent))  # the checkout: benchmarks' baselines are imported by tests

from flint import ctx as flint_ctx  # noqa: E402

from symbolic import CheckSettings, backends, profile  # noqa: E402

# the suite never reads or writes the user's cache folder (listing index, durations, hypothesis
# examples): one private folder per test process, inherited by the commands tests start
os.environ["THEOREMS_CACHE_DIR"] = tempfile.mkdtemp(prefix="theorems-test-cache-")

# an Arb backend used outside arb_precision would make its numbers at flint's default 53 bits
# (balls 10^13 wider than asked, and cached so): in the suite that is an error
backends.ARB_STRICT = True

# fast (the default, CI): derandomized, so a rerun of the suite draws the same examples, as every
# catalogue check does from its seed; thorough: random draws and 500 examples, to explore
settings.register_profile("fast", max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("THEOREMS_PROFILE", "fast"))


@pytest.fixture(scope="session")
def check_settings() -> CheckSettings:
    """The engine's effort for catalogue checks: ``$THEOREMS_PROFILE`` (fast by default)."""
    return profile()


@pytest.fixture(autouse=True)
def _precision_is_never_left_changed():
    """Checks set precision explicitly in private contexts; the global one must not move."""
    before = mpmath.mp.dps
    arb_before = flint_ctx.prec
    yield
    assert mpmath.mp.dps == before, "a check changed mpmath's global precision"
    assert flint_ctx.prec == arb_before, "a check changed python-flint's working precision"
    mpmath.mp.dps = before
