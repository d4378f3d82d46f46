"""Bound and largest-value checks: validity and sharpness by z3, with a numeric fallback."""

from __future__ import annotations

from typing import Any

import sympy

from symbolic import (
    CheckSettings,
    Implication,
    Verdict,
    arb_precision,
)
from symbolic.compile import UnsupportedExpression
from symbolic.parsing import (
    Vocabulary,
    parse_relation,
)

from .context import Context, Result, _fmt, _point_text
from .equivalence import _differ, _simplify_point
from .evaluation import _scalar_answer, arb_eval, mp_value

# ------------------------------------------------------------------ bound / largest (z3, numeric fallback)


#: z3's budget for one grading query: a resource count (about 4 s of one core), the same on any
#: machine; the answer's own time limit stays the guard against a hang
GRADING_Z3_RLIMIT = 10_000_000


def _z3(name: str, hyps: list[Any], concl: Any) -> tuple[Verdict, dict[str, str] | None]:
    try:
        out = Implication(name, hypotheses=hyps, conclusion=concl, rlimit=GRADING_Z3_RLIMIT).run(CheckSettings())
    except (TypeError, ValueError, ZeroDivisionError):  # e.g. the exact re-check meets a pole
        return Verdict.UNDECIDED, None
    return out.verdict, out.evidence.counterexample


def _relational_ok(expr: sympy.Expr) -> bool:
    return all(isinstance(f, sympy.Abs | sympy.Max | sympy.Min) for f in expr.atoms(sympy.Function))


def _numeric_violation(ctx: Context, margin: sympy.Expr, n: int = 24) -> dict[sympy.Symbol, Any] | None:
    """A point of the domain where ``margin < 0`` (confirmed in Arb), or None."""
    args = ctx.vars
    pts = ctx.sample_points(n)
    corners = []
    for v in args:
        if v.name in ctx.ex.domain:
            lo, hi = ctx.ex.domain[v.name]
            corners.append([sympy.Rational(lo.numerator, lo.denominator), sympy.Rational(hi.numerator, hi.denominator)])
    if len(corners) == len(args) and args:
        import itertools

        pts += [dict(zip(args, c, strict=True)) for c in itertools.product(*corners)]
    for p in pts:
        try:
            v = mp_value(margin, args, p)
        except (ValueError, ZeroDivisionError, TypeError, UnsupportedExpression):
            continue
        if v < 0:
            with arb_precision(256):
                ball = arb_eval(margin, args, p)
            if ball < 0:
                return _simplify_point(ctx, p, lambda q: arb_eval(margin, args, q) < 0)
    return None


def _sharpness(ctx: Context, answer: sympy.Expr, reference: sympy.Expr, sharp_rel: Any, *, z3_ok: bool = True) -> tuple[str, str]:
    """Is a valid answer also sharp (equal to the reference on the whole domain)?

    ``sharp_rel`` is the relation that, together with validity, means equality (e.g.
    ``answer <= reference`` for a valid ``answer >= reference``). z3 decides it on the
    domain when the expressions allow it (a refutation comes with a model re-checked
    exactly); otherwise the numeric comparison of :func:`_differ` (random points, points
    near the ends of the domain, its corners). Returns ("equal"|"differ"|"unknown", how)."""
    if z3_ok and _relational_ok(answer) and _relational_ok(reference):
        verdict, ce = _z3("sharp", ctx.domain_hypotheses(), sharp_rel)
        if verdict is Verdict.PROVED:
            return "equal", "z3 proof of sharpness on the domain"
        if verdict is Verdict.REFUTED and ce is not None:
            shown = ", ".join(f"{k} = {v}" for k, v in ce.items() if k in ctx.ex.variables)
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


def check_bound(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """The answer must be ``>=`` (direction ">=") or ``<=`` the reference on the whole domain."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    direction = ctx.ex.options.get("direction", ">=")
    valid_rel = (answer >= reference) if direction == ">=" else (answer <= reference)
    hyps = ctx.domain_hypotheses()
    what = ctx.ex.options.get("what", "the quantity")
    verdict, ce = (Verdict.UNDECIDED, None)
    if _relational_ok(answer) and _relational_ok(reference):
        verdict, ce = _z3("validity", hyps, valid_rel)
    if verdict is Verdict.REFUTED and ce is not None:
        shown = {k: v for k, v in ce.items() if k in ctx.ex.variables}
        return ctx.result(
            "incorrect",
            f"At {', '.join(f'{k} = {v}' for k, v in shown.items())} your answer is {'smaller' if direction == '>=' else 'larger'} than {what} guaranteed by the theorem, so it is not a valid {'upper' if direction == '>=' else 'lower'} bound.",
            counterexample=shown,
            evidence="z3 model, re-checked exactly",
        )
    margin = (answer - reference) if direction == ">=" else (reference - answer)
    if verdict is not Verdict.PROVED:
        p = _numeric_violation(ctx, margin)
        if p is not None:
            return ctx.result(
                "incorrect",
                f"At {_point_text(p)} your answer is {'smaller' if direction == '>=' else 'larger'} than {what} guaranteed by the theorem (confirmed in Arb ball arithmetic).",
                counterexample={str(k): _fmt(v) for k, v in p.items()},
                evidence="Arb ball arithmetic",
            )
    sharp_rel = (answer <= reference) if direction == ">=" else (answer >= reference)
    status, sharp_how = _sharpness(ctx, answer, reference, sharp_rel)
    how = "z3 proof on the domain" if verdict is Verdict.PROVED else "no violation at random points, near the ends of the domain and at its corners (not a proof)"
    return sharpness_result(ctx, status, how + "; sharpness: " + sharp_how, "could not compare with the sharpest bound")


def check_largest(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """``property(v)`` must hold for every ``0 < v <= answer`` on the domain; sharp when answer = reference."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    vname = ctx.ex.options["variable"]
    v = sympy.Symbol(vname, positive=True)
    voc = Vocabulary({**{s.name: s for s in ctx.vars}, vname: v})
    prop = parse_relation(ctx.ex.options["property"], voc)
    hyps = ctx.domain_hypotheses()
    pos, ce = _z3("positive", hyps, answer > 0)
    if pos is Verdict.REFUTED and ce:
        shown = {k: x for k, x in ce.items() if k in ctx.ex.variables}
        return ctx.result("incorrect", f"At {', '.join(f'{k} = {x}' for k, x in shown.items())} your value is not positive.", counterexample=shown, evidence="z3, exact re-check")
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
