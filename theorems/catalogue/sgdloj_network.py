"""SGD under a local Lojasiewicz condition (arXiv 2304.09221), Appendix A: Chatterjee's network.

A concrete small instance of (A.1)-(A.3): depth L = 4, widths d = d_0 = 2, d_1 = d_2 = d_3 = 2,
d_4 = 1, n = 2 linearly independent inputs, activations sigma_1 = sigma_3 = x + tanh(x)/2
(c = 1), sigma_2 = x + sin(x)/2 (c = 1/2), sigma_4 = identity. Points of Theta (A.4) are built
exactly (rationals) and tested exactly; the lower bound (A.7) and each line (A.10)-(A.15) are
checked on them in ball arithmetic. Remark A.1 (A.6) is proved with sympy on symbolic matrices.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction as Q
from typing import Any

import sympy as sp
from hypothesis import strategies as st

from symbolic import (
    Case,
    Claim,
    Definition,
    Derivation,
    Identity,
    Implication,
    Judgement,
    Step,
    Verdict,
)
from symbolic.backends import Backend, Number
from theorems.catalogue.sgdloj_landscape import LazyIdentity
from theorems.registry import Entry, Status, register

# ------------------------------------------------------------------ architecture

DIMS = (2, 2, 2, 2, 1)  # d_0 = d, d_1, ..., d_L with d_L = 1
L = len(DIMS) - 1
N_DATA = 2
ACTS = ("tanh", "sin", "tanh")  # sigma_1 .. sigma_{L-1}; sigma_L = identity
C_ACT = {"tanh": Q(1), "sin": Q(1, 2)}  # c_l = inf sigma_l'
SHAPES = [(DIMS[l + 1], DIMS[l]) for l in range(L)]  # W_{l+1} is d_{l+1} x d_l
P = sum(a * (b + 1) for a, b in SHAPES)  # number of parameters


def sigma(B: Backend, kind: str, u: Number) -> Number:
    if kind == "tanh":
        return u + B.tanh(u) / 2
    return u + B.sin(u) / 2


def sigma_sym(kind: str, u: sp.Expr) -> sp.Expr:
    return u + (sp.tanh(u) if kind == "tanh" else sp.sin(u)) / 2


def unpack(theta: Sequence) -> list[tuple[list[list], list]]:
    """theta -> [(W_1, b_1), ..., (W_L, b_L)] (row-major weights)."""
    out, i = [], 0
    for rows, cols in SHAPES:
        W = [list(theta[i + r * cols : i + (r + 1) * cols]) for r in range(rows)]
        i += rows * cols
        b = list(theta[i : i + rows])
        i += rows
        out.append((W, b))
    return out


def pack(layers: Sequence[tuple[Sequence[Sequence], Sequence]]) -> tuple:
    out: list = []
    for W, b in layers:
        for row in W:
            out.extend(row)
        out.extend(b)
    return tuple(out)


def forward(B: Backend, theta: Sequence[Number], x: Sequence[Number]) -> list[list[Number]]:
    """[phi_1(x), ..., phi_L(x)] of (A.8)-(A.9)."""
    outs = []
    h = list(x)
    for l, (W, b) in enumerate(unpack(theta)):
        pre = [B.dot(row, h) + bj for row, bj in zip(W, b, strict=True)]
        h = [sigma(B, ACTS[l], u) for u in pre] if l < L - 1 else pre
        outs.append(h)
    return outs


# ------------------------------------------------------------------ a network instance (data, theta_0, alpha~) and a point theta'


@dataclass(frozen=True)
class Instance:
    X: tuple[tuple[Q, ...], ...]  # inputs x_1..x_n (each of length d)
    y: tuple[Q, ...]
    theta0: tuple[Q, ...]
    alpha_t: Q  # alpha~ of (A.4)


def R_of(theta0: Sequence[Q]) -> Q:
    """R = min entry of W_2, ..., W_{L-1} (Theorem A.2)."""
    return min(v for W, _ in unpack(theta0)[1 : L - 1] for row in W for v in row)


def A_of(theta0: Sequence[Q]) -> Q:
    """A = min entry of W_L."""
    return min(v for row in unpack(theta0)[L - 1][0] for v in row)


def dist2(a: Sequence[Q], b: Sequence[Q]) -> Q:
    return sum(((u - v) ** 2 for u, v in zip(a, b, strict=True)), Q(0))


def in_Theta(inst: Instance, theta: Sequence[Q]) -> bool:
    """Exact membership in Theta (A.4)."""
    layers = unpack(theta)
    W1, b1 = layers[0]
    d2 = dist2(theta, inst.theta0)
    for x in inst.X:
        for row, bj in zip(W1, b1, strict=True):
            pre = sum((w * xi for w, xi in zip(row, x, strict=True)), Q(0)) + bj
            if pre < 0 or pre * pre < inst.alpha_t**2 * d2:
                return False
    return all(v >= 0 for _, b in layers[1:] for v in b)


def valid_theta0(theta0: Sequence[Q]) -> bool:
    """W_1 = 0, b = 0, entries of W_2..W_{L-1} > 0, A > R/2 > 0."""
    layers = unpack(theta0)
    if any(v != 0 for row in layers[0][0] for v in row) or any(v != 0 for _, b in layers for v in b):
        return False
    R = R_of(theta0)
    return R > 0 and A_of(theta0) > R / 2


def _det(M: list[list[Q]]) -> Q:
    """Exact determinant (Gaussian elimination over the rationals)."""
    A = [list(r) for r in M]
    n = len(A)
    det = Q(1)
    for c in range(n):
        piv = next((r for r in range(c, n) if A[r][c] != 0), None)
        if piv is None:
            return Q(0)
        if piv != c:
            A[c], A[piv] = A[piv], A[c]
            det = -det
        det *= A[c][c]
        for r in range(c + 1, n):
            f = A[r][c] / A[c][c]
            A[r] = [a - f * b for a, b in zip(A[r], A[c], strict=True)]
    return det


def linearly_independent(X: Sequence[Sequence[Q]]) -> bool:
    """det(X^T X) != 0 (exact), X = (x_1, ..., x_n)."""
    G = [[sum((a * b for a, b in zip(xi, xj, strict=True)), Q(0)) for xj in X] for xi in X]
    return _det(G) != 0


def _inverse(M: list[list[Q]]) -> list[list[Q]]:
    """Exact inverse (Gauss-Jordan over the rationals)."""
    n = len(M)
    A = [list(r) + [Q(int(i == j)) for j in range(n)] for i, r in enumerate(M)]
    for c in range(n):
        piv = next(r for r in range(c, n) if A[r][c] != 0)
        A[c], A[piv] = A[piv], A[c]
        A[c] = [v / A[c][c] for v in A[c]]
        for r in range(n):
            if r != c and A[r][c] != 0:
                f = A[r][c]
                A[r] = [a - f * b for a, b in zip(A[r], A[c], strict=True)]
    return [r[n:] for r in A]


def hypotheses_hold(inst: Instance, theta: Sequence[Q]) -> bool:
    """Everything Theorem A.2 assumes of (theta_0, theta'): theta' in Theta and in B(theta_0, R/2)."""
    if not valid_theta0(inst.theta0) or not linearly_independent(inst.X):
        return False
    R = R_of(inst.theta0)
    return in_Theta(inst, theta) and 4 * dist2(theta, inst.theta0) <= R * R


def build_instance(seed: int) -> tuple[Instance, tuple[Q, ...]]:
    """A network (data, theta_0, alpha~) and a point theta' of Theta with |theta' - theta_0| <= R/2.

    theta' is constructed: perturb W_2..W_L, draw b_1 and nonnegative b_2..b_L, choose positive
    pre-activations T_ij of the first layer and solve W_1' X = T - b_1 1^T exactly. The case is
    kept only if it passes the exact tests (the claims' ``where``), so it really lies in Theta and the ball.
    All numbers are rationals drawn from ``random.Random(seed)``.
    """
    rng = random.Random(seed)

    def rat(lo: int, hi: int, den: int) -> Q:
        return Q(rng.randint(lo, hi), den)

    while True:
        X = tuple(tuple(rat(-8, 8, 4) for _ in range(DIMS[0])) for _ in range(N_DATA))
        if linearly_independent(X):
            break
    y = tuple(rat(-4, 4, 4) for _ in range(N_DATA))
    R = rat(4, 24, 2)  # R in [2, 12]
    layers0 = []
    for l, (rows, cols) in enumerate(SHAPES):
        if l == 0:
            W = [[Q(0)] * cols for _ in range(rows)]
        elif l < L - 1:
            W = [[R + rat(0, 8, 4) for _ in range(cols)] for _ in range(rows)]
        else:
            W = [[R / 2 + rat(1, 16, 4) for _ in range(cols)] for _ in range(rows)]
        layers0.append((W, [Q(0)] * rows))
    layers0[1][0][0][0] = R  # R is the exact minimum entry of W_2..W_{L-1}
    theta0 = pack(layers0)
    alpha_t = rng.choice([Q(1, 20), Q(1, 10), Q(1, 5)])
    inst = Instance(X, y, theta0, alpha_t)
    scale = rng.choice([Q(1, 1), Q(1, 4), Q(1, 16)]) * R / 4
    Xinv = _inverse([[X[j][i] for j in range(N_DATA)] for i in range(DIMS[0])])  # X = (x_1 .. x_n) is d x n, square here
    layers = []
    for l, (rows, cols) in enumerate(SHAPES):
        if l == 0:
            b1 = [rat(-4, 4, 8) * scale for _ in range(rows)]
            T = [[rat(1, 8, 8) * scale for _ in range(N_DATA)] for _ in range(rows)]
            # W_1' X = T - b_1 1^T
            W = [[sum(((T[i][k] - b1[i]) * Xinv[k][j] for k in range(N_DATA)), Q(0)) for j in range(cols)] for i in range(rows)]
            layers.append((W, b1))
        else:
            W0, _ = layers0[l]
            W = [[W0[i][j] + rat(-4, 4, 8) * scale / 4 for j in range(cols)] for i in range(rows)]
            b = [rat(0, 4, 8) * scale / 4 for _ in range(rows)]
            layers.append((W, b))
    return inst, pack(layers)


def instances() -> st.SearchStrategy[tuple[Instance, tuple[Q, ...]]]:
    return st.integers(0, 2**32 - 1).map(build_instance)


def network_cases() -> st.SearchStrategy[Case]:
    def to_case(pair: tuple[Instance, tuple[Q, ...]]) -> Case:
        inst, theta = pair
        pts = {"theta": theta, "theta0": inst.theta0, "y": inst.y}
        for i, x in enumerate(inst.X):
            pts[f"x{i}"] = x
        return Case(params={"alpha_t": inst.alpha_t}, points=pts)

    return instances().map(to_case)


def _inst(c: Case) -> Instance:
    return Instance(tuple(c.points[f"x{i}"] for i in range(N_DATA)), c.points["y"], c.points["theta0"], c.params["alpha_t"])


def _where(c: Case) -> bool:
    return hypotheses_hold(_inst(c), c.points["theta"])


# ------------------------------------------------------------------ margins


def _phis(c: Case, B: Backend) -> list[list[list[Number]]]:
    """phis[i][l] = phi_{l+1}(x_i, theta')."""
    th = c.x(B, "theta")
    return [forward(B, th, c.x(B, f"x{i}")) for i in range(N_DATA)]


def _F(c: Case, B: Backend, theta: str = "theta") -> Number:
    th = c.x(B, theta)
    ys = c.x(B, "y")
    total = B.num(0)
    for i in range(N_DATA):
        phi = forward(B, th, c.x(B, f"x{i}"))[-1][0]
        total = total + (ys[i] - phi) ** 2
    return total / N_DATA


def _dist(c: Case, B: Backend) -> Number:
    return B.norm(B.sub(c.x(B, "theta"), c.x(B, "theta0")))


def _mean_y2(c: Case, B: Backend) -> Number:
    return B.norm2(c.x(B, "y")) / N_DATA


def _c_prod(upto: int) -> Q:
    out = Q(1)
    for l in range(upto):
        out *= C_ACT[ACTS[l]]
    return out


def _d_prod(upto: int) -> int:
    out = 1
    for l in range(1, upto + 1):
        out *= DIMS[l]
    return out


def layer_bound(c: Case, B: Backend, layer: int) -> Number:
    """Right side of (A.11)-(A.13) for phi_layer (1 <= layer <= L-1), of (A.14) for layer = L."""
    R = R_of(c.points["theta0"])
    at = c.p(B, "alpha_t")
    if layer < L:
        # c_layer...c_1 d_{layer-1}...d_1 (R/2)^{layer-1} alpha~ |theta' - theta0|
        return B.num(_c_prod(layer) * _d_prod(layer - 1) * (R / 2) ** (layer - 1)) * at * _dist(c, B)
    A = A_of(c.points["theta0"])
    return B.num((A - R / 2) * (R / 2) ** (L - 2) * _c_prod(L - 1) * _d_prod(L - 1)) * at * _dist(c, B)


def bound_A7(c: Case, B: Backend) -> Number:
    R = R_of(c.points["theta0"])
    A = A_of(c.points["theta0"])
    at = c.p(B, "alpha_t")
    K = (A - R / 2) ** 2 * (R / 2) ** (2 * L - 4) * (_c_prod(L - 1) * _d_prod(L - 1)) ** 2
    return at * at / 2 * B.num(K) * B.norm2(B.sub(c.x(B, "theta"), c.x(B, "theta0"))) - _mean_y2(c, B)


def _layer_margin(layer: int) -> Callable[[Case, Backend], Number]:
    def margin(c: Case, B: Backend) -> Number:
        phis = _phis(c, B)
        vals = [v for i in range(N_DATA) for v in phis[i][layer - 1]]
        return B.min(*vals) - layer_bound(c, B, layer)

    return margin


def _young_lhs(c: Case, B: Backend) -> Number:
    phis = _phis(c, B)
    ys = c.x(B, "y")
    total = B.num(0)
    for i in range(N_DATA):
        phi = phis[i][-1][0]
        total = total + ys[i] ** 2 + phi**2 - 2 * B.abs(phi) * B.abs(ys[i])
    return total / N_DATA


def _half_phi2(c: Case, B: Backend) -> Number:
    phis = _phis(c, B)
    total = B.num(0)
    for i in range(N_DATA):
        total = total + phis[i][-1][0] ** 2
    return total / (2 * N_DATA) - _mean_y2(c, B)


CASES = network_cases()


def _claim(name: str, **kw: Any) -> Claim:
    return Claim(name, cases=CASES, where=_where, **kw)


claim_A7 = _claim(
    "(A.7) on random networks and points of Theta in B(theta_0, R/2)",
    lhs=lambda c, B: _F(c, B),
    rel=">=",
    rhs=bound_A7,
    statement=r"F(\theta')\ge\frac{\tilde\alpha^2}{2}(A-R/2)^2(R/2)^{2L-4}(c_{L-1}\cdots c_1d_{L-1}\cdots d_1)^2|\theta'-\theta_0|^2-\frac1n\sum_iy_i^2",
    note=f"L = {L}, widths {DIMS}, n = {N_DATA}; activations sigma_1 = sigma_3 = x + tanh(x)/2 (c = 1), sigma_2 = x + sin(x)/2 (c = 1/2). Points are constructed in Theta and checked exactly.",
)

# symbolic ingredients
_y, _ph = sp.symbols("y phi", real=True)
young = Implication(
    "Young: y^2 + phi^2 - 2|phi||y| >= phi^2/2 - y^2",
    hypotheses=[],
    conclusion=sp.Ge(_y**2 + _ph**2 - 2 * sp.Abs(_ph) * sp.Abs(_y), _ph**2 / 2 - _y**2),
    statement=r"y^2+\varphi^2-2|\varphi||y|\ge\frac{\varphi^2}{2}-y^2",
    note="$2|\\varphi||y|\\le\\frac{\\varphi^2}{2}+2y^2$.",
)
_w1, _w2, _u1, _u2, _bb, _h, _mm, _cc, _sS = sp.symbols("w_1 w_2 u_1 u_2 b h m c sigmaS", real=True)
_S = _w1 * _u1 + _w2 * _u2 + _bb
layer_step = Implication(
    "one layer: entries >= R/2, inputs >= m >= 0, bias >= 0, sigma(s) >= c s for s >= 0 give sigma(...) >= c d (R/2) m",
    hypotheses=[_w1 >= _h, _w2 >= _h, _h >= 0, _u1 >= _mm, _u2 >= _mm, _mm >= 0, _bb >= 0, _cc > 0, _sS >= _cc * _S],
    conclusion=sp.Ge(_sS, 2 * _cc * _h * _mm),
    statement=r"W'_{jk}\ge\tfrac R2,\ \varphi_k\ge m\ge0,\ b'_j\ge0,\ \sigma(s)\ge cs\ (s\ge0)\implies\sigma\Big(\sum_{k=1}^{2}W'_{jk}\varphi_k+b'_j\Big)\ge2c\tfrac R2m",
    note="Width 2 (as in the instance); $\\sigma(s)\\ge cs$ for $s\\ge0$ follows from $\\sigma(0)=0$, $\\sigma'\\ge c$ (mean value theorem).",
)
_w0, _w, _Rs = sp.symbols("w_0 w R", real=True)
entry_bound = Implication(
    "an entry w_0 >= R moved by at most |theta' - theta_0| <= R/2 stays >= R/2",
    hypotheses=[_w0 >= _Rs, sp.Abs(_w - _w0) <= _Rs / 2],
    conclusion=sp.Ge(_w, _Rs / 2),
    statement=r"w_0\ge R,\ |w-w_0|\le|\theta'-\theta_0|\le\tfrac R2\implies w\ge\tfrac R2",
    note="Likewise the entries of $W'_L$ are $\\ge A-R/2>0$.",
)
_sv = sp.Symbol("s", nonnegative=True)


def _sigma_of_s(kind: str) -> Callable[[Case, Backend], Number]:
    return lambda c, B: sigma(B, kind, c.p(B, "s"))


def _c_times_s(kind: str) -> Callable[[Case, Backend], Number]:
    return lambda c, B: B.num(C_ACT[kind]) * c.p(B, "s")


mvt_claims = [
    Claim(
        f"sigma(s) >= c s for s >= 0 ({kind})",
        cases=st.integers(0, 4000).map(lambda k: Case(params={"s": Q(k, 80)}, bounds={})),
        lhs=_sigma_of_s(kind),
        rel=">=",
        rhs=_c_times_s(kind),
        statement=r"\sigma(s)\ge " + sp.latex(sp.Rational(C_ACT[kind].numerator, C_ACT[kind].denominator)) + r"\,s\quad(s\ge0,\ \sigma(s)=s+\tfrac12" + (r"\tanh" if kind == "tanh" else r"\sin") + r" s)",
    )
    for kind in ("tanh", "sin")
]

derivation_A10_A15 = Derivation(
    "(A.10)-(A.15) line by line",
    start=r"F(\theta')",
    steps=[
        Step(
            ">=",
            r"\frac1n\sum_{i=1}^n\big(y_i^2+\varphi(x_i,\theta')^2-2|\varphi(x_i,\theta')||y_i|\big)",
            "expand the square, $-2\\varphi y\\ge-2|\\varphi||y|$",
            check=_claim("(A.10) first inequality", lhs=lambda c, B: _F(c, B), rel=">=", rhs=_young_lhs, statement=r"F(\theta')\ge\frac1n\sum_i\big(y_i^2+\varphi_i^2-2|\varphi_i||y_i|\big)"),
            label="(A.10)",
        ),
        Step(
            ">=",
            r"\frac1{2n}\sum_{i=1}^n\varphi(x_i,\theta')^2-\frac1n\sum_{i=1}^ny_i^2",
            "Young's inequality",
            check=young,
            label="(A.10)",
        ),
        Step(
            ">=",
            r"\frac{\tilde\alpha^2}{2}(A-R/2)^2(R/2)^{2L-4}(c_{L-1}\cdots c_1d_{L-1}\cdots d_1)^2|\theta'-\theta_0|^2-\frac1n\sum_{i=1}^ny_i^2",
            "(A.14) squared and averaged (the lower bound in (A.14) is nonnegative)",
            check=_claim("(A.15) from (A.14)", lhs=_half_phi2, rel=">=", rhs=bound_A7, statement=r"\frac1{2n}\sum_i\varphi_i^2-\frac1n\sum_iy_i^2\ge\text{(A.15)}"),
            label="(A.15)",
        ),
    ],
)

layer_claims = [
    _claim(
        "(A.11) phi_1(x_i, theta')_j >= c_1 alpha~ |theta' - theta_0|",
        margin=_layer_margin(1),
        statement=r"\varphi_1(x_i,\theta')_j\ge c_1\tilde\alpha|\theta'-\theta_0|",
    ),
    _claim(
        "(A.12) phi_2(x_i, theta')_j >= c_2 c_1 d_1 (R/2) alpha~ |theta' - theta_0|",
        margin=_layer_margin(2),
        statement=r"\varphi_2(x_i,\theta')_j\ge c_2c_1d_1\frac R2\tilde\alpha|\theta'-\theta_0|",
    ),
    _claim(
        "(A.13) phi_{L-1}(x_i, theta')_j >= c_{L-1}...c_1 d_{L-2}...d_1 (R/2)^{L-2} alpha~ |theta' - theta_0|",
        margin=_layer_margin(L - 1),
        statement=r"\varphi_{L-1}(x_i,\theta')_j\ge c_{L-1}\cdots c_1d_{L-2}\cdots d_1(R/2)^{L-2}\tilde\alpha|\theta'-\theta_0|",
    ),
    _claim(
        "(A.14) phi(x_i, theta') >= (A - R/2)(R/2)^{L-2} c_{L-1}...c_1 d_{L-1}...d_1 alpha~ |theta' - theta_0|",
        margin=_layer_margin(L),
        statement=r"\varphi(x_i,\theta')\ge(A-R/2)(R/2)^{L-2}c_{L-1}\cdots c_1d_{L-1}\cdots d_1\tilde\alpha|\theta'-\theta_0|",
    ),
]

layer_derivation = Derivation(
    "(A.11)-(A.14) layer by layer",
    start=r"\theta'\in\Theta\cap B(\theta_0,R/2)",
    steps=[
        Step("=>", layer_claims[0].statement, "(A.4) and $\\tilde\\sigma_1(s)\\ge c_1s$ for $s\\ge0$", check=layer_claims[0], label="(A.11)"),
        Step("=>", layer_claims[1].statement, "entries of $W_2'$ are $\\ge R/2$, $b_2'\\ge0$, $d_1$ terms each $\\ge\\frac R2\\min\\varphi_1$ (one-layer step)", check=layer_claims[1], label="(A.12)"),
        Step("=>", layer_claims[2].statement, "iterate the one-layer step up to layer $L-1$", check=layer_claims[2], label="(A.13)"),
        Step("=>", layer_claims[3].statement, "last layer: identity activation, entries of $W_L'$ are $\\ge A-R/2$, $b_L'\\ge0$", check=layer_claims[3], label="(A.14)"),
    ],
    note="Each implication is checked by its conclusion on the constructed points (ball arithmetic); the one-layer step and the entry bound are proved separately by z3.",
)

# ------------------------------------------------------------------ (A.7) where it is tight
#
# The instance above has activations with sigma(s) > c s and widths 2, so (A.7) has slack >= 5000x on
# most points (and 36 % of them are settled by F >= 0 alone): a constant wrong by 1000x would pass.
# Theorem A.2 also covers linear activations sigma_l(s) = c_l s (C^2, sigma(0) = 0, min sigma' = c_l
# attained) and widths 1. With depth L = 3, d = n = 1, every inequality of the proof is then nearly an
# equality: W_2' = R - delta_2 with delta_2 close to R/2, A >> R, the pre-activation on the boundary of
# Theta, and y = phi/2 (equality in Young's inequality). There (A.7) holds within a few percent.

TIGHT_C = (Q(1), Q(1, 2))  # c_1, c_2 of the linear activations sigma_l(s) = c_l s


@dataclass(frozen=True)
class TightInstance:
    """Depth 3, widths 1, n = 1, linear activations: theta_0 = (0, 0, R, 0, A, 0), theta' = (w1, 0, R - d2, 0, A, 0)."""

    R: Q
    A: Q
    x: Q
    w1: Q
    d2: Q
    alpha_t: Q
    y: Q

    def dist2(self) -> Q:
        return self.w1 * self.w1 + self.d2 * self.d2

    def phi(self) -> Q:
        c1, c2 = TIGHT_C
        return self.A * c2 * ((self.R - self.d2) * c1 * (self.w1 * self.x))

    def hypotheses_hold(self) -> bool:
        """Theorem A.2's hypotheses, exactly: A > R/2 > 0, x != 0, theta' in Theta (A.4) and in B(theta_0, R/2)."""
        pre = self.w1 * self.x
        return (
            self.R > 0 and self.A > self.R / 2 and self.x != 0 and self.alpha_t > 0
            and pre >= 0 and pre * pre >= self.alpha_t**2 * self.dist2() and 4 * self.dist2() <= self.R**2
        )


def _below_sqrt(v: Q, den: int = 10**6) -> Q:
    """A rational q >= 0 with q^2 <= v, within about 1/den of sqrt(v)."""
    q = Q(int(float(v) ** 0.5 * den), den)
    while q * q > v:
        q -= Q(1, den)
    return max(q, Q(0))


def build_tight(R: Q, m: int, x: Q, eps: Q) -> TightInstance:
    """delta_2 = (R/2)(1 - eps), w1 as large as the ball allows, alpha~ on the boundary of Theta, A = m R, y = phi/2."""
    d2 = R / 2 * (1 - eps)
    w1 = _below_sqrt(R * R / 4 - d2 * d2)
    inst = TightInstance(R, m * R, x, w1, d2, Q(1), Q(0))
    at = _below_sqrt((w1 * x) ** 2 / inst.dist2())
    inst = TightInstance(R, m * R, x, w1, d2, at, Q(0))
    return TightInstance(R, m * R, x, w1, d2, at, inst.phi() / 2)


def _tight_cases() -> st.SearchStrategy[Case]:
    def to_case(t: tuple[int, int, int, int]) -> Case:
        R = Q(t[0], 4)
        inst = build_tight(R, t[1], Q(t[2], 8), Q(t[3], 1000))
        return Case(params={k: getattr(inst, k) for k in ("R", "A", "x", "w1", "d2", "alpha_t", "y")})

    return st.tuples(st.integers(4, 16), st.sampled_from([50, 100, 200]), st.integers(4, 16), st.integers(1, 40)).map(to_case)


def _tight_inst(c: Case) -> TightInstance:
    return TightInstance(*(c.params[k] for k in ("R", "A", "x", "w1", "d2", "alpha_t", "y")))


def _tight_margin(factor: Q) -> Callable[[Case, Backend], Number]:
    """F(theta') minus ``factor`` times the first term of (A.7), plus (1/n) sum y_i^2, in backend arithmetic."""

    def margin(c: Case, B: Backend) -> Number:
        p = {k: c.p(B, k) for k in ("R", "A", "x", "w1", "d2", "alpha_t", "y")}
        c1, c2 = B.num(TIGHT_C[0]), B.num(TIGHT_C[1])
        phi = p["A"] * c2 * ((p["R"] - p["d2"]) * c1 * (p["w1"] * p["x"]))
        F = (p["y"] - phi) ** 2
        dist2 = p["w1"] ** 2 + p["d2"] ** 2
        half_R = p["R"] / 2
        K = (p["A"] - half_R) ** 2 * half_R**2 * (c2 * c1) ** 2  # (A - R/2)^2 (R/2)^(2L-4) (c_2 c_1 d_2 d_1)^2, L = 3, d = 1
        return F - (B.num(factor) * p["alpha_t"] ** 2 / 2 * K * dist2 - p["y"] ** 2)

    return margin


def tight_A7_claim(factor: Q = Q(1)) -> Claim:
    """(A.7) on the nearly tight instances; ``factor`` multiplies its constant (1: as stated).
    property_tests/test_check_power.py shows that factor 11/10 is refuted."""
    name = "(A.7) where it is nearly tight: depth 3, widths 1, linear activations, points on the boundary of Theta"
    return Claim(
        name if factor == 1 else f"{name}, constant x{factor}",
        cases=_tight_cases(),
        margin=_tight_margin(factor),
        where=lambda c: _tight_inst(c).hypotheses_hold(),
        statement=r"F(\theta')\ge\frac{\tilde\alpha^2}{2}(A-R/2)^2(R/2)^{2}(c_2c_1)^2|\theta'-\theta_0|^2-y^2\quad(L=3,\ d_l=1,\ n=1,\ \tilde\sigma_l(s)=c_ls)",
        note=(
            "Linear activations $c_1=1$, $c_2=1/2$; $\\theta_0=(0,0,R,0,A,0)$, $\\theta'=(w_1,0,R-\\delta_2,0,A,0)$ with $\\delta_2=\\frac R2(1-\\epsilon)$, "
            "$\\epsilon\\in[10^{-3},0.04]$, $A=mR$, $m\\in\\{50,100,200\\}$, $\\tilde\\alpha$ within $10^{-6}$ of the boundary of $\\Theta$, $y=\\varphi/2$; "
            "every hypothesis is tested exactly. The ratio $\\varphi/\\text{(A.14) bound}$ is $(1+\\epsilon)\\,A/(A-R/2)$, at most about $1.05$: "
            "a constant of (A.7) $10\\,\\%$ too large is refuted (the power tests of the suite)."
        ),
    )


claim_A7_tight = tight_A7_claim()

# ------------------------------------------------------------------ the closing claim of Appendix A: M_0 > 0 on the annulus
#
# "If R is large enough compared with (1/n) sum y_i^2, we can find M_0 > 0 such that F(theta') >= M_0 for
# R/2 - 1 <= |theta' - theta_0| <= R/2": read as K (R/2 - 1)^2 > (1/n) sum y_i^2, K the constant of (A.7),
# and M_0 = K (R/2 - 1)^2 - (1/n) sum y_i^2.

_K, _D, _Rr, _Y, _Fv = sp.symbols("K D R Y F", real=True)
annulus_implication = Implication(
    "closing claim: (A.15) and K (R/2 - 1)^2 > mean y^2 give F >= M_0 := K (R/2 - 1)^2 - mean y^2 > 0 on the annulus",
    hypotheses=[_K > 0, _Y >= 0, _Rr > 2, _D >= _Rr / 2 - 1, _D <= _Rr / 2, _Fv >= _K * _D**2 - _Y, _K * (_Rr / 2 - 1) ** 2 > _Y],
    conclusion=sp.And(_Fv >= _K * (_Rr / 2 - 1) ** 2 - _Y, _K * (_Rr / 2 - 1) ** 2 - _Y > 0),
    statement=(
        r"F(\theta')\ge K|\theta'-\theta_0|^2-\bar y^2,\ \tfrac R2-1\le|\theta'-\theta_0|\le\tfrac R2,\ K(\tfrac R2-1)^2>\bar y^2"
        r"\implies F(\theta')\ge M_0:=K(\tfrac R2-1)^2-\bar y^2>0"
    ),
    note="$K=\\frac{\\tilde\\alpha^2}{2}(A-R/2)^2(R/2)^{2L-4}(c_{L-1}\\cdots c_1d_{L-1}\\cdots d_1)^2$, $\\bar y^2=\\frac1n\\sum_iy_i^2$, $D=|\\theta'-\\theta_0|$.",
)


def _annulus_cases() -> st.SearchStrategy[Case]:
    def to_case(t: tuple[int, int, int, int]) -> Case:
        inst = build_tight(Q(t[0], 4), t[1], Q(t[2], 8), Q(t[3], 1000))
        return Case(params={k: getattr(inst, k) for k in ("R", "A", "x", "w1", "d2", "alpha_t", "y")})

    return st.tuples(st.integers(32, 800), st.sampled_from([2, 10, 100]), st.integers(4, 16), st.integers(1, 40)).map(to_case)


def _M0(c: Case, B: Backend) -> Number:
    p = {k: c.p(B, k) for k in ("R", "A", "alpha_t", "y")}
    c1, c2 = B.num(TIGHT_C[0]), B.num(TIGHT_C[1])
    half_R = p["R"] / 2
    K = p["alpha_t"] ** 2 / 2 * (p["A"] - half_R) ** 2 * half_R**2 * (c2 * c1) ** 2
    return K * (half_R - 1) ** 2 - p["y"] ** 2


def _on_annulus(c: Case) -> bool:
    """The theorem's hypotheses, the annulus and M_0 > 0, all tested in exact rationals."""
    t = _tight_inst(c)
    c1, c2 = TIGHT_C
    K = t.alpha_t**2 / 2 * (t.A - t.R / 2) ** 2 * (t.R / 2) ** 2 * (c2 * c1) ** 2
    return t.hypotheses_hold() and t.R > 2 and t.dist2() >= (t.R / 2 - 1) ** 2 and K * (t.R / 2 - 1) ** 2 - t.y**2 > 0


def _annulus_margin(c: Case, B: Backend) -> Number:
    p = {k: c.p(B, k) for k in ("R", "A", "x", "w1", "d2", "y")}
    c1, c2 = B.num(TIGHT_C[0]), B.num(TIGHT_C[1])
    phi = p["A"] * c2 * ((p["R"] - p["d2"]) * c1 * (p["w1"] * p["x"]))
    return (p["y"] - phi) ** 2 - _M0(c, B)


annulus_claim = Claim(
    "closing claim on instances: F(theta') >= M_0 > 0 for R/2 - 1 <= |theta' - theta_0| <= R/2 (depth 3, widths 1, linear activations)",
    cases=_annulus_cases(),
    margin=_annulus_margin,
    where=_on_annulus,
    statement=r"F(\theta')\ge M_0=K(\tfrac R2-1)^2-\bar y^2>0\quad(\tfrac R2-1\le|\theta'-\theta_0|\le\tfrac R2,\ \theta'\in\Theta)",
    note="The instances of the tight check with $R\\in[8,200]$, $A/R\\in\\{2,10,100\\}$ and $|\\theta'-\\theta_0|$ within $10^{-6}$ of $R/2$ (on the annulus); only those where $R$ is large enough ($M_0>0$, tested exactly) count.",
)

register(
    Entry(
        id="sgdloj.network-lower-bound",
        title="Theorem A.2: the lower bound (A.7) on Theta intersected with B(theta_0, R/2)",
        where="Appendix A, Theorem A.2 (A.7) and its proof (A.10)-(A.15)",
        statement=(
            r"Squared error loss (A.1), network (A.2) with depth $L\ge2$, $d_L=1$, $\tilde\sigma_L=$ identity; for $l\le L-1$, $\tilde\sigma_l\in C^2$, $\tilde\sigma_l(0)=0$, $c_l:=\min_x\tilde\sigma_l'(x)>0$; "
            r"linearly independent inputs. Initialize $b_l=0$, $W_1=0$, entries of $W_2,\dots,W_{L-1}$ strictly positive, $R>0$ their minimum entry, $A>R/2>0$ the minimum entry of $W_L$. "
            r"Then for any $\theta'\in B(\theta_0,R/2)\cap\Theta$: $F(\theta')\ge\frac{\tilde\alpha^2}{2}(A-R/2)^2(R/2)^{2L-4}(c_{L-1}\cdots c_2c_1d_{L-1}\cdots d_1)^2|\theta'-\theta_0|^2-\frac1n\sum_{i=1}^ny_i^2$ (A.7). "
            r"Proof: Young's inequality (A.10); $\varphi_1(x_i,\theta')_j\ge c_1\tilde\alpha|\theta'-\theta_0|$ (A.11); $\varphi_2(x_i,\theta')_j\ge c_2c_1d_1\frac R2\tilde\alpha|\theta'-\theta_0|$ (A.12); "
            r"iterating, (A.13); the last layer (A.14); hence (A.15)."
        ),
        hypotheses=[r"$\theta'\in\Theta$ (A.4)", r"$|\theta'-\theta_0|\le R/2$"],
        checks=[claim_A7, claim_A7_tight, derivation_A10_A15, layer_derivation, layer_step, entry_bound, *mvt_claims, annulus_implication, annulus_claim],
        status=Status.VERIFIED,
        reading=(
            r"$c_l=\min_x\tilde\sigma_l'$ is read as the infimum (for $x+\tanh(x)/2$ it is $1$, not attained); only $\tilde\sigma_l(s)\ge c_ls$ for $s\ge0$ is used. "
            r"Theorem A.2 uses $B(\theta_0,R/2)$ and the closing remark the annulus $R/2-1\le|\theta'-\theta_0|\le R/2$, i.e. Assumption 3 with $R/2$ in place of $R$. "
            r"The closing remark ('if $R$ is large enough compared with $\frac1n\sum_iy_i^2$ we can find $M_0>0$ with $F\ge M_0$ on the annulus') is read as "
            r"$K(R/2-1)^2>\frac1n\sum_iy_i^2$ with $K$ the constant of (A.7), and $M_0:=K(R/2-1)^2-\frac1n\sum_iy_i^2$; for fixed $A-R/2>0$ and $L\ge2$, "
            r"$K(R/2-1)^2$ grows like $R^{2L-2}$, so this holds for all large $R$. "
            r"Power: on the paper-like instance (widths 2, activations $u+\tanh(u)/2$, $u+\sin(u)/2$) (A.7) has a slack of at least about 5000 times on most points "
            r"and a third of them are settled by $F\ge0$, so a constant wrong by 1000 times would pass there; the check on nearly tight instances "
            r"(depth 3, widths 1, linear activations, which the theorem allows) is within about 5\,\% of equality and refutes the constant times 1.1 "
            r"(the power tests of the suite)."
        ),
    )
)

# ------------------------------------------------------------------ (A.1)-(A.4): the network, F(theta_0), Theta

_Wsyms: list[list[list[sp.Symbol]]] = []
_layers_sym = []
for _l, (_rows, _cols) in enumerate(SHAPES):
    _W = [[sp.Symbol(f"w{_l + 1}_{r}{c_}", positive=True) for c_ in range(_cols)] for r in range(_rows)]
    _layers_sym.append(_W)
_xs = [[sp.Symbol(f"x{i}_{j}", real=True) for j in range(DIMS[0])] for i in range(N_DATA)]
_ys = [sp.Symbol(f"y{i}", real=True) for i in range(N_DATA)]


def _phi_sym(x: Sequence[sp.Expr], W1_zero: bool = True) -> sp.Expr:
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
    inst, theta = ex
    ok = in_Theta(inst, theta)
    return Judgement(ok, Verdict.PROVED, "exact rational test of (A.4)")


def _example_instance() -> tuple[Instance, tuple[Q, ...]]:
    X = ((Q(1), Q(0)), (Q(1), Q(1)))
    R = Q(4)
    layers0 = [([[Q(0), Q(0)], [Q(0), Q(0)]], [Q(0), Q(0)]), ([[R, R], [R, R]], [Q(0), Q(0)]), ([[R, R + 1], [R, R]], [Q(0), Q(0)]), ([[Q(3), Q(3)]], [Q(0)])]
    theta0 = pack(layers0)
    inst = Instance(X, (Q(1), Q(-1, 2)), theta0, Q(1, 10))
    # W_1' with W_1' x_1 = (1, 1), W_1' x_2 = (2, 1): W_1' = [[1, 1], [1, 0]]
    layers = [([[Q(1), Q(1)], [Q(1), Q(0)]], [Q(0), Q(0)]), ([[R, R], [R, R]], [Q(0), Q(1, 10)]), ([[R, R + 1], [R, R]], [Q(0), Q(0)]), ([[Q(3), Q(3)]], [Q(0)])]
    return inst, pack(layers)


_inst0, _theta_in = _example_instance()


def _modify(theta: tuple[Q, ...], index: int, value: Q) -> tuple[Q, ...]:
    t = list(theta)
    t[index] = value
    return tuple(t)


_b2_index = 4 + 2  # W_1 (4), b_1 (2), then W_2 starts; b_2 is after W_2 (4)
_b2_index = 4 + 2 + 4
theta_definition = Definition(
    "Theta (A.4): exact membership",
    predicate=_theta_judge,
    examples=[
        ("theta_0 itself", (_inst0, _inst0.theta0), True),
        ("W_1' = [[1,1],[1,0]], b_2' = (0, 1/10): pre-activations (1,1), (2,1) >= |theta'-theta_0|/10", (_inst0, _theta_in), True),
        ("same with b_2'_1 = -1/10 < 0", (_inst0, _modify(_theta_in, _b2_index, Q(-1, 10))), False),
        ("same with W_1' entry (2,1) = -1: pre-activation (W_1'x_2)_2 = -1 + 0 < 0", (_inst0, _modify(_theta_in, 2, Q(-1))), False),
        ("same with alpha~ = 1: 1 < |theta'-theta_0|", (Instance(_inst0.X, _inst0.y, _inst0.theta0, Q(1)), _theta_in), False),
    ],
    statement=r"\Theta=\{\theta':(W_1'x_i+b_1')_j\ge\tilde\alpha|\theta'-\theta_0|,\ b_l'\ge0\ (2\le l\le L)\}",
)


def _lambda0_judge(X: tuple[tuple[Q, ...], ...]) -> Judgement:
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

# ------------------------------------------------------------------ Remark A.1: deep linear gradient (A.6)


def _deep_linear_sides(dims: Sequence[int], n: int, l: int) -> tuple[sp.Expr, sp.Expr]:
    """<dF/dW_l, T> and <(A.6), T> for a matrix T of free symbols (sympy derivative, left unevaluated
    and taken in the check, vs the formula)."""
    Ld = len(dims) - 1
    Ws = [sp.Matrix(dims[m + 1], dims[m], lambda i, j, m=m: sp.Symbol(f"a{m + 1}_{i}{j}", real=True)) for m in range(Ld)]
    xs = [sp.Matrix(dims[0], 1, lambda i, j, k=k: sp.Symbol(f"x{k}_{i}", real=True)) for k in range(n)]
    ys = [sp.Symbol(f"y{k}", real=True) for k in range(n)]

    def prod(mats: Sequence[sp.Matrix], size: int) -> sp.Matrix:
        out = sp.eye(size)  # the empty product is the identity
        for M in mats:
            out = out * M
        return out

    full = prod(list(reversed(Ws)), dims[-1])  # W_L ... W_1
    F = sum((((full * x)[0, 0] - y) ** 2 for x, y in zip(xs, ys, strict=True)), sp.Integer(0)) / n
    W = Ws[l - 1]
    grad = W.applyfunc(lambda w: sp.Derivative(F, w))  # differentiated in the check (issue 10)
    left = prod([Ws[m - 1].T for m in range(l + 1, Ld + 1)], dims[l])  # W_{l+1}^T ... W_L^T
    right = prod([Ws[m - 1].T for m in range(1, l)], dims[0])  # W_1^T ... W_{l-1}^T
    formula = sp.zeros(*W.shape)
    for x, y in zip(xs, ys, strict=True):
        formula += left * ((full * x)[0, 0] - y) * x.T * right
    formula = formula * sp.Rational(2, n)
    # a generic linear functional of the matrix difference: zero for all T iff every entry agrees
    ts = sp.Matrix(*W.shape, lambda i, j: sp.Symbol(f"t{l}_{i}{j}", real=True))
    pair = lambda M: sum((M[i, j] * ts[i, j] for i in range(W.rows) for j in range(W.cols)), sp.Integer(0))  # noqa: E731
    return pair(grad), pair(formula)


def _deep_linear_identities(dims: Sequence[int], n: int) -> list[Identity]:
    Ld = len(dims) - 1
    return [
        LazyIdentity(
            f"(A.6) for l = {l}, L = {Ld}, widths {tuple(dims)}, n = {n}",
            lambda l=l: _deep_linear_sides(dims, n, l),
            note="Entrywise: both sides are paired with a matrix of free symbols $t_{jk}$, so the identity holds iff every entry agrees.",
            statement=rf"\frac{{\partial F}}{{\partial W_{l}}}=\frac2n\sum_iW_{{{l + 1}}}^\top\cdots W_{Ld}^\top(W_{Ld}\cdots W_1x_i-y_i)x_i^\top W_1^\top\cdots W_{{{l - 1}}}^\top",
        )
        for l in range(1, Ld + 1)
    ]


register(
    Entry(
        id="sgdloj.deep-linear-gradient",
        title="Remark A.1: the gradient of F for deep linear networks",
        where="Appendix A, Remark A.1 (A.5)-(A.6)",
        statement=(
            r"Deep linear network $\tilde\varphi(\theta,x):=W_LW_{L-1}\cdots W_1x$ (A.5). The partial derivative of $F$ with respect to $W_l$, for each $2\le l\le L$, is "
            r"$\frac{\partial F}{dW_l}=\frac2n\sum_{i=1}^nW_{l+1}^\top\cdots W_L^\top(W_LW_{L-1}\cdots W_1x_i-y_i)x_i^\top W_1^\top\cdots W_{l-1}^\top$ (A.6), "
            r"and when $l=L$, we take $W_{L+1}^\top W_L^\top$ as an identity matrix by convention."
        ),
        hypotheses=[r"biases zero, activations identity", r"$d_L=1$"],
        checks=[*_deep_linear_identities((2, 2, 1), 2), *_deep_linear_identities((2, 2, 2, 1), 2), *_deep_linear_identities((3, 2, 2, 1), 2)],
        status=Status.VERIFIED,
        reading=(
            r"The convention must mean that the leading factor $W_{l+1}^\top\cdots W_L^\top$ is the empty product (the $1\times1$ identity, as $d_L=1$) when $l=L$; "
            r"read literally, $W_{L+1}^\top W_L^\top=I$ would leave a factor $W_L^\top$ of the wrong shape. With the same convention for the trailing empty product $W_1^\top\cdots W_0^\top$ "
            r"the formula also holds for $l=1$ (checked). $\partial F/dW_l$ is read as the matrix of partial derivatives $\partial F/\partial(W_l)_{jk}$."
        ),
    )
)
