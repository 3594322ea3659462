"""Learner fields encapsulation / timeout / fallback, fallback predictions, bad input."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from mlr3py import lrn, msr, resample, rsmp, tsk
from mlr3py.errors import ConfigError, LearnerTrainError, NotTrainedError


@pytest.fixture
def iris():
    return tsk("iris")


@pytest.mark.subprocess
def test_defaults_and_setters() -> None:
    learner = lrn("classif.debug")
    assert learner.encapsulation == {"train": "none", "predict": "none"}
    assert learner.timeout == {"train": math.inf, "predict": math.inf}
    assert learner.fallback is None
    learner.encapsulation = "callr"
    assert learner.encapsulation == {"train": "process", "predict": "process"}
    learner.encapsulation = {"predict": "try"}
    assert learner.encapsulation == {"train": "process", "predict": "try"}
    learner.timeout = 5
    assert learner.timeout == {"train": 5.0, "predict": 5.0}
    learner.timeout = {"train": 1e-5, "predict": float("inf")}
    assert learner.timeout == {"train": 1e-5, "predict": math.inf}


def test_encapsulate_is_chainable_and_sets_the_fallback() -> None:
    learner = lrn("classif.debug")
    fallback = lrn("classif.featureless")
    assert learner.encapsulate("evaluate", fallback) is learner
    assert learner.encapsulation == {"train": "evaluate", "predict": "evaluate"}
    assert learner.fallback is fallback


def test_setting_a_fallback_switches_to_evaluate() -> None:
    learner = lrn("classif.debug")
    learner.fallback = lrn("classif.featureless")
    assert learner.encapsulation == {"train": "evaluate", "predict": "evaluate"}
    other = lrn("classif.debug")
    other.encapsulation = "try"
    other.fallback = lrn("classif.featureless")
    assert other.encapsulation["train"] == "try"


def test_bad_input_is_a_config_error_naming_the_value() -> None:
    learner = lrn("classif.debug")
    with pytest.raises(ConfigError, match="Learner 'classif.debug'.*Got 'sandbox' instead"):
        learner.encapsulation = "sandbox"
    with pytest.raises(ConfigError, match="stages 'train' and 'predict'. Got \\['fit'\\]"):
        learner.encapsulation = {"fit": "try"}
    with pytest.raises(ConfigError, match=">= 0.*Got -1 instead"):
        learner.timeout = -1
    with pytest.raises(ConfigError, match="Got -0.5 instead"):
        learner.timeout = {"predict": -0.5}
    with pytest.raises(ConfigError, match="task type 'classif'. Got Learner 'regr.featureless' "
                       "of task type 'regr'"):
        learner.fallback = lrn("regr.featureless")
    with pytest.raises(ConfigError, match="must be a Learner.*Got 'featureless'"):
        learner.fallback = "featureless"
    learner.predict_type = "prob"
    with pytest.raises(ConfigError, match="predict type 'prob'. Learner 'classif.debug2' "):
        fb = lrn("classif.debug")
        fb.id = "classif.debug2"
        fb.predict_types = ["response"]
        learner.fallback = fb


def test_a_failing_fallback_is_a_config_error(iris) -> None:
    learner = lrn("classif.debug", error_train=1)
    learner.fallback = lrn("classif.debug", error_train=1)
    with pytest.raises(ConfigError, match="fallback learner 'classif.debug' of Learner "
                       "'classif.debug' failed to train: .*Error from classif.debug->train"):
        learner.train(iris)


def test_config_errors_never_trigger_the_fallback(iris) -> None:
    learner = lrn("classif.debug", sleep_train=lambda: "soon")
    learner.encapsulate("evaluate", lrn("classif.featureless"))
    with pytest.raises(ConfigError, match="'sleep_train' parameter"):
        learner.train(iris)


def test_without_encapsulation_errors_propagate(iris) -> None:
    with pytest.raises(LearnerTrainError, match="Error from classif.debug->train"):
        lrn("classif.debug", error_train=1).train(iris)


@pytest.mark.subprocess
@pytest.mark.parametrize("method", ["try", "evaluate", "process"])
def test_failed_training_is_logged_and_predicting_names_the_error(iris, method: str) -> None:
    learner = lrn("classif.debug", error_train=1)
    learner.encapsulation = method
    learner.train(iris)
    assert learner.model is None
    assert learner.errors.to_dict("records") == [
        {"stage": "train", "class": "error", "msg": "Error from classif.debug->train()",
         "condition": "LearnerTrainError"}
    ]
    # without a fallback there is nothing to predict with (mlr3: "Cannot predict, Learner
    # has not been trained yet"); resample() still records the error and scores NaN
    message = re.escape(
        "Cannot predict: Learner 'classif.debug' has not been trained yet, its training "
        "failed (LearnerTrainError: Error from classif.debug->train()). Fix the error and "
        "train again, or set a fallback learner (learner.fallback = "
        "lrn('classif.featureless')) to predict in its place."
    )
    with pytest.raises(NotTrainedError, match=message):
        learner.predict(iris)
    with pytest.raises(NotTrainedError, match=message):
        learner.predict_newdata(iris.data(cols=iris.feature_names))
    rr = resample(iris, learner, rsmp("holdout"))
    assert rr.errors["msg"].tolist() == ["Error from classif.debug->train()"]
    assert rr.prediction().response.isna().all()
    assert math.isnan(rr.aggregate(msr("classif.ce"))["classif.ce"])


@pytest.mark.subprocess
@pytest.mark.parametrize("method", ["evaluate", "process"])
def test_fallback_replaces_a_failed_learner(iris, method: str) -> None:
    learner = lrn("classif.debug", error_train=1)
    learner.encapsulate(method, lrn("classif.featureless"))
    learner.train(iris)
    pred = learner.predict(iris)
    assert not pred.response.isna().any()
    assert learner.state.fallback_state is not None
    assert "Imputed 150/150 predictions using fallback 'classif.featureless'" in list(
        learner.log["msg"]
    )


def test_fallback_fills_missing_predictions_book_example(iris) -> None:
    np.random.seed(1)  # noqa: NPY002 - the global stream is what learners draw from
    learner = lrn("classif.debug", predict_missing=0.5)
    pred = learner.train(iris).predict(iris)
    assert int(pred.response.isna().sum()) == 75
    learner.fallback = lrn("classif.featureless")
    pred = learner.train(iris).predict(iris)
    assert int(pred.response.isna().sum()) == 0
    assert learner.log["msg"].str.contains("Imputed 75/150 predictions").any()


@pytest.mark.parametrize("missing_type", ["na", "omit"])
@pytest.mark.parametrize("predict_type", ["response", "prob"])
def test_fallback_fills_missing_classif_rows(iris, missing_type: str,
                                             predict_type: str) -> None:
    learner = lrn("classif.debug", predict_missing=0.3, predict_missing_type=missing_type)
    learner.predict_type = predict_type
    learner.fallback = lrn("classif.featureless")
    pred = learner.train(iris).predict(iris)
    assert len(pred.row_ids) == 150
    assert not pred.response.isna().any()
    if predict_type == "prob":
        assert not np.isnan(np.asarray(pred.prob, dtype=float)).any()


@pytest.mark.parametrize("predict_type", ["response", "se"])
def test_fallback_fills_missing_regr_rows(predict_type: str) -> None:
    task = tsk("mtcars")
    learner = lrn("regr.debug", predict_missing=0.5)
    learner.predict_type = predict_type
    learner.fallback = lrn("regr.featureless")
    pred = learner.train(task).predict(task)
    assert not np.isnan(pred.response).any()
    if predict_type == "se":
        assert not np.isnan(pred.se).any()


def test_predict_failure_uses_the_fallback(iris) -> None:
    learner = lrn("classif.debug", error_predict=1)
    learner.fallback = lrn("classif.featureless")
    pred = learner.train(iris).predict(iris)
    assert not pred.response.isna().any()
    assert learner.errors["stage"].tolist() == ["predict"]


def test_timeout_triggers_the_fallback(iris) -> None:
    learner = lrn("classif.debug", sleep_train=1.0)
    learner.encapsulate("evaluate", lrn("classif.featureless"))
    learner.timeout = {"train": 0.1}
    pred = learner.train(iris).predict(iris)
    assert learner.errors["msg"].tolist() == ["reached elapsed time limit"]
    assert not pred.response.isna().any()


@pytest.mark.subprocess
def test_process_brings_the_model_back(iris) -> None:
    import os

    np.random.seed(3)  # noqa: NPY002 - the global stream is what learners draw from
    here = lrn("classif.debug").train(iris).model
    np.random.seed(3)  # noqa: NPY002 - the global stream is what learners draw from
    learner = lrn("classif.debug")
    learner.encapsulation = "process"
    there = learner.train(iris).model
    assert there.pid != os.getpid()
    assert there.response == here.response and there.random_number == here.random_number


@pytest.mark.subprocess
def test_process_predict_newdata(iris) -> None:
    learner = lrn("classif.rpart")
    learner.encapsulation = "process"
    learner.train(iris)
    pred = learner.predict_newdata(iris.data().drop(columns="Species").head(5))
    assert len(pred.response) == 5 and not pred.response.isna().any()


def test_timeout_on_a_learner_without_encapsulation_switches_to_evaluate() -> None:
    learner = lrn("classif.debug")
    learner.timeout = {"train": 5}
    assert learner.encapsulation == {"train": "evaluate", "predict": "none"}
    learner.timeout = 3
    assert learner.encapsulation == {"train": "evaluate", "predict": "evaluate"}
    # a method chosen before stays; an infinite limit changes nothing
    other = lrn("classif.debug")
    other.encapsulation = {"train": "process"}
    other.timeout = {"train": 1, "predict": float("inf")}
    assert other.encapsulation == {"train": "process", "predict": "none"}
    assert lrn("classif.debug", timeout=2).encapsulation == {
        "train": "evaluate", "predict": "evaluate"
    }


def test_timeout_without_encapsulation_is_enforced(iris) -> None:
    learner = lrn("classif.debug", sleep_train=2.0)
    learner.timeout = {"train": 0.2}
    learner.train(iris)
    assert "elapsed time limit" in " ".join(str(m) for m in learner.errors["msg"])
