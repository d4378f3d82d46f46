"""A user's own claim, stated in a TOML file, turned into an engine :class:`~symbolic.Claim`.

The file names a family of objectives (from :mod:`symbolic.families`), the points the
claim quantifies over, parameters with their domains, hypotheses and the conclusion, all
in the safe input syntax (``symbolic.parsing``); see ``docs/user-claims.md``. Nothing from
the file is ever evaluated as code: the parsed sympy expressions are compiled with
:func:`symbolic.compile.compiled` (never ``lambdify``), and the engine searches for a
counterexample that it confirms in Arb ball arithmetic before saying ``refuted``.

Inside the conclusion and hypotheses, the objective is reached through these functions
of the declared points (``x``, ``y``, ...):

- ``F(x)``: the objective's value; ``gradnorm(x)``: ``||grad F(x)||``;
- ``graddist(x, y)``: ``||grad F(x) - grad F(y)||``; ``dist(x, y)``: ``||x - y||``;
- ``inner(x, y)``: ``<grad F(x), y - x>`` (the first-order term);
- ``Fstep(x, a)``: ``F(x - a grad F(x))``, the value after a gradient step of size ``a``;
- ``stepdist(x, y, a)``: ``||T(x) - T(y)||`` with ``T(z) = z - a grad F(z)``;
- ``hessmin(x)`` / ``hessmax(x)``: the extreme eigenvalues of the Hessian at ``x``;

and the certified constants of the drawn objective by name: ``L`` (Lipschitz constant of
the gradient), ``mu``, ``lower`` (a lower bound of F), ``minimum`` (its minimum value).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
import unicodedata
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy
from hypothesis import strategies as st
from sympy.core.relational import Relational

from symbolic import ArbBackend, Bound, Case, Claim, arb_precision, convex_families, families
from symbolic.backends import ball_certainly
from symbolic.compile import UnsupportedExpression, compiled
from symbolic.latex import escape
from symbolic.parsing import (
    DEFAULT_CONSTANTS,
    DEFAULT_FUNCTIONS,
    Limits,
    ParseError,
    Vocabulary,
    parse_expression,
    parse_number,
    parse_relation,
)
from theorems.cases import objective_cases, scalar_cases

FAMILIES: dict[str, Callable[..., Any]] = {
    "quadratics": families.quadratics,
    "ridge_sums": families.ridge_sums,
    "least_squares": families.least_squares,
    "nonnegative_smooth": families.nonnegative_smooth,
    "smooth_objectives": families.smooth_objectives,
    "polynomials": families.polynomials,
    "nonlinear_least_squares": families.nonlinear_least_squares,
    "softplus_sums": convex_families.softplus_sums,
    "logistic_regressions": convex_families.logistic_regressions,
    "log_sum_exps": convex_families.log_sum_exps,
    "convex_objectives": convex_families.convex_objectives,
}
#: options each family accepts, with their types (anything else is refused)
FAMILY_OPTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "quadratics": {"dim": (int, list), "spectrum": str, "max_eigenvalue": (int, str)},
    "ridge_sums": {"dim": (int, list), "terms": (int, list), "activations": list},
    "least_squares": {"n": (int, list), "p": (int, list)},
    "nonnegative_smooth": {"dim": (int, list)},
    "smooth_objectives": {"dim": (int, list)},
    "polynomials": {"dim": (int, list), "degree": int, "radius": (int, str)},
    "nonlinear_least_squares": {"n": (int, list), "p": (int, list), "radius": (int, str)},
    "softplus_sums": {"dim": (int, list), "terms": (int, list)},
    "logistic_regressions": {"dim": (int, list), "samples": (int, list)},
    "log_sum_exps": {"dim": (int, list), "terms": (int, list)},
    "convex_objectives": {"dim": (int, list)},
}
#: integer options (an int or [lo, hi]) and their largest value
INT_OPTION_MAX = {"dim": 4, "n": 4, "p": 4, "terms": 6, "degree": 6, "samples": 8}
#: families evaluated from arrays (symbolic.structured) take larger dimensions than INT_OPTION_MAX["dim"]
DIM_MAX = {"quadratics": 100, "ridge_sums": 100, "polynomials": 50}
#: rational options (an int or a string such as "1/2") and their largest value
RATIONAL_OPTION_MAX = {"radius": Fraction(10), "max_eigenvalue": Fraction(100)}
TOP_LEVEL_KEYS = ("name", "statement", "family", "family_options", "objective", "region", "points", "expect", "hypotheses", "conclusion", "parameters")
#: an objective given by formula: its variables, and the largest box radius it is certified on
FORMULA_VARIABLES = ("x_1", "x_2", "x_3", "x_4")
FORMULA_LIMITS = Limits(max_length=1000, max_depth=20, max_exponent=20, max_nodes=300)
MAX_REGION_RADIUS = Fraction(100)
PARAMETER_KEYS = ("min", "max", "min_open", "max_open")
EXPECTATIONS = ("holds", "refuted")
MAX_FILE_BYTES = 1_000_000
MAX_NAME_CHARS = 200
MAX_STATEMENT_CHARS = 2000
MAX_POINTS = 8
MAX_PARAMETERS = 16
MAX_HYPOTHESES = 32
#: parameter and point names: ASCII letters and digits, single underscores between them
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*\Z")
#: functions the engine's compiler cannot evaluate are not offered in claims
UNSUPPORTED_FUNCTIONS = ("sgn", "sign")
#: an exp/sinh/cosh argument or the log of a power beyond this is not evaluated (the case is skipped)
MAX_EXPONENT_MAGNITUDE = 2.0**20
CONSTANTS = ("L", "mu", "lower", "minimum")
POINT_FUNCTIONS: dict[str, tuple[int, int]] = {  # name -> (number of point arguments, number of scalar arguments)
    "F": (1, 0),
    "gradnorm": (1, 0),
    "graddist": (2, 0),
    "dist": (2, 0),
    "inner": (2, 0),
    "Fstep": (1, 1),
    "stepdist": (2, 1),
    "hessmin": (1, 0),
    "hessmax": (1, 0),
}
CLAIM_LIMITS = Limits(max_length=2000, max_depth=30, max_exponent=100, max_nodes=1000)


class ClaimFileError(ValueError):
    """The claim file is malformed; the message says where."""


@dataclass
class UserClaim:
    name: str
    statement: str
    claim: Claim
    family: str
    text: str  # the conclusion as written
    hypotheses: list[str]
    parameters: dict[str, str]
    expect: str = ""


def _rat(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)


def _reserved_names() -> set[str]:
    from symbolic.parsing.vocabulary import INFINITY_NAMES

    return {*CONSTANTS, *POINT_FUNCTIONS, *DEFAULT_FUNCTIONS, *DEFAULT_CONSTANTS, *INFINITY_NAMES, "nan", "I"}


def _display_text(value: Any, key: str, path: str, limit: int) -> str:
    """A field shown to people (name, statement): a string of printable characters."""
    if not isinstance(value, str):
        raise ClaimFileError(f"{path}: field '{key}' has the wrong type ({type(value).__name__}); expected a string")
    if len(value) > limit:
        raise ClaimFileError(f"{path}: field '{key}' is too long ({len(value)} characters, limit {limit})")
    for ch in value:
        if unicodedata.category(ch)[0] == "C":
            raise ClaimFileError(f"{path}: field '{key}' contains the control or invisible character U+{ord(ch):04X} {unicodedata.name(ch, '(unnamed)')}")
    return value


def _check_name(name: Any, kind: str, path: str) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name) or len(name) > 30:
        shown = ascii(name) if isinstance(name, str) else type(name).__name__
        raise ClaimFileError(f"{path}: invalid {kind} name {shown} (ASCII letters and digits, single '_' between them, at most 30 characters; write Greek letters as alpha, mu, ...)")
    if name in _reserved_names():
        raise ClaimFileError(f"{path}: the {kind} name {name!r} is reserved (a constant, a function or a constant of the objective); choose another name")
    return name


def _unknown_key(key: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _bound_text(value: Any, where: str) -> str:
    """A bound as written: a string, or a TOML integer or finite float."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ClaimFileError(f"{where}: expected a number or a string such as \"2/L\", got {type(value).__name__}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ClaimFileError(f"{where}: the bound {value} is not a finite number (leave out min or max for an unbounded side)")
        return repr(value)
    text = str(value)
    if text.strip().lstrip("+-").strip() in ("oo", "inf", "infinity", "\\infty", "∞", "nan"):
        raise ClaimFileError(f"{where}: the bound {text.strip()} is not a finite number (leave out min or max for an unbounded side)")
    return text


