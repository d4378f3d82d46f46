"""The engine's notation: claims written as text in the safe syntax, compiled to backend margins.

``gradnorm(x)^2 <= 2*L*F(x)`` is parsed by :mod:`symbolic.parsing` (never ``eval``/``sympify``),
its point functions (:mod:`.functions`) and the objective's constants (:mod:`.constants`) are
resolved by :class:`.compiler.Compiler`, and the result is evaluated in mpmath, Arb or floats.
Modules: ``functions`` (the registry of names), ``constants`` (constants of the objective),
``compiler`` (parse, lower, compile, evaluate), ``guard`` (refusing huge exponentials),
``render`` (LaTeX), ``claim`` (catalogue claims in notation: :class:`NotationClaim`), ``errors``.
"""

from .claim import Notation, NotationClaim, notation_claim
from .compiler import NOTATION_LIMITS, RELATIONS, Compiler, compile_exprs
from .constants import CONSTANTS, constants_of
from .errors import NotationError
from .functions import (
    POINT_FUNCTIONS,
    REDUCERS,
    UNSUPPORTED_FUNCTIONS,
    PointFunction,
    point_value,
    register,
    register_reducer,
    scalar_functions,
)
from .guard import MAX_EXPONENT_MAGNITUDE, GuardedBackend
from .render import statement_latex, to_latex

__all__ = [
    "CONSTANTS",
    "MAX_EXPONENT_MAGNITUDE",
    "NOTATION_LIMITS",
    "POINT_FUNCTIONS",
    "RELATIONS",
    "UNSUPPORTED_FUNCTIONS",
    "Compiler",
    "Notation",
    "NotationClaim",
    "REDUCERS",
    "notation_claim",
    "register_reducer",
    "to_latex",
    "GuardedBackend",
    "NotationError",
    "PointFunction",
    "compile_exprs",
    "constants_of",
    "point_value",
    "register",
    "scalar_functions",
    "statement_latex",
]
