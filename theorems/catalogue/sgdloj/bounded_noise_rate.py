"""sgdloj.bounded-noise-rate: Section 4, Lemma 4.2 and its proof, (4.5)-(4.14).

Under bounded noise (2.9) and steps eta_k = gamma/(k+n_0)^q, 1/2 < q <= 1, E[F(theta_k)] <=
gamma^2 c^2 C_L/(alpha gamma - 2) (1/k) + o(1/k) if q = 1, and gamma^2 c^2 C_L/(alpha gamma) k^{-q}
+ o(k^{-q}) if q < 1 (4.5): the expansion (4.8), the bound (4.9), the n_0 condition (4.10)-(4.11),
(4.12) and the constants (4.13)-(4.14)."""

from __future__ import annotations

from fractions import Fraction as Q

import sympy as sp

from symbolic import Derivation, Expect, Identity, Implication, Step
from theorems.catalogue.sgdloj._recursion import Recursion, SequenceLimit, arb_of
from theorems.registry import Entry, Status, register

_C2 = sp.Symbol("C_2", positive=True)
_A, _C1, _p = sp.symbols("A C_1 p", positive=True)

_g1, _g2, _z1, _z2 = sp.symbols("g_1 g_2 z_1 z_2", real=True)
_F = sp.Symbol("F", nonnegative=True)
_eta, _CL = sp.symbols("eta C_L", positive=True)
_v = (_g1 + _z1, _g2 + _z2)
_lhs48 = _F - _eta * (_g1 * _v[0] + _g2 * _v[1]) + _eta**2 / 2 * _CL * (_v[0] ** 2 + _v[1] ** 2)
_rhs48 = _F - _eta * (_g1**2 + _g2**2) + (_eta**2 * _CL - _eta) * (_g1 * _z1 + _g2 * _z2) + _eta**2 / 2 * _CL * (_g1**2 + _g2**2 + _z1**2 + _z2**2)
expansion_48 = Identity(
    "(4.8) expansion with grad f = grad F + Z",
    _lhs48,
    _rhs48,
    statement=r"F-\eta\nabla F\cdot(\nabla F+Z)+\frac{\eta^2}{2}C_L|\nabla F+Z|^2=F-\eta|\nabla F|^2+(\eta^2C_L-\eta)\nabla F\cdot Z+\frac{\eta^2}{2}C_L(|\nabla F|^2+|Z|^2)",
    note="The source writes $|\\nabla F(\\theta_k;\\xi_k)|^2$ in the last bracket; read as $|\\nabla F(\\theta_k)|^2$ (the identity needs it).",
)

_m11, _m12, _m22 = sp.symbols("M_11 M_12 M_22", real=True)
_MOM = {(0, 0): sp.Integer(1), (1, 0): sp.Integer(0), (0, 1): sp.Integer(0), (2, 0): _m11, (1, 1): _m12, (0, 2): _m22}


def _expect(expr: sp.Expr) -> sp.Expr:
    """E over Z of a polynomial of degree <= 2 in Z = (z_1, z_2) by linearity: E z_i = 0, E z_i z_j = M_ij ((4.9))."""
    poly = sp.Poly(sp.expand(expr), _z1, _z2)
    return sum((c * _MOM[mon] for mon, c in poly.terms()), sp.Integer(0))


