"""First-order optimisation algorithms, vectorised over independent paths (seeds).

Every routine iterates ``n`` paths at once: positions are arrays of shape ``(n, d)``, and the
objective is given by vectorised callables ``grad(X) -> (n, d)`` and ``f(X) -> (n,)``.
Randomness comes from :func:`generator` (a :class:`numpy.random.SeedSequence`), so a run is
reproduced by its seed; :func:`streams` spawns independent generators.

- :func:`gradient_descent`: ``x_{t+1} = x_t - alpha grad f(x_t)``.
- :func:`noisy_gd`: ``x_{t+1} = x_t - alpha (grad f(x_t) + xi_t)`` with ``xi_t`` uniform on the
  sphere ``S^{d-1}(radius)`` (Ge, Huang, Jin, Yuan 2015, "Escaping from saddle points").
- :func:`perturbed_gd`: perturbed gradient descent of Jin, Ge, Netrapalli, Kakade, Jordan 2017
  ("How to escape saddle points efficiently"), with the hyperparameters of :class:`PGDParameters`.
- :func:`sgd`: ``x_{t+1} = x_t - alpha grad f_i(x_t)``, ``i`` uniform in ``{0, ..., m-1}``.
- :func:`sgld`: ``x_{t+1} = x_t - alpha_t (grad f(x_t) + xi_t) + beta_t W_t``, ``W_t ~ N(0, I)``,
  with the Gelfand-Mitter schedules of :func:`gelfand_mitter`.

Each returns a :class:`Run`: final positions, and per path the first iteration at which an
optional ``stop(X) -> bool array`` predicate held (``-1`` when it never did). Paths keep
iterating after they stop (the arrays stay rectangular); ``hit`` records the first time.
The engine knows nothing of deep learning.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Field = Callable[[np.ndarray], np.ndarray]
Predicate = Callable[[np.ndarray], np.ndarray]


def generator(seed: int | np.random.SeedSequence) -> np.random.Generator:
    """A PCG64 generator seeded through :class:`numpy.random.SeedSequence`."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return np.random.Generator(np.random.PCG64(ss))


def streams(seed: int, n: int) -> list[np.random.Generator]:
    """``n`` statistically independent generators spawned from one seed."""
    return [generator(s) for s in np.random.SeedSequence(seed).spawn(n)]


@dataclass(frozen=True)
class Run:
    """The result of iterating ``n`` paths.

    ``x``: final positions ``(n, d)``; ``steps``: iterations performed; ``hit``: per path the
    first iteration ``t`` at which ``stop(x_t)`` held (``-1`` if never); ``path``: the
    positions ``(steps + 1, n, d)`` when recorded, else ``None``; ``perturbations``: per path
    the number of perturbations (PGD only); ``returned``: per path whether PGD's termination
    rule fired (PGD only; the returned point is then ``x``).
    """

    x: np.ndarray
    steps: int
    hit: np.ndarray
    path: np.ndarray | None = None
    perturbations: np.ndarray | None = None
    returned: np.ndarray | None = None


def _as_paths(x0: np.ndarray) -> np.ndarray:
    x = np.array(x0, dtype=float)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError(f"x0 must have shape (d,) or (n, d), got {x.shape}")
    return x


def _check_steps(alpha: float, steps: int) -> None:
    if not (alpha > 0 and math.isfinite(alpha)):
        raise ValueError(f"step size must be a positive finite number, got {alpha}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")


class _Hits:
    def __init__(self, stop: Predicate | None, n: int) -> None:
        self.stop = stop
        self.hit = np.full(n, -1, dtype=np.int64)

    def see(self, t: int, x: np.ndarray) -> bool:
        """Record first hits at iteration t; True when every path has hit."""
        if self.stop is None:
            return False
        new = (self.hit < 0) & np.asarray(self.stop(x), dtype=bool)
        self.hit[new] = t
        return bool((self.hit >= 0).all())


