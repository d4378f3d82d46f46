"""Objective families as hypothesis strategies, each drawn objective with certified constants.

Every coefficient is an exact rational, so any drawn objective can be evaluated exactly
or in ball arithmetic, and its constants are proven bounds (by construction, or by
interval arithmetic over a box), never estimates from sampling.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

import sympy
from flint import fmpq, fmpq_mat
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .objectives import Box, Constants, Objective, coordinates
from .rigorous import lower_fraction
from .strategy_cache import cached_strategy
from .structured import (
    LeastSquaresStructure,
    PolynomialStructure,
    QuadraticStructure,
    RidgeStructure,
    SumStructure,
    block_enclosure,
    cayley_orthogonal,
    congruence,
    hessian_row_sum_bound,
    polynomial_context,
    shifted_columns,
)

# ---------------------------------------------------------------- rational helpers


@cached_strategy
def rationals(
    min_value: Fraction | int = -2, max_value: Fraction | int = 2, *, denominator: int = 8
) -> st.SearchStrategy[Fraction]:
    """Rationals k/denominator in [min_value, max_value]."""
    lo, hi = Fraction(min_value), Fraction(max_value)
    if lo > hi:
        raise InvalidArgument(f"rationals: min_value={lo} > max_value={hi}")
    kmin = -((-lo * denominator).__floor__())
    kmax = (hi * denominator).__floor__()
    if kmin > kmax:
        raise InvalidArgument(f"no multiple of 1/{denominator} in [{lo}, {hi}]")
    return st.integers(kmin, kmax).map(lambda k: Fraction(k, denominator))


@cached_strategy
def open_interval(lo: Fraction, hi: Fraction, *, resolution: int = 1000) -> st.SearchStrategy[Fraction]:
    """Rationals strictly inside (lo, hi), including points close to each end."""
    if not lo < hi:
        raise InvalidArgument(f"open_interval: need lo < hi, got ({lo}, {hi})")
    return st.integers(1, resolution - 1).map(lambda k: lo + (hi - lo) * Fraction(k, resolution))


@cached_strategy
def points(dim: int, radius: Fraction | int = 3, *, denominator: int = 16) -> st.SearchStrategy[tuple[Fraction, ...]]:
    """Points of the cube [-radius, radius]^dim with rational coordinates."""
    return st.tuples(*[rationals(-radius, radius, denominator=denominator)] * dim)


def _frac(x: Fraction) -> sympy.Rational:
    return sympy.Rational(x.numerator, x.denominator)


@cached_strategy
def _dims(dim: int | tuple[int, int]) -> st.SearchStrategy[int]:
    if isinstance(dim, int):
        if dim < 1:
            raise InvalidArgument(f"dim must be >= 1, got {dim}")
        return st.just(dim)
    lo, hi = dim
    if not 1 <= lo <= hi:
        raise InvalidArgument(f"dim range must satisfy 1 <= lo <= hi, got {dim}")
    return st.integers(lo, hi)


def _row_sum_norm(m: Sequence[Sequence[Fraction]]) -> Fraction:
    """max_i sum_j |m_ij|: an upper bound on the spectral norm of a symmetric matrix."""
    return max((sum((abs(v) for v in row), Fraction(0)) for row in m), default=Fraction(0))


# ---------------------------------------------------------------- quadratics


#: at most this many skew entries are drawn for the Cayley transform (hypothesis's buffer
#: holds a few thousand choices); up to d = 45 every entry above the diagonal is drawn
MAX_SKEW_ENTRIES = 1000


def _skew_band(dim: int) -> int:
    """How many diagonals above the main one carry drawn skew entries (all of them when few enough)."""
    if dim * (dim - 1) // 2 <= MAX_SKEW_ENTRIES:
        return dim - 1
    return max(1, MAX_SKEW_ENTRIES // dim)


@st.composite
def _orthogonal(draw: st.DrawFn, dim: int) -> fmpq_mat:
    """An exactly orthogonal rational matrix: the Cayley transform (I - S)(I + S)^{-1} of a skew S.

    S[i, j] is drawn for 0 < j - i <= band (every pair when d(d-1)/2 <= MAX_SKEW_ENTRIES,
    else a band, so that O(d) entries are drawn); computed in python-flint's exact fmpq_mat.
    """
    band = _skew_band(dim)
    skew: dict[tuple[int, int], Fraction] = {}
    for i in range(dim):
        for j in range(i + 1, min(dim, i + band + 1)):
            v = draw(rationals(-2, 2, denominator=4))
            if v:
                skew[(i, j)] = v
    return cayley_orthogonal(skew, dim)


SPECTRA = ("convex", "strongly_convex", "indefinite", "concave", "any")


@st.composite
def quadratics(
    draw: st.DrawFn,
    dim: int | tuple[int, int] = (1, 3),
    *,
    spectrum: str = "any",
    max_eigenvalue: Fraction | int = 4,
) -> Objective:
    """F(x) = 1/2 (x - b)^T A (x - b) with A = Q diag(lambda) Q^T, Q exactly orthogonal.

    ``spectrum``: ``"convex"`` (lambda >= 0), ``"strongly_convex"`` (lambda > 0),
    ``"indefinite"`` (at least one of each sign), ``"concave"``, ``"any"``.
    Eigenvalue magnitudes are multiples of 1/8 up to ``max_eigenvalue``, or small powers
    2^-4 ... 2^-14 (ill-conditioned quadratics).
    Certified: L = max |lambda|; mu = min nonzero |lambda|; F >= 0 and minimizer b when convex.
    Q is the exact Cayley transform of a skew matrix (python-flint fmpq_mat; for d > 45 a band
    of it is drawn, so the draws stay O(d)); F is evaluated from (A, b): grad F = A (x - b).
    """
    if spectrum not in SPECTRA:
        raise InvalidArgument(f"spectrum must be one of {SPECTRA}, got {spectrum!r}")
    d = draw(_dims(dim))
    if spectrum == "indefinite" and d < 2:
        d = 2
    top = Fraction(max_eigenvalue)
    # multiples of 1/8, and small eigenvalues 2^-4 ... 2^-14 (condition numbers up to
    # 2^14 * top): a claim that fails only on ill-conditioned quadratics is exercised
    mag = st.one_of(rationals(Fraction(1, 8), top, denominator=8), st.integers(4, 14).map(lambda m: Fraction(1, 2**m)))
    lam: list[Fraction] = []
    for i in range(d):
        if spectrum == "strongly_convex":
            lam.append(draw(mag))
        elif spectrum == "convex":
            lam.append(draw(st.one_of(st.just(Fraction(0)), mag)))
        elif spectrum == "concave":
            lam.append(-draw(mag))
        elif spectrum == "indefinite":
            sign = 1 if i == 0 else -1 if i == 1 else draw(st.sampled_from([1, -1]))
            lam.append(sign * draw(mag))
        else:
            lam.append(draw(st.one_of(rationals(-top, top, denominator=8), st.builds(lambda sg, m: sg * m, st.sampled_from([1, -1]), mag))))
    if all(v == 0 for v in lam):
        lam[0] = Fraction(1)
    q = draw(_orthogonal(d))
    b = [draw(rationals(-2, 2, denominator=4)) for _ in range(d)]
    a = congruence(q, lam)
    nonzero = [abs(v) for v in lam if v != 0]
    convex = all(v >= 0 for v in lam)
    # the minimiser (or critical point) moved along each eigenvector, smallest |lambda| first:
    # where contraction and conditioning claims are extreme
    order = sorted(range(d), key=lambda i: abs(lam[i]))
    hard = shifted_columns(q, b, order, (Fraction(1), Fraction(1, 16), Fraction(2)))
    return Objective(
        family=f"quadratic({spectrum}, spectrum={[str(v) for v in lam]})",
        variables=coordinates(d),
        structure=QuadraticStructure(a, b, eigenvalues=lam),
        constants=Constants(
            L=max(abs(v) for v in lam),
            mu=min(nonzero),
            lower=Fraction(0) if convex else None,
            minimizer=tuple(b) if convex else None,
            minimum=Fraction(0) if convex else None,
            how="exact spectrum of A = Q diag(lambda) Q^T with Q orthogonal (Cayley)",
        ),
        hard_points=hard,
    )


# ---------------------------------------------------------------- ridge sums

#: activation -> (psi as a function of a sympy expression, rational bound on sup |psi''|, lower bound of psi or None)
ACTIVATIONS = {
    "cos": (lambda u: sympy.cos(u), Fraction(1), Fraction(-1)),
    "softplus": (lambda u: sympy.log(1 + sympy.exp(u)), Fraction(1, 4), Fraction(0)),
    "tanh": (lambda u: sympy.tanh(u), Fraction(77, 100), Fraction(-1)),  # 4/(3 sqrt 3) = 0.7698
    "logistic": (lambda u: 1 / (1 + sympy.exp(-u)), Fraction(1, 10), Fraction(0)),  # 1/(6 sqrt 3) = 0.0962
}


#: rational stand-in for pi in hard points (a hard point is only a place to look: it need not be exact)
_PI = Fraction(355, 113)
#: per activation, the arguments u = w.x + b where its curvature is extreme, and a few offsets:
#: cos: the bottoms and tops u = k pi (|cos''| = 1, where L is attained) in five bowls, so that
#: two points may sit in different convex bowls with a concave region between them;
#: softplus: u = 0 (softplus'' = 1/4); tanh and logistic: where |psi''| peaks (u ~ +-0.6585, +-1.317)
HARD_ARGUMENTS: dict[str, tuple[Fraction, ...]] = {
    "cos": tuple(k * _PI + t for k in range(-2, 3) for t in (Fraction(1, 16), Fraction(-1, 4))),
    "softplus": (Fraction(0), Fraction(1, 16), Fraction(-1, 4), Fraction(1)),
    "tanh": (Fraction(2, 3), Fraction(-2, 3), Fraction(2, 3) + Fraction(1, 16), Fraction(-2, 3) - Fraction(1, 4)),
    "logistic": (Fraction(4, 3), Fraction(-4, 3), Fraction(4, 3) + Fraction(1, 16), Fraction(-4, 3) - Fraction(1, 4)),
}


def ridge_hard_points(w: list[Fraction], b: Fraction, arguments: tuple[Fraction, ...]) -> list[tuple[Fraction, ...]]:
    """Points x (exact rationals) with w.x + b = s for each s in ``arguments``: the point of the
    line through the origin along w where the term's argument is s."""
    n2 = sum((wi * wi for wi in w), Fraction(0))
    return [tuple((s - b) * wi / n2 for wi in w) for s in arguments]


