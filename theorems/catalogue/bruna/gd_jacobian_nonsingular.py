"""bruna.gd-jacobian-nonsingular: slide "GRADIENT DESCENT AVOIDS STRICT SADDLES", Fact 2.

"Assume grad g is Lipschitz, with ||Hess g(theta)|| <= L. Fact 2: if step size satisfies
gamma < L^{-1}, then det(D phi(theta)) != 0 for all theta, where phi(theta) = theta - gamma grad g(theta)."
The claims are written in the slide's letters (theta, gamma) over the gradient-map cases shared
with Pauwels and Golikov (``theorems/catalogue/_shared/gradient_map.py``: point x, step alpha).
"""

from __future__ import annotations

from symbolic import Expect
from symbolic.notation import NotationClaim
from theorems.catalogue._shared.gradient_map import eigen_proof, large_step_cases, step_cases
from theorems.registry import Entry, Status, register

#: the slide's letters -> the shared cases' names
SLIDE_NAMES = {"theta": "x", "gamma": "alpha"}


def det_nonzero() -> NotationClaim:
    """Fact 2, in the stronger form det(I - gamma Hess g(theta)) > 0."""
    return NotationClaim(
        "det D phi(theta) > 0 for gamma < 1/L",
        "det(I - gamma*hess(theta)) > 0",
        cases=step_cases,
        points=("theta",),
        params=("gamma",),
        case_names=SLIDE_NAMES,
        objective="g",
        proof=eigen_proof,
        domain=r"\forall\theta,\ 0<\gamma<1/L",
        note="Stronger than the slide's $\\det\\neq0$: the determinant is a product of eigenvalues $1-\\gamma\\lambda\\ge1-\\gamma L>0$.",
    )


def det_necessity() -> NotationClaim:
    """The step hypothesis dropped: for 1/L < gamma < 2/L the determinant must change sign somewhere."""
    return NotationClaim(
        "necessity: for gamma in (1/L, 2/L) the determinant changes sign",
        "det(I - gamma*hess(theta)) > 0",
        cases=large_step_cases,
        points=("theta",),
        params=("gamma",),
        case_names=SLIDE_NAMES,
        objective="g",
        expect=Expect.REFUTED,
        role="necessity",
        domain=r"\forall\theta,\ 1/L<\gamma<2/L",
        note="For quadratics the determinant is constant and negative; for a cosine ridge it changes sign, so by continuity it vanishes somewhere.",
    )


register(
    Entry(
        id="bruna.gd-jacobian-nonsingular",
        title="Fact 2: gamma < 1/L gives det D phi != 0 everywhere",
        where="GRADIENT DESCENT AVOIDS STRICT SADDLES",
        statement=(
            r"Assume $\nabla g$ is Lipschitz, with $\|\nabla^2 g(\theta)\|\le L$. Fact 2: if step size satisfies "
            r"$\gamma<L^{-1}$, then $\det(D\varphi(\theta))\neq0$ for all $\theta$, where $\varphi(\theta)=\theta-\gamma\nabla g(\theta)$."
        ),
        hypotheses=[r"$\|\nabla^2 g(\theta)\|\le L$", r"$0<\gamma<1/L$"],
        checks=[det_nonzero(), det_necessity()],
        status=Status.VERIFIED,
        reading="The step size is read as positive ($0<\\gamma<1/L$); the engine's $\\alpha$ is the slide's $\\gamma$.",
    )
)
