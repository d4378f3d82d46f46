"""pauwels.gradient-map-diffeomorphism: slides "Main idea (Lemma)" and "The gradient mapping is a diffeomorphism".

"Lemma: Let F be C^2, if grad F is L-Lipschitz, then the gradient mapping T: x -> x - alpha grad F(x)
is a diffeomorphism 0 < alpha < 1/L." Proof: grad T = I - alpha Hess F(x) is positive definite; if
T(x) = T(y), ||x - y|| = alpha ||grad F(x) - grad F(y)|| <= L alpha ||x - y||, L alpha < 1 hence
x = y; explicit inverse through prox_{-alpha F}. The cases, the spectral lemma and the claims
shared with Golikov and Bruna are in ``theorems/catalogue/_shared/gradient_map.py``.
"""

from __future__ import annotations

import sympy as sp

from symbolic import Check, Derivation, Expect, Identity, Implication, Step
from symbolic.notation import NotationClaim
from theorems.catalogue._shared.gradient_map import (
    cos_1d_cases,
    injectivity_inequality,
    inverse_through_prox,
    jacobian_positive_definite,
    necessity_jacobian,
    pair_cases,
)
from theorems.registry import Entry, Status, register

# ------------------------------------------------------------------ the injectivity argument

_d = 3
_xs = sp.symbols("x1:4", real=True)
_ys = sp.symbols("y1:4", real=True)
_gx = sp.symbols("gx1:4", real=True)
_gy = sp.symbols("gy1:4", real=True)
_a = sp.Symbol("alpha", positive=True)
_norm2 = lambda v: sum(t**2 for t in v)  # noqa: E731

fixed_point_identity = Implication(
    "T(x) = T(y) gives ||x - y|| = alpha ||grad F(x) - grad F(y)||",
    scope="d = 3; the argument is coordinatewise",
    hypotheses=[sp.Eq(_xs[i] - _a * _gx[i], _ys[i] - _a * _gy[i]) for i in range(_d)],
    conclusion=sp.Eq(_norm2([_xs[i] - _ys[i] for i in range(_d)]), _a**2 * _norm2([_gx[i] - _gy[i] for i in range(_d)])),
    statement=r"x-\alpha g_x = y-\alpha g_y \implies \|x-y\|^2=\alpha^2\|g_x-g_y\|^2",
    note="decided by z3 in dimension 3 with symbolic gradients; the argument is coordinatewise, so it holds in every dimension",
)

_n, _La = sp.symbols("n Lalpha", nonnegative=True)
contraction_gives_equality = Implication(
    "||x - y|| <= L alpha ||x - y|| with L alpha < 1 forces x = y",
    hypotheses=[_n <= _La * _n, _La < 1],
    conclusion=sp.Eq(_n, 0),
    statement=r"\|x-y\|\le L\alpha\|x-y\|,\ L\alpha<1 \implies \|x-y\|=0",
)

_F = sp.Function("F")
_y1, _y2, _z1, _z2 = sp.symbols("y1 y2 z1 z2", real=True)
_phi = -_a * _F(_y1, _y2) + ((_y1 - _z1) ** 2 + (_y2 - _z2) ** 2) / 2
#: the prox line's stationarity condition (not attached to a check: see inverse_through_prox)
prox_stationarity = Identity(
    "stationarity of the prox problem is z = x - alpha grad F(x)",
    # differentiated in the check (unevaluated Derivative), not at import (issue 10)
    sp.Matrix([sp.Derivative(_phi, v) for v in (_y1, _y2)]),
    sp.Matrix([_y1 - _a * sp.Derivative(_F(_y1, _y2), _y1) - _z1, _y2 - _a * sp.Derivative(_F(_y1, _y2), _y2) - _z2]),
    statement=r"\nabla_y\Big[-\alpha F(y)+\tfrac12\|y-z\|^2\Big] = y-\alpha\nabla F(y)-z",
    note="With an abstract $F$ in two variables: the gradient of the prox objective vanishes exactly when $z = T(y)$.",
)


