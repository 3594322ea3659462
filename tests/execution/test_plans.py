"""Plans: plan() / tweak() API, nesting, chunking, debug mode, real worker processes."""

from __future__ import annotations

import math
import os
from typing import Any

import pytest
from _helper_learners import LearnerClassifNested

import mlr3py
from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample
from mlr3py.execution import PlanSpec, plan, tweak
from mlr3py.execution._chunking import make_chunks
from mlr3py.execution._map import map_items
from mlr3py.execution._plans import current_plan
from mlr3py.options import options
from mlr3py.sugar import lrn, rsmp, tsk


def _square(x: int) -> int:
    return x * x


# -- the API ------------------------------------------------------------------------------------
def test_default_plan_is_sequential() -> None:
    assert current_plan() == PlanSpec("sequential")
    assert plan().levels == (PlanSpec("sequential"),)


@pytest.mark.subprocess
def test_plan_sets_globally_and_restores_as_context_manager() -> None:
    with plan("threads", workers=2) as handle:
        assert handle.strategy == "threads"
        assert current_plan() == tweak("threads", workers=2)
        with plan("processes"):
            assert current_plan().strategy == "processes"
        assert current_plan().strategy == "threads"
    assert current_plan().strategy == "sequential"
    plan("threads")
    assert current_plan().strategy == "threads"


@pytest.mark.dask
@pytest.mark.subprocess
@pytest.mark.parametrize(("alias", "canonical"), [("multisession", "processes"),
                                                   ("cluster", "dask")])
def test_aliases(alias: str, canonical: str) -> None:
    assert tweak(alias).strategy == canonical


def test_public_names() -> None:
    assert mlr3py.plan is plan
    assert mlr3py.tweak is tweak
    assert callable(mlr3py.set_threads)
    assert mlr3py.available_cores() >= 1


def test_unknown_strategy_suggests_names() -> None:
    with pytest.raises(ConfigError, match="Did you mean 'threads'"):
        plan("thread")


@pytest.mark.subprocess
def test_bad_settings_are_rejected() -> None:
    with pytest.raises(ConfigError, match="must be an int >= 1"):
        tweak("processes", workers=0)
    with pytest.raises(ConfigError, match="does not take"):
        tweak("sequential", workers=2)
    with pytest.raises(ConfigError, match="does not take"):
        tweak("threads", address="tcp://x:1")
    with pytest.raises(ConfigError, match="go into each level"):
        plan(["processes", "sequential"], workers=2)
    with pytest.raises(ConfigError, match="at least one level"):
        plan([])
    assert current_plan().strategy == "sequential"


@pytest.mark.subprocess
def test_nested_levels_and_tweak_of_a_spec() -> None:
    handle = plan([tweak("processes", workers=2), "threads"])
    assert handle.levels == (tweak("processes", workers=2), tweak("threads"))
    assert tweak(handle.levels[0], workers=3).workers == 3
    assert "workers=2" in repr(handle)


def test_make_chunks_covers_every_position_once() -> None:
    chunks = make_chunks(10, 3, shuffle=True)
    assert [len(c) for c in chunks] == [3, 3, 3, 1]
    assert sorted(p for c in chunks for p in c) == list(range(10))
    assert make_chunks(5, 2, shuffle=False) == [[0, 1], [2, 3], [4]]
    assert make_chunks(0, 2, shuffle=True) == []


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", ["sequential", "threads", "processes", "multicore"])
@pytest.mark.parametrize("chunk_size", [1, 4, None])
def test_map_items_keeps_order(strategy: str, chunk_size: int | None) -> None:
    options.exec_chunk_size = chunk_size
    with plan(strategy) if strategy == "sequential" else plan(strategy, workers=2):
        assert map_items(_square, list(range(11))) == [x * x for x in range(11)]


# -- real workers -------------------------------------------------------------------------------
def _leak_check_delay(_: Any) -> float:
    from joblib.externals.loky import process_executor

    return float(process_executor._MEMORY_LEAK_CHECK_DELAY)


