"""``theorems report -o DIR``: the checked catalogue as a static web site with figures.

The site is self-contained: an ``index.html`` with the summary of the verdicts and a
warning banner for any verdict that went against the catalogue, one page per entry
(``entries/<id>.html``: statement, hypotheses, reading, each check with its verdict,
evidence, counterexample and figures), SVG figures drawn by matplotlib from the
evidence (:mod:`theorems.figures`) and MathJax served from the site itself (copied from
the ``django-static-mathjax`` package, which vendors MathJax 3; no Django needed):
nothing is fetched from the internet when the pages are viewed.
"""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from symbolic import Derivation, Expect
from symbolic.derivations import REL_LATEX, to_latex
from symbolic.latex import text as latex_text
from symbolic.latex_values import counterexample
from symbolic.texhtml import tex_to_html
from symbolic.titles import check_title

from .book import SOURCE_TITLES, VERDICTS, Results
from .figures import draw, figure_specs
from .mathjax import MATHJAX_FILE, mathjax_config, mathjax_source
from .registry import SOURCES, Entry

COLORS = {
    "proved": "#2d6a2d", "certified": "#007070", "checked": "#26549e", "illustrated": "#555",
    "refuted": "#b22222", "undecided": "#c46200", "not run": "#888",
}

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem; line-height: 1.5; color: #222; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
h3 { margin-bottom: .3rem; }
.verdict { display: inline-block; padding: 0 .45rem; border-radius: .3rem; color: white; font-size: .85rem; font-family: sans-serif; }
.meta { color: #555; font-size: .9rem; }
.banner { background: #fdecea; border: 2px solid #b22222; padding: .7rem 1rem; border-radius: .4rem; margin: 1rem 0; }
.ok { background: #eaf5ea; border: 1px solid #2d6a2d; padding: .5rem 1rem; border-radius: .4rem; margin: 1rem 0; }
table { border-collapse: collapse; margin: .8rem 0; } td, th { padding: .2rem .6rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
td.n, th.n { text-align: right; }
.check { border-left: 4px solid #ccc; padding: .2rem 0 .2rem 1rem; margin: 1.2rem 0; }
.check.against { border-left-color: #b22222; background: #fff6f5; }
.evidence, .ce { font-size: .9rem; } .ce { background: #f7f7f7; padding: .3rem .6rem; border-radius: .3rem; }
table.derivation td { vertical-align: top; } table.derivation td.why { font-size: .85rem; color: #444; max-width: 22rem; }
figure { margin: 1rem 0; } figure img { max-width: 100%; border: 1px solid #eee; } figcaption { font-size: .85rem; color: #555; }
code { font-size: .9em; }
"""

MATHJAX_CONFIG = f"<script>\n{mathjax_config()}</script>"


@dataclass(frozen=True)
class Site:
    """What was written: the pages and the figures."""

    root: Path
    pages: int
    figures: int


def _mathjax_source() -> Path:
    try:
        return mathjax_source()
    except RuntimeError:
        raise RuntimeError("the report needs MathJax: pip install 'theorems[report]' (django-static-mathjax)") from None


# ------------------------------------------------------------------ pages


def _badge(verdict: str) -> str:
    return f'<span class="verdict" style="background:{COLORS.get(verdict, "#888")}">{html.escape(verdict)}</span>'


def _page(title: str, body: str, depth: int) -> str:
    up = "../" * depth
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title>"
        f"<link rel=\"stylesheet\" href=\"{up}assets/style.css\">{MATHJAX_CONFIG}"
        f"<script id=\"MathJax-script\" defer src=\"{up}assets/{MATHJAX_FILE}\"></script></head>\n<body>\n{body}\n</body></html>\n"
    )


def _page_name(entry_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", entry_id) + ".html"


def _against(results: Results, e: Entry) -> list[str]:
    return [c.name for c in e.all_checks() if (r := results.get((e.id, c.name))) is not None and r.get("ok") is False]


def _derivation_html(d: Derivation, result: Mapping[str, Any] | None) -> str:
    parts = {str(p.get("step")): p for p in (result or {}).get("parts", [])}
    rows = [f"<tr><td>$\\displaystyle {html.escape(to_latex(d.start), quote=False)}$</td><td></td><td></td></tr>"]
    for i, step in enumerate(d.steps):
        pr = parts.get(step.label or f"step {i + 1}")
        label = f"<strong>{html.escape(step.label)}</strong> " if step.label else ""
        expr = html.escape(f"{REL_LATEX[step.rel]} {to_latex(step.expr)}", quote=False)
        rows.append(
            f"<tr><td>$\\displaystyle \\quad {expr}$</td><td class=\"why\">{label}{tex_to_html(latex_text(step.justification))}</td>"
            f"<td>{_badge(str(pr['verdict'])) if pr else _badge('not run')}</td></tr>"
        )
    hyp = ""
    if d.hypotheses:
        hyp = "<p><em>Hypotheses:</em> " + "; ".join(tex_to_html(latex_text(h)) for h in d.hypotheses) + "</p>"
    return hyp + '<table class="derivation">' + "".join(rows) + "</table>"


def entry_html(e: Entry, results: Results | None = None) -> str:
    """The body of an entry's page without figures or site links (for notebooks)."""
    return _entry_body(e, results or {}, None, [], set())


def _entry_page(e: Entry, results: Results, figdir: Path, figures: list[str], ids: set[str]) -> str:
    body = '<p><a href="../index.html">&larr; all results</a></p>' + _entry_body(e, results, figdir, figures, ids)
    return _page(f"{e.id} — theorems", body, depth=1)


def _entry_body(e: Entry, results: Results, figdir: Path | None, figures: list[str], ids: set[str]) -> str:
    against = _against(results, e)
    body: list[str] = []
    body.append(f"<h1><code>{html.escape(e.id)}</code></h1><h2 style=\"border:0;margin-top:0\">{tex_to_html(e.latex_title())}</h2>")
    body.append(f'<p class="meta">Source <code>{html.escape(e.source)}</code>, {html.escape(e.where)}. Status: <strong>{e.status.value}</strong>.</p>')
    if against:
        body.append('<div class="banner"><strong>Warning:</strong> the verdict of ' + ", ".join(html.escape(a) for a in against) + " went against the catalogue's expectation.</div>")
    body.append("<p><em>Statement, as the source gives it.</em> " + tex_to_html(latex_text(e.statement)) + "</p>")
    if e.hypotheses:
        body.append("<p><em>Hypotheses:</em></p><ul>" + "".join(f"<li>{tex_to_html(latex_text(h))}</li>" for h in e.hypotheses) + "</ul>")
    if e.reading:
        body.append("<p><em>Reading:</em> " + tex_to_html(latex_text(e.reading)) + "</p>")
    if e.proof:
        body.append("<p><em>Proof:</em> its steps are the entries " + ", ".join(f'<a href="{_page_name(p)}"><code>{html.escape(p)}</code></a>' if p in ids else f"<code>{html.escape(p)}</code>" for p in e.proof) + ".</p>")
    for n, c in enumerate(e.all_checks()):
        r = results.get((e.id, c.name))
        verdict = str(r["verdict"]) if r is not None else "not run"
        bad = r is not None and r.get("ok") is False
        role = c.role or "stated"
        exp = " <em>(expected: refuted)</em>" if c.expect is Expect.REFUTED else ""
        scope = f" <em>scope: {tex_to_html(latex_text(c.scope))}</em>" if getattr(c, "scope", "") else ""
        block = [f'<div class="check{" against" if bad else ""}" id="check-{n}">']
        if n == len(e.checks) and e.corrected:
            block.insert(0, "<h3>Corrected statement</h3>")
        block.append(f"<h3>{tex_to_html(check_title(c))}</h3>")
        block.append(f'<p class="meta">{html.escape(role)} · {html.escape(c.kind)} · {_badge(verdict)}{exp}{scope}' + (" <strong style=\"color:#b22222\">against the catalogue</strong>" if bad else "") + "</p>")
        if c.note:
            block.append(f"<p>{tex_to_html(latex_text(c.note))}</p>")
        if isinstance(c, Derivation):
            block.append(_derivation_html(c, r))
        elif c.statement:
            block.append(f"<p>$$ {html.escape(c.statement, quote=False)} $$</p>")
        if r is not None:
            ev = r.get("evidence", {}) or {}
            summary = ", ".join(str(x) for x in [ev.get("method", ""), *(f"{ev[k]} {k}" for k in ("samples", "digits") if ev.get(k) is not None)] if x)
            if ev.get("seed") is not None:
                summary += f", seed {ev['seed']}"
            if ev.get("confidence") is not None:
                summary += f", confidence {ev['confidence']:.6g}"
            details = str(ev.get("details", ""))
            block.append(f'<p class="evidence"><em>Evidence:</em> {html.escape(summary)}' + (f"; {html.escape(details[:1500])}" if details else "") + "</p>")
            if isinstance(r.get("counterexample"), dict):
                block.append(f'<p class="ce"><em>Counterexample:</em> {tex_to_html(counterexample(r["counterexample"]))}</p>')
            if figdir is not None:
                block += _figures(figdir, figures, f"{_page_name(e.id)[:-5]}--{n}", ev.get("extra", {}) or {}, c, c.name)
            if isinstance(c, Derivation) and figdir is not None:
                # the steps' own Monte Carlo checks and illustrations get their figures too
                parts = {str(p.get("step")): p for p in r.get("parts", []) or []}
                for i, step in enumerate(c.steps):
                    label = step.label or f"step {i + 1}"
                    pr = parts.get(label)
                    if step.check is None or pr is None:
                        continue
                    extra = (pr.get("evidence", {}) or {}).get("extra", {}) or {}
                    if step.check.kind not in ("M", "I") and not ("figure" in extra or "figures" in extra):
                        continue
                    block += _figures(figdir, figures, f"{_page_name(e.id)[:-5]}--{n}-s{i}", extra, step.check, f"{label}: {step.check.name}", prefix=f"{label}: ")
        block.append("</div>")
        body.append("\n".join(block))
    return "\n".join(body)


_CAPTIONS = {
    "interval": "Monte Carlo estimate with its one-sided confidence bounds, against the stated bound (the shaded side is where the claim holds).",
    "loglog": "Error against step size on log-log axes, with the fitted slope.",
    "histogram": "Distribution of the simulated quantity.",
}


def _figures(figdir: Path, figures: list[str], stem: str, extra: Mapping[str, Any], check: Any, title: str, prefix: str = "") -> list[str]:
    """Draw the figures of one check's evidence (``extra``) into ``figdir`` as ``stem-k.svg``;
    returns their ``<figure>`` elements and appends their names to ``figures``."""
    out = []
    for k, spec in enumerate(figure_specs(extra, check.kind, check)):
        name = f"{stem}-{k}.svg"
        draw(spec, figdir / name, title=title)
        figures.append(name)
        cap = html.escape(prefix) + _CAPTIONS.get(spec["kind"], "The data the check computed.")
        out.append(f'<figure><img src="../figures/{name}" alt="figure of {html.escape(title)}"><figcaption>{cap}</figcaption></figure>')
    return out


def _index(selected: list[Entry], results: Results, run: Mapping[str, Any], nfig: int) -> str:
    counts = Counter(str(r["verdict"]) for r in results.values())
    total = sum(len(e.all_checks()) for e in selected)
    body = ["<h1>The checked lecture notes</h1>", "<p>Optimization dynamics of deep learning: every stated result of the sources, machine-checked. "
            "Each page gives the statement as the source gives it, then every check with its verdict and evidence.</p>"]
    against = [(e, a) for e in selected for a in _against(results, e)]
    if against:
        body.append('<div class="banner"><strong>Warning:</strong> ' + f"{len(against)} verdicts went against the catalogue's expectation:<ul>"
                    + "".join(f'<li><a href="entries/{_page_name(e.id)}">{html.escape(e.id)}</a>: {html.escape(a)}</li>' for e, a in against) + "</ul></div>")
    elif results:
        body.append('<div class="ok">Every verdict is the one the catalogue expects.</div>')
    body.append(f"<p>{len(selected)} results, {total} checks: " + ", ".join(f"{counts[v]} {_badge(v)}" for v in VERDICTS if counts[v]) + f"; {nfig} figures.</p>")
    body.append("<table><tr>" + "".join(f"<th>{html.escape(str(k))}</th>" for k in ("run", "")) + "</tr>" + "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in run.items()) + "</table>")
    head = "".join(f'<th class="n">{v}</th>' for v in ("entries", "checks", *VERDICTS, "not run"))
    rows = []
    for prefix in SOURCES:
        es = [e for e in selected if e.id.split(".", 1)[0] == prefix]
        if not es:
            continue
        c: Counter[str] = Counter(str(results[(e.id, ch.name)]["verdict"]) if (e.id, ch.name) in results else "not run" for e in es for ch in e.all_checks())
        rows.append(f'<tr><td><a href="#{prefix}">{prefix}</a></td><td class="n">{len(es)}</td><td class="n">{sum(c.values())}</td>' + "".join(f'<td class="n">{c.get(v, 0)}</td>' for v in (*VERDICTS, "not run")) + "</tr>")
    body.append(f"<h2>Summary</h2><table><tr><th>source</th>{head}</tr>{''.join(rows)}</table>")
    for prefix in SOURCES:
        es = [e for e in selected if e.id.split(".", 1)[0] == prefix]
        if not es:
            continue
        body.append(f'<h2 id="{prefix}">{tex_to_html(SOURCE_TITLES.get(prefix, prefix))} <span class="meta">(<code>{html.escape(prefix)}</code>, source file {html.escape(SOURCES[prefix])})</span></h2><table>')
        for e in es:
            c2 = Counter(str(results[(e.id, ch.name)]["verdict"]) for ch in e.all_checks() if (e.id, ch.name) in results)
            verdicts = " ".join(f"{n}&nbsp;{_badge(v)}" for v, n in sorted(c2.items()))
            warn = ' <strong style="color:#b22222">⚠</strong>' if _against(results, e) else ""
            body.append(f'<tr><td><a href="entries/{_page_name(e.id)}"><code>{html.escape(e.id)}</code></a>{warn}</td><td>{tex_to_html(e.latex_title())}</td><td>{e.status.value}</td><td>{verdicts}</td></tr>')
        body.append("</table>")
    body.append("<h2>Legend</h2><ul>" + "".join(f"<li>{_badge(v)} {tex_to_html(t)}</li>" for v, t in _LEGEND.items()) + "</ul>")
    return _page("The checked lecture notes — theorems", "\n".join(body), depth=0)


def _legend() -> dict[str, str]:
    from .book import LEGEND

    return dict(LEGEND)


_LEGEND = _legend()


def write_site(out: Path, selected: Iterable[Entry], results: Results, run: Mapping[str, Any]) -> Site:
    """Write the site into ``out`` (created if needed); returns what was written."""
    selected = list(selected)
    mathjax = _mathjax_source()
    (out / "assets").mkdir(parents=True, exist_ok=True)
    (out / "entries").mkdir(exist_ok=True)
    figdir = out / "figures"
    if figdir.exists():
        shutil.rmtree(figdir)
    figdir.mkdir()
    shutil.copyfile(mathjax, out / "assets" / MATHJAX_FILE)
    (out / "assets" / "style.css").write_text(CSS, encoding="utf-8")
    figures: list[str] = []
    for e in selected:
        (out / "entries" / _page_name(e.id)).write_text(_entry_page(e, results, figdir, figures, {x.id for x in selected}), encoding="utf-8")
    (out / "index.html").write_text(_index(selected, results, run, len(figures)), encoding="utf-8")
    return Site(out, len(selected) + 1, len(figures))