def _dyadic(x: Any) -> Fraction:
    m, e = x.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))


def _inner_rational(fn: Any, values: list[Any], exact: sympy.Expr, upper: bool) -> Fraction | None:
    """The bound as an exact rational; an irrational bound is rounded *into* the domain.

    ``upper``: the bound is a max (round down); else a min (round up). Irrational values
    are enclosed in an Arb ball and rounded to a multiple of 10^-30 on the safe side of
    the whole ball, so every sampled value lies in the domain the file states. None: the
    bound is not a finite real number.
    """
    if isinstance(exact, sympy.Rational):
        return Fraction(int(exact.p), int(exact.q))
    if exact.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan) or exact.is_real is False:
        return None
    B = ArbBackend(256)
    with arb_precision(256):
        try:
            (ball,) = fn(B, [B.num(v) for v in values])
        except (ValueError, ZeroDivisionError, TypeError):
            return None
        if not ball.is_finite() or ball.rad() > abs(ball.mid()) * 2**-200 + 2**-200:
            return None
        mid, rad = _dyadic(ball.mid()), _dyadic(ball.rad())
    end = mid - rad if upper else mid + rad
    scale = 10**30
    return Fraction(math.floor(end * scale) if upper else math.ceil(end * scale), scale)


def _empty(b: Bound) -> bool:
    return b.lo is not None and b.hi is not None and (b.lo > b.hi or (b.lo == b.hi and (b.lo_open or b.hi_open)))


