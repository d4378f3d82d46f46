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

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy
from hypothesis import strategies as st
from sympy.core.relational import Relational

from symbolic import ArbBackend, Bound, Case, Claim, arb_precision, families
from symbolic.backends import ball_certainly
from symbolic.compile import compiled
from symbolic.parsing import Limits, ParseError, Vocabulary, parse_expression, parse_relation
from theorems.cases import objective_cases, scalar_cases

FAMILIES: dict[str, Callable[..., Any]] = {
    "quadratics": families.quadratics,
    "ridge_sums": families.ridge_sums,
    "least_squares": families.least_squares,
    "nonnegative_smooth": families.nonnegative_smooth,
    "smooth_objectives": families.smooth_objectives,
    "polynomials": families.polynomials,
    "nonlinear_least_squares": families.nonlinear_least_squares,
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
}
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


def _frac_of(e: sympy.Expr, where: str) -> Fraction:
    e = sympy.nsimplify(e) if not isinstance(e, sympy.Rational) else e
    if isinstance(e, sympy.Rational):
        return Fraction(int(e.p), int(e.q))
    v = sympy.N(e, 40)
    if not v.is_real or not v.is_finite:
        raise ClaimFileError(f"{where}: the bound {e} is not a finite real number")
    return Fraction(str(v)).limit_denominator(10**15)


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
        for name in CONSTANTS:
            v = getattr(f.constants, name, None) if f is not None else None
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
    from symbolic.parsing import DEFAULT_FUNCTIONS

    return dict(DEFAULT_FUNCTIONS)


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


