"""Bound and largest-value checks: validity and sharpness by z3, with a numeric fallback."""

from __future__ import annotations

import re
from typing import Any

import sympy

from symbolic import (
    CheckSettings,
    Implication,
    Verdict,
)
from symbolic.compile import UnsupportedExpression
from symbolic.parsing import (
    Vocabulary,
    parse_relation,
)

from .context import Context, Result, _ball_text, _fmt, _point_text
from .equivalence import (
    _differ,
    _differ_at,
    _simplify_point,
    certainly_different_at,
)
from .evaluation import _domain_points, _scalar_answer, arb_eval

# ------------------------------------------------------------------ bound / largest (z3, numeric fallback)


#: z3's budget for one grading query: a resource count (about 4 s of one core), the same on any
#: machine; the answer's own time limit stays the guard against a hang
GRADING_Z3_RLIMIT = 10_000_000


#: what the evidence says when sympy decided a relation as it was built (so z3 was not asked)
DECIDED_BY_SYMPY = "holds as written (sympy decided the relation exactly when it was built, e.g. identical sides)"


def decided_by_sympy(rel: Any) -> bool:
    """Whether sympy turned the relation into ``True`` when it was built (an answer identical
    to the reference, ``1/L * L <= 1``): it then holds for every value of the symbols, under
    any hypotheses, and z3 is not asked (it was handed ``True`` and proved it, at ~3 ms)."""
    return rel is sympy.true


def _z3(name: str, hyps: list[Any], concl: Any) -> tuple[Verdict, dict[str, str] | None]:
    """z3 on ``hyps => concl`` (no LaTeX statement is rendered: grading never shows it)."""
    if decided_by_sympy(concl):
        return Verdict.PROVED, None
    try:
        out = Implication(name, hypotheses=hyps, conclusion=concl, rlimit=GRADING_Z3_RLIMIT, statement=name).run(CheckSettings())
    except (TypeError, ValueError, ZeroDivisionError):  # e.g. the exact re-check meets a pole
        return Verdict.UNDECIDED, None
    return out.verdict, out.evidence.counterexample


def _relational_ok(expr: sympy.Expr) -> bool:
    return all(isinstance(f, sympy.Abs | sympy.Max | sympy.Min) for f in expr.atoms(sympy.Function))


def _numeric_violation(ctx: Context, margin: sympy.Expr, n: int = 24, *, strict: bool = False) -> dict[sympy.Symbol, Any] | None:
    """A point of the domain where ``margin < 0`` (``strict``: ``margin <= 0`` counts too when
    it is exactly 0), confirmed by an Arb ball at rising precision (256 to 4096 bits, so a
    violation of 10^-45 or ``sin(10^100)`` is seen), or None. The point is simplified."""
    args = ctx.vars
    pts = _domain_points(ctx, n) if args else [{}]

    def bad(q: dict[sympy.Symbol, Any], bits: int = 256) -> bool:
        try:
            ball = arb_eval(margin, args, q, bits)
        except (ValueError, ZeroDivisionError):
            return False
        if strict and ball.is_exact() and ball == 0:
            return True
        return bool(ball.is_finite() and ball < 0)

    for bits in (256, 1024, 4096):
        for p in pts:
            try:
                if bad(p, bits):
                    return _simplify_point(ctx, p, lambda q, b=bits: bad(q, b)) if args else p
            except UnsupportedExpression:
                return None
    return None


def _simplest_model(ctx: Context, ce: dict[str, str], margin: sympy.Expr) -> dict[sympy.Symbol, Any] | None:
    """A z3 counterexample (its values exact rationals) as a point where ``margin < 0`` holds
    exactly, moved to simpler rationals where the violation is still exact; None when the model
    does not name every variable."""
    try:
        p = {v: sympy.Rational(ce[v.name]) for v in ctx.vars}
    except (KeyError, TypeError, ValueError):
        return None

    def bad(q: dict[sympy.Symbol, Any]) -> bool:
        value = margin.subs(q)
        if isinstance(value, sympy.Rational):
            return bool(value < 0)
        ball = arb_eval(margin, ctx.vars, q, 256)
        return bool(ball < 0)

    if not ctx.admissible(p) or not bad(p):
        return None
    return _simplify_point(ctx, p, bad)


