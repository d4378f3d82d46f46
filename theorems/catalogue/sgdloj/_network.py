"""The feedforward network of Appendix A of arXiv 2304.09221 (A.1)-(A.4), on a concrete small instance.

Depth L = 4, widths d = d_0 = 2, d_1 = d_2 = d_3 = 2, d_4 = 1, n = 2 linearly independent inputs,
activations sigma_1 = sigma_3 = x + tanh(x)/2 (c = 1), sigma_2 = x + sin(x)/2 (c = 1/2),
sigma_4 = identity. Points of Theta (A.4) are built exactly (rationals) and tested exactly."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp
from hypothesis import strategies as st

from symbolic import Case
from symbolic.backends import Backend, Number

DIMS = (2, 2, 2, 2, 1)  # d_0 = d, d_1, ..., d_L with d_L = 1
L = len(DIMS) - 1
N_DATA = 2
ACTS = ("tanh", "sin", "tanh")  # sigma_1 .. sigma_{L-1}; sigma_L = identity
C_ACT = {"tanh": Q(1), "sin": Q(1, 2)}  # c_l = inf sigma_l'
SHAPES = [(DIMS[l + 1], DIMS[l]) for l in range(L)]  # W_{l+1} is d_{l+1} x d_l


def sigma(B: Backend, kind: str, u: Number) -> Number:
    """The activation u + tanh(u)/2 (``kind`` "tanh") or u + sin(u)/2 ("sin"), in backend arithmetic."""
    if kind == "tanh":
        return u + B.tanh(u) / 2
    return u + B.sin(u) / 2


def sigma_sym(kind: str, u: sp.Expr) -> sp.Expr:
    """The same activation as a sympy expression."""
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
    """[(W_1, b_1), ..., (W_L, b_L)] -> theta, the inverse of :func:`unpack`."""
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


@dataclass(frozen=True)
class Instance:
    """Data x_1..x_n, targets y, the initialization theta_0 and alpha~ of (A.4)."""
    X: tuple[tuple[Q, ...], ...]  # inputs x_1..x_n (each of length d)
    y: tuple[Q, ...]
    theta0: tuple[Q, ...]
    alpha_t: Q  # alpha~ of (A.4)


def dist2(a: Sequence[Q], b: Sequence[Q]) -> Q:
    """|a - b|^2, exactly."""
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


def R_of(theta0: Sequence[Q]) -> Q:
    """R = min entry of W_2, ..., W_{L-1} (Theorem A.2)."""
    return min(v for W, _ in unpack(theta0)[1 : L - 1] for row in W for v in row)


def A_of(theta0: Sequence[Q]) -> Q:
    """A = min entry of W_L."""
    return min(v for row in unpack(theta0)[L - 1][0] for v in row)


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
    """Random (network, theta') pairs from :func:`build_instance`."""
    return st.integers(0, 2**32 - 1).map(build_instance)


def network_cases() -> st.SearchStrategy[Case]:
    """Cases carrying a network instance (points x_i, y, theta_0, theta') and alpha~."""
    def to_case(pair: tuple[Instance, tuple[Q, ...]]) -> Case:
        inst, theta = pair
        pts = {"theta": theta, "theta0": inst.theta0, "y": inst.y}
        for i, x in enumerate(inst.X):
            pts[f"x{i}"] = x
        return Case(params={"alpha_t": inst.alpha_t}, points=pts)

    return instances().map(to_case)


def instance_of(c: Case) -> Instance:
    """The network instance a case of :func:`network_cases` carries."""
    return Instance(tuple(c.points[f"x{i}"] for i in range(N_DATA)), c.points["y"], c.points["theta0"], c.params["alpha_t"])


def hypotheses_hold_at(c: Case) -> bool:
    """Theorem A.2's hypotheses at the case's point theta' (exact)."""
    return hypotheses_hold(instance_of(c), c.points["theta"])