@pytest.mark.subprocess
def test_loky_workers_do_not_collect_garbage_every_second() -> None:
    # loky's memory check after a call is a full gc.collect() every second without
    # psutil (tens of ms each): the workers switch the check off
    with plan("processes", workers=2):
        delays = map_items(_leak_check_delay, [0, 1, 2, 3], chunk_size=1)
    assert delays == [math.inf] * 4


def _pids(rr: mlr3py.ResampleResult) -> set[int]:
    return {learner.model.pid for learner in rr.learners}


@pytest.mark.subprocess
def test_processes_run_jobs_in_other_processes() -> None:
    with plan("processes", workers=2):
        rr = resample(tsk("iris"), lrn("classif.debug"), rsmp("cv", folds=4),
                      store_models=True, seed=1)
    pids = _pids(rr)
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


@pytest.mark.subprocess
def test_debug_mode_forces_sequential() -> None:
    options.debug = True
    with plan("processes", workers=2):
        rr = resample(tsk("iris"), lrn("classif.debug"), rsmp("cv", folds=3),
                      store_models=True, seed=1)
    assert _pids(rr) == {os.getpid()}


@pytest.mark.subprocess
def test_multicore_forks_workers() -> None:
    with plan("multicore", workers=2):
        rr = resample(tsk("iris"), lrn("classif.debug"), rsmp("cv", folds=3),
                      store_models=True, seed=1)
    assert os.getpid() not in _pids(rr)


def _nested_models(seed: int) -> list[dict]:
    rr = resample(tsk("sonar"), LearnerClassifNested(), rsmp("cv", folds=2),
                  store_models=True, seed=seed)
    return [learner.model for learner in rr.learners]


@pytest.mark.subprocess
def test_nested_plan_both_levels_parallel_on_two_workers() -> None:
    reference = _nested_models(seed=3)
    with plan([tweak("processes", workers=2), tweak("multicore", workers=2)]):
        models = _nested_models(seed=3)
    outer = {m["outer_pid"] for m in models}
    assert os.getpid() not in outer
    assert len(outer) == 2  # two outer workers
    for m in models:
        # the inner resample ran on two workers of its own, forked from the outer worker
        assert len(set(m["inner_pids"])) == 2
        assert m["outer_pid"] not in m["inner_pids"]
    assert [m["inner_ce"] for m in models] == [m["inner_ce"] for m in reference]


def test_nested_threads_inside_threads_and_sequential_after_last_level() -> None:
    reference = _nested_models(seed=5)
    with plan(tweak("threads", workers=2)):
        models = _nested_models(seed=5)  # inner level: sequential (after the last given)
    assert all(set(m["inner_pids"]) == {os.getpid()} for m in models)
    assert [m["inner_ce"] for m in models] == [m["inner_ce"] for m in reference]
    with plan([tweak("threads", workers=2), tweak("threads", workers=2)]):
        models = _nested_models(seed=5)
    assert [m["inner_ce"] for m in models] == [m["inner_ce"] for m in reference]


@pytest.mark.subprocess
def test_sequential_outer_level_passes_the_inner_level_on() -> None:
    with plan(["sequential", tweak("multicore", workers=2)]):
        models = _nested_models(seed=7)
    assert all(os.getpid() not in m["inner_pids"] for m in models)
    assert all(m["outer_pid"] == os.getpid() for m in models)


@pytest.mark.subprocess
def test_job_errors_propagate_from_workers() -> None:
    with plan("processes", workers=2), pytest.raises(mlr3py.errors.LearnerTrainError,
                                                     match="Error from classif.debug"):
        resample(tsk("iris"), lrn("classif.debug", error_train=1), rsmp("cv", folds=3), seed=1)
    # the pool still works afterwards
    with plan("processes", workers=2):
        rr = resample(tsk("iris"), lrn("classif.debug"), rsmp("cv", folds=3), seed=1)
    assert rr.iters == 3
