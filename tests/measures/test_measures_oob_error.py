"""msr("oob_error") (mlr3's MeasureOOBError): the learner's out-of-bag error."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mlr3py import lrn, msr, rsmp, tsk
from mlr3py.errors import ConfigError
from mlr3py.evaluation import resample


def test_equals_sklearns_oob_score_of_a_forest() -> None:
    task = tsk("sonar")
    learner = lrn("classif.ranger", oob_score=True, n_estimators=50, random_state=1)
    learner.train(task)
    value = msr("oob_error").score(None, learner=learner)
    assert value == learner.oob_error()
    assert value == pytest.approx(1 - learner.model.estimator.oob_score_)


def test_regression_forest_scores_the_oob_mean_squared_error() -> None:
    task = tsk("mtcars")
    learner = lrn("regr.ranger", oob_score=True, n_estimators=200, random_state=1)
    learner.train(task)
    truth = np.asarray(task.truth(), dtype=float)
    expected = float(np.mean((learner.model.estimator.oob_prediction_ - truth) ** 2))
    assert msr("oob_error").score(None, learner=learner) == pytest.approx(expected)


def test_nan_for_a_learner_without_the_property() -> None:
    learner = lrn("classif.rpart").train(tsk("sonar"))
    assert math.isnan(msr("oob_error").score(None, learner=learner))


def test_needs_a_learner() -> None:
    with pytest.raises(ConfigError, match="requires the learner"):
        msr("oob_error").score(None)


def test_resample_scores_each_iterations_forest() -> None:
    task = tsk("sonar")
    learner = lrn("classif.ranger", oob_score=True, n_estimators=30, random_state=1)
    rr = resample(task, learner, rsmp("cv", folds=3), store_models=True, seed=1)
    expected = [trained.oob_error() for trained in rr.learners]
    assert rr.score("oob_error")["oob_error"].tolist() == pytest.approx(expected)
    assert rr.aggregate("oob_error")["oob_error"] == pytest.approx(np.mean(expected))


def test_without_stored_models_the_state_keeps_the_score() -> None:
    task = tsk("sonar")
    learner = lrn("classif.ranger", oob_score=True, n_estimators=30, random_state=1)
    rr = resample(task, learner, rsmp("holdout"), seed=1)
    value = rr.aggregate("oob_error")["oob_error"]
    assert value == rr.job_results[0].state.oob_error
    assert 0.0 <= value <= 1.0