def _witness_text(ctx: Context, p: dict[sympy.Symbol, Any], answer: sympy.Expr) -> str:
    """The exercise's ``witness`` (a concrete objective a student can check by hand), with the
    counterexample's values in place of ``{{name}}`` and ``{{answer}}``."""
    text = ctx.ex.options.get("witness", "")
    if not text:
        return ""
    values = {v.name: _fmt(x) for v, x in p.items()} | {k: _fmt(x) for k, x in ctx.params.items()}
    try:
        av = answer.subs(p)
        values["answer"] = _fmt(av) if isinstance(av, sympy.Rational) and len(_fmt(av)) < 40 else _ball_text(arb_eval(answer, ctx.vars, p, 128))
    except (ValueError, ZeroDivisionError, UnsupportedExpression):
        values["answer"] = "?"
    return re.sub(r"\{\{\s*([^{}]*?)\s*\}\}", lambda m: values.get(m.group(1), m.group(0)), text)


def _sharpness(ctx: Context, answer: sympy.Expr, reference: sympy.Expr, sharp_rel: Any, *, z3_ok: bool = True) -> tuple[str, str]:
    """Is a valid answer also sharp (equal to the reference on the whole domain)?

    ``sharp_rel`` is the relation that, together with validity, means equality (e.g.
    ``answer <= reference`` for a valid ``answer >= reference``). z3 decides it on the
    domain when the expressions allow it (a refutation comes with a model re-checked
    exactly); otherwise the numeric comparison of :func:`_differ` (random points, points
    near the ends of the domain, its corners). Returns ("equal"|"differ"|"unknown", how)."""
    if decided_by_sympy(sharp_rel):
        return "equal", "sharp: " + DECIDED_BY_SYMPY
    # z3 only when a cheap look leaves it open: a fixed point of the domain where the two
    # certainly differ (Arb) settles "differ" as the sampling below would, without the solver
    p = certainly_different_at(ctx, answer, reference)
    if p is not None:
        status, info = _differ_at(ctx, answer, answer - reference, list(ctx.vars), p)
        if status == "differ":
            return "differ", f"differs from the sharpest value at {_point_text(info['point'])} (Arb ball arithmetic)"
    if z3_ok and _relational_ok(answer) and _relational_ok(reference):
        verdict, ce = _z3("sharp", ctx.domain_hypotheses(), sharp_rel)
        if verdict is Verdict.PROVED:
            return "equal", "z3 proof of sharpness on the domain"
        if verdict is Verdict.REFUTED and ce is not None:
            shown = ", ".join(f"{k} = {v}" for k, v in ce.items() if k in ctx.ex.variables)
            if shown:  # else sympy decided the relation alone: name a point below
                return "differ", f"z3 model (re-checked exactly) where a sharper value exists: {shown}"
    status, info = _differ(ctx, answer, reference)
    if status == "equal":
        return "equal", info["how"]
    if status == "differ":
        return "differ", f"differs from the sharpest value at {_point_text(info['point'])} (Arb ball arithmetic)"
    return "unknown", info["why"]


def sharpness_result(ctx: Context, status: str, how: str, undecided: str) -> Result:
    """The verdict of a valid answer from its comparison with the sharpest one."""
    if status == "equal":
        return ctx.result("correct", evidence=how)
    if status == "differ":
        return ctx.result("not_sharp", ctx.ex.feedback.get("not_sharp_detail", ""), evidence=how)
    return ctx.result("undecided", undecided, evidence=how)


def _violation(ctx: Context, p: dict[sympy.Symbol, Any], answer: sympy.Expr, message: str, evidence: str) -> Result:
    witness = _witness_text(ctx, p, answer)
    return ctx.result(
        "incorrect",
        message + (f"\n\n{witness}" if witness else ""),
        counterexample={str(k): _fmt(v) for k, v in p.items()},
        evidence=evidence,
    )


