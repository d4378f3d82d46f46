"""Exact first and second moments (sympy) of scalar random recursions and scalar SDEs.

The moments of degree <= 2 close in two cases that matter for weak-order statements:

- a random affine recursion x_{k+1} = alpha_m x_k + beta_m, with m drawn from a finite law
  (e.g. SGD on a finite sum of quadratics): (1, E x, E x^2) evolves by a lower-triangular
  matrix, :func:`affine_recursion_matrix`;
- an SDE dX = (b0 + b1 X) dt + s(X) dW with s(X)^2 = c0 + c1 X + c2 X^2 (affine drift,
  quadratic squared diffusion): (1, E X, E X^2)' = A (1, E X, E X^2), :func:`sde_moment_matrix`.

:func:`triangular_power` and :func:`triangular_exp` give M^k and exp(A t) in closed form
through the eigen-decomposition (the diagonal entries must be pairwise distinct), with
lambda^k written exp(k log lambda) so that k = t/h can be substituted and expanded in h.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from .checks import Check
from .settings import CheckSettings
from .verdicts import Evidence, Outcome


def affine_recursion_matrix(alphas: Sequence[sympy.Expr], betas: Sequence[sympy.Expr], probs: Sequence[sympy.Expr] | None = None) -> sympy.Matrix:
    """M with (1, E x', E x'^2) = M (1, E x, E x^2) for x' = alpha_m x + beta_m, m ~ probs (uniform by default)."""
    n = len(alphas)
    if n == 0 or len(betas) != n:
        raise ValueError("affine_recursion_matrix: need as many alphas as betas (at least one)")
    p = [sympy.Rational(1, n)] * n if probs is None else [sympy.sympify(q) for q in probs]
    if len(p) != n or sympy.simplify(sum(p) - 1) != 0:
        raise ValueError("affine_recursion_matrix: probabilities must be n numbers summing to 1")

    def E(f):  # noqa: N802 - expectation over m
        return sympy.expand(sum(q * f(a, b) for q, a, b in zip(p, alphas, betas, strict=True)))

    return sympy.Matrix(
        [
            [1, 0, 0],
            [E(lambda a, b: b), E(lambda a, b: a), 0],
            [E(lambda a, b: b * b), E(lambda a, b: 2 * a * b), E(lambda a, b: a * a)],
        ]
    )


def sde_moment_matrix(b0: sympy.Expr, b1: sympy.Expr, c0: sympy.Expr, c1: sympy.Expr, c2: sympy.Expr) -> sympy.Matrix:
    """A with d/dt (1, E X, E X^2) = A (1, E X, E X^2) for dX = (b0 + b1 X) dt + s(X) dW, s^2 = c0 + c1 X + c2 X^2.

    By Ito's formula, d E X = E(b0 + b1 X) dt and d E X^2 = E(2 X (b0 + b1 X) + s(X)^2) dt.
    """
    return sympy.Matrix([[0, 0, 0], [b0, b1, 0], [c0, 2 * b0 + c1, 2 * b1 + c2]])


def _eigen(M: sympy.Matrix) -> tuple[sympy.Matrix, list[sympy.Expr], sympy.Matrix]:
    n = M.shape[0]
    if any(M[i, j] != 0 for i in range(n) for j in range(i + 1, n)):
        raise ValueError("expected a lower-triangular matrix")
    lam = [sympy.simplify(M[i, i]) for i in range(n)]
    for i in range(n):
        for j in range(i):
            if sympy.simplify(lam[i] - lam[j]) == 0:
                raise ValueError(f"diagonal entries {i} and {j} coincide ({lam[i]}): not handled")
    # eigenvector for lam[j]: zero above j, 1 at j, forward substitution below
    cols = []
    for j in range(n):
        v = [sympy.Integer(0)] * n
        v[j] = sympy.Integer(1)
        for i in range(j + 1, n):
            v[i] = sympy.simplify(sum(M[i, r] * v[r] for r in range(j, i)) / (lam[j] - lam[i]))
        cols.append(v)
    P = sympy.Matrix(n, n, lambda i, j: cols[j][i])
    return P, lam, P.inv()


def triangular_power(M: sympy.Matrix, k: sympy.Expr) -> sympy.Matrix:
    """M^k for a lower-triangular M with distinct diagonal entries; lambda^k as exp(k log lambda) (lambda = 1 gives 1)."""
    P, lam, Pi = _eigen(M)
    D = sympy.diag(*[sympy.Integer(1) if lv == 1 else sympy.exp(k * sympy.log(lv)) for lv in lam])
    return P * D * Pi


def triangular_exp(A: sympy.Matrix, t: sympy.Expr) -> sympy.Matrix:
    """exp(A t) for a lower-triangular A with distinct diagonal entries."""
    P, lam, Pi = _eigen(A)
    return P * sympy.diag(*[sympy.exp(lv * t) for lv in lam]) * Pi


class GaussianIdentity(Check):
    """E[expr] = rhs when the given symbols are independent centred Gaussians with the given variances.

    ``expr`` may be a matrix (entrywise). With ``rhs_variances`` the right side is an expectation
    too: E[expr] (one Gaussian family) = E[rhs] (another), e.g. two forms of a random step.

    The expectation is computed when the check runs (:func:`~symbolic.sde_numerics.gaussian_expectation`),
    then compared with ``rhs`` as an :class:`~symbolic.proofs.Identity` (proved, or refuted at an exact instance).
    """

    kind = "S"

    def __init__(
        self,
        name: str,
        expr: sympy.Expr,
        variances: dict[sympy.Symbol, sympy.Expr],
        rhs: sympy.Expr,
        *,
        rhs_variances: dict[sympy.Symbol, sympy.Expr] | None = None,
        **kw: Any,
    ) -> None:
        kw.setdefault("statement", f"E\\left[{sympy.latex(expr)}\\right] = {sympy.latex(rhs)}")
        super().__init__(name, **kw)
        self.expr, self.variances, self.rhs = expr, dict(variances), rhs
        self.rhs_variances = rhs_variances

    def run(self, settings: CheckSettings) -> Outcome:
        from .proofs import Identity
        from .sde_numerics import gaussian_expectation

        lhs = self._expect(self.expr, self.variances, gaussian_expectation)
        rhs = self.rhs if self.rhs_variances is None else self._expect(self.rhs, self.rhs_variances, gaussian_expectation)
        out = Identity(self.name, lhs, rhs).run(settings)
        ev = out.evidence
        method = f"Gaussian moments E x^(2j) = (2j-1)!! v^j, then {ev.method}"
        return Outcome(out.verdict, Evidence(method=method, counterexample=ev.counterexample, details=f"E[lhs] = {sympy.sstr(lhs)}; {ev.details}".rstrip("; ")))

    @staticmethod
    def _expect(expr: Any, variances: dict[sympy.Symbol, sympy.Expr], expectation: Any) -> Any:
        """Entrywise for a matrix."""
        if isinstance(expr, sympy.MatrixBase):
            return expr.applyfunc(lambda e: expectation(e, variances))
        return expectation(expr, variances)
