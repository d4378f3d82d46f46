"""The Python examples in the README, CONTRIBUTING and docs/ run: the blocks of one file in
order, in one namespace (a block whose first line is ``# doc: no-run`` is shown, not run;
doctest blocks are run by the tests of their own module)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _files() -> list:
    return [pytest.param(p, id=p.name) for p in FILES if BLOCK.search(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", _files())
def test_documented_examples_run(path: Path) -> None:
    namespace: dict = {"__name__": "__doc_example__"}
    for i, code in enumerate(BLOCK.findall(path.read_text(encoding="utf-8"))):
        if code.lstrip().startswith(("# doc: no-run", ">>>")):
            continue  # shown only, or a doctest (run by the test module of that page)
        exec(compile(code, f"<{path.name} block {i + 1}>", "exec"), namespace)  # noqa: S102 - our own docs
