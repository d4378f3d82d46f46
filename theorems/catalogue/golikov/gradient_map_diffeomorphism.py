"""golikov.gradient-map-diffeomorphism: slide "Local optimization: general case", Proposition (Lee et al., 2016).

"For f in C^{2,1}_L the gradient mapping g with step size alpha in (0, 1/L) is a diffeomorphism."
Encoded as: a nonsingular (positive definite) Jacobian, injectivity, and surjectivity through the
prox inverse, with the step hypothesis dropped as a necessity check. The cases and claims are
shared with Pauwels and Bruna (``theorems/catalogue/_shared/gradient_map.py``).
"""

from __future__ import annotations

from theorems.catalogue._shared.gradient_map import (
    injectivity_inequality,
    inverse_through_prox,
    jacobian_positive_definite,
    necessity_jacobian,
)
from theorems.registry import Entry, Status, register

register(
    Entry(
        id="golikov.gradient-map-diffeomorphism",
        title="Proposition (Lee et al., 2016): the gradient mapping is a diffeomorphism",
        where="Local optimization: general case, Proposition (Lee et al., 2016)",
        statement=r"For $f\in\mathcal{C}^{2,1}_L$ the gradient mapping $g$ with step size $\alpha\in(0,1/L)$ is a diffeomorphism.",
        hypotheses=[r"$f\in\mathcal{C}^{2,1}_L$: $f$ is $C^2$ and $\|\nabla f(x)-\nabla f(y)\|_2\le L\|x-y\|_2$", r"$\alpha\in(0,1/L)$"],
        checks=[
            jacobian_positive_definite("local diffeomorphism: Jg = I - alpha Hess f is nonsingular (positive definite)"),
            injectivity_inequality(),
            inverse_through_prox(),
            necessity_jacobian(),
        ],
        status=Status.VERIFIED,
        reading="Diffeomorphism = smooth bijection with smooth inverse: nonsingular Jacobian (inverse function theorem), injectivity, and surjectivity through the prox inverse.",
    )
)
