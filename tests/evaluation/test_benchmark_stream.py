"""benchmark_stream(): designs given one after the other, each result what benchmark() gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlr3py import benchmark, lrn, msr, plan, rsmp, tsk, tweak
from mlr3py.errors import ConfigError, LearnerTrainError
from mlr3py.evaluation import BenchmarkResult
from mlr3py.evaluation._benchmark import benchmark_grid
from mlr3py.evaluation._stream import StreamDesign, benchmark_stream


def _rows(learners: list, seed: int) -> list:
    design = benchmark_grid(tsk("iris"), learners, rsmp("cv", folds=3), seed=seed)
    return list(zip(design["task"], design["learner"], design["resampling"], strict=True))


class Designs:
    def __init__(self, designs: list[StreamDesign]) -> None:
        self.designs = list(designs)
        self.results: list[BenchmarkResult] = []
        self.busy_given = 0

    def more(self, busy: bool) -> StreamDesign | None:
        if not self.designs:
            return None
        self.busy_given += busy
        return self.designs.pop(0)

    def done(self, result: BenchmarkResult) -> None:
        self.results.append(result)


def _scores(bmr: BenchmarkResult) -> np.ndarray:
    return bmr.score(msr("classif.ce"))["classif.ce"].to_numpy()


@pytest.mark.parametrize("strategy", [
    "sequential", pytest.param("processes", marks=[pytest.mark.subprocess, pytest.mark.slow]),
])
def test_each_design_gives_what_benchmark_gives(strategy: str) -> None:
    first = _rows([lrn("classif.rpart", max_depth=1), lrn("classif.rpart", max_depth=3)], 1)
    second = _rows([lrn("classif.rpart", max_depth=2)], 2)
    source = Designs([StreamDesign(first, 11), StreamDesign(second, 12)])
    spec = strategy if strategy == "sequential" else tweak(strategy, workers=2)
    with plan(spec):
        benchmark_stream(source)
    assert len(source.results) == 2
    assert (source.busy_given > 0) == (strategy == "processes")
    for rows, seed, got in ((first, 11, source.results[0]), (second, 12, source.results[1])):
        want = benchmark(pd.DataFrame(rows, columns=["task", "learner", "resampling"]),
                         seed=seed)
        np.testing.assert_array_equal(_scores(got), _scores(want))


def test_a_learner_error_comes_after_the_designs_before_it() -> None:
    failing = lrn("classif.debug", error_train=1)
    source = Designs([StreamDesign(_rows([lrn("classif.featureless")], 1), 1),
                      StreamDesign(_rows([lrn("classif.featureless"), failing], 2), 2),
                      StreamDesign(_rows([lrn("classif.featureless")], 3), 3)])
    with pytest.raises(LearnerTrainError) as info:
        benchmark_stream(source)
    assert len(source.results) == 1  # the first design's; the third never reported
    partial = info.value.partial_result
    assert isinstance(partial, BenchmarkResult)
    assert partial.resample_result(0).iters == 3 and partial.resample_result(1).iters == 0


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ConfigError, match="store_models"):
        benchmark_stream(Designs([]), store_models="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="no experiments"):
        benchmark_stream(Designs([StreamDesign([], 1)]))


class _Selecting(Designs):
    """Gives its designs, and keeps only two features of ``task`` before the last one."""

    def __init__(self, designs: list[StreamDesign], task: object) -> None:
        super().__init__(designs)
        self.task = task

    def more(self, busy: bool) -> StreamDesign | None:
        if len(self.designs) == 1:
            self.task.select(["Petal.Length", "Petal.Width"])  # type: ignore[attr-defined]
        return super().more(busy)


def test_designs_on_an_unchanged_task_share_its_clone() -> None:
    task = tsk("iris")
    resampling = rsmp("cv", folds=3).instantiate(task, seed=1)
    designs = [StreamDesign([(task, lrn("classif.rpart", max_depth=d), resampling)], d)
               for d in (1, 2, 3)]
    source = _Selecting(designs, task)
    with plan(tweak("processes", workers=2)):  # where designs travel to worker processes
        benchmark_stream(source)
    first, second, third = (r.resample_result(0) for r in source.results)
    assert first.task is second.task and first.resampling is second.resampling
    assert first.task is not task and first.resampling is not resampling
    assert len(first.task.feature_names) == 4
    assert third.task is not first.task  # the task changed before the third design
    assert sorted(third.task.feature_names) == ["Petal.Length", "Petal.Width"]
    row = (tsk("iris"), lrn("classif.rpart", max_depth=2), resampling)
    want = benchmark(pd.DataFrame([row], columns=["task", "learner", "resampling"]), seed=2)
    np.testing.assert_array_equal(_scores(source.results[1]), _scores(want))


def test_the_sequential_plan_does_not_compare_clones() -> None:
    # the clones of a sequential run share the backend's caches already
    task = tsk("iris")
    resampling = rsmp("cv", folds=3).instantiate(task, seed=1)
    designs = [StreamDesign([(task, lrn("classif.rpart", max_depth=d), resampling)], d)
               for d in (1, 2)]
    source = Designs(designs)
    benchmark_stream(source)
    first, second = (r.resample_result(0) for r in source.results)
    assert first.task is not second.task
    np.testing.assert_array_equal(first.task.row_ids, second.task.row_ids)
