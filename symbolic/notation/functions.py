"""The names the notation knows: functions of points (``F(x)``, ``gradnorm(x)``, ...) and scalar functions.

A point function takes some declared points (``x``, ``y``, ...) and then some scalar
arguments (numbers or parameter expressions, e.g. a step size) and evaluates, in a backend,
a quantity of the objective at those points. To add a name, call :func:`register` (or add a
line to the table at the end of this module): the compiler, the claim files and the docs
pick it up from :data:`POINT_FUNCTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from symbolic.parsing import DEFAULT_FUNCTIONS

#: functions the engine's compiler cannot evaluate are not offered in notation
UNSUPPORTED_FUNCTIONS = ("sgn", "sign")

#: evaluate(objective, backend, points, scalars) -> a backend number
Evaluator = Callable[[Any, Any, list[Any], list[Any]], Any]


@dataclass(frozen=True)
class PointFunction:
    """A name applied to ``points`` declared points followed by ``scalars`` scalar arguments."""

    name: str
    points: int
    scalars: int
    evaluate: Evaluator
    doc: str = ""


#: every point function the compiler knows, by name (filled by :func:`register`)
POINT_FUNCTIONS: dict[str, PointFunction] = {}


def register(name: str, points: int, scalars: int, evaluate: Evaluator, doc: str = "") -> PointFunction:
    """Make ``name(p1, ..., s1, ...)`` available in notation; returns the entry."""
    if name in POINT_FUNCTIONS:
        raise ValueError(f"the point function {name!r} is already registered")
    spec = PointFunction(name, points, scalars, evaluate, doc)
    POINT_FUNCTIONS[name] = spec
    return spec


def scalar_functions() -> dict[str, Any]:
    """The parser's scalar functions (sqrt, exp, log, min, max, ...) the compiler can evaluate."""
    return {k: v for k, v in DEFAULT_FUNCTIONS.items() if k not in UNSUPPORTED_FUNCTIONS}


def point_value(f: Any, B: Any, name: str, xs: list[Any], scalars: list[Any]) -> Any:
    """The value of the point function ``name`` of objective ``f`` at points ``xs``, in backend ``B``."""
    if f is None:
        raise ValueError(f"{name} needs an objective (the claim has no family)")
    return POINT_FUNCTIONS[name].evaluate(f, B, xs, scalars)


register("F", 1, 0, lambda f, B, xs, s: f.value(B, xs[0]), "the objective's value F(x)")
register("gradnorm", 1, 0, lambda f, B, xs, s: B.norm(f.grad(B, xs[0])), "||grad F(x)||")
register("graddist", 2, 0, lambda f, B, xs, s: B.norm(B.sub(f.grad(B, xs[0]), f.grad(B, xs[1]))), "||grad F(x) - grad F(y)||")
register("dist", 2, 0, lambda f, B, xs, s: B.norm(B.sub(xs[0], xs[1])), "||x - y||")
register("inner", 2, 0, lambda f, B, xs, s: B.dot(f.grad(B, xs[0]), B.sub(xs[1], xs[0])), "<grad F(x), y - x> (the first-order term)")
register("Fstep", 1, 1, lambda f, B, xs, s: f.value(B, f.gradient_step(B, xs[0], s[0])), "F(x - a grad F(x)), the value after a gradient step of size a")
register("stepdist", 2, 1, lambda f, B, xs, s: B.norm(B.sub(f.gradient_step(B, xs[0], s[0]), f.gradient_step(B, xs[1], s[0]))), "||T(x) - T(y)|| with T(z) = z - a grad F(z)")
register("hessmin", 1, 0, lambda f, B, xs, s: B.lambda_min(f.hess(B, xs[0])), "the smallest eigenvalue of the Hessian at x")
register("hessmax", 1, 0, lambda f, B, xs, s: B.lambda_max(f.hess(B, xs[0])), "the largest eigenvalue of the Hessian at x")
