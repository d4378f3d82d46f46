"""LaTeX for checks and derivations: ``align*`` with a column for each step's justification and verdict.

Conventions: a check's ``statement`` is math-mode LaTeX; a step's ``justification`` is
text-mode LaTeX (it may contain ``$...$``); machine-generated text (evidence,
counterexamples) is escaped here.
"""

from __future__ import annotations

import json
from typing import Any

from .checks import Check
from .derivations import REL_LATEX, Derivation, to_latex
from .rendering import register_renderer
from .texescape import escape
from .verdicts import Outcome, Verdict

COLORS = {
    Verdict.PROVED: "green!45!black",
    Verdict.CERTIFIED: "teal",
    Verdict.CHECKED: "blue!70!black",
    Verdict.ILLUSTRATED: "gray",
    Verdict.REFUTED: "red!75!black",
    Verdict.UNDECIDED: "orange!80!black",
}

PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb}
\usepackage[margin=2cm]{geometry}
\usepackage[dvipsnames]{xcolor}
\newcommand{\verdict}[2]{\textcolor{#1}{\textsf{#2}}}
\allowdisplaybreaks
"""


def text(s: str) -> str:
    """Author-written text: used as LaTeX when it contains math or commands, escaped otherwise."""
    return s if ("$" in s or "\\" in s) else escape(s)


def verdict_tag(outcome: Outcome | None) -> str:
    if outcome is None:
        return r"\verdict{gray}{not run}"
    return rf"\verdict{{{COLORS[outcome.verdict]}}}{{{outcome.verdict.value}}}"


def _evidence(outcome: Outcome | None) -> str:
    if outcome is None:
        return ""
    lines = [r"\par\noindent{\small\textit{Evidence:} " + escape(outcome.evidence.summary()) + "}"]
    ce = outcome.evidence.counterexample
    if ce is not None:
        shown = json.dumps(ce, ensure_ascii=True)
        if len(shown) > 1200:
            shown = shown[:1200] + " ..."
        lines.append(r"\par\noindent{\small\textit{Counterexample:} \texttt{" + escape(shown) + "}}")
    return "\n".join(lines)


def render_derivation(d: Derivation, outcome: Outcome | None = None) -> str:
    parts = dict(outcome.parts) if outcome is not None else {}
    rows = [rf"  & {to_latex(d.start)} \\"]
    for i, step in enumerate(d.steps):
        label = step.label or f"step {i + 1}"
        out = parts.get(label)
        label_tex = rf"\text{{{escape(step.label)}}}\ " if step.label else ""
        rows.append(
            rf"  {label_tex}&{REL_LATEX[step.rel]} {to_latex(step.expr)} && \text{{{text(step.justification)}}} && {verdict_tag(out)} \\"
        )
    rows[-1] = rows[-1].removesuffix(r" \\")
    body = "\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}"
    if d.hypotheses:
        body = r"\par\noindent\textit{Hypotheses:} " + "; ".join(text(h) for h in d.hypotheses) + "\n" + body
    notes = []
    for i, step in enumerate(d.steps):
        out = parts.get(step.label or f"step {i + 1}")
        if out is not None and out.verdict is Verdict.REFUTED and out.evidence.counterexample is not None:
            shown = json.dumps(out.evidence.counterexample, ensure_ascii=True)[:600]
            notes.append(rf"\item {escape(step.label or f'step {i + 1}')}: refuted, counterexample \texttt{{{escape(shown)}}}")
    if notes:
        body += "\n\\begin{itemize}\\small\n" + "\n".join(notes) + "\n\\end{itemize}"
    return body


def render_check(check: Check, outcome: Outcome | None = None) -> str:
    """A LaTeX fragment (text mode) for one check and, if run, its verdict and evidence."""
    role = f" ({escape(check.role)})" if check.role else ""
    expect = r" \emph{expected: refuted}" if check.expect.value == "refuted" else ""
    scope = rf" \textsf{{for {escape(check.scope)}}}" if check.scope else ""  # what was proved, beside the verdict
    head = rf"\paragraph{{{escape(check.name)}}}{role} [{escape(check.kind)}] {verdict_tag(outcome)}{scope}{expect}"
    body = [head]
    if check.note:
        body.append(r"\par\noindent{\small " + text(check.note) + "}")
    if isinstance(check, Derivation):
        body.append(render_derivation(check, outcome))
    elif check.statement:
        body.append(r"\[ " + check.statement + r" \]")
    body.append(_evidence(outcome))
    return "\n".join(b for b in body if b)


def document(title: str, sections: list[str]) -> str:
    """A standalone document that compiles with pdflatex."""
    return PREAMBLE + "\\begin{document}\n" + rf"\section*{{{title}}}" + "\n" + "\n\n".join(sections) + "\n\\end{document}\n"


def latex(obj: Any) -> str:
    """LaTeX of a check (text mode fragment)."""
    if isinstance(obj, Check):
        return render_check(obj)
    raise TypeError(f"no LaTeX for {type(obj).__name__}")


# checks find their LaTeX here through the registry (rendering depends on checks, not the reverse)
register_renderer("check_latex", render_check)