@st.composite
def ridge_sums(
    draw: st.DrawFn,
    dim: int | tuple[int, int] = (1, 3),
    *,
    terms: int | tuple[int, int] = (1, 3),
    activations: tuple[str, ...] = tuple(ACTIVATIONS),
) -> Objective:
    """F(x) = sum_j a_j psi_j(w_j^T x + b_j), psi in cos, softplus, tanh, logistic.

    Certified by construction: ||Hess F|| <= sum_j |a_j| sup|psi_j''| ||w_j||^2 =: L on R^d.
    Evaluated from (a, W, b): grad F = sum_j a_j psi_j'(u_j) w_j, no sympy per evaluation.
    Hard points: for each term, the points where its argument sits at the extremes of
    psi'' (:data:`HARD_ARGUMENTS`): where L is attained for one term, and (cos) the
    bottoms of several convex bowls.
    """
    bad = [a for a in activations if a not in ACTIVATIONS]
    if bad or not activations:
        raise InvalidArgument(f"unknown activations {bad}; known: {list(ACTIVATIONS)}")
    d = draw(_dims(dim))
    m = draw(_dims(terms))
    drawn: list[tuple[str, Fraction, list[Fraction], Fraction]] = []
    for _ in range(m):
        name = draw(st.sampled_from(activations))
        a = draw(rationals(-2, 2, denominator=4).filter(lambda v: v != 0))
        w = [draw(rationals(-2, 2, denominator=4)) for _ in range(d)]
        if all(v == 0 for v in w):
            w[0] = Fraction(1)
        b = draw(rationals(-2, 2, denominator=4))
        drawn.append((name, a, w, b))
    return ridge_sum(drawn)


