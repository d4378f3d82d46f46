"""Tables of the LaTeX commands the parser understands.

Any other command (``\\def``, ``\\input``, ``\\newcommand``, ...) is never
interpreted: it becomes a name that is looked up in the vocabulary, and fails
with "unknown LaTeX command" unless the vocabulary declares it.
"""

from __future__ import annotations

__all__ = [
    "BRACKET_SIZERS",
    "FRACTIONS",
    "GREEK",
    "MATRIX_ENVIRONMENTS",
    "NAME_WRAPPERS",
    "RELATIONS",
    "SPACING",
    "SYMBOL_COMMANDS",
]

FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})

# \left( ... \right), \bigl( ... \bigr) and friends: a sizing prefix before a delimiter.
BRACKET_SIZERS = frozenset(
    {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
     "biggr", "Biggl", "Biggr"}
)

# commands that are pure spacing / style and are skipped
SPACING = frozenset(
    {"quad", "qquad", "displaystyle", "textstyle", "scriptstyle", ",", ";", ":", "!", " ",
     "thinspace", "medspace", "thickspace"}
)

# \mathrm{e}, \operatorname{sgn}: the braced letters become a name
NAME_WRAPPERS = frozenset({"mathrm", "operatorname", "text", "textrm", "mathit", "textit"})

RELATIONS = {
    "le": "<=",
    "leq": "<=",
    "leqslant": "<=",
    "ge": ">=",
    "geq": ">=",
    "geqslant": ">=",
    "lt": "<",
    "gt": ">",
    "ne": "!=",
    "neq": "!=",
}

# commands that map to a token kind (name of tokens.Kind member)
SYMBOL_COMMANDS = {
    "cdot": "STAR",
    "times": "STAR",
    "div": "SLASH",
    "sqrt": "SQRT",
    "cup": "UNION",
    "emptyset": "EMPTYSET",
    "varnothing": "EMPTYSET",
    "infty": "INFTY",
    "lvert": "LBAR",
    "rvert": "RBAR",
    "vert": "BAR",
}

MATRIX_ENVIRONMENTS = frozenset({"pmatrix", "bmatrix", "matrix"})

GREEK = frozenset(
    {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
     "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "varrho", "sigma",
     "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "ell", "Gamma", "Delta",
     "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"}
)
