"""pauwels.mexican-hat: Pauwels, "Optimization tools for deep-learning" (Gerchinovitz, Malgouyres, Pauwels, Thome),
section 4 "Convergence to critical points for tame functions", slide "Convergence under KL assumption", "Mexican hat function".

Without KL, GD iterates need not converge even for C^oo losses: on the Mexican hat of Absil, Mahony and Andrews
(fails KL on its circle of minima) the iterates follow a spiralling valley. Illustrated.
"""

from __future__ import annotations

import sympy as sp

from symbolic import CheckSettings, Identity, Illustration, Implication, coordinates
from theorems.registry import Entry, Status, register

_m1, _m2 = coordinates(2)
_mr2 = _m1**2 + _m2**2
_ms = 1 / (1 - _mr2)
_mw = 4 * _mr2**2 / (4 * _mr2**2 + (1 - _mr2) ** 4)
#: Absil-Mahony-Andrews (2005), Palis-de Melo type: f(r, theta) = exp(-1/(1-r^2)) [1 - 4r^4/(4r^4+(1-r^2)^4) sin(theta - 1/(1-r^2))] for r < 1, 0 for r >= 1
MEXICAN_HAT = sp.exp(-_ms) * (1 - _mw * ((_m2 / sp.sqrt(_mr2)) * sp.cos(_ms) - (_m1 / sp.sqrt(_mr2)) * sp.sin(_ms)))
_rr_s = sp.Symbol("r", positive=True)
mh_weight = Implication(
    "0 <= w < 1 inside the disk, so f > 0 for r < 1 and the unit circle (f = 0) is a set of global minima",
    hypotheses=[_rr_s < 1],
    conclusion=sp.And(4 * _rr_s**4 < 4 * _rr_s**4 + (1 - _rr_s**2) ** 4, 4 * _rr_s**4 >= 0),
    statement=r"0<r<1\implies0\le w(r)=\frac{4r^4}{4r^4+(1-r^2)^4}<1",
)
_th_s, _s_s = sp.symbols("theta s", real=True)
mh_polar = Identity(
    "the Cartesian form: (y/r) cos s - (x/r) sin s = sin(theta - s) with x = r cos theta, y = r sin theta",
    sp.sin(_th_s) * sp.cos(_s_s) - sp.cos(_th_s) * sp.sin(_s_s),
    sp.sin(_th_s - _s_s),
    statement=r"\frac yr\cos s-\frac xr\sin s=\sin(\theta-s),\quad f=e^{-s}\big[1-w\sin(\theta-s)\big],\ s=\frac1{1-r^2}",
    note=r"So MEXICAN\_HAT (Cartesian, as encoded) is $e^{-\frac1{1-r^2}}\big[1-\frac{4r^4}{4r^4+(1-r^2)^4}\sin(\theta-\frac1{1-r^2})\big]$.",
)


def _mh_experiment(settings: CheckSettings) -> tuple[bool, str, dict[str, object]]:
    import math

    gx, gy = (sp.lambdify((_m1, _m2), sp.diff(MEXICAN_HAT, v), "math") for v in (_m1, _m2))
    fv = sp.lambdify((_m1, _m2), MEXICAN_HAT, "math")
    alpha = 1 / 32.0  # the Hessian norm sampled on a polar grid of the disk stays below 31
    r0 = 0.6
    th0 = 1 / (1 - r0 * r0) + math.pi / 2  # start on the valley theta = s(r) + pi/2
    px, py = r0 * math.cos(th0), r0 * math.sin(th0)
    steps = int(60000 * max(1.0, settings.mc_scale))
    ang = math.atan2(py, px)
    winding, prev_f = 0.0, fv(px, py)
    worst_offset, monotone = 0.0, True
    checkpoints = []
    for k in range(1, steps + 1):
        ux, uy = gx(px, py), gy(px, py)
        px, py = px - alpha * ux, py - alpha * uy
        a = math.atan2(py, px)
        winding += (a - ang + math.pi) % (2 * math.pi) - math.pi
        ang = a
        r = math.hypot(px, py)
        offset = abs(((a - 1 / (1 - r * r)) - math.pi / 2 + math.pi) % (2 * math.pi) - math.pi)
        if k > 1000:
            worst_offset = max(worst_offset, offset)
        fk = fv(px, py)
        monotone &= fk <= prev_f
        prev_f = fk
        if k % (steps // 6) == 0:
            checkpoints.append((k, round(r, 5), round(winding / (2 * math.pi), 4), fk))
    rs = [c[1] for c in checkpoints]
    turns = [c[2] for c in checkpoints]
    ok = monotone and worst_offset < 0.3 and all(b > a for a, b in zip(rs, rs[1:], strict=False)) and all(b > a for a, b in zip(turns, turns[1:], strict=False))
    return ok, (
        f"{steps} GD steps, alpha = 1/32, from r = 0.6 on the valley: (step, r_k, turns, F) = {checkpoints}; F decreasing = {monotone}; "
        f"max deviation of theta_k from the valley s(r_k) + pi/2 after 1000 steps = {worst_offset:.3g} rad"
    ), {"checkpoints": checkpoints}


mh_illustration = Illustration(
    "GD on the Mexican hat follows the spiralling valley (r_k increases, the angle keeps turning)",
    _mh_experiment,
    statement=r"\theta_k-\frac{1}{1-r_k^2}\approx\frac\pi2,\quad r_k\uparrow,\quad \theta_k\uparrow",
    shows=(
        "on the $C^\\infty$ Mexican hat of Absil-Mahony-Andrews, GD iterates are trapped in the valley $\\theta=\\frac1{1-r^2}+\\frac\\pi2$, "
        "whose angle tends to $+\\infty$ as $r\\to1$ (the valley winds infinitely often around the circle of minima); along the run $r_k$ and the "
        "winding angle increase and $F$ decreases"
    ),
    does_not_show=(
        "non-convergence itself: a finite run (only a fraction of a turn, since $F\\sim e^{-1/(1-r^2)}$ makes progress extremely slow) "
        "cannot show that the iterates turn infinitely often, nor that they accumulate on the whole unit circle; float64 arithmetic; "
        "the step $1/32$ uses a sampled, not certified, bound on the Hessian"
    ),
)
_Mbig = sp.Symbol("M", positive=True)
mh_winding = Implication(
    "the valley angle s(r) = 1/(1-r^2) is unbounded as r -> 1-",
    hypotheses=[_rr_s < 1, _rr_s**2 >= 1 - 1 / _Mbig],
    conclusion=1 / (1 - _rr_s**2) >= _Mbig,
    statement=r"1-\tfrac1M\le r^2<1\implies\frac{1}{1-r^2}\ge M\quad(\text{so }\lim_{r\to1^-}\tfrac{1}{1-r^2}=+\infty)",
)

register(
    Entry(
        id="pauwels.mexican-hat",
        title="Mexican hat: without KL the iterates may not converge",
        where="Convergence under KL assumption: Mexican hat function",
        statement=r"\textbf{Mexican hat function:} Convergence of the sequence may not occur (without KL) even for $C^\infty$ losses.",
        checks=[mh_polar, mh_weight, mh_winding, mh_illustration],
        status=Status.ILLUSTRATED,
        reading="The slide names no function: the Mexican hat of Absil, Mahony and Andrews (2005), after Palis and de Melo, is used; it is $C^\\infty$ but fails KL on the circle of minima $r=1$.",
    )
)
