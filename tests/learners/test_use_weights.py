"""Learner.use_weights: what training on a task with a weights_learner column does."""

from __future__ import annotations

import numpy as np
import pytest

from mlr3py import lrn, resample, rsmp, tsk
from mlr3py.errors import ConfigError, InputError
from mlr3py.tasks import as_task_classif, as_task_regr


def _weighted_iris(weights: np.ndarray | None = None):
    task = tsk("iris")
    df = task.data()
    w = weights if weights is not None else np.linspace(0.1, 1.0, len(df))
    weighted = as_task_classif(df.assign(w=w), target="Species", id="iris_w")
    weighted.set_col_roles("w", roles=["weights_learner"])
    return weighted


def _weighted_mtcars(weights: np.ndarray):
    df = tsk("mtcars").data().assign(w=weights)
    task = as_task_regr(df, target="mpg", id="mtcars_w")
    task.set_col_roles("w", roles=["weights_learner"])
    return task


def test_defaults_follow_the_weights_property():
    assert lrn("classif.rpart").use_weights == "use"
    assert lrn("classif.kknn").use_weights == "error"
    assert lrn("classif.featureless").use_weights == "use"
    assert lrn("regr.featureless").use_weights == "use"


def test_learner_without_weights_refuses_a_weighted_task():
    task = _weighted_iris()
    with pytest.raises(InputError, match=r"use_weights is 'error'.*use_weights = 'ignore'"):
        lrn("classif.kknn").train(task)
    with pytest.raises(InputError, match="'w'"):
        lrn("classif.kknn").train(task, row_ids=task.row_ids[:50])


def test_ignore_trains_as_without_weights():
    task = _weighted_iris()
    learner = lrn("classif.kknn", use_weights="ignore").train(task)
    plain = lrn("classif.kknn").train(tsk("iris"))
    np.testing.assert_array_equal(
        np.asarray(learner.predict(task).response), np.asarray(plain.predict(tsk("iris")).response)
    )
    assert "weights" in task.properties  # the task itself keeps its role


def test_ignore_on_a_weighted_learner_drops_the_weights():
    weights = np.r_[np.ones(16), np.zeros(16)]
    task = _weighted_mtcars(weights)
    used = lrn("regr.lm").train(task)
    ignored = lrn("regr.lm", use_weights="ignore").train(task)
    plain = lrn("regr.lm").train(tsk("mtcars"))
    np.testing.assert_allclose(
        ignored.predict(task).response, plain.predict(tsk("mtcars")).response
    )
    assert not np.allclose(used.predict(task).response, ignored.predict(task).response)


def test_error_on_a_weighted_learner():
    with pytest.raises(InputError, match="use_weights was set to 'error'"):
        lrn("classif.rpart", use_weights="error").train(_weighted_iris())


def test_use_needs_the_property():
    with pytest.raises(ConfigError, match=r"'use' needs a learner with property 'weights'"):
        lrn("classif.kknn", use_weights="use")
    learner = lrn("classif.kknn")
    with pytest.raises(ConfigError, match="'sometimes'"):
        learner.use_weights = "sometimes"
    assert learner.use_weights == "error"


def test_unweighted_tasks_are_unaffected():
    learner = lrn("classif.kknn")
    assert learner.use_weights == "error"  # no weights property
    learner.train(tsk("iris"))  # no weights column: "error" does not fire
    assert learner.model is not None


def test_use_weights_survives_clone_and_resample():
    task = _weighted_iris()
    learner = lrn("classif.kknn", use_weights="ignore")
    assert learner.clone().use_weights == "ignore"
    rr = resample(task, learner, rsmp("holdout"))
    assert rr.errors.empty
    with pytest.raises(InputError, match="use_weights"):
        resample(task, lrn("classif.kknn"), rsmp("holdout"))


def test_featureless_classif_weighted_mode():
    task = tsk("iris")
    codes = np.asarray(task.truth().codes)
    # virginica rows weigh most: the weighted mode is virginica
    weights = np.where(codes == 2, 3.0, 1.0)
    weighted = _weighted_iris(weights)
    learner = lrn("classif.featureless", predict_type="prob").train(weighted)
    prediction = learner.predict(weighted)
    assert set(np.asarray(prediction.response)) == {"virginica"}
    np.testing.assert_allclose(np.asarray(prediction.prob)[0], [0.2, 0.2, 0.6])


def test_featureless_regr_weighted_mean_and_sd():
    y = np.asarray(tsk("mtcars").truth(), dtype=float)
    weights = np.linspace(0.5, 2.0, len(y))
    task = _weighted_mtcars(weights)
    prediction = lrn("regr.featureless", predict_type="se").train(task).predict(task)
    mean = np.sum(weights * y) / weights.sum()
    sd = np.sqrt(np.sum(weights * (y - mean) ** 2)
                 / (weights.sum() - np.sum(weights**2) / weights.sum()))
    np.testing.assert_allclose(prediction.response, mean)
    np.testing.assert_allclose(prediction.se, sd)
    # equal weights give the unweighted mean and sd
    equal = _weighted_mtcars(np.full(len(y), 2.0))
    prediction = lrn("regr.featureless", predict_type="se").train(equal).predict(equal)
    np.testing.assert_allclose(prediction.response, y.mean())
    np.testing.assert_allclose(prediction.se, y.std(ddof=1))


def test_featureless_regr_weighted_median():
    y = np.asarray(tsk("mtcars").truth(), dtype=float)
    weights = np.where(y == y.max(), 1000.0, 1.0)
    task = _weighted_mtcars(weights)
    learner = lrn("regr.featureless", robust=True).train(task)
    np.testing.assert_allclose(learner.predict(task).response, y.max())


def test_job_key_changes_only_away_from_the_default():
    from mlr3py.evaluation._job_key import learner_text

    assert learner_text(lrn("classif.kknn", use_weights="error")) == learner_text(
        lrn("classif.kknn")
    )
    assert learner_text(lrn("classif.kknn", use_weights="ignore")) != learner_text(
        lrn("classif.kknn")
    )