def ridge_sum(terms: list[tuple[str, Fraction, list[Fraction], Fraction]]) -> Objective:
    """The ridge sum sum_j a_j psi_j(w_j^T x + b_j) of the given terms (activation, a, w, b),
    with the constants and hard points :func:`ridge_sums` certifies for it (evaluated from
    arrays: :class:`symbolic.structured.RidgeStructure`)."""
    d = len(terms[0][2])
    L = Fraction(0)
    lower: Fraction | None = Fraction(0)
    names: list[str] = []
    coefs: list[Fraction] = []
    weights: list[list[Fraction]] = []
    offsets: list[Fraction] = []
    hard: list[tuple[Fraction, ...]] = []
    for name, a, w, b in terms:
        _psi, bound, psi_low = ACTIVATIONS[name]
        names.append(name)
        coefs.append(a)
        weights.append(w)
        offsets.append(b)
        L += abs(a) * bound * sum(wi * wi for wi in w)
        hard.extend(ridge_hard_points(w, b, HARD_ARGUMENTS[name]))
        if lower is not None:
            if a > 0:
                lower += a * psi_low
            elif name in ("cos", "tanh", "logistic"):
                lower += a  # a < 0 times sup psi = 1
            else:
                lower = None
    return Objective(
        family=f"ridge_sum({', '.join(names)})",
        variables=coordinates(d),
        structure=RidgeStructure(names, coefs, weights, offsets),
        constants=Constants(L=L, lower=lower, how="sum_j |a_j| sup|psi''| ||w_j||^2"),
        hard_points=tuple(hard),
    )


