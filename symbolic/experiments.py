"""Checks that are not claims over sampled cases: definitions, Monte Carlo, illustrations.

- :class:`Definition` runs an executable predicate on examples and non-examples.
- :class:`MonteCarlo` estimates a probability or a mean by simulation and compares it
  with a stated bound at a stated confidence; the probability that the check itself
  gives a wrong ``checked`` verdict is at most ``delta`` (Clopper-Pearson or Hoeffding).
  A statistical violation is reported ``undecided`` (never ``refuted``: a counterexample
  must be confirmed with rigorous arithmetic).
- :class:`Illustration` runs a computation exhibiting a qualitative statement, and says
  what it shows and what it does not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .checks import Check
from .chunks import simulate_in_chunks
from .settings import CheckSettings
from .verdicts import Evidence, Outcome, Verdict, weakest


@dataclass(frozen=True)
class Judgement:
    """What a definition's predicate says of one example: its verdict and why."""

    holds: bool | None  # None: the predicate could not decide
    verdict: Verdict  # how strongly it decided (proved when symbolic, checked when sampled)
    why: str = ""


class Definition(Check):
    """An executable predicate, run on examples with known answers.

    ``predicate(example) -> Judgement``; ``examples`` lists ``(label, example, expected)``.
    The check holds when every answer matches; its strength is the weakest answer's, and
    never more than ``checked``: listed examples decide those examples, they do not prove
    a general statement (that needs an :class:`~symbolic.proofs.Identity` or
    :class:`~symbolic.proofs.Implication` beside the definition). The evidence says how
    many examples were decided exactly (a symbolic or certified answer) and how many by
    sampling.
    """

    kind = "D"

    def __init__(
        self,
        name: str,
        predicate: Callable[[Any], Judgement],
        examples: Sequence[tuple[str, Any, bool]],
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
        if not examples:
            raise ValueError(f"definition {name!r} needs examples")
        self.predicate = predicate
        self.examples = list(examples)

    def run(self, settings: CheckSettings) -> Outcome:
        verdicts = []
        lines = []
        wrong: dict[str, Any] | None = None
        for label, ex, expected in self.examples:
            j = self.predicate(ex)
            if j.holds is None:
                verdicts.append(Verdict.UNDECIDED)
            elif j.holds != expected:
                verdicts.append(Verdict.REFUTED)
                wrong = wrong or {"example": label, "expected": expected, "got": j.holds, "why": j.why}
            else:
                verdicts.append(j.verdict)
            lines.append(f"{label}: {'yes' if j.holds else 'no' if j.holds is not None else '?'} ({j.verdict.value})")
        overall = weakest(verdicts)
        exact = sum(v in (Verdict.PROVED, Verdict.CERTIFIED) for v in verdicts)
        sampled = sum(v is Verdict.CHECKED for v in verdicts)
        if overall.holds and overall.strength > Verdict.CHECKED.strength:
            overall = Verdict.CHECKED  # examples decide examples; they prove no theorem
        summary = f"{exact} examples decided exactly" + (f", {sampled} by sampling" if sampled else "")
        return Outcome(
            overall,
            Evidence(
                method=f"predicate run on {len(self.examples)} examples and non-examples ({summary}); a definition decides its examples, it proves no general statement",
                details="; ".join(lines),
                counterexample=wrong,
            ),
        )


def clopper_pearson(successes: int, n: int, delta: float) -> tuple[float, float]:
    """Two one-sided (1 - delta) bounds on a binomial proportion."""
    from scipy.special import betaincinv  # the Beta quantile; imported here to keep start-up fast

    lo = 0.0 if successes == 0 else float(betaincinv(successes, n - successes + 1, delta))
    hi = 1.0 if successes == n else float(betaincinv(successes + 1, n - successes, 1 - delta))
    return lo, hi


class MonteCarlo(Check):
    """A simulated probability (``kind="proportion"``) or mean compared with a bound.

    ``simulate(rng, n)`` returns n samples: booleans for a proportion, reals in
    ``[low, high]`` for a mean. ``rel`` is ``">="`` or ``"<="`` against ``bound``. The
    verdict is ``checked`` when the (1 - delta) confidence bound is on the right side,
    ``undecided`` otherwise (with the estimate and the interval in the evidence).
    The samples are drawn in chunks of at most :data:`symbolic.chunks.CHUNK`, each from its own
    ``SeedSequence(seed).spawn(k)`` child, so the verdict does not depend on what runs them.
    """

    kind = "M"

    def __init__(
        self,
        name: str,
        simulate: Callable[[np.random.Generator, int], np.ndarray],
        *,
        rel: str,
        bound: float,
        samples: int = 2000,
        delta: float = 1e-3,
        quantity: str = "proportion",
        low: float = 0.0,
        high: float = 1.0,
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
        if rel not in (">=", "<="):
            raise ValueError(f"MonteCarlo {name!r}: rel must be '>=' or '<=', got {rel!r}")
        if quantity not in ("proportion", "mean"):
            raise ValueError(f"MonteCarlo {name!r}: quantity must be 'proportion' or 'mean'")
        if not 0 < delta < 1:
            raise ValueError(f"MonteCarlo {name!r}: delta must be in (0, 1)")
        self.simulate = simulate
        self.rel, self.bound = rel, bound
        self.samples, self.delta = samples, delta
        self.quantity, self.low, self.high = quantity, low, high

    def run(self, settings: CheckSettings) -> Outcome:
        n = max(10, int(self.samples * settings.mc_scale))
        try:
            values, chunks = simulate_in_chunks(self.simulate, n, settings.seed)
        except ValueError as exc:
            raise ValueError(f"MonteCarlo {self.name!r}: {exc}") from None
        est = float(values.mean())
        if self.quantity == "proportion":
            lo, hi = clopper_pearson(int(values.sum()), n, self.delta)
            method = "Monte Carlo, Clopper-Pearson bound"
        else:
            if values.min() < self.low or values.max() > self.high:
                raise ValueError(f"MonteCarlo {self.name!r}: samples outside the declared range [{self.low}, {self.high}]")
            half = (self.high - self.low) * math.sqrt(math.log(1 / self.delta) / (2 * n))
            lo, hi = est - half, est + half
            method = "Monte Carlo, Hoeffding bound"
        ok = lo >= self.bound if self.rel == ">=" else hi <= self.bound
        verdict = Verdict.CHECKED if ok else Verdict.UNDECIDED
        details = f"estimate {est:.6g}, one-sided bounds [{lo:.6g}, {hi:.6g}] against {self.rel} {self.bound:.6g}"
        if not ok:
            contradicted = hi < self.bound if self.rel == ">=" else lo > self.bound
            details += "; the data contradict the bound at this confidence" if contradicted else "; inconclusive"
        return Outcome(
            verdict,
            Evidence(
                method=method, samples=n, seed=settings.seed, confidence=1 - self.delta, details=details,
                extra={
                    "estimate": est,
                    "interval": [lo, hi],
                    "chunks": chunks,  # of at most symbolic.chunks.CHUNK samples, each with its own SeedSequence child
                    # what the report draws (see theorems/figures.py for the shapes)
                    "figure": {"kind": "interval", "estimate": est, "interval": [lo, hi], "bound": self.bound, "rel": self.rel, "label": f"{self.quantity} (one-sided bounds at confidence {1 - self.delta:.6g})"},
                },
            ),
        )


class Illustration(Check):
    """A computation exhibiting a qualitative statement.

    ``experiment(settings) -> (exhibited, details, data)``. ``shows`` and ``does_not_show``
    say honestly what the computation does and does not establish.
    """

    kind = "I"

    def __init__(
        self,
        name: str,
        experiment: Callable[[CheckSettings], tuple[bool, str, dict[str, Any]]],
        *,
        shows: str,
        does_not_show: str,
        **kw: Any,
    ) -> None:
        super().__init__(name, **kw)
        self.experiment = experiment
        self.shows, self.does_not_show = shows, does_not_show

    def run(self, settings: CheckSettings) -> Outcome:
        exhibited, details, data = self.experiment(settings)
        return Outcome(
            Verdict.ILLUSTRATED if exhibited else Verdict.UNDECIDED,
            Evidence(
                method="illustration",
                seed=settings.seed,
                details=f"{details}. Shows: {self.shows} Does not show: {self.does_not_show}",
                extra=data,
            ),
        )
