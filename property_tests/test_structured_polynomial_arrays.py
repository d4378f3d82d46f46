"""Term arrays of ∇F and ∇²F derived from F's arrays by index arithmetic (symbolic.structured).

The derived blocks must be python-flint's own exact derivatives, term for term and in flint's
order (so that float64 sums are bit-identical to the old path, which read each flint
derivative's terms), with exact rational coefficients: compared exactly on random
polynomials (d <= 6), in float64 / mpmath / Arb against the old construction, and Arb balls
must enclose the exact rational values (flint's fmpq evaluation) at random rational points.
Mutants (a factor e_j off by one, an exponent not lowered) are shown to be caught.
"""

from __future__ import annotations

import pickle
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from flint import fmpq, fmpq_mpoly
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.families import (
    old_block_arrays,  # the previous build, kept there as the benchmark's baseline
)
from symbolic import ArbBackend, FloatBackend, MPBackend, arb_precision
from symbolic.rigorous import lower_fraction, upper_fraction
from symbolic.structured import PolynomialBlock, PolynomialStructure, _TermCoefficients

FLOAT, MP = FloatBackend(), MPBackend(50)


def _rational() -> st.SearchStrategy[Fraction]:
    small = st.builds(Fraction, st.integers(-40, 40), st.sampled_from([1, 2, 3, 4, 7, 12]))
    huge = st.builds(Fraction, st.integers(-(2**70), 2**70), st.integers(1, 2**64))  # beyond float64's exact integers
    return st.one_of(small, small, huge)


@st.composite
def term_dicts(draw: st.DrawFn, max_dim: int = 6) -> tuple[dict[tuple[int, ...], Fraction], int]:
    """Random sparse polynomials in d <= 6 variables (zero coefficients and, rarely, exponents >= 256 included)."""
    d = draw(st.integers(1, max_dim))
    exponent = st.one_of(st.integers(0, 3), st.integers(0, 3), st.integers(0, 6), st.just(300))
    keys = draw(st.lists(st.tuples(*[exponent] * d), max_size=14, unique=True))
    return {k: draw(_rational()) for k in keys}, d


def _flint_terms(p: fmpq_mpoly) -> list[tuple[tuple[int, ...], Fraction]]:
    """The terms of a python-flint polynomial, in flint's order, with exact Fraction coefficients."""
    return [(tuple(int(e) for e in m), Fraction(int(c.p), int(c.q))) for m, c in zip(p.monoms(), p.coeffs(), strict=True)]


def _block_terms(block: PolynomialBlock) -> list[list[tuple[tuple[int, ...], Fraction]]]:
    """Each output's terms, in the block's order, with exact coefficients."""
    out: list[list[tuple[tuple[int, ...], Fraction]]] = [[] for _ in range(block.outputs)]
    for k, q, mono in zip(block.owner, block.coefs.fractions(), block.monos, strict=True):
        e = [0] * block.dim
        for i, p in mono:
            e[i] = p
        out[k].append((tuple(e), q))
    return out


def _encloses(ball: Any, q: fmpq) -> bool:
    """The exact rational q lies in the ball (its ends read exactly as rationals)."""
    exact = Fraction(int(q.p), int(q.q))
    return lower_fraction(ball) <= exact <= upper_fraction(ball)


def _flint_blocks(p: PolynomialStructure) -> tuple[list[fmpq_mpoly], list[fmpq_mpoly], list[fmpq_mpoly]]:
    grad, hess = p.derivatives()
    d = p.dim
    return [p.poly], grad, [hess[i][j] for i in range(d) for j in range(i, d)]


@settings(max_examples=60, deadline=None)
@given(term_dicts())
def test_derived_blocks_are_flints_derivatives_exactly(case: tuple[dict[tuple[int, ...], Fraction], int]) -> None:
    """F, ∇F and ∇²F's upper triangle: every term (exponents, exact coefficient) equal to flint's, in flint's order."""
    terms, d = case
    p = PolynomialStructure.from_terms(terms, d)
    assert _flint_terms(p.poly) == [(k, c) for k, c in sorted(terms.items(), reverse=True) if c]  # the lazy poly is F
    for block, polys in zip((p.value_block, p.grad_block, p.hess_block), _flint_blocks(p), strict=True):
        assert block.outputs == len(polys)
        assert _block_terms(block) == [_flint_terms(q) for q in polys]


