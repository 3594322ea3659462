"""benchmark() and BenchmarkResult on real components."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, InputError
from mlr3py.evaluation import (
    BenchmarkResult,
    ResampleResult,
    benchmark,
    benchmark_grid,
    resample,
)
from mlr3py.learners import Learner
from mlr3py.resamplings import Resampling
from mlr3py.sugar import lrn, msr, rsmp
from mlr3py.tasks import Task


@pytest.fixture
def design(
    sonar: Task, penguins: Task, featureless: Learner, rpart: Learner, cv3: Resampling
) -> pd.DataFrame:
    return benchmark_grid([sonar, penguins], [featureless, rpart], cv3, seed=1)


@pytest.fixture
def bmr(design: pd.DataFrame) -> BenchmarkResult:
    return benchmark(design, seed=1)


def test_aggregate_table_shape_and_values(bmr: BenchmarkResult) -> None:
    measures = [msr("classif.ce"), msr("classif.acc")]
    table = bmr.aggregate(measures)
    assert list(table.columns) == [
        "nr", "task_id", "learner_id", "resampling_id", "iters", "resample_result",
        "classif.ce", "classif.acc",
    ]
    assert table.shape == (4, 8)
    assert table["nr"].tolist() == [0, 1, 2, 3]
    assert table["task_id"].tolist() == ["sonar", "sonar", "penguins", "penguins"]
    assert table["learner_id"].tolist() == ["classif.featureless", "classif.rpart"] * 2
    assert table["iters"].tolist() == [3, 3, 3, 3]
    for nr in range(4):
        preds = bmr.resample_result(nr).predictions()
        for measure in measures:
            expected = np.mean([measure.score(p) for p in preds])
            assert table.loc[nr, measure.id] == pytest.approx(expected)
    # the tree beats guessing the majority class on both tasks
    ce = table["classif.ce"].to_numpy()
    assert ce[1] < ce[0] and ce[3] < ce[2]


def test_aggregate_conditions_columns(bmr: BenchmarkResult) -> None:
    table = bmr.aggregate(conditions=True)
    assert list(table.columns) == [
        "nr", "task_id", "learner_id", "resampling_id", "iters", "warnings", "errors",
        "resample_result", "classif.ce",
    ]
    assert table["warnings"].tolist() == [0] * 4
    assert table["errors"].tolist() == [0] * 4


def test_learners_of_a_task_see_identical_splits(bmr: BenchmarkResult) -> None:
    for a, b in [(0, 1), (2, 3)]:
        ra, rb = bmr.resample_result(a), bmr.resample_result(b)
        for i in range(3):
            assert np.array_equal(ra.resampling.test_set(i), rb.resampling.test_set(i))


def test_design_resampling_not_instantiated_is_instantiated_once_per_task(
    sonar: Task, featureless: Learner, rpart: Learner, cv3: Resampling
) -> None:
    design = pd.DataFrame(
        {"task": [sonar, sonar], "learner": [featureless, rpart], "resampling": [cv3, cv3]}
    )
    bmr = benchmark(design, seed=3)
    assert not cv3.is_instantiated
    r0, r1 = (bmr.resample_result(i).resampling for i in range(2))
    assert np.array_equal(r0.test_set(0), r1.test_set(0))
    again = benchmark(design, seed=3)
    assert np.array_equal(again.resample_result(0).resampling.test_set(0), r0.test_set(0))


def test_same_seed_gives_identical_scores(design: pd.DataFrame) -> None:
    a = benchmark(design, seed=11).score()
    b = benchmark(design, seed=11).score()
    pd.testing.assert_frame_equal(a, b)


def test_score_has_one_row_per_iteration(bmr: BenchmarkResult) -> None:
    table = bmr.score(["classif.ce"])
    assert list(table.columns) == [
        "nr", "task_id", "learner_id", "resampling_id", "iteration", "classif.ce",
    ]
    assert len(table) == 12
    assert table["nr"].tolist() == [n for n in range(4) for _ in range(3)]
    assert table["iteration"].tolist() == [0, 1, 2] * 4


def test_resample_result_access(bmr: BenchmarkResult) -> None:
    rr = bmr.resample_result(1)
    assert isinstance(rr, ResampleResult)
    assert (rr.task.id, rr.learner.id) == ("sonar", "classif.rpart")
    assert len(bmr.resample_results) == bmr.n_resample_results == len(bmr) == 4
    with pytest.raises(InputError, match="nr 4"):
        bmr.resample_result(4)


def test_store_models(design: pd.DataFrame) -> None:
    bmr = benchmark(design, store_models=True, seed=1)
    learners = bmr.resample_result(1).learners
    assert len(learners) == 3 and all(lr.model is not None for lr in learners)
    with pytest.raises(ConfigError, match="store_models=True"):
        _ = benchmark(design, seed=1).resample_result(1).learners


def test_filter_by_ids(bmr: BenchmarkResult) -> None:
    assert bmr.filter(task_ids="penguins") is bmr
    table = bmr.aggregate()
    assert table["task_id"].tolist() == ["penguins", "penguins"]
    assert table["nr"].tolist() == [0, 1]
    bmr.filter(learner_ids=["classif.rpart"], resampling_ids="cv")
    assert bmr.aggregate()["learner_id"].tolist() == ["classif.rpart"]


def test_filter_unknown_id_suggests(bmr: BenchmarkResult) -> None:
    with pytest.raises(InputError, match="'classif.rprt'.*Did you mean 'classif.rpart'"):
        bmr.filter(learner_ids="classif.rprt")


def test_combine_results(
    design: pd.DataFrame, bmr: BenchmarkResult, sonar: Task, cv3: Resampling
) -> None:
    other = benchmark(design.iloc[:2], seed=2)
    both = bmr + other
    assert len(both) == 6 and len(bmr) == 4
    assert both.aggregate()["nr"].tolist() == list(range(6))
    assert bmr.combine(other) is bmr
    assert len(bmr) == 6
    bmr.combine(other)
    assert len(bmr) == 6  # duplicates are skipped
    rr = resample(sonar, lrn("classif.log_reg"), cv3, seed=1)
    assert len(bmr + rr) == 7
    assert len(rr + bmr) == 7
    assert "classif.log_reg" in (bmr + rr).learner_ids
    with pytest.raises(ConfigError, match="int"):
        bmr.combine(3)  # type: ignore[arg-type]


def test_mixed_task_types_use_default_measure_per_type(
    sonar: Task, mtcars: Task, cv3: Resampling
) -> None:
    design = pd.DataFrame(
        {
            "task": [sonar, mtcars],
            "learner": [lrn("classif.rpart"), lrn("regr.rpart")],
            "resampling": [cv3, cv3],
        }
    )
    table = benchmark(design, seed=1).aggregate()
    assert list(table.columns)[-2:] == ["classif.ce", "regr.mse"]
    assert np.isfinite(table.loc[0, "classif.ce"]) and np.isnan(table.loc[0, "regr.mse"])
    assert np.isnan(table.loc[1, "classif.ce"]) and table.loc[1, "regr.mse"] > 0


def test_measure_of_wrong_task_type(bmr: BenchmarkResult) -> None:
    with pytest.raises(ConfigError, match="'regr.mse'"):
        bmr.aggregate("regr.mse")


def test_bad_designs(sonar: Task, rpart: Learner, cv3: Resampling) -> None:
    with pytest.raises(ConfigError, match="design is empty"):
        benchmark(pd.DataFrame({"task": [], "learner": [], "resampling": []}))
    with pytest.raises(ConfigError, match="DataFrame.*list"):
        benchmark([sonar, rpart, cv3])  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="resampling"):
        benchmark(pd.DataFrame({"task": [sonar], "learner": [rpart]}))
    with pytest.raises(ConfigError, match="'learner'.*'classif.rpart'"):
        benchmark(pd.DataFrame({"task": [sonar], "learner": ["classif.rpart"],
                                "resampling": [cv3]}))
    with pytest.raises(ConfigError, match="'regr.rpart'.*'sonar'"):
        benchmark(pd.DataFrame({"task": [sonar], "learner": [lrn("regr.rpart")],
                                "resampling": [cv3]}))


def test_repr(bmr: BenchmarkResult) -> None:
    text = repr(bmr)
    assert text.startswith("<BenchmarkResult> of 12 rows with 4 resampling runs")
    assert "penguins" in text


def test_logs_start_and_finish(design: pd.DataFrame, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="mlr3py"):
        benchmark(design, seed=1)
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert messages[0].startswith("Running benchmark with 4 experiments")
    assert messages[-1].startswith("Finished benchmark: 4 experiments, 12 resampling")


def test_holdout_and_regression_benchmark(mtcars: Task) -> None:
    design = benchmark_grid(
        mtcars, [lrn("regr.featureless"), lrn("regr.rpart")], rsmp("holdout"), seed=1
    )
    table = benchmark(design, seed=1).aggregate(["regr.mse", "regr.mae"])
    assert table["iters"].tolist() == [1, 1]
    assert (table[["regr.mse", "regr.mae"]].to_numpy() > 0).all()


def test_aggregate_leads_back_to_each_resample_result(bmr: BenchmarkResult) -> None:
    table = bmr.aggregate()
    column = table["resample_result"]
    assert all(column[nr] is bmr.resample_result(nr) for nr in range(4))
    rr = column[1]
    assert isinstance(rr, ResampleResult)
    assert rr.learner.id == "classif.rpart" and rr.task.id == "sonar"
    assert rr.aggregate(msr("classif.ce"))["classif.ce"] == pytest.approx(
        table.loc[1, "classif.ce"]
    )
    # printed as one short line per row
    text = table.to_string()
    assert len(text.splitlines()) == 5
    assert "<ResampleResult> classif.rpart on sonar, 3 x cv" in text
    assert str(rr) == "<ResampleResult> classif.rpart on sonar, 3 x cv"
    assert repr(rr).startswith("<ResampleResult> with 3 resampling iterations\n")
