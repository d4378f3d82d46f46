"""Vacuous and tautological checks, refused before they run.

- an :class:`~symbolic.proofs.Implication` whose hypotheses are unsatisfiable (z3 on the
  hypotheses and the symbols' assumptions alone, with a short resource limit: an answer
  other than ``unsat`` lets it through) proves nothing: False implies anything;
- a conclusion that sympy collapsed to ``True``/``False`` when it was built (``x**2 >= 0``
  with ``x`` real) is no longer the relation the author wrote, and a hypothesis collapsed to
  ``False`` makes the implication vacuous (a hypothesis collapsed to ``True`` restates the
  symbols' assumptions and is allowed);
- an :class:`~symbolic.proofs.Identity` whose two sides are constants already equal when
  built (``21 = 21``, ``a0/a0 = 1``) checks nothing.

An identity with free symbols whose sides are already equal when built is not refused:
the sympy computation that made them equal (a derivative, a substitution, at import) may be
the identity's content; its evidence says so and where it happened (see
:class:`~symbolic.proofs.Identity`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sympy
import z3

from .checks import Check

#: z3 resource limit (rlimit units) for the satisfiability of hypotheses: cheap, decides the
#: common cases in milliseconds; an undecided answer lets the check through
RLIMIT = 2_000_000


def _collapsed(r: Any) -> bool:
    return r is True or r is False or isinstance(r, sympy.logic.boolalg.BooleanAtom)


def hypotheses_satisfiable(hypotheses: list[Any]) -> bool | None:
    """Whether the hypotheses (with the symbols' assumptions) have a real solution:
    True, False (unsat), or None (undecided within the resource limit or untranslatable)."""
    from .proofs import _Z3

    tr = _Z3()
    try:
        hyps = [tr.rel(h) for h in hypotheses]
    except (TypeError, KeyError, AttributeError):
        return None
    from .budgets import z3_check, z3_solver

    solver = z3_solver("QF_NRA", rlimit=RLIMIT)  # a resource count, so the load cannot change it
    solver.add(*tr.side, *hyps)
    answer = z3_check(solver).answer
    if answer == z3.unsat:
        return False
    if answer == z3.sat:
        return True
    return None


def why_vacuous(check: Check) -> str | None:
    """Why ``check`` is vacuous or a tautology (None when it is not, as far as cheaply seen)."""
    from .proofs import Identity, Implication

    if isinstance(check, Implication):
        for i, h in enumerate(check.hypotheses):
            if _collapsed(h) and not bool(h):
                return f"hypothesis {i + 1} collapsed to False when it was built (sympy evaluated the relation before the check ran): the implication is vacuous"
        if _collapsed(check.conclusion):
            return f"the conclusion collapsed to {check.conclusion} when it was built (sympy evaluated the relation before the check ran)"
        if check.hypotheses and hypotheses_satisfiable(check.hypotheses) is False:
            return "the hypotheses are unsatisfiable (z3): the implication is vacuous"
    if isinstance(check, Identity) and check.equal_when_built and not (set(getattr(check.lhs, "free_symbols", ())) | set(getattr(check.rhs, "free_symbols", ()))):
        return f"a tautology: both sides are the constant {sympy.sstr(check.lhs)} when built; check the computation that gives it instead"
    return None


def sub_checks(check: Check) -> Iterator[Check]:
    """The check and every check it contains (derivation steps, proofs and premises of claims)."""
    from .derivations import Derivation
    from .proofgraph import Proof

    yield check
    if isinstance(check, Derivation):
        for step in check.steps:
            if step.check is not None:
                yield from sub_checks(step.check)
    proof = getattr(check, "proof", None)
    if isinstance(proof, Proof):
        yield from sub_checks(proof.lemma)
        for p in proof.premises:
            yield from sub_checks(p.check)
    elif isinstance(proof, Check):
        yield from sub_checks(proof)
