"""Float64 balls with one error bound per batch (symbolic.float_balls): every value they
give encloses the exact one, at every point of the batch.

The exact values come from Arb at 300 bits; "enclosed" means the whole Arb ball lies inside
the per-point bounds. A test that strips the rounding terms from the bounds shows the
enclosure tests can fail.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from flint import arb
from hypothesis import given, settings
from hypothesis import strategies as st

from symbolic import ArbBackend, Case, CheckSettings, Claim, arb_precision, float_balls
from symbolic.float_balls import BallFloatBackend, FBall
from symbolic.float_intervals import NotScreenable
from symbolic.screening import batch, batch_of_arrays, exact_column, screen_batch

Q = Fraction
BB = BallFloatBackend()
A = ArbBackend(300)


def _inside(ball: Any, lo: float, hi: float) -> bool:
    return bool(arb(lo) <= ball.lower()) and bool(ball.upper() <= arb(hi))


def _column(values: list[Fraction]) -> FBall:
    lo, hi = exact_column(values)
    return BB.column(lo, hi)


def _expr(B: Any, x: Any, y: Any) -> Any:
    """Every operation the balls support, with cancellation, division and wide ranges."""
    u = B.exp(x) * B.sin(y) - B.log(1 + x * x) / (2 + B.cos(y)) + B.sqrt(B.abs(x) + 1)
    v = B.tanh(x * y) + B.atan(x) - B.ipow(x - y, 3) + B.sinh(y / 4) - B.cosh(x / 3)
    w = B.rpow(x * x + 1, 2, 3) + B.max(x, y) * B.min(x, -y) + B.ipow(x + y, 4) / (3 + x * x)
    return u * v - w / 7 + B.ipow(y, 2) - B.pi * B.e


def _points(seed: int, n: int) -> list[tuple[Fraction, Fraction]]:
    rng = np.random.default_rng(seed)
    return [(Q(int(a), 3 * 7 * 1024), Q(int(b), 5 * 1024)) for a, b in rng.integers(-4 * 21 * 1024, 4 * 21 * 1024, size=(n, 2))]


def _check_enclosed(fn: Callable[[Any, Any, Any], Any], pts: list[tuple[Fraction, Fraction]]) -> int:
    """How many points are NOT enclosed (0 is the claim); finite bounds required."""
    b = batch([Case(points={"p": p}) for p in pts])
    xs = b.x(BB, "p")
    enc = BB.enclose(fn(BB, xs[0], xs[1]))
    missed = 0
    with arb_precision(300):
        for i, (x, y) in enumerate(pts):
            assert np.isfinite(enc.lo[i]) and np.isfinite(enc.hi[i]), (x, y)
            if not _inside(fn(A, A.num(x), A.num(y)), float(enc.lo[i]), float(enc.hi[i])):
                missed += 1
    return missed


def test_balls_enclose_the_exact_value_at_rational_points() -> None:
    assert _check_enclosed(_expr, _points(1, 300)) == 0


def test_balls_give_bounds_as_narrow_as_the_screen_needs() -> None:
    """Not only enclosures: 2^-30-relative bounds where the values are of one scale, so that the
    screen passes points (a ball of radius 1 would enclose too)."""
    pts = [(x, y) for x, y in _points(2, 200) if abs(x) < 2]
    b = batch([Case(points={"p": p}) for p in pts])
    xs = b.x(BB, "p")
    enc = BB.enclose(B_margin(BB, xs[0], xs[1]))
    assert np.all(enc.hi - enc.lo <= 2.0**-30 * np.abs(enc.lo))


def B_margin(B: Any, x: Any, y: Any) -> Any:  # noqa: N802 -- a test expression
    return B.exp(x) * (2 + B.sin(y)) + B.log(3 + x * x) + B.sqrt(4 + y * y)


BINARY: dict[str, Callable[[Any, Any], Any]] = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b}


@pytest.mark.parametrize("op", list(BINARY))
def test_each_operation_on_inexact_operands_encloses(op: str) -> None:
    """Operands that are themselves inexact (rationals 1/3-ish, and a constant 1/7) on both sides."""
    rng = np.random.default_rng(3)
    fn = BINARY[op]
    xs = [Q(int(k), 3 * 1024) + Q(1, 7) for k in rng.integers(-4000, 4000, 200)]
    ys = [Q(int(k), 5 * 1024) + Q(5, 1) for k in rng.integers(1, 4000, 200)]  # > 0: a divisor
    bx, by = _column(xs), _column(ys)
    for left, right, pairs in (
        (bx, by, list(zip(xs, ys, strict=True))),
        (bx, BB.num(Q(1, 7)), [(x, Q(1, 7)) for x in xs]),
        (BB.num(Q(2, 3)), by, [(Q(2, 3), y) for y in ys]),
    ):
        enc = BB.enclose(fn(left, right))
        with arb_precision(300):
            for i, (x, y) in enumerate(pairs):
                assert _inside(fn(A.num(x), A.num(y)), float(enc.lo[i]), float(enc.hi[i])), (op, x, y)


UNARY: dict[str, Callable[[Any, Any], Any]] = {
    "exp": lambda B, x: B.exp(x),
    "log": lambda B, x: B.log(B.abs(x) + B.num(Q(1, 8))),
    "sqrt": lambda B, x: B.sqrt(B.abs(x)),
    "sqrt-positive": lambda B, x: B.sqrt(x * x + 1),
    "sin": lambda B, x: B.sin(x),
    "cos": lambda B, x: B.cos(x),
    "tanh": lambda B, x: B.tanh(x),
    "atan": lambda B, x: B.atan(x),
    "sinh": lambda B, x: B.sinh(x),
    "cosh": lambda B, x: B.cosh(x),
    "abs": lambda B, x: B.abs(x),
    "ipow2": lambda B, x: B.ipow(x, 2),
    "ipow3": lambda B, x: B.ipow(x, 3),
    "ipow5": lambda B, x: B.ipow(x, 5),
    "ipow3-positive": lambda B, x: B.ipow(x * x + 1, 3),
    "rpow": lambda B, x: B.rpow(B.abs(x) + B.num(Q(1, 8)), 2, 3),
    "max": lambda B, x: B.max(x, -x / 2, B.num(Q(1, 3))),
    "min": lambda B, x: B.min(x, B.num(Q(-1, 3))),
    "inverse": lambda B, x: 1 / (x * x + B.num(Q(1, 5))),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_each_function_of_an_inexact_argument_encloses(name: str) -> None:
    rng = np.random.default_rng(4)
    xs = [Q(int(k), 3 * 1024) for k in rng.integers(-4 * 3 * 1024, 4 * 3 * 1024, 300)] + [Q(0), Q(1, 3)]
    enc = BB.enclose(UNARY[name](BB, _column(xs)))
    with arb_precision(300):
        for i, x in enumerate(xs):
            assert np.isfinite(enc.lo[i]), (name, x)
            assert _inside(UNARY[name](A, A.num(x)), float(enc.lo[i]), float(enc.hi[i])), (name, x, enc.lo[i], enc.hi[i])


# a random expression tree, as a function of a backend and two arguments
_LEAVES = st.sampled_from(["x", "y", "1/3", "2", "-5/7"])
_UN = st.sampled_from(["exp_s", "log", "sqrt", "sin", "cos", "tanh", "atan", "abs", "sq", "cube", "inv", "neg"])
_BIN = st.sampled_from(["+", "-", "*", "max", "min"])
Tree = Any
trees: st.SearchStrategy[Tree] = st.recursive(
    _LEAVES,
    lambda kids: st.one_of(st.tuples(_UN, kids), st.tuples(_BIN, kids, kids)),
    max_leaves=24,
)


def _eval(t: Tree, B: Any, x: Any, y: Any) -> Any:
    if isinstance(t, str):
        return {"x": x, "y": y}.get(t) if t in ("x", "y") else B.num(Q(t))
    if len(t) == 2:
        op, (a) = t[0], _eval(t[1], B, x, y)
        return {
            "exp_s": lambda: B.exp(B.tanh(a) * 3),  # bounded argument: no overflow
            "log": lambda: B.log(B.abs(a) + B.num(Q(1, 4))),
            "sqrt": lambda: B.sqrt(B.abs(a)),
            "sin": lambda: B.sin(a),
            "cos": lambda: B.cos(a),
            "tanh": lambda: B.tanh(a),
            "atan": lambda: B.atan(a),
            "abs": lambda: B.abs(a),
            "sq": lambda: B.ipow(B.tanh(a) * 4, 2),
            "cube": lambda: B.ipow(B.atan(a), 3),
            "inv": lambda: 1 / (a * a + B.num(Q(1, 2))),
            "neg": lambda: -a,
        }[op]()
    op, a, b = t[0], _eval(t[1], B, x, y), _eval(t[2], B, x, y)
    if op == "max":
        return B.max(a, b)
    if op == "min":
        return B.min(a, b)
    return BINARY[op](a, b)


@settings(max_examples=150, deadline=None)
@given(trees, st.integers(0, 10**6))
def test_random_expressions_are_enclosed_at_every_point(tree: Tree, seed: int) -> None:
    pts = _points(seed, 40)
    try:
        assert _check_enclosed(lambda B, x, y: _eval(tree, B, x, y) + 0 * x, pts) == 0
    except NotScreenable:
        pass  # a range reaching a domain's edge: the batch goes to the interval screen


def _cancelling(B: Any, x: Any, y: Any) -> Any:
    """(1000 x + 1/3)^2 - (1000 x)^2 - 2000 x / 3 + y, exactly y + 1/9: float64 loses ~9 digits."""
    return B.ipow(x * 1000 + B.num(Q(1, 3)), 2) - B.ipow(x * 1000, 2) - x * B.num(Q(2000, 3)) + y


def _dyadic_points(seed: int, n: int) -> list[tuple[Fraction, Fraction]]:
    """Exact floats (so only the rounding of the operations makes errors)."""
    rng = np.random.default_rng(seed)
    return [(Q(int(a), 2**20), Q(int(b), 2**20)) for a, b in rng.integers(-4 * 2**20, 4 * 2**20, size=(n, 2))]


def test_a_cancelling_expression_is_enclosed() -> None:
    assert _check_enclosed(_cancelling, _points(5, 200)) == 0
    assert _check_enclosed(_cancelling, _dyadic_points(5, 200)) == 0


def test_the_enclosure_tests_fail_without_the_rounding_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests above can fail: with the rounding terms of the bounds set to 0 (only the
    propagation of errors kept), exact values fall outside."""
    monkeypatch.setattr(float_balls, "_U", 0.0)
    monkeypatch.setattr(float_balls, "_LIBM", 0.0)
    monkeypatch.setattr(float_balls, "_PAD", 1.0)
    monkeypatch.setattr(float_balls, "_SUB", 0.0)
    assert _check_enclosed(_cancelling, _dyadic_points(5, 200)) > 0


