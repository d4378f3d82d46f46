"""sgdloj.chatterjee-network: Appendix A (Assumption 3 verification), (A.1)-(A.4).

The squared error loss (A.1) of the feedforward network (A.2) with parameters (A.3), its
initialization (W_1 = 0, b = 0, so phi(x, theta_0) = 0 and F(theta_0) = mean y_i^2) and the set
Theta (A.4), on the concrete instance of :mod:`._network`."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction as Q

import sympy as sp

from symbolic import Definition, Identity, Implication, Judgement, Verdict
from symbolic.lazy_identity import LazyIdentity
from theorems.catalogue.sgdloj._network import (
    ACTS,
    DIMS,
    N_DATA,
    SHAPES,
    Instance,
    L,
    in_Theta,
    pack,
    sigma_sym,
)
from theorems.registry import Entry, Status, register

_layers_sym = []
for _l, (_rows, _cols) in enumerate(SHAPES):
    _W = [[sp.Symbol(f"w{_l + 1}_{r}{c_}", positive=True) for c_ in range(_cols)] for r in range(_rows)]
    _layers_sym.append(_W)
_xs = [[sp.Symbol(f"x{i}_{j}", real=True) for j in range(DIMS[0])] for i in range(N_DATA)]
_ys = [sp.Symbol(f"y{i}", real=True) for i in range(N_DATA)]


def _phi_sym(x: Sequence[sp.Expr], W1_zero: bool = True) -> sp.Expr:
    """phi(x, theta) of (A.2) for symbolic weights and b = 0 (W_1 = 0 unless ``W1_zero`` is false)."""
    h = list(x)
    for l, W in enumerate(_layers_sym):
        Wl = [[sp.Integer(0)] * len(W[0]) for _ in W] if (l == 0 and W1_zero) else W
        pre = [sum((w * v for w, v in zip(row, h, strict=True)), sp.Integer(0)) for row in Wl]  # b = 0
        h = [sigma_sym(ACTS[l], u) for u in pre] if l < L - 1 else pre
    return h[0]


def _at_W1_zero(e: sp.Expr) -> sp.Expr:
    """e with the first layer's weights set to 0 by an unevaluated Subs: the network is evaluated at
    W_1 = 0 in the check, not when the sides are built (issue 10)."""
    w1 = [w for row in _layers_sym[0] for w in row]
    return sp.Subs(e, w1, [sp.Integer(0)] * len(w1), evaluate=False)


F_theta0 = LazyIdentity(
    "F(theta_0) = (1/n) sum y_i^2 at W_1 = 0, b = 0 (W_2..W_L symbolic)",
    lambda: (
        _at_W1_zero(sum(((yy - _phi_sym(x, W1_zero=False)) ** 2 for x, yy in zip(_xs, _ys, strict=True)), sp.Integer(0)) / N_DATA),
        sum((yy**2 for yy in _ys), sp.Integer(0)) / N_DATA,
    ),
    statement=r"F(\theta_0)=\frac1n\sum_{i=1}^n\big(y_i-\varphi(x_i,\theta_0)\big)^2=\frac1n\sum_{i=1}^ny_i^2",
    note="$\\varphi(x,\\theta_0)=0$ because $W_1=0$, $b=0$ and $\\tilde\\sigma_l(0)=0$; the later weights are arbitrary symbols.",
)
phi_theta0 = LazyIdentity(
    "phi(x, theta_0) = 0",
    lambda: (_at_W1_zero(_phi_sym(_xs[0], W1_zero=False)), sp.Integer(0)),
    statement=r"\varphi(x,\theta_0)=0",
)


def _packed_length(ex: tuple[tuple[int, int], ...]) -> Judgement:
    """Whether the code's packed parameter vector for layers of shapes (d_l, d_{l-1}) has
    sum_l d_l (d_{l-1} + 1) entries (weights and biases)."""
    shapes = ex
    got = len(pack([([[0] * c_ for _ in range(r)], [0] * r) for r, c_ in shapes]))
    want = sum(r * (c_ + 1) for r, c_ in shapes)
    return Judgement(got == want, Verdict.PROVED, f"packed length {got}, formula {want}")


# formerly Identity(21, 21): both sides were integers computed at import (issue 10); the
# count is a property of the code's packing, decided on example shapes (at most checked)
param_count = Definition(
    "p = sum_l d_l (d_{l-1} + 1): the packed parameter vector, on example shapes",
    _packed_length,
    [(f"shapes {SHAPES}", tuple(SHAPES), True), ("shapes ((3, 2), (1, 3))", ((3, 2), (1, 3)), True), ("one layer (1, 1)", ((1, 1),), True)],
    statement=r"\dim\theta=\sum_{l=1}^Ld_l(d_{l-1}+1)",
)
_u = sp.Symbol("u", real=True)
_tt, _cs = sp.symbols("t c", real=True)
# sigma(0) is substituted in the check (unevaluated Subs), not at import (issue 10: "0 = 0")
act_zero = [Identity(f"sigma(0) = 0 ({k})", sp.Subs(sigma_sym(k, _u), _u, 0), sp.Integer(0), statement=r"\tilde\sigma(0)=0") for k in ("tanh", "sin")]
act_deriv_tanh = Identity(
    "sigma'(u) = 1 + (1 - tanh(u)^2)/2 for sigma = u + tanh(u)/2",
    sp.Derivative(sigma_sym("tanh", _u), _u),  # differentiated in the check
    1 + (1 - sp.tanh(_u) ** 2) / 2,
    statement=r"\frac{d}{du}\Big(u+\frac{\tanh u}{2}\Big)=1+\frac{1-\tanh^2u}{2}",
)
act_c_tanh = Implication(
    "t = tanh(u) in [-1, 1] gives sigma' >= 1 = c",
    hypotheses=[_tt**2 <= 1],
    conclusion=sp.Ge(1 + (1 - _tt**2) / 2, 1),
    statement=r"\tanh^2u\le1\implies1+\frac{1-\tanh^2u}{2}\ge1",
)
act_deriv_sin = Identity(
    "sigma'(u) = 1 + cos(u)/2 for sigma = u + sin(u)/2",
    sp.Derivative(sigma_sym("sin", _u), _u),  # differentiated in the check
    1 + sp.cos(_u) / 2,
    statement=r"\frac{d}{du}\Big(u+\frac{\sin u}{2}\Big)=1+\frac{\cos u}{2}",
)
act_c_sin = Implication(
    "cos(u) in [-1, 1] gives sigma' >= 1/2 = c (attained at u = pi)",
    hypotheses=[_cs >= -1, _cs <= 1],
    conclusion=sp.And(sp.Ge(1 + _cs / 2, sp.Rational(1, 2)), sp.Eq((1 + _cs / 2).subs(_cs, -1), sp.Rational(1, 2))),
    statement=r"-1\le\cos u\le1\implies1+\frac{\cos u}{2}\ge\frac12=1+\frac{\cos\pi}{2}",
)


def _theta_judge(ex: tuple[Instance, tuple[Q, ...]]) -> Judgement:
    """Exact membership of theta' in Theta (A.4)."""
    inst, theta = ex
    ok = in_Theta(inst, theta)
    return Judgement(ok, Verdict.PROVED, "exact rational test of (A.4)")


