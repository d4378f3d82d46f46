"""The command line: derived from the registry, clear errors, exit status, LaTeX that compiles."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from symbolic import Evidence, Outcome, Verdict
from theorems import cli
from theorems.registry import entries
from theorems.runner import Result

RESULTS = Path(__file__).resolve().parents[2] / "shared" / "RESULTS.md"
FOUNDATION = [
    "pauwels.gradient-map-diffeomorphism", "golikov.gradient-map-diffeomorphism", "bruna.gd-jacobian-nonsingular",
    "pauwels.kl-desingularizing", "pauwels.kl-property", "pauwels.kl-noncritical", "pauwels.kl-analytic",
    "pauwels.kl-strongly-convex", "pauwels.kl-quadratic", "pauwels.kl-nonconvex-example",
    "sgdloj.contraction-factor", "sgdloj.expected-contraction", "sgdloj.growth-bound", "sgdloj.growth-bound-proof",
]


def test_list_json_has_the_documented_fields(capsys) -> None:
    assert cli.main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows
    for row in rows:
        assert {"id", "title", "source", "where", "status"} <= set(row)
        assert row["status"] in {"verified", "erratum", "illustrated", "partial", "todo"}


@pytest.mark.skipif(not RESULTS.exists(), reason="../shared/RESULTS.md not beside the checkout")
def test_every_entry_id_is_a_results_id_or_a_declared_extension() -> None:
    ids = set(re.findall(r"^\| ([a-z]+\.[a-z0-9-]+)", RESULTS.read_text(), re.M))
    prefixes = {i.split(".")[0] for i in ids}
    for e in entries():
        assert e.id.split(".")[0] in prefixes
    have = {e.id for e in entries()}
    missing = [i for i in FOUNDATION if i not in have]
    assert not missing, f"foundation results missing from the catalogue: {missing}"


def test_check_json_and_exit_status(capsys) -> None:
    code = cli.main(["check", "bruna.gd-jacobian-nonsingular", "--json", "--jobs", "1"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    # det > 0 is sampled: the eigenvalue lemma attached to it is not linked to the claim (issue 10)
    assert {r["verdict"] for r in rows} == {"checked", "refuted"}
    for r in rows:
        assert {"result", "check", "verdict", "evidence", "verdict_in_scope"} <= set(r)
        if r["verdict"] == "refuted":
            assert r["counterexample"]


def test_check_fails_when_a_verdict_goes_against_the_catalogue(monkeypatch, capsys) -> None:
    bad = Result("x.y", "c", "N", "", "holds", Outcome(Verdict.REFUTED, Evidence(method="m", counterexample={"t": "1"})), 0.0)
    monkeypatch.setattr(cli, "_select", lambda ids: [])
    monkeypatch.setattr(cli, "_run", lambda *a, **k: [bad])
    assert cli.main(["check", "--json"]) == 1
    undecided = Result("x.y", "c", "N", "", "holds", Outcome(Verdict.UNDECIDED, Evidence(method="m")), 0.0)
    monkeypatch.setattr(cli, "_run", lambda *a, **k: [undecided])
    assert cli.main(["check"]) == 1
    capsys.readouterr()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "no.such-result"], "no catalogue entry matches"),
        (["show", "no.such-result"], "no catalogue entry"),
        (["show", "sgdloj.theorem-31"], "did you mean sgdloj.theorem-3-1?"),
        (["show", "growth-bound"], "did you mean sgdloj.growth-bound, sgdloj.growth-bound-proof?"),
        (["check", "bruna", "--digits", "3"], "--digits must be between"),
        (["check", "bruna", "--examples", "0"], "--examples must be at least 1"),
        (["check", "bruna", "--jobs", "0"], "--jobs must be between 1 and 64"),
        (["check", "bruna", "--jobs", "100000"], "--jobs must be between 1 and 64"),
        (["check", "bruna", "--executor", "dask://nowhere"], "--executor must be 'processes', 'dask-local' or 'dask://HOST:PORT'"),
        (["latex", "no.such-result", "--no-run"], "no catalogue entry matches"),
    ],
)
def test_bad_input_gets_a_clear_message(argv, message, capsys) -> None:
    # exit status 2, as argparse gives: 1 is kept for "a verdict went against the catalogue"
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("theorems: ") and message in err and "Traceback" not in err


def test_an_unrelated_id_gets_no_suggestion(capsys) -> None:
    assert cli.main(["show", "nonexistent.id"]) == 2
    assert "did you mean" not in capsys.readouterr().err


def _pdflatex(tex: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name],
        cwd=tex.parent, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_of_the_gradient_map_compiles(tmp_path: Path) -> None:
    out = tmp_path / "gm.tex"
    assert cli.main(["latex", "pauwels.gradient-map-diffeomorphism", "-o", str(out), "--jobs", "1"]) == 0
    text = out.read_text()
    assert r"\begin{align*}" in text and "proved" in text and "refuted" in text
    proc = _pdflatex(out)
    assert proc.returncode == 0, proc.stdout[-2000:]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_latex_of_the_whole_catalogue_compiles(tmp_path: Path) -> None:
    """Every statement, hypothesis and step of every entry is valid LaTeX (rendered without running)."""
    out = tmp_path / "all.tex"
    ids = sorted({e.id.split(".")[0] for e in entries()})
    assert cli.main(["latex", *ids, "--no-run", "-o", str(out)]) == 0
    proc = _pdflatex(out)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_catalogue_latex_has_no_control_characters() -> None:
    """A LaTeX string written without r"" turns \\tfrac into a tab and \\varphi into a vertical tab;
    name the entry here rather than leave it to a pdflatex log."""
    bad = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\t")
    for e in entries():
        text = cli.entry_latex(e, {})
        m = bad.search(text)
        assert m is None, f"{e.id}: control character {m.group()!r} near {text[max(0, m.start() - 40) : m.end() + 10]!r}"


def test_catalogue_page_is_generated_from_the_registry() -> None:
    from theorems import docgen

    assert docgen.PAGE.read_text(encoding="utf-8") == docgen.render(), "run `python -m theorems.docgen`"


def test_proof_steps_name_existing_entries() -> None:
    ids = {e.id for e in entries()}
    for e in entries():
        missing = [p for p in e.proof if p not in ids]
        assert not missing, f"{e.id}: proof names unknown entries {missing}"


def test_latex_of_a_theorem_renders_its_whole_proof(tmp_path: Path) -> None:
    out = tmp_path / "t31.tex"
    assert cli.main(["latex", "sgdloj.theorem-3-1", "--no-run", "-o", str(out)]) == 0
    text = out.read_text()
    order = [text.index(rf"\texttt{{{i}}}: ") for i in ["sgdloj.theorem-3-1", *entries(["sgdloj.theorem-3-1"])[0].proof]]
    assert order == sorted(order), "the proof's entries follow the theorem, in the source's order"
    assert "(3.4)" in text and "(3.19)" in text
    short = tmp_path / "short.tex"
    assert cli.main(["latex", "sgdloj.theorem-3-1", "--no-run", "--no-proof", "-o", str(short)]) == 0
    assert r"\texttt{sgdloj.one-step-expansion}: " not in short.read_text()


def test_verdict_diff_names_a_changed_verdict(tmp_path) -> None:
    import json

    from theorems.verdict_diff import main as diff_main

    row = {"result": "pauwels.x", "check": "c", "verdict": "proved", "scope": None}
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps([row]))
    new.write_text(json.dumps([{**row, "verdict": "checked"}]))
    assert diff_main([str(old), str(old)]) == 0
    assert diff_main([str(old), str(new)]) == 1
    assert diff_main([str(old), str(new), "bruna"]) == 0


def test_checking_the_whole_catalogue_leaves_a_warm_listing_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """The README's set-up runs `theorems check`; it loads every entry, so it keeps the listing
    index, and the first `theorems list` after it is served from the index (no catalogue load)."""
    from theorems import listing

    monkeypatch.setenv("THEOREMS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cli, "_run", lambda selected, settings, args, quiet: [])  # the checks themselves are not the point here
    assert listing.read_index(tmp_path) is None
    assert cli.main(["check", "--json"]) == 0
    rows = listing.read_index(tmp_path)
    assert rows is not None and [r["id"] for r in rows] == [e.id for e in entries()]
    capsys.readouterr()
    assert cli.main(["list", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [r["id"] for r in rows]


def test_an_empty_selection_never_becomes_the_listing_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Regression: a check whose selection was patched to nothing wrote an empty index, and
    `theorems list` then printed [] until the sources changed. An empty index is neither
    written nor read."""
    from theorems import listing

    monkeypatch.setenv("THEOREMS_CACHE_DIR", str(tmp_path))
    listing.write_index(tmp_path, [])
    assert not list(tmp_path.glob("index-*.json"))
    (tmp_path / f"index-{listing.index_key()}.json").write_text("[]")
    assert listing.read_index(tmp_path) is None
    assert cli.main(["list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == len(entries())
