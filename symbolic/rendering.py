"""Where checks and outcomes find their renderers, without importing the rendering modules.

Rendering depends on checks, not the other way round: :mod:`symbolic.latex` and
:mod:`symbolic.display` register their functions here when they are imported (the package's
``__init__`` imports both), and ``Check.latex_body``, ``Outcome._repr_html_`` and
``Derivation._repr_latex_`` look them up by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: renderer name -> function (``"check_latex"``, ``"outcome_html"``, ``"outcome_latex"``,
#: ``"derivation_latex"``, ``"derivation_html"``)
RENDERERS: dict[str, Callable[..., str]] = {}


def register_renderer(name: str, fn: Callable[..., str]) -> None:
    """Make ``fn`` the renderer called ``name``."""
    RENDERERS[name] = fn


def render(name: str, *args: Any) -> str:
    """Call the renderer ``name``; LookupError when no module registered it."""
    try:
        fn = RENDERERS[name]
    except KeyError:
        raise LookupError(f"no renderer {name!r} is registered (import symbolic: symbolic.latex and symbolic.display register them)") from None
    return fn(*args)
