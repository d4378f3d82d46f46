"""Mutation testing of checks: can a ``proved``/``certified`` check fail?

:func:`mutants` makes small wrong variants of a check's *symbolic statement*:

- each numeric constant (one occurrence at a time) times 2 and times 1/2 (a zero: moved to 1 and -1);
- each term of a sum negated (a wrong operator sign);
- the relation of a conclusion reversed (``<=`` to ``>=``), negated (``<=`` to ``>``) or made
  strict / non-strict (``<=`` to ``<``); an equation negated (``=`` to ``!=``);
- each hypothesis of an :class:`~symbolic.proofs.Implication` dropped;
- each symbol's assumptions weakened (positive to nonnegative to real, integer to real, ...);
- for a :class:`~symbolic.derivations.Derivation`, the mutants of each step's check (run on that
  step alone: the other steps of a proved derivation are unchanged and strong); for a
  :class:`~symbolic.claims.Claim`, its relation mutated and the mutants of its attached proof;
  for a :class:`~symbolic.certify.BoxCertificate`, each bound of the box times 2 and 1/2, the
  margin negated and the strictness toggled; for a :class:`~symbolic.experiments.Definition`,
  each example's expected answer flipped.

:func:`mutate` runs each mutant under a resource bound (a CPU-time alarm for sympy and
Python code, z3's own timeout) and classifies it:

- ``killed``: the mutant is no longer ``proved``/``certified`` (refuted, undecided, or weaker);
- ``survived-true``: still ``proved``/``certified``, and the part that was mutated is the very
  statement the engine decided (an :class:`Identity`'s sides, an :class:`Implication`, a box), or
  the mutant is entailed by the original (a claim's strict inequality made non-strict): the
  mutant is a true statement, e.g. a loose constant made sharper;
- ``survived-defect``: still ``proved``/``certified`` although the mutated part is not what the
  engine decided (a claim's relation changed under an unchanged attached proof, a definition's
  expected answer flipped): the verdict does not depend on the statement;
- ``timeout``: the bound was reached (counted apart, neither killed nor surviving).

A check whose mutants all survive (or that has no mutant at all: nothing in its statement can
change) cannot fail: :attr:`Report.defect`. An :class:`Identity` whose two sides are one
expression before the check runs (sympy built them equal) is mutated on the common expression,
both sides alike: a change to one side only would be refuted trivially, and the check computes
nothing, so those mutants survive and the check is reported as a defect. A check whose statement is a Python callable (a
quantified z3 formula built by a function, a margin) has no symbolic statement to mutate:
:func:`mutants` returns None and the report says ``not mutable``.
"""

from __future__ import annotations

import copy
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from .certify import BoxCertificate
from .checks import Check, Expect
from .claims import Claim
from .derivations import Derivation
from .experiments import Definition
from .objectives import Box
from .proofs import Identity, Implication
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict

#: the verdicts a mutant must lose to be killed
STRONG = (Verdict.PROVED, Verdict.CERTIFIED)


@dataclass
class Mutant:
    """One wrong variant of a check: what was changed, the mutated check, and whether the
    mutated part is the statement the engine itself decides (``decides=True``: a survivor is a
    true statement) or not (a survivor shows a verdict that ignores the statement)."""

    description: str
    check: Check
    decides: bool = True


@dataclass
class MutantResult:
    description: str
    verdict: str
    status: str  # killed, survived-true, survived-defect, timeout
    seconds: float
    details: str = ""


@dataclass
class Report:
    """The mutation report of one check."""

    check: str
    kind: str
    verdict: str  # the original verdict
    mutable: bool = True
    generated: int = 0  # mutants generated before sampling
    results: list[MutantResult] = field(default_factory=list)
    note: str = ""
    crashed: bool = False  # the process running it died (a native crash): nothing is known

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def killed(self) -> int:
        return self.count("killed")

    @property
    def survived_true(self) -> int:
        return self.count("survived-true")

    @property
    def survived_defect(self) -> int:
        return self.count("survived-defect")

    @property
    def timeouts(self) -> int:
        return self.count("timeout")

    @property
    def defect(self) -> bool:
        """The check cannot fail: every mutant that finished survived, or there is no mutant."""
        if not self.mutable or self.verdict not in {v.value for v in STRONG}:
            return False
        finished = [r for r in self.results if r.status != "timeout"]
        if not self.results:
            return True
        return bool(finished) and all(r.status.startswith("survived") for r in finished)

    @property
    def defect_reason(self) -> str:
        """Why the check cannot fail ("" when it can): no mutant, sides equal before the check runs, or
        every mutant survives."""
        if not self.defect:
            return ""
        if not self.results:
            return "no mutant: nothing in the statement can change"
        if any(r.description.startswith("both sides (equal before the check runs)") for r in self.results):
            return "the two sides are one expression before the check runs (computed at import)"
        return "every mutant survives"

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "kind": self.kind,
            "verdict": self.verdict,
            "mutable": self.mutable,
            "generated": self.generated,
            "mutants": len(self.results),
            "killed": self.killed,
            "survived_true": self.survived_true,
            "survived_defect": self.survived_defect,
            "timeouts": self.timeouts,
            "defect": self.defect,
            "defect_reason": self.defect_reason,
            "note": self.note,
            "crashed": self.crashed,
            "results": [r.__dict__ for r in self.results],
        }