def _example_instance() -> tuple[Instance, tuple[Q, ...]]:
    """A hand-made instance with R = 4 and a point theta' of Theta (pre-activations (1, 1), (2, 1))."""
    X = ((Q(1), Q(0)), (Q(1), Q(1)))
    R = Q(4)
    layers0 = [([[Q(0), Q(0)], [Q(0), Q(0)]], [Q(0), Q(0)]), ([[R, R], [R, R]], [Q(0), Q(0)]), ([[R, R + 1], [R, R]], [Q(0), Q(0)]), ([[Q(3), Q(3)]], [Q(0)])]
    theta0 = pack(layers0)
    inst = Instance(X, (Q(1), Q(-1, 2)), theta0, Q(1, 10))
    # W_1' with W_1' x_1 = (1, 1), W_1' x_2 = (2, 1): W_1' = [[1, 1], [1, 0]]
    layers = [([[Q(1), Q(1)], [Q(1), Q(0)]], [Q(0), Q(0)]), ([[R, R], [R, R]], [Q(0), Q(1, 10)]), ([[R, R + 1], [R, R]], [Q(0), Q(0)]), ([[Q(3), Q(3)]], [Q(0)])]
    return inst, pack(layers)


_inst0, _theta_in = _example_instance()


def _with_entry(theta: tuple[Q, ...], index: int, value: Q) -> tuple[Q, ...]:
    """theta with the entry at ``index`` replaced by ``value``."""
    t = list(theta)
    t[index] = value
    return tuple(t)


