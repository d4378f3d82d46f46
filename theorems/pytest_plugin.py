"""A pytest plugin: a repository's claim files become tests of its own ``pytest`` run.

Installed with the package (entry point ``pytest11``), so nothing is to be configured: every
file named ``*.claim.toml`` under the paths pytest collects is one test. The test passes when
the claim's verdict is what the file's ``expect`` says (``holds``, the default: ``proved``,
``certified`` or ``checked``; ``refuted``: a counterexample confirmed in Arb), and fails
otherwise, with the verdict, the evidence and the counterexample in the failure report.
``undecided`` always fails: nothing was established.

Options: ``--theorems-profile fast|thorough`` (default ``$THEOREMS_PROFILE`` or fast),
``--theorems-seed N``, ``--theorems-examples N``. See ``docs/user-claims.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SUFFIX = ".claim.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("theorems", "claim files (*.claim.toml) checked by theorems")
    group.addoption("--theorems-profile", default=None, help="effort profile of claim checks: fast (default) or thorough")
    group.addoption("--theorems-seed", type=int, default=None, help="seed of the counterexample search")
    group.addoption("--theorems-examples", type=int, default=None, help="number of drawn cases per claim")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIX):
        return ClaimFile.from_parent(parent, path=file_path)
    return None


class ClaimFailure(Exception):
    """The claim's verdict is not the one its file expects."""


class ClaimFile(pytest.File):
    def collect(self) -> Any:
        yield ClaimItem.from_parent(self, name=self.path.name[: -len(SUFFIX)])


class ClaimItem(pytest.Item):
    def runtest(self) -> None:
        from symbolic import Verdict, profile
        from theorems.userclaims.claimfile import ClaimFileError, load_claim

        config = self.config
        try:
            uc = load_claim(self.path)
        except ClaimFileError as exc:
            raise ClaimFailure(f"the claim file is malformed: {exc}") from None
        settings = profile(config.getoption("theorems_profile"))
        if config.getoption("theorems_seed") is not None:
            settings = settings.with_(seed=config.getoption("theorems_seed"))
        if config.getoption("theorems_examples") is not None:
            settings = settings.with_(examples=config.getoption("theorems_examples"))
        outcome = uc.claim.run(settings)
        expect = uc.expect or "holds"
        ok = outcome.verdict is Verdict.REFUTED if expect == "refuted" else outcome.verdict.holds and outcome.verdict is not Verdict.ILLUSTRATED
        self.user_properties.append(("verdict", outcome.verdict.value))
        if not ok:
            lines = [
                f"claim {uc.name!r}: verdict {outcome.verdict.value}, the file expects '{expect}'",
                f"  conclusion: {uc.text}" + (f"   [family {uc.family}]" if uc.family != "none" else ""),
                f"  evidence: {outcome.evidence.summary()}",
            ]
            ce = outcome.evidence.counterexample
            if ce is not None:
                label = ("counterexample (confirmed in exact arithmetic)" if "exact arithmetic" in outcome.evidence.method else "counterexample (confirmed in Arb ball arithmetic)") if outcome.verdict is Verdict.REFUTED else "candidate (not confirmed)"
                lines.append(f"  {label}:")
                lines += [f"    {k}: {v if isinstance(v, str) else json.dumps(v)}" for k, v in ce.items()]
            raise ClaimFailure("\n".join(lines))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ClaimFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"claim {self.name}"
