"""Scope: what a check establishes when that is narrower than its title, and the rule that a
title may not claim more.

``Check.scope`` is free text ("d = 3; the argument is coordinatewise", "n <= 12",
"l = 3 only"). The verdict is printed with it ("proved for d = 3; ..."). The detectable
overclaim refused at registration: the scope fixes or bounds a variable (``d = 3``,
``n <= 12``, ``p in {2, 3}``) and the title quantifies over that same variable ("for all
d", "every n", "any p", "all l", "in R^d" when the scope fixes d).
"""

from __future__ import annotations

import re

from .checks import Check

_FIXED = re.compile(r"\b([A-Za-z](?:_[A-Za-z0-9]+)?)\s*(?:=|<=|>=|<|>|≤|≥|\bin\b|∈)")
_QUANT = r"\b(?:for\s+all|for\s+every|for\s+any|for\s+each|all|every|any|each)\s+{var}\b"


def scoped_variables(scope: str) -> list[str]:
    """The variables a scope fixes or bounds (``d`` in "d = 3", ``n`` in "n <= 12")."""
    return list(dict.fromkeys(m.group(1) for m in _FIXED.finditer(scope)))


def overclaims(check: Check) -> str | None:
    """Why the check's title claims more than its scope (None when it does not, as far as seen)."""
    scope = getattr(check, "scope", "")
    if not scope:
        return None
    title = check.name
    for var in scoped_variables(scope):
        v = re.escape(var)
        if re.search(_QUANT.format(var=v), title) or re.search(rf"\b(?:R|\\mathbb\{{R\}})\^\{{?{v}\}}?", title):
            return f"its title claims every {var} ({title!r}) but its scope is {scope!r}: say what was proved in the title"
    return None


def with_scope(verdict: str, scope: str) -> str:
    """The verdict as printed beside a check: "proved for d = 3" or "proved"."""
    return f"{verdict} for {scope}" if scope else verdict