def test_what_the_balls_cannot_bound_is_not_screenable() -> None:
    x = _column([Q(k, 4) for k in range(-8, 9)])
    for fn in (lambda: BB.log(x), lambda: 1 / x, lambda: BB.tan(x), lambda: BB.asin(x / 4), lambda: bool(x > 0), lambda: float(x)):
        with pytest.raises(NotScreenable):
            fn()
    with pytest.raises(NotScreenable):
        BB.sqrt(x - 3)  # a range below 0


def test_a_batch_the_balls_do_not_pass_goes_to_the_intervals_then_arb() -> None:
    """Points of very different scales: one radius for the batch is too wide for the small
    margins, so those are screened again in per-point intervals; the verdicts are those of
    Arb at every point."""
    X = np.concatenate([np.linspace(-1, 1, 50), [1e6, -1e6]])
    claim = Claim("x^2 + 1/1000 > 0", cases=st.nothing(), margin=lambda c, B: c.p(B, "x") * c.p(B, "x") + B.num(Q(1, 1000)), rel=">")
    report = screen_batch(claim, batch_of_arrays(None, {}, {"x": X}), CheckSettings())
    assert report.balls < len(X) and report.screened + report.arb == len(X) and not report.refuted
    off = screen_batch(claim, batch_of_arrays(None, {}, {"x": X}), CheckSettings(screening=False))
    assert off.holds == len(X)


def test_a_cancelling_margin_is_never_passed_by_the_balls() -> None:
    """(1 + x)^2 - 1 - 2x - x^2 - 1e-30 (exactly -1e-30) at x ~ 1e7: float64 errs by ~1."""
    xs = [Q(3 * k + 1, 3) for k in range(10**7, 10**7 + 50)]
    b = batch([Case(params={"x": x}) for x in xs])
    claim = Claim("cancel", cases=st.nothing(), margin=lambda c, B: B.ipow(1 + c.p(B, "x"), 2) - 1 - 2 * c.p(B, "x") - B.ipow(c.p(B, "x"), 2) - B.num(Q(1, 10**30)))
    report = screen_batch(claim, b, CheckSettings())
    assert report.balls == 0 and len(report.refuted) == 50
