"""The Python examples in the README, CONTRIBUTING and docs/ run: the blocks of one file in
order, in one namespace (a block whose first line is ``# doc: no-run`` is shown, not run;
doctest blocks are run by the tests of their own module), and what a page says its example
shows is asserted on the namespace the blocks leave behind."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from symbolic import CheckSettings, Verdict

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)




def _runnable(path: Path) -> list[str]:
    blocks = BLOCK.findall(path.read_text(encoding="utf-8"))
    return [b for b in blocks if not b.lstrip().startswith(("# doc: no-run", ">>>"))]


def _files() -> list:
    return [pytest.param(p, id=p.name) for p in FILES if _runnable(p)]


def _readme(ns: dict) -> None:
    # "wrong: the true constant is 2 C_L" ... "# refuted {'objective': ..., 'points': ...}"
    assert ns["outcome"].verdict is Verdict.REFUTED
    assert {"objective", "points"} <= set(ns["outcome"].evidence.counterexample)


def _adding_a_result(ns: dict) -> None:
    # the example entry's checks meet their expectations: the bound holds, C_L alone is refuted
    for check in ns["entry"].checks:
        outcome = check.run(CheckSettings(examples=40, seed=1))
        assert check.expect.met_by(outcome.verdict), (check.name, outcome.verdict)


def _verdicts(ns: dict) -> None:
    assert ns["out"].verdict is Verdict.REFUTED


def _campaigns(ns: dict) -> None:
    assert ns["results"] and all(r.ok for r in ns["results"])  # each verdict the one the catalogue expects


# What each page's example claims to show (a page with runnable examples must have one).
SHOWS: dict[str, Callable[[dict], None]] = {
    "README.md": _readme,
    "adding-a-result.md": _adding_a_result,
    "verdicts.md": _verdicts,
    "catalogue-sgdloj-montecarlo.md": lambda ns: None,  # its block ends in its own asserts
    "stochastic-calculus.md": lambda ns: None,  # its block ends in its own asserts
    "campaigns.md": _campaigns,
    "notation.md": lambda ns: None,  # its block ends in its own asserts
}


@pytest.mark.parametrize("path", _files())
def test_documented_examples_run(path: Path) -> None:
    namespace: dict = {"__name__": "__doc_example__"}
    for i, code in enumerate(_runnable(path)):
        exec(compile(code, f"<{path.name} runnable block {i + 1}>", "exec"), namespace)  # noqa: S102 - our own docs
    SHOWS[path.name](namespace)
