"""``theorems report``: a static site with figures, checked in a real headless browser."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from book_support import catalogue_run
from browser_support import RAW_MATH, RENDER, browser

from symbolic import Illustration, MonteCarlo
from theorems import cli
from theorems.book import results_by_key
from theorems.figures import figure_specs
from theorems.registry import entries

pytest.importorskip("matplotlib", reason="the report needs matplotlib: pip install 'theorems[report]'")
pytest.importorskip("mathjax", reason="the report needs MathJax: pip install 'theorems[report]'")

from theorems.report import tex_to_html, write_site  # noqa: E402


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if k in ("href", "src") and v:
                self.refs.append((tag, v))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(out, entries(), results_by_key(catalogue_run()), {"theorems version": "test"})
    return out


def test_every_link_and_image_of_every_page_resolves_and_nothing_is_fetched_from_the_internet(site: Path) -> None:
    pages = [site / "index.html", *sorted((site / "entries").glob("*.html"))]
    assert len(pages) == len(entries()) + 1
    for page in pages:
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, ref in parser.refs:
            url = urlparse(ref)
            assert not url.scheme and not url.netloc, f"{page.name}: {tag} refers outside the site: {ref}"
            if url.path:
                target = (page.parent / unquote(url.path)).resolve()
                assert target.is_file(), f"{page.name}: {ref} does not exist"
            if url.fragment and url.path == "":
                assert f'id="{url.fragment}"' in page.read_text(encoding="utf-8"), f"{page.name}: no anchor {ref}"


def test_every_monte_carlo_check_and_every_illustration_has_a_figure() -> None:
    results = results_by_key(catalogue_run())
    missing = []
    for e in entries():
        for c in e.all_checks():
            r = results.get((e.id, c.name))
            if r is None or not isinstance(c, MonteCarlo | Illustration):
                continue
            extra = r.get("evidence", {}).get("extra", {})
            if not figure_specs(extra, c.kind, c):
                missing.append(f"{e.id}: {c.name}")
    assert not missing, missing


def test_the_generic_figure_shapes_are_drawn(tmp_path: Path) -> None:
    from theorems.figures import draw

    specs = [
        {"kind": "loglog", "x": [0.1, 0.05, 0.025], "y": [0.02, 0.005, 0.00125], "expected": 2},
        {"kind": "histogram", "values": [0.1, 0.2, 0.2, 0.5], "threshold": 0.3},
        {"kind": "xy", "series": [{"label": "iterates", "points": [[0, 0], [1, 1], [2, 0]]}]},
    ]
    for i, spec in enumerate(specs):
        draw(spec, tmp_path / f"{i}.svg", title=spec["kind"])
        assert (tmp_path / f"{i}.svg").read_text().lstrip().startswith("<?xml")
    assert figure_specs({"figure": specs[0]}, "N") == [specs[0]]


def test_a_verdict_against_the_catalogue_gets_a_banner(tmp_path: Path) -> None:
    e = entries(["pauwels.descent-lemma"])[0]
    c = e.checks[0]
    results = {(e.id, c.name): {"result": e.id, "check": c.name, "verdict": "undecided", "ok": False, "evidence": {"method": "test"}}}
    write_site(tmp_path, [e], results, {})
    assert 'class="banner"' in (tmp_path / "index.html").read_text(encoding="utf-8")
    page = (tmp_path / "entries" / f"{e.id}.html").read_text(encoding="utf-8")
    assert 'class="banner"' in page and "against the catalogue" in page


def test_text_mode_latex_becomes_html_and_maths_is_kept() -> None:
    assert tex_to_html(r"\emph{Note} 50\% of $a<b$ -- see \texttt{x\_1}") == "<em>Note</em> 50% of $a&lt;b$ – see <code>x_1</code>"


def test_report_into_a_file_is_a_one_line_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    assert cli.main(["report", "pauwels.descent-lemma", "--no-run", "-o", str(f)]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_pages_open_in_a_headless_browser_with_images_loaded_and_maths_rendered(site: Path) -> None:
    """The index and the pages with figures, errata or long derivations, in Chromium: every image
    loads, MathJax (served from the site) typesets every formula, no raw $...$ is left."""
    driver = browser()
    wanted = ["pauwels.mexican-hat", "sgdloj.theorem-3-1", "sgdloj.growth-bound-proof", "pauwels.benaim-attraction", "pauwels.kl-analytic"]
    pages = [site / "index.html", *(site / "entries" / f"{w}.html" for w in wanted)]
    start = time.monotonic()
    try:
        driver.set_script_timeout(60)
        images = 0
        for page in pages:
            driver.get(page.as_uri())
            got = driver.execute_async_script(RENDER)
            assert "error" not in got, f"{page.name}: {got.get('error')}"
            broken = [src for src, ok in got["images"] if not ok]
            assert not broken, f"{page.name}: images that did not load: {broken}"
            images += len(got["images"])
            assert got["maths"] > 0, f"{page.name}: no formula was typeset"
            assert not got["errors"], f"{page.name}: MathJax errors {got['errors'][:5]}"
            raw = RAW_MATH.findall(got["prose"])
            assert not raw, f"{page.name}: raw maths left: {raw[:5]}"
        assert images >= 5
    finally:
        driver.quit()
    print(f"browser: {len(pages)} pages in {time.monotonic() - start:.1f}s")
