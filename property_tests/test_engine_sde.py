"""Quality tests of symbolic.sde: the operators are right, and a wrong sign, a wrong invariant density or a
wrong Itô correction is refuted (or at least not proved)."""

from __future__ import annotations

import pytest
import sympy as sp

from symbolic import CheckSettings, Expect, Verdict
from symbolic.sde import (
    SDE,
    OperatorIdentity,
    describe_witnesses,
    divergence,
    gradient,
    laplacian,
    potential,
    space,
    substitute_functions,
)

S = CheckSettings()
D = sp.Symbol("D", positive=True)
W = {"g": lambda *u: sum(v**2 for v in u) / 2 + u[0] ** 3 / 3, "p": lambda *u: sp.exp(-sum(v**2 for v in u)), "f": lambda *u: u[0] ** 2 + sum(u)}


def _run(build, dims=(1,), **kw) -> Verdict:
    return OperatorIdentity("t", build, dims=dims, witnesses=W, **kw).run(S).verdict


def _gradient_flow(d: int) -> tuple[tuple[sp.Symbol, ...], sp.Expr, SDE]:
    xs = space(d)
    g = potential("g", xs)
    return xs, g, SDE(list(-gradient(g, xs)), sp.sqrt(2 * D), xs)


# ------------------------------------------------------------------ the operators on known cases


def test_brownian_motion_generator_and_ito_correction() -> None:
    (x,) = space(1)
    bm = SDE([0], 1, (x,))
    assert bm.generator(x**2) == 1  # d(W^2) = 2W dW + dt
    dt, dw = bm.ito(x**2)
    assert dt == 1 and dw == sp.Matrix([[2 * x]])
    assert bm.fokker_planck(sp.Function("p")(x)) == sp.Derivative(sp.Function("p")(x), (x, 2)) / 2


def test_shapes_are_validated() -> None:
    xs = space(2)
    with pytest.raises(ValueError, match="drift has shape"):
        SDE([1, 2, 3], 1, xs)
    with pytest.raises(ValueError, match="rows"):
        SDE([1, 2], [[1, 0]], xs)
    with pytest.raises(ValueError, match="increment"):
        SDE([1, 2], 1, xs).euler_maruyama_step(list(xs), sp.Symbol("h"), [1])
    with pytest.raises(ValueError, match="dimension"):
        space(0)
    with pytest.raises(ValueError, match="needs at least one dimension"):
        OperatorIdentity("t", lambda d: (0, 0), dims=())


def test_rectangular_diffusion_covariance() -> None:
    xs = space(2)
    sde = SDE([0, 0], [[1, 2, 0], [0, 1, 1]], xs)
    assert sde.noise_dim == 3 and sde.covariance == sp.Matrix([[5, 2], [2, 2]])


def test_ito_two_ways_agree_for_a_general_sde() -> None:
    xs, t = space(2), sp.Symbol("t", real=True)
    b = [sp.Function(f"b{i}")(*xs, t) for i in range(2)]
    sig = [[sp.Function(f"s{i}{k}")(*xs, t) for k in range(3)] for i in range(2)]
    sde = SDE(b, sig, xs, t)
    f = sp.Function("f")(*xs, t)
    a, row = sde.ito(f)
    a2, row2 = sde.ito_by_taylor(f)
    assert sp.expand(a - a2) == 0 and sp.expand(row - row2) == sp.zeros(1, 3)


# ------------------------------------------------------------------ wrong variants are refuted


def test_ordinary_chain_rule_is_not_itos_formula() -> None:
    """Without Itô's correction (dW dW = 0) the dt coefficient misses 1/2 tr(sigma sigma^T Hess f): refuted."""

    def build(d: int) -> tuple[sp.Expr, sp.Expr]:
        xs = space(d)
        sde = SDE([sp.Function("g")(*xs)] * d, sp.sqrt(2 * D), xs)
        f = sp.Function("f")(*xs)
        return sde.ito(f)[0], sde.ito_by_taylor(f, table=lambda i, j: 0)[0]

    assert _run(build) is Verdict.REFUTED


def test_wrong_ito_correction_factor_is_refuted() -> None:
    """A generator with tr(a Hess f) instead of 1/2 tr(a Hess f) is not Itô's dt coefficient."""

    def build(d: int) -> tuple[sp.Expr, sp.Expr]:
        xs = space(d)
        sde = SDE([0] * d, sp.sqrt(2 * D), xs)
        f = sp.Function("f")(*xs)
        wrong = 2 * D * laplacian(f, xs)  # the factor 1/2 dropped
        return sde.ito_by_taylor(f)[0], wrong

    assert _run(build, dims=(2,)) is Verdict.REFUTED


def test_wrong_sign_of_the_drift_term_is_refuted() -> None:
    """Fokker-Planck with +div(p b) instead of -div(p b): refuted on an undefined g, p with concrete witnesses."""

    def build(d: int) -> tuple[sp.Expr, sp.Expr]:
        xs, g, sde = _gradient_flow(d)
        p = sp.Function("p")(*xs)
        wrong = divergence(list(p * sde.b), xs) + D * laplacian(p, xs)
        return sde.fokker_planck(p), wrong

    assert _run(build, dims=(2,)) is Verdict.REFUTED


def test_wrong_invariant_densities_are_refuted() -> None:
    for density in (lambda g: sp.exp(-g / (2 * D)), lambda g: sp.exp(g / D), lambda g: sp.exp(-2 * g / D)):

        def build(d: int, density=density) -> tuple[sp.Expr, sp.Expr]:
            xs, g, sde = _gradient_flow(d)
            return sde.fokker_planck(density(g)), sp.Integer(0)

        assert _run(build) is Verdict.REFUTED
    # and the right one is proved
    assert _run(lambda d: (_gradient_flow(d)[2].fokker_planck(sp.exp(-_gradient_flow(d)[1] / D)), 0), dims=(1, 2)) is Verdict.PROVED