# ------------------------------------------------------------------ sympy expression mutation


Path = tuple[int, ...]


def _walk(e: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, e
    if isinstance(e, sympy.Basic) and not isinstance(e, sympy.Atom):
        for i, a in enumerate(e.args):
            yield from _walk(a, (*path, i))


def _replace(e: Any, path: Path, new: Any) -> Any:
    if not path:
        return new
    args = list(e.args)
    args[path[0]] = _replace(args[path[0]], path[1:], new)
    return e.func(*args)


def _constants(e: Any) -> list[tuple[Path, sympy.Rational]]:
    """The numeric constants of ``e`` (rationals, zero included), one entry per occurrence."""
    out = []
    for path, node in _walk(e):
        if isinstance(node, sympy.Rational):
            out.append((path, node))
    return out


def _sums(e: Any) -> list[tuple[Path, int]]:
    out: list[tuple[Path, int]] = []
    for path, node in _walk(e):
        if isinstance(node, sympy.Add):
            out.extend((path, i) for i in range(len(node.args)))
    return out


def expression_mutants(e: Any) -> list[tuple[str, Any]]:
    """Variants of one sympy expression: each constant times 2 and 1/2, each term of a sum negated.

    Variants that sympy evaluates back to ``e`` itself are left out (they are not mutants)."""
    out: list[tuple[str, Any]] = []
    seen: set[Any] = set()

    def add(what: str, new: Any) -> None:
        try:
            same = new == e
        except TypeError:  # pragma: no cover - exotic sympy objects
            same = False
        if not same and new not in seen:
            seen.add(new)
            out.append((what, new))

    for path, c in _constants(e):
        # x2 and x1/2; a zero (x2 would leave it unchanged) is moved to 1 and -1 instead
        changes = [(f"constant 0 -> {v}", sympy.Integer(v)) for v in (1, -1)] if c == 0 else [
            (f"constant {sympy.sstr(c)} {name} -> {sympy.sstr(c * f)}", c * f) for f, name in ((2, "x2"), (sympy.Rational(1, 2), "x1/2"))
        ]
        for what, new in changes:
            try:
                add(what, _replace(e, path, new))
            except (TypeError, ValueError, ZeroDivisionError):
                continue
    for path, i in _sums(e):
        node = _walk_get(e, path)
        args = list(node.args)
        term = args[i]
        args[i] = -term
        try:
            add(f"sign of the term {sympy.sstr(term)} flipped", _replace(e, path, node.func(*args)))
        except (TypeError, ValueError):
            continue
    return out


def _walk_get(e: Any, path: Path) -> Any:
    for i in path:
        e = e.args[i]
    return e


_RELS: dict[type, dict[str, type]] = {
    sympy.LessThan: {"reversed": sympy.GreaterThan, "negated": sympy.StrictGreaterThan, "made strict": sympy.StrictLessThan},
    sympy.StrictLessThan: {"reversed": sympy.StrictGreaterThan, "negated": sympy.GreaterThan, "made non-strict": sympy.LessThan},
    sympy.GreaterThan: {"reversed": sympy.LessThan, "negated": sympy.StrictLessThan, "made strict": sympy.StrictGreaterThan},
    sympy.StrictGreaterThan: {"reversed": sympy.StrictLessThan, "negated": sympy.LessThan, "made non-strict": sympy.GreaterThan},
    sympy.Equality: {"negated": sympy.Unequality},
    sympy.Unequality: {"negated": sympy.Equality},
}


def relation_mutants(r: Any) -> list[tuple[str, Any]]:
    """Each relation of a formula (a relation, or And/Or/Not of relations) reversed, negated, made
    strict or non-strict; and each side of each relation mutated like an expression."""
    out: list[tuple[str, Any]] = []
    for path, node in _walk(r):
        if type(node) in _RELS:
            for how, cls in _RELS[type(node)].items():
                try:
                    new = cls(node.lhs, node.rhs, evaluate=False)
                    out.append((f"relation {_relname(node)} {how} ({_relname(new)})", _replace(r, path, new)))
                except (TypeError, ValueError):
                    continue
            for side in (0, 1):
                for what, e in expression_mutants(node.args[side]):
                    try:
                        new = node.func(*(e if j == side else a for j, a in enumerate(node.args)), evaluate=False)
                        out.append((f"{'lhs' if side == 0 else 'rhs'}: {what}", _replace(r, path, new)))
                    except (TypeError, ValueError):
                        continue
    return out


def _relname(r: Any) -> str:
    return {sympy.LessThan: "<=", sympy.StrictLessThan: "<", sympy.GreaterThan: ">=", sympy.StrictGreaterThan: ">", sympy.Equality: "=", sympy.Unequality: "!="}.get(type(r), type(r).__name__)


_WEAKER = (
    ("positive", ({"nonnegative": True}, {"real": True})),
    ("negative", ({"nonpositive": True}, {"real": True})),
    ("nonnegative", ({"real": True},)),
    ("nonpositive", ({"real": True},)),
    ("integer", ({"real": True},)),
    ("nonzero", ({"real": True},)),
)


def weakened_symbols(exprs: Sequence[Any], *, allow_complex: bool = True) -> list[tuple[str, dict[sympy.Symbol, sympy.Symbol]]]:
    """For each symbol with assumptions, replacements with weaker assumptions (positive ->
    nonnegative, positive -> real, nonnegative -> real, integer -> real; real -> none when
    ``allow_complex``), each a map from the symbol to its weaker namesake."""
    symbols: set[sympy.Symbol] = set()
    for e in exprs:
        symbols |= {s for s in getattr(e, "free_symbols", set()) if isinstance(s, sympy.Symbol)}
    out = []
    for s in sorted(symbols, key=lambda s: s.name):
        a = s.assumptions0
        for key, weaker in _WEAKER:
            if a.get(key):
                for w in weaker:
                    out.append((f"assumption on {s.name}: {key} -> {next(iter(w))}", {s: sympy.Symbol(s.name, **w)}))
                break
        else:
            if a.get("real") and allow_complex:
                out.append((f"assumption on {s.name}: real -> complex", {s: sympy.Symbol(s.name)}))
    return out


def _subs(e: Any, m: dict[sympy.Symbol, sympy.Symbol]) -> Any:
    return e.xreplace(m) if hasattr(e, "xreplace") else e


# ------------------------------------------------------------------ mutants of each kind of check


def _same(a: Any, b: Any) -> bool:
    """Whether two sides are structurally the same expression (sympy built them equal)."""
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # pragma: no cover - exotic sympy objects
        return False


def _identity_mutants(c: Identity) -> list[Mutant]:
    lhs, rhs = c.lhs, c.rhs
    out: list[Mutant] = []

    def make(what: str, a: Any, b: Any) -> None:
        out.append(Mutant(what, Identity(f"{c.name} [{what}]", a, b, statement="mutant")))

    if _same(lhs, rhs):
        # the two sides are one expression before the check runs: the check computes nothing, and a
        # change to one side only would be refuted trivially; mutate the common expression instead
        common = list(lhs) if isinstance(lhs, sympy.MatrixBase) else [lhs]
        for k, entry in enumerate(common):
            for what, new in expression_mutants(entry):
                if isinstance(lhs, sympy.MatrixBase):
                    m = sympy.Matrix(lhs)
                    m[k] = new
                    make(f"both sides (equal before the check runs), entry {k}: {what}", m, m)
                else:
                    make(f"both sides (equal before the check runs): {what}", new, new)
        for what, sub in weakened_symbols([lhs]):
            make(what, _subs(lhs, sub), _subs(rhs, sub))
        return out
    for side, e in (("lhs", lhs), ("rhs", rhs)):
        entries = list(e) if isinstance(e, sympy.MatrixBase) else [e]
        for k, entry in enumerate(entries):
            for what, new in expression_mutants(entry):
                if isinstance(e, sympy.MatrixBase):
                    m = sympy.Matrix(e)
                    m[k] = new
                    new_side: Any = m
                    what = f"entry {k}: {what}"
                else:
                    new_side = new
                label = f"{side}: {what}"
                if side == "lhs":
                    make(label, new_side, rhs)
                else:
                    make(label, lhs, new_side)
    for what, m in weakened_symbols([lhs, rhs]):
        make(what, _subs(lhs, m), _subs(rhs, m))
    return out


def _implication_mutants(c: Implication, timeout_ms: int) -> list[Mutant]:
    hyps, concl = list(c.hypotheses), c.conclusion
    out: list[Mutant] = []
    t = min(c.timeout_ms, timeout_ms)

    def make(what: str, h: list[Any], k: Any) -> None:
        out.append(Mutant(what, Implication(f"{c.name} [{what}]", h, k, timeout_ms=t, statement="mutant")))

    for what, k in relation_mutants(concl):
        make(f"conclusion: {what}", hyps, k)
    # the whole conclusion negated: it survives only when the hypotheses are contradictory, so a
    # survivor shows a vacuous implication (counted as a defect, not as a true statement)
    out.append(
        Mutant(
            "conclusion negated as a whole (survives only if the hypotheses are unsatisfiable)",
            Implication(f"{c.name} [not conclusion]", hyps, sympy.Not(concl), timeout_ms=t, statement="mutant"),
            decides=False,
        )
    )
    for i, h in enumerate(hyps):
        make(f"hypothesis {sympy.sstr(h)} dropped", hyps[:i] + hyps[i + 1 :], concl)
        for what, new in relation_mutants(h):
            if what.startswith("relation"):
                continue  # a flipped hypothesis mostly makes the premises contradictory: not informative
            make(f"hypothesis {i + 1}: {what}", [*hyps[:i], new, *hyps[i + 1 :]], concl)
    for what, m in weakened_symbols([*hyps, concl], allow_complex=False):
        make(what, [_subs(h, m) for h in hyps], _subs(concl, m))
    return out


def _box_mutants(c: BoxCertificate) -> list[Mutant]:
    out: list[Mutant] = []
    box = c.box

    def make(what: str, **changes: Any) -> None:
        m = copy.copy(c)
        m.name = f"{c.name} [{what}]"
        for k, v in changes.items():
            setattr(m, k, v)
        out.append(Mutant(what, m))

    for i in range(len(box.lo)):
        for end in ("lo", "hi"):
            v = getattr(box, end)[i]
            for factor in (Fraction(2), Fraction(1, 2)):
                new = v * factor
                if new == v:
                    continue
                lo, hi = list(box.lo), list(box.hi)
                (lo if end == "lo" else hi)[i] = new
                if any(a > b for a, b in zip(lo, hi, strict=True)):
                    continue
                make(f"box {end}[{i}] {v} x{factor} -> {new}", box=Box(tuple(lo), tuple(hi)))
    margin = c.margin
    make("relation negated (margin < 0)" if not c.strict else "relation negated (margin <= 0)", margin=lambda B, x: -margin(B, x), strict=not c.strict)
    make("made non-strict" if c.strict else "made strict", strict=not c.strict)
    return out


_CLAIM_RELS = {
    "<=": {"reversed": ">=", "negated": ">", "made strict": "<"},
    "<": {"reversed": ">", "negated": ">=", "made non-strict": "<="},
    ">=": {"reversed": "<=", "negated": "<", "made strict": ">"},
    ">": {"reversed": "<", "negated": "<=", "made non-strict": ">="},
    "==": {"made an inequality <": "<", "made an inequality >": ">"},
}
#: mutations of a claim's relation that the original claim entails (a strict inequality made
#: non-strict): when the original is proved, such a mutant is a true statement by logic alone
_WEAKENINGS = {"made non-strict"}


def _claim_mutants(c: Claim, timeout_ms: int) -> list[Mutant] | None:
    out: list[Mutant] = []
    if c.rel is not None:
        for how, rel in _CLAIM_RELS[c.rel].items():
            m = copy.copy(c)
            m.name, m.rel, m.strict = f"{c.name} [relation {how}]", rel, rel in ("<", ">")
            out.append(Mutant(f"relation {c.rel} {how} ({rel})", m, decides=how in _WEAKENINGS))
    else:
        m = copy.copy(c)
        m.name, m.strict = f"{c.name} [strictness toggled]", not c.strict
        # margin > 0 made >= 0 is entailed by the original (a true statement when it is proved)
        out.append(Mutant("margin " + ("made non-strict (>= 0)" if c.strict else "made strict (> 0)"), m, decides=c.strict))
    if c.proof is not None:
        from .proofgraph import Proof

        # a linked proof graph is mutated through its lemma (the premises are checks of their own)
        lemma = c.proof.lemma if isinstance(c.proof, Proof) else c.proof
        inner = mutants(lemma, timeout_ms=timeout_ms)
        if inner is None and not out:
            return None
        for pm in inner or []:
            out.append(Mutant(f"proof: {pm.description}", _ProofProbe(f"{c.name} [proof: {pm.description}]", pm.check), decides=pm.decides))
    return out


class _StepProbe(Check):
    """The verdict a derivation gets when one step's check is replaced, computed from that step alone.

    Valid because only proved/certified derivations are mutated: every other step is then strong
    and unchanged, so the derivation stays strong exactly when the replaced step's check still
    establishes the step's relation (``_mismatch``) and is still strong; this is what
    :meth:`Derivation.run` computes, without re-running the other steps."""

    kind = "S"

    def __init__(self, name: str, rel: str, check: Check) -> None:
        super().__init__(name, statement="mutant")
        self.rel, self.check = rel, check

    def run(self, settings: CheckSettings) -> Outcome:
        from .derivations import _mismatch

        why = _mismatch(self.rel, self.check)
        if why is not None:
            return Outcome(Verdict.UNDECIDED, Evidence(method="the check does not establish the step's relation", details=why))
        return self.check.run(settings)


class _ProofProbe(Check):
    """The verdict of a proved claim whose attached proof is replaced, computed from the proof alone:
    the claim's own numeric search is unchanged and deterministic (seeded), and it did not refute the
    original, so the claim's verdict is the new proof's when that holds and at most ``checked`` otherwise."""

    kind = "S"

    def __init__(self, name: str, proof: Check) -> None:
        super().__init__(name, statement="mutant")
        self.proof = proof

    def run(self, settings: CheckSettings) -> Outcome:
        out = self.proof.run(settings)
        if out.verdict.holds:
            return out
        return Outcome(Verdict.CHECKED, Evidence(method="the attached proof no longer holds: the claim falls back to its sampled verdict", details=out.evidence.summary()))


def _derivation_mutants(c: Derivation, timeout_ms: int) -> list[Mutant] | None:
    out: list[Mutant] = []
    any_mutable = False
    for i, step in enumerate(c.steps):
        if step.check is None or step.check.expect is Expect.REFUTED:
            continue
        inner = mutants(step.check, timeout_ms=timeout_ms)
        if inner is None:
            continue
        any_mutable = True
        label = step.label or f"step {i + 1}"
        for sm in inner:
            out.append(Mutant(f"{label}: {sm.description}", _StepProbe(f"{c.name} [{label}: {sm.description}]", step.rel, sm.check), decides=sm.decides))
    return out if any_mutable else None


def _definition_mutants(c: Definition) -> list[Mutant]:
    out = []
    for i, (label, ex, expected) in enumerate(c.examples):
        m = copy.copy(c)
        m.name = f"{c.name} [{label}: expected answer flipped]"
        m.examples = [*c.examples[:i], (label, ex, not expected), *c.examples[i + 1 :]]
        out.append(Mutant(f"example {label}: expected {expected} -> {not expected}", m, decides=False))
    return out


def mutants(check: Check, *, timeout_ms: int = 10000) -> list[Mutant] | None:
    """The mutants of a check's symbolic statement, or None when it has none to mutate
    (its statement is a Python callable, or its class is unknown here)."""
    if isinstance(check, Identity):
        try:
            return _identity_mutants(check)
        except Exception:  # noqa: BLE001 - a side that cannot be built is reported, not mutated
            return None
    if isinstance(check, Implication):
        return _implication_mutants(check, timeout_ms)
    if isinstance(check, Derivation):
        return _derivation_mutants(check, timeout_ms)
    if isinstance(check, Claim):
        return _claim_mutants(check, timeout_ms)
    if isinstance(check, BoxCertificate):
        return _box_mutants(check)
    if isinstance(check, Definition):
        return _definition_mutants(check)
    return None


# ------------------------------------------------------------------ running under a bound


class _Timeout(BaseException):
    """Raised by the alarm (a BaseException, so that no ``except Exception`` swallows it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_Timeout` after ``seconds`` of CPU time of this process (``ITIMER_PROF``:
    the machine's load does not change which mutants time out), or after ten times as long on
    the wall clock (a guard for a mutant that blocks without using the CPU); main thread only,
    elsewhere no limit is set and z3's resource limit still applies."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise _Timeout()

    old = signal.signal(signal.SIGPROF, handler)
    old_alarm = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, 10 * seconds)  # a guard for a mutant blocked outside the CPU
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, old)
        signal.signal(signal.SIGALRM, old_alarm)


def run_bounded(check: Check, settings: CheckSettings, seconds: float) -> tuple[Outcome | None, float]:
    """Run a check under a CPU-time bound: its outcome (None on timeout) and the wall time taken."""
    start = time.monotonic()
    try:
        with time_limit(seconds):
            out = check.run(settings)
    except _Timeout:
        return None, time.monotonic() - start
    except Exception as exc:  # noqa: BLE001 - a mutant that crashes its check is not proved
        out = Outcome(Verdict.UNDECIDED, Evidence(method="the mutant raised an error", details=f"{type(exc).__name__}: {exc}"))
    return out, time.monotonic() - start


#: settings used for mutants: a short counterexample search (a claim's numeric cross-check)
MUTANT_SETTINGS = CheckSettings(examples=20, local_search=1)


def mutate(
    check: Check,
    *,
    original: Verdict | None = None,
    settings: CheckSettings = MUTANT_SETTINGS,
    seconds: float = 20.0,
    max_mutants: int | None = None,
    seed: int = 0,
    progress: Callable[[MutantResult], None] | None = None,
    rest_seconds: float = 120.0,
) -> Report:
    """Run the mutants of ``check`` and classify each (see the module's docstring).

    ``original`` is the check's own verdict (run here when not given); only ``proved`` and
    ``certified`` checks are mutated. ``max_mutants`` samples that many mutants (seeded by
    ``seed``) when there are more; when every sampled mutant survives, the others are run too (for
    at most ``rest_seconds``) until one is killed, so that a defect is never an artefact of the
    sample. ``seconds`` bounds each mutant's run.
    """
    if original is None:
        out, _ = run_bounded(check, settings, seconds * 3)
        original = out.verdict if out is not None else Verdict.UNDECIDED
    report = Report(check.name, type(check).__name__, original.value)
    if original not in STRONG:
        report.note = "not mutated: only proved or certified checks are"
        return report
    ms = mutants(check, timeout_ms=int(seconds * 1000))
    if ms is None:
        report.mutable = False
        report.note = "not mutable: the statement is a Python callable (no symbolic statement to change)"
        return report
    report.generated = len(ms)
    rest: list[Mutant] = []
    if max_mutants is not None and len(ms) > max_mutants:
        order = random.Random(f"{seed}:{check.name}").sample(ms, len(ms))
        ms, rest = order[:max_mutants], order[max_mutants:]
        report.note = f"{max_mutants} of {report.generated} mutants, sampled with seed {seed}"
    for m in ms:
        report.results.append(_run_mutant(m, settings, seconds))
        if progress is not None:
            progress(report.results[-1])
    if rest and report.defect:
        # a sample in which every mutant survives does not show a defect: run the others (in the same
        # random order, for at most ``rest_seconds``) until one is killed
        started = time.monotonic()
        for m in rest:
            if time.monotonic() - started > rest_seconds:
                report.note += f"; every sampled mutant survived, {len(rest)} more tried for {rest_seconds:g} s"
                break
            report.results.append(_run_mutant(m, settings, seconds))
            if report.results[-1].status == "killed":
                report.note += f"; every sampled mutant survived, so {len(report.results) - max_mutants if max_mutants else 0} more were run until one was killed"
                break
        else:
            report.note += "; every sampled mutant survived, so all were run"
    return report


def _run_mutant(m: Mutant, settings: CheckSettings, seconds: float) -> MutantResult:
    """Run one mutant under the bound and classify it."""
    out, took = run_bounded(m.check, settings, seconds)
    if out is None:
        return MutantResult(m.description, "timeout", "timeout", took, f"no verdict within {seconds:g} s")
    if out.verdict in STRONG:
        status = "survived-true" if m.decides else "survived-defect"
        return MutantResult(m.description, out.verdict.value, status, took, out.evidence.summary()[:200])
    r = MutantResult(m.description, out.verdict.value, "killed", took, out.evidence.summary()[:200])
    return r


__all__ = [
    "Mutant", "MutantResult", "Report", "STRONG", "MUTANT_SETTINGS", "expression_mutants",
    "relation_mutants", "weakened_symbols", "mutants", "mutate", "run_bounded", "time_limit",
]