#: per objective, the constants a claim may use (see :func:`_constants_of`)
_CONSTANTS_CACHE: weakref.WeakKeyDictionary[Any, dict[str, Fraction]] = weakref.WeakKeyDictionary()


def _constants_of(f: Any) -> dict[str, Fraction]:
    """The certified constants of an objective, with ``mu`` only when it is a strong convexity modulus.

    The quadratic family certifies ``mu`` = smallest *nonzero* |eigenvalue| (also for
    convex quadratics with a zero eigenvalue and for indefinite ones); claims read ``mu``
    as a strong convexity modulus, so for a quadratic it is kept only when
    Hess F - mu I is positive semidefinite (checked exactly in rationals).
    """
    try:
        return _CONSTANTS_CACHE[f]
    except (KeyError, TypeError):
        pass
    consts = {k: v for k in CONSTANTS if (v := getattr(f.constants, k, None)) is not None}
    eigenvalues = getattr(getattr(f, "structure", None), "eigenvalues", None)
    if "mu" in consts and eigenvalues is not None:
        # a quadratic with its exact spectrum: Hess F - mu I is PSD iff every eigenvalue >= mu
        if min(eigenvalues) < consts["mu"]:
            del consts["mu"]
    elif "mu" in consts:
        poly = sympy.Poly(f.expr, *f.variables) if f.expr.is_polynomial(*f.variables) else None
        if poly is not None and poly.total_degree() <= 2:
            hess = sympy.hessian(f.expr, f.variables) - _rat(consts["mu"]) * sympy.eye(len(f.variables))
            if not hess.is_positive_semidefinite:
                del consts["mu"]
    try:
        _CONSTANTS_CACHE[f] = consts
    except TypeError:
        pass
    return consts


class _Guarded:
    """A backend that refuses (ValueError: the case is skipped) exponentials of huge arguments.

    mpmath and Arb take unbounded time and memory for exp(exp(exp(100))) or a^(a^a) with
    a = 10^9; the engine skips a case whose evaluation raises ValueError.
    """

    def __init__(self, B: Any) -> None:
        self._B = B

    def __getattr__(self, name: str) -> Any:
        return getattr(self._B, name)

    def _magnitude(self, x: Any) -> float:
        try:
            v = abs(float(self._B.to_float(x)))
        except (TypeError, ValueError, OverflowError):
            v = math.inf
        if not v <= MAX_EXPONENT_MAGNITUDE:
            raise ValueError("exponential of a huge argument: the case is not evaluated")
        return v

    def exp(self, x: Any) -> Any:
        self._magnitude(x)
        return self._B.exp(x)

    def sinh(self, x: Any) -> Any:
        self._magnitude(x)
        return self._B.sinh(x)

    def cosh(self, x: Any) -> Any:
        self._magnitude(x)
        return self._B.cosh(x)

    def pow(self, x: Any, y: Any) -> Any:
        try:
            base = abs(float(self._B.to_float(x)))
        except (TypeError, ValueError, OverflowError):
            base = math.inf
        if not math.isfinite(base):
            raise ValueError("power of a huge number: the case is not evaluated")
        if base > 0:
            self._magnitude(self._B.num(Fraction(math.log(base)).limit_denominator(10**6)) * y)
        return self._B.pow(x, y)


def _compile(exprs: list[sympy.Expr], args: list[sympy.Symbol], where: str) -> Any:
    try:
        return compiled(exprs, args)
    except UnsupportedExpression as exc:
        if any(e.has(sympy.I) for e in exprs):
            raise ClaimFileError(f"{where}: the expression is not real (it contains sqrt of a negative number or I)") from None
        raise ClaimFileError(f"{where}: {exc}; claims support + - * / ^, sqrt, exp, log, abs, min, max, sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh") from None