@settings(max_examples=40, deadline=None)
@given(term_dicts())
def test_arrays_and_floats_are_the_old_paths(case: tuple[dict[tuple[int, ...], Fraction], int]) -> None:
    """The same (variable, exponent) arrays, owners and float64 coefficients as the old construction from flint's
    derivatives (so float64 evaluation is bit-identical); float64 coefficients correctly rounded from the exact ones."""
    terms, d = case
    p = PolynomialStructure.from_terms(terms, d)
    for block, polys in zip((p.value_block, p.grad_block, p.hess_block), _flint_blocks(p), strict=True):
        var, exp, owner, coef = old_block_arrays(polys, d)
        assert np.array_equal(block._var, var) and np.array_equal(block._exp, exp)
        assert np.array_equal(block._owner, owner)
        assert np.array_equal(block._coef, coef)
        assert block._coef.tolist() == [float(q) for q in block.coefs.fractions()]


@settings(max_examples=30, deadline=None)
@given(term_dicts(), st.data())
def test_arb_encloses_the_exact_values_and_backends_agree_with_the_old_path(case: tuple[dict[tuple[int, ...], Fraction], int], data: st.DataObject) -> None:
    """At a random rational point: Arb balls of F, ∇F, ∇²F contain flint's exact fmpq values; mpmath and Arb give
    the same numbers as blocks built the old way (from flint's derivative polynomials)."""
    terms, d = case
    if any(e > 6 for k in terms for e in k):
        terms = {k: c for k, c in terms.items() if max(k, default=0) <= 6}  # x^300 at a rational point: huge exact values
    p = PolynomialStructure.from_terms(terms, d)
    x = data.draw(st.lists(st.builds(Fraction, st.integers(-9, 9), st.integers(1, 7)), min_size=d, max_size=d))
    xq = [fmpq(v.numerator, v.denominator) for v in x]
    with arb_precision(128):
        B = ArbBackend(128)
        xb = [B.num(v) for v in x]
        for block, polys in zip((p.value_block, p.grad_block, p.hess_block), _flint_blocks(p), strict=True):
            old = PolynomialBlock.from_polys(polys, d)
            balls = block.evaluate(B, xb)
            for ball, q, ref in zip(balls, polys, old.evaluate(B, xb), strict=True):
                assert _encloses(ball, q(*xq)), (ball, q)
                assert ball.mid() == ref.mid() and ball.rad() == ref.rad()
            xm = [MP.num(v) for v in x]
            assert block.evaluate(MP, xm) == old.evaluate(MP, xm)
            xf = [float(v) for v in x]
            assert block.evaluate(FLOAT, xf) == old.evaluate(FLOAT, xf)


def _mutant(block: PolynomialBlock, *, factor_plus_one: bool = False, keep_exponent: bool = False) -> PolynomialBlock:
    """The block with one term's derivative done wrong: its factor e_j + 1, or its exponent not lowered."""
    var, exp, coefs = block._var.copy(), block._exp.copy(), block.coefs
    t = int(np.flatnonzero(exp[:, 0] > 0)[0])
    if factor_plus_one:
        mult = coefs.mult.copy()
        mult[t] += 1  # c (e_j + 1) instead of c e_j
        coefs = _TermCoefficients(coefs.base, coefs.src, mult)
    if keep_exponent:
        exp[t, 0] += 1
    return PolynomialBlock(block.dim, block.outputs, block._owner, var, exp, coefs)


