"""The checked lecture notes: one LaTeX book for the whole catalogue or any part of it.

``theorems latex [PREFIX ...]`` renders, from the registry and the results of a run (the
JSON of ``theorems check --json``, so a saved run can be typeset again without re-running
the checks): a title page with the version and the run's settings, a table of contents, a
summary of the verdicts per source with the legend of the verdicts, a chapter per source
and a section per entry (statement, hypotheses, reading, then every check with its
verdict, evidence and counterexample typeset as mathematics), and an errata chapter.

Layout rules that keep every line inside the text block (the test compiles the whole
catalogue and fails on an overfull box): displayed formulas go through ``\\fitmath``
(scaled down to the line width when wider), derivations put the expression in a column of
at most 58% of the line and the justification with its verdict in a wrapped column
beside it, machine text is set ragged right with break points.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from symbolic import Check, Derivation, Expect
from symbolic.derivations import REL_LATEX, to_latex
from symbolic.latex_values import counterexample, number
from symbolic.titles import check_title, title_to_latex
from symbolic.titles import escape_text as escape

from .registry import SOURCES, Entry

#: results of a run, keyed by (entry ID, check name): the JSON of ``Result.to_json()``
Results = Mapping[tuple[str, str], Mapping[str, Any]]

VERDICTS = ("proved", "certified", "checked", "illustrated", "refuted", "undecided")
COLORS = {
    "proved": "green!45!black",
    "certified": "teal",
    "checked": "blue!70!black",
    "illustrated": "gray!80!black",
    "refuted": "red!75!black",
    "undecided": "orange!80!black",
    "not run": "gray",
}
LEGEND = {
    "proved": "a symbolic proof in full generality (sympy simplification to 0, or z3 deciding the implication over the reals), from premises that are themselves proved",
    "certified": "a rigorous computation (branch and bound in Arb ball arithmetic) covering the whole stated domain",
    "checked": "sampled: N cases at P digits and none failed; for Monte Carlo, the bound holds at the stated confidence $1-\\delta$",
    "illustrated": "a computation exhibiting a qualitative statement; the evidence says what it shows and what it does not",
    "refuted": "a counterexample confirmed with rigorous arithmetic (Arb balls or exact rationals)",
    "undecided": "nothing could be concluded (a candidate the balls could not decide, a solver timeout, a Monte Carlo interval on the wrong side)",
}
SOURCE_TITLES = {
    "bruna": "Bruna: lecture notes",
    "pauwels": "Pauwels: lecture notes",
    "golikov": "Golikov: lecture notes",
    "sgdloj": "SGD under a \\L{}ojasiewicz condition (paper)",
}

PREAMBLE = r"""\documentclass[10pt,oneside,openany]{book}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb}
\usepackage[a4paper,margin=2.3cm]{geometry}
\usepackage[dvipsnames,table]{xcolor}
\usepackage{graphicx,booktabs,longtable,array}
\usepackage[expansion=false]{microtype}
\usepackage[unicode,colorlinks,linkcolor=blue!60!black,urlcolor=blue!60!black,bookmarksnumbered]{hyperref}
\setlength{\emergencystretch}{3em}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.4ex plus 0.2ex}
\allowdisplaybreaks
\setcounter{tocdepth}{1}
\makeatletter
\renewcommand\section{\@startsection{section}{1}{\z@}{-3.5ex \@plus -1ex \@minus -.2ex}{2.3ex \@plus.2ex}{\normalfont\large\bfseries\raggedright}}
\renewcommand\paragraph{\@startsection{paragraph}{4}{\z@}{2ex \@plus 1ex \@minus .2ex}{-1em}{\normalfont\normalsize\bfseries}}
\makeatother
\newsavebox{\fitbox}
% a display no wider than #1 times the line: scaled down when it would run off the page
\newcommand{\fitmath}[2][1]{\sbox{\fitbox}{$\displaystyle #2$}%
  \ifdim\wd\fitbox>#1\linewidth\resizebox{#1\linewidth}{!}{\usebox{\fitbox}}\else\usebox{\fitbox}\fi}
\newcommand{\verdict}[2]{\colorbox{#1!12}{\textcolor{#1}{\sffamily\footnotesize #2}}}
\newcommand{\steptag}[1]{\parbox[t]{0.30\linewidth}{\raggedright\scriptsize #1}}
\newcommand{\against}{\textcolor{red!75!black}{\sffamily\bfseries\footnotesize against the catalogue}}
"""


def verdict_tag(result: Mapping[str, Any] | None, verdict: str | None = None) -> str:
    """The coloured tag of a verdict (``not run`` without a result)."""
    v = verdict or (str(result["verdict"]) if result is not None else "not run")
    return rf"\verdict{{{COLORS.get(v, 'gray')}}}{{{escape(v)}}}"


def _label(entry_id: str) -> str:
    return f"entry:{entry_id}"


def entry_ref(entry_id: str) -> str:
    """A hyperlink to an entry's section, showing its ID."""
    return rf"\hyperref[{_label(entry_id)}]{{\texttt{{{escape(entry_id)}}}}}"


def _display(math: str, width: str = "1") -> str:
    return rf"\[ \fitmath[{width}]{{{math}}} \]"


def _evidence(result: Mapping[str, Any]) -> str:
    ev = result.get("evidence", {}) or {}
    parts = [escape(str(ev.get("method", "")))]
    for key, fmt in (("samples", "{} samples"), ("digits", "{} digits"), ("seed", "seed {}")):
        if ev.get(key) is not None:
            parts.append(fmt.format(ev[key]))
    if ev.get("confidence") is not None:
        parts.append(f"confidence ${float(ev['confidence']):.6g}$")
    line = ", ".join(p for p in parts if p)
    details = str(ev.get("details", ""))
    if details:
        if len(details) > 700:
            details = details[:700] + " ..."
        line += "; " + _machine_text(details)
    return r"{\small\raggedright\textit{Evidence:} " + line + r"\par}"


_BALL_IN_TEXT = re.compile(r"\[[-+0-9.eE]+ \+/- [0-9.eE+-]+\]")


def _machine_text(s: str) -> str:
    """Escaped machine text with its Arb balls ``[m +/- r]`` typeset as intervals."""
    out, last = [], 0
    for m in _BALL_IN_TEXT.finditer(s):
        shown = number(m.group())
        out.append(escape(s[last : m.start()]) + (f"${shown}$" if shown else escape(m.group())))
        last = m.end()
    return "".join(out) + escape(s[last:])


def _counterexample(result: Mapping[str, Any], what: str = "Counterexample") -> str:
    ce = result.get("counterexample")
    if not isinstance(ce, dict):
        return ""
    return r"{\small\raggedright\textit{" + what + ":} " + counterexample(ce) + r"\par}"


def render_derivation(d: Derivation, result: Mapping[str, Any] | None) -> str:
    """``align*``: the chain in a column of at most 58% of the line, each step's
    justification and verdict in a wrapped column beside it."""
    parts = {str(p.get("step")): p for p in (result or {}).get("parts", [])}
    rows = [rf"  &\fitmath[0.58]{{{to_latex(d.start)}}} \\"]
    for i, step in enumerate(d.steps):
        key = step.label or f"step {i + 1}"
        pr = parts.get(key)
        label = rf"\textbf{{{escape(step.label)}}} " if step.label else ""
        tag = verdict_tag(pr) if result is not None else verdict_tag(None)
        rows.append(
            rf"  &\quad {REL_LATEX[step.rel]} \fitmath[0.52]{{{to_latex(step.expr)}}} && \steptag{{{label}{text(step.justification)}\\ {tag}}} \\"
        )
    rows[-1] = rows[-1].removesuffix(r" \\")
    body = []
    if d.hypotheses:
        body.append(r"{\small\textit{Hypotheses:} " + "; ".join(text(h) for h in d.hypotheses) + r"\par}")
    body.append("\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}")
    for i, step in enumerate(d.steps):
        pr = parts.get(step.label or f"step {i + 1}")
        if pr is not None and pr.get("verdict") == "refuted" and isinstance(pr.get("counterexample"), dict):
            name = escape(step.label or f"step {i + 1}")
            body.append(r"{\small\raggedright\textit{" + name + " refuted at:} " + counterexample(pr["counterexample"]) + r"\par}")
    return "\n".join(body)


def render_check(check: Check, result: Mapping[str, Any] | None) -> str:
    """One check: its typeset title, verdict (and scope), statement, derivation, evidence."""
    role = check.role or "stated"
    expect = r" \emph{(expected: refuted)}" if check.expect is Expect.REFUTED else ""
    scope = getattr(check, "scope", "")
    scope_tex = rf" \emph{{scope: {text(scope)}}}" if scope else ""
    bad = r" \against" if result is not None and result.get("ok") is False else ""
    head = (
        rf"\paragraph{{{check_title(check)}}} \mbox{{}}\par\nopagebreak"
        "\n"
        rf"{{\small {escape(role)} \textperiodcentered{{}} {escape(check.kind)} \textperiodcentered{{}} }}{verdict_tag(result)}{expect}{scope_tex}{bad}\par"
    )
    body = [head]
    if check.note:
        body.append(r"{\small " + text(check.note) + r"\par}")
    if isinstance(check, Derivation):
        body.append(render_derivation(check, result))
    elif check.statement:
        body.append(_display(check.statement))
    if result is not None:
        body.append(_evidence(result))
        body.append(_counterexample(result))
    return "\n".join(b for b in body if b)


def text(s: str) -> str:
    """Author-written text: LaTeX when it contains maths or commands, escaped otherwise
    (accented letters kept: the document is utf8)."""
    return s if ("$" in s or "\\" in s) else escape(s)


_INLINE = re.compile(r"(?<!\\)\$(?!\$)(.+?)(?<!\\)\$")

#: an inline formula longer than this (in characters of LaTeX) is displayed, scaled to fit
LONG_INLINE = 80


def prose(s: str) -> str:
    """Author-written text-mode LaTeX, with every very long inline formula set as a display
    scaled to the line (a formula without break points would run off the page)."""
    out = text(s)
    if "$$" in out or "\\[" in out:
        return out
    return _INLINE.sub(lambda m: rf"\[ \fitmath{{{m.group(1)}}} \]" if len(m.group(1)) > LONG_INLINE else m.group(0), out)


_BOOKMARK_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "%": r"\%", "#": r"\#", "&": r"\&",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def bookmark(plain: str) -> str:
    """Plain text for a PDF bookmark (the second argument of ``\\texorpdfstring``): LaTeX's
    special characters escaped, but ``<``, ``>`` and ``|`` kept as they are (in a PDF
    string ``$<$`` is a math shift hyperref has to drop, with a warning)."""
    return "".join(_BOOKMARK_ESCAPES.get(ch, ch) for ch in plain)


def _section_title(e: Entry) -> tuple[str, str]:
    return rf"\texttt{{{escape(e.id)}}}: {e.latex_title()}", f"{e.id}: {e.title}"


def entry_section(e: Entry, results: Results) -> str:
    """The section of one entry: statement, hypotheses, reading, proof links, checks."""
    tex, plain = _section_title(e)
    parts = [
        rf"\section[\texorpdfstring{{{tex}}}{{{bookmark(plain)}}}]{{{tex}}}\label{{{_label(e.id)}}}",
        rf"\textit{{Source:}} \texttt{{{escape(e.source)}}}, {text(e.where)}. \textit{{Status:}} \textbf{{{e.status.value}}}.\par",
        r"\textit{Statement, as the source gives it.} " + prose(e.statement) + r"\par",
    ]
    if e.hypotheses:
        parts.append(r"\textit{Hypotheses:}\begin{itemize}" + "".join(rf"\item {prose(h)}" for h in e.hypotheses) + r"\end{itemize}")
    if e.reading:
        parts.append(r"\textit{Reading:} " + prose(e.reading) + r"\par")
    if e.proof:
        parts.append(r"{\raggedright\textit{Proof:} its steps are the entries " + ", ".join(entry_ref(p) for p in e.proof) + r".\par}")
    for c in e.checks:
        parts.append(render_check(c, results.get((e.id, c.name))))
    if e.corrected:
        parts.append(r"\subsection*{Corrected statement}")
        for c in e.corrected:
            parts.append(render_check(c, results.get((e.id, c.name))))
    return "\n\n".join(parts)


def _summary(selected: list[Entry], results: Results) -> str:
    rows = []
    totals: Counter[str] = Counter()
    for prefix in SOURCES:
        es = [e for e in selected if e.id.split(".", 1)[0] == prefix]
        if not es:
            continue
        counts: Counter[str] = Counter()
        for e in es:
            for c in e.all_checks():
                r = results.get((e.id, c.name))
                counts[str(r["verdict"]) if r is not None else "not run"] += 1
                if r is not None and r.get("ok") is False:
                    counts["against"] += 1
        counts["entries"] = len(es)
        counts["checks"] = sum(len(e.all_checks()) for e in es)
        totals.update(counts)
        rows.append((rf"\hyperref[source:{prefix}]{{{escape(prefix)}}}", counts))
    rows.append((r"\textbf{total}", totals))
    cols = ["entries", "checks", *VERDICTS, "not run", "against"]
    head = " & ".join(["source", "entries", "checks", "proved", "certif.", "checked", "illustr.", "refuted", "undec.", "not run", "against"])
    lines = [r"\begin{center}\small\setlength{\tabcolsep}{4pt}", r"\begin{tabular}{l" + "r" * len(cols) + "}", r"\toprule", head + r" \\", r"\midrule"]
    for i, (name, counts) in enumerate(rows):
        if i == len(rows) - 1:
            lines.append(r"\midrule")
        lines.append(" & ".join([name, *(str(counts.get(c, 0)) for c in cols)]) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}\end{center}"]
    return "\n".join(lines)


def _legend() -> str:
    items = "\n".join(rf"\item[{verdict_tag(None, v)}] {LEGEND[v]}" for v in VERDICTS)
    return (
        r"\section*{Legend of the verdicts}" "\n"
        r"A verdict never claims more than its evidence; sampling never says \emph{proved}." "\n"
        r"\begin{description}" "\n" + items + "\n"
        r"\item[\against] the verdict differs from what the catalogue expects (a stated formula "
        r"expected refuted, a corrected one expected to hold)." "\n"
        r"\end{description}" "\n"
        r"Each check is marked with its role (\emph{stated}, \emph{corrected}, \emph{necessity}: a "
        r"hypothesis dropped on purpose, which must be refuted) and its kind: S symbolic, N numeric "
        r"property test, M Monte Carlo, D definition, I illustration. A \emph{scope} narrows what a "
        r"verdict covers (e.g.\ $d = 3$)."
    )


_ROLE_PREFIX = re.compile(r"^(?:as stated|as printed|as written|stated|corrected)\s*[:,]\s*", re.I)


def _errata_title(c: Check) -> str:
    """A check's title under an errata heading, without a leading 'stated:'/'corrected:'."""
    if getattr(c, "title_latex", ""):
        return check_title(c)
    return title_to_latex(_ROLE_PREFIX.sub("", c.name, count=1))


def _errata(selected: list[Entry], results: Results) -> str:
    out = [r"\chapter{Errata}\label{errata}", r"Every statement found not to hold as printed: the printed formula, the confirmed counterexample, the corrected statement and its verdict.\par"]
    n = 0
    for e in selected:
        stated = [c for c in e.checks if c.expect is Expect.REFUTED and c.role != "necessity"]
        if not stated:
            continue
        n += 1
        tex, plain = _section_title(e)
        out.append(rf"\section[\texorpdfstring{{{tex}}}{{{bookmark(plain)}}}]{{{tex}}}")
        out.append(rf"See {entry_ref(e.id)} ({text(e.where)}).\par")
        for c in stated:
            r = results.get((e.id, c.name))
            out.append(rf"\paragraph{{As printed: {_errata_title(c)}}} {verdict_tag(r)}\par")
            if c.statement:
                out.append(_display(c.statement))
            if r is not None:
                out.append(_counterexample(r))
        for c in e.corrected:
            r = results.get((e.id, c.name))
            out.append(rf"\paragraph{{Corrected: {_errata_title(c)}}} {verdict_tag(r)}\par")
            if c.statement:
                out.append(_display(c.statement))
    if n == 0:
        out.append(r"No statement of this selection was found wrong.\par")
    return "\n\n".join(out)


def _title_page(selected: list[Entry], results: Results, run: Mapping[str, Any]) -> str:
    counts = Counter(str(r["verdict"]) for r in results.values())
    verdicts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v]) or "the checks were not run"
    against = sum(1 for r in results.values() if r.get("ok") is False)
    settings_rows = "\n".join(
        rf"{escape(k)} & {escape(str(v))} \\" for k, v in run.items() if k not in ("title",)
    )
    sel = ", ".join(sorted({e.id.split('.', 1)[0] for e in selected}))
    return (
        r"\begin{titlepage}\centering" "\n"
        r"\vspace*{3cm}{\Huge\bfseries The checked lecture notes\par}\vspace{0.8cm}" "\n"
        r"{\Large Optimization dynamics of deep learning:\\ every stated result, machine-checked\par}\vspace{1.2cm}" "\n"
        rf"{{\large {len(selected)} result{'s' if len(selected) != 1 else ''} from {escape(sel)}\par}}\vspace{{0.3cm}}" "\n"
        rf"{{\large {sum(len(e.all_checks()) for e in selected)} checks: {verdicts}\par}}" "\n"
        + (rf"{{\large\against: {against}\par}}" if against else r"{\large every verdict is the one the catalogue expects\par}")
        + "\n"
        r"\vspace{1.5cm}\begin{tabular}{ll}\toprule \multicolumn{2}{c}{\textbf{the run}}\\\midrule" "\n"
        + settings_rows + "\n"
        r"\bottomrule\end{tabular}\par\vfill" "\n"
        r"{\small Verdicts: proved $>$ certified $>$ checked $>$ illustrated; refuted means a counterexample confirmed in ball arithmetic. See the legend on page~\pageref{legend}.\par}" "\n"
        r"\end{titlepage}"
    )


def render_book(selected: Iterable[Entry], results: Results, run: Mapping[str, Any]) -> str:
    """The whole document: ``run`` lists the settings printed on the title page
    (version, seed, digits, examples, profile, date)."""
    selected = list(selected)
    chapters = []
    for prefix in SOURCES:
        es = [e for e in selected if e.id.split(".", 1)[0] == prefix]
        if not es:
            continue
        title = SOURCE_TITLES.get(prefix, prefix)
        chapters.append(
            rf"\chapter{{{title}}}\label{{source:{prefix}}}" "\n"
            rf"Source file \texttt{{{escape(SOURCES[prefix])}}}; {len(es)} entries.\par" "\n\n"
            + "\n\n".join(entry_section(e, results) for e in es)
        )
    return (
        PREAMBLE
        + rf"\hypersetup{{pdftitle={{The checked lecture notes}},pdfauthor={{theorems {escape(str(run.get('version', '')))}}}}}" "\n"
        + "\\begin{document}\n"
        # front matter numbered apart (roman), so the length of the table of contents does
        # not move the pages of the main matter: two pdflatex runs settle every reference
        + "\\frontmatter\n"
        + _title_page(selected, results, run)
        + "\n\\tableofcontents\n\\mainmatter\n"
        + r"\chapter{Summary}" "\n"
        + r"Verdicts of the checks per source (each source links to its chapter, where every check shows its evidence); the \hyperref[errata]{errata} chapter collects the statements found wrong as printed.\par" "\n"
        + _summary(selected, results)
        + "\n\\phantomsection\\label{legend}\n"
        + _legend()
        + "\n\n"
        + "\n\n".join(chapters)
        + "\n\n"
        + _errata(selected, results)
        + "\n\\end{document}\n"
    )


def results_by_key(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Index the JSON of ``theorems check --json`` by (entry ID, check name)."""
    out: dict[tuple[str, str], Mapping[str, Any]] = {}
    for r in rows:
        if not isinstance(r, Mapping) or "result" not in r or "check" not in r or "verdict" not in r:
            raise ValueError("not the output of 'theorems check --json': each item needs result, check and verdict")
        out[(str(r["result"]), str(r["check"]))] = r
    return out


def run_settings(settings: Any, profile: str, version: str) -> dict[str, Any]:
    """What the title page prints about a run."""
    return {
        "theorems version": version,
        "profile": profile,
        "seed": settings.seed,
        "digits": settings.digits,
        "hypothesis examples per claim": settings.examples,
        "Monte Carlo scale": settings.mc_scale,
        "date": _dt.date.today().isoformat(),
    }


def settings_of_results(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The seeds and digits recorded in the evidence of saved results (a saved run does not
    carry its settings otherwise)."""
    seeds: set[str] = set()
    digits: set[str] = set()
    for r in rows:
        ev = r.get("evidence", {}) or {}
        if ev.get("seed") is not None:
            seeds.add(str(ev["seed"]))
        if ev.get("digits") is not None:
            digits.add(str(ev["digits"]))
    out = {}
    if seeds:
        out["seed (from the evidence)"] = ", ".join(sorted(seeds))
    if digits:
        out["digits (from the evidence)"] = ", ".join(sorted(digits, key=int))
    return out
