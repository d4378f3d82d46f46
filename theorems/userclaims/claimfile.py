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

This module is the TOML front end (reading, validating, families, messages); the
expressions are compiled by the engine's notation, :mod:`symbolic.notation`, whose
registry (:mod:`symbolic.notation.functions`) lists the point functions above and the
vectors, matrices and reducers (``norm(x - y)``, ``lambda_min(I - a*hess(x))``, ...).
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy
from hypothesis import strategies as st
from sympy.core.relational import Relational

from symbolic import ArbBackend, Bound, Case, Claim, arb_precision, convex_families, families
from symbolic.backends import ball_certainly
from symbolic.compile import compiled
from symbolic.existential import ExistsClaim
from symbolic.hard_instances import hard_members
from symbolic.loewner import LoewnerClaim
from symbolic.notation import (
    CONSTANTS,
    NOTATION_LIMITS,
    RELATIONS,
    Compiler,
    GuardedBackend,
    NotationError,
    compile_exprs,
    constants_of,
    scalar_functions,
    statement_latex,
)
from symbolic.notation.claim import balls_satisfy
from symbolic.notation.constants import rational
from symbolic.notation.functions import names as notation_names
from symbolic.parsing import (
    DEFAULT_CONSTANTS,
    DEFAULT_FUNCTIONS,
    Limits,
    ParseError,
    Vocabulary,
    parse_expression,
    parse_number,
)
from symbolic.quantifiers import CycleError, draw_order
from symbolic.worst_case_families import STRONG_CONVEXITY, huber_functions
from theorems.cases import dependent_cases, hard_cases
from theorems.userclaims import algorithm_claims
from theorems.userclaims.logic import (
    HESS,
    Domains,
    MatrixExpressionError,
    MatrixRelation,
    is_matrix_relation,
    matrix_relation,
    matrix_vocabulary,
)

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
    "huber_functions": huber_functions,
}
#: options each family accepts, with their types (anything else is refused)
FAMILY_OPTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "quadratics": {"dim": (int, list), "spectrum": str, "max_eigenvalue": (int, str)},
    "ridge_sums": {"dim": (int, list), "terms": (int, list), "activations": list},
    "least_squares": {"n": (int, list), "p": (int, list)},
    "nonnegative_smooth": {"dim": (int, list)},
    "smooth_objectives": {"dim": (int, list)},
    "huber_functions": {"dim": (int, list), "terms": (int, list), "strong_convexity": str, "max_curvature": (int, str)},
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
DIM_MAX = {
    "quadratics": 100,
    "ridge_sums": 100,
    "polynomials": 50,
    "softplus_sums": 20,
    "logistic_regressions": 20,
    "log_sum_exps": 20,
    "convex_objectives": 20,
    "nonnegative_smooth": 20,
    "smooth_objectives": 20,
    "huber_functions": 20,
}
#: rational options (an int or a string such as "1/2") and their largest value
RATIONAL_OPTION_MAX = {"radius": Fraction(10), "max_eigenvalue": Fraction(100), "max_curvature": Fraction(100)}
TOP_LEVEL_KEYS = ("name", "statement", "family", "family_options", "objective", "region", "points", "expect", "hypotheses", "conclusion", "parameters")
#: an objective given by formula: its variables, and the largest box radius it is certified on
FORMULA_VARIABLES = ("x_1", "x_2", "x_3", "x_4")
FORMULA_LIMITS = Limits(max_length=1000, max_depth=20, max_exponent=20, max_nodes=300)
MAX_REGION_RADIUS = Fraction(100)
PARAMETER_KEYS = ("min", "max", "min_open", "max_open", "exists", "integer")
EXPECTATIONS = ("holds", "refuted")
MAX_FILE_BYTES = 1_000_000
MAX_NAME_CHARS = 200
MAX_STATEMENT_CHARS = 2000
MAX_POINTS = 8
MAX_PARAMETERS = 16
MAX_HYPOTHESES = 32
#: parameter and point names: ASCII letters and digits, single underscores between them
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*\Z")
#: the size limits of a hypothesis, conclusion or bound (the notation's)
CLAIM_LIMITS = NOTATION_LIMITS


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
    existential: tuple[str, ...] = ()  # the parameters quantified by "there exists"