@pytest.mark.parametrize("wrong", ["factor_plus_one", "keep_exponent"])
def test_a_wrong_derivative_is_caught_by_both_comparisons(wrong: str) -> None:
    """The exact comparison and the Arb enclosure each reject a block whose derivative is wrong in one term."""
    terms: dict[tuple[int, ...], Fraction] = {(3, 1, 0): Fraction(5, 3), (1, 2, 2): Fraction(-7, 4), (0, 0, 4): Fraction(1, 2), (2, 0, 1): Fraction(3)}
    p = PolynomialStructure.from_terms(terms, 3)
    _, grad, _ = _flint_blocks(p)
    bad = _mutant(p.grad_block, **{wrong: True})
    assert _block_terms(bad) != [_flint_terms(q) for q in grad]
    x = [Fraction(2, 3), Fraction(-5, 7), Fraction(3, 2)]
    xq = [fmpq(v.numerator, v.denominator) for v in x]
    with arb_precision(128):
        B = ArbBackend(128)
        balls = bad.evaluate(B, [B.num(v) for v in x])
        assert not all(_encloses(b, q(*xq)) for b, q in zip(balls, grad, strict=True))


def test_edge_polynomials() -> None:
    """Zero polynomial, constants, one variable, exponents >= 256 and huge exponents (flint's derivatives) agree with flint."""
    cases: list[tuple[dict[tuple[int, ...], Fraction], int]] = [
        ({}, 3),
        ({(0, 0): Fraction(5)}, 2),
        ({(0, 0): Fraction(0), (1, 0): Fraction(0)}, 2),
        ({(1,): Fraction(2, 3)}, 1),
        ({(300, 1): Fraction(1, 5), (0, 257): Fraction(-3)}, 2),
        ({(2**21, 1): Fraction(1, 5), (1, 1): Fraction(1)}, 2),  # beyond _MAX_ARRAY_EXPONENT: flint's derivatives
    ]
    for terms, d in cases:
        p = PolynomialStructure.from_terms(terms, d)
        for block, polys in zip((p.value_block, p.grad_block, p.hess_block), _flint_blocks(p), strict=True):
            assert _block_terms(block) == [_flint_terms(q) for q in polys], (terms, d)
        assert pickle.loads(pickle.dumps(p)).arrays[1].nums == p.arrays[1].nums


def test_structure_from_a_flint_polynomial_reads_its_terms() -> None:
    """PolynomialStructure(poly, d) (e.g. a nonlinear least-squares sum built by flint arithmetic) derives the same blocks."""
    a = PolynomialStructure.from_terms({(1, 1, 0): Fraction(1, 2), (0, 1, 1): Fraction(-1), (0, 0, 0): Fraction(3)}, 3).poly
    p = PolynomialStructure(a * a - 2 * a, 3)
    for block, polys in zip((p.value_block, p.grad_block, p.hess_block), _flint_blocks(p), strict=True):
        assert _block_terms(block) == [_flint_terms(q) for q in polys]


def test_bad_terms_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="has 1 entries, expected 2"):
        PolynomialStructure.from_terms({(1, 0): Fraction(1), (1,): Fraction(2)}, 2)
    with pytest.raises(ValueError, match="negative exponent"):
        PolynomialStructure.from_terms({(1, -1): Fraction(1)}, 2)
    with pytest.raises(TypeError):
        PolynomialStructure.from_terms({(1.5, 0): Fraction(1)}, 2)  # type: ignore[dict-item]


def test_d20_build_is_arrays_only() -> None:
    """At d = 20 the structure and its derivative blocks are built without a python-flint polynomial (built on request)."""
    rng = np.random.default_rng(0)
    terms = {tuple(int(v) for v in rng.multinomial(4, [1 / 21] * 21)[:20]): Fraction(int(rng.integers(1, 9)), 4) for _ in range(500)}
    p = PolynomialStructure.from_terms(terms, 20)
    assert p.hess_block.outputs == 210 and p._poly is None
    g = p.grad(FLOAT, [0.5] * 20)
    exact = [q(*[fmpq(1, 2)] * 20) for q in p.derivatives()[0]]
    assert np.allclose(g, [float(v) for v in exact], rtol=1e-12, atol=1e-12)