_b2_index = 4 + 2 + 4  # the first entry of b_2: after W_1 (4 entries), b_1 (2) and W_2 (4)
theta_definition = Definition(
    "Theta (A.4): exact membership",
    predicate=_theta_judge,
    examples=[
        ("theta_0 itself", (_inst0, _inst0.theta0), True),
        ("W_1' = [[1,1],[1,0]], b_2' = (0, 1/10): pre-activations (1,1), (2,1) >= |theta'-theta_0|/10", (_inst0, _theta_in), True),
        ("same with b_2'_1 = -1/10 < 0", (_inst0, _with_entry(_theta_in, _b2_index, Q(-1, 10))), False),
        ("same with W_1' entry (2,1) = -1: pre-activation (W_1'x_2)_2 = -1 + 0 < 0", (_inst0, _with_entry(_theta_in, 2, Q(-1))), False),
        ("same with alpha~ = 1: 1 < |theta'-theta_0|", (Instance(_inst0.X, _inst0.y, _inst0.theta0, Q(1)), _theta_in), False),
    ],
    statement=r"\Theta=\{\theta':(W_1'x_i+b_1')_j\ge\tilde\alpha|\theta'-\theta_0|,\ b_l'\ge0\ (2\le l\le L)\}",
)


def _lambda0_judge(X: tuple[tuple[Q, ...], ...]) -> Judgement:
    """lambda_0 = lambda_min(X^T X / n) > 0, exactly (sympy eigenvalues of a rational matrix)."""
    M = sp.Matrix([[sp.Rational(v.numerator, v.denominator) for v in x] for x in X]).T
    G = M.T * M / len(X)
    lam = min(G.eigenvals())
    return Judgement(bool(sp.N(lam, 30) > 0), Verdict.PROVED, f"lambda_0 = {sp.nsimplify(lam)}")


lambda0_definition = Definition(
    "lambda_0 = lambda_min(X^T X / n) > 0 iff the inputs are linearly independent: decided on the listed inputs",
    predicate=_lambda0_judge,
    examples=[
        ("x_1 = (1, 0), x_2 = (1, 1)", ((Q(1), Q(0)), (Q(1), Q(1))), True),
        ("x_1 = (1, 2), x_2 = (2, 4) (dependent)", ((Q(1), Q(2)), (Q(2), Q(4))), False),
    ],
    statement=r"\lambda_0=\lambda_{\min}\big(\tfrac1nX^\top X\big)>0",
)

register(
    Entry(
        id="sgdloj.chatterjee-network",
        title="The network (A.1)-(A.3), its initialization and the set Theta (A.4)",
        where="Appendix A (A.1)-(A.4), and the first lines of the proof of Theorem A.2",
        statement=(
            r"$F(\theta):=\frac1n\sum_{i=1}^n(y_i-\varphi(x_i,\theta))^2$ (A.1), $\varphi(x,\theta):=\tilde\sigma_L(W_L\tilde\sigma_{L-1}(\cdots(W_2\tilde\sigma_1(W_1x+b_1)+b_2)\cdots)+b_L)$ (A.2), "
            r"$\theta=(W_1,b_1,\dots,W_L,b_L)\in\mathbb R^p$, $p=\sum_ld_l(d_{l-1}+1)$ (A.3); $\lambda_0>0$ the minimum eigenvalue of $\frac1nX^\top X$ when $d\ge n$; "
            r"$\Theta=\{\theta'\in\mathbb R^p:(W_1'x_i+b_1')_j\ge\tilde\alpha|\theta'-\theta_0|,\ b_l'\ge0,\ 2\le l\le L\}$ (A.4). "
            r"With $b_l=0$, $W_1=0$ and positive $W_2,\dots,W_{L-1}$, $\varphi(x,\theta_0)=0$ for each $x$, thus $F(\theta_0)=\frac1n\sum_iy_i^2$."
        ),
        hypotheses=[r"$\tilde\sigma_l\in C^2$, $\tilde\sigma_l(0)=0$, $c_l=\min\tilde\sigma_l'>0$", r"$x_1,\dots,x_n$ linearly independent, $d\ge n$"],
        checks=[F_theta0, phi_theta0, param_count, *act_zero, act_deriv_tanh, act_c_tanh, act_deriv_sin, act_c_sin, theta_definition, lambda0_definition],
        status=Status.VERIFIED,
        reading=f"Concrete instance: L = {L}, widths {DIMS}, n = {N_DATA}; sigma_1 = sigma_3 = u + tanh(u)/2, sigma_2 = u + sin(u)/2, sigma_L = identity.",
    )
)