class _Compiler:
    """Replaces applications of the point functions by fresh symbols and evaluates them in a backend."""

    def __init__(self, points: list[str], params: list[str]) -> None:
        self.points = points
        self.params = params
        self.apps: dict[sympy.Basic, tuple[sympy.Symbol, str, tuple[Any, ...]]] = {}
        self.point_symbols = {p: sympy.Symbol(p) for p in points}
        self.param_symbols = {p: sympy.Symbol(p, real=True) for p in params}
        self.const_symbols = {c: sympy.Symbol(c, real=True) for c in CONSTANTS}
        fns = {name: sympy.Function(name) for name in POINT_FUNCTIONS}
        syms: dict[str, sympy.Symbol] = {**self.point_symbols, **self.param_symbols}
        for c, s in self.const_symbols.items():
            syms.setdefault(c, s)
        self.vocabulary = Vocabulary(syms, functions={**_default_functions(), **fns})

    def lower(self, e: sympy.Expr, where: str) -> sympy.Expr:
        """The expression with point-function applications replaced by symbols."""
        reps: dict[sympy.Basic, sympy.Symbol] = {}
        for app in sorted(e.atoms(sympy.core.function.AppliedUndef), key=sympy.default_sort_key):
            name = type(app).__name__
            npts, nsc = POINT_FUNCTIONS[name]
            args = app.args
            if len(args) != npts + nsc:
                raise ClaimFileError(f"{where}: {name} takes {npts} point(s)" + (f" and {nsc} number(s)" if nsc else "") + f", got {len(args)} arguments")
            pts = args[:npts]
            if not self.points:
                raise ClaimFileError(f"{where}: {name}(...) needs a family of objectives and points (family = ..., points = [\"x\"])")
            for a in pts:
                if a not in self.point_symbols.values():
                    raise ClaimFileError(f"{where}: the argument {a} of {name} must be one of the points {', '.join(self.points)}")
            scal = args[npts:]
            for a in scal:
                if a.free_symbols & set(self.point_symbols.values()) or a.atoms(sympy.core.function.AppliedUndef):
                    raise ClaimFileError(f"{where}: the step argument of {name} must be a number or a parameter expression")
            if app not in self.apps:
                self.apps[app] = (sympy.Symbol(f"_app{len(self.apps)}"), name, (tuple(str(p) for p in pts), scal))
            reps[app] = self.apps[app][0]
        out = e.xreplace(reps)
        stray = out.free_symbols & set(self.point_symbols.values())
        if stray:
            raise ClaimFileError(f"{where}: a point ({', '.join(sorted(map(str, stray)))}) can only appear inside F(...), gradnorm(...), dist(...) and the other point functions")
        return out

    def args(self) -> list[sympy.Symbol]:
        return [*self.param_symbols.values(), *self.const_symbols.values(), *(v[0] for v in self.apps.values())]

    def values(self, c: Case, B: Any) -> list[Any]:
        f = c.objective
        vals: list[Any] = [c.p(B, p) for p in self.params]
        consts = _constants_of(f) if f is not None else {}
        for name in CONSTANTS:
            v = consts.get(name)
            vals.append(B.num(v) if v is not None else B.num(0))
        scalar_fn = compiled([a for _s, _n, (_p, sc) in self.apps.values() for a in sc] or [sympy.Integer(0)], [*self.param_symbols.values(), *self.const_symbols.values()])
        scalars = list(scalar_fn(B, vals))
        k = 0
        for _sym, name, (pts, sc) in self.apps.values():
            xs = [c.x(B, p) for p in pts]
            step = scalars[k] if sc else None
            k += len(sc)
            vals.append(_point_value(f, B, name, xs, step))
        return vals


def _default_functions() -> dict[str, Any]:
    return {k: v for k, v in DEFAULT_FUNCTIONS.items() if k not in UNSUPPORTED_FUNCTIONS}


def _point_value(f: Any, B: Any, name: str, xs: list[list[Any]], step: Any) -> Any:
    if f is None:
        raise ValueError(f"{name} needs an objective (the claim has no family)")
    if name == "F":
        return f.value(B, xs[0])
    if name == "gradnorm":
        return B.norm(f.grad(B, xs[0]))
    if name == "graddist":
        return B.norm(B.sub(f.grad(B, xs[0]), f.grad(B, xs[1])))
    if name == "dist":
        return B.norm(B.sub(xs[0], xs[1]))
    if name == "inner":
        return B.dot(f.grad(B, xs[0]), B.sub(xs[1], xs[0]))
    if name == "Fstep":
        return f.value(B, f.gradient_step(B, xs[0], step))
    if name == "stepdist":
        return B.norm(B.sub(f.gradient_step(B, xs[0], step), f.gradient_step(B, xs[1], step)))
    if name == "hessmin":
        return B.lambda_min(f.hess(B, xs[0]))
    if name == "hessmax":
        return B.lambda_max(f.hess(B, xs[0]))
    raise ValueError(name)  # pragma: no cover


