"""Escaping machine-generated text for LaTeX text mode (no dependencies: titles, latex and the
notation all use it)."""

from __future__ import annotations

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"$<$",
    ">": r"$>$",
    "|": r"$|$",
}


def escape(text: str) -> str:
    """Escape machine-generated text for LaTeX text mode (ASCII-safe)."""
    out = "".join(_ESCAPES.get(ch, ch) for ch in text)
    return out.encode("ascii", "replace").decode("ascii")
