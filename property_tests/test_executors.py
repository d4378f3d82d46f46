"""Where checks run does not change what they say: chunked Monte Carlo, Dask campaigns."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbolic import CheckSettings, MonteCarlo
from symbolic.chunks import CHUNK, chunk_sizes, simulate_in_chunks, using_mapper
from theorems.executors import ExecutorError, parse_executor
from theorems.registry import entries
from theorems.runner import run_checks


@given(st.integers(1, 10**6), st.integers(1, 5 * 10**4))
def test_chunks_cover_n_with_nearly_equal_sizes(n: int, size: int) -> None:
    sizes = chunk_sizes(n, size)
    assert sum(sizes) == n and max(sizes) <= size and max(sizes) - min(sizes) <= 1
    assert len(sizes) == -(-n // size)


def _threads(fn, calls):  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(4) as ex:
        return list(ex.map(lambda args: fn(*args), calls))


def test_the_samples_do_not_depend_on_who_runs_the_chunks() -> None:
    def simulate(rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.random(n) < 0.3

    here, k = simulate_in_chunks(simulate, 3 * CHUNK + 7, seed=5)
    with using_mapper(_threads):
        there, k2 = simulate_in_chunks(simulate, 3 * CHUNK + 7, seed=5)
    assert k == k2 == 4 and np.array_equal(here, there)
    other, _ = simulate_in_chunks(simulate, 3 * CHUNK + 7, seed=6)
    assert not np.array_equal(here, other)  # the seed matters


def test_a_chunk_of_the_wrong_shape_is_an_error_naming_the_check() -> None:
    mc = MonteCarlo("bad shape", lambda rng, n: np.zeros(n + 1), rel=">=", bound=0.5)
    with pytest.raises(ValueError, match="bad shape.*shape"):
        mc.run(CheckSettings())


@pytest.mark.parametrize("text", ["dask", "dask://", "dask://host", "dask://host:0", "dask://h:99999", "tcp://h:1", "dask://a b:1", "x" * 500])
def test_a_wrong_executor_is_named(text: str) -> None:
    with pytest.raises(ExecutorError, match="executor"):
        parse_executor(text)


def test_executors_are_parsed() -> None:
    assert parse_executor(None).kind == "processes"
    assert parse_executor("dask-local").is_dask
    assert parse_executor("dask://127.0.0.1:8786").address == "tcp://127.0.0.1:8786"


def test_a_campaign_on_a_dask_local_cluster_gives_the_in_process_verdicts() -> None:
    pytest.importorskip("dask.distributed", reason="dask is an optional extra: pip install 'theorems[dask]'")
    selected = entries(["bruna.euler-maruyama-step", "bruna.quadratic-saddle"])
    settings = CheckSettings(mc_scale=2.0)  # several chunks per Monte Carlo check
    here = run_checks(selected, settings, jobs=1)
    there = run_checks(selected, settings, jobs=2, executor=parse_executor("dask-local"))
    assert [(r.entry, r.check, r.outcome.verdict) for r in here] == [(r.entry, r.check, r.outcome.verdict) for r in there]
    mc = [(a, b) for a, b in zip(here, there, strict=True) if a.kind == "M"]
    assert mc and any(a.outcome.evidence.extra["chunks"] > 1 for a, _ in mc)
    for a, b in mc:  # the same samples: the same estimate, to the last bit
        assert a.outcome.evidence.extra["estimate"] == b.outcome.evidence.extra["estimate"]
