"""Notations students write that the grammar does not read directly, rewritten into ones it
does, or refused with a message that says how to write the answer instead.

Every function here works on the text before it is tokenized and never evaluates it: the
rewritten text goes through the same safe parser as any other answer.
"""

from __future__ import annotations

import re

from .errors import ParseError

__all__ = ["chained_interval", "french_interval", "plus_minus_variants", "strip_full_stop", "whole_equation"]



def strip_full_stop(text: str) -> str:
    """``1/L.`` -> ``1/L``: one sentence-final full stop (after optional ``$`` fences and spaces)
    is dropped; a decimal point followed by a digit is never touched."""
    t = text.rstrip()
    if t.endswith(".") and not t.endswith(".."):
        return t[:-1].rstrip()
    if t.endswith(".$") or t.endswith("$."):
        return t.replace(".$", "$").rstrip(".").rstrip()
    return text


def french_interval(text: str) -> str:
    """``]0, 2[`` -> ``(0, 2)``, ``[0, 2[`` -> ``[0, 2)``, ``]0, 2]`` -> ``(0, 2]`` (ISO 31-11
    notation for open ends, usual in France), also in each part of a union (``U``, ``∪``,
    ``\\cup``). Only the first and the last character of an interval are rewritten, and only
    when they are reversed brackets."""
    parts = re.split(r"(\s*(?:\\cup(?![a-zA-Z])|∪|\bU\b)\s*)", text)
    if len(parts) > 1:
        return "".join(p if i % 2 else _french_one(p) for i, p in enumerate(parts))
    return _french_one(text)


def _french_one(text: str) -> str:
    t = text.strip()
    if len(t) < 2:
        return text
    first, last = t[0], t[-1]
    if first not in "[]" or last not in "[]" or (first == "[" and last == "]"):
        return text
    return ("(" if first == "]" else "[") + t[1:-1] + (")" if last == "[" else "]")


def plus_minus_variants(text: str) -> tuple[str, str] | None:
    """``±`` (``\\pm``, ``+/-``): the two texts with ``+`` and with ``-`` in its place, or None
    when the text has none (``1+-2`` is 1 + (-2), not ±). More than one ``±`` is refused (the
    pairing is ambiguous)."""
    found = [(m.start(), m.group()) for m in re.finditer(r"±|\\pm(?![a-zA-Z])|\+/-", text)]
    if not found:
        return None
    if len(found) > 1:
        raise ParseError("more than one ± in one answer: write the set of values, e.g. {-1, 1}", found[1][0], text)
    pos, tok = found[0]
    head, tail = text[:pos], text[pos + len(tok):]
    return head + "+" + tail, head + "-" + tail


_REL = re.compile(r"<=|>=|≤|≥|\\leq?(?![a-zA-Z])|\\geq?(?![a-zA-Z])|\\lt(?![a-zA-Z])|\\gt(?![a-zA-Z])|<|>")


def chained_interval(text: str) -> tuple[str, str, str, bool, bool] | None:
    """``0 < gamma < 2/L`` -> ``("0", "gamma", "2/L", left_open, right_open)`` (also with ``<=``,
    ``\\le``, ``≤``, and the reversed ``2/L > gamma > 0``); None when the text is not a chain
    of two inequalities."""
    parts = _REL.split(text)
    ops = _REL.findall(text)
    if len(ops) != 2 or len(parts) != 3:
        return None
    ups = [o in ("<", "<=", "≤", "\\le", "\\leq", "\\lt") for o in ops]
    if ups[0] != ups[1]:
        return None
    lo, mid, hi = (p.strip() for p in parts)
    strict = [o in ("<", ">", "\\lt", "\\gt") for o in ops]
    if not ups[0]:
        lo, hi = hi, lo
        strict.reverse()
    return lo, mid, hi, strict[0], strict[1]


def whole_equation(text: str) -> str | None:
    """``theta = 2/3``: the name before a single ``=`` (None when there is none), so the
    caller can say "give only the expression" rather than "unknown name"."""
    m = re.fullmatch(r"\s*\$?\s*([A-Za-z\\][A-Za-z0-9_\\{}^]*(?:\([A-Za-z, ]*\))?)\s*=(?!=)\s*(.+)", text, re.S)
    if not m or "<" in text or ">" in text:
        return None
    return m.group(1)
