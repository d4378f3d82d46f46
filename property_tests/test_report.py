"""``theorems report``: a static site with figures, checked in a real headless browser."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from book_support import catalogue_run
from browser_support import RAW_MATH, RENDER, browser

from symbolic import Derivation, Illustration, MonteCarlo, Step, profile
from theorems import cli
from theorems.book import results_by_key
from theorems.figures import figure_specs
from theorems.registry import Entry, Status, entries

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
    """Top-level checks and the checks of derivation steps alike (a step's evidence is in the
    ``parts`` of its derivation's result)."""
    results = results_by_key(catalogue_run())
    missing = []
    steps = 0
    for e in entries():
        for c in e.all_checks():
            r = results.get((e.id, c.name))
            if r is None:
                continue
            if isinstance(c, MonteCarlo | Illustration):
                extra = r.get("evidence", {}).get("extra", {})
                if not figure_specs(extra, c.kind, c):
                    missing.append(f"{e.id}: {c.name}")
            if isinstance(c, Derivation):
                parts = {p["step"]: p for p in r.get("parts", [])}
                for i, step in enumerate(c.steps):
                    p = parts.get(step.label or f"step {i + 1}")
                    if p is not None and isinstance(step.check, MonteCarlo | Illustration):
                        steps += 1
                        if not figure_specs(p.get("evidence", {}).get("extra", {}), step.check.kind, step.check):
                            missing.append(f"{e.id}: {c.name}, {p['step']}: {step.check.name}")
    assert not missing, missing


def _derivation_with_sampled_steps() -> Entry:
    """An entry whose derivation has a Monte Carlo step and an illustration step."""
    import numpy as np

    mc = MonteCarlo("P(|Z| <= 3) >= 0.99 for Z ~ N(0, 1)", lambda rng, n: np.abs(rng.standard_normal(n)) <= 3, rel=">=", bound=0.99, samples=2000)

    def walk(settings: object) -> tuple[bool, str, dict[str, object]]:
        return True, "a walk", {"path": [0.0, 1.0, 0.5, 1.5]}

    ill = Illustration("a random walk", walk, shows="a path", does_not_show="anything")
    d = Derivation(
        "chain with sampled steps", r"\mathbb{P}(|Z| \le 3)",
        [Step(">=", "0.99", "Monte Carlo", check=mc, label="(1)"), Step(">=", "0.99", "an illustration", check=ill)],
    )
    return Entry("pauwels.test-sampled-steps", "test", "here", "A statement.", [d], Status.VERIFIED)


def test_the_monte_carlo_and_illustration_steps_of_a_derivation_get_figures(tmp_path: Path) -> None:
    e = _derivation_with_sampled_steps()
    d = e.checks[0]
    out = d.run(profile("fast"))
    results = {(e.id, d.name): {"result": e.id, "check": d.name, "ok": True, **out.to_json()}}
    site = write_site(tmp_path, [e], results, {})
    figs = sorted(p.name for p in (tmp_path / "figures").glob("*.svg"))
    assert site.figures == 2 and len(figs) == 2, figs
    page = (tmp_path / "entries" / f"{e.id}.html").read_text(encoding="utf-8")
    assert all(f'src="../figures/{f}"' in page for f in figs)
    assert "(1): Monte Carlo estimate with its one-sided confidence bounds" in page
    assert "step 2: The data the check computed." in page


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


def test_an_order_check_gets_its_log_log_figure_with_the_estimated_slope() -> None:
    """A weak/strong order check's evidence (steps, errors, the estimated order) is drawn as
    the error against the step on log-log axes, with the claimed order named."""
    results = results_by_key(catalogue_run())
    orders = [(c, results[(e.id, c.name)]) for e in entries() for c in e.all_checks() if type(c).__name__ == "SchemeOrder" and (e.id, c.name) in results]
    assert orders
    for c, r in orders:
        specs = figure_specs(r["evidence"]["extra"], c.kind, c)
        assert [s["kind"] for s in specs] == ["loglog"], c.name
        assert specs[0]["slope"] == r["evidence"]["extra"]["order"]
        assert all(y >= 0 for y in specs[0]["y"]) and len(specs[0]["x"]) == len(specs[0]["y"])


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