# ---------------------------------------------------------------- least squares


@st.composite
def least_squares(
    draw: st.DrawFn, n: int | tuple[int, int] = (1, 3), p: int | tuple[int, int] = (1, 3)
) -> Objective:
    """F(x) = 1/2 ||A x - b||^2 with A in Q^{n x p}; L <= max row sum of |A^T A|, F >= 0."""
    rows = draw(_dims(n))
    cols = draw(_dims(p))
    a = [[draw(rationals(-2, 2, denominator=4)) for _ in range(cols)] for _ in range(rows)]
    b = [draw(rationals(-2, 2, denominator=4)) for _ in range(rows)]
    structure = LeastSquaresStructure(a, b)
    L = _row_sum_norm(structure.AtA.rows)
    if L == 0:
        L = Fraction(1, 1000)  # F constant in x: any positive L is a Lipschitz constant of 0
    return Objective(
        family=f"least_squares({rows}x{cols})",
        variables=coordinates(cols),
        structure=structure,
        constants=Constants(L=L, lower=Fraction(0), how="L = max row sum of |A^T A| >= ||A^T A||_2"),
    )


# ---------------------------------------------------------------- nonnegative smooth


@st.composite
def nonnegative_smooth(draw: st.DrawFn, dim: int | tuple[int, int] = (1, 3)) -> Objective:
    """Nonnegative, globally L-smooth: sum a_j softplus(.) + sum c_j (1 - cos(.)) + 1/2||Ax-b||^2.

    Every term is >= 0; L = sum a_j ||w_j||^2/4 + sum c_j ||v_j||^2 + max row sum |A^T A|.
    """
    d = draw(_dims(dim))

    def lin() -> tuple[list[Fraction], Fraction]:
        w = [draw(rationals(-2, 2, denominator=4)) for _ in range(d)]
        if all(v == 0 for v in w):
            w[0] = Fraction(1)
        b = draw(rationals(-2, 2, denominator=4))
        return w, b

    softplus: list[tuple[Fraction, list[Fraction], Fraction]] = []
    cosines: list[tuple[Fraction, list[Fraction], Fraction]] = []
    for _ in range(draw(st.integers(0, 2))):
        a = draw(rationals(Fraction(1, 4), 2, denominator=4))
        softplus.append((a, *lin()))
    for _ in range(draw(st.integers(0, 2))):
        c = draw(rationals(Fraction(1, 4), 2, denominator=4))
        cosines.append((c, *lin()))
    ls = draw(least_squares(n=(1, 3), p=d)) if draw(st.booleans()) or not (softplus or cosines) else None
    return nonnegative_sum(d, softplus, cosines, ls)


