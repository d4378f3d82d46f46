"""The pytest plugin: a user's repository of claim files passes and fails under plain ``pytest``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import theorems

SAMPLE = Path(theorems.__file__).parent / "examples" / "pytest-project"


def test_sample_project_passes_and_fails_under_plain_pytest(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project)
    (project / "pytest.ini").write_text("[pytest]\n")  # the user's own, empty configuration
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--theorems-examples", "12", "claims"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "1 failed, 2 passed" in out, out
    assert "growth-bound-wrong-constant" in out
    assert "verdict refuted, the file expects 'holds'" in out
    assert "counterexample (confirmed in Arb ball arithmetic)" in out


def test_a_malformed_claim_file_is_a_failure_that_names_it(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "bad.claim.toml").write_text('name = "x"\nconclusion = "F(x) <= "\nfamily = "quadratics"\npoints = ["x"]\n')
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "bad.claim.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = res.stdout + res.stderr
    assert res.returncode == 1, out
    assert "the claim file is malformed" in out
    assert "Traceback" not in out
