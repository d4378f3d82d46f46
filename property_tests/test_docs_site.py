"""The docs as a site: ``mkdocs build --strict`` succeeds, and a broken link makes it fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("mkdocs", reason="the docs site needs mkdocs: pip install 'theorems[docs]'")
pytest.importorskip("material", reason="the docs site needs mkdocs-material: pip install 'theorems[docs]'")


def _build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        cwd=root, capture_output=True, text=True, timeout=300, env=env,
    )


def test_the_docs_site_builds_in_strict_mode_with_the_catalogue_page(tmp_path: Path) -> None:
    proc = _build(ROOT, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "site" / "catalogue" / "index.html").is_file()
    assert "pauwels.descent-lemma" in (tmp_path / "site" / "catalogue" / "index.html").read_text(encoding="utf-8")


def test_a_broken_link_fails_the_strict_build(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copytree(ROOT / "docs", copy / "docs")
    for name in ("mkdocs.yml", "mkdocs_hooks.py", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, copy / name)
    page = copy / "docs" / "verdicts.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n", encoding="utf-8")
    proc = _build(copy, tmp_path / "site")
    assert proc.returncode != 0 and "no-such-page.md" in proc.stderr