def _parse(text: Any, comp: _Compiler, where: str, relation: bool) -> Any:
    if not isinstance(text, str):
        raise ClaimFileError(f"{where}: expected a string")
    try:
        if relation:
            return parse_relation(text, comp.vocabulary, limits=CLAIM_LIMITS)
        return parse_expression(text, comp.vocabulary, limits=CLAIM_LIMITS)
    except ParseError as exc:
        raise ClaimFileError(f"{where}: {exc}") from None


_REL = {sympy.LessThan: "<=", sympy.StrictLessThan: "<", sympy.GreaterThan: ">=", sympy.StrictGreaterThan: ">", sympy.Equality: "=="}


def _formula_objective(data: dict[str, Any], path: str) -> Any:
    """The objective of ``objective = "..."``, certified in Arb on ``region`` (never assumed)."""
    text = data.get("objective")
    if not isinstance(text, str):
        raise ClaimFileError(f"{path}: field 'objective' must be a formula in {', '.join(FORMULA_VARIABLES)}, such as \"log(1 + exp(x_1)) + x_2^2/2\"")
    symbols = {n: sympy.Symbol(n, real=True) for n in FORMULA_VARIABLES}
    try:
        expr = parse_expression(text, Vocabulary(symbols, functions=_default_functions()), limits=FORMULA_LIMITS)
    except ParseError as exc:
        raise ClaimFileError(f"{path} objective: {exc}") from None
    used = sorted(expr.free_symbols, key=lambda v: v.name)
    if not used:
        raise ClaimFileError(f"{path} objective: the formula uses none of the variables {', '.join(FORMULA_VARIABLES)}")
    dim = max(FORMULA_VARIABLES.index(v.name) for v in used) + 1
    region = data.get("region", {"radius": "1"})
    if not isinstance(region, dict) or set(region) - {"radius"} or "radius" not in region:
        raise ClaimFileError(f"{path}: field 'region' must be a table like {{ radius = \"2\" }} (the box [-radius, radius]^d the constants are certified on)")
    try:
        radius = parse_number(str(region["radius"]))
    except (ParseError, ValueError) as exc:
        raise ClaimFileError(f"{path} region.radius: {exc}") from None
    radius = Fraction(radius) if not isinstance(radius, Fraction) else radius
    if not 0 < radius <= MAX_REGION_RADIUS:
        raise ClaimFileError(f"{path} region.radius must be a rational number in (0, {MAX_REGION_RADIUS}]")
    from symbolic.formula_objectives import CertificationError, certify_formula
    from symbolic.objectives import Box

    variables = tuple(symbols[n] for n in FORMULA_VARIABLES[:dim])
    try:
        _compile([expr], list(variables), f"{path} objective")
        objective, _cert = certify_formula(expr, variables, Box.cube(dim, radius))
    except CertificationError as exc:
        raise ClaimFileError(f"{path} objective: cannot certify the constants on [-{radius}, {radius}]^{dim}: {exc}") from None
    return objective


def _family_strategy(family: str, options: Any, path: str) -> st.SearchStrategy[Any]:
    """The family's strategy, every option checked here (the strategies validate lazily, at draw time)."""
    if not isinstance(options, dict):
        raise ClaimFileError(f"{path}: family_options must be a table such as {{ dim = [1, 3] }}")
    allowed = FAMILY_OPTIONS[family]
    kwargs: dict[str, Any] = {}
    for k, value in options.items():
        v: Any = value
        if k not in allowed:
            raise ClaimFileError(f"{path}: family {family} has no option {k!r} (allowed: {', '.join(allowed)})")
        if not isinstance(value, allowed[k]) or isinstance(value, bool):
            raise ClaimFileError(f"{path}: family option {k!r} has the wrong type ({type(value).__name__})")
        if k in INT_OPTION_MAX:
            top = DIM_MAX.get(family, INT_OPTION_MAX[k]) if k == "dim" else INT_OPTION_MAX[k]
            if isinstance(v, list):
                if len(v) != 2 or not all(isinstance(i, int) and not isinstance(i, bool) for i in v):
                    raise ClaimFileError(f"{path}: family option {k!r} must be an int or [lo, hi]")
                if not 1 <= v[0] <= v[1] <= top:
                    raise ClaimFileError(f"{path}: family option {k!r} = {v} is out of range: need 1 <= lo <= hi <= {top}")
                kwargs[k] = (v[0], v[1])
            else:
                if not 1 <= v <= top:
                    raise ClaimFileError(f"{path}: family option {k!r} = {v} is out of range (1..{top})")
                kwargs[k] = v
        elif k in RATIONAL_OPTION_MAX:
            try:
                q = parse_number(str(v), limits=CLAIM_LIMITS)
            except ParseError as exc:
                raise ClaimFileError(f"{path}: family option {k!r}: {exc}") from None
            if not isinstance(q, sympy.Rational) or not 0 < q <= _rat(RATIONAL_OPTION_MAX[k]):
                raise ClaimFileError(f"{path}: family option {k!r} = {v} must be a rational number in (0, {RATIONAL_OPTION_MAX[k]}]")
            kwargs[k] = Fraction(int(q.p), int(q.q))
        elif k == "spectrum":
            if v not in families.SPECTRA:
                raise ClaimFileError(f"{path}: family option 'spectrum' = {v!r} is unknown; known: {', '.join(families.SPECTRA)}")
            kwargs[k] = v
        elif k == "activations":
            known = list(families.ACTIVATIONS)
            if not v or not all(isinstance(a, str) and a in known for a in v) or len(set(v)) != len(v):
                raise ClaimFileError(f"{path}: family option 'activations' must be a non-empty list of distinct names among {', '.join(known)}")
            kwargs[k] = tuple(v)
        else:  # pragma: no cover - every option above has a rule
            raise ClaimFileError(f"{path}: family option {k!r} is not supported")
    try:
        return FAMILIES[family](**kwargs)
    except Exception as exc:  # noqa: BLE001 - hypothesis raises InvalidArgument lazily or eagerly
        raise ClaimFileError(f"{path}: family options rejected: {exc}") from None


