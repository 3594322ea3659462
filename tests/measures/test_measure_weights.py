"""Measures use the task's weights_measure column as mlr3 does (property 'weights', use_weights)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, log_loss, mean_absolute_error, mean_squared_error

from mlr3py import as_task_classif, as_task_regr, lrn, msr, resample, rsmp
from mlr3py.errors import ConfigError, InputError
from mlr3py.measures import mlr_measures

WEIGHTED_CLASSIF = ["classif.ce", "classif.acc", "classif.logloss", "classif.mbrier",
                    "classif.bbrier"]
WEIGHTED_REGR = ["regr.mse", "regr.rmse", "regr.mae", "regr.mape", "regr.msle", "regr.rmsle",
                 "regr.bias"]


def _classif(weights: np.ndarray):
    rng = np.random.default_rng(0)
    n = len(weights)
    df = pd.DataFrame({"a": rng.random(n), "w": weights,
                       "y": np.where(rng.random(n) < 0.5, "p", "q")})
    task = as_task_classif(df, target="y")
    task.col_roles["weights_measure"] = ["w"]
    return task


def _regr(weights: np.ndarray):
    rng = np.random.default_rng(1)
    n = len(weights)
    df = pd.DataFrame({"a": rng.random(n), "w": weights, "y": rng.random(n) + 1.0})
    task = as_task_regr(df, target="y")
    task.col_roles["weights_measure"] = ["w"]
    return task


def test_weighted_measures_declare_the_property_and_use_it_by_default() -> None:
    for key in WEIGHTED_CLASSIF + WEIGHTED_REGR:
        measure = msr(key)
        assert "weights" in measure.properties
        assert measure.use_weights == "use"
    assert msr("classif.auc").use_weights == "error"
    assert msr("time_train").use_weights == "ignore"
    assert "use_weights" in mlr_measures.as_table().columns


def test_classif_weights_match_sklearn() -> None:
    weights = np.random.default_rng(5).random(120) * 3
    task = _classif(weights)
    learner = lrn("classif.rpart", predict_type="prob", max_depth=2)
    pred = learner.train(task, row_ids=list(range(60))).predict(task)
    truth, response = np.asarray(pred.truth), np.asarray(pred.response)
    w = weights[np.asarray(pred.row_ids)]
    ce = pred.score(msr("classif.ce"), task=task).iloc[0]
    assert ce == pytest.approx(1 - accuracy_score(truth, response, sample_weight=w))
    acc = pred.score(msr("classif.acc"), task=task).iloc[0]
    assert acc == pytest.approx(accuracy_score(truth, response, sample_weight=w))
    prob = pred.prob[pred.class_names].to_numpy()
    ll = pred.score(msr("classif.logloss"), task=task).iloc[0]
    p_true = np.clip(prob[np.arange(len(truth)), pd.Categorical(
        truth, categories=pred.class_names).codes], 1e-15, 1 - 1e-15)
    assert ll == pytest.approx(-np.sum(w * np.log(p_true)) / np.sum(w))
    # sklearn's log_loss agrees where no probability needs clipping
    inner = (p_true > 1e-6) & (p_true < 1 - 1e-6)
    if inner.all():
        assert ll == pytest.approx(log_loss(truth, prob, sample_weight=w,
                                            labels=pred.class_names))
    # without the task: the weights the prediction carries (mlr3's Prediction$weights)
    assert pred.score(msr("classif.ce")).iloc[0] == pytest.approx(ce)
    # ignored: the unweighted score
    plain = np.mean(truth != response)
    ignoring = msr("classif.ce")
    ignoring.use_weights = "ignore"
    assert pred.score(ignoring, task=task).iloc[0] == pytest.approx(plain)
    assert pred.score(ignoring).iloc[0] == pytest.approx(plain)


def test_regr_weights_match_sklearn() -> None:
    weights = np.random.default_rng(6).random(80)
    task = _regr(weights)
    pred = lrn("regr.rpart", max_depth=2).train(task).predict(task)
    truth, response = pred.truth, pred.response
    w = weights[np.asarray(pred.row_ids)]
    mse = pred.score(msr("regr.mse"), task=task).iloc[0]
    assert mse == pytest.approx(mean_squared_error(truth, response, sample_weight=w))
    rmse = pred.score(msr("regr.rmse"), task=task).iloc[0]
    assert rmse == pytest.approx(math.sqrt(mse))
    mae = pred.score(msr("regr.mae"), task=task).iloc[0]
    assert mae == pytest.approx(mean_absolute_error(truth, response, sample_weight=w))


@pytest.mark.parametrize("key", WEIGHTED_CLASSIF + WEIGHTED_REGR)
def test_unit_weights_give_the_unweighted_score(key: str) -> None:
    classif = key.startswith("classif.")
    task = _classif(np.ones(60)) if classif else _regr(np.ones(60))
    learner = lrn("classif.rpart", predict_type="prob") if classif else lrn("regr.rpart")
    pred = learner.train(task, row_ids=list(range(30))).predict(task)
    plain = msr(key)
    plain.use_weights = "ignore"
    assert pred.score(msr(key), task=task).iloc[0] == pytest.approx(
        pred.score(plain, task=task).iloc[0], nan_ok=True
    )


def test_all_zero_weights_do_not_leave_the_score_unchanged() -> None:
    task = _classif(np.zeros(40))
    pred = lrn("classif.rpart").train(task).predict(task)
    with pytest.warns(UserWarning, match=r"classif.ce.*sum to 0.*NaN"):
        value = pred.score(msr("classif.ce"), task=task).iloc[0]
    assert math.isnan(value)


def test_measure_without_weights_refuses_a_weighted_task() -> None:
    task = _classif(np.ones(40))
    pred = lrn("classif.rpart").train(task).predict(task)
    with pytest.raises(InputError, match=r"Measure 'classif.bacc' cannot use.*'ignore'"):
        pred.score(msr("classif.bacc"), task=task)
    measure = msr("classif.bacc")
    measure.use_weights = "ignore"
    assert not math.isnan(pred.score(measure, task=task).iloc[0])
    with pytest.raises(ConfigError, match="property 'weights'"):
        measure.use_weights = "use"
    with pytest.raises(ConfigError, match="use_weights"):
        msr("classif.ce").use_weights = "sometimes"


def test_resample_scores_and_aggregates_with_weights() -> None:
    weights = np.r_[np.zeros(30), np.ones(30)]
    task = _classif(weights)
    rr = resample(task, lrn("classif.rpart"), rsmp("holdout", ratio=0.5))
    pred = rr.prediction()
    w = weights[np.asarray(pred.row_ids)]
    wrong = (np.asarray(pred.truth) != np.asarray(pred.response)).astype(float)
    expected = float(np.sum(w * wrong) / np.sum(w))
    assert rr.score(msr("classif.ce"))["classif.ce"].iloc[0] == pytest.approx(expected)
    micro = msr("classif.ce")
    micro.average = "micro"
    assert rr.aggregate(micro).iloc[0] == pytest.approx(expected)
