"""Symbolic checks: identities (sympy) and implications over the reals (z3's nlsat).

- :class:`Identity` proves ``lhs == rhs`` by simplification; when the difference is not
  zero it looks for an exact rational instance (respecting the symbols' assumptions)
  where the two sides differ, and reports it as a counterexample.
- :class:`Implication` decides ``hypotheses => conclusion`` for polynomial (and rational,
  square-root, min/max, abs) real arithmetic with z3: unsat of the negation is a proof;
  a model is turned into exact rationals and re-checked with sympy before it is reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy
import z3

from .checks import Check, Expect
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict

Rel = sympy.core.relational.Relational


def _instances(symbols: Sequence[sympy.Symbol]) -> Any:
    """Small exact rational values for the symbols, respecting positive/nonnegative assumptions."""
    pool = [sympy.Rational(v) for v in ("1/3", "2", "5/7", "3", "1/2", "7/5")]
    neg = [sympy.Rational(v) for v in ("-1/2", "-2")]
    choices = []
    for s in symbols:
        if s.is_positive:
            choices.append(pool)
        elif s.is_nonnegative:
            choices.append([sympy.Integer(0), *pool])
        else:
            choices.append(pool + neg)
    for i, combo in enumerate(itertools.product(*choices)):
        if i >= 200:
            return
        yield dict(zip(symbols, combo, strict=True))


class Identity(Check):
    """``lhs == rhs`` for all values of the symbols allowed by their assumptions."""

    kind = "S"

    def __init__(self, name: str, lhs: sympy.Expr, rhs: sympy.Expr, **kw: Any) -> None:
        kw.setdefault("statement", f"{sympy.latex(lhs)} = {sympy.latex(rhs)}")
        super().__init__(name, **kw)
        self.lhs, self.rhs = sympy.sympify(lhs), sympy.sympify(rhs)

    def run(self, settings: CheckSettings) -> Outcome:
        diff = self.lhs - self.rhs
        matrix = isinstance(diff, sympy.MatrixBase)
        entries = list(diff) if matrix else [diff]
        for simplifier in (sympy.expand, sympy.simplify, lambda e: sympy.simplify(sympy.expand_trig(sympy.powsimp(e, force=False)))):
            try:
                if all(simplifier(d) == 0 for d in entries):
                    how = getattr(simplifier, "__name__", "simplify")
                    what = "every entry of lhs - rhs simplifies" if matrix else "lhs - rhs simplifies"
                    return Outcome(Verdict.PROVED, Evidence(method=f"sympy: {what} to 0 ({how})"))
            except (TypeError, NotImplementedError):  # pragma: no cover - sympy internals
                continue
        symbols = sorted(diff.free_symbols, key=lambda s: s.name)
        for inst in _instances(symbols):
            for index, d in enumerate(entries):
                value = sympy.nsimplify(d.subs(inst))
                if value.is_zero is False and value.is_real:
                    where = {"entry": str(divmod(index, diff.shape[1]))} if matrix else {}
                    return Outcome(
                        Verdict.REFUTED,
                        Evidence(
                            method="exact evaluation at a rational instance",
                            counterexample={
                                **{str(k): str(v) for k, v in inst.items()},
                                **where,
                                "lhs": sympy.sstr(self.lhs.subs(inst)),
                                "rhs": sympy.sstr(self.rhs.subs(inst)),
                                "lhs - rhs": sympy.sstr(value),
                            },
                            details="the two sides differ exactly",
                        ),
                    )
        return Outcome(Verdict.UNDECIDED, Evidence(method="sympy could not simplify lhs - rhs to 0, no differing instance found"))


# ------------------------------------------------------------------ z3 translation


class _Z3:
    """Translate sympy expressions to z3 real arithmetic, with auxiliary variables."""

    def __init__(self) -> None:
        self.vars: dict[sympy.Symbol, Any] = {}
        self.side: list[Any] = []
        self.aux = 0

    def var(self, s: sympy.Symbol) -> Any:
        if s not in self.vars:
            self.vars[s] = z3.Real(s.name)
            if s.is_positive:
                self.side.append(self.vars[s] > 0)
            elif s.is_nonnegative:
                self.side.append(self.vars[s] >= 0)
        return self.vars[s]

    def fresh(self) -> Any:
        self.aux += 1
        return z3.Real(f"_aux{self.aux}")

    def expr(self, e: sympy.Basic) -> Any:
        if isinstance(e, sympy.Symbol):
            return self.var(e)
        if isinstance(e, sympy.Rational):
            return z3.RealVal(f"{e.p}/{e.q}")
        if isinstance(e, sympy.Add):
            return z3.Sum([self.expr(a) for a in e.args])
        if isinstance(e, sympy.Mul):
            return z3.Product([self.expr(a) for a in e.args])
        if isinstance(e, sympy.Pow):
            base, ex = e.args
            b = self.expr(base)
            if isinstance(ex, sympy.Integer):
                n = int(ex)
                if n >= 0:
                    return z3.Product([b] * n) if n > 1 else (b if n == 1 else z3.RealVal(1))
                return 1 / (z3.Product([b] * (-n)) if -n > 1 else b)
            if isinstance(ex, sympy.Rational):
                # y = base^(p/q) with y >= 0, y^q = base^p  (base >= 0 implied)
                p, q = int(ex.p), int(ex.q)
                y = self.fresh()
                self.side += [y >= 0, b >= 0]
                lhs = z3.Product([y] * q) if q > 1 else y
                if p >= 0:
                    rhs = z3.Product([b] * p) if p > 1 else (b if p == 1 else z3.RealVal(1))
                    self.side.append(lhs == rhs)
                else:
                    rhs = z3.Product([b] * (-p)) if -p > 1 else b
                    self.side += [y > 0, lhs * rhs == 1]
                return y
        if isinstance(e, sympy.Abs):
            a = self.expr(e.args[0])
            return z3.If(a >= 0, a, -a)
        if isinstance(e, sympy.Max | sympy.Min):
            args = [self.expr(a) for a in e.args]
            out = args[0]
            for a in args[1:]:
                out = z3.If(out >= a, out, a) if isinstance(e, sympy.Max) else z3.If(out <= a, out, a)
            return out
        raise TypeError(f"not real-algebraic arithmetic: {e}")

    def rel(self, r: Any) -> Any:
        if isinstance(r, sympy.And):
            return z3.And([self.rel(a) for a in r.args])
        if isinstance(r, sympy.Or):
            return z3.Or([self.rel(a) for a in r.args])
        if isinstance(r, sympy.Not):
            return z3.Not(self.rel(r.args[0]))
        if r is sympy.true:
            return z3.BoolVal(True)
        if r is sympy.false:
            return z3.BoolVal(False)
        a, b = self.expr(r.lhs), self.expr(r.rhs)
        ops = {
            sympy.LessThan: lambda: a <= b,
            sympy.StrictLessThan: lambda: a < b,
            sympy.GreaterThan: lambda: a >= b,
            sympy.StrictGreaterThan: lambda: a > b,
            sympy.Equality: lambda: a == b,
            sympy.Unequality: lambda: a != b,
        }
        return ops[type(r)]()


def _z3_value(v: Any) -> sympy.Rational:
    if z3.is_rational_value(v):
        f = Fraction(v.as_fraction())
        return sympy.Rational(f.numerator, f.denominator)
    dec = v.approx(30).as_fraction() if hasattr(v, "approx") else Fraction(str(v))
    f = Fraction(dec)
    return sympy.Rational(f.numerator, f.denominator)


class Implication(Check):
    """``hypotheses => conclusion`` over the reals, decided by z3 (nonlinear real arithmetic)."""

    kind = "S"

    def __init__(self, name: str, hypotheses: Sequence[Any], conclusion: Any, *, timeout_ms: int = 20000, **kw: Any) -> None:
        if "statement" not in kw:
            hyp = r",\ ".join(sympy.latex(h) for h in hypotheses)
            kw["statement"] = (hyp + r" \implies " if hyp else "") + sympy.latex(conclusion)
        super().__init__(name, **kw)
        self.hypotheses = list(hypotheses)
        self.conclusion = conclusion
        self.timeout_ms = timeout_ms

    def run(self, settings: CheckSettings) -> Outcome:
        tr = _Z3()
        try:
            hyps = [tr.rel(h) for h in self.hypotheses]
            concl = tr.rel(self.conclusion)
        except (TypeError, KeyError) as exc:
            return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details=f"cannot translate: {exc}"))
        solver = z3.SolverFor("QF_NRA")
        solver.set("timeout", self.timeout_ms)
        solver.add(*tr.side, *hyps, z3.Not(concl))
        answer = solver.check()
        if answer == z3.unsat:
            domain = "; radicands read as nonnegative (real roots), so the proof covers the points where every root is defined" if tr.aux else ""
            return Outcome(Verdict.PROVED, Evidence(method="z3 (nlsat): hypotheses and the negated conclusion are unsatisfiable over the reals", details=domain.lstrip("; ")))
        if answer == z3.sat:
            model = solver.model()
            inst = {s: _z3_value(model.eval(v, model_completion=True)) for s, v in tr.vars.items()}
            ok_h = all(bool(h.subs(inst)) for h in self.hypotheses)
            concl_val = self.conclusion.subs(inst)
            if ok_h and concl_val is sympy.false:
                return Outcome(
                    Verdict.REFUTED,
                    Evidence(
                        method="z3 model, re-checked with exact rational arithmetic (sympy)",
                        counterexample={str(k): str(v) for k, v in inst.items()},
                        details="the hypotheses hold and the conclusion fails exactly at this point",
                    ),
                )
            return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details="z3 found a model but its rational rounding is not an exact counterexample"))
        return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details=f"z3 answered {answer} (timeout {self.timeout_ms} ms)"))


def implies(name: str, hypotheses: Sequence[Any], conclusion: Any, **kw: Any) -> Implication:
    """Shorthand for :class:`Implication`."""
    return Implication(name, hypotheses, conclusion, **kw)


__all__ = ["Identity", "Implication", "implies", "Expect"]
