"""fallback_for_failure: the state and prediction of a step that failed outside the learner."""

from __future__ import annotations

import numpy as np

from mlr3py import lrn, tsk
from mlr3py.encapsulation import LogEntry
from mlr3py.learners import fallback_for_failure

_ENTRY = LogEntry("train", "error", "worker process died (signal SIGSEGV)", "ProcessError")


def test_without_a_fallback_every_prediction_is_missing() -> None:
    task = tsk("iris")
    learner = lrn("classif.rpart", predict_type="prob")
    state, prediction = fallback_for_failure(learner, task, range(0, 100), range(100, 150), _ENTRY)
    assert state.model is None
    assert state.log == [_ENTRY]
    assert state.class_names == list(task.class_names)
    assert prediction.row_ids.tolist() == list(range(100, 150))
    assert list(prediction.truth) == list(task.truth(np.arange(100, 150)))
    assert prediction.response.isna().all()
    assert prediction.prob is not None and prediction.prob.isna().all().all()
    assert learner.state is None  # the learner itself is left alone


def test_the_fallback_is_trained_and_predicts_as_the_normal_path_logs_it() -> None:
    task = tsk("mtcars")
    learner = lrn("regr.rpart")
    learner.fallback = lrn("regr.featureless")
    train, test = np.arange(0, 20), np.arange(20, 32)
    state, prediction = fallback_for_failure(learner, task, train, test, _ENTRY)
    assert state.log[0] == _ENTRY
    assert state.log[-1].msg == "Imputed 12/12 predictions using fallback 'regr.featureless'"
    assert state.log[-1].cls == "message"
    expected = np.mean(np.asarray(task.truth(train), dtype=float))
    assert np.allclose(prediction.response, expected)
    assert state.fallback_state is not None
    assert learner.fallback.state is None
