"""Worst cases of k steps of a first-order method by performance estimation (PEPit).

For the class of L-smooth, μ-strongly convex functions (μ = 0: convex) and k steps of
gradient descent, heavy ball or Nesterov's method (the recurrences of
:mod:`symbolic.iterates`), PEPit solves the performance-estimation SDP numerically (with the
open-source solver Clarabel, or SCS) and returns the worst value of a metric, normalised by
‖x₀ − x*‖ = 1: ``value`` F(x_k) − F*, ``dist`` ‖x_k − x*‖², ``gradnorm`` ‖∇F(x_k)‖².

That number is a numeric hint, never a proof. :func:`worst_case` also turns the PEP
solution into an **explicit** function of the Huber family
(:mod:`symbolic.worst_case_families`): the 1-D function (μ/2)u² + (L − μ)H_τ(u) with τ read off
the PEP gradients (and, as candidates, the quadratics with the PEP solution's curvature),
each candidate's metric computed in Arb from exact rational data; the best one is
returned with x₀ = 1, x* = 0. A claim then evaluates that concrete function like any other
case, so a counterexample found this way is confirmed in Arb like every other.

PEPit is an optional dependency (``pip install 'theorems[pep]'``); :func:`available` says
whether it can be used, and :func:`worst_case` raises :class:`PEPUnavailable` otherwise.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .backends import ArbBackend, arb_precision
from .iterates import iterate
from .worst_case_families import HuberObjective, HuberTerm, huber_objective

METRICS = ("value", "dist", "gradnorm")
PEP_METHODS = ("gd", "heavyball", "nesterov")


class PEPUnavailable(RuntimeError):
    """PEPit (or an SDP solver for it) is not installed."""


def available() -> bool:
    """True when PEPit, cvxpy and Clarabel or SCS are installed (found, not imported: cvxpy
    takes a second to import, and start-up and test collection stay fast)."""
    from importlib.util import find_spec

    found = {name: find_spec(name) is not None for name in ("PEPit", "cvxpy", "clarabel", "scs")}
    return found["PEPit"] and found["cvxpy"] and (found["clarabel"] or found["scs"])


@dataclass(frozen=True)
class WorstCase:
    """PEPit's worst case for one setting, and the explicit function fitted to it.

    ``pep_value``: PEPit's (numeric, dual) worst-case value of the metric with
    ‖x₀ − x*‖ = 1; ``objective``/``x0``: the fitted function (minimiser 0, F* = 0) and start
    point; ``fitted_value``: the metric of the fitted function, an Arb ball (midpoint as a
    string) computed from exact data; ``solver``: what solved the SDP.
    """

    method: str
    metric: str
    L: Fraction
    mu: Fraction
    k: int
    params: tuple[Fraction, ...]
    pep_value: float
    objective: HuberObjective
    x0: tuple[Fraction, ...]
    fitted_value: str
    solver: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "metric": self.metric,
            "L": str(self.L),
            "mu": str(self.mu),
            "k": self.k,
            "params": [str(p) for p in self.params],
            "pep_value": self.pep_value,
            "fitted_value": self.fitted_value,
            "objective": self.objective.to_json(),
            "x0": [str(v) for v in self.x0],
            "solver": self.solver,
        }


def _rational(v: float, den: int = 10**4) -> Fraction:
    return Fraction(v).limit_denominator(den)


def _solve(method: str, metric: str, L: float, mu: float, k: int, params: tuple[float, ...]) -> tuple[float, list[float], list[float], str]:
    """PEPit's worst-case value, and the 1-D trace of (x_i - x*, g_i) along the iterates."""
    import cvxpy
    from PEPit import PEP
    from PEPit.functions import SmoothConvexFunction, SmoothStronglyConvexFunction

    problem = PEP()
    if mu > 0:
        func = problem.declare_function(SmoothStronglyConvexFunction, L=L, mu=mu)
    else:
        func = problem.declare_function(SmoothConvexFunction, L=L)
    xs = func.stationary_point()
    fs = func(xs)
    x0 = problem.set_initial_point()
    problem.set_initial_condition((x0 - xs) ** 2 <= 1)
    x, prev = x0, x0
    queried = []  # the points where the oracle was called: their gradients are in the PEP
    alpha = params[0]
    for t in range(k):
        mom = 0.0
        if method == "heavyball":
            mom = params[1]
        elif method == "nesterov":
            mom = params[1] if len(params) > 1 else (t - 1) / (t + 2) if t > 0 else 0.0
        y = x + mom * (x - prev) if method == "nesterov" else x
        g = func.gradient(y)
        queried.append((y, g))
        new = y - alpha * g + (mom * (x - prev) if method == "heavyball" else 0 * g)
        prev, x = x, new
    if metric == "value":
        problem.set_performance_metric(func(x) - fs)
    elif metric == "dist":
        problem.set_performance_metric((x - xs) ** 2)
    else:
        problem.set_performance_metric(func.gradient(x) ** 2)
    solver = "CLARABEL" if "CLARABEL" in cvxpy.installed_solvers() else "SCS"
    with contextlib.redirect_stdout(io.StringIO()):
        value = problem.solve(wrapper="cvxpy", solver=solver, verbose=0, dimension_reduction_heuristic="trace")
    star = xs.eval()
    pts = [float((p.eval() - star)[0]) for p, _g in queried]
    grads = [float(g.eval()[0]) for _p, g in queried]
    return float(value), pts, grads, solver


