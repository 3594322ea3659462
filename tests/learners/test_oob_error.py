"""oob_error() of classif.ranger / regr.ranger (mlr3learners' ``oob_error()``): the
out-of-bag classification error / mean squared error, with ``oob_score=True``."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py.errors import ConfigError, NotTrainedError
from mlr3py.learners import mlr_learners
from mlr3py.tasks import Task


def test_classif_oob_error_is_one_minus_sklearn_oob_accuracy(sonar: Task) -> None:
    learner = mlr_learners.get("classif.ranger", oob_score=True, n_estimators=50,
                               random_state=1)
    assert "oob_error" in learner.properties
    learner.train(sonar)
    estimator = learner.model.estimator
    assert learner.oob_error() == pytest.approx(1 - estimator.oob_score_)
    assert 0.0 < learner.oob_error() < 0.5


def test_regr_oob_error_is_the_mean_squared_error(mtcars: Task) -> None:
    learner = mlr_learners.get("regr.ranger", oob_score=True, n_estimators=200,
                               random_state=1)
    learner.train(mtcars)
    estimator = learner.model.estimator
    truth = np.asarray(mtcars.truth(), dtype=float)
    expected = float(np.mean((estimator.oob_prediction_ - truth) ** 2))
    assert learner.oob_error() == pytest.approx(expected)
    # scikit-learn's own oob_score_ is R^2: 1 - MSE / variance of the target
    assert estimator.oob_score_ == pytest.approx(1 - expected / truth.var())


def test_on_a_subset_of_rows_the_truth_is_aligned(mtcars: Task) -> None:
    learner = mlr_learners.get("regr.ranger", oob_score=True, n_estimators=200,
                               random_state=1)
    rows = list(range(5, 30))
    learner.train(mtcars, row_ids=rows)
    truth = np.asarray(mtcars.clone().filter(rows).truth(), dtype=float)
    oob = learner.model.estimator.oob_prediction_
    assert learner.oob_error() == pytest.approx(float(np.mean((oob - truth) ** 2)))


def test_without_oob_score_or_training_it_says_what_to_do(sonar: Task) -> None:
    learner = mlr_learners.get("classif.ranger", n_estimators=5)
    with pytest.raises(NotTrainedError, match="oob_error"):
        learner.oob_error()
    learner.train(sonar)
    with pytest.raises(ConfigError, match=r"oob_score=True"):
        learner.oob_error()