def _reserved_names() -> set[str]:
    from symbolic.parsing.vocabulary import INFINITY_NAMES

    return {*CONSTANTS, *notation_names(), *DEFAULT_FUNCTIONS, *DEFAULT_CONSTANTS, *INFINITY_NAMES, *algorithm_claims.RESERVED, "nan", "I", HESS}


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


def _formula_objective(data: dict[str, Any], path: str) -> Any:
    """The objective of ``objective = "..."``, certified in Arb on ``region`` (never assumed)."""
    text = data.get("objective")
    if not isinstance(text, str):
        raise ClaimFileError(f"{path}: field 'objective' must be a formula in {', '.join(FORMULA_VARIABLES)}, such as \"log(1 + exp(x_1)) + x_2^2/2\"")
    symbols = {n: sympy.Symbol(n, real=True) for n in FORMULA_VARIABLES}
    try:
        expr = parse_expression(text, Vocabulary(symbols, functions=scalar_functions()), limits=FORMULA_LIMITS)
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
        compile_exprs([expr], list(variables), f"{path} objective")
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
            if not isinstance(q, sympy.Rational) or not 0 < q <= rational(RATIONAL_OPTION_MAX[k]):
                raise ClaimFileError(f"{path}: family option {k!r} = {v} must be a rational number in (0, {RATIONAL_OPTION_MAX[k]}]")
            kwargs[k] = Fraction(int(q.p), int(q.q))
        elif k == "strong_convexity":
            if v not in STRONG_CONVEXITY:
                raise ClaimFileError(f"{path}: family option 'strong_convexity' = {v!r} is unknown; known: {', '.join(STRONG_CONVEXITY)}")
            kwargs[k] = v
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
    """The claim a parsed TOML table states; :class:`ClaimFileError` names what is wrong."""
    try:
        return _parse_claim(data, path)
    except NotationError as exc:  # the notation compiler's messages already say where
        raise ClaimFileError(str(exc)) from None


