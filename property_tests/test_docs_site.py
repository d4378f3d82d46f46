"""The docs as a site: ``mkdocs build --strict`` succeeds, a broken link makes it fail, and
in a headless browser every formula is typeset by the MathJax the site serves itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_support import RAW_MATH, RENDER, browser

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("mkdocs", reason="the docs site needs mkdocs: pip install 'theorems[docs]'")
pytest.importorskip("material", reason="the docs site needs mkdocs-material: pip install 'theorems[docs]'")


def _build(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    # the hooks import theorems (the shared MathJax setup): this checkout's, also for a copy
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(out)],
        cwd=root, capture_output=True, text=True, timeout=300, env=env,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    proc = _build(ROOT, out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_the_docs_site_builds_in_strict_mode_with_the_catalogue_page(site: Path) -> None:
    assert (site / "catalogue" / "index.html").is_file()
    assert "pauwels.descent-lemma" in (site / "catalogue" / "index.html").read_text(encoding="utf-8")


def test_the_maths_is_wrapped_for_mathjax_served_from_the_site(site: Path) -> None:
    """arithmatex wraps every ``$...$`` of the prose; MathJax and its configuration are files of
    the site and every page loads them by a relative address (nothing from the internet)."""
    assert (site / "assets" / "mathjax" / "tex-svg-full.js").stat().st_size > 1_000_000
    assert "processHtmlClass" in (site / "assets" / "mathjax" / "config.js").read_text(encoding="utf-8")
    page = (site / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="arithmatex"') >= 20
    assert re.search(r'<script src="\.\./assets/mathjax/tex-svg-full\.js', page)
    assert not re.search(r'<script[^>]+src="(https?:)?//', page), "a script is fetched from the internet"


def _prose_has_maths(md: str) -> bool:
    """Whether Markdown has ``$...$`` outside code blocks and code spans."""
    md = re.sub(r"```.*?```", "", md, flags=re.S)
    md = re.sub(r"`[^`\n]*`", "", md)
    return bool(re.search(r"\$[^$\n]+\$", md))


def test_every_page_opens_in_a_headless_browser_with_its_maths_typeset(site: Path) -> None:
    """Every page of the site in Chromium: MathJax (served from the site) loads and typesets
    every formula without an error; no raw ``$...$`` or ``\\(`` is left in the text outside
    code; the pages whose Markdown has maths show typeset formulas."""
    driver = browser()
    pages = sorted(site.glob("**/index.html"))
    pages = [p for p in pages if p.parent.name not in ("search",) and "assets" not in p.parts]
    assert len(pages) >= 15
    start = time.monotonic()
    try:
        driver.set_script_timeout(60)
        typeset = {}
        for page in pages:
            driver.get(page.as_uri())
            got = driver.execute_async_script(RENDER)
            name = str(page.parent.relative_to(site)) or "index"
            assert "error" not in got, f"{name}: {got.get('error')}"
            assert not got["errors"], f"{name}: MathJax errors {got['errors'][:5]}"
            assert not got["untypeset"], f"{name}: formulas MathJax left as text: {got['untypeset']}"
            raw = RAW_MATH.findall(got["prose"])
            assert not raw, f"{name}: raw maths left in the text: {raw[:5]}"
            typeset[name] = got["maths"]
    finally:
        driver.quit()
    for md in sorted((ROOT / "docs").glob("*.md")):
        name = "index" if md.stem == "index" else md.stem
        if name in typeset and _prose_has_maths(md.read_text(encoding="utf-8")):
            assert typeset[name] > 0, f"{md.name} has maths but its page shows no typeset formula"
    assert typeset.get("catalogue", 0) >= 20
    print(f"browser: {len(pages)} pages, {sum(typeset.values())} formulas in {time.monotonic() - start:.1f}s")


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


def test_the_catalogue_page_keeps_bars_in_maths_single_and_table_cells_whole() -> None:
    """A bar ends a Markdown table cell: escaped in text, ``\\vert`` in maths (an escaped
    ``\\|`` inside maths would typeset as a double bar); outside tables nothing is escaped."""
    from theorems.docgen import _cell

    assert _cell(r"|a| and $|x| + \|y\|$") == r"\|a\| and $\vert x\vert  + \Vert y\Vert $"
    assert _cell(r"$|x|$ at 99\% -- see~it", table=False, tex=True) == "$|x|$ at 99% \u2013 see it"