def _metric(f: HuberObjective, method: str, metric: str, k: int, params: tuple[Fraction, ...]) -> Any:
    B = ArbBackend(192)
    with arb_precision(192):
        xk = iterate(f, B, method, [B.num(1)], k, [B.num(p) for p in params])
        if metric == "value":
            return f.value(B, xk)
        if metric == "dist":
            return B.norm2(xk)
        return B.norm2(f.grad(B, xk))


@lru_cache(maxsize=256)
def worst_case(method: str, metric: str, L: Fraction, mu: Fraction, k: int, params: tuple[Fraction, ...]) -> WorstCase:
    """PEPit's worst case of ``metric`` after k steps of ``method`` (parameters ``params``, e.g.
    (α,) or (α, β)) over L-smooth μ-strongly convex functions, ‖x₀ − x*‖ = 1, and the best
    explicit Huber/quadratic function fitted to it (see the module docstring)."""
    if method not in PEP_METHODS:
        raise ValueError(f"PEP worst cases are computed for {', '.join(PEP_METHODS)}, not {method!r}")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; known: {', '.join(METRICS)}")
    if not (0 <= mu < L) or k < 1:
        raise ValueError("need 0 <= mu < L and k >= 1")
    if not available():
        raise PEPUnavailable("PEPit with cvxpy and Clarabel or SCS is not installed (pip install 'theorems[pep]')")
    value, pts, grads, solver = _solve(method, metric, float(L), float(mu), k, tuple(float(p) for p in params))
    c = L - mu
    # candidate widths: the PEP gradients' magnitudes (a Huber's gradient is mu u + c clip(u, -tau, tau));
    # candidate quadratics: curvature g_0 / x_0 (as a Huber whose kinks are never reached)
    taus: set[Fraction] = set()
    for u, g in zip(pts, grads, strict=True):
        w = abs(g - float(mu) * u) / float(c)
        if w > 1e-9:
            for j in (-4, -2, -1, 0, 1, 2, 4):
                taus.add(_rational(w * (1 + j / 100)))
    candidates: list[HuberObjective] = [huber_objective([HuberTerm(c, t, (Fraction(1),))], modulus=mu) for t in sorted(taus) if t > 0]
    if abs(pts[0]) > 1e-9:
        curv = _rational(abs(grads[0] / pts[0]))
        # a quadratic of curvature mu is approached by mu + (L - mu)/10^6 (a Huber term needs c > 0)
        for lam in {min(max(curv, mu + c / 10**6), L), mu + c / 10**6, L, (L + mu) / 2}:
            if lam > mu:
                candidates.append(huber_objective([HuberTerm(lam - mu, Fraction(10**6), (Fraction(1),))], modulus=mu))
    if not candidates:
        candidates.append(huber_objective([HuberTerm(c, Fraction(1), (Fraction(1),))], modulus=mu))
    scored = [(_metric(f, method, metric, k, params), f) for f in candidates]
    best_ball, best = max(scored, key=lambda t: float(t[0].mid()))
    return WorstCase(
        method, metric, L, mu, k, params, value, best, (Fraction(1),), str(best_ball), solver,
        details={"candidates": len(candidates), "pep_trace": [f"{u:.6g}" for u in pts]},
    )





# ---------------------------------------------------------------- seeding a claim's search


