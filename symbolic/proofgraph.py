"""The proof graph: when a symbolic lemma proves a numeric :class:`~symbolic.claims.Claim`.

A claim is ``proved`` only when all of these hold (the weakest link decides otherwise):

1. the **lemma** (an :class:`~symbolic.proofs.Identity`, an
   :class:`~symbolic.proofs.Implication`, or a :class:`~symbolic.derivations.Derivation`
   between two sympy expressions) is itself ``proved``;
2. the lemma's **hypotheses are discharged**: z3 proves that they follow from the
   ``given`` hypotheses on the claim's parameters and the statements of the declared
   ``premises`` (the symbols' assumptions included);
3. every **premise** is itself ``proved`` (a premise read through a declared formula, or a
   sampled one, is at most ``checked``);
4. the lemma is **linked** to the claim: ``at(case, B)`` binds the lemma's symbols to the
   case's quantities, and at every sampled case the lemma's conclusion, instantiated,
   *is* the claim — for an identity its two sides equal the claim's two sides, for an
   inequality its margin equals the claim's margin (up to rounding), for a strict claim
   the lemma is strict; the bound values satisfy the symbols' assumptions, and the
   ``given`` hypotheses hold exactly at the case's parameters.

The binding is the author's reading of the case in the lemma's symbols; the engine checks
it at every sample but cannot see inside the claim's callables, so a reviewer must check
that each symbol is bound to what its name says (see docs/verdicts.md). ``given`` may only
speak of symbols bound to the case's exact parameters (``params``), so the claim's own
conclusion cannot be smuggled in as a hypothesis.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sympy

from .checks import Check
from .compile import compiled
from .proofs import Implication, _truth
from .settings import CheckSettings
from .verdicts import Outcome, Verdict

if TYPE_CHECKING:  # pragma: no cover
    from .backends import Backend, Number
    from .claims import Case, Claim

_REL = {
    sympy.Equality: "=",
    sympy.LessThan: "<=",
    sympy.StrictLessThan: "<",
    sympy.GreaterThan: ">=",
    sympy.StrictGreaterThan: ">",
}


def conclusion_of(check: Check) -> tuple[str, Any, Any, list[Any]] | None:
    """``(rel, a, b, hypotheses)``: the relation a check proves between two sympy expressions
    and the hypotheses it needs (None when it is not of that form); see :meth:`Check.proves_relation`."""
    return check.proves_relation()


def formula_of(check: Check) -> Any | None:
    """The statement a symbolic check proves, as a sympy boolean (None when it has none);
    see :meth:`Check.proves_formula`."""
    return check.proves_formula()


@dataclass(frozen=True)
class Premise:
    """A check the proof uses, with its statement in the lemma's symbols.

    ``formula`` is needed only for a check whose statement the engine cannot read (a
    sampled :class:`~symbolic.claims.Claim`, a Monte Carlo check): such a declared reading
    is the author's, so the premise counts as at most ``checked``. ``label`` names it in
    the evidence ("(B.3)").
    """

    check: Check
    formula: Any = None
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.check.name


_CACHE: dict[tuple[int, CheckSettings], tuple[Check, Outcome]] = {}


def run_cached(check: Check, settings: CheckSettings) -> Outcome:
    """Run a check once per settings (a premise shared by several proofs runs once)."""
    key = (id(check), settings)
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not check:
        hit = _CACHE[key] = (check, check.run(settings))
    return hit[1]


@dataclass
class GraphReport:
    """What the proof graph established before the claim is sampled."""

    holds: bool  # every link except the per-sample binding is proved
    links: list[str] = field(default_factory=list)  # one phrase per link, weak ones first
    method: str = ""


class Proof:
    """A symbolic proof of a claim: a lemma, how the claim's cases bind its symbols, its premises.

    ``lemma``: the check whose conclusion, instantiated, is the claim.
    ``at(case, B) -> {symbol: value}``: the lemma's symbols at a case, in backend arithmetic.
    ``params``: symbols bound to the case's exact parameters, ``{symbol: "param name"}``
    (they need not appear in ``at``).
    ``given``: hypotheses of the claim, as relations on the ``params`` symbols only; checked
    exactly at every case.
    ``premises``: the other checks the proof uses (checks or :class:`Premise`).
    """

    def __init__(
        self,
        lemma: Check,
        *,
        at: Callable[[Case, Backend], Mapping[sympy.Symbol, Number]] | None = None,
        params: Mapping[sympy.Symbol, str] | None = None,
        given: Sequence[Any] = (),
        premises: Sequence[Check | Premise] = (),
    ) -> None:
        self.lemma = lemma
        self.at = at
        self.params = dict(params or {})
        self.given = list(given)
        self.premises = [p if isinstance(p, Premise) else Premise(p) for p in premises]
        for g in self.given:
            if g is True or g is False or isinstance(g, sympy.logic.boolalg.BooleanAtom):
                raise ValueError(f"proof of {lemma.name!r}: a given hypothesis collapsed to {g} when built")
            extra = set(getattr(g, "free_symbols", set())) - set(self.params)
            if extra:
                raise ValueError(
                    f"proof of {lemma.name!r}: given hypothesis {g} speaks of {sorted(map(str, extra))}, "
                    "which are not bound to the case's parameters (params=): a claim's hypotheses may only "
                    "constrain its parameters, not the quantities it concludes about"
                )
        self._concl = conclusion_of(lemma)

    # ------------------------------------------------------------------ graph
    def prepare(self, settings: CheckSettings) -> GraphReport:
        """Run the lemma and the premises, and discharge the lemma's hypotheses with z3."""
        weak: list[str] = []
        strong: list[str] = []
        lemma_out = run_cached(self.lemma, settings)
        if lemma_out.verdict is Verdict.PROVED:
            strong.append(f"lemma proved ({lemma_out.evidence.method})")
        else:
            weak.append(f"lemma {lemma_out.verdict.value}")
        if self._concl is None:
            weak.append("the lemma's conclusion is not a relation between two sympy expressions (nothing to link)")
        if self.at is None and not self.params:
            weak.append("no binding (at=, params=): the lemma is not linked to the claim's quantities")
        facts = list(self.given)
        for prem in self.premises:
            out = run_cached(prem.check, settings)
            formula = prem.formula if prem.formula is not None else formula_of(prem.check)
            v = out.verdict
            declared = prem.formula is not None
            what = f"premise {prem.name} {v.value}"
            if out.evidence.samples is not None and v is not Verdict.PROVED:
                what += f" on {out.evidence.samples} samples"
            if declared and v is Verdict.PROVED:
                what += " but read through a declared formula (at most checked)"
            (strong if v is Verdict.PROVED and not declared else weak).append(what)
            if formula is not None:
                facts.append(formula)
            else:
                weak.append(f"premise {prem.name} has no statement in symbols")
        hyps = self._concl[3] if self._concl is not None else []
        if hyps:
            d = Implication("discharge the lemma's hypotheses", facts, sympy.And(*hyps), timeout_ms=10000)
            out = d.run(settings)
            if out.verdict is Verdict.PROVED:
                strong.append("its hypotheses follow from " + ("the given hypotheses and premises" if facts else "the symbols' assumptions") + " (z3)")
            else:
                weak.append(f"its hypotheses are not discharged by the given hypotheses and premises (z3: {out.verdict.value})")
        return GraphReport(holds=not weak, links=weak + strong)

    # ------------------------------------------------------------------ link at a case
    def bind(self, case: Case, B: Backend) -> dict[sympy.Symbol, Number]:
        values: dict[sympy.Symbol, Number] = {s: B.num(case.params[n]) for s, n in self.params.items()}
        if self.at is not None:
            values.update(self.at(case, B))
        return values

    def link_at(self, claim: Claim, case: Case, B: Backend, tol: float) -> str | None:
        """Why the lemma's conclusion at this case is not the claim (None when it is)."""
        if self._concl is None:
            return "the lemma's conclusion is not a relation between two expressions"
        rel, a, b, _ = self._concl
        try:
            values = self.bind(case, B)
        except (KeyError, ValueError, ZeroDivisionError) as exc:
            return f"the binding failed: {exc}"
        free = set(a.free_symbols) | set(b.free_symbols)
        missing = free - set(values)
        if missing:
            return f"the binding gives no value to {sorted(map(str, missing))}"
        for s in free:
            v = float(values[s])
            if (s.is_positive and not v > 0) or (s.is_nonnegative and not v >= 0) or (s.is_negative and not v < 0):
                return f"{s} = {v:.6g} violates the assumptions declared on {s}"
        exact = {s: sympy.Rational(case.params[n].numerator, case.params[n].denominator) for s, n in self.params.items()}
        for g in self.given:
            if _truth(g, exact) is not True:
                return f"the given hypothesis {g} fails at the case's parameters {({str(k): str(v) for k, v in exact.items()})}"
        syms = sorted(free, key=lambda s: (s.name, str(s.assumptions0)))
        try:
            av, bv = compiled([a, b], syms)(B, [values[s] for s in syms])
        except (ValueError, ZeroDivisionError, TypeError) as exc:
            return f"the lemma could not be evaluated at the case: {exc}"
        fa, fb = float(av), float(bv)
        if claim.rel == "==" and rel != "=":
            return "the claim is an equality; the lemma proves an inequality"
        if claim.strict and rel not in ("<", ">"):
            return "the claim is strict; the lemma proves a non-strict relation"
        if rel == "=":
            if claim.lhs is None or claim.rhs is None:
                return "an identity links only to a claim given by lhs and rhs (margins of equal sides are 0 whatever they are)"
            cl, cr = claim.lhs(case, B), claim.rhs(case, B)
            scale = 1 + abs(float(cl)) + abs(float(cr)) + abs(fa) + abs(fb)

            def close(u: Number, v: Number) -> bool:
                return abs(float(u - v)) <= tol * scale

            if (close(cl, av) and close(cr, bv)) or (close(cl, bv) and close(cr, av)):
                return None
            return f"the identity's sides ({fa:.6g}, {fb:.6g}) are not the claim's ({float(cl):.6g}, {float(cr):.6g})"
        ml = bv - av if rel in ("<=", "<") else av - bv
        mc = claim.margin(case, B)
        scale = 1 + abs(fa) + abs(fb) + abs(float(mc))
        gap = float(ml - mc)
        if not (math.isfinite(gap) and abs(gap) <= tol * scale):
            return f"the lemma's margin {float(ml):.6g} is not the claim's margin {float(mc):.6g}"
        return None
