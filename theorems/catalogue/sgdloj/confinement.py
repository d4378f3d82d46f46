"""sgdloj.confinement: Section 2 (Preliminaries), Assumption 3 (Confinement near boundary) (2.5).

"For some constant M_0 > 0, F(theta) >= M_0 for all theta in B(theta_0, R) minus B(theta_0, R - 1)."
Decided on example objectives by branch and bound with Arb over the annulus."""

from __future__ import annotations

from fractions import Fraction as Q

from symbolic import Definition, Judgement, Objective, Verdict, coordinates
from symbolic.local_constants import annulus_minimum
from theorems.catalogue.sgdloj._objectives import quadratic_2d
from theorems.registry import Entry, Status, register

_x1, _x2 = coordinates(2)


def _confined(ex: tuple[Objective, tuple[Q, ...], Q, Q]) -> Judgement:
    """(2.5) decided by branch and bound: inf F over the annulus against M_0."""
    f, center, R, M0 = ex
    res = annulus_minimum(f, center, R)
    why = f"inf F on the annulus in [{float(res.lower):.6g}, {float(res.upper):.6g}]"
    if res.lower >= M0:
        return Judgement(True, Verdict.CERTIFIED, why)
    if res.upper < M0:
        return Judgement(False, Verdict.CERTIFIED, why + f", attained below M_0 at {res.best_point}")
    return Judgement(None, Verdict.UNDECIDED, why)


_shift = Objective("(x1 - 1)^2 + x2^2", (_x1, _x2), (_x1 - 1) ** 2 + _x2**2)
confinement_definition = Definition(
    "Assumption 3 (2.5): F >= M_0 on B(theta_0, R) minus B(theta_0, R - 1)",
    predicate=_confined,
    examples=[
        ("F = x^T A x/2, eig {1/2, 3}, theta_0 = 0, R = 3, M_0 = 1/2 (inf = lambda_min (R-1)^2/2 = 1)", (quadratic_2d(Q(1, 2), Q(3)), (Q(0), Q(0)), Q(3), Q(1, 2)), True),
        ("same F, M_0 = 11/10 > 1", (quadratic_2d(Q(1, 2), Q(3)), (Q(0), Q(0)), Q(3), Q(11, 10)), False),
        ("F = (x1-1)^2 + x2^2, theta_0 = 0, R = 3/2: the zero (1, 0) lies in the annulus", (_shift, (Q(0), Q(0)), Q(3, 2), Q(1, 100)), False),
        ("F = (x1-1)^2 + x2^2, theta_0 = 0, R = 3: zero inside B(0, 2), inf = 1", (_shift, (Q(0), Q(0)), Q(3), Q(9, 10)), True),
    ],
    statement=r"F(\theta)\ge M_0\quad\forall\theta\in B(\theta_0,R)\setminus B(\theta_0,R-1)",
    note="Branch and bound with Arb over the bounding box of the outer ball; subboxes outside the outer ball or inside the inner open ball are discarded.",
)

register(
    Entry(
        id="sgdloj.confinement",
        title="Assumption 3: confinement near the boundary",
        where="Section 2, Assumption 3 (2.5)",
        statement=r"For some constant $M_0>0$, $F(\theta)\ge M_0$ for all $\theta\in B(\theta_0,R)\setminus B(\theta_0,R-1)$ (2.5).",
        checks=[confinement_definition],
        status=Status.VERIFIED,
        reading=r"$B(\theta_0,R-1)$ is read as the open ball, so the annulus $R-1\le|\theta-\theta_0|\le R$ is closed (the infimum is the same for continuous $F$).",
    )
)
