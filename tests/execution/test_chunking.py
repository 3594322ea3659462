"""How a run is split into units: an explicit chunk size, or units of decreasing size.

With ``options.exec_chunk_size`` unset (None, the default), engines that declare
their workers (worker processes, dask) get units of decreasing size (a "guided"
schedule): a run of many tiny jobs pays a few submissions, and the small units at
the end keep the workers evenly busy; engines that do not (threads) get one item
per unit. An explicit chunk size is honoured exactly, 1 included.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.execution import plan
from mlr3py.execution._chunking import (
    TAIL_UNITS_PER_WORKER,
    UNITS_PER_WORKER,
    auto_chunk_sizes,
    make_chunks,
)
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


def test_auto_chunk_sizes_decrease_from_a_share_of_the_items_to_the_tail_size() -> None:
    assert (UNITS_PER_WORKER, TAIL_UNITS_PER_WORKER) == (2, 8)
    # 60 jobs on 2 workers: a quarter of what is left each time, at least 60 / 16
    assert auto_chunk_sizes(60, 2) == [15, 12, 9, 6, 5, 4, 4, 4, 1]
    assert auto_chunk_sizes(3, 2) == [1, 1, 1]
    assert auto_chunk_sizes(0, 2) == []
    assert auto_chunk_sizes(10, 0) == [5, 3, 2]  # no workers counts as one
    for n in (1, 7, 60, 200, 1001):
        for workers in (1, 2, 3, 8):
            sizes = auto_chunk_sizes(n, workers)
            assert sum(sizes) == n and min(sizes) >= 1
            assert sizes[:-1] == sorted(sizes[:-1], reverse=True)
            assert len(sizes) <= 4 * UNITS_PER_WORKER * TAIL_UNITS_PER_WORKER * workers


@pytest.mark.parametrize("sizes", [[3, 3, 2, 2], [10], [1] * 10, [7, 2, 1]])
def test_make_chunks_by_sizes_covers_every_position_once(sizes: list[int]) -> None:
    chunks = make_chunks(10, None, shuffle=True, sizes=sizes)
    assert [len(c) for c in chunks] == sizes
    assert sorted(p for c in chunks for p in c) == list(range(10))
    assert make_chunks(10, None, shuffle=False, sizes=[3, 3, 2, 2]) == [
        [0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]
    assert make_chunks(10, None, shuffle=False) == [list(range(10))]
    assert make_chunks(0, None, shuffle=True, sizes=[]) == []


@pytest.mark.parametrize("sizes", [[3, 3], [5, 5, 1], [10, 0]])
def test_sizes_that_do_not_split_the_items_are_refused(sizes: list[int]) -> None:
    with pytest.raises(ValueError, match=re.escape(f"Chunk sizes {sizes} do not split 10")):
        make_chunks(10, None, shuffle=False, sizes=sizes)


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


def test_unset_chunk_size_gives_decreasing_units_for_declared_workers(
    unit_sizes: Callable[..., list[int]]
) -> None:
    assert options.exec_chunk_size is None
    assert unit_sizes(2) == sorted(auto_chunk_sizes(60, 2)) == [1, 4, 4, 4, 5, 6, 9, 12, 15]
    assert unit_sizes(3) == sorted(auto_chunk_sizes(60, 3))
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