def _positive_everywhere(ctx: Context, answer: sympy.Expr, what: str) -> Result | None:
    """A step size must be positive on the whole domain: None when z3 proves it; the
    ``incorrect`` result when z3 or an Arb ball finds a point where it is not; ``undecided``
    when neither."""
    if answer.is_positive is True:  # sympy, from the symbols' declared assumptions alone
        return None
    hyps = ctx.domain_hypotheses()
    pos, ce = _z3("positive", hyps, answer > 0) if _relational_ok(answer) else (Verdict.UNDECIDED, None)
    if pos is Verdict.PROVED:
        return None
    p = _simplest_model(ctx, ce, answer) if (pos is Verdict.REFUTED and ce) else None
    if p is None and pos is Verdict.REFUTED and ce and all(v.name in ce for v in ctx.vars):
        shown = {k: x for k, x in ce.items() if k in ctx.ex.variables}
        return ctx.result("incorrect", f"At {', '.join(f'{k} = {x}' for k, x in shown.items())} your {what} is not positive, so it allows no step size.", counterexample=shown, evidence="z3, exact re-check")
    if p is None:
        p = _numeric_violation(ctx, answer, strict=True)
    if p is not None:
        at = f"At {_point_text(p)} your" if p else "Your"
        return ctx.result("incorrect", f"{at} {what} is not positive, so it allows no step size (a step size must be positive on the whole domain).", counterexample={str(k): _fmt(v) for k, v in p.items()} or {"your value": _ball_text(arb_eval(answer, [], {}, 512))}, evidence="Arb ball arithmetic at an exact point")
    return ctx.result("undecided", f"your {what} could not be shown positive on the whole domain")


def _floor_result(ctx: Context, answer: sympy.Expr, direction: str) -> Result | None:
    """``floor``: a valid bound that is nowhere better than the trivial bound ``floor`` (for
    example of the wrong sign) gets no credit. None when the answer beats it somewhere."""
    floor_text = ctx.ex.options.get("floor")
    if floor_text is None:
        return None
    f = ctx._parsed(str(floor_text))
    gain = (answer - f) if direction == "<=" else (f - answer)  # > 0 where the answer beats the floor
    if _numeric_violation(ctx, -gain) is not None:
        return None
    never, _ = _z3("never better than the floor", ctx.domain_hypotheses(), gain <= 0) if _relational_ok(answer) else (Verdict.UNDECIDED, None)
    if never is Verdict.PROVED:
        return ctx.result(
            "incorrect",
            f"Your bound is valid but never better than the trivial bound {_fmt(f)} (check its sign), so it earns no credit.",
            head=ctx.ex.feedback.get("incorrect", "Not correct."),
            counterexample={"floor": _fmt(f)},
            evidence="z3 proof that the answer is nowhere better than the floor",
        )
    return ctx.result("undecided", f"your bound is valid, but it could not be shown better than the trivial bound {_fmt(f)} anywhere")


