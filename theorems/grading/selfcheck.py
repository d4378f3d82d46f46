"""The load-time check of an exercise: everything mathematical in the file is read and the
reference answer is evaluated, for several parameter draws, before any student is graded.

A broken reference would otherwise make every answer ``undecided`` (and show the reference
in the feedback); a constraint that excludes the whole domain would leave nothing to sample.
"""

from __future__ import annotations

import re
from typing import Any

import sympy

from symbolic.compile import UnsupportedExpression, arb_at
from symbolic.parsing import ParseError, Vocabulary, parse_expression, parse_number, parse_relation

from .context import Context, Invalid
from .exercise import Exercise

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


def self_check_exercise(ex: Exercise) -> str | None:
    """None when the exercise is sound, else the first problem found (naming the field)."""
    names = {n: s for n, s in ex.sympy_symbols().items()}
    voc = Vocabulary(names)
    for i, c in enumerate(ex.constraints):
        try:
            rel = parse_relation(c, voc)
        except ParseError as exc:
            return f"constraints[{i}] {c!r} cannot be read: {exc}"
        if not isinstance(rel, sympy.StrictLessThan | sympy.LessThan | sympy.StrictGreaterThan | sympy.GreaterThan):
            return f"constraints[{i}] {c!r} must be an inequality (<, <=, >, >=)"
    for name, (lo, hi) in ex.dependent_domain.items():
        for _side, text in (("lo", lo), ("hi", hi)):
            try:
                e = parse_expression(text, voc)
            except ParseError as exc:
                return f"domain.{name} bound {text!r} cannot be read: {exc}"
            if name in {str(s) for s in e.free_symbols}:
                return f"domain.{name} bound {text!r} depends on {name} itself"
    problem = _options(ex, voc)
    if problem:
        return problem
    for fixed in ex.parameter_draws():
        params = ex.draw_parameters("self-check", fixed)
        shown = ", ".join(f"{k} = {v}" for k, v in params.items())
        at = f" (parameters {shown})" if shown else ""
        ctx = Context(ex, params, "self-check")
        try:
            ref = ctx.parse(ex.reference, trusted=True)
        except Invalid as exc:
            return f"answer.reference {ex.reference!r} cannot be read{at}: {exc}"
        except ParseError as exc:
            return f"a bound or constraint cannot be read{at}: {exc}"
        for i, a in enumerate(ex.anticipated):
            try:
                ctx.parse(a.answer)
            except Invalid as exc:
                return f"anticipated[{i}].answer {a.answer!r} cannot be read{at}: {exc}"
        problem = _evaluate(ctx, ref, at)
        if problem:
            return problem
    return None


def _options(ex: Exercise, voc: Vocabulary) -> str | None:
    opts = ex.options
    if "floor" in opts:
        try:
            parse_expression(str(opts["floor"]), voc)
        except ParseError as exc:
            return f"check.floor {opts['floor']!r} cannot be read: {exc}"
    if ex.check == "largest":
        var = opts["variable"]
        try:
            parse_relation(opts["property"], Vocabulary({**voc.symbols, var: sympy.Symbol(var, positive=True)}))
        except ParseError as exc:
            return f"check.property {opts['property']!r} cannot be read: {exc}"
    if ex.check == "desingularizing":
        x = sympy.Symbol("x", real=True)
        params = {n: s for n, s in voc.symbols.items() if n in ex.parameters}
        try:
            parse_expression(opts["objective"], Vocabulary({"x": x, **params}))
            parse_expression(str(opts["range"]), Vocabulary(params))
            for key in ("xbar", "radius"):
                v = parse_number(str(opts.get(key, "0")))
                if not isinstance(v, sympy.Rational):
                    return f"check.{key} must be an exact rational, got {opts[key]!r}"
        except ParseError as exc:
            return f"check option cannot be read: {exc}"
    witness = opts.get("witness")
    if witness:
        allowed = {*ex.variables, *ex.parameters, "answer", *( [opts["variable"]] if "variable" in opts else [])}
        for m in _PLACEHOLDER.finditer(witness):
            if m.group(1) not in allowed:
                return f"check.witness uses {{{{{m.group(1)}}}}}; it may use {', '.join(sorted(allowed))}"
    return None


def _evaluate(ctx: Context, ref: Any, at: str) -> str | None:
    ex = ctx.ex
    if ex.kind in ("interval", "set"):
        if not isinstance(ref, sympy.Set):
            return f"answer.reference {ex.reference!r} is not a {ex.kind}{at}"
        return None
    entries = list(ref) if isinstance(ref, sympy.MatrixBase) else [ref]
    if ex.kind in ("matrix", "vector") and not isinstance(ref, sympy.MatrixBase):
        return f"answer.reference {ex.reference!r} is not a {ex.kind}{at}"
    if ex.kind == "vector" and all(e == 0 for e in entries):
        return f"answer.reference {ex.reference!r} is the zero vector{at}"
    extra = set().union(*(sympy.sympify(e).free_symbols for e in entries)) - set(ctx.vars)
    if extra:
        return f"answer.reference uses {', '.join(sorted(map(str, extra)))}, which is not a variable or parameter{at}"
    if not ctx.vars:
        points: list[dict[sympy.Symbol, Any]] = [{}]
    else:
        points = ctx.sample_points(4)[:4]
        if not points:
            return f"the domain and the constraints leave no point to sample{at}"
    for p in points[:3]:
        for e in entries:
            try:
                ball = arb_at(e, ctx.vars, p, 256)
            except UnsupportedExpression as exc:
                if ex.check in ("bound", "largest", "step_size_diffeomorphism", "equivalent", "proportional"):
                    return f"answer.reference cannot be evaluated rigorously ({exc}){at}"
                continue
            except (ValueError, ZeroDivisionError):
                return f"answer.reference is not defined at {', '.join(f'{k} = {v}' for k, v in p.items())}{at}"
            if not ball.is_finite():
                return f"answer.reference is not a finite real number at {', '.join(f'{k} = {v}' for k, v in p.items())}{at}"
    return None