_G2, _EZ, _al, _c = sp.symbols("G2 EZ2 alpha c", nonnegative=True)
expectation_49 = Identity(
    "E over Z of (4.8): the cross term vanishes (E Z = 0)",
    _expect(_rhs48),
    _F - _eta * (_g1**2 + _g2**2) + _eta**2 / 2 * _CL * (_g1**2 + _g2**2 + _m11 + _m22),
    statement=r"\mathbb E_Z[\text{(4.8)}]=F-\eta|\nabla F|^2+\frac{\eta^2}{2}C_L(|\nabla F|^2+\mathbb E|Z|^2)",
)
bound_49 = Implication(
    "(2.1), (2.4) and E|Z|^2 <= c^2 give (4.9)",
    hypotheses=[_G2 >= _al * _F, _G2 <= 2 * _CL * _F, _EZ <= _c**2],
    conclusion=sp.Le(_F - _eta * _G2 + _eta**2 / 2 * _CL * (_G2 + _EZ), (1 - _al * _eta + _eta**2 * _CL**2) * _F + _eta**2 * _c**2 * _CL / 2),
    statement=r"\alpha F\le|\nabla F|^2\le2C_LF,\ \mathbb E|Z|^2\le c^2\implies F-\eta|\nabla F|^2+\frac{\eta^2}{2}C_L(|\nabla F|^2+\mathbb E|Z|^2)\le(1-\alpha\eta+\eta^2C_L^2)F+\frac{\eta^2c^2C_L}{2}",
    note="$\\mathbb E|Z|^2\\le(\\mathbb E|Z|^m)^{2/m}\\le c^2$ for $m\\ge2$ (Lyapunov).",
)
_I = sp.Symbol("I", real=True)
_R, _Kc = sp.symbols("R K", real=True)
indicator_49 = Implication(
    "the constant term: 1_{E_k} (R F + K) <= R F 1_{E_k} + K for K >= 0",
    hypotheses=[sp.Or(sp.Eq(_I, 0), sp.Eq(_I, 1)), _Kc >= 0],
    conclusion=sp.Le(_I * (_R * _F + _Kc), _R * _F * _I + _Kc),
    statement=r"\mathbf 1_{E_k}\Big(\rho_kF+\frac{\eta_k^2c^2C_L}{2}\Big)\le\rho_kF\mathbf 1_{E_k}+\frac{\eta_k^2c^2C_L}{2}",
)
derivation_49 = Derivation(
    "(4.9) from (4.7)-(4.8)",
    start=r"\mathbb E[F(\theta_{k+1})\mathbf 1_{E_{k+1}}|\mathcal F_k]",
    steps=[
        Step("<=", r"\mathbf 1_{E_k}\Big(F-\eta_k|\nabla F|^2+\frac{\eta_k^2}{2}C_L(|\nabla F|^2+\mathbb E|Z|^2)\Big)", "(4.7)-(4.8), $\\mathbb E Z=0$", check=expectation_49, label="(4.9)"),
        Step("<=", r"\mathbf 1_{E_k}\Big((1-\alpha\eta_k+\eta_k^2C_L^2)F(\theta_k)+\frac{\eta_k^2c^2C_L}{2}\Big)", "(2.1) on the ball, (2.4), (2.9)", check=bound_49, label="(4.9)"),
        Step("<=", r"(1-\alpha\eta_k+\eta_k^2C_L^2)F(\theta_k)\mathbf 1_{E_k}+\frac{\eta_k^2c^2C_L}{2}", "$\\mathbf 1_{E_k}\\le1$", check=indicator_49, label="(4.9)"),
    ],
    note="Then take $\\mathbb E[\\cdot|\\theta_0]$ (tower property).",
)