def nonnegative_sum(
    d: int,
    softplus: list[tuple[Fraction, list[Fraction], Fraction]],
    cosines: list[tuple[Fraction, list[Fraction], Fraction]],
    ls: Objective | None,
) -> Objective:
    """sum a_j softplus(w_j.x + b_j) + sum c_j (1 - cos(v_j.x + e_j)) (+ a least-squares objective),
    with the constants :func:`nonnegative_smooth` certifies and hard points of its cos terms
    (the bottoms of several bowls, as for ridge sums). Evaluated from its weights: one ridge
    sum (softplus terms a_j, cos terms -c_j), the constant sum_j c_j and the least-squares part."""
    L = Fraction(0)
    parts = []
    hard: list[tuple[Fraction, ...]] = []
    names: list[str] = []
    coefs: list[Fraction] = []
    weights: list[list[Fraction]] = []
    offsets: list[Fraction] = []
    for a, w, b in softplus:
        L += a * sum(v * v for v in w) / 4
        parts.append("softplus")
        names.append("softplus")
        coefs.append(a)
        weights.append(w)
        offsets.append(b)
    for c, w, b in cosines:
        L += c * sum(v * v for v in w)
        parts.append("1-cos")
        hard.extend(ridge_hard_points(w, b, HARD_ARGUMENTS["cos"]))
        names.append("cos")
        coefs.append(-c)  # c (1 - cos u) = c - c cos u
        weights.append(w)
        offsets.append(b)
    pieces: list[Any] = [RidgeStructure(names, coefs, weights, offsets)] if names else []
    if ls is not None:
        assert ls.constants.L is not None and ls.structure is not None
        L += ls.constants.L
        parts.append("least squares")
        pieces.append(ls.structure)
    return Objective(
        family=f"nonnegative_smooth({' + '.join(parts)})",
        variables=coordinates(d),
        structure=SumStructure(d, pieces, constant=sum((c for c, _, _ in cosines), Fraction(0))),
        constants=Constants(L=L, lower=Fraction(0), how="sum of nonnegative terms with certified smoothness"),
        hard_points=tuple(hard),
    )


def smooth_objectives(dim: int | tuple[int, int] = (1, 3)) -> st.SearchStrategy[Objective]:
    """Globally L-smooth objectives of every family above (quadratics, ridge sums, least squares, nonnegative)."""
    return st.one_of(quadratics(dim), ridge_sums(dim), least_squares(p=dim), nonnegative_smooth(dim))


# ---------------------------------------------------------------- polynomials on a box

#: a polynomial family draws every monomial (dense) when there are at most this many
#: monomials of degree <= degree in d variables; beyond, a sparse polynomial (``terms``)
MAX_DENSE_MONOMIALS = 1001  # C(14, 4): every quartic in 10 variables

#: up to this dimension the certification splits the box (2^d subboxes for L, 3^d for the
#: lower bound), as it always did; beyond, one interval evaluation over the whole box
SPLIT_UP_TO_DIM = 3


def _certify_structure(family: str, structure: PolynomialStructure, box: Box) -> Objective:
    """The polynomial objective with L and lower certified on the box by interval bounds of its coefficients.

    L: max_i sum_j sup|H_ij| over the box (>= sup ||Hess F||_2), each Hessian entry enclosed
    term by term in Arb from its exact coefficients: O(Hessian terms x degree) ball
    operations (times 2^d subboxes when d <= SPLIT_UP_TO_DIM). lower: the lower end of an
    Arb enclosure of F over the box (3^d subboxes when d <= SPLIT_UP_TO_DIM). Both are
    rigorous bounds, not the exact sup/inf.
    """
    d = box.dim
    split = d <= SPLIT_UP_TO_DIM
    L = hessian_row_sum_bound(structure, box.lo, box.hi, pieces=2 if split else 1)
    if L == 0:
        L = Fraction(1, 8)  # F is affine: every positive number is a Lipschitz constant of its gradient
    (enc,) = block_enclosure(structure.value_block, box.lo, box.hi, pieces=3 if split else 1)
    return Objective(
        family=family,
        variables=coordinates(d),
        structure=structure,
        constants=Constants(
            L=L,
            region=box,
            lower=lower_fraction(enc),
            how="Arb enclosures of the Hessian entries (max absolute row sum) and of F over the box"
            + (" (a grid of subboxes)" if split else " (term by term from the coefficients)"),
        ),
    )


