"""Matrix conclusions in the Loewner order: ``A(case) <= B(case)`` for symmetric matrices.

``A <= B`` means ``B - A`` is positive semidefinite; a :class:`LoewnerClaim` states it for a
symmetric matrix ``M(case) = B - A`` (``M >= 0``; strict: ``M > 0``, positive definite). Its
margin is the smallest eigenvalue of ``M``, so the engine decides it like any claim:

- holds at a case: Arb's eigenvalue enclosure (``arb_mat.eig``) of the ball matrix is
  certainly ``>= 0`` (``> 0``); at an exact tie (a singular ``M`` with rational entries,
  ``hess(x) <= L*I`` on a quadratic whose top eigenvalue is ``L``), the characteristic
  polynomial decides exactly (:mod:`symbolic.exact_ties`);
- fails at a case: the enclosure is certainly ``< 0``; the evidence adds a **rational
  direction** ``v`` (an eigenvector of the floating-point matrix, rounded) with
  ``v^T M v < 0`` confirmed in Arb (or exactly), which a reader can check by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from .backends import ArbBackend, Backend, MPBackend, Number, arb_precision, ball_certainly
from .checks import Expect
from .claims import Case, Claim
from .exact_ties import ExactBackend, ExactUnavailable
from .settings import CheckSettings
from .verdicts import Outcome, Verdict

MatrixFn = Callable[[Case, Backend], Sequence[Sequence[Number]]]


def quadratic_form(B: Backend, m: Sequence[Sequence[Number]], v: Sequence[Fraction]) -> Number:
    """v^T M v in the backend's arithmetic (v exact)."""
    vb = [B.num(c) for c in v]
    return B.dot(vb, B.matvec(m, vb))


def negative_direction(mid: np.ndarray, denominator: int = 10**6) -> list[Fraction]:
    """A rational approximation of an eigenvector of the smallest eigenvalue of ``mid``."""
    sym = (mid + mid.T) / 2
    _vals, vecs = np.linalg.eigh(sym)
    v = vecs[:, 0]
    scale = float(np.max(np.abs(v))) or 1.0
    return [Fraction(float(c) / scale).limit_denominator(denominator) for c in v]


class MatrixExpressionError(ValueError):
    """A matrix relation is not a linear combination of symmetric matrices; the message says why."""


def linear_in(expr: Any, atoms: Sequence[Any]) -> list[tuple[Any, Any]]:
    """``expr`` (a sympy expression) as ``sum_k c_k * atom_k`` with scalar coefficients c_k.

    ``atoms`` are the symbols standing for matrices (the identity, Hessians at points). Raises
    :class:`MatrixExpressionError` for a product of matrices, a matrix inside a function, or a
    nonzero scalar term (a matrix compared with a number: write ``mu*I``, not ``mu``).
    """
    import sympy

    e = sympy.expand(expr)
    atoms = list(atoms)
    if not atoms or not (e.free_symbols & set(atoms)):
        raise MatrixExpressionError("a matrix relation needs a matrix on one side (hess(x), I)")
    out: list[tuple[Any, Any]] = []
    rest = e
    for a in atoms:
        c = e.coeff(a, 1)
        if c.free_symbols & set(atoms):
            raise MatrixExpressionError("a product of matrices is not a symmetric matrix here: only sums and multiples of hess(.) and I")
        if c != 0:
            out.append((c, a))
        rest = rest - c * a
    rest = sympy.expand(rest)
    if rest.free_symbols & set(atoms):
        raise MatrixExpressionError("a product of matrices, or a matrix inside a function, is not supported: only sums and multiples of hess(.) and I")
    if rest != 0:
        raise MatrixExpressionError(f"the scalar term {rest} is compared with a matrix: write it times the identity, e.g. ({rest})*I")
    return out


class LoewnerClaim(Claim):
    """For all cases: ``matrix(case)`` is positive semidefinite (``strict``: definite).

    ``matrix(case, B)`` returns the symmetric matrix ``B - A`` of the relation ``A <= B`` as a
    list of rows in the backend's arithmetic.
    """

    def __init__(
        self,
        name: str,
        *,
        cases: Any,
        matrix: MatrixFn,
        strict: bool = False,
        where: Callable[[Case], bool] | None = None,
        statement: str = "",
        expect: Expect = Expect.HOLDS,
        note: str = "",
        scope: str = "",
        hard_cases: Callable[[], Any] | None = None,
    ) -> None:
        self.matrix = matrix
        super().__init__(
            name,
            cases=cases,
            margin=lambda c, B: B.lambda_min(matrix(c, B)),
            strict=strict,
            where=where,
            statement=statement,
            expect=expect,
            note=note,
            scope=scope,
            hard_cases=hard_cases,
        )
        self._failed: Case | None = None

    def confirm(self, case: Case, settings: CheckSettings) -> tuple[bool | None, str]:
        decided, ball = super().confirm(case, settings)
        if decided is False:
            self._failed = case
        return decided, ball

    def direction(self, case: Case, settings: CheckSettings) -> dict[str, Any] | None:
        """A rational v with v^T M v < 0 (<= 0 when strict) at the case, confirmed; None if none found."""
        try:
            m = self.matrix(case, MPBackend(30))
            mid = np.array([[float(x) for x in row] for row in m])
            v = negative_direction(mid)
        except (ValueError, ZeroDivisionError, TypeError, np.linalg.LinAlgError):
            return None
        bits = max(128, int(settings.digits * 3.33) + 32)
        B = ArbBackend(bits)
        with arb_precision(bits):
            try:
                q = quadratic_form(B, self.matrix(case, B), v)
            except (ValueError, ZeroDivisionError):
                return None
            if ball_certainly(q, self.strict) is False:
                return {"v": [str(c) for c in v], "vT M v": str(q), "confirmed": "Arb ball arithmetic"}
        try:
            exact = quadratic_form(ExactBackend(), self.matrix(case, ExactBackend()), v)
        except (ExactUnavailable, ValueError, ZeroDivisionError, TypeError):
            return None
        if exact.is_Rational and (exact < 0 or (self.strict and exact == 0)):
            return {"v": [str(c) for c in v], "vT M v": str(exact), "confirmed": "exact arithmetic"}
        return None

    def run(self, settings: CheckSettings) -> Outcome:
        self._failed = None
        out = super().run(settings)
        if out.verdict is Verdict.REFUTED and self._failed is not None and out.evidence.counterexample is not None:
            d = self.direction(self._failed, settings)
            if d is not None:
                out.evidence.counterexample["direction"] = d
        return out


__all__ = ["LoewnerClaim", "MatrixExpressionError", "linear_in", "negative_direction", "quadratic_form"]
