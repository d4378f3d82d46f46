"""PEPit worst cases turned into explicit functions, confirmed in Arb (skipped without PEPit)."""

from __future__ import annotations

from fractions import Fraction as Q

import pytest

from symbolic import ArbBackend, arb_precision
from symbolic.iterates import iterate
from symbolic.pep import available, worst_case

pytestmark = pytest.mark.skipif(not available(), reason="PEPit with cvxpy and Clarabel or SCS is not installed (pip install 'theorems[pep]')")


def test_gd_worst_case_is_the_tight_bound_and_the_fitted_function_attains_it() -> None:
    """PEPit's value for GD, step 1/L, is L R^2/(4k+2) (Drori-Teboulle); the fitted explicit Huber
    function, evaluated in Arb from exact data, is within 0.1% of it and above the false L R^2/(8k)."""
    for k in (1, 3):
        w = worst_case("gd", "value", Q(1), Q(0), k, (Q(1),))
        assert abs(w.pep_value - 1 / (4 * k + 2)) < 1e-6
        f = w.objective
        assert f.constants.L == 1 and f.constants.minimum == 0 and f.constants.minimizer == (0,)
        B = ArbBackend(128)
        with arb_precision(128):
            v = f.value(B, iterate(f, B, "gd", [B.num(1)], k, [B.num(1)]))
            assert v <= B.num(Q(1, 4 * k + 2))  # a function of the class: never above the true worst case
            assert v > B.num(Q(999, 1000)) * B.num(Q(1, 4 * k + 2))
            assert v > B.num(Q(1, 8 * k))


def test_distance_worst_case_of_strongly_convex_gd_is_the_flat_quadratic() -> None:
    """||x_k - x*||^2 after 3 steps of GD with step 1/L, mu = L/10: (1 - mu/L)^6 (the quadratic of
    curvature mu); the fitted function comes within 10^-5 of it."""
    w = worst_case("gd", "dist", Q(1), Q(1, 10), 3, (Q(1),))
    assert abs(w.pep_value - 0.9**6) < 1e-5
    assert abs(float(w.fitted_value.split(" ")[0].strip("[")) - 0.9**6) < 1e-5


def test_bad_requests_are_refused() -> None:
    with pytest.raises(ValueError, match="not 'sgd'"):
        worst_case("sgd", "value", Q(1), Q(0), 1, (Q(1),))
    with pytest.raises(ValueError, match="mu < L"):
        worst_case("gd", "value", Q(1), Q(1), 1, (Q(1),))
