"""The notebook in docs/ is executed, so it cannot rot; rich display of outcomes, entries, derivations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebook.ipynb"


def test_the_notebook_executes_and_shows_maths() -> None:
    nbformat = pytest.importorskip("nbformat", reason="pip install nbformat nbclient ipykernel")
    nbclient = pytest.importorskip("nbclient", reason="pip install nbformat nbclient ipykernel")
    pytest.importorskip("ipykernel", reason="pip install ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    root = str(NOTEBOOK.parents[1])
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = root + (os.pathsep + env_path if env_path else "")
    try:
        nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": root}}).execute()
    finally:
        if env_path:
            os.environ["PYTHONPATH"] = env_path
        else:
            os.environ.pop("PYTHONPATH", None)
    htmls = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o and "text/html" in o["data"]]
    assert len(htmls) >= 4
    assert "refuted" in htmls[0] and "$" in htmls[0]  # the outcome with its counterexample as maths


def test_rich_display_of_outcomes_entries_and_derivations() -> None:
    from symbolic import CheckSettings, Derivation
    from theorems.registry import get

    e = get("sgdloj.growth-bound-proof")
    d = next(c for c in e.checks if isinstance(c, Derivation))
    assert d._repr_latex_().startswith("$$\\begin{aligned}") and "(B.1)" in d._repr_latex_()
    assert "<table>" in d._repr_html_()
    assert "Statement, as the source gives it" in e._repr_html_()
    o = d.run(CheckSettings(examples=10))
    assert "refuted" in o._repr_html_() and "Counterexample" in o._repr_html_()
    assert o._repr_latex_().startswith(r"$\textsf{refuted}")