def gradient_descent(grad: Field, x0: np.ndarray, alpha: float, steps: int, *, stop: Predicate | None = None, until_all: bool = False, record: bool = False) -> Run:
    """``steps`` iterations of ``x_{t+1} = x_t - alpha grad(x_t)`` on every path.

    With ``until_all`` the run ends as soon as every path satisfied ``stop``.
    """
    _check_steps(alpha, steps)
    x = _as_paths(x0)
    hits = _Hits(stop, len(x))
    path = [x.copy()] if record else None
    t = 0
    done = hits.see(0, x)
    while t < steps and not (until_all and done):
        x = x - alpha * grad(x)
        t += 1
        done = hits.see(t, x)
        if path is not None:
            path.append(x.copy())
    return Run(x, t, hits.hit, np.array(path) if path is not None else None)


def unit_sphere(rng: np.random.Generator, n: int, d: int, radius: float = 1.0) -> np.ndarray:
    """``n`` points uniform on the sphere ``S^{d-1}(radius)`` (normalised Gaussians)."""
    g = rng.standard_normal((n, d))
    norms = np.linalg.norm(g, axis=1, keepdims=True)
    while (norms == 0).any():  # probability zero, but never divide by 0
        bad = (norms == 0)[:, 0]
        g[bad] = rng.standard_normal((int(bad.sum()), d))
        norms = np.linalg.norm(g, axis=1, keepdims=True)
    return radius * g / norms


def uniform_ball(rng: np.random.Generator, n: int, d: int, radius: float = 1.0) -> np.ndarray:
    """``n`` points uniform in the closed ball ``B_0(radius)`` of R^d."""
    u = rng.random(n) ** (1.0 / d)
    return unit_sphere(rng, n, d, radius) * u[:, None]


def noisy_gd(
    grad: Field,
    x0: np.ndarray,
    alpha: float,
    steps: int,
    seed: int | np.random.SeedSequence,
    *,
    radius: float = 1.0,
    stop: Predicate | None = None,
    until_all: bool = False,
    noise: Callable[[np.random.Generator, int, int], np.ndarray] | None = None,
) -> Run:
    """NoisyGD: ``x_{t+1} = x_t - alpha (grad f(x_t) + xi_t)``, ``xi_t ~ Unif(S^{d-1}(radius))``.

    ``noise(rng, n, d)`` replaces the sphere sampler (used by tests to show that a wrong
    law is detected); by default it is :func:`unit_sphere` with ``radius``.
    """
    _check_steps(alpha, steps)
    rng = generator(seed)
    x = _as_paths(x0)
    n, d = x.shape
    draw = noise if noise is not None else (lambda g, k, dd: unit_sphere(g, k, dd, radius))
    hits = _Hits(stop, n)
    t = 0
    done = hits.see(0, x)
    while t < steps and not (until_all and done):
        x = x - alpha * (grad(x) + draw(rng, n, d))
        t += 1
        done = hits.see(t, x)
    return Run(x, t, hits.hit)


