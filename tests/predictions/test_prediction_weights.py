"""Predictions made on a task with measure weights carry them (mlr3's Prediction$weights)."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import as_task_classif, lrn, msr, resample, rsmp, tsk
from mlr3py.errors import InputError
from mlr3py.predictions import PredictionRegr, combine_predictions, set_task_weights


@pytest.fixture(scope="module")
def weighted_task():
    df = tsk("sonar").data()
    df["w"] = np.random.default_rng(1).uniform(0, 2, len(df))
    task = as_task_classif(df, target="Class", positive="M", id="wsonar")
    task.set_col_roles("w", roles=["weights_measure"])
    return task, df["w"].to_numpy()


def test_resample_prediction_scores_as_aggregate(weighted_task) -> None:
    task, w = weighted_task
    rr = resample(task, lrn("classif.rpart"), rsmp("cv", folds=5), seed=1)
    pred = rr.prediction()
    np.testing.assert_allclose(pred.weights, w[pred.row_ids])
    micro = msr("classif.ce", average="micro")
    weighted = pred.score(micro).iloc[0]
    assert weighted == pytest.approx(rr.aggregate(micro).iloc[0])
    wrong = pred.truth != pred.response
    assert weighted == pytest.approx(np.sum(w[pred.row_ids] * wrong) / np.sum(w[pred.row_ids]))
    assert weighted != pytest.approx(float(np.mean(wrong)))
    ignoring = msr("classif.ce")
    ignoring.use_weights = "ignore"
    assert pred.score(ignoring).iloc[0] == pytest.approx(float(np.mean(wrong)))
    with pytest.raises(InputError, match="carries"):
        pred.score(msr("classif.fbeta"))
    for i, p in enumerate(rr.predictions()):
        assert p.score(msr("classif.ce")).iloc[0] == pytest.approx(
            rr.score(msr("classif.ce"))["classif.ce"].iloc[i])


def test_unweighted_task_gives_no_weights() -> None:
    rr = resample(tsk("sonar"), lrn("classif.rpart"), rsmp("holdout"), seed=1)
    assert rr.prediction().weights is None


def test_weights_follow_filter_and_combine(weighted_task) -> None:
    task, w = weighted_task
    learner = lrn("classif.rpart").train(task, range(100))
    a = set_task_weights(learner.predict(task, range(100, 150)), task)
    b = set_task_weights(learner.predict(task, range(150, 208)), task)
    np.testing.assert_allclose(combine_predictions([a, b]).weights, w[100:208])
    np.testing.assert_allclose((a + b).filter([101, 160, 170]).weights, w[[101, 160, 170]])
    b.weights = None
    assert combine_predictions([a, b]).weights is None


def test_weights_are_validated() -> None:
    pred = PredictionRegr([1, 2, 3], truth=[1.0, 2.0, 3.0], response=[1.0, 2.0, 2.0])
    for bad in ([1.0, 2.0], [1.0, -1.0, 1.0], [1.0, np.nan, 1.0]):
        with pytest.raises(InputError, match="one per predicted row"):
            pred.weights = bad
    pred.weights = [1.0, 1.0, 3.0]
    assert pred.score(msr("regr.mae")).iloc[0] == pytest.approx(3 / 5)


def test_learner_predict_carries_the_weights_of_its_task() -> None:
    import pandas as pd

    import mlr3py

    frame = pd.DataFrame({"x": np.arange(8, dtype=float), "w": [1.0, 2, 1, 2, 1, 2, 1, 2],
                          "y": ["a", "b"] * 4})
    task = mlr3py.as_task_classif(frame, target="y")
    task.set_col_roles("w", roles="weights_measure")
    learner = mlr3py.lrn("classif.featureless").train(task)
    prediction = learner.predict(task, [6, 1, 3])
    assert prediction.weights is not None
    assert prediction.weights.tolist() == [1.0, 2.0, 2.0]
