"""A BenchmarkResult's tasks, learners, resamplings and logged conditions (mlr3's
``bmr$tasks`` / ``$learners`` / ``$resamplings`` / ``$warnings`` / ``$errors``), and
``as_benchmark_result()`` / ``rr1 + rr2`` (mlr3's ``c(rr1, rr2)``)."""

from __future__ import annotations

import pandas as pd
import pytest

import mlr3py
from mlr3py.errors import ConfigError
from mlr3py.evaluation import (
    BenchmarkResult,
    ResampleResult,
    as_benchmark_result,
    benchmark,
    benchmark_grid,
    resample,
)
from mlr3py.learners import Learner
from mlr3py.resamplings import Resampling
from mlr3py.sugar import lrn, msr, rsmp
from mlr3py.tasks import Task


@pytest.fixture
def bmr(
    sonar: Task, penguins: Task, featureless: Learner, rpart: Learner, cv3: Resampling
) -> BenchmarkResult:
    return benchmark(benchmark_grid([sonar, penguins], [featureless, rpart], cv3, seed=1), seed=1)


def test_tasks_learners_resamplings_are_distinct_tables(bmr: BenchmarkResult) -> None:
    tasks = bmr.tasks
    assert list(tasks.columns) == ["task_hash", "task_id", "task"]
    assert tasks["task_id"].tolist() == ["sonar", "penguins"]
    assert all(isinstance(t, Task) for t in tasks["task"])

    learners = bmr.learners
    assert list(learners.columns) == ["learner_hash", "learner_id", "learner"]
    assert learners["learner_id"].tolist() == ["classif.featureless", "classif.rpart"]
    assert all(isinstance(lr, Learner) for lr in learners["learner"])

    resamplings = bmr.resamplings
    assert list(resamplings.columns) == ["resampling_hash", "resampling_id", "resampling"]
    # one instantiated cv per task: two different sets of splits
    assert resamplings["resampling_id"].tolist() == ["cv", "cv"]
    assert resamplings["resampling_hash"].nunique() == 2
    assert bmr.task_type == "classif"
    assert bmr.uhashes == [rr.uhash for rr in bmr.resample_results]


def test_learners_with_other_parameter_values_are_told_apart(sonar: Task) -> None:
    design = benchmark_grid(
        sonar, [lrn("classif.rpart", max_depth=1), lrn("classif.rpart", max_depth=3)],
        rsmp("holdout"), seed=1,
    )
    learners = benchmark(design, seed=1).learners
    assert len(learners) == 2
    assert [lr.param_set.values["max_depth"] for lr in learners["learner"]] == [1, 3]


def test_errors_and_warnings_name_their_experiment(sonar: Task) -> None:
    failing = lrn("classif.debug", error_train=1.0, warning_train=1.0)
    failing.encapsulate("evaluate", lrn("classif.featureless"))
    design = benchmark_grid(sonar, [lrn("classif.featureless"), failing], rsmp("cv", folds=2),
                            seed=1)
    bmr = benchmark(design, seed=1)
    errors = bmr.errors
    assert list(errors.columns) == [
        "nr", "task_id", "learner_id", "resampling_id", "iteration", "msg"
    ]
    assert errors["nr"].tolist() == [1, 1]
    assert errors["learner_id"].unique().tolist() == ["classif.debug"]
    assert errors["iteration"].tolist() == [0, 1]
    assert len(bmr.warnings) == 2
    assert bmr.warnings["task_id"].unique().tolist() == ["sonar"]


def test_conditions_of_a_clean_benchmark_are_empty_tables(bmr: BenchmarkResult) -> None:
    assert bmr.errors.empty
    assert list(bmr.warnings.columns) == [
        "nr", "task_id", "learner_id", "resampling_id", "iteration", "msg"
    ]


def test_as_benchmark_result_and_adding_resample_results(
    sonar: Task, rpart: Learner, featureless: Learner, cv3: Resampling
) -> None:
    rr1 = resample(sonar, rpart, cv3, seed=1)
    rr2 = resample(sonar, featureless, cv3, seed=1)
    bmr = as_benchmark_result(rr1)
    assert isinstance(bmr, BenchmarkResult)
    assert bmr.resample_result(0) is rr1
    assert as_benchmark_result(bmr) is bmr
    assert mlr3py.as_benchmark_result is as_benchmark_result

    both = rr1 + rr2
    assert isinstance(both, BenchmarkResult)
    assert both.learner_ids == ["classif.rpart", "classif.featureless"]
    table = both.aggregate(msr("classif.ce"))
    assert table["classif.ce"].tolist() == pytest.approx(
        [rr1.aggregate(msr("classif.ce")).iloc[0], rr2.aggregate(msr("classif.ce")).iloc[0]]
    )
    assert (rr1 + both).n_resample_results == 2  # rr1 is already there


def test_as_benchmark_result_refuses_other_objects() -> None:
    with pytest.raises(ConfigError, match="ResampleResult"):
        as_benchmark_result(pd.DataFrame())  # type: ignore[arg-type]


def test_prediction_of_a_missing_set_names_the_call(sonar: Task, rpart: Learner) -> None:
    rr: ResampleResult = resample(sonar, rpart, rsmp("holdout"), seed=1)
    with pytest.raises(ConfigError, match=r"ResampleResult\.predictions\('train'\) needs"):
        rr.prediction("train")


def test_clones_filter_without_touching_the_original(bmr: BenchmarkResult) -> None:
    subset = bmr.clone().filter(task_ids="sonar", learner_ids="classif.rpart")
    assert subset.n_resample_results == 1
    assert bmr.n_resample_results == 4
    rr = bmr.resample_result(0)
    one = rr.clone().filter(1)
    assert one.iterations == [1]
    assert rr.iterations == [0, 1, 2]
    assert one.uhash == rr.uhash
    # a deep clone's ResampleResults filter on their own too
    copy = bmr.clone()
    copy.resample_result(0).filter([0])
    assert bmr.resample_result(0).iters == 3
    shallow = bmr.clone(deep=False)
    assert shallow.resample_result(0) is rr


def test_score_with_conditions_lists_each_iterations_messages(sonar: Task) -> None:
    failing = lrn("classif.debug", error_train=1.0, warning_train=1.0)
    failing.encapsulate("evaluate", lrn("classif.featureless"))
    rr = resample(sonar, failing, rsmp("cv", folds=2), seed=1)
    table = rr.score(msr("classif.ce"), conditions=True)
    assert list(table.columns) == [
        "task_id", "learner_id", "resampling_id", "iteration", "warnings", "errors", "classif.ce"
    ]
    assert table["errors"].tolist() == [
        ["Error from classif.debug->train()"], ["Error from classif.debug->train()"]
    ]
    assert all(len(w) == 1 and "Warning from" in w[0] for w in table["warnings"])
    assert "warnings" not in rr.score(msr("classif.ce")).columns
    bmr_table = (rr + resample(sonar, lrn("classif.featureless"), rsmp("holdout"), seed=1)).score(
        msr("classif.ce"), conditions=True
    )
    assert bmr_table["errors"].map(len).tolist() == [1, 1, 0]