def parse_claim(data: dict[str, Any], path: str = "<claim>") -> UserClaim:
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise ClaimFileError(f"{path}: unknown field {key!r}{_unknown_key(str(key), TOP_LEVEL_KEYS)}; the fields are {', '.join(TOP_LEVEL_KEYS)}")

    def need(key: str, typ: type | tuple[type, ...]) -> Any:
        if key not in data:
            raise ClaimFileError(f"{path}: missing field '{key}'")
        if not isinstance(data[key], typ):
            raise ClaimFileError(f"{path}: field '{key}' has the wrong type ({type(data[key]).__name__})")
        return data[key]

    name = _display_text(need("name", str), "name", path, MAX_NAME_CHARS)
    statement = _display_text(data.get("statement", ""), "statement", path, MAX_STATEMENT_CHARS)
    expect = data.get("expect", "")
    if expect != "" and expect not in EXPECTATIONS:
        raise ClaimFileError(f"{path}: field 'expect' must be \"holds\" or \"refuted\", got {expect!r}")
    family = data.get("family", "formula" if "objective" in data else "none")
    if "objective" in data or family == "formula":
        if family != "formula":
            raise ClaimFileError(f"{path}: give either a family or an objective formula, not both")
        if "family_options" in data:
            raise ClaimFileError(f"{path}: family_options do not apply to an objective formula (its region is 'region')")
    elif "region" in data:
        raise ClaimFileError(f"{path}: 'region' applies to an objective formula ('objective = ...')")
    if not isinstance(family, str):
        raise ClaimFileError(f"{path}: field 'family' has the wrong type ({type(family).__name__}); expected a string")
    if family not in ("none", "formula") and family not in FAMILIES:
        raise ClaimFileError(f"{path}: unknown family {family!r}; known: none, formula, {', '.join(FAMILIES)}")
    if family == "none" and "family_options" in data:
        raise ClaimFileError(f"{path}: family_options given without a family")
    formula_objective = _formula_objective(data, path) if family == "formula" else None
    if formula_objective is not None:
        strategy: st.SearchStrategy[Any] | None = st.just(formula_objective)
    else:
        strategy = _family_strategy(family, data.get("family_options", {}), path) if family != "none" else None
    points = data.get("points", [])
    if not isinstance(points, list):
        raise ClaimFileError(f"{path}: field 'points' must be a list of names such as [\"x\", \"y\"]")
    if family == "none" and points:
        raise ClaimFileError(f"{path}: points need a family of objectives")
    if len(points) > MAX_POINTS:
        raise ClaimFileError(f"{path}: too many points ({len(points)}, limit {MAX_POINTS})")
    for p in points:
        _check_name(p, "point", path)
    if len(set(points)) != len(points):
        raise ClaimFileError(f"{path}: a point is declared twice in {points}")
    params_table = data.get("parameters", {})
    if not isinstance(params_table, dict):
        raise ClaimFileError(f"{path}: [parameters] must be a table")
    if len(params_table) > MAX_PARAMETERS:
        raise ClaimFileError(f"{path}: too many parameters ({len(params_table)}, limit {MAX_PARAMETERS})")
    for pname in params_table:
        _check_name(pname, "parameter", f"{path} parameters")
        if pname in points:
            raise ClaimFileError(f"{path}: {pname!r} is both a point and a parameter")
    comp = _Compiler(points, list(params_table))
    const_args = list(comp.const_symbols.values())
    # parameter domains: bounds are expressions in the objective's constants
    bound_exprs: dict[str, tuple[sympy.Expr | None, sympy.Expr | None, bool, bool]] = {}
    bound_fns: dict[tuple[str, int], Any] = {}
    for pname, spec in params_table.items():
        w = f"{path} parameters.{pname}"
        if not isinstance(spec, dict):
            raise ClaimFileError(f"{w}: expected a table like {{ min = \"0\", max = \"1/L\" }}")
        for key in spec:
            if key not in PARAMETER_KEYS:
                raise ClaimFileError(f"{w}: unknown key {key!r}{_unknown_key(str(key), PARAMETER_KEYS)}; the keys are {', '.join(PARAMETER_KEYS)}")
        for key in ("min_open", "max_open"):
            if key in spec and not isinstance(spec[key], bool):
                raise ClaimFileError(f"{w}.{key}: expected true or false, got {spec[key]!r}")
        lo = _parse(_bound_text(spec["min"], w + ".min"), comp, w + ".min", False) if "min" in spec else None
        hi = _parse(_bound_text(spec["max"], w + ".max"), comp, w + ".max", False) if "max" in spec else None
        for i, e in enumerate((lo, hi)):
            if e is None:
                continue
            if e.free_symbols - set(const_args) or e.atoms(sympy.core.function.AppliedUndef):
                raise ClaimFileError(f"{w}: a bound may use only the constants {', '.join(CONSTANTS)}")
            bound_fns[(pname, i)] = _compile([e], const_args, f"{w}.{('min', 'max')[i]}")
        if lo is None and hi is None:
            raise ClaimFileError(f"{w}: give min, max or both")
        bound_exprs[pname] = (lo, hi, spec.get("min_open", True), spec.get("max_open", True))
    hyps_text = data.get("hypotheses", [])
    if not isinstance(hyps_text, list):
        raise ClaimFileError(f"{path}: hypotheses must be a list of relations")
    if len(hyps_text) > MAX_HYPOTHESES:
        raise ClaimFileError(f"{path}: too many hypotheses ({len(hyps_text)}, limit {MAX_HYPOTHESES})")
    hyps = [_parse(h, comp, f"{path} hypotheses[{i}]", True) for i, h in enumerate(hyps_text)]
    concl_text = need("conclusion", str)
    concl = _parse(concl_text, comp, f"{path} conclusion", True)
    if not isinstance(concl, Relational) or type(concl) not in _REL:
        raise ClaimFileError(f"{path} conclusion: expected a relation with <=, <, >=, > or =")
    rel = _REL[type(concl)]
    lhs = comp.lower(concl.lhs, f"{path} conclusion")
    rhs = comp.lower(concl.rhs, f"{path} conclusion")
    hyp_margins = []
    for i, h in enumerate(hyps):
        if type(h) not in _REL:
            raise ClaimFileError(f"{path} hypotheses[{i}]: expected a relation with <=, <, >=, > or =")
        a = comp.lower(h.lhs, f"{path} hypotheses[{i}]")
        b = comp.lower(h.rhs, f"{path} hypotheses[{i}]")
        hyp_margins.append((_REL[type(h)], a - b))
    args = comp.args()
    used_consts = {c for c in CONSTANTS if comp.const_symbols[c] in (lhs.free_symbols | rhs.free_symbols | set().union(*(m.free_symbols for _, m in hyp_margins)) | set().union(*(e.free_symbols for b in bound_exprs.values() for e in b[:2] if e is not None)) | set().union(*(a.free_symbols for _s, _n, (_p, sc) in comp.apps.values() for a in sc)))}
    if family == "none" and used_consts:
        raise ClaimFileError(f"{path}: the constants {', '.join(sorted(used_consts))} need a family of objectives")
    main = _compile([lhs, rhs], args, f"{path} conclusion")
    for i, (_r, m) in enumerate(hyp_margins):
        _compile([m], args, f"{path} hypotheses[{i}]")
    hypfn = compiled([m for _, m in hyp_margins], args) if hyp_margins else None
    if comp.apps:
        _compile([a for _s, _n, (_p, sc) in comp.apps.values() for a in sc] or [sympy.Integer(0)], [*comp.param_symbols.values(), *const_args], f"{path} conclusion")

    def domain(pname: str, consts: dict[str, Fraction]) -> Bound | None:
        """The exact domain of one parameter for these constants; None when undefined or empty."""
        lo, hi, lo_open, hi_open = bound_exprs[pname]
        values = [consts.get(k, Fraction(0)) for k in CONSTANTS]
        sub = {comp.const_symbols[k]: _rat(v) for k, v in consts.items()}
        ends: list[Fraction | None] = []
        for i, e in enumerate((lo, hi)):
            if e is None:
                ends.append(None)
                continue
            v = _inner_rational(bound_fns[(pname, i)], values, e.xreplace(sub), upper=i == 1)
            if v is None:
                return None
            ends.append(v)
        b = Bound(ends[0], ends[1], lo_open, hi_open)
        return None if _empty(b) else b

    def bounds_for(consts: dict[str, Fraction]) -> dict[str, Bound] | None:
        out = {}
        for pname in bound_exprs:
            b = domain(pname, consts)
            if b is None:
                return None
            out[pname] = b
        return out

    #: per objective: its parameter domains, or None when the case must be skipped
    domains: weakref.WeakKeyDictionary[Any, dict[str, Bound] | None] = weakref.WeakKeyDictionary()

    def domains_of(f: Any) -> dict[str, Bound] | None:
        if f not in domains:
            consts = _constants_of(f)
            domains[f] = bounds_for(consts) if all(k in consts for k in used_consts) else None
        return domains[f]

    if family == "none":
        if not bound_exprs:
            raise ClaimFileError(f"{path}: a claim without a family needs at least one parameter")
        for pname in bound_exprs:
            if domain(pname, {}) is None:
                raise ClaimFileError(f"{path} parameters.{pname}: the domain is empty (or a bound is not a finite real number)")
        b = bounds_for({})
        assert b is not None
        cases: st.SearchStrategy[Case] = scalar_cases(b)
    else:
        assert strategy is not None

        def dependent(pname: str) -> Callable[[Any], Bound]:
            def fn(f: Any) -> Bound:
                b = domains_of(f)
                return b[pname] if b is not None else Bound(Fraction(0), Fraction(1))  # the case is skipped by where()

            return fn

        cases = objective_cases(strategy, params={p: dependent(p) for p in bound_exprs}, points=tuple(points) or ("x",))

    def where(c: Case) -> bool:
        if c.objective is not None and domains_of(c.objective) is None:
            return False
        if hypfn is None:
            return True
        B: Any = _Guarded(ArbBackend(256))
        with arb_precision(256):
            try:
                ms = hypfn(B, comp.values(c, B))
            except (ValueError, ZeroDivisionError):
                return False
            for (r, _), m in zip(hyp_margins, ms, strict=True):
                if r == "==":
                    ok = bool(m.is_exact() and m == 0)
                else:
                    ok = ball_certainly(m if r in (">=", ">") else -m, r in (">", "<")) is True
                if not ok:
                    return False
        return True

    def side(i: int) -> Callable[[Case, Any], Any]:
        def value(c: Case, B: Any) -> Any:
            G: Any = _Guarded(B)
            return main(G, comp.values(c, G))[i]

        return value

    # LaTeX output uses only LaTeX generated from the parsed claim (family, domains,
    # hypotheses, conclusion); the file's own ``statement`` is escaped wherever it is printed
    claim = Claim(name, cases=cases, lhs=side(0), rel=rel, rhs=side(1), where=where, statement=_statement_latex(family, points, comp, bound_exprs, hyps, concl), note="")
    return UserClaim(name, statement, claim, family, concl_text, list(hyps_text), {k: str(v) for k, v in params_table.items()}, expect)