def injectivity_derivation() -> Derivation:
    """The slide's line: ||x - y|| = alpha||grad F(x) - grad F(y)|| <= L alpha ||x - y||, hence x = y."""
    return Derivation(
        "injectivity argument",
        start=r"\|x-y\|",
        steps=[
            Step("=", r"\alpha\|\nabla F(x)-\nabla F(y)\|", r"$T(x)=T(y)$", check=fixed_point_identity),
            Step(
                "<=",
                r"L\alpha\|x-y\|",
                r"$\nabla F$ is $L$-Lipschitz",
                check=NotationClaim(
                    "alpha ||grad F(x) - grad F(y)|| <= L alpha ||x - y||",
                    "alpha*norm(grad(x) - grad(y)) <= L*alpha*norm(x - y)",
                    cases=pair_cases,
                    points=("x", "y"),
                    params=("alpha",),
                    note="Also checks each family's certified Lipschitz constant.",
                ),
            ),
            Step("=>", r"x = y", r"$L\alpha<1$", check=contraction_gives_equality),
        ],
        hypotheses=[r"$T(x)=T(y)$", r"$\nabla F$ $L$-Lipschitz", r"$0<\alpha<1/L$"],
    )


def necessity_injective() -> NotationClaim:
    """The step hypothesis dropped: on a 1-D cosine ridge with 1/L < alpha < 2/L, T is not increasing."""
    return NotationClaim(
        "necessity: for alpha in (1/L, 2/L) the gradient map of a 1-D cosine ridge is not increasing",
        "component(gradstep(y, alpha) - gradstep(x, alpha), 1) / component(y - x, 1) > 0",
        cases=cos_1d_cases,
        points=("x", "y"),
        params=("alpha",),
        hypotheses=["component(y - x, 1) > 0"],
        expect=Expect.REFUTED,
        role="necessity",
        domain=r"F(x)=a\cos(wx+b),\ 1/L<\alpha<2/L",
        note=(
            "A continuous injective map of the line is strictly monotone, and here $T(x)-x$ is bounded so $T$ can only "
            "increase; a confirmed pair $x<y$ with $T(x)\\ge T(y)$ therefore shows that $T$ is not injective."
        ),
    )


HYPOTHESES = [r"$F$ is $C^2$", r"$\nabla F$ is $L$-Lipschitz", r"$0<\alpha<1/L$"]


def _checks() -> list[Check]:
    return [jacobian_positive_definite(), injectivity_inequality(), injectivity_derivation(), inverse_through_prox(), necessity_jacobian(), necessity_injective()]


register(
    Entry(
        id="pauwels.gradient-map-diffeomorphism",
        title="The gradient mapping is a diffeomorphism for 0 < alpha < 1/L",
        where="Main idea (Lemma); The gradient mapping is a diffeomorphism",
        statement=(
            r"\textbf{Lemma:} Let $F$ be $C^2$, if $\nabla F$ is $L$-Lipschitz, then the gradient mapping "
            r"$T: x\mapsto x-\alpha\nabla F(x)$ is a diffeomorphism $0<\alpha<1/L$. "
            r"Proof: $\nabla T = I-\alpha\nabla^2F(x)$ is positive definite; if $T(x)=T(y)$, "
            r"$\|x-y\|=\alpha\|\nabla F(x)-\nabla F(y)\|\le L\alpha\|x-y\|$, $L\alpha<1$ hence $x=y$; "
            r"explicit inverse $\mathrm{prox}_{-\alpha F}(z)=\arg\min_y -\alpha F(y)+\frac12\|y-z\|_2^2$, "
            r"$x=\mathrm{prox}_{-\alpha F}(z)\Leftrightarrow z=x-\alpha\nabla F(x)$."
        ),
        hypotheses=HYPOTHESES,
        checks=_checks(),
        status=Status.VERIFIED,
        reading="The prox problem is strongly convex with modulus $1-\\alpha L$ (the first check); the slide's 'strictly convex' is implied.",
    )
)
