"""Monte Carlo in chunks: the same samples whatever runs them.

A simulation of ``n`` samples is cut into chunks of at most :data:`CHUNK` samples, and chunk
``i`` draws from its own generator, ``numpy.random.default_rng(SeedSequence(seed).spawn(k)[i])``.
The cut depends on ``n`` only, never on who runs the chunks, so the samples, the estimate and the
verdict are identical whether the chunks run one after the other in this process or are spread
over a cluster (:func:`using_mapper`, set by ``theorems check --executor dask…``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

import numpy as np

from . import interrupts

#: the largest chunk: a check of up to this many samples is one chunk
CHUNK = 10_000


class Mapper(Protocol):
    """Runs ``fn(*args)`` for each tuple of ``calls`` (anywhere) and returns the results in order."""

    def __call__(self, fn: Callable[..., Any], calls: Sequence[tuple[Any, ...]]) -> list[Any]: ...


_MAPPER: ContextVar[Mapper | None] = ContextVar("theorems_chunk_mapper", default=None)


def chunk_sizes(n: int, size: int = CHUNK) -> list[int]:
    """``n`` cut into ``ceil(n / size)`` chunks of (nearly) equal sizes, largest first."""
    if n < 1 or size < 1:
        raise ValueError(f"chunk_sizes: n and size must be positive, got n={n}, size={size}")
    k = -(-n // size)
    q, r = divmod(n, k)
    return [q + 1] * r + [q] * (k - r)


def chunk_generators(seed: int, k: int) -> list[np.random.Generator]:
    """The ``k`` independent generators of a ``k``-chunk simulation seeded with ``seed``."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(k)]


def _simulate_chunk(simulate: Callable[[np.random.Generator, int], Any], seed: int, k: int, i: int, size: int) -> np.ndarray:
    interrupts.check()
    rng = chunk_generators(seed, k)[i]
    return np.asarray(simulate(rng, size), dtype=float)


def simulate_in_chunks(simulate: Callable[[np.random.Generator, int], Any], n: int, seed: int) -> tuple[np.ndarray, int]:
    """``n`` samples of ``simulate(rng, m)`` drawn chunk by chunk (see the module's docstring),
    through the mapper in use if any; the samples in chunk order and the number of chunks."""
    sizes = chunk_sizes(n)
    calls = [(simulate, seed, len(sizes), i, m) for i, m in enumerate(sizes)]
    mapper = _MAPPER.get()
    parts = mapper(_simulate_chunk, calls) if mapper is not None and len(calls) > 1 else [_simulate_chunk(*c) for c in calls]
    for m, part in zip(sizes, parts, strict=True):
        if part.shape != (m,):
            raise ValueError(f"simulate returned shape {part.shape} for a chunk of {m} samples, expected ({m},)")
    return np.concatenate(parts), len(sizes)


@contextmanager
def using_mapper(mapper: Mapper | None) -> Iterator[None]:
    """Run the chunks of the Monte Carlo checks run inside this block through ``mapper``."""
    token = _MAPPER.set(mapper)
    try:
        yield
    finally:
        _MAPPER.reset(token)


__all__ = ["CHUNK", "Mapper", "chunk_generators", "chunk_sizes", "simulate_in_chunks", "using_mapper"]
