"""Output files: written atomically with ordinary permissions; an unwritable path is a message, not a traceback."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from theorems import cli
from theorems.files import OutputError, atomic_write, ensure_writable_dir
from theorems.grading.cli import grade_main
from theorems.userclaims.cli import claim_main

ROOT = Path(__file__).resolve().parent.parent
CLASS = ROOT / "theorems" / "examples" / "class" / "submissions.csv"
CLAIMS = ROOT / "theorems" / "examples" / "claims"


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """A path under a regular file: no process, not even root's, can create it."""
    f = tmp_path / "a-file"
    f.write_text("in the way\n")
    return f / "out"


def test_atomic_write_gives_ordinary_permissions_and_leaves_no_temporary(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "sub" / "x.tex"
        atomic_write(target, "one\n")
        atomic_write(target, "two\n")
    finally:
        os.umask(old)
    assert target.read_text() == "two\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["x.tex"]


def test_atomic_write_names_the_file_it_cannot_write(blocked: Path) -> None:
    with pytest.raises(OutputError, match="cannot write .*a-file/out/x.tex"):
        atomic_write(blocked / "x.tex", "text")
    with pytest.raises(OutputError, match="cannot write in .*a-file/out"):
        ensure_writable_dir(blocked)
    assert blocked.parent.read_text() == "in the way\n"


def test_latex_to_an_unwritable_path_is_a_message(blocked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["latex", "pauwels.kl-quadratic", "--no-run", "-o", str(blocked / "x.tex")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("theorems latex: cannot write") and "Traceback" not in err


def test_claim_latex_to_an_unwritable_path_is_a_message(blocked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = CLAIMS / "descent-lemma.toml"
    assert claim_main([str(path), "--examples", "5", "--latex", str(blocked / "c.tex")]) == 2
    assert "theorems claim: cannot write" in capsys.readouterr().err


def test_grading_refuses_an_unwritable_output_before_it_grades(blocked: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert grade_main(["shipped", str(CLASS), "-o", str(blocked)]) == 2
    captured = capsys.readouterr()
    assert "theorems grade: cannot write in" in captured.err
    assert "graded" not in captured.out  # refused up front: no class was graded and then thrown away
