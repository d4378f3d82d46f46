"""Safe parser for untrusted mathematical input (students' answers, claim files).

Text is tokenized and parsed by hand-written code over a whitelist of names and
characters, and sympy objects are built explicitly with bounded sizes.  Nothing
here ever calls ``eval``, ``exec``, ``sympify``, ``parse_expr``, ``lambdify`` or
sympy's ``parse_latex``.  See ``docs/safe-input.md``.
"""

from .api import (
    parse_expression,
    parse_interval,
    parse_matrix,
    parse_number,
    parse_relation,
    parse_set,
)
from .errors import ParseError
from .limits import Limits
from .printing import to_plain
from .vocabulary import DEFAULT_CONSTANTS, DEFAULT_FUNCTIONS, FunctionSpec, Vocabulary

__all__ = [
    "DEFAULT_CONSTANTS",
    "DEFAULT_FUNCTIONS",
    "FunctionSpec",
    "Limits",
    "ParseError",
    "Vocabulary",
    "parse_expression",
    "parse_interval",
    "parse_matrix",
    "parse_number",
    "parse_relation",
    "parse_set",
    "to_plain",
]
