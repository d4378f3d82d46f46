"""Symbolic checks: identities (sympy) and implications over the reals (z3's nlsat).

- :class:`Identity` proves ``lhs == rhs`` by simplification; when the difference is not
  zero it looks for an exact rational instance (respecting the symbols' assumptions)
  where the two sides differ, and reports it as a counterexample.
- :class:`Implication` decides ``hypotheses => conclusion`` for polynomial (and rational,
  square-root, min/max, abs) real arithmetic with z3: unsat of the negation is a proof;
  a model is turned into exact rationals and re-checked (Arb balls, exact rationals) before
  it is reported.

Both refuse what they cannot read unambiguously: two different symbols sharing a name,
floating-point numbers (already rounded), a root whose radicand the hypotheses do not make
nonnegative (sympy's principal root is not the real root the statement reads as), and a
counterexample outside a symbol's assumptions (an integer symbol at 1/2, ...).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy
import z3

from .budgets import Z3_GUARD_MS, Z3_RLIMIT, z3_check, z3_solver
from .checks import Check, Expect
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict

Rel = sympy.core.relational.Relational


def _admissible(s: sympy.Symbol, v: sympy.Expr) -> bool:
    """Whether the exact value ``v`` satisfies every assumption declared on ``s``."""
    for key, wanted in s.assumptions0.items():
        if key == "commutative":
            continue
        got = getattr(v, f"is_{key}", None)
        if got is None or bool(got) != bool(wanted):
            return False
    return True


def _instances(symbols: Sequence[sympy.Symbol]) -> Any:
    """Small exact rational values for the symbols, respecting every assumption on them."""
    pool = [sympy.Rational(v) for v in ("1/3", "2", "5/7", "3", "1/2", "7/5")]
    neg = [sympy.Rational(v) for v in ("-1/2", "-2")]
    extra = [sympy.Rational(v) for v in ("0", "1", "-1", "-3", "4", "-5/3", "-4")]
    choices = []
    for s in symbols:
        if s.is_positive:
            base = pool
        elif s.is_nonnegative:
            base = [sympy.Integer(0), *pool]
        else:
            base = pool + neg
        ok = [v for v in base if _admissible(s, v)]
        if len(ok) != len(base):  # assumptions beyond the sign (integer, negative, ...)
            ok += [v for v in extra if v not in ok and _admissible(s, v)]
        if not ok:
            return
        choices.append(ok)
    if not choices:  # no free symbols: the one (empty) instance
        yield {}
        return
    # diagonals first (every symbol moves at once), so that with many symbols the first
    # symbols do not stay at their first value for all 200 instances of the product
    for shift in range(3):
        for i in range(max(len(c) for c in choices)):
            yield dict(zip(symbols, (c[(i + shift * j) % len(c)] for j, c in enumerate(choices)), strict=True))
    for i, combo in enumerate(itertools.product(*choices)):
        if i >= 200:
            return
        yield dict(zip(symbols, combo, strict=True))


def _name_clash(exprs: Sequence[Any]) -> str | None:
    """The name shared by two different symbols of the expressions (e.g. ``x`` and a positive ``x``)."""
    seen: dict[str, sympy.Symbol] = {}
    for e in exprs:
        for s in getattr(e, "free_symbols", ()):
            if seen.setdefault(s.name, s) != s:
                return s.name
    return None


def _floats(exprs: Sequence[Any]) -> bool:
    return any(bool(getattr(e, "atoms", lambda *_: ())(sympy.Float)) for e in exprs)


def _arb_value(expr: sympy.Expr, inst: dict[sympy.Symbol, sympy.Rational], bits: int = 256) -> Any:
    """An Arb ball enclosing ``expr`` at the exact point ``inst`` (None when it cannot be evaluated)."""
    from .compile import arb_at

    symbols = sorted(inst, key=lambda s: (s.name, str(s.assumptions0)))
    try:
        v = arb_at(expr, symbols, inst, bits)
    except (ValueError, ZeroDivisionError, TypeError, AttributeError):  # UnsupportedExpression is a TypeError
        return None
    return v if v.is_finite() else None


def _certainly_nonzero(expr: sympy.Expr, inst: dict[sympy.Symbol, sympy.Rational]) -> sympy.Expr | str | None:
    """The value of ``expr`` at ``inst`` when it is certainly a nonzero real number, else None.

    Exact when sympy reduces the value to a rational; otherwise an Arb ball excluding 0.
    """
    value = sympy.sympify(expr).subs(inst)
    if isinstance(value, sympy.Rational):
        return value if value != 0 else None
    for bits in (256, 1024):
        ball = _arb_value(expr, inst, bits)
        if ball is not None and not ball.contains(0):
            return str(ball)
    return None


def _caller() -> str:
    """``file:line`` of the first frame outside the engine (where a check was built)."""
    import inspect
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    frame = inspect.currentframe()
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(here):
            return f"{os.path.relpath(path)}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


def _finite_sums(e: Any) -> bool:
    """Whether e holds sums or products, all of them with numeric bounds (expanded by doit)."""
    atoms = e.atoms(sympy.Sum, sympy.Product)
    return bool(atoms) and all(all(b.is_number for lim in a.limits for b in lim[1:]) for a in atoms)


class Identity(Check):
    """``lhs == rhs`` for all values of the symbols allowed by their assumptions.

    When sympy already made the two sides equal while they were built (both sides
    differentiated or substituted at import, and automatically simplified), the check only
    compares them: its evidence says so and where the computation happened (``computed=``,
    or the file and line that built the identity). Constant sides equal when built
    (``21 = 21``) are refused at registration (:mod:`symbolic.vacuity`).
    """

    kind = "S"
    is_identity = True
    equal_when_built = False  # subclasses that build their sides lazily compute in the check
    computed = ""

    def establishes(self) -> str | None:
        return "="

    def proves_relation(self) -> tuple[str, Any, Any, list[Any]] | None:
        if isinstance(self.lhs, sympy.MatrixBase) or isinstance(self.rhs, sympy.MatrixBase):
            return None
        return "=", self.lhs, self.rhs, []

    def proves_formula(self) -> Any | None:
        d = self.lhs - self.rhs
        if isinstance(d, sympy.MatrixBase):
            return sympy.And(*[sympy.Eq(e, 0, evaluate=False) for e in d])
        return sympy.Eq(self.lhs, self.rhs, evaluate=False)

    def __init__(self, name: str, lhs: sympy.Expr, rhs: sympy.Expr, *, computed: str = "", **kw: Any) -> None:
        kw.setdefault("statement", f"{sympy.latex(lhs)} = {sympy.latex(rhs)}")
        super().__init__(name, **kw)
        self.lhs, self.rhs = sympy.sympify(lhs), sympy.sympify(rhs)
        diff = self.lhs - self.rhs
        self.equal_when_built = bool(all(e == 0 for e in diff) if isinstance(diff, sympy.MatrixBase) else diff == 0)
        #: where the computation that made the sides equal happened (when they were equal when built)
        self.computed = computed or (f"built at {_caller()}" if self.equal_when_built else "")

    def run(self, settings: CheckSettings) -> Outcome:
        if self.equal_when_built and not _floats([self.lhs, self.rhs]) and _name_clash([self.lhs, self.rhs]) is None:
            return Outcome(
                Verdict.PROVED,
                Evidence(method=f"sympy: sides equal when built; the computation happened at import ({self.computed}); sides compared"),
            )
        sides = [self.lhs, self.rhs]
        if _floats(sides):
            return Outcome(Verdict.UNDECIDED, Evidence(method="sympy", details="floating-point numbers are already rounded (0.1*3 != 3/10 exactly); write exact rationals"))
        clash = _name_clash(sides)
        if clash is not None:
            return Outcome(Verdict.UNDECIDED, Evidence(method="sympy", details=f"two different symbols are both named {clash!r} (different assumptions): the statement is ambiguous"))
        diff = self.lhs - self.rhs
        if diff.has(sympy.Derivative, sympy.Subs, sympy.Integral, sympy.Limit) or _finite_sums(diff):
            # derivatives, substitutions, integrals, limits and sums or products of explicit length
            # left unevaluated when built are done here, in the check (symbolic-length sums are left
            # to the simplifiers, which split and regroup them)
            diff = diff.doit()
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
                value = _certainly_nonzero(d, inst)
                if value is not None:
                    where = {"entry": str(divmod(index, diff.shape[1]))} if matrix else {}
                    return Outcome(
                        Verdict.REFUTED,
                        Evidence(
                            method="exact evaluation at a rational instance (exact rationals, or an Arb ball excluding 0)",
                            counterexample={
                                **{str(k): str(v) for k, v in inst.items()},
                                **where,
                                "lhs": sympy.sstr(self.lhs.subs(inst)),
                                "rhs": sympy.sstr(self.rhs.subs(inst)),
                                "lhs - rhs": value if isinstance(value, str) else sympy.sstr(value),
                            },
                            details="the two sides differ exactly",
                        ),
                    )
        return Outcome(Verdict.UNDECIDED, Evidence(method="sympy could not simplify lhs - rhs to 0, no differing instance found"))


# ------------------------------------------------------------------ z3 translation


class _Ambiguous(TypeError):
    """The statement cannot be read unambiguously (e.g. two symbols share a name)."""


class _Z3:
    """Translate sympy expressions to z3 real arithmetic, with auxiliary variables.

    Every sympy symbol gets its own z3 variable (two different symbols sharing a name are
    refused); auxiliary variables are fresh constants that no user symbol can name. A root
    ``b**(p/q)`` becomes ``y >= 0, y**q == b**p`` and its radicand is recorded in
    ``radicands``: the statement reads it as a real root, so the hypotheses must make it
    nonnegative (checked by :class:`Implication`).
    """

    def __init__(self) -> None:
        self.vars: dict[sympy.Symbol, Any] = {}
        self.names: dict[str, sympy.Symbol] = {}
        self.side: list[Any] = []  # the symbols' assumptions and the roots' definitions
        self.assumed: list[Any] = []  # the symbols' assumptions alone
        self.radicands: list[tuple[sympy.Expr, Any]] = []
        self.aux = 0

    def var(self, s: sympy.Symbol) -> Any:
        if s not in self.vars:
            other = self.names.setdefault(s.name, s)
            if other != s:
                raise _Ambiguous(f"two different symbols are both named {s.name!r} (different assumptions)")
            v = self.vars[s] = z3.Real(f"{s.name}!{len(self.vars)}")
            facts = []
            if s.is_positive:
                facts.append(v > 0)
            elif s.is_nonnegative:
                facts.append(v >= 0)
            elif s.is_negative:
                facts.append(v < 0)
            elif s.is_nonpositive:
                facts.append(v <= 0)
            elif s.is_nonzero and s.is_real:
                facts.append(v != 0)
            self.side += facts
            self.assumed += facts
        return self.vars[s]

    def fresh(self) -> Any:
        self.aux += 1
        return z3.FreshReal("aux")

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
            if isinstance(ex, sympy.Integer):
                b = self.expr(base)
                n = int(ex)
                if n >= 0:
                    return z3.Product([b] * n) if n > 1 else (b if n == 1 else z3.RealVal(1))
                return 1 / (z3.Product([b] * (-n)) if -n > 1 else b)
            if isinstance(ex, sympy.Rational):
                b = self.expr(base)
                # y = base^(p/q) with y >= 0, y^q = base^p, for base >= 0 (the real root)
                p, q = int(ex.p), int(ex.q)
                y = self.fresh()
                self.radicands.append((base, b))
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
        if r is True or r is sympy.true:
            return z3.BoolVal(True)
        if r is False or r is sympy.false:
            return z3.BoolVal(False)
        if isinstance(r, sympy.And):
            return z3.And([self.rel(a) for a in r.args])
        if isinstance(r, sympy.Or):
            return z3.Or([self.rel(a) for a in r.args])
        if isinstance(r, sympy.Not):
            return z3.Not(self.rel(r.args[0]))
        if isinstance(r, sympy.Implies):
            return z3.Implies(self.rel(r.args[0]), self.rel(r.args[1]))
        if isinstance(r, sympy.Equivalent):
            parts = [self.rel(a) for a in r.args]
            return z3.And([parts[0] == q for q in parts[1:]])
        ops = {
            sympy.LessThan: lambda a, b: a <= b,
            sympy.StrictLessThan: lambda a, b: a < b,
            sympy.GreaterThan: lambda a, b: a >= b,
            sympy.StrictGreaterThan: lambda a, b: a > b,
            sympy.Equality: lambda a, b: a == b,
            sympy.Unequality: lambda a, b: a != b,
        }
        if type(r) not in ops:
            raise TypeError(f"not a relation, And, Or, Not, Implies or Equivalent: {r!r}")
        return ops[type(r)](self.expr(r.lhs), self.expr(r.rhs))


def _z3_value(v: Any) -> sympy.Rational:
    if z3.is_rational_value(v):
        f = Fraction(v.as_fraction())
        return sympy.Rational(f.numerator, f.denominator)
    dec = v.approx(30).as_fraction() if hasattr(v, "approx") else Fraction(str(v))
    f = Fraction(dec)
    return sympy.Rational(f.numerator, f.denominator)


def _truth(r: Any, inst: dict[sympy.Symbol, sympy.Rational]) -> bool | None:
    """Decide a formula at an exact rational point: True, False, or None (undefined or undecided).

    Each relation is decided from an Arb ball of ``lhs - rhs`` (exact when sympy reduces it to
    a rational); a side that is not a finite real number (1/0, the root of a negative
    number, ...) makes the relation undefined (None).
    """
    if r is True or r is sympy.true:
        return True
    if r is False or r is sympy.false:
        return False
    if isinstance(r, sympy.Not):
        v = _truth(r.args[0], inst)
        return None if v is None else not v
    if isinstance(r, sympy.And | sympy.Or):
        vals = [_truth(a, inst) for a in r.args]
        want = isinstance(r, sympy.Or)  # the value that decides the connective
        if want in vals:
            return want
        return None if None in vals else not want
    if isinstance(r, sympy.Implies):
        return _truth(sympy.Or(sympy.Not(r.args[0]), r.args[1]), inst)
    if isinstance(r, sympy.Equivalent):
        vals = [_truth(a, inst) for a in r.args]
        return None if None in vals else len(set(vals)) == 1
    if not isinstance(r, sympy.core.relational.Relational):
        return None
    sides = []
    for side in (r.lhs, r.rhs):
        exact = sympy.sympify(side).subs(inst)
        if isinstance(exact, sympy.Rational):
            sides.append(exact)
        else:
            ball = _arb_value(side, inst, 512) if side.free_symbols <= set(inst) else None
            if ball is None:
                return None
            sides.append(ball)
    if all(isinstance(v, sympy.Rational) for v in sides):
        a, b = (Fraction(int(v.p), int(v.q)) for v in sides)
        exact = {
            sympy.LessThan: a <= b, sympy.StrictLessThan: a < b, sympy.GreaterThan: a >= b,
            sympy.StrictGreaterThan: a > b, sympy.Equality: a == b, sympy.Unequality: a != b,
        }
        return exact.get(type(r))
    from .backends import ArbBackend, arb_precision

    B = ArbBackend(512)
    with arb_precision(512):
        a, b = (B.num(v) if isinstance(v, sympy.Rational) else v for v in sides)
        d = a - b
        if not d.is_finite():
            return None
        lt, gt = bool(d < 0), bool(d > 0)
        le, ge = bool(d <= 0), bool(d >= 0)
        exact_zero = d.is_exact() and d.is_zero()
    table: dict[type, tuple[bool, bool]] = {  # (certainly true, certainly false)
        sympy.LessThan: (le, gt),
        sympy.StrictLessThan: (lt, ge),
        sympy.GreaterThan: (ge, lt),
        sympy.StrictGreaterThan: (gt, le),
        sympy.Equality: (exact_zero, lt or gt),
        sympy.Unequality: (lt or gt, exact_zero),
    }
    if type(r) not in table:
        return None
    yes, no = table[type(r)]
    return True if yes else False if no else None


class Implication(Check):
    """``hypotheses => conclusion`` over the reals, decided by z3 (nonlinear real arithmetic).

    ``proved`` covers every real point where the hypotheses hold (and the symbols'
    assumptions); a root ``b**(p/q)`` is read as the real root, so the hypotheses must make
    each radicand nonnegative, otherwise the check is ``undecided``. ``refuted`` only at a
    rational point that satisfies the symbols' assumptions, where the hypotheses hold and
    the conclusion fails, decided again in Arb balls or exact rationals.
    """

    kind = "S"

    def __init__(
        self, name: str, hypotheses: Sequence[Any], conclusion: Any, *, timeout_ms: int = Z3_GUARD_MS, rlimit: int = Z3_RLIMIT, **kw: Any
    ) -> None:
        if "statement" not in kw:
            hyp = r",\ ".join(sympy.latex(h) for h in hypotheses)
            kw["statement"] = (hyp + r" \implies " if hyp else "") + sympy.latex(conclusion)
        super().__init__(name, **kw)
        self.hypotheses = list(hypotheses)
        self.conclusion = conclusion
        self.timeout_ms = timeout_ms  # wall-clock guard against hangs only (symbolic.budgets)
        self.rlimit = rlimit  # the deterministic budget that decides

    def establishes(self) -> str | None:
        c = self.conclusion
        if isinstance(c, sympy.Equality):
            return "="
        if isinstance(c, sympy.LessThan | sympy.GreaterThan):
            return "<="
        if isinstance(c, sympy.StrictLessThan | sympy.StrictGreaterThan):
            return "<"
        return None

    def proves_relation(self) -> tuple[str, Any, Any, list[Any]] | None:
        c = self.conclusion
        if type(c) in _RELATION_NAMES:
            return _RELATION_NAMES[type(c)], c.lhs, c.rhs, list(self.hypotheses)
        return None

    def proves_formula(self) -> Any | None:
        if not self.hypotheses:
            return self.conclusion
        return sympy.Implies(sympy.And(*self.hypotheses), self.conclusion)

    def _solver(self) -> Any:
        return z3_solver("QF_NRA", rlimit=self.rlimit, guard_ms=self.timeout_ms)

    def _radicands_nonnegative(self, tr: _Z3, hyps: list[Any]) -> tuple[bool, str]:
        """Whether the hypotheses (and assumptions) make every radicand nonnegative.

        Decided with the roots' own definitions left out (each root a free real), so that a
        root cannot vouch for its own radicand."""
        for base, b in tr.radicands:
            if base.is_nonnegative:
                continue
            solver = self._solver()
            solver.add(*tr.assumed, *hyps, b < 0)
            res = z3_check(solver)
            answer = res.answer
            if answer != z3.unsat:
                why = "may be negative" if answer == z3.sat else f"could not be shown nonnegative ({res.describe(self.rlimit)})"
                return False, f"the radicand {sympy.sstr(base)} {why} under the hypotheses: the root is not a real root there"
        return True, ""

    def run(self, settings: CheckSettings) -> Outcome:
        tr = _Z3()
        try:
            hyps = [tr.rel(h) for h in self.hypotheses]
            concl = tr.rel(self.conclusion)
        except (TypeError, KeyError, AttributeError) as exc:
            return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details=f"cannot translate: {exc}"))
        if tr.radicands:
            ok, why = self._radicands_nonnegative(tr, hyps)
            if not ok:
                return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details=why))
        solver = self._solver()
        solver.add(*tr.side, *hyps, z3.Not(concl))
        res = z3_check(solver)
        answer = res.answer
        if answer == z3.unsat:
            return Outcome(
                Verdict.PROVED,
                Evidence(
                    method="z3 (nlsat): hypotheses and the negated conclusion are unsatisfiable over the reals",
                    extra={"rlimit": self.rlimit, "rlimit_used": res.rlimit_used},
                ),
            )
        if answer == z3.sat:
            model = solver.model()
            inst = {s: _z3_value(model.eval(v, model_completion=True)) for s, v in tr.vars.items()}
            if not all(_admissible(s, v) for s, v in inst.items()):
                bad = [str(s) for s, v in inst.items() if not _admissible(s, v)]
                return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details=f"z3's model violates the assumptions on {', '.join(bad)} (z3 reads every symbol as a real number)"))
            ok_h = all(_truth(h, inst) is True for h in self.hypotheses)
            if ok_h and _truth(self.conclusion, inst) is False:
                return Outcome(
                    Verdict.REFUTED,
                    Evidence(
                        method="z3 model, re-checked with exact rationals and Arb balls",
                        counterexample={str(k): str(v) for k, v in inst.items()},
                        details="the hypotheses hold and the conclusion fails at this point",
                    ),
                )
            return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details="z3 found a model but its rational rounding is not a confirmed counterexample"))
        return Outcome(Verdict.UNDECIDED, Evidence(method="z3", details=res.describe(self.rlimit), extra={"rlimit": self.rlimit, "rlimit_used": res.rlimit_used}))


def implies(name: str, hypotheses: Sequence[Any], conclusion: Any, **kw: Any) -> Implication:
    """Shorthand for :class:`Implication`."""
    return Implication(name, hypotheses, conclusion, **kw)


#: sympy relation classes -> relation names (what an implication's conclusion proves)
_RELATION_NAMES = {
    sympy.Equality: "=",
    sympy.LessThan: "<=",
    sympy.StrictLessThan: "<",
    sympy.GreaterThan: ">=",
    sympy.StrictGreaterThan: ">",
}

# Premise, Proof, conclusion_of and formula_of live in symbolic.proofgraph (which builds on
# this module; importing them here would make the two modules import each other)
__all__ = ["Identity", "Implication", "implies", "Expect"]