def parse_claim(data: dict[str, Any], path: str = "<claim>") -> UserClaim:
    def need(key: str, typ: type | tuple[type, ...]) -> Any:
        if key not in data:
            raise ClaimFileError(f"{path}: missing field '{key}'")
        if not isinstance(data[key], typ):
            raise ClaimFileError(f"{path}: field '{key}' has the wrong type ({type(data[key]).__name__})")
        return data[key]

    name = need("name", str)
    family = data.get("family", "none")
    options = data.get("family_options", {})
    if family != "none":
        if family not in FAMILIES:
            raise ClaimFileError(f"{path}: unknown family {family!r}; known: none, {', '.join(FAMILIES)}")
        allowed = FAMILY_OPTIONS[family]
        for k, v in options.items():
            if k not in allowed:
                raise ClaimFileError(f"{path}: family {family} has no option {k!r} (allowed: {', '.join(allowed)})")
            if not isinstance(v, allowed[k]) or isinstance(v, bool):
                raise ClaimFileError(f"{path}: family option {k!r} has the wrong type")
            if isinstance(v, list) and k != "activations":
                if len(v) != 2 or not all(isinstance(i, int) for i in v):
                    raise ClaimFileError(f"{path}: family option {k!r} must be an int or [lo, hi]")
            if isinstance(v, int) and not 0 < v <= 6 and k in ("dim", "terms", "n", "p", "degree", "radius", "max_eigenvalue"):
                raise ClaimFileError(f"{path}: family option {k!r} = {v} is out of range (1..6)")
            if k in ("dim", "p", "n") and isinstance(v, list) and not (1 <= v[0] <= v[1] <= 4):
                raise ClaimFileError(f"{path}: family option {k!r} must be within 1..4")
        kwargs = {k: (tuple(v) if isinstance(v, list) and k != "activations" else tuple(v) if k == "activations" else v) for k, v in options.items()}
        for k in ("radius", "max_eigenvalue"):
            if isinstance(text := kwargs.get(k), str):
                kwargs[k] = Fraction(text)
        try:
            strategy = FAMILIES[family](**kwargs)
        except Exception as exc:  # noqa: BLE001 - hypothesis raises InvalidArgument lazily or eagerly
            raise ClaimFileError(f"{path}: family options rejected: {exc}") from None
    points = list(data.get("points", []))
    if family == "none" and points:
        raise ClaimFileError(f"{path}: points need a family of objectives")
    for p in points:
        if not isinstance(p, str) or not p.isidentifier() or p in CONSTANTS or p in POINT_FUNCTIONS:
            raise ClaimFileError(f"{path}: invalid point name {p!r}")
    params_table = data.get("parameters", {})
    if not isinstance(params_table, dict):
        raise ClaimFileError(f"{path}: [parameters] must be a table")
    comp = _Compiler(points, list(params_table))
    # parameter domains: bounds are expressions in the objective's constants
    bound_exprs: dict[str, tuple[sympy.Expr | None, sympy.Expr | None, bool, bool]] = {}
    for pname, spec in params_table.items():
        w = f"{path} parameters.{pname}"
        if not isinstance(spec, dict):
            raise ClaimFileError(f"{w}: expected a table like {{ min = \"0\", max = \"1/L\" }}")
        lo = _parse(str(spec["min"]), comp, w + ".min", False) if "min" in spec else None
        hi = _parse(str(spec["max"]), comp, w + ".max", False) if "max" in spec else None
        for e in (lo, hi):
            if e is not None and (e.free_symbols - set(comp.const_symbols.values())):
                raise ClaimFileError(f"{w}: a bound may use only the constants {', '.join(CONSTANTS)}")
        if lo is None and hi is None:
            raise ClaimFileError(f"{w}: give min, max or both")
        bound_exprs[pname] = (lo, hi, bool(spec.get("min_open", True)), bool(spec.get("max_open", True)))
    hyps_text = data.get("hypotheses", [])
    if not isinstance(hyps_text, list):
        raise ClaimFileError(f"{path}: hypotheses must be a list of relations")
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
    used_consts = {c for c in CONSTANTS if comp.const_symbols[c] in (lhs.free_symbols | rhs.free_symbols | set().union(*(m.free_symbols for _, m in hyp_margins)) | set().union(*(e.free_symbols for b in bound_exprs.values() for e in b[:2] if e is not None)))}
    if family == "none" and used_consts:
        raise ClaimFileError(f"{path}: the constants {', '.join(sorted(used_consts))} need a family of objectives")
    main = compiled([lhs, rhs], args)
    hypfn = compiled([m for _, m in hyp_margins], args) if hyp_margins else None

    def consts_ok(c: Case) -> bool:
        f = c.objective
        return f is None or all(getattr(f.constants, k) is not None for k in used_consts)

    def bounds_for(consts: dict[str, Fraction]) -> dict[str, Bound]:
        out = {}
        sub = {comp.const_symbols[k]: _rat(v) for k, v in consts.items()}
        for pname, (lo, hi, lo_open, hi_open) in bound_exprs.items():
            lo_v = _frac_of(lo.subs(sub), f"{path} parameters.{pname}") if lo is not None else None
            hi_v = _frac_of(hi.subs(sub), f"{path} parameters.{pname}") if hi is not None else None
            out[pname] = Bound(lo_v, hi_v, lo_open, hi_open)
        return out

    if family == "none":
        b = bounds_for({})
        if not b:
            raise ClaimFileError(f"{path}: a claim without a family needs at least one parameter")
        cases: st.SearchStrategy[Case] = scalar_cases(b)
    else:
        def dependent(pname: str) -> Callable[[Any], Bound]:
            def fn(f: Any) -> Bound:
                consts = {k: getattr(f.constants, k) for k in CONSTANTS if getattr(f.constants, k) is not None}
                missing = [k for k in used_consts if k not in consts]
                if missing:
                    return Bound(Fraction(0), Fraction(1))  # the case is filtered out by consts_ok
                return bounds_for(consts)[pname]

            return fn

        cases = objective_cases(strategy, params={p: dependent(p) for p in bound_exprs}, points=tuple(points) or ("x",))

    def where(c: Case) -> bool:
        if not consts_ok(c):
            return False
        if hypfn is None:
            return True
        B = ArbBackend(256)
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
        return lambda c, B: main(B, comp.values(c, B))[i]

    # LaTeX output uses only LaTeX generated from the parsed relation; the file's own
    # ``statement`` text is kept for display and escaped wherever it is printed
    statement = str(data.get("statement", ""))
    generated = sympy.latex(concl)
    if hyps:
        generated = r",\ ".join(sympy.latex(h) for h in hyps) + r" \implies " + generated
    claim = Claim(name, cases=cases, lhs=side(0), rel=rel, rhs=side(1), where=where, statement=generated, note="")
    return UserClaim(name, statement, claim, family, concl_text, list(hyps_text), {k: str(v) for k, v in params_table.items()}, str(data.get("expect", "")))


def load_claim(path: str | Path) -> UserClaim:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ClaimFileError(f"{p}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimFileError(f"{p}: cannot read: {exc}") from None
    return parse_claim(data, str(p))
