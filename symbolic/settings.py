"""How hard a check works: samples, digits, seed. Profiles for CI and for release."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class CheckSettings:
    """Effort and reproducibility of a check.

    ``examples`` hypothesis draws, evaluated at ``digits`` significant digits; ``seed``
    fixes every random choice (hypothesis, local search, Monte Carlo); ``local_search``
    starts of local minimisation from the worst draws; ``mc_scale`` multiplies the
    number of Monte Carlo trajectories. ``screening`` (default on; ``$THEOREMS_SCREENING=0``
    turns it off in :func:`profile`) evaluates claims in float64 intervals first and only the
    decisive cases at ``digits``; the verdict rule is the same either way.
    """

    examples: int = 60
    digits: int = 50
    seed: int = 20261122
    local_search: int = 3
    mc_scale: float = 1.0
    max_confirm_bits: int = 2048
    #: screen each case in float64 intervals and evaluate at ``digits`` (and in Arb) only the
    #: decisive ones; False: the reference path, every case at ``digits`` (benchmarks, tests)
    screening: bool = True

    def with_(self, **changes: object) -> CheckSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


PROFILES: dict[str, CheckSettings] = {
    "fast": CheckSettings(),
    "thorough": CheckSettings(examples=600, digits=60, local_search=10, mc_scale=10.0),
}


def profile(name: str | None = None) -> CheckSettings:
    """The settings of a named profile (default: ``$THEOREMS_PROFILE`` or ``fast``)."""
    name = name or os.environ.get("THEOREMS_PROFILE", "fast")
    try:
        chosen = PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {', '.join(PROFILES)}") from None
    if os.environ.get("THEOREMS_SCREENING", "1") == "0":
        chosen = chosen.with_(screening=False)
    return chosen
