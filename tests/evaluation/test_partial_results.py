"""An error under encapsulation "none" keeps what finished: ``partial_result``."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from mlr3py import benchmark, benchmark_grid, lrn, msr, plan, resample, rsmp, tsk, tweak
from mlr3py.errors import LearnerTrainError
from mlr3py.evaluation import BenchmarkResult, ResampleResult
from mlr3py.execution._engine import shutdown_workers


@pytest.fixture(scope="module")
def workers() -> Iterator[None]:
    yield
    shutdown_workers()


@pytest.mark.parametrize("strategy", [
    "sequential", pytest.param("processes", marks=[pytest.mark.subprocess, pytest.mark.slow]),
])
def test_benchmark_error_carries_the_finished_jobs(workers: None, strategy: str) -> None:
    failing = lrn("classif.debug", error_train=1)
    design = benchmark_grid(tsk("iris"), [lrn("classif.featureless"), failing],
                            rsmp("cv", folds=3), seed=1)
    spec = strategy if strategy == "sequential" else tweak(strategy, workers=2)
    with plan(spec), pytest.raises(LearnerTrainError, match="Error from classif.debug") as info:
        benchmark(design, seed=1)
    partial = info.value.partial_result
    assert isinstance(partial, BenchmarkResult)
    done = partial.resample_result(0)
    assert done.iters == 3 and partial.resample_result(1).iters == 0
    # the finished jobs are those of a run of the same design and seed that does not raise
    caught = failing.clone().encapsulate("try")
    whole = benchmark(benchmark_grid(tsk("iris"), [lrn("classif.featureless"), caught],
                                     rsmp("cv", folds=3), seed=1), seed=1)
    np.testing.assert_array_equal(done.score(msr("classif.ce"))["classif.ce"],
                                  whole.resample_result(0).score(msr("classif.ce"))["classif.ce"])


def test_resample_error_carries_the_iterations_that_finished() -> None:
    learner = lrn("classif.debug", error_train=0.5)
    with pytest.raises(LearnerTrainError) as info:
        resample(tsk("iris"), learner, rsmp("cv", folds=8), seed=2)
    partial = info.value.partial_result
    assert isinstance(partial, ResampleResult)
    assert 0 < partial.iters < 8
    encapsulated = lrn("classif.debug", error_train=0.5).encapsulate("try")
    rr = resample(tsk("iris"), encapsulated, rsmp("cv", folds=8), seed=2)
    failed = set(rr.errors["iteration"])
    assert sorted(set(range(8)) - failed) == partial.iterations
