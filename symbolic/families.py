"""Objective families as hypothesis strategies, each drawn objective with certified constants.

Every coefficient is an exact rational, so any drawn objective can be evaluated exactly
or in ball arithmetic, and its constants are proven bounds (by construction, or by
interval arithmetic over a box), never estimates from sampling.
"""

from __future__ import annotations

from fractions import Fraction

import sympy
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .objectives import Box, Constants, Objective, coordinates
from .rigorous import enclose, hessian_norm_bound, lower_fraction
from .strategy_cache import cached_strategy

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


def _row_sum_norm(m: sympy.Matrix) -> Fraction:
    """max_i sum_j |m_ij|: an upper bound on the spectral norm of a symmetric matrix."""
    best = sympy.Integer(0)
    for i in range(m.rows):
        best = max(best, sum(abs(m[i, j]) for j in range(m.cols)))
    return Fraction(int(best.p), int(best.q))


# ---------------------------------------------------------------- quadratics


@st.composite
def _orthogonal(draw: st.DrawFn, dim: int) -> sympy.Matrix:
    """An exactly orthogonal rational matrix: the Cayley transform of a skew matrix."""
    s = sympy.zeros(dim, dim)
    for i in range(dim):
        for j in range(i + 1, dim):
            v = _frac(draw(rationals(-2, 2, denominator=4)))
            s[i, j], s[j, i] = v, -v
    eye = sympy.eye(dim)
    return (eye - s) * (eye + s).inv()


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
    a = q * sympy.diag(*[_frac(v) for v in lam]) * q.T
    b = [draw(rationals(-2, 2, denominator=4)) for _ in range(d)]
    xs = coordinates(d)
    r = sympy.Matrix([x - _frac(bi) for x, bi in zip(xs, b, strict=True)])
    expr = sympy.expand((r.T * a * r)[0, 0] / 2)
    nonzero = [abs(v) for v in lam if v != 0]
    convex = all(v >= 0 for v in lam)
    # the minimiser (or critical point) moved along each eigenvector, smallest |lambda| first:
    # where contraction and conditioning claims are extreme
    order = sorted(range(d), key=lambda i: abs(lam[i]))
    hard = tuple(
        tuple(Fraction(bi) + t * Fraction(int(sympy.numer(q[r, i])), int(sympy.denom(q[r, i]))) for r, bi in enumerate(b))
        for i in order
        for t in (Fraction(1), Fraction(1, 16), Fraction(2))
    )
    return Objective(
        family=f"quadratic({spectrum}, spectrum={[str(v) for v in lam]})",
        variables=xs,
        expr=expr,
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
    with the constants and hard points :func:`ridge_sums` certifies for it."""
    d = len(terms[0][2])
    xs = coordinates(d)
    expr = sympy.Integer(0)
    L = Fraction(0)
    lower: Fraction | None = Fraction(0)
    names = []
    hard: list[tuple[Fraction, ...]] = []
    for name, a, w, b in terms:
        psi, bound, psi_low = ACTIVATIONS[name]
        u = sum((_frac(wi) * x for wi, x in zip(w, xs, strict=True)), sympy.Integer(0)) + _frac(b)
        expr += _frac(a) * psi(u)
        L += abs(a) * bound * sum(wi * wi for wi in w)
        names.append(name)
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
        variables=xs,
        expr=expr,
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
    a = sympy.Matrix(rows, cols, lambda i, j: _frac(draw(rationals(-2, 2, denominator=4))))
    b = sympy.Matrix([_frac(draw(rationals(-2, 2, denominator=4))) for _ in range(rows)])
    xs = coordinates(cols)
    r = a * sympy.Matrix(xs) - b
    expr = sympy.expand((r.T * r)[0, 0] / 2)
    ata = a.T * a
    L = _row_sum_norm(ata)
    if L == 0:
        L = Fraction(1, 1000)  # F constant in x: any positive L is a Lipschitz constant of 0
    return Objective(
        family=f"least_squares({rows}x{cols})",
        variables=xs,
        expr=expr,
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
    (the bottoms of several bowls, as for ridge sums)."""
    xs = coordinates(d)
    expr = sympy.Integer(0)
    L = Fraction(0)
    parts = []
    hard: list[tuple[Fraction, ...]] = []

    def lin(w: list[Fraction], b: Fraction) -> sympy.Expr:
        return sum((_frac(wi) * x for wi, x in zip(w, xs, strict=True)), sympy.Integer(0)) + _frac(b)

    for a, w, b in softplus:
        expr += _frac(a) * sympy.log(1 + sympy.exp(lin(w, b)))
        L += a * sum(v * v for v in w) / 4
        parts.append("softplus")
    for c, w, b in cosines:
        expr += _frac(c) * (1 - sympy.cos(lin(w, b)))
        L += c * sum(v * v for v in w)
        parts.append("1-cos")
        hard.extend(ridge_hard_points(w, b, HARD_ARGUMENTS["cos"]))
    if ls is not None:
        expr += ls.expr
        assert ls.constants.L is not None
        L += ls.constants.L
        parts.append("least squares")
    return Objective(
        family=f"nonnegative_smooth({' + '.join(parts)})",
        variables=xs,
        expr=expr,
        constants=Constants(L=L, lower=Fraction(0), how="sum of nonnegative terms with certified smoothness"),
        hard_points=tuple(hard),
    )


def smooth_objectives(dim: int | tuple[int, int] = (1, 3)) -> st.SearchStrategy[Objective]:
    """Globally L-smooth objectives of every family above (quadratics, ridge sums, least squares, nonnegative)."""
    return st.one_of(quadratics(dim), ridge_sums(dim), least_squares(p=dim), nonnegative_smooth(dim))


# ---------------------------------------------------------------- polynomials on a box


def _certify_on_box(family: str, xs: tuple[sympy.Symbol, ...], expr: sympy.Expr, box: Box) -> Objective:
    grad = [sympy.diff(expr, v) for v in xs]
    hess = [[sympy.diff(g, v) for v in xs] for g in grad]
    L = hessian_norm_bound(hess, xs, box, pieces=2)
    if L == 0:
        L = Fraction(1, 8)  # F is affine: every positive number is a Lipschitz constant of its gradient
    (enc,) = enclose([expr], xs, box, pieces=3)
    return Objective(
        family=family,
        variables=xs,
        expr=expr,
        constants=Constants(
            L=L,
            region=box,
            lower=lower_fraction(enc),
            how="Arb enclosures of the Hessian entries and of F over a grid of subboxes",
        ),
    )


@st.composite
def polynomials(
    draw: st.DrawFn,
    dim: int | tuple[int, int] = (1, 2),
    *,
    degree: int = 4,
    radius: Fraction | int = 1,
) -> Objective:
    """A random polynomial of the given total degree restricted to the box [-radius, radius]^d.

    Certified on the box with Arb: L >= sup ||Hess F||_2, lower <= inf F.
    """
    if degree < 1:
        raise InvalidArgument(f"degree must be >= 1, got {degree}")
    d = draw(_dims(dim))
    xs = coordinates(d)
    monomials = sorted(sympy.itermonomials(xs, degree), key=sympy.default_sort_key)
    expr = sympy.Integer(0)
    for mono in monomials:
        if draw(st.integers(0, 2)) > 0:
            expr += _frac(draw(rationals(-2, 2, denominator=4))) * mono
    if not expr.free_symbols:
        expr += xs[0] ** 2
    box = Box.cube(d, radius)
    return _certify_on_box(f"polynomial(deg<={degree}) on [-{radius},{radius}]^{d}", xs, sympy.expand(expr), box)


@st.composite
def nonlinear_least_squares(
    draw: st.DrawFn, n: int | tuple[int, int] = (1, 2), p: int | tuple[int, int] = (1, 3), *, radius: Fraction | int = 1
) -> Objective:
    """F(x) = ||H(x) - y||^2 with H quadratic polynomial maps, certified on [-radius, radius]^p."""
    rows = draw(_dims(n))
    d = draw(_dims(p))
    xs = coordinates(d)
    expr = sympy.Integer(0)
    for _ in range(rows):
        h = sympy.Integer(0)
        for x in xs:
            h += _frac(draw(rationals(-2, 2, denominator=4))) * x
        for i, xi in enumerate(xs):
            for xj in xs[i:]:
                if draw(st.booleans()):
                    h += _frac(draw(rationals(-1, 1, denominator=4))) * xi * xj
        y = _frac(draw(rationals(-1, 1, denominator=4)))
        expr += (h - y) ** 2
    return _certify_on_box(f"nonlinear_least_squares({rows}x{d})", xs, sympy.expand(expr), Box.cube(d, radius))
