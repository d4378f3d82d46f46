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

from typing import Any

import sympy

from .bounds import check_bound, check_largest
from .catalogue_checks import check_desingularizing, check_step_size
from .context import Context, Invalid, Result
from .equivalence import check_equivalent, check_proportional
from .exercise import Exercise

__all__ = ["CHECK_FUNCTIONS", "Context", "Invalid", "Result", "grade_in_process", "normalized"]

CHECK_FUNCTIONS = {
    "equivalent": check_equivalent,
    "proportional": check_proportional,
    "bound": check_bound,
    "largest": check_largest,
    "step_size_diffeomorphism": check_step_size,
    "desingularizing": check_desingularizing,
}


def normalized(value: Any) -> str:
    try:
        return sympy.sstr(value)
    except Exception:  # pragma: no cover - printing never matters for grading
        return repr(value)


def grade_in_process(ex: Exercise, answer_text: str, seed_text: str, fixed: tuple[tuple[str, str], ...] = ()) -> Result:
    """Grade one answer in this process (the worker calls this under resource limits)."""
    params = ex.draw_parameters(seed_text, fixed)
    # the sampling RNG depends on the answer and the parameters only, so identical answers
    # get identical grades whoever submits them (and the batch may grade them once)
    ctx = Context(ex, params, f"{answer_text.strip()}|{sorted((k, str(v)) for k, v in params.items())}")
    try:
        reference = ctx.parse(ex.reference, trusted=True)
    except Invalid as exc:
        return ctx.result("undecided", f"the exercise's reference answer cannot be read: {exc}")
    try:
        answer = ctx.parse(answer_text)
        res = CHECK_FUNCTIONS[ex.check](ctx, answer, reference)
    except Invalid as exc:
        res = ctx.result("invalid", str(exc))
        res.normalized = "(invalid)"
        return res
    res.normalized = normalized(answer)
    return res