def _parse_claim(data: dict[str, Any], path: str) -> UserClaim:
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
    comp = Compiler(points, list(params_table))
    const_args = list(comp.const_symbols.values())
    bound_args = [*const_args, *comp.param_symbols.values()]
    # parameter domains: bounds are expressions in the objective's constants and other parameters
    bound_exprs: dict[str, tuple[sympy.Expr | None, sympy.Expr | None, bool, bool]] = {}
    bound_fns: dict[tuple[str, int], Any] = {}
    existential: list[str] = []
    integer_params: set[str] = set()
    for pname, spec in params_table.items():
        w = f"{path} parameters.{pname}"
        if not isinstance(spec, dict):
            raise ClaimFileError(f"{w}: expected a table like {{ min = \"0\", max = \"1/L\" }}")
        for key in spec:
            if key not in PARAMETER_KEYS:
                raise ClaimFileError(f"{w}: unknown key {key!r}{_unknown_key(str(key), PARAMETER_KEYS)}; the keys are {', '.join(PARAMETER_KEYS)}")
        for key in ("min_open", "max_open", "exists", "integer"):
            if key in spec and not isinstance(spec[key], bool):
                raise ClaimFileError(f"{w}.{key}: expected true or false, got {spec[key]!r}")
        if spec.get("exists", False):
            existential.append(pname)
        if spec.get("integer", False):
            integer_params.add(pname)
        lo = comp.parse(_bound_text(spec["min"], w + ".min"), w + ".min", False) if "min" in spec else None
        hi = comp.parse(_bound_text(spec["max"], w + ".max"), w + ".max", False) if "max" in spec else None
        for i, e in enumerate((lo, hi)):
            if e is None:
                continue
            if e.free_symbols - set(bound_args) or e.atoms(sympy.core.function.AppliedUndef):
                raise ClaimFileError(f"{w}: a bound may use only the constants {', '.join(CONSTANTS)} and the other parameters")
            bound_fns[(pname, i)] = compile_exprs([e], bound_args, f"{w}.{('min', 'max')[i]}")
        if lo is None and hi is None:
            raise ClaimFileError(f"{w}: give min, max or both")
        bound_exprs[pname] = (lo, hi, spec.get("min_open", True), spec.get("max_open", True))
    # the order parameters are drawn in: each after the parameters its bounds use (cycles refused)
    param_of = {s: n for n, s in comp.param_symbols.items()}
    uses = {p: {param_of[v] for e in bound_exprs[p][:2] if e is not None for v in e.free_symbols if v in param_of} for p in bound_exprs}
    try:
        order = draw_order(uses)
    except CycleError as exc:
        raise ClaimFileError(f"{path} parameters: {exc}") from None
    for p in bound_exprs:
        late = sorted(uses[p] & set(existential))
        if late:
            kind = "existential parameter" if p in existential else "parameter (universal)"
            raise ClaimFileError(f"{path} parameters.{p}: the bounds of the {kind} {p} use the existential parameter(s) {', '.join(late)}: existential parameters come last and may depend only on the universal ones")
    universal = [p for p in order if p not in existential]
    domains_at = Domains(bound_exprs, bound_fns, comp.const_symbols, comp.param_symbols, _inner_rational)
    hyps_text = data.get("hypotheses", [])
    if not isinstance(hyps_text, list):
        raise ClaimFileError(f"{path}: hypotheses must be a list of relations")
    if len(hyps_text) > MAX_HYPOTHESES:
        raise ClaimFileError(f"{path}: too many hypotheses ({len(hyps_text)}, limit {MAX_HYPOTHESES})")
    scalar_vocabulary = comp.vocabulary
    comp.vocabulary = matrix_vocabulary(scalar_vocabulary)  # hess(x) and I, in relations only
    hyps = [comp.parse(h, f"{path} hypotheses[{i}]", True) for i, h in enumerate(hyps_text)]
    concl_text = need("conclusion", str)
    concl = comp.parse(concl_text, f"{path} conclusion", True)
    comp.vocabulary = scalar_vocabulary
    if not isinstance(concl, Relational) or type(concl) not in RELATIONS:
        raise ClaimFileError(f"{path} conclusion: expected a relation with <=, <, >=, > or =")
    rel = RELATIONS[type(concl)]
    exist_syms = {comp.param_symbols[p] for p in existential}
    concl_matrix: MatrixRelation | None = None
    if is_matrix_relation(concl):
        concl_matrix = _matrix(concl, rel, points, comp, f"{path} conclusion")
        lhs, rhs = sympy.Integer(0), sympy.Integer(0)
    else:
        lhs = comp.lower(concl.lhs, f"{path} conclusion")
        rhs = comp.lower(concl.rhs, f"{path} conclusion")
    hyp_margins = []
    hyp_matrices: list[MatrixRelation] = []
    for i, h in enumerate(hyps):
        if type(h) not in RELATIONS:
            raise ClaimFileError(f"{path} hypotheses[{i}]: expected a relation with <=, <, >=, > or =")
        if h.free_symbols & exist_syms:
            raise ClaimFileError(f"{path} hypotheses[{i}]: uses an existential parameter ({', '.join(sorted(str(v) for v in h.free_symbols & exist_syms))}); state that condition in its bounds or in the conclusion")
        if is_matrix_relation(h):
            hyp_matrices.append(_matrix(h, RELATIONS[type(h)], points, comp, f"{path} hypotheses[{i}]"))
            continue
        a = comp.lower(h.lhs, f"{path} hypotheses[{i}]")
        b = comp.lower(h.rhs, f"{path} hypotheses[{i}]")
        hyp_margins.append((RELATIONS[type(h)], a - b))
    args = comp.args()
    matrix_coefficients = [c for m in ([concl_matrix] if concl_matrix else []) + hyp_matrices for c in m.coefficients()]
    used_consts = {c for c in CONSTANTS if comp.const_symbols[c] in (lhs.free_symbols | rhs.free_symbols | set().union(*(m.free_symbols for m in matrix_coefficients)) | set().union(*(m.free_symbols for _, m in hyp_margins)) | set().union(*(e.free_symbols for b in bound_exprs.values() for e in b[:2] if e is not None)) | set().union(*(a.free_symbols for a in comp.scalar_arguments())) | set().union(*(a.free_symbols for a in comp.iterates.scalar_arguments())))}
    try:  # what k steps of an algorithm need from the family (theorems.userclaims.algorithm_claims)
        algorithm_claims.check(comp, family, data.get("family_options", {}), bound_exprs, integer_params, used_consts, path)
    except ValueError as exc:
        raise ClaimFileError(str(exc)) from None
    if family == "none" and used_consts:
        raise ClaimFileError(f"{path}: the constants {', '.join(sorted(used_consts))} need a family of objectives")
    main = compile_exprs([lhs, rhs], args, f"{path} conclusion")
    for i, (_r, m) in enumerate(hyp_margins):
        compile_exprs([m], args, f"{path} hypotheses[{i}]")
    hypfn = compiled([m for _, m in hyp_margins], args) if hyp_margins else None
    coefficient_fn = compile_exprs(matrix_coefficients, args, f"{path} matrix coefficients") if matrix_coefficients else None
    if comp.apps or comp.reductions:
        compile_exprs(comp.scalar_arguments() or [sympy.Integer(0)], [*comp.param_symbols.values(), *const_args], f"{path} conclusion")

    def domain_at(f: Any, pname: str, values: Any) -> Bound | None:
        """The exact domain of a parameter for objective f (None: no family) and earlier values."""
        consts = constants_of(f) if f is not None else {}
        if any(k not in consts for k in used_consts):
            return None
        b = domains_at.domain(pname, consts, values)
        if b is None or pname not in integer_params:
            return b
        b = replace(b, integer=True)  # a number of steps: the integers of the interval
        lo, hi = b.integers()
        return None if _empty(b) or (lo is not None and hi is not None and lo > hi) else b

    if family == "none":
        if not bound_exprs:
            raise ClaimFileError(f"{path}: a claim without a family needs at least one parameter")
        for pname in bound_exprs:
            if not uses[pname] and domain_at(None, pname, {}) is None:
                raise ClaimFileError(f"{path} parameters.{pname}: the domain is empty (or a bound is not a finite real number)")
        cases: st.SearchStrategy[Case] = dependent_cases(None, order=universal, domain=domain_at, points=()) if universal else st.just(Case())
    else:
        assert strategy is not None
        cases = dependent_cases(strategy, order=universal, domain=domain_at, points=tuple(points) or ("x",))
        members = hard_members(family, data.get("family_options", {})) if formula_objective is None else []

        def known_hard_cases() -> list[Case]:
            def domain_fn(pname: str) -> Callable[[Any, Any], Bound | None]:
                return lambda f, values: domain_at(f, pname, values)

            return hard_cases(members, params={p: domain_fn(p) for p in universal}, points=tuple(points) or ("x",))

    def in_domains(c: Case) -> bool:
        """Every universal parameter lies in the domain the objective and the earlier values give."""
        for pname in universal:
            b = domain_at(c.objective, pname, c.params)
            if b is None or not b.contains(c.params[pname]):
                return False
        return c.objective is None or all(k in constants_of(c.objective) for k in used_consts)

    #: where each matrix relation's coefficients start among the compiled coefficients
    offsets: dict[int, int] = {}
    for m in ([concl_matrix] if concl_matrix else []) + hyp_matrices:
        offsets[id(m)] = sum(len(o.terms) for o in ([concl_matrix] if concl_matrix else []) + hyp_matrices if id(o) in offsets)

    def matrix_at(m: MatrixRelation, c: Case, B: Any) -> Any:
        """The matrix of the relation m (``M >= 0``) at the case, in backend B."""
        assert coefficient_fn is not None
        values = coefficient_fn(B, comp.values(c, B))
        k = offsets[id(m)]
        return m.matrix(c, B, values[k : k + len(m.terms)])

    def where(c: Case) -> bool:
        if not in_domains(c):
            return False
        if hypfn is None and not hyp_matrices:
            return True
        B: Any = GuardedBackend(ArbBackend(256))
        with arb_precision(256):
            for hm in hyp_matrices:
                try:
                    lam = B.lambda_min(matrix_at(hm, c, B))
                except (ValueError, ZeroDivisionError):
                    return False
                if ball_certainly(lam, hm.strict) is not True:
                    return False
            if hypfn is None:
                return True
            try:
                ms = hypfn(B, comp.values(c, B))
            except (ValueError, ZeroDivisionError):
                return False
            return balls_satisfy([r for r, _ in hyp_margins], ms)
        return True

    def side(i: int) -> Callable[[Case, Any], Any]:
        def value(c: Case, B: Any) -> Any:
            G: Any = GuardedBackend(B)
            return main(G, comp.values(c, G))[i]

        return value

    # LaTeX output uses only LaTeX generated from the parsed claim (family, domains,
    # hypotheses, conclusion); the file's own ``statement`` is escaped wherever it is printed
    hard = known_hard_cases if family not in ("none", "formula") else None
    latex = _quantified_latex(statement_latex(family, points, comp, {p: bound_exprs[p] for p in universal}, hyps, concl, integer_params), comp, {p: bound_exprs[p] for p in existential})
    claim: Claim
    if concl_matrix is not None:
        cm = concl_matrix

        def matrix(c: Case, B: Any) -> Any:
            G: Any = GuardedBackend(B)
            return matrix_at(cm, c, G)

        claim = LoewnerClaim(name, cases=cases, matrix=matrix, strict=cm.strict, where=where, statement=latex, hard_cases=hard)
    else:
        claim_cls, seeded = algorithm_claims.pep_claim_class(comp, family, data.get("family_options", {}), bound_exprs, hyps, points)
        claim = claim_cls(name, cases=seeded(cases), lhs=side(0), rel=rel, rhs=side(1), where=where, statement=latex, note="", hard_cases=hard)
    if existential:

        def witness_domain(pname: str) -> Callable[[Case], Bound | None]:
            return lambda c: domain_at(c.objective, pname, c.params)

        claim = ExistsClaim(claim, {p: witness_domain(p) for p in existential}, universal=family != "none" or bool(universal))
    return UserClaim(name, statement, claim, family, concl_text, list(hyps_text), {k: str(v) for k, v in params_table.items()}, expect, tuple(existential))


def _matrix(rel: Any, rel_name: str, points: list[str], comp: Compiler, where: str) -> MatrixRelation:
    try:
        return matrix_relation(rel, rel_name, points, comp.lower, where)
    except MatrixExpressionError as exc:
        raise ClaimFileError(str(exc)) from None


def _quantified_latex(text: str, comp: Compiler, existential: dict[str, tuple[Any, Any, bool, bool]]) -> str:
    """The statement's LaTeX with the existential parameters' quantifier before the body."""
    if not existential:
        return text
    quant = []
    for pname, (lo, hi, lo_open, hi_open) in existential.items():
        left = "(" if lo_open or lo is None else "["
        right = ")" if hi_open or hi is None else "]"
        lo_t = sympy.latex(lo) if lo is not None else r"-\infty"
        hi_t = sympy.latex(hi) if hi is not None else r"\infty"
        quant.append(sympy.latex(comp.param_symbols[pname]) + r" \in \left" + left + lo_t + ", " + hi_t + r"\right" + right)
    head, sep, body = text.partition(r":\quad ")
    exists = r"\exists\, " + r",\ ".join(quant) + r":\ " + body
    if head.strip() == r"\text{for all }":  # nothing universal: a single instance
        return exists
    return head + sep + exists


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
