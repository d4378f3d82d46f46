"""sgdloj.smoothness: Section 2 (Preliminaries), Assumption 2 (C_L-smoothness) (2.3).

"For a compact set K, there exists a constant C_L > 0 such that |grad F(theta_1) - grad F(theta_2)|
<= C_L |theta_1 - theta_2| for any theta_1, theta_2 in K." Decided on example objectives and boxes."""

from __future__ import annotations

from fractions import Fraction as Q

from symbolic import Box, Definition, Judgement, Objective, Verdict
from symbolic.local_constants import smoothness_constant
from theorems.catalogue.sgdloj._objectives import QUARTIC, quadratic_2d
from theorems.registry import Entry, Status, register


def _smooth_on_box(ex: tuple[Objective, Box, Q]) -> Judgement:
    """(2.3) on a box: certified by a Hessian norm bound, or refuted by an exact pair of grid points."""
    f, box, C = ex
    bound = smoothness_constant(f, box)
    if bound <= C:
        return Judgement(True, Verdict.CERTIFIED, f"sup ||Hess F|| <= {float(bound):.6g} <= C_L on the (convex) box")
    # look for a violating pair on a grid of the box, exactly in Arb
    import itertools

    from symbolic.backends import ArbBackend, arb_precision

    B = ArbBackend(128)
    grid = [[a + (b - a) * Q(i, 8) for i in range(9)] for a, b in zip(box.lo, box.hi, strict=True)]
    pts = list(itertools.product(*grid))
    with arb_precision(128):
        for p, q in itertools.combinations(pts, 2):
            gp, gq = f.grad(B, [B.num(v) for v in p]), f.grad(B, [B.num(v) for v in q])
            lhs = B.norm2(B.sub(gp, gq))
            rhs = B.num(C) ** 2 * B.norm2(B.sub([B.num(v) for v in p], [B.num(v) for v in q]))
            if lhs > rhs:
                return Judgement(False, Verdict.CERTIFIED, f"|grad F(p) - grad F(q)| > C_L |p - q| at p={p}, q={q} (Arb)")
    return Judgement(None, Verdict.UNDECIDED, f"Hessian bound {float(bound):.6g} > C_L and no violating pair on the grid")


smoothness_definition = Definition(
    "Assumption 2 (2.3): |grad F(t1) - grad F(t2)| <= C_L |t1 - t2| on K",
    predicate=_smooth_on_box,
    examples=[
        ("F = x^T A x / 2 with eig {1/2, 3} on K = [-1, 1]^2, C_L = 4 (row-sum bound of A)", (quadratic_2d(Q(1, 2), Q(3)), Box.cube(2, 1), Q(4)), True),
        ("same F, C_L = 2 < lambda_max = 3", (quadratic_2d(Q(1, 2), Q(3)), Box.cube(2, 1), Q(2)), False),
        ("F = x^4 on K = [-1, 1], C_L = 25/2 > 12 = sup |F''|", (QUARTIC, Box.cube(1, 1), Q(25, 2)), True),
        ("F = x^4 on K = [-1, 1], C_L = 6", (QUARTIC, Box.cube(1, 1), Q(6)), False),
        ("F = x^4 on K = [-2, 2], C_L = 12: F'' = 48 at 2", (QUARTIC, Box.cube(1, 2), Q(12)), False),
    ],
    statement=r"|\nabla F(\theta_1)-\nabla F(\theta_2)|\le C_L|\theta_1-\theta_2|\quad\forall\theta_1,\theta_2\in K",
    note=r"On a convex compact $K$ (a box), $C_L\ge\sup_K\|\nabla^2F\|_2$ suffices (mean value theorem); the bound is certified with Arb enclosures. A violation is an exact pair of grid points.",
)

register(
    Entry(
        id="sgdloj.smoothness",
        title="Assumption 2: C_L-smoothness on a compact set",
        where="Section 2, Assumption 2 (2.3)",
        statement=r"For a compact set $K$, there exists a constant $C_L>0$ such that $|\nabla F(\theta_1)-\nabla F(\theta_2)|\le C_L|\theta_1-\theta_2|$ (2.3) for any $\theta_1,\theta_2\in K$.",
        checks=[smoothness_definition],
        status=Status.VERIFIED,
        reading="The compact sets in the examples are boxes (convex), so the Hessian norm bound is a Lipschitz constant there.",
    )
)
