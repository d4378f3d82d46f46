"""Rich display in notebooks: ``_repr_html_``/``_repr_latex_`` of outcomes and derivations.

Jupyter typesets the ``$...$`` of HTML output with MathJax, so counterexamples and
derivations show as mathematics.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from .derivations import REL_LATEX, to_latex
from .latex_values import counterexample
from .rendering import register_renderer
from .titles import title_to_latex

if TYPE_CHECKING:
    from .derivations import Derivation
    from .verdicts import Outcome

COLORS = {
    "proved": "#2d6a2d", "certified": "#007070", "checked": "#26549e", "illustrated": "#555",
    "refuted": "#b22222", "undecided": "#c46200",
}


def badge(verdict: str) -> str:
    """An HTML badge of a verdict."""
    return (
        f'<span style="background:{COLORS.get(verdict, "#888")};color:white;padding:0 .4em;'
        f'border-radius:.3em;font-family:sans-serif">{html.escape(verdict)}</span>'
    )


def _tex_html(s: str) -> str:
    from .texhtml import tex_to_html

    return tex_to_html(s)


def outcome_html(outcome: Outcome) -> str:
    """The verdict, its evidence and the counterexample typeset as maths."""
    parts = [f"<p>{badge(outcome.verdict.value)} <small>{html.escape(outcome.evidence.summary())}</small></p>"]
    if outcome.evidence.counterexample is not None:
        parts.append(f"<p><em>Counterexample:</em> {_tex_html(counterexample(outcome.evidence.counterexample))}</p>")
    if outcome.parts:
        rows = "".join(f"<tr><td>{html.escape(name)}</td><td>{badge(o.verdict.value)}</td><td><small>{html.escape(o.evidence.summary()[:200])}</small></td></tr>" for name, o in outcome.parts)
        parts.append(f"<table>{rows}</table>")
    return "\n".join(parts)


def outcome_latex(outcome: Outcome) -> str:
    """The verdict and the method as a one-line display."""
    return rf"$\textsf{{{outcome.verdict.value}}}\quad\text{{({outcome.evidence.method.replace('$', '')[:120]})}}$"


def derivation_latex(d: Derivation) -> str:
    """The chain as an ``aligned`` display (each step with its label)."""
    rows = [rf"& {to_latex(d.start)}"]
    for i, step in enumerate(d.steps):
        tag = step.label or f"step {i + 1}"
        rows.append(rf"&{REL_LATEX[step.rel]} {to_latex(step.expr)} && \text{{{tag}}}")
    return "$$\\begin{aligned}" + r" \\ ".join(rows) + "\\end{aligned}$$"


def derivation_html(d: Derivation, outcome: Any = None) -> str:
    """The chain as a table: expression, justification (and the step's verdict when run)."""
    parts = dict(outcome.parts) if outcome is not None else {}
    rows = [f"<tr><td>$\\displaystyle {html.escape(to_latex(d.start), quote=False)}$</td><td></td></tr>"]
    for i, step in enumerate(d.steps):
        out = parts.get(step.label or f"step {i + 1}")
        why = _tex_html(step.justification)
        rows.append(
            f"<tr><td>$\\displaystyle \\quad {html.escape(REL_LATEX[step.rel] + ' ' + to_latex(step.expr), quote=False)}$</td>"
            f"<td><small>{html.escape(step.label)} {why}</small> {badge(out.verdict.value) if out is not None else ''}</td></tr>"
        )
    return f"<p><strong>{_tex_html(title_to_latex(d.name))}</strong></p><table>{''.join(rows)}</table>"


# outcomes and derivations find their rich display here through the registry
register_renderer("outcome_html", outcome_html)
register_renderer("outcome_latex", outcome_latex)
register_renderer("derivation_latex", derivation_latex)
register_renderer("derivation_html", derivation_html)