def check_bound(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """The answer must be ``>=`` (direction ">=") or ``<=`` the reference under the assumptions
    and constraints; equal -> correct, strictly looser -> not_sharp (no credit when it is never
    better than the exercise's ``floor``)."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    direction = ctx.ex.options.get("direction", ">=")
    rounded = sympy.ceiling if direction == ">=" else sympy.floor
    if isinstance(answer, rounded):  # an iteration count rounded up (a lower bound rounded down)
        inner = check_bound(ctx, answer.args[0], reference)
        if inner.verdict in ("correct", "not_sharp", "undecided"):
            inner.evidence = f"{'ceil' if direction == '>=' else 'floor'} of an answer that is {inner.verdict}: " + inner.evidence
            return inner
        return ctx.result("undecided", "your answer is a rounded value; it could not be compared exactly", evidence="rounding of an invalid bound")
    valid_rel = (answer >= reference) if direction == ">=" else (answer <= reference)
    margin = (answer - reference) if direction == ">=" else (reference - answer)
    hyps = ctx.domain_hypotheses()
    what = ctx.ex.options.get("what", "the quantity")
    side = "smaller" if direction == ">=" else "larger"
    kind = "upper" if direction == ">=" else "lower"
    # z3 first (not a cheap probe): its model, re-checked exactly, is the simple point the
    # exercise's witness (a concrete objective) is written for
    verdict, ce = (Verdict.UNDECIDED, None)
    if decided_by_sympy(valid_rel) or (_relational_ok(answer) and _relational_ok(reference)):
        verdict, ce = _z3("validity", hyps, valid_rel)
    if verdict is Verdict.REFUTED and ce is not None:
        # a model that does not name every variable (sympy decided the relation itself): a point
        p = _simplest_model(ctx, ce, margin) or _numeric_violation(ctx, margin)
        if p is not None:
            return _violation(ctx, p, answer, f"At {_point_text(p)} your answer ({_witness_value(ctx, answer, p)}) is {side} than {what} guaranteed by the theorem, so it is not a valid {kind} bound.", "z3 model, re-checked exactly, moved to a simpler point")
        shown = {k: v for k, v in ce.items() if k in ctx.ex.variables}
        return ctx.result(
            "incorrect",
            f"At {', '.join(f'{k} = {v}' for k, v in shown.items())} your answer is {side} than {what} guaranteed by the theorem, so it is not a valid {kind} bound.",
            counterexample=shown,
            evidence="z3 model, re-checked exactly",
        )
    if verdict is not Verdict.PROVED:
        p = _numeric_violation(ctx, margin)
        if p is not None:
            return _violation(ctx, p, answer, f"At {_point_text(p)} your answer ({_witness_value(ctx, answer, p)}) is {side} than {what} guaranteed by the theorem (confirmed in Arb ball arithmetic).", "Arb ball arithmetic")
    sharp_rel = (answer <= reference) if direction == ">=" else (answer >= reference)
    status, sharp_how = _sharpness(ctx, answer, reference, sharp_rel)
    if status != "equal":
        floored = _floor_result(ctx, answer, direction)
        if floored is not None:
            return floored
    how = "z3 proof under the assumptions and constraints" if verdict is Verdict.PROVED else "no violation at random points, near the ends of the domain and at its corners (not a proof)"
    if decided_by_sympy(valid_rel):
        how = "valid: " + DECIDED_BY_SYMPY
    return sharpness_result(ctx, status, how + "; sharpness: " + sharp_how, "could not compare with the sharpest bound")


def _witness_value(ctx: Context, answer: sympy.Expr, p: dict[sympy.Symbol, Any]) -> str:
    v = answer.subs(p)
    if isinstance(v, sympy.Rational) and len(_fmt(v)) < 40:
        return _fmt(v)
    try:
        return _ball_text(arb_eval(answer, ctx.vars, p, 128))
    except (ValueError, ZeroDivisionError, UnsupportedExpression):
        return "undefined"


def check_largest(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """``property(v)`` must hold for every ``0 < v <= answer`` under the assumptions and
    constraints; the answer must be positive on the whole domain; sharp when answer = reference
    (decided exactly: a value below the largest one by any amount is ``not_sharp``)."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    vname = ctx.ex.options["variable"]
    v = sympy.Symbol(vname, positive=True)
    voc = Vocabulary({**{s.name: s for s in ctx.vars}, **{n: ctx.symbols[n] for n in ctx.ex.parameters}, vname: v})
    prop = parse_relation(ctx.ex.options["property"], voc).subs(ctx.param_symbols)
    hyps = ctx.domain_hypotheses()
    not_positive = _positive_everywhere(ctx, answer, "value")
    if not_positive is not None:
        return not_positive
    verdict, ce = _z3("property", [*hyps, v <= answer], prop)
    if verdict is Verdict.REFUTED and ce:
        shown = {k: x for k, x in ce.items() if k in (*ctx.ex.variables, vname)}
        text = ctx.ex.options.get("property_text", "the required property")
        return ctx.result(
            "incorrect",
            f"Your value allows {vname} = {shown.get(vname)} at {', '.join(f'{k} = {x}' for k, x in shown.items() if k != vname)}, where {text} fails.",
            counterexample=shown,
            evidence="z3 model, re-checked with exact rational arithmetic",
        )
    if verdict is not Verdict.PROVED:
        return ctx.result("undecided", "the property could not be decided for your value")
    status, sharp_how = _sharpness(ctx, answer, reference, answer >= reference)
    if status == "equal":
        return ctx.result("correct", evidence="z3 proof of the property for all values up to yours; sharpness: " + sharp_how)
    if status == "differ":
        return ctx.result("not_sharp", ctx.ex.feedback.get("not_sharp_detail", ""), evidence="z3 proof of the property; a larger value also works: " + sharp_how)
    return ctx.result("undecided", "the property holds for your value, but it could not be compared with the largest one", evidence=sharp_how)