_N, _gam = sp.symbols("N gamma", positive=True)  # N = (k + n_0)^q
_etak = _gam / _N
_eta_s = sp.Symbol("eta_k", positive=True)
n0_condition = Implication(
    "(4.10)-(4.11): (k+n_0)^q >= 2 C_L^2 gamma/alpha gives 1 - alpha eta_k + eta_k^2 C_L^2 <= 1 - alpha eta_k/2",
    hypotheses=[_N >= 2 * _CL**2 * _gam / sp.Symbol("alpha", positive=True)],
    conclusion=sp.Le(1 - sp.Symbol("alpha", positive=True) * _etak + _etak**2 * _CL**2, 1 - sp.Symbol("alpha", positive=True) * _etak / 2),
    statement=r"(k+n_0)^q\ge\frac{2C_L^2\gamma}{\alpha}\implies1-\alpha\eta_k+\eta_k^2C_L^2\le1-\frac{\alpha\eta_k}{2},\quad\eta_k=\frac{\gamma}{(k+n_0)^q}",
    note="$(k+n_0)^q\\ge n_0^q\\ge\\frac{2C_L^2\\gamma}{\\alpha}$ by (4.10) and monotonicity of $x\\mapsto x^q$.",
)
_n0s, _X = sp.symbols("n_0 X", positive=True)
_kk = sp.Symbol("k", nonnegative=True)
n0_power = Implication(
    "q = 3/4: n_0 >= X^{4/3} gives (k + n_0)^{3/4} >= X",
    hypotheses=[_n0s >= _X ** sp.Rational(4, 3)],
    conclusion=sp.Ge((_kk + _n0s) ** sp.Rational(3, 4), _X),
    statement=r"n_0\ge X^{4/3}\implies(k+n_0)^{3/4}\ge X",
)
n0_necessity = Implication(
    "necessity: (k+n_0)^q >= C_L^2 gamma/alpha (half of (4.10)) does not give (4.11)",
    hypotheses=[_N >= _CL**2 * _gam / sp.Symbol("alpha", positive=True)],
    conclusion=sp.Le(1 - sp.Symbol("alpha", positive=True) * _etak + _etak**2 * _CL**2, 1 - sp.Symbol("alpha", positive=True) * _etak / 2),
    expect=Expect.REFUTED,
    role="necessity",
    statement=r"(k+n_0)^q\ge\frac{C_L^2\gamma}{\alpha}\implies1-\alpha\eta_k+\eta_k^2C_L^2\le1-\frac{\alpha\eta_k}{2}",
)
_alp = sp.Symbol("alpha", positive=True)
factor_nonneg = Implication(
    "with alpha <= 2 C_L (from (2.4)), (4.10) also makes 1 - alpha eta_k/2 >= 0, as Lemma 4.1 needs",
    hypotheses=[_N >= 2 * _CL**2 * _gam / _alp, _alp <= 2 * _CL],
    conclusion=sp.Ge(1 - _alp * _etak / 2, 0),
    statement=r"(k+n_0)^q\ge\frac{2C_L^2\gamma}{\alpha},\ \alpha\le2C_L\implies1-\frac{\alpha\gamma}{2(k+n_0)^q}\ge0",
)
identity_412 = Identity(
    "(4.12) eta_k^2 c^2 C_L/2 = gamma^2 c^2 C_L/(2 (k+n_0)^{2q})",
    sp.Subs(_eta_s**2 * _c**2 * _CL / 2, _eta_s, _etak, evaluate=False),  # eta_k = gamma/N substituted in the check
    _gam**2 * _c**2 * _CL / (2 * _N**2),
    statement=r"\frac{\eta_k^2c^2C_L}{2}=\frac{\gamma^2c^2C_L}{2(k+n_0)^{2q}}\quad(N=(k+n_0)^q)",
)
_C1v = _alp * _gam / 2
_C2v = _gam**2 * _c**2 * _CL / 2
const_413 = Identity(
    "(4.13): C_2/(C_1 - p) with C_1 = alpha gamma/2, C_2 = gamma^2 c^2 C_L/2, p = 1",
    _C2v / (_C1v - 1),
    _gam**2 * _c**2 * _CL / (_alp * _gam - 2),
    statement=r"\frac{\gamma^2c^2C_L/2}{\alpha\gamma/2-1}=\frac{\gamma^2c^2C_L}{\alpha\gamma-2}",
)
cond_413 = Implication(
    "C_1 > p = 1 is gamma > 2/alpha",
    hypotheses=[_gam > 2 / _alp],
    conclusion=sp.Gt(_C1v, 1),
    statement=r"\gamma>\frac2\alpha\implies C_1=\frac{\alpha\gamma}{2}>1=p",
)
const_414 = Identity(
    "(4.14): C_2/C_1 = gamma^2 c^2 C_L/(alpha gamma)",
    sp.Subs(_C2 / _C1, (_C1, _C2), (_C1v, _C2v), evaluate=False),  # C_1, C_2 substituted in the check
    _gam**2 * _c**2 * _CL / (_alp * _gam),
    statement=r"\frac{\gamma^2c^2C_L/2}{\alpha\gamma/2}=\frac{\gamma^2c^2C_L}{\alpha\gamma}",
)


def _lemma42_rec(alpha: Q, gamma: Q, c: Q, CL: Q, q: Q) -> Recursion:
    """The recursion of Lemma 4.2: C_1 = alpha gamma/2, C_2 = gamma^2 c^2 C_L/2, p = q, n_0 = 1 + floor((2 C_L^2 gamma/alpha)^{1/q}), an integer allowed by (4.10)."""
    n0 = max(Q(1), Q(int((2 * CL**2 * gamma / alpha) ** (1 / float(q))) + 1))
    return Recursion(q, q, alpha * gamma / 2, gamma**2 * c**2 * CL / 2, n0)


rate_sequences = SequenceLimit(
    "(4.13)-(4.14) constants: iterate b_{k+1} = (1 - alpha eta_k/2) b_k + eta_k^2 c^2 C_L/2",
    [_lemma42_rec(Q(1), Q(3), Q(1), Q(1, 2), Q(1)), _lemma42_rec(Q(2), Q(3), Q(1, 2), Q(1), Q(1)), _lemma42_rec(Q(1), Q(4), Q(1), Q(1, 2), Q(3, 4))],
    lambda r: (arb_of(r.C2) / (arb_of(r.C1) - 1)) if r.q == 1 else arb_of(r.C2) / arb_of(r.C1),
    statement=r"k^qb_k\to\frac{\gamma^2c^2C_L}{\alpha\gamma-2}\ (q=1),\qquad k^qb_k\to\frac{\gamma^2c^2C_L}{\alpha\gamma}\ (q<1)",
    note="$n_0$ is the smallest integer allowed by (4.10); the limits are those of (4.13)-(4.14), i.e. (4.5).",
)

