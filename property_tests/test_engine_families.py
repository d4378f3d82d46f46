"""Objective families: their certified constants really are bounds."""

from __future__ import annotations

import inspect
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from symbolic import ArbBackend, MPBackend, arb_precision, families
from symbolic.objectives import Objective
from theorems.cases import points_for

FAMILIES = {
    "quadratics": families.quadratics(),
    "ridge_sums": families.ridge_sums(),
    "least_squares": families.least_squares(),
    "nonnegative_smooth": families.nonnegative_smooth(),
    "polynomials": families.polynomials(),
    "nonlinear_least_squares": families.nonlinear_least_squares(),
}


@pytest.mark.parametrize("name", list(FAMILIES))
@settings(max_examples=15)
@given(data=st.data())
def test_hessian_norm_is_below_certified_L(name: str, data) -> None:
    f: Objective = data.draw(FAMILIES[name])
    x = data.draw(points_for(f))
    A = ArbBackend(128)
    with arb_precision(128):
        H = f.hess(A, [A.num(v) for v in x])
        lmax = A.lambda_max(H)
        lmin = A.lambda_min(H)
        L = A.num(f.constants.L)
        assert not (lmax > L) and not (-lmin > L)  # never certainly above L
        if f.constants.lower is not None:
            assert not (f.value(A, [A.num(v) for v in x]) < A.num(f.constants.lower))


@settings(max_examples=10)
@given(families.quadratics(spectrum="strongly_convex"))
def test_quadratic_constants_are_exact(f: Objective) -> None:
    MP = MPBackend(40)
    H = f.hess(MP, [MP.num(0)] * f.dim)
    assert abs(MP.lambda_max(H) - MP.num(f.constants.L)) < MP.num(Fraction(1, 10**30))
    assert abs(MP.lambda_min(H) - MP.num(f.constants.mu)) < MP.num(Fraction(1, 10**30))
    assert f(*[sp.Rational(v.numerator, v.denominator) for v in f.constants.minimizer]) == 0  # exactly


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(InvalidArgument, match="spectrum"):
        families.quadratics(spectrum="wobbly").example()
    with pytest.raises(InvalidArgument, match="activations"):
        families.ridge_sums(activations=("relu",)).example()
    with pytest.raises(InvalidArgument, match="dim"):
        families.quadratics(dim=0).example()


def test_every_public_strategy_is_documented() -> None:
    public = [n for n, obj in vars(families).items() if callable(obj) and not n.startswith("_") and getattr(obj, "__module__", "") == families.__name__]
    assert public, "no strategies found"
    for name in public:
        doc = inspect.getdoc(getattr(families, name))
        assert doc and len(doc) > 20, f"families.{name} needs a docstring"
