"""The character whitelist: which characters untrusted input may contain.

Everything is matched explicitly against ASCII sets; ``str.isdigit``/``isalpha`` and
Unicode normalisation (NFKC) are never used, so fullwidth digits, Cyrillic or other
look-alike letters, zero-width and bidirectional-control characters cannot turn
into something else.  The few non-ASCII characters accepted each map to exactly
one token and are listed in :data:`UNICODE_TOKENS`.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "ASCII_DIGITS",
    "ASCII_LETTERS",
    "UNICODE_TOKENS",
    "WHITESPACE",
    "describe_char",
]

ASCII_DIGITS = frozenset("0123456789")
ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
WHITESPACE = frozenset(" \t\n\r")

# Greek letters that do not look like a Latin letter.  (omicron, nu, rho, chi,
# upsilon, iota, kappa and the Latin-looking capitals are deliberately absent.)
GREEK_LETTERS: dict[str, str] = {
    "\u03b1": "alpha",
    "\u03b2": "beta",
    "\u03b3": "gamma",
    "\u03b4": "delta",
    "\u03b5": "epsilon",
    "\u03b6": "zeta",
    "\u03b7": "eta",
    "\u03b8": "theta",
    "\u03bb": "lambda",
    "\u03bc": "mu",
    "\u03be": "xi",
    "\u03c0": "pi",
    "\u03c3": "sigma",
    "\u03c4": "tau",
    "\u03c6": "phi",
    "\u03c8": "psi",
    "\u03c9": "omega",
    "\u0393": "Gamma",
    "\u0394": "Delta",
    "\u0398": "Theta",
    "\u039b": "Lambda",
    "\u039e": "Xi",
    "\u03a0": "Pi",
    "\u03a3": "Sigma",
    "\u03a6": "Phi",
    "\u03a8": "Psi",
    "\u03a9": "Omega",
}

# Non-ASCII operator characters -> (token kind name, value).
UNICODE_TOKENS: dict[str, tuple[str, str]] = {
    "\u2212": ("MINUS", "-"),  # MINUS SIGN
    "\u00b7": ("STAR", "*"),  # MIDDLE DOT
    "\u22c5": ("STAR", "*"),  # DOT OPERATOR
    "\u00d7": ("STAR", "*"),  # MULTIPLICATION SIGN
    "\u00f7": ("SLASH", "/"),  # DIVISION SIGN
    "\u221a": ("ROOT", "sqrt"),  # SQUARE ROOT
    "\u2264": ("REL", "<="),
    "\u2265": ("REL", ">="),
    "\u2260": ("REL", "!="),
    "\u221e": ("INFTY", "oo"),
    "\u222a": ("UNION", "U"),
    "\u2205": ("EMPTYSET", "{}"),
}
UNICODE_TOKENS.update({ch: ("IDENT", name) for ch, name in GREEK_LETTERS.items()})


def describe_char(ch: str) -> str:
    """``'U+0445 CYRILLIC SMALL LETTER HA'`` -- never the raw character itself."""
    name = unicodedata.name(ch, "control character")
    return f"U+{ord(ch):04X} {name}"
