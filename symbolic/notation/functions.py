"""The names the notation knows, in one registry: functions of points, vectors, matrices, reducers.

- **point functions** (:data:`POINT_FUNCTIONS`) take declared points (``x``, ``y``, ...) and then
  scalar arguments (numbers or parameter expressions, e.g. a step size) and give a number, a
  vector or a matrix of the objective at those points: ``F(x)``, ``gradnorm(x)``, ``grad(x)``,
  ``hess(x)``, ...;
- **reducers** (:data:`REDUCERS`) turn vectors and matrices into numbers: ``norm(v)``,
  ``dot(u, v)``, ``component(v, i)``, ``lambda_min(M)``, ``lambda_max(M)``, ``det(M)``. Their
  arguments are linear combinations (with scalar coefficients in the parameters and constants)
  of points and vector-valued point functions, or of ``I`` and matrix-valued ones.

To add a name, call :func:`register` or :func:`register_reducer` (or add a line to the tables at
the end of this module): the compiler, the claim files, the LaTeX and the docs pick it up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from symbolic.parsing import DEFAULT_FUNCTIONS

#: functions the engine's compiler cannot evaluate are not offered in notation
UNSUPPORTED_FUNCTIONS = ("sgn", "sign")

#: evaluate(objective, backend, points, scalars) -> a backend number, vector or matrix
Evaluator = Callable[[Any, Any, list[Any], list[Any]], Any]
Kind = Literal["scalar", "vector", "matrix"]
#: the name of the identity matrix in matrix arguments (``lambda_min(I - alpha*hess(x))``)
IDENTITY = "I"


@dataclass(frozen=True)
class PointFunction:
    """A name applied to ``points`` declared points followed by ``scalars`` scalar arguments.

    ``kind`` is what it gives: a number (usable anywhere), a vector or a matrix (usable only
    inside a reducer). ``latex`` is a template over the arguments' LaTeX (``{0}``, ``{1}``, ...).
    """

    name: str
    points: int
    scalars: int
    evaluate: Evaluator
    doc: str = ""
    latex: str = ""
    kind: Kind = "scalar"


@dataclass(frozen=True)
class Reducer:
    """A number computed from vectors and matrices: ``args`` lists each argument's kind
    (``"vector"``, ``"matrix"``, or ``"index"``: a positive integer literal)."""

    name: str
    args: tuple[str, ...]
    evaluate: Callable[..., Any]
    doc: str = ""
    latex: str = ""


#: every point function the compiler knows, by name (filled by :func:`register`)
POINT_FUNCTIONS: dict[str, PointFunction] = {}
#: every reducer the compiler knows, by name (filled by :func:`register_reducer`)
REDUCERS: dict[str, Reducer] = {}


def register(name: str, points: int, scalars: int, evaluate: Evaluator, doc: str = "", latex: str = "", kind: Kind = "scalar") -> PointFunction:
    """Make ``name(p1, ..., s1, ...)`` available in notation; returns the entry."""
    if name in POINT_FUNCTIONS or name in REDUCERS:
        raise ValueError(f"the name {name!r} is already registered")
    spec = PointFunction(name, points, scalars, evaluate, doc, latex or name + "(" + ", ".join(f"{{{i}}}" for i in range(points + scalars)) + ")", kind)
    POINT_FUNCTIONS[name] = spec
    return spec


def register_reducer(name: str, args: tuple[str, ...], evaluate: Callable[..., Any], doc: str = "", latex: str = "") -> Reducer:
    """Make the reducer ``name(...)`` available in notation; returns the entry."""
    if name in POINT_FUNCTIONS or name in REDUCERS:
        raise ValueError(f"the name {name!r} is already registered")
    spec = Reducer(name, args, evaluate, doc, latex or name + "(" + ", ".join(f"{{{i}}}" for i in range(len(args))) + ")")
    REDUCERS[name] = spec
    return spec


def names() -> set[str]:
    """Every name of the registry (point functions, reducers, the identity matrix)."""
    return {*POINT_FUNCTIONS, *REDUCERS, IDENTITY}


def scalar_functions() -> dict[str, Any]:
    """The parser's scalar functions (sqrt, exp, log, min, max, ...) the compiler can evaluate."""
    return {k: v for k, v in DEFAULT_FUNCTIONS.items() if k not in UNSUPPORTED_FUNCTIONS}


def point_value(f: Any, B: Any, name: str, xs: list[Any], scalars: list[Any]) -> Any:
    """The value of the point function ``name`` of objective ``f`` at points ``xs``, in backend ``B``."""
    if f is None:
        raise ValueError(f"{name} needs an objective (the claim has no family)")
    return POINT_FUNCTIONS[name].evaluate(f, B, xs, scalars)


