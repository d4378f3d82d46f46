"""DISCRETIZATION OF SDES: the definition of a weak approximation of order alpha, as an executable predicate.

A scheme (x_k) approximates the SDE in the weak sense at order alpha if for every polynomial-growth g there is C
independent of delta with |E g(X_{k delta}) - E g(x_k)| <= C delta^alpha for all k = 0, ..., T/delta. The predicate
decides it for given exact errors (as functions of the step and of t = k delta) by their expansion at delta = 0.
"""

from __future__ import annotations

from symbolic import Definition, Judgement, Verdict
from symbolic.weak_order import OrderClaim, has_weak_order
from theorems.registry import Entry, Status, register

from ._simulation import gbm_em_error, h_step


def _predicate(c: OrderClaim) -> Judgement:
    ok, why = has_weak_order(c)
    return Judgement(ok, Verdict.CHECKED, why)


def _claim(scheme: str, alpha: int, ps: tuple[int, ...] = (1, 2)) -> OrderClaim:
    return OrderClaim({f"g(x) = x^{p}": gbm_em_error(p, scheme) for p in ps}, h_step, alpha)


_EXAMPLES = [
    ("Euler-Maruyama on GBM, alpha = 1", _claim("em", 1), True),
    ("Euler-Maruyama on GBM, alpha = 2", _claim("em", 2, (1,)), False),
    ("exact transition of GBM, alpha = 3 (every order)", _claim("exact", 3), True),
    ("Euler-Maruyama with the noise doubled, alpha = 1", _claim("double-noise", 1, (2,)), False),
    ("Euler-Maruyama with the noise doubled, alpha = 0 (errors bounded)", _claim("double-noise", 0, (2,)), True),
]

register(
    Entry(
        id="bruna.weak-approximation",
        title="Definition: weak approximation of order alpha",
        where="DISCRETIZATION OF SDES",
        statement=(
            r"A stochastic discrete-time scheme $(x_k)_k$ approximates this SDE \emph{in the weak sense} at order $\alpha$ if for every polynomial-growth function $g$ "
            r"s.t. $|g(x)|\le K(1+|x|^\kappa)$ exists $C>0$ independent of $\delta$ such that for all $k=0,1,\dots,T/\delta$, $|\mathbb Eg(X_{k\delta})-\mathbb Eg(x_k)|\le C\delta^\alpha$."
        ),
        checks=[
            Definition("weak order alpha, decided from the exact errors' expansion in delta", _predicate, _EXAMPLES,
                       statement=r"\exists C\ \forall\delta\le\delta_0,\ k\delta\le T:\ |Eg(X_{k\delta})-Eg(x_k)|\le C\delta^\alpha\iff\text{the expansion of the error in }\delta\text{ starts at }\delta^{\beta},\ \beta\ge\alpha",
                       scope="schemes whose errors are known exactly and analytic in (t, delta); test functions x, x^2",
                       note="Examples: GBM dX = mu X dt + sigma X dW with symbolic mu, sigma, x0; the exact transition has zero error; doubling the noise leaves an O(1) error in E x^2."),
        ],
        status=Status.VERIFIED,
        reading=(
            r"'For every polynomial-growth $g$' cannot be run; the predicate takes the errors for a stated list of test functions (here $x$, $x^2$: the moments that are exact) "
            r"and answers for that list. The constant $C$ must be uniform in $k\le T/\delta$: the errors are written at $t=k\delta$ as functions analytic in $(t,\delta)$, "
            r"so the expansion's remainder is uniform on $[0,T]$. For $\delta$ bounded away from 0 any finite error is $\le C\delta^\alpha$, so only $\delta\to0$ matters."
        ),
    )
)