@dataclass(frozen=True)
class PGDParameters:
    """Hyperparameters of perturbed gradient descent (Jin et al. 2017, arXiv:1703.00887).

    The paper's ``PGD(x_0, l, rho, eps, c, delta, Delta_f)`` (its Algorithm 1 is the
    meta-algorithm "perturb when the gradient is small, at most once every t_thres steps";
    the concrete choices below are those of the algorithm with parameters, as the paper
    sets them)::

        chi     = 3 max{ log(d l Delta_f / (c eps^2 delta)), 4 }
        eta     = c / l                          (step size)
        r       = sqrt(c) / chi^2 * eps / l      (perturbation radius, xi ~ Unif(B_0(r)))
        g_thres = sqrt(c) / chi^2 * eps          (perturb when ||grad f|| <= g_thres ...)
        f_thres = c / chi^3 * sqrt(eps^3 / rho)  (... stop if f fell by less than f_thres ...)
        t_thres = chi / c^2 * l / sqrt(rho eps)  (... t_thres steps after the perturbation)

    ``l`` is the gradient Lipschitz constant, ``rho`` the Hessian Lipschitz constant,
    ``Delta_f >= f(x_0) - f*``, ``delta`` the failure probability and ``c`` the paper's
    absolute constant (its theorem holds for ``c <= c_max``, a constant it does not give
    numerically; the caller chooses ``c``). ``t_thres`` is rounded up to an integer.
    """

    chi: float
    eta: float
    r: float
    g_thres: float
    f_thres: float
    t_thres: int

    @classmethod
    def from_paper(cls, *, d: int, ell: float, rho: float, eps: float, c: float, delta: float, delta_f: float) -> PGDParameters:
        for name, v in (("ell", ell), ("rho", rho), ("eps", eps), ("c", c), ("delta", delta), ("delta_f", delta_f)):
            if not (v > 0 and math.isfinite(v)):
                raise ValueError(f"PGD parameter {name} must be positive and finite, got {v}")
        if d < 1:
            raise ValueError(f"dimension must be >= 1, got {d}")
        chi = 3 * max(math.log(d * ell * delta_f / (c * eps**2 * delta)), 4.0)
        return cls(
            chi=chi,
            eta=c / ell,
            r=math.sqrt(c) / chi**2 * eps / ell,
            g_thres=math.sqrt(c) / chi**2 * eps,
            f_thres=c / chi**3 * math.sqrt(eps**3 / rho),
            t_thres=math.ceil(chi / c**2 * ell / math.sqrt(rho * eps)),
        )


def perturbed_gd(
    f: Field,
    grad: Field,
    x0: np.ndarray,
    params: PGDParameters,
    max_steps: int,
    seed: int | np.random.SeedSequence,
    *,
    stop: Predicate | None = None,
    until_all: bool = False,
    terminate: bool = True,
) -> Run:
    """Perturbed gradient descent (Jin et al. 2017), on every path independently::

        t_noise = -t_thres - 1
        for t = 0, 1, ...:
            if ||grad f(x_t)|| <= g_thres and t - t_noise > t_thres:
                x~ = x_t; t_noise = t; x_t = x~ + xi_t,  xi_t ~ Unif(B_0(r))
            if t - t_noise == t_thres and f(x_t) - f(x~) > -f_thres:
                return x~                                   (when ``terminate``)
            x_{t+1} = x_t - eta grad f(x_t)

    A path that returned stays at its returned point ``x~`` (``Run.returned``). ``stop``
    records first hits as in the other routines; ``Run.perturbations`` counts perturbations.
    """
    _check_steps(params.eta, max_steps)
    rng = generator(seed)
    x = _as_paths(x0)
    n, d = x.shape
    t_noise = np.full(n, -params.t_thres - 1, dtype=np.int64)
    x_tilde = x.copy()
    f_tilde = np.zeros(n)
    returned = np.zeros(n, dtype=bool)
    count = np.zeros(n, dtype=np.int64)
    hits = _Hits(stop, n)
    t = 0
    done = hits.see(0, x)
    while t < max_steps and not (until_all and done) and not returned.all():
        g = grad(x)
        small = np.linalg.norm(g, axis=1) <= params.g_thres
        perturb = small & (t - t_noise > params.t_thres) & ~returned
        if perturb.any():
            k = int(perturb.sum())
            x_tilde[perturb] = x[perturb]
            f_tilde[perturb] = f(x[perturb])
            t_noise[perturb] = t
            count[perturb] += 1
            x[perturb] = x[perturb] + uniform_ball(rng, k, d, params.r)
            g[perturb] = grad(x[perturb])
        if terminate:
            due = (t - t_noise == params.t_thres) & ~returned
            if due.any():
                quit_now = due.copy()
                quit_now[due] = f(x[due]) - f_tilde[due] > -params.f_thres
                returned |= quit_now
                x[quit_now] = x_tilde[quit_now]
        moving = ~returned
        x[moving] = x[moving] - params.eta * g[moving]
        t += 1
        done = hits.see(t, x)
    return Run(x, t, hits.hit, perturbations=count, returned=returned)