@dataclass(frozen=True)
class PEPSeeds:
    """Where a claim about k steps of a method can be seeded with PEPit's worst cases.

    ``scalars(consts)``: the method's parameters (e.g. the step 1/L) for the fitted
    objective's constants (L = 1, ``mu``); ``k_values``: the numbers of steps tried;
    ``k_param``: the claim's parameter that holds k (None when k is a literal); ``point``: the
    claim's start point, set to x₀ = 1 (x* = 0).
    """

    method: str
    scalars: Any  # Callable[[dict[str, Fraction]], tuple[Fraction, ...] | None]
    k_values: tuple[int, ...]
    k_param: str | None
    point: str
    mu: Fraction = Fraction(0)
    metrics: tuple[str, ...] = ("value", "dist")

    def worst(self, k: int, metric: str) -> WorstCase | None:
        params = self.scalars({"L": Fraction(1), "mu": self.mu, "lower": Fraction(0), "minimum": Fraction(0), "Fstar": Fraction(0)})
        if params is None:
            return None
        try:
            return worst_case(self.method, metric, Fraction(1), self.mu, k, tuple(params))
        except Exception:  # noqa: BLE001 - a solver failure only removes a seed
            return None

    def case(self, k: int, metric: str) -> Any:
        from .claims import Case

        w = self.worst(k, metric)
        if w is None:
            return None
        return Case(objective=w.objective, params={self.k_param: Fraction(k)} if self.k_param else {}, points={self.point: w.x0})

    def strategy(self) -> Any:
        from hypothesis import strategies as st

        pairs = [(k, m) for k in self.k_values for m in self.metrics]
        return st.sampled_from(pairs).map(lambda t: self.case(*t)).filter(lambda c: c is not None)


class PEPSeededClaim:
    """Mixin for :class:`~symbolic.claims.Claim`: the search also draws PEPit's fitted worst
    cases, and the evidence reports PEPit's numeric worst-case values beside the claim's
    sides at those functions (a hint, never a proof)."""

    pep: PEPSeeds

    def run(self, settings: Any) -> Any:
        from dataclasses import replace

        from .verdicts import Outcome

        out = super().run(settings)  # type: ignore[misc]
        hints = self.pep_hints(settings)
        ev = out.evidence
        details = (ev.details + "; " + pep_summary(hints)).lstrip("; ")
        return Outcome(out.verdict, replace(ev, details=details, extra={**ev.extra, "pep": hints}), out.parts)

    def pep_hints(self, settings: Any) -> list[dict[str, Any]]:
        from .backends import MPBackend

        out = []
        B = MPBackend(settings.digits)
        claim: Any = self
        for k in self.pep.k_values:
            for metric in self.pep.metrics:
                w = self.pep.worst(k, metric)
                c = self.pep.case(k, metric)
                if w is None or c is None:
                    continue
                row: dict[str, Any] = {"k": k, "metric": metric, "pep_value": f"{w.pep_value:.8g}", "solver": w.solver, "fitted": w.objective.family}
                try:
                    if claim.where is None or claim.where(c):
                        row["margin"] = f"{float(claim.margin(c, B)):.6g}"
                        if claim.lhs is not None and claim.rhs is not None:
                            lhs, rhs = float(claim.lhs(c, B)), float(claim.rhs(c, B))
                            row["lhs"], row["rhs"] = f"{lhs:.8g}", f"{rhs:.8g}"
                            # when the claim's left side is PEPit's metric (it matches at the fitted
                            # function), compare PEPit's class-wide value with the claim's bound
                            if claim.rel in ("<=", "<") and abs(lhs - w.pep_value) <= 1e-3 * max(abs(w.pep_value), 1e-9):
                                if abs(w.pep_value - rhs) <= 1e-6 * max(1.0, abs(rhs)):
                                    row["pep_vs_bound"] = "equal within the SDP's accuracy (the bound may be tight)"
                                else:
                                    row["pep_vs_bound"] = "below the claim's bound" if w.pep_value < rhs else "above the claim's bound"
                except (ValueError, ZeroDivisionError, OverflowError, TypeError):
                    pass
                out.append(row)
        return out


def pep_summary(hints: list[dict[str, Any]]) -> str:
    """One line for the evidence: PEPit's worst values and the claim's sides at the fitted functions."""
    if not hints:
        return "PEPit: no worst case could be computed"
    parts = []
    for h in hints:
        name = {"value": "F(x_k) - F*", "dist": "|x_k - x*|^2", "gradnorm": "|grad F(x_k)|^2"}[h["metric"]]
        side = f" (the claim at the fitted function: {h['lhs']} vs {h['rhs']})" if "lhs" in h else ""
        if "pep_vs_bound" in h:
            side += f", PEPit's worst case {h['pep_vs_bound']}"
        parts.append(f"k={h['k']}: {name} <= {h['pep_value']}{side}")
    return "PEPit worst cases (numeric SDP, " + hints[0]["solver"] + ", L = 1, |x0 - x*| = 1; a hint, not a proof): " + "; ".join(parts)
__all__ = ["METRICS", "PEP_METHODS", "PEPSeededClaim", "PEPSeeds", "PEPUnavailable", "WorstCase", "available", "pep_summary", "worst_case"]
