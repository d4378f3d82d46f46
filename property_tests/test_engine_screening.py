"""Screening in float64 intervals, certification in Arb (symbolic.float_intervals, symbolic.screening).

The screen may only ever send a case on to the exact path; it never decides a failure, and a
NaN, an infinity or an exception never passes. These tests build margins that fool plain
float64 (catastrophic cancellation, overflow) and check the verdicts.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from flint import arb
from hypothesis import strategies as st

from symbolic import (
    ArbBackend,
    Case,
    CheckSettings,
    Claim,
    FloatBackend,
    Verdict,
    arb_precision,
    families,
)
from symbolic.claims import Bound
from symbolic.float_balls import FBall
from symbolic.float_intervals import FInterval, IntervalFloatBackend, NotScreenable
from symbolic.screening import batch, batch_of_arrays, screen_batch, screen_cases

Q = Fraction
SETTINGS = CheckSettings(examples=40, local_search=1)


def _expr(B, x, y):  # noqa: ANN001, ANN202 -- a test expression in backend operations
    """Every operation of the interval backend once, with cancellation and division."""
    u = B.exp(x) * B.sin(y) - B.log(1 + x * x) / (2 + B.cos(y)) + B.sqrt(B.abs(x) + 1)
    v = B.tanh(x * y) + B.atan(x) - B.ipow(x - y, 3) + B.sinh(y / 4) - B.cosh(x / 3)
    w = B.asin(y / 5) + B.acos(x / 5) + B.rpow(x * x + 1, 2, 3) + B.max(x, y) * B.min(x, -y) + B.tan(y / 3)
    return u * v - w / 7 + B.ipow(y, 2) - B.pi * B.e


def _ball_inside(ball, lo: float, hi: float) -> bool:  # noqa: ANN001
    return bool(arb(lo) <= ball.lower()) and bool(ball.upper() <= arb(hi))


def test_intervals_enclose_the_exact_value_at_rational_points() -> None:
    rng = np.random.default_rng(1)
    IB = IntervalFloatBackend()
    A = ArbBackend(200)
    pts = [(Q(int(a), 3 * 7 * 1024), Q(int(b), 5 * 1024)) for a, b in rng.integers(-4 * 21 * 1024, 4 * 21 * 1024, size=(300, 2))]
    pts = [(x, y) for x, y in pts if abs(y) < 4]
    lo_all, hi_all = [], []
    with arb_precision(200):
        for x, y in pts:
            iv = _expr(IB, IB.num(x), IB.num(y))
            exact = _expr(A, A.num(x), A.num(y))
            assert iv.finite(), (x, y)
            assert _ball_inside(exact, iv.lo, iv.hi), (x, y, iv, exact)
            lo_all.append(iv.lo)
            hi_all.append(iv.hi)
    # vectorised: the same enclosures from one call over arrays
    b = batch([Case(points={"p": p}) for p in pts])
    xs = b.x(IB, "p")
    viv = _expr(IB, xs[0], xs[1])
    assert np.all(viv.lo <= np.array(hi_all)) and np.all(viv.hi >= np.array(lo_all))
    with arb_precision(200):
        for i in range(0, len(pts), 17):
            exact = _expr(A, A.num(pts[i][0]), A.num(pts[i][1]))
            assert _ball_inside(exact, float(viv.lo[i]), float(viv.hi[i]))


BINARY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b}
UNARY = {
    name: (lambda B, x, name=name: getattr(B, name)(x))
    for name in ("exp", "sin", "cos", "tanh", "atan", "sinh", "cosh", "abs")
}
UNARY |= {
    "log": lambda B, x: B.log(B.abs(x) + B.num(Q(1, 8))),
    "sqrt": lambda B, x: B.sqrt(B.abs(x)),
    "tan": lambda B, x: B.tan(x / 4),
    "asin": lambda B, x: B.asin(x / 5),
    "acos": lambda B, x: B.acos(x / 5),
    "ipow2": lambda B, x: B.ipow(x, 2),
    "ipow3": lambda B, x: B.ipow(x, 3),
    "ipow4": lambda B, x: B.ipow(x, 4),
    "rpow": lambda B, x: B.rpow(B.abs(x) + B.num(Q(1, 8)), 2, 3),
    "square": lambda B, x: x**2,
}


def _floats(rng: np.random.Generator, n: int) -> np.ndarray:
    """Floats with full 53-bit mantissas (so sums and products are rarely exact)."""
    return rng.uniform(-3.9, 3.9, n) * (1 + rng.uniform(0, 1e-3, n))


@pytest.mark.parametrize("op", list(BINARY))
def test_each_arithmetic_operation_rounds_outward(op: str) -> None:
    rng = np.random.default_rng(2)
    IB = IntervalFloatBackend()
    fn = BINARY[op]
    with arb_precision(300):
        for a, b in zip(_floats(rng, 400), _floats(rng, 400), strict=True):
            iv = fn(IB.point(float(a)), IB.point(float(b)))  # exact float inputs, degenerate intervals
            assert _ball_inside(fn(arb(a), arb(b)), iv.lo, iv.hi), (op, a, b, iv)
        # arrays: the same enclosures elementwise
        xa, xb = _floats(rng, 200), _floats(rng, 200)
        iv = fn(IB.point(xa), IB.point(xb))
        for i in range(200):
            assert _ball_inside(fn(arb(xa[i]), arb(xb[i])), float(iv.lo[i]), float(iv.hi[i])), (op, i)
        # an exact constant with an array, on either side (the two-product path)
        for k in (float(xa[0]), -float(xa[1]), 0.0):
            left, right = fn(IB.point(k), IB.point(xb)), fn(IB.point(xb), IB.point(k))
            for i in range(200):
                assert _ball_inside(fn(arb(k), arb(xb[i])), float(left.lo[i]), float(left.hi[i])), (op, k, i)
                if k != 0.0 or op != "/":
                    assert _ball_inside(fn(arb(xb[i]), arb(k)), float(right.lo[i]), float(right.hi[i])), (op, k, i)


@pytest.mark.parametrize("name", list(UNARY))
def test_each_function_encloses_its_range_over_an_interval(name: str) -> None:
    """f([a, b]) must contain f at both ends and at points between (monotonicity and
    Lipschitz bounds are what is tested: a bound taken only at the midpoint fails)."""
    rng = np.random.default_rng(3)
    IB, A = IntervalFloatBackend(), ArbBackend(300)
    fn = UNARY[name]
    with arb_precision(300):
        for a, w in zip(_floats(rng, 150), rng.uniform(0, 0.6, 150), strict=True):
            lo, hi = float(a), float(a + w)
            iv = fn(IB, FInterval(lo, hi))
            assert iv.finite(), (name, lo, hi)
            for t in (0.0, 0.25, 0.5, 0.75, 1.0):
                x = arb(lo) + (arb(hi) - arb(lo)) * arb(t)
                assert _ball_inside(fn(A, x), iv.lo, iv.hi), (name, lo, hi, t, iv)
            ivs = fn(IB, FInterval(np.array([lo]), np.array([hi])))
            assert ivs.lo[0] <= iv.lo + abs(iv.lo) * 1e-12 + 1e-300 and ivs.hi[0] >= iv.hi - abs(iv.hi) * 1e-12 - 1e-300


def test_outside_a_domain_the_bounds_are_nan_not_a_number() -> None:
    IB = IntervalFloatBackend()
    assert not IB.log(IB.num(0)).finite()
    assert not IB.sqrt(IB.num(-1)).finite()
    assert not (IB.num(1) / (IB.num(Q(1, 3)) - IB.num(Q(1, 3)))).finite()
    assert not IB.asin(IB.num(2)).finite()
    assert not IB.exp(IB.num(1000)).finite()  # overflow
    assert not (IB.num(float("nan")) * IB.num(0)).finite()
    with pytest.raises(NotScreenable):
        bool(IB.num(1) > IB.num(0))
    with pytest.raises(NotScreenable):
        float(IB.num(1))
    with pytest.raises(NotScreenable):
        IB.lambda_min([[IB.num(1)]])


# ---------------------------------------------------------------- cancellation

BIG = st.integers(10**7, 10**8).map(lambda k: Q(3 * k + 1, 3))  # x ~ 1e7..1e8, not a float


def _cancel(tiny: Fraction):  # noqa: ANN202
    """(1 + x)^2 - 1 - 2x - x^2 + tiny: exactly ``tiny``; in float64 an error of order x^2 u ~ 1."""
    return lambda c, B: B.ipow(1 + c.p(B, "x"), 2) - 1 - 2 * c.p(B, "x") - B.ipow(c.p(B, "x"), 2) + B.num(tiny)


def _cancel_cases() -> st.SearchStrategy[Case]:
    return BIG.map(lambda x: Case(params={"x": x}, bounds={"x": Bound(Q(10**7), Q(10**8 + 1))}))


def test_plain_float64_gets_the_cancelling_margin_wrong_both_ways() -> None:
    F = FloatBackend()
    wrong_sign = 0
    for k in range(3 * 10**7, 3 * 10**7 + 200):
        c = Case(params={"x": Q(3 * k + 1, 3)})
        if _cancel(Q(-1, 10**30))(c, F) > 0:  # exactly -1e-30
            wrong_sign += 1
    assert wrong_sign > 0, "the test margin no longer fools float64: pick a larger x"


def test_a_cancelling_margin_is_never_passed_by_the_screen() -> None:
    IB = IntervalFloatBackend()
    claim = Claim("cancel", cases=_cancel_cases(), margin=_cancel(Q(1, 10**30)))
    rounding = 10.0**-25
    for k in (10**7, 10**7 + 1, 5 * 10**7, 10**8):
        lo, hi, scale = claim.screen(Case(params={"x": Q(3 * k + 1, 3)}), IB)
        assert lo <= rounding * scale <= hi  # the enclosure reaches the band: decisive


@pytest.mark.parametrize("screening", [True, False])
def test_cancelling_margins_are_decided_exactly(screening: bool) -> None:
    settings = SETTINGS.with_(screening=screening)
    holds = Claim("(1+x)^2 - 1 - 2x - x^2 + 1e-30 >= 0", cases=_cancel_cases(), margin=_cancel(Q(1, 10**30))).run(settings)
    assert holds.verdict is Verdict.CHECKED, holds.evidence
    fails = Claim("(1+x)^2 - 1 - 2x - x^2 - 1e-30 >= 0", cases=_cancel_cases(), margin=_cancel(Q(-1, 10**30))).run(settings)
    assert fails.verdict is Verdict.REFUTED, fails.evidence
    assert "-1.0000" in fails.evidence.counterexample["margin"]
    screened = holds.evidence.extra["screening"]["float64 intervals"]
    assert screened == 0  # every case of the cancelling margin went the exact way


def test_overflow_in_float64_falls_back_to_the_exact_path() -> None:
    cases = st.integers(800, 900).map(lambda k: Case(params={"x": Q(k)}))
    # exp(x) - exp(x) - 1e-40: float64 gives inf - inf = nan; exactly it is -1e-40
    bad = Claim("exp(x) - exp(x) - 1e-40 >= 0", cases=cases, margin=lambda c, B: B.exp(c.p(B, "x")) - B.exp(c.p(B, "x")) - B.num(Q(1, 10**40)))
    out = bad.run(SETTINGS)
    assert out.verdict is Verdict.REFUTED, out.evidence
    good = Claim("exp(x) - exp(x) + 1e-40 >= 0", cases=cases, margin=lambda c, B: B.exp(c.p(B, "x")) - B.exp(c.p(B, "x")) + B.num(Q(1, 10**40)))
    out = good.run(SETTINGS)
    assert out.verdict is Verdict.CHECKED and out.evidence.extra["screening"]["float64 intervals"] == 0


def test_a_margin_the_intervals_cannot_run_is_evaluated_exactly() -> None:
    cases = st.integers(-50, 50).map(lambda k: Case(params={"x": Q(k, 7)}))

    def branchy(c: Case, B) -> object:  # noqa: ANN001 -- branches on a value: not screenable
        x = c.p(B, "x")
        return x * x if x > 0 else x * x - 1  # fails at x = 0

    out = Claim("branch", cases=cases, margin=branchy).run(SETTINGS)
    assert out.verdict is Verdict.REFUTED
    assert out.evidence.extra["screening"]["float64 intervals"] == 0


# ---------------------------------------------------------------- the search, end to end


def _growth(factor: int) -> Claim:
    @st.composite
    def cases(draw: st.DrawFn) -> Case:
        f = draw(families.nonnegative_smooth())
        return Case(objective=f, points={"x": draw(families.points(f.dim))})

    return Claim(
        f"|grad F|^2 <= {factor} L F",
        cases=cases(),
        lhs=lambda c, B: B.norm2(c.objective.grad(B, c.x(B))),
        rel="<=",
        rhs=lambda c, B: factor * B.num(c.objective.constants.L) * c.objective.value(B, c.x(B)),
    )


def test_screened_search_keeps_verdicts_and_says_what_it_screened() -> None:
    right = _growth(2).run(SETTINGS)
    assert right.verdict is Verdict.CHECKED
    counts = right.evidence.extra["screening"]
    assert counts["float64 intervals"] > 0 and "passed in float64 intervals" in right.evidence.details
    assert counts["float64 intervals"] + counts["50 digits"] >= right.evidence.samples
    wrong = _growth(1).run(SETTINGS)  # mutant: the constant 2 is needed (F = a^2 (x - c)^2 / 2)
    assert wrong.verdict is Verdict.REFUTED
    off = _growth(1).run(SETTINGS.with_(screening=False))
    assert off.verdict is Verdict.REFUTED and off.evidence.extra["screening"]["float64 intervals"] == 0


def test_the_search_stops_at_the_first_confirmed_counterexample() -> None:
    seen: list[object] = []

    def margin(c: Case, B) -> object:  # noqa: ANN001
        if isinstance(B, ArbBackend):
            seen.append(c.params["x"])
        return c.p(B, "x") - 100  # false everywhere below 100

    cases = st.integers(0, 50).map(lambda k: Case(params={"x": Q(k)}))
    out = Claim("x >= 100", cases=cases, margin=margin).run(SETTINGS)
    assert out.verdict is Verdict.REFUTED
    assert len(seen) == 1  # confirmed once, then no shrinking


def test_local_search_evaluates_floats_and_rounds_only_its_result(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"rational": 0, "float": 0}
    with_vector, with_floats = Case.with_vector, Case.with_floats

    def counting_vector(self: Case, *a: object, **k: object) -> Case:
        calls["rational"] += 1
        return with_vector(self, *a, **k)  # type: ignore[arg-type]

    def counting_floats(self: Case, *a: object, **k: object) -> Case:
        calls["float"] += 1
        return with_floats(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Case, "with_vector", counting_vector)
    monkeypatch.setattr(Case, "with_floats", counting_floats)
    out = _growth(2).run(SETTINGS.with_(local_search=2))
    assert out.verdict is Verdict.CHECKED
    assert calls["float"] > 20 and calls["rational"] <= 2


def test_float_moves_stay_in_the_domain() -> None:
    c = Case(params={"t": Q(1, 2)}, points={"x": (Q(0),)}, bounds={"t": Bound(Q(0), Q(1))})
    moved = c.with_floats([5.0, -3.0])
    assert 0 < moved.params["t"] < 1 and moved.points["x"] == (-3.0,)
    closed = Case(params={"t": Q(1, 2)}, bounds={"t": Bound(Q(0), Q(1), lo_open=False, hi_open=False)})
    assert closed.with_floats([-2.0]).params["t"] == 0.0


def test_strategies_are_built_once_per_arguments() -> None:
    from theorems.cases import values_in

    assert families.points(3) is families.points(3)
    assert families.rationals(-1, 1, denominator=8) is families.rationals(-1, 1, denominator=8)
    assert families.points(3) is not families.points(2)
    b = Bound(Q(0), Q(1))
    assert values_in(b) is values_in(Bound(Q(0), Q(1)))


# ---------------------------------------------------------------- batches


def _near_half(tiny: Fraction) -> Claim:
    return Claim("x^2 - x + 1/4 - tiny >= 0", cases=st.nothing(), margin=lambda c, B: c.p(B, "x") * c.p(B, "x") - c.p(B, "x") + B.num(Q(1, 4)) - B.num(tiny))


def test_batches_find_the_same_failures_as_arb_everywhere() -> None:
    xs = [Q(k, 64) for k in range(-64, 129)] + [Q(1, 3), Q(1, 2) + Q(1, 10**12)]
    cases = [Case(params={"x": x}) for x in xs]
    claim = _near_half(Q(1, 10**20))  # fails only within 1e-10 of 1/2
    on = screen_cases(claim, cases, SETTINGS)
    off = screen_cases(claim, cases, SETTINGS.with_(screening=False))
    failing = {c.params["x"] for c, _ in off.refuted}
    assert failing == {Q(1, 2)} | {Q(1, 2) + Q(1, 10**12)}
    assert {c.params["x"] for c, _ in on.refuted} == failing
    assert on.arb < 10 and on.screened + on.arb == len(cases) and on.vectorised == len(cases)
    exact = screen_cases(_near_half(Q(0)), cases, SETTINGS)  # (x - 1/2)^2 >= 0: holds, 0 at x = 1/2
    assert not exact.refuted and not exact.undecided


def test_float_array_batches_build_exact_cases_only_for_decisive_points() -> None:
    X = np.linspace(-1, 2, 301)  # contains 0.5 exactly
    claim = _near_half(Q(1, 10**20))
    b = batch_of_arrays(None, {}, {"x": X})
    report = screen_batch(claim, b, SETTINGS)
    assert [c.params["x"] for c, _ in report.refuted] == [Q(1, 2)]
    assert report.arb <= 6


def test_non_vectorisable_margins_are_screened_one_by_one() -> None:
    def branchy(c: Case, B) -> object:  # noqa: ANN001
        x = c.p(B, "x")
        if isinstance(x, FBall) or (isinstance(x, FInterval) and not isinstance(x.lo, float)):
            raise NotScreenable("only scalars")  # neither a batch of balls nor of intervals
        return x * x + 1

    cases = [Case(params={"x": Q(k, 3)}) for k in range(20)]
    report = screen_cases(Claim("b", cases=st.nothing(), margin=branchy), cases, SETTINGS)
    assert report.vectorised == 0 and report.screened == 17 and report.holds == 3


def test_nan_never_passes_the_screen() -> None:
    claim = Claim("nan", cases=st.nothing(), margin=lambda c, B: B.log(c.p(B, "x")) * 0 + 1)
    cases = [Case(params={"x": Q(k)}) for k in (-1, 0, 1, 2)]
    report = screen_cases(claim, cases, SETTINGS)
    # log of -1 and 0 is not a real number: decided the exact way (undecidable), never passed
    assert report.screened + report.arb == 4 and len(report.undecided) == 2
    assert math.isfinite(report.smallest)


def test_a_margin_that_branches_on_a_raw_column_is_screened_case_by_case() -> None:
    """Regression (audit): ``if c.params["k"] == 2`` on a batch compared a whole tuple with 2
    (False, silently) and evaluated the wrong branch for every case; now the comparison raises
    and the batch is screened one case at a time."""

    def branchy(c: Case, B) -> object:  # noqa: ANN001
        k = c.params["k"]
        return B.num(-1) if k == 2 else B.num(1)  # fails exactly at k = 2

    cases = [Case(params={"k": Q(k)}) for k in range(6)]
    report = screen_cases(Claim("k != 2", cases=st.nothing(), margin=branchy), cases, SETTINGS)
    assert [c.params["k"] for c, _ in report.refuted] == [Q(2)] and report.vectorised == 0


def test_float64_max_and_min_take_an_array_of_points_beside_a_constant() -> None:
    """Regression: ``FloatBackend.max(array, 0.5)`` went through ``np.maximum.reduce`` of the
    tuple, which cannot stack an array with a float; a compiled Max/Min over a batch failed."""
    import sympy

    from symbolic.compile import compiled

    x = sympy.Symbol("x")
    fn = compiled([sympy.Min(x, sympy.Rational(1, 2)) + sympy.Max(x, 0)], [x])
    xs = np.array([-1.0, 0.25, 2.0])
    assert list(fn(FloatBackend(), [xs])[0]) == [-1.0, 0.5, 2.5]
