"""predict_sets: learners predicting the training set too, measures scoring the training error."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from mlr3py import benchmark, benchmark_grid, lrn, msr, plan, resample, rsmp, tsk, tweak
from mlr3py.errors import ConfigError
from mlr3py.execution._engine import shutdown_workers


@pytest.fixture(scope="module")
def workers() -> Iterator[None]:
    yield
    shutdown_workers()


def _train_ce() -> object:
    return msr("classif.ce", id="ce_train", predict_sets="train")


def test_defaults_and_validation() -> None:
    assert lrn("classif.rpart").predict_sets == ["test"]
    assert msr("classif.ce").predict_sets == ["test"]
    assert lrn("classif.rpart", predict_sets=["train", "test"]).predict_sets == ["train", "test"]
    assert msr("classif.ce", predict_sets="train").predict_sets == ["train"]
    with pytest.raises(ConfigError, match="'validation'"):
        lrn("classif.rpart", predict_sets=["validation"])
    with pytest.raises(ConfigError, match="non-empty subset"):
        msr("classif.ce", predict_sets=[])


def test_training_error_of_a_deep_tree_is_zero() -> None:
    learner = lrn("classif.rpart", predict_sets=["train", "test"])
    rr = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=1)
    scores = rr.score([_train_ce(), msr("classif.ce")])
    assert (scores["ce_train"] == 0).all()
    assert (scores["classif.ce"] > 0).all()
    agg = rr.aggregate([_train_ce(), msr("classif.ce")])
    assert agg["ce_train"] == 0 and agg["classif.ce"] > 0
    for i, train in enumerate(rr.predictions("train")):
        np.testing.assert_array_equal(
            np.sort(train.row_ids), np.sort(rr.resampling.train_set(i))
        )
    assert len(rr.prediction("train").row_ids) == 2 * tsk("sonar").nrow
    both = rr.prediction(["train", "test"])
    assert len(both.row_ids) == 3 * tsk("sonar").nrow


def test_test_predictions_do_not_change() -> None:
    plain = resample(tsk("sonar"), lrn("classif.rpart"), rsmp("cv", folds=3), seed=2)
    both = resample(tsk("sonar"), lrn("classif.rpart", predict_sets=["train", "test"]),
                    rsmp("cv", folds=3), seed=2)
    for a, b in zip(plain.predictions(), both.predictions(), strict=True):
        np.testing.assert_array_equal(a.response, b.response)
    assert all(r.train_prediction is None for r in plain.job_results)


def test_train_measure_without_train_predictions_is_an_error() -> None:
    rr = resample(tsk("iris"), lrn("classif.rpart"), rsmp("holdout"), seed=1)
    with pytest.raises(ConfigError, match=r"predicted only \['test'\].*predict_sets = "
                                          r"\['train', 'test'\]"):
        rr.aggregate(_train_ce())
    with pytest.raises(ConfigError, match="predict_sets"):
        rr.prediction("train")


def test_learner_predicting_only_the_train_set() -> None:
    learner = lrn("classif.rpart", predict_sets=["train"])
    rr = resample(tsk("iris"), learner, rsmp("cv", folds=3), seed=1)
    assert rr.aggregate(_train_ce())["ce_train"] < 0.05
    with pytest.raises(ConfigError, match=r"'test' predictions.*predicted only \['train'\]"):
        rr.aggregate(msr("classif.ce"))
    with pytest.raises(ConfigError, match="'test' predictions"):
        rr.prediction()


def test_a_learner_without_the_test_set_does_not_predict_it() -> None:
    learner = lrn("classif.rpart", predict_sets=["train"])
    rr = resample(tsk("iris"), learner, rsmp("cv", folds=3), seed=1)
    for i, result in enumerate(rr.job_results):
        assert result.prediction is None
        assert result.train_prediction is not None
        np.testing.assert_array_equal(np.sort(result.train_prediction.row_ids),
                                      np.sort(rr.resampling.train_set(i)))
    with pytest.raises(ConfigError, match=r"Measure 'classif.ce' .*'test' predictions"):
        rr.score(msr("classif.ce"))


def test_a_lost_job_without_the_test_set_has_no_test_prediction() -> None:
    from mlr3py.evaluation._failures import failed_job_result
    from mlr3py.evaluation._job import Job
    from mlr3py.evaluation._resample_result import ResampleResult

    task = tsk("iris")
    resampling = rsmp("holdout").instantiate(task)
    learner = lrn("classif.rpart", predict_sets=["train"])
    result = failed_job_result(Job(task, learner, resampling, 0, seed=1), "died")
    assert result.prediction is None and result.train_prediction is None
    rr = ResampleResult(task, learner, resampling, [result])
    assert np.isnan(rr.score(_train_ce())["ce_train"].iloc[0])  # no prediction: NaN, as in mlr3


def test_benchmark_scores_per_measure() -> None:
    design = benchmark_grid(
        tsk("sonar"),
        [lrn("classif.rpart", predict_sets=["train", "test"]),
         lrn("classif.featureless", predict_sets=["train", "test"])],
        rsmp("cv", folds=3), seed=3,
    )
    bmr = benchmark(design)
    table = bmr.aggregate([_train_ce(), msr("classif.ce")])
    assert table["ce_train"].iloc[0] == 0
    assert table["ce_train"].iloc[1] > 0.3  # featureless: the minority share
    assert len(bmr.score(_train_ce())) == 6


@pytest.mark.subprocess
def test_both_sets_under_processes(workers: None) -> None:
    learner = lrn("classif.rpart", predict_sets=["train", "test"])
    want = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=4)
    with plan(tweak("processes", workers=2)):
        got = resample(tsk("sonar"), learner, rsmp("cv", folds=3), seed=4)
    measures = [_train_ce(), msr("classif.ce")]
    assert got.score(measures).equals(want.score(measures))
    for a, b in zip(got.predictions("train"), want.predictions("train"), strict=True):
        np.testing.assert_array_equal(a.row_ids, b.row_ids)
        np.testing.assert_array_equal(a.response, b.response)


def test_a_store_keeps_the_train_predictions(tmp_path: object) -> None:
    learner = lrn("classif.rpart", predict_sets=["train", "test"])
    first = resample(tsk("iris"), learner, rsmp("cv", folds=3), seed=5, store=tmp_path)
    again = resample(tsk("iris"), learner, rsmp("cv", folds=3), seed=5, store=tmp_path)
    assert again.aggregate(_train_ce()).equals(first.aggregate(_train_ce()))
    assert len(again.prediction("train").row_ids) == 300
