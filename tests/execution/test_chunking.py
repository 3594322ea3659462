"""How a run is split into units: an explicit chunk size, or about two units per worker.

With ``options.exec_chunk_size`` unset (None, the default), engines that declare
their workers (worker processes, dask) get about two units per worker, so that a
run of many tiny jobs pays a few submissions; engines that do not (threads) get one
item per unit. An explicit chunk size is honoured exactly, 1 included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.execution import plan
from mlr3py.execution._chunking import UNITS_PER_WORKER, auto_chunk_count, make_chunks
from mlr3py.execution._engine import EngineInfo, engine_info, register_engine, unregister_engine
from mlr3py.execution._map import map_items
from mlr3py.execution._plans import default_workers
from mlr3py.execution._sequential import SequentialEngine
from mlr3py.options import Options, options
from mlr3py.sugar import lrn, rsmp, tsk


def test_unset_chunk_size_is_the_default_and_none_can_be_set_again() -> None:
    assert Options().exec_chunk_size is None
    opts = Options()
    opts.exec_chunk_size = 5
    opts.exec_chunk_size = None
    assert opts.exec_chunk_size is None
    with pytest.raises(ConfigError, match="'exec_chunk_size' must be an int >= 1 or None"):
        opts.exec_chunk_size = 0
    with pytest.raises(ConfigError, match="'predict_chunk_size' must be an int >= 1. Got None"):
        opts.predict_chunk_size = None  # type: ignore[assignment]


def test_auto_chunk_count_is_two_units_per_worker_and_at_most_one_per_item() -> None:
    assert UNITS_PER_WORKER == 2
    assert auto_chunk_count(60, 2) == 4
    assert auto_chunk_count(3, 2) == 3
    assert auto_chunk_count(0, 2) == 1
    assert auto_chunk_count(10, 0) == 2


@pytest.mark.parametrize(("n", "count"), [(60, 4), (10, 4), (3, 3), (7, 1), (0, 4)])
def test_make_chunks_by_count_gives_near_equal_chunks_covering_every_position(
    n: int, count: int
) -> None:
    chunks = make_chunks(n, None, shuffle=True, n_chunks=count)
    sizes = [len(c) for c in chunks]
    assert len(chunks) == min(count, n)
    assert not sizes or max(sizes) - min(sizes) <= 1
    assert sorted(p for c in chunks for p in c) == list(range(n))
    assert make_chunks(10, None, shuffle=False, n_chunks=4) == [
        [0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]


@pytest.fixture
def unit_sizes() -> Iterator[Callable[..., list[int]]]:
    """The unit sizes a map of 60 items hands to an engine with ``workers`` workers
    (None: an engine that declares no workers), with the map's ``chunk_size``."""
    seen: list[int] = []

    class Recording(SequentialEngine):
        def map(self, fn: Callable[[Any], Any], units: Any, levels: Any,
                progress: Any) -> list[list[Any]]:
            seen.extend(len(u.items) for u in units)
            return super().map(fn, units, levels, progress)

    def sizes(workers: int | None, chunk_size: int | None = None) -> list[int]:
        seen.clear()
        count = None if workers is None else (lambda spec: workers)
        register_engine(EngineInfo("test-recording", Recording, workers=count))
        with plan("test-recording", workers=2):
            items = [-x for x in range(60)]
            assert map_items(abs, items, chunk_size=chunk_size) == list(range(60))
        return sorted(seen)

    try:
        yield sizes
    finally:
        unregister_engine("test-recording")


def test_unset_chunk_size_gives_two_units_per_declared_worker(
    unit_sizes: Callable[..., list[int]]
) -> None:
    assert options.exec_chunk_size is None
    assert unit_sizes(2) == [15, 15, 15, 15]
    assert unit_sizes(3) == [10] * 6
    assert unit_sizes(None) == [1] * 60  # no declared workers: one item per unit


@pytest.mark.parametrize("size", [1, 7, 30])
def test_an_explicit_chunk_size_is_honoured_exactly(
    size: int, unit_sizes: Callable[..., list[int]]
) -> None:
    options.exec_chunk_size = size
    expected = sorted([size] * (60 // size) + ([60 % size] if 60 % size else []))
    assert unit_sizes(2) == expected
    options.exec_chunk_size = None
    assert map_items(abs, [-1, -2]) == [1, 2]


def test_a_map_with_a_chunk_size_overrides_the_option(
    unit_sizes: Callable[..., list[int]]
) -> None:
    assert unit_sizes(2, chunk_size=1) == [1] * 60
    options.exec_chunk_size = 7
    assert unit_sizes(2, chunk_size=20) == [20, 20, 20]


def test_process_and_dask_engines_declare_their_workers_threads_do_not() -> None:
    assert engine_info("processes").workers is default_workers
    assert engine_info("multicore").workers is default_workers
    assert engine_info("dask").workers is not None
    assert engine_info("threads").workers is None
    assert engine_info("sequential").workers is None


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize("chunk_size", [None, 1, 5])
def test_unset_and_explicit_chunk_sizes_give_the_sequential_results(
    chunk_size: int | None
) -> None:
    task, learner, cv = tsk("sonar"), lrn("classif.debug", predict_type="prob"), rsmp("cv", folds=9)
    reference = resample(task, learner, cv, seed=3).score()
    options.exec_chunk_size = chunk_size
    with plan("processes", workers=2):
        got = resample(task, learner, cv, seed=3).score()
    assert got.equals(reference)