@lru_cache(maxsize=32)
def _dense_monomials(dim: int, degree: int) -> tuple[tuple[int, ...], ...]:
    """Exponent vectors of every monomial of total degree <= degree, in the order the family has always drawn them."""
    xs = coordinates(dim)
    monomials = sorted(sympy.itermonomials(xs, degree), key=sympy.default_sort_key)
    return tuple(tuple(int(e) for e in sympy.Poly(m, *xs).monoms()[0]) for m in monomials)


def _count_monomials(dim: int, degree: int) -> int:
    return math.comb(dim + degree, degree)


@st.composite
def polynomials(
    draw: st.DrawFn,
    dim: int | tuple[int, int] = (1, 2),
    *,
    degree: int = 4,
    radius: Fraction | int = 1,
    terms: int | tuple[int, int] | None = None,
) -> Objective:
    """A random polynomial of the given total degree restricted to the box [-radius, radius]^d.

    ``terms=None``: each monomial of degree <= ``degree`` is kept with probability about 2/3,
    with a coefficient in [-2, 2] (multiples of 1/4), when there are at most
    MAX_DENSE_MONOMIALS of them; otherwise (or with ``terms`` given) a sparse polynomial of
    ``terms`` monomials (default between d and 4d), each of a drawn degree 0..degree in drawn
    variables. A polynomial with no nonconstant term gets + x_1^2.

    Held as a python-flint ``fmpq_mpoly`` (exact ∇F, ∇²F), evaluated from coefficient
    arrays. Certified on the box with Arb: L >= sup ||Hess F||_2, lower <= inf F.
    """
    if degree < 1:
        raise InvalidArgument(f"degree must be >= 1, got {degree}")
    d = draw(_dims(dim))
    coefs: dict[tuple[int, ...], Fraction] = {}
    if terms is None and _count_monomials(d, degree) <= MAX_DENSE_MONOMIALS:
        for exps in _dense_monomials(d, degree):
            if draw(st.integers(0, 2)) > 0:
                c = draw(rationals(-2, 2, denominator=4))
                if c:
                    coefs[exps] = c
    else:
        m = draw(_dims(terms if terms is not None else (d, 4 * d)))
        for _ in range(m):
            k = draw(st.integers(0, degree))
            exps_l = [0] * d
            for _ in range(k):
                exps_l[draw(st.integers(0, d - 1))] += 1
            c = draw(rationals(-2, 2, denominator=4).filter(lambda v: v != 0))
            key = tuple(exps_l)
            coefs[key] = coefs.get(key, Fraction(0)) + c
    if not any(c and any(e) for e, c in coefs.items()):
        square = tuple(2 if i == 0 else 0 for i in range(d))
        coefs[square] = coefs.get(square, Fraction(0)) + 1
    structure = PolynomialStructure.from_terms(coefs, d)
    box = Box.cube(d, radius)
    return _certify_structure(f"polynomial(deg<={degree}) on [-{radius},{radius}]^{d}", structure, box)


@st.composite
def nonlinear_least_squares(
    draw: st.DrawFn, n: int | tuple[int, int] = (1, 2), p: int | tuple[int, int] = (1, 3), *, radius: Fraction | int = 1
) -> Objective:
    """F(x) = ||H(x) - y||^2 with H quadratic polynomial maps, certified on [-radius, radius]^p."""
    rows = draw(_dims(n))
    d = draw(_dims(p))
    ctx = polynomial_context(d)
    total = ctx.from_dict({})
    for _ in range(rows):
        h: dict[tuple[int, ...], Fraction] = {}
        for i in range(d):
            c = draw(rationals(-2, 2, denominator=4))
            h[tuple(int(k == i) for k in range(d))] = c
        for i in range(d):
            for j in range(i, d):
                if draw(st.booleans()):
                    c = draw(rationals(-1, 1, denominator=4))
                    e = [0] * d
                    e[i] += 1
                    e[j] += 1
                    h[tuple(e)] = h.get(tuple(e), Fraction(0)) + c
        y = draw(rationals(-1, 1, denominator=4))
        hp = PolynomialStructure.from_terms(h, d).poly - fmpq(y.numerator, y.denominator)
        total = total + hp * hp
    return _certify_structure(f"nonlinear_least_squares({rows}x{d})", PolynomialStructure(total, d), Box.cube(d, radius))
