"""The order in which a claim's parameters are drawn when their bounds use other parameters.

``beta`` in ``(0, alpha)``: ``alpha`` is drawn first, then ``beta`` in the interval its value
gives. :func:`draw_order` sorts the parameters so that every bound uses only parameters drawn
before it, and refuses a cycle (``alpha < beta < alpha``, or a bound that uses its own
parameter) with a message naming it.
"""

from __future__ import annotations

from collections.abc import Mapping, Set


class CycleError(ValueError):
    """The parameters' bounds depend on each other in a cycle; the message names it."""


def draw_order(uses: Mapping[str, Set[str]]) -> list[str]:
    """The parameters in an order where each comes after every parameter its bounds use.

    ``uses[p]`` is the set of parameters that p's bounds mention (names outside ``uses`` are
    ignored). Ties keep the declaration order. Raises :class:`CycleError` on a cycle.
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1: in progress, 2: done

    def visit(p: str, path: list[str]) -> None:
        if state.get(p) == 2:
            return
        if state.get(p) == 1:
            cycle = path[path.index(p) :] + [p]
            raise CycleError("the bounds of the parameters form a cycle: " + " -> ".join(cycle) + " (each bound may use only parameters drawn before it)")
        state[p] = 1
        for q in sorted(uses[p] & set(uses), key=list(uses).index):
            visit(q, [*path, p])
        state[p] = 2
        order.append(p)

    for p in uses:
        visit(p, [])
    return order


__all__ = ["CycleError", "draw_order"]
