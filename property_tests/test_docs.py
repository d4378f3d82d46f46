"""The Python examples in the README and in docs/ run (a block whose first line is
``# doc: no-run`` is shown but not run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks() -> list:
    out = []
    for path in FILES:
        for i, code in enumerate(BLOCK.findall(path.read_text(encoding="utf-8"))):
            if code.lstrip().startswith("# doc: no-run"):
                continue
            out.append(pytest.param(code, id=f"{path.name}#{i + 1}"))
    return out


@pytest.mark.parametrize("code", _blocks())
def test_documented_example_runs(code: str) -> None:
    exec(compile(code, "<doc example>", "exec"), {"__name__": "__doc_example__"})  # noqa: S102 - our own docs
