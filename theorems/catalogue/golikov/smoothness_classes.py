"""golikov.smoothness-classes: slide "Local optimization: general case", Definition.

"We write f in C^{k,q}_L for q <= k, if: f in C^k(R^d); ||nabla^q f(x) - nabla^q f(y)||_2 <= L ||x - y||_2
for all x, y." Membership is an executable predicate :func:`member`: symbolic on all of R^d
(polynomials; 1-D expressions through sympy's interval arithmetic), certified in Arb on a box
(:mod:`symbolic.rigorous`), and a non-membership is a witness pair checked in exact rationals
or Arb balls, or a jump of a one-sided derivative computed by sympy.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction as Q

import sympy as sp

from symbolic import Box, Definition, Judgement, Verdict
from symbolic.backends import ArbBackend, arb_precision, ball_certainly
from symbolic.compile import compiled
from symbolic.rigorous import enclose, hessian_norm_bound, upper_fraction
from theorems.catalogue.golikov._common import capped
from theorems.registry import Entry, Status, register

_SMOOTH = (sp.Add, sp.Mul, sp.Pow, sp.Symbol, sp.Number, sp.exp, sp.cos, sp.sin, sp.tanh, sp.cosh, sp.sinh, sp.NumberSymbol)


@dataclass(frozen=True)
class Membership:
    """The question "f in C^{k,q}_L" on R^d (``box`` None) or for x, y in a box."""

    expr: sp.Expr
    xs: tuple[sp.Symbol, ...]
    k: int
    q: int
    L: Q
    box: Box | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.q <= self.k:
            raise ValueError(f"C^{{k,q}}_L needs 0 <= q <= k, got k={self.k}, q={self.q}")
        if self.L < 0:
            raise ValueError(f"L must be >= 0, got {self.L}")
        if self.box is not None and self.box.dim != len(self.xs):
            raise ValueError("box and variables have different dimensions")


def _smooth(e: sp.Expr) -> bool:
    """Built only from operations that are C^infinity where defined (no Abs, Max, sign, ...), with
    integer powers of non-constants (a root may not be smooth at 0)."""
    for node in sp.preorder_traversal(e):
        if not isinstance(node, _SMOOTH):
            return False
        if isinstance(node, sp.Pow) and not (node.exp.is_Integer and node.exp >= 0) and node.base.free_symbols:
            return False
    return True


def _kink_jump(m: Membership) -> str | None:
    """For 1-D f with |u(x)| terms: the order j <= k whose one-sided limits differ at a zero of u."""
    (x,) = m.xs
    for a in m.expr.atoms(sp.Abs):
        for x0 in sp.solveset(a.args[0], x, sp.S.Reals):
            if not x0.is_real:
                continue
            for j in range(m.k + 1):
                dj = sp.diff(m.expr, x, j)
                left, right = sp.limit(dj, x, x0, "-"), sp.limit(dj, x, x0, "+")
                if sp.simplify(left - right) != 0:
                    return f"d^{j}f jumps at x = {x0}: {left} (left) vs {right} (right)"
    return None


def _global_polynomial(m: Membership) -> Judgement | None:
    poly = sp.Poly(m.expr, *m.xs)
    deg = poly.total_degree()
    Lr = sp.Rational(m.L.numerator, m.L.denominator)
    d = len(m.xs)
    if deg <= m.q:  # nabla^q f constant: Lipschitz with every L >= 0
        return Judgement(True, Verdict.PROVED, "nabla^q f is constant")
    if deg == m.q + 1:  # nabla^{q+1} f constant: the sharp constant is its norm
        if m.q == 0:
            g = [sp.diff(m.expr, v) for v in m.xs]
            ok = sum(c**2 for c in g) <= Lr**2
            return Judgement(bool(ok), Verdict.PROVED, f"||grad f||^2 = {sum(c**2 for c in g)} vs L^2 = {Lr**2}")
        if m.q == 1:
            H = sp.hessian(m.expr, m.xs)
            ok = (Lr**2 * sp.eye(d) - H * H).is_positive_semidefinite
            return Judgement(bool(ok), Verdict.PROVED, f"constant Hessian {H.tolist()}: L^2 I - H^2 {'is' if ok else 'is not'} PSD")
        if d == 1:
            c = sp.diff(m.expr, m.xs[0], m.q + 1)
            return Judgement(bool(abs(c) <= Lr), Verdict.PROVED, f"f^({m.q + 1}) = {c} vs L = {Lr}")
        return None
    return _witness_far(m)


def _diff_norm2_lower(m: Membership, x: list[sp.Rational], y: list[sp.Rational]) -> sp.Rational:
    """An exact lower bound on ||nabla^q f(x) - nabla^q f(y)||^2 (exact for q <= 1; the largest
    squared diagonal entry of the Hessian difference for q = 2)."""
    at = lambda e, p: e.subs(dict(zip(m.xs, p, strict=True)))  # noqa: E731
    if m.q == 0:
        return (at(m.expr, x) - at(m.expr, y)) ** 2
    g = [sp.diff(m.expr, v) for v in m.xs]
    if m.q == 1:
        return sum((at(c, x) - at(c, y)) ** 2 for c in g)
    diag = [sp.diff(m.expr, v, 2) for v in m.xs]
    return max((at(c, x) - at(c, y)) ** 2 for c in diag)


def _witness_far(m: Membership) -> Judgement:
    """Polynomial of degree > q + 1: nabla^{q+1} f is unbounded; find x, y = x + e_i with an exact violation."""
    d = len(m.xs)
    Lr = sp.Rational(m.L.numerator, m.L.denominator)
    for s in (2**j for j in range(0, 64)):
        for i, sign in itertools.product(range(d), (1, -1)):
            x = [sp.Integer(sign * s)] * d
            y = list(x)
            y[i] += 1
            if _diff_norm2_lower(m, x, y) > Lr**2:
                return Judgement(False, Verdict.PROVED, f"exact witness x = {x}, y = {y}: ||nabla^{m.q} f(x) - nabla^{m.q} f(y)||^2 > L^2 ||x - y||^2 = {Lr**2}")
    return Judgement(None, Verdict.UNDECIDED, "no witness found")


def _global_1d(m: Membership) -> Judgement | None:
    (x,) = m.xs
    top = sp.diff(m.expr, x, m.q + 1)
    rng = top.subs(x, sp.AccumBounds(-sp.oo, sp.oo))
    if isinstance(rng, sp.AccumBounds) and rng.min.is_finite and rng.max.is_finite:
        sup = sp.Max(-rng.min, rng.max)
        if sup <= sp.Rational(m.L.numerator, m.L.denominator):
            return Judgement(True, Verdict.PROVED, f"f^({m.q + 1}) takes values in {rng} on R (sympy interval arithmetic)")
    return None


def _box_bound(m: Membership, pieces: int) -> Q | None:
    """A certified bound on sup over the box of ||nabla^{q+1} f|| (q = 0, 1; q = 2 in 1-D)."""
    assert m.box is not None
    if m.q == 0:
        enc = enclose([sp.diff(m.expr, v) for v in m.xs], m.xs, m.box, pieces=pieces)
        return sum((upper_fraction(abs(e)) ** 2 for e in enc), Q(0))  # a bound on ||grad f||^2
    if m.q == 1:
        return hessian_norm_bound(sp.hessian(m.expr, m.xs).tolist(), m.xs, m.box, pieces=pieces)
    if len(m.xs) == 1:
        (enc,) = enclose([sp.diff(m.expr, m.xs[0], 3)], m.xs, m.box, pieces=pieces)
        return upper_fraction(abs(enc))
    return None


def _box_witness(m: Membership, grid: int = 16) -> Judgement | None:
    """Pairs of neighbouring grid points of the box along each axis, decided in Arb balls (q <= 1)."""
    assert m.box is not None
    if m.q > 1:
        return None
    exprs = [m.expr] if m.q == 0 else [sp.diff(m.expr, v) for v in m.xs]
    fn = compiled(exprs, list(m.xs))
    B = ArbBackend(256)
    axes = [[lo + (hi - lo) * Q(j, grid) for j in range(grid + 1)] for lo, hi in zip(m.box.lo, m.box.hi, strict=True)]
    with arb_precision(256):
        for point in itertools.product(*axes) if len(m.xs) <= 2 else []:
            for i in range(len(m.xs)):
                h = (m.box.hi[i] - m.box.lo[i]) / (grid * 8)
                if point[i] + h > m.box.hi[i]:
                    continue
                y = list(point)
                y[i] += h
                gx, gy = fn(B, [B.num(v) for v in point]), fn(B, [B.num(v) for v in y])
                diff2 = sum(((a - b) ** 2 for a, b in zip(gx, gy, strict=True)), B.num(0))
                margin = B.num(m.L * m.L * h * h) - diff2
                if ball_certainly(margin, False) is False:
                    return Judgement(False, Verdict.PROVED, f"witness x = {[str(v) for v in point]}, y = x + {h} e_{i + 1}: margin ball {margin} < 0 (Arb)")
    return None


def member(m: Membership) -> Judgement:
    """Decide "f in C^{k,q}_L" (on R^d, or for x, y in the box)."""
    if not _smooth(m.expr):
        if len(m.xs) == 1 and m.expr.has(sp.Abs):
            jump = _kink_jump(m)
            if jump is not None:
                return Judgement(False, Verdict.PROVED, f"not C^{m.k}: {jump}")
        return Judgement(None, Verdict.UNDECIDED, "not built from smooth operations only: C^k not decided")
    if m.box is None:
        if m.expr.is_polynomial(*m.xs):
            j = _global_polynomial(m)
            if j is not None:
                return j
        if len(m.xs) == 1:
            j = _global_1d(m)
            if j is not None:
                return j
        return Judgement(None, Verdict.UNDECIDED, "no global decision procedure for this f")
    bound = _box_bound(m, pieces=8)
    target = m.L * m.L if m.q == 0 else m.L
    if bound is not None and bound <= target:  # outward rounding: a sharp L (bound = L exactly) stays undecided
        return Judgement(True, Verdict.CERTIFIED, f"certified sup ||nabla^{m.q + 1} f|| <= {bound} on the box (Arb, 8^d subboxes)")
    w = _box_witness(m)
    if w is not None:
        return w
    return Judgement(None, Verdict.UNDECIDED, f"certified bound {bound} exceeds L and no witness pair was found")


x, x1, x2 = sp.Symbol("x", real=True), sp.Symbol("x1", real=True), sp.Symbol("x2", real=True)
_I = Box.cube(1, 1)

EXAMPLES = [
    ("x^2/2 in C^{2,1}_1 on R", Membership(x**2 / 2, (x,), 2, 1, Q(1)), True),
    ("x^2 not in C^{1,1}_1 on R (f'' = 2)", Membership(x**2, (x,), 1, 1, Q(1)), False),
    ("cos x in C^{2,1}_1 on R", Membership(sp.cos(x), (x,), 2, 1, Q(1)), True),
    ("cos x in C^{2,2}_1 on R", Membership(sp.cos(x), (x,), 2, 2, Q(1)), True),
    ("x^4 not in C^{1,1}_1000 on R", Membership(x**4, (x,), 1, 1, Q(1000)), False),
    ("x^4 in C^{1,1}_{121/10} on [-1, 1] (sup |f''| = 12)", Membership(x**4, (x,), 1, 1, Q(121, 10), _I), True),
    ("x^4 not in C^{1,1}_11 on [-1, 1]", Membership(x**4, (x,), 1, 1, Q(11), _I), False),
    ("x^3 in C^{2,2}_6 on R", Membership(x**3, (x,), 2, 2, Q(6)), True),
    ("x^3 not in C^{2,2}_5 on R", Membership(x**3, (x,), 2, 2, Q(5)), False),
    ("x|x| not in C^{2,1}_L (not C^2: f'' jumps at 0)", Membership(x * sp.Abs(x), (x,), 2, 1, Q(2)), False),
    ("|x| not in C^{1,1}_L (not C^1)", Membership(sp.Abs(x), (x,), 1, 1, Q(100)), False),
    ("(x1^2 - x2^2)/2 in C^{2,1}_1 on R^2", Membership((x1**2 - x2**2) / 2, (x1, x2), 2, 1, Q(1)), True),
    ("x1^2 x2 not in C^{1,1}_10 on R^2", Membership(x1**2 * x2, (x1, x2), 1, 1, Q(10)), False),
    ("cos(x1 + x2) in C^{2,1}_{201/100} on [-2, 2]^2 (sup ||Hess|| = 2)", Membership(sp.cos(x1 + x2), (x1, x2), 2, 1, Q(201, 100), Box.cube(2, 2)), True),
    ("x1^2 + x2^2 not in C^{1,1}_1 on [-1, 1]^2", Membership(x1**2 + x2**2, (x1, x2), 1, 1, Q(1), Box.cube(2, 1)), False),
]

register(
    Entry(
        id="golikov.smoothness-classes",
        title="The classes C^{k,q}_L: an executable membership test",
        where="Local optimization: general case (Definition)",
        statement=(
            r"We write $f\in\mathcal C^{k,q}_L$ for $q\le k$, if: $f\in\mathcal C^k(\mathbb R^d)$; "
            r"$\|\nabla^q f(x)-\nabla^q f(y)\|_2\le L\|x-y\|_2$ $\forall x,y$."
        ),
        hypotheses=[r"$f:\mathbb R^d\to\mathbb R$", r"$q\le k$"],
        checks=[
            Definition(
                "membership in C^{k,q}_L on examples and non-examples",
                capped(member),
                [(label, m, want) for label, m, want in EXAMPLES],
                statement=r"f\in\mathcal C^{k,q}_L \iff f\in\mathcal C^k,\ \sup_{x\ne y}\frac{\|\nabla^qf(x)-\nabla^qf(y)\|_2}{\|x-y\|_2}\le L",
                note=(
                    "Global membership is decided symbolically (polynomials: degree and the constant top derivative; 1-D: sympy interval "
                    "arithmetic on $|f^{(q+1)}|$ over $\\mathbb R$); on a box it is certified in Arb (row-sum bound on the Hessian over "
                    "$8^d$ subboxes); a non-member gets an exact or Arb-confirmed witness pair, or a jump of a one-sided derivative."
                ),
            )
        ],
        status=Status.VERIFIED,
        reading=(
            "For $q\\ge1$ the norm of $\\nabla^q f$ is the operator norm ($q=1$: Euclidean, $q=2$: spectral). Lipschitz continuity of "
            "$\\nabla^q f$ with constant $L$ is decided as $\\sup\\|\\nabla^{q+1}f\\|\\le L$ (equivalent on a convex set for $f\\in C^{q+1}$). "
            "'On a box' restricts $x,y$ to the box, a weaker class than the slide's (all of $\\mathbb R^d$); each example says which."
        ),
    )
)
