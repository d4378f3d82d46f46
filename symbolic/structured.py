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

import itertools
import operator
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


class _Rationals:
    """Exact rationals held as numerator and denominator lists (Python ints), converted on demand.

    The coefficients of F; the blocks of F, ∇F and ∇²F share one instance (each of their
    terms is one of these times an integer), so nothing is converted twice.
    """

    def __init__(self, nums: list[int], dens: list[int]) -> None:
        self.nums, self.dens = nums, dens

    @classmethod
    def of(cls, values: Sequence[Any]) -> _Rationals:
        """From Fractions, ints or python-flint fmpq."""
        qs = [v if isinstance(v, Fraction) else _fraction(v) for v in values]
        return cls([q.numerator for q in qs], [q.denominator for q in qs])

    def __len__(self) -> int:
        return len(self.nums)

    def __getstate__(self) -> dict[str, Any]:
        return {"nums": self.nums, "dens": self.dens}  # without the cached conversions

    def take(self, order: list[int]) -> _Rationals:
        """The rationals at the given positions."""
        nums, dens = self.nums, self.dens
        return _Rationals([nums[i] for i in order], [dens[i] for i in order])

    @cached_property
    def bounds(self) -> tuple[int, int]:
        """(max |numerator|, max denominator), 0 when empty."""
        return (max(map(abs, self.nums), default=0), max(self.dens, default=0))

    @cached_property
    def int64(self) -> tuple[np.ndarray, np.ndarray]:
        """Numerators and denominators as int64 arrays (only called when both are at most 2^53 in size)."""
        n = len(self.nums)
        return np.fromiter(self.nums, dtype=np.int64, count=n), np.fromiter(self.dens, dtype=np.int64, count=n)


class _TermCoefficients:
    """The exact coefficient of each term of a block: ``base[src[t]] * mult[t]``, ``mult`` a positive integer.

    A derivative's term c e_j x^(e - δ_j) keeps the index of c in F and multiplies its
    integer factor by e_j, so no rational arithmetic happens until a backend asks:
    float64 gets the correctly rounded value of each exact rational (numpy, one pass),
    mpmath and Arb get exact fmpq converted once per backend (as python-flint's own
    derivative coefficients would be).
    """

    def __init__(self, base: _Rationals, src: np.ndarray, mult: np.ndarray) -> None:
        self.base, self.src, self.mult = base, src, mult

    def __len__(self) -> int:
        return len(self.src)

    def __getstate__(self) -> dict[str, Any]:
        return {"base": self.base, "src": self.src, "mult": self.mult}  # without the cached conversions

    def scaled(self, terms: np.ndarray, factor: np.ndarray) -> _TermCoefficients:
        """The coefficients of the given terms, each times an integer factor."""
        return _TermCoefficients(self.base, self.src[terms], self.mult[terms] * factor)

    def _pairs(self) -> zip[tuple[int, int]]:
        return zip(self.src.tolist(), self.mult.tolist(), strict=True)

    def fractions(self) -> list[Fraction]:
        nums, dens = self.base.nums, self.base.dens
        return [Fraction(nums[s] * m, dens[s]) for s, m in self._pairs()]

    @cached_property
    def floats(self) -> np.ndarray:
        """Each coefficient rounded to the nearest float64 (the exact rational's, not a product of roundings)."""
        if not len(self):
            return np.zeros(0)
        max_num, max_den = self.base.bounds
        if max_num * int(self.mult.max()) <= 2**53 and max_den <= 2**53:
            # numerator and denominator exact in float64: one IEEE division rounds the exact quotient
            nums, dens = self.base.int64
            return (nums[self.src] * self.mult).astype(float) / dens[self.src].astype(float)
        return np.array([float(q) for q in self.fractions()], dtype=float)

    @cached_property
    def table(self) -> _ConstantTable:
        """The exact coefficients as fmpq, converted per backend."""
        nums, dens = self.base.nums, self.base.dens
        return _ConstantTable([fmpq(nums[s] * m, dens[s]) for s, m in self._pairs()])

    def on(self, B: Backend) -> list[Number]:
        return self.table.on(B)


