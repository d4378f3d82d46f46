"""Checks tied to the catalogue: the gradient map's step size, desingularizing functions."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy
from hypothesis import strategies as st

from symbolic import (
    Bound,
    Case,
    Claim,
    Verdict,
    arb_precision,
)
from symbolic.backends import FloatBackend
from symbolic.compile import UnsupportedExpression, compiled
from symbolic.objectives import Constants, Objective, coordinates
from symbolic.parsing import (
    Vocabulary,
    parse_expression,
    parse_number,
)
from theorems.cases import scalar_cases

from .bounds import (
    DECIDED_BY_SYMPY,
    _numeric_violation,
    _positive_everywhere,
    _relational_ok,
    _sharpness,
    _z3,
    decided_by_sympy,
    sharpness_result,
)
from .context import (
    _EXERCISE_PARSES,
    Context,
    Invalid,
    Result,
    _ball_text,
    _fmt,
    _remember,
    exact_value,
    simplest_between,
)
from .equivalence import _simplify_point, certainly_less_at
from .evaluation import _scalar_answer, _unknown_symbols, arb_eval
from .scan import scan_claim
from .step_size_pool import POOL_SEED, POOL_SIZE, engine_cross_check, objective_pool

__all__ = ["POOL_SEED", "POOL_SIZE", "check_desingularizing", "check_step_size", "engine_cross_check", "objective_pool"]

# ------------------------------------------------------------------ catalogue: gradient map diffeomorphism


def _det_1d(c: Case, B: Any) -> Any:
    assert c.objective is not None
    return B.num(1) - c.p(B, "alpha") * c.objective.hess(B, c.x(B))[0][0]


def _rational_below(x: sympy.Expr) -> Fraction:
    v = sympy.N(x, 40)
    q = Fraction(str(v)).limit_denominator(10**12)
    return q - Fraction(1, 10**11)


def _rational_strictly_below(x: sympy.Expr, lo: Fraction) -> Fraction | None:
    """A rational q with lo < q < x, rigorously (the lower end of an Arb ball of x, at
    rising precision), or None when x is not certainly above lo."""
    for bits in (128, 512, 2048, 8192):
        try:
            ball = arb_eval(x, [], {}, bits)
        except (ValueError, ZeroDivisionError, UnsupportedExpression):
            return None
        if not ball.is_finite():
            continue
        with arb_precision(bits):  # lower() rounds at the working precision
            man, exp = ball.lower().man_exp()
        low = Fraction(int(man)) * Fraction(2) ** int(exp)
        if low > lo:
            return simplest_between(lo, low) if low - lo > Fraction(1, 10**6) * abs(lo) else low
    return None


def _near_pi(excess: Fraction) -> list[Fraction]:
    """Rationals x with |cos x| > 1/(1 + excess), i.e. close enough to pi: 355/113 first (its
    cos is -1 + 2*10^-14), then finer approximations when ``excess`` is tiny."""
    out = [Fraction(355, 113)]
    if excess > Fraction(1, 10**12):
        return out
    import flint

    # 1 - |cos(pi + d)| <= d^2/2, so |d| < sqrt(excess)/4 is enough (with room for rounding)
    bits = 64
    while Fraction(1, 2**bits) ** 2 >= excess / 64:
        bits += 32
    with arb_precision(bits + 64):
        man, exp = flint.arb.pi().mid().man_exp()
    pi_q = Fraction(int(man)) * Fraction(2) ** int(exp)
    out.append(Fraction(round(pi_q * 2**bits), 2**bits))
    return out


def check_step_size(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """Catalogue pauwels/golikov/bruna gradient map: for every L-smooth F and 0 < alpha < answer(L),
    x -> x - alpha grad F(x) is a diffeomorphism (Jacobian I - alpha Hess F positive definite)."""
    undefined = _scalar_answer(ctx, answer)
    if undefined is not None:
        return undefined
    (L,) = ctx.vars
    hyps = ctx.domain_hypotheses()
    not_positive = _positive_everywhere(ctx, answer, "bound")
    if not_positive is not None:
        return not_positive
    within_rel = answer * L <= 1
    L0: sympy.Rational | None = None
    # z3 only when a cheap look leaves it open: a fixed L of the domain where the answer is
    # certainly above 1/L (Arb) starts the counterexample below as z3's model would
    probe = None if decided_by_sympy(within_rel) else certainly_less_at(ctx, 1 / L, answer)
    within, ce = (Verdict.UNDECIDED, None)
    if probe is not None:  # moved to a simpler L where the answer is still certainly above 1/L
        above = lambda q: bool(arb_eval(answer, [L], q, 128) > 1 / arb_eval(L, [L], q, 128))  # noqa: E731
        L0 = sympy.Rational(_simplify_point(ctx, probe, above)[L])
    elif decided_by_sympy(within_rel) or _relational_ok(answer):
        within, ce = _z3("answer <= 1/L", hyps, within_rel)
    if L0 is not None:
        pass
    elif within is Verdict.REFUTED and ce:
        L0 = sympy.Rational(ce[L.name])
    elif within is not Verdict.PROVED:
        p = _numeric_violation(ctx, 1 - answer * L)
        if p is not None:
            L0 = sympy.Rational(p[L])
    if L0 is not None:
        # A confirmed counterexample from the catalogue's necessity family: F(x) = L cos x.
        Lq = Fraction(int(L0.p), int(L0.q))
        lo = 1 / Lq
        below = _rational_strictly_below(answer.subs(L, L0), lo)
        if below is None:
            return ctx.result("undecided", "a candidate counterexample could not be confirmed")
        hi = min(below, 2 / Lq)
        alpha = simplest_between(lo + (hi - lo) / 4, hi - (hi - lo) / 4)
        x = coordinates(1)
        F = Objective("L cos x", x, L0 * sympy.cos(x[0]), Constants(L=Lq, how="|F''| = L |cos x| <= L"))
        claim = Claim("det T' > 0", cases=st.just(Case(objective=F, params={"alpha": alpha}, points={"x": (Fraction(0),)})), margin=_det_1d, strict=True)
        at0, ball0 = claim.confirm(Case(objective=F, params={"alpha": alpha}, points={"x": (Fraction(0),)}), ctx.settings)
        # T'(x) = 1 + alpha L cos x < 0 needs |cos x| > 1/(alpha L): a rational x close enough to pi
        for xpi in _near_pi(alpha * Lq - 1):
            atpi, ballpi = claim.confirm(Case(objective=F, params={"alpha": alpha}, points={"x": (xpi,)}), ctx.settings)
            if at0 is True and atpi is False:
                return ctx.result(
                    "incorrect",
                    f"Counterexample: F(x) = {'' if L0 == 1 else _fmt(L0) + ' '}cos(x) has a {_fmt(L0)}-Lipschitz gradient, and your bound allows alpha = {_fmt(alpha)}. "
                    f"Then T'(x) = 1 - alpha F''(x) is {_ball_text(ball0)} > 0 at x = 0 but {_ball_text(ballpi)} < 0 at x = {_fmt(xpi)} (Arb balls), "
                    "so T' vanishes in between and T = x - alpha F'(x) is not a diffeomorphism.",
                    counterexample={"F": f"{_fmt(L0)}*cos(x)", "L": _fmt(L0), "alpha": _fmt(alpha), "T'(0)": _ball_text(ball0), f"T'({_fmt(xpi)})": _ball_text(ballpi)},
                    evidence="catalogue claim (gradient map), confirmed in Arb ball arithmetic",
                )
        return ctx.result("undecided", "a candidate counterexample could not be confirmed")
    # the property holds (z3 proved answer <= 1/L, or sampling found no violation): cross-check with the engine
    out = engine_cross_check(answer, L, ctx.settings)
    if out.verdict is Verdict.REFUTED:
        return ctx.result("undecided", "internal disagreement between the symbolic and numeric checks; flagged for review", evidence=out.text() + f"; counterexample {out.counterexample}")
    how = (("your bound <= 1/L: " + DECIDED_BY_SYMPY) if decided_by_sympy(within_rel) else "z3 proof that alpha < your bound <= 1/L" if within is Verdict.PROVED else "sampling") + "; " + out.text()
    status, sharp_how = _sharpness(ctx, answer, reference, answer * L >= 1)
    return sharpness_result(ctx, status, how + "; sharpness: " + sharp_how, "your bound is valid, but it could not be compared with the largest one")


# ------------------------------------------------------------------ catalogue: desingularizing functions


def _exact(text: str) -> Fraction:
    v = parse_number(text)
    if not isinstance(v, sympy.Rational):
        raise ValueError(f"exercise option {text!r} must be an exact rational")
    return Fraction(int(v.p), int(v.q))


def _value_at_zero(phi: sympy.Expr, s: sympy.Symbol) -> tuple[sympy.Expr | None, str]:
    """phi(0) for a phi continuous on [0, r0]: the limit s -> 0+ (sympy's limit of our own
    parsed expression), so ``s*log(s)`` counts as 0. An exact finite value of ``subs(s, 0)``
    must agree with the limit; otherwise (or if the limit is not a number) None."""
    direct = phi.subs(s, 0)
    direct_ok = direct.is_number and not direct.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo)
    try:
        lim = sympy.limit(phi, s, 0, "+")
    except (NotImplementedError, ValueError, TypeError, RecursionError, ArithmeticError):
        lim = None
    if lim is not None and (lim.has(sympy.Limit, sympy.AccumBounds, sympy.nan, sympy.zoo) or not lim.is_number):
        lim = None
    if lim is None:
        return None, ""
    if direct_ok and direct != lim:
        if lim.is_infinite or sympy.simplify(direct - lim) != 0:
            return None, ""
    return lim, "exact (limit s -> 0+)"


def _desingularizing_setting(ctx: Context) -> tuple[sympy.Symbol, sympy.Expr, Fraction, Fraction, Fraction]:
    """The exercise's objective F (in x), its zero xbar, the radius eps and the range r0, the
    parameters substituted: parsed once per process for each exercise version and draw."""
    key = (*ctx._draw_key(), "desingularizing", "")
    hit = _EXERCISE_PARSES.get(key)
    if hit is None:
        opts = ctx.ex.options
        x = sympy.Symbol("x", real=True)
        voc = Vocabulary({"x": x, **{n: ctx.symbols[n] for n in ctx.ex.parameters}})
        F = parse_expression(opts["objective"], voc).subs(ctx.param_symbols)
        xbar = _exact(str(opts.get("xbar", "0")))
        eps = _exact(str(opts["radius"]))
        r0q = parse_expression(str(opts["range"]), Vocabulary({n: ctx.symbols[n] for n in ctx.ex.parameters})).subs(ctx.param_symbols)
        r0 = Fraction(int(sympy.Rational(r0q).p), int(sympy.Rational(r0q).q))
        hit = (x, F, xbar, eps, r0)
        _remember(key, hit)
    return hit


def check_desingularizing(ctx: Context, answer: sympy.Expr, reference: sympy.Expr) -> Result:
    """Catalogue pauwels.kl-property: phi is desingularizing on (0, r0) and phi'(F(x)) |F'(x)| >= 1
    for 0 < |x - xbar| < eps with F(x) > 0 (F given by the exercise, with F(xbar) = 0)."""
    if not isinstance(answer, sympy.Expr):
        raise Invalid("expected an expression")
    (s,) = ctx.vars
    _unknown_symbols({s}, answer)
    x, F, xbar, eps, r0 = _desingularizing_setting(ctx)
    phi0, how0 = _value_at_zero(answer, s)
    if phi0 is None:
        return ctx.result("undecided", "phi(0) (the limit of your function as s -> 0+) could not be determined")
    if phi0 != 0:
        return ctx.result("incorrect", f"A desingularizing function must satisfy phi(0) = 0 (phi is continuous on [0, r0]); yours gives phi(0) = {_fmt(phi0)}.", counterexample={"phi(0)": _fmt(phi0)}, evidence=how0)
    d1 = sympy.diff(answer, s)
    d2 = sympy.diff(d1, s)
    sfn = compiled([d1, d2], [s])
    sc = scalar_cases({"s": Bound(Fraction(0), r0)})
    settings = ctx.settings
    checks = [
        ("phi' > 0", "phi'(s) > 0", Claim("phi' > 0", cases=sc, margin=lambda c, B: sfn(B, [c.p(B, "s")])[0], strict=True)),
        ("concave", "phi''(s) <= 0 (concavity)", Claim("phi'' <= 0", cases=sc, margin=lambda c, B: -sfn(B, [c.p(B, "s")])[1])),
    ]
    kl = d1.subs(s, F) * sympy.Abs(sympy.diff(F, x))
    kfn = compiled([kl], [x])
    Fexact = F

    def positive(c: Case) -> bool:
        v = c.params["x"]
        q = exact_value(Fexact, {x: v})  # exact rational arithmetic where F is rational
        if q is not None:
            return q > 0
        return bool(Fexact.subs(x, sympy.Rational(v.numerator, v.denominator)) > 0)

    xc = scalar_cases({"x": Bound(xbar - eps, xbar + eps)})
    checks.append(("KL inequality", "phi'(F(x)) |F'(x)| >= 1", Claim("KL", cases=xc, margin=lambda c, B: kfn(B, [c.p(B, "x")])[0] - B.num(1), where=positive)))
    F64 = FloatBackend()
    ffn = compiled([F], [x])
    screens: list[tuple[str, Bound, Callable[[Any], Any], Callable[[Any], Any] | None]] = [
        ("s", Bound(Fraction(0), r0), lambda v: sfn(F64, [v])[0], None),
        ("s", Bound(Fraction(0), r0), lambda v: -sfn(F64, [v])[1], None),
        ("x", Bound(xbar - eps, xbar + eps), lambda v: kfn(F64, [v])[0] - 1.0, lambda v: ffn(F64, [v])[0] > 0),
    ]
    evid = []
    for (label, text, claim), (name, bound, mfn, wfn) in zip(checks, screens, strict=True):
        # one float64 pass over many points, the claim's rule (mpmath, then Arb) at the decisive ones
        try:
            out = scan_claim(claim, name, bound, mfn, settings, where_f64=wfn)
        except UnsupportedExpression as exc:
            return ctx.result("undecided", f"cannot evaluate your function rigorously ({exc})")
        if out.verdict is Verdict.REFUTED:
            ce = out.counterexample or {}
            pt = ce.get("params", {})
            where = ", ".join(f"{k} = {v}" for k, v in pt.items())
            return ctx.result(
                "incorrect",
                f"The condition {text} ({label}) fails at {where}: the margin is the Arb ball {ce.get('margin')} (certainly {'<= 0' if claim.strict else '< 0'}).",
                counterexample={**pt, "condition": label, "margin": str(ce.get("margin"))},
                evidence=out.method,
            )
        if not out.verdict.holds:
            return ctx.result("undecided", f"the condition {text} could not be decided")
        evid.append(f"{label}: {out.verdict} ({out.samples} samples, {out.decisive} decisive ones in mpmath/Arb)")
    return ctx.result("correct", evidence="; ".join(evid))