def sgd(
    sample_grad: Callable[[np.ndarray, np.ndarray], np.ndarray],
    m: int,
    x0: np.ndarray,
    alpha: float,
    steps: int,
    seed: int | np.random.SeedSequence,
    *,
    stop: Predicate | None = None,
    record: bool = False,
) -> Run:
    """SGD on a finite sum ``f = (1/m) sum_i f_i``: ``x_{t+1} = x_t - alpha grad f_i(x_t)``.

    ``sample_grad(X, idx)`` returns ``grad f_{idx[k]}(X[k])`` for every path ``k``; each path
    draws its own ``i ~ Unif({0, ..., m-1})`` at every step.
    """
    _check_steps(alpha, steps)
    if m < 1:
        raise ValueError(f"a finite sum needs m >= 1 terms, got {m}")
    rng = generator(seed)
    x = _as_paths(x0)
    hits = _Hits(stop, len(x))
    path = [x.copy()] if record else None
    hits.see(0, x)
    for t in range(1, steps + 1):
        idx = rng.integers(0, m, size=len(x))
        x = x - alpha * sample_grad(x, idx)
        hits.see(t, x)
        if path is not None:
            path.append(x.copy())
    return Run(x, steps, hits.hit, np.array(path) if path is not None else None)


def gelfand_mitter(A: float, B: float, t: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """The schedules ``alpha_t = A / t`` and ``beta_t = sqrt(B / (t log log t))``.

    The slide prints ``beta_t = sqrt(B/t log log t)``; it is read as Gelfand and Mitter's
    ``beta_t^2 = B / (t log log t)`` (log log t in the denominator), so that the temperature
    ``beta_t^2 / alpha_t = (B/A) / log log t`` decreases to 0. Defined for ``t > e``
    (``log log t > 0``); ``t`` below that raises ``ValueError``.
    """
    tt = np.asarray(t, dtype=float)
    if (tt <= math.e).any():
        raise ValueError("the Gelfand-Mitter schedule needs t > e (log log t > 0)")
    if not (A > 0 and B > 0):
        raise ValueError(f"A and B must be positive, got A={A}, B={B}")
    return A / tt, np.sqrt(B / (tt * np.log(np.log(tt))))


def sgld(
    grad: Field,
    x0: np.ndarray,
    A: float,
    B: float,
    steps: int,
    seed: int | np.random.SeedSequence,
    *,
    t0: int = 3,
    gradient_noise: Callable[[np.random.Generator, np.ndarray, int], np.ndarray] | None = None,
    stop: Predicate | None = None,
) -> Run:
    """SGLD: ``x_{t+1} = x_t - alpha_t (grad f(x_t) + xi_t) + beta_t W_t``, ``W_t ~ N(0, I_d)``.

    ``alpha_t, beta_t`` from :func:`gelfand_mitter` for ``t = t0, ..., t0 + steps - 1``;
    ``gradient_noise(rng, X, t)`` gives the stochastic-gradient noise ``xi_t`` (zero by default).
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    rng = generator(seed)
    x = _as_paths(x0)
    n, d = x.shape
    hits = _Hits(stop, n)
    hits.see(0, x)
    for k in range(steps):
        t = t0 + k
        a, b = gelfand_mitter(A, B, float(t))
        g = grad(x)
        if gradient_noise is not None:
            g = g + gradient_noise(rng, x, t)
        x = x - float(a) * g + float(b) * rng.standard_normal((n, d))
        hits.see(k + 1, x)
    return Run(x, steps, hits.hit)


def exit_times(run_hit: np.ndarray, steps: int) -> np.ndarray:
    """First-hit times as floats, ``inf`` for paths that never hit within ``steps``."""
    out = run_hit.astype(float)
    out[run_hit < 0] = math.inf
    return out


__all__ = [
    "PGDParameters", "Run", "exit_times", "gelfand_mitter", "generator", "gradient_descent",
    "noisy_gd", "perturbed_gd", "sgd", "sgld", "streams", "uniform_ball", "unit_sphere",
]