def _pack(terms: int, rows: np.ndarray, var: np.ndarray, exp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (variable, exponent) of each term, left-aligned in as many slots as the longest term needs.

    ``rows`` (ascending) gives each pair's term; a term's pairs keep their order. Padding is
    the pair (x_1, 0), which multiplies by 1.
    """
    counts = np.bincount(rows, minlength=terms)
    width = int(counts.max()) if terms else 0
    slot = np.arange(len(rows)) - (np.cumsum(counts) - counts)[rows]
    V = np.zeros((terms, width), dtype=np.intp)
    X = np.zeros((terms, width), dtype=np.intp)
    V[rows, slot] = var
    X[rows, slot] = exp
    return V, X


class PolynomialBlock:
    """Several polynomials in the same d variables, evaluated together from sparse term arrays.

    Term t of the block belongs to output ``owner[t]`` and is ``coef[t] * prod x_i^e`` over
    its pairs (i, e), e >= 1. Evaluation costs O(sum of terms x degree) backend operations.
    Built from python-flint polynomials (:meth:`from_polys`), from an exponent matrix
    (:meth:`from_exponents`), or as the derivative of another block (:meth:`gradient`,
    :meth:`upper_hessian`) by index arithmetic on the arrays.
    """

    def __init__(self, dim: int, outputs: int, owner: np.ndarray, var: np.ndarray, exp: np.ndarray, coefs: _TermCoefficients) -> None:
        self.dim = dim
        self.outputs = outputs
        self._owner = owner
        self._var, self._exp = var, exp
        self.coefs = coefs
        self.max_exp = int(exp.max()) if exp.size else 0

    @classmethod
    def from_exponents(cls, E: np.ndarray, coefs: _TermCoefficients, owner: np.ndarray, outputs: int) -> PolynomialBlock:
        """The block whose term t is coefs[t] * x^E[t] (E: terms x d nonnegative integers) in output owner[t]."""
        rows, cols = np.nonzero(E)
        var, exp = _pack(E.shape[0], rows, cols, E[rows, cols])
        return cls(E.shape[1], outputs, owner, var, exp, coefs)

    @classmethod
    def from_polys(cls, polys: Sequence[fmpq_mpoly], dim: int) -> PolynomialBlock:
        """The block of the given python-flint polynomials (terms read with ``monoms`` and ``coeffs``, in flint's order)."""
        coefs: list[fmpq] = []
        exps_all: list[np.ndarray] = []
        owner: list[int] = []
        for k, p in enumerate(polys):
            if len(p) == 0:
                continue
            coefs.extend(p.coeffs())
            exps_all.append(_exponent_matrix(p.monoms(), dim).astype(np.intp))
            owner.extend([k] * len(p))
        E = np.concatenate(exps_all) if exps_all else np.zeros((0, dim), dtype=np.intp)
        n = len(coefs)
        table = _TermCoefficients(_Rationals.of(coefs), np.arange(n, dtype=np.intp), np.ones(n, dtype=np.int64))
        return cls.from_exponents(E, table, np.array(owner, dtype=np.intp), len(polys))

    def _derivative(self, along: np.ndarray, owner_of: Callable[[np.ndarray, np.ndarray], np.ndarray], outputs: int) -> PolynomialBlock:
        """The block of the derivatives c e_j x^(e - δ_j) of this block's terms, one per slot marked in ``along``.

        ``owner_of(old owner, j)`` numbers the output each derivative term goes to. Terms are
        ordered by output, then by their order here: for a block in flint's lex order this is
        flint's order of each derivative (subtracting δ_j from every exponent keeps lex order).
        """
        n0, w = self._exp.shape
        p = np.flatnonzero(along)
        t, s = p // w, p % w
        owner = owner_of(self._owner[t], self._var.ravel()[p])
        order = np.argsort(owner.astype(np.int16) if outputs < 2**15 else owner, kind="stable")  # int16: a radix sort
        t, s, owner = t[order], s[order], owner[order]
        factor = self._exp.ravel()[p[order]]
        # each new term's slots read from its old term's, one column of padding (x_1, 0) appended; where
        # x_j's exponent falls to 0, the slots from s on read one to the right (the pair leaves, no gap)
        padded_var = np.zeros((n0, w + 1), dtype=np.intp)
        padded_var[:, :w] = self._var
        padded_exp = np.zeros((n0, w + 1), dtype=np.intp)
        padded_exp[:, :w] = self._exp
        k = np.arange(w)
        idx = (t * (w + 1))[:, None] + k + ((factor == 1)[:, None] & (k >= s[:, None]))
        var, exp = padded_var.ravel()[idx], padded_exp.ravel()[idx]
        stays = np.flatnonzero(factor > 1)
        exp.ravel()[stays * w + s[stays]] -= 1
        while w and not exp[:, w - 1].any():  # as many slots as the longest term needs
            w -= 1
        var, exp = var[:, :w], exp[:, :w]
        return PolynomialBlock(self.dim, outputs, owner, var, exp, self.coefs.scaled(t, factor.astype(np.int64)))

    def gradient(self) -> PolynomialBlock:
        """∂F/∂x_j for j = 1..d (output j), for a block of one polynomial F: term c x^e gives c e_j x^(e - δ_j)."""
        return self._derivative(self._exp > 0, lambda _, j: j, self.dim)

    def upper_hessian(self) -> PolynomialBlock:
        """For a gradient block (output i = ∂F/∂x_i): ∂²F/∂x_i∂x_j for i <= j, row by row (output i d - i(i-1)/2 + j - i)."""
        d = self.dim
        return self._derivative(
            (self._exp > 0) & (self._var >= self._owner[:, None]),
            lambda i, j: i * d - i * (i - 1) // 2 + (j - i),
            d * (d + 1) // 2,
        )

    @cached_property
    def owner(self) -> tuple[int, ...]:
        """The output of each term."""
        return tuple(self._owner.tolist())

    @cached_property
    def _coef(self) -> np.ndarray:
        return self.coefs.floats

    @cached_property
    def monos(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Each term's pairs (variable, exponent >= 1), for term-by-term evaluation in mpmath or Arb."""
        return tuple(
            tuple((i, e) for i, e in zip(vr, ex, strict=True) if e) for vr, ex in zip(self._var.tolist(), self._exp.tolist(), strict=True)
        )

    @property
    def terms(self) -> int:
        return len(self._owner)

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


#: beyond this exponent the derivative arrays come from python-flint's derivatives (integer factors stay small)
_MAX_ARRAY_EXPONENT = 2**20


def _exponent_matrix(monoms: Sequence[Sequence[int]], dim: int) -> np.ndarray:
    """Exponent tuples as a (terms, dim) array (uint8 from one bytes pass when every exponent is in 0..255, else int64)."""
    n = len(monoms)
    E: np.ndarray
    try:
        E = np.frombuffer(b"".join(map(bytes, monoms)), dtype=np.uint8)
    except (ValueError, TypeError):  # an exponent outside 0..255 (or not an int): the general conversion
        E = np.array([[operator.index(e) for e in m] for m in monoms], dtype=np.int64).reshape(-1)
    return E.reshape(n, dim)


class PolynomialStructure:
    """F a polynomial with exact rational coefficients.

    Held as term arrays (exponents, numerators and denominators) in python-flint's lex
    order; ∇F and ∇²F (upper triangle) are blocks derived from F's arrays by index
    arithmetic (the derivative of c x^e along x_j is c e_j x^(e - δ_j)), built on first use.
    The python-flint ``fmpq_mpoly`` (:attr:`poly`) and its exact derivatives
    (:meth:`derivatives`) are built on request, for sympy expressions and proofs.
    """

    kind = "polynomial"

    def __init__(self, poly: fmpq_mpoly, dim: int) -> None:
        self._poly: fmpq_mpoly | None = poly
        self.dim = dim
        self._arrays: tuple[np.ndarray, _Rationals] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # python-flint objects do not pickle: rebuild from (exponents, coefficient) pairs
        E, base = self.arrays
        terms = {tuple(e): Fraction(n, q) for e, n, q in zip(E.tolist(), base.nums, base.dens, strict=True)}
        return (PolynomialStructure.from_terms, (terms, self.dim))

    @classmethod
    def from_terms(cls, terms: dict[tuple[int, ...], Fraction], dim: int) -> PolynomialStructure:
        """The polynomial sum c * x^e over ``terms`` (exponent tuple -> rational coefficient).

        Only the arrays are built (numpy, no per-term flint call); the ``fmpq_mpoly`` on request.
        """
        keys = list(terms)
        wrong = set(map(len, keys)) - {dim}
        if wrong:
            bad = next(e for e in keys if len(e) != dim)
            raise ValueError(f"exponent tuple {bad!r} has {len(bad)} entries, expected {dim}")
        base = _Rationals.of(list(terms.values()))
        E = _exponent_matrix(keys, dim)
        if E.size and int(E.min()) < 0:
            raise ValueError(f"negative exponent in {keys[int(np.argmin(E.min(axis=1)))]!r}")
        order = np.lexsort(E.T[::-1])[::-1] if dim else np.arange(len(keys))  # python-flint's lex order: x_1 first, descending
        if 0 in base.nums:  # zero coefficients are no terms
            order = order[np.array([base.nums[i] != 0 for i in order.tolist()], dtype=bool)]
        out = cls.__new__(cls)
        out._poly, out.dim = None, dim
        out._arrays = (E[order].astype(np.intp), base.take(order.tolist()))
        return out

    @property
    def arrays(self) -> tuple[np.ndarray, _Rationals]:
        """F's exponents (terms x d) and exact coefficients, in python-flint's lex order."""
        if self._arrays is None:
            assert self._poly is not None
            self._arrays = (_exponent_matrix(self._poly.monoms(), self.dim).astype(np.intp), _Rationals.of(self._poly.coeffs()))
        return self._arrays

    @property
    def poly(self) -> fmpq_mpoly:
        """F as a python-flint ``fmpq_mpoly`` (built from the arrays on first use)."""
        if self._poly is None:
            E, base = self.arrays
            coefs = [fmpq(n, q) for n, q in zip(base.nums, base.dens, strict=True)]
            self._poly = polynomial_context(self.dim).from_dict(dict(zip(map(tuple, E.tolist()), coefs, strict=True)))
        return self._poly

    @property
    def terms(self) -> int:
        return len(self.arrays[1])

    def derivatives(self) -> tuple[list[fmpq_mpoly], list[list[fmpq_mpoly]]]:
        """The exact gradient (d polynomials) and Hessian (d x d, symmetric) of F, python-flint derivatives."""
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

    def _from_arrays(self) -> bool:
        """Derivative blocks by index arithmetic (else, for huge exponents, from python-flint's derivatives)."""
        E = self.arrays[0]
        return not E.size or int(E.max()) <= _MAX_ARRAY_EXPONENT

    @cached_property
    def value_block(self) -> PolynomialBlock:
        E, base = self.arrays
        n = len(base)
        coefs = _TermCoefficients(base, np.arange(n, dtype=np.intp), np.ones(n, dtype=np.int64))
        return PolynomialBlock.from_exponents(E, coefs, np.zeros(n, dtype=np.intp), 1)

    @cached_property
    def grad_block(self) -> PolynomialBlock:
        if self._from_arrays():
            return self.value_block.gradient()
        return PolynomialBlock.from_polys(self._derivatives[0], self.dim)

    @cached_property
    def hess_block(self) -> PolynomialBlock:
        """The Hessian's upper triangle, row by row."""
        if self._from_arrays():
            return self.grad_block.upper_hessian()
        d, h = self.dim, self._derivatives[1]
        return PolynomialBlock.from_polys([h[i][j] for i in range(d) for j in range(i, d)], d)

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


# ---------------------------------------------------------------- log-sum-exp and sums of structures


def _square_norm(x: Sequence[Number]) -> Number:
    """sum_i x_i^2 by backend operations (elementwise, so a float64 batch of points works too)."""
    total = x[0] * x[0]
    for xi in x[1:]:
        total = total + xi * xi
    return total


class LogSumExpStructure:
    """F(x) = log sum_i exp(u_i), u = A x + b: grad = A^T p, Hess = A^T (diag p - p p^T) A = sum_i p_i a_i a_i^T - grad grad^T,
    p = softmax(u). O(m d) per gradient, O(m d^2) per Hessian.

    Evaluated as s + log sum_i exp(u_i - s), s = max_i u_i in the backend (the identity holds for
    every real s, so on Arb balls and float64 intervals, where s is itself a ball, each result is
    still an enclosure), so float64 does not overflow where F itself is moderate.
    """

    kind = "log_sum_exp"

    def __init__(self, A: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> None:
        self.A = _MatrixOnBackends(A)
        self.b = _ConstantTable(b)
        self.dim = self.A.shape[1]
        self._b_array = np.array([float(v) for v in b], dtype=float)

    def _softmax(self, B: Backend, x: Sequence[Number]) -> tuple[Number, list[Number]]:
        """(F(x), p) in backend B."""
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        if _is_float(B):
            X = _stack(x)
            U = np.tensordot(self.A.array, X, axes=1) + self._b_array.reshape((-1,) + (1,) * (X.ndim - 1))
            top = U.max(axis=0)
            E = np.exp(U - top)
            total = E.sum(axis=0)
            value = top + np.log(total)
            P = E / total
            return (value if np.ndim(value) else float(value)), [P[i] if P.ndim > 1 else float(P[i]) for i in range(P.shape[0])]
        u = [ui + bi for ui, bi in zip(_matvec(B, self.A.on(B), x), self.b.on(B), strict=True)]
        top = B.max(*u)
        e = [B.exp(ui - top) for ui in u]
        total = e[0]
        for ei in e[1:]:
            total = total + ei
        return top + B.log(total), [ei / total for ei in e]

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        return self._softmax(B, x)[0]

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        _, p = self._softmax(B, x)
        return _matvec(B, self.A.transposed().on(B), p)

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        _, p = self._softmax(B, x)
        At = self.A.transposed().on(B)
        g = _matvec(B, At, p)
        d, m = self.dim, self.A.shape[0]
        out: list[list[Number]] = [[None] * d for _ in range(d)]
        for j in range(d):
            for k in range(j, d):
                s = p[0] * At[j][0] * At[k][0]
                for i in range(1, m):
                    s = s + p[i] * At[j][i] * At[k][i]
                out[j][k] = out[k][j] = s - g[j] * g[k]
        return out

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
        terms = []
        for row, bi in zip(self.A.rows, self.b.fractions(), strict=True):
            u = sum((_rational(wi) * x for wi, x in zip(row, variables, strict=True)), sympy.Integer(0)) + _rational(bi)
            terms.append(sympy.exp(u))
        return sympy.log(sum(terms, sympy.Integer(0)))


class SumStructure:
    """F(x) = constant + (λ/2)||x||^2 + sum_k parts_k(x), the parts structures in the same d variables.

    Value, gradient and Hessian are the sums of the parts' (plus c, λ x and λ I); the sympy
    expression is the sum of theirs, built on request.
    """

    kind = "sum"

    def __init__(self, dim: int, parts: Sequence[Any], *, ridge: Fraction = Fraction(0), constant: Fraction = Fraction(0)) -> None:
        if any(p.dim != dim for p in parts):
            raise ValueError(f"every part must have dimension {dim}")
        self.dim = dim
        self.parts = tuple(parts)
        self.ridge = Fraction(ridge)
        self.constant = Fraction(constant)

    def value(self, B: Backend, x: Sequence[Number]) -> Number:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        total = B.num(self.constant)
        for part in self.parts:
            total = total + part.value(B, x)
        if self.ridge:
            total = total + B.num(self.ridge) / 2 * _square_norm(x)
        return total

    def grad(self, B: Backend, x: Sequence[Number]) -> list[Number]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        out: list[Number] = [B.num(self.ridge) * xi for xi in x] if self.ridge else [B.num(0)] * self.dim
        for part in self.parts:
            out = [o + g for o, g in zip(out, part.grad(B, x), strict=True)]
        return out

    def hess(self, B: Backend, x: Sequence[Number]) -> list[list[Number]]:
        if len(x) != self.dim:
            raise ValueError(f"expected {self.dim} values, got {len(x)}")
        d = self.dim
        lam, zero = B.num(self.ridge), B.num(0)
        out: list[list[Number]] = [[lam if i == j else zero for j in range(d)] for i in range(d)]
        for part in self.parts:
            out = [[o + h for o, h in zip(orow, hrow, strict=True)] for orow, hrow in zip(out, part.hess(B, x), strict=True)]
        return out

    def expr(self, variables: Sequence[sympy.Symbol]) -> sympy.Expr:
        out: sympy.Expr = _rational(self.constant)
        if self.ridge:
            out += _rational(self.ridge) / 2 * sum((x**2 for x in variables), sympy.Integer(0))
        for part in self.parts:
            out += part.expr(variables)
        return out
