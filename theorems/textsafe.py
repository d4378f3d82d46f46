"""Untrusted text on its way out: CSV cells a spreadsheet will not evaluate, text a terminal will not obey.

Two functions, used by every writer of the package:

- :func:`csv_cell` neutralises a cell a spreadsheet would read as a formula (OWASP's advice: a cell
  whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  single quote). A plain decimal number (``-1``, ``0.5``, ``2e-3``) is left as it is, so that a
  numeric column stays numeric: a spreadsheet reads a number as a number, never as a formula.
- :func:`clean_text` makes text safe for a terminal or a Markdown file: control characters (C0
  except newline and tab, DEL, C1), the bidirectional overrides and the Unicode line and paragraph
  separators are written as visible escapes (``\\x1b``, ``\\u202e``), so ``cat summary.md`` cannot
  move the cursor, recolour the terminal, set its title or reorder what it shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["clean_text", "csv_cell", "csv_row"]

#: first characters that make a spreadsheet evaluate a cell (OWASP CSV injection), with their
#: full-width forms, which some spreadsheets fold to the ASCII ones
FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet evaluates (a quote is prefixed where needed).

    The test is on the first character after leading spaces (LibreOffice skips them). A cell that
    is exactly a decimal number is returned unchanged: it cannot be a formula.
    """
    text = "" if value is None else str(value)
    if _NUMBER.fullmatch(text):
        return text
    head = text.lstrip(" ")
    if head and head[0] in FORMULA_START or text[:1] in ("\t", "\r", "\n"):
        return "'" + text
    return text


def csv_row(values: Iterable[object]) -> list[str]:
    """Every cell of a row through :func:`csv_cell`."""
    return [csv_cell(v) for v in values]


_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + _BIDI + "]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def clean_text(text: str, replacement: str | None = None) -> str:
    """``text`` with every character a terminal or a viewer would act on written as a visible escape.

    Newlines and tabs are kept; a carriage return, ESC (so every ANSI/OSC sequence), BEL, backspace,
    NUL, DEL, the C1 controls, the bidi embeddings/overrides/isolates and U+2028/U+2029 become
    ``\\xNN`` / ``\\uNNNN`` (or ``replacement``, e.g. ``?`` in LaTeX, where a backslash would be a
    command). Everything else, accented letters and emoji included, is unchanged.
    """
    if replacement is not None:
        return _UNSAFE.sub(replacement, text)
    return _UNSAFE.sub(_escape, text)
