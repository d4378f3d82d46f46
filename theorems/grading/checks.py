"""Answer checks: each turns a parsed answer into a verdict, a score and feedback.

Verdicts: ``correct``; ``not_sharp`` (the answer's property holds but a sharper answer
exists: partial credit); ``incorrect`` (always with a counterexample confirmed in Arb
ball arithmetic, by exact rationals or by z3 with an exact re-check); ``undecided``
(timeout, or nothing could be concluded: never marked wrong); ``invalid`` (the input
could not be read; the message says where).

Feedback names the failing point or objective, never the reference answer.

The checks live in modules named for what they hold: ``context`` (the drawn parameters, the
sampling of points, results), ``evaluation`` (values at a point), ``equivalence``
(equivalent and proportional answers), ``bounds`` (bounds and largest values) and
``catalogue_checks`` (step sizes, desingularizing functions). This module maps an
exercise's ``check`` to its function and grades one answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sympy

from .bounds import check_bound, check_largest
from .catalogue_checks import check_desingularizing, check_step_size
from .context import Context, Invalid, Result
from .equivalence import check_equivalent, check_proportional
from .exercise import Exercise

__all__ = ["CHECK_FUNCTIONS", "Context", "Invalid", "Result", "grade_in_process", "normalized", "prepare_checks"]

CHECK_FUNCTIONS = {
    "equivalent": check_equivalent,
    "proportional": check_proportional,
    "bound": check_bound,
    "largest": check_largest,
    "step_size_diffeomorphism": check_step_size,
    "desingularizing": check_desingularizing,
}


def prepare_checks(exercises: Iterable[Exercise]) -> None:
    """Build what these exercises' checks share across answers, once per process (a pool
    forks its workers after this, so they inherit it): the step-size check's objectives and
    their compiled Hessians, points and float64 Hessian eigenvalues; for each exercise and
    each of its parameter draws (up to ``PARAMETER_DRAWS``), its reference, anticipated
    answers, constraints and dependent bounds parsed, the reference compiled for Arb; z3's
    context. Nothing here depends on an answer."""
    exercises = list(exercises)
    for ex in exercises:
        _prepare_exercise(ex)
    if any(ex.check in ("bound", "largest", "step_size_diffeomorphism") for ex in exercises):
        from .bounds import _z3

        x = sympy.Symbol("x", real=True)
        _z3("prepare", [x >= 0], x + 1 > 0)  # z3's context, made once
    if any(ex.check == "step_size_diffeomorphism" for ex in exercises):
        from .step_size_pool import objective_pool, pool_cases

        for f in objective_pool():
            f._hess_fn  # noqa: B018 - compiled once here, inherited by the workers
        pool_cases()  # the cross-check's points and float64 Hessian eigenvalues


def _prepare_exercise(ex: Exercise) -> None:
    """The answer-independent parses of one exercise, for each of its parameter draws."""
    from .equivalence import probe_points
    from .evaluation import arb_eval

    for fixed in ex.parameter_draws():
        try:
            params = ex.draw_parameters("prepare", fixed)
            ctx = Context(ex, params, "prepare")
            reference = exercise_text(Context(ex, params, "reference"), ex.reference, trusted=True)
            for a in ex.anticipated:
                try:
                    exercise_text(ctx, a.answer)
                except Invalid:
                    pass
            for lo_t, hi_t in ex.dependent_domain.values():
                ctx._parsed(lo_t), ctx._parsed(hi_t)
            if "floor" in ex.options:
                ctx._parsed(str(ex.options["floor"]))
            if ex.check == "desingularizing":
                from .catalogue_checks import _desingularizing_setting

                _desingularizing_setting(ctx)
            pts = probe_points(ctx)  # parses the constraints too
            if isinstance(reference, sympy.Expr) and pts and reference.free_symbols <= set(ctx.vars):
                arb_eval(reference, ctx.vars, pts[0], 128)
        except Exception:  # noqa: BLE001 - a preparation only: grading reports any problem itself
            continue


def normalized(value: Any) -> str:
    try:
        return sympy.sstr(value)
    except Exception:  # pragma: no cover - printing never matters for grading
        return repr(value)


def reading(value: Any) -> str:
    """The answer as the grader read it, in LaTeX (shown at the top of the feedback)."""
    try:
        return sympy.latex(value)
    except Exception:  # noqa: BLE001 - printing never matters for grading
        return ""


def answer_key(ex: Exercise, answer_text: str, seed_text: str, fixed: tuple[tuple[str, str], ...] = ()) -> str:
    """What identical answers share: the parsed answer (its exact sympy form) and the drawn
    parameters, never a normalised text (two texts that read the same are the same answer;
    two that read differently are never merged). An answer that cannot be read is keyed by
    its exact text."""
    params = ex.draw_parameters(seed_text, fixed)
    head = f"{ex.id}|{ex.digest}|{sorted((k, str(v)) for k, v in params.items())}"
    memo = _KEYS.get((head, answer_text))  # the same exact text parses the same way
    if memo is not None:
        return memo
    ctx = Context(ex, params, "key")
    try:
        value = ctx.parse(answer_text)
        body = "parsed:" + sympy.srepr(value)
    except Exception:  # noqa: BLE001 - unreadable (or too deep): the exact text
        body = "text:" + answer_text
    if len(_KEYS) > 20000:
        _KEYS.clear()
    key = _KEYS[(head, answer_text)] = f"{head}|{body}"
    return key


_KEYS: dict[tuple[str, str], str] = {}


_TEXTS: dict[tuple[str, str, str, bool, str], Any] = {}


def exercise_text(ctx: Context, text: str, *, trusted: bool = False) -> Any:
    """An exercise's own text (its reference, an anticipated answer) parsed with the drawn
    parameters, once per process for each exercise version and parameter draw (sympy values are
    immutable, so every answer shares it). Raises :class:`Invalid` as :meth:`Context.parse`."""
    key = (ctx.ex.id, ctx.ex.digest, text, trusted, repr(sorted((k, str(v)) for k, v in ctx.params.items())))
    hit = _TEXTS.get(key)
    if hit is None:
        try:
            hit = ("ok", ctx.parse(text, trusted=trusted))
        except Invalid as exc:
            hit = ("invalid", str(exc))
        if len(_TEXTS) > 5000:
            _TEXTS.clear()
        _TEXTS[key] = hit
    if hit[0] == "invalid":
        raise Invalid(hit[1])
    return hit[1]


def grade_in_process(ex: Exercise, answer_text: str, seed_text: str, fixed: tuple[tuple[str, str], ...] = ()) -> Result:
    """Grade one answer in this process (the worker calls this under resource limits)."""
    params = ex.draw_parameters(seed_text, fixed)
    try:
        reference = exercise_text(Context(ex, params, "reference"), ex.reference, trusted=True)
    except Invalid as exc:  # refused at load; kept for exercises built without the self-check
        res = Context(ex, params, "").result("undecided", "the exercise's reference answer cannot be read; it will be reviewed by hand")
        res.evidence = f"reference unreadable: {exc}"
        return res
    try:
        answer = Context(ex, params, "").parse(answer_text)
    except Invalid as exc:
        res = Context(ex, params, "").result("invalid", str(exc))
        res.normalized = "(invalid)"
        return res
    # the sampling RNG depends on the parsed answer and the parameters only, so identical
    # answers get identical grades whoever submits them (and the batch may grade them once)
    ctx = Context(ex, params, f"{sympy.srepr(answer)}|{sorted((k, str(v)) for k, v in params.items())}")
    try:
        res = CHECK_FUNCTIONS[ex.check](ctx, answer, reference)
    except Invalid as exc:
        res = ctx.result("invalid", str(exc))
        res.normalized = "(invalid)"
        return res
    except RecursionError:  # an internal limit while checking an answer that was read: graded by hand
        res = ctx.result("undecided", "checking your answer reached an internal limit (recursion depth)")
        res.evidence = "internal limit: RecursionError"
    if res.verdict != "correct" and ex.anticipated:
        res = _anticipated(ctx, answer, res)
    res.normalized = normalized(answer)
    res.reading = reading(answer)
    return res


def _anticipated(ctx: Context, answer: Any, res: Result) -> Result:
    """An answer equal to one of the exercise's anticipated answers (exactly; up to a factor
    for a ``proportional`` check) gets its verdict,
    score and message (the check's counterexample, if any, is kept)."""
    from .equivalence import certainly_different_at, check_equivalent, check_proportional

    # "the same answer" as the exercise means it: up to a factor for a proportional check
    match = check_proportional if ctx.ex.check == "proportional" else check_equivalent
    # equal answers agree everywhere: one that certainly differs at a probe point is not this
    # anticipated answer (a cheap "no" before the full comparison; never a "yes")
    cheap_no = ctx.ex.check != "proportional" and ctx.ex.options.get("relative_tolerance") is None
    for a in ctx.ex.anticipated:
        try:
            expected = exercise_text(ctx, a.answer)
            if answer != expected and cheap_no and certainly_different_at(ctx, answer, expected) is not None:
                continue
            same = answer == expected or match(ctx, answer, expected).verdict == "correct"
        except (Invalid, TypeError, ValueError):
            continue
        if same:
            # the message (exercise LaTeX) is the head; the check's details (plain text) follow
            detail = res.feedback.partition("\n\n")[2] if res.verdict == a.verdict else ""
            text = a.message + ("\n\n" + detail if detail else "")
            return type(res)(a.verdict, a.score, text, evidence=(res.evidence + "; " if res.evidence else "") + "anticipated answer", counterexample=res.counterexample, params=res.params)
    return res
