"""The results of one whole-catalogue run, shared by the tests of the book and the report.

Running every check costs minutes of CPU, so by default the tests typeset a saved run
(``data/catalogue_run.json``, the output of ``theorems check --json``; entries added since
it was saved are shown as not run). With ``THEOREMS_FRESH_RUN=1`` the checks are run once
per session instead, and every test that needs results shares that run.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).parent / "data" / "catalogue_run.json"


@functools.lru_cache(maxsize=1)
def catalogue_run() -> tuple[dict[str, Any], ...]:
    """The JSON rows of a whole-catalogue run (saved, or fresh with THEOREMS_FRESH_RUN=1)."""
    if os.environ.get("THEOREMS_FRESH_RUN") == "1":
        from symbolic import profile
        from theorems.registry import entries
        from theorems.runner import run_checks

        return tuple(r.to_json() for r in run_checks(entries(), profile(), jobs=2))
    return tuple(json.loads(SNAPSHOT.read_text(encoding="utf-8")))


_OVERFULL = re.compile(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)[^\n]*\n(.*?)\n\n", re.S)


def overfull_boxes(log: str, tolerance: float = 1.0) -> list[str]:
    """The overfull horizontal boxes wider than ``tolerance`` points in a pdflatex log."""
    return [f"{m.group(1)}pt: {m.group(2)[:300]}" for m in _OVERFULL.finditer(log) if float(m.group(1)) > tolerance]


def undefined_references(log: str) -> list[str]:
    """LaTeX warnings about undefined references or citations in a log."""
    return [line for line in log.splitlines() if re.search(r"(Reference|reference|Citation) .*undefined|There were undefined references", line)]
