"""Structured objectives: value, gradient and Hessian from coefficient arrays, no sympy per evaluation.

A family that knows the structure of what it draws evaluates it directly:

- :class:`PolynomialStructure`: a polynomial with exact rational coefficients held as a
  python-flint ``fmpq_mpoly``; its gradient and Hessian are exact ``fmpq_mpoly`` derivatives
  (milliseconds at d = 20), evaluated from sparse term arrays (each term: a coefficient and
  at most ``degree`` pairs (variable, exponent)), in numpy float64 (vectorised over points)
  or term by term in any backend (mpmath, Arb balls).
- :class:`QuadraticStructure`: F(x) = 1/2 (x - b)^T A (x - b); grad = A (x - b), Hess = A.
- :class:`LeastSquaresStructure`: F(x) = 1/2 ||A x - b||^2; grad = A^T (A x - b), Hess = A^T A.
- :class:`RidgeStructure`: F(x) = sum_j a_j psi_j(w_j . x + b_j);
  grad = sum_j a_j psi_j'(u_j) w_j, Hess = sum_j a_j psi_j''(u_j) w_j w_j^T.

The cost of one evaluation is linear in the size of the arrays (terms x degree for a
polynomial's value, d^2 for a quadratic's gradient, terms x d for a ridge sum's gradient).
The sympy expression of F is built only on request (:meth:`expr`), for display, LaTeX,
JSON and proofs. On Arb balls every evaluation is an interval extension (each operation
encloses its exact result), so enclosures over boxes are rigorous.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import sympy
from flint import arb, arb_mat, fmpq, fmpq_mat, fmpq_mpoly, fmpq_mpoly_ctx

from .backends import ArbBackend, Backend, FloatBackend, Number, arb_precision


def _fraction(q: Any) -> Fraction:
    """An exact Fraction from a python-flint fmpq (or anything Fraction accepts)."""
    if isinstance(q, fmpq):
        return Fraction(int(q.p), int(q.q))
    return Fraction(q)


def _fmpq(q: Fraction) -> fmpq:
    return fmpq(q.numerator, q.denominator)


def _rational(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)


class _ConstantTable:
    """Rational constants (Fractions or python-flint fmpq) converted once per backend (keyed by ``backend.key``)."""

    def __init__(self, values: Sequence[Fraction] | Sequence[fmpq]) -> None:
        self.values = tuple(values)
        self._cache: dict[tuple[Any, ...], list[Number]] = {}

    def fractions(self) -> list[Fraction]:
        return [_fraction(v) for v in self.values]

    def __getstate__(self) -> dict[str, Any]:
        # pickled as Fractions, without the per-backend cache (Arb balls and fmpq do not pickle)
        return {"values": tuple(self.fractions()), "_cache": {}}

    def on(self, B: Backend) -> list[Number]:
        key = B.key
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) > 16:
                self._cache.clear()
            if key and key[0] == "arb":
                hit = [arb(v) if isinstance(v, fmpq) else B.num(v) for v in self.values]  # exact fmpq -> ball at the working precision
            else:
                hit = [B.num(_fraction(v)) for v in self.values]
            self._cache[key] = hit
        return hit


def _is_float(B: Backend) -> bool:
    """numpy float64 arithmetic (also through a wrapper that delegates ``key``)."""
    return isinstance(B, FloatBackend) or getattr(B, "key", None) == FloatBackend.key


def _stack(x: Sequence[Number]) -> np.ndarray:
    """The point as a float array of shape (d, *batch) (a batch of points when coordinates are arrays)."""
    return np.array(np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in x]), dtype=float)


# ---------------------------------------------------------------- polynomials


@lru_cache(maxsize=64)
def polynomial_context(dim: int) -> fmpq_mpoly_ctx:
    """The python-flint context of polynomials in x_1, ..., x_dim (lex order)."""
    return fmpq_mpoly_ctx.get(tuple(f"x_{i + 1}" for i in range(dim)), "lex")


class PolynomialBlock:
    """Several polynomials in the same d variables, evaluated together from sparse term arrays.

    Term t of the block belongs to output ``owner[t]`` and is ``coef[t] * prod x_i^e`` over
    its pairs (i, e), e >= 1. Evaluation costs O(sum of terms x degree) backend operations.
    """

    def __init__(self, polys: Sequence[fmpq_mpoly], dim: int) -> None:
        self.dim = dim
        self.outputs = len(polys)
        coefs: list[fmpq] = []
        exps_all: list[np.ndarray] = []
        owner: list[int] = []
        for k, p in enumerate(polys):
            if len(p) == 0:
                continue
            coefs.extend(p.coeffs())
            exps_all.append(np.array(p.monoms(), dtype=np.intp).reshape(len(p), dim))
            owner.extend([k] * len(p))
        E = np.concatenate(exps_all) if exps_all else np.zeros((0, dim), dtype=np.intp)
        counts = (E > 0).sum(axis=1)
        width = int(counts.max()) if len(counts) else 0
        # each term's nonzero exponents, in variable order, packed into `width` slots (padding: x_1^0)
        order = np.argsort(E == 0, axis=1, kind="stable")[:, :width]
        var = order.astype(np.intp)
        exp = np.take_along_axis(E, var, axis=1)
        var[exp == 0] = 0
        self._var, self._exp = var, exp
        self.max_exp = int(E.max()) if E.size else 0
        self.owner = tuple(owner)
        self._owner = np.array(owner, dtype=np.intp)
        self.coefs = _ConstantTable(coefs)
        self._coef = np.array([float(c) for c in coefs], dtype=float)

    @cached_property
    def monos(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Each term's pairs (variable, exponent >= 1), for term-by-term evaluation in mpmath or Arb."""
        return tuple(
            tuple((i, e) for i, e in zip(vr, ex, strict=True) if e) for vr, ex in zip(self._var.tolist(), self._exp.tolist(), strict=True)
        )

    @property
    def terms(self) -> int:
        return len(self.owner)

    def evaluate(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        """The values of every polynomial of the block at x, in backend B."""
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        if _is_float(B):
            return self._evaluate_float(x)
        ks = self.coefs.on(B)
        out: list[Number] = [B.num(0)] * self.outputs
        powers: dict[tuple[int, int], Number] = {}
        for t, mono in enumerate(self.monos):
            v = ks[t]
            for pair in mono:
                pw = powers.get(pair)
                if pw is None:
                    i, e = pair
                    pw = powers[pair] = x[i] if e == 1 else B.ipow(x[i], e)
                v = v * pw
            o = self.owner[t]
            out[o] = out[o] + v
        return out

    def _evaluate_float(self, x: Sequence[Number]) -> list[Number]:
        X = _stack(x)  # (d, *batch)
        batch = X.shape[1:]
        powers = np.empty((self.max_exp + 1, *X.shape))
        powers[0] = 1.0
        for e in range(1, self.max_exp + 1):
            powers[e] = powers[e - 1] * X
        mono = np.broadcast_to(self._coef.reshape((-1,) + (1,) * len(batch)), (self.terms, *batch)).copy()
        for s in range(self._var.shape[1]):
            mono *= powers[self._exp[:, s], self._var[:, s]]
        out = np.zeros((self.outputs, *batch))
        np.add.at(out, self._owner, mono)
        return [out[k] if batch else float(out[k]) for k in range(self.outputs)]


class PolynomialStructure:
    """F a polynomial with rational coefficients, held as a python-flint ``fmpq_mpoly``.

    ∇F and ∇²F are exact ``fmpq_mpoly`` derivatives (the Hessian's upper triangle only, the
    rest by symmetry), built on first use; each is evaluated from term arrays.
    """

    kind = "polynomial"

    def __init__(self, poly: fmpq_mpoly, dim: int) -> None:
        self.poly = poly
        self.dim = dim

    def __reduce__(self) -> tuple[Any, ...]:
        # python-flint objects do not pickle: rebuild from (exponents, coefficient) pairs
        terms = {tuple(int(e) for e in m): _fraction(c) for m, c in zip(self.poly.monoms(), self.poly.coeffs(), strict=True)}
        return (PolynomialStructure.from_terms, (terms, self.dim))

    @classmethod
    def from_terms(cls, terms: dict[tuple[int, ...], Fraction], dim: int) -> PolynomialStructure:
        """The polynomial sum c * x^e over ``terms`` (exponent tuple -> rational coefficient)."""
        ctx = polynomial_context(dim)
        return cls(ctx.from_dict({e: _fmpq(c) for e, c in terms.items() if c != 0}), dim)

    @property
    def terms(self) -> int:
        return len(self.poly)

    def derivatives(self) -> tuple[list[fmpq_mpoly], list[list[fmpq_mpoly]]]:
        """The exact gradient (d polynomials) and Hessian (d x d, symmetric) of F."""
        return self._derivatives

    @cached_property
    def _derivatives(self) -> tuple[list[fmpq_mpoly], list[list[fmpq_mpoly]]]:
        d = self.dim
        grad = [self.poly.derivative(i) for i in range(d)]
        hess: list[list[Any]] = [[None] * d for _ in range(d)]
        for i in range(d):
            for j in range(i, d):
                hess[i][j] = hess[j][i] = grad[i].derivative(j)
        return grad, hess

    @cached_property
    def value_block(self) -> PolynomialBlock:
        return PolynomialBlock([self.poly], self.dim)

    @cached_property
    def grad_block(self) -> PolynomialBlock:
        return PolynomialBlock(self._derivatives[0], self.dim)

    @cached_property
    def hess_block(self) -> PolynomialBlock:
        """The Hessian's upper triangle, row by row."""
        d, h = self.dim, self._derivatives[1]
        return PolynomialBlock([h[i][j] for i in range(d) for j in range(i, d)], d)

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        return self.value_block.evaluate(B, x)[0]

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        return self.grad_block.evaluate(B, x)

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        upper = self.hess_block.evaluate(B, x)
        d = self.dim
        out: list[list[Number]] = [[None] * d for _ in range(d)]
        k = 0
        for i in range(d):
            for j in range(i, d):
                out[i][j] = out[j][i] = upper[k]
                k += 1
        return out

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
        """F as an expanded sympy polynomial in ``variables`` (built on request only)."""
        return to_sympy(self.poly, variables)

    def sympy_gradient(self, variables: Sequence[sympy.Symbol]) -> tuple[sympy.Expr, ...]:
        return tuple(to_sympy(g, variables) for g in self._derivatives[0])

    def sympy_hessian(self, variables: Sequence[sympy.Symbol]) -> tuple[tuple[sympy.Expr, ...], ...]:
        return tuple(tuple(to_sympy(h, variables) for h in row) for row in self._derivatives[1])


def to_sympy(poly: fmpq_mpoly, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
    """An fmpq_mpoly as an expanded sympy expression in ``variables``."""
    out = []
    for exps, c in zip(poly.monoms(), poly.coeffs(), strict=True):
        q = _fraction(c)
        factors = [v**e for v, e in zip(variables, exps, strict=True) if e]
        out.append(sympy.Mul(_rational(q), *factors))
    return sympy.Add(*out)


def block_enclosure(block: PolynomialBlock, lo: Sequence[Fraction], hi: Sequence[Fraction], *, pieces: int = 1, bits: int = 128) -> list[Number]:
    """Arb enclosures of each polynomial of the block over the box [lo, hi].

    Each polynomial is evaluated term by term on the box's balls (an interval extension:
    O(terms x degree) ball operations per subbox); with ``pieces`` > 1, over each of the
    pieces^d subboxes, and the union is returned.
    """
    from .rigorous import ball

    B = ArbBackend(bits)
    out: list[Number] | None = None
    with arb_precision(bits):
        for sub_lo, sub_hi in _subboxes(lo, hi, pieces):
            vals = block.evaluate(B, [ball(u, v) for u, v in zip(sub_lo, sub_hi, strict=True)])
            out = vals if out is None else [u.union(v) for u, v in zip(out, vals, strict=True)]
    assert out is not None
    return out


def hessian_row_sum_bound(structure: PolynomialStructure, lo: Sequence[Fraction], hi: Sequence[Fraction], *, pieces: int = 1, bits: int = 128) -> Fraction:
    """A rational upper bound on sup over the box of ||∇²F(x)||_2 (Gershgorin, from interval enclosures).

    Each Hessian entry (upper triangle) is enclosed over the box term by term from its
    coefficients; for a symmetric matrix ||H||_2 <= max_i sum_j |H_ij| (the largest
    absolute row sum), so the bound is max_i sum_j sup|H_ij| rounded up to a rational.
    O(Hessian terms x degree) ball operations per subbox, never 3^d subboxes unless asked
    (``pieces`` > 1 splits each side, pieces^d subboxes, max over them).
    """
    from .rigorous import upper_fraction

    d = structure.dim
    block = structure.hess_block
    best = Fraction(0)
    per_box = _subboxes(lo, hi, pieces)
    with arb_precision(bits):
        for sub_lo, sub_hi in per_box:
            upper = block_enclosure(block, sub_lo, sub_hi, bits=bits)
            rows = [ArbBackend(bits).num(0)] * d
            k = 0
            for i in range(d):
                for j in range(i, d):
                    a = abs(upper[k])
                    rows[i] = rows[i] + a
                    if j != i:
                        rows[j] = rows[j] + a
                    k += 1
            best = max(best, max(upper_fraction(r) for r in rows))
    return best


def _subboxes(lo: Sequence[Fraction], hi: Sequence[Fraction], pieces: int) -> list[tuple[list[Fraction], list[Fraction]]]:
    import itertools

    axes = []
    for a, b in zip(lo, hi, strict=True):
        w = (b - a) / pieces
        axes.append([(a + i * w, a + (i + 1) * w) for i in range(pieces)])
    return [([c[0] for c in combo], [c[1] for c in combo]) for combo in itertools.product(*axes)]


# ---------------------------------------------------------------- quadratics and least squares


class _MatrixOnBackends:
    """A rational matrix, converted once per backend (float64: a numpy array)."""

    def __init__(self, rows: Sequence[Sequence[Fraction]]) -> None:
        self.rows = tuple(tuple(r) for r in rows)
        self.shape = (len(self.rows), len(self.rows[0]) if self.rows else 0)
        self._flat = _ConstantTable([v for r in self.rows for v in r])
        self.array = np.array([[float(v) for v in r] for r in self.rows], dtype=float).reshape(self.shape)

    def on(self, B: Backend) -> list[list[Number]]:
        flat = self._flat.on(B)
        n, m = self.shape
        return [flat[i * m : (i + 1) * m] for i in range(n)]

    def transposed(self) -> _MatrixOnBackends:
        hit = self.__dict__.get("_transposed")
        if hit is None:
            hit = self.__dict__["_transposed"] = _MatrixOnBackends([list(c) for c in zip(*self.rows, strict=True)])
        return hit


def _kind(B: Backend) -> str:
    """'float64', 'mpmath', 'arb' or '' (read from the backend's key, so wrappers that delegate are recognised)."""
    key = getattr(B, "key", ())
    return str(key[0]) if key else ""


def _matvec(B: Backend, M: list[list[Number]], v: Sequence[Number]) -> list[Number]:
    """M v in backend B (mpmath: ``fdot`` per row; Arb: one ``arb_mat`` product; else term by term)."""
    kind = _kind(B)
    if kind == "mpmath":
        fdot = B.ctx.fdot  # type: ignore[attr-defined]
        return [fdot(row, v) for row in M]
    if kind == "arb" and M and len(M[0]) > 1:
        prod = arb_mat(M) * arb_mat([[vi] for vi in v])
        return [prod[i, 0] for i in range(len(M))]
    out = []
    for row in M:
        total = row[0] * v[0]
        for a, b in zip(row[1:], v[1:], strict=True):
            total = total + a * b
        out.append(total)
    return out


class QuadraticStructure:
    """F(x) = 1/2 (x - b)^T A (x - b) with A symmetric rational: grad = A (x - b), Hess = A. O(d^2) per gradient."""

    kind = "quadratic"

    def __init__(self, A: Sequence[Sequence[Fraction]], b: Sequence[Fraction], eigenvalues: Sequence[Fraction] | None = None) -> None:
        self.A = _MatrixOnBackends(A)
        self.b = _ConstantTable(b)
        self.dim = len(b)
        self._b_array = np.array([float(v) for v in b], dtype=float)
        #: the exact spectrum of A where the family knows it (lets callers decide PSD-ness exactly)
        self.eigenvalues = tuple(eigenvalues) if eigenvalues is not None else None

    def _residual(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        return [xi - bi for xi, bi in zip(x, self.b.on(B), strict=True)]

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        if _is_float(B):
            X = _stack(x)
            r = X - self._b_array.reshape((-1,) + (1,) * (X.ndim - 1))
            v = 0.5 * np.einsum("i...,ij,j...->...", r, self.A.array, r)
            return v if np.ndim(v) else float(v)
        r = self._residual(B, x)
        return B.dot(r, _matvec(B, self.A.on(B), r)) / 2

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        if _is_float(B):
            X = _stack(x)
            r = X - self._b_array.reshape((-1,) + (1,) * (X.ndim - 1))
            g = np.tensordot(self.A.array, r, axes=1)
            return [g[i] if g.ndim > 1 else float(g[i]) for i in range(self.dim)]
        return _matvec(B, self.A.on(B), self._residual(B, x))

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        if _is_float(B):
            return [[float(v) for v in row] for row in self.A.array]
        return [list(row) for row in self.A.on(B)]

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
        """The expanded polynomial: sum_{i<j} A_ij x_i x_j + sum_i A_ii/2 x_i^2 - (A b)_i x_i + b^T A b / 2 (O(d^2), no sympy matrices)."""
        A, b, d = self.A.rows, self.b.fractions(), self.dim
        Ab = [sum((A[i][j] * b[j] for j in range(d)), Fraction(0)) for i in range(d)]
        terms = [_rational(sum((bi * abi for bi, abi in zip(b, Ab, strict=True)), Fraction(0)) / 2)]
        for i in range(d):
            terms.append(_rational(A[i][i] / 2) * variables[i] ** 2)
            terms.append(_rational(-Ab[i]) * variables[i])
            for j in range(i + 1, d):
                terms.append(_rational(A[i][j]) * variables[i] * variables[j])
        return sympy.Add(*terms)


class LeastSquaresStructure:
    """F(x) = 1/2 ||A x - b||^2: grad = A^T (A x - b), Hess = A^T A. O(n d) per gradient."""

    kind = "least_squares"

    def __init__(self, A: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> None:
        self.A = _MatrixOnBackends(A)
        self.b = _ConstantTable(b)
        self.dim = self.A.shape[1]
        ata = [[sum((A[k][i] * A[k][j] for k in range(len(A))), Fraction(0)) for j in range(self.dim)] for i in range(self.dim)]
        self.AtA = _MatrixOnBackends(ata)

    def _residual(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        return [ri - bi for ri, bi in zip(_matvec(B, self.A.on(B), x), self.b.on(B), strict=True)]

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        r = self._residual(B, x)
        return B.dot(r, r) / 2

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        return _matvec(B, self.A.transposed().on(B), self._residual(B, x))

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        if _is_float(B):
            return [[float(v) for v in row] for row in self.AtA.array]
        return [list(row) for row in self.AtA.on(B)]

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
        A = sympy.Matrix([[_rational(v) for v in row] for row in self.A.rows])
        b = sympy.Matrix([_rational(v) for v in self.b.fractions()])
        r = A * sympy.Matrix(list(variables)) - b
        return sympy.expand((r.T * r)[0, 0] / 2)


def cayley_orthogonal(skew: dict[tuple[int, int], Fraction], dim: int) -> fmpq_mat:
    """The exactly orthogonal rational matrix (I - S)(I + S)^{-1}, S skew with S[i, j] = skew[(i, j)] for i < j.

    Computed in python-flint's exact ``fmpq_mat`` (I + S is invertible: S skew has imaginary eigenvalues).
    """
    S = fmpq_mat(dim, dim)
    for (i, j), v in skew.items():
        S[i, j] = _fmpq(v)
        S[j, i] = -_fmpq(v)
    eye = fmpq_mat(dim, dim, [fmpq(int(i == j)) for i in range(dim) for j in range(dim)])
    return (eye - S) * (eye + S).inv()


def congruence(Q: fmpq_mat, lam: Sequence[Fraction]) -> list[list[Fraction]]:
    """Q diag(lam) Q^T, exactly (python-flint fmpq_mat), as rows of Fractions."""
    d = len(lam)
    D = fmpq_mat(d, d, [_fmpq(lam[i]) if i == j else fmpq(0) for i in range(d) for j in range(d)])
    return matrix_rows(Q * D * Q.transpose())


def matrix_rows(M: fmpq_mat) -> list[list[Fraction]]:
    """An fmpq_mat as rows of Fractions."""
    return [[_fraction(M[i, j]) for j in range(M.ncols())] for i in range(M.nrows())]


def shifted_columns(Q: fmpq_mat, b: Sequence[Fraction], order: Sequence[int], steps: Sequence[Fraction]) -> tuple[tuple[Fraction, ...], ...]:
    """The points b + t Q[:, i] for i in ``order`` and t in ``steps`` (exact, in fmpq)."""
    bq = [_fmpq(v) for v in b]
    out = []
    for i in order:
        col = [Q[r, i] for r in range(len(bq))]
        for t in steps:
            tq = _fmpq(t)
            out.append(tuple(_fraction(bv + tq * c) for bv, c in zip(bq, col, strict=True)))
    return tuple(out)


# ---------------------------------------------------------------- ridge sums


def _sigma(B: Backend, u: Number) -> Number:
    return B.num(1) / (B.num(1) + B.exp(-u))


#: activation -> (psi, psi', psi'') in backend arithmetic (each an interval extension on Arb balls)
RIDGE_ACTIVATIONS: dict[str, tuple[Callable[[Backend, Number], Number], ...]] = {
    "cos": (lambda B, u: B.cos(u), lambda B, u: -B.sin(u), lambda B, u: -B.cos(u)),
    "softplus": (
        lambda B, u: B.log(B.num(1) + B.exp(u)),
        lambda B, u: B.exp(u) / (B.num(1) + B.exp(u)),
        lambda B, u: B.exp(u) / B.ipow(B.num(1) + B.exp(u), 2),
    ),
    "tanh": (
        lambda B, u: B.tanh(u),
        lambda B, u: B.num(1) - B.ipow(B.tanh(u), 2),
        lambda B, u: -2 * B.tanh(u) * (B.num(1) - B.ipow(B.tanh(u), 2)),
    ),
    "logistic": (
        _sigma,
        lambda B, u: _sigma(B, u) * (B.num(1) - _sigma(B, u)),
        lambda B, u: _sigma(B, u) * (B.num(1) - _sigma(B, u)) * (B.num(1) - 2 * _sigma(B, u)),
    ),
}

#: activation -> psi as a sympy function (for the lazily built expression)
RIDGE_SYMPY: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "cos": lambda u: sympy.cos(u),
    "softplus": lambda u: sympy.log(1 + sympy.exp(u)),
    "tanh": lambda u: sympy.tanh(u),
    "logistic": lambda u: 1 / (1 + sympy.exp(-u)),
}


class RidgeStructure:
    """F(x) = sum_j a_j psi_j(w_j . x + b_j): grad = sum_j a_j psi_j'(u_j) w_j, Hess = sum_j a_j psi_j''(u_j) w_j w_j^T.

    O(terms x d) per value or gradient, O(terms x d^2) per Hessian.
    """

    kind = "ridge_sum"

    def __init__(self, names: Sequence[str], a: Sequence[Fraction], W: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> None:
        self.names = tuple(names)
        self.dim = len(W[0])
        self._a = _ConstantTable(a)
        self._W = _MatrixOnBackends(W)
        self._b = _ConstantTable(b)

    def _u(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        return [ui + bi for ui, bi in zip(_matvec(B, self._W.on(B), x), self._b.on(B), strict=True)]

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        total = B.num(0)
        for name, aj, uj in zip(self.names, self._a.on(B), self._u(B, x), strict=True):
            total = total + aj * RIDGE_ACTIVATIONS[name][0](B, uj)
        return total

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        out = [B.num(0)] * self.dim
        for name, aj, wj, uj in zip(self.names, self._a.on(B), self._W.on(B), self._u(B, x), strict=True):
            s = aj * RIDGE_ACTIVATIONS[name][1](B, uj)
            out = [o + s * w for o, w in zip(out, wj, strict=True)]
        return out

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        d = self.dim
        out = [[B.num(0)] * d for _ in range(d)]
        for name, aj, wj, uj in zip(self.names, self._a.on(B), self._W.on(B), self._u(B, x), strict=True):
            s = aj * RIDGE_ACTIVATIONS[name][2](B, uj)
            for i in range(d):
                si = s * wj[i]
                row = out[i]
                for k in range(d):
                    row[k] = row[k] + si * wj[k]
        return out

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
        expr = sympy.Integer(0)
        for name, aj, wj, bj in zip(self.names, self._a.fractions(), self._W.rows, self._b.fractions(), strict=True):
            u = sum((_rational(wi) * x for wi, x in zip(wj, variables, strict=True)), sympy.Integer(0)) + _rational(bj)
            expr += _rational(aj) * RIDGE_SYMPY[name](u)
        return expr
