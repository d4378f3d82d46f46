"""An :class:`~symbolic.proofs.Identity` whose two sides are built when the check first needs them.

Building a side can be expensive (``sympy.integrate``, ``diff`` of a large expression, a limit):
a catalogue that builds its identities at import pays that cost on every start. A
:class:`LazyIdentity` takes a function returning ``(lhs, rhs)`` and calls it on first use, so
the computation happens in the check (and never makes the sides "equal when built").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

from .checks import Check
from .proofs import Identity


class LazyIdentity(Identity):
    """``lhs == rhs`` with the sides returned by ``build()``, called once, on first use."""

    def __init__(self, name: str, build: Callable[..., tuple[Any, Any]], *, statement: str, **kw: Any) -> None:
        Check.__init__(self, name, statement=statement, **kw)
        self._build = build
        self._sides: tuple[sp.Expr, sp.Expr] | None = None

    def _get(self) -> tuple[sp.Expr, sp.Expr]:
        if self._sides is None:
            lhs, rhs = self._build()
            self._sides = (sp.sympify(lhs), sp.sympify(rhs))
        return self._sides

    @property
    def lhs(self) -> sp.Expr:
        return self._get()[0]

    @property
    def rhs(self) -> sp.Expr:
        return self._get()[1]
