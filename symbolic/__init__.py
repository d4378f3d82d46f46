"""The checking engine: objectives, claims, derivations, evaluation, LaTeX.

It knows nothing of deep learning. A user checks a claim of their own in a few lines::

    from hypothesis import strategies as st
    from symbolic import Case, Claim, CheckSettings, families

    @st.composite
    def cases(draw):
        f = draw(families.nonnegative_smooth())
        return Case(objective=f, points={"x": draw(families.points(f.dim))})

    growth = Claim(
        "growth bound", cases=cases(), rel="<=",
        lhs=lambda c, B: B.norm2(c.objective.grad(B, c.x(B))),
        rhs=lambda c, B: 2 * B.num(c.objective.constants.L) * c.objective.value(B, c.x(B)),
    )
    print(growth.run(CheckSettings()).verdict)   # checked
"""

from . import families
from .backends import ArbBackend, Backend, FloatBackend, MPBackend, arb_precision
from .certify import BoxCertificate
from .checks import KINDS, Check, Expect
from .claims import Bound, Case, Claim
from .derivations import Derivation, Step, compose
from .experiments import Definition, Illustration, Judgement, MonteCarlo
from .latex import document, render_check
from .objectives import Box, Constants, Objective, coordinates
from .proofs import Identity, Implication
from .settings import PROFILES, CheckSettings, profile
from .verdicts import Evidence, Outcome, Verdict, weakest

# isort: split
from . import algorithms
from .algorithms import (
    PGDParameters,
    gelfand_mitter,
    gradient_descent,
    noisy_gd,
    perturbed_gd,
    sgd,
    sgld,
    unit_sphere,
)

__all__ = [
    "KINDS", "PROFILES", "ArbBackend", "Backend", "Bound", "Box", "BoxCertificate", "Case",
    "Check", "CheckSettings", "Claim", "Constants", "Definition", "Derivation", "Evidence",
    "Expect", "FloatBackend", "Identity", "Illustration", "Implication", "Judgement", "MPBackend",
    "MonteCarlo", "Objective", "Outcome", "Step", "Verdict", "arb_precision", "compose",
    "coordinates", "document", "families", "profile", "render_check", "weakest",
    "algorithms", "PGDParameters", "gelfand_mitter", "gradient_descent", "noisy_gd", "perturbed_gd", "sgd", "sgld", "unit_sphere",
]
