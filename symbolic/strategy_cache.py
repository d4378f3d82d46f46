"""Strategies built once per argument tuple.

A case strategy calls ``points(d)``, ``rationals(lo, hi)``, ... inside ``@st.composite``
functions, i.e. once per draw; building a hypothesis strategy (``integers(...).map(...)``)
costs far more than drawing from it. :func:`cached_strategy` memoises such a factory on its
arguments (strategies are immutable, so sharing one is safe and draws the same values).
Arguments that cannot be hashed skip the cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: at most this many strategies per factory (then the cache starts over)
MAX_CACHED = 4096


def cached_strategy(factory: F) -> F:
    """``factory`` memoised on its (hashable) positional and keyword arguments."""
    cache: dict[Any, Any] = {}

    @functools.wraps(factory)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hit = cache.get(key)
        except TypeError:  # unhashable arguments: build afresh
            return factory(*args, **kwargs)
        if hit is None:
            if len(cache) >= MAX_CACHED:
                cache.clear()
            hit = cache[key] = factory(*args, **kwargs)
        return hit

    wrapper.cache = cache  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
