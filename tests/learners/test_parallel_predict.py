"""learner.parallel_predict: row chunks predicted through the active plan equal one piece."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py.execution import plan, tweak
from mlr3py.options import options
from mlr3py.predictions import PredictionDataRegr, concat_prediction_data
from mlr3py.sugar import lrn, tsk


@pytest.fixture(autouse=True)
def _sequential_afterwards():
    yield
    plan("sequential")
    options.debug = False


def _predictions(learner_id: str, task_id: str, **params):
    task = tsk(task_id)
    learner = lrn(learner_id, **params)
    if "prob" in learner.predict_types:
        learner.predict_type = "prob"
    learner.train(task, row_ids=task.row_ids[::2])
    return learner, task


@pytest.mark.subprocess
@pytest.mark.parametrize("strategy", [tweak("threads", workers=2), tweak("processes", workers=2),
                                      tweak("multicore", workers=3)])
@pytest.mark.parametrize(("learner_id", "task_id", "params"), [
    ("classif.ranger", "sonar", {"n_estimators": 10, "random_state": 1}),
    ("classif.debug", "iris", {}),
    ("regr.ranger", "mtcars", {"n_estimators": 10, "random_state": 1}),
])
def test_parallel_predict_equals_sequential(strategy, learner_id, task_id, params) -> None:
    learner, task = _predictions(learner_id, task_id, **params)
    if learner_id == "classif.debug":
        learner.predict_type = "response"  # prob draws random numbers per call
    expected = learner.predict(task)
    learner.parallel_predict = True
    with plan(strategy):
        got = learner.predict(task)
    assert got.row_ids.tolist() == expected.row_ids.tolist()
    assert got.response.tolist() == expected.response.tolist() if learner_id != "regr.ranger" \
        else np.array_equal(got.response, expected.response)
    if getattr(expected, "prob", None) is not None:
        assert np.array_equal(np.asarray(got.prob), np.asarray(expected.prob))
    subset = task.row_ids[1::3]
    with plan(strategy):
        assert learner.predict(task, subset).row_ids.tolist() == subset.tolist()


def test_sequential_plan_and_debug_predict_in_one_piece(monkeypatch) -> None:
    learner, task = _predictions("classif.debug", "iris")
    learner.parallel_predict = True
    calls = []
    original = type(learner)._predict

    def counting(self, t):
        calls.append(t.nrow)
        return original(self, t)

    monkeypatch.setattr(type(learner), "_predict", counting)
    learner.predict(task)
    options.debug = True
    with plan("threads", workers=2):
        learner.predict(task)
    options.debug = False
    with plan("threads", workers=2):
        learner.predict(task)
    assert calls == [150, 150, 75, 75]


def test_predict_newdata_in_parallel() -> None:
    learner, task = _predictions("classif.ranger", "sonar", n_estimators=5, random_state=2)
    newdata = task.data(cols=task.feature_names)
    expected = learner.predict_newdata(newdata)
    learner.parallel_predict = True
    with plan("threads", workers=2):
        got = learner.predict_newdata(newdata)
    assert np.array_equal(np.asarray(got.prob), np.asarray(expected.prob))


def test_combine_pdata_with_omitted_rows() -> None:
    parts = [
        PredictionDataRegr(row_ids=np.array([1, 3]), response=np.array([0.5, 1.5]), se=np.ones(2)),
        PredictionDataRegr(row_ids=np.array([4]), response=np.array([2.5]), se=np.zeros(1)),
    ]
    out = concat_prediction_data(parts)
    assert out.row_ids.tolist() == [1, 3, 4]
    assert out.response.tolist() == [0.5, 1.5, 2.5]
    assert out.se.tolist() == [1.0, 1.0, 0.0]