def test_wrong_adjoint_flux_is_refuted() -> None:
    def build(d: int) -> tuple[sp.Expr, sp.Expr]:
        xs = space(d)
        sde = SDE([sp.Function("g")(*xs)] * d, [[sp.Function("g")(*xs)] * 2] * d, xs)
        f, p = sp.Function("f")(*xs), sp.Function("p")(*xs)
        J = sde.adjoint_flux(f, p)
        return sde.generator(f) * p - f * sde.fokker_planck(p), -divergence(J, xs)

    assert _run(build) is Verdict.REFUTED


def test_refutation_is_confirmed_by_hand() -> None:
    """The recorded counterexample of the wrong density holds exactly when recomputed."""

    def build(d: int) -> tuple[sp.Expr, sp.Expr]:
        xs, g, sde = _gradient_flow(d)
        return sde.fokker_planck(sp.exp(-g / (2 * D))), sp.Integer(0)

    out = OperatorIdentity("t", build, dims=(1,), witnesses=W).run(S)
    cex = out.evidence.counterexample
    assert out.verdict is Verdict.REFUTED and cex is not None and "g(x1) = " in cex["witnesses"]
    (x,) = space(1)
    g = W["g"](x)
    lhs = sp.diff(sp.diff(g, x) * sp.exp(-g / (2 * D)), x) + D * sp.diff(sp.exp(-g / (2 * D)), x, 2)
    value = lhs.subs({x: sp.Rational(cex["x1"]), D: sp.Rational(cex["D"])})
    assert abs(sp.N(value, 30)) > sp.Rational(1, 100)


def test_without_witnesses_an_unprovable_identity_is_undecided_not_refuted() -> None:
    xs = space(1)
    g = sp.Function("g")(*xs)
    out = OperatorIdentity("t", lambda d: (sp.diff(g, xs[0]), 0), dims=(1,)).run(S)
    assert out.verdict is Verdict.UNDECIDED


def test_coordinatewise_scope_and_failure() -> None:
    ok = OperatorIdentity("t", lambda d: (0, 0), one_coordinate=lambda x, y: (x, x))
    assert "every d" in ok.scope and ok.run(S).verdict is Verdict.PROVED
    assert OperatorIdentity("t", lambda d: (0, 0)).scope == "d = 1, 2, 3"
    bad = OperatorIdentity("t", lambda d: (0, 0), one_coordinate=lambda x, y: (x, 2 * x))
    assert bad.run(S).verdict is Verdict.REFUTED


def test_substitute_and_describe_witnesses() -> None:
    xs = space(2)
    g = sp.Function("g")(*xs)
    e = sp.diff(g, xs[0])
    assert substitute_functions(e, W) == xs[0] + xs[0] ** 2
    assert describe_witnesses([e], W) == "g(x1, x2) = x1**3/3 + x1**2/2 + x2**2/2"


# ------------------------------------------------------------------ mutants of the catalogue's checks


def test_catalogue_mutants_are_not_proved() -> None:
    from theorems.catalogue.bruna import quadratic_saddle, sgd_covariance_ode

    # GD factor 3 instead of 2
    assert OperatorIdentity("t", quadratic_saddle._closed_form(3), dims=(1,)).run(S).verdict is Verdict.REFUTED

    # covariance ODE with +SH
    def plus(d: int) -> tuple[sp.Matrix, sp.Matrix]:
        lhs, rhs = sgd_covariance_ode._covariance_ode(d)
        S_ = sgd_covariance_ode._sym("S", d)
        H = sgd_covariance_ode._sym("h", d)
        return lhs, rhs + sp.Matrix.vstack(2 * S_ * H, sp.zeros(1, d))

    assert OperatorIdentity("t", plus, dims=(1,)).run(S).verdict is Verdict.REFUTED


def test_catalogue_expectations() -> None:
    from theorems.registry import get

    e = get("bruna.brownian-heat-equation")
    assert [c.expect for c in e.checks] == [Expect.REFUTED, Expect.REFUTED]
    assert all(c.expect is Expect.HOLDS for c in e.corrected)


def test_more_catalogue_mutants_are_not_proved() -> None:
    from theorems.catalogue.bruna import (
        asymptotic_expansion,
        critical_point_index,
        gibbs_stationary,
        raginsky_decomposition,
    )

    def sign(d: int) -> tuple[sp.Expr, sp.Expr]:  # one term of the decomposition with the wrong sign
        lhs, rhs = raginsky_decomposition._telescoping(d)
        a, b, c = rhs.args
        return lhs, sp.Add(a, -b, c, evaluate=False)

    assert OperatorIdentity("t", sign, dims=(1,)).run(S).verdict is Verdict.REFUTED

    def no_noise(d: int) -> tuple[sp.Matrix, sp.Matrix]:  # dX1 without sigma(X0) dW
        lhs, rhs = asymptotic_expansion._build(d)
        return lhs, rhs.subs({s: 0 for s in rhs.free_symbols if s.name.startswith("dW")})

    assert OperatorIdentity("t", no_noise, dims=(1,)).run(S).verdict is not Verdict.PROVED

    def flux(d: int) -> tuple[sp.Matrix, sp.Matrix]:
        lhs, rhs = gibbs_stationary._flux(d)
        return lhs, 2 * rhs

    assert _run(flux) is Verdict.REFUTED
    # the classifier: a wrong expected answer is refuted
    from symbolic import Definition

    wrong = Definition("t", critical_point_index.is_strict_saddle, [("x^4 - y^4 at 0", critical_point_index.QUARTIC_SADDLE, True)])
    assert wrong.run(S).verdict is Verdict.REFUTED
