"""Nearly tight instances of Theorem A.2 (Appendix A of arXiv 2304.09221): depth 3, widths 1, linear activations.

The instance of :mod:`._network` has activations with sigma(s) > c s and widths 2, so (A.7) has
slack >= 5000x on most points (and 36 % of them are settled by F >= 0 alone): a constant wrong by
1000x would pass. Theorem A.2 also covers linear activations sigma_l(s) = c_l s (C^2,
sigma(0) = 0, min sigma' = c_l attained) and widths 1. With depth L = 3, d = n = 1, every
inequality of the proof is then nearly an equality: W_2' = R - delta_2 with delta_2 close to R/2,
A >> R, the pre-activation on the boundary of Theta, and y = phi/2 (equality in Young's
inequality). There (A.7) holds within a few percent.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction as Q

from hypothesis import strategies as st

from symbolic import Case

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


def tight_cases() -> st.SearchStrategy[Case]:
    """Cases of nearly tight instances: R in [1, 4], A = m R, x in [1/2, 2], eps in [10^-3, 0.04]."""
    def to_case(t: tuple[int, int, int, int]) -> Case:
        R = Q(t[0], 4)
        inst = build_tight(R, t[1], Q(t[2], 8), Q(t[3], 1000))
        return Case(params={k: getattr(inst, k) for k in ("R", "A", "x", "w1", "d2", "alpha_t", "y")})

    return st.tuples(st.integers(4, 16), st.sampled_from([50, 100, 200]), st.integers(4, 16), st.integers(1, 40)).map(to_case)


def tight_instance_of(c: Case) -> TightInstance:
    """The tight instance a case of :func:`tight_cases` carries."""
    return TightInstance(*(c.params[k] for k in ("R", "A", "x", "w1", "d2", "alpha_t", "y")))
