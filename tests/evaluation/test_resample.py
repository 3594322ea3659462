"""resample() and ResampleResult on real tasks, learners, resamplings and measures."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from mlr3py.errors import ConfigError, InputError
from mlr3py.evaluation import ResampleResult, resample
from mlr3py.learners import Learner, LogEntry
from mlr3py.predictions import PredictionClassif, PredictionRegr
from mlr3py.resamplings import Resampling
from mlr3py.sugar import lrn, msr, rsmp
from mlr3py.tasks import Task


@pytest.fixture
def rr(sonar: Task, rpart: Learner, cv3: Resampling) -> ResampleResult:
    return resample(sonar, rpart, cv3, seed=1)


def test_resample_rpart_on_sonar_with_cv3(rr: ResampleResult, sonar: Task) -> None:
    assert rr.iters == 3
    assert len(rr) == 3
    assert rr.resampling.is_instantiated
    preds = rr.predictions()
    assert len(preds) == 3
    assert all(isinstance(p, PredictionClassif) for p in preds)
    test_rows = np.concatenate([p.row_ids for p in preds])
    assert np.array_equal(np.sort(test_rows), np.sort(sonar.row_ids))
    for i, p in enumerate(preds):
        assert np.array_equal(p.row_ids, rr.resampling.test_set(i))
    combined = rr.prediction()
    assert len(combined) == sonar.nrow


def test_score_has_one_row_per_iteration(rr: ResampleResult) -> None:
    table = rr.score([msr("classif.ce"), msr("classif.acc")])
    assert list(table.columns) == [
        "task_id", "learner_id", "resampling_id", "iteration", "classif.ce", "classif.acc",
    ]
    assert table["iteration"].tolist() == [0, 1, 2]
    assert set(table["task_id"]) == {"sonar"}
    assert set(table["learner_id"]) == {"classif.rpart"}
    expected = [msr("classif.ce").score(p) for p in rr.predictions()]
    assert np.allclose(table["classif.ce"], expected)
    assert np.allclose(table["classif.ce"] + table["classif.acc"], 1.0)


def test_default_measure_is_classif_ce(rr: ResampleResult) -> None:
    assert list(rr.score().columns)[-1] == "classif.ce"
    assert list(rr.aggregate().index) == ["classif.ce"]


def test_aggregate_macro_is_mean_of_scores(rr: ResampleResult) -> None:
    agg = rr.aggregate(["classif.ce", msr("classif.acc")])
    assert isinstance(agg, pd.Series)
    assert agg["classif.ce"] == pytest.approx(rr.score("classif.ce")["classif.ce"].mean())
    assert agg["classif.acc"] == pytest.approx(1 - agg["classif.ce"])


def test_aggregate_micro_scores_combined_prediction(rr: ResampleResult) -> None:
    micro = msr("classif.ce", average="micro")
    expected = msr("classif.ce").score(rr.prediction())
    assert rr.aggregate(micro)["classif.ce"] == pytest.approx(expected)


def test_aggregate_values_is_aggregate_as_a_dict(rr: ResampleResult) -> None:
    measures = [msr("classif.ce"), msr("classif.acc", average="micro")]
    values = rr.aggregate_values(measures)
    assert isinstance(values, dict) and list(values) == ["classif.ce", "classif.acc"]
    assert values == rr.aggregate(measures).to_dict()


def test_timing_measure_reads_learner_state_without_stored_models(rr: ResampleResult) -> None:
    table = rr.score(msr("time_train"))
    expected = [r.train_time for r in rr.job_results]
    assert np.allclose(table["time_train"], expected)
    assert (table["time_train"] > 0).all()


def test_same_seed_gives_identical_results(
    sonar: Task, rpart: Learner, cv3: Resampling
) -> None:
    a = resample(sonar, rpart, cv3, seed=42)
    b = resample(sonar, rpart, cv3, seed=42)
    c = resample(sonar, rpart, cv3, seed=43)
    for pa, pb in zip(a.predictions(), b.predictions(), strict=True):
        assert np.array_equal(pa.row_ids, pb.row_ids)
        assert pa.response.tolist() == pb.response.tolist()
    pd.testing.assert_frame_equal(a.score(), b.score())
    assert not np.array_equal(a.resampling.test_set(0), c.resampling.test_set(0))


def test_seed_none_follows_numpy_global_generator(
    sonar: Task, rpart: Learner, cv3: Resampling
) -> None:
    np.random.seed(5)  # noqa: NPY002
    a = resample(sonar, rpart, cv3)
    np.random.seed(5)  # noqa: NPY002
    b = resample(sonar, rpart, cv3)
    pd.testing.assert_frame_equal(a.score(), b.score())


def test_random_learner_is_reproducible_per_seed(sonar: Task, cv3: Resampling) -> None:
    debug = lrn("classif.debug")
    cv3.instantiate(sonar, seed=0)

    def responses(seed: int) -> list[str]:
        return resample(sonar, debug, cv3, seed=seed).prediction().response.tolist()

    assert responses(3) == responses(3)
    assert any(responses(s) != responses(3) for s in range(4, 12))


def test_inputs_are_not_modified(sonar: Task, rpart: Learner, cv3: Resampling) -> None:
    nrow = sonar.nrow
    rr = resample(sonar, rpart, cv3, seed=1)
    assert not cv3.is_instantiated
    assert rpart.state is None
    assert sonar.nrow == nrow
    assert rr.learner is not rpart
    assert rr.learner.state is None
    assert rr.task is not sonar


def test_instantiated_resampling_is_used_as_is(
    sonar: Task, rpart: Learner, cv3: Resampling
) -> None:
    cv3.instantiate(sonar, seed=9)
    rr = resample(sonar, rpart, cv3, seed=1)
    for i in range(3):
        assert np.array_equal(rr.resampling.test_set(i), cv3.test_set(i))


def test_resampling_instantiated_on_other_rows_is_rejected(
    sonar: Task, rpart: Learner, cv3: Resampling
) -> None:
    cv3.instantiate(sonar.clone().filter(range(100)))
    with pytest.raises(ConfigError, match="'cv'.*other rows"):
        resample(sonar, rpart, cv3)


def test_store_models_keeps_trained_learners(
    sonar: Task, rpart: Learner, cv3: Resampling
) -> None:
    rr = resample(sonar, rpart, cv3, store_models=True, seed=1)
    learners = rr.learners
    assert len(learners) == 3
    assert all(lr.model is not None for lr in learners)
    assert len({id(lr) for lr in learners}) == 3
    assert all(r.state.model is not None for r in rr.job_results)


def test_learners_without_store_models_is_a_clear_error(rr: ResampleResult) -> None:
    assert all(r.state.model is None for r in rr.job_results)
    with pytest.raises(ConfigError, match="store_models=True"):
        _ = rr.learners


def test_filter_keeps_given_iterations(rr: ResampleResult) -> None:
    full = rr.score()
    assert rr.filter([0, 2]) is rr
    assert rr.iters == 2
    table = rr.score()
    assert table["iteration"].tolist() == [0, 2]
    assert table["classif.ce"].tolist() == full["classif.ce"].iloc[[0, 2]].tolist()
    assert rr.aggregate()["classif.ce"] == pytest.approx(table["classif.ce"].mean())
    rr.filter(2)
    assert rr.iterations == [2]


def test_filter_unknown_iteration_names_it(rr: ResampleResult) -> None:
    with pytest.raises(InputError, match=r"\[7\]"):
        rr.filter([0, 7])


def test_errors_and_warnings_tables(rr: ResampleResult) -> None:
    assert list(rr.errors.columns) == ["iteration", "msg"]
    assert rr.errors.empty and rr.warnings.empty
    rr.job_results[1].log.extend(
        [LogEntry("train", "warning", "beware"), LogEntry("predict", "error", "boom")]
    )
    assert rr.warnings.to_dict("list") == {"iteration": [1], "msg": ["beware"]}
    assert rr.errors.to_dict("list") == {"iteration": [1], "msg": ["boom"]}


def test_repr_lists_iterations(rr: ResampleResult) -> None:
    text = repr(rr)
    assert text.startswith("<ResampleResult> with 3 resampling iterations")
    assert "classif.rpart" in text and "sonar" in text


def test_regression_path(mtcars: Task) -> None:
    rr = resample(mtcars, lrn("regr.rpart"), rsmp("cv", folds=4), seed=2)
    assert all(isinstance(p, PredictionRegr) for p in rr.predictions())
    table = rr.score()
    assert "regr.mse" in table.columns
    expected = np.mean([msr("regr.mse").score(p) for p in rr.predictions()])
    assert rr.aggregate()["regr.mse"] == pytest.approx(expected)
    assert rr.aggregate("regr.rmse")["regr.rmse"] > 0


def test_measure_of_wrong_task_type_is_rejected(rr: ResampleResult) -> None:
    with pytest.raises(ConfigError, match="regr.mse"):
        rr.score(msr("regr.mse"))
    with pytest.raises(ConfigError, match="regr.mse"):
        rr.aggregate("regr.mse")
    with pytest.raises(ConfigError, match="Measure"):
        rr.score([42])


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("sonar", "L", "R"), "'task'.*'sonar'"),
        (("T", "classif.rpart", "R"), "'learner'.*'classif.rpart'"),
        (("T", "L", "cv"), "'resampling'.*'cv'"),
    ],
)
def test_bad_arguments_name_the_value(
    args: tuple[str, str, str],
    match: str,
    sonar: Task,
    rpart: Learner,
    cv3: Resampling,
) -> None:
    objects = {"T": sonar, "L": rpart, "R": cv3}
    task, learner, resampling = (objects.get(a, a) for a in args)
    with pytest.raises(ConfigError, match=match):
        resample(task, learner, resampling)


def test_learner_of_other_task_type_is_rejected(sonar: Task, cv3: Resampling) -> None:
    with pytest.raises(ConfigError, match="'regr.rpart'.*'regr'.*'sonar'.*'classif'"):
        resample(sonar, lrn("regr.rpart"), cv3)


def test_bad_store_models_and_seed(sonar: Task, rpart: Learner, cv3: Resampling) -> None:
    with pytest.raises(ConfigError, match="store_models"):
        resample(sonar, rpart, cv3, store_models="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="seed"):
        resample(sonar, rpart, cv3, seed=-3)


def test_logs_start_finish_and_iterations(
    sonar: Task, rpart: Learner, cv3: Resampling, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mlr3py"):
        resample(sonar, rpart, cv3, seed=1)
    infos = [r for r in caplog.records if r.levelno == logging.INFO]
    assert len(infos) == 2
    assert "Running resample" in infos[0].getMessage()
    assert "Finished resample" in infos[1].getMessage()
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="mlr3py"):
        resample(sonar, rpart, cv3, seed=1)
    debugs = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert len([m for m in debugs if "iteration" in m]) == 3
