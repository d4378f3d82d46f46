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

from . import display as _display  # noqa: F401  (registers the notebook renderers)
from . import families
from .backends import ArbBackend, Backend, FloatBackend, MPBackend, arb_precision
from .certify import BoxCertificate
from .checks import KINDS, Check, Expect
from .claims import Bound, Case, Claim
from .derivations import Derivation, Step, compose
from .experiments import Definition, Illustration, Judgement, MonteCarlo
from .fokker_planck_solver import (
    FPSolution,
    KLDecay,
    kl_decay,
    relative_entropy,
    solve_fokker_planck_1d,
)
from .latex import document, render_check
from .objectives import Box, Constants, Objective, coordinates
from .proofgraph import Premise, Proof
from .proofs import Identity, Implication
from .sde import SDE, OperatorIdentity
from .sde_numerics import (
    brownian_increments,
    coarsen,
    em_linear_moments,
    euler_maruyama,
    gaussian_expectation,
    gbm_moment,
    levy_brownian,
    linear_moments,
    mc_mean,
    ou_moments,
)
from .settings import PROFILES, CheckSettings, profile
from .verdicts import Evidence, Outcome, Verdict, weakest
from .weak_order import (
    OrderBySeries,
    OrderEstimate,
    SchemeOrder,
    estimate_order,
    has_weak_order,
    leading_order,
)

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
    "MonteCarlo", "Objective", "Outcome", "Premise", "Proof", "Step", "Verdict", "arb_precision", "compose",
    "coordinates", "document", "families", "profile", "render_check", "weakest",
    "SDE", "OperatorIdentity",
    "brownian_increments", "coarsen", "em_linear_moments", "euler_maruyama", "gaussian_expectation",
    "gbm_moment", "levy_brownian", "linear_moments", "mc_mean", "ou_moments",
    "OrderBySeries", "OrderEstimate", "SchemeOrder", "estimate_order", "has_weak_order", "leading_order",
    "FPSolution", "KLDecay", "kl_decay", "relative_entropy", "solve_fokker_planck_1d",
    "algorithms", "PGDParameters", "gelfand_mitter", "gradient_descent", "noisy_gd", "perturbed_gd", "sgd", "sgld", "unit_sphere",
]