_Iinf, _Ik = sp.symbols("I_inf I_k", real=True)
conditioning_45 = Implication(
    "reading of (4.5): F 1_{E_inf} <= F 1_{E_k} pointwise, so E[F(theta_k) | E_inf] <= b_k / P(E_inf)",
    hypotheses=[_F >= 0, _Iinf <= _Ik, sp.Or(sp.Eq(_Iinf, 0), sp.Eq(_Iinf, 1)), sp.Or(sp.Eq(_Ik, 0), sp.Eq(_Ik, 1))],
    conclusion=sp.Le(_F * _Iinf, _F * _Ik),
    statement=r"F\ge0,\ \mathbf 1_{E_\infty}\le\mathbf 1_{E_k}\implies F(\theta_k)\mathbf 1_{E_\infty}\le F(\theta_k)\mathbf 1_{E_k},\ \text{hence}\ \mathbb E[F(\theta_k)|E_\infty]\le\frac{b_k}{P(E_\infty)}",
    note="Taking expectations and dividing by $P(E_\\infty)>0$. The bounds (4.13)-(4.14) are on $b_k$; the conditional expectation of (4.5) gets the factor $1/P(E_\\infty)$.",
)

register(
    Entry(
        id="sgdloj.bounded-noise-rate",
        title="Lemma 4.2: algebraic rates under bounded noise and Robbins-Monro steps",
        where="Section 4, Lemma 4.2 (4.5)-(4.14)",
        statement=(
            r"Given a radius $r>0$ where (2.2) holds. Assume that the noise term in (2.6) satisfies (2.9), and the SGD iterates are updated with step sizes "
            r"$\eta_k=\frac{\gamma}{(k+n_0)^q}$, $1/2<q\le1$. Conditioned on the event that $\theta_k\in B(\theta_0,r)$ for all $k$, then for "
            r"$n_0\ge(\frac{2C_L^2\gamma}{\alpha})^{1/q}$, we have $\mathbb E[F(\theta_k)]\le\frac{\gamma^2c^2C_L}{\alpha\gamma-2}\frac1k+o(\frac1k)$ if $q=1$ and $\gamma>2/\alpha$, "
            r"and $\le\frac{\gamma^2c^2C_L}{\alpha\gamma}\frac1{k^q}+o(\frac1{k^q})$ if $1/2<q<1$ (4.5). Proof steps (4.6)-(4.14)."
        ),
        hypotheses=[r"(2.4), (2.1) on $B(\theta_0,r)$", r"(2.9) with $m\ge2$", r"$\eta_k=\gamma/(k+n_0)^q$, $n_0\ge(2C_L^2\gamma/\alpha)^{1/q}$"],
        checks=[expansion_48, derivation_49, n0_condition, n0_power, n0_necessity, factor_nonneg, identity_412, const_413, cond_413, const_414, rate_sequences, conditioning_45],
        status=Status.PARTIAL,
        reading=(
            r"Status partial: the conditional expectation $\mathbb E[F(\theta_k)|E_\infty(r)]$ that (4.5) states is not checked with the stated constants; "
            r"the checks establish the bound on $b_k$ and the reduction below, which gives (4.5) only with the factor $1/P(E_\infty)$. "
            r"What (4.6)-(4.14) bound is $b_k=\mathbb E[F(\theta_k)\mathbf 1_{E_k(r)}|\theta_0]$, not the conditional expectation that (4.5) states. "
            r"Conditioned on $E_\infty(r)=\{\theta_k\in B(\theta_0,r)\ \forall k\}$, $\mathbb E[F(\theta_k)|E_\infty]=\mathbb E[F(\theta_k)\mathbf 1_{E_\infty}]/P(E_\infty)\le b_k/P(E_\infty)$ "
            r"(since $F\ge0$ and $\mathbf 1_{E_\infty}\le\mathbf 1_{E_k}$), which carries the factor $1/P(E_\infty)\ge1$. The checks here read (4.5) as the bound on $b_k$, i.e. they replace "
            r"$\mathbb E[F(\theta_k)|E_\infty]$ by $\mathbb E[F(\theta_k)\mathbf 1_{E_k}]$; for the conditional expectation itself the constants of (4.5) hold only after division by $P(E_\infty)$ "
            r"(equivalently, when $P(E_\infty)=1$). "
            r"Lemma 4.1 is applied with $p=q$; for $q=1$ this is $p=1$, where the printed rate $1/k$ of (4.3) is correct, so Lemma 4.2 is not affected by the (4.3) erratum. "
            r"Lemma 4.1 also needs $1-C_1/(k+n_0)^q\ge0$, which (4.10) gives together with $\alpha\le2C_L$ (a consequence of (2.4))."
        ),
    )
)