def determinant(B: Any, m: Sequence[Sequence[Any]]) -> Any:
    """det(m) by cofactor expansion along the first row, in backend arithmetic (small matrices)."""
    n = len(m)
    if n == 1:
        return m[0][0]
    if n == 2:
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]
    if n > 6:
        raise ValueError(f"det of a {n} x {n} matrix: cofactor expansion is limited to 6 x 6")
    total = None
    for j in range(n):
        minor = [[row[k] for k in range(n) if k != j] for row in m[1:]]
        term = m[0][j] * determinant(B, minor)
        total = term if total is None else (total - term if j % 2 else total + term)
    return total


def component(B: Any, v: Sequence[Any], i: int) -> Any:
    """The i-th coordinate of v, counted from 1."""
    if not 1 <= i <= len(v):
        raise ValueError(f"component {i} of a vector of dimension {len(v)}")
    return v[i - 1]


register("F", 1, 0, lambda f, B, xs, s: f.value(B, xs[0]), "the objective's value F(x)", "F({0})")
register("gradnorm", 1, 0, lambda f, B, xs, s: B.norm(f.grad(B, xs[0])), "||grad F(x)||", r"\|\nabla F({0})\|")
register("graddist", 2, 0, lambda f, B, xs, s: B.norm(B.sub(f.grad(B, xs[0]), f.grad(B, xs[1]))), "||grad F(x) - grad F(y)||", r"\|\nabla F({0})-\nabla F({1})\|")
register("dist", 2, 0, lambda f, B, xs, s: B.norm(B.sub(xs[0], xs[1])), "||x - y||", r"\|{0}-{1}\|")
register("inner", 2, 0, lambda f, B, xs, s: B.dot(f.grad(B, xs[0]), B.sub(xs[1], xs[0])), "<grad F(x), y - x> (the first-order term)", r"\langle\nabla F({0}),\,{1}-{0}\rangle")
register("Fstep", 1, 1, lambda f, B, xs, s: f.value(B, f.gradient_step(B, xs[0], s[0])), "F(x - a grad F(x)), the value after a gradient step of size a", r"F\big({0}-{1}\nabla F({0})\big)")
register("stepdist", 2, 1, lambda f, B, xs, s: B.norm(B.sub(f.gradient_step(B, xs[0], s[0]), f.gradient_step(B, xs[1], s[0]))), "||T(x) - T(y)|| with T(z) = z - a grad F(z)", r"\|T_{{{2}}}({0})-T_{{{2}}}({1})\|")
register("hessmin", 1, 0, lambda f, B, xs, s: B.lambda_min(f.hess(B, xs[0])), "the smallest eigenvalue of the Hessian at x", r"\lambda_{{\min}}\big(\nabla^2F({0})\big)")
register("hessmax", 1, 0, lambda f, B, xs, s: B.lambda_max(f.hess(B, xs[0])), "the largest eigenvalue of the Hessian at x", r"\lambda_{{\max}}\big(\nabla^2F({0})\big)")
register("grad", 1, 0, lambda f, B, xs, s: f.grad(B, xs[0]), "the gradient of F at x (a vector)", r"\nabla F({0})", kind="vector")
register("gradstep", 1, 1, lambda f, B, xs, s: f.gradient_step(B, xs[0], s[0]), "x - a grad F(x), the gradient step of size a (a vector)", r"T_{{{1}}}({0})", kind="vector")
register("hess", 1, 0, lambda f, B, xs, s: f.hess(B, xs[0]), "the Hessian of F at x (a matrix)", r"\nabla^2F({0})", kind="matrix")

register_reducer("norm", ("vector",), lambda B, v: B.norm(v), "the Euclidean norm ||v||", r"\|{0}\|")
register_reducer("dot", ("vector", "vector"), lambda B, u, v: B.dot(u, v), "the inner product <u, v>", r"\langle {0},\,{1}\rangle")
register_reducer("component", ("vector", "index"), component, "the i-th coordinate of v (i = 1, 2, ...)", r"\big({0}\big)_{{{1}}}")
register_reducer("lambda_min", ("matrix",), lambda B, m: B.lambda_min(m), "the smallest eigenvalue of a symmetric matrix", r"\lambda_{{\min}}\big({0}\big)")
register_reducer("lambda_max", ("matrix",), lambda B, m: B.lambda_max(m), "the largest eigenvalue of a symmetric matrix", r"\lambda_{{\max}}\big({0}\big)")
register_reducer("det", ("matrix",), determinant, "the determinant (cofactor expansion, up to 6 x 6)", r"\det\big({0}\big)")