def _statement_latex(family: str, points: list[str], comp: _Compiler, bound_exprs: dict[str, tuple[Any, Any, bool, bool]], hyps: list[Any], concl: Any) -> str:
    quant = []
    if family != "none":
        quant.append(r"F \in \texttt{" + escape(family) + "}")
    if points:
        quant.append(", ".join(sympy.latex(comp.point_symbols[p]) for p in points) + r" \in \operatorname{dom} F")
    for pname, (lo, hi, lo_open, hi_open) in bound_exprs.items():
        left = ("(" if lo_open or lo is None else "[")
        right = (")" if hi_open or hi is None else "]")
        lo_t = sympy.latex(lo) if lo is not None else r"-\infty"
        hi_t = sympy.latex(hi) if hi is not None else r"\infty"
        quant.append(sympy.latex(comp.param_symbols[pname]) + r" \in \left" + left + lo_t + ", " + hi_t + r"\right" + right)
    body = sympy.latex(concl)
    if hyps:
        body = r",\ ".join(sympy.latex(h) for h in hyps) + r" \implies " + body
    return r"\text{for all } " + r",\ ".join(quant) + r":\quad " + body


def load_claim(path: str | Path) -> UserClaim:
    p = Path(path)
    try:
        if p.stat().st_size > MAX_FILE_BYTES:
            raise ClaimFileError(f"{p}: the file is too large ({p.stat().st_size} bytes, limit {MAX_FILE_BYTES})")
        with p.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ClaimFileError(f"{p}: the file is too large (limit {MAX_FILE_BYTES} bytes)")
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ClaimFileError(f"{p}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimFileError(f"{p}: cannot read: {exc}") from None
    return parse_claim(data, str(p))
